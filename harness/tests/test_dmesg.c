/* SPDX-License-Identifier: MIT */
/*
 * The dmesg hex-dump parser (harness/src/dmesg.c): message boundaries, timestamps, the
 * dev_dbg cross-check, errors with line numbers, and chunking that does not change the result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "dmesg.h"

#define MAX_EV 32

typedef struct got {
    size_t n_msg, n_err, n_warn;
    vcf_dmesg_dir dir[MAX_EV];
    uint8_t data[MAX_EV][128];
    size_t len[MAX_EV];
    size_t first[MAX_EV], last[MAX_EV];
    int64_t sec[MAX_EV];
    uint32_t usec[MAX_EV];
    int has_ts[MAX_EV], complete[MAX_EV];
    size_t err_line[MAX_EV], warn_line[MAX_EV];
    char err[MAX_EV][VCF_DMESG_TEXT_MAX], warn[MAX_EV][VCF_DMESG_TEXT_MAX];
} got;

static void on_ev(void *ctx, const vcf_dmesg_event *ev)
{
    got *g = ctx;
    if (ev->kind == VCF_DMESG_EV_ERROR && g->n_err < MAX_EV) {
        g->err_line[g->n_err] = ev->line;
        snprintf(g->err[g->n_err++], VCF_DMESG_TEXT_MAX, "%s", ev->text);
    } else if (ev->kind == VCF_DMESG_EV_WARNING && g->n_warn < MAX_EV) {
        g->warn_line[g->n_warn] = ev->line;
        snprintf(g->warn[g->n_warn++], VCF_DMESG_TEXT_MAX, "%s", ev->text);
    } else if (ev->kind == VCF_DMESG_EV_MESSAGE && g->n_msg < MAX_EV) {
        size_t i = g->n_msg++;
        const vcf_dmesg_msg *m = ev->msg;
        g->dir[i] = m->dir;
        g->len[i] = m->len;
        memcpy(g->data[i], m->data, m->len < 128 ? m->len : 128);
        g->first[i] = m->first_line;
        g->last[i] = m->last_line;
        g->sec[i] = m->ts_sec;
        g->usec[i] = m->ts_usec;
        g->has_ts[i] = m->has_ts;
        g->complete[i] = m->complete;
    }
}

/* Parse text fed in chunks of the given size (0: at once). */
static void parse(const char *text, size_t chunk, bool be, got *g)
{
    memset(g, 0, sizeof *g);
    vcf_dmesg_parser p;
    assert_int_equal(vcf_dmesg_init(&p, be, on_ev, g), 0);
    size_t n = strlen(text);
    if (!chunk)
        chunk = n ? n : 1;
    for (size_t i = 0; i < n; i += chunk)
        assert_int_equal(vcf_dmesg_feed(&p, text + i, n - i < chunk ? n - i : chunk), 0);
    assert_int_equal(vcf_dmesg_finish(&p), 0);
    vcf_dmesg_free(&p);
}

/* A real excerpt (i.MX7 with an M4 remote announcing "rpmsg-tty-raw"), with unrelated lines. */
static const char ns_log[] =
    "[  143.354880] remoteproc remoteproc0: vq index 0 is interrupted\n"
    "[  143.354912] virtio_rpmsg_bus virtio0: From: 0x0, To: 0x35, Len: 40, Flags: 0, "
    "Reserved: 0\n"
    "[  143.354924] rpmsg_virtio RX: 00 00 00 00 35 00 00 00 00 00 00 00 28 00 00 00  "
    "....5.......(...\n"
    "[  143.354932] rpmsg_virtio RX: 72 70 6d 73 67 2d 74 74 79 2d 72 61 77 00 00 00  "
    "rpmsg-tty-raw...\n"
    "[  143.354939] rpmsg_virtio RX: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  "
    "................\n"
    "[  143.354945] rpmsg_virtio RX: 00 00 00 00 00 00 00 00                          "
    "........\n"
    "[  143.354956] NS announcement: 72 70 6d 73 67 2d 74 74 79 2d 72 61 77 00 00 00  "
    "rpmsg-tty-raw...\n";

static void test_ns_announcement(void **state)
{
    (void)state;
    got g;
    parse(ns_log, 0, false, &g);
    assert_int_equal(g.n_msg, 1);
    assert_int_equal(g.n_err, 0);
    assert_int_equal(g.n_warn, 0);
    assert_int_equal(g.dir[0], VCF_DMESG_RX);
    assert_int_equal(g.len[0], 56);
    assert_true(g.complete[0]);
    assert_int_equal(g.first[0], 3);
    assert_int_equal(g.last[0], 6);
    assert_true(g.has_ts[0]);
    assert_int_equal(g.sec[0], 143);
    assert_int_equal(g.usec[0], 354924);
    assert_int_equal(g.data[0][4], 0x35);
    assert_int_equal(g.data[0][12], 40);
    assert_memory_equal(g.data[0] + 16, "rpmsg-tty-raw", 13);
}

static void test_chunking(void **state)
{
    (void)state;
    got whole, g;
    parse(ns_log, 0, false, &whole);
    static const size_t sizes[] = {1, 2, 3, 7, 16, 61, 100};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        parse(ns_log, sizes[i], false, &g);
        assert_int_equal(g.n_msg, whole.n_msg);
        assert_int_equal(g.len[0], whole.len[0]);
        assert_memory_equal(g.data[0], whole.data[0], whole.len[0]);
        assert_int_equal(g.first[0], whole.first[0]);
        assert_int_equal(g.last[0], whole.last[0]);
    }
}

static void test_boundaries_and_directions(void **state)
{
    (void)state;
    /* a TX of 16 + 6 bytes, then an RX with no dev_dbg line (journalctl prefix, no stamp);
     * the TX ends by its length, the RX by the end of the input */
    const char *text =
        "Mar 04 10:00:06 board kernel: virtio_rpmsg_bus virtio0.x.-1.1024: TX From 0x402, To "
        "0x400, Len 6, Flags 0, Reserved 0\n"
        "Mar 04 10:00:06 board kernel: rpmsg_virtio TX: 02 04 00 00 00 04 00 00 00 00 00 00 06 "
        "00 00 00  ................\n"
        "Mar 04 10:00:06 board kernel: rpmsg_virtio TX: 70 69 6e 67 20 31                      "
        "          ping 1\n"
        "Mar 04 10:00:07 board kernel: rpmsg_virtio RX: 00 04 00 00 01 04 00 00 00 00 00 00 00 "
        "00 00 00  ................\n";
    got g;
    parse(text, 0, false, &g);
    assert_int_equal(g.n_msg, 2);
    assert_int_equal(g.dir[0], VCF_DMESG_TX);
    assert_int_equal(g.len[0], 22);
    assert_false(g.has_ts[0]);
    assert_int_equal(g.dir[1], VCF_DMESG_RX);
    assert_int_equal(g.len[1], 16);
    assert_true(g.complete[1]);
    assert_int_equal(g.n_warn, 0);
}

static void test_big_endian_length(void **state)
{
    (void)state;
    /* len 00 02 is 2 bytes big-endian: 18 bytes in all */
    const char *text = "rpmsg_virtio RX: 00 00 04 00 00 00 00 35 00 00 00 00 00 02 00 00  "
                       ".......5........\n"
                       "rpmsg_virtio RX: 61 62                                            ab\n";
    got g;
    parse(text, 0, true, &g);
    assert_int_equal(g.n_msg, 1);
    assert_int_equal(g.len[0], 18);
    assert_true(g.complete[0]);
    parse(text, 0, false, &g); /* read little-endian: 512 bytes claimed, the dump ends short */
    assert_int_equal(g.n_msg, 1);
    assert_false(g.complete[0]);
    assert_int_equal(g.n_warn, 1);
}

static void test_dmesg_T_stamp(void **state)
{
    (void)state;
    const char *text = "[Tue Mar  4 10:00:05 2025] rpmsg_virtio RX: 00 04 00 00 01 04 00 00 00 "
                       "00 00 00 00 00 00 00  ................\n";
    got g;
    parse(text, 0, false, &g);
    assert_int_equal(g.n_msg, 1);
    assert_true(g.has_ts[0]);
    assert_int_equal(g.sec[0], 1741082405); /* 2025-03-04 10:00:05 UTC */
    assert_int_equal(g.usec[0], 0);
}

static void test_errors_and_mismatch(void **state)
{
    (void)state;
    const char *text =
        "virtio_rpmsg_bus virtio0: From: 0x400, To: 0x401, Len: 2, Flags: 0, Reserved: 0\n"
        "rpmsg_virtio RX: 00 04 00 00 02 04 00 00 00 00 00 00 02 00 00 00  ................\n"
        "rpmsg_virtio RX: 61 62                                            ab\n"
        "rpmsg_virtio RX: 00 04 00 00 02 04 00 00 00 00 00 00 02 00 00 00  ....X...........\n"
        "rpmsg_virtio RX: 61 62                                            ab\n"
        "rpmsg_virtio TX: 0g\n";
    got g;
    parse(text, 0, false, &g);
    /* the first message is complete; its dev_dbg line said To 0x401 but the dump says 0x402 */
    assert_int_equal(g.n_msg, 1);
    assert_int_equal(g.len[0], 18);
    assert_int_equal(g.n_err, 2);
    assert_int_equal(g.err_line[0], 4);
    assert_non_null(strstr(g.err[0], "expected the ASCII column"));
    assert_int_equal(g.err_line[1], 6);
    assert_non_null(strstr(g.err[1], "expected two hex digits"));
    assert_true(g.n_warn >= 2);
    assert_int_equal(g.warn_line[0], 2);
    assert_non_null(strstr(g.warn[0], "dev_dbg line 1"));
    assert_non_null(strstr(g.warn[1], "left out: line 4 could not be read"));
}

static void test_lying_length_and_new_header(void **state)
{
    (void)state;
    /* the header claims 100 bytes; a dev_dbg line ends the dump early (lines were lost) */
    const char *text =
        "rpmsg_virtio RX: 00 04 00 00 01 04 00 00 00 00 00 00 64 00 00 00  ............d...\n"
        "rpmsg_virtio RX: 68 65 6c 6c 6f 20 77 6f 72 6c 64 21 0a 00 00 00  hello world!....\n"
        "virtio_rpmsg_bus virtio0: From: 0x400, To: 0x401, Len: 0, Flags: 0, Reserved: -1\n"
        "rpmsg_virtio RX: 00 04 00 00 01 04 00 00 ff ff ff ff 00 00 00 00  ................\n";
    got g;
    parse(text, 0, false, &g);
    assert_int_equal(g.n_msg, 2);
    assert_false(g.complete[0]);
    assert_int_equal(g.len[0], 32);
    assert_true(g.complete[1]);
    assert_int_equal(g.first[1], 4);
    assert_int_equal(g.n_warn, 1); /* the incomplete one; Reserved -1 is 0xffffffff */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ns_announcement),
        cmocka_unit_test(test_chunking),
        cmocka_unit_test(test_boundaries_and_directions),
        cmocka_unit_test(test_big_endian_length),
        cmocka_unit_test(test_dmesg_T_stamp),
        cmocka_unit_test(test_errors_and_mismatch),
        cmocka_unit_test(test_lying_length_and_new_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
