/* SPDX-License-Identifier: MIT */
/*
 * virtio-msg field visitor: every field of a parsed message, in wire order, from the layout
 * tables the codec uses.
 */
#include <stdio.h>
#include <string.h>

#include "describe_internal.h"
#include "vconform/vmsg.h"
#include "vmsg_layout.h"
#include "wire_internal.h"

static const char *device_type_name(uint64_t id)
{
    switch (id) {
    case 0: return "reserved (no device)";
    case 1: return "network";
    case 2: return "block";
    case 3: return "console";
    case 4: return "entropy";
    case 5: return "memory balloon (traditional)";
    case 7: return "rpmsg";
    case 8: return "SCSI host";
    case 9: return "9P transport";
    case 16: return "GPU";
    case 18: return "input";
    case 19: return "socket (vsock)";
    case 20: return "crypto";
    case 23: return "IOMMU";
    case 24: return "memory";
    case 25: return "sound";
    case 26: return "file system";
    case 27: return "persistent memory";
    case 32: return "SCMI";
    case 34: return "I2C adapter";
    case 36: return "CAN";
    case 41: return "GPIO";
    default: return NULL;
    }
}

static void status_text(char *out, size_t cap, uint64_t status)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } bits[] = {{VCF_VIRTIO_STATUS_ACKNOWLEDGE, "ACKNOWLEDGE"},
                {VCF_VIRTIO_STATUS_DRIVER, "DRIVER"},
                {VCF_VIRTIO_STATUS_DRIVER_OK, "DRIVER_OK"},
                {VCF_VIRTIO_STATUS_FEATURES_OK, "FEATURES_OK"},
                {VCF_VIRTIO_STATUS_SUSPEND, "SUSPEND"},
                {0x20u, "bit5"},
                {VCF_VIRTIO_STATUS_DEVICE_NEEDS_RESET, "DEVICE_NEEDS_RESET"},
                {VCF_VIRTIO_STATUS_FAILED, "FAILED"}};
    vcf_textbuf t = {out, cap, 0};
    if (status == 0) {
        vcf_text_add(&t, "reset");
        return;
    }
    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
        if (status & bits[i].bit)
            vcf_text_addf(&t, "%s%s", t.len ? "|" : "", bits[i].name);
    if (status & ~(uint64_t)VCF_VIRTIO_STATUS_DEFINED)
        vcf_text_addf(&t, "%sundefined 0x%llx", t.len ? "|" : "",
                      (unsigned long long)(status & ~(uint64_t)VCF_VIRTIO_STATUS_DEFINED));
}

static const char *feature_name(uint32_t bit)
{
    switch (bit) {
    case VCF_VIRTIO_F_INDIRECT_DESC: return "INDIRECT_DESC";
    case VCF_VIRTIO_F_EVENT_IDX: return "EVENT_IDX";
    case VCF_VIRTIO_F_VERSION_1: return "VERSION_1";
    case VCF_VIRTIO_F_ACCESS_PLATFORM: return "ACCESS_PLATFORM";
    case VCF_VIRTIO_F_RING_PACKED: return "RING_PACKED";
    case VCF_VIRTIO_F_IN_ORDER: return "IN_ORDER";
    case VCF_VIRTIO_F_ORDER_PLATFORM: return "ORDER_PLATFORM";
    case VCF_VIRTIO_F_SR_IOV: return "SR_IOV";
    case VCF_VIRTIO_F_NOTIFICATION_DATA: return "NOTIFICATION_DATA";
    case VCF_VIRTIO_F_NOTIF_CONFIG_DATA: return "NOTIF_CONFIG_DATA";
    case VCF_VIRTIO_F_RING_RESET: return "RING_RESET";
    case VCF_VIRTIO_F_ADMIN_VQ: return "ADMIN_VQ";
    case VCF_VIRTIO_F_SUSPEND: return "SUSPEND";
    default: return NULL;
    }
}

/* "VERSION_1|RING_RESET|bit 3" for the set bits of feature block `block` */
static void features_text(char *out, size_t cap, uint64_t block, uint32_t word)
{
    vcf_textbuf t = {out, cap, 0};
    for (uint32_t b = 0; b < 32; b++) {
        if (!(word & (1u << b)))
            continue;
        uint64_t bit = block * 32u + b;
        const char *name = bit <= 0xFFFFFFFFu ? feature_name((uint32_t)bit) : NULL;
        if (name)
            vcf_text_addf(&t, "%s%s", t.len ? "|" : "", name);
        else
            vcf_text_addf(&t, "%sbit %llu", t.len ? "|" : "", (unsigned long long)bit);
    }
}

static void bitmap_text(char *out, size_t cap, const vcf_vmsg_devices *d)
{
    vcf_textbuf t = {out, cap, 0};
    unsigned shown = 0, more = 0;
    for (uint32_t n = 0; n < d->count && n / 8u < d->bitmap.len; n++) {
        if (!(((unsigned)d->bitmap.ptr[n / 8u] >> (n % 8u)) & 1u))
            continue;
        if (shown < 32) {
            vcf_text_addf(&t, "%s%u", shown ? ", " : "present: ", (unsigned)(d->offset + n));
            shown++;
        } else {
            more++;
        }
    }
    if (!shown)
        vcf_text_add(&t, "no device present");
    if (more)
        vcf_text_addf(&t, " (and %u more)", more);
}

static const char *bus_state_name(uint64_t s)
{
    if (s == VCF_VMSG_BUS_STATE_READY)
        return "READY";
    if (s == VCF_VMSG_BUS_STATE_REMOVED)
        return "REMOVED";
    if (s >= VCF_VMSG_BUS_STATE_IMPL_FIRST)
        return "implementation-defined";
    return "reserved";
}

static void type_text(char *out, size_t cap, uint8_t type, const vcf_vmsg_class *cls, int rc)
{
    vcf_textbuf t = {out, cap, 0};
    const char *dir = rc == VCF_E_BAD_KIND ? "response to an event"
                      : cls->response      ? "response"
                      : cls->event         ? "event"
                                           : "request";
    vcf_text_addf(&t, "%s %s", cls->bus ? "bus" : "transport", dir);
    if (type & VCF_VMSG_TYPE_RESERVED)
        vcf_text_addf(&t, ", reserved bits 0x%02x", (unsigned)(type & VCF_VMSG_TYPE_RESERVED));
}

static const char *msg_id_text(const vcf_vmsg_class *cls, int rc)
{
    if (rc == VCF_OK && cls->kind != VCF_VMSG_K_IMPL_DEFINED)
        return vcf_vmsg_kind_name(cls->kind);
    switch (cls->range) {
    case VCF_VMSG_RANGE_IMPL_REQUEST: return "implementation-defined request";
    case VCF_VMSG_RANGE_IMPL_EVENT: return "implementation-defined event";
    case VCF_VMSG_RANGE_IMPL: return "bus-implementation specific";
    case VCF_VMSG_RANGE_RESERVED: return "reserved";
    default: return "undefined";
    }
}

static void field_meaning(char *out, size_t cap, const vcf_vmsg_fdef *f, uint64_t v)
{
    out[0] = 0;
    switch (f->mean) {
    case VCF_MEAN_STATUS: status_text(out, cap, v); break;
    case VCF_MEAN_DEVICE_ID: {
        const char *n = device_type_name(v);
        if (n)
            snprintf(out, cap, "%s", n);
        break;
    }
    case VCF_MEAN_NEXT_OFFSET:
        snprintf(out, cap, "offset %llu, wrap %llu",
                 (unsigned long long)(v & VCF_VMSG_NEXT_OFF_MASK),
                 (unsigned long long)((v >> 31) & 1u));
        break;
    case VCF_MEAN_BUS_STATE: snprintf(out, cap, "%s", bus_state_name(v)); break;
    default: break;
    }
}

static uint64_t field_value(const vcf_vmsg_msg *msg, const vcf_vmsg_fdef *f)
{
    const unsigned char *src = (const unsigned char *)msg + f->soff;
    if (f->size == 2) {
        uint16_t v;
        memcpy(&v, src, sizeof v);
        return v;
    }
    if (f->size == 4) {
        uint32_t v;
        memcpy(&v, src, sizeof v);
        return v;
    }
    uint64_t v;
    memcpy(&v, src, sizeof v);
    return v;
}

void vcf_vmsg_describe(const vcf_vmsg_msg *msg, const vcf_vmsg_params *params, vcf_field_fn fn,
                       void *ctx)
{
    vcf_emitter em = {fn, ctx};
    char meaning[256];
    const vcf_vmsg_hdr *h = &msg->hdr;
    vcf_vmsg_class cls;
    int rc = vcf_vmsg_classify(h->type, h->msg_id, params->rev, &cls);

    vcf_emit_begin(&em, "header", "Header", 0, VCF_VMSG_HDR_SIZE, 0, NULL);
    type_text(meaning, sizeof meaning, h->type, &cls, rc);
    vcf_emit_uint(&em, "type", "Type", 0, 1, h->type, 1, meaning);
    vcf_emit_uint(&em, "msg_id", "Message ID", 1, 1, h->msg_id, 1, msg_id_text(&cls, rc));
    vcf_emit_uint(&em, "dev_num", "Device number", 2, 2, h->dev_num, 0, NULL);
    vcf_emit_uint(&em, "token", "Token", 4, 2, h->token, 1, NULL);
    vcf_emit_uint(&em, "msg_size", "Message size", 6, 2, h->msg_size, 0, NULL);
    vcf_emit_end(&em);

    const vcf_vmsg_layout *l = vcf_vmsg_layout_of(msg->kind);
    if (!l)
        return;
    size_t P = VCF_VMSG_HDR_SIZE;
    size_t plen = h->msg_size > P ? (size_t)h->msg_size - P : 0;
    snprintf(meaning, sizeof meaning, "%s %s", l->name,
             msg->kind == VCF_VMSG_K_IMPL_DEFINED ? msg_id_text(&cls, rc)
                                                  : vcf_vmsg_kind_direction(msg->kind));
    vcf_emit_begin(&em, "payload", "Payload", P, plen, 0, meaning);
    for (uint8_t i = 0; i < l->nfields; i++) {
        const vcf_vmsg_fdef *f = &l->fields[i];
        uint64_t v = field_value(msg, f);
        field_meaning(meaning, sizeof meaning, f, v);
        vcf_emit_uint(&em, f->name, f->label, P + f->off, f->size, v, f->mean != VCF_MEAN_NONE,
                      meaning[0] ? meaning : NULL);
    }

    const vcf_bytes *tail = vcf_vmsg_tail_view(msg, l);
    size_t toff = P + l->fixed;
    switch (l->tail) {
    case VCF_TAIL_FEATURES: {
        const vcf_vmsg_features *fe = &msg->u.features;
        vcf_emit_begin(&em, "features", "Feature blocks", toff, tail->len, 1, NULL);
        for (uint32_t i = 0; i < fe->num_blocks; i++) {
            uint32_t w = vcf_vmsg_feature_block(fe, i);
            features_text(meaning, sizeof meaning, (uint64_t)fe->block_index + i, w);
            vcf_emit_uint(&em, "features", "Feature block", toff + (size_t)i * 4u, 4, w, 1,
                          meaning[0] ? meaning : NULL);
        }
        vcf_emit_end(&em);
        break;
    }
    case VCF_TAIL_CONFIG:
    case VCF_TAIL_EVENT_CONFIG:
        vcf_emit_bytes(&em, VCF_FIELD_BYTES, "data", "Config data", toff, *tail, NULL);
        break;
    case VCF_TAIL_CONFIG_OPT:
        if (tail->len)
            vcf_emit_bytes(&em, VCF_FIELD_BYTES, "data", "Echoed config data", toff, *tail, NULL);
        break;
    case VCF_TAIL_BITMAP:
        bitmap_text(meaning, sizeof meaning, &msg->u.devices);
        vcf_emit_bytes(&em, VCF_FIELD_BYTES, "bitmap", "Device bitmap", toff, *tail, meaning);
        break;
    case VCF_TAIL_OPAQUE:
        vcf_emit_bytes(&em, VCF_FIELD_BYTES, "data", "Payload data", toff, *tail, NULL);
        break;
    default: break;
    }
    vcf_emit_end(&em);

    if (msg->padding.len)
        vcf_emit_bytes(&em, VCF_FIELD_BYTES, "padding", "Bus padding", h->msg_size, msg->padding,
                       NULL);
}

/* ---- samples (the dissector's field registry) ---------------------------------------------- */

static const uint8_t sample_tail[8] = {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01};
static const uint8_t sample_padding[4] = {0, 0, 0, 0};

/* Give the kind's variable-length part (if any) a non-empty value. */
static void sample_fill_tail(vcf_vmsg_msg *m, const vcf_vmsg_layout *l)
{
    const vcf_bytes eight = {sample_tail, 8};
    const vcf_bytes two = {sample_tail, 2};
    switch (l->tail) {
    case VCF_TAIL_FEATURES:
        m->u.features.num_blocks = 2;
        m->u.features.blocks = eight;
        break;
    case VCF_TAIL_CONFIG:
    case VCF_TAIL_CONFIG_OPT:
        m->u.config.length = 8;
        m->u.config.data = eight;
        break;
    case VCF_TAIL_EVENT_CONFIG:
        m->u.event_config.length = 8;
        m->u.event_config.data = eight;
        break;
    case VCF_TAIL_BITMAP:
        m->u.devices.count = 16;
        m->u.devices.bitmap = two;
        break;
    case VCF_TAIL_OPAQUE: m->u.opaque = eight; break;
    default: break;
    }
}

void vcf_vmsg_describe_samples(vcf_field_fn fn, void *ctx)
{
    static const vcf_vmsg_rev revs[2] = {VCF_VMSG_REV_PR28, VCF_VMSG_REV_RFC3};
    vcf_emitter em = {fn, ctx};
    for (size_t r = 0; r < 2; r++) {
        vcf_vmsg_params params;
        vcf_vmsg_params_default(&params);
        params.rev = revs[r];
        params.allow_padding = true;
        for (int k = VCF_VMSG_K_NONE + 1; k < VCF_VMSG_K_COUNT; k++) {
            const vcf_vmsg_kind kind = (vcf_vmsg_kind)k;
            const vcf_vmsg_layout *l = vcf_vmsg_layout_of(kind);
            if (!l)
                continue;
            vcf_vmsg_msg m;
            memset(&m, 0, sizeof m);
            if (kind == VCF_VMSG_K_IMPL_DEFINED) {
                /* PR28: an implementation-defined transport request; RFC3: a bus-specific
                 * bus message */
                m.kind = kind;
                m.hdr.type = revs[r] == VCF_VMSG_REV_PR28 ? 0u : VCF_VMSG_TYPE_BUS;
                m.hdr.msg_id = 0x80u;
            } else if (vcf_vmsg_init(&m, kind, 1, 1) != VCF_OK) {
                continue;
            }
            if (m.hdr.type & VCF_VMSG_TYPE_BUS)
                m.hdr.dev_num = 0;
            sample_fill_tail(&m, l);
            long size = vcf_vmsg_encoded_size(&m);
            if (size < 0)
                continue;
            m.hdr.msg_size = (uint16_t)size;
            m.padding.ptr = sample_padding;
            m.padding.len = sizeof sample_padding;
            char label[96];
            snprintf(label, sizeof label, "%s %s (%s)", l->name,
                     kind == VCF_VMSG_K_IMPL_DEFINED ? "message" : vcf_vmsg_kind_direction(kind),
                     vcf_vmsg_rev_name(revs[r]));
            vcf_emit_begin(&em, "sample", label, 0, (size_t)size + sizeof sample_padding, 0, NULL);
            vcf_vmsg_describe(&m, &params, fn, ctx);
            vcf_emit_end(&em);
        }
    }
}
