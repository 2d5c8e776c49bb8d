/* SPDX-License-Identifier: MIT */
/*
 * vconform: RPMsg-over-virtio wire codecs.
 *
 * Every virtqueue buffer carries one message: a 16-byte header, then hdr.len payload bytes.
 *
 *   off size field     meaning
 *    0   4   src       source endpoint address
 *    4   4   dst       destination endpoint address (the sole dispatch key)
 *    8   4   reserved  reserved; senders write 0, receivers ignore it
 *   12   2   len       payload length in bytes
 *   14   2   flags     unused; senders write 0, receivers ignore it
 *   16  len  payload   opaque bytes, never byte-swapped
 *
 * A message to address 53 is a name-service (NS) message when VIRTIO_RPMSG_F_NS is negotiated;
 * its payload is exactly 40 bytes:
 *
 *    0  32   name      service name; should be NUL-terminated and zero-padded
 *   32   4   addr      address of the announced endpoint
 *   36   4   flags     bit 0: 0 = create, 1 = destroy; other bits undefined
 *
 * Multi-byte fields use the link's byte order (vcf_byte_order): little-endian when
 * VIRTIO_F_VERSION_1 is negotiated, the driver's native order otherwise. Names and payloads are
 * never swapped.
 *
 * Offsets in every vcf_error are counted from the first byte of the buffer handed to the
 * function: the frame for frame and message functions, the NS payload for vcf_rpmsg_ns_*.
 */
#ifndef VCONFORM_RPMSG_H
#define VCONFORM_RPMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "describe.h"
#include "error.h"
#include "wire.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VCF_RPMSG_HDR_SIZE        16u
#define VCF_RPMSG_NS_MSG_SIZE     40u /* standard NS payload */
#define VCF_RPMSG_NS_EXT_MSG_SIZE 72u /* non-standard extended NS payloads (see below) */
#define VCF_RPMSG_NAME_SIZE       32u
#define VCF_RPMSG_DESC_SIZE       32u     /* description of the extended NS variants */
#define VCF_RPMSG_MAX_LEN         0xFFFFu /* largest value the 16-bit len field can hold */

#define VCF_RPMSG_ADDR_ANY           0xFFFFFFFFu
#define VCF_RPMSG_NS_ADDR            53u
#define VCF_RPMSG_RESERVED_ADDRESSES 1024u /* 0..1023 are never allocated dynamically */

#define VCF_RPMSG_NS_CREATE      0u
#define VCF_RPMSG_NS_DESTROY     1u
#define VCF_RPMSG_NS_FLAGS_KNOWN 0x1u /* the only NS flag bit with an upstream meaning */

#define VCF_RPMSG_F_NS             0u   /* VIRTIO_RPMSG_F_NS feature bit */
#define VCF_VIRTIO_ID_RPMSG        7u   /* virtio device ID */
#define VCF_RPMSG_DEFAULT_BUF_SIZE 512u /* Linux MAX_RPMSG_BUF_SIZE */

typedef struct vcf_rpmsg_hdr {
    uint32_t src;
    uint32_t dst;
    uint32_t reserved;
    uint16_t len;
    uint16_t flags;
} vcf_rpmsg_hdr;

/* One received buffer: header, payload view, and the bytes after the payload. */
typedef struct vcf_rpmsg_frame {
    vcf_rpmsg_hdr hdr;
    vcf_bytes payload; /* hdr.len bytes at offset 16, borrowed from the input */
    size_t slack;      /* bytes between the end of the payload and the end of the used length;
                        * legal: OpenAMP and rpmsg-lite devices report the whole buffer */
} vcf_rpmsg_frame;

/* Standard 40-byte name-service payload. name holds the raw 32 bytes (not necessarily
 * NUL-terminated). */
typedef struct vcf_rpmsg_ns_msg {
    uint8_t name[VCF_RPMSG_NAME_SIZE];
    uint32_t addr;
    uint32_t flags;
} vcf_rpmsg_ns_msg;

/* Non-standard 72-byte NS layouts found in the field. Neither is upstream and mainline Linux
 * rejects both as malformed; they are decoded only so tools can show what a peer sent.
 *   TI "NS 2.0" (rpmsg_ns_msg_ext): name[32], desc[32], addr, flags
 *   vendor copy of an RFC layout:   name[32], addr, flags, desc[32]
 * Both have the same size, so a payload can only be assigned to one by looking at its bytes. */
typedef enum vcf_rpmsg_ns_layout {
    VCF_RPMSG_NS_LAYOUT_STANDARD = 0,   /* 40 bytes: name, addr, flags */
    VCF_RPMSG_NS_LAYOUT_EXT_TI = 1,     /* 72 bytes: name, desc, addr, flags */
    VCF_RPMSG_NS_LAYOUT_EXT_VENDOR = 2, /* 72 bytes: name, addr, flags, desc */
    VCF_RPMSG_NS_LAYOUT_EXT_UNKNOWN = 3 /* 72 bytes, fits both or neither */
} vcf_rpmsg_ns_layout;

typedef struct vcf_rpmsg_ns_ext {
    vcf_rpmsg_ns_layout layout;
    uint8_t name[VCF_RPMSG_NAME_SIZE];
    uint8_t desc[VCF_RPMSG_DESC_SIZE];
    uint32_t addr;
    uint32_t flags;
} vcf_rpmsg_ns_ext;

/* How to read a message. */
typedef struct vcf_rpmsg_params {
    vcf_byte_order order;
    bool ns; /* VIRTIO_RPMSG_F_NS negotiated: messages to address 53 are NS messages */
} vcf_rpmsg_params;

/* Little-endian, name service on. */
void vcf_rpmsg_params_default(vcf_rpmsg_params *params);

typedef enum vcf_rpmsg_kind {
    VCF_RPMSG_KIND_DATA = 0,  /* ordinary message */
    VCF_RPMSG_KIND_NS = 1,    /* standard name-service message (ns is valid) */
    VCF_RPMSG_KIND_NS_EXT = 2 /* non-standard 72-byte NS message (ns_ext is valid) */
} vcf_rpmsg_kind;

/* A whole message: the frame and, for messages to address 53, its NS interpretation. */
typedef struct vcf_rpmsg_msg {
    vcf_rpmsg_frame frame;
    vcf_rpmsg_kind kind;
    vcf_rpmsg_ns_msg ns;
    vcf_rpmsg_ns_ext ns_ext;
} vcf_rpmsg_msg;

/* ---- header ---------------------------------------------------------------------------- */

/* Read the 16-byte header at the start of buf (len >= 16; further bytes are not looked at). */
int vcf_rpmsg_hdr_decode(const uint8_t *buf, size_t len, vcf_byte_order order, vcf_rpmsg_hdr *out,
                         vcf_error *err);

/* Write the header fields exactly as given. Returns 16, or VCF_E_NOSPACE if cap < 16. */
int vcf_rpmsg_hdr_encode(const vcf_rpmsg_hdr *hdr, vcf_byte_order order, uint8_t *buf, size_t cap,
                         vcf_error *err);

/* ---- frame (one virtqueue buffer: header + payload) -------------------------------------- */

/*
 * Structural parse of a received buffer of used_len bytes. Fails with
 *   VCF_E_TRUNCATED      used_len < 16
 *   VCF_E_SIZE_MISMATCH  hdr.len is larger than the bytes after the header
 * Bytes after the payload are allowed and counted in frame->slack.
 */
int vcf_rpmsg_frame_parse(const uint8_t *buf, size_t used_len, vcf_byte_order order,
                          vcf_rpmsg_frame *out, vcf_error *err);

/*
 * Rule checks of a parsed frame: reserved and flags must be 0 on the wire (receivers ignore
 * both). Stores up to cap errors in errs and returns how many problems exist in total.
 */
size_t vcf_rpmsg_frame_check(const vcf_rpmsg_frame *frame, vcf_error *errs, size_t cap);

/*
 * Write a frame: the header exactly as given (hdr->len is not recomputed, so inconsistent
 * frames can be built on purpose) followed by payload. Returns 16 + payload.len, or
 * VCF_E_NOSPACE.
 */
int vcf_rpmsg_frame_encode(const vcf_rpmsg_hdr *hdr, vcf_bytes payload, vcf_byte_order order,
                           uint8_t *buf, size_t cap, vcf_error *err);

/* ---- name-service payload ----------------------------------------------------------------- */

/*
 * Structural parse of an NS payload. Fails with
 *   VCF_E_NONSTANDARD    72 bytes: a non-standard extended variant (see vcf_rpmsg_ns_ext_parse)
 *   VCF_E_SIZE_MISMATCH  any other length but 40
 */
int vcf_rpmsg_ns_parse(const uint8_t *payload, size_t len, vcf_byte_order order,
                       vcf_rpmsg_ns_msg *out, vcf_error *err);

/*
 * Rule checks of an NS payload: name without a NUL (VCF_E_UNTERMINATED), non-zero bytes after
 * the name's NUL (VCF_E_MBZ), flag bits other than bit 0 (VCF_E_RESERVED). Same counting as
 * vcf_rpmsg_frame_check().
 */
size_t vcf_rpmsg_ns_check(const vcf_rpmsg_ns_msg *ns, vcf_error *errs, size_t cap);

/* Parse, then report the first rule violation if any (out is filled in that case too). */
int vcf_rpmsg_ns_decode(const uint8_t *payload, size_t len, vcf_byte_order order,
                        vcf_rpmsg_ns_msg *out, vcf_error *err);

/* Write the 40-byte payload exactly as given. Returns 40, or VCF_E_NOSPACE. */
int vcf_rpmsg_ns_encode(const vcf_rpmsg_ns_msg *ns, vcf_byte_order order, uint8_t *buf, size_t cap,
                        vcf_error *err);

/* Length of the name up to its first NUL (32 if there is none). */
size_t vcf_rpmsg_ns_name_len(const vcf_rpmsg_ns_msg *ns);

/* Build an NS payload: name copied and zero-padded (at most 31 characters are kept, so the
 * result is always terminated), addr and flags as given. */
void vcf_rpmsg_ns_init(vcf_rpmsg_ns_msg *ns, const char *name, uint32_t addr, uint32_t flags);

/* ---- non-standard 72-byte NS variants ----------------------------------------------------- */

/* Which 72-byte layout the bytes fit: a layout fits when its flags word has no bit but bit 0
 * and its description is printable text followed only by NULs. */
vcf_rpmsg_ns_layout vcf_rpmsg_ns_ext_classify(const uint8_t *payload, size_t len,
                                              vcf_byte_order order);

/* Read a 72-byte payload in the given layout (EXT_TI or EXT_VENDOR); out->layout is set to
 * what vcf_rpmsg_ns_ext_classify() says. VCF_E_SIZE_MISMATCH if len != 72. */
int vcf_rpmsg_ns_ext_parse(const uint8_t *payload, size_t len, vcf_byte_order order,
                           vcf_rpmsg_ns_layout layout, vcf_rpmsg_ns_ext *out, vcf_error *err);

/* Write a 72-byte payload in layout ns->layout (EXT_TI or EXT_VENDOR). Returns 72. */
int vcf_rpmsg_ns_ext_encode(const vcf_rpmsg_ns_ext *ns, vcf_byte_order order, uint8_t *buf,
                            size_t cap, vcf_error *err);

const char *vcf_rpmsg_ns_layout_name(vcf_rpmsg_ns_layout layout);

/* What a parsed message is, as every tool names it: "data", "name-service" or
 * "non-standard name-service". */
const char *vcf_rpmsg_kind_name(vcf_rpmsg_kind kind);

/* ---- whole message ------------------------------------------------------------------------ */

/*
 * Structural parse of a received buffer: the frame, and for dst == 53 with params->ns set, the
 * NS payload. A 72-byte NS payload gives kind VCF_RPMSG_KIND_NS_EXT with out->ns_ext decoded
 * in the layout its bytes fit, and the call returns VCF_E_NONSTANDARD: it is never a valid
 * standard message. Error offsets count from the start of the frame.
 */
int vcf_rpmsg_parse(const uint8_t *buf, size_t used_len, const vcf_rpmsg_params *params,
                    vcf_rpmsg_msg *out, vcf_error *err);

/* Rule checks of the frame and, for NS messages, of the NS payload. Offsets from the frame. */
size_t vcf_rpmsg_check(const vcf_rpmsg_msg *msg, vcf_error *errs, size_t cap);

/* Parse, then report the first rule violation if any (out is filled in that case too). */
int vcf_rpmsg_decode(const uint8_t *buf, size_t used_len, const vcf_rpmsg_params *params,
                     vcf_rpmsg_msg *out, vcf_error *err);

/* Walk every field of a parsed message in wire order (see describe.h). */
void vcf_rpmsg_describe(const vcf_rpmsg_msg *msg, const vcf_rpmsg_params *params, vcf_field_fn fn,
                        void *ctx);

/*
 * Describe a fixed set of sample messages that together make vcf_rpmsg_describe() emit every
 * field it can ever emit (every group path, name, kind and size), with array and variable parts
 * non-empty. Fields repeat across samples; callers that build registries (the Wireshark
 * dissector's field table) deduplicate by path. Every sample is framed by a BEGIN group named
 * "sample" whose label names the message, so callers can tell the samples apart.
 */
void vcf_rpmsg_describe_samples(vcf_field_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* VCONFORM_RPMSG_H */
