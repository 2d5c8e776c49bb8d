/* SPDX-License-Identifier: MIT */
#include "hex.h"

#include <string.h>

static int hexval(char c)
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
            int v = hexval(text[i]);
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
