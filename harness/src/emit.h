/* SPDX-License-Identifier: MIT */
/*
 * Field visitors that print a decoded message: as indented text, or as a jansson JSON tree.
 * Both take every field from the model's describe functions, so the CLI never hard-codes a
 * field name or an offset.
 */
#ifndef VCF_CLI_EMIT_H
#define VCF_CLI_EMIT_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "vconform/describe.h"
#include "vconform/error.h"
#include "vconform/rpmsg.h"
#include "vconform/vmsg.h"

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

/* Print j on one compact line (members in insertion order) to standard output; takes the
 * reference. */
void vcf_cli_json_puts(json_t *j);

/* ---- one message decoded by the model (vconform decode, vconform pcap decode) ---- */

typedef enum vcf_cli_proto { VCF_CLI_PROTO_RPMSG = 1, VCF_CLI_PROTO_VMSG = 2 } vcf_cli_proto;

#define VCF_CLI_MAX_VIOLATIONS 32 /* violations listed per message; the count covers all */

typedef struct vcf_cli_decoded {
    vcf_cli_proto proto;
    vcf_rpmsg_params rp; /* the parameters it was read with (the other protocol's unused) */
    vcf_vmsg_params vp;
    size_t len;       /* bytes decoded */
    bool parsed;      /* false: malformed, error is the parse error */
    bool nonstandard; /* parsed, but a recognised non-standard message: error says why */
    vcf_error error;
    vcf_error errs[VCF_CLI_MAX_VIOLATIONS];
    size_t nerrs; /* rule violations found (errs holds the first VCF_CLI_MAX_VIOLATIONS) */
    vcf_rpmsg_msg rmsg;
    vcf_vmsg_msg vmsg;
    char summary[96]; /* the JSON "message": "name-service", "GET_DEVICE_INFO request", ... */
    char title[160];  /* the text heading: "rpmsg data message, 21 bytes, le" */
} vcf_cli_decoded;

/* Parse and check one message (buf must outlive d). Returns its exit status: VCF_CLI_EXIT_OK,
 * _VIOLATION, or _MALFORMED (parse error or non-standard). */
int vcf_cli_decode_message(vcf_cli_decoded *d, vcf_cli_proto proto, const vcf_rpmsg_params *rp,
                           const vcf_vmsg_params *vp, const uint8_t *buf, size_t len);

/* "rpmsg" or "virtio-msg" */
const char *vcf_cli_proto_name(vcf_cli_proto proto);

/* "ok", "violation", "non-standard" or "malformed" */
const char *vcf_cli_decoded_status(const vcf_cli_decoded *d);

/* {"byte_order", "ns"} or {"revision", "max_msg_size", "allow_padding"} */
json_t *vcf_cli_decoded_params_json(const vcf_cli_decoded *d);

/* Add "status", then (parsed messages) "message" and "fields", then "errors" to j. */
void vcf_cli_decoded_json(const vcf_cli_decoded *d, json_t *j);

/* A parsed message as text: the title, every field, then "result: ..." and the violations.
 * A malformed message prints "result: malformed: <error>". */
void vcf_cli_decoded_text(const vcf_cli_decoded *d, FILE *out);

#endif /* VCF_CLI_EMIT_H */
