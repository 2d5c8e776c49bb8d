/* SPDX-License-Identifier: MIT */
/*
 * vconform gen: golden vectors for a virtio-msg DRIVER under test.
 *
 * The harness plays the device at the other end of the link (channel 0). The driver's requests
 * come out of the implementation; the scenarios below answer them with responses built from the
 * request just emitted (same msg_id, dev_num and token), either the way a conforming device
 * would (sim_answer) or with a deliberate defect. Every stimulus is encoded with the codec
 * (vcf_vmsg_encode) and, for malformed ones, corrupted afterwards at a named offset.
 *
 * Tokens: the driver chooses the token of every request it sends (under PR28 the value is the
 * bus's business and opaque to the driver, VMSG-HDR-05; under RFC3 it is the driver's own), so
 * the token bytes (offset 4, 2 bytes) of every request are masked out, and under PR28 those of
 * everything the driver sends. Every response that echoes a request's token takes it from the
 * request the implementation actually sent: link_inject() adds a copy of bytes 4..5 of that
 * request (vcf_gen_copy), so a driver numbering its requests differently from the model still
 * sees its own tokens come back. The stored hex holds the model's token. Only the stimuli whose
 * point is a wrong token (wrong_token()) keep the value written here.
 *
 * The groups, families and the rules no driver vector can show are described in
 * docs/vectors/virtio-msg-driver.md.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "vconform/vmsg.h"
#include "vconform/vmsg_model.h" /* upper-layer event numbers */

#define LINK    0u    /* the only channel of the driver role */
#define DEV_NUM 1u    /* the device number the driver is given (group parameter dev_num) */
#define MSG_CAP 1024u /* room for every message the scenarios build */
#define OUT_MAX 8u    /* messages one step can emit */
#define REQ_MAX 512u  /* requests one case can send */

#define ST_ACK  VCF_VIRTIO_STATUS_ACKNOWLEDGE
#define ST_DRV  VCF_VIRTIO_STATUS_DRIVER
#define ST_DOK  VCF_VIRTIO_STATUS_DRIVER_OK
#define ST_FOK  VCF_VIRTIO_STATUS_FEATURES_OK
#define ST_NR   VCF_VIRTIO_STATUS_DEVICE_NEEDS_RESET
#define ST_FAIL VCF_VIRTIO_STATUS_FAILED

#define BIT(b) (1u << ((b) % 32u))
/* Block 1 (bits 32..63) of the features the default driver wants: VERSION_1, NOTIFICATION_DATA,
 * RING_RESET. */
#define WANT1                                                                                      \
    (BIT(VCF_VIRTIO_F_VERSION_1) | BIT(VCF_VIRTIO_F_NOTIFICATION_DATA) |                           \
     BIT(VCF_VIRTIO_F_RING_RESET))

#define SIM_BLOCKS 16u
#define SIM_CONFIG 128u
#define SIM_VQS    8u

/* The device the harness plays. */
typedef struct sim {
    uint32_t device_id, vendor_id, nfb, config_size, max_vq;
    uint16_t admin_start, admin_count;
    uint32_t offered[SIM_BLOCKS];
    uint32_t acked[SIM_BLOCKS];
    uint32_t status, gen;
    bool refuse_features; /* FEATURES_OK is answered without FEATURES_OK */
    uint8_t config[SIM_CONFIG];
    uint32_t vq_max[SIM_VQS], vq_size[SIM_VQS];
    uint64_t vq_desc[SIM_VQS], vq_drv[SIM_VQS], vq_dev[SIM_VQS];
    uint32_t shm_len, shm_addr;
} sim;

/* A request the driver sent: where it came out (for vcf_gen_copy) and its token. */
typedef struct sent_req {
    size_t step, msg;
    uint16_t token;
} sent_req;

typedef struct ctx {
    vcf_gen *g;
    const char *id; /* the case being written */
    vcf_vmsg_rev rev;
    uint32_t max; /* the group's max_msg_size */
    sim base;     /* the group's device */
    sim dev;      /* the device of the case in progress */
    bool busy;    /* a request of the driver is outstanding */
    uint8_t req[MSG_CAP];
    size_t req_len;
    sent_req sent[REQ_MAX]; /* every request of the case, oldest first */
    size_t n_sent;
    bool wrong_token; /* the next stimulus carries a deliberately wrong token: no copy */
    uint32_t op;      /* the upper-layer request whose `done` is awaited (0: none) */
    size_t n_out;     /* what the last step emitted */
    uint8_t out[OUT_MAX][MSG_CAP];
    size_t out_len[OUT_MAX];
} ctx;

/* ---- little helpers ------------------------------------------------------------------------ */

static void die(const ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void die(const ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "vconform gen virtio-msg-driver: case %s: ", c->id ? c->id : "(none)");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8u * i));
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* ---- the default device ------------------------------------------------------------------- */

/* A network device (ID 1) with 64 feature bits offering bits 0 and 28, VERSION_1, bit 33,
 * NOTIFICATION_DATA and RING_RESET; 12 bytes of configuration 00..0b at generation 5; three
 * queues of 256, 128 and 64; one shared memory region of 4 KiB at 0x50000000. */
static void sim_default(sim *s)
{
    memset(s, 0, sizeof *s);
    s->device_id = 1;
    s->vendor_id = 0x554D4551u;
    s->nfb = 64;
    s->offered[0] = BIT(0) | BIT(28);
    s->offered[1] = WANT1 | BIT(33);
    s->config_size = 12;
    for (unsigned i = 0; i < SIM_CONFIG; i++)
        s->config[i] = (uint8_t)i;
    s->max_vq = 3;
    s->vq_max[0] = 256;
    s->vq_max[1] = 128;
    s->vq_max[2] = 64;
    s->gen = 5;
    s->shm_len = 0x1000;
    s->shm_addr = 0x50000000u;
}

static void sim_reset(sim *s)
{
    s->status = 0;
    memset(s->acked, 0, sizeof s->acked);
    memset(s->vq_size, 0, sizeof s->vq_size);
    memset(s->vq_desc, 0, sizeof s->vq_desc);
    memset(s->vq_drv, 0, sizeof s->vq_drv);
    memset(s->vq_dev, 0, sizeof s->vq_dev);
}

/* ---- steps ----------------------------------------------------------------------------------- */

static bool is_request(const uint8_t *m, size_t len)
{
    return len >= 8 && (m[0] & (VCF_VMSG_TYPE_RESPONSE | VCF_VMSG_TYPE_BUS)) == 0 && m[1] < 0x40;
}

/* Event argument slots (vcf_gen_event_args). */
#define A_INDEX  0x1u
#define A_OFFSET 0x2u
#define A_LENGTH 0x4u

/* Whether the last step's expectation holds an event of this type. */
static bool step_has_event(ctx *c, uint32_t type)
{
    const vcf_vfile *f = vcf_gen_file(c->g);
    if (!f->n_groups)
        return false;
    const vcf_group *gr = &f->groups[f->n_groups - 1];
    if (!gr->n_cases)
        return false;
    const vcf_case *k = &gr->cases[gr->n_cases - 1];
    if (!k->n_steps)
        return false;
    const vcf_expect *e = &k->steps[k->n_steps - 1].expect;
    for (size_t a = 0; a < e->n_alts; a++)
        for (size_t i = 0; i < e->alts[a].n_obs; i++)
            if (e->alts[a].obs[i].kind == VCF_OBS_EVENT && e->alts[a].obs[i].event.type == type)
                return true;
    return false;
}

/* `done` names the request that completed in the slots the request fixes: the queue (and the
 * size programmed) for reset-vq and setup-vq, the range applied for config-write; nothing for
 * get-status and reset. The model's other slots are its own and are not compared. */
static void done_args(ctx *c)
{
    const uint32_t done = VCF_EVT_VMSG_BASE + VCF_VMSG_EV_DONE;
    if (!step_has_event(c, done))
        return;
    uint32_t args = 0;
    switch (c->op) {
    case VCF_ACT_VMSG_CONFIG_WRITE: args = A_OFFSET | A_LENGTH; break;
    case VCF_ACT_VMSG_RESET_VQ: args = A_INDEX; break;
    case VCF_ACT_VMSG_SETUP_VQ: args = A_INDEX | A_LENGTH; break;
    case VCF_ACT_VMSG_GET_STATUS:
    case VCF_ACT_VMSG_RESET: args = 0; break;
    default: die(c, "a done event with no upper-layer request in progress");
    }
    vcf_gen_event_args(c->g, done, args);
    c->op = 0;
}

/* Take note of what the last step emitted: the request now outstanding, and the token masks. */
static void observe(ctx *c)
{
    static const uint8_t no_bits[2] = {0, 0};
    c->n_out = 0;
    for (size_t i = 0;; i++) {
        size_t len = 0;
        const uint8_t *m = vcf_gen_last_msg(c->g, i, &len);
        if (!m)
            break;
        if (i >= OUT_MAX || len > MSG_CAP)
            die(c, "the model emitted more than expected");
        memcpy(c->out[i], m, len);
        c->out_len[i] = len;
        c->n_out = i + 1;
        bool req = is_request(m, len);
        /* PR28: the token is the bus's, whatever the driver puts there (VMSG-HDR-05). RFC3:
         * the driver's choice, non-zero in requests; events carry 0 and stay compared. */
        if (len >= 8 && (c->rev == VCF_VMSG_REV_PR28 || req))
            vcf_gen_mask(c->g, i, 4, no_bits, sizeof no_bits);
        if (req) {
            if (c->busy)
                die(c, "a second request while one is outstanding");
            if (c->n_sent == REQ_MAX)
                die(c, "more than %u requests in one case", REQ_MAX);
            c->busy = true;
            memcpy(c->req, m, len);
            c->req_len = len;
            c->sent[c->n_sent++] = (sent_req){vcf_gen_step_index(c->g), i, get16(m + 4)};
        }
    }
    done_args(c);
}

/* The next stimulus carries a token that is wrong on purpose (the case is about the token): it
 * is injected as written, not replaced by the token the implementation chose. */
static void wrong_token(ctx *c)
{
    c->wrong_token = true;
}

/* Inject a message from the device. A response (type bit 0, not a bus message) that still holds
 * its header's token echoes a request the driver sent: the token is copied from that request
 * (the outstanding or last one, else the latest with that token) as the implementation emitted
 * it. A response whose token matches no request must have been marked with wrong_token(). */
static void link_inject(ctx *c, const uint8_t *buf, size_t len)
{
    bool fixed = c->wrong_token;
    c->wrong_token = false;
    if (!fixed && len >= 6 &&
        (buf[0] & (VCF_VMSG_TYPE_RESPONSE | VCF_VMSG_TYPE_BUS)) == VCF_VMSG_TYPE_RESPONSE) {
        uint16_t token = get16(buf + 4);
        const sent_req *src = NULL;
        if (c->n_sent && c->sent[c->n_sent - 1].token == token)
            src = &c->sent[c->n_sent - 1];
        for (size_t k = c->n_sent; !src && k-- > 0;)
            if (c->sent[k].token == token)
                src = &c->sent[k];
        if (!src)
            die(c,
                "a response with token 0x%04x, which no request of the case carried (mark a "
                "deliberately wrong token with wrong_token())",
                token);
        vcf_gen_copy(c->g, src->step, src->msg, 4, 4, 2);
    }
    vcf_gen_inject(c->g, LINK, buf, len);
}

/* A message from the device that the driver should take as the answer to its request. */
static void answer_bytes(ctx *c, const uint8_t *buf, size_t len)
{
    if (!c->busy)
        die(c, "answering while no request is outstanding");
    c->busy = false;
    link_inject(c, buf, len);
    observe(c);
}

/* Any other message from the device (an event, or one the driver should drop). */
static void other_bytes(ctx *c, const uint8_t *buf, size_t len)
{
    link_inject(c, buf, len);
    observe(c);
}

static void act(ctx *c, uint32_t kind, uint64_t a0, uint64_t a1, const void *data, size_t len)
{
    if (kind == VCF_ACT_VMSG_TIMEOUT || kind == VCF_ACT_VMSG_REMOVED)
        c->busy = false;
    if (kind == VCF_ACT_VMSG_CONFIG_WRITE || kind == VCF_ACT_VMSG_RESET_VQ ||
        kind == VCF_ACT_VMSG_SETUP_VQ || kind == VCF_ACT_VMSG_GET_STATUS ||
        kind == VCF_ACT_VMSG_RESET)
        c->op = kind;
    vcf_gen_action(c->g, kind, a0, a1, 0, data, len);
    observe(c);
}

static uint8_t req_id(const ctx *c)
{
    return c->busy ? c->req[1] : 0;
}

static uint32_t req32(const ctx *c, size_t off)
{
    if (c->req_len < off + 4)
        die(c, "the request is too short for a field at %zu", off);
    return get32(c->req + off);
}

/* The scenario's own checks on what the model did: a mistake here is a generator bug. */
static void expect_req(const ctx *c, uint8_t msg_id)
{
    if (!c->busy || c->req[1] != msg_id)
        die(c, "expected request 0x%02x outstanding, have %s0x%02x", msg_id,
            c->busy ? "" : "none, last ", c->req[1]);
}

static void expect_status_write(const ctx *c, uint32_t status)
{
    expect_req(c, VCF_VMSG_SET_DEVICE_STATUS);
    if (req32(c, 8) != status)
        die(c, "expected SET_DEVICE_STATUS 0x%x, have 0x%x", status, req32(c, 8));
}

static void expect_silence(const ctx *c)
{
    if (c->n_out != 0)
        die(c, "expected silence, the model sent %zu message(s), msg_id 0x%02x", c->n_out,
            c->out[0][1]);
}

static void expect_sent(const ctx *c, uint8_t msg_id)
{
    if (c->n_out != 1 || c->out[0][1] != msg_id)
        die(c, "expected exactly one message 0x%02x, have %zu", msg_id, c->n_out);
}

/* ---- encoding ------------------------------------------------------------------------------- */

static size_t encode(const ctx *c, const vcf_vmsg_msg *m, uint8_t *buf)
{
    vcf_error err;
    memset(&err, 0, sizeof err);
    int n = vcf_vmsg_encode(m, buf, MSG_CAP, &err);
    if (n < 0)
        die(c, "cannot encode a %s: %s", vcf_vmsg_kind_name(m->kind),
            err.detail ? err.detail : "?");
    return (size_t)n;
}

/* A response to the outstanding request: its msg_id, device number and token. */
static void resp_init(const ctx *c, vcf_vmsg_msg *m, vcf_vmsg_kind kind)
{
    if (!c->busy)
        die(c, "a response with no request outstanding");
    if (vcf_vmsg_init(m, kind, get16(c->req + 2), get16(c->req + 4)) != VCF_OK)
        die(c, "bad response kind");
    uint8_t type = 0, id = 0;
    (void)vcf_vmsg_kind_header(kind, &type, &id);
    if (id != c->req[1])
        die(c, "building a %s response to request 0x%02x", vcf_vmsg_kind_name(kind), c->req[1]);
}

/* Status responses (SET_ or GET_DEVICE_STATUS, whichever is outstanding). */
static size_t status_resp(const ctx *c, uint32_t status, uint8_t *buf)
{
    vcf_vmsg_msg m;
    resp_init(c, &m,
              req_id(c) == VCF_VMSG_GET_DEVICE_STATUS ? VCF_VMSG_K_GET_DEVICE_STATUS_RESP
                                                      : VCF_VMSG_K_SET_DEVICE_STATUS_RESP);
    m.u.status = status;
    return encode(c, &m, buf);
}

static void answer_status(ctx *c, uint32_t status)
{
    uint8_t buf[MSG_CAP];
    size_t n = status_resp(c, status, buf);
    c->dev.status = status;
    answer_bytes(c, buf, n);
}

static size_t vqueue_resp(const ctx *c, uint32_t index, uint32_t max, uint32_t cur, uint64_t desc,
                          uint64_t drv, uint64_t dev, uint8_t *buf)
{
    vcf_vmsg_msg m;
    resp_init(c, &m, VCF_VMSG_K_GET_VQUEUE_RESP);
    m.u.vqueue.index = index;
    m.u.vqueue.max_size = max;
    m.u.vqueue.cur_size = cur;
    m.u.vqueue.desc_addr = desc;
    m.u.vqueue.driver_addr = drv;
    m.u.vqueue.device_addr = dev;
    return encode(c, &m, buf);
}

static size_t config_resp(const ctx *c, vcf_vmsg_kind kind, uint32_t gen, uint32_t off,
                          uint32_t len, const uint8_t *data, size_t data_len, uint8_t *buf)
{
    vcf_vmsg_msg m;
    resp_init(c, &m, kind);
    m.u.config.generation = gen;
    m.u.config.offset = off;
    m.u.config.length = len;
    m.u.config.data.ptr = data;
    m.u.config.data.len = data_len;
    return encode(c, &m, buf);
}

static size_t features_resp(const ctx *c, uint32_t first, uint32_t n, const uint32_t *blocks,
                            uint8_t *buf)
{
    uint8_t words[4u * SIM_BLOCKS * 4u];
    if (n > sizeof words / 4u)
        die(c, "too many feature blocks");
    for (uint32_t i = 0; i < n; i++)
        put32(words + 4u * i, blocks[i]);
    vcf_vmsg_msg m;
    resp_init(c, &m, VCF_VMSG_K_GET_DEVICE_FEATURES_RESP);
    m.u.features.block_index = first;
    m.u.features.num_blocks = n;
    m.u.features.blocks.ptr = words;
    m.u.features.blocks.len = 4u * n;
    return encode(c, &m, buf);
}

static size_t shm_resp(const ctx *c, uint32_t index, uint32_t len, uint32_t addr, uint8_t *buf)
{
    vcf_vmsg_msg m;
    resp_init(c, &m, VCF_VMSG_K_GET_SHM_RESP);
    m.u.shm.index = index;
    m.u.shm.length = len;
    m.u.shm.address = addr;
    return encode(c, &m, buf);
}

static size_t empty_resp(const ctx *c, vcf_vmsg_kind kind, uint8_t *buf)
{
    vcf_vmsg_msg m;
    resp_init(c, &m, kind);
    return encode(c, &m, buf);
}

static size_t event_config_msg(const ctx *c, uint16_t dev_num, uint32_t status, uint32_t gen,
                               uint32_t off, const uint8_t *data, uint32_t len, uint8_t *buf)
{
    vcf_vmsg_msg m;
    (void)vcf_vmsg_init(&m, VCF_VMSG_K_EVENT_CONFIG, dev_num, 0);
    m.u.event_config.device_status = status;
    m.u.event_config.generation = gen;
    m.u.event_config.offset = off;
    m.u.event_config.length = len;
    m.u.event_config.data.ptr = data;
    m.u.event_config.data.len = len;
    return encode(c, &m, buf);
}

static size_t event_used_msg(const ctx *c, uint16_t dev_num, uint32_t vq, uint8_t *buf)
{
    vcf_vmsg_msg m;
    (void)vcf_vmsg_init(&m, VCF_VMSG_K_EVENT_USED, dev_num, 0);
    m.u.index = vq;
    return encode(c, &m, buf);
}

static void event_config(ctx *c, uint32_t status, uint32_t gen, uint32_t off, const uint8_t *data,
                         uint32_t len)
{
    uint8_t buf[MSG_CAP];
    other_bytes(c, buf, event_config_msg(c, DEV_NUM, status, gen, off, data, len, buf));
}

static void event_used(ctx *c, uint32_t vq)
{
    uint8_t buf[MSG_CAP];
    other_bytes(c, buf, event_used_msg(c, DEV_NUM, vq, buf));
}

/* ---- the device's answers ------------------------------------------------------------------ */

/* What a conforming device answers to the outstanding request (and its own state change). */
static size_t sim_build(ctx *c, uint8_t *buf)
{
    sim *s = &c->dev;
    vcf_vmsg_params p;
    vcf_vmsg_params_default(&p);
    p.rev = c->rev;
    vcf_vmsg_msg q;
    vcf_error err;
    if (vcf_vmsg_parse(c->req, c->req_len, &p, &q, &err) != VCF_OK)
        die(c, "the model sent a request the codec cannot parse");
    vcf_vmsg_msg m;
    switch (q.kind) {
    case VCF_VMSG_K_GET_DEVICE_INFO_REQ:
        resp_init(c, &m, VCF_VMSG_K_GET_DEVICE_INFO_RESP);
        m.u.device_info.device_id = s->device_id;
        m.u.device_info.vendor_id = s->vendor_id;
        m.u.device_info.num_feature_bits = s->nfb;
        m.u.device_info.config_size = s->config_size;
        m.u.device_info.max_virtqueues = s->max_vq;
        m.u.device_info.admin_vq_start = s->admin_start;
        m.u.device_info.admin_vq_count = s->admin_count;
        return encode(c, &m, buf);
    case VCF_VMSG_K_GET_DEVICE_FEATURES_REQ: {
        uint32_t first = q.u.features.block_index, n = q.u.features.num_blocks;
        uint32_t blocks[SIM_BLOCKS * 4u] = {0};
        for (uint32_t i = 0; i < n && i < SIM_BLOCKS * 4u; i++)
            blocks[i] = first + i < SIM_BLOCKS ? s->offered[first + i] : 0;
        return features_resp(c, first, n, blocks, buf);
    }
    case VCF_VMSG_K_SET_DRIVER_FEATURES_REQ:
        for (uint32_t i = 0; i < q.u.features.num_blocks; i++)
            if (q.u.features.block_index + i < SIM_BLOCKS)
                s->acked[q.u.features.block_index + i] = vcf_vmsg_feature_block(&q.u.features, i);
        return empty_resp(c, VCF_VMSG_K_SET_DRIVER_FEATURES_RESP, buf);
    case VCF_VMSG_K_GET_CONFIG_REQ: {
        uint32_t off = q.u.config.offset, n = q.u.config.length;
        if ((uint64_t)off + n > SIM_CONFIG)
            die(c, "GET_CONFIG past the simulated space");
        return config_resp(c, VCF_VMSG_K_GET_CONFIG_RESP, s->gen, off, n, s->config + off, n, buf);
    }
    case VCF_VMSG_K_SET_CONFIG_REQ: {
        uint32_t off = q.u.config.offset, n = q.u.config.length;
        if ((uint64_t)off + n > SIM_CONFIG)
            die(c, "SET_CONFIG past the simulated space");
        if (q.u.config.generation != s->gen)
            n = 0; /* stale: rejected */
        else
            memcpy(s->config + off, q.u.config.data.ptr, n);
        return config_resp(c, VCF_VMSG_K_SET_CONFIG_RESP, s->gen, off, n, NULL, 0, buf);
    }
    case VCF_VMSG_K_GET_DEVICE_STATUS_REQ: return status_resp(c, s->status, buf);
    case VCF_VMSG_K_SET_DEVICE_STATUS_REQ: {
        uint32_t w = q.u.status;
        if (w == 0)
            sim_reset(s);
        else if ((w & ST_FOK) && !(s->status & ST_FOK) && s->refuse_features)
            s->status = w & ~ST_FOK;
        else
            s->status = w | (s->status & ST_NR);
        return status_resp(c, s->status, buf);
    }
    case VCF_VMSG_K_GET_VQUEUE_REQ: {
        uint32_t i = q.u.index;
        bool ok = i < s->max_vq && i < SIM_VQS;
        return vqueue_resp(c, i, ok ? s->vq_max[i] : 0, ok ? s->vq_size[i] : 0,
                           ok ? s->vq_desc[i] : 0, ok ? s->vq_drv[i] : 0, ok ? s->vq_dev[i] : 0,
                           buf);
    }
    case VCF_VMSG_K_SET_VQUEUE_REQ: {
        uint32_t i = q.u.set_vqueue.index;
        if (i < SIM_VQS) {
            s->vq_size[i] = q.u.set_vqueue.size;
            s->vq_desc[i] = q.u.set_vqueue.desc_addr;
            s->vq_drv[i] = q.u.set_vqueue.driver_addr;
            s->vq_dev[i] = q.u.set_vqueue.device_addr;
        }
        return empty_resp(c, VCF_VMSG_K_SET_VQUEUE_RESP, buf);
    }
    case VCF_VMSG_K_RESET_VQUEUE_REQ: {
        uint32_t i = q.u.index;
        if (i < SIM_VQS) {
            s->vq_size[i] = 0;
            s->vq_desc[i] = s->vq_drv[i] = s->vq_dev[i] = 0;
        }
        return empty_resp(c, VCF_VMSG_K_RESET_VQUEUE_RESP, buf);
    }
    case VCF_VMSG_K_GET_SHM_REQ: {
        uint32_t i = q.u.index;
        return shm_resp(c, i, i == 0 ? s->shm_len : 0, i == 0 ? s->shm_addr : 0, buf);
    }
    default: die(c, "no answer for %s", vcf_vmsg_kind_name(q.kind));
    }
    return 0;
}

/* Answer the outstanding request as the device would. */
static void answer(ctx *c)
{
    uint8_t buf[MSG_CAP];
    size_t n = sim_build(c, buf);
    answer_bytes(c, buf, n);
}

/* Answer every request until the driver stops asking. */
static void pump(ctx *c)
{
    for (int guard = 0; c->busy; guard++) {
        if (guard > 200)
            die(c, "the driver never stops asking");
        answer(c);
    }
}

/* Answer requests until the driver asks for msg_id (left outstanding). */
static void pump_until(ctx *c, uint8_t msg_id)
{
    for (int guard = 0; !(c->busy && c->req[1] == msg_id); guard++) {
        if (!c->busy || guard > 200)
            die(c, "request 0x%02x never came", msg_id);
        answer(c);
    }
}

/* Until the SET_DEVICE_STATUS writing exactly status (left outstanding). */
static void pump_until_status(ctx *c, uint32_t status)
{
    for (int guard = 0;; guard++) {
        pump_until(c, VCF_VMSG_SET_DEVICE_STATUS);
        if (req32(c, 8) == status)
            return;
        if (guard > 20)
            die(c, "status 0x%x never written", status);
        answer(c);
    }
}

static void start(ctx *c)
{
    act(c, VCF_ACT_VMSG_START, 0, 0, NULL, 0);
    expect_req(c, VCF_VMSG_GET_DEVICE_INFO);
}

/* Initialise the driver against the case's device; it must end with DRIVER_OK accepted. */
static void ready(ctx *c)
{
    start(c);
    pump(c);
    if ((c->dev.status & (ST_DOK | ST_FAIL)) != ST_DOK)
        die(c, "initialisation did not end with DRIVER_OK (status 0x%x)", c->dev.status);
}

/* ---- cases ------------------------------------------------------------------------------------
 */

static void begin(ctx *c, const char *id, vcf_vresult result, const char *description)
{
    c->id = id;
    c->dev = c->base;
    c->busy = false;
    c->n_out = 0;
    c->n_sent = 0;
    c->wrong_token = false;
    c->op = 0;
    vcf_gen_case(c->g, id, result, description);
}

static void end(ctx *c)
{
    if (c->wrong_token)
        die(c, "wrong_token() without a stimulus after it");
    vcf_gen_end(c->g);
    c->id = NULL;
}

#define RULES(c, ...) vcf_gen_rules((c)->g, __VA_ARGS__, NULL)

static void group(ctx *c, const char *description, vcf_vmsg_rev rev, uint32_t max, bool read_config,
                  uint32_t want0, uint32_t want1)
{
    char wanted[40];
    snprintf(wanted, sizeof wanted, "0x%08x,0x%08x", want0, want1);
    c->rev = rev;
    c->max = max;
    vcf_gen_group(c->g, description);
    vcf_gen_param(c->g, "rev", vcf_vmsg_rev_name(rev));
    vcf_gen_param_u64(c->g, "max_msg_size", max);
    vcf_gen_param_u64(c->g, "dev_num", DEV_NUM);
    vcf_gen_param(c->g, "wanted", wanted);
    vcf_gen_param_u64(c->g, "num_queues", 2);
    vcf_gen_param_u64(c->g, "queue_size", 256);
    vcf_gen_param_hex(c->g, "ring_base", 0x40000000u);
    vcf_gen_param_u64(c->g, "read_config", read_config ? 1 : 0);
    sim_default(&c->base);
}

/* ==== PR28, 264 bytes, the default driver ========================================================
 */

/* The initialisation step by step: each case stops at one request and checks its bytes. */
static void init_family(ctx *c)
{
    begin(c, "vmsg-drv-init-device-info-first", VCF_VRESULT_VALID,
          "Starting, the driver sends GET_DEVICE_INFO (8 bytes, dev_num 1) before anything else.");
    RULES(c, "VMSG-INIT-01", "VMSG-HDR-01", "VMSG-HDR-02", "VMSG-HDR-03", "VMSG-END-01");
    start(c);
    end(c);

    begin(c, "vmsg-drv-init-reset-after-device-info", VCF_VRESULT_VALID,
          "The device info answered, the driver resets the device with SET_DEVICE_STATUS 0.");
    RULES(c, "VMSG-BASE-01", "VMSG-STATUS-02", "VMSG-INFO-03");
    start(c);
    answer(c);
    expect_status_write(c, 0);
    end(c);

    begin(c, "vmsg-drv-init-acknowledge-after-reset", VCF_VRESULT_VALID,
          "The reset answered with status 0, the driver writes ACKNOWLEDGE.");
    RULES(c, "VMSG-BASE-01", "VMSG-BASE-11", "VMSG-STATUS-02");
    start(c);
    answer(c);
    answer(c);
    expect_status_write(c, ST_ACK);
    end(c);

    begin(c, "vmsg-drv-init-driver-after-acknowledge", VCF_VRESULT_VALID,
          "ACKNOWLEDGE accepted, the driver writes ACKNOWLEDGE|DRIVER, adding bits only.");
    RULES(c, "VMSG-BASE-01", "VMSG-BASE-05", "VMSG-INIT-04");
    start(c);
    pump_until_status(c, ST_ACK);
    answer(c);
    expect_status_write(c, ST_ACK | ST_DRV);
    end(c);

    begin(c, "vmsg-drv-init-features-read", VCF_VRESULT_VALID,
          "DRIVER accepted, the driver reads both feature blocks the 64-bit device reports.");
    RULES(c, "VMSG-INIT-02", "VMSG-FEAT-05", "VMSG-INFO-03", "VMSG-BASE-01");
    start(c);
    pump_until(c, VCF_VMSG_GET_DEVICE_FEATURES);
    if (req32(c, 8) != 0 || req32(c, 12) != 2)
        die(c, "features read as %u blocks from %u", req32(c, 12), req32(c, 8));
    end(c);

    begin(c, "vmsg-drv-init-features-written", VCF_VRESULT_VALID,
          "The driver writes back exactly the offered bits it wants (VERSION_1, "
          "NOTIFICATION_DATA, RING_RESET), none of the offered bits 0, 28 and 33.");
    RULES(c, "VMSG-FEAT-02", "VMSG-BASE-08", "VMSG-BASE-12", "VMSG-INIT-02");
    start(c);
    pump_until(c, VCF_VMSG_SET_DRIVER_FEATURES);
    if (req32(c, 16) != 0 || req32(c, 20) != WANT1)
        die(c, "features written 0x%x 0x%x", req32(c, 16), req32(c, 20));
    end(c);

    begin(c, "vmsg-drv-init-features-ok-after-write", VCF_VRESULT_VALID,
          "The features written, the driver sets FEATURES_OK (0x0b) before any queue or config "
          "access.");
    RULES(c, "VMSG-INIT-02", "VMSG-BASE-01", "VMSG-STATUS-02");
    start(c);
    pump_until(c, VCF_VMSG_SET_DRIVER_FEATURES);
    answer(c);
    expect_status_write(c, ST_ACK | ST_DRV | ST_FOK);
    end(c);

    begin(c, "vmsg-drv-init-config-read-within-size", VCF_VRESULT_VALID,
          "FEATURES_OK accepted, the driver reads the configuration space, offset 0 length 12 "
          "as config_size says.");
    RULES(c, "VMSG-INFO-01", "VMSG-CFG-01", "VMSG-FEAT-03", "VMSG-SIZE-01");
    start(c);
    pump_until(c, VCF_VMSG_GET_CONFIG);
    if (req32(c, 8) != 0 || req32(c, 12) != 12)
        die(c, "config read %u@%u", req32(c, 12), req32(c, 8));
    end(c);

    begin(c, "vmsg-drv-init-queue-queried-first", VCF_VRESULT_VALID,
          "Before programming queue 0 the driver asks GET_VQUEUE for its maximum and state.");
    RULES(c, "VMSG-VQ-01", "VMSG-INIT-02");
    start(c);
    pump_until(c, VCF_VMSG_GET_VQUEUE);
    if (req32(c, 8) != 0)
        die(c, "first queue %u", req32(c, 8));
    end(c);

    begin(c, "vmsg-drv-init-set-vqueue-bytes", VCF_VRESULT_VALID,
          "SET_VQUEUE for queue 0: size 256 within the maximum, aligned areas at 0x40000000, "
          "0x40004000 and 0x40008000, reserved words zero.");
    RULES(c, "VMSG-VQ-02", "VMSG-VQ-13", "VMSG-HDR-04", "VMSG-HDR-02");
    start(c);
    pump_until(c, VCF_VMSG_SET_VQUEUE);
    end(c);

    begin(c, "vmsg-drv-init-queue-verified", VCF_VRESULT_VALID,
          "After SET_VQUEUE the driver checks the queue with GET_VQUEUE.");
    RULES(c, "VMSG-INIT-03");
    start(c);
    pump_until(c, VCF_VMSG_SET_VQUEUE);
    answer(c);
    expect_req(c, VCF_VMSG_GET_VQUEUE);
    end(c);

    begin(c, "vmsg-drv-init-queue-size-capped", VCF_VRESULT_VALID,
          "Queue 1 reports a maximum of 128: the driver programs 128, not its own 256.");
    RULES(c, "VMSG-VQ-02", "VMSG-INFO-03");
    start(c);
    for (int k = 0; k < 2; k++) {
        pump_until(c, VCF_VMSG_SET_VQUEUE);
        if (k == 0)
            answer(c);
    }
    if (req32(c, 8) != 1 || req32(c, 16) != 128)
        die(c, "queue %u size %u", req32(c, 8), req32(c, 16));
    end(c);

    begin(c, "vmsg-drv-init-driver-ok-last", VCF_VRESULT_VALID,
          "The whole initialisation: DRIVER_OK (0x0f) comes last, after features and both "
          "queues, and its acceptance makes the driver ready.");
    RULES(c, "VMSG-FINAL-01", "VMSG-INIT-04", "VMSG-BASE-01", "VMSG-BASE-02", "VMSG-REV-01",
          "VMSG-STATUS-02");
    ready(c);
    end(c);

    begin(c, "vmsg-drv-init-queue-size-power-of-two", VCF_VRESULT_VALID,
          "Queue 0 reports a maximum of 100: the driver programs 64, the largest power of two "
          "within it (split ring).");
    RULES(c, "VMSG-VQ-02");
    c->dev.vq_max[0] = 100;
    start(c);
    pump_until(c, VCF_VMSG_SET_VQUEUE);
    if (req32(c, 16) != 64)
        die(c, "size %u", req32(c, 16));
    end(c);

    begin(c, "vmsg-drv-init-fewer-queues-than-wanted", VCF_VRESULT_VALID,
          "A device with one queue: the driver sets up queue 0 only and then sets DRIVER_OK.");
    RULES(c, "VMSG-INFO-03", "VMSG-FINAL-01");
    c->dev.max_vq = 1;
    start(c);
    pump_until(c, VCF_VMSG_SET_VQUEUE);
    answer(c);
    answer(c);
    expect_status_write(c, ST_ACK | ST_DRV | ST_FOK | ST_DOK);
    end(c);

    begin(c, "vmsg-drv-init-device-without-features", VCF_VRESULT_VALID,
          "A device reporting 0 feature bits: the driver reads one block, writes it back as 0 "
          "and goes on to FEATURES_OK.");
    RULES(c, "VMSG-FEAT-05", "VMSG-BASE-08", "VMSG-INFO-03");
    c->dev.nfb = 0;
    memset(c->dev.offered, 0, sizeof c->dev.offered);
    start(c);
    pump_until(c, VCF_VMSG_SET_DRIVER_FEATURES);
    answer(c);
    expect_status_write(c, ST_ACK | ST_DRV | ST_FOK);
    end(c);
}

/* Device info: no device, authoritative sizes. */
static void info_family(ctx *c)
{
    begin(c, "vmsg-drv-no-device", VCF_VRESULT_VALID,
          "GET_DEVICE_INFO answered with device_id 0 (all fields 0): the driver reports no "
          "device and sends nothing more.");
    RULES(c, "VMSG-INFO-03", "VMSG-BASE-03");
    c->dev.device_id = 0;
    c->dev.vendor_id = 0;
    c->dev.nfb = 0;
    c->dev.config_size = 0;
    c->dev.max_vq = 0;
    start(c);
    answer(c);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-event-config-past-config-size", VCF_VRESULT_INVALID,
          "EVENT_CONFIG whose data (offset 10, 4 bytes) reaches past the 12-byte config_size is "
          "not acted on: a later write still carries generation 5.");
    RULES(c, "VMSG-INFO-03", "VMSG-GEN-05");
    ready(c);
    static const uint8_t abcd[4] = {0x61, 0x62, 0x63, 0x64};
    event_config(c, 0x0f, 6, 10, abcd, 4);
    expect_silence(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 0, 0, "\x77", 1);
    expect_req(c, VCF_VMSG_SET_CONFIG);
    if (req32(c, 8) != 5)
        die(c, "generation %u", req32(c, 8));
    end(c);
}

/* The status answers of initialisation. */
static void status_family(ctx *c)
{
    begin(c, "vmsg-drv-reset-nonzero-status-reread", VCF_VRESULT_INVALID,
          "The initial reset answered with status 0x01: the driver reads the status again with "
          "GET_DEVICE_STATUS and goes on when it reads 0.");
    RULES(c, "VMSG-BASE-11", "VMSG-STATUS-01", "VMSG-STATUS-03");
    start(c);
    answer(c);
    expect_status_write(c, 0);
    answer_status(c, ST_ACK);
    expect_req(c, VCF_VMSG_GET_DEVICE_STATUS);
    answer_status(c, 0);
    expect_status_write(c, ST_ACK);
    end(c);

    begin(c, "vmsg-drv-reset-never-completes", VCF_VRESULT_INVALID,
          "The reset answered 0x03 and read back 0x03: initialisation stops and the driver "
          "writes FAILED (0x80).");
    RULES(c, "VMSG-BASE-11", "VMSG-BASE-03", "VMSG-BASE-16");
    start(c);
    answer(c);
    answer_status(c, ST_ACK | ST_DRV);
    expect_req(c, VCF_VMSG_GET_DEVICE_STATUS);
    answer_status(c, ST_ACK | ST_DRV);
    expect_status_write(c, ST_FAIL);
    answer(c);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-status-not-taken", VCF_VRESULT_INVALID,
          "DRIVER answered with status 0x01 (not taken): initialisation stops with FAILED over "
          "the bits the device holds (0x81).");
    RULES(c, "VMSG-INIT-04", "VMSG-BASE-03", "VMSG-BASE-16", "VMSG-BASE-05");
    start(c);
    pump_until_status(c, ST_ACK | ST_DRV);
    answer_status(c, ST_ACK);
    expect_status_write(c, ST_FAIL | ST_ACK);
    answer(c);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-status-extra-bit-not-adopted", VCF_VRESULT_INVALID,
          "ACKNOWLEDGE answered with 0x05 (DRIVER_OK set by the device): the driver goes on and "
          "writes 0x03, not adopting the bit.");
    RULES(c, "VMSG-BASE-05", "VMSG-INIT-04");
    start(c);
    pump_until_status(c, ST_ACK);
    answer_status(c, ST_ACK | ST_DOK);
    expect_status_write(c, ST_ACK | ST_DRV);
    end(c);

    begin(c, "vmsg-drv-needs-reset-during-init", VCF_VRESULT_VALID,
          "DRIVER answered with DEVICE_NEEDS_RESET set: the driver resets (status 0) and "
          "initialises again from GET_DEVICE_INFO.");
    RULES(c, "VMSG-RESET-02", "VMSG-STATUS-02");
    start(c);
    pump_until_status(c, ST_ACK | ST_DRV);
    answer_status(c, ST_ACK | ST_DRV | ST_NR);
    expect_status_write(c, 0);
    answer(c);
    expect_req(c, VCF_VMSG_GET_DEVICE_INFO);
    end(c);
}

/* Feature negotiation. */
static void features_family(ctx *c)
{
    uint8_t buf[MSG_CAP];

    begin(c, "vmsg-drv-features-ok-refused", VCF_VRESULT_VALID,
          "FEATURES_OK answered 0x03 (refused): the driver gives up and writes FAILED over the "
          "bits the device holds (0x83), then stays silent.");
    RULES(c, "VMSG-FEAT-03", "VMSG-BASE-03", "VMSG-BASE-16", "VMSG-BASE-05");
    c->dev.refuse_features = true;
    start(c);
    pump_until_status(c, ST_ACK | ST_DRV | ST_FOK);
    answer(c);
    expect_status_write(c, ST_FAIL | ST_ACK | ST_DRV);
    answer(c);
    expect_silence(c);
    act(c, VCF_ACT_VMSG_NOTIFY, 0, 0, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-features-ok-refused-then-restart", VCF_VRESULT_VALID,
          "After a refused FEATURES_OK and FAILED, starting again resets the device before any "
          "other status write.");
    RULES(c, "VMSG-BASE-05", "VMSG-BASE-01");
    c->dev.refuse_features = true;
    start(c);
    pump_until_status(c, ST_ACK | ST_DRV | ST_FOK);
    answer(c);
    answer(c);
    c->dev.refuse_features = false;
    start(c);
    answer(c);
    expect_status_write(c, 0);
    pump(c);
    if (!(c->dev.status & ST_DOK))
        die(c, "not ready");
    end(c);

    begin(c, "vmsg-drv-features-only-offered-accepted", VCF_VRESULT_VALID,
          "The device offers VERSION_1 alone in block 1: the driver writes VERSION_1 only, not "
          "the NOTIFICATION_DATA and RING_RESET it wants.");
    RULES(c, "VMSG-BASE-08", "VMSG-FEAT-02", "VMSG-BASE-12");
    c->dev.offered[1] = BIT(VCF_VIRTIO_F_VERSION_1);
    start(c);
    pump_until(c, VCF_VMSG_SET_DRIVER_FEATURES);
    if (req32(c, 20) != BIT(VCF_VIRTIO_F_VERSION_1))
        die(c, "block 1 0x%x", req32(c, 20));
    end(c);

    begin(c, "vmsg-drv-features-past-feature-count", VCF_VRESULT_INVALID,
          "A device reporting 40 feature bits sets bits 40 and 63 anyway: the driver treats "
          "them as zero and writes 0x41 (VERSION_1, NOTIFICATION_DATA) in block 1.");
    RULES(c, "VMSG-FEAT-05", "VMSG-BASE-08");
    c->dev.nfb = 40;
    c->dev.offered[1] = WANT1 | 0x80000000u;
    start(c);
    pump_until(c, VCF_VMSG_SET_DRIVER_FEATURES);
    if (req32(c, 20) != (BIT(VCF_VIRTIO_F_VERSION_1) | BIT(VCF_VIRTIO_F_NOTIFICATION_DATA)))
        die(c, "block 1 0x%x", req32(c, 20));
    end(c);

    begin(c, "vmsg-drv-features-wrong-block-index", VCF_VRESULT_INVALID,
          "A GET_DEVICE_FEATURES response for block 1 when blocks 0..1 were asked for is "
          "dropped; the right answer then goes through.");
    RULES(c, "VMSG-FEAT-05", "VMSG-REV-04");
    start(c);
    pump_until(c, VCF_VMSG_GET_DEVICE_FEATURES);
    {
        uint32_t blocks[2] = {c->dev.offered[1], 0};
        other_bytes(c, buf, features_resp(c, 1, 2, blocks, buf));
        expect_silence(c);
    }
    answer(c);
    expect_req(c, VCF_VMSG_SET_DRIVER_FEATURES);
    end(c);

    begin(c, "vmsg-drv-features-short-response", VCF_VRESULT_INVALID,
          "A GET_DEVICE_FEATURES response with one block when two were asked for is dropped; "
          "the right answer then goes through.");
    RULES(c, "VMSG-FEAT-05", "VMSG-REV-04");
    start(c);
    pump_until(c, VCF_VMSG_GET_DEVICE_FEATURES);
    other_bytes(c, buf, features_resp(c, 0, 1, c->dev.offered, buf));
    expect_silence(c);
    answer(c);
    expect_req(c, VCF_VMSG_SET_DRIVER_FEATURES);
    end(c);
}

/* Virtqueues during initialisation. */
static void vq_init_family(ctx *c)
{
    uint8_t buf[MSG_CAP];

    begin(c, "vmsg-drv-vq-found-configured-reset-first", VCF_VRESULT_INVALID,
          "GET_VQUEUE shows queue 0 still configured after the device reset: with RING_RESET "
          "negotiated the driver resets it, queries it again, then programs it.");
    RULES(c, "VMSG-VQ-03", "VMSG-VQ-01", "VMSG-VQ-04");
    start(c);
    pump_until(c, VCF_VMSG_GET_VQUEUE);
    answer_bytes(c, buf, vqueue_resp(c, 0, 256, 256, 0x1000, 0x2000, 0x3000, buf));
    expect_req(c, VCF_VMSG_RESET_VQUEUE);
    answer(c);
    expect_req(c, VCF_VMSG_GET_VQUEUE);
    answer(c);
    expect_req(c, VCF_VMSG_SET_VQUEUE);
    end(c);

    begin(c, "vmsg-drv-vq-found-configured-reset-fails", VCF_VRESULT_INVALID,
          "The queue is still configured after RESET_VQUEUE: initialisation stops with FAILED "
          "(0x8b).");
    RULES(c, "VMSG-VQ-01", "VMSG-BASE-03", "VMSG-BASE-16");
    start(c);
    pump_until(c, VCF_VMSG_GET_VQUEUE);
    answer_bytes(c, buf, vqueue_resp(c, 0, 256, 256, 0x1000, 0x2000, 0x3000, buf));
    expect_req(c, VCF_VMSG_RESET_VQUEUE);
    answer_bytes(c, buf, empty_resp(c, VCF_VMSG_K_RESET_VQUEUE_RESP, buf));
    expect_req(c, VCF_VMSG_GET_VQUEUE);
    answer_bytes(c, buf, vqueue_resp(c, 0, 256, 256, 0x1000, 0x2000, 0x3000, buf));
    expect_status_write(c, ST_FAIL | ST_ACK | ST_DRV | ST_FOK);
    end(c);

    begin(c, "vmsg-drv-vq-found-configured-no-ring-reset", VCF_VRESULT_INVALID,
          "Queue 0 found configured and RING_RESET not offered: the driver neither reprograms "
          "nor resets it and stops with FAILED (0x8b).");
    RULES(c, "VMSG-VQ-01", "VMSG-VQ-04", "VMSG-BASE-03", "VMSG-BASE-16");
    c->dev.offered[1] &= ~BIT(VCF_VIRTIO_F_RING_RESET);
    start(c);
    pump_until(c, VCF_VMSG_GET_VQUEUE);
    answer_bytes(c, buf, vqueue_resp(c, 0, 256, 256, 0x1000, 0x2000, 0x3000, buf));
    expect_status_write(c, ST_FAIL | ST_ACK | ST_DRV | ST_FOK);
    end(c);

    begin(c, "vmsg-drv-vq-verify-mismatch", VCF_VRESULT_INVALID,
          "The verifying GET_VQUEUE shows another device area than programmed: the queue is "
          "not used and initialisation stops with FAILED (0x8b).");
    RULES(c, "VMSG-INIT-03", "VMSG-BASE-03", "VMSG-BASE-16");
    start(c);
    pump_until(c, VCF_VMSG_SET_VQUEUE);
    answer(c);
    expect_req(c, VCF_VMSG_GET_VQUEUE);
    answer_bytes(c, buf, vqueue_resp(c, 0, 256, 256, 0x40000000u, 0x40004000u, 0x4000C000u, buf));
    expect_status_write(c, ST_FAIL | ST_ACK | ST_DRV | ST_FOK);
    end(c);

    begin(c, "vmsg-drv-vq-verify-size-mismatch", VCF_VRESULT_INVALID,
          "The verifying GET_VQUEUE shows size 128 where 256 was programmed: initialisation "
          "stops with FAILED (0x8b).");
    RULES(c, "VMSG-INIT-03", "VMSG-BASE-03");
    start(c);
    pump_until(c, VCF_VMSG_SET_VQUEUE);
    answer(c);
    answer_bytes(c, buf, vqueue_resp(c, 0, 256, 128, 0x40000000u, 0x40004000u, 0x40008000u, buf));
    expect_status_write(c, ST_FAIL | ST_ACK | ST_DRV | ST_FOK);
    end(c);

    begin(c, "vmsg-drv-vq-verify-wrong-index", VCF_VRESULT_INVALID,
          "A GET_VQUEUE response for queue 1 while queue 0 is being verified is dropped; the "
          "right answer then lets initialisation go on.");
    RULES(c, "VMSG-INIT-03", "VMSG-REV-04");
    start(c);
    pump_until(c, VCF_VMSG_SET_VQUEUE);
    answer(c);
    other_bytes(c, buf, vqueue_resp(c, 1, 256, 256, 0x40000000u, 0x40004000u, 0x40008000u, buf));
    expect_silence(c);
    answer(c);
    expect_req(c, VCF_VMSG_GET_VQUEUE);
    if (req32(c, 8) != 1)
        die(c, "next queue %u", req32(c, 8));
    end(c);

    begin(c, "vmsg-drv-notify-during-init-refused", VCF_VRESULT_VALID,
          "Queue 0 programmed and verified but DRIVER_OK not yet set: a notification request "
          "sends no EVENT_AVAIL.");
    RULES(c, "VMSG-BASE-04", "VMSG-FINAL-02");
    start(c);
    pump_until(c, VCF_VMSG_SET_VQUEUE);
    answer(c);
    answer(c);
    act(c, VCF_ACT_VMSG_NOTIFY, 0, 0, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-notify-before-start-refused", VCF_VRESULT_VALID,
          "Before initialisation a notification request sends no EVENT_AVAIL.");
    RULES(c, "VMSG-BASE-04", "VMSG-FINAL-02");
    act(c, VCF_ACT_VMSG_NOTIFY, 0, 0, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-event-used-during-init-dropped", VCF_VRESULT_INVALID,
          "EVENT_USED before DRIVER_OK is not passed on; initialisation goes on unchanged.");
    RULES(c, "VMSG-NOTIF-09", "VMSG-FINAL-02");
    start(c);
    pump_until(c, VCF_VMSG_SET_VQUEUE);
    event_used(c, 0);
    expect_silence(c);
    answer(c);
    expect_req(c, VCF_VMSG_GET_VQUEUE);
    end(c);
}

/* Upper-layer configuration reads. */
static void config_read_family(ctx *c)
{
    uint8_t buf[MSG_CAP];

    begin(c, "vmsg-drv-config-read", VCF_VRESULT_VALID,
          "An upper-layer read of 4 bytes at offset 8 sends GET_CONFIG(8, 4) and completes with "
          "the data.");
    RULES(c, "VMSG-CFG-01", "VMSG-INFO-01", "VMSG-MAND-02");
    ready(c);
    c->dev.config[9] = 0xEE;
    act(c, VCF_ACT_VMSG_CONFIG_READ, 8, 4, NULL, 0);
    expect_req(c, VCF_VMSG_GET_CONFIG);
    answer(c);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-config-read-last-byte", VCF_VRESULT_VALID,
          "A read of the last byte (offset 11, length 1) of the 12-byte space is sent as is.");
    RULES(c, "VMSG-CFG-01", "VMSG-INFO-01");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_READ, 11, 1, NULL, 0);
    expect_req(c, VCF_VMSG_GET_CONFIG);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-config-read-past-size-refused", VCF_VRESULT_VALID,
          "A read of 5 bytes at offset 8 reaches past config_size 12: refused, nothing sent.");
    RULES(c, "VMSG-CFG-01", "VMSG-INFO-01");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_READ, 8, 5, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-config-read-offset-wraps-refused", VCF_VRESULT_VALID,
          "A read at offset 0xffffffff, length 2 (wrapping 32 bits) is refused, nothing sent.");
    RULES(c, "VMSG-CFG-01");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_READ, 0xFFFFFFFFu, 2, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-config-read-empty-refused", VCF_VRESULT_VALID,
          "A read of length 0 is refused, nothing sent.");
    RULES(c, "VMSG-CFG-01");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_READ, 4, 0, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-config-read-before-init-refused", VCF_VRESULT_VALID,
          "Before GET_DEVICE_INFO has given config_size, a read is refused and nothing sent.");
    RULES(c, "VMSG-INFO-01");
    act(c, VCF_ACT_VMSG_CONFIG_READ, 0, 4, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-config-read-wrong-offset-echo", VCF_VRESULT_INVALID,
          "A GET_CONFIG response for offset 4 when offset 8 was asked is dropped; the right "
          "answer then completes the read.");
    RULES(c, "VMSG-REV-04", "VMSG-CFG-01");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_READ, 8, 4, NULL, 0);
    other_bytes(c, buf,
                config_resp(c, VCF_VMSG_K_GET_CONFIG_RESP, 5, 4, 4, c->dev.config + 4, 4, buf));
    expect_silence(c);
    answer(c);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-config-read-event-overtakes", VCF_VRESULT_VALID,
          "An EVENT_CONFIG announcing generation 6 arrives while a read answered at generation "
          "5 is in flight: the driver reads the range again.");
    RULES(c, "VMSG-BASE-15", "VMSG-CFG-04");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_READ, 0, 12, NULL, 0);
    {
        uint8_t resp[MSG_CAP];
        size_t rn = sim_build(c, resp);
        event_config(c, 0x0f, 6, 0, NULL, 0);
        expect_silence(c);
        c->dev.gen = 6;
        c->dev.config[1] = 0x77;
        answer_bytes(c, resp, rn);
    }
    expect_req(c, VCF_VMSG_GET_CONFIG);
    if (req32(c, 8) != 0 || req32(c, 12) != 12)
        die(c, "re-read %u@%u", req32(c, 12), req32(c, 8));
    answer(c);
    expect_silence(c);
    end(c);
}

/* Upper-layer configuration writes and the generation. */
static void config_write_family(ctx *c)
{
    uint8_t buf[MSG_CAP];
    static const uint8_t ab[2] = {0xAA, 0xBB};

    begin(c, "vmsg-drv-config-write-generation", VCF_VRESULT_VALID,
          "An upper-layer write of 2 bytes at offset 2 sends SET_CONFIG with the generation "
          "last read (5); accepted, it completes.");
    RULES(c, "VMSG-GEN-05", "VMSG-CFG-03", "VMSG-CFG-01", "VMSG-MAND-02");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 2, 0, ab, 2);
    expect_req(c, VCF_VMSG_SET_CONFIG);
    answer(c);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-config-write-stale-refresh", VCF_VRESULT_VALID,
          "A write rejected for a stale generation (length 0, generation 6) is reported and the "
          "range read again; the retry carries generation 6.");
    RULES(c, "VMSG-GEN-06", "VMSG-GEN-05", "VMSG-CFG-03");
    ready(c);
    c->dev.gen = 6;
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 2, 0, ab, 2);
    if (req32(c, 8) != 5)
        die(c, "generation %u", req32(c, 8));
    answer(c);
    expect_req(c, VCF_VMSG_GET_CONFIG);
    if (req32(c, 8) != 2 || req32(c, 12) != 2)
        die(c, "refresh %u@%u", req32(c, 12), req32(c, 8));
    answer(c);
    expect_silence(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 2, 0, ab, 2);
    if (req32(c, 8) != 6)
        die(c, "retry generation %u", req32(c, 8));
    answer(c);
    end(c);

    begin(c, "vmsg-drv-config-write-partial", VCF_VRESULT_VALID,
          "A SET_CONFIG response applying 1 of the 2 bytes written completes the write with "
          "length 1.");
    RULES(c, "VMSG-CFG-03");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 2, 0, ab, 2);
    answer_bytes(c, buf, config_resp(c, VCF_VMSG_K_SET_CONFIG_RESP, 5, 2, 1, NULL, 0, buf));
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-config-write-echo", VCF_VRESULT_VALID,
          "A SET_CONFIG response that echoes the 2 bytes written completes the write.");
    RULES(c, "VMSG-CFG-03");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 2, 0, ab, 2);
    answer_bytes(c, buf, config_resp(c, VCF_VMSG_K_SET_CONFIG_RESP, 5, 2, 2, ab, 2, buf));
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-config-write-response-too-long", VCF_VRESULT_INVALID,
          "A SET_CONFIG response claiming 3 bytes applied for a 2-byte write is dropped; the "
          "right answer then completes it.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 2, 0, ab, 2);
    other_bytes(c, buf, config_resp(c, VCF_VMSG_K_SET_CONFIG_RESP, 5, 2, 3, NULL, 0, buf));
    expect_silence(c);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-config-write-response-wrong-offset", VCF_VRESULT_INVALID,
          "A SET_CONFIG response for offset 3 when offset 2 was written is dropped; the right "
          "answer then completes it.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 2, 0, ab, 2);
    other_bytes(c, buf, config_resp(c, VCF_VMSG_K_SET_CONFIG_RESP, 5, 3, 2, NULL, 0, buf));
    expect_silence(c);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-config-write-past-size-refused", VCF_VRESULT_VALID,
          "A write of 2 bytes at offset 11 reaches past config_size 12: refused, nothing sent.");
    RULES(c, "VMSG-CFG-01", "VMSG-INFO-01");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 11, 0, ab, 2);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-config-write-last-byte", VCF_VRESULT_VALID,
          "A write of the last byte (offset 11) is sent as is.");
    RULES(c, "VMSG-CFG-01", "VMSG-GEN-05");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 11, 0, ab, 1);
    expect_req(c, VCF_VMSG_SET_CONFIG);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-config-write-before-init-refused", VCF_VRESULT_VALID,
          "Before initialisation a configuration write is refused, nothing sent.");
    RULES(c, "VMSG-BASE-01");
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 0, 0, ab, 1);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-config-write-during-init-refused", VCF_VRESULT_VALID,
          "While the features are being negotiated a configuration write is refused, nothing "
          "sent, and initialisation goes on.");
    RULES(c, "VMSG-BASE-01");
    start(c);
    pump_until(c, VCF_VMSG_GET_DEVICE_FEATURES);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 0, 0, ab, 1);
    expect_silence(c);
    answer(c);
    expect_req(c, VCF_VMSG_SET_DRIVER_FEATURES);
    end(c);

    begin(c, "vmsg-drv-config-write-after-event-generation", VCF_VRESULT_VALID,
          "After an EVENT_CONFIG with data at generation 9 a write carries generation 9.");
    RULES(c, "VMSG-GEN-05");
    ready(c);
    event_config(c, 0x0f, 9, 4, ab, 2);
    expect_silence(c);
    c->dev.gen = 9;
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 0, 0, ab, 1);
    if (req32(c, 8) != 9)
        die(c, "generation %u", req32(c, 8));
    answer(c);
    end(c);

    begin(c, "vmsg-drv-config-generation-wraps", VCF_VRESULT_VALID,
          "The generation goes from 0xffffffff to 0: the driver takes it as a change, re-reads, "
          "and its next write carries 0.");
    RULES(c, "VMSG-GEN-05", "VMSG-CFG-04");
    c->dev.gen = 0xFFFFFFFFu;
    ready(c);
    c->dev.gen = 0;
    event_config(c, 0x0f, 0, 0, NULL, 0);
    expect_req(c, VCF_VMSG_GET_CONFIG);
    answer(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 0, 0, ab, 1);
    if (req32(c, 8) != 0)
        die(c, "generation %u", req32(c, 8));
    answer(c);
    end(c);
}

/* EVENT_CONFIG. */
static void event_config_family(ctx *c)
{
    static const uint8_t d3[3] = {1, 2, 3};

    begin(c, "vmsg-drv-event-config-with-data", VCF_VRESULT_VALID,
          "EVENT_CONFIG with 3 bytes at offset 4 and generation 6 updates the view and tells "
          "the upper layer; nothing is sent.");
    RULES(c, "VMSG-CFG-04");
    ready(c);
    event_config(c, 0x0f, 6, 4, d3, 3);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-event-config-same-generation", VCF_VRESULT_VALID,
          "EVENT_CONFIG without data and with the generation already seen (a status-only "
          "change) causes no read and no event.");
    RULES(c, "VMSG-CFG-04");
    ready(c);
    event_config(c, 0x0f, 5, 0, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-event-config-new-generation-rereads", VCF_VRESULT_VALID,
          "EVENT_CONFIG without data and with a new generation makes the driver read the whole "
          "space again before reporting the change.");
    RULES(c, "VMSG-CFG-04", "VMSG-CFG-01");
    ready(c);
    c->dev.gen = 7;
    c->dev.config[11] = 0x42;
    event_config(c, 0x0f, 7, 0, NULL, 0);
    expect_req(c, VCF_VMSG_GET_CONFIG);
    if (req32(c, 8) != 0 || req32(c, 12) != 12)
        die(c, "re-read %u@%u", req32(c, 12), req32(c, 8));
    answer(c);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-event-config-while-busy", VCF_VRESULT_VALID,
          "EVENT_CONFIG with a new generation while a status read is in flight: the re-read "
          "follows the status response.");
    RULES(c, "VMSG-CFG-04");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    expect_req(c, VCF_VMSG_GET_DEVICE_STATUS);
    c->dev.gen = 8;
    event_config(c, 0x0f, 8, 0, NULL, 0);
    expect_silence(c);
    answer(c);
    expect_req(c, VCF_VMSG_GET_CONFIG);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-event-config-other-device", VCF_VRESULT_INVALID,
          "EVENT_CONFIG from device number 2 (the driver drives 1) is dropped: no re-read, and "
          "a later write still carries generation 5.");
    RULES(c, "VMSG-REV-04", "VMSG-GEN-05");
    ready(c);
    {
        uint8_t buf[MSG_CAP];
        other_bytes(c, buf, event_config_msg(c, 2, 0x0f, 9, 0, NULL, 0, buf));
    }
    expect_silence(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 0, 0, d3, 1);
    if (req32(c, 8) != 5)
        die(c, "generation %u", req32(c, 8));
    end(c);
}

/* DEVICE_NEEDS_RESET. */
static void needs_reset_family(ctx *c)
{
    begin(c, "vmsg-drv-needs-reset-event", VCF_VRESULT_VALID,
          "EVENT_CONFIG with DEVICE_NEEDS_RESET (status 0x4f, generation 7, no data): the driver "
          "writes status 0 and initialises the device again.");
    RULES(c, "VMSG-RESET-02", "VMSG-STATUS-02");
    ready(c);
    c->dev.status |= ST_NR;
    event_config(c, 0x4f, 7, 0, NULL, 0);
    expect_status_write(c, 0);
    c->dev.gen = 7;
    answer(c);
    expect_req(c, VCF_VMSG_GET_DEVICE_INFO);
    pump(c);
    end(c);

    begin(c, "vmsg-drv-needs-reset-no-io", VCF_VRESULT_VALID,
          "After DEVICE_NEEDS_RESET and before the new DRIVER_OK, a notification request sends "
          "no EVENT_AVAIL.");
    RULES(c, "VMSG-RESET-02", "VMSG-FINAL-02");
    ready(c);
    c->dev.status |= ST_NR;
    event_config(c, 0x4f, 5, 0, NULL, 0);
    expect_status_write(c, 0);
    act(c, VCF_ACT_VMSG_NOTIFY, 0, 0, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-needs-reset-while-busy", VCF_VRESULT_VALID,
          "DEVICE_NEEDS_RESET while GET_SHM is in flight: nothing is sent until its response, "
          "then the reset goes out.");
    RULES(c, "VMSG-RESET-02");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_SHM, 0, 0, NULL, 0);
    expect_req(c, VCF_VMSG_GET_SHM);
    c->dev.status |= ST_NR;
    event_config(c, 0x4f, 5, 0, NULL, 0);
    expect_silence(c);
    answer(c);
    /* Reporting the region that was answered before resetting is as good as not reporting it. */
    vcf_gen_ignore_event(c->g, VCF_EVT_VMSG_BASE + VCF_VMSG_EV_SHM);
    expect_status_write(c, 0);
    end(c);

    begin(c, "vmsg-drv-needs-reset-in-status", VCF_VRESULT_VALID,
          "A status read answered 0x4f (DEVICE_NEEDS_RESET): the driver reports it and resets "
          "the device.");
    RULES(c, "VMSG-RESET-02", "VMSG-STATUS-01");
    ready(c);
    c->dev.status |= ST_NR;
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    answer(c);
    expect_status_write(c, 0);
    end(c);
}

/* Notifications. */
static void notify_family(ctx *c)
{
    begin(c, "vmsg-drv-notify-notification-data", VCF_VRESULT_VALID,
          "With NOTIFICATION_DATA negotiated, notifying queue 0 at 0x80000005 sends EVENT_AVAIL "
          "with the queue index and that position.");
    RULES(c, "VMSG-NOTIF-01", "VMSG-NOTIF-02", "VMSG-NOTIF-03");
    ready(c);
    act(c, VCF_ACT_VMSG_NOTIFY, 0, 0x80000005u, NULL, 0);
    expect_sent(c, VCF_VMSG_EVENT_AVAIL);
    end(c);

    begin(c, "vmsg-drv-notify-no-notification-data", VCF_VRESULT_VALID,
          "Without NOTIFICATION_DATA (not offered), notifying queue 1 sends EVENT_AVAIL with "
          "next_offset 0.");
    RULES(c, "VMSG-NOTIF-03", "VMSG-NOTIF-02");
    c->dev.offered[1] &= ~BIT(VCF_VIRTIO_F_NOTIFICATION_DATA);
    ready(c);
    act(c, VCF_ACT_VMSG_NOTIFY, 1, 0x80000005u, NULL, 0);
    expect_sent(c, VCF_VMSG_EVENT_AVAIL);
    end(c);

    begin(c, "vmsg-drv-notify-wrap-only", VCF_VRESULT_VALID,
          "Notifying queue 1 at position 0 with the wrap bit (0x80000000) sends exactly that.");
    RULES(c, "VMSG-NOTIF-03");
    ready(c);
    act(c, VCF_ACT_VMSG_NOTIFY, 1, 0x80000000u, NULL, 0);
    expect_sent(c, VCF_VMSG_EVENT_AVAIL);
    end(c);

    begin(c, "vmsg-drv-notify-unconfigured-refused", VCF_VRESULT_VALID,
          "Notifying queue 2, which the driver did not set up, or queue 1000 sends nothing.");
    RULES(c, "VMSG-FINAL-03");
    ready(c);
    act(c, VCF_ACT_VMSG_NOTIFY, 2, 0, NULL, 0);
    expect_silence(c);
    act(c, VCF_ACT_VMSG_NOTIFY, 1000, 0, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-notify-while-request-outstanding", VCF_VRESULT_VALID,
          "EVENT_AVAIL needs no response: a notification goes out while GET_DEVICE_STATUS is in "
          "flight.");
    RULES(c, "VMSG-NOTIF-01");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    act(c, VCF_ACT_VMSG_NOTIFY, 1, 7, NULL, 0);
    expect_sent(c, VCF_VMSG_EVENT_AVAIL);
    answer(c);
    end(c);
}

/* EVENT_USED. */
static void used_family(ctx *c)
{
    uint8_t buf[MSG_CAP];

    begin(c, "vmsg-drv-event-used", VCF_VRESULT_VALID,
          "EVENT_USED for configured queue 1 is passed to the upper layer; nothing is sent.");
    RULES(c, "VMSG-NOTIF-09");
    ready(c);
    event_used(c, 1);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-event-used-unconfigured", VCF_VRESULT_INVALID,
          "EVENT_USED for queue 2, which the driver did not set up, is dropped.");
    RULES(c, "VMSG-NOTIF-09");
    ready(c);
    event_used(c, 2);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-event-used-index-max", VCF_VRESULT_INVALID,
          "EVENT_USED for queue 0xffffffff is dropped.");
    RULES(c, "VMSG-NOTIF-09");
    ready(c);
    event_used(c, 0xFFFFFFFFu);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-event-used-other-device", VCF_VRESULT_INVALID,
          "EVENT_USED from device number 2 is dropped.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    other_bytes(c, buf, event_used_msg(c, 2, 0, buf));
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-event-used-truncated", VCF_VRESULT_INVALID,
          "EVENT_USED cut to 10 bytes (msg_size 10, half a queue index) is dropped.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    {
        size_t n = event_used_msg(c, DEV_NUM, 0, buf);
        put16(buf + 6, 10); /* offset 6: msg_size 12 -> 10 */
        (void)n;
        other_bytes(c, buf, 10);
    }
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-event-used-reserved-type-bits", VCF_VRESULT_VALID,
          "EVENT_USED for queue 0 with reserved type bit 2 set (type 0x04) is handled as "
          "EVENT_USED.");
    RULES(c, "VMSG-HDR-01", "VMSG-HDR-15");
    ready(c);
    {
        size_t n = event_used_msg(c, DEV_NUM, 0, buf);
        buf[0] = 0x04; /* offset 0: type, reserved bit 2 */
        other_bytes(c, buf, n);
    }
    expect_silence(c);
    end(c);
}

/* Queue reset and set-up after initialisation. */
static void vq_op_family(ctx *c)
{
    uint8_t buf[MSG_CAP];

    begin(c, "vmsg-drv-reset-vq-verified", VCF_VRESULT_VALID,
          "Resetting queue 1 sends RESET_VQUEUE(1), then checks with GET_VQUEUE(1) that the "
          "current size reads 0 before reporting it done.");
    RULES(c, "VMSG-BASE-14", "VMSG-VQ-04", "VMSG-MAND-02");
    ready(c);
    act(c, VCF_ACT_VMSG_RESET_VQ, 1, 0, NULL, 0);
    expect_req(c, VCF_VMSG_RESET_VQUEUE);
    answer(c);
    expect_req(c, VCF_VMSG_GET_VQUEUE);
    answer(c);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-reset-vq-no-notify-meanwhile", VCF_VRESULT_VALID,
          "While queue 1 is being reset, a notification for it sends nothing.");
    RULES(c, "VMSG-FINAL-03", "VMSG-BASE-14");
    ready(c);
    act(c, VCF_ACT_VMSG_RESET_VQ, 1, 0, NULL, 0);
    act(c, VCF_ACT_VMSG_NOTIFY, 1, 0, NULL, 0);
    expect_silence(c);
    answer(c);
    answer(c);
    act(c, VCF_ACT_VMSG_NOTIFY, 1, 0, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-reset-vq-still-configured", VCF_VRESULT_INVALID,
          "After RESET_VQUEUE the check shows queue 0 still at size 256: the driver ends the "
          "request after that check and sends nothing more.");
    RULES(c, "VMSG-BASE-14");
    ready(c);
    act(c, VCF_ACT_VMSG_RESET_VQ, 0, 0, NULL, 0);
    answer_bytes(c, buf, empty_resp(c, VCF_VMSG_K_RESET_VQUEUE_RESP, buf));
    expect_req(c, VCF_VMSG_GET_VQUEUE);
    answer_bytes(c, buf, vqueue_resp(c, 0, 256, 256, 0x40000000u, 0x40004000u, 0x40008000u, buf));
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-reset-vq-without-ring-reset", VCF_VRESULT_VALID,
          "RING_RESET not negotiated (not offered): a queue reset request sends nothing.");
    RULES(c, "VMSG-VQ-04");
    c->dev.offered[1] &= ~BIT(VCF_VIRTIO_F_RING_RESET);
    ready(c);
    act(c, VCF_ACT_VMSG_RESET_VQ, 0, 0, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-reset-vq-unconfigured", VCF_VRESULT_VALID,
          "Queue 2 was never set up: a reset request for it sends nothing.");
    RULES(c, "VMSG-VQ-04");
    ready(c);
    act(c, VCF_ACT_VMSG_RESET_VQ, 2, 0, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-setup-vq-after-reset", VCF_VRESULT_VALID,
          "Queue 1 reset, then set up again with the initial steps (GET_VQUEUE, SET_VQUEUE, "
          "GET_VQUEUE); notifications for it go out again.");
    RULES(c, "VMSG-BASE-14", "VMSG-VQ-11", "VMSG-VQ-01", "VMSG-VQ-02", "VMSG-INIT-03");
    ready(c);
    act(c, VCF_ACT_VMSG_RESET_VQ, 1, 0, NULL, 0);
    pump(c);
    act(c, VCF_ACT_VMSG_SETUP_VQ, 1, 0, NULL, 0);
    expect_req(c, VCF_VMSG_GET_VQUEUE);
    answer(c);
    expect_req(c, VCF_VMSG_SET_VQUEUE);
    answer(c);
    expect_req(c, VCF_VMSG_GET_VQUEUE);
    answer(c);
    expect_silence(c);
    act(c, VCF_ACT_VMSG_NOTIFY, 1, 0, NULL, 0);
    expect_sent(c, VCF_VMSG_EVENT_AVAIL);
    end(c);

    begin(c, "vmsg-drv-setup-vq-live-refused", VCF_VRESULT_VALID,
          "Setting up live queue 1 again without resetting it first sends nothing.");
    RULES(c, "VMSG-VQ-03");
    ready(c);
    act(c, VCF_ACT_VMSG_SETUP_VQ, 1, 0, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-setup-vq-new-queue", VCF_VRESULT_VALID,
          "After initialisation the driver sets up queue 2 (maximum 64) with GET_VQUEUE, "
          "SET_VQUEUE of size 64 and a verifying GET_VQUEUE.");
    RULES(c, "VMSG-VQ-11", "VMSG-VQ-02");
    ready(c);
    act(c, VCF_ACT_VMSG_SETUP_VQ, 2, 0, NULL, 0);
    expect_req(c, VCF_VMSG_GET_VQUEUE);
    answer(c);
    expect_req(c, VCF_VMSG_SET_VQUEUE);
    if (req32(c, 16) != 64)
        die(c, "size %u", req32(c, 16));
    answer(c);
    answer(c);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-setup-vq-missing-refused", VCF_VRESULT_VALID,
          "Setting up queue 40 on a device with 3 queues sends nothing.");
    RULES(c, "VMSG-VQ-11");
    ready(c);
    act(c, VCF_ACT_VMSG_SETUP_VQ, 40, 0, NULL, 0);
    expect_silence(c);
    end(c);
}

/* Shared memory, status, every core message. */
static void misc_family(ctx *c)
{
    uint8_t buf[MSG_CAP];

    begin(c, "vmsg-drv-get-shm", VCF_VRESULT_VALID,
          "GET_SHM(0) is answered with 4 KiB at 0x50000000, which the driver reports.");
    RULES(c, "VMSG-MAND-02");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_SHM, 0, 0, NULL, 0);
    expect_req(c, VCF_VMSG_GET_SHM);
    answer(c);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-get-shm-absent", VCF_VRESULT_VALID,
          "GET_SHM(1) answered with length 0 (no such region) is reported as such.");
    RULES(c, "VMSG-MAND-02");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_SHM, 1, 0, NULL, 0);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-get-shm-wrong-index", VCF_VRESULT_INVALID,
          "A GET_SHM response for region 3 when region 0 was asked is dropped; the right answer "
          "then completes the request.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_SHM, 0, 0, NULL, 0);
    other_bytes(c, buf, shm_resp(c, 3, 0x1000, 0x50000000u, buf));
    expect_silence(c);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-get-status", VCF_VRESULT_VALID,
          "A status request sends GET_DEVICE_STATUS (8 bytes) and completes when it is "
          "answered.");
    RULES(c, "VMSG-STATUS-01", "VMSG-MAND-02");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    expect_req(c, VCF_VMSG_GET_DEVICE_STATUS);
    answer(c);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-core-messages", VCF_VRESULT_VALID,
          "One device driven through every core request and EVENT_AVAIL: config write, status, "
          "queue reset, shared memory, notification.");
    RULES(c, "VMSG-MAND-02");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 0, 0, "q", 1);
    pump(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    pump(c);
    act(c, VCF_ACT_VMSG_RESET_VQ, 0, 0, NULL, 0);
    pump(c);
    act(c, VCF_ACT_VMSG_GET_SHM, 0, 0, NULL, 0);
    pump(c);
    act(c, VCF_ACT_VMSG_NOTIFY, 1, 0, NULL, 0);
    expect_sent(c, VCF_VMSG_EVENT_AVAIL);
    end(c);
}

/* Reset by the upper layer, removal, EVENT_DEVICE READY. */
static void reset_family(ctx *c)
{
    begin(c, "vmsg-drv-reset", VCF_VRESULT_VALID,
          "An upper-layer reset writes status 0; once answered 0 the driver reports it done and "
          "sends nothing more.");
    RULES(c, "VMSG-RESET-01", "VMSG-STATUS-02", "VMSG-BASE-11");
    ready(c);
    act(c, VCF_ACT_VMSG_RESET, 0, 0, NULL, 0);
    expect_status_write(c, 0);
    act(c, VCF_ACT_VMSG_NOTIFY, 0, 0, NULL, 0);
    expect_silence(c);
    answer(c);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-reset-reinit", VCF_VRESULT_VALID,
          "An upper-layer reset with reinit writes status 0, then initialises the device again "
          "from GET_DEVICE_INFO to DRIVER_OK.");
    RULES(c, "VMSG-RESET-01", "VMSG-BASE-01", "VMSG-INIT-01");
    ready(c);
    act(c, VCF_ACT_VMSG_RESET, 1, 0, NULL, 0);
    expect_status_write(c, 0);
    answer(c);
    expect_req(c, VCF_VMSG_GET_DEVICE_INFO);
    pump(c);
    end(c);

    begin(c, "vmsg-drv-removed", VCF_VRESULT_VALID,
          "Removal while a config read is in flight: the driver stops, the late response is not "
          "acted on and no new work goes out.");
    RULES(c, "VMSG-EVDEV-01");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_READ, 0, 4, NULL, 0);
    {
        uint8_t resp[MSG_CAP];
        size_t rn = sim_build(c, resp);
        act(c, VCF_ACT_VMSG_REMOVED, 0, 0, NULL, 0);
        expect_silence(c);
        other_bytes(c, resp, rn);
        expect_silence(c);
    }
    act(c, VCF_ACT_VMSG_NOTIFY, 0, 0, NULL, 0);
    expect_silence(c);
    act(c, VCF_ACT_VMSG_CONFIG_READ, 0, 4, NULL, 0);
    expect_silence(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-removed-event-dropped", VCF_VRESULT_VALID,
          "After removal EVENT_USED and EVENT_CONFIG from the old device are not acted on.");
    RULES(c, "VMSG-EVDEV-01");
    ready(c);
    act(c, VCF_ACT_VMSG_REMOVED, 0, 0, NULL, 0);
    event_used(c, 0);
    expect_silence(c);
    event_config(c, 0x4f, 9, 0, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-removed-twice", VCF_VRESULT_VALID,
          "A repeated removal changes nothing and sends nothing.");
    RULES(c, "VMSG-EVDEV-03", "VMSG-EVDEV-01");
    ready(c);
    act(c, VCF_ACT_VMSG_REMOVED, 0, 0, NULL, 0);
    act(c, VCF_ACT_VMSG_REMOVED, 0, 0, NULL, 0);
    vcf_gen_result_any(c->g); /* taken as a no-op or refused: the rules fix only the silence */
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-removed-then-ready", VCF_VRESULT_VALID,
          "The device comes back after a removal: the driver probes it with GET_DEVICE_INFO and "
          "initialises it.");
    RULES(c, "VMSG-EVDEV-02");
    ready(c);
    act(c, VCF_ACT_VMSG_REMOVED, 0, 0, NULL, 0);
    sim_reset(&c->dev);
    ready(c);
    end(c);

    begin(c, "vmsg-drv-ready-duplicate", VCF_VRESULT_VALID,
          "A repeated READY while initialising, and again once running, sends nothing and "
          "leaves initialisation on course.");
    RULES(c, "VMSG-EVDEV-03");
    start(c);
    answer(c);
    act(c, VCF_ACT_VMSG_START, 0, 0, NULL, 0);
    vcf_gen_result_any(c->g); /* taken as a no-op or refused: the rules fix only the silence */
    expect_silence(c);
    pump(c);
    act(c, VCF_ACT_VMSG_START, 0, 0, NULL, 0);
    vcf_gen_result_any(c->g);
    expect_silence(c);
    end(c);
}

/* Timeouts. */
static void timeout_family(ctx *c)
{
    begin(c, "vmsg-drv-timeout-device-info", VCF_VRESULT_VALID,
          "GET_DEVICE_INFO never answered: initialisation stops without a status write (no "
          "status step has begun).");
    RULES(c, "VMSG-BASE-03");
    start(c);
    act(c, VCF_ACT_VMSG_TIMEOUT, 0, 0, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-timeout-late-response", VCF_VRESULT_INVALID,
          "The device info arrives after the timeout gave up on it: dropped, nothing sent.");
    RULES(c, "VMSG-REV-04", "VMSG-BASE-03");
    start(c);
    {
        uint8_t resp[MSG_CAP];
        size_t rn = sim_build(c, resp);
        act(c, VCF_ACT_VMSG_TIMEOUT, 0, 0, NULL, 0);
        other_bytes(c, resp, rn);
    }
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-timeout-mid-init", VCF_VRESULT_VALID,
          "GET_DEVICE_FEATURES never answered: initialisation stops with FAILED over the bits "
          "set (0x83); that write's own timeout ends it quietly.");
    RULES(c, "VMSG-BASE-03", "VMSG-BASE-16", "VMSG-BASE-05");
    start(c);
    pump_until(c, VCF_VMSG_GET_DEVICE_FEATURES);
    act(c, VCF_ACT_VMSG_TIMEOUT, 0, 0, NULL, 0);
    expect_status_write(c, ST_FAIL | ST_ACK | ST_DRV);
    act(c, VCF_ACT_VMSG_TIMEOUT, 0, 0, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-timeout-in-operation", VCF_VRESULT_VALID,
          "A config read never answered after initialisation: the driver reads the status to "
          "see what happened.");
    RULES(c, "VMSG-STATUS-01");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_READ, 0, 4, NULL, 0);
    act(c, VCF_ACT_VMSG_TIMEOUT, 0, 0, NULL, 0);
    expect_req(c, VCF_VMSG_GET_DEVICE_STATUS);
    answer(c);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-timeout-status-read-abandoned", VCF_VRESULT_VALID,
          "The diagnostic status read times out too: the driver sends nothing more, then serves "
          "the next request normally.");
    RULES(c, "VMSG-STATUS-01");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_READ, 0, 4, NULL, 0);
    act(c, VCF_ACT_VMSG_TIMEOUT, 0, 0, NULL, 0);
    act(c, VCF_ACT_VMSG_TIMEOUT, 0, 0, NULL, 0);
    expect_silence(c);
    act(c, VCF_ACT_VMSG_GET_SHM, 0, 0, NULL, 0);
    expect_req(c, VCF_VMSG_GET_SHM);
    answer(c);
    end(c);
}

/* Malformed, unsolicited and mismatched messages: dropped, and the state unchanged. */
static void malformed_family(ctx *c)
{
    uint8_t buf[MSG_CAP];
    size_t n;

    begin(c, "vmsg-drv-response-unsolicited", VCF_VRESULT_INVALID,
          "A GET_DEVICE_STATUS response while nothing is outstanding is dropped.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    n = sim_build(c, buf);
    answer_bytes(c, buf, n);
    other_bytes(c, buf, n); /* the same response again */
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-response-wrong-msg-id", VCF_VRESULT_INVALID,
          "A GET_SHM response while GET_DEVICE_STATUS is outstanding is dropped; the right "
          "answer then completes the request.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    {
        vcf_vmsg_msg m;
        (void)vcf_vmsg_init(&m, VCF_VMSG_K_GET_SHM_RESP, DEV_NUM, get16(c->req + 4));
        other_bytes(c, buf, encode(c, &m, buf));
    }
    expect_silence(c);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-response-wrong-msg-id-during-init", VCF_VRESULT_INVALID,
          "A SET_DEVICE_STATUS response while GET_DEVICE_INFO is outstanding is dropped; "
          "initialisation then goes on with the right answer.");
    RULES(c, "VMSG-REV-04");
    start(c);
    {
        vcf_vmsg_msg m;
        (void)vcf_vmsg_init(&m, VCF_VMSG_K_SET_DEVICE_STATUS_RESP, DEV_NUM, get16(c->req + 4));
        other_bytes(c, buf, encode(c, &m, buf));
    }
    expect_silence(c);
    answer(c);
    expect_status_write(c, 0);
    end(c);

    begin(c, "vmsg-drv-response-other-device", VCF_VRESULT_INVALID,
          "A status response from device number 7 is dropped; the right answer then completes "
          "the request.");
    RULES(c, "VMSG-REV-04", "VMSG-HDR-03");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    n = status_resp(c, 0x0f, buf);
    put16(buf + 2, 7); /* offset 2: dev_num 1 -> 7 */
    other_bytes(c, buf, n);
    expect_silence(c);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-response-msg-size-past-buffer", VCF_VRESULT_INVALID,
          "A status response whose msg_size (13) exceeds the 12 bytes received is dropped.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    n = status_resp(c, 0x0f, buf);
    put16(buf + 6, 13); /* offset 6: msg_size 12 -> 13 */
    other_bytes(c, buf, n);
    expect_silence(c);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-response-truncated", VCF_VRESULT_INVALID,
          "A status response of 8 bytes (header only, no status) is dropped.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    status_resp(c, 0x0f, buf);
    put16(buf + 6, 8); /* offset 6: msg_size 12 -> 8 */
    other_bytes(c, buf, 8);
    expect_silence(c);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-response-oversized", VCF_VRESULT_INVALID,
          "A status response with 8 payload bytes (msg_size 16) where the layout has 4 is "
          "dropped.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    status_resp(c, 0x0f, buf);
    put16(buf + 6, 16); /* offset 6: msg_size 12 -> 16; bytes 12..15 extra */
    put32(buf + 12, 0);
    other_bytes(c, buf, 16);
    expect_silence(c);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-response-msg-size-below-header", VCF_VRESULT_INVALID,
          "A status response whose msg_size is 4 (below the 8-byte header) is dropped.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    n = status_resp(c, 0x0f, buf);
    put16(buf + 6, 4); /* offset 6: msg_size 12 -> 4 */
    other_bytes(c, buf, n);
    expect_silence(c);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-message-header-cut", VCF_VRESULT_INVALID,
          "Five bytes (a header cut short) are dropped.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    status_resp(c, 0x0f, buf);
    other_bytes(c, buf, 5);
    expect_silence(c);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-config-response-length-mismatch", VCF_VRESULT_INVALID,
          "A GET_CONFIG response whose length field (8) disagrees with the 4 data bytes it "
          "carries is dropped; the right answer then completes the read.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_READ, 8, 4, NULL, 0);
    n = config_resp(c, VCF_VMSG_K_GET_CONFIG_RESP, 5, 8, 4, c->dev.config + 8, 4, buf);
    put32(buf + 16, 8); /* offset 16: length 4 -> 8 */
    other_bytes(c, buf, n);
    expect_silence(c);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-request-from-device", VCF_VRESULT_INVALID,
          "A request (GET_DEVICE_STATUS, response bit clear) from the device is dropped and "
          "not answered.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    {
        vcf_vmsg_msg m;
        (void)vcf_vmsg_init(&m, VCF_VMSG_K_GET_DEVICE_STATUS_REQ, DEV_NUM, 9);
        other_bytes(c, buf, encode(c, &m, buf));
    }
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-bus-message", VCF_VRESULT_INVALID,
          "A bus message (EVENT_DEVICE, type 0x02) on the transport link is dropped.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    {
        vcf_vmsg_msg m;
        (void)vcf_vmsg_init(&m, VCF_VMSG_K_BUS_EVENT_DEVICE, 0, 0);
        m.u.event_device.device_number = DEV_NUM;
        m.u.event_device.state = VCF_VMSG_BUS_STATE_REMOVED;
        other_bytes(c, buf, encode(c, &m, buf));
    }
    expect_silence(c);
    act(c, VCF_ACT_VMSG_NOTIFY, 0, 0, NULL, 0);
    expect_sent(c, VCF_VMSG_EVENT_AVAIL);
    end(c);

    begin(c, "vmsg-drv-implementation-defined-event", VCF_VRESULT_INVALID,
          "An implementation-defined event (msg_id 0xc3) the driver does not support is "
          "dropped.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    {
        static const uint8_t payload[2] = {1, 2};
        buf[0] = 0x00;
        buf[1] = 0xC3;
        put16(buf + 2, DEV_NUM);
        put16(buf + 4, 0);
        put16(buf + 6, 10);
        memcpy(buf + 8, payload, 2);
        other_bytes(c, buf, 10);
    }
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-event-avail-from-device", VCF_VRESULT_INVALID,
          "EVENT_AVAIL (a driver-to-device event) arriving from the device is dropped.");
    RULES(c, "VMSG-REV-04");
    ready(c);
    {
        vcf_vmsg_msg m;
        (void)vcf_vmsg_init(&m, VCF_VMSG_K_EVENT_AVAIL, DEV_NUM, 0);
        other_bytes(c, buf, encode(c, &m, buf));
    }
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-response-reserved-type-bits", VCF_VRESULT_VALID,
          "A status response with reserved type bit 7 set (type 0x81) is matched with those "
          "bits ignored.");
    RULES(c, "VMSG-HDR-01", "VMSG-HDR-15");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    n = status_resp(c, 0x0f, buf);
    buf[0] = 0x81; /* offset 0: type 0x01 -> 0x81 */
    answer_bytes(c, buf, n);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-response-token-opaque", VCF_VRESULT_VALID,
          "PR28: a status response whose token differs from the request's is taken, the token "
          "being the bus's.");
    RULES(c, "VMSG-HDR-05");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    n = status_resp(c, 0x0f, buf);
    put16(buf + 4, (uint16_t)(get16(buf + 4) ^ 0xBEEFu)); /* offset 4: token */
    wrong_token(c);
    answer_bytes(c, buf, n);
    expect_silence(c);
    end(c);
}

static void pr28_default_group(ctx *c)
{
    group(c,
          "PR28, 264-byte messages; the driver wants VERSION_1, NOTIFICATION_DATA and "
          "RING_RESET, sets up 2 queues of 256 at 0x40000000 and reads the config space; the "
          "harness plays a network device with 12 config bytes and queues of 256, 128, 64",
          VCF_VMSG_REV_PR28, 264, true, 0, WANT1);
    init_family(c);
    info_family(c);
    status_family(c);
    features_family(c);
    vq_init_family(c);
    config_read_family(c);
    config_write_family(c);
    event_config_family(c);
    needs_reset_family(c);
    notify_family(c);
    used_family(c);
    vq_op_family(c);
    misc_family(c);
    reset_family(c);
    timeout_family(c);
    malformed_family(c);
}

/* ==== RFC3 =======================================================================================
 */

static void rfc3_group(ctx *c)
{
    uint8_t buf[MSG_CAP];
    size_t n;
    static const uint8_t ab[2] = {0xAA, 0xBB};

    group(c,
          "RFC3, 264-byte messages; the default driver (as the PR28 group) against the same "
          "device; the driver chooses the tokens and responses echo them",
          VCF_VMSG_REV_RFC3, 264, true, 0, WANT1);

    begin(c, "vmsg-drv-r3-request-tokens", VCF_VRESULT_VALID,
          "The whole initialisation under RFC3, every response echoing the token of the request "
          "the driver sent: each is matched, and every message has a msg_size from 8 to 264.");
    RULES(c, "VMSG-R3-01", "VMSG-R3-02", "VMSG-R3-03", "VMSG-R3-08", "VMSG-BASE-01");
    ready(c);
    end(c);

    begin(c, "vmsg-drv-r3-event-token-zero", VCF_VRESULT_VALID,
          "RFC3: EVENT_AVAIL goes out with token 0.");
    RULES(c, "VMSG-R3-01", "VMSG-R3-02", "VMSG-NOTIF-01");
    ready(c);
    act(c, VCF_ACT_VMSG_NOTIFY, 0, 5, NULL, 0);
    expect_sent(c, VCF_VMSG_EVENT_AVAIL);
    end(c);

    begin(c, "vmsg-drv-r3-response-wrong-token", VCF_VRESULT_INVALID,
          "RFC3: a status response carrying another token than its request's is dropped; the "
          "response with the right token then completes the request.");
    RULES(c, "VMSG-R3-02", "VMSG-R3-14");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    n = status_resp(c, 0x0f, buf);
    /* offset 4: token with bit 15 flipped, far from any token a driver numbering its requests
     * upwards from 1 reaches in one case */
    put16(buf + 4, (uint16_t)(get16(buf + 4) ^ 0x8000u));
    wrong_token(c);
    other_bytes(c, buf, n);
    expect_silence(c);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-r3-response-token-zero", VCF_VRESULT_INVALID,
          "RFC3: a status response with token 0 is dropped; the right one then completes the "
          "request.");
    RULES(c, "VMSG-R3-01");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    n = status_resp(c, 0x0f, buf);
    put16(buf + 4, 0); /* offset 4: token -> 0 */
    wrong_token(c);
    other_bytes(c, buf, n);
    expect_silence(c);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-r3-response-wrong-token-during-init", VCF_VRESULT_INVALID,
          "RFC3: the device info answered with a token that does not match is dropped; "
          "initialisation goes on with the right one.");
    RULES(c, "VMSG-R3-02", "VMSG-R3-14");
    start(c);
    n = sim_build(c, buf);
    put16(buf + 4, (uint16_t)(get16(buf + 4) ^ 0x0100u)); /* offset 4: token */
    wrong_token(c);
    other_bytes(c, buf, n);
    expect_silence(c);
    answer(c);
    expect_status_write(c, 0);
    end(c);

    begin(c, "vmsg-drv-r3-duplicate-response", VCF_VRESULT_INVALID,
          "RFC3: a response repeated after its request was answered is dropped.");
    RULES(c, "VMSG-R3-14");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    n = sim_build(c, buf);
    answer_bytes(c, buf, n);
    other_bytes(c, buf, n);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-r3-trailing-framing", VCF_VRESULT_VALID,
          "RFC3: a status response followed by 4 zero bytes of bus framing past msg_size is "
          "taken, the framing ignored.");
    RULES(c, "VMSG-R3-13");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    n = status_resp(c, 0x0f, buf);
    memset(buf + n, 0, 4); /* bytes n..n+3: framing after the message */
    answer_bytes(c, buf, n + 4);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-r3-reserved-transport-id", VCF_VRESULT_INVALID,
          "RFC3: a message with transport ID 0xc3 (reserved in RFC3) is dropped and not "
          "answered.");
    RULES(c, "VMSG-R3-05");
    ready(c);
    buf[0] = 0x00;
    buf[1] = 0xC3;
    put16(buf + 2, DEV_NUM);
    put16(buf + 4, 0);
    put16(buf + 6, 10);
    buf[8] = 1;
    buf[9] = 2;
    other_bytes(c, buf, 10);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-r3-malformed", VCF_VRESULT_INVALID,
          "RFC3: a status response of 10 bytes (status cut in half) is dropped; the right one "
          "then completes the request.");
    RULES(c, "VMSG-R3-05");
    ready(c);
    act(c, VCF_ACT_VMSG_GET_STATUS, 0, 0, NULL, 0);
    status_resp(c, 0x0f, buf);
    put16(buf + 6, 10); /* offset 6: msg_size 12 -> 10 */
    other_bytes(c, buf, 10);
    expect_silence(c);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-r3-queue-max-size-zero", VCF_VRESULT_VALID,
          "RFC3: queue 0 reports maximum size 0: the driver leaves it alone, sets up queue 1, "
          "and never notifies queue 0.");
    RULES(c, "VMSG-VQ-07", "VMSG-FINAL-03");
    c->dev.vq_max[0] = 0;
    start(c);
    pump_until(c, VCF_VMSG_SET_VQUEUE);
    if (req32(c, 8) != 1)
        die(c, "queue %u", req32(c, 8));
    pump(c);
    act(c, VCF_ACT_VMSG_NOTIFY, 0, 0, NULL, 0);
    expect_silence(c);
    end(c);

    begin(c, "vmsg-drv-r3-stale-write-rejected", VCF_VRESULT_VALID,
          "RFC3: a SET_CONFIG rejected for a stale generation is followed by a GET_CONFIG of "
          "the range; the retry carries the new generation.");
    RULES(c, "VMSG-R3-12", "VMSG-GEN-06");
    ready(c);
    c->dev.gen = 6;
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 2, 0, ab, 2);
    answer(c);
    expect_req(c, VCF_VMSG_GET_CONFIG);
    answer(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 2, 0, ab, 2);
    if (req32(c, 8) != 6)
        die(c, "generation %u", req32(c, 8));
    answer(c);
    end(c);

    begin(c, "vmsg-drv-r3-features-whole-words", VCF_VRESULT_VALID,
          "RFC3: SET_DRIVER_FEATURES carries its 2 blocks as 8 bytes of whole 32-bit words "
          "(msg_size 24).");
    RULES(c, "VMSG-R3-08", "VMSG-BASE-08");
    start(c);
    pump_until(c, VCF_VMSG_SET_DRIVER_FEATURES);
    if (c->req_len != 24)
        die(c, "SET_DRIVER_FEATURES of %zu bytes", c->req_len);
    end(c);
}

/* ==== PR28, 48-byte messages =====================================================================
 */

static void small_group(ctx *c)
{
    static const uint8_t data[32] = {0};

    group(c,
          "PR28, 48-byte messages (room for 28 config bytes or 8 feature blocks per message); "
          "the default driver against a device with 320 feature bits and 60 config bytes",
          VCF_VMSG_REV_PR28, 48, true, 0, WANT1);
    c->base.nfb = 320;
    c->base.offered[9] = 0xA5A5A5A5u;
    c->base.config_size = 60;

    begin(c, "vmsg-drv-small-features-split", VCF_VRESULT_VALID,
          "Ten feature blocks do not fit one 48-byte message: the driver reads blocks 0..7 then "
          "8..9, and writes them back in the same two parts.");
    RULES(c, "VMSG-SIZE-01", "VMSG-FEAT-05", "VMSG-HDR-02");
    start(c);
    pump_until(c, VCF_VMSG_GET_DEVICE_FEATURES);
    if (req32(c, 12) != 8)
        die(c, "first read %u blocks", req32(c, 12));
    answer(c);
    expect_req(c, VCF_VMSG_GET_DEVICE_FEATURES);
    answer(c);
    expect_req(c, VCF_VMSG_SET_DRIVER_FEATURES);
    answer(c);
    expect_req(c, VCF_VMSG_SET_DRIVER_FEATURES);
    answer(c);
    expect_status_write(c, ST_ACK | ST_DRV | ST_FOK);
    end(c);

    begin(c, "vmsg-drv-small-config-chunks", VCF_VRESULT_VALID,
          "The 60-byte configuration space is read in chunks that fit 48 bytes: 28 at 0, 28 at "
          "28, 4 at 56.");
    RULES(c, "VMSG-SIZE-01", "VMSG-INFO-01", "VMSG-CFG-01");
    start(c);
    pump_until(c, VCF_VMSG_GET_CONFIG);
    for (uint32_t off = 0; off < 60; off += 28) {
        expect_req(c, VCF_VMSG_GET_CONFIG);
        if (req32(c, 8) != off)
            die(c, "chunk at %u", req32(c, 8));
        answer(c);
    }
    expect_req(c, VCF_VMSG_GET_VQUEUE);
    end(c);

    begin(c, "vmsg-drv-small-config-generation-moves", VCF_VRESULT_VALID,
          "The generation moves between the first and second chunk: the driver starts the read "
          "over from offset 0.");
    RULES(c, "VMSG-BASE-15");
    start(c);
    pump_until(c, VCF_VMSG_GET_CONFIG);
    answer(c);
    expect_req(c, VCF_VMSG_GET_CONFIG);
    c->dev.gen = 9;
    c->dev.config[0] = 0x99;
    answer(c);
    expect_req(c, VCF_VMSG_GET_CONFIG);
    if (req32(c, 8) != 0)
        die(c, "restart at %u", req32(c, 8));
    for (int k = 0; k < 3; k++)
        answer(c);
    expect_req(c, VCF_VMSG_GET_VQUEUE);
    end(c);

    begin(c, "vmsg-drv-small-config-generation-never-settles", VCF_VRESULT_INVALID,
          "The generation moves at every chunk: after a bounded number of restarts "
          "initialisation stops with FAILED (0x8b).");
    RULES(c, "VMSG-BASE-15", "VMSG-BASE-03", "VMSG-BASE-16");
    start(c);
    pump_until(c, VCF_VMSG_GET_CONFIG);
    for (int guard = 0; req_id(c) == VCF_VMSG_GET_CONFIG; guard++) {
        if (guard > 30)
            die(c, "the read never gives up");
        c->dev.gen++;
        answer(c);
    }
    expect_status_write(c, ST_FAIL | ST_ACK | ST_DRV | ST_FOK);
    end(c);

    begin(c, "vmsg-drv-small-config-write-too-large", VCF_VRESULT_VALID,
          "A 29-byte write cannot fit 48 bytes: refused, nothing sent; 28 bytes go out as a "
          "48-byte SET_CONFIG.");
    RULES(c, "VMSG-SIZE-01");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 0, 0, data, 29);
    expect_silence(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 0, 0, data, 28);
    expect_req(c, VCF_VMSG_SET_CONFIG);
    if (c->req_len != 48)
        die(c, "SET_CONFIG of %zu bytes", c->req_len);
    answer(c);
    end(c);

    begin(c, "vmsg-drv-small-config-read-chunks", VCF_VRESULT_VALID,
          "An upper-layer read of 40 bytes at offset 10 goes out as GET_CONFIG(10, 28) and "
          "GET_CONFIG(38, 12).");
    RULES(c, "VMSG-SIZE-01", "VMSG-CFG-01");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_READ, 10, 40, NULL, 0);
    expect_req(c, VCF_VMSG_GET_CONFIG);
    answer(c);
    expect_req(c, VCF_VMSG_GET_CONFIG);
    if (req32(c, 8) != 38 || req32(c, 12) != 12)
        die(c, "second chunk %u@%u", req32(c, 12), req32(c, 8));
    answer(c);
    expect_silence(c);
    end(c);
}

/* ==== PR28, the smallest legal maximum ===========================================================
 */

static void tiny_group(ctx *c)
{
    group(c,
          "PR28, 44-byte messages (the smallest maximum the spec allows, too small for the "
          "48-byte SET_VQUEUE); the default driver",
          VCF_VMSG_REV_PR28, 44, true, 0, WANT1);

    begin(c, "vmsg-drv-tiny-bus-cannot-set-queues", VCF_VRESULT_VALID,
          "With a 44-byte maximum the driver cannot send SET_VQUEUE: initialisation stops with "
          "FAILED (0x8b) instead of an oversized message.");
    RULES(c, "VMSG-SIZE-01", "VMSG-BASE-03", "VMSG-BASE-16");
    start(c);
    pump_until_status(c, ST_FAIL | ST_ACK | ST_DRV | ST_FOK);
    end(c);
}

/* ==== PR28, a driver that does not read the configuration ========================================
 */

static void noread_group(ctx *c)
{
    group(c,
          "PR28, 264-byte messages; the default driver except that it does not read the "
          "configuration space during initialisation",
          VCF_VMSG_REV_PR28, 264, false, 0, WANT1);

    begin(c, "vmsg-drv-noread-init", VCF_VRESULT_VALID,
          "Without the config read, FEATURES_OK accepted leads straight to GET_VQUEUE(0).");
    RULES(c, "VMSG-INIT-02", "VMSG-VQ-01");
    start(c);
    pump_until_status(c, ST_ACK | ST_DRV | ST_FOK);
    answer(c);
    expect_req(c, VCF_VMSG_GET_VQUEUE);
    end(c);

    begin(c, "vmsg-drv-noread-write-needs-generation", VCF_VRESULT_VALID,
          "No generation seen yet: a write is refused and nothing sent; after a read, the write "
          "goes out with the generation read.");
    RULES(c, "VMSG-GEN-05");
    ready(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 0, 0, "x", 1);
    expect_silence(c);
    act(c, VCF_ACT_VMSG_CONFIG_READ, 0, 12, NULL, 0);
    answer(c);
    act(c, VCF_ACT_VMSG_CONFIG_WRITE, 0, 0, "x", 1);
    if (req32(c, 8) != 5)
        die(c, "generation %u", req32(c, 8));
    answer(c);
    end(c);

    begin(c, "vmsg-drv-noread-event-config", VCF_VRESULT_VALID,
          "EVENT_CONFIG without data and a new generation: a driver that keeps no view reports "
          "the change without reading.");
    RULES(c, "VMSG-CFG-04");
    ready(c);
    event_config(c, 0x0f, 6, 0, NULL, 0);
    expect_silence(c);
    end(c);
}

/* ==== PR28, a driver that does not want VERSION_1 ================================================
 */

static void nov1_group(ctx *c)
{
    group(c,
          "PR28, 264-byte messages; a driver that wants feature bit 28 and RING_RESET but not "
          "VERSION_1",
          VCF_VMSG_REV_PR28, 264, true, BIT(28), BIT(VCF_VIRTIO_F_RING_RESET));

    begin(c, "vmsg-drv-version-1-accepted", VCF_VRESULT_VALID,
          "The device offers VERSION_1, which this driver does not list: it accepts it anyway "
          "(block 1 = VERSION_1 | RING_RESET) and bit 28 in block 0.");
    RULES(c, "VMSG-BASE-12", "VMSG-BASE-08", "VMSG-FEAT-02");
    start(c);
    pump_until(c, VCF_VMSG_SET_DRIVER_FEATURES);
    if (req32(c, 16) != BIT(28) ||
        req32(c, 20) != (BIT(VCF_VIRTIO_F_VERSION_1) | BIT(VCF_VIRTIO_F_RING_RESET)))
        die(c, "features 0x%x 0x%x", req32(c, 16), req32(c, 20));
    end(c);

    begin(c, "vmsg-drv-version-1-not-offered", VCF_VRESULT_VALID,
          "A device without VERSION_1: the driver does not set it (block 1 = RING_RESET).");
    RULES(c, "VMSG-BASE-08", "VMSG-FEAT-02");
    c->dev.offered[1] &= ~BIT(VCF_VIRTIO_F_VERSION_1);
    start(c);
    pump_until(c, VCF_VMSG_SET_DRIVER_FEATURES);
    if (req32(c, 20) != BIT(VCF_VIRTIO_F_RING_RESET))
        die(c, "block 1 0x%x", req32(c, 20));
    end(c);
}

/* ==== rules no driver vector can show ============================================================
 */

static void unobservable(ctx *c)
{
    vcf_gen_unobservable(c->g, "VMSG-REV-03",
                         "transport revision 1 is the only one the drafts define: there is no "
                         "earlier revision whose mandatory behaviour a driver could omit");
    vcf_gen_unobservable(c->g, "VMSG-PING-02",
                         "PING is a bus message sent and timed by the bus; the driver role's "
                         "adapter has no PING to miss, and the recovery it asks for "
                         "(GET_DEVICE_STATUS after a missing answer) is shown by "
                         "vmsg-drv-timeout-in-operation under VMSG-STATUS-01");
    vcf_gen_unobservable(c->g, "VMSG-R3-10",
                         "polling a used ring reads shared memory, not messages: nothing on the "
                         "link or in the upper-layer events shows it");
    vcf_gen_unobservable(c->g, "VMSG-GETDEV-04",
                         "enumeration with GET_DEVICES is done by the bus requester; the driver "
                         "role drives the one device number given in dev_num and has no "
                         "enumerate action");
}

void vcf_gen_vmsg_driver(vcf_gen *g)
{
    static ctx c; /* large: the message copies */
    memset(&c, 0, sizeof c);
    c.g = g;
    pr28_default_group(&c);
    rfc3_group(&c);
    small_group(&c);
    tiny_group(&c);
    noread_group(&c);
    nov1_group(&c);
    unobservable(&c);
}
