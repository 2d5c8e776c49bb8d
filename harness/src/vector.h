/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: golden vectors in memory, and their JSON form (docs/vectors.md).
 *
 * A vector file holds the cases for one role of the implementation under test, in groups that
 * share parameters; a case is a list of steps, each a stimulus (inject bytes, or an upper-layer
 * action) with the set of observations that may follow it. Every string and byte array below
 * is owned by the vcf_vfile it belongs to and released by vcf_vfile_free.
 */
#ifndef VCF_HARNESS_VECTOR_H
#define VCF_HARNESS_VECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vconform/adapter.h"
#include "vconform/rules.h"

#define VCF_VECTOR_SCHEMA "vconform-vectors-1"

typedef enum vcf_vresult {
    VCF_VRESULT_VALID = 0,     /* the stimulus is conforming: it must be processed as shown */
    VCF_VRESULT_INVALID = 1,   /* the stimulus breaks a rule: it must be refused as shown */
    VCF_VRESULT_ACCEPTABLE = 2 /* the rules allow more than one answer (flags say why) */
} vcf_vresult;

const char *vcf_vresult_name(vcf_vresult r); /* "valid", "invalid", "acceptable" */
int vcf_vresult_parse(const char *s, vcf_vresult *out);

/* A byte string. */
typedef struct vcf_vbytes {
    uint8_t *data;
    size_t len;
} vcf_vbytes;

/* One expected message: compared as (actual & mask) == (hex & mask), same length. */
typedef struct vcf_msg_match {
    uint32_t channel;
    vcf_vbytes bytes;
    vcf_vbytes mask;   /* len 0: every bit compared; else the same length as bytes */
    bool has_used_len; /* RPMsg: the length reported in the ring is checked too */
    uint64_t used_len;
    char *decoded; /* annotation (may be NULL) */
} vcf_msg_match;

/* One expected upper-layer event: only the arguments in args_set (bit i = slot i) and the data
 * when has_data are compared. */
typedef struct vcf_event_match {
    uint32_t type;
    uint32_t args_set;
    uint64_t args[VCF_ADAPTER_ARG_MAX];
    bool has_data;
    vcf_vbytes data;
} vcf_event_match;

typedef struct vcf_obs_match {
    uint32_t kind; /* VCF_OBS_MSG or VCF_OBS_EVENT */
    vcf_msg_match msg;
    vcf_event_match event;
} vcf_obs_match;

/* One acceptable outcome: these observations, messages in this order (across channels) and
 * events in any order, and nothing else (apart from the ignore set). Empty: silence. */
typedef struct vcf_alternative {
    vcf_obs_match *obs;
    size_t n_obs;
} vcf_alternative;

typedef enum vcf_action_expect {
    VCF_EXPECT_ANY = 0,    /* the action's result is not checked */
    VCF_EXPECT_DONE = 1,   /* status 0 */
    VCF_EXPECT_REFUSED = 2 /* status non-zero */
} vcf_action_expect;

typedef struct vcf_expect {
    vcf_alternative *alts; /* at least one */
    size_t n_alts;
    vcf_obs_match *ignore; /* harmless observations that may appear anywhere, any number */
    size_t n_ignore;
    /* actions only */
    vcf_action_expect result;
    bool has_value; /* (value & value_mask) compared */
    uint64_t value, value_mask;
} vcf_expect;

typedef enum vcf_step_kind { VCF_STEP_INJECT = 0, VCF_STEP_ACTION = 1 } vcf_step_kind;

/* Before an inject, bytes copied from a message the implementation emitted earlier in the case
 * (a token or a dynamic address it chose): len bytes at offset from of the msg-th message
 * (0-based, among messages) observed after step (0-based, an earlier step of the case), written
 * at offset to of the stimulus. The stored hex holds what the model chose. */
typedef struct vcf_copy {
    size_t step;
    size_t msg;
    size_t from;
    size_t to;
    size_t len;
} vcf_copy;

typedef struct vcf_step {
    vcf_step_kind kind;
    /* inject */
    uint32_t channel;
    vcf_vbytes bytes;
    uint64_t used_len; /* 0: bytes.len */
    uint64_t capacity; /* 0: the group's buf_size */
    char *decoded;     /* annotation (may be NULL) */
    vcf_copy *copies;  /* applied in order before injecting */
    size_t n_copies;
    /* action */
    uint32_t action; /* vcf_action_kind */
    uint64_t args[VCF_ADAPTER_ARG_MAX];
    vcf_vbytes data;
    /* both */
    vcf_expect expect;
} vcf_step;

typedef struct vcf_case {
    char *id;     /* stable, never reused: "rpmsg-drv-ns-create-basic" */
    char **rules; /* rule IDs exercised */
    size_t n_rules;
    char *description;
    vcf_vresult result;
    char **flags; /* explain an acceptable result; each is a key of the file's notes */
    size_t n_flags;
    vcf_rule_level level; /* MUST: a failure fails the run; SHOULD/MAY: non_strict */
    vcf_step *steps;
    size_t n_steps;
    size_t line; /* where the case starts in its file (0 when unknown) */
} vcf_case;

typedef struct vcf_group {
    vcf_adapter_param *params; /* key/value strings passed to reset */
    size_t n_params;
    char *description;
    vcf_case *cases;
    size_t n_cases;
} vcf_group;

typedef struct vcf_note {
    char *flag;
    char *text;
} vcf_note;

/* A rule this role's vectors do not exercise, and why it cannot be observed through an
 * adapter (e.g. a rule about the implementation's internal bookkeeping). */
typedef struct vcf_unobservable {
    char *rule;
    char *reason;
} vcf_unobservable;

typedef struct vcf_vfile {
    char *path;      /* where it was loaded from (NULL when built in memory) */
    uint32_t role;   /* vcf_iut_role of the implementation under test */
    char *spec;      /* what the cases were written against: catalogue and spec revision */
    char *generator; /* "vconform gen 0.1.0" or "hand-written" */
    vcf_note *notes;
    size_t n_notes;
    vcf_group *groups;
    size_t n_groups;
    vcf_unobservable *unobservable;
    size_t n_unobservable;
} vcf_vfile;

/* Total number of cases. */
size_t vcf_vfile_count(const vcf_vfile *f);
void vcf_vfile_free(vcf_vfile *f);

/* Load and check a vector file: JSON syntax, the schema's shape (unknown keys rejected), names
 * (roles, channels, actions, events, rule IDs in the catalogue), hex strings, unique case IDs
 * within the file and flags with notes. On error returns -1 with "FILE:LINE:COL: what was expected"
 * in err. */
int vcf_vfile_load(const char *path, vcf_vfile *out, char *err, size_t err_len);
/* Same from memory; name is used in messages. */
int vcf_vfile_load_string(const char *name, const char *text, vcf_vfile *out, char *err,
                          size_t err_len);

/* Write a vector file as canonical JSON (stable key order, 2-space indent, trailing newline) so
 * that regenerated files compare byte for byte. Returns 0, or -1 with err. */
int vcf_vfile_save(const vcf_vfile *f, const char *path, char *err, size_t err_len);
/* Same into a malloc'd string (caller frees). */
char *vcf_vfile_dump(const vcf_vfile *f);

#endif /* VCF_HARNESS_VECTOR_H */
