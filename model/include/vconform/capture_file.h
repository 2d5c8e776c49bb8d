/* SPDX-License-Identifier: MIT */
/*
 * vconform capture library: record your own RPMsg or virtio-msg traffic in the vconform
 * capture format (docs/capture-format.md), so Wireshark with the vconform dissector, and
 * `vconform pcap ...`, can read it. Link with -lvconform-capture (pkg-config vconform-capture).
 *
 *   vcf_capture_file *cap = vcf_capture_open("trace.pcap", NULL, err, sizeof err);
 *   vcf_capture_meta m;
 *   vcf_capture_meta_init(&m);
 *   m.role = 2;                               // rpmsg-device: the side that records
 *   m.direction = VCF_CAPTURE_DIR_FROM_IUT;   // sent by this side
 *   m.channel = 0;                            // vq0
 *   vcf_capture_record(cap, &m, bytes, len);
 *   vcf_capture_close(cap, err, sizeof err);
 *
 * Stable API (docs/capture-library.md): functions are only ever added. vcf_capture_options
 * carries its size (struct_size), so it may grow at the end and a program built against an older
 * header keeps working with a newer library. vcf_capture_meta has no size and its init function
 * writes the whole structure, so its layout is frozen for this SONAME; later metadata comes
 * with new functions.
 *
 * Calls on one vcf_capture_file are serialised by the library (a mutex), so several threads
 * may record into the same file; records appear in the order the calls took the lock.
 */
#ifndef VCONFORM_CAPTURE_FILE_H
#define VCONFORM_CAPTURE_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capture.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VCF_CAPTURE_API_VERSION 1

/* Timestamps */
#define VCF_CAPTURE_TS_REALTIME  0u /* wall clock at each vcf_capture_record call (default) */
#define VCF_CAPTURE_TS_MONOTONIC 1u /* CLOCK_MONOTONIC at each call */
#define VCF_CAPTURE_TS_LOGICAL                                                                     \
    2u                           /* seconds = meta.case_index, microseconds = the record's         \
                                  * index within that case: the same run gives the same file */
#define VCF_CAPTURE_TS_CALLER 3u /* the caller's own: vcf_capture_record_at() */

typedef struct vcf_capture_options {
    uint32_t struct_size; /* sizeof(vcf_capture_options) as the caller compiled it */
    uint32_t linktype;    /* VCF_CAPTURE_LINKTYPE_UPPER_PDU (default) or USER0..USER15 */
    uint32_t snaplen;     /* longest record; longer messages are cut (TRUNCATED). 0: default */
    uint32_t timestamps;  /* VCF_CAPTURE_TS_* */
    uint32_t flush_each;  /* non-zero: flush after every record (a crash loses nothing) */
} vcf_capture_options;

/* Defaults: upper-PDU link type, VCF_CAPTURE_SNAPLEN, real-time stamps, buffered. */
void vcf_capture_options_init(vcf_capture_options *opts);

typedef struct vcf_capture_file vcf_capture_file;

/* Create (truncate) a capture file; "-" is standard output. opts NULL: defaults. NULL with a
 * message in err on failure. */
vcf_capture_file *vcf_capture_open(const char *path, const vcf_capture_options *opts, char *err,
                                   size_t err_len);

/* The same on an open stream (a pipe, a socket turned FILE *); closed by vcf_capture_close. */
vcf_capture_file *vcf_capture_open_stream(FILE *stream, const vcf_capture_options *opts, char *err,
                                          size_t err_len);

/* Record one message. meta's record_index is ignored and filled in by the library (the index
 * within meta->case_index when timestamps are LOGICAL, else within the file). Returns 0, or -1
 * after a write failure (vcf_capture_error says why; every later call fails too). */
int vcf_capture_record(vcf_capture_file *cap, const vcf_capture_meta *meta, const void *msg,
                       size_t len);

/* Record one message with the caller's timestamp. */
int vcf_capture_record_at(vcf_capture_file *cap, const vcf_capture_meta *meta, const void *msg,
                          size_t len, int64_t ts_sec, uint32_t ts_usec);

/* Flush buffered records to the file; 0 or -1. */
int vcf_capture_flush(vcf_capture_file *cap);

/* Records accepted so far (buffered ones are lost if a later write fails: check close). */
uint64_t vcf_capture_count(const vcf_capture_file *cap);

/* The first write error, or "". */
const char *vcf_capture_error(const vcf_capture_file *cap);

/* Flush and close (NULL is fine). 0, or -1 with err when any write failed. */
int vcf_capture_close(vcf_capture_file *cap, char *err, size_t err_len);

#ifdef __cplusplus
}
#endif

#endif /* VCONFORM_CAPTURE_FILE_H */
