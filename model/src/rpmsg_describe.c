/* SPDX-License-Identifier: MIT */
/*
 * RPMsg field visitor.
 */
#include <stdio.h>

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
