/* SPDX-License-Identifier: MIT */
/*
 * vconform-uml-agent: /init of the UML guest (docs/uml-agent.md).
 *
 * As PID 1 it mounts /proc, /sys and /dev, opens the serial line raw, prints
 * "vconform-agent: ready VERSION" on the console and serves the stdio adapter protocol on the
 * line until CLOSE or the end of the stream; then it syncs and powers the guest off. PID 1
 * never exits (that panics the kernel): every fatal error is one console line and a power-off.
 *
 * Settings come from the environment (the kernel passes unknown k=v boot arguments there):
 *   VCF_AGENT_TTY   the serial line (default /dev/ttyS0); "stdio" serves stdin/stdout and logs
 *                   on stderr (for tests on the host)
 *   VCF_AGENT_CTRL  the rpmsg control device (default /dev/rpmsg_ctrl0)
 *   VCF_AGENT_SYS, VCF_AGENT_DEV   where sysfs and /dev are (default /sys, /dev)
 * Not PID 1 (a test on the host): nothing is mounted and the agent exits instead of powering
 * off.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>

#include "agent.h"

#ifndef VCF_VERSION
#define VCF_VERSION "0"
#endif

static bool pid1;
static FILE *logf_; /* the console (stdout), or stderr in stdio mode */

__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(logf_, fmt, ap);
    va_end(ap);
    fputc('\n', logf_);
    fflush(logf_);
}

__attribute__((noreturn)) static void finish(int code)
{
    fflush(NULL);
    if (!pid1)
        exit(code);
    sync();
    reboot(RB_POWER_OFF);
    say("vconform-agent: power-off failed: %s", strerror(errno));
    for (;;)
        pause();
}

__attribute__((noreturn, format(printf, 1, 2))) static void fatal(const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    say("vconform-agent: fatal: %s; powering off", msg);
    finish(2);
}

/* ---- the real kernel calls ---------------------------------------------------------------- */

static int k_open(void *ud, const char *path, int *fd)
{
    (void)ud;
    int f = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (f < 0)
        return -errno;
    *fd = f;
    return 0;
}

static int k_ioctl_info(void *ud, int fd, unsigned long cmd, const vcf_rpmsg_endpoint_info *info)
{
    (void)ud;
    vcf_rpmsg_endpoint_info copy = *info;
    return ioctl(fd, cmd, &copy) < 0 ? -errno : 0;
}

static int k_ioctl_none(void *ud, int fd, unsigned long cmd)
{
    (void)ud;
    return ioctl(fd, cmd) < 0 ? -errno : 0;
}

static long k_read(void *ud, int fd, void *buf, size_t cap)
{
    (void)ud;
    ssize_t r = read(fd, buf, cap);
    return r < 0 ? -errno : (long)r;
}

static long k_write(void *ud, int fd, const void *buf, size_t len)
{
    (void)ud;
    ssize_t r = write(fd, buf, len);
    return r < 0 ? -errno : (long)r;
}

static void k_close(void *ud, int fd)
{
    (void)ud;
    close(fd);
}

static int k_write_attr(void *ud, const char *path, const char *text)
{
    (void)ud;
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    size_t n = strlen(text);
    ssize_t w = write(fd, text, n);
    int rc = w < 0 ? -errno : (size_t)w == n ? 0 : -EIO;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    return rc;
}

static void k_log(void *ud, const char *line)
{
    (void)ud;
    say("%s", line);
}

static const vcf_agent_kops real_kops = {
    .open_node = k_open,
    .ioctl_info = k_ioctl_info,
    .ioctl_none = k_ioctl_none,
    .read = k_read,
    .write = k_write,
    .close = k_close,
    .write_attr = k_write_attr,
    .log = k_log,
};

/* ---- PID 1 duties and the line ---------------------------------------------------------- */

static void mount_one(const char *src, const char *dir, const char *type)
{
    if (mount(src, dir, type, 0, NULL) == 0 || errno == EBUSY)
        return; /* EBUSY: already there (CONFIG_DEVTMPFS_MOUNT) */
    fatal("mount -t %s %s %s: %s", type, src, dir, strerror(errno));
}

static void pid1_setup(void)
{
    /* Without an initial console the kernel leaves fds 0-2 closed: the serial line would
     * become fd 0 and the log would land in the frame stream. */
    bool have_console = fcntl(1, F_GETFD) >= 0;
    mount_one("proc", "/proc", "proc");
    mount_one("sysfs", "/sys", "sysfs");
    mount_one("devtmpfs", "/dev", "devtmpfs");
    if (!have_console) {
        int c = open("/dev/console", O_RDWR | O_NOCTTY);
        if (c < 0)
            c = open("/dev/null", O_RDWR);
        for (int fd = 0; fd <= 2 && c >= 0; fd++)
            if (fd != c)
                dup2(c, fd);
        if (c > 2)
            close(c);
    }
}

static int open_line(const char *tty)
{
    int fd = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        fatal("open %s: %s", tty, strerror(errno));
    struct termios t;
    if (tcgetattr(fd, &t) != 0)
        fatal("%s is not a terminal: %s", tty, strerror(errno));
    cfmakeraw(&t); /* no echo, no CR/LF mapping, 8 bits */
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(fd, TCSANOW, &t) != 0)
        fatal("raw mode on %s: %s", tty, strerror(errno));
    tcflush(fd, TCIOFLUSH);
    return fd;
}

/* ---- the frame loop ------------------------------------------------------------------------ */

typedef struct loop {
    int in, out;
    uint8_t *rx, *tx;
    size_t have;
    unsigned long long stream;
    vcf_frame_scratch *scratch;
} loop;

static void send_frame(loop *l, const vcf_frame *f)
{
    char err[256];
    size_t n = vcf_frame_encode(f, l->tx, VCF_FRAME_MAX, err, sizeof err);
    if (n == 0) {
        say("vconform-agent: cannot encode the %s reply: %s", vcf_frame_op_name(f->op), err);
        vcf_frame e = {.op = f->op, .seq = f->seq, .rc = VCF_ADAPTER_ERROR, .reason = err};
        n = vcf_frame_encode(&e, l->tx, VCF_FRAME_MAX, NULL, 0);
        if (n == 0)
            fatal("cannot encode an error reply");
    }
    for (size_t off = 0; off < n;) {
        ssize_t w = write(l->out, l->tx + off, n - off);
        if (w > 0)
            off += (size_t)w;
        else if (w < 0 && errno == EINTR)
            continue;
        else
            fatal("writing a reply on the line: %s", w < 0 ? strerror(errno) : "no progress");
    }
}

static void reply_error(loop *l, const vcf_frame *req, int rc, const char *why)
{
    vcf_frame r = {.op = (uint16_t)(req->op | VCF_FRAME_REPLY), .seq = req->seq};
    r.rc = rc;
    r.reason = why;
    send_frame(l, &r);
}

/* One whole frame in l->rx: its size. At the end of the stream: power off. */
static size_t next_frame(loop *l)
{
    size_t need = 4;
    for (;;) {
        if (l->have >= 4) {
            char err[256];
            need = vcf_frame_size(l->rx, err, sizeof err);
            if (need == 0)
                fatal("garbage on the line at stream offset %llu: %s", l->stream, err);
            if (l->have >= need)
                return need;
        }
        ssize_t r = read(l->in, l->rx + l->have, VCF_FRAME_MAX - l->have);
        if (r > 0) {
            l->have += (size_t)r;
            continue;
        }
        if (r < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (r == 0 && l->have == 0) {
            say("vconform-agent: end of the stream; powering off");
            finish(0);
        }
        if (r == 0)
            fatal("the stream ended inside a frame at offset %llu (%zu of %zu bytes)", l->stream,
                  l->have, need);
        fatal("reading the line: %s", strerror(errno));
    }
}

int main(void)
{
    pid1 = getpid() == 1;
    logf_ = stdout;
    signal(SIGPIPE, SIG_IGN);
    if (pid1)
        pid1_setup();

    const char *tty = getenv("VCF_AGENT_TTY");
    if (!tty || !*tty)
        tty = "/dev/ttyS0";
    loop l;
    memset(&l, 0, sizeof l);
    if (strcmp(tty, "stdio") == 0) {
        logf_ = stderr;
        l.in = 0;
        l.out = 1;
    } else {
        l.in = l.out = open_line(tty);
    }

    struct utsname u;
    const char *release = uname(&u) == 0 ? u.release : "unknown";
    l.rx = malloc(VCF_FRAME_MAX);
    l.tx = malloc(VCF_FRAME_MAX);
    l.scratch = malloc(sizeof *l.scratch);
    static vcf_agent agent;
    if (!l.rx || !l.tx || !l.scratch ||
        vcf_agent_init(&agent, &real_kops, getenv("VCF_AGENT_SYS"), getenv("VCF_AGENT_DEV"),
                       getenv("VCF_AGENT_CTRL"), release) != 0)
        fatal("out of memory");

    say("vconform-agent: ready %s", VCF_VERSION);
    for (;;) {
        size_t n = next_frame(&l);
        vcf_frame req, rep;
        char err[512];
        int rc = vcf_frame_decode(l.rx, n, &req, l.scratch, err, sizeof err);
        bool close_now = false;
        if (rc == VCF_FRAME_UNKNOWN_OP) {
            char why[128];
            snprintf(why, sizeof why, "unknown op 0x%04x (this agent speaks protocol version %u)",
                     (unsigned)req.op, VCF_FRAME_VERSION);
            reply_error(&l, &req, VCF_ADAPTER_UNSUPPORTED, why);
        } else if (rc != VCF_FRAME_OK) {
            char why[700];
            snprintf(why, sizeof why, "malformed request at stream offset %llu: %s", l.stream, err);
            say("vconform-agent: %s", why);
            reply_error(&l, &req, VCF_ADAPTER_ERROR, why);
        } else if (req.op & VCF_FRAME_REPLY) {
            reply_error(&l, &req, VCF_ADAPTER_ERROR, "a reply frame where a request was expected");
        } else {
            close_now = vcf_agent_handle(&agent, &req, &rep);
            send_frame(&l, &rep);
        }
        memmove(l.rx, l.rx + n, l.have - n);
        l.have -= n;
        l.stream += n;
        if (close_now) {
            if (l.out > 2)
                tcdrain(l.out); /* the CLOSE reply leaves before the power goes */
            vcf_agent_fini(&agent);
            say("vconform-agent: closed; powering off");
            finish(0);
        }
    }
}
