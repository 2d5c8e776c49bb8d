/* SPDX-License-Identifier: MIT */
/* vconform-vhost's pure layer: console lines, options, RESET parameters (cmocka). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "uml_config.h"
#include "uml_console.h"

static void rx_record(void **state)
{
    (void)state;
    vcf_uml_line l;
    assert_int_equal(vcf_uml_parse_line("virtio_rpmsg_bus virtio0: From: 0x400, To: 0x35, Len: "
                                        "40, Flags: 0, Reserved: 0",
                                        &l),
                     VCF_UML_LINE_RX);
    assert_int_equal(l.src, 0x400);
    assert_int_equal(l.dst, 0x35);
    assert_int_equal(l.len, 40);
    assert_int_equal(l.flags, 0);
    assert_int_equal(l.reserved, 0);

    /* a printk timestamp before it, a negative reserved (%d of a u32), a '\r' at the end */
    assert_int_equal(vcf_uml_parse_line("[    1.234] virtio_rpmsg_bus virtio0: From: 0xffffffff, "
                                        "To: 0xABCDEF01, Len: 65535, Flags: 7, Reserved: -1\r",
                                        &l),
                     VCF_UML_LINE_RX);
    assert_int_equal(l.src, 0xffffffffu);
    assert_int_equal(l.dst, 0xabcdef01u);
    assert_int_equal(l.len, 65535);
    assert_int_equal(l.flags, 7);
    assert_int_equal(l.reserved, -1);
}

static void rx_record_malformed(void **state)
{
    (void)state;
    vcf_uml_line l;
    /* the TX line has another format */
    assert_int_equal(vcf_uml_parse_line("virtio_rpmsg_bus virtio0: TX From 0x400, To 0x35, Len 5, "
                                        "Flags 0, Reserved 0",
                                        &l),
                     VCF_UML_LINE_OTHER);
    /* truncated, trailing text, 9 hex digits, no digits */
    assert_int_equal(vcf_uml_parse_line("From: 0x400, To: 0x35, Len: 40, Flags: 0", &l),
                     VCF_UML_LINE_OTHER);
    assert_int_equal(
        vcf_uml_parse_line("From: 0x400, To: 0x35, Len: 40, Flags: 0, Reserved: 0 x", &l),
        VCF_UML_LINE_OTHER);
    assert_int_equal(
        vcf_uml_parse_line("From: 0x100000000, To: 0x35, Len: 40, Flags: 0, Reserved: 0", &l),
        VCF_UML_LINE_OTHER);
    assert_int_equal(vcf_uml_parse_line("From: 0x, To: 0x35, Len: 40, Flags: 0, Reserved: 0", &l),
                     VCF_UML_LINE_OTHER);
    assert_int_equal(l.src, 0); /* OTHER leaves nothing behind */
}

static void received_and_drops(void **state)
{
    (void)state;
    vcf_uml_line l;
    assert_int_equal(vcf_uml_parse_line("virtio_rpmsg_bus virtio0: Received 1 messages", &l),
                     VCF_UML_LINE_RECEIVED);
    assert_int_equal(l.count, 1);
    assert_int_equal(vcf_uml_parse_line("virtio_rpmsg_bus virtio0: Received 0 messages", &l),
                     VCF_UML_LINE_RECEIVED);
    assert_int_equal(l.count, 0);
    assert_int_equal(vcf_uml_parse_line("Received x messages", &l), VCF_UML_LINE_OTHER);
    assert_int_equal(vcf_uml_parse_line("Received 3 messages!", &l), VCF_UML_LINE_OTHER);
    assert_int_equal(
        vcf_uml_parse_line("virtio_rpmsg_bus virtio0: inbound msg too big: (600, 584)", &l),
        VCF_UML_LINE_TOO_BIG);
    assert_int_equal(l.len, 600);
    assert_int_equal(l.count, 584);
    assert_int_equal(
        vcf_uml_parse_line("virtio_rpmsg_bus virtio0: uhm, incoming signal, but no used buffer ?",
                           &l),
        VCF_UML_LINE_NO_USED);
}

static void trouble(void **state)
{
    (void)state;
    static const struct {
        const char *line, *mark;
    } t[] = {
        {"BUG: scheduling while atomic: swapper/0/1/0x00000002", "BUG:"},
        {"WARNING: CPU: 0 PID: 1 at kernel/sched/core.c:5000 foo+0x1/0x2", "WARNING:"},
        {"Kernel panic - not syncing: Segfault with no mm", "Kernel panic"},
        {"Oops: 0000 [#1]", "Oops"},
        {"general protection fault, probably for non-canonical address", "general protection"},
        {"Unable to handle kernel NULL pointer dereference at 0", "Unable to handle"},
        {"------------[ cut here ]------------", "------------[ cut here ]"},
        {"Call Trace:", "Call Trace:"},
        {"note: swapper/0 scheduling while atomic", "scheduling while atomic"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        vcf_uml_line l;
        assert_int_equal(vcf_uml_parse_line(t[i].line, &l), VCF_UML_LINE_TROUBLE);
        assert_string_equal(l.trouble, t[i].mark);
    }
    vcf_uml_line l;
    /* a hex dump of the test's bytes and the agent's own lines are never trouble */
    assert_int_equal(vcf_uml_parse_line("rpmsg_virtio RX: 42 55 47 3a  BUG: Oops", &l),
                     VCF_UML_LINE_OTHER);
    assert_int_equal(vcf_uml_parse_line("vconform-agent: send \"BUG:\" refused", &l),
                     VCF_UML_LINE_OTHER);
    /* ordinary boot lines */
    assert_int_equal(vcf_uml_parse_line("Checking PROT_EXEC mmap in /dev/shm...OK", &l),
                     VCF_UML_LINE_OTHER);
    assert_int_equal(vcf_uml_parse_line("", &l), VCF_UML_LINE_OTHER);
    assert_int_equal(vcf_uml_parse_line(NULL, &l), VCF_UML_LINE_OTHER);
}

static void ready(void **state)
{
    (void)state;
    vcf_uml_line l;
    assert_int_equal(vcf_uml_parse_line("vconform-agent: ready 6.1.158 \r", &l),
                     VCF_UML_LINE_READY);
    assert_string_equal(l.version, "6.1.158");
    assert_int_equal(vcf_uml_parse_line("vconform-agent: ready", &l), VCF_UML_LINE_READY);
    assert_string_equal(l.version, "");
    assert_int_equal(vcf_uml_parse_line("vconform-agent: readyX", &l), VCF_UML_LINE_OTHER);
    assert_string_equal(vcf_uml_line_kind_name(VCF_UML_LINE_READY), "ready");
}

static void sanitize(void **state)
{
    (void)state;
    char out[16];
    vcf_uml_sanitize_name("rpmsg-drv/ns ok.1", out, sizeof out);
    assert_string_equal(out, "rpmsg-drv_ns_ok");
    vcf_uml_sanitize_name("../x", out, sizeof out);
    assert_string_equal(out, "_._x");
    vcf_uml_sanitize_name("abcdefghijklmnopqrstuvwxyz", out, sizeof out);
    assert_string_equal(out, "abcdefghijklmno");
    vcf_uml_sanitize_name("", out, sizeof out);
    assert_string_equal(out, "");
}

static void options(void **state)
{
    (void)state;
    vcf_uml_opts o;
    char err[256];
    assert_int_equal(vcf_uml_opts_parse("", "/k/linux", &o, err, sizeof err), 0);
    assert_string_equal(o.kernel, "/k/linux");
    assert_string_equal(o.agent, "");
    assert_true(o.boot_timeout == 30.0);
    assert_int_equal(o.life, 600);
    assert_int_equal(o.mem_mb, 64);
    assert_false(o.trace);

    assert_int_equal(vcf_uml_opts_parse("kernel=/a/b,agent=/c,log=/tmp/l,boot_timeout=2.5,"
                                        "life=90,mem=128,trace",
                                        NULL, &o, err, sizeof err),
                     0);
    assert_string_equal(o.kernel, "/a/b");
    assert_string_equal(o.agent, "/c");
    assert_string_equal(o.log_dir, "/tmp/l");
    assert_true(o.boot_timeout == 2.5);
    assert_int_equal(o.life, 90);
    assert_int_equal(o.mem_mb, 128);
    assert_true(o.trace);

    assert_int_equal(vcf_uml_opts_parse("", NULL, &o, err, sizeof err), 0);
    assert_string_equal(o.kernel, "");
    assert_int_equal(vcf_uml_opts_parse("bogus=1", NULL, &o, err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown linux-uml option 'bogus=1'"));
    assert_int_equal(vcf_uml_opts_parse("life=1.5", NULL, &o, err, sizeof err), -1);
    assert_non_null(strstr(err, "life=1.5"));
    assert_int_equal(vcf_uml_opts_parse("mem=abc", NULL, &o, err, sizeof err), -1);
    assert_int_equal(vcf_uml_opts_parse("kernel=", NULL, &o, err, sizeof err), -1);
    assert_int_equal(vcf_uml_opts_parse("trace=1", NULL, &o, err, sizeof err), -1);
}

static int reset(const vcf_adapter_param *p, size_t n, uint64_t *f, const char **id, char *why)
{
    return vcf_uml_check_reset(VCF_IUT_RPMSG_DRIVER, p, n, f, id, why, 256);
}

static void reset_params(void **state)
{
    (void)state;
    char why[256];
    uint64_t f = 0;
    const char *id = "x";
    vcf_adapter_param ok[] = {{"features", "0x100000001"}, {"order", "le"},
                              {"buf_size", "512"},         {"tx_bufs", "256"},
                              {"model.report", "acked"},   {"vcf.case", "rpmsg-drv-x"}};
    assert_int_equal(reset(ok, 6, &f, &id, why), VCF_ADAPTER_OK);
    assert_true(f == 0x100000001ull);
    assert_string_equal(id, "rpmsg-drv-x");

    /* VERSION_1 makes order irrelevant; legacy LE is fine; no parameters: the defaults */
    vcf_adapter_param be1[] = {{"features", "0x100000000"}, {"order", "be"}};
    assert_int_equal(reset(be1, 2, &f, &id, why), VCF_ADAPTER_OK);
    assert_true(f == 0x100000000ull);
    assert_null(id);
    assert_int_equal(reset(NULL, 0, &f, &id, why), VCF_ADAPTER_OK);
    assert_true(f == 0x100000001ull);

    static const struct {
        vcf_adapter_param p;
        const char *words;
    } bad[] = {
        {{"features", "0x100000003"}, "bit 0 (F_NS)"}, {{"buf_size", "64"}, "buffer size is fixed"},
        {{"tx_bufs", "2"}, "256 tx buffers"},          {{"addr_first", "1024"}, NULL},
        {{"addr_last", "1027"}, "1024..2147483647"},   {{"order", "middle"}, "expected le or be"},
        {{"features", "lots"}, "expected a number"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = reset(&bad[i].p, 1, &f, &id, why);
        if (!bad[i].words) {
            assert_int_equal(rc, VCF_ADAPTER_OK); /* the default value itself */
            continue;
        }
        assert_int_equal(rc, VCF_ADAPTER_UNSUPPORTED);
        assert_non_null(strstr(why, bad[i].words));
    }
    vcf_adapter_param legacy_be[] = {{"features", "0x1"}, {"order", "be"}};
    assert_int_equal(reset(legacy_be, 2, &f, &id, why), VCF_ADAPTER_UNSUPPORTED);
    assert_non_null(strstr(why, "little-endian"));

    assert_int_equal(vcf_uml_check_reset(VCF_IUT_RPMSG_DEVICE, NULL, 0, &f, &id, why, sizeof why),
                     VCF_ADAPTER_UNSUPPORTED);
    assert_non_null(strstr(why, "rpmsg-device"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rx_record),
        cmocka_unit_test(rx_record_malformed),
        cmocka_unit_test(received_and_drops),
        cmocka_unit_test(trouble),
        cmocka_unit_test(ready),
        cmocka_unit_test(sanitize),
        cmocka_unit_test(options),
        cmocka_unit_test(reset_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
