/* SPDX-License-Identifier: MIT */
/*
 * The virtio-msg device model: one group of tests per rule of the device's catalogue entries,
 * then the readings (options), the profiles, and long sequences. Requests are assembled byte by
 * byte; the golden vectors of virtio-msg-rules.md §12 must come out of the device byte for byte.
 */
#include "vmsg_model_test.h"

#define S_ACK  0x01u
#define S_DRV  0x02u
#define S_OK   0x04u
#define S_FEAT 0x08u
#define S_NR   0x40u
#define S_FAIL 0x80u

#define REQ 0x00u

static vcf_vmsg_output out;

/* ---- helpers --------------------------------------------------------------------------------- */

static vcf_vmsg_device *dev_with(const vcf_vmsg_device_config *cfg)
{
    vcf_vmsg_device *d = malloc(sizeof *d);
    assert_non_null(d);
    vcf_error err;
    assert_int_equal(vcf_vmsg_device_init(d, cfg, &err), VCF_OK);
    return d;
}

static vcf_vmsg_device *dev(void)
{
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    return dev_with(&cfg);
}

/* Send a request with the given payload; returns the model's status. */
static int send(vcf_vmsg_device *d, uint8_t msg_id, uint16_t token, const void *payload,
                size_t plen)
{
    uint8_t buf[512];
    size_t n = th_msg(buf, sizeof buf, REQ, msg_id, 1, token, payload, plen);
    return vcf_vmsg_device_rx(d, buf, n, &out);
}

static int send_raw(vcf_vmsg_device *d, const char *hex)
{
    uint8_t buf[512];
    size_t n = th_hex(hex, buf, sizeof buf);
    return vcf_vmsg_device_rx(d, buf, n, &out);
}

static int send32(vcf_vmsg_device *d, uint8_t msg_id, uint32_t v)
{
    uint8_t p[4];
    th_put32(p, v);
    return send(d, msg_id, 7, p, 4);
}

static int send32x2(vcf_vmsg_device *d, uint8_t msg_id, uint32_t a, uint32_t b)
{
    uint8_t p[8];
    th_put32(p, a);
    th_put32(p + 4, b);
    return send(d, msg_id, 7, p, 8);
}

/* The single response must equal hex. */
static void expect_bytes(const char *hex)
{
    uint8_t want[512];
    size_t n = th_hex(hex, want, sizeof want);
    const vcf_vmsg_tx *tx = th_one_tx(&out);
    assert_int_equal(tx->dest, VCF_VMSG_TO_PEER);
    assert_int_equal(tx->len, n);
    assert_bytes_equal(tx->data, want, n);
}

static const uint8_t *resp(void)
{
    return th_one_tx(&out)->data;
}

static uint32_t status_of(vcf_vmsg_device *d, uint32_t write)
{
    assert_int_equal(send32(d, VCF_VMSG_SET_DEVICE_STATUS, write), VCF_OK);
    return th_get32(resp() + 8);
}

static void write_features(vcf_vmsg_device *d, uint32_t b0, uint32_t b1)
{
    uint8_t p[16];
    th_put32(p, 0);
    th_put32(p + 4, 2);
    th_put32(p + 8, b0);
    th_put32(p + 12, b1);
    assert_int_equal(send(d, VCF_VMSG_SET_DRIVER_FEATURES, 3, p, 16), VCF_OK);
    expect_bytes("01 04 01 00 03 00 08 00");
}

#define V1 (1u << (VCF_VIRTIO_F_VERSION_1 - 32))
#define RR (1u << (VCF_VIRTIO_F_RING_RESET - 32))
#define ND (1u << (VCF_VIRTIO_F_NOTIFICATION_DATA - 32))

/* Reset, ACKNOWLEDGE, DRIVER, features b1 (block 1), FEATURES_OK; returns the status. */
static uint32_t negotiate(vcf_vmsg_device *d, uint32_t b1)
{
    assert_int_equal(status_of(d, 0), 0);
    assert_int_equal(status_of(d, S_ACK), S_ACK);
    assert_int_equal(status_of(d, S_ACK | S_DRV), S_ACK | S_DRV);
    write_features(d, 0, b1);
    return status_of(d, S_ACK | S_DRV | S_FEAT);
}

static void set_vq(vcf_vmsg_device *d, uint32_t i, uint32_t size, uint64_t desc, uint64_t drv,
                   uint64_t devarea)
{
    uint8_t p[40] = {0};
    th_put32(p, i);
    th_put32(p + 8, size);
    th_put64(p + 16, desc);
    th_put64(p + 24, drv);
    th_put64(p + 32, devarea);
    assert_int_equal(send(d, VCF_VMSG_SET_VQUEUE, 3, p, 40), VCF_OK);
    expect_bytes("01 0a 01 00 03 00 08 00");
}

/* A device brought to DRIVER_OK with queue 0 configured. */
static vcf_vmsg_device *live(vcf_vmsg_device *d, uint32_t b1)
{
    assert_int_equal(negotiate(d, b1), S_ACK | S_DRV | S_FEAT);
    set_vq(d, 0, 256, 0x40001000, 0x40002000, 0x40003000);
    assert_int_equal(status_of(d, 0x0F), 0x0F);
    return d;
}

/* ---- device information ---------------------------------------------------------------------- */

static void test_g1_device_info(void **state)
{
    (void)state;
    vcf_vmsg_device *d = dev();
    assert_int_equal(send_raw(d, "00 02 01 00 01 00 08 00"), VCF_OK);
    expect_bytes("01 02 01 00 01 00 20 00 | 01 00 00 00 51 45 4d 55 40 00 00 00 0c 00 00 00"
                 "03 00 00 00 00 00 00 00");
    expect_no_verdict(&out);
    covers(R(INFO_02));
    covers(R(END_02));
    covers(R(HDR_06));
    covers(R(HDR_07));
    covers(R(HDR_08));
    free(d);
}

static void test_inactive_device(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.inactive = true;
    vcf_vmsg_device *d = dev_with(&cfg);
    /* A2: an inactive device answers GET_DEVICE_INFO with every field 0 */
    assert_int_equal(send(d, VCF_VMSG_GET_DEVICE_INFO, 1, NULL, 0), VCF_OK);
    expect_bytes("01 02 01 00 01 00 20 00"
                 "000000000000000000000000000000000000000000000000");
    /* and nothing else */
    assert_int_equal(send(d, VCF_VMSG_GET_DEVICE_STATUS, 2, NULL, 0), VCF_E_STATE);
    th_no_tx(&out);
    expect_verdict(&out, R(INFO_02), VCF_VMSG_ACT_DROP);
    vcf_vmsg_device_set_active(d, true);
    assert_int_equal(send(d, VCF_VMSG_GET_DEVICE_STATUS, 2, NULL, 0), VCF_OK);
    free(d);

    cfg.link.opt.inactive_silent = true;
    d = dev_with(&cfg);
    assert_int_equal(send(d, VCF_VMSG_GET_DEVICE_INFO, 1, NULL, 0), VCF_E_STATE);
    th_no_tx(&out);
    free(d);
}

/* ---- header, tokens, malformed messages ---------------------------------------------------------
 */

static void test_token_handling(void **state)
{
    (void)state;
    vcf_vmsg_device *d = dev();
    /* PR28: the token is opaque; the device copies it (A13) whatever its value */
    const uint16_t tokens[] = {0, 1, 0x8000, 0xFFFF};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(send(d, VCF_VMSG_GET_DEVICE_STATUS, tokens[i], NULL, 0), VCF_OK);
        assert_int_equal(th_get16(resp() + 4), tokens[i]);
        assert_int_equal(th_get32(resp() + 8), 0);
    }
    covers(R(HDR_10));
    free(d);

    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.opt.echo_token = false;
    d = dev_with(&cfg);
    assert_int_equal(send(d, VCF_VMSG_GET_DEVICE_STATUS, 0x1234, NULL, 0), VCF_OK);
    assert_int_equal(th_get16(resp() + 4), 0);
    free(d);

    /* RFC3: requests carry a non-zero token, echoed; token 0 is malformed and dropped */
    cfg.link.opt.echo_token = false;
    cfg.link.rev = VCF_VMSG_REV_RFC3;
    d = dev_with(&cfg);
    assert_int_equal(send(d, VCF_VMSG_GET_DEVICE_STATUS, 0x1234, NULL, 0), VCF_OK);
    assert_int_equal(th_get16(resp() + 4), 0x1234);
    covers(R(R3_02));
    assert_int_not_equal(send(d, VCF_VMSG_GET_DEVICE_STATUS, 0, NULL, 0), VCF_OK);
    th_no_tx(&out);
    expect_verdict(&out, R(R3_01), VCF_VMSG_ACT_DROP);
    covers(R(R3_05));
    free(d);
}

static void test_reserved_type_bits_ignored(void **state)
{
    (void)state;
    vcf_vmsg_device *d = dev();
    /* bits 2..7 of type set: noted and ignored; the request is answered, the response clean */
    assert_int_equal(send_raw(d, "fc 07 01 00 09 00 08 00"), VCF_OK);
    expect_bytes("01 07 01 00 09 00 0c 00 00 00 00 00");
    expect_verdict(&out, R(HDR_15), VCF_VMSG_ACT_NOTE);
    covers(R(HDR_06));
    free(d);
}

static void test_malformed_discarded(void **state)
{
    (void)state;
    vcf_vmsg_device *d = dev();
    static const char *const bad[] = {
        "00 07 01 00 01 00",          /* truncated header */
        "00 07 01 00 01 00 04 00",    /* msg_size below 8 */
        "00 07 01 00 01 00 0c 00",    /* msg_size past the buffer */
        "00 07 01 00 01 00 08 00 00", /* trailing byte */
        "00 08 01 00 01 00 08 00",    /* SET_DEVICE_STATUS without its payload */
        "00 0d 01 00 01 00 08 00",    /* undefined ID */
        "00 3f 01 00 01 00 08 00",    /* undefined ID */
        "00 80 01 00 01 00 08 00",    /* implementation-defined request, unsupported */
        "00 c0 01 00 01 00 08 00",    /* implementation-defined event */
        "01 07 01 00 01 00 08 00",    /* a response sent to the device */
        "41 41 01 00 01 00 10 00 00000000 00000000", /* response bit on an event ID */
        "02 03 00 00 01 00 0c 00 ef be ad de",       /* a bus PING: devices implement none */
        "00 40 01 00 00 00 18 00 00000000 00000000 00000000 00000000", /* EVENT_CONFIG */
        "00 42 01 00 00 00 0c 00 00000000",                            /* EVENT_USED */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_not_equal(send_raw(d, bad[i]), VCF_OK);
        th_no_tx(&out);
        expect_verdict(&out, R(ERR_04), VCF_VMSG_ACT_DROP);
    }
    covers(R(REV_02)); /* requests for what the device does not support are ignored */
    covers(R(REV_06));
    assert_int_equal(vcf_vmsg_device_status(d), 0);

    /* RFC3 reserves transport IDs from 0x80: dropped too (R3-05) */
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.rev = VCF_VMSG_REV_RFC3;
    vcf_vmsg_device *r3 = dev_with(&cfg);
    assert_int_not_equal(send_raw(r3, "00 80 01 00 01 00 08 00"), VCF_OK);
    th_no_tx(&out);
    expect_verdict(&out, R(ERR_04), VCF_VMSG_ACT_DROP);
    /* msg_size below 8 is malformed under RFC3 as well (R3-03) */
    assert_int_not_equal(send_raw(r3, "00 07 01 00 01 00 07 00"), VCF_OK);
    th_no_tx(&out);
    covers(R(R3_03));
    free(r3);

    /* addressed to another device number: not for this device */
    assert_int_equal(send_raw(d, "00 07 02 00 01 00 08 00"), VCF_E_NOTFOUND);
    th_no_tx(&out);
    expect_verdict(&out, R(HDR_03), VCF_VMSG_ACT_DROP);
    free(d);
}

static void test_oversized_request_dropped(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.max_msg_size = 48;
    vcf_vmsg_device *d = dev_with(&cfg);
    live(d, V1);
    uint8_t p[48] = {0};
    th_put32(p, 0);
    th_put32(p + 4, 0);
    th_put32(p + 8, 32); /* SET_CONFIG of 32 bytes: 52 > 48 */
    assert_int_equal(send(d, VCF_VMSG_SET_CONFIG, 3, p, 44), VCF_E_TOO_LARGE);
    th_no_tx(&out);
    expect_verdict(&out, R(SIZE_01), VCF_VMSG_ACT_DROP);
    free(d);
}

static void test_optee_answers_what_it_should_drop(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.profile = VCF_VMSG_PROFILE_OPTEE;
    vcf_vmsg_device *d = dev_with(&cfg);
    assert_int_not_equal(send_raw(d, "00 0d 01 00 05 00 08 00"), VCF_OK);
    expect_bytes("01 0d 01 00 05 00 08 00");
    expect_impl(&out, R(ERR_04), R(ERR_06), VCF_VMSG_ACT_DEVIATE);
    live(d, V1);
    assert_int_equal(send32x2(d, VCF_VMSG_EVENT_AVAIL, 0, 0), VCF_OK);
    expect_bytes("01 41 01 00 07 00 08 00");
    expect_impl(&out, R(ERR_04), R(ERR_06), VCF_VMSG_ACT_DEVIATE);
    expect_event(&out, VCF_VMSG_EV_AVAIL);
    free(d);
}

/* ---- features ----------------------------------------------------------------------------------
 */

static void test_g5_features_zero_beyond_implemented(void **state)
{
    (void)state;
    vcf_vmsg_device *d = dev();
    assert_int_equal(send_raw(d, "00 03 01 00 05 00 10 00 00 00 00 00 02 00 00 00"), VCF_OK);
    expect_bytes("01 03 01 00 05 00 18 00 | 00 00 00 00 02 00 00 00 00 00 00 00 01 01 00 00");
    covers(R(R3_08));
    /* blocks 1..4: block 1, then zeros */
    assert_int_equal(send32x2(d, VCF_VMSG_GET_DEVICE_FEATURES, 1, 4), VCF_OK);
    expect_bytes("01 03 01 00 07 00 20 00 | 01000000 04000000 01010000 00000000 00000000 "
                 "00000000");
    /* an index that wraps 32 bits: all zero */
    assert_int_equal(send32x2(d, VCF_VMSG_GET_DEVICE_FEATURES, 0xFFFFFFFFu, 2), VCF_OK);
    expect_bytes("01 03 01 00 07 00 18 00 | ffffffff 02000000 00000000 00000000");
    /* no blocks asked for: none returned */
    assert_int_equal(send32x2(d, VCF_VMSG_GET_DEVICE_FEATURES, 0, 0), VCF_OK);
    expect_bytes("01 03 01 00 07 00 10 00 | 00000000 00000000");
    covers(R(FEAT_01));
    free(d);
}

static void test_features_response_too_large(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    vcf_vmsg_device *d = dev_with(&cfg);
    /* 16 + 4 * 63 = 268 > 264: the device cannot answer within the maximum (A15) */
    assert_int_equal(send32x2(d, VCF_VMSG_GET_DEVICE_FEATURES, 0, 63), VCF_E_TOO_LARGE);
    th_no_tx(&out);
    expect_verdict(&out, R(SIZE_02), VCF_VMSG_ACT_DROP);
    assert_int_equal(send32x2(d, VCF_VMSG_GET_DEVICE_FEATURES, 0, 62), VCF_OK);
    assert_int_equal(th_one_tx(&out)->len, 264);
    free(d);

    cfg.link.opt.oversize = VCF_VMSG_OVERSIZE_CLAMP;
    d = dev_with(&cfg);
    assert_int_equal(send32x2(d, VCF_VMSG_GET_DEVICE_FEATURES, 0, 0xFFFFFFFFu), VCF_OK);
    assert_int_equal(th_one_tx(&out)->len, 264);
    assert_int_equal(th_get32(resp() + 12), 62);
    expect_verdict(&out, R(SIZE_02), VCF_VMSG_ACT_NOTE);
    covers(R(SIZE_02));
    free(d);
}

static void test_features_ok_accepted_and_recorded(void **state)
{
    (void)state;
    vcf_vmsg_device *d = dev();
    /* any subset of the offer is accepted (BASE-17) */
    assert_int_equal(negotiate(d, V1), S_ACK | S_DRV | S_FEAT);
    expect_no_verdict(&out);
    assert_int_equal(vcf_vmsg_device_features(d, 1), V1);
    covers(R(FEAT_06));
    /* after a reset the same set is accepted again */
    assert_int_equal(negotiate(d, V1), S_ACK | S_DRV | S_FEAT);
    assert_int_equal(negotiate(d, V1 | RR), S_ACK | S_DRV | S_FEAT);
    assert_int_equal(negotiate(d, 0), S_ACK | S_DRV | S_FEAT);
    covers(R(BASE_17));
    /* the response and GET_DEVICE_STATUS agree */
    assert_int_equal(send(d, VCF_VMSG_GET_DEVICE_STATUS, 1, NULL, 0), VCF_OK);
    assert_int_equal(th_get32(resp() + 8), S_ACK | S_DRV | S_FEAT);
    covers(R(STATUS_05));
    free(d);
}

static void test_g2_features_ok_refused(void **state)
{
    (void)state;
    vcf_vmsg_device *d = dev();
    assert_int_equal(status_of(d, S_ACK), S_ACK);
    assert_int_equal(status_of(d, S_ACK | S_DRV), S_ACK | S_DRV);
    write_features(d, 0, V1 | ND); /* NOTIFICATION_DATA was not offered */
    assert_int_equal(send_raw(d, "00 08 01 00 02 00 0c 00 0b 00 00 00"), VCF_OK);
    expect_bytes("01 08 01 00 02 00 0c 00 03 00 00 00");
    expect_verdict(&out, R(BASE_08), VCF_VMSG_ACT_NOTE);
    expect_verdict(&out, R(FEAT_07), VCF_VMSG_ACT_NOTE);
    covers(R(FEAT_04));
    covers(R(BASE_09));
    covers(R(STATUS_06));
    /* GET_DEVICE_STATUS shows the refusal too */
    assert_int_equal(send(d, VCF_VMSG_GET_DEVICE_STATUS, 1, NULL, 0), VCF_OK);
    assert_int_equal(th_get32(resp() + 8), S_ACK | S_DRV);
    /* bits beyond the device's blocks are refused as well */
    assert_int_equal(status_of(d, 0), 0);
    assert_int_equal(status_of(d, S_ACK | S_DRV), S_ACK | S_DRV);
    uint8_t p[12];
    th_put32(p, 20);
    th_put32(p + 4, 1);
    th_put32(p + 8, 1);
    assert_int_equal(send(d, VCF_VMSG_SET_DRIVER_FEATURES, 3, p, 12), VCF_OK);
    assert_int_equal(status_of(d, 0x0B), S_ACK | S_DRV);
    expect_verdict(&out, R(BASE_08), VCF_VMSG_ACT_NOTE);
    free(d);
}

static void test_required_feature_missing(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.required[1] = V1;
    vcf_vmsg_device *d = dev_with(&cfg);
    assert_int_equal(negotiate(d, RR), S_ACK | S_DRV);
    expect_verdict(&out, R(FEAT_04), VCF_VMSG_ACT_NOTE);
    assert_int_equal(negotiate(d, V1 | RR), S_ACK | S_DRV | S_FEAT);
    free(d);
}

static void test_qemu_never_refuses_features(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.profile = VCF_VMSG_PROFILE_QEMU;
    vcf_vmsg_device *d = dev_with(&cfg);
    assert_int_equal(negotiate(d, V1 | ND), S_ACK | S_DRV | S_FEAT);
    expect_impl(&out, R(FEAT_07), R(FEAT_08), VCF_VMSG_ACT_DEVIATE);
    free(d);
}

static void test_features_fixed_after_features_ok(void **state)
{
    (void)state;
    vcf_vmsg_device *d = dev();
    assert_int_equal(negotiate(d, V1), S_ACK | S_DRV | S_FEAT);
    uint8_t p[12];
    th_put32(p, 1);
    th_put32(p + 4, 1);
    th_put32(p + 8, V1 | RR);
    assert_int_equal(send(d, VCF_VMSG_SET_DRIVER_FEATURES, 3, p, 12), VCF_OK);
    expect_bytes("01 04 01 00 03 00 08 00"); /* still answered */
    expect_verdict(&out, R(BASE_02), VCF_VMSG_ACT_NOTE);
    assert_int_equal(vcf_vmsg_device_features(d, 1), V1);
    /* before DRIVER: noted, not applied */
    assert_int_equal(status_of(d, 0), 0);
    assert_int_equal(send(d, VCF_VMSG_SET_DRIVER_FEATURES, 3, p, 12), VCF_OK);
    expect_verdict(&out, R(BASE_01), VCF_VMSG_ACT_NOTE);
    assert_null(vcf_vmsg_output_event(&out, VCF_VMSG_EV_FEATURES));
    free(d);

    /* the "apply" reading takes them anyway */
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.opt.on_violation = VCF_VMSG_VIOLATION_APPLY;
    d = dev_with(&cfg);
    assert_int_equal(negotiate(d, V1), S_ACK | S_DRV | S_FEAT);
    assert_int_equal(send(d, VCF_VMSG_SET_DRIVER_FEATURES, 3, p, 12), VCF_OK);
    expect_verdict(&out, R(BASE_02), VCF_VMSG_ACT_NOTE);
    assert_int_equal(vcf_vmsg_device_features(d, 1), V1 | RR);
    free(d);
}

static void test_feature_report_reading(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    vcf_vmsg_device *d = dev_with(&cfg);
    assert_int_equal(negotiate(d, V1), S_ACK | S_DRV | S_FEAT);
    assert_int_equal(send32x2(d, VCF_VMSG_GET_DEVICE_FEATURES, 1, 1), VCF_OK);
    assert_int_equal(th_get32(resp() + 16), V1 | RR); /* offered (default) */
    free(d);
    cfg.link.opt.report = VCF_VMSG_REPORT_ACKED;
    d = dev_with(&cfg);
    assert_int_equal(negotiate(d, V1), S_ACK | S_DRV | S_FEAT);
    assert_int_equal(send32x2(d, VCF_VMSG_GET_DEVICE_FEATURES, 1, 1), VCF_OK);
    assert_int_equal(th_get32(resp() + 16), V1); /* acknowledged */
    free(d);
}

/* ---- status and reset --------------------------------------------------------------------------
 */

static void test_reset_by_writing_zero(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.opt.gen_init = 41;
    vcf_vmsg_device *d = dev_with(&cfg);
    live(d, V1 | RR);
    uint8_t mtu[2] = {0x00, 0x10};
    assert_int_equal(vcf_vmsg_device_config_change(d, 10, mtu, 2, &out), VCF_OK);
    assert_int_equal(vcf_vmsg_device_generation(d), 42);
    assert_int_equal(status_of(d, 0), 0);
    expect_event(&out, VCF_VMSG_EV_RESET);
    /* queues, features and status gone; generation kept (GEN-07) */
    assert_int_equal(vcf_vmsg_device_vq(d, 0)->state, VCF_VMSG_VQ_INACTIVE);
    assert_int_equal(send32(d, VCF_VMSG_GET_VQUEUE, 0), VCF_OK);
    expect_bytes("01 09 01 00 07 00 30 00 | 00000000 00010000 00000000 00000000"
                 "0000000000000000 0000000000000000 0000000000000000");
    assert_int_equal(vcf_vmsg_device_features(d, 1), 0);
    assert_int_equal(vcf_vmsg_device_generation(d), 42);
    covers(R(STATUS_04));
    covers(R(GEN_07));
    /* silent after reset: no used-buffer notification, no config event */
    assert_int_equal(vcf_vmsg_device_used(d, 0, &out), VCF_E_STATE);
    th_no_tx(&out);
    assert_int_equal(vcf_vmsg_device_config_change(d, 10, mtu, 2, &out), VCF_OK);
    th_no_tx(&out);
    covers(R(BASE_10));
    free(d);
}

static void test_status_bits_cleared(void **state)
{
    (void)state;
    vcf_vmsg_device *d = dev();
    assert_int_equal(negotiate(d, V1), 0x0B);
    /* clearing bits without a reset: noted, status unchanged, answered accurately (A14) */
    assert_int_equal(status_of(d, S_ACK | S_DRV), 0x0B);
    expect_verdict(&out, R(BASE_05), VCF_VMSG_ACT_NOTE);
    /* the same value twice is fine */
    assert_int_equal(status_of(d, 0x0B), 0x0B);
    expect_no_verdict(&out);
    /* bits 8..31 are ignored (A12) */
    assert_int_equal(status_of(d, 0x10B), 0x0B);
    /* FAILED may be added at any step */
    assert_int_equal(status_of(d, 0x8B), 0x8B);
    free(d);

    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.opt.on_violation = VCF_VMSG_VIOLATION_APPLY;
    d = dev_with(&cfg);
    assert_int_equal(negotiate(d, V1), 0x0B);
    assert_int_equal(status_of(d, S_ACK), S_ACK);
    expect_verdict(&out, R(BASE_05), VCF_VMSG_ACT_NOTE);
    free(d);
}

static void test_status_order(void **state)
{
    (void)state;
    vcf_vmsg_device *d = dev();
    /* skipping steps is noted, applied by default */
    assert_int_equal(status_of(d, 0x0F), 0x0F);
    expect_verdict(&out, R(BASE_01), VCF_VMSG_ACT_NOTE);
    free(d);
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.opt.status_order_enforced = true;
    d = dev_with(&cfg);
    assert_int_equal(status_of(d, S_DRV), 0);
    expect_verdict(&out, R(BASE_01), VCF_VMSG_ACT_NOTE);
    assert_int_equal(status_of(d, S_ACK), S_ACK);
    free(d);
}

static void test_g7_needs_reset(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.opt.gen_init = 7;
    vcf_vmsg_device *d = dev_with(&cfg);
    live(d, V1);
    assert_int_equal(vcf_vmsg_device_fail(d, &out), VCF_OK);
    expect_bytes("00 40 01 00 00 00 18 00 | 4f 00 00 00 07 00 00 00 00 00 00 00 00 00 00 00");
    covers(R(BASE_07));
    covers(R(RESET_03));
    covers(R(NOTIF_06));
    /* sticky: a status write keeps it until the driver resets */
    assert_int_equal(status_of(d, 0x0F), 0x4F);
    assert_int_equal(status_of(d, 0x4F), 0x4F);
    expect_verdict(&out, R(BASE_05), VCF_VMSG_ACT_NOTE); /* the driver wrote the device's bit */
    assert_int_equal(status_of(d, 0), 0);
    covers(R(ERR_05)); /* recovery went through the reset rules */
    /* before the driver started: nothing to announce to, the bit waits */
    assert_int_equal(vcf_vmsg_device_fail(d, &out), VCF_OK);
    th_no_tx(&out);
    assert_int_equal(send(d, VCF_VMSG_GET_DEVICE_STATUS, 1, NULL, 0), VCF_OK);
    assert_int_equal(th_get32(resp() + 8), S_NR);
    free(d);
}

/* ---- configuration ------------------------------------------------------------------------------
 */

static void test_get_config(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.opt.gen_init = 0x11223344;
    vcf_vmsg_device *d = dev_with(&cfg);
    assert_int_equal(send32x2(d, VCF_VMSG_GET_CONFIG, 0, 6), VCF_OK);
    expect_bytes("01 05 01 00 07 00 1a 00 | 44332211 00000000 06000000 525400123456");
    covers(R(CFG_02));
    /* length 0: a generation probe */
    assert_int_equal(send32x2(d, VCF_VMSG_GET_CONFIG, 12, 0), VCF_OK);
    expect_bytes("01 05 01 00 07 00 14 00 | 44332211 0c000000 00000000");
    /* past the end, or a 32-bit overflow: the driver's violation, no answer (A15) */
    assert_int_equal(send32x2(d, VCF_VMSG_GET_CONFIG, 10, 4), VCF_E_RANGE);
    th_no_tx(&out);
    expect_verdict(&out, R(CFG_01), VCF_VMSG_ACT_DROP);
    assert_int_equal(send32x2(d, VCF_VMSG_GET_CONFIG, 0xFFFFFFFFu, 2), VCF_E_RANGE);
    th_no_tx(&out);
    free(d);

    cfg.link.opt.oversize = VCF_VMSG_OVERSIZE_CLAMP;
    d = dev_with(&cfg);
    assert_int_equal(send32x2(d, VCF_VMSG_GET_CONFIG, 10, 4), VCF_OK);
    expect_bytes("01 05 01 00 07 00 16 00 | 44332211 0a000000 02000000 dc05");
    expect_verdict(&out, R(CFG_01), VCF_VMSG_ACT_NOTE);
    free(d);
}

static void test_get_config_too_large(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.max_msg_size = 48;
    cfg.config_size = 64;
    vcf_vmsg_device *d = dev_with(&cfg);
    assert_int_equal(send32x2(d, VCF_VMSG_GET_CONFIG, 0, 29), VCF_E_TOO_LARGE);
    th_no_tx(&out);
    expect_verdict(&out, R(SIZE_02), VCF_VMSG_ACT_DROP);
    assert_int_equal(send32x2(d, VCF_VMSG_GET_CONFIG, 0, 28), VCF_OK);
    assert_int_equal(th_one_tx(&out)->len, 48);
    free(d);
}

static size_t set_config_payload(uint8_t *p, uint32_t gen, uint32_t off, const char *hex)
{
    size_t n = th_hex(hex, p + 12, 64);
    th_put32(p, gen);
    th_put32(p + 4, off);
    th_put32(p + 8, (uint32_t)n);
    return 12 + n;
}

static void test_g4_stale_set_config_rejected(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.opt.gen_init = 6;
    vcf_vmsg_device *d = dev_with(&cfg);
    assert_int_equal(negotiate(d, V1), 0x0B);
    assert_int_equal(
        send_raw(d, "00 06 01 00 04 00 16 00 | 05 00 00 00 00 00 00 00 02 00 00 00 aa bb"), VCF_OK);
    expect_bytes("01 06 01 00 04 00 14 00 | 06 00 00 00 00 00 00 00 00 00 00 00");
    expect_verdict(&out, R(GEN_03), VCF_VMSG_ACT_NOTE);
    covers(R(GEN_04));
    assert_int_equal(vcf_vmsg_device_config_space(d)[0], 0x52);
    /* with the current generation it is applied; the response gives the resulting count */
    uint8_t p[80];
    size_t n = set_config_payload(p, 6, 0, "aa bb");
    assert_int_equal(send(d, VCF_VMSG_SET_CONFIG, 4, p, n), VCF_OK);
    expect_bytes("01 06 01 00 04 00 14 00 | 06 00 00 00 00 00 00 00 02 00 00 00");
    expect_event(&out, VCF_VMSG_EV_CONFIG_WRITTEN);
    assert_int_equal(vcf_vmsg_device_config_space(d)[1], 0xbb);
    free(d);

    /* QEMU applies stale writes */
    cfg.link.profile = VCF_VMSG_PROFILE_QEMU;
    d = dev_with(&cfg);
    assert_int_equal(negotiate(d, V1), 0x0B);
    n = set_config_payload(p, 5, 0, "aa bb");
    assert_int_equal(send(d, VCF_VMSG_SET_CONFIG, 4, p, n), VCF_OK);
    assert_int_equal(th_get32(resp() + 16), 2);
    expect_impl(&out, R(GEN_03), R(GEN_09), VCF_VMSG_ACT_DEVIATE);
    free(d);
}

static void test_set_config_readings(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    uint8_t p[80];
    /* before FEATURES_OK: rejected */
    vcf_vmsg_device *d = dev_with(&cfg);
    size_t n = set_config_payload(p, 0, 0, "aa");
    assert_int_equal(send(d, VCF_VMSG_SET_CONFIG, 4, p, n), VCF_OK);
    assert_int_equal(th_get32(resp() + 16), 0);
    expect_verdict(&out, R(BASE_01), VCF_VMSG_ACT_NOTE);
    /* past the end: rejected whole (default) */
    assert_int_equal(negotiate(d, V1), 0x0B);
    n = set_config_payload(p, 0, 10, "01 02 03 04");
    assert_int_equal(send(d, VCF_VMSG_SET_CONFIG, 4, p, n), VCF_OK);
    expect_bytes("01 06 01 00 04 00 14 00 | 00000000 0a000000 00000000");
    expect_verdict(&out, R(CFG_01), VCF_VMSG_ACT_NOTE);
    free(d);
    /* partial application, echo, generation bump */
    cfg.link.opt.partial_set_config = true;
    cfg.link.opt.set_config_echo = true;
    cfg.link.opt.set_config_bumps_gen = true;
    d = dev_with(&cfg);
    assert_int_equal(negotiate(d, V1), 0x0B);
    assert_int_equal(send(d, VCF_VMSG_SET_CONFIG, 4, p, n), VCF_OK);
    expect_bytes("01 06 01 00 04 00 16 00 | 01000000 0a000000 02000000 0102");
    free(d);
}

static void test_config_change_events(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.max_msg_size = 48;
    cfg.config_size = 64;
    vcf_vmsg_device *d = dev_with(&cfg);
    live(d, V1);
    uint8_t data[40];
    for (int i = 0; i < 40; i++)
        data[i] = (uint8_t)(0xA0 + i);
    /* fits: EVENT_CONFIG carries the data and a new generation */
    assert_int_equal(vcf_vmsg_device_config_change(d, 4, data, 2, &out), VCF_OK);
    expect_bytes("00 40 01 00 00 00 1a 00 | 0f000000 01000000 04000000 02000000 a0a1");
    covers(R(GEN_01));
    covers(R(CFG_05));
    /* too large for one event: length 0, the new generation, data readable (GEN-02/08) */
    assert_int_equal(vcf_vmsg_device_config_change(d, 8, data, 40, &out), VCF_OK);
    expect_bytes("00 40 01 00 00 00 18 00 | 0f000000 02000000 08000000 00000000");
    covers(R(GEN_02));
    covers(R(NOTIF_07));
    assert_int_equal(send32x2(d, VCF_VMSG_GET_CONFIG, 8, 28), VCF_OK);
    assert_int_equal(th_get32(resp() + 8), 2);
    assert_bytes_equal(resp() + 20, data, 28);
    covers(R(GEN_08));
    /* every data-carrying event has its own generation (R3-06) */
    uint32_t last = 2;
    for (int i = 0; i < 50; i++) {
        assert_int_equal(vcf_vmsg_device_config_change(d, 0, data + i % 8, 1, &out), VCF_OK);
        uint32_t g = th_get32(resp() + 12);
        assert_int_not_equal(g, last);
        last = g;
    }
    covers(R(R3_06));
    /* the generation wraps without trouble */
    free(d);
    cfg.link.opt.gen_init = 0xFFFFFFFFu;
    d = dev_with(&cfg);
    live(d, V1);
    assert_int_equal(vcf_vmsg_device_config_change(d, 0, data, 1, &out), VCF_OK);
    assert_int_equal(th_get32(resp() + 12), 0);
    /* out of range: refused, nothing sent */
    assert_int_equal(vcf_vmsg_device_config_change(d, 60, data, 8, &out), VCF_E_INVAL);
    th_no_tx(&out);
    free(d);
    /* NOTIF-06 makes the data optional: without it, length 0 even when it would fit */
    cfg.link.opt.gen_init = 0;
    cfg.link.opt.event_config_data = false;
    d = dev_with(&cfg);
    live(d, V1);
    assert_int_equal(vcf_vmsg_device_config_change(d, 4, data, 2, &out), VCF_OK);
    expect_bytes("00 40 01 00 00 00 18 00 | 0f000000 01000000 04000000 00000000");
    free(d);
}

/* ---- virtqueues and shared memory
 * ---------------------------------------------------------------- */

static void test_g3_set_and_get_vqueue(void **state)
{
    (void)state;
    vcf_vmsg_device *d = dev();
    assert_int_equal(negotiate(d, V1), 0x0B);
    /* before programming: max size, current 0 */
    assert_int_equal(send32(d, VCF_VMSG_GET_VQUEUE, 0), VCF_OK);
    assert_int_equal(th_get32(resp() + 12), 256);
    assert_int_equal(th_get32(resp() + 16), 0);
    covers(R(VQ_06));
    assert_int_equal(send_raw(d, "00 0a 01 00 03 00 30 00 | 00000000 00000000 00010000 00000000"
                                 "0010004000000000 0020004000000000 0030004000000000"),
                     VCF_OK);
    expect_bytes("01 0a 01 00 03 00 08 00");
    expect_event(&out, VCF_VMSG_EV_VQ_CONFIGURED);
    covers(R(VQ_08));
    assert_int_equal(send32(d, VCF_VMSG_GET_VQUEUE, 0), VCF_OK);
    expect_bytes("01 09 01 00 07 00 30 00 | 00000000 00010000 00010000 00000000"
                 "0010004000000000 0020004000000000 0030004000000000");
    covers(R(VQ_05));
    /* an index the device does not have: max size 0 */
    assert_int_equal(send32(d, VCF_VMSG_GET_VQUEUE, 3), VCF_OK);
    assert_int_equal(th_get32(resp() + 12), 0);
    assert_int_equal(send32(d, VCF_VMSG_GET_VQUEUE, 0xFFFFFFFFu), VCF_OK);
    assert_int_equal(th_get32(resp() + 8), 0xFFFFFFFFu);
    assert_int_equal(th_get32(resp() + 12), 0);
    free(d);
}

static void test_set_vqueue_rejections(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.opt.validate_queue_size = true;
    cfg.vq_max_size[2] = 0;
    vcf_vmsg_device *d = dev_with(&cfg);
    /* before FEATURES_OK */
    set_vq(d, 0, 256, 0x1000, 0x2000, 0x3000);
    expect_verdict(&out, R(INIT_02), VCF_VMSG_ACT_NOTE);
    assert_int_equal(vcf_vmsg_device_vq(d, 0)->state, VCF_VMSG_VQ_INACTIVE);
    assert_int_equal(negotiate(d, V1), 0x0B);
    struct {
        uint32_t index, size;
        uint64_t desc, drv, devarea;
        vcf_vmsg_rule rule;
    } cases[] = {
        {0, 512, 0x1000, 0x2000, 0x3000, R(VQ_02)}, /* above the maximum */
        {0, 0, 0x1000, 0x2000, 0x3000, R(VQ_02)},   /* size 0 */
        {0, 100, 0x1000, 0x2000, 0x3000, R(VQ_02)}, /* split ring, not a power of two */
        {0, 256, 0x1008, 0x2000, 0x3000, R(VQ_02)}, /* descriptor area misaligned */
        {0, 256, 0x1000, 0x2001, 0x3000, R(VQ_02)}, /* driver area misaligned */
        {0, 256, 0x1000, 0x2000, 0x3002, R(VQ_02)}, /* device area misaligned */
        {2, 256, 0x1000, 0x2000, 0x3000, R(VQ_07)}, /* maximum size 0 */
        {9, 256, 0x1000, 0x2000, 0x3000, R(VQ_07)}, /* no such queue */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        set_vq(d, cases[i].index, cases[i].size, cases[i].desc, cases[i].drv, cases[i].devarea);
        expect_verdict(&out, cases[i].rule, VCF_VMSG_ACT_NOTE);
        assert_null(vcf_vmsg_output_event(&out, VCF_VMSG_EV_VQ_CONFIGURED));
    }
    assert_int_equal(vcf_vmsg_device_vq(d, 0)->state, VCF_VMSG_VQ_INACTIVE);
    /* reserved words must be zero: noted, still applied */
    uint8_t p[40] = {0};
    th_put32(p + 4, 1);
    th_put32(p + 8, 64);
    assert_int_equal(send(d, VCF_VMSG_SET_VQUEUE, 3, p, 40), VCF_OK);
    expect_verdict(&out, R(VQ_13), VCF_VMSG_ACT_NOTE);
    assert_int_equal(vcf_vmsg_device_vq(d, 0)->size, 64);
    /* reprogramming a configured queue without a reset: noted, ignored (A14) */
    set_vq(d, 0, 128, 0x1000, 0x2000, 0x3000);
    expect_verdict(&out, R(VQ_03), VCF_VMSG_ACT_NOTE);
    assert_int_equal(vcf_vmsg_device_vq(d, 0)->size, 64);
    free(d);
}

static void test_vqueue_after_driver_ok(void **state)
{
    (void)state;
    vcf_vmsg_device *d = live(dev(), V1);
    assert_int_equal(vcf_vmsg_device_vq(d, 0)->state, VCF_VMSG_VQ_LIVE);
    covers(R(FINAL_05));
    /* an extra queue after initialisation is honoured and live at once */
    set_vq(d, 1, 128, 0x50000000, 0x50004000, 0x50008000);
    expect_no_verdict(&out);
    assert_int_equal(vcf_vmsg_device_vq(d, 1)->state, VCF_VMSG_VQ_LIVE);
    covers(R(VQ_12));
    free(d);
}

static void test_reset_vqueue(void **state)
{
    (void)state;
    vcf_vmsg_device *d = live(dev(), V1 | RR);
    assert_int_equal(send32(d, VCF_VMSG_RESET_VQUEUE, 0), VCF_OK);
    expect_bytes("01 0b 01 00 07 00 08 00");
    expect_no_verdict(&out);
    expect_event(&out, VCF_VMSG_EV_VQ_RESET);
    assert_int_equal(send32(d, VCF_VMSG_GET_VQUEUE, 0), VCF_OK);
    assert_int_equal(th_get32(resp() + 16), 0);
    assert_int_equal(th_get64(resp() + 24), 0);
    covers(R(VQ_09));
    /* the reset queue stays quiet and ignores notifications */
    assert_int_equal(vcf_vmsg_device_used(d, 0, &out), VCF_E_NOTFOUND);
    th_no_tx(&out);
    expect_verdict(&out, R(BASE_13), VCF_VMSG_ACT_REFUSE);
    assert_int_equal(send32x2(d, VCF_VMSG_EVENT_AVAIL, 0, 0), VCF_E_NOTFOUND);
    th_no_tx(&out);
    /* and can be programmed again */
    set_vq(d, 0, 128, 0x1000, 0x2000, 0x3000);
    expect_no_verdict(&out);
    free(d);

    /* without RING_RESET: noted; honoured by default (VQ-10), a no-op with the option (A7) */
    d = live(dev(), V1);
    assert_int_equal(send32(d, VCF_VMSG_RESET_VQUEUE, 0), VCF_OK);
    expect_bytes("01 0b 01 00 07 00 08 00");
    expect_verdict(&out, R(VQ_04), VCF_VMSG_ACT_NOTE);
    assert_int_equal(vcf_vmsg_device_vq(d, 0)->state, VCF_VMSG_VQ_INACTIVE);
    covers(R(VQ_10));
    free(d);
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.opt.reset_vq_needs_ring_reset = true;
    d = live(dev_with(&cfg), V1);
    assert_int_equal(send32(d, VCF_VMSG_RESET_VQUEUE, 0), VCF_OK);
    expect_bytes("01 0b 01 00 07 00 08 00");
    assert_int_equal(vcf_vmsg_device_vq(d, 0)->state, VCF_VMSG_VQ_LIVE);
    free(d);
}

static void test_get_shm(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.num_shm = 2;
    cfg.shm[0] = (vcf_vmsg_shm_region){0x100000, 0x80000000u};
    cfg.shm[1] = (vcf_vmsg_shm_region){0, 0x1234};
    vcf_vmsg_device *d = dev_with(&cfg);
    assert_int_equal(send32(d, VCF_VMSG_GET_SHM, 0), VCF_OK);
    expect_bytes("01 0c 01 00 07 00 14 00 | 00000000 00001000 00000080");
    assert_int_equal(send32(d, VCF_VMSG_GET_SHM, 1), VCF_OK);
    expect_bytes("01 0c 01 00 07 00 14 00 | 01000000 00000000 00000000");
    assert_int_equal(send32(d, VCF_VMSG_GET_SHM, 7), VCF_OK);
    expect_bytes("01 0c 01 00 07 00 14 00 | 07000000 00000000 00000000");
    covers(R(SHM_01));
    free(d);
}

/* ---- notifications
 * -------------------------------------------------------------------------------- */

static void test_event_avail(void **state)
{
    (void)state;
    vcf_vmsg_device *d = dev();
    assert_int_equal(negotiate(d, V1), 0x0B);
    set_vq(d, 0, 256, 0x1000, 0x2000, 0x3000);
    /* before DRIVER_OK: not processed, never answered */
    assert_int_equal(send_raw(d, "00 41 01 00 00 00 10 00 | 00000000 00000000"), VCF_E_STATE);
    th_no_tx(&out);
    expect_verdict(&out, R(BASE_04), VCF_VMSG_ACT_DROP);
    assert_null(vcf_vmsg_output_event(&out, VCF_VMSG_EV_AVAIL));
    covers(R(FINAL_04));
    covers(R(BASE_06));
    assert_int_equal(status_of(d, 0x0F), 0x0F);
    /* a configured queue: passed to the device's upper layer, no response */
    assert_int_equal(send_raw(d, "00 41 01 00 00 00 10 00 | 00000000 00000000"), VCF_OK);
    th_no_tx(&out);
    assert_int_equal(expect_event(&out, VCF_VMSG_EV_AVAIL)->index, 0);
    /* G6 without NOTIFICATION_DATA: the offset is noted and ignored */
    assert_int_equal(send_raw(d, "00 41 01 00 00 00 10 00 | 00000000 05000080"), VCF_OK);
    th_no_tx(&out);
    expect_verdict(&out, R(NOTIF_03), VCF_VMSG_ACT_NOTE);
    assert_int_equal(expect_event(&out, VCF_VMSG_EV_AVAIL)->value, 0);
    /* a queue that is not configured */
    assert_int_equal(send_raw(d, "00 41 01 00 00 00 10 00 | 01000000 00000000"), VCF_E_NOTFOUND);
    th_no_tx(&out);
    expect_verdict(&out, R(FINAL_03), VCF_VMSG_ACT_DROP);
    free(d);

    /* G6 with NOTIFICATION_DATA: the offset is passed on */
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device_config_default(&cfg);
    cfg.offered[1] |= ND;
    d = live(dev_with(&cfg), V1 | ND);
    assert_int_equal(send_raw(d, "00 41 01 00 00 00 10 00 | 00000000 05000080"), VCF_OK);
    th_no_tx(&out);
    expect_no_verdict(&out);
    assert_int_equal(expect_event(&out, VCF_VMSG_EV_AVAIL)->value, 0x80000005u);
    free(d);
}

static void test_g8_event_used(void **state)
{
    (void)state;
    vcf_vmsg_device *d = dev();
    assert_int_equal(negotiate(d, V1), 0x0B);
    set_vq(d, 1, 256, 0x1000, 0x2000, 0x3000);
    assert_int_equal(vcf_vmsg_device_used(d, 1, &out), VCF_E_STATE);
    th_no_tx(&out);
    expect_verdict(&out, R(BASE_06), VCF_VMSG_ACT_REFUSE);
    assert_int_equal(status_of(d, 0x0F), 0x0F);
    assert_int_equal(vcf_vmsg_device_used(d, 1, &out), VCF_OK);
    expect_bytes("00 42 01 00 00 00 0c 00 01 00 00 00");
    covers(R(NOTIF_08));
    free(d);
}

/* ---- mandatory messages, sequences
 * ---------------------------------------------------------------- */

static void test_every_mandatory_message_answered(void **state)
{
    (void)state;
    vcf_vmsg_device *d = dev();
    assert_int_equal(negotiate(d, V1 | RR), 0x0B);
    uint8_t p[64] = {0};
    static const struct {
        uint8_t id;
        size_t plen;
    } reqs[] = {{VCF_VMSG_GET_DEVICE_INFO, 0},
                {VCF_VMSG_GET_DEVICE_FEATURES, 8},
                {VCF_VMSG_SET_DRIVER_FEATURES, 8},
                {VCF_VMSG_GET_CONFIG, 8},
                {VCF_VMSG_SET_CONFIG, 12},
                {VCF_VMSG_GET_DEVICE_STATUS, 0},
                {VCF_VMSG_SET_DEVICE_STATUS, 4},
                {VCF_VMSG_GET_VQUEUE, 4},
                {VCF_VMSG_SET_VQUEUE, 40},
                {VCF_VMSG_RESET_VQUEUE, 4},
                {VCF_VMSG_GET_SHM, 4}};
    for (size_t i = 0; i < sizeof reqs / sizeof *reqs; i++) {
        memset(p, 0, sizeof p);
        if (reqs[i].id == VCF_VMSG_SET_DEVICE_STATUS)
            th_put32(p, 0x0B);
        send(d, reqs[i].id, (uint16_t)(i + 1), p, reqs[i].plen);
        const vcf_vmsg_tx *tx = th_one_tx(&out);
        assert_int_equal(tx->data[0], 0x01);
        assert_int_equal(tx->data[1], reqs[i].id);
        assert_int_equal(th_get16(tx->data + 2), 1);
        assert_int_equal(th_get16(tx->data + 4), i + 1);
    }
    covers(R(MAND_01));
    free(d);
}

/* What holds after any input: at most one message; a response answers the request it follows
 * (type, msg_id, dev_num); no response to an event; msg_size exact and within the maximum;
 * reserved type bits clear; a reset leaves status 0 and every queue inactive. */
static void check_invariants(const vcf_vmsg_device *d, const uint8_t *req, size_t rlen,
                             uint32_t max)
{
    assert_true(out.n_tx <= 1);
    for (size_t i = 0; i < out.n_tx; i++) {
        const uint8_t *t = out.tx[i].data;
        assert_int_equal(out.tx[i].len, th_get16(t + 6));
        assert_true(out.tx[i].len <= max);
        assert_int_equal(t[0] & 0xFC, 0);
        assert_int_equal(th_get16(t + 2), 1);
        if (t[0] & 1) {
            assert_true(rlen >= 8);
            assert_true(req[1] < 0x40); /* never a response to an event */
            assert_int_equal(t[1], req[1]);
        }
    }
    if (rlen >= 12 && req[1] == VCF_VMSG_SET_DEVICE_STATUS && th_get32(req + 8) == 0 &&
        out.n_tx == 1) {
        assert_int_equal(vcf_vmsg_device_status(d), 0);
        for (unsigned q = 0; q < VCF_VMSG_MAX_VQS; q++)
            assert_int_equal(vcf_vmsg_device_vq(d, q)->state, VCF_VMSG_VQ_INACTIVE);
    }
}

static void test_random_sequences_keep_invariants(void **state)
{
    (void)state;
    static const uint32_t sizes[] = {44, 48, 264, 65535};
    th_seed(0x12345678u);
    for (size_t s = 0; s < 4; s++) {
        vcf_vmsg_device_config cfg;
        vcf_vmsg_device_config_default(&cfg);
        cfg.link.max_msg_size = sizes[s];
        cfg.config_size = 300;
        vcf_vmsg_device *d = dev_with(&cfg);
        for (int step = 0; step < 20000; step++) {
            uint8_t p[64];
            for (size_t i = 0; i < sizeof p; i++)
                p[i] = (uint8_t)(th_rand() % 4 == 0 ? th_rand() : th_rand() % 3);
            uint8_t id = (uint8_t)(th_rand() % 5 == 0 ? th_rand() : 0x02 + th_rand() % 11);
            if (th_rand() % 16 == 0)
                id = VCF_VMSG_EVENT_AVAIL;
            size_t plen = th_rand() % 45;
            uint8_t buf[128];
            size_t n = th_msg(buf, sizeof buf, (uint8_t)(th_rand() % 8 == 0 ? th_rand() : 0), id, 1,
                              (uint16_t)th_rand(), p, plen);
            switch (th_rand() % 64) {
            case 0: vcf_vmsg_device_fail(d, &out); break;
            case 1:
                vcf_vmsg_device_config_change(d, th_rand() % 300, p, th_rand() % 64, &out);
                break;
            case 2: vcf_vmsg_device_used(d, th_rand() % 4, &out); break;
            default: vcf_vmsg_device_rx(d, buf, n, &out); check_invariants(d, buf, n, sizes[s]);
            }
            assert_true(out.n_tx <= 1);
            for (size_t i = 0; i < out.n_tx; i++)
                assert_true(out.tx[i].len <= sizes[s]);
        }
        free(d);
    }
    covers(R(HDR_07));
}

static void test_reset_in_every_state(void **state)
{
    (void)state;
    /* walk the initialisation; after each step, a reset must return the device to its start */
    for (int stop = 0; stop < 7; stop++) {
        vcf_vmsg_device *d = dev();
        int step = 0;
        if (step++ < stop)
            status_of(d, S_ACK);
        if (step++ < stop)
            status_of(d, S_ACK | S_DRV);
        if (step++ < stop)
            write_features(d, 0, V1 | RR);
        if (step++ < stop)
            status_of(d, 0x0B);
        if (step++ < stop)
            set_vq(d, 0, 256, 0x1000, 0x2000, 0x3000);
        if (step++ < stop)
            status_of(d, 0x0F);
        if (step++ < stop)
            vcf_vmsg_device_fail(d, &out);
        uint32_t gen = vcf_vmsg_device_generation(d);
        assert_int_equal(status_of(d, 0), 0);
        assert_int_equal(vcf_vmsg_device_status(d), 0);
        assert_int_equal(vcf_vmsg_device_vq(d, 0)->state, VCF_VMSG_VQ_INACTIVE);
        assert_int_equal(vcf_vmsg_device_features(d, 1), 0);
        assert_int_equal(vcf_vmsg_device_generation(d), gen);
        /* and a full initialisation works again */
        live(d, V1 | RR);
        free(d);
    }
}

static void test_bad_configurations(void **state)
{
    (void)state;
    vcf_vmsg_device_config cfg;
    vcf_vmsg_device *d = malloc(sizeof *d);
    vcf_error err;
    vcf_vmsg_device_config_default(&cfg);
    cfg.num_feature_bits = 33;
    assert_int_equal(vcf_vmsg_device_init(d, &cfg, &err), VCF_E_INVAL);
    assert_string_equal(err.field, "num_feature_bits");
    vcf_vmsg_device_config_default(&cfg);
    cfg.offered[3] = 1;
    assert_int_equal(vcf_vmsg_device_init(d, &cfg, &err), VCF_E_INVAL);
    vcf_vmsg_device_config_default(&cfg);
    cfg.required[0] = 1;
    assert_int_equal(vcf_vmsg_device_init(d, &cfg, &err), VCF_E_INVAL);
    vcf_vmsg_device_config_default(&cfg);
    cfg.link.max_msg_size = 43;
    assert_int_equal(vcf_vmsg_device_init(d, &cfg, &err), VCF_E_INVAL);
    assert_string_equal(err.field, "link.max_msg_size");
    vcf_vmsg_device_config_default(&cfg);
    cfg.max_virtqueues = 65;
    assert_int_equal(vcf_vmsg_device_init(d, &cfg, &err), VCF_E_INVAL);
    vcf_vmsg_device_config_default(&cfg);
    cfg.config_size = 4097;
    assert_int_equal(vcf_vmsg_device_init(d, &cfg, &err), VCF_E_INVAL);
    free(d);
}

/* ---- coverage
 * -------------------------------------------------------------------------------------- */

static const th_exempt not_observable[] = {
    {R(REV_05), "transport revision 1 is the only one; there are no earlier revisions to cover"},
    {R(HDR_09), "bus padding is removed by the bus before a device sees a message; the codec's "
                "padding checks are tested in test_vmsg_wire"},
    {R(R3_13), "as HDR-09: framing belongs to the bus and the codec (test_vmsg_wire)"},
    {R(R3_11), "a stale RFC3 clause: no message carries agreed features back to the driver"},
};

static void test_every_device_rule_tested(void **state)
{
    (void)state;
    expect_role_covered(VCF_ACTOR_DEVICE, not_observable,
                        sizeof not_observable / sizeof *not_observable, true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_g1_device_info),
        cmocka_unit_test(test_inactive_device),
        cmocka_unit_test(test_token_handling),
        cmocka_unit_test(test_reserved_type_bits_ignored),
        cmocka_unit_test(test_malformed_discarded),
        cmocka_unit_test(test_oversized_request_dropped),
        cmocka_unit_test(test_optee_answers_what_it_should_drop),
        cmocka_unit_test(test_g5_features_zero_beyond_implemented),
        cmocka_unit_test(test_features_response_too_large),
        cmocka_unit_test(test_features_ok_accepted_and_recorded),
        cmocka_unit_test(test_g2_features_ok_refused),
        cmocka_unit_test(test_required_feature_missing),
        cmocka_unit_test(test_qemu_never_refuses_features),
        cmocka_unit_test(test_features_fixed_after_features_ok),
        cmocka_unit_test(test_feature_report_reading),
        cmocka_unit_test(test_reset_by_writing_zero),
        cmocka_unit_test(test_status_bits_cleared),
        cmocka_unit_test(test_status_order),
        cmocka_unit_test(test_g7_needs_reset),
        cmocka_unit_test(test_get_config),
        cmocka_unit_test(test_get_config_too_large),
        cmocka_unit_test(test_g4_stale_set_config_rejected),
        cmocka_unit_test(test_set_config_readings),
        cmocka_unit_test(test_config_change_events),
        cmocka_unit_test(test_g3_set_and_get_vqueue),
        cmocka_unit_test(test_set_vqueue_rejections),
        cmocka_unit_test(test_vqueue_after_driver_ok),
        cmocka_unit_test(test_reset_vqueue),
        cmocka_unit_test(test_get_shm),
        cmocka_unit_test(test_event_avail),
        cmocka_unit_test(test_g8_event_used),
        cmocka_unit_test(test_every_mandatory_message_answered),
        cmocka_unit_test(test_random_sequences_keep_invariants),
        cmocka_unit_test(test_reset_in_every_state),
        cmocka_unit_test(test_bad_configurations),
        cmocka_unit_test(test_every_device_rule_tested),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
