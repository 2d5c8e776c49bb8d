/* SPDX-License-Identifier: MIT */
/*
 * vconform fuzzing: the structure-aware mutator (mutator.h, docs/fuzzing-mutator.md).
 *
 * One call: parse the input in its format into a small view (fields, spans, messages, units),
 * pick one operator that applies, apply it, and say what was done in m->last. The view is
 *
 *   field  a wire field: where it is, its width and byte order, and what it is (a plain value,
 *          a length or size, reserved bits, an NS name). Length fields carry the values their
 *          boundaries are computed from (exact, header size, buffer size or bus maximum);
 *   span   a run of bytes that a size field describes (a vmsg message and msg_size, an RPMsg
 *          payload and len, a script INJECT's message and the record's len, an adapter frame
 *          and its length, ...). Spans nest. When a mutation changes the size of a span, the
 *          sizes of the spans around it are kept consistent: always for framing (the record
 *          or frame that carries a message: a change stays inside the message), and for the
 *          protocol's own fields only when the operator asks for a consistent message;
 *   message  a parsed RPMsg, NS or virtio-msg message (for swapping all of its fields);
 *   unit   a script record or an adapter frame (splice, duplicate, drop, swap).
 *
 * Only one record or frame of a sequence is parsed in detail per call (chosen at random), so
 * the view stays small and fixed in size: no allocation, no global state. Everything is read
 * and written with explicit byte loads and stores through bounds checks.
 */
#include "mutator.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "frame.h"
#include "fuzz.h"
#include "script.h"
#include "vconform/adapter.h"
#include "vconform/rpmsg.h"
#include "vconform/vmsg.h"
#include "vmsg_layout.h" /* model/src: the field table of every virtio-msg message */

/* ---- formats ----------------------------------------------------------------------------- */

static const char *const format_names[VCF_FMT_COUNT] = {
    [VCF_FMT_RAW] = "raw",           [VCF_FMT_RPMSG_FRAME] = "rpmsg-frame",
    [VCF_FMT_RPMSG_NS] = "rpmsg-ns", [VCF_FMT_VMSG] = "vmsg",
    [VCF_FMT_SCRIPT] = "script",     [VCF_FMT_ADAPTER_FRAME] = "adapter-frame",
    [VCF_FMT_CAPTURE] = "capture",
};

const char *vcf_fuzz_format_name(vcf_fuzz_format fmt)
{
    if ((unsigned)fmt >= VCF_FMT_COUNT)
        return NULL;
    return format_names[fmt];
}

int vcf_fuzz_format_parse(const char *name, vcf_fuzz_format *out)
{
    if (!name)
        return -1;
    for (unsigned i = 0; i < VCF_FMT_COUNT; i++) {
        if (strcmp(name, format_names[i]) == 0) {
            *out = (vcf_fuzz_format)i;
            return 0;
        }
    }
    return -1;
}

/* ---- random numbers ---------------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void vcf_mutator_init(vcf_mutator *m, vcf_fuzz_format format, uint64_t seed)
{
    if (!m)
        return;
    memset(m, 0, sizeof(*m));
    m->format = (unsigned)format < VCF_FMT_COUNT ? format : VCF_FMT_RAW;
    uint64_t s = seed;
    m->rng = splitmix64(&s);
    if (m->rng == 0)
        m->rng = 0x2545F4914F6CDD1Dull;
    m->structure_percent = 80;
    m->last[0] = '\0';
}

/* xorshift64* */
static uint64_t rnd(vcf_mutator *m)
{
    uint64_t x = m->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    m->rng = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* 0 .. n-1 (0 when n is 0) */
static size_t below(vcf_mutator *m, size_t n)
{
    return n ? (size_t)(rnd(m) % n) : 0;
}

/* ---- byte access ------------------------------------------------------------------------- */

static uint64_t wmax(unsigned w)
{
    return w >= 8 ? UINT64_MAX : ((uint64_t)1 << (8u * w)) - 1u;
}

static uint64_t ld(const uint8_t *p, unsigned w, bool be)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < w; i++)
        v |= (uint64_t)p[be ? w - 1u - i : i] << (8u * i);
    return v;
}

static void st(uint8_t *p, unsigned w, bool be, uint64_t v)
{
    for (unsigned i = 0; i < w; i++)
        p[be ? w - 1u - i : i] = (uint8_t)(v >> (8u * i));
}

static void reverse(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n / 2; i++) {
        uint8_t t = p[i];
        p[i] = p[n - 1 - i];
        p[n - 1 - i] = t;
    }
}

/* ---- the view ---------------------------------------------------------------------------- */

#define MAX_FIELDS 128
#define MAX_SPANS  32
#define MAX_MSGS   4
#define MAX_UNITS  512

enum field_kind { FK_VALUE, FK_LEN, FK_RESERVED, FK_NAME };

/* Interesting values of plain fields, beyond the generic ones (0, 1, max, high bit, +-1). */
enum hint {
    H_NONE,
    H_ADDR,    /* RPMsg address */
    H_TYPE,    /* vmsg type bits */
    H_MSGID,   /* vmsg message ID */
    H_DEVNUM,  /* vmsg device number */
    H_OP,      /* adapter frame op */
    H_ROLE,    /* vcf_iut_role */
    H_KIND,    /* vcf_action_kind */
    H_CHANNEL, /* adapter channel */
    H_MUL8,    /* GET_DEVICES offsets and counts: multiples of 8 */
    H_MUL32,   /* num_feature_bits */
    H_ORDER,   /* capture byte order */
    H_PROTO,   /* capture protocol */
    H_RC,      /* adapter return code */
    H_ARG,     /* action argument */
    H_OBS,     /* POLL observation kind, IDLE answer */
    H_BUSSTATE /* EVENT_DEVICE state */
};

enum unit_kind { U_BYTES, U_WORDS, U_BITS };

typedef struct fld {
    const char *scope; /* "rpmsg", "ns", "vmsg", "inject", "action", "frame", "capture" ... */
    const char *name;
    size_t off;
    uint8_t w, be, kind, hint;
    int msg;       /* message it belongs to (swap-all), -1 */
    int span;      /* FK_LEN: the span whose size it is (resized to agree), -1 */
    bool fit_only; /* framing of the fuzz format itself: always resized to agree */
    uint64_t exact, hdr, cap, alt;
    const char *cap_name, *alt_name;
    uint64_t defined; /* FK_RESERVED: the defined bits */
} fld;

typedef struct span {
    const char *scope, *name;
    size_t start, len;
    int parent;
    bool sized, framing, resizable;
    size_t size_off;
    uint8_t size_w, size_be, unit;
    bool aux; /* a second length (used_len) that follows the size when it equals it */
    size_t aux_off;
    uint8_t aux_w;
    size_t hdr; /* header bytes at the start of the span (resize boundary), 0 none */
} span;

enum proto { P_RPMSG = 1, P_NS, P_VMSG };

typedef struct msgv {
    uint8_t proto;
    const char *scope;
    size_t start, len;
    int words_span; /* vmsg feature blocks: a tail of 32-bit words, -1 */
    bool reorder;   /* a codec parameter byte says the link order: swap-all can flip it */
} msgv;

typedef struct unitv {
    size_t off, size;
    uint8_t op;
} unitv;

/* Link parameters that decide how messages read. */
typedef struct link {
    int family; /* P_RPMSG, P_VMSG, 0 unknown */
    bool be, ns;
    uint32_t buf_size;
    vcf_vmsg_rev rev;
    uint32_t bus_max;
    bool pad;
} link;

typedef struct ctx {
    vcf_mutator *m;
    uint8_t *buf;
    size_t len, max;
    const uint8_t *other;
    size_t other_len;
    fld f[MAX_FIELDS];
    size_t nf;
    span s[MAX_SPANS];
    size_t ns;
    msgv msg[MAX_MSGS];
    size_t nmsg;
    unitv u[MAX_UNITS];
    size_t nu;
    size_t units_start, units_end; /* where records/frames lie */
    const char *unit_scope;        /* "script", "frame"; NULL: no units */
    int param_off;                 /* codec parameter byte, -1 */
    int params_span;               /* script parameter text, -1 */
    link lk;
} ctx;

static void set_last(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_last(ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->m->last, sizeof(c->m->last), fmt, ap);
    va_end(ap);
}

static bool fits(const ctx *c, size_t off, size_t n)
{
    return off <= c->len && n <= c->len - off;
}

static fld *add_field(ctx *c, const char *scope, const char *name, size_t off, unsigned w, bool be,
                      unsigned kind)
{
    if (c->nf >= MAX_FIELDS || !fits(c, off, w))
        return NULL;
    fld *f = &c->f[c->nf++];
    memset(f, 0, sizeof(*f));
    f->scope = scope;
    f->name = name;
    f->off = off;
    f->w = (uint8_t)w;
    f->be = be;
    f->kind = (uint8_t)kind;
    f->msg = -1;
    f->span = -1;
    f->cap_name = "buf";
    return f;
}

static fld *add_value(ctx *c, const char *scope, const char *name, size_t off, unsigned w, bool be,
                      unsigned hint)
{
    fld *f = add_field(c, scope, name, off, w, be, FK_VALUE);
    if (f)
        f->hint = (uint8_t)hint;
    return f;
}

static fld *add_len(ctx *c, const char *scope, const char *name, size_t off, unsigned w, bool be,
                    uint64_t exact, uint64_t hdr, uint64_t cap)
{
    fld *f = add_field(c, scope, name, off, w, be, FK_LEN);
    if (f) {
        f->exact = exact;
        f->hdr = hdr;
        f->cap = cap;
    }
    return f;
}

static fld *add_reserved(ctx *c, const char *scope, const char *name, size_t off, unsigned w,
                         bool be, uint64_t defined)
{
    fld *f = add_field(c, scope, name, off, w, be, FK_RESERVED);
    if (f)
        f->defined = defined;
    return f;
}

/* A span of bytes inside the buffer (clipped to it); -1 when the view is full. */
static int add_span(ctx *c, const char *scope, const char *name, size_t start, size_t len,
                    int parent)
{
    if (c->ns >= MAX_SPANS || start > c->len)
        return -1;
    if (len > c->len - start)
        len = c->len - start;
    span *s = &c->s[c->ns];
    memset(s, 0, sizeof(*s));
    s->scope = scope;
    s->name = name;
    s->start = start;
    s->len = len;
    s->parent = parent;
    s->resizable = true;
    return (int)c->ns++;
}

static void span_sized(ctx *c, int s, size_t off, unsigned w, bool be, unsigned unit, bool framing)
{
    if (s < 0 || !fits(c, off, w))
        return;
    span *sp = &c->s[s];
    sp->sized = true;
    sp->size_off = off;
    sp->size_w = (uint8_t)w;
    sp->size_be = be;
    sp->unit = (uint8_t)unit;
    sp->framing = framing;
}

static void span_aux(ctx *c, int s, size_t off, unsigned w)
{
    if (s < 0 || !fits(c, off, w))
        return;
    c->s[s].aux = true;
    c->s[s].aux_off = off;
    c->s[s].aux_w = (uint8_t)w;
}

static int add_msg(ctx *c, unsigned proto, const char *scope, size_t start, size_t len)
{
    if (c->nmsg >= MAX_MSGS)
        return -1;
    msgv *mv = &c->msg[c->nmsg];
    mv->proto = (uint8_t)proto;
    mv->scope = scope;
    mv->start = start;
    mv->len = len;
    mv->words_span = -1;
    mv->reorder = false;
    return (int)c->nmsg++;
}

static uint64_t to_units(unsigned unit, size_t bytes)
{
    switch (unit) {
    case U_WORDS: return bytes / 4u;
    case U_BITS: return (uint64_t)bytes * 8u;
    default: return bytes;
    }
}

static uint64_t from_units(unsigned unit, uint64_t v)
{
    switch (unit) {
    case U_WORDS: return v > (UINT64_MAX / 4u) ? UINT64_MAX : v * 4u;
    case U_BITS: return v / 8u + (v % 8u != 0);
    default: return v;
    }
}

/* ---- resizing ---------------------------------------------------------------------------- */

/* Bytes that fill a grown region. */
static void fill(ctx *c, uint8_t *p, size_t n)
{
    switch (below(c->m, 3)) {
    case 0: memset(p, 0, n); break;
    case 1: memset(p, 'A' + (int)below(c->m, 26), n); break;
    default:
        for (size_t i = 0; i < n; i++)
            p[i] = (uint8_t)rnd(c->m);
        break;
    }
}

/* Replace the n_old bytes at `at` with n_new bytes (the first min(n_old, n_new) kept, new ones
 * left for the caller, or filled when fill_new). Growth is clipped to the room left. Returns the
 * number of bytes now there. */
static size_t replace(ctx *c, size_t at, size_t n_old, size_t n_new, bool fill_new)
{
    if (at > c->len)
        at = c->len;
    if (n_old > c->len - at)
        n_old = c->len - at;
    if (n_new > n_old && n_new - n_old > c->max - c->len)
        n_new = n_old + (c->max - c->len);
    size_t tail = c->len - at - n_old;
    if (tail && n_new != n_old)
        memmove(c->buf + at + n_new, c->buf + at + n_old, tail);
    if (fill_new && n_new > n_old)
        fill(c, c->buf + at + n_old, n_new - n_old);
    c->len = c->len - n_old + n_new;
    return n_new;
}

/* After n_old bytes at `at` inside span s became n_new: fix the lengths of s and the spans
 * around it. Framing sizes always follow; protocol sizes only when `consistent`. The size of
 * span `skip` was written by the caller and is left alone. */
static void adjust(ctx *c, int s, size_t at, size_t n_old, size_t n_new, bool consistent, int skip)
{
    for (int p = s; p >= 0 && (size_t)p < c->ns; p = c->s[p].parent) {
        span *sp = &c->s[p];
        size_t old = sp->len;
        sp->len = sp->len - n_old + n_new;
        if (sp->sized && p != skip && (sp->framing || consistent) &&
            sp->size_off + sp->size_w <= at) {
            uint64_t v = to_units(sp->unit, sp->len);
            st(c->buf + sp->size_off, sp->size_w, sp->size_be,
               v > wmax(sp->size_w) ? wmax(sp->size_w) : v);
        }
        if (sp->aux && sp->aux_off + sp->aux_w <= at &&
            ld(c->buf + sp->aux_off, sp->aux_w, false) == old)
            st(c->buf + sp->aux_off, sp->aux_w, false, sp->len);
        if (p == sp->parent)
            break;
    }
}

/* Make span s new_len bytes long (cut or grown at its end). Returns its new length. */
static size_t resize_span(ctx *c, int s, uint64_t new_len, bool consistent, int skip)
{
    span *sp = &c->s[s];
    size_t room = sp->len + (c->max - c->len);
    size_t want = new_len > room ? room : (size_t)new_len;
    size_t keep = want < sp->len ? want : sp->len;
    size_t at = sp->start + keep;
    size_t n_old = sp->len - keep;
    size_t got = replace(c, at, n_old, want - keep, true);
    adjust(c, s, at, n_old, got, consistent, skip);
    return keep + got;
}

/* ---- message parsers --------------------------------------------------------------------- */

/* One RPMsg buffer of len bytes at start, inside span outer. */
static void parse_rpmsg(ctx *c, size_t start, size_t len, const link *lk, int outer, bool reorder)
{
    int mi = add_msg(c, P_RPMSG, "rpmsg", start, len);
    if (mi >= 0)
        c->msg[mi].reorder = reorder;
    bool be = lk->be;
    size_t first = c->nf;
    add_value(c, "rpmsg", "src", start, 4, be, H_ADDR);
    add_value(c, "rpmsg", "dst", start + 4, 4, be, H_ADDR);
    add_reserved(c, "rpmsg", "reserved", start + 8, 4, be, 0);
    uint64_t buf_size = lk->buf_size ? lk->buf_size : VCF_RPMSG_DEFAULT_BUF_SIZE;
    size_t payload = len >= VCF_RPMSG_HDR_SIZE ? len - VCF_RPMSG_HDR_SIZE : 0;
    fld *lf = add_len(c, "rpmsg", "len", start + 12, 2, be, payload, 0,
                      buf_size > VCF_RPMSG_HDR_SIZE ? buf_size - VCF_RPMSG_HDR_SIZE : 0);
    add_reserved(c, "rpmsg", "flags", start + 14, 2, be, 0);
    if (len < VCF_RPMSG_HDR_SIZE || !fits(c, start, VCF_RPMSG_HDR_SIZE)) {
        for (size_t i = first; i < c->nf; i++)
            c->f[i].msg = mi;
        return;
    }
    int ps = add_span(c, "rpmsg", "payload", start + VCF_RPMSG_HDR_SIZE, payload, outer);
    span_sized(c, ps, start + 12, 2, be, U_BYTES, false);
    if (lf)
        lf->span = ps;
    uint32_t dst = (uint32_t)ld(c->buf + start + 4, 4, be);
    if (dst == VCF_RPMSG_NS_ADDR && lk->ns) {
        if (lf) {
            lf->alt = VCF_RPMSG_NS_MSG_SIZE;
            lf->alt_name = "ns";
        }
        size_t p = start + VCF_RPMSG_HDR_SIZE;
        fld *nf = add_field(c, "ns", "name", p, VCF_RPMSG_NAME_SIZE, false, FK_NAME);
        (void)nf;
        add_value(c, "ns", "addr", p + 32, 4, be, H_ADDR);
        add_reserved(c, "ns", "flags", p + 36, 4, be, VCF_RPMSG_NS_FLAGS_KNOWN);
    }
    for (size_t i = first; i < c->nf; i++)
        c->f[i].msg = mi;
}

/* A bare name-service payload (rpmsg-ns codec format). */
static void parse_ns(ctx *c, size_t start, size_t len, bool be, int outer)
{
    int mi = add_msg(c, P_NS, "ns", start, len);
    if (mi >= 0)
        c->msg[mi].reorder = true;
    if (outer >= 0)
        c->s[outer].hdr = VCF_RPMSG_NS_MSG_SIZE;
    size_t first = c->nf;
    add_field(c, "ns", "name", start, VCF_RPMSG_NAME_SIZE, false, FK_NAME);
    add_value(c, "ns", "addr", start + 32, 4, be, H_ADDR);
    add_reserved(c, "ns", "flags", start + 36, 4, be, VCF_RPMSG_NS_FLAGS_KNOWN);
    for (size_t i = first; i < c->nf; i++)
        c->f[i].msg = mi;
}

static unsigned tail_unit(unsigned tail)
{
    switch (tail) {
    case VCF_TAIL_FEATURES: return U_WORDS;
    case VCF_TAIL_BITMAP: return U_BITS;
    default: return U_BYTES;
    }
}

static const char *tail_field(unsigned tail)
{
    switch (tail) {
    case VCF_TAIL_FEATURES: return "num_blocks";
    case VCF_TAIL_CONFIG:
    case VCF_TAIL_CONFIG_OPT:
    case VCF_TAIL_EVENT_CONFIG: return "length";
    case VCF_TAIL_BITMAP: return "count";
    default: return NULL;
    }
}

/* One virtio-msg message of len bytes at start, inside span outer. */
static void parse_vmsg(ctx *c, size_t start, size_t len, const link *lk, int outer)
{
    int mi = add_msg(c, P_VMSG, "vmsg", start, len);
    size_t first = c->nf;
    uint64_t bus_max = lk->bus_max ? lk->bus_max : VCF_VMSG_RECOMMENDED_MAX_MSG_SIZE;
    int ms = add_span(c, "vmsg", "msg", start, len, outer);
    if (ms >= 0) {
        span_sized(c, ms, start + 6, 2, false, U_BYTES, false);
        c->s[ms].hdr = VCF_VMSG_HDR_SIZE;
    }
    add_reserved(c, "vmsg", "type", start, 1, false, VCF_VMSG_TYPE_RESPONSE | VCF_VMSG_TYPE_BUS);
    add_value(c, "vmsg", "msg_id", start + 1, 1, false, H_MSGID);
    add_value(c, "vmsg", "dev_num", start + 2, 2, false, H_DEVNUM);
    add_value(c, "vmsg", "token", start + 4, 2, false, H_NONE);
    fld *sz = add_len(c, "vmsg", "msg_size", start + 6, 2, false, len, VCF_VMSG_HDR_SIZE, bus_max);
    if (sz) {
        sz->span = ms;
        sz->cap_name = "busmax";
    }
    if (len >= VCF_VMSG_HDR_SIZE && fits(c, start, VCF_VMSG_HDR_SIZE)) {
        vcf_vmsg_class cls;
        const vcf_vmsg_layout *l = NULL;
        if (vcf_vmsg_classify((uint8_t)(c->buf[start] & 0x03u), c->buf[start + 1], lk->rev, &cls) ==
                VCF_OK &&
            cls.kind != VCF_VMSG_K_IMPL_DEFINED)
            l = vcf_vmsg_layout_of(cls.kind);
        if (l) {
            size_t p = start + VCF_VMSG_HDR_SIZE;
            size_t avail = len - VCF_VMSG_HDR_SIZE;
            const char *tname = tail_field(l->tail);
            int ts = -1;
            unsigned unit = tail_unit(l->tail);
            if (tname && avail >= l->fixed) {
                ts = add_span(c, "vmsg", "tail", p + l->fixed, avail - l->fixed, ms);
                if (l->tail == VCF_TAIL_FEATURES && mi >= 0)
                    c->msg[mi].words_span = ts;
            }
            uint64_t room =
                bus_max > VCF_VMSG_HDR_SIZE + l->fixed ? bus_max - VCF_VMSG_HDR_SIZE - l->fixed : 0;
            for (unsigned i = 0; i < l->nfields; i++) {
                const vcf_vmsg_fdef *fd = &l->fields[i];
                size_t off = p + fd->off;
                if (strncmp(fd->name, "reserved", 8) == 0) {
                    add_reserved(c, "vmsg", fd->name, off, fd->size, false, 0);
                } else if (fd->mean == VCF_MEAN_STATUS) {
                    add_reserved(c, "vmsg", fd->name, off, fd->size, false,
                                 VCF_VIRTIO_STATUS_DEFINED);
                } else if (tname && strcmp(fd->name, tname) == 0) {
                    /* the count or length of the tail */
                    uint64_t exact = ts >= 0 ? to_units(unit, c->s[ts].len) : 0;
                    fld *f = add_len(c, "vmsg", fd->name, off, fd->size, false, exact, 0,
                                     to_units(unit, (size_t)room));
                    if (f) {
                        f->span = ts;
                        f->cap_name = "busmax";
                        if (ts >= 0)
                            span_sized(c, ts, off, fd->size, false, unit, false);
                    }
                } else if ((cls.kind == VCF_VMSG_K_GET_CONFIG_REQ &&
                            strcmp(fd->name, "length") == 0) ||
                           (cls.kind == VCF_VMSG_K_GET_DEVICE_FEATURES_REQ &&
                            strcmp(fd->name, "num_blocks") == 0) ||
                           (cls.kind == VCF_VMSG_K_BUS_GET_DEVICES_REQ &&
                            strcmp(fd->name, "count") == 0)) {
                    /* a request for data: exact is what fits in the response */
                    const vcf_vmsg_layout *rl = vcf_vmsg_layout_of((vcf_vmsg_kind)(cls.kind + 1));
                    uint64_t rfixed = rl ? rl->fixed : 0;
                    uint64_t rroom = bus_max > VCF_VMSG_HDR_SIZE + rfixed
                                         ? bus_max - VCF_VMSG_HDR_SIZE - rfixed
                                         : 0;
                    unsigned ru = rl ? tail_unit(rl->tail) : U_BYTES;
                    add_len(c, "vmsg", fd->name, off, fd->size, false, to_units(ru, (size_t)rroom),
                            0, 0);
                } else {
                    unsigned hint = H_NONE;
                    if (strcmp(fd->name, "num_feature_bits") == 0)
                        hint = H_MUL32;
                    else if (cls.kind == VCF_VMSG_K_BUS_GET_DEVICES_RESP ||
                             cls.kind == VCF_VMSG_K_BUS_GET_DEVICES_REQ)
                        hint = H_MUL8;
                    else if (fd->mean == VCF_MEAN_BUS_STATE)
                        hint = H_BUSSTATE;
                    add_value(c, "vmsg", fd->name, off, fd->size, false, hint);
                }
            }
        }
    }
    for (size_t i = first; i < c->nf; i++)
        c->f[i].msg = mi;
}

/* A message whose protocol is given by the link, or guessed from its bytes. */
static void parse_message(ctx *c, size_t start, size_t len, const link *lk, int outer)
{
    int family = lk->family;
    if (!family) {
        family = P_RPMSG;
        if (len >= VCF_VMSG_HDR_SIZE && fits(c, start, VCF_VMSG_HDR_SIZE) &&
            ld(c->buf + start + 6, 2, false) == len)
            family = P_VMSG;
    }
    if (family == P_VMSG)
        parse_vmsg(c, start, len, lk, outer);
    else
        parse_rpmsg(c, start, len, lk, outer, false);
}

/* ---- link parameters --------------------------------------------------------------------- */

static void link_default(link *lk)
{
    memset(lk, 0, sizeof(*lk));
    lk->ns = true;
    lk->buf_size = VCF_RPMSG_DEFAULT_BUF_SIZE;
    lk->rev = VCF_VMSG_REV_DEFAULT;
    lk->bus_max = VCF_VMSG_RECOMMENDED_MAX_MSG_SIZE;
}

static int role_family(uint32_t role)
{
    switch (role) {
    case VCF_IUT_RPMSG_DRIVER:
    case VCF_IUT_RPMSG_DEVICE: return P_RPMSG;
    case VCF_IUT_VMSG_DEVICE:
    case VCF_IUT_VMSG_DRIVER:
    case VCF_IUT_VMSG_BUS: return P_VMSG;
    default: return 0;
    }
}

/* One key=value of the group's parameters (PARAMS.txt). */
static void link_param(link *lk, const char *key, const char *value, uint64_t *features,
                       bool *order_be)
{
    if (strcmp(key, "features") == 0) {
        *features = strtoull(value, NULL, 16);
    } else if (strcmp(key, "order") == 0) {
        *order_be = strcmp(value, "be") == 0;
    } else if (strcmp(key, "buf_size") == 0) {
        unsigned long v = strtoul(value, NULL, 0);
        lk->buf_size = v > 0xFFFFFFFFul ? 0xFFFFFFFFu : (uint32_t)v;
    } else if (strcmp(key, "rev") == 0) {
        lk->rev = strcmp(value, "rfc3") == 0 ? VCF_VMSG_REV_RFC3 : VCF_VMSG_REV_PR28;
        if (!lk->family)
            lk->family = P_VMSG;
    } else if (strcmp(key, "max_msg_size") == 0) {
        unsigned long v = strtoul(value, NULL, 0);
        lk->bus_max = v > 0xFFFFFFFFul ? 0xFFFFFFFFu : (uint32_t)v;
        if (!lk->family)
            lk->family = P_VMSG;
    }
}

static void link_finish(link *lk, uint64_t features, bool order_be)
{
    lk->ns = (features & 1u) != 0;
    lk->be = !(features & ((uint64_t)1 << VCF_VIRTIO_F_VERSION_1)) && order_be;
}

/* ---- codec formats ----------------------------------------------------------------------- */

static void parse_codec(ctx *c)
{
    if (c->len < 1)
        return;
    c->param_off = 0;
    uint8_t p = c->buf[0];
    link lk;
    link_default(&lk);
    switch (c->m->format) {
    case VCF_FMT_RPMSG_FRAME: {
        lk.be = (p & VCF_FUZZ_RPMSG_BE) != 0;
        lk.ns = !(p & VCF_FUZZ_RPMSG_NO_NS);
        int top = add_span(c, "rpmsg", "frame", 1, c->len - 1, -1);
        if (top >= 0)
            c->s[top].hdr = VCF_RPMSG_HDR_SIZE;
        parse_rpmsg(c, 1, c->len - 1, &lk, top, true);
        break;
    }
    case VCF_FMT_RPMSG_NS: {
        int top = add_span(c, "ns", "payload", 1, c->len - 1, -1);
        parse_ns(c, 1, c->len - 1, (p & VCF_FUZZ_RPMSG_BE) != 0, top);
        break;
    }
    case VCF_FMT_VMSG: {
        lk.rev = (p & VCF_FUZZ_VMSG_RFC3) ? VCF_VMSG_REV_RFC3 : VCF_VMSG_REV_PR28;
        lk.pad = (p & VCF_FUZZ_VMSG_PAD) != 0;
        lk.bus_max = vcf_fuzz_vmsg_max(p);
        parse_vmsg(c, 1, c->len - 1, &lk, -1);
        break;
    }
    default: break;
    }
    c->lk = lk;
}

/* ---- scripts ----------------------------------------------------------------------------- */

/* The records of a script (offsets into buf); the end of the last whole record. */
static size_t script_units(const uint8_t *buf, size_t len, unitv *u, size_t cap, size_t *n,
                           size_t *start)
{
    vcf_script_head h;
    vcf_script_cursor cur;
    *n = 0;
    if (vcf_script_open(buf, len, &h, &cur) != 0)
        return 0;
    *start = cur.pos;
    vcf_script_rec rec;
    while (*n < cap && vcf_script_next(&cur, &rec) == 1) {
        u[*n].off = rec.offset;
        u[*n].size = rec.size;
        u[*n].op = rec.op;
        (*n)++;
    }
    return cur.pos;
}

static void script_link(ctx *c, uint32_t role, const char *params, size_t plen)
{
    link *lk = &c->lk;
    link_default(lk);
    lk->family = role_family(role);
    char storage[2048];
    vcf_adapter_param kv[VCF_SCRIPT_MAX_PARAMS];
    size_t n = vcf_script_params(params, plen, storage, sizeof(storage), kv, VCF_SCRIPT_MAX_PARAMS);
    uint64_t features = 0x100000001ull;
    bool order_be = false;
    for (size_t i = 0; i < n; i++) {
        if (!lk->family && (strcmp(kv[i].key, "order") == 0 || strcmp(kv[i].key, "features") == 0 ||
                            strcmp(kv[i].key, "buf_size") == 0))
            lk->family = P_RPMSG;
        link_param(lk, kv[i].key, kv[i].value, &features, &order_be);
    }
    link_finish(lk, features, order_be);
}

static void detail_inject(ctx *c, size_t o)
{
    size_t len = (size_t)ld(c->buf + o + 2, 2, false);
    uint64_t used = ld(c->buf + o + 4, 2, false);
    uint64_t capa = ld(c->buf + o + 6, 2, false);
    uint64_t hdr = c->lk.family == P_VMSG ? VCF_VMSG_HDR_SIZE : VCF_RPMSG_HDR_SIZE;
    uint64_t eff_cap = capa ? capa : c->lk.buf_size;
    (void)used;
    int ds = add_span(c, "inject", "data", o + VCF_SCRIPT_INJECT_FIXED, len, -1);
    span_sized(c, ds, o + 2, 2, false, U_BYTES, true);
    span_aux(c, ds, o + 4, 2);
    add_value(c, "inject", "channel", o + 1, 1, false, H_CHANNEL);
    fld *lf = add_len(c, "inject", "len", o + 2, 2, false, len, hdr, eff_cap);
    if (lf) {
        lf->span = ds;
        lf->fit_only = true;
    }
    add_len(c, "inject", "used_len", o + 4, 2, false, len, hdr, eff_cap);
    add_len(c, "inject", "capacity", o + 6, 2, false, len, hdr, c->lk.buf_size);
    link lk = c->lk;
    if (capa)
        lk.buf_size = (uint32_t)capa;
    parse_message(c, o + VCF_SCRIPT_INJECT_FIXED, len, &lk, ds);
}

static const char *const arg_names[4] = {"arg0", "arg1", "arg2", "arg3"};

static void detail_action(ctx *c, size_t o)
{
    size_t dlen = (size_t)ld(c->buf + o + 19, 2, false);
    add_value(c, "action", "kind", o + 1, 2, false, H_KIND);
    for (unsigned i = 0; i < VCF_ADAPTER_ARG_MAX && i < 4; i++)
        add_value(c, "action", arg_names[i], o + 3 + 4 * i, 4, false, H_ARG);
    int ds = add_span(c, "action", "data", o + VCF_SCRIPT_ACTION_FIXED, dlen, -1);
    span_sized(c, ds, o + 19, 2, false, U_BYTES, true);
    uint64_t payload_max =
        c->lk.buf_size > VCF_RPMSG_HDR_SIZE ? c->lk.buf_size - VCF_RPMSG_HDR_SIZE : 0;
    fld *lf = add_len(c, "action", "dlen", o + 19, 2, false, dlen, 0, payload_max);
    if (lf) {
        lf->span = ds;
        lf->fit_only = true;
    }
}

static void detail_patch(ctx *c, size_t o)
{
    add_value(c, "patch", "msg", o + 1, 2, false, H_NONE);
    add_value(c, "patch", "from", o + 3, 2, false, H_NONE);
    add_value(c, "patch", "to", o + 5, 2, false, H_NONE);
    add_value(c, "patch", "n", o + 7, 1, false, H_NONE);
}

static void parse_script(ctx *c)
{
    vcf_script_head h;
    vcf_script_cursor cur;
    if (vcf_script_open(c->buf, c->len, &h, &cur) != 0)
        return;
    script_link(c, h.role, h.params, h.params_len);
    c->params_span = add_span(c, "script", "params", VCF_SCRIPT_HEAD_SIZE, h.params_len, -1);
    span_sized(c, c->params_span, 1, 2, false, U_BYTES, true);
    if (c->params_span >= 0)
        c->s[c->params_span].resizable = false;
    if (below(c->m, 4) == 0) /* most targets have a fixed role and ignore it */
        add_value(c, "script", "role", 0, 1, false, H_ROLE);
    c->unit_scope = "script";
    c->units_end = script_units(c->buf, c->len, c->u, MAX_UNITS, &c->nu, &c->units_start);
    if (!c->nu)
        return;
    /* one record in detail, an INJECT three times out of four when there is one */
    size_t injects = 0;
    for (size_t i = 0; i < c->nu; i++)
        injects += c->u[i].op == VCF_SCRIPT_OP_INJECT;
    size_t pick = below(c->m, c->nu);
    if (injects && below(c->m, 4) != 0) {
        size_t k = below(c->m, injects);
        for (size_t i = 0; i < c->nu; i++) {
            if (c->u[i].op == VCF_SCRIPT_OP_INJECT && k-- == 0) {
                pick = i;
                break;
            }
        }
    }
    size_t o = c->u[pick].off;
    switch (c->u[pick].op) {
    case VCF_SCRIPT_OP_INJECT: detail_inject(c, o); break;
    case VCF_SCRIPT_OP_ACTION: detail_action(c, o); break;
    case VCF_SCRIPT_OP_PATCH: detail_patch(c, o); break;
    default: break;
    }
}

/* ---- adapter frames ---------------------------------------------------------------------- */

/* The frames of a stream: whole frames, then what is left as one last unit. */
static size_t frame_units(const uint8_t *buf, size_t len, unitv *u, size_t cap, size_t *n)
{
    size_t pos = 0;
    *n = 0;
    while (*n < cap && pos < len) {
        size_t left = len - pos;
        uint64_t l = left >= 4 ? ld(buf + pos, 4, false) : 0;
        size_t size = left;
        bool whole = left >= 4 && l >= 4 && l <= VCF_FRAME_MAX - 4 && l <= left - 4;
        if (whole)
            size = 4 + (size_t)l;
        u[*n].off = pos;
        u[*n].size = size;
        u[*n].op = whole;
        (*n)++;
        pos += size;
        if (!whole)
            break;
    }
    return pos;
}

/* A u32 string or byte-string length at *p inside the frame ending at end; the string is a span
 * inside the frame. Moves *p past it. false when it does not fit. */
static bool frame_str(ctx *c, size_t *p, size_t end, int frame, const char *name, int *out_span)
{
    if (*p + 4 > end)
        return false;
    uint64_t l = ld(c->buf + *p, 4, false);
    size_t rest = end - *p - 4;
    size_t have = l <= rest ? (size_t)l : rest;
    int ss = add_span(c, "frame", name, *p + 4, have, frame);
    span_sized(c, ss, *p, 4, false, U_BYTES, true);
    fld *f = add_len(c, "frame", name, *p, 4, false, have, 0, rest);
    if (f) {
        f->span = ss;
        f->cap_name = "frame";
    }
    if (out_span)
        *out_span = ss;
    *p += 4 + have;
    return l <= rest;
}

/* The role and link parameters set by the last RESET request before unit k. */
static void frame_link(ctx *c, size_t k)
{
    link_default(&c->lk);
    uint64_t features = 0x100000001ull;
    bool order_be = false;
    for (size_t i = 0; i < k; i++) {
        const uint8_t *f = c->buf + c->u[i].off;
        size_t size = c->u[i].size;
        if (!c->u[i].op || size < 16 || ld(f + 4, 2, false) != VCF_FOP_RESET)
            continue;
        link_default(&c->lk);
        features = 0x100000001ull;
        order_be = false;
        c->lk.family = role_family((uint32_t)ld(f + 8, 4, false));
        uint64_t count = ld(f + 12, 4, false);
        size_t p = 16;
        for (uint64_t j = 0; j < count && j < VCF_FRAME_MAX_PARAMS; j++) {
            char kv[2][64];
            bool ok = true;
            for (int s = 0; s < 2 && ok; s++) {
                if (p + 4 > size) {
                    ok = false;
                    break;
                }
                uint64_t l = ld(f + p, 4, false);
                if (l > size - p - 4) {
                    ok = false;
                    break;
                }
                size_t cl = l < sizeof(kv[s]) - 1 ? (size_t)l : sizeof(kv[s]) - 1;
                memcpy(kv[s], f + p + 4, cl);
                kv[s][cl] = '\0';
                p += 4 + (size_t)l;
            }
            if (!ok)
                break;
            link_param(&c->lk, kv[0], kv[1], &features, &order_be);
        }
    }
    link_finish(&c->lk, features, order_be);
}

static void detail_frame(ctx *c, size_t k)
{
    size_t o = c->u[k].off, n = c->u[k].size;
    frame_link(c, k);
    int fs = add_span(c, "frame", "payload", o + 4, n >= 4 ? n - 4 : 0, -1);
    span_sized(c, fs, o, 4, false, U_BYTES, true);
    if (fs >= 0)
        c->s[fs].hdr = 4;
    fld *lf = add_len(c, "frame", "length", o, 4, false, n >= 4 ? n - 4 : 0, 4, VCF_FRAME_MAX - 4);
    if (lf) {
        lf->span = fs;
        lf->cap_name = "max_frame";
    }
    add_value(c, "frame", "op", o + 4, 2, false, H_OP);
    add_value(c, "frame", "seq", o + 6, 2, false, H_NONE);
    if (n < VCF_FRAME_HDR_SIZE)
        return;
    uint16_t op = (uint16_t)ld(c->buf + o + 4, 2, false);
    size_t end = o + n, p = o + VCF_FRAME_HDR_SIZE;
    int ds = -1;
    if (!(op & VCF_FRAME_REPLY)) {
        switch (op) {
        case VCF_FOP_HELLO:
            add_value(c, "frame", "magic", p, 4, false, H_NONE);
            add_value(c, "frame", "version", p + 4, 4, false, H_NONE);
            break;
        case VCF_FOP_RESET: {
            add_value(c, "frame", "role", p, 4, false, H_ROLE);
            uint64_t count = p + 8 <= end ? ld(c->buf + p + 4, 4, false) : 0;
            add_len(c, "frame", "count", p + 4, 4, false, count, 0, VCF_FRAME_MAX_PARAMS);
            p += 8;
            for (uint64_t j = 0; j < count && j < 8; j++) {
                if (!frame_str(c, &p, end, fs, "key", NULL) ||
                    !frame_str(c, &p, end, fs, "value", NULL))
                    break;
            }
            break;
        }
        case VCF_FOP_INJECT: {
            uint64_t dl = p + 16 <= end ? ld(c->buf + p + 12, 4, false) : 0;
            uint64_t hdr = c->lk.family == P_VMSG ? VCF_VMSG_HDR_SIZE : VCF_RPMSG_HDR_SIZE;
            add_value(c, "frame", "channel", p, 4, false, H_CHANNEL);
            add_len(c, "frame", "used_len", p + 4, 4, false, dl, hdr, c->lk.buf_size);
            add_len(c, "frame", "capacity", p + 8, 4, false, dl, hdr, c->lk.buf_size);
            p += 12;
            size_t at = p + 4;
            if (frame_str(c, &p, end, fs, "data", &ds) && ds >= 0)
                parse_message(c, at, c->s[ds].len, &c->lk, ds);
            break;
        }
        case VCF_FOP_ACTION:
            add_value(c, "frame", "kind", p, 4, false, H_KIND);
            for (unsigned i = 0; i < 4; i++)
                add_value(c, "frame", arg_names[i], p + 4 + 8 * i, 8, false, H_ARG);
            p += 36;
            frame_str(c, &p, end, fs, "data", NULL);
            break;
        default: break;
        }
        return;
    }
    add_value(c, "frame", "rc", p, 4, false, H_RC);
    uint64_t rc = p + 4 <= end ? ld(c->buf + p, 4, false) : 1;
    p += 4;
    if (!frame_str(c, &p, end, fs, "reason", NULL) || rc != 0)
        return;
    switch (op & (uint16_t)~VCF_FRAME_REPLY) {
    case VCF_FOP_HELLO:
        add_value(c, "frame", "magic", p, 4, false, H_NONE);
        add_value(c, "frame", "version", p + 4, 4, false, H_NONE);
        add_value(c, "frame", "roles", p + 8, 4, false, H_NONE);
        add_reserved(c, "frame", "caps", p + 12, 4, false,
                     VCF_ADAPTER_CAP_EVENTS | VCF_ADAPTER_CAP_IDLE);
        p += 16;
        if (frame_str(c, &p, end, fs, "name", NULL))
            frame_str(c, &p, end, fs, "version", NULL);
        break;
    case VCF_FOP_ACTION:
        add_value(c, "frame", "status", p, 4, false, H_RC);
        add_value(c, "frame", "value", p + 4, 8, false, H_ARG);
        break;
    case VCF_FOP_POLL: {
        add_value(c, "frame", "kind", p, 4, false, H_OBS);
        uint64_t kind = p + 4 <= end ? ld(c->buf + p, 4, false) : 0;
        p += 4;
        if (kind == VCF_OBS_MSG) {
            uint64_t dl = p + 16 <= end ? ld(c->buf + p + 12, 4, false) : 0;
            add_value(c, "frame", "channel", p, 4, false, H_CHANNEL);
            add_len(c, "frame", "used_len", p + 4, 4, false, dl, VCF_RPMSG_HDR_SIZE,
                    c->lk.buf_size);
            add_len(c, "frame", "capacity", p + 8, 4, false, dl, VCF_RPMSG_HDR_SIZE,
                    c->lk.buf_size);
            p += 12;
            size_t at = p + 4;
            if (frame_str(c, &p, end, fs, "data", &ds) && ds >= 0)
                parse_message(c, at, c->s[ds].len, &c->lk, ds);
        } else if (kind == VCF_OBS_EVENT) {
            add_value(c, "frame", "type", p, 4, false, H_NONE);
            for (unsigned i = 0; i < 4; i++)
                add_value(c, "frame", arg_names[i], p + 4 + 8 * i, 8, false, H_ARG);
            p += 36;
            frame_str(c, &p, end, fs, "data", NULL);
        }
        break;
    }
    case VCF_FOP_IDLE: add_value(c, "frame", "idle", p, 4, false, H_OBS); break;
    default: break;
    }
}

static void parse_frames(ctx *c)
{
    c->unit_scope = "frame";
    c->units_start = 0;
    c->units_end = frame_units(c->buf, c->len, c->u, MAX_UNITS, &c->nu);
    if (c->nu)
        detail_frame(c, below(c->m, c->nu));
}

/* ---- captures ---------------------------------------------------------------------------- */

/* The capture target's input: a selector byte (bit 0 set: a LINKTYPE_USER0 record without
 * exported-PDU tags), then one record (fuzz/targets/capture.c). */
static void parse_capture(ctx *c)
{
    if (c->len < 1)
        return;
    add_value(c, "capture", "linktype_selector", 0, 1, false, H_NONE);
    const bool user = (c->buf[0] & 1u) != 0;
    size_t pos = 1;
    for (unsigned i = 0; !user && i < 8 && pos + 4 <= c->len; i++) {
        uint64_t type = ld(c->buf + pos, 2, true);
        uint64_t tlen = ld(c->buf + pos + 2, 2, true);
        size_t rest = c->len - pos - 4;
        size_t have = tlen <= rest ? (size_t)tlen : rest;
        add_value(c, "capture", "tag_type", pos, 2, true, H_NONE);
        int ts = add_span(c, "capture", "tag", pos + 4, have, -1);
        span_sized(c, ts, pos + 2, 2, true, U_BYTES, false);
        fld *f = add_len(c, "capture", "tag_len", pos + 2, 2, true, have, 0, rest);
        if (f) {
            f->span = ts;
            f->cap_name = "record";
        }
        pos += 4 + have;
        if (type == VCF_EXP_PDU_TAG_END_OF_OPT)
            break;
    }
    size_t t = pos;
    if (!fits(c, t, 8))
        return;
    size_t hdr_len = (size_t)ld(c->buf + t + 6, 2, false);
    size_t rest = c->len - t;
    /* version 1 records have 44 fixed bytes, later ones 56 */
    const size_t fixed = c->buf[t + 4] >= 2 ? VCF_CAPTURE_FIXED_SIZE : VCF_CAPTURE_V1_FIXED_SIZE;
    add_value(c, "capture", "magic", t, 4, false, H_NONE);
    add_value(c, "capture", "version", t + 4, 1, false, H_NONE);
    add_value(c, "capture", "protocol", t + 5, 1, false, H_PROTO);
    int ph = add_span(c, "capture", "pseudo_header", t, hdr_len <= rest ? hdr_len : rest, -1);
    span_sized(c, ph, t + 6, 2, false, U_BYTES, false);
    if (ph >= 0)
        c->s[ph].hdr = fixed;
    fld *hf = add_len(c, "capture", "hdr_len", t + 6, 2, false, hdr_len, fixed, rest);
    if (hf) {
        hf->span = ph;
        hf->cap_name = "record";
    }
    if (!fits(c, t, fixed) || hdr_len < fixed || hdr_len > rest)
        return;
    uint8_t protocol = c->buf[t + 5];
    bool be = c->buf[t + 11] == VCF_CAPTURE_ORDER_BE;
    size_t data = t + hdr_len, dlen = c->len - data;
    uint64_t capacity = ld(c->buf + t + 16, 4, false);
    uint64_t mhdr = protocol == VCF_CAPTURE_PROTO_VMSG ? VCF_VMSG_HDR_SIZE : VCF_RPMSG_HDR_SIZE;
    add_value(c, "capture", "direction", t + 8, 1, false, H_NONE);
    add_value(c, "capture", "role", t + 9, 1, false, H_ROLE);
    add_value(c, "capture", "channel", t + 10, 1, false, H_CHANNEL);
    add_value(c, "capture", "byte_order", t + 11, 1, false, H_ORDER);
    add_value(c, "capture", "result", t + 12, 1, false, H_NONE);
    add_reserved(c, "capture", "reserved", t + 13, 1, false, 0);
    add_reserved(c, "capture", "flags", t + 14, 2, false,
                 VCF_CAPTURE_F_TRUNCATED | VCF_CAPTURE_F_SYNTHESIZED | VCF_CAPTURE_F_FAILED_STEP);
    add_len(c, "capture", "capacity", t + 16, 4, false, dlen, mhdr, VCF_RPMSG_DEFAULT_BUF_SIZE);
    add_len(c, "capture", "used_len", t + 20, 4, false, dlen, mhdr, capacity);
    int ms = add_span(c, "capture", "message", data, dlen, -1);
    span_sized(c, ms, t + 24, 4, false, U_BYTES, true);
    span_aux(c, ms, t + 20, 4);
    fld *of = add_len(c, "capture", "orig_len", t + 24, 4, false, dlen, 0, VCF_CAPTURE_SNAPLEN);
    if (of) {
        of->span = ms;
        of->cap_name = "snaplen";
    }
    add_value(c, "capture", "case_index", t + 28, 4, false, H_NONE);
    add_value(c, "capture", "step_index", t + 32, 4, false, H_NONE);
    add_value(c, "capture", "record_index", t + 36, 4, false, H_NONE);
    add_len(c, "capture", "case_id_offset", t + 40, 2, false, fixed, fixed, hdr_len);
    add_len(c, "capture", "case_id_len", t + 42, 2, false, ld(c->buf + t + 42, 2, false), 0,
            hdr_len - fixed);
    if (fixed == VCF_CAPTURE_FIXED_SIZE) {
        add_value(c, "capture", "bus", t + 44, 1, false, H_NONE);
        add_value(c, "capture", "revision", t + 45, 1, false, H_NONE);
        add_reserved(c, "capture", "link_flags", t + 46, 2, false,
                     VCF_CAPTURE_L_NS_KNOWN | VCF_CAPTURE_L_NS | VCF_CAPTURE_L_PADDING);
        add_len(c, "capture", "max_msg_size", t + 48, 4, false, dlen, VCF_VMSG_HDR_SIZE,
                VCF_VMSG_MSG_SIZE_LIMIT);
        add_value(c, "capture", "instance", t + 52, 4, false, H_NONE);
    }
    link lk;
    link_default(&lk);
    lk.family = protocol == VCF_CAPTURE_PROTO_VMSG    ? P_VMSG
                : protocol == VCF_CAPTURE_PROTO_RPMSG ? P_RPMSG
                                                      : 0;
    lk.be = be;
    if (capacity)
        lk.buf_size = (uint32_t)capacity;
    parse_message(c, data, dlen, &lk, ms);
}

/* ---- operators --------------------------------------------------------------------------- */

enum op {
    OP_SWAP,
    OP_SWAP_ALL,
    OP_BOUNDARY,
    OP_VALUE,
    OP_RESERVED,
    OP_RESIZE,
    OP_PARAM,
    OP_SPLICE,
    OP_DUP,
    OP_DROP,
    OP_SWAP_REC,
    OP_COUNT
};

static const unsigned op_weight[OP_COUNT] = {
    [OP_SWAP] = 3,     [OP_SWAP_ALL] = 2, [OP_BOUNDARY] = 8, [OP_VALUE] = 3,
    [OP_RESERVED] = 2, [OP_RESIZE] = 3,   [OP_PARAM] = 2,    [OP_SPLICE] = 2,
    [OP_DUP] = 1,      [OP_DROP] = 1,     [OP_SWAP_REC] = 1,
};

/* A random field for which pred holds; NULL if none. */
static fld *pick_field(ctx *c, bool (*pred)(const ctx *, const fld *))
{
    size_t n = 0;
    for (size_t i = 0; i < c->nf; i++)
        n += pred(c, &c->f[i]);
    if (!n)
        return NULL;
    size_t k = below(c->m, n);
    for (size_t i = 0; i < c->nf; i++)
        if (pred(c, &c->f[i]) && k-- == 0)
            return &c->f[i];
    return NULL;
}

static bool is_multibyte(const fld *f)
{
    return f->w >= 2 && f->w <= 8 && f->kind != FK_NAME;
}
/* a multi-byte field whose bytes are not the same both ways (swapping 0 changes nothing) */
static bool is_swappable(const ctx *c, const fld *f)
{
    if (!is_multibyte(f) || f->fit_only) /* the fuzz format's own framing stays readable */
        return false;
    const uint8_t *p = c->buf + f->off;
    for (unsigned i = 0; i < f->w / 2u; i++)
        if (p[i] != p[f->w - 1u - i])
            return true;
    return false;
}
static bool is_len(const ctx *c, const fld *f)
{
    (void)c;
    return f->kind == FK_LEN;
}
static bool is_value(const ctx *c, const fld *f)
{
    (void)c;
    return f->kind == FK_VALUE;
}
static bool is_reserved(const ctx *c, const fld *f)
{
    (void)c;
    return (f->kind == FK_RESERVED && (wmax(f->w) & ~f->defined) != 0) || f->kind == FK_NAME;
}

static bool op_swap(ctx *c)
{
    fld *f = pick_field(c, is_swappable);
    if (!f)
        return false;
    reverse(c->buf + f->off, f->w);
    set_last(c, "%s.%s=swap", f->scope, f->name);
    return true;
}

static bool op_swap_all(ctx *c)
{
    if (!c->nmsg)
        return false;
    size_t mi = below(c->m, c->nmsg);
    msgv *mv = &c->msg[mi];
    size_t n = 0;
    for (size_t i = 0; i < c->nf; i++)
        n += c->f[i].msg == (int)mi && is_swappable(c, &c->f[i]);
    if (!n)
        return false;
    for (size_t i = 0; i < c->nf; i++) {
        fld *f = &c->f[i];
        if (f->msg == (int)mi && is_multibyte(f))
            reverse(c->buf + f->off, f->w);
    }
    if (mv->words_span >= 0) {
        span *ws = &c->s[mv->words_span];
        for (size_t i = 0; i + 4 <= ws->len && i < 4u * 256u; i += 4)
            reverse(c->buf + ws->start + i, 4);
    }
    if (mv->reorder && c->param_off >= 0 && below(c->m, 2) == 0) {
        /* the same message for a link of the other byte order */
        c->buf[c->param_off] ^= VCF_FUZZ_RPMSG_BE;
        set_last(c, "%s=reorder", mv->scope);
    } else {
        set_last(c, "%s=swap-all", mv->scope);
    }
    return true;
}

static bool op_boundary(ctx *c)
{
    fld *f = pick_field(c, is_len);
    if (!f)
        return false;
    uint64_t top = wmax(f->w);
    uint64_t cur = ld(c->buf + f->off, f->w, f->be);
    uint64_t vals[16];
    char names[16][24];
    size_t n = 0;
#define CAND(v, ...)                                                                               \
    do {                                                                                           \
        vals[n] = (v)&top;                                                                         \
        snprintf(names[n], sizeof(names[n]), __VA_ARGS__);                                         \
        n++;                                                                                       \
    } while (0)
    CAND(0, "0");
    if (f->hdr) {
        CAND(f->hdr - 1, "hdr-1");
        CAND(f->hdr, "hdr");
    }
    CAND(f->exact, "exact");
    if (f->exact)
        CAND(f->exact - 1, "exact-1");
    CAND(f->exact + 1, "exact+1");
    if (f->cap) {
        CAND(f->cap, "%s", f->cap_name);
        CAND(f->cap + 1, "%s+1", f->cap_name);
    }
    if (f->alt) {
        CAND(f->alt, "%s", f->alt_name);
        CAND(f->alt - 1, "%s-1", f->alt_name);
        CAND(f->alt + 1, "%s+1", f->alt_name);
    }
    CAND(top, "max");
    CAND(f->exact + 2 + below(c->m, 62), "disagree");
#undef CAND
    bool fit = f->span >= 0 && (size_t)f->span < c->ns && (f->fit_only || below(c->m, 3) == 0);
    size_t span_len = fit ? c->s[f->span].len : 0;
    unsigned unit = fit ? c->s[f->span].unit : U_BYTES;
    /* a value that changes nothing (the field holds it, and the bytes already agree) is skipped */
    size_t k = below(c->m, n);
    for (size_t tries = 0; tries < n; tries++, k = (k + 1) % n) {
        if (vals[k] != cur || (fit && from_units(unit, vals[k]) != span_len))
            break;
    }
    uint64_t v = vals[k];
    if (v == cur && !(fit && from_units(unit, v) != span_len))
        return false;
    st(c->buf + f->off, f->w, f->be, v);
    if (fit) {
        size_t got = resize_span(c, f->span, from_units(unit, v), true, f->span);
        /* framing that could not grow that far says what is there */
        if (f->fit_only && got != from_units(unit, v))
            st(c->buf + f->off, f->w, f->be, to_units(unit, got));
    }
    set_last(c, "%s.%s=%s%s", f->scope, f->name, names[k], fit ? "~fit" : "");
    return true;
}

static const uint64_t h_addr[] = {0, 1, VCF_RPMSG_NS_ADDR, 1023, 1024, 1025, 0xFFFFFFFFu};
static const uint64_t h_type[] = {0, 1, 2, 3};
static const uint64_t h_msgid[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                   0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x3F, 0x40,
                                   0x41, 0x42, 0x43, 0x7F, 0x80, 0xBF, 0xC0, 0xFF};
static const uint64_t h_devnum[] = {0, 1, 2, 0xFFFF};
static const uint64_t h_op[] = {1,      2,      3,      4,      5,      6,
                                7,      0,      8,      0x8001, 0x8002, 0x8003,
                                0x8004, 0x8005, 0x8006, 0x8007, 0x8000, 0xFFFF};
static const uint64_t h_role[] = {0, 1, 2, 3, 4, 5, 6, 0xFF};
static const uint64_t h_kind[] = {0x100, 0x101, 0x102, 0x103, 0x104, 0x105, 0x200, 0x201, 0x202,
                                  0x203, 0x210, 0x211, 0x212, 0x213, 0x214, 0x215, 0x216, 0x217,
                                  0x218, 0x219, 0x21A, 0x220, 0x221, 0x222, 0x223, 0,     0xFFFF};
static const uint64_t h_channel[] = {0, 1, 2, 3, 0xFF};
static const uint64_t h_mul8[] = {0, 7, 8, 9, 16, 64, 0xFFF8};
static const uint64_t h_mul32[] = {0, 31, 32, 33, 64, 96, 0xFFFFFFE0u};
static const uint64_t h_order[] = {0, 1, 2, 0xFF};
static const uint64_t h_proto[] = {0, 1, 2, 3};
static const uint64_t h_rc[] = {0, 0xFFFFFFFFu, 0xFFFFFFFEu, 1, 0xFFFFFFFDu, 0xFFFFFFEAu};
static const uint64_t h_arg[] = {0, 1, VCF_RPMSG_NS_ADDR, 1024, 0xFFFFFFFFu, 496, 497, 512, 65535};
static const uint64_t h_obs[] = {0, 1, 2, 3};
static const uint64_t h_busstate[] = {0, 1, 2, 3, 0x8000, 0xFFFF};

#define HINT(tab)                                                                                  \
    do {                                                                                           \
        *n = sizeof(tab) / sizeof(tab[0]);                                                         \
        return tab;                                                                                \
    } while (0)

static const uint64_t *hint_values(unsigned hint, size_t *n)
{
    switch (hint) {
    case H_ADDR: HINT(h_addr);
    case H_TYPE: HINT(h_type);
    case H_MSGID: HINT(h_msgid);
    case H_DEVNUM: HINT(h_devnum);
    case H_OP: HINT(h_op);
    case H_ROLE: HINT(h_role);
    case H_KIND: HINT(h_kind);
    case H_CHANNEL: HINT(h_channel);
    case H_MUL8: HINT(h_mul8);
    case H_MUL32: HINT(h_mul32);
    case H_ORDER: HINT(h_order);
    case H_PROTO: HINT(h_proto);
    case H_RC: HINT(h_rc);
    case H_ARG: HINT(h_arg);
    case H_OBS: HINT(h_obs);
    case H_BUSSTATE: HINT(h_busstate);
    default: *n = 0; return NULL;
    }
}

static bool op_value(ctx *c)
{
    fld *f = pick_field(c, is_value);
    if (!f)
        return false;
    uint64_t top = wmax(f->w);
    uint64_t cur = ld(c->buf + f->off, f->w, f->be);
    size_t nh;
    const uint64_t *hv = hint_values(f->hint, &nh);
    uint64_t v = cur;
    for (int tries = 0; tries < 8 && v == cur; tries++) {
        if (nh && below(c->m, 3) != 0) {
            v = hv[below(c->m, nh)] & top;
            continue;
        }
        switch (below(c->m, 8)) {
        case 0: v = 0; break;
        case 1: v = 1; break;
        case 2: v = top; break;
        case 3: v = top >> 1; break;
        case 4: v = (top >> 1) + 1; break;
        case 5: v = (cur + 1) & top; break;
        case 6: v = (cur - 1) & top; break;
        default: v = cur ^ ((uint64_t)1 << below(c->m, 8u * f->w)); break;
        }
    }
    if (v == cur)
        return false;
    st(c->buf + f->off, f->w, f->be, v);
    set_last(c, "%s.%s=value:0x%llx", f->scope, f->name, (unsigned long long)v);
    return true;
}

static bool op_reserved(ctx *c)
{
    fld *f = pick_field(c, is_reserved);
    if (!f)
        return false;
    if (f->kind == FK_NAME) {
        uint8_t *p = c->buf + f->off;
        const char *how;
        const void *nul = memchr(p, 0, f->w);
        size_t nl = nul ? (size_t)((const uint8_t *)nul - p) : f->w;
        switch (below(c->m, 3)) {
        case 0: /* all 32 bytes used: no terminating NUL */
            for (size_t i = nl; i < f->w; i++)
                p[i] = (uint8_t)('a' + below(c->m, 26));
            if (nl == f->w) { /* already unterminated: change one character */
                size_t i = below(c->m, f->w);
                p[i] = p[i] == 'x' ? 'y' : 'x';
            }
            how = "unterminated";
            break;
        case 1: /* bytes after the terminating NUL */
            if (nl + 1 >= f->w) {
                nl = below(c->m, f->w - 1);
                p[nl] = 0;
            }
            p[nl + 1 + below(c->m, f->w - nl - 1)] = (uint8_t)(1 + below(c->m, 255));
            how = "after-nul";
            break;
        default: /* empty name */
            if (p[0] == 0)
                p[0] = (uint8_t)('a' + below(c->m, 26));
            else
                memset(p, 0, f->w);
            how = "empty";
            break;
        }
        set_last(c, "%s.%s=reserved:%s", f->scope, f->name, how);
        return true;
    }
    uint64_t res = wmax(f->w) & ~f->defined;
    uint64_t cur = ld(c->buf + f->off, f->w, f->be);
    uint64_t v;
    switch (below(c->m, 3)) {
    case 0: v = cur | res; break;
    case 1: {
        unsigned bit;
        do
            bit = (unsigned)below(c->m, 8u * f->w);
        while (!(res & ((uint64_t)1 << bit)));
        v = cur | ((uint64_t)1 << bit);
        break;
    }
    default: v = (cur & ~res) | (rnd(c->m) & res); break;
    }
    if (v == cur)
        v = cur ^ (res & (~res + 1)); /* flip the lowest reserved bit */
    st(c->buf + f->off, f->w, f->be, v);
    set_last(c, "%s.%s=reserved", f->scope, f->name);
    return true;
}

static bool is_resizable(const span *s)
{
    return s->resizable;
}

static bool op_resize(ctx *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->ns; i++)
        n += is_resizable(&c->s[i]);
    if (!n)
        return false;
    size_t k = below(c->m, n), si = 0;
    for (size_t i = 0; i < c->ns; i++)
        if (is_resizable(&c->s[i]) && k-- == 0) {
            si = i;
            break;
        }
    span *sp = &c->s[si];
    size_t cur = sp->len;
    size_t want;
    switch (below(c->m, 8)) {
    case 0: want = 0; break;
    case 1: want = sp->hdr ? sp->hdr - 1 : cur + 1; break;
    case 2: want = sp->hdr ? sp->hdr : cur + 2; break;
    case 3: want = cur ? cur - 1 : 1; break;
    case 4: want = cur + 1; break;
    case 5: want = cur + 1 + below(c->m, 16); break;
    case 6: want = cur / 2; break;
    default: want = below(c->m, cur + 64); break;
    }
    if (want == cur)
        want = cur + 1;
    bool consistent = below(c->m, 2) == 0;
    size_t got = resize_span(c, (int)si, want, consistent, -1);
    if (got == cur)
        return false;
    long long delta = (long long)got - (long long)cur;
    set_last(c, "%s.%s=resize:%+lld%s", sp->scope, sp->name, delta, consistent ? "~fit" : "");
    return true;
}

/* Codec parameter byte. */
static bool op_param_codec(ctx *c)
{
    if (c->param_off < 0 || (size_t)c->param_off >= c->len)
        return false;
    uint8_t *p = &c->buf[c->param_off];
    switch (c->m->format) {
    case VCF_FMT_RPMSG_FRAME:
        switch (below(c->m, 3)) {
        case 0:
            *p ^= VCF_FUZZ_RPMSG_BE;
            set_last(c, "param.be=flip");
            break;
        case 1:
            *p ^= VCF_FUZZ_RPMSG_NO_NS;
            set_last(c, "param.ns=flip");
            break;
        default:
            *p = (uint8_t)(*p ^ (1u << (2 + below(c->m, 6))));
            set_last(c, "param.unused=flip");
            break;
        }
        return true;
    case VCF_FMT_RPMSG_NS:
        *p ^= VCF_FUZZ_RPMSG_BE;
        set_last(c, "param.be=flip");
        return true;
    case VCF_FMT_VMSG: {
        switch (below(c->m, 4)) {
        case 0:
            *p ^= VCF_FUZZ_VMSG_RFC3;
            set_last(c, "param.rev=flip");
            break;
        case 1:
            *p ^= VCF_FUZZ_VMSG_PAD;
            set_last(c, "param.pad=flip");
            break;
        case 2: {
            static const uint8_t ks[] = {0, 1, 28, 63}; /* none, 48, 264, 544 */
            uint8_t k = ks[below(c->m, sizeof(ks))];
            if ((*p >> 2) == k)
                k = (uint8_t)((k + 1) & 63u);
            *p = (uint8_t)((*p & 3u) | (unsigned)(k << 2));
            set_last(c, "param.max=%u", (unsigned)vcf_fuzz_vmsg_max(*p));
            break;
        }
        default: {
            uint8_t k = (uint8_t)below(c->m, 64);
            *p = (uint8_t)((*p & 3u) | (unsigned)(k << 2));
            set_last(c, "param.max=%u", (unsigned)vcf_fuzz_vmsg_max(*p));
            break;
        }
        }
        return true;
    }
    default: return false;
    }
}

/* Script parameter tweaks: name, family, "key=value" lines. */
static const struct tweak {
    const char *name;
    int family;
    const char *lines;
} tweaks[] = {
    {"order=be", P_RPMSG, "order=be"},
    {"order=le", P_RPMSG, "order=le"},
    {"legacy-be", P_RPMSG, "features=0x1\norder=be"},
    {"features=0x1", P_RPMSG, "features=0x1"},
    {"features=0x0", P_RPMSG, "features=0x0"},
    {"features=0x100000000", P_RPMSG, "features=0x100000000"},
    {"features=0x100000001", P_RPMSG, "features=0x100000001"},
    {"buf_size=16", P_RPMSG, "buf_size=16"},
    {"buf_size=17", P_RPMSG, "buf_size=17"},
    {"buf_size=32", P_RPMSG, "buf_size=32"},
    {"buf_size=56", P_RPMSG, "buf_size=56"},
    {"buf_size=512", P_RPMSG, "buf_size=512"},
    {"buf_size=65535", P_RPMSG, "buf_size=65535"},
    {"tx_bufs=0", P_RPMSG, "tx_bufs=0"},
    {"tx_bufs=1", P_RPMSG, "tx_bufs=1"},
    {"rev=rfc3", P_VMSG, "rev=rfc3"},
    {"rev=pr28", P_VMSG, "rev=pr28"},
    {"max_msg_size=44", P_VMSG, "max_msg_size=44"},
    {"max_msg_size=48", P_VMSG, "max_msg_size=48"},
    {"max_msg_size=40", P_VMSG, "max_msg_size=40"},
    {"max_msg_size=264", P_VMSG, "max_msg_size=264"},
    {"max_msg_size=65535", P_VMSG, "max_msg_size=65535"},
    {"dev_num=1", P_VMSG, "dev_num=1"},
    {"dev_num=65535", P_VMSG, "dev_num=65535"},
    {"feature_bits=0", P_VMSG, "feature_bits=0"},
    {"feature_bits=33", P_VMSG, "feature_bits=33"},
    {"config=", P_VMSG, "config="},
    {"queues=0", P_VMSG, "queues=0"},
    {"queues=1", P_VMSG, "queues=1"},
    {"window=0", P_VMSG, "window=0"},
    {"window=7", P_VMSG, "window=7"},
    {"num_queues=0", P_VMSG, "num_queues=0"},
    {"queue_size=0", P_VMSG, "queue_size=0"},
};

/* Set key=value in params text (tmp, *tl bytes, room cap): replace the value of an existing
 * key, else append a line. false when it does not fit. */
static bool set_param(char *tmp, size_t *tl, size_t cap, const char *line, size_t ll)
{
    const char *eq = memchr(line, '=', ll);
    if (!eq)
        return false;
    size_t kl = (size_t)(eq - line);
    size_t i = 0;
    while (i < *tl) {
        size_t s = i;
        while (i < *tl && tmp[i] != '\n')
            i++;
        size_t e = i;
        if (e - s > kl && memcmp(tmp + s, line, kl + 1) == 0) {
            /* replace the line's value */
            size_t vl = ll - kl - 1, old = e - s - kl - 1;
            if (*tl - old + vl > cap)
                return false;
            memmove(tmp + s + kl + 1 + vl, tmp + e, *tl - e);
            memcpy(tmp + s + kl + 1, eq + 1, vl);
            *tl = *tl - old + vl;
            return true;
        }
        i++;
    }
    size_t add = ll + (*tl ? 1 : 0);
    if (*tl + add > cap)
        return false;
    if (*tl)
        tmp[(*tl)++] = '\n';
    memcpy(tmp + *tl, line, ll);
    *tl += ll;
    return true;
}

/* Drop the line of a random key. */
static bool drop_param(ctx *c, char *tmp, size_t *tl, const char **key_out, char *key, size_t kcap)
{
    size_t lines = 0;
    for (size_t i = 0; i < *tl; i++)
        lines += tmp[i] == '\n';
    lines++;
    size_t k = below(c->m, lines), i = 0, s = 0;
    for (size_t l = 0; l <= k && i <= *tl; l++) {
        s = i;
        while (i < *tl && tmp[i] != '\n')
            i++;
        if (l < k)
            i++;
    }
    size_t e = i < *tl ? i + 1 : i; /* the line and its '\n' */
    if (e == s)
        return false;
    const char *eq = memchr(tmp + s, '=', i - s);
    size_t kl = eq ? (size_t)(eq - (tmp + s)) : i - s;
    if (kl >= kcap)
        kl = kcap - 1;
    memcpy(key, tmp + s, kl);
    key[kl] = '\0';
    if (e == *tl && s > 0)
        s--; /* the last line: drop the '\n' before it */
    memmove(tmp + s, tmp + e, *tl - e);
    *tl -= e - s;
    *key_out = key;
    return true;
}

static bool op_param_script(ctx *c)
{
    if (c->params_span < 0)
        return false;
    span *ps = &c->s[c->params_span];
    char tmp[1024];
    size_t tl = ps->len;
    if (tl > sizeof(tmp))
        return false;
    memcpy(tmp, c->buf + ps->start, tl);
    char keybuf[48];
    const char *dropped = NULL;
    const char *name = NULL;
    if (tl && below(c->m, 8) == 0) {
        if (!drop_param(c, tmp, &tl, &dropped, keybuf, sizeof(keybuf)))
            return false;
    } else {
        size_t nt = sizeof(tweaks) / sizeof(tweaks[0]), cand[sizeof(tweaks) / sizeof(tweaks[0])];
        size_t nc = 0;
        for (size_t i = 0; i < nt; i++)
            if (!c->lk.family || tweaks[i].family == c->lk.family)
                cand[nc++] = i;
        const struct tweak *t = &tweaks[cand[below(c->m, nc)]];
        const char *l = t->lines;
        while (*l) {
            const char *e = strchr(l, '\n');
            size_t ll = e ? (size_t)(e - l) : strlen(l);
            if (!set_param(tmp, &tl, sizeof(tmp), l, ll))
                return false;
            l += ll + (e ? 1 : 0);
        }
        name = t->name;
    }
    if (tl > 0xFFFFu)
        return false;
    size_t old = ps->len;
    size_t keep = old < tl ? old : tl;
    size_t got = replace(c, ps->start + keep, old - keep, tl - keep, false);
    size_t now = keep + got;
    memcpy(c->buf + ps->start, tmp, now);
    st(c->buf + 1, 2, false, now);
    if (dropped)
        set_last(c, "param.%s=drop", dropped);
    else
        set_last(c, "param.%s", name);
    return true;
}

/* ---- records and frames ------------------------------------------------------------------ */

static bool op_drop(ctx *c)
{
    if (!c->nu)
        return false;
    unitv *u = &c->u[below(c->m, c->nu)];
    if (u->size >= c->len)
        return false;
    replace(c, u->off, u->size, 0, false);
    set_last(c, "%s.drop", c->unit_scope);
    return true;
}

/* Insert n bytes at p copied from buf[q, q+n) (p outside that range). */
static size_t insert_self(ctx *c, size_t p, size_t q, size_t n)
{
    size_t got = replace(c, p, 0, n, false);
    if (q >= p)
        q += got;
    memmove(c->buf + p, c->buf + q, got);
    return got;
}

static bool op_dup(ctx *c)
{
    if (!c->nu || c->len >= c->max)
        return false;
    unitv *u = &c->u[below(c->m, c->nu)];
    insert_self(c, u->off + u->size, u->off, u->size);
    set_last(c, "%s.dup", c->unit_scope);
    return true;
}

static bool op_swap_rec(ctx *c)
{
    if (c->nu < 2)
        return false;
    size_t i = below(c->m, c->nu - 1);
    size_t j = i + 1 + below(c->m, c->nu - i - 1);
    unitv *a = &c->u[i], *b = &c->u[j];
    size_t start = a->off, end = b->off + b->size;
    if (end > c->len || b->off < a->off + a->size)
        return false;
    size_t mid = b->off - (a->off + a->size);
    /* [A][M][B] -> [B][M][A]: reverse all, then each piece */
    reverse(c->buf + start, end - start);
    reverse(c->buf + start, b->size);
    reverse(c->buf + start + b->size, mid);
    reverse(c->buf + start + b->size + mid, a->size);
    set_last(c, "%s.swap-rec", c->unit_scope);
    return true;
}

/* Does [p, p+n) overlap the mutation buffer? */
static bool overlaps_buf(const ctx *c, const uint8_t *p, size_t n)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)c->buf;
    return n && a < b + c->max && b < a + n;
}

static bool op_splice(ctx *c)
{
    if (!c->unit_scope)
        return false;
    unitv ou[64];
    size_t on = 0, ostart = 0;
    const uint8_t *src = NULL;
    if (c->other && c->other_len && !overlaps_buf(c, c->other, c->other_len)) {
        if (c->m->format == VCF_FMT_SCRIPT)
            script_units(c->other, c->other_len, ou, 64, &on, &ostart);
        else
            frame_units(c->other, c->other_len, ou, 64, &on);
        src = c->other;
    }
    bool self = on == 0;
    if (self) {
        if (!c->nu)
            return false;
        on = c->nu < 64 ? c->nu : 64;
        memcpy(ou, c->u, on * sizeof(ou[0]));
    }
    /* a run of 1..3 units of the source */
    size_t a = below(c->m, on);
    size_t b = a + below(c->m, 3);
    if (b >= on)
        b = on - 1;
    size_t q = ou[a].off, n = ou[b].off + ou[b].size - q;
    /* where: a unit boundary (replacing the unit there, sometimes) */
    size_t k = below(c->m, c->nu + 1);
    size_t p = k < c->nu ? c->u[k].off : c->units_end;
    bool repl = !self && k < c->nu && below(c->m, 3) == 0;
    if (self && p > q && p < q + n)
        p = q + n;
    if (repl) {
        size_t old = c->u[k].size;
        size_t got = replace(c, p, old, n, false);
        memcpy(c->buf + p, src + q, got);
    } else if (self) {
        if (!insert_self(c, p, q, n))
            return false;
    } else {
        size_t got = replace(c, p, 0, n, false);
        if (!got)
            return false;
        memcpy(c->buf + p, src + q, got);
    }
    set_last(c, "%s.splice", c->unit_scope);
    return true;
}

/* ---- bytes ------------------------------------------------------------------------------- */

static const uint64_t interesting[] = {
    0,          1,          0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF,
    0x80000000, 0xFFFFFFFF, 15,   16,   17,   40,    53,     264,    511,    512,     513};

static size_t mutate_bytes(ctx *c)
{
    vcf_mutator *m = c->m;
    if (m->bytes) {
        size_t n = m->bytes(c->buf, c->len, c->max, m->bytes_ctx);
        if (n > c->max)
            n = c->max;
        if (n == 0)
            n = c->len ? c->len : 1;
        snprintf(m->last, sizeof(m->last), "bytes.engine");
        return n;
    }
    size_t len = c->len;
    switch (below(m, 7)) {
    case 0:
        c->buf[below(m, len)] ^= (uint8_t)(1u << below(m, 8));
        set_last(c, "bytes.flip");
        break;
    case 1:
        c->buf[below(m, len)] = (uint8_t)rnd(m);
        set_last(c, "bytes.set");
        break;
    case 2: {
        unsigned w = 1u << below(m, 3);
        if (w > len)
            w = 1;
        size_t at = below(m, len - w + 1);
        st(c->buf + at, w, below(m, 2) != 0,
           interesting[below(m, sizeof(interesting) / sizeof(interesting[0]))]);
        set_last(c, "bytes.interesting");
        break;
    }
    case 3: {
        size_t at = below(m, len);
        c->buf[at] = (uint8_t)(c->buf[at] + (uint8_t)(below(m, 35)) - 17u);
        set_last(c, "bytes.arith");
        break;
    }
    case 4:
        if (len < c->max) {
            size_t n = 1 + below(m, 8);
            replace(c, below(m, len + 1), 0, n, true);
            set_last(c, "bytes.insert");
            break;
        }
        /* fall through */
    case 5:
        if (len > 1) {
            size_t n = 1 + below(m, len - 1 < 8 ? len - 1 : 8);
            replace(c, below(m, len - n + 1), n, 0, false);
            set_last(c, "bytes.delete");
            break;
        }
        /* fall through */
    default: {
        size_t n = 1 + below(m, len < 16 ? len : 16);
        size_t from = below(m, len - n + 1), to = below(m, len - n + 1);
        memmove(c->buf + to, c->buf + from, n);
        set_last(c, "bytes.copy");
        break;
    }
    }
    return c->len;
}

/* ---- the entry point --------------------------------------------------------------------- */

static void parse(ctx *c)
{
    switch (c->m->format) {
    case VCF_FMT_RPMSG_FRAME:
    case VCF_FMT_RPMSG_NS:
    case VCF_FMT_VMSG: parse_codec(c); break;
    case VCF_FMT_SCRIPT: parse_script(c); break;
    case VCF_FMT_ADAPTER_FRAME: parse_frames(c); break;
    case VCF_FMT_CAPTURE: parse_capture(c); break;
    default: break;
    }
}

static bool available(ctx *c, unsigned op)
{
    switch (op) {
    case OP_SWAP:
        for (size_t i = 0; i < c->nf; i++)
            if (is_swappable(c, &c->f[i]))
                return true;
        return false;
    case OP_SWAP_ALL: return c->nmsg > 0;
    case OP_BOUNDARY:
        for (size_t i = 0; i < c->nf; i++)
            if (is_len(c, &c->f[i]))
                return true;
        return false;
    case OP_VALUE:
        for (size_t i = 0; i < c->nf; i++)
            if (is_value(c, &c->f[i]))
                return true;
        return false;
    case OP_RESERVED:
        for (size_t i = 0; i < c->nf; i++)
            if (is_reserved(c, &c->f[i]))
                return true;
        return false;
    case OP_RESIZE:
        for (size_t i = 0; i < c->ns; i++)
            if (is_resizable(&c->s[i]))
                return true;
        return false;
    case OP_PARAM: return c->param_off >= 0 || c->params_span >= 0;
    case OP_SPLICE:
        if (c->unit_scope)
            return c->nu > 0 || c->other_len > 0;
        return c->param_off == 0 && c->other_len >= 2 && !overlaps_buf(c, c->other, c->other_len);
    case OP_DUP:
    case OP_DROP: return c->nu > 0;
    case OP_SWAP_REC: return c->nu > 1;
    default: return false;
    }
}

static bool op_splice_msg(ctx *c);

static bool apply(ctx *c, unsigned op)
{
    switch (op) {
    case OP_SWAP: return op_swap(c);
    case OP_SWAP_ALL: return op_swap_all(c);
    case OP_BOUNDARY: return op_boundary(c);
    case OP_VALUE: return op_value(c);
    case OP_RESERVED: return op_reserved(c);
    case OP_RESIZE: return op_resize(c);
    case OP_PARAM: return c->param_off >= 0 ? op_param_codec(c) : op_param_script(c);
    case OP_SPLICE: return c->unit_scope ? op_splice(c) : op_splice_msg(c);
    case OP_DUP: return op_dup(c);
    case OP_DROP: return op_drop(c);
    case OP_SWAP_REC: return op_swap_rec(c);
    default: return false;
    }
}

/* Parse the buffer as it is now into a fresh view. */
static void view(ctx *c)
{
    c->nf = c->ns = c->nmsg = c->nu = 0;
    c->units_start = c->units_end = 0;
    c->unit_scope = NULL;
    c->param_off = -1;
    c->params_span = -1;
    link_default(&c->lk);
    parse(c);
}

/* One of the operators in mask that applies (weighted), applied. */
static bool pick_apply(ctx *c, unsigned mask)
{
    unsigned total = 0;
    bool ok[OP_COUNT];
    for (unsigned op = 0; op < OP_COUNT; op++) {
        ok[op] = (mask & (1u << op)) && available(c, op);
        if (ok[op])
            total += op_weight[op];
    }
    if (!total)
        return false;
    size_t r = below(c->m, total);
    for (unsigned op = 0; op < OP_COUNT; op++) {
        if (!ok[op])
            continue;
        if (r < op_weight[op])
            return apply(c, op);
        r -= op_weight[op];
    }
    return false;
}

#define FIELD_OPS                                                                                  \
    ((1u << OP_SWAP) | (1u << OP_SWAP_ALL) | (1u << OP_BOUNDARY) | (1u << OP_VALUE) |              \
     (1u << OP_RESERVED) | (1u << OP_RESIZE))

/* Codec formats: the other input's message behind this one's parameter byte, then one field
 * operator on it (so that one call reaches a boundary of the other message; AFL++ hands its
 * custom mutator another queue entry for this). */
static bool op_splice_msg(ctx *c)
{
    if (c->param_off != 0 || c->other_len < 2 || overlaps_buf(c, c->other, c->other_len))
        return false;
    const char *scope = c->nmsg ? c->msg[0].scope : "msg";
    size_t got = replace(c, 1, c->len - 1, c->other_len - 1, false);
    memcpy(c->buf + 1, c->other + 1, got);
    view(c);
    char *last = c->m->last;
    if (pick_apply(c, FIELD_OPS)) {
        static const char prefix[] = "splice+";
        size_t pl = sizeof(prefix) - 1, l = strlen(last);
        if (l > sizeof(c->m->last) - 1 - pl)
            l = sizeof(c->m->last) - 1 - pl;
        memmove(last + pl, last, l);
        memcpy(last, prefix, pl);
        last[pl + l] = '\0';
    } else {
        set_last(c, "%s.splice", scope);
    }
    return true;
}

/* One structure-aware mutation; false when none applied (the buffer is then unchanged). */
static bool structural(ctx *c)
{
    view(c);
    return pick_apply(c, ~0u);
}

size_t vcf_mutate(vcf_mutator *m, uint8_t *buf, size_t len, size_t max, const uint8_t *other,
                  size_t other_len)
{
    if (!m)
        return len < max ? len : max;
    m->last[0] = '\0';
    if (!buf || max == 0)
        return 0;
    if (len > max)
        len = max;
    if (!other)
        other_len = 0;
    ctx c;
    c.m = m;
    c.buf = buf;
    c.len = len;
    c.max = max;
    c.other = other;
    c.other_len = other_len;
    if (c.len == 0) {
        buf[0] = (uint8_t)rnd(m);
        c.len = 1;
    }
    unsigned pct = m->structure_percent > 100 ? 100 : m->structure_percent;
    if (m->format != VCF_FMT_RAW && (unsigned)below(m, 100) < pct) {
        for (int tries = 0; tries < 4; tries++) {
            if (!structural(&c))
                continue;
            if (c.len == 0) { /* a drop or a cut took everything */
                buf[0] = (uint8_t)rnd(m);
                c.len = 1;
            }
            return c.len;
        }
    }
    size_t n = mutate_bytes(&c);
    if (n == 0) {
        buf[0] = (uint8_t)rnd(m);
        n = 1;
    }
    return n;
}
