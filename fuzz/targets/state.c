/* SPDX-License-Identifier: MIT */
/*
 * vconform fuzzing: the state-machine targets rpmsg_driver, rpmsg_device, vmsg_device,
 * vmsg_driver and vmsg_bus (docs/fuzzing-scripts.md).
 *
 * One source built five times, VCF_FUZZ_ROLE naming the role (fuzz/cmake/state.cmake). The
 * input is a script (script.h); it is played against the reference model through its adapter
 * (strict profile) in the target's role, whatever role byte the script carries, and the play
 * log is checked:
 *
 *   1. the model adapter never answers VCF_ADAPTER_ERROR to anything a peer or an upper layer
 *      can send, and never VCF_ADAPTER_UNSUPPORTED to an action or channel of its own role
 *      (the two exceptions, both misuses of the ABI by the harness, are listed at
 *      harness_misuse());
 *   2. no runaway: at most VCF_PLAY_MAX_OBS_PER_STEP observations after one stimulus, and no
 *      observation of an unknown kind;
 *   3. every message the model emits travels on a channel its role sends on, parses with the
 *      model's own codec for the link's parameters and passes the codec's rule checks; every
 *      event is one the ABI defines for the role;
 *   4. determinism: the same script played again after a fresh reset gives an identical log.
 *
 * A broken invariant prints the play log on stderr and ends in vcf_fuzz_finding().
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters.h"
#include "fuzz.h"
#include "play.h"
#include "summary.h"
#include "vconform/rpmsg.h"
#include "vconform/vmsg.h"

#ifndef VCF_FUZZ_ROLE
#error "VCF_FUZZ_ROLE must name the role (fuzz/cmake/state.cmake)"
#endif

#define ROLE ((uint32_t)(VCF_FUZZ_ROLE))

static vcf_adapter model;
static bool model_open;

static void open_model(void)
{
    if (model_open)
        return;
    char err[256];
    if (vcf_model_adapter_init("", &model, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_state: cannot open the model adapter: %s\n", err);
        abort();
    }
    model_open = true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    open_model();
    return 0;
}

/* ---- reporting ----------------------------------------------------------------------------- */

static const vcf_play_log *current; /* printed with every finding */

static void finding(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void finding(const char *fmt, ...)
{
    char what[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (current) {
        fprintf(stderr, "---- play log (%s, strict model) ----\n", vcf_iut_role_name(ROLE));
        vcf_play_log_print(current, stderr);
        fprintf(stderr, "----\n");
    }
    vcf_fuzz_finding("%s: %s", vcf_iut_role_name(ROLE), what);
}

/* ---- 1. return codes ----------------------------------------------------------------------- */

/* Does the role receive messages on this channel (the channels its peers send on)? */
static bool receives_on(uint32_t channel)
{
    switch (ROLE) {
    case VCF_IUT_RPMSG_DRIVER: return channel == 0; /* vq0: device to driver */
    case VCF_IUT_RPMSG_DEVICE: return channel == 1; /* vq1: driver to device */
    case VCF_IUT_VMSG_BUS: return channel <= 2;     /* peer, driver, device */
    default: return channel == 0;                   /* link */
    }
}

/* Does the role send messages on this channel? */
static bool sends_on(uint32_t channel)
{
    switch (ROLE) {
    case VCF_IUT_RPMSG_DRIVER: return channel == 1;
    case VCF_IUT_RPMSG_DEVICE: return channel == 0;
    case VCF_IUT_VMSG_BUS: return channel <= 2;
    default: return channel == 0;
    }
}

/*
 * The only stimuli the model adapter answers with VCF_ADAPTER_ERROR on purpose: they are not
 * something a peer or an upper layer can produce, but the harness misusing the ABI.
 *   - an inject on a channel the role does not receive on (a driver's own transmit queue, a
 *     channel number the role does not have): no peer can put a message there;
 *   - an action argument wider than the field of the implementation's API it feeds (a device
 *     number above 0xFFFF for set-device and request-timeout; 64-bit arguments above 32 bits
 *     elsewhere, which a script cannot express).
 */
static bool harness_misuse(const vcf_play_step *st)
{
    if (st->op == VCF_SCRIPT_OP_INJECT)
        return !receives_on(st->channel);
    if (st->kind == VCF_ACT_VMSG_SET_DEVICE || st->kind == VCF_ACT_VMSG_REQUEST_TIMEOUT)
        return st->args[0] > UINT16_MAX;
    return false;
}

static void check_codes(const vcf_play_log *log)
{
    if (log->end == VCF_PLAY_END_RESET && log->reset_rc != VCF_ADAPTER_UNSUPPORTED)
        finding("reset returned %s (rc %d), not ok or unsupported: %s",
                vcf_adapter_rc_name(log->reset_rc), log->reset_rc, log->why);
    for (size_t i = 0; i < log->n_steps; i++) {
        const vcf_play_step *st = &log->steps[i];
        const char *what = st->op == VCF_SCRIPT_OP_INJECT ? "inject" : "action";
        if (st->rc == VCF_ADAPTER_ERROR && !harness_misuse(st))
            finding("step %zu (offset %zu): %s returned error for a stimulus a peer or an upper "
                    "layer can produce",
                    i + 1, st->offset, what);
        if (st->rc == VCF_ADAPTER_UNSUPPORTED) {
            if (st->op == VCF_SCRIPT_OP_INJECT && receives_on(st->channel))
                finding("step %zu (offset %zu): inject on channel %u returned unsupported; the "
                        "model receives there",
                        i + 1, st->offset, (unsigned)st->channel);
            const vcf_action_info *info = vcf_adapter_action_info(st->kind);
            if (st->op == VCF_SCRIPT_OP_ACTION && info && (info->roles & VCF_IUT_ROLE_BIT(ROLE)))
                finding("step %zu (offset %zu): action %s returned unsupported; it is one of the "
                        "role's actions",
                        i + 1, st->offset, info->name);
        }
        if (st->rc != VCF_ADAPTER_OK && st->rc != VCF_ADAPTER_ERROR &&
            st->rc != VCF_ADAPTER_UNSUPPORTED)
            finding("step %zu (offset %zu): %s returned %d, not an adapter return code", i + 1,
                    st->offset, what, st->rc);
    }
    if (log->end == VCF_PLAY_END_ERROR &&
        (log->n_steps == 0 || log->steps[log->n_steps - 1].rc == VCF_ADAPTER_OK))
        finding("the play ended in an error after an ok stimulus: %s", log->why);
}

/* ---- 2. runaways --------------------------------------------------------------------------- */

static void check_end(const vcf_play_log *log)
{
    if (log->end == VCF_PLAY_END_RUNAWAY || log->end == VCF_PLAY_END_BAD_OBS ||
        log->end == VCF_PLAY_END_BUSY)
        finding("the play ended with %s: %s", vcf_play_end_name(log->end), log->why);
}

/* ---- 3. what the model emits --------------------------------------------------------------- */

static void check_rpmsg_msg(const vcf_play_log *log, size_t i, size_t msg_no)
{
    const vcf_play_obs *o = &log->obs[i];
    uint64_t features = 0, buf_size = 0;
    (void)vcf_param_u64(log->params, log->n_params, "features", 0x100000001ull, &features);
    (void)vcf_param_u64(log->params, log->n_params, "buf_size", VCF_RPMSG_DEFAULT_BUF_SIZE,
                        &buf_size);
    vcf_rpmsg_params p;
    vcf_rpmsg_params_default(&p);
    p.order =
        vcf_summary_order(ROLE, log->params, log->n_params) ? VCF_BIG_ENDIAN : VCF_LITTLE_ENDIAN;
    p.ns = (features >> VCF_RPMSG_F_NS) & 1u;
    if (o->len > buf_size)
        finding("step %zu: message #%zu is %zu bytes, more than buf_size %llu", o->step + 1, msg_no,
                o->len, (unsigned long long)buf_size);
    if (o->used_len && (o->used_len < o->len || o->used_len > buf_size))
        finding("step %zu: message #%zu reports used length %zu for %zu bytes in %llu-byte "
                "buffers",
                o->step + 1, msg_no, o->used_len, o->len, (unsigned long long)buf_size);
    vcf_rpmsg_msg m;
    vcf_error e;
    memset(&e, 0, sizeof e);
    char text[256];
    int rc = vcf_rpmsg_parse(o->data, o->len, &p, &m, &e);
    if (rc != VCF_OK) {
        vcf_error_format(&e, text, sizeof text);
        finding("step %zu: message #%zu (%s, %s) does not parse: %s", o->step + 1, msg_no,
                p.order == VCF_BIG_ENDIAN ? "big-endian" : "little-endian",
                p.ns ? "F_NS" : "no F_NS", text);
    }
    vcf_error errs[4];
    size_t n = vcf_rpmsg_check(&m, errs, 4);
    if (n) {
        vcf_error_format(&errs[0], text, sizeof text);
        finding("step %zu: message #%zu breaks %zu rule%s: %s", o->step + 1, msg_no, n,
                n == 1 ? "" : "s", text);
    }
}

/*
 * A transport message the bus relays to the local driver or device. The bus does not interpret
 * transport messages (VMSG-FWD-02) and ignores their reserved bits (VMSG-HDR-12): it passes on
 * whatever the sender wrote, so only what the bus itself is answerable for is checked here: the
 * framing (a whole header, msg_size equal to the bytes sent), the bus maximum, and that what
 * it relays is a transport message, not a bus message.
 */
static void check_relayed(const vcf_play_obs *o, size_t msg_no, uint32_t max)
{
    if (o->len < VCF_VMSG_HDR_SIZE)
        finding("step %zu: relayed message #%zu is %zu bytes, shorter than a header", o->step + 1,
                msg_no, o->len);
    size_t size = (size_t)o->data[6] | (size_t)o->data[7] << 8;
    if (size != o->len)
        finding("step %zu: relayed message #%zu has msg_size %zu but %zu bytes", o->step + 1,
                msg_no, size, o->len);
    if (max && o->len > max)
        finding("step %zu: relayed message #%zu is %zu bytes, above the bus maximum %u",
                o->step + 1, msg_no, o->len, (unsigned)max);
    if (o->data[0] & VCF_VMSG_TYPE_BUS)
        finding("step %zu: relayed message #%zu is a bus message (type 0x%02x)", o->step + 1,
                msg_no, o->data[0]);
}

static void check_vmsg_msg(const vcf_play_log *log, size_t i, size_t msg_no)
{
    const vcf_play_obs *o = &log->obs[i];
    vcf_vmsg_params p;
    vcf_vmsg_params_default(&p);
    const char *rev = vcf_param_get(log->params, log->n_params, "rev");
    vcf_vmsg_rev r = VCF_VMSG_REV_DEFAULT;
    if (rev && vcf_vmsg_rev_parse(rev, &r) != VCF_OK)
        r = VCF_VMSG_REV_DEFAULT;
    p.rev = r;
    uint64_t max = VCF_VMSG_RECOMMENDED_MAX_MSG_SIZE;
    (void)vcf_param_u64(log->params, log->n_params, "max_msg_size",
                        VCF_VMSG_RECOMMENDED_MAX_MSG_SIZE, &max);
    p.max_msg_size = (uint32_t)max;
    p.allow_padding = false;
    if (ROLE == VCF_IUT_VMSG_BUS && o->channel != 0) {
        check_relayed(o, msg_no, p.max_msg_size);
        return;
    }
    vcf_vmsg_msg m;
    vcf_error e;
    memset(&e, 0, sizeof e);
    char text[256];
    int rc = vcf_vmsg_parse(o->data, o->len, &p, &m, &e);
    if (rc != VCF_OK) {
        vcf_error_format(&e, text, sizeof text);
        finding("step %zu: message #%zu (%s, max_msg_size %u) does not parse: %s", o->step + 1,
                msg_no, vcf_vmsg_rev_name(p.rev), (unsigned)p.max_msg_size, text);
    }
    vcf_error errs[4];
    size_t n = vcf_vmsg_check(&m, &p, errs, 4);
    if (n) {
        vcf_error_format(&errs[0], text, sizeof text);
        finding("step %zu: message #%zu (%s, max_msg_size %u) breaks %zu rule%s: %s", o->step + 1,
                msg_no, vcf_vmsg_rev_name(p.rev), (unsigned)p.max_msg_size, n, n == 1 ? "" : "s",
                text);
    }
}

static void check_output(const vcf_play_log *log)
{
    bool rpmsg = ROLE == VCF_IUT_RPMSG_DRIVER || ROLE == VCF_IUT_RPMSG_DEVICE;
    size_t msg_no = 0;
    for (size_t i = 0; i < log->n_obs; i++) {
        const vcf_play_obs *o = &log->obs[i];
        if (o->kind == VCF_OBS_EVENT) {
            const vcf_event_info *info = vcf_adapter_event_info(o->type);
            if (!info || !(info->roles & VCF_IUT_ROLE_BIT(ROLE)))
                finding("step %zu: event 0x%x is not an event of the role", o->step + 1,
                        (unsigned)o->type);
            continue;
        }
        if (!sends_on(o->channel))
            finding("step %zu: message #%zu emitted on channel %u, where the role does not send",
                    o->step + 1, msg_no, (unsigned)o->channel);
        if (rpmsg)
            check_rpmsg_msg(log, i, msg_no);
        else
            check_vmsg_msg(log, i, msg_no);
        msg_no++;
    }
}

/* ---- 4. determinism ------------------------------------------------------------------------ */

static bool bytes_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

static void check_same(const vcf_play_log *a, const vcf_play_log *b)
{
    if (a->role != b->role || a->reset_rc != b->reset_rc || a->end != b->end ||
        strcmp(a->why, b->why) != 0)
        finding("a second play ended differently: %s/%s \"%s\", then %s/%s \"%s\"",
                vcf_adapter_rc_name(a->reset_rc), vcf_play_end_name(a->end), a->why,
                vcf_adapter_rc_name(b->reset_rc), vcf_play_end_name(b->end), b->why);
    if (a->n_steps != b->n_steps || a->n_obs != b->n_obs)
        finding("a second play gave %zu steps and %zu observations, the first %zu and %zu",
                b->n_steps, b->n_obs, a->n_steps, a->n_obs);
    for (size_t i = 0; i < a->n_steps; i++) {
        const vcf_play_step *x = &a->steps[i], *y = &b->steps[i];
        if (x->rc != y->rc || x->result.status != y->result.status ||
            x->result.value != y->result.value || x->first_obs != y->first_obs ||
            x->n_obs != y->n_obs ||
            !bytes_equal(x->injected, x->injected_len, y->injected, y->injected_len))
            finding("step %zu differs in a second play: rc %d/%d, status %d/%d, value "
                    "0x%llx/0x%llx, %zu/%zu observations, stimulus %s",
                    i + 1, x->rc, y->rc, (int)x->result.status, (int)y->result.status,
                    (unsigned long long)x->result.value, (unsigned long long)y->result.value,
                    x->n_obs, y->n_obs,
                    bytes_equal(x->injected, x->injected_len, y->injected, y->injected_len)
                        ? "the same"
                        : "different (patched from different messages)");
    }
    for (size_t i = 0; i < a->n_obs; i++) {
        const vcf_play_obs *x = &a->obs[i], *y = &b->obs[i];
        if (x->kind != y->kind || x->step != y->step || x->channel != y->channel ||
            x->used_len != y->used_len || x->capacity != y->capacity || x->type != y->type ||
            memcmp(x->args, y->args, sizeof x->args) != 0 ||
            !bytes_equal(x->data, x->len, y->data, y->len))
            finding("observation %zu (after step %zu) differs in a second play", i, x->step + 1);
    }
}

/* ---- the target ---------------------------------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    open_model();
    vcf_play_options opt = {ROLE, 0, 0};
    vcf_play_log first, second;
    vcf_play(&model, data, size, &opt, &first);
    current = &first;
    if (vcf_fuzz_explain)
        vcf_play_log_print(&first, vcf_fuzz_explain);
    check_codes(&first);
    check_end(&first);
    check_output(&first);
    vcf_play(&model, data, size, &opt, &second);
    check_same(&first, &second);
    vcf_fuzz_explainf("checks: return codes, no runaway, %zu message%s conform, deterministic: "
                      "ok\n",
                      first.n_msgs, first.n_msgs == 1 ? "" : "s");
    current = NULL;
    vcf_play_log_free(&second);
    vcf_play_log_free(&first);
    return 0;
}
