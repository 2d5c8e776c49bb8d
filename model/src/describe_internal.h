/* SPDX-License-Identifier: MIT */
/*
 * Internal: helpers for the field visitors (vcf_*_describe).
 */
#ifndef VCF_DESCRIBE_INTERNAL_H
#define VCF_DESCRIBE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "vconform/describe.h"

typedef struct vcf_emitter {
    vcf_field_fn fn;
    void *ctx;
} vcf_emitter;

static inline void vcf_emit_uint(const vcf_emitter *em, const char *name, const char *label,
                                 size_t offset, size_t size, uint64_t value, int hex,
                                 const char *meaning)
{
    vcf_field f = {VCF_FIELD_UINT, name, label, offset, size, value, {NULL, 0}, hex, 0, meaning};
    em->fn(em->ctx, &f);
}

static inline void vcf_emit_bytes(const vcf_emitter *em, vcf_field_kind kind, const char *name,
                                  const char *label, size_t offset, vcf_bytes bytes,
                                  const char *meaning)
{
    vcf_field f = {kind, name, label, offset, bytes.len, 0, bytes, 0, 0, meaning};
    em->fn(em->ctx, &f);
}

static inline void vcf_emit_begin(const vcf_emitter *em, const char *name, const char *label,
                                  size_t offset, size_t size, int is_array, const char *meaning)
{
    vcf_field f = {VCF_FIELD_BEGIN, name, label, offset, size, 0, {NULL, 0}, 0, is_array, meaning};
    em->fn(em->ctx, &f);
}

static inline void vcf_emit_end(const vcf_emitter *em)
{
    vcf_field f = {VCF_FIELD_END, NULL, NULL, 0, 0, 0, {NULL, 0}, 0, 0, NULL};
    em->fn(em->ctx, &f);
}

/* Bounded text accumulator: appends until full, never overflows, always terminated. */
typedef struct vcf_textbuf {
    char *buf;
    size_t cap;
    size_t len;
} vcf_textbuf;

void vcf_text_add(vcf_textbuf *t, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void vcf_text_addf(vcf_textbuf *t, const char *fmt, ...);

#endif /* VCF_DESCRIBE_INTERNAL_H */
