/* SPDX-License-Identifier: MIT */
/*
 * Scripts (fuzz/common/script.h): the writer's exact bytes, writer -> reader round trips of
 * every record kind, how a script cut anywhere or continued with an unknown op ends, the
 * parameter splitter's edge cases, and the writer's overflow flag.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "script.h"

static const vcf_adapter_param two_params[] = {{"rev", "rfc3"}, {"max_msg_size", "264"}};
static const uint8_t msg_a[] = {0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00};
static const uint8_t name_b[] = {'e', 'c', 'h', 'o'};
static const uint32_t args_b[VCF_ADAPTER_ARG_MAX] = {1024, 0xFFFFFFFFu, 7, 0x01020304u};
static const uint32_t no_args[VCF_ADAPTER_ARG_MAX] = {0, 0, 0, 0};

/* A script with every record kind, the variable parts empty and not. */
static size_t sample(uint8_t *buf, size_t cap)
{
    vcf_script_writer w;
    vcf_script_writer_init(&w, buf, cap);
    vcf_script_begin(&w, VCF_IUT_VMSG_DRIVER, two_params, 2);
    vcf_script_inject(&w, 0, msg_a, sizeof msg_a, 0, 0);
    vcf_script_action(&w, 0x100, args_b, name_b, sizeof name_b);
    vcf_script_patch(&w, 3, 4, 5, 2);
    vcf_script_inject(&w, 255, NULL, 0, 0xFFFF, 512);
    vcf_script_action(&w, 0x210, no_args, NULL, 0);
    assert_false(w.overflow);
    return w.len;
}

#define SAMPLE_RECORDS 5u

/* The byte offsets where the sample's records end. */
static size_t sample_ends(size_t *ends)
{
    size_t off = VCF_SCRIPT_HEAD_SIZE + strlen("rev=rfc3\nmax_msg_size=264");
    ends[0] = off += VCF_SCRIPT_INJECT_FIXED + sizeof msg_a;
    ends[1] = off += VCF_SCRIPT_ACTION_FIXED + sizeof name_b;
    ends[2] = off += VCF_SCRIPT_PATCH_SIZE;
    ends[3] = off += VCF_SCRIPT_INJECT_FIXED;
    ends[4] = off += VCF_SCRIPT_ACTION_FIXED;
    return off;
}

static void check_record(const vcf_script_rec *r, size_t i)
{
    switch (i) {
    case 0:
        assert_int_equal(r->op, VCF_SCRIPT_OP_INJECT);
        assert_int_equal(r->channel, 0);
        assert_int_equal(r->used_len, 0);
        assert_int_equal(r->capacity, 0);
        assert_int_equal(r->len, sizeof msg_a);
        assert_memory_equal(r->data, msg_a, sizeof msg_a);
        break;
    case 1:
        assert_int_equal(r->op, VCF_SCRIPT_OP_ACTION);
        assert_int_equal(r->kind, 0x100);
        assert_memory_equal(r->args, args_b, sizeof args_b);
        assert_int_equal(r->len, sizeof name_b);
        assert_memory_equal(r->data, name_b, sizeof name_b);
        break;
    case 2:
        assert_int_equal(r->op, VCF_SCRIPT_OP_PATCH);
        assert_int_equal(r->msg, 3);
        assert_int_equal(r->from, 4);
        assert_int_equal(r->to, 5);
        assert_int_equal(r->n, 2);
        assert_int_equal(r->size, VCF_SCRIPT_PATCH_SIZE);
        break;
    case 3:
        assert_int_equal(r->op, VCF_SCRIPT_OP_INJECT);
        assert_int_equal(r->channel, 255);
        assert_int_equal(r->used_len, 0xFFFF);
        assert_int_equal(r->capacity, 512);
        assert_int_equal(r->len, 0);
        break;
    default:
        assert_int_equal(r->op, VCF_SCRIPT_OP_ACTION);
        assert_int_equal(r->kind, 0x210);
        assert_memory_equal(r->args, no_args, sizeof no_args);
        assert_int_equal(r->len, 0);
        break;
    }
}

static void test_exact_bytes(void **state)
{
    (void)state;
    uint8_t buf[128];
    vcf_script_writer w;
    vcf_script_writer_init(&w, buf, sizeof buf);
    const vcf_adapter_param p = {"rev", "rfc3"};
    vcf_script_begin(&w, VCF_IUT_VMSG_DRIVER, &p, 1);
    const uint8_t two[] = {0xAA, 0xBB};
    vcf_script_inject(&w, 1, two, 2, 0x0102, 0x0304);
    vcf_script_patch(&w, 0x0201, 4, 0x0605, 2);
    const uint32_t args[VCF_ADAPTER_ARG_MAX] = {1, 0x02000000u, 3, 0xA0B0C0D0u};
    vcf_script_action(&w, 0x0210, args, two, 1);
    static const uint8_t want[] = {
        0x04, 0x08, 0x00, 'r',  'e',  'v',  '=',  'r',  'f',  'c',  '3', /* head */
        0x01, 0x01, 0x02, 0x00, 0x02, 0x01, 0x04, 0x03, 0xAA, 0xBB,      /* INJECT */
        0x03, 0x01, 0x02, 0x04, 0x00, 0x05, 0x06, 0x02,                  /* PATCH */
        0x02, 0x10, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
        0x03, 0x00, 0x00, 0x00, 0xD0, 0xC0, 0xB0, 0xA0, 0x01, 0x00, 0xAA}; /* ACTION */
    assert_false(w.overflow);
    assert_int_equal(w.len, sizeof want);
    assert_memory_equal(buf, want, sizeof want);
}

static void test_round_trip(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = sample(buf, sizeof buf);
    size_t ends[SAMPLE_RECORDS];
    assert_int_equal(len, sample_ends(ends));

    vcf_script_head head;
    vcf_script_cursor cur;
    assert_int_equal(vcf_script_open(buf, len, &head, &cur), 0);
    assert_int_equal(head.role, VCF_IUT_VMSG_DRIVER);
    assert_int_equal(head.params_len, strlen("rev=rfc3\nmax_msg_size=264"));
    assert_memory_equal(head.params, "rev=rfc3\nmax_msg_size=264", head.params_len);
    vcf_script_rec r;
    size_t start = cur.pos;
    for (size_t i = 0; i < SAMPLE_RECORDS; i++) {
        assert_int_equal(vcf_script_next(&cur, &r), 1);
        assert_int_equal(r.offset, start);
        assert_int_equal(r.offset + r.size, ends[i]);
        check_record(&r, i);
        start = ends[i];
    }
    assert_int_equal(vcf_script_next(&cur, &r), 0);
    assert_int_equal(cur.pos, len);
    assert_int_equal(vcf_script_next(&cur, &r), 0); /* and stays at the end */
}

/* Every prefix of the script: the head opens only once its parameter text is whole; the records
 * read are exactly the whole ones, unchanged, and the cursor stops where the cut one starts. */
static void test_truncation_everywhere(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t len = sample(buf, sizeof buf);
    size_t ends[SAMPLE_RECORDS];
    sample_ends(ends);
    size_t head_end = VCF_SCRIPT_HEAD_SIZE + strlen("rev=rfc3\nmax_msg_size=264");
    for (size_t cut = 0; cut <= len; cut++) {
        uint8_t copy[256];
        memcpy(copy, buf, cut);
        vcf_script_head head;
        vcf_script_cursor cur;
        int rc = vcf_script_open(cut ? copy : NULL, cut, &head, &cur);
        if (cut < head_end) {
            assert_int_equal(rc, -1);
            continue;
        }
        assert_int_equal(rc, 0);
        size_t whole = 0, stop = head_end;
        while (whole < SAMPLE_RECORDS && ends[whole] <= cut)
            stop = ends[whole++];
        vcf_script_rec r;
        size_t n = 0;
        while (vcf_script_next(&cur, &r)) {
            assert_true(r.offset + r.size <= cut);
            check_record(&r, n);
            n++;
        }
        if (n != whole)
            fail_msg("cut at %zu: %zu records read, %zu are whole", cut, n, whole);
        assert_int_equal(cur.pos, stop);
    }
}

static void test_unknown_op_ends(void **state)
{
    (void)state;
    static const uint8_t ops[] = {0x00, 0x04, 0x7F, 0x81, 0xFF};
    for (size_t k = 0; k < sizeof ops; k++) {
        uint8_t buf[128];
        vcf_script_writer w;
        vcf_script_writer_init(&w, buf, sizeof buf);
        vcf_script_begin(&w, VCF_IUT_RPMSG_DRIVER, NULL, 0);
        vcf_script_patch(&w, 0, 0, 0, 1);
        size_t at = w.len;
        buf[w.len++] = ops[k];
        vcf_script_inject(&w, 0, msg_a, sizeof msg_a, 0, 0); /* never reached */
        vcf_script_head head;
        vcf_script_cursor cur;
        assert_int_equal(vcf_script_open(buf, w.len, &head, &cur), 0);
        assert_int_equal(head.params_len, 0);
        vcf_script_rec r;
        assert_int_equal(vcf_script_next(&cur, &r), 1);
        assert_int_equal(r.op, VCF_SCRIPT_OP_PATCH);
        assert_int_equal(vcf_script_next(&cur, &r), 0);
        assert_int_equal(cur.pos, at);
    }
}

/* ---- parameters ---------------------------------------------------------------------------- */

typedef struct split {
    size_t n;
    vcf_adapter_param p[8];
    char storage[256];
} split;

static size_t split_text(split *s, const char *text, size_t len, size_t storage_len, size_t cap)
{
    memset(s, 0x55, sizeof *s);
    s->n = vcf_script_params(text, len, s->storage, storage_len, s->p, cap);
    return s->n;
}

static void expect_pair(const split *s, size_t i, const char *key, const char *value)
{
    assert_true(i < s->n);
    assert_string_equal(s->p[i].key, key);
    assert_string_equal(s->p[i].value, value);
}

static void test_params_lines(void **state)
{
    (void)state;
    split s;
    const char *t = "rev=rfc3\nmax_msg_size=264";
    assert_int_equal(split_text(&s, t, strlen(t), sizeof s.storage, 8), 2);
    expect_pair(&s, 0, "rev", "rfc3");
    expect_pair(&s, 1, "max_msg_size", "264");

    /* empty lines, a trailing newline, lines without '=', empty keys are skipped */
    t = "\na=1\n\nnoeq\n=x\nb=\nc=1=2\n";
    assert_int_equal(split_text(&s, t, strlen(t), sizeof s.storage, 8), 3);
    expect_pair(&s, 0, "a", "1");
    expect_pair(&s, 1, "b", "");    /* an empty value is a value */
    expect_pair(&s, 2, "c", "1=2"); /* the first '=' splits */

    /* nothing at all */
    assert_int_equal(split_text(&s, "", 0, sizeof s.storage, 8), 0);
    assert_int_equal(split_text(&s, "=\n=\n", 4, sizeof s.storage, 8), 0);

    /* the length, not a terminator, bounds the text */
    t = "k=value";
    assert_int_equal(split_text(&s, t, 4, sizeof s.storage, 8), 1);
    expect_pair(&s, 0, "k", "va");
}

static void test_params_nul_ends_text(void **state)
{
    (void)state;
    split s;
    static const char t[] = {'a', '=', '1', '\n', 'b', '=', '2', '\0', '\n', 'c', '=', '3'};
    assert_int_equal(split_text(&s, t, sizeof t, sizeof s.storage, 8), 2);
    expect_pair(&s, 0, "a", "1");
    expect_pair(&s, 1, "b", "2");
    static const char u[] = {'\0', 'a', '=', '1'};
    assert_int_equal(split_text(&s, u, sizeof u, sizeof s.storage, 8), 0);
}

static void test_params_limits(void **state)
{
    (void)state;
    split s;
    const char *t = "ab=1\ncd=2\nef=3";
    /* "ab\0" "1\0" takes 5 bytes: 9 bytes hold one pair, 10 hold two */
    assert_int_equal(split_text(&s, t, strlen(t), 9, 8), 1);
    expect_pair(&s, 0, "ab", "1");
    assert_int_equal(split_text(&s, t, strlen(t), 10, 8), 2);
    expect_pair(&s, 1, "cd", "2");
    assert_int_equal(split_text(&s, t, strlen(t), 4, 8), 0);
    assert_int_equal(split_text(&s, t, strlen(t), 0, 8), 0);
    /* the pair capacity */
    assert_int_equal(split_text(&s, t, strlen(t), sizeof s.storage, 2), 2);
    assert_int_equal(split_text(&s, t, strlen(t), sizeof s.storage, 0), 0);
    /* nothing is written past the storage given */
    assert_int_equal(split_text(&s, t, strlen(t), 9, 8), 1);
    assert_int_equal((unsigned char)s.storage[9], 0x55);
}

/* ---- the writer's overflow flag -------------------------------------------------------------- */

static void test_writer_overflow(void **state)
{
    (void)state;
    uint8_t buf[64];
    memset(buf, 0xEE, sizeof buf);
    vcf_script_writer w;

    /* too small for the head: nothing written, flag set, later calls write nothing */
    vcf_script_writer_init(&w, buf, 10);
    vcf_script_begin(&w, 1, two_params, 2);
    assert_true(w.overflow);
    assert_int_equal(w.len, 0);
    vcf_script_patch(&w, 0, 0, 0, 0);
    assert_int_equal(w.len, 0);
    assert_int_equal(buf[0], 0xEE);

    /* exactly the size needed: no overflow; one byte more does overflow */
    vcf_script_writer_init(&w, buf, VCF_SCRIPT_HEAD_SIZE + VCF_SCRIPT_PATCH_SIZE);
    vcf_script_begin(&w, 1, NULL, 0);
    vcf_script_patch(&w, 1, 2, 3, 4);
    assert_false(w.overflow);
    assert_int_equal(w.len, VCF_SCRIPT_HEAD_SIZE + VCF_SCRIPT_PATCH_SIZE);
    vcf_script_inject(&w, 0, NULL, 0, 0, 0);
    assert_true(w.overflow);
    assert_int_equal(w.len, VCF_SCRIPT_HEAD_SIZE + VCF_SCRIPT_PATCH_SIZE);

    /* values wider than their fields */
    for (int which = 0; which < 8; which++) {
        vcf_script_writer_init(&w, buf, sizeof buf);
        switch (which) {
        case 0: vcf_script_inject(&w, 256, NULL, 0, 0, 0); break;
        case 1: vcf_script_inject(&w, 0, NULL, 0, 0x10000, 0); break;
        case 2: vcf_script_inject(&w, 0, NULL, 0, 0, 0x10000); break;
        case 3: vcf_script_inject(&w, 0, buf, 0x10000, 0, 0); break;
        case 4: vcf_script_action(&w, 0x10000, no_args, NULL, 0); break;
        case 5: vcf_script_patch(&w, 0x10000, 0, 0, 1); break;
        case 6: vcf_script_patch(&w, 0, 0x10000, 0, 1); break;
        default: vcf_script_patch(&w, 0, 0, 0, 256); break;
        }
        if (!w.overflow || w.len != 0)
            fail_msg("case %d: a value wider than its field was written", which);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_bytes),           cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_truncation_everywhere), cmocka_unit_test(test_unknown_op_ends),
        cmocka_unit_test(test_params_lines),          cmocka_unit_test(test_params_nul_ends_text),
        cmocka_unit_test(test_params_limits),         cmocka_unit_test(test_writer_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
