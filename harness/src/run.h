/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: replaying one case against an adapter, and what came of it.
 *
 * For each step the runner hands the stimulus to the adapter, collects every observation until
 * the implementation is idle (bounded by the case timeout), and matches them against the
 * step's alternatives. The transcript keeps every byte in both directions for the reports and
 * the capture file.
 */
#ifndef VCF_HARNESS_RUN_H
#define VCF_HARNESS_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "adapters.h"
#include "vconform/adapter.h"
#include "vector.h"

typedef enum vcf_case_status {
    VCF_CASE_PASS = 0,
    VCF_CASE_FAIL = 1,        /* a MUST-level case failed, or the implementation crashed/hung */
    VCF_CASE_NON_STRICT = 2,  /* a SHOULD/MAY-level case failed (fails the run with --strict) */
    VCF_CASE_UNSUPPORTED = 3, /* the adapter lacks a role, parameter, capability or action */
    VCF_CASE_SKIPPED = 4      /* not run: the adapter could not be started again */
} vcf_case_status;
#define VCF_CASE_STATUS_COUNT 5

const char *vcf_case_status_name(vcf_case_status s); /* "pass", "fail", "non_strict", ... */

/* Seconds on the monotonic clock (case and run wall times). */
double vcf_run_clock(void);

/* One entry of a case's transcript. */
typedef enum vcf_tx_dir {
    VCF_DIR_TO_IUT = 0,  /* injected by the harness */
    VCF_DIR_FROM_IUT = 1 /* emitted by the implementation */
} vcf_tx_dir;

typedef enum vcf_tx_kind {
    VCF_TX_MSG = 0,    /* a message (injected or emitted) */
    VCF_TX_EVENT = 1,  /* an upper-layer event */
    VCF_TX_ACTION = 2, /* an upper-layer action requested */
    VCF_TX_RESULT = 3  /* the action's result */
} vcf_tx_kind;

typedef struct vcf_tx_entry {
    size_t step;
    vcf_tx_dir dir;
    vcf_tx_kind kind;
    uint32_t channel;                   /* MSG */
    uint64_t used_len;                  /* MSG: reported length (0: len) */
    uint64_t capacity;                  /* MSG: buffer capacity (0: the group's buf_size) */
    uint32_t type;                      /* EVENT: event type; ACTION: action kind */
    uint64_t args[VCF_ADAPTER_ARG_MAX]; /* EVENT / ACTION; RESULT: args[0] status, args[1] value */
    uint8_t *data;                      /* MSG bytes, EVENT / ACTION data (owned) */
    size_t len;
} vcf_tx_entry;

typedef struct vcf_case_result {
    const vcf_case *vcase; /* borrowed from the vector file */
    const vcf_group *group;
    vcf_case_status status;
    char *message;      /* why it failed or was unsupported (owned; NULL on pass) */
    size_t failed_step; /* the step that failed (when status is FAIL/NON_STRICT) */
    vcf_tx_entry *tx;   /* transcript (owned) */
    size_t n_tx;
    double seconds; /* wall time of the case */
    size_t steps_run;
    bool adapter_lost; /* the adapter failed and could not be started again */
} vcf_case_result;

void vcf_case_result_free(vcf_case_result *r);

typedef struct vcf_run_options {
    double case_timeout;  /* seconds an implementation may take to become idle (default 5) */
    bool keep_transcript; /* record the transcript (reports with --pcap, failures always) */
} vcf_run_options;

/*
 * Run one case: reset the adapter with the group's parameters in the file's role, then every
 * step. Never fails as a whole: every outcome, including the adapter's own errors, ends up in
 * res->status and res->message.
 */
void vcf_run_case(vcf_hadapter *ad, const vcf_vfile *file, const vcf_group *group,
                  const vcf_case *c, const vcf_run_options *opt, vcf_case_result *res);

/* Matching (exposed for the generator and the tests). An observation is a transcript entry
 * of kind VCF_TX_MSG or VCF_TX_EVENT coming from the implementation. */
bool vcf_obs_matches(const vcf_obs_match *m, const vcf_tx_entry *o);
/* The observations after one step against one alternative: every expected message matched in
 * order, every expected event matched once in any order, everything else in the ignore set. */
bool vcf_alternative_matches(const vcf_alternative *alt, const vcf_obs_match *ignore,
                             size_t n_ignore, const vcf_tx_entry *obs, size_t n_obs);

#endif /* VCF_HARNESS_RUN_H */
