/* SPDX-License-Identifier: MIT */
/*
 * vconform: the RPMsg reference model, one side of a link.
 *
 * A model instance plays the driver side (as Linux's virtio_rpmsg_bus does) or the device side
 * (as OpenAMP remotes and the vhost RPMsg proposal do). It is fed what arrives from the peer
 * (vcf_rpmsg_model_rx) and what its upper layer asks for (create or destroy an endpoint, send,
 * announce), and for each input it says exactly what a conforming side does:
 *
 *   - the buffer it puts on the wire, byte for byte (at most one per input);
 *   - the upper-layer events (message delivered to an endpoint, channel opened or closed);
 *   - a verdict for every drop, refusal or tolerated peer violation, naming the catalogue rule
 *     it rests on (see rpmsg_rules.h and docs/rules/rpmsg.md).
 *
 * Profiles choose how the model behaves where stacks differ:
 *   strict   the catalogue's MUST/SHOULD/MAY rules (the default);
 *   linux    Linux virtio_rpmsg_bus / rpmsg_ns as documented by the IMPL rules marked "linux";
 *   openamp  OpenAMP lib/rpmsg as documented by the IMPL rules marked "openamp".
 * Where a profile departs from strict, the verdict names both the rule and the IMPL rule.
 *
 * The model is deterministic: no clocks, randomness, I/O, allocation or global state. All state
 * lives in the vcf_rpmsg_model object, so a session replays exactly from its inputs. The object
 * is large (it holds one maximum-size transmit frame); allocate it statically or on the heap.
 */
#ifndef VCONFORM_RPMSG_MODEL_H
#define VCONFORM_RPMSG_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "rpmsg.h"
#include "rpmsg_rules.h"
#include "wire.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VCF_VIRTIO_F_VERSION_1 32u /* virtio feature bit: little-endian, modern device */

#define VCF_RPMSG_MAX_EPTS       256u /* endpoints one side can hold */
#define VCF_RPMSG_MAX_CHANNELS   256u /* channels announced by the peer that one side tracks */
#define VCF_RPMSG_MAX_FRAME      (VCF_RPMSG_HDR_SIZE + VCF_RPMSG_MAX_LEN) /* 65551 */
#define VCF_RPMSG_MAX_EVENTS     4u
#define VCF_RPMSG_MAX_VERDICTS   8u
#define VCF_RPMSG_DEFAULT_BUFS   256u        /* Linux: 512 buffers in total, half per direction */
#define VCF_RPMSG_OPENAMP_POOL   128u        /* OpenAMP: dynamic addresses 1024..1151 */
#define VCF_RPMSG_LINUX_ADDR_MAX 0x7FFFFFFFu /* Linux binds addresses up to INT_MAX */

typedef enum vcf_rpmsg_role {
    VCF_RPMSG_ROLE_DRIVER = 0, /* sends on queue 1, receives on queue 0; owns the buffers */
    VCF_RPMSG_ROLE_DEVICE = 1  /* sends on queue 0 into buffers the driver posted */
} vcf_rpmsg_role;

typedef enum vcf_rpmsg_profile {
    VCF_RPMSG_PROFILE_STRICT = 0,
    VCF_RPMSG_PROFILE_LINUX = 1,
    VCF_RPMSG_PROFILE_OPENAMP = 2
} vcf_rpmsg_profile;

typedef struct vcf_rpmsg_config {
    vcf_rpmsg_role role;
    vcf_rpmsg_profile profile;
    uint64_t features;           /* negotiated: bit VCF_RPMSG_F_NS, bit VCF_VIRTIO_F_VERSION_1 */
    vcf_byte_order legacy_order; /* the order a legacy link uses: the driver's native order.
                                  * The openamp profile uses it even with VERSION_1 (END-03). */
    uint32_t buf_size;           /* size of every buffer, header included (default 512) */
    uint32_t tx_bufs;            /* buffers this side can send into at start (default 256):
                                  * its own tx buffers (driver) or posted rx buffers (device) */
    uint32_t addr_first;         /* dynamic address pool; 0 and 0 take the profile's pool: */
    uint32_t addr_last;          /* strict 1024..0xFFFFFFFE, linux ..INT_MAX, openamp ..1151 */
} vcf_rpmsg_config;

/* Driver role, strict profile, F_NS and VERSION_1 negotiated, 512-byte buffers, 256 of them. */
void vcf_rpmsg_config_default(vcf_rpmsg_config *cfg);

/* The byte order of a link (RPMSG-END-01): little-endian with VERSION_1, else legacy_order. */
vcf_byte_order vcf_rpmsg_link_order(uint64_t features, vcf_byte_order legacy_order);

/* The features a driver of this profile accepts from the device's offer (RPMSG-INIT-01):
 * strict and linux take F_NS and VERSION_1 only; openamp takes everything (INIT-02). */
uint64_t vcf_rpmsg_negotiate(vcf_rpmsg_profile profile, uint64_t offered);

const char *vcf_rpmsg_role_name(vcf_rpmsg_role role);       /* "driver", "device" */
const char *vcf_rpmsg_profile_name(vcf_rpmsg_profile prof); /* "strict", "linux", "openamp" */
/* Parse a name as printed above; returns 0, or VCF_E_INVAL. */
int vcf_rpmsg_profile_parse(const char *name, vcf_rpmsg_profile *out);
int vcf_rpmsg_role_parse(const char *name, vcf_rpmsg_role *out);

/* ---- outputs ------------------------------------------------------------------------------ */

/* What the model did about a rule. */
typedef enum vcf_rpmsg_action {
    VCF_RPMSG_ACT_DROP = 0,   /* a received message was discarded */
    VCF_RPMSG_ACT_REFUSE = 1, /* an upper-layer request was refused; nothing was sent */
    VCF_RPMSG_ACT_NOTE = 2,   /* the peer broke the rule; the model went on as the rules say */
    VCF_RPMSG_ACT_DEVIATE = 3 /* the profile reproduces a stack that does not follow the rule */
} vcf_rpmsg_action;

typedef struct vcf_rpmsg_verdict {
    vcf_rpmsg_rule rule; /* the catalogue rule the decision rests on */
    vcf_rpmsg_rule impl; /* the profile's IMPL rule when it decided, else VCF_RPMSG_RULE_NONE */
    vcf_rpmsg_action action;
    vcf_error error; /* what was found: status, field, offset, expected/actual */
} vcf_rpmsg_verdict;

typedef enum vcf_rpmsg_event_type {
    VCF_RPMSG_EV_DELIVER = 0,           /* message for local endpoint ept from addr */
    VCF_RPMSG_EV_CHANNEL_CREATED = 1,   /* the peer announced name at addr */
    VCF_RPMSG_EV_CHANNEL_DESTROYED = 2, /* the peer withdrew name at addr */
    VCF_RPMSG_EV_EPT_BOUND = 3,         /* local endpoint ept now sends to addr */
    VCF_RPMSG_EV_EPT_UNBOUND = 4        /* local endpoint ept lost its destination */
} vcf_rpmsg_event_type;

typedef struct vcf_rpmsg_event {
    vcf_rpmsg_event_type type;
    uint32_t ept;       /* local endpoint address (DELIVER, EPT_*) */
    uint32_t addr;      /* peer address: message source, or announced address */
    vcf_bytes payload;  /* DELIVER: the bytes delivered, borrowed from the rx input */
    size_t claimed_len; /* DELIVER: the length the endpoint is told; larger than payload.len
                         * only when a profile reproduces a stack that reads past the message */
    uint8_t name[VCF_RPMSG_NAME_SIZE]; /* CHANNEL_*, EPT_*: service name, zero-padded */
    size_t name_len;
} vcf_rpmsg_event;

/* A buffer the model puts on the wire. */
typedef struct vcf_rpmsg_tx {
    unsigned vq;         /* 0: device to driver, 1: driver to device (RPMSG-VQ-01) */
    const uint8_t *data; /* 16 + len bytes, owned by the model, valid until its next call */
    size_t len;
    size_t reported_len; /* length put in the ring: used length (device) or descriptor length
                          * (driver); 16 + len, or the whole buffer in the openamp profile */
} vcf_rpmsg_tx;

typedef struct vcf_rpmsg_output {
    int status;    /* VCF_OK, or why the input was dropped or the request refused */
    uint32_t addr; /* create: the address bound */
    bool has_tx;   /* tx is valid */
    vcf_rpmsg_tx tx;
    bool rx_returned; /* rx: the buffer is handed back for reuse (RPMSG-HDR-12) */
    bool rx_continue; /* rx: the following buffers are processed now */
    size_t n_events;
    vcf_rpmsg_event events[VCF_RPMSG_MAX_EVENTS];
    size_t n_verdicts;    /* verdicts stored (at most VCF_RPMSG_MAX_VERDICTS) */
    size_t verdicts_lost; /* verdicts that did not fit */
    vcf_rpmsg_verdict verdicts[VCF_RPMSG_MAX_VERDICTS];
} vcf_rpmsg_output;

/* ---- state -------------------------------------------------------------------------------- */

typedef struct vcf_rpmsg_ept {
    uint32_t addr;
    uint32_t dest; /* default destination, ANY when unbound */
    uint8_t name[VCF_RPMSG_NAME_SIZE];
    size_t name_len; /* 0: unnamed */
    bool announced;  /* a create was sent and not yet withdrawn */
} vcf_rpmsg_ept;

typedef struct vcf_rpmsg_channel {
    uint8_t name[VCF_RPMSG_NAME_SIZE];
    size_t name_len;
    uint32_t addr; /* the peer's endpoint */
} vcf_rpmsg_channel;

/* Treat as read-only: use the accessors below. */
typedef struct vcf_rpmsg_model {
    vcf_rpmsg_config cfg;
    vcf_byte_order order;
    uint32_t pool_first, pool_last, pool_next;
    uint32_t tx_free;
    size_t n_epts;
    vcf_rpmsg_ept epts[VCF_RPMSG_MAX_EPTS]; /* in creation order */
    size_t n_channels;
    vcf_rpmsg_channel channels[VCF_RPMSG_MAX_CHANNELS]; /* in announcement order */
    uint8_t txbuf[VCF_RPMSG_MAX_FRAME];
} vcf_rpmsg_model;

/*
 * Start a side with the given configuration (NULL: vcf_rpmsg_config_default). Fails with
 * VCF_E_INVAL, and err naming the field, for a buffer size outside 16..65551, an empty or
 * inverted address pool, or (strict and linux) negotiated features the profile does not know.
 */
int vcf_rpmsg_model_init(vcf_rpmsg_model *m, const vcf_rpmsg_config *cfg, vcf_error *err);

/* ---- inputs ------------------------------------------------------------------------------- */

/* A buffer received from the peer. */
typedef struct vcf_rpmsg_rxbuf {
    const uint8_t *data; /* the buffer's bytes; the model reads no more than data_len of them */
    size_t data_len;     /* at least min(used_len, capacity) */
    size_t used_len;     /* length the peer reported (used length, or descriptor length) */
    size_t capacity;     /* size of the posted buffer; 0 means the configured buf_size */
} vcf_rpmsg_rxbuf;

/* Process one received buffer. out->status is VCF_OK if the message was delivered or
 * processed, else the status of the drop (verdicts say why). */
int vcf_rpmsg_model_rx(vcf_rpmsg_model *m, const vcf_rpmsg_rxbuf *rx, vcf_rpmsg_output *out);

/* Create an endpoint. name NULL or "" for none; addr ANY for a dynamic address; dest ANY for
 * none. The address bound is in out->addr. Named endpoints may be announced, per profile. */
int vcf_rpmsg_model_create(vcf_rpmsg_model *m, const char *name, uint32_t addr, uint32_t dest,
                           vcf_rpmsg_output *out);

/* Destroy the endpoint at addr, withdrawing its announcement per profile. */
int vcf_rpmsg_model_destroy(vcf_rpmsg_model *m, uint32_t addr, vcf_rpmsg_output *out);

/* Send len payload bytes from src to dst. */
int vcf_rpmsg_model_send(vcf_rpmsg_model *m, uint32_t src, uint32_t dst, const void *payload,
                         size_t len, vcf_rpmsg_output *out);

/* Announce (or, with destroy, withdraw) the named endpoint at addr. */
int vcf_rpmsg_model_announce(vcf_rpmsg_model *m, uint32_t addr, bool destroy,
                             vcf_rpmsg_output *out);

/* The peer gave back n transmit buffers (driver: used buffers on queue 1; device: newly posted
 * buffers on queue 0). VCF_E_INVAL if that would exceed the configured tx_bufs. */
int vcf_rpmsg_model_tx_returned(vcf_rpmsg_model *m, uint32_t n, vcf_error *err);

/* ---- inspection --------------------------------------------------------------------------- */

vcf_byte_order vcf_rpmsg_model_order(const vcf_rpmsg_model *m);
bool vcf_rpmsg_model_ns(const vcf_rpmsg_model *m); /* F_NS negotiated */
uint32_t vcf_rpmsg_model_tx_free(const vcf_rpmsg_model *m);
size_t vcf_rpmsg_model_ept_count(const vcf_rpmsg_model *m);
const vcf_rpmsg_ept *vcf_rpmsg_model_ept_at(const vcf_rpmsg_model *m, size_t i);
const vcf_rpmsg_ept *vcf_rpmsg_model_ept_find(const vcf_rpmsg_model *m, uint32_t addr);
size_t vcf_rpmsg_model_channel_count(const vcf_rpmsg_model *m);
const vcf_rpmsg_channel *vcf_rpmsg_model_channel_at(const vcf_rpmsg_model *m, size_t i);

/* The first verdict of out naming rule, or NULL. */
const vcf_rpmsg_verdict *vcf_rpmsg_output_find(const vcf_rpmsg_output *out, vcf_rpmsg_rule rule);

const char *vcf_rpmsg_action_name(vcf_rpmsg_action action);  /* "drop", "refuse", ... */
const char *vcf_rpmsg_event_name(vcf_rpmsg_event_type type); /* "deliver", ... */

#ifdef __cplusplus
}
#endif

#endif /* VCONFORM_RPMSG_MODEL_H */
