/* SPDX-License-Identifier: MIT */
/*
 * The RPMsg reference model: one group of tests per catalogue rule, then the profiles, then long
 * sequences and two models talking to each other.
 *
 * Frames fed to the model are assembled here byte by byte (put32/put16), never with the model's
 * encoder. Every assertion on a verdict goes through expect_verdict(), which also records the
 * rule as tested; the last test fails if any MUST, SHOULD or MAY rule of the catalogue was not
 * exercised by a test that ran before it.
 */
#include <stdlib.h>

#include "vcf_test.h"

#include "rpmsg_samples.h"

#include "vconform/rpmsg_model.h"

#define ANY VCF_RPMSG_ADDR_ANY
#define LE  VCF_LITTLE_ENDIAN
#define BE  VCF_BIG_ENDIAN

static bool tested[VCF_RPMSG_RULE_COUNT];

/* Mark a rule whose behaviour the calling test has just asserted without a verdict (send-side
 * bytes, state). */
static void covers(vcf_rpmsg_rule rule)
{
    tested[rule] = true;
}

/* ---- helpers --------------------------------------------------------------------------------- */

static vcf_rpmsg_model *model(vcf_rpmsg_role role, vcf_rpmsg_profile profile, uint64_t features)
{
    vcf_rpmsg_config cfg;
    vcf_rpmsg_config_default(&cfg);
    cfg.role = role;
    cfg.profile = profile;
    cfg.features = features;
    vcf_rpmsg_model *m = malloc(sizeof *m);
    assert_non_null(m);
    vcf_error err;
    assert_int_equal(vcf_rpmsg_model_init(m, &cfg, &err), VCF_OK);
    return m;
}

#define F_NS (UINT64_C(1) << VCF_RPMSG_F_NS)
#define F_V1 (UINT64_C(1) << VCF_VIRTIO_F_VERSION_1)
#define ALL  (F_NS | F_V1)

static vcf_rpmsg_model *strict_driver(void)
{
    return model(VCF_RPMSG_ROLE_DRIVER, VCF_RPMSG_PROFILE_STRICT, ALL);
}

static vcf_rpmsg_model *with_cfg(const vcf_rpmsg_config *cfg)
{
    vcf_rpmsg_model *m = malloc(sizeof *m);
    assert_non_null(m);
    assert_int_equal(vcf_rpmsg_model_init(m, cfg, NULL), VCF_OK);
    return m;
}

static void put32(uint8_t *p, uint32_t v, vcf_byte_order o)
{
    for (int i = 0; i < 4; i++)
        p[o == LE ? i : 3 - i] = (uint8_t)(v >> (8 * i));
}

static void put16(uint8_t *p, uint16_t v, vcf_byte_order o)
{
    p[o == LE ? 0 : 1] = (uint8_t)v;
    p[o == LE ? 1 : 0] = (uint8_t)(v >> 8);
}

/* A frame in buf (zero-filled first): header fields as given, then plen payload bytes. */
static size_t frame(uint8_t *buf, size_t cap, vcf_byte_order o, uint32_t src, uint32_t dst,
                    uint32_t reserved, uint16_t len, uint16_t flags, const void *payload,
                    size_t plen)
{
    assert_true(16 + plen <= cap);
    memset(buf, 0, cap);
    put32(buf, src, o);
    put32(buf + 4, dst, o);
    put32(buf + 8, reserved, o);
    put16(buf + 12, len, o);
    put16(buf + 14, flags, o);
    if (plen)
        memcpy(buf + 16, payload, plen);
    return 16 + plen;
}

/* A data frame with a consistent len. */
static size_t data(uint8_t *buf, size_t cap, uint32_t src, uint32_t dst, const char *text)
{
    size_t n = strlen(text);
    return frame(buf, cap, LE, src, dst, 0, (uint16_t)n, 0, text, n);
}

/* A name-service frame: 16-byte header (src = addr) then the 40-byte payload. name is copied
 * as raw bytes (nlen of them), so unterminated and dirty names can be built. */
static size_t ns_frame(uint8_t *buf, size_t cap, vcf_byte_order o, uint32_t src, const void *name,
                       size_t nlen, uint32_t addr, uint32_t flags)
{
    uint8_t p[40] = {0};
    assert_true(nlen <= 32);
    memcpy(p, name, nlen);
    put32(p + 32, addr, o);
    put32(p + 36, flags, o);
    return frame(buf, cap, o, src, 53, 0, 40, 0, p, 40);
}

static size_t ns_simple(uint8_t *buf, size_t cap, const char *name, uint32_t addr, uint32_t flags)
{
    return ns_frame(buf, cap, LE, addr, name, strlen(name), addr, flags);
}

static int rx(vcf_rpmsg_model *m, const uint8_t *buf, size_t used, vcf_rpmsg_output *out)
{
    vcf_rpmsg_rxbuf in = {buf, used, used, 0};
    return vcf_rpmsg_model_rx(m, &in, out);
}

/* Received into a buffer of capacity cap holding data_len valid bytes. */
static int rx_full(vcf_rpmsg_model *m, const uint8_t *buf, size_t data_len, size_t used, size_t cap,
                   vcf_rpmsg_output *out)
{
    vcf_rpmsg_rxbuf in = {buf, data_len, used, cap};
    return vcf_rpmsg_model_rx(m, &in, out);
}

static const vcf_rpmsg_verdict *expect_verdict(const vcf_rpmsg_output *out, vcf_rpmsg_rule rule,
                                               vcf_rpmsg_action action)
{
    const vcf_rpmsg_verdict *v = vcf_rpmsg_output_find(out, rule);
    if (!v)
        fail_msg("no verdict for %s", vcf_rpmsg_rule_id(rule));
    assert_int_equal(v->action, action);
    assert_non_null(v->error.rule); /* the error record cites the same rule */
    assert_string_equal(v->error.rule, vcf_rpmsg_rule_id(rule));
    tested[rule] = true;
    if (v->impl != VCF_RPMSG_RULE_NONE)
        tested[v->impl] = true;
    return v;
}

static void expect_impl(const vcf_rpmsg_output *out, vcf_rpmsg_rule rule, vcf_rpmsg_rule impl,
                        vcf_rpmsg_action action)
{
    const vcf_rpmsg_verdict *v = expect_verdict(out, rule, action);
    assert_int_equal(v->impl, impl);
}

static void expect_no_verdict(const vcf_rpmsg_output *out)
{
    if (out->n_verdicts)
        fail_msg("unexpected verdict %s", vcf_rpmsg_rule_id(out->verdicts[0].rule));
}

static void expect_deliver(const vcf_rpmsg_output *out, uint32_t ept, uint32_t src,
                           const void *payload, size_t len)
{
    assert_int_equal(out->status, VCF_OK);
    assert_int_equal(out->n_events, 1);
    const vcf_rpmsg_event *ev = &out->events[0];
    assert_int_equal(ev->type, VCF_RPMSG_EV_DELIVER);
    assert_int_equal(ev->ept, ept);
    assert_int_equal(ev->addr, src);
    assert_int_equal(ev->payload.len, len);
    assert_int_equal(ev->claimed_len, len);
    if (len)
        assert_memory_equal(ev->payload.ptr, payload, len);
}

static void expect_dropped_but_returned(const vcf_rpmsg_output *out)
{
    assert_true(out->status < 0);
    assert_int_equal(out->n_events, 0);
    assert_true(out->rx_returned);
    assert_true(out->rx_continue);
}

static uint32_t create(vcf_rpmsg_model *m, const char *name, uint32_t addr)
{
    vcf_rpmsg_output out;
    assert_int_equal(vcf_rpmsg_model_create(m, name, addr, ANY, &out), VCF_OK);
    return out.addr;
}

static void send_ok(vcf_rpmsg_model *m, uint32_t src, uint32_t dst, const void *p, size_t len,
                    vcf_rpmsg_output *out)
{
    assert_int_equal(vcf_rpmsg_model_send(m, src, dst, p, len, out), VCF_OK);
    assert_true(out->has_tx);
}

static void expect_tx_hex(const vcf_rpmsg_output *out, const char *hex)
{
    uint8_t want[128];
    size_t n = th_hex(hex, want, sizeof want);
    assert_true(out->has_tx);
    assert_int_equal(out->tx.len, n);
    assert_memory_equal(out->tx.data, want, n);
}

/* ---- configuration --------------------------------------------------------------------------- */

static void test_config_validation(void **state)
{
    (void)state;
    vcf_rpmsg_config cfg;
    vcf_rpmsg_model *m = malloc(sizeof *m);
    vcf_error err;

    vcf_rpmsg_config_default(&cfg);
    cfg.buf_size = 15;
    assert_int_equal(vcf_rpmsg_model_init(m, &cfg, &err), VCF_E_INVAL);
    assert_string_equal(err.field, "buf_size");
    cfg.buf_size = VCF_RPMSG_MAX_FRAME + 1;
    assert_int_equal(vcf_rpmsg_model_init(m, &cfg, &err), VCF_E_INVAL);
    /* with the name service, a buffer holds at least an NS message (fuzzing found the model
     * announcing 56 bytes into 20-byte buffers: fuzz/crashers/rpmsg_driver/) */
    cfg.buf_size = VCF_RPMSG_HDR_SIZE + VCF_RPMSG_NS_MSG_SIZE - 1;
    assert_int_equal(vcf_rpmsg_model_init(m, &cfg, &err), VCF_E_INVAL);
    assert_string_equal(err.field, "buf_size");
    cfg.buf_size = VCF_RPMSG_HDR_SIZE + VCF_RPMSG_NS_MSG_SIZE;
    assert_int_equal(vcf_rpmsg_model_init(m, &cfg, &err), VCF_OK);
    cfg.features &= ~(UINT64_C(1) << VCF_RPMSG_F_NS); /* without it, 16 bytes are enough */
    cfg.buf_size = VCF_RPMSG_HDR_SIZE;
    assert_int_equal(vcf_rpmsg_model_init(m, &cfg, &err), VCF_OK);

    vcf_rpmsg_config_default(&cfg);
    cfg.addr_first = 2000;
    cfg.addr_last = 1999;
    assert_int_equal(vcf_rpmsg_model_init(m, &cfg, &err), VCF_E_INVAL);
    assert_string_equal(err.field, "addr_last");
    cfg.addr_last = ANY;
    assert_int_equal(vcf_rpmsg_model_init(m, &cfg, &err), VCF_E_INVAL);

    vcf_rpmsg_config_default(&cfg);
    cfg.role = (vcf_rpmsg_role)7;
    assert_int_equal(vcf_rpmsg_model_init(m, &cfg, &err), VCF_E_INVAL);

    assert_int_equal(vcf_rpmsg_model_init(m, NULL, &err), VCF_OK);
    assert_int_equal(vcf_rpmsg_model_tx_free(m), VCF_RPMSG_DEFAULT_BUFS);
    assert_true(vcf_rpmsg_model_ns(m));

    vcf_rpmsg_profile p;
    vcf_rpmsg_role r;
    assert_int_equal(vcf_rpmsg_profile_parse("linux", &p), VCF_OK);
    assert_int_equal(p, VCF_RPMSG_PROFILE_LINUX);
    assert_int_equal(vcf_rpmsg_profile_parse("zephyr", &p), VCF_E_INVAL);
    assert_int_equal(vcf_rpmsg_role_parse("device", &r), VCF_OK);
    assert_int_equal(r, VCF_RPMSG_ROLE_DEVICE);
    assert_string_equal(vcf_rpmsg_profile_name(VCF_RPMSG_PROFILE_OPENAMP), "openamp");
    free(m);
}

/* ---- header and framing ---------------------------------------------------------------------- */

static void test_hdr01_frame_layout(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    create(m, NULL, 0x400);
    send_ok(m, 0x400, 0x401, "hello", 5, &out);
    expect_tx_hex(&out, DATA_LE);
    covers(VCF_RPMSG_HDR_01);
    free(m);
}

static void test_hdr02_len_is_payload_size(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t payload[496];
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(i * 7);
    create(m, NULL, 0x400);
    const size_t lens[] = {0, 1, 100, 495, 496};
    for (size_t i = 0; i < 5; i++) {
        send_ok(m, 0x400, 0x401, payload, lens[i], &out);
        assert_int_equal(out.tx.len, 16 + lens[i]);
        assert_int_equal(th_le(out.tx.data + 12, 2), lens[i]);
        assert_true(out.tx.reported_len >= out.tx.len);
        if (lens[i])
            assert_memory_equal(out.tx.data + 16, payload, lens[i]);
    }
    covers(VCF_RPMSG_HDR_02);
    free(m);
}

static void test_hdr03_oversized_send_is_refused(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t payload[600] = {0};
    create(m, NULL, 0x400);
    uint32_t before = vcf_rpmsg_model_tx_free(m);
    assert_int_equal(vcf_rpmsg_model_send(m, 0x400, 0x401, payload, 497, &out), VCF_E_TOO_LARGE);
    assert_false(out.has_tx);
    const vcf_rpmsg_verdict *v = expect_verdict(&out, VCF_RPMSG_HDR_03, VCF_RPMSG_ACT_REFUSE);
    assert_int_equal(v->error.expected, 496);
    assert_int_equal(v->error.actual, 497);
    assert_int_equal(vcf_rpmsg_model_tx_free(m), before);
    free(m);

    /* The limit follows the configured buffer size. */
    vcf_rpmsg_config cfg;
    vcf_rpmsg_config_default(&cfg);
    cfg.buf_size = 64;
    m = with_cfg(&cfg);
    create(m, NULL, 0x400);
    send_ok(m, 0x400, 0x401, payload, 48, &out);
    assert_int_equal(vcf_rpmsg_model_send(m, 0x400, 0x401, payload, 49, &out), VCF_E_TOO_LARGE);
    free(m);
}

static void test_hdr04_05_06_flags_and_reserved(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out, clean;
    uint8_t buf[64];
    create(m, NULL, 0x401);

    /* Sent as zero. */
    create(m, NULL, 0x400);
    send_ok(m, 0x400, 0x401, "x", 1, &out);
    assert_int_equal(th_le(out.tx.data + 8, 4), 0);
    assert_int_equal(th_le(out.tx.data + 14, 2), 0);

    /* Ignored on receive: the same delivery as with zeros, plus a note against the sender. */
    size_t n = frame(buf, sizeof buf, LE, 0x400, 0x401, 0, 3, 0, "abc", 3);
    rx(m, buf, n, &clean);
    expect_deliver(&clean, 0x401, 0x400, "abc", 3);
    expect_no_verdict(&clean);

    n = frame(buf, sizeof buf, LE, 0x400, 0x401, 0xDEADBEEFu, 3, 0xFFFF, "abc", 3);
    rx(m, buf, n, &out);
    expect_deliver(&out, 0x401, 0x400, "abc", 3);
    const vcf_rpmsg_verdict *v = expect_verdict(&out, VCF_RPMSG_HDR_05, VCF_RPMSG_ACT_NOTE);
    assert_int_equal(v->error.offset, 8);
    assert_int_equal(v->error.actual, 0xDEADBEEFu);
    v = expect_verdict(&out, VCF_RPMSG_HDR_04, VCF_RPMSG_ACT_NOTE);
    assert_int_equal(v->error.offset, 14);
    assert_int_equal(v->error.actual, 0xFFFF);
    covers(VCF_RPMSG_HDR_06);
    free(m);
}

static void test_hdr07_short_buffer_dropped(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t buf[64];
    create(m, NULL, 0x401);
    data(buf, sizeof buf, 0x400, 0x401, "hi");
    for (size_t used = 0; used < 16; used++) {
        rx(m, buf, used, &out);
        expect_dropped_but_returned(&out);
        const vcf_rpmsg_verdict *v = expect_verdict(&out, VCF_RPMSG_HDR_07, VCF_RPMSG_ACT_DROP);
        assert_int_equal(v->error.code, VCF_E_TRUNCATED);
        assert_int_equal(v->error.actual, used);
    }
    /* The used length is what counts, not the bytes behind it. */
    rx_full(m, buf, sizeof buf, 8, 512, &out);
    assert_int_equal(out.status, VCF_E_TRUNCATED);
    free(m);
}

/* rpmsg-rules.md 5.2: every len against the used lengths around it. */
static void test_hdr08_len_against_used_length(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    static uint8_t buf[600];
    create(m, NULL, 0x401);
    const uint16_t lens[] = {0, 1, 495, 496, 497, 511, 512, 0xFFFF};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        frame(buf, sizeof buf, LE, 0x400, 0x401, 0, lens[i], 0, NULL, 0);
        const size_t useds[] = {16, 17, (size_t)16 + lens[i] - 1, (size_t)16 + lens[i], 511, 512};
        for (size_t j = 0; j < sizeof useds / sizeof useds[0]; j++) {
            size_t used = useds[j];
            if (used < 16 || used > 512)
                continue;
            rx(m, buf, used, &out);
            bool fits = lens[i] <= used - 16;
            if (fits) {
                assert_int_equal(out.status, VCF_OK);
                assert_int_equal(out.events[0].payload.len, lens[i]);
            } else {
                expect_dropped_but_returned(&out);
                const vcf_rpmsg_verdict *v =
                    expect_verdict(&out, VCF_RPMSG_HDR_08, VCF_RPMSG_ACT_DROP);
                assert_int_equal(v->error.code, VCF_E_SIZE_MISMATCH);
                assert_int_equal(v->error.offset, 12);
            }
        }
    }
    free(m);
}

static void test_hdr09_used_beyond_buffer(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    static uint8_t buf[1024];
    create(m, NULL, 0x401);
    frame(buf, sizeof buf, LE, 0x400, 0x401, 0, 4, 0, "data", 4);
    rx(m, buf, 512, &out);
    assert_int_equal(out.status, VCF_OK);
    rx(m, buf, 513, &out);
    expect_dropped_but_returned(&out);
    const vcf_rpmsg_verdict *v = expect_verdict(&out, VCF_RPMSG_HDR_09, VCF_RPMSG_ACT_DROP);
    assert_int_equal(v->error.expected, 512);
    assert_int_equal(v->error.actual, 513);
    /* A smaller posted buffer given with the input. */
    rx_full(m, buf, 100, 100, 64, &out);
    assert_int_equal(out.status, VCF_E_TOO_LARGE);
    rx_full(m, buf, 64, 64, 64, &out);
    assert_int_equal(out.status, VCF_OK);
    free(m);
}

static void test_hdr10_zero_length(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t buf[32];
    create(m, NULL, 0x400);
    send_ok(m, 0x400, 0x401, NULL, 0, &out);
    expect_tx_hex(&out, "00 04 00 00 01 04 00 00 00 00 00 00 00 00 00 00");
    size_t n = frame(buf, sizeof buf, LE, 0x401, 0x400, 0, 0, 0, NULL, 0);
    rx(m, buf, n, &out);
    expect_deliver(&out, 0x400, 0x401, NULL, 0);
    covers(VCF_RPMSG_HDR_10);
    free(m);
}

static void test_hdr11_slack_ignored(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    static uint8_t buf[512];
    create(m, NULL, 0x401);
    data(buf, sizeof buf, 0x400, 0x401, "hello");
    memset(buf + 21, 0xAA, sizeof buf - 21); /* stale bytes after the payload */
    rx(m, buf, 512, &out);
    expect_deliver(&out, 0x401, 0x400, "hello", 5);
    expect_no_verdict(&out);
    covers(VCF_RPMSG_HDR_11);
    free(m);
}

static void test_hdr12_buffers_come_back(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t buf[64];
    create(m, NULL, 0x401);
    size_t n = frame(buf, sizeof buf, LE, 0x400, 0x401, 0, 40, 0, "x", 1); /* len too big */
    rx(m, buf, n, &out);
    expect_dropped_but_returned(&out);
    n = data(buf, sizeof buf, 0x400, 0x999, "x"); /* unknown destination */
    rx(m, buf, n, &out);
    expect_dropped_but_returned(&out);
    n = data(buf, sizeof buf, 0x400, 0x401, "next");
    rx(m, buf, n, &out);
    expect_deliver(&out, 0x401, 0x400, "next", 4);
    assert_true(out.rx_returned);
    covers(VCF_RPMSG_HDR_12);
    free(m);
}

static void test_hdr13_device_reports_written_length(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = model(VCF_RPMSG_ROLE_DEVICE, VCF_RPMSG_PROFILE_STRICT, ALL);
    vcf_rpmsg_output out;
    create(m, NULL, 0x400);
    send_ok(m, 0x400, 0x401, "hello", 5, &out);
    assert_int_equal(out.tx.reported_len, 21);
    covers(VCF_RPMSG_HDR_13);
    free(m);
}

/* ---- byte order --------------------------------------------------------------------------------
 */

static void test_end01_link_byte_order(void **state)
{
    (void)state;
    assert_int_equal(vcf_rpmsg_link_order(F_V1, BE), LE);
    assert_int_equal(vcf_rpmsg_link_order(F_V1 | F_NS, LE), LE);
    assert_int_equal(vcf_rpmsg_link_order(F_NS, BE), BE);
    assert_int_equal(vcf_rpmsg_link_order(0, LE), LE);

    /* A legacy big-endian link: the golden vectors come out, and go in, big-endian. */
    vcf_rpmsg_config cfg;
    vcf_rpmsg_config_default(&cfg);
    cfg.features = F_NS;
    cfg.legacy_order = BE;
    cfg.role = VCF_RPMSG_ROLE_DEVICE;
    vcf_rpmsg_model *m = with_cfg(&cfg);
    assert_int_equal(vcf_rpmsg_model_order(m), BE);
    vcf_rpmsg_output out;
    assert_int_equal(vcf_rpmsg_model_create(m, "rpmsg-client-sample", 0x400, ANY, &out), VCF_OK);
    expect_tx_hex(&out, NS_CREATE_BE);
    send_ok(m, 0x400, 0x401, "hello", 5, &out);
    expect_tx_hex(&out, DATA_BE);

    uint8_t buf[64];
    size_t n = ns_frame(buf, sizeof buf, BE, 0x401, "peer", 4, 0x401, 0);
    rx(m, buf, n, &out);
    assert_int_equal(out.events[0].type, VCF_RPMSG_EV_CHANNEL_CREATED);
    assert_int_equal(out.events[0].addr, 0x401);

    /* The same bytes read little-endian: len 40 becomes 0x2800, which does not fit ... */
    cfg.features = ALL;
    vcf_rpmsg_model *le = with_cfg(&cfg);
    rx(le, buf, n, &out);
    expect_dropped_but_returned(&out);
    const vcf_rpmsg_verdict *v = expect_verdict(&out, VCF_RPMSG_HDR_08, VCF_RPMSG_ACT_DROP);
    assert_int_equal(v->error.actual, 0x2800);
    /* ... and with a len that does, dst 53 becomes 0x35000000, where nobody is. */
    put16(buf + 12, 0x2800, BE);
    rx(le, buf, n, &out);
    v = expect_verdict(&out, VCF_RPMSG_EP_02, VCF_RPMSG_ACT_DROP);
    assert_int_equal(v->error.actual, 0x35000000u);
    covers(VCF_RPMSG_END_01);
    free(m);
    free(le);
}

static void test_end02_default_is_little_endian(void **state)
{
    (void)state;
    vcf_rpmsg_config cfg;
    vcf_rpmsg_config_default(&cfg);
    assert_true(cfg.features & F_V1);
    cfg.legacy_order = BE;
    vcf_rpmsg_model *m = with_cfg(&cfg);
    assert_int_equal(vcf_rpmsg_model_order(m), LE);
    covers(VCF_RPMSG_END_02);
    free(m);
}

/* ---- addresses ----------------------------------------------------------------------------- */

static void test_addr01_02_no_any_on_send(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    create(m, NULL, 0x400);
    assert_int_equal(vcf_rpmsg_model_send(m, 0x400, ANY, "x", 1, &out), VCF_E_RANGE);
    assert_false(out.has_tx);
    expect_verdict(&out, VCF_RPMSG_ADDR_01, VCF_RPMSG_ACT_REFUSE);
    assert_int_equal(vcf_rpmsg_model_send(m, ANY, 0x401, "x", 1, &out), VCF_E_RANGE);
    assert_false(out.has_tx);
    expect_verdict(&out, VCF_RPMSG_ADDR_02, VCF_RPMSG_ACT_REFUSE);
    /* with the name service, 53 takes name-service messages only: an upper layer's send
     * there would put a malformed one on the wire (fuzz/crashers/rpmsg_device/) */
    assert_int_equal(vcf_rpmsg_model_send(m, 0x400, VCF_RPMSG_NS_ADDR, "", 0, &out), VCF_E_INVAL);
    assert_false(out.has_tx);
    expect_verdict(&out, VCF_RPMSG_NS_01, VCF_RPMSG_ACT_REFUSE);
    assert_int_equal(vcf_rpmsg_model_tx_free(m), VCF_RPMSG_DEFAULT_BUFS);
    vcf_rpmsg_model *plain = model(VCF_RPMSG_ROLE_DRIVER, VCF_RPMSG_PROFILE_STRICT, F_V1);
    create(plain, NULL, 0x400); /* without it, 53 is an address like any other (NS-13) */
    assert_int_equal(vcf_rpmsg_model_send(plain, 0x400, VCF_RPMSG_NS_ADDR, "x", 1, &out), VCF_OK);
    assert_true(out.has_tx);
    free(plain);

    /* A peer that sends from ANY: delivered as it is, noted. */
    uint8_t buf[32];
    size_t n = data(buf, sizeof buf, ANY, 0x400, "q");
    rx(m, buf, n, &out);
    expect_deliver(&out, 0x400, ANY, "q", 1);
    expect_verdict(&out, VCF_RPMSG_ADDR_02, VCF_RPMSG_ACT_NOTE);
    free(m);
}

static void test_addr03_message_to_any_dropped(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t buf[32];
    create(m, NULL, 0x400);
    size_t n = data(buf, sizeof buf, 0x401, ANY, "b");
    rx(m, buf, n, &out);
    expect_dropped_but_returned(&out);
    expect_verdict(&out, VCF_RPMSG_ADDR_03, VCF_RPMSG_ACT_DROP);
    /* ANY cannot be bound either: create with ANY allocates (0x400 = 1024 is taken). */
    assert_int_equal(create(m, NULL, ANY), 1025);
    free(m);
}

static void test_addr04_dynamic_from_1024(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    assert_int_equal(create(m, NULL, 5), 5);
    assert_int_equal(create(m, NULL, 1023), 1023);
    assert_int_equal(create(m, NULL, ANY), 1024);
    assert_int_equal(create(m, NULL, ANY), 1025);
    assert_int_equal(create(m, NULL, 1026), 1026);
    assert_int_equal(create(m, NULL, ANY), 1027); /* lowest free, skipping bound ones */
    for (size_t i = 0; i < vcf_rpmsg_model_ept_count(m); i++) {
        const vcf_rpmsg_ept *e = vcf_rpmsg_model_ept_at(m, i);
        assert_true(e->addr >= 1024 || e->addr == 5 || e->addr == 1023);
    }
    covers(VCF_RPMSG_ADDR_04);
    free(m);
}

static void test_addr05_unique(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    create(m, NULL, 1024);
    assert_int_equal(vcf_rpmsg_model_create(m, NULL, 1024, ANY, &out), VCF_E_INUSE);
    expect_verdict(&out, VCF_RPMSG_ADDR_05, VCF_RPMSG_ACT_REFUSE);
    create(m, NULL, 7);
    assert_int_equal(vcf_rpmsg_model_create(m, "x", 7, ANY, &out), VCF_E_INUSE);
    assert_int_equal(vcf_rpmsg_model_ept_count(m), 2);
    assert_int_equal(create(m, NULL, ANY), 1025); /* dynamic allocation skips it too */
    free(m);
}

static void test_addr06_53_is_the_name_service(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    assert_int_equal(vcf_rpmsg_model_create(m, NULL, 53, ANY, &out), VCF_E_INUSE);
    expect_verdict(&out, VCF_RPMSG_ADDR_06, VCF_RPMSG_ACT_REFUSE);
    free(m);
    /* Without the name service 53 is an ordinary reserved address. */
    m = model(VCF_RPMSG_ROLE_DRIVER, VCF_RPMSG_PROFILE_STRICT, F_V1);
    assert_int_equal(create(m, NULL, 53), 53);
    free(m);
}

static void test_addr07_exhaustion(void **state)
{
    (void)state;
    vcf_rpmsg_config cfg;
    vcf_rpmsg_config_default(&cfg);
    cfg.addr_first = 2000;
    cfg.addr_last = 2003;
    vcf_rpmsg_model *m = with_cfg(&cfg);
    vcf_rpmsg_output out;
    for (uint32_t a = 2000; a <= 2003; a++)
        assert_int_equal(create(m, NULL, ANY), a);
    assert_int_equal(vcf_rpmsg_model_create(m, NULL, ANY, ANY, &out), VCF_E_EXHAUSTED);
    expect_verdict(&out, VCF_RPMSG_ADDR_07, VCF_RPMSG_ACT_REFUSE);
    assert_int_equal(vcf_rpmsg_model_ept_count(m), 4);
    assert_int_equal(vcf_rpmsg_model_destroy(m, 2002, &out), VCF_OK);
    assert_int_equal(create(m, NULL, ANY), 2002);
    free(m);
}

/* ---- endpoints ------------------------------------------------------------------------------- */

static void test_ep01_dispatch_by_destination(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t buf[64];
    uint32_t a = create(m, "alpha", ANY), b = create(m, "beta", ANY), c = create(m, NULL, 9);
    const uint32_t dsts[] = {b, c, a};
    for (size_t i = 0; i < 3; i++) {
        size_t n = data(buf, sizeof buf, 0x500 + (uint32_t)i, dsts[i], "payload");
        rx(m, buf, n, &out);
        expect_deliver(&out, dsts[i], 0x500 + (uint32_t)i, "payload", 7);
    }
    assert_memory_equal(out.events[0].name, "alpha", 5);
    assert_int_equal(out.events[0].name_len, 5);
    /* The payload is passed on unchanged: bytes that look like fields are not swapped. */
    uint8_t p[4] = {1, 2, 3, 4};
    size_t n = frame(buf, sizeof buf, LE, 0x600, a, 0, 4, 0, p, 4);
    rx(m, buf, n, &out);
    expect_deliver(&out, a, 0x600, p, 4);
    covers(VCF_RPMSG_EP_01);
    free(m);
}

static void test_ep02_unknown_destination(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t buf[32];
    const uint32_t dsts[] = {0,    1,    52,         54,         1023,      1024,
                             1151, 1152, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE};
    for (size_t i = 0; i < sizeof dsts / sizeof dsts[0]; i++) {
        size_t n = data(buf, sizeof buf, 0x400, dsts[i], "z");
        rx(m, buf, n, &out);
        expect_dropped_but_returned(&out);
        const vcf_rpmsg_verdict *v = expect_verdict(&out, VCF_RPMSG_EP_02, VCF_RPMSG_ACT_DROP);
        assert_int_equal(v->error.code, VCF_E_NOTFOUND);
        assert_int_equal(v->error.actual, dsts[i]);
    }
    free(m);
}

static void test_ep03_destroy_releases(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t buf[32];
    uint32_t a = create(m, NULL, ANY);
    assert_int_equal(vcf_rpmsg_model_destroy(m, a, &out), VCF_OK);
    assert_null(vcf_rpmsg_model_ept_find(m, a));
    size_t n = data(buf, sizeof buf, 0x400, a, "late");
    rx(m, buf, n, &out);
    expect_verdict(&out, VCF_RPMSG_EP_02, VCF_RPMSG_ACT_DROP);
    assert_int_equal(vcf_rpmsg_model_destroy(m, a, &out), VCF_E_NOTFOUND);
    expect_verdict(&out, VCF_RPMSG_EP_03, VCF_RPMSG_ACT_REFUSE);
    assert_int_equal(create(m, NULL, a), a);
    free(m);
}

static void test_ep04_no_room(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    for (size_t i = 0; i < VCF_RPMSG_MAX_EPTS; i++)
        create(m, NULL, ANY);
    assert_int_equal(vcf_rpmsg_model_create(m, NULL, ANY, ANY, &out), VCF_E_EXHAUSTED);
    expect_verdict(&out, VCF_RPMSG_EP_04, VCF_RPMSG_ACT_REFUSE);
    assert_int_equal(vcf_rpmsg_model_ept_count(m), VCF_RPMSG_MAX_EPTS);
    free(m);

    /* The channel table too. */
    m = strict_driver();
    uint8_t buf[64];
    for (uint32_t i = 0; i < VCF_RPMSG_MAX_CHANNELS; i++) {
        size_t n = ns_simple(buf, sizeof buf, "svc", 0x1000 + i, 0);
        assert_int_equal(rx(m, buf, n, &out), VCF_OK);
    }
    size_t n = ns_simple(buf, sizeof buf, "svc", 0x2000, 0);
    rx(m, buf, n, &out);
    expect_dropped_but_returned(&out);
    expect_verdict(&out, VCF_RPMSG_EP_04, VCF_RPMSG_ACT_DROP);
    free(m);
}

static void test_ep05_source_is_local(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    assert_int_equal(vcf_rpmsg_model_send(m, 0x400, 0x401, "x", 1, &out), VCF_E_NOTFOUND);
    expect_verdict(&out, VCF_RPMSG_EP_05, VCF_RPMSG_ACT_REFUSE);
    create(m, NULL, 0x400);
    send_ok(m, 0x400, 0x401, "x", 1, &out);
    assert_int_equal(th_le(out.tx.data, 4), 0x400);
    free(m);
}

/* ---- name service -----------------------------------------------------------------------------
 */

static void test_ns01_announcement_bytes(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = model(VCF_RPMSG_ROLE_DEVICE, VCF_RPMSG_PROFILE_STRICT, ALL);
    vcf_rpmsg_output out;
    assert_int_equal(vcf_rpmsg_model_create(m, "rpmsg-client-sample", 0x400, ANY, &out), VCF_OK);
    expect_tx_hex(&out, NS_CREATE_LE);
    assert_int_equal(out.tx.vq, 0);
    covers(VCF_RPMSG_NS_01);
    covers(VCF_RPMSG_NS_02); /* sent from the announced endpoint */
    covers(VCF_RPMSG_NS_05); /* flags: bit 0 only */
    covers(VCF_RPMSG_NS_08); /* zero-padded */
    assert_int_equal(vcf_rpmsg_model_destroy(m, 0x400, &out), VCF_OK);
    expect_tx_hex(&out, NS_DESTROY_LE);
    free(m);
}

static void test_ns02_header_source_not_relied_on(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t buf[64];
    /* The vhost proposal announces from address 0. */
    size_t n = ns_frame(buf, sizeof buf, LE, 0, "rpmsg-sample", 12, 0x400, 0);
    rx(m, buf, n, &out);
    assert_int_equal(out.status, VCF_OK);
    assert_int_equal(out.events[0].type, VCF_RPMSG_EV_CHANNEL_CREATED);
    assert_int_equal(out.events[0].addr, 0x400);
    const vcf_rpmsg_verdict *v = expect_verdict(&out, VCF_RPMSG_NS_02, VCF_RPMSG_ACT_NOTE);
    assert_int_equal(v->error.expected, 0x400);
    assert_int_equal(v->error.actual, 0);
    free(m);
}

static void test_ns03_payload_must_be_40(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t buf[128], p[72] = {'s', 'v', 'c'};
    const uint16_t lens[] = {0, 39, 41, 44, 72};
    for (size_t i = 0; i < 5; i++) {
        size_t n = frame(buf, sizeof buf, LE, 0x400, 53, 0, lens[i], 0, p, lens[i]);
        rx(m, buf, n, &out);
        expect_dropped_but_returned(&out);
        const vcf_rpmsg_verdict *v = expect_verdict(&out, VCF_RPMSG_NS_03, VCF_RPMSG_ACT_DROP);
        assert_int_equal(v->error.code, lens[i] == 72 ? VCF_E_NONSTANDARD : VCF_E_SIZE_MISMATCH);
        assert_int_equal(v->error.actual, lens[i]);
    }
    assert_int_equal(vcf_rpmsg_model_channel_count(m), 0);
    free(m);
}

static void test_ns04_06_flag_bits(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t buf[64];
    const struct {
        uint32_t flags;
        bool destroy;
        bool noted;
    } cases[] = {{0, false, false}, {1, true, false},           {2, false, true},
                 {3, true, true},   {0xFFFFFFFEu, false, true}, {0xFFFFFFFFu, true, true}};
    for (size_t i = 0; i < 6; i++) {
        if (cases[i].destroy) { /* something to destroy */
            size_t n = ns_simple(buf, sizeof buf, "svc", 0x400, 0);
            assert_int_equal(rx(m, buf, n, &out), VCF_OK);
        }
        size_t n = ns_simple(buf, sizeof buf, "svc", 0x400, cases[i].flags);
        rx(m, buf, n, &out);
        assert_int_equal(out.status, VCF_OK);
        assert_int_equal(out.events[0].type, cases[i].destroy ? VCF_RPMSG_EV_CHANNEL_DESTROYED
                                                              : VCF_RPMSG_EV_CHANNEL_CREATED);
        assert_int_equal(vcf_rpmsg_model_channel_count(m), cases[i].destroy ? 0 : 1);
        if (cases[i].noted) {
            const vcf_rpmsg_verdict *v = expect_verdict(&out, VCF_RPMSG_NS_05, VCF_RPMSG_ACT_NOTE);
            assert_int_equal(v->error.offset, 16 + 36);
        } else {
            expect_no_verdict(&out);
        }
        if (!cases[i].destroy) { /* clean up */
            n = ns_simple(buf, sizeof buf, "svc", 0x400, 1);
            assert_int_equal(rx(m, buf, n, &out), VCF_OK);
        }
    }
    covers(VCF_RPMSG_NS_04);
    covers(VCF_RPMSG_NS_06);
    free(m);
}

static void test_ns07_08_names(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t buf[64];

    /* 32 characters, no NUL: the name is all 32, noted against the sender. */
    const char full[] = "abcdefghijklmnopqrstuvwxyz012345";
    size_t n = ns_frame(buf, sizeof buf, LE, 0x400, full, 32, 0x400, 0);
    rx(m, buf, n, &out);
    assert_int_equal(out.status, VCF_OK);
    assert_int_equal(out.events[0].name_len, 32);
    assert_memory_equal(out.events[0].name, full, 32);
    const vcf_rpmsg_verdict *v = expect_verdict(&out, VCF_RPMSG_NS_08, VCF_RPMSG_ACT_NOTE);
    assert_int_equal(v->error.code, VCF_E_UNTERMINATED);

    /* Bytes after the NUL are not part of the name. */
    const char dirty[] = "abc\0xyz";
    n = ns_frame(buf, sizeof buf, LE, 0x500, dirty, 7, 0x500, 0);
    rx(m, buf, n, &out);
    assert_int_equal(out.events[0].name_len, 3);
    v = expect_verdict(&out, VCF_RPMSG_NS_08, VCF_RPMSG_ACT_NOTE);
    assert_int_equal(v->error.code, VCF_E_MBZ);
    /* ... so a clean destroy of "abc" matches it. */
    n = ns_frame(buf, sizeof buf, LE, 0x500, "abc", 3, 0x500, 1);
    rx(m, buf, n, &out);
    assert_int_equal(out.events[0].type, VCF_RPMSG_EV_CHANNEL_DESTROYED);
    covers(VCF_RPMSG_NS_07);

    /* Sending: a name needs room for its NUL. */
    assert_int_equal(vcf_rpmsg_model_create(m, full, ANY, ANY, &out), VCF_E_TOO_LARGE);
    v = expect_verdict(&out, VCF_RPMSG_NS_08, VCF_RPMSG_ACT_REFUSE);
    assert_int_equal(v->error.expected, 31);
    assert_int_equal(v->error.actual, 32);
    assert_int_equal(create(m, "abcdefghijklmnopqrstuvwxyz01234", 0x600), 0x600);
    assert_int_equal(vcf_rpmsg_model_announce(m, 0x600, false, &out), VCF_OK);
    assert_int_equal(out.tx.data[16 + 30], '4');
    assert_int_equal(out.tx.data[16 + 31], 0);
    free(m);
}

static void test_ns09_10_create_and_duplicates(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t buf[64];
    size_t n = ns_simple(buf, sizeof buf, "rpmsg-client-sample", 0x400, 0);
    rx(m, buf, n, &out);
    assert_int_equal(out.n_events, 1);
    assert_int_equal(out.events[0].type, VCF_RPMSG_EV_CHANNEL_CREATED);
    assert_int_equal(out.events[0].addr, 0x400);
    assert_int_equal(out.events[0].name_len, 19);
    assert_memory_equal(out.events[0].name, "rpmsg-client-sample", 19);
    covers(VCF_RPMSG_NS_09);

    rx(m, buf, n, &out);
    expect_dropped_but_returned(&out);
    expect_verdict(&out, VCF_RPMSG_NS_10, VCF_RPMSG_ACT_DROP);
    assert_int_equal(vcf_rpmsg_model_channel_count(m), 1);

    n = ns_simple(buf, sizeof buf, "rpmsg-client-sample", 0x401, 0);
    rx(m, buf, n, &out);
    assert_int_equal(out.events[0].type, VCF_RPMSG_EV_CHANNEL_CREATED);
    assert_int_equal(vcf_rpmsg_model_channel_count(m), 2);
    assert_int_equal(vcf_rpmsg_model_channel_at(m, 1)->addr, 0x401);
    free(m);
}

static void test_ns11_12_destroy(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t buf[64];
    size_t n = ns_simple(buf, sizeof buf, "svc", 0x400, 1); /* before any create */
    rx(m, buf, n, &out);
    expect_dropped_but_returned(&out);
    expect_verdict(&out, VCF_RPMSG_NS_12, VCF_RPMSG_ACT_DROP);

    n = ns_simple(buf, sizeof buf, "svc", 0x400, 0);
    rx(m, buf, n, &out);
    n = ns_simple(buf, sizeof buf, "svc", 0x401, 1); /* other address */
    rx(m, buf, n, &out);
    expect_verdict(&out, VCF_RPMSG_NS_12, VCF_RPMSG_ACT_DROP);
    n = ns_simple(buf, sizeof buf, "other", 0x400, 1); /* other name */
    rx(m, buf, n, &out);
    expect_verdict(&out, VCF_RPMSG_NS_12, VCF_RPMSG_ACT_DROP);

    n = ns_simple(buf, sizeof buf, "svc", 0x400, 1);
    rx(m, buf, n, &out);
    assert_int_equal(out.status, VCF_OK);
    assert_int_equal(out.events[0].type, VCF_RPMSG_EV_CHANNEL_DESTROYED);
    assert_int_equal(out.events[0].addr, 0x400);
    assert_int_equal(vcf_rpmsg_model_channel_count(m), 0);
    covers(VCF_RPMSG_NS_11);
    rx(m, buf, n, &out); /* twice */
    expect_verdict(&out, VCF_RPMSG_NS_12, VCF_RPMSG_ACT_DROP);
    free(m);
}

static void test_ns13_14_without_the_feature(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = model(VCF_RPMSG_ROLE_DEVICE, VCF_RPMSG_PROFILE_STRICT, F_V1);
    vcf_rpmsg_output out;
    uint8_t buf[64];
    size_t n = ns_simple(buf, sizeof buf, "svc", 0x400, 0);
    rx(m, buf, n, &out);
    expect_dropped_but_returned(&out);
    expect_verdict(&out, VCF_RPMSG_EP_02, VCF_RPMSG_ACT_DROP);
    assert_int_equal(vcf_rpmsg_model_channel_count(m), 0);
    /* With an endpoint bound at 53 the message is its data. */
    create(m, NULL, 53);
    rx(m, buf, n, &out);
    assert_int_equal(out.events[0].type, VCF_RPMSG_EV_DELIVER);
    assert_int_equal(out.events[0].payload.len, 40);
    covers(VCF_RPMSG_NS_13);

    /* Nothing is announced: not automatically, not on request. */
    assert_int_equal(vcf_rpmsg_model_create(m, "svc", 0x400, ANY, &out), VCF_OK);
    assert_false(out.has_tx);
    assert_int_equal(vcf_rpmsg_model_announce(m, 0x400, false, &out), VCF_E_UNSUPPORTED);
    assert_false(out.has_tx);
    expect_verdict(&out, VCF_RPMSG_NS_14, VCF_RPMSG_ACT_REFUSE);
    assert_int_equal(vcf_rpmsg_model_destroy(m, 0x400, &out), VCF_OK);
    assert_false(out.has_tx);
    free(m);
}

/* RPMSG-NS-26: Linux's announce without F_NS creates the channel, reports success and sends
 * nothing (seen on Linux 6.1 under UML: docs/real-peers.md). Its own refusals still come first. */
static void test_ns26_linux_announce_without_the_feature(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = model(VCF_RPMSG_ROLE_DRIVER, VCF_RPMSG_PROFILE_LINUX, F_V1);
    vcf_rpmsg_output out;
    assert_int_equal(vcf_rpmsg_model_announce(m, 0x401, false, &out), VCF_E_NOTFOUND);
    expect_verdict(&out, VCF_RPMSG_NS_18, VCF_RPMSG_ACT_REFUSE);
    assert_int_equal(vcf_rpmsg_model_create(m, NULL, 0x400, ANY, &out), VCF_OK);
    assert_int_equal(vcf_rpmsg_model_announce(m, 0x400, false, &out), VCF_E_INVAL);
    assert_false(out.has_tx);
    assert_int_equal(vcf_rpmsg_model_create(m, "svc", 0x401, ANY, &out), VCF_OK);
    assert_false(out.has_tx);
    for (int destroy = 0; destroy <= 1; destroy++) {
        assert_int_equal(vcf_rpmsg_model_announce(m, 0x401, destroy, &out), VCF_OK);
        assert_false(out.has_tx);
        assert_int_equal(out.addr, 0x401);
        expect_impl(&out, VCF_RPMSG_NS_14, VCF_RPMSG_NS_26, VCF_RPMSG_ACT_DEVIATE);
    }
    /* With the feature, the same request is announced as before. */
    free(m);
    m = model(VCF_RPMSG_ROLE_DRIVER, VCF_RPMSG_PROFILE_LINUX, ALL);
    assert_int_equal(vcf_rpmsg_model_create(m, "svc", 0x401, ANY, &out), VCF_OK);
    assert_int_equal(vcf_rpmsg_model_announce(m, 0x401, false, &out), VCF_OK);
    assert_true(out.has_tx);
    covers(VCF_RPMSG_NS_26);
    free(m);
}

/* RPMSG-NS-27: Linux keeps the first 31 characters of a long local name, and announces that
 * (found by fuzzing linux-uml against this profile: docs/real-peers.md). */
static void test_ns27_linux_cuts_local_names(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = model(VCF_RPMSG_ROLE_DRIVER, VCF_RPMSG_PROFILE_LINUX, ALL);
    vcf_rpmsg_output out;
    const char *name = "abcdefghijklmnopqrstuvwxyz0123456789"; /* 36 characters */
    assert_int_equal(vcf_rpmsg_model_create(m, name, 0x401, ANY, &out), VCF_OK);
    expect_impl(&out, VCF_RPMSG_NS_08, VCF_RPMSG_NS_27, VCF_RPMSG_ACT_DEVIATE);
    assert_int_equal(out.addr, 0x401);
    assert_int_equal(vcf_rpmsg_model_announce(m, 0x401, false, &out), VCF_OK);
    assert_true(out.has_tx);
    /* the announced name: 31 characters and a NUL, at payload offset 0 */
    assert_int_equal(out.tx.len, 16 + 40);
    assert_memory_equal(out.tx.data + 16, name, 31);
    assert_int_equal(out.tx.data[16 + 31], 0);
    free(m);
    /* strict still refuses it */
    m = model(VCF_RPMSG_ROLE_DRIVER, VCF_RPMSG_PROFILE_STRICT, ALL);
    assert_int_equal(vcf_rpmsg_model_create(m, name, 0x401, ANY, &out), VCF_E_TOO_LARGE);
    free(m);
}

static void test_ns15_16_who_announces(void **state)
{
    (void)state;
    vcf_rpmsg_output out;
    /* The device announces its named services on its own, on queue 0. */
    vcf_rpmsg_model *dev = model(VCF_RPMSG_ROLE_DEVICE, VCF_RPMSG_PROFILE_STRICT, ALL);
    assert_int_equal(vcf_rpmsg_model_create(dev, "svc", ANY, ANY, &out), VCF_OK);
    assert_true(out.has_tx);
    assert_int_equal(out.tx.vq, 0);
    assert_int_equal(th_le(out.tx.data + 4, 4), 53);
    assert_true(vcf_rpmsg_model_ept_find(dev, out.addr)->announced);
    /* Unnamed endpoints are not announced. */
    assert_int_equal(vcf_rpmsg_model_create(dev, NULL, ANY, ANY, &out), VCF_OK);
    assert_false(out.has_tx);
    covers(VCF_RPMSG_NS_15);

    /* The driver announces only on request, on queue 1; the device processes it. */
    vcf_rpmsg_model *drv = strict_driver();
    assert_int_equal(vcf_rpmsg_model_create(drv, "drv-svc", ANY, ANY, &out), VCF_OK);
    assert_false(out.has_tx);
    assert_int_equal(vcf_rpmsg_model_announce(drv, out.addr, false, &out), VCF_OK);
    assert_int_equal(out.tx.vq, 1);
    vcf_rpmsg_output got;
    rx(dev, out.tx.data, out.tx.len, &got);
    assert_int_equal(got.events[0].type, VCF_RPMSG_EV_CHANNEL_CREATED);
    assert_memory_equal(got.events[0].name, "drv-svc", 7);
    covers(VCF_RPMSG_NS_16);
    free(dev);
    free(drv);
}

static void test_ns17_withdraw_what_was_announced(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = model(VCF_RPMSG_ROLE_DEVICE, VCF_RPMSG_PROFILE_STRICT, ALL);
    vcf_rpmsg_output out;
    uint32_t a = create(m, "svc", ANY);
    uint32_t quiet = create(m, NULL, ANY);
    assert_int_equal(vcf_rpmsg_model_destroy(m, a, &out), VCF_OK);
    assert_true(out.has_tx);
    assert_int_equal(th_le(out.tx.data + 16 + 32, 4), a);
    assert_int_equal(th_le(out.tx.data + 16 + 36, 4), 1);
    assert_int_equal(vcf_rpmsg_model_destroy(m, quiet, &out), VCF_OK);
    assert_false(out.has_tx);

    /* A withdrawn announcement is not withdrawn again. */
    a = create(m, "svc", ANY);
    assert_int_equal(vcf_rpmsg_model_announce(m, a, true, &out), VCF_OK);
    assert_false(vcf_rpmsg_model_ept_find(m, a)->announced);
    assert_int_equal(vcf_rpmsg_model_destroy(m, a, &out), VCF_OK);
    assert_false(out.has_tx);
    covers(VCF_RPMSG_NS_17);
    free(m);
}

static void test_ns18_announce_a_real_endpoint(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    assert_int_equal(vcf_rpmsg_model_announce(m, 0x400, false, &out), VCF_E_NOTFOUND);
    expect_verdict(&out, VCF_RPMSG_NS_18, VCF_RPMSG_ACT_REFUSE);
    create(m, NULL, 0x400);
    assert_int_equal(vcf_rpmsg_model_announce(m, 0x400, false, &out), VCF_E_INVAL);
    expect_verdict(&out, VCF_RPMSG_NS_18, VCF_RPMSG_ACT_REFUSE);
    assert_false(out.has_tx);
    create(m, "named", 0x401);
    assert_int_equal(vcf_rpmsg_model_announce(m, 0x401, false, &out), VCF_OK);
    assert_int_equal(th_le(out.tx.data + 16 + 32, 4), 0x401);
    assert_memory_equal(out.tx.data + 16, "named", 6);
    free(m);
}

static void test_ns19_announcement_of_any(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t buf[64];
    const uint32_t bad[] = {ANY, 53};
    for (size_t i = 0; i < 2; i++) {
        size_t n = ns_frame(buf, sizeof buf, LE, 0x400, "svc", 3, bad[i], 0);
        rx(m, buf, n, &out);
        expect_dropped_but_returned(&out);
        const vcf_rpmsg_verdict *v = expect_verdict(&out, VCF_RPMSG_NS_19, VCF_RPMSG_ACT_DROP);
        assert_int_equal(v->error.offset, 16 + 32);
    }
    assert_int_equal(vcf_rpmsg_model_channel_count(m), 0);
    free(m);
}

/* ---- virtqueues and buffers ------------------------------------------------------------------ */

static void test_vq01_queues_by_role(void **state)
{
    (void)state;
    vcf_rpmsg_output out;
    vcf_rpmsg_model *drv = strict_driver();
    vcf_rpmsg_model *dev = model(VCF_RPMSG_ROLE_DEVICE, VCF_RPMSG_PROFILE_STRICT, ALL);
    create(drv, NULL, 0x400);
    create(dev, NULL, 0x400);
    send_ok(drv, 0x400, 0x401, "a", 1, &out);
    assert_int_equal(out.tx.vq, 1);
    send_ok(dev, 0x400, 0x401, "a", 1, &out);
    assert_int_equal(out.tx.vq, 0);
    covers(VCF_RPMSG_VQ_01);
    covers(VCF_RPMSG_VQ_03); /* one buffer, the whole message */
    assert_int_equal(out.tx.len, 17);
    free(drv);
    free(dev);
}

static void test_vq02_device_sends_into_posted_buffers(void **state)
{
    (void)state;
    vcf_rpmsg_config cfg;
    vcf_rpmsg_config_default(&cfg);
    cfg.role = VCF_RPMSG_ROLE_DEVICE;
    cfg.tx_bufs = 0; /* the driver has posted nothing yet */
    vcf_rpmsg_model *m = with_cfg(&cfg);
    vcf_rpmsg_output out;
    assert_int_equal(vcf_rpmsg_model_create(m, "svc", 0x400, ANY, &out), VCF_OK);
    assert_false(out.has_tx); /* the announcement has nowhere to go */
    expect_verdict(&out, VCF_RPMSG_TX_01, VCF_RPMSG_ACT_REFUSE);
    assert_false(vcf_rpmsg_model_ept_find(m, 0x400)->announced);
    free(m);

    cfg.tx_bufs = 1;
    m = with_cfg(&cfg);
    assert_int_equal(vcf_rpmsg_model_create(m, NULL, 0x400, ANY, &out), VCF_OK);
    send_ok(m, 0x400, 0x401, "1", 1, &out);
    assert_int_equal(vcf_rpmsg_model_send(m, 0x400, 0x401, "2", 1, &out), VCF_E_AGAIN);
    assert_int_equal(vcf_rpmsg_model_tx_returned(m, 1, NULL), VCF_OK); /* driver posts one */
    send_ok(m, 0x400, 0x401, "2", 1, &out);
    covers(VCF_RPMSG_VQ_02);
    free(m);
}

static void test_tx01_02_buffer_accounting(void **state)
{
    (void)state;
    vcf_rpmsg_config cfg;
    vcf_rpmsg_config_default(&cfg);
    cfg.tx_bufs = 2;
    vcf_rpmsg_model *m = with_cfg(&cfg);
    vcf_rpmsg_output out;
    create(m, NULL, 0x400);
    send_ok(m, 0x400, 0x401, "1", 1, &out);
    send_ok(m, 0x400, 0x401, "2", 1, &out);
    assert_int_equal(vcf_rpmsg_model_send(m, 0x400, 0x401, "3", 1, &out), VCF_E_AGAIN);
    assert_false(out.has_tx);
    expect_verdict(&out, VCF_RPMSG_TX_01, VCF_RPMSG_ACT_REFUSE);
    assert_int_equal(vcf_rpmsg_model_tx_free(m), 0);

    vcf_error err;
    assert_int_equal(vcf_rpmsg_model_tx_returned(m, 3, &err), VCF_E_INVAL);
    assert_string_equal(err.field, "n");
    assert_int_equal(vcf_rpmsg_model_tx_returned(m, 2, &err), VCF_OK);
    assert_int_equal(vcf_rpmsg_model_tx_returned(m, 1, &err), VCF_E_INVAL);
    send_ok(m, 0x400, 0x401, "3", 1, &out);
    covers(VCF_RPMSG_TX_02);
    free(m);
}

static void test_init01_02_feature_negotiation(void **state)
{
    (void)state;
    uint64_t offered = F_NS | F_V1 | (UINT64_C(1) << 1) | (UINT64_C(1) << 2);
    assert_int_equal(vcf_rpmsg_negotiate(VCF_RPMSG_PROFILE_STRICT, offered), F_NS | F_V1);
    assert_int_equal(vcf_rpmsg_negotiate(VCF_RPMSG_PROFILE_LINUX, offered), F_NS | F_V1);
    covers(VCF_RPMSG_INIT_01);
    assert_int_equal(vcf_rpmsg_negotiate(VCF_RPMSG_PROFILE_OPENAMP, offered), offered);
    covers(VCF_RPMSG_INIT_02);

    vcf_rpmsg_config cfg;
    vcf_rpmsg_config_default(&cfg);
    cfg.features = offered;
    vcf_rpmsg_model *m = malloc(sizeof *m);
    vcf_error err;
    assert_int_equal(vcf_rpmsg_model_init(m, &cfg, &err), VCF_E_INVAL);
    assert_string_equal(err.field, "features");
    cfg.profile = VCF_RPMSG_PROFILE_OPENAMP;
    assert_int_equal(vcf_rpmsg_model_init(m, &cfg, &err), VCF_OK);
    free(m);
}

/* ---- the linux profile ------------------------------------------------------------------------
 */

static vcf_rpmsg_model *linux_driver(void)
{
    return model(VCF_RPMSG_ROLE_DRIVER, VCF_RPMSG_PROFILE_LINUX, ALL);
}

static void test_linux_keeps_the_buffer_of_a_bad_message(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = linux_driver();
    vcf_rpmsg_output out;
    static uint8_t buf[600];
    create(m, NULL, 0x401);
    size_t n = frame(buf, sizeof buf, LE, 0x400, 0x401, 0, 40, 0, "x", 1);
    rx(m, buf, n, &out); /* len 40 > 17 - 16 */
    assert_int_equal(out.status, VCF_E_SIZE_MISMATCH);
    assert_false(out.rx_returned);
    assert_false(out.rx_continue);
    expect_impl(&out, VCF_RPMSG_HDR_08, VCF_RPMSG_HDR_14, VCF_RPMSG_ACT_DROP);
    frame(buf, sizeof buf, LE, 0x400, 0x401, 0, 4, 0, "abcd", 4);
    rx(m, buf, 513, &out);
    assert_false(out.rx_returned);
    expect_impl(&out, VCF_RPMSG_HDR_09, VCF_RPMSG_HDR_14, VCF_RPMSG_ACT_DROP);
    /* An unknown destination is recycled as in strict. */
    n = data(buf, sizeof buf, 0x400, 0x999, "x");
    rx(m, buf, n, &out);
    expect_dropped_but_returned(&out);
    free(m);
}

static void test_linux_short_buffer_wraps(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = linux_driver();
    vcf_rpmsg_output out;
    static uint8_t buf[512];
    create(m, NULL, 0x401);
    data(buf, sizeof buf, 0x400, 0x401, "stale bytes");
    rx_full(m, buf, sizeof buf, 4, 512, &out); /* used 4: the header is read anyway */
    assert_int_equal(out.status, VCF_OK);
    assert_int_equal(out.events[0].type, VCF_RPMSG_EV_DELIVER);
    assert_int_equal(out.events[0].claimed_len, 11);
    assert_memory_equal(out.events[0].payload.ptr, "stale bytes", 11);
    expect_impl(&out, VCF_RPMSG_HDR_07, VCF_RPMSG_HDR_15, VCF_RPMSG_ACT_DEVIATE);

    /* A len the buffer cannot hold: the endpoint is told 65535 bytes, 496 exist. */
    frame(buf, sizeof buf, LE, 0x400, 0x401, 0, 0xFFFF, 0, NULL, 0);
    rx_full(m, buf, sizeof buf, 0, 512, &out);
    assert_int_equal(out.events[0].claimed_len, 0xFFFF);
    assert_int_equal(out.events[0].payload.len, 496);
    /* Only the bytes supplied are read; the rest of the header counts as zero. */
    rx_full(m, buf, 0, 0, 512, &out);
    expect_verdict(&out, VCF_RPMSG_EP_02, VCF_RPMSG_ACT_DROP); /* dst 0 */
    free(m);
}

static void test_linux_name_service(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = linux_driver();
    vcf_rpmsg_output out;
    uint8_t buf[64];
    const char full[] = "abcdefghijklmnopqrstuvwxyz012345";
    size_t n = ns_frame(buf, sizeof buf, LE, 0x400, full, 32, 0x400, 0);
    rx(m, buf, n, &out);
    assert_int_equal(out.events[0].name_len, 31);
    expect_impl(&out, VCF_RPMSG_NS_07, VCF_RPMSG_NS_20, VCF_RPMSG_ACT_DEVIATE);

    /* ANY is accepted, and then matches every address of the name. */
    n = ns_frame(buf, sizeof buf, LE, 0x400, "wild", 4, ANY, 0);
    rx(m, buf, n, &out);
    assert_int_equal(out.status, VCF_OK);
    assert_int_equal(out.events[0].type, VCF_RPMSG_EV_CHANNEL_CREATED);
    expect_impl(&out, VCF_RPMSG_NS_19, VCF_RPMSG_NS_21, VCF_RPMSG_ACT_DEVIATE);
    n = ns_frame(buf, sizeof buf, LE, 0x400, "wild", 4, 0x700, 0);
    rx(m, buf, n, &out);
    assert_int_equal(out.status, VCF_OK); /* a query for 0x700 is not a wildcard */
    n = ns_frame(buf, sizeof buf, LE, 0x400, "wild", 4, ANY, 0);
    rx(m, buf, n, &out);
    expect_verdict(&out, VCF_RPMSG_NS_10, VCF_RPMSG_ACT_DROP);
    n = ns_frame(buf, sizeof buf, LE, 0x400, "wild", 4, ANY, 1); /* destroys the first match */
    rx(m, buf, n, &out);
    assert_int_equal(out.events[0].type, VCF_RPMSG_EV_CHANNEL_DESTROYED);
    assert_int_equal(out.events[0].addr, ANY);
    free(m);
}

static void test_linux_addresses_and_announcements(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = linux_driver();
    vcf_rpmsg_output out;
    assert_int_equal(vcf_rpmsg_model_create(m, NULL, 0x80000000u, ANY, &out), VCF_E_RANGE);
    expect_impl(&out, VCF_RPMSG_ADDR_08, VCF_RPMSG_ADDR_08, VCF_RPMSG_ACT_REFUSE);
    assert_int_equal(create(m, NULL, 0x7FFFFFFF), 0x7FFFFFFF);
    assert_int_equal(create(m, NULL, ANY), 1024);
    free(m);

    /* Even in the device role Linux announces only on request. */
    m = model(VCF_RPMSG_ROLE_DEVICE, VCF_RPMSG_PROFILE_LINUX, ALL);
    assert_int_equal(vcf_rpmsg_model_create(m, "svc", ANY, ANY, &out), VCF_OK);
    assert_false(out.has_tx);
    expect_impl(&out, VCF_RPMSG_NS_15, VCF_RPMSG_NS_25, VCF_RPMSG_ACT_DEVIATE);
    free(m);
}

/* ---- the openamp profile ----------------------------------------------------------------------
 */

static vcf_rpmsg_model *openamp(vcf_rpmsg_role role)
{
    return model(role, VCF_RPMSG_PROFILE_OPENAMP, ALL);
}

static void test_openamp_does_not_check_len(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = openamp(VCF_RPMSG_ROLE_DEVICE);
    vcf_rpmsg_output out;
    static uint8_t buf[512];
    create(m, NULL, 0x401);
    frame(buf, sizeof buf, LE, 0x400, 0x401, 0, 300, 0, "abc", 3);
    rx_full(m, buf, sizeof buf, 19, 512, &out);
    assert_int_equal(out.status, VCF_OK);
    assert_int_equal(out.events[0].claimed_len, 300);
    assert_int_equal(out.events[0].payload.len, 300); /* read on into the buffer */
    assert_true(out.rx_returned);
    expect_impl(&out, VCF_RPMSG_HDR_08, VCF_RPMSG_HDR_16, VCF_RPMSG_ACT_DEVIATE);
    rx_full(m, buf, sizeof buf, 513, 512, &out);
    assert_int_equal(out.status, VCF_OK);
    expect_impl(&out, VCF_RPMSG_HDR_09, VCF_RPMSG_HDR_16, VCF_RPMSG_ACT_DEVIATE);
    free(m);
}

static void test_openamp_send_side(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = openamp(VCF_RPMSG_ROLE_DEVICE);
    vcf_rpmsg_output out;
    uint8_t payload[600];
    memset(payload, 0x5A, sizeof payload);
    create(m, NULL, 0x400);
    /* Oversized: truncated, not refused. */
    send_ok(m, 0x400, 0x401, payload, 600, &out);
    assert_int_equal(out.tx.len, 512);
    assert_int_equal(th_le(out.tx.data + 12, 2), 496);
    expect_impl(&out, VCF_RPMSG_HDR_03, VCF_RPMSG_HDR_17, VCF_RPMSG_ACT_DEVIATE);
    /* The whole buffer is reported. */
    send_ok(m, 0x400, 0x401, "hi", 2, &out);
    assert_int_equal(out.tx.len, 18);
    assert_int_equal(out.tx.reported_len, 512);
    covers(VCF_RPMSG_HDR_18);
    /* Sending from ANY, or from an address no endpoint holds. */
    send_ok(m, ANY, 0x401, "hi", 2, &out);
    expect_impl(&out, VCF_RPMSG_ADDR_02, VCF_RPMSG_ADDR_10, VCF_RPMSG_ACT_DEVIATE);
    assert_int_equal(th_le(out.tx.data, 4), ANY);
    send_ok(m, 0x999, 0x401, "hi", 2, &out);
    /* Never to ANY. */
    assert_int_equal(vcf_rpmsg_model_send(m, 0x400, ANY, "hi", 2, &out), VCF_E_RANGE);
    free(m);
}

static void test_openamp_byte_order(void **state)
{
    (void)state;
    vcf_rpmsg_config cfg;
    vcf_rpmsg_config_default(&cfg);
    cfg.profile = VCF_RPMSG_PROFILE_OPENAMP;
    cfg.legacy_order = BE; /* a big-endian remote, VERSION_1 negotiated all the same */
    vcf_rpmsg_model *m = with_cfg(&cfg);
    assert_int_equal(vcf_rpmsg_model_order(m), BE);
    covers(VCF_RPMSG_END_03);
    free(m);
}

static void test_openamp_addresses(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = openamp(VCF_RPMSG_ROLE_DEVICE);
    vcf_rpmsg_output out;
    /* Next-fit: a freed address is not handed out again before the pool wraps. */
    assert_int_equal(create(m, NULL, ANY), 1024);
    assert_int_equal(create(m, NULL, ANY), 1025);
    assert_int_equal(vcf_rpmsg_model_destroy(m, 1024, &out), VCF_OK);
    assert_int_equal(create(m, NULL, ANY), 1026);
    for (uint32_t a = 1027; a <= 1151; a++)
        assert_int_equal(create(m, NULL, ANY), a);
    assert_int_equal(create(m, NULL, ANY), 1024); /* wrapped */
    assert_int_equal(vcf_rpmsg_model_create(m, NULL, ANY, ANY, &out), VCF_E_EXHAUSTED);
    expect_verdict(&out, VCF_RPMSG_ADDR_07, VCF_RPMSG_ACT_REFUSE);
    assert_int_equal(vcf_rpmsg_model_ept_count(m), 128);

    assert_int_equal(vcf_rpmsg_model_create(m, NULL, 1152, ANY, &out), VCF_E_RANGE);
    expect_impl(&out, VCF_RPMSG_ADDR_09, VCF_RPMSG_ADDR_09, VCF_RPMSG_ACT_REFUSE);
    /* Predefined addresses are trusted: a second bind is not detected. */
    assert_int_equal(create(m, NULL, 10), 10);
    assert_int_equal(vcf_rpmsg_model_create(m, NULL, 10, ANY, &out), VCF_OK);
    expect_impl(&out, VCF_RPMSG_ADDR_05, VCF_RPMSG_ADDR_09, VCF_RPMSG_ACT_DEVIATE);
    free(m);
}

static void test_openamp_learns_the_peer(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = openamp(VCF_RPMSG_ROLE_DEVICE);
    vcf_rpmsg_output out;
    uint8_t buf[32];
    create(m, NULL, 0x400);
    size_t n = data(buf, sizeof buf, 0x777, 0x400, "a");
    rx(m, buf, n, &out);
    assert_int_equal(out.n_events, 2);
    assert_int_equal(out.events[1].type, VCF_RPMSG_EV_EPT_BOUND);
    assert_int_equal(out.events[1].addr, 0x777);
    assert_int_equal(vcf_rpmsg_model_ept_find(m, 0x400)->dest, 0x777);
    expect_impl(&out, VCF_RPMSG_EP_01, VCF_RPMSG_EP_06, VCF_RPMSG_ACT_DEVIATE);
    n = data(buf, sizeof buf, 0x888, 0x400, "b"); /* only the first source */
    rx(m, buf, n, &out);
    assert_int_equal(out.n_events, 1);
    assert_int_equal(vcf_rpmsg_model_ept_find(m, 0x400)->dest, 0x777);
    free(m);
}

static void test_openamp_name_service(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = openamp(VCF_RPMSG_ROLE_DRIVER);
    vcf_rpmsg_output out;
    uint8_t buf[64];

    /* Named endpoints without a destination are announced in the driver role too ... */
    assert_int_equal(vcf_rpmsg_model_create(m, "echo", ANY, ANY, &out), VCF_OK);
    assert_true(out.has_tx);
    assert_int_equal(out.tx.vq, 1);
    expect_impl(&out, VCF_RPMSG_NS_15, VCF_RPMSG_NS_24, VCF_RPMSG_ACT_DEVIATE);
    uint32_t echo = out.addr;

    /* ... a create for that name binds the endpoint instead of opening a channel ... */
    size_t n = ns_simple(buf, sizeof buf, "echo", 0x500, 0);
    rx(m, buf, n, &out);
    assert_int_equal(out.events[0].type, VCF_RPMSG_EV_EPT_BOUND);
    assert_int_equal(out.events[0].ept, echo);
    assert_int_equal(vcf_rpmsg_model_ept_find(m, echo)->dest, 0x500);
    expect_impl(&out, VCF_RPMSG_NS_09, VCF_RPMSG_NS_22, VCF_RPMSG_ACT_DEVIATE);
    rx(m, buf, n, &out); /* idempotent */
    assert_int_equal(out.status, VCF_OK);
    assert_int_equal(out.events[0].type, VCF_RPMSG_EV_EPT_BOUND);

    /* ... an unknown name goes to the application, every time ... */
    n = ns_simple(buf, sizeof buf, "other", 0x600, 0);
    rx(m, buf, n, &out);
    assert_int_equal(out.events[0].type, VCF_RPMSG_EV_CHANNEL_CREATED);
    rx(m, buf, n, &out);
    assert_int_equal(out.events[0].type, VCF_RPMSG_EV_CHANNEL_CREATED);
    expect_impl(&out, VCF_RPMSG_NS_10, VCF_RPMSG_NS_22, VCF_RPMSG_ACT_DEVIATE);

    /* ... a destroy unbinds without destroying, and is reported even when unknown. */
    n = ns_simple(buf, sizeof buf, "echo", 0x500, 1);
    rx(m, buf, n, &out);
    assert_int_equal(out.n_events, 2);
    assert_int_equal(out.events[0].type, VCF_RPMSG_EV_EPT_UNBOUND);
    assert_int_equal(out.events[1].type, VCF_RPMSG_EV_CHANNEL_DESTROYED);
    assert_non_null(vcf_rpmsg_model_ept_find(m, echo));
    assert_int_equal(vcf_rpmsg_model_ept_find(m, echo)->dest, ANY);
    n = ns_simple(buf, sizeof buf, "ghost", 0x999, 1);
    rx(m, buf, n, &out);
    assert_int_equal(out.status, VCF_OK);
    assert_int_equal(out.events[0].type, VCF_RPMSG_EV_CHANNEL_DESTROYED);
    expect_impl(&out, VCF_RPMSG_NS_12, VCF_RPMSG_NS_23, VCF_RPMSG_ACT_DEVIATE);

    /* Withdrawals only from 1024 up. */
    assert_int_equal(vcf_rpmsg_model_create(m, "low", 40, ANY, &out), VCF_OK);
    assert_true(out.has_tx);
    assert_int_equal(vcf_rpmsg_model_destroy(m, 40, &out), VCF_OK);
    assert_false(out.has_tx);
    expect_impl(&out, VCF_RPMSG_NS_17, VCF_RPMSG_NS_24, VCF_RPMSG_ACT_DEVIATE);
    assert_int_equal(vcf_rpmsg_model_destroy(m, echo, &out), VCF_OK);
    assert_true(out.has_tx);
    free(m);
}

/* ---- long sequences ----------------------------------------------------------------------------
 */

static void test_many_create_destroy_cycles(void **state)
{
    (void)state;
    vcf_rpmsg_model *m = model(VCF_RPMSG_ROLE_DEVICE, VCF_RPMSG_PROFILE_STRICT, ALL);
    vcf_rpmsg_output out;
    uint32_t live[64];
    size_t nlive = 0;
    uint32_t seed = 12345;
    for (int step = 0; step < 20000; step++) {
        seed = seed * 1103515245u + 12345u;
        if (nlive < 64 && (nlive == 0 || (seed >> 16) % 3 != 0)) {
            assert_int_equal(
                vcf_rpmsg_model_create(m, (seed >> 8) & 1 ? "svc" : NULL, ANY, ANY, &out), VCF_OK);
            live[nlive++] = out.addr;
            assert_true(out.addr >= 1024 && out.addr < 1024 + 64);
        } else {
            size_t k = (seed >> 16) % nlive;
            assert_int_equal(vcf_rpmsg_model_destroy(m, live[k], &out), VCF_OK);
            live[k] = live[--nlive];
        }
        assert_int_equal(vcf_rpmsg_model_ept_count(m), nlive);
        /* Every announcement consumes a buffer: give them all back. */
        if (out.has_tx)
            assert_int_equal(vcf_rpmsg_model_tx_returned(m, 1, NULL), VCF_OK);
    }
    /* All addresses are distinct. */
    for (size_t i = 0; i < nlive; i++)
        for (size_t j = i + 1; j < nlive; j++)
            assert_int_not_equal(live[i], live[j]);
    free(m);
}

static void test_reannounce_after_destroy(void **state)
{
    (void)state;
    vcf_rpmsg_model *dev = model(VCF_RPMSG_ROLE_DEVICE, VCF_RPMSG_PROFILE_STRICT, ALL);
    vcf_rpmsg_model *drv = strict_driver();
    vcf_rpmsg_output out, got;
    for (int round = 0; round < 100; round++) {
        assert_int_equal(vcf_rpmsg_model_create(dev, "svc", 0x400, ANY, &out), VCF_OK);
        rx(drv, out.tx.data, out.tx.len, &got);
        assert_int_equal(got.status, VCF_OK);
        assert_int_equal(got.events[0].type, VCF_RPMSG_EV_CHANNEL_CREATED);
        assert_int_equal(vcf_rpmsg_model_channel_count(drv), 1);
        assert_int_equal(vcf_rpmsg_model_destroy(dev, 0x400, &out), VCF_OK);
        rx(drv, out.tx.data, out.tx.len, &got);
        assert_int_equal(got.events[0].type, VCF_RPMSG_EV_CHANNEL_DESTROYED);
        assert_int_equal(vcf_rpmsg_model_channel_count(drv), 0);
        assert_int_equal(vcf_rpmsg_model_tx_returned(dev, 2, NULL), VCF_OK);
    }
    free(dev);
    free(drv);
}

/* Two models as the two sides of one link: announcement, reply, echo. */
static void test_two_sides_talk(void **state)
{
    (void)state;
    const vcf_byte_order orders[] = {LE, BE};
    for (size_t o = 0; o < 2; o++) {
        vcf_rpmsg_config cfg;
        vcf_rpmsg_config_default(&cfg);
        cfg.features = o ? F_NS : ALL;
        cfg.legacy_order = orders[o];
        vcf_rpmsg_model *drv = with_cfg(&cfg);
        cfg.role = VCF_RPMSG_ROLE_DEVICE;
        vcf_rpmsg_model *dev = with_cfg(&cfg);
        vcf_rpmsg_output out, got;

        assert_int_equal(vcf_rpmsg_model_create(dev, "rpmsg-client-sample", ANY, ANY, &out),
                         VCF_OK);
        uint32_t svc = out.addr;
        rx(drv, out.tx.data, out.tx.len, &got);
        assert_int_equal(got.events[0].type, VCF_RPMSG_EV_CHANNEL_CREATED);
        uint32_t peer = got.events[0].addr;
        assert_int_equal(peer, svc);

        uint32_t local = create(drv, NULL, ANY);
        send_ok(drv, local, peer, "hello", 5, &out);
        rx(dev, out.tx.data, out.tx.len, &got);
        expect_deliver(&got, svc, local, "hello", 5);
        send_ok(dev, svc, got.events[0].addr, "world", 5, &out);
        rx(drv, out.tx.data, out.tx.len, &got);
        expect_deliver(&got, local, svc, "world", 5);
        free(drv);
        free(dev);
    }
}

/* The same inputs give the same outputs: a session replays exactly. */
static void test_replay_is_deterministic(void **state)
{
    (void)state;
    uint8_t log[2][4096];
    size_t loglen[2] = {0, 0};
    for (int run = 0; run < 2; run++) {
        vcf_rpmsg_model *m = openamp(VCF_RPMSG_ROLE_DEVICE);
        vcf_rpmsg_output out;
        uint8_t buf[64];
        for (uint32_t i = 0; i < 40; i++) {
            if (i % 4 == 0)
                vcf_rpmsg_model_create(m, i % 8 ? "svc" : NULL, ANY, ANY, &out);
            else if (i % 4 == 1)
                vcf_rpmsg_model_send(m, 1024 + i % 3, 0x500, "abc", i % 4, &out);
            else if (i % 4 == 2) {
                size_t n = ns_simple(buf, sizeof buf, "svc", 0x500 + i % 5, i & 1);
                rx(m, buf, n, &out);
            } else
                vcf_rpmsg_model_destroy(m, 1024 + i % 6, &out);
            uint8_t rec[16] = {(uint8_t)out.status, (uint8_t)out.n_events, (uint8_t)out.n_verdicts,
                               (uint8_t)out.has_tx, (uint8_t)(out.has_tx ? out.tx.len : 0)};
            memcpy(log[run] + loglen[run], rec, sizeof rec);
            loglen[run] += sizeof rec;
            if (out.has_tx) {
                memcpy(log[run] + loglen[run], out.tx.data, out.tx.len);
                loglen[run] += out.tx.len;
            }
        }
        free(m);
    }
    assert_int_equal(loglen[0], loglen[1]);
    assert_memory_equal(log[0], log[1], loglen[0]);
}

static void test_verdict_overflow_is_counted(void **state)
{
    (void)state;
    /* A name-service create with every kind of note: none is lost without being counted. */
    vcf_rpmsg_model *m = strict_driver();
    vcf_rpmsg_output out;
    uint8_t buf[64];
    size_t n = ns_frame(buf, sizeof buf, LE, ANY, "abcdefghijklmnopqrstuvwxyz012345", 32, 0x400, 6);
    put32(buf + 8, 1, LE);
    put16(buf + 14, 1, LE);
    rx(m, buf, n, &out);
    assert_int_equal(out.status, VCF_OK);
    assert_true(out.n_verdicts + out.verdicts_lost >= 5);
    free(m);
}

/* ---- coverage of the catalogue by this file ---------------------------------------------------
 */

static void test_every_normative_rule_is_tested(void **state)
{
    (void)state;
    size_t missing = 0;
    for (size_t i = 0; i < VCF_RPMSG_RULE_COUNT; i++) {
        const vcf_rule *r = vcf_rpmsg_rule_info((vcf_rpmsg_rule)i);
        bool needs = r->level != VCF_LEVEL_IMPL || r->profiles != NULL;
        if (needs && !tested[i]) {
            print_error("not tested: %s (%s)\n", r->id, vcf_rule_level_name(r->level));
            missing++;
        }
    }
    assert_int_equal(missing, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_validation),
        cmocka_unit_test(test_hdr01_frame_layout),
        cmocka_unit_test(test_hdr02_len_is_payload_size),
        cmocka_unit_test(test_hdr03_oversized_send_is_refused),
        cmocka_unit_test(test_hdr04_05_06_flags_and_reserved),
        cmocka_unit_test(test_hdr07_short_buffer_dropped),
        cmocka_unit_test(test_hdr08_len_against_used_length),
        cmocka_unit_test(test_hdr09_used_beyond_buffer),
        cmocka_unit_test(test_hdr10_zero_length),
        cmocka_unit_test(test_hdr11_slack_ignored),
        cmocka_unit_test(test_hdr12_buffers_come_back),
        cmocka_unit_test(test_hdr13_device_reports_written_length),
        cmocka_unit_test(test_end01_link_byte_order),
        cmocka_unit_test(test_end02_default_is_little_endian),
        cmocka_unit_test(test_addr01_02_no_any_on_send),
        cmocka_unit_test(test_addr03_message_to_any_dropped),
        cmocka_unit_test(test_addr04_dynamic_from_1024),
        cmocka_unit_test(test_addr05_unique),
        cmocka_unit_test(test_addr06_53_is_the_name_service),
        cmocka_unit_test(test_addr07_exhaustion),
        cmocka_unit_test(test_ep01_dispatch_by_destination),
        cmocka_unit_test(test_ep02_unknown_destination),
        cmocka_unit_test(test_ep03_destroy_releases),
        cmocka_unit_test(test_ep04_no_room),
        cmocka_unit_test(test_ep05_source_is_local),
        cmocka_unit_test(test_ns01_announcement_bytes),
        cmocka_unit_test(test_ns02_header_source_not_relied_on),
        cmocka_unit_test(test_ns03_payload_must_be_40),
        cmocka_unit_test(test_ns04_06_flag_bits),
        cmocka_unit_test(test_ns07_08_names),
        cmocka_unit_test(test_ns09_10_create_and_duplicates),
        cmocka_unit_test(test_ns11_12_destroy),
        cmocka_unit_test(test_ns13_14_without_the_feature),
        cmocka_unit_test(test_ns26_linux_announce_without_the_feature),
        cmocka_unit_test(test_ns27_linux_cuts_local_names),
        cmocka_unit_test(test_ns15_16_who_announces),
        cmocka_unit_test(test_ns17_withdraw_what_was_announced),
        cmocka_unit_test(test_ns18_announce_a_real_endpoint),
        cmocka_unit_test(test_ns19_announcement_of_any),
        cmocka_unit_test(test_vq01_queues_by_role),
        cmocka_unit_test(test_vq02_device_sends_into_posted_buffers),
        cmocka_unit_test(test_tx01_02_buffer_accounting),
        cmocka_unit_test(test_init01_02_feature_negotiation),
        cmocka_unit_test(test_linux_keeps_the_buffer_of_a_bad_message),
        cmocka_unit_test(test_linux_short_buffer_wraps),
        cmocka_unit_test(test_linux_name_service),
        cmocka_unit_test(test_linux_addresses_and_announcements),
        cmocka_unit_test(test_openamp_does_not_check_len),
        cmocka_unit_test(test_openamp_send_side),
        cmocka_unit_test(test_openamp_byte_order),
        cmocka_unit_test(test_openamp_addresses),
        cmocka_unit_test(test_openamp_learns_the_peer),
        cmocka_unit_test(test_openamp_name_service),
        cmocka_unit_test(test_many_create_destroy_cycles),
        cmocka_unit_test(test_reannounce_after_destroy),
        cmocka_unit_test(test_two_sides_talk),
        cmocka_unit_test(test_replay_is_deterministic),
        cmocka_unit_test(test_verdict_overflow_is_counted),
        cmocka_unit_test(test_every_normative_rule_is_tested),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
