/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: the built-in "model" adapter, and the faults it can inject.
 *
 * The adapter plays the reference model (model/) in any of the five roles through the adapter
 * ABI: reset parses a group's parameters (harness/src/PARAMS.txt) into the model's
 * configuration, inject and action call the model, and what the model emits is copied into
 * adapter-owned storage and handed out by poll, messages first, then events.
 *
 * With "fault=NAME" the adapter turns into a buggy implementation: each fault class is a
 * realistic bug a real stack could ship, made as a clean transformation around the unchanged
 * model, of the configuration it starts with, of an input before the model sees it, or of what
 * it emits. `vconform mutants` runs the golden suite against every class and expects each to
 * be caught (docs/faults.md).
 *
 * Layout: helpers; the fault table; options; the observation queue; parameters and reset;
 * RPMsg; virtio-msg device, driver and bus; actions; the ABI table.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters.h"
#include "hex.h"
#include "vconform/rpmsg_model.h"
#include "vconform/vmsg_model.h"

#ifndef VCF_VERSION
#define VCF_VERSION "0.0.0"
#endif

/* Not part of the ABI: the rule IDs of the verdicts of the model's last output (the most recent
 * inject or action), for tests. Returns how many there are; stores up to cap of them. */
size_t vcf_model_adapter_verdicts(void *ud, const char **rules, size_t cap);

#define BIT(r)    VCF_IUT_ROLE_BIT(r)
#define RP_DRV    BIT(VCF_IUT_RPMSG_DRIVER)
#define RP_DEV    BIT(VCF_IUT_RPMSG_DEVICE)
#define RP_BOTH   (RP_DRV | RP_DEV)
#define VM_DEV    BIT(VCF_IUT_VMSG_DEVICE)
#define VM_DRV    BIT(VCF_IUT_VMSG_DRIVER)
#define VM_BUS    BIT(VCF_IUT_VMSG_BUS)
#define VM_ALL    (VM_DEV | VM_DRV | VM_BUS)
#define ALL_ROLES (RP_BOTH | VM_ALL)

#define RP_ANY         VCF_RPMSG_ADDR_ANY
#define RP_NS_OFF      VCF_RPMSG_HDR_SIZE                  /* the NS payload in a frame */
#define RP_NS_FLAGS    (RP_NS_OFF + 36u)                   /* NS flags in a frame */
#define RP_NS_FRAME    (RP_NS_OFF + VCF_RPMSG_NS_MSG_SIZE) /* 56 */
#define VM_TYPE_KIND   (VCF_VMSG_TYPE_RESPONSE | VCF_VMSG_TYPE_BUS)
#define VM_S_FEAT      VCF_VIRTIO_STATUS_FEATURES_OK
#define VM_S_OK        VCF_VIRTIO_STATUS_DRIVER_OK
#define VM_S_NR        VCF_VIRTIO_STATUS_DEVICE_NEEDS_RESET
#define SCRATCH_LIMIT  ((size_t)1 << 20) /* the largest buffer an inject may describe */
#define LIST_ITEM_SIZE 48u

/* ---- byte helpers: explicit little- and big-endian loads and stores ------------------------ */

static uint16_t ld16(const uint8_t *p, bool be)
{
    return be ? (uint16_t)((unsigned)p[0] << 8 | p[1]) : (uint16_t)((unsigned)p[1] << 8 | p[0]);
}

static uint32_t ld32(const uint8_t *p, bool be)
{
    if (be)
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void st16(uint8_t *p, uint16_t v, bool be)
{
    p[be ? 0 : 1] = (uint8_t)(v >> 8);
    p[be ? 1 : 0] = (uint8_t)v;
}

static void st32(uint8_t *p, uint32_t v, bool be)
{
    for (unsigned i = 0; i < 4; i++)
        p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

static void swap2(uint8_t *p)
{
    uint8_t t = p[0];
    p[0] = p[1];
    p[1] = t;
}

static void swap4(uint8_t *p)
{
    swap2(p);
    swap2(p + 2);
    uint8_t a = p[0], b = p[1];
    p[0] = p[2];
    p[1] = p[3];
    p[2] = a;
    p[3] = b;
}

static uint8_t reverse_bits(uint8_t v)
{
    uint8_t r = 0;
    for (unsigned i = 0; i < 8; i++)
        if (v & (1u << i))
            r = (uint8_t)(r | (0x80u >> i));
    return r;
}

/* ---- fault classes ------------------------------------------------------------------------- */

enum fault_id {
    /* RPMsg */
    F_RP_TX_LEN_SWAPPED,
    F_RP_RX_LEN_OFF_BY_ONE,
    F_RP_RX_USED_LEN_TRUSTED,
    F_RP_RX_SLACK_REJECTED,
    F_RP_RX_RESERVED_CHECKED,
    F_RP_LEGACY_ALWAYS_LE,
    F_RP_NS_NAME_CUT,
    F_RP_NS_FLAGS_ANY_BIT,
    F_RP_NS_DESTROY_IGNORED,
    F_RP_NS_WITHOUT_FEATURE,
    F_RP_NS_NOT_ANNOUNCED,
    F_RP_NS_NOT_WITHDRAWN,
    F_RP_RESERVED_ADDR,
    F_RP_TX_NO_CREDIT_CHECK,
    /* virtio-msg device (and driver) */
    F_VM_MSG_SIZE_SWAPPED,
    F_VM_TOKEN_SWAPPED,
    F_VM_FEATURES_OK_NEVER_REFUSED,
    F_VM_STALE_GENERATION_ACCEPTED,
    F_VM_GENERATION_NOT_MOVED,
    F_VM_NEEDS_RESET_NOT_STICKY,
    F_VM_EVENT_ANSWERED,
    F_VM_MAX_SIZE_IGNORED,
    /* virtio-msg driver */
    F_VM_DRV_SKIPS_RESET,
    F_VM_DRV_IGNORES_FEATURES_REFUSAL,
    F_VM_DRV_TOKEN_UNCHECKED,
    F_VM_DRV_NEXT_OFFSET_ALWAYS,
    /* virtio-msg bus */
    F_VM_BUS_GETDEV_MSB_FIRST,
    F_VM_BUS_PING_DATA_SWAPPED,
    F_VM_BUS_OUT_OF_ORDER,
    F_VM_BUS_UNVALIDATED_FORWARD,
    F_VM_BUS_TOKEN_NOT_RESTORED,
    F_COUNT
};

static const vcf_fault_info faults[F_COUNT + 1] = {
    [F_RP_TX_LEN_SWAPPED] =
        {"rpmsg-tx-len-swapped", RP_BOTH,
         "the header's len field is sent byte-swapped (a missing cpu_to_rpmsg16)"},
    [F_RP_RX_LEN_OFF_BY_ONE] = {"rpmsg-rx-len-off-by-one", RP_BOTH,
                                "the length check is off by one: len = used_len - 16 + 1 is "
                                "accepted and one byte the sender never wrote is delivered"},
    [F_RP_RX_USED_LEN_TRUSTED] = {"rpmsg-rx-used-len-trusted", RP_DRV,
                                  "a used length larger than the posted buffer is believed: the "
                                  "message is read past the end of its buffer"},
    [F_RP_RX_SLACK_REJECTED] = {"rpmsg-rx-slack-rejected", RP_BOTH,
                                "a message is dropped unless the used length is exactly 16 + len "
                                "(bytes after the payload are not tolerated)"},
    [F_RP_RX_RESERVED_CHECKED] = {"rpmsg-rx-reserved-checked", RP_BOTH,
                                  "a message with non-zero reserved or flags is dropped instead of "
                                  "delivered"},
    [F_RP_LEGACY_ALWAYS_LE] = {"rpmsg-legacy-always-le", RP_BOTH,
                               "a legacy link (no VIRTIO_F_VERSION_1) is little-endian whatever "
                               "the driver's byte order"},
    [F_RP_NS_NAME_CUT] = {"rpmsg-ns-name-cut", RP_BOTH,
                          "a 32-byte name-service name without a NUL is cut to 31 characters, as "
                          "if its last byte were the terminator"},
    [F_RP_NS_FLAGS_ANY_BIT] = {"rpmsg-ns-flags-any-bit", RP_BOTH,
                               "any non-zero name-service flags word is taken as destroy, not "
                               "bit 0 alone"},
    [F_RP_NS_DESTROY_IGNORED] = {"rpmsg-ns-destroy-ignored", RP_BOTH,
                                 "name-service destroy messages are ignored: channels never close"},
    [F_RP_NS_WITHOUT_FEATURE] = {"rpmsg-ns-without-feature", RP_BOTH,
                                 "the name service runs even when VIRTIO_RPMSG_F_NS was not "
                                 "negotiated"},
    [F_RP_NS_NOT_ANNOUNCED] = {"rpmsg-ns-not-announced", RP_BOTH,
                               "named endpoints are never announced (no name-service create is "
                               "sent)"},
    [F_RP_NS_NOT_WITHDRAWN] = {"rpmsg-ns-not-withdrawn", RP_BOTH,
                               "destroying an announced endpoint sends no name-service destroy"},
    [F_RP_RESERVED_ADDR] = {"rpmsg-reserved-addr", RP_BOTH,
                            "dynamic addresses are handed out from 1, inside the reserved range "
                            "0..1023"},
    [F_RP_TX_NO_CREDIT_CHECK] = {"rpmsg-tx-no-credit-check", RP_BOTH,
                                 "messages are sent without a free transmit buffer (the ring is "
                                 "overrun)"},
    [F_VM_MSG_SIZE_SWAPPED] = {"vmsg-msg-size-swapped", VM_DEV | VM_DRV,
                               "msg_size is sent byte-swapped (big-endian) in every message"},
    [F_VM_TOKEN_SWAPPED] = {"vmsg-token-swapped", VM_DEV,
                            "responses echo the request's token byte-swapped"},
    [F_VM_FEATURES_OK_NEVER_REFUSED] = {"vmsg-features-ok-never-refused", VM_DEV,
                                        "FEATURES_OK is never refused: unoffered bits are "
                                        "silently dropped and required bits are not checked"},
    [F_VM_STALE_GENERATION_ACCEPTED] = {"vmsg-stale-generation-accepted", VM_DEV,
                                        "SET_CONFIG is applied whatever generation it names"},
    [F_VM_GENERATION_NOT_MOVED] = {"vmsg-generation-not-moved", VM_DEV,
                                   "the configuration generation does not move when the device "
                                   "changes its configuration"},
    [F_VM_NEEDS_RESET_NOT_STICKY] = {"vmsg-needs-reset-not-sticky", VM_DEV,
                                     "DEVICE_NEEDS_RESET is announced but not kept: status "
                                     "responses show it cleared"},
    [F_VM_EVENT_ANSWERED] = {"vmsg-event-answered", VM_DEV,
                             "EVENT_AVAIL is answered with a header-only response"},
    [F_VM_MAX_SIZE_IGNORED] = {"vmsg-max-size-ignored", VM_DEV,
                               "the bus maximum message size is ignored: oversized responses "
                               "are sent and oversized requests processed"},
    [F_VM_DRV_SKIPS_RESET] = {"vmsg-driver-skips-reset", VM_DRV,
                              "initialisation does not reset the device: ACKNOWLEDGE follows "
                              "GET_DEVICE_INFO directly"},
    [F_VM_DRV_IGNORES_FEATURES_REFUSAL] = {"vmsg-driver-ignores-features-refusal", VM_DRV,
                                           "a status response with FEATURES_OK cleared is taken "
                                           "as accepted: initialisation goes on towards "
                                           "DRIVER_OK instead of stopping with FAILED"},
    [F_VM_DRV_TOKEN_UNCHECKED] = {"vmsg-driver-token-unchecked", VM_DRV,
                                  "RFC3: a response is matched without comparing its token with "
                                  "the request's"},
    [F_VM_DRV_NEXT_OFFSET_ALWAYS] = {"vmsg-driver-next-offset-always", VM_DRV,
                                     "EVENT_AVAIL carries next_offset although "
                                     "VIRTIO_F_NOTIFICATION_DATA was not negotiated"},
    [F_VM_BUS_GETDEV_MSB_FIRST] = {"vmsg-bus-getdev-msb-first", VM_BUS,
                                   "GET_DEVICES bitmaps are written and read MSB-first"},
    [F_VM_BUS_PING_DATA_SWAPPED] = {"vmsg-bus-ping-data-swapped", VM_BUS,
                                    "PING is answered with its data byte-swapped"},
    [F_VM_BUS_OUT_OF_ORDER] = {"vmsg-bus-out-of-order", VM_BUS,
                               "responses are relayed as they arrive, not in request order"},
    [F_VM_BUS_UNVALIDATED_FORWARD] = {"vmsg-bus-unvalidated-forward", VM_BUS,
                                      "requests to device numbers the bus never validated are "
                                      "forwarded"},
    [F_VM_BUS_TOKEN_NOT_RESTORED] = {"vmsg-bus-token-not-restored", VM_BUS,
                                     "responses reach the driver with the bus's token instead "
                                     "of the driver's"},
    [F_COUNT] = {NULL, 0, NULL}};

const vcf_fault_info *vcf_model_faults(void)
{
    return faults;
}

/* ---- adapter state ------------------------------------------------------------------------- */

/* One observation, its bytes in the pool. kind 0: removed by a fault. */
typedef struct ad_obs {
    uint32_t kind;
    uint32_t channel;
    size_t used_len;
    uint32_t type;
    uint64_t args[VCF_ADAPTER_ARG_MAX];
    size_t off, len;
} ad_obs;

/* vmsg-bus-out-of-order: a response the model holds back that was relayed at once. */
typedef struct early_resp {
    bool used;
    int slot; /* the model's hold slot */
    size_t len;
    uint8_t buf[VCF_VMSG_MSG_SIZE_LIMIT];
} early_resp;

typedef struct model_ad {
    uint64_t faults; /* bit per enum fault_id */
    vcf_rpmsg_profile rp_profile;
    vcf_vmsg_profile vm_profile;
    uint32_t role;              /* 0 until a reset succeeds */
    bool pool_first, pool_last; /* addr_first / addr_last given */

    /* the models, allocated on first use and kept */
    vcf_rpmsg_model *rp;
    vcf_vmsg_device *dev;
    vcf_vmsg_driver *drv;
    vcf_vmsg_bus *bus;
    vcf_rpmsg_config rcfg;
    vcf_vmsg_device_config dcfg;
    vcf_vmsg_driver_config drcfg;
    vcf_vmsg_bus_config bcfg;

    /* the model's last output (for its verdicts) */
    vcf_rpmsg_output rout;
    vcf_vmsg_output vout;

    /* observations not yet polled */
    ad_obs *obs;
    size_t n_obs, cap_obs, head;
    uint8_t *pool;
    size_t pool_len, pool_cap;
    uint8_t *scratch; /* a writable copy of an input */
    size_t scratch_cap;

    /* fault state */
    uint32_t gen_lag;    /* vmsg-generation-not-moved */
    bool have_req;       /* the driver's last request: */
    uint8_t req_id;      /*   msg_id */
    uint16_t req_token;  /*   token */
    uint32_t req_status; /*   status written (SET_DEVICE_STATUS) */
    early_resp *early;   /* vmsg-bus-out-of-order, VCF_VMSG_BUS_MAX_HELD entries */
} model_ad;

static bool has(const model_ad *a, enum fault_id f)
{
    return (a->faults >> f) & 1u;
}

static void say(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(char *buf, size_t len, const char *fmt, ...)
{
    if (!buf || len == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

/* ---- options ------------------------------------------------------------------------------- */

static int parse_option(model_ad *a, const char *opt, size_t len, char *err, size_t err_len)
{
    char text[128];
    if (len >= sizeof text) {
        say(err, err_len, "model adapter: option \"%.40s...\" is too long", opt);
        return -1;
    }
    memcpy(text, opt, len);
    text[len] = '\0';
    const char *eq = strchr(text, '=');
    if (!eq) {
        say(err, err_len, "model adapter: option \"%s\": expected fault=NAME or profile=NAME",
            text);
        return -1;
    }
    const char *value = eq + 1;
    size_t klen = (size_t)(eq - text);
    if (klen == 5 && strncmp(text, "fault", 5) == 0) {
        for (unsigned f = 0; f < F_COUNT; f++)
            if (strcmp(value, faults[f].name) == 0) {
                a->faults |= UINT64_C(1) << f;
                return 0;
            }
        say(err, err_len,
            "model adapter: unknown fault \"%s\" (docs/faults.md lists the fault classes)", value);
        return -1;
    }
    if (klen == 7 && strncmp(text, "profile", 7) == 0) {
        vcf_rpmsg_profile rp;
        vcf_vmsg_profile vm;
        bool is_rp = vcf_rpmsg_profile_parse(value, &rp) == VCF_OK;
        bool is_vm = vcf_vmsg_profile_parse(value, &vm) == VCF_OK;
        if (!is_rp && !is_vm) {
            say(err, err_len,
                "model adapter: unknown profile \"%s\" (expected strict, linux, openamp, qemu or "
                "optee)",
                value);
            return -1;
        }
        if (is_rp)
            a->rp_profile = rp;
        if (is_vm)
            a->vm_profile = vm;
        return 0;
    }
    say(err, err_len, "model adapter: option \"%s\": expected fault=NAME or profile=NAME", text);
    return -1;
}

static int parse_options(model_ad *a, const char *options, char *err, size_t err_len)
{
    const char *p = options ? options : "";
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > 0 && parse_option(a, p, len, err, err_len) != 0)
            return -1;
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* ---- the observation queue ------------------------------------------------------------------- */

/* Called before each inject or action: once everything was polled, storage starts over. */
static void queue_begin(model_ad *a)
{
    if (a->head >= a->n_obs) {
        a->n_obs = a->head = 0;
        a->pool_len = 0;
    }
}

static void queue_clear(model_ad *a)
{
    a->n_obs = a->head = 0;
    a->pool_len = 0;
}

static bool pool_reserve(model_ad *a, size_t more)
{
    if (a->pool_cap - a->pool_len >= more)
        return true;
    size_t cap = a->pool_cap ? a->pool_cap : 4096;
    while (cap - a->pool_len < more)
        cap *= 2;
    uint8_t *p = realloc(a->pool, cap);
    if (!p)
        return false;
    a->pool = p;
    a->pool_cap = cap;
    return true;
}

/* Append an observation with a copy of its bytes. NULL when out of memory. */
static ad_obs *push(model_ad *a, uint32_t kind, const uint8_t *data, size_t len)
{
    if (a->n_obs == a->cap_obs) {
        size_t cap = a->cap_obs ? 2 * a->cap_obs : 16;
        ad_obs *o = realloc(a->obs, cap * sizeof *o);
        if (!o)
            return NULL;
        a->obs = o;
        a->cap_obs = cap;
    }
    if (!pool_reserve(a, len))
        return NULL;
    ad_obs *o = &a->obs[a->n_obs++];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->off = a->pool_len;
    o->len = len;
    if (len)
        memcpy(a->pool + a->pool_len, data, len);
    a->pool_len += len;
    return o;
}

static bool push_msg(model_ad *a, uint32_t channel, const uint8_t *data, size_t len,
                     size_t used_len)
{
    ad_obs *o = push(a, VCF_OBS_MSG, data, len);
    if (!o)
        return false;
    o->channel = channel;
    o->used_len = used_len;
    return true;
}

static bool push_event(model_ad *a, uint32_t type, uint64_t a0, uint64_t a1, uint64_t a2,
                       uint64_t a3, const uint8_t *data, size_t len)
{
    ad_obs *o = push(a, VCF_OBS_EVENT, data, len);
    if (!o)
        return false;
    o->type = type;
    o->args[0] = a0;
    o->args[1] = a1;
    o->args[2] = a2;
    o->args[3] = a3;
    return true;
}

/* The bytes of an observation (NULL while the pool is empty). */
static uint8_t *obs_bytes(model_ad *a, const ad_obs *o)
{
    return a->pool ? a->pool + o->off : NULL;
}

static bool is_msg(const ad_obs *o)
{
    return o->kind == VCF_OBS_MSG;
}

/* Messages are handed out before events (per input or action), so that a fault adding a
 * message after the model's events still keeps that order. */
static void order_messages_first(model_ad *a, size_t first)
{
    size_t n = a->n_obs - first, i = first;
    while (i < a->n_obs && is_msg(&a->obs[i]))
        i++;
    while (i < a->n_obs && !is_msg(&a->obs[i]))
        i++;
    if (i == a->n_obs) /* already in order */
        return;
    ad_obs *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return;
    size_t k = 0;
    for (i = first; i < a->n_obs; i++)
        if (is_msg(&a->obs[i]))
            tmp[k++] = a->obs[i];
    for (i = first; i < a->n_obs; i++)
        if (!is_msg(&a->obs[i]))
            tmp[k++] = a->obs[i];
    memcpy(a->obs + first, tmp, n * sizeof *tmp);
    free(tmp);
}

static int ad_poll(void *ud, vcf_adapter_obs *obs)
{
    model_ad *a = ud;
    while (a->head < a->n_obs && a->obs[a->head].kind == 0)
        a->head++;
    if (!obs || a->head >= a->n_obs)
        return 0;
    const ad_obs *o = &a->obs[a->head++];
    memset(obs, 0, sizeof *obs);
    obs->kind = o->kind;
    const uint8_t *data = o->len ? a->pool + o->off : NULL;
    if (o->kind == VCF_OBS_MSG) {
        obs->msg.channel = o->channel;
        obs->msg.data = data;
        obs->msg.len = o->len;
        obs->msg.used_len = o->used_len;
    } else {
        obs->event.type = o->type;
        memcpy(obs->event.args, o->args, sizeof o->args);
        obs->event.data = data;
        obs->event.len = o->len;
    }
    return 1;
}

/* A writable copy of an input, zero-padded to at least min_len bytes. */
static uint8_t *own(model_ad *a, const uint8_t **buf, size_t *len, size_t min_len)
{
    size_t need = *len > min_len ? *len : min_len;
    if (*buf == a->scratch && need <= *len)
        return a->scratch;
    if (need > SCRATCH_LIMIT)
        return NULL;
    if (need > a->scratch_cap || *buf == a->scratch) {
        size_t cap = need < 256 ? 256 : need;
        uint8_t *s = malloc(cap);
        if (!s)
            return NULL;
        if (*len)
            memcpy(s, *buf, *len);
        free(a->scratch);
        a->scratch = s;
        a->scratch_cap = cap;
    } else if (*len) {
        memmove(a->scratch, *buf, *len);
    }
    memset(a->scratch + *len, 0, need - *len);
    *buf = a->scratch;
    *len = need;
    return a->scratch;
}

/* ---- parameters ---------------------------------------------------------------------------- */

enum pkey {
    P_FEATURES,
    P_ORDER,
    P_BUF_SIZE,
    P_TX_BUFS,
    P_ADDR_FIRST,
    P_ADDR_LAST,
    P_REV,
    P_MAX_MSG_SIZE,
    P_DEV_NUM,
    P_DEVICE_ID,
    P_VENDOR_ID,
    P_FEATURE_BITS,
    P_OFFERED,
    P_REQUIRED,
    P_CONFIG,
    P_QUEUES,
    P_ADMIN_VQ,
    P_SHM,
    P_INACTIVE,
    P_WANTED,
    P_NUM_QUEUES,
    P_QUEUE_SIZE,
    P_RING_BASE,
    P_READ_CONFIG,
    P_WINDOW,
    P_M_ON_VIOLATION,
    P_M_OVERSIZE,
    P_M_REPORT,
    P_M_SET_CONFIG_ECHO,
    P_M_PARTIAL_SET_CONFIG,
    P_M_SET_CONFIG_BUMPS_GEN,
    P_M_RESET_VQ_NEEDS_RING_RESET,
    P_M_STATUS_ORDER_ENFORCED,
    P_M_INACTIVE_SILENT,
    P_M_ECHO_TOKEN,
    P_M_GETDEV_ROUND,
    P_M_VALIDATE_QUEUE_SIZE,
    P_M_EVENT_CONFIG_DATA,
    P_M_GEN_INIT
};

typedef struct pdef {
    const char *key;
    uint32_t roles;
    enum pkey id;
} pdef;

static const pdef pdefs[] = {
    {"features", RP_BOTH, P_FEATURES},
    {"order", RP_BOTH, P_ORDER},
    {"buf_size", RP_BOTH, P_BUF_SIZE},
    {"tx_bufs", RP_BOTH, P_TX_BUFS},
    {"addr_first", RP_BOTH, P_ADDR_FIRST},
    {"addr_last", RP_BOTH, P_ADDR_LAST},
    {"rev", VM_ALL, P_REV},
    {"max_msg_size", VM_ALL, P_MAX_MSG_SIZE},
    {"dev_num", VM_ALL, P_DEV_NUM},
    {"device_id", VM_DEV, P_DEVICE_ID},
    {"vendor_id", VM_DEV, P_VENDOR_ID},
    {"feature_bits", VM_DEV, P_FEATURE_BITS},
    {"offered", VM_DEV, P_OFFERED},
    {"required", VM_DEV, P_REQUIRED},
    {"config", VM_DEV, P_CONFIG},
    {"queues", VM_DEV, P_QUEUES},
    {"admin_vq", VM_DEV, P_ADMIN_VQ},
    {"shm", VM_DEV, P_SHM},
    {"inactive", VM_DEV, P_INACTIVE},
    {"wanted", VM_DRV, P_WANTED},
    {"num_queues", VM_DRV, P_NUM_QUEUES},
    {"queue_size", VM_DRV, P_QUEUE_SIZE},
    {"ring_base", VM_DRV, P_RING_BASE},
    {"read_config", VM_DRV, P_READ_CONFIG},
    {"window", VM_BUS, P_WINDOW},
    {"model.on_violation", VM_ALL, P_M_ON_VIOLATION},
    {"model.oversize", VM_ALL, P_M_OVERSIZE},
    {"model.report", VM_ALL, P_M_REPORT},
    {"model.set_config_echo", VM_ALL, P_M_SET_CONFIG_ECHO},
    {"model.partial_set_config", VM_ALL, P_M_PARTIAL_SET_CONFIG},
    {"model.set_config_bumps_gen", VM_ALL, P_M_SET_CONFIG_BUMPS_GEN},
    {"model.reset_vq_needs_ring_reset", VM_ALL, P_M_RESET_VQ_NEEDS_RING_RESET},
    {"model.status_order_enforced", VM_ALL, P_M_STATUS_ORDER_ENFORCED},
    {"model.inactive_silent", VM_ALL, P_M_INACTIVE_SILENT},
    {"model.echo_token", VM_ALL, P_M_ECHO_TOKEN},
    {"model.getdev_round", VM_ALL, P_M_GETDEV_ROUND},
    {"model.validate_queue_size", VM_ALL, P_M_VALIDATE_QUEUE_SIZE},
    {"model.event_config_data", VM_ALL, P_M_EVENT_CONFIG_DATA},
    {"model.gen_init", VM_ALL, P_M_GEN_INIT},
};
#define N_PDEFS (sizeof pdefs / sizeof *pdefs)

/* A number: decimal or 0x hex (as vcf_param_u64 reads it), at most max. */
static bool parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t x;
    if (vcf_param_parse_u64(s, &x) != VCF_ADAPTER_OK || x > max)
        return false;
    *out = x;
    return true;
}

/* Hexadecimal digits with an optional 0x, at most max. */
static bool parse_hex(const char *s, uint64_t max, uint64_t *out)
{
    if (!s)
        return false;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    size_t n = 0;
    uint64_t v = 0;
    for (; s[n]; n++) {
        int d = vcf_cli_hex_digit((unsigned char)s[n]);
        if (d < 0)
            return false;
        if (v > (UINT64_MAX >> 4))
            return false;
        v = v << 4 | (unsigned)d;
    }
    if (n == 0 || v > max)
        return false;
    *out = v;
    return true;
}

static bool parse_bool(const char *s, bool *out)
{
    if (s && (strcmp(s, "0") == 0 || strcmp(s, "1") == 0)) {
        *out = s[0] == '1';
        return true;
    }
    return false;
}

/* Split a comma-separated list ("" has no items) into items of at most LIST_ITEM_SIZE - 1
 * characters. false for an empty item, an item too long, or more than max items. */
static bool split_list(const char *s, char (*items)[LIST_ITEM_SIZE], size_t max, size_t *n)
{
    *n = 0;
    if (!s || *s == '\0')
        return true;
    for (;;) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        if (len == 0 || len >= LIST_ITEM_SIZE || *n == max)
            return false;
        memcpy(items[*n], s, len);
        items[*n][len] = '\0';
        (*n)++;
        if (!end)
            return true;
        s = end + 1;
    }
}

/* Feature blocks: comma-separated 32-bit hex words, block 0 first. */
static bool parse_words(const char *s, uint32_t *blocks)
{
    char items[VCF_VMSG_MAX_FEATURE_BLOCKS][LIST_ITEM_SIZE];
    size_t n;
    if (!split_list(s, items, VCF_VMSG_MAX_FEATURE_BLOCKS, &n))
        return false;
    uint32_t tmp[VCF_VMSG_MAX_FEATURE_BLOCKS] = {0};
    for (size_t i = 0; i < n; i++) {
        uint64_t v;
        if (!parse_hex(items[i], UINT32_MAX, &v))
            return false;
        tmp[i] = (uint32_t)v;
    }
    memcpy(blocks, tmp, sizeof tmp);
    return true;
}

static bool parse_bytes(const char *s, uint8_t *out, size_t cap, uint32_t *len)
{
    size_t bad;
    long n = vcf_cli_hex_decode(s, strlen(s), out, cap, &bad);
    if (n < 0)
        return false;
    *len = (uint32_t)n;
    return true;
}

static bool parse_queues(const char *s, vcf_vmsg_device_config *c)
{
    char items[VCF_VMSG_MAX_VQS][LIST_ITEM_SIZE];
    size_t n;
    if (!split_list(s, items, VCF_VMSG_MAX_VQS, &n))
        return false;
    uint32_t sizes[VCF_VMSG_MAX_VQS] = {0};
    for (size_t i = 0; i < n; i++) {
        uint64_t v;
        if (!parse_uint(items[i], UINT32_MAX, &v))
            return false;
        sizes[i] = (uint32_t)v;
    }
    memcpy(c->vq_max_size, sizes, sizeof sizes);
    c->max_virtqueues = (uint32_t)n;
    return true;
}

static bool parse_admin(const char *s, vcf_vmsg_device_config *c)
{
    char items[2][LIST_ITEM_SIZE];
    size_t n;
    uint64_t start, count;
    if (!split_list(s, items, 2, &n) || n != 2 || !parse_uint(items[0], UINT16_MAX, &start) ||
        !parse_uint(items[1], UINT16_MAX, &count))
        return false;
    c->admin_vq_start = (uint16_t)start;
    c->admin_vq_count = (uint16_t)count;
    return true;
}

static bool parse_shm(const char *s, vcf_vmsg_device_config *c)
{
    char items[VCF_VMSG_MAX_SHM][LIST_ITEM_SIZE];
    size_t n;
    if (!split_list(s, items, VCF_VMSG_MAX_SHM, &n))
        return false;
    vcf_vmsg_shm_region shm[VCF_VMSG_MAX_SHM];
    memset(shm, 0, sizeof shm);
    for (size_t i = 0; i < n; i++) {
        char *at = strchr(items[i], '@');
        uint64_t len, addr;
        if (!at)
            return false;
        *at = '\0';
        if (!parse_uint(items[i], UINT32_MAX, &len) || !parse_uint(at + 1, UINT32_MAX, &addr))
            return false;
        shm[i].length = (uint32_t)len;
        shm[i].address = (uint32_t)addr;
    }
    memcpy(c->shm, shm, sizeof shm);
    c->num_shm = (uint32_t)n;
    return true;
}

/* What a value of each key looks like, for the reason of a refusal. */
static const char *expected_form(enum pkey id)
{
    switch (id) {
    case P_FEATURES:
        return "feature bits, 0x hex or decimal (bit 0 VIRTIO_RPMSG_F_NS, bit 32 VERSION_1)";
    case P_ORDER: return "\"le\" or \"be\"";
    case P_BUF_SIZE:
    case P_TX_BUFS:
    case P_ADDR_FIRST:
    case P_ADDR_LAST:
    case P_DEVICE_ID:
    case P_VENDOR_ID:
    case P_FEATURE_BITS:
    case P_NUM_QUEUES:
    case P_QUEUE_SIZE:
    case P_M_GEN_INIT: return "a 32-bit number (decimal or 0x hex)";
    case P_REV: return "\"pr28\" or \"rfc3\"";
    case P_MAX_MSG_SIZE:
    case P_DEV_NUM:
    case P_WINDOW: return "a 16-bit number (decimal or 0x hex)";
    case P_OFFERED:
    case P_REQUIRED:
    case P_WANTED: return "comma-separated 32-bit hex words, block 0 first (at most 16)";
    case P_CONFIG: return "an even number of hex digits, at most 4096 bytes";
    case P_QUEUES: return "comma-separated queue sizes (at most 64 queues)";
    case P_ADMIN_VQ: return "\"start,count\" (16-bit numbers)";
    case P_SHM: return "comma-separated length@address regions (at most 16)";
    case P_RING_BASE: return "a 64-bit address (0x hex or decimal)";
    case P_M_ON_VIOLATION: return "\"noop\" or \"apply\"";
    case P_M_OVERSIZE: return "\"discard\" or \"clamp\"";
    case P_M_REPORT: return "\"offered\" or \"acked\"";
    case P_INACTIVE:
    case P_READ_CONFIG:
    case P_M_SET_CONFIG_ECHO:
    case P_M_PARTIAL_SET_CONFIG:
    case P_M_SET_CONFIG_BUMPS_GEN:
    case P_M_RESET_VQ_NEEDS_RING_RESET:
    case P_M_STATUS_ORDER_ENFORCED:
    case P_M_INACTIVE_SILENT:
    case P_M_ECHO_TOKEN:
    case P_M_GETDEV_ROUND:
    case P_M_VALIDATE_QUEUE_SIZE:
    case P_M_EVENT_CONFIG_DATA: return "0 or 1";
    }
    return "a valid value";
}

static vcf_vmsg_link *link_of(model_ad *a)
{
    switch (a->role) {
    case VCF_IUT_VMSG_DEVICE: return &a->dcfg.link;
    case VCF_IUT_VMSG_DRIVER: return &a->drcfg.link;
    case VCF_IUT_VMSG_BUS: return &a->bcfg.link;
    default: return NULL;
    }
}

/* Apply one parameter to the configuration of a->role. false: the value is malformed. */
static bool apply_param(model_ad *a, enum pkey id, const char *v)
{
    uint64_t n = 0;
    bool b = false;
    vcf_vmsg_link *link = link_of(a);
    vcf_vmsg_device_config *dc = &a->dcfg;
    vcf_vmsg_driver_config *rc = &a->drcfg;
    switch (id) {
    case P_FEATURES:
        if (!parse_uint(v, UINT64_MAX, &n))
            return false;
        a->rcfg.features = n;
        return true;
    case P_ORDER:
        if (strcmp(v, "le") != 0 && strcmp(v, "be") != 0)
            return false;
        a->rcfg.legacy_order = v[0] == 'b' ? VCF_BIG_ENDIAN : VCF_LITTLE_ENDIAN;
        return true;
    case P_BUF_SIZE:
    case P_TX_BUFS:
    case P_ADDR_FIRST:
    case P_ADDR_LAST:
        if (!parse_uint(v, UINT32_MAX, &n))
            return false;
        if (id == P_BUF_SIZE)
            a->rcfg.buf_size = (uint32_t)n;
        else if (id == P_TX_BUFS)
            a->rcfg.tx_bufs = (uint32_t)n;
        else if (id == P_ADDR_FIRST)
            a->rcfg.addr_first = (uint32_t)n;
        else
            a->rcfg.addr_last = (uint32_t)n;
        a->pool_first |= id == P_ADDR_FIRST;
        a->pool_last |= id == P_ADDR_LAST;
        return true;
    case P_REV: {
        vcf_vmsg_rev rev;
        if (vcf_vmsg_rev_parse(v, &rev) != VCF_OK)
            return false;
        link->rev = rev;
        return true;
    }
    case P_MAX_MSG_SIZE:
        if (!parse_uint(v, UINT16_MAX, &n))
            return false;
        link->max_msg_size = (uint32_t)n;
        return true;
    case P_DEV_NUM:
        if (!parse_uint(v, UINT16_MAX, &n))
            return false;
        dc->dev_num = rc->dev_num = (uint16_t)n; /* the bus has no device number of its own */
        return true;
    case P_DEVICE_ID:
    case P_VENDOR_ID:
    case P_FEATURE_BITS:
        if (!parse_uint(v, UINT32_MAX, &n))
            return false;
        if (id == P_DEVICE_ID)
            dc->device_id = (uint32_t)n;
        else if (id == P_VENDOR_ID)
            dc->vendor_id = (uint32_t)n;
        else
            dc->num_feature_bits = (uint32_t)n;
        return true;
    case P_OFFERED: return parse_words(v, dc->offered);
    case P_REQUIRED: return parse_words(v, dc->required);
    case P_CONFIG: return parse_bytes(v, dc->config, sizeof dc->config, &dc->config_size);
    case P_QUEUES: return parse_queues(v, dc);
    case P_ADMIN_VQ: return parse_admin(v, dc);
    case P_SHM: return parse_shm(v, dc);
    case P_INACTIVE:
        if (!parse_bool(v, &b))
            return false;
        dc->inactive = b;
        return true;
    case P_WANTED: return parse_words(v, rc->wanted);
    case P_NUM_QUEUES:
    case P_QUEUE_SIZE:
        if (!parse_uint(v, UINT32_MAX, &n))
            return false;
        if (id == P_NUM_QUEUES)
            rc->num_queues = (uint32_t)n;
        else
            rc->queue_size = (uint32_t)n;
        return true;
    case P_RING_BASE:
        if (!parse_uint(v, UINT64_MAX, &n))
            return false;
        rc->ring_base = n;
        return true;
    case P_READ_CONFIG:
        if (!parse_bool(v, &b))
            return false;
        rc->read_config = b;
        return true;
    case P_WINDOW:
        if (!parse_uint(v, UINT16_MAX, &n))
            return false;
        a->bcfg.window = (uint16_t)n;
        return true;
    case P_M_ON_VIOLATION:
        if (strcmp(v, "noop") != 0 && strcmp(v, "apply") != 0)
            return false;
        link->opt.on_violation = v[0] == 'a' ? VCF_VMSG_VIOLATION_APPLY : VCF_VMSG_VIOLATION_NOOP;
        return true;
    case P_M_OVERSIZE:
        if (strcmp(v, "discard") != 0 && strcmp(v, "clamp") != 0)
            return false;
        link->opt.oversize = v[0] == 'c' ? VCF_VMSG_OVERSIZE_CLAMP : VCF_VMSG_OVERSIZE_DISCARD;
        return true;
    case P_M_REPORT:
        if (strcmp(v, "offered") != 0 && strcmp(v, "acked") != 0)
            return false;
        link->opt.report = v[0] == 'a' ? VCF_VMSG_REPORT_ACKED : VCF_VMSG_REPORT_OFFERED;
        return true;
    case P_M_GEN_INIT:
        if (!parse_uint(v, UINT32_MAX, &n))
            return false;
        link->opt.gen_init = (uint32_t)n;
        return true;
    case P_M_SET_CONFIG_ECHO:
    case P_M_PARTIAL_SET_CONFIG:
    case P_M_SET_CONFIG_BUMPS_GEN:
    case P_M_RESET_VQ_NEEDS_RING_RESET:
    case P_M_STATUS_ORDER_ENFORCED:
    case P_M_INACTIVE_SILENT:
    case P_M_ECHO_TOKEN:
    case P_M_GETDEV_ROUND:
    case P_M_VALIDATE_QUEUE_SIZE:
    case P_M_EVENT_CONFIG_DATA:
        if (!parse_bool(v, &b))
            return false;
        if (id == P_M_SET_CONFIG_ECHO)
            link->opt.set_config_echo = b;
        else if (id == P_M_PARTIAL_SET_CONFIG)
            link->opt.partial_set_config = b;
        else if (id == P_M_SET_CONFIG_BUMPS_GEN)
            link->opt.set_config_bumps_gen = b;
        else if (id == P_M_RESET_VQ_NEEDS_RING_RESET)
            link->opt.reset_vq_needs_ring_reset = b;
        else if (id == P_M_STATUS_ORDER_ENFORCED)
            link->opt.status_order_enforced = b;
        else if (id == P_M_INACTIVE_SILENT)
            link->opt.inactive_silent = b;
        else if (id == P_M_ECHO_TOKEN)
            link->opt.echo_token = b;
        else if (id == P_M_GETDEV_ROUND)
            link->opt.getdev_round = b;
        else if (id == P_M_EVENT_CONFIG_DATA)
            link->opt.event_config_data = b;
        else
            link->opt.validate_queue_size = b;
        return true;
    }
    return false;
}

static void role_list(uint32_t roles, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (uint32_t r = 1; r < VCF_IUT_ROLE_COUNT; r++)
        if (roles & BIT(r)) {
            int n =
                snprintf(buf + used, len - used, "%s%s", used ? ", " : "", vcf_iut_role_name(r));
            if (n < 0 || (size_t)n >= len - used)
                return;
            used += (size_t)n;
        }
}

static void key_list(uint32_t role, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_PDEFS; i++)
        if (pdefs[i].roles & BIT(role)) {
            int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", pdefs[i].key);
            if (n < 0 || (size_t)n >= len - used)
                return;
            used += (size_t)n;
        }
}

/* Apply every parameter (the first of a repeated key wins, as with vcf_param_get). */
static int apply_params(model_ad *a, uint32_t role, const vcf_adapter_param *params, size_t n,
                        char *why, size_t why_len)
{
    for (size_t i = 0; i < n; i++) {
        const char *key = params[i].key, *value = params[i].value;
        if (!key || !value) {
            say(why, why_len, "parameter %zu has no %s", i, key ? "value" : "key");
            return VCF_ADAPTER_UNSUPPORTED;
        }
        if (strncmp(key, "vcf.", 4) == 0)
            continue; /* harness metadata (vcf.case, ...): not the model's business */
        bool repeated = false;
        for (size_t j = 0; j < i && !repeated; j++)
            repeated = params[j].key && strcmp(params[j].key, key) == 0;
        if (repeated)
            continue;
        const pdef *d = NULL;
        for (size_t k = 0; k < N_PDEFS && !d; k++)
            if (strcmp(pdefs[k].key, key) == 0)
                d = &pdefs[k];
        if (!d) {
            char keys[512];
            key_list(role, keys, sizeof keys);
            say(why, why_len, "unknown parameter \"%s\" for %s (expected one of: %s)", key,
                vcf_iut_role_name(role), keys);
            return VCF_ADAPTER_UNSUPPORTED;
        }
        if (!(d->roles & BIT(role))) {
            char roles[160];
            role_list(d->roles, roles, sizeof roles);
            say(why, why_len, "parameter \"%s\" is not one of %s's: it belongs to %s", key,
                vcf_iut_role_name(role), roles);
            return VCF_ADAPTER_UNSUPPORTED;
        }
        if (!apply_param(a, d->id, value)) {
            say(why, why_len, "parameter %s=\"%.64s%s\": expected %s", key, value,
                strlen(value) > 64 ? "..." : "", expected_form(d->id));
            return VCF_ADAPTER_UNSUPPORTED;
        }
    }
    return VCF_ADAPTER_OK;
}

/* ---- reset --------------------------------------------------------------------------------- */

/* Allocate a model object on first use; it is kept for later resets. */
#define ALLOC_ONCE(p) ((p) ? (p) : ((p) = malloc(sizeof *(p))))

static int model_rejects(const vcf_error *e, char *why, size_t why_len)
{
    char text[256];
    vcf_error_format(e, text, sizeof text);
    say(why, why_len, "the model rejects the parameters: %s", text);
    return VCF_ADAPTER_UNSUPPORTED;
}

/* The last address of a profile's default dynamic pool (rpmsg_model.h). */
static uint32_t default_pool_last(vcf_rpmsg_profile profile)
{
    return profile == VCF_RPMSG_PROFILE_LINUX ? VCF_RPMSG_LINUX_ADDR_MAX
           : profile == VCF_RPMSG_PROFILE_OPENAMP
               ? VCF_RPMSG_RESERVED_ADDRESSES + VCF_RPMSG_OPENAMP_POOL - 1u
               : RP_ANY - 1u;
}

/* One end of the pool given: the other is the profile's default. */
static void complete_pool(model_ad *a)
{
    if (a->pool_first && !a->pool_last)
        a->rcfg.addr_last = default_pool_last(a->rcfg.profile);
    else if (a->pool_last && !a->pool_first)
        a->rcfg.addr_first = VCF_RPMSG_RESERVED_ADDRESSES;
}

/* Configuration faults: how the buggy implementation starts. */
static void rpmsg_config_faults(model_ad *a)
{
    vcf_rpmsg_config *c = &a->rcfg;
    if (has(a, F_RP_LEGACY_ALWAYS_LE))
        c->legacy_order = VCF_LITTLE_ENDIAN;
    if (has(a, F_RP_NS_WITHOUT_FEATURE))
        c->features |= UINT64_C(1) << VCF_RPMSG_F_NS;
    if (has(a, F_RP_TX_NO_CREDIT_CHECK))
        c->tx_bufs = UINT32_MAX;
    if (has(a, F_RP_RESERVED_ADDR) && !a->pool_first && !a->pool_last) {
        c->addr_first = 1; /* the default pool, started at 1 */
        c->addr_last = default_pool_last(c->profile);
    }
}

static int ad_reset(void *ud, uint32_t role, const vcf_adapter_param *params, size_t n_params,
                    char *why, size_t why_len)
{
    model_ad *a = ud;
    a->role = 0;
    a->pool_first = a->pool_last = false;
    queue_clear(a);
    memset(&a->rout, 0, sizeof a->rout);
    memset(&a->vout, 0, sizeof a->vout);
    a->gen_lag = 0;
    a->have_req = false;
    if (a->early)
        for (size_t i = 0; i < VCF_VMSG_BUS_MAX_HELD; i++)
            a->early[i].used = false;
    say(why, why_len, "%s", "");
    if (n_params && !params) {
        say(why, why_len, "no parameter list");
        return VCF_ADAPTER_ERROR;
    }

    vcf_error e;
    memset(&e, 0, sizeof e);
    int rc;
    switch (role) {
    case VCF_IUT_RPMSG_DRIVER:
    case VCF_IUT_RPMSG_DEVICE:
        vcf_rpmsg_config_default(&a->rcfg);
        a->rcfg.role = role == VCF_IUT_RPMSG_DRIVER ? VCF_RPMSG_ROLE_DRIVER : VCF_RPMSG_ROLE_DEVICE;
        a->rcfg.profile = a->rp_profile;
        if ((rc = apply_params(a, role, params, n_params, why, why_len)) != VCF_ADAPTER_OK)
            return rc;
        complete_pool(a);
        rpmsg_config_faults(a);
        if (!ALLOC_ONCE(a->rp))
            break;
        if (vcf_rpmsg_model_init(a->rp, &a->rcfg, &e) != VCF_OK)
            return model_rejects(&e, why, why_len);
        a->role = role;
        return VCF_ADAPTER_OK;
    case VCF_IUT_VMSG_DEVICE:
        a->role = role; /* for link_of() while parsing */
        vcf_vmsg_device_config_default(&a->dcfg);
        a->dcfg.dev_num = 0; /* PARAMS.txt: dev_num defaults to 0 */
        a->dcfg.link.profile = a->vm_profile;
        rc = apply_params(a, role, params, n_params, why, why_len);
        a->role = 0;
        if (rc != VCF_ADAPTER_OK)
            return rc;
        if (has(a, F_VM_FEATURES_OK_NEVER_REFUSED))
            memset(a->dcfg.required, 0, sizeof a->dcfg.required);
        if (has(a, F_VM_MAX_SIZE_IGNORED))
            a->dcfg.link.max_msg_size = VCF_VMSG_MSG_SIZE_LIMIT;
        if (!ALLOC_ONCE(a->dev))
            break;
        if (vcf_vmsg_device_init(a->dev, &a->dcfg, &e) != VCF_OK)
            return model_rejects(&e, why, why_len);
        a->role = role;
        return VCF_ADAPTER_OK;
    case VCF_IUT_VMSG_DRIVER:
        a->role = role;
        vcf_vmsg_driver_config_default(&a->drcfg);
        a->drcfg.dev_num = 0;
        a->drcfg.link.profile = a->vm_profile;
        rc = apply_params(a, role, params, n_params, why, why_len);
        a->role = 0;
        if (rc != VCF_ADAPTER_OK)
            return rc;
        if (!ALLOC_ONCE(a->drv))
            break;
        if (vcf_vmsg_driver_init(a->drv, &a->drcfg, &e) != VCF_OK)
            return model_rejects(&e, why, why_len);
        a->role = role;
        return VCF_ADAPTER_OK;
    case VCF_IUT_VMSG_BUS:
        a->role = role;
        vcf_vmsg_bus_config_default(&a->bcfg);
        a->bcfg.link.profile = a->vm_profile;
        rc = apply_params(a, role, params, n_params, why, why_len);
        a->role = 0;
        if (rc != VCF_ADAPTER_OK)
            return rc;
        if (!ALLOC_ONCE(a->bus))
            break;
        if (has(a, F_VM_BUS_OUT_OF_ORDER) && !a->early &&
            !(a->early = calloc(VCF_VMSG_BUS_MAX_HELD, sizeof *a->early)))
            break;
        if (a->early)
            memset(a->early, 0, VCF_VMSG_BUS_MAX_HELD * sizeof *a->early);
        if (vcf_vmsg_bus_init(a->bus, &a->bcfg, &e) != VCF_OK)
            return model_rejects(&e, why, why_len);
        a->role = role;
        return VCF_ADAPTER_OK;
    default:
        say(why, why_len, "the model has no role %u (roles 1..5: rpmsg-driver .. virtio-msg-bus)",
            (unsigned)role);
        return VCF_ADAPTER_UNSUPPORTED;
    }
    say(why, why_len, "out of memory for the %s model", vcf_iut_role_name(role));
    return VCF_ADAPTER_ERROR;
}

/* ---- RPMsg --------------------------------------------------------------------------------- */

static bool rp_be(const model_ad *a)
{
    return vcf_rpmsg_model_order(a->rp) == VCF_BIG_ENDIAN;
}

static bool queue_rpmsg(model_ad *a, const vcf_rpmsg_output *out)
{
    bool ok = true;
    if (out->has_tx)
        ok = push_msg(a, out->tx.vq, out->tx.data, out->tx.len, out->tx.reported_len);
    for (size_t i = 0; i < out->n_events && ok; i++) {
        const vcf_rpmsg_event *ev = &out->events[i];
        bool deliver = ev->type == VCF_RPMSG_EV_DELIVER;
        ok = push_event(a, VCF_EVT_RPMSG_BASE + (uint32_t)ev->type, ev->ept, ev->addr,
                        deliver ? ev->claimed_len : 0, 0, deliver ? ev->payload.ptr : ev->name,
                        deliver ? ev->payload.len : ev->name_len);
    }
    return ok;
}

/* Is this emitted frame a name-service message of the given kind (create: destroy false)? */
static bool rp_is_ns(model_ad *a, const uint8_t *p, size_t len, bool destroy)
{
    bool be = rp_be(a);
    if (!vcf_rpmsg_model_ns(a->rp) || len < RP_NS_FRAME || ld32(p + 4, be) != VCF_RPMSG_NS_ADDR)
        return false;
    return ((ld32(p + RP_NS_FLAGS, be) & VCF_RPMSG_NS_DESTROY) != 0) == destroy;
}

/* Output faults on the observations from index first on. kind: the action, or 0 for rx. */
static void rpmsg_output_faults(model_ad *a, size_t first, uint32_t kind)
{
    for (size_t i = first; i < a->n_obs; i++) {
        ad_obs *o = &a->obs[i];
        uint8_t *p = obs_bytes(a, o);
        if (o->kind == VCF_OBS_EVENT) {
            if (has(a, F_RP_NS_NAME_CUT) && o->type != VCF_EVT_RPMSG_BASE + VCF_RPMSG_EV_DELIVER &&
                o->len == VCF_RPMSG_NAME_SIZE)
                o->len = VCF_RPMSG_NAME_SIZE - 1u;
            continue;
        }
        if (o->kind != VCF_OBS_MSG)
            continue;
        bool create = kind == VCF_ACT_RPMSG_CREATE || kind == VCF_ACT_RPMSG_ANNOUNCE;
        if (has(a, F_RP_NS_NOT_ANNOUNCED) && create && rp_is_ns(a, p, o->len, false)) {
            o->kind = 0;
            continue;
        }
        if (has(a, F_RP_NS_NOT_WITHDRAWN) && kind == VCF_ACT_RPMSG_DESTROY &&
            rp_is_ns(a, p, o->len, true)) {
            o->kind = 0;
            continue;
        }
        if (has(a, F_RP_TX_LEN_SWAPPED) && o->len >= VCF_RPMSG_HDR_SIZE)
            swap2(p + 12);
    }
}

static int rpmsg_inject(model_ad *a, const vcf_adapter_msg *msg)
{
    uint32_t want = a->role == VCF_IUT_RPMSG_DRIVER ? 0u : 1u; /* the peer's transmit queue */
    if (msg->channel != want)
        return VCF_ADAPTER_ERROR;
    const uint8_t *buf = msg->data;
    size_t blen = msg->len;
    size_t used = msg->used_len ? msg->used_len : msg->len;
    size_t cap = msg->capacity ? msg->capacity : a->rcfg.buf_size;
    if (has(a, F_RP_RX_USED_LEN_TRUSTED) && a->role == VCF_IUT_RPMSG_DRIVER && used > cap)
        cap = used; /* the bug: the used length is believed */
    size_t need = used < cap ? used : cap;
    if (blen < need && !own(a, &buf, &blen, need)) /* bytes not supplied read as zero */
        return VCF_ADAPTER_ERROR;

    memset(&a->rout, 0, sizeof a->rout);
    if (need >= VCF_RPMSG_HDR_SIZE) {
        bool be = rp_be(a);
        uint32_t dst = ld32(buf + 4, be), reserved = ld32(buf + 8, be);
        size_t hlen = ld16(buf + 12, be);
        uint16_t flags = ld16(buf + 14, be);
        bool framed = used <= cap; /* a frame the checks below can reason about */
        if (has(a, F_RP_RX_SLACK_REJECTED) && framed && VCF_RPMSG_HDR_SIZE + hlen < used)
            return VCF_ADAPTER_OK; /* dropped: "bad length" */
        if (has(a, F_RP_RX_RESERVED_CHECKED) && framed && (reserved != 0 || flags != 0))
            return VCF_ADAPTER_OK; /* dropped as malformed */
        if (has(a, F_RP_RX_LEN_OFF_BY_ONE) && used < cap && hlen == used - VCF_RPMSG_HDR_SIZE + 1) {
            /* "len > used - 16" written as "len > used - 16 + 1": one more byte is read, the
             * buffer's next byte (zero here) */
            if (!own(a, &buf, &blen, used + 1))
                return VCF_ADAPTER_ERROR;
            used++;
        }
        if (vcf_rpmsg_model_ns(a->rp) && dst == VCF_RPMSG_NS_ADDR &&
            hlen == VCF_RPMSG_NS_MSG_SIZE && need >= RP_NS_FRAME) {
            uint32_t nsflags = ld32(buf + RP_NS_FLAGS, be);
            if (has(a, F_RP_NS_DESTROY_IGNORED) && (nsflags & VCF_RPMSG_NS_DESTROY))
                return VCF_ADAPTER_OK;
            if (has(a, F_RP_NS_FLAGS_ANY_BIT) && nsflags && !(nsflags & VCF_RPMSG_NS_DESTROY)) {
                uint8_t *w = own(a, &buf, &blen, 0);
                if (!w)
                    return VCF_ADAPTER_ERROR;
                st32(w + RP_NS_FLAGS, nsflags | VCF_RPMSG_NS_DESTROY, be);
            }
        }
    }
    vcf_rpmsg_rxbuf rx = {buf, blen, used, cap};
    (void)vcf_rpmsg_model_rx(a->rp, &rx, &a->rout);
    size_t first = a->n_obs;
    if (!queue_rpmsg(a, &a->rout))
        return VCF_ADAPTER_ERROR;
    rpmsg_output_faults(a, first, 0);
    return VCF_ADAPTER_OK;
}

/* Arguments wider than the model's fields are a harness error. */
static bool fits32(uint64_t v)
{
    return v <= UINT32_MAX;
}

static int rpmsg_action(model_ad *a, const vcf_adapter_action *act, vcf_adapter_result *res)
{
    vcf_rpmsg_model *m = a->rp;
    vcf_rpmsg_output *out = &a->rout;
    const uint64_t *arg = act->args;
    memset(out, 0, sizeof *out);
    switch (act->kind) {
    case VCF_ACT_RPMSG_CREATE: {
        if (!fits32(arg[0]) || !fits32(arg[1]))
            return VCF_ADAPTER_ERROR;
        const uint8_t *name = act->data;
        size_t nlen = act->len;
        if (!own(a, &name, &nlen, act->len + 1)) /* a terminated copy */
            return VCF_ADAPTER_ERROR;
        (void)vcf_rpmsg_model_create(m, (const char *)name, (uint32_t)arg[0], (uint32_t)arg[1],
                                     out);
        res->value = out->addr;
        break;
    }
    case VCF_ACT_RPMSG_DESTROY:
        if (!fits32(arg[0]))
            return VCF_ADAPTER_ERROR;
        (void)vcf_rpmsg_model_destroy(m, (uint32_t)arg[0], out);
        break;
    case VCF_ACT_RPMSG_SEND:
        if (!fits32(arg[0]) || !fits32(arg[1]) || (!act->data && act->len))
            return VCF_ADAPTER_ERROR;
        (void)vcf_rpmsg_model_send(m, (uint32_t)arg[0], (uint32_t)arg[1], act->data, act->len, out);
        break;
    case VCF_ACT_RPMSG_ANNOUNCE:
        if (!fits32(arg[0]))
            return VCF_ADAPTER_ERROR;
        (void)vcf_rpmsg_model_announce(m, (uint32_t)arg[0], arg[1] != 0, out);
        break;
    case VCF_ACT_RPMSG_RETURN:
        if (!fits32(arg[0]))
            return VCF_ADAPTER_ERROR;
        out->status = vcf_rpmsg_model_tx_returned(m, (uint32_t)arg[0], NULL);
        break;
    default: return VCF_ADAPTER_UNSUPPORTED;
    }
    res->status = out->status;
    size_t first = a->n_obs;
    if (!queue_rpmsg(a, out))
        return VCF_ADAPTER_ERROR;
    uint32_t kind = act->kind == VCF_ACT_RPMSG_ANNOUNCE && arg[1] ? 0u : act->kind;
    rpmsg_output_faults(a, first, kind);
    return VCF_ADAPTER_OK;
}

/* ---- virtio-msg: common -------------------------------------------------------------------- */

static uint32_t vmsg_channel(const model_ad *a, vcf_vmsg_dest dest)
{
    if (a->role != VCF_IUT_VMSG_BUS)
        return 0;
    return dest == VCF_VMSG_TO_DRIVER ? 1u : dest == VCF_VMSG_TO_DEVICE ? 2u : 0u;
}

static bool queue_vmsg(model_ad *a, const vcf_vmsg_output *out)
{
    for (size_t i = 0; i < out->n_tx; i++)
        if (!push_msg(a, vmsg_channel(a, out->tx[i].dest), out->tx[i].data, out->tx[i].len, 0))
            return false;
    for (size_t i = 0; i < out->n_events; i++) {
        const vcf_vmsg_event *ev = &out->events[i];
        if (!push_event(a, VCF_EVT_VMSG_BASE + (uint32_t)ev->type, ev->index, ev->offset,
                        ev->length, ev->value, NULL, 0))
            return false;
    }
    return true;
}

/* The header of a message as it arrives: false when it is shorter than one. */
typedef struct vhdr {
    uint8_t kind; /* type & (RESPONSE | BUS) */
    uint8_t id;
    uint16_t dev_num, token;
    size_t size; /* msg_size, bounded by the bytes present */
} vhdr;

static bool vm_hdr(const uint8_t *p, size_t len, vhdr *h)
{
    memset(h, 0, sizeof *h);
    if (len < VCF_VMSG_HDR_SIZE)
        return false;
    h->kind = (uint8_t)(p[0] & VM_TYPE_KIND);
    h->id = p[1];
    h->dev_num = ld16(p + 2, false);
    h->token = ld16(p + 4, false);
    size_t size = ld16(p + 6, false);
    h->size = size < len ? size : len;
    return true;
}

/* Output faults common to the device and the driver. */
static void vm_link_output_faults(model_ad *a, size_t first)
{
    for (size_t i = first; i < a->n_obs; i++) {
        ad_obs *o = &a->obs[i];
        if (o->kind != VCF_OBS_MSG || o->len < VCF_VMSG_HDR_SIZE)
            continue;
        if (has(a, F_VM_MSG_SIZE_SWAPPED))
            swap2(obs_bytes(a, o) + 6);
    }
}

/* ---- virtio-msg device ----------------------------------------------------------------------- */

/* vmsg-features-ok-never-refused: the written blocks are masked with the offer. */
static void mask_driver_features(model_ad *a, uint8_t *p, size_t size)
{
    uint32_t index = ld32(p + 8, false), count = ld32(p + 12, false);
    if (count > (size - 16) / 4)
        return;
    for (uint32_t k = 0; k < count; k++) {
        uint64_t b = (uint64_t)index + k;
        uint32_t offer = b < VCF_VMSG_MAX_FEATURE_BLOCKS && b < a->dcfg.num_feature_bits / 32u
                             ? a->dcfg.offered[b]
                             : 0;
        st32(p + 16 + 4 * k, ld32(p + 16 + 4 * k, false) & offer, false);
    }
}

static void device_output_faults(model_ad *a, size_t first)
{
    for (size_t i = first; i < a->n_obs; i++) {
        ad_obs *o = &a->obs[i];
        vhdr h;
        uint8_t *p = obs_bytes(a, o);
        if (o->kind != VCF_OBS_MSG || !vm_hdr(p, o->len, &h))
            continue;
        bool resp = h.kind == VCF_VMSG_TYPE_RESPONSE;
        if (has(a, F_VM_GENERATION_NOT_MOVED)) {
            size_t at = 0;
            if (resp && (h.id == VCF_VMSG_GET_CONFIG || h.id == VCF_VMSG_SET_CONFIG))
                at = 8;
            else if (h.kind == 0 && h.id == VCF_VMSG_EVENT_CONFIG)
                at = 12;
            if (at && o->len >= at + 4)
                st32(p + at, ld32(p + at, false) - a->gen_lag, false);
        }
        if (has(a, F_VM_NEEDS_RESET_NOT_STICKY) && resp &&
            (h.id == VCF_VMSG_GET_DEVICE_STATUS || h.id == VCF_VMSG_SET_DEVICE_STATUS) &&
            o->len >= 12)
            st32(p + 8, ld32(p + 8, false) & ~(uint32_t)VM_S_NR, false);
        if (has(a, F_VM_TOKEN_SWAPPED) && resp)
            swap2(p + 4);
    }
    vm_link_output_faults(a, first);
}

static int device_inject(model_ad *a, const vcf_adapter_msg *msg)
{
    if (msg->channel != 0)
        return VCF_ADAPTER_ERROR;
    const uint8_t *buf = msg->data;
    size_t blen = msg->len;
    vhdr h;
    bool hdr = vm_hdr(buf, blen, &h);
    bool req = hdr && h.kind == 0;
    if (req && h.id == VCF_VMSG_SET_DRIVER_FEATURES && h.size >= 16 &&
        has(a, F_VM_FEATURES_OK_NEVER_REFUSED)) {
        uint8_t *w = own(a, &buf, &blen, 0);
        if (!w)
            return VCF_ADAPTER_ERROR;
        mask_driver_features(a, w, h.size);
    }
    if (req && h.id == VCF_VMSG_SET_CONFIG && h.size >= 12 &&
        (has(a, F_VM_GENERATION_NOT_MOVED) || has(a, F_VM_STALE_GENERATION_ACCEPTED))) {
        uint8_t *w = own(a, &buf, &blen, 0);
        if (!w)
            return VCF_ADAPTER_ERROR;
        if (has(a, F_VM_GENERATION_NOT_MOVED)) /* the device's view of its own generation */
            st32(w + 8, ld32(w + 8, false) + a->gen_lag, false);
        if (has(a, F_VM_STALE_GENERATION_ACCEPTED)) /* the generation is not compared */
            st32(w + 8, vcf_vmsg_device_generation(a->dev), false);
    }
    (void)vcf_vmsg_device_rx(a->dev, buf, blen, &a->vout);
    size_t first = a->n_obs;
    if (!queue_vmsg(a, &a->vout))
        return VCF_ADAPTER_ERROR;
    if (has(a, F_VM_EVENT_ANSWERED) && req && h.id == VCF_VMSG_EVENT_AVAIL) {
        uint8_t r[VCF_VMSG_HDR_SIZE] = {VCF_VMSG_TYPE_RESPONSE, VCF_VMSG_EVENT_AVAIL};
        st16(r + 2, a->dcfg.dev_num, false);
        st16(r + 4, h.token, false);
        st16(r + 6, VCF_VMSG_HDR_SIZE, false);
        if (!push_msg(a, 0, r, sizeof r, 0))
            return VCF_ADAPTER_ERROR;
        order_messages_first(a, first);
    }
    device_output_faults(a, first);
    return VCF_ADAPTER_OK;
}

static int device_action(model_ad *a, const vcf_adapter_action *act)
{
    vcf_vmsg_device *d = a->dev;
    vcf_vmsg_output *out = &a->vout;
    const uint64_t *arg = act->args;
    switch (act->kind) {
    case VCF_ACT_VMSG_CONFIG_CHANGE: {
        if (!fits32(arg[0]) || !fits32(act->len) || (!act->data && act->len))
            return VCF_ADAPTER_ERROR;
        uint32_t before = vcf_vmsg_device_generation(d);
        (void)vcf_vmsg_device_config_change(d, (uint32_t)arg[0], act->data, (uint32_t)act->len,
                                            out);
        if (has(a, F_VM_GENERATION_NOT_MOVED))
            a->gen_lag += vcf_vmsg_device_generation(d) - before;
        return VCF_ADAPTER_OK;
    }
    case VCF_ACT_VMSG_FAIL: (void)vcf_vmsg_device_fail(d, out); return VCF_ADAPTER_OK;
    case VCF_ACT_VMSG_USED:
        if (!fits32(arg[0]))
            return VCF_ADAPTER_ERROR;
        (void)vcf_vmsg_device_used(d, (uint32_t)arg[0], out);
        return VCF_ADAPTER_OK;
    case VCF_ACT_VMSG_SET_ACTIVE:
        memset(out, 0, sizeof *out);
        vcf_vmsg_device_set_active(d, arg[0] != 0);
        return VCF_ADAPTER_OK;
    default: return VCF_ADAPTER_UNSUPPORTED;
    }
}

/* ---- virtio-msg driver ----------------------------------------------------------------------- */

/* Remember the last request the driver sent (for the driver's input faults). */
static void track_requests(model_ad *a, const vcf_vmsg_output *out)
{
    for (size_t i = 0; i < out->n_tx; i++) {
        vhdr h;
        const uint8_t *p = out->tx[i].data;
        if (!vm_hdr(p, out->tx[i].len, &h) || h.kind != 0 || h.id >= VCF_VMSG_EVENT_CONFIG)
            continue;
        a->have_req = true;
        a->req_id = h.id;
        a->req_token = h.token;
        a->req_status = h.id == VCF_VMSG_SET_DEVICE_STATUS && h.size >= 12 ? ld32(p + 8, false) : 0;
    }
}

static void driver_output_faults(model_ad *a, size_t first, const vcf_adapter_action *act)
{
    for (size_t i = first; i < a->n_obs; i++) {
        ad_obs *o = &a->obs[i];
        vhdr h;
        uint8_t *p = obs_bytes(a, o);
        if (o->kind != VCF_OBS_MSG || !vm_hdr(p, o->len, &h))
            continue;
        if (has(a, F_VM_DRV_NEXT_OFFSET_ALWAYS) && act && act->kind == VCF_ACT_VMSG_NOTIFY &&
            h.kind == 0 && h.id == VCF_VMSG_EVENT_AVAIL && o->len >= 16)
            st32(p + 12, (uint32_t)act->args[1], false);
    }
    vm_link_output_faults(a, first);
}

/* vmsg-driver-skips-reset: the reset that follows GET_DEVICE_INFO is taken as done without
 * being sent; the driver goes on as if the device had answered status 0. */
static int skip_reset(model_ad *a, size_t first)
{
    for (size_t i = first; i < a->n_obs; i++) {
        ad_obs *o = &a->obs[i];
        vhdr h;
        const uint8_t *p = obs_bytes(a, o);
        if (o->kind != VCF_OBS_MSG || !vm_hdr(p, o->len, &h) || h.kind != 0 ||
            h.id != VCF_VMSG_SET_DEVICE_STATUS || o->len < 12 || ld32(p + 8, false) != 0)
            continue;
        o->kind = 0;
        uint8_t r[12] = {VCF_VMSG_TYPE_RESPONSE, VCF_VMSG_SET_DEVICE_STATUS};
        st16(r + 2, h.dev_num, false);
        st16(r + 4, h.token, false);
        st16(r + 6, sizeof r, false);
        (void)vcf_vmsg_driver_rx(a->drv, r, sizeof r, &a->vout);
        track_requests(a, &a->vout);
        return queue_vmsg(a, &a->vout) ? VCF_ADAPTER_OK : VCF_ADAPTER_ERROR;
    }
    return VCF_ADAPTER_OK;
}

static int driver_inject(model_ad *a, const vcf_adapter_msg *msg)
{
    if (msg->channel != 0)
        return VCF_ADAPTER_ERROR;
    const uint8_t *buf = msg->data;
    size_t blen = msg->len;
    vhdr h;
    bool hdr = vm_hdr(buf, blen, &h);
    bool resp = hdr && h.kind == VCF_VMSG_TYPE_RESPONSE;
    if (resp && has(a, F_VM_DRV_IGNORES_FEATURES_REFUSAL) && h.id == VCF_VMSG_SET_DEVICE_STATUS &&
        h.size >= 12 && a->have_req && a->req_id == VCF_VMSG_SET_DEVICE_STATUS &&
        (a->req_status & VM_S_FEAT) && !(a->req_status & VM_S_OK) &&
        !(ld32(buf + 8, false) & VM_S_FEAT)) {
        uint8_t *w = own(a, &buf, &blen, 0);
        if (!w)
            return VCF_ADAPTER_ERROR;
        st32(w + 8, ld32(w + 8, false) | VM_S_FEAT, false); /* the bit is never looked at */
    }
    if (resp && has(a, F_VM_DRV_TOKEN_UNCHECKED) && a->drcfg.link.rev == VCF_VMSG_REV_RFC3 &&
        a->have_req && h.token != a->req_token) {
        uint8_t *w = own(a, &buf, &blen, 0);
        if (!w)
            return VCF_ADAPTER_ERROR;
        st16(w + 4, a->req_token, false);
    }
    (void)vcf_vmsg_driver_rx(a->drv, buf, blen, &a->vout);
    track_requests(a, &a->vout);
    size_t first = a->n_obs;
    if (!queue_vmsg(a, &a->vout))
        return VCF_ADAPTER_ERROR;
    if (resp && h.id == VCF_VMSG_GET_DEVICE_INFO && has(a, F_VM_DRV_SKIPS_RESET) &&
        skip_reset(a, first) != VCF_ADAPTER_OK)
        return VCF_ADAPTER_ERROR;
    order_messages_first(a, first);
    driver_output_faults(a, first, NULL);
    return VCF_ADAPTER_OK;
}

static int driver_action(model_ad *a, const vcf_adapter_action *act)
{
    vcf_vmsg_driver *d = a->drv;
    vcf_vmsg_output *out = &a->vout;
    const uint64_t *arg = act->args;
    switch (act->kind) {
    case VCF_ACT_VMSG_START: (void)vcf_vmsg_driver_start(d, out); break;
    case VCF_ACT_VMSG_TIMEOUT: (void)vcf_vmsg_driver_timeout(d, out); break;
    case VCF_ACT_VMSG_CONFIG_READ:
        if (!fits32(arg[0]) || !fits32(arg[1]))
            return VCF_ADAPTER_ERROR;
        (void)vcf_vmsg_driver_config_read(d, (uint32_t)arg[0], (uint32_t)arg[1], out);
        break;
    case VCF_ACT_VMSG_CONFIG_WRITE:
        if (!fits32(arg[0]) || !fits32(act->len) || (!act->data && act->len))
            return VCF_ADAPTER_ERROR;
        (void)vcf_vmsg_driver_config_write(d, (uint32_t)arg[0], act->data, (uint32_t)act->len, out);
        break;
    case VCF_ACT_VMSG_NOTIFY:
        if (!fits32(arg[0]) || !fits32(arg[1]))
            return VCF_ADAPTER_ERROR;
        (void)vcf_vmsg_driver_notify(d, (uint32_t)arg[0], (uint32_t)arg[1], out);
        break;
    case VCF_ACT_VMSG_RESET_VQ:
    case VCF_ACT_VMSG_SETUP_VQ:
    case VCF_ACT_VMSG_GET_SHM:
        if (!fits32(arg[0]))
            return VCF_ADAPTER_ERROR;
        if (act->kind == VCF_ACT_VMSG_RESET_VQ)
            (void)vcf_vmsg_driver_reset_vq(d, (uint32_t)arg[0], out);
        else if (act->kind == VCF_ACT_VMSG_SETUP_VQ)
            (void)vcf_vmsg_driver_setup_vq(d, (uint32_t)arg[0], out);
        else
            (void)vcf_vmsg_driver_get_shm(d, (uint32_t)arg[0], out);
        break;
    case VCF_ACT_VMSG_GET_STATUS: (void)vcf_vmsg_driver_get_status(d, out); break;
    case VCF_ACT_VMSG_RESET: (void)vcf_vmsg_driver_reset(d, arg[0] != 0, out); break;
    case VCF_ACT_VMSG_REMOVED: (void)vcf_vmsg_driver_removed(d, out); break;
    default: return VCF_ADAPTER_UNSUPPORTED;
    }
    track_requests(a, out);
    return VCF_ADAPTER_OK;
}

/* ---- virtio-msg bus -------------------------------------------------------------------------- */

static bool is_getdev_resp(const vhdr *h)
{
    return h->kind == VM_TYPE_KIND && h->id == VCF_VMSG_BUS_GET_DEVICES;
}

/* vmsg-bus-getdev-msb-first: every bitmap byte read or written with its bits reversed. */
static void flip_bitmap(uint8_t *p, size_t size)
{
    if (size < 14)
        return;
    size_t n = ((size_t)ld16(p + 10, false) + 7u) / 8u;
    for (size_t i = 0; i < n && 14 + i < size; i++)
        p[14 + i] = reverse_bits(p[14 + i]);
}

/* vmsg-bus-out-of-order: responses the model releases that were relayed early are dropped, and
 * entries whose hold slot the model has let go of are forgotten. */
static void early_filter(model_ad *a, size_t first)
{
    if (!a->early)
        return;
    for (size_t i = first; i < a->n_obs; i++) {
        ad_obs *o = &a->obs[i];
        if (o->kind != VCF_OBS_MSG || o->channel != 1)
            continue;
        for (size_t k = 0; k < VCF_VMSG_BUS_MAX_HELD; k++) {
            early_resp *e = &a->early[k];
            if (e->used && e->len == o->len && memcmp(e->buf, obs_bytes(a, o), o->len) == 0) {
                e->used = false;
                o->kind = 0;
                break;
            }
        }
    }
    for (size_t k = 0; k < VCF_VMSG_BUS_MAX_HELD; k++)
        if (a->early[k].used && !a->bus->held[a->early[k].slot].used)
            a->early[k].used = false;
}

/* vmsg-bus-out-of-order: a response the model has just held back is relayed at once. */
static bool early_relay(model_ad *a, const bool *was_held)
{
    for (int s = 0; s < (int)VCF_VMSG_BUS_MAX_HELD; s++) {
        const vcf_vmsg_held *h = &a->bus->held[s];
        if (!h->used || was_held[s])
            continue;
        for (size_t k = 0; k < VCF_VMSG_BUS_MAX_HELD; k++) {
            early_resp *e = &a->early[k];
            if (e->used)
                continue;
            e->used = true;
            e->slot = s;
            e->len = h->len;
            memcpy(e->buf, h->buf, h->len);
            break;
        }
        if (!push_msg(a, 1, h->buf, h->len, 0))
            return false;
    }
    return true;
}

static void bus_output_faults(model_ad *a, size_t first)
{
    for (size_t i = first; i < a->n_obs; i++) {
        ad_obs *o = &a->obs[i];
        vhdr h;
        uint8_t *p = obs_bytes(a, o);
        if (o->kind != VCF_OBS_MSG || o->channel != 0 || !vm_hdr(p, o->len, &h))
            continue;
        if (has(a, F_VM_BUS_GETDEV_MSB_FIRST) && is_getdev_resp(&h))
            flip_bitmap(p, o->len);
        if (has(a, F_VM_BUS_PING_DATA_SWAPPED) && h.kind == VM_TYPE_KIND &&
            h.id == VCF_VMSG_BUS_PING && o->len >= 12)
            swap4(p + 8);
    }
    if (has(a, F_VM_BUS_OUT_OF_ORDER))
        early_filter(a, first);
}

static int bus_inject(model_ad *a, const vcf_adapter_msg *msg)
{
    const uint8_t *buf = msg->data;
    size_t blen = msg->len;
    vhdr h;
    bool hdr = vm_hdr(buf, blen, &h);
    vcf_vmsg_bus *b = a->bus;
    vcf_vmsg_output *out = &a->vout;
    bool was_held[VCF_VMSG_BUS_MAX_HELD];
    for (size_t s = 0; s < VCF_VMSG_BUS_MAX_HELD; s++)
        was_held[s] = b->held[s].used;
    switch (msg->channel) {
    case 0:
        if (hdr && is_getdev_resp(&h) && has(a, F_VM_BUS_GETDEV_MSB_FIRST)) {
            uint8_t *w = own(a, &buf, &blen, 0);
            if (!w)
                return VCF_ADAPTER_ERROR;
            flip_bitmap(w, h.size);
        }
        (void)vcf_vmsg_bus_rx(b, buf, blen, out);
        break;
    case 1: (void)vcf_vmsg_bus_from_driver(b, buf, blen, out); break;
    case 2: (void)vcf_vmsg_bus_from_device(b, buf, blen, out); break;
    default: return VCF_ADAPTER_ERROR;
    }
    size_t first = a->n_obs;
    if (!queue_vmsg(a, out))
        return VCF_ADAPTER_ERROR;
    if (msg->channel == 1 && hdr && has(a, F_VM_BUS_UNVALIDATED_FORWARD) &&
        out->status == VCF_E_NOTFOUND && vcf_vmsg_output_find(out, VCF_VMSG_R_DEVNUM_03) &&
        !push_msg(a, 2, buf, h.size, 0))
        return VCF_ADAPTER_ERROR;
    if (msg->channel == 2 && hdr && (h.kind & VCF_VMSG_TYPE_RESPONSE) &&
        has(a, F_VM_BUS_TOKEN_NOT_RESTORED)) {
        for (size_t i = first; i < a->n_obs; i++) {
            ad_obs *o = &a->obs[i];
            uint8_t *p = obs_bytes(a, o);
            if (o->kind == VCF_OBS_MSG && o->channel == 1 && o->len >= VCF_VMSG_HDR_SIZE &&
                (p[0] & VCF_VMSG_TYPE_RESPONSE)) {
                st16(p + 4, h.token, false);
                break;
            }
        }
    }
    bus_output_faults(a, first);
    if (msg->channel == 2 && has(a, F_VM_BUS_OUT_OF_ORDER) && !early_relay(a, was_held))
        return VCF_ADAPTER_ERROR;
    order_messages_first(a, first);
    return VCF_ADAPTER_OK;
}

static int bus_action(model_ad *a, const vcf_adapter_action *act)
{
    vcf_vmsg_bus *b = a->bus;
    vcf_vmsg_output *out = &a->vout;
    const uint64_t *arg = act->args;
    switch (act->kind) {
    case VCF_ACT_VMSG_SET_DEVICE:
        if (arg[0] > UINT16_MAX)
            return VCF_ADAPTER_ERROR;
        (void)vcf_vmsg_bus_set_device(b, (uint16_t)arg[0], arg[1] != 0, arg[2] != 0, out);
        return VCF_ADAPTER_OK;
    case VCF_ACT_VMSG_ENUMERATE: (void)vcf_vmsg_bus_enumerate(b, out); return VCF_ADAPTER_OK;
    case VCF_ACT_VMSG_PING:
        if (!fits32(arg[0]))
            return VCF_ADAPTER_ERROR;
        (void)vcf_vmsg_bus_ping(b, (uint32_t)arg[0], out);
        return VCF_ADAPTER_OK;
    case VCF_ACT_VMSG_REQUEST_TIMEOUT:
        if (arg[0] > UINT16_MAX)
            return VCF_ADAPTER_ERROR;
        (void)vcf_vmsg_bus_timeout(b, (uint16_t)arg[0], out);
        return VCF_ADAPTER_OK;
    default: return VCF_ADAPTER_UNSUPPORTED;
    }
}

/* ---- the ABI ------------------------------------------------------------------------------- */

static int ad_inject(void *ud, const vcf_adapter_msg *msg)
{
    model_ad *a = ud;
    if (!a->role || !msg || (!msg->data && msg->len))
        return VCF_ADAPTER_ERROR;
    queue_begin(a);
    switch (a->role) {
    case VCF_IUT_RPMSG_DRIVER:
    case VCF_IUT_RPMSG_DEVICE: return rpmsg_inject(a, msg);
    case VCF_IUT_VMSG_DEVICE: return device_inject(a, msg);
    case VCF_IUT_VMSG_DRIVER: return driver_inject(a, msg);
    default: return bus_inject(a, msg);
    }
}

static int ad_action(void *ud, const vcf_adapter_action *act, vcf_adapter_result *res)
{
    model_ad *a = ud;
    if (!a->role || !act || !res)
        return VCF_ADAPTER_ERROR;
    const vcf_action_info *info = vcf_adapter_action_info(act->kind);
    if (!info || !(info->roles & BIT(a->role)))
        return VCF_ADAPTER_UNSUPPORTED;
    if (!act->data && act->len)
        return VCF_ADAPTER_ERROR;
    queue_begin(a);
    res->status = 0;
    res->value = 0;
    if (a->role == VCF_IUT_RPMSG_DRIVER || a->role == VCF_IUT_RPMSG_DEVICE)
        return rpmsg_action(a, act, res);

    int rc;
    switch (a->role) {
    case VCF_IUT_VMSG_DEVICE: rc = device_action(a, act); break;
    case VCF_IUT_VMSG_DRIVER: rc = driver_action(a, act); break;
    default: rc = bus_action(a, act); break;
    }
    if (rc != VCF_ADAPTER_OK)
        return rc;
    res->status = a->vout.status;
    size_t first = a->n_obs;
    if (!queue_vmsg(a, &a->vout))
        return VCF_ADAPTER_ERROR;
    if (a->role == VCF_IUT_VMSG_DEVICE)
        device_output_faults(a, first);
    else if (a->role == VCF_IUT_VMSG_DRIVER)
        driver_output_faults(a, first, act);
    else
        bus_output_faults(a, first);
    return VCF_ADAPTER_OK;
}

static void ad_close(void *ud)
{
    model_ad *a = ud;
    if (!a)
        return;
    free(a->rp);
    free(a->dev);
    free(a->drv);
    free(a->bus);
    free(a->early);
    free(a->obs);
    free(a->pool);
    free(a->scratch);
    free(a);
}

size_t vcf_model_adapter_verdicts(void *ud, const char **rules, size_t cap)
{
    const model_ad *a = ud;
    size_t n = 0;
    if (a->role == VCF_IUT_RPMSG_DRIVER || a->role == VCF_IUT_RPMSG_DEVICE) {
        n = a->rout.n_verdicts;
        for (size_t i = 0; i < n && i < cap; i++)
            rules[i] = vcf_rpmsg_rule_id(a->rout.verdicts[i].rule);
    } else if (a->role) {
        n = a->vout.n_verdicts;
        for (size_t i = 0; i < n && i < cap; i++)
            rules[i] = vcf_vmsg_rule_id(a->vout.verdicts[i].rule);
    }
    return n;
}

int vcf_model_adapter_init(const char *options, vcf_adapter *out, char *err, size_t err_len)
{
    say(err, err_len, "%s", "");
    if (!out) {
        say(err, err_len, "model adapter: no table to fill");
        return -1;
    }
    memset(out, 0, sizeof *out);
    model_ad *a = calloc(1, sizeof *a);
    if (!a) {
        say(err, err_len, "model adapter: out of memory");
        return -1;
    }
    a->rp_profile = VCF_RPMSG_PROFILE_STRICT;
    a->vm_profile = VCF_VMSG_PROFILE_STRICT;
    if (parse_options(a, options, err, err_len) != 0) {
        free(a);
        return -1;
    }
    out->abi_version = VCF_ADAPTER_ABI_VERSION;
    out->struct_size = (uint32_t)sizeof *out;
    out->ud = a;
    out->name = "model";
    out->version = VCF_VERSION;
    out->roles = ALL_ROLES;
    out->caps = VCF_ADAPTER_CAP_EVENTS;
    out->reset = ad_reset;
    out->inject = ad_inject;
    out->action = ad_action;
    out->poll = ad_poll;
    out->idle = NULL;
    out->close = ad_close;
    return 0;
}
