/* SPDX-License-Identifier: MIT */
/*
 * vconform fuzzing: scripts, the input format of the state-machine and differential targets.
 *
 * A script is what a harness case is, as bytes a fuzzer can mutate: a role, the group's
 * parameters, then stimuli (messages injected from the peer, upper-layer actions) in order.
 * Everything is little-endian and unaligned; docs/fuzzing.md has the same table.
 *
 *   off  size  field
 *    0    1    role        vcf_iut_role (targets with a fixed role ignore it)
 *    1    2    plen        length of the parameter text
 *    3  plen   params      "key=value" lines separated by '\n' (group parameters, PARAMS.txt)
 *   then records, each starting with an op byte:
 *
 *   0x01 INJECT   u8 channel, u16 len, u16 used_len (0: len), u16 capacity (0: the group's
 *                 buf_size), then len message bytes
 *   0x02 ACTION   u16 kind (vcf_action_kind), 4 x u32 args, u16 dlen, then dlen data bytes
 *   0x03 PATCH    u16 msg, u16 from, u16 to, u8 n: before the next INJECT, copy n bytes at
 *                 offset from of the msg-th message the implementation emitted (0-based,
 *                 counting every message since the reset) to offset to of the injected bytes.
 *                 This is how a stimulus echoes a token or an address the implementation
 *                 chose (vectors: "copy"); a patch that does not fit is skipped.
 *
 * A script ends at its last byte, at an unknown op, or at a record cut short; what came
 * before still runs. Nothing about a script can be invalid in a way that stops the parser
 * from reading it, so every mutation is a test.
 */
#ifndef VCF_FUZZ_SCRIPT_H
#define VCF_FUZZ_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vconform/adapter.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VCF_SCRIPT_HEAD_SIZE 3u

#define VCF_SCRIPT_OP_INJECT 0x01u
#define VCF_SCRIPT_OP_ACTION 0x02u
#define VCF_SCRIPT_OP_PATCH  0x03u

/* Record sizes before their variable part (op byte included). */
#define VCF_SCRIPT_INJECT_FIXED 8u  /* op, channel, len, used_len, capacity */
#define VCF_SCRIPT_ACTION_FIXED 21u /* op, kind, 4 args, dlen */
#define VCF_SCRIPT_PATCH_SIZE   8u  /* op, msg, from, to, n */

/* Limits a player applies (a script longer than this is cut there). */
#define VCF_SCRIPT_MAX_RECORDS 512u
#define VCF_SCRIPT_MAX_PARAMS  64u /* parameters kept from the text */

typedef struct vcf_script_head {
    uint32_t role;
    const char *params; /* the parameter text, not NUL-terminated (a view into the script) */
    size_t params_len;
} vcf_script_head;

typedef struct vcf_script_rec {
    uint8_t op;    /* VCF_SCRIPT_OP_* */
    size_t offset; /* where the record starts in the script */
    size_t size;   /* bytes it takes, op byte included */
    /* INJECT */
    uint32_t channel;
    uint32_t used_len; /* 0: len */
    uint32_t capacity; /* 0: the group's buf_size */
    /* ACTION */
    uint32_t kind;
    uint32_t args[VCF_ADAPTER_ARG_MAX];
    /* INJECT and ACTION: message bytes or action data (a view into the script) */
    const uint8_t *data;
    size_t len;
    /* PATCH */
    uint32_t msg, from, to, n;
} vcf_script_rec;

typedef struct vcf_script_cursor {
    const uint8_t *buf;
    size_t len;
    size_t pos;
} vcf_script_cursor;

/* Read the head. 0 with *head and *cur set, or -1 when the script is shorter than its head
 * or its parameter text. */
int vcf_script_open(const uint8_t *buf, size_t len, vcf_script_head *head, vcf_script_cursor *cur);

/* The next record: 1 with *rec filled, 0 at the end (last byte, unknown op, or a record cut
 * short: cur->pos then says where it stopped). */
int vcf_script_next(vcf_script_cursor *cur, vcf_script_rec *rec);

/*
 * Split parameter text into key/value pairs: each line "key=value" ('\n'-separated; a line
 * without '=' or with an empty key is skipped; a NUL byte ends the text). Strings are copied
 * into storage (NUL-terminated). Returns the number of pairs stored in out (at most cap and
 * what storage holds).
 */
size_t vcf_script_params(const char *text, size_t len, char *storage, size_t storage_len,
                         vcf_adapter_param *out, size_t cap);

/* Writing scripts into a caller's buffer. Every call appends; when the buffer is too small
 * nothing more is written and overflow is set. */
typedef struct vcf_script_writer {
    uint8_t *buf;
    size_t cap;
    size_t len;
    bool overflow;
} vcf_script_writer;

void vcf_script_writer_init(vcf_script_writer *w, uint8_t *buf, size_t cap);
/* The head. params: n key/value pairs written as "k=v" lines. */
void vcf_script_begin(vcf_script_writer *w, uint32_t role, const vcf_adapter_param *params,
                      size_t n);
void vcf_script_inject(vcf_script_writer *w, uint32_t channel, const uint8_t *data, size_t len,
                       uint32_t used_len, uint32_t capacity);
void vcf_script_action(vcf_script_writer *w, uint32_t kind,
                       const uint32_t args[VCF_ADAPTER_ARG_MAX], const uint8_t *data, size_t len);
void vcf_script_patch(vcf_script_writer *w, uint32_t msg, uint32_t from, uint32_t to, uint32_t n);

#ifdef __cplusplus
}
#endif

#endif /* VCF_FUZZ_SCRIPT_H */
