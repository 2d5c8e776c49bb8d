/* SPDX-License-Identifier: MIT */
/*
 * The virtio-msg bus model: the responder (GET_DEVICES, PING, EVENT_DEVICE), the requester
 * (enumeration, ping, hotplug), the relay (routing, tokens, ordering, exactly one outcome per
 * request), the profiles, two buses talking, and a long randomised relay run.
 *
 * Frames are built byte by byte (th_msg, th_put16/32); expected output is written out in hex.
 * The last test fails if a MUST, SHOULD or MAY rule of the bus was not exercised.
 */
#include "vmsg_model_test.h"

static vcf_vmsg_output out;

/* ---- helpers --------------------------------------------------------------------------------- */

static vcf_vmsg_bus *bus_cfg(const vcf_vmsg_bus_config *cfg)
{
    vcf_vmsg_bus *b = malloc(sizeof *b);
    assert_non_null(b);
    vcf_error err;
    assert_int_equal(vcf_vmsg_bus_init(b, cfg, &err), VCF_OK);
    return b;
}

static vcf_vmsg_bus *bus_with(vcf_vmsg_rev rev, uint32_t max, vcf_vmsg_profile profile)
{
    vcf_vmsg_bus_config cfg;
    vcf_vmsg_bus_config_default(&cfg);
    cfg.link.rev = rev;
    cfg.link.max_msg_size = max;
    cfg.link.profile = profile;
    return bus_cfg(&cfg);
}

static vcf_vmsg_bus *pr28(void)
{
    return bus_with(VCF_VMSG_REV_PR28, 264, VCF_VMSG_PROFILE_STRICT);
}

static vcf_vmsg_bus *rfc3(void)
{
    return bus_with(VCF_VMSG_REV_RFC3, 264, VCF_VMSG_PROFILE_STRICT);
}

/* Make devices present (and valid) without announcing them. */
static void devices(vcf_vmsg_bus *b, const uint16_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_int_equal(vcf_vmsg_bus_set_device(b, list[i], true, false, &out), VCF_OK);
}

static void expect_bytes(const vcf_vmsg_tx *tx, vcf_vmsg_dest dest, const char *hex)
{
    uint8_t want[512];
    size_t n = th_hex(hex, want, sizeof want);
    assert_int_equal(tx->dest, dest);
    assert_int_equal(tx->len, n);
    assert_memory_equal(tx->data, want, n);
}

/* The same, the token bytes (4..5) excepted: the bus owns them. */
static void expect_bytes_but_token(const vcf_vmsg_tx *tx, vcf_vmsg_dest dest, const char *hex)
{
    uint8_t want[512];
    size_t n = th_hex(hex, want, sizeof want);
    assert_true(tx->len == n && n >= 8);
    want[4] = tx->data[4];
    want[5] = tx->data[5];
    assert_int_equal(tx->dest, dest);
    assert_memory_equal(tx->data, want, n);
}

static uint16_t tok(const vcf_vmsg_tx *tx)
{
    return th_get16(tx->data + 4);
}

/* Bus requests and events from the peer bus. */
static size_t getdev_req(uint8_t *buf, uint16_t token, uint16_t offset, uint16_t count)
{
    uint8_t p[4];
    th_put16(p, offset);
    th_put16(p + 2, count);
    return th_msg(buf, 64, 0x02, 0x02, 0, token, p, 4);
}

static size_t ping_req(uint8_t *buf, uint16_t token, uint32_t data)
{
    uint8_t p[4];
    th_put32(p, data);
    return th_msg(buf, 64, 0x02, 0x03, 0, token, p, 4);
}

static size_t ping_resp(uint8_t *buf, uint16_t token, uint32_t data)
{
    uint8_t p[4];
    th_put32(p, data);
    return th_msg(buf, 64, 0x03, 0x03, 0, token, p, 4);
}

static size_t evdev(uint8_t *buf, uint16_t hdr_dev, uint16_t token, uint16_t dev, uint16_t state)
{
    uint8_t p[4];
    th_put16(p, dev);
    th_put16(p + 2, state);
    return th_msg(buf, 64, 0x02, 0x40, hdr_dev, token, p, 4);
}

/* A GET_DEVICES response with nbytes of bitmap (msg_size 14 + nbytes, whatever count says). */
static size_t getdev_resp(uint8_t *buf, size_t cap, uint16_t token, uint16_t offset, uint16_t count,
                          uint16_t next, const uint8_t *bitmap, size_t nbytes)
{
    uint8_t p[1024];
    assert_true(6 + nbytes <= sizeof p);
    th_put16(p, offset);
    th_put16(p + 2, count);
    th_put16(p + 4, next);
    if (nbytes)
        memcpy(p + 6, bitmap, nbytes);
    return th_msg(buf, cap, 0x03, 0x02, 0, token, p, 6 + nbytes);
}

/* Transport messages: GET_CONFIG (0x05) requests carry an id in their offset field and the
 * responses echo it, so a delivered response says which request it answers. */
static size_t cfg_req(uint8_t *buf, uint16_t dev, uint16_t token, uint32_t id)
{
    uint8_t p[8];
    th_put32(p, id);
    th_put32(p + 4, 4);
    return th_msg(buf, 64, 0x00, 0x05, dev, token, p, 8);
}

static size_t cfg_resp(uint8_t *buf, uint16_t dev, uint16_t token, uint32_t id)
{
    uint8_t p[16];
    th_put32(p, 0); /* generation */
    th_put32(p + 4, id);
    th_put32(p + 8, 4);
    th_put32(p + 12, id ^ 0xA5A5A5A5u);
    return th_msg(buf, 64, 0x01, 0x05, dev, token, p, 16);
}

static uint32_t resp_id(const vcf_vmsg_tx *tx)
{
    return th_get32(tx->data + 12);
}

/* Forward a GET_CONFIG request from the driver; returns the bus token on the forwarded copy. */
static uint16_t send_req(vcf_vmsg_bus *b, uint16_t dev, uint16_t token, uint32_t id)
{
    uint8_t m[64];
    size_t n = cfg_req(m, dev, token, id);
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, n, &out), VCF_OK);
    const vcf_vmsg_tx *tx = th_one_tx(&out);
    assert_int_equal(tx->dest, VCF_VMSG_TO_DEVICE);
    return tok(tx);
}

static int answer(vcf_vmsg_bus *b, uint16_t dev, uint16_t bus_token, uint32_t id)
{
    uint8_t m[64];
    size_t n = cfg_resp(m, dev, bus_token, id);
    return vcf_vmsg_bus_from_device(b, m, n, &out);
}

/* The i-th message out is the response to request id, with the driver's token back. */
static void expect_delivered(size_t i, uint16_t dev, uint16_t driver_token, uint32_t id)
{
    assert_true(i < out.n_tx);
    const vcf_vmsg_tx *tx = &out.tx[i];
    assert_int_equal(tx->dest, VCF_VMSG_TO_DRIVER);
    assert_int_equal(tx->data[0], 0x01);
    assert_int_equal(th_get16(tx->data + 2), dev);
    assert_int_equal(tok(tx), driver_token);
    assert_int_equal(resp_id(tx), id);
}

/* ---- configuration --------------------------------------------------------------------------- */

static void test_config_default(void **state)
{
    (void)state;
    vcf_vmsg_bus_config cfg;
    vcf_vmsg_bus_config_default(&cfg);
    assert_int_equal(cfg.window, 64);
    assert_int_equal(cfg.link.rev, VCF_VMSG_REV_PR28);
    assert_int_equal(cfg.link.max_msg_size, 264);
    vcf_vmsg_bus *b = bus_cfg(&cfg);
    for (uint32_t n = 0; n < 0x10000; n++) {
        assert_false(vcf_vmsg_bus_is_present(b, (uint16_t)n));
        assert_false(vcf_vmsg_bus_is_validated(b, (uint16_t)n));
    }
    assert_int_equal(vcf_vmsg_bus_inflight(b, 0), 0);
    free(b);
}

static void test_init_checks(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = malloc(sizeof *b);
    assert_non_null(b);
    vcf_vmsg_bus_config cfg;
    vcf_error err;
    static const uint16_t bad_windows[] = {0, 12, 7, 248};
    for (size_t i = 0; i < sizeof bad_windows / sizeof *bad_windows; i++) {
        vcf_vmsg_bus_config_default(&cfg);
        cfg.link.max_msg_size = 44; /* the largest window then is 8 * (44 - 14) = 240 */
        cfg.window = bad_windows[i];
        assert_int_equal(vcf_vmsg_bus_init(b, &cfg, &err), VCF_E_INVAL);
        assert_string_equal(err.field, "window");
    }
    cfg.window = 240;
    assert_int_equal(vcf_vmsg_bus_init(b, &cfg, &err), VCF_OK);
    /* SIZE-03: no bus maximum below 44 */
    vcf_vmsg_bus_config_default(&cfg);
    cfg.link.max_msg_size = 43;
    assert_int_equal(vcf_vmsg_bus_init(b, &cfg, &err), VCF_E_INVAL);
    assert_string_equal(err.field, "link.max_msg_size");
    cfg.link.max_msg_size = 44;
    cfg.window = 8;
    assert_int_equal(vcf_vmsg_bus_init(b, &cfg, &err), VCF_OK);
    covers(R(SIZE_03));
    vcf_vmsg_bus_config_default(&cfg);
    cfg.link.profile = (vcf_vmsg_profile)9;
    assert_int_equal(vcf_vmsg_bus_init(b, &cfg, &err), VCF_E_INVAL);
    free(b);
}

/* ---- responder: GET_DEVICES ------------------------------------------------------------------ */

/* §12 G9, the spec's example: devices 0, 2 and 5 in the first window, more to come at 16. */
static void test_getdev_g9(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    devices(b, (const uint16_t[]){0, 2, 5, 20}, 4);
    uint8_t m[64];
    size_t n = th_hex("02 02 00 00 09 00 0c 00 00 00 10 00", m, sizeof m);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, n, &out), VCF_OK);
    expect_no_verdict(&out);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER,
                 "03 02 00 00 09 00 10 00 | 00 00 10 00 10 00 25 00");
    covers(R(GETDEV_01)); /* LSB first: devices 0, 2, 5 are 0x25 */
    covers(R(GETDEV_02)); /* next_offset 16 = offset + count, a multiple of 8 */
    covers(R(HDR_11));    /* dev_num 0 */
    covers(R(HDR_12));    /* type exactly 0x03 */
    covers(R(GETDEV_03)); /* the whole window asked for */
    covers(R(DEVNUM_02)); /* every valid number can be found */
    free(b);
}

/* The same devices with nothing beyond them: the last window says so with next_offset 0. */
static void test_getdev_spec_example_last_window(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    devices(b, (const uint16_t[]){0, 2, 5}, 3);
    uint8_t m[64];
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_req(m, 0x31, 0, 16), &out), VCF_OK);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER,
                 "03 02 00 00 31 00 10 00 | 00 00 10 00 00 00 25 00");
    /* the second window of eight: device 8+7 is the top bit of its byte */
    devices(b, (const uint16_t[]){15, 17}, 2);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_req(m, 0x32, 8, 8), &out), VCF_OK);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER,
                 "03 02 00 00 32 00 0f 00 | 08 00 08 00 10 00 80");
    /* next_offset skips empty blocks: the next present device is 203, in block 200 */
    devices(b, (const uint16_t[]){203}, 1);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_req(m, 0x33, 16, 8), &out), VCF_OK);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER,
                 "03 02 00 00 33 00 0f 00 | 10 00 08 00 c8 00 02");
    free(b);
}

/* The window a response can carry at M bytes is 8 * (M - 14), and never more than the count
 * field holds; what does not fit is answered as a smaller window (GETDEV-03, GETDEV-05). */
static void window_case(uint32_t max, uint16_t asked, uint16_t expect_count)
{
    vcf_vmsg_bus *b = bus_with(VCF_VMSG_REV_PR28, max, VCF_VMSG_PROFILE_STRICT);
    /* the first and the last device of the largest window, and one just past it */
    uint16_t last = (uint16_t)(expect_count - 1u);
    devices(b, (const uint16_t[]){0, last, (uint16_t)(expect_count + 3u)}, 3);
    uint8_t m[64];
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_req(m, 7, 0, asked), &out), VCF_OK);
    expect_no_verdict(&out);
    const vcf_vmsg_tx *tx = th_one_tx(&out);
    size_t bytes = expect_count / 8u;
    assert_int_equal(tx->len, 14 + bytes);
    assert_true(tx->len <= max);
    assert_int_equal(th_get16(tx->data + 8), 0);
    assert_int_equal(th_get16(tx->data + 10), expect_count);
    assert_int_equal(th_get16(tx->data + 12), expect_count); /* device count + 3 is next */
    assert_int_equal(tx->data[14], 0x01);
    for (size_t i = 1; i + 1 < bytes; i++)
        assert_int_equal(tx->data[14 + i], 0);
    assert_int_equal(tx->data[14 + bytes - 1], 0x80);
    free(b);
}

static void test_getdev_windows_by_size(void **state)
{
    (void)state;
    window_case(44, 0xFFF8, 240);
    window_case(48, 0xFFF8, 272);
    window_case(264, 0xFFF8, 2000);
    window_case(264, 2000, 2000);
    window_case(264, 64, 64);           /* a window that fits comes back whole */
    window_case(65535, 0xFFF8, 0xFFF8); /* the count field is the limit: 8205 bytes */
    covers(R(GETDEV_03));
    covers(R(GETDEV_05));
}

/* A window that runs past device 0xFFFF is cut at the last device number. */
static void test_getdev_past_last_device(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    devices(b, (const uint16_t[]){0xFFF8, 0xFFFF}, 2);
    uint8_t m[64];
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_req(m, 0x44, 0xFFF8, 16), &out), VCF_OK);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER,
                 "03 02 00 00 44 00 0f 00 | f8 ff 08 00 00 00 81");
    covers(R(GETDEV_05));
    free(b);
}

static void test_getdev_count_zero(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    uint8_t m[64];
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_req(m, 1, 8, 0), &out), VCF_OK);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER, "03 02 00 00 01 00 0e 00 | 08 00 00 00 00 00");
    devices(b, (const uint16_t[]){20}, 1);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_req(m, 2, 8, 0), &out), VCF_OK);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER, "03 02 00 00 02 00 0e 00 | 08 00 00 00 10 00");
    free(b);
}

/* §9 A11, default reading: a window that is not a multiple of 8 is discarded. */
static void test_getdev_misaligned_discarded(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    devices(b, (const uint16_t[]){1}, 1);
    uint8_t m[64];
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_req(m, 3, 3, 16), &out), VCF_E_ALIGN);
    th_no_tx(&out);
    const vcf_vmsg_verdict *v = expect_verdict(&out, R(GETDEV_01), VCF_VMSG_ACT_DROP);
    assert_string_equal(v->error.field, "offset");
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_req(m, 3, 0, 0xFF), &out), VCF_E_ALIGN);
    th_no_tx(&out);
    v = expect_verdict(&out, R(GETDEV_01), VCF_VMSG_ACT_DROP);
    assert_string_equal(v->error.field, "count");
    free(b);
}

/* The other reading: the window is rounded out to cover every device asked for. */
static void test_getdev_misaligned_rounded(void **state)
{
    (void)state;
    vcf_vmsg_bus_config cfg;
    vcf_vmsg_bus_config_default(&cfg);
    cfg.link.opt.getdev_round = true;
    vcf_vmsg_bus *b = bus_cfg(&cfg);
    devices(b, (const uint16_t[]){1, 10}, 2);
    uint8_t m[64];
    /* devices 3..10 asked for: the answer covers 0..15 */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_req(m, 5, 3, 8), &out), VCF_OK);
    expect_verdict(&out, R(GETDEV_01), VCF_VMSG_ACT_NOTE);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER,
                 "03 02 00 00 05 00 10 00 | 00 00 10 00 00 00 02 04");
    /* 0xFF devices (the Linux FF-A request): 256 */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_req(m, 6, 0, 0xFF), &out), VCF_OK);
    expect_verdict(&out, R(GETDEV_01), VCF_VMSG_ACT_NOTE);
    const vcf_vmsg_tx *tx = th_one_tx(&out);
    assert_int_equal(th_get16(tx->data + 10), 256);
    assert_int_equal(tx->len, 14 + 32);
    free(b);
}

/* ---- responder: PING --------------------------------------------------------------------------
 */

static void test_ping_echo(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    uint8_t m[64];
    size_t n = th_hex("02 03 00 00 0a 00 0c 00 ef be ad de", m, sizeof m); /* §12 G10 */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, n, &out), VCF_OK);
    expect_no_verdict(&out);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER, "03 03 00 00 0a 00 0c 00 ef be ad de");
    assert_int_equal(vcf_vmsg_bus_rx(b, m, ping_req(m, 0x0b, 0), &out), VCF_OK);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER, "03 03 00 00 0b 00 0c 00 00 00 00 00");
    assert_int_equal(vcf_vmsg_bus_rx(b, m, ping_req(m, 0xffff, 0xFFFFFFFFu), &out), VCF_OK);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER, "03 03 00 00 ff ff 0c 00 ff ff ff ff");
    covers(R(PING_01));
    free(b);
}

/* RFC3: a response carries its request's token; a request without one is not answered. PR28
 * echoes it when the link says so (A13). */
static void test_responder_tokens(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = rfc3();
    uint8_t m[64];
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_req(m, 0x1234, 0, 8), &out), VCF_OK);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER, "03 02 00 00 34 12 0f 00 00 00 08 00 00 00 00");
    assert_int_equal(vcf_vmsg_bus_rx(b, m, ping_req(m, 0xBEEF, 7), &out), VCF_OK);
    assert_int_equal(tok(th_one_tx(&out)), 0xBEEF);
    covers(R(R3_01));
    covers(R(R3_04));
    assert_int_not_equal(vcf_vmsg_bus_rx(b, m, ping_req(m, 0, 7), &out), VCF_OK);
    th_no_tx(&out);
    expect_verdict(&out, R(R3_01), VCF_VMSG_ACT_DROP);
    assert_int_not_equal(vcf_vmsg_bus_rx(b, m, getdev_req(m, 0, 0, 8), &out), VCF_OK);
    th_no_tx(&out);
    expect_verdict(&out, R(R3_01), VCF_VMSG_ACT_DROP);
    free(b);

    vcf_vmsg_bus_config cfg;
    vcf_vmsg_bus_config_default(&cfg);
    cfg.link.opt.echo_token = false;
    b = bus_cfg(&cfg);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, ping_req(m, 0x55, 7), &out), VCF_OK);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER, "03 03 00 00 00 00 0c 00 07 00 00 00");
    /* PR28 puts no rule on a request's token: 0 is answered */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, ping_req(m, 0, 9), &out), VCF_OK);
    th_one_tx(&out);
    free(b);
}

/* Reserved header values and a bus message's dev_num are noted and otherwise ignored; what the
 * bus sends has them right. */
static void test_responder_header_values(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    uint8_t m[64];
    size_t n = ping_req(m, 3, 1);
    m[0] = 0x06; /* reserved type bit 2 */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, n, &out), VCF_OK);
    expect_verdict(&out, R(HDR_15), VCF_VMSG_ACT_NOTE);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER, "03 03 00 00 03 00 0c 00 01 00 00 00");
    n = getdev_req(m, 4, 0, 8);
    th_put16(m + 2, 5); /* dev_num on a bus message */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, n, &out), VCF_OK);
    expect_verdict(&out, R(HDR_11), VCF_VMSG_ACT_NOTE);
    assert_int_equal(th_get16(th_one_tx(&out)->data + 2), 0);
    free(b);

    b = rfc3();
    n = getdev_req(m, 4, 0, 8);
    th_put16(m + 2, 5);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, n, &out), VCF_OK);
    expect_verdict(&out, R(R3_04), VCF_VMSG_ACT_NOTE);
    assert_int_equal(th_get16(th_one_tx(&out)->data + 2), 0);
    free(b);
}

/* Malformed and unsupported messages are discarded without a reply (ERR-02; RFC3: R3-05). */
static void discard_cases(vcf_vmsg_rev rev, vcf_vmsg_rule rule)
{
    vcf_vmsg_bus *b = bus_with(rev, 44, VCF_VMSG_PROFILE_STRICT);
    uint8_t m[1024];
    size_t n = ping_req(m, 1, 1);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, n - 2, &out), VCF_E_SIZE_MISMATCH); /* short frame */
    th_no_tx(&out);
    expect_verdict(&out, rule, VCF_VMSG_ACT_DROP);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, 5, &out), VCF_E_TRUNCATED); /* inside the header */
    expect_verdict(&out, rule, VCF_VMSG_ACT_DROP);
    m[1] = 0x05; /* no such bus request */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, n, &out), VCF_E_UNKNOWN_ID);
    th_no_tx(&out);
    expect_verdict(&out, rule, VCF_VMSG_ACT_DROP);
    n = th_msg(m, sizeof m, 0x00, 0x07, 1, 1, NULL, 0); /* a transport request */
    assert_int_not_equal(vcf_vmsg_bus_rx(b, m, n, &out), VCF_OK);
    th_no_tx(&out);
    expect_verdict(&out, rule, VCF_VMSG_ACT_DROP);
    n = th_msg(m, sizeof m, 0x02, 0x80, 0, 1, "abcd", 4); /* implementation-defined */
    assert_int_not_equal(vcf_vmsg_bus_rx(b, m, n, &out), VCF_OK);
    th_no_tx(&out);
    expect_verdict(&out, rule, VCF_VMSG_ACT_DROP);
    /* a bus message above the maximum: the same limit as every other message */
    uint8_t bitmap[128] = {0};
    assert_int_equal(vcf_vmsg_bus_enumerate(b, &out), VCF_OK);
    n = getdev_resp(m, sizeof m, tok(th_one_tx(&out)), 0, 1024, 0, bitmap, 128);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, n, &out), VCF_E_TOO_LARGE);
    th_no_tx(&out);
    expect_verdict(&out, rev == VCF_VMSG_REV_RFC3 ? R(R3_03) : R(PARAM_02), VCF_VMSG_ACT_DROP);
    free(b);
}

static void test_malformed_discarded(void **state)
{
    (void)state;
    discard_cases(VCF_VMSG_REV_PR28, R(ERR_02));
    discard_cases(VCF_VMSG_REV_RFC3, R(R3_05));
}

/* ERR-03: an event never gets a reply, whether it is understood, reserved or broken. */
static void test_no_reply_to_events(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    uint8_t m[64];
    size_t n = evdev(m, 0, 0, 3, 1);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, n, &out), VCF_OK);
    th_no_tx(&out);
    assert_int_not_equal(vcf_vmsg_bus_rx(b, m, n - 2, &out), VCF_OK); /* broken */
    th_no_tx(&out);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, evdev(m, 0, 0, 3, 0x7777), &out), VCF_OK);
    th_no_tx(&out);
    n = th_msg(m, sizeof m, 0x02, 0xC0, 0, 0, "ab", 2); /* implementation-defined event */
    assert_int_not_equal(vcf_vmsg_bus_rx(b, m, n, &out), VCF_OK);
    th_no_tx(&out);
    n = evdev(m, 0, 0, 3, 1);
    m[0] = 0x03; /* a "response" to an event */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, n, &out), VCF_E_BAD_KIND);
    th_no_tx(&out);
    covers(R(ERR_03));
    free(b);
}

/* ---- responder: hotplug -----------------------------------------------------------------------
 */

static void test_hotplug_announced(void **state)
{
    (void)state;
    for (int r = 0; r < 2; r++) {
        vcf_vmsg_bus *b = r ? rfc3() : pr28();
        assert_int_equal(vcf_vmsg_bus_set_device(b, 3, true, true, &out), VCF_OK);
        expect_no_verdict(&out);
        expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER, "02 40 00 00 00 00 0c 00 03 00 01 00");
        assert_true(vcf_vmsg_bus_is_present(b, 3));
        assert_true(vcf_vmsg_bus_is_validated(b, 3));
        assert_int_equal(expect_event(&out, VCF_VMSG_EV_DEVICE_READY)->index, 3);
        /* no change, no announcement */
        assert_int_equal(vcf_vmsg_bus_set_device(b, 3, true, true, &out), VCF_OK);
        th_no_tx(&out);
        assert_int_equal(out.n_events, 0);
        assert_int_equal(vcf_vmsg_bus_set_device(b, 3, false, true, &out), VCF_OK);
        expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER, "02 40 00 00 00 00 0c 00 03 00 02 00");
        assert_int_equal(expect_event(&out, VCF_VMSG_EV_DEVICE_REMOVED)->index, 3);
        assert_false(vcf_vmsg_bus_is_present(b, 3));
        assert_false(vcf_vmsg_bus_is_validated(b, 3));
        assert_int_equal(vcf_vmsg_bus_set_device(b, 0xFFFF, true, true, &out), VCF_OK);
        expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER, "02 40 00 00 00 00 0c 00 ff ff 01 00");
        /* without announce: platform data only */
        assert_int_equal(vcf_vmsg_bus_set_device(b, 9, true, false, &out), VCF_OK);
        th_no_tx(&out);
        free(b);
    }
    covers(R(HOTPLUG_01));
    covers(R(BUSMSG_01));
}

/* ---- requester --------------------------------------------------------------------------------
 */

/* Enumeration by hand: every window checked byte by byte, next_offset followed to the end. */
static void test_enumerate_windows(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    uint8_t m[256], bm[8];
    assert_int_equal(vcf_vmsg_bus_enumerate(b, &out), VCF_OK);
    const vcf_vmsg_tx *tx = th_one_tx(&out);
    expect_bytes_but_token(tx, VCF_VMSG_TO_PEER, "02 02 00 00 00 00 0c 00 00 00 40 00");
    uint16_t t = tok(tx);
    assert_int_not_equal(t, 0);
    covers(R(BUSMSG_01));
    /* window 0..63: device 1; next at 64 */
    memset(bm, 0, sizeof bm);
    bm[0] = 0x02;
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, t, 0, 64, 64, bm, 8), &out),
                     VCF_OK);
    expect_no_verdict(&out);
    const vcf_vmsg_event *ev = expect_event(&out, VCF_VMSG_EV_DEVICE_READY);
    assert_int_equal(ev->index, 1);
    assert_int_equal(ev->length, 1);
    assert_true(vcf_vmsg_bus_is_validated(b, 1));
    tx = th_one_tx(&out);
    expect_bytes_but_token(tx, VCF_VMSG_TO_PEER, "02 02 00 00 00 00 0c 00 40 00 40 00");
    t = tok(tx);
    /* window 64..127: devices 70 and 127; next at 192 */
    memset(bm, 0, sizeof bm);
    bm[0] = 0x40;
    bm[7] = 0x80;
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, t, 64, 64, 192, bm, 8), &out),
                     VCF_OK);
    ev = expect_event(&out, VCF_VMSG_EV_DEVICE_READY);
    assert_int_equal(ev->index, 70);
    assert_int_equal(ev->length, 2);
    tx = th_one_tx(&out);
    expect_bytes_but_token(tx, VCF_VMSG_TO_PEER, "02 02 00 00 00 00 0c 00 c0 00 40 00");
    t = tok(tx);
    /* the last window: device 200, next_offset 0 */
    memset(bm, 0, sizeof bm);
    bm[1] = 0x01;
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, t, 192, 64, 0, bm, 8), &out),
                     VCF_OK);
    th_no_tx(&out);
    assert_int_equal(expect_event(&out, VCF_VMSG_EV_DEVICE_READY)->index, 200);
    assert_int_equal(expect_event(&out, VCF_VMSG_EV_ENUM_DONE)->length, 4);
    for (uint32_t n = 0; n < 0x10000; n++)
        assert_int_equal(vcf_vmsg_bus_is_validated(b, (uint16_t)n),
                         n == 1 || n == 70 || n == 127 || n == 200);
    covers(R(DISC_01));
    covers(R(DISC_02));
    covers(R(HOTPLUG_02));
    /* a late copy of the last answer: nothing is outstanding any more */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, t, 192, 64, 0, bm, 8), &out),
                     VCF_E_NOTFOUND);
    expect_verdict(&out, R(R3_14), VCF_VMSG_ACT_DROP);
    /* enumerating again finds the same devices but none of them is new */
    assert_int_equal(vcf_vmsg_bus_enumerate(b, &out), VCF_OK);
    t = tok(th_one_tx(&out));
    memset(bm, 0, sizeof bm);
    bm[0] = 0x02;
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, t, 0, 64, 0, bm, 8), &out),
                     VCF_OK);
    assert_null(vcf_vmsg_output_event(&out, VCF_VMSG_EV_DEVICE_READY));
    assert_int_equal(expect_event(&out, VCF_VMSG_EV_ENUM_DONE)->length, 1);
    free(b);
}

/* Start an enumeration and return the token of its first request. */
static uint16_t start_enum(vcf_vmsg_bus *b)
{
    assert_int_equal(vcf_vmsg_bus_enumerate(b, &out), VCF_OK);
    return tok(th_one_tx(&out));
}

/* The peer's answers are checked: a wrong one is dropped or noted, never followed blindly. */
static void test_enumerate_peer_violations(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    uint8_t m[256], bm[16] = {0x01};
    uint16_t t = start_enum(b);
    /* a token that is not ours */
    assert_int_equal(
        vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, (uint16_t)(t + 1), 0, 64, 0, bm, 8), &out),
        VCF_E_NOTFOUND);
    expect_verdict(&out, R(R3_14), VCF_VMSG_ACT_DROP);
    /* QEMU's size: 14 + count instead of 14 + count / 8 */
    uint8_t big[128] = {0x01};
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, t, 0, 64, 0, big, 64), &out),
                     VCF_E_SIZE_MISMATCH);
    expect_verdict(&out, R(GETDEV_05), VCF_VMSG_ACT_DROP);
    /* the offset is not the one asked for */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, t, 8, 64, 0, bm, 8), &out),
                     VCF_E_MISMATCH);
    expect_verdict(&out, R(GETDEV_05), VCF_VMSG_ACT_DROP);
    /* a count that is not a multiple of 8 (OP-TEE's popcount) */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, t, 0, 3, 0, bm, 1), &out),
                     VCF_E_ALIGN);
    expect_verdict(&out, R(GETDEV_01), VCF_VMSG_ACT_DROP);
    /* more than asked for */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, t, 0, 128, 0, bm, 16), &out),
                     VCF_E_RANGE);
    expect_verdict(&out, R(GETDEV_05), VCF_VMSG_ACT_DROP);
    assert_false(vcf_vmsg_bus_is_validated(b, 0));
    /* less than asked for, though it fits: noted, used, and the enumeration goes on */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, t, 0, 8, 8, bm, 1), &out),
                     VCF_OK);
    expect_verdict(&out, R(GETDEV_03), VCF_VMSG_ACT_NOTE);
    assert_true(vcf_vmsg_bus_is_validated(b, 0));
    const vcf_vmsg_tx *tx = th_one_tx(&out);
    expect_bytes_but_token(tx, VCF_VMSG_TO_PEER, "02 02 00 00 00 00 0c 00 08 00 40 00");
    t = tok(tx);
    /* next_offset not aligned: noted, followed from the aligned value below it */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, t, 8, 64, 77, bm, 8), &out),
                     VCF_OK);
    expect_verdict(&out, R(GETDEV_02), VCF_VMSG_ACT_NOTE);
    tx = th_one_tx(&out);
    expect_bytes_but_token(tx, VCF_VMSG_TO_PEER, "02 02 00 00 00 00 0c 00 48 00 40 00");
    t = tok(tx);
    /* next_offset inside the window: noted, and the enumeration stops rather than loop */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, t, 72, 64, 80, bm, 8), &out),
                     VCF_OK);
    expect_verdict(&out, R(GETDEV_02), VCF_VMSG_ACT_NOTE);
    th_no_tx(&out);
    assert_int_equal(expect_event(&out, VCF_VMSG_EV_ENUM_DONE)->length, 3);
    assert_true(vcf_vmsg_bus_is_validated(b, 8) && vcf_vmsg_bus_is_validated(b, 72));
    /* an empty window that does not move on ends it too */
    t = start_enum(b);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, t, 0, 0, 0, bm, 0), &out),
                     VCF_OK);
    expect_verdict(&out, R(GETDEV_03), VCF_VMSG_ACT_NOTE);
    expect_event(&out, VCF_VMSG_EV_ENUM_DONE);
    free(b);

    /* RFC3: the token must come back; a response with another is unmatched */
    b = rfc3();
    t = start_enum(b);
    assert_int_not_equal(t, 0);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, 0, 0, 64, 0, bm, 8), &out),
                     VCF_E_NOTFOUND);
    expect_verdict(&out, R(R3_14), VCF_VMSG_ACT_DROP);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, t, 0, 64, 0, bm, 8), &out),
                     VCF_OK);
    expect_event(&out, VCF_VMSG_EV_ENUM_DONE);
    free(b);

    /* PR28 without echoed tokens: the answer is matched by its kind alone */
    vcf_vmsg_bus_config cfg;
    vcf_vmsg_bus_config_default(&cfg);
    cfg.link.opt.echo_token = false;
    b = bus_cfg(&cfg);
    start_enum(b);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, 0, 0, 64, 0, bm, 8), &out),
                     VCF_OK);
    expect_event(&out, VCF_VMSG_EV_ENUM_DONE);
    free(b);
}

static void test_ping_requester(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    uint8_t m[64];
    static const uint32_t values[] = {0, 0xFFFFFFFFu, 0xDEADBEEFu};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(vcf_vmsg_bus_ping(b, values[i], &out), VCF_OK);
        const vcf_vmsg_tx *tx = th_one_tx(&out);
        uint8_t want[12];
        th_msg(want, sizeof want, 0x02, 0x03, 0, tok(tx), NULL, 0);
        th_put16(want + 6, 12);
        th_put32(want + 8, values[i]);
        assert_int_equal(tx->len, 12);
        assert_memory_equal(tx->data, want, 12);
        uint16_t t = tok(tx);
        assert_int_equal(vcf_vmsg_bus_rx(b, m, ping_resp(m, t, values[i]), &out), VCF_OK);
        expect_no_verdict(&out);
        th_no_tx(&out);
        assert_true(expect_event(&out, VCF_VMSG_EV_PONG)->value == values[i]);
        /* answered once: a second answer matches nothing */
        assert_int_equal(vcf_vmsg_bus_rx(b, m, ping_resp(m, t, values[i]), &out), VCF_E_NOTFOUND);
        expect_verdict(&out, R(R3_14), VCF_VMSG_ACT_DROP);
    }
    /* the data does not come back: noted (PING-01), the peer did answer */
    assert_int_equal(vcf_vmsg_bus_ping(b, 0xDEADBEEFu, &out), VCF_OK);
    uint16_t t = tok(th_one_tx(&out));
    assert_int_equal(vcf_vmsg_bus_rx(b, m, ping_resp(m, t, 0xDEADBEEEu), &out), VCF_OK);
    const vcf_vmsg_verdict *v = expect_verdict(&out, R(PING_01), VCF_VMSG_ACT_NOTE);
    assert_int_equal(v->error.expected, 0xDEADBEEFu);
    assert_int_equal(v->error.actual, 0xDEADBEEEu);
    expect_event(&out, VCF_VMSG_EV_PONG);
    /* a ping that was never sent */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, ping_resp(m, 0x99, 1), &out), VCF_E_NOTFOUND);
    expect_verdict(&out, R(R3_14), VCF_VMSG_ACT_DROP);
    /* one bus request at a time: a ping abandons an enumeration, whose answer is then late */
    uint16_t e = start_enum(b);
    assert_int_equal(vcf_vmsg_bus_ping(b, 5, &out), VCF_OK);
    assert_int_not_equal(tok(th_one_tx(&out)), e);
    uint8_t bm[8] = {0};
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, e, 0, 64, 0, bm, 8), &out),
                     VCF_E_NOTFOUND);
    expect_verdict(&out, R(R3_14), VCF_VMSG_ACT_DROP);
    free(b);
}

/* The verdict on a reserved EVENT_DEVICE state cites a catalogue rule and notes it. */
static void expect_reserved_state_noted(void)
{
    assert_int_equal(out.n_verdicts, 1);
    const vcf_vmsg_verdict *v = &out.verdicts[0];
    assert_int_equal(v->action, VCF_VMSG_ACT_NOTE);
    assert_int_not_equal(v->rule, VCF_VMSG_RULE_NONE);
    assert_string_equal(v->error.rule, vcf_vmsg_rule_id(v->rule));
    assert_string_equal(v->error.field, "device_bus_state");
}

static void test_event_device_followed(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    uint8_t m[64];
    assert_int_equal(vcf_vmsg_bus_rx(b, m, evdev(m, 0, 0, 5, 1), &out), VCF_OK);
    expect_no_verdict(&out);
    assert_int_equal(expect_event(&out, VCF_VMSG_EV_DEVICE_READY)->index, 5);
    assert_true(vcf_vmsg_bus_is_validated(b, 5));
    covers(R(EVDEV_02));
    covers(R(HOTPLUG_02));
    /* duplicates: tolerated, no second event */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, evdev(m, 0, 0, 5, 1), &out), VCF_OK);
    expect_verdict(&out, R(EVDEV_03), VCF_VMSG_ACT_NOTE);
    assert_int_equal(out.n_events, 0);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, evdev(m, 0, 0, 5, 2), &out), VCF_OK);
    assert_int_equal(expect_event(&out, VCF_VMSG_EV_DEVICE_REMOVED)->index, 5);
    assert_false(vcf_vmsg_bus_is_validated(b, 5));
    assert_int_equal(vcf_vmsg_bus_rx(b, m, evdev(m, 0, 0, 5, 2), &out), VCF_OK);
    expect_verdict(&out, R(EVDEV_03), VCF_VMSG_ACT_NOTE);
    assert_int_equal(out.n_events, 0);
    /* removal of a device never seen */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, evdev(m, 0, 0, 6, 2), &out), VCF_OK);
    expect_verdict(&out, R(EVDEV_03), VCF_VMSG_ACT_NOTE);
    /* reserved states (A19): ignored, with a verdict */
    static const uint16_t reserved[] = {0x0000, 0x0003, 0x7FFF};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(vcf_vmsg_bus_rx(b, m, evdev(m, 0, 0, 7, reserved[i]), &out), VCF_OK);
        expect_reserved_state_noted();
        assert_int_equal(out.n_events, 0);
        assert_false(vcf_vmsg_bus_is_validated(b, 7));
    }
    /* implementation-defined states: ignored */
    static const uint16_t impl[] = {0x8000, 0xFFFF};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(vcf_vmsg_bus_rx(b, m, evdev(m, 0, 0, 7, impl[i]), &out), VCF_OK);
        expect_no_verdict(&out);
        assert_int_equal(out.n_events, 0);
        assert_false(vcf_vmsg_bus_is_validated(b, 7));
    }
    /* QEMU's form, the device number in the header: noted, the event still counts */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, evdev(m, 8, 0, 8, 1), &out), VCF_OK);
    expect_verdict(&out, R(HDR_11), VCF_VMSG_ACT_NOTE);
    assert_true(vcf_vmsg_bus_is_validated(b, 8));
    free(b);

    b = rfc3(); /* RFC3: events carry token 0 */
    assert_int_equal(vcf_vmsg_bus_rx(b, m, evdev(m, 0, 0x21, 9, 1), &out), VCF_OK);
    expect_verdict(&out, R(R3_01), VCF_VMSG_ACT_NOTE);
    assert_true(vcf_vmsg_bus_is_validated(b, 9));
    free(b);
}

/* ---- relay ------------------------------------------------------------------------------------
 */

/* FWD-01/02, HDR-14: to the device in dev_num, unchanged but for the token; the driver's comes
 * back with the response. Platform data (set_device) validates the number (DISC-03). */
static void test_relay_forward(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    devices(b, (const uint16_t[]){0, 1}, 2);
    covers(R(DISC_03));
    uint8_t m[64];
    size_t n = th_hex("00 02 01 00 77 00 08 00", m, sizeof m); /* §12 G1 with token 0x77 */
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, n, &out), VCF_OK);
    expect_no_verdict(&out);
    const vcf_vmsg_tx *tx = th_one_tx(&out);
    expect_bytes_but_token(tx, VCF_VMSG_TO_DEVICE, "00 02 01 00 00 00 08 00");
    uint16_t t = tok(tx);
    assert_int_not_equal(t, 0);
    assert_int_equal(vcf_vmsg_bus_inflight(b, 1), 1);
    const vcf_vmsg_inflight *r = &b->inflight[0];
    assert_int_equal(r->bus_token, t);
    assert_int_equal(r->driver_token, 0x77);
    /* §12 G1r with the bus token: the driver gets it with its own */
    uint8_t resp[64];
    size_t rn = th_hex("01 02 01 00 00 00 20 00 | 01 00 00 00 51 45 4d 55 40 00 00 00 0c 00 00 00 "
                       "03 00 00 00 00 00 00 00",
                       resp, sizeof resp);
    th_put16(resp + 4, t);
    assert_int_equal(vcf_vmsg_bus_from_device(b, resp, rn, &out), VCF_OK);
    expect_no_verdict(&out);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_DRIVER,
                 "01 02 01 00 77 00 20 00 | 01 00 00 00 51 45 4d 55 40 00 00 00 0c 00 00 00 "
                 "03 00 00 00 00 00 00 00");
    assert_int_equal(vcf_vmsg_bus_inflight(b, 1), 0);
    /* device number 0 is a transport device like any other (A20); payload bytes untouched */
    n = th_hex("00 06 00 00 04 00 16 00 | 05 00 00 00 00 00 00 00 02 00 00 00 aa bb", m,
               sizeof m); /* §12 G4 */
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, n, &out), VCF_OK);
    expect_bytes_but_token(th_one_tx(&out), VCF_VMSG_TO_DEVICE,
                           "00 06 00 00 00 00 16 00 | 05 00 00 00 00 00 00 00 02 00 00 00 aa bb");
    covers(R(FWD_01));
    covers(R(FWD_02));
    covers(R(HDR_14));
    covers(R(HDR_11)); /* the transport dev_num goes through as it is */
    free(b);
}

/* DEVNUM-03, DISC-01: nothing goes to, or comes from, a number the bus has not validated. */
static void test_relay_unvalidated(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    devices(b, (const uint16_t[]){1}, 1);
    uint8_t m[64];
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, cfg_req(m, 9, 1, 1), &out), VCF_E_NOTFOUND);
    th_no_tx(&out);
    expect_verdict(&out, R(DEVNUM_03), VCF_VMSG_ACT_DROP);
    size_t n = th_msg(m, sizeof m, 0x00, 0x41, 9, 0, "\0\0\0\0\0\0\0\0", 8); /* EVENT_AVAIL */
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, n, &out), VCF_E_NOTFOUND);
    th_no_tx(&out);
    expect_verdict(&out, R(DEVNUM_03), VCF_VMSG_ACT_DROP);
    n = th_msg(m, sizeof m, 0x00, 0x42, 9, 0, "\1\0\0\0", 4); /* EVENT_USED from device 9 */
    assert_int_equal(vcf_vmsg_bus_from_device(b, m, n, &out), VCF_E_NOTFOUND);
    th_no_tx(&out);
    expect_verdict(&out, R(DISC_01), VCF_VMSG_ACT_DROP);
    /* enumeration validates what it finds (DISC-01) */
    uint16_t t = start_enum(b);
    uint8_t bm[8] = {0, 0x02};
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_resp(m, sizeof m, t, 0, 64, 0, bm, 8), &out),
                     VCF_OK);
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, cfg_req(m, 9, 1, 1), &out), VCF_OK);
    assert_int_equal(th_one_tx(&out)->dest, VCF_VMSG_TO_DEVICE);
    free(b);
}

/* PARAM-02: one limit for both directions (RFC3: R3-03). */
static void size_cases(vcf_vmsg_rev rev, vcf_vmsg_rule rule)
{
    vcf_vmsg_bus *b = bus_with(rev, 48, VCF_VMSG_PROFILE_STRICT);
    devices(b, (const uint16_t[]){1}, 1);
    uint8_t m[128], p[64] = {0};
    th_put32(p + 8, 32); /* SET_CONFIG of 32 bytes: 52 bytes in all */
    size_t n = th_msg(m, sizeof m, 0x00, 0x06, 1, 1, p, 12 + 32);
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, n, &out), VCF_E_TOO_LARGE);
    th_no_tx(&out);
    expect_verdict(&out, rule, VCF_VMSG_ACT_DROP);
    assert_int_equal(vcf_vmsg_bus_inflight(b, 1), 0);
    uint16_t t = send_req(b, 1, 2, 7);
    th_put32(p + 4, 7);
    th_put32(p + 8, 32); /* a GET_CONFIG response of 52 bytes */
    n = th_msg(m, sizeof m, 0x01, 0x05, 1, t, p, 12 + 32);
    assert_int_equal(vcf_vmsg_bus_from_device(b, m, n, &out), VCF_E_TOO_LARGE);
    th_no_tx(&out);
    expect_verdict(&out, rule, VCF_VMSG_ACT_DROP);
    assert_int_equal(vcf_vmsg_bus_inflight(b, 1), 1);
    /* exactly at the limit goes through */
    th_put32(p + 8, 28);
    n = th_msg(m, sizeof m, 0x01, 0x05, 1, t, p, 12 + 28);
    assert_int_equal(vcf_vmsg_bus_from_device(b, m, n, &out), VCF_OK);
    assert_int_equal(th_one_tx(&out)->len, 48);
    free(b);
}

static void test_relay_size_limit(void **state)
{
    (void)state;
    size_cases(VCF_VMSG_REV_PR28, R(PARAM_02));
    size_cases(VCF_VMSG_REV_RFC3, R(R3_03));
}

static void relay_malformed(vcf_vmsg_rev rev, vcf_vmsg_rule rule)
{
    vcf_vmsg_bus *b = bus_with(rev, 264, VCF_VMSG_PROFILE_STRICT);
    devices(b, (const uint16_t[]){1}, 1);
    uint8_t m[64];
    size_t n = cfg_req(m, 1, 1, 1);
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, n - 1, &out), VCF_E_SIZE_MISMATCH);
    th_no_tx(&out);
    expect_verdict(&out, rule, VCF_VMSG_ACT_DROP);
    uint8_t big[80] = {0};
    memcpy(big, m, n);
    assert_int_equal(vcf_vmsg_bus_from_driver(b, big, n + 4, &out), VCF_E_TRAILING);
    expect_verdict(&out, rule, VCF_VMSG_ACT_DROP);
    n = th_msg(m, sizeof m, 0x00, 0x3F, 1, 1, NULL, 0); /* no such transport message */
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, n, &out), VCF_E_UNKNOWN_ID);
    expect_verdict(&out, rule, VCF_VMSG_ACT_DROP);
    n = ping_req(m, 1, 1); /* a bus message from the driver */
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, n, &out), VCF_E_BAD_KIND);
    expect_verdict(&out, rule, VCF_VMSG_ACT_DROP);
    n = cfg_resp(m, 1, 1, 1); /* a response from the driver */
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, n, &out), VCF_E_BAD_KIND);
    expect_verdict(&out, rule, VCF_VMSG_ACT_DROP);
    n = cfg_req(m, 1, 1, 1); /* a request from a device */
    assert_int_equal(vcf_vmsg_bus_from_device(b, m, n, &out), VCF_E_BAD_KIND);
    th_no_tx(&out);
    expect_verdict(&out, rule, VCF_VMSG_ACT_DROP);
    n = th_msg(m, sizeof m, 0x00, 0x81, 1, 1, NULL, 0); /* PR28: impl-defined; RFC3: reserved */
    int rc = vcf_vmsg_bus_from_driver(b, m, n, &out);
    if (rev == VCF_VMSG_REV_RFC3) {
        assert_int_equal(rc, VCF_E_UNKNOWN_ID);
        expect_verdict(&out, rule, VCF_VMSG_ACT_DROP);
    } else {
        assert_int_equal(rc, VCF_OK); /* relayed as opaque, and tracked as a request */
        assert_int_equal(vcf_vmsg_bus_inflight(b, 1), 1);
    }
    assert_int_equal(vcf_vmsg_bus_inflight(b, 1), rev == VCF_VMSG_REV_RFC3 ? 0 : 1);
    free(b);
}

static void test_relay_malformed(void **state)
{
    (void)state;
    relay_malformed(VCF_VMSG_REV_PR28, R(ERR_02));
    relay_malformed(VCF_VMSG_REV_RFC3, R(R3_05));
}

/* ORD-01: two outstanding requests to one device, answered out of order, delivered in order. */
static void test_relay_in_order(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    devices(b, (const uint16_t[]){1}, 1);
    uint16_t ta = send_req(b, 1, 0x0A, 100);
    uint16_t tb = send_req(b, 1, 0x0B, 101);
    assert_int_not_equal(ta, tb);
    assert_int_equal(vcf_vmsg_bus_inflight(b, 1), 2);
    assert_int_equal(answer(b, 1, tb, 101), VCF_OK); /* early: held */
    th_no_tx(&out);
    expect_no_verdict(&out);
    assert_int_equal(answer(b, 1, ta, 100), VCF_OK);
    assert_int_equal(out.n_tx, 2);
    expect_delivered(0, 1, 0x0A, 100);
    expect_delivered(1, 1, 0x0B, 101);
    assert_int_equal(vcf_vmsg_bus_inflight(b, 1), 0);
    for (size_t i = 0; i < VCF_VMSG_BUS_MAX_HELD; i++)
        assert_false(b->held[i].used);
    covers(R(ORD_01));
    free(b);
}

/* Order is per device: another device's response goes at once. */
static void test_relay_interleaved_devices(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    devices(b, (const uint16_t[]){1, 2}, 2);
    uint16_t a1 = send_req(b, 1, 0x11, 1);
    uint16_t a2 = send_req(b, 2, 0x21, 2);
    uint16_t b1 = send_req(b, 1, 0x12, 3);
    uint16_t b2 = send_req(b, 2, 0x22, 4);
    assert_int_equal(answer(b, 2, a2, 2), VCF_OK);
    assert_int_equal(out.n_tx, 1);
    expect_delivered(0, 2, 0x21, 2);
    assert_int_equal(answer(b, 1, b1, 3), VCF_OK);
    th_no_tx(&out);
    assert_int_equal(answer(b, 2, b2, 4), VCF_OK);
    expect_delivered(0, 2, 0x22, 4);
    assert_int_equal(answer(b, 1, a1, 1), VCF_OK);
    assert_int_equal(out.n_tx, 2);
    expect_delivered(0, 1, 0x11, 1);
    expect_delivered(1, 1, 0x12, 3);
    /* the same bus token can't name two requests; the same driver token can */
    uint16_t c1 = send_req(b, 1, 0x77, 5);
    uint16_t c2 = send_req(b, 2, 0x77, 6);
    assert_int_not_equal(c1, c2);
    assert_int_equal(answer(b, 2, c2, 6), VCF_OK);
    expect_delivered(0, 2, 0x77, 6);
    assert_int_equal(answer(b, 1, c1, 5), VCF_OK);
    expect_delivered(0, 1, 0x77, 5);
    free(b);
}

/* ORD-02: exactly one response per request; a second one, or one for nothing, is dropped. */
static void test_relay_duplicates(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    devices(b, (const uint16_t[]){1}, 1);
    uint16_t ta = send_req(b, 1, 1, 10);
    uint16_t tb = send_req(b, 1, 2, 11);
    assert_int_equal(answer(b, 1, tb, 11), VCF_OK); /* held */
    assert_int_equal(answer(b, 1, tb, 11), VCF_E_DUPLICATE);
    th_no_tx(&out);
    expect_verdict(&out, R(ORD_02), VCF_VMSG_ACT_DROP);
    assert_int_equal(answer(b, 1, ta, 10), VCF_OK);
    assert_int_equal(out.n_tx, 2);
    assert_int_equal(answer(b, 1, ta, 10), VCF_E_NOTFOUND); /* already delivered */
    th_no_tx(&out);
    expect_verdict(&out, R(ORD_02), VCF_VMSG_ACT_DROP);
    assert_int_equal(answer(b, 1, 0x4321, 12), VCF_E_NOTFOUND); /* never asked */
    expect_verdict(&out, R(ORD_02), VCF_VMSG_ACT_DROP);
    /* the right token on the wrong kind of response */
    uint16_t tc = send_req(b, 1, 3, 13);
    uint8_t m[64];
    size_t n = th_msg(m, sizeof m, 0x01, 0x07, 1, tc, "\0\0\0\0", 4);
    assert_int_equal(vcf_vmsg_bus_from_device(b, m, n, &out), VCF_E_MISMATCH);
    th_no_tx(&out);
    expect_verdict(&out, R(ORD_02), VCF_VMSG_ACT_DROP);
    assert_int_equal(vcf_vmsg_bus_inflight(b, 1), 1);
    /* and from another device */
    devices(b, (const uint16_t[]){2}, 1);
    assert_int_equal(answer(b, 2, tc, 13), VCF_E_NOTFOUND);
    expect_verdict(&out, R(ORD_02), VCF_VMSG_ACT_DROP);
    assert_int_equal(answer(b, 1, tc, 13), VCF_OK);
    expect_delivered(0, 1, 3, 13);
    free(b);
}

/* ERR-01, ORD-02: a request that is never answered fails locally, and the responses held behind
 * it go out. */
static void test_relay_timeout(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    devices(b, (const uint16_t[]){1}, 1);
    assert_int_equal(vcf_vmsg_bus_timeout(b, 1, &out), VCF_E_NOTFOUND);
    expect_verdict(&out, R(ERR_01), VCF_VMSG_ACT_REFUSE);
    send_req(b, 1, 0xA1, 1);
    uint16_t t2 = send_req(b, 1, 0xA2, 2);
    uint16_t t3 = send_req(b, 1, 0xA3, 3);
    send_req(b, 1, 0xA4, 4);
    assert_int_equal(answer(b, 1, t3, 3), VCF_OK);
    assert_int_equal(answer(b, 1, t2, 2), VCF_OK);
    th_no_tx(&out);
    assert_int_equal(vcf_vmsg_bus_timeout(b, 1, &out), VCF_OK);
    const vcf_vmsg_event *ev = expect_event(&out, VCF_VMSG_EV_FAILURE);
    assert_int_equal(ev->index, 1);
    assert_int_equal(ev->length, 1);
    assert_int_equal(ev->value, 0xA1);
    assert_int_equal(ev->offset, 0x05);
    assert_int_equal(out.n_tx, 2);
    expect_delivered(0, 1, 0xA2, 2);
    expect_delivered(1, 1, 0xA3, 3);
    assert_int_equal(vcf_vmsg_bus_inflight(b, 1), 1);
    assert_int_equal(vcf_vmsg_bus_timeout(b, 1, &out), VCF_OK);
    th_no_tx(&out);
    assert_int_equal(expect_event(&out, VCF_VMSG_EV_FAILURE)->value, 0xA4);
    assert_int_equal(vcf_vmsg_bus_inflight(b, 1), 0);
    covers(R(ERR_01));
    covers(R(ORD_02));
    free(b);
}

/* Held responses are bounded; one that finds no room is dropped and its request ends by
 * timeout, still exactly once. */
static void test_relay_hold_limits(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    devices(b, (const uint16_t[]){1, 2}, 2);
    uint16_t t[6];
    for (uint16_t i = 0; i < 6; i++)
        t[i] = send_req(b, 1, (uint16_t)(0x100 + i), i);
    for (uint16_t i = 1; i < 4; i++) {
        assert_int_equal(answer(b, 1, t[i], i), VCF_OK);
        th_no_tx(&out);
    }
    /* a device holds at most one fewer than an output carries */
    assert_int_equal(answer(b, 1, t[4], 4), VCF_E_EXHAUSTED);
    th_no_tx(&out);
    expect_verdict(&out, R(ORD_01), VCF_VMSG_ACT_DROP);
    /* the last slot serves another device */
    uint16_t u0 = send_req(b, 2, 0x200, 20);
    uint16_t u1 = send_req(b, 2, 0x201, 21);
    uint16_t u2 = send_req(b, 2, 0x202, 22);
    assert_int_equal(answer(b, 2, u1, 21), VCF_OK);
    th_no_tx(&out);
    assert_int_equal(answer(b, 2, u2, 22), VCF_E_EXHAUSTED); /* all four slots taken */
    expect_verdict(&out, R(ORD_01), VCF_VMSG_ACT_DROP);
    assert_int_equal(answer(b, 1, t[0], 0), VCF_OK);
    assert_int_equal(out.n_tx, 4);
    for (uint16_t i = 0; i < 4; i++)
        expect_delivered(i, 1, (uint16_t)(0x100 + i), i);
    assert_int_equal(vcf_vmsg_bus_timeout(b, 1, &out), VCF_OK); /* request 4 */
    assert_int_equal(expect_event(&out, VCF_VMSG_EV_FAILURE)->value, 0x104);
    assert_int_equal(answer(b, 1, t[5], 5), VCF_OK);
    expect_delivered(0, 1, 0x105, 5);
    assert_int_equal(answer(b, 2, u0, 20), VCF_OK);
    assert_int_equal(out.n_tx, 2);
    expect_delivered(0, 2, 0x200, 20);
    expect_delivered(1, 2, 0x201, 21);
    assert_int_equal(vcf_vmsg_bus_timeout(b, 2, &out), VCF_OK);
    assert_int_equal(expect_event(&out, VCF_VMSG_EV_FAILURE)->value, 0x202);
    assert_int_equal(vcf_vmsg_bus_inflight(b, 1) + vcf_vmsg_bus_inflight(b, 2), 0);
    free(b);
}

/* A full table of requests in flight: the next one fails locally and is not sent; events still
 * go through (NOTIF-05). */
static void test_relay_table_full(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    devices(b, (const uint16_t[]){1, 2}, 2);
    for (uint32_t i = 0; i < VCF_VMSG_BUS_MAX_INFLIGHT; i++)
        send_req(b, (uint16_t)(1 + i % 2), (uint16_t)i, i);
    uint8_t m[64];
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, cfg_req(m, 1, 0x999, 99), &out),
                     VCF_E_EXHAUSTED);
    th_no_tx(&out);
    expect_verdict(&out, R(ERR_01), VCF_VMSG_ACT_DROP);
    const vcf_vmsg_event *ev = expect_event(&out, VCF_VMSG_EV_FAILURE);
    assert_int_equal(ev->index, 1);
    assert_int_equal(ev->value, 0x999);
    uint8_t p[8] = {0};
    size_t n = th_msg(m, sizeof m, 0x00, 0x41, 1, 0, p, 8);
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, n, &out), VCF_OK);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_DEVICE,
                 "00 41 01 00 00 00 10 00 00 00 00 00 00 00 00 00");
    covers(R(NOTIF_05));
    /* every bus token in flight is distinct and non-zero */
    for (size_t i = 0; i < b->n_inflight; i++) {
        assert_int_not_equal(b->inflight[i].bus_token, 0);
        for (size_t j = 0; j < i; j++)
            assert_int_not_equal(b->inflight[i].bus_token, b->inflight[j].bus_token);
    }
    free(b);
}

/* NOTIF-04/10: notifications go straight through in both directions, untracked, whatever is
 * pending or held. */
static void test_relay_events(void **state)
{
    (void)state;
    for (int r = 0; r < 2; r++) {
        vcf_vmsg_bus *b = r ? rfc3() : pr28();
        devices(b, (const uint16_t[]){1}, 1);
        uint8_t m[64];
        size_t n = th_hex("00 41 01 00 00 00 10 00 | 00 00 00 00 05 00 00 80", m, sizeof m);
        assert_int_equal(vcf_vmsg_bus_from_driver(b, m, n, &out), VCF_OK); /* §12 G6 */
        expect_no_verdict(&out);
        expect_bytes(th_one_tx(&out), VCF_VMSG_TO_DEVICE,
                     "00 41 01 00 00 00 10 00 | 00 00 00 00 05 00 00 80");
        assert_int_equal(vcf_vmsg_bus_inflight(b, 1), 0);
        send_req(b, 1, 1, 1);
        uint16_t t2 = send_req(b, 1, 2, 2);
        assert_int_equal(answer(b, 1, t2, 2), VCF_OK);                  /* held */
        n = th_hex("00 42 01 00 00 00 0c 00 01 00 00 00", m, sizeof m); /* §12 G8 */
        assert_int_equal(vcf_vmsg_bus_from_device(b, m, n, &out), VCF_OK);
        expect_bytes(th_one_tx(&out), VCF_VMSG_TO_DRIVER, "00 42 01 00 00 00 0c 00 01 00 00 00");
        n = th_hex("00 40 01 00 00 00 18 00 | 4f 00 00 00 07 00 00 00 00 00 00 00 00 00 00 00", m,
                   sizeof m); /* §12 G7 */
        assert_int_equal(vcf_vmsg_bus_from_device(b, m, n, &out), VCF_OK);
        expect_bytes(th_one_tx(&out), VCF_VMSG_TO_DRIVER,
                     "00 40 01 00 00 00 18 00 | 4f 00 00 00 07 00 00 00 00 00 00 00 00 00 00 00");
        assert_int_equal(vcf_vmsg_bus_inflight(b, 1), 2);
        free(b);
    }
    covers(R(NOTIF_04));
    covers(R(NOTIF_10));
    covers(R(R3_09));
    covers(R(R3_15));
}

/* RFC3: the token is end to end. The relay passes it through and holds the driver to it. */
static void test_relay_rfc3_tokens(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = rfc3();
    devices(b, (const uint16_t[]){1, 2}, 2);
    assert_int_equal(send_req(b, 1, 0x0101, 1), 0x0101);
    assert_int_equal(send_req(b, 2, 0x0101, 2), 0x0101); /* (dev_num, token) still unique */
    uint8_t m[64];
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, cfg_req(m, 1, 0x0101, 3), &out),
                     VCF_E_DUPLICATE);
    th_no_tx(&out);
    expect_verdict(&out, R(R3_02), VCF_VMSG_ACT_DROP);
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, cfg_req(m, 1, 0, 3), &out), VCF_E_RANGE);
    th_no_tx(&out);
    expect_verdict(&out, R(R3_01), VCF_VMSG_ACT_DROP);
    /* responses: token 0 or another token match nothing */
    assert_int_equal(answer(b, 1, 0, 1), VCF_E_NOTFOUND);
    expect_verdict(&out, R(R3_14), VCF_VMSG_ACT_DROP);
    assert_int_equal(answer(b, 1, 0x0102, 1), VCF_E_NOTFOUND);
    expect_verdict(&out, R(R3_14), VCF_VMSG_ACT_DROP);
    assert_int_equal(answer(b, 1, 0x0101, 1), VCF_OK);
    expect_delivered(0, 1, 0x0101, 1);
    assert_int_equal(answer(b, 1, 0x0101, 1), VCF_E_NOTFOUND); /* already answered */
    expect_verdict(&out, R(R3_14), VCF_VMSG_ACT_DROP);
    covers(R(R3_02));
    /* events: token 0; a non-zero one is noted and the event still goes through */
    size_t n = th_msg(m, sizeof m, 0x00, 0x42, 2, 0x33, "\0\0\0\0", 4);
    assert_int_equal(vcf_vmsg_bus_from_device(b, m, n, &out), VCF_OK);
    expect_verdict(&out, R(R3_01), VCF_VMSG_ACT_NOTE);
    assert_int_equal(tok(th_one_tx(&out)), 0x33);
    n = th_msg(m, sizeof m, 0x00, 0x41, 2, 0x34, "\0\0\0\0\0\0\0\0", 8);
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, n, &out), VCF_OK);
    expect_verdict(&out, R(R3_01), VCF_VMSG_ACT_NOTE);
    th_one_tx(&out);
    free(b);
}

/* PR28 with devices that do not echo the token (A13): matched by device and kind, in order. */
static void test_relay_without_echo(void **state)
{
    (void)state;
    vcf_vmsg_bus_config cfg;
    vcf_vmsg_bus_config_default(&cfg);
    cfg.link.opt.echo_token = false;
    vcf_vmsg_bus *b = bus_cfg(&cfg);
    devices(b, (const uint16_t[]){1}, 1);
    send_req(b, 1, 0x51, 1);
    send_req(b, 1, 0x52, 2);
    assert_int_equal(answer(b, 1, 0, 1), VCF_OK);
    expect_delivered(0, 1, 0x51, 1);
    assert_int_equal(answer(b, 1, 0xFFFF, 2), VCF_OK);
    expect_delivered(0, 1, 0x52, 2);
    assert_int_equal(answer(b, 1, 0, 3), VCF_E_NOTFOUND);
    expect_verdict(&out, R(ORD_02), VCF_VMSG_ACT_DROP);
    free(b);
}

/* HDR-12: the relay ignores reserved type bits of transport messages: it notes them and passes
 * the message on as it is. */
static void test_relay_reserved_type_bits(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = pr28();
    devices(b, (const uint16_t[]){1}, 1);
    uint8_t m[64];
    size_t n = cfg_req(m, 1, 0x61, 1);
    m[0] = 0x80;
    assert_int_equal(vcf_vmsg_bus_from_driver(b, m, n, &out), VCF_OK);
    expect_verdict(&out, R(HDR_15), VCF_VMSG_ACT_NOTE);
    const vcf_vmsg_tx *tx = th_one_tx(&out);
    assert_int_equal(tx->data[0], 0x80);
    uint16_t t = tok(tx);
    n = cfg_resp(m, 1, t, 1);
    m[0] = 0x41;
    assert_int_equal(vcf_vmsg_bus_from_device(b, m, n, &out), VCF_OK);
    expect_verdict(&out, R(HDR_15), VCF_VMSG_ACT_NOTE);
    tx = th_one_tx(&out);
    assert_int_equal(tx->data[0], 0x41);
    assert_int_equal(tok(tx), 0x61);
    covers(R(HDR_12));
    free(b);
}

/* A device that goes away: every request in flight to it fails, held ones included, and the
 * bus neither forwards to it nor delivers from it any more. */
static void test_relay_removal(void **state)
{
    (void)state;
    for (int how = 0; how < 2; how++) {
        vcf_vmsg_bus *b = pr28();
        devices(b, (const uint16_t[]){4, 5}, 2);
        uint16_t t1 = send_req(b, 4, 0x41, 1);
        uint16_t t2 = send_req(b, 4, 0x42, 2);
        send_req(b, 5, 0x51, 3);
        assert_int_equal(answer(b, 4, t2, 2), VCF_OK); /* held */
        uint8_t m[64];
        if (how == 0)
            assert_int_equal(vcf_vmsg_bus_rx(b, m, evdev(m, 0, 0, 4, 2), &out), VCF_OK);
        else
            assert_int_equal(vcf_vmsg_bus_set_device(b, 4, false, false, &out), VCF_OK);
        th_no_tx(&out);
        assert_int_equal(expect_event(&out, VCF_VMSG_EV_DEVICE_REMOVED)->index, 4);
        const vcf_vmsg_event *ev = expect_event(&out, VCF_VMSG_EV_FAILURE);
        assert_int_equal(ev->index, 4);
        assert_int_equal(ev->length, 2);
        assert_int_equal(ev->value, 0x41);
        assert_int_equal(vcf_vmsg_bus_inflight(b, 4), 0);
        assert_int_equal(vcf_vmsg_bus_inflight(b, 5), 1);
        for (size_t i = 0; i < VCF_VMSG_BUS_MAX_HELD; i++)
            assert_false(b->held[i].used);
        assert_int_equal(answer(b, 4, t1, 1), VCF_E_NOTFOUND);
        expect_verdict(&out, R(DISC_01), VCF_VMSG_ACT_DROP);
        assert_int_equal(vcf_vmsg_bus_from_driver(b, m, cfg_req(m, 4, 1, 1), &out), VCF_E_NOTFOUND);
        expect_verdict(&out, R(DEVNUM_03), VCF_VMSG_ACT_DROP);
        free(b);
    }
}

/* ---- profiles ---------------------------------------------------------------------------------
 */

/* QEMU (HDR-17): bus answers with token 0, EVENT_DEVICE with the device number in the header. */
static void test_profile_qemu(void **state)
{
    (void)state;
    for (int r = 0; r < 2; r++) {
        vcf_vmsg_rev rev = r ? VCF_VMSG_REV_RFC3 : VCF_VMSG_REV_PR28;
        vcf_vmsg_bus *b = bus_with(rev, 264, VCF_VMSG_PROFILE_QEMU);
        devices(b, (const uint16_t[]){0, 2, 5, 20}, 4);
        uint8_t m[64];
        size_t n = th_hex("02 02 00 00 09 00 0c 00 00 00 10 00", m, sizeof m);
        assert_int_equal(vcf_vmsg_bus_rx(b, m, n, &out), VCF_OK);
        expect_impl(&out, r ? R(R3_01) : R(HDR_14), R(HDR_17), VCF_VMSG_ACT_DEVIATE);
        expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER,
                     "03 02 00 00 00 00 10 00 | 00 00 10 00 10 00 25 00");
        n = th_hex("02 03 00 00 0a 00 0c 00 ef be ad de", m, sizeof m);
        assert_int_equal(vcf_vmsg_bus_rx(b, m, n, &out), VCF_OK);
        expect_impl(&out, r ? R(R3_01) : R(HDR_14), R(HDR_17), VCF_VMSG_ACT_DEVIATE);
        expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER, "03 03 00 00 00 00 0c 00 ef be ad de");
        assert_int_equal(vcf_vmsg_bus_set_device(b, 3, true, true, &out), VCF_OK);
        expect_impl(&out, r ? R(R3_04) : R(HDR_11), R(HDR_17), VCF_VMSG_ACT_DEVIATE);
        expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER, "02 40 03 00 00 00 0c 00 03 00 01 00");
        free(b);
    }
}

/* OP-TEE (GETDEV-06): offset 0 only, count = devices present, next_offset 0. */
static void test_profile_optee(void **state)
{
    (void)state;
    vcf_vmsg_bus *b = bus_with(VCF_VMSG_REV_PR28, 96, VCF_VMSG_PROFILE_OPTEE);
    devices(b, (const uint16_t[]){0, 2, 5}, 3);
    uint8_t m[64];
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_req(m, 9, 0, 16), &out), VCF_OK);
    expect_impl(&out, R(GETDEV_05), R(GETDEV_06), VCF_VMSG_ACT_DEVIATE);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER,
                 "03 02 00 00 09 00 0f 00 | 00 00 03 00 00 00 25");
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_req(m, 9, 16, 16), &out), VCF_OK);
    expect_impl(&out, R(GETDEV_01), R(GETDEV_06), VCF_VMSG_ACT_DEVIATE);
    th_no_tx(&out);
    /* where the answer happens to be right, no deviation is claimed */
    devices(b, (const uint16_t[]){1, 3, 4, 6, 7}, 5);
    assert_int_equal(vcf_vmsg_bus_rx(b, m, getdev_req(m, 9, 0, 8), &out), VCF_OK);
    expect_no_verdict(&out);
    expect_bytes(th_one_tx(&out), VCF_VMSG_TO_PEER,
                 "03 02 00 00 09 00 0f 00 | 00 00 08 00 00 00 ff");
    free(b);
}

/* ---- two buses --------------------------------------------------------------------------------
 */

/* Deliver what one bus sent (first) to the other, and every answer back, until both are
 * quiet. */
static void pump(vcf_vmsg_bus *from, vcf_vmsg_bus *to, const vcf_vmsg_output *first, size_t *events,
                 size_t *verdicts)
{
    static uint8_t q[64][VCF_VMSG_MSG_SIZE_LIMIT];
    static size_t qlen[64];
    static vcf_vmsg_bus *qdest[64];
    size_t head = 0, tail = 0;
    for (size_t i = 0; i < first->n_tx; i++) {
        memcpy(q[tail], first->tx[i].data, first->tx[i].len);
        qlen[tail] = first->tx[i].len;
        qdest[tail++] = to;
    }
    while (head != tail) {
        size_t k = head++ % 64;
        vcf_vmsg_bus *dest = qdest[k];
        (void)vcf_vmsg_bus_rx(dest, q[k], qlen[k], &out);
        *verdicts += out.n_verdicts;
        for (size_t i = 0; i < out.n_events; i++)
            events[out.events[i].type]++;
        for (size_t i = 0; i < out.n_tx; i++) {
            assert_true(tail - head < 64);
            assert_int_equal(out.tx[i].dest, VCF_VMSG_TO_PEER);
            assert_true(out.tx[i].len <= dest->cfg.link.max_msg_size);
            memcpy(q[tail % 64], out.tx[i].data, out.tx[i].len);
            qlen[tail % 64] = out.tx[i].len;
            qdest[tail++ % 64] = dest == to ? from : to;
        }
    }
}

static void two_buses(vcf_vmsg_rev rev, uint32_t max, uint16_t window)
{
    vcf_vmsg_bus_config cfg;
    vcf_vmsg_bus_config_default(&cfg);
    cfg.link.rev = rev;
    cfg.link.max_msg_size = max;
    cfg.window = window;
    vcf_vmsg_bus *dev_side = bus_cfg(&cfg), *drv_side = bus_cfg(&cfg);
    /* a spread of device numbers, the ends included */
    uint32_t x = 12345;
    size_t present = 0;
    for (uint32_t n = 0; n < 0x10000; n++) {
        x = x * 1103515245u + 12345u;
        bool on = n == 0 || n == 0xFFFF || (x >> 16) % 211 == 0;
        if (on) {
            assert_int_equal(vcf_vmsg_bus_set_device(dev_side, (uint16_t)n, true, false, &out),
                             VCF_OK);
            present++;
        }
    }
    size_t events[32] = {0}, verdicts = 0;
    vcf_vmsg_output first;
    assert_int_equal(vcf_vmsg_bus_enumerate(drv_side, &first), VCF_OK);
    pump(drv_side, dev_side, &first, events, &verdicts);
    assert_int_equal(verdicts, 0);
    assert_int_equal(events[VCF_VMSG_EV_ENUM_DONE], 1);
    for (uint32_t n = 0; n < 0x10000; n++)
        assert_int_equal(vcf_vmsg_bus_is_validated(drv_side, (uint16_t)n),
                         vcf_vmsg_bus_is_present(dev_side, (uint16_t)n));
    /* hotplug reaches the other side */
    assert_int_equal(vcf_vmsg_bus_set_device(dev_side, 777, !vcf_vmsg_bus_is_present(dev_side, 777),
                                             true, &first),
                     VCF_OK);
    pump(dev_side, drv_side, &first, events, &verdicts);
    assert_int_equal(vcf_vmsg_bus_is_validated(drv_side, 777),
                     vcf_vmsg_bus_is_present(dev_side, 777));
    /* and a ping */
    memset(events, 0, sizeof events);
    assert_int_equal(vcf_vmsg_bus_ping(drv_side, 0xC0FFEE, &first), VCF_OK);
    pump(drv_side, dev_side, &first, events, &verdicts);
    assert_int_equal(events[VCF_VMSG_EV_PONG], 1);
    assert_int_equal(verdicts, 0);
    (void)present;
    free(dev_side);
    free(drv_side);
}

static void test_two_buses(void **state)
{
    (void)state;
    two_buses(VCF_VMSG_REV_PR28, 264, 64);
    two_buses(VCF_VMSG_REV_PR28, 44, 240);
    two_buses(VCF_VMSG_REV_RFC3, 48, 8);
    two_buses(VCF_VMSG_REV_PR28, 65535, 0xFFF8);
    covers(R(DEVNUM_02));
}

/* ---- long randomised relay run ----------------------------------------------------------------
 */

typedef struct rreq {
    uint16_t dev, driver_token, bus_token;
    bool answered; /* the bus has taken a response for it (held or delivered) */
    int outcomes;  /* deliveries plus failures: must end at exactly 1 */
} rreq;

#define RMAX   20000
#define RDEVS  4
#define RSTEPS 30000

static uint32_t rng(uint32_t n)
{
    return th_rand() % n;
}

/* The unresolved requests of each device, in forwarding order. */
typedef struct rqueue {
    uint32_t ids[RMAX];
    size_t n;
} rqueue;

static void rq_pop_front(rqueue *q, uint32_t id)
{
    assert_true(q->n > 0);
    assert_int_equal(q->ids[0], id); /* ORD-01: the head, and nothing else, ends next */
    memmove(q->ids, q->ids + 1, (q->n - 1) * sizeof *q->ids);
    q->n--;
}

/* Account for the responses an output delivered to the driver. */
static void r_delivered(rreq *reqs, rqueue *queues, const uint16_t *devs, uint32_t max)
{
    for (size_t i = 0; i < out.n_tx; i++) {
        const vcf_vmsg_tx *tx = &out.tx[i];
        assert_int_equal(tx->len, th_get16(tx->data + 6));
        assert_true(tx->len <= max);
        if (tx->dest != VCF_VMSG_TO_DRIVER || tx->data[0] != 0x01)
            continue;
        uint32_t id = resp_id(tx);
        rreq *r = &reqs[id];
        assert_int_equal(th_get16(tx->data + 2), r->dev);
        assert_int_equal(tok(tx), r->driver_token); /* HDR-14: the driver's own token */
        size_t d = 0;
        while (devs[d] != r->dev)
            d++;
        rq_pop_front(&queues[d], id);
        r->outcomes++;
    }
}

static void random_relay(vcf_vmsg_rev rev, uint32_t max, uint32_t seed)
{
    static rreq reqs[RMAX];
    static rqueue queues[RDEVS];
    static const uint16_t devs[RDEVS] = {0, 1, 7, 0xFFFF};
    memset(reqs, 0, sizeof reqs);
    memset(queues, 0, sizeof queues);
    th_seed(seed);
    vcf_vmsg_bus *b = bus_with(rev, max, VCF_VMSG_PROFILE_STRICT);
    devices(b, devs, RDEVS);
    bool rfc = rev == VCF_VMSG_REV_RFC3;
    uint32_t nreq = 0;
    uint16_t rfc_token = 0;
    size_t delivered = 0, failed = 0, dropped = 0;
    uint8_t m[64];
    for (uint32_t step = 0; step < RSTEPS && nreq < RMAX; step++) {
        uint32_t what = rng(100);
        size_t d = rng(RDEVS);
        uint16_t dev = devs[d];
        if (what < 35) { /* the driver sends a request */
            uint32_t id = nreq++;
            rreq *r = &reqs[id];
            r->dev = dev;
            r->driver_token = rfc ? ++rfc_token : (uint16_t)rng(0x10000);
            size_t n = cfg_req(m, dev, r->driver_token, id);
            int rc = vcf_vmsg_bus_from_driver(b, m, n, &out);
            if (rc == VCF_E_EXHAUSTED) {
                expect_verdict(&out, R(ERR_01), VCF_VMSG_ACT_DROP);
                assert_int_equal(expect_event(&out, VCF_VMSG_EV_FAILURE)->value, r->driver_token);
                r->outcomes++;
                r->answered = true;
                failed++;
                continue;
            }
            assert_int_equal(rc, VCF_OK);
            const vcf_vmsg_tx *tx = th_one_tx(&out);
            assert_int_equal(tx->dest, VCF_VMSG_TO_DEVICE);
            assert_int_equal(tx->len, n);
            assert_memory_equal(tx->data, m, 4);
            assert_memory_equal(tx->data + 6, m + 6, n - 6);
            r->bus_token = tok(tx);
            assert_int_not_equal(r->bus_token, 0);
            if (rfc)
                assert_int_equal(r->bus_token, r->driver_token);
            queues[d].ids[queues[d].n++] = id;
        } else if (what < 75) { /* a device answers some request, perhaps late */
            if (nreq == 0)
                continue;
            /* mostly a request still in flight: the oldest, or any; sometimes any earlier one */
            uint32_t id = rng(nreq);
            if (queues[d].n && rng(8))
                id = queues[d].ids[rng(2) ? 0 : rng((uint32_t)queues[d].n)];
            rreq *r = &reqs[id];
            if (r->answered && rng(4) != 0)
                continue;
            bool dup = r->answered;
            r->answered = true;
            int rc = answer(b, r->dev, r->bus_token, id);
            if (dup || r->outcomes) { /* already answered, delivered or failed */
                assert_int_not_equal(rc, VCF_OK);
                th_no_tx(&out);
                expect_verdict(&out, rfc ? R(R3_14) : R(ORD_02), VCF_VMSG_ACT_DROP);
                dropped++;
                continue;
            }
            if (rc == VCF_E_EXHAUSTED) { /* no room to hold it: lost; the device may retry */
                expect_verdict(&out, R(ORD_01), VCF_VMSG_ACT_DROP);
                th_no_tx(&out);
                r->answered = false;
                continue;
            }
            assert_int_equal(rc, VCF_OK);
            expect_no_verdict(&out);
            delivered += out.n_tx;
            r_delivered(reqs, queues, devs, max);
        } else if (what < 82) { /* device notification */
            size_t n = th_msg(m, sizeof m, 0x00, 0x42, dev, 0, "\2\0\0\0", 4);
            assert_int_equal(vcf_vmsg_bus_from_device(b, m, n, &out), VCF_OK);
            const vcf_vmsg_tx *tx = th_one_tx(&out);
            assert_int_equal(tx->dest, VCF_VMSG_TO_DRIVER);
            assert_memory_equal(tx->data, m, n);
        } else if (what < 88) { /* driver notification */
            uint8_t p[8] = {3, 0, 0, 0, 9, 0, 0, 0};
            size_t n = th_msg(m, sizeof m, 0x00, 0x41, dev, 0, p, 8);
            assert_int_equal(vcf_vmsg_bus_from_driver(b, m, n, &out), VCF_OK);
            const vcf_vmsg_tx *tx = th_one_tx(&out);
            assert_int_equal(tx->dest, VCF_VMSG_TO_DEVICE);
            assert_memory_equal(tx->data, m, n);
        } else { /* the oldest request to a device times out */
            int rc = vcf_vmsg_bus_timeout(b, dev, &out);
            if (queues[d].n == 0) {
                assert_int_equal(rc, VCF_E_NOTFOUND);
                continue;
            }
            assert_int_equal(rc, VCF_OK);
            const vcf_vmsg_event *ev = expect_event(&out, VCF_VMSG_EV_FAILURE);
            uint32_t head = queues[d].ids[0];
            assert_int_equal(ev->index, dev);
            assert_int_equal(ev->value, reqs[head].driver_token);
            rq_pop_front(&queues[d], head);
            reqs[head].outcomes++;
            failed++;
            delivered += out.n_tx;
            r_delivered(reqs, queues, devs, max);
        }
        /* invariants of the tables */
        size_t total = 0;
        for (size_t k = 0; k < RDEVS; k++) {
            assert_int_equal(vcf_vmsg_bus_inflight(b, devs[k]), queues[k].n);
            total += queues[k].n;
        }
        assert_int_equal(b->n_inflight, total);
    }
    /* drain: everything left ends by timeout, held responses go out in order */
    for (size_t k = 0; k < RDEVS; k++)
        while (queues[k].n) {
            uint32_t head = queues[k].ids[0];
            assert_int_equal(vcf_vmsg_bus_timeout(b, devs[k], &out), VCF_OK);
            rq_pop_front(&queues[k], head);
            reqs[head].outcomes++;
            r_delivered(reqs, queues, devs, max);
        }
    for (uint32_t i = 0; i < nreq; i++)
        assert_int_equal(reqs[i].outcomes, 1); /* ORD-02: exactly one each */
    for (size_t i = 0; i < VCF_VMSG_BUS_MAX_HELD; i++)
        assert_false(b->held[i].used);
    assert_int_equal(b->n_inflight, 0);
    print_message("random relay: %u requests, %zu delivered, %zu failed, %zu duplicates\n", nreq,
                  delivered, failed, dropped);
    assert_true(nreq > 1000 && delivered > 500 && failed > 100 && dropped > 50);
    free(b);
}

static void test_random_relay(void **state)
{
    (void)state;
    random_relay(VCF_VMSG_REV_PR28, 264, 1);
    random_relay(VCF_VMSG_REV_RFC3, 48, 2);
    random_relay(VCF_VMSG_REV_PR28, 65535, 3);
}

/* ---- coverage ---------------------------------------------------------------------------------
 */

static void test_every_bus_rule_tested(void **state)
{
    (void)state;
    static const th_exempt exempt[] = {
        {R(PARAM_01), "no transport-facing parameter exchange: rev and maximum are fixed at init"},
        {R(SIZE_04), "the maximum is the harness's choice; larger ones are accepted to test them"},
        {R(REV_07), "one transport revision exists, so there are no earlier bus requirements"},
        {R(REV_08), "no revision or transport feature exists that the relay could lack"},
        {R(DEVNUM_01), "device numbers are given to the model as a set, never assigned by it"},
        {R(HDR_13), "the model's link has no framing: every message is exactly msg_size bytes"},
        {R(R3_13), "the model's link has no framing: every message is exactly msg_size bytes"},
        {R(NOTIF_11), "polling policy: the model has no notification mechanism other than events"},
        {R(NOTIF_12), "out-of-band notification is not modelled; features pass through untouched"},
        {R(PING_02), "no clocks: what to do about a missing PING reply is the upper layer's call"},
    };
    expect_role_covered(VCF_ACTOR_BUS, exempt, sizeof exempt / sizeof *exempt, true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_default),
        cmocka_unit_test(test_init_checks),
        cmocka_unit_test(test_getdev_g9),
        cmocka_unit_test(test_getdev_spec_example_last_window),
        cmocka_unit_test(test_getdev_windows_by_size),
        cmocka_unit_test(test_getdev_past_last_device),
        cmocka_unit_test(test_getdev_count_zero),
        cmocka_unit_test(test_getdev_misaligned_discarded),
        cmocka_unit_test(test_getdev_misaligned_rounded),
        cmocka_unit_test(test_ping_echo),
        cmocka_unit_test(test_responder_tokens),
        cmocka_unit_test(test_responder_header_values),
        cmocka_unit_test(test_malformed_discarded),
        cmocka_unit_test(test_no_reply_to_events),
        cmocka_unit_test(test_hotplug_announced),
        cmocka_unit_test(test_enumerate_windows),
        cmocka_unit_test(test_enumerate_peer_violations),
        cmocka_unit_test(test_ping_requester),
        cmocka_unit_test(test_event_device_followed),
        cmocka_unit_test(test_relay_forward),
        cmocka_unit_test(test_relay_unvalidated),
        cmocka_unit_test(test_relay_size_limit),
        cmocka_unit_test(test_relay_malformed),
        cmocka_unit_test(test_relay_in_order),
        cmocka_unit_test(test_relay_interleaved_devices),
        cmocka_unit_test(test_relay_duplicates),
        cmocka_unit_test(test_relay_timeout),
        cmocka_unit_test(test_relay_hold_limits),
        cmocka_unit_test(test_relay_table_full),
        cmocka_unit_test(test_relay_events),
        cmocka_unit_test(test_relay_rfc3_tokens),
        cmocka_unit_test(test_relay_without_echo),
        cmocka_unit_test(test_relay_reserved_type_bits),
        cmocka_unit_test(test_relay_removal),
        cmocka_unit_test(test_profile_qemu),
        cmocka_unit_test(test_profile_optee),
        cmocka_unit_test(test_two_buses),
        cmocka_unit_test(test_random_relay),
        cmocka_unit_test(test_every_bus_rule_tested),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
