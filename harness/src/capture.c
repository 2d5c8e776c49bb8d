/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: the pcap capture of a run (docs/capture-format.md).
 */
#include "capture.h"

#include <string.h>

#include "summary.h"
#include "vconform/vmsg.h"

static uint32_t clamp32(uint64_t v)
{
    return v > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)v;
}

static uint64_t group_u64(const vcf_group *g, const char *key, uint64_t dflt)
{
    uint64_t v = dflt;
    if (g && vcf_param_u64(g->params, g->n_params, key, dflt, &v) != VCF_ADAPTER_OK)
        v = dflt;
    return v;
}

void vcf_run_capture_link(uint32_t role, const vcf_group *g, vcf_capture_meta *meta)
{
    const vcf_adapter_param *params = g ? g->params : NULL;
    size_t n = g ? g->n_params : 0;
    meta->role = role;
    meta->protocol = vcf_capture_protocol_of(role);
    meta->bus = VCF_CAPTURE_BUS_HARNESS;
    meta->order = vcf_summary_order(role, params, n) ? VCF_CAPTURE_ORDER_BE : VCF_CAPTURE_ORDER_LE;
    if (meta->protocol == VCF_CAPTURE_PROTO_RPMSG) {
        uint64_t features = group_u64(g, "features", 0x100000001ull);
        meta->link_flags = VCF_CAPTURE_L_NS_KNOWN;
        if (features & (1ull << 0)) /* VIRTIO_RPMSG_F_NS */
            meta->link_flags |= VCF_CAPTURE_L_NS;
    } else if (meta->protocol == VCF_CAPTURE_PROTO_VMSG) {
        vcf_vmsg_rev rev = VCF_VMSG_REV_DEFAULT;
        const char *name = vcf_param_get(params, n, "rev");
        if (name && vcf_vmsg_rev_parse(name, &rev) != 0)
            rev = VCF_VMSG_REV_DEFAULT;
        meta->revision = (uint32_t)rev;
        meta->max_msg_size = clamp32(group_u64(g, "max_msg_size", 264));
    }
}

int vcf_run_capture_case(vcf_capture_file *cap, bool iut_is_model, const vcf_vfile *file,
                         size_t case_index, const vcf_case_result *res)
{
    if (!cap || !res)
        return -1;
    uint32_t role = file ? file->role : VCF_IUT_NONE;
    const vcf_group *g = res->group;
    vcf_capture_meta base;
    vcf_capture_meta_init(&base);
    vcf_run_capture_link(role, g, &base);
    const bool rpmsg = base.protocol == VCF_CAPTURE_PROTO_RPMSG;
    const bool failed = res->status == VCF_CASE_FAIL || res->status == VCF_CASE_NON_STRICT;
    base.result = (unsigned)res->status < VCF_CASE_STATUS_COUNT ? (uint32_t)res->status
                                                                : VCF_CAPTURE_RESULT_NONE;
    base.case_index = clamp32(case_index);
    base.case_id = res->vcase ? res->vcase->id : NULL;
    for (size_t i = 0; i < res->n_tx; i++) {
        const vcf_tx_entry *e = &res->tx[i];
        if (e->kind != VCF_TX_MSG)
            continue;
        vcf_capture_meta m = base;
        m.direction =
            e->dir == VCF_DIR_FROM_IUT ? VCF_CAPTURE_DIR_FROM_IUT : VCF_CAPTURE_DIR_TO_IUT;
        m.channel = e->channel;
        if (iut_is_model && e->dir == VCF_DIR_FROM_IUT)
            m.flags |= VCF_CAPTURE_F_SYNTHESIZED;
        if (failed && e->step == res->failed_step)
            m.flags |= VCF_CAPTURE_F_FAILED_STEP;
        m.capacity = rpmsg ? (e->capacity ? e->capacity : group_u64(g, "buf_size", 512)) : 0;
        m.used_len = e->used_len;
        m.step_index = clamp32(e->step);
        if (vcf_capture_record(cap, &m, e->data, e->len) != 0)
            return -1;
    }
    return 0;
}
