/* SPDX-License-Identifier: MIT */
/*
 * vconform fuzzing: the structure-aware mutator as an AFL++ custom mutator (4.04c API).
 *
 *   AFL_CUSTOM_MUTATOR_LIBRARY=<build>/fuzz/libvcf_afl_mutator.so VCF_FUZZ_FORMAT=vmsg \
 *       afl-fuzz -i seeds -o out -- <build>/fuzz/fuzz_vmsg_msg
 *
 * VCF_FUZZ_FORMAT is a mutator.h format name (fuzz/targets.tsv has each target's); without it
 * the mutator only mutates bytes ("raw"). VCF_FUZZ_STRUCTURE_PERCENT (0..100) overrides the
 * share of structure-aware mutations (default 80).
 *
 * No AFL++ header is needed: afl-fuzz hands back the pointer afl_custom_init returned. The
 * output buffer belongs to the mutator and lives until the next call. This object is built with
 * a plain compiler, never with afl-clang-fast (fuzz/cmake/mutator.cmake): afl-fuzz itself loads
 * it, and instrumentation there would only add noise to the target's coverage map.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutator.h"

#define VCF_AFL_EXPORT    __attribute__((visibility("default")))
#define VCF_AFL_MAX_INPUT (1u << 20) /* AFL++'s MAX_FILE */

typedef struct vcf_afl_mutator {
    vcf_mutator m;
    uint8_t *out;
    size_t cap;
    char desc[128];
} vcf_afl_mutator;

VCF_AFL_EXPORT void *afl_custom_init(void *afl, unsigned int seed);
VCF_AFL_EXPORT size_t afl_custom_fuzz(void *data, unsigned char *buf, size_t buf_size,
                                      unsigned char **out_buf, unsigned char *add_buf,
                                      size_t add_buf_size, size_t max_size);
VCF_AFL_EXPORT const char *afl_custom_describe(void *data, size_t max_description_len);
VCF_AFL_EXPORT void afl_custom_deinit(void *data);

VCF_AFL_EXPORT void *afl_custom_init(void *afl, unsigned int seed)
{
    (void)afl;
    vcf_afl_mutator *st = calloc(1, sizeof(*st));
    if (!st)
        return NULL;
    vcf_fuzz_format fmt = VCF_FMT_RAW;
    const char *name = getenv("VCF_FUZZ_FORMAT");
    if (name && *name && vcf_fuzz_format_parse(name, &fmt) != 0) {
        fprintf(stderr,
                "vconform mutator: VCF_FUZZ_FORMAT=%s is not a format (raw, rpmsg-frame, "
                "rpmsg-ns, vmsg, script, adapter-frame, capture); mutating bytes only\n",
                name);
        fmt = VCF_FMT_RAW;
    }
    vcf_mutator_init(&st->m, fmt, seed);
    const char *pct = getenv("VCF_FUZZ_STRUCTURE_PERCENT");
    if (pct && *pct) {
        char *end;
        unsigned long v = strtoul(pct, &end, 10);
        if (*end == '\0' && v <= 100)
            st->m.structure_percent = (unsigned)v;
    }
    fprintf(stderr, "vconform mutator: format %s, %u%% structure-aware, seed %u\n",
            vcf_fuzz_format_name(fmt), st->m.structure_percent, seed);
    return st;
}

VCF_AFL_EXPORT size_t afl_custom_fuzz(void *data, unsigned char *buf, size_t buf_size,
                                      unsigned char **out_buf, unsigned char *add_buf,
                                      size_t add_buf_size, size_t max_size)
{
    vcf_afl_mutator *st = data;
    if (!st || !out_buf)
        return 0;
    size_t max = max_size < VCF_AFL_MAX_INPUT ? max_size : VCF_AFL_MAX_INPUT;
    if (max == 0) {
        *out_buf = buf;
        return 0; /* afl-fuzz skips this turn */
    }
    if (st->cap < max) {
        uint8_t *nb = realloc(st->out, max);
        if (!nb) {
            *out_buf = buf;
            return 0;
        }
        st->out = nb;
        st->cap = max;
    }
    size_t n = buf && buf_size ? (buf_size < max ? buf_size : max) : 0;
    if (n)
        memcpy(st->out, buf, n);
    size_t r = vcf_mutate(&st->m, st->out, n, max, add_buf, add_buf ? add_buf_size : 0);
    *out_buf = st->out;
    return r;
}

/* What the last call did, as part of a file name: afl-fuzz adds it to the names of the queue
 * entries and crashes it saves ("...,op:vcf.rpmsg.len=exact+1"). */
VCF_AFL_EXPORT const char *afl_custom_describe(void *data, size_t max_description_len)
{
    vcf_afl_mutator *st = data;
    if (!st)
        return NULL;
    size_t cap = sizeof(st->desc);
    if (max_description_len + 1 < cap)
        cap = max_description_len + 1;
    if (cap == 0)
        return NULL;
    snprintf(st->desc, cap, "op:vcf.%s", st->m.last[0] ? st->m.last : "none");
    for (char *p = st->desc; *p; p++) {
        char ch = *p;
        int keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                   (ch >= '0' && ch <= '9') || ch == '.' || ch == '=' || ch == '+' || ch == '-' ||
                   ch == '~' || ch == '_' || ch == ':';
        if (!keep)
            *p = '_';
    }
    return st->desc;
}

VCF_AFL_EXPORT void afl_custom_deinit(void *data)
{
    vcf_afl_mutator *st = data;
    if (!st)
        return;
    free(st->out);
    free(st);
}
