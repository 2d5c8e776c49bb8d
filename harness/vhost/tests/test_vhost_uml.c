/* SPDX-License-Identifier: MIT */
/*
 * vhost_uml_smoke: the back-end against the real front-end. Boots the UML kernel named by
 * VCONFORM_UML_KERNEL with a tiny static /init (argv[1]), serves the vhost-user handshake,
 * injects the name-service announcement of "rpmsg-raw" at 0x400 once the driver is ready, and
 * checks that Linux created the channel and logged no BUG/WARNING/panic.
 *
 * Exit: 0 pass, 1 fail, 77 skipped (no kernel). The UML process group is killed and the
 * temporary directory removed on every path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vhost_rpmsg.h"
#include "vhost_user.h"

#define SKIP 77

static const uint8_t ns_announce[56] = {
    0x00, 0x04, 0x00, 0x00, 0x35, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00,
    0x00, 0x00, 'r',  'p',  'm',  's',  'g',  '-',  'r',  'a',  'w',  0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static char tmpdir[] = "/tmp/vcf-uml-smoke-XXXXXX";
static bool have_tmp;
static pid_t uml_pid = -1;
static char root[256], sock[256], umldir[256], logp[256];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    (void)remove(path); /* best effort: nothing else to do about a failure here */
    return 0;
}

static void cleanup(void)
{
    if (uml_pid > 0) {
        kill(-uml_pid, SIGKILL);
        waitpid(uml_pid, NULL, 0);
        uml_pid = -1;
    }
    if (have_tmp && !getenv("VCF_KEEP_SMOKE_DIR"))
        nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    have_tmp = false;
}

static void log_line(void *ud, const char *line)
{
    (void)ud;
    fprintf(stderr, "vhost: %s\n", line);
}

static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    if (out < 0) {
        close(in);
        return -1;
    }
    char buf[65536];
    ssize_t n;
    int rc = 0;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n) {
            rc = -1;
            break;
        }
    if (n < 0)
        rc = -1;
    close(in);
    close(out);
    return rc;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *s = malloc(cap);
    size_t n;
    while (s && (n = fread(s + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 1024) {
            char *t = realloc(s, cap * 2);
            if (!t) {
                free(s);
                s = NULL;
                break;
            }
            s = t;
            cap *= 2;
        }
    }
    fclose(f);
    if (s)
        s[len] = 0;
    return s;
}

/* Serve the front-end until it disconnects, the deadline passes, or an error. 0 when the
 * announcement went in and the front-end closed the connection (power-off). */
static int serve(vcf_vu_dev *d, int lfd, double deadline)
{
    char err[512];
    struct pollfd lp = {.fd = lfd, .events = POLLIN};
    int pr = poll(&lp, 1, 30000);
    if (pr != 1) {
        fprintf(stderr, "FAIL: the front-end did not connect within 30 s\n");
        return -1;
    }
    int conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (conn < 0) {
        perror("FAIL: accept");
        return -1;
    }
    vcf_vu_attach(d, conn);
    bool announced = false;
    while (now() < deadline) {
        struct pollfd p[3];
        int n = 0;
        p[n++] = (struct pollfd){.fd = vcf_vu_conn_fd(d), .events = POLLIN};
        for (unsigned q = 0; q < 2; q++)
            if (vcf_vu_kick_fd(d, q) >= 0)
                p[n++] = (struct pollfd){.fd = vcf_vu_kick_fd(d, q), .events = POLLIN};
        if (poll(p, (nfds_t)n, 200) < 0 && errno != EINTR) {
            perror("FAIL: poll");
            return -1;
        }
        if (p[0].revents) {
            int rc = vcf_vu_dispatch(d, err, sizeof err);
            if (rc == 0) {
                fprintf(stderr, "front-end closed the connection\n");
                return announced ? 0 : -1;
            }
            if (rc < 0) {
                fprintf(stderr, "FAIL: vhost-user: %s\n", err);
                return -1;
            }
        }
        for (unsigned q = 0; q < 2; q++)
            (void)vcf_vu_take_kicks(d, q);
        /* Drain tx (the driver sends nothing here, but keep its ring moving). */
        uint8_t buf[512];
        size_t len;
        while (vcf_vrpmsg_collect(d, buf, sizeof buf, &len, err, sizeof err) == 1)
            fprintf(stderr, "tx: %zu bytes\n", len);
        if (!announced && vcf_vrpmsg_driver_ready(d)) {
            uint32_t cap = 0;
            int rc =
                vcf_vrpmsg_inject(d, ns_announce, sizeof ns_announce, 0, &cap, err, sizeof err);
            if (rc < 0) {
                fprintf(stderr, "FAIL: inject: %s\n", err);
                return -1;
            }
            if (rc == 1) {
                fprintf(stderr, "injected the NS announcement (rx buffer of %u bytes)\n", cap);
                announced = true;
            }
        }
    }
    fprintf(stderr, "FAIL: no power-off before the deadline\n");
    return -1;
}

/* One boot: serve, announce, wait for the power-off, check the log. 0 pass, 1 fail. */
static int boot(const char *kernel, bool reply_ack)
{
    printf("boot %s REPLY_ACK\n", reply_ack ? "with" : "without");
    fflush(stdout);
    char err[512];
    int lfd = vcf_vu_listen(sock, err, sizeof err);
    if (lfd < 0) {
        fprintf(stderr, "FAIL: %s\n", err);
        return 1;
    }
    vcf_vu_config cfg;
    vcf_vrpmsg_config(&cfg, (1ull << VCF_VRPMSG_F_NS) | (1ull << VCF_VU_F_VERSION_1));
    if (reply_ack)
        cfg.protocol_features |= 1ull << VCF_VU_PROTOCOL_F_REPLY_ACK;
    cfg.log = log_line;
    vcf_vu_dev *d = vcf_vu_new(&cfg);
    if (!d) {
        fprintf(stderr, "FAIL: vcf_vu_new\n");
        return 1;
    }

    char a_root[300], a_dir[300], a_dev[300];
    snprintf(a_root, sizeof a_root, "rootflags=%s", root);
    snprintf(a_dir, sizeof a_dir, "uml_dir=%s", umldir);
    snprintf(a_dev, sizeof a_dev, "virtio_uml.device=%s:7", sock);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        setpgid(0, 0);
        int nul = open("/dev/null", O_RDONLY);
        int out = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (nul < 0 || out < 0)
            _exit(126);
        dup2(nul, 0);
        dup2(out, 1);
        dup2(out, 2);
        setenv("TMPDIR", tmpdir, 1);
        execlp("timeout", "timeout", "-k", "5", "60", kernel, "mem=64M", "root=/dev/root",
               "rootfstype=hostfs", a_root, "rw", "init=/init", a_dir, "con0=null,fd:1", a_dev,
               (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid); /* also from here: no race with the kill below */
    uml_pid = pid;

    int served = serve(d, lfd, now() + 60.0);
    vcf_vu_free(d);
    close(lfd);

    /* Wait for the power-off (bounded), then kill whatever is left of the group. */
    int status = 0;
    double until = now() + 20.0;
    pid_t w = 0;
    while ((w = waitpid(pid, &status, WNOHANG)) == 0 && now() < until) {
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(-pid, SIGKILL);
    if (w == 0)
        waitpid(pid, &status, 0);
    uml_pid = -1;

    char *log = read_all(logp);
    if (!log) {
        fprintf(stderr, "FAIL: no console log\n");
        return 1;
    }
    int fails = 0;
    if (served != 0)
        fails++;
    if (w == 0) {
        fprintf(stderr, "FAIL: UML did not exit by itself (killed)\n");
        fails++;
    }
    if (!strstr(log, "creating channel rpmsg-raw addr 0x400")) {
        fprintf(stderr, "FAIL: the kernel log has no 'creating channel rpmsg-raw addr 0x400'\n");
        fails++;
    }
    if (!strstr(log, "VCF-SMOKE: channel virtio0.rpmsg-raw.")) {
        fprintf(stderr, "FAIL: /init did not see the channel under /sys/bus/rpmsg/devices\n");
        fails++;
    }
    static const char *const bad[] = {"BUG:", "WARNING:", "Kernel panic", "Oops"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (strstr(log, bad[i])) {
            fprintf(stderr, "FAIL: the kernel log contains '%s'\n", bad[i]);
            fails++;
        }
    const char *ch = strstr(log, "VCF-SMOKE:");
    if (ch) {
        const char *e = strchr(ch, '\n');
        printf("%.*s\n", (int)(e ? e - ch : (long)strlen(ch)), ch);
    }
    if (fails)
        fprintf(stderr, "---- console log ----\n%s\n---- end ----\n", log);
    free(log);
    return fails ? 1 : 0;
}

int main(int argc, char **argv)
{
    const char *kernel = getenv("VCONFORM_UML_KERNEL");
    if (!kernel || !*kernel) {
        printf("SKIP: VCONFORM_UML_KERNEL is not set (a UML kernel built by ci/uml)\n");
        return SKIP;
    }
    if (access(kernel, X_OK) != 0) {
        printf("SKIP: VCONFORM_UML_KERNEL=%s is not an executable file\n", kernel);
        return SKIP;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: %s STATIC-INIT\n", argv[0]);
        return 1;
    }
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    have_tmp = true;
    atexit(cleanup);
    char init[300], path[320];
    snprintf(root, sizeof root, "%s/root", tmpdir);
    snprintf(sock, sizeof sock, "%s/vu.sock", tmpdir);
    snprintf(umldir, sizeof umldir, "%s/uml", tmpdir);
    snprintf(logp, sizeof logp, "%s/console.log", tmpdir);
    snprintf(init, sizeof init, "%s/init", root);
    mkdir(root, 0755);
    mkdir(umldir, 0755);
    static const char *const dirs[] = {"sys", "dev", "proc", "tmp"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", root, dirs[i]);
        mkdir(path, 0755);
    }
    if (copy_file(argv[1], init) != 0) {
        fprintf(stderr, "FAIL: copying %s to %s: %s\n", argv[1], init, strerror(errno));
        return 1;
    }

    int fails = 0;
    fails += boot(kernel, false);
    fails += boot(kernel, true);
    if (fails)
        return 1;
    printf("PASS: UML created the rpmsg-raw channel from the injected announcement (with and "
           "without REPLY_ACK)\n");
    return 0;
}
