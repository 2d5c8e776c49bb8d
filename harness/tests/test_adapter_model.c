/* SPDX-License-Identifier: MIT */
/*
 * The built-in model adapter: options, parameters per role, inject/action/poll round trips in
 * every role, unsupported actions, and for every fault class an input on which the faulty
 * adapter's observations differ from the fault-free adapter's.
 *
 * Messages are built byte by byte (little-endian for virtio-msg, the link's order for RPMsg),
 * so the test means the same on big-endian hosts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters.h"

size_t vcf_model_adapter_verdicts(void *ud, const char **rules, size_t cap);

#define ANY32 0xFFFFFFFFu

/* ---- byte builders -------------------------------------------------------------------------- */

static void put16(uint8_t *p, uint16_t v, int be)
{
    p[be ? 0 : 1] = (uint8_t)(v >> 8);
    p[be ? 1 : 0] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v, int be)
{
    for (unsigned i = 0; i < 4; i++)
        p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* An RPMsg frame: header then payload; returns its size. */
static size_t rp_frame(uint8_t *b, uint32_t src, uint32_t dst, uint16_t len, uint32_t reserved,
                       uint16_t flags, const void *payload, size_t plen, int be)
{
    put32(b, src, be);
    put32(b + 4, dst, be);
    put32(b + 8, reserved, be);
    put16(b + 12, len, be);
    put16(b + 14, flags, be);
    if (plen)
        memcpy(b + 16, payload, plen);
    return 16 + plen;
}

/* A name-service frame to 53 (name copied raw, up to 32 bytes). */
static size_t rp_ns(uint8_t *b, const char *name, size_t name_len, uint32_t addr, uint32_t flags,
                    int be)
{
    uint8_t p[40] = {0};
    memcpy(p, name, name_len);
    put32(p + 32, addr, be);
    put32(p + 36, flags, be);
    return rp_frame(b, addr, 53, 40, 0, 0, p, sizeof p, be);
}

/* A virtio-msg header; the payload follows at b + 8. */
static void vm_head(uint8_t *b, uint8_t type, uint8_t id, uint16_t dev, uint16_t token,
                    uint16_t size)
{
    b[0] = type;
    b[1] = id;
    put16(b + 2, dev, 0);
    put16(b + 4, token, 0);
    put16(b + 6, size, 0);
}

/* A request with up to four 32-bit payload words. */
static size_t vm_req(uint8_t *b, uint8_t type, uint8_t id, uint16_t dev, uint16_t token, size_t n,
                     const uint32_t *words)
{
    size_t size = 8 + 4 * n;
    vm_head(b, type, id, dev, token, (uint16_t)size);
    for (size_t i = 0; i < n; i++)
        put32(b + 8 + 4 * i, words[i], 0);
    return size;
}

/* ---- observations ---------------------------------------------------------------------------- */

typedef struct cobs {
    uint32_t kind, channel, type;
    uint64_t args[4];
    size_t used_len, len;
    uint8_t data[1024];
} cobs;

typedef struct coll {
    size_t n;
    cobs o[16];
} coll;

/* Take every observation the adapter has (copied). */
static void collect(vcf_adapter *ad, coll *c)
{
    vcf_adapter_obs obs;
    c->n = 0;
    while (ad->poll(ad->ud, &obs) == 1) {
        assert_true(c->n < 16);
        cobs *o = &c->o[c->n++];
        memset(o, 0, sizeof *o);
        o->kind = obs.kind;
        const uint8_t *data;
        if (obs.kind == VCF_OBS_MSG) {
            o->channel = obs.msg.channel;
            o->used_len = obs.msg.used_len;
            o->len = obs.msg.len;
            data = obs.msg.data;
        } else {
            assert_int_equal(obs.kind, VCF_OBS_EVENT);
            o->type = obs.event.type;
            memcpy(o->args, obs.event.args, sizeof o->args);
            o->len = obs.event.len;
            data = obs.event.data;
        }
        assert_true(o->len <= sizeof o->data);
        if (o->len)
            memcpy(o->data, data, o->len);
    }
}

/* A scenario's transcript: every observation and action result, serialised. */
typedef struct transcript {
    uint32_t role;
    size_t len;
    uint8_t buf[16384];
} transcript;

static void tr_add(transcript *t, const void *p, size_t n)
{
    assert_true(t->len + n <= sizeof t->buf);
    memcpy(t->buf + t->len, p, n);
    t->len += n;
}

static void tr_u64(transcript *t, uint64_t v)
{
    uint8_t b[8];
    for (unsigned i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    tr_add(t, b, sizeof b);
}

static void tr_drain(vcf_adapter *ad, transcript *t, coll *c)
{
    collect(ad, c);
    for (size_t i = 0; i < c->n; i++) {
        const cobs *o = &c->o[i];
        tr_u64(t, o->kind);
        tr_u64(t, o->channel);
        tr_u64(t, o->type);
        for (unsigned k = 0; k < 4; k++)
            tr_u64(t, o->args[k]);
        tr_u64(t, o->used_len);
        tr_u64(t, o->len);
        tr_add(t, o->data, o->len);
    }
}

static vcf_adapter open_model(const char *options)
{
    vcf_adapter ad;
    char err[256];
    if (vcf_model_adapter_init(options, &ad, err, sizeof err) != 0)
        fail_msg("init \"%s\": %s", options, err);
    return ad;
}

static int reset_with(vcf_adapter *ad, uint32_t role, const vcf_adapter_param *p, size_t n,
                      char *why, size_t why_len)
{
    return ad->reset(ad->ud, role, p, n, why, why_len);
}

static void reset_ok(vcf_adapter *ad, transcript *t, uint32_t role, const vcf_adapter_param *p,
                     size_t n)
{
    char why[512] = "";
    int rc = reset_with(ad, role, p, n, why, sizeof why);
    if (rc != VCF_ADAPTER_OK)
        fail_msg("reset %s: %s: %s", vcf_iut_role_name(role), vcf_adapter_rc_name(rc), why);
    if (t)
        t->role = role;
}

/* Inject and record what follows. */
static void inj(vcf_adapter *ad, transcript *t, uint32_t ch, const uint8_t *b, size_t len,
                size_t used_len)
{
    vcf_adapter_msg m = {ch, b, len, used_len, 0};
    assert_int_equal(ad->inject(ad->ud, &m), VCF_ADAPTER_OK);
    coll c;
    tr_drain(ad, t, &c);
}

/* Act and record the result and what follows; returns the result. */
static vcf_adapter_result act(vcf_adapter *ad, transcript *t, uint32_t kind, uint64_t a0,
                              uint64_t a1, uint64_t a2, const void *data, size_t len)
{
    vcf_adapter_action a = {kind, {a0, a1, a2, 0}, data, len};
    vcf_adapter_result r = {0, 0};
    assert_int_equal(ad->action(ad->ud, &a, &r), VCF_ADAPTER_OK);
    tr_u64(t, (uint64_t)(int64_t)r.status);
    tr_u64(t, r.value);
    coll c;
    tr_drain(ad, t, &c);
    return r;
}

/* ---- options and the table ---------------------------------------------------------------- */

static void test_init_options(void **state)
{
    (void)state;
    vcf_adapter ad = open_model("");
    assert_int_equal(ad.abi_version, VCF_ADAPTER_ABI_VERSION);
    assert_int_equal(ad.struct_size, sizeof ad);
    assert_string_equal(ad.name, "model");
    assert_true(ad.version && ad.version[0]);
    for (uint32_t r = 1; r < VCF_IUT_ROLE_COUNT; r++)
        assert_true(ad.roles & VCF_IUT_ROLE_BIT(r));
    assert_int_equal(ad.caps, VCF_ADAPTER_CAP_EVENTS);
    assert_non_null(ad.reset);
    assert_non_null(ad.inject);
    assert_non_null(ad.action);
    assert_non_null(ad.poll);
    assert_null(ad.idle);
    ad.close(ad.ud);

    static const char *const good[] = {"fault=rpmsg-tx-len-swapped", "profile=linux",
                                       "profile=openamp,fault=vmsg-bus-out-of-order",
                                       "profile=optee,profile=openamp", NULL};
    for (size_t i = 0; good[i]; i++) {
        ad = open_model(good[i]);
        ad.close(ad.ud);
    }

    struct {
        const char *opts, *needle;
    } bad[] = {{"fault=no-such-fault", "no-such-fault"},
               {"profile=bogus", "bogus"},
               {"junk", "junk"},
               {"color=red", "color"},
               {"fault=rpmsg-tx-len-swapped,fault=nope", "nope"}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char err[256] = "";
        assert_int_equal(vcf_model_adapter_init(bad[i].opts, &ad, err, sizeof err), -1);
        if (!strstr(err, bad[i].needle))
            fail_msg("\"%s\": error \"%s\" does not name \"%s\"", bad[i].opts, err, bad[i].needle);
    }
}

/* A profile changes what the model does: linux cuts an unterminated name to 31 bytes. */
static void test_profile_applies(void **state)
{
    (void)state;
    uint8_t b[64];
    char name[32];
    memset(name, 'n', sizeof name);
    size_t n = rp_ns(b, name, 32, 1025, 0, 0);
    size_t len[2];
    for (int i = 0; i < 2; i++) {
        vcf_adapter ad = open_model(i ? "profile=linux" : "");
        reset_ok(&ad, NULL, VCF_IUT_RPMSG_DRIVER, NULL, 0);
        vcf_adapter_msg m = {0, b, n, 0, 0};
        assert_int_equal(ad.inject(ad.ud, &m), VCF_ADAPTER_OK);
        coll c;
        collect(&ad, &c);
        assert_int_equal(c.n, 1);
        len[i] = c.o[0].len;
        ad.close(ad.ud);
    }
    assert_int_equal(len[0], 32);
    assert_int_equal(len[1], 31);
}

/* ---- reset and parameters ------------------------------------------------------------------ */

static void test_reset_defaults(void **state)
{
    (void)state;
    vcf_adapter ad = open_model("");
    for (uint32_t r = 1; r < VCF_IUT_ROLE_COUNT; r++)
        reset_ok(&ad, NULL, r, NULL, 0);
    char why[256] = "";
    assert_int_equal(reset_with(&ad, 0, NULL, 0, why, sizeof why), VCF_ADAPTER_UNSUPPORTED);
    assert_true(why[0]);
    assert_int_equal(reset_with(&ad, 6, NULL, 0, why, sizeof why), VCF_ADAPTER_UNSUPPORTED);
    ad.close(ad.ud);
}

typedef struct pcase {
    uint32_t role;
    const char *key, *good, *bad;
} pcase;

#define RD VCF_IUT_RPMSG_DRIVER
#define RV VCF_IUT_RPMSG_DEVICE
#define VD VCF_IUT_VMSG_DEVICE
#define VR VCF_IUT_VMSG_DRIVER
#define VB VCF_IUT_VMSG_BUS

static const pcase pcases[] = {
    {RD, "features", "0x100000001", "0xZZ"},
    {RV, "features", "1", "ns"},
    {RD, "order", "be", "middle"},
    {RV, "order", "le", "LE"},
    {RD, "buf_size", "1024", "1k"},
    {RD, "tx_bufs", "4", "-1"},
    {RD, "addr_first", "2048", "0x1ffffffff"},
    {RD, "addr_last", "4095", ""},
    {VD, "rev", "rfc3", "rfc4"},
    {VR, "rev", "pr28", "PR28"},
    {VB, "rev", "rfc3", "3"},
    {VD, "max_msg_size", "512", "70000"},
    {VR, "max_msg_size", "48", "big"},
    {VB, "max_msg_size", "264", "0x10000"},
    {VD, "dev_num", "7", "65536"},
    {VR, "dev_num", "0x10", "x"},
    {VB, "dev_num", "3", "-3"},
    {VD, "device_id", "2", "net"},
    {VD, "vendor_id", "0x1AF4", "vendor"},
    {VD, "feature_bits", "96", "ninety"},
    {VD, "offered", "0,0x1,0", "0,,1"},
    {VD, "required", "0,1", "g"},
    {VD, "config", "0011223344", "012"},
    {VD, "queues", "128,64", "128;64"},
    {VD, "admin_vq", "1,1", "1"},
    {VD, "shm", "4096@0x1000,0@0", "4096"},
    {VD, "inactive", "1", "yes"},
    {VR, "wanted", "0x0,0x101", "0x100000000"},
    {VR, "num_queues", "1", "one"},
    {VR, "queue_size", "64", "64k"},
    {VR, "ring_base", "0x80000000", "0xg"},
    {VR, "read_config", "0", "2"},
    {VB, "window", "128", "0x1FFFF"},
    {VD, "model.on_violation", "apply", "ignore"},
    {VD, "model.oversize", "clamp", "cut"},
    {VD, "model.report", "acked", "all"},
    {VD, "model.set_config_echo", "1", "true"},
    {VD, "model.partial_set_config", "1", "on"},
    {VD, "model.set_config_bumps_gen", "1", "11"},
    {VD, "model.reset_vq_needs_ring_reset", "1", ""},
    {VD, "model.status_order_enforced", "1", "y"},
    {VD, "model.inactive_silent", "1", "no"},
    {VR, "model.echo_token", "0", "off"},
    {VB, "model.getdev_round", "1", "round"},
    {VD, "model.validate_queue_size", "1", "2"},
    {VD, "model.event_config_data", "0", "2"},
    {VR, "model.gen_init", "5", "five"},
};

static void test_reset_each_key(void **state)
{
    (void)state;
    vcf_adapter ad = open_model("");
    for (size_t i = 0; i < sizeof pcases / sizeof *pcases; i++) {
        const pcase *p = &pcases[i];
        vcf_adapter_param good = {p->key, p->good}, bad = {p->key, p->bad};
        char why[512] = "";
        int rc = reset_with(&ad, p->role, &good, 1, why, sizeof why);
        if (rc != VCF_ADAPTER_OK)
            fail_msg("%s %s=%s: %s", vcf_iut_role_name(p->role), p->key, p->good, why);
        why[0] = '\0';
        rc = reset_with(&ad, p->role, &bad, 1, why, sizeof why);
        if (rc != VCF_ADAPTER_UNSUPPORTED)
            fail_msg("%s %s=%s accepted", vcf_iut_role_name(p->role), p->key, p->bad);
        if (!strstr(why, p->key) || !strstr(why, "expected"))
            fail_msg("%s=%s: reason \"%s\" names neither the key nor what was expected", p->key,
                     p->bad, why);
    }
    ad.close(ad.ud);
}

static void expect_refused(vcf_adapter *ad, uint32_t role, const char *key, const char *value,
                           const char *needle1, const char *needle2)
{
    vcf_adapter_param p = {key, value};
    char why[512] = "";
    assert_int_equal(reset_with(ad, role, &p, 1, why, sizeof why), VCF_ADAPTER_UNSUPPORTED);
    if (!strstr(why, needle1) || (needle2 && !strstr(why, needle2)))
        fail_msg("%s=%s: reason \"%s\" should name \"%s\"%s%s", key, value, why, needle1,
                 needle2 ? " and " : "", needle2 ? needle2 : "");
    /* a refused reset leaves nothing to inject into */
    uint8_t b[16] = {0};
    vcf_adapter_msg m = {0, b, sizeof b, 0, 0};
    assert_int_equal(ad->inject(ad->ud, &m), VCF_ADAPTER_ERROR);
}

static void test_reset_refusals(void **state)
{
    (void)state;
    vcf_adapter ad = open_model("");
    expect_refused(&ad, RD, "bufsize", "512", "bufsize", "buf_size");    /* a typo */
    expect_refused(&ad, VD, "window", "64", "window", "virtio-msg-bus"); /* another role's key */
    expect_refused(&ad, RD, "rev", "pr28", "rev", "virtio-msg");
    expect_refused(&ad, RV, "model.oversize", "clamp", "model.oversize", NULL);
    expect_refused(&ad, VB, "device_id", "1", "device_id", "virtio-msg-device");
    /* values the model rejects: its own error text */
    expect_refused(&ad, RD, "buf_size", "8", "buf_size", "model");
    expect_refused(&ad, VD, "feature_bits", "33", "num_feature_bits", NULL);
    expect_refused(&ad, VB, "window", "12", "window", NULL);
    expect_refused(&ad, VR, "queue_size", "100", "queue_size", NULL);
    expect_refused(&ad, VD, "max_msg_size", "40", "max_msg_size", NULL);
    /* the name service needs buffers that hold an NS message (fuzz/crashers/rpmsg_driver/) */
    expect_refused(&ad, RD, "buf_size", "55", "buf_size", "name-service");
    ad.close(ad.ud);
}

/* Parameters reach the model: a device's ID and number, a driver's device number, the
 * first of a repeated key. */
static void test_params_take_effect(void **state)
{
    (void)state;
    vcf_adapter ad = open_model("");
    vcf_adapter_param dp[] = {{"device_id", "5"}, {"dev_num", "3"}, {"device_id", "9"}};
    reset_ok(&ad, NULL, VD, dp, 3);
    uint8_t b[16];
    size_t n = vm_req(b, 0x00, 0x02, 3, 0x11, 0, NULL);
    vcf_adapter_msg m = {0, b, n, 0, 0};
    assert_int_equal(ad.inject(ad.ud, &m), VCF_ADAPTER_OK);
    coll c;
    collect(&ad, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(get16(c.o[0].data + 2), 3);
    assert_int_equal(get32(c.o[0].data + 8), 5);

    /* dev_num defaults to 0 (PARAMS.txt) */
    reset_ok(&ad, NULL, VR, NULL, 0);
    vcf_adapter_action a = {VCF_ACT_VMSG_START, {0, 0, 0, 0}, NULL, 0};
    vcf_adapter_result r;
    assert_int_equal(ad.action(ad.ud, &a, &r), VCF_ADAPTER_OK);
    collect(&ad, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(get16(c.o[0].data + 2), 0);

    /* numbers are decimal or 0x hex: a leading zero does not make one octal ("0064" is 64,
     * not 52; found with buf_size=024 by fuzz/crashers/rpmsg_driver/) */
    vcf_adapter_param rp[] = {{"buf_size", "0064"}, {"tx_bufs", "010"}};
    reset_ok(&ad, NULL, RD, rp, 2);
    a = (vcf_adapter_action){VCF_ACT_RPMSG_CREATE, {1024, 0xFFFFFFFFu, 0, 0}, NULL, 0};
    assert_int_equal(ad.action(ad.ud, &a, &r), VCF_ADAPTER_OK);
    assert_int_equal(r.status, 0);
    uint8_t payload[49] = {0};
    a = (vcf_adapter_action){VCF_ACT_RPMSG_SEND, {1024, 2000, 0, 0}, payload, 48};
    assert_int_equal(ad.action(ad.ud, &a, &r), VCF_ADAPTER_OK);
    assert_int_equal(r.status, 0); /* 16 + 48 fits 64 bytes */
    collect(&ad, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.o[0].len, 64);
    a.len = 49;
    assert_int_equal(ad.action(ad.ud, &a, &r), VCF_ADAPTER_OK);
    assert_true(r.status != 0);
    vcf_adapter_param bad_hex = {"tx_bufs", "0x"};
    char why[256];
    assert_int_equal(reset_with(&ad, RD, &bad_hex, 1, why, sizeof why), VCF_ADAPTER_UNSUPPORTED);
    ad.close(ad.ud);
}

/* ---- round trips per role ------------------------------------------------------------------- */

static void test_rpmsg_driver_round_trip(void **state)
{
    (void)state;
    vcf_adapter ad = open_model("");
    reset_ok(&ad, NULL, RD, NULL, 0);
    uint8_t b[128];
    size_t n = rp_ns(b, "rpmsg-echo", 10, 0x400, 0, 0);
    vcf_adapter_msg m = {0, b, n, 0, 0};
    assert_int_equal(ad.inject(ad.ud, &m), VCF_ADAPTER_OK);
    coll c;
    collect(&ad, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.o[0].kind, VCF_OBS_EVENT);
    assert_int_equal(c.o[0].type, VCF_EVT_RPMSG_BASE + 1); /* channel-created */
    assert_int_equal(c.o[0].args[1], 0x400);
    assert_int_equal(c.o[0].len, 10);
    assert_memory_equal(c.o[0].data, "rpmsg-echo", 10);

    /* the wrong channel is a harness error */
    m.channel = 1;
    assert_int_equal(ad.inject(ad.ud, &m), VCF_ADAPTER_ERROR);
    m.channel = 7;
    assert_int_equal(ad.inject(ad.ud, &m), VCF_ADAPTER_ERROR);

    /* create, receive, send */
    vcf_adapter_action a = {VCF_ACT_RPMSG_CREATE, {1024, ANY32, 0, 0}, NULL, 0};
    vcf_adapter_result r = {-1, 0};
    assert_int_equal(ad.action(ad.ud, &a, &r), VCF_ADAPTER_OK);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.value, 1024);
    collect(&ad, &c);
    assert_int_equal(c.n, 0);

    n = rp_frame(b, 0x400, 1024, 3, 0, 0, "abc", 3, 0);
    vcf_adapter_msg d = {0, b, n, 0, 0};
    assert_int_equal(ad.inject(ad.ud, &d), VCF_ADAPTER_OK);
    memset(b, 0xEE, sizeof b); /* the observation is the adapter's own copy */
    collect(&ad, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.o[0].type, VCF_EVT_RPMSG_BASE + 0); /* deliver */
    assert_int_equal(c.o[0].args[0], 1024);
    assert_int_equal(c.o[0].args[1], 0x400);
    assert_int_equal(c.o[0].args[2], 3);
    assert_memory_equal(c.o[0].data, "abc", 3);

    a = (vcf_adapter_action){VCF_ACT_RPMSG_SEND, {1024, 0x400, 0, 0}, (const uint8_t *)"xy", 2};
    assert_int_equal(ad.action(ad.ud, &a, &r), VCF_ADAPTER_OK);
    assert_int_equal(r.status, 0);
    collect(&ad, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.o[0].kind, VCF_OBS_MSG);
    assert_int_equal(c.o[0].channel, 1); /* the driver sends on vq1 */
    assert_int_equal(c.o[0].len, 18);
    assert_int_equal(c.o[0].used_len, 18);
    uint8_t want[18];
    rp_frame(want, 1024, 0x400, 2, 0, 0, "xy", 2, 0);
    assert_memory_equal(c.o[0].data, want, 18);

    /* refused: a send from an unbound address; the status is the model's */
    a.args[0] = 77;
    assert_int_equal(ad.action(ad.ud, &a, &r), VCF_ADAPTER_OK);
    assert_true(r.status != 0);
    const char *rules[8];
    assert_true(vcf_model_adapter_verdicts(ad.ud, rules, 8) >= 1);
    assert_string_equal(rules[0], "RPMSG-EP-05");
    ad.close(ad.ud);
}

static void test_rpmsg_device_round_trip(void **state)
{
    (void)state;
    vcf_adapter ad = open_model("");
    reset_ok(&ad, NULL, RV, NULL, 0);
    vcf_adapter_action a = {VCF_ACT_RPMSG_CREATE, {ANY32, ANY32, 0, 0}, (const uint8_t *)"svc", 3};
    vcf_adapter_result r;
    assert_int_equal(ad.action(ad.ud, &a, &r), VCF_ADAPTER_OK);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.value, 1024);
    coll c;
    collect(&ad, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.o[0].channel, 0); /* the device sends on vq0 */
    uint8_t want[64];
    size_t n = rp_ns(want, "svc", 3, 1024, 0, 0);
    assert_int_equal(c.o[0].len, n);
    assert_memory_equal(c.o[0].data, want, n);

    /* the device receives on vq1: a message to an unknown address is dropped, with a verdict */
    uint8_t b[32];
    n = rp_frame(b, 5, 4000, 0, 0, 0, NULL, 0, 0);
    vcf_adapter_msg m = {1, b, n, 0, 0};
    assert_int_equal(ad.inject(ad.ud, &m), VCF_ADAPTER_OK);
    collect(&ad, &c);
    assert_int_equal(c.n, 0);
    const char *rules[4];
    assert_int_equal(vcf_model_adapter_verdicts(ad.ud, rules, 4), 1);
    assert_string_equal(rules[0], "RPMSG-EP-02");
    m.channel = 0;
    assert_int_equal(ad.inject(ad.ud, &m), VCF_ADAPTER_ERROR);

    /* return-buffers: more than were sent is refused */
    a = (vcf_adapter_action){VCF_ACT_RPMSG_RETURN, {5, 0, 0, 0}, NULL, 0};
    assert_int_equal(ad.action(ad.ud, &a, &r), VCF_ADAPTER_OK);
    assert_true(r.status != 0);
    a.args[0] = 1;
    assert_int_equal(ad.action(ad.ud, &a, &r), VCF_ADAPTER_OK);
    assert_int_equal(r.status, 0);
    ad.close(ad.ud);
}

static void test_vmsg_driver_and_device_round_trip(void **state)
{
    (void)state;
    vcf_adapter drv = open_model(""), dev = open_model("");
    reset_ok(&drv, NULL, VR, NULL, 0);
    reset_ok(&dev, NULL, VD, NULL, 0);

    vcf_adapter_action a = {VCF_ACT_VMSG_START, {0, 0, 0, 0}, NULL, 0};
    vcf_adapter_result r = {-1, 0};
    assert_int_equal(drv.action(drv.ud, &a, &r), VCF_ADAPTER_OK);
    assert_int_equal(r.status, 0);
    coll c;
    collect(&drv, &c);
    assert_int_equal(c.n, 1);
    static const uint8_t info_req[] = {0x00, 0x02, 0x00, 0x00, 0x01, 0x00, 0x08, 0x00};
    assert_int_equal(c.o[0].channel, 0);
    assert_int_equal(c.o[0].len, sizeof info_req);
    assert_memory_equal(c.o[0].data, info_req, sizeof info_req);

    /* the device answers it */
    vcf_adapter_msg m = {0, c.o[0].data, c.o[0].len, 0, 0};
    assert_int_equal(dev.inject(dev.ud, &m), VCF_ADAPTER_OK);
    coll d;
    collect(&dev, &d);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.o[0].channel, 0);
    assert_int_equal(d.o[0].len, 32);
    assert_int_equal(d.o[0].data[0], 0x01);
    assert_int_equal(d.o[0].data[1], 0x02);
    assert_int_equal(get16(d.o[0].data + 4), 1);   /* token echoed */
    assert_int_equal(get32(d.o[0].data + 8), 1);   /* device_id */
    assert_int_equal(get32(d.o[0].data + 16), 64); /* num_feature_bits */

    /* and the driver goes on with the reset */
    m = (vcf_adapter_msg){0, d.o[0].data, d.o[0].len, 0, 0};
    assert_int_equal(drv.inject(drv.ud, &m), VCF_ADAPTER_OK);
    collect(&drv, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.o[0].data[1], 0x08);
    assert_int_equal(get32(c.o[0].data + 8), 0);

    /* device action: a failure before the driver began is silent; the status shows it */
    a = (vcf_adapter_action){VCF_ACT_VMSG_FAIL, {0, 0, 0, 0}, NULL, 0};
    assert_int_equal(dev.action(dev.ud, &a, &r), VCF_ADAPTER_OK);
    assert_int_equal(r.status, 0);
    collect(&dev, &d);
    assert_int_equal(d.n, 0);
    /* refused: EVENT_USED before DRIVER_OK */
    a = (vcf_adapter_action){VCF_ACT_VMSG_USED, {0, 0, 0, 0}, NULL, 0};
    assert_int_equal(dev.action(dev.ud, &a, &r), VCF_ADAPTER_OK);
    assert_true(r.status != 0);
    const char *rules[4];
    assert_true(vcf_model_adapter_verdicts(dev.ud, rules, 4) >= 1);
    assert_string_equal(rules[0], "VMSG-BASE-06");

    /* a status write is answered and reported as an event, message first */
    uint8_t b[16];
    uint32_t w = 1;
    size_t n = vm_req(b, 0x00, 0x08, 0, 9, 1, &w);
    m = (vcf_adapter_msg){0, b, n, 0, 0};
    assert_int_equal(dev.inject(dev.ud, &m), VCF_ADAPTER_OK);
    collect(&dev, &d);
    assert_int_equal(d.n, 2);
    assert_int_equal(d.o[0].kind, VCF_OBS_MSG);
    assert_int_equal(get32(d.o[0].data + 8), 0x41); /* ACKNOWLEDGE, NEEDS_RESET kept */
    assert_int_equal(d.o[1].kind, VCF_OBS_EVENT);
    assert_int_equal(d.o[1].type, VCF_EVT_VMSG_BASE + 1); /* status */
    assert_int_equal(d.o[1].args[3], 0x41);
    m.channel = 1;
    assert_int_equal(dev.inject(dev.ud, &m), VCF_ADAPTER_ERROR);
    drv.close(drv.ud);
    dev.close(dev.ud);
}

static void test_vmsg_bus_round_trip(void **state)
{
    (void)state;
    vcf_adapter ad = open_model("");
    reset_ok(&ad, NULL, VB, NULL, 0);
    uint8_t b[32];
    uint32_t data = 0xCAFE0001u;
    size_t n = vm_req(b, 0x02, 0x03, 0, 0x77, 1, &data);
    vcf_adapter_msg m = {0, b, n, 0, 0};
    assert_int_equal(ad.inject(ad.ud, &m), VCF_ADAPTER_OK);
    coll c;
    collect(&ad, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.o[0].channel, 0); /* answered to the peer */
    assert_int_equal(c.o[0].data[0], 0x03);
    assert_int_equal(c.o[0].data[1], 0x03);
    assert_int_equal(get16(c.o[0].data + 4), 0x77);
    assert_int_equal(get32(c.o[0].data + 8), data);

    /* relay: a validated device number, driver to device */
    vcf_adapter_action a = {VCF_ACT_VMSG_SET_DEVICE, {2, 1, 0, 0}, NULL, 0};
    vcf_adapter_result r;
    assert_int_equal(ad.action(ad.ud, &a, &r), VCF_ADAPTER_OK);
    assert_int_equal(r.status, 0);
    collect(&ad, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.o[0].type, VCF_EVT_VMSG_BASE + 17); /* device-ready */
    assert_int_equal(c.o[0].args[0], 2);
    n = vm_req(b, 0x00, 0x07, 2, 0x5150, 0, NULL);
    m = (vcf_adapter_msg){1, b, n, 0, 0};
    assert_int_equal(ad.inject(ad.ud, &m), VCF_ADAPTER_OK);
    collect(&ad, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.o[0].channel, 2);
    uint16_t bus_token = get16(c.o[0].data + 4);
    uint32_t st = 0;
    n = vm_req(b, 0x01, 0x07, 2, bus_token, 1, &st);
    m = (vcf_adapter_msg){2, b, n, 0, 0};
    assert_int_equal(ad.inject(ad.ud, &m), VCF_ADAPTER_OK);
    collect(&ad, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.o[0].channel, 1);
    assert_int_equal(get16(c.o[0].data + 4), 0x5150); /* the driver's token restored */
    m.channel = 3;
    assert_int_equal(ad.inject(ad.ud, &m), VCF_ADAPTER_ERROR);
    ad.close(ad.ud);
}

static void test_unsupported_actions(void **state)
{
    (void)state;
    struct {
        uint32_t role, kind;
    } cases[] = {
        {RD, VCF_ACT_VMSG_START},
        {RV, VCF_ACT_VMSG_PING},
        {VD, VCF_ACT_VMSG_START},
        {VD, VCF_ACT_RPMSG_SEND},
        {VR, VCF_ACT_VMSG_FAIL},
        {VR, VCF_ACT_VMSG_PING},
        {VB, VCF_ACT_RPMSG_CREATE},
        {VB, VCF_ACT_VMSG_CONFIG_READ},
        {RD, 0x999},
        {VB, 0},
    };
    vcf_adapter ad = open_model("");
    vcf_adapter_action a = {0, {0, 0, 0, 0}, NULL, 0};
    vcf_adapter_result r;
    /* before any reset: an error */
    a.kind = VCF_ACT_RPMSG_CREATE;
    assert_int_equal(ad.action(ad.ud, &a, &r), VCF_ADAPTER_ERROR);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        reset_ok(&ad, NULL, cases[i].role, NULL, 0);
        a.kind = cases[i].kind;
        if (ad.action(ad.ud, &a, &r) != VCF_ADAPTER_UNSUPPORTED)
            fail_msg("%s: action 0x%x not refused as unsupported", vcf_iut_role_name(cases[i].role),
                     (unsigned)cases[i].kind);
        coll c;
        collect(&ad, &c);
        assert_int_equal(c.n, 0);
    }
    ad.close(ad.ud);
}

/* Every action kind of a role reaches the model (done or refused, never unsupported). */
static void test_every_action_mapped(void **state)
{
    (void)state;
    vcf_adapter ad = open_model("");
    for (const vcf_action_info *i = vcf_adapter_actions(); i->name; i++)
        for (uint32_t r = 1; r < VCF_IUT_ROLE_COUNT; r++) {
            if (!(i->roles & VCF_IUT_ROLE_BIT(r)))
                continue;
            reset_ok(&ad, NULL, r, NULL, 0);
            vcf_adapter_action a = {i->kind, {1, 0, 0, 0}, (const uint8_t *)"x", 1};
            vcf_adapter_result res;
            int rc = ad.action(ad.ud, &a, &res);
            if (rc != VCF_ADAPTER_OK)
                fail_msg("%s: action %s: %s", vcf_iut_role_name(r), i->name,
                         vcf_adapter_rc_name(rc));
            coll c;
            collect(&ad, &c);
        }
    ad.close(ad.ud);
}

/* ---- fault scenarios ------------------------------------------------------------------------ */

typedef void (*scenario_fn)(vcf_adapter *ad, transcript *t);

static void rp_driver_with_ept(vcf_adapter *ad, transcript *t, const vcf_adapter_param *p, size_t n)
{
    reset_ok(ad, t, RD, p, n);
    act(ad, t, VCF_ACT_RPMSG_CREATE, 1024, ANY32, 0, NULL, 0);
}

static void sc_rp_send(vcf_adapter *ad, transcript *t)
{
    rp_driver_with_ept(ad, t, NULL, 0);
    act(ad, t, VCF_ACT_RPMSG_SEND, 1024, 1025, 0, "hi", 2);
}

static void sc_rp_len_off_by_one(vcf_adapter *ad, transcript *t)
{
    rp_driver_with_ept(ad, t, NULL, 0);
    uint8_t b[32];
    size_t n = rp_frame(b, 1025, 1024, 5, 0, 0, "abcd", 4, 0); /* len 5, 4 bytes written */
    inj(ad, t, 0, b, n, 0);
}

static void sc_rp_used_len_trusted(vcf_adapter *ad, transcript *t)
{
    rp_driver_with_ept(ad, t, NULL, 0);
    uint8_t b[32];
    size_t n = rp_frame(b, 1025, 1024, 4, 0, 0, "abcd", 4, 0);
    inj(ad, t, 0, b, n, 600); /* used length above the 512-byte buffer */
}

static void sc_rp_slack(vcf_adapter *ad, transcript *t)
{
    rp_driver_with_ept(ad, t, NULL, 0);
    uint8_t b[32];
    size_t n = rp_frame(b, 1025, 1024, 4, 0, 0, "abcdSLCK", 8, 0); /* 4 bytes of slack */
    inj(ad, t, 0, b, n, 0);
}

static void sc_rp_reserved(vcf_adapter *ad, transcript *t)
{
    rp_driver_with_ept(ad, t, NULL, 0);
    uint8_t b[32];
    size_t n = rp_frame(b, 1025, 1024, 4, 1, 0, "abcd", 4, 0);
    inj(ad, t, 0, b, n, 0);
}

static void sc_rp_legacy_be(vcf_adapter *ad, transcript *t)
{
    vcf_adapter_param p[] = {{"features", "0x1"}, {"order", "be"}};
    rp_driver_with_ept(ad, t, p, 2);
    act(ad, t, VCF_ACT_RPMSG_SEND, 1024, 1025, 0, "hi", 2);
}

static void sc_rp_ns_long_name(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, RD, NULL, 0);
    char name[32];
    memset(name, 'a', sizeof name);
    uint8_t b[64];
    size_t n = rp_ns(b, name, 32, 1025, 0, 0);
    inj(ad, t, 0, b, n, 0);
}

static void sc_rp_ns_flags(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, RD, NULL, 0);
    uint8_t b[64];
    size_t n = rp_ns(b, "svc", 3, 1025, 0x2, 0); /* a create with an undefined flag bit */
    inj(ad, t, 0, b, n, 0);
}

static void sc_rp_ns_destroy(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, RD, NULL, 0);
    uint8_t b[64];
    size_t n = rp_ns(b, "svc", 3, 1025, 0, 0);
    inj(ad, t, 0, b, n, 0);
    n = rp_ns(b, "svc", 3, 1025, 1, 0);
    inj(ad, t, 0, b, n, 0);
}

static void sc_rp_ns_no_feature(vcf_adapter *ad, transcript *t)
{
    vcf_adapter_param p = {"features", "0x100000000"};
    reset_ok(ad, t, RD, &p, 1);
    uint8_t b[64];
    size_t n = rp_ns(b, "svc", 3, 1025, 0, 0);
    inj(ad, t, 0, b, n, 0);
}

static void sc_rp_announce(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, RV, NULL, 0);
    act(ad, t, VCF_ACT_RPMSG_CREATE, ANY32, ANY32, 0, "svc", 3);
}

static void sc_rp_withdraw(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, RV, NULL, 0);
    act(ad, t, VCF_ACT_RPMSG_CREATE, 1024, ANY32, 0, "svc", 3);
    act(ad, t, VCF_ACT_RPMSG_DESTROY, 1024, 0, 0, NULL, 0);
}

static void sc_rp_dynamic_addr(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, RD, NULL, 0);
    act(ad, t, VCF_ACT_RPMSG_CREATE, ANY32, ANY32, 0, NULL, 0);
}

static void sc_rp_no_credit(vcf_adapter *ad, transcript *t)
{
    vcf_adapter_param p = {"tx_bufs", "1"};
    rp_driver_with_ept(ad, t, &p, 1);
    act(ad, t, VCF_ACT_RPMSG_SEND, 1024, 1025, 0, "a", 1);
    act(ad, t, VCF_ACT_RPMSG_SEND, 1024, 1025, 0, "b", 1);
}

static void vd_status(vcf_adapter *ad, transcript *t, uint32_t status)
{
    uint8_t b[16];
    size_t n = vm_req(b, 0x00, 0x08, 0, 0x0101, 1, &status);
    inj(ad, t, 0, b, n, 0);
}

static void vd_features(vcf_adapter *ad, transcript *t, uint32_t block0, uint32_t block1)
{
    uint8_t b[32];
    uint32_t w[4] = {0, 2, block0, block1};
    size_t n = vm_req(b, 0x00, 0x04, 0, 0x0102, 4, w);
    inj(ad, t, 0, b, n, 0);
}

static void sc_vd_info(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, VD, NULL, 0);
    uint8_t b[16];
    size_t n = vm_req(b, 0x00, 0x02, 0, 0x0102, 0, NULL);
    inj(ad, t, 0, b, n, 0);
}

static void sc_vd_features_refused(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, VD, NULL, 0);
    vd_status(ad, t, 0x01);
    vd_status(ad, t, 0x03);
    vd_features(ad, t, 0x1, 0x1); /* bit 0 was not offered */
    vd_status(ad, t, 0x0B);
}

static void sc_vd_stale_set_config(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, VD, NULL, 0);
    vd_status(ad, t, 0x01);
    vd_status(ad, t, 0x03);
    vd_features(ad, t, 0x0, 0x1);
    vd_status(ad, t, 0x0B);
    uint8_t b[32];
    uint32_t w[3] = {7, 0, 1}; /* generation 7 (the device's is 0), offset 0, length 1 */
    size_t n = vm_req(b, 0x00, 0x06, 0, 0x0103, 3, w);
    b[n] = 0xAA;
    put16(b + 6, (uint16_t)(n + 1), 0);
    inj(ad, t, 0, b, n + 1, 0);
}

static void sc_vd_config_change(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, VD, NULL, 0);
    vd_status(ad, t, 0x01);
    act(ad, t, VCF_ACT_VMSG_CONFIG_CHANGE, 0, 0, 0, "\x11", 1);
}

static void sc_vd_fail_then_status(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, VD, NULL, 0);
    act(ad, t, VCF_ACT_VMSG_FAIL, 0, 0, 0, NULL, 0);
    uint8_t b[16];
    size_t n = vm_req(b, 0x00, 0x07, 0, 0x0104, 0, NULL);
    inj(ad, t, 0, b, n, 0);
}

static void sc_vd_event_avail(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, VD, NULL, 0);
    uint8_t b[16];
    uint32_t w[2] = {0, 0};
    size_t n = vm_req(b, 0x00, 0x41, 0, 0, 2, w);
    inj(ad, t, 0, b, n, 0);
}

static void sc_vd_oversize(vcf_adapter *ad, transcript *t)
{
    vcf_adapter_param p[] = {{"max_msg_size", "44"},
                             {"config", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b"
                                        "1c1d1e1f2021222324252627"}};
    reset_ok(ad, t, VD, p, 2);
    uint8_t b[16];
    uint32_t w[2] = {0, 40}; /* all 40 bytes: 60 bytes of response, the maximum is 44 */
    size_t n = vm_req(b, 0x00, 0x05, 0, 0x0105, 2, w);
    inj(ad, t, 0, b, n, 0);
}

/* Play a driver against a fault-free device model until neither has anything to say; only the
 * driver's observations go into the transcript. */
static void pump(vcf_adapter *drv, vcf_adapter *dev, transcript *t)
{
    coll c;
    tr_drain(drv, t, &c);
    for (int round = 0; round < 64; round++) {
        coll d;
        d.n = 0;
        for (size_t i = 0; i < c.n; i++)
            if (c.o[i].kind == VCF_OBS_MSG) {
                vcf_adapter_msg m = {0, c.o[i].data, c.o[i].len, 0, 0};
                assert_int_equal(dev->inject(dev->ud, &m), VCF_ADAPTER_OK);
                coll one;
                collect(dev, &one);
                for (size_t k = 0; k < one.n; k++)
                    if (one.o[k].kind == VCF_OBS_MSG) {
                        assert_true(d.n < 16);
                        d.o[d.n++] = one.o[k];
                    }
            }
        if (d.n == 0)
            return;
        c.n = 0;
        for (size_t i = 0; i < d.n; i++) {
            vcf_adapter_msg m = {0, d.o[i].data, d.o[i].len, 0, 0};
            assert_int_equal(drv->inject(drv->ud, &m), VCF_ADAPTER_OK);
            coll one;
            tr_drain(drv, t, &one);
            for (size_t k = 0; k < one.n; k++) {
                assert_true(c.n < 16);
                c.o[c.n++] = one.o[k];
            }
        }
    }
    fail_msg("the driver and the device did not settle");
}

static void driver_against_device(vcf_adapter *ad, transcript *t, const vcf_adapter_param *dp,
                                  size_t n)
{
    vcf_adapter dev = open_model("");
    reset_ok(&dev, NULL, VD, dp, n);
    reset_ok(ad, t, VR, NULL, 0);
    vcf_adapter_action a = {VCF_ACT_VMSG_START, {0, 0, 0, 0}, NULL, 0};
    vcf_adapter_result r;
    assert_int_equal(ad->action(ad->ud, &a, &r), VCF_ADAPTER_OK);
    pump(ad, &dev, t);
    dev.close(dev.ud);
}

static void sc_vr_info(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, VR, NULL, 0);
    act(ad, t, VCF_ACT_VMSG_START, 0, 0, 0, NULL, 0);
    uint8_t b[40];
    uint32_t w[6] = {1, 0x554D4551u, 64, 12, 3, 0};
    size_t n = vm_req(b, 0x01, 0x02, 0, 1, 6, w);
    inj(ad, t, 0, b, n, 0);
}

static void sc_vr_features_refused(vcf_adapter *ad, transcript *t)
{
    /* the device needs feature bit 0, which the driver does not want */
    vcf_adapter_param dp[] = {{"offered", "0x1,0x101"}, {"required", "0x1"}};
    driver_against_device(ad, t, dp, 2);
}

static void sc_vr_wrong_token(vcf_adapter *ad, transcript *t)
{
    vcf_adapter_param p = {"rev", "rfc3"};
    reset_ok(ad, t, VR, &p, 1);
    act(ad, t, VCF_ACT_VMSG_START, 0, 0, 0, NULL, 0);
    uint8_t b[40];
    uint32_t w[6] = {1, 0x554D4551u, 64, 12, 3, 0};
    size_t n = vm_req(b, 0x01, 0x02, 0, 9, 6, w); /* the request's token was 1 */
    inj(ad, t, 0, b, n, 0);
}

static void sc_vr_notify(vcf_adapter *ad, transcript *t)
{
    driver_against_device(ad, t, NULL, 0);
    act(ad, t, VCF_ACT_VMSG_NOTIFY, 0, 5, 0, NULL, 0);
}

static void sc_vb_getdev(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, VB, NULL, 0);
    act(ad, t, VCF_ACT_VMSG_SET_DEVICE, 1, 1, 0, NULL, 0);
    uint8_t b[16];
    vm_head(b, 0x02, 0x02, 0, 5, 12);
    put16(b + 8, 0, 0);
    put16(b + 10, 8, 0);
    inj(ad, t, 0, b, 12, 0);
}

static void sc_vb_ping(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, VB, NULL, 0);
    uint8_t b[16];
    uint32_t data = 0x12345678u;
    size_t n = vm_req(b, 0x02, 0x03, 0, 5, 1, &data);
    inj(ad, t, 0, b, n, 0);
}

static void vb_request(vcf_adapter *ad, transcript *t, uint16_t dev, uint16_t token)
{
    uint8_t b[16];
    size_t n = vm_req(b, 0x00, 0x07, dev, token, 0, NULL);
    inj(ad, t, 1, b, n, 0);
}

static void vb_response(vcf_adapter *ad, transcript *t, uint16_t dev, uint16_t token)
{
    uint8_t b[16];
    uint32_t status = token;
    size_t n = vm_req(b, 0x01, 0x07, dev, token, 1, &status);
    inj(ad, t, 2, b, n, 0);
}

static void sc_vb_reorder(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, VB, NULL, 0);
    act(ad, t, VCF_ACT_VMSG_SET_DEVICE, 1, 1, 0, NULL, 0);
    vb_request(ad, t, 1, 0x0A01); /* forwarded with bus token 1 */
    vb_request(ad, t, 1, 0x0A02); /* and 2 */
    vb_response(ad, t, 1, 2);     /* the second answered first */
    vb_response(ad, t, 1, 1);
}

static void sc_vb_unvalidated(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, VB, NULL, 0);
    vb_request(ad, t, 5, 0x0A01);
}

static void sc_vb_token(vcf_adapter *ad, transcript *t)
{
    reset_ok(ad, t, VB, NULL, 0);
    act(ad, t, VCF_ACT_VMSG_SET_DEVICE, 1, 1, 0, NULL, 0);
    vb_request(ad, t, 1, 0x0A01);
    vb_response(ad, t, 1, 1);
}

static const struct {
    const char *fault;
    scenario_fn fn;
} scenarios[] = {
    {"rpmsg-tx-len-swapped", sc_rp_send},
    {"rpmsg-rx-len-off-by-one", sc_rp_len_off_by_one},
    {"rpmsg-rx-used-len-trusted", sc_rp_used_len_trusted},
    {"rpmsg-rx-slack-rejected", sc_rp_slack},
    {"rpmsg-rx-reserved-checked", sc_rp_reserved},
    {"rpmsg-legacy-always-le", sc_rp_legacy_be},
    {"rpmsg-ns-name-cut", sc_rp_ns_long_name},
    {"rpmsg-ns-flags-any-bit", sc_rp_ns_flags},
    {"rpmsg-ns-destroy-ignored", sc_rp_ns_destroy},
    {"rpmsg-ns-without-feature", sc_rp_ns_no_feature},
    {"rpmsg-ns-not-announced", sc_rp_announce},
    {"rpmsg-ns-not-withdrawn", sc_rp_withdraw},
    {"rpmsg-reserved-addr", sc_rp_dynamic_addr},
    {"rpmsg-tx-no-credit-check", sc_rp_no_credit},
    {"vmsg-msg-size-swapped", sc_vd_info},
    {"vmsg-token-swapped", sc_vd_info},
    {"vmsg-features-ok-never-refused", sc_vd_features_refused},
    {"vmsg-stale-generation-accepted", sc_vd_stale_set_config},
    {"vmsg-generation-not-moved", sc_vd_config_change},
    {"vmsg-needs-reset-not-sticky", sc_vd_fail_then_status},
    {"vmsg-event-answered", sc_vd_event_avail},
    {"vmsg-max-size-ignored", sc_vd_oversize},
    {"vmsg-driver-skips-reset", sc_vr_info},
    {"vmsg-driver-ignores-features-refusal", sc_vr_features_refused},
    {"vmsg-driver-token-unchecked", sc_vr_wrong_token},
    {"vmsg-driver-next-offset-always", sc_vr_notify},
    {"vmsg-bus-getdev-msb-first", sc_vb_getdev},
    {"vmsg-bus-ping-data-swapped", sc_vb_ping},
    {"vmsg-bus-out-of-order", sc_vb_reorder},
    {"vmsg-bus-unvalidated-forward", sc_vb_unvalidated},
    {"vmsg-bus-token-not-restored", sc_vb_token},
};

static transcript tr_good, tr_bad;

static void run_scenario(scenario_fn fn, const char *options, transcript *t)
{
    memset(t, 0, sizeof *t);
    vcf_adapter ad = open_model(options);
    fn(&ad, t);
    ad.close(ad.ud);
}

static void test_fault_table(void **state)
{
    (void)state;
    size_t n = 0, rp = 0, vm = 0;
    uint32_t roles = 0;
    for (const vcf_fault_info *f = vcf_model_faults(); f->name; f++, n++) {
        bool is_rp = strncmp(f->name, "rpmsg-", 6) == 0, is_vm = strncmp(f->name, "vmsg-", 5) == 0;
        assert_true(is_rp || is_vm);
        rp += is_rp;
        vm += is_vm;
        for (const char *c = f->name; *c; c++)
            assert_true((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-');
        assert_true(f->roles != 0);
        uint32_t proto = is_rp
                             ? (VCF_IUT_ROLE_BIT(RD) | VCF_IUT_ROLE_BIT(RV))
                             : (VCF_IUT_ROLE_BIT(VD) | VCF_IUT_ROLE_BIT(VR) | VCF_IUT_ROLE_BIT(VB));
        assert_int_equal(f->roles & ~proto, 0);
        roles |= f->roles;
        assert_true(f->summary && strlen(f->summary) > 10);
        for (const vcf_fault_info *g = vcf_model_faults(); g != f; g++)
            assert_true(strcmp(g->name, f->name) != 0);
    }
    assert_true(n >= 22);
    assert_true(rp >= 8);
    assert_true(vm >= 8);
    for (uint32_t r = 1; r < VCF_IUT_ROLE_COUNT; r++)
        if (!(roles & VCF_IUT_ROLE_BIT(r)))
            fail_msg("no fault class for %s", vcf_iut_role_name(r));
}

/* Each fault class changes what the adapter does on its scenario. */
static void test_every_fault_observable(void **state)
{
    (void)state;
    for (const vcf_fault_info *f = vcf_model_faults(); f->name; f++) {
        scenario_fn fn = NULL;
        for (size_t i = 0; i < sizeof scenarios / sizeof *scenarios && !fn; i++)
            if (strcmp(scenarios[i].fault, f->name) == 0)
                fn = scenarios[i].fn;
        if (!fn)
            fail_msg("fault %s has no scenario in test_adapter_model.c", f->name);
        char opts[128];
        snprintf(opts, sizeof opts, "fault=%s", f->name);
        run_scenario(fn, "", &tr_good);
        run_scenario(fn, opts, &tr_bad);
        if (!(f->roles & VCF_IUT_ROLE_BIT(tr_good.role)))
            fail_msg("fault %s: the scenario plays %s, not one of the fault's roles", f->name,
                     vcf_iut_role_name(tr_good.role));
        if (tr_good.len == tr_bad.len && memcmp(tr_good.buf, tr_bad.buf, tr_good.len) == 0)
            fail_msg("fault %s changes nothing on its scenario", f->name);
        /* deterministic: the same again gives the same observations */
        run_scenario(fn, opts, &tr_good);
        assert_int_equal(tr_good.len, tr_bad.len);
        assert_memory_equal(tr_good.buf, tr_bad.buf, tr_bad.len);
    }
    for (size_t i = 0; i < sizeof scenarios / sizeof *scenarios; i++) {
        bool known = false;
        for (const vcf_fault_info *f = vcf_model_faults(); f->name && !known; f++)
            known = strcmp(f->name, scenarios[i].fault) == 0;
        if (!known)
            fail_msg("scenario for unknown fault %s", scenarios[i].fault);
    }
}

/* A fault leaves the other scenarios of other protocols alone: the transcripts of the RPMsg
 * scenarios do not change under a virtio-msg fault and vice versa. */
static void test_faults_stay_in_their_protocol(void **state)
{
    (void)state;
    static const char *const probes[] = {"fault=rpmsg-tx-len-swapped",
                                         "fault=vmsg-msg-size-swapped"};
    for (size_t p = 0; p < 2; p++)
        for (size_t i = 0; i < sizeof scenarios / sizeof *scenarios; i++) {
            bool rp_scenario = strncmp(scenarios[i].fault, "rpmsg-", 6) == 0;
            if (rp_scenario == (p == 0))
                continue;
            run_scenario(scenarios[i].fn, "", &tr_good);
            run_scenario(scenarios[i].fn, probes[p], &tr_bad);
            assert_int_equal(tr_good.len, tr_bad.len);
            assert_memory_equal(tr_good.buf, tr_bad.buf, tr_bad.len);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_options),
        cmocka_unit_test(test_profile_applies),
        cmocka_unit_test(test_reset_defaults),
        cmocka_unit_test(test_reset_each_key),
        cmocka_unit_test(test_reset_refusals),
        cmocka_unit_test(test_params_take_effect),
        cmocka_unit_test(test_rpmsg_driver_round_trip),
        cmocka_unit_test(test_rpmsg_device_round_trip),
        cmocka_unit_test(test_vmsg_driver_and_device_round_trip),
        cmocka_unit_test(test_vmsg_bus_round_trip),
        cmocka_unit_test(test_unsupported_actions),
        cmocka_unit_test(test_every_action_mapped),
        cmocka_unit_test(test_fault_table),
        cmocka_unit_test(test_every_fault_observable),
        cmocka_unit_test(test_faults_stay_in_their_protocol),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
