/* SPDX-License-Identifier: MIT */
/*
 * What the virtio-msg device, driver and bus models share: link parameters and their
 * defaults, profile names, output records and the transmit arena.
 */
#include <string.h>

#include "vmsg_model_internal.h"
#include "wire_internal.h"

void vcf_vmsg_link_default(vcf_vmsg_link *link)
{
    memset(link, 0, sizeof *link);
    link->rev = VCF_VMSG_REV_DEFAULT;
    link->max_msg_size = VCF_VMSG_DEFAULT_MAX_SIZE;
    link->profile = VCF_VMSG_PROFILE_STRICT;
    link->opt.echo_token = true;
    link->opt.event_config_data = true;
}

static const char *const profile_names[] = {"strict", "qemu", "linux", "optee"};

const char *vcf_vmsg_profile_name(vcf_vmsg_profile profile)
{
    return (unsigned)profile < sizeof profile_names / sizeof *profile_names ? profile_names[profile]
                                                                            : NULL;
}

int vcf_vmsg_profile_parse(const char *name, vcf_vmsg_profile *out)
{
    for (unsigned i = 0; name && i < sizeof profile_names / sizeof *profile_names; i++)
        if (strcmp(name, profile_names[i]) == 0) {
            *out = (vcf_vmsg_profile)i;
            return VCF_OK;
        }
    return VCF_E_INVAL;
}

void vmsg_params(const vcf_vmsg_link *link, vcf_vmsg_params *params)
{
    vcf_vmsg_params_default(params);
    params->rev = link->rev;
    params->max_msg_size = link->max_msg_size;
}

int vmsg_link_check(const vcf_vmsg_link *link, vcf_error *err)
{
    if (!vcf_vmsg_rev_name(link->rev))
        return vcf_fail(err, VCF_E_INVAL, "link.rev", 0, "an unknown revision");
    if (link->max_msg_size < VCF_VMSG_SPEC_MIN_MAX_MSG_SIZE ||
        link->max_msg_size > VCF_VMSG_MSG_SIZE_LIMIT) {
        vcf_failv(err, VCF_E_INVAL, "link.max_msg_size", 0,
                  "the bus maximum must lie between 44 and 65535 (VMSG-SIZE-03)",
                  VCF_VMSG_SPEC_MIN_MAX_MSG_SIZE, link->max_msg_size);
        return VCF_E_INVAL;
    }
    if (!vcf_vmsg_profile_name(link->profile))
        return vcf_fail(err, VCF_E_INVAL, "link.profile", 0, "an unknown profile");
    return VCF_OK;
}

/* ---- outputs ------------------------------------------------------------------------------- */

void vmsg_out_reset(vcf_vmsg_output *out, vcf_vmsg_arena *arena)
{
    memset(out, 0, sizeof *out);
    arena->used = 0;
}

vcf_error *vmsg_verdict(vcf_vmsg_output *out, vcf_vmsg_rule rule, vcf_vmsg_rule impl,
                        vcf_vmsg_action action, vcf_status code, const char *field, size_t offset,
                        const char *detail)
{
    if (out->n_verdicts == VCF_VMSG_MAX_VERDICTS) {
        out->verdicts_lost++;
        return NULL;
    }
    vcf_vmsg_verdict *v = &out->verdicts[out->n_verdicts++];
    v->rule = rule;
    v->impl = impl;
    v->action = action;
    vcf_fail(&v->error, code, field, offset, detail);
    if (rule != NONE)
        v->error.rule = vcf_vmsg_rule_id(rule);
    return &v->error;
}

void vmsg_verdictv(vcf_vmsg_output *out, vcf_vmsg_rule rule, vcf_vmsg_rule impl,
                   vcf_vmsg_action action, vcf_status code, const char *field, size_t offset,
                   const char *detail, uint64_t expected, uint64_t actual, bool hex)
{
    vcf_error *e = vmsg_verdict(out, rule, impl, action, code, field, offset, detail);
    if (e) {
        e->expected = expected;
        e->actual = actual;
        e->flags = VCF_ERROR_HAS_VALUES | (hex ? VCF_ERROR_HEX : 0u);
    }
}

vcf_error *vmsg_verdict_from(vcf_vmsg_output *out, vcf_vmsg_rule rule, vcf_vmsg_rule impl,
                             vcf_vmsg_action action, const vcf_error *found)
{
    vcf_error *e = vmsg_verdict(out, rule, impl, action, found->code, found->field, found->offset,
                                found->detail);
    if (e) {
        e->expected = found->expected;
        e->actual = found->actual;
        e->flags = found->flags;
    }
    return e;
}

int vmsg_finish(vcf_vmsg_output *out, int status)
{
    if (out->status == VCF_OK)
        out->status = status;
    return out->status;
}

int vmsg_drop(vcf_vmsg_output *out, vcf_vmsg_rule rule, vcf_vmsg_rule impl, vcf_status code,
              const char *field, size_t offset, const char *detail)
{
    vmsg_verdict(out, rule, impl, VCF_VMSG_ACT_DROP, code, field, offset, detail);
    return vmsg_finish(out, code);
}

int vmsg_refuse(vcf_vmsg_output *out, vcf_vmsg_rule rule, vcf_status code, const char *field,
                const char *detail)
{
    vmsg_verdict(out, rule, NONE, VCF_VMSG_ACT_REFUSE, code, field, 0, detail);
    return vmsg_finish(out, code);
}

void vmsg_event(vcf_vmsg_output *out, vcf_vmsg_event_type type, uint32_t index, uint32_t offset,
                uint32_t length, uint64_t value)
{
    VCF_ASSUME(out->n_events < VCF_VMSG_MAX_EVENTS);
    vcf_vmsg_event *ev = &out->events[out->n_events++];
    ev->type = type;
    ev->index = index;
    ev->offset = offset;
    ev->length = length;
    ev->value = value;
}

size_t vmsg_codec_verdicts(const vcf_vmsg_msg *msg, const vcf_vmsg_params *params,
                           vcf_vmsg_action action, vcf_vmsg_output *out)
{
    vcf_error errs[VCF_VMSG_MAX_VERDICTS];
    size_t n = vcf_vmsg_check(msg, params, errs, VCF_VMSG_MAX_VERDICTS);
    for (size_t i = 0; i < n && i < VCF_VMSG_MAX_VERDICTS; i++)
        vmsg_verdict_from(out, vcf_vmsg_rule_lookup(errs[i].rule), NONE, action, &errs[i]);
    if (n > VCF_VMSG_MAX_VERDICTS)
        out->verdicts_lost += n - VCF_VMSG_MAX_VERDICTS;
    return n;
}

uint32_t vmsg_fixed_size(vcf_vmsg_kind kind)
{
    vcf_vmsg_msg m;
    int rc = vcf_vmsg_init(&m, kind, 0, 0);
    VCF_ASSUME(rc == VCF_OK);
    (void)rc;
    return m.hdr.msg_size;
}

int vmsg_emit_raw(vcf_vmsg_arena *arena, vcf_vmsg_output *out, vcf_vmsg_dest dest,
                  const uint8_t *data, size_t len)
{
    VCF_ASSUME(out->n_tx < VCF_VMSG_MAX_TX);
    VCF_ASSUME(len <= sizeof arena->buf - arena->used);
    uint8_t *p = arena->buf + arena->used;
    memcpy(p, data, len);
    arena->used += len;
    vcf_vmsg_tx *tx = &out->tx[out->n_tx++];
    tx->dest = dest;
    tx->data = p;
    tx->len = len;
    return VCF_OK;
}

int vmsg_emit(vcf_vmsg_arena *arena, vcf_vmsg_output *out, vcf_vmsg_dest dest,
              const vcf_vmsg_msg *msg, uint32_t max_msg_size)
{
    long size = vcf_vmsg_encoded_size(msg);
    if (size < 0)
        return (int)size;
    if ((unsigned long)size > max_msg_size)
        return VCF_E_TOO_LARGE;
    VCF_ASSUME(out->n_tx < VCF_VMSG_MAX_TX);
    uint8_t *p = arena->buf + arena->used;
    int n = vcf_vmsg_encode(msg, p, sizeof arena->buf - arena->used, NULL);
    if (n < 0)
        return n;
    arena->used += (size_t)n;
    vcf_vmsg_tx *tx = &out->tx[out->n_tx++];
    tx->dest = dest;
    tx->data = p;
    tx->len = (size_t)n;
    return VCF_OK;
}

const vcf_vmsg_verdict *vcf_vmsg_output_find(const vcf_vmsg_output *out, vcf_vmsg_rule rule)
{
    for (size_t i = 0; i < out->n_verdicts; i++)
        if (out->verdicts[i].rule == rule)
            return &out->verdicts[i];
    return NULL;
}

const vcf_vmsg_event *vcf_vmsg_output_event(const vcf_vmsg_output *out, vcf_vmsg_event_type type)
{
    for (size_t i = 0; i < out->n_events; i++)
        if (out->events[i].type == type)
            return &out->events[i];
    return NULL;
}

const char *vcf_vmsg_action_name(vcf_vmsg_action action)
{
    static const char *const names[] = {"drop", "refuse", "note", "deviate"};
    return (unsigned)action < sizeof names / sizeof *names ? names[action] : "unknown";
}

const char *vcf_vmsg_event_name(vcf_vmsg_event_type type)
{
    static const char *const names[] = {"reset",
                                        "status",
                                        "features",
                                        "config-written",
                                        "vq-configured",
                                        "vq-reset",
                                        "avail",
                                        "ready",
                                        "init-failed",
                                        "no-device",
                                        "config-changed",
                                        "config-read",
                                        "config-rejected",
                                        "used",
                                        "needs-reset",
                                        "shm",
                                        "done",
                                        "device-ready",
                                        "device-removed",
                                        "enum-done",
                                        "pong",
                                        "failure"};
    return (unsigned)type < sizeof names / sizeof *names ? names[type] : "unknown";
}
