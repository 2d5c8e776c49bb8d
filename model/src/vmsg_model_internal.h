/* SPDX-License-Identifier: MIT */
/*
 * Internal: what the three virtio-msg roles share — output records, verdicts that cite the
 * catalogue, the transmit arena, and the link's codec parameters. Not installed.
 */
#ifndef VCF_VMSG_MODEL_INTERNAL_H
#define VCF_VMSG_MODEL_INTERNAL_H

#include "vconform/vmsg_model.h"

#define NONE VCF_VMSG_RULE_NONE
#define R(x) VCF_VMSG_R_##x

/* Clear an output and the arena it points into. */
void vmsg_out_reset(vcf_vmsg_output *out, vcf_vmsg_arena *arena);

/* Record a verdict; returns its error record, or NULL when the output is full (it is counted). */
vcf_error *vmsg_verdict(vcf_vmsg_output *out, vcf_vmsg_rule rule, vcf_vmsg_rule impl,
                        vcf_vmsg_action action, vcf_status code, const char *field, size_t offset,
                        const char *detail);
/* The same with expected and found values. */
void vmsg_verdictv(vcf_vmsg_output *out, vcf_vmsg_rule rule, vcf_vmsg_rule impl,
                   vcf_vmsg_action action, vcf_status code, const char *field, size_t offset,
                   const char *detail, uint64_t expected, uint64_t actual, bool hex);
/* A verdict carrying what the codec found (field, offset, values), under rule (NONE: no rule). */
vcf_error *vmsg_verdict_from(vcf_vmsg_output *out, vcf_vmsg_rule rule, vcf_vmsg_rule impl,
                             vcf_vmsg_action action, const vcf_error *found);
/* Record the status of the input (the first failure wins) and return it. */
int vmsg_finish(vcf_vmsg_output *out, int status);
/* A DROP verdict and the input's status. */
int vmsg_drop(vcf_vmsg_output *out, vcf_vmsg_rule rule, vcf_vmsg_rule impl, vcf_status code,
              const char *field, size_t offset, const char *detail);
/* A REFUSE verdict and the input's status. */
int vmsg_refuse(vcf_vmsg_output *out, vcf_vmsg_rule rule, vcf_status code, const char *field,
                const char *detail);

void vmsg_event(vcf_vmsg_output *out, vcf_vmsg_event_type type, uint32_t index, uint32_t offset,
                uint32_t length, uint64_t value);

/* Codec parameters of a link (exact framing, the link's maximum). */
void vmsg_params(const vcf_vmsg_link *link, vcf_vmsg_params *params);
/* Check a link's parameters; VCF_E_INVAL with err naming the field. */
int vmsg_link_check(const vcf_vmsg_link *link, vcf_error *err);

/* Rule problems the codec found in a received message, as verdicts of the given action. Each
 * verdict cites the rule the codec named. Returns how many the codec found. */
size_t vmsg_codec_verdicts(const vcf_vmsg_msg *msg, const vcf_vmsg_params *params,
                           vcf_vmsg_action action, vcf_vmsg_output *out);

/* The size of a message of this kind with its variable part empty, as the codec lays it out
 * (GET_CONFIG response: 20, EVENT_CONFIG: 24, SET_VQUEUE request: 48, ...). */
uint32_t vmsg_fixed_size(vcf_vmsg_kind kind);

/* Encode msg into the arena and queue it for dest. Fails (VCF_E_TOO_LARGE) when the encoding
 * is larger than max_msg_size; nothing is queued then. */
int vmsg_emit(vcf_vmsg_arena *arena, vcf_vmsg_output *out, vcf_vmsg_dest dest,
              const vcf_vmsg_msg *msg, uint32_t max_msg_size);
/* Queue raw bytes (a relayed message) for dest. */
int vmsg_emit_raw(vcf_vmsg_arena *arena, vcf_vmsg_output *out, vcf_vmsg_dest dest,
                  const uint8_t *data, size_t len);

/* Feature bit helpers over 32-bit blocks. */
static inline bool vmsg_bit(const uint32_t *blocks, unsigned bit)
{
    return bit / 32u < VCF_VMSG_MAX_FEATURE_BLOCKS && ((blocks[bit / 32u] >> (bit % 32u)) & 1u);
}

#endif
