/* SPDX-License-Identifier: MIT */
/*
 * vconform-peer: serves an adapter over stdin/stdout with the stdio adapter protocol
 * (docs/adapter-protocol.md).
 *
 *   vconform-peer [--adapter model[:OPTIONS] | so:PATH[,OPTIONS]] [--trace]
 *
 * The harness runs it as an exec: adapter (and for every so: adapter, which is how a shared
 * object ends up isolated in a child process). stdout carries frames and nothing else:
 * whatever the adapter itself prints there is redirected to stderr, where the peer also logs.
 * It exits 0 after CLOSE or at the end of its input, 2 on a broken stream or when the adapter
 * could not be loaded.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters.h"
#include "frame.h"

#ifndef VCF_VERSION
#define VCF_VERSION "0"
#endif

typedef struct peer {
    int in, out; /* the frame stream */
    bool trace;  /* log every frame on stderr */
    bool loaded; /* ad is usable */
    bool load_failed;
    bool greeted; /* HELLO came */
    char load_err[1024];
    vcf_adapter ad;
    void *dl; /* so: handle */
    uint8_t *rx, *tx;
    size_t rx_have;
    unsigned long long stream; /* bytes consumed so far */
    vcf_frame_scratch *scratch;
} peer;

__attribute__((format(printf, 1, 2))) static void logf_(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("vconform-peer: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void usage(FILE *f)
{
    fputs("usage: vconform-peer [--adapter model[:OPTIONS] | so:PATH[,OPTIONS]] [--trace]\n"
          "Serves the adapter over stdin/stdout with the stdio adapter protocol\n"
          "(docs/adapter-protocol.md). Default adapter: model.\n",
          f);
}

static void unload(peer *p)
{
    if (p->loaded && p->ad.close)
        p->ad.close(p->ad.ud);
    p->loaded = false;
    if (p->dl)
        dlclose(p->dl);
    p->dl = NULL;
}

static void load(peer *p, const char *spec)
{
    char err[sizeof p->load_err - 64];
    err[0] = '\0';
    int rc;
    if (strcmp(spec, "model") == 0 || strncmp(spec, "model:", 6) == 0)
        rc = vcf_model_adapter_init(spec[5] == ':' ? spec + 6 : "", &p->ad, err, sizeof err);
    else if (strncmp(spec, "so:", 3) == 0)
        rc = vcf_so_adapter_load(spec + 3, &p->ad, &p->dl, err, sizeof err);
    else {
        snprintf(err, sizeof err, "unknown adapter '%s': use model[:OPTIONS] or so:PATH[,OPTIONS]",
                 spec);
        rc = -1;
    }
    p->loaded = rc == 0;
    p->load_failed = !p->loaded;
    if (p->load_failed) {
        snprintf(p->load_err, sizeof p->load_err, "vconform-peer --adapter %s: %s", spec,
                 err[0] ? err : "cannot load the adapter");
        logf_("%s", p->load_err);
    }
}

static void finish(peer *p, int status)
{
    int code = p->load_failed ? 2 : status;
    unload(p);
    free(p->rx);
    free(p->tx);
    free(p->scratch);
    exit(code);
}

static void send_frame(peer *p, const vcf_frame *f)
{
    char err[256];
    size_t n = vcf_frame_encode(f, p->tx, VCF_FRAME_MAX, err, sizeof err);
    if (n == 0) {
        /* The adapter handed us something that cannot travel (say, 2 MiB of data): say so
         * instead of going silent. */
        logf_("cannot encode the reply: %s", err);
        vcf_frame e = {.op = f->op, .seq = f->seq, .rc = VCF_ADAPTER_ERROR, .reason = err};
        n = vcf_frame_encode(&e, p->tx, VCF_FRAME_MAX, NULL, 0);
        if (n == 0)
            finish(p, 2);
    }
    if (p->trace)
        logf_("-> %s reply seq %u rc %d (%zu bytes)", vcf_frame_op_name(f->op), (unsigned)f->seq,
              (int)f->rc, n);
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(p->out, p->tx + off, n - off);
        if (w > 0)
            off += (size_t)w;
        else if (w < 0 && errno == EINTR)
            continue;
        else {
            logf_("writing a reply: %s", w < 0 ? strerror(errno) : "no progress");
            finish(p, 2);
        }
    }
}

static void reply_rc(peer *p, const vcf_frame *req, int rc, const char *reason)
{
    vcf_frame r = {.op = (uint16_t)(req->op | VCF_FRAME_REPLY), .seq = req->seq};
    if (rc != VCF_ADAPTER_OK && rc != VCF_ADAPTER_UNSUPPORTED && rc != VCF_ADAPTER_ERROR) {
        logf_("%s returned %d, not a VCF_ADAPTER_* code", vcf_frame_op_name(req->op), rc);
        rc = VCF_ADAPTER_ERROR;
    }
    r.rc = rc;
    r.reason = reason;
    send_frame(p, &r);
}

static void handle(peer *p, const vcf_frame *req)
{
    vcf_frame r = {.op = (uint16_t)(req->op | VCF_FRAME_REPLY), .seq = req->seq};
    char why[1024] = "";
    vcf_adapter *ad = &p->ad;

    if (req->op == VCF_FOP_HELLO) {
        if (req->hello.magic != VCF_FRAME_MAGIC) {
            snprintf(why, sizeof why, "HELLO magic 0x%08x, expected 0x%08x (\"VCFP\")",
                     (unsigned)req->hello.magic, VCF_FRAME_MAGIC);
            reply_rc(p, req, VCF_ADAPTER_ERROR, why);
            return;
        }
        if (req->hello.proto == 0) {
            reply_rc(p, req, VCF_ADAPTER_ERROR, "protocol version 0 does not exist");
            return;
        }
        if (!p->loaded) {
            reply_rc(p, req, VCF_ADAPTER_ERROR, p->load_err);
            return;
        }
        p->greeted = true;
        r.hello.magic = VCF_FRAME_MAGIC;
        r.hello.proto = req->hello.proto < VCF_FRAME_VERSION ? req->hello.proto : VCF_FRAME_VERSION;
        r.hello.roles = ad->roles;
        r.hello.caps = ad->caps;
        r.hello.name = ad->name;
        r.hello.version = ad->version;
        send_frame(p, &r);
        return;
    }
    if (!p->greeted) {
        reply_rc(p, req, VCF_ADAPTER_ERROR, "HELLO must come first");
        return;
    }

    switch (req->op) {
    case VCF_FOP_RESET:
        if (!ad->reset) {
            reply_rc(p, req, VCF_ADAPTER_UNSUPPORTED, "the adapter has no reset operation");
            return;
        }
        r.rc = ad->reset(ad->ud, req->role, req->params, req->n_params, why, sizeof why);
        why[sizeof why - 1] = '\0';
        reply_rc(p, req, r.rc, why);
        return;
    case VCF_FOP_INJECT:
        if (!ad->inject) {
            reply_rc(p, req, VCF_ADAPTER_UNSUPPORTED, "the adapter has no inject operation");
            return;
        }
        reply_rc(p, req, ad->inject(ad->ud, &req->msg), "");
        return;
    case VCF_FOP_ACTION:
        if (!ad->action) {
            reply_rc(p, req, VCF_ADAPTER_UNSUPPORTED, "the adapter has no action operation");
            return;
        }
        r.rc = ad->action(ad->ud, &req->action, &r.result);
        if (r.rc == VCF_ADAPTER_OK) {
            send_frame(p, &r);
            return;
        }
        reply_rc(p, req, r.rc, ""); /* the adapter gives no reason; the harness names the action */
        return;
    case VCF_FOP_POLL: {
        if (!ad->poll) {
            reply_rc(p, req, VCF_ADAPTER_UNSUPPORTED, "the adapter has no poll operation");
            return;
        }
        vcf_adapter_obs obs;
        memset(&obs, 0, sizeof obs);
        int got = ad->poll(ad->ud, &obs);
        if (got < 0) {
            reply_rc(p, req, VCF_ADAPTER_ERROR, "poll failed");
            return;
        }
        r.obs = obs;
        if (got == 0)
            r.obs.kind = VCF_OBS_NONE;
        send_frame(p, &r);
        return;
    }
    case VCF_FOP_IDLE:
        r.idle = 1; /* no idle operation: idle once poll has nothing */
        if (ad->idle) {
            int idle = ad->idle(ad->ud);
            if (idle < 0) {
                reply_rc(p, req, VCF_ADAPTER_ERROR, "idle failed");
                return;
            }
            r.idle = idle ? 1u : 0u;
        }
        send_frame(p, &r);
        return;
    case VCF_FOP_CLOSE:
        unload(p);
        send_frame(p, &r);
        finish(p, 0);
        return;
    default: reply_rc(p, req, VCF_ADAPTER_UNSUPPORTED, "unknown operation"); return;
    }
}

/* Read until the buffer holds one whole frame; its size. Exits at the end of the input. */
static size_t next_frame(peer *p)
{
    size_t need = 4;
    for (;;) {
        if (p->rx_have >= 4) {
            char err[256];
            need = vcf_frame_size(p->rx, err, sizeof err);
            if (need == 0) {
                logf_("garbage on the input at stream offset %llu: %s; giving up", p->stream, err);
                finish(p, 2);
            }
            if (p->rx_have >= need)
                return need;
        }
        ssize_t r = read(p->in, p->rx + p->rx_have, VCF_FRAME_MAX - p->rx_have);
        if (r > 0) {
            p->rx_have += (size_t)r;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0 && p->rx_have == 0)
            finish(p, 0); /* the harness went away between frames: a normal end */
        if (r == 0)
            logf_("the input ended inside a frame at stream offset %llu (%zu of %zu bytes)",
                  p->stream, p->rx_have, need);
        else
            logf_("reading: %s", strerror(errno));
        finish(p, 2);
    }
}

int main(int argc, char **argv)
{
    const char *spec = "model";
    peer p;
    memset(&p, 0, sizeof p);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--adapter") == 0 && i + 1 < argc) {
            spec = argv[++i];
        } else if (strncmp(a, "--adapter=", 10) == 0) {
            spec = a + 10;
        } else if (strcmp(a, "--trace") == 0) {
            p.trace = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("vconform-peer %s (protocol version %u)\n", VCF_VERSION, VCF_FRAME_VERSION);
            return 0;
        } else {
            fprintf(stderr, "vconform-peer: unknown argument '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }

    /* Keep the frame stream to ourselves: the adapter's own output on stdout goes to stderr,
     * and it reads /dev/null if it reads stdin. */
    p.in = fcntl(0, F_DUPFD_CLOEXEC, 3);
    p.out = fcntl(1, F_DUPFD_CLOEXEC, 3);
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (p.in < 0 || p.out < 0 || devnull < 0 || dup2(2, 1) < 0 || dup2(devnull, 0) < 0) {
        logf_("cannot set up stdin/stdout: %s", strerror(errno));
        return 2;
    }
    close(devnull);
    signal(SIGPIPE, SIG_IGN); /* a harness that went away: EPIPE, then exit 2 */

    p.rx = malloc(VCF_FRAME_MAX);
    p.tx = malloc(VCF_FRAME_MAX);
    p.scratch = malloc(sizeof *p.scratch);
    if (!p.rx || !p.tx || !p.scratch) {
        logf_("out of memory");
        return 2;
    }
    load(&p, spec);

    for (;;) {
        size_t n = next_frame(&p);
        vcf_frame req;
        char err[512];
        int rc = vcf_frame_decode(p.rx, n, &req, p.scratch, err, sizeof err);
        if (p.trace)
            logf_("<- %s %s seq %u (%zu bytes)", vcf_frame_op_name(req.op),
                  (req.op & VCF_FRAME_REPLY) ? "reply" : "request", (unsigned)req.seq, n);
        if (rc == VCF_FRAME_UNKNOWN_OP) {
            char why[600];
            snprintf(why, sizeof why, "unknown op 0x%04x (this peer speaks protocol version %u)",
                     (unsigned)req.op, VCF_FRAME_VERSION);
            reply_rc(&p, &req, VCF_ADAPTER_UNSUPPORTED, why);
        } else if (rc != VCF_FRAME_OK) {
            char why[600];
            snprintf(why, sizeof why, "malformed request at stream offset %llu: %s", p.stream, err);
            logf_("%s", why);
            reply_rc(&p, &req, VCF_ADAPTER_ERROR, why);
        } else if (req.op & VCF_FRAME_REPLY) {
            reply_rc(&p, &req, VCF_ADAPTER_ERROR, "a reply frame where a request was expected");
        } else {
            handle(&p, &req);
        }
        /* The frame is consumed; keep whatever followed it. */
        memmove(p.rx, p.rx + n, p.rx_have - n);
        p.rx_have -= n;
        p.stream += n;
    }
}
