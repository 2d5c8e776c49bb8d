/* SPDX-License-Identifier: MIT */
/*
 * Field visitors: every field they report sits at the offset they say, with the value the bytes
 * hold there, and the meanings read right.
 */
#include "vcf_test.h"

#include "vconform/rpmsg.h"
#include "vconform/vmsg.h"
#include "vmsg_samples.h"

typedef struct collected {
    const uint8_t *wire;
    size_t wire_len;
    int big_endian;
    int depth;
    int max_depth;
    size_t fields;
    char meanings[16][128];
    char names[16][32];
    size_t nmeanings;
} collected;

static void collect(void *ctx, const vcf_field *f)
{
    collected *c = ctx;
    switch (f->kind) {
    case VCF_FIELD_BEGIN:
        c->depth++;
        if (c->depth > c->max_depth)
            c->max_depth = c->depth;
        assert_true(f->offset + f->size <= c->wire_len);
        break;
    case VCF_FIELD_END:
        assert_true(c->depth > 0);
        c->depth--;
        break;
    case VCF_FIELD_UINT: {
        assert_true(f->offset + f->size <= c->wire_len);
        uint64_t want = c->big_endian ? th_be(c->wire + f->offset, f->size)
                                      : th_le(c->wire + f->offset, f->size);
        if (want != f->value)
            fail_msg("field %s at %zu: described %llu, bytes hold %llu", f->name, f->offset,
                     (unsigned long long)f->value, (unsigned long long)want);
        c->fields++;
        break;
    }
    case VCF_FIELD_BYTES:
    case VCF_FIELD_STRING:
        assert_int_equal(f->size, f->bytes.len);
        assert_true(f->offset + f->size <= c->wire_len);
        if (f->size)
            assert_bytes_equal(f->bytes.ptr, c->wire + f->offset, f->size);
        c->fields++;
        break;
    }
    if (f->meaning && c->nmeanings < 16 && f->kind != VCF_FIELD_END) {
        snprintf(c->meanings[c->nmeanings], sizeof c->meanings[0], "%s", f->meaning);
        snprintf(c->names[c->nmeanings], sizeof c->names[0], "%s", f->name);
        c->nmeanings++;
    }
}

static const char *meaning_of(const collected *c, const char *name)
{
    for (size_t i = 0; i < c->nmeanings; i++)
        if (strcmp(c->names[i], name) == 0)
            return c->meanings[i];
    return NULL;
}

static void describe_vmsg(const uint8_t *b, size_t n, collected *c)
{
    vcf_vmsg_params p;
    vcf_vmsg_params_default(&p);
    p.allow_padding = true;
    vcf_vmsg_msg m;
    assert_int_equal(vcf_vmsg_parse(b, n, &p, &m, NULL), VCF_OK);
    memset(c, 0, sizeof *c);
    c->wire = b;
    c->wire_len = n;
    vcf_vmsg_describe(&m, &p, collect, c);
    assert_int_equal(c->depth, 0);
}

static void test_vmsg_every_kind_offsets(void **state)
{
    (void)state;
    for (int k = VCF_VMSG_K_NONE + 1; k < VCF_VMSG_K_COUNT; k++) {
        uint8_t b[128];
        size_t n = vmsg_sample_bytes((vcf_vmsg_kind)k, b, sizeof b);
        collected c;
        describe_vmsg(b, n, &c);
        assert_true(c.fields >= 5); /* at least the header */
        assert_int_equal(c.max_depth, k == VCF_VMSG_K_GET_DEVICE_FEATURES_RESP ||
                                              k == VCF_VMSG_K_SET_DRIVER_FEATURES_REQ
                                          ? 2
                                          : 1);
    }
}

static void test_vmsg_meanings(void **state)
{
    (void)state;
    uint8_t b[64];
    collected c;
    size_t n = th_hex("00 40 01 00 00 00 18 00 | 4f 00 00 00 07 00 00 00 00 00 00 00 00 00 00 00",
                      b, sizeof b);
    describe_vmsg(b, n, &c);
    assert_string_equal(meaning_of(&c, "type"), "transport event");
    assert_string_equal(meaning_of(&c, "msg_id"), "EVENT_CONFIG");
    assert_string_equal(meaning_of(&c, "device_status"),
                        "ACKNOWLEDGE|DRIVER|DRIVER_OK|FEATURES_OK|DEVICE_NEEDS_RESET");

    n = th_hex("01 03 01 00 05 00 18 00 | 00 00 00 00 02 00 00 00 00 00 00 00 01 01 00 00", b,
               sizeof b);
    describe_vmsg(b, n, &c);
    assert_string_equal(meaning_of(&c, "features"), "VERSION_1|RING_RESET");
    assert_string_equal(meaning_of(&c, "payload"), "GET_DEVICE_FEATURES response");

    n = th_hex("03 02 00 00 09 00 10 00 | 00 00 10 00 10 00 25 00", b, sizeof b);
    describe_vmsg(b, n, &c);
    assert_string_equal(meaning_of(&c, "bitmap"), "present: 0, 2, 5");
    assert_string_equal(meaning_of(&c, "type"), "bus response");

    n = th_hex("00 41 01 00 00 00 10 00 | 00 00 00 00 05 00 00 80", b, sizeof b);
    describe_vmsg(b, n, &c);
    assert_string_equal(meaning_of(&c, "next_offset"), "offset 5, wrap 1");

    n = th_hex("01 02 01 00 01 00 20 00 | 13 00 00 00 51 45 4d 55 40 00 00 00 0c 00 00 00 "
               "03 00 00 00 00 00 00 00",
               b, sizeof b);
    describe_vmsg(b, n, &c);
    assert_string_equal(meaning_of(&c, "device_id"), "socket (vsock)");

    n = th_hex("02 40 00 00 00 00 0c 00 03 00 00 80", b, sizeof b);
    describe_vmsg(b, n, &c);
    assert_string_equal(meaning_of(&c, "device_bus_state"), "implementation-defined");

    n = th_hex("fd 08 01 00 02 00 0c 00 00 01 00 00", b, sizeof b);
    describe_vmsg(b, n, &c);
    assert_string_equal(meaning_of(&c, "type"), "transport response, reserved bits 0xfc");
    assert_string_equal(meaning_of(&c, "status"), "undefined 0x100");

    n = th_hex("00 c5 01 00 00 00 09 00 ff", b, sizeof b);
    describe_vmsg(b, n, &c);
    assert_string_equal(meaning_of(&c, "msg_id"), "implementation-defined event");

    /* bus padding is described where it sits */
    n = th_hex("00 02 01 00 01 00 08 00 00 00", b, sizeof b);
    describe_vmsg(b, n, &c);
    assert_int_equal(c.fields, 6);
}

static void describe_rpmsg(const char *hex, vcf_byte_order order, collected *c, uint8_t *b,
                           size_t cap, vcf_rpmsg_msg *m)
{
    size_t n = th_hex(hex, b, cap);
    vcf_rpmsg_params p;
    vcf_rpmsg_params_default(&p);
    p.order = order;
    int rc = vcf_rpmsg_parse(b, n, &p, m, NULL);
    assert_true(rc == VCF_OK || rc == VCF_E_NONSTANDARD);
    memset(c, 0, sizeof *c);
    c->wire = b;
    c->wire_len = n;
    c->big_endian = order == VCF_BIG_ENDIAN;
    vcf_rpmsg_describe(m, &p, collect, c);
    assert_int_equal(c->depth, 0);
}

static void test_rpmsg_offsets_and_meanings(void **state)
{
    (void)state;
    uint8_t b[128];
    collected c;
    vcf_rpmsg_msg m;
    const char *ns_be = "00 00 04 00 00 00 00 35 00 00 00 00 00 28 00 00"
                        "72 70 6d 73 67 00 00 00 00 00 00 00 00 00 00 00"
                        "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
                        "00 00 04 00 00 00 00 03";
    describe_rpmsg(ns_be, VCF_BIG_ENDIAN, &c, b, sizeof b, &m);
    assert_int_equal(c.fields, 8); /* 5 header fields + name, addr, flags */
    assert_string_equal(meaning_of(&c, "dst"), "name service");
    assert_string_equal(meaning_of(&c, "flags"), "DESTROY, undefined bits 0x2");

    /* data with slack after the payload, little-endian */
    describe_rpmsg("ff ff ff ff 01 04 00 00 00 00 00 00 02 00 00 00 68 69 00 00", VCF_LITTLE_ENDIAN,
                   &c, b, sizeof b, &m);
    assert_int_equal(c.fields, 7); /* header, payload, slack */
    assert_string_equal(meaning_of(&c, "src"), "ADDR_ANY (wildcard, not deliverable)");

    /* non-standard 72-byte NS, vendor layout: desc comes last */
    uint8_t x[128] = {0};
    vcf_rpmsg_hdr h = {0x400, 53, 0, 72, 0};
    vcf_rpmsg_hdr_encode(&h, VCF_LITTLE_ENDIAN, x, sizeof x, NULL);
    vcf_rpmsg_ns_ext e;
    memset(&e, 0, sizeof e);
    e.layout = VCF_RPMSG_NS_LAYOUT_EXT_VENDOR;
    memcpy(e.name, "svc", 3);
    memcpy(e.desc, "a description", 13);
    e.addr = 0x400;
    vcf_rpmsg_ns_ext_encode(&e, VCF_LITTLE_ENDIAN, x + 16, 72, NULL);
    char hex[400];
    for (size_t i = 0; i < 88; i++)
        snprintf(hex + 3 * i, sizeof hex - 3 * i, "%02x ", x[i]);
    describe_rpmsg(hex, VCF_LITTLE_ENDIAN, &c, b, sizeof b, &m);
    assert_int_equal(c.fields, 9);
    assert_non_null(strstr(meaning_of(&c, "ns_ext"), "vendor"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vmsg_every_kind_offsets),
        cmocka_unit_test(test_vmsg_meanings),
        cmocka_unit_test(test_rpmsg_offsets_and_meanings),
    };
    return cmocka_run_group_tests_name("describe", tests, NULL, NULL);
}
