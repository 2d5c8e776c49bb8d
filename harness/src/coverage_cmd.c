/* SPDX-License-Identifier: MIT */
/*
 * vconform rules --coverage: the rule x vector matrix. For every rule of the catalogues, how
 * many cases of each role's vector file exercise it, or why it cannot be observed through an
 * adapter. A MUST or SHOULD rule with neither is uncovered, and the command fails.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "coverage.h"
#include "suite.h"
#include "vconform/adapter.h"
#include "vconform/rules.h"

typedef struct rule_count {
    const char *id;
    size_t *per_role; /* VCF_IUT_ROLE_COUNT entries */
} rule_count;

static int count_case(void *ctx, const vcf_vfile *f, const vcf_group *g, const vcf_case *c)
{
    (void)g;
    rule_count *x = ctx;
    for (size_t k = 0; k < c->n_rules; k++)
        if (strcmp(c->rules[k], x->id) == 0)
            x->per_role[f->role < VCF_IUT_ROLE_COUNT ? f->role : 0]++;
    return 0;
}

/* Cases naming rule per role, and the first unobservable reason. */
static void count_rule(const vcf_suite *s, const char *id, size_t per_role[VCF_IUT_ROLE_COUNT],
                       const char **reason)
{
    memset(per_role, 0, VCF_IUT_ROLE_COUNT * sizeof(size_t));
    rule_count x = {id, per_role};
    (void)vcf_suite_each(s, NULL, count_case, &x);
    *reason = NULL;
    for (size_t fi = 0; fi < s->n_files && !*reason; fi++)
        for (size_t u = 0; u < s->files[fi].n_unobservable && !*reason; u++)
            if (strcmp(s->files[fi].unobservable[u].rule, id) == 0)
                *reason = s->files[fi].unobservable[u].reason;
}

static bool required(const vcf_rule *r)
{
    return !r->withdrawn && (r->level == VCF_LEVEL_MUST || r->level == VCF_LEVEL_SHOULD);
}

int vcf_cli_coverage(const char *proto, const char *const *paths, size_t n_paths, bool json,
                     bool only_gaps)
{
    const char *dflt = vcf_vectors_dir();
    if (n_paths == 0) {
        paths = &dflt;
        n_paths = 1;
    }
    vcf_suite s;
    char err[2048];
    if (vcf_suite_load(&s, paths, n_paths, err, sizeof(err)) != 0) {
        fprintf(stderr, "vconform rules: %s\n", err);
        return VCF_CLI_EXIT_MALFORMED;
    }
    size_t n_required = 0, n_covered = 0, n_unobs = 0, n_gaps = 0;
    json_t *root = json_object(), *jrules = json_array();
    if (!json && !only_gaps) {
        printf("%-16s %-6s", "rule", "level");
        for (uint32_t r = 1; r < VCF_IUT_ROLE_COUNT; r++)
            printf(" %8.8s", vcf_iut_role_name(r) + (r <= 2 ? 6 : 11));
        printf("  status\n");
    }
    for (const vcf_catalogue *const *k = vcf_catalogues(); *k; k++) {
        if (proto && strcmp(proto, "all") != 0 && strcmp(proto, (*k)->protocol) != 0)
            continue;
        for (size_t i = 0; i < (*k)->count; i++) {
            const vcf_rule *r = &(*k)->rules[i];
            if (r->withdrawn)
                continue;
            size_t per[VCF_IUT_ROLE_COUNT];
            const char *reason;
            count_rule(&s, r->id, per, &reason);
            size_t total = 0;
            for (uint32_t x = 1; x < VCF_IUT_ROLE_COUNT; x++)
                total += per[x];
            const char *st = total ? "covered" : reason ? "unobservable" : "uncovered";
            if (required(r)) {
                n_required++;
                if (total)
                    n_covered++;
                else if (reason)
                    n_unobs++;
                else
                    n_gaps++;
            }
            bool gap = required(r) && !total && !reason;
            if (json) {
                json_t *jr = json_object();
                json_object_set_new(jr, "id", json_string(r->id));
                json_object_set_new(jr, "level", json_string(vcf_rule_level_name(r->level)));
                json_t *jc = json_object();
                for (uint32_t x = 1; x < VCF_IUT_ROLE_COUNT; x++)
                    if (per[x])
                        json_object_set_new(jc, vcf_iut_role_name(x),
                                            json_integer((json_int_t)per[x]));
                json_object_set_new(jr, "cases", jc);
                json_object_set_new(jr, "status", json_string(st));
                if (!total && reason)
                    json_object_set_new(jr, "reason", json_string(reason));
                if (!only_gaps || gap)
                    json_array_append_new(jrules, jr);
                else
                    json_decref(jr);
            } else if (!only_gaps || gap) {
                printf("%-16s %-6s", r->id, vcf_rule_level_name(r->level));
                for (uint32_t x = 1; x < VCF_IUT_ROLE_COUNT; x++) {
                    if (per[x])
                        printf(" %8zu", per[x]);
                    else
                        printf(" %8s", ".");
                }
                if (gap)
                    printf("  UNCOVERED\n");
                else if (!total && reason)
                    printf("  unobservable: %s\n", reason);
                else if (!total)
                    printf("  (%s, not required)\n", vcf_rule_level_name(r->level));
                else
                    printf("\n");
            }
        }
    }
    if (json) {
        json_t *sum = json_object();
        json_object_set_new(sum, "required", json_integer((json_int_t)n_required));
        json_object_set_new(sum, "covered", json_integer((json_int_t)n_covered));
        json_object_set_new(sum, "unobservable", json_integer((json_int_t)n_unobs));
        json_object_set_new(sum, "uncovered", json_integer((json_int_t)n_gaps));
        json_object_set_new(root, "summary", sum);
        json_object_set_new(root, "rules", jrules);
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("\n");
    } else {
        json_decref(jrules);
        printf("\nMUST and SHOULD rules: %zu; covered by cases %zu, unobservable (with a reason) "
               "%zu, uncovered %zu\n",
               n_required, n_covered, n_unobs, n_gaps);
    }
    json_decref(root);
    vcf_suite_free(&s);
    return n_gaps ? VCF_CLI_EXIT_VIOLATION : VCF_CLI_EXIT_OK;
}
