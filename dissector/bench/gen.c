/* SPDX-License-Identifier: MIT */
/*
 * vcf-ws-bench-gen: the input of the dissector benchmark (dissector/bench/README.md).
 *
 *   vcf-ws-bench-gen [--records N] IN.pcap OUT.pcap
 *
 * Reads a vconform capture (the golden suite's `vconform run --pcap`: every role, both
 * protocols, the malformed messages the cases inject) and writes N records (default
 * 1,000,000) that cycle through its records in order, through the capture library
 * (vconform/capture_file.h) with the input's link type. Every record keeps its pseudo-header
 * fields and message; the record index is the library's, and the timestamps look like a real
 * trace: they start at 2026-01-15 09:00:00 UTC and advance by 3 to 400 microseconds per
 * record (a fixed pseudo-random sequence, so the file is the same every time), with a pause of
 * about a second each time the cycle starts again.
 *
 * Prints what the cycle holds (records per protocol and role) to standard output.
 * Exit status: 0, 1 when a file cannot be read or written, 2 on a usage error.
 */
#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vconform/capture.h"
#include "vconform/capture_file.h"

#define START_SEC 1768467600LL /* 2026-01-15 09:00:00 UTC */

typedef struct rec {
    vcf_capture_meta meta;
    char *case_id; /* NUL-terminated copy, or NULL */
    uint8_t *data;
    size_t len;
} rec;

static void usage(void)
{
    fprintf(stderr, "usage: vcf-ws-bench-gen [--records N] IN.pcap OUT.pcap\n");
    exit(2);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "vcf-ws-bench-gen: out of memory\n");
        exit(1);
    }
    return p;
}

/* Read every record of a vconform capture. */
static rec *read_capture(const char *path, uint32_t *linktype, size_t *count)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(path, errbuf);
    if (!p) {
        fprintf(stderr, "vcf-ws-bench-gen: %s: %s\n", path, errbuf);
        exit(1);
    }
    *linktype = (uint32_t)pcap_datalink(p);
    size_t n = 0, cap = 0;
    rec *recs = NULL;
    struct pcap_pkthdr *h;
    const u_char *bytes;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &bytes)) == 1) {
        vcf_capture_view v;
        char err[256];
        if (vcf_capture_parse(*linktype, bytes, h->caplen, &v, err, sizeof err) != 0) {
            fprintf(stderr, "vcf-ws-bench-gen: %s: record %zu: %s\n", path, n + 1, err);
            exit(1);
        }
        if (v.flags & VCF_CAPTURE_F_TRUNCATED) {
            /* the library computes TRUNCATED from the length it is given: a cut record would
             * come out whole with a smaller orig_len, so refuse instead of changing it */
            fprintf(stderr,
                    "vcf-ws-bench-gen: %s: record %zu is truncated (%zu of %" PRIu32
                    " bytes); the generator copies whole messages only\n",
                    path, n + 1, v.data_len, v.orig_len);
            exit(1);
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            rec *r = realloc(recs, cap * sizeof *recs);
            if (!r) {
                fprintf(stderr, "vcf-ws-bench-gen: out of memory\n");
                exit(1);
            }
            recs = r;
        }
        rec *r = &recs[n++];
        vcf_capture_view_meta(&v, &r->meta);
        r->case_id = NULL;
        if (v.case_id) {
            size_t idl = 0;
            while (idl < v.case_id_len && v.case_id[idl])
                idl++;
            r->case_id = xmalloc(idl + 1);
            memcpy(r->case_id, v.case_id, idl);
            r->case_id[idl] = '\0';
        }
        r->meta.case_id = r->case_id;
        r->len = v.data_len;
        r->data = xmalloc(v.data_len);
        if (v.data_len)
            memcpy(r->data, v.data, v.data_len);
    }
    if (rc != PCAP_ERROR_BREAK) {
        fprintf(stderr, "vcf-ws-bench-gen: %s: %s\n", path, pcap_geterr(p));
        exit(1);
    }
    pcap_close(p);
    if (n == 0) {
        fprintf(stderr, "vcf-ws-bench-gen: %s: no records\n", path);
        exit(1);
    }
    *count = n;
    return recs;
}

/* xorshift32: the fixed sequence of gaps between records */
static uint32_t next_rand(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

int main(int argc, char **argv)
{
    uint64_t total = 1000000;
    const char *in = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--records") == 0 && i + 1 < argc) {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            if (errno || *end || v == 0 || argv[i][0] == '-')
                usage();
            total = v;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            usage();
        } else if (!in) {
            in = argv[i];
        } else if (!out) {
            out = argv[i];
        } else {
            usage();
        }
    }
    if (!in || !out)
        usage();

    uint32_t linktype;
    size_t n;
    rec *recs = read_capture(in, &linktype, &n);

    /* what one cycle holds */
    size_t per_proto[3] = {0}, per_role[6] = {0};
    for (size_t i = 0; i < n; i++) {
        uint32_t proto = recs[i].meta.protocol ? recs[i].meta.protocol
                                               : vcf_capture_protocol_of(recs[i].meta.role);
        per_proto[proto < 3 ? proto : 0]++;
        per_role[recs[i].meta.role < 6 ? recs[i].meta.role : 0]++;
    }
    printf("cycle: %zu records from %s (link type %" PRIu32 "): rpmsg %zu, virtio-msg %zu, "
           "other %zu; roles 1..5: %zu %zu %zu %zu %zu, unknown %zu\n",
           n, in, linktype, per_proto[1], per_proto[2], per_proto[0], per_role[1], per_role[2],
           per_role[3], per_role[4], per_role[5], per_role[0]);

    vcf_capture_options opts;
    vcf_capture_options_init(&opts);
    opts.linktype = linktype;
    opts.timestamps = VCF_CAPTURE_TS_CALLER;
    char err[256];
    vcf_capture_file *cap = vcf_capture_open(out, &opts, err, sizeof err);
    if (!cap) {
        fprintf(stderr, "vcf-ws-bench-gen: %s: %s\n", out, err);
        return 1;
    }
    int64_t sec = START_SEC;
    uint32_t usec = 0, seed = 0x9e3779b9u;
    for (uint64_t i = 0; i < total; i++) {
        const rec *r = &recs[i % n];
        if (i && i % n == 0)
            usec += 900000u + next_rand(&seed) % 200000u; /* the next run of the suite */
        else if (i)
            usec += 3u + next_rand(&seed) % 398u;
        sec += usec / 1000000u;
        usec %= 1000000u;
        if (vcf_capture_record_at(cap, &r->meta, r->data, r->len, sec, usec) != 0) {
            fprintf(stderr, "vcf-ws-bench-gen: %s: %s\n", out, vcf_capture_error(cap));
            vcf_capture_close(cap, err, sizeof err);
            return 1;
        }
    }
    if (vcf_capture_close(cap, err, sizeof err) != 0) {
        fprintf(stderr, "vcf-ws-bench-gen: %s: %s\n", out, err);
        return 1;
    }
    printf("wrote %" PRIu64 " records to %s\n", total, out);
    for (size_t i = 0; i < n; i++) {
        free(recs[i].case_id);
        free(recs[i].data);
    }
    free(recs);
    return 0;
}
