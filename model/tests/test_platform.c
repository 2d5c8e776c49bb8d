/* SPDX-License-Identifier: MIT */
/*
 * The suite runs on the byte order the build says it targets. This is what makes the s390x
 * results mean something: a cross build that silently ran on the host would fail here.
 */
#include "vcf_test.h"

static void test_runtime_byte_order(void **state)
{
    (void)state;
    const uint32_t probe = 0x01020304u;
    uint8_t first;
    memcpy(&first, &probe, 1);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    assert_int_equal(first, 0x01);
#else
    assert_int_equal(first, 0x04);
#endif
#ifdef VCF_EXPECT_BIG_ENDIAN
    /* the s390x suite: a build that ended up little-endian proves nothing */
    assert_int_equal(first, 0x01);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_runtime_byte_order)};
    return cmocka_run_group_tests_name("platform", tests, NULL, NULL);
}
