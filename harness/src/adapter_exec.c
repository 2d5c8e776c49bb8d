/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: exec: and so: adapters, a child process speaking the stdio protocol
 * (docs/adapter-protocol.md) on its stdin and stdout.
 *
 * Robustness is the point. The child runs in its own process group; every wait for it is
 * bounded by the operation timeout (poll(2) on non-blocking pipes); a child that dies, hangs,
 * or writes anything but well-formed replies fails the operation with VCF_ADAPTER_ERROR and a
 * last_error that says what happened, and is killed and reaped. restart() starts a fresh one.
 * No child is ever left behind as a zombie.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "adapters.h"
#include "frame.h"

#define DEFAULT_TIMEOUT 5.0 /* seconds per operation */
#define CLOSE_GRACE     1.0 /* seconds a child gets to exit after CLOSE before it is killed */
#define EXIT_GRACE      2.0 /* seconds a child that closed its output gets to exit */

typedef struct exec_state {
    char *cmd; /* run by /bin/sh -c */
    pid_t pid; /* the child, also its process group; -1 when none */
    int wfd;   /* its stdin */
    int rfd;   /* its stdout */
    double timeout;
    double min_timeout; /* set_timeout never goes below this (vcf_exec_adapter_min_timeout) */
    uint16_t seq;
    unsigned long long stream; /* bytes received from this child: stream offsets in errors */
    uint8_t *tx;
    uint8_t *rx; /* the last reply; observation data points into it until the next call */
    size_t rx_have;
    vcf_frame_scratch *scratch;
    vcf_frame reply;
    uint32_t roles, caps;
    char name[256];
    char version[256];
    char err[1024];
} exec_state;

/* ---- time and signals ---------------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A deadline for one operation; negative: none. */
static double deadline_in(double seconds)
{
    return seconds > 0 ? now() + seconds : -1.0;
}

static void nap(double seconds)
{
    struct timespec ts = {0, (long)(seconds * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGQUIT: return "SIGQUIT";
    case SIGILL: return "SIGILL";
    case SIGTRAP: return "SIGTRAP";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGUSR1: return "SIGUSR1";
    case SIGSEGV: return "SIGSEGV";
    case SIGUSR2: return "SIGUSR2";
    case SIGPIPE: return "SIGPIPE";
    case SIGALRM: return "SIGALRM";
    case SIGTERM: return "SIGTERM";
    case SIGXCPU: return "SIGXCPU";
    case SIGXFSZ: return "SIGXFSZ";
    case SIGSYS: return "SIGSYS";
    default: return "unknown signal";
    }
}

/* "exited with status 3", "killed by signal 11 (SIGSEGV)" */
static void describe_exit(const siginfo_t *si, char *buf, size_t len)
{
    int st = si->si_status;
    if (si->si_code == CLD_EXITED) {
        const char *hint = "";
        char shell[96] = "";
        if (st == 127)
            hint = " (command not found?)";
        else if (st == 126)
            hint = " (command not executable?)";
        else if (st > 128 && st < 128 + 65) {
            snprintf(shell, sizeof shell, " (a shell reporting signal %d, %s?)", st - 128,
                     signal_name(st - 128));
            hint = shell;
        }
        snprintf(buf, len, "exited with status %d%s", st, hint);
    } else {
        snprintf(buf, len, "killed by signal %d (%s)%s", st, signal_name(st),
                 si->si_code == CLD_DUMPED ? ", core dumped" : "");
    }
}

/* ---- the child ----------------------------------------------------------------------------- */

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Kill the child's whole process group and reap the child. The child is reaped only after the
 * group is killed, so its pid (the group's id) cannot have been reused by then. */
static void terminate(exec_state *s)
{
    close_fd(&s->wfd);
    close_fd(&s->rfd);
    if (s->pid > 0) {
        kill(-s->pid, SIGKILL);
        kill(s->pid, SIGKILL);
        while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    s->pid = -1;
    s->rx_have = 0;
}

/* Wait until the child has exited (without reaping it) or the deadline passes. */
static bool wait_exit(exec_state *s, double deadline, siginfo_t *si)
{
    for (;;) {
        memset(si, 0, sizeof *si);
        int r = waitid(P_PID, (id_t)s->pid, si, WEXITED | WNOHANG | WNOWAIT);
        if (r == 0 && si->si_pid == s->pid)
            return true;
        if (r < 0 && errno != EINTR)
            return false;
        if (now() >= deadline)
            return false;
        nap(0.002);
    }
}

__attribute__((format(printf, 2, 3))) static int fail(exec_state *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    terminate(s);
    return VCF_ADAPTER_ERROR;
}

/* "(after 5 of 24 bytes of the reply)"; need 0: the size was not known yet. */
static void partial_text(char *buf, size_t len, size_t got, size_t need)
{
    if (!got)
        buf[0] = '\0';
    else if (need)
        snprintf(buf, len, " (after %zu of %zu bytes of the reply)", got, need);
    else
        snprintf(buf, len, " (after %zu bytes of the reply)", got);
}

/* The child closed its output (reading) or its input (writing): say how it ended. */
static int child_gone(exec_state *s, const char *op, bool reading, size_t got, size_t need)
{
    char partial[96];
    partial_text(partial, sizeof partial, got, need);
    siginfo_t si;
    if (wait_exit(s, now() + EXIT_GRACE, &si)) {
        char how[160];
        describe_exit(&si, how, sizeof how);
        return fail(s, "adapter process %s during %s%s", how, op, partial);
    }
    return fail(s, "adapter process closed its %s during %s%s but did not exit (killed)",
                reading ? "output" : "input", op, partial);
}

static void child_exec(const char *cmd, int rfd, int wfd)
{
    setpgid(0, 0);
    /* Move both ends above 2 first, so that neither dup2 below can overwrite the other. */
    int r = fcntl(rfd, F_DUPFD, 3), w = fcntl(wfd, F_DUPFD, 3);
    if (r < 0 || w < 0 || dup2(r, 0) < 0 || dup2(w, 1) < 0)
        _exit(127);
    close(r);
    close(w);
#ifdef SYS_close_range
    /* Nothing else of the harness reaches the adapter; every fd of ours is close-on-exec
     * anyway, this covers descriptors others opened without it. */
    (void)syscall(SYS_close_range, 3u, ~0u, 0u);
#endif
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    static const char msg[] = "vconform: cannot run /bin/sh\n";
    ssize_t ignored = write(2, msg, sizeof msg - 1u);
    (void)ignored;
    _exit(127);
}

static int spawn(exec_state *s)
{
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) < 0)
        return fail(s, "pipe: %s", strerror(errno));
    if (pipe2(out, O_CLOEXEC) < 0) {
        int e = errno;
        close(in[0]);
        close(in[1]);
        return fail(s, "pipe: %s", strerror(e));
    }
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        return fail(s, "fork: %s", strerror(e));
    }
    if (pid == 0)
        child_exec(s->cmd, in[0], out[1]);
    setpgid(pid, pid); /* also done by the child: whichever runs first */
    close(in[0]);
    close(out[1]);
    s->pid = pid;
    s->wfd = in[1];
    s->rfd = out[0];
    s->rx_have = 0;
    s->stream = 0;
    fcntl(s->wfd, F_SETFL, fcntl(s->wfd, F_GETFL) | O_NONBLOCK);
    fcntl(s->rfd, F_SETFL, fcntl(s->rfd, F_GETFL) | O_NONBLOCK);
    return 0;
}

/* ---- frames over the pipes ----------------------------------------------------------------- */

/* 1 ready, 0 deadline passed, -1 error. */
static int wait_fd(int fd, short events, double deadline)
{
    for (;;) {
        int ms = -1;
        if (deadline >= 0) {
            double left = deadline - now();
            if (left <= 0)
                return 0;
            ms = left > 1e6 ? 1000000000 : (int)(left * 1000.0) + 1;
        }
        struct pollfd p = {.fd = fd, .events = events};
        int r = poll(&p, 1, ms);
        if (r > 0)
            return 1;
        if (r == 0)
            continue; /* re-check the deadline */
        if (errno != EINTR)
            return -1;
    }
}

static int timed_out(exec_state *s, const char *op, size_t got, size_t need)
{
    char partial[96];
    partial_text(partial, sizeof partial, got, need);
    return fail(s, "no answer within %.1f s to %s%s; adapter process killed", s->timeout, op,
                partial);
}

static int send_all(exec_state *s, const uint8_t *p, size_t n, double deadline, const char *op)
{
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(s->wfd, p + off, n - off);
        if (w > 0) {
            off += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN) {
            int r = wait_fd(s->wfd, POLLOUT, deadline);
            if (r == 0)
                return timed_out(s, op, 0, 0);
            if (r < 0)
                return fail(s, "poll: %s", strerror(errno));
            continue;
        }
        if (w < 0 && errno == EPIPE)
            return child_gone(s, op, false, 0, 0);
        return fail(s, "writing %s to the adapter: %s", op,
                    w < 0 ? strerror(errno) : "no progress");
    }
    return 0;
}

/* Read one frame into s->rx; its size in *size. */
static int recv_frame(exec_state *s, double deadline, const char *op, size_t *size)
{
    size_t need = 4;
    bool sized = false;
    for (;;) {
        if (!sized && s->rx_have >= 4) {
            char why[256];
            need = vcf_frame_size(s->rx, why, sizeof why);
            if (need == 0)
                return fail(s, "garbage instead of the reply to %s, at stream offset %llu: %s", op,
                            s->stream - s->rx_have, why);
            sized = true;
        }
        if (sized && s->rx_have >= need)
            break;
        ssize_t r = read(s->rfd, s->rx + s->rx_have, VCF_FRAME_MAX - s->rx_have);
        if (r > 0) {
            s->rx_have += (size_t)r;
            s->stream += (unsigned long long)r;
            continue;
        }
        if (r == 0)
            return child_gone(s, op, true, s->rx_have, sized ? need : 0);
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN)
            return fail(s, "reading the reply to %s: %s", op, strerror(errno));
        int w = wait_fd(s->rfd, POLLIN, deadline);
        if (w == 0)
            return timed_out(s, op, s->rx_have, sized ? need : 0);
        if (w < 0)
            return fail(s, "poll: %s", strerror(errno));
    }
    if (s->rx_have > need)
        return fail(s,
                    "%zu unexpected bytes after the reply to %s, at stream offset %llu "
                    "(one request, exactly one reply)",
                    s->rx_have - need, op, s->stream - (s->rx_have - need));
    *size = need;
    return 0;
}

/* Send req and read its reply into s->reply. 0, or -1 with s->err set. The child is gone
 * after a -1 that came from the transport; an encoding failure leaves it running. */
static int roundtrip(exec_state *s, vcf_frame *req)
{
    const char *op = vcf_frame_op_name(req->op);
    if (s->pid <= 0) {
        static const char gone[] = "adapter process is not running";
        if (strncmp(s->err, gone, sizeof gone - 1u) != 0) {
            char was[sizeof s->err];
            snprintf(was, sizeof was, "%s", s->err);
            snprintf(s->err, sizeof s->err, "%s%s%.900s%s", gone, was[0] ? " (since: " : "", was,
                     was[0] ? ")" : "");
        }
        return -1;
    }
    char why[512];
    req->seq = s->seq++;
    size_t n = vcf_frame_encode(req, s->tx, VCF_FRAME_MAX, why, sizeof why);
    if (n == 0) {
        snprintf(s->err, sizeof s->err, "cannot send %s: %s", op, why);
        return -1;
    }
    double deadline = deadline_in(s->timeout);
    s->rx_have = 0;
    if (send_all(s, s->tx, n, deadline, op) < 0)
        return -1;
    size_t size = 0;
    unsigned long long at = s->stream - s->rx_have;
    if (recv_frame(s, deadline, op, &size) < 0)
        return -1;
    s->rx_have = 0;
    int rc = vcf_frame_decode(s->rx, size, &s->reply, s->scratch, why, sizeof why);
    if (rc != VCF_FRAME_OK)
        return fail(s, "malformed reply to %s at stream offset %llu: %s", op, at, why);
    if (s->reply.op != (req->op | VCF_FRAME_REPLY) || s->reply.seq != req->seq)
        return fail(s, "the answer to %s (seq %u) is a %s %s with seq %u, at stream offset %llu",
                    op, (unsigned)req->seq, vcf_frame_op_name(s->reply.op),
                    (s->reply.op & VCF_FRAME_REPLY) ? "reply" : "request", (unsigned)s->reply.seq,
                    at);
    return 0;
}

/* The reply's rc; for errors, its reason becomes last_error. */
static int reply_rc(exec_state *s, const char *what)
{
    int rc = s->reply.rc;
    if (rc != VCF_ADAPTER_OK)
        snprintf(s->err, sizeof s->err, "%s %s%s%s", what,
                 rc == VCF_ADAPTER_UNSUPPORTED ? "unsupported" : "failed",
                 s->reply.reason[0] ? ": " : "", s->reply.reason);
    return rc;
}

static int hello(exec_state *s)
{
    vcf_frame req = {.op = VCF_FOP_HELLO};
    req.hello.magic = VCF_FRAME_MAGIC;
    req.hello.proto = VCF_FRAME_VERSION;
    if (roundtrip(s, &req) < 0)
        return -1;
    const vcf_frame *r = &s->reply;
    if (r->rc != VCF_ADAPTER_OK)
        return fail(s, "the adapter refused HELLO: %s",
                    r->reason[0] ? r->reason : "no reason given");
    if (r->hello.magic != VCF_FRAME_MAGIC)
        return fail(s, "HELLO reply magic 0x%08x, expected 0x%08x (\"VCFP\")",
                    (unsigned)r->hello.magic, VCF_FRAME_MAGIC);
    if (r->hello.proto == 0 || r->hello.proto > VCF_FRAME_VERSION)
        return fail(s, "the adapter speaks protocol version %u, vconform speaks 1..%u",
                    (unsigned)r->hello.proto, VCF_FRAME_VERSION);
    snprintf(s->name, sizeof s->name, "%s", r->hello.name);
    snprintf(s->version, sizeof s->version, "%s", r->hello.version);
    s->roles = r->hello.roles;
    s->caps = r->hello.caps;
    return 0;
}

static int start(exec_state *s)
{
    terminate(s);
    s->err[0] = '\0';
    if (spawn(s) < 0 || hello(s) < 0)
        return -1;
    return 0;
}

/* ---- the operations ------------------------------------------------------------------------ */

static int exec_reset(void *ud, uint32_t role, const vcf_adapter_param *params, size_t n_params,
                      char *why, size_t why_len)
{
    exec_state *s = ud;
    vcf_frame req = {.op = VCF_FOP_RESET, .role = role, .params = params, .n_params = n_params};
    int rc = roundtrip(s, &req) < 0 ? VCF_ADAPTER_ERROR : reply_rc(s, "reset");
    if (why && why_len)
        snprintf(why, why_len, "%s", rc == VCF_ADAPTER_OK ? "" : s->err);
    if (rc == VCF_ADAPTER_UNSUPPORTED && why && why_len && s->reply.reason[0])
        snprintf(why, why_len, "%s", s->reply.reason);
    return rc;
}

static int exec_inject(void *ud, const vcf_adapter_msg *msg)
{
    exec_state *s = ud;
    vcf_frame req = {.op = VCF_FOP_INJECT, .msg = *msg};
    return roundtrip(s, &req) < 0 ? VCF_ADAPTER_ERROR : reply_rc(s, "inject");
}

static int exec_action(void *ud, const vcf_adapter_action *act, vcf_adapter_result *res)
{
    exec_state *s = ud;
    vcf_frame req = {.op = VCF_FOP_ACTION, .action = *act};
    if (roundtrip(s, &req) < 0)
        return VCF_ADAPTER_ERROR;
    const vcf_action_info *info = vcf_adapter_action_info(act->kind);
    char what[64];
    snprintf(what, sizeof what, "action %s", info ? info->name : "?");
    int rc = reply_rc(s, what);
    if (rc == VCF_ADAPTER_OK && res)
        *res = s->reply.result;
    return rc;
}

static int exec_poll(void *ud, vcf_adapter_obs *obs)
{
    exec_state *s = ud;
    vcf_frame req = {.op = VCF_FOP_POLL};
    if (roundtrip(s, &req) < 0 || reply_rc(s, "poll") != VCF_ADAPTER_OK)
        return VCF_ADAPTER_ERROR;
    *obs = s->reply.obs; /* data points into s->rx until the next call */
    return s->reply.obs.kind == VCF_OBS_NONE ? 0 : 1;
}

static int exec_idle(void *ud)
{
    exec_state *s = ud;
    if (!(s->caps & VCF_ADAPTER_CAP_IDLE))
        return 1; /* a synchronous adapter: idle once poll says nothing; save the round trip */
    vcf_frame req = {.op = VCF_FOP_IDLE};
    if (roundtrip(s, &req) < 0 || reply_rc(s, "idle") != VCF_ADAPTER_OK)
        return VCF_ADAPTER_ERROR;
    return s->reply.idle ? 1 : 0;
}

static void state_free(exec_state *s)
{
    terminate(s);
    free(s->cmd);
    free(s->tx);
    free(s->rx);
    free(s->scratch);
    free(s);
}

static void exec_close(void *ud)
{
    exec_state *s = ud;
    if (s->pid > 0) {
        /* Ask politely, give it a moment to exit, then kill whatever is left of the group. */
        double keep = s->timeout;
        s->timeout = keep > 0 && keep < CLOSE_GRACE ? keep : CLOSE_GRACE;
        vcf_frame req = {.op = VCF_FOP_CLOSE};
        if (roundtrip(s, &req) == 0) {
            close_fd(&s->wfd);
            siginfo_t si;
            (void)wait_exit(s, now() + CLOSE_GRACE, &si);
        }
        s->timeout = keep;
    }
    state_free(s);
}

static const char *exec_last_error(void *ud)
{
    return ((exec_state *)ud)->err;
}

static int exec_restart(void *ud)
{
    return start((exec_state *)ud) < 0 ? -1 : 0;
}

static void exec_set_timeout(void *ud, double seconds)
{
    exec_state *s = ud;
    if (seconds > 0 && seconds < s->min_timeout)
        seconds = s->min_timeout;
    s->timeout = seconds > 0 ? seconds : 0; /* 0: no limit */
}

void vcf_exec_adapter_min_timeout(vcf_hadapter *h, double seconds)
{
    exec_state *s = h->ad.ud;
    s->min_timeout = seconds;
    exec_set_timeout(s, s->timeout);
}

/* ---- opening ------------------------------------------------------------------------------- */

__attribute__((format(printf, 1, 2))) static char *dup_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = malloc((size_t)n + 1u);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1u, fmt, ap);
    va_end(ap);
    return p;
}

static void ignore_sigpipe(void)
{
    /* A child that dies leaves a pipe with no reader; the write must fail with EPIPE instead
     * of killing the harness. A handler someone installed on purpose is left alone. */
    struct sigaction old;
    if (sigaction(SIGPIPE, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
        signal(SIGPIPE, SIG_IGN);
}

static int exec_open(const char *cmd, const char *label, vcf_hadapter *out, char *err,
                     size_t err_len)
{
    exec_state *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, err_len, "%s: out of memory", label);
        return -1;
    }
    s->pid = -1;
    s->wfd = s->rfd = -1;
    s->timeout = DEFAULT_TIMEOUT;
    s->cmd = strdup(cmd);
    s->tx = malloc(VCF_FRAME_MAX);
    s->rx = malloc(VCF_FRAME_MAX);
    s->scratch = malloc(sizeof *s->scratch);
    if (!s->cmd || !s->tx || !s->rx || !s->scratch) {
        snprintf(err, err_len, "%s: out of memory", label);
        state_free(s);
        return -1;
    }
    ignore_sigpipe();
    if (start(s) < 0) {
        snprintf(err, err_len, "%s", s->err);
        state_free(s);
        return -1;
    }
    memset(out, 0, sizeof *out);
    out->ad.abi_version = VCF_ADAPTER_ABI_VERSION;
    out->ad.struct_size = (uint32_t)sizeof out->ad;
    out->ad.ud = s;
    out->ad.name = s->name;
    out->ad.version = s->version;
    out->ad.roles = s->roles;
    out->ad.caps = s->caps;
    out->ad.reset = exec_reset;
    out->ad.inject = exec_inject;
    out->ad.action = exec_action;
    out->ad.poll = exec_poll;
    out->ad.idle = exec_idle;
    out->ad.close = exec_close;
    out->last_error = exec_last_error;
    out->restart = exec_restart;
    out->set_timeout = exec_set_timeout;
    return 0;
}

int vcf_exec_adapter_open(const char *cmd, vcf_hadapter *out, char *err, size_t err_len)
{
    if (!cmd || !*cmd) {
        snprintf(err, err_len, "exec: needs a command (exec:CMD)");
        return -1;
    }
    char *label = dup_printf("exec:%s", cmd);
    if (!label) {
        snprintf(err, err_len, "exec: out of memory");
        return -1;
    }
    int rc = exec_open(cmd, label, out, err, err_len);
    free(label);
    return rc;
}

char *vcf_sh_quote(const char *text)
{
    size_t n = 3;
    for (const char *p = text; *p; p++)
        n += *p == '\'' ? 4u : 1u;
    char *q = malloc(n), *o = q;
    if (!q)
        return NULL;
    *o++ = '\'';
    for (const char *p = text; *p; p++) {
        if (*p == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *p;
        }
    }
    *o++ = '\'';
    *o = '\0';
    return q;
}

int vcf_exe_dir(char *out, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", out, size - 1u);
    if (n < 0)
        return -1;
    out[n] = '\0';
    char *slash = strrchr(out, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(out, size, ".");
    return 0;
}

/* vconform-peer in the directory of the running executable. */
static int find_peer(char *buf, size_t len, char *err, size_t err_len)
{
    char dir[PATH_MAX];
    if (vcf_exe_dir(dir, sizeof dir) != 0) {
        snprintf(err, err_len, "so: cannot find vconform-peer: /proc/self/exe: %s",
                 strerror(errno));
        return -1;
    }
    snprintf(buf, len, "%s/vconform-peer", dir);
    if (access(buf, X_OK) != 0) {
        snprintf(err, err_len,
                 "so: vconform-peer is not next to %s (looked for %s: %s); it runs the shared "
                 "object in a child process",
                 dir, buf, strerror(errno));
        return -1;
    }
    return 0;
}

int vcf_so_adapter_open(const char *path_and_options, const char *peer_path, vcf_hadapter *out,
                        char *err, size_t err_len)
{
    const char *spec = path_and_options ? path_and_options : "";
    size_t plen = strcspn(spec, ",");
    if (plen == 0) {
        snprintf(err, err_len, "so: needs the path of a shared object (so:PATH[,OPTIONS])");
        return -1;
    }
    char path[PATH_MAX];
    if (plen >= sizeof path) {
        snprintf(err, err_len, "so: the path is longer than %zu bytes", sizeof path - 1u);
        return -1;
    }
    memcpy(path, spec, plen);
    path[plen] = '\0';
    if (access(path, R_OK) != 0) {
        snprintf(err, err_len, "so:%s: %s", path, strerror(errno));
        return -1;
    }
    char found[PATH_MAX + 32];
    if (!peer_path) {
        if (find_peer(found, sizeof found, err, err_len) < 0)
            return -1;
        peer_path = found;
    }
    /* The child is vconform-peer itself (exec), so its exit status is the peer's. A cross
     * build runs the peer through an emulator: VCONFORM_PEER_WRAPPER="qemu-s390x -L ...". */
    const char *wrapper = getenv("VCONFORM_PEER_WRAPPER");
    char *qpeer = vcf_sh_quote(peer_path);
    char *qarg = dup_printf("so:%s", spec);
    char *qspec = qarg ? vcf_sh_quote(qarg) : NULL;
    char *cmd = qpeer && qspec
                    ? dup_printf("exec %s%s%s --adapter %s", wrapper && *wrapper ? wrapper : "",
                                 wrapper && *wrapper ? " " : "", qpeer, qspec)
                    : NULL;
    int rc = -1;
    if (!cmd)
        snprintf(err, err_len, "so: out of memory");
    else
        rc = exec_open(cmd, qarg, out, err, err_len);
    free(qpeer);
    free(qarg);
    free(qspec);
    free(cmd);
    return rc;
}
