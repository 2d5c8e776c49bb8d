/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target "diff": differential fuzzing of an implementation against the reference
 * (docs/fuzzing-diff.md).
 *
 * Each input is a script (script.h). It is played against the reference and against the
 * implementation (play.h), and the two logs are compared (diff.h): any divergence in return
 * code, action result, emitted bytes or upper-layer events is a finding, printed as a decoded
 * side-by-side account before vcf_fuzz_finding() aborts.
 *
 * Environment (read once, in LLVMFuzzerInitialize):
 *
 *   VCONFORM_FUZZ_ADAPTER    the implementation (default "model"), as the harness spells it:
 *                            model[:fault=NAME,profile=NAME], so:PATH[,OPTIONS], exec:CMD
 *   VCONFORM_FUZZ_REFERENCE  the reference (default "model": the strict profile;
 *                            e.g. "model:profile=linux")
 *   VCONFORM_FUZZ_ISOLATE=1  run so: adapters in a child process (vconform-peer) as the harness
 *                            does, instead of loading them into this process
 *   VCONFORM_FUZZ_ROLE       play every script in this role (rpmsg-driver, ...), whatever its
 *                            role byte says: for an implementation of one role
 *   VCONFORM_FUZZ_TIMEOUT    seconds one operation of an exec: or isolated so: adapter may take
 *                            (default 5)
 *   VCONFORM_PEER            the vconform-peer executable for isolated so: adapters (default:
 *                            the one of this build)
 *
 * so: adapters are loaded in-process by default, so that a crash in the implementation is a
 * crash the engine saves and minimises, and so that the engine sees the implementation's own
 * coverage when it is built with -fsanitize=fuzzer-no-link or afl-clang-fast.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters.h"
#include "diff.h"
#include "fuzz.h"
#include "play.h"

typedef struct side {
    const char *what; /* "implementation" or "reference" */
    char spec[1024];
    char name[1200]; /* the spec and how it runs, for the banner and the account */
    vcf_hadapter h;  /* model, exec:, isolated so: */
    vcf_adapter so;  /* in-process so: */
    void *dl;
    const vcf_adapter *ad;
} side;

static side g_impl = {.what = "implementation"}, g_ref = {.what = "reference"};
static vcf_diff_shim g_shim, g_ref_shim; /* the implementation's; the reference's (padding) */
static vcf_play_options g_opt;
static bool g_ready;
static bool g_isolate;
static double g_timeout = 5.0;
static pid_t g_pid; /* the process that started the adapters' children */

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...);

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz_diff: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static const char *peer_path(void)
{
    const char *p = getenv("VCONFORM_PEER");
    if (p && *p)
        return p;
#ifdef VCF_FUZZ_PEER_PATH
    return VCF_FUZZ_PEER_PATH;
#else
    return NULL;
#endif
}

static void open_side(side *sd, const char *env, const char *dflt, bool isolate, double timeout)
{
    const char *spec = getenv(env);
    if (!spec || !*spec)
        spec = dflt;
    if (strlen(spec) >= sizeof sd->spec)
        die("%s: the adapter spec is longer than %zu bytes", env, sizeof sd->spec - 1u);
    snprintf(sd->spec, sizeof sd->spec, "%s", spec);
    char err[1024] = "";
    const char *how;
    if (strncmp(spec, "so:", 3) == 0 && !isolate) {
        if (vcf_so_adapter_load(spec + 3, &sd->so, &sd->dl, err, sizeof err) != 0)
            die("%s=%s: %s", env, spec, err);
        sd->ad = &sd->so;
        how = "in-process";
    } else {
        int rc = strncmp(spec, "so:", 3) == 0
                     ? vcf_so_adapter_open(spec + 3, peer_path(), &sd->h, err, sizeof err)
                     : vcf_hadapter_open(spec, &sd->h, err, sizeof err);
        if (rc != 0)
            die("%s=%s: %s (adapter specs: model[:fault=NAME,profile=NAME], so:PATH[,OPTIONS], "
                "exec:CMD; docs/fuzzing-diff.md)",
                env, spec, err);
        if (sd->h.set_timeout)
            sd->h.set_timeout(sd->h.ad.ud, timeout);
        sd->ad = &sd->h.ad;
        how = strncmp(spec, "so:", 3) == 0     ? "isolated in vconform-peer"
              : strncmp(spec, "exec:", 5) == 0 ? "child process"
                                               : "in-process";
    }
    const char *an = sd->ad->name ? sd->ad->name : "unnamed";
    const char *av = sd->ad->version ? sd->ad->version : "";
    snprintf(sd->name, sizeof sd->name, "%s (%s, %s%s%s)", sd->spec, how, an, *av ? " " : "", av);
}

/* A side whose implementation runs in a child process (exec:, isolated so:). */
static bool has_child(const side *sd)
{
    return sd->ad == &sd->h.ad && sd->h.restart != NULL;
}

/* In a process forked after LLVMFuzzerInitialize (AFL++'s fork server), the children and their
 * pipes belong to the parent: leave them alone and start this process's own. */
static void own_children(void)
{
    if (getpid() == g_pid)
        return;
    g_pid = getpid();
    side *sides[2] = {&g_impl, &g_ref};
    for (int i = 0; i < 2; i++)
        if (has_child(sides[i])) {
            memset(&sides[i]->h, 0, sizeof sides[i]->h);
            open_side(sides[i], i == 0 ? "VCONFORM_FUZZ_ADAPTER" : "VCONFORM_FUZZ_REFERENCE",
                      "model", g_isolate, g_timeout);
        }
}

static void close_sides(void)
{
    /* exec: and isolated so: children are told to close and reaped; in-process tables closed.
     * A forked process that never started children of its own leaves the parent's alone. */
    if (getpid() != g_pid)
        return;
    if (g_impl.ad == &g_impl.so && g_impl.so.close)
        g_impl.so.close(g_impl.so.ud);
    else
        vcf_hadapter_close(&g_impl.h);
    if (g_ref.ad == &g_ref.so && g_ref.so.close)
        g_ref.so.close(g_ref.so.ud);
    else
        vcf_hadapter_close(&g_ref.h);
    vcf_diff_shim_free(&g_shim);
    vcf_diff_shim_free(&g_ref_shim);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (g_ready)
        return 0;
    const char *iso = getenv("VCONFORM_FUZZ_ISOLATE");
    g_isolate = iso && *iso && strcmp(iso, "0") != 0;
    const char *t = getenv("VCONFORM_FUZZ_TIMEOUT");
    if (t && *t) {
        char *end = NULL;
        g_timeout = strtod(t, &end);
        if (!end || *end || !(g_timeout > 0.0) || g_timeout > 3600.0)
            die("VCONFORM_FUZZ_TIMEOUT=%s: expected seconds, more than 0 and at most 3600", t);
    }
    memset(&g_opt, 0, sizeof g_opt);
    const char *role = getenv("VCONFORM_FUZZ_ROLE");
    if (role && *role && vcf_iut_role_parse(role, &g_opt.role) != 0)
        die("VCONFORM_FUZZ_ROLE=%s: expected rpmsg-driver, rpmsg-device, virtio-msg-device, "
            "virtio-msg-driver or virtio-msg-bus",
            role);
    open_side(&g_impl, "VCONFORM_FUZZ_ADAPTER", "model", g_isolate, g_timeout);
    open_side(&g_ref, "VCONFORM_FUZZ_REFERENCE", "model", g_isolate, g_timeout);
    g_pid = getpid();
    atexit(close_sides);
    fprintf(stderr, "fuzz_diff: implementation %s vs reference %s%s%s\n", g_impl.name, g_ref.name,
            g_opt.role ? ", role " : "", g_opt.role ? vcf_iut_role_name(g_opt.role) : "");
    g_ready = true;
    return 0;
}

static const char *last_error(const side *sd)
{
    if (sd->ad != &sd->h.ad || !sd->h.last_error)
        return NULL;
    const char *e = sd->h.last_error(sd->h.ad.ud);
    return e && *e ? e : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_ready)
        LLVMFuzzerInitialize(NULL, NULL);
    own_children();
    vcf_play_log ref, imp;
    vcf_diff_shim_init(&g_ref_shim, g_ref.ad, NULL);
    vcf_play(&g_ref_shim.ad, data, size, &g_opt, &ref);
    if (ref.end == VCF_PLAY_END_ERROR && g_ref.ad == &g_ref.h.ad && g_ref.h.restart) {
        /* The reference itself failed (an exec: reference that died): not the implementation's
         * finding; start it afresh for the next input. */
        const char *e = last_error(&g_ref);
        fprintf(stderr, "fuzz_diff: the reference failed: %s%s%s\n", ref.why, e ? ": " : "",
                e ? e : "");
        g_ref.h.restart(g_ref.h.ad.ud);
    }
    vcf_diff_result r;
    if (ref.end == VCF_PLAY_END_BAD_SCRIPT || ref.end == VCF_PLAY_END_RESET) {
        memset(&imp, 0, sizeof imp);
        vcf_diff_compare(&ref, &imp, &r);
        if (vcf_fuzz_explain)
            vcf_diff_print(vcf_fuzz_explain, &ref, &imp, &r, g_ref.spec, g_impl.spec, NULL);
        vcf_play_log_free(&ref);
        return 0;
    }
    vcf_diff_shim_init(&g_shim, g_impl.ad, &ref);
    vcf_play(&g_shim.ad, data, size, &g_opt, &imp);
    vcf_diff_compare(&ref, &imp, &r);
    if (r.verdict == VCF_DIFF_DIVERGED) {
        vcf_diff_print(stderr, &ref, &imp, &r, g_ref.spec, g_impl.spec, &g_shim);
        /* the adapter's last error belongs to this input only when the play ended on one */
        const char *e = imp.end == VCF_PLAY_END_ERROR ? last_error(&g_impl) : NULL;
        if (e)
            fprintf(stderr, "implementation error: %s\n", e);
        if (e && strstr(r.what, e))
            e = NULL; /* already said */
        fflush(stderr);
        if (vcf_fuzz_explain)
            fflush(vcf_fuzz_explain); /* the replay runner's "== FILE" line names the input */
        vcf_fuzz_finding("diff: %s%s%s", r.what, e ? ": " : "", e ? e : "");
    }
    if (vcf_fuzz_explain)
        vcf_diff_print(vcf_fuzz_explain, &ref, &imp, &r, g_ref.spec, g_impl.spec, &g_shim);
    if (imp.end == VCF_PLAY_END_ERROR && g_impl.ad == &g_impl.h.ad && g_impl.h.restart)
        g_impl.h.restart(g_impl.h.ad.ud);
    vcf_play_log_free(&imp);
    vcf_play_log_free(&ref);
    return 0;
}
