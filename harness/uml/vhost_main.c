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
    int in, out;
    bool trace;
    bool greeted;
    char setup_err[1024]; /* why the adapter cannot work at all (HELLO says it) */
    vcf_uml_opts opts;
    uml_inst *u;
    unsigned boots;
    uint8_t *rx, *tx;
    size_t rx_have;
    unsigned long long stream;
    vcf_frame_scratch *scratch;
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

/* ---- the frame stream ------------------------------------------------------------------------ */

static void finish(server *s, int status)
{
    if (s->u) {
        uml_free(s->u);
        s->u = NULL;
    }
    q_clear(s);
    free(s->rx);
    free(s->tx);
    free(s->scratch);
    exit(status);
}

static void send_frame(server *s, const vcf_frame *f)
{
    char err[256];
    size_t n = vcf_frame_encode(f, s->tx, VCF_FRAME_MAX, err, sizeof err);
    if (n == 0) {
        logf_("cannot encode the reply: %s", err);
        vcf_frame e = {.op = f->op, .seq = f->seq, .rc = VCF_ADAPTER_ERROR, .reason = err};
        n = vcf_frame_encode(&e, s->tx, VCF_FRAME_MAX, NULL, 0);
        if (n == 0)
            finish(s, 2);
    }
    if (s->trace)
        logf_("-> %s reply seq %u rc %d (%zu bytes)", vcf_frame_op_name(f->op), (unsigned)f->seq,
              (int)f->rc, n);
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(s->out, s->tx + off, n - off);
        if (w > 0)
            off += (size_t)w;
        else if (w < 0 && errno == EINTR)
            continue;
        else {
            logf_("writing a reply: %s", w < 0 ? strerror(errno) : "no progress");
            finish(s, 2);
        }
    }
}

static void reply_rc(server *s, const vcf_frame *req, int rc, const char *reason)
{
    vcf_frame r = {.op = (uint16_t)(req->op | VCF_FRAME_REPLY), .seq = req->seq};
    r.rc = rc;
    r.reason = reason;
    send_frame(s, &r);
}

/* Read until one whole request is buffered; its size. While waiting, keep the instance's
 * pump going so that the console and the vhost-user socket never stall. */
static size_t next_frame(server *s)
{
    size_t need = 4;
    for (;;) {
        if (vcf_uml_stop)
            finish(s, 128 + (int)vcf_uml_stop);
        if (s->rx_have >= 4) {
            char err[256];
            need = vcf_frame_size(s->rx, err, sizeof err);
            if (need == 0) {
                logf_("garbage on the input at stream offset %llu: %s; giving up", s->stream, err);
                finish(s, 2);
            }
            if (s->rx_have >= need)
                return need;
        }
        if (uml_running(s->u)) {
            struct pollfd p = {s->in, POLLIN, 0};
            int r = poll(&p, 1, 50);
            if (r == 0 || (r < 0 && errno == EINTR)) {
                char ignored[64];
                (void)uml_pump_now(s->u, ignored, sizeof ignored);
                continue;
            }
        }
        ssize_t r = read(s->in, s->rx + s->rx_have, VCF_FRAME_MAX - s->rx_have);
        if (r > 0) {
            s->rx_have += (size_t)r;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0 && s->rx_have == 0)
            finish(s, 0); /* the harness went away between frames */
        if (r == 0)
            logf_("the input ended inside a frame at stream offset %llu (%zu of %zu bytes)",
                  s->stream, s->rx_have, need);
        else
            logf_("reading: %s", strerror(errno));
        finish(s, 2);
    }
}

/* ---- the operations ---------------------------------------------------------------------- */

static void op_hello(server *s, const vcf_frame *req)
{
    if (req->hello.magic != VCF_FRAME_MAGIC) {
        char why[128];
        snprintf(why, sizeof why, "HELLO magic 0x%08x, expected 0x%08x (\"VCFP\")",
                 (unsigned)req->hello.magic, VCF_FRAME_MAGIC);
        reply_rc(s, req, VCF_ADAPTER_ERROR, why);
        return;
    }
    if (req->hello.proto == 0) {
        reply_rc(s, req, VCF_ADAPTER_ERROR, "protocol version 0 does not exist");
        return;
    }
    if (s->setup_err[0]) {
        reply_rc(s, req, VCF_ADAPTER_ERROR, s->setup_err);
        return;
    }
    s->greeted = true;
    vcf_frame r = {.op = (uint16_t)(req->op | VCF_FRAME_REPLY), .seq = req->seq};
    r.hello.magic = VCF_FRAME_MAGIC;
    r.hello.proto = VCF_FRAME_VERSION;
    r.hello.roles = VCF_IUT_ROLE_BIT(VCF_IUT_RPMSG_DRIVER);
    r.hello.caps = VCF_ADAPTER_CAP_EVENTS | VCF_ADAPTER_CAP_IDLE;
    r.hello.name = "linux-uml";
    r.hello.version = uml_kernel_version(s->u);
    send_frame(s, &r);
}

static void op_reset(server *s, const vcf_frame *req)
{
    char why[2048] = "";
    uint64_t features = 0;
    const char *case_id = NULL;
    q_clear(s);
    int rc = vcf_uml_check_reset(req->role, req->params, req->n_params, &features, &case_id, why,
                                 sizeof why);
    if (rc != VCF_ADAPTER_OK) {
        reply_rc(s, req, rc, why);
        return;
    }
    char name[200];
    s->boots++;
    if (case_id && *case_id)
        vcf_uml_sanitize_name(case_id, name, sizeof name);
    else
        snprintf(name, sizeof name, "boot-%04u", s->boots);
    rc = uml_boot(s->u, features, req->role, req->params, req->n_params, name, why, sizeof why);
    if (rc == VCF_ADAPTER_OK)
        q_take_tx(s);
    reply_rc(s, req, rc, rc == VCF_ADAPTER_OK ? "" : why);
}

static void op_inject(server *s, const vcf_frame *req)
{
    char why[2048] = "";
    const vcf_adapter_msg *m = &req->msg;
    if (m->channel != 0) {
        snprintf(why, sizeof why,
                 "inject on channel %u: only vq0 (device to driver) can carry a message to "
                 "Linux's driver",
                 (unsigned)m->channel);
        reply_rc(s, req, VCF_ADAPTER_UNSUPPORTED, why);
        return;
    }
    if (m->capacity != 0 && m->capacity != 512) {
        snprintf(why, sizeof why,
                 "inject into a %zu-byte buffer: Linux posts 512-byte rx buffers only",
                 m->capacity);
        reply_rc(s, req, VCF_ADAPTER_UNSUPPORTED, why);
        return;
    }
    int rc = uml_inject(s->u, m, why, sizeof why);
    if (rc == VCF_ADAPTER_OK && !q_take_tx(s)) {
        rc = VCF_ADAPTER_ERROR;
        snprintf(why, sizeof why, "out of memory");
    }
    reply_rc(s, req, rc, rc == VCF_ADAPTER_OK ? "" : why);
}

static void op_action(server *s, const vcf_frame *req)
{
    char why[2048] = "";
    vcf_frame fwd = {.op = VCF_FOP_ACTION, .action = req->action};
    const vcf_frame *rep = NULL;
    const vcf_action_info *info = vcf_adapter_action_info(req->action.kind);
    uml_note(s->u, "action %s (0x%x) args 0x%llx 0x%llx 0x%llx 0x%llx, %zu data bytes",
             info ? info->name : "?", (unsigned)req->action.kind,
             (unsigned long long)req->action.args[0], (unsigned long long)req->action.args[1],
             (unsigned long long)req->action.args[2], (unsigned long long)req->action.args[3],
             req->action.len);
    int rc = uml_agent_call(s->u, &fwd, &rep, why, sizeof why);
    if (rc != VCF_ADAPTER_OK) {
        reply_rc(s, req, rc, why);
        return;
    }
    if (rep->rc != VCF_ADAPTER_OK) {
        uml_note(s->u, "the agent answered %s: %s", vcf_adapter_rc_name(rep->rc), rep->reason);
        reply_rc(s, req, rep->rc, rep->reason);
        return;
    }
    vcf_frame r = {.op = (uint16_t)(req->op | VCF_FRAME_REPLY), .seq = req->seq};
    r.result = rep->result;
    uml_note(s->u, "action done: status %d, value 0x%llx", (int)r.result.status,
             (unsigned long long)r.result.value);
    rc = uml_pump_now(s->u, why, sizeof why);
    if (rc == VCF_ADAPTER_OK && !q_take_tx(s)) {
        rc = VCF_ADAPTER_ERROR;
        snprintf(why, sizeof why, "out of memory");
    }
    if (rc != VCF_ADAPTER_OK) {
        reply_rc(s, req, rc, why);
        return;
    }
    send_frame(s, &r);
}

/* Pump, collect vq1, and ask the agent for its events until it has none. */
static int gather(server *s, char *why, size_t why_len)
{
    int rc = uml_pump_now(s->u, why, why_len);
    if (rc != VCF_ADAPTER_OK)
        return rc;
    if (!q_take_tx(s)) {
        snprintf(why, why_len, "out of memory");
        return VCF_ADAPTER_ERROR;
    }
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
        if (!q_take_tx(s)) {
            snprintf(why, why_len, "out of memory");
            return VCF_ADAPTER_ERROR;
        }
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
        if (!q_push(s, &o, data, len)) {
            snprintf(why, why_len, "out of memory");
            return VCF_ADAPTER_ERROR;
        }
    }
    return VCF_ADAPTER_OK;
}

static void op_poll(server *s, const vcf_frame *req)
{
    char why[2048] = "";
    q_free_given(s);
    if (!s->q_head) {
        int rc = gather(s, why, sizeof why);
        if (rc != VCF_ADAPTER_OK) {
            reply_rc(s, req, rc, why);
            return;
        }
    }
    vcf_frame r = {.op = (uint16_t)(req->op | VCF_FRAME_REPLY), .seq = req->seq};
    obs_item *i = s->q_head;
    if (!i) {
        r.obs.kind = VCF_OBS_NONE;
        send_frame(s, &r);
        return;
    }
    s->q_head = i->next;
    if (!s->q_head)
        s->q_tail = NULL;
    s->given = i;
    r.obs = i->obs;
    send_frame(s, &r);
}

static void op_idle(server *s, const vcf_frame *req)
{
    char why[2048] = "";
    int rc = uml_pump_now(s->u, why, sizeof why);
    if (rc == VCF_ADAPTER_OK && !q_take_tx(s)) {
        rc = VCF_ADAPTER_ERROR;
        snprintf(why, sizeof why, "out of memory");
    }
    if (rc != VCF_ADAPTER_OK) {
        reply_rc(s, req, rc, why);
        return;
    }
    vcf_frame r = {.op = (uint16_t)(req->op | VCF_FRAME_REPLY), .seq = req->seq};
    if (s->q_head) {
        r.idle = 0;
        send_frame(s, &r);
        return;
    }
    vcf_frame fwd = {.op = VCF_FOP_IDLE};
    const vcf_frame *rep = NULL;
    rc = uml_agent_call(s->u, &fwd, &rep, why, sizeof why);
    if (rc != VCF_ADAPTER_OK) {
        reply_rc(s, req, rc, why);
        return;
    }
    if (rep->rc != VCF_ADAPTER_OK) {
        reply_rc(s, req, VCF_ADAPTER_ERROR,
                 rep->reason[0] ? rep->reason : "the agent's IDLE failed");
        return;
    }
    uint32_t agent_idle = rep->idle;
    (void)uml_pump_now(s->u, why, sizeof why);
    q_take_tx(s);
    r.idle = agent_idle && !s->q_head ? 1u : 0u;
    send_frame(s, &r);
}

static void handle(server *s, const vcf_frame *req)
{
    if (req->op == VCF_FOP_HELLO) {
        op_hello(s, req);
        return;
    }
    if (!s->greeted) {
        reply_rc(s, req, VCF_ADAPTER_ERROR, "HELLO must come first");
        return;
    }
    if (req->op != VCF_FOP_RESET && req->op != VCF_FOP_CLOSE && !uml_running(s->u)) {
        reply_rc(s, req, VCF_ADAPTER_ERROR,
                 "no UML instance is running (RESET first, or the last boot failed)");
        return;
    }
    switch (req->op) {
    case VCF_FOP_RESET: op_reset(s, req); return;
    case VCF_FOP_INJECT: op_inject(s, req); return;
    case VCF_FOP_ACTION: op_action(s, req); return;
    case VCF_FOP_POLL: op_poll(s, req); return;
    case VCF_FOP_IDLE: op_idle(s, req); return;
    case VCF_FOP_CLOSE: {
        /* Answer first (the harness gives a closing adapter about a second), then power the
         * guest off and clean up. */
        vcf_frame r = {.op = (uint16_t)(req->op | VCF_FRAME_REPLY), .seq = req->seq};
        send_frame(s, &r);
        uml_shutdown(s->u, true);
        finish(s, 0);
        return;
    }
    default: reply_rc(s, req, VCF_ADAPTER_UNSUPPORTED, "unknown operation"); return;
    }
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
    static server srv;
    server *s = &srv;
    s->in = s->out = -1;

    char err[1024] = "";
    if (vcf_uml_opts_parse(argc == 3 ? argv[2] : "", getenv("VCONFORM_UML_KERNEL"), &s->opts, err,
                           sizeof err) != 0)
        snprintf(s->setup_err, sizeof s->setup_err, "%s", err);
    if (!s->opts.agent[0])
        default_agent(s->opts.agent, sizeof s->opts.agent);
    s->trace = s->opts.trace;
    if (!s->setup_err[0])
        check_setup(s);
    else
        logf_("%s", s->setup_err);

    /* Keep the frame stream to ourselves: stdout becomes stderr, stdin /dev/null. */
    s->in = fcntl(0, F_DUPFD_CLOEXEC, 3);
    s->out = fcntl(1, F_DUPFD_CLOEXEC, 3);
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (s->in < 0 || s->out < 0 || devnull < 0 || dup2(2, 1) < 0 || dup2(devnull, 0) < 0) {
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

    s->rx = malloc(VCF_FRAME_MAX);
    s->tx = malloc(VCF_FRAME_MAX);
    s->scratch = malloc(sizeof *s->scratch);
    s->u = uml_new(&s->opts);
    if (!s->rx || !s->tx || !s->scratch || !s->u) {
        logf_("out of memory");
        finish(s, 2);
    }
    g_srv = s;

    for (;;) {
        size_t n = next_frame(s);
        vcf_frame req;
        int rc = vcf_frame_decode(s->rx, n, &req, s->scratch, err, sizeof err);
        if (s->trace)
            logf_("<- %s %s seq %u (%zu bytes)", vcf_frame_op_name(req.op),
                  (req.op & VCF_FRAME_REPLY) ? "reply" : "request", (unsigned)req.seq, n);
        if (rc == VCF_FRAME_UNKNOWN_OP) {
            char why[128];
            snprintf(why, sizeof why, "unknown op 0x%04x (protocol version %u)", (unsigned)req.op,
                     VCF_FRAME_VERSION);
            reply_rc(s, &req, VCF_ADAPTER_UNSUPPORTED, why);
        } else if (rc != VCF_FRAME_OK) {
            char why[1200];
            snprintf(why, sizeof why, "malformed request at stream offset %llu: %s", s->stream,
                     err);
            logf_("%s", why);
            reply_rc(s, &req, VCF_ADAPTER_ERROR, why);
        } else if (req.op & VCF_FRAME_REPLY) {
            reply_rc(s, &req, VCF_ADAPTER_ERROR, "a reply frame where a request was expected");
        } else {
            handle(s, &req);
        }
        memmove(s->rx, s->rx + n, s->rx_have - n);
        s->rx_have -= n;
        s->stream += n;
    }
}
