/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: the stdio adapter protocol, as frames (docs/adapter-protocol.md).
 *
 * Every operation of the adapter ABI (vconform/adapter.h) travels as one request frame from
 * the harness and one reply frame from the adapter, so the same operations work over a child
 * process's stdin/stdout, a pipe into QEMU or a serial line to a board. A frame is
 *
 *   u32 length   bytes that follow this field (4 .. VCF_FRAME_MAX - 4)
 *   u16 op       VCF_FOP_*; replies set VCF_FRAME_REPLY (0x8000)
 *   u16 seq      chosen by the harness; a reply repeats its request's seq
 *   ...          the op's payload
 *
 * All integers are little-endian, nothing is padded, strings and byte strings are a u32 length
 * followed by that many bytes (strings hold no NUL). Every reply payload starts with
 * i32 rc (VCF_ADAPTER_OK / _ERROR / _UNSUPPORTED) and a reason string; the op's own reply
 * fields follow only when rc is VCF_ADAPTER_OK.
 *
 * This file is pure: no I/O. Encoding and decoding go through a bounded cursor, field by
 * field; a wire buffer is never cast to a struct.
 */
#ifndef VCF_HARNESS_FRAME_H
#define VCF_HARNESS_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "vconform/adapter.h"

#define VCF_FRAME_MAGIC      0x50464356u /* "VCFP" as it appears on the wire: 56 43 46 50 */
#define VCF_FRAME_VERSION    1u          /* the protocol version this code speaks */
#define VCF_FRAME_MAX        0x100000u   /* a whole frame, length field included: 1 MiB */
#define VCF_FRAME_HDR_SIZE   8u          /* length, op, seq */
#define VCF_FRAME_REPLY      0x8000u     /* op bit of every reply */
#define VCF_FRAME_MAX_PARAMS 256u        /* RESET parameters in one frame */

/* Operations (requests; the reply is op | VCF_FRAME_REPLY). Numbers never change. */
typedef enum vcf_frame_op {
    VCF_FOP_HELLO = 0x0001,  /* magic, version -> rc, magic, version, roles, caps, name, version */
    VCF_FOP_RESET = 0x0002,  /* role, params -> rc */
    VCF_FOP_INJECT = 0x0003, /* channel, used_len, capacity, bytes -> rc */
    VCF_FOP_ACTION = 0x0004, /* kind, 4 x u64, bytes -> rc, status, value */
    VCF_FOP_POLL = 0x0005,   /* -> rc, observation */
    VCF_FOP_IDLE = 0x0006,   /* -> rc, idle */
    VCF_FOP_CLOSE = 0x0007   /* -> rc; the adapter then exits */
} vcf_frame_op;

/* "HELLO", "RESET", ... for requests and replies alike; "?" for an unknown op. */
const char *vcf_frame_op_name(uint16_t op);

/*
 * One frame, request or reply. Only the fields of its op are encoded or decoded; the others
 * are ignored (encode) or left zero (decode).
 */
typedef struct vcf_frame {
    uint16_t op; /* VCF_FOP_*, with VCF_FRAME_REPLY for a reply */
    uint16_t seq;

    /* replies: the operation's return code and, for errors, why ("" when none) */
    int32_t rc;
    const char *reason; /* NULL is encoded as "" */

    /* HELLO: magic and proto both ways; the reply adds the adapter's identity */
    struct {
        uint32_t magic;
        uint32_t proto;
        uint32_t roles; /* reply: VCF_IUT_ROLE_BIT of every role */
        uint32_t caps;  /* reply: VCF_ADAPTER_CAP_* */
        const char *name;
        const char *version;
    } hello;

    /* RESET request */
    uint32_t role;
    const vcf_adapter_param *params;
    size_t n_params;

    vcf_adapter_msg msg;       /* INJECT request (used_len and capacity fit in 32 bits) */
    vcf_adapter_action action; /* ACTION request */
    vcf_adapter_result result; /* ACTION reply */
    vcf_adapter_obs obs;       /* POLL reply */
    uint32_t idle;             /* IDLE reply: 1 idle, 0 busy */
} vcf_frame;

/*
 * Encode f into buf (cap bytes). Returns the frame's size, or 0 with err saying why: it would
 * not fit in cap or in VCF_FRAME_MAX, a length does not fit its field, a string holds a NUL,
 * or the op is unknown.
 */
size_t vcf_frame_encode(const vcf_frame *f, uint8_t *buf, size_t cap, char *err, size_t err_len);

/*
 * The size of the frame that starts with the 4 bytes at buf: 0 with err when its length field
 * is out of range (the stream cannot be trusted any further).
 */
size_t vcf_frame_size(const uint8_t buf[4], char *err, size_t err_len);

/* Room for the strings and parameters of one decoded frame (about 1 MiB: allocate it). */
typedef struct vcf_frame_scratch {
    char text[VCF_FRAME_MAX];
    vcf_adapter_param params[VCF_FRAME_MAX_PARAMS];
} vcf_frame_scratch;

/* vcf_frame_decode results */
#define VCF_FRAME_OK        0
#define VCF_FRAME_MALFORMED (-1) /* err names the byte offset and what was expected */
#define VCF_FRAME_UNKNOWN_OP                                                                       \
    (-2) /* well framed, op not known: f->op and f->seq are set                                    \
          * (a reply refusing an unknown op decodes as OK) */

/*
 * Decode the frame in buf, exactly len bytes. Byte strings in f point into buf, strings and
 * parameters into s: f is valid while both are. Anything malformed is rejected with err naming
 * the byte offset within the frame, the field, and what was expected.
 */
int vcf_frame_decode(const uint8_t *buf, size_t len, vcf_frame *f, vcf_frame_scratch *s, char *err,
                     size_t err_len);

#endif /* VCF_HARNESS_FRAME_H */
