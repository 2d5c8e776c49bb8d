/* SPDX-License-Identifier: MIT */
/*
 * vconform: a field visitor over decoded messages.
 *
 * vcf_rpmsg_describe() and vcf_vmsg_describe() walk a decoded message and hand every wire field
 * to a callback, in wire order, with its name, byte offset, size and value, plus a symbolic
 * meaning where one exists ("GET_VQUEUE", "ACKNOWLEDGE|DRIVER", "devices 0, 2, 5"). The CLI
 * prints from it and the dissector registers fields from it, so field names and offsets are
 * defined once, next to the codecs.
 */
#ifndef VCONFORM_DESCRIBE_H
#define VCONFORM_DESCRIBE_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vcf_field_kind {
    VCF_FIELD_UINT,   /* unsigned integer: value */
    VCF_FIELD_BYTES,  /* opaque bytes: bytes */
    VCF_FIELD_STRING, /* fixed-size character field, possibly unterminated: bytes */
    VCF_FIELD_BEGIN,  /* start of a group (name) or of an array (is_array) */
    VCF_FIELD_END     /* end of the innermost group or array */
} vcf_field_kind;

typedef struct vcf_field {
    vcf_field_kind kind;
    const char *name;    /* stable key: "msg_size", "features", "ns" */
    const char *label;   /* human label: "Message size" */
    size_t offset;       /* first byte of the field in the message */
    size_t size;         /* bytes the field covers (groups: the whole group) */
    uint64_t value;      /* VCF_FIELD_UINT */
    vcf_bytes bytes;     /* VCF_FIELD_BYTES / VCF_FIELD_STRING */
    int hex;             /* display hint: show value in hexadecimal */
    int is_array;        /* VCF_FIELD_BEGIN: the group is an array of unnamed elements */
    const char *meaning; /* symbolic meaning or NULL; valid only during the callback */
} vcf_field;

typedef void (*vcf_field_fn)(void *ctx, const vcf_field *field);

#ifdef __cplusplus
}
#endif

#endif /* VCONFORM_DESCRIBE_H */
