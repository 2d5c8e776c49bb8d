/* SPDX-License-Identifier: MIT */
/*
 * vconform fuzzing: the structure-aware mutator as libFuzzer's custom mutator.
 *
 * Compiled into every target of the libfuzzer engine (fuzz/CMakeLists.txt, vcf_add_fuzzer) with
 * VCF_FUZZ_TARGET_FORMAT set to the target's input format.
 *
 *   LLVMFuzzerCustomMutator    one vcf_mutate() call; the byte-level share goes to
 *                              LLVMFuzzerMutate (libFuzzer's own mutations, dictionaries and
 *                              CMP tracing included)
 *   LLVMFuzzerCustomCrossOver  scripts and adapter-frame streams: a splice at record or frame
 *                              boundaries; other formats: a plain two-point splice that keeps
 *                              the first input's parameter byte
 *
 * VCF_FUZZ_MUTATOR=off in the environment turns both into libFuzzer's default mutation (no
 * rebuild), the baseline of fuzz/bench/mutator-bench.sh.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "mutator.h"
#include "script.h"

#ifndef VCF_FUZZ_TARGET_FORMAT
#define VCF_FUZZ_TARGET_FORMAT VCF_FMT_RAW
#endif
#ifndef VCF_FUZZ_TARGET_NAME
#define VCF_FUZZ_TARGET_NAME "?"
#endif

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size,
                                 unsigned int seed);

/* 1: VCF_FUZZ_MUTATOR=off (read once; this file is per process, the mutator core keeps no
 * state of its own). */
static int mutator_off(void)
{
    static int off = -1;
    if (off < 0) {
        const char *e = getenv("VCF_FUZZ_MUTATOR");
        off = e && (strcmp(e, "off") == 0 || strcmp(e, "0") == 0);
        fprintf(stderr, "vconform fuzz %s: %s mutation (format %s)\n", VCF_FUZZ_TARGET_NAME,
                off ? "libFuzzer default" : "structure-aware",
                vcf_fuzz_format_name(VCF_FUZZ_TARGET_FORMAT));
    }
    return off;
}

static size_t engine_bytes(uint8_t *buf, size_t len, size_t max, void *ctx)
{
    (void)ctx;
    return LLVMFuzzerMutate(buf, len, max);
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    if (mutator_off())
        return LLVMFuzzerMutate(data, size, max_size);
    vcf_mutator m;
    vcf_mutator_init(&m, VCF_FUZZ_TARGET_FORMAT, seed);
    m.bytes = engine_bytes;
    return vcf_mutate(&m, data, size, max_size, NULL, 0);
}

/* Record or frame boundaries of a sequence: offsets where a unit starts, and the end of the
 * last whole one. Returns how many were stored (the first entry is where units begin). */
static size_t boundaries(const uint8_t *buf, size_t len, size_t *at, size_t cap)
{
    size_t n = 0;
    if (VCF_FUZZ_TARGET_FORMAT == VCF_FMT_SCRIPT) {
        vcf_script_head h;
        vcf_script_cursor cur;
        if (vcf_script_open(buf, len, &h, &cur) != 0)
            return 0;
        vcf_script_rec rec;
        at[n++] = cur.pos;
        while (n < cap && vcf_script_next(&cur, &rec) == 1)
            at[n++] = cur.pos;
        return n;
    }
    /* adapter frames: u32 little-endian length of what follows */
    size_t pos = 0;
    at[n++] = 0;
    while (n < cap && len - pos >= 8) {
        uint32_t l = (uint32_t)buf[pos] | (uint32_t)buf[pos + 1] << 8 |
                     (uint32_t)buf[pos + 2] << 16 | (uint32_t)buf[pos + 3] << 24;
        if (l < 4 || l > len - pos - 4)
            break;
        pos += 4 + (size_t)l;
        at[n++] = pos;
    }
    return n;
}

static uint32_t next_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size, unsigned int seed)
{
    if (max_out_size == 0 || size1 == 0)
        return 0;
    size_t n1 = size1 < max_out_size ? size1 : max_out_size;
    if (mutator_off()) {
        /* the baseline: every mutation is one of libFuzzer's own */
        memcpy(out, data1, n1);
        return LLVMFuzzerMutate(out, n1, max_out_size);
    }
    uint32_t r = seed ? seed : 0x9E3779B9u;
    bool sequence =
        VCF_FUZZ_TARGET_FORMAT == VCF_FMT_SCRIPT || VCF_FUZZ_TARGET_FORMAT == VCF_FMT_ADAPTER_FRAME;
    /* a single message gains little from a splice: leave most turns to the mutator
     * (returning 0 makes libFuzzer pick another mutation) */
    if (next_rand(&r) % (sequence ? 2u : 4u) != 0)
        return 0;
    size_t cut1, cut2;
    if (sequence) {
        size_t a[64], b[64];
        size_t na = boundaries(data1, size1, a, 64), nb = boundaries(data2, size2, b, 64);
        if (na == 0 || nb == 0)
            return 0;
        /* data1's head and first records, then data2's records from one of its boundaries */
        cut1 = a[next_rand(&r) % na];
        cut2 = b[next_rand(&r) % nb];
    } else {
        size_t keep = VCF_FUZZ_TARGET_FORMAT == VCF_FMT_RAW ? 0 : 1; /* parameter byte */
        if (size1 <= keep || size2 <= keep)
            return 0;
        cut1 = keep + next_rand(&r) % (size1 - keep + 1);
        cut2 = keep + next_rand(&r) % (size2 - keep);
    }
    if (cut1 > n1)
        cut1 = n1;
    memcpy(out, data1, cut1);
    size_t rest = size2 - cut2;
    if (rest > max_out_size - cut1)
        rest = max_out_size - cut1;
    memcpy(out + cut1, data2 + cut2, rest);
    return cut1 + rest ? cut1 + rest : 0;
}
