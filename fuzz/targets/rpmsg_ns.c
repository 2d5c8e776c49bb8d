/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target rpmsg_ns: one name-service payload (format rpmsg-ns, fuzz.h).
 *
 *   [0]  bit 0: big-endian link
 *   [1..] the payload (what follows the RPMsg header of a message to address 53)
 *
 * Checked on every input (a broken invariant is a finding):
 *   - the size verdict: 40 bytes parse, 72 are the non-standard extended message, anything
 *     else is a size mismatch; decode gives exactly what parse followed by check gives;
 *   - a parsed payload re-encodes to its 40 bytes; the other byte order swaps addr and flags
 *     and keeps the name; the rule checks report an unterminated name, bytes after the NUL and
 *     undefined flag bits exactly when the bytes have them; name_len is the position of the
 *     first NUL (32 without one), and a clean name survives vcf_rpmsg_ns_init unchanged;
 *   - a 72-byte payload: classify says which layouts fit (flags with no bit but bit 0, a
 *     description of printable text then NULs), parsing in each layout reports that, and each
 *     layout re-encodes to the same 72 bytes;
 *   - the same payload behind an RPMsg header to address 53 gets the same verdict and fields
 *     from the whole-message parser.
 */
#include <inttypes.h>
#include <string.h>

#include "fuzz.h"
#include "vconform/rpmsg.h"
#include "walk.h"

/* The checks are not what is being fuzzed (walk.h). */
VCF_FUZZ_CHECKS_BEGIN

#define MAX_ERRS 8u

static uint8_t frame[VCF_RPMSG_HDR_SIZE + VCF_RPMSG_MAX_LEN];
static uint8_t out[VCF_RPMSG_NS_EXT_MSG_SIZE];

/* Printable ASCII, then only NULs: a description a layout accepts. */
static int clean_text(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && p[i] >= 0x20 && p[i] <= 0x7E)
        i++;
    for (; i < n; i++)
        if (p[i] != 0)
            return 0;
    return 1;
}

/* A standard 40-byte payload that parsed. */
static void check_standard(const uint8_t *pl, vcf_byte_order order, const vcf_rpmsg_ns_msg *ns)
{
    vcf_fuzz_explainf("name service (standard, 40 bytes):\n");
    vcf_fuzz_explain_text("name", ns->name, VCF_RPMSG_NAME_SIZE);
    vcf_fuzz_explainf("  addr   %" PRIu32 " (0x%08" PRIx32 ")\n  flags  0x%08" PRIx32 " (%s%s)\n",
                      ns->addr, ns->addr, ns->flags,
                      (ns->flags & VCF_RPMSG_NS_DESTROY) ? "destroy" : "create",
                      (ns->flags & ~(uint32_t)VCF_RPMSG_NS_FLAGS_KNOWN) ? ", undefined bits" : "");

    if (vcf_rpmsg_ns_encode(ns, order, out, sizeof out, NULL) != (int)VCF_RPMSG_NS_MSG_SIZE ||
        memcmp(out, pl, VCF_RPMSG_NS_MSG_SIZE) != 0)
        vcf_fuzz_finding("rpmsg NS payload does not re-encode to its 40 bytes");
    if (memcmp(ns->name, pl, VCF_RPMSG_NAME_SIZE) != 0 ||
        ns->addr != (uint32_t)vcf_fuzz_load(pl + 32, 4, order) ||
        ns->flags != (uint32_t)vcf_fuzz_load(pl + 36, 4, order))
        vcf_fuzz_finding("rpmsg NS fields are not the bytes at 0, 32 and 36 (%s)",
                         vcf_fuzz_order_name(order));

    vcf_rpmsg_ns_msg sw;
    vcf_byte_order other = order == VCF_BIG_ENDIAN ? VCF_LITTLE_ENDIAN : VCF_BIG_ENDIAN;
    if (vcf_rpmsg_ns_parse(pl, VCF_RPMSG_NS_MSG_SIZE, other, &sw, NULL) != VCF_OK ||
        memcmp(sw.name, ns->name, VCF_RPMSG_NAME_SIZE) != 0 ||
        sw.addr != vcf_fuzz_swap32(ns->addr) || sw.flags != vcf_fuzz_swap32(ns->flags))
        vcf_fuzz_finding("rpmsg NS read as %s is not the byte-swapped %s reading",
                         vcf_fuzz_order_name(other), vcf_fuzz_order_name(order));

    /* the name's bounds */
    const uint8_t *nul = memchr(pl, 0, VCF_RPMSG_NAME_SIZE);
    size_t want_len = nul ? (size_t)(nul - pl) : VCF_RPMSG_NAME_SIZE;
    size_t name_len = vcf_rpmsg_ns_name_len(ns);
    if (name_len != want_len)
        vcf_fuzz_finding("rpmsg ns_name_len %zu, the first NUL is at %zu", name_len, want_len);
    size_t after = VCF_RPMSG_NAME_SIZE; /* first non-zero byte after the NUL */
    for (size_t i = want_len + 1; i < VCF_RPMSG_NAME_SIZE; i++)
        if (pl[i]) {
            after = i;
            break;
        }
    uint32_t undefined = ns->flags & ~(uint32_t)VCF_RPMSG_NS_FLAGS_KNOWN;

    vcf_error a[MAX_ERRS], b[MAX_ERRS];
    size_t na = vcf_rpmsg_ns_check(ns, a, MAX_ERRS);
    size_t nb = vcf_rpmsg_ns_check(ns, b, MAX_ERRS);
    if (na != nb || na > MAX_ERRS)
        vcf_fuzz_finding("rpmsg ns_check counts %zu problems, then %zu", na, nb);
    for (size_t i = 0; i < na; i++) {
        if (!vcf_fuzz_same_error(&a[i], &b[i], 0))
            vcf_fuzz_finding("rpmsg ns_check: problem %zu differs between two calls", i);
        vcf_fuzz_explain_error("  rule", a[i].code, &a[i]);
    }
    size_t want =
        (want_len == VCF_RPMSG_NAME_SIZE || after < VCF_RPMSG_NAME_SIZE) + (undefined != 0);
    if (na != want)
        vcf_fuzz_finding("rpmsg ns_check counts %zu problems, the bytes have %zu", na, want);
    if ((want_len == VCF_RPMSG_NAME_SIZE) != vcf_fuzz_has_error(a, na, VCF_E_UNTERMINATED, 0))
        vcf_fuzz_finding("rpmsg ns_check: name of %zu bytes, unterminated %s", want_len,
                         want_len == VCF_RPMSG_NAME_SIZE ? "not reported" : "reported");
    if (after < VCF_RPMSG_NAME_SIZE && !vcf_fuzz_has_error(a, na, VCF_E_MBZ, after))
        vcf_fuzz_finding("rpmsg ns_check: byte %zu after the name's NUL is 0x%02x, not reported",
                         after, pl[after]);
    if ((undefined != 0) != vcf_fuzz_has_error(a, na, VCF_E_RESERVED, 36))
        vcf_fuzz_finding("rpmsg ns_check: flags 0x%08" PRIx32 ", undefined bits %s", ns->flags,
                         undefined ? "not reported" : "reported");
    vcf_fuzz_explainf("rule checks: %zu problem(s)\n", na);

    /* a clean name is what vcf_rpmsg_ns_init builds from it */
    if (want_len < VCF_RPMSG_NAME_SIZE && after == VCF_RPMSG_NAME_SIZE) {
        char name[VCF_RPMSG_NAME_SIZE];
        memcpy(name, ns->name, VCF_RPMSG_NAME_SIZE);
        vcf_rpmsg_ns_msg init;
        vcf_rpmsg_ns_init(&init, name, ns->addr, ns->flags);
        if (!vcf_fuzz_same_rpmsg_ns(&init, ns))
            vcf_fuzz_finding("rpmsg ns_init from the %zu-character name does not rebuild the "
                             "payload",
                             want_len);
    }
}

/* A 72-byte payload: each layout, and what classify makes of it. */
static void check_extended(const uint8_t *pl, vcf_byte_order order)
{
    vcf_rpmsg_ns_layout fits = vcf_rpmsg_ns_ext_classify(pl, VCF_RPMSG_NS_EXT_MSG_SIZE, order);
    int ti =
        ((uint32_t)vcf_fuzz_load(pl + 68, 4, order) & ~(uint32_t)VCF_RPMSG_NS_FLAGS_KNOWN) == 0 &&
        clean_text(pl + 32, VCF_RPMSG_DESC_SIZE);
    int vendor =
        ((uint32_t)vcf_fuzz_load(pl + 36, 4, order) & ~(uint32_t)VCF_RPMSG_NS_FLAGS_KNOWN) == 0 &&
        clean_text(pl + 40, VCF_RPMSG_DESC_SIZE);
    vcf_rpmsg_ns_layout want = ti && !vendor   ? VCF_RPMSG_NS_LAYOUT_EXT_TI
                               : vendor && !ti ? VCF_RPMSG_NS_LAYOUT_EXT_VENDOR
                                               : VCF_RPMSG_NS_LAYOUT_EXT_UNKNOWN;
    vcf_fuzz_explainf("extended name service (72 bytes, non-standard): fits TI %s, vendor %s: "
                      "%s\n",
                      ti ? "yes" : "no", vendor ? "yes" : "no", vcf_rpmsg_ns_layout_name(fits));
    if (fits != want)
        vcf_fuzz_finding("rpmsg ns_ext_classify says %s; TI layout %s, vendor layout %s",
                         vcf_rpmsg_ns_layout_name(fits), ti ? "fits" : "does not fit",
                         vendor ? "fits" : "does not fit");

    static const vcf_rpmsg_ns_layout layouts[] = {VCF_RPMSG_NS_LAYOUT_EXT_TI,
                                                  VCF_RPMSG_NS_LAYOUT_EXT_VENDOR};
    for (size_t k = 0; k < 2; k++) {
        vcf_rpmsg_ns_ext x;
        vcf_error err;
        int rc = vcf_rpmsg_ns_ext_parse(pl, VCF_RPMSG_NS_EXT_MSG_SIZE, order, layouts[k], &x, &err);
        if (rc != VCF_OK || x.layout != fits)
            vcf_fuzz_finding("rpmsg ns_ext_parse as %s: %d, layout %s (classify: %s)",
                             vcf_rpmsg_ns_layout_name(layouts[k]), rc,
                             vcf_rpmsg_ns_layout_name(x.layout), vcf_rpmsg_ns_layout_name(fits));
        vcf_fuzz_explainf("as %s:\n", vcf_rpmsg_ns_layout_name(layouts[k]));
        vcf_fuzz_explain_text("name", x.name, VCF_RPMSG_NAME_SIZE);
        vcf_fuzz_explain_text("desc", x.desc, VCF_RPMSG_DESC_SIZE);
        vcf_fuzz_explainf("  addr   %" PRIu32 "\n  flags  0x%08" PRIx32 "\n", x.addr, x.flags);
        x.layout = layouts[k];
        if (vcf_rpmsg_ns_ext_encode(&x, order, out, sizeof out, NULL) !=
                (int)VCF_RPMSG_NS_EXT_MSG_SIZE ||
            memcmp(out, pl, VCF_RPMSG_NS_EXT_MSG_SIZE) != 0)
            vcf_fuzz_finding("rpmsg extended NS in the %s layout does not re-encode to its 72 "
                             "bytes",
                             vcf_rpmsg_ns_layout_name(layouts[k]));
    }
}

/* The payload behind a header to address 53: the message parser must agree. */
static void check_in_frame(const uint8_t *pl, size_t len, const vcf_rpmsg_params *p, int rc,
                           const vcf_rpmsg_ns_msg *ns)
{
    if (len > VCF_RPMSG_MAX_LEN)
        return;
    vcf_rpmsg_hdr h = {0x400u, VCF_RPMSG_NS_ADDR, 0, (uint16_t)len, 0};
    vcf_bytes payload = {pl, len};
    if (vcf_rpmsg_frame_encode(&h, payload, p->order, frame, sizeof frame, NULL) !=
        (int)(VCF_RPMSG_HDR_SIZE + len))
        vcf_fuzz_finding("rpmsg frame_encode of a %zu-byte NS payload failed", len);
    vcf_rpmsg_msg m;
    vcf_error err;
    int mrc = vcf_rpmsg_parse(frame, VCF_RPMSG_HDR_SIZE + len, p, &m, &err);
    if (mrc != rc)
        vcf_fuzz_finding("rpmsg parse of the payload in a frame gives %s, ns_parse %s",
                         vcf_status_name(mrc), vcf_status_name(rc));
    if (rc == VCF_OK && (m.kind != VCF_RPMSG_KIND_NS || !vcf_fuzz_same_rpmsg_ns(&m.ns, ns)))
        vcf_fuzz_finding("rpmsg parse of the payload in a frame reads other NS fields");
    if (rc == VCF_E_NONSTANDARD) {
        vcf_rpmsg_ns_layout fits = vcf_rpmsg_ns_ext_classify(pl, len, p->order);
        vcf_rpmsg_ns_ext x;
        vcf_rpmsg_ns_ext_parse(pl, len, p->order,
                               fits == VCF_RPMSG_NS_LAYOUT_EXT_VENDOR
                                   ? VCF_RPMSG_NS_LAYOUT_EXT_VENDOR
                                   : VCF_RPMSG_NS_LAYOUT_EXT_TI,
                               &x, NULL);
        if (m.kind != VCF_RPMSG_KIND_NS_EXT || !vcf_fuzz_same_rpmsg_ns_ext(&m.ns_ext, &x))
            vcf_fuzz_finding("rpmsg parse of a 72-byte payload in a frame does not read it in "
                             "the layout it fits");
    }
    vcf_error first, derr;
    vcf_rpmsg_msg dm;
    int drc = vcf_rpmsg_decode(frame, VCF_RPMSG_HDR_SIZE + len, p, &dm, &derr);
    if (rc == VCF_OK && vcf_rpmsg_ns_check(ns, &first, 1)) {
        first.offset += VCF_RPMSG_HDR_SIZE;
        if (drc != first.code || derr.offset != first.offset)
            vcf_fuzz_finding("rpmsg decode of the payload in a frame: %d at %zu, ns_check %d at "
                             "%zu + 16",
                             drc, derr.offset, first.code, first.offset - VCF_RPMSG_HDR_SIZE);
    } else if (drc != rc) {
        vcf_fuzz_finding("rpmsg decode of the payload in a frame gives %s, ns_parse %s",
                         vcf_status_name(drc), vcf_status_name(rc));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t *pl = data + 1;
    size_t len = size - 1;
    vcf_rpmsg_params p;
    vcf_rpmsg_params_default(&p);
    p.order = (data[0] & VCF_FUZZ_RPMSG_BE) ? VCF_BIG_ENDIAN : VCF_LITTLE_ENDIAN;
    vcf_fuzz_explainf("rpmsg-ns: %zu-byte payload, %s link\n", len, vcf_fuzz_order_name(p.order));

    vcf_rpmsg_ns_msg ns, dns;
    vcf_error err, derr;
    int rc = vcf_rpmsg_ns_parse(pl, len, p.order, &ns, &err);
    int drc = vcf_rpmsg_ns_decode(pl, len, p.order, &dns, &derr);
    vcf_fuzz_explain_error("ns_parse", rc, &err);
    vcf_fuzz_explain_error("ns_decode", drc, &derr);
    int want = len == VCF_RPMSG_NS_MSG_SIZE       ? VCF_OK
               : len == VCF_RPMSG_NS_EXT_MSG_SIZE ? VCF_E_NONSTANDARD
                                                  : VCF_E_SIZE_MISMATCH;
    if (rc != want || (rc != VCF_OK && err.offset != 0))
        vcf_fuzz_finding("rpmsg ns_parse of %zu bytes gives %s at %zu, expected %s at 0", len,
                         vcf_status_name(rc), err.offset, vcf_status_name(want));

    if (rc != VCF_OK) {
        vcf_fuzz_check_decode_failed("rpmsg ns_decode", "ns_parse", drc, &derr, rc, &err, 0);
    } else {
        vcf_error first;
        size_t nfirst = vcf_rpmsg_ns_check(&ns, &first, 1);
        vcf_fuzz_check_decode_ok("rpmsg ns_decode", drc, &derr, nfirst, &first, 0);
        if (!vcf_fuzz_same_rpmsg_ns(&ns, &dns))
            vcf_fuzz_finding("rpmsg ns_decode and ns_parse read different fields");
        check_standard(pl, p.order, &ns);
    }

    if (len == VCF_RPMSG_NS_EXT_MSG_SIZE) {
        check_extended(pl, p.order);
    } else {
        vcf_rpmsg_ns_ext x;
        if (vcf_rpmsg_ns_ext_parse(pl, len, p.order, VCF_RPMSG_NS_LAYOUT_EXT_TI, &x, NULL) !=
                VCF_E_SIZE_MISMATCH ||
            vcf_rpmsg_ns_ext_classify(pl, len, p.order) != VCF_RPMSG_NS_LAYOUT_EXT_UNKNOWN)
            vcf_fuzz_finding("rpmsg extended NS functions accept a %zu-byte payload", len);
    }
    check_in_frame(pl, len, &p, rc, &ns);
    vcf_fuzz_explainf("checked: size verdict, decode = parse + check, re-encode, both byte "
                      "orders, name bounds and rules, extended layouts, the same payload in a "
                      "frame\n");
    return 0;
}

VCF_FUZZ_CHECKS_END
