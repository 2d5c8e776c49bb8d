/* SPDX-License-Identifier: MIT */
#include "hex.h"

#include <string.h>

int vcf_cli_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_separator(char c)
{
    return c && strchr(" \t\r\n\v\f:,|-_", c) != NULL;
}

static long fail(vcf_cli_hex_error *err, size_t column, const char *what)
{
    err->column = column;
    err->what = what;
    return -1;
}

long vcf_cli_hex_parse(const char *text, uint8_t *out, size_t cap, vcf_cli_hex_error *err)
{
    size_t n = 0;
    size_t i = 0;
    for (;;) {
        while (is_separator(text[i]))
            i++;
        if (text[i] == 0 || text[i] == '#')
            return (long)n;
        size_t group = i;
        if (text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X'))
            i += 2;
        size_t digits = 0;
        int hi = -1;
        while (text[i] && !is_separator(text[i]) && text[i] != '#') {
            int v = vcf_cli_hex_digit((unsigned char)text[i]);
            if (v < 0)
                return fail(err, i + 1, "not a hex digit");
            if (hi < 0) {
                hi = v;
            } else {
                if (n >= cap)
                    return fail(err, i + 1, "more bytes than vconform accepts in one message");
                out[n++] = (uint8_t)(hi << 4 | v);
                hi = -1;
            }
            digits++;
            i++;
        }
        if (digits == 0)
            return fail(err, group + 1, "\"0x\" without digits");
        if (hi >= 0)
            return fail(err, group + 1, "odd number of hex digits (every group holds whole bytes)");
    }
}

long vcf_cli_hex_decode(const char *s, size_t n, uint8_t *out, size_t cap, size_t *bad)
{
    for (size_t k = 0; k < n; k++) {
        if (vcf_cli_hex_digit((unsigned char)s[k]) < 0) {
            *bad = k;
            return -1;
        }
    }
    if (n % 2 || n / 2 > cap) {
        *bad = n;
        return -1;
    }
    for (size_t k = 0; k < n / 2; k++)
        out[k] = (uint8_t)(vcf_cli_hex_digit((unsigned char)s[2 * k]) << 4 |
                           vcf_cli_hex_digit((unsigned char)s[2 * k + 1]));
    return (long)(n / 2);
}

void vcf_cli_hex_encode(const uint8_t *p, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 0xF];
    }
    out[2 * n] = '\0';
}
