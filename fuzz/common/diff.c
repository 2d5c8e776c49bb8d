/* SPDX-License-Identifier: MIT */
/* vconform fuzzing: comparing the reference's and an implementation's play of a script
 * (diff.h; what is compared and normalised is described there and in docs/fuzzing-diff.md). */
#include "diff.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "vconform/rpmsg.h"
#include "vconform/vmsg.h"
#include "vconform/vmsg_model.h"

/* ---- small helpers ------------------------------------------------------------------------- */

static bool is_rpmsg(uint32_t role)
{
    return role == VCF_IUT_RPMSG_DRIVER || role == VCF_IUT_RPMSG_DEVICE;
}

static uint32_t load32(const uint8_t *p, int be)
{
    if (be)
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint16_t load16(const uint8_t *p, int be)
{
    return be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static void store32(uint8_t *p, uint32_t v, int be)
{
    for (unsigned i = 0; i < 4; i++) {
        unsigned shift = be ? 8u * (3u - i) : 8u * i;
        p[i] = (uint8_t)(v >> shift);
    }
}

/* ---- N1: the renaming shim ----------------------------------------------------------------- */

/* RPMsg header: src at 0, dst at 4, len at 12; NS payload: name[32], addr, flags. */
#define RP_OFF_SRC     0u
#define RP_OFF_DST     4u
#define RP_OFF_LEN     12u
#define RP_OFF_NS_ADDR (VCF_RPMSG_HDR_SIZE + VCF_RPMSG_NAME_SIZE)

static uint32_t to_impl(const vcf_diff_shim *s, uint32_t a)
{
    for (size_t i = 0; i < s->n_alias; i++)
        if (s->alias[i].ref == a)
            return s->alias[i].impl;
    return a;
}

static uint32_t to_ref(const vcf_diff_shim *s, uint32_t a)
{
    for (size_t i = 0; i < s->n_alias; i++)
        if (s->alias[i].impl == a)
            return s->alias[i].ref;
    return a;
}

static bool buf_reserve(vcf_diff_shim *s, size_t n)
{
    if (n <= s->buf_cap)
        return true;
    size_t cap = s->buf_cap ? s->buf_cap : 256;
    while (cap < n)
        cap *= 2;
    uint8_t *b = realloc(s->buf, cap);
    if (!b)
        return false;
    s->buf = b;
    s->buf_cap = cap;
    return true;
}

/* Record that the implementation bound impl where the reference bound ref: pairs naming
 * either address are stale now. */
static void alias_set(vcf_diff_shim *s, uint32_t ref, uint32_t impl, size_t step)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n_alias; i++)
        if (s->alias[i].ref != ref && s->alias[i].impl != impl)
            s->alias[k++] = s->alias[i];
    s->n_alias = k;
    if (ref == impl || s->n_alias == VCF_DIFF_MAX_ALIASES)
        return;
    vcf_diff_alias a = {ref, impl, step};
    s->alias[s->n_alias++] = a;
    if (s->n_made < VCF_DIFF_MAX_ALIASES)
        s->made[s->n_made++] = a;
}

static int shim_reset(void *ud, uint32_t role, const vcf_adapter_param *params, size_t n_params,
                      char *why, size_t why_len)
{
    vcf_diff_shim *s = ud;
    s->role = role;
    s->order = vcf_summary_order(role, params, n_params);
    s->step = 0;
    s->n_alias = 0;
    s->n_made = 0;
    s->renamed = 0;
    uint64_t first = VCF_RPMSG_RESERVED_ADDRESSES, last = VCF_RPMSG_ADDR_ANY - 1u, bs;
    if (vcf_param_u64(params, n_params, "buf_size", VCF_RPMSG_DEFAULT_BUF_SIZE, &bs) != 0 ||
        bs > SIZE_MAX)
        bs = VCF_RPMSG_DEFAULT_BUF_SIZE;
    s->buf_size = (size_t)bs;
    if (vcf_param_u64(params, n_params, "addr_first", first, &s->pool_first) != 0)
        s->pool_first = first;
    if (vcf_param_u64(params, n_params, "addr_last", last, &s->pool_last) != 0)
        s->pool_last = last;
    return s->inner->reset(s->inner->ud, role, params, n_params, why, why_len);
}

static int shim_inject(void *ud, const vcf_adapter_msg *msg)
{
    vcf_diff_shim *s = ud;
    s->step++;
    if (!s->inner->inject)
        return VCF_ADAPTER_UNSUPPORTED;
    if (!is_rpmsg(s->role) || (!msg->data && msg->len))
        return s->inner->inject(s->inner->ud, msg);
    /* The stdio protocol promises at least min(used_len, capacity) bytes; a script may give
     * fewer. The rest is zero, which is how the model reads bytes not supplied. */
    size_t used = msg->used_len ? msg->used_len : msg->len;
    size_t cap = msg->capacity ? msg->capacity : s->buf_size;
    size_t need = used < cap ? used : cap;
    size_t len = msg->len > need ? msg->len : need;
    bool pad = len > msg->len;
    uint32_t dst = 0, mapped = 0;
    if (s->n_alias && len >= VCF_RPMSG_HDR_SIZE) {
        /* The peer writes to the reference's address: deliver it to the implementation's. */
        uint8_t hdr[VCF_RPMSG_HDR_SIZE] = {0};
        memcpy(hdr, msg->data, msg->len < sizeof hdr ? msg->len : sizeof hdr);
        dst = load32(hdr + RP_OFF_DST, s->order);
        mapped = to_impl(s, dst);
    }
    if ((!pad && mapped == dst) || !buf_reserve(s, len))
        return s->inner->inject(s->inner->ud, msg);
    if (msg->len)
        memcpy(s->buf, msg->data, msg->len);
    memset(s->buf + msg->len, 0, len - msg->len);
    if (mapped != dst) {
        store32(s->buf + RP_OFF_DST, mapped, s->order);
        s->renamed++;
    }
    vcf_adapter_msg m = *msg;
    m.data = s->buf;
    m.len = len;
    return s->inner->inject(s->inner->ud, &m);
}

static int shim_action(void *ud, const vcf_adapter_action *act, vcf_adapter_result *res)
{
    vcf_diff_shim *s = ud;
    size_t step = s->step++;
    if (!s->inner->action)
        return VCF_ADAPTER_UNSUPPORTED;
    if (!is_rpmsg(s->role))
        return s->inner->action(s->inner->ud, act, res);
    vcf_adapter_action a = *act;
    /* The local-address argument of each RPMsg action (create's addr, destroy's, send's src,
     * announce's). */
    bool local = act->kind == VCF_ACT_RPMSG_CREATE || act->kind == VCF_ACT_RPMSG_DESTROY ||
                 act->kind == VCF_ACT_RPMSG_SEND || act->kind == VCF_ACT_RPMSG_ANNOUNCE;
    if (local && a.args[0] != VCF_RPMSG_ADDR_ANY && a.args[0] <= UINT32_MAX) {
        uint32_t m = to_impl(s, (uint32_t)a.args[0]);
        if (m != a.args[0]) {
            a.args[0] = m;
            s->renamed++;
        }
    }
    int rc = s->inner->action(s->inner->ud, &a, res);
    if (rc != VCF_ADAPTER_OK || act->kind != VCF_ACT_RPMSG_CREATE ||
        act->args[0] != VCF_RPMSG_ADDR_ANY || res->status != 0)
        return rc;
    /* A dynamic address: the reference's answer to the same step. */
    if (!s->ref || step >= s->ref->n_steps)
        return rc;
    const vcf_play_step *r = &s->ref->steps[step];
    if (r->op != VCF_SCRIPT_OP_ACTION || r->kind != VCF_ACT_RPMSG_CREATE ||
        r->rc != VCF_ADAPTER_OK || r->result.status != 0 || r->result.value > UINT32_MAX)
        return rc;
    uint64_t got = res->value;
    if (got < s->pool_first || got > s->pool_last || got >= VCF_RPMSG_ADDR_ANY)
        return rc; /* outside the pool: left as it is, so it diverges */
    alias_set(s, (uint32_t)r->result.value, (uint32_t)got, step);
    if (got != r->result.value) {
        res->value = r->result.value;
        s->renamed++;
    }
    return rc;
}

static int shim_poll(void *ud, vcf_adapter_obs *obs)
{
    vcf_diff_shim *s = ud;
    if (!s->inner->poll)
        return 0;
    int rc = s->inner->poll(s->inner->ud, obs);
    if (rc != 1 || !is_rpmsg(s->role) || s->n_alias == 0)
        return rc;
    if (obs->kind == VCF_OBS_EVENT) {
        /* Slot 0 is the local endpoint (deliver, ept-bound, ept-unbound). */
        uint64_t e = obs->event.args[0];
        if (e <= UINT32_MAX && to_ref(s, (uint32_t)e) != e) {
            obs->event.args[0] = to_ref(s, (uint32_t)e);
            s->renamed++;
        }
        return rc;
    }
    if (obs->kind != VCF_OBS_MSG || !obs->msg.data || obs->msg.len < VCF_RPMSG_HDR_SIZE)
        return rc;
    const uint8_t *d = obs->msg.data;
    size_t len = obs->msg.len;
    uint32_t src = load32(d + RP_OFF_SRC, s->order);
    uint32_t dst = load32(d + RP_OFF_DST, s->order);
    bool ns = dst == VCF_RPMSG_NS_ADDR && len >= RP_OFF_NS_ADDR + 8u &&
              load16(d + RP_OFF_LEN, s->order) == VCF_RPMSG_NS_MSG_SIZE;
    uint32_t nsa = ns ? load32(d + RP_OFF_NS_ADDR, s->order) : 0;
    bool src_m = to_ref(s, src) != src, ns_m = ns && to_ref(s, nsa) != nsa;
    if ((!src_m && !ns_m) || !buf_reserve(s, len))
        return rc;
    memcpy(s->buf, d, len);
    if (src_m)
        store32(s->buf + RP_OFF_SRC, to_ref(s, src), s->order);
    if (ns_m)
        store32(s->buf + RP_OFF_NS_ADDR, to_ref(s, nsa), s->order);
    s->renamed += (size_t)src_m + (size_t)ns_m;
    obs->msg.data = s->buf;
    return rc;
}

static int shim_idle(void *ud)
{
    vcf_diff_shim *s = ud;
    return s->inner->idle ? s->inner->idle(s->inner->ud) : 1;
}

static void shim_close(void *ud)
{
    (void)ud; /* the inner adapter belongs to the caller */
}

void vcf_diff_shim_init(vcf_diff_shim *s, const vcf_adapter *inner, const vcf_play_log *ref)
{
    uint8_t *buf = s->buf;
    size_t cap = s->buf_cap;
    memset(s, 0, sizeof *s);
    s->buf = buf; /* kept between inputs */
    s->buf_cap = cap;
    s->inner = inner;
    s->ref = ref;
    s->ad = *inner;
    s->ad.struct_size = (uint32_t)sizeof s->ad;
    s->ad.ud = s;
    s->ad.reset = shim_reset;
    s->ad.inject = shim_inject;
    s->ad.action = shim_action;
    s->ad.poll = shim_poll;
    s->ad.idle = inner->idle ? shim_idle : NULL;
    s->ad.close = shim_close;
}

void vcf_diff_shim_free(vcf_diff_shim *s)
{
    free(s->buf);
    s->buf = NULL;
    s->buf_cap = 0;
}

/* ---- comparing ----------------------------------------------------------------------------- */

typedef struct cmp {
    const vcf_play_log *ref, *impl;
    uint32_t role;
    bool pr28; /* virtio-msg revision PR28 (the default) */
} cmp;

static void what(vcf_diff_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void what(vcf_diff_result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->what, sizeof r->what, fmt, ap);
    va_end(ap);
}

static const char *rc_class(int rc)
{
    return rc == VCF_ADAPTER_OK ? "OK" : rc == VCF_ADAPTER_UNSUPPORTED ? "UNSUPPORTED" : "ERROR";
}

static int rc_norm(int rc)
{
    return rc == VCF_ADAPTER_OK || rc == VCF_ADAPTER_UNSUPPORTED ? rc : VCF_ADAPTER_ERROR;
}

/* ---- naming the field at a byte offset (the codecs' describe walk) ----------------------- */

typedef struct field_hit {
    size_t off;
    bool found;
    char name[96];
    size_t f_off, f_size;
    bool is_uint;
    uint64_t value;
    const char *groups[8]; /* enclosing groups while walking */
    size_t depth;
} field_hit;

static void on_field(void *ctx, const vcf_field *f)
{
    field_hit *h = ctx;
    if (f->kind == VCF_FIELD_BEGIN) {
        if (h->depth < 8)
            h->groups[h->depth] = f->is_array ? NULL : f->name;
        h->depth++;
        return;
    }
    if (f->kind == VCF_FIELD_END) {
        if (h->depth)
            h->depth--;
        return;
    }
    if (h->found || h->off < f->offset || h->off - f->offset >= f->size)
        return;
    h->found = true;
    h->f_off = f->offset;
    h->f_size = f->size;
    h->is_uint = f->kind == VCF_FIELD_UINT;
    h->value = f->value;
    size_t used = 0;
    h->name[0] = '\0';
    for (size_t i = 0; i < h->depth && i < 8; i++)
        if (h->groups[i] && used < sizeof h->name) {
            int n = snprintf(h->name + used, sizeof h->name - used, "%s.", h->groups[i]);
            if (n > 0)
                used += (size_t)n;
        }
    if (used < sizeof h->name)
        snprintf(h->name + used, sizeof h->name - used, "%s", f->name ? f->name : "?");
}

/* The field of a message (as the reference emitted it) that holds byte off. */
static bool field_at(uint32_t role, int order, bool pr28, const uint8_t *d, size_t len, size_t off,
                     field_hit *h)
{
    memset(h, 0, sizeof *h);
    h->off = off;
    if (!d || len == 0)
        return false;
    if (is_rpmsg(role)) {
        vcf_rpmsg_params p;
        vcf_rpmsg_params_default(&p);
        p.order = order ? VCF_BIG_ENDIAN : VCF_LITTLE_ENDIAN;
        vcf_rpmsg_msg m;
        vcf_error e;
        memset(&m, 0, sizeof m);
        memset(&e, 0, sizeof e);
        int rc = vcf_rpmsg_parse(d, len, &p, &m, &e);
        if (rc != VCF_OK && rc != VCF_E_NONSTANDARD) {
            memset(&m, 0, sizeof m);
            if (vcf_rpmsg_frame_parse(d, len, p.order, &m.frame, &e) != VCF_OK)
                return false;
            m.kind = VCF_RPMSG_KIND_DATA;
        }
        vcf_rpmsg_describe(&m, &p, on_field, h);
    } else {
        vcf_vmsg_params p;
        vcf_vmsg_params_default(&p);
        p.rev = pr28 ? VCF_VMSG_REV_PR28 : VCF_VMSG_REV_RFC3;
        p.allow_padding = true;
        vcf_vmsg_msg m;
        vcf_error e;
        memset(&e, 0, sizeof e);
        if (vcf_vmsg_parse(d, len, &p, &m, &e) != VCF_OK)
            return false;
        vcf_vmsg_describe(&m, &p, on_field, h);
    }
    return h->found;
}

/* An unsigned field read from other bytes at the same place (RPMsg: the link order; virtio-msg:
 * little-endian). */
static uint64_t load_uint(const uint8_t *d, size_t size, int be)
{
    uint64_t v = 0;
    for (size_t i = 0; i < size && i < 8; i++) {
        size_t k = be ? i : size - 1 - i;
        v = v << 8 | d[k];
    }
    return v;
}

/* "len: reference 40, implementation 10240" for the field holding byte off, appended to buf. */
static void name_field(const cmp *c, const vcf_play_obs *a, const vcf_play_obs *b, size_t off,
                       char *buf, size_t cap)
{
    field_hit h;
    int order = vcf_summary_order(c->role, c->ref->params, c->ref->n_params);
    if (!field_at(c->role, order, c->pr28, a->data, a->len, off, &h)) {
        snprintf(buf, cap, "byte %zu: reference 0x%02x, implementation 0x%02x", off, a->data[off],
                 b->data[off]);
        return;
    }
    int be = is_rpmsg(c->role) ? order : 0;
    if (h.is_uint && h.f_size <= 8 && h.f_off + h.f_size <= b->len)
        snprintf(buf, cap,
                 "%s (offset %zu, %zu byte%s): reference %llu (0x%llx), implementation "
                 "%llu (0x%llx)",
                 h.name, h.f_off, h.f_size, h.f_size == 1 ? "" : "s", (unsigned long long)h.value,
                 (unsigned long long)h.value,
                 (unsigned long long)load_uint(b->data + h.f_off, h.f_size, be),
                 (unsigned long long)load_uint(b->data + h.f_off, h.f_size, be));
    else
        snprintf(buf, cap, "%s (offset %zu, %zu byte%s)", h.name, h.f_off, h.f_size,
                 h.f_size == 1 ? "" : "s");
}

/* N2, N3: whether byte off of message m (emitted after step st) is not compared. The decision
 * reads the reference's message; the header bytes it reads are compared, so a message of
 * another kind diverges there. */
static bool masked(const cmp *c, const vcf_play_step *st, const vcf_play_obs *m, size_t off)
{
    if (m->len < VCF_VMSG_HDR_SIZE || !m->data)
        return false;
    const uint8_t *d = m->data;
    bool token = off == 4 || off == 5;
    bool resp = (d[0] & VCF_VMSG_TYPE_RESPONSE) != 0, bus = (d[0] & VCF_VMSG_TYPE_BUS) != 0;
    switch (c->role) {
    case VCF_IUT_VMSG_DEVICE:
        if (token && c->pr28)
            return true;
        /* N3: the generation (offset 12) of the EVENT_CONFIG a failure sends. */
        return st->op == VCF_SCRIPT_OP_ACTION && st->kind == VCF_ACT_VMSG_FAIL && m->len >= 16 &&
               d[1] == VCF_VMSG_EVENT_CONFIG && off >= 12 && off < 16;
    case VCF_IUT_VMSG_DRIVER:
        /* PR28: every token is the bus's; RFC3: the driver numbers its requests. */
        return token && (c->pr28 || (!resp && !bus && d[1] < VCF_VMSG_EVENT_CONFIG));
    case VCF_IUT_VMSG_BUS:
        if (!token || resp)
            return false;
        if (bus && m->channel == 0 &&
            (d[1] == VCF_VMSG_BUS_GET_DEVICES || d[1] == VCF_VMSG_BUS_PING))
            return true; /* the bus's own requests to the peer */
        return c->pr28 && !bus && m->channel == 2 && d[1] < VCF_VMSG_EVENT_CONFIG;
    default: return false;
    }
}

/* N4: the argument slots of a virtio-msg driver's done event that the request fixes. */
static unsigned done_slots(const cmp *c, size_t s, unsigned named)
{
    for (size_t i = s + 1; i-- > 0;) {
        const vcf_play_step *st = &c->ref->steps[i];
        if (st->op != VCF_SCRIPT_OP_ACTION)
            continue;
        switch (st->kind) {
        case VCF_ACT_VMSG_CONFIG_WRITE: return named & 0x6u; /* offset, length */
        case VCF_ACT_VMSG_RESET_VQ: return named & 0x1u;     /* index */
        case VCF_ACT_VMSG_SETUP_VQ: return named & 0x5u;     /* index, length */
        case VCF_ACT_VMSG_GET_STATUS:
        case VCF_ACT_VMSG_RESET: return 0;
        default: break;
        }
    }
    return named;
}

/* The argument slots compared for an event type (bit i: slot i). */
static unsigned event_slots(const cmp *c, size_t s, uint32_t type)
{
    const vcf_event_info *info = vcf_adapter_event_info(type);
    if (!info)
        return 0xFu;
    unsigned named = 0;
    for (unsigned i = 0; i < VCF_ADAPTER_ARG_MAX; i++)
        if (info->args[i])
            named |= 1u << i;
    if (c->role == VCF_IUT_VMSG_DRIVER && type == VCF_EVT_VMSG_BASE + (uint32_t)VCF_VMSG_EV_DONE)
        return done_slots(c, s, named);
    return named;
}

/* N5: a device-ready after a set-device that does not announce. */
static bool event_ignored(const cmp *c, const vcf_play_step *st, const vcf_play_obs *o)
{
    return c->role == VCF_IUT_VMSG_BUS && st->op == VCF_SCRIPT_OP_ACTION &&
           st->kind == VCF_ACT_VMSG_SET_DEVICE && st->args[2] == 0 &&
           o->type == VCF_EVT_VMSG_BASE + (uint32_t)VCF_VMSG_EV_DEVICE_READY;
}

static bool events_equal(const cmp *c, size_t s, const vcf_play_obs *a, const vcf_play_obs *b)
{
    if (a->type != b->type || a->len != b->len || (a->len && memcmp(a->data, b->data, a->len)))
        return false;
    unsigned slots = event_slots(c, s, a->type);
    for (unsigned i = 0; i < VCF_ADAPTER_ARG_MAX; i++)
        if ((slots & (1u << i)) && a->args[i] != b->args[i])
            return false;
    return true;
}

/* The observations of kind of one step, as indexes into the log (at most cap). */
static size_t step_obs(const vcf_play_log *log, const vcf_play_step *st, uint32_t kind, size_t *out,
                       size_t cap)
{
    size_t n = 0;
    for (size_t i = st->first_obs; i < st->first_obs + st->n_obs && i < log->n_obs; i++)
        if (log->obs[i].kind == kind && n < cap)
            out[n++] = i;
    return n;
}

#define STEP_OBS_CAP (VCF_PLAY_MAX_OBS_PER_STEP + 1u)

static size_t used_of(const vcf_play_obs *o)
{
    return o->used_len ? o->used_len : o->len;
}

/* Messages of step s. true when they agree. */
static bool compare_msgs(const cmp *c, size_t s, vcf_diff_result *r)
{
    const vcf_play_step *rs = &c->ref->steps[s], *is = &c->impl->steps[s];
    size_t ri[STEP_OBS_CAP], ii[STEP_OBS_CAP];
    size_t nr = step_obs(c->ref, rs, VCF_OBS_MSG, ri, STEP_OBS_CAP);
    size_t ni = step_obs(c->impl, is, VCF_OBS_MSG, ii, STEP_OBS_CAP);
    for (size_t k = 0; k < nr && k < ni; k++) {
        const vcf_play_obs *a = &c->ref->obs[ri[k]], *b = &c->impl->obs[ii[k]];
        const char *an = vcf_channel_name(c->role, a->channel);
        const char *bn = vcf_channel_name(c->role, b->channel);
        r->msg = k;
        if (a->channel != b->channel) {
            what(r, "step %zu, message %zu: channel %s in the reference, %s in the implementation",
                 s + 1, k, an ? an : "?", bn ? bn : "?");
            return false;
        }
        if (a->len != b->len) {
            what(r,
                 "step %zu, message %zu (%s): %zu bytes in the reference, %zu in the "
                 "implementation",
                 s + 1, k, an ? an : "?", a->len, b->len);
            /* still point out the bytes of the common part */
        }
        size_t common = a->len < b->len ? a->len : b->len;
        size_t first = SIZE_MAX;
        r->n_spans = 0;
        for (size_t off = 0; off < common; off++) {
            if (masked(c, rs, a, off)) {
                r->n_masked++;
                continue;
            }
            if (a->data[off] == b->data[off])
                continue;
            if (first == SIZE_MAX)
                first = off;
            if (r->n_spans && r->span_to[r->n_spans - 1] == off)
                r->span_to[r->n_spans - 1] = off + 1;
            else if (r->n_spans < VCF_DIFF_MAX_SPANS) {
                r->span_from[r->n_spans] = off;
                r->span_to[r->n_spans] = off + 1;
                r->n_spans++;
            }
        }
        if (a->len != b->len)
            return false;
        if (first != SIZE_MAX) {
            char spans[160] = "";
            size_t used = 0;
            for (size_t i = 0; i < r->n_spans && used < sizeof spans; i++) {
                int n = r->span_to[i] - r->span_from[i] == 1
                            ? snprintf(spans + used, sizeof spans - used, "%s%zu", i ? ", " : "",
                                       r->span_from[i])
                            : snprintf(spans + used, sizeof spans - used, "%s%zu..%zu",
                                       i ? ", " : "", r->span_from[i], r->span_to[i] - 1);
                if (n < 0)
                    break;
                used += (size_t)n;
            }
            char field[256];
            name_field(c, a, b, first, field, sizeof field);
            bool one = r->n_spans == 1 && r->span_to[0] - r->span_from[0] == 1;
            what(r, "step %zu, message %zu (%s, %zu bytes): byte%s %s differ%s; %s", s + 1, k,
                 an ? an : "?", a->len, one ? "" : "s", spans, one ? "s" : "", field);
            return false;
        }
        if (used_of(a) != used_of(b)) {
            what(r,
                 "step %zu, message %zu (%s): used length %zu in the reference, %zu in the "
                 "implementation",
                 s + 1, k, an ? an : "?", used_of(a), used_of(b));
            return false;
        }
    }
    if (nr != ni) {
        r->msg = nr < ni ? nr : ni;
        r->n_spans = 0;
        what(r, "step %zu: the reference emitted %zu message%s, the implementation %zu", s + 1, nr,
             nr == 1 ? "" : "s", ni);
        return false;
    }
    return true;
}

/* Events of step s, as multisets. true when they agree. */
static bool compare_events(const cmp *c, size_t s, vcf_diff_result *r)
{
    const vcf_play_step *rs = &c->ref->steps[s], *is = &c->impl->steps[s];
    size_t ri[STEP_OBS_CAP], ii[STEP_OBS_CAP];
    bool used[STEP_OBS_CAP];
    size_t nr = step_obs(c->ref, rs, VCF_OBS_EVENT, ri, STEP_OBS_CAP);
    size_t ni = step_obs(c->impl, is, VCF_OBS_EVENT, ii, STEP_OBS_CAP);
    memset(used, 0, sizeof used);
    size_t missing = 0, extra = 0, first_missing = SIZE_MAX, first_extra = SIZE_MAX;
    for (size_t k = 0; k < nr; k++) {
        const vcf_play_obs *a = &c->ref->obs[ri[k]];
        if (event_ignored(c, rs, a))
            continue;
        size_t j = 0;
        while (j < ni && (used[j] || !events_equal(c, s, a, &c->impl->obs[ii[j]])))
            j++;
        if (j < ni)
            used[j] = true;
        else if (missing++ == 0)
            first_missing = ri[k];
    }
    for (size_t j = 0; j < ni; j++)
        if (!used[j] && !event_ignored(c, rs, &c->impl->obs[ii[j]]) && extra++ == 0)
            first_extra = ii[j];
    if (!missing && !extra)
        return true;
    char a[512] = "", b[512] = "";
    if (first_missing != SIZE_MAX) {
        const vcf_play_obs *o = &c->ref->obs[first_missing];
        vcf_summary_event(o->type, o->args, o->data, o->len, a, sizeof a);
    }
    if (first_extra != SIZE_MAX) {
        const vcf_play_obs *o = &c->impl->obs[first_extra];
        vcf_summary_event(o->type, o->args, o->data, o->len, b, sizeof b);
    }
    what(r,
         "step %zu: events differ: %zu only in the reference%s%s%s, %zu only in the "
         "implementation%s%s%s",
         s + 1, missing, missing ? " (" : "", a, missing ? ")" : "", extra, extra ? " (" : "", b,
         extra ? ")" : "");
    return false;
}

static vcf_diff_verdict verdict(vcf_diff_result *r, vcf_diff_verdict v, vcf_diff_kind k, size_t s)
{
    r->verdict = v;
    r->kind = k;
    r->step = s;
    return v;
}

vcf_diff_verdict vcf_diff_compare(const vcf_play_log *ref, const vcf_play_log *impl,
                                  vcf_diff_result *r)
{
    memset(r, 0, sizeof *r);
    if (ref->end == VCF_PLAY_END_BAD_SCRIPT) {
        what(r, "the script cannot be read: %s", ref->why);
        return verdict(r, VCF_DIFF_SKIPPED, VCF_DIFF_K_NONE, 0);
    }
    if (ref->end == VCF_PLAY_END_RESET) {
        what(r, "the reference does not take this role and these parameters (reset %s: %s)",
             vcf_adapter_rc_name(ref->reset_rc), ref->why);
        return verdict(r, VCF_DIFF_SKIPPED, VCF_DIFF_K_NONE, 0);
    }
    if (impl->end == VCF_PLAY_END_RESET || impl->end == VCF_PLAY_END_BAD_SCRIPT) {
        if (impl->reset_rc == VCF_ADAPTER_UNSUPPORTED) {
            what(r, "the implementation does not take this role and these parameters: %s",
                 impl->why);
            return verdict(r, VCF_DIFF_UNSUPPORTED, VCF_DIFF_K_NONE, 0);
        }
        what(r, "reset: the reference answers OK, the implementation %s (rc %d): %s",
             rc_class(impl->reset_rc), impl->reset_rc, impl->why);
        return verdict(r, VCF_DIFF_DIVERGED, VCF_DIFF_K_RESET, 0);
    }
    cmp c = {ref, impl, ref->role, true};
    const char *rev = vcf_param_get(ref->params, ref->n_params, "rev");
    c.pr28 = !(rev && strcmp(rev, "rfc3") == 0);

    for (size_t s = 0; s < ref->n_steps; s++) {
        const vcf_play_step *rs = &ref->steps[s];
        bool ref_last = s + 1 == ref->n_steps && ref->end != VCF_PLAY_END_DONE;
        if (s >= impl->n_steps) {
            what(r, "the implementation's play ended before step %zu: %s%s%s", s + 1,
                 vcf_play_end_name(impl->end), impl->why[0] ? ": " : "", impl->why);
            return verdict(r, VCF_DIFF_DIVERGED, VCF_DIFF_K_END, s);
        }
        const vcf_play_step *is = &impl->steps[s];
        bool impl_last = s + 1 == impl->n_steps && impl->end != VCF_PLAY_END_DONE;
        if (rc_norm(rs->rc) == VCF_ADAPTER_ERROR || ref_last) {
            what(r, "the reference's play ended at step %zu (%s%s%s): not compared from there",
                 s + 1, vcf_play_end_name(ref->end), ref->why[0] ? ": " : "", ref->why);
            return verdict(r, VCF_DIFF_SKIPPED, VCF_DIFF_K_NONE, s);
        }
        if (is->rc == VCF_ADAPTER_UNSUPPORTED && rs->rc != VCF_ADAPTER_UNSUPPORTED) {
            what(r,
                 "step %zu: the implementation answers UNSUPPORTED (it cannot do this): "
                 "compared up to here",
                 s + 1);
            return verdict(r, VCF_DIFF_UNSUPPORTED, VCF_DIFF_K_NONE, s);
        }
        if (rc_norm(is->rc) == VCF_ADAPTER_ERROR) {
            what(r, "step %zu: the reference answers %s, the implementation ERROR (rc %d)%s%s",
                 s + 1, rc_class(rs->rc), is->rc, impl->why[0] ? ": " : "", impl->why);
            return verdict(r, VCF_DIFF_DIVERGED, VCF_DIFF_K_RC, s);
        }
        if (impl_last) {
            what(r, "step %zu: the implementation's play ended: %s%s%s", s + 1,
                 vcf_play_end_name(impl->end), impl->why[0] ? ": " : "", impl->why);
            return verdict(r, VCF_DIFF_DIVERGED, VCF_DIFF_K_END, s);
        }
        if (rs->rc == VCF_ADAPTER_UNSUPPORTED && is->rc == VCF_ADAPTER_OK) {
            what(r,
                 "step %zu: the reference answers UNSUPPORTED (no outcome to compare with): "
                 "compared up to here",
                 s + 1);
            return verdict(r, VCF_DIFF_SKIPPED, VCF_DIFF_K_NONE, s);
        }
        if (rs->op == VCF_SCRIPT_OP_ACTION && rs->rc == VCF_ADAPTER_OK) {
            bool rd = rs->result.status == 0, id = is->result.status == 0;
            if (rd != id) {
                what(r,
                     "step %zu: the reference %s the action (status %d), the implementation "
                     "%s it (status %d)",
                     s + 1, rd ? "does" : "refuses", (int)rs->result.status,
                     id ? "does" : "refuses", (int)is->result.status);
                return verdict(r, VCF_DIFF_DIVERGED, VCF_DIFF_K_RESULT, s);
            }
            if (rd && rs->kind == VCF_ACT_RPMSG_CREATE && rs->result.value != is->result.value) {
                what(r,
                     "step %zu: create bound address %llu (0x%llx) in the reference, %llu "
                     "(0x%llx) in the implementation",
                     s + 1, (unsigned long long)rs->result.value,
                     (unsigned long long)rs->result.value, (unsigned long long)is->result.value,
                     (unsigned long long)is->result.value);
                return verdict(r, VCF_DIFF_DIVERGED, VCF_DIFF_K_VALUE, s);
            }
        }
        if (!compare_msgs(&c, s, r))
            return verdict(r, VCF_DIFF_DIVERGED, VCF_DIFF_K_MSG, s);
        r->n_spans = 0;
        if (!compare_events(&c, s, r))
            return verdict(r, VCF_DIFF_DIVERGED, VCF_DIFF_K_EVENT, s);
        r->compared++;
    }
    if (impl->n_steps > ref->n_steps) {
        /* Cannot happen with one script and both plays done; said rather than hidden. */
        what(r, "the implementation played %zu steps, the reference %zu", impl->n_steps,
             ref->n_steps);
        return verdict(r, VCF_DIFF_DIVERGED, VCF_DIFF_K_END, ref->n_steps);
    }
    what(r, "%zu step%s compared, no divergence", r->compared, r->compared == 1 ? "" : "s");
    return verdict(r, VCF_DIFF_SAME, VCF_DIFF_K_NONE, ref->n_steps);
}

const char *vcf_diff_verdict_name(vcf_diff_verdict v)
{
    switch (v) {
    case VCF_DIFF_SAME: return "same";
    case VCF_DIFF_SKIPPED: return "skipped";
    case VCF_DIFF_UNSUPPORTED: return "unsupported";
    case VCF_DIFF_DIVERGED: return "diverged";
    }
    return "?";
}

/* ---- the account --------------------------------------------------------------------------- */

#define HEX_PER_LINE 16u
#define HEX_MAX      1024u /* bytes of one message printed */

/* Bytes, 16 to a line, with a marker line under each line that holds differing (^^) or
 * uncompared (--) bytes. other: the message to compare with (NULL: no markers). */
static void print_bytes(FILE *f, const cmp *c, const vcf_play_step *st, const vcf_play_obs *self,
                        const vcf_play_obs *mask_src, const vcf_play_obs *other)
{
    size_t n = self->len < HEX_MAX ? self->len : HEX_MAX;
    if (self->len == 0) {
        fprintf(f, "         (no bytes)\n");
        return;
    }
    for (size_t line = 0; line < n; line += HEX_PER_LINE) {
        char marks[HEX_PER_LINE * 3 + 1];
        bool any = false;
        size_t m = 0;
        fprintf(f, "      %04zx ", line);
        for (size_t i = line; i < n && i < line + HEX_PER_LINE; i++) {
            fprintf(f, " %02x", self->data[i]);
            char mk = ' ';
            if (other) {
                if (mask_src && c && st && i < mask_src->len && masked(c, st, mask_src, i))
                    mk = '-';
                else if (i >= other->len || other->data[i] != self->data[i])
                    mk = '^';
            }
            any |= mk != ' ';
            marks[m++] = ' ';
            marks[m++] = mk;
            marks[m++] = mk;
        }
        while (m > 0 && marks[m - 1] == ' ')
            m--;
        marks[m] = '\0';
        fputc('\n', f);
        if (any)
            fprintf(f, "           %s\n", marks);
    }
    if (n < self->len)
        fprintf(f, "      ... (%zu bytes in all)\n", self->len);
}

static void print_obs_line(FILE *f, const vcf_play_log *log, int order, const vcf_play_obs *o,
                           const char *prefix)
{
    char text[1024], ch[32];
    if (o->kind == VCF_OBS_MSG) {
        vcf_summary_msg(log->role, order, o->channel, o->data, o->len, text, sizeof text);
        fprintf(f, "%s<- msg %s len %zu", prefix,
                vcf_play_channel_name(log->role, o->channel, ch, sizeof ch), o->len);
        if (o->used_len && o->used_len != o->len)
            fprintf(f, " used_len %zu", o->used_len);
        fprintf(f, ": %s\n", text);
    } else {
        vcf_summary_event(o->type, o->args, o->data, o->len, text, sizeof text);
        fprintf(f, "%s<- event %s\n", prefix, text);
    }
}

static void print_outcome(FILE *f, const vcf_play_step *st, const char *prefix)
{
    fprintf(f, "%s%s", prefix, vcf_adapter_rc_name(st->rc));
    if (st->op == VCF_SCRIPT_OP_ACTION && st->rc == VCF_ADAPTER_OK) {
        if (st->result.status == 0)
            fprintf(f, ", done");
        else
            fprintf(f, ", refused (status %d)", (int)st->result.status);
        if (st->kind == VCF_ACT_RPMSG_CREATE && st->result.status == 0)
            fprintf(f, ", address %llu", (unsigned long long)st->result.value);
    }
    fputc('\n', f);
}

/* One side of the diverging step: its outcome and observations, bytes marked against the
 * other side's message of the same index. */
static void print_side(FILE *f, const cmp *c, const char *label, const char *name,
                       const vcf_play_log *self, const vcf_play_log *other, size_t s,
                       const vcf_diff_result *r, bool is_ref)
{
    int order = vcf_summary_order(self->role, self->params, self->n_params);
    fprintf(f, "%s (%s):\n", label, name);
    if (s >= self->n_steps) {
        fprintf(f, "    (no step %zu: the play ended: %s%s%s)\n", s + 1,
                vcf_play_end_name(self->end), self->why[0] ? ": " : "", self->why);
        return;
    }
    const vcf_play_step *st = &self->steps[s];
    const vcf_play_step *ost = s < other->n_steps ? &other->steps[s] : NULL;
    if (ost && (st->injected_len != ost->injected_len ||
                (st->injected_len && memcmp(st->injected, ost->injected, st->injected_len)))) {
        char text[1024];
        vcf_summary_msg(self->role, order, st->channel, st->injected, st->injected_len, text,
                        sizeof text);
        fprintf(f, "    injected (its own choices echoed): %s\n", text);
    }
    print_outcome(f, st, "    rc ");
    size_t idx[STEP_OBS_CAP], oidx[STEP_OBS_CAP];
    size_t n = step_obs(self, st, VCF_OBS_MSG, idx, STEP_OBS_CAP);
    size_t on = ost ? step_obs(other, ost, VCF_OBS_MSG, oidx, STEP_OBS_CAP) : 0;
    if (!st->n_obs)
        fprintf(f, "    (nothing emitted, no event)\n");
    for (size_t k = 0; k < n; k++) {
        const vcf_play_obs *o = &self->obs[idx[k]];
        const vcf_play_obs *oo = k < on ? &other->obs[oidx[k]] : NULL;
        bool here = r->kind == VCF_DIFF_K_MSG && k == r->msg;
        print_obs_line(f, self, order, o, here ? " >> " : "    ");
        /* The mask is read from the reference's message. */
        const vcf_play_obs *ms = is_ref ? o : oo;
        const vcf_play_step *rst = is_ref ? st : ost;
        print_bytes(f, c, rst, o, ms, here ? oo : NULL);
    }
    size_t ev[STEP_OBS_CAP];
    size_t ne = step_obs(self, st, VCF_OBS_EVENT, ev, STEP_OBS_CAP);
    for (size_t k = 0; k < ne; k++) {
        const vcf_play_obs *o = &self->obs[ev[k]];
        bool matched = false;
        if (ost && r->kind == VCF_DIFF_K_EVENT) {
            size_t oev[STEP_OBS_CAP];
            size_t one = step_obs(other, ost, VCF_OBS_EVENT, oev, STEP_OBS_CAP);
            const vcf_play_step *rst = is_ref ? st : ost;
            for (size_t j = 0; j < one && !matched; j++)
                matched = events_equal(c, s, o, &other->obs[oev[j]]) || event_ignored(c, rst, o);
        }
        print_obs_line(f, self, order, o,
                       r->kind == VCF_DIFF_K_EVENT && !matched ? " >> " : "    ");
    }
    if (s + 1 == self->n_steps && self->end != VCF_PLAY_END_DONE)
        fprintf(f, "    play ended: %s%s%s\n", vcf_play_end_name(self->end),
                self->why[0] ? ": " : "", self->why);
}

void vcf_diff_print(FILE *f, const vcf_play_log *ref, const vcf_play_log *impl,
                    const vcf_diff_result *r, const char *ref_name, const char *impl_name,
                    const vcf_diff_shim *shim)
{
    const char *rn = ref_name ? ref_name : "reference";
    const char *in = impl_name ? impl_name : "implementation";
    fprintf(f, "=== vconform diff: reference %s | implementation %s\n", rn, in);
    if (ref->end == VCF_PLAY_END_BAD_SCRIPT) {
        fprintf(f, "verdict: %s: %s\n", vcf_diff_verdict_name(r->verdict), r->what);
        return;
    }
    const char *role = vcf_iut_role_name(ref->role);
    fprintf(f, "role %s; parameters:%s\n", role ? role : "?", ref->n_params ? "" : " (none)");
    for (size_t i = 0; i < ref->n_params; i++)
        fprintf(f, "  %s=%s\n", ref->params[i].key, ref->params[i].value);
    fprintf(f, "verdict: %s: %s\n", vcf_diff_verdict_name(r->verdict), r->what);
    if (shim && shim->n_made) {
        fprintf(f, "dynamic addresses renamed (implementation -> reference):");
        for (size_t i = 0; i < shim->n_made; i++)
            fprintf(f, " %u->%u (step %zu)", (unsigned)shim->made[i].impl,
                    (unsigned)shim->made[i].ref, shim->made[i].step + 1);
        fputc('\n', f);
    }
    if (ref->end == VCF_PLAY_END_RESET || impl->end == VCF_PLAY_END_RESET) {
        fprintf(f, "reset: reference %s%s%s; implementation %s%s%s\n",
                vcf_adapter_rc_name(ref->reset_rc), ref->end == VCF_PLAY_END_RESET ? ": " : "",
                ref->end == VCF_PLAY_END_RESET ? ref->why : "", vcf_adapter_rc_name(impl->reset_rc),
                impl->end == VCF_PLAY_END_RESET ? ": " : "",
                impl->end == VCF_PLAY_END_RESET ? impl->why : "");
        return;
    }
    cmp c = {ref, impl, ref->role, true};
    const char *rev = vcf_param_get(ref->params, ref->n_params, "rev");
    c.pr28 = !(rev && strcmp(rev, "rfc3") == 0);
    int order = vcf_summary_order(ref->role, ref->params, ref->n_params);
    bool diverged = r->verdict == VCF_DIFF_DIVERGED;
    size_t upto = diverged ? r->step : ref->n_steps;
    for (size_t s = 0; s < upto && s < ref->n_steps; s++) {
        vcf_play_step_print(ref, order, s, "", f);
        print_outcome(f, &ref->steps[s], "    -> ");
        const vcf_play_step *st = &ref->steps[s];
        for (size_t i = st->first_obs; i < st->first_obs + st->n_obs && i < ref->n_obs; i++)
            print_obs_line(f, ref, order, &ref->obs[i], "    ");
    }
    if (!diverged)
        return;
    fprintf(f, "--- step %zu diverges (%zu step%s before it agree)\n", r->step + 1, r->compared,
            r->compared == 1 ? "" : "s");
    if (r->step < ref->n_steps)
        vcf_play_step_print(ref, order, r->step, "", f);
    print_side(f, &c, "reference", rn, ref, impl, r->step, r, true);
    print_side(f, &c, "implementation", in, impl, ref, r->step, r, false);
    fprintf(f, "differs: %s\n", r->what);
    if (r->kind == VCF_DIFF_K_MSG && r->n_spans > 1 && r->step < ref->n_steps &&
        r->step < impl->n_steps) {
        size_t ri[STEP_OBS_CAP], ii[STEP_OBS_CAP];
        size_t nr = step_obs(ref, &ref->steps[r->step], VCF_OBS_MSG, ri, STEP_OBS_CAP);
        size_t ni = step_obs(impl, &impl->steps[r->step], VCF_OBS_MSG, ii, STEP_OBS_CAP);
        if (r->msg < nr && r->msg < ni)
            for (size_t i = 0; i < r->n_spans; i++) {
                char field[256];
                name_field(&c, &ref->obs[ri[r->msg]], &impl->obs[ii[r->msg]], r->span_from[i],
                           field, sizeof field);
                fprintf(f, "  bytes %zu..%zu: %s\n", r->span_from[i], r->span_to[i] - 1, field);
            }
    }
    if (r->kind == VCF_DIFF_K_MSG)
        fprintf(f, "(^^ differing bytes; -- bytes not compared: tokens or fields the implementation"
                   " chooses, docs/fuzzing-diff.md)\n");
}
