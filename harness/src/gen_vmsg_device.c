/* SPDX-License-Identifier: MIT */
/*
 * vconform gen: the golden vectors for a virtio-msg DEVICE under test.
 *
 * The harness plays the driver (and the bus in between): it injects transport requests and
 * EVENT_AVAIL on channel "link", asks the device's own side to act (config-change, fail, used,
 * set-active), and the builder records what the reference device answers. Every stimulus is
 * built with the codec's encoder (vmsg.h); malformed ones are a good encoding with named bytes
 * corrupted afterwards.
 *
 * Three conventions hold for every case (docs/vectors/virtio-msg-device.md):
 *   - PR28 leaves the token of what a device sends to the bus (reading A13): outside the cases
 *     about tokens, the token bytes of PR28 device messages are masked. RFC3 groups check them.
 *   - The generation of the EVENT_CONFIG announcing a failure (a status change) is masked.
 *   - The generation starts at the group's model.gen_init (0 unless stated) and the expected
 *     generations are absolute values counted from it.
 *
 * Where the draft is silent (readings A2, A4, A5, A7, A14, A15, A16, A13) or leaves a choice
 * (NOTIF-06: the data in EVENT_CONFIG), a case names the other reading with vcf_gen_variant
 * and both outcomes are acceptable.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "hex.h"
#include "vconform/adapter.h"
#include "vconform/vmsg.h"
#include "vconform/vmsg_model.h"

#define LINK 0u /* the only channel of the device role */

/* status bits */
#define ACK  VCF_VIRTIO_STATUS_ACKNOWLEDGE
#define DRV  VCF_VIRTIO_STATUS_DRIVER
#define DOK  VCF_VIRTIO_STATUS_DRIVER_OK
#define FOK  VCF_VIRTIO_STATUS_FEATURES_OK
#define NRST VCF_VIRTIO_STATUS_DEVICE_NEEDS_RESET
#define FAIL VCF_VIRTIO_STATUS_FAILED

/* feature bits of block 1 (bits 32..63) */
#define B1(bit) (1u << ((bit)-32u))
#define V1      B1(VCF_VIRTIO_F_VERSION_1)
#define RR      B1(VCF_VIRTIO_F_RING_RESET)
#define ND      B1(VCF_VIRTIO_F_NOTIFICATION_DATA)
#define PK      B1(VCF_VIRTIO_F_RING_PACKED)

/* where queue i's rings live */
#define RING(i) (0x40000000ull + (uint64_t)(i)*0x10000u)

/* variant flags (readings of docs/virtio-msg-model.md) */
#define F_TOKEN   "pr28-token-not-echoed"
#define F_REPORT  "features-report-acknowledged"
#define F_APPLY   "violation-applied"
#define F_ORDER   "status-order-enforced"
#define F_CLAMP   "oversize-clamped"
#define F_ECHO    "set-config-echo"
#define F_PARTIAL "set-config-partial"
#define F_BUMP    "set-config-bumps-generation"
#define F_RVQ     "reset-vqueue-needs-ring-reset"
#define F_SILENT  "inactive-silent"
#define F_POW2    "queue-size-power-of-two"
#define F_NODATA  "event-config-without-data"

#define RULES(...) vcf_gen_rules(d->g, __VA_ARGS__, NULL)

typedef struct dg {
    vcf_gen *g;
    vcf_vmsg_device_config cfg; /* the group's device */
    bool rfc3;
    bool keep_token; /* this case checks the PR28 token: no mask */
    uint16_t tok;    /* the next request's token */
    uint8_t scratch[VCF_VMSG_MSG_SIZE_LIMIT];
    uint8_t buf[VCF_VMSG_MSG_SIZE_LIMIT];
} dg;

/* ---- groups ---------------------------------------------------------------------------------- */

static void hex_words(char *s, size_t cap, const uint32_t *w, uint32_t n)
{
    size_t at = 0;
    s[0] = '\0';
    for (uint32_t i = 0; i < n && at < cap; i++)
        at += (size_t)snprintf(s + at, cap - at, "%s0x%08x", i ? "," : "", (unsigned)w[i]);
}

/* Start a group whose parameters describe cfg completely. */
static void group(dg *d, const char *description, const vcf_vmsg_device_config *cfg)
{
    static char text[2 * VCF_VMSG_MAX_CONFIG + 1];
    d->cfg = *cfg;
    d->rfc3 = cfg->link.rev == VCF_VMSG_REV_RFC3;
    vcf_gen_group(d->g, description);
    vcf_gen_param(d->g, "rev", vcf_vmsg_rev_name(cfg->link.rev));
    vcf_gen_param_u64(d->g, "max_msg_size", cfg->link.max_msg_size);
    vcf_gen_param_u64(d->g, "dev_num", cfg->dev_num);
    vcf_gen_param_u64(d->g, "device_id", cfg->device_id);
    vcf_gen_param_hex(d->g, "vendor_id", cfg->vendor_id);
    vcf_gen_param_u64(d->g, "feature_bits", cfg->num_feature_bits);
    hex_words(text, sizeof text, cfg->offered, cfg->num_feature_bits / 32u);
    vcf_gen_param(d->g, "offered", text);
    hex_words(text, sizeof text, cfg->required, cfg->num_feature_bits / 32u);
    vcf_gen_param(d->g, "required", text);
    vcf_cli_hex_encode(cfg->config, cfg->config_size, text);
    vcf_gen_param(d->g, "config", text);
    size_t at = 0;
    text[0] = '\0';
    for (uint32_t i = 0; i < cfg->max_virtqueues; i++)
        at += (size_t)snprintf(text + at, sizeof text - at, "%s%u", i ? "," : "",
                               (unsigned)cfg->vq_max_size[i]);
    vcf_gen_param(d->g, "queues", text);
    snprintf(text, sizeof text, "%u,%u", (unsigned)cfg->admin_vq_start,
             (unsigned)cfg->admin_vq_count);
    vcf_gen_param(d->g, "admin_vq", text);
    at = 0;
    text[0] = '\0';
    for (uint32_t i = 0; i < cfg->num_shm; i++)
        at += (size_t)snprintf(text + at, sizeof text - at, "%s0x%x@0x%x", i ? "," : "",
                               (unsigned)cfg->shm[i].length, (unsigned)cfg->shm[i].address);
    vcf_gen_param(d->g, "shm", text);
    vcf_gen_param(d->g, "inactive", cfg->inactive ? "1" : "0");
    vcf_gen_param_u64(d->g, "model.gen_init", cfg->link.opt.gen_init);
    vcf_gen_param(d->g, "model.event_config_data", cfg->link.opt.event_config_data ? "1" : "0");
}

/* The model's default device, as every group starts from it: dev_num 1 so that a response
 * that names the wrong device shows. */
static void base_cfg(vcf_vmsg_device_config *cfg)
{
    vcf_vmsg_device_config_default(cfg);
    cfg->dev_num = 1;
}

/* ---- cases and steps ------------------------------------------------------------------------- */

static void begin(dg *d, const char *id, vcf_vresult result, const char *description)
{
    vcf_gen_case(d->g, id, result, description);
    d->tok = 1;
    d->keep_token = false;
}

static void end(dg *d)
{
    vcf_gen_end(d->g);
}

/* PR28: the token of what the device sends is the bus's business (A13, HDR-14) unless the
 * case is about it. */
static void mask_tokens(dg *d)
{
    static const uint8_t zero[2] = {0, 0};
    if (d->rfc3 || d->keep_token)
        return;
    for (size_t i = 0;; i++) {
        size_t len = 0;
        const uint8_t *m = vcf_gen_last_msg(d->g, i, &len);
        if (!m)
            break;
        if (len >= VCF_VMSG_HDR_SIZE)
            vcf_gen_mask(d->g, i, 4, zero, sizeof zero);
    }
}

static void inject(dg *d, const uint8_t *bytes, size_t len)
{
    vcf_gen_inject(d->g, LINK, bytes, len);
    mask_tokens(d);
}

static size_t encode(dg *d, const vcf_vmsg_msg *m)
{
    vcf_error err;
    int n = vcf_vmsg_encode(m, d->buf, sizeof d->buf, &err);
    if (n < 0) {
        fprintf(stderr, "gen virtio-msg-device: cannot encode %s: %s (%s)\n",
                vcf_vmsg_kind_name(m->kind), vcf_status_name(n), err.field ? err.field : "?");
        abort();
    }
    return (size_t)n;
}

static void send(dg *d, const vcf_vmsg_msg *m)
{
    inject(d, d->buf, encode(d, m));
}

/* A request of kind k with the next token. */
static void req(dg *d, vcf_vmsg_msg *m, vcf_vmsg_kind k)
{
    (void)vcf_vmsg_init(m, k, d->cfg.dev_num, d->tok++);
}

static void q_info(dg *d)
{
    vcf_vmsg_msg m;
    req(d, &m, VCF_VMSG_K_GET_DEVICE_INFO_REQ);
    send(d, &m);
}

static void q_getfeat(dg *d, uint32_t index, uint32_t n)
{
    vcf_vmsg_msg m;
    req(d, &m, VCF_VMSG_K_GET_DEVICE_FEATURES_REQ);
    m.u.features.block_index = index;
    m.u.features.num_blocks = n;
    send(d, &m);
}

static void setfeat_msg(dg *d, vcf_vmsg_msg *m, uint32_t index, const uint32_t *blocks, uint32_t n)
{
    req(d, m, VCF_VMSG_K_SET_DRIVER_FEATURES_REQ);
    for (uint32_t i = 0; i < n; i++)
        for (unsigned b = 0; b < 4; b++)
            d->scratch[4 * i + b] = (uint8_t)(blocks[i] >> (8 * b));
    m->u.features.block_index = index;
    m->u.features.num_blocks = n;
    m->u.features.blocks.ptr = d->scratch;
    m->u.features.blocks.len = 4u * n;
}

static void q_setfeat(dg *d, uint32_t index, const uint32_t *blocks, uint32_t n)
{
    vcf_vmsg_msg m;
    setfeat_msg(d, &m, index, blocks, n);
    send(d, &m);
}

/* Blocks 0 and 1 in one request. */
static void q_setfeat2(dg *d, uint32_t b0, uint32_t b1)
{
    const uint32_t w[2] = {b0, b1};
    q_setfeat(d, 0, w, 2);
}

static void q_getcfg(dg *d, uint32_t offset, uint32_t length)
{
    vcf_vmsg_msg m;
    req(d, &m, VCF_VMSG_K_GET_CONFIG_REQ);
    m.u.config.offset = offset;
    m.u.config.length = length;
    send(d, &m);
}

static void setcfg_msg(dg *d, vcf_vmsg_msg *m, uint32_t gen, uint32_t offset, const void *data,
                       uint32_t len)
{
    req(d, m, VCF_VMSG_K_SET_CONFIG_REQ);
    m->u.config.generation = gen;
    m->u.config.offset = offset;
    m->u.config.length = len;
    m->u.config.data.ptr = data;
    m->u.config.data.len = len;
}

static void q_setcfg(dg *d, uint32_t gen, uint32_t offset, const void *data, uint32_t len)
{
    vcf_vmsg_msg m;
    setcfg_msg(d, &m, gen, offset, data, len);
    send(d, &m);
}

static void q_getstatus(dg *d)
{
    vcf_vmsg_msg m;
    req(d, &m, VCF_VMSG_K_GET_DEVICE_STATUS_REQ);
    send(d, &m);
}

static void q_setstatus(dg *d, uint32_t status)
{
    vcf_vmsg_msg m;
    req(d, &m, VCF_VMSG_K_SET_DEVICE_STATUS_REQ);
    m.u.status = status;
    send(d, &m);
}

static void q_getvq(dg *d, uint32_t index)
{
    vcf_vmsg_msg m;
    req(d, &m, VCF_VMSG_K_GET_VQUEUE_REQ);
    m.u.index = index;
    send(d, &m);
}

static void setvq_msg(dg *d, vcf_vmsg_msg *m, uint32_t index, uint32_t size, uint64_t desc,
                      uint64_t drv, uint64_t dev)
{
    req(d, m, VCF_VMSG_K_SET_VQUEUE_REQ);
    m->u.set_vqueue.index = index;
    m->u.set_vqueue.size = size;
    m->u.set_vqueue.desc_addr = desc;
    m->u.set_vqueue.driver_addr = drv;
    m->u.set_vqueue.device_addr = dev;
}

static void q_setvq_at(dg *d, uint32_t index, uint32_t size, uint64_t desc, uint64_t drv,
                       uint64_t dev)
{
    vcf_vmsg_msg m;
    setvq_msg(d, &m, index, size, desc, drv, dev);
    send(d, &m);
}

/* Queue i with its rings at RING(i). */
static void q_setvq(dg *d, uint32_t index, uint32_t size)
{
    q_setvq_at(d, index, size, RING(index), RING(index) + 0x4000u, RING(index) + 0x8000u);
}

static void q_resetvq(dg *d, uint32_t index)
{
    vcf_vmsg_msg m;
    req(d, &m, VCF_VMSG_K_RESET_VQUEUE_REQ);
    m.u.index = index;
    send(d, &m);
}

static void q_getshm(dg *d, uint32_t index)
{
    vcf_vmsg_msg m;
    req(d, &m, VCF_VMSG_K_GET_SHM_REQ);
    m.u.index = index;
    send(d, &m);
}

/* EVENT_AVAIL: an event, token 0. */
static void q_avail(dg *d, uint32_t vq, uint32_t next_offset)
{
    vcf_vmsg_msg m;
    (void)vcf_vmsg_init(&m, VCF_VMSG_K_EVENT_AVAIL, d->cfg.dev_num, 0);
    m.u.event_avail.vq_index = vq;
    m.u.event_avail.next_offset = next_offset;
    send(d, &m);
}

/* The device's own side. */

/* NOTIF-06 makes the data of EVENT_CONFIG optional: for a case whose config changes are
 * announced with their data, a device that always sends length 0 is accepted too. Call it
 * before the case's first step. */
static void change_data_optional(dg *d)
{
    vcf_gen_variant(d->g, F_NODATA, "model.event_config_data", "0");
}

static void a_change(dg *d, uint32_t offset, const void *data, size_t len)
{
    vcf_gen_action(d->g, VCF_ACT_VMSG_CONFIG_CHANGE, offset, 0, 0, data, len);
    mask_tokens(d);
}

/* A failure announces a status change, not a configuration change: whether the generation
 * moves with it is not said anywhere, so the generation of that EVENT_CONFIG is not compared
 * (the status, offset and length are). */
static void a_fail(dg *d)
{
    static const uint8_t zero[4] = {0, 0, 0, 0};
    vcf_gen_action(d->g, VCF_ACT_VMSG_FAIL, 0, 0, 0, NULL, 0);
    mask_tokens(d);
    for (size_t i = 0;; i++) {
        size_t len = 0;
        const uint8_t *m = vcf_gen_last_msg(d->g, i, &len);
        if (!m)
            break;
        if (len >= 16 && m[1] == VCF_VMSG_EVENT_CONFIG)
            vcf_gen_mask(d->g, i, 12, zero, sizeof zero); /* offset 12: generation */
    }
}

static void a_used(dg *d, uint32_t vq)
{
    vcf_gen_action(d->g, VCF_ACT_VMSG_USED, vq, 0, 0, NULL, 0);
    mask_tokens(d);
}

/* Buffers "used" on a queue that is not live: the rules fix only that no EVENT_USED goes out
 * (BASE-06, BASE-13); whether the device's side refuses the request or takes it and sends
 * nothing is its own business, so the action's result is not compared. */
static void a_used_idle(dg *d, uint32_t vq)
{
    a_used(d, vq);
    vcf_gen_result_any(d->g);
}

static void a_active(dg *d, bool active)
{
    vcf_gen_action(d->g, VCF_ACT_VMSG_SET_ACTIVE, active ? 1u : 0u, 0, 0, NULL, 0);
}

/* ---- initialisation -------------------------------------------------------------------------- */

typedef enum stage {
    ST_RESET = 1,       /* status written 0 */
    ST_ACK = 2,         /* ACKNOWLEDGE */
    ST_DRIVER = 3,      /* DRIVER */
    ST_FEATURES = 4,    /* SET_DRIVER_FEATURES blocks 0 and 1 */
    ST_FEATURES_OK = 5, /* FEATURES_OK */
    ST_VQ = 6,          /* queue 0 set up */
    ST_DRIVER_OK = 7    /* DRIVER_OK */
} stage;

/* The size queue 0 is set up with: 256 or the device's maximum if smaller. */
static uint32_t vq0_size(const dg *d)
{
    uint32_t max = d->cfg.vq_max_size[0];
    return max < 256 ? max : 256;
}

/* The standard initialisation up to st, accepting b1 in feature block 1 (and b0 in block 0). */
static void init_to2(dg *d, stage st, uint32_t b0, uint32_t b1)
{
    if (st >= ST_RESET)
        q_setstatus(d, 0);
    if (st >= ST_ACK)
        q_setstatus(d, ACK);
    if (st >= ST_DRIVER)
        q_setstatus(d, ACK | DRV);
    if (st >= ST_FEATURES)
        q_setfeat2(d, b0, b1);
    if (st >= ST_FEATURES_OK)
        q_setstatus(d, ACK | DRV | FOK);
    if (st >= ST_VQ)
        q_setvq(d, 0, vq0_size(d));
    if (st >= ST_DRIVER_OK)
        q_setstatus(d, ACK | DRV | FOK | DOK);
}

static void init_to(dg *d, stage st, uint32_t b1)
{
    init_to2(d, st, 0, b1);
}

/* DRIVER_OK with VERSION_1 and RING_RESET, queue 0 live. */
static void live(dg *d)
{
    init_to(d, ST_DRIVER_OK, V1 | RR);
}

/* ---- PR28, the default device ---------------------------------------------------------------- */

static void header_cases(dg *d)
{
    size_t n;
    vcf_vmsg_msg m;

    begin(d, "vmsg-dev-info-basic", VCF_VRESULT_VALID,
          "GET_DEVICE_INFO is answered with the configured device ID, vendor ID, feature bit "
          "count, config size, queue count and admin range, little-endian, with the device's "
          "own dev_num and a msg_size equal to the response's length.");
    RULES("VMSG-INFO-02", "VMSG-END-02", "VMSG-HDR-06", "VMSG-HDR-07", "VMSG-HDR-08",
          "VMSG-MAND-01");
    q_info(d);
    end(d);

    begin(d, "vmsg-dev-info-stable-during-init", VCF_VRESULT_VALID,
          "GET_DEVICE_INFO gives the same answer before initialisation, after FEATURES_OK and "
          "after DRIVER_OK.");
    RULES("VMSG-INFO-02");
    q_info(d);
    init_to(d, ST_FEATURES_OK, V1);
    q_info(d);
    q_setvq(d, 0, 256);
    q_setstatus(d, ACK | DRV | FOK | DOK);
    q_info(d);
    end(d);

    begin(d, "vmsg-dev-hdr-token-opaque", VCF_VRESULT_VALID,
          "PR28 requests with tokens 0, 1, 0x8000 and 0xffff are all answered the same way; "
          "the response copies the token (or carries 0 under the other reading of A13).");
    RULES("VMSG-HDR-10", "VMSG-HDR-07");
    d->keep_token = true;
    vcf_gen_variant(d->g, F_TOKEN, "model.echo_token", "0");
    {
        static const uint16_t tokens[] = {0, 1, 0x8000, 0xFFFF};
        for (size_t i = 0; i < sizeof tokens / sizeof *tokens; i++) {
            (void)vcf_vmsg_init(&m, VCF_VMSG_K_GET_DEVICE_STATUS_REQ, d->cfg.dev_num, tokens[i]);
            send(d, &m);
        }
    }
    end(d);

    begin(d, "vmsg-dev-hdr-token-same-twice", VCF_VRESULT_VALID,
          "Two PR28 requests with the same token are both answered: the device does not base "
          "its handling on the token.");
    RULES("VMSG-HDR-10");
    d->keep_token = true;
    vcf_gen_variant(d->g, F_TOKEN, "model.echo_token", "0");
    (void)vcf_vmsg_init(&m, VCF_VMSG_K_GET_DEVICE_STATUS_REQ, d->cfg.dev_num, 0x0042);
    send(d, &m);
    (void)vcf_vmsg_init(&m, VCF_VMSG_K_GET_DEVICE_INFO_REQ, d->cfg.dev_num, 0x0042);
    send(d, &m);
    end(d);

    begin(d, "vmsg-dev-hdr-type-each-reserved-bit", VCF_VRESULT_INVALID,
          "GET_DEVICE_STATUS with one of type bits 2..7 set is answered as if the bit were "
          "clear, and the response's reserved type bits are zero.");
    RULES("VMSG-HDR-06", "VMSG-HDR-15");
    for (unsigned bit = 2; bit < 8; bit++) {
        req(d, &m, VCF_VMSG_K_GET_DEVICE_STATUS_REQ);
        n = encode(d, &m);
        d->buf[0] = (uint8_t)(d->buf[0] | (1u << bit)); /* offset 0: type */
        inject(d, d->buf, n);
    }
    end(d);

    begin(d, "vmsg-dev-hdr-type-all-reserved-bits", VCF_VRESULT_INVALID,
          "A SET_DEVICE_STATUS(ACKNOWLEDGE) with type 0xfc is applied and answered with a clean "
          "response type 0x01.");
    RULES("VMSG-HDR-06", "VMSG-HDR-15", "VMSG-STATUS-06");
    req(d, &m, VCF_VMSG_K_SET_DEVICE_STATUS_REQ);
    m.u.status = ACK;
    n = encode(d, &m);
    d->buf[0] = 0xFC; /* offset 0: type, every reserved bit set, request */
    inject(d, d->buf, n);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-hdr-response-discarded", VCF_VRESULT_INVALID,
          "A GET_DEVICE_STATUS response sent to the device is discarded: no reply, no event.");
    RULES("VMSG-ERR-04");
    (void)vcf_vmsg_init(&m, VCF_VMSG_K_GET_DEVICE_STATUS_RESP, d->cfg.dev_num, 1);
    m.u.status = ACK;
    send(d, &m);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-hdr-set-status-response-not-applied", VCF_VRESULT_INVALID,
          "A SET_DEVICE_STATUS response carrying ACKNOWLEDGE is discarded and does not change "
          "the status.");
    RULES("VMSG-ERR-04", "VMSG-STATUS-05");
    (void)vcf_vmsg_init(&m, VCF_VMSG_K_SET_DEVICE_STATUS_RESP, d->cfg.dev_num, 1);
    m.u.status = ACK;
    send(d, &m);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-hdr-response-bit-on-event", VCF_VRESULT_INVALID,
          "EVENT_AVAIL with the response bit set (type 0x01) is discarded after DRIVER_OK: no "
          "reply and no avail event.");
    RULES("VMSG-ERR-04");
    live(d);
    (void)vcf_vmsg_init(&m, VCF_VMSG_K_EVENT_AVAIL, d->cfg.dev_num, 0);
    n = encode(d, &m);
    d->buf[0] = VCF_VMSG_TYPE_RESPONSE; /* offset 0: type */
    inject(d, d->buf, n);
    end(d);

    begin(d, "vmsg-dev-hdr-bus-message-discarded", VCF_VRESULT_INVALID,
          "A bus PING (type 0x02) reaching the device is discarded: devices implement no bus "
          "message.");
    RULES("VMSG-ERR-04", "VMSG-REV-02");
    (void)vcf_vmsg_init(&m, VCF_VMSG_K_BUS_PING_REQ, 0, 1);
    m.u.ping = 0xdeadbeefu;
    send(d, &m);
    end(d);

    begin(d, "vmsg-dev-hdr-bus-bit-on-transport-request", VCF_VRESULT_INVALID,
          "GET_DEVICE_STATUS with the bus bit set in type (0x02) is discarded.");
    RULES("VMSG-ERR-04");
    req(d, &m, VCF_VMSG_K_GET_DEVICE_STATUS_REQ);
    n = encode(d, &m);
    d->buf[0] = VCF_VMSG_TYPE_BUS; /* offset 0: type */
    inject(d, d->buf, n);
    end(d);

    begin(d, "vmsg-dev-hdr-event-config-from-driver", VCF_VRESULT_INVALID,
          "An EVENT_CONFIG sent to the device (a device-to-driver event) is discarded and "
          "changes neither the configuration nor the generation.");
    RULES("VMSG-ERR-04");
    {
        static const uint8_t junk[2] = {0xaa, 0xbb};
        (void)vcf_vmsg_init(&m, VCF_VMSG_K_EVENT_CONFIG, d->cfg.dev_num, 0);
        m.u.event_config.generation = 5;
        m.u.event_config.length = 2;
        m.u.event_config.data.ptr = junk;
        m.u.event_config.data.len = 2;
        send(d, &m);
    }
    q_getcfg(d, 0, 2);
    end(d);

    begin(d, "vmsg-dev-hdr-event-used-from-driver", VCF_VRESULT_INVALID,
          "An EVENT_USED sent to the device after DRIVER_OK is discarded: no reply, no event.");
    RULES("VMSG-ERR-04");
    live(d);
    (void)vcf_vmsg_init(&m, VCF_VMSG_K_EVENT_USED, d->cfg.dev_num, 0);
    m.u.index = 0;
    send(d, &m);
    end(d);

    begin(d, "vmsg-dev-hdr-undefined-request-ids", VCF_VRESULT_INVALID,
          "Requests with the undefined transport IDs 0x00, 0x01, 0x0d and 0x3f are discarded "
          "without reply.");
    RULES("VMSG-ERR-04", "VMSG-REV-02", "VMSG-REV-06");
    {
        static const uint8_t ids[] = {0x00, 0x01, 0x0D, 0x3F};
        for (size_t i = 0; i < sizeof ids; i++) {
            req(d, &m, VCF_VMSG_K_GET_DEVICE_STATUS_REQ);
            n = encode(d, &m);
            d->buf[1] = ids[i]; /* offset 1: msg_id */
            inject(d, d->buf, n);
        }
    }
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-hdr-undefined-event-ids", VCF_VRESULT_INVALID,
          "Events with the undefined transport IDs 0x43 and 0x7f are discarded without reply.");
    RULES("VMSG-ERR-04", "VMSG-REV-06");
    {
        static const uint8_t ids[] = {0x43, 0x7F};
        for (size_t i = 0; i < sizeof ids; i++) {
            (void)vcf_vmsg_init(&m, VCF_VMSG_K_EVENT_USED, d->cfg.dev_num, 0);
            n = encode(d, &m);
            d->buf[1] = ids[i]; /* offset 1: msg_id */
            inject(d, d->buf, n);
        }
    }
    end(d);

    begin(d, "vmsg-dev-hdr-impl-defined-ids-unsupported", VCF_VRESULT_INVALID,
          "Implementation-defined requests (0x80, 0xbf) and events (0xc0, 0xff) the device "
          "does not implement are discarded without reply.");
    RULES("VMSG-ERR-04", "VMSG-REV-02", "VMSG-REV-06");
    {
        static const uint8_t ids[] = {0x80, 0xBF, 0xC0, 0xFF};
        for (size_t i = 0; i < sizeof ids; i++) {
            req(d, &m, VCF_VMSG_K_GET_DEVICE_STATUS_REQ);
            if (ids[i] >= 0xC0)
                m.hdr.token = 0;
            n = encode(d, &m);
            d->buf[1] = ids[i]; /* offset 1: msg_id */
            inject(d, d->buf, n);
        }
    }
    end(d);

    begin(d, "vmsg-dev-hdr-truncated-header", VCF_VRESULT_INVALID,
          "A 6-byte message (a header cut short before msg_size) is discarded without reply.");
    RULES("VMSG-ERR-04");
    req(d, &m, VCF_VMSG_K_GET_DEVICE_STATUS_REQ);
    n = encode(d, &m);
    inject(d, d->buf, 6);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-hdr-msg-size-below-header", VCF_VRESULT_INVALID,
          "GET_DEVICE_STATUS whose msg_size says 4 (less than the 8-byte header) is "
          "discarded.");
    RULES("VMSG-ERR-04");
    req(d, &m, VCF_VMSG_K_GET_DEVICE_STATUS_REQ);
    n = encode(d, &m);
    d->buf[6] = 4; /* offset 6: msg_size */
    inject(d, d->buf, n);
    end(d);

    begin(d, "vmsg-dev-hdr-msg-size-past-buffer", VCF_VRESULT_INVALID,
          "GET_DEVICE_STATUS whose msg_size says 12 in an 8-byte message is discarded.");
    RULES("VMSG-ERR-04");
    req(d, &m, VCF_VMSG_K_GET_DEVICE_STATUS_REQ);
    n = encode(d, &m);
    d->buf[6] = 12; /* offset 6: msg_size */
    inject(d, d->buf, n);
    end(d);

    begin(d, "vmsg-dev-hdr-missing-payload", VCF_VRESULT_INVALID,
          "SET_DEVICE_STATUS without its 4-byte status field (msg_size 8) is discarded and "
          "changes nothing.");
    RULES("VMSG-ERR-04");
    req(d, &m, VCF_VMSG_K_GET_DEVICE_STATUS_REQ);
    n = encode(d, &m);
    d->buf[1] = VCF_VMSG_SET_DEVICE_STATUS; /* offset 1: msg_id of a request with payload */
    inject(d, d->buf, n);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-hdr-extra-payload", VCF_VRESULT_INVALID,
          "GET_DEVICE_STATUS carrying 4 payload bytes it does not define (msg_size 12) is "
          "discarded.");
    RULES("VMSG-ERR-04");
    req(d, &m, VCF_VMSG_K_SET_DEVICE_STATUS_REQ);
    m.u.status = ACK;
    n = encode(d, &m);
    d->buf[1] = VCF_VMSG_GET_DEVICE_STATUS; /* offset 1: msg_id of a header-only request */
    inject(d, d->buf, n);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-hdr-truncated-field", VCF_VRESULT_INVALID,
          "GET_VQUEUE cut to 10 bytes (msg_size 10, index field incomplete) is discarded.");
    RULES("VMSG-ERR-04");
    req(d, &m, VCF_VMSG_K_GET_VQUEUE_REQ);
    n = encode(d, &m);
    d->buf[6] = 10; /* offset 6: msg_size */
    inject(d, d->buf, 10);
    end(d);

    begin(d, "vmsg-dev-hdr-features-count-mismatch", VCF_VRESULT_INVALID,
          "SET_DRIVER_FEATURES whose num_blocks (3, then 1) disagrees with the two blocks "
          "msg_size carries is discarded: nothing is recorded before FEATURES_OK.");
    RULES("VMSG-ERR-04");
    init_to(d, ST_DRIVER, 0);
    {
        const uint32_t w[2] = {0, V1 | RR};
        setfeat_msg(d, &m, 0, w, 2);
        n = encode(d, &m);
        d->buf[12] = 3; /* offset 12: num_blocks */
        inject(d, d->buf, n);
        setfeat_msg(d, &m, 0, w, 2);
        n = encode(d, &m);
        d->buf[12] = 1; /* offset 12: num_blocks */
        inject(d, d->buf, n);
    }
    q_setstatus(d, ACK | DRV | FOK);
    end(d);

    begin(d, "vmsg-dev-hdr-set-config-length-mismatch", VCF_VRESULT_INVALID,
          "SET_CONFIG whose length field says 4 but carries 2 bytes is discarded; the "
          "configuration is unchanged.");
    RULES("VMSG-ERR-04");
    init_to(d, ST_FEATURES_OK, V1);
    {
        static const uint8_t two[2] = {0xaa, 0xbb};
        setcfg_msg(d, &m, 0, 0, two, 2);
        n = encode(d, &m);
        d->buf[16] = 4; /* offset 16: length */
        inject(d, d->buf, n);
    }
    q_getcfg(d, 0, 4);
    end(d);
}

static void feature_cases(dg *d)
{
    begin(d, "vmsg-dev-feat-get-implemented", VCF_VRESULT_VALID,
          "GET_DEVICE_FEATURES for blocks 0 and 1 returns the offered bits (VERSION_1 and "
          "RING_RESET in block 1).");
    RULES("VMSG-FEAT-01", "VMSG-MAND-01", "VMSG-BASE-09");
    q_getfeat(d, 0, 2);
    end(d);

    begin(d, "vmsg-dev-feat-get-past-implemented", VCF_VRESULT_VALID,
          "GET_DEVICE_FEATURES for blocks 1..4 returns block 1 followed by three zero blocks.");
    RULES("VMSG-FEAT-01");
    q_getfeat(d, 1, 4);
    end(d);

    begin(d, "vmsg-dev-feat-get-beyond-all-blocks", VCF_VRESULT_VALID,
          "GET_DEVICE_FEATURES for block 2 (the first past the device's 64 bits) and for block "
          "1000 returns zeros.");
    RULES("VMSG-FEAT-01");
    q_getfeat(d, 2, 1);
    q_getfeat(d, 1000, 2);
    end(d);

    begin(d, "vmsg-dev-feat-get-index-wraps", VCF_VRESULT_VALID,
          "GET_DEVICE_FEATURES at block 0xffffffff for 2 blocks returns zeros, not block 0 of a "
          "wrapped index.");
    RULES("VMSG-FEAT-01");
    q_getfeat(d, 0xFFFFFFFFu, 2);
    end(d);

    begin(d, "vmsg-dev-feat-get-zero-blocks", VCF_VRESULT_VALID,
          "GET_DEVICE_FEATURES for 0 blocks is answered with num_blocks 0 and no data.");
    RULES("VMSG-FEAT-01", "VMSG-HDR-07");
    q_getfeat(d, 0, 0);
    end(d);

    begin(d, "vmsg-dev-feat-get-largest-fitting", VCF_VRESULT_VALID,
          "GET_DEVICE_FEATURES for 62 blocks is answered in a response of exactly 264 bytes, "
          "the bus maximum.");
    RULES("VMSG-SIZE-02", "VMSG-FEAT-01", "VMSG-HDR-07");
    q_getfeat(d, 0, 62);
    end(d);

    begin(d, "vmsg-dev-feat-get-one-over-maximum", VCF_VRESULT_INVALID,
          "GET_DEVICE_FEATURES for 63 blocks, whose response would be 268 bytes, gets no "
          "response over the 264-byte maximum (or one clamped to 62 blocks).");
    RULES("VMSG-SIZE-02");
    vcf_gen_variant(d->g, F_CLAMP, "model.oversize", "clamp");
    q_getfeat(d, 0, 63);
    end(d);

    begin(d, "vmsg-dev-feat-accept-offered", VCF_VRESULT_VALID,
          "Driver features VERSION_1 and RING_RESET are recorded and FEATURES_OK is kept in the "
          "SET_DEVICE_STATUS response and in GET_DEVICE_STATUS.");
    RULES("VMSG-FEAT-04", "VMSG-FEAT-06", "VMSG-STATUS-05", "VMSG-STATUS-06", "VMSG-BASE-09",
          "VMSG-BASE-17");
    init_to(d, ST_FEATURES_OK, V1 | RR);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-feat-accept-every-subset", VCF_VRESULT_VALID,
          "Each subset of the offer (none, VERSION_1, RING_RESET, both) is accepted with "
          "FEATURES_OK, with a reset between negotiations.");
    RULES("VMSG-BASE-17");
    {
        static const uint32_t sets[] = {0, V1, RR, V1 | RR};
        for (size_t i = 0; i < sizeof sets / sizeof *sets; i++)
            init_to(d, ST_FEATURES_OK, sets[i]);
    }
    end(d);

    begin(d, "vmsg-dev-feat-renegotiate-after-reset", VCF_VRESULT_VALID,
          "A feature set accepted before a reset after DRIVER_OK is accepted again after it.");
    RULES("VMSG-BASE-17");
    live(d);
    init_to(d, ST_FEATURES_OK, V1 | RR);
    end(d);

    begin(d, "vmsg-dev-feat-block-by-block", VCF_VRESULT_VALID,
          "Features written in two requests, block 0 then block 1, are accepted with "
          "FEATURES_OK.");
    RULES("VMSG-FEAT-06", "VMSG-BASE-09");
    init_to(d, ST_DRIVER, 0);
    {
        const uint32_t b0 = 0, b1 = V1 | RR;
        q_setfeat(d, 0, &b0, 1);
        q_setfeat(d, 1, &b1, 1);
    }
    q_setstatus(d, ACK | DRV | FOK);
    end(d);

    begin(d, "vmsg-dev-feat-unoffered-bit-refused", VCF_VRESULT_INVALID,
          "Driver features naming NOTIFICATION_DATA, which the device does not offer, make it "
          "refuse FEATURES_OK: the response and GET_DEVICE_STATUS show 0x03.");
    RULES("VMSG-FEAT-04", "VMSG-FEAT-07", "VMSG-BASE-09", "VMSG-STATUS-05", "VMSG-STATUS-06");
    init_to(d, ST_FEATURES_OK, V1 | ND);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-feat-unoffered-block0-bit-refused", VCF_VRESULT_INVALID,
          "Driver features with bit 0 of block 0 (not offered) make the device refuse "
          "FEATURES_OK.");
    RULES("VMSG-FEAT-04", "VMSG-FEAT-07", "VMSG-BASE-09");
    init_to2(d, ST_FEATURES_OK, 1, V1);
    end(d);

    begin(d, "vmsg-dev-feat-beyond-blocks-refused", VCF_VRESULT_INVALID,
          "A set bit written in block 20, past the device's feature blocks, makes it refuse "
          "FEATURES_OK.");
    RULES("VMSG-FEAT-07", "VMSG-BASE-09", "VMSG-FEAT-04");
    init_to(d, ST_DRIVER, 0);
    {
        const uint32_t one = 1;
        q_setfeat(d, 20, &one, 1);
    }
    q_setstatus(d, ACK | DRV | FOK);
    end(d);

    begin(d, "vmsg-dev-feat-zero-beyond-blocks-accepted", VCF_VRESULT_VALID,
          "Zero blocks written past the device's feature blocks do not stop FEATURES_OK.");
    RULES("VMSG-BASE-17");
    init_to(d, ST_DRIVER, 0);
    {
        const uint32_t w[4] = {0, V1, 0, 0};
        q_setfeat(d, 0, w, 4);
    }
    q_setstatus(d, ACK | DRV | FOK);
    end(d);

    begin(d, "vmsg-dev-feat-refused-then-failed", VCF_VRESULT_INVALID,
          "After a refused FEATURES_OK the driver adds FAILED: the device reports 0x83.");
    RULES("VMSG-FEAT-07", "VMSG-STATUS-06");
    init_to(d, ST_FEATURES_OK, V1 | ND);
    q_setstatus(d, ACK | DRV | FAIL);
    end(d);

    begin(d, "vmsg-dev-feat-get-after-set", VCF_VRESULT_VALID,
          "GET_DEVICE_FEATURES after SET_DRIVER_FEATURES(VERSION_1) reports the offered bits "
          "(or the acknowledged set under the other reading of A4).");
    RULES("VMSG-FEAT-06");
    vcf_gen_variant(d->g, F_REPORT, "model.report", "acked");
    init_to(d, ST_FEATURES_OK, V1);
    q_getfeat(d, 0, 2);
    end(d);

    begin(d, "vmsg-dev-feat-set-after-features-ok", VCF_VRESULT_INVALID,
          "SET_DRIVER_FEATURES after FEATURES_OK is answered and leaves the negotiated set "
          "alone (or is applied under the other reading of A14).");
    RULES("VMSG-BASE-02", "VMSG-FEAT-06");
    vcf_gen_variant(d->g, F_APPLY, "model.on_violation", "apply");
    init_to(d, ST_FEATURES_OK, V1);
    q_setfeat2(d, 0, V1 | RR);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-feat-set-before-driver", VCF_VRESULT_INVALID,
          "SET_DRIVER_FEATURES before ACKNOWLEDGE and DRIVER is answered and not recorded (or "
          "recorded under the other reading of A14).");
    RULES("VMSG-BASE-01", "VMSG-FEAT-06");
    vcf_gen_variant(d->g, F_APPLY, "model.on_violation", "apply");
    q_setfeat2(d, 0, V1);
    end(d);
}

static void status_cases(dg *d)
{
    begin(d, "vmsg-dev-status-initial", VCF_VRESULT_VALID,
          "A fresh device reports status 0 in GET_DEVICE_STATUS.");
    RULES("VMSG-STATUS-05", "VMSG-MAND-01");
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-status-full-init", VCF_VRESULT_VALID,
          "The standard initialisation (reset, ACKNOWLEDGE, DRIVER, features read and written, "
          "FEATURES_OK checked, queue 0 read, set and verified, DRIVER_OK) is answered at every "
          "step.");
    RULES("VMSG-MAND-01", "VMSG-STATUS-06", "VMSG-STATUS-05", "VMSG-VQ-05", "VMSG-VQ-06",
          "VMSG-VQ-08", "VMSG-FINAL-05", "VMSG-FEAT-04", "VMSG-END-02");
    q_info(d);
    q_setstatus(d, 0);
    q_setstatus(d, ACK);
    q_setstatus(d, ACK | DRV);
    q_getfeat(d, 0, 2);
    q_setfeat2(d, 0, V1 | RR);
    q_setstatus(d, ACK | DRV | FOK);
    q_getstatus(d);
    q_getcfg(d, 0, d->cfg.config_size);
    q_getvq(d, 0);
    q_setvq(d, 0, 256);
    q_getvq(d, 0);
    q_setstatus(d, ACK | DRV | FOK | DOK);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-status-reset-after-driver-ok", VCF_VRESULT_VALID,
          "SET_DEVICE_STATUS(0) after DRIVER_OK is answered with 0 and drops the queue set-up "
          "and the negotiated state.");
    RULES("VMSG-STATUS-04", "VMSG-STATUS-05", "VMSG-VQ-06");
    live(d);
    q_setstatus(d, 0);
    q_getstatus(d);
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-status-same-value-twice", VCF_VRESULT_VALID,
          "Writing the current status (0x0b) again changes nothing and is answered with it.");
    RULES("VMSG-STATUS-06");
    init_to(d, ST_FEATURES_OK, V1);
    q_setstatus(d, ACK | DRV | FOK);
    end(d);

    begin(d, "vmsg-dev-status-clear-bits", VCF_VRESULT_INVALID,
          "A status write that clears FEATURES_OK without a reset is answered with the status "
          "the device really has (unchanged, or applied under the other reading of A14).");
    RULES("VMSG-BASE-05", "VMSG-STATUS-06", "VMSG-STATUS-05");
    vcf_gen_variant(d->g, F_APPLY, "model.on_violation", "apply");
    init_to(d, ST_FEATURES_OK, V1);
    q_setstatus(d, ACK | DRV);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-status-failed-added", VCF_VRESULT_VALID,
          "FAILED added on top of FEATURES_OK is kept: the response shows 0x8b.");
    RULES("VMSG-STATUS-06");
    init_to(d, ST_FEATURES_OK, V1);
    q_setstatus(d, ACK | DRV | FOK | FAIL);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-status-skipped-steps", VCF_VRESULT_INVALID,
          "DRIVER_OK written at once on a reset device (skipping every step) is applied, or "
          "refused when the device enforces the order (A14); the response shows which.");
    RULES("VMSG-BASE-01", "VMSG-STATUS-06");
    vcf_gen_variant(d->g, F_ORDER, "model.status_order_enforced", "1");
    q_setstatus(d, ACK | DRV | FOK | DOK);
    end(d);

    begin(d, "vmsg-dev-status-driver-without-acknowledge", VCF_VRESULT_INVALID,
          "DRIVER written without ACKNOWLEDGE is applied, or refused when the device enforces "
          "the order (A14).");
    RULES("VMSG-BASE-01", "VMSG-STATUS-06");
    vcf_gen_variant(d->g, F_ORDER, "model.status_order_enforced", "1");
    q_setstatus(d, DRV);
    end(d);

    begin(d, "vmsg-dev-status-needs-reset-after-driver-ok", VCF_VRESULT_VALID,
          "A device failure after DRIVER_OK sets DEVICE_NEEDS_RESET and sends EVENT_CONFIG with "
          "status 0x4f and length 0.");
    RULES("VMSG-BASE-07", "VMSG-RESET-03", "VMSG-NOTIF-06", "VMSG-SIZE-02", "VMSG-HDR-08");
    live(d);
    a_fail(d);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-status-needs-reset-sticky", VCF_VRESULT_VALID,
          "DEVICE_NEEDS_RESET stays set through status writes that do not reset (0x0f is "
          "answered 0x4f) and is cleared by writing 0.");
    RULES("VMSG-STATUS-05", "VMSG-STATUS-06", "VMSG-ERR-05", "VMSG-STATUS-04");
    live(d);
    a_fail(d);
    q_setstatus(d, ACK | DRV | FOK | DOK);
    q_getstatus(d);
    q_setstatus(d, 0);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-status-needs-reset-recovery", VCF_VRESULT_VALID,
          "After DEVICE_NEEDS_RESET the driver resets and initialises again to DRIVER_OK; the "
          "device then passes EVENT_AVAIL for queue 0 on again.");
    RULES("VMSG-ERR-05", "VMSG-STATUS-04", "VMSG-FINAL-05", "VMSG-BASE-17");
    live(d);
    a_fail(d);
    live(d);
    q_avail(d, 0, 0);
    end(d);

    begin(d, "vmsg-dev-status-needs-reset-during-init", VCF_VRESULT_VALID,
          "A device failure after ACKNOWLEDGE and DRIVER is announced with EVENT_CONFIG (status "
          "0x43) as a change the driver can see.");
    RULES("VMSG-NOTIF-06", "VMSG-RESET-03");
    init_to(d, ST_DRIVER, 0);
    a_fail(d);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-status-needs-reset-before-init", VCF_VRESULT_VALID,
          "A device failure while the status is 0 announces nothing.");
    RULES("VMSG-BASE-10");
    a_fail(d);
    end(d);

    begin(d, "vmsg-dev-status-needs-reset-before-init-shown", VCF_VRESULT_VALID,
          "A device failure while the status is 0 is signalled by DEVICE_NEEDS_RESET in "
          "GET_DEVICE_STATUS.");
    RULES("VMSG-RESET-03");
    a_fail(d);
    q_getstatus(d);
    end(d);
}

/* Reset from each initialisation state: answered 0, nothing left, and initialisation works
 * again from scratch. */
static void reset_case(dg *d, const char *id, const char *description, stage st, int extra)
{
    begin(d, id, VCF_VRESULT_VALID, description);
    RULES("VMSG-STATUS-04", "VMSG-STATUS-05", "VMSG-VQ-06", "VMSG-BASE-17");
    if (st)
        init_to(d, st, V1 | RR);
    if (extra == 1)
        a_fail(d);
    else if (extra == 2)
        q_setstatus(d, ACK | DRV | FAIL);
    else if (extra == 3)
        init_to(d, ST_FEATURES_OK, V1 | ND); /* refused */
    q_setstatus(d, 0);
    q_getstatus(d);
    q_getvq(d, 0);
    live(d);
    end(d);
}

static void reset_cases(dg *d)
{
    reset_case(d, "vmsg-dev-reset-fresh",
               "A reset of a fresh device is answered 0, and initialisation then completes.", 0, 0);
    reset_case(d, "vmsg-dev-reset-after-acknowledge",
               "A reset after ACKNOWLEDGE is answered 0, and initialisation then completes.",
               ST_ACK, 0);
    reset_case(d, "vmsg-dev-reset-after-driver",
               "A reset after DRIVER is answered 0, and initialisation then completes.", ST_DRIVER,
               0);
    reset_case(d, "vmsg-dev-reset-after-features-written",
               "A reset after SET_DRIVER_FEATURES is answered 0 and forgets the written set.",
               ST_FEATURES, 0);
    reset_case(d, "vmsg-dev-reset-after-features-ok",
               "A reset after FEATURES_OK is answered 0, and initialisation then completes.",
               ST_FEATURES_OK, 0);
    reset_case(d, "vmsg-dev-reset-after-queue-setup",
               "A reset after SET_VQUEUE is answered 0 and GET_VQUEUE shows the queue "
               "unconfigured.",
               ST_VQ, 0);
    reset_case(d, "vmsg-dev-reset-after-driver-ok",
               "A reset after DRIVER_OK is answered 0 and GET_VQUEUE shows the live queue "
               "dropped.",
               ST_DRIVER_OK, 0);
    reset_case(d, "vmsg-dev-reset-after-needs-reset",
               "A reset after DEVICE_NEEDS_RESET is answered 0 and clears the bit.", ST_DRIVER_OK,
               1);
    reset_case(d, "vmsg-dev-reset-after-failed",
               "A reset after the driver wrote FAILED is answered 0, and initialisation then "
               "completes.",
               ST_DRIVER, 2);
    reset_case(d, "vmsg-dev-reset-after-features-refused",
               "A reset after a refused FEATURES_OK is answered 0, and a valid set is then "
               "accepted.",
               0, 3);
}

static const uint8_t mtu_9000[2] = {0x28, 0x23};

static void config_cases(dg *d)
{
    uint32_t size = d->cfg.config_size;

    begin(d, "vmsg-dev-cfg-get-whole", VCF_VRESULT_VALID,
          "GET_CONFIG of the whole 12-byte space returns the generation, offset, length and "
          "data.");
    RULES("VMSG-CFG-02", "VMSG-MAND-01", "VMSG-HDR-07");
    q_getcfg(d, 0, size);
    end(d);

    begin(d, "vmsg-dev-cfg-get-field", VCF_VRESULT_VALID,
          "GET_CONFIG of the 2 bytes at offset 10 returns exactly those bytes.");
    RULES("VMSG-CFG-02");
    q_getcfg(d, 10, 2);
    end(d);

    begin(d, "vmsg-dev-cfg-get-last-byte", VCF_VRESULT_VALID,
          "GET_CONFIG of the last byte (offset 11, length 1) is answered.");
    RULES("VMSG-CFG-02");
    q_getcfg(d, size - 1, 1);
    end(d);

    begin(d, "vmsg-dev-cfg-get-zero-length-at-end", VCF_VRESULT_VALID,
          "GET_CONFIG with length 0 at the end of the space is answered with the generation "
          "and no data.");
    RULES("VMSG-CFG-02");
    q_getcfg(d, size, 0);
    end(d);

    begin(d, "vmsg-dev-cfg-get-past-end", VCF_VRESULT_INVALID,
          "GET_CONFIG reaching 2 bytes past the space gets no response (or the part inside it "
          "under the other reading of A15).");
    RULES("VMSG-CFG-01", "VMSG-CFG-02");
    vcf_gen_variant(d->g, F_CLAMP, "model.oversize", "clamp");
    q_getcfg(d, size - 2, 4);
    end(d);

    begin(d, "vmsg-dev-cfg-get-offset-wraps", VCF_VRESULT_INVALID,
          "GET_CONFIG at offset 0xffffffff for 2 bytes (wrapping 32 bits) gets no response (or "
          "an empty one under the other reading of A15).");
    RULES("VMSG-CFG-01", "VMSG-CFG-02");
    vcf_gen_variant(d->g, F_CLAMP, "model.oversize", "clamp");
    q_getcfg(d, 0xFFFFFFFFu, 2);
    end(d);

    begin(d, "vmsg-dev-cfg-set-current-generation", VCF_VRESULT_VALID,
          "SET_CONFIG with the current generation is applied: the response reports 2 bytes "
          "written and GET_CONFIG reads them back.");
    RULES("VMSG-GEN-03", "VMSG-CFG-02", "VMSG-MAND-01");
    vcf_gen_variant(d->g, F_ECHO, "model.set_config_echo", "1");
    vcf_gen_variant(d->g, F_BUMP, "model.set_config_bumps_gen", "1");
    init_to(d, ST_FEATURES_OK, V1);
    q_setcfg(d, 0, 10, mtu_9000, 2);
    q_getcfg(d, 0, size);
    end(d);

    begin(d, "vmsg-dev-cfg-set-zero-length", VCF_VRESULT_VALID,
          "SET_CONFIG of 0 bytes with the current generation is answered with length 0 and "
          "changes nothing.");
    RULES("VMSG-GEN-03");
    init_to(d, ST_FEATURES_OK, V1);
    q_setcfg(d, 0, 4, NULL, 0);
    q_getcfg(d, 0, size);
    end(d);

    begin(d, "vmsg-dev-cfg-set-wrong-generation", VCF_VRESULT_INVALID,
          "SET_CONFIG naming generation 5 while the device is at 0 is rejected: length 0, "
          "current generation, no change.");
    RULES("VMSG-GEN-03", "VMSG-GEN-04");
    init_to(d, ST_FEATURES_OK, V1);
    q_setcfg(d, 5, 10, mtu_9000, 2);
    q_getcfg(d, 0, size);
    end(d);

    begin(d, "vmsg-dev-cfg-set-stale-after-change", VCF_VRESULT_INVALID,
          "After the device changed its config (generation 1), a SET_CONFIG naming generation 0 "
          "is rejected with length 0 and generation 1; one naming 1 is applied.");
    RULES("VMSG-GEN-03", "VMSG-GEN-04", "VMSG-GEN-01");
    change_data_optional(d);
    vcf_gen_variant(d->g, F_ECHO, "model.set_config_echo", "1");
    vcf_gen_variant(d->g, F_BUMP, "model.set_config_bumps_gen", "1");
    live(d);
    {
        static const uint8_t up[2] = {0x01, 0x00};
        a_change(d, 6, up, 2);
    }
    q_setcfg(d, 0, 10, mtu_9000, 2);
    q_getcfg(d, 10, 2);
    q_setcfg(d, 1, 10, mtu_9000, 2);
    q_getcfg(d, 10, 2);
    end(d);

    begin(d, "vmsg-dev-cfg-set-before-features-ok", VCF_VRESULT_INVALID,
          "SET_CONFIG before FEATURES_OK is answered with length 0 and changes nothing (or is "
          "applied under the other reading of A14).");
    RULES("VMSG-BASE-01", "VMSG-GEN-04");
    vcf_gen_variant(d->g, F_APPLY, "model.on_violation", "apply");
    init_to(d, ST_DRIVER, 0);
    q_setcfg(d, 0, 10, mtu_9000, 2);
    q_getcfg(d, 10, 2);
    end(d);

    begin(d, "vmsg-dev-cfg-set-past-end", VCF_VRESULT_INVALID,
          "SET_CONFIG of 4 bytes at offset 10 of a 12-byte space is rejected whole with length "
          "0 (or its 2 bytes inside applied under the other reading of A5).");
    RULES("VMSG-CFG-01", "VMSG-GEN-04");
    vcf_gen_variant(d->g, F_PARTIAL, "model.partial_set_config", "1");
    init_to(d, ST_FEATURES_OK, V1);
    {
        static const uint8_t four[4] = {1, 2, 3, 4};
        q_setcfg(d, 0, size - 2, four, 4);
    }
    q_getcfg(d, 0, size);
    end(d);

    begin(d, "vmsg-dev-cfg-change-announced", VCF_VRESULT_VALID,
          "A config change after DRIVER_OK moves the generation to 1 and sends EVENT_CONFIG "
          "with the status, offset, length and new data (or length 0); GET_CONFIG then shows "
          "them.");
    RULES("VMSG-GEN-01", "VMSG-CFG-05", "VMSG-NOTIF-06", "VMSG-CFG-02", "VMSG-SIZE-02",
          "VMSG-HDR-07");
    change_data_optional(d);
    live(d);
    a_change(d, 10, mtu_9000, 2);
    q_getcfg(d, 0, size);
    end(d);

    begin(d, "vmsg-dev-cfg-change-each-moves-generation", VCF_VRESULT_VALID,
          "Three config changes send EVENT_CONFIG with generations 1, 2 and 3, each carrying "
          "its data (or length 0).");
    RULES("VMSG-GEN-01", "VMSG-CFG-05");
    change_data_optional(d);
    live(d);
    {
        static const uint8_t a[1] = {0x00}, b[1] = {0x01}, c[6] = {0x52, 0x54, 0, 0, 0, 1};
        a_change(d, 6, a, 1);
        a_change(d, 6, b, 1);
        a_change(d, 0, c, 6);
    }
    q_getcfg(d, 0, size);
    end(d);

    begin(d, "vmsg-dev-cfg-change-whole-space", VCF_VRESULT_VALID,
          "A change of the whole 12-byte space is announced with all 12 bytes (or length 0).");
    RULES("VMSG-GEN-01", "VMSG-CFG-05", "VMSG-NOTIF-06");
    change_data_optional(d);
    live(d);
    {
        static const uint8_t all[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        a_change(d, 0, all, sizeof all);
    }
    end(d);

    begin(d, "vmsg-dev-cfg-change-during-init", VCF_VRESULT_VALID,
          "A config change after ACKNOWLEDGE (status non-zero) is announced with EVENT_CONFIG "
          "carrying status 0x01.");
    RULES("VMSG-NOTIF-06", "VMSG-GEN-01");
    change_data_optional(d);
    init_to(d, ST_ACK, 0);
    a_change(d, 10, mtu_9000, 2);
    end(d);

    begin(d, "vmsg-dev-cfg-change-before-init-silent", VCF_VRESULT_VALID,
          "A config change while the status is 0 sends nothing, yet GET_CONFIG shows the new "
          "data and generation 1.");
    RULES("VMSG-BASE-10", "VMSG-GEN-01", "VMSG-CFG-02");
    a_change(d, 10, mtu_9000, 2);
    q_getcfg(d, 0, size);
    end(d);

    begin(d, "vmsg-dev-cfg-change-after-reset-silent", VCF_VRESULT_VALID,
          "After DRIVER_OK and a reset, a config change sends nothing until the driver starts "
          "again.");
    RULES("VMSG-BASE-10");
    live(d);
    q_setstatus(d, 0);
    a_change(d, 10, mtu_9000, 2);
    q_getcfg(d, 10, 2);
    end(d);
}

static void vqueue_cases(dg *d)
{
    begin(d, "vmsg-dev-vq-get-unconfigured", VCF_VRESULT_VALID,
          "GET_VQUEUE for each of the three queues before set-up reports maximum 256, current "
          "size 0 and zero addresses.");
    RULES("VMSG-VQ-05", "VMSG-VQ-06", "VMSG-VQ-13", "VMSG-MAND-01");
    for (uint32_t i = 0; i < 3; i++)
        q_getvq(d, i);
    end(d);

    begin(d, "vmsg-dev-vq-get-nonexistent", VCF_VRESULT_VALID,
          "GET_VQUEUE for queue 3 (past the three) and 0xffffffff reports maximum size 0 and "
          "echoes the index.");
    RULES("VMSG-VQ-05", "VMSG-VQ-06");
    q_getvq(d, 3);
    q_getvq(d, 0xFFFFFFFFu);
    end(d);

    begin(d, "vmsg-dev-vq-set-and-verify", VCF_VRESULT_VALID,
          "SET_VQUEUE for queue 0 (256, aligned rings) after FEATURES_OK is applied and "
          "GET_VQUEUE returns the size and the three addresses.");
    RULES("VMSG-VQ-08", "VMSG-VQ-05", "VMSG-MAND-01");
    init_to(d, ST_FEATURES_OK, V1);
    q_setvq(d, 0, 256);
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-vq-set-smaller-sizes", VCF_VRESULT_VALID,
          "Queues 1 and 2 set up with sizes 64 and 1 (the smallest) report those sizes.");
    RULES("VMSG-VQ-08", "VMSG-VQ-05");
    init_to(d, ST_FEATURES_OK, V1);
    q_setvq(d, 1, 64);
    q_setvq(d, 2, 1);
    q_getvq(d, 1);
    q_getvq(d, 2);
    end(d);

    begin(d, "vmsg-dev-vq-set-size-above-maximum", VCF_VRESULT_INVALID,
          "SET_VQUEUE with size 257 (maximum 256) is answered but not applied: GET_VQUEUE "
          "still shows size 0.");
    RULES("VMSG-VQ-02", "VMSG-VQ-08", "VMSG-VQ-06");
    init_to(d, ST_FEATURES_OK, V1);
    q_setvq(d, 0, 257);
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-vq-set-size-zero", VCF_VRESULT_INVALID,
          "SET_VQUEUE with size 0 is answered but not applied.");
    RULES("VMSG-VQ-02", "VMSG-VQ-08", "VMSG-VQ-06");
    init_to(d, ST_FEATURES_OK, V1);
    q_setvq(d, 0, 0);
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-vq-set-desc-misaligned", VCF_VRESULT_INVALID,
          "SET_VQUEUE with a descriptor area 8-byte aligned (16 needed) is not applied.");
    RULES("VMSG-VQ-02", "VMSG-VQ-08");
    init_to(d, ST_FEATURES_OK, V1);
    q_setvq_at(d, 0, 256, RING(0) + 8u, RING(0) + 0x4000u, RING(0) + 0x8000u);
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-vq-set-driver-area-misaligned", VCF_VRESULT_INVALID,
          "SET_VQUEUE with an odd driver area address (2 needed for a split ring) is not "
          "applied.");
    RULES("VMSG-VQ-02", "VMSG-VQ-08");
    init_to(d, ST_FEATURES_OK, V1);
    q_setvq_at(d, 0, 256, RING(0), RING(0) + 0x4001u, RING(0) + 0x8000u);
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-vq-set-device-area-misaligned", VCF_VRESULT_INVALID,
          "SET_VQUEUE with a device area 2-byte aligned (4 needed) is not applied.");
    RULES("VMSG-VQ-02", "VMSG-VQ-08");
    init_to(d, ST_FEATURES_OK, V1);
    q_setvq_at(d, 0, 256, RING(0), RING(0) + 0x4000u, RING(0) + 0x8002u);
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-vq-set-size-not-power-of-two", VCF_VRESULT_INVALID,
          "SET_VQUEUE with size 100 on a split ring is applied (or refused when the device "
          "checks the base specification's power-of-two rule).");
    RULES("VMSG-VQ-08", "VMSG-VQ-05");
    vcf_gen_variant(d->g, F_POW2, "model.validate_queue_size", "1");
    init_to(d, ST_FEATURES_OK, V1);
    q_setvq(d, 0, 100);
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-vq-set-nonexistent-queue", VCF_VRESULT_INVALID,
          "SET_VQUEUE for queue 3, which the device does not have, is answered and changes "
          "nothing.");
    RULES("VMSG-VQ-07", "VMSG-VQ-05");
    init_to(d, ST_FEATURES_OK, V1);
    q_setvq(d, 3, 256);
    q_getvq(d, 3);
    end(d);

    begin(d, "vmsg-dev-vq-set-before-features-ok", VCF_VRESULT_INVALID,
          "SET_VQUEUE before FEATURES_OK is answered but not applied (or applied under the "
          "other reading of A14).");
    RULES("VMSG-INIT-02", "VMSG-VQ-08");
    vcf_gen_variant(d->g, F_APPLY, "model.on_violation", "apply");
    init_to(d, ST_FEATURES, V1);
    q_setvq(d, 0, 256);
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-vq-set-configured-queue", VCF_VRESULT_INVALID,
          "SET_VQUEUE on a live queue without a reset is answered and the queue keeps its "
          "settings (or takes the new ones under the other reading of A14).");
    RULES("VMSG-VQ-03", "VMSG-VQ-05");
    vcf_gen_variant(d->g, F_APPLY, "model.on_violation", "apply");
    live(d);
    q_setvq_at(d, 0, 128, RING(1), RING(1) + 0x4000u, RING(1) + 0x8000u);
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-vq-set-reserved-nonzero", VCF_VRESULT_INVALID,
          "SET_VQUEUE with its two reserved words non-zero is applied with the reserved words "
          "ignored; GET_VQUEUE reports reserved 0.");
    RULES("VMSG-VQ-13");
    init_to(d, ST_FEATURES_OK, V1);
    {
        vcf_vmsg_msg m;
        setvq_msg(d, &m, 0, 64, RING(0), RING(0) + 0x4000u, RING(0) + 0x8000u);
        m.u.set_vqueue.reserved0 = 1;
        m.u.set_vqueue.reserved1 = 0xFFFFFFFFu;
        send(d, &m);
    }
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-vq-set-after-driver-ok", VCF_VRESULT_VALID,
          "A second queue set up after DRIVER_OK is applied and served at once: EVENT_AVAIL "
          "for it reaches the device's upper layer.");
    RULES("VMSG-VQ-12", "VMSG-FINAL-05", "VMSG-VQ-05");
    live(d);
    q_setvq(d, 1, 128);
    q_getvq(d, 1);
    q_avail(d, 1, 0);
    end(d);

    begin(d, "vmsg-dev-vq-reset-with-ring-reset", VCF_VRESULT_VALID,
          "RESET_VQUEUE on a live queue with RING_RESET negotiated returns it to unconfigured; "
          "it is then quiet (EVENT_AVAIL ignored, no EVENT_USED) until set up again.");
    RULES("VMSG-VQ-09", "VMSG-VQ-10", "VMSG-BASE-13", "VMSG-VQ-06", "VMSG-MAND-01");
    live(d);
    q_resetvq(d, 0);
    q_getvq(d, 0);
    q_avail(d, 0, 0);
    a_used_idle(d, 0);
    q_setvq(d, 0, 128);
    q_getvq(d, 0);
    q_avail(d, 0, 0);
    end(d);

    begin(d, "vmsg-dev-vq-reset-without-ring-reset", VCF_VRESULT_VALID,
          "RESET_VQUEUE without RING_RESET negotiated is answered and honoured (or answered "
          "and ignored under the other reading of A7).");
    RULES("VMSG-VQ-10", "VMSG-VQ-04");
    vcf_gen_variant(d->g, F_RVQ, "model.reset_vq_needs_ring_reset", "1");
    init_to(d, ST_DRIVER_OK, V1);
    q_resetvq(d, 0);
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-vq-reset-unconfigured", VCF_VRESULT_VALID,
          "RESET_VQUEUE on a queue that was never set up is answered and leaves it "
          "unconfigured.");
    RULES("VMSG-VQ-10");
    live(d);
    q_resetvq(d, 2);
    q_getvq(d, 2);
    end(d);

    begin(d, "vmsg-dev-vq-reset-nonexistent", VCF_VRESULT_INVALID,
          "RESET_VQUEUE for queue 9, which the device does not have, is answered and changes "
          "nothing.");
    RULES("VMSG-VQ-10", "VMSG-VQ-07");
    live(d);
    q_resetvq(d, 9);
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-vq-reset-before-driver-ok", VCF_VRESULT_VALID,
          "RESET_VQUEUE of a configured queue before DRIVER_OK clears it; after DRIVER_OK it "
          "is not served.");
    RULES("VMSG-VQ-09", "VMSG-BASE-13");
    init_to(d, ST_VQ, V1 | RR);
    q_resetvq(d, 0);
    q_setstatus(d, ACK | DRV | FOK | DOK);
    q_getvq(d, 0);
    q_avail(d, 0, 0);
    end(d);

    begin(d, "vmsg-dev-shm-none", VCF_VRESULT_VALID,
          "GET_SHM on a device without shared memory returns length 0 for region 0.");
    RULES("VMSG-SHM-01");
    q_getshm(d, 0);
    end(d);
}

static void notify_cases(dg *d)
{
    begin(d, "vmsg-dev-avail-live-queue", VCF_VRESULT_VALID,
          "EVENT_AVAIL for live queue 0 is passed to the device's upper layer and never "
          "answered.");
    RULES("VMSG-FINAL-05", "VMSG-ERR-04");
    live(d);
    q_avail(d, 0, 0);
    end(d);

    begin(d, "vmsg-dev-avail-before-driver-ok", VCF_VRESULT_INVALID,
          "EVENT_AVAIL for a configured queue before DRIVER_OK is not processed and not "
          "answered.");
    RULES("VMSG-FINAL-04", "VMSG-BASE-06", "VMSG-BASE-04");
    init_to(d, ST_VQ, V1);
    q_avail(d, 0, 0);
    end(d);

    begin(d, "vmsg-dev-avail-unconfigured-queue", VCF_VRESULT_INVALID,
          "EVENT_AVAIL after DRIVER_OK for queue 1, which was not set up, is not processed.");
    RULES("VMSG-FINAL-03", "VMSG-VQ-08");
    live(d);
    q_avail(d, 1, 0);
    q_avail(d, 0xFFFFFFFFu, 0);
    end(d);

    begin(d, "vmsg-dev-avail-next-offset-ignored", VCF_VRESULT_INVALID,
          "EVENT_AVAIL with next_offset 0x80000005 without NOTIFICATION_DATA is processed with "
          "the offset ignored (value 0).");
    RULES("VMSG-NOTIF-03", "VMSG-FINAL-05");
    live(d);
    q_avail(d, 0, 0x80000005u);
    end(d);

    begin(d, "vmsg-dev-avail-after-reset", VCF_VRESULT_INVALID,
          "EVENT_AVAIL after the device was reset is not processed.");
    RULES("VMSG-BASE-10", "VMSG-FINAL-04");
    live(d);
    q_setstatus(d, 0);
    q_avail(d, 0, 0);
    end(d);

    begin(d, "vmsg-dev-used-live-queue", VCF_VRESULT_VALID,
          "Buffers used on live queue 0 are announced with EVENT_USED for queue index 0.");
    RULES("VMSG-NOTIF-08");
    live(d);
    a_used(d, 0);
    end(d);

    begin(d, "vmsg-dev-used-second-queue", VCF_VRESULT_VALID,
          "Buffers used on queue 2 set up during initialisation are announced with EVENT_USED "
          "for index 2.");
    RULES("VMSG-NOTIF-08");
    init_to(d, ST_VQ, V1);
    q_setvq(d, 2, 256);
    q_setstatus(d, ACK | DRV | FOK | DOK);
    a_used(d, 2);
    end(d);

    begin(d, "vmsg-dev-used-before-driver-ok", VCF_VRESULT_INVALID,
          "The device's side cannot announce used buffers before DRIVER_OK: nothing is sent "
          "(the request may be refused or taken).");
    RULES("VMSG-BASE-06", "VMSG-FINAL-04");
    init_to(d, ST_VQ, V1);
    a_used_idle(d, 0);
    end(d);

    begin(d, "vmsg-dev-used-unconfigured-queue", VCF_VRESULT_INVALID,
          "Used buffers on queue 1, which was not set up, are not announced: nothing is sent.");
    RULES("VMSG-VQ-08", "VMSG-NOTIF-08");
    live(d);
    a_used_idle(d, 1);
    end(d);

    begin(d, "vmsg-dev-used-after-reset", VCF_VRESULT_INVALID,
          "After a device reset no EVENT_USED is sent for the former live queue.");
    RULES("VMSG-BASE-10", "VMSG-BASE-06");
    live(d);
    q_setstatus(d, 0);
    a_used_idle(d, 0);
    end(d);

    begin(d, "vmsg-dev-mand-every-request", VCF_VRESULT_VALID,
          "After FEATURES_OK each of the eleven transport requests is answered with a response "
          "of the same msg_id.");
    RULES("VMSG-MAND-01", "VMSG-REV-05");
    init_to(d, ST_FEATURES_OK, V1 | RR);
    q_info(d);
    q_getfeat(d, 0, 2);
    q_getcfg(d, 0, 4);
    q_setcfg(d, 0, 0, NULL, 0);
    q_getstatus(d);
    q_getvq(d, 1);
    q_setvq(d, 1, 64);
    q_resetvq(d, 1);
    q_getshm(d, 0);
    q_setfeat2(d, 0, V1 | RR);
    q_setstatus(d, ACK | DRV | FOK);
    end(d);
}

static void pr28_default(dg *d)
{
    vcf_vmsg_device_config cfg;
    base_cfg(&cfg);
    group(d,
          "PR28, 264-byte messages: the default network device (ID 1, VERSION_1 and "
          "RING_RESET offered, 12-byte config, three queues of 256)",
          &cfg);
    header_cases(d);
    feature_cases(d);
    status_cases(d);
    reset_cases(d);
    config_cases(d);
    vqueue_cases(d);
    notify_cases(d);
}

/* ---- RFC3 ------------------------------------------------------------------------------------ */

static void rfc3_cases(dg *d)
{
    vcf_vmsg_device_config cfg;
    base_cfg(&cfg);
    cfg.link.rev = VCF_VMSG_REV_RFC3;
    group(d, "RFC3, 264-byte messages: the default device, tokens on the wire", &cfg);
    vcf_vmsg_msg m;
    size_t n;

    begin(d, "vmsg-dev-r3-token-echoed", VCF_VRESULT_VALID,
          "RFC3 responses carry the token of their request (1, 0x1234, 0xffff) and the "
          "device's dev_num.");
    RULES("VMSG-R3-01", "VMSG-R3-02", "VMSG-HDR-08");
    {
        static const uint16_t tokens[] = {1, 0x1234, 0xFFFF};
        for (size_t i = 0; i < sizeof tokens / sizeof *tokens; i++) {
            (void)vcf_vmsg_init(&m, VCF_VMSG_K_GET_DEVICE_STATUS_REQ, d->cfg.dev_num, tokens[i]);
            send(d, &m);
        }
    }
    end(d);

    begin(d, "vmsg-dev-r3-token-zero-request", VCF_VRESULT_INVALID,
          "An RFC3 request with token 0 is discarded without reply and changes nothing.");
    RULES("VMSG-R3-05");
    (void)vcf_vmsg_init(&m, VCF_VMSG_K_SET_DEVICE_STATUS_REQ, d->cfg.dev_num, 0);
    m.u.status = ACK;
    send(d, &m);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-r3-event-avail-nonzero-token", VCF_VRESULT_INVALID,
          "An RFC3 EVENT_AVAIL with token 7 (events carry 0) is discarded: no event reaches the "
          "upper layer.");
    RULES("VMSG-R3-05");
    live(d);
    (void)vcf_vmsg_init(&m, VCF_VMSG_K_EVENT_AVAIL, d->cfg.dev_num, 7);
    send(d, &m);
    q_avail(d, 0, 0);
    end(d);

    begin(d, "vmsg-dev-r3-reserved-ids", VCF_VRESULT_INVALID,
          "RFC3 reserves transport IDs from 0x80: requests 0x80, 0xbf, 0xc0 and 0xff are "
          "discarded without reply.");
    RULES("VMSG-R3-05");
    {
        static const uint8_t ids[] = {0x80, 0xBF, 0xC0, 0xFF};
        for (size_t i = 0; i < sizeof ids; i++) {
            req(d, &m, VCF_VMSG_K_GET_DEVICE_STATUS_REQ);
            n = encode(d, &m);
            d->buf[1] = ids[i]; /* offset 1: msg_id */
            inject(d, d->buf, n);
        }
    }
    end(d);

    begin(d, "vmsg-dev-r3-msg-size-below-8", VCF_VRESULT_INVALID,
          "An RFC3 GET_DEVICE_STATUS whose msg_size says 7 is discarded.");
    RULES("VMSG-R3-05");
    req(d, &m, VCF_VMSG_K_GET_DEVICE_STATUS_REQ);
    n = encode(d, &m);
    d->buf[6] = 7; /* offset 6: msg_size */
    inject(d, d->buf, n);
    end(d);

    begin(d, "vmsg-dev-r3-request-above-maximum", VCF_VRESULT_INVALID,
          "An RFC3 SET_DRIVER_FEATURES of 63 blocks (268 bytes, over the 264 maximum) is "
          "discarded; FEATURES_OK then sees no features written.");
    RULES("VMSG-R3-05");
    init_to(d, ST_DRIVER, 0);
    {
        uint32_t w[63] = {0};
        w[1] = V1 | RR;
        q_setfeat(d, 0, w, 63);
    }
    q_setstatus(d, ACK | DRV | FOK);
    end(d);

    begin(d, "vmsg-dev-r3-features-whole-words", VCF_VRESULT_VALID,
          "RFC3 GET_DEVICE_FEATURES responses for 1, 2 and 5 blocks carry 4, 8 and 20 bytes of "
          "feature data.");
    RULES("VMSG-R3-08", "VMSG-FEAT-01");
    q_getfeat(d, 0, 1);
    q_getfeat(d, 0, 2);
    q_getfeat(d, 1, 5);
    end(d);

    begin(d, "vmsg-dev-r3-init-sequence", VCF_VRESULT_VALID,
          "The full RFC3 initialisation to DRIVER_OK is answered with every token echoed.");
    RULES("VMSG-R3-01", "VMSG-R3-02", "VMSG-R3-03", "VMSG-MAND-01", "VMSG-STATUS-06", "VMSG-VQ-08");
    q_info(d);
    q_getfeat(d, 0, 2);
    live(d);
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-r3-features-ok-refused", VCF_VRESULT_INVALID,
          "RFC3: features the device did not offer make it refuse FEATURES_OK.");
    RULES("VMSG-FEAT-07", "VMSG-BASE-09", "VMSG-FEAT-04");
    init_to(d, ST_FEATURES_OK, V1 | ND);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-r3-event-generations-unique", VCF_VRESULT_VALID,
          "Three RFC3 config changes get three different generations, and their events carry "
          "token 0.");
    RULES("VMSG-R3-06", "VMSG-GEN-01", "VMSG-R3-02");
    change_data_optional(d);
    live(d);
    a_change(d, 10, mtu_9000, 2);
    a_change(d, 10, mtu_9000, 2);
    a_change(d, 6, mtu_9000, 1);
    end(d);

    begin(d, "vmsg-dev-r3-generation-kept-across-reset", VCF_VRESULT_VALID,
          "The generation reached by a config change (1) is still reported by GET_CONFIG after "
          "a device reset.");
    RULES("VMSG-GEN-07");
    change_data_optional(d);
    live(d);
    a_change(d, 10, mtu_9000, 2);
    q_setstatus(d, 0);
    q_getcfg(d, 0, 2);
    end(d);

    begin(d, "vmsg-dev-r3-stale-set-config", VCF_VRESULT_INVALID,
          "RFC3: SET_CONFIG with a stale generation is rejected with length 0 and the current "
          "generation.");
    RULES("VMSG-GEN-03", "VMSG-GEN-04");
    change_data_optional(d);
    live(d);
    a_change(d, 10, mtu_9000, 2);
    q_setcfg(d, 0, 10, mtu_9000, 2);
    end(d);

    begin(d, "vmsg-dev-r3-needs-reset", VCF_VRESULT_VALID,
          "RFC3: a device failure after DRIVER_OK sends EVENT_CONFIG with DEVICE_NEEDS_RESET "
          "and token 0.");
    RULES("VMSG-BASE-07", "VMSG-RESET-03", "VMSG-R3-02");
    live(d);
    a_fail(d);
    end(d);

    begin(d, "vmsg-dev-r3-used", VCF_VRESULT_VALID,
          "RFC3: EVENT_USED for live queue 0 carries token 0.");
    RULES("VMSG-NOTIF-08");
    live(d);
    a_used(d, 0);
    end(d);

    begin(d, "vmsg-dev-r3-response-discarded", VCF_VRESULT_INVALID,
          "RFC3: a response sent to the device is discarded.");
    RULES("VMSG-R3-05");
    (void)vcf_vmsg_init(&m, VCF_VMSG_K_GET_DEVICE_STATUS_RESP, d->cfg.dev_num, 3);
    send(d, &m);
    end(d);
}

/* ---- message size limits --------------------------------------------------------------------- */

static void small_cases(dg *d)
{
    vcf_vmsg_device_config cfg;
    base_cfg(&cfg);
    cfg.link.max_msg_size = VCF_VMSG_USABLE_MIN_MAX_MSG_SIZE;
    cfg.config_size = 64;
    for (uint32_t i = 12; i < 64; i++)
        cfg.config[i] = (uint8_t)(0x80 + i);
    group(d, "PR28, 48-byte messages (the smallest that carries SET_VQUEUE): 64-byte config", &cfg);
    uint8_t data[40];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(0xA0 + i);

    begin(d, "vmsg-dev-small-info", VCF_VRESULT_VALID,
          "GET_DEVICE_INFO (a 32-byte response) is answered on a 48-byte bus.");
    RULES("VMSG-INFO-02", "VMSG-SIZE-02");
    q_info(d);
    end(d);

    begin(d, "vmsg-dev-small-features-largest-fitting", VCF_VRESULT_VALID,
          "GET_DEVICE_FEATURES for 8 blocks is answered in exactly 48 bytes.");
    RULES("VMSG-SIZE-02", "VMSG-FEAT-01");
    q_getfeat(d, 0, 8);
    end(d);

    begin(d, "vmsg-dev-small-features-one-over", VCF_VRESULT_INVALID,
          "GET_DEVICE_FEATURES for 9 blocks (a 52-byte response) gets no response (or 8 blocks "
          "under the other reading of A15).");
    RULES("VMSG-SIZE-02");
    vcf_gen_variant(d->g, F_CLAMP, "model.oversize", "clamp");
    q_getfeat(d, 0, 9);
    end(d);

    begin(d, "vmsg-dev-small-config-largest-fitting", VCF_VRESULT_VALID,
          "GET_CONFIG of 28 bytes is answered in exactly 48 bytes.");
    RULES("VMSG-SIZE-02", "VMSG-CFG-02");
    q_getcfg(d, 0, 28);
    q_getcfg(d, 36, 28);
    end(d);

    begin(d, "vmsg-dev-small-config-one-over", VCF_VRESULT_INVALID,
          "GET_CONFIG of 29 bytes (a 49-byte response) gets no response (or 28 bytes under the "
          "other reading of A15).");
    RULES("VMSG-SIZE-02");
    vcf_gen_variant(d->g, F_CLAMP, "model.oversize", "clamp");
    q_getcfg(d, 0, 29);
    end(d);

    begin(d, "vmsg-dev-small-vqueue-at-maximum", VCF_VRESULT_VALID,
          "SET_VQUEUE and the GET_VQUEUE response, both 48 bytes, fit the 48-byte bus: the "
          "queue is set up and read back.");
    RULES("VMSG-SIZE-02", "VMSG-VQ-08", "VMSG-VQ-05");
    init_to(d, ST_FEATURES_OK, V1);
    q_setvq(d, 0, 256);
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-small-change-fits-exactly", VCF_VRESULT_VALID,
          "A 24-byte config change is announced with its data in an EVENT_CONFIG of exactly 48 "
          "bytes (or with length 0).");
    RULES("VMSG-SIZE-02", "VMSG-CFG-05", "VMSG-GEN-01");
    change_data_optional(d);
    live(d);
    a_change(d, 8, data, 24);
    end(d);

    begin(d, "vmsg-dev-small-change-too-large", VCF_VRESULT_VALID,
          "A 25-byte config change does not fit one 48-byte EVENT_CONFIG: it is announced with "
          "length 0, the offset and the new generation, and GET_CONFIG returns the new data.");
    RULES("VMSG-GEN-02", "VMSG-NOTIF-07", "VMSG-GEN-08", "VMSG-SIZE-02", "VMSG-CFG-05");
    live(d);
    a_change(d, 8, data, 25);
    q_getcfg(d, 8, 25);
    end(d);

    begin(d, "vmsg-dev-small-change-large-read-in-chunks", VCF_VRESULT_VALID,
          "A 40-byte change is announced with length 0 and read back in two GET_CONFIG chunks "
          "that both report the new generation.");
    RULES("VMSG-GEN-02", "VMSG-GEN-08", "VMSG-CFG-02");
    live(d);
    a_change(d, 16, data, 40);
    q_getcfg(d, 16, 28);
    q_getcfg(d, 44, 12);
    end(d);

    begin(d, "vmsg-dev-small-request-above-maximum", VCF_VRESULT_INVALID,
          "A SET_CONFIG of 32 bytes (52 bytes, over the 48 maximum) is discarded and the "
          "configuration is unchanged.");
    RULES("VMSG-SIZE-01", "VMSG-ERR-04");
    init_to(d, ST_FEATURES_OK, V1);
    q_setcfg(d, 0, 0, data, 32);
    q_getcfg(d, 0, 8);
    end(d);

    begin(d, "vmsg-dev-small-set-config-largest", VCF_VRESULT_VALID,
          "A SET_CONFIG of 28 bytes (48 bytes) is applied.");
    RULES("VMSG-GEN-03", "VMSG-SIZE-02");
    vcf_gen_variant(d->g, F_BUMP, "model.set_config_bumps_gen", "1");
    init_to(d, ST_FEATURES_OK, V1);
    q_setcfg(d, 0, 0, data, 28);
    q_getcfg(d, 0, 28);
    end(d);
}

static void large_cases(dg *d)
{
    vcf_vmsg_device_config cfg;
    base_cfg(&cfg);
    cfg.link.max_msg_size = VCF_VMSG_MSG_SIZE_LIMIT;
    cfg.num_feature_bits = 512;
    cfg.offered[0] = (1u << VCF_VIRTIO_F_INDIRECT_DESC) | (1u << VCF_VIRTIO_F_EVENT_IDX);
    cfg.offered[15] = 0x80000000u; /* bit 511 */
    cfg.config_size = 1024;
    for (uint32_t i = 12; i < cfg.config_size; i++)
        cfg.config[i] = (uint8_t)(i * 7u + 3u);
    cfg.max_virtqueues = 64;
    for (uint32_t i = 0; i < 64; i++)
        cfg.vq_max_size[i] = 1024;
    cfg.vq_max_size[63] = 32768;
    group(d, "PR28, 65535-byte messages: 512 feature bits, 1024-byte config, 64 queues", &cfg);
    static uint8_t data[1024];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(0xFF - i);

    begin(d, "vmsg-dev-large-info", VCF_VRESULT_VALID,
          "GET_DEVICE_INFO reports 512 feature bits, a 1024-byte config and 64 queues.");
    RULES("VMSG-INFO-02");
    q_info(d);
    end(d);

    begin(d, "vmsg-dev-large-features-all-blocks", VCF_VRESULT_VALID,
          "GET_DEVICE_FEATURES for 20 blocks returns the 16 implemented blocks (bit 511 set) "
          "and 4 zero blocks.");
    RULES("VMSG-FEAT-01");
    q_getfeat(d, 0, 20);
    end(d);

    begin(d, "vmsg-dev-large-config-whole", VCF_VRESULT_VALID,
          "GET_CONFIG of the whole 1024-byte space is answered in one 1044-byte response.");
    RULES("VMSG-CFG-02", "VMSG-SIZE-02");
    q_getcfg(d, 0, 1024);
    end(d);

    begin(d, "vmsg-dev-large-config-past-end", VCF_VRESULT_INVALID,
          "GET_CONFIG of 8 bytes at offset 1020 reaches past the space: no response (or the 4 "
          "bytes inside under the other reading of A15).");
    RULES("VMSG-CFG-01");
    vcf_gen_variant(d->g, F_CLAMP, "model.oversize", "clamp");
    q_getcfg(d, 1020, 8);
    end(d);

    begin(d, "vmsg-dev-large-set-config", VCF_VRESULT_VALID,
          "A SET_CONFIG of 1000 bytes is applied and read back.");
    RULES("VMSG-GEN-03", "VMSG-CFG-02");
    vcf_gen_variant(d->g, F_BUMP, "model.set_config_bumps_gen", "1");
    init_to(d, ST_FEATURES_OK, V1);
    q_setcfg(d, 0, 24, data, 1000);
    q_getcfg(d, 0, 1024);
    end(d);

    begin(d, "vmsg-dev-large-change-with-data", VCF_VRESULT_VALID,
          "A change of the whole 1024-byte space is announced with its data in one EVENT_CONFIG "
          "of 1048 bytes (or with length 0).");
    RULES("VMSG-CFG-05", "VMSG-GEN-01", "VMSG-SIZE-02");
    change_data_optional(d);
    live(d);
    a_change(d, 0, data, 1024);
    end(d);

    begin(d, "vmsg-dev-large-last-queue", VCF_VRESULT_VALID,
          "Queue 63 reports maximum 32768 and is set up at that size; queue 64 does not "
          "exist.");
    RULES("VMSG-VQ-05", "VMSG-VQ-06", "VMSG-VQ-08");
    init_to(d, ST_FEATURES_OK, V1);
    q_getvq(d, 63);
    q_setvq(d, 63, 32768);
    q_getvq(d, 63);
    q_getvq(d, 64);
    end(d);
}

/* ---- a richer device: shared memory, admin queues, NOTIFICATION_DATA, packed rings ----------- */

static void rich_cases(dg *d)
{
    vcf_vmsg_device_config cfg;
    base_cfg(&cfg);
    cfg.device_id = 2; /* block device */
    cfg.num_feature_bits = 128;
    cfg.offered[0] = 1u << VCF_VIRTIO_F_INDIRECT_DESC;
    cfg.offered[1] = V1 | RR | ND | PK;
    cfg.offered[3] = 1u; /* bit 96 */
    cfg.config_size = 16;
    static const uint8_t blk[16] = {0x00, 0x00, 0x10, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0x80, 0, 0, 0};
    memcpy(cfg.config, blk, sizeof blk);
    cfg.max_virtqueues = 4;
    cfg.vq_max_size[0] = 256;
    cfg.vq_max_size[1] = 0; /* unusable */
    cfg.vq_max_size[2] = 128;
    cfg.vq_max_size[3] = 64;
    cfg.admin_vq_start = 3;
    cfg.admin_vq_count = 1;
    cfg.num_shm = 3;
    cfg.shm[0] = (vcf_vmsg_shm_region){0x100000u, 0x80000000u};
    cfg.shm[1] = (vcf_vmsg_shm_region){0, 0x1234u};
    cfg.shm[2] = (vcf_vmsg_shm_region){0x1000u, 0xFFFFF000u};
    group(d,
          "PR28, 264-byte messages: a block device with 128 feature bits (NOTIFICATION_DATA, "
          "RING_PACKED), an unusable queue, an admin queue and three shared memory regions",
          &cfg);

    begin(d, "vmsg-dev-rich-info", VCF_VRESULT_VALID,
          "GET_DEVICE_INFO reports device ID 2, 128 feature bits, 16 config bytes, 4 queues and "
          "admin queue range 3+1.");
    RULES("VMSG-INFO-02");
    q_info(d);
    end(d);

    begin(d, "vmsg-dev-rich-features", VCF_VRESULT_VALID,
          "GET_DEVICE_FEATURES for blocks 0..4 returns the four implemented blocks (block 2 "
          "zero, bit 96 set) and one zero block.");
    RULES("VMSG-FEAT-01");
    q_getfeat(d, 0, 5);
    end(d);

    begin(d, "vmsg-dev-shm-regions", VCF_VRESULT_VALID,
          "GET_SHM returns the length and address of regions 0 and 2, length 0 for the empty "
          "region 1, and length 0 for regions 3 and 0xffffffff.");
    RULES("VMSG-SHM-01", "VMSG-MAND-01");
    q_getshm(d, 0);
    q_getshm(d, 1);
    q_getshm(d, 2);
    q_getshm(d, 3);
    q_getshm(d, 0xFFFFFFFFu);
    end(d);

    begin(d, "vmsg-dev-rich-unusable-queue", VCF_VRESULT_INVALID,
          "Queue 1 has maximum size 0: GET_VQUEUE says so and SET_VQUEUE for it changes "
          "nothing.");
    RULES("VMSG-VQ-05", "VMSG-VQ-07");
    init_to(d, ST_FEATURES_OK, V1);
    q_getvq(d, 1);
    q_setvq(d, 1, 64);
    q_getvq(d, 1);
    end(d);

    begin(d, "vmsg-dev-rich-notification-data", VCF_VRESULT_VALID,
          "With NOTIFICATION_DATA negotiated, EVENT_AVAIL's next_offset (offset 5, wrap bit "
          "set) reaches the upper layer unchanged.");
    RULES("VMSG-FINAL-05", "VMSG-NOTIF-03");
    init_to(d, ST_DRIVER_OK, V1 | ND);
    q_avail(d, 0, 0x80000005u);
    q_avail(d, 0, 0x7FFFFFFFu);
    end(d);

    begin(d, "vmsg-dev-rich-packed-driver-area", VCF_VRESULT_INVALID,
          "With RING_PACKED negotiated, a driver area aligned to 2 but not 4 is not applied; "
          "aligned to 4 it is.");
    RULES("VMSG-VQ-02", "VMSG-VQ-08");
    init_to(d, ST_FEATURES_OK, V1 | PK);
    q_setvq_at(d, 0, 256, RING(0), RING(0) + 0x4002u, RING(0) + 0x8000u);
    q_getvq(d, 0);
    q_setvq_at(d, 0, 256, RING(0), RING(0) + 0x4004u, RING(0) + 0x8000u);
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-rich-split-driver-area", VCF_VRESULT_VALID,
          "Without RING_PACKED a driver area aligned to 2 is applied.");
    RULES("VMSG-VQ-08", "VMSG-VQ-05");
    init_to(d, ST_FEATURES_OK, V1);
    q_setvq_at(d, 0, 256, RING(0), RING(0) + 0x4002u, RING(0) + 0x8000u);
    q_getvq(d, 0);
    end(d);

    begin(d, "vmsg-dev-rich-all-features", VCF_VRESULT_VALID,
          "All offered bits in blocks 0, 1 and 3 are accepted together with FEATURES_OK.");
    RULES("VMSG-BASE-09", "VMSG-FEAT-04", "VMSG-BASE-17");
    init_to(d, ST_DRIVER, 0);
    {
        const uint32_t w[4] = {1u << VCF_VIRTIO_F_INDIRECT_DESC, V1 | RR | ND | PK, 0, 1};
        q_setfeat(d, 0, w, 4);
    }
    q_setstatus(d, ACK | DRV | FOK);
    end(d);
}

/* ---- required features ----------------------------------------------------------------------- */

static void required_cases(dg *d)
{
    vcf_vmsg_device_config cfg;
    base_cfg(&cfg);
    cfg.required[1] = V1;
    group(d, "PR28, 264-byte messages: the default device, which cannot work without VERSION_1",
          &cfg);

    begin(d, "vmsg-dev-req-missing-refused", VCF_VRESULT_INVALID,
          "Driver features without the required VERSION_1 make the device refuse FEATURES_OK.");
    RULES("VMSG-FEAT-04", "VMSG-FEAT-07", "VMSG-BASE-09", "VMSG-STATUS-06");
    init_to(d, ST_FEATURES_OK, RR);
    q_getstatus(d);
    end(d);

    begin(d, "vmsg-dev-req-none-written-refused", VCF_VRESULT_INVALID,
          "FEATURES_OK without any SET_DRIVER_FEATURES is refused: the required bit was not "
          "accepted.");
    RULES("VMSG-FEAT-04", "VMSG-FEAT-07");
    init_to(d, ST_DRIVER, 0);
    q_setstatus(d, ACK | DRV | FOK);
    end(d);

    begin(d, "vmsg-dev-req-present-accepted", VCF_VRESULT_VALID,
          "Driver features including VERSION_1 are accepted with FEATURES_OK.");
    RULES("VMSG-FEAT-04", "VMSG-BASE-17");
    init_to(d, ST_FEATURES_OK, V1 | RR);
    end(d);

    begin(d, "vmsg-dev-req-refused-then-renegotiated", VCF_VRESULT_VALID,
          "After a refusal, a reset and a set with VERSION_1 are accepted and initialisation "
          "completes.");
    RULES("VMSG-BASE-17", "VMSG-FEAT-07", "VMSG-STATUS-04");
    init_to(d, ST_FEATURES_OK, RR);
    live(d);
    end(d);

    begin(d, "vmsg-dev-req-refused-queue-setup", VCF_VRESULT_INVALID,
          "After FEATURES_OK was refused, SET_VQUEUE is answered but the queue is not set up "
          "(or set up under the other reading of A14).");
    RULES("VMSG-INIT-02", "VMSG-FEAT-04");
    vcf_gen_variant(d->g, F_APPLY, "model.on_violation", "apply");
    init_to(d, ST_FEATURES_OK, RR);
    q_setvq(d, 0, 256);
    q_getvq(d, 0);
    end(d);
}

/* ---- inactive device ------------------------------------------------------------------------- */

static void inactive_cases(dg *d)
{
    vcf_vmsg_device_config cfg;
    base_cfg(&cfg);
    cfg.inactive = true;
    group(d, "PR28, 264-byte messages: the default device, inactive (not yet present) at start",
          &cfg);

    begin(d, "vmsg-dev-inactive-info", VCF_VRESULT_VALID,
          "An inactive device answers GET_DEVICE_INFO with every field 0 (or not at all under "
          "the other reading of A2).");
    RULES("VMSG-INFO-02");
    vcf_gen_variant(d->g, F_SILENT, "model.inactive_silent", "1");
    q_info(d);
    end(d);

    begin(d, "vmsg-dev-inactive-other-requests", VCF_VRESULT_INVALID,
          "An inactive device answers no other request: status, features and config reads and "
          "a status write are discarded.");
    RULES("VMSG-INFO-02");
    q_getstatus(d);
    q_getfeat(d, 0, 2);
    q_getcfg(d, 0, 4);
    q_setstatus(d, ACK);
    end(d);

    begin(d, "vmsg-dev-inactive-silent-side", VCF_VRESULT_VALID,
          "An inactive device announces neither a config change nor a failure.");
    RULES("VMSG-INFO-02", "VMSG-BASE-10");
    a_change(d, 10, mtu_9000, 2);
    a_fail(d);
    end(d);

    begin(d, "vmsg-dev-inactive-activated", VCF_VRESULT_VALID,
          "Once active, the device answers GET_DEVICE_INFO with its real values and completes "
          "initialisation.");
    RULES("VMSG-INFO-02", "VMSG-MAND-01");
    a_active(d, true);
    q_info(d);
    live(d);
    end(d);

    begin(d, "vmsg-dev-inactive-deactivated", VCF_VRESULT_VALID,
          "A device made inactive after DRIVER_OK stops answering anything but GET_DEVICE_INFO "
          "and sends no EVENT_USED.");
    RULES("VMSG-INFO-02");
    vcf_gen_variant(d->g, F_SILENT, "model.inactive_silent", "1");
    a_active(d, true);
    live(d);
    a_active(d, false);
    q_getstatus(d);
    q_info(d);
    a_change(d, 10, mtu_9000, 2);
    end(d);
}

/* ---- generation starting near the wrap ------------------------------------------------------- */

static void wrap_cases(dg *d)
{
    vcf_vmsg_device_config cfg;
    base_cfg(&cfg);
    cfg.link.opt.gen_init = 0xFFFFFFFEu;
    group(d,
          "PR28, 264-byte messages: the default device with its generation starting at "
          "0xfffffffe (model.gen_init)",
          &cfg);

    begin(d, "vmsg-dev-gen-wraps", VCF_VRESULT_VALID,
          "Config changes move the generation from 0xfffffffe to 0xffffffff and then to 0; the "
          "events and GET_CONFIG show it.");
    RULES("VMSG-GEN-01", "VMSG-CFG-02", "VMSG-CFG-05");
    change_data_optional(d);
    live(d);
    q_getcfg(d, 10, 2);
    a_change(d, 10, mtu_9000, 2);
    a_change(d, 6, mtu_9000, 1);
    q_getcfg(d, 10, 2);
    end(d);

    begin(d, "vmsg-dev-gen-wrapped-set-config", VCF_VRESULT_VALID,
          "After the generation wrapped to 0, SET_CONFIG naming 0 is applied and one naming "
          "0xffffffff is rejected.");
    RULES("VMSG-GEN-03", "VMSG-GEN-04");
    change_data_optional(d);
    vcf_gen_variant(d->g, F_BUMP, "model.set_config_bumps_gen", "1");
    live(d);
    a_change(d, 10, mtu_9000, 2);
    a_change(d, 10, mtu_9000, 2);
    q_setcfg(d, 0xFFFFFFFFu, 10, mtu_9000, 2);
    q_setcfg(d, 0, 10, mtu_9000, 2);
    end(d);

    begin(d, "vmsg-dev-gen-nonzero-start", VCF_VRESULT_VALID,
          "A device whose generation starts at 0xfffffffe reports it in GET_CONFIG and accepts "
          "SET_CONFIG naming it.");
    RULES("VMSG-CFG-02", "VMSG-GEN-03");
    vcf_gen_variant(d->g, F_ECHO, "model.set_config_echo", "1");
    init_to(d, ST_FEATURES_OK, V1);
    q_getcfg(d, 0, 4);
    q_setcfg(d, 0xFFFFFFFEu, 10, mtu_9000, 2);
    end(d);
}

/* ---- notes and unobservable rules ------------------------------------------------------------ */

static void notes(dg *d)
{
    vcf_gen_note(d->g, F_TOKEN,
                 "PR28 does not say whether a device copies the request's token into its "
                 "response (the bus owns tokens; reading A13): a response with token 0 is "
                 "accepted too.");
    vcf_gen_note(d->g, F_REPORT,
                 "After SET_DRIVER_FEATURES, GET_DEVICE_FEATURES may report the offered bits or "
                 "the acknowledged set (PR28 P112 against the message's name; reading A4).");
    vcf_gen_note(d->g, F_APPLY,
                 "The draft does not say what a device does with a request the current state "
                 "does not allow (status bits cleared, features after FEATURES_OK, SET_VQUEUE on "
                 "a live queue or before FEATURES_OK, SET_CONFIG before FEATURES_OK); answering "
                 "and applying it anyway is accepted too (reading A14).");
    vcf_gen_note(d->g, F_ORDER,
                 "Status bits added out of initialisation order are the driver's violation; a "
                 "device may refuse them instead of applying them (reading A14).");
    vcf_gen_note(d->g, F_CLAMP,
                 "A request whose response cannot fit the maximum message size, or that reaches "
                 "past the config space, cannot be answered as asked; answering with the part "
                 "that fits is accepted as well as not answering (reading A15).");
    vcf_gen_note(d->g, F_ECHO,
                 "The SET_CONFIG response may echo the bytes written (PR28's optional data; "
                 "reading A5).");
    vcf_gen_note(d->g, F_PARTIAL,
                 "PR28's wording allows a SET_CONFIG reaching past the space to apply the part "
                 "inside it and report that length (reading A5).");
    vcf_gen_note(d->g, F_BUMP,
                 "Whether the driver's own SET_CONFIG moves the generation is not specified "
                 "(reading A16).");
    vcf_gen_note(d->g, F_RVQ,
                 "RESET_VQUEUE is unconditional in one clause and tied to VIRTIO_F_RING_RESET in "
                 "another; answering it without resetting the queue when RING_RESET was not "
                 "negotiated is accepted (reading A7).");
    vcf_gen_note(d->g, F_SILENT,
                 "\"Inactive\" is not defined: an inactive device may answer GET_DEVICE_INFO "
                 "with all fields 0 or not at all (reading A2).");
    vcf_gen_note(d->g, F_NODATA,
                 "VMSG-NOTIF-06 makes the data in EVENT_CONFIG optional: a device may announce "
                 "every configuration change with length 0 and no data (QEMU does), leaving the "
                 "driver to read the new bytes with GET_CONFIG; the status, generation and "
                 "offset are still compared (model.event_config_data 0).");
    vcf_gen_note(d->g, F_POW2,
                 "The base specification wants power-of-two split-ring sizes from the driver; a "
                 "device may refuse another size or take it.");
}

static void unobservable(dg *d)
{
    vcf_gen_unobservable(d->g, "VMSG-HDR-09",
                         "bus-specific padding is stripped by the bus before a transport message "
                         "reaches the device, and a device adds none of its own to the messages "
                         "it sends in these vectors (every response is checked byte for byte "
                         "with msg_size equal to its length); padding belongs to the bus "
                         "framing, which the device adapter does not expose");
    vcf_gen_unobservable(d->g, "VMSG-R3-13",
                         "as VMSG-HDR-09: trailing framing bytes exist only in the bus's "
                         "framing, which the link channel of a device adapter does not carry");
    vcf_gen_unobservable(d->g, "VMSG-R3-11",
                         "a stale RFC3 compliance clause: no message carries the agreed feature "
                         "bits back to the driver (the SET_DRIVER_FEATURES response is empty), so "
                         "there is nothing to observe");
}

void vcf_gen_vmsg_device(vcf_gen *g)
{
    dg *d = calloc(1, sizeof *d);
    if (!d) {
        fprintf(stderr, "gen virtio-msg-device: out of memory\n");
        abort();
    }
    d->g = g;
    notes(d);
    unobservable(d);
    pr28_default(d);
    rfc3_cases(d);
    small_cases(d);
    large_cases(d);
    rich_cases(d);
    required_cases(d);
    inactive_cases(d);
    wrap_cases(d);
    free(d);
}
