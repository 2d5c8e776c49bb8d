/* SPDX-License-Identifier: MIT */
/*
 * Hex parsing for the CLI: accepted forms and the position of every error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "hex.h"

static void expect_bytes(const char *text, const uint8_t *want, size_t n)
{
    uint8_t out[64];
    vcf_cli_hex_error err = {0, NULL};
    long got = vcf_cli_hex_parse(text, out, sizeof out, &err);
    if (got < 0)
        fail_msg("'%s': column %zu: %s", text, err.column, err.what);
    assert_int_equal(got, n);
    assert_memory_equal(out, want, n);
}

static void expect_error(const char *text, size_t column, const char *what_part)
{
    uint8_t out[8];
    vcf_cli_hex_error err = {0, NULL};
    assert_int_equal(vcf_cli_hex_parse(text, out, sizeof out, &err), -1);
    assert_int_equal(err.column, column);
    assert_non_null(strstr(err.what, what_part));
}

static void test_forms(void **state)
{
    (void)state;
    static const uint8_t b[] = {0x00, 0x04, 0xAB, 0xcd};
    expect_bytes("00 04 ab cd", b, 4);
    expect_bytes("0004abCD", b, 4);
    expect_bytes("00:04:ab:cd", b, 4);
    expect_bytes("0x00 0x04 0xab 0xcd", b, 4);
    expect_bytes("0x0004 abcd", b, 4);
    expect_bytes("  00 04 | ab-cd_\t\r\n", b, 4);
    expect_bytes("00,04,ab,cd # a comment 12", b, 4);
    expect_bytes("", b, 0);
    expect_bytes("   # only a comment", b, 0);
}

static void test_errors_name_the_column(void **state)
{
    (void)state;
    expect_error("00 0g", 5, "not a hex digit");
    expect_error("00 4 00", 4, "odd number");
    expect_error("0x", 1, "without digits");
    expect_error("00 0x 01", 4, "without digits");
    expect_error("123", 1, "odd number");
    expect_error("00 04 ab cd 01 02 03 04 05", 26, "more bytes"); /* 9th byte, cap is 8 */
}

/* Plain hex (vector files, parameters): strict digits, the place of the first problem. */
static void test_plain_decode_encode(void **state)
{
    (void)state;
    uint8_t out[4];
    size_t bad = 99;
    assert_int_equal(vcf_cli_hex_decode("00fFa5", 6, out, sizeof out, &bad), 3);
    assert_memory_equal(out, "\x00\xff\xa5", 3);
    assert_int_equal(vcf_cli_hex_decode("", 0, out, sizeof out, &bad), 0);
    assert_int_equal(vcf_cli_hex_decode("00 1", 4, out, sizeof out, &bad), -1);
    assert_int_equal(bad, 2); /* separators are not allowed here */
    assert_int_equal(vcf_cli_hex_decode("001", 3, out, sizeof out, &bad), -1);
    assert_int_equal(bad, 3); /* odd: the place is the end */
    assert_int_equal(vcf_cli_hex_decode("0011223344", 10, out, sizeof out, &bad), -1);
    assert_int_equal(bad, 10); /* more than cap */
    char text[9];
    vcf_cli_hex_encode((const uint8_t *)"\x00\xff\xa5\x10", 4, text);
    assert_string_equal(text, "00ffa510");
    assert_int_equal(vcf_cli_hex_digit('g'), -1);
    assert_int_equal(vcf_cli_hex_digit('B'), 11);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_errors_name_the_column),
        cmocka_unit_test(test_plain_decode_encode),
    };
    return cmocka_run_group_tests_name("hex", tests, NULL, NULL);
}
