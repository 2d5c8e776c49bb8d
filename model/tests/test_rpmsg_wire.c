/* SPDX-License-Identifier: MIT */
/*
 * RPMsg wire codecs: header, frame, name service, non-standard NS variants, byte order.
 */
#include "vcf_test.h"

#include "rpmsg_samples.h"

#include "vconform/rpmsg.h"

static vcf_rpmsg_params params_for(vcf_byte_order order)
{
    vcf_rpmsg_params p;
    vcf_rpmsg_params_default(&p);
    p.order = order;
    return p;
}

static void test_header_roundtrip_both_orders(void **state)
{
    (void)state;
    const vcf_rpmsg_hdr h = {0x11223344u, 0x55667788u, 0x99AABBCCu, 0xDDEEu, 0x0102u};
    uint8_t le[16], be[16], want[16];
    assert_int_equal(vcf_rpmsg_hdr_encode(&h, VCF_LITTLE_ENDIAN, le, sizeof le, NULL), 16);
    assert_int_equal(vcf_rpmsg_hdr_encode(&h, VCF_BIG_ENDIAN, be, sizeof be, NULL), 16);
    th_hex("44 33 22 11 88 77 66 55 cc bb aa 99 ee dd 02 01", want, sizeof want);
    assert_bytes_equal(le, want, 16);
    th_hex("11 22 33 44 55 66 77 88 99 aa bb cc dd ee 01 02", want, sizeof want);
    assert_bytes_equal(be, want, 16);

    vcf_rpmsg_hdr back;
    assert_int_equal(vcf_rpmsg_hdr_decode(le, 16, VCF_LITTLE_ENDIAN, &back, NULL), VCF_OK);
    assert_memory_equal(&back, &h, sizeof h);
    assert_int_equal(vcf_rpmsg_hdr_decode(be, 16, VCF_BIG_ENDIAN, &back, NULL), VCF_OK);
    assert_memory_equal(&back, &h, sizeof h);
}

static void check_ns_create(const char *hex, vcf_byte_order order)
{
    uint8_t buf[64];
    size_t n = th_hex(hex, buf, sizeof buf);
    assert_int_equal(n, 56);
    vcf_rpmsg_params p = params_for(order);
    vcf_rpmsg_msg m;
    vcf_error err;
    assert_int_equal(vcf_rpmsg_decode(buf, n, &p, &m, &err), VCF_OK);
    assert_int_equal(m.kind, VCF_RPMSG_KIND_NS);
    assert_int_equal(m.frame.hdr.src, 0x400);
    assert_int_equal(m.frame.hdr.dst, VCF_RPMSG_NS_ADDR);
    assert_int_equal(m.frame.hdr.len, 40);
    assert_int_equal(m.frame.slack, 0);
    assert_int_equal(vcf_rpmsg_ns_name_len(&m.ns), 19);
    assert_memory_equal(m.ns.name, "rpmsg-client-sample", 19);
    assert_int_equal(m.ns.addr, 0x400);
    assert_int_equal(m.ns.flags, VCF_RPMSG_NS_CREATE);

    /* and the same frame comes back out of the encoders */
    uint8_t out[64];
    uint8_t payload[40];
    assert_int_equal(vcf_rpmsg_ns_encode(&m.ns, order, payload, sizeof payload, NULL), 40);
    vcf_bytes pv = {payload, sizeof payload};
    assert_int_equal(vcf_rpmsg_frame_encode(&m.frame.hdr, pv, order, out, sizeof out, NULL), 56);
    assert_bytes_equal(out, buf, 56);
}

static void test_golden_ns_create_le(void **state)
{
    (void)state;
    check_ns_create(NS_CREATE_LE, VCF_LITTLE_ENDIAN);
}

static void test_golden_ns_create_be(void **state)
{
    (void)state;
    check_ns_create(NS_CREATE_BE, VCF_BIG_ENDIAN);
}

static void test_golden_ns_destroy(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t n = th_hex(NS_CREATE_LE, buf, sizeof buf);
    buf[52] = 0x01; /* flags = RPMSG_NS_DESTROY */
    vcf_rpmsg_params p = params_for(VCF_LITTLE_ENDIAN);
    vcf_rpmsg_msg m;
    assert_int_equal(vcf_rpmsg_decode(buf, n, &p, &m, NULL), VCF_OK);
    assert_int_equal(m.ns.flags, VCF_RPMSG_NS_DESTROY);
}

static void test_golden_data_both_orders(void **state)
{
    (void)state;
    const char *hex[2] = {DATA_LE, DATA_BE};
    for (int i = 0; i < 2; i++) {
        uint8_t buf[32];
        size_t n = th_hex(hex[i], buf, sizeof buf);
        vcf_rpmsg_params p = params_for(i ? VCF_BIG_ENDIAN : VCF_LITTLE_ENDIAN);
        vcf_rpmsg_msg m;
        assert_int_equal(vcf_rpmsg_decode(buf, n, &p, &m, NULL), VCF_OK);
        assert_int_equal(m.kind, VCF_RPMSG_KIND_DATA);
        assert_int_equal(m.frame.hdr.src, 0x400);
        assert_int_equal(m.frame.hdr.dst, 0x401);
        assert_int_equal(m.frame.payload.len, 5);
        assert_memory_equal(m.frame.payload.ptr, "hello", 5);
    }
}

/* A header cut anywhere names the first field it does not hold completely. */
static void test_header_truncated_at_every_length(void **state)
{
    (void)state;
    static const struct {
        const char *field;
        size_t off;
    } want[16] = {{"src", 0},      {"src", 0},      {"src", 0},      {"src", 0},
                  {"dst", 4},      {"dst", 4},      {"dst", 4},      {"dst", 4},
                  {"reserved", 8}, {"reserved", 8}, {"reserved", 8}, {"reserved", 8},
                  {"len", 12},     {"len", 12},     {"flags", 14},   {"flags", 14}};
    uint8_t buf[16] = {0};
    for (size_t len = 0; len < 16; len++) {
        vcf_rpmsg_frame f;
        vcf_error err;
        assert_int_equal(vcf_rpmsg_frame_parse(buf, len, VCF_LITTLE_ENDIAN, &f, &err),
                         VCF_E_TRUNCATED);
        assert_string_equal(err.field, want[len].field);
        assert_int_equal(err.offset, want[len].off);
        assert_int_equal(err.expected, 16);
        assert_int_equal(err.actual, len);
    }
}

static size_t make_frame(uint8_t *buf, size_t cap, uint16_t len_field, size_t used)
{
    assert_true(used <= cap);
    memset(buf, 0xA5, used);
    vcf_rpmsg_hdr h = {0x400, 0x401, 0, len_field, 0};
    assert_int_equal(vcf_rpmsg_hdr_encode(&h, VCF_LITTLE_ENDIAN, buf, cap, NULL), 16);
    return used;
}

/* len against the used length: exact, one over, zero, the 512-byte buffer, the field maximum. */
static void test_frame_len_boundaries(void **state)
{
    (void)state;
    static const struct {
        uint16_t len;
        size_t used;
        int rc;
        size_t slack;
    } cases[] = {
        {0, 16, VCF_OK, 0},                 /* zero-length message: legal */
        {1, 16, VCF_E_SIZE_MISMATCH, 0},    /* one byte more than the buffer holds */
        {1, 17, VCF_OK, 0},                 /* exact */
        {5, 20, VCF_E_SIZE_MISMATCH, 0},    /* used one byte short of 16 + len */
        {5, 21, VCF_OK, 0},                 /* exact */
        {5, 22, VCF_OK, 1},                 /* one byte of slack */
        {496, 512, VCF_OK, 0},              /* largest payload of a 512-byte buffer */
        {497, 512, VCF_E_SIZE_MISMATCH, 0}, /* one over */
        {5, 512, VCF_OK, 491},              /* device reported the whole buffer */
        {0xFFFF, 512, VCF_E_SIZE_MISMATCH, 0},
        {0xFFFF, 16 + 0xFFFF, VCF_OK, 0}, /* the field's maximum, when the buffer holds it */
    };
    static uint8_t buf[16 + 0xFFFF + 1];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t used = make_frame(buf, sizeof buf, cases[i].len, cases[i].used);
        vcf_rpmsg_frame f;
        vcf_error err;
        int rc = vcf_rpmsg_frame_parse(buf, used, VCF_LITTLE_ENDIAN, &f, &err);
        assert_int_equal(rc, cases[i].rc);
        if (rc == VCF_OK) {
            assert_int_equal(f.payload.len, cases[i].len);
            assert_ptr_equal(f.payload.ptr, buf + 16);
            assert_int_equal(f.slack, cases[i].slack);
        } else {
            assert_string_equal(err.field, "len");
            assert_int_equal(err.offset, 12);
            assert_int_equal(err.expected, used - 16);
            assert_int_equal(err.actual, cases[i].len);
        }
    }
}

/* A little-endian NS frame read as big-endian: len 0x0028 becomes 0x2800 and is refused. */
static void test_byte_swap_hazard(void **state)
{
    (void)state;
    uint8_t buf[64];
    size_t n = th_hex(NS_CREATE_LE, buf, sizeof buf);
    vcf_rpmsg_params p = params_for(VCF_BIG_ENDIAN);
    vcf_rpmsg_msg m;
    vcf_error err;
    assert_int_equal(vcf_rpmsg_decode(buf, n, &p, &m, &err), VCF_E_SIZE_MISMATCH);
    assert_string_equal(err.field, "len");
    assert_int_equal(err.actual, 0x2800);
    assert_int_equal(err.expected, 40);

    /* the destination read the wrong way round is not the NS address */
    vcf_rpmsg_hdr h;
    assert_int_equal(vcf_rpmsg_hdr_decode(buf, n, VCF_BIG_ENDIAN, &h, NULL), VCF_OK);
    assert_int_equal(h.dst, 0x35000000u);
}

static void test_reserved_and_flags_are_rule_errors(void **state)
{
    (void)state;
    uint8_t buf[32];
    size_t n = th_hex(DATA_LE, buf, sizeof buf);
    buf[8] = 0x07;  /* reserved = 7 */
    buf[15] = 0x80; /* flags = 0x8000 */
    vcf_rpmsg_params p = params_for(VCF_LITTLE_ENDIAN);
    vcf_rpmsg_msg m;
    vcf_error err;
    assert_int_equal(vcf_rpmsg_decode(buf, n, &p, &m, &err), VCF_E_MBZ);
    assert_string_equal(err.field, "reserved");
    assert_int_equal(err.offset, 8);
    assert_true(vcf_status_is_rule(err.code));
    /* the value is still usable: receivers ignore both fields */
    assert_int_equal(m.frame.payload.len, 5);
    assert_int_equal(m.frame.hdr.reserved, 7);

    vcf_error all[4];
    assert_int_equal(vcf_rpmsg_check(&m, all, 4), 2);
    assert_string_equal(all[1].field, "flags");
    assert_int_equal(all[1].offset, 14);
    assert_int_equal(all[1].actual, 0x8000);
    /* the count is complete even when the array is smaller */
    assert_int_equal(vcf_rpmsg_check(&m, all, 1), 2);
    assert_int_equal(vcf_rpmsg_frame_check(&m.frame, NULL, 0), 2);
}

static size_t ns_frame(uint8_t *buf, size_t cap, size_t payload_len, uint8_t fill)
{
    vcf_rpmsg_hdr h = {0x400, VCF_RPMSG_NS_ADDR, 0, (uint16_t)payload_len, 0};
    assert_true(cap >= 16 + payload_len);
    memset(buf + 16, fill, payload_len);
    assert_int_equal(vcf_rpmsg_hdr_encode(&h, VCF_LITTLE_ENDIAN, buf, cap, NULL), 16);
    return 16 + payload_len;
}

/* NS payload lengths: only 40 is a standard NS message; 72 is recognised as non-standard. */
static void test_ns_payload_lengths(void **state)
{
    (void)state;
    static const struct {
        size_t len;
        int rc;
    } cases[] = {{0, VCF_E_SIZE_MISMATCH},  {39, VCF_E_SIZE_MISMATCH}, {40, VCF_OK},
                 {41, VCF_E_SIZE_MISMATCH}, {44, VCF_E_SIZE_MISMATCH}, {72, VCF_E_NONSTANDARD}};
    vcf_rpmsg_params p = params_for(VCF_LITTLE_ENDIAN);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t buf[128];
        size_t n = ns_frame(buf, sizeof buf, cases[i].len, 0);
        vcf_rpmsg_msg m;
        vcf_error err;
        assert_int_equal(vcf_rpmsg_parse(buf, n, &p, &m, &err), cases[i].rc);
        if (cases[i].rc != VCF_OK) {
            assert_string_equal(err.field, "len");
            assert_int_equal(err.offset, 12);
            assert_int_equal(err.expected, 40);
            assert_int_equal(err.actual, cases[i].len);
            assert_true(vcf_status_is_structural(err.code));
        }
        if (cases[i].len == 44)
            assert_non_null(strstr(err.detail, "address-service"));
        /* the payload-level parser agrees */
        vcf_rpmsg_ns_msg ns;
        assert_int_equal(vcf_rpmsg_ns_parse(buf + 16, cases[i].len, VCF_LITTLE_ENDIAN, &ns, NULL),
                         cases[i].rc);
    }
}

/* Without VIRTIO_RPMSG_F_NS a message to 53 is ordinary data. */
static void test_ns_off_means_plain_data(void **state)
{
    (void)state;
    uint8_t buf[128];
    size_t n = ns_frame(buf, sizeof buf, 39, 0);
    vcf_rpmsg_params p = params_for(VCF_LITTLE_ENDIAN);
    p.ns = false;
    vcf_rpmsg_msg m;
    assert_int_equal(vcf_rpmsg_decode(buf, n, &p, &m, NULL), VCF_OK);
    assert_int_equal(m.kind, VCF_RPMSG_KIND_DATA);
}

static void test_ns_name_rules(void **state)
{
    (void)state;
    vcf_rpmsg_params p = params_for(VCF_LITTLE_ENDIAN);
    uint8_t buf[64];
    vcf_rpmsg_msg m;
    vcf_error err;

    /* 32 characters, no NUL */
    size_t n = ns_frame(buf, sizeof buf, 40, 0);
    memset(buf + 16, 'x', 32);
    assert_int_equal(vcf_rpmsg_decode(buf, n, &p, &m, &err), VCF_E_UNTERMINATED);
    assert_string_equal(err.field, "ns.name");
    assert_int_equal(err.offset, 16);
    assert_int_equal(vcf_rpmsg_ns_name_len(&m.ns), 32);
    /* payload-level offsets count from the payload */
    assert_int_equal(vcf_rpmsg_ns_decode(buf + 16, 40, VCF_LITTLE_ENDIAN, &m.ns, &err),
                     VCF_E_UNTERMINATED);
    assert_int_equal(err.offset, 0);

    /* "ab", NUL, then a stray byte at name[10] */
    n = ns_frame(buf, sizeof buf, 40, 0);
    memcpy(buf + 16, "ab", 2);
    buf[16 + 10] = 0x7F;
    assert_int_equal(vcf_rpmsg_decode(buf, n, &p, &m, &err), VCF_E_MBZ);
    assert_string_equal(err.field, "ns.name");
    assert_int_equal(err.offset, 26);
    assert_int_equal(err.actual, 0x7F);

    /* empty name and a non-ASCII name are well-formed */
    n = ns_frame(buf, sizeof buf, 40, 0);
    assert_int_equal(vcf_rpmsg_decode(buf, n, &p, &m, NULL), VCF_OK);
    assert_int_equal(vcf_rpmsg_ns_name_len(&m.ns), 0);
    memcpy(buf + 16, "\xc3\xa9t\xc3\xa9", 5);
    assert_int_equal(vcf_rpmsg_decode(buf, n, &p, &m, NULL), VCF_OK);
    assert_int_equal(vcf_rpmsg_ns_name_len(&m.ns), 5);
}

static void test_ns_flag_bits(void **state)
{
    (void)state;
    static const struct {
        uint32_t flags;
        int rc;
        uint32_t undefined;
    } cases[] = {{0, VCF_OK, 0},
                 {1, VCF_OK, 0},
                 {2, VCF_E_RESERVED, 2},
                 {3, VCF_E_RESERVED, 2},
                 {0xFFFFFFFEu, VCF_E_RESERVED, 0xFFFFFFFEu},
                 {0xFFFFFFFFu, VCF_E_RESERVED, 0xFFFFFFFEu}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vcf_rpmsg_ns_msg ns;
        vcf_rpmsg_ns_init(&ns, "svc", 0x400, cases[i].flags);
        vcf_error err;
        assert_int_equal(vcf_rpmsg_ns_check(&ns, &err, 1), cases[i].rc == VCF_OK ? 0 : 1);
        if (cases[i].rc != VCF_OK) {
            assert_int_equal(err.code, VCF_E_RESERVED);
            assert_string_equal(err.field, "ns.flags");
            assert_int_equal(err.offset, 36);
            assert_int_equal(err.actual, cases[i].undefined);
        }
        if (cases[i].flags == 2)
            assert_non_null(strstr(err.detail, "CREATE_ACK"));
    }
}

static void test_ns_init_terminates_and_pads(void **state)
{
    (void)state;
    vcf_rpmsg_ns_msg ns;
    memset(&ns, 0xEE, sizeof ns);
    vcf_rpmsg_ns_init(&ns, "0123456789abcdef0123456789abcdefXYZ", 7, 0);
    assert_int_equal(vcf_rpmsg_ns_name_len(&ns), 31);
    assert_int_equal(ns.name[31], 0);
    assert_int_equal(vcf_rpmsg_ns_check(&ns, NULL, 0), 0);
    vcf_rpmsg_ns_init(&ns, "a", 7, 0);
    for (size_t i = 1; i < 32; i++)
        assert_int_equal(ns.name[i], 0);
}

static void fill_ext(uint8_t *p, vcf_rpmsg_ns_layout layout, const char *desc, uint32_t addr,
                     uint32_t flags)
{
    vcf_rpmsg_ns_ext x;
    memset(&x, 0, sizeof x);
    x.layout = layout;
    memcpy(x.name, "rpmsg-proto", 11);
    memcpy(x.desc, desc, strlen(desc));
    x.addr = addr;
    x.flags = flags;
    assert_int_equal(vcf_rpmsg_ns_ext_encode(&x, VCF_LITTLE_ENDIAN, p, 72, NULL), 72);
}

/* The two 72-byte layouts are told apart by their bytes; when both fit, the answer is unclear. */
static void test_ns_ext_variants(void **state)
{
    (void)state;
    uint8_t buf[128];
    vcf_rpmsg_params p = params_for(VCF_LITTLE_ENDIAN);
    vcf_rpmsg_msg m;
    vcf_error err;

    size_t n = ns_frame(buf, sizeof buf, 72, 0);
    fill_ext(buf + 16, VCF_RPMSG_NS_LAYOUT_EXT_TI, "TI IPC sample", 0x400, 0);
    assert_int_equal(vcf_rpmsg_ns_ext_classify(buf + 16, 72, VCF_LITTLE_ENDIAN),
                     VCF_RPMSG_NS_LAYOUT_EXT_TI);
    assert_int_equal(vcf_rpmsg_parse(buf, n, &p, &m, &err), VCF_E_NONSTANDARD);
    assert_int_equal(m.kind, VCF_RPMSG_KIND_NS_EXT);
    assert_int_equal(m.ns_ext.layout, VCF_RPMSG_NS_LAYOUT_EXT_TI);
    assert_int_equal(m.ns_ext.addr, 0x400);
    assert_memory_equal(m.ns_ext.desc, "TI IPC sample", 13);
    assert_non_null(strstr(err.detail, "TI"));

    fill_ext(buf + 16, VCF_RPMSG_NS_LAYOUT_EXT_VENDOR, "vendor endpoint", 0x401, 1);
    assert_int_equal(vcf_rpmsg_ns_ext_classify(buf + 16, 72, VCF_LITTLE_ENDIAN),
                     VCF_RPMSG_NS_LAYOUT_EXT_VENDOR);
    assert_int_equal(vcf_rpmsg_parse(buf, n, &p, &m, &err), VCF_E_NONSTANDARD);
    assert_int_equal(m.ns_ext.layout, VCF_RPMSG_NS_LAYOUT_EXT_VENDOR);
    assert_int_equal(m.ns_ext.addr, 0x401);
    assert_int_equal(m.ns_ext.flags, 1);
    assert_memory_equal(m.ns_ext.desc, "vendor endpoint", 15);

    /* empty description and address 0: both layouts fit */
    fill_ext(buf + 16, VCF_RPMSG_NS_LAYOUT_EXT_TI, "", 0, 0);
    assert_int_equal(vcf_rpmsg_ns_ext_classify(buf + 16, 72, VCF_LITTLE_ENDIAN),
                     VCF_RPMSG_NS_LAYOUT_EXT_UNKNOWN);
    assert_int_equal(vcf_rpmsg_parse(buf, n, &p, &m, &err), VCF_E_NONSTANDARD);
    assert_int_equal(m.ns_ext.layout, VCF_RPMSG_NS_LAYOUT_EXT_UNKNOWN);
    assert_non_null(strstr(err.detail, "unclear"));

    /* garbage fits neither */
    memset(buf + 16, 0xFF, 72);
    assert_int_equal(vcf_rpmsg_ns_ext_classify(buf + 16, 72, VCF_LITTLE_ENDIAN),
                     VCF_RPMSG_NS_LAYOUT_EXT_UNKNOWN);

    /* argument checks */
    vcf_rpmsg_ns_ext x;
    assert_int_equal(vcf_rpmsg_ns_ext_parse(buf + 16, 71, VCF_LITTLE_ENDIAN,
                                            VCF_RPMSG_NS_LAYOUT_EXT_TI, &x, NULL),
                     VCF_E_SIZE_MISMATCH);
    assert_int_equal(vcf_rpmsg_ns_ext_parse(buf + 16, 72, VCF_LITTLE_ENDIAN,
                                            VCF_RPMSG_NS_LAYOUT_STANDARD, &x, NULL),
                     VCF_E_INVAL);
    assert_string_equal(vcf_rpmsg_ns_layout_name(VCF_RPMSG_NS_LAYOUT_EXT_TI), "ti-ns2");
}

/* The same logical extended message in both byte orders. */
static void test_ns_ext_big_endian(void **state)
{
    (void)state;
    vcf_rpmsg_ns_ext x;
    memset(&x, 0, sizeof x);
    x.layout = VCF_RPMSG_NS_LAYOUT_EXT_VENDOR;
    memcpy(x.name, "n", 1);
    memcpy(x.desc, "d", 1);
    x.addr = 0x01020304u;
    x.flags = 1;
    uint8_t b[72];
    assert_int_equal(vcf_rpmsg_ns_ext_encode(&x, VCF_BIG_ENDIAN, b, sizeof b, NULL), 72);
    assert_int_equal(th_be(b + 32, 4), 0x01020304u);
    assert_int_equal(th_be(b + 36, 4), 1);
    vcf_rpmsg_ns_ext y;
    assert_int_equal(
        vcf_rpmsg_ns_ext_parse(b, 72, VCF_BIG_ENDIAN, VCF_RPMSG_NS_LAYOUT_EXT_VENDOR, &y, NULL),
        VCF_OK);
    assert_int_equal(y.addr, x.addr);
    assert_int_equal(y.layout, VCF_RPMSG_NS_LAYOUT_EXT_VENDOR);
}

static void test_encode_limits(void **state)
{
    (void)state;
    vcf_rpmsg_hdr h = {1, 2, 0, 3, 0};
    uint8_t buf[19];
    vcf_error err;
    assert_int_equal(vcf_rpmsg_hdr_encode(&h, VCF_LITTLE_ENDIAN, buf, 15, &err), VCF_E_NOSPACE);
    assert_int_equal(err.expected, 16);
    vcf_bytes pl = {(const uint8_t *)"abc", 3};
    assert_int_equal(vcf_rpmsg_frame_encode(&h, pl, VCF_LITTLE_ENDIAN, buf, 18, &err),
                     VCF_E_NOSPACE);
    assert_int_equal(vcf_rpmsg_frame_encode(&h, pl, VCF_LITTLE_ENDIAN, buf, 19, &err), 19);
    vcf_bytes huge = {buf, 0x10000};
    assert_int_equal(vcf_rpmsg_frame_encode(&h, huge, VCF_LITTLE_ENDIAN, buf, 19, &err),
                     VCF_E_INVAL);
    vcf_rpmsg_ns_msg ns;
    vcf_rpmsg_ns_init(&ns, "x", 1, 0);
    assert_int_equal(vcf_rpmsg_ns_encode(&ns, VCF_LITTLE_ENDIAN, buf, 19, &err), VCF_E_NOSPACE);
    vcf_rpmsg_ns_ext x;
    memset(&x, 0, sizeof x);
    x.layout = VCF_RPMSG_NS_LAYOUT_STANDARD;
    assert_int_equal(vcf_rpmsg_ns_ext_encode(&x, VCF_LITTLE_ENDIAN, buf, 19, &err), VCF_E_INVAL);
    x.layout = VCF_RPMSG_NS_LAYOUT_EXT_TI;
    assert_int_equal(vcf_rpmsg_ns_ext_encode(&x, VCF_LITTLE_ENDIAN, buf, 19, &err), VCF_E_NOSPACE);
}

/* Encoding does not "fix" fields: an inconsistent len can be built on purpose and is caught. */
static void test_encode_is_faithful(void **state)
{
    (void)state;
    vcf_rpmsg_hdr h = {1, 2, 0, 100, 0};
    vcf_bytes pl = {(const uint8_t *)"abc", 3};
    uint8_t buf[32];
    int n = vcf_rpmsg_frame_encode(&h, pl, VCF_LITTLE_ENDIAN, buf, sizeof buf, NULL);
    assert_int_equal(n, 19);
    assert_int_equal(th_le(buf + 12, 2), 100);
    vcf_rpmsg_frame f;
    assert_int_equal(vcf_rpmsg_frame_parse(buf, (size_t)n, VCF_LITTLE_ENDIAN, &f, NULL),
                     VCF_E_SIZE_MISMATCH);
}

/* Every codec error names the catalogue rule it breaks, so tools can cite it. */
static void test_errors_name_their_rule(void **state)
{
    (void)state;
    static const struct {
        const char *hex;
        int code;
        const char *rule;
    } cases[] = {
        {"00 04 00 00 01 04 00 00 00 00", VCF_E_TRUNCATED, "RPMSG-HDR-07"},
        {"00 04 00 00 01 04 00 00 00 00 00 00 05 00 00 00 68 65", VCF_E_SIZE_MISMATCH,
         "RPMSG-HDR-08"},
        {"00 04 00 00 01 04 00 00 01 00 00 00 00 00 00 00", VCF_E_MBZ, "RPMSG-HDR-05"},
        {"00 04 00 00 01 04 00 00 00 00 00 00 00 00 01 00", VCF_E_MBZ, "RPMSG-HDR-04"},
        {"00 04 00 00 35 00 00 00 00 00 00 00 01 00 00 00 61", VCF_E_SIZE_MISMATCH, "RPMSG-NS-03"},
        /* 40-byte NS payloads: name without NUL, dirty padding, undefined flag bit */
        {"00 04 00 00 35 00 00 00 00 00 00 00 28 00 00 00"
         "61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 "
         "61 "
         "61 61 00 04 00 00 00 00 00 00",
         VCF_E_UNTERMINATED, "RPMSG-NS-08"},
        {"00 04 00 00 35 00 00 00 00 00 00 00 28 00 00 00"
         "61 00 62 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
         "00 "
         "00 00 00 04 00 00 00 00 00 00",
         VCF_E_MBZ, "RPMSG-NS-08"},
        {"00 04 00 00 35 00 00 00 00 00 00 00 28 00 00 00"
         "61 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
         "00 "
         "00 00 00 04 00 00 02 00 00 00",
         VCF_E_RESERVED, "RPMSG-NS-05"},
    };
    vcf_rpmsg_params p = params_for(VCF_LITTLE_ENDIAN);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t buf[80];
        size_t n = th_hex(cases[i].hex, buf, sizeof buf);
        vcf_rpmsg_msg m;
        vcf_error err;
        assert_int_equal(vcf_rpmsg_decode(buf, n, &p, &m, &err), cases[i].code);
        assert_non_null(err.rule);
        assert_string_equal(err.rule, cases[i].rule);
    }
    /* The 72-byte variants too, through the NS parser alone. */
    uint8_t ext[72] = {'a'};
    vcf_rpmsg_ns_msg ns;
    vcf_error err;
    assert_int_equal(vcf_rpmsg_ns_parse(ext, sizeof ext, VCF_LITTLE_ENDIAN, &ns, &err),
                     VCF_E_NONSTANDARD);
    assert_string_equal(err.rule, "RPMSG-NS-03");
}

/* The names tools give a message (the JSON "message", the dissector's rpmsg.kind). */
static void test_kind_name(void **state)
{
    (void)state;
    assert_string_equal(vcf_rpmsg_kind_name(VCF_RPMSG_KIND_DATA), "data");
    assert_string_equal(vcf_rpmsg_kind_name(VCF_RPMSG_KIND_NS), "name-service");
    assert_string_equal(vcf_rpmsg_kind_name(VCF_RPMSG_KIND_NS_EXT), "non-standard name-service");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors_name_their_rule),
        cmocka_unit_test(test_header_roundtrip_both_orders),
        cmocka_unit_test(test_golden_ns_create_le),
        cmocka_unit_test(test_golden_ns_create_be),
        cmocka_unit_test(test_golden_ns_destroy),
        cmocka_unit_test(test_golden_data_both_orders),
        cmocka_unit_test(test_header_truncated_at_every_length),
        cmocka_unit_test(test_frame_len_boundaries),
        cmocka_unit_test(test_byte_swap_hazard),
        cmocka_unit_test(test_reserved_and_flags_are_rule_errors),
        cmocka_unit_test(test_ns_payload_lengths),
        cmocka_unit_test(test_ns_off_means_plain_data),
        cmocka_unit_test(test_ns_name_rules),
        cmocka_unit_test(test_ns_flag_bits),
        cmocka_unit_test(test_ns_init_terminates_and_pads),
        cmocka_unit_test(test_ns_ext_variants),
        cmocka_unit_test(test_ns_ext_big_endian),
        cmocka_unit_test(test_encode_limits),
        cmocka_unit_test(test_encode_is_faithful),
        cmocka_unit_test(test_kind_name),
    };
    return cmocka_run_group_tests_name("rpmsg_wire", tests, NULL, NULL);
}
