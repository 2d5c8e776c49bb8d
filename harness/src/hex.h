/* SPDX-License-Identifier: MIT */
/*
 * Hex text to bytes, with the position of the first problem.
 */
#ifndef VCF_CLI_HEX_H
#define VCF_CLI_HEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct vcf_cli_hex_error {
    size_t column;    /* 1-based character position in the text */
    const char *what; /* what was wrong, static storage */
} vcf_cli_hex_error;

/*
 * Parse hex digits into bytes. Bytes may be written together ("0004") or apart ("00 04");
 * whitespace, ':', ',', '|', '-' and '_' separate groups, a group may start with "0x", and
 * every group holds whole bytes. '#' starts a comment that runs to the end of the text.
 * Returns the number of bytes, or -1 with *err set (an invalid character, a group with an odd
 * number of digits, or more than cap bytes).
 */
long vcf_cli_hex_parse(const char *text, uint8_t *out, size_t cap, vcf_cli_hex_error *err);

/* The value of one hex digit (either case), or -1. */
int vcf_cli_hex_digit(int c);

/*
 * Plain hex as vector files and parameters hold it: n characters, two digits per byte, no
 * separators. Returns the number of bytes, or -1 with *bad set to the index of the first
 * character that is not a hex digit, or to n when the digits are odd in number or the bytes
 * do not fit in cap.
 */
long vcf_cli_hex_decode(const char *s, size_t n, uint8_t *out, size_t cap, size_t *bad);

/* n bytes as 2n lower-case hex digits and a NUL (out holds 2n + 1 bytes). */
void vcf_cli_hex_encode(const uint8_t *p, size_t n, char *out);

#endif /* VCF_CLI_HEX_H */
