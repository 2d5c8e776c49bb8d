/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target capture: one pcap record body of the vconform capture format
 * (docs/capture-format.md), as `vconform run --pcap` and the capture library write it.
 *
 * Input (format capture):
 *   [0]   bit 0 picks the link type the record is read as: 0 LINKTYPE_WIRESHARK_UPPER_PDU (252,
 *         exported-PDU tags, then the pseudo-header), 1 LINKTYPE_USER0 (147, the pseudo-header
 *         first, no tags). The other bits are ignored.
 *   [1..] the record: [tags,] the vconform pseudo-header, the message.
 *
 * Checked on every input:
 *   - vcf_capture_parse refuses with a reason naming a byte, or returns a view that lies inside
 *     the record: the tags (UPPER_PDU only, with a dissector name inside them), then hdr_len
 *     bytes of pseudo-header (at least 44 for version 1, 56 for version 2 and later) holding the
 *     case ID, then the message up to the end; data_len is orig_len, or less with TRUNCATED;
 *   - vcf_capture_encode of the view's fields (vcf_capture_view_meta) writes a version-2 record
 *     that parses back to the same fields (used_len 0 reads as orig_len, protocol 0 reads as the
 *     role's protocol, a case ID ends at its first NUL: what the encoder means by them);
 *   - the re-encoding is the input byte for byte exactly when the input is in the form the
 *     encoder writes: for UPPER_PDU the 16 bytes of tags it writes (none for USER0), version 2,
 *     a protocol that is non-zero or that of the role, the reserved byte 0, used_len non-zero
 *     (or no message), and a case ID that is absent (offset and length 0) or at offset 56,
 *     1..4096 bytes without NUL, padded with NULs to 4 bytes. A version-1 record, or a later
 *     version with a longer header, is never canonical: it re-encodes as version 2.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "vconform/capture.h"
#include "walk.h"

/* The checks are not what is being fuzzed (walk.h). */
VCF_FUZZ_CHECKS_BEGIN

#define SELECT_USER0 0x01u /* input byte 0: read the record as LINKTYPE_USER0 */

static const uint8_t std_tags[VCF_CAPTURE_TAGS_SIZE] = {
    0x00, 0x0c, 0x00, 0x08, 'v', 'c', 'o', 'n', 'f', 'o', 'r', 'm', 0x00, 0x00, 0x00, 0x00};

static uint8_t *enc; /* the re-encoding, kept across inputs */
static size_t enc_cap;
static char case_id[0x10000]; /* a case ID as a C string (u16 length) */

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | ((unsigned)p[1] << 8));
}

static bool names_byte(const char *err)
{
    const char *p = strstr(err, "byte ");
    return p && p[5] >= '0' && p[5] <= '9';
}

static void explain_view(const vcf_capture_view *v)
{
    if (!vcf_fuzz_explain)
        return;
    if (v->dissector)
        vcf_fuzz_explainf("  tags %zu bytes, dissector \"%.*s\"\n", v->tags_len,
                          (int)v->dissector_len, v->dissector);
    else
        vcf_fuzz_explainf("  no tags\n");
    vcf_fuzz_explainf("  version %u protocol %u hdr_len %u direction %u role %u channel %u "
                      "byte_order %u result %u flags 0x%04x\n",
                      v->version, v->protocol, v->hdr_len, v->direction, v->role, v->channel,
                      v->order, v->result, v->flags);
    vcf_fuzz_explainf("  capacity %" PRIu32 " used_len %" PRIu32 " orig_len %" PRIu32
                      " case_index %" PRIu32 " step_index %" PRIu32 " record_index %" PRIu32 "\n",
                      v->capacity, v->used_len, v->orig_len, v->case_index, v->step_index,
                      v->record_index);
    vcf_fuzz_explainf("  bus %u (%s) revision %u link_flags 0x%04x max_msg_size %" PRIu32
                      " instance %" PRIu32 "\n",
                      v->bus, vcf_capture_bus_name(v->bus), v->revision, v->link_flags,
                      v->max_msg_size, v->instance);
    if (v->case_id)
        vcf_fuzz_explainf("  case_id \"%.*s\" (%zu bytes)\n", (int)v->case_id_len, v->case_id,
                          v->case_id_len);
    vcf_fuzz_explainf("  message %zu bytes:", v->data_len);
    for (size_t i = 0; i < v->data_len && i < 64; i++)
        vcf_fuzz_explainf(" %02x", v->data[i]);
    vcf_fuzz_explainf("%s\n", v->data_len > 64 ? " ..." : "");
}

/* The view lies inside the record and keeps the parser's promises. */
static void check_view(bool user, const uint8_t *buf, size_t len, const vcf_capture_view *v)
{
    const uint8_t *end = buf + len;
    if (user ? v->tags_len != 0 : (v->tags_len < 4 || v->tags_len > len))
        vcf_fuzz_finding("capture: %zu bytes of tags in a %zu-byte %s record", v->tags_len, len,
                         user ? "USER0" : "UPPER_PDU");
    const uint8_t *ph = buf + v->tags_len;
    const uint8_t *dis = (const uint8_t *)v->dissector;
    if (user) {
        if (dis || v->dissector_len)
            vcf_fuzz_finding("capture: a dissector name in a USER0 record");
    } else if (!dis || dis < buf + 4 || v->dissector_len > (size_t)(ph - dis)) {
        vcf_fuzz_finding("capture: the dissector name lies outside the tags");
    }
    const size_t fixed = v->version >= 2 ? VCF_CAPTURE_FIXED_SIZE : VCF_CAPTURE_V1_FIXED_SIZE;
    if (v->version < 1 || v->hdr_len < fixed || v->hdr_len > (size_t)(end - ph))
        vcf_fuzz_finding("capture: version %u, hdr_len %u with %zu bytes after the tags",
                         v->version, v->hdr_len, (size_t)(end - ph));
    if (v->version < 2 &&
        (v->bus || v->revision || v->link_flags || v->max_msg_size || v->instance))
        vcf_fuzz_finding("capture: version-2 fields read from a version-1 record");
    if (v->case_id) {
        const uint8_t *id = (const uint8_t *)v->case_id;
        if (id < ph + fixed || id > ph + v->hdr_len ||
            v->case_id_len > (size_t)(ph + v->hdr_len - id))
            vcf_fuzz_finding("capture: the case ID lies outside the pseudo-header");
    } else if (v->case_id_len) {
        vcf_fuzz_finding("capture: a case ID length without a case ID");
    }
    if (v->data != ph + v->hdr_len || v->data_len != (size_t)(end - v->data))
        vcf_fuzz_finding("capture: the message is not the rest of the record");
    bool truncated = (v->flags & VCF_CAPTURE_F_TRUNCATED) != 0;
    if (v->data_len > v->orig_len || truncated != (v->data_len < v->orig_len))
        vcf_fuzz_finding("capture: %zu message bytes for orig_len %" PRIu32 ", TRUNCATED %s",
                         v->data_len, v->orig_len, truncated ? "set" : "clear");
}

/* Whether vcf_capture_encode writes exactly these bytes back (see the top of the file). */
static bool canonical(bool user, const uint8_t *buf, const vcf_capture_view *v, size_t id_len)
{
    const uint8_t *ph = buf + v->tags_len;
    if (user) {
        if (v->tags_len != 0)
            return false;
    } else if (v->tags_len != VCF_CAPTURE_TAGS_SIZE ||
               memcmp(buf, std_tags, sizeof std_tags) != 0) {
        return false;
    }
    if (v->version != VCF_CAPTURE_VERSION || ph[13] != 0)
        return false;
    if (v->protocol == 0 && vcf_capture_protocol_of(v->role) != 0)
        return false;
    if (v->used_len == 0 && v->orig_len != 0)
        return false;
    uint16_t raw_off = le16(ph + 40), raw_len = le16(ph + 42);
    if (raw_off == 0) {
        if (raw_len != 0)
            return false;
    } else if (raw_off != VCF_CAPTURE_FIXED_SIZE || raw_len == 0 || raw_len != id_len ||
               raw_len > VCF_CAPTURE_CASE_ID_MAX) {
        return false;
    }
    size_t padded = (id_len + 3u) & ~(size_t)3u;
    if (v->hdr_len != VCF_CAPTURE_FIXED_SIZE + padded)
        return false;
    for (size_t i = VCF_CAPTURE_FIXED_SIZE + id_len; i < v->hdr_len; i++)
        if (ph[i])
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *input, size_t input_size)
{
    if (input_size == 0)
        return 0;
    const bool user = (input[0] & SELECT_USER0) != 0;
    const uint32_t linktype = user ? VCF_CAPTURE_LINKTYPE_USER0 : VCF_CAPTURE_LINKTYPE_UPPER_PDU;
    const uint8_t *data = input + 1;
    const size_t size = input_size - 1;
    vcf_fuzz_explainf("capture: %zu-byte record, link type %u (%s)\n", size, (unsigned)linktype,
                      user ? "USER0" : "WIRESHARK_UPPER_PDU");
    vcf_capture_view v;
    char err[256];
    err[0] = '\0';
    if (vcf_capture_parse(linktype, data, size, &v, err, sizeof err) != 0) {
        vcf_fuzz_explainf("parse: %s\n", err);
        if (!names_byte(err))
            vcf_fuzz_finding("capture: parse error without a byte offset: \"%s\"", err);
        vcf_fuzz_explainf("checked: the error names a byte\n");
        return 0;
    }
    vcf_fuzz_explainf("parse: ok\n");
    explain_view(&v);
    check_view(user, data, size, &v);

    /* the fields, as a record to encode */
    size_t id_len = 0;
    if (v.case_id) {
        while (id_len < v.case_id_len && v.case_id[id_len])
            id_len++;
        memcpy(case_id, v.case_id, id_len);
    }
    case_id[id_len] = '\0';
    vcf_capture_meta m;
    vcf_capture_view_meta(&v, &m);
    m.case_id = id_len ? case_id : NULL;
    const size_t tags = user ? 0u : VCF_CAPTURE_TAGS_SIZE;
    size_t need = vcf_capture_encode(linktype, &m, v.data, v.orig_len, v.data_len, NULL, 0);
    size_t kept_id = id_len < VCF_CAPTURE_CASE_ID_MAX ? id_len : VCF_CAPTURE_CASE_ID_MAX;
    size_t want = tags + VCF_CAPTURE_FIXED_SIZE + ((kept_id + 3u) & ~(size_t)3u) + v.data_len;
    if (need != want)
        vcf_fuzz_finding("capture: encode sizes the record at %zu bytes, expected %zu", need, want);
    if (need > enc_cap) {
        size_t cap = need < 4096 ? 4096 : need;
        uint8_t *b = realloc(enc, cap);
        if (!b)
            return 0;
        enc = b;
        enc_cap = cap;
    }
    if (vcf_capture_encode(linktype, &m, v.data, v.orig_len, v.data_len, enc, enc_cap) != need)
        vcf_fuzz_finding("capture: encode wrote a size other than it announced");

    vcf_capture_view w;
    if (vcf_capture_parse(linktype, enc, need, &w, err, sizeof err) != 0)
        vcf_fuzz_finding("capture: the re-encoded record does not parse: %s", err);
    const uint32_t protocol = v.protocol ? v.protocol : vcf_capture_protocol_of(v.role);
    if (w.version != VCF_CAPTURE_VERSION || w.protocol != protocol || w.direction != v.direction ||
        w.role != v.role || w.channel != v.channel || w.order != v.order || w.result != v.result ||
        w.flags != v.flags || w.capacity != v.capacity ||
        w.used_len != (v.used_len ? v.used_len : v.orig_len) || w.orig_len != v.orig_len ||
        w.case_index != v.case_index || w.step_index != v.step_index ||
        w.record_index != v.record_index)
        vcf_fuzz_finding("capture: the re-encoded record reads back with other header fields");
    if (w.bus != v.bus || w.revision != v.revision || w.link_flags != v.link_flags ||
        w.max_msg_size != v.max_msg_size || w.instance != v.instance)
        vcf_fuzz_finding("capture: the re-encoded record reads back with other link fields");
    if (w.tags_len != tags)
        vcf_fuzz_finding("capture: the re-encoded record has %zu bytes of tags, expected %zu",
                         w.tags_len, tags);
    if (w.case_id_len != kept_id || (kept_id && memcmp(w.case_id, case_id, kept_id) != 0))
        vcf_fuzz_finding("capture: the re-encoded record reads back with another case ID");
    if (w.data_len != v.data_len || (v.data_len && memcmp(w.data, v.data, v.data_len) != 0))
        vcf_fuzz_finding("capture: the re-encoded record reads back with other message bytes");

    bool canon = canonical(user, data, &v, id_len);
    bool same = need == size && memcmp(enc, data, size) == 0;
    if (canon != same) {
        size_t at = 0;
        while (at < need && at < size && enc[at] == data[at])
            at++;
        vcf_fuzz_finding("capture: the record is %s the encoder's form, but re-encoding %s "
                         "(first difference at byte %zu)",
                         canon ? "in" : "not in", same ? "reproduces it" : "differs", at);
    }
    vcf_fuzz_explainf("re-encoded: %zu bytes, %s\n", need,
                      same ? "identical (canonical record)" : "differs (non-canonical record)");
    vcf_fuzz_explainf("checked: view bounds, encode -> parse gives the same fields, canonical "
                      "form reproduces the bytes\n");
    return 0;
}

VCF_FUZZ_CHECKS_END
