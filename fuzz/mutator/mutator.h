/* SPDX-License-Identifier: MIT */
/*
 * vconform fuzzing: the structure-aware mutator for length and byte-order fields.
 *
 * Engines mutate bytes; these protocols break on fields. The mutator parses its input in one of
 * the formats of fuzz/common/fuzz.h (a codec target's parameter byte and message, or a script
 * whose INJECT records hold messages of the script's role), picks a field the layout knows, and
 * rewrites it on purpose:
 *
 *   - swaps the byte order of a 16/32/64-bit field (or of every field: the other link order);
 *   - drives a length or size field to a boundary: 0, one under the header, exact, exact +/- 1,
 *     the buffer size, the field's maximum, a value that disagrees with the real length;
 *   - sets reserved and must-be-zero bits and bytes;
 *   - resizes the payload while keeping the header (or keeping it consistent);
 *   - in scripts, splices records between scripts, duplicates, drops and reorders them, and
 *     fixes a record's own length so the mutation lands inside the message, not in framing.
 *
 * It never "repairs" the field it broke. The same core is wrapped as LLVMFuzzerCustomMutator
 * (libfuzzer_glue.c, per target) and as an AFL++ 4.04c custom mutator (afl_mutator.c, one
 * shared object; the format comes from VCF_FUZZ_FORMAT).
 *
 * No global state: everything lives in vcf_mutator, and the same seed gives the same mutation.
 */
#ifndef VCF_FUZZ_MUTATOR_H
#define VCF_FUZZ_MUTATOR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vcf_fuzz_format {
    VCF_FMT_RAW = 0,           /* no structure known: byte-level mutation only */
    VCF_FMT_RPMSG_FRAME = 1,   /* fuzz.h: parameter byte, then an RPMsg buffer */
    VCF_FMT_RPMSG_NS = 2,      /* fuzz.h: parameter byte, then a name-service payload */
    VCF_FMT_VMSG = 3,          /* fuzz.h: parameter byte, then one virtio-msg message */
    VCF_FMT_SCRIPT = 4,        /* script.h */
    VCF_FMT_ADAPTER_FRAME = 5, /* a stream of stdio adapter-protocol frames (frame.h) */
    VCF_FMT_CAPTURE = 6,       /* one capture record: exported-PDU tags, pseudo-header, message */
    VCF_FMT_COUNT
} vcf_fuzz_format;

/* "raw", "rpmsg-frame", "rpmsg-ns", "vmsg", "script", "adapter-frame", "capture" */
const char *vcf_fuzz_format_name(vcf_fuzz_format fmt);
/* 0 and *out set, or -1 for an unknown name. */
int vcf_fuzz_format_parse(const char *name, vcf_fuzz_format *out);

/* An engine's own byte-level mutation (LLVMFuzzerMutate, or NULL for the built-in one):
 * mutate buf (len bytes, room for max) in place and return the new length. */
typedef size_t (*vcf_byte_mutator_fn)(uint8_t *buf, size_t len, size_t max, void *ctx);

typedef struct vcf_mutator {
    vcf_fuzz_format format;
    uint64_t rng;              /* xorshift state */
    vcf_byte_mutator_fn bytes; /* optional */
    void *bytes_ctx;
    unsigned structure_percent; /* share of calls that mutate a field (default 80); the rest
                                 * go to the byte-level mutator */
    char last[96];              /* what the last call did: "vmsg.msg_size=exact+1", ... */
} vcf_mutator;

void vcf_mutator_init(vcf_mutator *m, vcf_fuzz_format format, uint64_t seed);

/*
 * Mutate buf (len bytes, room for max) in place and return the new length (<= max, and > 0
 * when max > 0). other/other_len: a second input to splice from (may be NULL). Never reads or
 * writes outside the buffers, whatever they hold.
 */
size_t vcf_mutate(vcf_mutator *m, uint8_t *buf, size_t len, size_t max, const uint8_t *other,
                  size_t other_len);

#ifdef __cplusplus
}
#endif

#endif /* VCF_FUZZ_MUTATOR_H */
