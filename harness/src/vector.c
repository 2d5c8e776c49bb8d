/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: golden vector files (docs/vectors.md).
 *
 * Loading is strict: the JSON text is parsed by jansson, then every object is walked against
 * the shape that vectors/schema/vectors.schema.json describes (unknown keys rejected), and the
 * names in it are checked against the adapter tables (model/src/adapter_names.c) and the rule
 * catalogues. jansson keeps no positions for the values of a parsed tree, so a second, light
 * pass over the text (the "scanner" below) finds the line and column of any JSON path: every
 * error names FILE:LINE:COL, the JSON path and the case, and each case records its line.
 *
 * Writing is canonical: fixed key order, optional keys left out when they hold their default,
 * 2-space indent and a trailing newline, so that a regenerated file compares byte for byte and
 * save(load(save(x))) == save(x).
 */
#include "vector.h"

#include "cli.h"
#include "hex.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- results ------------------------------------------------------------------------------ */

static const char *const vresult_names[] = {"valid", "invalid", "acceptable"};

const char *vcf_vresult_name(vcf_vresult r)
{
    return (unsigned)r < 3u ? vresult_names[r] : "?";
}

int vcf_vresult_parse(const char *s, vcf_vresult *out)
{
    for (unsigned i = 0; s && i < 3u; i++) {
        if (strcmp(s, vresult_names[i]) == 0) {
            *out = (vcf_vresult)i;
            return 0;
        }
    }
    return -1;
}

/* ---- freeing ------------------------------------------------------------------------------ */

static void bytes_free(vcf_vbytes *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
}

static void obs_free(vcf_obs_match *o)
{
    bytes_free(&o->msg.bytes);
    bytes_free(&o->msg.mask);
    free(o->msg.decoded);
    bytes_free(&o->event.data);
}

static void obs_list_free(vcf_obs_match *o, size_t n)
{
    for (size_t i = 0; o && i < n; i++)
        obs_free(&o[i]);
    free(o);
}

static void expect_free(vcf_expect *e)
{
    for (size_t i = 0; e->alts && i < e->n_alts; i++)
        obs_list_free(e->alts[i].obs, e->alts[i].n_obs);
    free(e->alts);
    obs_list_free(e->ignore, e->n_ignore);
}

static void step_free(vcf_step *s)
{
    bytes_free(&s->bytes);
    free(s->decoded);
    free(s->copies);
    bytes_free(&s->data);
    expect_free(&s->expect);
}

static void strv_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static void case_free(vcf_case *c)
{
    free(c->id);
    strv_free(c->rules, c->n_rules);
    free(c->description);
    strv_free(c->flags, c->n_flags);
    for (size_t i = 0; c->steps && i < c->n_steps; i++)
        step_free(&c->steps[i]);
    free(c->steps);
}

/* Parameter strings are const in the adapter ABI but owned (malloc'd) by the file. */
static void free_const(const char *p)
{
    free((void *)(uintptr_t)p);
}

static void group_free(vcf_group *g)
{
    for (size_t i = 0; g->params && i < g->n_params; i++) {
        free_const(g->params[i].key);
        free_const(g->params[i].value);
    }
    free(g->params);
    free(g->description);
    for (size_t i = 0; g->cases && i < g->n_cases; i++)
        case_free(&g->cases[i]);
    free(g->cases);
}

void vcf_vfile_free(vcf_vfile *f)
{
    if (!f)
        return;
    free(f->path);
    free(f->spec);
    free(f->generator);
    for (size_t i = 0; f->notes && i < f->n_notes; i++) {
        free(f->notes[i].flag);
        free(f->notes[i].text);
    }
    free(f->notes);
    for (size_t i = 0; f->groups && i < f->n_groups; i++)
        group_free(&f->groups[i]);
    free(f->groups);
    for (size_t i = 0; f->unobservable && i < f->n_unobservable; i++) {
        free(f->unobservable[i].rule);
        free(f->unobservable[i].reason);
    }
    free(f->unobservable);
    memset(f, 0, sizeof *f);
}

size_t vcf_vfile_count(const vcf_vfile *f)
{
    size_t n = 0;
    for (size_t i = 0; f && f->groups && i < f->n_groups; i++)
        n += f->groups[i].n_cases;
    return n;
}

/* ---- small helpers ------------------------------------------------------------------------ */

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Appends s to buf (NUL-terminated, capacity cap), separated by ", " when not the first. */
static void list_add(char *buf, size_t cap, const char *s)
{
    size_t used = strlen(buf);
    if (used + 1 >= cap)
        return;
    snprintf(buf + used, cap - used, "%s%s", used ? ", " : "", s);
}

/* The prefix of every case ID of a role (docs/vectors.md#ids). */
static const char *id_prefix(uint32_t role)
{
    switch (role) {
    case VCF_IUT_RPMSG_DRIVER: return "rpmsg-drv";
    case VCF_IUT_RPMSG_DEVICE: return "rpmsg-dev";
    case VCF_IUT_VMSG_DEVICE: return "vmsg-dev";
    case VCF_IUT_VMSG_DRIVER: return "vmsg-drv";
    case VCF_IUT_VMSG_BUS: return "vmsg-bus";
    default: return NULL;
    }
}

static bool is_lower_alnum(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
}

/* PREFIX-seg([._-]seg)* with seg = [a-z0-9]+ */
static bool id_valid(uint32_t role, const char *id)
{
    const char *p = id_prefix(role);
    size_t n = p ? strlen(p) : 0;
    if (!p || strncmp(id, p, n) != 0 || id[n] != '-')
        return false;
    const char *s = id + n + 1;
    if (!is_lower_alnum(*s))
        return false;
    for (; *s; s++) {
        if (is_lower_alnum(*s))
            continue;
        if ((*s == '-' || *s == '.' || *s == '_') && is_lower_alnum(s[1]))
            continue;
        return false;
    }
    return true;
}

/* A flag: [A-Za-z][A-Za-z0-9_-]* */
static bool flag_valid(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return false;
    return true;
}

/* A parameter key: [a-z][a-z0-9_]* (. [a-z][a-z0-9_]*)* */
static bool param_key_valid(const char *s)
{
    bool start = true;
    for (; *s; s++) {
        if (start) {
            if (!(*s >= 'a' && *s <= 'z'))
                return false;
            start = false;
        } else if (*s == '.') {
            start = true;
        } else if (!is_lower_alnum(*s) && *s != '_') {
            return false;
        }
    }
    return !start;
}

static bool printable_text(const vcf_vbytes *b)
{
    if (b->len == 0)
        return false;
    for (size_t i = 0; i < b->len; i++)
        if (b->data[i] < 0x20 || b->data[i] > 0x7e)
            return false;
    return true;
}

static bool data_is_name(const char *what)
{
    return what && strcmp(what, "name") == 0;
}

/* ---- positions: a light second pass over the JSON text ------------------------------------ */

#define VPATH_MAX 16

typedef struct vpath_comp {
    const char *key; /* NULL: an array index */
    size_t klen;
    size_t index;
} vpath_comp;

typedef struct case_pos {
    size_t group, index, line;
} case_pos;

enum { SCAN_LOCATE, SCAN_CASES };

typedef struct vscan {
    const char *s;
    size_t n, i, line, col;
    vpath_comp path[VPATH_MAX];
    size_t depth; /* may exceed VPATH_MAX: deeper components are not kept */
    int mode;
    /* SCAN_LOCATE */
    const vpath_comp *target;
    size_t tdepth;
    bool want_key; /* the position of the target's last key rather than of its value */
    bool done;
    size_t best, best_line, best_col; /* the deepest prefix of the target found so far */
    /* SCAN_CASES */
    case_pos *cases;
    size_t n_cases, cap_cases;
    bool oom;
} vscan;

static void sc_adv(vscan *sc)
{
    unsigned char ch = (unsigned char)sc->s[sc->i++];
    if (ch == '\n') {
        sc->line++;
        sc->col = 1;
    } else if ((ch & 0xC0u) != 0x80u) { /* columns count characters, as jansson's do */
        sc->col++;
    }
}

static void sc_ws(vscan *sc)
{
    while (sc->i < sc->n && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t' || sc->s[sc->i] == '\n' ||
                             sc->s[sc->i] == '\r'))
        sc_adv(sc);
}

static bool comp_eq(const vpath_comp *a, const vpath_comp *b)
{
    if (!a->key || !b->key)
        return !a->key && !b->key && a->index == b->index;
    return a->klen == b->klen && memcmp(a->key, b->key, a->klen) == 0;
}

static bool sc_prefix_matches(const vscan *sc, size_t depth)
{
    if (depth > sc->tdepth || depth > VPATH_MAX)
        return false;
    for (size_t k = 0; k < depth; k++)
        if (!comp_eq(&sc->path[k], &sc->target[k]))
            return false;
    return true;
}

/* Called at the start of every value (and of every key in SCAN_LOCATE with want_key). */
static void sc_visit(vscan *sc, size_t line, size_t col)
{
    if (sc->mode == SCAN_LOCATE) {
        if (sc->depth > sc->best && sc_prefix_matches(sc, sc->depth)) {
            sc->best = sc->depth;
            sc->best_line = line;
            sc->best_col = col;
            if (sc->depth == sc->tdepth && !sc->want_key)
                sc->done = true;
        }
        return;
    }
    /* SCAN_CASES: groups[g].cases[c] at the top level */
    if (sc->depth == 4 && sc->path[0].key && sc->path[0].klen == 6 &&
        memcmp(sc->path[0].key, "groups", 6) == 0 && !sc->path[1].key && sc->path[2].key &&
        sc->path[2].klen == 5 && memcmp(sc->path[2].key, "cases", 5) == 0 && !sc->path[3].key) {
        if (sc->n_cases == sc->cap_cases) {
            size_t cap = sc->cap_cases ? 2 * sc->cap_cases : 64;
            case_pos *p = realloc(sc->cases, cap * sizeof *p);
            if (!p) {
                sc->oom = true;
                return;
            }
            sc->cases = p;
            sc->cap_cases = cap;
        }
        sc->cases[sc->n_cases++] = (case_pos){sc->path[1].index, sc->path[3].index, line};
    }
}

static void sc_string(vscan *sc, const char **start, size_t *len)
{
    sc_adv(sc); /* '"' */
    *start = sc->s + sc->i;
    while (sc->i < sc->n && sc->s[sc->i] != '"') {
        if (sc->s[sc->i] == '\\' && sc->i + 1 < sc->n)
            sc_adv(sc);
        sc_adv(sc);
    }
    *len = (size_t)(sc->s + sc->i - *start);
    if (sc->i < sc->n)
        sc_adv(sc);
}

static void sc_push(vscan *sc, const char *key, size_t klen, size_t index)
{
    if (sc->depth < VPATH_MAX)
        sc->path[sc->depth] = (vpath_comp){key, klen, index};
    sc->depth++;
}

static void sc_value(vscan *sc)
{
    sc_ws(sc);
    if (sc->i >= sc->n || sc->done)
        return;
    sc_visit(sc, sc->line, sc->col);
    char ch = sc->s[sc->i];
    const char *str;
    size_t len;
    if (ch == '{') {
        sc_adv(sc);
        for (;;) {
            sc_ws(sc);
            if (sc->i >= sc->n || sc->done || sc->s[sc->i] == '}')
                break;
            if (sc->s[sc->i] == ',') {
                sc_adv(sc);
                continue;
            }
            size_t kline = sc->line, kcol = sc->col;
            sc_string(sc, &str, &len);
            sc_push(sc, str, len, 0);
            if (sc->mode == SCAN_LOCATE && sc->want_key && sc->depth == sc->tdepth &&
                sc_prefix_matches(sc, sc->depth)) {
                sc->best = sc->depth;
                sc->best_line = kline;
                sc->best_col = kcol;
                sc->done = true;
            }
            sc_ws(sc);
            if (sc->i < sc->n && sc->s[sc->i] == ':')
                sc_adv(sc);
            sc_value(sc);
            sc->depth--;
        }
        if (sc->i < sc->n && !sc->done)
            sc_adv(sc);
    } else if (ch == '[') {
        sc_adv(sc);
        size_t index = 0;
        for (;;) {
            sc_ws(sc);
            if (sc->i >= sc->n || sc->done || sc->s[sc->i] == ']')
                break;
            if (sc->s[sc->i] == ',') {
                sc_adv(sc);
                continue;
            }
            sc_push(sc, NULL, 0, index++);
            sc_value(sc);
            sc->depth--;
        }
        if (sc->i < sc->n && !sc->done)
            sc_adv(sc);
    } else if (ch == '"') {
        sc_string(sc, &str, &len);
    } else {
        size_t start = sc->i;
        while (sc->i < sc->n && sc->s[sc->i] != ',' && sc->s[sc->i] != '}' && sc->s[sc->i] != ']' &&
               sc->s[sc->i] != ' ' && sc->s[sc->i] != '\n' && sc->s[sc->i] != '\r' &&
               sc->s[sc->i] != '\t')
            sc_adv(sc);
        if (sc->i == start && sc->i < sc->n)
            sc_adv(sc); /* always move on, even in text jansson would refuse */
    }
}

static void sc_init(vscan *sc, const char *text, size_t len, int mode)
{
    memset(sc, 0, sizeof *sc);
    sc->s = text;
    sc->n = len;
    sc->line = 1;
    sc->col = 1;
    sc->mode = mode;
    sc->best_line = 1;
    sc->best_col = 1;
}

/* ---- loading ------------------------------------------------------------------------------ */

typedef struct lctx {
    const char *name;
    const char *text;
    size_t text_len;
    char *err;
    size_t err_len;
    vpath_comp path[VPATH_MAX];
    size_t depth;
    const char *case_id; /* the case being read, for messages */
    uint32_t role;
    const vcf_catalogue *cat;
    vcf_vfile *f;
    case_pos *case_lines; /* from the scanner, in document order */
    size_t n_case_lines, next_case_line;
} lctx;

static void push_key(lctx *c, const char *key)
{
    if (c->depth < VPATH_MAX)
        c->path[c->depth] = (vpath_comp){key, strlen(key), 0};
    c->depth++;
}

static void push_idx(lctx *c, size_t i)
{
    if (c->depth < VPATH_MAX)
        c->path[c->depth] = (vpath_comp){NULL, 0, i};
    c->depth++;
}

static void pop(lctx *c)
{
    c->depth--;
}

static void path_format(const lctx *c, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    size_t d = c->depth < VPATH_MAX ? c->depth : VPATH_MAX;
    for (size_t k = 0; k < d && used + 1 < cap; k++) {
        int n;
        if (c->path[k].key)
            n = snprintf(buf + used, cap - used, "%s%.*s", k ? "." : "", (int)c->path[k].klen,
                         c->path[k].key);
        else
            n = snprintf(buf + used, cap - used, "[%zu]", c->path[k].index);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    if (d == 0)
        snprintf(buf, cap, "(top)");
}

/*
 * Report an error at the current path: at its value, or at its key (at_key), and char_off
 * characters into a string value when non-zero (the column of a bad hex digit). Returns -1.
 */
static int lfail_at(lctx *c, bool at_key, size_t char_off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int lfail_at(lctx *c, bool at_key, size_t char_off, const char *fmt, ...)
{
    vscan sc;
    sc_init(&sc, c->text, c->text_len, SCAN_LOCATE);
    sc.target = c->path;
    sc.tdepth = c->depth < VPATH_MAX ? c->depth : VPATH_MAX;
    sc.want_key = at_key && sc.tdepth > 0 && c->path[sc.tdepth - 1].key;
    sc_value(&sc);
    size_t col = sc.best_col;
    if (char_off && sc.best == sc.tdepth && !sc.want_key)
        col += char_off; /* the opening quote is at best_col; character k (1-based) at +k */

    char where[256], msg[512];
    path_format(c, where, sizeof where);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->err && c->err_len) {
        if (c->case_id)
            snprintf(c->err, c->err_len, "%s:%zu:%zu: %s (case %s): %s", c->name, sc.best_line, col,
                     where, c->case_id, msg);
        else
            snprintf(c->err, c->err_len, "%s:%zu:%zu: %s: %s", c->name, sc.best_line, col, where,
                     msg);
    }
    return -1;
}

#define lfail(c, ...) lfail_at((c), false, 0, __VA_ARGS__)

static int oom(lctx *c)
{
    return lfail(c, "out of memory");
}

/* What a value is, for "found ..." (strings quoted and cut short). */
static const char *describe(const json_t *v, char *buf, size_t cap)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: {
        const char *s = json_string_value(v);
        size_t n = strlen(s);
        if (n > 40)
            snprintf(buf, cap, "\"%.37s...\"", s);
        else
            snprintf(buf, cap, "\"%s\"", s);
        return buf;
    }
    case JSON_INTEGER: snprintf(buf, cap, "%lld", (long long)json_integer_value(v)); return buf;
    case JSON_REAL: snprintf(buf, cap, "%g", json_real_value(v)); return buf;
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    case JSON_NULL: return "null";
    }
    return "?";
}

static int want_type(lctx *c, const json_t *v, json_type t, const char *what)
{
    char b[64];
    if (json_typeof(v) != t)
        return lfail(c, "expected %s, found %s", what, describe(v, b, sizeof b));
    return 0;
}

/* Rejects keys not in allowed (NULL-terminated), naming the first in file order. */
static int check_keys(lctx *c, json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool ok = false;
        for (size_t i = 0; allowed[i] && !ok; i++)
            ok = strcmp(key, allowed[i]) == 0;
        if (!ok) {
            char list[256] = "";
            for (size_t i = 0; allowed[i]; i++)
                list_add(list, sizeof list, allowed[i]);
            push_key(c, key);
            return lfail_at(c, true, 0, "unknown key \"%s\": expected one of %s", key, list);
        }
    }
    return 0;
}

/* A required member; fails at the object when it is missing. */
static json_t *req(lctx *c, json_t *obj, const char *key, json_type t, const char *what)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        lfail(c, "missing required key \"%s\" (%s)", key, what);
        return NULL;
    }
    push_key(c, key);
    int rc = want_type(c, v, t, what);
    pop(c);
    return rc ? NULL : v;
}

/* An optional member of type t: *out NULL when absent; -1 when of another type. */
static int opt(lctx *c, json_t *obj, const char *key, json_type t, const char *what, json_t **out)
{
    *out = json_object_get(obj, key);
    if (!*out)
        return 0;
    push_key(c, key);
    int rc = want_type(c, *out, t, what);
    pop(c);
    return rc;
}

/* The string at the current path, copied. */
static int get_string(lctx *c, const json_t *v, bool nonempty, char **out)
{
    if (want_type(c, v, JSON_STRING, nonempty ? "a non-empty string" : "a string"))
        return -1;
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v))
        return lfail(c, "expected a string without NUL characters, found one with \\u0000");
    if (nonempty && !*s)
        return lfail(c, "expected a non-empty string, found \"\"");
    *out = xstrdup(s);
    return *out ? 0 : oom(c);
}

/* A required member string. */
static int member_string(lctx *c, json_t *obj, const char *key, bool nonempty, char **out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return lfail(c, "missing required key \"%s\" (a string)", key);
    push_key(c, key);
    int rc = get_string(c, v, nonempty, out);
    pop(c);
    return rc;
}

/* A number: a non-negative JSON integer, or a "0x..." string of 1 to 16 hex digits (values
 * above 2^63 - 1 cannot be JSON integers in jansson). */
static int get_u64(lctx *c, const json_t *v, uint64_t *out)
{
    char b[64];
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);
        if (x < 0)
            return lfail(c, "expected a non-negative integer, found %lld", (long long)x);
        *out = (uint64_t)x;
        return 0;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = strlen(s);
        if (n >= 3 && n <= 18 && s[0] == '0' && s[1] == 'x') {
            uint64_t x = 0;
            size_t k = 2;
            for (; k < n && vcf_cli_hex_digit((unsigned char)s[k]) >= 0; k++)
                x = (x << 4) | (uint64_t)vcf_cli_hex_digit((unsigned char)s[k]);
            if (k == n) {
                *out = x;
                return 0;
            }
        }
    }
    return lfail(c,
                 "expected a non-negative integer or a \"0x...\" string of 1 to 16 hex digits, "
                 "found %s",
                 describe(v, b, sizeof b));
}

static int member_u64(lctx *c, json_t *obj, const char *key, bool *present, uint64_t *out)
{
    json_t *v = json_object_get(obj, key);
    *present = v != NULL;
    if (!v)
        return 0;
    push_key(c, key);
    int rc = get_u64(c, v, out);
    pop(c);
    return rc;
}

/* Hex digits, two per byte, no separators. */
static int get_hex(lctx *c, const json_t *v, vcf_vbytes *out)
{
    if (want_type(c, v, JSON_STRING, "a string of hex digits"))
        return -1;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v), k;
    out->data = malloc(n / 2 ? n / 2 : 1); /* non-NULL even when empty */
    if (!out->data)
        return oom(c);
    long got = vcf_cli_hex_decode(s, n, out->data, n / 2, &k);
    if (got < 0) {
        free(out->data);
        out->data = NULL;
        if (k == n)
            return lfail(c, "expected an even number of hex digits (two per byte), found %zu", n);
        char shown[8];
        if ((unsigned char)s[k] >= 0x20 && (unsigned char)s[k] < 0x7f)
            snprintf(shown, sizeof shown, "'%c'", s[k]);
        else
            snprintf(shown, sizeof shown, "0x%02x", (unsigned char)s[k]);
        return lfail_at(c, false, k + 1,
                        "expected hex digits (0-9, a-f), found %s at character %zu", shown, k + 1);
    }
    out->len = (size_t)got;
    return 0;
}

/* "data" (hex) or "text" (the bytes of a string): the byte-string argument of an action or an
 * event, allowed only when the table says it has one (what != NULL). */
static int get_data_or_text(lctx *c, json_t *obj, const char *owner, const char *what,
                            bool *present, vcf_vbytes *out)
{
    json_t *d = json_object_get(obj, "data");
    json_t *t = json_object_get(obj, "text");
    *present = d || t;
    if (!d && !t)
        return 0;
    if (!what) {
        push_key(c, d ? "data" : "text");
        return lfail_at(c, true, 0, "expected no data: %s carries none", owner);
    }
    if (d && t) {
        push_key(c, "text");
        return lfail_at(c, true, 0, "expected \"data\" or \"text\", found both");
    }
    if (d) {
        push_key(c, "data");
        int rc = get_hex(c, d, out);
        pop(c);
        return rc;
    }
    char *s = NULL;
    push_key(c, "text");
    int rc = get_string(c, t, false, &s);
    pop(c);
    if (rc)
        return -1;
    out->data = (uint8_t *)s;
    out->len = strlen(s);
    return 0;
}

static int get_channel(lctx *c, json_t *obj, uint32_t *out)
{
    char *name = NULL;
    if (member_string(c, obj, "channel", false, &name))
        return -1;
    int rc = vcf_channel_parse(c->role, name, out);
    if (rc != VCF_ADAPTER_OK) {
        char list[128] = "";
        for (uint32_t i = 0; i < vcf_channel_count(c->role); i++)
            list_add(list, sizeof list, vcf_channel_name(c->role, i));
        push_key(c, "channel");
        lfail(c, "expected a channel of role %s (%s), found \"%s\"", vcf_iut_role_name(c->role),
              list, name);
        pop(c);
    }
    free(name);
    return rc == VCF_ADAPTER_OK ? 0 : -1;
}

/* A rule ID of this file's catalogue. */
static int check_rule(lctx *c, const char *id)
{
    const vcf_rule *r = vcf_rule_find(id);
    bool mine = false;
    for (size_t i = 0; r && c->cat && i < c->cat->count && !mine; i++)
        mine = &c->cat->rules[i] == r;
    const char *proto = vcf_iut_role_protocol(c->role);
    if (!r)
        return lfail(c, "expected a rule ID of the %s catalogue, found \"%s\" (in no catalogue)",
                     proto, id);
    if (!mine)
        return lfail(c,
                     "expected a rule ID of the %s catalogue, found \"%s\" (a rule of another "
                     "catalogue)",
                     proto, id);
    if (r->withdrawn)
        return lfail(c, "expected a rule in force, found \"%s\", which is withdrawn", id);
    return 0;
}

/* ---- observations ---- */

static const char *const msg_keys[] = {"channel", "hex", "mask", "used_len", "decoded", NULL};
static const char *const event_keys[] = {"name", "args", "data", "text", NULL};

static int parse_msg(lctx *c, json_t *o, vcf_msg_match *m)
{
    json_t *v;
    if (check_keys(c, o, msg_keys) || get_channel(c, o, &m->channel))
        return -1;
    if (!(v = req(c, o, "hex", JSON_STRING, "a string of hex digits")))
        return -1;
    push_key(c, "hex");
    int rc = get_hex(c, v, &m->bytes);
    pop(c);
    if (rc)
        return -1;
    if ((v = json_object_get(o, "mask"))) {
        push_key(c, "mask");
        if (get_hex(c, v, &m->mask))
            return -1;
        if (m->mask.len != m->bytes.len)
            return lfail(c, "expected a mask of %zu bytes (the length of hex), found %zu bytes",
                         m->bytes.len, m->mask.len);
        pop(c);
    }
    if (member_u64(c, o, "used_len", &m->has_used_len, &m->used_len))
        return -1;
    if ((v = json_object_get(o, "decoded"))) {
        push_key(c, "decoded");
        rc = get_string(c, v, false, &m->decoded);
        pop(c);
        if (rc)
            return -1;
    }
    return 0;
}

static int parse_event(lctx *c, json_t *o, vcf_event_match *e)
{
    char *name = NULL;
    json_t *args;
    if (check_keys(c, o, event_keys) || member_string(c, o, "name", true, &name))
        return -1;
    const vcf_event_info *info = vcf_adapter_event_find(c->role, name);
    if (!info) {
        char list[512] = "";
        for (const vcf_event_info *ev = vcf_adapter_events(); ev->name; ev++)
            if (ev->roles & VCF_IUT_ROLE_BIT(c->role))
                list_add(list, sizeof list, ev->name);
        push_key(c, "name");
        lfail(c, "expected an event of role %s (%s), found \"%s\"", vcf_iut_role_name(c->role),
              list, name);
        free(name);
        return -1;
    }
    free(name);
    e->type = info->type;
    if (opt(c, o, "args", JSON_OBJECT, "an object of event arguments", &args))
        return -1;
    if (args) {
        const char *key;
        json_t *v;
        push_key(c, "args");
        json_object_foreach(args, key, v)
        {
            unsigned slot = VCF_ADAPTER_ARG_MAX;
            for (unsigned k = 0; k < VCF_ADAPTER_ARG_MAX; k++)
                if (info->args[k] && strcmp(info->args[k], key) == 0)
                    slot = k;
            push_key(c, key);
            if (slot == VCF_ADAPTER_ARG_MAX) {
                char list[128] = "";
                for (unsigned k = 0; k < VCF_ADAPTER_ARG_MAX; k++)
                    if (info->args[k])
                        list_add(list, sizeof list, info->args[k]);
                return lfail_at(c, true, 0, "expected an argument of event %s (%s), found \"%s\"",
                                info->name, list[0] ? list : "none", key);
            }
            if (get_u64(c, v, &e->args[slot]))
                return -1;
            e->args_set |= 1u << slot;
            pop(c);
        }
        pop(c);
    }
    char owner[64];
    snprintf(owner, sizeof owner, "event %s", info->name);
    return get_data_or_text(c, o, owner, info->data, &e->has_data, &e->data);
}

static int parse_obs(lctx *c, json_t *o, vcf_obs_match *m)
{
    static const char *const obs_keys[] = {"msg", "event", NULL};
    if (want_type(c, o, JSON_OBJECT, "an observation ({\"msg\": ...} or {\"event\": ...})") ||
        check_keys(c, o, obs_keys))
        return -1;
    json_t *msg = json_object_get(o, "msg");
    json_t *ev = json_object_get(o, "event");
    if (msg && ev) {
        push_key(c, "event");
        return lfail_at(c, true, 0, "expected \"msg\" or \"event\", found both");
    }
    if (!msg && !ev)
        return lfail(c, "expected \"msg\" or \"event\", found an empty object");
    push_key(c, msg ? "msg" : "event");
    if (want_type(c, msg ? msg : ev, JSON_OBJECT, "an object"))
        return -1;
    int rc;
    if (msg) {
        m->kind = VCF_OBS_MSG;
        rc = parse_msg(c, msg, &m->msg);
    } else {
        m->kind = VCF_OBS_EVENT;
        rc = parse_event(c, ev, &m->event);
    }
    pop(c);
    return rc;
}

static int parse_obs_list(lctx *c, json_t *a, vcf_obs_match **out, size_t *n)
{
    if (want_type(c, a, JSON_ARRAY, "an array of observations"))
        return -1;
    *n = json_array_size(a);
    if (*n && !(*out = calloc(*n, sizeof **out)))
        return oom(c);
    for (size_t i = 0; i < *n; i++) {
        push_idx(c, i);
        if (parse_obs(c, json_array_get(a, i), &(*out)[i]))
            return -1;
        pop(c);
    }
    return 0;
}

/* ---- steps ---- */

static int parse_expect(lctx *c, json_t *o, vcf_expect *e, bool action)
{
    static const char *const keys[] = {"any_of", "ignore", "result", "value", "value_mask", NULL};
    json_t *any, *ign, *res;
    if (check_keys(c, o, keys))
        return -1;
    if (!(any = req(c, o, "any_of", JSON_ARRAY, "an array of alternatives")))
        return -1;
    push_key(c, "any_of");
    e->n_alts = json_array_size(any);
    if (e->n_alts == 0)
        return lfail(c, "expected at least one alternative (an empty alternative [] expects "
                        "silence), found none");
    if (!(e->alts = calloc(e->n_alts, sizeof *e->alts)))
        return oom(c);
    for (size_t i = 0; i < e->n_alts; i++) {
        push_idx(c, i);
        if (parse_obs_list(c, json_array_get(any, i), &e->alts[i].obs, &e->alts[i].n_obs))
            return -1;
        pop(c);
    }
    pop(c);
    if ((ign = json_object_get(o, "ignore"))) {
        push_key(c, "ignore");
        if (parse_obs_list(c, ign, &e->ignore, &e->n_ignore))
            return -1;
        pop(c);
    }
    static const char *const action_only[] = {"result", "value", "value_mask"};
    for (size_t k = 0; !action && k < 3; k++)
        if (json_object_get(o, action_only[k])) {
            push_key(c, action_only[k]);
            return lfail_at(c, true, 0,
                            "expected \"%s\" only after an action, found it after an inject",
                            action_only[k]);
        }
    if (opt(c, o, "result", JSON_STRING, "\"done\" or \"refused\"", &res))
        return -1;
    if (res) {
        const char *s = json_string_value(res);
        if (strcmp(s, "done") == 0) {
            e->result = VCF_EXPECT_DONE;
        } else if (strcmp(s, "refused") == 0) {
            e->result = VCF_EXPECT_REFUSED;
        } else {
            push_key(c, "result");
            return lfail(c, "expected \"done\" or \"refused\", found \"%s\"", s);
        }
    }
    bool has_mask = false;
    if (member_u64(c, o, "value", &e->has_value, &e->value) ||
        member_u64(c, o, "value_mask", &has_mask, &e->value_mask))
        return -1;
    if (has_mask && !e->has_value) {
        push_key(c, "value_mask");
        return lfail_at(c, true, 0, "expected \"value_mask\" only with \"value\", found it alone");
    }
    if (e->has_value && !has_mask)
        e->value_mask = UINT64_MAX;
    return 0;
}

/* A small non-negative JSON integer (an index or a length). */
static int get_size(lctx *c, const json_t *v, size_t *out)
{
    char b[64];
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return lfail(c, "expected a non-negative integer, found %s", describe(v, b, sizeof b));
    if ((unsigned long long)json_integer_value(v) > (unsigned long long)(SIZE_MAX / 2))
        return lfail(c, "expected an index or a length, found %lld",
                     (long long)json_integer_value(v));
    *out = (size_t)json_integer_value(v);
    return 0;
}

/* "copy": bytes of a message emitted after an earlier step, written into the stimulus. */
static int parse_copies(lctx *c, json_t *a, vcf_step *s, size_t index)
{
    static const char *const keys[] = {"step", "msg", "from", "to", "len", NULL};
    if (want_type(c, a, JSON_ARRAY, "an array of copies"))
        return -1;
    s->n_copies = json_array_size(a);
    if (s->n_copies && !(s->copies = calloc(s->n_copies, sizeof *s->copies)))
        return oom(c);
    for (size_t i = 0; i < s->n_copies; i++) {
        json_t *o = json_array_get(a, i);
        vcf_copy *cp = &s->copies[i];
        size_t *fields[] = {&cp->step, &cp->msg, &cp->from, &cp->to, &cp->len};
        push_idx(c, i);
        if (want_type(c, o, JSON_OBJECT, "a copy {step, msg, from, to, len}") ||
            check_keys(c, o, keys))
            return -1;
        for (size_t k = 0; k < 5; k++) {
            json_t *v = json_object_get(o, keys[k]);
            if (!v)
                return lfail(c, "missing required key \"%s\" (an integer)", keys[k]);
            push_key(c, keys[k]);
            if (get_size(c, v, fields[k]))
                return -1;
            pop(c);
        }
        if (cp->step >= index) {
            push_key(c, "step");
            return lfail(c, "expected an earlier step of the case (0 to %zu), found %zu",
                         index ? index - 1 : 0, cp->step);
        }
        if (cp->len == 0) {
            push_key(c, "len");
            return lfail(c, "expected at least one byte to copy, found 0");
        }
        if (cp->to > s->bytes.len || cp->len > s->bytes.len - cp->to) {
            push_key(c, "to");
            return lfail(c,
                         "expected bytes %zu..%zu to lie inside the stimulus (%zu bytes), found "
                         "them past its end",
                         cp->to, cp->to + cp->len, s->bytes.len);
        }
        if (cp->from > SIZE_MAX / 2 - cp->len) {
            push_key(c, "from");
            return lfail(c, "expected an offset, found %zu", cp->from);
        }
        pop(c);
    }
    return 0;
}

static int parse_inject(lctx *c, json_t *o, vcf_step *s, size_t index)
{
    static const char *const keys[] = {"channel", "hex",     "used_len", "capacity",
                                       "copy",    "decoded", NULL};
    json_t *v;
    bool present;
    s->kind = VCF_STEP_INJECT;
    if (check_keys(c, o, keys) || get_channel(c, o, &s->channel))
        return -1;
    if (!(v = req(c, o, "hex", JSON_STRING, "a string of hex digits")))
        return -1;
    push_key(c, "hex");
    int rc = get_hex(c, v, &s->bytes);
    pop(c);
    if (rc || member_u64(c, o, "used_len", &present, &s->used_len) ||
        member_u64(c, o, "capacity", &present, &s->capacity))
        return -1;
    if ((v = json_object_get(o, "copy"))) {
        push_key(c, "copy");
        if (parse_copies(c, v, s, index))
            return -1;
        pop(c);
    }
    if ((v = json_object_get(o, "decoded"))) {
        push_key(c, "decoded");
        rc = get_string(c, v, false, &s->decoded);
        pop(c);
    }
    return rc;
}

static int parse_action(lctx *c, json_t *o, vcf_step *s)
{
    static const char *const keys[] = {"name", "args", "data", "text", NULL};
    char *name = NULL;
    json_t *args;
    s->kind = VCF_STEP_ACTION;
    if (check_keys(c, o, keys) || member_string(c, o, "name", true, &name))
        return -1;
    const vcf_action_info *info = vcf_adapter_action_find(c->role, name);
    if (!info) {
        char list[512] = "";
        for (const vcf_action_info *a = vcf_adapter_actions(); a->name; a++)
            if (a->roles & VCF_IUT_ROLE_BIT(c->role))
                list_add(list, sizeof list, a->name);
        push_key(c, "name");
        lfail(c, "expected an action of role %s (%s), found \"%s\"", vcf_iut_role_name(c->role),
              list, name);
        free(name);
        return -1;
    }
    free(name);
    s->action = info->kind;
    char list[128] = "";
    for (unsigned k = 0; k < VCF_ADAPTER_ARG_MAX; k++)
        if (info->args[k])
            list_add(list, sizeof list, info->args[k]);
    if (opt(c, o, "args", JSON_OBJECT, "an object of action arguments", &args))
        return -1;
    if (args) {
        const char *key;
        json_t *v;
        push_key(c, "args");
        json_object_foreach(args, key, v)
        {
            unsigned slot = VCF_ADAPTER_ARG_MAX;
            for (unsigned k = 0; k < VCF_ADAPTER_ARG_MAX; k++)
                if (info->args[k] && strcmp(info->args[k], key) == 0)
                    slot = k;
            push_key(c, key);
            if (slot == VCF_ADAPTER_ARG_MAX)
                return lfail_at(c, true, 0, "expected an argument of action %s (%s), found \"%s\"",
                                info->name, list[0] ? list : "none", key);
            if (get_u64(c, v, &s->args[slot]))
                return -1;
            pop(c);
        }
        pop(c);
    }
    for (unsigned k = 0; k < VCF_ADAPTER_ARG_MAX; k++)
        if (info->args[k] && !(args && json_object_get(args, info->args[k]))) {
            if (args)
                push_key(c, "args");
            return lfail(c, "missing argument \"%s\" of action %s (every argument is given: %s)",
                         info->args[k], info->name, list);
        }
    char owner[64];
    bool present;
    snprintf(owner, sizeof owner, "action %s", info->name);
    return get_data_or_text(c, o, owner, info->data, &present, &s->data);
}

static int parse_step(lctx *c, json_t *o, vcf_step *s, size_t index)
{
    static const char *const keys[] = {"inject", "action", "expect", NULL};
    if (want_type(c, o, JSON_OBJECT, "a step (an object)") || check_keys(c, o, keys))
        return -1;
    json_t *inj = json_object_get(o, "inject");
    json_t *act = json_object_get(o, "action");
    if (inj && act) {
        push_key(c, "action");
        return lfail_at(c, true, 0, "expected \"inject\" or \"action\", found both");
    }
    if (!inj && !act)
        return lfail(c, "missing required key \"inject\" or \"action\"");
    push_key(c, inj ? "inject" : "action");
    if (want_type(c, inj ? inj : act, JSON_OBJECT, "an object"))
        return -1;
    if (inj ? parse_inject(c, inj, s, index) : parse_action(c, act, s))
        return -1;
    pop(c);
    json_t *ex = req(c, o, "expect", JSON_OBJECT, "an object");
    if (!ex)
        return -1;
    push_key(c, "expect");
    if (parse_expect(c, ex, &s->expect, act != NULL))
        return -1;
    pop(c);
    return 0;
}

/* ---- cases, groups, the file ---- */

static int parse_strv(lctx *c, json_t *a, const char *what, char ***out, size_t *n)
{
    *n = json_array_size(a);
    if (*n && !(*out = calloc(*n, sizeof **out)))
        return oom(c);
    for (size_t i = 0; i < *n; i++) {
        push_idx(c, i);
        if (get_string(c, json_array_get(a, i), true, &(*out)[i]))
            return -1;
        for (size_t k = 0; k < i; k++)
            if (strcmp((*out)[k], (*out)[i]) == 0)
                return lfail(c, "expected each %s once, found \"%s\" again", what, (*out)[i]);
        pop(c);
    }
    return 0;
}

static int parse_case(lctx *c, json_t *o, vcf_case *k, size_t g, size_t i)
{
    static const char *const keys[] = {"id",     "rules", "level", "description",
                                       "result", "flags", "steps", NULL};
    json_t *v;
    if (want_type(c, o, JSON_OBJECT, "a case (an object)"))
        return -1;
    v = json_object_get(o, "id"); /* named in messages, even before it is checked */
    c->case_id = json_is_string(v) ? json_string_value(v) : NULL;
    if (check_keys(c, o, keys))
        return -1;
    while (c->next_case_line < c->n_case_lines) {
        const case_pos *p = &c->case_lines[c->next_case_line];
        if (p->group > g || (p->group == g && p->index > i))
            break;
        c->next_case_line++;
        if (p->group == g && p->index == i)
            k->line = p->line;
    }
    if (member_string(c, o, "id", true, &k->id))
        return -1;
    push_key(c, "id");
    if (!id_valid(c->role, k->id))
        return lfail(c,
                     "expected a case ID \"%s-...\" (lower-case letters and digits in words "
                     "joined by '-', '.' or '_'), found \"%s\"",
                     id_prefix(c->role), k->id);
    pop(c);

    if (!(v = req(c, o, "rules", JSON_ARRAY, "an array of rule IDs")))
        return -1;
    push_key(c, "rules");
    if (parse_strv(c, v, "rule", &k->rules, &k->n_rules))
        return -1;
    if (k->n_rules == 0)
        return lfail(c, "expected at least one rule ID, found none");
    for (size_t r = 0; r < k->n_rules; r++) {
        push_idx(c, r);
        if (check_rule(c, k->rules[r]))
            return -1;
        pop(c);
    }
    pop(c);

    if (!(v = req(c, o, "level", JSON_STRING, "\"MUST\", \"SHOULD\" or \"MAY\"")))
        return -1;
    const char *lv = json_string_value(v);
    if (strcmp(lv, "MUST") == 0)
        k->level = VCF_LEVEL_MUST;
    else if (strcmp(lv, "SHOULD") == 0)
        k->level = VCF_LEVEL_SHOULD;
    else if (strcmp(lv, "MAY") == 0)
        k->level = VCF_LEVEL_MAY;
    else {
        push_key(c, "level");
        return lfail(c, "expected \"MUST\", \"SHOULD\" or \"MAY\", found \"%s\"", lv);
    }

    if (member_string(c, o, "description", true, &k->description))
        return -1;
    if (!(v = req(c, o, "result", JSON_STRING, "\"valid\", \"invalid\" or \"acceptable\"")))
        return -1;
    if (vcf_vresult_parse(json_string_value(v), &k->result)) {
        push_key(c, "result");
        return lfail(c, "expected \"valid\", \"invalid\" or \"acceptable\", found \"%s\"",
                     json_string_value(v));
    }

    if (!(v = req(c, o, "flags", JSON_ARRAY, "an array of flags")))
        return -1;
    push_key(c, "flags");
    if (parse_strv(c, v, "flag", &k->flags, &k->n_flags))
        return -1;
    for (size_t fl = 0; fl < k->n_flags; fl++) {
        bool noted = false;
        for (size_t n = 0; n < c->f->n_notes && !noted; n++)
            noted = strcmp(c->f->notes[n].flag, k->flags[fl]) == 0;
        if (!noted) {
            push_idx(c, fl);
            return lfail(c, "expected a flag explained in the file's notes, found \"%s\"",
                         k->flags[fl]);
        }
    }
    if (k->result == VCF_VRESULT_ACCEPTABLE && k->n_flags == 0)
        return lfail(c, "expected at least one flag saying why the result is acceptable, found "
                        "none");
    pop(c);

    if (!(v = req(c, o, "steps", JSON_ARRAY, "an array of steps")))
        return -1;
    push_key(c, "steps");
    k->n_steps = json_array_size(v);
    if (k->n_steps == 0)
        return lfail(c, "expected at least one step, found none");
    if (!(k->steps = calloc(k->n_steps, sizeof *k->steps)))
        return oom(c);
    for (size_t s = 0; s < k->n_steps; s++) {
        push_idx(c, s);
        if (parse_step(c, json_array_get(v, s), &k->steps[s], s))
            return -1;
        pop(c);
    }
    pop(c);
    c->case_id = NULL;
    return 0;
}

static int parse_group(lctx *c, json_t *o, vcf_group *gr, size_t g)
{
    static const char *const keys[] = {"description", "params", "cases", NULL};
    json_t *params, *cases;
    if (want_type(c, o, JSON_OBJECT, "a group (an object)") || check_keys(c, o, keys) ||
        member_string(c, o, "description", true, &gr->description))
        return -1;
    if (!(params = req(c, o, "params", JSON_OBJECT, "an object of parameters")))
        return -1;
    push_key(c, "params");
    gr->n_params = json_object_size(params);
    if (gr->n_params && !(gr->params = calloc(gr->n_params, sizeof *gr->params)))
        return oom(c);
    size_t i = 0;
    const char *key;
    json_t *v;
    json_object_foreach(params, key, v)
    {
        push_key(c, key);
        if (!param_key_valid(key))
            return lfail_at(c, true, 0,
                            "expected a parameter key (lower-case words, '_' inside, '.' between "
                            "them: \"buf_size\", \"model.oversize\"), found \"%s\"",
                            key);
        char *val = NULL;
        if (!json_is_string(v)) {
            char b[64];
            return lfail(c, "expected a string (parameter values are strings: \"512\"), found %s",
                         describe(v, b, sizeof b));
        }
        if (get_string(c, v, false, &val))
            return -1;
        char *k = xstrdup(key);
        gr->params[i].key = k;
        gr->params[i].value = val;
        i++;
        if (!k)
            return oom(c);
        pop(c);
    }
    pop(c);
    if (!(cases = req(c, o, "cases", JSON_ARRAY, "an array of cases")))
        return -1;
    push_key(c, "cases");
    gr->n_cases = json_array_size(cases);
    if (gr->n_cases == 0)
        return lfail(c, "expected at least one case, found none");
    if (!(gr->cases = calloc(gr->n_cases, sizeof *gr->cases)))
        return oom(c);
    for (size_t k = 0; k < gr->n_cases; k++) {
        push_idx(c, k);
        if (parse_case(c, json_array_get(cases, k), &gr->cases[k], g, k))
            return -1;
        pop(c);
    }
    pop(c);
    return 0;
}

typedef struct id_ref {
    const char *id;
    size_t group, index, seq, line;
} id_ref;

static int id_ref_cmp(const void *a, const void *b)
{
    const id_ref *x = a, *y = b;
    int r = strcmp(x->id, y->id);
    if (r)
        return r;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int check_unique_ids(lctx *c)
{
    size_t n = vcf_vfile_count(c->f);
    if (n < 2)
        return 0;
    id_ref *refs = calloc(n, sizeof *refs);
    if (!refs)
        return oom(c);
    size_t seq = 0;
    for (size_t g = 0; g < c->f->n_groups; g++)
        for (size_t k = 0; k < c->f->groups[g].n_cases; k++, seq++) {
            const vcf_case *cs = &c->f->groups[g].cases[k];
            refs[seq] = (id_ref){cs->id, g, k, seq, cs->line};
        }
    qsort(refs, n, sizeof *refs, id_ref_cmp);
    int rc = 0;
    for (size_t i = 1; i < n && !rc; i++)
        if (strcmp(refs[i - 1].id, refs[i].id) == 0) {
            push_key(c, "groups");
            push_idx(c, refs[i].group);
            push_key(c, "cases");
            push_idx(c, refs[i].index);
            push_key(c, "id");
            rc = lfail(c,
                       "expected a case ID unique within the file, found \"%s\" again (first "
                       "at groups[%zu].cases[%zu], line %zu)",
                       refs[i].id, refs[i - 1].group, refs[i - 1].index, refs[i - 1].line);
        }
    free(refs);
    return rc;
}

static int parse_file(lctx *c, json_t *root)
{
    static const char *const keys[] = {"schema",       "role",          "spec",
                                       "generator",    "numberOfCases", "notes",
                                       "unobservable", "groups",        NULL};
    vcf_vfile *f = c->f;
    json_t *v, *notes, *unobs, *groups;
    char *s = NULL;
    if (want_type(c, root, JSON_OBJECT, "an object at the top level") || check_keys(c, root, keys))
        return -1;

    if (member_string(c, root, "schema", false, &s))
        return -1;
    if (strcmp(s, VCF_VECTOR_SCHEMA) != 0) {
        push_key(c, "schema");
        lfail(c, "expected \"%s\", found \"%s\"", VCF_VECTOR_SCHEMA, s);
        free(s);
        return -1;
    }
    free(s);
    s = NULL;

    if (member_string(c, root, "role", false, &s))
        return -1;
    if (vcf_iut_role_parse(s, &f->role) != VCF_ADAPTER_OK) {
        char list[128] = "";
        for (uint32_t r = 1; r < VCF_IUT_ROLE_COUNT; r++)
            list_add(list, sizeof list, vcf_iut_role_name(r));
        push_key(c, "role");
        lfail(c, "expected a role (%s), found \"%s\"", list, s);
        free(s);
        return -1;
    }
    free(s);
    c->role = f->role;
    c->cat = vcf_catalogue_get(vcf_iut_role_protocol(f->role));

    if (member_string(c, root, "spec", true, &f->spec) ||
        member_string(c, root, "generator", true, &f->generator))
        return -1;
    if (!(v = req(c, root, "numberOfCases", JSON_INTEGER, "an integer")))
        return -1;
    json_int_t declared = json_integer_value(v);

    if (!(notes = req(c, root, "notes", JSON_OBJECT, "an object of flag: explanation")))
        return -1;
    push_key(c, "notes");
    f->n_notes = json_object_size(notes);
    if (f->n_notes && !(f->notes = calloc(f->n_notes, sizeof *f->notes)))
        return oom(c);
    size_t i = 0;
    const char *key;
    json_object_foreach(notes, key, v)
    {
        push_key(c, key);
        if (!flag_valid(key))
            return lfail_at(c, true, 0,
                            "expected a flag name (a letter, then letters, digits, '_' or '-'), "
                            "found \"%s\"",
                            key);
        f->notes[i].flag = xstrdup(key);
        if (!f->notes[i].flag)
            return oom(c);
        if (get_string(c, v, true, &f->notes[i].text))
            return -1;
        i++;
        pop(c);
    }
    pop(c);

    if (!(unobs = req(c, root, "unobservable", JSON_ARRAY, "an array of {rule, reason}")))
        return -1;
    push_key(c, "unobservable");
    f->n_unobservable = json_array_size(unobs);
    if (f->n_unobservable &&
        !(f->unobservable = calloc(f->n_unobservable, sizeof(vcf_unobservable))))
        return oom(c);
    for (i = 0; i < f->n_unobservable; i++) {
        static const char *const ukeys[] = {"rule", "reason", NULL};
        json_t *u = json_array_get(unobs, i);
        push_idx(c, i);
        if (want_type(c, u, JSON_OBJECT, "an object {rule, reason}") || check_keys(c, u, ukeys) ||
            member_string(c, u, "rule", true, &f->unobservable[i].rule))
            return -1;
        push_key(c, "rule");
        if (check_rule(c, f->unobservable[i].rule))
            return -1;
        for (size_t k = 0; k < i; k++)
            if (strcmp(f->unobservable[k].rule, f->unobservable[i].rule) == 0)
                return lfail(c, "expected each rule once, found \"%s\" again",
                             f->unobservable[i].rule);
        pop(c);
        if (member_string(c, u, "reason", true, &f->unobservable[i].reason))
            return -1;
        pop(c);
    }
    pop(c);

    if (!(groups = req(c, root, "groups", JSON_ARRAY, "an array of groups")))
        return -1;
    push_key(c, "groups");
    f->n_groups = json_array_size(groups);
    if (f->n_groups && !(f->groups = calloc(f->n_groups, sizeof *f->groups)))
        return oom(c);
    for (i = 0; i < f->n_groups; i++) {
        push_idx(c, i);
        if (parse_group(c, json_array_get(groups, i), &f->groups[i], i))
            return -1;
        pop(c);
    }
    pop(c);

    if (check_unique_ids(c))
        return -1;
    size_t total = vcf_vfile_count(f);
    if (declared < 0 || (unsigned long long)declared != (unsigned long long)total) {
        push_key(c, "numberOfCases");
        return lfail(c, "expected the number of cases in the file, %zu, found %lld", total,
                     (long long)declared);
    }
    return 0;
}

int vcf_vfile_load_string(const char *name, const char *text, vcf_vfile *out, char *err,
                          size_t err_len)
{
    lctx c;
    memset(&c, 0, sizeof c);
    memset(out, 0, sizeof *out);
    c.name = name ? name : "<string>";
    c.text = text ? text : "";
    c.text_len = strlen(c.text);
    c.err = err;
    c.err_len = err_len;
    c.f = out;
    if (err && err_len)
        err[0] = '\0';

    json_error_t je;
    json_t *root = json_loadb(c.text, c.text_len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (err && err_len)
            snprintf(err, err_len, "%s:%d:%d: invalid JSON: %s", c.name, je.line < 1 ? 1 : je.line,
                     je.column < 1 ? 1 : je.column, je.text);
        return -1;
    }
    vscan sc;
    sc_init(&sc, c.text, c.text_len, SCAN_CASES);
    sc_value(&sc);
    if (!sc.oom) {
        c.case_lines = sc.cases;
        c.n_case_lines = sc.n_cases;
    }
    int rc = parse_file(&c, root);
    if (rc == 0 && name && !(out->path = xstrdup(name)))
        rc = oom(&c);
    free(sc.cases);
    json_decref(root);
    if (rc)
        vcf_vfile_free(out);
    return rc;
}

/* snprintf into an optional error buffer. */
static void set_err(char *err, size_t err_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t err_len, const char *fmt, ...)
{
    if (!err || !err_len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_len, fmt, ap);
    va_end(ap);
}

int vcf_vfile_load(const char *path, vcf_vfile *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    size_t len;
    char *buf = vcf_cli_read_file(path, &len);
    if (!buf) {
        if (errno == EIO || errno == ENOMEM) /* opened, then reading failed */
            set_err(err, err_len, "%s: cannot read: %s", path,
                    errno == EIO ? "I/O error" : "out of memory");
        else
            set_err(err, err_len, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    if (strlen(buf) != len) {
        size_t at = strlen(buf), line = 1, col = 1;
        for (size_t k = 0; k < at; k++) {
            if (buf[k] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)buf[k] & 0xC0u) != 0x80u) {
                col++;
            }
        }
        set_err(err, err_len, "%s:%zu:%zu: invalid JSON: expected text, found a NUL byte", path,
                line, col);
        free(buf);
        return -1;
    }
    int rc = vcf_vfile_load_string(path, buf, out, err, err_len);
    free(buf);
    return rc;
}

/* ---- writing ------------------------------------------------------------------------------ */

typedef struct wctx {
    const vcf_vfile *f;
    char *err;
    size_t err_len;
    const char *case_id;
    bool failed;
} wctx;

static json_t *wfail(wctx *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static json_t *wfail(wctx *w, const char *fmt, ...)
{
    if (!w->failed && w->err && w->err_len) {
        char msg[384];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        if (w->case_id)
            snprintf(w->err, w->err_len, "case %s: %s", w->case_id, msg);
        else
            snprintf(w->err, w->err_len, "%s", msg);
    }
    w->failed = true;
    return NULL;
}

/* Adds a member; a NULL value (an earlier failure) marks the whole write failed. */
static void wset(wctx *w, json_t *obj, const char *key, json_t *v)
{
    if (!v || !obj || json_object_set_new(obj, key, v) != 0)
        (void)wfail(w, "out of memory");
}

static void wappend(wctx *w, json_t *arr, json_t *v)
{
    if (!v || !arr || json_array_append_new(arr, v) != 0)
        (void)wfail(w, "out of memory");
}

static json_t *wstr(wctx *w, const char *s, const char *what)
{
    if (!s)
        return wfail(w, "%s is missing", what);
    return json_string(s);
}

static json_t *wu64(uint64_t v)
{
    if (v <= (uint64_t)INT64_MAX)
        return json_integer((json_int_t)v);
    char b[24];
    snprintf(b, sizeof b, "0x%" PRIx64, v);
    return json_string(b);
}

static json_t *whex(const vcf_vbytes *b)
{
    char *s = malloc(2 * b->len + 1);
    if (!s)
        return NULL;
    vcf_cli_hex_encode(b->data, b->len, s);
    json_t *v = json_string(s);
    free(s);
    return v;
}

static json_t *wchannel(wctx *w, uint32_t ch)
{
    const char *n = vcf_channel_name(w->f->role, ch);
    if (!n)
        return wfail(w, "channel %" PRIu32 " is not a channel of role %s", ch,
                     vcf_iut_role_name(w->f->role));
    return json_string(n);
}

static void wdata(wctx *w, json_t *o, const char *what, const vcf_vbytes *b)
{
    if (data_is_name(what) && printable_text(b)) {
        char *s = malloc(b->len + 1);
        if (!s) {
            (void)wfail(w, "out of memory");
            return;
        }
        memcpy(s, b->data, b->len);
        s[b->len] = '\0';
        wset(w, o, "text", json_string(s));
        free(s);
    } else {
        wset(w, o, "data", whex(b));
    }
}

static json_t *wobs(wctx *w, const vcf_obs_match *m)
{
    json_t *o = json_object(), *in = json_object();
    if (m->kind == VCF_OBS_MSG) {
        wset(w, in, "channel", wchannel(w, m->msg.channel));
        wset(w, in, "hex", whex(&m->msg.bytes));
        if (m->msg.mask.len) {
            if (m->msg.mask.len != m->msg.bytes.len)
                (void)wfail(w, "a mask of %zu bytes for a message of %zu", m->msg.mask.len,
                            m->msg.bytes.len);
            wset(w, in, "mask", whex(&m->msg.mask));
        }
        if (m->msg.has_used_len)
            wset(w, in, "used_len", wu64(m->msg.used_len));
        if (m->msg.decoded)
            wset(w, in, "decoded", json_string(m->msg.decoded));
        wset(w, o, "msg", in);
    } else if (m->kind == VCF_OBS_EVENT) {
        const vcf_event_info *info = vcf_adapter_event_info(m->event.type);
        if (!info || !(info->roles & VCF_IUT_ROLE_BIT(w->f->role))) {
            json_decref(in);
            json_decref(o);
            return wfail(w, "event type 0x%" PRIx32 " is not an event of role %s", m->event.type,
                         vcf_iut_role_name(w->f->role));
        }
        wset(w, in, "name", json_string(info->name));
        if (m->event.args_set) {
            json_t *args = json_object();
            for (unsigned k = 0; k < VCF_ADAPTER_ARG_MAX; k++) {
                if (!(m->event.args_set & (1u << k)))
                    continue;
                if (!info->args[k])
                    (void)wfail(w, "event %s has no argument in slot %u", info->name, k);
                else
                    wset(w, args, info->args[k], wu64(m->event.args[k]));
            }
            if (m->event.args_set >> VCF_ADAPTER_ARG_MAX)
                (void)wfail(w, "event %s: args_set 0x%" PRIx32 " names slots beyond %u", info->name,
                            m->event.args_set, VCF_ADAPTER_ARG_MAX);
            wset(w, in, "args", args);
        }
        if (m->event.has_data) {
            if (!info->data)
                (void)wfail(w, "event %s carries no data", info->name);
            wdata(w, in, info->data, &m->event.data);
        }
        wset(w, o, "event", in);
    } else {
        json_decref(in);
        json_decref(o);
        return wfail(w, "an observation of kind %" PRIu32 " (expected msg or event)", m->kind);
    }
    return o;
}

static json_t *wobs_list(wctx *w, const vcf_obs_match *m, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        wappend(w, a, wobs(w, &m[i]));
    return a;
}

static json_t *wexpect(wctx *w, const vcf_expect *e, bool action)
{
    json_t *o = json_object(), *any = json_array();
    if (e->n_alts == 0)
        (void)wfail(w, "an expectation without alternatives");
    for (size_t i = 0; i < e->n_alts; i++)
        wappend(w, any, wobs_list(w, e->alts[i].obs, e->alts[i].n_obs));
    wset(w, o, "any_of", any);
    if (e->n_ignore)
        wset(w, o, "ignore", wobs_list(w, e->ignore, e->n_ignore));
    if (!action && (e->result != VCF_EXPECT_ANY || e->has_value))
        (void)wfail(w, "an action result expected after an inject");
    if (e->result == VCF_EXPECT_DONE)
        wset(w, o, "result", json_string("done"));
    else if (e->result == VCF_EXPECT_REFUSED)
        wset(w, o, "result", json_string("refused"));
    else if (e->result != VCF_EXPECT_ANY)
        (void)wfail(w, "an action result %d", (int)e->result);
    if (e->has_value) {
        wset(w, o, "value", wu64(e->value));
        if (e->value_mask != UINT64_MAX)
            wset(w, o, "value_mask", wu64(e->value_mask));
    }
    return o;
}

static json_t *wstep(wctx *w, const vcf_step *s)
{
    json_t *o = json_object(), *in = json_object();
    if (s->kind == VCF_STEP_INJECT) {
        wset(w, in, "channel", wchannel(w, s->channel));
        wset(w, in, "hex", whex(&s->bytes));
        if (s->used_len)
            wset(w, in, "used_len", wu64(s->used_len));
        if (s->capacity)
            wset(w, in, "capacity", wu64(s->capacity));
        if (s->n_copies) {
            json_t *copies = json_array();
            for (size_t i = 0; i < s->n_copies; i++) {
                const vcf_copy *cp = &s->copies[i];
                json_t *co = json_object();
                wset(w, co, "step", wu64(cp->step));
                wset(w, co, "msg", wu64(cp->msg));
                wset(w, co, "from", wu64(cp->from));
                wset(w, co, "to", wu64(cp->to));
                wset(w, co, "len", wu64(cp->len));
                wappend(w, copies, co);
            }
            wset(w, in, "copy", copies);
        }
        if (s->decoded)
            wset(w, in, "decoded", json_string(s->decoded));
        wset(w, o, "inject", in);
    } else if (s->kind == VCF_STEP_ACTION) {
        const vcf_action_info *info = vcf_adapter_action_info(s->action);
        if (s->n_copies)
            (void)wfail(w, "copies before an action (they are for injects only)");
        if (!info || !(info->roles & VCF_IUT_ROLE_BIT(w->f->role))) {
            json_decref(in);
            json_decref(o);
            return wfail(w, "action 0x%" PRIx32 " is not an action of role %s", s->action,
                         vcf_iut_role_name(w->f->role));
        }
        wset(w, in, "name", json_string(info->name));
        json_t *args = NULL;
        for (unsigned k = 0; k < VCF_ADAPTER_ARG_MAX; k++) {
            if (info->args[k]) {
                if (!args)
                    args = json_object();
                wset(w, args, info->args[k], wu64(s->args[k]));
            } else if (s->args[k]) {
                (void)wfail(w, "action %s has no argument in slot %u (value %" PRIu64 ")",
                            info->name, k, s->args[k]);
            }
        }
        if (args)
            wset(w, in, "args", args);
        if (s->data.len) {
            if (!info->data)
                (void)wfail(w, "action %s carries no data", info->name);
            wdata(w, in, info->data, &s->data);
        }
        wset(w, o, "action", in);
    } else {
        json_decref(in);
        json_decref(o);
        return wfail(w, "a step of kind %d (expected inject or action)", (int)s->kind);
    }
    wset(w, o, "expect", wexpect(w, &s->expect, s->kind == VCF_STEP_ACTION));
    return o;
}

static json_t *wcase(wctx *w, const vcf_case *k)
{
    json_t *o = json_object(), *rules = json_array(), *flags = json_array(), *steps = json_array();
    w->case_id = k->id;
    wset(w, o, "id", wstr(w, k->id, "a case ID"));
    for (size_t i = 0; i < k->n_rules; i++)
        wappend(w, rules, wstr(w, k->rules[i], "a rule ID"));
    wset(w, o, "rules", rules);
    if (k->level != VCF_LEVEL_MUST && k->level != VCF_LEVEL_SHOULD && k->level != VCF_LEVEL_MAY)
        (void)wfail(w, "level %d (expected MUST, SHOULD or MAY)", (int)k->level);
    wset(w, o, "level", json_string(vcf_rule_level_name(k->level)));
    wset(w, o, "description", wstr(w, k->description, "the description"));
    if ((unsigned)k->result > VCF_VRESULT_ACCEPTABLE)
        (void)wfail(w, "result %d", (int)k->result);
    wset(w, o, "result", json_string(vcf_vresult_name(k->result)));
    for (size_t i = 0; i < k->n_flags; i++)
        wappend(w, flags, wstr(w, k->flags[i], "a flag"));
    wset(w, o, "flags", flags);
    for (size_t i = 0; i < k->n_steps; i++)
        wappend(w, steps, wstep(w, &k->steps[i]));
    wset(w, o, "steps", steps);
    w->case_id = NULL;
    return o;
}

static json_t *wgroup(wctx *w, const vcf_group *g)
{
    json_t *o = json_object(), *params = json_object(), *cases = json_array();
    wset(w, o, "description", wstr(w, g->description, "a group's description"));
    for (size_t i = 0; i < g->n_params; i++) {
        if (!g->params[i].key || !g->params[i].value) {
            (void)wfail(w, "a group parameter without key or value");
            continue;
        }
        if (json_object_get(params, g->params[i].key))
            (void)wfail(w, "group parameter \"%s\" given twice", g->params[i].key);
        wset(w, params, g->params[i].key, json_string(g->params[i].value));
    }
    wset(w, o, "params", params);
    for (size_t i = 0; i < g->n_cases; i++)
        wappend(w, cases, wcase(w, &g->cases[i]));
    wset(w, o, "cases", cases);
    return o;
}

static char *dump_checked(const vcf_vfile *f, char *err, size_t err_len)
{
    wctx w = {f, err, err_len, NULL, false};
    if (!f)
        return NULL;
    if (!id_prefix(f->role)) {
        (void)wfail(&w, "role %" PRIu32 " is not a role", f->role);
        return NULL;
    }
    json_t *root = json_object(), *notes = json_object(), *unobs = json_array(),
           *groups = json_array();
    wset(&w, root, "schema", json_string(VCF_VECTOR_SCHEMA));
    wset(&w, root, "role", json_string(vcf_iut_role_name(f->role)));
    wset(&w, root, "spec", wstr(&w, f->spec, "spec"));
    wset(&w, root, "generator", wstr(&w, f->generator, "generator"));
    wset(&w, root, "numberOfCases", wu64(vcf_vfile_count(f)));
    for (size_t i = 0; i < f->n_notes; i++) {
        if (!f->notes[i].flag) {
            (void)wfail(&w, "a note without flag");
            continue;
        }
        wset(&w, notes, f->notes[i].flag, wstr(&w, f->notes[i].text, "a note's text"));
    }
    wset(&w, root, "notes", notes);
    for (size_t i = 0; i < f->n_unobservable; i++) {
        json_t *u = json_object();
        wset(&w, u, "rule", wstr(&w, f->unobservable[i].rule, "an unobservable rule"));
        wset(&w, u, "reason", wstr(&w, f->unobservable[i].reason, "an unobservable reason"));
        wappend(&w, unobs, u);
    }
    wset(&w, root, "unobservable", unobs);
    for (size_t i = 0; i < f->n_groups; i++)
        wappend(&w, groups, wgroup(&w, &f->groups[i]));
    wset(&w, root, "groups", groups);

    char *text = NULL;
    if (!w.failed) {
        char *body = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        size_t n = body ? strlen(body) : 0;
        if (body && (text = malloc(n + 2))) {
            memcpy(text, body, n);
            text[n] = '\n';
            text[n + 1] = '\0';
        }
        free(body);
        if (!text)
            (void)wfail(&w, "out of memory");
    }
    json_decref(root);
    return text;
}

char *vcf_vfile_dump(const vcf_vfile *f)
{
    char err[8];
    return dump_checked(f, err, sizeof err);
}

int vcf_vfile_save(const vcf_vfile *f, const char *path, char *err, size_t err_len)
{
    char why[512];
    char *text = dump_checked(f, why, sizeof why);
    if (!text) {
        set_err(err, err_len, "%s: not written: %s", path, why);
        return -1;
    }
    /* What is written must load: the same checks as any reader's (names, rules, flags, IDs). */
    vcf_vfile check;
    if (vcf_vfile_load_string(path, text, &check, why, sizeof why) != 0) {
        set_err(err, err_len, "not written, it would not load: %s", why);
        free(text);
        return -1;
    }
    vcf_vfile_free(&check);

    size_t plen = strlen(path);
    char *tmp = malloc(plen + 5);
    if (!tmp) {
        free(text);
        set_err(err, err_len, "%s: out of memory", path);
        return -1;
    }
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp", 5);
    FILE *fp = fopen(tmp, "wb");
    int rc = -1;
    if (!fp) {
        set_err(err, err_len, "%s: cannot create: %s", tmp, strerror(errno));
    } else {
        size_t n = strlen(text);
        bool ok = fwrite(text, 1, n, fp) == n;
        int saved = errno;
        if (fclose(fp) != 0 && ok) {
            ok = false;
            saved = errno;
        }
        if (!ok) {
            set_err(err, err_len, "%s: cannot write: %s", tmp, strerror(saved));
            remove(tmp);
        } else if (rename(tmp, path) != 0) {
            set_err(err, err_len, "%s: cannot rename to %s: %s", tmp, path, strerror(errno));
            remove(tmp);
        } else {
            rc = 0;
        }
    }
    free(tmp);
    free(text);
    return rc;
}
