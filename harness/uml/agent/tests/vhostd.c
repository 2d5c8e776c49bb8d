/* SPDX-License-Identifier: MIT */
/*
 * vcf-agent-vhostd: a test helper for uml_agent_rpmsg. An RPMsg vhost-user device (the
 * harness/vhost library) driven line by line on stdin, so a script can play the lower tester
 * while it talks to vconform-uml-agent as the upper tester:
 *
 *   vcf-agent-vhostd SOCKET      prints "listening", then serves the front-end that connects
 *   stdin  "inject HEX"          one message into the next rx buffer: prints "injected RC"
 *   stdout "ready"               once the driver has posted its rx buffers
 *          "tx HEX"              every message the driver sends
 * It exits when stdin ends or the front-end disconnects.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vhost_rpmsg.h"
#include "vhost_user.h"

static void print_hex(const char *tag, const uint8_t *b, size_t n)
{
    printf("%s ", tag);
    for (size_t i = 0; i < n; i++)
        printf("%02x", b[i]);
    printf("\n");
    fflush(stdout);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static void command(vcf_vu_dev *d, const char *line)
{
    char err[512];
    if (strncmp(line, "inject ", 7) != 0) {
        fprintf(stderr, "vhostd: unknown command '%s'\n", line);
        return;
    }
    static uint8_t m[8192];
    size_t n = 0;
    for (const char *h = line + 7; h[0] && h[1] && n < sizeof m; h += 2) {
        int hi = hexval(h[0]), lo = hexval(h[1]);
        if (hi < 0 || lo < 0) {
            fprintf(stderr, "vhostd: bad hex at '%s'\n", h);
            return;
        }
        m[n++] = (uint8_t)(hi << 4 | lo);
    }
    uint32_t cap = 0;
    int rc = vcf_vrpmsg_inject(d, m, n, 0, &cap, err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "vhostd: inject: %s\n", err);
    printf("injected %d\n", rc);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    char err[512];
    if (argc != 2) {
        fprintf(stderr, "usage: vcf-agent-vhostd SOCKET\n");
        return 2;
    }
    int lfd = vcf_vu_listen(argv[1], err, sizeof err);
    if (lfd < 0) {
        fprintf(stderr, "vhostd: %s\n", err);
        return 1;
    }
    printf("listening\n");
    fflush(stdout);
    vcf_vu_config cfg;
    vcf_vrpmsg_config(&cfg, (1ull << VCF_VRPMSG_F_NS) | (1ull << VCF_VU_F_VERSION_1));
    vcf_vu_dev *d = vcf_vu_new(&cfg);
    int conn = d ? accept(lfd, NULL, NULL) : -1;
    if (conn < 0) {
        fprintf(stderr, "vhostd: no front-end: %s\n", strerror(errno));
        return 1;
    }
    vcf_vu_attach(d, conn);
    static char line[20000];
    size_t have = 0;
    bool said_ready = false;
    for (;;) {
        struct pollfd p[4];
        nfds_t n = 0;
        p[n++] = (struct pollfd){.fd = 0, .events = POLLIN};
        p[n++] = (struct pollfd){.fd = vcf_vu_conn_fd(d), .events = POLLIN};
        for (unsigned q = 0; q < 2; q++)
            if (vcf_vu_kick_fd(d, q) >= 0)
                p[n++] = (struct pollfd){.fd = vcf_vu_kick_fd(d, q), .events = POLLIN};
        if (poll(p, n, 100) < 0 && errno != EINTR) {
            perror("vhostd: poll");
            return 1;
        }
        if (p[1].revents & (POLLIN | POLLHUP)) {
            int rc = vcf_vu_dispatch(d, err, sizeof err);
            if (rc < 0)
                fprintf(stderr, "vhostd: %s\n", err);
            if (rc <= 0)
                break;
        }
        for (unsigned q = 0; q < 2; q++)
            (void)vcf_vu_take_kicks(d, q);
        static uint8_t buf[8192];
        size_t len;
        int got;
        while ((got = vcf_vrpmsg_collect(d, buf, sizeof buf, &len, err, sizeof err)) == 1)
            print_hex("tx", buf, len < sizeof buf ? len : sizeof buf);
        if (got < 0)
            fprintf(stderr, "vhostd: collect: %s\n", err);
        if (!said_ready && vcf_vrpmsg_driver_ready(d)) {
            said_ready = true;
            printf("ready\n");
            fflush(stdout);
        }
        if (p[0].revents & (POLLIN | POLLHUP)) {
            ssize_t r = read(0, line + have, sizeof line - 1 - have);
            if (r <= 0)
                break;
            have += (size_t)r;
            char *nl;
            while ((nl = memchr(line, '\n', have)) != NULL) {
                *nl = '\0';
                command(d, line);
                size_t used = (size_t)(nl - line) + 1;
                memmove(line, line + used, have - used);
                have -= used;
            }
            if (have == sizeof line - 1)
                have = 0; /* an absurd line: drop it */
        }
    }
    vcf_vu_free(d);
    close(lfd);
    return 0;
}
