/* SPDX-License-Identifier: MIT */
/*
 * Properties over many mutated messages (deterministic seed):
 *  - parsing never reads outside the buffer (the sanitizer builds check this),
 *  - decode gives exactly what parse followed by check gives,
 *  - whatever parses re-encodes to exactly the bytes it came from,
 *  - the rule checks and the field visitors run on anything that parses.
 */
#include "vcf_test.h"

#include <stdlib.h>

#include "vconform/rpmsg.h"
#include "vconform/vmsg.h"
#include "vmsg_samples.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static void ignore_field(void *ctx, const vcf_field *f)
{
    size_t *limit = ctx;
    if (f->kind != VCF_FIELD_END)
        assert_true(f->offset + f->size <= *limit);
}

/* Byte flips, length-field pokes, truncation and extension of a valid message. */
static size_t mutate(uint8_t *b, size_t n, size_t cap)
{
    int rounds = 1 + (int)(rnd() % 4);
    for (int r = 0; r < rounds; r++) {
        switch (rnd() % 6) {
        case 0: b[rnd() % n] = (uint8_t)rnd(); break;
        case 1: b[rnd() % n] ^= (uint8_t)(1u << (rnd() % 8)); break;
        case 2: n = rnd() % (n + 1); break;
        case 3:
            while (n < cap && (rnd() % 4))
                b[n++] = (rnd() % 2) ? 0 : (uint8_t)rnd();
            break;
        case 4: /* a size or count field to a boundary value */
            if (n >= 8) {
                static const uint16_t edges[] = {0, 1, 7, 8, 9, 0x7FFF, 0x8000, 0xFFFF};
                size_t at = 6 + 2 * (rnd() % ((n - 6) / 2));
                uint16_t v = edges[rnd() % 8];
                b[at] = (uint8_t)v;
                b[at + 1] = (uint8_t)(v >> 8);
            }
            break;
        default: /* msg_size to the real length +-1 */
            if (n >= 8) {
                size_t v = n + (rnd() % 3) - 1;
                b[6] = (uint8_t)v;
                b[7] = (uint8_t)(v >> 8);
            }
            break;
        }
        if (n == 0)
            break;
    }
    return n;
}

static void test_vmsg_mutations_round_trip(void **state)
{
    (void)state;
    size_t parsed = 0, total = 0;
    for (int rev = 0; rev < 2; rev++) {
        vcf_vmsg_params p;
        vcf_vmsg_params_default(&p);
        p.rev = rev ? VCF_VMSG_REV_RFC3 : VCF_VMSG_REV_PR28;
        for (int i = 0; i < 60000; i++) {
            uint8_t b[256], out[256];
            vcf_vmsg_kind k = (vcf_vmsg_kind)(1 + rnd() % (VCF_VMSG_K_COUNT - 1));
            size_t n = vmsg_sample_bytes(k, b, sizeof b);
            n = mutate(b, n, sizeof b);
            p.allow_padding = (rnd() % 4) == 0;
            /* parse from a heap copy of exactly n bytes so ASan sees any over-read */
            uint8_t *exact = malloc(n ? n : 1);
            assert_non_null(exact);
            if (n)
                memcpy(exact, b, n);
            vcf_vmsg_msg m;
            vcf_error err;
            total++;
            int rc = vcf_vmsg_parse(exact, n, &p, &m, &err);
            /* decode is parse followed by check: same verdict, same first error */
            vcf_vmsg_msg dm;
            vcf_error derr, first;
            int drc = vcf_vmsg_decode(exact, n, &p, &dm, &derr);
            if (rc != VCF_OK) {
                assert_int_equal(drc, rc);
                assert_int_equal(derr.offset, err.offset);
            } else if (vcf_vmsg_check(&m, &p, &first, 1)) {
                assert_int_equal(drc, first.code);
                assert_int_equal(derr.offset, first.offset);
                assert_string_equal(derr.field, first.field);
            } else {
                assert_int_equal(drc, VCF_OK);
            }
            if (rc == VCF_OK) {
                parsed++;
                int w = vcf_vmsg_encode(&m, out, sizeof out, &err);
                assert_int_equal(w, m.hdr.msg_size);
                assert_bytes_equal(out, exact, (size_t)w);
                vcf_error errs[8];
                size_t count = vcf_vmsg_check(&m, &p, errs, 8);
                for (size_t e = 0; e < count && e < 8; e++)
                    assert_true(errs[e].offset < n);
                vcf_vmsg_describe(&m, &p, ignore_field, &n);
            } else {
                assert_true(vcf_status_is_structural(rc));
                assert_true(err.offset <= n);
            }
            free(exact);
        }
    }
    /* the mutations must exercise both outcomes */
    assert_true(parsed > total / 10);
    assert_true(parsed < total - total / 10);
}

static void test_rpmsg_mutations_round_trip(void **state)
{
    (void)state;
    size_t parsed = 0, total = 0;
    for (int i = 0; i < 60000; i++) {
        uint8_t b[160], out[160];
        vcf_rpmsg_params p;
        vcf_rpmsg_params_default(&p);
        p.order = (rnd() % 2) ? VCF_BIG_ENDIAN : VCF_LITTLE_ENDIAN;
        p.ns = rnd() % 4 != 0;
        /* start from an NS frame, an extended NS frame or data */
        size_t plen = (rnd() % 3 == 0) ? 40 : (rnd() % 2) ? 72 : rnd() % 40;
        vcf_rpmsg_hdr h = {rnd(), (rnd() % 2) ? VCF_RPMSG_NS_ADDR : rnd(), 0, (uint16_t)plen, 0};
        vcf_rpmsg_hdr_encode(&h, p.order, b, sizeof b, NULL);
        for (size_t j = 0; j < plen; j++)
            b[16 + j] = (rnd() % 3) ? 0 : (uint8_t)('a' + rnd() % 26);
        size_t n = 16 + plen;
        for (int r = 1 + (int)(rnd() % 3); r > 0 && n > 0; r--) {
            if (rnd() % 2)
                b[rnd() % n] = (uint8_t)rnd();
            else if (rnd() % 2)
                n = rnd() % (n + 1);
            else
                while (n < sizeof b && (rnd() % 3))
                    b[n++] = 0;
        }
        uint8_t *exact = malloc(n ? n : 1);
        assert_non_null(exact);
        if (n)
            memcpy(exact, b, n);
        vcf_rpmsg_msg m;
        vcf_error err;
        total++;
        int rc = vcf_rpmsg_parse(exact, n, &p, &m, &err);
        vcf_rpmsg_msg dm;
        vcf_error derr, first;
        int drc = vcf_rpmsg_decode(exact, n, &p, &dm, &derr);
        if (rc != VCF_OK) {
            assert_int_equal(drc, rc);
            assert_int_equal(derr.offset, err.offset);
        } else if (vcf_rpmsg_check(&m, &first, 1)) {
            assert_int_equal(drc, first.code);
            assert_int_equal(derr.offset, first.offset);
            assert_string_equal(derr.field, first.field);
        } else {
            assert_int_equal(drc, VCF_OK);
        }
        if (rc == VCF_OK || rc == VCF_E_NONSTANDARD) {
            parsed++;
            int w = vcf_rpmsg_frame_encode(&m.frame.hdr, m.frame.payload, p.order, out, sizeof out,
                                           NULL);
            assert_int_equal(w, 16 + m.frame.hdr.len);
            assert_bytes_equal(out, exact, (size_t)w);
            assert_int_equal((size_t)w + m.frame.slack, n);
            if (m.kind == VCF_RPMSG_KIND_NS) {
                assert_int_equal(vcf_rpmsg_ns_encode(&m.ns, p.order, out, sizeof out, NULL), 40);
                assert_bytes_equal(out, exact + 16, 40);
            } else if (m.kind == VCF_RPMSG_KIND_NS_EXT) {
                vcf_rpmsg_ns_ext x = m.ns_ext;
                if (x.layout == VCF_RPMSG_NS_LAYOUT_EXT_UNKNOWN)
                    x.layout = VCF_RPMSG_NS_LAYOUT_EXT_TI; /* decoded as TI when unclear */
                assert_int_equal(vcf_rpmsg_ns_ext_encode(&x, p.order, out, sizeof out, NULL), 72);
                assert_bytes_equal(out, exact + 16, 72);
            }
            vcf_rpmsg_check(&m, NULL, 0);
            vcf_rpmsg_describe(&m, &p, ignore_field, &n);
        } else {
            assert_true(vcf_status_is_structural(rc));
        }
        free(exact);
    }
    assert_true(parsed > total / 10);
    assert_true(parsed < total - total / 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vmsg_mutations_round_trip),
        cmocka_unit_test(test_rpmsg_mutations_round_trip),
    };
    return cmocka_run_group_tests_name("properties", tests, NULL, NULL);
}
