/* SPDX-License-Identifier: MIT */
/* vconform harness: encoding and decoding the stdio adapter protocol's frames. Pure: no I/O.
 * The byte layout is specified in docs/adapter-protocol.md. */
#include "frame.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *vcf_frame_op_name(uint16_t op)
{
    switch (op & (uint16_t)~VCF_FRAME_REPLY) {
    case VCF_FOP_HELLO: return "HELLO";
    case VCF_FOP_RESET: return "RESET";
    case VCF_FOP_INJECT: return "INJECT";
    case VCF_FOP_ACTION: return "ACTION";
    case VCF_FOP_POLL: return "POLL";
    case VCF_FOP_IDLE: return "IDLE";
    case VCF_FOP_CLOSE: return "CLOSE";
    default: return "?";
    }
}

static bool op_known(uint16_t op)
{
    return op >= VCF_FOP_HELLO && op <= VCF_FOP_CLOSE;
}

static bool rc_valid(int32_t rc)
{
    return rc == VCF_ADAPTER_OK || rc == VCF_ADAPTER_ERROR || rc == VCF_ADAPTER_UNSUPPORTED;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8u * i));
}

static uint64_t get_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8u * i);
    return v;
}

/* ---- encoding ------------------------------------------------------------------------------ */

typedef struct writer {
    uint8_t *buf;
    size_t cap;
    size_t off; /* keeps counting past cap, so an error can say how large the frame would be */
    bool bad;
    char *err;
    size_t err_len;
    char ctx[32]; /* "INJECT request" */
} writer;

__attribute__((format(printf, 2, 3))) static void w_fail(writer *w, const char *fmt, ...)
{
    if (w->bad)
        return;
    w->bad = true;
    if (!w->err || !w->err_len)
        return;
    int n = snprintf(w->err, w->err_len, "%s: ", w->ctx);
    if (n < 0 || (size_t)n >= w->err_len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err + n, w->err_len - (size_t)n, fmt, ap);
    va_end(ap);
}

static void w_raw(writer *w, const void *p, size_t n)
{
    if (n && w->off + n <= w->cap && w->off + n <= VCF_FRAME_MAX)
        memcpy(w->buf + w->off, p, n);
    w->off += n;
}

static void w_int(writer *w, uint64_t v, unsigned n)
{
    if (w->off + n <= w->cap && w->off + n <= VCF_FRAME_MAX)
        put_le(w->buf + w->off, v, n);
    w->off += n;
}

static void w_u16(writer *w, uint16_t v)
{
    w_int(w, v, 2);
}

static void w_u32(writer *w, uint32_t v)
{
    w_int(w, v, 4);
}

static void w_i32(writer *w, int32_t v)
{
    w_int(w, (uint32_t)v, 4); /* two's complement, as the conversion to unsigned defines */
}

static void w_u64(writer *w, uint64_t v)
{
    w_int(w, v, 8);
}

/* A size that travels as u32. */
static void w_size(writer *w, size_t v, const char *field)
{
    if (v > UINT32_MAX)
        w_fail(w, "%s %zu does not fit in 32 bits", field, v);
    w_u32(w, (uint32_t)v);
}

static void w_bytes(writer *w, const uint8_t *p, size_t n, const char *field)
{
    if (!p && n)
        w_fail(w, "%s: %zu bytes without a pointer", field, n);
    if (n > VCF_FRAME_MAX) {
        w_fail(w, "%s of %zu bytes is larger than a frame (%u bytes)", field, n, VCF_FRAME_MAX);
        return;
    }
    w_size(w, n, field);
    if (p)
        w_raw(w, p, n);
}

static void w_str(writer *w, const char *s, const char *field)
{
    if (!s)
        s = "";
    size_t n = 0;
    while (n <= VCF_FRAME_MAX && s[n]) /* bounded: a string longer than a frame cannot travel */
        n++;
    if (n > VCF_FRAME_MAX) {
        w_fail(w, "%s is longer than a frame (%u bytes)", field, VCF_FRAME_MAX);
        return;
    }
    w_bytes(w, (const uint8_t *)s, n, field);
}

static void w_request(writer *w, const vcf_frame *f)
{
    switch (f->op) {
    case VCF_FOP_HELLO:
        w_u32(w, f->hello.magic);
        w_u32(w, f->hello.proto);
        break;
    case VCF_FOP_RESET:
        w_u32(w, f->role);
        if (f->n_params > VCF_FRAME_MAX_PARAMS) {
            w_fail(w, "%zu parameters, at most %u fit in a frame", f->n_params,
                   VCF_FRAME_MAX_PARAMS);
            break;
        }
        if (!f->params && f->n_params) {
            w_fail(w, "%zu parameters without a pointer", f->n_params);
            break;
        }
        w_u32(w, (uint32_t)f->n_params);
        for (size_t i = 0; i < f->n_params; i++) {
            if (!f->params[i].key || !f->params[i].value) {
                w_fail(w, "parameter %zu has no %s", i, f->params[i].key ? "value" : "key");
                break;
            }
            w_str(w, f->params[i].key, "parameter key");
            w_str(w, f->params[i].value, "parameter value");
        }
        break;
    case VCF_FOP_INJECT:
        w_u32(w, f->msg.channel);
        w_size(w, f->msg.used_len, "used_len");
        w_size(w, f->msg.capacity, "capacity");
        w_bytes(w, f->msg.data, f->msg.len, "message data");
        break;
    case VCF_FOP_ACTION:
        w_u32(w, f->action.kind);
        for (unsigned i = 0; i < VCF_ADAPTER_ARG_MAX; i++)
            w_u64(w, f->action.args[i]);
        w_bytes(w, f->action.data, f->action.len, "action data");
        break;
    default: /* POLL, IDLE, CLOSE: no payload */ break;
    }
}

static void w_reply(writer *w, const vcf_frame *f)
{
    if (!rc_valid(f->rc)) {
        w_fail(w, "rc %" PRId32 " is not 0 (ok), -1 (error) or -2 (unsupported)", f->rc);
        return;
    }
    w_i32(w, f->rc);
    w_str(w, f->reason, "reason");
    if (f->rc != VCF_ADAPTER_OK)
        return;
    switch (f->op & (uint16_t)~VCF_FRAME_REPLY) {
    case VCF_FOP_HELLO:
        w_u32(w, f->hello.magic);
        w_u32(w, f->hello.proto);
        w_u32(w, f->hello.roles);
        w_u32(w, f->hello.caps);
        w_str(w, f->hello.name, "adapter name");
        w_str(w, f->hello.version, "adapter version");
        break;
    case VCF_FOP_ACTION:
        w_i32(w, f->result.status);
        w_u64(w, f->result.value);
        break;
    case VCF_FOP_POLL:
        w_u32(w, f->obs.kind);
        if (f->obs.kind == VCF_OBS_MSG) {
            w_u32(w, f->obs.msg.channel);
            w_size(w, f->obs.msg.used_len, "used_len");
            w_size(w, f->obs.msg.capacity, "capacity");
            w_bytes(w, f->obs.msg.data, f->obs.msg.len, "message data");
        } else if (f->obs.kind == VCF_OBS_EVENT) {
            w_u32(w, f->obs.event.type);
            for (unsigned i = 0; i < VCF_ADAPTER_ARG_MAX; i++)
                w_u64(w, f->obs.event.args[i]);
            w_bytes(w, f->obs.event.data, f->obs.event.len, "event data");
        } else if (f->obs.kind != VCF_OBS_NONE) {
            w_fail(w, "observation kind %" PRIu32 " is not 0 (none), 1 (msg) or 2 (event)",
                   f->obs.kind);
        }
        break;
    case VCF_FOP_IDLE:
        if (f->idle > 1)
            w_fail(w, "idle %" PRIu32 " is not 0 or 1", f->idle);
        w_u32(w, f->idle);
        break;
    default: /* RESET, INJECT, CLOSE: rc and reason only */ break;
    }
}

size_t vcf_frame_encode(const vcf_frame *f, uint8_t *buf, size_t cap, char *err, size_t err_len)
{
    writer w = {.buf = buf, .cap = buf ? cap : 0, .err = err, .err_len = err_len};
    bool reply = (f->op & VCF_FRAME_REPLY) != 0;
    uint16_t base = f->op & (uint16_t)~VCF_FRAME_REPLY;
    snprintf(w.ctx, sizeof w.ctx, "%s %s", vcf_frame_op_name(f->op), reply ? "reply" : "request");
    if (err && err_len)
        err[0] = '\0';
    /* An unknown op can only be refused: a reply with rc and reason (answering a request
     * from a newer protocol version). */
    if (!op_known(base) && !(reply && f->rc != VCF_ADAPTER_OK)) {
        snprintf(w.ctx, sizeof w.ctx, "frame");
        w_fail(&w, "unknown op 0x%04x", (unsigned)f->op);
        return 0;
    }
    w_u32(&w, 0); /* length, filled in below */
    w_u16(&w, f->op);
    w_u16(&w, f->seq);
    if (reply)
        w_reply(&w, f);
    else
        w_request(&w, f);
    if (w.bad)
        return 0;
    if (w.off > VCF_FRAME_MAX) {
        w_fail(&w, "%zu bytes, more than the maximum frame of %u bytes", w.off, VCF_FRAME_MAX);
        return 0;
    }
    if (w.off > w.cap) {
        w_fail(&w, "%zu bytes do not fit in a buffer of %zu", w.off, cap);
        return 0;
    }
    put_le(buf, w.off - 4u, 4);
    return w.off;
}

/* ---- decoding ------------------------------------------------------------------------------ */

typedef struct reader {
    const uint8_t *buf;
    size_t len;
    size_t off;
    bool bad;
    char *err;
    size_t err_len;
    char ctx[32];
    vcf_frame_scratch *s;
    size_t text_used;
} reader;

/* "INJECT request, byte 12 (used_len): ..." */
__attribute__((format(printf, 4, 5))) static bool r_fail(reader *r, size_t at, const char *field,
                                                         const char *fmt, ...)
{
    if (r->bad)
        return false;
    r->bad = true;
    if (!r->err || !r->err_len)
        return false;
    int n = snprintf(r->err, r->err_len, "%s, byte %zu (%s): ", r->ctx, at, field);
    if (n < 0 || (size_t)n >= r->err_len)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err + n, r->err_len - (size_t)n, fmt, ap);
    va_end(ap);
    return false;
}

static bool r_need(reader *r, size_t n, const char *field)
{
    if (r->bad)
        return false;
    if (r->len - r->off < n)
        return r_fail(r, r->off, field, "needs %zu bytes, the %zu-byte frame ends after %zu", n,
                      r->len, r->len - r->off);
    return true;
}

static uint64_t r_int(reader *r, unsigned n, const char *field)
{
    if (!r_need(r, n, field))
        return 0;
    uint64_t v = get_le(r->buf + r->off, n);
    r->off += n;
    return v;
}

static uint32_t r_u32(reader *r, const char *field)
{
    return (uint32_t)r_int(r, 4, field);
}

static int32_t r_i32(reader *r, const char *field)
{
    uint32_t u = r_u32(r, field);
    /* two's complement without an implementation-defined conversion */
    return u <= INT32_MAX ? (int32_t)u : -(int32_t)(UINT32_MAX - u) - 1;
}

static uint64_t r_u64(reader *r, const char *field)
{
    return r_int(r, 8, field);
}

static void r_bytes(reader *r, const char *field, const uint8_t **p, size_t *n)
{
    *p = NULL;
    *n = 0;
    size_t at = r->off;
    uint32_t len = r_u32(r, field);
    if (r->bad)
        return;
    if (len > r->len - r->off) {
        r_fail(r, at, field,
               "length %" PRIu32 " runs past the end of the %zu-byte frame (%zu left)", len, r->len,
               r->len - r->off);
        return;
    }
    *p = r->buf + r->off; /* never NULL, even for no bytes */
    *n = len;
    r->off += len;
}

static const char *r_str(reader *r, const char *field)
{
    size_t at = r->off;
    const uint8_t *p;
    size_t n;
    r_bytes(r, field, &p, &n);
    if (r->bad)
        return "";
    const uint8_t *nul = n ? memchr(p, 0, n) : NULL;
    if (nul) {
        r_fail(r, at, field, "a NUL byte inside the string, at byte %zu", (size_t)(nul - r->buf));
        return "";
    }
    if (sizeof r->s->text - r->text_used < n + 1u) { /* cannot happen within VCF_FRAME_MAX */
        r_fail(r, at, field, "strings larger than the decoder's room");
        return "";
    }
    char *out = r->s->text + r->text_used;
    if (n)
        memcpy(out, p, n);
    out[n] = '\0';
    r->text_used += n + 1u;
    return out;
}

static void r_request(reader *r, vcf_frame *f)
{
    switch (f->op) {
    case VCF_FOP_HELLO:
        f->hello.magic = r_u32(r, "magic");
        f->hello.proto = r_u32(r, "version");
        break;
    case VCF_FOP_RESET: {
        f->role = r_u32(r, "role");
        size_t at = r->off;
        uint32_t n = r_u32(r, "parameter count");
        if (r->bad)
            break;
        if (n > VCF_FRAME_MAX_PARAMS) {
            r_fail(r, at, "parameter count", "%" PRIu32 " parameters, at most %u are allowed", n,
                   VCF_FRAME_MAX_PARAMS);
            break;
        }
        for (uint32_t i = 0; i < n && !r->bad; i++) {
            r->s->params[i].key = r_str(r, "parameter key");
            r->s->params[i].value = r_str(r, "parameter value");
        }
        f->params = r->s->params;
        f->n_params = r->bad ? 0 : n;
        break;
    }
    case VCF_FOP_INJECT:
        f->msg.channel = r_u32(r, "channel");
        f->msg.used_len = r_u32(r, "used_len");
        f->msg.capacity = r_u32(r, "capacity");
        r_bytes(r, "message data", &f->msg.data, &f->msg.len);
        break;
    case VCF_FOP_ACTION:
        f->action.kind = r_u32(r, "action kind");
        for (unsigned i = 0; i < VCF_ADAPTER_ARG_MAX; i++)
            f->action.args[i] = r_u64(r, "action argument");
        r_bytes(r, "action data", &f->action.data, &f->action.len);
        break;
    default: /* POLL, IDLE, CLOSE */ break;
    }
}

static void r_reply(reader *r, vcf_frame *f)
{
    size_t at = r->off;
    f->rc = r_i32(r, "rc");
    if (!r->bad && !rc_valid(f->rc)) {
        r_fail(r, at, "rc", "%" PRId32 " is not 0 (ok), -1 (error) or -2 (unsupported)", f->rc);
        return;
    }
    f->reason = r_str(r, "reason");
    if (r->bad || f->rc != VCF_ADAPTER_OK)
        return;
    switch (f->op & (uint16_t)~VCF_FRAME_REPLY) {
    case VCF_FOP_HELLO:
        f->hello.magic = r_u32(r, "magic");
        f->hello.proto = r_u32(r, "version");
        f->hello.roles = r_u32(r, "roles");
        f->hello.caps = r_u32(r, "caps");
        f->hello.name = r_str(r, "adapter name");
        f->hello.version = r_str(r, "adapter version");
        break;
    case VCF_FOP_ACTION:
        f->result.status = r_i32(r, "status");
        f->result.value = r_u64(r, "value");
        break;
    case VCF_FOP_POLL:
        at = r->off;
        f->obs.kind = r_u32(r, "observation kind");
        if (r->bad)
            break;
        if (f->obs.kind == VCF_OBS_MSG) {
            f->obs.msg.channel = r_u32(r, "channel");
            f->obs.msg.used_len = r_u32(r, "used_len");
            f->obs.msg.capacity = r_u32(r, "capacity");
            r_bytes(r, "message data", &f->obs.msg.data, &f->obs.msg.len);
        } else if (f->obs.kind == VCF_OBS_EVENT) {
            f->obs.event.type = r_u32(r, "event type");
            for (unsigned i = 0; i < VCF_ADAPTER_ARG_MAX; i++)
                f->obs.event.args[i] = r_u64(r, "event argument");
            r_bytes(r, "event data", &f->obs.event.data, &f->obs.event.len);
        } else if (f->obs.kind != VCF_OBS_NONE) {
            r_fail(r, at, "observation kind", "%" PRIu32 " is not 0 (none), 1 (msg) or 2 (event)",
                   f->obs.kind);
        }
        break;
    case VCF_FOP_IDLE:
        at = r->off;
        f->idle = r_u32(r, "idle");
        if (!r->bad && f->idle > 1)
            r_fail(r, at, "idle", "%" PRIu32 " is not 0 or 1", f->idle);
        break;
    default: /* RESET, INJECT, CLOSE */ break;
    }
}

size_t vcf_frame_size(const uint8_t buf[4], char *err, size_t err_len)
{
    uint64_t len = get_le(buf, 4);
    if (len < VCF_FRAME_HDR_SIZE - 4u || len > VCF_FRAME_MAX - 4u) {
        if (err && err_len) {
            char text[8] = "";
            bool printable = true;
            for (unsigned i = 0; i < 4; i++)
                printable = printable && buf[i] >= 0x20 && buf[i] < 0x7f;
            if (printable)
                snprintf(text, sizeof text, "\"%c%c%c%c\"", buf[0], buf[1], buf[2], buf[3]);
            snprintf(err, err_len,
                     "byte 0 (length): %" PRIu64 " (%02x %02x %02x %02x) is outside %u..%u%s%s%s",
                     len, buf[0], buf[1], buf[2], buf[3], VCF_FRAME_HDR_SIZE - 4u,
                     VCF_FRAME_MAX - 4u, printable ? " (text on the frame stream? it reads " : "",
                     text, printable ? ")" : "");
        }
        return 0;
    }
    return (size_t)len + 4u;
}

int vcf_frame_decode(const uint8_t *buf, size_t len, vcf_frame *f, vcf_frame_scratch *s, char *err,
                     size_t err_len)
{
    memset(f, 0, sizeof *f);
    f->reason = "";
    f->hello.name = f->hello.version = "";
    reader r = {.buf = buf, .len = len, .err = err, .err_len = err_len, .s = s};
    snprintf(r.ctx, sizeof r.ctx, "frame");
    if (err && err_len)
        err[0] = '\0';
    if (len < VCF_FRAME_HDR_SIZE) {
        r_fail(&r, 0, "header", "a frame has at least %u bytes, this one %zu", VCF_FRAME_HDR_SIZE,
               len);
        return VCF_FRAME_MALFORMED;
    }
    size_t size = vcf_frame_size(buf, err, err_len);
    if (size == 0)
        return VCF_FRAME_MALFORMED;
    if (size != len) {
        r_fail(&r, 0, "length", "says %zu bytes follow, the frame has %zu after the field",
               size - 4u, len - 4u);
        return VCF_FRAME_MALFORMED;
    }
    f->op = (uint16_t)get_le(buf + 4, 2);
    f->seq = (uint16_t)get_le(buf + 6, 2);
    r.off = VCF_FRAME_HDR_SIZE;
    bool reply = (f->op & VCF_FRAME_REPLY) != 0;
    if (!op_known(f->op & (uint16_t)~VCF_FRAME_REPLY)) {
        /* A refusal of an op the other side does not know is the one frame of an unknown op
         * that is well defined: rc (not ok) and reason. */
        if (reply) {
            snprintf(r.ctx, sizeof r.ctx, "reply to op 0x%04x",
                     (unsigned)(f->op & (uint16_t)~VCF_FRAME_REPLY));
            r_reply(&r, f);
            if (!r.bad && f->rc != VCF_ADAPTER_OK && r.off == len)
                return VCF_FRAME_OK;
            r.bad = false;
        }
        r_fail(&r, 4, "op", "unknown op 0x%04x", (unsigned)f->op);
        return VCF_FRAME_UNKNOWN_OP;
    }
    snprintf(r.ctx, sizeof r.ctx, "%s %s", vcf_frame_op_name(f->op), reply ? "reply" : "request");
    if (reply)
        r_reply(&r, f);
    else
        r_request(&r, f);
    if (!r.bad && r.off != len)
        r_fail(&r, r.off, "end", "%zu unexpected bytes after the last field", len - r.off);
    return r.bad ? VCF_FRAME_MALFORMED : VCF_FRAME_OK;
}
