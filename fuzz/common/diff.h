/* SPDX-License-Identifier: MIT */
/*
 * vconform fuzzing: comparing two plays of one script (play.h), the reference's and an
 * implementation's; the core of the differential target (fuzz/targets/diff.c,
 * docs/fuzzing-diff.md).
 *
 * What is compared, step by step (a step is one INJECT or ACTION record):
 *
 *   - the return code's class: OK, UNSUPPORTED, ERROR. An implementation that answers
 *     UNSUPPORTED (to the role, a parameter value, an action) ends the comparison with no
 *     finding: it cannot do that, it did not do it wrong. ERROR from the implementation, or a
 *     play it ended otherwise (a runaway, busy past the deadline, a malformed observation), is
 *     a finding;
 *   - actions: done (status 0) or refused (any other status), and the returned value where the
 *     adapter ABI fixes it (create: the address bound);
 *   - the messages emitted, all channels together, in order: channel, length, used length and
 *     bytes;
 *   - the events, as a multiset per step: type, the argument slots vcf_adapter_event_info()
 *     names for the type, and the data.
 *
 * Normalisations (the values two conforming implementations may legitimately choose
 * differently; the golden vectors hide the same ones, docs/vectors.md):
 *
 *   N1  RPMsg dynamic addresses. A create with address ANY may bind any address of the dynamic
 *       pool (addr_first..addr_last when the script sets them, else 1024 and up). The shim
 *       below renames the implementation's choice to the reference's, consistently, in both
 *       directions: later stimuli naming the reference's address reach the implementation's,
 *       and what the implementation emits or reports about its address is shown and compared
 *       as the reference's. An address outside the pool is not renamed, so it diverges.
 *   N2  virtio-msg tokens the implementation chooses (bytes 4..5 of the header): every message
 *       of a PR28 device or driver (the token is the bus's, opaque to both); the requests of
 *       an RFC3 driver; the bus's own GET_DEVICES and PING requests, and under PR28 the
 *       requests it relays to a device. Answers that echo such a token are built by the
 *       script's PATCH records from what each side actually sent, so they stay comparable.
 *   N3  the generation of the EVENT_CONFIG a virtio-msg device sends when it fails (whether a
 *       failure moves the generation is not said anywhere).
 *   N4  the slots of a virtio-msg driver's `done` event that the finished request does not fix
 *       (config-write: offset and length; reset-vq: index; setup-vq: index and length;
 *       get-status and reset: none).
 *   N5  `device-ready` events of a virtio-msg bus after a set-device that does not announce
 *       (platform devices: whether the upper layer hears of them is left open).
 *
 * Nothing else is normalised: in particular the readings of the virtio-msg draft's gaps
 * (the `model.*` parameters) are the reference's; compare against the matching profile or
 * reading when an implementation takes another.
 */
#ifndef VCF_FUZZ_DIFF_H
#define VCF_FUZZ_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "play.h"
#include "vconform/adapter.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- N1: the renaming shim --------------------------------------------------------------- */

#define VCF_DIFF_MAX_ALIASES 64u

/* The implementation bound impl where the reference bound ref (both answering a create with
 * address ANY at the same step). */
typedef struct vcf_diff_alias {
    uint32_t ref, impl;
    size_t step; /* where the pair was made */
} vcf_diff_alias;

/*
 * An adapter table that forwards to the implementation's and renames dynamic RPMsg addresses
 * (N1). Play the reference first, then the implementation through shim.ad: the shim counts the
 * stimuli to find the reference's answer to the same step. Missing operations of the inner
 * table (an old, smaller table) are answered UNSUPPORTED (inject, action) or "nothing" (poll).
 *
 * The shim also completes RPMsg stimuli the way the stdio protocol promises them
 * (docs/adapter-protocol.md): an injected buffer holds at least min(used_len, capacity) bytes.
 * A script may give fewer; the rest is zero, as the model reads bytes not supplied. With ref
 * NULL the shim does only that (the target wraps the reference in one too).
 */
typedef struct vcf_diff_shim {
    vcf_adapter ad; /* play against this */
    const vcf_adapter *inner;
    const vcf_play_log *ref;
    uint32_t role;
    int order; /* 0 le, 1 be: the RPMsg link (vcf_summary_order) */
    uint64_t pool_first, pool_last;
    size_t buf_size; /* RPMsg: the group's buf_size (the default capacity) */
    size_t step;     /* stimuli forwarded since the reset */
    vcf_diff_alias alias[VCF_DIFF_MAX_ALIASES]; /* the pairs in force */
    size_t n_alias;
    vcf_diff_alias made[VCF_DIFF_MAX_ALIASES]; /* every pair made, for the account */
    size_t n_made;
    size_t renamed; /* fields renamed (stimuli and observations) */
    uint8_t *buf;   /* the last observation's renamed copy */
    size_t buf_cap;
} vcf_diff_shim;

/* ref: the reference's log of the script about to be played (it must outlive the play), or
 * NULL. s is zero before its first init; later inits keep its buffer (freed by shim_free). */
void vcf_diff_shim_init(vcf_diff_shim *s, const vcf_adapter *inner, const vcf_play_log *ref);
void vcf_diff_shim_free(vcf_diff_shim *s);

/* ---- comparing two logs ------------------------------------------------------------------- */

typedef enum vcf_diff_verdict {
    VCF_DIFF_SAME = 0,    /* every step agrees */
    VCF_DIFF_SKIPPED,     /* nothing to compare: the script cannot be read, or the reference
                           * does not take it (reset refused, or an error of its own) */
    VCF_DIFF_UNSUPPORTED, /* the implementation answered UNSUPPORTED; compared up to there */
    VCF_DIFF_DIVERGED     /* a finding */
} vcf_diff_verdict;

typedef enum vcf_diff_kind {
    VCF_DIFF_K_NONE = 0,
    VCF_DIFF_K_RESET,  /* the implementation's reset failed (ERROR) */
    VCF_DIFF_K_RC,     /* return-code class */
    VCF_DIFF_K_END,    /* the implementation's play ended early (error, runaway, busy...) */
    VCF_DIFF_K_RESULT, /* action done vs refused */
    VCF_DIFF_K_VALUE,  /* create: the address bound */
    VCF_DIFF_K_MSG,    /* messages: count, channel, length, used length or bytes */
    VCF_DIFF_K_EVENT   /* events */
} vcf_diff_kind;

#define VCF_DIFF_MAX_SPANS 8u

typedef struct vcf_diff_result {
    vcf_diff_verdict verdict;
    vcf_diff_kind kind;
    size_t step;     /* the step concerned (0-based); n_steps when after the last */
    size_t compared; /* steps found equal before it */
    size_t msg;      /* K_MSG: index of the first differing message within the step */
    size_t n_spans;  /* K_MSG bytes: differing byte ranges [from, to) (at most MAX_SPANS) */
    size_t span_from[VCF_DIFF_MAX_SPANS], span_to[VCF_DIFF_MAX_SPANS];
    size_t n_masked; /* bytes hidden by N2/N3 in the compared messages */
    char what[512];  /* one line: what differs */
} vcf_diff_result;

/* Compare; the verdict is also returned. */
vcf_diff_verdict vcf_diff_compare(const vcf_play_log *ref, const vcf_play_log *impl,
                                  vcf_diff_result *res);

/* "same", "skipped", "unsupported", "diverged" */
const char *vcf_diff_verdict_name(vcf_diff_verdict v);

/*
 * The side-by-side account: role and parameters, every step up to the one concerned with its
 * stimulus decoded and the (agreed) observations, then for a divergence "reference:" and
 * "implementation:" with the diverging step's observations decoded and the differing bytes and
 * fields pointed out. names: how to call the two sides (adapter specs). shim may be NULL.
 */
void vcf_diff_print(FILE *f, const vcf_play_log *ref, const vcf_play_log *impl,
                    const vcf_diff_result *res, const char *ref_name, const char *impl_name,
                    const vcf_diff_shim *shim);

#ifdef __cplusplus
}
#endif

#endif /* VCF_FUZZ_DIFF_H */
