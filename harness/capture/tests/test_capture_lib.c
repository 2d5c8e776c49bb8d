/* SPDX-License-Identifier: MIT */
/*
 * libvconform-capture as a product, linked as users link it (the shared library, the public
 * header): several threads recording into one file lose and mix nothing; a write failure
 * (/dev/full) is reported by flush and close, and every later call fails; options from an
 * older, shorter vcf_capture_options are taken as far as they go; open_stream records into a
 * stream the library then closes.
 */
#define _DEFAULT_SOURCE /* u_char and u_int in <pcap/pcap.h> under -std=c11 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <vconform/capture_file.h>

#define THREADS    4
#define PER_THREAD 1000

static char dir[] = "/tmp/vcf-capture-lib-XXXXXX";

typedef struct worker {
    vcf_capture_file *cap;
    uint32_t id;
    int failures;
} worker;

/* Message i of thread t: 8 + (i % 50) bytes, the first 8 naming (t, i), the rest a pattern. */
static size_t make_msg(uint32_t t, uint32_t i, uint8_t *out)
{
    size_t len = 8 + i % 50;
    for (size_t k = 0; k < 4; k++) {
        out[k] = (uint8_t)(t >> (8 * k));
        out[4 + k] = (uint8_t)(i >> (8 * k));
    }
    for (size_t k = 8; k < len; k++)
        out[k] = (uint8_t)(t * 31u + i + k);
    return len;
}

static void *work(void *arg)
{
    worker *w = arg;
    uint8_t msg[64];
    vcf_capture_meta m;
    vcf_capture_meta_init(&m);
    m.role = 2;
    m.bus = VCF_CAPTURE_BUS_LOOPBACK;
    m.instance = w->id;
    m.case_id = "threads";
    for (uint32_t i = 0; i < PER_THREAD; i++) {
        m.step_index = i;
        m.direction = i & 1u;
        size_t len = make_msg(w->id, i, msg);
        if (vcf_capture_record(w->cap, &m, msg, len) != 0)
            w->failures++;
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    char path[96], err[256] = "";
    snprintf(path, sizeof path, "%s/threads.pcap", dir);
    vcf_capture_file *cap = vcf_capture_open(path, NULL, err, sizeof err);
    assert_non_null(cap);
    pthread_t th[THREADS];
    worker w[THREADS];
    for (uint32_t t = 0; t < THREADS; t++) {
        w[t] = (worker){cap, t + 1, 0};
        assert_int_equal(pthread_create(&th[t], NULL, work, &w[t]), 0);
    }
    for (uint32_t t = 0; t < THREADS; t++) {
        assert_int_equal(pthread_join(th[t], NULL), 0);
        assert_int_equal(w[t].failures, 0);
    }
    assert_int_equal(vcf_capture_count(cap), THREADS * PER_THREAD);
    assert_int_equal(vcf_capture_close(cap, err, sizeof err), 0);

    /* every record intact, each thread's in its own order, record indices 0.. in file order */
    char perr[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(path, perr);
    assert_non_null(pc);
    struct pcap_pkthdr *h;
    const u_char *pkt;
    uint32_t next[THREADS] = {0};
    uint32_t n = 0;
    int rc;
    while ((rc = pcap_next_ex(pc, &h, &pkt)) == 1) {
        vcf_capture_view v;
        assert_int_equal(
            vcf_capture_parse(VCF_CAPTURE_LINKTYPE_UPPER_PDU, pkt, h->caplen, &v, err, sizeof err),
            0);
        assert_int_equal(h->caplen, h->len);
        assert_int_equal(v.record_index, n);
        assert_true(v.instance >= 1 && v.instance <= THREADS);
        const uint32_t t = v.instance;
        assert_int_equal(v.step_index, next[t - 1]);
        assert_int_equal(v.direction, v.step_index & 1u);
        assert_int_equal(v.bus, VCF_CAPTURE_BUS_LOOPBACK);
        assert_int_equal(v.case_id_len, 7);
        assert_memory_equal(v.case_id, "threads", 7);
        uint8_t want[64];
        size_t len = make_msg(t, v.step_index, want);
        assert_int_equal(v.data_len, len);
        assert_int_equal(v.orig_len, len);
        assert_memory_equal(v.data, want, len);
        next[t - 1]++;
        n++;
    }
    assert_int_equal(rc, PCAP_ERROR_BREAK);
    pcap_close(pc);
    assert_int_equal(n, THREADS * PER_THREAD);
    for (uint32_t t = 0; t < THREADS; t++)
        assert_int_equal(next[t], PER_THREAD);
    unlink(path);
}

/* /dev/full takes the open and buffered records; the flush fails and says why. */
static void test_write_failure(void **state)
{
    (void)state;
    if (access("/dev/full", W_OK) != 0) {
        skip();
    }
    char err[256] = "";
    vcf_capture_file *cap = vcf_capture_open("/dev/full", NULL, err, sizeof err);
    assert_non_null(cap);
    vcf_capture_meta m;
    vcf_capture_meta_init(&m);
    const uint8_t msg[16] = {0};
    assert_int_equal(vcf_capture_record(cap, &m, msg, sizeof msg), 0); /* buffered */
    assert_string_equal(vcf_capture_error(cap), "");
    assert_int_equal(vcf_capture_flush(cap), -1);
    const char *why = vcf_capture_error(cap);
    assert_non_null(strstr(why, "No space left on device"));
    /* every later call fails, the first error stays */
    assert_int_equal(vcf_capture_record(cap, &m, msg, sizeof msg), -1);
    assert_int_equal(vcf_capture_record_at(cap, &m, msg, sizeof msg, 1, 2), -1);
    assert_int_equal(vcf_capture_flush(cap), -1);
    assert_non_null(strstr(vcf_capture_error(cap), "No space left on device"));
    assert_int_equal(vcf_capture_count(cap), 1);
    err[0] = '\0';
    assert_int_equal(vcf_capture_close(cap, err, sizeof err), -1);
    assert_non_null(strstr(err, "No space left on device"));

    /* without an explicit flush: close reports it */
    cap = vcf_capture_open("/dev/full", NULL, err, sizeof err);
    assert_non_null(cap);
    assert_int_equal(vcf_capture_record(cap, &m, msg, sizeof msg), 0);
    err[0] = '\0';
    assert_int_equal(vcf_capture_close(cap, err, sizeof err), -1);
    assert_non_null(strstr(err, "No space left on device"));

    /* flush_each: the record that failed to reach the file fails itself */
    vcf_capture_options o;
    vcf_capture_options_init(&o);
    o.flush_each = 1;
    cap = vcf_capture_open("/dev/full", &o, err, sizeof err);
    assert_non_null(cap);
    assert_int_equal(vcf_capture_record(cap, &m, msg, sizeof msg), -1);
    assert_non_null(strstr(vcf_capture_error(cap), "No space left on device"));
    assert_int_equal(vcf_capture_close(cap, err, sizeof err), -1);
}

/* A caller built against a header whose options ended after linktype (8 bytes). */
typedef struct old_options {
    uint32_t struct_size;
    uint32_t linktype;
} old_options;

static void test_old_options_and_stream(void **state)
{
    (void)state;
    char path[96], err[256] = "";
    snprintf(path, sizeof path, "%s/stream.pcap", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    old_options old = {sizeof old, VCF_CAPTURE_LINKTYPE_USER0 + 2};
    vcf_capture_file *cap = vcf_capture_open_stream(
        f, (const vcf_capture_options *)(const void *)&old, err, sizeof err);
    assert_non_null(cap);
    vcf_capture_meta m;
    vcf_capture_meta_init(&m);
    m.role = 3;
    const uint8_t msg[4] = {1, 2, 3, 4};
    assert_int_equal(vcf_capture_record(cap, &m, msg, sizeof msg), 0);
    assert_int_equal(vcf_capture_close(cap, err, sizeof err), 0); /* closes f */
    char perr[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(path, perr);
    assert_non_null(pc);
    assert_int_equal(pcap_datalink(pc), VCF_CAPTURE_LINKTYPE_USER0 + 2);
    struct pcap_pkthdr *h;
    const u_char *pkt;
    assert_int_equal(pcap_next_ex(pc, &h, &pkt), 1);
    vcf_capture_view v;
    assert_int_equal(
        vcf_capture_parse(VCF_CAPTURE_LINKTYPE_USER0 + 2, pkt, h->caplen, &v, err, sizeof err), 0);
    assert_int_equal(v.protocol, VCF_CAPTURE_PROTO_VMSG);
    assert_int_equal(v.data_len, 4);
    pcap_close(pc);
    unlink(path);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_write_failure),
        cmocka_unit_test(test_old_options_and_stream),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
