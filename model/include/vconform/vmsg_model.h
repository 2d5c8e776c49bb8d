/* SPDX-License-Identifier: MIT */
/*
 * vconform: the virtio-msg reference model — device, driver and bus.
 *
 * Three state machines, one per role of the virtio-msg transport, each able to be the peer of an
 * implementation of the opposite role:
 *
 *   device  a configurable virtio device behind the transport: answers every transport request
 *           (device info, features, config space with generation count, status, virtqueues,
 *           shared memory) and sends EVENT_CONFIG and EVENT_USED;
 *   driver  the transport's driver side: runs the standard initialisation one request at a time,
 *           validates every response, then serves the upper layer (config reads and writes,
 *           notifications, queue resets, device reset) and handles EVENT_CONFIG / EVENT_USED;
 *   bus     both halves of a bus: the responder (answers GET_DEVICES and PING, announces
 *           hotplug with EVENT_DEVICE), the requester (enumerates with GET_DEVICES, pings,
 *           follows EVENT_DEVICE), and the relay between driver and devices (routing, token
 *           ownership, exactly one response per request, in order).
 *
 * Every input is a message (bytes) or an upper-layer request; every output says what a
 * conforming side does: the messages it sends (byte for byte), the upper-layer events, and a
 * verdict for each decision that rests on a rule — a drop, a refusal, a tolerated violation of
 * the peer, or a departure a profile reproduces — naming the rule (vmsg_rules.h).
 *
 * Where the drafts are silent or contradict each other, the choice is an explicit option in
 * vcf_vmsg_options (docs/rules/virtio-msg.md, "Readings"), so a golden vector can state which
 * reading it assumes. Profiles reproduce the documented behaviour of real stacks (IMPL rules).
 *
 * Deterministic: no clocks, randomness, I/O, allocation or global state. The objects are large
 * (each holds its transmit arena); allocate them statically or on the heap.
 */
#ifndef VCONFORM_VMSG_MODEL_H
#define VCONFORM_VMSG_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "vmsg.h"
#include "vmsg_rules.h"
#include "wire.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VCF_VMSG_MAX_FEATURE_BLOCKS 16u   /* 512 feature bits per device */
#define VCF_VMSG_MAX_CONFIG         4096u /* configuration space bytes */
#define VCF_VMSG_MAX_VQS            64u   /* virtqueues per device */
#define VCF_VMSG_MAX_SHM            16u   /* shared memory regions per device */
#define VCF_VMSG_MAX_TX             4u    /* messages one input can produce */
#define VCF_VMSG_MAX_EVENTS         4u
#define VCF_VMSG_MAX_VERDICTS       8u
#define VCF_VMSG_DEFAULT_MAX_SIZE   VCF_VMSG_RECOMMENDED_MAX_MSG_SIZE /* 264 */

/* ---- common: link parameters, readings, profiles --------------------------------------------- */

/* §9 A14: what a device does with a request the driver was not allowed to send now (a status
 * write that clears bits, features after FEATURES_OK, SET_VQUEUE on a live queue, ...). */
typedef enum vcf_vmsg_on_violation {
    VCF_VMSG_VIOLATION_NOOP = 0, /* answer normally, change nothing (default) */
    VCF_VMSG_VIOLATION_APPLY = 1 /* answer and apply it anyway */
} vcf_vmsg_on_violation;

/* §9 A15: a request whose response cannot fit the maximum message size or that reaches past
 * the configuration space or feature blocks the device can report. */
typedef enum vcf_vmsg_oversize {
    VCF_VMSG_OVERSIZE_DISCARD = 0, /* no response (default): the bus reports the failure */
    VCF_VMSG_OVERSIZE_CLAMP = 1    /* answer with the largest part that fits */
} vcf_vmsg_oversize;

/* §9 A4: what GET_DEVICE_FEATURES shows after SET_DRIVER_FEATURES. */
typedef enum vcf_vmsg_feature_report {
    VCF_VMSG_REPORT_OFFERED = 0, /* always the offered bits (default; QEMU) */
    VCF_VMSG_REPORT_ACKED = 1    /* the acknowledged bits once the driver has written them */
} vcf_vmsg_feature_report;

/* Stacks whose documented behaviour a model can reproduce (IMPL rules). */
typedef enum vcf_vmsg_profile {
    VCF_VMSG_PROFILE_STRICT = 0, /* the catalogue's MUST/SHOULD/MAY rules */
    VCF_VMSG_PROFILE_QEMU = 1,   /* edgarigl/qemu device and bus (FEAT-08, GEN-09, HDR-17) */
    VCF_VMSG_PROFILE_LINUX = 2,  /* the 2026 Linux transport driver (HDR-16) */
    VCF_VMSG_PROFILE_OPTEE = 3   /* the OP-TEE device and bus (ERR-06, GETDEV-06) */
} vcf_vmsg_profile;

typedef struct vcf_vmsg_options {
    vcf_vmsg_on_violation on_violation; /* A14 */
    vcf_vmsg_oversize oversize;         /* A15 */
    vcf_vmsg_feature_report report;     /* A4 */
    bool set_config_echo;               /* A5: SET_CONFIG response echoes the data written */
    bool partial_set_config;            /* A5: a write reaching past config_size applies the
                                         * part inside it (length = bytes applied); default:
                                         * rejected whole (length 0) */
    bool set_config_bumps_gen;          /* A16: the driver's own write moves the generation */
    uint32_t gen_init;                  /* A16: the generation a new device starts with */
    bool reset_vq_needs_ring_reset;     /* A7: RESET_VQUEUE without VIRTIO_F_RING_RESET is
                                         * answered but does nothing; default: honoured */
    bool status_order_enforced;         /* A14: status bits must be added in initialisation
                                         * order (DRIVER needs ACKNOWLEDGE, ...) */
    bool inactive_silent;               /* A2: an inactive device ignores GET_DEVICE_INFO too;
                                         * default: answers it with all fields 0 */
    bool echo_token;                    /* A13: PR28 responses copy the request's token
                                         * (default true; RFC3 always echoes) */
    bool getdev_round;                  /* A11: a GET_DEVICES window that is not a multiple
                                         * of 8 is rounded out; default: discarded */
    bool validate_queue_size;           /* split rings need a power-of-two size (BASE) */
    bool event_config_data;             /* NOTIF-06: EVENT_CONFIG carries the changed bytes
                                         * when they fit (default true); false: always
                                         * length 0, the driver reads them (QEMU) */
} vcf_vmsg_options;

typedef struct vcf_vmsg_link {
    vcf_vmsg_rev rev;      /* VCF_VMSG_REV_PR28 by default */
    uint32_t max_msg_size; /* the bus maximum, header included: 44..65535 (default 264) */
    vcf_vmsg_profile profile;
    vcf_vmsg_options opt;
} vcf_vmsg_link;

/* PR28, 264-byte messages, strict profile, the default readings above. */
void vcf_vmsg_link_default(vcf_vmsg_link *link);

const char *vcf_vmsg_profile_name(vcf_vmsg_profile profile); /* "strict", "qemu", ... */
int vcf_vmsg_profile_parse(const char *name, vcf_vmsg_profile *out);

/* ---- common: outputs --------------------------------------------------------------------------
 */

typedef enum vcf_vmsg_action {
    VCF_VMSG_ACT_DROP = 0,   /* a received message was discarded, nothing sent in reply */
    VCF_VMSG_ACT_REFUSE = 1, /* an upper-layer request was refused; nothing was sent */
    VCF_VMSG_ACT_NOTE = 2,   /* the peer broke the rule; the model went on as the rules say */
    VCF_VMSG_ACT_DEVIATE = 3 /* the profile reproduces a stack that does not follow the rule */
} vcf_vmsg_action;

typedef struct vcf_vmsg_verdict {
    vcf_vmsg_rule rule; /* the rule the decision rests on; VCF_VMSG_RULE_NONE only for a codec
                         * finding no catalogue rule states (status bits 8..31, reserved
                         * EVENT_DEVICE states: readings A12 and A19) */
    vcf_vmsg_rule impl; /* the profile's IMPL rule when it decided, else VCF_VMSG_RULE_NONE */
    vcf_vmsg_action action;
    vcf_error error; /* what was found: status, field, offset, expected/actual; error.rule */
} vcf_vmsg_verdict;

/* Where a message goes. Device and driver models only ever send to their peer. */
typedef enum vcf_vmsg_dest {
    VCF_VMSG_TO_PEER = 0,   /* the other end of this model's link */
    VCF_VMSG_TO_DRIVER = 1, /* bus relay: towards the driver */
    VCF_VMSG_TO_DEVICE = 2  /* bus relay: towards the device in the header's dev_num */
} vcf_vmsg_dest;

typedef struct vcf_vmsg_tx {
    vcf_vmsg_dest dest;
    const uint8_t *data; /* owned by the model, valid until its next call */
    size_t len;          /* equals the msg_size in the header */
} vcf_vmsg_tx;

typedef enum vcf_vmsg_event_type {
    /* device */
    VCF_VMSG_EV_RESET = 0,          /* status written 0: the device reset */
    VCF_VMSG_EV_STATUS = 1,         /* status changed to value (features_ok: accepted or not) */
    VCF_VMSG_EV_FEATURES = 2,       /* driver features written (index = first block) */
    VCF_VMSG_EV_CONFIG_WRITTEN = 3, /* offset, length applied by SET_CONFIG */
    VCF_VMSG_EV_VQ_CONFIGURED = 4,  /* queue index set up by SET_VQUEUE */
    VCF_VMSG_EV_VQ_RESET = 5,       /* queue index reset by RESET_VQUEUE */
    VCF_VMSG_EV_AVAIL = 6,          /* EVENT_AVAIL for queue index, value = next_offset */
    /* driver */
    VCF_VMSG_EV_READY = 7,            /* initialisation complete: DRIVER_OK accepted */
    VCF_VMSG_EV_INIT_FAILED = 8,      /* initialisation stopped (the verdicts say why) */
    VCF_VMSG_EV_NO_DEVICE = 9,        /* GET_DEVICE_INFO says no device (device_id 0) */
    VCF_VMSG_EV_CONFIG_CHANGED = 10,  /* the config view changed: offset, length, value = gen */
    VCF_VMSG_EV_CONFIG_READ = 11,     /* an upper-layer read completed: offset, length */
    VCF_VMSG_EV_CONFIG_REJECTED = 12, /* SET_CONFIG refused (stale generation): offset */
    VCF_VMSG_EV_USED = 13,            /* EVENT_USED for queue index */
    VCF_VMSG_EV_NEEDS_RESET = 14,     /* the device asked for a reset; the driver re-initialises */
    VCF_VMSG_EV_SHM = 15,             /* GET_SHM answered: index, length, value = address */
    VCF_VMSG_EV_DONE = 16,            /* an upper-layer request completed (status, queue reset) */
    /* bus */
    VCF_VMSG_EV_DEVICE_READY = 17,   /* device number index became present (length: how many
                                      * became present at once, from index up) */
    VCF_VMSG_EV_DEVICE_REMOVED = 18, /* device number index went away */
    VCF_VMSG_EV_ENUM_DONE = 19,      /* enumeration finished: length = devices found */
    VCF_VMSG_EV_PONG = 20,           /* PING answered: value = data */
    VCF_VMSG_EV_FAILURE = 21         /* requests failed locally (timeout, removal): index =
                                      * dev_num, length = how many, offset = the first one's
                                      * msg_id, value = its driver token */
} vcf_vmsg_event_type;

typedef struct vcf_vmsg_event {
    vcf_vmsg_event_type type;
    uint32_t index;  /* queue, block, device number or shared memory region */
    uint32_t offset; /* config offset */
    uint32_t length; /* config length, or a count */
    uint64_t value;  /* status, next_offset, generation, address or ping data */
} vcf_vmsg_event;

typedef struct vcf_vmsg_output {
    int status; /* VCF_OK, or the status of the first drop or refusal */
    size_t n_tx;
    vcf_vmsg_tx tx[VCF_VMSG_MAX_TX];
    size_t n_events;
    vcf_vmsg_event events[VCF_VMSG_MAX_EVENTS];
    size_t n_verdicts;
    size_t verdicts_lost; /* verdicts that did not fit */
    vcf_vmsg_verdict verdicts[VCF_VMSG_MAX_VERDICTS];
} vcf_vmsg_output;

/* The first verdict naming rule, or NULL. */
const vcf_vmsg_verdict *vcf_vmsg_output_find(const vcf_vmsg_output *out, vcf_vmsg_rule rule);
/* The first event of a type, or NULL. */
const vcf_vmsg_event *vcf_vmsg_output_event(const vcf_vmsg_output *out, vcf_vmsg_event_type type);
const char *vcf_vmsg_action_name(vcf_vmsg_action action);  /* "drop", "refuse", ... */
const char *vcf_vmsg_event_name(vcf_vmsg_event_type type); /* "reset", "status", ... */

/* Transmit arena shared by the three roles. */
typedef struct vcf_vmsg_arena {
    size_t used;
    uint8_t buf[VCF_VMSG_MAX_TX * VCF_VMSG_MSG_SIZE_LIMIT];
} vcf_vmsg_arena;

/* ---- device -----------------------------------------------------------------------------------
 */

typedef struct vcf_vmsg_shm_region {
    uint32_t length; /* 0: no region */
    uint32_t address;
} vcf_vmsg_shm_region;

typedef struct vcf_vmsg_device_config {
    vcf_vmsg_link link;
    uint16_t dev_num;
    uint32_t device_id; /* virtio device type; 0 is not a device */
    uint32_t vendor_id;
    uint32_t num_feature_bits; /* a multiple of 32, at most 32 * VCF_VMSG_MAX_FEATURE_BLOCKS */
    uint32_t offered[VCF_VMSG_MAX_FEATURE_BLOCKS];  /* feature bits offered, block by block */
    uint32_t required[VCF_VMSG_MAX_FEATURE_BLOCKS]; /* bits without which FEATURES_OK is
                                                     * refused (a subset of offered) */
    uint32_t config_size;
    uint8_t config[VCF_VMSG_MAX_CONFIG];    /* initial configuration space */
    uint32_t max_virtqueues;                /* at most VCF_VMSG_MAX_VQS */
    uint32_t vq_max_size[VCF_VMSG_MAX_VQS]; /* 0: the queue is unusable */
    uint16_t admin_vq_start, admin_vq_count;
    uint32_t num_shm;
    vcf_vmsg_shm_region shm[VCF_VMSG_MAX_SHM];
    bool inactive; /* starts inactive (not yet present on the bus) */
} vcf_vmsg_device_config;

/* Device 1: a network device (ID 1, vendor 0x554D4551) offering VERSION_1 and RING_RESET with
 * 64 feature bits, a 12-byte config space, three queues of 256, no SHM, active. */
void vcf_vmsg_device_config_default(vcf_vmsg_device_config *cfg);

typedef enum vcf_vmsg_vq_state {
    VCF_VMSG_VQ_INACTIVE = 0,   /* cur_size 0, no addresses */
    VCF_VMSG_VQ_CONFIGURED = 1, /* SET_VQUEUE applied, waiting for DRIVER_OK */
    VCF_VMSG_VQ_LIVE = 2        /* configured and DRIVER_OK set: the device serves it */
} vcf_vmsg_vq_state;

typedef struct vcf_vmsg_vq {
    vcf_vmsg_vq_state state;
    uint32_t size;
    uint64_t desc_addr, driver_addr, device_addr;
} vcf_vmsg_vq;

/* Treat as read-only: use the accessors. */
typedef struct vcf_vmsg_device {
    vcf_vmsg_device_config cfg;
    uint32_t status;
    uint32_t generation;
    uint32_t driver_features[VCF_VMSG_MAX_FEATURE_BLOCKS];
    bool features_written;    /* SET_DRIVER_FEATURES seen since the last reset */
    bool unsupported_written; /* bits written beyond the implemented blocks */
    uint8_t config[VCF_VMSG_MAX_CONFIG];
    vcf_vmsg_vq vqs[VCF_VMSG_MAX_VQS];
    uint8_t scratch[VCF_VMSG_MSG_SIZE_LIMIT]; /* feature blocks of a response being built */
    vcf_vmsg_arena arena;
} vcf_vmsg_device;

/* Start a device. VCF_E_INVAL, err naming the field, for a configuration out of range. */
int vcf_vmsg_device_init(vcf_vmsg_device *d, const vcf_vmsg_device_config *cfg, vcf_error *err);

/* A message from the driver (through the bus). At most one response, never one to an event. */
int vcf_vmsg_device_rx(vcf_vmsg_device *d, const uint8_t *buf, size_t len, vcf_vmsg_output *out);

/* The device changes its own configuration (len bytes at offset): the generation moves first,
 * then EVENT_CONFIG announces it (with the data when it fits, else length 0). */
int vcf_vmsg_device_config_change(vcf_vmsg_device *d, uint32_t offset, const void *data,
                                  uint32_t len, vcf_vmsg_output *out);

/* The device hit an error it cannot recover from: DEVICE_NEEDS_RESET, announced with
 * EVENT_CONFIG once the driver has set DRIVER_OK. */
int vcf_vmsg_device_fail(vcf_vmsg_device *d, vcf_vmsg_output *out);

/* The device consumed buffers of queue vq: EVENT_USED. Refused before DRIVER_OK or for a queue
 * that is not configured. */
int vcf_vmsg_device_used(vcf_vmsg_device *d, uint32_t vq, vcf_vmsg_output *out);

/* The device becomes active (present on the bus) or inactive. */
void vcf_vmsg_device_set_active(vcf_vmsg_device *d, bool active);

uint32_t vcf_vmsg_device_status(const vcf_vmsg_device *d);
uint32_t vcf_vmsg_device_generation(const vcf_vmsg_device *d);
/* Negotiated feature block i (what the driver wrote and the device accepted). */
uint32_t vcf_vmsg_device_features(const vcf_vmsg_device *d, uint32_t block);
const vcf_vmsg_vq *vcf_vmsg_device_vq(const vcf_vmsg_device *d, uint32_t index);
const uint8_t *vcf_vmsg_device_config_space(const vcf_vmsg_device *d);

/* ---- driver -----------------------------------------------------------------------------------
 */

typedef struct vcf_vmsg_driver_config {
    vcf_vmsg_link link;
    uint16_t dev_num;
    uint32_t wanted[VCF_VMSG_MAX_FEATURE_BLOCKS]; /* features the driver supports */
    uint32_t num_queues;                          /* queues to set up (capped by max_virtqueues) */
    uint32_t queue_size; /* wanted size of each (capped by the queue's max_size) */
    uint64_t ring_base;  /* queue i's areas: base + i * 0x10000 (+0, +0x4000, +0x8000) */
    bool read_config;    /* read the whole config space during initialisation */
} vcf_vmsg_driver_config;

/* Device 1; wants VERSION_1, RING_RESET and NOTIFICATION_DATA; sets up 2 queues of 256 at
 * 0x40000000; reads the config space. */
void vcf_vmsg_driver_config_default(vcf_vmsg_driver_config *cfg);

typedef enum vcf_vmsg_driver_state {
    VCF_VMSG_DRV_IDLE = 0,      /* not started, or reset by the upper layer */
    VCF_VMSG_DRV_INIT = 1,      /* initialisation in progress (step in drv->step) */
    VCF_VMSG_DRV_READY = 2,     /* DRIVER_OK set and accepted: normal operation */
    VCF_VMSG_DRV_FAILED = 3,    /* initialisation gave up (FAILED written when possible) */
    VCF_VMSG_DRV_NO_DEVICE = 4, /* device_id 0 */
    VCF_VMSG_DRV_REMOVED = 5    /* EVENT_DEVICE said the device is gone */
} vcf_vmsg_driver_state;

/* Treat as read-only. */
typedef struct vcf_vmsg_driver {
    vcf_vmsg_driver_config cfg;
    vcf_vmsg_driver_state state;
    int step;                 /* internal initialisation or operation step */
    bool busy;                /* a request is outstanding */
    uint8_t req_type, req_id; /* the outstanding request */
    uint16_t req_token, next_token;
    uint32_t req_a, req_b; /* its parameters (index, offset, length, status) */
    vcf_vmsg_device_info info;
    bool have_info;
    uint32_t status; /* last status the device reported */
    uint32_t offered[VCF_VMSG_MAX_FEATURE_BLOCKS];
    uint32_t negotiated[VCF_VMSG_MAX_FEATURE_BLOCKS];
    uint32_t generation;
    bool have_generation;
    uint32_t read_pos, read_gen, read_retries;
    uint8_t config[VCF_VMSG_MAX_CONFIG];
    uint32_t vq_next; /* queue being set up */
    vcf_vmsg_vq vqs[VCF_VMSG_MAX_VQS];
    uint32_t pending_off, pending_len; /* upper-layer config write */
    uint8_t pending[VCF_VMSG_MAX_CONFIG];
    vcf_vmsg_arena arena;
} vcf_vmsg_driver;

int vcf_vmsg_driver_init(vcf_vmsg_driver *drv, const vcf_vmsg_driver_config *cfg, vcf_error *err);

/* Begin initialisation: GET_DEVICE_INFO. Every response then drives the next step. Also the
 * answer to EVENT_DEVICE READY: a probe after a removal, nothing while already initialising or
 * running (a duplicate READY). */
int vcf_vmsg_driver_start(vcf_vmsg_driver *drv, vcf_vmsg_output *out);

/* A message from the device (through the bus). */
int vcf_vmsg_driver_rx(vcf_vmsg_driver *drv, const uint8_t *buf, size_t len, vcf_vmsg_output *out);

/* The bus gave up on the outstanding request (no response): the step fails. */
int vcf_vmsg_driver_timeout(vcf_vmsg_driver *drv, vcf_vmsg_output *out);

/* Upper-layer requests; each is refused (VCF_E_AGAIN) while another request is outstanding,
 * except notify (EVENT_AVAIL needs no response). */
int vcf_vmsg_driver_config_read(vcf_vmsg_driver *drv, uint32_t offset, uint32_t len,
                                vcf_vmsg_output *out);
int vcf_vmsg_driver_config_write(vcf_vmsg_driver *drv, uint32_t offset, const void *data,
                                 uint32_t len, vcf_vmsg_output *out);
int vcf_vmsg_driver_notify(vcf_vmsg_driver *drv, uint32_t vq, uint32_t next_offset,
                           vcf_vmsg_output *out);
int vcf_vmsg_driver_reset_vq(vcf_vmsg_driver *drv, uint32_t vq, vcf_vmsg_output *out);
/* Set up one inactive queue after initialisation (a new one, or one reset before) with the
 * steps initialisation uses: GET_VQUEUE, SET_VQUEUE, GET_VQUEUE to verify; DONE event with
 * index, length = the size set (0: the device has no such queue). */
int vcf_vmsg_driver_setup_vq(vcf_vmsg_driver *drv, uint32_t vq, vcf_vmsg_output *out);
int vcf_vmsg_driver_get_status(vcf_vmsg_driver *drv, vcf_vmsg_output *out);
int vcf_vmsg_driver_get_shm(vcf_vmsg_driver *drv, uint32_t index, vcf_vmsg_output *out);
/* Reset the device (status 0); with reinit the driver initialises it again afterwards. */
int vcf_vmsg_driver_reset(vcf_vmsg_driver *drv, bool reinit, vcf_vmsg_output *out);
/* The bus reported the device removed (EVENT_DEVICE REMOVED): stop, drop outstanding work. */
int vcf_vmsg_driver_removed(vcf_vmsg_driver *drv, vcf_vmsg_output *out);

vcf_vmsg_driver_state vcf_vmsg_driver_state_of(const vcf_vmsg_driver *drv);
const char *vcf_vmsg_driver_state_name(vcf_vmsg_driver_state state);
uint32_t vcf_vmsg_driver_negotiated(const vcf_vmsg_driver *drv, uint32_t block);
uint32_t vcf_vmsg_driver_generation(const vcf_vmsg_driver *drv);
const uint8_t *vcf_vmsg_driver_config_view(const vcf_vmsg_driver *drv);
const vcf_vmsg_vq *vcf_vmsg_driver_vq(const vcf_vmsg_driver *drv, uint32_t index);

/* ---- bus --------------------------------------------------------------------------------------
 */

#define VCF_VMSG_BUS_MAX_INFLIGHT 64u             /* relayed requests awaiting a response */
#define VCF_VMSG_BUS_MAX_HELD     VCF_VMSG_MAX_TX /* early responses held back for ordering */

typedef struct vcf_vmsg_bus_config {
    vcf_vmsg_link link;
    uint16_t window; /* GET_DEVICES count the requester asks for (multiple of 8; default 64) */
} vcf_vmsg_bus_config;

void vcf_vmsg_bus_config_default(vcf_vmsg_bus_config *cfg);

typedef struct vcf_vmsg_inflight {
    uint16_t dev_num;
    uint16_t bus_token;    /* the token the bus put on the forwarded request */
    uint16_t driver_token; /* the token the driver sent, restored in the response */
    uint8_t type, msg_id;
    int held; /* index in held[] of its early response, or -1 */
} vcf_vmsg_inflight;

/* A response that arrived before the responses to earlier requests to the same device. */
typedef struct vcf_vmsg_held {
    bool used;
    size_t len;
    uint8_t buf[VCF_VMSG_MSG_SIZE_LIMIT];
} vcf_vmsg_held;

/* Treat as read-only. */
typedef struct vcf_vmsg_bus {
    vcf_vmsg_bus_config cfg;
    uint8_t present[8192];   /* devices this side has (responder): bit n = device n */
    uint8_t validated[8192]; /* device numbers known valid (requester / relay) */
    uint16_t next_token;
    /* requester */
    bool enumerating, ping_pending;
    uint16_t enum_offset, req_token;
    uint32_t ping_data, found;
    /* relay */
    size_t n_inflight;
    vcf_vmsg_inflight inflight[VCF_VMSG_BUS_MAX_INFLIGHT]; /* in forwarding order */
    vcf_vmsg_held held[VCF_VMSG_BUS_MAX_HELD];
    vcf_vmsg_arena arena;
} vcf_vmsg_bus;

int vcf_vmsg_bus_init(vcf_vmsg_bus *b, const vcf_vmsg_bus_config *cfg, vcf_error *err);

/* Responder: device n is present or not. With announce, EVENT_DEVICE READY or REMOVED is sent
 * to the peer bus when the state changes. */
int vcf_vmsg_bus_set_device(vcf_vmsg_bus *b, uint16_t dev_num, bool present, bool announce,
                            vcf_vmsg_output *out);

/* A bus message from the peer bus: GET_DEVICES and PING requests are answered; their responses
 * drive enumeration and ping; EVENT_DEVICE updates the validated set. */
int vcf_vmsg_bus_rx(vcf_vmsg_bus *b, const uint8_t *buf, size_t len, vcf_vmsg_output *out);

/* Requester: start enumeration at device 0 (GET_DEVICES windows, following next_offset). */
int vcf_vmsg_bus_enumerate(vcf_vmsg_bus *b, vcf_vmsg_output *out);
/* Requester: PING with data. */
int vcf_vmsg_bus_ping(vcf_vmsg_bus *b, uint32_t data, vcf_vmsg_output *out);

/* Relay: a transport message from the driver, forwarded to its device (requests get a bus
 * token; the driver's is restored in the response). */
int vcf_vmsg_bus_from_driver(vcf_vmsg_bus *b, const uint8_t *buf, size_t len, vcf_vmsg_output *out);
/* Relay: a transport message from a device, forwarded to the driver in request order. */
int vcf_vmsg_bus_from_device(vcf_vmsg_bus *b, const uint8_t *buf, size_t len, vcf_vmsg_output *out);
/* Relay: the oldest request to dev_num will not be answered: a local failure replaces it. */
int vcf_vmsg_bus_timeout(vcf_vmsg_bus *b, uint16_t dev_num, vcf_vmsg_output *out);

bool vcf_vmsg_bus_is_present(const vcf_vmsg_bus *b, uint16_t dev_num);
bool vcf_vmsg_bus_is_validated(const vcf_vmsg_bus *b, uint16_t dev_num);
size_t vcf_vmsg_bus_inflight(const vcf_vmsg_bus *b, uint16_t dev_num);

#ifdef __cplusplus
}
#endif

#endif /* VCONFORM_VMSG_MODEL_H */
