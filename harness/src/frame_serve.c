/* SPDX-License-Identifier: MIT */
#include "frame_serve.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"

#define WAIT_MS 50

typedef struct serve {
    const vcf_frame_server *srv;
    uint8_t *rx, *tx;
    size_t rx_have;
    unsigned long long stream; /* bytes consumed so far */
    vcf_frame_scratch *scratch;
    bool greeted;
    int status; /* -1 while serving, else the exit status */
} serve;

__attribute__((format(printf, 2, 3))) static void logf_(const serve *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", s->srv->prog ? s->srv->prog : "adapter");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void stop(serve *s, int status)
{
    if (s->status < 0)
        s->status = status;
}

static void send_frame(serve *s, const vcf_frame *f)
{
    if (s->status >= 0)
        return;
    char err[256];
    size_t n = vcf_frame_encode(f, s->tx, VCF_FRAME_MAX, err, sizeof err);
    if (n == 0) {
        /* The adapter handed over something that cannot travel (say, 2 MiB of data): say so
         * instead of going silent. */
        logf_(s, "cannot encode the reply: %s", err);
        vcf_frame e = {.op = f->op, .seq = f->seq, .rc = VCF_ADAPTER_ERROR, .reason = err};
        n = vcf_frame_encode(&e, s->tx, VCF_FRAME_MAX, NULL, 0);
        if (n == 0) {
            stop(s, 2);
            return;
        }
    }
    if (s->srv->trace)
        logf_(s, "-> %s reply seq %u rc %d (%zu bytes)", vcf_frame_op_name(f->op), (unsigned)f->seq,
              (int)f->rc, n);
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(s->srv->out, s->tx + off, n - off);
        if (w > 0)
            off += (size_t)w;
        else if (w < 0 && errno == EINTR)
            continue;
        else {
            logf_(s, "writing a reply: %s", w < 0 ? strerror(errno) : "no progress");
            stop(s, 2);
            return;
        }
    }
}

static void reply_rc(serve *s, const vcf_frame *req, int rc, const char *reason)
{
    vcf_frame r = {.op = (uint16_t)(req->op | VCF_FRAME_REPLY), .seq = req->seq};
    if (rc != VCF_ADAPTER_OK && rc != VCF_ADAPTER_UNSUPPORTED && rc != VCF_ADAPTER_ERROR) {
        logf_(s, "%s returned %d, not a VCF_ADAPTER_* code", vcf_frame_op_name(req->op), rc);
        rc = VCF_ADAPTER_ERROR;
    }
    r.rc = rc;
    r.reason = reason;
    send_frame(s, &r);
}

static void handle(serve *s, const vcf_frame *req)
{
    const vcf_frame_server *v = s->srv;
    vcf_frame r = {.op = (uint16_t)(req->op | VCF_FRAME_REPLY), .seq = req->seq};
    char why[2048] = "";

    if (req->op == VCF_FOP_HELLO) {
        if (req->hello.magic != VCF_FRAME_MAGIC) {
            snprintf(why, sizeof why, "HELLO magic 0x%08x, expected 0x%08x (\"VCFP\")",
                     (unsigned)req->hello.magic, VCF_FRAME_MAGIC);
            reply_rc(s, req, VCF_ADAPTER_ERROR, why);
            return;
        }
        if (req->hello.proto == 0) {
            reply_rc(s, req, VCF_ADAPTER_ERROR, "protocol version 0 does not exist");
            return;
        }
        int rc = v->hello(v->ud, &r.hello.roles, &r.hello.caps, &r.hello.name, &r.hello.version,
                          why, sizeof why);
        if (rc != VCF_ADAPTER_OK) {
            reply_rc(s, req, rc, why);
            return;
        }
        s->greeted = true;
        r.hello.magic = VCF_FRAME_MAGIC;
        r.hello.proto = req->hello.proto < VCF_FRAME_VERSION ? req->hello.proto : VCF_FRAME_VERSION;
        send_frame(s, &r);
        return;
    }
    if (!s->greeted) {
        reply_rc(s, req, VCF_ADAPTER_ERROR, "HELLO must come first");
        return;
    }

    switch (req->op) {
    case VCF_FOP_RESET:
        r.rc = v->reset(v->ud, req->role, req->params, req->n_params, why, sizeof why);
        why[sizeof why - 1] = '\0';
        reply_rc(s, req, r.rc, why);
        return;
    case VCF_FOP_INJECT:
        reply_rc(s, req, v->inject(v->ud, &req->msg, why, sizeof why), why);
        return;
    case VCF_FOP_ACTION:
        r.rc = v->action(v->ud, &req->action, &r.result, why, sizeof why);
        if (r.rc == VCF_ADAPTER_OK)
            send_frame(s, &r);
        else
            reply_rc(s, req, r.rc, why);
        return;
    case VCF_FOP_POLL: {
        int got = v->poll(v->ud, &r.obs, why, sizeof why);
        if (got < 0) {
            reply_rc(s, req, got == VCF_ADAPTER_UNSUPPORTED ? got : VCF_ADAPTER_ERROR,
                     why[0] ? why : "poll failed");
            return;
        }
        if (got == 0)
            r.obs.kind = VCF_OBS_NONE;
        send_frame(s, &r);
        return;
    }
    case VCF_FOP_IDLE: {
        int idle = v->idle(v->ud, why, sizeof why);
        if (idle < 0) {
            reply_rc(s, req, idle == VCF_ADAPTER_UNSUPPORTED ? idle : VCF_ADAPTER_ERROR,
                     why[0] ? why : "idle failed");
            return;
        }
        r.idle = idle ? 1u : 0u;
        send_frame(s, &r);
        return;
    }
    case VCF_FOP_CLOSE:
        if (v->reply_before_close)
            send_frame(s, &r);
        v->close(v->ud);
        if (!v->reply_before_close)
            send_frame(s, &r);
        stop(s, 0);
        return;
    default: reply_rc(s, req, VCF_ADAPTER_UNSUPPORTED, "unknown operation"); return;
    }
}

/* Read until the buffer holds one whole frame: its size, or 0 when serving stops. */
static size_t next_frame(serve *s)
{
    const vcf_frame_server *v = s->srv;
    size_t need = 4;
    for (;;) {
        if (s->rx_have >= 4) {
            char err[256];
            need = vcf_frame_size(s->rx, err, sizeof err);
            if (need == 0) {
                logf_(s, "garbage on the input at stream offset %llu: %s; giving up", s->stream,
                      err);
                stop(s, 2);
                return 0;
            }
            if (s->rx_have >= need)
                return need;
        }
        if (v->waiting) {
            int st = v->waiting(v->ud);
            if (st != 0) {
                stop(s, st);
                return 0;
            }
            struct pollfd p = {v->in, POLLIN, 0};
            int r = poll(&p, 1, WAIT_MS);
            if (r == 0 || (r < 0 && errno == EINTR))
                continue;
        }
        ssize_t r = read(v->in, s->rx + s->rx_have, VCF_FRAME_MAX - s->rx_have);
        if (r > 0) {
            s->rx_have += (size_t)r;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0 && s->rx_have == 0) {
            stop(s, 0); /* the harness went away between frames: a normal end */
            return 0;
        }
        if (r == 0)
            logf_(s, "the input ended inside a frame at stream offset %llu (%zu of %zu bytes)",
                  s->stream, s->rx_have, need);
        else
            logf_(s, "reading: %s", strerror(errno));
        stop(s, 2);
        return 0;
    }
}

int vcf_frame_serve(const vcf_frame_server *srv)
{
    serve s = {.srv = srv, .status = -1};
    s.rx = malloc(VCF_FRAME_MAX);
    s.tx = malloc(VCF_FRAME_MAX);
    s.scratch = malloc(sizeof *s.scratch);
    if (!s.rx || !s.tx || !s.scratch) {
        logf_(&s, "out of memory");
        stop(&s, 2);
    }
    while (s.status < 0) {
        size_t n = next_frame(&s);
        if (n == 0)
            break;
        vcf_frame req;
        char err[512];
        int rc = vcf_frame_decode(s.rx, n, &req, s.scratch, err, sizeof err);
        if (srv->trace)
            logf_(&s, "<- %s %s seq %u (%zu bytes)", vcf_frame_op_name(req.op),
                  (req.op & VCF_FRAME_REPLY) ? "reply" : "request", (unsigned)req.seq, n);
        if (rc == VCF_FRAME_UNKNOWN_OP) {
            char why[600];
            snprintf(why, sizeof why, "unknown op 0x%04x (this %s speaks protocol version %u)",
                     (unsigned)req.op, srv->prog ? srv->prog : "adapter", VCF_FRAME_VERSION);
            reply_rc(&s, &req, VCF_ADAPTER_UNSUPPORTED, why);
        } else if (rc != VCF_FRAME_OK) {
            char why[600];
            snprintf(why, sizeof why, "malformed request at stream offset %llu: %s", s.stream, err);
            logf_(&s, "%s", why);
            reply_rc(&s, &req, VCF_ADAPTER_ERROR, why);
        } else if (req.op & VCF_FRAME_REPLY) {
            reply_rc(&s, &req, VCF_ADAPTER_ERROR, "a reply frame where a request was expected");
        } else {
            handle(&s, &req);
        }
        /* The frame is consumed; keep whatever followed it. */
        memmove(s.rx, s.rx + n, s.rx_have - n);
        s.rx_have -= n;
        s.stream += n;
    }
    free(s.rx);
    free(s.tx);
    free(s.scratch);
    return s.status;
}
