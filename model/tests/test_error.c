/* SPDX-License-Identifier: MIT */
/*
 * Status names, classes and the one-line error format.
 */
#include "vcf_test.h"

#include "vconform/error.h"

static const int all_codes[] = {
    VCF_OK,           VCF_E_TRUNCATED,   VCF_E_TRAILING,     VCF_E_SIZE_MISMATCH, VCF_E_SIZE_RANGE,
    VCF_E_UNKNOWN_ID, VCF_E_BAD_KIND,    VCF_E_NONSTANDARD,  VCF_E_RESERVED,      VCF_E_MBZ,
    VCF_E_ALIGN,      VCF_E_RANGE,       VCF_E_UNTERMINATED, VCF_E_TOO_LARGE,     VCF_E_NOSPACE,
    VCF_E_INVAL,      VCF_E_NOTFOUND,    VCF_E_INUSE,        VCF_E_EXHAUSTED,     VCF_E_DUPLICATE,
    VCF_E_AGAIN,      VCF_E_UNSUPPORTED, VCF_E_STATE,        VCF_E_MISMATCH,      VCF_E_TIMEOUT};
#define NCODES (sizeof all_codes / sizeof all_codes[0])

static void test_names_are_unique_and_known(void **state)
{
    (void)state;
    for (size_t i = 0; i < NCODES; i++) {
        assert_string_not_equal(vcf_status_name(all_codes[i]), "unknown-status");
        assert_string_not_equal(vcf_status_text(all_codes[i]), "unknown status");
        for (size_t j = i + 1; j < NCODES; j++)
            assert_string_not_equal(vcf_status_name(all_codes[i]), vcf_status_name(all_codes[j]));
    }
    assert_string_equal(vcf_status_name(12345), "unknown-status");
}

static void test_classes(void **state)
{
    (void)state;
    size_t structural = 0, rule = 0, stat = 0;
    for (size_t i = 0; i < NCODES; i++) {
        int s = vcf_status_is_structural(all_codes[i]);
        int r = vcf_status_is_rule(all_codes[i]);
        int t = vcf_status_is_state(all_codes[i]);
        assert_true(s + r + t <= 1);
        structural += (size_t)s;
        rule += (size_t)r;
        stat += (size_t)t;
    }
    assert_int_equal(structural, 7);
    assert_int_equal(rule, 6);
    assert_int_equal(stat, 9);
    assert_false(vcf_status_is_structural(VCF_OK));
    assert_false(vcf_status_is_rule(VCF_E_NOSPACE));
}

static void test_format(void **state)
{
    (void)state;
    char line[256];
    vcf_error e = {VCF_E_SIZE_MISMATCH,
                   "msg_size",
                   6,
                   44,
                   48,
                   VCF_ERROR_HAS_VALUES,
                   "msg_size is larger than the buffer",
                   NULL};
    vcf_error_format(&e, line, sizeof line);
    assert_string_equal(line, "offset 6 (msg_size): size field disagrees with buffer: msg_size "
                              "is larger than the buffer (expected 44, got 48)");
    e.flags |= VCF_ERROR_HEX;
    e.actual = 0xFC;
    vcf_error_format(&e, line, sizeof line);
    assert_non_null(strstr(line, "(expected 0x2c, got 0xfc)"));
    vcf_error bare = {VCF_E_UNTERMINATED, "ns.name", 16, 0, 0, 0, NULL, NULL};
    vcf_error_format(&bare, line, sizeof line);
    assert_string_equal(line, "offset 16 (ns.name): string not NUL-terminated");
    vcf_error nofield = {VCF_E_TRAILING, NULL, 3, 0, 0, 0, NULL, NULL};
    vcf_error_format(&nofield, line, sizeof line);
    assert_string_equal(line, "offset 3 (message): trailing bytes");
    /* A rule ID goes at the end, and truncation still reports the full length. */
    bare.rule = "RPMSG-NS-08";
    int full = vcf_error_format(&bare, line, sizeof line);
    assert_string_equal(line, "offset 16 (ns.name): string not NUL-terminated [RPMSG-NS-08]");
    assert_int_equal(full, (int)strlen(line));
    char short_buf[50];
    assert_int_equal(vcf_error_format(&bare, short_buf, sizeof short_buf), full);
    assert_int_equal(strlen(short_buf), sizeof short_buf - 1);
    /* snprintf semantics: never overflows, reports the full length */
    char tiny[8];
    int need = vcf_error_format(&e, tiny, sizeof tiny);
    assert_true(need > (int)sizeof tiny);
    assert_int_equal(strlen(tiny), sizeof tiny - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_are_unique_and_known),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
