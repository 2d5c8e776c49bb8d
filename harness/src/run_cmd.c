/* SPDX-License-Identifier: MIT */
/*
 * vconform run: replay the golden vectors against an implementation through an adapter and
 * report, case by case, whether it conforms.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters.h"
#include "capture.h"
#include "cli.h"
#include "report.h"
#include "run.h"
#include "suite.h"

#define EXIT_ERROR 2 /* usage, vector or adapter errors */

static const char usage_text[] =
    "usage: vconform run [options]\n"
    "\n"
    "Replay the golden vectors against an implementation and report conformance.\n"
    "\n"
    "  -a, --adapter SPEC    model[:fault=NAME,profile=NAME]  the reference model (default)\n"
    "                        so:PATH[,OPTIONS]   a shared object (run in a child process)\n"
    "                        exec:CMD            a child speaking the stdio adapter protocol\n"
    "                        linux-uml[:OPTIONS] Linux's RPMsg driver in User-Mode Linux\n"
    "                        (kernel=PATH,log=DIR,...; docs/adapters.md)\n"
    "  -V, --vectors PATH    a vector file or directory (repeatable; default: the installed\n"
    "                        golden vectors, or $VCONFORM_VECTORS)\n"
    "  -p, --proto NAME      rpmsg, virtio-msg or all (default all)\n"
    "  -r, --role ROLE       the implementation's role: driver, device, bus, or a full name\n"
    "                        such as virtio-msg-bus (repeatable; default every role)\n"
    "  -f, --filter GLOB     only cases whose ID or one of whose rule IDs matches (repeatable)\n"
    "  -s, --strict          SHOULD-level failures fail the run too\n"
    "  -R, --report FORMAT   human (default), tap, junit or json\n"
    "  -o, --output FILE     write the report to FILE instead of standard output\n"
    "      --json FILE       also write the JSON report to FILE\n"
    "      --junit FILE      also write the JUnit XML report to FILE\n"
    "      --tap FILE        also write the TAP report to FILE\n"
    "      --pcap FILE       write every injected and observed message to a capture\n"
    "                        (docs/capture-format.md)\n"
    "      --pcap-linktype T the capture's link type: upper-pdu (default: Wireshark's\n"
    "                        exported PDUs, dissected without setup) or user0..user15\n"
    "                        (LINKTYPE_USERn, no tags: map it to \"vconform\" in\n"
    "                        Wireshark's user_dlts table)\n"
    "  -t, --timeout SEC     how long an implementation may take per case (default 5)\n"
    "  -l, --list            list the selected cases and exit\n"
    "  -q, --quiet           no progress line\n"
    "      --stats           print cases, steps and their rates to standard error\n"
    "\n"
    "Exit status: 0 every required case passed, 1 a case failed (or, with --strict, a\n"
    "SHOULD-level case), 2 a usage, vector or adapter error.\n";

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "vconform run: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'vconform run --help'.\n");
    return EXIT_ERROR;
}

/* --list: ID, role, level, rules */
static int list_case(void *ctx, const vcf_vfile *f, const vcf_group *g, const vcf_case *c)
{
    (void)ctx;
    (void)g;
    printf("%-60s %-18s %-6s", c->id, vcf_iut_role_name(f->role), vcf_rule_level_name(c->level));
    for (size_t k = 0; k < c->n_rules; k++)
        printf("%s%s", k ? "," : " ", c->rules[k]);
    printf("\n");
    return 0;
}

typedef struct run_ctx {
    vcf_hadapter *had;
    const vcf_run_options *opt;
    vcf_capture_file *cap;
    bool iut_is_model;   /* emitted messages are SYNTHESIZED */
    vcf_report_run *run; /* results filled in order; n_results counts them */
    vcf_case_result *results;
    size_t total;
    bool quiet;
    const char *lost; /* the case after which the adapter could not be restarted */
} run_ctx;

/* Run one case (or skip it once the adapter is lost), capture it, show progress. */
static int run_one(void *ctx, const vcf_vfile *f, const vcf_group *g, const vcf_case *c)
{
    run_ctx *x = ctx;
    size_t i = x->run->n_results;
    vcf_case_result *r = &x->results[i];
    if (x->lost) {
        memset(r, 0, sizeof(*r));
        r->vcase = c;
        r->group = g;
        r->status = VCF_CASE_SKIPPED;
        size_t len = strlen(x->lost) + 80;
        r->message = malloc(len);
        if (r->message)
            snprintf(r->message, len, "not run: the adapter could not be restarted after case %s",
                     x->lost);
    } else {
        vcf_run_case(x->had, f, g, c, x->opt, r);
        if (r->adapter_lost)
            x->lost = c->id;
    }
    if (x->cap)
        (void)vcf_run_capture_case(x->cap, x->iut_is_model, f, i, r);
    x->run->n_results = i + 1;
    if (!x->quiet) {
        vcf_report_counts counts;
        vcf_report_count(x->run, &counts);
        vcf_report_progress(stderr, i + 1, x->total, &counts);
    }
    return 0;
}

static int write_report_file(const vcf_report_run *run, vcf_report_format fmt, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "vconform run: %s: cannot create the report\n", path);
        return -1;
    }
    int rc = vcf_report_write(run, fmt, f);
    if (fclose(f) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "vconform run: %s: writing the report failed\n", path);
    return rc;
}

int vcf_cli_run(int argc, char **argv)
{
    enum { OPT_JSON = 1000, OPT_JUNIT, OPT_TAP, OPT_PCAP, OPT_PCAP_LINKTYPE, OPT_STATS };
    static const struct option opts[] = {
        {"adapter", required_argument, NULL, 'a'},
        {"vectors", required_argument, NULL, 'V'},
        {"proto", required_argument, NULL, 'p'},
        {"role", required_argument, NULL, 'r'},
        {"filter", required_argument, NULL, 'f'},
        {"strict", no_argument, NULL, 's'},
        {"report", required_argument, NULL, 'R'},
        {"output", required_argument, NULL, 'o'},
        {"json", required_argument, NULL, OPT_JSON},
        {"junit", required_argument, NULL, OPT_JUNIT},
        {"tap", required_argument, NULL, OPT_TAP},
        {"pcap", required_argument, NULL, OPT_PCAP},
        {"pcap-linktype", required_argument, NULL, OPT_PCAP_LINKTYPE},
        {"timeout", required_argument, NULL, 't'},
        {"list", no_argument, NULL, 'l'},
        {"quiet", no_argument, NULL, 'q'},
        {"stats", no_argument, NULL, OPT_STATS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *adapter_spec = "model", *output = NULL, *json_path = NULL, *junit_path = NULL,
               *tap_path = NULL, *pcap_path = NULL;
    const char **vectors = calloc((size_t)argc + 1, sizeof(char *));
    const char **globs = calloc((size_t)argc + 1, sizeof(char *));
    const char **role_names = calloc((size_t)argc + 1, sizeof(char *));
    size_t n_vectors = 0, n_globs = 0, n_roles = 0;
    vcf_select sel = {NULL, 0, NULL, 0};
    vcf_report_format fmt = VCF_REPORT_HUMAN;
    bool strict = false, list = false, quiet = false, stats = false;
    double timeout = 5.0;
    int c, status = EXIT_ERROR;
    vcf_suite suite = {NULL, 0};
    vcf_hadapter had;
    bool had_open = false;
    vcf_case_result *results = NULL;
    size_t n_results = 0;
    vcf_capture_file *cap = NULL;
    uint32_t linktype = VCF_CAPTURE_LINKTYPE_UPPER_PDU;
    bool linktype_set = false;
    memset(&had, 0, sizeof(had));
    if (!vectors || !globs || !role_names) {
        fprintf(stderr, "vconform run: out of memory\n");
        goto out;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "a:V:p:r:f:sR:o:t:lqh", opts, NULL)) != -1) {
        switch (c) {
        case 'a': adapter_spec = optarg; break;
        case 'V': vectors[n_vectors++] = optarg; break;
        case 'p':
            if (strcmp(optarg, "rpmsg") != 0 && strcmp(optarg, "virtio-msg") != 0 &&
                strcmp(optarg, "all") != 0) {
                status = usage_error("unknown protocol '%s' (rpmsg, virtio-msg, all)", optarg);
                goto out;
            }
            sel.proto = optarg;
            break;
        case 'r': role_names[n_roles++] = optarg; break;
        case 'f': globs[n_globs++] = optarg; break;
        case 's': strict = true; break;
        case 'R':
            if (vcf_report_format_parse(optarg, &fmt) != 0) {
                status =
                    usage_error("unknown report format '%s' (human, tap, junit, json)", optarg);
                goto out;
            }
            break;
        case 'o': output = optarg; break;
        case OPT_JSON: json_path = optarg; break;
        case OPT_JUNIT: junit_path = optarg; break;
        case OPT_TAP: tap_path = optarg; break;
        case OPT_PCAP: pcap_path = optarg; break;
        case OPT_PCAP_LINKTYPE:
            if (vcf_capture_linktype_parse(optarg, &linktype) != 0) {
                status = usage_error("unknown capture link type '%s' (upper-pdu, user0 .. user15)",
                                     optarg);
                goto out;
            }
            linktype_set = true;
            break;
        case 't': {
            char *end = NULL;
            timeout = strtod(optarg, &end);
            if (!end || *end || !(timeout > 0) || timeout > 86400) {
                status =
                    usage_error("--timeout wants seconds (0 < SEC <= 86400), not '%s'", optarg);
                goto out;
            }
            break;
        }
        case 'l': list = true; break;
        case 'q': quiet = true; break;
        case OPT_STATS: stats = true; break;
        case 'h':
            fputs(usage_text, stdout);
            status = 0;
            goto out;
        default: status = usage_error("%s", "bad option"); goto out;
        }
    }
    if (optind < argc) {
        status = usage_error("unexpected argument '%s'", argv[optind]);
        goto out;
    }
    if (linktype_set && !pcap_path) {
        status = usage_error("%s", "--pcap-linktype needs --pcap FILE");
        goto out;
    }
    for (size_t i = 0; i < n_roles; i++) {
        if (vcf_select_role(sel.proto, role_names[i], &sel.roles) != 0) {
            status = usage_error("unknown role '%s' (driver, device, bus, or a full name such "
                                 "as rpmsg-driver)",
                                 role_names[i]);
            goto out;
        }
    }
    sel.globs = globs;
    sel.n_globs = n_globs;
    if (n_vectors == 0)
        vectors[n_vectors++] = vcf_vectors_dir();

    char err[2048];
    if (vcf_suite_load(&suite, vectors, n_vectors, err, sizeof(err)) != 0) {
        fprintf(stderr, "vconform run: %s\n", err);
        goto out;
    }
    size_t total = vcf_suite_count(&suite, &sel);
    if (list) {
        (void)vcf_suite_each(&suite, &sel, list_case, NULL);
        status = 0;
        goto out;
    }
    if (total == 0) {
        fprintf(stderr, "vconform run: no case matches the selection\n");
        goto out;
    }

    if (vcf_hadapter_open(adapter_spec, &had, err, sizeof(err)) != 0) {
        fprintf(stderr, "vconform run: adapter %s: %s\n", adapter_spec, err);
        goto out;
    }
    had_open = true;
    if (had.set_timeout)
        had.set_timeout(had.ad.ud, timeout);
    if (pcap_path) {
        vcf_capture_options copt;
        vcf_capture_options_init(&copt);
        copt.timestamps = VCF_CAPTURE_TS_LOGICAL;
        copt.linktype = linktype;
        cap = vcf_capture_open(pcap_path, &copt, err, sizeof(err));
        if (!cap) {
            fprintf(stderr, "vconform run: %s: %s\n", pcap_path, err);
            goto out;
        }
    }

    results = calloc(total, sizeof(*results));
    if (!results) {
        fprintf(stderr, "vconform run: out of memory\n");
        goto out;
    }
    vcf_run_options ropt = {timeout, pcap_path != NULL};
    const vcf_vfile **files = calloc(suite.n_files + 1, sizeof(*files));
    for (size_t fi = 0; files && fi < suite.n_files; fi++)
        files[fi] = &suite.files[fi];
    vcf_report_run run = {.tool_version = VCF_VERSION,
                          .adapter_spec = adapter_spec,
                          .adapter_name = had.ad.name,
                          .adapter_version = had.ad.version,
                          .strict = strict,
                          .files = files,
                          .n_files = suite.n_files,
                          .results = results,
                          .n_results = 0,
                          .seconds = 0.0,
                          .colour = VCF_COLOUR_AUTO};
    double t0 = vcf_run_clock();
    const bool iut_is_model = strncmp(adapter_spec, "model", 5) == 0 &&
                              (adapter_spec[5] == '\0' || adapter_spec[5] == ':');
    run_ctx rc = {&had, &ropt, cap, iut_is_model, &run, results, total, quiet, NULL};
    (void)vcf_suite_each(&suite, &sel, run_one, &rc);
    n_results = run.n_results;
    run.seconds = vcf_run_clock() - t0;
    if (stats) {
        size_t steps = 0;
        for (size_t i = 0; i < n_results; i++)
            steps += results[i].steps_run;
        double secs = run.seconds > 0 ? run.seconds : 1e-9;
        fprintf(stderr,
                "vconform run: %zu cases, %zu steps in %.3f s through %s: %.0f cases/s, "
                "%.0f steps/s\n",
                n_results, steps, run.seconds, adapter_spec, (double)n_results / secs,
                (double)steps / secs);
    }

    int wrc = 0;
    if (output) {
        wrc |= write_report_file(&run, fmt, output);
    } else {
        wrc |= vcf_report_write(&run, fmt, stdout);
        fflush(stdout);
    }
    if (json_path)
        wrc |= write_report_file(&run, VCF_REPORT_JSON, json_path);
    if (junit_path)
        wrc |= write_report_file(&run, VCF_REPORT_JUNIT, junit_path);
    if (tap_path)
        wrc |= write_report_file(&run, VCF_REPORT_TAP, tap_path);
    status = wrc != 0 ? EXIT_ERROR : vcf_report_exit_status(&run, strict);
    free(files);

out:
    if (cap && vcf_capture_close(cap, err, sizeof(err)) != 0) {
        fprintf(stderr, "vconform run: %s: %s\n", pcap_path, err);
        status = EXIT_ERROR;
    }
    for (size_t i = 0; i < n_results; i++)
        vcf_case_result_free(&results[i]);
    free(results);
    if (had_open)
        vcf_hadapter_close(&had);
    vcf_suite_free(&suite);
    free(vectors);
    free(globs);
    free(role_names);
    return status;
}
