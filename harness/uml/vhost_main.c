/* SPDX-License-Identifier: MIT */
/*
 * vconform-vhost: the linux-uml adapter. Serves the stdio adapter protocol
 * (docs/adapter-protocol.md) on stdin/stdout for Linux's virtio_rpmsg_bus running in
 * User-Mode Linux:
 *
 *   vconform-vhost uml [OPTIONS]      OPTIONS: see uml_config.h (kernel=, agent=, log=, ...)
 *
 * `vconform run --adapter linux-uml[:OPTIONS]` runs it. Each RESET boots a fresh UML whose
 * only virtio device is an RPMsg device served here over vhost-user (the lower tester: vq0
 * injects, vq1 collects); the in-guest agent (/init) is the upper tester, reached over the
 * UML serial line ssl0, and this program is its client. Docs: docs/adapters.md (linux-uml).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "adapters.h"
#include "frame.h"
#include "frame_serve.h"
#include "uml_config.h"
#include "uml_console.h"
#include "uml_instance.h"

#ifndef VCF_VERSION
#define VCF_VERSION "0"
#endif

#define ANY_ADDR 0xFFFFFFFFu

/* An observation waiting for POLL; owns its bytes. */
typedef struct obs_item {
    vcf_adapter_obs obs;
    uint8_t *data;
    struct obs_item *next;
} obs_item;

typedef struct server {
    char setup_err[1024]; /* why the adapter cannot work at all (HELLO says it) */
    vcf_uml_opts opts;
    uml_inst *u;
    unsigned boots;
    obs_item *q_head, *q_tail;
    obs_item *given; /* the last one POLL returned: freed at the next call */
} server;

static server *g_srv;

__attribute__((format(printf, 1, 2))) static void logf_(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("vconform-vhost: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void usage(FILE *f)
{
    fputs("usage: vconform-vhost uml [OPTIONS]\n"
          "Serves the stdio adapter protocol (docs/adapter-protocol.md) on stdin/stdout for\n"
          "Linux's virtio_rpmsg_bus in User-Mode Linux (role rpmsg-driver). OPTIONS is one\n"
          "comma-separated list:\n"
          "  kernel=PATH       the UML kernel (default $VCONFORM_UML_KERNEL; build one with\n"
          "                    ci/uml/build-kernel.sh)\n"
          "  agent=PATH        the in-guest agent (default: vconform-uml-agent next to this\n"
          "                    program)\n"
          "  log=DIR           keep each case's kernel console in DIR/<case>.log\n"
          "  boot_timeout=SEC  boot and handshake limit (default 30)\n"
          "  life=SEC          hard limit of one UML instance (default 600)\n"
          "  mem=MB            UML memory (default 64)\n"
          "  trace             log frames and vhost-user requests on stderr\n",
          f);
}

static void on_signal(int sig)
{
    vcf_uml_stop = sig;
    if (g_srv)
        uml_kill_from_signal(g_srv->u);
}

/* ---- the observation queue ----------------------------------------------------------------- */

static void q_free_given(server *s)
{
    if (s->given) {
        free(s->given->data);
        free(s->given);
        s->given = NULL;
    }
}

static void q_clear(server *s)
{
    q_free_given(s);
    obs_item *i = s->q_head;
    while (i) {
        obs_item *n = i->next;
        free(i->data);
        free(i);
        i = n;
    }
    s->q_head = s->q_tail = NULL;
}

/* Append a copy of obs (its bytes copied). false on out of memory. */
static bool q_push(server *s, const vcf_adapter_obs *obs, const uint8_t *data, size_t len)
{
    obs_item *i = calloc(1, sizeof *i);
    uint8_t *d = malloc(len ? len : 1u);
    if (!i || !d) {
        free(i);
        free(d);
        return false;
    }
    if (len)
        memcpy(d, data, len);
    i->obs = *obs;
    i->data = d;
    if (obs->kind == VCF_OBS_MSG) {
        i->obs.msg.data = d;
        i->obs.msg.len = len;
    } else {
        i->obs.event.data = d;
        i->obs.event.len = len;
    }
    if (s->q_tail)
        s->q_tail->next = i;
    else
        s->q_head = i;
    s->q_tail = i;
    return true;
}

/* Move what the driver sent on vq1 into the queue. */
static bool q_take_tx(server *s)
{
    uml_txmsg *m;
    while ((m = uml_take_tx(s->u)) != NULL) {
        vcf_adapter_obs o;
        memset(&o, 0, sizeof o);
        o.kind = VCF_OBS_MSG;
        o.msg.channel = 1;
        o.msg.used_len = m->len;
        bool ok = q_push(s, &o, m->data, m->len);
        free(m->data);
        free(m);
        if (!ok)
            return false;
    }
    return true;
}

/* ---- the operations (served by frame_serve.c) --------------------------------------------- */

static int no_memory(char *why, size_t why_len)
{
    snprintf(why, why_len, "out of memory");
    return VCF_ADAPTER_ERROR;
}

/* Every operation but RESET needs a booted instance. */
static int need_running(server *s, char *why, size_t why_len)
{
    if (uml_running(s->u))
        return VCF_ADAPTER_OK;
    snprintf(why, why_len, "no UML instance is running (RESET first, or the last boot failed)");
    return VCF_ADAPTER_ERROR;
}

static int op_hello(void *ud, uint32_t *roles, uint32_t *caps, const char **name,
                    const char **version, char *why, size_t why_len)
{
    server *s = ud;
    if (s->setup_err[0]) {
        snprintf(why, why_len, "%s", s->setup_err);
        return VCF_ADAPTER_ERROR;
    }
    *roles = VCF_IUT_ROLE_BIT(VCF_IUT_RPMSG_DRIVER);
    *caps = VCF_ADAPTER_CAP_EVENTS | VCF_ADAPTER_CAP_IDLE;
    *name = "linux-uml";
    *version = uml_kernel_version(s->u);
    return VCF_ADAPTER_OK;
}

static int op_reset(void *ud, uint32_t role, const vcf_adapter_param *params, size_t n_params,
                    char *why, size_t why_len)
{
    server *s = ud;
    uint64_t features = 0;
    const char *case_id = NULL;
    q_clear(s);
    int rc = vcf_uml_check_reset(role, params, n_params, &features, &case_id, why, why_len);
    if (rc != VCF_ADAPTER_OK)
        return rc;
    char name[200];
    s->boots++;
    if (case_id && *case_id)
        vcf_uml_sanitize_name(case_id, name, sizeof name);
    else
        snprintf(name, sizeof name, "boot-%04u", s->boots);
    rc = uml_boot(s->u, features, role, params, n_params, name, why, why_len);
    if (rc == VCF_ADAPTER_OK)
        q_take_tx(s);
    else if (!why[0])
        snprintf(why, why_len, "the boot failed");
    return rc;
}

static int op_inject(void *ud, const vcf_adapter_msg *m, char *why, size_t why_len)
{
    server *s = ud;
    int rc = need_running(s, why, why_len);
    if (rc != VCF_ADAPTER_OK)
        return rc;
    if (m->channel != 0) {
        snprintf(why, why_len,
                 "inject on channel %u: only vq0 (device to driver) can carry a message to "
                 "Linux's driver",
                 (unsigned)m->channel);
        return VCF_ADAPTER_UNSUPPORTED;
    }
    if (m->capacity != 0 && m->capacity != 512) {
        snprintf(why, why_len,
                 "inject into a %zu-byte buffer: Linux posts 512-byte rx buffers only",
                 m->capacity);
        return VCF_ADAPTER_UNSUPPORTED;
    }
    rc = uml_inject(s->u, m, why, why_len);
    if (rc == VCF_ADAPTER_OK && !q_take_tx(s))
        return no_memory(why, why_len);
    return rc;
}

static int op_action(void *ud, const vcf_adapter_action *act, vcf_adapter_result *res, char *why,
                     size_t why_len)
{
    server *s = ud;
    int rc = need_running(s, why, why_len);
    if (rc != VCF_ADAPTER_OK)
        return rc;
    vcf_frame fwd = {.op = VCF_FOP_ACTION, .action = *act};
    const vcf_frame *rep = NULL;
    const vcf_action_info *info = vcf_adapter_action_info(act->kind);
    uml_note(s->u, "action %s (0x%x) args 0x%llx 0x%llx 0x%llx 0x%llx, %zu data bytes",
             info ? info->name : "?", (unsigned)act->kind, (unsigned long long)act->args[0],
             (unsigned long long)act->args[1], (unsigned long long)act->args[2],
             (unsigned long long)act->args[3], act->len);
    rc = uml_agent_call(s->u, &fwd, &rep, why, why_len);
    if (rc != VCF_ADAPTER_OK)
        return rc;
    if (rep->rc != VCF_ADAPTER_OK) {
        uml_note(s->u, "the agent answered %s: %s", vcf_adapter_rc_name(rep->rc), rep->reason);
        snprintf(why, why_len, "%s", rep->reason);
        return rep->rc;
    }
    *res = rep->result;
    uml_note(s->u, "action done: status %d, value 0x%llx", (int)res->status,
             (unsigned long long)res->value);
    rc = uml_pump_now(s->u, why, why_len);
    if (rc == VCF_ADAPTER_OK && !q_take_tx(s))
        return no_memory(why, why_len);
    return rc;
}

/* Pump, collect vq1, and ask the agent for its events until it has none. */
static int gather(server *s, char *why, size_t why_len)
{
    int rc = uml_pump_now(s->u, why, why_len);
    if (rc != VCF_ADAPTER_OK)
        return rc;
    if (!q_take_tx(s))
        return no_memory(why, why_len);
    for (unsigned i = 0; i < 100000; i++) {
        vcf_frame fwd = {.op = VCF_FOP_POLL};
        const vcf_frame *rep = NULL;
        rc = uml_agent_call(s->u, &fwd, &rep, why, why_len);
        if (rc != VCF_ADAPTER_OK)
            return rc;
        if (rep->rc != VCF_ADAPTER_OK) {
            snprintf(why, why_len, "the agent's POLL: %s", rep->reason[0] ? rep->reason : "failed");
            return VCF_ADAPTER_ERROR;
        }
        /* vq1 messages that came while the agent answered go first: they are older. */
        if (!q_take_tx(s))
            return no_memory(why, why_len);
        if (rep->obs.kind == VCF_OBS_NONE)
            return VCF_ADAPTER_OK;
        vcf_adapter_obs o = rep->obs;
        const uint8_t *data = o.kind == VCF_OBS_MSG ? o.msg.data : o.event.data;
        size_t len = o.kind == VCF_OBS_MSG ? o.msg.len : o.event.len;
        if (o.kind == VCF_OBS_EVENT && o.event.type == 0x100u && o.event.args[1] == ANY_ADDR) {
            uint64_t ept = o.event.args[0], addr = ANY_ADDR;
            if (uml_match_rx(s->u, &ept, &addr, o.event.args[2])) {
                o.event.args[0] = ept;
                o.event.args[1] = addr;
            } else {
                uml_note(s->u,
                         "deliver to 0x%llx (%llu bytes): no \"From: .., To: .., Len: ..\" "
                         "record fits; the source stays 0xFFFFFFFF",
                         (unsigned long long)o.event.args[0], (unsigned long long)o.event.args[2]);
            }
        }
        if (o.kind == VCF_OBS_EVENT) {
            const vcf_event_info *info = vcf_adapter_event_info(o.event.type);
            uml_note(s->u, "event %s ept 0x%llx addr 0x%llx len %llu, %zu data bytes",
                     info ? info->name : "?", (unsigned long long)o.event.args[0],
                     (unsigned long long)o.event.args[1], (unsigned long long)o.event.args[2], len);
        }
        if (!q_push(s, &o, data, len))
            return no_memory(why, why_len);
    }
    return VCF_ADAPTER_OK;
}

static int op_poll(void *ud, vcf_adapter_obs *obs, char *why, size_t why_len)
{
    server *s = ud;
    int rc = need_running(s, why, why_len);
    if (rc != VCF_ADAPTER_OK)
        return rc;
    q_free_given(s);
    if (!s->q_head) {
        rc = gather(s, why, why_len);
        if (rc != VCF_ADAPTER_OK)
            return rc;
    }
    obs_item *i = s->q_head;
    if (!i)
        return 0;
    s->q_head = i->next;
    if (!s->q_head)
        s->q_tail = NULL;
    s->given = i;
    *obs = i->obs;
    return 1;
}

static int op_idle(void *ud, char *why, size_t why_len)
{
    server *s = ud;
    int rc = need_running(s, why, why_len);
    if (rc == VCF_ADAPTER_OK)
        rc = uml_pump_now(s->u, why, why_len);
    if (rc == VCF_ADAPTER_OK && !q_take_tx(s))
        rc = no_memory(why, why_len);
    if (rc != VCF_ADAPTER_OK)
        return rc;
    if (s->q_head)
        return 0;
    vcf_frame fwd = {.op = VCF_FOP_IDLE};
    const vcf_frame *rep = NULL;
    rc = uml_agent_call(s->u, &fwd, &rep, why, why_len);
    if (rc != VCF_ADAPTER_OK)
        return rc;
    if (rep->rc != VCF_ADAPTER_OK) {
        snprintf(why, why_len, "%s", rep->reason[0] ? rep->reason : "the agent's IDLE failed");
        return VCF_ADAPTER_ERROR;
    }
    uint32_t agent_idle = rep->idle;
    (void)uml_pump_now(s->u, why, why_len);
    why[0] = '\0';
    q_take_tx(s);
    return agent_idle && !s->q_head ? 1 : 0;
}

/* CLOSE is answered first (the harness gives a closing adapter about a second); then the guest
 * is powered off and everything cleaned up. */
static void op_close(void *ud)
{
    server *s = ud;
    uml_shutdown(s->u, true);
}

/* Between requests: stop on a signal, and keep the instance's pump going so that the console
 * and the vhost-user socket never stall. */
static int op_waiting(void *ud)
{
    server *s = ud;
    if (vcf_uml_stop)
        return 128 + (int)vcf_uml_stop;
    if (uml_running(s->u)) {
        char ignored[64];
        (void)uml_pump_now(s->u, ignored, sizeof ignored);
    }
    return 0;
}

/* ---- start-up ------------------------------------------------------------------------------ */

/* vconform-uml-agent next to this executable. */
static void default_agent(char *out, size_t len)
{
    char dir[PATH_MAX];
    int w =
        vcf_exe_dir(dir, sizeof dir) == 0 ? snprintf(out, len, "%s/vconform-uml-agent", dir) : -1;
    if (w < 0 || (size_t)w >= len)
        snprintf(out, len, "vconform-uml-agent");
}

static void check_setup(server *s)
{
    vcf_uml_opts *o = &s->opts;
    if (!o->kernel[0]) {
        snprintf(s->setup_err, sizeof s->setup_err,
                 "linux-uml: no UML kernel: set VCONFORM_UML_KERNEL or give kernel=PATH "
                 "(build one with ci/uml/build-kernel.sh)");
    } else if (access(o->kernel, X_OK) != 0) {
        snprintf(s->setup_err, sizeof s->setup_err,
                 "linux-uml: the UML kernel %.900s: %s (build one with ci/uml/build-kernel.sh)",
                 o->kernel, strerror(errno));
    } else if (access(o->agent, R_OK) != 0) {
        snprintf(s->setup_err, sizeof s->setup_err,
                 "linux-uml: the in-guest agent %.900s: %s (give agent=PATH)", o->agent,
                 strerror(errno));
    } else if (o->log_dir[0] && access(o->log_dir, W_OK) != 0) {
        snprintf(s->setup_err, sizeof s->setup_err, "linux-uml: log directory %.900s: %s",
                 o->log_dir, strerror(errno));
    }
    if (s->setup_err[0])
        logf_("%s", s->setup_err);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        usage(stdout);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("vconform-vhost %s (protocol version %u)\n", VCF_VERSION, VCF_FRAME_VERSION);
        return 0;
    }
    if (argc < 2 || argc > 3 || strcmp(argv[1], "uml") != 0) {
        usage(stderr);
        return 2;
    }
    static server state;
    server *s = &state;

    char err[1024] = "";
    if (vcf_uml_opts_parse(argc == 3 ? argv[2] : "", getenv("VCONFORM_UML_KERNEL"), &s->opts, err,
                           sizeof err) != 0)
        snprintf(s->setup_err, sizeof s->setup_err, "%s", err);
    if (!s->opts.agent[0])
        default_agent(s->opts.agent, sizeof s->opts.agent);
    if (!s->setup_err[0])
        check_setup(s);
    else
        logf_("%s", s->setup_err);

    /* Keep the frame stream to ourselves: stdout becomes stderr, stdin /dev/null. */
    int in = fcntl(0, F_DUPFD_CLOEXEC, 3);
    int out = fcntl(1, F_DUPFD_CLOEXEC, 3);
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (in < 0 || out < 0 || devnull < 0 || dup2(2, 1) < 0 || dup2(devnull, 0) < 0) {
        logf_("cannot set up stdin/stdout: %s", strerror(errno));
        return 2;
    }
    close(devnull);
    signal(SIGPIPE, SIG_IGN);
    /* UML calls setsid() and outlives `timeout` when that is killed: as a subreaper this
     * process gets UML's orphans back, reaps them, and can wait until they are gone. */
    (void)prctl(PR_SET_CHILD_SUBREAPER, 1);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    s->u = uml_new(&s->opts);
    if (!s->u) {
        logf_("out of memory");
        return 2;
    }
    g_srv = s;

    vcf_frame_server srv = {.in = in,
                            .out = out,
                            .prog = "vconform-vhost",
                            .trace = s->opts.trace,
                            .ud = s,
                            .hello = op_hello,
                            .reset = op_reset,
                            .inject = op_inject,
                            .action = op_action,
                            .poll = op_poll,
                            .idle = op_idle,
                            .close = op_close,
                            .reply_before_close = true,
                            .waiting = op_waiting};
    int status = vcf_frame_serve(&srv);
    g_srv = NULL;
    uml_free(s->u);
    q_clear(s);
    return status;
}
