/* SPDX-License-Identifier: MIT */
/*
 * virtio-msg wire codecs: every transport and bus message, ID classification per revision,
 * boundary lengths, rule checks, encoder consistency.
 */
#include "vcf_test.h"

#include "vconform/rules.h"
#include "vconform/vmsg.h"
#include "vmsg_layout.h"
#include "vmsg_samples.h"

static vcf_vmsg_params pr28(void)
{
    vcf_vmsg_params p;
    vcf_vmsg_params_default(&p);
    return p;
}

static vcf_vmsg_params rfc3(void)
{
    vcf_vmsg_params p = pr28();
    p.rev = VCF_VMSG_REV_RFC3;
    return p;
}

/* Decode hex that must be clean, check its kind, and check it re-encodes to the same bytes. */
static void decode_clean(const char *hex, vcf_vmsg_kind kind, vcf_vmsg_msg *m, uint8_t *buf,
                         size_t cap)
{
    size_t n = th_hex(hex, buf, cap);
    vcf_vmsg_params p = pr28();
    vcf_error err;
    int rc = vcf_vmsg_decode(buf, n, &p, m, &err);
    if (rc != VCF_OK) {
        char line[256];
        vcf_error_format(&err, line, sizeof line);
        fail_msg("%s: %s", hex, line);
    }
    assert_int_equal(m->kind, kind);
    assert_int_equal(m->hdr.msg_size, n);
    uint8_t out[128];
    assert_int_equal(vcf_vmsg_encode(m, out, sizeof out, NULL), (int)n);
    assert_bytes_equal(out, buf, n);
}

/* ---- golden vectors (../shared/reference/virtio-msg-rules.md §12) ------------------------- */

/* The names tools give a message (the JSON "message", the dissector's virtio_msg.kind). */
static void test_msg_name(void **state)
{
    (void)state;
    vcf_vmsg_msg m;
    char buf[64];
    assert_int_equal(vcf_vmsg_init(&m, VCF_VMSG_K_GET_DEVICE_INFO_RESP, 1, 2), VCF_OK);
    assert_int_equal(vcf_vmsg_msg_name(&m, buf, sizeof buf), strlen("GET_DEVICE_INFO response"));
    assert_string_equal(buf, "GET_DEVICE_INFO response");
    assert_int_equal(vcf_vmsg_init(&m, VCF_VMSG_K_BUS_EVENT_DEVICE, 0, 0), VCF_OK);
    vcf_vmsg_msg_name(&m, buf, sizeof buf);
    assert_string_equal(buf, "EVENT_DEVICE event");
    memset(&m, 0, sizeof m);
    m.kind = VCF_VMSG_K_IMPL_DEFINED;
    m.hdr.type = VCF_VMSG_TYPE_BUS;
    m.hdr.msg_id = 0xC1;
    vcf_vmsg_msg_name(&m, buf, sizeof buf);
    assert_string_equal(buf, "implementation-defined bus message 0xc1");
    m.hdr.type = 0;
    vcf_vmsg_msg_name(&m, buf, sizeof buf);
    assert_string_equal(buf, "implementation-defined transport message 0xc1");
    /* cut to fit, always terminated */
    assert_int_equal(vcf_vmsg_msg_name(&m, buf, 5), 4);
    assert_string_equal(buf, "impl");
}

static void test_g1_device_info(void **state)
{
    (void)state;
    uint8_t b[64];
    vcf_vmsg_msg m;
    decode_clean("00 02 01 00 01 00 08 00", VCF_VMSG_K_GET_DEVICE_INFO_REQ, &m, b, sizeof b);
    assert_int_equal(m.hdr.type, 0);
    assert_int_equal(m.hdr.dev_num, 1);
    assert_int_equal(m.hdr.token, 1);
    decode_clean("01 02 01 00 01 00 20 00 | 01 00 00 00 51 45 4d 55 40 00 00 00 0c 00 00 00 "
                 "03 00 00 00 00 00 00 00",
                 VCF_VMSG_K_GET_DEVICE_INFO_RESP, &m, b, sizeof b);
    assert_int_equal(m.u.device_info.device_id, 1);
    assert_int_equal(m.u.device_info.vendor_id, 0x554D4551u);
    assert_int_equal(m.u.device_info.num_feature_bits, 64);
    assert_int_equal(m.u.device_info.config_size, 12);
    assert_int_equal(m.u.device_info.max_virtqueues, 3);
    assert_int_equal(m.u.device_info.admin_vq_start, 0);
    assert_int_equal(m.u.device_info.admin_vq_count, 0);
}

static void test_g2_set_device_status_refused(void **state)
{
    (void)state;
    uint8_t b[64];
    vcf_vmsg_msg m;
    decode_clean("00 08 01 00 02 00 0c 00 0b 00 00 00", VCF_VMSG_K_SET_DEVICE_STATUS_REQ, &m, b,
                 sizeof b);
    assert_int_equal(m.u.status, 0x0B);
    decode_clean("01 08 01 00 02 00 0c 00 03 00 00 00", VCF_VMSG_K_SET_DEVICE_STATUS_RESP, &m, b,
                 sizeof b);
    assert_int_equal(m.u.status, 0x03);
}

static void test_g3_set_vqueue(void **state)
{
    (void)state;
    uint8_t b[64];
    vcf_vmsg_msg m;
    decode_clean("00 0a 01 00 03 00 30 00 | 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 "
                 "00 10 00 40 00 00 00 00 00 20 00 40 00 00 00 00 00 30 00 40 00 00 00 00",
                 VCF_VMSG_K_SET_VQUEUE_REQ, &m, b, sizeof b);
    assert_int_equal(m.u.set_vqueue.index, 0);
    assert_int_equal(m.u.set_vqueue.size, 256);
    assert_int_equal(m.u.set_vqueue.desc_addr, 0x40001000u);
    assert_int_equal(m.u.set_vqueue.driver_addr, 0x40002000u);
    assert_int_equal(m.u.set_vqueue.device_addr, 0x40003000u);
    decode_clean("01 0a 01 00 03 00 08 00", VCF_VMSG_K_SET_VQUEUE_RESP, &m, b, sizeof b);
}

static void test_g4_set_config_rejected(void **state)
{
    (void)state;
    uint8_t b[64];
    vcf_vmsg_msg m;
    decode_clean("00 06 01 00 04 00 16 00 | 05 00 00 00 00 00 00 00 02 00 00 00 aa bb",
                 VCF_VMSG_K_SET_CONFIG_REQ, &m, b, sizeof b);
    assert_int_equal(m.u.config.generation, 5);
    assert_int_equal(m.u.config.length, 2);
    assert_int_equal(m.u.config.data.len, 2);
    assert_int_equal(m.u.config.data.ptr[1], 0xBB);
    decode_clean("01 06 01 00 04 00 14 00 | 06 00 00 00 00 00 00 00 00 00 00 00",
                 VCF_VMSG_K_SET_CONFIG_RESP, &m, b, sizeof b);
    assert_int_equal(m.u.config.generation, 6);
    assert_int_equal(m.u.config.length, 0);
    assert_int_equal(m.u.config.data.len, 0);
}

static void test_g5_device_features(void **state)
{
    (void)state;
    uint8_t b[64];
    vcf_vmsg_msg m;
    decode_clean("00 03 01 00 05 00 10 00 00 00 00 00 02 00 00 00",
                 VCF_VMSG_K_GET_DEVICE_FEATURES_REQ, &m, b, sizeof b);
    assert_int_equal(m.u.features.num_blocks, 2);
    decode_clean("01 03 01 00 05 00 18 00 | 00 00 00 00 02 00 00 00 00 00 00 00 01 01 00 00",
                 VCF_VMSG_K_GET_DEVICE_FEATURES_RESP, &m, b, sizeof b);
    assert_int_equal(vcf_vmsg_feature_block(&m.u.features, 0), 0);
    /* VERSION_1 (bit 32) and RING_RESET (bit 40) */
    assert_int_equal(vcf_vmsg_feature_block(&m.u.features, 1), 0x101u);
    assert_int_equal(vcf_vmsg_feature_block(&m.u.features, 2), 0); /* past the end */
}

static void test_g6_event_avail(void **state)
{
    (void)state;
    uint8_t b[64];
    vcf_vmsg_msg m;
    decode_clean("00 41 01 00 00 00 10 00 | 00 00 00 00 05 00 00 80", VCF_VMSG_K_EVENT_AVAIL, &m, b,
                 sizeof b);
    assert_int_equal(m.u.event_avail.vq_index, 0);
    assert_int_equal(m.u.event_avail.next_offset & VCF_VMSG_NEXT_OFF_MASK, 5);
    assert_true(m.u.event_avail.next_offset & VCF_VMSG_NEXT_WRAP);
}

static void test_g7_event_config(void **state)
{
    (void)state;
    uint8_t b[64];
    vcf_vmsg_msg m;
    decode_clean("00 40 01 00 00 00 18 00 | 4f 00 00 00 07 00 00 00 00 00 00 00 00 00 00 00",
                 VCF_VMSG_K_EVENT_CONFIG, &m, b, sizeof b);
    assert_int_equal(m.u.event_config.device_status, 0x4F);
    assert_int_equal(m.u.event_config.generation, 7);
    assert_int_equal(m.u.event_config.length, 0);
    assert_int_equal(m.u.event_config.data.len, 0);
}

static void test_g8_event_used(void **state)
{
    (void)state;
    uint8_t b[64];
    vcf_vmsg_msg m;
    decode_clean("00 42 01 00 00 00 0c 00 01 00 00 00", VCF_VMSG_K_EVENT_USED, &m, b, sizeof b);
    assert_int_equal(m.u.index, 1);
}

/* The spec's own example: offset 0, count 16, devices 0, 2 and 5 present, LSB first. */
static void test_g9_get_devices(void **state)
{
    (void)state;
    uint8_t b[64];
    vcf_vmsg_msg m;
    decode_clean("02 02 00 00 09 00 0c 00 00 00 10 00", VCF_VMSG_K_BUS_GET_DEVICES_REQ, &m, b,
                 sizeof b);
    assert_int_equal(m.u.devices.offset, 0);
    assert_int_equal(m.u.devices.count, 16);
    decode_clean("03 02 00 00 09 00 10 00 | 00 00 10 00 10 00 25 00",
                 VCF_VMSG_K_BUS_GET_DEVICES_RESP, &m, b, sizeof b);
    assert_int_equal(m.u.devices.next_offset, 16);
    assert_int_equal(m.u.devices.bitmap.len, 2);
    for (uint32_t d = 0; d < 20; d++)
        assert_int_equal(vcf_vmsg_device_present(&m.u.devices, d), d == 0 || d == 2 || d == 5);
}

static void test_g10_g11_ping_and_event_device(void **state)
{
    (void)state;
    uint8_t b[64];
    vcf_vmsg_msg m;
    decode_clean("02 03 00 00 0a 00 0c 00 ef be ad de", VCF_VMSG_K_BUS_PING_REQ, &m, b, sizeof b);
    assert_int_equal(m.u.ping, 0xDEADBEEFu);
    decode_clean("03 03 00 00 0a 00 0c 00 ef be ad de", VCF_VMSG_K_BUS_PING_RESP, &m, b, sizeof b);
    decode_clean("02 40 00 00 00 00 0c 00 03 00 01 00", VCF_VMSG_K_BUS_EVENT_DEVICE, &m, b,
                 sizeof b);
    assert_int_equal(m.u.event_device.device_number, 3);
    assert_int_equal(m.u.event_device.state, VCF_VMSG_BUS_STATE_READY);
}

/* Older wire formats are not silently accepted as RFC3/PR28. */
static void test_g12_g13_older_revisions_rejected(void **state)
{
    (void)state;
    uint8_t b[64];
    vcf_vmsg_params p = pr28();
    vcf_vmsg_msg m;
    vcf_error err;
    /* RFC2: 6-byte header */
    size_t n = th_hex("00 02 01 00 06 00", b, sizeof b);
    assert_int_equal(vcf_vmsg_parse(b, n, &p, &m, &err), VCF_E_TRUNCATED);
    assert_string_equal(err.field, "msg_size");
    assert_int_equal(err.offset, 6);
    /* RFC1: fixed 40-byte frame with a 4-byte header: msg_size reads as 0 */
    memset(b, 0, 40);
    th_hex("00 02 01 00", b, 4);
    assert_int_equal(vcf_vmsg_parse(b, 40, &p, &m, &err), VCF_E_SIZE_RANGE);
    assert_string_equal(err.field, "msg_size");
    assert_int_equal(err.actual, 0);
    /* RFC2 SET_VQUEUE: 36-byte payload, msg_size 44 */
    vmsg_sample(VCF_VMSG_K_SET_VQUEUE_REQ, &m);
    n = (size_t)vcf_vmsg_encode(&m, b, sizeof b, NULL);
    assert_int_equal(n, 48);
    b[6] = 44;
    assert_int_equal(vcf_vmsg_parse(b, 44, &p, &m, &err), VCF_E_TRUNCATED);
    assert_string_equal(err.field, "device_addr");
    assert_int_equal(err.offset, 40);
    assert_int_equal(err.expected, 48);
    assert_int_equal(err.actual, 44);
}

/* ---- hand-computed vectors for the kinds the reference table leaves out ---------------- */

static void test_vectors_other_kinds(void **state)
{
    (void)state;
    uint8_t b[64];
    vcf_vmsg_msg m;
    decode_clean("00 09 01 00 07 00 0c 00 02 00 00 00", VCF_VMSG_K_GET_VQUEUE_REQ, &m, b, sizeof b);
    assert_int_equal(m.u.index, 2);
    decode_clean("01 09 01 00 07 00 30 00 | 02 00 00 00 00 01 00 00 80 00 00 00 00 00 00 00 "
                 "88 77 66 55 44 33 22 11 00 20 00 00 00 00 00 00 00 30 00 00 00 00 00 00",
                 VCF_VMSG_K_GET_VQUEUE_RESP, &m, b, sizeof b);
    assert_int_equal(m.u.vqueue.index, 2);
    assert_int_equal(m.u.vqueue.max_size, 256);
    assert_int_equal(m.u.vqueue.cur_size, 128);
    assert_int_equal(m.u.vqueue.reserved, 0);
    assert_true(m.u.vqueue.desc_addr == 0x1122334455667788u);
    assert_int_equal(m.u.vqueue.driver_addr, 0x2000);
    assert_int_equal(m.u.vqueue.device_addr, 0x3000);
    decode_clean("00 05 01 00 08 00 10 00 | 04 00 00 00 02 00 00 00", VCF_VMSG_K_GET_CONFIG_REQ, &m,
                 b, sizeof b);
    assert_int_equal(m.u.config.offset, 4);
    assert_int_equal(m.u.config.length, 2);
    decode_clean("01 05 01 00 08 00 16 00 | 06 00 00 00 04 00 00 00 02 00 00 00 12 34",
                 VCF_VMSG_K_GET_CONFIG_RESP, &m, b, sizeof b);
    assert_int_equal(m.u.config.generation, 6);
    assert_int_equal(m.u.config.data.ptr[0], 0x12);
    decode_clean("00 07 01 00 09 00 08 00", VCF_VMSG_K_GET_DEVICE_STATUS_REQ, &m, b, sizeof b);
    decode_clean("01 07 01 00 09 00 0c 00 0f 00 00 00", VCF_VMSG_K_GET_DEVICE_STATUS_RESP, &m, b,
                 sizeof b);
    assert_int_equal(m.u.status, 0x0F);
    decode_clean("00 0b 01 00 0a 00 0c 00 01 00 00 00", VCF_VMSG_K_RESET_VQUEUE_REQ, &m, b,
                 sizeof b);
    decode_clean("01 0b 01 00 0a 00 08 00", VCF_VMSG_K_RESET_VQUEUE_RESP, &m, b, sizeof b);
    decode_clean("00 0c 01 00 0b 00 0c 00 00 00 00 00", VCF_VMSG_K_GET_SHM_REQ, &m, b, sizeof b);
    decode_clean("01 0c 01 00 0b 00 14 00 | 00 00 00 00 00 00 10 00 00 00 00 80",
                 VCF_VMSG_K_GET_SHM_RESP, &m, b, sizeof b);
    assert_int_equal(m.u.shm.length, 0x100000);
    assert_int_equal(m.u.shm.address, 0x80000000u);
    decode_clean("00 04 01 00 0c 00 18 00 | 00 00 00 00 02 00 00 00 00 00 00 00 01 01 00 00",
                 VCF_VMSG_K_SET_DRIVER_FEATURES_REQ, &m, b, sizeof b);
    assert_int_equal(vcf_vmsg_feature_block(&m.u.features, 1), 0x101);
    decode_clean("01 04 01 00 0c 00 08 00", VCF_VMSG_K_SET_DRIVER_FEATURES_RESP, &m, b, sizeof b);
    decode_clean("00 85 01 00 0d 00 0b 00 01 02 03", VCF_VMSG_K_IMPL_DEFINED, &m, b, sizeof b);
    assert_int_equal(m.u.opaque.len, 3);
}

/* ---- layout tables ----------------------------------------------------------------------- */

static void test_layout_tables_are_contiguous(void **state)
{
    (void)state;
    for (int k = VCF_VMSG_K_NONE + 1; k < VCF_VMSG_K_COUNT; k++) {
        const vcf_vmsg_layout *l = vcf_vmsg_layout_of((vcf_vmsg_kind)k);
        assert_non_null(l);
        size_t at = 0;
        for (uint8_t i = 0; i < l->nfields; i++) {
            const vcf_vmsg_fdef *f = &l->fields[i];
            assert_int_equal(f->off, at);
            assert_true(f->size == 2 || f->size == 4 || f->size == 8);
            assert_true((size_t)f->soff + f->size <= sizeof(vcf_vmsg_msg));
            at += f->size;
        }
        assert_int_equal(at, l->fixed);
    }
    assert_null(vcf_vmsg_layout_of(VCF_VMSG_K_NONE));
    assert_null(vcf_vmsg_layout_of(VCF_VMSG_K_COUNT));
}

/* ---- every kind: round trip and boundary lengths ------------------------------------------ */

static void test_every_kind_round_trips(void **state)
{
    (void)state;
    vcf_vmsg_params ps[2] = {pr28(), rfc3()};
    for (int k = VCF_VMSG_K_NONE + 1; k < VCF_VMSG_K_COUNT; k++) {
        for (int r = 0; r < 2; r++) {
            uint8_t buf[128], again[128];
            size_t n = vmsg_sample_bytes((vcf_vmsg_kind)k, buf, sizeof buf);
            assert_int_equal(th_le(buf + 6, 2), n);
            vcf_vmsg_msg m;
            vcf_error err;
            int rc = vcf_vmsg_decode(buf, n, &ps[r], &m, &err);
            if (rc != VCF_OK)
                fail_msg("%s (%s): %s %s", vcf_vmsg_kind_name((vcf_vmsg_kind)k),
                         vcf_vmsg_rev_name(ps[r].rev), vcf_status_name(rc), err.detail);
            assert_int_equal(m.kind, k);
            assert_int_equal(vcf_vmsg_encoded_size(&m), (long)n);
            assert_int_equal(vcf_vmsg_encode(&m, again, sizeof again, NULL), (int)n);
            assert_bytes_equal(again, buf, n);
        }
    }
}

static size_t fixed_of(vcf_vmsg_kind k)
{
    return vcf_vmsg_layout_of(k)->fixed;
}

/* Every prefix of every message is refused, and names what is missing. */
static void test_every_kind_cut_short(void **state)
{
    (void)state;
    vcf_vmsg_params p = pr28();
    for (int k = VCF_VMSG_K_NONE + 1; k < VCF_VMSG_K_COUNT; k++) {
        uint8_t buf[128];
        size_t n = vmsg_sample_bytes((vcf_vmsg_kind)k, buf, sizeof buf);
        for (size_t len = 0; len < n; len++) {
            vcf_vmsg_msg m;
            vcf_error err;
            int rc = vcf_vmsg_parse(buf, len, &p, &m, &err);
            if (len < 8) {
                assert_int_equal(rc, VCF_E_TRUNCATED);
                assert_int_equal(err.expected, 8);
            } else {
                /* msg_size still says n: it disagrees with the shorter buffer */
                assert_int_equal(rc, VCF_E_SIZE_MISMATCH);
                assert_string_equal(err.field, "msg_size");
                assert_int_equal(err.expected, len);
                assert_int_equal(err.actual, n);
            }
        }
    }
}

/* msg_size (and the buffer) shortened to every value between 8 and the real size. */
static void test_every_kind_msg_size_short(void **state)
{
    (void)state;
    vcf_vmsg_params p = pr28();
    for (int k = VCF_VMSG_K_NONE + 1; k < VCF_VMSG_K_COUNT; k++) {
        uint8_t buf[128];
        size_t n = vmsg_sample_bytes((vcf_vmsg_kind)k, buf, sizeof buf);
        size_t fixed = fixed_of((vcf_vmsg_kind)k);
        for (size_t sz = 8; sz < n; sz++) {
            buf[6] = (uint8_t)sz;
            vcf_vmsg_msg m;
            vcf_error err;
            int rc = vcf_vmsg_parse(buf, sz, &p, &m, &err);
            if (k == VCF_VMSG_K_IMPL_DEFINED) {
                assert_int_equal(rc, VCF_OK); /* opaque payload: any size */
                assert_int_equal(m.u.opaque.len, sz - 8);
            } else if (sz - 8 < fixed) {
                assert_int_equal(rc, VCF_E_TRUNCATED);
                assert_int_equal(err.expected, 8 + fixed);
                assert_int_equal(err.actual, sz);
                assert_true(err.offset >= 8 && err.offset <= sz);
            } else if (k == VCF_VMSG_K_SET_CONFIG_RESP && sz == 20) {
                assert_int_equal(rc, VCF_OK); /* the response without echoed data */
                assert_int_equal(m.u.config.data.len, 0);
            } else {
                assert_int_equal(rc, VCF_E_SIZE_MISMATCH);
                assert_string_equal(err.field, "msg_size");
            }
        }
    }
}

/* One byte more, counted by msg_size: trailing bytes or a count that disagrees. */
static void test_every_kind_one_byte_over(void **state)
{
    (void)state;
    vcf_vmsg_params p = pr28();
    for (int k = VCF_VMSG_K_NONE + 1; k < VCF_VMSG_K_COUNT; k++) {
        uint8_t buf[128];
        size_t n = vmsg_sample_bytes((vcf_vmsg_kind)k, buf, sizeof buf);
        buf[n] = 0;
        buf[6] = (uint8_t)(n + 1);
        vcf_vmsg_msg m;
        vcf_error err;
        int rc = vcf_vmsg_parse(buf, n + 1, &p, &m, &err);
        int tail = vcf_vmsg_layout_of((vcf_vmsg_kind)k)->tail;
        if (tail == VCF_TAIL_OPAQUE) {
            assert_int_equal(rc, VCF_OK);
        } else if (tail == VCF_TAIL_NONE) {
            assert_int_equal(rc, VCF_E_TRAILING);
            assert_int_equal(err.offset, n);
            assert_string_equal(err.field, "trailing");
        } else {
            assert_int_equal(rc, VCF_E_SIZE_MISMATCH);
        }

        /* the same extra byte outside msg_size: trailing, or zero padding if allowed */
        buf[6] = (uint8_t)n;
        assert_int_equal(vcf_vmsg_parse(buf, n + 1, &p, &m, &err), VCF_E_TRAILING);
        assert_int_equal(err.offset, n);
        vcf_vmsg_params pad = p;
        pad.allow_padding = true;
        assert_int_equal(vcf_vmsg_decode(buf, n + 1, &pad, &m, &err), VCF_OK);
        assert_int_equal(m.padding.len, 1);
        buf[n] = 0x5A;
        assert_int_equal(vcf_vmsg_decode(buf, n + 1, &pad, &m, &err), VCF_E_MBZ);
        assert_string_equal(err.field, "padding");
        assert_int_equal(err.offset, n);
    }
}

static void test_msg_size_field_range(void **state)
{
    (void)state;
    vcf_vmsg_params p = pr28();
    uint8_t b[16];
    vcf_vmsg_msg m;
    vcf_error err;
    for (unsigned sz = 0; sz < 8; sz++) {
        th_hex("00 02 01 00 01 00 00 00", b, sizeof b);
        b[6] = (uint8_t)sz;
        assert_int_equal(vcf_vmsg_parse(b, 8, &p, &m, &err), VCF_E_SIZE_RANGE);
        assert_int_equal(err.offset, 6);
        assert_int_equal(err.expected, 8);
        assert_int_equal(err.actual, sz);
    }
    th_hex("00 02 01 00 01 00 ff ff", b, sizeof b); /* the field's maximum */
    assert_int_equal(vcf_vmsg_parse(b, 8, &p, &m, &err), VCF_E_SIZE_MISMATCH);
    assert_int_equal(err.actual, 0xFFFF);
    assert_int_equal(err.expected, 8);
}

/* Counts as large as the fields allow must not overflow the size arithmetic. */
static void test_huge_counts(void **state)
{
    (void)state;
    vcf_vmsg_params p = pr28();
    uint8_t b[64];
    vcf_vmsg_msg m;
    vcf_error err;
    size_t n = th_hex("01 03 01 00 05 00 18 00 | 00 00 00 00 ff ff ff ff 00 00 00 00 01 01 00 00",
                      b, sizeof b);
    assert_int_equal(vcf_vmsg_parse(b, n, &p, &m, &err), VCF_E_SIZE_MISMATCH);
    assert_true(err.expected == 16u + 4ull * 0xFFFFFFFFu);
    n = th_hex("01 05 01 00 08 00 16 00 | 06 00 00 00 04 00 00 00 ff ff ff ff 12 34", b, sizeof b);
    assert_int_equal(vcf_vmsg_parse(b, n, &p, &m, &err), VCF_E_SIZE_MISMATCH);
    assert_true(err.expected == 20u + 0xFFFFFFFFull);
    /* num_blocks that fits the buffer: 3 blocks in a 28-byte response */
    n = th_hex("01 03 01 00 05 00 1c 00 | 00 00 00 00 03 00 00 00 01 00 00 00 02 00 00 00 "
               "03 00 00 00",
               b, sizeof b);
    assert_int_equal(vcf_vmsg_decode(b, n, &p, &m, &err), VCF_OK);
    assert_int_equal(vcf_vmsg_feature_block(&m.u.features, 2), 3);
    /* a GET_DEVICES response window that is not a multiple of 8 takes whole bytes */
    n = th_hex("03 02 00 00 09 00 10 00 | 00 00 0c 00 00 00 25 08", b, sizeof b);
    assert_int_equal(vcf_vmsg_parse(b, n, &p, &m, &err), VCF_OK);
    assert_true(vcf_vmsg_device_present(&m.u.devices, 11));
    assert_false(vcf_vmsg_device_present(&m.u.devices, 12)); /* outside the window */
    /* QEMU's 14 + count response size is refused */
    n = th_hex("03 02 00 00 09 00 1e 00 | 00 00 10 00 10 00 25 00 00 00 00 00 00 00 00 00 00 00 "
               "00 00 00 00",
               b, sizeof b);
    assert_int_equal(vcf_vmsg_parse(b, n, &p, &m, &err), VCF_E_SIZE_MISMATCH);
    assert_int_equal(err.expected, 16);
    assert_int_equal(err.actual, 30);
}

/* ---- classification --------------------------------------------------------------------- */

static void test_classification_per_revision(void **state)
{
    (void)state;
    static const struct {
        vcf_vmsg_rev rev;
        uint8_t type, id;
        int rc;
        vcf_vmsg_kind kind;
        vcf_vmsg_range range;
    } cases[] = {
        {VCF_VMSG_REV_PR28, 0x00, 0x02, VCF_OK, VCF_VMSG_K_GET_DEVICE_INFO_REQ,
         VCF_VMSG_RANGE_REQUEST},
        {VCF_VMSG_REV_PR28, 0x01, 0x0C, VCF_OK, VCF_VMSG_K_GET_SHM_RESP, VCF_VMSG_RANGE_REQUEST},
        {VCF_VMSG_REV_PR28, 0x00, 0x00, VCF_E_UNKNOWN_ID, VCF_VMSG_K_NONE, VCF_VMSG_RANGE_REQUEST},
        {VCF_VMSG_REV_PR28, 0x00, 0x01, VCF_E_UNKNOWN_ID, VCF_VMSG_K_NONE, VCF_VMSG_RANGE_REQUEST},
        {VCF_VMSG_REV_PR28, 0x00, 0x0D, VCF_E_UNKNOWN_ID, VCF_VMSG_K_NONE, VCF_VMSG_RANGE_REQUEST},
        {VCF_VMSG_REV_PR28, 0x00, 0x3F, VCF_E_UNKNOWN_ID, VCF_VMSG_K_NONE, VCF_VMSG_RANGE_REQUEST},
        {VCF_VMSG_REV_PR28, 0x00, 0x42, VCF_OK, VCF_VMSG_K_EVENT_USED, VCF_VMSG_RANGE_EVENT},
        {VCF_VMSG_REV_PR28, 0x00, 0x43, VCF_E_UNKNOWN_ID, VCF_VMSG_K_NONE, VCF_VMSG_RANGE_EVENT},
        {VCF_VMSG_REV_PR28, 0x01, 0x40, VCF_E_BAD_KIND, VCF_VMSG_K_NONE, VCF_VMSG_RANGE_EVENT},
        {VCF_VMSG_REV_PR28, 0x00, 0x80, VCF_OK, VCF_VMSG_K_IMPL_DEFINED,
         VCF_VMSG_RANGE_IMPL_REQUEST},
        {VCF_VMSG_REV_PR28, 0x01, 0xBF, VCF_OK, VCF_VMSG_K_IMPL_DEFINED,
         VCF_VMSG_RANGE_IMPL_REQUEST},
        {VCF_VMSG_REV_PR28, 0x00, 0xC0, VCF_OK, VCF_VMSG_K_IMPL_DEFINED, VCF_VMSG_RANGE_IMPL_EVENT},
        {VCF_VMSG_REV_PR28, 0x01, 0xC5, VCF_E_BAD_KIND, VCF_VMSG_K_NONE, VCF_VMSG_RANGE_IMPL_EVENT},
        {VCF_VMSG_REV_PR28, 0x02, 0x02, VCF_OK, VCF_VMSG_K_BUS_GET_DEVICES_REQ,
         VCF_VMSG_RANGE_REQUEST},
        {VCF_VMSG_REV_PR28, 0x03, 0x03, VCF_OK, VCF_VMSG_K_BUS_PING_RESP, VCF_VMSG_RANGE_REQUEST},
        {VCF_VMSG_REV_PR28, 0x02, 0x04, VCF_E_UNKNOWN_ID, VCF_VMSG_K_NONE, VCF_VMSG_RANGE_REQUEST},
        {VCF_VMSG_REV_PR28, 0x03, 0x40, VCF_E_BAD_KIND, VCF_VMSG_K_NONE, VCF_VMSG_RANGE_EVENT},
        {VCF_VMSG_REV_PR28, 0x02, 0x41, VCF_E_UNKNOWN_ID, VCF_VMSG_K_NONE, VCF_VMSG_RANGE_EVENT},
        {VCF_VMSG_REV_PR28, 0x02, 0x81, VCF_OK, VCF_VMSG_K_IMPL_DEFINED,
         VCF_VMSG_RANGE_IMPL_REQUEST},
        /* reserved type bits do not change the class: they are ignored on receive */
        {VCF_VMSG_REV_PR28, 0xFD, 0x02, VCF_OK, VCF_VMSG_K_GET_DEVICE_INFO_RESP,
         VCF_VMSG_RANGE_REQUEST},
        /* RFC3: transport 0x80+ reserved by the specification, bus 0x80+ implementation's */
        {VCF_VMSG_REV_RFC3, 0x00, 0x80, VCF_E_UNKNOWN_ID, VCF_VMSG_K_NONE, VCF_VMSG_RANGE_RESERVED},
        {VCF_VMSG_REV_RFC3, 0x00, 0xC0, VCF_E_UNKNOWN_ID, VCF_VMSG_K_NONE, VCF_VMSG_RANGE_RESERVED},
        {VCF_VMSG_REV_RFC3, 0x02, 0x80, VCF_OK, VCF_VMSG_K_IMPL_DEFINED, VCF_VMSG_RANGE_IMPL},
        {VCF_VMSG_REV_RFC3, 0x03, 0xC7, VCF_OK, VCF_VMSG_K_IMPL_DEFINED, VCF_VMSG_RANGE_IMPL},
        {VCF_VMSG_REV_RFC3, 0x00, 0x0A, VCF_OK, VCF_VMSG_K_SET_VQUEUE_REQ, VCF_VMSG_RANGE_REQUEST},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vcf_vmsg_class c;
        int rc = vcf_vmsg_classify(cases[i].type, cases[i].id, cases[i].rev, &c);
        if (rc != cases[i].rc || c.kind != cases[i].kind || c.range != cases[i].range)
            fail_msg("case %zu (type 0x%02x id 0x%02x): rc %d kind %d range %d", i, cases[i].type,
                     cases[i].id, rc, c.kind, c.range);
        assert_int_equal(c.bus, (cases[i].type & 2) != 0);
        assert_int_equal(c.response, (cases[i].type & 1) != 0);
    }
    vcf_vmsg_class c;
    assert_int_equal(vcf_vmsg_classify(0, 2, (vcf_vmsg_rev)99, &c), VCF_E_INVAL);
}

/* Every (type, msg_id) pair: parse agrees with classify, and nothing crashes. */
static void test_all_ids_parse_like_classify(void **state)
{
    (void)state;
    vcf_vmsg_params ps[2] = {pr28(), rfc3()};
    for (int r = 0; r < 2; r++) {
        for (unsigned type = 0; type < 4; type++) {
            for (unsigned id = 0; id < 256; id++) {
                uint8_t b[8] = {(uint8_t)type, (uint8_t)id, 0, 0, 1, 0, 8, 0};
                vcf_vmsg_class c;
                int crc = vcf_vmsg_classify(b[0], b[1], ps[r].rev, &c);
                vcf_vmsg_msg m;
                vcf_error err;
                int prc = vcf_vmsg_parse(b, 8, &ps[r], &m, &err);
                if (crc != VCF_OK) {
                    assert_int_equal(prc, crc);
                    assert_int_equal(err.offset, crc == VCF_E_BAD_KIND ? 0 : 1);
                } else {
                    /* known kinds with an empty body parse; others miss their fields */
                    size_t fixed = fixed_of(c.kind);
                    assert_int_equal(prc, fixed ? VCF_E_TRUNCATED : VCF_OK);
                }
            }
        }
    }
}

static void test_rev_names(void **state)
{
    (void)state;
    vcf_vmsg_rev rev;
    assert_int_equal(vcf_vmsg_rev_parse("rfc3", &rev), VCF_OK);
    assert_int_equal(rev, VCF_VMSG_REV_RFC3);
    assert_int_equal(vcf_vmsg_rev_parse("pr28", &rev), VCF_OK);
    assert_int_equal(rev, VCF_VMSG_REV_PR28);
    assert_int_equal(vcf_vmsg_rev_parse("rfc2", &rev), VCF_E_INVAL);
    assert_int_equal(vcf_vmsg_rev_parse(NULL, &rev), VCF_E_INVAL);
    assert_string_equal(vcf_vmsg_rev_name(VCF_VMSG_REV_RFC3), "rfc3");
    assert_null(vcf_vmsg_rev_name((vcf_vmsg_rev)0));
    assert_string_equal(vcf_vmsg_kind_name(VCF_VMSG_K_GET_VQUEUE_RESP), "GET_VQUEUE");
    assert_string_equal(vcf_vmsg_kind_direction(VCF_VMSG_K_GET_VQUEUE_RESP), "response");
    assert_string_equal(vcf_vmsg_kind_direction(VCF_VMSG_K_EVENT_USED), "event");
    assert_string_equal(vcf_vmsg_kind_direction(VCF_VMSG_K_BUS_GET_DEVICES_REQ), "request");
    assert_string_equal(vcf_vmsg_kind_direction(VCF_VMSG_K_IMPL_DEFINED), "unknown");
}

/* ---- rule checks -------------------------------------------------------------------------- */

/* Decode hex under params, expect exactly one rule violation on field at offset. */
static void expect_rule(const vcf_vmsg_params *p, const char *hex, int code, const char *field,
                        size_t offset)
{
    uint8_t b[128];
    size_t n = th_hex(hex, b, sizeof b);
    vcf_vmsg_msg m;
    vcf_error errs[4];
    assert_int_equal(vcf_vmsg_parse(b, n, p, &m, NULL), VCF_OK);
    size_t count = vcf_vmsg_check(&m, p, errs, 4);
    if (count != 1)
        fail_msg("%s: %zu violations, expected 1", hex, count);
    assert_int_equal(errs[0].code, code);
    assert_string_equal(errs[0].field, field);
    assert_int_equal(errs[0].offset, offset);
    vcf_error first;
    assert_int_equal(vcf_vmsg_decode(b, n, p, &m, &first), code);
}

static void expect_clean(const vcf_vmsg_params *p, const char *hex)
{
    uint8_t b[128];
    size_t n = th_hex(hex, b, sizeof b);
    vcf_vmsg_msg m;
    vcf_error err;
    int rc = vcf_vmsg_decode(b, n, p, &m, &err);
    if (rc != VCF_OK)
        fail_msg("%s: %s (%s)", hex, vcf_status_name(rc), err.field);
}

static void test_rule_type_reserved_bits(void **state)
{
    (void)state;
    vcf_vmsg_params p = pr28();
    expect_rule(&p, "fc 02 01 00 01 00 08 00", VCF_E_RESERVED, "type", 0);
    expect_rule(&p,
                "05 02 01 00 01 00 20 00 | 01 00 00 00 51 45 4d 55 40 00 00 00 0c 00 00 00 "
                "03 00 00 00 00 00 00 00",
                VCF_E_RESERVED, "type", 0);
}

static void test_rule_max_msg_size(void **state)
{
    (void)state;
    vcf_vmsg_params p = pr28();
    const char *resp48 = "01 09 01 00 07 00 30 00 | 02 00 00 00 00 01 00 00 80 00 00 00 "
                         "00 00 00 00 88 77 66 55 44 33 22 11 00 20 00 00 00 00 00 00 "
                         "00 30 00 00 00 00 00 00";
    p.max_msg_size = VCF_VMSG_SPEC_MIN_MAX_MSG_SIZE; /* 44: too small for this response */
    expect_rule(&p, resp48, VCF_E_TOO_LARGE, "msg_size", 6);
    p.max_msg_size = VCF_VMSG_USABLE_MIN_MAX_MSG_SIZE;
    expect_clean(&p, resp48);
}

static void test_rule_bus_dev_num(void **state)
{
    (void)state;
    vcf_vmsg_params p = pr28();
    /* QEMU's EVENT_DEVICE puts the device number in the header */
    expect_rule(&p, "02 40 03 00 00 00 0c 00 03 00 01 00", VCF_E_MBZ, "dev_num", 2);
    /* transport device number 0 is allowed */
    expect_clean(&p, "00 02 00 00 01 00 08 00");
}

static void test_rule_rfc3_tokens(void **state)
{
    (void)state;
    vcf_vmsg_params r3 = rfc3(), p28 = pr28();
    const char *req0 = "00 02 01 00 00 00 08 00";
    const char *resp0 = "03 03 00 00 00 00 0c 00 ef be ad de"; /* QEMU bus responses */
    const char *event1 = "00 42 01 00 07 00 0c 00 01 00 00 00";
    expect_rule(&r3, req0, VCF_E_RANGE, "token", 4);
    expect_rule(&r3, resp0, VCF_E_RANGE, "token", 4);
    expect_rule(&r3, event1, VCF_E_MBZ, "token", 4);
    /* PR28 hands the token to the bus: any value */
    expect_clean(&p28, req0);
    expect_clean(&p28, resp0);
    expect_clean(&p28, event1);
    /* RFC3 bus implementation range: no token rule can apply */
    expect_clean(&r3, "02 90 00 00 00 00 08 00");
}

static void test_rule_status_bits(void **state)
{
    (void)state;
    vcf_vmsg_params p = pr28();
    expect_rule(&p, "00 08 01 00 02 00 0c 00 0f 01 00 00", VCF_E_RESERVED, "status", 8);
    expect_rule(&p, "01 07 01 00 02 00 0c 00 00 00 00 80", VCF_E_RESERVED, "status", 8);
    expect_rule(&p, "00 40 01 00 00 00 18 00 | 4f 00 01 00 07 00 00 00 00 00 00 00 00 00 00 00",
                VCF_E_RESERVED, "device_status", 8);
    expect_clean(&p, "00 08 01 00 02 00 0c 00 ff 00 00 00");
}

static void test_rule_num_feature_bits(void **state)
{
    (void)state;
    vcf_vmsg_params p = pr28();
    uint8_t b[64];
    size_t n = th_hex("01 02 01 00 01 00 20 00 | 01 00 00 00 51 45 4d 55 21 00 00 00 0c 00 00 00 "
                      "03 00 00 00 00 00 00 00",
                      b, sizeof b);
    vcf_vmsg_msg m;
    vcf_error err;
    assert_int_equal(vcf_vmsg_decode(b, n, &p, &m, &err), VCF_E_ALIGN);
    assert_string_equal(err.field, "num_feature_bits");
    assert_int_equal(err.offset, 16);
    assert_int_equal(err.expected, 64);
    assert_int_equal(err.actual, 33);
}

static void test_rule_vqueue_reserved(void **state)
{
    (void)state;
    vcf_vmsg_params p = pr28();
    expect_rule(&p,
                "01 09 01 00 07 00 30 00 | 02 00 00 00 00 01 00 00 80 00 00 00 01 00 00 00 "
                "88 77 66 55 44 33 22 11 00 20 00 00 00 00 00 00 00 30 00 00 00 00 00 00",
                VCF_E_MBZ, "reserved", 20);
    expect_rule(&p,
                "00 0a 01 00 03 00 30 00 | 00 00 00 00 01 00 00 00 00 01 00 00 00 00 00 00 "
                "00 10 00 40 00 00 00 00 00 20 00 40 00 00 00 00 00 30 00 40 00 00 00 00",
                VCF_E_MBZ, "reserved0", 12);
    expect_rule(&p,
                "00 0a 01 00 03 00 30 00 | 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00 01 "
                "00 10 00 40 00 00 00 00 00 20 00 40 00 00 00 00 00 30 00 40 00 00 00 00",
                VCF_E_MBZ, "reserved1", 20);
}

static void test_rule_get_devices(void **state)
{
    (void)state;
    vcf_vmsg_params p = pr28(), r3 = rfc3();
    /* Linux FF-A bus asks for 0xFF devices */
    expect_rule(&p, "02 02 00 00 09 00 0c 00 00 00 ff 00", VCF_E_ALIGN, "count", 10);
    expect_rule(&p, "02 02 00 00 09 00 0c 00 03 00 10 00", VCF_E_ALIGN, "offset", 8);
    /* next_offset inside the window just returned: PR28 only */
    const char *inside = "03 02 00 00 09 00 10 00 | 00 00 10 00 08 00 25 00";
    expect_rule(&p, inside, VCF_E_RANGE, "next_offset", 12);
    expect_clean(&r3, inside);
    expect_rule(&p, "03 02 00 00 09 00 10 00 | 00 00 10 00 11 00 25 00", VCF_E_ALIGN, "next_offset",
                12);
    /* next_offset 0: no further windows */
    expect_clean(&p, "03 02 00 00 09 00 10 00 | 00 00 10 00 00 00 25 00");
    /* several violations are all reported */
    uint8_t b[32];
    size_t n = th_hex("03 02 00 00 09 00 10 00 | 03 00 09 00 05 00 25 00", b, sizeof b);
    vcf_vmsg_msg m;
    assert_int_equal(vcf_vmsg_parse(b, n, &p, &m, NULL), VCF_OK);
    vcf_error errs[8];
    assert_int_equal(vcf_vmsg_check(&m, &p, errs, 8), 4);
    assert_string_equal(errs[0].field, "offset");
    assert_string_equal(errs[1].field, "count");
    assert_string_equal(errs[2].field, "next_offset");
    assert_string_equal(errs[3].field, "next_offset");
    assert_int_equal(errs[3].code, VCF_E_RANGE);
}

static void test_rule_event_device_states(void **state)
{
    (void)state;
    vcf_vmsg_params p = pr28();
    static const struct {
        const char *hex;
        int ok;
    } cases[] = {
        {"02 40 00 00 00 00 0c 00 03 00 00 00", 0}, {"02 40 00 00 00 00 0c 00 03 00 01 00", 1},
        {"02 40 00 00 00 00 0c 00 03 00 02 00", 1}, {"02 40 00 00 00 00 0c 00 03 00 03 00", 0},
        {"02 40 00 00 00 00 0c 00 03 00 ff 7f", 0}, {"02 40 00 00 00 00 0c 00 03 00 00 80", 1},
        {"02 40 00 00 00 00 0c 00 03 00 ff ff", 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].ok)
            expect_clean(&p, cases[i].hex);
        else
            expect_rule(&p, cases[i].hex, VCF_E_RESERVED, "device_bus_state", 10);
    }
}

/* ---- encoder consistency --------------------------------------------------------------- */

/* Each rule violation cites the catalogue rule it breaks (NULL where none is catalogued). */
static void test_violations_cite_rules(void **state)
{
    (void)state;
    vcf_vmsg_params p = pr28(), r3 = rfc3(), small = pr28();
    small.max_msg_size = VCF_VMSG_SPEC_MIN_MAX_MSG_SIZE;
    const char *resp48 = "01 09 01 00 07 00 30 00 | 02 00 00 00 00 01 00 00 80 00 00 00 "
                         "00 00 00 00 88 77 66 55 44 33 22 11 00 20 00 00 00 00 00 00 "
                         "00 30 00 00 00 00 00 00";
    const char *req48 = "00 0a 01 00 03 00 30 00 | 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 "
                        "00 10 00 40 00 00 00 00 00 20 00 40 00 00 00 00 00 30 00 40 00 00 00 00";
    static const struct {
        int rev3, small;
        const char *hex;
        const char *rule;
    } cases[] = {
        {0, 0, "fc 02 01 00 01 00 08 00", "VMSG-HDR-15"},
        {0, 1, NULL, "VMSG-SIZE-02"}, /* resp48 */
        {0, 1, NULL, "VMSG-SIZE-01"}, /* req48 */
        {0, 0, "02 40 03 00 00 00 0c 00 03 00 01 00", "VMSG-HDR-11"},
        {1, 0, "02 40 03 00 00 00 0c 00 03 00 01 00", "VMSG-R3-04"},
        {1, 0, "00 02 01 00 00 00 08 00", "VMSG-R3-01"},
        {1, 0, "00 42 01 00 07 00 0c 00 01 00 00 00", "VMSG-R3-01"},
        {0, 0,
         "01 02 01 00 01 00 20 00 | 01 00 00 00 51 45 4d 55 21 00 00 00 0c 00 00 00 "
         "03 00 00 00 00 00 00 00",
         "VMSG-INFO-02"},
        {0, 0,
         "01 09 01 00 07 00 30 00 | 02 00 00 00 00 01 00 00 80 00 00 00 01 00 00 00 "
         "88 77 66 55 44 33 22 11 00 20 00 00 00 00 00 00 00 30 00 00 00 00 00 00",
         "VMSG-VQ-13"},
        {0, 0, "02 02 00 00 09 00 0c 00 00 00 ff 00", "VMSG-GETDEV-01"},
        {0, 0, "03 02 00 00 09 00 10 00 | 00 00 10 00 08 00 25 00", "VMSG-GETDEV-02"},
        {0, 0, "03 02 00 00 09 00 10 00 | 00 00 10 00 11 00 25 00", "VMSG-GETDEV-02"},
        {0, 0, "00 08 01 00 02 00 0c 00 0f 01 00 00", NULL}, /* status bits 8..31: no rule */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const vcf_vmsg_params *pp = cases[i].rev3 ? &r3 : cases[i].small ? &small : &p;
        const char *hex = cases[i].hex ? cases[i].hex : i == 1 ? resp48 : req48;
        uint8_t b[128];
        size_t n = th_hex(hex, b, sizeof b);
        vcf_vmsg_msg m;
        vcf_error err;
        assert_true(vcf_vmsg_decode(b, n, pp, &m, &err) < 0);
        if (cases[i].rule) {
            if (!err.rule)
                fail_msg("case %zu: no rule, expected %s", i, cases[i].rule);
            assert_string_equal(err.rule, cases[i].rule);
            assert_non_null(vcf_rule_find(err.rule)); /* a real catalogue entry */
        } else {
            assert_null(err.rule);
        }
    }
}

static void test_encode_refuses_inconsistent_messages(void **state)
{
    (void)state;
    vcf_vmsg_msg m;
    vcf_error err;
    uint8_t b[64];

    vmsg_sample(VCF_VMSG_K_GET_VQUEUE_RESP, &m);
    m.hdr.msg_id = VCF_VMSG_GET_CONFIG;
    assert_int_equal(vcf_vmsg_encode(&m, b, sizeof b, &err), VCF_E_INVAL);
    vmsg_sample(VCF_VMSG_K_GET_VQUEUE_RESP, &m);
    m.hdr.type = 0; /* a request */
    assert_int_equal(vcf_vmsg_encode(&m, b, sizeof b, &err), VCF_E_INVAL);
    m.kind = VCF_VMSG_K_NONE;
    assert_int_equal(vcf_vmsg_encoded_size(&m), VCF_E_INVAL);

    vmsg_sample(VCF_VMSG_K_GET_DEVICE_FEATURES_RESP, &m);
    m.u.features.num_blocks = 3;
    assert_int_equal(vcf_vmsg_encode(&m, b, sizeof b, &err), VCF_E_SIZE_MISMATCH);
    assert_string_equal(err.field, "num_blocks");

    vmsg_sample(VCF_VMSG_K_BUS_GET_DEVICES_RESP, &m);
    m.u.devices.count = 24;
    assert_int_equal(vcf_vmsg_encoded_size(&m), VCF_E_SIZE_MISMATCH);

    vmsg_sample(VCF_VMSG_K_SET_CONFIG_REQ, &m);
    m.u.config.data.ptr = NULL;
    assert_int_equal(vcf_vmsg_encode(&m, b, sizeof b, &err), VCF_E_INVAL);

    /* SET_CONFIG response: without echo the data view is empty whatever length says */
    vmsg_sample(VCF_VMSG_K_SET_CONFIG_RESP, &m);
    m.u.config.data.len = 0;
    m.u.config.data.ptr = NULL;
    assert_int_equal(vcf_vmsg_encoded_size(&m), 20);

    /* larger than msg_size can describe */
    static uint8_t big[0x10000];
    vmsg_sample(VCF_VMSG_K_SET_CONFIG_REQ, &m);
    m.u.config.length = 0xFFFF - 19;
    m.u.config.data.ptr = big;
    m.u.config.data.len = m.u.config.length;
    assert_int_equal(vcf_vmsg_encode(&m, big, sizeof big, &err), VCF_E_TOO_LARGE);
    m.u.config.length = m.u.config.data.len = 0xFFFF - 20;
    assert_int_equal(vcf_vmsg_encoded_size(&m), 0xFFFF);

    vmsg_sample(VCF_VMSG_K_GET_VQUEUE_RESP, &m);
    assert_int_equal(vcf_vmsg_encode(&m, b, 47, &err), VCF_E_NOSPACE);
    assert_int_equal(err.expected, 48);

    /* implementation-defined messages keep to 0x80-0xFF */
    vmsg_sample(VCF_VMSG_K_IMPL_DEFINED, &m);
    m.hdr.msg_id = 0x7F;
    assert_int_equal(vcf_vmsg_encode(&m, b, sizeof b, &err), VCF_E_INVAL);

    assert_int_equal(vcf_vmsg_init(&m, VCF_VMSG_K_IMPL_DEFINED, 0, 0), VCF_E_INVAL);
    assert_int_equal(vcf_vmsg_init(&m, VCF_VMSG_K_NONE, 0, 0), VCF_E_INVAL);
}

/* Rule violations can be built on purpose: reserved fields are written as given. */
static void test_encode_builds_violations(void **state)
{
    (void)state;
    vcf_vmsg_msg m;
    uint8_t b[64];
    vmsg_sample(VCF_VMSG_K_SET_VQUEUE_REQ, &m);
    m.hdr.type |= 0x80;
    m.u.set_vqueue.reserved1 = 0xABCD;
    int n = vcf_vmsg_encode(&m, b, sizeof b, NULL);
    assert_int_equal(n, 48);
    assert_int_equal(b[0], 0x80);
    assert_int_equal(th_le(b + 20, 4), 0xABCD);
    vcf_vmsg_params p = pr28();
    vcf_vmsg_msg back;
    assert_int_equal(vcf_vmsg_parse(b, (size_t)n, &p, &back, NULL), VCF_OK);
    assert_int_equal(vcf_vmsg_check(&back, &p, NULL, 0), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_g1_device_info),
        cmocka_unit_test(test_g2_set_device_status_refused),
        cmocka_unit_test(test_g3_set_vqueue),
        cmocka_unit_test(test_g4_set_config_rejected),
        cmocka_unit_test(test_g5_device_features),
        cmocka_unit_test(test_g6_event_avail),
        cmocka_unit_test(test_g7_event_config),
        cmocka_unit_test(test_g8_event_used),
        cmocka_unit_test(test_g9_get_devices),
        cmocka_unit_test(test_g10_g11_ping_and_event_device),
        cmocka_unit_test(test_g12_g13_older_revisions_rejected),
        cmocka_unit_test(test_vectors_other_kinds),
        cmocka_unit_test(test_layout_tables_are_contiguous),
        cmocka_unit_test(test_every_kind_round_trips),
        cmocka_unit_test(test_every_kind_cut_short),
        cmocka_unit_test(test_every_kind_msg_size_short),
        cmocka_unit_test(test_every_kind_one_byte_over),
        cmocka_unit_test(test_msg_size_field_range),
        cmocka_unit_test(test_huge_counts),
        cmocka_unit_test(test_classification_per_revision),
        cmocka_unit_test(test_all_ids_parse_like_classify),
        cmocka_unit_test(test_rev_names),
        cmocka_unit_test(test_rule_type_reserved_bits),
        cmocka_unit_test(test_rule_max_msg_size),
        cmocka_unit_test(test_rule_bus_dev_num),
        cmocka_unit_test(test_rule_rfc3_tokens),
        cmocka_unit_test(test_rule_status_bits),
        cmocka_unit_test(test_rule_num_feature_bits),
        cmocka_unit_test(test_rule_vqueue_reserved),
        cmocka_unit_test(test_rule_get_devices),
        cmocka_unit_test(test_rule_event_device_states),
        cmocka_unit_test(test_violations_cite_rules),
        cmocka_unit_test(test_encode_refuses_inconsistent_messages),
        cmocka_unit_test(test_encode_builds_violations),
        cmocka_unit_test(test_msg_name),
    };
    return cmocka_run_group_tests_name("vmsg_wire", tests, NULL, NULL);
}
