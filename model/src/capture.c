/* SPDX-License-Identifier: MIT */
/*
 * vconform: the capture record codec (docs/capture-format.md). Pure: caller memory only.
 */
#include "vconform/capture.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "vconform/adapter.h"
#include "wire_internal.h"

static const char *const bus_names[VCF_CAPTURE_BUS_COUNT] = {
    "unknown",    "harness", "remoteproc", "virtio-mmio", "virtio-pci",
    "vhost-user", "ffa",     "amp",        "xen",         "loopback",
};

void vcf_capture_meta_init(vcf_capture_meta *meta)
{
    memset(meta, 0, sizeof *meta);
    meta->result = VCF_CAPTURE_RESULT_NONE;
}

uint32_t vcf_capture_protocol_of(uint32_t role)
{
    switch (role) {
    case VCF_IUT_RPMSG_DRIVER:
    case VCF_IUT_RPMSG_DEVICE: return VCF_CAPTURE_PROTO_RPMSG;
    case VCF_IUT_VMSG_DEVICE:
    case VCF_IUT_VMSG_DRIVER:
    case VCF_IUT_VMSG_BUS: return VCF_CAPTURE_PROTO_VMSG;
    default: return VCF_CAPTURE_PROTO_UNKNOWN;
    }
}

const char *vcf_capture_protocol_name(uint32_t protocol)
{
    switch (protocol) {
    case VCF_CAPTURE_PROTO_RPMSG: return "rpmsg";
    case VCF_CAPTURE_PROTO_VMSG: return "virtio-msg";
    default: return "unknown";
    }
}

const char *vcf_capture_bus_name(uint32_t bus)
{
    return bus < VCF_CAPTURE_BUS_COUNT ? bus_names[bus] : "unknown";
}

int vcf_capture_bus_parse(const char *name, uint32_t *out)
{
    if (!name)
        return -1;
    for (uint32_t i = 0; i < VCF_CAPTURE_BUS_COUNT; i++) {
        if (strcmp(name, bus_names[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return -1;
}

const char *vcf_capture_linktype_name(uint32_t linktype)
{
    static const char *const user[16] = {"user0",  "user1",  "user2",  "user3", "user4",  "user5",
                                         "user6",  "user7",  "user8",  "user9", "user10", "user11",
                                         "user12", "user13", "user14", "user15"};
    if (linktype == VCF_CAPTURE_LINKTYPE_UPPER_PDU)
        return "upper-pdu";
    if (linktype >= VCF_CAPTURE_LINKTYPE_USER0 && linktype <= VCF_CAPTURE_LINKTYPE_USER15)
        return user[linktype - VCF_CAPTURE_LINKTYPE_USER0];
    return NULL;
}

int vcf_capture_linktype_parse(const char *name, uint32_t *out)
{
    if (!name || !*name)
        return -1;
    for (uint32_t lt = VCF_CAPTURE_LINKTYPE_USER0; lt <= VCF_CAPTURE_LINKTYPE_UPPER_PDU; lt++) {
        const char *n = vcf_capture_linktype_name(lt);
        if (n && strcmp(name, n) == 0) {
            *out = lt;
            return 0;
        }
    }
    /* a decimal number of at most three digits */
    uint32_t v = 0;
    size_t i = 0;
    for (; name[i]; i++) {
        if (name[i] < '0' || name[i] > '9' || i >= 3)
            return -1;
        v = v * 10u + (uint32_t)(name[i] - '0');
    }
    if (!vcf_capture_linktype_name(v))
        return -1;
    *out = v;
    return 0;
}

static uint32_t clamp32(uint64_t v)
{
    return v > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)v;
}

static uint8_t clamp8(uint32_t v)
{
    return v > 0xFFu ? 0xFFu : (uint8_t)v;
}

static bool linktype_ok(uint32_t linktype)
{
    return linktype == VCF_CAPTURE_LINKTYPE_UPPER_PDU ||
           (linktype >= VCF_CAPTURE_LINKTYPE_USER0 && linktype <= VCF_CAPTURE_LINKTYPE_USER15);
}

size_t vcf_capture_encode(uint32_t linktype, const vcf_capture_meta *meta, const uint8_t *data,
                          size_t len, size_t max_data, uint8_t *buf, size_t cap)
{
    static const char name[] = VCF_CAPTURE_DISSECTOR;
    const size_t name_len = sizeof name - 1;
    const size_t name_pad = (name_len + 3u) & ~(size_t)3u;
    if (!linktype_ok(linktype) || !meta)
        return 0;
    const size_t tags = linktype == VCF_CAPTURE_LINKTYPE_UPPER_PDU ? 4u + name_pad + 4u : 0u;

    size_t id_len = meta->case_id ? strlen(meta->case_id) : 0;
    if (id_len > VCF_CAPTURE_CASE_ID_MAX)
        id_len = VCF_CAPTURE_CASE_ID_MAX;
    const size_t hdr_len = VCF_CAPTURE_FIXED_SIZE + ((id_len + 3u) & ~(size_t)3u);
    if (!data)
        len = 0;
    const size_t data_len = len < max_data ? len : max_data;
    const size_t total = tags + hdr_len + data_len;
    if (!buf || cap < total)
        return total;

    memset(buf, 0, tags + hdr_len);
    uint8_t *p = buf;
    if (tags) {
        vcf_st16be(p, VCF_EXP_PDU_TAG_DISSECTOR_NAME);
        vcf_st16be(p + 2, (uint16_t)name_pad);
        memcpy(p + 4, name, name_len);
        p += 4 + name_pad;
        vcf_st16be(p, VCF_EXP_PDU_TAG_END_OF_OPT);
        vcf_st16be(p + 2, 0);
        p += 4;
    }

    uint32_t flags = meta->flags & ~(uint32_t)VCF_CAPTURE_F_TRUNCATED;
    if (data_len < len)
        flags |= VCF_CAPTURE_F_TRUNCATED;
    uint32_t protocol = meta->protocol ? meta->protocol : vcf_capture_protocol_of(meta->role);
    vcf_st32le(p, VCF_CAPTURE_MAGIC);
    p[4] = VCF_CAPTURE_VERSION;
    p[5] = clamp8(protocol);
    vcf_st16le(p + 6, (uint16_t)hdr_len);
    p[8] = clamp8(meta->direction);
    p[9] = clamp8(meta->role);
    p[10] = clamp8(meta->channel);
    p[11] = clamp8(meta->order);
    p[12] = clamp8(meta->result);
    p[13] = 0;
    vcf_st16le(p + 14, (uint16_t)flags);
    vcf_st32le(p + 16, clamp32(meta->capacity));
    vcf_st32le(p + 20, clamp32(meta->used_len ? meta->used_len : len));
    vcf_st32le(p + 24, clamp32(len));
    vcf_st32le(p + 28, meta->case_index);
    vcf_st32le(p + 32, meta->step_index);
    vcf_st32le(p + 36, meta->record_index);
    vcf_st16le(p + 40, (uint16_t)(id_len ? VCF_CAPTURE_FIXED_SIZE : 0u));
    vcf_st16le(p + 42, (uint16_t)id_len);
    p[44] = clamp8(meta->bus);
    p[45] = clamp8(meta->revision);
    vcf_st16le(p + 46, (uint16_t)meta->link_flags);
    vcf_st32le(p + 48, meta->max_msg_size);
    vcf_st32le(p + 52, meta->instance);
    if (id_len)
        memcpy(p + VCF_CAPTURE_FIXED_SIZE, meta->case_id, id_len);
    p += hdr_len;
    if (data_len)
        memcpy(p, data, data_len);
    return total;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
parse_error(char *err, size_t err_len, const char *fmt, ...)
{
    if (err && err_len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, err_len, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Walk the exported-PDU tags; the offset of the pseudo-header, or -1. */
static int parse_tags(const uint8_t *buf, size_t len, vcf_capture_view *out, char *err,
                      size_t err_len)
{
    size_t off = 0;
    for (;;) {
        if (len - off < 4)
            return parse_error(err, err_len,
                               "byte %zu: exported-PDU tag header truncated (expected 4 bytes, "
                               "%zu left)",
                               off, len - off);
        uint16_t type = vcf_ld16be(buf + off), tlen = vcf_ld16be(buf + off + 2);
        if (len - off - 4 < tlen)
            return parse_error(err, err_len,
                               "byte %zu: exported-PDU tag %u value of %u bytes runs past the "
                               "record (%zu left)",
                               off, (unsigned)type, (unsigned)tlen, len - off - 4);
        if (type == VCF_EXP_PDU_TAG_DISSECTOR_NAME) {
            size_t n = tlen;
            while (n && buf[off + 4 + n - 1] == 0)
                n--;
            out->dissector = (const char *)(buf + off + 4);
            out->dissector_len = n;
        }
        off += 4u + tlen;
        if (type == VCF_EXP_PDU_TAG_END_OF_OPT)
            break;
    }
    out->tags_len = off;
    if (!out->dissector)
        return parse_error(err, err_len, "byte 0: no EXP_PDU_TAG_DISSECTOR_NAME tag");
    return 0;
}

int vcf_capture_parse(uint32_t linktype, const uint8_t *buf, size_t len, vcf_capture_view *out,
                      char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    if (!linktype_ok(linktype))
        return parse_error(err, err_len,
                           "link type %u: expected 252 (WIRESHARK_UPPER_PDU) or 147-162 (USER0-15)",
                           (unsigned)linktype);
    static const uint8_t none[1];
    if (!buf) {
        buf = none; /* no pointer arithmetic on NULL */
        len = 0;
    }
    if (linktype == VCF_CAPTURE_LINKTYPE_UPPER_PDU && parse_tags(buf, len, out, err, err_len) != 0)
        return -1;
    const size_t off = out->tags_len;
    const uint8_t *p = buf + off;
    const size_t rest = len - off;
    if (rest < 8)
        return parse_error(err, err_len,
                           "byte %zu: pseudo-header truncated (expected at least 8 bytes, %zu "
                           "left)",
                           off, rest);
    if (vcf_ld32le(p) != VCF_CAPTURE_MAGIC)
        return parse_error(err, err_len,
                           "byte %zu: pseudo-header magic %02x%02x%02x%02x, expected 56434650 "
                           "(\"VCFP\")",
                           off, p[0], p[1], p[2], p[3]);
    out->version = p[4];
    out->protocol = p[5];
    out->hdr_len = vcf_ld16le(p + 6);
    if (out->version < 1)
        return parse_error(err, err_len, "byte %zu: pseudo-header version 0, expected >= 1",
                           off + 4);
    const size_t fixed = out->version >= 2 ? VCF_CAPTURE_FIXED_SIZE : VCF_CAPTURE_V1_FIXED_SIZE;
    if (out->hdr_len < fixed)
        return parse_error(err, err_len,
                           "byte %zu: pseudo-header length %u, expected at least %zu for version "
                           "%u",
                           off + 6, (unsigned)out->hdr_len, fixed, (unsigned)out->version);
    if (out->hdr_len > rest)
        return parse_error(err, err_len,
                           "byte %zu: pseudo-header length %u runs past the record (%zu bytes "
                           "from the magic on)",
                           off + 6, (unsigned)out->hdr_len, rest);
    out->direction = p[8];
    out->role = p[9];
    out->channel = p[10];
    out->order = p[11];
    out->result = p[12];
    out->flags = vcf_ld16le(p + 14);
    out->capacity = vcf_ld32le(p + 16);
    out->used_len = vcf_ld32le(p + 20);
    out->orig_len = vcf_ld32le(p + 24);
    out->case_index = vcf_ld32le(p + 28);
    out->step_index = vcf_ld32le(p + 32);
    out->record_index = vcf_ld32le(p + 36);
    if (out->version >= 2) {
        out->bus = p[44];
        out->revision = p[45];
        out->link_flags = vcf_ld16le(p + 46);
        out->max_msg_size = vcf_ld32le(p + 48);
        out->instance = vcf_ld32le(p + 52);
    }
    uint16_t id_off = vcf_ld16le(p + 40), id_len = vcf_ld16le(p + 42);
    if (id_off) {
        if (id_off < fixed || (size_t)id_off + id_len > out->hdr_len)
            return parse_error(err, err_len,
                               "byte %zu: case ID at %u+%u lies outside the pseudo-header's "
                               "variable part (%zu to %u)",
                               off + 40, (unsigned)id_off, (unsigned)id_len, fixed,
                               (unsigned)out->hdr_len);
        out->case_id = (const char *)(p + id_off);
        out->case_id_len = id_len;
    } else if (id_len) {
        return parse_error(err, err_len, "byte %zu: case ID length %u without an offset", off + 42,
                           (unsigned)id_len);
    }
    out->data = p + out->hdr_len;
    out->data_len = rest - out->hdr_len;
    const bool truncated = (out->flags & VCF_CAPTURE_F_TRUNCATED) != 0;
    if ((!truncated && out->data_len != out->orig_len) ||
        (truncated && out->data_len >= out->orig_len))
        return parse_error(err, err_len, "byte %zu: %zu message bytes for orig_len %u%s",
                           off + out->hdr_len, out->data_len, (unsigned)out->orig_len,
                           truncated ? " with the truncated flag" : "");
    return 0;
}

void vcf_capture_rpmsg_params(const vcf_capture_view *view, vcf_rpmsg_params *out)
{
    vcf_rpmsg_params_default(out);
    out->order = view->order == VCF_CAPTURE_ORDER_BE ? VCF_BIG_ENDIAN : VCF_LITTLE_ENDIAN;
    if (view->link_flags & VCF_CAPTURE_L_NS_KNOWN)
        out->ns = (view->link_flags & VCF_CAPTURE_L_NS) != 0;
}

void vcf_capture_vmsg_params(const vcf_capture_view *view, vcf_vmsg_params *out)
{
    vcf_vmsg_params_default(out);
    if (vcf_vmsg_rev_name((vcf_vmsg_rev)view->revision) != NULL)
        out->rev = (vcf_vmsg_rev)view->revision;
    out->max_msg_size = view->max_msg_size;
    out->allow_padding = (view->link_flags & VCF_CAPTURE_L_PADDING) != 0;
}

void vcf_capture_view_meta(const vcf_capture_view *view, vcf_capture_meta *out)
{
    vcf_capture_meta_init(out);
    out->protocol = view->protocol;
    out->role = view->role;
    out->direction = view->direction;
    out->channel = view->channel;
    out->order = view->order;
    out->result = view->result;
    out->flags = view->flags;
    out->capacity = view->capacity;
    out->used_len = view->used_len;
    out->case_index = view->case_index;
    out->step_index = view->step_index;
    out->record_index = view->record_index;
    out->bus = view->bus;
    out->revision = view->revision;
    out->link_flags = view->link_flags;
    out->max_msg_size = view->max_msg_size;
    out->instance = view->instance;
}
