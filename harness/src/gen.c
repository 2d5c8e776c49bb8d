/* SPDX-License-Identifier: MIT */
/* vconform harness: the vector builder (gen.h). Every step is played through the built-in
 * model adapter at once, for the case's parameters and for each variant, and what the model
 * emits becomes the step's expectation. */
#include "gen.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters.h"
#include "run.h"
#include "summary.h"
#include "vconform/rules.h"

#define MAX_VARIANTS 8

typedef struct variant {
    char *flag, *key, *value;
    vcf_adapter ad; /* a model instance playing the case with this override */
    bool differs;   /* some step came out differently */
} variant;

struct vcf_gen {
    vcf_vfile file;
    size_t cap_groups, cap_notes, cap_unobs;
    size_t cap_params, cap_cases; /* of the current group */
    vcf_adapter base;             /* the model with the group's parameters */
    bool open;                    /* a case is being built */
    bool started;                 /* its adapters were reset */
    size_t cap_steps;
    variant var[MAX_VARIANTS];
    size_t n_var;
    /* what the base instance emitted after each step of the case */
    struct hist {
        vcf_tx_entry *obs;
        size_t n;
    } * hist;
    size_t n_hist, cap_hist;
    uint64_t last_value;
    vcf_copy pend[8]; /* copies for the next inject */
    size_t n_pend;
    char *error; /* the first scenario error; everything after it is ignored */
    char **ids;  /* every case ID so far */
    size_t n_ids, cap_ids;
};

/* ---- small helpers ---------------------------------------------------------------------- */

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "vconform gen: out of memory\n");
        exit(2);
    }
    return q;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = xrealloc(NULL, n);
    memcpy(d, s, n);
    return d;
}

static uint8_t *xmemdup(const void *p, size_t n)
{
    uint8_t *d = xrealloc(NULL, n);
    if (n)
        memcpy(d, p, n);
    return d;
}

#define GROW(arr, n, cap)                                                                          \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            (cap) = (cap) ? (cap)*2 : 8;                                                           \
            (arr) = xrealloc((arr), (cap) * sizeof(*(arr)));                                       \
        }                                                                                          \
    } while (0)

static vcf_group *cur_group(vcf_gen *g)
{
    return g->file.n_groups ? &g->file.groups[g->file.n_groups - 1] : NULL;
}

static vcf_case *cur_case(vcf_gen *g)
{
    vcf_group *gr = cur_group(g);
    return g->open && gr && gr->n_cases ? &gr->cases[gr->n_cases - 1] : NULL;
}

__attribute__((format(printf, 2, 3))) static void fail(vcf_gen *g, const char *fmt, ...)
{
    if (g->error)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    vcf_case *c = cur_case(g);
    char full[1300];
    snprintf(full, sizeof(full), "%s%s%s%s", vcf_iut_role_name(g->file.role), c ? ": case " : "",
             c ? c->id : "", "");
    size_t n = strlen(full);
    snprintf(full + n, sizeof(full) - n, ": %s", buf);
    g->error = xstrdup(full);
}

static void free_last(vcf_gen *g)
{
    for (size_t h = 0; h < g->n_hist; h++) {
        for (size_t i = 0; i < g->hist[h].n; i++)
            free(g->hist[h].obs[i].data);
        free(g->hist[h].obs);
    }
    free(g->hist);
    g->hist = NULL;
    g->n_hist = g->cap_hist = 0;
    g->n_pend = 0;
}

/* The msg-th message observed after step, or NULL. */
static const vcf_tx_entry *hist_msg(const vcf_gen *g, size_t step, size_t msg)
{
    if (step >= g->n_hist)
        return NULL;
    size_t seen = 0;
    for (size_t k = 0; k < g->hist[step].n; k++)
        if (g->hist[step].obs[k].kind == VCF_TX_MSG && seen++ == msg)
            return &g->hist[step].obs[k];
    return NULL;
}

static void close_adapter(vcf_adapter *ad)
{
    if (ad->close)
        ad->close(ad->ud);
    memset(ad, 0, sizeof(*ad));
}

static int open_model(vcf_gen *g, vcf_adapter *ad)
{
    char err[256];
    if (vcf_model_adapter_init("", ad, err, sizeof(err)) != 0) {
        fail(g, "the model adapter: %s", err);
        return -1;
    }
    return 0;
}

/* ---- the builder ------------------------------------------------------------------------ */

vcf_gen *vcf_gen_new(uint32_t role, const char *spec)
{
    vcf_gen *g = xrealloc(NULL, sizeof(*g));
    memset(g, 0, sizeof(*g));
    g->file.role = role;
    g->file.spec = xstrdup(spec ? spec : "");
    g->file.generator = xstrdup("vconform gen " VCF_VERSION);
    (void)open_model(g, &g->base);
    return g;
}

static void end_variants(vcf_gen *g)
{
    for (size_t i = 0; i < g->n_var; i++) {
        free(g->var[i].flag);
        free(g->var[i].key);
        free(g->var[i].value);
        close_adapter(&g->var[i].ad);
    }
    g->n_var = 0;
}

void vcf_gen_free(vcf_gen *g)
{
    if (!g)
        return;
    end_variants(g);
    free_last(g);
    close_adapter(&g->base);
    vcf_vfile_free(&g->file);
    for (size_t i = 0; i < g->n_ids; i++)
        free(g->ids[i]);
    free(g->ids);
    free(g->error);
    free(g);
}

const vcf_vfile *vcf_gen_file(vcf_gen *g)
{
    return &g->file;
}

void vcf_gen_note(vcf_gen *g, const char *flag, const char *text)
{
    for (size_t i = 0; i < g->file.n_notes; i++) {
        if (strcmp(g->file.notes[i].flag, flag) == 0) {
            if (strcmp(g->file.notes[i].text, text) != 0)
                fail(g, "flag %s has two different notes", flag);
            return;
        }
    }
    GROW(g->file.notes, g->file.n_notes, g->cap_notes);
    g->file.notes[g->file.n_notes].flag = xstrdup(flag);
    g->file.notes[g->file.n_notes].text = xstrdup(text);
    g->file.n_notes++;
}

void vcf_gen_unobservable(vcf_gen *g, const char *rule, const char *reason)
{
    if (!vcf_rule_find(rule))
        fail(g, "unobservable rule %s is not in the catalogue", rule);
    if (!reason || strlen(reason) < 10)
        fail(g, "unobservable rule %s needs a reason", rule);
    GROW(g->file.unobservable, g->file.n_unobservable, g->cap_unobs);
    g->file.unobservable[g->file.n_unobservable].rule = xstrdup(rule);
    g->file.unobservable[g->file.n_unobservable].reason = xstrdup(reason ? reason : "");
    g->file.n_unobservable++;
}

void vcf_gen_group(vcf_gen *g, const char *description)
{
    if (g->open)
        fail(g, "vcf_gen_group inside an open case");
    GROW(g->file.groups, g->file.n_groups, g->cap_groups);
    vcf_group *gr = &g->file.groups[g->file.n_groups++];
    memset(gr, 0, sizeof(*gr));
    gr->description = xstrdup(description ? description : "");
    g->cap_params = 0;
    g->cap_cases = 0;
}

void vcf_gen_param(vcf_gen *g, const char *key, const char *value)
{
    vcf_group *gr = cur_group(g);
    if (!gr || gr->n_cases) {
        fail(g, "parameter %s outside a group's head", key);
        return;
    }
    for (size_t i = 0; i < gr->n_params; i++) {
        if (strcmp(gr->params[i].key, key) == 0) {
            free((void *)gr->params[i].value);
            gr->params[i].value = xstrdup(value);
            return;
        }
    }
    GROW(gr->params, gr->n_params, g->cap_params);
    gr->params[gr->n_params].key = xstrdup(key);
    gr->params[gr->n_params].value = xstrdup(value);
    gr->n_params++;
}

void vcf_gen_param_u64(vcf_gen *g, const char *key, uint64_t value)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%llu", (unsigned long long)value);
    vcf_gen_param(g, key, buf);
}

void vcf_gen_param_hex(vcf_gen *g, const char *key, uint64_t value)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)value);
    vcf_gen_param(g, key, buf);
}

static bool id_ok(const char *id)
{
    if (!id || !islower((unsigned char)id[0]))
        return false;
    for (const char *p = id; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-'))
            return false;
    return id[strlen(id) - 1] != '-' && strlen(id) <= 96;
}

void vcf_gen_case(vcf_gen *g, const char *id, vcf_vresult result, const char *description)
{
    if (g->open)
        fail(g, "case %s started before the previous one ended", id);
    vcf_group *gr = cur_group(g);
    if (!gr) {
        fail(g, "case %s outside a group", id);
        return;
    }
    if (!id_ok(id))
        fail(g, "case ID \"%s\": lowercase letters, digits and dashes expected", id ? id : "");
    for (size_t i = 0; id && i < g->n_ids; i++)
        if (strcmp(g->ids[i], id) == 0)
            fail(g, "case ID %s is used twice", id);
    GROW(g->ids, g->n_ids, g->cap_ids);
    g->ids[g->n_ids++] = xstrdup(id ? id : "");
    GROW(gr->cases, gr->n_cases, g->cap_cases);
    vcf_case *c = &gr->cases[gr->n_cases++];
    memset(c, 0, sizeof(*c));
    c->id = xstrdup(id ? id : "");
    c->description = xstrdup(description ? description : "");
    c->result = result;
    c->level = VCF_LEVEL_MAY;
    g->open = true;
    g->started = false;
    g->cap_steps = 0;
    free_last(g);
}

void vcf_gen_rules(vcf_gen *g, const char *rule, ...)
{
    vcf_case *c = cur_case(g);
    if (!c) {
        fail(g, "rules outside a case");
        return;
    }
    va_list ap;
    va_start(ap, rule);
    for (const char *r = rule; r; r = va_arg(ap, const char *)) {
        const vcf_rule *info = vcf_rule_find(r);
        if (!info) {
            fail(g, "rule %s is not in the catalogue", r);
            continue;
        }
        vcf_rule_level lv = info->level == VCF_LEVEL_IMPL ? VCF_LEVEL_MAY : info->level;
        if (lv < c->level)
            c->level = lv;
        bool dup = false;
        for (size_t i = 0; i < c->n_rules; i++)
            dup = dup || strcmp(c->rules[i], r) == 0;
        if (dup)
            continue;
        c->rules = xrealloc(c->rules, (c->n_rules + 1) * sizeof(*c->rules));
        c->rules[c->n_rules++] = xstrdup(r);
    }
    va_end(ap);
}

void vcf_gen_variant(vcf_gen *g, const char *flag, const char *key, const char *value)
{
    if (!cur_case(g) || g->started) {
        fail(g, "variant %s must come before the case's first step", flag);
        return;
    }
    if (g->n_var == MAX_VARIANTS) {
        fail(g, "more than %d variants", MAX_VARIANTS);
        return;
    }
    variant *v = &g->var[g->n_var++];
    memset(v, 0, sizeof(*v));
    v->flag = xstrdup(flag);
    v->key = xstrdup(key);
    v->value = xstrdup(value);
}

/* Reset one instance with the group's parameters, one of them possibly overridden. */
static int reset_instance(vcf_gen *g, vcf_adapter *ad, const variant *v)
{
    vcf_group *gr = cur_group(g);
    size_t n = gr->n_params;
    vcf_adapter_param *p = xrealloc(NULL, (n + 1) * sizeof(*p));
    memcpy(p, gr->params, n * sizeof(*p));
    if (v) {
        bool found = false;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(p[i].key, v->key) == 0) {
                p[i].value = v->value;
                found = true;
            }
        }
        if (!found)
            p[n++] = (vcf_adapter_param){v->key, v->value};
    }
    char why[512] = "";
    int rc = ad->reset(ad->ud, g->file.role, p, n, why, sizeof(why));
    free(p);
    if (rc != VCF_ADAPTER_OK) {
        fail(g, "the model refused the parameters%s%s: %s", v ? " of variant " : "",
             v ? v->flag : "", why);
        return -1;
    }
    return 0;
}

static int start(vcf_gen *g)
{
    if (g->started)
        return 0;
    g->started = true;
    if (reset_instance(g, &g->base, NULL) != 0)
        return -1;
    for (size_t i = 0; i < g->n_var; i++) {
        if (open_model(g, &g->var[i].ad) != 0 || reset_instance(g, &g->var[i].ad, &g->var[i]))
            return -1;
    }
    return 0;
}

/* Play a stimulus on one instance; the observations go to *out (owned). */
static int play(vcf_gen *g, vcf_adapter *ad, const vcf_step *s, vcf_tx_entry **out, size_t *n,
                vcf_adapter_result *res)
{
    int rc;
    if (s->kind == VCF_STEP_INJECT) {
        vcf_adapter_msg m = {s->channel, s->bytes.data, s->bytes.len, (size_t)s->used_len,
                             (size_t)s->capacity};
        rc = ad->inject(ad->ud, &m);
    } else {
        vcf_adapter_action a = {
            s->action, {s->args[0], s->args[1], s->args[2], s->args[3]}, s->data.data, s->data.len};
        rc = ad->action(ad->ud, &a, res);
    }
    if (rc != VCF_ADAPTER_OK) {
        fail(g, "the model adapter answered %s to step %zu", vcf_adapter_rc_name(rc),
             cur_case(g)->n_steps);
        return -1;
    }
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    vcf_adapter_obs o;
    while (memset(&o, 0, sizeof(o)), ad->poll(ad->ud, &o) > 0) {
        GROW(*out, *n, cap);
        vcf_tx_entry *e = &(*out)[(*n)++];
        memset(e, 0, sizeof(*e));
        e->dir = VCF_DIR_FROM_IUT;
        if (o.kind == VCF_OBS_MSG) {
            e->kind = VCF_TX_MSG;
            e->channel = o.msg.channel;
            e->used_len = o.msg.used_len;
            e->capacity = o.msg.capacity;
            e->data = xmemdup(o.msg.data, o.msg.len);
            e->len = o.msg.len;
        } else {
            e->kind = VCF_TX_EVENT;
            e->type = o.event.type;
            memcpy(e->args, o.event.args, sizeof(e->args));
            e->data = xmemdup(o.event.data, o.event.len);
            e->len = o.event.len;
        }
    }
    return 0;
}

static void free_obs(vcf_tx_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(e[i].data);
    free(e);
}

/* An alternative that expects exactly these observations. */
static void alt_from(vcf_gen *g, vcf_alternative *alt, const vcf_tx_entry *obs, size_t n)
{
    vcf_group *gr = cur_group(g);
    int order = vcf_summary_order(g->file.role, gr->params, gr->n_params);
    alt->obs = n ? xrealloc(NULL, n * sizeof(*alt->obs)) : NULL;
    alt->n_obs = n;
    for (size_t i = 0; i < n; i++) {
        vcf_obs_match *m = &alt->obs[i];
        memset(m, 0, sizeof(*m));
        const vcf_tx_entry *o = &obs[i];
        if (o->kind == VCF_TX_MSG) {
            m->kind = VCF_OBS_MSG;
            m->msg.channel = o->channel;
            m->msg.bytes.data = xmemdup(o->data, o->len);
            m->msg.bytes.len = o->len;
            if (g->file.role == VCF_IUT_RPMSG_DEVICE) {
                /* the device reports the length it wrote as the used length (RPMSG-HDR-13);
                 * a driver's descriptor length only has to cover the message (HDR-02), so it
                 * is not compared */
                m->msg.has_used_len = true;
                m->msg.used_len = o->used_len ? o->used_len : o->len;
            }
            char line[1024];
            m->msg.decoded = xstrdup(vcf_summary_msg(g->file.role, order, o->channel, o->data,
                                                     o->len, line, sizeof(line)));
        } else {
            m->kind = VCF_OBS_EVENT;
            const vcf_event_info *info = vcf_adapter_event_info(o->type);
            m->event.type = o->type;
            for (unsigned k = 0; k < VCF_ADAPTER_ARG_MAX; k++) {
                if (info && info->args[k]) {
                    m->event.args_set |= 1u << k;
                    m->event.args[k] = o->args[k];
                }
            }
            if (info && info->data) {
                m->event.has_data = true;
                m->event.data.data = xmemdup(o->data, o->len);
                m->event.data.len = o->len;
            }
        }
    }
}

static void add_step(vcf_gen *g, vcf_step *s)
{
    vcf_case *c = cur_case(g);
    if (!c) {
        fail(g, "a step outside a case");
        free(s->bytes.data);
        free(s->data.data);
        free(s->decoded);
        free(s->copies);
        return;
    }
    if (g->error || start(g) != 0) {
        free(s->bytes.data);
        free(s->data.data);
        free(s->decoded);
        free(s->copies);
        return;
    }
    vcf_tx_entry *obs[1 + MAX_VARIANTS];
    size_t n_obs[1 + MAX_VARIANTS];
    vcf_adapter_result res[1 + MAX_VARIANTS];
    memset(res, 0, sizeof(res));
    size_t played = 0;
    int rc = play(g, &g->base, s, &obs[0], &n_obs[0], &res[0]);
    if (rc == 0)
        played = 1;
    for (size_t i = 0; rc == 0 && i < g->n_var; i++) {
        rc = play(g, &g->var[i].ad, s, &obs[i + 1], &n_obs[i + 1], &res[i + 1]);
        if (rc == 0)
            played++;
    }
    if (rc == 0) {
        vcf_expect *e = &s->expect;
        memset(e, 0, sizeof(*e));
        e->alts = xrealloc(NULL, (1 + g->n_var) * sizeof(*e->alts));
        alt_from(g, &e->alts[0], obs[0], n_obs[0]);
        e->n_alts = 1;
        for (size_t i = 0; i < g->n_var; i++) {
            bool same = false;
            for (size_t a = 0; !same && a < e->n_alts; a++)
                same = vcf_alternative_matches(&e->alts[a], NULL, 0, obs[i + 1], n_obs[i + 1]);
            if (!same) {
                alt_from(g, &e->alts[e->n_alts++], obs[i + 1], n_obs[i + 1]);
                g->var[i].differs = true;
            }
        }
        if (s->kind == VCF_STEP_ACTION) {
            bool done = res[0].status == 0, agree = true;
            for (size_t i = 0; i < g->n_var; i++) {
                if ((res[i + 1].status == 0) != done) {
                    agree = false;
                    g->var[i].differs = true;
                }
            }
            e->result = !agree ? VCF_EXPECT_ANY : done ? VCF_EXPECT_DONE : VCF_EXPECT_REFUSED;
            if (s->action == VCF_ACT_RPMSG_CREATE && done) {
                e->has_value = true;
                e->value = res[0].value;
                e->value_mask = ~(uint64_t)0;
            }
        }
        GROW(g->hist, g->n_hist, g->cap_hist);
        g->hist[g->n_hist].obs = obs[0];
        g->hist[g->n_hist].n = n_obs[0];
        g->n_hist++;
        g->last_value = res[0].value;
        obs[0] = NULL;
        n_obs[0] = 0;
    }
    for (size_t i = 0; i < played; i++)
        free_obs(obs[i], n_obs[i]);
    if (rc != 0) {
        free(s->bytes.data);
        free(s->data.data);
        free(s->decoded);
        free(s->copies);
        return;
    }
    GROW(c->steps, c->n_steps, g->cap_steps);
    c->steps[c->n_steps++] = *s;
}

void vcf_gen_inject_ring(vcf_gen *g, uint32_t channel, const void *bytes, size_t len,
                         size_t used_len, size_t capacity)
{
    vcf_group *gr = cur_group(g);
    if (!gr || !vcf_channel_name(g->file.role, channel)) {
        fail(g, "inject on channel %u, which the role does not have", channel);
        return;
    }
    vcf_step s;
    memset(&s, 0, sizeof(s));
    s.kind = VCF_STEP_INJECT;
    s.channel = channel;
    s.bytes.data = xmemdup(bytes, len);
    s.bytes.len = len;
    s.used_len = used_len;
    s.capacity = capacity;
    if (g->n_pend) {
        for (size_t i = 0; i < g->n_pend; i++) {
            const vcf_copy *cp = &g->pend[i];
            const vcf_tx_entry *e = hist_msg(g, cp->step, cp->msg);
            if (cp->to + cp->len > len || !e ||
                memcmp(s.bytes.data + cp->to, e->data + cp->from, cp->len) != 0) {
                fail(g,
                     "copy %zu: the stimulus does not hold bytes %zu..%zu of message %zu of "
                     "step %zu at offset %zu",
                     i, cp->from, cp->from + cp->len, cp->msg, cp->step, cp->to);
                break;
            }
        }
        s.copies = xrealloc(NULL, g->n_pend * sizeof(*s.copies));
        memcpy(s.copies, g->pend, g->n_pend * sizeof(*s.copies));
        s.n_copies = g->n_pend;
        g->n_pend = 0;
    }
    char line[1024];
    int order = vcf_summary_order(g->file.role, gr->params, gr->n_params);
    s.decoded = xstrdup(
        vcf_summary_msg(g->file.role, order, channel, s.bytes.data, len, line, sizeof(line)));
    add_step(g, &s);
}

void vcf_gen_inject(vcf_gen *g, uint32_t channel, const void *bytes, size_t len)
{
    vcf_gen_inject_ring(g, channel, bytes, len, 0, 0);
}

void vcf_gen_action(vcf_gen *g, uint32_t kind, uint64_t a0, uint64_t a1, uint64_t a2,
                    const void *data, size_t len)
{
    const vcf_action_info *info = vcf_adapter_action_info(kind);
    if (!info || !(info->roles & VCF_IUT_ROLE_BIT(g->file.role))) {
        fail(g, "action 0x%x is not an action of this role", kind);
        return;
    }
    if (len && !info->data) {
        fail(g, "action %s takes no data", info->name);
        return;
    }
    uint64_t args[VCF_ADAPTER_ARG_MAX] = {a0, a1, a2, 0};
    for (unsigned k = 0; k < VCF_ADAPTER_ARG_MAX; k++) {
        if (!info->args[k] && args[k]) {
            fail(g, "action %s: argument slot %u is unused but set", info->name, k);
            return;
        }
    }
    vcf_step s;
    memset(&s, 0, sizeof(s));
    s.kind = VCF_STEP_ACTION;
    s.action = kind;
    memcpy(s.args, args, sizeof(args));
    s.data.data = xmemdup(data, len);
    s.data.len = len;
    add_step(g, &s);
}

static vcf_step *last_step(vcf_gen *g)
{
    vcf_case *c = cur_case(g);
    if (!c || !c->n_steps) {
        if (!g->error)
            fail(g, "an expectation tweak before any step");
        return NULL;
    }
    return &c->steps[c->n_steps - 1];
}

void vcf_gen_mask(vcf_gen *g, size_t msg, size_t off, const void *mask, size_t len)
{
    vcf_step *s = last_step(g);
    if (!s)
        return;
    for (size_t a = 0; a < s->expect.n_alts; a++) {
        vcf_alternative *alt = &s->expect.alts[a];
        size_t seen = 0;
        vcf_msg_match *m = NULL;
        for (size_t k = 0; k < alt->n_obs && !m; k++)
            if (alt->obs[k].kind == VCF_OBS_MSG && seen++ == msg)
                m = &alt->obs[k].msg;
        if (!m) {
            if (a == 0)
                fail(g, "mask: step %zu has no message %zu", cur_case(g)->n_steps, msg);
            continue;
        }
        if (off + len > m->bytes.len) {
            fail(g, "mask: bytes %zu..%zu are past the message's %zu bytes", off, off + len,
                 m->bytes.len);
            return;
        }
        if (!m->mask.len) {
            m->mask.data = xrealloc(NULL, m->bytes.len);
            memset(m->mask.data, 0xFF, m->bytes.len);
            m->mask.len = m->bytes.len;
        }
        memcpy(m->mask.data + off, mask, len);
        for (size_t i = 0; i < m->bytes.len; i++) /* masked-out bits are written as zero */
            m->bytes.data[i] &= m->mask.data[i];
        if (m->decoded) { /* the annotation shows the model's values: say which are free */
            char note[96];
            snprintf(note, sizeof(note), " (bytes %zu..%zu masked)", off, off + len - 1);
            size_t n = strlen(m->decoded) + strlen(note) + 1;
            char *d = xrealloc(m->decoded, n);
            strcat(d, note);
            m->decoded = d;
        }
    }
}

void vcf_gen_value_mask(vcf_gen *g, uint64_t mask)
{
    vcf_step *s = last_step(g);
    if (!s)
        return;
    if (s->kind != VCF_STEP_ACTION) {
        fail(g, "value mask on a step that is not an action");
        return;
    }
    s->expect.has_value = mask != 0;
    s->expect.value &= mask;
    s->expect.value_mask = mask;
}

void vcf_gen_result_any(vcf_gen *g)
{
    vcf_step *s = last_step(g);
    if (s && s->kind != VCF_STEP_ACTION)
        fail(g, "vcf_gen_result_any on a step that is not an action");
    else if (s)
        s->expect.result = VCF_EXPECT_ANY;
}

void vcf_gen_event_args(vcf_gen *g, uint32_t type, uint32_t args_mask)
{
    vcf_step *s = last_step(g);
    if (!s)
        return;
    size_t hits = 0;
    for (size_t a = 0; a < s->expect.n_alts; a++) {
        vcf_alternative *alt = &s->expect.alts[a];
        for (size_t k = 0; k < alt->n_obs; k++) {
            if (alt->obs[k].kind == VCF_OBS_EVENT && alt->obs[k].event.type == type) {
                alt->obs[k].event.args_set &= args_mask;
                for (unsigned i = 0; i < VCF_ADAPTER_ARG_MAX; i++)
                    if (!(alt->obs[k].event.args_set & (1u << i)))
                        alt->obs[k].event.args[i] = 0;
                hits++;
            }
        }
    }
    if (!hits)
        fail(g, "vcf_gen_event_args: the last step has no event of type 0x%x", type);
}

void vcf_gen_ignore_event(vcf_gen *g, uint32_t type)
{
    vcf_step *s = last_step(g);
    if (!s)
        return;
    vcf_expect *e = &s->expect;
    e->ignore = xrealloc(e->ignore, (e->n_ignore + 1) * sizeof(*e->ignore));
    vcf_obs_match *m = &e->ignore[e->n_ignore++];
    memset(m, 0, sizeof(*m));
    m->kind = VCF_OBS_EVENT;
    m->event.type = type;
    for (size_t a = 0; a < e->n_alts; a++) {
        vcf_alternative *alt = &e->alts[a];
        size_t w = 0;
        for (size_t k = 0; k < alt->n_obs; k++) {
            if (alt->obs[k].kind == VCF_OBS_EVENT && alt->obs[k].event.type == type) {
                free(alt->obs[k].event.data.data);
                continue;
            }
            alt->obs[w++] = alt->obs[k];
        }
        alt->n_obs = w;
    }
}

const uint8_t *vcf_gen_last_msg(vcf_gen *g, size_t i, size_t *len)
{
    const vcf_tx_entry *e = g->n_hist ? hist_msg(g, g->n_hist - 1, i) : NULL;
    if (len)
        *len = e ? e->len : 0;
    return e ? e->data : NULL;
}

void vcf_gen_copy(vcf_gen *g, size_t step, size_t msg, size_t from, size_t to, size_t len)
{
    if (!cur_case(g)) {
        fail(g, "copy outside a case");
        return;
    }
    const vcf_tx_entry *e = hist_msg(g, step, msg);
    if (!e || from + len > e->len || len == 0) {
        fail(g, "copy: step %zu has no message %zu with bytes %zu..%zu", step, msg, from,
             from + len);
        return;
    }
    if (g->n_pend == sizeof(g->pend) / sizeof(g->pend[0])) {
        fail(g, "more than 8 copies for one inject");
        return;
    }
    g->pend[g->n_pend++] = (vcf_copy){step, msg, from, to, len};
}

size_t vcf_gen_step_index(vcf_gen *g)
{
    vcf_case *c = cur_case(g);
    if (!c || !c->n_steps) {
        fail(g, "vcf_gen_step_index before any step");
        return 0;
    }
    return c->n_steps - 1;
}

uint64_t vcf_gen_last_value(vcf_gen *g)
{
    return g->last_value;
}

void vcf_gen_end(vcf_gen *g)
{
    vcf_case *c = cur_case(g);
    if (!c) {
        fail(g, "vcf_gen_end without a case");
        return;
    }
    if (!c->n_rules)
        fail(g, "names no rule");
    if (!c->n_steps && !g->error)
        fail(g, "has no steps");
    if (g->n_pend)
        fail(g, "vcf_gen_copy without an inject after it");
    for (size_t i = 0; i < g->n_var; i++) {
        if (!g->var[i].differs)
            continue;
        bool noted = false;
        for (size_t k = 0; k < g->file.n_notes; k++)
            noted = noted || strcmp(g->file.notes[k].flag, g->var[i].flag) == 0;
        if (!noted)
            fail(g, "flag %s has no note (vcf_gen_note)", g->var[i].flag);
        c->result = VCF_VRESULT_ACCEPTABLE;
        c->flags = xrealloc(c->flags, (c->n_flags + 1) * sizeof(*c->flags));
        c->flags[c->n_flags++] = xstrdup(g->var[i].flag);
    }
    end_variants(g);
    g->open = false;
    g->started = false;
}

int vcf_gen_write(vcf_gen *g, const char *path, char *err, size_t err_len)
{
    if (g->open && !g->error)
        fail(g, "the last case was not ended");
    if (g->error) {
        snprintf(err, err_len, "%s", g->error);
        return -1;
    }
    return vcf_vfile_save(&g->file, path, err, err_len);
}

const char *vcf_gen_error(const vcf_gen *g)
{
    return g->error;
}
