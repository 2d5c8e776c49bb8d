/* SPDX-License-Identifier: MIT */
/*
 * vconform fuzzing: playing a script (script.h) against an adapter and recording what happens.
 *
 * The player does what the harness does for a vector case, with the stimuli taken from the
 * script: reset the adapter in the script's role with its parameters, then for each record
 * inject (after applying the pending patches) or act, and after each one collect every
 * observation until the implementation is idle (poll until it has nothing; with
 * VCF_ADAPTER_CAP_IDLE, until idle() says so, within a deadline). Everything is copied into
 * a log, so two logs (the reference model's and an implementation's) can be compared.
 *
 * The state-machine targets play scripts against the model and check its invariants on the
 * log; the differential target plays the same script against two adapters and compares the
 * logs (diff.h).
 */
#ifndef VCF_FUZZ_PLAY_H
#define VCF_FUZZ_PLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "script.h"
#include "vconform/adapter.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VCF_PLAY_MAX_OBS_PER_STEP 256u /* more after one stimulus is a runaway */

/* One observation, owned by the log. */
typedef struct vcf_play_obs {
    uint32_t kind; /* VCF_OBS_MSG or VCF_OBS_EVENT */
    size_t step;   /* index of the step (record) after which it appeared */
    /* message */
    uint32_t channel;
    size_t used_len;
    size_t capacity;
    /* event */
    uint32_t type;
    uint64_t args[VCF_ADAPTER_ARG_MAX];
    /* message bytes or event data (malloc'd, may be NULL when len is 0) */
    uint8_t *data;
    size_t len;
} vcf_play_obs;

/* One played record (PATCH records are not steps: they are folded into the next inject). */
typedef struct vcf_play_step {
    uint8_t op;                /* VCF_SCRIPT_OP_INJECT or VCF_SCRIPT_OP_ACTION */
    size_t offset;             /* of the record in the script */
    int rc;                    /* the adapter's return code */
    vcf_adapter_result result; /* ACTION with rc OK */
    size_t first_obs, n_obs;   /* its observations in the log */
    /* the bytes actually injected, patches applied, or the action data (both malloc'd) */
    uint8_t *injected;
    size_t injected_len;
    uint32_t channel;
    uint32_t used_len, capacity; /* as in the record (0: defaults) */
    uint32_t kind;
    uint32_t args[VCF_ADAPTER_ARG_MAX];
} vcf_play_step;

typedef enum vcf_play_end {
    VCF_PLAY_END_DONE = 0,   /* every record played */
    VCF_PLAY_END_BAD_SCRIPT, /* the head could not be read: nothing played */
    VCF_PLAY_END_RESET,      /* reset did not return OK (reset_rc, why) */
    VCF_PLAY_END_ERROR,      /* an operation returned VCF_ADAPTER_ERROR (steps[n-1]) */
    VCF_PLAY_END_RUNAWAY,    /* more than VCF_PLAY_MAX_OBS_PER_STEP after one stimulus */
    VCF_PLAY_END_BUSY,       /* CAP_IDLE adapter still busy at the deadline */
    VCF_PLAY_END_BAD_OBS     /* poll returned an observation of unknown kind */
} vcf_play_end;

typedef struct vcf_play_log {
    uint32_t role;
    vcf_adapter_param params[VCF_SCRIPT_MAX_PARAMS];
    size_t n_params;
    char param_text[1024]; /* storage of params */
    int reset_rc;
    char why[256]; /* reset's reason, or what ended the play */
    vcf_play_end end;
    vcf_play_step *steps;
    size_t n_steps;
    vcf_play_obs *obs;
    size_t n_obs;
    size_t n_msgs; /* observations that are messages (what PATCH msg counts) */
} vcf_play_log;

typedef struct vcf_play_options {
    uint32_t role;        /* VCF_IUT_NONE: the script's role; otherwise this one */
    double idle_deadline; /* seconds a CAP_IDLE adapter may stay busy per step (0: 1 s) */
    size_t max_records;   /* 0: VCF_SCRIPT_MAX_RECORDS */
} vcf_play_options;

/* Play script against ad (already initialised; reset is called here). The log is always
 * filled as far as the play went; free it with vcf_play_log_free. Returns log->end. */
vcf_play_end vcf_play(const vcf_adapter *ad, const uint8_t *script, size_t len,
                      const vcf_play_options *opt, vcf_play_log *log);
void vcf_play_log_free(vcf_play_log *log);

/* "done", "bad-script", "reset", "error", "runaway", "busy", "bad-observation" */
const char *vcf_play_end_name(vcf_play_end end);

/* Print a readable account of the log (steps with decoded stimuli, observations decoded with
 * the harness summaries) to f. */
void vcf_play_log_print(const vcf_play_log *log, FILE *f);

/* A channel's name in a role ("vq0", "link"), or "channel N" written into buf. */
const char *vcf_play_channel_name(uint32_t role, uint32_t channel, char *buf, size_t cap);

/* One line for step s: "step N (script offset O): inject|action <decoded><tail>". order is
 * vcf_summary_order() of the log's role and parameters. */
void vcf_play_step_print(const vcf_play_log *log, int order, size_t s, const char *tail, FILE *f);

#ifdef __cplusplus
}
#endif

#endif /* VCF_FUZZ_PLAY_H */
