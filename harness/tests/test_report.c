/* SPDX-License-Identifier: MIT */
/*
 * The report writers, given a hand-built run with one case of every status: JSON parsed back,
 * JUnit checked for structure, counts and escaping (and for well-formedness by a small
 * checker), TAP lines, the human report, exit statuses and the rule areas.
 */
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "report.h"

/* ---- a hand-built run ---------------------------------------------------------------------- */

static char *rules_hdr[] = {"RPMSG-HDR-08", "RPMSG-HDR-09"};
static char *rules_ns[] = {"RPMSG-NS-04"};
static char *rules_feat[] = {"VMSG-FEAT-03"};
static char *rules_cfg[] = {"VMSG-CFG-01"};
static char *rules_bus[] = {"VMSG-BUS-02"};

/* 1024 -> 1025, len 5, "hello" */
static uint8_t hello[] = {0x00, 0x04, 0x00, 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
                          0x00, 0x05, 0x00, 0x00, 0x00, 'h',  'e',  'l',  'l',  'o'};

static vcf_step rp_steps[1];
static vcf_case rp_cases[2];
static vcf_adapter_param rp_params[] = {{"buf_size", "512"}};
static vcf_group rp_group;
static vcf_vfile rp_file;

static vcf_step vm_steps[1];
static vcf_case vm_cases[3];
static vcf_group vm_group;
static vcf_vfile vm_file;

static const vcf_vfile *files[2];
static vcf_case_result results[5];

#define FAIL_MESSAGE                                                                               \
    "expected: 1024->53 len 40 NS create \"a<b>&c\" addr 1024\n"                                   \
    "observed: silence 'quoted' \x01 bell"

static void build(void)
{
    memset(rp_steps, 0, sizeof rp_steps);
    rp_steps[0].kind = VCF_STEP_INJECT;
    rp_steps[0].channel = 1;
    rp_steps[0].bytes.data = hello;
    rp_steps[0].bytes.len = sizeof hello;

    memset(rp_cases, 0, sizeof rp_cases);
    rp_cases[0].id = "rpmsg-drv-ns-create-basic";
    rp_cases[0].rules = rules_ns;
    rp_cases[0].n_rules = 1;
    rp_cases[0].description = "an NS create is announced";
    rp_cases[0].level = VCF_LEVEL_MUST;
    rp_cases[1].id = "rpmsg-drv-hdr-len-over";
    rp_cases[1].rules = rules_hdr;
    rp_cases[1].n_rules = 2;
    rp_cases[1].description = "a frame whose len runs past the buffer is dropped";
    rp_cases[1].level = VCF_LEVEL_MUST;
    rp_cases[1].steps = rp_steps;
    rp_cases[1].n_steps = 1;
    rp_cases[1].line = 42;
    memset(&rp_group, 0, sizeof rp_group);
    rp_group.params = rp_params;
    rp_group.n_params = 1;
    rp_group.cases = rp_cases;
    rp_group.n_cases = 2;
    memset(&rp_file, 0, sizeof rp_file);
    rp_file.path = "vectors/rpmsg-driver.json";
    rp_file.role = VCF_IUT_RPMSG_DRIVER;
    rp_file.groups = &rp_group;
    rp_file.n_groups = 1;

    memset(vm_steps, 0, sizeof vm_steps);
    vm_steps[0].kind = VCF_STEP_ACTION;
    vm_steps[0].action = VCF_ACT_VMSG_CONFIG_READ;
    vm_steps[0].args[0] = 8;
    vm_steps[0].args[1] = 4;
    memset(vm_cases, 0, sizeof vm_cases);
    vm_cases[0].id = "vmsg-drv-feat-subset";
    vm_cases[0].rules = rules_feat;
    vm_cases[0].n_rules = 1;
    vm_cases[0].description = "the driver should accept only offered features";
    vm_cases[0].level = VCF_LEVEL_SHOULD;
    vm_cases[0].steps = vm_steps;
    vm_cases[0].n_steps = 1;
    vm_cases[1].id = "vmsg-drv-config-read";
    vm_cases[1].rules = rules_cfg;
    vm_cases[1].n_rules = 1;
    vm_cases[1].level = VCF_LEVEL_MUST;
    vm_cases[2].id = "vmsg-drv-bus-ping";
    vm_cases[2].rules = rules_bus;
    vm_cases[2].n_rules = 1;
    vm_cases[2].level = VCF_LEVEL_MUST;
    memset(&vm_group, 0, sizeof vm_group);
    vm_group.cases = vm_cases;
    vm_group.n_cases = 3;
    memset(&vm_file, 0, sizeof vm_file);
    vm_file.path = "vectors/virtio-msg-driver.json";
    vm_file.role = VCF_IUT_VMSG_DRIVER;
    vm_file.groups = &vm_group;
    vm_file.n_groups = 1;

    files[0] = &rp_file;
    files[1] = &vm_file;

    memset(results, 0, sizeof results);
    results[0] = (vcf_case_result){.vcase = &rp_cases[0],
                                   .group = &rp_group,
                                   .status = VCF_CASE_PASS,
                                   .seconds = 0.001,
                                   .steps_run = 2};
    results[1] = (vcf_case_result){.vcase = &rp_cases[1],
                                   .group = &rp_group,
                                   .status = VCF_CASE_FAIL,
                                   .message = FAIL_MESSAGE,
                                   .failed_step = 0,
                                   .seconds = 0.002,
                                   .steps_run = 1};
    results[2] = (vcf_case_result){.vcase = &vm_cases[0],
                                   .group = &vm_group,
                                   .status = VCF_CASE_NON_STRICT,
                                   .message = "expected: config-read offset=8 length=4\n"
                                              "observed: nothing",
                                   .failed_step = 0,
                                   .seconds = 0.0005,
                                   .steps_run = 1};
    results[3] = (vcf_case_result){.vcase = &vm_cases[1],
                                   .group = &vm_group,
                                   .status = VCF_CASE_UNSUPPORTED,
                                   .message = "action config-read: unsupported by the adapter"};
    results[4] = (vcf_case_result){.vcase = &vm_cases[2],
                                   .group = &vm_group,
                                   .status = VCF_CASE_SKIPPED,
                                   .message = "the adapter could not be started again"};
}

static vcf_report_run make_run(size_t n, bool strict)
{
    build();
    vcf_report_run run;
    memset(&run, 0, sizeof run);
    run.tool_version = "0.1.0";
    run.adapter_spec = "model";
    run.adapter_name = "vconform-model";
    run.adapter_version = "0.1.0";
    run.strict = strict;
    run.files = files;
    run.n_files = 2;
    run.results = results;
    run.n_results = n;
    run.seconds = 0.25;
    run.colour = VCF_COLOUR_NEVER;
    return run;
}

/* Render with a writer into a malloc'd string. */
static char *render(const vcf_report_run *run, vcf_report_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(vcf_report_write(run, fmt, f), 0);
    assert_int_equal(fclose(f), 0);
    assert_non_null(buf);
    return buf;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* ---- counts and exit status ---------------------------------------------------------------- */

static void test_counts_exit(void **state)
{
    (void)state;
    vcf_report_run run = make_run(5, false);
    vcf_report_counts c;
    vcf_report_count(&run, &c);
    assert_int_equal(c.total, 5);
    assert_int_equal(c.passed, 1);
    assert_int_equal(c.failed, 1);
    assert_int_equal(c.non_strict, 1);
    assert_int_equal(c.unsupported, 1);
    assert_int_equal(c.skipped, 1);
    assert_int_equal(vcf_report_exit_status(&run, false), 1);
    assert_int_equal(vcf_report_exit_status(&run, true), 1);

    /* no failure: non-strict fails the run only with strict */
    results[1].status = VCF_CASE_PASS;
    assert_int_equal(vcf_report_exit_status(&run, false), 0);
    assert_int_equal(vcf_report_exit_status(&run, true), 1);
    /* unsupported and skipped never change it */
    results[2].status = VCF_CASE_PASS;
    assert_int_equal(vcf_report_exit_status(&run, false), 0);
    assert_int_equal(vcf_report_exit_status(&run, true), 0);
    /* an empty run passes */
    run.n_results = 0;
    assert_int_equal(vcf_report_exit_status(&run, true), 0);
}

static void test_rule_area(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(vcf_report_rule_area("RPMSG-NS-04", b, sizeof b), "rpmsg.NS");
    assert_string_equal(vcf_report_rule_area("VMSG-FEAT-03", b, sizeof b), "virtio-msg.FEAT");
    assert_string_equal(vcf_report_rule_area("VMSG-BUS-GETDEV-12", b, sizeof b),
                        "virtio-msg.BUS-GETDEV");
    assert_string_equal(vcf_report_rule_area("FOO-BAR-1", b, sizeof b), "foo.BAR");
    assert_string_equal(vcf_report_rule_area("PLAIN", b, sizeof b), "PLAIN");
    assert_string_equal(vcf_report_rule_area("A-1", b, sizeof b), "A-1");
    assert_string_equal(vcf_report_rule_area("RPMSG-NS-", b, sizeof b), "RPMSG-NS-");
    assert_string_equal(vcf_report_rule_area("RPMSG-NS-04", b, 6), "rpmsg");
    assert_string_equal(vcf_report_rule_area(NULL, b, sizeof b), "");
}

static void test_formats(void **state)
{
    (void)state;
    vcf_report_format f;
    assert_int_equal(vcf_report_format_parse("junit", &f), 0);
    assert_int_equal(f, VCF_REPORT_JUNIT);
    assert_int_equal(vcf_report_format_parse("tap", &f), 0);
    assert_int_equal(f, VCF_REPORT_TAP);
    assert_int_equal(vcf_report_format_parse("xml", &f), -1);
    assert_string_equal(vcf_report_format_name(VCF_REPORT_JSON), "json");
    assert_string_equal(vcf_case_status_name(VCF_CASE_NON_STRICT), "non_strict");
}

/* ---- JSON --------------------------------------------------------------------------------- */

static void test_json(void **state)
{
    (void)state;
    vcf_report_run run = make_run(5, false);
    char *text = render(&run, VCF_REPORT_JSON);
    json_error_t err;
    json_t *root = json_loads(text, 0, &err);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "tool")), "vconform");
    assert_string_equal(json_string_value(json_object_get(root, "version")), "0.1.0");
    assert_string_equal(json_string_value(json_object_get(root, "adapter")), "model");
    json_t *sum = json_object_get(root, "summary");
    static const struct {
        const char *key;
        json_int_t n;
    } want[] = {{"total", 5},   {"passed", 1},      {"failed", 1},
                {"skipped", 1}, {"unsupported", 1}, {"non_strict", 1}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        json_t *v = json_object_get(sum, want[i].key);
        assert_true(json_is_integer(v));
        assert_int_equal(json_integer_value(v), want[i].n);
    }
    json_t *cases = json_object_get(root, "cases");
    assert_int_equal(json_array_size(cases), 5);
    static const char *const results_want[] = {"pass", "fail", "non_strict", "unsupported",
                                               "skipped"};
    for (size_t i = 0; i < 5; i++) {
        json_t *c = json_array_get(cases, i);
        assert_true(json_is_string(json_object_get(c, "id")));
        assert_true(json_is_array(json_object_get(c, "rules")));
        assert_non_null(json_object_get(c, "message"));
        assert_string_equal(json_string_value(json_object_get(c, "result")), results_want[i]);
    }
    json_t *c1 = json_array_get(cases, 1);
    assert_string_equal(json_string_value(json_object_get(c1, "id")), "rpmsg-drv-hdr-len-over");
    assert_int_equal(json_array_size(json_object_get(c1, "rules")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(c1, "rules"), 1)),
                        "RPMSG-HDR-09");
    assert_string_equal(json_string_value(json_object_get(c1, "message")), FAIL_MESSAGE);
    assert_string_equal(json_string_value(json_object_get(c1, "role")), "rpmsg-driver");
    assert_string_equal(json_string_value(json_object_get(c1, "level")), "MUST");
    assert_int_equal(json_integer_value(json_object_get(c1, "failed_step")), 0);
    assert_int_equal(json_integer_value(json_object_get(c1, "line")), 42);
    assert_true(json_is_null(json_object_get(json_array_get(cases, 0), "message")));
    assert_null(json_object_get(json_array_get(cases, 0), "failed_step"));
    assert_string_equal(json_string_value(json_object_get(json_array_get(cases, 2), "role")),
                        "virtio-msg-driver");
    assert_int_equal(json_integer_value(json_object_get(root, "exit_status")), 1);
    assert_int_equal(json_array_size(json_object_get(root, "vectors")), 2);
    json_decref(root);
    free(text);

    /* a message that is not UTF-8 is still carried */
    run = make_run(5, false);
    results[1].message = "bad \xff\xfe byte";
    text = render(&run, VCF_REPORT_JSON);
    root = json_loads(text, 0, &err);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(root, "cases"), 1), "message")),
                        "bad \\xff\\xfe byte");
    json_decref(root);
    free(text);
}

/* ---- JUnit -------------------------------------------------------------------------------- */

/* A small XML well-formedness check: tags nest and match, attribute values are quoted,
 * '<' never appears in text or values, '&' only starts an entity, no control bytes. */
static void assert_well_formed(const char *x)
{
    const char *stack[64];
    size_t depth = 0;
    const char *p = x;
    assert_true(strncmp(p, "<?xml ", 6) == 0);
    p = strstr(p, "?>");
    assert_non_null(p);
    p += 2;
    size_t roots = 0;
    while (*p) {
        unsigned char ch = (unsigned char)*p;
        assert_true(ch >= 0x20 || ch == '\n' || ch == '\t' || ch == '\r');
        if (ch == '&') {
            const char *semi = strchr(p, ';');
            assert_non_null(semi);
            assert_true(strncmp(p, "&amp;", 5) == 0 || strncmp(p, "&lt;", 4) == 0 ||
                        strncmp(p, "&gt;", 4) == 0 || strncmp(p, "&quot;", 6) == 0 ||
                        strncmp(p, "&apos;", 6) == 0 || p[1] == '#');
            p = semi + 1;
            continue;
        }
        if (ch != '<') {
            if (depth == 0)
                assert_true(ch == '\n' || ch == ' ');
            p++;
            continue;
        }
        bool closing = p[1] == '/';
        const char *name = p + (closing ? 2 : 1);
        size_t nlen = strcspn(name, " />\n");
        assert_true(nlen > 0);
        const char *q = name + nlen;
        /* attributes */
        while (*q && *q != '>' && !(q[0] == '/' && q[1] == '>')) {
            if (*q == ' ' || *q == '\n') {
                q++;
                continue;
            }
            assert_false(closing);
            size_t an = strcspn(q, "=");
            q += an;
            assert_true(*q == '=');
            assert_true(q[1] == '"');
            q += 2;
            while (*q != '"') {
                assert_true(*q != '\0' && *q != '<' && (unsigned char)*q >= 0x20);
                if (*q == '&')
                    assert_true(strncmp(q, "&amp;", 5) == 0 || strncmp(q, "&lt;", 4) == 0 ||
                                strncmp(q, "&gt;", 4) == 0 || strncmp(q, "&quot;", 6) == 0 ||
                                strncmp(q, "&apos;", 6) == 0 || q[1] == '#');
                q++;
            }
            q++;
        }
        assert_true(*q != '\0');
        bool self = q[0] == '/';
        if (closing) {
            assert_true(depth > 0);
            depth--;
            assert_true(strncmp(stack[depth], name, nlen) == 0 &&
                        strcspn(stack[depth], " />\n") == nlen);
        } else if (!self) {
            if (depth == 0)
                roots++;
            assert_true(depth < 64);
            stack[depth++] = name;
        }
        p = q + (self ? 2 : 1);
    }
    assert_int_equal(depth, 0);
    assert_int_equal(roots, 1);
}

static void test_junit(void **state)
{
    (void)state;
    vcf_report_run run = make_run(5, false);
    char *x = render(&run, VCF_REPORT_JUNIT);
    assert_well_formed(x);
    assert_non_null(strstr(x, "<testsuites name=\"vconform\" tests=\"5\" failures=\"1\" "
                              "errors=\"0\" skipped=\"2\""));
    /* suites by the area of the first rule, in order of first appearance */
    const char *ns = strstr(x, "<testsuite name=\"rpmsg.NS\" tests=\"1\" failures=\"0\" "
                               "errors=\"0\" skipped=\"0\"");
    const char *hdr = strstr(x, "<testsuite name=\"rpmsg.HDR\" tests=\"1\" failures=\"1\" "
                                "errors=\"0\" skipped=\"0\"");
    const char *feat = strstr(x, "<testsuite name=\"virtio-msg.FEAT\" tests=\"1\" failures=\"0\"");
    assert_non_null(ns);
    assert_non_null(hdr);
    assert_non_null(feat);
    assert_true(ns < hdr && hdr < feat);
    assert_non_null(strstr(x, "<testsuite name=\"virtio-msg.CFG\" tests=\"1\" failures=\"0\" "
                              "errors=\"0\" skipped=\"1\""));
    assert_int_equal(count(x, "<testsuite "), 5);
    assert_int_equal(count(x, "</testsuite>"), 5);
    assert_int_equal(count(x, "<testcase "), 5);
    assert_non_null(strstr(x, "<testcase name=\"rpmsg-drv-ns-create-basic\" "
                              "classname=\"rpmsg-driver\" time=\"0.001000\" "
                              "file=\"vectors/rpmsg-driver.json\"/>"));
    assert_non_null(strstr(x, "classname=\"virtio-msg-driver\""));
    /* the failure: escaped first line as message, expected and observed in the body */
    assert_non_null(
        strstr(x, "<failure message=\"expected: 1024-&gt;53 len 40 NS create "
                  "&quot;a&lt;b&gt;&amp;c&quot; addr 1024\" type=\"fail\">rules: RPMSG-HDR-08, "
                  "RPMSG-HDR-09 (MUST)\n"));
    assert_non_null(strstr(x, "step 1 of 1: inject on vq1: 1024-&gt;1025 len 5 payload "
                              "68656c6c6f\n"));
    assert_non_null(strstr(x, "observed: silence 'quoted' \\x01 bell</failure>"));
    /* non-strict without --strict: reported, not a failure */
    assert_non_null(strstr(x, "<system-out>non-strict (SHOULD-level case failed"));
    assert_int_equal(count(x, "<failure "), 1);
    assert_non_null(strstr(x,
                           "<skipped message=\"unsupported: action config-read: unsupported by the "
                           "adapter\"/>"));
    assert_non_null(
        strstr(x, "<skipped message=\"skipped: the adapter could not be started again\"/>"));
    free(x);

    /* with --strict the non-strict case is a failure */
    run = make_run(5, true);
    x = render(&run, VCF_REPORT_JUNIT);
    assert_well_formed(x);
    assert_int_equal(count(x, "<failure "), 2);
    assert_non_null(strstr(x, "type=\"non_strict\""));
    assert_null(strstr(x, "<system-out>"));
    assert_non_null(strstr(x, "<testsuites name=\"vconform\" tests=\"5\" failures=\"2\""));
    free(x);

    /* every awkward byte in attributes and text */
    run = make_run(5, false);
    rp_cases[0].id = "id<&>\"'\x02\t\n";
    results[1].message = "a\x01\x1f<&>\"'\r\n\xc3\xa9\xff end";
    x = render(&run, VCF_REPORT_JUNIT);
    assert_well_formed(x);
    assert_non_null(strstr(x, "name=\"id&lt;&amp;&gt;&quot;&apos;\\x02&#9;&#10;\""));
    assert_non_null(strstr(x, "a\\x01\\x1f&lt;&amp;&gt;\"'&#13;\n\xc3\xa9\\xff end</failure>"));
    free(x);
}

/* ---- TAP ---------------------------------------------------------------------------------- */

static void test_tap(void **state)
{
    (void)state;
    vcf_report_run run = make_run(5, false);
    char *t = render(&run, VCF_REPORT_TAP);
    assert_true(strncmp(t, "TAP version 13\n1..5\n", 20) == 0);
    assert_non_null(strstr(t, "\nok 1 - rpmsg-drv-ns-create-basic\n"));
    assert_non_null(strstr(t, "\nnot ok 2 - rpmsg-drv-hdr-len-over\n  ---\n"
                              "  message: \"expected: 1024->53 len 40 NS create \\\"a<b>&c\\\" "
                              "addr 1024\\nobserved: silence 'quoted' \\x01 bell\"\n"));
    assert_non_null(strstr(t, "  rules: [\"RPMSG-HDR-08\", \"RPMSG-HDR-09\"]\n  level: MUST\n"));
    assert_non_null(strstr(t, "  step: 1\n  file: \"vectors/rpmsg-driver.json\"\n  line: 42\n"
                              "  ...\n"));
    assert_non_null(strstr(t, "\nnot ok 3 - vmsg-drv-feat-subset # TODO non-strict: expected: "
                              "config-read offset=8 length=4\n"));
    assert_non_null(strstr(t, "\nok 4 - vmsg-drv-config-read # SKIP unsupported: action "
                              "config-read: unsupported by the adapter\n"));
    assert_non_null(strstr(t, "\nok 5 - vmsg-drv-bus-ping # SKIP skipped: the adapter could "
                              "not be started again\n"));
    /* the control byte makes the literal block impossible: a quoted scalar instead */
    assert_null(strstr(t, "\x01"));
    free(t);

    run = make_run(5, true);
    results[1].message = "plain message";
    t = render(&run, VCF_REPORT_TAP);
    assert_non_null(strstr(t, "\nnot ok 3 - vmsg-drv-feat-subset\n  ---\n"));
    assert_null(strstr(t, "# TODO"));
    assert_non_null(strstr(t, "  message: |-\n    plain message\n"));
    free(t);

    run = make_run(5, false);
    results[1].message = "line one\n bad\x01 #";
    rp_cases[1].id = "odd#id";
    t = render(&run, VCF_REPORT_TAP);
    assert_non_null(strstr(t, "\nnot ok 2 - odd\\#id\n"));
    assert_non_null(strstr(t, "  message: \"line one\\n bad\\x01 #\"\n"));
    free(t);
}

/* ---- human -------------------------------------------------------------------------------- */

static void test_human(void **state)
{
    (void)state;
    vcf_report_run run = make_run(5, false);
    char *h = render(&run, VCF_REPORT_HUMAN);
    assert_non_null(strstr(h, "vconform 0.1.0 conformance run\n"));
    assert_non_null(strstr(h, "  adapter  model (vconform-model 0.1.0)\n"));
    assert_non_null(strstr(h, "  roles    rpmsg-driver, virtio-msg-driver\n"));
    assert_non_null(strstr(h, "  vectors  vectors/rpmsg-driver.json (2 cases)\n"));
    assert_non_null(strstr(h, "FAIL rpmsg-drv-hdr-len-over (rpmsg-driver, MUST) RPMSG-HDR-08, "
                              "RPMSG-HDR-09\n    vectors/rpmsg-driver.json:42\n"
                              "    a frame whose len runs past the buffer is dropped\n"
                              "    step 1 of 1: inject on vq1: 1024->1025 len 5 payload "
                              "68656c6c6f\n      expected: 1024->53"));
    assert_non_null(strstr(h, "NON-STRICT vmsg-drv-feat-subset (virtio-msg-driver, SHOULD) "
                              "VMSG-FEAT-03\n"));
    assert_non_null(strstr(h, "    step 1 of 1: action config-read offset=8 length=4\n"));
    assert_non_null(strstr(h, "unsupported (1):\n  vmsg-drv-config-read: action config-read: "
                              "unsupported by the adapter\n"));
    assert_non_null(strstr(h, "skipped (1):\n  vmsg-drv-bus-ping: "));
    assert_non_null(strstr(h, "5 cases in 0.25 s: 1 passed, 1 failed, 1 non-strict, "
                              "1 unsupported, 1 skipped\nFAIL: 1 failed\n"));
    assert_null(strstr(h, "ok rpmsg-drv-ns-create-basic")); /* passes are not listed */
    assert_null(strstr(h, "rpmsg-drv-ns-create-basic"));
    assert_null(strstr(h, "\033"));
    assert_non_null(strstr(h, "      observed: silence 'quoted' \\x01 bell\n"));
    /* the per-role table: only roles that ran, with their counts */
    assert_non_null(strstr(h, "role                  cases passed failed non-strict "
                              "unsupported skipped\nrpmsg-driver  "));
    assert_null(strstr(h, "\nvirtio-msg-bus "));
    free(h);

    /* a message that names the failing step itself is not preceded by a second step line */
    run = make_run(5, false);
    results[1].message = "step 1: inject vq1 1024->1025 len 5\n  observed: nothing";
    h = render(&run, VCF_REPORT_HUMAN);
    assert_non_null(strstr(h, "is dropped\n      step 1: inject vq1 1024->1025 len 5\n"
                              "        observed: nothing\n"));
    assert_null(strstr(h, "step 1 of 1: inject"));
    free(h);

    /* a passing run, with colour forced */
    run = make_run(1, false);
    run.colour = VCF_COLOUR_ALWAYS;
    h = render(&run, VCF_REPORT_HUMAN);
    assert_non_null(strstr(h, "PASS\033[0m: 1 of 1 required cases passed\n"));
    assert_non_null(strstr(h, "\033[1;32m"));
    free(h);

    /* non-strict only: passes by default, fails with strict */
    run = make_run(3, false);
    results[1].status = VCF_CASE_PASS;
    h = render(&run, VCF_REPORT_HUMAN);
    assert_non_null(strstr(h, "PASS: 2 of 2 required cases passed; 1 non-strict\n"));
    free(h);
    run = make_run(3, true);
    results[1].status = VCF_CASE_PASS;
    h = render(&run, VCF_REPORT_HUMAN);
    assert_non_null(strstr(h, "FAIL: 1 failed (1 non-strict, counted with --strict)\n"));
    free(h);
}

static void test_colour_and_progress(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    /* not a terminal: no colour in auto mode, no progress line */
    assert_false(vcf_report_colour_enabled(f, VCF_COLOUR_AUTO));
    assert_false(vcf_report_colour_enabled(f, VCF_COLOUR_NEVER));
    assert_true(vcf_report_colour_enabled(f, VCF_COLOUR_ALWAYS));
    vcf_report_counts c = {10, 8, 1, 0, 1, 0};
    vcf_report_progress(f, 5, 10, &c);
    vcf_report_progress(f, 10, 10, NULL);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(len, 0);
    free(buf);
}

/* On a terminal (a pseudo-terminal here): the line is rewritten with \r and erased at the end;
 * colour follows NO_COLOR. */
static void test_progress_tty(void **state)
{
    (void)state;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        if (master >= 0)
            close(master);
        skip(); /* no pseudo-terminals in this environment */
    }
    const char *name = ptsname(master);
    assert_non_null(name);
    FILE *tty = fopen(name, "w");
    assert_non_null(tty);
    struct termios tio;
    assert_int_equal(tcgetattr(fileno(tty), &tio), 0);
    cfmakeraw(&tio);
    assert_int_equal(tcsetattr(fileno(tty), TCSANOW, &tio), 0);

    unsetenv("NO_COLOR");
    assert_true(vcf_report_colour_enabled(tty, VCF_COLOUR_AUTO));
    assert_false(vcf_report_colour_enabled(tty, VCF_COLOUR_NEVER));
    setenv("NO_COLOR", "1", 1);
    assert_false(vcf_report_colour_enabled(tty, VCF_COLOUR_AUTO));
    setenv("NO_COLOR", "", 1); /* empty: as if unset */
    assert_true(vcf_report_colour_enabled(tty, VCF_COLOUR_AUTO));
    unsetenv("NO_COLOR");

    vcf_report_counts c = {412, 118, 2, 0, 1, 3};
    vcf_report_progress(tty, 121, 412, &c);
    vcf_report_progress(tty, 412, 412, &c);
    /* the pseudo-terminal may hand the bytes over in pieces: read until the expected
     * length, or until nothing more comes (poll's limit only guards against a hang) */
    static const char want[] = "\r[121/412] 118 passed, 2 failed, 3 non-strict, 1 unsupported"
                               "\033[K\r\033[K";
    char got[256];
    size_t have = 0;
    while (have < sizeof want - 1) {
        struct pollfd pfd = {master, POLLIN, 0};
        if (poll(&pfd, 1, 10000) != 1)
            break;
        ssize_t n = read(master, got + have, sizeof got - 1 - have);
        if (n <= 0)
            break;
        have += (size_t)n;
    }
    got[have] = '\0';
    assert_string_equal(got, want);
    fclose(tty);
    close(master);
}

static void test_write_error(void **state)
{
    (void)state;
    vcf_report_run run = make_run(5, false);
    FILE *f = fopen("/dev/null", "r"); /* every write fails */
    assert_non_null(f);
    assert_int_equal(vcf_report_json(&run, f), -1);
    clearerr(f);
    assert_int_equal(vcf_report_tap(&run, f), -1);
    clearerr(f);
    assert_int_equal(vcf_report_junit(&run, f), -1);
    clearerr(f);
    assert_int_equal(vcf_report_human(&run, f), -1);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_exit),  cmocka_unit_test(test_rule_area),
        cmocka_unit_test(test_formats),      cmocka_unit_test(test_json),
        cmocka_unit_test(test_junit),        cmocka_unit_test(test_tap),
        cmocka_unit_test(test_human),        cmocka_unit_test(test_colour_and_progress),
        cmocka_unit_test(test_progress_tty), cmocka_unit_test(test_write_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
