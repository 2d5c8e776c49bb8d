/* SPDX-License-Identifier: MIT */
/*
 * vconform: virtio-msg wire codecs (transport and bus messages).
 *
 * Wire format of the RFC3 and PR28 drafts of the virtio-msg transport (both revisions share it):
 * an 8-byte little-endian header, then a message-specific payload.
 *
 *   off size field     meaning
 *    0   1   type      bit 0: response; bit 1: bus message; bits 2..7 reserved (sent as 0)
 *    1   1   msg_id    message ID
 *    2   2   dev_num   target device (transport messages); 0 for bus messages
 *    4   2   token     correlation value (RFC3: set by the requester, echoed in the response,
 *                      0 in events; PR28: owned by the bus, opaque to driver and device)
 *    6   2   msg_size  total size, header included
 *
 * The revision is an explicit parameter (vcf_vmsg_params.rev) so that other wire formats can be
 * added without changing callers. The revisions differ in how message-ID ranges are assigned:
 *   PR28: 0x00-0x3F requests, 0x40-0x7F events, 0x80-0xBF implementation-defined requests,
 *         0xC0-0xFF implementation-defined events (transport and bus alike);
 *   RFC3: transport 0x80-0xFF reserved by the specification; bus 0x80-0xFF specific to the bus
 *         implementation (request/event split left to the bus).
 * and in the token rules, which only RFC3 puts on the wire (checked by vcf_vmsg_check()).
 *
 * Offsets in every vcf_error count from the first byte of the message (the type byte).
 */
#ifndef VCONFORM_VMSG_H
#define VCONFORM_VMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "describe.h"
#include "error.h"
#include "wire.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VCF_VMSG_HDR_SIZE                 8u
#define VCF_VMSG_MSG_SIZE_LIMIT           0xFFFFu /* largest value msg_size can hold */
#define VCF_VMSG_SPEC_MIN_MAX_MSG_SIZE    44u     /* smallest bus maximum the spec allows */
#define VCF_VMSG_USABLE_MIN_MAX_MSG_SIZE  48u     /* smallest bus maximum that fits SET_VQUEUE */
#define VCF_VMSG_RECOMMENDED_MAX_MSG_SIZE 264u    /* buses should not advertise more */

/* type bits */
#define VCF_VMSG_TYPE_RESPONSE 0x01u
#define VCF_VMSG_TYPE_BUS      0x02u
#define VCF_VMSG_TYPE_RESERVED 0xFCu

/* transport message IDs */
#define VCF_VMSG_GET_DEVICE_INFO     0x02u
#define VCF_VMSG_GET_DEVICE_FEATURES 0x03u
#define VCF_VMSG_SET_DRIVER_FEATURES 0x04u
#define VCF_VMSG_GET_CONFIG          0x05u
#define VCF_VMSG_SET_CONFIG          0x06u
#define VCF_VMSG_GET_DEVICE_STATUS   0x07u
#define VCF_VMSG_SET_DEVICE_STATUS   0x08u
#define VCF_VMSG_GET_VQUEUE          0x09u
#define VCF_VMSG_SET_VQUEUE          0x0Au
#define VCF_VMSG_RESET_VQUEUE        0x0Bu
#define VCF_VMSG_GET_SHM             0x0Cu
#define VCF_VMSG_EVENT_CONFIG        0x40u
#define VCF_VMSG_EVENT_AVAIL         0x41u
#define VCF_VMSG_EVENT_USED          0x42u

/* bus message IDs */
#define VCF_VMSG_BUS_GET_DEVICES  0x02u
#define VCF_VMSG_BUS_PING         0x03u
#define VCF_VMSG_BUS_EVENT_DEVICE 0x40u

/* device status bits (virtio base specification); carried as le32, only bits 0..7 defined */
#define VCF_VIRTIO_STATUS_ACKNOWLEDGE        0x01u
#define VCF_VIRTIO_STATUS_DRIVER             0x02u
#define VCF_VIRTIO_STATUS_DRIVER_OK          0x04u
#define VCF_VIRTIO_STATUS_FEATURES_OK        0x08u
#define VCF_VIRTIO_STATUS_SUSPEND            0x10u
#define VCF_VIRTIO_STATUS_DEVICE_NEEDS_RESET 0x40u
#define VCF_VIRTIO_STATUS_FAILED             0x80u
#define VCF_VIRTIO_STATUS_DEFINED            0xFFu

/* transport-relevant feature bits (virtio base specification) */
#define VCF_VIRTIO_F_INDIRECT_DESC     28u
#define VCF_VIRTIO_F_EVENT_IDX         29u
#define VCF_VIRTIO_F_VERSION_1         32u
#define VCF_VIRTIO_F_ACCESS_PLATFORM   33u
#define VCF_VIRTIO_F_RING_PACKED       34u
#define VCF_VIRTIO_F_IN_ORDER          35u
#define VCF_VIRTIO_F_ORDER_PLATFORM    36u
#define VCF_VIRTIO_F_SR_IOV            37u
#define VCF_VIRTIO_F_NOTIFICATION_DATA 38u
#define VCF_VIRTIO_F_NOTIF_CONFIG_DATA 39u
#define VCF_VIRTIO_F_RING_RESET        40u
#define VCF_VIRTIO_F_ADMIN_VQ          41u
#define VCF_VIRTIO_F_SUSPEND           43u

/* EVENT_DEVICE device_bus_state values */
#define VCF_VMSG_BUS_STATE_READY      0x0001u
#define VCF_VMSG_BUS_STATE_REMOVED    0x0002u
#define VCF_VMSG_BUS_STATE_IMPL_FIRST 0x8000u /* 0x8000-0xFFFF implementation-defined */

/* EVENT_AVAIL next_offset: bits 30..0 offset, bit 31 wrap counter */
#define VCF_VMSG_NEXT_OFF_MASK 0x7FFFFFFFu
#define VCF_VMSG_NEXT_WRAP     0x80000000u

typedef enum vcf_vmsg_rev {
    VCF_VMSG_REV_RFC3 = 1, /* RFC v3, November 2025 */
    VCF_VMSG_REV_PR28 = 2  /* PR28 draft, December 2025: labelled normative statements */
} vcf_vmsg_rev;

#define VCF_VMSG_REV_DEFAULT VCF_VMSG_REV_PR28

/* "rfc3", "pr28"; NULL for an unknown value. */
const char *vcf_vmsg_rev_name(vcf_vmsg_rev rev);
/* Parse a revision name; returns 0 and sets *out, or VCF_E_INVAL. */
int vcf_vmsg_rev_parse(const char *name, vcf_vmsg_rev *out);

typedef struct vcf_vmsg_params {
    vcf_vmsg_rev rev;
    uint32_t max_msg_size; /* the bus maximum, header included; 0: only the 16-bit limit */
    bool allow_padding;    /* the buffer may run past msg_size (bus padding, must be zero);
                            * otherwise any byte past msg_size is VCF_E_TRAILING */
} vcf_vmsg_params;

/* PR28, no size limit beyond the field's, exact framing. */
void vcf_vmsg_params_default(vcf_vmsg_params *params);

/* Every message the revisions define, one kind per direction. */
typedef enum vcf_vmsg_kind {
    VCF_VMSG_K_NONE = 0,
    VCF_VMSG_K_GET_DEVICE_INFO_REQ,
    VCF_VMSG_K_GET_DEVICE_INFO_RESP,
    VCF_VMSG_K_GET_DEVICE_FEATURES_REQ,
    VCF_VMSG_K_GET_DEVICE_FEATURES_RESP,
    VCF_VMSG_K_SET_DRIVER_FEATURES_REQ,
    VCF_VMSG_K_SET_DRIVER_FEATURES_RESP,
    VCF_VMSG_K_GET_CONFIG_REQ,
    VCF_VMSG_K_GET_CONFIG_RESP,
    VCF_VMSG_K_SET_CONFIG_REQ,
    VCF_VMSG_K_SET_CONFIG_RESP,
    VCF_VMSG_K_GET_DEVICE_STATUS_REQ,
    VCF_VMSG_K_GET_DEVICE_STATUS_RESP,
    VCF_VMSG_K_SET_DEVICE_STATUS_REQ,
    VCF_VMSG_K_SET_DEVICE_STATUS_RESP,
    VCF_VMSG_K_GET_VQUEUE_REQ,
    VCF_VMSG_K_GET_VQUEUE_RESP,
    VCF_VMSG_K_SET_VQUEUE_REQ,
    VCF_VMSG_K_SET_VQUEUE_RESP,
    VCF_VMSG_K_RESET_VQUEUE_REQ,
    VCF_VMSG_K_RESET_VQUEUE_RESP,
    VCF_VMSG_K_GET_SHM_REQ,
    VCF_VMSG_K_GET_SHM_RESP,
    VCF_VMSG_K_EVENT_CONFIG,
    VCF_VMSG_K_EVENT_AVAIL,
    VCF_VMSG_K_EVENT_USED,
    VCF_VMSG_K_BUS_GET_DEVICES_REQ,
    VCF_VMSG_K_BUS_GET_DEVICES_RESP,
    VCF_VMSG_K_BUS_PING_REQ,
    VCF_VMSG_K_BUS_PING_RESP,
    VCF_VMSG_K_BUS_EVENT_DEVICE,
    VCF_VMSG_K_IMPL_DEFINED, /* implementation-defined ID: payload kept opaque */
    VCF_VMSG_K_COUNT
} vcf_vmsg_kind;

/* Where an ID falls in its revision's ranges. */
typedef enum vcf_vmsg_range {
    VCF_VMSG_RANGE_REQUEST,      /* standard request/response IDs */
    VCF_VMSG_RANGE_EVENT,        /* standard event IDs */
    VCF_VMSG_RANGE_IMPL_REQUEST, /* implementation-defined requests (PR28 0x80-0xBF) */
    VCF_VMSG_RANGE_IMPL_EVENT,   /* implementation-defined events (PR28 0xC0-0xFF) */
    VCF_VMSG_RANGE_IMPL,         /* bus-implementation specific, split unspecified (RFC3 bus) */
    VCF_VMSG_RANGE_RESERVED      /* reserved by the specification (RFC3 transport 0x80+) */
} vcf_vmsg_range;

typedef struct vcf_vmsg_class {
    bool bus;             /* type bit 1 */
    bool response;        /* type bit 0 */
    vcf_vmsg_range range; /* from msg_id and the revision */
    bool event;           /* the ID is an event ID (standard or implementation-defined) */
    vcf_vmsg_kind kind;   /* VCF_VMSG_K_NONE if the ID is not defined */
} vcf_vmsg_class;

/*
 * Classify a (type, msg_id) pair. Returns
 *   VCF_OK              a defined message (kind set) or an implementation-defined one
 *                       (kind VCF_VMSG_K_IMPL_DEFINED)
 *   VCF_E_UNKNOWN_ID    a standard ID the revision does not define, or a reserved one
 *   VCF_E_BAD_KIND      the response bit on an event ID
 *   VCF_E_INVAL         unknown revision
 * out is filled in every case but VCF_E_INVAL.
 */
int vcf_vmsg_classify(uint8_t type, uint8_t msg_id, vcf_vmsg_rev rev, vcf_vmsg_class *out);

/* Upper-case message name without direction ("GET_VQUEUE", "EVENT_DEVICE"), or NULL. */
const char *vcf_vmsg_kind_name(vcf_vmsg_kind kind);
/* type byte (bits 0..1) and msg_id of a kind; 0 on success, VCF_E_INVAL for NONE/IMPL. */
int vcf_vmsg_kind_header(vcf_vmsg_kind kind, uint8_t *type, uint8_t *msg_id);
/* "request", "response" or "event". */
const char *vcf_vmsg_kind_direction(vcf_vmsg_kind kind);

typedef struct vcf_vmsg_hdr {
    uint8_t type;
    uint8_t msg_id;
    uint16_t dev_num;
    uint16_t token;
    uint16_t msg_size;
} vcf_vmsg_hdr;

/* GET_DEVICE_INFO response */
typedef struct vcf_vmsg_device_info {
    uint32_t device_id;
    uint32_t vendor_id;
    uint32_t num_feature_bits;
    uint32_t config_size;
    uint32_t max_virtqueues;
    uint16_t admin_vq_start;
    uint16_t admin_vq_count;
} vcf_vmsg_device_info;

/* GET_DEVICE_FEATURES request (blocks empty) and response; SET_DRIVER_FEATURES request.
 * blocks holds num_blocks little-endian 32-bit words: read them with vcf_vmsg_feature_block(). */
typedef struct vcf_vmsg_features {
    uint32_t block_index;
    uint32_t num_blocks;
    vcf_bytes blocks;
} vcf_vmsg_features;

/* GET_CONFIG request (generation unused, data empty) and response; SET_CONFIG request and
 * response (response data is the optional echo: empty when absent). */
typedef struct vcf_vmsg_config {
    uint32_t generation;
    uint32_t offset;
    uint32_t length;
    vcf_bytes data;
} vcf_vmsg_config;

/* GET_VQUEUE response */
typedef struct vcf_vmsg_vqueue {
    uint32_t index;
    uint32_t max_size; /* 0: the queue does not exist */
    uint32_t cur_size; /* 0: not configured */
    uint32_t reserved; /* must be zero */
    uint64_t desc_addr;
    uint64_t driver_addr;
    uint64_t device_addr;
} vcf_vmsg_vqueue;

/* SET_VQUEUE request */
typedef struct vcf_vmsg_set_vqueue {
    uint32_t index;
    uint32_t reserved0; /* must be zero */
    uint32_t size;
    uint32_t reserved1; /* must be zero */
    uint64_t desc_addr;
    uint64_t driver_addr;
    uint64_t device_addr;
} vcf_vmsg_set_vqueue;

/* GET_SHM response */
typedef struct vcf_vmsg_shm {
    uint32_t index;
    uint32_t length;
    uint32_t address;
} vcf_vmsg_shm;

/* EVENT_CONFIG */
typedef struct vcf_vmsg_event_config {
    uint32_t device_status;
    uint32_t generation;
    uint32_t offset;
    uint32_t length;
    vcf_bytes data;
} vcf_vmsg_event_config;

/* EVENT_AVAIL */
typedef struct vcf_vmsg_event_avail {
    uint32_t vq_index;
    uint32_t next_offset; /* bits 30..0 offset, bit 31 wrap */
} vcf_vmsg_event_avail;

/* bus GET_DEVICES request (next_offset unused, bitmap empty) and response */
typedef struct vcf_vmsg_devices {
    uint16_t offset;
    uint16_t count;
    uint16_t next_offset;
    vcf_bytes bitmap; /* ceil(count / 8) bytes, device offset + n is bit n % 8 of byte n / 8 */
} vcf_vmsg_devices;

/* bus EVENT_DEVICE */
typedef struct vcf_vmsg_event_device {
    uint16_t device_number;
    uint16_t state;
} vcf_vmsg_event_device;

typedef struct vcf_vmsg_msg {
    vcf_vmsg_hdr hdr;
    vcf_vmsg_kind kind;
    union {
        vcf_vmsg_device_info device_info;   /* GET_DEVICE_INFO_RESP */
        vcf_vmsg_features features;         /* GET_DEVICE_FEATURES_*, SET_DRIVER_FEATURES_REQ */
        vcf_vmsg_config config;             /* GET_CONFIG_*, SET_CONFIG_* */
        uint32_t status;                    /* GET_DEVICE_STATUS_RESP, SET_DEVICE_STATUS_* */
        uint32_t index;                     /* GET_VQUEUE_REQ, RESET_VQUEUE_REQ, GET_SHM_REQ,
                                             * EVENT_USED (vq_index) */
        vcf_vmsg_vqueue vqueue;             /* GET_VQUEUE_RESP */
        vcf_vmsg_set_vqueue set_vqueue;     /* SET_VQUEUE_REQ */
        vcf_vmsg_shm shm;                   /* GET_SHM_RESP */
        vcf_vmsg_event_config event_config; /* EVENT_CONFIG */
        vcf_vmsg_event_avail event_avail;   /* EVENT_AVAIL */
        vcf_vmsg_devices devices;           /* BUS_GET_DEVICES_* */
        uint32_t ping;                      /* BUS_PING_* */
        vcf_vmsg_event_device event_device; /* BUS_EVENT_DEVICE */
        vcf_bytes opaque;                   /* IMPL_DEFINED: the whole payload */
    } u;
    vcf_bytes padding; /* bytes past msg_size (only with params.allow_padding) */
} vcf_vmsg_msg;

/* Start a message of the given kind: zeroes it and sets type and msg_id. VCF_E_INVAL for
 * VCF_VMSG_K_NONE/IMPL_DEFINED (set hdr by hand for implementation-defined IDs). */
int vcf_vmsg_init(vcf_vmsg_msg *msg, vcf_vmsg_kind kind, uint16_t dev_num, uint16_t token);

/*
 * Structural parse of one message. Fails with
 *   VCF_E_TRUNCATED      the buffer or msg_size ends inside a field (the field is named)
 *   VCF_E_SIZE_RANGE     msg_size < 8
 *   VCF_E_SIZE_MISMATCH  msg_size larger than the buffer; or a count/length field (num_blocks,
 *                        length, count) that disagrees with msg_size
 *   VCF_E_TRAILING       bytes after the defined payload, or past msg_size without
 *                        allow_padding
 *   VCF_E_UNKNOWN_ID / VCF_E_BAD_KIND  as vcf_vmsg_classify()
 * Variable-length parts are views into buf.
 */
int vcf_vmsg_parse(const uint8_t *buf, size_t len, const vcf_vmsg_params *params, vcf_vmsg_msg *out,
                   vcf_error *err);

/*
 * Rule checks of a parsed message: reserved type bits, msg_size above the bus maximum, bus
 * messages with dev_num != 0, RFC3 token rules, status bits above bit 7, must-be-zero fields
 * of GET_VQUEUE/SET_VQUEUE, num_feature_bits not a multiple of 32, GET_DEVICES offsets and
 * counts not multiples of 8 and next_offset rules, reserved EVENT_DEVICE states, non-zero bus
 * padding. Stores up to cap errors and returns how many problems exist in total.
 */
size_t vcf_vmsg_check(const vcf_vmsg_msg *msg, const vcf_vmsg_params *params, vcf_error *errs,
                      size_t cap);

/* Parse, then report the first rule violation if any (out is filled in that case too). */
int vcf_vmsg_decode(const uint8_t *buf, size_t len, const vcf_vmsg_params *params,
                    vcf_vmsg_msg *out, vcf_error *err);

/*
 * Size of the encoding of msg (header included), or a negative vcf_status if msg is
 * inconsistent: header type/msg_id that do not match kind (VCF_E_INVAL), a variable-length
 * view whose length disagrees with its count or length field (VCF_E_SIZE_MISMATCH), or a total
 * above 65535 (VCF_E_TOO_LARGE).
 */
long vcf_vmsg_encoded_size(const vcf_vmsg_msg *msg);

/*
 * Write msg: header fields as given except msg_size, which is computed; every payload field as
 * given, including reserved ones, so that rule violations can be built on purpose (structural
 * consistency is enforced, see vcf_vmsg_encoded_size()). Returns the bytes written or a
 * negative vcf_status (VCF_E_NOSPACE if cap is too small).
 */
int vcf_vmsg_encode(const vcf_vmsg_msg *msg, uint8_t *buf, size_t cap, vcf_error *err);

/* Feature block i (0-based, < num_blocks) of a features view. */
uint32_t vcf_vmsg_feature_block(const vcf_vmsg_features *features, uint32_t i);

/* Whether device number n is marked present in a GET_DEVICES response window. */
bool vcf_vmsg_device_present(const vcf_vmsg_devices *devices, uint32_t device_number);

/* What a parsed message is, as every tool names it: "GET_DEVICE_INFO request", or for an
 * implementation-defined ID "implementation-defined bus message 0xc0". Writes a NUL-terminated
 * name, cut to fit cap (cap > 0); returns its length. */
size_t vcf_vmsg_msg_name(const vcf_vmsg_msg *msg, char *buf, size_t cap);

/* Walk every field of a parsed message in wire order (see describe.h). */
void vcf_vmsg_describe(const vcf_vmsg_msg *msg, const vcf_vmsg_params *params, vcf_field_fn fn,
                       void *ctx);

/*
 * Describe a fixed set of sample messages that together make vcf_vmsg_describe() emit every
 * field it can ever emit (every group path, name, kind and size), with array and variable parts
 * non-empty. Fields repeat across samples; callers that build registries (the Wireshark
 * dissector's field table) deduplicate by path. Every sample is framed by a BEGIN group named
 * "sample" whose label names the message, so callers can tell the samples apart.
 */
void vcf_vmsg_describe_samples(vcf_field_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* VCONFORM_VMSG_H */
