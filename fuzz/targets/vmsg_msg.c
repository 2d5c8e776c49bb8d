/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target vmsg_msg: one virtio-msg message (format vmsg, fuzz.h).
 *
 *   [0]  bit 0: RFC3 (else PR28); bit 1: bus padding allowed; bits 2..7 = k: bus maximum
 *        message size, 0 for k == 0, else 40 + 8 * k (vcf_fuzz_vmsg_max)
 *   [1..] the message
 *
 * Checked on every input (a broken invariant is a finding):
 *   - decode gives exactly what parse followed by the rule checks gives;
 *   - the framing verdicts follow from the header alone (buffer shorter than 8, msg_size below
 *     8, above the buffer, bytes past it without padding), and an ID verdict is classify's;
 *   - classify agrees with the kind parse found, and the kind's type bits and ID are the
 *     header's;
 *   - a parsed message re-encodes to exactly its first msg_size bytes, encoded_size is
 *     msg_size, and whatever follows msg_size is the padding view;
 *   - the rule checks give the same problems twice, all rule errors inside the buffer, and
 *     report the reserved type bits, the bus maximum and non-zero padding exactly when the
 *     bytes break them;
 *   - the field visitor covers every byte of the buffer once, in wire order, and each value
 *     it reports is what the bytes at its offset hold.
 */
#include <inttypes.h>
#include <string.h>

#include "fuzz.h"
#include "vconform/vmsg.h"
#include "walk.h"

/* The checks are not what is being fuzzed (walk.h). */
VCF_FUZZ_CHECKS_BEGIN

#define MAX_ERRS 16u

static uint8_t out[VCF_VMSG_MSG_SIZE_LIMIT + 1u];

static const char *kind_text(vcf_vmsg_kind kind)
{
    const char *name = vcf_vmsg_kind_name(kind);
    return name ? name : "-";
}

/* ---- the target -------------------------------------------------------------------------- */

/* What the header alone says about framing: VCF_OK when parse must look further. */
static int framing_verdict(const uint8_t *buf, size_t n, const vcf_vmsg_params *p)
{
    if (n < VCF_VMSG_HDR_SIZE)
        return VCF_E_TRUNCATED;
    uint16_t msg_size = (uint16_t)vcf_fuzz_load(buf + 6, 2, VCF_LITTLE_ENDIAN);
    if (msg_size < VCF_VMSG_HDR_SIZE)
        return VCF_E_SIZE_RANGE;
    if (msg_size > n)
        return VCF_E_SIZE_MISMATCH;
    if (msg_size < n && !p->allow_padding)
        return VCF_E_TRAILING;
    return VCF_OK;
}

static void check_rules(const uint8_t *buf, size_t n, const vcf_vmsg_msg *m,
                        const vcf_vmsg_params *p)
{
    vcf_error a[MAX_ERRS], b[MAX_ERRS];
    size_t na = vcf_vmsg_check(m, p, a, MAX_ERRS);
    size_t nb = vcf_vmsg_check(m, p, b, MAX_ERRS);
    if (na != nb)
        vcf_fuzz_finding("vmsg check counts %zu problems, then %zu", na, nb);
    size_t stored = na < MAX_ERRS ? na : MAX_ERRS;
    for (size_t i = 0; i < stored; i++) {
        if (!vcf_fuzz_same_error(&a[i], &b[i], VCF_FUZZ_ERR_VALUES))
            vcf_fuzz_finding("vmsg check: problem %zu differs between two calls", i);
        if (!vcf_status_is_rule(a[i].code) || a[i].offset >= n)
            vcf_fuzz_finding("vmsg check: problem %zu (%d at offset %zu) is not a rule error "
                             "inside the %zu-byte buffer",
                             i, a[i].code, a[i].offset, n);
        vcf_fuzz_explain_error("  rule", a[i].code, &a[i]);
    }
    vcf_fuzz_explainf("rule checks: %zu problem(s)\n", na);
    if (na > stored)
        return;
    bool reserved = (m->hdr.type & VCF_VMSG_TYPE_RESERVED) != 0;
    if (reserved != vcf_fuzz_has_error(a, na, VCF_E_RESERVED, 0))
        vcf_fuzz_finding("vmsg check: type 0x%02x, reserved bits %s", (unsigned)m->hdr.type,
                         reserved ? "not reported" : "reported");
    bool too_large = p->max_msg_size && m->hdr.msg_size > p->max_msg_size;
    if (too_large != vcf_fuzz_has_error(a, na, VCF_E_TOO_LARGE, 6))
        vcf_fuzz_finding("vmsg check: msg_size %u, bus maximum %" PRIu32 ", too large %s",
                         (unsigned)m->hdr.msg_size, p->max_msg_size,
                         too_large ? "not reported" : "reported");
    size_t first_pad = n;
    for (size_t i = m->hdr.msg_size; i < n; i++)
        if (buf[i]) {
            first_pad = i;
            break;
        }
    if ((first_pad < n) != vcf_fuzz_has_error(a, na, VCF_E_MBZ, first_pad))
        vcf_fuzz_finding("vmsg check: padding byte %zu of %zu, must-be-zero %s", first_pad, n,
                         first_pad < n ? "not reported" : "reported");
}

static void check_parsed(const uint8_t *buf, size_t n, const vcf_vmsg_msg *m,
                         const vcf_vmsg_msg *dm, const vcf_vmsg_params *p)
{
    const vcf_vmsg_hdr *h = &m->hdr;
    vcf_vmsg_class cls;
    int crc = vcf_vmsg_classify(h->type, h->msg_id, p->rev, &cls);
    if (crc != VCF_OK || cls.kind != m->kind)
        vcf_fuzz_finding("vmsg: parse found %s, classify of type 0x%02x id 0x%02x gives %s (%d)",
                         kind_text(m->kind), (unsigned)h->type, (unsigned)h->msg_id,
                         kind_text(cls.kind), crc);
    if (cls.bus != ((h->type & VCF_VMSG_TYPE_BUS) != 0) ||
        cls.response != ((h->type & VCF_VMSG_TYPE_RESPONSE) != 0))
        vcf_fuzz_finding("vmsg classify: bus/response flags disagree with type 0x%02x",
                         (unsigned)h->type);
    if (m->kind == VCF_VMSG_K_IMPL_DEFINED) {
        if (h->msg_id < 0x80)
            vcf_fuzz_finding("vmsg: implementation-defined message with ID 0x%02x",
                             (unsigned)h->msg_id);
    } else {
        uint8_t type, id;
        if (vcf_vmsg_kind_header(m->kind, &type, &id) != 0 ||
            type != (h->type & (VCF_VMSG_TYPE_BUS | VCF_VMSG_TYPE_RESPONSE)) || id != h->msg_id)
            vcf_fuzz_finding("vmsg: kind %s %s does not have type 0x%02x id 0x%02x",
                             kind_text(m->kind), vcf_vmsg_kind_direction(m->kind),
                             (unsigned)h->type, (unsigned)h->msg_id);
    }
    vcf_fuzz_explainf("message: %s %s (type 0x%02x, id 0x%02x), dev_num %u, token 0x%04x, "
                      "msg_size %u, padding %zu\n",
                      kind_text(m->kind), vcf_vmsg_kind_direction(m->kind), (unsigned)h->type,
                      (unsigned)h->msg_id, (unsigned)h->dev_num, (unsigned)h->token,
                      (unsigned)h->msg_size, m->padding.len);

    /* padding and re-encoding */
    if (m->padding.len != n - h->msg_size ||
        (m->padding.len && m->padding.ptr != buf + h->msg_size))
        vcf_fuzz_finding("vmsg: padding view of %zu bytes, the buffer has %zu past msg_size %u",
                         m->padding.len, n - h->msg_size, (unsigned)h->msg_size);
    long size = vcf_vmsg_encoded_size(m);
    if (size != (long)h->msg_size)
        vcf_fuzz_finding("vmsg encoded_size %ld, msg_size %u", size, (unsigned)h->msg_size);
    vcf_error err;
    int w = vcf_vmsg_encode(m, out, sizeof out, &err);
    if (w != (int)h->msg_size || memcmp(out, buf, h->msg_size) != 0)
        vcf_fuzz_finding("vmsg %s re-encodes to %d bytes that differ from its %u",
                         kind_text(m->kind), w, (unsigned)h->msg_size);
    w = vcf_vmsg_encode(dm, out, sizeof out, &err);
    if (dm->kind != m->kind || dm->padding.len != m->padding.len || w != (int)h->msg_size ||
        memcmp(out, buf, h->msg_size) != 0)
        vcf_fuzz_finding("vmsg: the message decode filled in does not re-encode like parse's");

    /* the GET_DEVICES window accessor against the bitmap's bits */
    if (m->kind == VCF_VMSG_K_BUS_GET_DEVICES_RESP) {
        const vcf_vmsg_devices *d = &m->u.devices;
        for (uint32_t i = 0; i < d->count; i++) {
            bool bit = (d->bitmap.ptr[i / 8u] >> (i % 8u)) & 1u;
            if (vcf_vmsg_device_present(d, (uint32_t)d->offset + i) != bit)
                vcf_fuzz_finding("vmsg GET_DEVICES: device %" PRIu32 " present is not bit %" PRIu32
                                 " of the bitmap",
                                 (uint32_t)d->offset + i, i);
        }
        if ((d->offset && vcf_vmsg_device_present(d, (uint32_t)d->offset - 1u)) ||
            vcf_vmsg_device_present(d, (uint32_t)d->offset + d->count))
            vcf_fuzz_finding("vmsg GET_DEVICES: a device outside the window %u+%u is present",
                             (unsigned)d->offset, (unsigned)d->count);
    }

    check_rules(buf, n, m, p);

    vcf_fuzz_walk wk;
    vcf_fuzz_walk_init(&wk, "vmsg", buf, n, VCF_LITTLE_ENDIAN,
                       VCF_FUZZ_WALK_INT(1) | VCF_FUZZ_WALK_INT(2) | VCF_FUZZ_WALK_INT(4) |
                           VCF_FUZZ_WALK_INT(8),
                       16);
    vcf_vmsg_describe(m, p, vcf_fuzz_walk_field, &wk);
    vcf_fuzz_walk_finish(&wk);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t *buf = data + 1;
    size_t n = size - 1;
    vcf_vmsg_params p;
    vcf_vmsg_params_default(&p);
    p.rev = (data[0] & VCF_FUZZ_VMSG_RFC3) ? VCF_VMSG_REV_RFC3 : VCF_VMSG_REV_PR28;
    p.allow_padding = (data[0] & VCF_FUZZ_VMSG_PAD) != 0;
    p.max_msg_size = vcf_fuzz_vmsg_max(data[0]);
    vcf_fuzz_explainf("vmsg: %zu bytes, revision %s, bus padding %s, bus maximum %" PRIu32 "%s\n",
                      n, vcf_vmsg_rev_name(p.rev), p.allow_padding ? "allowed" : "not allowed",
                      p.max_msg_size, p.max_msg_size ? "" : " (none)");

    vcf_vmsg_msg m, dm;
    vcf_error err, derr;
    int rc = vcf_vmsg_parse(buf, n, &p, &m, &err);
    int drc = vcf_vmsg_decode(buf, n, &p, &dm, &derr);
    vcf_fuzz_explain_error("parse", rc, &err);
    vcf_fuzz_explain_error("decode", drc, &derr);

    /* framing and IDs */
    int frame = framing_verdict(buf, n, &p);
    if (frame != VCF_OK && rc != frame)
        vcf_fuzz_finding("vmsg parse gives %s, the header alone says %s", vcf_status_name(rc),
                         vcf_status_name(frame));
    if (frame == VCF_OK) {
        vcf_vmsg_class cls;
        int crc = vcf_vmsg_classify(buf[0], buf[1], p.rev, &cls);
        if (crc != VCF_OK && rc != crc)
            vcf_fuzz_finding("vmsg parse gives %s, classify of type 0x%02x id 0x%02x says %s",
                             vcf_status_name(rc), (unsigned)buf[0], (unsigned)buf[1],
                             vcf_status_name(crc));
        if (crc == VCF_OK && (rc == VCF_E_UNKNOWN_ID || rc == VCF_E_BAD_KIND))
            vcf_fuzz_finding("vmsg parse gives %s for type 0x%02x id 0x%02x, classify accepts it",
                             vcf_status_name(rc), (unsigned)buf[0], (unsigned)buf[1]);
    }

    /* decode = parse + check */
    if (rc != VCF_OK) {
        vcf_fuzz_check_decode_failed("vmsg decode", "parse", drc, &derr, rc, &err,
                                     VCF_FUZZ_ERR_VALUES);
        vcf_fuzz_check_structural("vmsg parse", rc, &err, n);
        vcf_fuzz_explainf("checked: decode = parse, the framing and ID verdicts, the error is "
                          "structural and inside the buffer\n");
        return 0;
    }
    vcf_error first;
    size_t nfirst = vcf_vmsg_check(&m, &p, &first, 1);
    vcf_fuzz_check_decode_ok("vmsg decode", drc, &derr, nfirst, &first, VCF_FUZZ_ERR_VALUES);
    check_parsed(buf, n, &m, &dm, &p);
    vcf_fuzz_explainf("checked: decode = parse + check, classify, re-encode and encoded_size, "
                      "padding, rule checks, every field in bounds\n");
    return 0;
}

VCF_FUZZ_CHECKS_END
