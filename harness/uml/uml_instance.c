/* SPDX-License-Identifier: MIT */
/* vconform-vhost: one UML instance, its process group and the pump (see uml_instance.h). */
#include "uml_instance.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "uml_console.h"
#include "vhost_rpmsg.h"
#include "vhost_user.h"

#define OP_TIMEOUT     15.0 /* seconds for one agent round trip or one inject's completion */
#define POWEROFF_WAIT  5.0  /* seconds UML gets to power off after the agent's CLOSE */
#define SETTLE_MAX     0.5  /* after trouble: keep reading the console this long at most */
#define SETTLE_QUIET   0.15 /* ... or until it has been quiet this long */
#define CTX_LINES      12u
#define CTX_LINE_MAX   240u
#define LINE_MAX_BYTES 4096u
#define TX_MAX         65536u /* bytes kept of one vq1 message */

typedef struct rxrec {
    uint32_t src, dst;
    int64_t len;
    bool used;
} rxrec;

volatile sig_atomic_t vcf_uml_stop;

struct uml_inst {
    vcf_uml_opts o;
    char version[128]; /* the kernel release, from the agent's HELLO */

    /* the process */
    char tmp[1024]; /* "" when there is no instance */
    pid_t pid;      /* `timeout`, leader of the group; -1 when none */
    pid_t uml_pid;  /* UML's main process: it calls setsid(), so its group and
                     * session are its own; 0 until read from uml_dir/vcf/pid */
    pid_t watchdog; /* kills the group when this process dies; -1 when none */
    int watch_w;    /* our end of the watchdog's pipe */
    bool exited;
    int status;
    bool closing; /* an exit is expected now */
    int con_fd, ag_w, ag_r, listen_fd;
    vcf_vu_dev *vu;
    bool accepted;
    double booted_at;

    /* the console */
    char line[LINE_MAX_BYTES];
    size_t line_len;
    bool line_long; /* the current line was cut at LINE_MAX_BYTES */
    FILE *log;
    char last[CTX_LINES][CTX_LINE_MAX]; /* the most recent lines (a ring) */
    unsigned last_n, last_at;
    double last_line_at;

    /* trouble: a console line, or a failure of the process, pipes or vhost-user */
    bool trouble;
    char first[CTX_LINE_MAX * 2];
    char ctx[CTX_LINES][CTX_LINE_MAX]; /* the lines after the first trouble line */
    unsigned ctx_n, more;
    bool from_console; /* the first sign was a console line (else: context is the ring) */

    /* what the console said */
    rxrec *rx;
    size_t rx_n, rx_cap;
    uint64_t received; /* "Received N messages" and "no used buffer" lines */
    bool ready;
    char ready_version[128];

    /* the agent's stream */
    uint8_t *atx, *arx;
    size_t arx_have;
    uint16_t aseq;
    vcf_frame_scratch *ascratch;
    vcf_frame areply;

    /* vq1 */
    uml_txmsg *txq_head, *txq_tail;
    uint8_t *txbuf;
};

/* ---- small helpers ------------------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

__attribute__((format(printf, 3, 4))) static void say(char *buf, size_t len, const char *fmt, ...)
{
    if (!buf || len == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Close both ends of the first n pipes. */
static void close_pipes(int (*pipes)[2], int n)
{
    for (int i = 0; i < n; i++) {
        close(pipes[i][0]);
        close(pipes[i][1]);
    }
}

static void trace(const uml_inst *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void trace(const uml_inst *u, const char *fmt, ...)
{
    if (!u->o.trace)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("vconform-vhost: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void uml_note(uml_inst *u, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (u->log) {
        fprintf(u->log, "# vconform-vhost: %s\n", text);
        fflush(u->log);
    }
    trace(u, "%s", text);
}

/* Copy a line for the context: at most CTX_LINE_MAX - 1 bytes, control bytes as '?'. */
static void keep_line(char *dst, const char *src)
{
    size_t n = 0;
    for (; src[n] && n + 1u < CTX_LINE_MAX; n++)
        dst[n] = (unsigned char)src[n] < 0x20 ? '?' : src[n];
    dst[n] = '\0';
}

/* Record trouble that is not a console line (the process, a pipe, vhost-user). The first sign
 * wins; later ones count as more lines. */
__attribute__((format(printf, 2, 3))) static void fail(uml_inst *u, const char *fmt, ...)
{
    char text[sizeof u->first];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    uml_note(u, "error: %s", text);
    if (u->trouble) {
        u->more++;
        return;
    }
    u->trouble = true;
    u->from_console = false;
    snprintf(u->first, sizeof u->first, "%s", text);
}

/* ---- the console ----------------------------------------------------------------------------- */

static void console_line(uml_inst *u, const char *line)
{
    if (u->log) {
        fputs(line, u->log);
        fputc('\n', u->log);
    }
    u->last_line_at = now();
    if (u->trouble) {
        if (u->from_console && u->ctx_n < CTX_LINES)
            keep_line(u->ctx[u->ctx_n++], line);
        u->more++;
    }
    keep_line(u->last[u->last_at], line);
    u->last_at = (u->last_at + 1u) % CTX_LINES;
    if (u->last_n < CTX_LINES)
        u->last_n++;

    vcf_uml_line l;
    switch (vcf_uml_parse_line(line, &l)) {
    case VCF_UML_LINE_TROUBLE:
        if (!u->trouble && !u->closing) {
            u->trouble = true;
            u->from_console = true;
            keep_line(u->first, line);
            trace(u, "kernel trouble: %s", line);
        }
        break;
    case VCF_UML_LINE_RX:
        if (u->rx_n == u->rx_cap) {
            size_t cap = u->rx_cap ? u->rx_cap * 2u : 64u;
            rxrec *r = realloc(u->rx, cap * sizeof *r);
            if (!r) {
                fail(u, "out of memory for the driver's rx records");
                break;
            }
            u->rx = r;
            u->rx_cap = cap;
        }
        u->rx[u->rx_n++] = (rxrec){l.src, l.dst, l.len, false};
        break;
    case VCF_UML_LINE_RECEIVED:
    case VCF_UML_LINE_NO_USED: u->received++; break;
    case VCF_UML_LINE_READY:
        if (!u->ready) {
            u->ready = true;
            snprintf(u->ready_version, sizeof u->ready_version, "%s", l.version);
        }
        break;
    case VCF_UML_LINE_TOO_BIG:
    case VCF_UML_LINE_OTHER: break;
    }
}

/* Read what the console has; false at its end. */
static bool console_read(uml_inst *u)
{
    char buf[16384];
    ssize_t r = read(u->con_fd, buf, sizeof buf);
    if (r < 0)
        return errno == EINTR || errno == EAGAIN;
    if (r == 0) {
        if (u->line_len) {
            u->line[u->line_len] = '\0';
            console_line(u, u->line);
            u->line_len = 0;
        }
        return false;
    }
    for (ssize_t i = 0; i < r; i++) {
        char c = buf[i];
        if (c == '\n') {
            u->line[u->line_len] = '\0';
            if (u->line_len && u->line[u->line_len - 1u] == '\r')
                u->line[u->line_len - 1u] = '\0';
            console_line(u, u->line);
            u->line_len = 0;
            u->line_long = false;
        } else if (c == '\0') {
            continue;
        } else if (u->line_len + 1u < sizeof u->line) {
            u->line[u->line_len++] = c;
        } else if (!u->line_long) {
            /* A very long line: hand over what we have, drop the rest of it. */
            u->line[u->line_len] = '\0';
            console_line(u, u->line);
            u->line_len = 0;
            u->line_long = true;
        }
    }
    return true;
}

/* ---- vq1 ---------------------------------------------------------------------------------- */

static void collect(uml_inst *u)
{
    if (!u->vu || !vcf_vrpmsg_driver_ready(u->vu))
        return;
    for (;;) {
        char err[256];
        size_t len = 0;
        int r = vcf_vrpmsg_collect(u->vu, u->txbuf, TX_MAX, &len, err, sizeof err);
        if (r == 0)
            return;
        if (r < 0) {
            fail(u, "vq1: %s", err);
            return;
        }
        size_t keep = len < TX_MAX ? len : TX_MAX;
        uml_txmsg *m = calloc(1, sizeof *m);
        uint8_t *d = malloc(keep ? keep : 1u);
        if (!m || !d) {
            free(m);
            free(d);
            fail(u, "out of memory for a vq1 message");
            return;
        }
        memcpy(d, u->txbuf, keep);
        m->data = d;
        m->len = keep;
        if (u->txq_tail)
            u->txq_tail->next = m;
        else
            u->txq_head = m;
        u->txq_tail = m;
        uml_note(u, "vq1: the driver sent %zu bytes", len);
    }
}

uml_txmsg *uml_take_tx(uml_inst *u)
{
    uml_txmsg *m = u->txq_head;
    if (m) {
        u->txq_head = m->next;
        if (!u->txq_head)
            u->txq_tail = NULL;
        m->next = NULL;
    }
    return m;
}

static void drop_tx(uml_inst *u)
{
    uml_txmsg *m;
    while ((m = uml_take_tx(u)) != NULL) {
        free(m->data);
        free(m);
    }
}

/* ---- the pump ------------------------------------------------------------------------------ */

static void vu_log(void *ud, const char *line)
{
    uml_inst *u = ud;
    fprintf(stderr, "vconform-vhost: vhost-user: %s\n", line);
    (void)u;
}

static void check_exit(uml_inst *u)
{
    if (u->pid <= 0 || u->exited)
        return;
    int st = 0;
    pid_t r = waitpid(u->pid, &st, WNOHANG);
    if (r != u->pid)
        return;
    u->exited = true;
    u->status = st;
    char how[64];
    if (WIFEXITED(st))
        say(how, sizeof how, "exited with status %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        say(how, sizeof how, "was killed by signal %d", WTERMSIG(st));
    else
        say(how, sizeof how, "ended (wait status 0x%x)", (unsigned)st);
    uml_note(u, "UML %s after %.2f s", how, now() - u->booted_at);
    if (!u->closing)
        fail(u, "UML %s%s", how,
             WIFEXITED(st) && WEXITSTATUS(st) == 124 ? " (timeout: the life= limit passed)" : "");
}

/* One round of poll(2) over everything, waiting at most timeout_ms. The number of fds that had
 * something (0: nothing happened). */
static int pump_once(uml_inst *u, int timeout_ms)
{
    struct pollfd p[6];
    enum { F_LISTEN, F_CONN, F_KICK0, F_KICK1, F_CON, F_AGENT, F_N };
    int idx[F_N];
    nfds_t n = 0;
    for (int i = 0; i < F_N; i++)
        idx[i] = -1;
#define ADD(slot, fdv)                                                                             \
    do {                                                                                           \
        if ((fdv) >= 0) {                                                                          \
            idx[slot] = (int)n;                                                                    \
            p[n].fd = (fdv);                                                                       \
            p[n].events = POLLIN;                                                                  \
            p[n].revents = 0;                                                                      \
            n++;                                                                                   \
        }                                                                                          \
    } while (0)
    if (!u->accepted)
        ADD(F_LISTEN, u->listen_fd);
    if (u->vu) {
        ADD(F_CONN, vcf_vu_conn_fd(u->vu));
        ADD(F_KICK0, vcf_vu_kick_fd(u->vu, VCF_VRPMSG_RX));
        ADD(F_KICK1, vcf_vu_kick_fd(u->vu, VCF_VRPMSG_TX));
    }
    ADD(F_CON, u->con_fd);
    /* The agent's bytes are read only while a reply is awaited (see agent_call), but an EOF
     * or early data is noticed here too. */
    ADD(F_AGENT, u->ag_r);
#undef ADD
    int r = poll(p, n, timeout_ms);
    if (vcf_uml_stop) {
        /* SIGTERM, SIGINT or SIGHUP: the handler killed the group; clean up and go. */
        int sig = (int)vcf_uml_stop;
        uml_shutdown(u, false);
        _exit(128 + sig);
    }
    check_exit(u);
    if (r <= 0)
        return 0;
    int active = 0;
#define READY(slot) (idx[slot] >= 0 && p[idx[slot]].revents)
    if (READY(F_LISTEN)) {
        active++;
        int c = accept4(u->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (c >= 0) {
            vcf_vu_attach(u->vu, c);
            u->accepted = true;
            trace(u, "vhost-user: the front-end connected");
        }
    }
    if (READY(F_CONN)) {
        active++;
        char err[512] = "";
        int d = vcf_vu_dispatch(u->vu, err, sizeof err);
        if (d < 0)
            fail(u, "vhost-user: %s", err);
        else if (d == 0) {
            uml_note(u, "vhost-user: the front-end closed the connection");
            if (!u->closing)
                fail(u, "UML closed the vhost-user connection");
        }
    }
    if (READY(F_KICK0)) {
        active++;
        (void)vcf_vu_take_kicks(u->vu, VCF_VRPMSG_RX);
    }
    if (READY(F_KICK1)) {
        active++;
        (void)vcf_vu_take_kicks(u->vu, VCF_VRPMSG_TX);
    }
    if (READY(F_CON)) {
        active++;
        if (!console_read(u))
            close_fd(&u->con_fd);
    }
    if (READY(F_AGENT)) {
        active++;
        if (u->arx_have < VCF_FRAME_MAX) {
            ssize_t got = read(u->ag_r, u->arx + u->arx_have, VCF_FRAME_MAX - u->arx_have);
            if (got > 0) {
                u->arx_have += (size_t)got;
            } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                close_fd(&u->ag_r);
                uml_note(u, "the agent's serial line closed");
                if (!u->closing)
                    fail(u, "the agent's serial line (ssl0) closed");
            }
        } else {
            fail(u, "the agent sent more than %u bytes without a complete frame", VCF_FRAME_MAX);
        }
    }
#undef READY
    collect(u);
    return active;
}

typedef bool (*cond_fn)(uml_inst *u, const void *arg);

/* Pump until cond holds (1), the deadline passes (0) or trouble (-1). */
static int pump_until(uml_inst *u, double deadline, cond_fn cond, const void *arg)
{
    for (;;) {
        if (cond && cond(u, arg))
            return 1;
        if (u->trouble && !u->closing)
            return -1;
        double left = deadline - now();
        if (left <= 0)
            return 0;
        if (u->exited && u->con_fd < 0 && u->ag_r < 0 && (!u->vu || vcf_vu_conn_fd(u->vu) < 0))
            return 0; /* nothing can change any more */
        int ms = left > 0.1 ? 100 : (int)(left * 1000.0) + 1;
        pump_once(u, ms);
    }
}

/* Drain what is there without waiting. */
static void drain(uml_inst *u)
{
    for (int i = 0; i < 10000; i++)
        if (pump_once(u, 0) == 0)
            break;
}

/* After trouble: let the rest of the splat arrive, then say what happened. */
static void trouble_reason(uml_inst *u, char *err, size_t err_len)
{
    double start = now();
    while (now() - start < SETTLE_MAX && now() - u->last_line_at < SETTLE_QUIET && u->con_fd >= 0)
        pump_once(u, 20);
    drain(u);
    size_t used = 0;
    int w = snprintf(err, err_len, "kernel: %s (+%u more lines)", u->first, u->more);
    used = w < 0 ? 0 : (size_t)w;
    if (u->from_console) {
        for (unsigned i = 0; i < u->ctx_n && used < err_len; i++) {
            w = snprintf(err + used, err_len - used, " | %s", u->ctx[i]);
            used += w < 0 ? 0 : (size_t)w;
        }
    } else {
        /* not a console line: the last lines the console showed */
        unsigned n = u->last_n < 6u ? u->last_n : 6u;
        for (unsigned i = 0; i < n && used < err_len; i++) {
            unsigned at = (u->last_at + CTX_LINES - n + i) % CTX_LINES;
            w = snprintf(err + used, err_len - used, " | %s", u->last[at]);
            used += w < 0 ? 0 : (size_t)w;
        }
    }
    uml_note(u, "answering ERROR: %s", err);
}

/* ---- the process ------------------------------------------------------------------------- */

static int rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                    continue;
                char sub[VCF_UML_PATH_MAX];
                int n = snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
                if (n > 0 && (size_t)n < sizeof sub)
                    rm_rf(sub);
            }
            closedir(d);
        }
        return rmdir(path);
    }
    return unlink(path);
}

/* UML's pid from <uml_dir>/vcf/pid (written early in its boot); 0 when not there. Only
 * async-signal-safe calls: the signal handler and the watchdog use it too. */
static pid_t read_uml_pid(const char *tmp)
{
    char path[1100];
    size_t n = 0;
    for (const char *p = tmp; *p && n + 9u < sizeof path; p++)
        path[n++] = *p;
    memcpy(path + n, "/vcf/pid", 9);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char buf[32];
    ssize_t r = read(fd, buf, sizeof buf - 1u);
    close(fd);
    if (r <= 0)
        return 0;
    long v = 0;
    for (ssize_t i = 0; i < r && buf[i] >= '0' && buf[i] <= '9'; i++) {
        v = v * 10 + (buf[i] - '0');
        if (v > 1L << 30)
            return 0;
    }
    return v > 1 ? (pid_t)v : 0;
}

/* SIGKILL `timeout`'s group, UML's own group (it left ours with setsid()) and the watchdog. */
static void kill_group(uml_inst *u)
{
    if (u->pid > 0)
        kill(-u->pid, SIGKILL);
    if (u->tmp[0] && u->uml_pid <= 0)
        u->uml_pid = read_uml_pid(u->tmp);
    if (u->uml_pid > 0) {
        kill(-u->uml_pid, SIGKILL);
        kill(u->uml_pid, SIGKILL);
    }
    if (u->watchdog > 0)
        kill(u->watchdog, SIGKILL);
}

void uml_kill_from_signal(uml_inst *u)
{
    if (u)
        kill_group(u);
}

/* Reap `timeout` and the watchdog, and wait (bounded) until UML's group is gone: this process
 * is a child subreaper (main), so UML's orphans come back to it to be reaped. */
static void reap(uml_inst *u)
{
    double until = now() + 3.0;
    bool pid_done = u->pid <= 0 || u->exited, wd_done = u->watchdog <= 0;
    for (;;) {
        int st;
        pid_t r = waitpid(-1, &st, WNOHANG);
        if (r > 0) {
            if (r == u->pid)
                pid_done = true;
            if (r == u->watchdog)
                wd_done = true;
            continue;
        }
        bool uml_gone = u->uml_pid <= 0 || (kill(-u->uml_pid, 0) != 0 && errno == ESRCH);
        if (pid_done && wd_done && uml_gone)
            break;
        if (now() > until) {
            fprintf(stderr,
                    "vconform-vhost: UML (pid %d) or its helpers did not go away within 3 s of "
                    "SIGKILL\n",
                    (int)u->uml_pid);
            break;
        }
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
    u->pid = -1;
    u->watchdog = -1;
    u->uml_pid = 0;
}

void uml_shutdown(uml_inst *u, bool graceful)
{
    if (!u)
        return;
    if (u->pid > 0 && graceful && !u->exited && !u->trouble && u->ag_w >= 0) {
        /* The agent powers the guest off after its CLOSE reply. */
        vcf_frame req = {.op = VCF_FOP_CLOSE};
        const vcf_frame *rep = NULL;
        char err[256];
        if (uml_agent_call(u, &req, &rep, err, sizeof err) == VCF_ADAPTER_OK) {
            u->closing = true;
            pump_until(u, now() + POWEROFF_WAIT, NULL, NULL);
        }
    }
    u->closing = true;
    kill_group(u);
    reap(u);
    if (u->vu) {
        vcf_vu_free(u->vu);
        u->vu = NULL;
    }
    close_fd(&u->con_fd);
    close_fd(&u->ag_w);
    close_fd(&u->ag_r);
    close_fd(&u->listen_fd);
    close_fd(&u->watch_w);
    if (u->tmp[0]) {
        if (rm_rf(u->tmp) != 0)
            fprintf(stderr, "vconform-vhost: cannot remove %s: %s\n", u->tmp, strerror(errno));
        u->tmp[0] = '\0';
    }
    if (u->log) {
        fclose(u->log);
        u->log = NULL;
    }
    drop_tx(u);
    u->rx_n = 0;
    u->received = 0;
    u->ready = false;
    u->trouble = false;
    u->from_console = false;
    u->first[0] = '\0';
    u->ctx_n = u->more = 0;
    u->last_n = u->last_at = 0;
    u->arx_have = 0;
    u->line_len = 0;
    u->line_long = false;
    u->exited = false;
    u->accepted = false;
    u->closing = false;
}

static int copy_file(const char *from, const char *to, char *err, size_t err_len)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        say(err, err_len, "the agent %s: %s", from, strerror(errno));
        return -1;
    }
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    if (out < 0) {
        say(err, err_len, "%s: %s", to, strerror(errno));
        close(in);
        return -1;
    }
    char buf[65536];
    int rc = 0;
    for (;;) {
        ssize_t r = read(in, buf, sizeof buf);
        if (r == 0)
            break;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            say(err, err_len, "reading %s: %s", from, strerror(errno));
            rc = -1;
            break;
        }
        ssize_t off = 0;
        while (off < r) {
            ssize_t w = write(out, buf + off, (size_t)(r - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                say(err, err_len, "writing %s: %s", to, strerror(errno));
                rc = -1;
                break;
            }
            off += w;
        }
        if (rc)
            break;
    }
    close(in);
    if (close(out) != 0 && rc == 0) {
        say(err, err_len, "writing %s: %s", to, strerror(errno));
        rc = -1;
    }
    return rc;
}

static void set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* In the child, after fork: make fd `to` a copy of `from` (which is >= 10). */
static void child_dup(int from, int to)
{
    if (dup2(from, to) < 0)
        _exit(127);
}

static void close_from(int lowest)
{
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536)
        max = 65536;
    for (int fd = lowest; fd < (int)max; fd++)
        close(fd);
}

static int spawn(uml_inst *u, char *err, size_t err_len)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    int n = snprintf(u->tmp, sizeof u->tmp, "%s/vconform-uml.XXXXXX", base);
    if (n < 0 || (size_t)n >= sizeof u->tmp - 64u || !mkdtemp(u->tmp)) {
        say(err, err_len, "cannot create a temporary directory in %s: %s", base, strerror(errno));
        u->tmp[0] = '\0';
        return -1;
    }
    char root[1100], path[1200], sock[1100];
    snprintf(root, sizeof root, "%s/root", u->tmp);
    if (mkdir(root, 0755) != 0) {
        say(err, err_len, "mkdir %s: %s", root, strerror(errno));
        return -1;
    }
    static const char *const dirs[] = {"dev", "proc", "sys"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", root, dirs[i]);
        if (mkdir(path, 0755) != 0) {
            say(err, err_len, "mkdir %s: %s", path, strerror(errno));
            return -1;
        }
    }
    snprintf(path, sizeof path, "%s/init", root);
    if (copy_file(u->o.agent, path, err, err_len) != 0)
        return -1;
    snprintf(sock, sizeof sock, "%s/vu.sock", u->tmp);
    char why[256];
    u->listen_fd = vcf_vu_listen(sock, why, sizeof why);
    if (u->listen_fd < 0) {
        say(err, err_len, "vhost-user socket %s: %s", sock, why);
        return -1;
    }
    fcntl(u->listen_fd, F_SETFD, FD_CLOEXEC);

    /* the console, agent in and out, the watchdog's lifeline */
    enum { CON, AIN, AOUT, WATCH, N_PIPES };
    int pipes[N_PIPES][2];
    for (int i = 0; i < N_PIPES; i++) {
        if (pipe2(pipes[i], O_CLOEXEC) != 0) {
            say(err, err_len, "pipe: %s", strerror(errno));
            close_pipes(pipes, i);
            return -1;
        }
    }
    int *con = pipes[CON], *ain = pipes[AIN], *aout = pipes[AOUT], *watch = pipes[WATCH];

    char a_life[32], a_mem[32], a_root[1200], a_udir[1100], a_dev[1200];
    snprintf(a_life, sizeof a_life, "%u", u->o.life);
    snprintf(a_mem, sizeof a_mem, "mem=%uM", u->o.mem_mb);
    snprintf(a_root, sizeof a_root, "rootflags=%s", root);
    snprintf(a_udir, sizeof a_udir, "uml_dir=%s", u->tmp);
    snprintf(a_dev, sizeof a_dev, "virtio_uml.device=%s:%u", sock, VCF_VRPMSG_DEVICE_ID);
    char *argv[] = {"timeout",
                    "-k",
                    "5",
                    a_life,
                    u->o.kernel,
                    a_mem,
                    "root=/dev/root",
                    "rootfstype=hostfs",
                    a_root,
                    "rw",
                    "init=/init",
                    a_udir,
                    "umid=vcf",
                    "con0=null,fd:1",
                    "con=null",
                    "ssl=null",
                    "ssl0=fd:3,fd:4",
                    "loglevel=8",
                    "virtio_rpmsg_bus.dyndbg=+p",
                    a_dev,
                    NULL};
    if (u->o.trace) {
        fputs("vconform-vhost: spawning", stderr);
        for (char **a = argv; *a; a++)
            fprintf(stderr, " %s", *a);
        fputc('\n', stderr);
    }

    u->booted_at = now();
    pid_t pid = fork();
    if (pid < 0) {
        say(err, err_len, "fork: %s", strerror(errno));
        close_pipes(pipes, N_PIPES);
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0);
        int devnull = open("/dev/null", O_RDONLY);
        int f_null = fcntl(devnull, F_DUPFD, 10);
        int f_con = fcntl(con[1], F_DUPFD, 10);
        int f_in = fcntl(ain[0], F_DUPFD, 10);
        int f_out = fcntl(aout[1], F_DUPFD, 10);
        if (devnull < 0 || f_null < 0 || f_con < 0 || f_in < 0 || f_out < 0)
            _exit(127);
        child_dup(f_null, 0);
        child_dup(f_con, 1);
        child_dup(f_con, 2);
        child_dup(f_in, 3);
        child_dup(f_out, 4);
        close_from(5);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGPIPE, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        execvp("timeout", argv);
        _exit(127);
    }
    setpgid(pid, pid); /* also here: no race with the kill below */
    u->pid = pid;

    /* The watchdog, in a process group of its own (so that whoever kills this process's
     * group does not kill it too): it waits for the end of a pipe only this process can
     * write. When this process dies, even by SIGKILL, it kills UML's group and removes the
     * temporary directory. Normal cleanup kills it first. */
    pid_t wd = fork();
    if (wd == 0) {
        setpgid(0, 0);
        int keep = fcntl(watch[0], F_DUPFD, 10);
        if (keep < 0 || dup2(keep, 0) < 0)
            _exit(0);
        close_from(1);
        signal(SIGTERM, SIG_IGN);
        signal(SIGINT, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        char c;
        while (read(0, &c, 1) < 0 && errno == EINTR)
            ;
        kill(-pid, SIGKILL);
        pid_t uml = read_uml_pid(u->tmp);
        if (uml > 0)
            kill(-uml, SIGKILL);
        for (int i = 0; i < 300 && (kill(-pid, 0) == 0 || (uml > 0 && kill(-uml, 0) == 0)); i++) {
            struct timespec ts = {0, 10000000};
            nanosleep(&ts, NULL);
        }
        rm_rf(u->tmp);
        _exit(0);
    }
    u->watchdog = wd > 0 ? wd : -1;

    close(con[1]);
    close(ain[0]);
    close(aout[1]);
    close(watch[0]);
    u->con_fd = con[0];
    u->ag_w = ain[1];
    u->ag_r = aout[0];
    u->watch_w = watch[1];
    set_nonblock(u->con_fd);
    set_nonblock(u->ag_r);
    set_nonblock(u->ag_w);
    return 0;
}

/* ---- the agent ----------------------------------------------------------------------------- */

static bool agent_frame_ready(uml_inst *u, const void *arg)
{
    (void)arg;
    if (u->arx_have < 4)
        return u->ag_r < 0; /* closed: stop waiting */
    char why[128];
    size_t need = vcf_frame_size(u->arx, why, sizeof why);
    return need == 0 || u->arx_have >= need || u->ag_r < 0;
}

static int agent_write(uml_inst *u, const uint8_t *p, size_t n, double deadline, const char *op,
                       char *err, size_t err_len)
{
    size_t off = 0;
    while (off < n) {
        if (u->trouble) {
            trouble_reason(u, err, err_len);
            return -1;
        }
        /* At most 1 KiB at a time, letting the guest read in between: a burst of more than
         * about 4 KiB (n_tty's buffer) wedges UML's serial line (its unthrottle loses the
         * wakeup, and the next request is never read). */
        size_t chunk = n - off > 1024u ? 1024u : n - off;
        ssize_t w = write(u->ag_w, p + off, chunk);
        if (w > 0) {
            off += (size_t)w;
            if (off < n)
                pump_once(u, 5);
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN) {
            if (now() > deadline) {
                say(err, err_len, "the agent took no input for %.0f s (%s, %zu of %zu bytes sent)",
                    OP_TIMEOUT, op, off, n);
                uml_note(u, "error: %s", err);
                return -1;
            }
            pump_once(u, 10);
            continue;
        }
        fail(u, "writing %s to the agent: %s", op, w < 0 ? strerror(errno) : "no progress");
        trouble_reason(u, err, err_len);
        return -1;
    }
    return 0;
}

int uml_agent_call(uml_inst *u, vcf_frame *req, const vcf_frame **reply, char *err, size_t err_len)
{
    const char *op = vcf_frame_op_name(req->op);
    if (u->pid <= 0 || u->ag_w < 0) {
        say(err, err_len, "no UML instance is running (RESET first)");
        return VCF_ADAPTER_ERROR;
    }
    if (u->trouble) {
        trouble_reason(u, err, err_len);
        return VCF_ADAPTER_ERROR;
    }
    char why[512];
    req->seq = u->aseq++;
    size_t n = vcf_frame_encode(req, u->atx, VCF_FRAME_MAX, why, sizeof why);
    if (n == 0) {
        say(err, err_len, "cannot send %s to the agent: %s", op, why);
        return VCF_ADAPTER_ERROR;
    }
    double deadline = now() + OP_TIMEOUT;
    if (agent_write(u, u->atx, n, deadline, op, err, err_len) != 0)
        return VCF_ADAPTER_ERROR;
    int r = pump_until(u, deadline, agent_frame_ready, NULL);
    if (r < 0) {
        trouble_reason(u, err, err_len);
        return VCF_ADAPTER_ERROR;
    }
    size_t need = u->arx_have >= 4 ? vcf_frame_size(u->arx, why, sizeof why) : 0;
    if (u->arx_have >= 4 && need == 0) {
        fail(u, "garbage from the agent instead of the reply to %s: %s", op, why);
        trouble_reason(u, err, err_len);
        return VCF_ADAPTER_ERROR;
    }
    if (r == 0 || u->arx_have < 4 || u->arx_have < need) {
        if (u->ag_r < 0) {
            fail(u, "the agent's serial line closed during %s", op);
            trouble_reason(u, err, err_len);
        } else {
            say(err, err_len, "no answer from the agent within %.0f s to %s (%zu bytes came)",
                OP_TIMEOUT, op, u->arx_have);
            uml_note(u, "error: %s", err);
        }
        return VCF_ADAPTER_ERROR;
    }
    int rc = vcf_frame_decode(u->arx, need, &u->areply, u->ascratch, why, sizeof why);
    /* The reply's byte strings point into arx: keep them there until the next call, and
     * move any bytes after the frame to a spare place first. */
    size_t extra = u->arx_have - need;
    if (extra) {
        fail(u, "%zu unexpected bytes from the agent after its reply to %s", extra, op);
        trouble_reason(u, err, err_len);
        return VCF_ADAPTER_ERROR;
    }
    u->arx_have = 0;
    if (rc != VCF_FRAME_OK) {
        say(err, err_len, "malformed reply from the agent to %s: %s", op, why);
        uml_note(u, "error: %s", err);
        return VCF_ADAPTER_ERROR;
    }
    if (u->areply.op != (req->op | VCF_FRAME_REPLY) || u->areply.seq != req->seq) {
        say(err, err_len, "the agent answered %s (seq %u) with a %s frame, seq %u", op,
            (unsigned)req->seq, vcf_frame_op_name(u->areply.op), (unsigned)u->areply.seq);
        uml_note(u, "error: %s", err);
        return VCF_ADAPTER_ERROR;
    }
    *reply = &u->areply;
    return VCF_ADAPTER_OK;
}

/* ---- boot ------------------------------------------------------------------------------------ */

static bool driver_ready(uml_inst *u, const void *arg)
{
    (void)arg;
    return u->vu && vcf_vrpmsg_driver_ready(u->vu);
}

static bool agent_ready(uml_inst *u, const void *arg)
{
    (void)arg;
    return u->ready;
}

static int open_log(uml_inst *u, const char *log_name, char *err, size_t err_len)
{
    if (!u->o.log_dir[0] || !log_name)
        return 0;
    char path[VCF_UML_PATH_MAX + 300];
    snprintf(path, sizeof path, "%s/%s.log", u->o.log_dir, log_name);
    u->log = fopen(path, "we");
    if (!u->log) {
        say(err, err_len, "log file %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

int uml_boot(uml_inst *u, uint64_t features, uint32_t role, const vcf_adapter_param *params,
             size_t n_params, const char *log_name, char *err, size_t err_len)
{
    uml_shutdown(u, false);
    if (open_log(u, log_name, err, err_len) != 0)
        return VCF_ADAPTER_ERROR;
    uml_note(u, "boot: %s, features 0x%" PRIx64, u->o.kernel, features);

    vcf_vu_config cfg;
    vcf_vrpmsg_config(&cfg, features);
    if (u->o.trace) {
        cfg.log = vu_log;
        cfg.log_ud = u;
    }
    u->vu = vcf_vu_new(&cfg);
    if (!u->vu) {
        say(err, err_len, "cannot create the vhost-user device (out of memory?)");
        goto failed;
    }
    if (spawn(u, err, err_len) != 0)
        goto failed;

    double deadline = u->booted_at + u->o.boot_timeout;
    uint64_t acked0 = 0;
    int r = pump_until(u, deadline, driver_ready, NULL);
    if (r < 0) {
        trouble_reason(u, err, err_len);
        goto failed;
    }
    if (r == 0) {
        say(err, err_len,
            "no virtio_rpmsg_bus driver on the vhost-user device within %.0f s (%s; the driver "
            "is ready at its first vq0 kick)",
            u->o.boot_timeout,
            !u->accepted                                       ? "UML never connected to the socket"
            : !u->vu || !vcf_vu_features_acked(u->vu, &acked0) ? "no SET_FEATURES came"
                                                               : "the queues were set up, no kick");
        uml_note(u, "error: %s", err);
        goto failed;
    }
    uint64_t acked = 0;
    vcf_vu_features_acked(u->vu, &acked);
    acked &= ~(1ull << VCF_VU_F_PROTOCOL_FEATURES);
    if (acked != features) {
        say(err, err_len,
            "Linux acked virtio features 0x%" PRIx64 ", the group wants 0x%" PRIx64
            " (offered: the group's)",
            acked, features);
        uml_note(u, "error: %s", err);
        goto failed;
    }
    u->uml_pid = read_uml_pid(u->tmp);
    uml_note(u, "driver ready after %.3f s (features 0x%" PRIx64 ")", now() - u->booted_at, acked);

    r = pump_until(u, deadline, agent_ready, NULL);
    if (r < 0) {
        trouble_reason(u, err, err_len);
        goto failed;
    }
    if (r == 0) {
        say(err, err_len, "no \"vconform-agent: ready\" line on the console within %.0f s of boot",
            u->o.boot_timeout);
        uml_note(u, "error: %s", err);
        goto failed;
    }

    vcf_frame hello = {.op = VCF_FOP_HELLO};
    hello.hello.magic = VCF_FRAME_MAGIC;
    hello.hello.proto = VCF_FRAME_VERSION;
    const vcf_frame *rep = NULL;
    if (uml_agent_call(u, &hello, &rep, err, err_len) != VCF_ADAPTER_OK)
        goto failed;
    if (rep->rc != VCF_ADAPTER_OK || rep->hello.magic != VCF_FRAME_MAGIC) {
        say(err, err_len, "the agent refused HELLO: %s",
            rep->rc != VCF_ADAPTER_OK && rep->reason[0] ? rep->reason : "bad magic");
        uml_note(u, "error: %s", err);
        goto failed;
    }
    if (rep->hello.version && rep->hello.version[0])
        snprintf(u->version, sizeof u->version, "%s", rep->hello.version);

    vcf_frame rst = {.op = VCF_FOP_RESET, .role = role, .params = params, .n_params = n_params};
    if (uml_agent_call(u, &rst, &rep, err, err_len) != VCF_ADAPTER_OK)
        goto failed;
    if (rep->rc != VCF_ADAPTER_OK) {
        say(err, err_len, "the agent's RESET: %s", rep->reason[0] ? rep->reason : "failed");
        uml_note(u, "error: %s", err);
        int rc = rep->rc == VCF_ADAPTER_UNSUPPORTED ? VCF_ADAPTER_UNSUPPORTED : VCF_ADAPTER_ERROR;
        uml_shutdown(u, false);
        return rc;
    }
    drain(u);
    uml_note(u, "booted in %.3f s (kernel %s)", now() - u->booted_at, u->version);
    return VCF_ADAPTER_OK;

failed:
    uml_shutdown(u, false);
    return VCF_ADAPTER_ERROR;
}

/* ---- operations -------------------------------------------------------------------------- */

typedef struct received_after {
    uint64_t count;
} received_after;

static bool received_more(uml_inst *u, const void *arg)
{
    return u->received > ((const received_after *)arg)->count;
}

int uml_inject(uml_inst *u, const vcf_adapter_msg *m, char *err, size_t err_len)
{
    if (u->pid <= 0 || !u->vu) {
        say(err, err_len, "no UML instance is running (RESET first)");
        return VCF_ADAPTER_ERROR;
    }
    drain(u);
    if (u->trouble) {
        trouble_reason(u, err, err_len);
        return VCF_ADAPTER_ERROR;
    }
    received_after before = {u->received};
    uint32_t used = m->used_len > UINT32_MAX ? UINT32_MAX : (uint32_t)m->used_len;
    uint32_t cap = 0;
    char why[256];
    int r = vcf_vrpmsg_inject(u->vu, m->data, m->len, used, &cap, why, sizeof why);
    if (r == 0) {
        say(err, err_len,
            "vq0: the driver has no rx buffer posted (it keeps 256 and re-posts each one after "
            "its callback; none was available for this %zu-byte message)",
            m->len);
        uml_note(u, "error: %s", err);
        return VCF_ADAPTER_ERROR;
    }
    if (r < 0) {
        say(err, err_len, "vq0: %s", why);
        uml_note(u, "error: %s", err);
        return VCF_ADAPTER_ERROR;
    }
    uml_note(u, "inject %zu bytes on vq0, used_len %u, into a %u-byte buffer", m->len,
             used ? used : (unsigned)m->len, cap);
    r = pump_until(u, now() + OP_TIMEOUT, received_more, &before);
    if (r < 0) {
        trouble_reason(u, err, err_len);
        return VCF_ADAPTER_ERROR;
    }
    if (r == 0) {
        say(err, err_len,
            "no \"Received N messages\" line from virtio_rpmsg_bus within %.0f s of the inject "
            "(the driver's rx callback did not run or did not finish)",
            OP_TIMEOUT);
        uml_note(u, "error: %s", err);
        return VCF_ADAPTER_ERROR;
    }
    drain(u);
    if (u->trouble) {
        trouble_reason(u, err, err_len);
        return VCF_ADAPTER_ERROR;
    }
    return VCF_ADAPTER_OK;
}

int uml_pump_now(uml_inst *u, char *err, size_t err_len)
{
    if (u->pid <= 0) {
        say(err, err_len, "no UML instance is running (RESET first)");
        return VCF_ADAPTER_ERROR;
    }
    drain(u);
    if (u->trouble) {
        trouble_reason(u, err, err_len);
        return VCF_ADAPTER_ERROR;
    }
    return VCF_ADAPTER_OK;
}

bool uml_match_rx(uml_inst *u, uint64_t *ept, uint64_t *addr, uint64_t claimed_len)
{
    bool any = *ept == 0xFFFFFFFFu;
    for (size_t i = 0; i < u->rx_n; i++) {
        rxrec *r = &u->rx[i];
        if (r->used || r->len < 0 || (uint64_t)r->len != claimed_len)
            continue;
        if (!any && r->dst != *ept)
            continue;
        r->used = true;
        *addr = r->src;
        if (any)
            *ept = r->dst;
        return true;
    }
    return false;
}

/* ---- life cycle ------------------------------------------------------------------------ */

uml_inst *uml_new(const vcf_uml_opts *opts)
{
    uml_inst *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->o = *opts;
    snprintf(u->version, sizeof u->version, "6.1 (UML)");
    u->pid = u->watchdog = -1;
    u->uml_pid = 0;
    u->watch_w = u->con_fd = u->ag_w = u->ag_r = u->listen_fd = -1;
    u->atx = malloc(VCF_FRAME_MAX);
    u->arx = malloc(VCF_FRAME_MAX);
    u->ascratch = malloc(sizeof *u->ascratch);
    u->txbuf = malloc(TX_MAX);
    if (!u->atx || !u->arx || !u->ascratch || !u->txbuf) {
        uml_free(u);
        return NULL;
    }
    return u;
}

void uml_free(uml_inst *u)
{
    if (!u)
        return;
    uml_shutdown(u, false);
    free(u->rx);
    free(u->atx);
    free(u->arx);
    free(u->ascratch);
    free(u->txbuf);
    free(u);
}

bool uml_running(const uml_inst *u)
{
    return u && u->pid > 0;
}

const char *uml_kernel_version(const uml_inst *u)
{
    return u->version;
}
