/* SPDX-License-Identifier: MIT */
/*
 * vconform rules: print the rule catalogues as text, JSON (vectors/schema/rules.schema.json) or
 * Markdown (the tables of docs/rules/).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "cli.h"
#include "coverage.h"
#include "vconform/rules.h"

/* Version of the JSON layout; bumped only on an incompatible change. */
#define RULES_FORMAT 1

typedef enum { FMT_TEXT, FMT_JSON, FMT_MARKDOWN } format_t;

static const char usage_text[] =
    "usage: vconform rules [options] [ID...]\n"
    "\n"
    "Print the rule catalogues, or the rules named by ID in full.\n"
    "\n"
    "  -p, --proto NAME           one catalogue: rpmsg or virtio-msg (default: every catalogue)\n"
    "  -f, --format text|json|markdown\n"
    "                             output format (default text; json follows\n"
    "                             vectors/schema/rules.schema.json)\n"
    "  -l, --level LEVEL[,LEVEL]  only these levels: MUST, SHOULD, MAY, IMPL\n"
    "  -v, --verbose              text: statements and sources too\n"
    "  -c, --coverage             the rule x vector matrix: cases per rule and role of the\n"
    "                             implementation, or why a rule is unobservable; exit 1 when\n"
    "                             a MUST or SHOULD rule is neither (text or json)\n"
    "  -V, --vectors PATH         vector file or directory for --coverage (repeatable;\n"
    "                             default: the golden vectors)\n"
    "  -g, --gaps                 --coverage: print only uncovered rules\n"
    "\n"
    "Exit status: 0 success, 2 an ID that no catalogue has, 64 a usage error.\n";

#define usage_error(...) vcf_cli_usage_error("rules", __VA_ARGS__)

/* Levels selected as a bit set; 0 means all. */
static int parse_levels(const char *arg, unsigned *out)
{
    static const char *const names[] = {"MUST", "SHOULD", "MAY", "IMPL"};
    char *copy = strdup(arg);
    if (!copy)
        return -1;
    int rc = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        unsigned i = 0;
        while (i < 4 && strcasecmp(tok, names[i]) != 0)
            i++;
        if (i == 4) {
            rc = -1;
            break;
        }
        *out |= 1u << i;
    }
    free(copy);
    return rc;
}

static bool selected(const vcf_rule *r, unsigned levels)
{
    return !levels || (levels & (1u << r->level));
}

/* "a, b" -> ["a", "b"] */
static json_t *split_list(const char *s)
{
    json_t *a = json_array();
    while (s && *s) {
        const char *end = strstr(s, ", ");
        size_t n = end ? (size_t)(end - s) : strlen(s);
        json_array_append_new(a, json_stringn(s, n));
        s = end ? end + 2 : NULL;
    }
    return a;
}

static json_t *rule_json(const vcf_rule *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(r->id));
    json_object_set_new(o, "level", json_string(vcf_rule_level_name(r->level)));
    char actors[64];
    vcf_rule_actors_format(r->actors, actors, sizeof actors);
    json_object_set_new(o, "actors", split_list(actors));
    json_object_set_new(o, "aspect", json_string(vcf_rule_aspect_name(r->aspect)));
    json_object_set_new(o, "topic", json_string(r->topic));
    json_object_set_new(o, "title", json_string(r->title));
    json_object_set_new(o, "statement", json_string(r->statement));
    if (r->level == VCF_LEVEL_IMPL) {
        json_object_set_new(o, "stacks", split_list(r->stacks));
        json_object_set_new(o, "profiles", split_list(r->profiles));
    }
    if (r->label)
        json_object_set_new(o, "label", json_string(r->label));
    if (r->revisions)
        json_object_set_new(o, "revisions", split_list(r->revisions));
    json_object_set_new(o, "seed", r->seed ? json_string(r->seed) : json_null());
    json_t *src = json_array();
    for (size_t i = 0; r->sources[i]; i++)
        json_array_append_new(src, json_string(r->sources[i]));
    json_object_set_new(o, "sources", src);
    json_object_set_new(o, "status", json_string(r->withdrawn ? "withdrawn" : "active"));
    return o;
}

static json_t *catalogue_json(const vcf_catalogue *c, unsigned levels)
{
    json_t *o = json_object();
    json_object_set_new(o, "format", json_integer(RULES_FORMAT));
    json_object_set_new(o, "protocol", json_string(c->protocol));
    json_object_set_new(o, "title", json_string(c->title));
    json_t *rules = json_array();
    for (size_t i = 0; i < c->count; i++)
        if (selected(&c->rules[i], levels))
            json_array_append_new(rules, rule_json(&c->rules[i]));
    json_object_set_new(o, "rules", rules);
    return o;
}

static int print_json(json_t *j)
{
    int rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
    json_decref(j);
    fputc('\n', stdout);
    return rc == 0 ? VCF_CLI_EXIT_OK : VCF_CLI_EXIT_MALFORMED;
}

/* ---- text ------------------------------------------------------------------------------------ */

/* Print s wrapped at 96 columns, each line indented. */
static void wrap(const char *s, const char *indent)
{
    const size_t width = 96 - strlen(indent);
    while (*s) {
        size_t n = strlen(s);
        if (n > width) {
            n = width;
            while (n > 0 && s[n] != ' ')
                n--;
            if (n == 0)
                n = width;
        }
        printf("%s%.*s\n", indent, (int)n, s);
        s += n;
        while (*s == ' ')
            s++;
    }
}

static void rule_text(const vcf_rule *r, bool verbose)
{
    char actors[64];
    vcf_rule_actors_format(r->actors, actors, sizeof actors);
    printf("  %-14s %-6s  %-19s  %-7s  %s\n", r->id, vcf_rule_level_name(r->level), actors,
           vcf_rule_aspect_name(r->aspect), r->title);
    if (!verbose)
        return;
    wrap(r->statement, "      ");
    if (r->level == VCF_LEVEL_IMPL)
        printf("      stacks: %s; model profile: %s\n", r->stacks,
               r->profiles ? r->profiles : "none");
    if (r->label)
        printf("      label: %s\n", r->label);
    if (r->revisions)
        printf("      revisions: %s\n", r->revisions);
    for (size_t i = 0; r->sources[i]; i++)
        printf("      source: %s\n", r->sources[i]);
    putchar('\n');
}

/* Call topic_fn at the start of each topic and rule_fn for each selected rule, in catalogue
 * order. */
static void walk(const vcf_catalogue *c, unsigned levels, void (*topic_fn)(const char *, bool),
                 void (*rule_fn)(const vcf_rule *, bool), bool flag)
{
    const char *topic = NULL;
    for (size_t i = 0; i < c->count; i++) {
        const vcf_rule *r = &c->rules[i];
        if (!selected(r, levels))
            continue;
        if (!topic || strcmp(topic, r->topic) != 0) {
            topic_fn(r->topic, topic == NULL);
            topic = r->topic;
        }
        rule_fn(r, flag);
    }
}

static void text_topic(const char *topic, bool first)
{
    (void)first;
    printf("\n %s\n", topic);
}

static void catalogue_text(const vcf_catalogue *c, unsigned levels, bool verbose)
{
    size_t count[4] = {0}, total = 0;
    for (size_t i = 0; i < c->count; i++)
        if (selected(&c->rules[i], levels)) {
            count[c->rules[i].level]++;
            total++;
        }
    printf("%s (%s): %zu rules: %zu MUST, %zu SHOULD, %zu MAY, %zu IMPL\n", c->title, c->protocol,
           total, count[0], count[1], count[2], count[3]);
    walk(c, levels, text_topic, rule_text, verbose);
}

/* ---- markdown -------------------------------------------------------------------------------- */

/* A table cell: '|' escaped, so a statement can never break the table. */
static void md_cell(const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", stdout);
        else
            putchar(*s);
    }
}

static void md_topic(const char *topic, bool first)
{
    if (!first)
        putchar('\n');
    printf("### %c%s\n\n", (char)(topic[0] - ('a' - 'A')), topic + 1);
    puts("| ID | Level | Binds | Rule | Sources |");
    puts("|---|---|---|---|---|");
}

static void md_rule(const vcf_rule *r, bool unused)
{
    (void)unused;
    char actors[64];
    vcf_rule_actors_format(r->actors, actors, sizeof actors);
    printf("| %s | %s | %s, %s | **", r->id, vcf_rule_level_name(r->level), actors,
           vcf_rule_aspect_name(r->aspect));
    md_cell(r->title);
    fputs(".** ", stdout);
    md_cell(r->statement);
    if (r->level == VCF_LEVEL_IMPL) {
        fputs(" *Stacks: ", stdout);
        md_cell(r->stacks);
        fputs(r->profiles ? "; profile: " : "; not modelled", stdout);
        if (r->profiles)
            md_cell(r->profiles);
        fputs(".*", stdout);
    }
    fputs(" | ", stdout);
    if (r->label) {
        fputs("label `", stdout);
        md_cell(r->label);
        fputs("`; ", stdout);
    }
    if (r->revisions) {
        fputs("revisions ", stdout);
        md_cell(r->revisions);
        fputs("; ", stdout);
    }
    for (size_t s = 0; r->sources[s]; s++) {
        if (s)
            fputs("; ", stdout);
        md_cell(r->sources[s]);
    }
    puts(" |");
}

/* ---- command --------------------------------------------------------------------------------- */

int vcf_cli_rules(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"proto", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"level", required_argument, NULL, 'l'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"coverage", no_argument, NULL, 'c'},
        {"vectors", required_argument, NULL, 'V'},
        {"gaps", no_argument, NULL, 'g'},
        {NULL, 0, NULL, 0},
    };
    bool coverage = false, gaps = false;
    const char *proto = NULL;
    const char *vectors[64];
    size_t n_vectors = 0;
    const vcf_catalogue *only = NULL;
    format_t fmt = FMT_TEXT;
    unsigned levels = 0;
    bool verbose = false;

    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "+p:f:l:vhcV:g", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': coverage = true; break;
        case 'g': gaps = true; break;
        case 'V':
            if (n_vectors == sizeof(vectors) / sizeof(vectors[0]))
                return usage_error("more than 64 --vectors");
            vectors[n_vectors++] = optarg;
            break;
        case 'p':
            proto = optarg;
            only = vcf_catalogue_get(optarg);
            if (!only && strcmp(optarg, "all") != 0)
                return usage_error("no catalogue for '%s' (rpmsg, virtio-msg, or all)", optarg);
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                fmt = FMT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                fmt = FMT_JSON;
            else if (strcmp(optarg, "markdown") == 0 || strcmp(optarg, "md") == 0)
                fmt = FMT_MARKDOWN;
            else
                return usage_error("unknown format '%s' (text, json or markdown)", optarg);
            break;
        case 'l':
            if (parse_levels(optarg, &levels) < 0)
                return usage_error("unknown level in '%s' (MUST, SHOULD, MAY, IMPL)", optarg);
            break;
        case 'v': verbose = true; break;
        case 'h': fputs(usage_text, stdout); return VCF_CLI_EXIT_OK;
        default: return usage_error("bad option");
        }
    }

    if (coverage) {
        if (fmt == FMT_MARKDOWN)
            return usage_error("--coverage prints text or json");
        return vcf_cli_coverage(proto, vectors, n_vectors, fmt == FMT_JSON, gaps);
    }

    /* Rules named by ID: all of them must exist. */
    if (optind < argc) {
        int bad = 0;
        json_t *list = json_array();
        for (int i = optind; i < argc; i++) {
            const vcf_rule *r = vcf_rule_find(argv[i]);
            if (!r) {
                fprintf(stderr, "vconform rules: no rule '%s' in any catalogue\n", argv[i]);
                bad = 1;
                continue;
            }
            if (fmt == FMT_JSON)
                json_array_append_new(list, rule_json(r));
            else
                rule_text(r, true);
        }
        if (fmt == FMT_JSON)
            print_json(list);
        else
            json_decref(list);
        return bad ? VCF_CLI_EXIT_MALFORMED : VCF_CLI_EXIT_OK;
    }

    if (fmt == FMT_JSON) {
        if (only)
            return print_json(catalogue_json(only, levels));
        json_t *all = json_array();
        for (const vcf_catalogue *const *k = vcf_catalogues(); *k; k++)
            json_array_append_new(all, catalogue_json(*k, levels));
        return print_json(all);
    }
    bool first = true;
    for (const vcf_catalogue *const *k = vcf_catalogues(); *k; k++) {
        if (only && *k != only)
            continue;
        if (!first)
            putchar('\n');
        first = false;
        if (fmt == FMT_MARKDOWN)
            walk(*k, levels, md_topic, md_rule, false);
        else
            catalogue_text(*k, levels, verbose);
    }
    return VCF_CLI_EXIT_OK;
}
