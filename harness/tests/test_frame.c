/* SPDX-License-Identifier: MIT */
/* The stdio adapter protocol's frames: exact bytes, round trips of every op, and rejection of
 * truncated, oversized and garbage frames with the byte offset named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frame.h"

static uint8_t buf[VCF_FRAME_MAX];
static vcf_frame_scratch scratch;
static char err[512];

static size_t encode(const vcf_frame *f)
{
    size_t n = vcf_frame_encode(f, buf, sizeof buf, err, sizeof err);
    if (n == 0)
        fail_msg("encode: %s", err);
    return n;
}

/* Encode f, decode it back into out, and check the header. */
static void roundtrip(const vcf_frame *f, vcf_frame *out)
{
    size_t n = encode(f);
    int rc = vcf_frame_decode(buf, n, out, &scratch, err, sizeof err);
    if (rc != VCF_FRAME_OK)
        fail_msg("decode: %s", err);
    assert_int_equal(out->op, f->op);
    assert_int_equal(out->seq, f->seq);
    assert_int_equal(vcf_frame_size(buf, err, sizeof err), n);
}

static void assert_malformed(const uint8_t *p, size_t n, const char *needle)
{
    vcf_frame f;
    int rc = vcf_frame_decode(p, n, &f, &scratch, err, sizeof err);
    assert_int_equal(rc, VCF_FRAME_MALFORMED);
    if (!strstr(err, needle))
        fail_msg("error '%s' does not contain '%s'", err, needle);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- exact bytes --------------------------------------------------------------------------- */

static void test_hello_bytes(void **state)
{
    (void)state;
    vcf_frame f = {.op = VCF_FOP_HELLO, .seq = 0};
    f.hello.magic = VCF_FRAME_MAGIC;
    f.hello.proto = VCF_FRAME_VERSION;
    static const uint8_t want[] = {0x0c, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
                                   0x56, 0x43, 0x46, 0x50, 0x01, 0x00, 0x00, 0x00};
    size_t n = encode(&f);
    assert_int_equal(n, sizeof want);
    assert_memory_equal(buf, want, sizeof want);
}

static void test_inject_bytes(void **state)
{
    (void)state;
    /* the docs' worked example: "hello" from 0x400 to 0x401 on vq0, seq 2 */
    static const uint8_t msg[] = {0x00, 0x04, 0x00, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
                                  0x00, 0x05, 0x00, 0x00, 0x00, 'h',  'e',  'l',  'l',  'o'};
    vcf_frame f = {.op = VCF_FOP_INJECT, .seq = 2};
    f.msg.channel = 0;
    f.msg.data = msg;
    f.msg.len = sizeof msg;
    size_t n = encode(&f);
    assert_int_equal(n, 8 + 16 + sizeof msg);
    static const uint8_t head[] = {0x29, 0x00, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00,
                                   0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                   0x00, 0x00, 0x00, 0x00, 0x15, 0x00, 0x00, 0x00};
    assert_memory_equal(buf, head, sizeof head);
    assert_memory_equal(buf + sizeof head, msg, sizeof msg);
}

static void test_reply_bytes(void **state)
{
    (void)state;
    /* RESET reply, unsupported, reason "no" */
    vcf_frame f = {.op = VCF_FOP_RESET | VCF_FRAME_REPLY, .seq = 0x1234};
    f.rc = VCF_ADAPTER_UNSUPPORTED;
    f.reason = "no";
    static const uint8_t want[] = {0x0e, 0x00, 0x00, 0x00, 0x02, 0x80, 0x34, 0x12, 0xfe,
                                   0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 'n',  'o'};
    size_t n = encode(&f);
    assert_int_equal(n, sizeof want);
    assert_memory_equal(buf, want, sizeof want);
}

/* ---- round trips of every op --------------------------------------------------------------- */

static void test_requests_roundtrip(void **state)
{
    (void)state;
    vcf_frame f, g;

    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_HELLO;
    f.seq = 7;
    f.hello.magic = VCF_FRAME_MAGIC;
    f.hello.proto = 9;
    roundtrip(&f, &g);
    assert_int_equal(g.hello.magic, VCF_FRAME_MAGIC);
    assert_int_equal(g.hello.proto, 9);

    vcf_adapter_param params[] = {{"order", "be"}, {"buf_size", "512"}, {"empty", ""}};
    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_RESET;
    f.seq = 0xffff;
    f.role = VCF_IUT_VMSG_BUS;
    f.params = params;
    f.n_params = 3;
    roundtrip(&f, &g);
    assert_int_equal(g.role, VCF_IUT_VMSG_BUS);
    assert_int_equal(g.n_params, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(g.params[i].key, params[i].key);
        assert_string_equal(g.params[i].value, params[i].value);
    }
    f.n_params = 0;
    roundtrip(&f, &g);
    assert_int_equal(g.n_params, 0);

    static const uint8_t data[] = {1, 2, 3, 0, 0xff};
    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_INJECT;
    f.msg.channel = 2;
    f.msg.data = data;
    f.msg.len = sizeof data;
    f.msg.used_len = 0xffffffffu;
    f.msg.capacity = 512;
    roundtrip(&f, &g);
    assert_int_equal(g.msg.channel, 2);
    assert_int_equal(g.msg.used_len, 0xffffffffu);
    assert_int_equal(g.msg.capacity, 512);
    assert_int_equal(g.msg.len, sizeof data);
    assert_memory_equal(g.msg.data, data, sizeof data);
    f.msg.data = NULL; /* no bytes at all */
    f.msg.len = 0;
    roundtrip(&f, &g);
    assert_int_equal(g.msg.len, 0);
    assert_non_null(g.msg.data);

    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_ACTION;
    f.action.kind = VCF_ACT_RPMSG_SEND;
    f.action.args[0] = 0x400;
    f.action.args[1] = UINT64_MAX;
    f.action.args[2] = 1;
    f.action.args[3] = 0x0102030405060708ull;
    f.action.data = data;
    f.action.len = sizeof data;
    roundtrip(&f, &g);
    assert_int_equal(g.action.kind, VCF_ACT_RPMSG_SEND);
    for (unsigned i = 0; i < 4; i++)
        assert_true(g.action.args[i] == f.action.args[i]);
    assert_memory_equal(g.action.data, data, sizeof data);

    const uint16_t bare[] = {VCF_FOP_POLL, VCF_FOP_IDLE, VCF_FOP_CLOSE};
    for (size_t i = 0; i < 3; i++) {
        memset(&f, 0, sizeof f);
        f.op = bare[i];
        f.seq = (uint16_t)(100 + i);
        assert_int_equal(encode(&f), VCF_FRAME_HDR_SIZE);
        roundtrip(&f, &g);
    }
}

static void test_replies_roundtrip(void **state)
{
    (void)state;
    vcf_frame f, g;
    static const uint8_t data[] = {0xde, 0xad, 0xbe, 0xef};

    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_HELLO | VCF_FRAME_REPLY;
    f.hello.magic = VCF_FRAME_MAGIC;
    f.hello.proto = 1;
    f.hello.roles = 0x3e;
    f.hello.caps = VCF_ADAPTER_CAP_EVENTS | VCF_ADAPTER_CAP_IDLE;
    f.hello.name = "openamp-remote";
    f.hello.version = "2024.10";
    roundtrip(&f, &g);
    assert_int_equal(g.rc, VCF_ADAPTER_OK);
    assert_string_equal(g.reason, "");
    assert_int_equal(g.hello.roles, 0x3e);
    assert_int_equal(g.hello.caps, 3);
    assert_string_equal(g.hello.name, "openamp-remote");
    assert_string_equal(g.hello.version, "2024.10");

    /* an error reply carries the reason and nothing else */
    f.rc = VCF_ADAPTER_ERROR;
    f.reason = "cannot open /dev/rpmsg0";
    size_t n = encode(&f);
    assert_int_equal(n, 8 + 4 + 4 + strlen(f.reason));
    roundtrip(&f, &g);
    assert_int_equal(g.rc, VCF_ADAPTER_ERROR);
    assert_string_equal(g.reason, "cannot open /dev/rpmsg0");
    assert_string_equal(g.hello.name, "");

    const uint16_t plain[] = {VCF_FOP_RESET, VCF_FOP_INJECT, VCF_FOP_CLOSE};
    for (size_t i = 0; i < 3; i++) {
        memset(&f, 0, sizeof f);
        f.op = plain[i] | VCF_FRAME_REPLY;
        f.rc = VCF_ADAPTER_UNSUPPORTED;
        f.reason = "role virtio-msg-bus";
        roundtrip(&f, &g);
        assert_int_equal(g.rc, VCF_ADAPTER_UNSUPPORTED);
        assert_string_equal(g.reason, "role virtio-msg-bus");
    }

    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_ACTION | VCF_FRAME_REPLY;
    f.result.status = INT32_MIN;
    f.result.value = UINT64_MAX - 1;
    roundtrip(&f, &g);
    assert_int_equal(g.result.status, INT32_MIN);
    assert_true(g.result.value == UINT64_MAX - 1);
    f.result.status = -22;
    roundtrip(&f, &g);
    assert_int_equal(g.result.status, -22);

    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_POLL | VCF_FRAME_REPLY;
    f.obs.kind = VCF_OBS_NONE;
    roundtrip(&f, &g);
    assert_int_equal(g.obs.kind, VCF_OBS_NONE);

    f.obs.kind = VCF_OBS_MSG;
    f.obs.msg.channel = 1;
    f.obs.msg.data = data;
    f.obs.msg.len = sizeof data;
    f.obs.msg.used_len = 20;
    f.obs.msg.capacity = 0;
    roundtrip(&f, &g);
    assert_int_equal(g.obs.kind, VCF_OBS_MSG);
    assert_int_equal(g.obs.msg.channel, 1);
    assert_int_equal(g.obs.msg.used_len, 20);
    assert_int_equal(g.obs.msg.len, sizeof data);
    assert_memory_equal(g.obs.msg.data, data, sizeof data);

    memset(&f.obs, 0, sizeof f.obs);
    f.obs.kind = VCF_OBS_EVENT;
    f.obs.event.type = VCF_EVT_RPMSG_BASE + 1;
    f.obs.event.args[0] = 0xffffffffu;
    f.obs.event.args[1] = 0x400;
    f.obs.event.args[3] = UINT64_MAX;
    f.obs.event.data = (const uint8_t *)"rpmsg-client-sample";
    f.obs.event.len = 19;
    roundtrip(&f, &g);
    assert_int_equal(g.obs.kind, VCF_OBS_EVENT);
    assert_int_equal(g.obs.event.type, VCF_EVT_RPMSG_BASE + 1);
    assert_true(g.obs.event.args[0] == 0xffffffffu);
    assert_true(g.obs.event.args[1] == 0x400);
    assert_true(g.obs.event.args[2] == 0);
    assert_true(g.obs.event.args[3] == UINT64_MAX);
    assert_int_equal(g.obs.event.len, 19);
    assert_memory_equal(g.obs.event.data, "rpmsg-client-sample", 19);

    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_IDLE | VCF_FRAME_REPLY;
    f.idle = 1;
    roundtrip(&f, &g);
    assert_int_equal(g.idle, 1);
    f.idle = 0;
    roundtrip(&f, &g);
    assert_int_equal(g.idle, 0);
}

/* ---- rejection ----------------------------------------------------------------------------- */

/* Every proper prefix of a frame is rejected. */
static void test_truncated(void **state)
{
    (void)state;
    vcf_adapter_param params[] = {{"features", "0x100000001"}};
    vcf_frame f = {.op = VCF_FOP_RESET, .role = 1, .params = params, .n_params = 1};
    size_t n = encode(&f);
    static uint8_t copy[256];
    memcpy(copy, buf, n);
    for (size_t cut = 0; cut < n; cut++) {
        vcf_frame g;
        assert_int_equal(vcf_frame_decode(copy, cut, &g, &scratch, err, sizeof err),
                         VCF_FRAME_MALFORMED);
        assert_non_null(strstr(err, "byte"));
    }
    /* the length field made to agree with a cut inside the value string: the string's length
     * (at byte 28) runs past the end */
    size_t cut = n - 3;
    put32(copy, (uint32_t)(cut - 4));
    assert_malformed(copy, cut, "byte 28 (parameter value)");
    /* cut inside the parameter count */
    put32(copy, 4 + 4 + 2);
    assert_malformed(copy, 14, "byte 12 (parameter count)");
}

static void test_length_field(void **state)
{
    (void)state;
    uint8_t b[16] = {0};
    /* too large: the maximum is VCF_FRAME_MAX - 4 after the field */
    put32(b, VCF_FRAME_MAX - 3);
    assert_int_equal(vcf_frame_size(b, err, sizeof err), 0);
    assert_non_null(strstr(err, "byte 0 (length)"));
    assert_non_null(strstr(err, "outside 4..1048572"));
    put32(b, VCF_FRAME_MAX - 4);
    assert_int_equal(vcf_frame_size(b, err, sizeof err), VCF_FRAME_MAX);
    /* too small for op and seq */
    put32(b, 3);
    assert_int_equal(vcf_frame_size(b, err, sizeof err), 0);
    /* text where a frame should be: said so */
    assert_int_equal(vcf_frame_size((const uint8_t *)"hello world", err, sizeof err), 0);
    assert_non_null(strstr(err, "\"hell\""));
    /* the length field disagrees with the bytes given */
    put32(b, 8);
    b[4] = VCF_FOP_POLL;
    assert_malformed(b, 8, "byte 0 (length)");
}

static void test_oversized_encode(void **state)
{
    (void)state;
    uint8_t *big = calloc(1, VCF_FRAME_MAX);
    assert_non_null(big);
    vcf_frame f = {.op = VCF_FOP_INJECT};
    f.msg.data = big;
    f.msg.len = VCF_FRAME_MAX - 24; /* header 8 + fields 16: exactly the maximum */
    assert_int_equal(vcf_frame_encode(&f, buf, sizeof buf, err, sizeof err), VCF_FRAME_MAX);
    f.msg.len++;
    assert_int_equal(vcf_frame_encode(&f, buf, sizeof buf, err, sizeof err), 0);
    assert_non_null(strstr(err, "maximum"));
    /* a small buffer */
    f.msg.len = 100;
    assert_int_equal(vcf_frame_encode(&f, buf, 64, err, sizeof err), 0);
    assert_non_null(strstr(err, "do not fit"));
    /* sizes that do not fit their 32-bit fields */
    f.msg.len = 1;
    f.msg.used_len = (size_t)UINT32_MAX + (sizeof(size_t) > 4 ? 1u : 0u);
    if (sizeof(size_t) > 4) {
        assert_int_equal(vcf_frame_encode(&f, buf, sizeof buf, err, sizeof err), 0);
        assert_non_null(strstr(err, "used_len"));
    }
    free(big);
}

static void test_garbage(void **state)
{
    (void)state;
    vcf_frame f, g;

    /* unknown op: well framed, reported as such with op and seq */
    uint8_t b[64] = {0};
    put32(b, 4);
    b[4] = 0x42;
    b[6] = 9;
    assert_int_equal(vcf_frame_decode(b, 8, &g, &scratch, err, sizeof err), VCF_FRAME_UNKNOWN_OP);
    assert_int_equal(g.op, 0x42);
    assert_int_equal(g.seq, 9);
    assert_non_null(strstr(err, "byte 4 (op)"));
    /* ... and can be refused */
    memset(&f, 0, sizeof f);
    f.op = 0x42 | VCF_FRAME_REPLY;
    f.rc = VCF_ADAPTER_UNSUPPORTED;
    f.reason = "unknown op";
    size_t n = vcf_frame_encode(&f, buf, sizeof buf, err, sizeof err);
    assert_true(n > 0);
    assert_int_equal(vcf_frame_decode(buf, n, &g, &scratch, err, sizeof err), VCF_FRAME_OK);
    assert_int_equal(g.op, 0x42 | VCF_FRAME_REPLY);
    assert_int_equal(g.rc, VCF_ADAPTER_UNSUPPORTED);
    assert_string_equal(g.reason, "unknown op");
    buf[8] = 0; /* rc ok: an answer to something unknown cannot be a success */
    buf[9] = buf[10] = buf[11] = 0;
    assert_int_equal(vcf_frame_decode(buf, n, &g, &scratch, err, sizeof err), VCF_FRAME_UNKNOWN_OP);
    f.op = 0x42;
    assert_int_equal(vcf_frame_encode(&f, buf, sizeof buf, err, sizeof err), 0);

    /* rc outside ok/error/unsupported */
    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_INJECT | VCF_FRAME_REPLY;
    n = encode(&f);
    buf[8] = 5;
    assert_malformed(buf, n, "byte 8 (rc)");

    /* a NUL inside a string */
    vcf_adapter_param params[] = {{"order", "le"}};
    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_RESET;
    f.params = params;
    f.n_params = 1;
    n = encode(&f);
    buf[16 + 4 + 2] = 0; /* "or\0er" */
    assert_malformed(buf, n, "byte 16 (parameter key): a NUL byte inside the string, at byte 22");

    /* too many parameters */
    memset(b, 0, sizeof b);
    put32(b, 12);
    b[4] = VCF_FOP_RESET;
    put32(b + 12, VCF_FRAME_MAX_PARAMS + 1);
    assert_malformed(b, 16, "byte 12 (parameter count): 257 parameters");

    /* bytes after the last field */
    memset(b, 0, sizeof b);
    put32(b, 6);
    b[4] = VCF_FOP_POLL;
    assert_malformed(b, 10, "byte 8 (end): 2 unexpected bytes");

    /* an observation of an unknown kind */
    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_POLL | VCF_FRAME_REPLY;
    n = encode(&f);
    buf[16] = 3;
    assert_malformed(buf, n, "byte 16 (observation kind)");
    f.obs.kind = 3;
    assert_int_equal(vcf_frame_encode(&f, buf, sizeof buf, err, sizeof err), 0);

    /* idle is 0 or 1 */
    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_IDLE | VCF_FRAME_REPLY;
    n = encode(&f);
    buf[16] = 2;
    assert_malformed(buf, n, "byte 16 (idle)");

    /* a data length far past the end */
    static const uint8_t one = 1;
    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_ACTION;
    f.action.data = &one;
    f.action.len = 1;
    n = encode(&f);
    put32(buf + 44, 0x7fffffff);
    assert_malformed(buf, n, "byte 44 (action data): length 2147483647 runs past the end");

    /* a frame shorter than its header */
    assert_malformed(b, 5, "at least 8 bytes");
}

static void test_encode_refusals(void **state)
{
    (void)state;
    vcf_adapter_param params[] = {{"order", NULL}};
    vcf_frame f = {.op = VCF_FOP_RESET, .params = params, .n_params = 1};
    assert_int_equal(vcf_frame_encode(&f, buf, sizeof buf, err, sizeof err), 0);
    assert_non_null(strstr(err, "parameter 0 has no value"));
    f.n_params = VCF_FRAME_MAX_PARAMS + 1;
    assert_int_equal(vcf_frame_encode(&f, buf, sizeof buf, err, sizeof err), 0);
    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_CLOSE | VCF_FRAME_REPLY;
    f.rc = 1;
    assert_int_equal(vcf_frame_encode(&f, buf, sizeof buf, err, sizeof err), 0);
    assert_non_null(strstr(err, "rc 1"));
    assert_string_equal(vcf_frame_op_name(VCF_FOP_INJECT | VCF_FRAME_REPLY), "INJECT");
    assert_string_equal(vcf_frame_op_name(0x77), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hello_bytes),       cmocka_unit_test(test_inject_bytes),
        cmocka_unit_test(test_reply_bytes),       cmocka_unit_test(test_requests_roundtrip),
        cmocka_unit_test(test_replies_roundtrip), cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_length_field),      cmocka_unit_test(test_oversized_encode),
        cmocka_unit_test(test_garbage),           cmocka_unit_test(test_encode_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
