/* SPDX-License-Identifier: MIT */
/*
 * Field visitors: every field they report sits at the offset they say, with the value the bytes
 * hold there, and the meanings read right.
 */
#include "vcf_test.h"

#include "rpmsg_samples.h"
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

/* ---- describe samples: the field registry of the Wireshark dissector ----------------------- */

/* Every field path a visitor emits: group names and the field name joined by '.', array
 * elements under the array's own path; the "sample" frame is not part of a path. */
typedef struct path_entry {
    char path[64];
    vcf_field_kind kind;
    size_t max_size;
} path_entry;

typedef struct path_set {
    path_entry e[96];
    size_t n;
    int depth;
    size_t plen[8];
    int array[8];
    char path[64];
    int samples_mode; /* collecting from vcf_*_describe_samples() */
    size_t samples;   /* "sample" frames seen */
} path_set;

static void path_push(char *path, size_t *len, const char *name)
{
    size_t n = strlen(name);
    assert_true(*len + n + 2 < 64);
    if (*len)
        path[(*len)++] = '.';
    memcpy(path + *len, name, n + 1);
    *len += n;
}

/* The entry of a path and kind (kind < 0: any kind). A name can take two kinds across messages
 * (virtio-msg "payload.data": config bytes, and BUS_PING's 32-bit value): one entry each. */
static path_entry *path_find(path_set *s, const char *path, int kind)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->e[i].path, path) == 0 && (kind < 0 || (int)s->e[i].kind == kind))
            return &s->e[i];
    return NULL;
}

static void collect_paths(void *ctx, const vcf_field *f)
{
    path_set *s = ctx;
    if (f->kind == VCF_FIELD_END) {
        assert_true(s->depth > 0);
        s->depth--;
        s->path[s->plen[s->depth]] = 0;
        return;
    }
    if (f->kind == VCF_FIELD_BEGIN) {
        assert_true(s->depth < 7);
        size_t len = s->plen[s->depth];
        if (s->samples_mode && s->depth == 0) {
            /* every sample is framed by a "sample" group naming the message */
            assert_string_equal(f->name, "sample");
            assert_non_null(f->label);
            assert_true(f->label[0] != 0);
            s->samples++;
        } else {
            path_push(s->path, &len, f->name);
        }
        s->depth++;
        s->plen[s->depth] = len;
        s->array[s->depth] = f->is_array;
        return;
    }
    if (s->samples_mode)
        assert_true(s->depth > 0); /* no field outside a sample frame */
    char path[64];
    size_t len = s->plen[s->depth];
    memcpy(path, s->path, len + 1);
    if (!s->array[s->depth])
        path_push(path, &len, f->name);
    path_entry *e = path_find(s, path, (int)f->kind);
    if (!e) {
        assert_true(s->n < sizeof s->e / sizeof s->e[0]);
        e = &s->e[s->n++];
        snprintf(e->path, sizeof e->path, "%s", path);
        e->kind = f->kind;
    }
    if (f->size > e->max_size)
        e->max_size = f->size;
}

/* Every path of `got` is a sample path of the same kind, no wider than the samples make it. */
static void assert_covered(const path_set *samples, const path_set *got, const char *what)
{
    for (size_t i = 0; i < got->n; i++) {
        const path_entry *g = &got->e[i];
        const path_entry *e = path_find((path_set *)samples, g->path, (int)g->kind);
        if (!e)
            fail_msg("%s: path %s of kind %d is not among the samples' paths", what, g->path,
                     (int)g->kind);
        if (g->kind == VCF_FIELD_UINT && g->max_size > e->max_size)
            fail_msg("%s: path %s is %zu bytes wide, samples say %zu", what, g->path, g->max_size,
                     e->max_size);
    }
}

static void sample_paths(path_set *s, void (*samples)(vcf_field_fn, void *))
{
    memset(s, 0, sizeof *s);
    s->samples_mode = 1;
    samples(collect_paths, s);
    assert_int_equal(s->depth, 0);
    assert_true(s->samples > 0);
    for (size_t i = 0; i < s->n; i++)
        if (s->e[i].kind == VCF_FIELD_UINT && (s->e[i].max_size == 0 || s->e[i].max_size > 8))
            fail_msg("UINT path %s has size %zu", s->e[i].path, s->e[i].max_size);
}

static void test_rpmsg_samples_cover(void **state)
{
    (void)state;
    path_set samples, got;
    sample_paths(&samples, vcf_rpmsg_describe_samples);
    assert_int_equal(samples.samples, 4); /* data, NS, two 72-byte NS layouts */
    /* the contract's names */
    static const char *const want[] = {
        "header.src",  "header.dst",  "header.reserved", "header.len",  "header.flags",
        "payload",     "slack",       "ns.name",         "ns.addr",     "ns.flags",
        "ns_ext.name", "ns_ext.desc", "ns_ext.addr",     "ns_ext.flags"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!path_find(&samples, want[i], -1))
            fail_msg("rpmsg samples lack %s", want[i]);

    static const struct {
        const char *hex;
        vcf_byte_order order;
    } msgs[] = {
        {NS_CREATE_LE, VCF_LITTLE_ENDIAN},
        {NS_CREATE_BE, VCF_BIG_ENDIAN},
        {NS_DESTROY_LE, VCF_LITTLE_ENDIAN},
        {DATA_LE, VCF_LITTLE_ENDIAN},
        {DATA_BE, VCF_BIG_ENDIAN},
        {"ff ff ff ff 01 04 00 00 00 00 00 00 02 00 00 00 68 69 00 00", VCF_LITTLE_ENDIAN},
        {"00 04 00 00 01 04 00 00 00 00 00 00 00 00 00 00", VCF_LITTLE_ENDIAN},
    };
    memset(&got, 0, sizeof got);
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
        uint8_t b[128];
        size_t n = th_hex(msgs[i].hex, b, sizeof b);
        vcf_rpmsg_params p;
        vcf_rpmsg_params_default(&p);
        p.order = msgs[i].order;
        vcf_rpmsg_msg m;
        assert_int_equal(vcf_rpmsg_parse(b, n, &p, &m, NULL), VCF_OK);
        vcf_rpmsg_describe(&m, &p, collect_paths, &got);
        assert_int_equal(got.depth, 0);
    }
    /* both 72-byte layouts */
    static const vcf_rpmsg_ns_layout layouts[] = {VCF_RPMSG_NS_LAYOUT_EXT_TI,
                                                  VCF_RPMSG_NS_LAYOUT_EXT_VENDOR};
    for (size_t i = 0; i < 2; i++) {
        uint8_t x[128] = {0};
        vcf_rpmsg_hdr h = {0x400, 53, 0, 72, 0};
        vcf_rpmsg_hdr_encode(&h, VCF_LITTLE_ENDIAN, x, sizeof x, NULL);
        vcf_rpmsg_ns_ext e;
        memset(&e, 0, sizeof e);
        e.layout = layouts[i];
        memcpy(e.name, "svc", 3);
        memcpy(e.desc, "a description", 13);
        e.addr = 0x400;
        vcf_rpmsg_ns_ext_encode(&e, VCF_LITTLE_ENDIAN, x + 16, 72, NULL);
        vcf_rpmsg_params p;
        vcf_rpmsg_params_default(&p);
        vcf_rpmsg_msg m;
        assert_int_equal(vcf_rpmsg_parse(x, 88, &p, &m, NULL), VCF_E_NONSTANDARD);
        vcf_rpmsg_describe(&m, &p, collect_paths, &got);
    }
    assert_true(got.n >= 12);
    assert_covered(&samples, &got, "rpmsg");
}

static void test_vmsg_samples_cover(void **state)
{
    (void)state;
    path_set samples, got;
    sample_paths(&samples, vcf_vmsg_describe_samples);
    /* every kind of both revisions */
    assert_int_equal(samples.samples, 2u * (VCF_VMSG_K_COUNT - 1));
    static const char *const want[] = {"header.type",      "header.msg_id",   "header.dev_num",
                                       "header.token",     "header.msg_size", "payload.device_id",
                                       "payload.features", "payload.data",    "payload.bitmap",
                                       "padding"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!path_find(&samples, want[i], -1))
            fail_msg("virtio-msg samples lack %s", want[i]);

    memset(&got, 0, sizeof got);
    static const vcf_vmsg_rev revs[] = {VCF_VMSG_REV_PR28, VCF_VMSG_REV_RFC3};
    for (size_t r = 0; r < 2; r++) {
        vcf_vmsg_params p;
        vcf_vmsg_params_default(&p);
        p.rev = revs[r];
        p.allow_padding = true;
        for (int k = VCF_VMSG_K_NONE + 1; k < VCF_VMSG_K_COUNT; k++) {
            uint8_t b[128];
            size_t n = vmsg_sample_bytes((vcf_vmsg_kind)k, b, sizeof b);
            vcf_vmsg_msg m;
            if (vcf_vmsg_parse(b, n, &p, &m, NULL) != VCF_OK)
                continue; /* an ID this revision does not define */
            vcf_vmsg_describe(&m, &p, collect_paths, &got);
            assert_int_equal(got.depth, 0);
        }
        /* padding, an implementation-defined event, a bus-specific RFC3 message */
        static const char *const extra[] = {"00 02 01 00 01 00 08 00 00 00",
                                            "00 c5 01 00 00 00 09 00 ff",
                                            "02 90 00 00 00 00 0a 00 01 02"};
        for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
            uint8_t b[64];
            size_t n = th_hex(extra[i], b, sizeof b);
            vcf_vmsg_msg m;
            if (vcf_vmsg_parse(b, n, &p, &m, NULL) != VCF_OK)
                continue;
            vcf_vmsg_describe(&m, &p, collect_paths, &got);
        }
    }
    assert_true(got.n >= 30);
    assert_covered(&samples, &got, "virtio-msg");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vmsg_every_kind_offsets),
        cmocka_unit_test(test_vmsg_meanings),
        cmocka_unit_test(test_rpmsg_offsets_and_meanings),
        cmocka_unit_test(test_rpmsg_samples_cover),
        cmocka_unit_test(test_vmsg_samples_cover),
    };
    return cmocka_run_group_tests_name("describe", tests, NULL, NULL);
}
