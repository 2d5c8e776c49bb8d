/* SPDX-License-Identifier: MIT */
/*
 * virtio-msg wire codecs: header, classification of message IDs, and every transport and bus
 * message of the RFC3/PR28 wire format.
 */
#include <string.h>

#include "vconform/vmsg.h"
#include "vconform/vmsg_rules.h"
#include "vmsg_layout.h"
#include "vmsg_layouts.h"
#include "wire_internal.h"

/* header field offsets */
enum { OFF_TYPE = 0, OFF_MSG_ID = 1, OFF_DEV_NUM = 2, OFF_TOKEN = 4, OFF_MSG_SIZE = 6 };

/* ---- revisions and parameters ------------------------------------------------------------ */

const char *vcf_vmsg_rev_name(vcf_vmsg_rev rev)
{
    switch (rev) {
    case VCF_VMSG_REV_RFC3: return "rfc3";
    case VCF_VMSG_REV_PR28: return "pr28";
    }
    return NULL;
}

int vcf_vmsg_rev_parse(const char *name, vcf_vmsg_rev *out)
{
    if (name && strcmp(name, "rfc3") == 0) {
        *out = VCF_VMSG_REV_RFC3;
        return VCF_OK;
    }
    if (name && strcmp(name, "pr28") == 0) {
        *out = VCF_VMSG_REV_PR28;
        return VCF_OK;
    }
    return VCF_E_INVAL;
}

void vcf_vmsg_params_default(vcf_vmsg_params *params)
{
    params->rev = VCF_VMSG_REV_DEFAULT;
    params->max_msg_size = 0;
    params->allow_padding = false;
}

/* ---- layouts (expanded from vmsg_layouts.h) ------------------------------------------------ */

#define FDEF(name, label, off, size, member, mean)                                                 \
    {name, label, off, size, (uint16_t)offsetof(vcf_vmsg_msg, u.member), mean},
#define FIELD_TABLE(table, FIELDS) static const vcf_vmsg_fdef table[] = {FIELDS(FDEF)};
VCF_VMSG_FIELD_TABLES(FIELD_TABLE)

#define FSIZE(name, label, off, size, member, mean)  +(size)
#define FCOUNT(name, label, off, size, member, mean) +1
#define LAYOUT(kind, name, type, id, FIELDS, table, tail)                                          \
    [kind] = {name, type, id, (uint8_t)(0 FIELDS(FSIZE)), tail, (uint8_t)(0 FIELDS(FCOUNT)), table},
static const vcf_vmsg_layout layouts[VCF_VMSG_K_COUNT] = {
    VCF_VMSG_KINDS(LAYOUT)[VCF_VMSG_K_IMPL_DEFINED] = {"IMPLEMENTATION_DEFINED", 0, 0, 0,
                                                       VCF_TAIL_OPAQUE, 0, NULL},
};

/* (type bits 0..1, msg_id) -> kind, for every message the revisions define; 0 elsewhere */
#define KIND_ENTRY(kind, name, type, id, FIELDS, table, tail) [type][id] = (uint8_t)(kind),
static const uint8_t kind_table[4][256] = {VCF_VMSG_KINDS(KIND_ENTRY)};

const vcf_vmsg_layout *vcf_vmsg_layout_of(vcf_vmsg_kind kind)
{
    if (kind <= VCF_VMSG_K_NONE || kind >= VCF_VMSG_K_COUNT)
        return NULL;
    return &layouts[kind];
}

/* Offset of the tail's view in vcf_vmsg_msg (a constant for a constant tail). */
VCF_ALWAYS_INLINE size_t tail_soff(int tail)
{
    switch (tail) {
    case VCF_TAIL_FEATURES: return offsetof(vcf_vmsg_msg, u.features.blocks);
    case VCF_TAIL_CONFIG:
    case VCF_TAIL_CONFIG_OPT: return offsetof(vcf_vmsg_msg, u.config.data);
    case VCF_TAIL_EVENT_CONFIG: return offsetof(vcf_vmsg_msg, u.event_config.data);
    case VCF_TAIL_BITMAP: return offsetof(vcf_vmsg_msg, u.devices.bitmap);
    case VCF_TAIL_OPAQUE: return offsetof(vcf_vmsg_msg, u.opaque);
    default: return 0;
    }
}

size_t vcf_vmsg_tail_soff(const vcf_vmsg_layout *layout)
{
    return tail_soff(layout->tail);
}

/* Bytes of variable-length data that the message's own count or length field implies (tail
 * is a constant where the caller's is). Not defined for VCF_TAIL_OPAQUE, whose length is
 * whatever the message holds. The SET_CONFIG response may also carry no data at all. */
VCF_ALWAYS_INLINE uint64_t tail_len(const vcf_vmsg_msg *m, int tail)
{
    switch (tail) {
    case VCF_TAIL_FEATURES: return (uint64_t)m->u.features.num_blocks * 4u;
    case VCF_TAIL_CONFIG:
    case VCF_TAIL_CONFIG_OPT: return m->u.config.length;
    case VCF_TAIL_EVENT_CONFIG: return m->u.event_config.length;
    case VCF_TAIL_BITMAP: return ((uint64_t)m->u.devices.count + 7u) / 8u;
    default: return 0;
    }
}

/* The field each tail's length comes from, and the size rule in words. */
static const struct {
    const char *count_field;
    const char *rule;
} tail_info[VCF_TAIL_OPAQUE + 1] = {
    [VCF_TAIL_NONE] = {NULL, NULL},
    [VCF_TAIL_FEATURES] = {"num_blocks", "msg_size must be 16 + 4 * num_blocks"},
    [VCF_TAIL_CONFIG] = {"length", "msg_size must be 20 + length"},
    [VCF_TAIL_CONFIG_OPT] = {"length", "msg_size must be 20, or 20 + length with echoed data"},
    [VCF_TAIL_EVENT_CONFIG] = {"length", "msg_size must be 24 + length"},
    [VCF_TAIL_BITMAP] = {"count", "msg_size must be 14 + count / 8"},
    [VCF_TAIL_OPAQUE] = {"payload", NULL},
};

/* ---- classification ---------------------------------------------------------------------- */

/* IDs the table does not define: implementation-defined, reserved, undefined, or a response
 * to an event. */
static int classify_other(uint8_t msg_id, vcf_vmsg_rev rev, vcf_vmsg_class *out)
{
    if (msg_id < 0x40)
        out->range = VCF_VMSG_RANGE_REQUEST;
    else if (msg_id < 0x80)
        out->range = VCF_VMSG_RANGE_EVENT;
    else if (rev == VCF_VMSG_REV_PR28)
        out->range = msg_id < 0xC0 ? VCF_VMSG_RANGE_IMPL_REQUEST : VCF_VMSG_RANGE_IMPL_EVENT;
    else
        out->range = out->bus ? VCF_VMSG_RANGE_IMPL : VCF_VMSG_RANGE_RESERVED;
    out->event = out->range == VCF_VMSG_RANGE_EVENT || out->range == VCF_VMSG_RANGE_IMPL_EVENT;
    if (out->event && out->response)
        return VCF_E_BAD_KIND;
    switch (out->range) {
    case VCF_VMSG_RANGE_RESERVED: return VCF_E_UNKNOWN_ID;
    case VCF_VMSG_RANGE_IMPL_REQUEST:
    case VCF_VMSG_RANGE_IMPL_EVENT:
    case VCF_VMSG_RANGE_IMPL: out->kind = VCF_VMSG_K_IMPL_DEFINED; return VCF_OK;
    default: return VCF_E_UNKNOWN_ID;
    }
}

VCF_ALWAYS_INLINE int classify(uint8_t type, uint8_t msg_id, vcf_vmsg_rev rev, vcf_vmsg_class *out)
{
    if (rev != VCF_VMSG_REV_RFC3 && rev != VCF_VMSG_REV_PR28)
        return VCF_E_INVAL;
    out->bus = (type & VCF_VMSG_TYPE_BUS) != 0;
    out->response = (type & VCF_VMSG_TYPE_RESPONSE) != 0;
    out->kind = (vcf_vmsg_kind)kind_table[type & 3u][msg_id];
    if (out->kind == VCF_VMSG_K_NONE)
        return classify_other(msg_id, rev, out);
    /* the table holds standard IDs only, and events only without the response bit */
    out->range = msg_id < 0x40 ? VCF_VMSG_RANGE_REQUEST : VCF_VMSG_RANGE_EVENT;
    out->event = msg_id >= 0x40;
    return VCF_OK;
}

int vcf_vmsg_classify(uint8_t type, uint8_t msg_id, vcf_vmsg_rev rev, vcf_vmsg_class *out)
{
    return classify(type, msg_id, rev, out);
}

const char *vcf_vmsg_kind_name(vcf_vmsg_kind kind)
{
    const vcf_vmsg_layout *l = vcf_vmsg_layout_of(kind);
    return l ? l->name : NULL;
}

int vcf_vmsg_kind_header(vcf_vmsg_kind kind, uint8_t *type, uint8_t *msg_id)
{
    const vcf_vmsg_layout *l = vcf_vmsg_layout_of(kind);
    if (!l || kind == VCF_VMSG_K_IMPL_DEFINED)
        return VCF_E_INVAL;
    *type = l->type;
    *msg_id = l->msg_id;
    return VCF_OK;
}

const char *vcf_vmsg_kind_direction(vcf_vmsg_kind kind)
{
    const vcf_vmsg_layout *l = vcf_vmsg_layout_of(kind);
    if (!l || kind == VCF_VMSG_K_IMPL_DEFINED)
        return "unknown";
    if (l->type & VCF_VMSG_TYPE_RESPONSE)
        return "response";
    return l->msg_id >= 0x40 ? "event" : "request";
}

/* Append str to the name being built in buf (len bytes so far); the new length. */
static size_t name_add(char *buf, size_t cap, size_t len, const char *str)
{
    size_t n = strlen(str);
    if (n > cap - 1 - len)
        n = cap - 1 - len;
    memcpy(buf + len, str, n);
    buf[len + n] = '\0';
    return len + n;
}

size_t vcf_vmsg_msg_name(const vcf_vmsg_msg *msg, char *buf, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    if (!cap)
        return 0;
    buf[0] = '\0';
    if (msg->kind != VCF_VMSG_K_IMPL_DEFINED) {
        size_t len = name_add(buf, cap, 0, vcf_vmsg_kind_name(msg->kind));
        len = name_add(buf, cap, len, " ");
        return name_add(buf, cap, len, vcf_vmsg_kind_direction(msg->kind));
    }
    const char id[] = {'0', 'x', hex[msg->hdr.msg_id >> 4], hex[msg->hdr.msg_id & 0xFu], '\0'};
    size_t len = name_add(buf, cap, 0, "implementation-defined ");
    len = name_add(buf, cap, len, (msg->hdr.type & VCF_VMSG_TYPE_BUS) ? "bus" : "transport");
    len = name_add(buf, cap, len, " message ");
    return name_add(buf, cap, len, id);
}

int vcf_vmsg_init(vcf_vmsg_msg *msg, vcf_vmsg_kind kind, uint16_t dev_num, uint16_t token)
{
    uint8_t type, msg_id;
    int rc = vcf_vmsg_kind_header(kind, &type, &msg_id);
    if (rc != VCF_OK)
        return rc;
    memset(msg, 0, sizeof *msg);
    msg->kind = kind;
    msg->hdr.type = type;
    msg->hdr.msg_id = msg_id;
    msg->hdr.dev_num = dev_num;
    msg->hdr.token = token;
    msg->hdr.msg_size = (uint16_t)(VCF_VMSG_HDR_SIZE + layouts[kind].fixed);
    return VCF_OK;
}

/* ---- parse: cold error paths ------------------------------------------------------------ */

static const struct {
    const char *name;
    size_t off;
} hdr_fields[] = {{"type", OFF_TYPE},
                  {"msg_id", OFF_MSG_ID},
                  {"dev_num", OFF_DEV_NUM},
                  {"token", OFF_TOKEN},
                  {"msg_size", OFF_MSG_SIZE}};

static VCF_COLD int hdr_truncated(size_t len, vcf_error *err)
{
    size_t i = 0;
    while (i + 1 < sizeof hdr_fields / sizeof hdr_fields[0] && hdr_fields[i + 1].off <= len)
        i++;
    return vcf_failv(err, VCF_E_TRUNCATED, hdr_fields[i].name, hdr_fields[i].off,
                     "the virtio-msg header is 8 bytes", VCF_VMSG_HDR_SIZE, len);
}

static VCF_COLD int bad_id(const vcf_vmsg_hdr *h, int rc, vcf_error *err)
{
    if (rc == VCF_E_INVAL)
        return vcf_fail(err, VCF_E_INVAL, "rev", 0, "unsupported virtio-msg revision");
    if (rc == VCF_E_BAD_KIND)
        return vcf_failv(err, VCF_E_BAD_KIND, "type", OFF_TYPE,
                         "the response bit is set on an event ID; events have no response",
                         h->type & ~VCF_VMSG_TYPE_RESPONSE, h->type);
    /* an undefined ID at 0x80 or above can only be RFC3's reserved transport range */
    const char *why = "not a transport message this revision defines";
    if (h->msg_id >= 0x80)
        why = "transport IDs 0x80-0xFF are reserved in RFC3";
    else if (h->type & VCF_VMSG_TYPE_BUS)
        why = "not a bus message this revision defines";
    return vcf_failv(err, VCF_E_UNKNOWN_ID, "msg_id", OFF_MSG_ID, why, 0, h->msg_id);
}

/* The message (as msg_size delimits it) ends inside a fixed field: name that field. */
static VCF_COLD int field_truncated(const vcf_vmsg_layout *l, size_t plen, uint16_t msg_size,
                                    vcf_error *err)
{
    const vcf_vmsg_fdef *f = l->fields;
    while ((size_t)f->off + f->size <= plen)
        f++;
    return vcf_failv(err, VCF_E_TRUNCATED, f->name, VCF_VMSG_HDR_SIZE + f->off,
                     "msg_size ends inside this field", VCF_VMSG_HDR_SIZE + l->fixed, msg_size);
}

/* The variable-length part disagrees with its count or length field. */
static VCF_COLD int tail_mismatch(const vcf_vmsg_msg *msg, const vcf_vmsg_layout *l, vcf_error *err)
{
    uint64_t fixed_end = VCF_VMSG_HDR_SIZE + l->fixed;
    if (l->tail == VCF_TAIL_NONE)
        return vcf_failv(err, VCF_E_TRAILING, "trailing", fixed_end,
                         "bytes after the end of the payload this message defines", fixed_end,
                         msg->hdr.msg_size);
    return vcf_failv(err, VCF_E_SIZE_MISMATCH, "msg_size", OFF_MSG_SIZE, tail_info[l->tail].rule,
                     fixed_end + tail_len(msg, l->tail), msg->hdr.msg_size);
}

/* ---- rule checks ------------------------------------------------------------------------- */

static const char status_detail[] =
    "only bits 0..7 of the device status are defined; bits 8..31 are sent as zero";

VCF_ALWAYS_INLINE void check_status(vcf_errlist *l, uint32_t status, const char *field, size_t off)
{
    if (status & ~(uint32_t)VCF_VIRTIO_STATUS_DEFINED)
        vcf_errlist_addx(l, VCF_E_RESERVED, field, off, status_detail,
                         status & VCF_VIRTIO_STATUS_DEFINED, status);
}

VCF_ALWAYS_INLINE void check_multiple(vcf_errlist *l, uint64_t value, unsigned of,
                                      const char *field, size_t off, const char *detail,
                                      bool round_up, vcf_vmsg_rule rule)
{
    if (value % of == 0)
        return;
    uint64_t near = round_up ? value + (of - value % of) : value - value % of;
    vcf_error_rule(vcf_errlist_addv(l, VCF_E_ALIGN, field, off, detail, near, value),
                   vcf_vmsg_rule_id(rule), 0);
}

/* Which size rule a too-large message breaks: the driver's (requests, EVENT_AVAIL), the
 * device's (responses, EVENT_CONFIG, EVENT_USED) or, for bus messages, the bus's own limits. */
static const char *size_rule(const vcf_vmsg_msg *msg)
{
    if (msg->hdr.type & VCF_VMSG_TYPE_BUS)
        return vcf_vmsg_rule_id(VCF_VMSG_R_PARAM_02);
    if ((msg->hdr.type & VCF_VMSG_TYPE_RESPONSE) ||
        (msg->hdr.msg_id >= 0x40 && msg->kind != VCF_VMSG_K_EVENT_AVAIL))
        return vcf_vmsg_rule_id(VCF_VMSG_R_SIZE_02);
    return vcf_vmsg_rule_id(VCF_VMSG_R_SIZE_01);
}

/* Rules on the header, common to every message. */
VCF_ALWAYS_INLINE void header_check(const vcf_vmsg_msg *msg, const vcf_vmsg_params *params,
                                    vcf_errlist *l)
{
    const vcf_vmsg_hdr *h = &msg->hdr;

    bool rfc3 = params->rev == VCF_VMSG_REV_RFC3;
    if (h->type & VCF_VMSG_TYPE_RESERVED)
        vcf_error_rule(vcf_errlist_addx(l, VCF_E_RESERVED, "type", OFF_TYPE,
                                        "type bits 2..7 are reserved: sent as zero, ignored on "
                                        "receive",
                                        h->type & ~VCF_VMSG_TYPE_RESERVED, h->type),
                       vcf_vmsg_rule_id(VCF_VMSG_R_HDR_15), 0);
    if (params->max_msg_size && h->msg_size > params->max_msg_size)
        vcf_error_rule(vcf_errlist_addv(l, VCF_E_TOO_LARGE, "msg_size", OFF_MSG_SIZE,
                                        "larger than the maximum message size of the bus",
                                        params->max_msg_size, h->msg_size),
                       size_rule(msg), 0);
    if ((h->type & VCF_VMSG_TYPE_BUS) && h->dev_num != 0)
        vcf_error_rule(
            vcf_errlist_addv(l, VCF_E_MBZ, "dev_num", OFF_DEV_NUM, "bus messages carry dev_num 0",
                             0, h->dev_num),
            rfc3 ? vcf_vmsg_rule_id(VCF_VMSG_R_R3_04) : vcf_vmsg_rule_id(VCF_VMSG_R_HDR_11), 0);
    /* RFC3 puts the token on the wire; PR28 hands it to the bus. Implementation-defined
     * messages are the bus's own business in RFC3. */
    if (rfc3 && msg->kind != VCF_VMSG_K_IMPL_DEFINED && msg->kind > VCF_VMSG_K_NONE &&
        msg->kind < VCF_VMSG_K_COUNT) {
        bool event = !(h->type & VCF_VMSG_TYPE_RESPONSE) && layouts[msg->kind].msg_id >= 0x40;
        if (event && h->token != 0)
            vcf_error_rule(vcf_errlist_addv(l, VCF_E_MBZ, "token", OFF_TOKEN,
                                            "RFC3: events carry token 0", 0, h->token),
                           vcf_vmsg_rule_id(VCF_VMSG_R_R3_01), 0);
        else if (!event && h->token == 0)
            vcf_error_rule(
                vcf_errlist_add(l, VCF_E_RANGE, "token", OFF_TOKEN,
                                (h->type & VCF_VMSG_TYPE_RESPONSE)
                                    ? "RFC3: a response echoes its request's token, which is "
                                      "non-zero"
                                    : "RFC3: a request carries a non-zero token"),
                vcf_vmsg_rule_id(VCF_VMSG_R_R3_01), 0);
    }
}

/* Rules on the payload of one kind; inlined with a constant kind by the parser. */
VCF_ALWAYS_INLINE void kind_check(const vcf_vmsg_msg *msg, vcf_vmsg_kind kind,
                                  const vcf_vmsg_params *params, vcf_errlist *l)
{
    const size_t P = VCF_VMSG_HDR_SIZE; /* payload offset */
    switch (kind) {
    case VCF_VMSG_K_GET_DEVICE_INFO_RESP:
        check_multiple(l, msg->u.device_info.num_feature_bits, 32, "num_feature_bits", P + 8,
                       "the number of feature bits is a multiple of 32", true, VCF_VMSG_R_INFO_02);
        break;
    case VCF_VMSG_K_GET_DEVICE_STATUS_RESP:
    case VCF_VMSG_K_SET_DEVICE_STATUS_REQ:
    case VCF_VMSG_K_SET_DEVICE_STATUS_RESP: check_status(l, msg->u.status, "status", P); break;
    case VCF_VMSG_K_EVENT_CONFIG:
        check_status(l, msg->u.event_config.device_status, "device_status", P);
        break;
    case VCF_VMSG_K_GET_VQUEUE_RESP:
        if (msg->u.vqueue.reserved)
            vcf_error_rule(vcf_errlist_addx(l, VCF_E_MBZ, "reserved", P + 12,
                                            "reserved word, must be zero", 0,
                                            msg->u.vqueue.reserved),
                           vcf_vmsg_rule_id(VCF_VMSG_R_VQ_13), 0);
        break;
    case VCF_VMSG_K_SET_VQUEUE_REQ:
        if (msg->u.set_vqueue.reserved0)
            vcf_error_rule(vcf_errlist_addx(l, VCF_E_MBZ, "reserved0", P + 4,
                                            "reserved word, must be zero", 0,
                                            msg->u.set_vqueue.reserved0),
                           vcf_vmsg_rule_id(VCF_VMSG_R_VQ_13), 0);
        if (msg->u.set_vqueue.reserved1)
            vcf_error_rule(vcf_errlist_addx(l, VCF_E_MBZ, "reserved1", P + 12,
                                            "reserved word, must be zero", 0,
                                            msg->u.set_vqueue.reserved1),
                           vcf_vmsg_rule_id(VCF_VMSG_R_VQ_13), 0);
        break;
    case VCF_VMSG_K_BUS_GET_DEVICES_REQ:
    case VCF_VMSG_K_BUS_GET_DEVICES_RESP: {
        const vcf_vmsg_devices *d = &msg->u.devices;
        check_multiple(l, d->offset, 8, "offset", P, "the window offset is a multiple of 8", false,
                       VCF_VMSG_R_GETDEV_01);
        check_multiple(l, d->count, 8, "count", P + 2, "the window length is a multiple of 8", true,
                       VCF_VMSG_R_GETDEV_01);
        if (msg->kind == VCF_VMSG_K_BUS_GET_DEVICES_RESP && d->next_offset != 0) {
            check_multiple(l, d->next_offset, 8, "next_offset", P + 4,
                           "next_offset is 0 or a multiple of 8", true, VCF_VMSG_R_GETDEV_02);
            uint32_t end = (uint32_t)d->offset + d->count;
            if (params->rev == VCF_VMSG_REV_PR28 && d->next_offset < end)
                vcf_error_rule(vcf_errlist_addv(l, VCF_E_RANGE, "next_offset", P + 4,
                                                "next_offset is 0 or at least offset + count", end,
                                                d->next_offset),
                               vcf_vmsg_rule_id(VCF_VMSG_R_GETDEV_02), 0);
        }
        break;
    }
    case VCF_VMSG_K_BUS_EVENT_DEVICE: {
        uint16_t st = msg->u.event_device.state;
        if (st == 0 || (st > VCF_VMSG_BUS_STATE_REMOVED && st < VCF_VMSG_BUS_STATE_IMPL_FIRST))
            vcf_errlist_addx(l, VCF_E_RESERVED, "device_bus_state", P + 2,
                             "reserved state: 1 is READY, 2 REMOVED, 0x8000-0xFFFF "
                             "implementation-defined",
                             VCF_VMSG_BUS_STATE_READY, st);
        break;
    }
    default: break;
    }
}

/* Bus padding past msg_size (only present with allow_padding) must be zero. */
VCF_ALWAYS_INLINE void padding_check(const vcf_vmsg_msg *msg, vcf_errlist *l)
{
    for (size_t i = 0; i < msg->padding.len; i++) {
        if (msg->padding.ptr[i] != 0) {
            vcf_error_rule(vcf_errlist_addx(l, VCF_E_MBZ, "padding", (size_t)msg->hdr.msg_size + i,
                                            "bus padding after the message must be zero", 0,
                                            msg->padding.ptr[i]),
                           vcf_vmsg_rule_id(VCF_VMSG_R_HDR_13), 0);
            break;
        }
    }
}

size_t vcf_vmsg_check(const vcf_vmsg_msg *msg, const vcf_vmsg_params *params, vcf_error *errs,
                      size_t cap)
{
    vcf_errlist l = {errs, cap, 0};
    header_check(msg, params, &l);
    kind_check(msg, msg->kind, params, &l);
    padding_check(msg, &l);
    return l.count;
}

static VCF_COLD int first_violation(const vcf_vmsg_msg *msg, const vcf_vmsg_params *params,
                                    vcf_error *err)
{
    vcf_error first;
    (void)vcf_vmsg_check(msg, params, &first, 1);
    if (err)
        *err = first;
    return first.code;
}

/* ---- parse ------------------------------------------------------------------------------- */

#define LD_2                                       vcf_ld16le
#define LD_4                                       vcf_ld32le
#define LD_8                                       vcf_ld64le
#define LOAD(name, label, off, size, member, mean) out->u.member = LD_##size(payload + (off));

/* Does the variable-length part agree with its count or length field? (tail is a constant) */
VCF_ALWAYS_INLINE bool tail_fits(const vcf_vmsg_msg *m, int tail, size_t rest)
{
    if (tail == VCF_TAIL_OPAQUE)
        return true;
    if (tail == VCF_TAIL_CONFIG_OPT && rest == 0)
        return true; /* the response without echoed data */
    return tail_len(m, tail) == rest;
}

/* The rules on the header and the bus padding, then the verdict: the common tail of parsing. */
VCF_ALWAYS_INLINE int finish_checks(vcf_vmsg_msg *out, const vcf_vmsg_params *params,
                                    vcf_errlist *count_only, vcf_error *err)
{
    header_check(out, params, count_only);
    padding_check(out, count_only);
    if (count_only->count)
        VCF_RETURN_ERROR(first_violation(out, params, err));
    return VCF_OK;
}

/* IDs the kind table does not list: implementation-defined messages, whose payload is the
 * implementation's, and undefined, reserved or impossible ones. */
/* not inlined: its register needs would burden the hot dispatcher */
static VCF_NOINLINE int parse_unlisted(vcf_vmsg_msg *out, const uint8_t *payload, size_t plen,
                                       const vcf_vmsg_params *params, vcf_error *err, int and_check)
{
    vcf_vmsg_class cls;
    int rc = classify(out->hdr.type, out->hdr.msg_id, params->rev, &cls);
    if (rc != VCF_OK)
        VCF_RETURN_ERROR(bad_id(&out->hdr, rc, err));
    out->kind = VCF_VMSG_K_IMPL_DEFINED;
    out->u.opaque.ptr = plen ? payload : NULL;
    out->u.opaque.len = plen;
    if (!and_check)
        return VCF_OK;
    vcf_errlist count_only = {NULL, 0, 0};
    return finish_checks(out, params, &count_only, err);
}

/*
 * One parse function per kind, generated from its field list: size check, field loads, tail
 * check and the kind's rules, all with constant sizes and each with its own small register
 * footprint. With and_check the rule checks follow (decode); without, parse stops there.
 */
typedef int (*kind_parser)(vcf_vmsg_msg *out, const uint8_t *payload, size_t plen,
                           const vcf_vmsg_params *params, vcf_error *err, int and_check);

#define PARSE_FN(kind, name, type, id, FIELDS, table, tail)                                        \
    static int parse_##kind(vcf_vmsg_msg *out, const uint8_t *payload, size_t plen,                \
                            const vcf_vmsg_params *params, vcf_error *err, int and_check)          \
    {                                                                                              \
        const size_t fixed_ = 0 FIELDS(FSIZE);                                                     \
        if (plen < fixed_)                                                                         \
            VCF_RETURN_ERROR(field_truncated(&layouts[kind], plen, out->hdr.msg_size, err));       \
        FIELDS(LOAD)                                                                               \
        if (!tail_fits(out, tail, plen - fixed_))                                                  \
            VCF_RETURN_ERROR(tail_mismatch(out, &layouts[kind], err));                             \
        if (tail != VCF_TAIL_NONE) {                                                               \
            vcf_bytes view_ = {plen > fixed_ ? payload + fixed_ : NULL, plen - fixed_};            \
            memcpy((unsigned char *)out + tail_soff(tail), &view_, sizeof view_);                  \
        }                                                                                          \
        if (!and_check)                                                                            \
            return VCF_OK;                                                                         \
        vcf_errlist count_only = {NULL, 0, 0};                                                     \
        kind_check(out, kind, params, &count_only);                                                \
        return finish_checks(out, params, &count_only, err);                                       \
    }
VCF_VMSG_KINDS(PARSE_FN)

#define PARSER_ENTRY(kind, name, type, id, FIELDS, table, tail) [kind] = parse_##kind,
static const kind_parser parsers[VCF_VMSG_K_COUNT] = {VCF_VMSG_KINDS(PARSER_ENTRY)};

/* Header, framing and dispatch; the kind's parser finishes the job. */
VCF_ALWAYS_INLINE int msg_parse(const uint8_t *buf, size_t len, const vcf_vmsg_params *params,
                                vcf_vmsg_msg *out, vcf_error *err, int and_check)
{
    if (len < VCF_VMSG_HDR_SIZE)
        VCF_RETURN_ERROR(hdr_truncated(len, err));
    out->hdr.type = buf[OFF_TYPE];
    out->hdr.msg_id = buf[OFF_MSG_ID];
    out->hdr.dev_num = vcf_ld16le(buf + OFF_DEV_NUM);
    out->hdr.token = vcf_ld16le(buf + OFF_TOKEN);
    uint16_t msg_size = vcf_ld16le(buf + OFF_MSG_SIZE);
    out->hdr.msg_size = msg_size;

    if (msg_size < VCF_VMSG_HDR_SIZE)
        VCF_RETURN_ERROR(vcf_failv(err, VCF_E_SIZE_RANGE, "msg_size", OFF_MSG_SIZE,
                                   "msg_size counts the 8-byte header", VCF_VMSG_HDR_SIZE,
                                   msg_size));
    if (msg_size > len)
        VCF_RETURN_ERROR(vcf_failv(err, VCF_E_SIZE_MISMATCH, "msg_size", OFF_MSG_SIZE,
                                   "msg_size is larger than the buffer", len, msg_size));
    out->padding.ptr = buf + msg_size;
    out->padding.len = len - msg_size;
    if (out->padding.len && !params->allow_padding)
        VCF_RETURN_ERROR(vcf_failv(err, VCF_E_TRAILING, "trailing", msg_size,
                                   "bytes after the end that msg_size gives", msg_size, len));
    if (params->rev != VCF_VMSG_REV_RFC3 && params->rev != VCF_VMSG_REV_PR28)
        VCF_RETURN_ERROR(bad_id(&out->hdr, VCF_E_INVAL, err));

    const uint8_t *payload = buf + VCF_VMSG_HDR_SIZE;
    size_t plen = (size_t)msg_size - VCF_VMSG_HDR_SIZE;
    vcf_vmsg_kind kind = (vcf_vmsg_kind)kind_table[out->hdr.type & 3u][out->hdr.msg_id];
    out->kind = kind;
    /* the table lists every defined message; the rest (implementation-defined IDs, errors) */
    if (kind == VCF_VMSG_K_NONE)
        return parse_unlisted(out, payload, plen, params, err, and_check);
    return parsers[kind](out, payload, plen, params, err, and_check);
}

int vcf_vmsg_parse(const uint8_t *buf, size_t len, const vcf_vmsg_params *params, vcf_vmsg_msg *out,
                   vcf_error *err)
{
    return msg_parse(buf, len, params, out, err, 0);
}

int vcf_vmsg_decode(const uint8_t *buf, size_t len, const vcf_vmsg_params *params,
                    vcf_vmsg_msg *out, vcf_error *err)
{
    return msg_parse(buf, len, params, out, err, 1);
}

/* ---- encode ------------------------------------------------------------------------------ */

static long encoded_size(const vcf_vmsg_msg *msg, vcf_error *err)
{
    const vcf_vmsg_layout *l = vcf_vmsg_layout_of(msg->kind);
    if (!l)
        return vcf_fail(err, VCF_E_INVAL, "kind", 0, "no such message kind");
    if (msg->kind == VCF_VMSG_K_IMPL_DEFINED) {
        if (msg->hdr.msg_id < 0x80)
            return vcf_failv(err, VCF_E_INVAL, "msg_id", OFF_MSG_ID,
                             "implementation-defined IDs are 0x80-0xFF", 0x80, msg->hdr.msg_id);
    } else if ((msg->hdr.type & (VCF_VMSG_TYPE_BUS | VCF_VMSG_TYPE_RESPONSE)) != l->type ||
               msg->hdr.msg_id != l->msg_id) {
        return vcf_fail(err, VCF_E_INVAL, "msg_id", OFF_MSG_ID,
                        "type and msg_id do not match the message kind");
    }

    const vcf_bytes *view = vcf_vmsg_tail_view(msg, l);
    uint64_t want = 0;
    if (view) {
        if (l->tail == VCF_TAIL_OPAQUE)
            want = view->len;
        else if (l->tail == VCF_TAIL_CONFIG_OPT && view->len == 0)
            want = 0; /* the response without echoed data */
        else
            want = tail_len(msg, l->tail);
        const char *count_field = tail_info[l->tail].count_field;
        if (view->len != want)
            return vcf_failv(err, VCF_E_SIZE_MISMATCH, count_field, VCF_VMSG_HDR_SIZE,
                             "the variable-length data does not match its count or length field",
                             want, view->len);
        if (view->len && !view->ptr)
            return vcf_fail(err, VCF_E_INVAL, count_field, VCF_VMSG_HDR_SIZE,
                            "variable-length view without data");
    }
    uint64_t total = VCF_VMSG_HDR_SIZE + (uint64_t)l->fixed + want;
    if (total > VCF_VMSG_MSG_SIZE_LIMIT)
        return vcf_failv(err, VCF_E_TOO_LARGE, "msg_size", OFF_MSG_SIZE,
                         "a message cannot be longer than msg_size can say",
                         VCF_VMSG_MSG_SIZE_LIMIT, total);
    return (long)total;
}

long vcf_vmsg_encoded_size(const vcf_vmsg_msg *msg)
{
    return encoded_size(msg, NULL);
}

static void store_field(const vcf_vmsg_msg *msg, const vcf_vmsg_fdef *f, uint8_t *payload)
{
    const unsigned char *src = (const unsigned char *)msg + f->soff;
    uint8_t *dst = payload + f->off;
    if (f->size == 2) {
        uint16_t v;
        memcpy(&v, src, sizeof v);
        vcf_st16le(dst, v);
    } else if (f->size == 4) {
        uint32_t v;
        memcpy(&v, src, sizeof v);
        vcf_st32le(dst, v);
    } else {
        uint64_t v;
        memcpy(&v, src, sizeof v);
        vcf_st64le(dst, v);
    }
}

int vcf_vmsg_encode(const vcf_vmsg_msg *msg, uint8_t *buf, size_t cap, vcf_error *err)
{
    long total = encoded_size(msg, err);
    if (total < 0)
        return (int)total;
    if (cap < (size_t)total)
        return vcf_failv(err, VCF_E_NOSPACE, "message", 0, "output buffer smaller than the message",
                         (uint64_t)total, cap);
    const vcf_vmsg_layout *l = &layouts[msg->kind];
    buf[OFF_TYPE] = msg->hdr.type;
    buf[OFF_MSG_ID] = msg->hdr.msg_id;
    vcf_st16le(buf + OFF_DEV_NUM, msg->hdr.dev_num);
    vcf_st16le(buf + OFF_TOKEN, msg->hdr.token);
    vcf_st16le(buf + OFF_MSG_SIZE, (uint16_t)total);
    uint8_t *payload = buf + VCF_VMSG_HDR_SIZE;
    for (uint8_t i = 0; i < l->nfields; i++)
        store_field(msg, &l->fields[i], payload);
    const vcf_bytes *view = vcf_vmsg_tail_view(msg, l);
    if (view && view->len)
        memcpy(payload + l->fixed, view->ptr, view->len);
    return (int)total;
}

/* ---- accessors --------------------------------------------------------------------------- */

uint32_t vcf_vmsg_feature_block(const vcf_vmsg_features *features, uint32_t i)
{
    if (i >= features->num_blocks || (uint64_t)i * 4u + 4u > features->blocks.len)
        return 0;
    return vcf_ld32le(features->blocks.ptr + (size_t)i * 4u);
}

bool vcf_vmsg_device_present(const vcf_vmsg_devices *devices, uint32_t device_number)
{
    if (device_number < devices->offset)
        return false;
    uint32_t bit = device_number - devices->offset;
    if (bit >= devices->count || bit / 8u >= devices->bitmap.len)
        return false;
    return ((unsigned)devices->bitmap.ptr[bit / 8u] >> (bit % 8u)) & 1u;
}
