/* SPDX-License-Identifier: MIT */
/*
 * The virtio-msg device model (see vmsg_model.h).
 *
 * Layout: configuration; the receive path (parse, header checks, then one handler per request);
 * the device's own actions (config change, failure, used buffers). Each decision names the rule
 * it rests on; where the drafts leave a choice open, the link options decide (A-numbers refer
 * to virtio-msg-rules.md §9 and docs/rules/virtio-msg.md).
 */
#include <string.h>

#include "vmsg_model_internal.h"
#include "wire_internal.h"

#define S_ACK  VCF_VIRTIO_STATUS_ACKNOWLEDGE
#define S_DRV  VCF_VIRTIO_STATUS_DRIVER
#define S_OK   VCF_VIRTIO_STATUS_DRIVER_OK
#define S_FEAT VCF_VIRTIO_STATUS_FEATURES_OK
#define S_NR   VCF_VIRTIO_STATUS_DEVICE_NEEDS_RESET
#define S_FAIL VCF_VIRTIO_STATUS_FAILED

/* ---- configuration ------------------------------------------------------------------------- */

void vcf_vmsg_device_config_default(vcf_vmsg_device_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    vcf_vmsg_link_default(&cfg->link);
    cfg->dev_num = 1;
    cfg->device_id = 1; /* network device */
    cfg->vendor_id = 0x554D4551u;
    cfg->num_feature_bits = 64;
    cfg->offered[1] =
        (1u << (VCF_VIRTIO_F_VERSION_1 - 32)) | (1u << (VCF_VIRTIO_F_RING_RESET - 32));
    cfg->config_size = 12;
    static const uint8_t mac_status_mtu[12] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
                                               0x01, 0x00, 0x01, 0x00, 0xdc, 0x05};
    memcpy(cfg->config, mac_status_mtu, sizeof mac_status_mtu);
    cfg->max_virtqueues = 3;
    for (unsigned i = 0; i < 3; i++)
        cfg->vq_max_size[i] = 256;
}

static int config_error(vcf_error *err, const char *field, const char *detail, uint64_t limit,
                        uint64_t value)
{
    vcf_failv(err, VCF_E_INVAL, field, 0, detail, limit, value);
    return VCF_E_INVAL;
}

static void device_reset(vcf_vmsg_device *d)
{
    d->status = 0;
    memset(d->driver_features, 0, sizeof d->driver_features);
    d->features_written = false;
    d->unsupported_written = false;
    memset(d->vqs, 0, sizeof d->vqs);
    /* The generation is kept (VMSG-GEN-07); the configuration space is the device's own. */
}

int vcf_vmsg_device_init(vcf_vmsg_device *d, const vcf_vmsg_device_config *cfg, vcf_error *err)
{
    int rc = vmsg_link_check(&cfg->link, err);
    if (rc != VCF_OK)
        return rc;
    if (cfg->num_feature_bits % 32 || cfg->num_feature_bits > 32 * VCF_VMSG_MAX_FEATURE_BLOCKS)
        return config_error(err, "num_feature_bits", "a multiple of 32, at most 512",
                            32 * VCF_VMSG_MAX_FEATURE_BLOCKS, cfg->num_feature_bits);
    for (unsigned b = 0; b < VCF_VMSG_MAX_FEATURE_BLOCKS; b++) {
        if (b >= cfg->num_feature_bits / 32 && cfg->offered[b])
            return config_error(err, "offered", "offered bits beyond num_feature_bits", 0,
                                cfg->offered[b]);
        if (cfg->required[b] & ~cfg->offered[b])
            return config_error(err, "required", "required bits must be offered", 0,
                                cfg->required[b] & ~cfg->offered[b]);
    }
    if (cfg->config_size > VCF_VMSG_MAX_CONFIG)
        return config_error(err, "config_size", "at most 4096", VCF_VMSG_MAX_CONFIG,
                            cfg->config_size);
    if (cfg->max_virtqueues > VCF_VMSG_MAX_VQS)
        return config_error(err, "max_virtqueues", "at most 64", VCF_VMSG_MAX_VQS,
                            cfg->max_virtqueues);
    for (unsigned i = 0; i < cfg->max_virtqueues; i++)
        if (cfg->vq_max_size[i] > 32768)
            return config_error(err, "vq_max_size", "queue sizes are at most 32768", 32768,
                                cfg->vq_max_size[i]);
    if (cfg->num_shm > VCF_VMSG_MAX_SHM)
        return config_error(err, "num_shm", "at most 16", VCF_VMSG_MAX_SHM, cfg->num_shm);
    memset(d, 0, offsetof(vcf_vmsg_device, scratch));
    d->cfg = *cfg;
    memcpy(d->config, cfg->config, sizeof d->config);
    d->generation = cfg->link.opt.gen_init;
    device_reset(d);
    return VCF_OK;
}

void vcf_vmsg_device_set_active(vcf_vmsg_device *d, bool active)
{
    d->cfg.inactive = !active;
}

/* ---- helpers ------------------------------------------------------------------------------- */

static bool profile(const vcf_vmsg_device *d, vcf_vmsg_profile p)
{
    return d->cfg.link.profile == p;
}

static bool negotiated(const vcf_vmsg_device *d, unsigned bit)
{
    return (d->status & S_FEAT) && vmsg_bit(d->driver_features, bit);
}

static bool vq_valid(const vcf_vmsg_device *d, uint32_t i)
{
    return i < d->cfg.max_virtqueues && d->cfg.vq_max_size[i] != 0;
}

/* The token a response carries: RFC3 echoes it (VMSG-R3-01); in PR28 the bus owns it and the
 * device copies it unless told otherwise (A13). */
static uint16_t reply_token(const vcf_vmsg_device *d, uint16_t token)
{
    return d->cfg.link.rev == VCF_VMSG_REV_RFC3 || d->cfg.link.opt.echo_token ? token : 0;
}

static void reply_init(const vcf_vmsg_device *d, const vcf_vmsg_msg *req, vcf_vmsg_msg *resp)
{
    (void)vcf_vmsg_init(resp, (vcf_vmsg_kind)(req->kind + 1), d->cfg.dev_num,
                        reply_token(d, req->hdr.token));
}

/* Send a response. A response that cannot fit the bus maximum is not sent (VMSG-SIZE-02). */
static int reply(vcf_vmsg_device *d, const vcf_vmsg_msg *resp, vcf_vmsg_output *out)
{
    int rc = vmsg_emit(&d->arena, out, VCF_VMSG_TO_PEER, resp, d->cfg.link.max_msg_size);
    if (rc == VCF_E_TOO_LARGE)
        return vmsg_drop(out, R(SIZE_02), NONE, VCF_E_TOO_LARGE, "msg_size", 6,
                         "the response would exceed the maximum message size");
    VCF_ASSUME(rc == VCF_OK);
    return vmsg_finish(out, VCF_OK);
}

/* OP-TEE answers what it should drop with a header-only response (VMSG-ERR-06). */
static void null_reply(vcf_vmsg_device *d, uint8_t msg_id, uint16_t token, vcf_vmsg_output *out)
{
    uint8_t h[VCF_VMSG_HDR_SIZE] = {VCF_VMSG_TYPE_RESPONSE, msg_id};
    vcf_st16le(h + 2, d->cfg.dev_num);
    vcf_st16le(h + 4, token);
    vcf_st16le(h + 6, VCF_VMSG_HDR_SIZE);
    vmsg_emit_raw(&d->arena, out, VCF_VMSG_TO_PEER, h, sizeof h);
}

/* Discard a message without reply (VMSG-ERR-04), or answer it as OP-TEE does. */
static int discard(vcf_vmsg_device *d, const uint8_t *buf, size_t len, vcf_status code,
                   const char *field, size_t offset, const char *detail, vcf_vmsg_output *out)
{
    if (profile(d, VCF_VMSG_PROFILE_OPTEE)) {
        vmsg_verdict(out, R(ERR_04), R(ERR_06), VCF_VMSG_ACT_DEVIATE, code, field, offset, detail);
        null_reply(d, len > 1 ? buf[1] : 0, len >= 6 ? vcf_ld16le(buf + 4) : 0, out);
        return vmsg_finish(out, code);
    }
    return vmsg_drop(out, R(ERR_04), NONE, code, field, offset, detail);
}

/* A driver request the current state does not allow (A14): noted, then either answered with
 * nothing changed (returns false) or applied anyway (returns true). */
static bool violation(vcf_vmsg_device *d, vcf_vmsg_rule rule, const char *field, size_t offset,
                      const char *detail, vcf_vmsg_output *out)
{
    vmsg_verdict(out, rule, NONE, VCF_VMSG_ACT_NOTE, VCF_E_STATE, field, offset, detail);
    return d->cfg.link.opt.on_violation == VCF_VMSG_VIOLATION_APPLY;
}

static void violationv(vcf_vmsg_output *out, vcf_vmsg_rule rule, vcf_status code, const char *field,
                       size_t offset, const char *detail, uint64_t expected, uint64_t actual)
{
    vmsg_verdictv(out, rule, NONE, VCF_VMSG_ACT_NOTE, code, field, offset, detail, expected, actual,
                  true);
}

/* ---- requests ------------------------------------------------------------------------------ */

#define P VCF_VMSG_HDR_SIZE /* payload offset, for verdict offsets */

static int get_device_info(vcf_vmsg_device *d, const vcf_vmsg_msg *req, vcf_vmsg_output *out)
{
    vcf_vmsg_msg r;
    reply_init(d, req, &r);
    if (!d->cfg.inactive) { /* an inactive device answers with every field 0 (A2) */
        vcf_vmsg_device_info *i = &r.u.device_info;
        i->device_id = d->cfg.device_id;
        i->vendor_id = d->cfg.vendor_id;
        i->num_feature_bits = d->cfg.num_feature_bits;
        i->config_size = d->cfg.config_size;
        i->max_virtqueues = d->cfg.max_virtqueues;
        i->admin_vq_start = d->cfg.admin_vq_start;
        i->admin_vq_count = d->cfg.admin_vq_count;
    }
    return reply(d, &r, out);
}

/* Block b as GET_DEVICE_FEATURES reports it: 0 past the implemented blocks (VMSG-FEAT-01). */
static uint32_t feature_block(const vcf_vmsg_device *d, uint64_t b)
{
    if (b >= d->cfg.num_feature_bits / 32)
        return 0;
    if (d->cfg.link.opt.report == VCF_VMSG_REPORT_ACKED && d->features_written)
        return d->driver_features[b] & d->cfg.offered[b]; /* A4 */
    return d->cfg.offered[b];
}

static int get_features(vcf_vmsg_device *d, const vcf_vmsg_msg *req, vcf_vmsg_output *out)
{
    uint64_t n = req->u.features.num_blocks;
    uint64_t fit =
        (d->cfg.link.max_msg_size - vmsg_fixed_size(VCF_VMSG_K_GET_DEVICE_FEATURES_RESP)) / 4u;
    if (n > fit) { /* A15 */
        if (d->cfg.link.opt.oversize == VCF_VMSG_OVERSIZE_DISCARD)
            return vmsg_drop(out, R(SIZE_02), NONE, VCF_E_TOO_LARGE, "num_blocks", P + 4,
                             "the response would exceed the maximum message size");
        vmsg_verdictv(out, R(SIZE_02), NONE, VCF_VMSG_ACT_NOTE, VCF_E_TOO_LARGE, "num_blocks",
                      P + 4, "answered with as many blocks as fit", fit, n, false);
        n = fit;
    }
    vcf_vmsg_msg r;
    reply_init(d, req, &r);
    r.u.features.block_index = req->u.features.block_index;
    r.u.features.num_blocks = (uint32_t)n;
    for (uint64_t k = 0; k < n; k++)
        vcf_st32le(d->scratch + 4 * k, feature_block(d, req->u.features.block_index + k));
    r.u.features.blocks.ptr = d->scratch;
    r.u.features.blocks.len = (size_t)(4 * n);
    return reply(d, &r, out);
}

static int set_features(vcf_vmsg_device *d, const vcf_vmsg_msg *req, vcf_vmsg_output *out)
{
    bool apply = true;
    if (d->status & S_FEAT)
        apply = violation(d, R(BASE_02), "status", P,
                          "feature bits written after FEATURES_OK was set", out);
    else if (!(d->status & S_DRV))
        apply = violation(d, R(BASE_01), "status", P,
                          "feature bits written before ACKNOWLEDGE and DRIVER", out);
    if (apply) {
        const vcf_vmsg_features *f = &req->u.features;
        for (uint32_t k = 0; k < f->num_blocks; k++) {
            uint64_t b = (uint64_t)f->block_index + k;
            uint32_t v = vcf_vmsg_feature_block(f, k);
            if (b < VCF_VMSG_MAX_FEATURE_BLOCKS)
                d->driver_features[b] = v;
            else if (v)
                d->unsupported_written = true;
        }
        d->features_written = true; /* VMSG-FEAT-06: the acknowledged set */
        vmsg_event(out, VCF_VMSG_EV_FEATURES, f->block_index, 0, f->num_blocks, 0);
    }
    vcf_vmsg_msg r;
    reply_init(d, req, &r);
    return reply(d, &r, out);
}

/* The part of [offset, offset + length) inside the config space, as a length. */
static uint32_t in_range(const vcf_vmsg_device *d, uint32_t offset, uint32_t length)
{
    if (offset >= d->cfg.config_size)
        return 0;
    uint32_t room = d->cfg.config_size - offset;
    return length < room ? length : room;
}

static int get_config(vcf_vmsg_device *d, const vcf_vmsg_msg *req, vcf_vmsg_output *out)
{
    uint32_t off = req->u.config.offset, len = req->u.config.length;
    bool clamp = d->cfg.link.opt.oversize == VCF_VMSG_OVERSIZE_CLAMP;
    if ((uint64_t)off + len > d->cfg.config_size) { /* A15 */
        if (!clamp)
            return vmsg_drop(out, R(CFG_01), NONE, VCF_E_RANGE, "length", P + 4,
                             "the read reaches past the configuration space");
        vmsg_verdictv(out, R(CFG_01), NONE, VCF_VMSG_ACT_NOTE, VCF_E_RANGE, "length", P + 4,
                      "answered with the part inside the configuration space", d->cfg.config_size,
                      (uint64_t)off + len, false);
        len = in_range(d, off, len);
    }
    uint32_t fit = d->cfg.link.max_msg_size - vmsg_fixed_size(VCF_VMSG_K_GET_CONFIG_RESP);
    if (len > fit) {
        if (!clamp)
            return vmsg_drop(out, R(SIZE_02), NONE, VCF_E_TOO_LARGE, "length", P + 4,
                             "the response would exceed the maximum message size");
        vmsg_verdictv(out, R(SIZE_02), NONE, VCF_VMSG_ACT_NOTE, VCF_E_TOO_LARGE, "length", P + 4,
                      "answered with as many bytes as fit", fit, len, false);
        len = fit;
    }
    vcf_vmsg_msg r;
    reply_init(d, req, &r);
    r.u.config.generation = d->generation; /* VMSG-CFG-02 */
    r.u.config.offset = off;
    r.u.config.length = len;
    r.u.config.data.ptr = d->config + (len ? off : 0);
    r.u.config.data.len = len;
    return reply(d, &r, out);
}

static int set_config(vcf_vmsg_device *d, const vcf_vmsg_msg *req, vcf_vmsg_output *out)
{
    const vcf_vmsg_config *c = &req->u.config;
    uint32_t applied = c->length;
    bool apply = true;
    if (!(d->status & S_FEAT))
        apply = violation(d, R(BASE_01), "status", P,
                          "configuration written before FEATURES_OK was accepted", out);
    if (apply && c->generation != d->generation) {
        if (profile(d, VCF_VMSG_PROFILE_QEMU)) {
            vmsg_verdictv(out, R(GEN_03), R(GEN_09), VCF_VMSG_ACT_DEVIATE, VCF_E_STATE,
                          "generation", P, "stale generation, written anyway", d->generation,
                          c->generation, true);
        } else {
            violationv(out, R(GEN_03), VCF_E_STATE, "generation", P,
                       "the write names a stale generation and is rejected", d->generation,
                       c->generation);
            apply = false;
        }
    }
    if (apply && (uint64_t)c->offset + c->length > d->cfg.config_size) {
        violationv(out, R(CFG_01), VCF_E_RANGE, "length", P + 8,
                   "the write reaches past the configuration space", d->cfg.config_size,
                   (uint64_t)c->offset + c->length);
        applied = in_range(d, c->offset, c->length);
        if (!d->cfg.link.opt.partial_set_config) /* A5 */
            apply = false;
    }
    if (!apply)
        applied = 0; /* VMSG-GEN-04: a rejection has length 0 */
    if (applied) {
        memcpy(d->config + c->offset, c->data.ptr, applied);
        if (d->cfg.link.opt.set_config_bumps_gen) /* A16 */
            d->generation++;
        vmsg_event(out, VCF_VMSG_EV_CONFIG_WRITTEN, 0, c->offset, applied, d->generation);
    }
    vcf_vmsg_msg r;
    reply_init(d, req, &r);
    r.u.config.generation = d->generation;
    r.u.config.offset = c->offset;
    r.u.config.length = applied;
    if (d->cfg.link.opt.set_config_echo && applied) { /* A5 */
        r.u.config.data.ptr = d->config + c->offset;
        r.u.config.data.len = applied;
    }
    return reply(d, &r, out);
}

static int status_reply(vcf_vmsg_device *d, const vcf_vmsg_msg *req, vcf_vmsg_output *out)
{
    vcf_vmsg_msg r;
    reply_init(d, req, &r);
    r.u.status = d->status; /* VMSG-STATUS-05/06: what the device actually has */
    return reply(d, &r, out);
}

/* Whether the written features can be accepted: nothing unoffered, nothing required missing. */
static bool features_acceptable(const vcf_vmsg_device *d, vcf_vmsg_output *out)
{
    for (unsigned b = 0; b < VCF_VMSG_MAX_FEATURE_BLOCKS; b++) {
        uint32_t extra = d->driver_features[b] & ~d->cfg.offered[b];
        if (extra) {
            vmsg_verdictv(out, R(BASE_08), NONE, VCF_VMSG_ACT_NOTE, VCF_E_UNSUPPORTED, "features",
                          P, "the driver accepted bits the device did not offer", d->cfg.offered[b],
                          d->driver_features[b], true);
            return false;
        }
        if (d->cfg.required[b] & ~d->driver_features[b]) {
            vmsg_verdictv(out, R(FEAT_04), NONE, VCF_VMSG_ACT_NOTE, VCF_E_UNSUPPORTED, "features",
                          P, "a feature the device needs was not accepted", d->cfg.required[b],
                          d->driver_features[b], true);
            return false;
        }
    }
    if (d->unsupported_written) {
        vmsg_verdict(out, R(BASE_08), NONE, VCF_VMSG_ACT_NOTE, VCF_E_UNSUPPORTED, "features", P,
                     "the driver accepted bits beyond the device's feature blocks");
        return false;
    }
    return true;
}

/* Bits added in an order initialisation does not allow: DRIVER without ACKNOWLEDGE,
 * FEATURES_OK without DRIVER, DRIVER_OK without FEATURES_OK, or several steps in one write. */
static bool out_of_order(uint32_t cur, uint32_t w)
{
    uint32_t added = w & ~cur & (S_ACK | S_DRV | S_FEAT | S_OK);
    return ((w & S_DRV) && !(w & S_ACK)) || ((w & S_FEAT) && !(w & S_DRV)) ||
           ((w & S_OK) && !(w & S_FEAT)) || (added & (added - 1)) != 0;
}

static int set_status(vcf_vmsg_device *d, const vcf_vmsg_msg *req, vcf_vmsg_output *out)
{
    uint32_t w = req->u.status & VCF_VIRTIO_STATUS_DEFINED; /* bits 8..31 ignored (A12) */
    if (w == 0) {                                           /* VMSG-STATUS-04 */
        device_reset(d);
        vmsg_event(out, VCF_VMSG_EV_RESET, 0, 0, 0, 0);
        return status_reply(d, req, out);
    }
    uint32_t nr = d->status & S_NR, cur = d->status & ~S_NR;
    if (w & S_NR) {
        violationv(out, R(BASE_05), VCF_E_RESERVED, "status", P,
                   "DEVICE_NEEDS_RESET is the device's to set", 0, w);
        w &= ~S_NR;
    }
    bool apply = true;
    if (cur & ~w) {
        violationv(out, R(BASE_05), VCF_E_STATE, "status", P,
                   "a status write clears bits without a reset", cur, w);
        apply = d->cfg.link.opt.on_violation == VCF_VMSG_VIOLATION_APPLY;
    }
    if (apply && !(w & S_FAIL) && out_of_order(cur, w)) {
        violationv(out, R(BASE_01), VCF_E_STATE, "status", P,
                   "status bits set out of initialisation order", cur, w);
        if (d->cfg.link.opt.status_order_enforced)
            apply = false;
    }
    if (apply && (w & S_FEAT) && !(cur & S_FEAT)) {
        if (profile(d, VCF_VMSG_PROFILE_QEMU)) {
            vcf_vmsg_output probe = {0};
            if (!features_acceptable(d, &probe))
                vmsg_verdict(out, R(FEAT_07), R(FEAT_08), VCF_VMSG_ACT_DEVIATE, VCF_E_UNSUPPORTED,
                             "status", P, "FEATURES_OK kept for an unsupported feature set");
        } else if (!features_acceptable(d, out)) {
            /* VMSG-FEAT-04, FEAT-07, BASE-09: refused by leaving FEATURES_OK clear */
            vmsg_verdict(out, R(FEAT_07), NONE, VCF_VMSG_ACT_NOTE, VCF_E_UNSUPPORTED, "status", P,
                         "FEATURES_OK refused");
            w &= ~S_FEAT;
        }
    }
    if (apply) {
        d->status = w | nr;
        if (d->status & S_OK) /* VMSG-FINAL-05: configured queues go live */
            for (unsigned i = 0; i < VCF_VMSG_MAX_VQS; i++)
                if (d->vqs[i].state == VCF_VMSG_VQ_CONFIGURED)
                    d->vqs[i].state = VCF_VMSG_VQ_LIVE;
        vmsg_event(out, VCF_VMSG_EV_STATUS, 0, 0, 0, d->status);
    }
    return status_reply(d, req, out);
}

static int get_vqueue(vcf_vmsg_device *d, const vcf_vmsg_msg *req, vcf_vmsg_output *out)
{
    uint32_t i = req->u.index;
    vcf_vmsg_msg r;
    reply_init(d, req, &r);
    r.u.vqueue.index = i;
    if (vq_valid(d, i)) { /* VMSG-VQ-05/06; an unusable queue reports max_size 0 */
        const vcf_vmsg_vq *q = &d->vqs[i];
        r.u.vqueue.max_size = d->cfg.vq_max_size[i];
        r.u.vqueue.cur_size = q->size;
        r.u.vqueue.desc_addr = q->desc_addr;
        r.u.vqueue.driver_addr = q->driver_addr;
        r.u.vqueue.device_addr = q->device_addr;
    }
    return reply(d, &r, out);
}

static bool is_pow2(uint32_t v)
{
    return v && !(v & (v - 1));
}

/* Why a SET_VQUEUE cannot be applied, or NULL. */
static const char *set_vqueue_problem(const vcf_vmsg_device *d, const vcf_vmsg_set_vqueue *s,
                                      vcf_vmsg_rule *rule, const char **field)
{
    *rule = R(VQ_02);
    *field = "size";
    if (!vq_valid(d, s->index)) {
        *rule = R(VQ_07);
        *field = "index";
        return "the queue does not exist (maximum size 0)";
    }
    if (s->size == 0 || s->size > d->cfg.vq_max_size[s->index])
        return "the size is 0 or above the queue's maximum";
    bool packed = negotiated(d, VCF_VIRTIO_F_RING_PACKED);
    if (d->cfg.link.opt.validate_queue_size && !packed && !is_pow2(s->size))
        return "a split ring needs a power-of-two size";
    *field = "desc_addr";
    if (s->desc_addr % 16)
        return "the descriptor area is not 16-byte aligned";
    *field = "driver_addr";
    if (s->driver_addr % (packed ? 4u : 2u))
        return "the driver area is not aligned";
    *field = "device_addr";
    if (s->device_addr % 4)
        return "the device area is not 4-byte aligned";
    return NULL;
}

static int set_vqueue(vcf_vmsg_device *d, const vcf_vmsg_msg *req, vcf_vmsg_output *out)
{
    const vcf_vmsg_set_vqueue *s = &req->u.set_vqueue;
    bool apply = true;
    if (!(d->status & S_FEAT))
        apply = violation(d, R(INIT_02), "status", P,
                          "a queue programmed before FEATURES_OK was accepted", out);
    vcf_vmsg_rule rule;
    const char *field;
    const char *why = apply ? set_vqueue_problem(d, s, &rule, &field) : NULL;
    if (why) {
        vmsg_verdict(out, rule, NONE, VCF_VMSG_ACT_NOTE, VCF_E_RANGE, field, P, why);
        apply = false; /* nothing sensible can be applied */
    }
    if (apply && d->vqs[s->index].state != VCF_VMSG_VQ_INACTIVE)
        apply = violation(d, R(VQ_03), "index", P, "a configured queue reprogrammed without reset",
                          out);
    if (apply) { /* VMSG-VQ-08, VQ-12 */
        vcf_vmsg_vq *q = &d->vqs[s->index];
        q->size = s->size;
        q->desc_addr = s->desc_addr;
        q->driver_addr = s->driver_addr;
        q->device_addr = s->device_addr;
        q->state = (d->status & S_OK) ? VCF_VMSG_VQ_LIVE : VCF_VMSG_VQ_CONFIGURED;
        vmsg_event(out, VCF_VMSG_EV_VQ_CONFIGURED, s->index, 0, s->size, 0);
    }
    vcf_vmsg_msg r;
    reply_init(d, req, &r);
    return reply(d, &r, out);
}

static int reset_vqueue(vcf_vmsg_device *d, const vcf_vmsg_msg *req, vcf_vmsg_output *out)
{
    uint32_t i = req->u.index;
    bool apply = true;
    if (!negotiated(d, VCF_VIRTIO_F_RING_RESET)) {
        vmsg_verdict(out, R(VQ_04), NONE, VCF_VMSG_ACT_NOTE, VCF_E_UNSUPPORTED, "index", P,
                     "RESET_VQUEUE without VIRTIO_F_RING_RESET");
        apply = !d->cfg.link.opt.reset_vq_needs_ring_reset; /* A7 */
    }
    if (apply && !vq_valid(d, i)) {
        vmsg_verdict(out, R(VQ_07), NONE, VCF_VMSG_ACT_NOTE, VCF_E_RANGE, "index", P,
                     "the queue does not exist (maximum size 0)");
        apply = false;
    }
    if (apply) { /* VMSG-VQ-09/10, BASE-13 */
        memset(&d->vqs[i], 0, sizeof d->vqs[i]);
        vmsg_event(out, VCF_VMSG_EV_VQ_RESET, i, 0, 0, 0);
    }
    vcf_vmsg_msg r;
    reply_init(d, req, &r);
    return reply(d, &r, out);
}

static int get_shm(vcf_vmsg_device *d, const vcf_vmsg_msg *req, vcf_vmsg_output *out)
{
    uint32_t i = req->u.index;
    vcf_vmsg_msg r;
    reply_init(d, req, &r);
    r.u.shm.index = i;
    if (i < d->cfg.num_shm) { /* VMSG-SHM-01: length 0 for a region that does not exist */
        r.u.shm.length = d->cfg.shm[i].length;
        r.u.shm.address = d->cfg.shm[i].length ? d->cfg.shm[i].address : 0;
    }
    return reply(d, &r, out);
}

static int event_avail(vcf_vmsg_device *d, const vcf_vmsg_msg *req, vcf_vmsg_output *out)
{
    const vcf_vmsg_event_avail *a = &req->u.event_avail;
    if (profile(d, VCF_VMSG_PROFILE_OPTEE)) { /* answers the event (VMSG-ERR-06) */
        vmsg_verdict(out, R(ERR_04), R(ERR_06), VCF_VMSG_ACT_DEVIATE, VCF_OK, "msg_id", 1,
                     "EVENT_AVAIL answered with a response");
        null_reply(d, req->hdr.msg_id, req->hdr.token, out);
    }
    if (!(d->status & S_OK)) /* VMSG-FINAL-04, BASE-06: nothing processed before DRIVER_OK */
        return vmsg_drop(out, R(BASE_04), NONE, VCF_E_STATE, "vq_index", P,
                         "EVENT_AVAIL before DRIVER_OK");
    if (a->vq_index >= VCF_VMSG_MAX_VQS || d->vqs[a->vq_index].state != VCF_VMSG_VQ_LIVE)
        return vmsg_drop(out, R(FINAL_03), NONE, VCF_E_NOTFOUND, "vq_index", P,
                         "EVENT_AVAIL for a queue that is not configured");
    uint32_t next = a->next_offset;
    if (next && !negotiated(d, VCF_VIRTIO_F_NOTIFICATION_DATA)) {
        violationv(out, R(NOTIF_03), VCF_E_MBZ, "next_offset", P + 4,
                   "next_offset must be 0 without VIRTIO_F_NOTIFICATION_DATA; ignored", 0, next);
        next = 0;
    }
    vmsg_event(out, VCF_VMSG_EV_AVAIL, a->vq_index, 0, 0, next);
    return vmsg_finish(out, VCF_OK);
}

/* Codec rule problems: a message over the bus maximum, or (RFC3) a request without a token,
 * is not processed; anything else is noted and ignored (reserved bits, must-be-zero fields). */
static int header_rules(vcf_vmsg_device *d, const vcf_vmsg_msg *m, const vcf_vmsg_params *p,
                        vcf_vmsg_output *out)
{
    vcf_error errs[VCF_VMSG_MAX_VERDICTS];
    size_t n = vcf_vmsg_check(m, p, errs, VCF_VMSG_MAX_VERDICTS);
    for (size_t i = 0; i < n && i < VCF_VMSG_MAX_VERDICTS; i++) {
        vcf_vmsg_rule rule = vcf_vmsg_rule_lookup(errs[i].rule);
        bool fatal = errs[i].code == VCF_E_TOO_LARGE || rule == R(R3_01);
        vmsg_verdict_from(out, rule, NONE, fatal ? VCF_VMSG_ACT_DROP : VCF_VMSG_ACT_NOTE, &errs[i]);
        if (fatal) {
            if (profile(d, VCF_VMSG_PROFILE_OPTEE)) {
                vmsg_verdict(out, R(ERR_04), R(ERR_06), VCF_VMSG_ACT_DEVIATE, errs[i].code,
                             errs[i].field, errs[i].offset, "answered instead of dropped");
                null_reply(d, m->hdr.msg_id, m->hdr.token, out);
            }
            return vmsg_finish(out, errs[i].code);
        }
    }
    return VCF_OK;
}

int vcf_vmsg_device_rx(vcf_vmsg_device *d, const uint8_t *buf, size_t len, vcf_vmsg_output *out)
{
    vmsg_out_reset(out, &d->arena);
    vcf_vmsg_params p;
    vmsg_params(&d->cfg.link, &p);
    vcf_vmsg_msg m;
    vcf_error e;
    if (vcf_vmsg_parse(buf, len, &p, &m, &e) != VCF_OK)
        return discard(d, buf, len, e.code, e.field, e.offset, e.detail, out);
    if (m.hdr.type & VCF_VMSG_TYPE_BUS)
        return discard(d, buf, len, VCF_E_UNKNOWN_ID, "type", 0,
                       "a bus message: devices implement none", out);
    if (m.hdr.type & VCF_VMSG_TYPE_RESPONSE)
        return discard(d, buf, len, VCF_E_BAD_KIND, "type", 0,
                       "a response: devices receive requests and EVENT_AVAIL only", out);
    if (m.kind == VCF_VMSG_K_IMPL_DEFINED || m.kind == VCF_VMSG_K_EVENT_CONFIG ||
        m.kind == VCF_VMSG_K_EVENT_USED)
        return discard(d, buf, len, VCF_E_UNKNOWN_ID, "msg_id", 1,
                       "a message this device does not support", out);
    if (m.hdr.dev_num != d->cfg.dev_num)
        return vmsg_drop(out, R(HDR_03), NONE, VCF_E_NOTFOUND, "dev_num", 2,
                         "addressed to another device");
    int rc = header_rules(d, &m, &p, out);
    if (rc != VCF_OK)
        return rc;
    if (d->cfg.inactive && m.kind != VCF_VMSG_K_GET_DEVICE_INFO_REQ)
        return vmsg_drop(out, R(INFO_02), NONE, VCF_E_STATE, "msg_id", 1,
                         "only GET_DEVICE_INFO is allowed while the device is inactive");
    switch (m.kind) {
    case VCF_VMSG_K_GET_DEVICE_INFO_REQ:
        if (d->cfg.inactive && d->cfg.link.opt.inactive_silent) /* A2 */
            return vmsg_drop(out, R(INFO_02), NONE, VCF_E_STATE, "dev_num", 2,
                             "an inactive device (inactive_silent)");
        return get_device_info(d, &m, out);
    case VCF_VMSG_K_GET_DEVICE_FEATURES_REQ: return get_features(d, &m, out);
    case VCF_VMSG_K_SET_DRIVER_FEATURES_REQ: return set_features(d, &m, out);
    case VCF_VMSG_K_GET_CONFIG_REQ: return get_config(d, &m, out);
    case VCF_VMSG_K_SET_CONFIG_REQ: return set_config(d, &m, out);
    case VCF_VMSG_K_GET_DEVICE_STATUS_REQ: return status_reply(d, &m, out);
    case VCF_VMSG_K_SET_DEVICE_STATUS_REQ: return set_status(d, &m, out);
    case VCF_VMSG_K_GET_VQUEUE_REQ: return get_vqueue(d, &m, out);
    case VCF_VMSG_K_SET_VQUEUE_REQ: return set_vqueue(d, &m, out);
    case VCF_VMSG_K_RESET_VQUEUE_REQ: return reset_vqueue(d, &m, out);
    case VCF_VMSG_K_GET_SHM_REQ: return get_shm(d, &m, out);
    case VCF_VMSG_K_EVENT_AVAIL: return event_avail(d, &m, out);
    default: break;
    }
    VCF_ASSUME(0);
    return discard(d, buf, len, VCF_E_UNKNOWN_ID, "msg_id", 1, "not a device message", out);
}

/* ---- the device's own actions -------------------------------------------------------------- */

static int send_event_config(vcf_vmsg_device *d, uint32_t offset, uint32_t len, bool with_data,
                             vcf_vmsg_output *out)
{
    vcf_vmsg_msg ev;
    (void)vcf_vmsg_init(&ev, VCF_VMSG_K_EVENT_CONFIG, d->cfg.dev_num, 0);
    ev.u.event_config.device_status = d->status;
    ev.u.event_config.generation = d->generation;
    ev.u.event_config.offset = offset;
    if (with_data) {
        ev.u.event_config.length = len;
        ev.u.event_config.data.ptr = d->config + offset;
        ev.u.event_config.data.len = len;
    }
    int rc = vmsg_emit(&d->arena, out, VCF_VMSG_TO_PEER, &ev, d->cfg.link.max_msg_size);
    VCF_ASSUME(rc == VCF_OK);
    return rc;
}

int vcf_vmsg_device_config_change(vcf_vmsg_device *d, uint32_t offset, const void *data,
                                  uint32_t len, vcf_vmsg_output *out)
{
    vmsg_out_reset(out, &d->arena);
    if ((uint64_t)offset + len > d->cfg.config_size || (len && !data))
        return vmsg_refuse(out, NONE, VCF_E_INVAL, "offset",
                           "the change reaches past the configuration space");
    if (len == 0)
        return vmsg_finish(out, VCF_OK);
    d->generation++; /* VMSG-GEN-01: before the change becomes visible */
    memcpy(d->config + offset, data, len);
    if (d->status == 0 || d->cfg.inactive) /* VMSG-BASE-10: silent until initialised */
        return vmsg_finish(out, VCF_OK);
    /* VMSG-NOTIF-06, CFG-05; too large for one event: length 0, readable with GET_CONFIG
     * (VMSG-GEN-02, GEN-08), the offset still naming where the change starts (NOTIF-07). */
    bool fits = d->cfg.link.opt.event_config_data &&
                vmsg_fixed_size(VCF_VMSG_K_EVENT_CONFIG) + len <= d->cfg.link.max_msg_size;
    send_event_config(d, offset, len, fits, out);
    return vmsg_finish(out, VCF_OK);
}

int vcf_vmsg_device_fail(vcf_vmsg_device *d, vcf_vmsg_output *out)
{
    vmsg_out_reset(out, &d->arena);
    d->status |= S_NR; /* VMSG-RESET-03 */
    /* VMSG-BASE-07 wants the event once DRIVER_OK is set; NOTIF-06 for any visible status,
     * so a driver that has begun initialising hears of it too. A status change alone does not
     * move the generation: no configuration changed. */
    if (!d->cfg.inactive && (d->status & ~S_NR))
        send_event_config(d, 0, 0, false, out);
    return vmsg_finish(out, VCF_OK);
}

int vcf_vmsg_device_used(vcf_vmsg_device *d, uint32_t vq, vcf_vmsg_output *out)
{
    vmsg_out_reset(out, &d->arena);
    if (!(d->status & S_OK))
        return vmsg_refuse(out, R(BASE_06), VCF_E_STATE, "status",
                           "no used-buffer notification before DRIVER_OK");
    if (vq >= VCF_VMSG_MAX_VQS || d->vqs[vq].state != VCF_VMSG_VQ_LIVE)
        return vmsg_refuse(out, R(BASE_13), VCF_E_NOTFOUND, "vq_index",
                           "the queue is not configured (or was reset)");
    vcf_vmsg_msg ev;
    (void)vcf_vmsg_init(&ev, VCF_VMSG_K_EVENT_USED, d->cfg.dev_num, 0);
    ev.u.index = vq; /* VMSG-NOTIF-08 */
    int rc = vmsg_emit(&d->arena, out, VCF_VMSG_TO_PEER, &ev, d->cfg.link.max_msg_size);
    VCF_ASSUME(rc == VCF_OK);
    return vmsg_finish(out, rc);
}

/* ---- inspection ---------------------------------------------------------------------------- */

uint32_t vcf_vmsg_device_status(const vcf_vmsg_device *d)
{
    return d->status;
}

uint32_t vcf_vmsg_device_generation(const vcf_vmsg_device *d)
{
    return d->generation;
}

uint32_t vcf_vmsg_device_features(const vcf_vmsg_device *d, uint32_t block)
{
    return block < VCF_VMSG_MAX_FEATURE_BLOCKS && (d->status & S_FEAT) ? d->driver_features[block]
                                                                       : 0;
}

const vcf_vmsg_vq *vcf_vmsg_device_vq(const vcf_vmsg_device *d, uint32_t index)
{
    return index < VCF_VMSG_MAX_VQS ? &d->vqs[index] : NULL;
}

const uint8_t *vcf_vmsg_device_config_space(const vcf_vmsg_device *d)
{
    return d->config;
}
