/* SPDX-License-Identifier: MIT */
/*
 * vconform mutants: does the suite catch bugs? Runs the golden vectors against the model
 * adapter with each injected fault class (docs/faults.md) and reports, per fault, whether some
 * case failed ("killed", with the cases that caught it) or none did ("survived").
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "adapters.h"
#include "cli.h"
#include "run.h"
#include "suite.h"

#define SHOW_KILLERS 5 /* cases named per fault in the text output */

static const char usage_text[] =
    "usage: vconform mutants [options]\n"
    "\n"
    "Run the golden vectors against the model adapter once per injected fault class and\n"
    "report which faults the suite catches (killed) and which it misses (survived).\n"
    "\n"
    "  -V, --vectors PATH   a vector file or directory (repeatable; default: the golden set)\n"
    "  -F, --fault NAME     only this fault (repeatable; default every fault)\n"
    "  -j, --json           print a JSON report instead of text\n"
    "  -l, --list           list the fault classes and exit\n"
    "\n"
    "A fault is run only against the vectors of the roles it affects. The fault-free model\n"
    "must pass every case first.\n"
    "\n"
    "Exit status: 0 every fault killed, 1 a fault survived, 2 a usage or vector error or a\n"
    "suite the fault-free model does not pass.\n";

typedef struct tally {
    size_t cases, failed;
    const char **killers;
    size_t n_killers;
} tally;

typedef struct mut_ctx {
    vcf_hadapter *had;
    tally *t;
} mut_ctx;

static int run_one(void *ctx, const vcf_vfile *f, const vcf_group *g, const vcf_case *c)
{
    mut_ctx *x = ctx;
    vcf_run_options opt = {5.0, false};
    vcf_case_result r;
    vcf_run_case(x->had, f, g, c, &opt, &r);
    x->t->cases++;
    if (r.status == VCF_CASE_FAIL || r.status == VCF_CASE_NON_STRICT) {
        x->t->failed++;
        const char **k = realloc(x->t->killers, (x->t->n_killers + 1) * sizeof(*k));
        if (k) {
            x->t->killers = k;
            x->t->killers[x->t->n_killers++] = c->id;
        }
    }
    vcf_case_result_free(&r);
    return 0;
}

/* Run every case of the roles in mask; count failures. */
static int run_all(const vcf_suite *s, const char *spec, uint32_t mask, tally *t, char *err,
                   size_t err_len)
{
    vcf_hadapter had;
    if (vcf_hadapter_open(spec, &had, err, err_len) != 0)
        return -1;
    vcf_select sel = {NULL, mask, NULL, 0};
    mut_ctx x = {&had, t};
    (void)vcf_suite_each(s, &sel, run_one, &x);
    vcf_hadapter_close(&had);
    return 0;
}

int vcf_cli_mutants(int argc, char **argv)
{
    static const struct option opts[] = {
        {"vectors", required_argument, NULL, 'V'}, {"fault", required_argument, NULL, 'F'},
        {"json", no_argument, NULL, 'j'},          {"list", no_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char **vectors = calloc((size_t)argc + 1, sizeof(char *));
    const char **only = calloc((size_t)argc + 1, sizeof(char *));
    size_t n_vectors = 0, n_only = 0;
    bool json = false, list = false;
    int c, status = 2;
    vcf_suite suite = {NULL, 0};
    json_t *root = NULL;
    if (!vectors || !only)
        goto out;
    optind = 1;
    while ((c = getopt_long(argc, argv, "V:F:jlh", opts, NULL)) != -1) {
        switch (c) {
        case 'V': vectors[n_vectors++] = optarg; break;
        case 'F': only[n_only++] = optarg; break;
        case 'j': json = true; break;
        case 'l': list = true; break;
        case 'h':
            fputs(usage_text, stdout);
            status = 0;
            goto out;
        default: fprintf(stderr, "Try 'vconform mutants --help'.\n"); goto out;
        }
    }
    const vcf_fault_info *faults = vcf_model_faults();
    if (list) {
        for (const vcf_fault_info *f = faults; f->name; f++) {
            printf("%-40s", f->name);
            for (uint32_t r = 1; r < VCF_IUT_ROLE_COUNT; r++)
                if (f->roles & VCF_IUT_ROLE_BIT(r))
                    printf(" %s", vcf_iut_role_name(r));
            printf("\n    %s\n", f->summary);
        }
        status = 0;
        goto out;
    }
    for (size_t i = 0; i < n_only; i++) {
        const vcf_fault_info *f = faults;
        while (f->name && strcmp(f->name, only[i]) != 0)
            f++;
        if (!f->name) {
            fprintf(stderr, "vconform mutants: unknown fault '%s' (see --list)\n", only[i]);
            goto out;
        }
    }
    if (n_vectors == 0)
        vectors[n_vectors++] = vcf_vectors_dir();
    char err[2048];
    if (vcf_suite_load(&suite, vectors, n_vectors, err, sizeof(err)) != 0) {
        fprintf(stderr, "vconform mutants: %s\n", err);
        goto out;
    }
    uint32_t present = 0;
    for (size_t i = 0; i < suite.n_files; i++)
        present |= VCF_IUT_ROLE_BIT(suite.files[i].role);

    tally base;
    memset(&base, 0, sizeof(base));
    if (run_all(&suite, "model", present, &base, err, sizeof(err)) != 0) {
        fprintf(stderr, "vconform mutants: the model adapter: %s\n", err);
        goto out;
    }
    if (base.failed) {
        fprintf(stderr,
                "vconform mutants: the fault-free model fails %zu of %zu cases (first: %s); "
                "fix the suite first\n",
                base.failed, base.cases, base.killers[0]);
        free(base.killers);
        goto out;
    }
    free(base.killers);

    size_t n_run = 0, n_killed = 0, n_skipped = 0;
    root = json_object();
    json_t *arr = json_array();
    json_object_set_new(root, "faults", arr);
    for (const vcf_fault_info *f = faults; f->name; f++) {
        bool wanted = n_only == 0;
        for (size_t i = 0; i < n_only; i++)
            wanted = wanted || strcmp(only[i], f->name) == 0;
        if (!wanted)
            continue;
        json_t *jf = json_object();
        json_object_set_new(jf, "fault", json_string(f->name));
        if (!(f->roles & present)) {
            n_skipped++;
            json_object_set_new(jf, "result", json_string("not-run"));
            json_array_append_new(arr, jf);
            if (!json)
                printf("%-40s not run: no vectors for its roles\n", f->name);
            continue;
        }
        char spec[256];
        snprintf(spec, sizeof(spec), "model:fault=%s", f->name);
        tally t;
        memset(&t, 0, sizeof(t));
        if (run_all(&suite, spec, f->roles, &t, err, sizeof(err)) != 0) {
            fprintf(stderr, "vconform mutants: %s: %s\n", spec, err);
            json_decref(jf);
            goto out;
        }
        n_run++;
        bool killed = t.failed > 0;
        n_killed += killed;
        json_object_set_new(jf, "result", json_string(killed ? "killed" : "survived"));
        json_object_set_new(jf, "cases", json_integer((json_int_t)t.cases));
        json_t *jk = json_array();
        for (size_t i = 0; i < t.n_killers; i++)
            json_array_append_new(jk, json_string(t.killers[i]));
        json_object_set_new(jf, "caught_by", jk);
        json_array_append_new(arr, jf);
        if (!json) {
            if (killed) {
                printf("%-40s killed by %zu of %zu cases:", f->name, t.failed, t.cases);
                for (size_t i = 0; i < t.n_killers && i < SHOW_KILLERS; i++)
                    printf(" %s", t.killers[i]);
                printf("%s\n", t.n_killers > SHOW_KILLERS ? " ..." : "");
            } else {
                printf("%-40s SURVIVED (%zu cases, none failed): %s\n", f->name, t.cases,
                       f->summary);
            }
        }
        free(t.killers);
    }
    json_object_set_new(root, "killed", json_integer((json_int_t)n_killed));
    json_object_set_new(root, "survived", json_integer((json_int_t)(n_run - n_killed)));
    json_object_set_new(root, "not_run", json_integer((json_int_t)n_skipped));
    if (json) {
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("\n");
    } else {
        printf("\n%zu of %zu faults killed%s", n_killed, n_run, n_killed == n_run ? "" : "; ");
        if (n_killed != n_run)
            printf("%zu survived", n_run - n_killed);
        if (n_skipped)
            printf(" (%zu not run: no vectors for their roles)", n_skipped);
        printf("\n");
    }
    status = n_killed == n_run ? 0 : 1;
out:
    json_decref(root);
    vcf_suite_free(&suite);
    free(vectors);
    free(only);
    return status;
}
