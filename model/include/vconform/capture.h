/* SPDX-License-Identifier: MIT */
/*
 * vconform: the capture record codec (docs/capture-format.md).
 *
 * A vconform capture is a classic pcap file. Each record holds one message:
 *
 *   exported-PDU tags (big-endian TLVs, LINKTYPE_WIRESHARK_UPPER_PDU only):
 *       EXP_PDU_TAG_DISSECTOR_NAME "vconform", EXP_PDU_TAG_END_OF_OPT
 *   the vconform pseudo-header: fixed little-endian fields, self-describing length
 *   the message bytes exactly as they travelled on the link
 *
 * With a LINKTYPE_USER0..15 link type the record starts directly with the pseudo-header.
 *
 * This part is pure: it encodes and parses records in caller memory, with no I/O and no
 * allocation. The pcap file writer built on it is in vconform/capture_file.h.
 */
#ifndef VCONFORM_CAPTURE_H
#define VCONFORM_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "rpmsg.h"
#include "vmsg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* link types (libpcap LINKTYPE_* values, as written in the pcap file header) */
#define VCF_CAPTURE_LINKTYPE_UPPER_PDU 252u /* LINKTYPE_WIRESHARK_UPPER_PDU: the default */
#define VCF_CAPTURE_LINKTYPE_USER0     147u /* LINKTYPE_USER0 .. USER15 = 147 .. 162 */
#define VCF_CAPTURE_LINKTYPE_USER15    162u
#define VCF_CAPTURE_SNAPLEN            262144u
#define VCF_CAPTURE_DISSECTOR          "vconform" /* name the dissector registers */

/* exported-PDU tags (Wireshark wsutil/exported_pdu_tlvs.h) */
#define VCF_EXP_PDU_TAG_END_OF_OPT     0u
#define VCF_EXP_PDU_TAG_DISSECTOR_NAME 12u
#define VCF_CAPTURE_TAGS_SIZE          16u /* what the encoder writes: 4 + "vconform" + 4 */

/* pseudo-header */
#define VCF_CAPTURE_MAGIC         0x50464356u /* "VCFP" read as a little-endian u32 */
#define VCF_CAPTURE_VERSION       2u          /* written; readers accept any version >= 1 */
#define VCF_CAPTURE_V1_FIXED_SIZE 44u         /* fields of version 1 */
#define VCF_CAPTURE_FIXED_SIZE    56u         /* fields of version 2, before the case ID */
#define VCF_CAPTURE_CASE_ID_MAX   4096u       /* longer case IDs are cut */

/* protocol */
#define VCF_CAPTURE_PROTO_UNKNOWN 0u
#define VCF_CAPTURE_PROTO_RPMSG   1u
#define VCF_CAPTURE_PROTO_VMSG    2u

/* direction, seen from the recording side ("the implementation") */
#define VCF_CAPTURE_DIR_TO_IUT   0u /* received by the implementation (injected by the harness) */
#define VCF_CAPTURE_DIR_FROM_IUT 1u /* sent by the implementation */

/* role: the recording implementation's role, the vcf_iut_role values of vconform/adapter.h
 * (1 rpmsg-driver, 2 rpmsg-device, 3 virtio-msg-device, 4 virtio-msg-driver,
 * 5 virtio-msg-bus); 0 unknown */

/* byte order of the link's multi-byte fields */
#define VCF_CAPTURE_ORDER_LE 0u
#define VCF_CAPTURE_ORDER_BE 1u

/* result of the case the record belongs to: vcf_case_status values, or NONE */
#define VCF_CAPTURE_RESULT_NONE 0xFFu

/* flags */
#define VCF_CAPTURE_F_TRUNCATED   0x0001u /* fewer message bytes than orig_len */
#define VCF_CAPTURE_F_SYNTHESIZED 0x0002u /* produced by vconform's reference model */
#define VCF_CAPTURE_F_FAILED_STEP 0x0004u /* part of the step at which its case failed */

/* bus / transport kind (version 2) */
#define VCF_CAPTURE_BUS_UNKNOWN     0u
#define VCF_CAPTURE_BUS_HARNESS     1u /* the vconform harness's adapter link */
#define VCF_CAPTURE_BUS_REMOTEPROC  2u /* shared-memory vrings set up by remoteproc */
#define VCF_CAPTURE_BUS_VIRTIO_MMIO 3u
#define VCF_CAPTURE_BUS_VIRTIO_PCI  4u
#define VCF_CAPTURE_BUS_VHOST_USER  5u
#define VCF_CAPTURE_BUS_FFA         6u /* virtio-msg over Arm FF-A */
#define VCF_CAPTURE_BUS_AMP         7u /* virtio-msg over shared memory and doorbells */
#define VCF_CAPTURE_BUS_XEN         8u
#define VCF_CAPTURE_BUS_LOOPBACK    9u
#define VCF_CAPTURE_BUS_COUNT       10u

/* link flags (version 2) */
#define VCF_CAPTURE_L_NS_KNOWN                                                                     \
    0x0001u                           /* RPMsg: whether VIRTIO_RPMSG_F_NS was negotiated is known */
#define VCF_CAPTURE_L_NS      0x0002u /* RPMsg: VIRTIO_RPMSG_F_NS negotiated (with NS_KNOWN) */
#define VCF_CAPTURE_L_PADDING 0x0004u /* virtio-msg: the bus may pad messages past msg_size */

/* virtio-msg revision (version 2): the vcf_vmsg_rev values, 0 unknown */

/* What one record says about its message (everything but the bytes). */
typedef struct vcf_capture_meta {
    uint32_t protocol;  /* VCF_CAPTURE_PROTO_*; 0: derived from role when role is known */
    uint32_t role;      /* vcf_iut_role of the recording side, 0 unknown */
    uint32_t direction; /* VCF_CAPTURE_DIR_* */
    uint32_t channel;   /* the role's channel number (vconform/adapter.h) */
    uint32_t order;     /* VCF_CAPTURE_ORDER_* */
    uint32_t result;    /* vcf_case_status, or VCF_CAPTURE_RESULT_NONE */
    uint32_t flags;     /* VCF_CAPTURE_F_*; TRUNCATED is computed by the encoder */
    uint64_t capacity;  /* RPMsg buffer size, 0 when not applicable */
    uint64_t used_len;  /* RPMsg length reported in the ring; 0: the message length */
    uint32_t case_index;
    uint32_t step_index;
    uint32_t record_index;
    const char *case_id; /* NUL-terminated stable case ID, or NULL */
    /* version 2 */
    uint32_t bus;          /* VCF_CAPTURE_BUS_* */
    uint32_t revision;     /* virtio-msg: vcf_vmsg_rev; 0 unknown */
    uint32_t link_flags;   /* VCF_CAPTURE_L_* */
    uint32_t max_msg_size; /* virtio-msg bus maximum message size, 0 none */
    uint32_t instance;     /* which link or device instance (remoteproc index, bus ID), 0 default */
} vcf_capture_meta;

/* A zeroed meta with result NONE. */
void vcf_capture_meta_init(vcf_capture_meta *meta);

/* A record read back. Views point into the parsed buffer. Fields a version-1 record lacks
 * read as 0. */
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
    uint8_t bus;
    uint8_t revision;
    uint16_t link_flags;
    uint32_t max_msg_size;
    uint32_t instance;
    const char *dissector; /* the dissector name tag (not NUL-terminated); NULL without tags */
    size_t dissector_len;
    const char *case_id; /* not NUL-terminated; NULL when absent */
    size_t case_id_len;
    const uint8_t *data; /* the message bytes present (fewer than orig_len when TRUNCATED) */
    size_t data_len;
    size_t tags_len; /* bytes of exported-PDU tags before the pseudo-header (0 for USER) */
} vcf_capture_view;

/* VCF_CAPTURE_PROTO_* of a vcf_iut_role (0 when the role has none). */
uint32_t vcf_capture_protocol_of(uint32_t role);

/* Short names for display and JSON; "unknown" for values without one. */
const char *vcf_capture_protocol_name(uint32_t protocol); /* "rpmsg", "virtio-msg" */
const char *vcf_capture_bus_name(uint32_t bus);           /* "harness", "ffa", ... */
/* Parse a bus name; 0 and *out set, or -1. */
int vcf_capture_bus_parse(const char *name, uint32_t *out);

/* Link type names: "upper-pdu" (252), "user0" .. "user15" (147 .. 162); NULL for any other
 * value. The parser also takes the numbers in decimal; 0 and *out set, or -1. */
const char *vcf_capture_linktype_name(uint32_t linktype);
int vcf_capture_linktype_parse(const char *name, uint32_t *out);

/*
 * Encode one record for the given link type (UPPER_PDU: with the tags; USER0..15: without)
 * into buf. Returns the bytes the whole record needs and writes only when that fits in cap (call
 * with cap 0 to size it); 0 for an unsupported link type. The message is cut at max_data bytes
 * (TRUNCATED set, orig_len = len) when it is longer.
 */
size_t vcf_capture_encode(uint32_t linktype, const vcf_capture_meta *meta, const uint8_t *data,
                          size_t len, size_t max_data, uint8_t *buf, size_t cap);

/* Read one record of the given link type; 0, or -1 with what is wrong and at which byte of the
 * record in err. */
int vcf_capture_parse(uint32_t linktype, const uint8_t *buf, size_t len, vcf_capture_view *out,
                      char *err, size_t err_len);

/*
 * How to read a record's message, from its pseudo-header: every reader (vconform pcap decode,
 * the Wireshark dissector) goes through these so they agree.
 *   RPMsg:      byte order from byte_order; name service on unless the link flags say
 *               VIRTIO_RPMSG_F_NS is known and not negotiated.
 *   virtio-msg: revision from the pseudo-header (unknown: VCF_VMSG_REV_DEFAULT), its maximum
 *               message size, padding allowed when the PADDING link flag is set.
 */
void vcf_capture_rpmsg_params(const vcf_capture_view *view, vcf_rpmsg_params *out);
void vcf_capture_vmsg_params(const vcf_capture_view *view, vcf_vmsg_params *out);

/* The meta a view describes (case_id is not NUL-terminated in a view and so is left NULL). */
void vcf_capture_view_meta(const vcf_capture_view *view, vcf_capture_meta *out);

#ifdef __cplusplus
}
#endif

#endif /* VCONFORM_CAPTURE_H */
