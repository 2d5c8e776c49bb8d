/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: pcap captures of a run, written with libpcap (docs/capture-format.md).
 */
#include "capture.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "summary.h"

#define CASE_ID_MAX 4096u /* longer IDs are cut (vector IDs are far shorter) */

/* ---- record encoding (no libpcap) ---------------------------------------------------------- */

static void put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint16_t get_be16(const uint8_t *p)
{
    return (uint16_t)(((unsigned)p[0] << 8) | p[1]);
}

static uint16_t get_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | ((unsigned)p[1] << 8));
}

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint32_t clamp32(uint64_t v)
{
    return v > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)v;
}

static uint8_t clamp8(uint32_t v)
{
    return v > 0xFFu ? 0xFFu : (uint8_t)v;
}

uint32_t vcf_capture_protocol_of(uint32_t role)
{
    switch (role) {
    case VCF_IUT_RPMSG_DRIVER:
    case VCF_IUT_RPMSG_DEVICE: return VCF_CAPTURE_PROTO_RPMSG;
    case VCF_IUT_VMSG_DEVICE:
    case VCF_IUT_VMSG_DRIVER:
    case VCF_IUT_VMSG_BUS: return VCF_CAPTURE_PROTO_VMSG;
    default: return 0;
    }
}

size_t vcf_capture_encode(const vcf_capture_rec *rec, uint32_t record_index, size_t max_data,
                          uint8_t *buf, size_t cap)
{
    static const char name[] = VCF_CAPTURE_DISSECTOR;
    const size_t name_len = sizeof name - 1;
    const size_t name_pad = (name_len + 3u) & ~(size_t)3u;
    const size_t tags = 4u + name_pad + 4u;

    size_t id_len = rec->case_id ? strlen(rec->case_id) : 0;
    if (id_len > CASE_ID_MAX)
        id_len = CASE_ID_MAX;
    size_t hdr_len = VCF_CAPTURE_FIXED_SIZE + ((id_len + 3u) & ~(size_t)3u);
    size_t len = rec->data ? rec->len : 0;
    size_t data_len = len < max_data ? len : max_data;
    size_t total = tags + hdr_len + data_len;
    if (!buf || cap < total)
        return total;

    memset(buf, 0, tags + hdr_len);
    /* exported-PDU tags: big-endian type and length, value padded to 4 bytes */
    uint8_t *p = buf;
    put_be16(p, VCF_EXP_PDU_TAG_DISSECTOR_NAME);
    put_be16(p + 2, (uint16_t)name_pad);
    memcpy(p + 4, name, name_len);
    p += 4 + name_pad;
    put_be16(p, VCF_EXP_PDU_TAG_END_OF_OPT);
    put_be16(p + 2, 0);
    p += 4;

    /* pseudo-header: little-endian */
    uint32_t flags = rec->flags & ~(uint32_t)VCF_CAPTURE_F_TRUNCATED;
    if (data_len < len)
        flags |= VCF_CAPTURE_F_TRUNCATED;
    p[0] = VCF_CAPTURE_MAGIC0;
    p[1] = VCF_CAPTURE_MAGIC1;
    p[2] = VCF_CAPTURE_MAGIC2;
    p[3] = VCF_CAPTURE_MAGIC3;
    p[4] = VCF_CAPTURE_VERSION;
    p[5] = (uint8_t)vcf_capture_protocol_of(rec->role);
    put_le16(p + 6, (uint16_t)hdr_len);
    p[8] = clamp8(rec->direction);
    p[9] = clamp8(rec->role);
    p[10] = clamp8(rec->channel);
    p[11] = clamp8(rec->order);
    p[12] = clamp8(rec->result);
    p[13] = 0;
    put_le16(p + 14, (uint16_t)flags);
    put_le32(p + 16, clamp32(rec->capacity));
    put_le32(p + 20, clamp32(rec->used_len ? rec->used_len : len));
    put_le32(p + 24, clamp32(len));
    put_le32(p + 28, rec->case_index);
    put_le32(p + 32, rec->step_index);
    put_le32(p + 36, record_index);
    put_le16(p + 40, (uint16_t)(id_len ? VCF_CAPTURE_FIXED_SIZE : 0u));
    put_le16(p + 42, (uint16_t)id_len);
    if (id_len)
        memcpy(p + VCF_CAPTURE_FIXED_SIZE, rec->case_id, id_len);
    p += hdr_len;
    if (data_len)
        memcpy(p, rec->data, data_len);
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

int vcf_capture_parse(const uint8_t *buf, size_t len, vcf_capture_view *out, char *err,
                      size_t err_len)
{
    memset(out, 0, sizeof *out);
    size_t off = 0;
    bool ended = false;
    while (!ended) {
        if (len - off < 4)
            return parse_error(err, err_len,
                               "byte %zu: exported-PDU tag header truncated (expected 4 bytes, "
                               "%zu left)",
                               off, len - off);
        uint16_t type = get_be16(buf + off), tlen = get_be16(buf + off + 2);
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
        } else if (type == VCF_EXP_PDU_TAG_END_OF_OPT) {
            ended = true;
        }
        off += 4u + tlen;
    }
    out->tags_len = off;
    if (!out->dissector)
        return parse_error(err, err_len, "byte 0: no EXP_PDU_TAG_DISSECTOR_NAME tag");

    const uint8_t *p = buf + off;
    size_t rest = len - off;
    if (rest < 8)
        return parse_error(err, err_len,
                           "byte %zu: pseudo-header truncated (expected at least 8 bytes, %zu "
                           "left)",
                           off, rest);
    if (p[0] != VCF_CAPTURE_MAGIC0 || p[1] != VCF_CAPTURE_MAGIC1 || p[2] != VCF_CAPTURE_MAGIC2 ||
        p[3] != VCF_CAPTURE_MAGIC3)
        return parse_error(err, err_len,
                           "byte %zu: pseudo-header magic %02x%02x%02x%02x, expected 56434650 "
                           "(\"VCFP\")",
                           off, p[0], p[1], p[2], p[3]);
    out->version = p[4];
    out->protocol = p[5];
    out->hdr_len = get_le16(p + 6);
    if (out->version < 1)
        return parse_error(err, err_len, "byte %zu: pseudo-header version 0, expected >= 1",
                           off + 4);
    if (out->hdr_len < VCF_CAPTURE_FIXED_SIZE || out->hdr_len > rest)
        return parse_error(err, err_len, "byte %zu: pseudo-header length %u, expected %u to %zu",
                           off + 6, (unsigned)out->hdr_len, VCF_CAPTURE_FIXED_SIZE, rest);
    out->direction = p[8];
    out->role = p[9];
    out->channel = p[10];
    out->order = p[11];
    out->result = p[12];
    out->flags = get_le16(p + 14);
    out->capacity = get_le32(p + 16);
    out->used_len = get_le32(p + 20);
    out->orig_len = get_le32(p + 24);
    out->case_index = get_le32(p + 28);
    out->step_index = get_le32(p + 32);
    out->record_index = get_le32(p + 36);
    uint16_t id_off = get_le16(p + 40), id_len = get_le16(p + 42);
    if (id_off) {
        if (id_off < VCF_CAPTURE_FIXED_SIZE || (size_t)id_off + id_len > out->hdr_len)
            return parse_error(err, err_len,
                               "byte %zu: case ID at %u+%u lies outside the pseudo-header "
                               "(%u bytes)",
                               off + 40, (unsigned)id_off, (unsigned)id_len,
                               (unsigned)out->hdr_len);
        out->case_id = (const char *)(p + id_off);
        out->case_id_len = id_len;
    }
    out->data = p + out->hdr_len;
    out->data_len = rest - out->hdr_len;
    bool truncated = (out->flags & VCF_CAPTURE_F_TRUNCATED) != 0;
    if ((!truncated && out->data_len != out->orig_len) ||
        (truncated && out->data_len >= out->orig_len))
        return parse_error(err, err_len, "byte %zu: %zu message bytes for orig_len %u%s",
                           off + out->hdr_len, out->data_len, (unsigned)out->orig_len,
                           truncated ? " with the truncated flag" : "");
    return 0;
}

/* ---- the pcap writer ----------------------------------------------------------------------- */

struct vcf_capture {
    pcap_t *dead;
    pcap_dumper_t *dumper;
    bool model;
    bool failed;
    uint32_t last_case;
    uint32_t records; /* within last_case */
    bool any;
    uint8_t *buf;
    size_t buf_cap;
    char error[256];
};

vcf_capture *vcf_capture_open(const char *path, char *err, size_t err_len)
{
    vcf_capture *c = calloc(1, sizeof *c);
    if (!c) {
        if (err && err_len)
            snprintf(err, err_len, "%s: out of memory", path ? path : "capture");
        return NULL;
    }
    c->dead = pcap_open_dead(VCF_CAPTURE_LINKTYPE, (int)VCF_CAPTURE_SNAPLEN);
    if (!c->dead) {
        if (err && err_len)
            snprintf(err, err_len, "%s: pcap_open_dead failed", path ? path : "capture");
        free(c);
        return NULL;
    }
    c->dumper = pcap_dump_open(c->dead, path);
    if (!c->dumper) {
        if (err && err_len)
            snprintf(err, err_len, "%s", pcap_geterr(c->dead));
        pcap_close(c->dead);
        free(c);
        return NULL;
    }
    return c;
}

void vcf_capture_set_model(vcf_capture *cap, bool iut_is_model)
{
    if (cap)
        cap->model = iut_is_model;
}

const char *vcf_capture_error(const vcf_capture *cap)
{
    return cap ? cap->error : "no capture";
}

int vcf_capture_record(vcf_capture *cap, const vcf_capture_rec *rec)
{
    if (!cap || !rec)
        return -1;
    if (cap->failed)
        return -1;
    if (!cap->any || rec->case_index != cap->last_case) {
        cap->any = true;
        cap->last_case = rec->case_index;
        cap->records = 0;
    }
    const size_t max_data =
        VCF_CAPTURE_SNAPLEN - VCF_CAPTURE_TAGS_SIZE - VCF_CAPTURE_FIXED_SIZE - CASE_ID_MAX;
    size_t need = vcf_capture_encode(rec, cap->records, max_data, NULL, 0);
    if (need > cap->buf_cap) {
        uint8_t *nb = realloc(cap->buf, need);
        if (!nb) {
            snprintf(cap->error, sizeof cap->error, "out of memory for a %zu-byte record", need);
            cap->failed = true;
            return -1;
        }
        cap->buf = nb;
        cap->buf_cap = need;
    }
    size_t n = vcf_capture_encode(rec, cap->records, max_data, cap->buf, cap->buf_cap);
    size_t len = rec->data ? rec->len : 0;
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof h);
    h.ts.tv_sec = (time_t)rec->case_index;
    h.ts.tv_usec = (suseconds_t)(cap->records < 999999u ? cap->records : 999999u);
    h.caplen = (bpf_u_int32)n;
    size_t cut = len > max_data ? len - max_data : 0; /* bytes left out of the record */
    h.len = (bpf_u_int32)(n + cut);
    pcap_dump((u_char *)cap->dumper, &h, cap->buf);
    cap->records++;
    FILE *f = pcap_dump_file(cap->dumper);
    if (f && ferror(f)) {
        snprintf(cap->error, sizeof cap->error, "write error: %s", strerror(errno));
        cap->failed = true;
        return -1;
    }
    return 0;
}

static uint64_t group_buf_size(const vcf_group *g)
{
    uint64_t v = 512;
    if (g && vcf_param_u64(g->params, g->n_params, "buf_size", 512, &v) != VCF_ADAPTER_OK)
        v = 512;
    return v;
}

int vcf_capture_case(vcf_capture *cap, const vcf_vfile *file, size_t case_index,
                     const vcf_case_result *res)
{
    if (!cap || !res)
        return -1;
    uint32_t role = file ? file->role : VCF_IUT_NONE;
    const vcf_group *g = res->group;
    int order = g ? vcf_summary_order(role, g->params, g->n_params) : 0;
    bool rpmsg = vcf_capture_protocol_of(role) == VCF_CAPTURE_PROTO_RPMSG;
    bool failed = res->status == VCF_CASE_FAIL || res->status == VCF_CASE_NON_STRICT;
    for (size_t i = 0; i < res->n_tx; i++) {
        const vcf_tx_entry *e = &res->tx[i];
        if (e->kind != VCF_TX_MSG)
            continue;
        vcf_capture_rec rec;
        memset(&rec, 0, sizeof rec);
        rec.role = role;
        rec.direction =
            e->dir == VCF_DIR_FROM_IUT ? VCF_CAPTURE_DIR_FROM_IUT : VCF_CAPTURE_DIR_TO_IUT;
        rec.channel = e->channel;
        rec.order = order ? VCF_CAPTURE_ORDER_BE : VCF_CAPTURE_ORDER_LE;
        if (cap->model && e->dir == VCF_DIR_FROM_IUT)
            rec.flags |= VCF_CAPTURE_F_SYNTHESIZED;
        if (failed && e->step == res->failed_step)
            rec.flags |= VCF_CAPTURE_F_FAILED_STEP;
        rec.result = (unsigned)res->status < VCF_CASE_STATUS_COUNT ? (uint32_t)res->status
                                                                   : VCF_CAPTURE_RESULT_NONE;
        rec.capacity = rpmsg ? (e->capacity ? e->capacity : group_buf_size(g)) : 0;
        rec.used_len = e->used_len;
        rec.case_index = clamp32(case_index);
        rec.step_index = clamp32(e->step);
        rec.case_id = res->vcase ? res->vcase->id : NULL;
        rec.data = e->data;
        rec.len = e->len;
        if (vcf_capture_record(cap, &rec) != 0)
            return -1;
    }
    return 0;
}

int vcf_capture_finish(vcf_capture *cap, char *err, size_t err_len)
{
    if (!cap)
        return 0;
    int rc = cap->failed ? -1 : 0;
    if (rc == 0 && pcap_dump_flush(cap->dumper) != 0) {
        snprintf(cap->error, sizeof cap->error, "write error: %s", strerror(errno));
        rc = -1;
    }
    if (rc != 0 && err && err_len)
        snprintf(err, err_len, "%s", cap->error);
    pcap_dump_close(cap->dumper);
    pcap_close(cap->dead);
    free(cap->buf);
    free(cap);
    return rc;
}

void vcf_capture_close(vcf_capture *cap)
{
    (void)vcf_capture_finish(cap, NULL, 0);
}
