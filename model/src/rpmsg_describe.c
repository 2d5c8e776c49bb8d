/* SPDX-License-Identifier: MIT */
/*
 * RPMsg field visitor.
 */
#include <stdio.h>
#include <string.h>

#include "describe_internal.h"
#include "vconform/rpmsg.h"

static const char *addr_meaning(uint32_t addr)
{
    if (addr == VCF_RPMSG_ADDR_ANY)
        return "ADDR_ANY (wildcard, not deliverable)";
    if (addr == VCF_RPMSG_NS_ADDR)
        return "name service";
    if (addr < VCF_RPMSG_RESERVED_ADDRESSES)
        return "reserved range (predefined services)";
    return NULL;
}

static void ns_flags_text(char *out, size_t cap, uint32_t flags)
{
    vcf_textbuf t = {out, cap, 0};
    vcf_text_add(&t, (flags & VCF_RPMSG_NS_DESTROY) ? "DESTROY" : "CREATE");
    if (flags & ~(uint32_t)VCF_RPMSG_NS_FLAGS_KNOWN)
        vcf_text_addf(&t, ", undefined bits 0x%x",
                      (unsigned)(flags & ~(uint32_t)VCF_RPMSG_NS_FLAGS_KNOWN));
}

static void emit_name(const vcf_emitter *em, const char *key, const char *label, size_t off,
                      const uint8_t *bytes, size_t n)
{
    vcf_bytes b = {bytes, n};
    vcf_emit_bytes(em, VCF_FIELD_STRING, key, label, off, b, NULL);
}

void vcf_rpmsg_describe(const vcf_rpmsg_msg *msg, const vcf_rpmsg_params *params, vcf_field_fn fn,
                        void *ctx)
{
    (void)params;
    vcf_emitter em = {fn, ctx};
    const vcf_rpmsg_hdr *h = &msg->frame.hdr;
    char meaning[128];
    const size_t P = VCF_RPMSG_HDR_SIZE;

    vcf_emit_begin(&em, "header", "Header", 0, P, 0, NULL);
    vcf_emit_uint(&em, "src", "Source address", 0, 4, h->src, 1, addr_meaning(h->src));
    vcf_emit_uint(&em, "dst", "Destination address", 4, 4, h->dst, 1, addr_meaning(h->dst));
    vcf_emit_uint(&em, "reserved", "Reserved", 8, 4, h->reserved, 1, NULL);
    vcf_emit_uint(&em, "len", "Payload length", 12, 2, h->len, 0, NULL);
    vcf_emit_uint(&em, "flags", "Flags", 14, 2, h->flags, 1, NULL);
    vcf_emit_end(&em);

    switch (msg->kind) {
    case VCF_RPMSG_KIND_NS:
        vcf_emit_begin(&em, "ns", "Name service", P, VCF_RPMSG_NS_MSG_SIZE, 0, NULL);
        emit_name(&em, "name", "Name", P, msg->ns.name, VCF_RPMSG_NAME_SIZE);
        vcf_emit_uint(&em, "addr", "Announced address", P + 32, 4, msg->ns.addr, 1,
                      addr_meaning(msg->ns.addr));
        ns_flags_text(meaning, sizeof meaning, msg->ns.flags);
        vcf_emit_uint(&em, "flags", "NS flags", P + 36, 4, msg->ns.flags, 1, meaning);
        vcf_emit_end(&em);
        break;
    case VCF_RPMSG_KIND_NS_EXT: {
        const vcf_rpmsg_ns_ext *x = &msg->ns_ext;
        int ti = x->layout != VCF_RPMSG_NS_LAYOUT_EXT_VENDOR;
        snprintf(meaning, sizeof meaning, "non-standard 72-byte NS message, %s layout%s",
                 ti ? "TI NS 2.0 (name, desc, addr, flags)" : "vendor (name, addr, flags, desc)",
                 x->layout == VCF_RPMSG_NS_LAYOUT_EXT_UNKNOWN
                     ? " assumed, bytes fit both or neither"
                     : "");
        vcf_emit_begin(&em, "ns_ext", "Extended name service (non-standard)", P,
                       VCF_RPMSG_NS_EXT_MSG_SIZE, 0, meaning);
        emit_name(&em, "name", "Name", P, x->name, VCF_RPMSG_NAME_SIZE);
        if (ti)
            emit_name(&em, "desc", "Description", P + 32, x->desc, VCF_RPMSG_DESC_SIZE);
        vcf_emit_uint(&em, "addr", "Announced address", P + (ti ? 64u : 32u), 4, x->addr, 1,
                      addr_meaning(x->addr));
        ns_flags_text(meaning, sizeof meaning, x->flags);
        vcf_emit_uint(&em, "flags", "NS flags", P + (ti ? 68u : 36u), 4, x->flags, 1, meaning);
        if (!ti)
            emit_name(&em, "desc", "Description", P + 40, x->desc, VCF_RPMSG_DESC_SIZE);
        vcf_emit_end(&em);
        break;
    }
    default:
        vcf_emit_bytes(&em, VCF_FIELD_BYTES, "payload", "Payload", P, msg->frame.payload, NULL);
        break;
    }
    if (msg->frame.slack) {
        vcf_bytes slack = {msg->frame.payload.ptr + msg->frame.payload.len, msg->frame.slack};
        vcf_emit_bytes(&em, VCF_FIELD_BYTES, "slack", "Bytes after the payload", P + h->len, slack,
                       "inside the used length, past len: ignored");
    }
}

/* ---- samples (the dissector's field registry) ---------------------------------------------- */

/* 16-byte header space, then bytes shared by the payload and slack views */
static const uint8_t sample_bytes[8] = {0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00};

static void sample_ns_name(uint8_t *out, size_t cap, const char *text)
{
    size_t i = 0;
    for (; text[i] && i < cap; i++)
        out[i] = (uint8_t)text[i];
    for (; i < cap; i++)
        out[i] = 0;
}

static void describe_sample(const vcf_emitter *em, const char *label, const vcf_rpmsg_msg *msg,
                            const vcf_rpmsg_params *params)
{
    size_t size = VCF_RPMSG_HDR_SIZE + msg->frame.hdr.len + msg->frame.slack;
    vcf_emit_begin(em, "sample", label, 0, size, 0, NULL);
    vcf_rpmsg_describe(msg, params, em->fn, em->ctx);
    vcf_emit_end(em);
}

void vcf_rpmsg_describe_samples(vcf_field_fn fn, void *ctx)
{
    vcf_emitter em = {fn, ctx};
    vcf_rpmsg_params params;
    vcf_rpmsg_params_default(&params);
    vcf_rpmsg_msg m;

    /* data message with a payload and bytes after it */
    memset(&m, 0, sizeof m);
    m.kind = VCF_RPMSG_KIND_DATA;
    m.frame.hdr.src = 1024;
    m.frame.hdr.dst = 1025;
    m.frame.hdr.len = 4;
    m.frame.payload.ptr = sample_bytes;
    m.frame.payload.len = 4;
    m.frame.slack = 4;
    describe_sample(&em, "data message with slack", &m, &params);

    /* standard name-service message */
    memset(&m, 0, sizeof m);
    m.kind = VCF_RPMSG_KIND_NS;
    m.frame.hdr.src = 1024;
    m.frame.hdr.dst = VCF_RPMSG_NS_ADDR;
    m.frame.hdr.len = VCF_RPMSG_NS_MSG_SIZE;
    sample_ns_name(m.ns.name, sizeof m.ns.name, "rpmsg-echo");
    m.ns.addr = 1024;
    m.ns.flags = VCF_RPMSG_NS_CREATE;
    describe_sample(&em, "name-service message", &m, &params);

    /* both non-standard 72-byte layouts */
    static const vcf_rpmsg_ns_layout layouts[2] = {VCF_RPMSG_NS_LAYOUT_EXT_TI,
                                                   VCF_RPMSG_NS_LAYOUT_EXT_VENDOR};
    static const char *const labels[2] = {"non-standard name-service message (TI layout)",
                                          "non-standard name-service message (vendor layout)"};
    for (size_t i = 0; i < 2; i++) {
        memset(&m, 0, sizeof m);
        m.kind = VCF_RPMSG_KIND_NS_EXT;
        m.frame.hdr.src = 1024;
        m.frame.hdr.dst = VCF_RPMSG_NS_ADDR;
        m.frame.hdr.len = VCF_RPMSG_NS_EXT_MSG_SIZE;
        m.ns_ext.layout = layouts[i];
        sample_ns_name(m.ns_ext.name, sizeof m.ns_ext.name, "rpmsg-echo");
        sample_ns_name(m.ns_ext.desc, sizeof m.ns_ext.desc, "echo service");
        m.ns_ext.addr = 1024;
        m.ns_ext.flags = VCF_RPMSG_NS_DESTROY;
        describe_sample(&em, labels[i], &m, &params);
    }
}
