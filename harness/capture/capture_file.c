/* SPDX-License-Identifier: MIT */
/*
 * vconform capture library: the pcap file writer (vconform/capture_file.h), on libpcap.
 */
#define _GNU_SOURCE
#include "vconform/capture_file.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcap/pcap.h>

struct vcf_capture_file {
    pthread_mutex_t lock;
    pcap_t *dead;
    pcap_dumper_t *dumper;
    vcf_capture_options opts;
    bool failed;
    bool any;
    uint32_t last_case;
    uint32_t in_case; /* records within last_case (logical stamps) */
    uint64_t count;
    uint8_t *buf;
    size_t buf_cap;
    char error[256];
};

void vcf_capture_options_init(vcf_capture_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->struct_size = (uint32_t)sizeof *opts;
    opts->linktype = VCF_CAPTURE_LINKTYPE_UPPER_PDU;
    opts->snaplen = VCF_CAPTURE_SNAPLEN;
    opts->timestamps = VCF_CAPTURE_TS_REALTIME;
}

static void set_err(char *err, size_t err_len, const char *what, const char *why)
{
    if (err && err_len)
        snprintf(err, err_len, "%s: %s", what, why);
}

/* Copy the caller's options as far as its struct goes, check them. */
static int take_options(vcf_capture_options *dst, const vcf_capture_options *src, char *err,
                        size_t err_len, const char *what)
{
    vcf_capture_options_init(dst);
    if (src) {
        size_t n = src->struct_size;
        if (n < 2 * sizeof(uint32_t) || n > sizeof *dst) {
            char why[96];
            snprintf(why, sizeof why, "options struct_size %u (expected 8 to %zu)",
                     (unsigned)src->struct_size, sizeof *dst);
            set_err(err, err_len, what, why);
            return -1;
        }
        memcpy(dst, src, n);
        dst->struct_size = (uint32_t)sizeof *dst;
    }
    if (dst->linktype == 0)
        dst->linktype = VCF_CAPTURE_LINKTYPE_UPPER_PDU;
    if (dst->snaplen == 0)
        dst->snaplen = VCF_CAPTURE_SNAPLEN;
    if (dst->linktype != VCF_CAPTURE_LINKTYPE_UPPER_PDU &&
        (dst->linktype < VCF_CAPTURE_LINKTYPE_USER0 ||
         dst->linktype > VCF_CAPTURE_LINKTYPE_USER15)) {
        char why[96];
        snprintf(why, sizeof why, "link type %u (expected 252, or 147 to 162)",
                 (unsigned)dst->linktype);
        set_err(err, err_len, what, why);
        return -1;
    }
    const uint32_t min_snap =
        VCF_CAPTURE_TAGS_SIZE + VCF_CAPTURE_FIXED_SIZE + VCF_CAPTURE_CASE_ID_MAX + 64u;
    if (dst->snaplen < min_snap || dst->snaplen > VCF_CAPTURE_SNAPLEN) {
        char why[96];
        snprintf(why, sizeof why, "snap length %u (expected %u to %u)", (unsigned)dst->snaplen,
                 (unsigned)min_snap, (unsigned)VCF_CAPTURE_SNAPLEN);
        set_err(err, err_len, what, why);
        return -1;
    }
    if (dst->timestamps > VCF_CAPTURE_TS_CALLER) {
        set_err(err, err_len, what, "unknown timestamp mode");
        return -1;
    }
    return 0;
}

static vcf_capture_file *open_common(const char *path, FILE *stream,
                                     const vcf_capture_options *opts, char *err, size_t err_len)
{
    const char *what = path ? path : "capture stream";
    vcf_capture_file *c = calloc(1, sizeof *c);
    if (!c) {
        set_err(err, err_len, what, "out of memory");
        return NULL;
    }
    if (take_options(&c->opts, opts, err, err_len, what) != 0) {
        free(c);
        return NULL;
    }
    c->dead = pcap_open_dead((int)c->opts.linktype, (int)c->opts.snaplen);
    if (!c->dead) {
        set_err(err, err_len, what, "pcap_open_dead failed");
        free(c);
        return NULL;
    }
    c->dumper = path ? pcap_dump_open(c->dead, path) : pcap_dump_fopen(c->dead, stream);
    if (!c->dumper) {
        set_err(err, err_len, what, pcap_geterr(c->dead));
        pcap_close(c->dead);
        free(c);
        return NULL;
    }
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        set_err(err, err_len, what, "pthread_mutex_init failed");
        pcap_dump_close(c->dumper);
        pcap_close(c->dead);
        free(c);
        return NULL;
    }
    return c;
}

vcf_capture_file *vcf_capture_open(const char *path, const vcf_capture_options *opts, char *err,
                                   size_t err_len)
{
    if (!path) {
        set_err(err, err_len, "capture", "no path");
        return NULL;
    }
    return open_common(path, NULL, opts, err, err_len);
}

vcf_capture_file *vcf_capture_open_stream(FILE *stream, const vcf_capture_options *opts, char *err,
                                          size_t err_len)
{
    if (!stream) {
        set_err(err, err_len, "capture", "no stream");
        return NULL;
    }
    return open_common(NULL, stream, opts, err, err_len);
}

static void clock_now(clockid_t id, int64_t *sec, uint32_t *usec)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0) {
        ts.tv_sec = 0;
        ts.tv_nsec = 0;
    }
    *sec = (int64_t)ts.tv_sec;
    *usec = (uint32_t)(ts.tv_nsec / 1000);
}

/* Called with the lock held. */
static int write_record(vcf_capture_file *cap, const vcf_capture_meta *meta, const void *msg,
                        size_t len, bool caller_ts, int64_t ts_sec, uint32_t ts_usec)
{
    if (cap->failed)
        return -1;
    if (!cap->any || meta->case_index != cap->last_case) {
        cap->any = true;
        cap->last_case = meta->case_index;
        cap->in_case = 0;
    }
    vcf_capture_meta m = *meta;
    const bool logical = cap->opts.timestamps == VCF_CAPTURE_TS_LOGICAL;
    m.record_index =
        logical ? cap->in_case : (uint32_t)(cap->count > 0xFFFFFFFFu ? 0xFFFFFFFFu : cap->count);
    size_t id_len = m.case_id ? strlen(m.case_id) : 0;
    if (id_len > VCF_CAPTURE_CASE_ID_MAX)
        id_len = VCF_CAPTURE_CASE_ID_MAX;
    const size_t tags =
        cap->opts.linktype == VCF_CAPTURE_LINKTYPE_UPPER_PDU ? VCF_CAPTURE_TAGS_SIZE : 0u;
    const size_t head = tags + VCF_CAPTURE_FIXED_SIZE + ((id_len + 3u) & ~(size_t)3u);
    const size_t max_data = cap->opts.snaplen - head;
    const uint8_t *data = msg;
    if (!data)
        len = 0;
    size_t need = vcf_capture_encode(cap->opts.linktype, &m, data, len, max_data, NULL, 0);
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
    size_t n =
        vcf_capture_encode(cap->opts.linktype, &m, data, len, max_data, cap->buf, cap->buf_cap);
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof h);
    if (caller_ts) {
        h.ts.tv_sec = (time_t)ts_sec;
        h.ts.tv_usec = (suseconds_t)(ts_usec < 1000000u ? ts_usec : 999999u);
    } else if (logical) {
        h.ts.tv_sec = (time_t)meta->case_index;
        h.ts.tv_usec = (suseconds_t)(cap->in_case < 999999u ? cap->in_case : 999999u);
    } else {
        int64_t s;
        uint32_t us;
        clock_now(cap->opts.timestamps == VCF_CAPTURE_TS_MONOTONIC ? CLOCK_MONOTONIC
                                                                   : CLOCK_REALTIME,
                  &s, &us);
        h.ts.tv_sec = (time_t)s;
        h.ts.tv_usec = (suseconds_t)us;
    }
    h.caplen = (bpf_u_int32)n;
    const size_t cut = len > max_data ? len - max_data : 0;
    h.len = (bpf_u_int32)(n + cut);
    pcap_dump((u_char *)cap->dumper, &h, cap->buf);
    cap->in_case++;
    cap->count++;
    FILE *f = pcap_dump_file(cap->dumper);
    if ((cap->opts.flush_each && pcap_dump_flush(cap->dumper) != 0) || (f && ferror(f))) {
        snprintf(cap->error, sizeof cap->error, "write error: %s", strerror(errno));
        cap->failed = true;
        return -1;
    }
    return 0;
}

static int record(vcf_capture_file *cap, const vcf_capture_meta *meta, const void *msg, size_t len,
                  bool caller_ts, int64_t ts_sec, uint32_t ts_usec)
{
    if (!cap || !meta)
        return -1;
    pthread_mutex_lock(&cap->lock);
    int rc = write_record(cap, meta, msg, len, caller_ts, ts_sec, ts_usec);
    pthread_mutex_unlock(&cap->lock);
    return rc;
}

int vcf_capture_record(vcf_capture_file *cap, const vcf_capture_meta *meta, const void *msg,
                       size_t len)
{
    return record(cap, meta, msg, len, false, 0, 0);
}

int vcf_capture_record_at(vcf_capture_file *cap, const vcf_capture_meta *meta, const void *msg,
                          size_t len, int64_t ts_sec, uint32_t ts_usec)
{
    return record(cap, meta, msg, len, true, ts_sec, ts_usec);
}

int vcf_capture_flush(vcf_capture_file *cap)
{
    if (!cap)
        return -1;
    pthread_mutex_lock(&cap->lock);
    int rc = cap->failed ? -1 : 0;
    if (rc == 0 && pcap_dump_flush(cap->dumper) != 0) {
        snprintf(cap->error, sizeof cap->error, "write error: %s", strerror(errno));
        cap->failed = true;
        rc = -1;
    }
    pthread_mutex_unlock(&cap->lock);
    return rc;
}

uint64_t vcf_capture_count(const vcf_capture_file *cap)
{
    return cap ? cap->count : 0;
}

const char *vcf_capture_error(const vcf_capture_file *cap)
{
    return cap ? cap->error : "no capture";
}

int vcf_capture_close(vcf_capture_file *cap, char *err, size_t err_len)
{
    if (!cap)
        return 0;
    int rc = vcf_capture_flush(cap);
    if (rc != 0 && err && err_len)
        snprintf(err, err_len, "%s", cap->error);
    pcap_dump_close(cap->dumper);
    pcap_close(cap->dead);
    pthread_mutex_destroy(&cap->lock);
    free(cap->buf);
    free(cap);
    return rc;
}
