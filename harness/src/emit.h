/* SPDX-License-Identifier: MIT */
/*
 * Field visitors that print a decoded message: as indented text, or as a jansson JSON tree.
 * Both take every field from the model's describe functions, so the CLI never hard-codes a
 * field name or an offset.
 */
#ifndef VCF_CLI_EMIT_H
#define VCF_CLI_EMIT_H

#include <stdio.h>

#include <jansson.h>

#include "vconform/describe.h"
#include "vconform/error.h"

/* ---- text ---- */

typedef struct vcf_cli_text {
    FILE *out;
    int depth;
    long array_index; /* index of the next element while inside an array, else -1 */
} vcf_cli_text;

void vcf_cli_text_init(vcf_cli_text *t, FILE *out);
void vcf_cli_text_field(void *ctx, const vcf_field *f);

/* ---- JSON ---- */

#define VCF_CLI_JSON_DEPTH 8

typedef struct vcf_cli_json {
    json_t *stack[VCF_CLI_JSON_DEPTH]; /* objects and arrays being filled; [0] is the root */
    int depth;
} vcf_cli_json;

/* Fill root (a JSON object) with one member per field. */
void vcf_cli_json_init(vcf_cli_json *j, json_t *root);
void vcf_cli_json_field(void *ctx, const vcf_field *f);

/* {"code", "class", "field", "offset", ["expected", "actual"], "detail", "text"} */
json_t *vcf_cli_error_json(const vcf_error *e);

/* Unsigned value as a JSON number, or as a "0x..." string above 2^53 (where JSON readers start
 * losing precision). */
json_t *vcf_cli_json_uint(uint64_t v);

#endif /* VCF_CLI_EMIT_H */
