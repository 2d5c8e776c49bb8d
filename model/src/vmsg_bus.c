/* SPDX-License-Identifier: MIT */
/*
 * The virtio-msg bus model (see vmsg_model.h): the three duties of a bus in one object.
 *
 *   responder  answers GET_DEVICES and PING from the peer bus and announces its own devices
 *              with EVENT_DEVICE;
 *   requester  enumerates the peer's devices with GET_DEVICES windows, pings it, and follows
 *              its EVENT_DEVICE announcements; what it learns is the validated set;
 *   relay      carries transport messages between the driver and the validated devices: every
 *              request gets a bus token, the driver's own token comes back in the response, and
 *              each device's responses reach the driver in the order the requests were
 *              forwarded, exactly once (a local failure takes the place of a lost response).
 *
 * Choices the drafts leave open, made here:
 *   - the requester keeps one bus request (GET_DEVICES or PING) outstanding at a time; starting
 *     another abandons the first, whose late answer then matches nothing and is dropped;
 *   - in RFC3 the token is end-to-end, so the relay passes the driver's token through and only
 *     checks that it is usable (non-zero, unique per device among requests in flight); in PR28
 *     the bus owns it and puts its own on every forwarded request;
 *   - a GET_DEVICES window that is not a multiple of 8 is, with opt.getdev_round, rounded out
 *     to cover every device asked for (offset down, end up);
 *   - events to the upper layer that can concern many devices at once are folded into one:
 *     DEVICE_READY names the lowest new device and counts the new ones in length; FAILURE names
 *     the device, counts the failed requests in length and gives the first one's msg_id in
 *     offset and driver token in value;
 *   - when a device goes away every request in flight to it fails, including those whose
 *     responses were being held for ordering: nothing more from that device reaches the driver;
 *   - a response that has to be held but finds no room is dropped; its request then stays in
 *     flight until a timeout fails it, so it still ends exactly once.
 */
#include <string.h>

#include "vmsg_model_internal.h"
#include "wire_internal.h"

/* GET_DEVICES response without its bitmap (14 bytes), as the codec lays it out */
#define GETDEV_FIXED   vmsg_fixed_size(VCF_VMSG_K_BUS_GET_DEVICES_RESP)
#define DEVICE_NUMBERS 0x10000u /* device numbers 0..0xFFFF */
#define OFF_TOKEN      4u
#define OFF_DEV_NUM    2u
#define P              VCF_VMSG_HDR_SIZE /* payload offset */

/* ---- small helpers ------------------------------------------------------------------------- */

static bool rfc3(const vcf_vmsg_bus *b)
{
    return b->cfg.link.rev == VCF_VMSG_REV_RFC3;
}

static bool is(const vcf_vmsg_bus *b, vcf_vmsg_profile profile)
{
    return b->cfg.link.profile == profile;
}

/* The rule under which a malformed or unsupported message is thrown away. */
static vcf_vmsg_rule discard_rule(const vcf_vmsg_bus *b)
{
    return rfc3(b) ? R(R3_05) : R(ERR_02);
}

/* The rule under which a message larger than the bus maximum is thrown away. */
static vcf_vmsg_rule size_rule(const vcf_vmsg_bus *b)
{
    return rfc3(b) ? R(R3_03) : R(PARAM_02);
}

/* The rule under which a response that answers nothing in flight is thrown away. */
static vcf_vmsg_rule unmatched_rule(const vcf_vmsg_bus *b)
{
    return rfc3(b) ? R(R3_14) : R(ORD_02);
}

static bool bit_get(const uint8_t *map, uint32_t n)
{
    return ((unsigned)map[n / 8u] >> (n % 8u)) & 1u;
}

static void bit_put(uint8_t *map, uint32_t n, bool on)
{
    uint8_t mask = (uint8_t)(1u << (n % 8u));
    if (on)
        map[n / 8u] = (uint8_t)(map[n / 8u] | mask);
    else
        map[n / 8u] = (uint8_t)(map[n / 8u] & ~mask);
}

/* The largest GET_DEVICES window a response of at most max_msg_size bytes can describe, as a
 * multiple of 8 that the 16-bit count field can hold. */
static uint32_t window_limit(uint32_t max_msg_size)
{
    uint32_t w = (max_msg_size - GETDEV_FIXED) * 8u;
    return w > 0xFFF8u ? 0xFFF8u : w;
}

/* The codec's rule checks of one received message. */
typedef struct findings {
    size_t n;
    vcf_error errs[VCF_VMSG_MAX_VERDICTS];
} findings;

static void check_msg(const vcf_vmsg_bus *b, const vcf_vmsg_msg *msg, findings *f)
{
    vcf_vmsg_params params;
    vmsg_params(&b->cfg.link, &params);
    f->n = vcf_vmsg_check(msg, &params, f->errs, VCF_VMSG_MAX_VERDICTS);
    if (f->n > VCF_VMSG_MAX_VERDICTS)
        f->n = VCF_VMSG_MAX_VERDICTS;
}

/* What the codec found wrong with one field, or NULL. */
static const vcf_error *finding(const findings *f, const char *field)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->errs[i].field && strcmp(f->errs[i].field, field) == 0)
            return &f->errs[i];
    return NULL;
}

/* A verdict on a codec finding under the rule the codec names, or fallback where it names
 * none. */
static void codec_verdict(vcf_vmsg_output *out, const vcf_error *e, vcf_vmsg_rule fallback,
                          vcf_vmsg_action action)
{
    vcf_vmsg_rule rule = e->rule ? vcf_vmsg_rule_lookup(e->rule) : NONE;
    vmsg_verdict_from(out, rule != NONE ? rule : fallback, NONE, action, e);
}

/* Parse a received message with the link's parameters. A message that cannot be read is
 * dropped as malformed (ERR-02), or under on_size when its size disagrees with its content. */
static int parse_in(const vcf_vmsg_bus *b, const uint8_t *buf, size_t len, vcf_vmsg_rule on_size,
                    vcf_vmsg_msg *msg, vcf_vmsg_output *out)
{
    if (!buf && len)
        return vmsg_finish(out, VCF_E_INVAL);
    vcf_vmsg_params params;
    vmsg_params(&b->cfg.link, &params);
    vcf_error err;
    int rc = vcf_vmsg_parse(buf, len, &params, msg, &err);
    if (rc < 0) {
        bool size = rc == VCF_E_SIZE_MISMATCH && on_size != NONE;
        vmsg_verdict_from(out, size ? on_size : discard_rule(b), NONE, VCF_VMSG_ACT_DROP, &err);
        return vmsg_finish(out, rc);
    }
    return VCF_OK;
}

/* The header rules every received message goes through: a message above the bus maximum is
 * dropped (the same limit both ways); reserved type bits are noted and otherwise ignored. */
static int header_rules(const vcf_vmsg_bus *b, const findings *f, vcf_vmsg_output *out)
{
    const vcf_error *e = finding(f, "msg_size");
    if (e && e->code == VCF_E_TOO_LARGE) {
        vmsg_verdict_from(out, size_rule(b), NONE, VCF_VMSG_ACT_DROP, e);
        return vmsg_finish(out, VCF_E_TOO_LARGE);
    }
    if ((e = finding(f, "type")) != NULL)
        codec_verdict(out, e, R(HDR_15), VCF_VMSG_ACT_NOTE);
    return VCF_OK;
}

/* A fresh non-zero token that no relayed request in flight carries. */
static uint16_t alloc_token(vcf_vmsg_bus *b)
{
    for (;;) {
        b->next_token = (uint16_t)(b->next_token + 1u);
        if (b->next_token == 0)
            continue;
        bool used = false;
        for (size_t i = 0; i < b->n_inflight && !used; i++)
            used = b->inflight[i].bus_token == b->next_token;
        if (!used)
            return b->next_token;
    }
}

/* Queue a copy of a message for dest, with the token of the copy replaced when patch is set. */
static void relay(vcf_vmsg_bus *b, vcf_vmsg_output *out, vcf_vmsg_dest dest, const uint8_t *data,
                  size_t len, bool patch, uint16_t token)
{
    uint8_t *copy = b->arena.buf + b->arena.used;
    (void)vmsg_emit_raw(&b->arena, out, dest, data, len);
    if (patch)
        vcf_st16le(copy + OFF_TOKEN, token);
}

/* ---- configuration --------------------------------------------------------------------------- */

void vcf_vmsg_bus_config_default(vcf_vmsg_bus_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    vcf_vmsg_link_default(&cfg->link);
    cfg->window = 64;
}

int vcf_vmsg_bus_init(vcf_vmsg_bus *b, const vcf_vmsg_bus_config *cfg, vcf_error *err)
{
    if (!b || !cfg)
        return vcf_fail(err, VCF_E_INVAL, "bus", 0, "a bus object and a configuration");
    int rc = vmsg_link_check(&cfg->link, err);
    if (rc != VCF_OK)
        return rc;
    uint32_t limit = window_limit(cfg->link.max_msg_size);
    if (cfg->window == 0 || cfg->window % 8u || cfg->window > limit)
        return vcf_failv(err, VCF_E_INVAL, "window", 0,
                         "the GET_DEVICES window is a non-zero multiple of 8 whose response "
                         "fits the maximum message size",
                         limit, cfg->window);
    memset(b, 0, sizeof *b);
    b->cfg = *cfg;
    return VCF_OK;
}

bool vcf_vmsg_bus_is_present(const vcf_vmsg_bus *b, uint16_t dev_num)
{
    return bit_get(b->present, dev_num);
}

bool vcf_vmsg_bus_is_validated(const vcf_vmsg_bus *b, uint16_t dev_num)
{
    return bit_get(b->validated, dev_num);
}

size_t vcf_vmsg_bus_inflight(const vcf_vmsg_bus *b, uint16_t dev_num)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n_inflight; i++)
        n += b->inflight[i].dev_num == dev_num;
    return n;
}

/* ---- relay bookkeeping ------------------------------------------------------------------------
 */

/* The oldest request in flight to dev, or -1. */
static int oldest(const vcf_vmsg_bus *b, uint16_t dev)
{
    for (size_t i = 0; i < b->n_inflight; i++)
        if (b->inflight[i].dev_num == dev)
            return (int)i;
    return -1;
}

static void forget(vcf_vmsg_bus *b, size_t i)
{
    int slot = b->inflight[i].held;
    if (slot >= 0)
        b->held[slot].used = false;
    memmove(&b->inflight[i], &b->inflight[i + 1], (b->n_inflight - i - 1) * sizeof *b->inflight);
    b->n_inflight--;
}

/* Deliver, in forwarding order, the held responses of dev that nothing earlier waits for. */
static void release(vcf_vmsg_bus *b, uint16_t dev, vcf_vmsg_output *out)
{
    int i;
    while ((i = oldest(b, dev)) >= 0 && b->inflight[i].held >= 0) {
        const vcf_vmsg_held *h = &b->held[b->inflight[i].held];
        relay(b, out, VCF_VMSG_TO_DRIVER, h->buf, h->len, false, 0);
        forget(b, (size_t)i);
    }
}

/* Device dev is no longer valid: the upper layer hears of it, and every request in flight to it
 * fails locally (ERR-01), held responses included, so each request still ends exactly once. */
static void device_gone(vcf_vmsg_bus *b, uint16_t dev, vcf_vmsg_output *out)
{
    bit_put(b->validated, dev, false);
    vmsg_event(out, VCF_VMSG_EV_DEVICE_REMOVED, dev, 0, 1, 0);
    uint32_t failed = 0;
    uint8_t first_id = 0;
    uint16_t first_token = 0;
    int i;
    while ((i = oldest(b, dev)) >= 0) {
        if (failed++ == 0) {
            first_id = b->inflight[i].msg_id;
            first_token = b->inflight[i].driver_token;
        }
        forget(b, (size_t)i);
    }
    if (failed)
        vmsg_event(out, VCF_VMSG_EV_FAILURE, dev, first_id, failed, first_token);
}

/* Device dev becomes valid (platform data, enumeration or EVENT_DEVICE). */
static bool device_valid(vcf_vmsg_bus *b, uint16_t dev)
{
    if (bit_get(b->validated, dev))
        return false;
    bit_put(b->validated, dev, true);
    return true;
}

/* ---- responder --------------------------------------------------------------------------------
 */

/* The first multiple of 8 at or after end (a multiple of 8) whose block of eight device numbers
 * holds a present device, or 0 when none is left (GETDEV-02). */
static uint16_t next_present(const vcf_vmsg_bus *b, uint32_t end)
{
    for (uint32_t byte = end / 8u; byte < DEVICE_NUMBERS / 8u; byte++)
        if (b->present[byte])
            return (uint16_t)(byte * 8u);
    return 0;
}

/* The window a conforming responder answers for an aligned request: as asked, unless the
 * maximum message size or the end of the device numbers makes it smaller (GETDEV-03/05). */
static uint32_t clip_window(const vcf_vmsg_bus *b, uint32_t offset, uint32_t count)
{
    uint32_t limit = window_limit(b->cfg.link.max_msg_size);
    if (count > limit)
        count = limit;
    if (offset + count > DEVICE_NUMBERS)
        count = DEVICE_NUMBERS - offset;
    return count;
}

/* The token a response to req carries: RFC3 echoes it (R3-01), PR28 when the link says so
 * (A13). The QEMU bus answers with 0 (HDR-17). */
static uint16_t answer_token(const vcf_vmsg_bus *b, const vcf_vmsg_msg *req, vcf_vmsg_output *out)
{
    uint16_t token = (rfc3(b) || b->cfg.link.opt.echo_token) ? req->hdr.token : 0;
    if (token != 0 && is(b, VCF_VMSG_PROFILE_QEMU)) {
        vmsg_verdictv(out, rfc3(b) ? R(R3_01) : R(HDR_14), R(HDR_17), VCF_VMSG_ACT_DEVIATE,
                      VCF_E_MISMATCH, "token", OFF_TOKEN,
                      "QEMU answers bus requests with token 0 instead of the request's token",
                      token, 0, true);
        return 0;
    }
    return token;
}

static int send_devices(vcf_vmsg_bus *b, uint16_t token, uint32_t offset, uint32_t count,
                        uint16_t next, const uint8_t *bitmap, vcf_vmsg_output *out)
{
    vcf_vmsg_msg r;
    (void)vcf_vmsg_init(&r, VCF_VMSG_K_BUS_GET_DEVICES_RESP, 0, token);
    r.u.devices.offset = (uint16_t)offset;
    r.u.devices.count = (uint16_t)count;
    r.u.devices.next_offset = next;
    r.u.devices.bitmap.ptr = bitmap;
    r.u.devices.bitmap.len = (count + 7u) / 8u;
    return vmsg_finish(out,
                       vmsg_emit(&b->arena, out, VCF_VMSG_TO_PEER, &r, b->cfg.link.max_msg_size));
}

/* OP-TEE (GETDEV-06): offset 0 only, count = the number of present devices, next_offset 0. */
static int optee_devices(vcf_vmsg_bus *b, const vcf_vmsg_msg *req, vcf_vmsg_output *out)
{
    const vcf_vmsg_devices *d = &req->u.devices;
    if (d->offset != 0) {
        vmsg_verdictv(out, R(GETDEV_01), R(GETDEV_06), VCF_VMSG_ACT_DEVIATE, VCF_E_RANGE, "offset",
                      P, "OP-TEE answers GET_DEVICES only for offset 0", 0, d->offset, false);
        return vmsg_finish(out, VCF_OK);
    }
    uint32_t present = 0;
    for (uint32_t i = 0; i < sizeof b->present; i++)
        for (uint8_t v = b->present[i]; v; v = (uint8_t)(v & (v - 1u)))
            present++;
    uint32_t limit = window_limit(b->cfg.link.max_msg_size);
    uint32_t count = present > limit ? limit : present;
    uint32_t strict = clip_window(b, 0, (d->count + 7u) & ~7u);
    if (count != strict || next_present(b, strict) != 0)
        vmsg_verdictv(out, R(GETDEV_05), R(GETDEV_06), VCF_VMSG_ACT_DEVIATE, VCF_E_RANGE, "count",
                      P + 2,
                      "OP-TEE puts the number of present devices in count and ends with "
                      "next_offset 0",
                      strict, count, false);
    uint16_t token = answer_token(b, req, out);
    return send_devices(b, token, 0, count, 0, b->present, out);
}

static int answer_devices(vcf_vmsg_bus *b, const vcf_vmsg_msg *req, const findings *f,
                          vcf_vmsg_output *out)
{
    if (is(b, VCF_VMSG_PROFILE_OPTEE))
        return optee_devices(b, req, out);
    uint32_t offset = req->u.devices.offset, count = req->u.devices.count;
    if (offset % 8u || count % 8u) { /* GETDEV-01, §9 A11 */
        const vcf_error *e = finding(f, offset % 8u ? "offset" : "count");
        if (!b->cfg.link.opt.getdev_round) {
            if (e)
                vmsg_verdict_from(out, R(GETDEV_01), NONE, VCF_VMSG_ACT_DROP, e);
            return vmsg_finish(out, VCF_E_ALIGN);
        }
        if (e)
            vmsg_verdict_from(out, R(GETDEV_01), NONE, VCF_VMSG_ACT_NOTE, e);
        uint32_t end = (offset + count + 7u) & ~7u;
        offset &= ~7u;
        count = end - offset;
    }
    count = clip_window(b, offset, count);
    uint16_t token = answer_token(b, req, out);
    return send_devices(b, token, offset, count, next_present(b, offset + count),
                        b->present + offset / 8u, out);
}

static int answer_ping(vcf_vmsg_bus *b, const vcf_vmsg_msg *req, vcf_vmsg_output *out)
{
    vcf_vmsg_msg r;
    (void)vcf_vmsg_init(&r, VCF_VMSG_K_BUS_PING_RESP, 0, answer_token(b, req, out));
    r.u.ping = req->u.ping; /* PING-01 */
    return vmsg_finish(out,
                       vmsg_emit(&b->arena, out, VCF_VMSG_TO_PEER, &r, b->cfg.link.max_msg_size));
}

int vcf_vmsg_bus_set_device(vcf_vmsg_bus *b, uint16_t dev_num, bool present, bool announce,
                            vcf_vmsg_output *out)
{
    vmsg_out_reset(out, &b->arena);
    bool was = bit_get(b->present, dev_num);
    bit_put(b->present, dev_num, present);
    /* Platform data is enough to validate a device number (DISC-03). */
    if (present && device_valid(b, dev_num))
        vmsg_event(out, VCF_VMSG_EV_DEVICE_READY, dev_num, 0, 1, 0);
    else if (!present && bit_get(b->validated, dev_num))
        device_gone(b, dev_num, out);
    if (!announce || was == present)
        return vmsg_finish(out, VCF_OK);
    /* HOTPLUG-01: READY when the device becomes accessible, REMOVED when it goes. */
    uint16_t hdr_dev = 0; /* HDR-11 */
    if (is(b, VCF_VMSG_PROFILE_QEMU)) {
        hdr_dev = dev_num;
        if (dev_num != 0)
            vmsg_verdictv(out, rfc3(b) ? R(R3_04) : R(HDR_11), R(HDR_17), VCF_VMSG_ACT_DEVIATE,
                          VCF_E_MBZ, "dev_num", OFF_DEV_NUM,
                          "QEMU puts the device number in the header of EVENT_DEVICE", 0, dev_num,
                          false);
    }
    vcf_vmsg_msg ev;
    (void)vcf_vmsg_init(&ev, VCF_VMSG_K_BUS_EVENT_DEVICE, hdr_dev, 0);
    ev.u.event_device.device_number = dev_num;
    ev.u.event_device.state =
        (uint16_t)(present ? VCF_VMSG_BUS_STATE_READY : VCF_VMSG_BUS_STATE_REMOVED);
    return vmsg_finish(out,
                       vmsg_emit(&b->arena, out, VCF_VMSG_TO_PEER, &ev, b->cfg.link.max_msg_size));
}

/* ---- requester --------------------------------------------------------------------------------
 */

/* The window asked for at offset: the configured one, not past the last device number. */
static uint32_t asked_window(const vcf_vmsg_bus *b, uint32_t offset)
{
    uint32_t rest = DEVICE_NUMBERS - offset;
    return b->cfg.window < rest ? b->cfg.window : rest;
}

static int send_get_devices(vcf_vmsg_bus *b, uint16_t offset, vcf_vmsg_output *out)
{
    b->enumerating = true;
    b->enum_offset = offset;
    b->req_token = alloc_token(b);
    vcf_vmsg_msg r;
    (void)vcf_vmsg_init(&r, VCF_VMSG_K_BUS_GET_DEVICES_REQ, 0, b->req_token);
    r.u.devices.offset = offset;
    r.u.devices.count = (uint16_t)asked_window(b, offset);
    return vmsg_emit(&b->arena, out, VCF_VMSG_TO_PEER, &r, b->cfg.link.max_msg_size);
}

int vcf_vmsg_bus_enumerate(vcf_vmsg_bus *b, vcf_vmsg_output *out)
{
    vmsg_out_reset(out, &b->arena);
    b->ping_pending = false; /* one bus request at a time: a pending PING is abandoned */
    b->found = 0;
    return vmsg_finish(out, send_get_devices(b, 0, out));
}

int vcf_vmsg_bus_ping(vcf_vmsg_bus *b, uint32_t data, vcf_vmsg_output *out)
{
    vmsg_out_reset(out, &b->arena);
    b->enumerating = false; /* one bus request at a time: an enumeration is abandoned */
    b->ping_pending = true;
    b->ping_data = data;
    b->req_token = alloc_token(b);
    vcf_vmsg_msg r;
    (void)vcf_vmsg_init(&r, VCF_VMSG_K_BUS_PING_REQ, 0, b->req_token);
    r.u.ping = data;
    return vmsg_finish(out,
                       vmsg_emit(&b->arena, out, VCF_VMSG_TO_PEER, &r, b->cfg.link.max_msg_size));
}

/* Does a response carry the token of the bus request outstanding? Without an echoing peer
 * (PR28, echo_token off) the token says nothing and only the message ID matches. */
static bool own_token(const vcf_vmsg_bus *b, const vcf_vmsg_msg *resp)
{
    return !(rfc3(b) || b->cfg.link.opt.echo_token) || resp->hdr.token == b->req_token;
}

static int unmatched(const vcf_vmsg_bus *b, const vcf_vmsg_msg *resp, vcf_vmsg_output *out)
{
    vmsg_verdictv(out, R(R3_14), NONE, VCF_VMSG_ACT_DROP, VCF_E_NOTFOUND, "token", OFF_TOKEN,
                  "a response that answers no bus request in flight", b->req_token, resp->hdr.token,
                  true);
    return vmsg_finish(out, VCF_E_NOTFOUND);
}

static int devices_response(vcf_vmsg_bus *b, const vcf_vmsg_msg *resp, const findings *f,
                            vcf_vmsg_output *out)
{
    if (!b->enumerating || !own_token(b, resp))
        return unmatched(b, resp, out);
    const vcf_vmsg_devices *d = &resp->u.devices;
    uint32_t asked = asked_window(b, b->enum_offset);
    if (d->offset != b->enum_offset) {
        vmsg_verdictv(out, R(GETDEV_05), NONE, VCF_VMSG_ACT_DROP, VCF_E_MISMATCH, "offset", P,
                      "the response echoes the offset of the request", b->enum_offset, d->offset,
                      false);
        return vmsg_finish(out, VCF_E_MISMATCH);
    }
    if (d->count % 8u) {
        const vcf_error *e = finding(f, "count");
        if (e)
            vmsg_verdict_from(out, R(GETDEV_01), NONE, VCF_VMSG_ACT_DROP, e);
        return vmsg_finish(out, VCF_E_ALIGN);
    }
    if (d->count > asked) {
        vmsg_verdictv(out, R(GETDEV_05), NONE, VCF_VMSG_ACT_DROP, VCF_E_RANGE, "count", P + 2,
                      "a window larger than the one requested", asked, d->count, false);
        return vmsg_finish(out, VCF_E_RANGE);
    }
    /* The peer bus works to the same maximum (PARAM-02): a window that fits it and stays
     * within the device numbers should come back whole. */
    if (d->count < asked && GETDEV_FIXED + asked / 8u <= b->cfg.link.max_msg_size)
        vmsg_verdictv(out, R(GETDEV_03), NONE, VCF_VMSG_ACT_NOTE, VCF_E_RANGE, "count", P + 2,
                      "a smaller window although nothing prevents the one requested", asked,
                      d->count, false);
    uint32_t end = (uint32_t)d->offset + d->count;
    uint32_t follow = d->next_offset;
    if (follow != 0 && (follow % 8u || follow < end)) {
        vmsg_verdictv(out, R(GETDEV_02), NONE, VCF_VMSG_ACT_NOTE, VCF_E_RANGE, "next_offset", P + 4,
                      "next_offset is 0 or a multiple of 8 at least offset + count",
                      (end + 7u) & ~7u, follow, false);
        /* Behind the window: going on could loop, so the enumeration ends here. Misaligned:
         * the next aligned window that still starts after this one. */
        follow = follow < end ? 0 : follow & ~7u;
    }
    if (follow != 0 && follow <= d->offset) /* an empty window that does not move on */
        follow = 0;

    /* DISC-01: each device in the window is validated; the new ones go to the upper layer
     * (DISC-02, HOTPLUG-02). */
    uint32_t fresh = 0, first = 0;
    for (uint32_t n = 0; n < d->count; n++) {
        uint32_t dev = d->offset + n;
        if (!vcf_vmsg_device_present(d, dev))
            continue;
        b->found++;
        if (device_valid(b, (uint16_t)dev) && fresh++ == 0)
            first = dev;
    }
    if (fresh)
        vmsg_event(out, VCF_VMSG_EV_DEVICE_READY, first, 0, fresh, 0);
    if (follow == 0) {
        b->enumerating = false;
        vmsg_event(out, VCF_VMSG_EV_ENUM_DONE, 0, 0, b->found, 0);
        return vmsg_finish(out, VCF_OK);
    }
    return vmsg_finish(out, send_get_devices(b, (uint16_t)follow, out));
}

static int ping_response(vcf_vmsg_bus *b, const vcf_vmsg_msg *resp, vcf_vmsg_output *out)
{
    if (!b->ping_pending || !own_token(b, resp))
        return unmatched(b, resp, out);
    b->ping_pending = false;
    if (resp->u.ping != b->ping_data)
        vmsg_verdictv(out, R(PING_01), NONE, VCF_VMSG_ACT_NOTE, VCF_E_MISMATCH, "data", P,
                      "the answer to a PING echoes its data exactly", b->ping_data, resp->u.ping,
                      true);
    vmsg_event(out, VCF_VMSG_EV_PONG, 0, 0, 0, resp->u.ping);
    return vmsg_finish(out, VCF_OK);
}

static int event_device(vcf_vmsg_bus *b, const vcf_vmsg_msg *ev, const findings *f,
                        vcf_vmsg_output *out)
{
    uint16_t dev = ev->u.event_device.device_number;
    uint16_t state = ev->u.event_device.state;
    if (state == VCF_VMSG_BUS_STATE_READY) {
        if (device_valid(b, dev))
            vmsg_event(out, VCF_VMSG_EV_DEVICE_READY, dev, 0, 1, 0);
        else
            vmsg_verdictv(out, R(EVDEV_03), NONE, VCF_VMSG_ACT_NOTE, VCF_E_DUPLICATE,
                          "device_number", P, "READY for a device already known present", dev, dev,
                          false);
    } else if (state == VCF_VMSG_BUS_STATE_REMOVED) {
        if (bit_get(b->validated, dev))
            device_gone(b, dev, out);
        else
            vmsg_verdictv(out, R(EVDEV_03), NONE, VCF_VMSG_ACT_NOTE, VCF_E_NOTFOUND,
                          "device_number", P, "REMOVED for a device not known present", dev, dev,
                          false);
    } else if (state < VCF_VMSG_BUS_STATE_IMPL_FIRST) {
        /* Reserved (0 and 0x0003-0x7FFF, §9 A19): ignored. */
        const vcf_error *e = finding(f, "device_bus_state");
        if (e)
            codec_verdict(out, e, R(HDR_15), VCF_VMSG_ACT_NOTE);
    }
    /* 0x8000-0xFFFF: implementation-defined states this bus does not define; ignored. */
    return vmsg_finish(out, VCF_OK);
}

int vcf_vmsg_bus_rx(vcf_vmsg_bus *b, const uint8_t *buf, size_t len, vcf_vmsg_output *out)
{
    vmsg_out_reset(out, &b->arena);
    /* A GET_DEVICES response whose size disagrees with its count does not describe the
     * window it echoes (GETDEV-05); anything else unreadable is discarded (ERR-02). */
    vcf_vmsg_rule on_size = NONE;
    if (buf && len >= VCF_VMSG_HDR_SIZE &&
        (buf[0] & (VCF_VMSG_TYPE_BUS | VCF_VMSG_TYPE_RESPONSE)) ==
            (VCF_VMSG_TYPE_BUS | VCF_VMSG_TYPE_RESPONSE) &&
        buf[1] == VCF_VMSG_BUS_GET_DEVICES)
        on_size = R(GETDEV_05);
    vcf_vmsg_msg m;
    int rc = parse_in(b, buf, len, on_size, &m, out);
    if (rc != VCF_OK)
        return rc;
    if (!(m.hdr.type & VCF_VMSG_TYPE_BUS))
        return vmsg_drop(out, discard_rule(b), NONE, VCF_E_BAD_KIND, "type", 0,
                         "a transport message on the link between buses");
    if (m.kind == VCF_VMSG_K_IMPL_DEFINED) /* never answered, event or not (ERR-03) */
        return vmsg_drop(out, discard_rule(b), NONE, VCF_E_UNKNOWN_ID, "msg_id", 1,
                         "an implementation-defined bus message this bus does not implement");
    findings f;
    check_msg(b, &m, &f);
    if ((rc = header_rules(b, &f, out)) != VCF_OK)
        return rc;
    const vcf_error *e = finding(&f, "dev_num"); /* HDR-11 / R3-04: ignored */
    if (e)
        codec_verdict(out, e, rfc3(b) ? R(R3_04) : R(HDR_11), VCF_VMSG_ACT_NOTE);
    e = finding(&f, "token");
    bool request = m.kind == VCF_VMSG_K_BUS_GET_DEVICES_REQ || m.kind == VCF_VMSG_K_BUS_PING_REQ;
    if (e && request) { /* RFC3: a request without a token cannot be answered (R3-01) */
        codec_verdict(out, e, R(R3_01), VCF_VMSG_ACT_DROP);
        return vmsg_finish(out, e->code);
    }
    if (e && m.kind == VCF_VMSG_K_BUS_EVENT_DEVICE)
        codec_verdict(out, e, R(R3_01), VCF_VMSG_ACT_NOTE);

    switch (m.kind) {
    case VCF_VMSG_K_BUS_GET_DEVICES_REQ: return answer_devices(b, &m, &f, out);
    case VCF_VMSG_K_BUS_PING_REQ: return answer_ping(b, &m, out);
    case VCF_VMSG_K_BUS_EVENT_DEVICE: return event_device(b, &m, &f, out);
    case VCF_VMSG_K_BUS_GET_DEVICES_RESP: return devices_response(b, &m, &f, out);
    case VCF_VMSG_K_BUS_PING_RESP: return ping_response(b, &m, out);
    default:
        return vmsg_drop(out, discard_rule(b), NONE, VCF_E_UNKNOWN_ID, "msg_id", 1,
                         "not a bus message this bus handles");
    }
}

/* ---- relay ------------------------------------------------------------------------------------
 */

/* Parse a transport message for the relay and apply the rules every one of them goes through. */
static int relay_in(vcf_vmsg_bus *b, const uint8_t *buf, size_t len, vcf_vmsg_msg *m,
                    vcf_vmsg_class *cls, vcf_vmsg_output *out)
{
    int rc = parse_in(b, buf, len, NONE, m, out);
    if (rc != VCF_OK)
        return rc;
    if (m->hdr.type & VCF_VMSG_TYPE_BUS)
        return vmsg_drop(out, discard_rule(b), NONE, VCF_E_BAD_KIND, "type", 0,
                         "a bus message where transport messages are relayed");
    (void)vcf_vmsg_classify(m->hdr.type, m->hdr.msg_id, b->cfg.link.rev, cls);
    findings f;
    check_msg(b, m, &f);
    if ((rc = header_rules(b, &f, out)) != VCF_OK)
        return rc;
    /* RFC3: events carry token 0; a non-zero one is noted and the event still goes on. */
    const vcf_error *e = finding(&f, "token");
    if (e && cls->event)
        codec_verdict(out, e, R(R3_01), VCF_VMSG_ACT_NOTE);
    return VCF_OK;
}

int vcf_vmsg_bus_from_driver(vcf_vmsg_bus *b, const uint8_t *buf, size_t len, vcf_vmsg_output *out)
{
    vmsg_out_reset(out, &b->arena);
    vcf_vmsg_msg m;
    vcf_vmsg_class cls;
    int rc = relay_in(b, buf, len, &m, &cls, out);
    if (rc != VCF_OK)
        return rc;
    if (cls.response)
        return vmsg_drop(out, discard_rule(b), NONE, VCF_E_BAD_KIND, "type", 0,
                         "a response from the driver, which answers no requests");
    uint16_t dev = m.hdr.dev_num;
    if (!bit_get(b->validated, dev)) /* DEVNUM-03 */
        return vmsg_drop(out, R(DEVNUM_03), NONE, VCF_E_NOTFOUND, "dev_num", OFF_DEV_NUM,
                         "a device number the bus has not validated");
    size_t size = m.hdr.msg_size;
    if (cls.event) { /* NOTIF-04/05: relayed in-band, untracked, never dropped */
        relay(b, out, VCF_VMSG_TO_DEVICE, buf, size, false, 0);
        return vmsg_finish(out, VCF_OK);
    }
    uint16_t token = m.hdr.token;
    if (rfc3(b)) { /* the driver's token travels end to end: it must be usable */
        if (token == 0)
            return vmsg_drop(out, R(R3_01), NONE, VCF_E_RANGE, "token", OFF_TOKEN,
                             "RFC3: a request carries a non-zero token");
        for (size_t i = 0; i < b->n_inflight; i++)
            if (b->inflight[i].dev_num == dev && b->inflight[i].bus_token == token)
                return vmsg_drop(out, R(R3_02), NONE, VCF_E_DUPLICATE, "token", OFF_TOKEN,
                                 "RFC3: (dev_num, token) is already in flight");
    }
    if (b->n_inflight == VCF_VMSG_BUS_MAX_INFLIGHT) {
        /* It cannot be tracked, so it is not sent; the driver hears of it (ERR-01). */
        vmsg_event(out, VCF_VMSG_EV_FAILURE, dev, m.hdr.msg_id, 1, token);
        return vmsg_drop(out, R(ERR_01), NONE, VCF_E_EXHAUSTED, "dev_num", OFF_DEV_NUM,
                         "no room to track another request in flight; failed locally");
    }
    vcf_vmsg_inflight *r = &b->inflight[b->n_inflight];
    r->dev_num = dev;
    r->driver_token = token;
    r->bus_token = rfc3(b) ? token : alloc_token(b); /* HDR-14 */
    r->type = (uint8_t)(m.hdr.type & (VCF_VMSG_TYPE_BUS | VCF_VMSG_TYPE_RESPONSE));
    r->msg_id = m.hdr.msg_id;
    r->held = -1;
    b->n_inflight++;
    /* FWD-01/02: to the device named in dev_num, unchanged but for the token. */
    relay(b, out, VCF_VMSG_TO_DEVICE, buf, size, true, r->bus_token);
    return vmsg_finish(out, VCF_OK);
}

/* Hold slots a device may use: the response that releases them goes out in the same output, so
 * one device can hold one fewer than an output carries. */
static int hold_slot(const vcf_vmsg_bus *b, uint16_t dev)
{
    size_t mine = 0;
    for (size_t i = 0; i < b->n_inflight; i++)
        mine += b->inflight[i].dev_num == dev && b->inflight[i].held >= 0;
    if (mine >= VCF_VMSG_MAX_TX - 1u)
        return -1;
    for (size_t s = 0; s < VCF_VMSG_BUS_MAX_HELD; s++)
        if (!b->held[s].used)
            return (int)s;
    return -1;
}

int vcf_vmsg_bus_from_device(vcf_vmsg_bus *b, const uint8_t *buf, size_t len, vcf_vmsg_output *out)
{
    vmsg_out_reset(out, &b->arena);
    vcf_vmsg_msg m;
    vcf_vmsg_class cls;
    int rc = relay_in(b, buf, len, &m, &cls, out);
    if (rc != VCF_OK)
        return rc;
    uint16_t dev = m.hdr.dev_num;
    if (!bit_get(b->validated, dev)) /* DISC-01: only validated numbers reach the driver */
        return vmsg_drop(out, R(DISC_01), NONE, VCF_E_NOTFOUND, "dev_num", OFF_DEV_NUM,
                         "a device number the bus has not validated");
    size_t size = m.hdr.msg_size;
    if (cls.event) { /* NOTIF-10: straight to the driver, whatever is in flight */
        relay(b, out, VCF_VMSG_TO_DRIVER, buf, size, false, 0);
        return vmsg_finish(out, VCF_OK);
    }
    if (!cls.response)
        return vmsg_drop(out, discard_rule(b), NONE, VCF_E_BAD_KIND, "type", 0,
                         "a request from a device, which sends none");

    /* Match: by token where the device echoes it, else the oldest request of that kind. */
    bool by_token = rfc3(b) || b->cfg.link.opt.echo_token;
    uint8_t type = (uint8_t)(m.hdr.type & (VCF_VMSG_TYPE_BUS | VCF_VMSG_TYPE_RESPONSE));
    int hit = -1;
    for (size_t i = 0; i < b->n_inflight && hit < 0; i++) {
        const vcf_vmsg_inflight *r = &b->inflight[i];
        if (r->dev_num != dev)
            continue;
        if (by_token ? r->bus_token == m.hdr.token
                     : ((r->type | VCF_VMSG_TYPE_RESPONSE) == type && r->msg_id == m.hdr.msg_id &&
                        r->held < 0))
            hit = (int)i;
    }
    if (hit < 0)
        return vmsg_drop(out, unmatched_rule(b), NONE, VCF_E_NOTFOUND, "token", OFF_TOKEN,
                         "a response that answers no request in flight to this device");
    vcf_vmsg_inflight *r = &b->inflight[hit];
    if ((r->type | VCF_VMSG_TYPE_RESPONSE) != type || r->msg_id != m.hdr.msg_id) {
        vmsg_verdictv(out, unmatched_rule(b), NONE, VCF_VMSG_ACT_DROP, VCF_E_MISMATCH, "msg_id", 1,
                      "the response is not of the kind of the request with its token", r->msg_id,
                      m.hdr.msg_id, true);
        return vmsg_finish(out, VCF_E_MISMATCH);
    }
    if (r->held >= 0) /* ORD-02: exactly one response per request */
        return vmsg_drop(out, unmatched_rule(b), NONE, VCF_E_DUPLICATE, "token", OFF_TOKEN,
                         "a second response to a request already answered");
    if (hit == oldest(b, dev)) { /* ORD-01: in forwarding order */
        relay(b, out, VCF_VMSG_TO_DRIVER, buf, size, true, r->driver_token); /* HDR-14 */
        forget(b, (size_t)hit);
        release(b, dev, out);
        return vmsg_finish(out, VCF_OK);
    }
    int slot = hold_slot(b, dev);
    if (slot < 0)
        return vmsg_drop(out, R(ORD_01), NONE, VCF_E_EXHAUSTED, "dev_num", OFF_DEV_NUM,
                         "no room to hold a response until the earlier ones are answered; the "
                         "request stays in flight until it times out");
    vcf_vmsg_held *h = &b->held[slot];
    h->used = true;
    h->len = size;
    memcpy(h->buf, buf, size);
    vcf_st16le(h->buf + OFF_TOKEN, r->driver_token);
    r->held = slot;
    return vmsg_finish(out, VCF_OK);
}

int vcf_vmsg_bus_timeout(vcf_vmsg_bus *b, uint16_t dev_num, vcf_vmsg_output *out)
{
    vmsg_out_reset(out, &b->arena);
    int i = oldest(b, dev_num);
    if (i < 0)
        return vmsg_refuse(out, R(ERR_01), VCF_E_NOTFOUND, "dev_num",
                           "no request to this device is in flight");
    /* ERR-01, ORD-02: a local failure takes the place of the response that never came. */
    vmsg_event(out, VCF_VMSG_EV_FAILURE, dev_num, b->inflight[i].msg_id, 1,
               b->inflight[i].driver_token);
    forget(b, (size_t)i);
    release(b, dev_num, out);
    return vmsg_finish(out, VCF_OK);
}
