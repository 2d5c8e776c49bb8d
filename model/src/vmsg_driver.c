/* SPDX-License-Identifier: MIT */
/*
 * The virtio-msg driver model (see vmsg_model.h).
 *
 * One driver, one device number, one request in flight. Initialisation is a chain of steps:
 * every accepted response sends the next request, so drv->step always names the request the
 * driver is waiting for. After DRIVER_OK the same machinery serves the upper layer (config
 * reads and writes, queue resets, status and shared memory queries, device resets) and the
 * device's events.
 *
 * Layout of this file: steps and small helpers; sending; initialisation steps; configuration
 * reads (chunked, restarted when the generation moves); the receive path (framing, matching,
 * then responses and events); the upper-layer requests; accessors.
 *
 * Where the drafts leave the driver a choice, this model takes the one named in
 * docs/rules/virtio-msg.md "Readings": generations compare with != only (A16), an EVENT_CONFIG
 * without data and with a new generation makes the driver re-read the whole configuration
 * space (A6), a SET_CONFIG response with a length below the request is what was applied (A5).
 */
#include <string.h>

#include "vmsg_model_internal.h"
#include "wire_internal.h"

/* ---- steps ------------------------------------------------------------------------------- */

/* What the outstanding request is (drv->step & STEP_MASK). */
enum {
    S_NONE = 0,
    /* initialisation */
    S_INFO,        /* GET_DEVICE_INFO */
    S_RESET,       /* SET_DEVICE_STATUS(0) at the start of initialisation */
    S_RESET_CHECK, /* GET_DEVICE_STATUS after a reset answered with a non-zero status */
    S_ACK,         /* SET_DEVICE_STATUS(ACKNOWLEDGE) */
    S_DRIVER,      /* SET_DEVICE_STATUS(ACKNOWLEDGE | DRIVER) */
    S_FEAT_GET,    /* GET_DEVICE_FEATURES(req_a = first block, req_b = blocks) */
    S_FEAT_SET,    /* SET_DRIVER_FEATURES(req_a, req_b) */
    S_FEATURES_OK, /* SET_DEVICE_STATUS(... | FEATURES_OK) */
    S_CFG_INIT,    /* GET_CONFIG chunk of the initial read */
    S_VQ_GET,      /* GET_VQUEUE(req_a) before programming; req_b = 1 after a queue reset */
    S_VQ_RESET,    /* RESET_VQUEUE(req_a) of a queue found configured */
    S_VQ_SET,      /* SET_VQUEUE(req_a), req_b = size */
    S_VQ_VERIFY,   /* GET_VQUEUE(req_a) after SET_VQUEUE */
    S_DRIVER_OK,   /* SET_DEVICE_STATUS(... | DRIVER_OK) */
    S_FAILED,      /* SET_DEVICE_STATUS(... | FAILED): giving up */
    /* operation */
    S_OP_READ,     /* GET_CONFIG chunk of an upper-layer read */
    S_OP_REFRESH,  /* GET_CONFIG chunk after a rejected SET_CONFIG */
    S_OP_REREAD,   /* GET_CONFIG chunk of the whole space after EVENT_CONFIG without data */
    S_OP_WRITE,    /* SET_CONFIG(req_a = offset, req_b = length) */
    S_OP_RESET_VQ, /* RESET_VQUEUE(req_a) */
    S_OP_VQ_CHECK, /* GET_VQUEUE(req_a) after RESET_VQUEUE */
    S_OP_STATUS,   /* GET_DEVICE_STATUS for the upper layer */
    S_OP_DIAG,     /* GET_DEVICE_STATUS after a request timed out */
    S_OP_SHM,      /* GET_SHM(req_a) */
    S_OP_RESET     /* SET_DEVICE_STATUS(0) for the upper layer or DEVICE_NEEDS_RESET */
};

#define STEP_MASK 0xFF
#define F_REREAD  0x100 /* a whole-space re-read is owed (the generation moved while busy) */
#define F_RESET   0x200 /* the device needs a reset: do it once the outstanding request ends */
#define F_REINIT  0x400 /* with S_OP_RESET: initialise again afterwards */
#define F_DIRTY   0x800 /* the generation moved during the configuration read in progress */
#define F_SETUP                                                                                    \
    0x1000 /* the queue steps set up one queue for the upper layer, after                          \
            * initialisation (vcf_vmsg_driver_setup_vq) */
#define F_FLAGS (F_REREAD | F_RESET | F_REINIT | F_DIRTY | F_SETUP)

#define ST_DRV_BITS                                                                                \
    (VCF_VIRTIO_STATUS_ACKNOWLEDGE | VCF_VIRTIO_STATUS_DRIVER | VCF_VIRTIO_STATUS_FEATURES_OK |    \
     VCF_VIRTIO_STATUS_DRIVER_OK)
#define ST_FEATURES (VCF_VIRTIO_STATUS_ACKNOWLEDGE | VCF_VIRTIO_STATUS_DRIVER)
#define ST_FOK      (ST_FEATURES | VCF_VIRTIO_STATUS_FEATURES_OK)
#define ST_LIVE     (ST_FOK | VCF_VIRTIO_STATUS_DRIVER_OK)

#define VQ_STRIDE      0x10000u /* queue i's areas start at ring_base + i * VQ_STRIDE */
#define VQ_DRIVER_AREA 0x4000u
#define VQ_DEVICE_AREA 0x8000u
#define VQ_MAX_SIZE    1024u /* 16-byte descriptors within the 0x4000 bytes before the driver area */

/* Sizes as the codec lays the messages out: without their data (GET_CONFIG response and
 * SET_CONFIG request, 20 bytes; feature messages, 16) and SET_VQUEUE (48). */
#define CONFIG_OVERHEAD vmsg_fixed_size(VCF_VMSG_K_GET_CONFIG_RESP)
#define FEAT_OVERHEAD   vmsg_fixed_size(VCF_VMSG_K_GET_DEVICE_FEATURES_RESP)
#define VQ_MSG_SIZE     vmsg_fixed_size(VCF_VMSG_K_SET_VQUEUE_REQ)
#define READ_RETRIES    3u /* re-reads of a configuration range whose generation moved */

static int base_step(const vcf_vmsg_driver *drv)
{
    return drv->step & STEP_MASK;
}

static void set_step(vcf_vmsg_driver *drv, int step)
{
    drv->step = (drv->step & F_FLAGS) | step;
}

static bool is_read_step(int step)
{
    return step == S_CFG_INIT || step == S_OP_READ || step == S_OP_REFRESH || step == S_OP_REREAD;
}

static bool rfc3(const vcf_vmsg_driver *drv)
{
    return drv->cfg.link.rev == VCF_VMSG_REV_RFC3;
}

/* The rule a driver cites when it throws away a message it cannot use: RFC3 has a SHOULD for
 * invalid messages, PR28 only the rule on messages the driver does not understand. */
static vcf_vmsg_rule invalid_rule(const vcf_vmsg_driver *drv)
{
    return rfc3(drv) ? R(R3_05) : R(REV_04);
}

static vcf_vmsg_rule unmatched_rule(const vcf_vmsg_driver *drv)
{
    return rfc3(drv) ? R(R3_14) : R(REV_04);
}

static bool has_feature(const vcf_vmsg_driver *drv, unsigned bit)
{
    return vmsg_bit(drv->negotiated, bit);
}

/* Configuration bytes the driver can hold a view of. */
static uint32_t view_size(const vcf_vmsg_driver *drv)
{
    if (!drv->have_info)
        return 0;
    return drv->info.config_size < VCF_VMSG_MAX_CONFIG ? drv->info.config_size
                                                       : VCF_VMSG_MAX_CONFIG;
}

/* Feature blocks the driver reads and writes: those the device reports, at least one (block 0
 * reads as zero on a device without features), at most what the driver can hold. */
static uint32_t feature_blocks(const vcf_vmsg_driver *drv)
{
    uint32_t n = (uint32_t)(((uint64_t)drv->info.num_feature_bits + 31u) / 32u);
    if (n == 0)
        n = 1;
    return n < VCF_VMSG_MAX_FEATURE_BLOCKS ? n : VCF_VMSG_MAX_FEATURE_BLOCKS;
}

/* Blocks one feature message can carry within the bus maximum. */
static uint32_t blocks_per_msg(const vcf_vmsg_driver *drv)
{
    return (drv->cfg.link.max_msg_size - FEAT_OVERHEAD) / 4u;
}

/* Queues the driver sets up. */
static uint32_t queue_count(const vcf_vmsg_driver *drv)
{
    uint32_t n = drv->cfg.num_queues;
    if (drv->info.max_virtqueues < n)
        n = drv->info.max_virtqueues;
    return n;
}

static uint64_t vq_base(const vcf_vmsg_driver *drv, uint32_t i)
{
    return drv->cfg.ring_base + (uint64_t)i * VQ_STRIDE;
}

static void clear_queues(vcf_vmsg_driver *drv)
{
    memset(drv->vqs, 0, sizeof drv->vqs);
}

/* ---- configuration ------------------------------------------------------------------------- */

void vcf_vmsg_driver_config_default(vcf_vmsg_driver_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    vcf_vmsg_link_default(&cfg->link);
    cfg->dev_num = 1;
    cfg->wanted[VCF_VIRTIO_F_VERSION_1 / 32u] |= 1u << (VCF_VIRTIO_F_VERSION_1 % 32u);
    cfg->wanted[VCF_VIRTIO_F_RING_RESET / 32u] |= 1u << (VCF_VIRTIO_F_RING_RESET % 32u);
    cfg->wanted[VCF_VIRTIO_F_NOTIFICATION_DATA / 32u] |= 1u
                                                         << (VCF_VIRTIO_F_NOTIFICATION_DATA % 32u);
    cfg->num_queues = 2;
    cfg->queue_size = 256;
    cfg->ring_base = 0x40000000u;
    cfg->read_config = true;
}

int vcf_vmsg_driver_init(vcf_vmsg_driver *drv, const vcf_vmsg_driver_config *cfg, vcf_error *err)
{
    vcf_vmsg_driver_config def;
    if (!cfg) {
        vcf_vmsg_driver_config_default(&def);
        cfg = &def;
    }
    int rc = vmsg_link_check(&cfg->link, err);
    if (rc != VCF_OK)
        return rc;
    if (cfg->num_queues > VCF_VMSG_MAX_VQS)
        return vcf_failv(err, VCF_E_INVAL, "num_queues", 0, "at most VCF_VMSG_MAX_VQS queues",
                         VCF_VMSG_MAX_VQS, cfg->num_queues);
    if (cfg->queue_size == 0 || cfg->queue_size > VQ_MAX_SIZE ||
        (cfg->queue_size & (cfg->queue_size - 1u)) != 0)
        return vcf_failv(err, VCF_E_INVAL, "queue_size", 0,
                         "a power of two up to 1024: a split ring's descriptor table must fit "
                         "the 0x4000 bytes before its driver area",
                         256, cfg->queue_size);
    if (cfg->ring_base % 16u != 0 ||
        cfg->ring_base > UINT64_MAX - (uint64_t)VCF_VMSG_MAX_VQS * VQ_STRIDE)
        return vcf_failv(err, VCF_E_INVAL, "ring_base", 0,
                         "16-byte aligned, with room for every queue's areas (VMSG-VQ-02)",
                         cfg->ring_base & ~(uint64_t)15u, cfg->ring_base);
    memset(drv, 0, sizeof *drv);
    drv->cfg = *cfg;
    drv->state = VCF_VMSG_DRV_IDLE;
    drv->next_token = 1;
    return VCF_OK;
}

/* ---- sending ----------------------------------------------------------------------------- */

static uint16_t take_token(vcf_vmsg_driver *drv)
{
    /* RFC3 wants a non-zero token unique among requests in flight (one here); PR28 leaves the
     * value to the bus, so the same counter serves both. */
    uint16_t t = drv->next_token;
    if (t == 0)
        t = 1;
    drv->next_token = (uint16_t)(t + 1u);
    return t;
}

static void begin(const vcf_vmsg_driver *drv, vcf_vmsg_msg *m, vcf_vmsg_kind kind)
{
    (void)vcf_vmsg_init(m, kind, drv->cfg.dev_num, 0);
}

/* Send a request and wait for its response in the given step. */
static int request(vcf_vmsg_driver *drv, vcf_vmsg_output *out, vcf_vmsg_msg *m, int step,
                   uint32_t a, uint32_t b)
{
    m->hdr.token = take_token(drv);
    int rc = vmsg_emit(&drv->arena, out, VCF_VMSG_TO_PEER, m, drv->cfg.link.max_msg_size);
    if (rc != VCF_OK)
        return vmsg_finish(out, rc);
    drv->busy = true;
    drv->req_type = m->hdr.type;
    drv->req_id = m->hdr.msg_id;
    drv->req_token = m->hdr.token;
    drv->req_a = a;
    drv->req_b = b;
    set_step(drv, step);
    return VCF_OK;
}

static int send_status(vcf_vmsg_driver *drv, vcf_vmsg_output *out, uint32_t status, int step)
{
    vcf_vmsg_msg m;
    begin(drv, &m, VCF_VMSG_K_SET_DEVICE_STATUS_REQ);
    m.u.status = status;
    return request(drv, out, &m, step, status, 0);
}

static int send_index(vcf_vmsg_driver *drv, vcf_vmsg_output *out, vcf_vmsg_kind kind,
                      uint32_t index, int step, uint32_t b)
{
    vcf_vmsg_msg m;
    begin(drv, &m, kind);
    m.u.index = index;
    return request(drv, out, &m, step, index, b);
}

static int send_get_status(vcf_vmsg_driver *drv, vcf_vmsg_output *out, int step, uint32_t b)
{
    vcf_vmsg_msg m;
    begin(drv, &m, VCF_VMSG_K_GET_DEVICE_STATUS_REQ);
    return request(drv, out, &m, step, 0, b);
}

/* Nothing outstanding any more; owed work (flags) is kept. */
static void idle(vcf_vmsg_driver *drv)
{
    drv->busy = false;
    set_step(drv, S_NONE);
}

/* Nothing outstanding and nothing owed. */
static void stop(vcf_vmsg_driver *drv)
{
    drv->busy = false;
    drv->step = S_NONE;
}

/* ---- initialisation ---------------------------------------------------------------------- */

static int start_init(vcf_vmsg_driver *drv, vcf_vmsg_output *out)
{
    /* The generation is the device's and survives resets, and so does the last status seen
     * (a FAILED written before the reset completes keeps its bits); everything learnt from the
     * device info onwards is learnt again. */
    drv->state = VCF_VMSG_DRV_INIT;
    drv->step = S_NONE;
    drv->have_info = false;
    memset(&drv->info, 0, sizeof drv->info);
    memset(drv->offered, 0, sizeof drv->offered);
    memset(drv->negotiated, 0, sizeof drv->negotiated);
    clear_queues(drv);
    vcf_vmsg_msg m;
    begin(drv, &m, VCF_VMSG_K_GET_DEVICE_INFO_REQ); /* VMSG-INIT-01 */
    return request(drv, out, &m, S_INFO, 0, 0);
}

/* Reset the device (status 0): for the upper layer, or because the device needs it. */
static int start_reset(vcf_vmsg_driver *drv, vcf_vmsg_output *out, bool reinit)
{
    drv->step = reinit ? F_REINIT : 0;
    drv->state = reinit ? VCF_VMSG_DRV_INIT : VCF_VMSG_DRV_IDLE;
    memset(drv->negotiated, 0, sizeof drv->negotiated);
    clear_queues(drv);
    return send_status(drv, out, 0, S_OP_RESET); /* VMSG-STATUS-02, VMSG-RESET-01 */
}

/* The device asked for a reset (VMSG-RESET-02): reset now, or as soon as the request in flight
 * has been answered; meanwhile no I/O (the state leaves READY). */
static int needs_reset(vcf_vmsg_driver *drv, vcf_vmsg_output *out)
{
    vmsg_event(out, VCF_VMSG_EV_NEEDS_RESET, 0, 0, 0, drv->status);
    if (!drv->busy)
        return start_reset(drv, out, true);
    int s = base_step(drv);
    if (s == S_INFO || s == S_RESET || s == S_RESET_CHECK ||
        (s == S_OP_RESET && (drv->step & F_REINIT)))
        return VCF_OK; /* a reset is already on its way */
    drv->step |= F_RESET;
    drv->state = VCF_VMSG_DRV_INIT;
    clear_queues(drv);
    return VCF_OK;
}

/* Give up initialising (VMSG-BASE-03) and, once the status sequence has begun, say so with
 * FAILED (VMSG-BASE-16), keeping the bits already set (VMSG-BASE-05). The verdicts that say
 * why come from the caller. */
static int fail_init(vcf_vmsg_driver *drv, vcf_vmsg_output *out, bool write_failed, uint32_t keep)
{
    drv->state = VCF_VMSG_DRV_FAILED;
    stop(drv);
    clear_queues(drv);
    vmsg_event(out, VCF_VMSG_EV_INIT_FAILED, 0, 0, 0, drv->status);
    if (!write_failed)
        return VCF_OK;
    return send_status(drv, out, (keep & ST_DRV_BITS) | VCF_VIRTIO_STATUS_FAILED, S_FAILED);
}

static int send_features(vcf_vmsg_driver *drv, vcf_vmsg_output *out, bool get, uint32_t first)
{
    uint32_t total = feature_blocks(drv);
    uint32_t n = total - first;
    if (n > blocks_per_msg(drv))
        n = blocks_per_msg(drv);
    vcf_vmsg_msg m;
    if (get) {
        begin(drv, &m, VCF_VMSG_K_GET_DEVICE_FEATURES_REQ);
        m.u.features.block_index = first;
        m.u.features.num_blocks = n;
        return request(drv, out, &m, S_FEAT_GET, first, n);
    }
    uint8_t words[4u * VCF_VMSG_MAX_FEATURE_BLOCKS];
    for (uint32_t i = 0; i < n; i++)
        vcf_st32le(words + 4u * i, drv->negotiated[first + i]);
    begin(drv, &m, VCF_VMSG_K_SET_DRIVER_FEATURES_REQ);
    m.u.features.block_index = first;
    m.u.features.num_blocks = n;
    m.u.features.blocks.ptr = words;
    m.u.features.blocks.len = 4u * n;
    return request(drv, out, &m, S_FEAT_SET, first, n);
}

/* Choose the features: what the device offers and the driver wants (VMSG-FEAT-02,
 * VMSG-BASE-08), and VERSION_1 whenever it is offered (VMSG-BASE-12). */
static void choose_features(vcf_vmsg_driver *drv)
{
    for (uint32_t i = 0; i < VCF_VMSG_MAX_FEATURE_BLOCKS; i++)
        drv->negotiated[i] = drv->offered[i] & drv->cfg.wanted[i];
    const unsigned v1 = VCF_VIRTIO_F_VERSION_1;
    if (vmsg_bit(drv->offered, v1))
        drv->negotiated[v1 / 32u] |= 1u << (v1 % 32u);
}

static int next_queue(vcf_vmsg_driver *drv, vcf_vmsg_output *out);
static int after_op(vcf_vmsg_driver *drv, vcf_vmsg_output *out);

static int read_begin(vcf_vmsg_driver *drv, vcf_vmsg_output *out, int step, uint32_t off,
                      uint32_t len);

/* FEATURES_OK accepted: the configuration, then the queues. */
static int after_features(vcf_vmsg_driver *drv, vcf_vmsg_output *out)
{
    if (drv->cfg.read_config && view_size(drv) > 0)
        return read_begin(drv, out, S_CFG_INIT, 0, view_size(drv));
    drv->vq_next = 0;
    return next_queue(drv, out);
}

/* Query the next queue to set up (VMSG-VQ-01), or finish with DRIVER_OK (VMSG-FINAL-01). */
static int next_queue(vcf_vmsg_driver *drv, vcf_vmsg_output *out)
{
    if (drv->step & F_SETUP) { /* one queue for the upper layer: done (VMSG-VQ-11) */
        uint32_t i = drv->req_a;
        drv->step &= ~F_SETUP;
        vmsg_event(out, VCF_VMSG_EV_DONE, i, 0, drv->vqs[i].size, drv->vqs[i].state);
        return after_op(drv, out);
    }
    if (drv->vq_next < queue_count(drv)) {
        if (drv->cfg.link.max_msg_size < VQ_MSG_SIZE) {
            /* §9 A1: a bus maximum of 44..47 is legal but leaves no room for SET_VQUEUE. */
            vmsg_verdictv(out, R(SIZE_01), NONE, VCF_VMSG_ACT_NOTE, VCF_E_TOO_LARGE, "msg_size", 6,
                          "SET_VQUEUE does not fit the bus maximum message size", VQ_MSG_SIZE,
                          drv->cfg.link.max_msg_size, false);
            return fail_init(drv, out, true, drv->status);
        }
        return send_index(drv, out, VCF_VMSG_K_GET_VQUEUE_REQ, drv->vq_next, S_VQ_GET, 0);
    }
    return send_status(drv, out, ST_LIVE, S_DRIVER_OK); /* VMSG-INIT-04 */
}

/* The largest power of two not above n (n > 0). */
static uint32_t pow2_floor(uint32_t n)
{
    uint32_t p = 1;
    while (p <= n / 2u)
        p *= 2u;
    return p;
}

static int send_set_vqueue(vcf_vmsg_driver *drv, vcf_vmsg_output *out, uint32_t i,
                           uint32_t max_size)
{
    /* VMSG-VQ-02: no larger than the device allows, a power of two for a split ring, areas
     * aligned (descriptors 16, driver area 2, device area 4: all 0x4000-aligned here). */
    uint32_t size = drv->cfg.queue_size;
    if (size > max_size)
        size = pow2_floor(max_size);
    uint64_t base = vq_base(drv, i);
    vcf_vmsg_msg m;
    begin(drv, &m, VCF_VMSG_K_SET_VQUEUE_REQ);
    m.u.set_vqueue.index = i;
    m.u.set_vqueue.size = size;
    m.u.set_vqueue.desc_addr = base;
    m.u.set_vqueue.driver_addr = base + VQ_DRIVER_AREA;
    m.u.set_vqueue.device_addr = base + VQ_DEVICE_AREA; /* reserved words stay 0: VMSG-HDR-04 */
    return request(drv, out, &m, S_VQ_SET, i, size);
}

/* ---- configuration reads ----------------------------------------------------------------- */

/* The range being read is [pending_off, pending_off + pending_len); read_pos is the next byte
 * to ask for, read_gen the generation of the pass's first chunk. */
static int read_chunk(vcf_vmsg_driver *drv, vcf_vmsg_output *out, int step)
{
    uint32_t left = drv->pending_off + drv->pending_len - drv->read_pos;
    uint32_t most = drv->cfg.link.max_msg_size - CONFIG_OVERHEAD; /* VMSG-SIZE-01 */
    uint32_t len = left < most ? left : most;
    vcf_vmsg_msg m;
    begin(drv, &m, VCF_VMSG_K_GET_CONFIG_REQ);
    m.u.config.offset = drv->read_pos;
    m.u.config.length = len;
    return request(drv, out, &m, step, drv->read_pos, len);
}

static int read_begin(vcf_vmsg_driver *drv, vcf_vmsg_output *out, int step, uint32_t off,
                      uint32_t len)
{
    drv->pending_off = off;
    drv->pending_len = len;
    drv->read_pos = off;
    drv->read_retries = 0;
    drv->step &= ~F_DIRTY;
    if (off == 0 && len == view_size(drv))
        drv->step &= ~F_REREAD; /* this read sees every change so far */
    return read_chunk(drv, out, step);
}

/* An operation ended: do the whole-space re-read an EVENT_CONFIG without data left owing. */
static int after_op(vcf_vmsg_driver *drv, vcf_vmsg_output *out)
{
    idle(drv);
    if (drv->state != VCF_VMSG_DRV_READY)
        return VCF_OK;
    if ((drv->step & F_REREAD) && view_size(drv) > 0)
        return read_begin(drv, out, S_OP_REREAD, 0, view_size(drv));
    drv->step &= ~F_REREAD;
    return VCF_OK;
}

static int read_done(vcf_vmsg_driver *drv, vcf_vmsg_output *out, int step)
{
    uint32_t off = drv->pending_off, len = drv->pending_len;
    if (off == 0 && len == view_size(drv))
        drv->step &= ~F_REREAD;
    switch (step) {
    case S_CFG_INIT: drv->vq_next = 0; return next_queue(drv, out);
    case S_OP_REREAD:
        vmsg_event(out, VCF_VMSG_EV_CONFIG_CHANGED, 0, off, len, drv->generation);
        return after_op(drv, out);
    default:
        vmsg_event(out, VCF_VMSG_EV_CONFIG_READ, 0, off, len, drv->generation);
        return after_op(drv, out);
    }
}

/* The generation moved while a range was being read: read it again (VMSG-BASE-15), a bounded
 * number of times. */
static int read_restart(vcf_vmsg_driver *drv, vcf_vmsg_output *out, int step)
{
    drv->step &= ~F_DIRTY;
    if (++drv->read_retries > READ_RETRIES) {
        vmsg_verdictv(out, R(BASE_15), NONE, VCF_VMSG_ACT_NOTE, VCF_E_AGAIN, "generation", 8,
                      "the configuration generation kept changing during the read", drv->read_gen,
                      drv->generation, false);
        if (step == S_CFG_INIT)
            return fail_init(drv, out, true, drv->status);
        return after_op(drv, out);
    }
    drv->read_pos = drv->pending_off;
    return read_chunk(drv, out, step);
}

static int on_config_chunk(vcf_vmsg_driver *drv, const vcf_vmsg_msg *m, vcf_vmsg_output *out,
                           int step)
{
    const vcf_vmsg_config *c = &m->u.config;
    if (c->offset != drv->req_a || c->length != drv->req_b) {
        vmsg_verdictv(out, R(CFG_02), NONE, VCF_VMSG_ACT_DROP, VCF_E_MISMATCH,
                      c->offset != drv->req_a ? "offset" : "length",
                      c->offset != drv->req_a ? 12 : 16,
                      "a GET_CONFIG response repeats the offset and length asked for",
                      c->offset != drv->req_a ? drv->req_a : drv->req_b,
                      c->offset != drv->req_a ? c->offset : c->length, false);
        return vmsg_finish(out, VCF_E_MISMATCH);
    }
    bool first = drv->read_pos == drv->pending_off;
    drv->generation = c->generation; /* VMSG-GEN-05: the latest generation seen */
    drv->have_generation = true;
    if (first)
        drv->read_gen = c->generation;
    else if (c->generation != drv->read_gen) /* §9 A16: != only, so wrap-around is a change */
        return read_restart(drv, out, step);
    if (c->length)
        memcpy(drv->config + c->offset, c->data.ptr, c->length);
    drv->read_pos += c->length;
    if (drv->read_pos < drv->pending_off + drv->pending_len)
        return read_chunk(drv, out, step);
    if ((drv->step & F_DIRTY) || drv->generation != drv->read_gen)
        return read_restart(drv, out, step);
    return read_done(drv, out, step);
}

/* ---- receive: responses ------------------------------------------------------------------ */

/* Common to every SET_DEVICE_STATUS response during initialisation: the status is the one the
 * device ended up with (VMSG-STATUS-06), and holds no bit the driver did not write except
 * DEVICE_NEEDS_RESET. */
static void status_extra(vcf_vmsg_output *out, uint32_t written, uint32_t got)
{
    uint32_t extra = got & ~written & ~(uint32_t)VCF_VIRTIO_STATUS_DEVICE_NEEDS_RESET &
                     VCF_VIRTIO_STATUS_DEFINED;
    if (extra)
        vmsg_verdictv(out, R(STATUS_06), NONE, VCF_VMSG_ACT_NOTE, VCF_E_RANGE, "status", 8,
                      "the resulting status has bits the driver did not write", written, got, true);
}

static int on_reset_done(vcf_vmsg_driver *drv, vcf_vmsg_output *out, int origin)
{
    if (origin == S_RESET)
        return send_status(drv, out, VCF_VIRTIO_STATUS_ACKNOWLEDGE, S_ACK);
    if (drv->step & F_REINIT) {
        drv->step &= ~F_REINIT;
        return start_init(drv, out);
    }
    drv->state = VCF_VMSG_DRV_IDLE;
    stop(drv);
    vmsg_event(out, VCF_VMSG_EV_DONE, 0, 0, 0, 0);
    return VCF_OK;
}

/* SET_DEVICE_STATUS(0) answered: the reset is complete when the status reads 0
 * (VMSG-BASE-11); otherwise read it again to be sure (VMSG-STATUS-01, VMSG-STATUS-03). */
static int on_reset(vcf_vmsg_driver *drv, vcf_vmsg_output *out, uint32_t got, int origin)
{
    drv->status = got;
    if (got == 0)
        return on_reset_done(drv, out, origin);
    vmsg_verdictv(out, R(STATUS_04), NONE, VCF_VMSG_ACT_NOTE, VCF_E_RANGE, "status", 8,
                  "a device reports status 0 once it has reset", 0, got, true);
    return send_get_status(drv, out, S_RESET_CHECK, (uint32_t)origin);
}

static int on_reset_check(vcf_vmsg_driver *drv, vcf_vmsg_output *out, uint32_t got)
{
    int origin = (int)drv->req_b;
    drv->status = got;
    if (got == 0)
        return on_reset_done(drv, out, origin);
    vmsg_verdictv(out, R(BASE_11), NONE, VCF_VMSG_ACT_NOTE, VCF_E_STATE, "status", 8,
                  "the reset did not complete: the status does not read 0", 0, got, true);
    if (origin == S_RESET || (drv->step & F_REINIT))
        return fail_init(drv, out, true, 0);
    stop(drv);
    return VCF_OK;
}

static int on_init_status(vcf_vmsg_driver *drv, vcf_vmsg_output *out, int step, uint32_t got)
{
    uint32_t written = drv->req_a;
    drv->status = got;
    status_extra(out, written, got);
    if (got & VCF_VIRTIO_STATUS_DEVICE_NEEDS_RESET) {
        idle(drv);
        return needs_reset(drv, out);
    }
    if (step == S_FEATURES_OK && !(got & VCF_VIRTIO_STATUS_FEATURES_OK)) {
        /* VMSG-FEAT-03: the device refused the features. */
        vmsg_verdictv(out, R(FEAT_03), NONE, VCF_VMSG_ACT_NOTE, VCF_E_UNSUPPORTED, "status", 8,
                      "FEATURES_OK is clear in the response: the device refused the features",
                      written, got, true);
        return fail_init(drv, out, true, got & written);
    }
    if ((got & written) != written) {
        vmsg_verdictv(out, R(INIT_04), NONE, VCF_VMSG_ACT_NOTE, VCF_E_STATE, "status", 8,
                      "the device did not take the status the driver wrote", written, got, true);
        return fail_init(drv, out, true, got & written);
    }
    switch (step) {
    case S_ACK: return send_status(drv, out, ST_FEATURES, S_DRIVER);
    case S_DRIVER: return send_features(drv, out, true, 0);
    case S_FEATURES_OK: return after_features(drv, out);
    default: /* S_DRIVER_OK */
        drv->state = VCF_VMSG_DRV_READY;
        for (uint32_t i = 0; i < VCF_VMSG_MAX_VQS; i++)
            if (drv->vqs[i].state == VCF_VMSG_VQ_CONFIGURED)
                drv->vqs[i].state = VCF_VMSG_VQ_LIVE;
        vmsg_event(out, VCF_VMSG_EV_READY, 0, 0, 0, got);
        return after_op(drv, out);
    }
}

static int on_info(vcf_vmsg_driver *drv, const vcf_vmsg_msg *m, vcf_vmsg_output *out)
{
    const vcf_vmsg_device_info *info = &m->u.device_info;
    drv->info = *info; /* VMSG-INFO-03: authoritative from here on */
    drv->have_info = true;
    if (info->device_id == 0) {
        /* §9 A2: device ID 0 is no device (Linux: -ENODEV). */
        drv->state = VCF_VMSG_DRV_NO_DEVICE;
        stop(drv);
        vmsg_event(out, VCF_VMSG_EV_NO_DEVICE, 0, 0, 0, 0);
        return VCF_OK;
    }
    if ((uint32_t)info->admin_vq_start + info->admin_vq_count > info->max_virtqueues)
        vmsg_verdictv(out, R(INFO_02), NONE, VCF_VMSG_ACT_NOTE, VCF_E_RANGE, "admin_vq_count", 30,
                      "the admin queues lie past max_virtqueues (§9 A10)", info->max_virtqueues,
                      (uint64_t)info->admin_vq_start + info->admin_vq_count, false);
    return send_status(drv, out, 0, S_RESET); /* VMSG-BASE-01: reset first */
}

static int on_features(vcf_vmsg_driver *drv, const vcf_vmsg_msg *m, vcf_vmsg_output *out)
{
    const vcf_vmsg_features *f = &m->u.features;
    if (f->block_index != drv->req_a || f->num_blocks != drv->req_b) {
        bool idx = f->block_index != drv->req_a;
        vmsg_verdictv(out, R(FEAT_01), NONE, VCF_VMSG_ACT_DROP, VCF_E_MISMATCH,
                      idx ? "block_index" : "num_blocks", idx ? 8 : 12,
                      "a GET_DEVICE_FEATURES response repeats the blocks asked for",
                      idx ? drv->req_a : drv->req_b, idx ? f->block_index : f->num_blocks, false);
        return vmsg_finish(out, VCF_E_MISMATCH);
    }
    /* VMSG-FEAT-05: 32-bit blocks from the index asked for; bits past num_feature_bits count
     * as zero whatever the device put there (it must have put zero: VMSG-FEAT-01). */
    uint64_t nbits = drv->info.num_feature_bits;
    bool noted = false;
    for (uint32_t i = 0; i < f->num_blocks; i++) {
        uint32_t blk = f->block_index + i;
        uint32_t v = vcf_vmsg_feature_block(f, i);
        uint64_t first_bit = (uint64_t)blk * 32u;
        uint32_t valid = first_bit >= nbits        ? 0u
                         : nbits - first_bit >= 32 ? 0xFFFFFFFFu
                                                   : (1u << (uint32_t)(nbits - first_bit)) - 1u;
        if ((v & ~valid) && !noted) {
            vmsg_verdictv(out, R(FEAT_01), NONE, VCF_VMSG_ACT_NOTE, VCF_E_MBZ, "features",
                          16 + 4u * (size_t)i,
                          "feature bits past num_feature_bits are zero (taken as zero)", v & valid,
                          v, true);
            noted = true;
        }
        drv->offered[blk] = v & valid;
    }
    uint32_t next = f->block_index + f->num_blocks;
    if (next < feature_blocks(drv))
        return send_features(drv, out, true, next);
    choose_features(drv);
    return send_features(drv, out, false, 0);
}

static int on_vq_get(vcf_vmsg_driver *drv, const vcf_vmsg_vqueue *q, vcf_vmsg_output *out)
{
    uint32_t i = drv->req_a;
    if (q->max_size == 0) {
        /* VMSG-VQ-07: the queue does not exist; leave it alone. */
        drv->vq_next = i + 1u;
        return next_queue(drv, out);
    }
    if (q->cur_size != 0) {
        if (drv->req_b != 0) {
            vmsg_verdictv(out, R(VQ_10), NONE, VCF_VMSG_ACT_NOTE, VCF_E_STATE, "cur_size", 16,
                          "the queue is still configured after RESET_VQUEUE", 0, q->cur_size,
                          false);
            return fail_init(drv, out, true, drv->status);
        }
        vmsg_verdictv(out, R(VQ_06), NONE, VCF_VMSG_ACT_NOTE, VCF_E_STATE, "cur_size", 16,
                      "after a device reset every queue reports current size 0", 0, q->cur_size,
                      false);
        if (has_feature(drv, VCF_VIRTIO_F_RING_RESET)) /* VMSG-VQ-03 */
            return send_index(drv, out, VCF_VMSG_K_RESET_VQUEUE_REQ, i, S_VQ_RESET, 0);
        return fail_init(drv, out, true, drv->status); /* VMSG-VQ-01: not inactive */
    }
    return send_set_vqueue(drv, out, i, q->max_size);
}

static int on_vq_verify(vcf_vmsg_driver *drv, const vcf_vmsg_vqueue *q, vcf_vmsg_output *out)
{
    /* VMSG-INIT-03: the device must hold what SET_VQUEUE gave it (VMSG-VQ-05). */
    uint32_t i = drv->req_a;
    uint64_t base = vq_base(drv, i);
    const char *field = NULL;
    uint64_t want = 0, got = 0;
    if (q->cur_size != drv->req_b)
        field = "cur_size", want = drv->req_b, got = q->cur_size;
    else if (q->desc_addr != base)
        field = "desc_addr", want = base, got = q->desc_addr;
    else if (q->driver_addr != base + VQ_DRIVER_AREA)
        field = "driver_addr", want = base + VQ_DRIVER_AREA, got = q->driver_addr;
    else if (q->device_addr != base + VQ_DEVICE_AREA)
        field = "device_addr", want = base + VQ_DEVICE_AREA, got = q->device_addr;
    if (field) {
        vmsg_verdictv(out, R(VQ_05), NONE, VCF_VMSG_ACT_NOTE, VCF_E_MISMATCH, field, 0,
                      "GET_VQUEUE does not show what SET_VQUEUE programmed", want, got, true);
        return fail_init(drv, out, true, drv->status);
    }
    vcf_vmsg_vq *vq = &drv->vqs[i];
    vq->state = drv->state == VCF_VMSG_DRV_READY ? VCF_VMSG_VQ_LIVE : VCF_VMSG_VQ_CONFIGURED;
    vq->size = q->cur_size;
    vq->desc_addr = q->desc_addr;
    vq->driver_addr = q->driver_addr;
    vq->device_addr = q->device_addr;
    drv->vq_next = i + 1u;
    return next_queue(drv, out);
}

static int on_write(vcf_vmsg_driver *drv, const vcf_vmsg_msg *m, vcf_vmsg_output *out)
{
    const vcf_vmsg_config *c = &m->u.config;
    if (c->offset != drv->req_a || c->length > drv->req_b) {
        bool off = c->offset != drv->req_a;
        vmsg_verdictv(out, R(GEN_04), NONE, VCF_VMSG_ACT_DROP, VCF_E_MISMATCH,
                      off ? "offset" : "length", off ? 12 : 16,
                      off ? "a SET_CONFIG response repeats the offset written"
                          : "a SET_CONFIG response applies at most the bytes written",
                      off ? drv->req_a : drv->req_b, off ? c->offset : c->length, false);
        return vmsg_finish(out, VCF_E_MISMATCH);
    }
    drv->generation = c->generation; /* VMSG-GEN-05 */
    drv->have_generation = true;
    if (c->length == 0) {
        /* Rejected, normally for a stale generation: fetch the range and its generation again
         * before the upper layer retries (VMSG-GEN-06, VMSG-R3-12). */
        vmsg_event(out, VCF_VMSG_EV_CONFIG_REJECTED, 0, drv->req_a, drv->req_b, c->generation);
        return read_begin(drv, out, S_OP_REFRESH, drv->req_a, drv->req_b);
    }
    memcpy(drv->config + c->offset, drv->pending, c->length); /* §9 A5: what was applied */
    vmsg_event(out, VCF_VMSG_EV_DONE, 0, c->offset, c->length, c->generation);
    return after_op(drv, out);
}

static int on_response(vcf_vmsg_driver *drv, const vcf_vmsg_msg *m, vcf_vmsg_output *out)
{
    int step = base_step(drv);
    if (drv->step & F_RESET) {
        /* The device asked for a reset while this request was in flight. */
        drv->step &= ~F_RESET;
        idle(drv);
        return start_reset(drv, out, true);
    }
    switch (step) {
    case S_INFO: return on_info(drv, m, out);
    case S_RESET: return on_reset(drv, out, m->u.status, S_RESET);
    case S_OP_RESET: return on_reset(drv, out, m->u.status, S_OP_RESET);
    case S_RESET_CHECK: return on_reset_check(drv, out, m->u.status);
    case S_ACK:
    case S_DRIVER:
    case S_FEATURES_OK:
    case S_DRIVER_OK: return on_init_status(drv, out, step, m->u.status);
    case S_FEAT_GET: return on_features(drv, m, out);
    case S_FEAT_SET: {
        uint32_t next = drv->req_a + drv->req_b;
        if (next < feature_blocks(drv))
            return send_features(drv, out, false, next);
        /* VMSG-INIT-02, VMSG-BASE-01: features settled, then FEATURES_OK. */
        return send_status(drv, out, ST_FOK, S_FEATURES_OK);
    }
    case S_CFG_INIT:
    case S_OP_READ:
    case S_OP_REFRESH:
    case S_OP_REREAD: return on_config_chunk(drv, m, out, step);
    case S_VQ_RESET:
    case S_VQ_SET:
        return send_index(drv, out, VCF_VMSG_K_GET_VQUEUE_REQ, drv->req_a,
                          step == S_VQ_SET ? S_VQ_VERIFY : S_VQ_GET,
                          step == S_VQ_SET ? drv->req_b : 1);
    case S_FAILED:
        drv->status = m->u.status;
        idle(drv);
        return VCF_OK;
    case S_OP_WRITE: return on_write(drv, m, out);
    case S_OP_RESET_VQ:
        return send_index(drv, out, VCF_VMSG_K_GET_VQUEUE_REQ, drv->req_a, S_OP_VQ_CHECK, 0);
    case S_OP_STATUS:
    case S_OP_DIAG:
        drv->status = m->u.status;
        if (step == S_OP_STATUS)
            vmsg_event(out, VCF_VMSG_EV_DONE, 0, 0, 0, m->u.status);
        if (m->u.status & VCF_VIRTIO_STATUS_DEVICE_NEEDS_RESET) {
            idle(drv);
            return needs_reset(drv, out);
        }
        return after_op(drv, out);
    case S_OP_SHM:
        vmsg_event(out, VCF_VMSG_EV_SHM, m->u.shm.index, 0, m->u.shm.length, m->u.shm.address);
        return after_op(drv, out);
    default: return vmsg_finish(out, VCF_E_STATE);
    }
}

/* Responses that echo an index: GET_VQUEUE (VMSG-VQ-06) and GET_SHM (VMSG-SHM-01). */
static int on_indexed(vcf_vmsg_driver *drv, const vcf_vmsg_msg *m, vcf_vmsg_output *out)
{
    bool vq = m->kind == VCF_VMSG_K_GET_VQUEUE_RESP;
    uint32_t index = vq ? m->u.vqueue.index : m->u.shm.index;
    if (index != drv->req_a) {
        vmsg_verdictv(out, vq ? R(VQ_06) : R(SHM_01), NONE, VCF_VMSG_ACT_DROP, VCF_E_MISMATCH,
                      "index", 8, "the response repeats the index asked for", drv->req_a, index,
                      false);
        return vmsg_finish(out, VCF_E_MISMATCH);
    }
    if (!vq || (drv->step & F_RESET))
        return on_response(drv, m, out);
    switch (base_step(drv)) {
    case S_VQ_GET: return on_vq_get(drv, &m->u.vqueue, out);
    case S_VQ_VERIFY: return on_vq_verify(drv, &m->u.vqueue, out);
    default: { /* S_OP_VQ_CHECK: VMSG-BASE-14, the reset took effect */
        uint32_t i = drv->req_a;
        if (m->u.vqueue.cur_size != 0)
            vmsg_verdictv(out, R(VQ_10), NONE, VCF_VMSG_ACT_NOTE, VCF_E_STATE, "cur_size", 16,
                          "the queue is still configured after RESET_VQUEUE", 0,
                          m->u.vqueue.cur_size, false);
        memset(&drv->vqs[i], 0, sizeof drv->vqs[i]);
        vmsg_event(out, VCF_VMSG_EV_DONE, i, 0, 0, m->u.vqueue.cur_size);
        return after_op(drv, out);
    }
    }
}

/* ---- receive: events --------------------------------------------------------------------- */

static int on_event_config(vcf_vmsg_driver *drv, const vcf_vmsg_msg *m, vcf_vmsg_output *out)
{
    const vcf_vmsg_event_config *ec = &m->u.event_config;
    bool bound = drv->state == VCF_VMSG_DRV_INIT || drv->state == VCF_VMSG_DRV_READY;
    if (bound && ec->length > 0 && drv->have_info &&
        (uint64_t)ec->offset + ec->length > drv->info.config_size) {
        /* VMSG-INFO-03: config_size from the device info bounds the space. */
        vmsg_verdictv(out, R(INFO_03), NONE, VCF_VMSG_ACT_DROP, VCF_E_RANGE, "length", 20,
                      "the data reaches past the config_size of the device info",
                      drv->info.config_size, (uint64_t)ec->offset + ec->length, false);
        return vmsg_finish(out, VCF_E_RANGE);
    }
    bool moved = !drv->have_generation || ec->generation != drv->generation; /* §9 A16 */
    drv->generation = ec->generation;                                        /* VMSG-GEN-05 */
    drv->have_generation = true;
    if (!bound)
        return VCF_OK; /* nothing bound to the device: only the generation is kept */
    drv->status = ec->device_status;
    if (moved && drv->busy && is_read_step(base_step(drv)))
        drv->step |= F_DIRTY;
    if (ec->length > 0 && drv->have_info) {
        /* VMSG-CFG-04: the data brings the view up to date. */
        uint32_t view = view_size(drv);
        if (ec->offset < view) {
            uint32_t n = view - ec->offset < ec->length ? view - ec->offset : ec->length;
            memcpy(drv->config + ec->offset, ec->data.ptr, n);
        }
        vmsg_event(out, VCF_VMSG_EV_CONFIG_CHANGED, 0, ec->offset, ec->length, ec->generation);
    } else if (ec->length == 0 && moved && drv->have_info && view_size(drv) > 0 &&
               !(ec->device_status & VCF_VIRTIO_STATUS_DEVICE_NEEDS_RESET)) {
        /* §9 A6: no data and a new generation: read the whole space again (VMSG-CFG-04). */
        if (!drv->cfg.read_config)
            vmsg_event(out, VCF_VMSG_EV_CONFIG_CHANGED, 0, 0, 0, ec->generation);
        else if (drv->state == VCF_VMSG_DRV_READY && !drv->busy)
            return read_begin(drv, out, S_OP_REREAD, 0, view_size(drv));
        else
            drv->step |= F_REREAD;
    }
    if (ec->device_status & VCF_VIRTIO_STATUS_DEVICE_NEEDS_RESET)
        return needs_reset(drv, out); /* VMSG-RESET-02 */
    return VCF_OK;
}

static int on_event_used(vcf_vmsg_driver *drv, const vcf_vmsg_msg *m, vcf_vmsg_output *out)
{
    uint32_t i = m->u.index;
    if (drv->state != VCF_VMSG_DRV_READY)
        return vmsg_drop(out, R(BASE_06), NONE, VCF_E_STATE, "vq_index", 8,
                         "no used-buffer notification before DRIVER_OK");
    if (i >= VCF_VMSG_MAX_VQS || drv->vqs[i].state == VCF_VMSG_VQ_INACTIVE)
        return vmsg_drop(out, R(NOTIF_09), NONE, VCF_E_NOTFOUND, "vq_index", 8,
                         "EVENT_USED names a queue the driver has not set up");
    vmsg_event(out, VCF_VMSG_EV_USED, i, 0, 0, 0); /* VMSG-NOTIF-09 */
    return VCF_OK;
}

/* ---- receive ----------------------------------------------------------------------------- */

int vcf_vmsg_driver_rx(vcf_vmsg_driver *drv, const uint8_t *buf, size_t len, vcf_vmsg_output *out)
{
    vmsg_out_reset(out, &drv->arena);
    if (drv->state == VCF_VMSG_DRV_REMOVED)
        return vmsg_drop(out, R(EVDEV_01), NONE, VCF_E_STATE, NULL, 0,
                         "the device was removed: the driver has stopped");

    vcf_vmsg_params params;
    vmsg_params(&drv->cfg.link, &params);
    params.allow_padding = true; /* bus framing past msg_size is ignored (VMSG-R3-13) */
    vcf_vmsg_msg m;
    vcf_error perr;
    int rc = vcf_vmsg_parse(buf, len, &params, &m, &perr);
    if (rc != VCF_OK) {
        vcf_vmsg_rule rule = invalid_rule(drv);
        vcf_error *e =
            vmsg_verdict(out, rule, NONE, VCF_VMSG_ACT_DROP, perr.code, perr.field, 0, NULL);
        if (e) {
            *e = perr;
            e->rule = vcf_vmsg_rule_id(rule);
        }
        return vmsg_finish(out, rc);
    }
    const vcf_vmsg_hdr *h = &m.hdr;
    if (h->type & VCF_VMSG_TYPE_BUS)
        return vmsg_drop(out, invalid_rule(drv), NONE, VCF_E_UNKNOWN_ID, "type", 0,
                         "a bus message: the bus, not the transport driver, handles it");
    if (m.kind == VCF_VMSG_K_IMPL_DEFINED)
        return vmsg_drop(out, R(REV_04), NONE, VCF_E_UNSUPPORTED, "msg_id", 1,
                         "an implementation-defined message this driver does not support");

    bool response = (h->type & VCF_VMSG_TYPE_RESPONSE) != 0;
    bool event = !response && h->msg_id >= 0x40;
    if (!response && !event)
        return vmsg_drop(out, invalid_rule(drv), NONE, VCF_E_BAD_KIND, "type", 0,
                         "a request: the device sends the driver only responses and events");

    if (event) {
        if (m.kind == VCF_VMSG_K_EVENT_AVAIL)
            return vmsg_drop(out, invalid_rule(drv), NONE, VCF_E_BAD_KIND, "msg_id", 1,
                             "EVENT_AVAIL goes from the driver to the device");
        if (drv->cfg.link.profile == VCF_VMSG_PROFILE_LINUX && h->type != 0) {
            vmsg_verdictv(out, R(HDR_01), R(HDR_16), VCF_VMSG_ACT_DEVIATE, VCF_E_RESERVED, "type",
                          0, "Linux drops an event whose type byte is not exactly 0x00", 0, h->type,
                          true);
            return vmsg_finish(out, VCF_E_RESERVED);
        }
        if (h->dev_num != drv->cfg.dev_num)
            return vmsg_drop(out, R(HDR_08), NONE, VCF_E_MISMATCH, "dev_num", 2,
                             "an event from another device number");
    } else {
        /* The one request in flight: same ID, device and (RFC3) token; the type is the
         * request's with the response bit, reserved bits ignored (VMSG-HDR-01). PR28 leaves the
         * token to the bus, so it is not looked at (VMSG-HDR-05). */
        if (!drv->busy)
            return vmsg_drop(out, unmatched_rule(drv), NONE, VCF_E_MISMATCH, "msg_id", 1,
                             "a response while no request is in flight");
        if ((h->type & ~(uint32_t)VCF_VMSG_TYPE_RESERVED) !=
                ((uint32_t)drv->req_type | VCF_VMSG_TYPE_RESPONSE) ||
            h->msg_id != drv->req_id || h->dev_num != drv->cfg.dev_num)
            return vmsg_drop(out, unmatched_rule(drv), NONE, VCF_E_MISMATCH,
                             h->msg_id != drv->req_id ? "msg_id" : "dev_num",
                             h->msg_id != drv->req_id ? 1 : 2,
                             "a response that matches no request in flight");
        if (rfc3(drv) && h->token == 0)
            return vmsg_drop(out, R(R3_01), NONE, VCF_E_MISMATCH, "token", 4,
                             "RFC3: a response carries its request's non-zero token");
        if (rfc3(drv) && h->token != drv->req_token)
            return vmsg_drop(out, R(R3_02), NONE, VCF_E_MISMATCH, "token", 4,
                             "RFC3: a response repeats its request's token");
    }

    /* Accepted: the rules the codec found broken are the peer's; the model goes on. */
    vmsg_codec_verdicts(&m, &params, VCF_VMSG_ACT_NOTE, out);
    if (h->type & VCF_VMSG_TYPE_RESERVED)
        vmsg_verdictv(out, R(HDR_01), NONE, VCF_VMSG_ACT_NOTE, VCF_E_RESERVED, "type", 0,
                      "reserved type bits ignored", h->type & ~(uint32_t)VCF_VMSG_TYPE_RESERVED,
                      h->type, true);

    if (event)
        return m.kind == VCF_VMSG_K_EVENT_CONFIG ? on_event_config(drv, &m, out)
                                                 : on_event_used(drv, &m, out);
    if (m.kind == VCF_VMSG_K_GET_VQUEUE_RESP || m.kind == VCF_VMSG_K_GET_SHM_RESP)
        return on_indexed(drv, &m, out);
    return on_response(drv, &m, out);
}

int vcf_vmsg_driver_timeout(vcf_vmsg_driver *drv, vcf_vmsg_output *out)
{
    vmsg_out_reset(out, &drv->arena);
    if (!drv->busy)
        return vmsg_finish(out, VCF_E_STATE);
    int step = base_step(drv);
    drv->busy = false;
    if (drv->step & F_RESET) {
        drv->step &= ~F_RESET;
        return start_reset(drv, out, true);
    }
    if (drv->state == VCF_VMSG_DRV_INIT) {
        vmsg_verdict(out, R(BASE_03), NONE, VCF_VMSG_ACT_NOTE, VCF_E_TIMEOUT, NULL, 0,
                     "a request of the initialisation was not answered: initialisation stops");
        return fail_init(drv, out, step != S_INFO, drv->status);
    }
    if (drv->state != VCF_VMSG_DRV_READY) {
        stop(drv);
        return VCF_OK;
    }
    /* Operation: the request is abandoned; ask for the status to see what happened
     * (VMSG-STATUS-01), unless that is what went unanswered. */
    if (step == S_OP_VQ_CHECK || step == S_OP_RESET_VQ)
        memset(&drv->vqs[drv->req_a], 0, sizeof drv->vqs[drv->req_a]);
    if (step == S_OP_STATUS || step == S_OP_DIAG)
        return after_op(drv, out);
    set_step(drv, S_NONE);
    return send_get_status(drv, out, S_OP_DIAG, 0);
}

/* ---- upper layer ------------------------------------------------------------------------- */

/* Checks every upper-layer request shares. Returns VCF_OK when it may go ahead. */
static int may_request(vcf_vmsg_driver *drv, vcf_vmsg_output *out)
{
    vmsg_out_reset(out, &drv->arena);
    if (drv->state == VCF_VMSG_DRV_REMOVED)
        return vmsg_refuse(out, R(EVDEV_01), VCF_E_STATE, NULL,
                           "the device was removed: no new work");
    if (drv->busy)
        return vmsg_finish(out, VCF_E_AGAIN);
    return VCF_OK;
}

int vcf_vmsg_driver_start(vcf_vmsg_driver *drv, vcf_vmsg_output *out)
{
    vmsg_out_reset(out, &drv->arena);
    /* Starting again while initialising or running is a repeated READY: nothing to do
     * (VMSG-EVDEV-03). After a removal it is the probe of a device back on the bus
     * (VMSG-EVDEV-02); after FAILED the initialisation begins with a reset (VMSG-BASE-05). */
    if (drv->state == VCF_VMSG_DRV_INIT || drv->state == VCF_VMSG_DRV_READY)
        return VCF_OK;
    if (drv->busy)
        return vmsg_finish(out, VCF_E_AGAIN);
    return start_init(drv, out);
}

int vcf_vmsg_driver_config_read(vcf_vmsg_driver *drv, uint32_t offset, uint32_t len,
                                vcf_vmsg_output *out)
{
    int rc = may_request(drv, out);
    if (rc != VCF_OK)
        return rc;
    if (!drv->have_info || drv->state != VCF_VMSG_DRV_READY)
        return vmsg_refuse(out, R(INFO_01), VCF_E_STATE, NULL,
                           "the device is not initialised: no config_size to bound the read");
    if (len == 0 || (uint64_t)offset + len > drv->info.config_size)
        return vmsg_refuse(out, R(CFG_01), len == 0 ? VCF_E_INVAL : VCF_E_RANGE, "length",
                           "a config read lies within config_size and is not empty");
    if ((uint64_t)offset + len > view_size(drv))
        return vmsg_finish(out, VCF_E_NOSPACE);
    return read_begin(drv, out, S_OP_READ, offset, len);
}

int vcf_vmsg_driver_config_write(vcf_vmsg_driver *drv, uint32_t offset, const void *data,
                                 uint32_t len, vcf_vmsg_output *out)
{
    int rc = may_request(drv, out);
    if (rc != VCF_OK)
        return rc;
    if (drv->state != VCF_VMSG_DRV_READY) /* VMSG-CFG-03: after initialisation */
        return vmsg_refuse(out, R(BASE_01), VCF_E_STATE, NULL,
                           "no configuration writes before FEATURES_OK is accepted");
    if (len == 0 || !data || (uint64_t)offset + len > drv->info.config_size)
        return vmsg_refuse(out, R(CFG_01), len == 0 || !data ? VCF_E_INVAL : VCF_E_RANGE, "length",
                           "a config write lies within config_size and is not empty");
    if ((uint64_t)offset + len > view_size(drv))
        return vmsg_finish(out, VCF_E_NOSPACE);
    if (len > drv->cfg.link.max_msg_size - CONFIG_OVERHEAD)
        return vmsg_refuse(out, R(SIZE_01), VCF_E_TOO_LARGE, "length",
                           "the SET_CONFIG would exceed the bus maximum message size");
    if (!drv->have_generation)
        return vmsg_refuse(out, R(GEN_05), VCF_E_STATE, "generation",
                           "no generation seen yet: read the configuration first");
    memcpy(drv->pending, data, len);
    drv->pending_off = offset;
    drv->pending_len = len;
    vcf_vmsg_msg m;
    begin(drv, &m, VCF_VMSG_K_SET_CONFIG_REQ);
    m.u.config.generation = drv->generation; /* VMSG-GEN-05 */
    m.u.config.offset = offset;
    m.u.config.length = len;
    m.u.config.data.ptr = drv->pending;
    m.u.config.data.len = len;
    return request(drv, out, &m, S_OP_WRITE, offset, len);
}

int vcf_vmsg_driver_notify(vcf_vmsg_driver *drv, uint32_t vq, uint32_t next_offset,
                           vcf_vmsg_output *out)
{
    /* EVENT_AVAIL is an event: it needs no response, so a request in flight does not hold it
     * back. */
    vmsg_out_reset(out, &drv->arena);
    if (drv->state == VCF_VMSG_DRV_REMOVED)
        return vmsg_refuse(out, R(EVDEV_01), VCF_E_STATE, NULL,
                           "the device was removed: no new work");
    if (drv->state != VCF_VMSG_DRV_READY) {
        vmsg_verdict(out, R(BASE_04), NONE, VCF_VMSG_ACT_REFUSE, VCF_E_STATE, NULL, 0,
                     "no available-buffer notification before DRIVER_OK");
        return vmsg_refuse(out, R(FINAL_02), VCF_E_STATE, NULL,
                           "no I/O before the device has accepted DRIVER_OK");
    }
    if (vq >= VCF_VMSG_MAX_VQS || drv->vqs[vq].state == VCF_VMSG_VQ_INACTIVE)
        return vmsg_refuse(out, R(FINAL_03), VCF_E_NOTFOUND, "vq_index",
                           "no notification for a queue that SET_VQUEUE did not configure");
    vcf_vmsg_msg m;
    begin(drv, &m, VCF_VMSG_K_EVENT_AVAIL); /* VMSG-NOTIF-01, VMSG-NOTIF-02 */
    m.u.event_avail.vq_index = vq;
    /* VMSG-NOTIF-03: the position only with NOTIFICATION_DATA, else 0. */
    m.u.event_avail.next_offset =
        has_feature(drv, VCF_VIRTIO_F_NOTIFICATION_DATA) ? next_offset : 0;
    int rc = vmsg_emit(&drv->arena, out, VCF_VMSG_TO_PEER, &m, drv->cfg.link.max_msg_size);
    return vmsg_finish(out, rc);
}

int vcf_vmsg_driver_reset_vq(vcf_vmsg_driver *drv, uint32_t vq, vcf_vmsg_output *out)
{
    int rc = may_request(drv, out);
    if (rc != VCF_OK)
        return rc;
    if (drv->state != VCF_VMSG_DRV_READY || !has_feature(drv, VCF_VIRTIO_F_RING_RESET))
        return vmsg_refuse(out, R(VQ_04),
                           drv->state != VCF_VMSG_DRV_READY ? VCF_E_STATE : VCF_E_UNSUPPORTED, NULL,
                           "RESET_VQUEUE only with VIRTIO_F_RING_RESET negotiated");
    if (vq >= VCF_VMSG_MAX_VQS || drv->vqs[vq].state == VCF_VMSG_VQ_INACTIVE)
        return vmsg_refuse(out, R(VQ_04), VCF_E_NOTFOUND, "vq_index",
                           "only a configured queue needs a reset");
    drv->vqs[vq].state = VCF_VMSG_VQ_INACTIVE; /* no notifications while it resets */
    return send_index(drv, out, VCF_VMSG_K_RESET_VQUEUE_REQ, vq, S_OP_RESET_VQ, 0);
}

int vcf_vmsg_driver_setup_vq(vcf_vmsg_driver *drv, uint32_t vq, vcf_vmsg_output *out)
{
    int rc = may_request(drv, out);
    if (rc != VCF_OK)
        return rc;
    if (drv->state != VCF_VMSG_DRV_READY)
        return vmsg_refuse(out, R(FINAL_01), VCF_E_STATE, NULL,
                           "queues are added after initialisation, or by initialisation itself");
    if (vq >= VCF_VMSG_MAX_VQS || vq >= drv->info.max_virtqueues)
        return vmsg_refuse(out, R(VQ_07), VCF_E_NOTFOUND, "vq_index",
                           "the device has no such queue");
    if (drv->vqs[vq].state != VCF_VMSG_VQ_INACTIVE)
        return vmsg_refuse(out, R(VQ_03), VCF_E_INUSE, "vq_index",
                           "the queue is configured: reset it first");
    /* VMSG-VQ-11, BASE-14: the same steps as during initialisation, GET_VQUEUE first. */
    rc = send_index(drv, out, VCF_VMSG_K_GET_VQUEUE_REQ, vq, S_VQ_GET, 0);
    drv->step |= F_SETUP;
    return rc;
}

int vcf_vmsg_driver_get_status(vcf_vmsg_driver *drv, vcf_vmsg_output *out)
{
    int rc = may_request(drv, out);
    if (rc != VCF_OK)
        return rc;
    if (drv->state == VCF_VMSG_DRV_NO_DEVICE)
        return vmsg_finish(out, VCF_E_STATE);
    return send_get_status(drv, out, S_OP_STATUS, 0); /* VMSG-STATUS-01 */
}

int vcf_vmsg_driver_get_shm(vcf_vmsg_driver *drv, uint32_t index, vcf_vmsg_output *out)
{
    int rc = may_request(drv, out);
    if (rc != VCF_OK)
        return rc;
    if (drv->state != VCF_VMSG_DRV_READY)
        return vmsg_finish(out, VCF_E_STATE);
    return send_index(drv, out, VCF_VMSG_K_GET_SHM_REQ, index, S_OP_SHM, 0);
}

int vcf_vmsg_driver_reset(vcf_vmsg_driver *drv, bool reinit, vcf_vmsg_output *out)
{
    int rc = may_request(drv, out);
    if (rc != VCF_OK)
        return rc;
    if (drv->state == VCF_VMSG_DRV_NO_DEVICE)
        return vmsg_finish(out, VCF_E_STATE);
    return start_reset(drv, out, reinit);
}

int vcf_vmsg_driver_removed(vcf_vmsg_driver *drv, vcf_vmsg_output *out)
{
    /* VMSG-EVDEV-01: stop, forget the request in flight and the queues; the device is gone, so
     * there is nobody to reset. A repeated removal changes nothing (VMSG-EVDEV-03). */
    vmsg_out_reset(out, &drv->arena);
    drv->state = VCF_VMSG_DRV_REMOVED;
    stop(drv);
    memset(drv->negotiated, 0, sizeof drv->negotiated);
    clear_queues(drv);
    return VCF_OK;
}

/* ---- accessors --------------------------------------------------------------------------- */

vcf_vmsg_driver_state vcf_vmsg_driver_state_of(const vcf_vmsg_driver *drv)
{
    return drv->state;
}

const char *vcf_vmsg_driver_state_name(vcf_vmsg_driver_state state)
{
    static const char *const names[] = {"idle", "init", "ready", "failed", "no-device", "removed"};
    return (unsigned)state < sizeof names / sizeof *names ? names[state] : "unknown";
}

uint32_t vcf_vmsg_driver_negotiated(const vcf_vmsg_driver *drv, uint32_t block)
{
    return block < VCF_VMSG_MAX_FEATURE_BLOCKS ? drv->negotiated[block] : 0;
}

uint32_t vcf_vmsg_driver_generation(const vcf_vmsg_driver *drv)
{
    return drv->generation;
}

const uint8_t *vcf_vmsg_driver_config_view(const vcf_vmsg_driver *drv)
{
    return drv->config;
}

const vcf_vmsg_vq *vcf_vmsg_driver_vq(const vcf_vmsg_driver *drv, uint32_t index)
{
    return index < VCF_VMSG_MAX_VQS ? &drv->vqs[index] : NULL;
}
