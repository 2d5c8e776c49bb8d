/* SPDX-License-Identifier: MIT */
/*
 * Internal: explicit-byte-order loads and stores, and error helpers. Not installed.
 *
 * Every multi-byte field is assembled from single bytes with shifts, so the result does not
 * depend on the host's byte order or alignment. The compiler turns these patterns into plain
 * (and, on big-endian hosts, byte-reversing) loads.
 *
 * VCF_FAULT_HOST_ENDIAN replaces the little-endian loads with a native-order memcpy: the bug
 * this project exists to catch. Only the big-endian canary build defines it, to prove that the
 * s390x suite fails when a codec reads the wire in host order.
 */
#ifndef VCF_WIRE_INTERNAL_H
#define VCF_WIRE_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "vconform/error.h"
#include "vconform/wire.h"

/* Force inlining of the hot-path helpers that specialise on a constant argument. */
#if defined(__GNUC__)
#define VCF_ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define VCF_ALWAYS_INLINE static inline
#endif

static inline uint16_t vcf_ld16le(const uint8_t *p)
{
#ifdef VCF_FAULT_HOST_ENDIAN
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
#else
    return (uint16_t)((unsigned)p[0] | ((unsigned)p[1] << 8));
#endif
}

static inline uint32_t vcf_ld32le(const uint8_t *p)
{
#ifdef VCF_FAULT_HOST_ENDIAN
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
#else
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
#endif
}

static inline uint64_t vcf_ld64le(const uint8_t *p)
{
    return (uint64_t)vcf_ld32le(p) | ((uint64_t)vcf_ld32le(p + 4) << 32);
}

static inline uint16_t vcf_ld16be(const uint8_t *p)
{
    return (uint16_t)(((unsigned)p[0] << 8) | (unsigned)p[1]);
}

static inline uint32_t vcf_ld32be(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline uint16_t vcf_ld16(const uint8_t *p, vcf_byte_order order)
{
    return order == VCF_BIG_ENDIAN ? vcf_ld16be(p) : vcf_ld16le(p);
}

static inline uint32_t vcf_ld32(const uint8_t *p, vcf_byte_order order)
{
    return order == VCF_BIG_ENDIAN ? vcf_ld32be(p) : vcf_ld32le(p);
}

static inline void vcf_st16le(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void vcf_st32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void vcf_st64le(uint8_t *p, uint64_t v)
{
    vcf_st32le(p, (uint32_t)v);
    vcf_st32le(p + 4, (uint32_t)(v >> 32));
}

static inline void vcf_st16be(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void vcf_st32be(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline void vcf_st16(uint8_t *p, uint16_t v, vcf_byte_order order)
{
    if (order == VCF_BIG_ENDIAN)
        vcf_st16be(p, v);
    else
        vcf_st16le(p, v);
}

static inline void vcf_st32(uint8_t *p, uint32_t v, vcf_byte_order order)
{
    if (order == VCF_BIG_ENDIAN)
        vcf_st32be(p, v);
    else
        vcf_st32le(p, v);
}

#if defined(__GNUC__)
#define VCF_COLD     __attribute__((cold, noinline))
#define VCF_NOINLINE __attribute__((noinline))
#else
#define VCF_COLD
#define VCF_NOINLINE
#endif

/* Tell the optimizer a condition holds (no code is generated for it). */
#if defined(__GNUC__)
#define VCF_ASSUME(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_unreachable();                                                               \
    } while (0)
#else
#define VCF_ASSUME(cond) ((void)0)
#endif

/* Return the result of a cold error constructor, which is always negative. Saying so lets an
 * inlined caller's `if (rc != VCF_OK) return rc;` fold into a tail call. */
#define VCF_RETURN_ERROR(expr)                                                                     \
    do {                                                                                           \
        int vcf_rc_ = (expr);                                                                      \
        VCF_ASSUME(vcf_rc_ < 0);                                                                   \
        return vcf_rc_;                                                                            \
    } while (0)

/* Fill *err (if not NULL) and return code. Out of line and cold: error paths stay out of the
 * decoders' hot code. */
VCF_COLD int vcf_fail(vcf_error *err, vcf_status code, const char *field, size_t offset,
                      const char *detail);

/* As vcf_fail(), with the expected and actual values. */
VCF_COLD int vcf_failv(vcf_error *err, vcf_status code, const char *field, size_t offset,
                       const char *detail, uint64_t expected, uint64_t actual);

/* Collector for vcf_*_check(): keeps the first cap problems and counts all of them. */
typedef struct vcf_errlist {
    vcf_error *errs;
    size_t cap;
    size_t count;
} vcf_errlist;

static inline vcf_error *vcf_errlist_next(vcf_errlist *l)
{
    vcf_error *slot = l->count < l->cap ? &l->errs[l->count] : NULL;
    l->count++;
    return slot;
}

/* Record a problem without values. A list with cap 0 only counts, so the checks can run on the
 * hot path as plain comparisons. */
static inline vcf_error *vcf_errlist_add(vcf_errlist *l, vcf_status code, const char *field,
                                         size_t offset, const char *detail)
{
    vcf_error *e = vcf_errlist_next(l);
    if (e)
        (void)vcf_fail(e, code, field, offset, detail);
    return e;
}

/* Record a problem with the value the rule wants and the value found. */
static inline vcf_error *vcf_errlist_addv(vcf_errlist *l, vcf_status code, const char *field,
                                          size_t offset, const char *detail, uint64_t expected,
                                          uint64_t actual)
{
    vcf_error *e = vcf_errlist_next(l);
    if (e)
        (void)vcf_failv(e, code, field, offset, detail, expected, actual);
    return e;
}

/* As vcf_errlist_addv(), shown in hexadecimal (bit masks, reserved words). */
static inline vcf_error *vcf_errlist_addx(vcf_errlist *l, vcf_status code, const char *field,
                                          size_t offset, const char *detail, uint64_t expected,
                                          uint64_t actual)
{
    vcf_error *e = vcf_errlist_next(l);
    if (e) {
        (void)vcf_failv(e, code, field, offset, detail, expected, actual);
        e->flags |= VCF_ERROR_HEX;
    }
    return e;
}

/* Name the catalogue rule an error breaks (e may be NULL: a count-only list, or no record). */
static inline int vcf_error_rule(vcf_error *e, const char *rule, int code)
{
    if (e)
        e->rule = rule;
    return code;
}

#endif /* VCF_WIRE_INTERNAL_H */
