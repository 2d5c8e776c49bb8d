/* SPDX-License-Identifier: MIT */
/*
 * An example vconform adapter: copy this file to wire your own implementation in.
 *
 * It has two halves:
 *
 *   1. "The implementation under test": a small, plain RPMsg stack for the driver side (the
 *      side Linux's virtio_rpmsg_bus plays). It receives buffers the device put on vq0,
 *      learns the device's channels from its name-service announcements, delivers messages
 *      to local endpoints, and sends from them on vq1. In your adapter this half is your code:
 *      a Linux shim, an OpenAMP build, a firmware image, ...
 *
 *   2. "The adapter": the thin layer vconform drives. reset() starts a fresh stack with the
 *      group's parameters, inject() hands it a buffer from the peer, action() is its upper
 *      layer (create, destroy, send, announce, return-buffers), poll() returns what it put
 *      on the wire and what it told its upper layer, in order. vcf_adapter_init() fills the
 *      table. Everything this stack cannot do is answered with VCF_ADAPTER_UNSUPPORTED.
 *
 * Build: a shared object (harness/examples/adapter/CMakeLists.txt); it needs only the header
 * vconform/adapter.h and links nothing of vconform's (the parameter lookup below is a few
 * lines of its own). Run:
 *
 *   vconform run --adapter so:build/gcc/harness/examples/adapter/libvcf_example_adapter.so \
 *                --role rpmsg-driver
 *
 * Options (after "so:PATH,"): "echo" makes every endpoint send each message it receives back
 * to its sender, like Linux's rpmsg_client_sample. It is off by default, because the golden
 * vectors expect a stack that only does what its upper layer asks.
 *
 * docs/adapters.md walks through this file.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vconform/adapter.h"

/* ==== 1. The implementation under test: a tiny RPMsg driver-side stack ======================= */

#define RP_HDR_SIZE     16u /* src, dst, reserved (u32 each), len, flags (u16 each) */
#define RP_NS_SIZE      40u /* name[32], addr, flags */
#define RP_NAME_SIZE    32u
#define RP_NS_ADDR      53u          /* the name service's address */
#define RP_ADDR_ANY     0xFFFFFFFFu  /* "no address" */
#define RP_NS_DESTROY   1u           /* NS flags bit 0: destroy, else create */
#define RP_F_NS         (1ull << 0)  /* VIRTIO_RPMSG_F_NS */
#define RP_F_VERSION_1  (1ull << 32) /* VIRTIO_F_VERSION_1: little-endian on the wire */
#define RP_MAX_BUF      (RP_HDR_SIZE + 0xFFFFu)
#define RP_MAX_EPTS     64u
#define RP_MAX_CHANNELS 64u

typedef struct rp_ept {
    uint32_t addr;
    uint32_t dest;
    char name[RP_NAME_SIZE]; /* "" for none; at most 31 characters */
    bool announced;
} rp_ept;

typedef struct rp_channel {
    char name[RP_NAME_SIZE + 1]; /* a device may send all 32 bytes without a NUL */
    uint32_t addr;
} rp_channel;

/* What the stack tells the world: its upper layer (deliver, channel) and its transport. */
typedef struct rp_ops {
    void (*deliver)(void *ctx, uint32_t ept, uint32_t src, const uint8_t *data, size_t len);
    void (*channel)(void *ctx, bool created, const char *name, uint32_t addr);
    void (*transmit)(void *ctx, const uint8_t *buf, size_t len); /* a buffer on vq1 */
} rp_ops;

typedef struct rp_config {
    uint64_t features; /* negotiated */
    bool legacy_be;    /* legacy byte order (without VERSION_1): big-endian */
    uint32_t buf_size; /* every buffer, header included */
    uint32_t tx_bufs;  /* transmit buffers */
    uint32_t addr_first, addr_last;
} rp_config;

typedef struct rp_stack {
    rp_config cfg;
    bool ns;
    bool be; /* fields on the wire are big-endian */
    uint32_t tx_free;
    bool echo;
    rp_ept epts[RP_MAX_EPTS];
    size_t n_epts;
    rp_channel channels[RP_MAX_CHANNELS];
    size_t n_channels;
    const rp_ops *ops;
    void *ctx;
    uint8_t txbuf[RP_MAX_BUF];
} rp_stack;

static uint32_t rp_get(const uint8_t *p, unsigned n, bool be)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint32_t)p[be ? i : n - 1u - i] << (8u * (n - 1u - i));
    return v;
}

static void rp_put(uint8_t *p, uint32_t v, unsigned n, bool be)
{
    for (unsigned i = 0; i < n; i++)
        p[be ? n - 1u - i : i] = (uint8_t)(v >> (8u * i));
}

static void rp_init(rp_stack *rp, const rp_config *cfg, const rp_ops *ops, void *ctx)
{
    memset(rp->epts, 0, sizeof rp->epts);
    rp->cfg = *cfg;
    rp->ns = (cfg->features & RP_F_NS) != 0;
    rp->be = !(cfg->features & RP_F_VERSION_1) && cfg->legacy_be;
    rp->tx_free = cfg->tx_bufs;
    rp->n_epts = rp->n_channels = 0;
    rp->ops = ops;
    rp->ctx = ctx;
}

static rp_ept *rp_ept_find(rp_stack *rp, uint32_t addr)
{
    for (size_t i = 0; i < rp->n_epts; i++)
        if (rp->epts[i].addr == addr)
            return &rp->epts[i];
    return NULL;
}

/* Put a message on vq1. 0, or a negative errno. */
static int rp_transmit(rp_stack *rp, uint32_t src, uint32_t dst, const uint8_t *data, size_t len)
{
    if (len > rp->cfg.buf_size - RP_HDR_SIZE)
        return -EMSGSIZE;
    if (rp->tx_free == 0)
        return -EAGAIN; /* every transmit buffer is with the device */
    uint8_t *b = rp->txbuf;
    rp_put(b + 0, src, 4, rp->be);
    rp_put(b + 4, dst, 4, rp->be);
    rp_put(b + 8, 0, 4, rp->be);              /* reserved */
    rp_put(b + 12, (uint32_t)len, 2, rp->be); /* len */
    rp_put(b + 14, 0, 2, rp->be);             /* flags */
    if (len)
        memcpy(b + RP_HDR_SIZE, data, len);
    rp->tx_free--;
    rp->ops->transmit(rp->ctx, b, RP_HDR_SIZE + len);
    return 0;
}

static int rp_send_ns(rp_stack *rp, rp_ept *e, bool destroy)
{
    uint8_t ns[RP_NS_SIZE] = {0}; /* the name is zero-padded */
    memcpy(ns, e->name, strlen(e->name));
    rp_put(ns + 32, e->addr, 4, rp->be);
    rp_put(ns + 36, destroy ? RP_NS_DESTROY : 0u, 4, rp->be);
    int rc = rp_transmit(rp, e->addr, RP_NS_ADDR, ns, sizeof ns);
    if (rc == 0)
        e->announced = !destroy;
    return rc;
}

/* A name-service message from the device: a channel appears or goes away. */
static void rp_ns_receive(rp_stack *rp, const uint8_t *p, size_t len)
{
    if (len != RP_NS_SIZE)
        return; /* not the standard 40-byte message: dropped */
    char name[RP_NAME_SIZE + 1] = {0};
    memcpy(name, p, RP_NAME_SIZE); /* up to the first NUL, or all 32 bytes */
    uint32_t addr = rp_get(p + 32, 4, rp->be);
    uint32_t flags = rp_get(p + 36, 4, rp->be);

    size_t i = 0;
    while (i < rp->n_channels &&
           !(strcmp(rp->channels[i].name, name) == 0 && rp->channels[i].addr == addr))
        i++;
    bool known = i < rp->n_channels;

    if (flags & RP_NS_DESTROY) {
        if (!known)
            return; /* nothing of that name and address was announced */
        memmove(&rp->channels[i], &rp->channels[i + 1],
                (rp->n_channels - i - 1) * sizeof rp->channels[0]);
        rp->n_channels--;
        rp->ops->channel(rp->ctx, false, name, addr);
        return;
    }
    if (addr == RP_ADDR_ANY || addr == RP_NS_ADDR || known || rp->n_channels == RP_MAX_CHANNELS)
        return; /* unusable address, a repeat, or no room */
    rp_channel *c = &rp->channels[rp->n_channels++];
    memcpy(c->name, name, sizeof c->name);
    c->addr = addr;
    rp->ops->channel(rp->ctx, true, name, addr);
}

/* A buffer the device put on vq0: used bytes of a capacity-byte buffer. Messages that break
 * the rules are dropped, silently, as a driver does. */
static void rp_receive(rp_stack *rp, const uint8_t *buf, size_t used, size_t capacity)
{
    if (used > capacity || used < RP_HDR_SIZE)
        return;
    uint32_t src = rp_get(buf + 0, 4, rp->be);
    uint32_t dst = rp_get(buf + 4, 4, rp->be);
    size_t len = rp_get(buf + 12, 2, rp->be); /* reserved and flags are ignored */
    if (len > used - RP_HDR_SIZE || dst == RP_ADDR_ANY)
        return;
    const uint8_t *payload = buf + RP_HDR_SIZE;
    if (dst == RP_NS_ADDR && rp->ns) {
        rp_ns_receive(rp, payload, len);
        return;
    }
    rp_ept *e = rp_ept_find(rp, dst);
    if (!e)
        return; /* nobody there */
    uint32_t ept = e->addr;
    rp->ops->deliver(rp->ctx, ept, src, payload, len);
    if (rp->echo && src != RP_ADDR_ANY)
        (void)rp_transmit(rp, ept, src, payload, len);
}

/* Create an endpoint; addr ANY for a dynamic one. 0 and *bound, or a negative errno. */
static int rp_create(rp_stack *rp, const char *name, size_t name_len, uint32_t addr, uint32_t dest,
                     uint32_t *bound)
{
    /* The name as adapter.h defines it: the bytes up to the first NUL, 31 at most. */
    const char *nul = name_len ? memchr(name, 0, name_len) : NULL;
    if (nul)
        name_len = (size_t)(nul - name);
    if (name_len > RP_NAME_SIZE - 1)
        return -EINVAL; /* RPMSG-NS-08: no room for the NUL */
    if (rp->n_epts == RP_MAX_EPTS)
        return -ENOMEM;
    if (addr == RP_ADDR_ANY) {
        /* The lowest free address of the dynamic pool (as Linux's idr_alloc). */
        for (uint64_t a = rp->cfg.addr_first; a <= rp->cfg.addr_last; a++) {
            if (!rp_ept_find(rp, (uint32_t)a) && !(a == RP_NS_ADDR && rp->ns)) {
                addr = (uint32_t)a;
                break;
            }
            if (a - rp->cfg.addr_first > RP_MAX_EPTS)
                break; /* at most RP_MAX_EPTS addresses can be taken */
        }
        if (addr == RP_ADDR_ANY)
            return -EADDRNOTAVAIL;
    } else if ((addr == RP_NS_ADDR && rp->ns) || rp_ept_find(rp, addr)) {
        return -EADDRINUSE;
    }
    rp_ept *e = &rp->epts[rp->n_epts++];
    memset(e, 0, sizeof *e);
    e->addr = addr;
    e->dest = dest;
    if (name_len)
        memcpy(e->name, name, name_len);
    *bound = addr;
    return 0; /* the driver side does not announce on its own; "announce" does */
}

static int rp_destroy(rp_stack *rp, uint32_t addr)
{
    rp_ept *e = rp_ept_find(rp, addr);
    if (!e)
        return -ENOENT;
    if (e->announced && rp->ns)
        (void)rp_send_ns(rp, e, true); /* withdraw what was announced */
    size_t i = (size_t)(e - rp->epts);
    memmove(e, e + 1, (rp->n_epts - i - 1) * sizeof *e);
    rp->n_epts--;
    return 0;
}

static int rp_send(rp_stack *rp, uint32_t src, uint32_t dst, const uint8_t *data, size_t len)
{
    if (dst == RP_ADDR_ANY || src == RP_ADDR_ANY)
        return -EINVAL;
    if (dst == RP_NS_ADDR && rp->ns)
        return -EINVAL; /* 53 is the name service's: a payload there would be a bad NS message */
    if (!rp_ept_find(rp, src))
        return -ENOENT;
    return rp_transmit(rp, src, dst, data, len);
}

static int rp_announce(rp_stack *rp, uint32_t addr, bool destroy)
{
    if (!rp->ns)
        return -EOPNOTSUPP;
    rp_ept *e = rp_ept_find(rp, addr);
    if (!e)
        return -ENOENT;
    if (!e->name[0])
        return -EINVAL;
    return rp_send_ns(rp, e, destroy);
}

/* The device gave n transmit buffers back. */
static int rp_tx_returned(rp_stack *rp, uint64_t n)
{
    if (n > rp->cfg.tx_bufs - rp->tx_free)
        return -EINVAL;
    rp->tx_free += (uint32_t)n;
    return 0;
}

/* ==== 2. The adapter ========================================================================= */

/* What poll hands out, oldest first. One input makes at most two (deliver, echo). */
#define OBS_QUEUE 16u

typedef struct example {
    rp_stack rp;
    bool echo;
    vcf_adapter_obs queue[OBS_QUEUE];
    uint8_t *queue_data[OBS_QUEUE];
    size_t head, count;
    bool overflow;
    uint8_t *handed_out; /* the data of the last observation, kept until the next call */
} example;

/* The RPMsg events of adapter.h (0x100 + the model's vcf_rpmsg_event_type). */
#define EV_DELIVER           (VCF_EVT_RPMSG_BASE + 0u)
#define EV_CHANNEL_CREATED   (VCF_EVT_RPMSG_BASE + 1u)
#define EV_CHANNEL_DESTROYED (VCF_EVT_RPMSG_BASE + 2u)

static void release_handed_out(example *ex)
{
    free(ex->handed_out);
    ex->handed_out = NULL;
}

static void clear_queue(example *ex)
{
    while (ex->count) {
        free(ex->queue_data[ex->head]);
        ex->head = (ex->head + 1u) % OBS_QUEUE;
        ex->count--;
    }
    ex->head = 0;
    ex->overflow = false;
}

/* Queue an observation with a copy of its bytes. */
static void push(example *ex, const vcf_adapter_obs *obs, const uint8_t *data, size_t len)
{
    uint8_t *copy = malloc(len ? len : 1u);
    if (ex->count == OBS_QUEUE || !copy) {
        free(copy);
        ex->overflow = true; /* reported by the next poll */
        return;
    }
    if (len)
        memcpy(copy, data, len);
    size_t slot = (ex->head + ex->count) % OBS_QUEUE;
    ex->queue[slot] = *obs;
    if (obs->kind == VCF_OBS_MSG)
        ex->queue[slot].msg.len = len;
    else
        ex->queue[slot].event.len = len;
    ex->queue_data[slot] = copy;
    ex->count++;
}

static void on_deliver(void *ctx, uint32_t ept, uint32_t src, const uint8_t *data, size_t len)
{
    vcf_adapter_obs obs = {.kind = VCF_OBS_EVENT};
    obs.event.type = EV_DELIVER;
    obs.event.args[0] = ept;
    obs.event.args[1] = src;
    obs.event.args[2] = len; /* claimed_len: what the endpoint was told */
    push(ctx, &obs, data, len);
}

static void on_channel(void *ctx, bool created, const char *name, uint32_t addr)
{
    vcf_adapter_obs obs = {.kind = VCF_OBS_EVENT};
    obs.event.type = created ? EV_CHANNEL_CREATED : EV_CHANNEL_DESTROYED;
    obs.event.args[0] = RP_ADDR_ANY; /* no local endpoint is involved */
    obs.event.args[1] = addr;
    push(ctx, &obs, (const uint8_t *)name, strlen(name));
}

static void on_transmit(void *ctx, const uint8_t *buf, size_t len)
{
    vcf_adapter_obs obs = {.kind = VCF_OBS_MSG};
    obs.msg.channel = 1;    /* vq1: driver to device */
    obs.msg.used_len = len; /* the descriptor length: header and payload */
    obs.msg.capacity = 0;   /* the group's buf_size */
    push(ctx, &obs, buf, len);
}

static const rp_ops example_ops = {on_deliver, on_channel, on_transmit};

/* Parameter lookup and numbers (vcf_param_get / vcf_param_u64 of libvconform-model do the
 * same; this example keeps to the header so that it links nothing of vconform's). */
static const char *param(const vcf_adapter_param *p, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (p[i].key && strcmp(p[i].key, key) == 0)
            return p[i].value;
    return NULL;
}

static bool param_u64(const vcf_adapter_param *p, size_t n, const char *key, uint64_t dflt,
                      uint64_t *out)
{
    const char *v = param(p, n, key);
    *out = dflt;
    if (!v)
        return true;
    /* decimal, or 0x and hex digits: a leading 0 is not octal */
    int base = 10;
    if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
        v += 2;
        base = 16;
    }
    if (!(base == 16 ? isxdigit((unsigned char)*v) : isdigit((unsigned char)*v)))
        return false;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, base);
    if (errno || *end)
        return false;
    *out = x;
    return true;
}

/* Say why a role or parameter value cannot be taken: "unsupported", never a failure. */
__attribute__((format(printf, 3, 4))) static int unsupported(char *why, size_t why_len,
                                                             const char *fmt, ...)
{
    if (why && why_len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, why_len, fmt, ap);
        va_end(ap);
    }
    return VCF_ADAPTER_UNSUPPORTED;
}

static int example_reset(void *ud, uint32_t role, const vcf_adapter_param *params, size_t n_params,
                         char *why, size_t why_len)
{
    example *ex = ud;
    clear_queue(ex);
    release_handed_out(ex);
    if (role != VCF_IUT_RPMSG_DRIVER)
        return unsupported(why, why_len,
                           "role %u: this example implements the RPMsg driver side only",
                           (unsigned)role);

    /* The group's parameters (harness/src/PARAMS.txt); keys it does not know, such as the
     * reference model's "model.*" readings and the harness's "vcf.*" metadata (vcf.case, the
     * case's ID), are ignored. */
    rp_config cfg;
    uint64_t features, buf_size, tx_bufs, first, last;
    if (!param_u64(params, n_params, "features", RP_F_NS | RP_F_VERSION_1, &features))
        return unsupported(why, why_len, "features '%s' is not a number",
                           param(params, n_params, "features"));
    if (features & ~(RP_F_NS | RP_F_VERSION_1))
        return unsupported(why, why_len, "features %s: only F_NS (bit 0) and VERSION_1 (bit 32)",
                           param(params, n_params, "features"));
    const char *order = param(params, n_params, "order");
    if (order && strcmp(order, "le") != 0 && strcmp(order, "be") != 0)
        return unsupported(why, why_len, "order '%s' is neither le nor be", order);
    if (!param_u64(params, n_params, "buf_size", 512, &buf_size) || buf_size < RP_HDR_SIZE ||
        buf_size > RP_MAX_BUF)
        return unsupported(why, why_len, "buf_size '%s' is not in 16..65551",
                           param(params, n_params, "buf_size"));
    if (!param_u64(params, n_params, "tx_bufs", 256, &tx_bufs) || tx_bufs > UINT32_MAX)
        return unsupported(why, why_len, "tx_bufs '%s' is not a 32-bit number",
                           param(params, n_params, "tx_bufs"));
    if (!param_u64(params, n_params, "addr_first", 1024, &first) ||
        !param_u64(params, n_params, "addr_last", 0xFFFFFFFEu, &last) || first > last ||
        last >= RP_ADDR_ANY)
        return unsupported(why, why_len, "%s: not a usable dynamic address pool",
                           "addr_first/addr_last");
    cfg.features = features;
    cfg.legacy_be = order && strcmp(order, "be") == 0;
    cfg.buf_size = (uint32_t)buf_size;
    cfg.tx_bufs = (uint32_t)tx_bufs;
    cfg.addr_first = (uint32_t)first;
    cfg.addr_last = (uint32_t)last;
    rp_init(&ex->rp, &cfg, &example_ops, ex);
    ex->rp.echo = ex->echo;
    return VCF_ADAPTER_OK;
}

static int example_inject(void *ud, const vcf_adapter_msg *msg)
{
    example *ex = ud;
    release_handed_out(ex);
    if (msg->channel != 0)
        return VCF_ADAPTER_ERROR; /* the driver receives on vq0 only: a harness mistake */
    size_t used = msg->used_len ? msg->used_len : msg->len;
    size_t capacity = msg->capacity ? msg->capacity : ex->rp.cfg.buf_size;
    size_t visible = used < capacity ? used : capacity;
    if (msg->len < visible)
        return VCF_ADAPTER_ERROR; /* fewer bytes than the ring says: a harness mistake */
    rp_receive(&ex->rp, msg->data, used, capacity);
    return VCF_ADAPTER_OK;
}

static int example_action(void *ud, const vcf_adapter_action *act, vcf_adapter_result *res)
{
    example *ex = ud;
    rp_stack *rp = &ex->rp;
    release_handed_out(ex);
    res->status = 0;
    res->value = 0;
    uint64_t a0 = act->args[0], a1 = act->args[1];
    if ((a0 > UINT32_MAX || a1 > UINT32_MAX) && act->kind != VCF_ACT_RPMSG_RETURN) {
        res->status = -EINVAL; /* addresses are 32 bits */
        return VCF_ADAPTER_OK;
    }
    switch (act->kind) {
    case VCF_ACT_RPMSG_CREATE: {
        uint32_t bound = 0;
        res->status =
            rp_create(rp, (const char *)act->data, act->len, (uint32_t)a0, (uint32_t)a1, &bound);
        res->value = bound;
        return VCF_ADAPTER_OK;
    }
    case VCF_ACT_RPMSG_DESTROY: res->status = rp_destroy(rp, (uint32_t)a0); return VCF_ADAPTER_OK;
    case VCF_ACT_RPMSG_SEND:
        res->status = rp_send(rp, (uint32_t)a0, (uint32_t)a1, act->data, act->len);
        return VCF_ADAPTER_OK;
    case VCF_ACT_RPMSG_ANNOUNCE:
        res->status = rp_announce(rp, (uint32_t)a0, a1 != 0);
        return VCF_ADAPTER_OK;
    case VCF_ACT_RPMSG_RETURN: res->status = rp_tx_returned(rp, a0); return VCF_ADAPTER_OK;
    default: return VCF_ADAPTER_UNSUPPORTED; /* not an RPMsg driver action */
    }
}

static int example_poll(void *ud, vcf_adapter_obs *obs)
{
    example *ex = ud;
    release_handed_out(ex);
    if (ex->overflow)
        return VCF_ADAPTER_ERROR;
    if (ex->count == 0)
        return 0;
    *obs = ex->queue[ex->head];
    ex->handed_out = ex->queue_data[ex->head]; /* valid until the next call */
    if (obs->kind == VCF_OBS_MSG)
        obs->msg.data = ex->handed_out;
    else
        obs->event.data = ex->handed_out;
    ex->head = (ex->head + 1u) % OBS_QUEUE;
    ex->count--;
    return 1;
}

static void example_close(void *ud)
{
    example *ex = ud;
    clear_queue(ex);
    release_handed_out(ex);
    free(ex);
}

/* The one symbol vconform looks for. */
__attribute__((visibility("default"))) int vcf_adapter_init(const char *options, vcf_adapter *out)
{
    bool echo = false;
    if (options && *options) {
        if (strcmp(options, "echo") == 0 || strcmp(options, "echo=1") == 0) {
            echo = true;
        } else if (strcmp(options, "echo=0") != 0) {
            fprintf(stderr, "example adapter: unknown option '%s' (known: echo)\n", options);
            return VCF_ADAPTER_ERROR;
        }
    }
    example *ex = calloc(1, sizeof *ex);
    if (!ex)
        return VCF_ADAPTER_ERROR;
    ex->echo = echo;

    memset(out, 0, sizeof *out);
    out->abi_version = VCF_ADAPTER_ABI_VERSION;
    out->struct_size = (uint32_t)sizeof *out;
    out->ud = ex;
    out->name = "example-rpmsg-driver";
    out->version = "1.0";
    out->roles = VCF_IUT_ROLE_BIT(VCF_IUT_RPMSG_DRIVER);
    out->caps = VCF_ADAPTER_CAP_EVENTS; /* it reports deliveries and channels */
    out->reset = example_reset;
    out->inject = example_inject;
    out->action = example_action;
    out->poll = example_poll;
    out->idle = NULL; /* synchronous: done reacting when poll has nothing more */
    out->close = example_close;
    return VCF_ADAPTER_OK;
}
