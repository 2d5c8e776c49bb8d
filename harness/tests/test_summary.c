/* SPDX-License-Identifier: MIT */
/*
 * One-line summaries of messages, events and actions: known messages of both protocols give
 * exact text; garbage of any length, in any role, into any buffer size, never crashes and always
 * gives a terminated line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "summary.h"
#include "vconform/rpmsg.h"
#include "vconform/vmsg.h"

static char out[1024];

static size_t ns_frame(vcf_byte_order order, const char *name, uint32_t addr, uint32_t flags,
                       uint8_t *buf, size_t cap)
{
    vcf_rpmsg_ns_msg ns;
    vcf_rpmsg_ns_init(&ns, name, addr, flags);
    uint8_t pl[VCF_RPMSG_NS_MSG_SIZE];
    assert_int_equal(vcf_rpmsg_ns_encode(&ns, order, pl, sizeof pl, NULL), 40);
    vcf_rpmsg_hdr h = {addr, VCF_RPMSG_NS_ADDR, 0, 40, 0};
    vcf_bytes b = {pl, sizeof pl};
    int n = vcf_rpmsg_frame_encode(&h, b, order, buf, cap, NULL);
    assert_int_equal(n, 56);
    return (size_t)n;
}

static size_t data_frame(vcf_byte_order order, uint32_t src, uint32_t dst, uint16_t flags,
                         const void *payload, size_t len, uint8_t *buf, size_t cap)
{
    vcf_rpmsg_hdr h = {src, dst, 0, (uint16_t)len, flags};
    vcf_bytes b = {payload, len};
    int n = vcf_rpmsg_frame_encode(&h, b, order, buf, cap, NULL);
    assert_true(n > 0);
    return (size_t)n;
}

static const char *rp(int order, const uint8_t *b, size_t n)
{
    return vcf_summary_msg(VCF_IUT_RPMSG_DRIVER, order, 0, b, n, out, sizeof out);
}

static void test_rpmsg_ns(void **state)
{
    (void)state;
    uint8_t buf[128];
    size_t n = ns_frame(VCF_LITTLE_ENDIAN, "rpmsg-echo", 1024, 0, buf, sizeof buf);
    assert_string_equal(rp(0, buf, n), "1024->53 len 40 NS create \"rpmsg-echo\" addr 1024");
    /* the same message on a big-endian legacy link */
    n = ns_frame(VCF_BIG_ENDIAN, "rpmsg-echo", 1024, 0, buf, sizeof buf);
    assert_string_equal(rp(1, buf, n), "1024->53 len 40 NS create \"rpmsg-echo\" addr 1024");
    /* read in the wrong order, len is 0x2800: the frame does not fit */
    assert_non_null(strstr(rp(0, buf, n), "undecodable (size-mismatch at byte 12, len): "));

    n = ns_frame(VCF_LITTLE_ENDIAN, "tty", 0x401, VCF_RPMSG_NS_DESTROY, buf, sizeof buf);
    assert_string_equal(rp(0, buf, n), "1025->53 len 40 NS destroy \"tty\" addr 1025");

    /* unterminated name, undefined NS flag bits, quotes escaped */
    n = ns_frame(VCF_LITTLE_ENDIAN, "x", 2000, 0x6, buf, sizeof buf);
    memset(buf + 16, 'a', 32);
    buf[16] = '"';
    rp(0, buf, n);
    assert_non_null(
        strstr(out, "NS create \"\\\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" (unterminated)"));
    assert_non_null(strstr(out, "addr 2000 ns-flags 0x6"));
}

static void test_rpmsg_data(void **state)
{
    (void)state;
    uint8_t buf[600];
    size_t n = data_frame(VCF_LITTLE_ENDIAN, 1024, 1025, 0, "hello", 5, buf, sizeof buf);
    assert_string_equal(rp(0, buf, n), "1024->1025 len 5 payload 68656c6c6f");
    n = data_frame(VCF_LITTLE_ENDIAN, 0xFFFFFFFFu, 1025, 0x3, "", 0, buf, sizeof buf);
    assert_string_equal(rp(0, buf, n), "0xffffffff->1025 len 0 flags 0x3");
    buf[8] = 0x7; /* reserved */
    assert_string_equal(rp(0, buf, n), "0xffffffff->1025 len 0 reserved 0x7 flags 0x3");

    /* long payloads are cut after 16 bytes */
    uint8_t big[40];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)i;
    n = data_frame(VCF_BIG_ENDIAN, 30, 40, 0, big, sizeof big, buf, sizeof buf);
    assert_string_equal(rp(1, buf, n),
                        "30->40 len 40 payload 000102030405060708090a0b0c0d0e0f..(40 bytes)");

    /* slack after the payload inside the used length */
    n = data_frame(VCF_LITTLE_ENDIAN, 1024, 1025, 0, "hi", 2, buf, sizeof buf);
    memset(buf + n, 0, 6);
    assert_string_equal(rp(0, buf, n + 6),
                        "1024->1025 len 2 payload 6869 +6 bytes after the payload");

    /* to 53 but not a 40-byte NS payload: still shown as a frame */
    n = data_frame(VCF_LITTLE_ENDIAN, 1024, 53, 0, "hello", 5, buf, sizeof buf);
    rp(0, buf, n);
    assert_non_null(strstr(out, "1024->53 len 5 payload 68656c6c6f (not an NS message: "
                                "size-mismatch at byte "));

    /* 72-byte non-standard NS payload */
    uint8_t ext[72];
    memset(ext, 0, sizeof ext);
    memcpy(ext, "svc", 3);
    memcpy(ext + 32, "a description", 13);
    ext[64] = 0x00;
    ext[65] = 0x04; /* addr 1024, little-endian */
    n = data_frame(VCF_LITTLE_ENDIAN, 1024, 53, 0, ext, sizeof ext, buf, sizeof buf);
    rp(0, buf, n);
    assert_non_null(strstr(out, "1024->53 len 72 NS-ext("));
    assert_non_null(strstr(out, "create \"svc\""));
}

static void test_rpmsg_undecodable(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t n = data_frame(VCF_LITTLE_ENDIAN, 1024, 1025, 0, "hello", 5, buf, sizeof buf);
    assert_string_equal(rp(0, buf, 10),
                        "undecodable (truncated at byte 8, reserved): 00040000010400000000");
    /* hdr.len says 5 but only 3 payload bytes arrived */
    rp(0, buf, n - 2);
    assert_true(strncmp(out, "undecodable (size-mismatch at byte 12, len): 000400000104", 57) == 0);
    assert_string_equal(rp(0, buf, 0), "undecodable (truncated at byte 0, src): no bytes");
    /* NULL data is an empty message */
    assert_string_equal(rp(0, NULL, 12), "undecodable (truncated at byte 0, src): no bytes");
}

static const char *vm(const uint8_t *b, size_t n)
{
    return vcf_summary_msg(VCF_IUT_VMSG_DEVICE, 0, 0, b, n, out, sizeof out);
}

static size_t vmsg_bytes(const vcf_vmsg_msg *m, uint8_t *buf, size_t cap)
{
    int n = vcf_vmsg_encode(m, buf, cap, NULL);
    assert_true(n >= 8);
    return (size_t)n;
}

static void test_vmsg(void **state)
{
    (void)state;
    uint8_t buf[128];
    vcf_vmsg_msg m;
    assert_int_equal(vcf_vmsg_init(&m, VCF_VMSG_K_GET_VQUEUE_REQ, 0, 3), VCF_OK);
    m.u.index = 1;
    assert_string_equal(vm(buf, vmsg_bytes(&m, buf, sizeof buf)),
                        "GET_VQUEUE req dev 0 token 3 index=1");

    assert_int_equal(vcf_vmsg_init(&m, VCF_VMSG_K_SET_DEVICE_STATUS_REQ, 1, 2), VCF_OK);
    m.u.status = 3;
    assert_string_equal(vm(buf, vmsg_bytes(&m, buf, sizeof buf)),
                        "SET_DEVICE_STATUS req dev 1 token 2 status=0x3(ACKNOWLEDGE|DRIVER)");

    uint8_t blocks[8] = {0x01, 0, 0, 0, 0x01, 0, 0, 0};
    assert_int_equal(vcf_vmsg_init(&m, VCF_VMSG_K_GET_DEVICE_FEATURES_RESP, 0, 4), VCF_OK);
    m.u.features.num_blocks = 2;
    m.u.features.blocks.ptr = blocks;
    m.u.features.blocks.len = sizeof blocks;
    assert_string_equal(vm(buf, vmsg_bytes(&m, buf, sizeof buf)),
                        "GET_DEVICE_FEATURES resp dev 0 token 4 block_index=0 num_blocks=2 "
                        "features=0x1,0x1");

    assert_int_equal(vcf_vmsg_init(&m, VCF_VMSG_K_GET_VQUEUE_RESP, 1, 7), VCF_OK);
    m.u.vqueue.index = 2;
    m.u.vqueue.max_size = 256;
    m.u.vqueue.desc_addr = 0x1000;
    assert_string_equal(vm(buf, vmsg_bytes(&m, buf, sizeof buf)),
                        "GET_VQUEUE resp dev 1 token 7 index=2 max_size=256 cur_size=0 "
                        "desc_addr=0x1000 driver_addr=0x0 device_addr=0x0");
    /* a non-zero reserved field is shown */
    m.u.vqueue.reserved = 9;
    assert_non_null(strstr(vm(buf, vmsg_bytes(&m, buf, sizeof buf)), " reserved=0x9 "));

    assert_int_equal(vcf_vmsg_init(&m, VCF_VMSG_K_EVENT_CONFIG, 0, 0), VCF_OK);
    uint8_t cfg[3] = {0xaa, 0xbb, 0xcc};
    m.u.event_config.length = 3;
    m.u.event_config.data.ptr = cfg;
    m.u.event_config.data.len = 3;
    m.u.event_config.generation = 5;
    assert_string_equal(vm(buf, vmsg_bytes(&m, buf, sizeof buf)),
                        "EVENT_CONFIG event dev 0 token 0 device_status=0x0(reset) "
                        "generation=5 offset=0 length=3 data=aabbcc");

    assert_int_equal(vcf_vmsg_init(&m, VCF_VMSG_K_BUS_EVENT_DEVICE, 0, 0), VCF_OK);
    m.u.event_device.device_number = 4;
    m.u.event_device.state = VCF_VMSG_BUS_STATE_READY;
    assert_string_equal(vm(buf, vmsg_bytes(&m, buf, sizeof buf)),
                        "EVENT_DEVICE event dev 0 token 0 device_number=4 "
                        "device_bus_state=0x1(READY)");

    /* implementation-defined request */
    const uint8_t impl[] = {0x00, 0x85, 0x00, 0x00, 0x01, 0x00, 0x0c, 0x00, 1, 2, 3, 4};
    assert_string_equal(vm(impl, sizeof impl), "IMPL 0x85 req dev 0 token 1 data=01020304");

    /* structural errors name the codec's status, byte and field */
    assert_string_equal(vm(impl, 5), "undecodable (truncated at byte 4, token): 0085000001");
    const uint8_t unknown[] = {0x00, 0x3e, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00};
    vm(unknown, sizeof unknown);
    assert_true(strncmp(out, "undecodable (unknown-id at byte 1, msg_id): 003e", 48) == 0);
}

static void test_events_actions(void **state)
{
    (void)state;
    const uint64_t deliver[4] = {1024, 53, 5, 0};
    assert_string_equal(vcf_summary_event(VCF_EVT_RPMSG_BASE + 0, deliver, (const uint8_t *)"hello",
                                          5, out, sizeof out),
                        "deliver ept=1024 addr=53 claimed_len=5 payload=68656c6c6f");
    const uint64_t chan[4] = {0, 1024, 0, 0};
    /* a name with trailing NULs and a byte that is not printable */
    assert_string_equal(vcf_summary_event(VCF_EVT_RPMSG_BASE + 1, chan,
                                          (const uint8_t *)"echo\x01\0\0", 7, out, sizeof out),
                        "channel-created addr=1024 name=\"echo\\x01\"");
    const uint64_t create[4] = {1024, 0xFFFFFFFFu, 0, 0};
    assert_string_equal(vcf_summary_action(VCF_ACT_RPMSG_CREATE, create,
                                           (const uint8_t *)"rpmsg-echo", 10, out, sizeof out),
                        "create addr=1024 dest=0xffffffff name=\"rpmsg-echo\"");
    const uint64_t rd[4] = {8, 4, 0, 0};
    assert_string_equal(vcf_summary_action(VCF_ACT_VMSG_CONFIG_READ, rd, NULL, 0, out, sizeof out),
                        "config-read offset=8 length=4");
    assert_string_equal(vcf_summary_action(VCF_ACT_VMSG_CONFIG_WRITE, rd,
                                           (const uint8_t *)"\x01\x02", 2, out, sizeof out),
                        "config-write offset=8 config=0102");
    assert_string_equal(vcf_summary_action(VCF_ACT_VMSG_START, NULL, NULL, 0, out, sizeof out),
                        "start");
    /* unknown kinds are still summarised */
    assert_string_equal(
        vcf_summary_event(0x999, deliver, (const uint8_t *)"\xff", 1, out, sizeof out),
        "event 0x999 args=1024,53,5,0 data=ff");
    assert_string_equal(vcf_summary_action(0x7, NULL, NULL, 0, out, sizeof out),
                        "action 0x7 args=0,0,0,0");
}

static void test_order(void **state)
{
    (void)state;
    vcf_adapter_param le[] = {{"features", "0x1"}, {"order", "le"}};
    vcf_adapter_param be[] = {{"features", "0x1"}, {"order", "be"}};
    vcf_adapter_param v1[] = {{"features", "0x100000001"}, {"order", "be"}};
    vcf_adapter_param bad[] = {{"features", "zz"}, {"order", "be"}};
    assert_int_equal(vcf_summary_order(VCF_IUT_RPMSG_DRIVER, le, 2), 0);
    assert_int_equal(vcf_summary_order(VCF_IUT_RPMSG_DRIVER, be, 2), 1);
    assert_int_equal(vcf_summary_order(VCF_IUT_RPMSG_DEVICE, be, 2), 1);
    assert_int_equal(vcf_summary_order(VCF_IUT_RPMSG_DRIVER, v1, 2), 0);
    assert_int_equal(vcf_summary_order(VCF_IUT_RPMSG_DRIVER, bad, 2), 0);
    assert_int_equal(vcf_summary_order(VCF_IUT_RPMSG_DRIVER, NULL, 0), 0);
    /* virtio-msg is always little-endian */
    assert_int_equal(vcf_summary_order(VCF_IUT_VMSG_DEVICE, be, 2), 0);
}

static void test_small_buffers(void **state)
{
    (void)state;
    uint8_t buf[128];
    size_t n = ns_frame(VCF_LITTLE_ENDIAN, "rpmsg-echo", 1024, 0, buf, sizeof buf);
    char small[8];
    memset(small, 'x', sizeof small);
    vcf_summary_msg(VCF_IUT_RPMSG_DRIVER, 0, 0, buf, n, small, 5);
    assert_string_equal(small, "1024");
    assert_int_equal(small[5], 'x'); /* nothing written past cap */
    vcf_summary_msg(VCF_IUT_RPMSG_DRIVER, 0, 0, buf, n, small, 1);
    assert_string_equal(small, "");
    /* cap 0 writes nothing at all */
    small[0] = 'q';
    vcf_summary_msg(VCF_IUT_RPMSG_DRIVER, 0, 0, buf, n, small, 0);
    assert_int_equal(small[0], 'q');
    assert_null(vcf_summary_msg(VCF_IUT_RPMSG_DRIVER, 0, 0, buf, n, NULL, 10));
}

/* deterministic generator */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

static void check_line(const char *s, size_t cap)
{
    size_t len = strlen(s);
    assert_true(len < cap);
    for (size_t i = 0; i < len; i++)
        assert_true(s[i] != '\n');
}

static void test_garbage(void **state)
{
    (void)state;
    uint8_t bytes[600];
    for (int iter = 0; iter < 20000; iter++) {
        size_t len = rnd() % sizeof bytes;
        for (size_t i = 0; i < len; i++)
            bytes[i] = (uint8_t)rnd();
        /* make plausible headers common so the decoders go deep */
        if (len >= 16 && (iter & 3) == 0) {
            size_t pl = len - 16;
            bytes[12] = (uint8_t)pl;
            bytes[13] = (uint8_t)(pl >> 8);
            if (iter & 4) {
                bytes[4] = 53;
                bytes[5] = bytes[6] = bytes[7] = 0;
            }
        }
        if (len >= 8 && (iter & 3) == 1) {
            bytes[0] &= 0x03;
            bytes[6] = (uint8_t)len;
            bytes[7] = (uint8_t)(len >> 8);
        }
        uint32_t role = rnd() % (VCF_IUT_ROLE_COUNT + 1);
        size_t cap = (iter & 7) == 7 ? 1 + rnd() % 40 : sizeof out;
        vcf_summary_msg(role, (int)(rnd() % 3), rnd() % 4, bytes, len, out, cap);
        check_line(out, cap);
        uint64_t args[4] = {rnd(), (uint64_t)rnd() << 32 | rnd(), rnd() % 7, 0};
        uint32_t type = (iter & 1) ? 0x100 + rnd() % 8 : 0x200 + rnd() % 32;
        vcf_summary_event(type, args, bytes, len % 80, out, cap);
        check_line(out, cap);
        vcf_summary_action(0x100 + rnd() % 0x130, args, bytes, len % 80, out, cap);
        check_line(out, cap);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rpmsg_ns),          cmocka_unit_test(test_rpmsg_data),
        cmocka_unit_test(test_rpmsg_undecodable), cmocka_unit_test(test_vmsg),
        cmocka_unit_test(test_events_actions),    cmocka_unit_test(test_order),
        cmocka_unit_test(test_small_buffers),     cmocka_unit_test(test_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
