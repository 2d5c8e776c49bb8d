/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: run reports (human, TAP 13, JUnit XML, JSON) and the progress line.
 */
#include "report.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "summary.h"
#include "vconform/rules.h"

/* ---- names, counts, exit status ----------------------------------------------------------- */

static const char *const format_names[] = {"human", "tap", "junit", "json"};

const char *vcf_report_format_name(vcf_report_format f)
{
    return (unsigned)f < sizeof format_names / sizeof format_names[0] ? format_names[f] : "?";
}

int vcf_report_format_parse(const char *name, vcf_report_format *out)
{
    for (unsigned i = 0; name && i < sizeof format_names / sizeof format_names[0]; i++) {
        if (strcmp(name, format_names[i]) == 0) {
            *out = (vcf_report_format)i;
            return 0;
        }
    }
    return -1;
}

void vcf_report_count(const vcf_report_run *run, vcf_report_counts *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < run->n_results; i++) {
        out->total++;
        switch (run->results[i].status) {
        case VCF_CASE_PASS: out->passed++; break;
        case VCF_CASE_NON_STRICT: out->non_strict++; break;
        case VCF_CASE_UNSUPPORTED: out->unsupported++; break;
        case VCF_CASE_SKIPPED: out->skipped++; break;
        case VCF_CASE_FAIL:
        default: out->failed++; break;
        }
    }
}

int vcf_report_exit_status(const vcf_report_run *run, bool strict)
{
    vcf_report_counts c;
    vcf_report_count(run, &c);
    return c.failed || (strict && c.non_strict) ? 1 : 0;
}

/* A status that makes the case count as failed in this run. */
static bool counts_as_failure(const vcf_report_run *run, vcf_case_status s)
{
    if (s == VCF_CASE_NON_STRICT)
        return run->strict;
    return s != VCF_CASE_PASS && s != VCF_CASE_UNSUPPORTED && s != VCF_CASE_SKIPPED;
}

char *vcf_report_rule_area(const char *rule_id, char *buf, size_t cap)
{
    if (!buf || cap == 0)
        return buf;
    buf[0] = '\0';
    if (!rule_id)
        return buf;
    const char *first = strchr(rule_id, '-');
    const char *last = strrchr(rule_id, '-');
    if (!first || first == last || first == rule_id || last[1] == '\0') {
        snprintf(buf, cap, "%s", rule_id);
        return buf;
    }
    size_t plen = (size_t)(first - rule_id);
    const char *proto = NULL;
    if (plen == 5 && strncmp(rule_id, "RPMSG", 5) == 0)
        proto = "rpmsg";
    else if (plen == 4 && strncmp(rule_id, "VMSG", 4) == 0)
        proto = "virtio-msg";
    size_t n = 0;
    if (proto) {
        n = (size_t)snprintf(buf, cap, "%s", proto);
    } else {
        for (size_t i = 0; i < plen && n + 1 < cap; i++)
            buf[n++] = (char)tolower((unsigned char)rule_id[i]);
        buf[n] = '\0';
    }
    if (n < cap)
        snprintf(buf + n, cap - n, ".%.*s", (int)(last - first - 1), first + 1);
    return buf;
}

const vcf_vfile *vcf_report_file_of(const vcf_report_run *run, const vcf_case_result *r)
{
    for (size_t f = 0; r->group && f < run->n_files; f++) {
        const vcf_vfile *vf = run->files[f];
        for (size_t g = 0; vf && g < vf->n_groups; g++)
            if (&vf->groups[g] == r->group)
                return vf;
    }
    return NULL;
}

static size_t file_cases(const vcf_vfile *f)
{
    size_t n = 0;
    for (size_t g = 0; f && g < f->n_groups; g++)
        n += f->groups[g].n_cases;
    return n;
}

static const char *role_of(const vcf_report_run *run, const vcf_case_result *r)
{
    const vcf_vfile *f = vcf_report_file_of(run, r);
    return f ? vcf_iut_role_name(f->role) : "?";
}

static const char *case_id(const vcf_case_result *r)
{
    return r->vcase && r->vcase->id ? r->vcase->id : "(unnamed)";
}

static const char *level_name(const vcf_case_result *r)
{
    return r->vcase ? vcf_rule_level_name(r->vcase->level) : "?";
}

static int finish(FILE *out)
{
    return fflush(out) != 0 || ferror(out) ? -1 : 0;
}

/* ---- text helpers ------------------------------------------------------------------------- */

/* Length (1-4) of the well-formed UTF-8 sequence at p, or 0. U+FFFE and U+FFFF are refused
 * too: XML does not allow them. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0u) != 0x80u)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    return len;
}

/* The first line of s, at most max bytes, with control bytes as spaces. */
static void first_line(const char *s, char *buf, size_t cap)
{
    size_t n = 0;
    for (; s && *s && *s != '\n' && n + 1 < cap; s++)
        buf[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s;
    buf[n] = '\0';
}

static void rules_joined(const vcf_case_result *r, FILE *out)
{
    for (size_t i = 0; r->vcase && i < r->vcase->n_rules; i++)
        fprintf(out, "%s%s", i ? ", " : "", r->vcase->rules[i]);
}

/* ---- human -------------------------------------------------------------------------------- */

bool vcf_report_colour_enabled(FILE *out, vcf_report_colour mode)
{
    if (mode == VCF_COLOUR_ALWAYS)
        return true;
    if (mode == VCF_COLOUR_NEVER || !out)
        return false;
    const char *nc = getenv("NO_COLOR");
    if (nc && nc[0])
        return false;
    return isatty(fileno(out)) == 1;
}

typedef struct palette {
    const char *red, *green, *yellow, *dim, *bold, *off;
} palette;

/* The failing step and its stimulus, decoded; "" when the runner's message already starts by
 * naming that step ("step 2: inject ..."), which it does for every failure it finds itself. */
static void step_text(const vcf_report_run *run, const vcf_case_result *r, char *buf, size_t cap)
{
    buf[0] = '\0';
    const vcf_case *c = r->vcase;
    if (!c || r->failed_step >= c->n_steps)
        return;
    char prefix[48];
    int pn = snprintf(prefix, sizeof prefix, "step %zu:", r->failed_step + 1);
    if (r->message && pn > 0 && strncmp(r->message, prefix, (size_t)pn) == 0)
        return;
    const vcf_step *st = &c->steps[r->failed_step];
    const vcf_vfile *f = vcf_report_file_of(run, r);
    uint32_t role = f ? f->role : VCF_IUT_NONE;
    char what[512];
    if (st->kind == VCF_STEP_INJECT) {
        int order = r->group ? vcf_summary_order(role, r->group->params, r->group->n_params) : 0;
        vcf_summary_msg(role, order, st->channel, st->bytes.data, st->bytes.len, what, sizeof what);
        const char *ch = vcf_channel_name(role, st->channel);
        snprintf(buf, cap, "step %zu of %zu: inject on %s: %s", r->failed_step + 1, c->n_steps,
                 ch ? ch : "?", what);
    } else {
        vcf_summary_action(st->action, st->args, st->data.data, st->data.len, what, sizeof what);
        snprintf(buf, cap, "step %zu of %zu: action %s", r->failed_step + 1, c->n_steps, what);
    }
}

/* Every line of text after indent. Control bytes other than tab are written as \xNN, so an
 * implementation's message can never drive the terminal. */
static void indented(FILE *out, const char *text, const char *indent)
{
    const char *p = text;
    while (p && *p) {
        fputs(indent, out);
        for (; *p && *p != '\n'; p++) {
            unsigned char ch = (unsigned char)*p;
            if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
                fprintf(out, "\\x%02x", ch);
            else
                fputc(ch, out);
        }
        fputc('\n', out);
        if (*p)
            p++;
    }
}

static void human_case(const vcf_report_run *run, const vcf_case_result *r, const palette *pal,
                       FILE *out)
{
    bool nonstrict = r->status == VCF_CASE_NON_STRICT;
    fprintf(out, "%s%s%s %s%s%s (%s, %s)", nonstrict ? pal->yellow : pal->red,
            nonstrict ? "NON-STRICT" : "FAIL", pal->off, pal->bold, case_id(r), pal->off,
            role_of(run, r), level_name(r));
    if (r->vcase && r->vcase->n_rules) {
        fputs(" ", out);
        rules_joined(r, out);
    }
    fputc('\n', out);
    const vcf_vfile *f = vcf_report_file_of(run, r);
    if (f && f->path) {
        if (r->vcase && r->vcase->line)
            fprintf(out, "    %s%s:%zu%s\n", pal->dim, f->path, r->vcase->line, pal->off);
        else
            fprintf(out, "    %s%s%s\n", pal->dim, f->path, pal->off);
    }
    if (r->vcase && r->vcase->description)
        indented(out, r->vcase->description, "    ");
    char step[1024];
    step_text(run, r, step, sizeof step);
    if (step[0])
        fprintf(out, "    %s\n", step);
    if (r->message)
        indented(out, r->message, "      ");
    fputc('\n', out);
}

int vcf_report_human(const vcf_report_run *run, FILE *out)
{
    bool colour = vcf_report_colour_enabled(out, run->colour);
    palette pal = {"", "", "", "", "", ""};
    if (colour)
        pal = (palette){"\033[1;31m", "\033[1;32m", "\033[1;33m", "\033[2m", "\033[1m", "\033[0m"};
    vcf_report_counts c;
    vcf_report_count(run, &c);

    fprintf(out, "%svconform %s conformance run%s\n", pal.bold,
            run->tool_version ? run->tool_version : "?", pal.off);
    fprintf(out, "  adapter  %s", run->adapter_spec ? run->adapter_spec : "?");
    if (run->adapter_name)
        fprintf(out, " (%s%s%s)", run->adapter_name, run->adapter_version ? " " : "",
                run->adapter_version ? run->adapter_version : "");
    fputc('\n', out);
    fputs("  roles    ", out);
    uint32_t seen = 0;
    for (size_t i = 0; i < run->n_files; i++) {
        uint32_t role = run->files[i] ? run->files[i]->role : 0;
        if (role >= VCF_IUT_ROLE_COUNT || (seen & VCF_IUT_ROLE_BIT(role)))
            continue;
        fprintf(out, "%s%s", seen ? ", " : "", vcf_iut_role_name(role));
        seen |= VCF_IUT_ROLE_BIT(role);
    }
    fputs(seen ? "\n" : "?\n", out);
    for (size_t i = 0; i < run->n_files; i++)
        fprintf(out, "  %s  %s (%zu cases)\n", i ? "       " : "vectors",
                run->files[i] && run->files[i]->path ? run->files[i]->path : "(in memory)",
                file_cases(run->files[i]));
    fprintf(out, "  options  %s\n\n",
            run->strict ? "strict"
                        : "default (SHOULD-level failures "
                          "are non-strict)");

    for (size_t i = 0; i < run->n_results; i++) {
        const vcf_case_result *r = &run->results[i];
        if (r->status != VCF_CASE_PASS && r->status != VCF_CASE_UNSUPPORTED &&
            r->status != VCF_CASE_SKIPPED)
            human_case(run, r, &pal, out);
    }
    /* unsupported and skipped: grouped by reason, the case IDs only for small groups */
    for (int pass = 0; pass < 2; pass++) {
        vcf_case_status want = pass ? VCF_CASE_SKIPPED : VCF_CASE_UNSUPPORTED;
        size_t n = pass ? c.skipped : c.unsupported;
        if (!n)
            continue;
        fprintf(out, "%s%s (%zu):%s\n", pal.dim, pass ? "skipped" : "unsupported", n, pal.off);
        for (size_t i = 0; i < run->n_results; i++) {
            const vcf_case_result *r = &run->results[i];
            if (r->status != want)
                continue;
            char why[256];
            first_line(r->message, why, sizeof why);
            bool dup = false; /* reported with an earlier case of the same reason */
            for (size_t k = 0; k < i && !dup; k++) {
                char other[256];
                first_line(run->results[k].message, other, sizeof other);
                dup = run->results[k].status == want && strcmp(other, why) == 0;
            }
            if (dup)
                continue;
            size_t same = 0;
            for (size_t k = i; k < run->n_results; k++) {
                char other[256];
                first_line(run->results[k].message, other, sizeof other);
                same += run->results[k].status == want && strcmp(other, why) == 0;
            }
            if (same > 5) {
                fprintf(out, "  %zu cases: %s\n", same, why);
                continue;
            }
            for (size_t k = i; k < run->n_results; k++) {
                char other[256];
                first_line(run->results[k].message, other, sizeof other);
                if (run->results[k].status == want && strcmp(other, why) == 0)
                    fprintf(out, "  %s%s%s\n", case_id(&run->results[k]), why[0] ? ": " : "", why);
            }
        }
        fputc('\n', out);
    }

    /* per role */
    fprintf(out, "%-20s %6s %6s %6s %10s %11s %7s\n", "role", "cases", "passed", "failed",
            "non-strict", "unsupported", "skipped");
    for (uint32_t role = 1; role < VCF_IUT_ROLE_COUNT; role++) {
        size_t k[VCF_CASE_STATUS_COUNT] = {0}, total = 0;
        for (size_t i = 0; i < run->n_results; i++) {
            const vcf_vfile *f = vcf_report_file_of(run, &run->results[i]);
            if (f && f->role == role && (unsigned)run->results[i].status < VCF_CASE_STATUS_COUNT) {
                k[run->results[i].status]++;
                total++;
            }
        }
        if (total)
            fprintf(out, "%-20s %6zu %6zu %6zu %10zu %11zu %7zu\n", vcf_iut_role_name(role), total,
                    k[VCF_CASE_PASS], k[VCF_CASE_FAIL], k[VCF_CASE_NON_STRICT],
                    k[VCF_CASE_UNSUPPORTED], k[VCF_CASE_SKIPPED]);
    }
    fputc('\n', out);

    fprintf(out,
            "%zu cases in %.2f s: %zu passed, %zu failed, %zu non-strict, %zu unsupported, "
            "%zu skipped\n",
            c.total, run->seconds, c.passed, c.failed, c.non_strict, c.unsupported, c.skipped);
    size_t failing = c.failed + (run->strict ? c.non_strict : 0);
    if (failing) {
        fprintf(out, "%sFAIL%s: %zu failed", pal.red, pal.off, failing);
        if (run->strict && c.non_strict)
            fprintf(out, " (%zu non-strict, counted with --strict)", c.non_strict);
        fputc('\n', out);
    } else {
        size_t required = c.total - c.unsupported - c.skipped - c.non_strict;
        fprintf(out, "%sPASS%s: %zu of %zu required cases passed", pal.green, pal.off, c.passed,
                required);
        if (c.non_strict)
            fprintf(out, "; %zu non-strict", c.non_strict);
        if (c.unsupported)
            fprintf(out, "; %zu unsupported", c.unsupported);
        if (c.skipped)
            fprintf(out, "; %zu skipped", c.skipped);
        fputc('\n', out);
    }
    return finish(out);
}

/* ---- TAP 13 ------------------------------------------------------------------------------- */

/* A description: '#' escaped, control bytes as spaces. */
static void tap_text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '#' || ch == '\\')
            fputc('\\', out);
        fputc(ch < 0x20 || ch == 0x7f ? ' ' : ch, out);
    }
}

/* A YAML double-quoted scalar: always valid, whatever the bytes. */
static void yaml_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    for (size_t i = 0; i < n;) {
        unsigned ch = p[i];
        size_t l = utf8_len(p + i, n - i);
        if (ch == '"' || ch == '\\') {
            fprintf(out, "\\%c", (char)ch);
            i++;
        } else if (ch == '\n') {
            fputs("\\n", out);
            i++;
        } else if (ch == '\t') {
            fputs("\\t", out);
            i++;
        } else if (ch < 0x20 || ch == 0x7f || l == 0) {
            fprintf(out, "\\x%02x", ch);
            i++;
        } else {
            fwrite(p + i, 1, l, out);
            i += l;
        }
    }
    fputc('"', out);
}

/* A multi-line message as a literal block when that is exact, else as a quoted scalar. */
static void yaml_message(FILE *out, const char *key, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    bool literal = n > 0 && p[0] != ' ' && p[0] != '\n' && p[n - 1] != '\n';
    for (size_t i = 0; literal && i < n;) {
        size_t l = utf8_len(p + i, n - i);
        if (l == 0 || (p[i] < 0x20 && p[i] != '\n' && p[i] != '\t') || p[i] == 0x7f)
            literal = false;
        /* a line that starts with a space would change the block's indentation */
        if (p[i] == '\n' && i + 1 < n && p[i + 1] == ' ')
            literal = false;
        i += l ? l : 1;
    }
    if (!literal) {
        fprintf(out, "  %s: ", key);
        yaml_quoted(out, s);
        fputc('\n', out);
        return;
    }
    fprintf(out, "  %s: |-\n", key);
    indented(out, s, "    ");
}

int vcf_report_tap(const vcf_report_run *run, FILE *out)
{
    fputs("TAP version 13\n", out);
    fprintf(out, "1..%zu\n", run->n_results);
    fprintf(out, "# vconform %s, adapter %s%s\n", run->tool_version ? run->tool_version : "?",
            run->adapter_spec ? run->adapter_spec : "?", run->strict ? ", strict" : "");
    for (size_t i = 0; i < run->n_results; i++) {
        const vcf_case_result *r = &run->results[i];
        bool ok = r->status == VCF_CASE_PASS || r->status == VCF_CASE_UNSUPPORTED ||
                  r->status == VCF_CASE_SKIPPED;
        fprintf(out, "%s %zu - ", ok ? "ok" : "not ok", i + 1);
        tap_text(out, case_id(r));
        char why[256];
        first_line(r->message, why, sizeof why);
        if (r->status == VCF_CASE_UNSUPPORTED || r->status == VCF_CASE_SKIPPED) {
            fprintf(out, " # SKIP %s", r->status == VCF_CASE_SKIPPED ? "skipped" : "unsupported");
            if (why[0])
                fprintf(out, ": %s", why);
        } else if (r->status == VCF_CASE_NON_STRICT && !run->strict) {
            fputs(" # TODO non-strict", out);
            if (why[0])
                fprintf(out, ": %s", why);
        }
        fputc('\n', out);
        if (ok)
            continue;
        fputs("  ---\n", out);
        yaml_message(out, "message", r->message ? r->message : "");
        fputs("  rules: [", out);
        for (size_t k = 0; r->vcase && k < r->vcase->n_rules; k++) {
            fputs(k ? ", " : "", out);
            yaml_quoted(out, r->vcase->rules[k]);
        }
        fputs("]\n", out);
        fprintf(out, "  level: %s\n", level_name(r));
        fprintf(out, "  result: %s\n", vcf_case_status_name(r->status));
        fprintf(out, "  role: %s\n", role_of(run, r));
        if (r->vcase && r->failed_step < r->vcase->n_steps)
            fprintf(out, "  step: %zu\n", r->failed_step + 1);
        const vcf_vfile *f = vcf_report_file_of(run, r);
        if (f && f->path) {
            fputs("  file: ", out);
            yaml_quoted(out, f->path);
            fputc('\n', out);
            if (r->vcase && r->vcase->line)
                fprintf(out, "  line: %zu\n", r->vcase->line);
        }
        fputs("  ...\n", out);
    }
    vcf_report_counts c;
    vcf_report_count(run, &c);
    fprintf(out, "# %zu passed, %zu failed, %zu non-strict, %zu unsupported, %zu skipped\n",
            c.passed, c.failed, c.non_strict, c.unsupported, c.skipped);
    return finish(out);
}

/* ---- JUnit XML ---------------------------------------------------------------------------- */

/* Text or attribute content: markup characters as entities; bytes XML 1.0 cannot carry at all
 * (control characters, malformed UTF-8) as the visible text "\xNN". */
static void xml_text(FILE *out, const char *s, bool attr)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    for (size_t i = 0; i < n;) {
        unsigned ch = p[i];
        size_t l = utf8_len(p + i, n - i);
        switch (ch) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs(attr ? "&quot;" : "\"", out); break;
        case '\'': fputs(attr ? "&apos;" : "'", out); break;
        case '\n': fputs(attr ? "&#10;" : "\n", out); break;
        case '\r': fputs("&#13;", out); break;
        case '\t': fputs(attr ? "&#9;" : "\t", out); break;
        default:
            if (ch < 0x20 || l == 0) {
                fprintf(out, "\\x%02x", ch);
            } else {
                fwrite(p + i, 1, l, out);
                i += l;
                continue;
            }
            break;
        }
        i++;
    }
}

#define AREA_MAX 64

typedef struct junit_suite {
    char name[AREA_MAX];
    size_t tests, failures, skipped;
    double seconds;
} junit_suite;

static void case_area(const vcf_case_result *r, char *buf, size_t cap)
{
    if (r->vcase && r->vcase->n_rules && r->vcase->rules[0])
        vcf_report_rule_area(r->vcase->rules[0], buf, cap);
    else
        snprintf(buf, cap, "unclassified");
}

static void junit_case(const vcf_report_run *run, const vcf_case_result *r, FILE *out)
{
    fputs("    <testcase name=\"", out);
    xml_text(out, case_id(r), true);
    fputs("\" classname=\"", out);
    xml_text(out, role_of(run, r), true);
    fprintf(out, "\" time=\"%.6f\"", r->seconds);
    const vcf_vfile *f = vcf_report_file_of(run, r);
    if (f && f->path) {
        fputs(" file=\"", out);
        xml_text(out, f->path, true);
        fputc('"', out);
        if (r->vcase && r->vcase->line)
            fprintf(out, " line=\"%zu\"", r->vcase->line);
    }
    if (r->status == VCF_CASE_PASS) {
        fputs("/>\n", out);
        return;
    }
    fputs(">\n", out);
    char head[256];
    first_line(r->message, head, sizeof head);
    if (r->status == VCF_CASE_UNSUPPORTED || r->status == VCF_CASE_SKIPPED) {
        fprintf(out, "      <skipped message=\"%s", vcf_case_status_name(r->status));
        if (head[0]) {
            fputs(": ", out);
            xml_text(out, head, true);
        }
        fputs("\"/>\n", out);
    } else if (r->status == VCF_CASE_NON_STRICT && !run->strict) {
        fputs("      <system-out>non-strict (", out);
        xml_text(out, level_name(r), false);
        fputs("-level case failed; fails the run only with --strict)\n", out);
        xml_text(out, r->message, false);
        fputs("</system-out>\n", out);
    } else {
        /* fail, or non_strict with --strict */
        fputs("      <failure message=\"", out);
        xml_text(out, head[0] ? head : vcf_case_status_name(r->status), true);
        fprintf(out, "\" type=\"%s\">", vcf_case_status_name(r->status));
        fputs("rules: ", out);
        for (size_t k = 0; r->vcase && k < r->vcase->n_rules; k++) {
            fputs(k ? ", " : "", out);
            xml_text(out, r->vcase->rules[k], false);
        }
        fprintf(out, " (%s)\n", level_name(r));
        if (r->vcase && r->vcase->description) {
            xml_text(out, r->vcase->description, false);
            fputc('\n', out);
        }
        char step[1024];
        step_text(run, r, step, sizeof step);
        if (step[0]) {
            xml_text(out, step, false);
            fputc('\n', out);
        }
        xml_text(out, r->message, false);
        fputs("</failure>\n", out);
    }
    fputs("    </testcase>\n", out);
}

int vcf_report_junit(const vcf_report_run *run, FILE *out)
{
    junit_suite *suites = calloc(run->n_results ? run->n_results : 1, sizeof *suites);
    size_t *suite_of = calloc(run->n_results ? run->n_results : 1, sizeof *suite_of);
    if (!suites || !suite_of) {
        free(suites);
        free(suite_of);
        return -1;
    }
    size_t n_suites = 0;
    vcf_report_counts c;
    vcf_report_count(run, &c);
    size_t failures = 0, skipped = 0;
    for (size_t i = 0; i < run->n_results; i++) {
        const vcf_case_result *r = &run->results[i];
        char area[AREA_MAX];
        case_area(r, area, sizeof area);
        size_t s = 0;
        while (s < n_suites && strcmp(suites[s].name, area) != 0)
            s++;
        if (s == n_suites) {
            snprintf(suites[s].name, sizeof suites[s].name, "%s", area);
            n_suites++;
        }
        suite_of[i] = s;
        suites[s].tests++;
        suites[s].seconds += r->seconds;
        if (r->status == VCF_CASE_UNSUPPORTED || r->status == VCF_CASE_SKIPPED) {
            suites[s].skipped++;
            skipped++;
        } else if (counts_as_failure(run, r->status)) {
            suites[s].failures++;
            failures++;
        }
    }

    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out,
            "<testsuites name=\"vconform\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
            "skipped=\"%zu\" time=\"%.6f\">\n",
            c.total, failures, skipped, run->seconds);
    for (size_t s = 0; s < n_suites; s++) {
        fputs("  <testsuite name=\"", out);
        xml_text(out, suites[s].name, true);
        fprintf(out,
                "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" "
                "time=\"%.6f\">\n",
                suites[s].tests, suites[s].failures, suites[s].skipped, suites[s].seconds);
        fputs("    <properties>\n", out);
        fputs("      <property name=\"tool\" value=\"vconform ", out);
        xml_text(out, run->tool_version ? run->tool_version : "?", true);
        fputs("\"/>\n      <property name=\"adapter\" value=\"", out);
        xml_text(out, run->adapter_spec ? run->adapter_spec : "?", true);
        fprintf(out, "\"/>\n      <property name=\"strict\" value=\"%s\"/>\n",
                run->strict ? "true" : "false");
        fputs("    </properties>\n", out);
        for (size_t i = 0; i < run->n_results; i++)
            if (suite_of[i] == s)
                junit_case(run, &run->results[i], out);
        fputs("  </testsuite>\n", out);
    }
    fputs("</testsuites>\n", out);
    free(suites);
    free(suite_of);
    return finish(out);
}

/* ---- JSON --------------------------------------------------------------------------------- */

static json_t *jstr(const char *s)
{
    /* json_string refuses malformed UTF-8: keep the text, replace what cannot be carried */
    if (!s)
        return json_null();
    json_t *j = json_string(s);
    if (j)
        return j;
    size_t n = strlen(s);
    char *clean = malloc(n * 4 + 1);
    if (!clean)
        return json_null();
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_len(p + i, n - i);
        if (l == 0) {
            o += (size_t)snprintf(clean + o, 5, "\\x%02x", p[i]);
            i++;
        } else {
            memcpy(clean + o, p + i, l);
            o += l;
            i += l;
        }
    }
    clean[o] = '\0';
    j = json_string(clean);
    free(clean);
    return j ? j : json_null();
}

int vcf_report_json(const vcf_report_run *run, FILE *out)
{
    vcf_report_counts c;
    vcf_report_count(run, &c);
    json_t *root = json_object();
    json_object_set_new(root, "tool", json_string("vconform"));
    json_object_set_new(root, "version", jstr(run->tool_version ? run->tool_version : "?"));
    json_object_set_new(root, "adapter", jstr(run->adapter_spec ? run->adapter_spec : "?"));
    json_t *sum = json_object();
    json_object_set_new(sum, "total", json_integer((json_int_t)c.total));
    json_object_set_new(sum, "passed", json_integer((json_int_t)c.passed));
    json_object_set_new(sum, "failed", json_integer((json_int_t)c.failed));
    json_object_set_new(sum, "skipped", json_integer((json_int_t)c.skipped));
    json_object_set_new(sum, "unsupported", json_integer((json_int_t)c.unsupported));
    json_object_set_new(sum, "non_strict", json_integer((json_int_t)c.non_strict));
    json_object_set_new(root, "summary", sum);

    json_t *cases = json_array();
    for (size_t i = 0; i < run->n_results; i++) {
        const vcf_case_result *r = &run->results[i];
        json_t *jc = json_object();
        json_object_set_new(jc, "id", jstr(case_id(r)));
        json_t *rules = json_array();
        for (size_t k = 0; r->vcase && k < r->vcase->n_rules; k++)
            json_array_append_new(rules, jstr(r->vcase->rules[k]));
        json_object_set_new(jc, "rules", rules);
        json_object_set_new(jc, "result", json_string(vcf_case_status_name(r->status)));
        json_object_set_new(jc, "message", jstr(r->message));
        /* extras */
        json_object_set_new(jc, "role", jstr(role_of(run, r)));
        json_object_set_new(jc, "level", jstr(level_name(r)));
        json_object_set_new(jc, "seconds", json_real(r->seconds));
        json_object_set_new(jc, "steps_run", json_integer((json_int_t)r->steps_run));
        if ((r->status == VCF_CASE_FAIL || r->status == VCF_CASE_NON_STRICT) && r->vcase &&
            r->failed_step < r->vcase->n_steps)
            json_object_set_new(jc, "failed_step", json_integer((json_int_t)r->failed_step));
        const vcf_vfile *f = vcf_report_file_of(run, r);
        if (f && f->path) {
            json_object_set_new(jc, "file", jstr(f->path));
            if (r->vcase && r->vcase->line)
                json_object_set_new(jc, "line", json_integer((json_int_t)r->vcase->line));
        }
        json_array_append_new(cases, jc);
    }
    json_object_set_new(root, "cases", cases);

    /* extras about the run */
    json_object_set_new(root, "adapter_name", jstr(run->adapter_name));
    json_object_set_new(root, "adapter_version", jstr(run->adapter_version));
    json_object_set_new(root, "strict", json_boolean(run->strict));
    json_object_set_new(root, "exit_status",
                        json_integer(vcf_report_exit_status(run, run->strict)));
    json_object_set_new(root, "seconds", json_real(run->seconds));
    json_t *files = json_array();
    for (size_t i = 0; i < run->n_files; i++) {
        const vcf_vfile *f = run->files[i];
        if (!f)
            continue;
        json_t *jf = json_object();
        json_object_set_new(jf, "path", jstr(f->path));
        json_object_set_new(jf, "role", json_string(vcf_iut_role_name(f->role)));
        json_object_set_new(jf, "spec", jstr(f->spec));
        json_object_set_new(jf, "cases", json_integer((json_int_t)file_cases(f)));
        json_array_append_new(files, jf);
    }
    json_object_set_new(root, "vectors", files);

    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9));
    json_decref(root);
    fputc('\n', out);
    if (rc != 0)
        return -1;
    return finish(out);
}

int vcf_report_write(const vcf_report_run *run, vcf_report_format format, FILE *out)
{
    switch (format) {
    case VCF_REPORT_HUMAN: return vcf_report_human(run, out);
    case VCF_REPORT_TAP: return vcf_report_tap(run, out);
    case VCF_REPORT_JUNIT: return vcf_report_junit(run, out);
    case VCF_REPORT_JSON: return vcf_report_json(run, out);
    }
    return -1;
}

/* ---- progress ----------------------------------------------------------------------------- */

void vcf_report_progress(FILE *out, size_t done, size_t total, const vcf_report_counts *counts)
{
    if (!out || isatty(fileno(out)) != 1)
        return;
    if (done >= total) {
        fputs("\r\033[K", out);
        fflush(out);
        return;
    }
    int width = 1;
    for (size_t t = total; t >= 10; t /= 10)
        width++;
    fprintf(out, "\r[%*zu/%zu]", width, done, total);
    if (counts) {
        fprintf(out, " %zu passed, %zu failed", counts->passed, counts->failed);
        if (counts->non_strict)
            fprintf(out, ", %zu non-strict", counts->non_strict);
        if (counts->unsupported)
            fprintf(out, ", %zu unsupported", counts->unsupported);
        if (counts->skipped)
            fprintf(out, ", %zu skipped", counts->skipped);
    }
    fputs("\033[K", out);
    fflush(out);
}
