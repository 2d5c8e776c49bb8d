/* SPDX-License-Identifier: MIT */
/*
 * Tests of the structure-aware mutator (fuzz/mutator/mutator.h) and its AFL++ wrapper.
 *
 * Each operator is checked on a known message: the mutation named in m->last is found by trying
 * seeds, and the bytes are then checked field by field (and, where the operator promises a
 * consistent message, by the model's own parser). Then: the same seed gives the same output,
 * the output always fits, random garbage never makes it read or write outside its buffers
 * (the ASan+UBSan suite runs this file too), and every format reaches every operator.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fuzz.h"
#include "mutator.h"
#include "script.h"
#include "vconform/rpmsg.h"
#include "vconform/vmsg.h"

/* the AFL++ entry points (afl_mutator.c is linked into this test) */
void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, unsigned char *buf, size_t buf_size, unsigned char **out_buf,
                       unsigned char *add_buf, size_t add_buf_size, size_t max_size);
const char *afl_custom_describe(void *data, size_t max_description_len);
void afl_custom_deinit(void *data);

#define BUF 4096

static void st16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void st32(uint8_t *p, uint32_t v)
{
    st16(p, v);
    st16(p + 2, v >> 16);
}

static uint32_t ld16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t ld32(const uint8_t *p)
{
    return ld16(p) | ld16(p + 2) << 16;
}

static uint32_t be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

/* ---- sample inputs ----------------------------------------------------------------------- */

/* vmsg format: parameter byte 0 (PR28, no padding, no bus maximum), GET_CONFIG response with
 * generation 7, offset 0 and 4 bytes of data: 1 + 24 bytes. */
static size_t sample_vmsg(uint8_t *out)
{
    static const uint8_t data[4] = {0xAA, 0xBB, 0xCC, 0xDD};
    vcf_vmsg_msg msg;
    assert_int_equal(vcf_vmsg_init(&msg, VCF_VMSG_K_GET_CONFIG_RESP, 1, 0x1234), 0);
    msg.u.config.generation = 7;
    msg.u.config.offset = 0;
    msg.u.config.length = 4;
    msg.u.config.data.ptr = data;
    msg.u.config.data.len = 4;
    out[0] = 0;
    int n = vcf_vmsg_encode(&msg, out + 1, BUF - 1, NULL);
    assert_int_equal(n, 24);
    return 1 + (size_t)n;
}

/* RPMsg frame, little-endian link: 0x400 -> 0x401, 4 bytes "ping": 1 + 20 bytes. */
static size_t sample_rpmsg(uint8_t *out)
{
    vcf_rpmsg_hdr h = {.src = 0x400, .dst = 0x401, .reserved = 0, .len = 4, .flags = 0};
    vcf_bytes payload = {(const uint8_t *)"ping", 4};
    out[0] = 0;
    int n = vcf_rpmsg_frame_encode(&h, payload, VCF_LITTLE_ENDIAN, out + 1, BUF - 1, NULL);
    assert_int_equal(n, 20);
    return 1 + (size_t)n;
}

/* NS payload "rpmsg-echo" at 0x400, little-endian: 1 + 40 bytes. */
static size_t sample_ns(uint8_t *out)
{
    vcf_rpmsg_ns_msg ns;
    vcf_rpmsg_ns_init(&ns, "rpmsg-echo", 0x400, 0);
    out[0] = 0;
    int n = vcf_rpmsg_ns_encode(&ns, VCF_LITTLE_ENDIAN, out + 1, BUF - 1, NULL);
    assert_int_equal(n, 40);
    return 1 + (size_t)n;
}

/* RPMsg driver script: an NS announcement, a send action, a data message, a patch. */
static size_t sample_script(uint8_t *out, const char *name)
{
    vcf_script_writer w;
    vcf_script_writer_init(&w, out, BUF);
    vcf_adapter_param ps[] = {{"order", "le"}, {"features", "0x100000001"}, {"buf_size", "512"}};
    vcf_script_begin(&w, VCF_IUT_RPMSG_DRIVER, ps, 3);
    uint8_t f[56];
    vcf_rpmsg_hdr h = {.src = 0x400, .dst = VCF_RPMSG_NS_ADDR, .len = 40};
    vcf_rpmsg_ns_msg ns;
    vcf_rpmsg_ns_init(&ns, name, 0x400, 0);
    uint8_t nsb[40];
    assert_int_equal(vcf_rpmsg_ns_encode(&ns, VCF_LITTLE_ENDIAN, nsb, sizeof(nsb), NULL), 40);
    vcf_bytes payload = {nsb, 40};
    assert_int_equal(vcf_rpmsg_frame_encode(&h, payload, VCF_LITTLE_ENDIAN, f, sizeof(f), NULL),
                     56);
    vcf_script_inject(&w, 0, f, 56, 0, 0);
    uint32_t args[VCF_ADAPTER_ARG_MAX] = {0x401, 0x400, 0, 0};
    vcf_script_action(&w, VCF_ACT_RPMSG_SEND, args, (const uint8_t *)"hi", 2);
    uint8_t d[20];
    vcf_rpmsg_hdr h2 = {.src = 0x400, .dst = 0x401, .len = 4};
    vcf_bytes p2 = {(const uint8_t *)"ping", 4};
    assert_int_equal(vcf_rpmsg_frame_encode(&h2, p2, VCF_LITTLE_ENDIAN, d, sizeof(d), NULL), 20);
    vcf_script_inject(&w, 0, d, 20, 0, 0);
    vcf_script_patch(&w, 0, 0, 0, 4);
    assert_false(w.overflow);
    return w.len;
}

/* virtio-msg device script: GET_DEVICE_FEATURES request and a SET_CONFIG request. */
static size_t sample_vmsg_script(uint8_t *out)
{
    vcf_script_writer w;
    vcf_script_writer_init(&w, out, BUF);
    vcf_adapter_param ps[] = {{"rev", "pr28"}, {"max_msg_size", "264"}};
    vcf_script_begin(&w, VCF_IUT_VMSG_DEVICE, ps, 2);
    vcf_vmsg_msg msg;
    uint8_t m[64];
    vcf_vmsg_init(&msg, VCF_VMSG_K_GET_DEVICE_FEATURES_REQ, 0, 1);
    msg.u.features.num_blocks = 2;
    int n = vcf_vmsg_encode(&msg, m, sizeof(m), NULL);
    assert_true(n > 0);
    vcf_script_inject(&w, 0, m, (size_t)n, 0, 0);
    static const uint8_t cfg[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    vcf_vmsg_init(&msg, VCF_VMSG_K_SET_CONFIG_REQ, 0, 2);
    msg.u.config.length = 8;
    msg.u.config.data.ptr = cfg;
    msg.u.config.data.len = 8;
    n = vcf_vmsg_encode(&msg, m, sizeof(m), NULL);
    assert_true(n > 0);
    vcf_script_inject(&w, 0, m, (size_t)n, 0, 0);
    assert_false(w.overflow);
    return w.len;
}

/* Adapter frames: HELLO request, RESET request (rpmsg-driver, order=le), INJECT request of an
 * RPMsg frame, and an ACTION reply. */
static size_t sample_frames(uint8_t *out)
{
    uint8_t *p = out;
    st32(p, 12);
    st16(p + 4, 1);
    st16(p + 6, 0);
    st32(p + 8, 0x50464356u);
    st32(p + 12, 1);
    p += 16;
    uint8_t *r = p;
    p += 8;
    st32(p, VCF_IUT_RPMSG_DRIVER);
    st32(p + 4, 1);
    p += 8;
    st32(p, 5);
    memcpy(p + 4, "order", 5);
    p += 9;
    st32(p, 2);
    memcpy(p + 4, "le", 2);
    p += 6;
    st32(r, (uint32_t)(p - r - 4));
    st16(r + 4, 2);
    st16(r + 6, 1);
    uint8_t *q = p;
    p += 8;
    st32(p, 0);
    st32(p + 4, 0);
    st32(p + 8, 0);
    st32(p + 12, 20);
    p += 16;
    vcf_rpmsg_hdr h = {.src = 0x400, .dst = 0x401, .len = 4};
    vcf_bytes payload = {(const uint8_t *)"ping", 4};
    assert_int_equal(vcf_rpmsg_frame_encode(&h, payload, VCF_LITTLE_ENDIAN, p, 20, NULL), 20);
    p += 20;
    st32(q, (uint32_t)(p - q - 4));
    st16(q + 4, 3);
    st16(q + 6, 2);
    uint8_t *a = p; /* ACTION reply: rc 0, reason "", status 0, value 0x400 */
    p += 8;
    st32(p, 0);
    st32(p + 4, 0);
    st32(p + 8, 0);
    st32(p + 12, 0x400);
    st32(p + 16, 0);
    p += 20;
    st32(a, (uint32_t)(p - a - 4));
    st16(a + 4, 0x8004);
    st16(a + 6, 3);
    return (size_t)(p - out);
}

/* Capture record: dissector tag, pseudo-header (virtio-msg, to the device), GET_CONFIG
 * request. */
static size_t sample_capture(uint8_t *out)
{
    uint8_t *p = out;
    *p++ = 0x00; /* selector: LINKTYPE_WIRESHARK_UPPER_PDU, with tags */
    static const uint8_t tags[16] = {0,   12,  0,   8,   'v', 'c', 'o', 'n',
                                     'f', 'o', 'r', 'm', 0,   0,   0,   0};
    memcpy(p, tags, 16);
    p += 16;
    memset(p, 0, 56);
    memcpy(p, "VCFP", 4);
    p[4] = 2;
    p[5] = 2;
    st16(p + 6, 56);
    p[9] = VCF_IUT_VMSG_DEVICE;
    p[12] = 0xFF;
    st32(p + 20, 16);
    st32(p + 24, 16);
    p[44] = 1; /* bus: harness */
    p[45] = 2; /* revision: pr28 */
    st32(p + 48, 264);
    p += 56;
    vcf_vmsg_msg msg;
    vcf_vmsg_init(&msg, VCF_VMSG_K_GET_CONFIG_REQ, 0, 1);
    msg.u.config.length = 8;
    int n = vcf_vmsg_encode(&msg, p, 64, NULL);
    assert_int_equal(n, 16);
    p += n;
    return (size_t)(p - out);
}

static size_t sample(vcf_fuzz_format fmt, uint8_t *out)
{
    switch (fmt) {
    case VCF_FMT_RPMSG_FRAME: return sample_rpmsg(out);
    case VCF_FMT_RPMSG_NS: return sample_ns(out);
    case VCF_FMT_VMSG: return sample_vmsg(out);
    case VCF_FMT_SCRIPT: return sample_script(out, "rpmsg-echo");
    case VCF_FMT_ADAPTER_FRAME: return sample_frames(out);
    case VCF_FMT_CAPTURE: return sample_capture(out);
    default:
        for (size_t i = 0; i < 32; i++)
            out[i] = (uint8_t)(i * 37u);
        return 32;
    }
}

/* ---- finding a mutation ------------------------------------------------------------------ */

/* Mutate in (n bytes) with seeds 0, 1, ... until m->last is `want`; the result is in out.
 * Fails the test when no seed below the limit gives it. */
static size_t find(vcf_fuzz_format fmt, const uint8_t *in, size_t n, const uint8_t *other,
                   size_t other_len, const char *want, uint8_t *out)
{
    for (uint64_t seed = 0; seed < 200000; seed++) {
        vcf_mutator m;
        vcf_mutator_init(&m, fmt, seed);
        m.structure_percent = 100;
        memcpy(out, in, n);
        size_t r = vcf_mutate(&m, out, n, BUF, other, other_len);
        if (strcmp(m.last, want) == 0)
            return r;
    }
    fail_msg("no seed gives the mutation %s", want);
    return 0;
}

/* The bytes differ from in only in [off, off + w). */
static void only_changed(const uint8_t *in, const uint8_t *out, size_t n, size_t off, size_t w)
{
    for (size_t i = 0; i < n; i++)
        if (i < off || i >= off + w)
            assert_int_equal(in[i], out[i]);
}

/* ---- formats ----------------------------------------------------------------------------- */

static void test_format_names(void **state)
{
    (void)state;
    for (unsigned i = 0; i < VCF_FMT_COUNT; i++) {
        const char *name = vcf_fuzz_format_name((vcf_fuzz_format)i);
        assert_non_null(name);
        vcf_fuzz_format f = VCF_FMT_COUNT;
        assert_int_equal(vcf_fuzz_format_parse(name, &f), 0);
        assert_int_equal(f, i);
    }
    vcf_fuzz_format f = VCF_FMT_RAW;
    assert_int_equal(vcf_fuzz_format_parse("rpmsg", &f), -1);
    assert_int_equal(vcf_fuzz_format_parse(NULL, &f), -1);
    assert_null(vcf_fuzz_format_name(VCF_FMT_COUNT));
    assert_string_equal(vcf_fuzz_format_name(VCF_FMT_ADAPTER_FRAME), "adapter-frame");
}

/* ---- virtio-msg -------------------------------------------------------------------------- */

static int vmsg_parse(const uint8_t *buf, size_t len, vcf_vmsg_msg *msg)
{
    vcf_vmsg_params p;
    vcf_vmsg_params_default(&p);
    return vcf_vmsg_parse(buf, len, &p, msg, NULL);
}

static void test_vmsg_msg_size_exact_plus_one(void **state)
{
    (void)state;
    uint8_t in[BUF], out[BUF];
    size_t n = sample_vmsg(in);
    vcf_vmsg_msg msg;
    assert_int_equal(vmsg_parse(in + 1, n - 1, &msg), VCF_OK);
    size_t r = find(VCF_FMT_VMSG, in, n, NULL, 0, "vmsg.msg_size=exact+1", out);
    assert_int_equal(r, n);
    assert_int_equal(ld16(out + 1 + 6), 25);
    only_changed(in, out, n, 1 + 6, 2);
    /* one more than the bytes there: the model's parser refuses it */
    assert_int_equal(vmsg_parse(out + 1, r - 1, &msg), VCF_E_SIZE_MISMATCH);

    r = find(VCF_FMT_VMSG, in, n, NULL, 0, "vmsg.msg_size=hdr-1", out);
    assert_int_equal(ld16(out + 1 + 6), 7);
    only_changed(in, out, n, 1 + 6, 2);
    r = find(VCF_FMT_VMSG, in, n, NULL, 0, "vmsg.msg_size=busmax+1", out);
    assert_int_equal(ld16(out + 1 + 6), VCF_VMSG_RECOMMENDED_MAX_MSG_SIZE + 1);
}

static void test_vmsg_length_boundaries(void **state)
{
    (void)state;
    uint8_t in[BUF], out[BUF];
    size_t n = sample_vmsg(in);
    /* the config length field is at payload offset 8 */
    size_t off = 1 + 8 + 8;
    size_t r = find(VCF_FMT_VMSG, in, n, NULL, 0, "vmsg.length=exact+1", out);
    assert_int_equal(r, n);
    assert_int_equal(ld32(out + off), 5);
    only_changed(in, out, n, off, 4);
    vcf_vmsg_msg msg;
    assert_int_equal(vmsg_parse(out + 1, r - 1, &msg), VCF_E_SIZE_MISMATCH);

    /* the same boundary with the data and msg_size made to agree: a valid message */
    r = find(VCF_FMT_VMSG, in, n, NULL, 0, "vmsg.length=exact+1~fit", out);
    assert_int_equal(r, n + 1);
    assert_int_equal(ld32(out + off), 5);
    assert_int_equal(ld16(out + 1 + 6), 25);
    assert_memory_equal(out + off + 4, in + off + 4, 4);
    assert_int_equal(vmsg_parse(out + 1, r - 1, &msg), VCF_OK);
    assert_int_equal(msg.u.config.length, 5);

    /* as large as the bus maximum allows */
    r = find(VCF_FMT_VMSG, in, n, NULL, 0, "vmsg.length=busmax~fit", out);
    assert_int_equal(r, 1 + VCF_VMSG_RECOMMENDED_MAX_MSG_SIZE);
    assert_int_equal(vmsg_parse(out + 1, r - 1, &msg), VCF_OK);
    assert_int_equal(msg.hdr.msg_size, VCF_VMSG_RECOMMENDED_MAX_MSG_SIZE);

    r = find(VCF_FMT_VMSG, in, n, NULL, 0, "vmsg.length=0", out);
    assert_int_equal(ld32(out + off), 0);
    only_changed(in, out, n, off, 4);
}

static void test_vmsg_swap_and_reserved(void **state)
{
    (void)state;
    uint8_t in[BUF], out[BUF];
    size_t n = sample_vmsg(in);
    size_t r = find(VCF_FMT_VMSG, in, n, NULL, 0, "vmsg.length=swap", out);
    assert_int_equal(r, n);
    assert_int_equal(ld32(out + 17), 0x04000000u);
    only_changed(in, out, n, 17, 4);

    r = find(VCF_FMT_VMSG, in, n, NULL, 0, "vmsg.token=swap", out);
    assert_int_equal(ld16(out + 1 + 4), 0x3412);
    only_changed(in, out, n, 1 + 4, 2);

    r = find(VCF_FMT_VMSG, in, n, NULL, 0, "vmsg=swap-all", out);
    assert_int_equal(r, n);
    assert_int_equal(out[1], in[1]); /* one-byte fields stay */
    assert_int_equal(out[2], in[2]);
    assert_int_equal(be16(out + 1 + 6), 24);     /* msg_size */
    assert_int_equal(be16(out + 1 + 4), 0x1234); /* token */
    assert_int_equal(out[1 + 8 + 3], 7);         /* generation, big-endian */
    assert_int_equal(out[1 + 8 + 11], 4);        /* length, big-endian */
    assert_memory_equal(out + 21, in + 21, 4);   /* data is never swapped */

    r = find(VCF_FMT_VMSG, in, n, NULL, 0, "vmsg.type=reserved", out);
    assert_int_equal(out[1] & 0x03, VCF_VMSG_TYPE_RESPONSE);
    assert_true((out[1] & VCF_VMSG_TYPE_RESERVED) != 0);
    only_changed(in, out, n, 1, 1);
    vcf_vmsg_msg msg;
    vcf_vmsg_params p;
    vcf_vmsg_params_default(&p);
    vcf_error err;
    assert_int_equal(vcf_vmsg_decode(out + 1, r - 1, &p, &msg, &err), VCF_E_RESERVED);
}

static void test_vmsg_resize_keeps_header(void **state)
{
    (void)state;
    uint8_t in[BUF], out[BUF];
    size_t n = sample_vmsg(in);
    size_t r = find(VCF_FMT_VMSG, in, n, NULL, 0, "vmsg.tail=resize:+1", out);
    assert_int_equal(r, n + 1);
    assert_memory_equal(out, in, n); /* header and fields untouched, one byte appended */
    r = find(VCF_FMT_VMSG, in, n, NULL, 0, "vmsg.tail=resize:+1~fit", out);
    assert_int_equal(r, n + 1);
    vcf_vmsg_msg msg;
    assert_int_equal(vmsg_parse(out + 1, r - 1, &msg), VCF_OK);
    assert_int_equal(msg.u.config.length, 5);
}

static void test_vmsg_param(void **state)
{
    (void)state;
    uint8_t in[BUF], out[BUF];
    size_t n = sample_vmsg(in);
    find(VCF_FMT_VMSG, in, n, NULL, 0, "param.rev=flip", out);
    assert_int_equal(out[0], 0x01);
    only_changed(in, out, n, 0, 1);
    find(VCF_FMT_VMSG, in, n, NULL, 0, "param.max=48", out);
    assert_int_equal(out[0] >> 2, 1);
}

static void test_vmsg_splice_from_other(void **state)
{
    (void)state;
    uint8_t in[BUF], other[BUF], out[BUF];
    size_t n = sample_vmsg(in);
    in[0] = VCF_FUZZ_VMSG_RFC3;
    /* the other input: a GET_DEVICE_STATUS request behind another parameter byte */
    vcf_vmsg_msg msg;
    vcf_vmsg_init(&msg, VCF_VMSG_K_GET_DEVICE_STATUS_REQ, 3, 9);
    other[0] = 0xFC;
    int on = vcf_vmsg_encode(&msg, other + 1, BUF - 1, NULL);
    assert_int_equal(on, 8);
    size_t r = find(VCF_FMT_VMSG, in, n, other, 9, "splice+vmsg.msg_size=exact+1", out);
    assert_int_equal(r, 9);
    assert_int_equal(out[0], VCF_FUZZ_VMSG_RFC3); /* this input's parameter byte */
    assert_memory_equal(out + 1, other + 1, 6);   /* the other's message ... */
    assert_int_equal(ld16(out + 7), 9);           /* ... with its msg_size one over */
}

/* ---- RPMsg ------------------------------------------------------------------------------- */

static void test_rpmsg_len_boundaries(void **state)
{
    (void)state;
    uint8_t in[BUF], out[BUF];
    size_t n = sample_rpmsg(in);
    size_t r = find(VCF_FMT_RPMSG_FRAME, in, n, NULL, 0, "rpmsg.len=exact+1", out);
    assert_int_equal(r, n);
    assert_int_equal(ld16(out + 1 + 12), 5);
    only_changed(in, out, n, 1 + 12, 2);
    vcf_rpmsg_frame fr;
    assert_int_equal(vcf_rpmsg_frame_parse(out + 1, r - 1, VCF_LITTLE_ENDIAN, &fr, NULL),
                     VCF_E_SIZE_MISMATCH);

    r = find(VCF_FMT_RPMSG_FRAME, in, n, NULL, 0, "rpmsg.len=0", out);
    assert_int_equal(ld16(out + 13), 0);
    r = find(VCF_FMT_RPMSG_FRAME, in, n, NULL, 0, "rpmsg.len=buf+1", out);
    assert_int_equal(ld16(out + 13), VCF_RPMSG_DEFAULT_BUF_SIZE - 16 + 1);
    only_changed(in, out, n, 13, 2);
    r = find(VCF_FMT_RPMSG_FRAME, in, n, NULL, 0, "rpmsg.len=max", out);
    assert_int_equal(ld16(out + 13), 0xFFFF);

    /* resized to agree: a frame one byte longer, still well formed */
    r = find(VCF_FMT_RPMSG_FRAME, in, n, NULL, 0, "rpmsg.len=exact+1~fit", out);
    assert_int_equal(r, n + 1);
    assert_int_equal(vcf_rpmsg_frame_parse(out + 1, r - 1, VCF_LITTLE_ENDIAN, &fr, NULL), VCF_OK);
    assert_int_equal(fr.hdr.len, 5);
    assert_int_equal(fr.slack, 0);
    assert_memory_equal(fr.payload.ptr, "ping", 4);
}

static void test_rpmsg_byte_order(void **state)
{
    (void)state;
    uint8_t in[BUF], out[BUF];
    size_t n = sample_rpmsg(in);
    size_t r = find(VCF_FMT_RPMSG_FRAME, in, n, NULL, 0, "rpmsg.len=swap", out);
    assert_int_equal(be16(out + 13), 4);
    only_changed(in, out, n, 13, 2);

    /* the whole header in the other order, parameter byte unchanged: a little-endian link
     * that receives a big-endian header */
    r = find(VCF_FMT_RPMSG_FRAME, in, n, NULL, 0, "rpmsg=swap-all", out);
    assert_int_equal(out[0], 0);
    vcf_rpmsg_hdr h;
    assert_int_equal(vcf_rpmsg_hdr_decode(out + 1, r - 1, VCF_BIG_ENDIAN, &h, NULL), VCF_OK);
    assert_int_equal(h.src, 0x400);
    assert_int_equal(h.dst, 0x401);
    assert_int_equal(h.len, 4);
    assert_memory_equal(out + 17, "ping", 4);

    /* the same message for a big-endian legacy link: parameter flipped, still well formed */
    r = find(VCF_FMT_RPMSG_FRAME, in, n, NULL, 0, "rpmsg=reorder", out);
    assert_int_equal(out[0], 0x01);
    vcf_rpmsg_frame fr;
    assert_int_equal(vcf_rpmsg_frame_parse(out + 1, r - 1, VCF_BIG_ENDIAN, &fr, NULL), VCF_OK);
    assert_int_equal(fr.hdr.src, 0x400);
    assert_int_equal(fr.hdr.len, 4);

    find(VCF_FMT_RPMSG_FRAME, in, n, NULL, 0, "param.be=flip", out);
    assert_int_equal(out[0], VCF_FUZZ_RPMSG_BE);
}

static void test_rpmsg_reserved(void **state)
{
    (void)state;
    uint8_t in[BUF], out[BUF];
    size_t n = sample_rpmsg(in);
    size_t r = find(VCF_FMT_RPMSG_FRAME, in, n, NULL, 0, "rpmsg.reserved=reserved", out);
    assert_true(ld32(out + 1 + 8) != 0);
    only_changed(in, out, n, 1 + 8, 4);
    vcf_rpmsg_frame fr;
    assert_int_equal(vcf_rpmsg_frame_parse(out + 1, r - 1, VCF_LITTLE_ENDIAN, &fr, NULL), VCF_OK);
    vcf_error errs[4];
    assert_true(vcf_rpmsg_frame_check(&fr, errs, 4) > 0);
    r = find(VCF_FMT_RPMSG_FRAME, in, n, NULL, 0, "rpmsg.flags=reserved", out);
    assert_true(ld16(out + 1 + 14) != 0);
    only_changed(in, out, n, 1 + 14, 2);
}

static void test_ns_name_and_flags(void **state)
{
    (void)state;
    uint8_t in[BUF], out[BUF];
    size_t n = sample_ns(in);
    find(VCF_FMT_RPMSG_NS, in, n, NULL, 0, "ns.name=reserved:unterminated", out);
    assert_null(memchr(out + 1, 0, 32));
    only_changed(in, out, n, 1, 32);
    find(VCF_FMT_RPMSG_NS, in, n, NULL, 0, "ns.flags=reserved", out);
    assert_true((ld32(out + 1 + 36) & ~1u) != 0);
    find(VCF_FMT_RPMSG_NS, in, n, NULL, 0, "ns=reorder", out);
    assert_int_equal(out[0], 0x01);
    vcf_rpmsg_ns_msg ns;
    assert_int_equal(vcf_rpmsg_ns_parse(out + 1, 40, VCF_BIG_ENDIAN, &ns, NULL), VCF_OK);
    assert_int_equal(ns.addr, 0x400);
    assert_memory_equal(ns.name, "rpmsg-echo", 10);
}

/* ---- scripts ----------------------------------------------------------------------------- */

typedef struct recs {
    size_t n;
    vcf_script_rec r[32];
    size_t plen;
} recs;

static void script_records(const uint8_t *buf, size_t len, recs *out)
{
    vcf_script_head h;
    vcf_script_cursor cur;
    memset(out, 0, sizeof(*out));
    assert_int_equal(vcf_script_open(buf, len, &h, &cur), 0);
    out->plen = h.params_len;
    while (out->n < 32 && vcf_script_next(&cur, &out->r[out->n]) == 1)
        out->n++;
    assert_int_equal(cur.pos, len); /* every byte belongs to a whole record */
}

static bool rec_bytes_equal(const uint8_t *ba, const vcf_script_rec *a, const uint8_t *bb,
                            const vcf_script_rec *b)
{
    return a->size == b->size && memcmp(ba + a->offset, bb + b->offset, a->size) == 0;
}

static void test_script_inject_len_follows_message(void **state)
{
    (void)state;
    uint8_t in[BUF], out[BUF];
    size_t n = sample_script(in, "rpmsg-echo");
    recs a, b;
    script_records(in, n, &a);
    assert_int_equal(a.n, 4);

    /* the RPMsg len of an injected frame, resized to agree: the record's len follows */
    size_t r = find(VCF_FMT_SCRIPT, in, n, NULL, 0, "rpmsg.len=exact+1~fit", out);
    assert_int_equal(r, n + 1);
    script_records(out, r, &b);
    assert_int_equal(b.n, a.n);
    size_t changed = 0;
    for (size_t i = 0; i < a.n; i++) {
        if (rec_bytes_equal(in, &a.r[i], out, &b.r[i]))
            continue;
        changed++;
        assert_int_equal(b.r[i].op, VCF_SCRIPT_OP_INJECT);
        assert_int_equal(b.r[i].len, a.r[i].len + 1);
        vcf_rpmsg_frame fr;
        assert_int_equal(
            vcf_rpmsg_frame_parse(b.r[i].data, b.r[i].len, VCF_LITTLE_ENDIAN, &fr, NULL), VCF_OK);
        assert_int_equal(fr.hdr.len + 16u, b.r[i].len);
        assert_int_equal(fr.slack, 0);
    }
    assert_int_equal(changed, 1);

    /* the payload cut while the RPMsg header keeps its len: the record still frames the
     * message, which now claims more than it holds */
    r = find(VCF_FMT_SCRIPT, in, n, NULL, 0, "rpmsg.payload=resize:-1", out);
    assert_int_equal(r, n - 1);
    script_records(out, r, &b);
    assert_int_equal(b.n, a.n);
    changed = 0;
    for (size_t i = 0; i < a.n; i++) {
        if (rec_bytes_equal(in, &a.r[i], out, &b.r[i]))
            continue;
        changed++;
        assert_int_equal(b.r[i].len, a.r[i].len - 1);
        vcf_rpmsg_frame fr;
        assert_int_equal(
            vcf_rpmsg_frame_parse(b.r[i].data, b.r[i].len, VCF_LITTLE_ENDIAN, &fr, NULL),
            VCF_E_SIZE_MISMATCH);
    }
    assert_int_equal(changed, 1);

    /* the INJECT's used_len: the length the ring reports, not the bytes given */
    r = find(VCF_FMT_SCRIPT, in, n, NULL, 0, "inject.used_len=exact+1", out);
    assert_int_equal(r, n);
    script_records(out, r, &b);
    changed = 0;
    for (size_t i = 0; i < a.n; i++) {
        if (b.r[i].used_len != a.r[i].used_len) {
            changed++;
            assert_int_equal(b.r[i].used_len, b.r[i].len + 1);
            assert_int_equal(b.r[i].len, a.r[i].len);
        }
    }
    assert_int_equal(changed, 1);
}

static void test_script_vmsg_messages(void **state)
{
    (void)state;
    uint8_t in[BUF], out[BUF];
    size_t n = sample_vmsg_script(in);
    recs a, b;
    script_records(in, n, &a);
    /* SET_CONFIG's length resized to agree: a valid message one byte longer */
    size_t r = find(VCF_FMT_SCRIPT, in, n, NULL, 0, "vmsg.length=exact+1~fit", out);
    assert_int_equal(r, n + 1);
    script_records(out, r, &b);
    assert_int_equal(b.n, a.n);
    assert_int_equal(b.r[1].len, a.r[1].len + 1);
    vcf_vmsg_msg msg;
    assert_int_equal(vmsg_parse(b.r[1].data, b.r[1].len, &msg), VCF_OK);
    assert_int_equal(msg.kind, VCF_VMSG_K_SET_CONFIG_REQ);
    assert_int_equal(msg.u.config.length, 9);
    /* the features request asks for more blocks than a response can carry */
    r = find(VCF_FMT_SCRIPT, in, n, NULL, 0, "vmsg.num_blocks=exact+1", out);
    script_records(out, r, &b);
    assert_int_equal(vmsg_parse(b.r[0].data, b.r[0].len, &msg), VCF_OK);
    assert_int_equal(msg.u.features.num_blocks, (VCF_VMSG_RECOMMENDED_MAX_MSG_SIZE - 16) / 4 + 1);
    /* parameter tweaks of the virtio-msg family only */
    r = find(VCF_FMT_SCRIPT, in, n, NULL, 0, "param.max_msg_size=44", out);
    script_records(out, r, &b);
    assert_int_equal(b.n, a.n);
    vcf_script_head h;
    vcf_script_cursor cur;
    assert_int_equal(vcf_script_open(out, r, &h, &cur), 0);
    assert_memory_equal(h.params, "rev=pr28\nmax_msg_size=44", h.params_len);
}

static void test_script_records(void **state)
{
    (void)state;
    uint8_t in[BUF], other[BUF], out[BUF];
    size_t n = sample_script(in, "rpmsg-echo");
    size_t on = sample_vmsg_script(other); /* no record in common with in */
    recs a, o, b;
    script_records(in, n, &a);
    script_records(other, on, &o);

    size_t r = find(VCF_FMT_SCRIPT, in, n, other, on, "script.splice", out);
    script_records(out, r, &b);
    assert_true(b.n > 0);
    /* every record comes whole from one of the two scripts, and one from the other */
    bool from_other = false;
    for (size_t i = 0; i < b.n; i++) {
        bool found = false;
        for (size_t j = 0; j < a.n && !found; j++)
            found = rec_bytes_equal(out, &b.r[i], in, &a.r[j]);
        for (size_t j = 0; j < o.n && !found; j++) {
            found = rec_bytes_equal(out, &b.r[i], other, &o.r[j]);
            from_other = from_other || found;
        }
        assert_true(found);
    }
    assert_true(from_other);
    assert_memory_equal(out, in, 3 + a.plen); /* the head is kept */

    r = find(VCF_FMT_SCRIPT, in, n, NULL, 0, "script.dup", out);
    script_records(out, r, &b);
    assert_int_equal(b.n, a.n + 1);
    r = find(VCF_FMT_SCRIPT, in, n, NULL, 0, "script.drop", out);
    script_records(out, r, &b);
    assert_int_equal(b.n, a.n - 1);
    r = find(VCF_FMT_SCRIPT, in, n, NULL, 0, "script.swap-rec", out);
    assert_int_equal(r, n);
    script_records(out, r, &b);
    assert_int_equal(b.n, a.n);
    size_t moved = 0;
    for (size_t i = 0; i < a.n; i++) {
        bool found = false;
        for (size_t j = 0; j < b.n && !found; j++)
            found = rec_bytes_equal(in, &a.r[i], out, &b.r[j]);
        assert_true(found);
        moved += !rec_bytes_equal(in, &a.r[i], out, &b.r[i]);
    }
    assert_true(moved >= 2);
}

static void test_script_params(void **state)
{
    (void)state;
    uint8_t in[BUF], out[BUF];
    size_t n = sample_script(in, "rpmsg-echo");
    recs a, b;
    script_records(in, n, &a);
    size_t r = find(VCF_FMT_SCRIPT, in, n, NULL, 0, "param.legacy-be", out);
    script_records(out, r, &b);
    assert_int_equal(b.n, a.n);
    vcf_script_head h;
    vcf_script_cursor cur;
    assert_int_equal(vcf_script_open(out, r, &h, &cur), 0);
    assert_memory_equal(h.params, "order=be\nfeatures=0x1\nbuf_size=512", h.params_len);
    /* the records are untouched */
    for (size_t i = 0; i < a.n; i++)
        assert_true(rec_bytes_equal(in, &a.r[i], out, &b.r[i]));

    r = find(VCF_FMT_SCRIPT, in, n, NULL, 0, "param.buf_size=17", out);
    assert_int_equal(vcf_script_open(out, r, &h, &cur), 0);
    assert_memory_equal(h.params, "order=le\nfeatures=0x100000001\nbuf_size=17", h.params_len);
    r = find(VCF_FMT_SCRIPT, in, n, NULL, 0, "param.order=drop", out);
    assert_int_equal(vcf_script_open(out, r, &h, &cur), 0);
    assert_memory_equal(h.params, "features=0x100000001\nbuf_size=512", h.params_len);
}

/* ---- adapter frames and captures --------------------------------------------------------- */

static void test_frames(void **state)
{
    (void)state;
    uint8_t in[BUF], out[BUF];
    size_t n = sample_frames(in);
    /* the INJECT frame's message, resized to agree: bytes length and frame length follow */
    size_t r = find(VCF_FMT_ADAPTER_FRAME, in, n, NULL, 0, "rpmsg.len=exact+1~fit", out);
    assert_int_equal(r, n + 1);
    size_t pos = 0, frames = 0;
    while (pos + 4 <= r) {
        uint32_t l = ld32(out + pos);
        assert_true(l >= 4 && l <= r - pos - 4);
        if (ld16(out + pos + 4) == 3) {
            assert_int_equal(ld32(out + pos + 20), 21);     /* data length */
            assert_int_equal(l, 4 + 12 + 4 + 21);           /* op, seq, three u32, data */
            assert_int_equal(ld16(out + pos + 24 + 12), 5); /* the RPMsg len */
        }
        pos += 4 + l;
        frames++;
    }
    assert_int_equal(pos, r);
    assert_int_equal(frames, 4);

    r = find(VCF_FMT_ADAPTER_FRAME, in, n, NULL, 0, "frame.length=hdr-1", out);
    assert_int_equal(r, n);
    bool found = false;
    for (size_t off = 0; off + 4 <= r; off++)
        found = found || (ld32(out + off) == 3 && ld32(in + off) != 3);
    assert_true(found);

    r = find(VCF_FMT_ADAPTER_FRAME, in, n, NULL, 0, "frame.drop", out);
    assert_true(r < n);
    r = find(VCF_FMT_ADAPTER_FRAME, in, n, NULL, 0, "frame.reason=frame+1", out);
    assert_int_equal(r, n);
    /* the ACTION reply's reason string now runs one byte past its frame */
    size_t reply = n - 28;
    assert_int_equal(ld32(out + reply + 12), 28 - 16 + 1);
}

static void test_capture(void **state)
{
    (void)state;
    uint8_t in[BUF], out[BUF];
    size_t n = sample_capture(in);
    size_t t = 1 + 16; /* selector byte, tags */
    size_t r = find(VCF_FMT_CAPTURE, in, n, NULL, 0, "capture.orig_len=exact+1", out);
    assert_int_equal(ld32(out + t + 24), 17);
    only_changed(in, out, n, t + 24, 4);
    r = find(VCF_FMT_CAPTURE, in, n, NULL, 0, "capture.hdr_len=hdr-1", out);
    assert_int_equal(ld16(out + t + 6), 55);
    r = find(VCF_FMT_CAPTURE, in, n, NULL, 0, "capture.reserved=reserved", out);
    assert_true(out[t + 13] != 0);
    only_changed(in, out, n, t + 13, 1);
    /* version 2 link fields are mutated too */
    r = find(VCF_FMT_CAPTURE, in, n, NULL, 0, "capture.link_flags=reserved", out);
    assert_true((ld16(out + t + 46) & ~7u) != 0);
    only_changed(in, out, n, t + 46, 2);
    /* the message inside, resized to agree: orig_len and used_len follow it */
    r = find(VCF_FMT_CAPTURE, in, n, NULL, 0, "vmsg.msg_size=exact+1~fit", out);
    assert_int_equal(r, n + 1);
    assert_int_equal(ld32(out + t + 24), 17);
    assert_int_equal(ld32(out + t + 20), 17);
    assert_int_equal(ld16(out + t + 56 + 6), 17);
    r = find(VCF_FMT_CAPTURE, in, n, NULL, 0, "capture.tag_len=swap", out);
    assert_int_equal(out[1 + 3], 0);
    assert_int_equal(out[1 + 2], 8);
}

/* ---- properties -------------------------------------------------------------------------- */

static void test_same_seed_same_output(void **state)
{
    (void)state;
    uint8_t in[BUF], other[BUF], a[BUF], b[BUF];
    for (unsigned fmt = 0; fmt < VCF_FMT_COUNT; fmt++) {
        size_t n = sample((vcf_fuzz_format)fmt, in);
        size_t on = sample((vcf_fuzz_format)fmt, other);
        other[on / 2] ^= 0x55;
        size_t distinct = 0;
        for (uint64_t seed = 0; seed < 300; seed++) {
            vcf_mutator m1, m2;
            vcf_mutator_init(&m1, (vcf_fuzz_format)fmt, seed);
            vcf_mutator_init(&m2, (vcf_fuzz_format)fmt, seed);
            memcpy(a, in, n);
            memcpy(b, in, n);
            size_t ra = n, rb = n;
            /* a chain of five mutations, fed back */
            for (int k = 0; k < 5; k++) {
                ra = vcf_mutate(&m1, a, ra, BUF, other, on);
                rb = vcf_mutate(&m2, b, rb, BUF, other, on);
                assert_int_equal(ra, rb);
                assert_memory_equal(a, b, ra);
                assert_string_equal(m1.last, m2.last);
            }
            distinct += ra != n || memcmp(a, in, n) != 0;
        }
        assert_true(distinct > 250);
    }
}

static size_t fake_engine_calls;

static size_t fake_engine(uint8_t *buf, size_t len, size_t max, void *ctx)
{
    assert_ptr_equal(ctx, &fake_engine_calls);
    fake_engine_calls++;
    buf[0] ^= 1;
    return len + 1000 < max ? len + 1000 : max + 5; /* even a misbehaving engine is clamped */
}

static void test_byte_engine(void **state)
{
    (void)state;
    uint8_t buf[BUF];
    vcf_mutator m;
    vcf_mutator_init(&m, VCF_FMT_VMSG, 1);
    m.bytes = fake_engine;
    m.bytes_ctx = &fake_engine_calls;
    m.structure_percent = 0;
    size_t n = sample_vmsg(buf);
    for (int i = 0; i < 50; i++) {
        size_t r = vcf_mutate(&m, buf, n, 64, NULL, 0);
        assert_true(r <= 64);
        assert_string_equal(m.last, "bytes.engine");
    }
    assert_int_equal(fake_engine_calls, 50);
    /* the default share: about 80 in 100 are structure-aware */
    vcf_mutator_init(&m, VCF_FMT_VMSG, 2);
    size_t structural = 0;
    for (int i = 0; i < 1000; i++) {
        size_t r = vcf_mutate(&m, buf, sample_vmsg(buf), BUF, NULL, 0);
        assert_true(r > 0);
        structural += strncmp(m.last, "bytes.", 6) != 0;
    }
    assert_in_range(structural, 700, 900);
}

static void test_fails_safe_on_edges(void **state)
{
    (void)state;
    uint8_t buf[64];
    for (unsigned fmt = 0; fmt < VCF_FMT_COUNT; fmt++) {
        vcf_mutator m;
        vcf_mutator_init(&m, (vcf_fuzz_format)fmt, fmt);
        assert_int_equal(vcf_mutate(&m, NULL, 10, 10, NULL, 0), 0);
        assert_int_equal(vcf_mutate(&m, buf, 10, 0, NULL, 0), 0);
        for (int i = 0; i < 200; i++) {
            memset(buf, 0, sizeof(buf));
            size_t r = vcf_mutate(&m, buf, 0, 1, NULL, 0); /* empty input */
            assert_int_equal(r, 1);
            r = vcf_mutate(&m, buf, 0, sizeof(buf), NULL, 0);
            assert_true(r >= 1 && r <= sizeof(buf));
            r = vcf_mutate(&m, buf, 64, 7, buf, 64); /* max below len; other aliasing buf */
            assert_true(r >= 1 && r <= 7);
        }
    }
    /* an unknown format is treated as raw */
    vcf_mutator m;
    vcf_mutator_init(&m, (vcf_fuzz_format)99, 1);
    assert_int_equal(m.format, VCF_FMT_RAW);
    assert_int_equal(m.structure_percent, 80);
}

/* xorshift for the test's own garbage */
static uint64_t trng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/*
 * Random garbage, valid samples cut anywhere, and chains of mutations fed back, in buffers
 * allocated to exactly max bytes (and `other` to exactly its length), so that AddressSanitizer
 * sees any access outside them. 300,000 calls in all.
 */
static void test_garbage_never_out_of_bounds(void **state)
{
    (void)state;
    uint64_t s = 0x5EED5EED5EEDull;
    uint8_t sample_buf[BUF];
    size_t calls = 0;
    for (unsigned fmt = 0; fmt < VCF_FMT_COUNT; fmt++) {
        size_t sn = sample((vcf_fuzz_format)fmt, sample_buf);
        vcf_mutator m;
        vcf_mutator_init(&m, (vcf_fuzz_format)fmt, fmt * 7919u);
        for (int iter = 0; iter < 3000; iter++) {
            size_t max = 1 + (size_t)(trng(&s) % 400);
            size_t len = (size_t)(trng(&s) % (max + 40)); /* sometimes more than max */
            size_t olen = (size_t)(trng(&s) % 300);
            uint8_t *buf = malloc(max);
            uint8_t *other = malloc(olen ? olen : 1);
            assert_non_null(buf);
            assert_non_null(other);
            size_t fill = len < max ? len : max;
            unsigned kind = (unsigned)(trng(&s) % 3);
            for (size_t i = 0; i < fill; i++)
                buf[i] =
                    kind == 0 ? (uint8_t)trng(&s) : (i < sn ? sample_buf[i] : (uint8_t)trng(&s));
            if (kind == 2 && fill)
                buf[trng(&s) % fill] = (uint8_t)trng(&s);
            for (size_t i = 0; i < olen; i++)
                other[i] = i < sn && (i & 1) ? sample_buf[i] : (uint8_t)trng(&s);
            size_t cur = len;
            for (int k = 0; k < 14; k++) {
                m.structure_percent = (unsigned)(trng(&s) % 101);
                cur = vcf_mutate(&m, buf, cur, max, olen ? other : NULL, olen);
                assert_true(cur >= 1 && cur <= max);
                assert_true(strlen(m.last) > 0);
                calls++;
            }
            free(buf);
            free(other);
        }
    }
    assert_true(calls >= 290000);
}

/* ---- every format reaches every operator ------------------------------------------------- */

enum cls {
    C_BYTES,
    C_PARAM,
    C_SWAP,
    C_SWAP_ALL,
    C_BOUNDARY,
    C_VALUE,
    C_RESERVED,
    C_RESIZE,
    C_SPLICE,
    C_DUP,
    C_DROP,
    C_SWAP_REC,
    C_COUNT
};

static const char *const cls_name[C_COUNT] = {"bytes",    "param", "swap",     "swap-all",
                                              "boundary", "value", "reserved", "resize",
                                              "splice",   "dup",   "drop",     "swap-rec"};

static int ends_with(const char *s, const char *t)
{
    size_t a = strlen(s), b = strlen(t);
    return a >= b && strcmp(s + a - b, t) == 0;
}

static unsigned classify(const char *last)
{
    if (strncmp(last, "bytes.", 6) == 0)
        return C_BYTES;
    if (strncmp(last, "param.", 6) == 0)
        return C_PARAM;
    if (ends_with(last, ".splice") || strncmp(last, "splice+", 7) == 0)
        return C_SPLICE;
    if (ends_with(last, ".dup"))
        return C_DUP;
    if (ends_with(last, ".drop"))
        return C_DROP;
    if (ends_with(last, ".swap-rec"))
        return C_SWAP_REC;
    if (strstr(last, "=swap-all") || strstr(last, "=reorder"))
        return C_SWAP_ALL;
    if (strstr(last, "=swap"))
        return C_SWAP;
    if (strstr(last, "=reserved"))
        return C_RESERVED;
    if (strstr(last, "=value:"))
        return C_VALUE;
    if (strstr(last, "=resize:"))
        return C_RESIZE;
    assert_non_null(strchr(last, '='));
    return C_BOUNDARY;
}

static void test_every_format_every_operator(void **state)
{
    (void)state;
    /* what each format must reach */
    static const unsigned want[VCF_FMT_COUNT] = {
        [VCF_FMT_RAW] = 1u << C_BYTES,
        [VCF_FMT_RPMSG_FRAME] = 0xFFu | 1u << C_SPLICE,
        [VCF_FMT_RPMSG_NS] = (0xFFu & ~(1u << C_BOUNDARY)) | 1u << C_SPLICE,
        [VCF_FMT_VMSG] = 0xFFu | 1u << C_SPLICE,
        [VCF_FMT_SCRIPT] = 0xFFFu,
        [VCF_FMT_ADAPTER_FRAME] = 0xFFFu & ~(1u << C_PARAM),
        [VCF_FMT_CAPTURE] = 0xFFu & ~(1u << C_PARAM),
    };
    uint8_t in[BUF], other[BUF], buf[BUF];
    for (unsigned fmt = 0; fmt < VCF_FMT_COUNT; fmt++) {
        size_t n = sample((vcf_fuzz_format)fmt, in);
        size_t on =
            fmt == VCF_FMT_SCRIPT ? sample_vmsg_script(other) : sample((vcf_fuzz_format)fmt, other);
        unsigned count[C_COUNT] = {0};
        for (uint64_t seed = 0; seed < 4000; seed++) {
            vcf_mutator m;
            vcf_mutator_init(&m, (vcf_fuzz_format)fmt, seed);
            memcpy(buf, in, n);
            size_t r = vcf_mutate(&m, buf, n, BUF, other, on);
            assert_true(r >= 1 && r <= BUF);
            count[classify(m.last)]++;
        }
        for (unsigned c = 0; c < C_COUNT; c++) {
            if (want[fmt] & (1u << c)) {
                if (count[c] == 0)
                    fail_msg("format %s never reached operator %s",
                             vcf_fuzz_format_name((vcf_fuzz_format)fmt), cls_name[c]);
            } else {
                if (count[c] != 0)
                    fail_msg("format %s reached operator %s that it has not",
                             vcf_fuzz_format_name((vcf_fuzz_format)fmt), cls_name[c]);
            }
        }
    }
}

/* ---- the AFL++ wrapper ------------------------------------------------------------------- */

static void test_afl_wrapper(void **state)
{
    (void)state;
    assert_int_equal(setenv("VCF_FUZZ_FORMAT", "vmsg", 1), 0);
    assert_int_equal(setenv("VCF_FUZZ_STRUCTURE_PERCENT", "100", 1), 0);
    void *st = afl_custom_init(NULL, 42);
    assert_non_null(st);
    uint8_t in[BUF];
    size_t n = sample_vmsg(in);
    size_t boundary = 0;
    for (int i = 0; i < 500; i++) {
        unsigned char *out = NULL;
        size_t max = 20 + (size_t)i;
        size_t r = afl_custom_fuzz(st, in, n, &out, in, n, max);
        assert_non_null(out);
        assert_true(r >= 1 && r <= max);
        const char *d = afl_custom_describe(st, 200);
        assert_non_null(d);
        assert_true(strncmp(d, "op:vcf.", 7) == 0);
        /* it goes into file names: no path separators, no commas */
        assert_null(strchr(d, '/'));
        assert_null(strchr(d, ','));
        assert_null(strchr(d, ' '));
        boundary += strstr(d, "vmsg.msg_size=") != NULL || strstr(d, "vmsg.length=") != NULL;
        const char *shortd = afl_custom_describe(st, 5);
        assert_true(strlen(shortd) <= 5);
    }
    assert_true(boundary > 0);
    afl_custom_deinit(st);

    /* an unknown format falls back to bytes */
    assert_int_equal(setenv("VCF_FUZZ_FORMAT", "nonsense", 1), 0);
    st = afl_custom_init(NULL, 1);
    unsigned char *out = NULL;
    size_t r = afl_custom_fuzz(st, in, n, &out, NULL, 0, BUF);
    assert_true(r >= 1);
    assert_true(strncmp(afl_custom_describe(st, 100), "op:vcf.bytes.", 13) == 0);
    afl_custom_deinit(st);
    unsetenv("VCF_FUZZ_FORMAT");
    unsetenv("VCF_FUZZ_STRUCTURE_PERCENT");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_names),
        cmocka_unit_test(test_vmsg_msg_size_exact_plus_one),
        cmocka_unit_test(test_vmsg_length_boundaries),
        cmocka_unit_test(test_vmsg_swap_and_reserved),
        cmocka_unit_test(test_vmsg_resize_keeps_header),
        cmocka_unit_test(test_vmsg_param),
        cmocka_unit_test(test_vmsg_splice_from_other),
        cmocka_unit_test(test_rpmsg_len_boundaries),
        cmocka_unit_test(test_rpmsg_byte_order),
        cmocka_unit_test(test_rpmsg_reserved),
        cmocka_unit_test(test_ns_name_and_flags),
        cmocka_unit_test(test_script_inject_len_follows_message),
        cmocka_unit_test(test_script_vmsg_messages),
        cmocka_unit_test(test_script_records),
        cmocka_unit_test(test_script_params),
        cmocka_unit_test(test_frames),
        cmocka_unit_test(test_capture),
        cmocka_unit_test(test_same_seed_same_output),
        cmocka_unit_test(test_byte_engine),
        cmocka_unit_test(test_fails_safe_on_edges),
        cmocka_unit_test(test_garbage_never_out_of_bounds),
        cmocka_unit_test(test_every_format_every_operator),
        cmocka_unit_test(test_afl_wrapper),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
