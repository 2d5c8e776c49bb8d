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
#include "frame_serve.h"

#ifndef VCF_VERSION
#define VCF_VERSION "0"
#endif

typedef struct peer {
    bool loaded; /* ad is usable */
    bool load_failed;
    char load_err[1024];
    vcf_adapter ad;
    void *dl; /* so: handle */
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

/* ---- the adapter table, served (frame_serve.h) ------------------------------------------- */

static int peer_hello(void *ud, uint32_t *roles, uint32_t *caps, const char **name,
                      const char **version, char *why, size_t why_len)
{
    peer *p = ud;
    if (!p->loaded) {
        snprintf(why, why_len, "%s", p->load_err);
        return VCF_ADAPTER_ERROR;
    }
    *roles = p->ad.roles;
    *caps = p->ad.caps;
    *name = p->ad.name;
    *version = p->ad.version;
    return VCF_ADAPTER_OK;
}

static int peer_reset(void *ud, uint32_t role, const vcf_adapter_param *params, size_t n_params,
                      char *why, size_t why_len)
{
    vcf_adapter *ad = &((peer *)ud)->ad;
    if (!ad->reset) {
        snprintf(why, why_len, "the adapter has no reset operation");
        return VCF_ADAPTER_UNSUPPORTED;
    }
    return ad->reset(ad->ud, role, params, n_params, why, why_len);
}

static int peer_inject(void *ud, const vcf_adapter_msg *msg, char *why, size_t why_len)
{
    vcf_adapter *ad = &((peer *)ud)->ad;
    if (!ad->inject) {
        snprintf(why, why_len, "the adapter has no inject operation");
        return VCF_ADAPTER_UNSUPPORTED;
    }
    return ad->inject(ad->ud, msg);
}

static int peer_action(void *ud, const vcf_adapter_action *act, vcf_adapter_result *res, char *why,
                       size_t why_len)
{
    vcf_adapter *ad = &((peer *)ud)->ad;
    if (!ad->action) {
        snprintf(why, why_len, "the adapter has no action operation");
        return VCF_ADAPTER_UNSUPPORTED;
    }
    /* The ABI gives no reason for a failed action; the harness names the action. */
    return ad->action(ad->ud, act, res);
}

static int peer_poll(void *ud, vcf_adapter_obs *obs, char *why, size_t why_len)
{
    vcf_adapter *ad = &((peer *)ud)->ad;
    if (!ad->poll) {
        snprintf(why, why_len, "the adapter has no poll operation");
        return VCF_ADAPTER_UNSUPPORTED;
    }
    memset(obs, 0, sizeof *obs);
    int got = ad->poll(ad->ud, obs);
    return got < 0 ? VCF_ADAPTER_ERROR : got; /* any failure of the table's poll is an ERROR */
}

static int peer_idle(void *ud, char *why, size_t why_len)
{
    (void)why;
    (void)why_len;
    vcf_adapter *ad = &((peer *)ud)->ad;
    if (!ad->idle)
        return 1; /* no idle operation: idle once poll has nothing */
    int idle = ad->idle(ad->ud);
    return idle < 0 ? VCF_ADAPTER_ERROR : idle;
}

static void peer_close(void *ud)
{
    unload(ud);
}

int main(int argc, char **argv)
{
    const char *spec = "model";
    peer p;
    memset(&p, 0, sizeof p);
    bool trace = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--adapter") == 0 && i + 1 < argc) {
            spec = argv[++i];
        } else if (strncmp(a, "--adapter=", 10) == 0) {
            spec = a + 10;
        } else if (strcmp(a, "--trace") == 0) {
            trace = true;
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
    int in = fcntl(0, F_DUPFD_CLOEXEC, 3);
    int out = fcntl(1, F_DUPFD_CLOEXEC, 3);
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (in < 0 || out < 0 || devnull < 0 || dup2(2, 1) < 0 || dup2(devnull, 0) < 0) {
        logf_("cannot set up stdin/stdout: %s", strerror(errno));
        return 2;
    }
    close(devnull);
    signal(SIGPIPE, SIG_IGN); /* a harness that went away: EPIPE, then exit 2 */

    load(&p, spec);
    vcf_frame_server srv = {.in = in,
                            .out = out,
                            .prog = "vconform-peer",
                            .trace = trace,
                            .ud = &p,
                            .hello = peer_hello,
                            .reset = peer_reset,
                            .inject = peer_inject,
                            .action = peer_action,
                            .poll = peer_poll,
                            .idle = peer_idle,
                            .close = peer_close};
    int status = vcf_frame_serve(&srv);
    unload(&p);
    return p.load_failed ? 2 : status;
}
