/* SPDX-License-Identifier: MIT */
/* vconform harness: replaying one case against an adapter (run.h). */
#include "run.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "summary.h"

#define MAX_OBS_PER_STEP 256u /* more than this after one stimulus is a runaway */

static const char *const status_names[VCF_CASE_STATUS_COUNT] = {"pass", "fail", "non_strict",
                                                                "unsupported", "skipped"};

const char *vcf_case_status_name(vcf_case_status s)
{
    return (unsigned)s < VCF_CASE_STATUS_COUNT ? status_names[s] : "?";
}

void vcf_case_result_free(vcf_case_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_tx; i++)
        free(r->tx[i].data);
    free(r->tx);
    free(r->message);
    memset(r, 0, sizeof(*r));
}

double vcf_run_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- text buffer for messages ----------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

__attribute__((format(printf, 2, 3))) static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return;
        b->p = p;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static void sb_hex(sbuf *b, const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sb_printf(b, "%02x", d[i]);
}

/* ---- matching -------------------------------------------------------------------------- */

bool vcf_obs_matches(const vcf_obs_match *m, const vcf_tx_entry *o)
{
    if (m->kind == VCF_OBS_MSG) {
        const vcf_msg_match *mm = &m->msg;
        if (o->kind != VCF_TX_MSG || o->channel != mm->channel || o->len != mm->bytes.len)
            return false;
        if (mm->has_used_len) {
            uint64_t used = o->used_len ? o->used_len : o->len;
            if (used != mm->used_len)
                return false;
        }
        for (size_t i = 0; i < o->len; i++) {
            uint8_t mask = mm->mask.len ? mm->mask.data[i] : 0xFF;
            if ((o->data[i] & mask) != (mm->bytes.data[i] & mask))
                return false;
        }
        return true;
    }
    if (m->kind == VCF_OBS_EVENT) {
        const vcf_event_match *em = &m->event;
        if (o->kind != VCF_TX_EVENT || o->type != em->type)
            return false;
        for (unsigned i = 0; i < VCF_ADAPTER_ARG_MAX; i++)
            if ((em->args_set & (1u << i)) && o->args[i] != em->args[i])
                return false;
        if (em->has_data &&
            (o->len != em->data.len || (o->len && memcmp(o->data, em->data.data, o->len) != 0)))
            return false;
        return true;
    }
    return false;
}

static bool ignored(const vcf_obs_match *ignore, size_t n, const vcf_tx_entry *o)
{
    for (size_t i = 0; i < n; i++)
        if (vcf_obs_matches(&ignore[i], o))
            return true;
    return false;
}

bool vcf_alternative_matches(const vcf_alternative *alt, const vcf_obs_match *ignore,
                             size_t n_ignore, const vcf_tx_entry *obs, size_t n_obs)
{
    bool used_stack[64];
    bool *used = alt->n_obs <= 64 ? used_stack : calloc(alt->n_obs, sizeof(bool));
    if (!used)
        return false;
    memset(used, 0, alt->n_obs * sizeof(bool));
    size_t next_msg = 0; /* index into alt->obs of the next expected message */
    bool ok = true;
    for (size_t i = 0; ok && i < n_obs; i++) {
        const vcf_tx_entry *o = &obs[i];
        bool consumed = false;
        if (o->kind == VCF_TX_MSG) {
            while (next_msg < alt->n_obs && alt->obs[next_msg].kind != VCF_OBS_MSG)
                next_msg++;
            if (next_msg < alt->n_obs && vcf_obs_matches(&alt->obs[next_msg], o)) {
                used[next_msg++] = true;
                consumed = true;
            }
        } else {
            for (size_t k = 0; k < alt->n_obs; k++) {
                if (!used[k] && alt->obs[k].kind == VCF_OBS_EVENT &&
                    vcf_obs_matches(&alt->obs[k], o)) {
                    used[k] = true;
                    consumed = true;
                    break;
                }
            }
        }
        if (!consumed && !ignored(ignore, n_ignore, o))
            ok = false;
    }
    for (size_t k = 0; ok && k < alt->n_obs; k++)
        if (!used[k])
            ok = false;
    if (used != used_stack)
        free(used);
    return ok;
}

/* ---- transcript ------------------------------------------------------------------------- */

typedef struct tbuf {
    vcf_tx_entry *e;
    size_t n, cap;
} tbuf;

static vcf_tx_entry *tx_add(tbuf *t, size_t step, vcf_tx_dir dir, vcf_tx_kind kind,
                            const uint8_t *data, size_t len)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        vcf_tx_entry *e = realloc(t->e, cap * sizeof(*e));
        if (!e)
            return NULL;
        t->e = e;
        t->cap = cap;
    }
    vcf_tx_entry *x = &t->e[t->n];
    memset(x, 0, sizeof(*x));
    x->step = step;
    x->dir = dir;
    x->kind = kind;
    if (len) {
        x->data = malloc(len);
        if (!x->data)
            return NULL;
        memcpy(x->data, data, len);
        x->len = len;
    }
    t->n++;
    return x;
}

/* ---- describing expectations and observations ------------------------------------------- */

typedef struct ctx {
    vcf_hadapter *ad;
    const vcf_vfile *file;
    const vcf_group *group;
    const vcf_case *c;
    int order;
    sbuf msg;
} ctx;

static void describe_obs_entry(ctx *x, sbuf *b, const vcf_tx_entry *o)
{
    char line[1024];
    if (o->kind == VCF_TX_MSG) {
        sb_printf(b, "      %s %s: ", "msg", vcf_channel_name(x->file->role, o->channel));
        sb_hex(b, o->data, o->len);
        if (o->used_len && o->used_len != o->len)
            sb_printf(b, " (used_len %llu)", (unsigned long long)o->used_len);
        sb_printf(b, "\n        = %s\n",
                  vcf_summary_msg(x->file->role, x->order, o->channel, o->data, o->len, line,
                                  sizeof(line)));
    } else {
        sb_printf(b, "      event %s\n",
                  vcf_summary_event(o->type, o->args, o->data, o->len, line, sizeof(line)));
    }
}

static void describe_match(ctx *x, sbuf *b, const vcf_obs_match *m)
{
    char line[1024];
    if (m->kind == VCF_OBS_MSG) {
        const vcf_msg_match *mm = &m->msg;
        sb_printf(b, "      msg %s: ", vcf_channel_name(x->file->role, mm->channel));
        sb_hex(b, mm->bytes.data, mm->bytes.len);
        if (mm->mask.len) {
            sb_printf(b, " mask ");
            sb_hex(b, mm->mask.data, mm->mask.len);
        }
        if (mm->has_used_len)
            sb_printf(b, " (used_len %llu)", (unsigned long long)mm->used_len);
        sb_printf(b, "\n        = %s\n",
                  vcf_summary_msg(x->file->role, x->order, mm->channel, mm->bytes.data,
                                  mm->bytes.len, line, sizeof(line)));
    } else {
        const vcf_event_match *em = &m->event;
        const vcf_event_info *info = vcf_adapter_event_info(em->type);
        sb_printf(b, "      event %s", info ? info->name : "?");
        for (unsigned i = 0; i < VCF_ADAPTER_ARG_MAX; i++)
            if ((em->args_set & (1u << i)) && info && info->args[i])
                sb_printf(b, " %s=%llu", info->args[i], (unsigned long long)em->args[i]);
        if (em->has_data) {
            sb_printf(b, " %s=", info && info->data ? info->data : "data");
            sb_hex(b, em->data.data, em->data.len);
        }
        sb_printf(b, "\n");
    }
}

static void describe_mismatch(ctx *x, size_t si, const vcf_step *s, const vcf_tx_entry *obs,
                              size_t n_obs)
{
    sbuf *b = &x->msg;
    char line[1024];
    if (s->kind == VCF_STEP_INJECT) {
        sb_printf(b, "step %zu: inject %s %s\n", si + 1,
                  vcf_channel_name(x->file->role, s->channel),
                  vcf_summary_msg(x->file->role, x->order, s->channel, s->bytes.data, s->bytes.len,
                                  line, sizeof(line)));
    } else {
        sb_printf(
            b, "step %zu: action %s\n", si + 1,
            vcf_summary_action(s->action, s->args, s->data.data, s->data.len, line, sizeof(line)));
    }
    sb_printf(b, "  expected%s:\n", s->expect.n_alts > 1 ? " one of" : "");
    for (size_t a = 0; a < s->expect.n_alts; a++) {
        const vcf_alternative *alt = &s->expect.alts[a];
        if (s->expect.n_alts > 1)
            sb_printf(b, "    alternative %zu:\n", a + 1);
        if (alt->n_obs == 0)
            sb_printf(b, "      (nothing: silence)\n");
        for (size_t k = 0; k < alt->n_obs; k++)
            describe_match(x, b, &alt->obs[k]);
    }
    if (s->expect.n_ignore) {
        sb_printf(b, "    ignoring:\n");
        for (size_t k = 0; k < s->expect.n_ignore; k++)
            describe_match(x, b, &s->expect.ignore[k]);
    }
    sb_printf(b, "  observed:\n");
    if (n_obs == 0)
        sb_printf(b, "      (nothing)\n");
    for (size_t i = 0; i < n_obs; i++)
        describe_obs_entry(x, b, &obs[i]);
}

/* ---- running -------------------------------------------------------------------------- */

/* Copy the bytes a stimulus takes from earlier observations into its transcript entry (the
 * buffer that is injected). */
static int apply_copies(ctx *x, const tbuf *t, size_t si, const vcf_step *s, vcf_tx_entry *e)
{
    for (size_t i = 0; i < s->n_copies; i++) {
        const vcf_copy *cp = &s->copies[i];
        const vcf_tx_entry *src = NULL;
        size_t seen = 0;
        for (size_t k = 0; k < t->n && !src; k++)
            if (t->e[k].step == cp->step && t->e[k].dir == VCF_DIR_FROM_IUT &&
                t->e[k].kind == VCF_TX_MSG && seen++ == cp->msg)
                src = &t->e[k];
        if (!src || cp->from + cp->len > src->len || cp->to + cp->len > e->len) {
            sb_printf(&x->msg,
                      "step %zu: the stimulus takes bytes %zu..%zu of message %zu emitted after "
                      "step %zu, and the implementation emitted no such message",
                      si + 1, cp->from, cp->from + cp->len, cp->msg + 1, cp->step + 1);
            return -1;
        }
        memcpy(e->data + cp->to, src->data + cp->from, cp->len);
    }
    return 0;
}

static bool case_needs_events(const vcf_case *c)
{
    for (size_t i = 0; i < c->n_steps; i++) {
        const vcf_expect *e = &c->steps[i].expect;
        for (size_t a = 0; a < e->n_alts; a++)
            for (size_t k = 0; k < e->alts[a].n_obs; k++)
                if (e->alts[a].obs[k].kind == VCF_OBS_EVENT)
                    return true;
    }
    return false;
}

static const char *adapter_error(vcf_hadapter *ad)
{
    const char *e = ad->last_error ? ad->last_error(ad->ad.ud) : NULL;
    return e && *e ? e : "the adapter reported an error";
}

static void finish(ctx *x, vcf_case_result *res, vcf_case_status st)
{
    res->status = st;
    if (x->msg.len) {
        res->message = x->msg.p;
        x->msg.p = NULL;
    }
    free(x->msg.p);
    x->msg.p = NULL;
}

/* The implementation failed or broke the adapter: the case fails whatever its level. Start a
 * fresh instance so the next case runs. */
static void adapter_failed(ctx *x, vcf_case_result *res, size_t si, const char *what)
{
    sb_printf(&x->msg, "step %zu: %s: %s", si + 1, what, adapter_error(x->ad));
    res->failed_step = si;
    if (x->ad->restart && x->ad->restart(x->ad->ad.ud) != 0) {
        sb_printf(&x->msg, " (restarting the adapter failed: %s)", adapter_error(x->ad));
        res->adapter_lost = true;
    }
    finish(x, res, VCF_CASE_FAIL);
}

/* Collect every observation after a stimulus until the implementation is idle. Returns 0, or
 * -1 after reporting the problem in x->msg. */
static int collect(ctx *x, tbuf *t, size_t si, double deadline, size_t *first)
{
    vcf_adapter *ad = &x->ad->ad;
    *first = t->n;
    for (;;) {
        vcf_adapter_obs o;
        memset(&o, 0, sizeof(o));
        int rc = ad->poll(ad->ud, &o);
        if (rc < 0)
            return -2;
        if (rc > 0) {
            if (t->n - *first >= MAX_OBS_PER_STEP) {
                sb_printf(&x->msg,
                          "step %zu: the implementation emitted more than %u messages "
                          "and events after one stimulus (runaway)",
                          si + 1, MAX_OBS_PER_STEP);
                return -1;
            }
            vcf_tx_entry *e;
            if (o.kind == VCF_OBS_MSG) {
                e = tx_add(t, si, VCF_DIR_FROM_IUT, VCF_TX_MSG, o.msg.data, o.msg.len);
                if (e) {
                    e->channel = o.msg.channel;
                    e->used_len = o.msg.used_len;
                    e->capacity = o.msg.capacity;
                }
            } else if (o.kind == VCF_OBS_EVENT) {
                e = tx_add(t, si, VCF_DIR_FROM_IUT, VCF_TX_EVENT, o.event.data, o.event.len);
                if (e) {
                    e->type = o.event.type;
                    memcpy(e->args, o.event.args, sizeof(e->args));
                }
            } else {
                sb_printf(&x->msg, "step %zu: poll returned an observation of unknown kind %u",
                          si + 1, o.kind);
                return -1;
            }
            if (!e) {
                sb_printf(&x->msg, "step %zu: out of memory", si + 1);
                return -1;
            }
            continue;
        }
        if (!ad->idle)
            return 0;
        int idle = ad->idle(ad->ud);
        if (idle < 0)
            return -2;
        if (idle > 0)
            return 0;
        if (vcf_run_clock() > deadline) {
            sb_printf(&x->msg,
                      "step %zu: the implementation was still busy after the case "
                      "timeout",
                      si + 1);
            return -1;
        }
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
}

void vcf_run_case(vcf_hadapter *had, const vcf_vfile *file, const vcf_group *group,
                  const vcf_case *c, const vcf_run_options *opt, vcf_case_result *res)
{
    memset(res, 0, sizeof(*res));
    res->vcase = c;
    res->group = group;
    double t0 = vcf_run_clock();
    double timeout = opt && opt->case_timeout > 0 ? opt->case_timeout : 5.0;
    double deadline = t0 + timeout;
    ctx x = {
        had,         file, group, c, vcf_summary_order(file->role, group->params, group->n_params),
        {NULL, 0, 0}};
    vcf_adapter *ad = &had->ad;
    tbuf t = {NULL, 0, 0};
    vcf_case_status fail_status = c->level == VCF_LEVEL_MUST ? VCF_CASE_FAIL : VCF_CASE_NON_STRICT;
    vcf_adapter_param *params = NULL;

    if (!(ad->roles & VCF_IUT_ROLE_BIT(file->role))) {
        sb_printf(&x.msg, "the adapter does not play the %s role", vcf_iut_role_name(file->role));
        finish(&x, res, VCF_CASE_UNSUPPORTED);
        goto out;
    }
    if (!(ad->caps & VCF_ADAPTER_CAP_EVENTS) && case_needs_events(c)) {
        sb_printf(&x.msg, "the case checks upper-layer events and the adapter reports none");
        finish(&x, res, VCF_CASE_UNSUPPORTED);
        goto out;
    }
    char why[512] = "";
    /* The group's parameters plus vcf.case=<case id>: harness metadata every adapter ignores
     * (keys starting with "vcf."), for adapters that keep per-case logs (linux-uml). */
    params = malloc((group->n_params + 1u) * sizeof(*params));
    if (!params) {
        sb_printf(&x.msg, "out of memory");
        finish(&x, res, VCF_CASE_FAIL);
        goto out;
    }
    if (group->n_params)
        memcpy(params, group->params, group->n_params * sizeof(*params));
    params[group->n_params] = (vcf_adapter_param){"vcf.case", c->id ? c->id : ""};
    int rc = ad->reset(ad->ud, file->role, params, group->n_params + 1u, why, sizeof(why));
    if (rc == VCF_ADAPTER_UNSUPPORTED) {
        sb_printf(&x.msg, "reset: %s", why[0] ? why : "the group's parameters are not supported");
        finish(&x, res, VCF_CASE_UNSUPPORTED);
        goto out;
    }
    if (rc != VCF_ADAPTER_OK) {
        adapter_failed(&x, res, 0, "reset failed");
        res->failed_step = 0;
        goto out;
    }

    for (size_t si = 0; si < c->n_steps; si++) {
        const vcf_step *s = &c->steps[si];
        res->steps_run = si + 1;
        vcf_adapter_result ares = {0, 0};
        if (s->kind == VCF_STEP_INJECT) {
            vcf_tx_entry *e =
                tx_add(&t, si, VCF_DIR_TO_IUT, VCF_TX_MSG, s->bytes.data, s->bytes.len);
            if (e && apply_copies(&x, &t, si, s, e) != 0) {
                res->failed_step = si;
                finish(&x, res, fail_status);
                goto out;
            }
            if (e) {
                e->channel = s->channel;
                e->used_len = s->used_len;
                e->capacity = s->capacity;
            }
            if (!e) {
                sb_printf(&x.msg, "step %zu: out of memory", si + 1);
                finish(&x, res, VCF_CASE_FAIL);
                goto out;
            }
            /* the transcript entry holds the stimulus as sent (after the copies) */
            vcf_adapter_msg m = {s->channel, t.e[t.n - 1].data, s->bytes.len, (size_t)s->used_len,
                                 (size_t)s->capacity};
            rc = ad->inject(ad->ud, &m);
            if (rc == VCF_ADAPTER_UNSUPPORTED) {
                sb_printf(&x.msg, "step %zu: inject on %s is not supported", si + 1,
                          vcf_channel_name(file->role, s->channel));
                finish(&x, res, VCF_CASE_UNSUPPORTED);
                goto out;
            }
            if (rc != VCF_ADAPTER_OK) {
                adapter_failed(&x, res, si, "inject failed");
                goto out;
            }
        } else {
            vcf_tx_entry *e =
                tx_add(&t, si, VCF_DIR_TO_IUT, VCF_TX_ACTION, s->data.data, s->data.len);
            if (e) {
                e->type = s->action;
                memcpy(e->args, s->args, sizeof(e->args));
            }
            vcf_adapter_action a = {s->action,
                                    {s->args[0], s->args[1], s->args[2], s->args[3]},
                                    s->data.data,
                                    s->data.len};
            rc = ad->action(ad->ud, &a, &ares);
            if (rc == VCF_ADAPTER_UNSUPPORTED) {
                const vcf_action_info *info = vcf_adapter_action_info(s->action);
                sb_printf(&x.msg, "step %zu: action %s is not supported", si + 1,
                          info ? info->name : "?");
                finish(&x, res, VCF_CASE_UNSUPPORTED);
                goto out;
            }
            if (rc != VCF_ADAPTER_OK) {
                adapter_failed(&x, res, si, "action failed");
                goto out;
            }
            e = tx_add(&t, si, VCF_DIR_FROM_IUT, VCF_TX_RESULT, NULL, 0);
            if (e) {
                e->type = s->action;
                e->args[0] = (uint64_t)(int64_t)ares.status;
                e->args[1] = ares.value;
            }
        }
        size_t first;
        rc = collect(&x, &t, si, deadline, &first);
        if (rc == -2) {
            adapter_failed(&x, res, si, "poll failed");
            goto out;
        }
        if (rc < 0) {
            res->failed_step = si;
            if (had->restart && had->restart(ad->ud) != 0)
                res->adapter_lost = true;
            finish(&x, res, VCF_CASE_FAIL);
            goto out;
        }
        const vcf_tx_entry *obs = t.e + first;
        size_t n_obs = t.n - first;
        bool ok = false;
        for (size_t a = 0; !ok && a < s->expect.n_alts; a++)
            ok = vcf_alternative_matches(&s->expect.alts[a], s->expect.ignore, s->expect.n_ignore,
                                         obs, n_obs);
        if (!ok) {
            describe_mismatch(&x, si, s, obs, n_obs);
            res->failed_step = si;
            finish(&x, res, fail_status);
            goto out;
        }
        if (s->kind == VCF_STEP_ACTION) {
            const vcf_action_info *info = vcf_adapter_action_info(s->action);
            if ((s->expect.result == VCF_EXPECT_DONE && ares.status != 0) ||
                (s->expect.result == VCF_EXPECT_REFUSED && ares.status == 0)) {
                sb_printf(&x.msg,
                          "step %zu: action %s: expected it to be %s, it was %s "
                          "(status %d)",
                          si + 1, info ? info->name : "?",
                          s->expect.result == VCF_EXPECT_DONE ? "done" : "refused",
                          ares.status == 0 ? "done" : "refused", (int)ares.status);
                res->failed_step = si;
                finish(&x, res, fail_status);
                goto out;
            }
            if (s->expect.has_value &&
                (ares.value & s->expect.value_mask) != (s->expect.value & s->expect.value_mask)) {
                sb_printf(&x.msg,
                          "step %zu: action %s: expected value 0x%llx (mask 0x%llx), "
                          "got 0x%llx",
                          si + 1, info ? info->name : "?", (unsigned long long)s->expect.value,
                          (unsigned long long)s->expect.value_mask, (unsigned long long)ares.value);
                res->failed_step = si;
                finish(&x, res, fail_status);
                goto out;
            }
        }
    }
    finish(&x, res, VCF_CASE_PASS);
out:
    free(params);
    if (opt && !opt->keep_transcript && res->status == VCF_CASE_PASS) {
        for (size_t i = 0; i < t.n; i++)
            free(t.e[i].data);
        free(t.e);
    } else {
        res->tx = t.e;
        res->n_tx = t.n;
    }
    res->seconds = vcf_run_clock() - t0;
}
