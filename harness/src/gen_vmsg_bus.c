/* SPDX-License-Identifier: MIT */
/*
 * Golden vectors for the virtio-msg bus (role virtio-msg-bus): the implementation under test is
 * a bus, the harness plays its peer bus (channel "peer"), the local driver ("driver") and the
 * devices behind it ("device"). docs/vectors/virtio-msg-bus.md describes the groups and
 * families and lists the rules no adapter can observe.
 *
 * Families:
 *   responder  GET_DEVICES windows and bitmaps, PING echo, EVENT_DEVICE on hotplug, discards;
 *   requester  enumeration along next_offset, checks of the peer's answers, PING, EVENT_DEVICE
 *              from the peer;
 *   relay      routing by dev_num, bus tokens (masked where the bus chooses them; the driver's
 *              own token must come back), per-device order with early responses held, exactly
 *              one outcome per request, local failures, events, size limits.
 *
 * Tokens the bus chooses (its own GET_DEVICES and PING, and under PR28 the token on a relayed
 * request) are masked where the bus sends them, and every answer that echoes one takes it from
 * the message the implementation actually sent (vcf_gen_copy of bytes 4..5): a bus numbering
 * its requests differently from the model sees its own tokens come back. The stored hex holds
 * the model's token. Tokens the harness chooses (the driver's, the peer's requests) and
 * deliberately wrong ones are injected as written.
 *
 * Every stimulus is built with the codec's encoder; malformed ones are good encodings with
 * named bytes changed afterwards.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "vconform/adapter.h"
#include "vconform/vmsg.h"
#include "vconform/vmsg_model.h"

#define CH_PEER   0u
#define CH_DRIVER 1u
#define CH_DEVICE 2u

#define OFF_TYPE     0u
#define OFF_MSG_ID   1u
#define OFF_DEV_NUM  2u
#define OFF_TOKEN    4u
#define OFF_MSG_SIZE 6u

#define FRAME_CAP 1024u

/* ---- frames --------------------------------------------------------------------------------- */

typedef struct frame {
    size_t n;
    uint8_t b[FRAME_CAP];
} frame;

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v & 0xFFu);
    p[1] = (uint8_t)(v >> 8);
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static frame encode(const vcf_vmsg_msg *m)
{
    frame f;
    vcf_error err;
    memset(&err, 0, sizeof err);
    int n = vcf_vmsg_encode(m, f.b, sizeof f.b, &err);
    if (n < 0) {
        fprintf(stderr, "gen_vmsg_bus: cannot encode %s: field %s: %d\n",
                vcf_vmsg_kind_name(m->kind) ? vcf_vmsg_kind_name(m->kind) : "?",
                err.field ? err.field : "?", n);
        abort();
    }
    f.n = (size_t)n;
    return f;
}

static vcf_vmsg_msg start(vcf_vmsg_kind kind, uint16_t dev_num, uint16_t token)
{
    vcf_vmsg_msg m;
    if (vcf_vmsg_init(&m, kind, dev_num, token) != 0) {
        fprintf(stderr, "gen_vmsg_bus: no header for kind %d\n", (int)kind);
        abort();
    }
    return m;
}

/* A list of device numbers: DEVS(0, 2, 5) */
#define DEVS(...)                                                                                  \
    (const uint16_t[]){__VA_ARGS__}, sizeof((const uint16_t[]){__VA_ARGS__}) / sizeof(uint16_t)

/* ---- bus messages ---- */

static frame getdev_req(uint16_t token, uint16_t offset, uint16_t count)
{
    vcf_vmsg_msg m = start(VCF_VMSG_K_BUS_GET_DEVICES_REQ, 0, token);
    m.u.devices.offset = offset;
    m.u.devices.count = count;
    return encode(&m);
}

/* A GET_DEVICES response describing the window [offset, offset + count) with the listed
 * devices set (device offset + n is bit n % 8 of byte n / 8). */
static frame getdev_resp(uint16_t token, uint16_t offset, uint16_t count, uint16_t next,
                         const uint16_t *devs, size_t n_devs)
{
    static uint8_t bitmap[8192];
    size_t bytes = ((size_t)count + 7u) / 8u;
    memset(bitmap, 0, bytes);
    for (size_t i = 0; i < n_devs; i++) {
        uint32_t d = devs[i];
        if (d >= offset && d < (uint32_t)offset + count)
            bitmap[(d - offset) / 8u] =
                (uint8_t)(bitmap[(d - offset) / 8u] | (1u << ((d - offset) % 8u)));
    }
    vcf_vmsg_msg m = start(VCF_VMSG_K_BUS_GET_DEVICES_RESP, 0, token);
    m.u.devices.offset = offset;
    m.u.devices.count = count;
    m.u.devices.next_offset = next;
    m.u.devices.bitmap.ptr = bitmap;
    m.u.devices.bitmap.len = bytes;
    return encode(&m);
}

static frame ping_req(uint16_t token, uint32_t data)
{
    vcf_vmsg_msg m = start(VCF_VMSG_K_BUS_PING_REQ, 0, token);
    m.u.ping = data;
    return encode(&m);
}

static frame ping_resp(uint16_t token, uint32_t data)
{
    vcf_vmsg_msg m = start(VCF_VMSG_K_BUS_PING_RESP, 0, token);
    m.u.ping = data;
    return encode(&m);
}

static frame evdev(uint16_t token, uint16_t device, uint16_t state)
{
    vcf_vmsg_msg m = start(VCF_VMSG_K_BUS_EVENT_DEVICE, 0, token);
    m.u.event_device.device_number = device;
    m.u.event_device.state = state;
    return encode(&m);
}

/* An implementation-defined message (type bits and msg_id given) with an opaque payload. */
static frame impl_msg(uint8_t type, uint8_t msg_id, uint16_t dev_num, uint16_t token,
                      const char *payload)
{
    vcf_vmsg_msg m;
    memset(&m, 0, sizeof m);
    m.kind = VCF_VMSG_K_IMPL_DEFINED;
    m.hdr.type = type;
    m.hdr.msg_id = msg_id;
    m.hdr.dev_num = dev_num;
    m.hdr.token = token;
    m.u.opaque.ptr = (const uint8_t *)payload;
    m.u.opaque.len = strlen(payload);
    return encode(&m);
}

/* ---- transport messages ---- */

/* GET_CONFIG requests carry an id in their offset field and the responses echo it (with data
 * derived from it), so a response delivered to the driver says which request it answers. */
static frame cfg_req(uint16_t dev, uint16_t token, uint32_t id)
{
    vcf_vmsg_msg m = start(VCF_VMSG_K_GET_CONFIG_REQ, dev, token);
    m.u.config.offset = id;
    m.u.config.length = 4;
    return encode(&m);
}

static frame cfg_resp_len(uint16_t dev, uint16_t token, uint32_t id, uint32_t len)
{
    static uint8_t data[512];
    for (uint32_t i = 0; i < len && i < sizeof data; i++)
        data[i] = (uint8_t)((id ^ 0xA5u) + i);
    vcf_vmsg_msg m = start(VCF_VMSG_K_GET_CONFIG_RESP, dev, token);
    m.u.config.generation = 0;
    m.u.config.offset = id;
    m.u.config.length = len;
    m.u.config.data.ptr = data;
    m.u.config.data.len = len;
    return encode(&m);
}

static frame cfg_resp(uint16_t dev, uint16_t token, uint32_t id)
{
    return cfg_resp_len(dev, token, id, 4);
}

static frame set_cfg_req(uint16_t dev, uint16_t token, uint32_t gen, uint32_t offset,
                         const uint8_t *data, uint32_t len)
{
    vcf_vmsg_msg m = start(VCF_VMSG_K_SET_CONFIG_REQ, dev, token);
    m.u.config.generation = gen;
    m.u.config.offset = offset;
    m.u.config.length = len;
    m.u.config.data.ptr = data;
    m.u.config.data.len = len;
    return encode(&m);
}

static frame info_req(uint16_t dev, uint16_t token)
{
    vcf_vmsg_msg m = start(VCF_VMSG_K_GET_DEVICE_INFO_REQ, dev, token);
    return encode(&m);
}

/* The GET_DEVICE_INFO answer of the reference's example device (network device 1). */
static frame info_resp(uint16_t dev, uint16_t token)
{
    vcf_vmsg_msg m = start(VCF_VMSG_K_GET_DEVICE_INFO_RESP, dev, token);
    m.u.device_info.device_id = 1;
    m.u.device_info.vendor_id = 0x554D4551u;
    m.u.device_info.num_feature_bits = 64;
    m.u.device_info.config_size = 12;
    m.u.device_info.max_virtqueues = 3;
    return encode(&m);
}

static frame status_req(uint16_t dev, uint16_t token)
{
    vcf_vmsg_msg m = start(VCF_VMSG_K_GET_DEVICE_STATUS_REQ, dev, token);
    return encode(&m);
}

static frame status_resp(uint16_t dev, uint16_t token, uint32_t status)
{
    vcf_vmsg_msg m = start(VCF_VMSG_K_GET_DEVICE_STATUS_RESP, dev, token);
    m.u.status = status;
    return encode(&m);
}

static frame event_avail(uint16_t dev, uint16_t token, uint32_t vq, uint32_t next)
{
    vcf_vmsg_msg m = start(VCF_VMSG_K_EVENT_AVAIL, dev, token);
    m.u.event_avail.vq_index = vq;
    m.u.event_avail.next_offset = next;
    return encode(&m);
}

static frame event_used(uint16_t dev, uint16_t token, uint32_t vq)
{
    vcf_vmsg_msg m = start(VCF_VMSG_K_EVENT_USED, dev, token);
    m.u.index = vq;
    return encode(&m);
}

static frame event_config(uint16_t dev, uint32_t status, uint32_t gen, uint32_t offset,
                          const uint8_t *data, uint32_t len)
{
    vcf_vmsg_msg m = start(VCF_VMSG_K_EVENT_CONFIG, dev, 0);
    m.u.event_config.device_status = status;
    m.u.event_config.generation = gen;
    m.u.event_config.offset = offset;
    m.u.event_config.length = len;
    m.u.event_config.data.ptr = data;
    m.u.event_config.data.len = len;
    return encode(&m);
}

/* ---- steps ---------------------------------------------------------------------------------- */

static const uint8_t token_mask[2] = {0, 0};

static void inject(vcf_gen *g, uint32_t channel, const frame *f)
{
    vcf_gen_inject(g, channel, f->b, f->n);
}

/* Inject only the first len bytes of f (a frame cut short). */
static void inject_cut(vcf_gen *g, uint32_t channel, const frame *f, size_t len)
{
    vcf_gen_inject(g, channel, f->b, len);
}

static void set_device(vcf_gen *g, uint16_t dev, bool present, bool announce)
{
    vcf_gen_action(g, VCF_ACT_VMSG_SET_DEVICE, dev, present ? 1u : 0u, announce ? 1u : 0u, NULL, 0);
}

/* Set-up: devices known from platform data, present and not announced. Whether the bus reports
 * them to its upper layer is not what these steps test (vmsg-bus-hotplug-* cases do), so a
 * device-ready report may come or not. */
static void platform(vcf_gen *g, const uint16_t *devs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        set_device(g, devs[i], true, false);
        vcf_gen_ignore_event(g, VCF_EVT_VMSG_BASE + (uint32_t)VCF_VMSG_EV_DEVICE_READY);
    }
}

static void timeout(vcf_gen *g, uint16_t dev)
{
    vcf_gen_action(g, VCF_ACT_VMSG_REQUEST_TIMEOUT, dev, 0, 0, NULL, 0);
}

/* A token an answer echoes: the value written into the stimulus and, when the bus chose it,
 * where the implementation emitted it (message msg after step), to copy from at run time. */
typedef struct tok {
    uint16_t v;
    bool copy;
    size_t step, msg;
} tok;

/* A token the harness chooses (or a deliberately wrong one): injected as written. */
static tok lit(uint16_t v)
{
    tok t = {v, false, 0, 0};
    return t;
}

/* The token of message i of the last step, as the model emitted it. */
static uint16_t last_token(vcf_gen *g, size_t i)
{
    size_t len = 0;
    const uint8_t *m = vcf_gen_last_msg(g, i, &len);
    if (!m || len < 8) {
        fprintf(stderr, "gen_vmsg_bus: the last step emitted no message %zu\n", i);
        abort();
    }
    return get16(m + OFF_TOKEN);
}

/* Message i of the last step carries a token the bus chooses: not compared. */
static void mask_token(vcf_gen *g, size_t i)
{
    vcf_gen_mask(g, i, OFF_TOKEN, token_mask, sizeof token_mask);
}

/* Message i of the last step carries a token the bus chooses: masked, and answers echoing it
 * copy it from there. */
static tok bus_tok(vcf_gen *g, size_t i)
{
    tok t = {last_token(g, i), true, vcf_gen_step_index(g), i};
    mask_token(g, i);
    return t;
}

/* Inject an answer that echoes token t (already written in f): a token the bus chose is copied
 * from the message it sent. */
static void inject_tok(vcf_gen *g, uint32_t channel, const frame *f, tok t)
{
    if (t.copy) {
        if (f->n < OFF_TOKEN + 2u || get16(f->b + OFF_TOKEN) != t.v) {
            fprintf(stderr, "gen_vmsg_bus: an answer that does not hold the token it echoes\n");
            abort();
        }
        vcf_gen_copy(g, t.step, t.msg, OFF_TOKEN, OFF_TOKEN, 2);
    }
    inject(g, channel, f);
}

/* The requester starts an enumeration; returns the token of its GET_DEVICES (masked). */
static tok enumerate(vcf_gen *g)
{
    vcf_gen_action(g, VCF_ACT_VMSG_ENUMERATE, 0, 0, 0, NULL, 0);
    return bus_tok(g, 0);
}

static tok ping(vcf_gen *g, uint32_t data)
{
    vcf_gen_action(g, VCF_ACT_VMSG_PING, data, 0, 0, NULL, 0);
    return bus_tok(g, 0);
}

/* The peer answers a GET_DEVICES window (echoing token); when the enumeration goes on, the next
 * request's token is returned (masked), else a literal 0. */
static tok window(vcf_gen *g, tok token, uint16_t offset, uint16_t count, uint16_t next,
                  const uint16_t *devs, size_t n)
{
    frame f = getdev_resp(token.v, offset, count, next, devs, n);
    inject_tok(g, CH_PEER, &f, token);
    size_t len = 0;
    if (!vcf_gen_last_msg(g, 0, &len))
        return lit(0);
    return bus_tok(g, 0);
}

/* The driver sends GET_CONFIG (offset = id) to dev; the bus forwards it to the device. Returns
 * the token on the forwarded copy: under PR28 the bus's own (masked and copied into answers: the
 * bus chooses it), under RFC3 the driver's, which must travel unchanged. */
static tok forward(vcf_gen *g, bool bus_token, uint16_t dev, uint16_t token, uint32_t id)
{
    frame f = cfg_req(dev, token, id);
    inject(g, CH_DRIVER, &f);
    return bus_token ? bus_tok(g, 0) : lit(last_token(g, 0));
}

/* The device answers the request with id, echoing token. */
static void answer(vcf_gen *g, uint16_t dev, tok token, uint32_t id)
{
    frame f = cfg_resp(dev, token.v, id);
    inject_tok(g, CH_DEVICE, &f, token);
}

/* ---- groups --------------------------------------------------------------------------------- */

static void group(vcf_gen *g, const char *description, const char *rev, uint32_t max, uint32_t win)
{
    vcf_gen_group(g, description);
    vcf_gen_param(g, "rev", rev);
    vcf_gen_param_u64(g, "max_msg_size", max);
    vcf_gen_param_u64(g, "window", win);
    /* A13: a device (and the peer bus) copies the request's token into its response. */
    vcf_gen_param(g, "model.echo_token", "1");
    /* A11: a GET_DEVICES window that is not a multiple of 8 is discarded. */
    vcf_gen_param(g, "model.getdev_round", "0");
}

#define CASE(id, result, desc) vcf_gen_case(g, id, VCF_VRESULT_##result, desc)
#define RULES(...)             vcf_gen_rules(g, __VA_ARGS__, (const char *)NULL)

/* ==== PR28, 264 bytes, window 64: responder =================================================== */

static void responder_getdev(vcf_gen *g)
{
    frame f;

    CASE("vmsg-bus-getdev-spec-example", VALID,
         "Devices 0, 2, 5 and 20: the window 0..15 is answered with bitmap 25 00 and next_offset "
         "16, the spec's own example.");
    RULES("VMSG-GETDEV-01", "VMSG-GETDEV-02", "VMSG-GETDEV-03", "VMSG-HDR-11", "VMSG-HDR-12",
          "VMSG-DEVNUM-02");
    platform(g, DEVS(0, 2, 5, 20));
    f = getdev_req(0x0009, 0, 16);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-getdev-last-window", VALID,
         "With no device past the window, the GET_DEVICES answer ends the walk with next_offset "
         "0.");
    RULES("VMSG-GETDEV-01", "VMSG-GETDEV-02", "VMSG-DEVNUM-02");
    platform(g, DEVS(0, 2, 5));
    f = getdev_req(0x0031, 0, 16);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-getdev-bit-order-top-bit", VALID,
         "Devices 8 and 15 in the window 8..15 are the lowest and highest bit of the one bitmap "
         "byte (0x81).");
    RULES("VMSG-GETDEV-01");
    platform(g, DEVS(8, 15));
    f = getdev_req(0x0032, 8, 8);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-getdev-bit-order-single", VALID,
         "Device 1 alone is bit 1 of the first bitmap byte (0x02), never bit 6.");
    RULES("VMSG-GETDEV-01");
    platform(g, DEVS(1));
    f = getdev_req(0x0033, 0, 8);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-getdev-next-offset-skips-empty", VALID,
         "After the window 16..23 the next present device is 203, so next_offset is its aligned "
         "block 200, skipping the empty ones.");
    RULES("VMSG-GETDEV-02", "VMSG-DEVNUM-02");
    platform(g, DEVS(17, 203));
    f = getdev_req(0x0034, 16, 8);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-getdev-offset-window", VALID,
         "The window 64..127 describes devices 64 and 127 in its first and last bitmap bits and "
         "leaves device 63 outside it.");
    RULES("VMSG-GETDEV-01", "VMSG-GETDEV-02", "VMSG-GETDEV-03");
    platform(g, DEVS(63, 64, 127));
    f = getdev_req(0x0035, 64, 64);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE(
        "vmsg-bus-getdev-empty-bus", VALID,
        "A bus with no device answers the window 0..63 with an all-zero bitmap and next_offset 0.");
    RULES("VMSG-GETDEV-01", "VMSG-GETDEV-02", "VMSG-GETDEV-03");
    f = getdev_req(0x0036, 0, 64);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-getdev-count-zero", VALID,
         "A window of count 0 is answered with no bitmap and a next_offset naming the next "
         "present block.");
    RULES("VMSG-GETDEV-01", "VMSG-GETDEV-02");
    platform(g, DEVS(20));
    f = getdev_req(0x0037, 8, 0);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-getdev-past-last-device", VALID,
         "A window 0xFFF8..0x10007 is cut at the last device number: count 8, bitmap 0x81 for "
         "devices 0xFFF8 and 0xFFFF, next_offset 0.");
    RULES("VMSG-GETDEV-05", "VMSG-GETDEV-02");
    platform(g, DEVS(0xFFF8, 0xFFFF));
    f = getdev_req(0x0038, 0xFFF8, 16);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-getdev-window-clipped-to-max-size", VALID,
         "A request for 0xFFF8 devices at a 264-byte maximum is answered with the largest window "
         "that fits (2000 devices, 250 bitmap bytes) and next_offset 2000.");
    RULES("VMSG-GETDEV-03", "VMSG-GETDEV-05", "VMSG-GETDEV-02");
    platform(g, DEVS(0, 1999, 2003));
    f = getdev_req(0x0039, 0, 0xFFF8);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-getdev-misaligned-offset", INVALID,
         "A GET_DEVICES request with offset 3 (not a multiple of 8) is discarded without an "
         "answer.");
    RULES("VMSG-GETDEV-01", "VMSG-ERR-02");
    vcf_gen_variant(g, "getdev-misaligned-rounded", "model.getdev_round", "1");
    platform(g, DEVS(1, 10));
    f = getdev_req(0x003A, 3, 16);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-getdev-misaligned-count", INVALID,
         "A GET_DEVICES request for 0xFF devices (not a multiple of 8, as one Linux bus sends) is "
         "discarded without an answer.");
    RULES("VMSG-GETDEV-01", "VMSG-ERR-02");
    vcf_gen_variant(g, "getdev-misaligned-rounded", "model.getdev_round", "1");
    platform(g, DEVS(1, 10));
    f = getdev_req(0x003B, 0, 0xFF);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-getdev-dev-num-ignored", INVALID,
         "A GET_DEVICES request carrying dev_num 5 is answered as usual, with dev_num 0 in the "
         "response.");
    RULES("VMSG-HDR-11", "VMSG-HDR-15");
    platform(g, DEVS(2));
    f = getdev_req(0x003C, 0, 8);
    put16(f.b + OFF_DEV_NUM, 5); /* bytes 2..3: dev_num on a bus message */
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-getdev-after-hotplug", VALID,
         "A device that arrives and one that leaves are reflected in the next GET_DEVICES answer.");
    RULES("VMSG-GETDEV-01", "VMSG-DEVNUM-02", "VMSG-HOTPLUG-01");
    platform(g, DEVS(1, 4));
    set_device(g, 6, true, true);
    set_device(g, 1, false, true);
    f = getdev_req(0x003D, 0, 8);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);
}

static void responder_ping_hotplug(vcf_gen *g)
{
    frame f;

    CASE("vmsg-bus-ping-spec-example", VALID,
         "PING with data 0xDEADBEEF is answered with the same data and the request's token.");
    RULES("VMSG-PING-01", "VMSG-HDR-11", "VMSG-HDR-12");
    f = ping_req(0x000A, 0xDEADBEEFu);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-ping-zero", VALID, "PING with data 0 is answered with data 0.");
    RULES("VMSG-PING-01");
    f = ping_req(0x000B, 0);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-ping-all-ones", VALID,
         "PING with data 0xFFFFFFFF and token 0xFFFF is answered with both unchanged.");
    RULES("VMSG-PING-01");
    f = ping_req(0xFFFF, 0xFFFFFFFFu);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-ping-byte-pattern", VALID,
         "PING with data 0x01020304 comes back byte for byte, in the same little-endian order.");
    RULES("VMSG-PING-01");
    f = ping_req(0x0102, 0x01020304u);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-ping-reserved-type-bit", INVALID,
         "A PING with reserved type bit 2 set is answered as a PING, with type exactly 0x03.");
    RULES("VMSG-HDR-15", "VMSG-HDR-12", "VMSG-PING-01");
    f = ping_req(0x0003, 1);
    f.b[OFF_TYPE] = 0x06; /* byte 0: reserved bit 2 on a bus request */
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-hotplug-ready", VALID,
         "A device that becomes present is announced to the peer with EVENT_DEVICE READY, dev_num "
         "0 and token 0.");
    RULES("VMSG-HOTPLUG-01", "VMSG-BUSMSG-01", "VMSG-HDR-11", "VMSG-HDR-12");
    set_device(g, 3, true, true);
    vcf_gen_end(g);

    CASE("vmsg-bus-hotplug-removed", VALID,
         "A device that goes away is announced to the peer with EVENT_DEVICE REMOVED.");
    RULES("VMSG-HOTPLUG-01", "VMSG-BUSMSG-01");
    set_device(g, 3, true, true);
    set_device(g, 3, false, true);
    vcf_gen_end(g);

    CASE("vmsg-bus-hotplug-no-change", VALID,
         "Setting an already present device present again announces nothing.");
    RULES("VMSG-HOTPLUG-01");
    set_device(g, 3, true, true);
    set_device(g, 3, true, true);
    vcf_gen_end(g);

    CASE("vmsg-bus-hotplug-last-device-number", VALID,
         "Device 0xFFFF is announced with its full 16-bit number in device_number.");
    RULES("VMSG-HOTPLUG-01");
    set_device(g, 0xFFFF, true, true);
    vcf_gen_end(g);

    CASE("vmsg-bus-hotplug-platform-data-silent", VALID,
         "A device known from platform data only (no announcement asked) sends nothing to the "
         "peer.");
    RULES("VMSG-DISC-03");
    set_device(g, 9, true, false);
    vcf_gen_end(g);
}

static void responder_discards(vcf_gen *g)
{
    frame f;

    CASE("vmsg-bus-rx-short-frame", INVALID,
         "A PING whose buffer ends 2 bytes before its msg_size is discarded without an answer.");
    RULES("VMSG-ERR-02");
    f = ping_req(0x0001, 1);
    inject_cut(g, CH_PEER, &f, f.n - 2);
    vcf_gen_end(g);

    CASE("vmsg-bus-rx-inside-header", INVALID,
         "A 5-byte message, cut inside the header, is discarded without an answer.");
    RULES("VMSG-ERR-02");
    f = ping_req(0x0001, 1);
    inject_cut(g, CH_PEER, &f, 5);
    vcf_gen_end(g);

    CASE("vmsg-bus-rx-msg-size-below-header", INVALID,
         "A PING whose msg_size says 4, less than the header, is discarded without an answer.");
    RULES("VMSG-ERR-02");
    f = ping_req(0x0001, 1);
    put16(f.b + OFF_MSG_SIZE, 4); /* bytes 6..7 */
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rx-unknown-bus-request", INVALID,
         "A bus request with the undefined msg_id 0x05 is discarded without an answer.");
    RULES("VMSG-ERR-02");
    f = ping_req(0x0001, 1);
    f.b[OFF_MSG_ID] = 0x05; /* byte 1 */
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rx-transport-on-peer-link", INVALID,
         "A transport request (GET_DEVICE_STATUS) arriving from the peer bus is discarded without "
         "an answer.");
    RULES("VMSG-ERR-02");
    f = status_req(1, 1);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rx-impl-defined-request", INVALID,
         "An implementation-defined bus request (0x80) the bus does not implement is discarded "
         "without an answer.");
    RULES("VMSG-ERR-02");
    f = impl_msg(0x02, 0x80, 0, 1, "abcd");
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rx-impl-defined-event", INVALID,
         "An implementation-defined bus event (0xC0) is never answered.");
    RULES("VMSG-ERR-03", "VMSG-ERR-02");
    f = impl_msg(0x02, 0xC0, 0, 0, "ab");
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rx-event-device-truncated", INVALID,
         "An EVENT_DEVICE cut 2 bytes short is never answered and changes nothing.");
    RULES("VMSG-ERR-03", "VMSG-ERR-02");
    f = evdev(0, 3, VCF_VMSG_BUS_STATE_READY);
    inject_cut(g, CH_PEER, &f, f.n - 2);
    vcf_gen_end(g);

    CASE("vmsg-bus-rx-response-bit-on-event", INVALID,
         "An EVENT_DEVICE with the response bit set (type 0x03) is discarded without an answer "
         "or an upper-layer event.");
    RULES("VMSG-ERR-03", "VMSG-ERR-02");
    f = evdev(0, 3, VCF_VMSG_BUS_STATE_READY);
    f.b[OFF_TYPE] = 0x03; /* byte 0: a "response" to an event */
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rx-event-device-not-answered", VALID,
         "A well-formed EVENT_DEVICE READY is acted on but never answered.");
    RULES("VMSG-ERR-03");
    f = evdev(0, 3, VCF_VMSG_BUS_STATE_READY);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);
}

/* ==== PR28, 264 bytes, window 64: requester =================================================== */

static void requester(vcf_gen *g)
{
    frame f;
    tok t;

    CASE("vmsg-bus-enum-single-window", VALID,
         "Enumeration asks for the window 0..63; an answer with device 1 and next_offset 0 makes "
         "device 1 ready and ends the enumeration.");
    RULES("VMSG-BUSMSG-01", "VMSG-DISC-01", "VMSG-DISC-02", "VMSG-HOTPLUG-02", "VMSG-HDR-11",
          "VMSG-HDR-12");
    t = enumerate(g);
    window(g, t, 0, 64, 0, DEVS(1));
    vcf_gen_end(g);

    CASE("vmsg-bus-enum-follows-next-offset", VALID,
         "Enumeration follows next_offset from 0 to 64 to 192, asking each window in turn, and "
         "reports every device found.");
    RULES("VMSG-BUSMSG-01", "VMSG-DISC-01", "VMSG-DISC-02", "VMSG-GETDEV-02");
    t = enumerate(g);
    t = window(g, t, 0, 64, 64, DEVS(1));
    t = window(g, t, 64, 64, 192, DEVS(70));
    window(g, t, 192, 64, 0, DEVS(200));
    vcf_gen_end(g);

    CASE("vmsg-bus-enum-two-in-one-window", VALID,
         "Devices 70 and 127 found in one window are both reported ready (lowest first, length "
         "2).");
    RULES("VMSG-DISC-01", "VMSG-DISC-02");
    t = enumerate(g);
    t = window(g, t, 0, 64, 64, DEVS(0));
    window(g, t, 64, 64, 0, DEVS(70, 127));
    vcf_gen_end(g);

    CASE("vmsg-bus-enum-empty", VALID,
         "An all-zero first window with next_offset 0 ends the enumeration with no device.");
    RULES("VMSG-DISC-01");
    t = enumerate(g);
    window(g, t, 0, 64, 0, NULL, 0);
    vcf_gen_end(g);

    CASE("vmsg-bus-enum-again-no-new-device", VALID,
         "A second enumeration that finds the same device reports no new device, only its end.");
    RULES("VMSG-DISC-02", "VMSG-HOTPLUG-02");
    t = enumerate(g);
    window(g, t, 0, 64, 0, DEVS(1));
    t = enumerate(g);
    window(g, t, 0, 64, 0, DEVS(1));
    vcf_gen_end(g);

    CASE("vmsg-bus-enum-validates-for-relay", VALID,
         "A device found by enumeration can be addressed by the driver; a device number the "
         "window left empty cannot.");
    RULES("VMSG-DISC-01", "VMSG-DEVNUM-03", "VMSG-FWD-01");
    t = enumerate(g);
    window(g, t, 0, 64, 0, DEVS(9));
    forward(g, true, 9, 0x0091, 1);
    f = cfg_req(10, 0x00A1, 2);
    inject(g, CH_DRIVER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-enum-bitmap-lsb-first", VALID,
         "A window whose first bitmap byte is 0x25 makes devices 0, 2 and 5 valid, read "
         "LSB-first.");
    RULES("VMSG-GETDEV-01", "VMSG-DISC-01");
    t = enumerate(g);
    window(g, t, 0, 64, 0, DEVS(0, 2, 5));
    forward(g, true, 2, 0x0022, 1);
    f = cfg_req(7, 0x0077, 2); /* MSB-first reading would make 7 valid */
    inject(g, CH_DRIVER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-enum-size-mismatch-dropped", INVALID,
         "A GET_DEVICES answer with a 64-byte bitmap for count 64 (msg_size 14 + count) is "
         "dropped; the correct answer that follows is used.");
    RULES("VMSG-GETDEV-05", "VMSG-GETDEV-01");
    t = enumerate(g);
    f = getdev_resp(t.v, 0, 512, 0, DEVS(1));
    put16(f.b + 10, 64); /* bytes 10..11: count 64, but the bitmap is 64 bytes long */
    inject_tok(g, CH_PEER, &f, t);
    window(g, t, 0, 64, 0, DEVS(1));
    vcf_gen_end(g);

    CASE("vmsg-bus-enum-wrong-offset-dropped", INVALID,
         "A GET_DEVICES answer echoing offset 8 to a request for offset 0 is dropped; no device "
         "is reported.");
    RULES("VMSG-GETDEV-05");
    t = enumerate(g);
    f = getdev_resp(t.v, 8, 64, 0, DEVS(9));
    inject_tok(g, CH_PEER, &f, t);
    vcf_gen_end(g);

    CASE("vmsg-bus-enum-count-not-multiple-of-8-dropped", INVALID,
         "A GET_DEVICES answer with count 3 (a device count, as OP-TEE sends) is dropped.");
    RULES("VMSG-GETDEV-01");
    t = enumerate(g);
    f = getdev_resp(t.v, 0, 3, 0, DEVS(0));
    inject_tok(g, CH_PEER, &f, t);
    vcf_gen_end(g);

    CASE("vmsg-bus-enum-window-larger-than-asked-dropped", INVALID,
         "A GET_DEVICES answer for 128 devices to a request for 64 is dropped.");
    RULES("VMSG-GETDEV-05");
    t = enumerate(g);
    f = getdev_resp(t.v, 0, 128, 0, DEVS(0, 100));
    inject_tok(g, CH_PEER, &f, t);
    vcf_gen_end(g);

    CASE("vmsg-bus-enum-smaller-window-used", VALID,
         "A smaller window (0..7, next_offset 8) is used and the enumeration goes on at 8.");
    RULES("VMSG-GETDEV-03", "VMSG-DISC-01");
    t = enumerate(g);
    t = window(g, t, 0, 8, 8, DEVS(0));
    window(g, t, 8, 64, 0, DEVS(8));
    vcf_gen_end(g);

    CASE("vmsg-bus-enum-oversize-answer-dropped", INVALID,
         "A GET_DEVICES answer of 270 bytes, above the 264-byte maximum, is dropped.");
    RULES("VMSG-PARAM-02");
    t = enumerate(g);
    f = getdev_resp(t.v, 0, 2048, 0, DEVS(0));
    inject_tok(g, CH_PEER, &f, t);
    vcf_gen_end(g);

    CASE("vmsg-bus-ping-pong", VALID,
         "A ping request goes out as PING with the value; the echo is reported as a pong with that "
         "value.");
    RULES("VMSG-BUSMSG-01", "VMSG-HDR-11", "VMSG-HDR-12");
    t = ping(g, 0xDEADBEEFu);
    f = ping_resp(t.v, 0xDEADBEEFu);
    inject_tok(g, CH_PEER, &f, t);
    vcf_gen_end(g);

    CASE("vmsg-bus-ping-pong-zero", VALID, "A ping with value 0 is reported as a pong with 0.");
    RULES("VMSG-BUSMSG-01");
    t = ping(g, 0);
    f = ping_resp(t.v, 0);
    inject_tok(g, CH_PEER, &f, t);
    vcf_gen_end(g);

    CASE("vmsg-bus-evdev-ready", VALID,
         "EVENT_DEVICE READY for device 5 makes it ready, and the driver can then address it.");
    RULES("VMSG-HOTPLUG-02", "VMSG-DISC-01", "VMSG-DISC-02", "VMSG-FWD-01");
    f = evdev(0, 5, VCF_VMSG_BUS_STATE_READY);
    inject(g, CH_PEER, &f);
    forward(g, true, 5, 0x0055, 1);
    vcf_gen_end(g);

    CASE("vmsg-bus-evdev-duplicate-ready", INVALID,
         "A second EVENT_DEVICE READY for a device already ready is tolerated without a second "
         "ready report.");
    RULES("VMSG-HOTPLUG-02", "VMSG-EVDEV-03");
    f = evdev(0, 5, VCF_VMSG_BUS_STATE_READY);
    inject(g, CH_PEER, &f);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-evdev-removed", VALID,
         "EVENT_DEVICE REMOVED for a ready device reports it removed, and the driver can no "
         "longer address it.");
    RULES("VMSG-HOTPLUG-02", "VMSG-DEVNUM-03");
    f = evdev(0, 5, VCF_VMSG_BUS_STATE_READY);
    inject(g, CH_PEER, &f);
    f = evdev(0, 5, VCF_VMSG_BUS_STATE_REMOVED);
    inject(g, CH_PEER, &f);
    f = cfg_req(5, 0x0055, 1);
    inject(g, CH_DRIVER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-evdev-removed-unknown", INVALID,
         "EVENT_DEVICE REMOVED for a device never reported is tolerated and reports nothing.");
    RULES("VMSG-HOTPLUG-02", "VMSG-EVDEV-03");
    f = evdev(0, 6, VCF_VMSG_BUS_STATE_REMOVED);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-evdev-reserved-states", INVALID,
         "EVENT_DEVICE with the reserved states 0, 3 and 0x7FFF is ignored: no report, and the "
         "device stays unknown.");
    RULES("VMSG-HDR-15");
    f = evdev(0, 7, 0x0000);
    inject(g, CH_PEER, &f);
    f = evdev(0, 7, 0x0003);
    inject(g, CH_PEER, &f);
    f = evdev(0, 7, 0x7FFF);
    inject(g, CH_PEER, &f);
    f = cfg_req(7, 0x0077, 1);
    inject(g, CH_DRIVER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-evdev-impl-defined-state", INVALID,
         "EVENT_DEVICE with an implementation-defined state (0x8000) this bus does not define is "
         "ignored.");
    RULES("VMSG-HDR-15");
    f = evdev(0, 7, 0x8000);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-evdev-dev-num-in-header", INVALID,
         "EVENT_DEVICE READY with the device number also in the header's dev_num (QEMU's form) "
         "still makes the device ready.");
    RULES("VMSG-HDR-11", "VMSG-HDR-15", "VMSG-HOTPLUG-02");
    f = evdev(0, 8, VCF_VMSG_BUS_STATE_READY);
    put16(f.b + OFF_DEV_NUM, 8); /* bytes 2..3 */
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-evdev-removal-fails-in-flight", VALID,
         "EVENT_DEVICE REMOVED fails every request in flight to the device (held responses "
         "included) and drops its late responses.");
    RULES("VMSG-ORD-02", "VMSG-ERR-01", "VMSG-HOTPLUG-02", "VMSG-DISC-01");
    platform(g, DEVS(4, 5));
    {
        tok t1 = forward(g, true, 4, 0x0041, 1);
        tok t2 = forward(g, true, 4, 0x0042, 2);
        forward(g, true, 5, 0x0051, 3);
        answer(g, 4, t2, 2); /* held behind request 1 */
        f = evdev(0, 4, VCF_VMSG_BUS_STATE_REMOVED);
        inject(g, CH_PEER, &f);
        answer(g, 4, t1, 1); /* too late */
    }
    vcf_gen_end(g);
}

/* ==== PR28, 264 bytes, window 64: relay ======================================================= */

static void relay(vcf_gen *g)
{
    frame f;
    tok t, ta, tb, tc;

    CASE("vmsg-bus-relay-device-info", VALID,
         "GET_DEVICE_INFO from the driver reaches device 1 unchanged but for the token, and the "
         "response reaches the driver with the driver's token 0x77.");
    RULES("VMSG-FWD-01", "VMSG-FWD-02", "VMSG-HDR-14", "VMSG-HDR-11", "VMSG-DISC-03");
    platform(g, DEVS(0, 1));
    f = info_req(1, 0x0077);
    inject(g, CH_DRIVER, &f);
    t = bus_tok(g, 0);
    f = info_resp(1, t.v);
    inject_tok(g, CH_DEVICE, &f, t);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-set-config-payload", VALID,
         "SET_CONFIG to device 0 with data aa bb is forwarded with every payload byte unchanged.");
    RULES("VMSG-FWD-01", "VMSG-FWD-02", "VMSG-HDR-11");
    platform(g, DEVS(0));
    {
        static const uint8_t data[2] = {0xAA, 0xBB};
        f = set_cfg_req(0, 0x0004, 5, 0, data, 2);
        inject(g, CH_DRIVER, &f);
        mask_token(g, 0);
    }
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-routes-by-dev-num", VALID,
         "With devices 1 and 2 present, each request goes to the device its dev_num names and "
         "each response back with its own driver token.");
    RULES("VMSG-FWD-01", "VMSG-HDR-11", "VMSG-HDR-14");
    platform(g, DEVS(1, 2));
    ta = forward(g, true, 2, 0x0020, 20);
    tb = forward(g, true, 1, 0x0010, 10);
    answer(g, 1, tb, 10);
    answer(g, 2, ta, 20);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-driver-token-zero", VALID,
         "A driver request with token 0 (PR28 leaves the token to the bus) is forwarded and its "
         "response comes back with token 0.");
    RULES("VMSG-HDR-14", "VMSG-FWD-01");
    platform(g, DEVS(1));
    t = forward(g, true, 1, 0x0000, 1);
    answer(g, 1, t, 1);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-unvalidated-request-dropped", INVALID,
         "A driver request to device 9, which the bus has not validated, is not forwarded.");
    RULES("VMSG-DEVNUM-03");
    platform(g, DEVS(1));
    f = cfg_req(9, 1, 1);
    inject(g, CH_DRIVER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-unvalidated-event-dropped", INVALID,
         "EVENT_AVAIL from the driver to an unvalidated device 9 is not forwarded.");
    RULES("VMSG-DEVNUM-03");
    platform(g, DEVS(1));
    f = event_avail(9, 0, 0, 0);
    inject(g, CH_DRIVER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-unvalidated-device-dropped", INVALID,
         "EVENT_USED from device 9, which the bus has not validated, does not reach the driver.");
    RULES("VMSG-DISC-01");
    platform(g, DEVS(1));
    f = event_used(9, 0, 1);
    inject(g, CH_DEVICE, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-in-order", VALID,
         "Two requests to one device answered in reverse order reach the driver in request order: "
         "the early response is held until the first arrives.");
    RULES("VMSG-ORD-01", "VMSG-HDR-14");
    platform(g, DEVS(1));
    ta = forward(g, true, 1, 0x000A, 100);
    tb = forward(g, true, 1, 0x000B, 101);
    answer(g, 1, tb, 101);
    answer(g, 1, ta, 100);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-in-order-three", VALID,
         "Three requests answered 3, 2, 1 are delivered 1, 2, 3 when the first response arrives.");
    RULES("VMSG-ORD-01");
    platform(g, DEVS(1));
    ta = forward(g, true, 1, 0x00A1, 1);
    tb = forward(g, true, 1, 0x00A2, 2);
    tc = forward(g, true, 1, 0x00A3, 3);
    answer(g, 1, tc, 3);
    answer(g, 1, tb, 2);
    answer(g, 1, ta, 1);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-order-per-device", VALID,
         "Order is kept per device: a response from device 2 goes at once while device 1's early "
         "response waits for its first.");
    RULES("VMSG-ORD-01");
    platform(g, DEVS(1, 2));
    {
        tok a1 = forward(g, true, 1, 0x0011, 1);
        tok a2 = forward(g, true, 2, 0x0021, 2);
        tok b1 = forward(g, true, 1, 0x0012, 3);
        tok b2 = forward(g, true, 2, 0x0022, 4);
        answer(g, 2, a2, 2);
        answer(g, 1, b1, 3);
        answer(g, 2, b2, 4);
        answer(g, 1, a1, 1);
    }
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-same-driver-token-two-devices", VALID,
         "Requests to two devices with the same driver token are both forwarded and each "
         "response returns that token.");
    RULES("VMSG-HDR-14", "VMSG-ORD-01");
    platform(g, DEVS(1, 2));
    ta = forward(g, true, 1, 0x0777, 5);
    tb = forward(g, true, 2, 0x0777, 6);
    answer(g, 2, tb, 6);
    answer(g, 1, ta, 5);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-duplicate-held-response", INVALID,
         "A second copy of a response still held for ordering is dropped; the request is "
         "delivered once.");
    RULES("VMSG-ORD-02");
    platform(g, DEVS(1));
    ta = forward(g, true, 1, 0x0D01, 10);
    tb = forward(g, true, 1, 0x0D02, 11);
    answer(g, 1, tb, 11);
    answer(g, 1, tb, 11);
    answer(g, 1, ta, 10);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-duplicate-after-delivery", INVALID,
         "A second copy of a response already delivered to the driver is dropped.");
    RULES("VMSG-ORD-02");
    platform(g, DEVS(1));
    ta = forward(g, true, 1, 0x0E01, 10);
    answer(g, 1, ta, 10);
    answer(g, 1, ta, 10);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-unrequested-response", INVALID,
         "A response whose token names no request in flight is dropped.");
    RULES("VMSG-ORD-02");
    platform(g, DEVS(1));
    answer(g, 1, lit(0x4321), 12);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-response-wrong-kind", INVALID,
         "A GET_DEVICE_STATUS response carrying the token of a GET_CONFIG in flight is dropped; "
         "the real answer is then delivered.");
    RULES("VMSG-ORD-02");
    platform(g, DEVS(1));
    tc = forward(g, true, 1, 0x0C03, 13);
    f = status_resp(1, tc.v, 0);
    inject_tok(g, CH_DEVICE, &f, tc);
    answer(g, 1, tc, 13);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-response-from-other-device", INVALID,
         "A response from device 2 carrying the token of a request to device 1 is dropped.");
    RULES("VMSG-ORD-02", "VMSG-FWD-01");
    platform(g, DEVS(1, 2));
    tc = forward(g, true, 1, 0x0C03, 13);
    answer(g, 2, tc, 13);
    answer(g, 1, tc, 13);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-timeout-failure", VALID,
         "A request the device never answers ends with a local failure naming the device, the "
         "msg_id and the driver's token.");
    RULES("VMSG-ERR-01", "VMSG-ORD-02");
    platform(g, DEVS(1));
    forward(g, true, 1, 0x00A1, 1);
    timeout(g, 1);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-timeout-releases-held", VALID,
         "When the oldest of four requests times out, the responses held behind it go to the "
         "driver in order after the failure.");
    RULES("VMSG-ERR-01", "VMSG-ORD-01", "VMSG-ORD-02");
    platform(g, DEVS(1));
    forward(g, true, 1, 0x00A1, 1);
    tb = forward(g, true, 1, 0x00A2, 2);
    tc = forward(g, true, 1, 0x00A3, 3);
    forward(g, true, 1, 0x00A4, 4);
    answer(g, 1, tc, 3);
    answer(g, 1, tb, 2);
    timeout(g, 1);
    timeout(g, 1);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-timeout-nothing-in-flight", INVALID,
         "A timeout for a device with no request in flight is refused and reports no failure.");
    RULES("VMSG-ERR-01", "VMSG-ORD-02");
    platform(g, DEVS(1));
    timeout(g, 1);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-late-response-after-timeout", INVALID,
         "A response arriving after its request failed by timeout is dropped: the request has "
         "ended once already.");
    RULES("VMSG-ORD-02");
    platform(g, DEVS(1));
    ta = forward(g, true, 1, 0x00A1, 1);
    timeout(g, 1);
    answer(g, 1, ta, 1);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-event-avail", VALID,
         "EVENT_AVAIL from the driver reaches device 1 byte for byte and is not tracked as a "
         "request.");
    RULES("VMSG-NOTIF-04", "VMSG-NOTIF-05", "VMSG-FWD-02", "VMSG-ORD-02");
    platform(g, DEVS(1));
    f = event_avail(1, 0, 0, 0x80000005u);
    inject(g, CH_DRIVER, &f);
    timeout(g, 1); /* nothing is in flight: an event expects no response */
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-event-used", VALID,
         "EVENT_USED from device 1 reaches the driver byte for byte.");
    RULES("VMSG-NOTIF-10");
    platform(g, DEVS(1));
    f = event_used(1, 0, 1);
    inject(g, CH_DEVICE, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-event-config", VALID,
         "EVENT_CONFIG from device 1 reaches the driver byte for byte.");
    RULES("VMSG-NOTIF-10");
    platform(g, DEVS(1));
    f = event_config(1, 0x4F, 7, 0, NULL, 0);
    inject(g, CH_DEVICE, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-event-config-with-data", VALID,
         "EVENT_CONFIG carrying 4 bytes of new configuration reaches the driver unchanged.");
    RULES("VMSG-NOTIF-10", "VMSG-FWD-02");
    platform(g, DEVS(1));
    {
        static const uint8_t data[4] = {0x11, 0x22, 0x33, 0x44};
        f = event_config(1, 0x0F, 8, 4, data, 4);
        inject(g, CH_DEVICE, &f);
    }
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-events-pass-held", VALID,
         "Device events reach the driver at once while a response of that device is held for "
         "ordering.");
    RULES("VMSG-NOTIF-10", "VMSG-ORD-01");
    platform(g, DEVS(1));
    ta = forward(g, true, 1, 0x0F01, 1);
    tb = forward(g, true, 1, 0x0F02, 2);
    answer(g, 1, tb, 2);
    f = event_used(1, 0, 1);
    inject(g, CH_DEVICE, &f);
    answer(g, 1, ta, 1);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-reserved-type-bits", INVALID,
         "Reserved type bits on a relayed request (0x80) and response (0x41) are ignored: both "
         "pass on as they are.");
    RULES("VMSG-HDR-12", "VMSG-HDR-15", "VMSG-FWD-02");
    platform(g, DEVS(1));
    f = cfg_req(1, 0x0061, 1);
    f.b[OFF_TYPE] = 0x80; /* byte 0: reserved bit 7 on a transport request */
    inject(g, CH_DRIVER, &f);
    t = bus_tok(g, 0);
    f = cfg_resp(1, t.v, 1);
    f.b[OFF_TYPE] = 0x41; /* byte 0: reserved bit 6 on the response */
    inject_tok(g, CH_DEVICE, &f, t);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-short-frame", INVALID,
         "A driver request cut one byte short of its msg_size is discarded, not forwarded.");
    RULES("VMSG-ERR-02");
    platform(g, DEVS(1));
    f = cfg_req(1, 1, 1);
    inject_cut(g, CH_DRIVER, &f, f.n - 1);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-unknown-msg-id", INVALID,
         "A driver message with the undefined transport msg_id 0x3F is discarded, not forwarded.");
    RULES("VMSG-ERR-02");
    platform(g, DEVS(1));
    f = status_req(1, 1);
    f.b[OFF_MSG_ID] = 0x3F; /* byte 1 */
    inject(g, CH_DRIVER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-bus-message-from-driver", INVALID,
         "A bus message (PING) arriving on the driver side is discarded, not forwarded.");
    RULES("VMSG-ERR-02");
    platform(g, DEVS(1));
    f = ping_req(1, 1);
    inject(g, CH_DRIVER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-response-from-driver", INVALID,
         "A response arriving from the driver, which answers no requests, is discarded.");
    RULES("VMSG-ERR-02");
    platform(g, DEVS(1));
    f = cfg_resp(1, 1, 1);
    inject(g, CH_DRIVER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-request-from-device", INVALID,
         "A request arriving from a device, which sends none, is discarded.");
    RULES("VMSG-ERR-02");
    platform(g, DEVS(1));
    f = cfg_req(1, 1, 1);
    inject(g, CH_DEVICE, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-impl-defined-request", VALID,
         "A PR28 implementation-defined transport request (0x81) is relayed as an opaque request "
         "and its response returned with the driver's token.");
    RULES("VMSG-FWD-01", "VMSG-FWD-02", "VMSG-HDR-14");
    platform(g, DEVS(1));
    f = impl_msg(0x00, 0x81, 1, 0x0081, "wxyz");
    inject(g, CH_DRIVER, &f);
    t = bus_tok(g, 0);
    f = impl_msg(0x01, 0x81, 1, t.v, "ok");
    inject_tok(g, CH_DEVICE, &f, t);
    vcf_gen_end(g);

    CASE("vmsg-bus-relay-removal-fails-in-flight", VALID,
         "A device removed locally fails its requests in flight, is announced as removed, and is "
         "no longer addressed.");
    RULES("VMSG-ERR-01", "VMSG-ORD-02", "VMSG-HOTPLUG-01", "VMSG-DEVNUM-03");
    platform(g, DEVS(4));
    forward(g, true, 4, 0x0041, 1);
    set_device(g, 4, false, true);
    f = cfg_req(4, 0x0042, 2);
    inject(g, CH_DRIVER, &f);
    vcf_gen_end(g);
}

/* ==== small maximum sizes ======================================================================
 */

static void small_48(vcf_gen *g)
{
    frame f;
    tok t;

    CASE("vmsg-bus-small-getdev-window-clipped", VALID,
         "At a 48-byte maximum a request for 0xFFF8 devices is answered with the 272-device "
         "window that fits (34 bitmap bytes).");
    RULES("VMSG-GETDEV-03", "VMSG-GETDEV-05", "VMSG-GETDEV-02");
    platform(g, DEVS(0, 271, 275));
    f = getdev_req(0x0007, 0, 0xFFF8);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-small-getdev-fits-whole", VALID,
         "At a 48-byte maximum a window of 64 still fits and is answered whole.");
    RULES("VMSG-GETDEV-03");
    platform(g, DEVS(63));
    f = getdev_req(0x0008, 0, 64);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-small-oversize-from-driver", INVALID,
         "A 52-byte SET_CONFIG from the driver, above the 48-byte maximum, is dropped and not "
         "tracked.");
    RULES("VMSG-PARAM-02");
    platform(g, DEVS(1));
    {
        static const uint8_t data[32] = {0};
        f = set_cfg_req(1, 1, 0, 0, data, 32);
        inject(g, CH_DRIVER, &f);
    }
    timeout(g, 1); /* nothing was taken in flight */
    vcf_gen_end(g);

    CASE("vmsg-bus-small-oversize-from-device", INVALID,
         "A 52-byte response from the device is dropped under the same limit; a 48-byte one is "
         "delivered.");
    RULES("VMSG-PARAM-02");
    platform(g, DEVS(1));
    t = forward(g, true, 1, 0x0702, 7);
    f = cfg_resp_len(1, t.v, 7, 32);
    inject_tok(g, CH_DEVICE, &f, t);
    f = cfg_resp_len(1, t.v, 7, 28);
    inject_tok(g, CH_DEVICE, &f, t);
    vcf_gen_end(g);

    CASE("vmsg-bus-small-message-at-limit", VALID,
         "A 48-byte SET_CONFIG (28 data bytes), exactly at the maximum, is forwarded to the "
         "device.");
    RULES("VMSG-PARAM-02", "VMSG-FWD-01");
    platform(g, DEVS(1));
    {
        static const uint8_t data[28] = {1, 2, 3};
        f = set_cfg_req(1, 0x0003, 0, 0, data, 28);
        inject(g, CH_DRIVER, &f);
        mask_token(g, 0);
    }
    vcf_gen_end(g);
}

static void small_44(vcf_gen *g)
{
    frame f;
    tok t;

    CASE("vmsg-bus-min-getdev-window-clipped", VALID,
         "At the spec minimum of 44 bytes a request for 0xFFF8 devices is answered with a "
         "240-device window.");
    RULES("VMSG-SIZE-03", "VMSG-GETDEV-03", "VMSG-GETDEV-05");
    platform(g, DEVS(0, 239, 243));
    f = getdev_req(0x0007, 0, 0xFFF8);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-min-enum-window", VALID,
         "At 44 bytes with window 240 the requester asks for 240 devices and follows next_offset "
         "240.");
    RULES("VMSG-SIZE-03", "VMSG-DISC-01", "VMSG-GETDEV-02");
    t = enumerate(g);
    t = window(g, t, 0, 240, 240, DEVS(0, 239));
    window(g, t, 240, 240, 0, DEVS(300));
    vcf_gen_end(g);

    CASE("vmsg-bus-min-oversize-bus-message", INVALID,
         "A 142-byte GET_DEVICES answer above the 44-byte maximum is dropped during enumeration.");
    RULES("VMSG-PARAM-02", "VMSG-SIZE-03");
    t = enumerate(g);
    f = getdev_resp(t.v, 0, 1024, 0, DEVS(0));
    inject_tok(g, CH_PEER, &f, t);
    vcf_gen_end(g);

    CASE("vmsg-bus-min-ping", VALID, "PING is answered at the 44-byte minimum as at any size.");
    RULES("VMSG-SIZE-03", "VMSG-PING-01");
    f = ping_req(0x0044, 0x44444444u);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);
}

/* ==== window variations =========================================================================
 */

static void windows_8(vcf_gen *g)
{
    frame f;
    tok t;

    CASE("vmsg-bus-win8-enum-steps", VALID,
         "With window 8 the requester asks 8 devices at a time and jumps to the next_offset the "
         "peer gives (0, then 64).");
    RULES("VMSG-GETDEV-02", "VMSG-DISC-01", "VMSG-BUSMSG-01");
    t = enumerate(g);
    t = window(g, t, 0, 8, 64, DEVS(3));
    window(g, t, 64, 8, 0, DEVS(70));
    vcf_gen_end(g);

    CASE("vmsg-bus-win8-enum-last-block", VALID,
         "With window 8 the walk reaches the last block 0xFFF8 and reports device 0xFFFF.");
    RULES("VMSG-GETDEV-02", "VMSG-DISC-01");
    t = enumerate(g);
    t = window(g, t, 0, 8, 0xFFF8, NULL, 0);
    window(g, t, 0xFFF8, 8, 0, DEVS(0xFFFF));
    vcf_gen_end(g);

    CASE("vmsg-bus-win8-getdev-larger-request", VALID,
         "The responder's window does not depend on its own requester's: a request for 64 is "
         "answered with 64.");
    RULES("VMSG-GETDEV-03");
    platform(g, DEVS(40));
    f = getdev_req(0x0008, 0, 64);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);
}

static void windows_2000(vcf_gen *g)
{
    tok t;

    CASE("vmsg-bus-win2000-enum", VALID,
         "With window 2000 (the largest that fits 264 bytes) the requester asks for 2000 devices "
         "and reads a 250-byte bitmap.");
    RULES("VMSG-GETDEV-01", "VMSG-DISC-01");
    t = enumerate(g);
    t = window(g, t, 0, 2000, 2000, DEVS(0, 1999));
    window(g, t, 2000, 2000, 0, DEVS(2000, 3999));
    vcf_gen_end(g);
}

/* ==== RFC3 =====================================================================================
 */

static void rfc3(vcf_gen *g)
{
    frame f;
    tok t;

    CASE("vmsg-bus-rfc3-getdev-token-echoed", VALID,
         "RFC3: the GET_DEVICES answer carries the request's token 0x1234 and dev_num 0.");
    RULES("VMSG-R3-01", "VMSG-R3-02", "VMSG-R3-04", "VMSG-GETDEV-01");
    f = getdev_req(0x1234, 0, 8);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-ping-token-echoed", VALID,
         "RFC3: the PING answer carries the request's token 0xBEEF and its data.");
    RULES("VMSG-R3-01", "VMSG-PING-01");
    f = ping_req(0xBEEF, 7);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-ping-token-zero-dropped", INVALID,
         "RFC3: a PING with token 0, which only events may carry, is not answered.");
    RULES("VMSG-R3-01");
    f = ping_req(0, 7);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-getdev-token-zero-dropped", INVALID,
         "RFC3: a GET_DEVICES request with token 0 is not answered.");
    RULES("VMSG-R3-01");
    f = getdev_req(0, 0, 8);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-getdev-dev-num-ignored", INVALID,
         "RFC3: a GET_DEVICES request with dev_num 5 is answered with dev_num 0.");
    RULES("VMSG-R3-04");
    f = getdev_req(0x0004, 0, 8);
    put16(f.b + OFF_DEV_NUM, 5); /* bytes 2..3 */
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-hotplug", VALID,
         "RFC3: EVENT_DEVICE READY and REMOVED go out with dev_num 0 and token 0.");
    RULES("VMSG-R3-04", "VMSG-R3-01", "VMSG-R3-02", "VMSG-BUSMSG-01");
    set_device(g, 3, true, true);
    set_device(g, 3, false, true);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-rx-malformed", INVALID,
         "RFC3: a bus message cut inside its payload and one with an undefined msg_id are dropped "
         "without an answer.");
    RULES("VMSG-R3-05");
    f = ping_req(0x0001, 1);
    inject_cut(g, CH_PEER, &f, f.n - 2);
    f.b[OFF_MSG_ID] = 0x05; /* byte 1 */
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-enum-token-mismatch", INVALID,
         "RFC3: a GET_DEVICES answer whose token is not the request's is dropped; the one with "
         "the right token is used.");
    RULES("VMSG-R3-14", "VMSG-R3-01");
    t = enumerate(g);
    /* bytes 4..5: the token with bit 15 flipped, far from any token a bus numbering its
     * requests upwards from 1 reaches in one case; injected as written */
    f = getdev_resp((uint16_t)(t.v ^ 0x8000u), 0, 64, 0, DEVS(1));
    inject(g, CH_PEER, &f);
    f = getdev_resp(0, 0, 64, 0, DEVS(1));
    inject(g, CH_PEER, &f);
    window(g, t, 0, 64, 0, DEVS(1));
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-enum-late-answer", INVALID,
         "RFC3: a second copy of the last GET_DEVICES answer, after the enumeration ended, is "
         "dropped.");
    RULES("VMSG-R3-14");
    t = enumerate(g);
    window(g, t, 0, 64, 0, DEVS(1));
    f = getdev_resp(t.v, 0, 64, 0, DEVS(1, 2));
    inject_tok(g, CH_PEER, &f, t);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-ping-answered-twice", INVALID,
         "RFC3: a second PING answer is dropped; only the first is reported as a pong.");
    RULES("VMSG-R3-14");
    t = ping(g, 0x00C0FFEEu);
    f = ping_resp(t.v, 0x00C0FFEEu);
    inject_tok(g, CH_PEER, &f, t);
    inject_tok(g, CH_PEER, &f, t);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-ping-unsolicited", INVALID,
         "RFC3: a PING answer when no PING was sent is dropped and reported nowhere.");
    RULES("VMSG-R3-14");
    f = ping_resp(0x0099, 1);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-evdev-token-nonzero", INVALID,
         "RFC3: EVENT_DEVICE READY with token 0x21 (events carry 0) is still followed.");
    RULES("VMSG-R3-01", "VMSG-R3-02");
    f = evdev(0x0021, 9, VCF_VMSG_BUS_STATE_READY);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-relay-token-end-to-end", VALID,
         "RFC3: the driver's token 0x0101 travels to the device and back unchanged.");
    RULES("VMSG-R3-01", "VMSG-R3-02", "VMSG-FWD-01");
    platform(g, DEVS(1));
    t = forward(g, false, 1, 0x0101, 1);
    answer(g, 1, t, 1);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-relay-same-token-two-devices", VALID,
         "RFC3: one token in flight to two devices is unique as (dev_num, token) and both "
         "requests go through.");
    RULES("VMSG-R3-02");
    platform(g, DEVS(1, 2));
    forward(g, false, 1, 0x0101, 1);
    forward(g, false, 2, 0x0101, 2);
    answer(g, 2, lit(0x0101), 2);
    answer(g, 1, lit(0x0101), 1);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-relay-duplicate-token-dropped", INVALID,
         "RFC3: a second request to device 1 with a token already in flight there is not "
         "forwarded.");
    RULES("VMSG-R3-02");
    platform(g, DEVS(1));
    forward(g, false, 1, 0x0101, 1);
    f = cfg_req(1, 0x0101, 3);
    inject(g, CH_DRIVER, &f);
    answer(g, 1, lit(0x0101), 1);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-relay-token-zero-dropped", INVALID,
         "RFC3: a driver request with token 0 is not forwarded.");
    RULES("VMSG-R3-01");
    platform(g, DEVS(1));
    f = cfg_req(1, 0, 3);
    inject(g, CH_DRIVER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-relay-unmatched-response", INVALID,
         "RFC3: responses with token 0 or a token not in flight are dropped; the matching one is "
         "delivered.");
    RULES("VMSG-R3-14");
    platform(g, DEVS(1));
    forward(g, false, 1, 0x0101, 1);
    answer(g, 1, lit(0), 1);
    answer(g, 1, lit(0x0102), 1);
    answer(g, 1, lit(0x0101), 1);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-relay-answered-twice", INVALID,
         "RFC3: a second response to a request already answered is dropped.");
    RULES("VMSG-R3-14");
    platform(g, DEVS(1));
    forward(g, false, 1, 0x0101, 1);
    answer(g, 1, lit(0x0101), 1);
    answer(g, 1, lit(0x0101), 1);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-relay-in-order", VALID,
         "RFC3: two responses to one device arriving in reverse order reach the driver in request "
         "order.");
    RULES("VMSG-R3-02", "VMSG-R3-01");
    platform(g, DEVS(1));
    forward(g, false, 1, 0x0A01, 1);
    forward(g, false, 1, 0x0A02, 2);
    answer(g, 1, lit(0x0A02), 2);
    answer(g, 1, lit(0x0A01), 1);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-relay-events", VALID,
         "RFC3: EVENT_AVAIL goes to the device and EVENT_USED and EVENT_CONFIG to the driver, "
         "in-band and unchanged.");
    RULES("VMSG-R3-09", "VMSG-R3-15", "VMSG-NOTIF-05", "VMSG-NOTIF-10");
    platform(g, DEVS(1));
    f = event_avail(1, 0, 0, 5);
    inject(g, CH_DRIVER, &f);
    f = event_used(1, 0, 1);
    inject(g, CH_DEVICE, &f);
    f = event_config(1, 0x0F, 2, 0, NULL, 0);
    inject(g, CH_DEVICE, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-relay-event-token-nonzero", INVALID,
         "RFC3: device and driver events carrying a non-zero token are still relayed unchanged.");
    RULES("VMSG-R3-01", "VMSG-R3-09", "VMSG-R3-15");
    platform(g, DEVS(2));
    f = event_used(2, 0x0033, 0);
    inject(g, CH_DEVICE, &f);
    f = event_avail(2, 0x0034, 0, 0);
    inject(g, CH_DRIVER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-relay-reserved-msg-id", INVALID,
         "RFC3: a transport message with msg_id 0x81 (reserved in RFC3) is dropped, not "
         "forwarded.");
    RULES("VMSG-R3-05");
    platform(g, DEVS(1));
    f = impl_msg(0x00, 0x81, 1, 1, "");
    inject(g, CH_DRIVER, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-relay-malformed", INVALID,
         "RFC3: a driver request cut short, and a request from a device, are dropped.");
    RULES("VMSG-R3-05");
    platform(g, DEVS(1));
    f = cfg_req(1, 1, 1);
    inject_cut(g, CH_DRIVER, &f, f.n - 1);
    inject(g, CH_DEVICE, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-relay-timeout", VALID,
         "RFC3: an unanswered request fails locally with the driver's token, and its late answer "
         "is dropped.");
    RULES("VMSG-ERR-01", "VMSG-R3-14");
    platform(g, DEVS(1));
    forward(g, false, 1, 0x0B01, 1);
    timeout(g, 1);
    answer(g, 1, lit(0x0B01), 1);
    vcf_gen_end(g);
}

static void rfc3_small(vcf_gen *g)
{
    frame f;

    CASE("vmsg-bus-rfc3-small-oversize", INVALID,
         "RFC3 at 48 bytes: a 52-byte driver request and a 52-byte device response are dropped.");
    RULES("VMSG-R3-03");
    platform(g, DEVS(1));
    {
        static const uint8_t data[32] = {0};
        f = set_cfg_req(1, 0x0201, 0, 0, data, 32);
        inject(g, CH_DRIVER, &f);
    }
    forward(g, false, 1, 0x0202, 7);
    f = cfg_resp_len(1, 0x0202, 7, 32);
    inject(g, CH_DEVICE, &f);
    f = cfg_resp_len(1, 0x0202, 7, 28);
    inject(g, CH_DEVICE, &f);
    vcf_gen_end(g);

    CASE("vmsg-bus-rfc3-small-getdev-window", VALID,
         "RFC3 at 48 bytes: a request for 0xFFF8 devices is answered with the 272-device window "
         "and the request's token.");
    RULES("VMSG-R3-01", "VMSG-R3-03", "VMSG-GETDEV-01", "VMSG-GETDEV-02");
    platform(g, DEVS(5, 280));
    f = getdev_req(0x0301, 0, 0xFFF8);
    inject(g, CH_PEER, &f);
    vcf_gen_end(g);
}

/* ==== unobservable rules ========================================================================
 */

static void unobservable(vcf_gen *g)
{
    vcf_gen_unobservable(g, "VMSG-PARAM-01",
                         "the bus hands revision, maximum size and features to its own "
                         "transport layer before any message; an adapter receives them as group "
                         "parameters at reset, so there is no moment at which a message could "
                         "precede them");
    vcf_gen_unobservable(g, "VMSG-SIZE-04",
                         "the maximum message size a bus advertises is a group parameter chosen "
                         "by the harness, not something the implementation emits; groups above "
                         "264 would test the harness's choice, not the bus");
    vcf_gen_unobservable(g, "VMSG-REV-07",
                         "only transport revision 1 exists, so there are no earlier revisions "
                         "whose bus requirements could be missing");
    vcf_gen_unobservable(g, "VMSG-REV-08",
                         "no message depends on a revision or transport feature a revision-1 "
                         "bus could lack, so no stimulus can make a message unforwardable for "
                         "that reason");
    vcf_gen_unobservable(g, "VMSG-DEVNUM-01",
                         "device numbers are assigned outside the adapter interface (the "
                         "set-device action names them); the bus never picks one in a way the "
                         "harness can see");
    vcf_gen_unobservable(g, "VMSG-HDR-13",
                         "adapters exchange whole messages of exactly msg_size bytes; the "
                         "framing or padding a bus adds on its own medium never crosses the "
                         "adapter interface");
    vcf_gen_unobservable(g, "VMSG-R3-13",
                         "adapters exchange whole messages of exactly msg_size bytes; the "
                         "framing a bus adds on its own medium never crosses the adapter "
                         "interface");
    vcf_gen_unobservable(g, "VMSG-NOTIF-11",
                         "choosing polling over direct notification is a design decision inside "
                         "the bus; the adapter sees only notification messages, not how the "
                         "bus learned of them");
    vcf_gen_unobservable(g, "VMSG-NOTIF-12",
                         "out-of-band notification is a bus-internal mechanism with no message "
                         "on any adapter channel; the bus relays feature negotiation untouched "
                         "and the vectors cannot tell which path a notification took");
    vcf_gen_unobservable(g, "VMSG-PING-02",
                         "the policy deadline for a PING answer is a clock inside the "
                         "implementation; vectors are untimed, and the recovery it triggers "
                         "(a GET_DEVICE_STATUS from the driver) belongs to the driver role");
}

/* ==== the generator =============================================================================
 */

void vcf_gen_vmsg_bus(vcf_gen *g)
{
    vcf_gen_note(g, "getdev-misaligned-rounded",
                 "The draft requires GET_DEVICES offsets and counts in multiples of 8 but does not "
                 "say what a responder does with others (virtio-msg-rules.md 9 A11). Discarding "
                 "the request is the default reading; rounding the window out to whole blocks "
                 "and answering (model.getdev_round=1) is also accepted.");

    group(g,
          "PR28, 264-byte maximum, GET_DEVICES window 64: responder, requester and relay, tokens "
          "echoed by the peer and the devices",
          "pr28", 264, 64);
    responder_getdev(g);
    responder_ping_hotplug(g);
    responder_discards(g);
    requester(g);
    relay(g);

    group(g, "PR28, 48-byte maximum (the smallest that carries every transport message)", "pr28",
          48, 64);
    small_48(g);

    group(g, "PR28, 44-byte maximum (the spec minimum), GET_DEVICES window 240", "pr28", 44, 240);
    small_44(g);

    group(g, "PR28, 264-byte maximum, GET_DEVICES window 8 (the smallest)", "pr28", 264, 8);
    windows_8(g);

    group(g, "PR28, 264-byte maximum, GET_DEVICES window 2000 (the largest that fits)", "pr28", 264,
          2000);
    windows_2000(g);

    group(g, "RFC3, 264-byte maximum, GET_DEVICES window 64: end-to-end tokens", "rfc3", 264, 64);
    rfc3(g);

    group(g, "RFC3, 48-byte maximum, GET_DEVICES window 8", "rfc3", 48, 8);
    rfc3_small(g);

    unobservable(g);
}
