/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target vectors: the golden-vector loader (format raw: the input is JSON text).
 *
 * The input, cut at its first NUL byte, goes to vcf_vfile_load_string. Checked:
 *   - a file that loads dumps to text that loads again into the same vector file, field by
 *     field (the writer loses nothing the reader keeps), and dumping that gives the identical
 *     text (the writer is canonical);
 *   - a file that does not load says why, starting with "input:LINE:COLUMN: " (both numbers
 *     from 1), as every loader error must.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "vector.h"
#include "walk.h"

/* The checks are not what is being fuzzed (walk.h). */
VCF_FUZZ_CHECKS_BEGIN

#define NAME "input"

static char *text; /* the input as a C string, kept across inputs */
static size_t text_cap;

/* "NAME:LINE:COL: " with LINE, COL >= 1 followed by a reason. */
static int names_position(const char *err)
{
    size_t nl = strlen(NAME);
    if (strncmp(err, NAME, nl) != 0 || err[nl] != ':')
        return 0;
    const char *p = err + nl + 1;
    for (int part = 0; part < 2; part++) {
        if (!isdigit((unsigned char)*p) || *p == '0')
            return 0;
        while (isdigit((unsigned char)*p))
            p++;
        if (*p++ != ':')
            return 0;
    }
    return p[0] == ' ' && p[1] != '\0';
}

/* ---- a field-by-field comparison of two loaded files ------------------------------------- */

/* Where the first difference is, as a path ("groups[0].cases[2].steps[1].expect"). */
static char where[256];

static bool differ(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static bool differ(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(where, sizeof where, fmt, ap);
    va_end(ap);
    return false;
}

static bool same_str(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static bool same_bytes(const vcf_vbytes *a, const vcf_vbytes *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static bool same_obs(const vcf_obs_match *a, const vcf_obs_match *b)
{
    if (a->kind != b->kind)
        return false;
    if (a->kind == VCF_OBS_MSG)
        return a->msg.channel == b->msg.channel && same_bytes(&a->msg.bytes, &b->msg.bytes) &&
               same_bytes(&a->msg.mask, &b->msg.mask) &&
               a->msg.has_used_len == b->msg.has_used_len && a->msg.used_len == b->msg.used_len &&
               same_str(a->msg.decoded, b->msg.decoded);
    if (a->event.type != b->event.type || a->event.args_set != b->event.args_set ||
        a->event.has_data != b->event.has_data || !same_bytes(&a->event.data, &b->event.data))
        return false;
    for (unsigned k = 0; k < VCF_ADAPTER_ARG_MAX; k++)
        if ((a->event.args_set & (1u << k)) && a->event.args[k] != b->event.args[k])
            return false;
    return true;
}

static bool same_obs_list(const vcf_obs_match *a, size_t na, const vcf_obs_match *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (!same_obs(&a[i], &b[i]))
            return false;
    return true;
}

static bool same_expect(const vcf_expect *a, const vcf_expect *b)
{
    if (a->n_alts != b->n_alts || !same_obs_list(a->ignore, a->n_ignore, b->ignore, b->n_ignore) ||
        a->result != b->result || a->has_value != b->has_value ||
        (a->has_value && (a->value != b->value || a->value_mask != b->value_mask)))
        return false;
    for (size_t i = 0; i < a->n_alts; i++)
        if (!same_obs_list(a->alts[i].obs, a->alts[i].n_obs, b->alts[i].obs, b->alts[i].n_obs))
            return false;
    return true;
}

static bool same_step(const vcf_step *a, const vcf_step *b)
{
    if (a->kind != b->kind || !same_expect(&a->expect, &b->expect))
        return false;
    if (a->kind == VCF_STEP_ACTION)
        return a->action == b->action && memcmp(a->args, b->args, sizeof a->args) == 0 &&
               same_bytes(&a->data, &b->data);
    if (a->channel != b->channel || !same_bytes(&a->bytes, &b->bytes) ||
        a->used_len != b->used_len || a->capacity != b->capacity ||
        !same_str(a->decoded, b->decoded) || a->n_copies != b->n_copies)
        return false;
    for (size_t i = 0; i < a->n_copies; i++) {
        const vcf_copy *x = &a->copies[i], *y = &b->copies[i];
        if (x->step != y->step || x->msg != y->msg || x->from != y->from || x->to != y->to ||
            x->len != y->len)
            return false;
    }
    return true;
}

static bool same_strings(char **a, size_t na, char **b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (!same_str(a[i], b[i]))
            return false;
    return true;
}

static bool same_case(const vcf_case *a, const vcf_case *b, const char *at)
{
    if (!same_str(a->id, b->id) || !same_strings(a->rules, a->n_rules, b->rules, b->n_rules) ||
        !same_str(a->description, b->description) || a->result != b->result ||
        !same_strings(a->flags, a->n_flags, b->flags, b->n_flags) || a->level != b->level ||
        a->n_steps != b->n_steps)
        return differ("%s (id, rules, description, result, flags, level or step count)", at);
    for (size_t i = 0; i < a->n_steps; i++)
        if (!same_step(&a->steps[i], &b->steps[i]))
            return differ("%s.steps[%zu]", at, i);
    return true;
}

/* The parameters of a group and the notes are JSON objects: compared by key. */
static const char *param_value(const vcf_group *g, const char *key)
{
    for (size_t i = 0; i < g->n_params; i++)
        if (same_str(g->params[i].key, key))
            return g->params[i].value;
    return NULL;
}

static const char *note_text(const vcf_vfile *f, const char *flag)
{
    for (size_t i = 0; i < f->n_notes; i++)
        if (same_str(f->notes[i].flag, flag))
            return f->notes[i].text;
    return NULL;
}

static bool same_file(const vcf_vfile *a, const vcf_vfile *b)
{
    if (a->role != b->role || !same_str(a->spec, b->spec) || !same_str(a->generator, b->generator))
        return differ("role, spec or generator");
    if (a->n_notes != b->n_notes)
        return differ("notes (%zu, then %zu)", a->n_notes, b->n_notes);
    for (size_t i = 0; i < a->n_notes; i++)
        if (!same_str(a->notes[i].text, note_text(b, a->notes[i].flag)))
            return differ("notes.%s", a->notes[i].flag);
    if (a->n_unobservable != b->n_unobservable)
        return differ("unobservable (%zu, then %zu)", a->n_unobservable, b->n_unobservable);
    for (size_t i = 0; i < a->n_unobservable; i++)
        if (!same_str(a->unobservable[i].rule, b->unobservable[i].rule) ||
            !same_str(a->unobservable[i].reason, b->unobservable[i].reason))
            return differ("unobservable[%zu]", i);
    if (a->n_groups != b->n_groups)
        return differ("groups (%zu, then %zu)", a->n_groups, b->n_groups);
    for (size_t g = 0; g < a->n_groups; g++) {
        const vcf_group *x = &a->groups[g], *y = &b->groups[g];
        if (!same_str(x->description, y->description) || x->n_params != y->n_params ||
            x->n_cases != y->n_cases)
            return differ("groups[%zu] (description, parameter or case count)", g);
        for (size_t i = 0; i < x->n_params; i++)
            if (!same_str(x->params[i].value, param_value(y, x->params[i].key)))
                return differ("groups[%zu].params.%s", g, x->params[i].key);
        for (size_t k = 0; k < x->n_cases; k++) {
            char at[64];
            snprintf(at, sizeof at, "groups[%zu].cases[%zu]", g, k);
            if (!same_case(&x->cases[k], &y->cases[k], at))
                return false;
        }
    }
    return true;
}

/* Where two texts first differ, for the finding. */
static void first_difference(const char *a, const char *b, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (; *a && *a == *b; a++, b++) {
        if (*a == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size + 1 > text_cap) {
        size_t cap = text_cap ? text_cap : 4096;
        while (cap < size + 1)
            cap *= 2;
        char *t = realloc(text, cap);
        if (!t)
            return 0;
        text = t;
        text_cap = cap;
    }
    if (size)
        memcpy(text, data, size);
    text[size] = '\0';
    vcf_fuzz_explainf("vectors: %zu bytes of text (%zu before the first NUL)\n", size,
                      strlen(text));

    vcf_vfile f;
    char err[1024];
    err[0] = '\0';
    if (vcf_vfile_load_string(NAME, text, &f, err, sizeof err) != 0) {
        vcf_fuzz_explainf("load: %s\n", err);
        if (!names_position(err))
            vcf_fuzz_finding(
                "vector loader error does not start with \"" NAME ":LINE:COLUMN: \": \"%s\"", err);
        vcf_fuzz_explainf("checked: the error names a line and a column\n");
        return 0;
    }
    vcf_fuzz_explainf("load: ok, %zu group(s), %zu case(s)\n", f.n_groups, vcf_vfile_count(&f));
    char *first = vcf_vfile_dump(&f);
    if (!first)
        vcf_fuzz_finding("a vector file that loads cannot be dumped");

    vcf_vfile again;
    if (vcf_vfile_load_string(NAME, first, &again, err, sizeof err) != 0)
        vcf_fuzz_finding("the dump of a vector file that loads does not load: %s", err);
    if (!same_file(&f, &again))
        vcf_fuzz_finding("a vector file reloaded from its dump differs at %s (the writer loses "
                         "or changes what the reader kept)",
                         where);
    vcf_vfile_free(&f);
    char *second = vcf_vfile_dump(&again);
    vcf_vfile_free(&again);
    if (!second)
        vcf_fuzz_finding("the reloaded dump of a vector file cannot be dumped");
    if (strcmp(first, second) != 0) {
        size_t line, col;
        first_difference(first, second, &line, &col);
        vcf_fuzz_finding("dumping a reloaded vector file changes the text at line %zu, column "
                         "%zu (the writer is not canonical)",
                         line, col);
    }
    vcf_fuzz_explainf("dump: %zu bytes, reloads and dumps to the identical text\n", strlen(first));
    free(first);
    free(second);
    vcf_fuzz_explainf("checked: load, dump, reload gives the same file field by field, dump "
                      "again gives the same text\n");
    return 0;
}

VCF_FUZZ_CHECKS_END
