/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target rpmsg_frame: one received RPMsg buffer (format rpmsg-frame, fuzz.h).
 *
 *   [0]  bit 0: big-endian link (legacy, no VERSION_1); bit 1: VIRTIO_RPMSG_F_NS not negotiated
 *   [1..] the buffer, its size being the used length
 *
 * Checked on every input (a broken invariant is a finding):
 *   - decode gives exactly what parse followed by the rule checks gives (verdict, first error,
 *     decoded fields);
 *   - the header decoder agrees with the frame parser, and the same 16 bytes read in the other
 *     byte order give every header field byte-swapped;
 *   - the message parser agrees with the frame parser (same failure, or the NS reading that
 *     the destination, F_NS and the payload length call for);
 *   - a parsed frame re-encodes to exactly its first 16 + len bytes, the NS payload (standard
 *     or extended) to exactly its payload bytes, and header + payload + slack is the buffer;
 *   - the rule checks count what the fields say, the same twice;
 *   - the field visitor covers every byte of the buffer once, in wire order, and each value
 *     it reports is what the bytes at its offset hold;
 *   - a failed parse is structural and names an offset inside the buffer.
 */
#include <inttypes.h>
#include <string.h>

#include "fuzz.h"
#include "vconform/rpmsg.h"
#include "walk.h"

/* The checks are not what is being fuzzed (walk.h). */
VCF_FUZZ_CHECKS_BEGIN

#define MAX_ERRS 8u

static uint8_t out[VCF_RPMSG_HDR_SIZE + VCF_RPMSG_MAX_LEN];

static const char *kind_name(vcf_rpmsg_kind kind)
{
    switch (kind) {
    case VCF_RPMSG_KIND_DATA: return "data";
    case VCF_RPMSG_KIND_NS: return "name service";
    case VCF_RPMSG_KIND_NS_EXT: return "extended name service (non-standard)";
    }
    return "?";
}

static int same_hdr(const vcf_rpmsg_hdr *a, const vcf_rpmsg_hdr *b)
{
    return a->src == b->src && a->dst == b->dst && a->reserved == b->reserved && a->len == b->len &&
           a->flags == b->flags;
}

static int same_frame(const vcf_rpmsg_frame *a, const vcf_rpmsg_frame *b)
{
    return same_hdr(&a->hdr, &b->hdr) && a->payload.ptr == b->payload.ptr &&
           a->payload.len == b->payload.len && a->slack == b->slack;
}

static int same_msg(const vcf_rpmsg_msg *a, const vcf_rpmsg_msg *b)
{
    if (!same_frame(&a->frame, &b->frame) || a->kind != b->kind)
        return 0;
    if (a->kind == VCF_RPMSG_KIND_NS)
        return vcf_fuzz_same_rpmsg_ns(&a->ns, &b->ns);
    if (a->kind == VCF_RPMSG_KIND_NS_EXT)
        return vcf_fuzz_same_rpmsg_ns_ext(&a->ns_ext, &b->ns_ext);
    return 1;
}

/* ---- the target -------------------------------------------------------------------------- */

static void check_hdr(const uint8_t *buf, size_t n, vcf_byte_order order, const vcf_rpmsg_frame *fr,
                      int frc)
{
    vcf_rpmsg_hdr h, sw;
    vcf_error err;
    vcf_byte_order other = order == VCF_BIG_ENDIAN ? VCF_LITTLE_ENDIAN : VCF_BIG_ENDIAN;
    int rc = vcf_rpmsg_hdr_decode(buf, n, order, &h, &err);
    if (n < VCF_RPMSG_HDR_SIZE) {
        if (rc != VCF_E_TRUNCATED || err.offset > n)
            vcf_fuzz_finding("rpmsg hdr_decode of %zu bytes: %d at offset %zu, expected truncated",
                             n, rc, err.offset);
        return;
    }
    if (rc != VCF_OK)
        vcf_fuzz_finding("rpmsg hdr_decode of %zu bytes failed (%d)", n, rc);
    if (frc == VCF_OK && !same_hdr(&h, &fr->hdr))
        vcf_fuzz_finding("rpmsg hdr_decode and frame_parse disagree on the header");
    if (vcf_rpmsg_hdr_decode(buf, n, other, &sw, &err) != VCF_OK)
        vcf_fuzz_finding("rpmsg hdr_decode in the other byte order failed");
    if (sw.src != vcf_fuzz_swap32(h.src) || sw.dst != vcf_fuzz_swap32(h.dst) ||
        sw.reserved != vcf_fuzz_swap32(h.reserved) || sw.len != vcf_fuzz_swap16(h.len) ||
        sw.flags != vcf_fuzz_swap16(h.flags))
        vcf_fuzz_finding(
            "rpmsg header read as %s is not the byte-swapped %s reading: src 0x%08" PRIx32
            "/0x%08" PRIx32 " dst 0x%08" PRIx32 "/0x%08" PRIx32 " len 0x%04x/0x%04x",
            vcf_fuzz_order_name(other), vcf_fuzz_order_name(order), sw.src, h.src, sw.dst, h.dst,
            (unsigned)sw.len, (unsigned)h.len);
    vcf_fuzz_explainf("header: src %" PRIu32 " dst %" PRIu32 " reserved 0x%" PRIx32
                      " len %u flags 0x%x (read as %s: dst %" PRIu32 ", len %u)\n",
                      h.src, h.dst, h.reserved, (unsigned)h.len, (unsigned)h.flags,
                      vcf_fuzz_order_name(other), sw.dst, (unsigned)sw.len);
}

/* The rule checks of a parsed message: stable, and counting what the fields say. */
static void check_rules(const vcf_rpmsg_msg *m)
{
    vcf_error a[MAX_ERRS], b[MAX_ERRS];
    size_t na = vcf_rpmsg_check(m, a, MAX_ERRS);
    size_t nb = vcf_rpmsg_check(m, b, MAX_ERRS);
    if (na != nb)
        vcf_fuzz_finding("rpmsg check counts %zu problems, then %zu", na, nb);
    for (size_t i = 0; i < na && i < MAX_ERRS; i++)
        if (!vcf_fuzz_same_error(&a[i], &b[i], 0))
            vcf_fuzz_finding("rpmsg check: problem %zu differs between two calls", i);
    size_t frame = (m->frame.hdr.reserved != 0) + (m->frame.hdr.flags != 0);
    if (vcf_rpmsg_frame_check(&m->frame, NULL, 0) != frame)
        vcf_fuzz_finding("rpmsg frame_check counts %zu problems, reserved 0x%" PRIx32
                         " and flags 0x%x make %zu",
                         vcf_rpmsg_frame_check(&m->frame, NULL, 0), m->frame.hdr.reserved,
                         (unsigned)m->frame.hdr.flags, frame);
    size_t ns = m->kind == VCF_RPMSG_KIND_NS ? vcf_rpmsg_ns_check(&m->ns, NULL, 0) : 0;
    if (na != frame + ns)
        vcf_fuzz_finding("rpmsg check counts %zu problems, frame_check %zu and ns_check %zu", na,
                         frame, ns);
    for (size_t i = 0; i < na && i < MAX_ERRS; i++) {
        if (!vcf_status_is_rule(a[i].code) || a[i].offset >= VCF_RPMSG_HDR_SIZE + m->frame.hdr.len)
            vcf_fuzz_finding("rpmsg check: problem %zu (%d at offset %zu) is not a rule error "
                             "inside the message",
                             i, a[i].code, a[i].offset);
        vcf_fuzz_explain_error("  rule", a[i].code, &a[i]);
    }
    vcf_fuzz_explainf("rule checks: %zu problem(s)\n", na);
}

static void check_reencode(const uint8_t *buf, size_t n, vcf_byte_order order,
                           const vcf_rpmsg_msg *m)
{
    const vcf_rpmsg_frame *fr = &m->frame;
    if (fr->payload.ptr != buf + VCF_RPMSG_HDR_SIZE || fr->payload.len != fr->hdr.len ||
        VCF_RPMSG_HDR_SIZE + fr->payload.len + fr->slack != n)
        vcf_fuzz_finding("rpmsg frame: header %u + payload %zu + slack %zu is not the %zu-byte "
                         "buffer",
                         VCF_RPMSG_HDR_SIZE, fr->payload.len, fr->slack, n);
    int w = vcf_rpmsg_frame_encode(&fr->hdr, fr->payload, order, out, sizeof out, NULL);
    if (w != (int)(VCF_RPMSG_HDR_SIZE + fr->hdr.len) || memcmp(out, buf, (size_t)w) != 0)
        vcf_fuzz_finding("rpmsg frame re-encodes to %d bytes that differ from the first %u + %u "
                         "input bytes",
                         w, VCF_RPMSG_HDR_SIZE, (unsigned)fr->hdr.len);
    const uint8_t *payload = fr->payload.ptr;
    if (m->kind == VCF_RPMSG_KIND_NS) {
        if (vcf_rpmsg_ns_encode(&m->ns, order, out, sizeof out, NULL) !=
                (int)VCF_RPMSG_NS_MSG_SIZE ||
            memcmp(out, payload, VCF_RPMSG_NS_MSG_SIZE) != 0)
            vcf_fuzz_finding("rpmsg NS payload does not re-encode to its 40 bytes");
    } else if (m->kind == VCF_RPMSG_KIND_NS_EXT) {
        vcf_rpmsg_ns_ext x = m->ns_ext;
        vcf_rpmsg_ns_layout fits = vcf_rpmsg_ns_ext_classify(payload, fr->payload.len, order);
        if (x.layout != fits)
            vcf_fuzz_finding("rpmsg extended NS: parse says layout %s, classify %s",
                             vcf_rpmsg_ns_layout_name(x.layout), vcf_rpmsg_ns_layout_name(fits));
        if (x.layout == VCF_RPMSG_NS_LAYOUT_EXT_UNKNOWN)
            x.layout = VCF_RPMSG_NS_LAYOUT_EXT_TI; /* what parse reads an unclear payload as */
        if (vcf_rpmsg_ns_ext_encode(&x, order, out, sizeof out, NULL) !=
                (int)VCF_RPMSG_NS_EXT_MSG_SIZE ||
            memcmp(out, payload, VCF_RPMSG_NS_EXT_MSG_SIZE) != 0)
            vcf_fuzz_finding("rpmsg extended NS payload (%s) does not re-encode to its 72 bytes",
                             vcf_rpmsg_ns_layout_name(x.layout));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t *buf = data + 1;
    size_t n = size - 1;
    vcf_rpmsg_params p;
    vcf_rpmsg_params_default(&p);
    p.order = (data[0] & VCF_FUZZ_RPMSG_BE) ? VCF_BIG_ENDIAN : VCF_LITTLE_ENDIAN;
    p.ns = (data[0] & VCF_FUZZ_RPMSG_NO_NS) == 0;
    vcf_fuzz_explainf("rpmsg-frame: %zu-byte buffer, %s link, name service %s\n", n,
                      vcf_fuzz_order_name(p.order), p.ns ? "negotiated" : "not negotiated");

    vcf_rpmsg_msg m, dm;
    vcf_rpmsg_frame fr;
    vcf_error err, derr, ferr;
    int rc = vcf_rpmsg_parse(buf, n, &p, &m, &err);
    int drc = vcf_rpmsg_decode(buf, n, &p, &dm, &derr);
    int frc = vcf_rpmsg_frame_parse(buf, n, p.order, &fr, &ferr);
    vcf_fuzz_explain_error("frame_parse", frc, &ferr);
    vcf_fuzz_explain_error("parse", rc, &err);
    vcf_fuzz_explain_error("decode", drc, &derr);
    check_hdr(buf, n, p.order, &fr, frc);

    /* the message parser against the frame parser */
    if (frc != VCF_OK) {
        vcf_fuzz_check_structural("rpmsg frame_parse", frc, &ferr, n);
        if ((n < VCF_RPMSG_HDR_SIZE) != (frc == VCF_E_TRUNCATED))
            vcf_fuzz_finding("rpmsg frame_parse of %zu bytes: %s", n, vcf_status_name(frc));
        if (rc != frc || !vcf_fuzz_same_error(&err, &ferr, 0))
            vcf_fuzz_finding("rpmsg parse (%d) and frame_parse (%d) fail differently", rc, frc);
    } else {
        if (fr.hdr.len > n - VCF_RPMSG_HDR_SIZE)
            vcf_fuzz_finding("rpmsg frame_parse accepted len %u in %zu bytes", (unsigned)fr.hdr.len,
                             n);
        int want = VCF_OK;
        vcf_rpmsg_kind kind = VCF_RPMSG_KIND_DATA;
        if (fr.hdr.dst == VCF_RPMSG_NS_ADDR && p.ns) {
            if (fr.hdr.len == VCF_RPMSG_NS_MSG_SIZE) {
                kind = VCF_RPMSG_KIND_NS;
            } else if (fr.hdr.len == VCF_RPMSG_NS_EXT_MSG_SIZE) {
                kind = VCF_RPMSG_KIND_NS_EXT;
                want = VCF_E_NONSTANDARD;
            } else {
                want = VCF_E_SIZE_MISMATCH;
            }
        }
        if (rc != want)
            vcf_fuzz_finding("rpmsg parse gives %s for dst %" PRIu32 " len %u (name service %s), "
                             "expected %s",
                             vcf_status_name(rc), fr.hdr.dst, (unsigned)fr.hdr.len,
                             p.ns ? "on" : "off", vcf_status_name(want));
        if (rc != VCF_OK && (err.offset != 12 || !err.field || strcmp(err.field, "len") != 0))
            vcf_fuzz_finding("rpmsg parse: an NS payload of %u bytes is blamed on offset %zu (%s), "
                             "expected 12 (len)",
                             (unsigned)fr.hdr.len, err.offset, err.field ? err.field : "-");
        if ((rc == VCF_OK || rc == VCF_E_NONSTANDARD) &&
            (m.kind != kind || !same_frame(&m.frame, &fr)))
            vcf_fuzz_finding("rpmsg parse: kind %s or frame differs from frame_parse (kind %s)",
                             kind_name(m.kind), kind_name(kind));
    }

    /* decode = parse + check */
    if (rc != VCF_OK) {
        vcf_fuzz_check_decode_failed("rpmsg decode", "parse", drc, &derr, rc, &err, 0);
        vcf_fuzz_check_structural("rpmsg parse", rc, &err, n);
    } else {
        vcf_error first;
        size_t nfirst = vcf_rpmsg_check(&m, &first, 1);
        vcf_fuzz_check_decode_ok("rpmsg decode", drc, &derr, nfirst, &first, 0);
        if (!same_msg(&m, &dm))
            vcf_fuzz_finding("rpmsg decode and parse give different messages");
    }
    if (rc == VCF_E_NONSTANDARD && (drc != rc || !same_msg(&m, &dm)))
        vcf_fuzz_finding("rpmsg decode and parse read the extended NS payload differently");

    if (rc == VCF_OK || rc == VCF_E_NONSTANDARD) {
        vcf_fuzz_explainf("message: %s\n", kind_name(m.kind));
        check_reencode(buf, n, p.order, &m);
        check_rules(&m);
        vcf_fuzz_walk w;
        vcf_fuzz_walk_init(&w, "rpmsg", buf, n, p.order,
                           VCF_FUZZ_WALK_INT(2) | VCF_FUZZ_WALK_INT(4), 10);
        vcf_rpmsg_describe(&m, &p, vcf_fuzz_walk_field, &w);
        vcf_fuzz_walk_finish(&w);
        vcf_fuzz_explainf("checked: decode = parse + check, header in both byte orders, frame "
                          "and NS re-encode, rule counts, every field in bounds\n");
    } else {
        vcf_fuzz_explainf("checked: decode = parse, header in both byte orders, the error is "
                          "structural and inside the buffer\n");
    }
    return 0;
}

VCF_FUZZ_CHECKS_END
