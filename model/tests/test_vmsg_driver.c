/* SPDX-License-Identifier: MIT */
/*
 * The virtio-msg driver model: a scripted initialisation checked byte by byte, then one group of
 * tests per catalogue rule, the profiles, a long randomised run against a small device written
 * here, and the check that every driver rule was exercised.
 *
 * Device messages are assembled here (th_msg, th_put32), never with the codec's encoder. The
 * fake device below answers the driver's requests the way a conforming device would and asserts
 * the driver-side rules on every request it receives.
 */
#include "vmsg_model_test.h"

#define DEV 1u

#define ST_ACK  0x01u
#define ST_DRV  0x02u
#define ST_DOK  0x04u
#define ST_FOK  0x08u
#define ST_NR   0x40u
#define ST_FAIL 0x80u

#define F_V1    VCF_VIRTIO_F_VERSION_1
#define F_NDATA VCF_VIRTIO_F_NOTIFICATION_DATA
#define F_RR    VCF_VIRTIO_F_RING_RESET
#define BIT(b)  (1u << ((b) % 32u))

/* ---- helpers ----------------------------------------------------------------------------- */

static vcf_vmsg_driver *driver_with(const vcf_vmsg_driver_config *cfg)
{
    vcf_vmsg_driver *drv = malloc(sizeof *drv);
    assert_non_null(drv);
    vcf_error err;
    assert_int_equal(vcf_vmsg_driver_init(drv, cfg, &err), VCF_OK);
    return drv;
}

static vcf_vmsg_driver_config default_cfg(void)
{
    vcf_vmsg_driver_config cfg;
    vcf_vmsg_driver_config_default(&cfg);
    return cfg;
}

/* Little-endian words into p; returns the bytes written. */
static size_t words(uint8_t *p, size_t n, const uint32_t *w)
{
    for (size_t i = 0; i < n; i++)
        th_put32(p + 4 * i, w[i]);
    return 4 * n;
}

#define WORDS(p, ...)                                                                              \
    words(p, sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t),                           \
          (const uint32_t[]){__VA_ARGS__})

/* A response to the driver's only message: the request's ID and token, device DEV. */
static int reply(vcf_vmsg_driver *drv, vcf_vmsg_output *out, const void *payload, size_t plen)
{
    const vcf_vmsg_tx *tx = th_one_tx(out);
    uint8_t buf[300];
    size_t n = th_msg(buf, sizeof buf, 0x01, tx->data[1], th_get16(tx->data + 2),
                      th_get16(tx->data + 4), payload, plen);
    return vcf_vmsg_driver_rx(drv, buf, n, out);
}

static int reply_status(vcf_vmsg_driver *drv, vcf_vmsg_output *out, uint32_t status)
{
    uint8_t p[4];
    th_put32(p, status);
    return reply(drv, out, p, 4);
}

static int rx(vcf_vmsg_driver *drv, const uint8_t *buf, size_t n, vcf_vmsg_output *out)
{
    return vcf_vmsg_driver_rx(drv, buf, n, out);
}

/* The only message out must be exactly these bytes. */
static void expect_tx_hex(const vcf_vmsg_output *out, const char *hex)
{
    uint8_t want[128];
    size_t n = th_hex(hex, want, sizeof want);
    const vcf_vmsg_tx *tx = th_one_tx(out);
    assert_int_equal(tx->dest, VCF_VMSG_TO_PEER);
    if (tx->len != n || memcmp(tx->data, want, n) != 0) {
        char got[400] = {0};
        for (size_t i = 0; i < tx->len && i < 120; i++)
            snprintf(got + 3 * i, 4, "%02x ", tx->data[i]);
        fail_msg("sent %s\nwant %s", got, hex);
    }
}

/* The only message out is the request msg_id (header checked by hand). */
static const uint8_t *expect_request(const vcf_vmsg_output *out, uint8_t msg_id)
{
    const vcf_vmsg_tx *tx = th_one_tx(out);
    if (tx->data[1] != msg_id)
        fail_msg("sent msg_id 0x%02x, expected 0x%02x", tx->data[1], msg_id);
    assert_int_equal(tx->data[0], 0x00);
    return tx->data;
}

/* ---- a device written out by hand -------------------------------------------------------- */

#define FQ 8u

typedef struct fake {
    uint16_t dev_num;
    uint32_t device_id, nfb, config_size, max_vq;
    uint16_t admin_start, admin_count;
    uint32_t offered[16], acked[16];
    uint32_t status, gen, told_gen;
    bool gen_told;
    uint8_t config[512];
    uint32_t vq_max[FQ], vq_size[FQ];
    uint64_t vq_desc[FQ], vq_drv[FQ], vq_dev[FQ];
    bool refuse_features;
    uint32_t shm_len, shm_addr;
    uint32_t max_msg;
    bool avail_data_seen;
    unsigned answered;
    uint8_t ids_seen[256];
} fake;

static void fake_default(fake *f)
{
    memset(f, 0, sizeof *f);
    f->dev_num = DEV;
    f->device_id = 1;
    f->nfb = 64;
    f->offered[0] = BIT(0) | BIT(28);
    f->offered[1] = BIT(F_V1) | BIT(33) | BIT(F_NDATA) | BIT(F_RR);
    f->config_size = 12;
    for (unsigned i = 0; i < sizeof f->config; i++)
        f->config[i] = (uint8_t)(0x10 + i);
    f->max_vq = 3;
    f->vq_max[0] = 256;
    f->vq_max[1] = 128;
    f->vq_max[2] = 64;
    f->gen = 5;
    f->shm_len = 0x1000;
    f->shm_addr = 0x50000000;
    f->max_msg = 264;
}

static bool fake_has(const fake *f, unsigned bit)
{
    return (f->acked[bit / 32] >> (bit % 32)) & 1u;
}

static void fake_reset(fake *f)
{
    f->status = 0;
    memset(f->acked, 0, sizeof f->acked);
    memset(f->vq_size, 0, sizeof f->vq_size);
    memset(f->vq_desc, 0, sizeof f->vq_desc);
    memset(f->vq_drv, 0, sizeof f->vq_drv);
    memset(f->vq_dev, 0, sizeof f->vq_dev);
}

static void fake_tell(fake *f, uint32_t gen)
{
    f->told_gen = gen;
    f->gen_told = true;
}

/* Receive one driver message, check the driver's rules on it, and build the response (0 bytes
 * for an event). */
static size_t fake_rx(fake *f, const uint8_t *m, size_t len, uint8_t *resp, size_t cap)
{
    assert_true(len >= 8);
    assert_int_equal(th_get16(m + 6), len);        /* VMSG-HDR-02 */
    assert_true(len <= f->max_msg);                /* VMSG-SIZE-01 */
    assert_int_equal(m[0], 0x00);                  /* VMSG-HDR-01 */
    assert_int_equal(th_get16(m + 2), f->dev_num); /* VMSG-HDR-03 */
    const uint8_t *q = m + 8;
    uint8_t p[300];
    size_t pl = 0;
    uint8_t id = m[1];
    f->ids_seen[id] = 1;
    switch (id) {
    case VCF_VMSG_GET_DEVICE_INFO:
        assert_int_equal(len, 8);
        pl = WORDS(p, f->device_id, 0x554D4551, f->nfb, f->config_size, f->max_vq);
        th_put16(p + 20, f->admin_start);
        th_put16(p + 22, f->admin_count);
        pl = 24;
        break;
    case VCF_VMSG_GET_DEVICE_FEATURES: {
        assert_true(f->status & ST_DRV); /* VMSG-BASE-01 */
        uint32_t bi = th_get32(q), n = th_get32(q + 4);
        pl = WORDS(p, bi, n);
        for (uint32_t i = 0; i < n; i++)
            th_put32(p + 8 + 4 * i, bi + i < 16 ? f->offered[bi + i] : 0);
        pl += 4 * n;
        break;
    }
    case VCF_VMSG_SET_DRIVER_FEATURES: {
        assert_false(f->status & ST_FOK); /* VMSG-BASE-02 */
        assert_true(f->status & ST_DRV);
        uint32_t bi = th_get32(q), n = th_get32(q + 4);
        assert_int_equal(len, 16 + 4 * n); /* VMSG-R3-08 */
        for (uint32_t i = 0; i < n; i++) {
            uint32_t v = th_get32(q + 8 + 4 * i);
            assert_int_equal(v & ~f->offered[bi + i], 0); /* VMSG-BASE-08 */
            f->acked[bi + i] = v;
        }
        break;
    }
    case VCF_VMSG_GET_CONFIG: {
        uint32_t off = th_get32(q), n = th_get32(q + 4);
        assert_true((uint64_t)off + n <= f->config_size); /* VMSG-CFG-01 */
        assert_true(n > 0 && 20 + n <= f->max_msg);
        pl = WORDS(p, f->gen, off, n);
        memcpy(p + 12, f->config + off, n);
        pl += n;
        fake_tell(f, f->gen);
        break;
    }
    case VCF_VMSG_SET_CONFIG: {
        uint32_t g = th_get32(q), off = th_get32(q + 4), n = th_get32(q + 8);
        assert_true((uint64_t)off + n <= f->config_size); /* VMSG-CFG-01 */
        assert_true(f->status & ST_FOK);                  /* VMSG-BASE-01 */
        if (g != f->gen) {
            pl = WORDS(p, f->gen, off, 0);
        } else {
            memcpy(f->config + off, q + 12, n);
            pl = WORDS(p, f->gen, off, n);
        }
        fake_tell(f, f->gen);
        break;
    }
    case VCF_VMSG_GET_DEVICE_STATUS: pl = WORDS(p, f->status); break;
    case VCF_VMSG_SET_DEVICE_STATUS: {
        uint32_t w = th_get32(q);
        uint32_t keep = f->status & (ST_ACK | ST_DRV | ST_FOK | ST_DOK | ST_FAIL);
        /* VMSG-BASE-05: bits only added, except by a reset. */
        if (w != 0 && (w & keep) != keep)
            fail_msg("status 0x%x written over 0x%x", w, f->status);
        if ((w & ST_DOK) && !(w & ST_FAIL))
            assert_true(keep & ST_FOK); /* VMSG-FINAL-01 */
        if (w == 0)
            fake_reset(f);
        else if ((w & ST_FOK) && !(f->status & ST_FOK) && f->refuse_features)
            f->status = w & ~ST_FOK;
        else
            f->status = w | (f->status & ST_NR);
        pl = WORDS(p, f->status);
        break;
    }
    case VCF_VMSG_GET_VQUEUE: {
        uint32_t i = th_get32(q);
        bool ok = i < f->max_vq && i < FQ;
        pl = WORDS(p, i, ok ? f->vq_max[i] : 0, ok ? f->vq_size[i] : 0, 0);
        th_put64(p + 16, ok ? f->vq_desc[i] : 0);
        th_put64(p + 24, ok ? f->vq_drv[i] : 0);
        th_put64(p + 32, ok ? f->vq_dev[i] : 0);
        pl = 40;
        break;
    }
    case VCF_VMSG_SET_VQUEUE: {
        assert_int_equal(len, 48);
        assert_true(f->status & ST_FOK); /* VMSG-INIT-02 */
        uint32_t i = th_get32(q), size = th_get32(q + 8);
        assert_true(i < f->max_vq && i < FQ);
        assert_int_equal(f->vq_size[i], 0); /* VMSG-VQ-01 / VMSG-VQ-03 */
        assert_int_equal(th_get32(q + 4), 0);
        assert_int_equal(th_get32(q + 12), 0);         /* VMSG-HDR-04, VMSG-VQ-13 */
        assert_true(size > 0 && size <= f->vq_max[i]); /* VMSG-VQ-02 */
        assert_int_equal(size & (size - 1), 0);
        uint64_t d = th_get64(q + 16), a = th_get64(q + 24), u = th_get64(q + 32);
        assert_int_equal(d % 16, 0);
        assert_int_equal(a % 2, 0);
        assert_int_equal(u % 4, 0);
        f->vq_size[i] = size;
        f->vq_desc[i] = d;
        f->vq_drv[i] = a;
        f->vq_dev[i] = u;
        break;
    }
    case VCF_VMSG_RESET_VQUEUE: {
        uint32_t i = th_get32(q);
        assert_true(fake_has(f, F_RR)); /* VMSG-VQ-04 */
        assert_true(i < f->max_vq && i < FQ);
        f->vq_size[i] = 0;
        f->vq_desc[i] = f->vq_drv[i] = f->vq_dev[i] = 0;
        break;
    }
    case VCF_VMSG_GET_SHM: {
        uint32_t i = th_get32(q);
        pl = WORDS(p, i, i == 0 ? f->shm_len : 0, i == 0 ? f->shm_addr : 0);
        break;
    }
    case VCF_VMSG_EVENT_AVAIL: {
        assert_int_equal(len, 16);
        uint32_t i = th_get32(q), next = th_get32(q + 4);
        assert_true(f->status & ST_DOK);           /* VMSG-BASE-04 */
        assert_true(i < FQ && f->vq_size[i] != 0); /* VMSG-FINAL-03 */
        if (!fake_has(f, F_NDATA))
            assert_int_equal(next, 0); /* VMSG-NOTIF-03 */
        else if (next)
            f->avail_data_seen = true;
        return 0;
    }
    default: fail_msg("the driver sent msg_id 0x%02x", id);
    }
    f->answered++;
    return th_msg(resp, cap, 0x01, id, f->dev_num, th_get16(m + 4), p, pl);
}

static bool is_request(const vcf_vmsg_tx *tx)
{
    return tx->data[0] == 0 && tx->data[1] < 0x40;
}

/* Rules on a request at the moment the driver sends it (the device may change before it
 * answers). */
static void fake_sent(const fake *f, const vcf_vmsg_tx *tx)
{
    if (tx->data[1] == VCF_VMSG_SET_CONFIG) {
        assert_true(f->gen_told);
        assert_int_equal(th_get32(tx->data + 8), f->told_gen); /* VMSG-GEN-05 */
    }
}

/* Events seen by pump(), by type. */
static unsigned pumped_events;

/* Answer every request the driver sends until it stops asking. */
static void pump(vcf_vmsg_driver *drv, fake *f, vcf_vmsg_output *out)
{
    for (int guard = 0; guard < 2000; guard++) {
        for (size_t i = 0; i < out->n_events; i++)
            pumped_events |= 1u << out->events[i].type;
        const vcf_vmsg_tx *req = NULL;
        for (size_t i = 0; i < out->n_tx; i++) {
            uint8_t resp[300];
            if (!is_request(&out->tx[i])) {
                assert_int_equal(fake_rx(f, out->tx[i].data, out->tx[i].len, resp, sizeof resp), 0);
                continue;
            }
            assert_null(req); /* one request at a time */
            req = &out->tx[i];
            fake_sent(f, req);
        }
        if (!req)
            return;
        uint8_t resp[300];
        size_t n = fake_rx(f, req->data, req->len, resp, sizeof resp);
        assert_true(n > 0);
        vcf_vmsg_driver_rx(drv, resp, n, out);
    }
    fail_msg("the driver never stopped sending requests");
}

/* A driver brought to READY against f. */
static vcf_vmsg_driver *ready_with(const vcf_vmsg_driver_config *cfg, fake *f)
{
    vcf_vmsg_driver *drv = driver_with(cfg);
    vcf_vmsg_output out;
    pumped_events = 0;
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    pump(drv, f, &out);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_READY);
    assert_true(pumped_events & (1u << VCF_VMSG_EV_READY));
    return drv;
}

static vcf_vmsg_driver *ready_default(fake *f)
{
    fake_default(f);
    vcf_vmsg_driver_config cfg = default_cfg();
    return ready_with(&cfg, f);
}

/* Run the driver against f from start until it asks for a message of msg_id (not answered). */
static void run_until(vcf_vmsg_driver *drv, fake *f, vcf_vmsg_output *out, uint8_t msg_id)
{
    for (int guard = 0; guard < 200; guard++) {
        const vcf_vmsg_tx *tx = th_one_tx(out);
        if (tx->data[1] == msg_id)
            return;
        uint8_t resp[300];
        size_t n = fake_rx(f, tx->data, tx->len, resp, sizeof resp);
        vcf_vmsg_driver_rx(drv, resp, n, out);
    }
    fail_msg("msg_id 0x%02x never sent", msg_id);
}

/* An EVENT_CONFIG from device DEV. */
static size_t event_config(uint8_t *buf, size_t cap, uint32_t status, uint32_t gen, uint32_t off,
                           const void *data, uint32_t len)
{
    uint8_t p[300];
    WORDS(p, status, gen, off, len);
    if (len)
        memcpy(p + 16, data, len);
    return th_msg(buf, cap, 0x00, VCF_VMSG_EVENT_CONFIG, DEV, 0, p, 16 + len);
}

static size_t event_used(uint8_t *buf, size_t cap, uint32_t vq)
{
    uint8_t p[4];
    th_put32(p, vq);
    return th_msg(buf, cap, 0x00, VCF_VMSG_EVENT_USED, DEV, 0, p, 4);
}

/* ---- configuration ----------------------------------------------------------------------- */

static void test_config_default_and_checks(void **state)
{
    (void)state;
    vcf_vmsg_driver_config cfg = default_cfg();
    assert_int_equal(cfg.dev_num, 1);
    assert_int_equal(cfg.wanted[0], 0);
    assert_int_equal(cfg.wanted[1], BIT(F_V1) | BIT(F_RR) | BIT(F_NDATA));
    assert_int_equal(cfg.num_queues, 2);
    assert_int_equal(cfg.queue_size, 256);
    assert_true(cfg.ring_base == 0x40000000u);
    assert_true(cfg.read_config);
    assert_int_equal(cfg.link.max_msg_size, 264);
    assert_int_equal(cfg.link.rev, VCF_VMSG_REV_PR28);

    vcf_vmsg_driver *drv = malloc(sizeof *drv);
    assert_non_null(drv);
    vcf_error err;
    assert_int_equal(vcf_vmsg_driver_init(drv, NULL, &err), VCF_OK);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_IDLE);

    vcf_vmsg_driver_config bad = cfg;
    bad.num_queues = VCF_VMSG_MAX_VQS + 1;
    assert_int_equal(vcf_vmsg_driver_init(drv, &bad, &err), VCF_E_INVAL);
    assert_string_equal(err.field, "num_queues");
    bad = cfg;
    bad.queue_size = 3;
    assert_int_equal(vcf_vmsg_driver_init(drv, &bad, &err), VCF_E_INVAL);
    assert_string_equal(err.field, "queue_size");
    bad.queue_size = 2048;
    assert_int_equal(vcf_vmsg_driver_init(drv, &bad, &err), VCF_E_INVAL);
    bad = cfg;
    bad.ring_base = 0x40000008;
    assert_int_equal(vcf_vmsg_driver_init(drv, &bad, &err), VCF_E_INVAL);
    assert_string_equal(err.field, "ring_base");
    bad = cfg;
    bad.link.max_msg_size = 40;
    assert_int_equal(vcf_vmsg_driver_init(drv, &bad, &err), VCF_E_INVAL);
    assert_string_equal(err.field, "link.max_msg_size");
    bad = cfg;
    bad.link.rev = (vcf_vmsg_rev)9;
    assert_int_equal(vcf_vmsg_driver_init(drv, &bad, &err), VCF_E_INVAL);

    assert_string_equal(vcf_vmsg_driver_state_name(VCF_VMSG_DRV_IDLE), "idle");
    assert_string_equal(vcf_vmsg_driver_state_name(VCF_VMSG_DRV_READY), "ready");
    assert_string_equal(vcf_vmsg_driver_state_name(VCF_VMSG_DRV_NO_DEVICE), "no-device");
    assert_string_equal(vcf_vmsg_driver_state_name(VCF_VMSG_DRV_REMOVED), "removed");
    assert_string_equal(vcf_vmsg_driver_state_name((vcf_vmsg_driver_state)42), "unknown");
    assert_null(vcf_vmsg_driver_vq(drv, VCF_VMSG_MAX_VQS));
    assert_int_equal(vcf_vmsg_driver_negotiated(drv, VCF_VMSG_MAX_FEATURE_BLOCKS), 0);
    free(drv);
}

/* ---- the whole initialisation, byte by byte ---------------------------------------------- */

static void test_full_initialisation_bytes(void **state)
{
    (void)state;
    vcf_vmsg_driver_config cfg = default_cfg();
    vcf_vmsg_driver *drv = driver_with(&cfg);
    vcf_vmsg_output out;
    uint8_t p[64];
    size_t pl;

    /* GET_DEVICE_INFO first (golden vector G1). */
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_INIT);
    expect_tx_hex(&out, "00 02 01 00 01 00 08 00");
    covers(R(INIT_01));
    pl = WORDS(p, 1, 0x554D4551, 64, 12, 3, 0);
    assert_int_equal(reply(drv, &out, p, pl), VCF_OK);
    expect_no_verdict(&out);

    /* reset, ACKNOWLEDGE, DRIVER */
    expect_tx_hex(&out, "00 08 01 00 02 00 0c 00 00 00 00 00");
    assert_int_equal(reply_status(drv, &out, 0), VCF_OK);
    covers(R(BASE_11));
    expect_tx_hex(&out, "00 08 01 00 03 00 0c 00 01 00 00 00");
    assert_int_equal(reply_status(drv, &out, 1), VCF_OK);
    expect_tx_hex(&out, "00 08 01 00 04 00 0c 00 03 00 00 00");
    assert_int_equal(reply_status(drv, &out, 3), VCF_OK);

    /* features: read (golden vector G5), then only the wanted and offered ones back */
    expect_tx_hex(&out, "00 03 01 00 05 00 10 00 00 00 00 00 02 00 00 00");
    pl = WORDS(p, 0, 2, BIT(0) | BIT(28) | BIT(29), BIT(F_V1) | BIT(33) | BIT(F_NDATA) | BIT(F_RR));
    assert_int_equal(reply(drv, &out, p, pl), VCF_OK);
    expect_tx_hex(&out, "00 04 01 00 06 00 18 00 00 00 00 00 02 00 00 00 00 00 00 00 41 01 00 00");
    covers(R(FEAT_02));
    covers(R(FEAT_05));
    covers(R(BASE_08));
    covers(R(R3_08));
    assert_int_equal(reply(drv, &out, NULL, 0), VCF_OK);

    /* FEATURES_OK, checked in the response */
    expect_tx_hex(&out, "00 08 01 00 07 00 0c 00 0b 00 00 00");
    assert_int_equal(reply_status(drv, &out, 0x0b), VCF_OK);
    covers(R(BASE_01));
    covers(R(INIT_02));

    /* the configuration space, bounded by config_size */
    expect_tx_hex(&out, "00 05 01 00 08 00 10 00 00 00 00 00 0c 00 00 00");
    covers(R(INFO_01));
    pl = WORDS(p, 5, 0, 12, 0x03020100, 0x07060504, 0x0b0a0908);
    assert_int_equal(reply(drv, &out, p, pl), VCF_OK);
    assert_int_equal(vcf_vmsg_driver_generation(drv), 5);
    for (int i = 0; i < 12; i++)
        assert_int_equal(vcf_vmsg_driver_config_view(drv)[i], i);

    /* queue 0: query, program, verify */
    expect_tx_hex(&out, "00 09 01 00 09 00 0c 00 00 00 00 00");
    pl = WORDS(p, 0, 256, 0, 0, 0, 0, 0, 0, 0, 0);
    assert_int_equal(reply(drv, &out, p, pl), VCF_OK);
    covers(R(VQ_01));
    expect_tx_hex(&out, "00 0a 01 00 0a 00 30 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00 00"
                        "00 00 00 40 00 00 00 00 00 40 00 40 00 00 00 00 00 80 00 40 00 00 00 00");
    covers(R(VQ_02));
    covers(R(HDR_04));
    covers(R(VQ_13));
    assert_int_equal(reply(drv, &out, NULL, 0), VCF_OK);
    expect_tx_hex(&out, "00 09 01 00 0b 00 0c 00 00 00 00 00");
    pl = WORDS(p, 0, 256, 256, 0, 0x40000000, 0, 0x40004000, 0, 0x40008000, 0);
    assert_int_equal(reply(drv, &out, p, pl), VCF_OK);
    covers(R(INIT_03));

    /* queue 1: the device allows 128, so 128 */
    expect_tx_hex(&out, "00 09 01 00 0c 00 0c 00 01 00 00 00");
    pl = WORDS(p, 1, 128, 0, 0, 0, 0, 0, 0, 0, 0);
    assert_int_equal(reply(drv, &out, p, pl), VCF_OK);
    expect_tx_hex(&out, "00 0a 01 00 0d 00 30 00 01 00 00 00 00 00 00 00 80 00 00 00 00 00 00 00"
                        "00 00 01 40 00 00 00 00 00 40 01 40 00 00 00 00 00 80 01 40 00 00 00 00");
    assert_int_equal(reply(drv, &out, NULL, 0), VCF_OK);
    expect_tx_hex(&out, "00 09 01 00 0e 00 0c 00 01 00 00 00");
    pl = WORDS(p, 1, 128, 128, 0, 0x40010000, 0, 0x40014000, 0, 0x40018000, 0);
    assert_int_equal(reply(drv, &out, p, pl), VCF_OK);

    /* DRIVER_OK last */
    expect_tx_hex(&out, "00 08 01 00 0f 00 0c 00 0f 00 00 00");
    assert_int_equal(reply_status(drv, &out, 0x0f), VCF_OK);
    th_no_tx(&out);
    expect_no_verdict(&out);
    expect_event(&out, VCF_VMSG_EV_READY);
    covers(R(FINAL_01));
    covers(R(INIT_04));
    covers(R(STATUS_02));
    covers(R(END_01));
    covers(R(HDR_01));
    covers(R(HDR_02));
    covers(R(HDR_03));

    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_READY);
    assert_int_equal(vcf_vmsg_driver_negotiated(drv, 0), 0);
    assert_int_equal(vcf_vmsg_driver_negotiated(drv, 1), BIT(F_V1) | BIT(F_NDATA) | BIT(F_RR));
    const vcf_vmsg_vq *vq = vcf_vmsg_driver_vq(drv, 1);
    assert_int_equal(vq->state, VCF_VMSG_VQ_LIVE);
    assert_int_equal(vq->size, 128);
    assert_true(vq->desc_addr == 0x40010000u);
    assert_true(vq->device_addr == 0x40018000u);
    assert_int_equal(vcf_vmsg_driver_vq(drv, 2)->state, VCF_VMSG_VQ_INACTIVE);
    free(drv);
}

/* ---- features ---------------------------------------------------------------------------- */

static void test_base12_version_1_always_accepted(void **state)
{
    (void)state;
    fake f;
    fake_default(&f);
    vcf_vmsg_driver_config cfg = default_cfg();
    memset(cfg.wanted, 0, sizeof cfg.wanted);
    cfg.wanted[0] = BIT(5) | BIT(28); /* 5 is not offered */
    vcf_vmsg_driver *drv = ready_with(&cfg, &f);
    assert_int_equal(vcf_vmsg_driver_negotiated(drv, 0), BIT(28));
    assert_int_equal(vcf_vmsg_driver_negotiated(drv, 1), BIT(F_V1));
    assert_int_equal(f.acked[0], BIT(28));
    assert_int_equal(f.acked[1], BIT(F_V1));
    covers(R(BASE_12));
    covers(R(BASE_08));
    free(drv);
}

static void test_feat03_features_ok_refused(void **state)
{
    (void)state;
    fake f;
    fake_default(&f);
    f.refuse_features = true;
    vcf_vmsg_driver_config cfg = default_cfg();
    vcf_vmsg_driver *drv = driver_with(&cfg);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    run_until(drv, &f, &out, VCF_VMSG_SET_DEVICE_STATUS);
    while (th_get32(out.tx[0].data + 8) != 0x0b) {
        uint8_t resp[64];
        size_t n = fake_rx(&f, out.tx[0].data, out.tx[0].len, resp, sizeof resp);
        rx(drv, resp, n, &out);
        run_until(drv, &f, &out, VCF_VMSG_SET_DEVICE_STATUS);
    }
    /* the device answers 0x03: FEATURES_OK refused (golden vector G2) */
    assert_int_equal(reply_status(drv, &out, 0x03), VCF_OK);
    expect_verdict(&out, R(FEAT_03), VCF_VMSG_ACT_NOTE);
    expect_event(&out, VCF_VMSG_EV_INIT_FAILED);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_FAILED);
    /* FAILED written over what the device holds: 0x83 */
    expect_tx_hex(&out, "00 08 01 00 08 00 0c 00 83 00 00 00");
    covers(R(BASE_16));
    assert_int_equal(reply_status(drv, &out, 0x83), VCF_OK);
    th_no_tx(&out);
    covers(R(BASE_03));
    /* nothing more: upper-layer requests are refused, notifications too */
    assert_int_equal(vcf_vmsg_driver_config_write(drv, 0, "a", 1, &out), VCF_E_STATE);
    expect_verdict(&out, R(BASE_01), VCF_VMSG_ACT_REFUSE);
    th_no_tx(&out);
    assert_int_equal(vcf_vmsg_driver_notify(drv, 0, 0, &out), VCF_E_STATE);
    th_no_tx(&out);

    /* starting again begins with the device info and a reset (VMSG-BASE-05) */
    f.refuse_features = false;
    f.status = 0x83;
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    expect_request(&out, VCF_VMSG_GET_DEVICE_INFO);
    uint8_t resp[64];
    size_t n = fake_rx(&f, out.tx[0].data, out.tx[0].len, resp, sizeof resp);
    rx(drv, resp, n, &out);
    const uint8_t *m = expect_request(&out, VCF_VMSG_SET_DEVICE_STATUS);
    assert_int_equal(th_get32(m + 8), 0);
    covers(R(BASE_05));
    pumped_events = 0;
    pump(drv, &f, &out);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_READY);
    free(drv);
}

static void test_feat01_05_blocks_past_the_feature_count(void **state)
{
    (void)state;
    vcf_vmsg_driver_config cfg = default_cfg();
    cfg.wanted[0] = 0xFFFFFFFFu;
    vcf_vmsg_driver *drv = driver_with(&cfg);
    vcf_vmsg_output out;
    fake f;
    fake_default(&f);
    f.nfb = 40; /* not a multiple of 32 */
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    uint8_t resp[64];
    size_t n = fake_rx(&f, out.tx[0].data, out.tx[0].len, resp, sizeof resp);
    rx(drv, resp, n, &out);
    expect_verdict(&out, R(INFO_02), VCF_VMSG_ACT_NOTE); /* the codec's check */
    run_until(drv, &f, &out, VCF_VMSG_GET_DEVICE_FEATURES);
    const uint8_t *m = out.tx[0].data;
    assert_int_equal(th_get32(m + 12), 2); /* 40 bits: two blocks */

    /* echoes that do not match are dropped and the driver keeps waiting */
    uint8_t p[32];
    size_t pl = WORDS(p, 1, 2, 0, 0);
    assert_int_equal(reply(drv, &out, p, pl), VCF_E_MISMATCH);
    expect_verdict(&out, R(FEAT_01), VCF_VMSG_ACT_DROP);
    assert_int_equal(out.verdicts[0].error.code, VCF_E_MISMATCH);
    th_no_tx(&out);
    assert_true(drv->busy);

    /* the device sets bits past bit 39: a violation, and they count as zero */
    uint8_t buf[64];
    pl = WORDS(p, 0, 2, 0x80000001u, BIT(F_V1) | BIT(F_RR) | 0x80000000u);
    n = th_msg(buf, sizeof buf, 0x01, VCF_VMSG_GET_DEVICE_FEATURES, DEV, drv->req_token, p, pl);
    assert_int_equal(rx(drv, buf, n, &out), VCF_OK);
    const vcf_vmsg_verdict *v = expect_verdict(&out, R(FEAT_01), VCF_VMSG_ACT_NOTE);
    assert_int_equal(v->error.code, VCF_E_MBZ);
    m = expect_request(&out, VCF_VMSG_SET_DRIVER_FEATURES);
    assert_int_equal(th_get32(m + 16), 0x80000001u);
    assert_int_equal(th_get32(m + 20), BIT(F_V1)); /* bit 40 and 63 are past bit 39 */
    covers(R(FEAT_05));
    free(drv);
}

static void test_size01_split_messages_at_48(void **state)
{
    (void)state;
    fake f;
    fake_default(&f);
    f.max_msg = 48;
    f.nfb = 320; /* 10 blocks: 8 per message at 48 bytes */
    f.offered[9] = 0xA5A5A5A5u;
    f.config_size = 60; /* 28 config bytes per message */
    vcf_vmsg_driver_config cfg = default_cfg();
    cfg.link.max_msg_size = 48;
    cfg.wanted[9] = 0x0000FFFFu;
    vcf_vmsg_driver *drv = driver_with(&cfg);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    run_until(drv, &f, &out, VCF_VMSG_GET_DEVICE_FEATURES);
    const uint8_t *m = out.tx[0].data;
    assert_int_equal(th_get32(m + 8), 0);
    assert_int_equal(th_get32(m + 12), 8);
    uint8_t resp[300];
    size_t n = fake_rx(&f, m, out.tx[0].len, resp, sizeof resp);
    assert_int_equal(n, 48);
    rx(drv, resp, n, &out);
    m = expect_request(&out, VCF_VMSG_GET_DEVICE_FEATURES);
    assert_int_equal(th_get32(m + 8), 8);
    assert_int_equal(th_get32(m + 12), 2);
    n = fake_rx(&f, m, out.tx[0].len, resp, sizeof resp);
    rx(drv, resp, n, &out);
    m = expect_request(&out, VCF_VMSG_SET_DRIVER_FEATURES);
    assert_int_equal(out.tx[0].len, 48);
    assert_int_equal(th_get32(m + 12), 8);
    n = fake_rx(&f, m, out.tx[0].len, resp, sizeof resp);
    rx(drv, resp, n, &out);
    m = expect_request(&out, VCF_VMSG_SET_DRIVER_FEATURES);
    assert_int_equal(out.tx[0].len, 24);
    assert_int_equal(th_get32(m + 8), 8);
    assert_int_equal(th_get32(m + 12), 2);
    assert_int_equal(th_get32(m + 20), 0x0000A5A5u);
    n = fake_rx(&f, m, out.tx[0].len, resp, sizeof resp);
    rx(drv, resp, n, &out);
    run_until(drv, &f, &out, VCF_VMSG_GET_CONFIG);
    uint32_t offs[3], lens[3];
    for (int i = 0; i < 3; i++) {
        m = expect_request(&out, VCF_VMSG_GET_CONFIG);
        offs[i] = th_get32(m + 8);
        lens[i] = th_get32(m + 12);
        n = fake_rx(&f, m, out.tx[0].len, resp, sizeof resp);
        assert_true(n <= 48);
        rx(drv, resp, n, &out);
    }
    assert_int_equal(offs[0], 0);
    assert_int_equal(lens[0], 28);
    assert_int_equal(offs[1], 28);
    assert_int_equal(lens[1], 28);
    assert_int_equal(offs[2], 56);
    assert_int_equal(lens[2], 4);
    assert_memory_equal(vcf_vmsg_driver_config_view(drv), f.config, 60);
    pumped_events = 0;
    pump(drv, &f, &out);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_READY);
    covers(R(SIZE_01));
    covers(R(INFO_01));

    /* a write that cannot fit one message is refused */
    uint8_t data[40] = {0};
    assert_int_equal(vcf_vmsg_driver_config_write(drv, 0, data, 29, &out), VCF_E_TOO_LARGE);
    expect_verdict(&out, R(SIZE_01), VCF_VMSG_ACT_REFUSE);
    th_no_tx(&out);
    assert_int_equal(vcf_vmsg_driver_config_write(drv, 0, data, 28, &out), VCF_OK);
    assert_int_equal(th_one_tx(&out)->len, 48);
    free(drv);
}

static void test_size01_bus_too_small_for_queues(void **state)
{
    (void)state;
    fake f;
    fake_default(&f);
    f.max_msg = 44;
    vcf_vmsg_driver_config cfg = default_cfg();
    cfg.link.max_msg_size = 44;
    vcf_vmsg_driver *drv = driver_with(&cfg);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    for (int guard = 0; guard < 50 && out.n_tx; guard++) {
        uint8_t resp[300];
        size_t n = fake_rx(&f, out.tx[0].data, out.tx[0].len, resp, sizeof resp);
        rx(drv, resp, n, &out);
        if (out.n_events)
            break;
    }
    expect_verdict(&out, R(SIZE_01), VCF_VMSG_ACT_NOTE);
    expect_event(&out, VCF_VMSG_EV_INIT_FAILED);
    const uint8_t *m = expect_request(&out, VCF_VMSG_SET_DEVICE_STATUS);
    assert_int_equal(th_get32(m + 8), 0x8b);
    free(drv);
}

/* ---- device info ------------------------------------------------------------------------- */

static void test_no_device(void **state)
{
    (void)state;
    vcf_vmsg_driver_config cfg = default_cfg();
    vcf_vmsg_driver *drv = driver_with(&cfg);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    uint8_t p[24] = {0}; /* an inactive device: every field 0 */
    assert_int_equal(reply(drv, &out, p, 24), VCF_OK);
    th_no_tx(&out);
    expect_event(&out, VCF_VMSG_EV_NO_DEVICE);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_NO_DEVICE);
    assert_int_equal(vcf_vmsg_driver_get_status(drv, &out), VCF_E_STATE);
    assert_int_equal(vcf_vmsg_driver_reset(drv, true, &out), VCF_E_STATE);
    th_no_tx(&out);
    free(drv);
}

static void test_info02_03_device_info_is_authoritative(void **state)
{
    (void)state;
    fake f;
    fake_default(&f);
    f.max_vq = 2;
    f.admin_start = 1;
    f.admin_count = 2; /* past max_virtqueues */
    vcf_vmsg_driver_config cfg = default_cfg();
    cfg.num_queues = 5;
    vcf_vmsg_driver *drv = driver_with(&cfg);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    uint8_t resp[300];
    size_t n = fake_rx(&f, out.tx[0].data, out.tx[0].len, resp, sizeof resp);
    rx(drv, resp, n, &out);
    expect_verdict(&out, R(INFO_02), VCF_VMSG_ACT_NOTE);
    /* only the two queues the device has are touched */
    unsigned get_vq = 0;
    for (int guard = 0; guard < 60 && out.n_tx; guard++) {
        if (out.tx[0].data[1] == VCF_VMSG_GET_VQUEUE) {
            get_vq++;
            assert_true(th_get32(out.tx[0].data + 8) < 2);
        }
        n = fake_rx(&f, out.tx[0].data, out.tx[0].len, resp, sizeof resp);
        rx(drv, resp, n, &out);
    }
    assert_int_equal(get_vq, 4);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_READY);

    /* config_size bounds the data of EVENT_CONFIG too */
    uint8_t buf[64];
    n = event_config(buf, sizeof buf, 0x0f, 6, 10, "abcd", 4);
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_RANGE);
    expect_verdict(&out, R(INFO_03), VCF_VMSG_ACT_DROP);
    assert_int_equal(vcf_vmsg_driver_generation(drv), 5); /* not acted on */
    th_no_tx(&out);
    free(drv);
}

/* ---- status ------------------------------------------------------------------------------ */

static void test_base11_status04_reset_not_complete(void **state)
{
    (void)state;
    vcf_vmsg_driver_config cfg = default_cfg();
    vcf_vmsg_driver *drv = driver_with(&cfg);
    vcf_vmsg_output out;
    uint8_t p[32];
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    assert_int_equal(reply(drv, &out, p, WORDS(p, 1, 0, 64, 12, 3, 0)), VCF_OK);
    expect_request(&out, VCF_VMSG_SET_DEVICE_STATUS);
    /* the reset answered with a status that is not 0: read it again */
    assert_int_equal(reply_status(drv, &out, 0x01), VCF_OK);
    expect_verdict(&out, R(STATUS_04), VCF_VMSG_ACT_NOTE);
    expect_tx_hex(&out, "00 07 01 00 03 00 08 00");
    covers(R(STATUS_01));
    covers(R(STATUS_03));
    assert_int_equal(reply_status(drv, &out, 0), VCF_OK);
    expect_tx_hex(&out, "00 08 01 00 04 00 0c 00 01 00 00 00");
    covers(R(BASE_11));

    /* and when it still is not 0, initialisation stops with FAILED */
    vcf_vmsg_driver *d2 = driver_with(&cfg);
    assert_int_equal(vcf_vmsg_driver_start(d2, &out), VCF_OK);
    assert_int_equal(reply(d2, &out, p, WORDS(p, 1, 0, 64, 12, 3, 0)), VCF_OK);
    assert_int_equal(reply_status(d2, &out, 0x03), VCF_OK);
    assert_int_equal(reply_status(d2, &out, 0x03), VCF_OK);
    expect_verdict(&out, R(BASE_11), VCF_VMSG_ACT_NOTE);
    expect_event(&out, VCF_VMSG_EV_INIT_FAILED);
    expect_tx_hex(&out, "00 08 01 00 04 00 0c 00 80 00 00 00");
    free(drv);
    free(d2);
}

static void test_status06_init04_status_responses(void **state)
{
    (void)state;
    vcf_vmsg_driver_config cfg = default_cfg();
    vcf_vmsg_driver *drv = driver_with(&cfg);
    vcf_vmsg_output out;
    uint8_t p[32];
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    assert_int_equal(reply(drv, &out, p, WORDS(p, 1, 0, 64, 12, 3, 0)), VCF_OK);
    assert_int_equal(reply_status(drv, &out, 0), VCF_OK);
    /* ACKNOWLEDGE answered with DRIVER_OK too: a device violation, noted */
    assert_int_equal(reply_status(drv, &out, 0x05), VCF_OK);
    expect_verdict(&out, R(STATUS_06), VCF_VMSG_ACT_NOTE);
    expect_tx_hex(&out, "00 08 01 00 04 00 0c 00 03 00 00 00");
    /* DRIVER answered without it: the device did not take the status; give up */
    assert_int_equal(reply_status(drv, &out, 0x01), VCF_OK);
    expect_verdict(&out, R(INIT_04), VCF_VMSG_ACT_NOTE);
    expect_event(&out, VCF_VMSG_EV_INIT_FAILED);
    expect_tx_hex(&out, "00 08 01 00 05 00 0c 00 81 00 00 00");
    free(drv);
}

static void test_status01_get_status(void **state)
{
    (void)state;
    fake f;
    vcf_vmsg_driver *drv = ready_default(&f);
    vcf_vmsg_output out;
    uint16_t tok = drv->next_token;
    assert_int_equal(vcf_vmsg_driver_get_status(drv, &out), VCF_OK);
    const uint8_t *m = expect_request(&out, VCF_VMSG_GET_DEVICE_STATUS);
    assert_int_equal(out.tx[0].len, 8);
    assert_int_equal(th_get16(m + 4), tok);
    /* one request at a time */
    vcf_vmsg_output o2;
    assert_int_equal(vcf_vmsg_driver_get_status(drv, &o2), VCF_E_AGAIN);
    th_no_tx(&o2);
    assert_int_equal(vcf_vmsg_driver_get_shm(drv, 0, &o2), VCF_E_AGAIN);
    assert_int_equal(vcf_vmsg_driver_reset(drv, false, &o2), VCF_E_AGAIN);
    assert_int_equal(vcf_vmsg_driver_config_read(drv, 0, 4, &o2), VCF_E_AGAIN);
    assert_int_equal(vcf_vmsg_driver_reset_vq(drv, 0, &o2), VCF_E_AGAIN);
    assert_int_equal(reply_status(drv, &out, 0x0f), VCF_OK);
    const vcf_vmsg_event *ev = expect_event(&out, VCF_VMSG_EV_DONE);
    assert_int_equal(ev->value, 0x0f);
    covers(R(STATUS_01));
    free(drv);
}

/* ---- configuration ----------------------------------------------------------------------- */

static void test_cfg01_upper_layer_reads(void **state)
{
    (void)state;
    vcf_vmsg_driver_config cfg = default_cfg();
    vcf_vmsg_driver *idle = driver_with(&cfg);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_config_read(idle, 0, 4, &out), VCF_E_STATE);
    expect_verdict(&out, R(INFO_01), VCF_VMSG_ACT_REFUSE);
    free(idle);

    fake f;
    vcf_vmsg_driver *drv = ready_default(&f);
    assert_int_equal(vcf_vmsg_driver_config_read(drv, 8, 5, &out), VCF_E_RANGE);
    expect_verdict(&out, R(CFG_01), VCF_VMSG_ACT_REFUSE);
    th_no_tx(&out);
    assert_int_equal(vcf_vmsg_driver_config_read(drv, 0xFFFFFFFFu, 2, &out), VCF_E_RANGE);
    expect_verdict(&out, R(CFG_01), VCF_VMSG_ACT_REFUSE);
    assert_int_equal(vcf_vmsg_driver_config_read(drv, 4, 0, &out), VCF_E_INVAL);
    expect_verdict(&out, R(CFG_01), VCF_VMSG_ACT_REFUSE);

    f.config[9] = 0xEE;
    assert_int_equal(vcf_vmsg_driver_config_read(drv, 8, 4, &out), VCF_OK);
    const uint8_t *m = expect_request(&out, VCF_VMSG_GET_CONFIG);
    assert_int_equal(th_get32(m + 8), 8);
    assert_int_equal(th_get32(m + 12), 4);
    uint8_t req[16];
    memcpy(req, m, 16);
    /* an echo that does not match is the device's fault: dropped */
    uint8_t p[32];
    assert_int_equal(reply(drv, &out, p, WORDS(p, 5, 4, 4, 0)), VCF_E_MISMATCH);
    expect_verdict(&out, R(CFG_02), VCF_VMSG_ACT_DROP);
    th_no_tx(&out);
    uint8_t resp[64];
    size_t n = fake_rx(&f, req, 16, resp, sizeof resp);
    assert_int_equal(rx(drv, resp, n, &out), VCF_OK);
    const vcf_vmsg_event *ev = expect_event(&out, VCF_VMSG_EV_CONFIG_READ);
    assert_int_equal(ev->offset, 8);
    assert_int_equal(ev->length, 4);
    assert_int_equal(vcf_vmsg_driver_config_view(drv)[9], 0xEE);
    covers(R(CFG_01));
    covers(R(MAND_02));
    free(drv);
}

static void test_gen05_06_r312_stale_write_rejected_then_refreshed(void **state)
{
    (void)state;
    fake f;
    vcf_vmsg_driver *drv = ready_default(&f);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_generation(drv), 5);

    /* the write carries the tracked generation */
    assert_int_equal(vcf_vmsg_driver_config_write(drv, 2, "\xaa\xbb", 2, &out), VCF_OK);
    uint16_t tok = drv->req_token;
    char hex[200];
    snprintf(hex, sizeof hex,
             "00 06 01 00 %02x %02x 16 00 05 00 00 00 02 00 00 00 02 00 00 00 aa bb", tok & 0xff,
             tok >> 8);
    expect_tx_hex(&out, hex);
    covers(R(GEN_05));
    covers(R(CFG_03));
    /* rejected: the device is at generation 6 (golden vector G4's response) */
    uint8_t p[32];
    assert_int_equal(reply(drv, &out, p, WORDS(p, 6, 2, 0)), VCF_OK);
    const vcf_vmsg_event *ev = expect_event(&out, VCF_VMSG_EV_CONFIG_REJECTED);
    assert_int_equal(ev->offset, 2);
    assert_int_equal(ev->value, 6);
    /* and the range is read again before anything else */
    const uint8_t *m = expect_request(&out, VCF_VMSG_GET_CONFIG);
    assert_int_equal(th_get32(m + 8), 2);
    assert_int_equal(th_get32(m + 12), 2);
    covers(R(GEN_06));
    covers(R(R3_12));
    f.gen = 6;
    uint8_t resp[64];
    size_t n = fake_rx(&f, m, out.tx[0].len, resp, sizeof resp);
    assert_int_equal(rx(drv, resp, n, &out), VCF_OK);
    expect_event(&out, VCF_VMSG_EV_CONFIG_READ);
    th_no_tx(&out);
    assert_int_equal(vcf_vmsg_driver_generation(drv), 6);

    /* retried with the new generation: applied in part (what the response says) */
    assert_int_equal(vcf_vmsg_driver_config_write(drv, 2, "\xaa\xbb", 2, &out), VCF_OK);
    m = expect_request(&out, VCF_VMSG_SET_CONFIG);
    assert_int_equal(th_get32(m + 8), 6);
    assert_int_equal(reply(drv, &out, p, WORDS(p, 6, 2, 1)), VCF_OK);
    ev = expect_event(&out, VCF_VMSG_EV_DONE);
    assert_int_equal(ev->length, 1);
    assert_int_equal(vcf_vmsg_driver_config_view(drv)[2], 0xaa);
    assert_int_equal(vcf_vmsg_driver_config_view(drv)[3], 0x13);

    /* a response claiming more than was written, or another offset, is dropped */
    assert_int_equal(vcf_vmsg_driver_config_write(drv, 2, "\xaa\xbb", 2, &out), VCF_OK);
    assert_int_equal(reply(drv, &out, p, WORDS(p, 6, 2, 3)), VCF_E_MISMATCH);
    expect_verdict(&out, R(GEN_04), VCF_VMSG_ACT_DROP);
    uint8_t buf[64];
    n = th_msg(buf, sizeof buf, 0x01, VCF_VMSG_SET_CONFIG, DEV, drv->req_token, p,
               WORDS(p, 6, 3, 2));
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_MISMATCH);
    expect_verdict(&out, R(GEN_04), VCF_VMSG_ACT_DROP);
    /* the full write, with the data echoed (§9 A5) */
    memcpy(p + 12, "\xaa\xbb", 2);
    n = th_msg(buf, sizeof buf, 0x01, VCF_VMSG_SET_CONFIG, DEV, drv->req_token, p, 14);
    th_put32(buf + 8 + 8, 2);
    th_put32(buf + 8 + 4, 2);
    assert_int_equal(rx(drv, buf, n, &out), VCF_OK);
    ev = expect_event(&out, VCF_VMSG_EV_DONE);
    assert_int_equal(ev->length, 2);
    assert_int_equal(vcf_vmsg_driver_config_view(drv)[3], 0xbb);
    covers(R(CFG_03));
    free(drv);
}

static void test_gen05_write_refusals(void **state)
{
    (void)state;
    fake f;
    fake_default(&f);
    vcf_vmsg_driver_config cfg = default_cfg();
    cfg.read_config = false;
    vcf_vmsg_driver *drv = driver_with(&cfg);
    vcf_vmsg_output out;
    /* before initialisation: no configuration writes (VMSG-BASE-01) */
    assert_int_equal(vcf_vmsg_driver_config_write(drv, 0, "x", 1, &out), VCF_E_STATE);
    expect_verdict(&out, R(BASE_01), VCF_VMSG_ACT_REFUSE);
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    pump(drv, &f, &out);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_READY);
    /* no GET_CONFIG was sent, so no generation is known */
    assert_false(f.ids_seen[VCF_VMSG_GET_CONFIG]);
    assert_int_equal(vcf_vmsg_driver_config_write(drv, 0, "x", 1, &out), VCF_E_STATE);
    expect_verdict(&out, R(GEN_05), VCF_VMSG_ACT_REFUSE);
    th_no_tx(&out);
    assert_int_equal(vcf_vmsg_driver_config_write(drv, 11, "xy", 2, &out), VCF_E_RANGE);
    expect_verdict(&out, R(CFG_01), VCF_VMSG_ACT_REFUSE);
    assert_int_equal(vcf_vmsg_driver_config_write(drv, 0, "x", 0, &out), VCF_E_INVAL);
    expect_verdict(&out, R(CFG_01), VCF_VMSG_ACT_REFUSE);
    /* reading gives the generation, then the write goes */
    assert_int_equal(vcf_vmsg_driver_config_read(drv, 0, 12, &out), VCF_OK);
    pump(drv, &f, &out);
    assert_int_equal(vcf_vmsg_driver_config_write(drv, 0, "x", 1, &out), VCF_OK);
    pump(drv, &f, &out);
    assert_int_equal(f.config[0], 'x');
    free(drv);
}

static void test_base15_generation_moves_between_chunks(void **state)
{
    (void)state;
    fake f;
    fake_default(&f);
    f.max_msg = 48;
    f.config_size = 60; /* chunks of 28, 28 and 4 */
    vcf_vmsg_driver_config cfg = default_cfg();
    cfg.link.max_msg_size = 48;
    vcf_vmsg_driver *drv = driver_with(&cfg);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    run_until(drv, &f, &out, VCF_VMSG_GET_CONFIG);
    uint8_t resp[300];
    size_t n = fake_rx(&f, out.tx[0].data, out.tx[0].len, resp, sizeof resp);
    rx(drv, resp, n, &out);
    const uint8_t *m = expect_request(&out, VCF_VMSG_GET_CONFIG);
    assert_int_equal(th_get32(m + 8), 28);
    /* the device changes between the chunks: the read starts over at once */
    f.gen = 9;
    f.config[0] = 0x99;
    n = fake_rx(&f, m, out.tx[0].len, resp, sizeof resp);
    rx(drv, resp, n, &out);
    m = expect_request(&out, VCF_VMSG_GET_CONFIG);
    assert_int_equal(th_get32(m + 8), 0);
    for (uint32_t off = 0; off < 60; off += 28) {
        m = expect_request(&out, VCF_VMSG_GET_CONFIG);
        assert_int_equal(th_get32(m + 8), off);
        n = fake_rx(&f, m, out.tx[0].len, resp, sizeof resp);
        rx(drv, resp, n, &out);
    }
    expect_request(&out, VCF_VMSG_GET_VQUEUE);
    assert_int_equal(vcf_vmsg_driver_config_view(drv)[0], 0x99);
    assert_int_equal(vcf_vmsg_driver_generation(drv), 9);
    covers(R(BASE_15));

    /* a device that never holds still: three retries, then initialisation stops */
    vcf_vmsg_driver *d2 = driver_with(&cfg);
    fake_default(&f);
    f.max_msg = 48;
    f.config_size = 60;
    assert_int_equal(vcf_vmsg_driver_start(d2, &out), VCF_OK);
    run_until(d2, &f, &out, VCF_VMSG_GET_CONFIG);
    for (int i = 0; i < 20 && out.n_tx && out.tx[0].data[1] == VCF_VMSG_GET_CONFIG; i++) {
        f.gen++;
        n = fake_rx(&f, out.tx[0].data, out.tx[0].len, resp, sizeof resp);
        rx(d2, resp, n, &out);
    }
    expect_verdict(&out, R(BASE_15), VCF_VMSG_ACT_NOTE);
    expect_event(&out, VCF_VMSG_EV_INIT_FAILED);
    m = expect_request(&out, VCF_VMSG_SET_DEVICE_STATUS);
    assert_int_equal(th_get32(m + 8), 0x8b);
    free(drv);
    free(d2);
}

static void test_base15_event_during_a_single_chunk_read(void **state)
{
    (void)state;
    fake f;
    vcf_vmsg_driver *drv = ready_default(&f);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_config_read(drv, 0, 12, &out), VCF_OK);
    const uint8_t *m = expect_request(&out, VCF_VMSG_GET_CONFIG);
    uint8_t req[32];
    memcpy(req, m, out.tx[0].len);
    /* the device answered at generation 5, then changed and announced 6 without data; the
     * event overtakes the response */
    uint8_t resp[64];
    size_t n = fake_rx(&f, req, 16, resp, sizeof resp);
    uint8_t ev[64];
    size_t en = event_config(ev, sizeof ev, 0x0f, 6, 0, NULL, 0);
    assert_int_equal(rx(drv, ev, en, &out), VCF_OK);
    th_no_tx(&out); /* busy: the read in flight will notice */
    f.gen = 6;
    f.config[1] = 0x77;
    assert_int_equal(rx(drv, resp, n, &out), VCF_OK);
    m = expect_request(&out, VCF_VMSG_GET_CONFIG);
    assert_int_equal(th_get32(m + 8), 0);
    pumped_events = 0;
    pump(drv, &f, &out);
    assert_int_equal(vcf_vmsg_driver_config_view(drv)[1], 0x77);
    assert_true(pumped_events & (1u << VCF_VMSG_EV_CONFIG_READ));
    covers(R(BASE_15));
    free(drv);
}

static void test_cfg04_event_config(void **state)
{
    (void)state;
    fake f;
    vcf_vmsg_driver *drv = ready_default(&f);
    vcf_vmsg_output out;
    uint8_t buf[64];

    /* with data: the view follows it */
    size_t n = event_config(buf, sizeof buf, 0x0f, 6, 4, "\x01\x02\x03", 3);
    assert_int_equal(rx(drv, buf, n, &out), VCF_OK);
    th_no_tx(&out);
    expect_no_verdict(&out);
    const vcf_vmsg_event *ev = expect_event(&out, VCF_VMSG_EV_CONFIG_CHANGED);
    assert_int_equal(ev->offset, 4);
    assert_int_equal(ev->length, 3);
    assert_int_equal(ev->value, 6);
    assert_memory_equal(vcf_vmsg_driver_config_view(drv) + 4, "\x01\x02\x03", 3);
    assert_int_equal(vcf_vmsg_driver_generation(drv), 6);

    /* without data and with the same generation: a status-only change */
    n = event_config(buf, sizeof buf, 0x0f, 6, 0, NULL, 0);
    assert_int_equal(rx(drv, buf, n, &out), VCF_OK);
    th_no_tx(&out);
    assert_int_equal(out.n_events, 0);

    /* without data and with a new generation: the whole space is read again (§9 A6) */
    f.gen = 7;
    f.config[11] = 0x42;
    n = event_config(buf, sizeof buf, 0x0f, 7, 0, NULL, 0);
    assert_int_equal(rx(drv, buf, n, &out), VCF_OK);
    const uint8_t *m = expect_request(&out, VCF_VMSG_GET_CONFIG);
    assert_int_equal(th_get32(m + 8), 0);
    assert_int_equal(th_get32(m + 12), 12);
    uint8_t resp[64];
    size_t rn = fake_rx(&f, m, out.tx[0].len, resp, sizeof resp);
    assert_int_equal(rx(drv, resp, rn, &out), VCF_OK);
    ev = expect_event(&out, VCF_VMSG_EV_CONFIG_CHANGED);
    assert_int_equal(ev->length, 12);
    assert_int_equal(ev->value, 7);
    assert_int_equal(vcf_vmsg_driver_config_view(drv)[11], 0x42);
    covers(R(CFG_04));

    /* while busy, the re-read waits for the request in flight */
    assert_int_equal(vcf_vmsg_driver_get_status(drv, &out), VCF_OK);
    uint8_t req[16];
    memcpy(req, out.tx[0].data, 8);
    f.gen = 8;
    f.config[0] = 0x55;
    n = event_config(buf, sizeof buf, 0x0f, 8, 0, NULL, 0);
    vcf_vmsg_output o2;
    assert_int_equal(rx(drv, buf, n, &o2), VCF_OK);
    th_no_tx(&o2);
    rn = fake_rx(&f, req, 8, resp, sizeof resp);
    assert_int_equal(rx(drv, resp, rn, &out), VCF_OK);
    expect_event(&out, VCF_VMSG_EV_DONE);
    expect_request(&out, VCF_VMSG_GET_CONFIG);
    pump(drv, &f, &out);
    assert_int_equal(vcf_vmsg_driver_config_view(drv)[0], 0x55);
    free(drv);
}

static void test_gen_wraparound(void **state)
{
    (void)state;
    fake f;
    fake_default(&f);
    f.gen = 0xFFFFFFFFu;
    vcf_vmsg_driver_config cfg = default_cfg();
    vcf_vmsg_driver *drv = ready_with(&cfg, &f);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_generation(drv), 0xFFFFFFFFu);
    /* 0xFFFFFFFF -> 0 is a change, not a step back (§9 A16) */
    f.gen = 0;
    uint8_t buf[64];
    size_t n = event_config(buf, sizeof buf, 0x0f, 0, 0, NULL, 0);
    fake_tell(&f, 0);
    assert_int_equal(rx(drv, buf, n, &out), VCF_OK);
    expect_request(&out, VCF_VMSG_GET_CONFIG);
    pump(drv, &f, &out);
    assert_int_equal(vcf_vmsg_driver_generation(drv), 0);
    assert_int_equal(vcf_vmsg_driver_config_write(drv, 0, "z", 1, &out), VCF_OK);
    const uint8_t *m = expect_request(&out, VCF_VMSG_SET_CONFIG);
    assert_int_equal(th_get32(m + 8), 0);
    pump(drv, &f, &out);
    assert_int_equal(f.config[0], 'z');
    covers(R(GEN_05));
    free(drv);
}

/* ---- reset ------------------------------------------------------------------------------- */

static void test_reset01_upper_layer_reset(void **state)
{
    (void)state;
    fake f;
    vcf_vmsg_driver *drv = ready_default(&f);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_reset(drv, false, &out), VCF_OK);
    const uint8_t *m = expect_request(&out, VCF_VMSG_SET_DEVICE_STATUS);
    assert_int_equal(th_get32(m + 8), 0);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_IDLE);
    /* the queues are gone at once: no notification while the reset is in flight */
    vcf_vmsg_output o2;
    assert_int_equal(vcf_vmsg_driver_notify(drv, 0, 0, &o2), VCF_E_STATE);
    assert_int_equal(reply_status(drv, &out, 0), VCF_OK);
    expect_event(&out, VCF_VMSG_EV_DONE);
    th_no_tx(&out);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_IDLE);
    covers(R(RESET_01));
    covers(R(STATUS_02));

    /* with reinit: the whole initialisation again */
    f.status = 0x0f;
    assert_int_equal(vcf_vmsg_driver_reset(drv, true, &out), VCF_OK);
    m = expect_request(&out, VCF_VMSG_SET_DEVICE_STATUS);
    assert_int_equal(th_get32(m + 8), 0);
    uint8_t resp[64];
    size_t n = fake_rx(&f, m, out.tx[0].len, resp, sizeof resp);
    rx(drv, resp, n, &out);
    expect_request(&out, VCF_VMSG_GET_DEVICE_INFO);
    pumped_events = 0;
    pump(drv, &f, &out);
    assert_true(pumped_events & (1u << VCF_VMSG_EV_READY));
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_READY);
    covers(R(RESET_01));
    free(drv);
}

static void test_reset02_needs_reset(void **state)
{
    (void)state;
    fake f;
    vcf_vmsg_driver *drv = ready_default(&f);
    vcf_vmsg_output out;
    uint8_t buf[64];
    /* golden vector G7: NEEDS_RESET with DRIVER_OK, generation 7, no data */
    f.status |= ST_NR;
    size_t n = th_hex("00 40 01 00 00 00 18 00 4f 00 00 00 07 00 00 00 00 00 00 00 00 00 00 00",
                      buf, sizeof buf);
    assert_int_equal(rx(drv, buf, n, &out), VCF_OK);
    expect_event(&out, VCF_VMSG_EV_NEEDS_RESET);
    const uint8_t *m = expect_request(&out, VCF_VMSG_SET_DEVICE_STATUS);
    assert_int_equal(th_get32(m + 8), 0);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_INIT);
    vcf_vmsg_output o2;
    assert_int_equal(vcf_vmsg_driver_notify(drv, 0, 0, &o2), VCF_E_STATE);
    pumped_events = 0;
    pump(drv, &f, &out);
    assert_true(pumped_events & (1u << VCF_VMSG_EV_READY));
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_READY);
    covers(R(RESET_02));

    /* while a request is in flight: the reset follows its response */
    assert_int_equal(vcf_vmsg_driver_get_shm(drv, 0, &out), VCF_OK);
    uint8_t req[16];
    memcpy(req, out.tx[0].data, 12);
    f.status |= ST_NR;
    n = event_config(buf, sizeof buf, f.status, f.gen, 0, NULL, 0);
    assert_int_equal(rx(drv, buf, n, &o2), VCF_OK);
    expect_event(&o2, VCF_VMSG_EV_NEEDS_RESET);
    th_no_tx(&o2);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_INIT);
    uint8_t resp[64];
    size_t rn = fake_rx(&f, req, 12, resp, sizeof resp);
    assert_int_equal(rx(drv, resp, rn, &out), VCF_OK);
    m = expect_request(&out, VCF_VMSG_SET_DEVICE_STATUS);
    assert_int_equal(th_get32(m + 8), 0);
    pumped_events = 0;
    pump(drv, &f, &out);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_READY);

    /* a status read that shows NEEDS_RESET has the same effect */
    f.status |= ST_NR;
    assert_int_equal(vcf_vmsg_driver_get_status(drv, &out), VCF_OK);
    rn = fake_rx(&f, out.tx[0].data, out.tx[0].len, resp, sizeof resp);
    assert_int_equal(rx(drv, resp, rn, &out), VCF_OK);
    expect_event(&out, VCF_VMSG_EV_NEEDS_RESET);
    m = expect_request(&out, VCF_VMSG_SET_DEVICE_STATUS);
    assert_int_equal(th_get32(m + 8), 0);
    pump(drv, &f, &out);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_READY);
    covers(R(RESET_02));
    free(drv);
}

/* ---- virtqueues -------------------------------------------------------------------------- */

static void test_vq07_queue_without_size_unused(void **state)
{
    (void)state;
    fake f;
    fake_default(&f);
    f.vq_max[1] = 0;
    vcf_vmsg_driver_config cfg = default_cfg();
    cfg.num_queues = 3;
    vcf_vmsg_driver *drv = ready_with(&cfg, &f);
    assert_int_equal(vcf_vmsg_driver_vq(drv, 1)->state, VCF_VMSG_VQ_INACTIVE);
    assert_int_equal(vcf_vmsg_driver_vq(drv, 2)->state, VCF_VMSG_VQ_LIVE);
    assert_int_equal(f.vq_size[1], 0);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_notify(drv, 1, 0, &out), VCF_E_NOTFOUND);
    expect_verdict(&out, R(FINAL_03), VCF_VMSG_ACT_REFUSE);
    th_no_tx(&out);
    covers(R(VQ_07));
    free(drv);
}

static void test_vq02_size_capped_to_a_power_of_two(void **state)
{
    (void)state;
    fake f;
    fake_default(&f);
    f.vq_max[0] = 100;
    vcf_vmsg_driver_config cfg = default_cfg();
    vcf_vmsg_driver *drv = ready_with(&cfg, &f);
    assert_int_equal(f.vq_size[0], 64);
    assert_int_equal(vcf_vmsg_driver_vq(drv, 0)->size, 64);
    covers(R(VQ_02));
    free(drv);
}

static void test_vq03_06_queue_found_configured(void **state)
{
    (void)state;
    vcf_vmsg_driver_config cfg = default_cfg();
    vcf_vmsg_driver *drv = driver_with(&cfg);
    vcf_vmsg_output out;
    fake f;
    fake_default(&f);
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    run_until(drv, &f, &out, VCF_VMSG_GET_VQUEUE);
    /* queue 0 still set up after the device reset: a device violation */
    uint8_t p[64];
    size_t pl = WORDS(p, 0, 256, 256, 0, 0x1000, 0, 0x2000, 0, 0x3000, 0);
    assert_int_equal(reply(drv, &out, p, pl), VCF_OK);
    expect_verdict(&out, R(VQ_06), VCF_VMSG_ACT_NOTE);
    /* RING_RESET was negotiated: reset it before programming it */
    const uint8_t *m = expect_request(&out, VCF_VMSG_RESET_VQUEUE);
    assert_int_equal(th_get32(m + 8), 0);
    assert_int_equal(reply(drv, &out, NULL, 0), VCF_OK);
    expect_request(&out, VCF_VMSG_GET_VQUEUE);
    pl = WORDS(p, 0, 256, 0, 0, 0, 0, 0, 0, 0, 0);
    assert_int_equal(reply(drv, &out, p, pl), VCF_OK);
    expect_request(&out, VCF_VMSG_SET_VQUEUE);
    covers(R(VQ_03));
    covers(R(VQ_01));

    /* ... and if the reset does not take, initialisation stops */
    vcf_vmsg_driver *d2 = driver_with(&cfg);
    fake_default(&f);
    assert_int_equal(vcf_vmsg_driver_start(d2, &out), VCF_OK);
    run_until(d2, &f, &out, VCF_VMSG_GET_VQUEUE);
    pl = WORDS(p, 0, 256, 256, 0, 0x1000, 0, 0x2000, 0, 0x3000, 0);
    assert_int_equal(reply(d2, &out, p, pl), VCF_OK);
    assert_int_equal(reply(d2, &out, NULL, 0), VCF_OK);
    assert_int_equal(reply(d2, &out, p, pl), VCF_OK);
    expect_verdict(&out, R(VQ_10), VCF_VMSG_ACT_NOTE);
    expect_event(&out, VCF_VMSG_EV_INIT_FAILED);

    /* without RING_RESET there is no way to clear it: initialisation stops */
    vcf_vmsg_driver *d3 = driver_with(&cfg);
    fake_default(&f);
    f.offered[1] &= ~BIT(F_RR);
    assert_int_equal(vcf_vmsg_driver_start(d3, &out), VCF_OK);
    run_until(d3, &f, &out, VCF_VMSG_GET_VQUEUE);
    pl = WORDS(p, 0, 256, 256, 0, 0x1000, 0, 0x2000, 0, 0x3000, 0);
    assert_int_equal(reply(d3, &out, p, pl), VCF_OK);
    expect_verdict(&out, R(VQ_06), VCF_VMSG_ACT_NOTE);
    expect_event(&out, VCF_VMSG_EV_INIT_FAILED);
    m = expect_request(&out, VCF_VMSG_SET_DEVICE_STATUS);
    assert_int_equal(th_get32(m + 8), 0x8b);
    covers(R(VQ_01));
    free(drv);
    free(d2);
    free(d3);
}

static void test_init03_vq05_queue_not_what_was_programmed(void **state)
{
    (void)state;
    vcf_vmsg_driver_config cfg = default_cfg();
    vcf_vmsg_driver *drv = driver_with(&cfg);
    vcf_vmsg_output out;
    fake f;
    fake_default(&f);
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    run_until(drv, &f, &out, VCF_VMSG_SET_VQUEUE);
    assert_int_equal(reply(drv, &out, NULL, 0), VCF_OK);
    expect_request(&out, VCF_VMSG_GET_VQUEUE);
    uint8_t p[64];
    /* an index that was not asked for is dropped */
    size_t pl = WORDS(p, 1, 256, 256, 0, 0x40000000, 0, 0x40004000, 0, 0x40008000, 0);
    assert_int_equal(reply(drv, &out, p, pl), VCF_E_MISMATCH);
    expect_verdict(&out, R(VQ_06), VCF_VMSG_ACT_DROP);
    /* reserved word set: noted, the response is still used */
    uint8_t buf[64];
    pl = WORDS(p, 0, 256, 256, 0xdead, 0x40000000, 0, 0x40004000, 0, 0x4000C000, 0);
    size_t n = th_msg(buf, sizeof buf, 0x01, VCF_VMSG_GET_VQUEUE, DEV, drv->req_token, p, pl);
    assert_int_equal(rx(drv, buf, n, &out), VCF_OK);
    expect_verdict(&out, R(VQ_13), VCF_VMSG_ACT_NOTE);
    /* the device area is not where it was put */
    const vcf_vmsg_verdict *v = expect_verdict(&out, R(VQ_05), VCF_VMSG_ACT_NOTE);
    assert_string_equal(v->error.field, "device_addr");
    expect_event(&out, VCF_VMSG_EV_INIT_FAILED);
    covers(R(INIT_03));
    free(drv);
}

static void test_vq04_base14_queue_reset(void **state)
{
    (void)state;
    fake f;
    vcf_vmsg_driver *drv = ready_default(&f);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_reset_vq(drv, 1, &out), VCF_OK);
    uint16_t tok = drv->req_token;
    char hex[80];
    snprintf(hex, sizeof hex, "00 0b 01 00 %02x %02x 0c 00 01 00 00 00", tok & 0xff, tok >> 8);
    expect_tx_hex(&out, hex);
    vcf_vmsg_output o2;
    assert_int_equal(vcf_vmsg_driver_notify(drv, 1, 0, &o2), VCF_E_NOTFOUND);
    expect_verdict(&o2, R(FINAL_03), VCF_VMSG_ACT_REFUSE);
    uint8_t resp[64];
    size_t n = fake_rx(&f, out.tx[0].data, out.tx[0].len, resp, sizeof resp);
    assert_int_equal(rx(drv, resp, n, &out), VCF_OK);
    /* verified with GET_VQUEUE */
    const uint8_t *m = expect_request(&out, VCF_VMSG_GET_VQUEUE);
    assert_int_equal(th_get32(m + 8), 1);
    n = fake_rx(&f, m, out.tx[0].len, resp, sizeof resp);
    assert_int_equal(rx(drv, resp, n, &out), VCF_OK);
    const vcf_vmsg_event *ev = expect_event(&out, VCF_VMSG_EV_DONE);
    assert_int_equal(ev->index, 1);
    assert_int_equal(ev->value, 0);
    expect_no_verdict(&out);
    th_no_tx(&out);
    assert_int_equal(vcf_vmsg_driver_vq(drv, 1)->state, VCF_VMSG_VQ_INACTIVE);
    covers(R(BASE_14));
    assert_int_equal(vcf_vmsg_driver_reset_vq(drv, 1, &out), VCF_E_NOTFOUND);
    expect_verdict(&out, R(VQ_04), VCF_VMSG_ACT_REFUSE);

    /* a reset that did not take effect */
    assert_int_equal(vcf_vmsg_driver_reset_vq(drv, 0, &out), VCF_OK);
    assert_int_equal(reply(drv, &out, NULL, 0), VCF_OK);
    uint8_t p[64];
    size_t pl = WORDS(p, 0, 256, 256, 0, 0x40000000, 0, 0x40004000, 0, 0x40008000, 0);
    assert_int_equal(reply(drv, &out, p, pl), VCF_OK);
    expect_verdict(&out, R(VQ_10), VCF_VMSG_ACT_NOTE);
    ev = expect_event(&out, VCF_VMSG_EV_DONE);
    assert_int_equal(ev->value, 256);
    free(drv);

    /* without RING_RESET: refused */
    fake_default(&f);
    f.offered[1] &= ~BIT(F_RR);
    vcf_vmsg_driver_config cfg = default_cfg();
    drv = ready_with(&cfg, &f);
    assert_int_equal(vcf_vmsg_driver_reset_vq(drv, 0, &out), VCF_E_UNSUPPORTED);
    expect_verdict(&out, R(VQ_04), VCF_VMSG_ACT_REFUSE);
    th_no_tx(&out);
    free(drv);
}

static void test_vq11_queue_set_up_after_initialisation(void **state)
{
    (void)state;
    fake f;
    vcf_vmsg_driver *drv = ready_default(&f);
    vcf_vmsg_output out;
    /* queue 1 is live: it must be reset before it is set up again */
    assert_int_equal(vcf_vmsg_driver_setup_vq(drv, 1, &out), VCF_E_INUSE);
    expect_verdict(&out, R(VQ_03), VCF_VMSG_ACT_REFUSE);
    th_no_tx(&out);
    assert_int_equal(vcf_vmsg_driver_reset_vq(drv, 1, &out), VCF_OK);
    pump(drv, &f, &out);
    assert_int_equal(vcf_vmsg_driver_vq(drv, 1)->state, VCF_VMSG_VQ_INACTIVE);
    /* re-enabled with the initial steps: GET_VQUEUE, SET_VQUEUE, GET_VQUEUE (BASE-14) */
    assert_int_equal(vcf_vmsg_driver_setup_vq(drv, 1, &out), VCF_OK);
    const uint8_t *m = expect_request(&out, VCF_VMSG_GET_VQUEUE);
    assert_int_equal(th_get32(m + 8), 1);
    uint8_t resp[300];
    size_t n = fake_rx(&f, m, out.tx[0].len, resp, sizeof resp);
    assert_int_equal(rx(drv, resp, n, &out), VCF_OK);
    m = expect_request(&out, VCF_VMSG_SET_VQUEUE);
    assert_int_equal(th_get32(m + 8), 1);
    uint32_t size = th_get32(m + 16);
    assert_true(size > 0);
    n = fake_rx(&f, m, out.tx[0].len, resp, sizeof resp);
    assert_int_equal(rx(drv, resp, n, &out), VCF_OK);
    m = expect_request(&out, VCF_VMSG_GET_VQUEUE);
    n = fake_rx(&f, m, out.tx[0].len, resp, sizeof resp);
    assert_int_equal(rx(drv, resp, n, &out), VCF_OK);
    const vcf_vmsg_event *ev = expect_event(&out, VCF_VMSG_EV_DONE);
    assert_int_equal(ev->index, 1);
    assert_int_equal(ev->length, size);
    assert_int_equal(vcf_vmsg_driver_vq(drv, 1)->size, size);
    th_no_tx(&out);
    expect_no_verdict(&out);
    /* live at once: notifications may go to it */
    assert_int_equal(vcf_vmsg_driver_vq(drv, 1)->state, VCF_VMSG_VQ_LIVE);
    assert_int_equal(vcf_vmsg_driver_notify(drv, 1, 0, &out), VCF_OK);
    covers(R(VQ_11));
    /* a queue the device does not have */
    assert_int_equal(vcf_vmsg_driver_setup_vq(drv, 40, &out), VCF_E_NOTFOUND);
    expect_verdict(&out, R(VQ_07), VCF_VMSG_ACT_REFUSE);
    free(drv);
}

/* ---- notifications ----------------------------------------------------------------------- */

static void test_notif01_03_event_avail(void **state)
{
    (void)state;
    vcf_vmsg_driver_config cfg = default_cfg();
    vcf_vmsg_driver *idle = driver_with(&cfg);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_notify(idle, 0, 0, &out), VCF_E_STATE);
    expect_verdict(&out, R(BASE_04), VCF_VMSG_ACT_REFUSE);
    expect_verdict(&out, R(FINAL_02), VCF_VMSG_ACT_REFUSE);
    th_no_tx(&out);
    free(idle);

    fake f;
    vcf_vmsg_driver *drv = ready_default(&f);
    /* NOTIFICATION_DATA negotiated: the position goes out (golden vector G6) */
    assert_int_equal(vcf_vmsg_driver_notify(drv, 0, 0x80000005u, &out), VCF_OK);
    expect_tx_hex(&out, "00 41 01 00 00 00 10 00 00 00 00 00 05 00 00 80");
    covers(R(NOTIF_01));
    covers(R(NOTIF_02));
    covers(R(NOTIF_03));
    assert_int_equal(vcf_vmsg_driver_notify(drv, 9, 0, &out), VCF_E_NOTFOUND);
    expect_verdict(&out, R(FINAL_03), VCF_VMSG_ACT_REFUSE);
    assert_int_equal(vcf_vmsg_driver_notify(drv, 1000, 0, &out), VCF_E_NOTFOUND);
    /* an event needs no answer: a request in flight does not hold it back */
    assert_int_equal(vcf_vmsg_driver_get_status(drv, &out), VCF_OK);
    vcf_vmsg_output o2;
    assert_int_equal(vcf_vmsg_driver_notify(drv, 1, 7, &o2), VCF_OK);
    assert_int_equal(th_one_tx(&o2)->data[1], VCF_VMSG_EVENT_AVAIL);
    assert_int_equal(th_get32(o2.tx[0].data + 8), 1);
    free(drv);

    /* without NOTIFICATION_DATA the field is 0 */
    fake_default(&f);
    f.offered[1] &= ~BIT(F_NDATA);
    drv = ready_with(&cfg, &f);
    assert_int_equal(vcf_vmsg_driver_notify(drv, 1, 0x80000005u, &out), VCF_OK);
    expect_tx_hex(&out, "00 41 01 00 00 00 10 00 01 00 00 00 00 00 00 00");
    covers(R(NOTIF_03));
    free(drv);
}

static void test_notif09_event_used(void **state)
{
    (void)state;
    vcf_vmsg_driver_config cfg = default_cfg();
    fake f;
    fake_default(&f);
    vcf_vmsg_driver *drv = driver_with(&cfg);
    vcf_vmsg_output out;
    uint8_t buf[32];
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    vcf_vmsg_output o2;
    size_t n = event_used(buf, sizeof buf, 0);
    assert_int_equal(rx(drv, buf, n, &o2), VCF_E_STATE);
    expect_verdict(&o2, R(BASE_06), VCF_VMSG_ACT_DROP);
    assert_int_equal(o2.n_events, 0);
    th_no_tx(&o2);
    pump(drv, &f, &out);

    /* golden vector G8: EVENT_USED for queue 1 */
    n = th_hex("00 42 01 00 00 00 0c 00 01 00 00 00", buf, sizeof buf);
    assert_int_equal(rx(drv, buf, n, &out), VCF_OK);
    const vcf_vmsg_event *ev = expect_event(&out, VCF_VMSG_EV_USED);
    assert_int_equal(ev->index, 1);
    expect_no_verdict(&out);
    th_no_tx(&out);
    covers(R(NOTIF_09));
    n = event_used(buf, sizeof buf, 2);
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_NOTFOUND);
    expect_verdict(&out, R(NOTIF_09), VCF_VMSG_ACT_DROP);
    n = event_used(buf, sizeof buf, 0xFFFFFFFFu);
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_NOTFOUND);
    expect_verdict(&out, R(NOTIF_09), VCF_VMSG_ACT_DROP);
    /* from another device number */
    n = th_msg(buf, sizeof buf, 0x00, VCF_VMSG_EVENT_USED, 2, 0, "\0\0\0\0", 4);
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_MISMATCH);
    expect_verdict(&out, R(HDR_08), VCF_VMSG_ACT_DROP);
    /* a truncated one is malformed */
    n = th_msg(buf, sizeof buf, 0x00, VCF_VMSG_EVENT_USED, DEV, 0, "\0\0", 2);
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_TRUNCATED);
    expect_verdict(&out, R(REV_04), VCF_VMSG_ACT_DROP);
    free(drv);
}

/* ---- shared memory ----------------------------------------------------------------------- */

static void test_get_shm(void **state)
{
    (void)state;
    fake f;
    vcf_vmsg_driver *drv = ready_default(&f);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_get_shm(drv, 0, &out), VCF_OK);
    const uint8_t *m = expect_request(&out, VCF_VMSG_GET_SHM);
    assert_int_equal(out.tx[0].len, 12);
    assert_int_equal(th_get32(m + 8), 0);
    uint8_t p[16];
    assert_int_equal(reply(drv, &out, p, WORDS(p, 3, 0x1000, 0x50000000)), VCF_E_MISMATCH);
    expect_verdict(&out, R(SHM_01), VCF_VMSG_ACT_DROP);
    uint8_t buf[32];
    size_t n = th_msg(buf, sizeof buf, 0x01, VCF_VMSG_GET_SHM, DEV, drv->req_token, p,
                      WORDS(p, 0, 0x1000, 0x50000000));
    assert_int_equal(rx(drv, buf, n, &out), VCF_OK);
    const vcf_vmsg_event *ev = expect_event(&out, VCF_VMSG_EV_SHM);
    assert_int_equal(ev->index, 0);
    assert_int_equal(ev->length, 0x1000);
    assert_true(ev->value == 0x50000000u);
    free(drv);
}

/* ---- timeouts ---------------------------------------------------------------------------- */

static void test_base03_timeouts(void **state)
{
    (void)state;
    vcf_vmsg_driver_config cfg = default_cfg();
    vcf_vmsg_output out;
    fake f;

    /* nothing in flight: nothing to time out */
    vcf_vmsg_driver *drv = driver_with(&cfg);
    assert_int_equal(vcf_vmsg_driver_timeout(drv, &out), VCF_E_STATE);

    /* the device info never comes: give up, nothing to flag */
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    assert_int_equal(vcf_vmsg_driver_timeout(drv, &out), VCF_OK);
    expect_verdict(&out, R(BASE_03), VCF_VMSG_ACT_NOTE);
    expect_event(&out, VCF_VMSG_EV_INIT_FAILED);
    th_no_tx(&out);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_FAILED);
    /* a late answer matches nothing */
    uint8_t p[32];
    uint8_t buf[64];
    size_t n = th_msg(buf, sizeof buf, 0x01, VCF_VMSG_GET_DEVICE_INFO, DEV, 1, p,
                      WORDS(p, 1, 0, 64, 12, 3, 0));
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_MISMATCH);
    expect_verdict(&out, R(REV_04), VCF_VMSG_ACT_DROP);
    free(drv);

    /* half-way: FAILED is written over the bits already set */
    drv = driver_with(&cfg);
    fake_default(&f);
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    run_until(drv, &f, &out, VCF_VMSG_GET_DEVICE_FEATURES);
    assert_int_equal(vcf_vmsg_driver_timeout(drv, &out), VCF_OK);
    expect_verdict(&out, R(BASE_03), VCF_VMSG_ACT_NOTE);
    const uint8_t *m = expect_request(&out, VCF_VMSG_SET_DEVICE_STATUS);
    assert_int_equal(th_get32(m + 8), 0x83);
    covers(R(BASE_16));
    assert_int_equal(vcf_vmsg_driver_timeout(drv, &out), VCF_OK);
    th_no_tx(&out);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_FAILED);
    covers(R(BASE_03));
    free(drv);

    /* in operation: the request is abandoned and the status read to see why */
    drv = ready_default(&f);
    assert_int_equal(vcf_vmsg_driver_config_read(drv, 0, 4, &out), VCF_OK);
    assert_int_equal(vcf_vmsg_driver_timeout(drv, &out), VCF_OK);
    assert_int_equal(out.n_events, 0);
    expect_request(&out, VCF_VMSG_GET_DEVICE_STATUS);
    covers(R(STATUS_01));
    assert_int_equal(vcf_vmsg_driver_timeout(drv, &out), VCF_OK);
    th_no_tx(&out);
    assert_false(drv->busy);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_READY);
    free(drv);
}

/* ---- removal ----------------------------------------------------------------------------- */

static void test_evdev01_03_removal(void **state)
{
    (void)state;
    fake f;
    vcf_vmsg_driver *drv = ready_default(&f);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_config_read(drv, 0, 4, &out), VCF_OK);
    uint8_t req[16];
    memcpy(req, out.tx[0].data, 16);
    assert_int_equal(vcf_vmsg_driver_removed(drv, &out), VCF_OK);
    th_no_tx(&out);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_REMOVED);
    assert_false(drv->busy);
    /* the abandoned request's answer is not acted on */
    uint8_t resp[64];
    size_t n = fake_rx(&f, req, 16, resp, sizeof resp);
    assert_int_equal(rx(drv, resp, n, &out), VCF_E_STATE);
    expect_verdict(&out, R(EVDEV_01), VCF_VMSG_ACT_DROP);
    assert_int_equal(out.n_events, 0);
    /* no new work */
    assert_int_equal(vcf_vmsg_driver_notify(drv, 0, 0, &out), VCF_E_STATE);
    expect_verdict(&out, R(EVDEV_01), VCF_VMSG_ACT_REFUSE);
    assert_int_equal(vcf_vmsg_driver_config_read(drv, 0, 4, &out), VCF_E_STATE);
    expect_verdict(&out, R(EVDEV_01), VCF_VMSG_ACT_REFUSE);
    assert_int_equal(vcf_vmsg_driver_get_status(drv, &out), VCF_E_STATE);
    expect_verdict(&out, R(EVDEV_01), VCF_VMSG_ACT_REFUSE);
    th_no_tx(&out);
    assert_int_equal(vcf_vmsg_driver_vq(drv, 0)->state, VCF_VMSG_VQ_INACTIVE);
    /* removed twice: nothing more happens */
    assert_int_equal(vcf_vmsg_driver_removed(drv, &out), VCF_OK);
    th_no_tx(&out);
    covers(R(EVDEV_01));

    /* the device comes back (READY): probed with GET_DEVICE_INFO */
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    expect_request(&out, VCF_VMSG_GET_DEVICE_INFO);
    covers(R(EVDEV_02));
    /* READY again while initialising: tolerated, nothing sent */
    vcf_vmsg_output o2;
    assert_int_equal(vcf_vmsg_driver_start(drv, &o2), VCF_OK);
    th_no_tx(&o2);
    pump(drv, &f, &out);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_READY);
    assert_int_equal(vcf_vmsg_driver_start(drv, &o2), VCF_OK);
    th_no_tx(&o2);
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_READY);
    covers(R(EVDEV_03));
    free(drv);
}

/* ---- matching and malformed messages ----------------------------------------------------- */

static void test_rev04_pr28_unmatched_and_invalid(void **state)
{
    (void)state;
    fake f;
    vcf_vmsg_driver *drv = ready_default(&f);
    vcf_vmsg_output out;
    uint8_t buf[64];
    uint8_t p[32];
    /* a response with nothing in flight */
    size_t n = th_msg(buf, sizeof buf, 0x01, VCF_VMSG_GET_DEVICE_STATUS, DEV, 1, p, WORDS(p, 0));
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_MISMATCH);
    expect_verdict(&out, R(REV_04), VCF_VMSG_ACT_DROP);
    th_no_tx(&out);
    /* a response to another request, or for another device */
    assert_int_equal(vcf_vmsg_driver_get_status(drv, &out), VCF_OK);
    uint16_t tok = drv->req_token;
    n = th_msg(buf, sizeof buf, 0x01, VCF_VMSG_GET_SHM, DEV, tok, p, WORDS(p, 0, 0, 0));
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_MISMATCH);
    expect_verdict(&out, R(REV_04), VCF_VMSG_ACT_DROP);
    n = th_msg(buf, sizeof buf, 0x01, VCF_VMSG_GET_DEVICE_STATUS, 7, tok, p, WORDS(p, 0x0f));
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_MISMATCH);
    expect_verdict(&out, R(REV_04), VCF_VMSG_ACT_DROP);
    /* malformed: msg_size past the buffer, wrong payload size */
    n = th_msg(buf, sizeof buf, 0x01, VCF_VMSG_GET_DEVICE_STATUS, DEV, tok, p, WORDS(p, 0x0f));
    th_put16(buf + 6, 13);
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_SIZE_MISMATCH);
    expect_verdict(&out, R(REV_04), VCF_VMSG_ACT_DROP);
    n = th_msg(buf, sizeof buf, 0x01, VCF_VMSG_GET_DEVICE_STATUS, DEV, tok, p, 8);
    assert_int_not_equal(rx(drv, buf, n, &out), VCF_OK);
    expect_verdict(&out, R(REV_04), VCF_VMSG_ACT_DROP);
    /* requests, bus messages, implementation-defined and driver-only messages */
    n = th_msg(buf, sizeof buf, 0x00, VCF_VMSG_GET_DEVICE_STATUS, DEV, tok, NULL, 0);
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_BAD_KIND);
    expect_verdict(&out, R(REV_04), VCF_VMSG_ACT_DROP);
    n = th_hex("02 40 00 00 00 00 0c 00 01 00 02 00", buf, sizeof buf);
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_UNKNOWN_ID);
    expect_verdict(&out, R(REV_04), VCF_VMSG_ACT_DROP);
    n = th_msg(buf, sizeof buf, 0x00, 0xC3, DEV, 0, "\1\2", 2);
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_UNSUPPORTED);
    expect_verdict(&out, R(REV_04), VCF_VMSG_ACT_DROP);
    n = th_msg(buf, sizeof buf, 0x00, VCF_VMSG_EVENT_AVAIL, DEV, 0, p, WORDS(p, 0, 0));
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_BAD_KIND);
    expect_verdict(&out, R(REV_04), VCF_VMSG_ACT_DROP);
    assert_true(drv->busy);
    /* the real answer is still taken; PR28 tokens are the bus's and not looked at */
    n = th_msg(buf, sizeof buf, 0x01, VCF_VMSG_GET_DEVICE_STATUS, DEV, (uint16_t)(tok ^ 0xBEEF), p,
               WORDS(p, 0x0f));
    assert_int_equal(rx(drv, buf, n, &out), VCF_OK);
    expect_event(&out, VCF_VMSG_EV_DONE);
    covers(R(HDR_05));
    /* trailing bus framing past msg_size is ignored (zero) or noted (non-zero) */
    assert_int_equal(vcf_vmsg_driver_get_status(drv, &out), VCF_OK);
    n = th_msg(buf, sizeof buf, 0x01, VCF_VMSG_GET_DEVICE_STATUS, DEV, 0, p, WORDS(p, 0x0f));
    memset(buf + n, 0, 4);
    assert_int_equal(rx(drv, buf, n + 4, &out), VCF_OK);
    expect_no_verdict(&out);
    expect_event(&out, VCF_VMSG_EV_DONE);
    free(drv);
}

static vcf_vmsg_driver_config rfc3_cfg(void)
{
    vcf_vmsg_driver_config cfg = default_cfg();
    cfg.link.rev = VCF_VMSG_REV_RFC3;
    return cfg;
}

static void test_r3_tokens(void **state)
{
    (void)state;
    fake f;
    fake_default(&f);
    vcf_vmsg_driver_config cfg = rfc3_cfg();
    vcf_vmsg_driver *drv = driver_with(&cfg);
    vcf_vmsg_output out;
    /* every request carries a fresh non-zero token, echoed by the fake device */
    assert_int_equal(vcf_vmsg_driver_start(drv, &out), VCF_OK);
    uint16_t last = 0;
    for (int guard = 0; guard < 100 && out.n_tx; guard++) {
        const vcf_vmsg_tx *tx = th_one_tx(&out);
        uint16_t tok = th_get16(tx->data + 4);
        assert_int_not_equal(tok, 0);
        assert_int_not_equal(tok, last);
        last = tok;
        assert_true(tx->len >= 8 && tx->len <= 264);
        uint8_t resp[300];
        size_t n = fake_rx(&f, tx->data, tx->len, resp, sizeof resp);
        rx(drv, resp, n, &out);
    }
    assert_int_equal(vcf_vmsg_driver_state_of(drv), VCF_VMSG_DRV_READY);
    covers(R(R3_01));
    covers(R(R3_02));
    covers(R(R3_03));
    /* events go out with token 0 */
    assert_int_equal(vcf_vmsg_driver_notify(drv, 0, 0, &out), VCF_OK);
    assert_int_equal(th_get16(th_one_tx(&out)->data + 4), 0);

    assert_int_equal(vcf_vmsg_driver_get_status(drv, &out), VCF_OK);
    uint16_t tok = drv->req_token;
    uint8_t buf[64], p[8];
    size_t n = th_msg(buf, sizeof buf, 0x01, VCF_VMSG_GET_DEVICE_STATUS, DEV, 0, p, WORDS(p, 15));
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_MISMATCH);
    expect_verdict(&out, R(R3_01), VCF_VMSG_ACT_DROP);
    n = th_msg(buf, sizeof buf, 0x01, VCF_VMSG_GET_DEVICE_STATUS, DEV, (uint16_t)(tok + 1), p,
               WORDS(p, 15));
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_MISMATCH);
    expect_verdict(&out, R(R3_02), VCF_VMSG_ACT_DROP);
    /* bus framing after the message: zero, and ignored */
    n = th_msg(buf, sizeof buf, 0x01, VCF_VMSG_GET_DEVICE_STATUS, DEV, tok, p, WORDS(p, 15));
    memset(buf + n, 0, 4);
    assert_int_equal(rx(drv, buf, n + 4, &out), VCF_OK);
    expect_event(&out, VCF_VMSG_EV_DONE);
    expect_no_verdict(&out);
    covers(R(R3_13));
    /* answered already: a duplicate is dropped */
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_MISMATCH);
    expect_verdict(&out, R(R3_14), VCF_VMSG_ACT_DROP);
    /* a reserved transport ID is invalid in RFC3 */
    n = th_msg(buf, sizeof buf, 0x00, 0xC3, DEV, 0, "\1\2", 2);
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_UNKNOWN_ID);
    expect_verdict(&out, R(R3_05), VCF_VMSG_ACT_DROP);
    /* an event with a token is noted and handled */
    n = th_msg(buf, sizeof buf, 0x00, VCF_VMSG_EVENT_USED, DEV, 5, p, WORDS(p, 0));
    assert_int_equal(rx(drv, buf, n, &out), VCF_OK);
    expect_verdict(&out, R(R3_01), VCF_VMSG_ACT_NOTE);
    expect_event(&out, VCF_VMSG_EV_USED);
    free(drv);
}

/* ---- reserved header bits and the linux profile ------------------------------------------ */

static void test_hdr01_15_16_reserved_type_bits(void **state)
{
    (void)state;
    fake f;
    vcf_vmsg_driver *drv = ready_default(&f);
    vcf_vmsg_output out;
    uint8_t buf[64], p[8];
    /* strict: an event with reserved type bits is handled, the bits noted */
    size_t n = th_msg(buf, sizeof buf, 0x04, VCF_VMSG_EVENT_USED, DEV, 0, p, WORDS(p, 0));
    assert_int_equal(rx(drv, buf, n, &out), VCF_OK);
    expect_verdict(&out, R(HDR_15), VCF_VMSG_ACT_NOTE);
    expect_verdict(&out, R(HDR_01), VCF_VMSG_ACT_NOTE);
    expect_event(&out, VCF_VMSG_EV_USED);
    /* a response is matched with those bits ignored */
    assert_int_equal(vcf_vmsg_driver_get_status(drv, &out), VCF_OK);
    n = th_msg(buf, sizeof buf, 0x81, VCF_VMSG_GET_DEVICE_STATUS, DEV, drv->req_token, p,
               WORDS(p, 15));
    assert_int_equal(rx(drv, buf, n, &out), VCF_OK);
    expect_verdict(&out, R(HDR_01), VCF_VMSG_ACT_NOTE);
    expect_event(&out, VCF_VMSG_EV_DONE);
    covers(R(HDR_15));
    free(drv);

    /* linux: such an event is dropped */
    fake_default(&f);
    vcf_vmsg_driver_config cfg = default_cfg();
    cfg.link.profile = VCF_VMSG_PROFILE_LINUX;
    drv = ready_with(&cfg, &f);
    n = th_msg(buf, sizeof buf, 0x04, VCF_VMSG_EVENT_USED, DEV, 0, p, WORDS(p, 0));
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_RESERVED);
    expect_impl(&out, R(HDR_01), R(HDR_16), VCF_VMSG_ACT_DEVIATE);
    assert_int_equal(out.n_events, 0);
    n = event_config(buf, sizeof buf, 0x4f, 9, 0, NULL, 0);
    buf[0] = 0x80;
    assert_int_equal(rx(drv, buf, n, &out), VCF_E_RESERVED);
    expect_impl(&out, R(HDR_01), R(HDR_16), VCF_VMSG_ACT_DEVIATE);
    th_no_tx(&out);
    assert_int_equal(vcf_vmsg_driver_generation(drv), 5);
    /* a clean event is handled as in strict */
    n = event_used(buf, sizeof buf, 0);
    assert_int_equal(rx(drv, buf, n, &out), VCF_OK);
    expect_event(&out, VCF_VMSG_EV_USED);
    free(drv);
}

/* ---- every core message ------------------------------------------------------------------ */

static void test_mand02_every_core_message(void **state)
{
    (void)state;
    fake f;
    vcf_vmsg_driver *drv = ready_default(&f);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_config_write(drv, 0, "q", 1, &out), VCF_OK);
    pump(drv, &f, &out);
    assert_int_equal(vcf_vmsg_driver_get_status(drv, &out), VCF_OK);
    pump(drv, &f, &out);
    assert_int_equal(vcf_vmsg_driver_reset_vq(drv, 0, &out), VCF_OK);
    pump(drv, &f, &out);
    assert_int_equal(vcf_vmsg_driver_get_shm(drv, 0, &out), VCF_OK);
    pump(drv, &f, &out);
    assert_int_equal(vcf_vmsg_driver_notify(drv, 1, 0, &out), VCF_OK);
    pump(drv, &f, &out);
    static const uint8_t core[] = {VCF_VMSG_GET_DEVICE_INFO,
                                   VCF_VMSG_GET_DEVICE_FEATURES,
                                   VCF_VMSG_SET_DRIVER_FEATURES,
                                   VCF_VMSG_GET_CONFIG,
                                   VCF_VMSG_SET_CONFIG,
                                   VCF_VMSG_GET_DEVICE_STATUS,
                                   VCF_VMSG_SET_DEVICE_STATUS,
                                   VCF_VMSG_GET_VQUEUE,
                                   VCF_VMSG_SET_VQUEUE,
                                   VCF_VMSG_RESET_VQUEUE,
                                   VCF_VMSG_GET_SHM,
                                   VCF_VMSG_EVENT_AVAIL};
    for (size_t i = 0; i < sizeof core; i++)
        if (!f.ids_seen[core[i]])
            fail_msg("msg_id 0x%02x never sent", core[i]);
    covers(R(MAND_02));
    free(drv);
}

/* ---- a long randomised run --------------------------------------------------------------- */

static uint32_t rnd_below(uint32_t n)
{
    return th_rand() % n;
}

typedef struct run {
    vcf_vmsg_driver *drv;
    fake f;
    bool pending;
    uint8_t req[300];
    size_t req_len;
    unsigned requests, events, drops;
} run;

/* Every message the driver sends, whatever happened before. */
static void check_output(run *r, const vcf_vmsg_output *out)
{
    const vcf_vmsg_driver_config *cfg = &r->drv->cfg;
    for (size_t i = 0; i < out->n_tx; i++) {
        const vcf_vmsg_tx *tx = &out->tx[i];
        assert_int_equal(tx->dest, VCF_VMSG_TO_PEER);
        assert_true(tx->len >= 8 && tx->len <= cfg->link.max_msg_size);
        assert_int_equal(th_get16(tx->data + 6), tx->len);
        assert_int_equal(th_get16(tx->data + 2), cfg->dev_num);
        assert_int_equal(tx->data[0], 0x00);
        vcf_vmsg_class cls;
        assert_int_equal(vcf_vmsg_classify(tx->data[0], tx->data[1], cfg->link.rev, &cls), VCF_OK);
        assert_true(cls.kind != VCF_VMSG_K_NONE && cls.kind != VCF_VMSG_K_IMPL_DEFINED);
        if (is_request(tx)) {
            assert_false(r->pending); /* one request in flight */
            fake_sent(&r->f, tx);
            r->pending = true;
            memcpy(r->req, tx->data, tx->len);
            r->req_len = tx->len;
            r->requests++;
            if (cfg->link.rev == VCF_VMSG_REV_RFC3)
                assert_int_not_equal(th_get16(tx->data + 4), 0);
        } else {
            uint8_t resp[8];
            assert_int_equal(fake_rx(&r->f, tx->data, tx->len, resp, sizeof resp), 0);
            r->events++;
            if (cfg->link.rev == VCF_VMSG_REV_RFC3)
                assert_int_equal(th_get16(tx->data + 4), 0);
        }
    }
    if (out->status < 0)
        r->drops++;
    assert_int_equal(r->drv->busy, r->pending);
}

static void answer(run *r)
{
    vcf_vmsg_output out;
    uint8_t resp[300];
    size_t n = fake_rx(&r->f, r->req, r->req_len, resp, sizeof resp);
    r->pending = false;
    vcf_vmsg_driver_rx(r->drv, resp, n, &out);
    check_output(r, &out);
}

/* The device changes its configuration and says so, with the data or without. */
static void device_change(run *r)
{
    vcf_vmsg_output out;
    uint32_t off = rnd_below(r->f.config_size);
    uint32_t len = 1 + rnd_below(r->f.config_size - off);
    for (uint32_t i = 0; i < len; i++)
        r->f.config[off + i] = (uint8_t)th_rand();
    r->f.gen++;
    fake_tell(&r->f, r->f.gen);
    uint8_t buf[300];
    bool with_data = rnd_below(2) == 0;
    size_t n = event_config(buf, sizeof buf, r->f.status, r->f.gen, with_data ? off : 0,
                            r->f.config + off, with_data ? len : 0);
    vcf_vmsg_driver_rx(r->drv, buf, n, &out);
    check_output(r, &out);
}

static void random_step(run *r)
{
    vcf_vmsg_output out;
    vcf_vmsg_driver *drv = r->drv;
    uint32_t roll = rnd_below(100);
    if (r->pending && roll < 55) {
        answer(r);
        return;
    }
    if (r->pending && roll < 58) {
        r->pending = false;
        vcf_vmsg_driver_timeout(drv, &out);
        check_output(r, &out);
        return;
    }
    uint8_t data[64];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)th_rand();
    int rc = VCF_OK;
    switch (rnd_below(16)) {
    case 0: rc = vcf_vmsg_driver_start(drv, &out); break;
    case 1: {
        uint32_t off = rnd_below(16), len = 1 + rnd_below(16);
        rc = vcf_vmsg_driver_config_read(drv, off, len, &out);
        break;
    }
    case 2:
    case 3: {
        uint32_t off = rnd_below(16), len = 1 + rnd_below(8);
        rc = vcf_vmsg_driver_config_write(drv, off, data, len, &out);
        break;
    }
    case 4:
    case 5: rc = vcf_vmsg_driver_notify(drv, rnd_below(4), th_rand(), &out); break;
    case 6: rc = vcf_vmsg_driver_reset_vq(drv, rnd_below(4), &out); break;
    case 7: rc = vcf_vmsg_driver_get_status(drv, &out); break;
    case 8: rc = vcf_vmsg_driver_get_shm(drv, rnd_below(3), &out); break;
    case 9: rc = vcf_vmsg_driver_reset(drv, rnd_below(4) != 0, &out); break;
    case 10:
    case 11: device_change(r); return;
    case 12: {
        uint8_t buf[32];
        size_t n = event_used(buf, sizeof buf, rnd_below(4));
        vcf_vmsg_driver_rx(drv, buf, n, &out);
        break;
    }
    case 13:
        if (rnd_below(4) == 0) {
            r->f.status |= ST_NR;
            uint8_t buf[64];
            size_t n = event_config(buf, sizeof buf, r->f.status, r->f.gen, 0, NULL, 0);
            vcf_vmsg_driver_rx(drv, buf, n, &out);
        } else {
            vcf_vmsg_driver_get_status(drv, &out);
        }
        break;
    case 14: {
        /* noise that cannot pass for the answer in flight or for a device event */
        uint8_t buf[64];
        size_t n = 8 + rnd_below(40);
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)th_rand();
        if ((buf[0] & 1) || buf[1] == VCF_VMSG_EVENT_CONFIG || buf[1] == VCF_VMSG_EVENT_USED)
            buf[1] = 0x3F;
        vcf_vmsg_driver_rx(drv, buf, n, &out);
        break;
    }
    default:
        if (rnd_below(8) == 0) {
            r->pending = false;
            vcf_vmsg_driver_removed(drv, &out);
        } else {
            vcf_vmsg_driver_start(drv, &out);
        }
        break;
    }
    if (rc == VCF_E_AGAIN)
        assert_true(r->pending);
    check_output(r, &out);
}

static void random_run(vcf_vmsg_rev rev, uint32_t max_msg, uint32_t seed)
{
    run *r = calloc(1, sizeof *r);
    assert_non_null(r);
    fake_default(&r->f);
    r->f.max_msg = max_msg;
    r->f.config_size = 40;
    vcf_vmsg_driver_config cfg = default_cfg();
    cfg.link.rev = rev;
    cfg.link.max_msg_size = max_msg;
    cfg.num_queues = 3;
    r->drv = driver_with(&cfg);
    th_seed(seed);
    vcf_vmsg_output out;
    assert_int_equal(vcf_vmsg_driver_start(r->drv, &out), VCF_OK);
    check_output(r, &out);
    for (int i = 0; i < 6000; i++)
        random_step(r);

    /* settle: answer what is in flight, initialise once more, compare the views */
    for (int guard = 0; guard < 500 && r->pending; guard++)
        answer(r);
    if (vcf_vmsg_driver_reset(r->drv, true, &out) != VCF_OK)
        assert_int_equal(vcf_vmsg_driver_start(r->drv, &out), VCF_OK);
    check_output(r, &out);
    for (int guard = 0; guard < 500 && r->pending; guard++)
        answer(r);
    assert_int_equal(vcf_vmsg_driver_state_of(r->drv), VCF_VMSG_DRV_READY);
    assert_memory_equal(vcf_vmsg_driver_config_view(r->drv), r->f.config, r->f.config_size);
    assert_int_equal(vcf_vmsg_driver_generation(r->drv), r->f.gen);
    assert_true(r->requests > 1000);
    assert_true(r->events > 20);
    assert_true(r->drops > 50);
    free(r->drv);
    free(r);
}

static void test_randomised_sequences(void **state)
{
    (void)state;
    random_run(VCF_VMSG_REV_PR28, 264, 0x12345678u);
    random_run(VCF_VMSG_REV_PR28, 48, 0x9e3779b9u);
    random_run(VCF_VMSG_REV_RFC3, 64, 0xdeadbeefu);
    covers(R(REV_01));
    covers(R(BASE_02));
    covers(R(BASE_05));
    covers(R(SIZE_01));
    covers(R(HDR_02));
    covers(R(HDR_03));
    covers(R(R3_03));
}

/* ---- coverage ---------------------------------------------------------------------------- */

static void test_every_driver_rule_is_tested(void **state)
{
    (void)state;
    static const th_exempt exempt[] = {
        {R(REV_03), "revision history: transport revision 1 is the only one, so there is no "
                    "earlier revision's behaviour to observe"},
        {R(GETDEV_04), "enumeration with GET_DEVICES is the bus requester's (vmsg_bus.c); this "
                       "model drives one device number given to it"},
        {R(PING_02), "PING is sent and timed by the bus model; the recovery it asks for is "
                     "GET_DEVICE_STATUS, tested under VMSG-STATUS-01"},
        {R(R3_10), "polling a used ring touches shared memory, not messages: nothing the model "
                   "sends or receives shows it"},
    };
    expect_role_covered(VCF_ACTOR_DRIVER, exempt, sizeof exempt / sizeof *exempt, true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_default_and_checks),
        cmocka_unit_test(test_full_initialisation_bytes),
        cmocka_unit_test(test_base12_version_1_always_accepted),
        cmocka_unit_test(test_feat03_features_ok_refused),
        cmocka_unit_test(test_feat01_05_blocks_past_the_feature_count),
        cmocka_unit_test(test_size01_split_messages_at_48),
        cmocka_unit_test(test_size01_bus_too_small_for_queues),
        cmocka_unit_test(test_no_device),
        cmocka_unit_test(test_info02_03_device_info_is_authoritative),
        cmocka_unit_test(test_base11_status04_reset_not_complete),
        cmocka_unit_test(test_status06_init04_status_responses),
        cmocka_unit_test(test_status01_get_status),
        cmocka_unit_test(test_cfg01_upper_layer_reads),
        cmocka_unit_test(test_gen05_06_r312_stale_write_rejected_then_refreshed),
        cmocka_unit_test(test_gen05_write_refusals),
        cmocka_unit_test(test_base15_generation_moves_between_chunks),
        cmocka_unit_test(test_base15_event_during_a_single_chunk_read),
        cmocka_unit_test(test_cfg04_event_config),
        cmocka_unit_test(test_gen_wraparound),
        cmocka_unit_test(test_reset01_upper_layer_reset),
        cmocka_unit_test(test_reset02_needs_reset),
        cmocka_unit_test(test_vq07_queue_without_size_unused),
        cmocka_unit_test(test_vq02_size_capped_to_a_power_of_two),
        cmocka_unit_test(test_vq03_06_queue_found_configured),
        cmocka_unit_test(test_vq11_queue_set_up_after_initialisation),
        cmocka_unit_test(test_init03_vq05_queue_not_what_was_programmed),
        cmocka_unit_test(test_vq04_base14_queue_reset),
        cmocka_unit_test(test_notif01_03_event_avail),
        cmocka_unit_test(test_notif09_event_used),
        cmocka_unit_test(test_get_shm),
        cmocka_unit_test(test_base03_timeouts),
        cmocka_unit_test(test_evdev01_03_removal),
        cmocka_unit_test(test_rev04_pr28_unmatched_and_invalid),
        cmocka_unit_test(test_r3_tokens),
        cmocka_unit_test(test_hdr01_15_16_reserved_type_bits),
        cmocka_unit_test(test_mand02_every_core_message),
        cmocka_unit_test(test_randomised_sequences),
        cmocka_unit_test(test_every_driver_rule_is_tested),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
