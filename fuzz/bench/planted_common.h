/* SPDX-License-Identifier: MIT */
/*
 * vconform fuzzing: what the planted-bug targets of the mutator benchmark share
 * (fuzz/bench/mutator-bench.sh, docs/fuzzing-mutator.md).
 *
 * Each target is a small, realistic receive path with one length bug planted in it. They crash
 * by design, so they are built only in the libfuzzer and afl engines and are not vcf_add_fuzzer
 * targets. The bug is detected by an explicit bounds check on the copy, standing in for what
 * AddressSanitizer would report, so that builds without a sanitizer (the AFL++ engine) find it
 * too and every engine stops at the same condition.
 */
#ifndef VCF_BENCH_PLANTED_COMMON_H
#define VCF_BENCH_PLANTED_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"

static inline uint32_t planted_ld16(const uint8_t *p, int be)
{
    return be ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline uint32_t planted_ld32(const uint8_t *p, int be)
{
    return be ? planted_ld16(p, 1) << 16 | planted_ld16(p + 2, 1)
              : planted_ld16(p, 0) | planted_ld16(p + 2, 0) << 16;
}

/* memcpy(dst, src, n) where src has `avail` readable bytes and dst `room` writable ones: a
 * finding when the copy would leave either (the planted bug went off). */
static inline void planted_copy(uint8_t *dst, size_t room, const uint8_t *src, size_t avail,
                                size_t n, const char *what)
{
    if (n > avail || n > room)
        vcf_fuzz_finding("%s: copies %zu bytes from a buffer of %zu (into %zu)", what, n, avail,
                         room);
    memcpy(dst, src, n);
}

#endif /* VCF_BENCH_PLANTED_COMMON_H */
