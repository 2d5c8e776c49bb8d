/* SPDX-License-Identifier: MIT */
/*
 * vconform fuzzing: checks the codec targets (rpmsg_frame, rpmsg_ns, vmsg_msg) share.
 *
 *   - the describe field-walk checker: a vcf_field_fn that asserts the field visitor covers
 *     every byte of the buffer once, in wire order, inside its groups, and that each value it
 *     reports is what the bytes at its offset hold (loaded in the target's byte order);
 *   - decode = parse + check, and the shape of a structural failure;
 *   - small helpers: byte order names and loads, error comparison, explanation printing.
 *
 * Every finding names the protocol (the `proto` given, "rpmsg", "vmsg") so that messages stay
 * as they were when each target carried its own copy.
 *
 * VCF_FUZZ_CHECKS_BEGIN / VCF_FUZZ_CHECKS_END bracket a target's checking code: with clang they
 * keep it out of the coverage map, so the engine's feedback (and its bookkeeping per covered
 * edge, most of its time per input) comes from the code under test alone.
 */
#ifndef VCF_FUZZ_WALK_H
#define VCF_FUZZ_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz.h"
#include "vconform/describe.h"
#include "vconform/error.h"
#include "vconform/rpmsg.h"
#include "vconform/wire.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__clang__)
/* _Pragma takes one string literal: keep it on one line. */
/* clang-format off */
#define VCF_FUZZ_CHECKS_BEGIN \
    _Pragma("clang attribute push(__attribute__((no_sanitize(\"coverage\"))), apply_to = function)")
/* clang-format on */
#define VCF_FUZZ_CHECKS_END _Pragma("clang attribute pop")
#else
#define VCF_FUZZ_CHECKS_BEGIN
#define VCF_FUZZ_CHECKS_END
#endif

/* ---- the describe field-walk checker ---------------------------------------------------- */

#define VCF_FUZZ_WALK_DEPTH 8u

/* Bit for an integer field of n bytes in vcf_fuzz_walk.int_sizes. */
#define VCF_FUZZ_WALK_INT(n) (1u << (n))

typedef struct vcf_fuzz_walk {
    /* set by the target (vcf_fuzz_walk_init) */
    const char *proto;    /* "rpmsg", "vmsg": the prefix of every finding */
    const uint8_t *buf;   /* the buffer described */
    size_t len;           /* its size */
    vcf_byte_order order; /* how integer fields are loaded from it */
    unsigned int_sizes;   /* VCF_FUZZ_WALK_INT(n) for each allowed integer size n (<= 8) */
    int name_width;       /* column width of field names in the explanation */
    /* the walk's state */
    size_t next; /* where the next leaf field must start */
    unsigned depth;
    size_t group_off[VCF_FUZZ_WALK_DEPTH], group_end[VCF_FUZZ_WALK_DEPTH];
} vcf_fuzz_walk;

void vcf_fuzz_walk_init(vcf_fuzz_walk *w, const char *proto, const uint8_t *buf, size_t len,
                        vcf_byte_order order, unsigned int_sizes, int name_width);

/* The vcf_field_fn to pass to a describe function with ctx = the vcf_fuzz_walk. */
void vcf_fuzz_walk_field(void *ctx, const vcf_field *f);

/* After describe: every group closed, every byte covered. */
void vcf_fuzz_walk_finish(const vcf_fuzz_walk *w);

/* ---- decode = parse + check ------------------------------------------------------------- */

/* How two errors are compared: code, offset and field name, and with VCF_FUZZ_ERR_VALUES the
 * expected and actual values too. */
#define VCF_FUZZ_ERR_VALUES 1u

bool vcf_fuzz_same_error(const vcf_error *a, const vcf_error *b, unsigned how);

/* Whether errs[0..n) holds an error of that code at that offset. */
bool vcf_fuzz_has_error(const vcf_error *errs, size_t n, int code, size_t offset);

/* A parse that failed with rc/err: decode (drc/derr) must fail the same way. decode and parse
 * name the two functions in findings ("rpmsg ns_decode", "ns_parse"). */
void vcf_fuzz_check_decode_failed(const char *decode, const char *parse, int drc,
                                  const vcf_error *derr, int rc, const vcf_error *err,
                                  unsigned how);

/* A parse that succeeded and whose rule check found nproblems (first: the first of them):
 * decode gives that first problem, or succeeds when there is none. */
void vcf_fuzz_check_decode_ok(const char *decode, int drc, const vcf_error *derr, size_t nproblems,
                              const vcf_error *first, unsigned how);

/* A failed parse (what: "rpmsg parse") is structural and names an offset inside the n bytes. */
void vcf_fuzz_check_structural(const char *what, int rc, const vcf_error *err, size_t n);

/* ---- RPMsg ------------------------------------------------------------------------------ */

/* Whether two name-service payloads hold the same fields (rpmsg_frame, rpmsg_ns). */
bool vcf_fuzz_same_rpmsg_ns(const vcf_rpmsg_ns_msg *a, const vcf_rpmsg_ns_msg *b);
bool vcf_fuzz_same_rpmsg_ns_ext(const vcf_rpmsg_ns_ext *a, const vcf_rpmsg_ns_ext *b);

/* ---- helpers ----------------------------------------------------------------------------- */

/* "be" or "le". */
const char *vcf_fuzz_order_name(vcf_byte_order order);

/* The n <= 8 bytes at p as an unsigned integer in that byte order. */
uint64_t vcf_fuzz_load(const uint8_t *p, size_t n, vcf_byte_order order);

uint16_t vcf_fuzz_swap16(uint16_t v);
uint32_t vcf_fuzz_swap32(uint32_t v);

/* Explain "what: ok" or "what: <the formatted error>". */
void vcf_fuzz_explain_error(const char *what, int rc, const vcf_error *err);

/* Explain a fixed-size text field: `  label  "text"`, then whether it lacks a NUL and how many
 * non-zero bytes follow the NUL. */
void vcf_fuzz_explain_text(const char *label, const uint8_t *p, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* VCF_FUZZ_WALK_H */
