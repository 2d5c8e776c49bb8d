/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: building golden vectors from the reference model (vconform gen).
 *
 * A generator writes scenarios: groups of parameters, cases, and steps (inject these bytes,
 * request this action). The builder plays every step through the built-in model adapter in the
 * role of the implementation under test and records what the model emits as the step's
 * expectation. Where the rules allow more than one answer, a case names parameter variants
 * (another reading of the spec); the builder replays the case under each and adds every
 * different outcome as an acceptable alternative, and the case's result becomes "acceptable"
 * with the variant's flag.
 *
 * Errors in a scenario (an unknown rule ID, an action the role does not take, a case with no
 * steps, a duplicate ID) abort generation with a message naming the case: generators are code,
 * and a broken scenario must never produce a vector file.
 */
#ifndef VCF_HARNESS_GEN_H
#define VCF_HARNESS_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "vconform/adapter.h"
#include "vector.h"

typedef struct vcf_gen vcf_gen;

/* A builder for one vector file: role of the implementation under test, and the spec text
 * recorded in the file. */
vcf_gen *vcf_gen_new(uint32_t role, const char *spec);
void vcf_gen_free(vcf_gen *g);
/* The finished file (owned by g). */
const vcf_vfile *vcf_gen_file(vcf_gen *g);

/* Explain a flag used by acceptable cases (file-level notes). */
void vcf_gen_note(vcf_gen *g, const char *flag, const char *text);

/* A rule of this role no case exercises, and why it cannot be observed through an adapter. */
void vcf_gen_unobservable(vcf_gen *g, const char *rule, const char *reason);

/* Start a group: every case until the next group runs with these parameters. */
void vcf_gen_group(vcf_gen *g, const char *description);
void vcf_gen_param(vcf_gen *g, const char *key, const char *value);
void vcf_gen_param_u64(vcf_gen *g, const char *key, uint64_t value); /* decimal */
void vcf_gen_param_hex(vcf_gen *g, const char *key, uint64_t value); /* 0x... */

/* Start a case. result is what the stimulus is (valid / invalid); it becomes acceptable when a
 * variant changes the outcome. */
void vcf_gen_case(vcf_gen *g, const char *id, vcf_vresult result, const char *description);
/* Rules the case exercises (catalogue IDs), NULL-terminated. The case's level is the strongest
 * of their levels (MUST > SHOULD > MAY; IMPL counts as MAY). */
void vcf_gen_rules(vcf_gen *g, const char *rule, ...) __attribute__((sentinel));
/* Another reading the rules allow: parameter key=value overrides the group's; flag names it
 * (and must have a note). */
void vcf_gen_variant(vcf_gen *g, const char *flag, const char *key, const char *value);

/* Steps. Each plays at once through the model (and every variant) and records the outcome. */
void vcf_gen_inject(vcf_gen *g, uint32_t channel, const void *bytes, size_t len);
/* RPMsg: with the length reported in the ring and the buffer capacity (0: defaults). */
void vcf_gen_inject_ring(vcf_gen *g, uint32_t channel, const void *bytes, size_t len,
                         size_t used_len, size_t capacity);
void vcf_gen_action(vcf_gen *g, uint32_t kind, uint64_t a0, uint64_t a1, uint64_t a2,
                    const void *data, size_t len);

/* The next inject copies len bytes at offset from of message msg observed after step (an
 * earlier step of the case, 0-based; see vcf_gen_step_index) to offset to of the stimulus: for
 * a token or an address the implementation chooses. The builder checks the stimulus already
 * holds those bytes as the model emitted them. Call it just before the inject. */
void vcf_gen_copy(vcf_gen *g, size_t step, size_t msg, size_t from, size_t to, size_t len);
/* The index of the case's last step (0-based). */
size_t vcf_gen_step_index(vcf_gen *g);

/* Adjust the last step's expectation. */
/* Compare only the bits of mask at byte offset off of message number msg (0-based, among the
 * step's expected messages) in every alternative. */
void vcf_gen_mask(vcf_gen *g, size_t msg, size_t off, const void *mask, size_t len);
/* Do not check the action's value (e.g. a dynamic address), or check it under a mask. */
void vcf_gen_value_mask(vcf_gen *g, uint64_t mask);
/* Accept the action being done or refused (the rules allow both). */
void vcf_gen_result_any(vcf_gen *g);
/* Compare only the argument slots in args_mask (bit i = slot i) of expected events of this
 * type in the last step (for values the rules leave to the implementation). */
void vcf_gen_event_args(vcf_gen *g, uint32_t type, uint32_t args_mask);
/* Observations of this event type may appear anywhere in the step and are not required. */
void vcf_gen_ignore_event(vcf_gen *g, uint32_t type);

/* What the model emitted for the last step (the first variant), for scenarios that build the
 * next stimulus from it (e.g. echo a token): message i's bytes, or NULL. */
const uint8_t *vcf_gen_last_msg(vcf_gen *g, size_t i, size_t *len);
/* The last action's result value (create: the address bound). */
uint64_t vcf_gen_last_value(vcf_gen *g);

/* Finish the case: checks it (rules known, at least one step, unique ID). */
void vcf_gen_end(vcf_gen *g);

/* The first scenario error (NULL when none). */
const char *vcf_gen_error(const vcf_gen *g);

/* Write the file (canonical JSON). 0, or -1 with err. */
int vcf_gen_write(vcf_gen *g, const char *path, char *err, size_t err_len);

/* ---- the generators (one per role) ------------------------------------------------------- */

void vcf_gen_rpmsg_driver(vcf_gen *g);
void vcf_gen_rpmsg_device(vcf_gen *g);
void vcf_gen_vmsg_device(vcf_gen *g);
void vcf_gen_vmsg_driver(vcf_gen *g);
void vcf_gen_vmsg_bus(vcf_gen *g);

#endif /* VCF_HARNESS_GEN_H */
