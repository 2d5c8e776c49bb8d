/* SPDX-License-Identifier: MIT */
/*
 * vconform fuzzing: playing a script against an adapter (play.h).
 *
 * The loop mirrors the harness's case runner (harness/src/run.c): reset, then one stimulus per
 * record, each followed by collecting every observation until the implementation is idle. The
 * differences are the ones a fuzzer needs: nothing is matched against expectations, every
 * return code is recorded instead of ending the play (only VCF_ADAPTER_ERROR, a runaway, a
 * busy implementation or a malformed observation end it), and everything is copied into the
 * log so that two plays can be compared byte for byte.
 */
#define _POSIX_C_SOURCE 200809L

#include "play.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "summary.h"

/* ---- helpers ------------------------------------------------------------------------------- */

static void why_set(vcf_play_log *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void why_set(vcf_play_log *log, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(log->why, sizeof log->why, fmt, ap);
    va_end(ap);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t *dup_bytes(const uint8_t *p, size_t n, bool *oom)
{
    if (n == 0)
        return NULL;
    uint8_t *c = malloc(n);
    if (!c) {
        *oom = true;
        return NULL;
    }
    memcpy(c, p, n);
    return c;
}

typedef struct play_ctx {
    const vcf_adapter *ad;
    vcf_play_log *log;
    size_t cap_steps, cap_obs;
    size_t *msg_index; /* log->obs index of each message, in order */
    size_t cap_msgs;
    double idle_deadline;
} play_ctx;

static vcf_play_step *step_add(play_ctx *x)
{
    vcf_play_log *log = x->log;
    if (log->n_steps == x->cap_steps) {
        size_t cap = x->cap_steps ? 2 * x->cap_steps : 16;
        vcf_play_step *s = realloc(log->steps, cap * sizeof *s);
        if (!s)
            return NULL;
        log->steps = s;
        x->cap_steps = cap;
    }
    vcf_play_step *s = &log->steps[log->n_steps++];
    memset(s, 0, sizeof *s);
    return s;
}

static vcf_play_obs *obs_add(play_ctx *x)
{
    vcf_play_log *log = x->log;
    if (log->n_obs == x->cap_obs) {
        size_t cap = x->cap_obs ? 2 * x->cap_obs : 32;
        vcf_play_obs *o = realloc(log->obs, cap * sizeof *o);
        if (!o)
            return NULL;
        log->obs = o;
        x->cap_obs = cap;
    }
    vcf_play_obs *o = &log->obs[log->n_obs];
    memset(o, 0, sizeof *o);
    return o;
}

static bool msg_index_add(play_ctx *x, size_t obs_index)
{
    if (x->log->n_msgs == x->cap_msgs) {
        size_t cap = x->cap_msgs ? 2 * x->cap_msgs : 32;
        size_t *m = realloc(x->msg_index, cap * sizeof *m);
        if (!m)
            return false;
        x->msg_index = m;
        x->cap_msgs = cap;
    }
    x->msg_index[x->log->n_msgs++] = obs_index;
    return true;
}

/* ---- collecting observations --------------------------------------------------------------- */

/* Everything the adapter emits after the stimulus of step si, until it is idle. Returns
 * VCF_PLAY_END_DONE to go on, or why the play ends (log->why filled). */
static vcf_play_end collect(play_ctx *x, size_t si)
{
    const vcf_adapter *ad = x->ad;
    vcf_play_log *log = x->log;
    vcf_play_step *st = &log->steps[si];
    st->first_obs = log->n_obs;
    double deadline = now() + x->idle_deadline;
    for (;;) {
        vcf_adapter_obs o;
        memset(&o, 0, sizeof o);
        int rc = ad->poll(ad->ud, &o);
        if (rc < 0) {
            why_set(log, "step %zu: poll failed (rc %d)", si + 1, rc);
            return VCF_PLAY_END_ERROR;
        }
        if (rc > 0) {
            if (st->n_obs >= VCF_PLAY_MAX_OBS_PER_STEP) {
                why_set(log,
                        "step %zu: the implementation emitted more than %u messages and events "
                        "after one stimulus (runaway)",
                        si + 1, VCF_PLAY_MAX_OBS_PER_STEP);
                return VCF_PLAY_END_RUNAWAY;
            }
            const uint8_t *data;
            size_t len;
            if (o.kind == VCF_OBS_MSG) {
                data = o.msg.data;
                len = o.msg.len;
            } else if (o.kind == VCF_OBS_EVENT) {
                data = o.event.data;
                len = o.event.len;
            } else {
                why_set(log, "step %zu: poll returned an observation of unknown kind %u", si + 1,
                        (unsigned)o.kind);
                return VCF_PLAY_END_BAD_OBS;
            }
            if (!data && len) {
                why_set(log, "step %zu: poll returned %s of %zu bytes without data", si + 1,
                        o.kind == VCF_OBS_MSG ? "a message" : "an event", len);
                return VCF_PLAY_END_BAD_OBS;
            }
            vcf_play_obs *po = obs_add(x);
            bool oom = false;
            if (po) {
                po->kind = o.kind;
                po->step = si;
                po->data = dup_bytes(data, len, &oom);
                po->len = len;
                if (o.kind == VCF_OBS_MSG) {
                    po->channel = o.msg.channel;
                    po->used_len = o.msg.used_len;
                    po->capacity = o.msg.capacity;
                } else {
                    po->type = o.event.type;
                    memcpy(po->args, o.event.args, sizeof po->args);
                }
            }
            if (!po || oom) {
                if (po)
                    free(po->data);
                why_set(log, "step %zu: out of memory", si + 1);
                return VCF_PLAY_END_ERROR;
            }
            log->n_obs++;
            st->n_obs++;
            if (o.kind == VCF_OBS_MSG && !msg_index_add(x, log->n_obs - 1)) {
                why_set(log, "step %zu: out of memory", si + 1);
                return VCF_PLAY_END_ERROR;
            }
            continue;
        }
        if (!ad->idle)
            return VCF_PLAY_END_DONE;
        int idle = ad->idle(ad->ud);
        if (idle < 0) {
            why_set(log, "step %zu: idle failed (rc %d)", si + 1, idle);
            return VCF_PLAY_END_ERROR;
        }
        if (idle > 0)
            return VCF_PLAY_END_DONE;
        if (now() > deadline) {
            why_set(log, "step %zu: the implementation was still busy after %.3f s", si + 1,
                    x->idle_deadline);
            return VCF_PLAY_END_BUSY;
        }
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
}

/* ---- playing ------------------------------------------------------------------------------- */

/* Apply the pending patches to the bytes about to be injected. */
static void apply_patches(play_ctx *x, const vcf_script_rec *patches, size_t n, uint8_t *buf,
                          size_t len)
{
    const vcf_play_log *log = x->log;
    for (size_t i = 0; i < n; i++) {
        const vcf_script_rec *p = &patches[i];
        if (p->msg >= log->n_msgs)
            continue;
        const vcf_play_obs *src = &log->obs[x->msg_index[p->msg]];
        if (p->from > src->len || src->len - p->from < p->n || p->to > len || len - p->to < p->n)
            continue;
        if (p->n)
            memcpy(buf + p->to, src->data + p->from, p->n);
    }
}

static const char *rc_text(int rc)
{
    return vcf_adapter_rc_name(rc);
}

vcf_play_end vcf_play(const vcf_adapter *ad, const uint8_t *script, size_t len,
                      const vcf_play_options *opt, vcf_play_log *log)
{
    memset(log, 0, sizeof *log);
    vcf_script_head head;
    vcf_script_cursor cur;
    if (vcf_script_open(script, len, &head, &cur) != 0) {
        log->end = VCF_PLAY_END_BAD_SCRIPT;
        why_set(log,
                "the script (%zu bytes) is shorter than its %u-byte head or the parameter text "
                "the head announces",
                len, VCF_SCRIPT_HEAD_SIZE);
        return log->end;
    }
    log->role = opt && opt->role != VCF_IUT_NONE ? opt->role : head.role;
    log->n_params = vcf_script_params(head.params, head.params_len, log->param_text,
                                      sizeof log->param_text, log->params, VCF_SCRIPT_MAX_PARAMS);
    log->reset_rc =
        ad->reset(ad->ud, log->role, log->params, log->n_params, log->why, sizeof log->why);
    log->why[sizeof log->why - 1] = '\0';
    if (log->reset_rc != VCF_ADAPTER_OK) {
        log->end = VCF_PLAY_END_RESET;
        if (!log->why[0])
            why_set(log, "reset returned %s (rc %d)", rc_text(log->reset_rc), log->reset_rc);
        return log->end;
    }
    log->why[0] = '\0';

    size_t max_records = opt && opt->max_records ? opt->max_records : VCF_SCRIPT_MAX_RECORDS;
    play_ctx x = {ad, log, 0, 0, NULL, 0, opt && opt->idle_deadline > 0 ? opt->idle_deadline : 1.0};
    vcf_script_rec *pending = NULL; /* PATCH records waiting for the next INJECT */
    size_t n_pending = 0, cap_pending = 0;
    vcf_script_rec rec;
    log->end = VCF_PLAY_END_DONE;
    for (size_t r = 0; r < max_records && vcf_script_next(&cur, &rec); r++) {
        if (rec.op == VCF_SCRIPT_OP_PATCH) {
            if (n_pending == cap_pending) {
                size_t cap = cap_pending ? 2 * cap_pending : 8;
                vcf_script_rec *p = realloc(pending, cap * sizeof *p);
                if (!p) {
                    log->end = VCF_PLAY_END_ERROR;
                    why_set(log, "record at offset %zu: out of memory", rec.offset);
                    break;
                }
                pending = p;
                cap_pending = cap;
            }
            pending[n_pending++] = rec;
            continue;
        }
        vcf_play_step *st = step_add(&x);
        if (!st) {
            log->end = VCF_PLAY_END_ERROR;
            why_set(log, "record at offset %zu: out of memory", rec.offset);
            break;
        }
        size_t si = log->n_steps - 1;
        st->op = rec.op;
        st->offset = rec.offset;
        st->first_obs = log->n_obs;
        bool oom = false;
        st->injected = dup_bytes(rec.data, rec.len, &oom);
        st->injected_len = rec.len;
        if (oom) {
            st->injected_len = 0;
            log->end = VCF_PLAY_END_ERROR;
            why_set(log, "step %zu: out of memory", si + 1);
            break;
        }
        const char *what;
        if (rec.op == VCF_SCRIPT_OP_INJECT) {
            st->channel = rec.channel;
            st->used_len = rec.used_len;
            st->capacity = rec.capacity;
            apply_patches(&x, pending, n_pending, st->injected, st->injected_len);
            n_pending = 0;
            vcf_adapter_msg m = {rec.channel, st->injected, st->injected_len, rec.used_len,
                                 rec.capacity};
            st->rc = ad->inject(ad->ud, &m);
            what = "inject";
        } else {
            st->kind = rec.kind;
            memcpy(st->args, rec.args, sizeof st->args);
            vcf_adapter_action a;
            memset(&a, 0, sizeof a);
            a.kind = rec.kind;
            for (unsigned i = 0; i < VCF_ADAPTER_ARG_MAX; i++)
                a.args[i] = rec.args[i];
            a.data = st->injected;
            a.len = st->injected_len;
            vcf_adapter_result res = {0, 0};
            st->rc = ad->action(ad->ud, &a, &res);
            if (st->rc == VCF_ADAPTER_OK)
                st->result = res;
            what = "action";
        }
        if (st->rc != VCF_ADAPTER_OK && st->rc != VCF_ADAPTER_UNSUPPORTED) {
            log->end = VCF_PLAY_END_ERROR;
            why_set(log, "step %zu (record at offset %zu): %s returned %s (rc %d)", si + 1,
                    rec.offset, what, rc_text(st->rc), st->rc);
            break;
        }
        vcf_play_end e = collect(&x, si);
        if (e != VCF_PLAY_END_DONE) {
            log->end = e;
            break;
        }
    }
    free(pending);
    free(x.msg_index);
    return log->end;
}

void vcf_play_log_free(vcf_play_log *log)
{
    if (!log)
        return;
    for (size_t i = 0; i < log->n_steps; i++)
        free(log->steps[i].injected);
    for (size_t i = 0; i < log->n_obs; i++)
        free(log->obs[i].data);
    free(log->steps);
    free(log->obs);
    log->steps = NULL;
    log->obs = NULL;
    log->n_steps = log->n_obs = log->n_msgs = 0;
}

const char *vcf_play_end_name(vcf_play_end end)
{
    switch (end) {
    case VCF_PLAY_END_DONE: return "done";
    case VCF_PLAY_END_BAD_SCRIPT: return "bad-script";
    case VCF_PLAY_END_RESET: return "reset";
    case VCF_PLAY_END_ERROR: return "error";
    case VCF_PLAY_END_RUNAWAY: return "runaway";
    case VCF_PLAY_END_BUSY: return "busy";
    case VCF_PLAY_END_BAD_OBS: return "bad-observation";
    }
    return "?";
}

/* ---- printing ------------------------------------------------------------------------------ */

#define PRINT_HEX_MAX 256u /* message bytes printed in hex; longer ones end with "..." */

static void print_hex(FILE *f, const char *indent, const uint8_t *p, size_t n)
{
    fprintf(f, "%shex", indent);
    size_t shown = n < PRINT_HEX_MAX ? n : PRINT_HEX_MAX;
    for (size_t i = 0; i < shown; i++)
        fprintf(f, "%s%02x", i % 32 == 0 && i ? "\n      " : i % 4 == 0 ? " " : "", p[i]);
    if (n == 0)
        fprintf(f, " (empty)");
    if (shown < n)
        fprintf(f, " ... (%zu bytes)", n);
    fputc('\n', f);
}

const char *vcf_play_channel_name(uint32_t role, uint32_t channel, char *buf, size_t cap)
{
    const char *name = vcf_channel_name(role, channel);
    if (name)
        return name;
    snprintf(buf, cap, "channel %u", (unsigned)channel);
    return buf;
}

void vcf_play_step_print(const vcf_play_log *log, int order, size_t s, const char *tail, FILE *f)
{
    const vcf_play_step *st = &log->steps[s];
    char text[1024], ch[32];
    if (st->op == VCF_SCRIPT_OP_INJECT) {
        vcf_summary_msg(log->role, order, st->channel, st->injected, st->injected_len, text,
                        sizeof text);
        fprintf(f, "step %zu (script offset %zu): inject %s len %zu", s + 1, st->offset,
                vcf_play_channel_name(log->role, st->channel, ch, sizeof ch), st->injected_len);
        if (st->used_len)
            fprintf(f, " used_len %u", (unsigned)st->used_len);
        if (st->capacity)
            fprintf(f, " capacity %u", (unsigned)st->capacity);
        fprintf(f, ": %s%s\n", text, tail);
    } else {
        uint64_t args[VCF_ADAPTER_ARG_MAX];
        for (unsigned i = 0; i < VCF_ADAPTER_ARG_MAX; i++)
            args[i] = st->args[i];
        vcf_summary_action(st->kind, args, st->injected, st->injected_len, text, sizeof text);
        fprintf(f, "step %zu (script offset %zu): action %s%s\n", s + 1, st->offset, text, tail);
    }
}

static void print_obs(const vcf_play_log *log, int order, size_t i, size_t msg_no, FILE *f)
{
    const vcf_play_obs *o = &log->obs[i];
    char text[1024], ch[32];
    if (o->kind == VCF_OBS_MSG) {
        vcf_summary_msg(log->role, order, o->channel, o->data, o->len, text, sizeof text);
        fprintf(f, "    <- msg #%zu %s len %zu", msg_no,
                vcf_play_channel_name(log->role, o->channel, ch, sizeof ch), o->len);
        if (o->used_len)
            fprintf(f, " used_len %zu", o->used_len);
        if (o->capacity)
            fprintf(f, " capacity %zu", o->capacity);
        fprintf(f, ": %s\n", text);
        print_hex(f, "       ", o->data, o->len);
    } else {
        vcf_summary_event(o->type, o->args, o->data, o->len, text, sizeof text);
        fprintf(f, "    <- event %s\n", text);
    }
}

void vcf_play_log_print(const vcf_play_log *log, FILE *f)
{
    const char *role = vcf_iut_role_name(log->role);
    fprintf(f, "play: role %s (%u), %zu parameter%s\n", role ? role : "?", (unsigned)log->role,
            log->n_params, log->n_params == 1 ? "" : "s");
    for (size_t i = 0; i < log->n_params; i++)
        fprintf(f, "  %s=%s\n", log->params[i].key, log->params[i].value);
    if (log->end == VCF_PLAY_END_BAD_SCRIPT) {
        fprintf(f, "end: %s: %s\n", vcf_play_end_name(log->end), log->why);
        return;
    }
    fprintf(f, "reset: %s\n", vcf_adapter_rc_name(log->reset_rc));
    int order = vcf_summary_order(log->role, log->params, log->n_params);
    size_t msg_no = 0;
    for (size_t s = 0; s < log->n_steps; s++) {
        const vcf_play_step *st = &log->steps[s];
        char tail[96];
        int n = snprintf(tail, sizeof tail, " -> %s", vcf_adapter_rc_name(st->rc));
        if (st->op == VCF_SCRIPT_OP_ACTION && st->rc == VCF_ADAPTER_OK && n > 0)
            snprintf(tail + n, sizeof tail - (size_t)n, ", status %d value 0x%llx",
                     (int)st->result.status, (unsigned long long)st->result.value);
        vcf_play_step_print(log, order, s, tail, f);
        if (st->op == VCF_SCRIPT_OP_INJECT)
            print_hex(f, "       ", st->injected, st->injected_len);
        for (size_t i = st->first_obs; i < st->first_obs + st->n_obs && i < log->n_obs; i++) {
            print_obs(log, order, i, msg_no, f);
            if (log->obs[i].kind == VCF_OBS_MSG)
                msg_no++;
        }
    }
    fprintf(f, "end: %s%s%s\n", vcf_play_end_name(log->end), log->why[0] ? ": " : "", log->why);
}
