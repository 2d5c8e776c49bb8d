/* SPDX-License-Identifier: MIT */
/*
 * vconform: the adapter ABI, the thin layer between the harness and an implementation under test.
 *
 * An adapter wraps one implementation (a Linux driver shim, an OpenAMP remote, a QEMU device
 * model, firmware, or vconform's own reference model) and lets the harness play its peer:
 *
 *   reset   start a fresh instance in one role with a group's parameters (key=value strings);
 *   inject  hand it a message as if its peer had sent it (lower tester);
 *   action  ask its upper layer to do something: create an endpoint, send, change the config,
 *           start driver initialisation, ... (upper tester);
 *   poll    take what it emitted since: messages it put on the wire and upper-layer events;
 *   idle    say whether it has finished reacting (for implementations with their own threads);
 *   close   release everything.
 *
 * A shared object exports one function, VCF_ADAPTER_INIT_SYMBOL, that fills a vcf_adapter. The
 * table starts with the ABI version and its own size, so later versions only ever append. The
 * same operations travel as length-prefixed frames over stdin/stdout for implementations that
 * live in another process, language, emulator or board (docs/adapter-protocol.md).
 *
 * Everything an implementation lacks is answered with VCF_ADAPTER_UNSUPPORTED: a role, a
 * parameter value, an action. The harness reports such cases as "unsupported", never as a pass
 * and never as a failure.
 *
 * Channels (where a message travels), per role:
 *   RPMsg           0 "vq0": device to driver (the driver's rx queue); 1 "vq1": driver to device
 *   virtio-msg device and driver   0 "link": the transport link to the other end
 *   virtio-msg bus  0 "peer": the other bus; 1 "driver": the local driver; 2 "device": a device
 *
 * Numbers in this header are part of the ABI and of the stdio protocol; they never change.
 */
#ifndef VCONFORM_ADAPTER_H
#define VCONFORM_ADAPTER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VCF_ADAPTER_ABI_VERSION 1u
#define VCF_ADAPTER_INIT_SYMBOL "vcf_adapter_init"

/* Return codes of every operation. */
#define VCF_ADAPTER_OK          0
#define VCF_ADAPTER_ERROR       (-1) /* the implementation or the adapter failed */
#define VCF_ADAPTER_UNSUPPORTED (-2) /* the implementation cannot do this */

/* The role of the implementation under test. */
typedef enum vcf_iut_role {
    VCF_IUT_NONE = 0,
    VCF_IUT_RPMSG_DRIVER = 1, /* Linux virtio_rpmsg_bus side: owns the buffers */
    VCF_IUT_RPMSG_DEVICE = 2, /* OpenAMP remote / vhost side */
    VCF_IUT_VMSG_DEVICE = 3,  /* virtio-msg device */
    VCF_IUT_VMSG_DRIVER = 4,  /* virtio-msg driver */
    VCF_IUT_VMSG_BUS = 5      /* virtio-msg bus (responder, requester and relay) */
} vcf_iut_role;
#define VCF_IUT_ROLE_COUNT  6u
#define VCF_IUT_ROLE_BIT(r) (1u << (unsigned)(r))

/* Capabilities (vcf_adapter.caps). */
#define VCF_ADAPTER_CAP_EVENTS 0x1u /* poll reports upper-layer events (an upper tester) */
#define VCF_ADAPTER_CAP_IDLE   0x2u /* idle() is meaningful (asynchronous implementation) */

/* One group parameter, e.g. {"order", "le"}, {"buf_size", "512"}; docs/vectors.md lists them. */
typedef struct vcf_adapter_param {
    const char *key;
    const char *value;
} vcf_adapter_param;

/* A message injected into, or emitted by, the implementation. */
typedef struct vcf_adapter_msg {
    uint32_t channel;    /* see the channel table above */
    const uint8_t *data; /* the message bytes, in wire order */
    size_t len;
    size_t used_len; /* RPMsg: the length reported in the ring (used or descriptor length);
                      * 0 means len */
    size_t capacity; /* RPMsg: the size of the buffer it travels in; 0 means the group's
                      * buf_size. virtio-msg: 0 */
} vcf_adapter_msg;

/*
 * Upper-layer actions. Each takes up to four numeric arguments and one byte string; the name,
 * roles and argument names are in vcf_adapter_action_info(). Results: status 0 when done,
 * non-zero when the implementation refused (the value is its own error code); value carries
 * what the action returns (create: the address bound).
 */
typedef enum vcf_action_kind {
    /* RPMsg, both roles */
    VCF_ACT_RPMSG_CREATE = 0x100,   /* addr, dest; data: name ("" for none): the bytes up to
                                     * the first NUL; more than 31 is refused (RPMSG-NS-08) */
    VCF_ACT_RPMSG_DESTROY = 0x101,  /* addr */
    VCF_ACT_RPMSG_SEND = 0x102,     /* src, dst; data: payload */
    VCF_ACT_RPMSG_ANNOUNCE = 0x103, /* addr, destroy */
    VCF_ACT_RPMSG_RETURN = 0x104,   /* count: transmit buffers the peer gave back */
    /* virtio-msg device */
    VCF_ACT_VMSG_CONFIG_CHANGE = 0x200, /* offset; data: the new bytes */
    VCF_ACT_VMSG_FAIL = 0x201,          /* the device needs a reset */
    VCF_ACT_VMSG_USED = 0x202,          /* vq: buffers were used */
    VCF_ACT_VMSG_SET_ACTIVE = 0x203,    /* active */
    /* virtio-msg driver */
    VCF_ACT_VMSG_START = 0x210,        /* begin initialisation */
    VCF_ACT_VMSG_TIMEOUT = 0x211,      /* the outstanding request will not be answered */
    VCF_ACT_VMSG_CONFIG_READ = 0x212,  /* offset, length */
    VCF_ACT_VMSG_CONFIG_WRITE = 0x213, /* offset; data: the bytes */
    VCF_ACT_VMSG_NOTIFY = 0x214,       /* vq, next_offset */
    VCF_ACT_VMSG_RESET_VQ = 0x215,     /* vq */
    VCF_ACT_VMSG_SETUP_VQ = 0x216,     /* vq */
    VCF_ACT_VMSG_GET_STATUS = 0x217,
    VCF_ACT_VMSG_GET_SHM = 0x218, /* index */
    VCF_ACT_VMSG_RESET = 0x219,   /* reinit */
    VCF_ACT_VMSG_REMOVED = 0x21A, /* the bus reported the device removed */
    /* virtio-msg bus */
    VCF_ACT_VMSG_SET_DEVICE = 0x220,     /* dev_num, present, announce */
    VCF_ACT_VMSG_ENUMERATE = 0x221,      /* start GET_DEVICES enumeration */
    VCF_ACT_VMSG_PING = 0x222,           /* value */
    VCF_ACT_VMSG_REQUEST_TIMEOUT = 0x223 /* dev_num: the oldest relayed request timed out */
} vcf_action_kind;

typedef struct vcf_adapter_action {
    uint32_t kind;       /* vcf_action_kind */
    uint64_t args[4];    /* in the order vcf_adapter_action_info names them */
    const uint8_t *data; /* name, payload or config bytes */
    size_t len;
} vcf_adapter_action;

typedef struct vcf_adapter_result {
    int32_t status; /* 0 done; non-zero: refused */
    uint64_t value; /* create: the address bound */
} vcf_adapter_result;

/*
 * Upper-layer events, reported through poll. RPMsg events are 0x100 + vcf_rpmsg_event_type,
 * virtio-msg events 0x200 + vcf_vmsg_event_type (see the model headers for their meaning).
 * Argument slots: RPMsg {ept, addr, claimed_len}, data = payload or service name;
 * virtio-msg {index, offset, length, value}, no data. vcf_adapter_event_info() names the
 * slots each event type fills (the ones the rules fix); the others are never compared.
 */
typedef enum vcf_event_kind {
    VCF_EVT_RPMSG_BASE = 0x100,
    VCF_EVT_VMSG_BASE = 0x200
} vcf_event_kind;

typedef struct vcf_adapter_event {
    uint32_t type;
    uint64_t args[4];
    const uint8_t *data;
    size_t len;
} vcf_adapter_event;

/* What poll returns. Pointers stay valid until the next call into the adapter. */
typedef enum vcf_obs_kind { VCF_OBS_NONE = 0, VCF_OBS_MSG = 1, VCF_OBS_EVENT = 2 } vcf_obs_kind;

typedef struct vcf_adapter_obs {
    uint32_t kind; /* vcf_obs_kind */
    vcf_adapter_msg msg;
    vcf_adapter_event event;
} vcf_adapter_obs;

/* The table an adapter fills. Unused trailing fields stay zero. */
typedef struct vcf_adapter {
    uint32_t abi_version; /* VCF_ADAPTER_ABI_VERSION */
    uint32_t struct_size; /* sizeof(vcf_adapter) as the adapter was built */
    void *ud;             /* the adapter's own state, passed to every operation */
    const char *name;     /* e.g. "openamp-remote" */
    const char *version;  /* the implementation's version, for reports */
    uint32_t roles;       /* VCF_IUT_ROLE_BIT of every role it can play */
    uint32_t caps;        /* VCF_ADAPTER_CAP_* */

    /* Start a fresh instance: role and parameters. VCF_ADAPTER_UNSUPPORTED for a role or
     * parameter value it cannot take, with a reason in why (NUL-terminated, may be NULL). */
    int (*reset)(void *ud, uint32_t role, const vcf_adapter_param *params, size_t n_params,
                 char *why, size_t why_len);
    /* A message from the peer. */
    int (*inject)(void *ud, const vcf_adapter_msg *msg);
    /* An upper-layer request. VCF_ADAPTER_OK with res->status saying done or refused. */
    int (*action)(void *ud, const vcf_adapter_action *act, vcf_adapter_result *res);
    /* The next observation: 1 with *obs filled, 0 when there is none right now. */
    int (*poll)(void *ud, vcf_adapter_obs *obs);
    /* 1 when the implementation will emit nothing more without new input, 0 while busy.
     * NULL: always idle once poll returns 0 (synchronous implementations). */
    int (*idle)(void *ud);
    void (*close)(void *ud);
} vcf_adapter;

/* The function a shared object exports as VCF_ADAPTER_INIT_SYMBOL. options is the text after
 * "so:PATH," on the command line (may be ""). Returns VCF_ADAPTER_OK or VCF_ADAPTER_ERROR. */
typedef int (*vcf_adapter_init_fn)(const char *options, vcf_adapter *out);

/* ---- names and tables (shared by the harness, the stdio protocol and adapters) ------------ */

/* "rpmsg-driver", "rpmsg-device", "virtio-msg-device", "virtio-msg-driver", "virtio-msg-bus" */
const char *vcf_iut_role_name(uint32_t role);
int vcf_iut_role_parse(const char *name, uint32_t *role);
/* "rpmsg" or "virtio-msg" */
const char *vcf_iut_role_protocol(uint32_t role);

/* Channel names per role ("vq0", "link", "peer", ...); NULL for an invalid channel. */
const char *vcf_channel_name(uint32_t role, uint32_t channel);
int vcf_channel_parse(uint32_t role, const char *name, uint32_t *channel);
/* Channels of a role. */
uint32_t vcf_channel_count(uint32_t role);

#define VCF_ADAPTER_ARG_MAX 4u

typedef struct vcf_action_info {
    uint32_t kind;
    const char *name;                      /* "create", "config-read", ... */
    uint32_t roles;                        /* VCF_IUT_ROLE_BIT of the roles that take it */
    const char *args[VCF_ADAPTER_ARG_MAX]; /* argument names in slot order; NULL: unused */
    const char *data;                      /* what data holds ("name", "payload"), or NULL */
} vcf_action_info;

/* NULL for an unknown kind. */
const vcf_action_info *vcf_adapter_action_info(uint32_t kind);
/* By name within a role; NULL when the role has no such action. */
const vcf_action_info *vcf_adapter_action_find(uint32_t role, const char *name);
/* All actions, terminated by an entry with name NULL. */
const vcf_action_info *vcf_adapter_actions(void);

typedef struct vcf_event_info {
    uint32_t type;
    const char *name;                      /* "deliver", "config-changed", ... */
    uint32_t roles;                        /* roles that report it */
    const char *args[VCF_ADAPTER_ARG_MAX]; /* meaningful arguments in slot order; NULL: unused */
    const char *data;                      /* "payload", "name", or NULL */
} vcf_event_info;

const vcf_event_info *vcf_adapter_event_info(uint32_t type);
const vcf_event_info *vcf_adapter_event_find(uint32_t role, const char *name);
const vcf_event_info *vcf_adapter_events(void);

/* Parameter lookup for adapters: the value of key, or NULL. */
const char *vcf_param_get(const vcf_adapter_param *params, size_t n, const char *key);
/* A number as parameters write it (decimal or 0x hex, up to 64 bits, nothing else): 0 and
 * *out set, or VCF_ADAPTER_UNSUPPORTED. For the items of list-valued parameters too. */
int vcf_param_parse_u64(const char *value, uint64_t *out);
/* Numeric value (decimal or 0x hex, up to 64 bits): 0 and *out set, VCF_ADAPTER_UNSUPPORTED
 * when the value is not a number, or dflt when the key is absent. */
int vcf_param_u64(const vcf_adapter_param *params, size_t n, const char *key, uint64_t dflt,
                  uint64_t *out);

/* "ok", "error", "unsupported", or "?" */
const char *vcf_adapter_rc_name(int rc);

#ifdef __cplusplus
}
#endif

#endif /* VCONFORM_ADAPTER_H */
