/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: pcap captures of a run (docs/capture-format.md).
 *
 * Every injected and observed message becomes one pcap record of link type
 * LINKTYPE_WIRESHARK_UPPER_PDU (252):
 *
 *   exported-PDU tags (big-endian TLVs): EXP_PDU_TAG_DISSECTOR_NAME "vconform", end of options
 *   the vconform pseudo-header (fixed little-endian, self-describing length)
 *   the message bytes exactly as on the wire
 *
 * Timestamps are logical (seconds = case index, microseconds = record index within the case)
 * so the same run always gives the same file. Records are built by vcf_capture_encode(), which
 * needs no libpcap and is what a stable capture library can expose; vcf_capture_parse() reads
 * one back (tests, tools).
 */
#ifndef VCF_HARNESS_CAPTURE_H
#define VCF_HARNESS_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run.h"
#include "vector.h"

#define VCF_CAPTURE_LINKTYPE  252u /* LINKTYPE_WIRESHARK_UPPER_PDU / DLT_WIRESHARK_UPPER_PDU */
#define VCF_CAPTURE_SNAPLEN   262144u
#define VCF_CAPTURE_DISSECTOR "vconform"

/* exported-PDU tags used (Wireshark wsutil/exported_pdu_tlvs.h) */
#define VCF_EXP_PDU_TAG_END_OF_OPT     0u
#define VCF_EXP_PDU_TAG_DISSECTOR_NAME 12u
#define VCF_CAPTURE_TAGS_SIZE          16u /* 4 + "vconform" + 4 */

/* the pseudo-header */
#define VCF_CAPTURE_MAGIC0     0x56u /* 'V' */
#define VCF_CAPTURE_MAGIC1     0x43u /* 'C' */
#define VCF_CAPTURE_MAGIC2     0x46u /* 'F' */
#define VCF_CAPTURE_MAGIC3     0x50u /* 'P' */
#define VCF_CAPTURE_VERSION    1u
#define VCF_CAPTURE_FIXED_SIZE 44u /* fields of version 1, before the case ID */

#define VCF_CAPTURE_PROTO_RPMSG 1u
#define VCF_CAPTURE_PROTO_VMSG  2u

#define VCF_CAPTURE_DIR_TO_IUT   0u /* injected by the harness (VCF_DIR_TO_IUT) */
#define VCF_CAPTURE_DIR_FROM_IUT 1u /* emitted by the implementation (VCF_DIR_FROM_IUT) */

#define VCF_CAPTURE_ORDER_LE 0u
#define VCF_CAPTURE_ORDER_BE 1u

#define VCF_CAPTURE_RESULT_NONE 0xFFu /* no case result known */

/* flags */
#define VCF_CAPTURE_F_TRUNCATED   0x0001u /* fewer message bytes than orig_len (snap length) */
#define VCF_CAPTURE_F_SYNTHESIZED 0x0002u /* produced by vconform's reference model */
#define VCF_CAPTURE_F_FAILED_STEP 0x0004u /* part of the step at which its case failed */

/* One message to record. */
typedef struct vcf_capture_rec {
    uint32_t role;      /* vcf_iut_role of the implementation under test */
    uint32_t direction; /* VCF_CAPTURE_DIR_* */
    uint32_t channel;   /* the role's channel number (adapter.h) */
    uint32_t order;     /* VCF_CAPTURE_ORDER_*: byte order of the link (vcf_summary_order) */
    uint32_t flags;     /* VCF_CAPTURE_F_SYNTHESIZED / FAILED_STEP; TRUNCATED is computed */
    uint32_t result;    /* vcf_case_status of the case, or VCF_CAPTURE_RESULT_NONE */
    uint64_t capacity;  /* buffer capacity (RPMsg), 0 when not applicable */
    uint64_t used_len;  /* length reported in the ring (RPMsg); 0: len */
    uint32_t case_index;
    uint32_t step_index;
    const char *case_id; /* stable case ID, or NULL */
    const uint8_t *data; /* the message bytes, in wire order */
    size_t len;
} vcf_capture_rec;

/* A record read back. Views point into the parsed buffer. */
typedef struct vcf_capture_view {
    uint8_t version;
    uint8_t protocol;
    uint16_t hdr_len;
    uint8_t direction;
    uint8_t role;
    uint8_t channel;
    uint8_t order;
    uint8_t result;
    uint16_t flags;
    uint32_t capacity;
    uint32_t used_len;
    uint32_t orig_len;
    uint32_t case_index;
    uint32_t step_index;
    uint32_t record_index;
    const char *dissector; /* the dissector name tag (not NUL-terminated) */
    size_t dissector_len;
    const char *case_id; /* not NUL-terminated; NULL when absent */
    size_t case_id_len;
    const uint8_t *data; /* the message bytes present (may be fewer than orig_len) */
    size_t data_len;
    size_t tags_len; /* bytes of exported-PDU tags before the pseudo-header */
} vcf_capture_view;

/*
 * Encode one record (tags, pseudo-header, message) into buf. Returns the number of bytes the
 * whole record needs; writes only when that fits in cap (so call with cap 0 to size it). The
 * message is cut at max_data bytes (TRUNCATED set) when it is longer.
 */
size_t vcf_capture_encode(const vcf_capture_rec *rec, uint32_t record_index, size_t max_data,
                          uint8_t *buf, size_t cap);

/* Read one record; 0, or -1 with what is wrong and at which byte in err. */
int vcf_capture_parse(const uint8_t *buf, size_t len, vcf_capture_view *out, char *err,
                      size_t err_len);

/* "rpmsg" / "virtio-msg" for a pseudo-header protocol value; VCF_CAPTURE_PROTO_* of a role
 * (0 when the role has none). */
uint32_t vcf_capture_protocol_of(uint32_t role);

typedef struct vcf_capture vcf_capture;

/* Create (truncate) a capture file ("-" is standard output). NULL with err on failure. */
vcf_capture *vcf_capture_open(const char *path, char *err, size_t err_len);

/* Mark messages emitted by the implementation as synthesized by vconform's model (set when the
 * adapter is the built-in model). */
void vcf_capture_set_model(vcf_capture *cap, bool iut_is_model);

/*
 * One message: written with a logical timestamp (rec->case_index seconds, the record's index
 * within that case as microseconds). The record index restarts when case_index changes.
 * Returns 0, or -1 when writing failed (vcf_capture_error says why).
 */
int vcf_capture_record(vcf_capture *cap, const vcf_capture_rec *rec);

/*
 * Every message of a case's transcript, injected and emitted, in transcript order. case_index
 * should be the case's position in the whole run so that timestamps grow through the file.
 * A result without a transcript writes nothing. Returns 0 or -1.
 */
int vcf_capture_case(vcf_capture *cap, const vcf_vfile *file, size_t case_index,
                     const vcf_case_result *res);

/* The last write error, or "" */
const char *vcf_capture_error(const vcf_capture *cap);

/* Flush and close; 0, or -1 with err when any write failed. */
int vcf_capture_finish(vcf_capture *cap, char *err, size_t err_len);
/* Close without checking (NULL is fine). */
void vcf_capture_close(vcf_capture *cap);

#endif /* VCF_HARNESS_CAPTURE_H */
