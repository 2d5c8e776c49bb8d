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

#endif /* VCF_CLI_HEX_H */
