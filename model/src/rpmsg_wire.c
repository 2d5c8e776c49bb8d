/* SPDX-License-Identifier: MIT */
/*
 * RPMsg wire codecs: header, frame, name-service payload and its non-standard variants.
 *
 * The public parse, check and decode functions are thin wrappers around always-inlined
 * implementations: decode inlines parse and check, and each byte order gets its own
 * straight-line copy, so the checked path costs little more than reading the fields.
 */
#include <string.h>

#include "vconform/rpmsg.h"
#include "vconform/rpmsg_rules.h"
#include "wire_internal.h"

/* header field offsets */
enum { OFF_SRC = 0, OFF_DST = 4, OFF_RESERVED = 8, OFF_LEN = 12, OFF_FLAGS = 14 };
/* standard NS payload offsets */
enum { NS_OFF_NAME = 0, NS_OFF_ADDR = 32, NS_OFF_FLAGS = 36 };
/* extended NS payload offsets, per layout */
enum { TI_OFF_DESC = 32, TI_OFF_ADDR = 64, TI_OFF_FLAGS = 68 };
enum { VENDOR_OFF_ADDR = 32, VENDOR_OFF_FLAGS = 36, VENDOR_OFF_DESC = 40 };

void vcf_rpmsg_params_default(vcf_rpmsg_params *params)
{
    params->order = VCF_LITTLE_ENDIAN;
    params->ns = true;
}

/* ---- header ---------------------------------------------------------------------------- */

static const struct {
    const char *name;
    size_t off;
} hdr_fields[] = {{"src", OFF_SRC},
                  {"dst", OFF_DST},
                  {"reserved", OFF_RESERVED},
                  {"len", OFF_LEN},
                  {"flags", OFF_FLAGS}};

/* Cold path: name the first field a short buffer does not hold completely. */
static int hdr_truncated(size_t len, vcf_error *err)
{
    size_t i = 0;
    while (i + 1 < sizeof hdr_fields / sizeof hdr_fields[0] && hdr_fields[i + 1].off <= len)
        i++;
    int rc = vcf_failv(err, VCF_E_TRUNCATED, hdr_fields[i].name, hdr_fields[i].off,
                       "the RPMsg header is 16 bytes", VCF_RPMSG_HDR_SIZE, len);
    return vcf_error_rule(err, vcf_rpmsg_rule_id(VCF_RPMSG_HDR_07), rc);
}

/* Cold path: len does not fit in the bytes after the header. */
static int len_too_large(size_t avail, uint16_t len, vcf_error *err)
{
    int rc = vcf_failv(err, VCF_E_SIZE_MISMATCH, "len", OFF_LEN,
                       "len is larger than the bytes after the header", avail, len);
    return vcf_error_rule(err, vcf_rpmsg_rule_id(VCF_RPMSG_HDR_08), rc);
}

/* Inlined with a constant order: straight-line loads for each byte order. */
VCF_ALWAYS_INLINE void hdr_load(const uint8_t *buf, vcf_byte_order order, vcf_rpmsg_hdr *out)
{
    out->src = vcf_ld32(buf + OFF_SRC, order);
    out->dst = vcf_ld32(buf + OFF_DST, order);
    out->reserved = vcf_ld32(buf + OFF_RESERVED, order);
    out->len = vcf_ld16(buf + OFF_LEN, order);
    out->flags = vcf_ld16(buf + OFF_FLAGS, order);
}

int vcf_rpmsg_hdr_decode(const uint8_t *buf, size_t len, vcf_byte_order order, vcf_rpmsg_hdr *out,
                         vcf_error *err)
{
    if (len < VCF_RPMSG_HDR_SIZE)
        return hdr_truncated(len, err);
    if (order == VCF_BIG_ENDIAN)
        hdr_load(buf, VCF_BIG_ENDIAN, out);
    else
        hdr_load(buf, VCF_LITTLE_ENDIAN, out);
    return VCF_OK;
}

int vcf_rpmsg_hdr_encode(const vcf_rpmsg_hdr *hdr, vcf_byte_order order, uint8_t *buf, size_t cap,
                         vcf_error *err)
{
    if (cap < VCF_RPMSG_HDR_SIZE)
        return vcf_failv(err, VCF_E_NOSPACE, "header", 0, "the RPMsg header is 16 bytes",
                         VCF_RPMSG_HDR_SIZE, cap);
    vcf_st32(buf + OFF_SRC, hdr->src, order);
    vcf_st32(buf + OFF_DST, hdr->dst, order);
    vcf_st32(buf + OFF_RESERVED, hdr->reserved, order);
    vcf_st16(buf + OFF_LEN, hdr->len, order);
    vcf_st16(buf + OFF_FLAGS, hdr->flags, order);
    return (int)VCF_RPMSG_HDR_SIZE;
}

/* ---- frame ----------------------------------------------------------------------------- */

VCF_ALWAYS_INLINE int frame_parse(const uint8_t *buf, size_t used_len, vcf_byte_order order,
                                  vcf_rpmsg_frame *out, vcf_error *err)
{
    if (used_len < VCF_RPMSG_HDR_SIZE)
        VCF_RETURN_ERROR(hdr_truncated(used_len, err));
    hdr_load(buf, order, &out->hdr);
    size_t avail = used_len - VCF_RPMSG_HDR_SIZE;
    if (out->hdr.len > avail)
        VCF_RETURN_ERROR(len_too_large(avail, out->hdr.len, err));
    out->payload.ptr = buf + VCF_RPMSG_HDR_SIZE;
    out->payload.len = out->hdr.len;
    out->slack = avail - out->hdr.len;
    return VCF_OK;
}

int vcf_rpmsg_frame_parse(const uint8_t *buf, size_t used_len, vcf_byte_order order,
                          vcf_rpmsg_frame *out, vcf_error *err)
{
    if (order == VCF_BIG_ENDIAN)
        return frame_parse(buf, used_len, VCF_BIG_ENDIAN, out, err);
    return frame_parse(buf, used_len, VCF_LITTLE_ENDIAN, out, err);
}

VCF_ALWAYS_INLINE void frame_check(const vcf_rpmsg_frame *frame, vcf_errlist *l)
{
    if (frame->hdr.reserved != 0)
        vcf_error_rule(vcf_errlist_addx(l, VCF_E_MBZ, "reserved", OFF_RESERVED,
                                        "senders write 0 and receivers ignore the field", 0,
                                        frame->hdr.reserved),
                       vcf_rpmsg_rule_id(VCF_RPMSG_HDR_05), 0);
    if (frame->hdr.flags != 0)
        vcf_error_rule(
            vcf_errlist_addx(l, VCF_E_MBZ, "flags", OFF_FLAGS,
                             "no header flag is defined: senders write 0 and receivers ignore them",
                             0, frame->hdr.flags),
            vcf_rpmsg_rule_id(VCF_RPMSG_HDR_04), 0);
}

size_t vcf_rpmsg_frame_check(const vcf_rpmsg_frame *frame, vcf_error *errs, size_t cap)
{
    vcf_errlist l = {errs, cap, 0};
    frame_check(frame, &l);
    return l.count;
}

int vcf_rpmsg_frame_encode(const vcf_rpmsg_hdr *hdr, vcf_bytes payload, vcf_byte_order order,
                           uint8_t *buf, size_t cap, vcf_error *err)
{
    if (payload.len > VCF_RPMSG_MAX_LEN)
        return vcf_failv(err, VCF_E_INVAL, "payload", VCF_RPMSG_HDR_SIZE,
                         "a payload longer than 65535 bytes cannot be described by len",
                         VCF_RPMSG_MAX_LEN, payload.len);
    size_t total = VCF_RPMSG_HDR_SIZE + payload.len;
    if (cap < total)
        return vcf_failv(err, VCF_E_NOSPACE, "payload", VCF_RPMSG_HDR_SIZE,
                         "output buffer smaller than the frame", total, cap);
    int rc = vcf_rpmsg_hdr_encode(hdr, order, buf, cap, err);
    if (rc < 0)
        return rc;
    if (payload.len)
        memcpy(buf + VCF_RPMSG_HDR_SIZE, payload.ptr, payload.len);
    return (int)total;
}

/* ---- name service ------------------------------------------------------------------------ */

static const char *ns_size_detail(size_t len)
{
    if (len == 44)
        return "an NS payload is exactly 40 bytes (44 is the size of the non-upstream "
               "address-service message, which belongs at address 54)";
    return "an NS payload is exactly 40 bytes";
}

static const char *ns_ext_detail(vcf_rpmsg_ns_layout layout)
{
    switch (layout) {
    case VCF_RPMSG_NS_LAYOUT_EXT_TI:
        return "72-byte TI \"NS 2.0\" message (name, desc, addr, flags); the standard NS "
               "payload is 40 bytes";
    case VCF_RPMSG_NS_LAYOUT_EXT_VENDOR:
        return "72-byte vendor NS message (name, addr, flags, desc); the standard NS payload is "
               "40 bytes";
    default:
        return "72-byte extended NS message, layout unclear (TI or vendor); the standard NS "
               "payload is 40 bytes";
    }
}

VCF_ALWAYS_INLINE void ns_load(const uint8_t *payload, vcf_byte_order order, vcf_rpmsg_ns_msg *out)
{
    memcpy(out->name, payload + NS_OFF_NAME, VCF_RPMSG_NAME_SIZE);
    out->addr = vcf_ld32(payload + NS_OFF_ADDR, order);
    out->flags = vcf_ld32(payload + NS_OFF_FLAGS, order);
}

/* The NS size rule, for a payload that is not 40 bytes: 72 bytes is the non-standard extended
 * message, anything else a size mismatch. field/off: where the caller's size field sits. */
static VCF_COLD int ns_size_error(const uint8_t *payload, size_t len, vcf_byte_order order,
                                  const char *field, size_t off, vcf_error *err)
{
    int rc;
    if (len == VCF_RPMSG_NS_EXT_MSG_SIZE)
        rc = vcf_failv(err, VCF_E_NONSTANDARD, field, off,
                       ns_ext_detail(vcf_rpmsg_ns_ext_classify(payload, len, order)),
                       VCF_RPMSG_NS_MSG_SIZE, len);
    else
        rc = vcf_failv(err, VCF_E_SIZE_MISMATCH, field, off, ns_size_detail(len),
                       VCF_RPMSG_NS_MSG_SIZE, len);
    return vcf_error_rule(err, vcf_rpmsg_rule_id(VCF_RPMSG_NS_03), rc);
}

int vcf_rpmsg_ns_parse(const uint8_t *payload, size_t len, vcf_byte_order order,
                       vcf_rpmsg_ns_msg *out, vcf_error *err)
{
    if (len != VCF_RPMSG_NS_MSG_SIZE)
        return ns_size_error(payload, len, order, "ns", 0, err);
    if (order == VCF_BIG_ENDIAN)
        ns_load(payload, VCF_BIG_ENDIAN, out);
    else
        ns_load(payload, VCF_LITTLE_ENDIAN, out);
    return VCF_OK;
}

/* High bit of every zero byte of w, exactly (no false positives). */
static inline uint64_t zero_bytes(uint64_t w)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Fu;
    return ~(((w & low7) + low7) | w | low7);
}

static inline unsigned lowest_bit(uint64_t v)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(v);
#else
    unsigned n = 0;
    while (!(v & 1u)) {
        v >>= 1;
        n++;
    }
    return n;
#endif
}

/*
 * The name rule: the 32 bytes hold a NUL, and only NULs follow the first one. The name is read
 * as little-endian 64-bit words, so byte i is bits 8i..8i+7 of its word on every host; the
 * scan stops at the word holding the first NUL (names are usually short). Returns VCF_OK,
 * VCF_E_UNTERMINATED, or VCF_E_MBZ with *bad set to the index of the first non-zero byte after
 * the NUL.
 */
VCF_ALWAYS_INLINE int name_rule(const uint8_t *name, size_t *bad)
{
    for (unsigned k = 0; k < VCF_RPMSG_NAME_SIZE / 8; k++) {
        uint64_t w = vcf_ld64le(name + 8 * k);
        uint64_t z = zero_bytes(w);
        if (!z)
            continue;
        unsigned first = lowest_bit(z) / 8; /* the NUL's byte within this word */
        uint64_t rest = first == 7 ? 0 : w >> (8 * (first + 1));
        for (unsigned j = k + 1; j < VCF_RPMSG_NAME_SIZE / 8; j++)
            rest |= vcf_ld64le(name + 8 * j);
        if (!rest)
            return VCF_OK;
        for (size_t i = 8 * k + first + 1; i < VCF_RPMSG_NAME_SIZE; i++) {
            if (name[i] != 0) {
                *bad = i;
                break;
            }
        }
        return VCF_E_MBZ;
    }
    return VCF_E_UNTERMINATED;
}

VCF_ALWAYS_INLINE void ns_check_at(const vcf_rpmsg_ns_msg *ns, size_t base, vcf_errlist *l)
{
    size_t bad = 0;
    int rc = name_rule(ns->name, &bad);
    if (rc == VCF_E_UNTERMINATED)
        vcf_error_rule(
            vcf_errlist_add(l, VCF_E_UNTERMINATED, "ns.name", base + NS_OFF_NAME,
                            "the 32-byte name has no NUL; receivers may cut it to 31 characters"),
            vcf_rpmsg_rule_id(VCF_RPMSG_NS_08), 0);
    else if (rc == VCF_E_MBZ)
        vcf_error_rule(vcf_errlist_addx(l, VCF_E_MBZ, "ns.name", base + NS_OFF_NAME + bad,
                                        "bytes after the name's NUL must be zero", 0,
                                        ns->name[bad]),
                       vcf_rpmsg_rule_id(VCF_RPMSG_NS_08), 0);
    uint32_t undefined = ns->flags & ~(uint32_t)VCF_RPMSG_NS_FLAGS_KNOWN;
    if (undefined) {
        const char *detail = undefined == 2u
                                 ? "only bit 0 (destroy) is defined; bit 1 is the non-upstream "
                                   "CREATE_ACK / AS_ANNOUNCE extension"
                                 : "only bit 0 (destroy) is defined";
        vcf_error_rule(vcf_errlist_addx(l, VCF_E_RESERVED, "ns.flags", base + NS_OFF_FLAGS, detail,
                                        0, undefined),
                       vcf_rpmsg_rule_id(VCF_RPMSG_NS_05), 0);
    }
}

size_t vcf_rpmsg_ns_check(const vcf_rpmsg_ns_msg *ns, vcf_error *errs, size_t cap)
{
    vcf_errlist l = {errs, cap, 0};
    ns_check_at(ns, 0, &l);
    return l.count;
}

int vcf_rpmsg_ns_decode(const uint8_t *payload, size_t len, vcf_byte_order order,
                        vcf_rpmsg_ns_msg *out, vcf_error *err)
{
    int rc = vcf_rpmsg_ns_parse(payload, len, order, out, err);
    if (rc != VCF_OK)
        return rc;
    vcf_error first;
    if (vcf_rpmsg_ns_check(out, &first, 1) == 0)
        return VCF_OK;
    if (err)
        *err = first;
    return first.code;
}

int vcf_rpmsg_ns_encode(const vcf_rpmsg_ns_msg *ns, vcf_byte_order order, uint8_t *buf, size_t cap,
                        vcf_error *err)
{
    if (cap < VCF_RPMSG_NS_MSG_SIZE)
        return vcf_failv(err, VCF_E_NOSPACE, "ns", 0, "the NS payload is 40 bytes",
                         VCF_RPMSG_NS_MSG_SIZE, cap);
    memcpy(buf + NS_OFF_NAME, ns->name, VCF_RPMSG_NAME_SIZE);
    vcf_st32(buf + NS_OFF_ADDR, ns->addr, order);
    vcf_st32(buf + NS_OFF_FLAGS, ns->flags, order);
    return (int)VCF_RPMSG_NS_MSG_SIZE;
}

size_t vcf_rpmsg_ns_name_len(const vcf_rpmsg_ns_msg *ns)
{
    const uint8_t *nul = memchr(ns->name, 0, VCF_RPMSG_NAME_SIZE);
    return nul ? (size_t)(nul - ns->name) : VCF_RPMSG_NAME_SIZE;
}

void vcf_rpmsg_ns_init(vcf_rpmsg_ns_msg *ns, const char *name, uint32_t addr, uint32_t flags)
{
    memset(ns->name, 0, sizeof ns->name);
    size_t n = name ? strlen(name) : 0;
    if (n > VCF_RPMSG_NAME_SIZE - 1)
        n = VCF_RPMSG_NAME_SIZE - 1;
    if (n)
        memcpy(ns->name, name, n);
    ns->addr = addr;
    ns->flags = flags;
}

/* ---- extended (non-standard) NS ---------------------------------------------------------- */

/* Printable ASCII up to the first NUL, and only NULs after it. */
static int is_clean_text(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && p[i] != 0) {
        if (p[i] < 0x20 || p[i] > 0x7E)
            return 0;
        i++;
    }
    for (; i < n; i++)
        if (p[i] != 0)
            return 0;
    return 1;
}

vcf_rpmsg_ns_layout vcf_rpmsg_ns_ext_classify(const uint8_t *payload, size_t len,
                                              vcf_byte_order order)
{
    if (len != VCF_RPMSG_NS_EXT_MSG_SIZE)
        return VCF_RPMSG_NS_LAYOUT_EXT_UNKNOWN;
    uint32_t known = VCF_RPMSG_NS_FLAGS_KNOWN;
    int ti = (vcf_ld32(payload + TI_OFF_FLAGS, order) & ~known) == 0 &&
             is_clean_text(payload + TI_OFF_DESC, VCF_RPMSG_DESC_SIZE);
    int vendor = (vcf_ld32(payload + VENDOR_OFF_FLAGS, order) & ~known) == 0 &&
                 is_clean_text(payload + VENDOR_OFF_DESC, VCF_RPMSG_DESC_SIZE);
    if (ti && !vendor)
        return VCF_RPMSG_NS_LAYOUT_EXT_TI;
    if (vendor && !ti)
        return VCF_RPMSG_NS_LAYOUT_EXT_VENDOR;
    return VCF_RPMSG_NS_LAYOUT_EXT_UNKNOWN;
}

int vcf_rpmsg_ns_ext_parse(const uint8_t *payload, size_t len, vcf_byte_order order,
                           vcf_rpmsg_ns_layout layout, vcf_rpmsg_ns_ext *out, vcf_error *err)
{
    if (layout != VCF_RPMSG_NS_LAYOUT_EXT_TI && layout != VCF_RPMSG_NS_LAYOUT_EXT_VENDOR)
        return vcf_fail(err, VCF_E_INVAL, "ns", 0, "layout must be EXT_TI or EXT_VENDOR");
    if (len != VCF_RPMSG_NS_EXT_MSG_SIZE)
        return vcf_failv(err, VCF_E_SIZE_MISMATCH, "ns", 0,
                         "an extended NS payload is exactly 72 bytes", VCF_RPMSG_NS_EXT_MSG_SIZE,
                         len);
    int ti = layout == VCF_RPMSG_NS_LAYOUT_EXT_TI;
    out->layout = vcf_rpmsg_ns_ext_classify(payload, len, order);
    memcpy(out->name, payload + NS_OFF_NAME, VCF_RPMSG_NAME_SIZE);
    memcpy(out->desc, payload + (ti ? TI_OFF_DESC : VENDOR_OFF_DESC), VCF_RPMSG_DESC_SIZE);
    out->addr = vcf_ld32(payload + (ti ? TI_OFF_ADDR : VENDOR_OFF_ADDR), order);
    out->flags = vcf_ld32(payload + (ti ? TI_OFF_FLAGS : VENDOR_OFF_FLAGS), order);
    return VCF_OK;
}

int vcf_rpmsg_ns_ext_encode(const vcf_rpmsg_ns_ext *ns, vcf_byte_order order, uint8_t *buf,
                            size_t cap, vcf_error *err)
{
    if (ns->layout != VCF_RPMSG_NS_LAYOUT_EXT_TI && ns->layout != VCF_RPMSG_NS_LAYOUT_EXT_VENDOR)
        return vcf_fail(err, VCF_E_INVAL, "ns", 0, "layout must be EXT_TI or EXT_VENDOR");
    if (cap < VCF_RPMSG_NS_EXT_MSG_SIZE)
        return vcf_failv(err, VCF_E_NOSPACE, "ns", 0, "the extended NS payload is 72 bytes",
                         VCF_RPMSG_NS_EXT_MSG_SIZE, cap);
    int ti = ns->layout == VCF_RPMSG_NS_LAYOUT_EXT_TI;
    memcpy(buf + NS_OFF_NAME, ns->name, VCF_RPMSG_NAME_SIZE);
    memcpy(buf + (ti ? TI_OFF_DESC : VENDOR_OFF_DESC), ns->desc, VCF_RPMSG_DESC_SIZE);
    vcf_st32(buf + (ti ? TI_OFF_ADDR : VENDOR_OFF_ADDR), ns->addr, order);
    vcf_st32(buf + (ti ? TI_OFF_FLAGS : VENDOR_OFF_FLAGS), ns->flags, order);
    return (int)VCF_RPMSG_NS_EXT_MSG_SIZE;
}

const char *vcf_rpmsg_ns_layout_name(vcf_rpmsg_ns_layout layout)
{
    switch (layout) {
    case VCF_RPMSG_NS_LAYOUT_STANDARD: return "standard";
    case VCF_RPMSG_NS_LAYOUT_EXT_TI: return "ti-ns2";
    case VCF_RPMSG_NS_LAYOUT_EXT_VENDOR: return "vendor";
    case VCF_RPMSG_NS_LAYOUT_EXT_UNKNOWN: return "unclear";
    }
    return "unclear";
}

const char *vcf_rpmsg_kind_name(vcf_rpmsg_kind kind)
{
    switch (kind) {
    case VCF_RPMSG_KIND_NS: return "name-service";
    case VCF_RPMSG_KIND_NS_EXT: return "non-standard name-service";
    case VCF_RPMSG_KIND_DATA: break;
    }
    return "data";
}

/* ---- whole message ----------------------------------------------------------------------- */

/* Cold path: a message to the NS address whose payload is not 40 bytes. A 72-byte payload is
 * still decoded in the non-standard layout its bytes fit, so tools can show it. */
static VCF_COLD int ns_len_problem(const vcf_rpmsg_params *params, vcf_rpmsg_msg *out,
                                   vcf_error *err)
{
    const vcf_bytes *p = &out->frame.payload;
    if (p->len == VCF_RPMSG_NS_EXT_MSG_SIZE) {
        vcf_rpmsg_ns_layout layout = vcf_rpmsg_ns_ext_classify(p->ptr, p->len, params->order);
        (void)vcf_rpmsg_ns_ext_parse(p->ptr, p->len, params->order,
                                     layout == VCF_RPMSG_NS_LAYOUT_EXT_VENDOR
                                         ? VCF_RPMSG_NS_LAYOUT_EXT_VENDOR
                                         : VCF_RPMSG_NS_LAYOUT_EXT_TI,
                                     &out->ns_ext, NULL);
        out->kind = VCF_RPMSG_KIND_NS_EXT;
    }
    return ns_size_error(p->ptr, p->len, params->order, "len", OFF_LEN, err);
}

VCF_ALWAYS_INLINE void msg_check(const vcf_rpmsg_msg *msg, vcf_errlist *l)
{
    frame_check(&msg->frame, l);
    if (msg->kind == VCF_RPMSG_KIND_NS)
        ns_check_at(&msg->ns, VCF_RPMSG_HDR_SIZE, l);
}

size_t vcf_rpmsg_check(const vcf_rpmsg_msg *msg, vcf_error *errs, size_t cap)
{
    vcf_errlist l = {errs, cap, 0};
    msg_check(msg, &l);
    return l.count;
}

/* Cold path of decode: report the first rule violation. */
static VCF_COLD int first_violation(const vcf_rpmsg_msg *msg, vcf_error *err)
{
    vcf_error first;
    (void)vcf_rpmsg_check(msg, &first, 1);
    if (err)
        *err = first;
    return first.code;
}

/*
 * Parse, and with and_check (a constant) go on to the rule checks: decode is parse with the
 * checks attached, one body for both. Every failure leaves through a tail call, so the hot path
 * keeps no state across calls.
 */
VCF_ALWAYS_INLINE int msg_parse(const uint8_t *buf, size_t used_len, vcf_byte_order order,
                                const vcf_rpmsg_params *params, vcf_rpmsg_msg *out, vcf_error *err,
                                int and_check)
{
    int rc = frame_parse(buf, used_len, order, &out->frame, err);
    if (rc != VCF_OK)
        return rc;
    out->kind = VCF_RPMSG_KIND_DATA;
    if (out->frame.hdr.dst == VCF_RPMSG_NS_ADDR && params->ns) {
        if (out->frame.payload.len != VCF_RPMSG_NS_MSG_SIZE)
            VCF_RETURN_ERROR(ns_len_problem(params, out, err));
        ns_load(out->frame.payload.ptr, order, &out->ns);
        out->kind = VCF_RPMSG_KIND_NS;
    }
    if (!and_check)
        return VCF_OK;
    vcf_errlist count_only = {NULL, 0, 0};
    msg_check(out, &count_only);
    if (count_only.count)
        VCF_RETURN_ERROR(first_violation(out, err));
    return VCF_OK;
}

int vcf_rpmsg_parse(const uint8_t *buf, size_t used_len, const vcf_rpmsg_params *params,
                    vcf_rpmsg_msg *out, vcf_error *err)
{
    if (params->order == VCF_BIG_ENDIAN)
        return msg_parse(buf, used_len, VCF_BIG_ENDIAN, params, out, err, 0);
    return msg_parse(buf, used_len, VCF_LITTLE_ENDIAN, params, out, err, 0);
}

int vcf_rpmsg_decode(const uint8_t *buf, size_t used_len, const vcf_rpmsg_params *params,
                     vcf_rpmsg_msg *out, vcf_error *err)
{
    if (params->order == VCF_BIG_ENDIAN)
        return msg_parse(buf, used_len, VCF_BIG_ENDIAN, params, out, err, 1);
    return msg_parse(buf, used_len, VCF_LITTLE_ENDIAN, params, out, err, 1);
}
