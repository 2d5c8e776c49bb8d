/* SPDX-License-Identifier: MIT */
/*
 * vconform: result codes and the decode error record shared by every codec.
 *
 * A decoder either produces a typed value or fills a vcf_error that names the wire field, its
 * byte offset from the start of the message, and what was wrong. Errors come in two classes:
 *
 *   structural  the bytes cannot be read as the message at all (truncated, trailing bytes, a
 *               size field that disagrees with the buffer, an undefined message ID); no typed
 *               value exists;
 *   rule        the value decoded, but a field breaks a wire rule (reserved bits set, a
 *               must-be-zero field non-zero, a count that is not a multiple of 8, ...); the
 *               typed value is still filled in, so a receiver that must ignore the field can
 *               go on using it.
 */
#ifndef VCONFORM_ERROR_H
#define VCONFORM_ERROR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vcf_status {
    VCF_OK = 0,

    /* structural */
    VCF_E_TRUNCATED = -1,     /* the message ends inside a field */
    VCF_E_TRAILING = -2,      /* bytes after the end of the message */
    VCF_E_SIZE_MISMATCH = -3, /* a size or count field disagrees with the buffer */
    VCF_E_SIZE_RANGE = -4,    /* a size field is below the smallest legal value */
    VCF_E_UNKNOWN_ID = -5,    /* message ID not defined, or reserved, in this revision */
    VCF_E_BAD_KIND = -6,      /* a type/ID pair that cannot exist (a response to an event) */
    VCF_E_NONSTANDARD = -7,   /* a recognised non-standard variant, not a standard message */

    /* rule */
    VCF_E_RESERVED = -20,     /* reserved bits set, or a reserved value used */
    VCF_E_MBZ = -21,          /* a must-be-zero field or padding is non-zero */
    VCF_E_ALIGN = -22,        /* a count or offset is not a multiple of what it must be */
    VCF_E_RANGE = -23,        /* a value outside the range its rule allows */
    VCF_E_UNTERMINATED = -24, /* a string field has no terminating NUL */
    VCF_E_TOO_LARGE = -25,    /* the message exceeds the maximum message size */

    /* API */
    VCF_E_NOSPACE = -40, /* the output buffer is too small */
    VCF_E_INVAL = -41,   /* invalid argument */

    /* state (reference models: why a message was dropped or a request refused) */
    VCF_E_NOTFOUND = -60,    /* no such endpoint, channel or destination */
    VCF_E_INUSE = -61,       /* the address is already bound */
    VCF_E_EXHAUSTED = -62,   /* no free address, or no room for another entry */
    VCF_E_DUPLICATE = -63,   /* already known: a repeated announcement */
    VCF_E_AGAIN = -64,       /* no transmit buffer is free */
    VCF_E_UNSUPPORTED = -65, /* the feature this needs was not negotiated */
    VCF_E_STATE = -66,       /* not allowed in the current device or driver state */
    VCF_E_MISMATCH = -67,    /* a response that does not match its request */
    VCF_E_TIMEOUT = -68      /* the response never came */
} vcf_status;

/* vcf_error.flags */
#define VCF_ERROR_HAS_VALUES 0x1u /* expected and actual are meaningful */
#define VCF_ERROR_HEX        0x2u /* show expected and actual in hexadecimal */

typedef struct vcf_error {
    vcf_status code;
    const char *field;  /* wire field name ("msg_size", "ns.name"), static storage */
    size_t offset;      /* byte offset of the field from the start of the message */
    uint64_t expected;  /* the value the rule wants (see flags) */
    uint64_t actual;    /* the value found */
    unsigned flags;     /* VCF_ERROR_HAS_VALUES */
    const char *detail; /* the rule in words, static storage; may be NULL */
    const char *rule;   /* catalogue ID of the rule broken ("RPMSG-HDR-08"), or NULL */
} vcf_error;

/* Stable lower-case identifier of a status ("truncated", "must-be-zero", ...), for JSON and logs.
 */
const char *vcf_status_name(int code);

/* One-phrase description of a status ("message truncated", ...). */
const char *vcf_status_text(int code);

/* Non-zero if code is a structural error (no typed value could be produced). */
int vcf_status_is_structural(int code);

/* Non-zero if code is a rule error (typed value produced, a field breaks a wire rule). */
int vcf_status_is_rule(int code);

/* Non-zero if code is a state error (the model's state forbids the message or request). */
int vcf_status_is_state(int code);

/*
 * Format an error as one line without a trailing newline, for example:
 *   "offset 6 (msg_size): size field disagrees with buffer: msg_size must equal the buffer
 *    length (expected 44, got 48)"
 * followed by " [RULE-ID]" when the error names a catalogue rule.
 * Behaves like snprintf: returns the length the full text needs; writes at most cap bytes
 * including the terminating NUL.
 */
int vcf_error_format(const vcf_error *err, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* VCONFORM_ERROR_H */
