/* SPDX-License-Identifier: MIT */
/*
 * The vhost-user back-end and the RPMsg glue against a fake front-end in this process: a
 * socketpair for the vhost-user connection, a memfd for guest memory laid out as UML does
 * (guest_addr == user_addr == mmap_offset), eventfds for kicks and pipes for calls. The test
 * plays the driver on the rings with explicit little-endian stores.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "vhost_rpmsg.h"
#include "vhost_user.h"

/* ---- guest memory layout (guest-physical addresses == file offsets) ------------------------- */

#define MOFF     0x2000ull  /* guest_addr == user_addr == mmap_offset of the one region */
#define MSIZE    0x40000ull /* region size: guest memory is [MOFF, MOFF + MSIZE) */
#define MEND     (MOFF + MSIZE)
#define QNUM     128u
#define RING0    0x4000ull /* q0: desc, +0x1000 avail, +0x2000 used */
#define RING1    0x8000ull
#define RXBUF    0x10000ull
#define TXBUF    0x20000ull
#define BUFSZ    512u
#define F_NS     (1ull << VCF_VRPMSG_F_NS)
#define F_V1     (1ull << VCF_VU_F_VERSION_1)
#define F_PROTO  (1ull << VCF_VU_F_PROTOCOL_FEATURES)
#define F_INDIR  (1ull << 28)
#define PF_SLAVE (1ull << VCF_VU_PROTOCOL_F_SLAVE_REQ)
#define PF_ACK   (1ull << VCF_VU_PROTOCOL_F_REPLY_ACK)

enum {
    GET_FEATURES = 1,
    SET_FEATURES = 2,
    SET_OWNER = 3,
    RESET_OWNER = 4,
    SET_MEM_TABLE = 5,
    SET_LOG_BASE = 6,
    SET_VRING_NUM = 8,
    SET_VRING_ADDR = 9,
    SET_VRING_BASE = 10,
    GET_VRING_BASE = 11,
    SET_VRING_KICK = 12,
    SET_VRING_CALL = 13,
    SET_VRING_ERR = 14,
    GET_PROTOCOL_FEATURES = 15,
    SET_PROTOCOL_FEATURES = 16,
    GET_QUEUE_NUM = 17,
    SET_VRING_ENABLE = 18,
    SET_SLAVE_REQ_FD = 21,
    IOTLB_MSG = 22,
    GET_CONFIG = 24,
};

/* ---- the fake front-end ---------------------------------------------------------------------- */

typedef struct fe {
    vcf_vu_dev *d;
    int sock;       /* front-end end of the connection */
    int memfd;      /* guest memory: MEND bytes */
    uint8_t *mem;   /* the front-end's own mapping; gpa X is mem + X */
    int kick[2];    /* eventfds per queue */
    int call_rd[2]; /* pipe read ends (the front-end keeps these) */
    int call_wr[2]; /* pipe write ends (sent, then closed here as UML does) */
    int slave_rd;   /* slave channel pipe read end */
    uint16_t avail_idx[2];
    uint64_t offered_pf;
    bool ack; /* REPLY_ACK negotiated: every message without its own reply gets an ack */
    char log[64][160];
    unsigned n_log;
} fe;

static char err[512];

static void log_line(void *ud, const char *line)
{
    fe *f = ud;
    if (f->n_log < 64)
        snprintf(f->log[f->n_log++], sizeof f->log[0], "%s", line);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) | ((uint64_t)get32(p + 4) << 32);
}

static int count_fds(void)
{
    DIR *dir = opendir("/proc/self/fd");
    assert_non_null(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(dir);
    return n;
}

static void fe_send(fe *f, uint32_t req, uint32_t flags, const void *payload, uint32_t size,
                    const int *fds, unsigned nfds)
{
    uint8_t buf[12 + 4096];
    assert_true(size <= 4096);
    put32(buf, req);
    put32(buf + 4, flags);
    put32(buf + 8, size);
    if (size)
        memcpy(buf + 12, payload, size);
    struct iovec iov = {.iov_base = buf, .iov_len = 12 + size};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
    union {
        char b[CMSG_SPACE(32 * sizeof(int))];
        struct cmsghdr a;
    } ctl;
    if (nfds) {
        assert_true(nfds <= 32);
        mh.msg_control = ctl.b;
        mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
        memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
    }
    assert_int_equal(sendmsg(f->sock, &mh, MSG_NOSIGNAL), (ssize_t)(12 + size));
}

/* Read one reply: check its header and return its u64 payload. */
static uint64_t fe_reply_u64(fe *f, uint32_t req)
{
    uint8_t b[20];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = recv(f->sock, b + got, sizeof b - got, MSG_DONTWAIT);
        if (n <= 0)
            fail_msg("no reply to request %u (got %zu bytes)", req, got);
        got += (size_t)n;
    }
    assert_int_equal(get32(b), req);
    assert_int_equal(get32(b + 4), 0x5); /* version 1 | REPLY */
    assert_int_equal(get32(b + 8), 8);
    return get64(b + 12);
}

static bool fe_nothing_pending(fe *f)
{
    uint8_t b;
    ssize_t n = recv(f->sock, &b, 1, MSG_DONTWAIT | MSG_PEEK);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

/* Send a request without a reply of its own; the back-end handles it; check the ack. */
static void fe_req(fe *f, uint32_t req, const void *payload, uint32_t size, const int *fds,
                   unsigned nfds)
{
    fe_send(f, req, f->ack ? 0x9 : 0x1, payload, size, fds, nfds);
    if (vcf_vu_dispatch(f->d, err, sizeof err) != 1)
        fail_msg("request %u: %s", req, err);
    if (f->ack)
        assert_int_equal(fe_reply_u64(f, req), 0);
    assert_true(fe_nothing_pending(f));
}

static uint64_t fe_get(fe *f, uint32_t req)
{
    fe_send(f, req, 0x1, NULL, 0, NULL, 0);
    if (vcf_vu_dispatch(f->d, err, sizeof err) != 1)
        fail_msg("request %u: %s", req, err);
    return fe_reply_u64(f, req);
}

static void fe_u64(fe *f, uint32_t req, uint64_t v, const int *fds, unsigned nfds)
{
    uint8_t p[8];
    put64(p, v);
    fe_req(f, req, p, 8, fds, nfds);
}

static void fe_state(fe *f, uint32_t req, uint32_t index, uint32_t num)
{
    uint8_t p[8];
    put32(p, index);
    put32(p + 4, num);
    fe_req(f, req, p, 8, NULL, 0);
}

static void vring_addr_payload(uint8_t p[40], uint32_t q, uint64_t desc, uint64_t used,
                               uint64_t avail)
{
    put32(p, q);
    put32(p + 4, 0);
    put64(p + 8, desc); /* the order on the wire: desc, used, avail, log */
    put64(p + 16, used);
    put64(p + 24, avail);
    put64(p + 32, ~0ull);
}

/* The memory table as UML sends it: room for 2 regions, 1 used. */
static void mem_table_payload(uint8_t p[72], uint64_t gpa, uint64_t size, uint64_t uva,
                              uint64_t off)
{
    memset(p, 0, 72);
    put32(p, 1);
    put64(p + 8, gpa);
    put64(p + 16, size);
    put64(p + 24, uva);
    put64(p + 32, off);
}

static void fe_open(fe *f, uint64_t features, uint64_t proto)
{
    memset(f, 0, sizeof *f);
    vcf_vu_config cfg;
    vcf_vrpmsg_config(&cfg, features);
    cfg.protocol_features |= proto;
    f->offered_pf = cfg.protocol_features;
    cfg.log = log_line;
    cfg.log_ud = f;
    f->d = vcf_vu_new(&cfg);
    assert_non_null(f->d);
    f->memfd = memfd_create("vcf-guest", MFD_CLOEXEC);
    assert_true(f->memfd >= 0);
    assert_int_equal(ftruncate(f->memfd, (off_t)MEND), 0);
    f->mem = mmap(NULL, MEND, PROT_READ | PROT_WRITE, MAP_SHARED, f->memfd, 0);
    assert_true(f->mem != MAP_FAILED);
    f->sock = f->slave_rd = -1;
    for (unsigned q = 0; q < 2; q++)
        f->kick[q] = f->call_rd[q] = f->call_wr[q] = -1;
}

/* A new connection (the old one, if any, is closed on the front-end side). */
static void fe_connect(fe *f)
{
    if (f->sock >= 0)
        close(f->sock);
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    f->sock = sv[0];
    vcf_vu_attach(f->d, sv[1]);
    assert_true(vcf_vu_connected(f->d));
    assert_int_equal(vcf_vu_conn_fd(f->d), sv[1]);
    f->ack = false;
    f->avail_idx[0] = f->avail_idx[1] = 0;
    memset(f->mem, 0, MEND);
}

static void fe_close_side_fds(fe *f)
{
    for (unsigned q = 0; q < 2; q++) {
        if (f->kick[q] >= 0)
            close(f->kick[q]);
        if (f->call_rd[q] >= 0)
            close(f->call_rd[q]);
        f->kick[q] = f->call_rd[q] = -1;
    }
    if (f->slave_rd >= 0)
        close(f->slave_rd);
    f->slave_rd = -1;
}

static void fe_close(fe *f)
{
    vcf_vu_free(f->d);
    fe_close_side_fds(f);
    if (f->sock >= 0)
        close(f->sock);
    munmap(f->mem, MEND);
    close(f->memfd);
}

/* The sequence virtio_uml (Linux 6.1) sends up to the rings, as docs/vhost-user.md lists it. */
static void fe_negotiate(fe *f, uint64_t expect_features, uint64_t ack_features, bool reply_ack)
{
    fe_req(f, SET_OWNER, NULL, 0, NULL, 0);
    assert_int_equal(fe_get(f, GET_FEATURES), expect_features);
    uint64_t pf = fe_get(f, GET_PROTOCOL_FEATURES);
    assert_int_equal(pf, f->offered_pf);
    if (!reply_ack)
        pf &= ~PF_ACK;
    /* With REPLY_ACK in the set, this very message already asks for an ack. */
    f->ack = reply_ack;
    fe_u64(f, SET_PROTOCOL_FEATURES, pf, NULL, 0);
    assert_int_equal(vcf_vu_protocol_features(f->d), pf);
    int sp[2];
    assert_int_equal(pipe2(sp, O_CLOEXEC), 0);
    fe_req(f, SET_SLAVE_REQ_FD, NULL, 0, &sp[1], 1);
    close(sp[1]);
    fe_close_side_fds(f);
    f->slave_rd = sp[0];
    fe_u64(f, SET_FEATURES, ack_features, NULL, 0);
    uint64_t acked = 0;
    assert_true(vcf_vu_features_acked(f->d, &acked));
    assert_int_equal(acked, ack_features);
    uint8_t mt[72];
    mem_table_payload(mt, MOFF, MSIZE, MOFF, MOFF);
    fe_req(f, SET_MEM_TABLE, mt, sizeof mt, &f->memfd, 1);
}

static void fe_rings(fe *f)
{
    for (unsigned q = 0; q < 2; q++) {
        int p[2];
        assert_int_equal(pipe2(p, O_CLOEXEC), 0);
        f->call_rd[q] = p[0];
        fe_u64(f, SET_VRING_CALL, q, &p[1], 1);
        close(p[1]); /* UML closes its copy of the write end */
        fe_state(f, SET_VRING_NUM, q, QNUM);
        fe_state(f, SET_VRING_BASE, q, 0);
        uint64_t r = q ? RING1 : RING0;
        uint8_t a[40];
        vring_addr_payload(a, q, r, r + 0x2000, r + 0x1000);
        fe_req(f, SET_VRING_ADDR, a, sizeof a, NULL, 0);
        assert_false(vcf_vu_queue_ready(f->d, q));
    }
    for (unsigned q = 0; q < 2; q++) {
        f->kick[q] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        assert_true(f->kick[q] >= 0);
        fe_u64(f, SET_VRING_KICK, q, &f->kick[q], 1);
        assert_false(vcf_vu_queue_ready(f->d, q)); /* PROTOCOL_FEATURES: starts disabled */
        fe_state(f, SET_VRING_ENABLE, q, 1);
        assert_true(vcf_vu_queue_ready(f->d, q));
        assert_int_equal(vcf_vu_queue_size(f->d, q), QNUM);
        assert_true(vcf_vu_kick_fd(f->d, q) >= 0);
    }
}

static void fe_kick(fe *f, unsigned q)
{
    uint64_t one = 1;
    assert_int_equal(write(f->kick[q], &one, 8), 8);
}

/* One eventfd kick, read as the counter's value 1. Under qemu-user (the s390x suite) the
 * emulator byte-swaps eventfd values only on the fd the guest created, not on the copy that
 * arrived through SCM_RIGHTS, so there the back-end sees 1 in the other byte order; a real
 * big-endian kernel hands over host order. */
static void assert_one_kick(uint64_t got)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    if (got == __builtin_bswap64(1))
        return;
#endif
    assert_int_equal(got, 1);
}

/* The whole UML-style bring-up, ending with the driver's first kick on vq0. */
static void fe_bringup(fe *f, bool reply_ack)
{
    fe_connect(f);
    fe_negotiate(f, F_NS | F_V1 | F_PROTO, F_NS | F_V1 | F_PROTO, reply_ack);
    fe_rings(f);
    assert_false(vcf_vrpmsg_driver_ready(f->d));
    fe_kick(f, 0);
    assert_one_kick(vcf_vu_take_kicks(f->d, 0));
    assert_int_equal(vcf_vu_take_kicks(f->d, 0), 0);
    assert_one_kick(vcf_vu_kick_count(f->d, 0));
    assert_true(vcf_vrpmsg_driver_ready(f->d));
}

/* ---- the driver's side of the rings ---------------------------------------------------------- */

static uint8_t *gp(fe *f, uint64_t gpa)
{
    return f->mem + gpa;
}

static uint64_t ring_base(unsigned q)
{
    return q ? RING1 : RING0;
}

static void set_desc(fe *f, unsigned q, uint16_t i, uint64_t addr, uint32_t len, uint16_t flags,
                     uint16_t next)
{
    uint8_t *p = gp(f, ring_base(q) + 16u * i);
    put64(p, addr);
    put32(p + 8, len);
    put16(p + 12, flags);
    put16(p + 14, next);
}

/* Make head available: the ring entry, then the index (the test is single-threaded). */
static void make_avail(fe *f, unsigned q, uint16_t head)
{
    uint8_t *avail = gp(f, ring_base(q) + 0x1000);
    put16(avail + 4 + 2u * (f->avail_idx[q] % QNUM), head);
    f->avail_idx[q]++;
    put16(avail + 2, f->avail_idx[q]);
}

static void set_avail_idx(fe *f, unsigned q, uint16_t idx)
{
    put16(gp(f, ring_base(q) + 0x1000 + 2), idx);
}

static uint16_t used_idx(fe *f, unsigned q)
{
    return get16(gp(f, ring_base(q) + 0x2000 + 2));
}

static void used_elem(fe *f, unsigned q, uint16_t slot, uint32_t *id, uint32_t *len)
{
    const uint8_t *e = gp(f, ring_base(q) + 0x2000 + 4 + 8u * (slot % QNUM));
    *id = get32(e);
    *len = get32(e + 4);
}

/* Bytes waiting in q's call pipe (drained). */
static size_t drain_call(fe *f, unsigned q)
{
    size_t total = 0;
    for (;;) {
        struct pollfd p = {.fd = f->call_rd[q], .events = POLLIN};
        if (poll(&p, 1, 0) != 1)
            return total;
        uint8_t b[64];
        ssize_t n = read(f->call_rd[q], b, sizeof b);
        if (n <= 0)
            return total;
        total += (size_t)n;
    }
}

static void post_rx(fe *f, uint16_t i)
{
    set_desc(f, 0, i, RXBUF + BUFSZ * i, BUFSZ, 2 /* WRITE */, 0);
    make_avail(f, 0, i);
}

static void assert_err(const char *needle)
{
    if (!strstr(err, needle))
        fail_msg("error '%s' does not contain '%s'", err, needle);
}

/* The 56-byte name-service announcement of "rpmsg-raw" at 0x400 (docs/vhost-user.md). */
static const uint8_t ns_announce[56] = {
    0x00, 0x04, 0x00, 0x00, 0x35, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00,
    0x00, 0x00, 'r',  'p',  'm',  's',  'g',  '-',  'r',  'a',  'w',  0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* ---- handshake ------------------------------------------------------------------------------- */

static void test_handshake_uml(void **state)
{
    (void)state;
    fe f;
    fe_open(&f, F_NS | F_V1, 0);
    fe_bringup(&f, false);
    /* The log names what the front-end set. */
    bool seen = false;
    for (unsigned i = 0; i < f.n_log; i++)
        if (strstr(f.log[i], "SET_VRING_ADDR q1 desc=0x8000 used=0xa000 avail=0x9000"))
            seen = true;
    assert_true(seen);
    /* Queries UML does not send, answered anyway. */
    assert_int_equal(fe_get(&f, GET_QUEUE_NUM), 2);
    /* Power-off: disable both rings, GET_FEATURES (which needs its reply), close. */
    fe_state(&f, SET_VRING_ENABLE, 1, 0);
    fe_state(&f, SET_VRING_ENABLE, 0, 0);
    assert_false(vcf_vu_queue_ready(f.d, 0));
    assert_int_equal(fe_get(&f, GET_FEATURES), F_NS | F_V1 | F_PROTO);
    close(f.sock);
    f.sock = -1;
    assert_int_equal(vcf_vu_dispatch(f.d, err, sizeof err), 0);
    assert_false(vcf_vu_connected(f.d));
    assert_int_equal(vcf_vu_conn_fd(f.d), -1);
    assert_false(vcf_vu_queue_ready(f.d, 1));
    fe_close(&f);
}

static void test_handshake_reply_ack(void **state)
{
    (void)state;
    fe f;
    fe_open(&f, F_NS | F_V1, PF_ACK);
    fe_bringup(&f, true); /* every fe_req checked its u64 ack of 0 */
    /* GET_VRING_BASE stops the ring and reports where it is; its reply stands for the ack. */
    uint8_t p[8];
    put32(p, 1);
    put32(p + 4, 0);
    fe_send(&f, GET_VRING_BASE, 0x1, p, 8, NULL, 0);
    assert_int_equal(vcf_vu_dispatch(f.d, err, sizeof err), 1);
    uint8_t b[20];
    assert_int_equal(recv(f.sock, b, sizeof b, MSG_DONTWAIT), 20);
    assert_int_equal(get32(b), GET_VRING_BASE);
    assert_int_equal(get32(b + 12), 1);
    assert_int_equal(get32(b + 16), 0);
    assert_false(vcf_vu_queue_ready(f.d, 1));
    /* An invalid message that asked for an ack gets a failure ack before the drop. */
    fe_send(&f, SET_VRING_NUM, 0x9, (uint8_t[8]){7, 0, 0, 0, 16, 0, 0, 0}, 8, NULL, 0);
    assert_int_equal(vcf_vu_dispatch(f.d, err, sizeof err), -1);
    assert_err("SET_VRING_NUM: queue index 7 out of range (the device has 2 queues)");
    assert_int_equal(fe_reply_u64(&f, SET_VRING_NUM), 1);
    assert_false(vcf_vu_connected(f.d));
    fe_close(&f);
}

/* ---- rx: inject ------------------------------------------------------------------------------ */

static void test_inject(void **state)
{
    (void)state;
    fe f;
    fe_open(&f, F_NS | F_V1, 0);
    fe_bringup(&f, false);
    uint32_t cap = 0;
    /* Nothing posted yet. */
    assert_int_equal(
        vcf_vrpmsg_inject(f.d, ns_announce, sizeof ns_announce, 0, &cap, err, sizeof err), 0);
    for (uint16_t i = 0; i < 3; i++)
        post_rx(&f, i);
    assert_int_equal(vcf_vu_avail(f.d, 0, err, sizeof err), 3);

    assert_int_equal(
        vcf_vrpmsg_inject(f.d, ns_announce, sizeof ns_announce, 0, &cap, err, sizeof err), 1);
    assert_int_equal(cap, BUFSZ);
    assert_memory_equal(gp(&f, RXBUF), ns_announce, sizeof ns_announce);
    assert_int_equal(used_idx(&f, 0), 1);
    uint32_t id, len;
    used_elem(&f, 0, 0, &id, &len);
    assert_int_equal(id, 0);
    assert_int_equal(len, 56);
    assert_int_equal(drain_call(&f, 0), 8);

    /* A used length that lies: larger than the buffer; only the buffer's bytes are written. */
    uint8_t big[600];
    memset(big, 0xab, sizeof big);
    memset(gp(&f, RXBUF + BUFSZ), 0, BUFSZ + 16);
    assert_int_equal(vcf_vrpmsg_inject(f.d, big, sizeof big, 4096, &cap, err, sizeof err), 1);
    assert_int_equal(cap, BUFSZ);
    used_elem(&f, 0, 1, &id, &len);
    assert_int_equal(id, 1);
    assert_int_equal(len, 4096);
    assert_int_equal(gp(&f, RXBUF + BUFSZ)[BUFSZ - 1], 0xab);
    assert_int_equal(gp(&f, RXBUF + BUFSZ)[BUFSZ], 0); /* next buffer untouched */
    assert_int_equal(drain_call(&f, 0), 8);

    /* A full call pipe already means "signalled": inject still succeeds. */
    size_t filled = 0;
    {
        /* Fill the pipe through the back-end: every notify writes 8 bytes until it is full. */
        for (unsigned k = 0; k < 20000; k++) {
            if (vcf_vu_notify(f.d, 0, err, sizeof err) != 0)
                fail_msg("notify: %s", err);
        }
        filled = drain_call(&f, 0);
        assert_true(filled >= 4096); /* the pipe filled up (64 KiB by default) */
        assert_true(filled < 20000u * 8u);
    }
    assert_int_equal(
        vcf_vrpmsg_inject(f.d, ns_announce, sizeof ns_announce, 0, NULL, err, sizeof err), 1);
    assert_int_equal(used_idx(&f, 0), 3);
    assert_int_equal(vcf_vrpmsg_inject(f.d, ns_announce, 8, 0, NULL, err, sizeof err), 0);
    fe_close(&f);
}

/* ---- tx: collect ----------------------------------------------------------------------------- */

static void test_collect(void **state)
{
    (void)state;
    fe f;
    fe_open(&f, F_NS | F_V1, 0);
    fe_bringup(&f, false);
    uint8_t buf[600];
    size_t len = 0;
    assert_int_equal(vcf_vrpmsg_collect(f.d, buf, sizeof buf, &len, err, sizeof err), 0);

    static const uint8_t hello[21] = {0x00, 0x04, 0, 0, 0x00, 0x04, 0,   0,   0,   0,  0,
                                      0,    5,    0, 0, 0,    'h',  'e', 'l', 'l', 'o'};
    memcpy(gp(&f, TXBUF), hello, sizeof hello);
    set_desc(&f, 1, 0, TXBUF, sizeof hello, 0, 0);
    make_avail(&f, 1, 0);
    /* A two-segment message: 16 header bytes, then 4 payload bytes. */
    memcpy(gp(&f, TXBUF + BUFSZ), hello, 16);
    memcpy(gp(&f, TXBUF + 2 * BUFSZ), "abcd", 4);
    set_desc(&f, 1, 5, TXBUF + BUFSZ, 16, 1 /* NEXT */, 6);
    set_desc(&f, 1, 6, TXBUF + 2 * BUFSZ, 4, 0, 0);
    make_avail(&f, 1, 5);
    fe_kick(&f, 1);
    assert_one_kick(vcf_vu_take_kicks(f.d, 1));

    assert_int_equal(vcf_vrpmsg_collect(f.d, buf, sizeof buf, &len, err, sizeof err), 1);
    assert_int_equal(len, sizeof hello);
    assert_memory_equal(buf, hello, sizeof hello);
    assert_int_equal(used_idx(&f, 1), 1);
    uint32_t id, ulen;
    used_elem(&f, 1, 0, &id, &ulen);
    assert_int_equal(id, 0);
    assert_int_equal(ulen, 0);

    /* cap smaller than the message: *len is the full length, cap bytes are copied. */
    memset(buf, 0, sizeof buf);
    assert_int_equal(vcf_vrpmsg_collect(f.d, buf, 18, &len, err, sizeof err), 1);
    assert_int_equal(len, 20);
    assert_memory_equal(buf, hello, 16);
    assert_memory_equal(buf + 16, "ab", 2);
    assert_int_equal(buf[18], 0);
    used_elem(&f, 1, 1, &id, &ulen);
    assert_int_equal(id, 5);
    assert_int_equal(ulen, 0);
    /* tx buffers go back without a signal. */
    assert_int_equal(drain_call(&f, 1), 0);
    assert_int_equal(vcf_vrpmsg_collect(f.d, buf, sizeof buf, &len, err, sizeof err), 0);
    fe_close(&f);
}

static void test_indirect(void **state)
{
    (void)state;
    fe f;
    fe_open(&f, F_NS | F_V1 | F_INDIR, 0);
    fe_connect(&f);
    fe_negotiate(&f, F_NS | F_V1 | F_INDIR | F_PROTO, F_NS | F_V1 | F_INDIR | F_PROTO, false);
    fe_rings(&f);
    /* An indirect table of two descriptors at TXBUF + 0x1000. */
    uint64_t table = TXBUF + 0x1000;
    uint8_t *t = gp(&f, table);
    put64(t, TXBUF);
    put32(t + 8, 3);
    put16(t + 12, 1);
    put16(t + 14, 1);
    put64(t + 16, TXBUF + 0x100);
    put32(t + 24, 2);
    put16(t + 28, 0);
    put16(t + 30, 0);
    memcpy(gp(&f, TXBUF), "abc", 3);
    memcpy(gp(&f, TXBUF + 0x100), "de", 2);
    set_desc(&f, 1, 3, table, 32, 4 /* INDIRECT */, 0);
    make_avail(&f, 1, 3);
    uint8_t buf[8];
    size_t len;
    assert_int_equal(vcf_vrpmsg_collect(f.d, buf, sizeof buf, &len, err, sizeof err), 1);
    assert_int_equal(len, 5);
    assert_memory_equal(buf, "abcde", 5);
    /* An indirect table whose next leaves the table. */
    put16(t + 14, 2);
    make_avail(&f, 1, 3);
    assert_int_equal(vcf_vrpmsg_collect(f.d, buf, sizeof buf, &len, err, sizeof err), -1);
    assert_err("indirect descriptor 0: next index 2 out of range (table size 2)");
    fe_close(&f);
}

/* ---- hostile messages ------------------------------------------------------------------------ */

/* Each case: a fresh connection brought to `stage` (0: nothing, 1: negotiated with memory,
 * 2: rings set), one bad message, the error asserted, and the connection dropped. */
typedef struct bad_msg {
    const char *what;
    int stage;
    uint32_t req, flags, size;
    uint8_t payload[96];
    unsigned nfds;  /* fds to attach: eventfds made here */
    bool short_eof; /* send only `size` raw bytes of the header then shut down */
    const char *needle;
} bad_msg;

static void run_bad(fe *f, const bad_msg *b)
{
    fe_connect(f);
    if (b->stage >= 1)
        fe_negotiate(f, F_NS | F_V1 | F_PROTO, F_NS | F_V1 | F_PROTO, false);
    if (b->stage >= 2)
        fe_rings(f);
    if (b->short_eof) {
        uint8_t raw[12] = {1, 0, 0, 0, 1, 0, 0, 0, 8, 0, 0, 0};
        assert_int_equal(send(f->sock, raw, b->size, MSG_NOSIGNAL), (ssize_t)b->size);
        if (b->req) /* a header that promises 8 payload bytes, then 3 */
            assert_int_equal(send(f->sock, "abc", 3, MSG_NOSIGNAL), 3);
        shutdown(f->sock, SHUT_WR);
    } else {
        int fds[20];
        for (unsigned i = 0; i < b->nfds; i++)
            fds[i] = eventfd(0, EFD_CLOEXEC);
        fe_send(f, b->req, b->flags ? b->flags : 0x1, b->payload, b->size, fds, b->nfds);
        for (unsigned i = 0; i < b->nfds; i++)
            close(fds[i]);
    }
    err[0] = 0;
    int rc = vcf_vu_dispatch(f->d, err, sizeof err);
    if (rc != -1)
        fail_msg("%s: dispatch returned %d, expected -1", b->what, rc);
    if (!strstr(err, b->needle))
        fail_msg("%s: error '%s' does not contain '%s'", b->what, err, b->needle);
    assert_false(vcf_vu_connected(f->d));
    assert_false(vcf_vu_queue_ready(f->d, 0));
    fe_close_side_fds(f);
}

#define U32(v) (uint8_t)(v), (uint8_t)((v) >> 8), (uint8_t)((v) >> 16), (uint8_t)((v) >> 24)
#define U64(v) U32((uint32_t)(v)), U32((uint32_t)((uint64_t)(v) >> 32))

static const bad_msg bad_msgs[] = {
    {"short header",
     0,
     0,
     0,
     5,
     {0},
     0,
     true,
     "short message: the connection closed after 5 of "
     "the 12 header bytes"},
    {"short payload",
     0,
     1,
     0,
     12,
     {0},
     0,
     true,
     "GET_FEATURES: short message: the connection "
     "closed after 3 of 8 payload bytes"},
    {"GET_FEATURES with a payload",
     0,
     1,
     0,
     8,
     {0},
     0,
     false,
     "GET_FEATURES: payload size 8, expected 0"},
    {"SET_FEATURES of 4 bytes",
     0,
     SET_FEATURES,
     0,
     4,
     {0},
     0,
     false,
     "SET_FEATURES: payload size 4, expected 8"},
    {"fd on SET_OWNER", 0, SET_OWNER, 0, 0, {0}, 1, false, "SET_OWNER: 1 fds attached, expected 0"},
    {"too many fds",
     0,
     SET_OWNER,
     0,
     0,
     {0},
     17,
     false,
     "SET_OWNER: too many fds attached (more than 16)"},
    {"two call fds",
     1,
     SET_VRING_CALL,
     0,
     8,
     {U64(0)},
     2,
     false,
     "SET_VRING_CALL: 2 fds attached, expected 1"},
    {"kick with NOFD",
     1,
     SET_VRING_KICK,
     0,
     8,
     {U64(0x100)},
     0,
     false,
     "SET_VRING_KICK: q0: NOFD without in-band notifications"},
    {"call with NOFD and an fd",
     1,
     SET_VRING_CALL,
     0,
     8,
     {U64(0x100)},
     1,
     false,
     "SET_VRING_CALL: 1 fds attached, expected 0"},
    {"kick bits beyond NOFD",
     1,
     SET_VRING_KICK,
     0,
     8,
     {U64(0x200)},
     1,
     false,
     "SET_VRING_KICK: value 0x200 has bits set besides the index and NOFD"},
    {"kick queue 2",
     1,
     SET_VRING_KICK,
     0,
     8,
     {U64(2)},
     1,
     false,
     "SET_VRING_KICK: queue index 2 out of range (the device has 2 queues)"},
    {"num queue 9",
     1,
     SET_VRING_NUM,
     0,
     8,
     {U32(9), U32(16)},
     0,
     false,
     "SET_VRING_NUM: queue index 9 out of range"},
    {"ring size 100",
     1,
     SET_VRING_NUM,
     0,
     8,
     {U32(0), U32(100)},
     0,
     false,
     "SET_VRING_NUM: q0: ring size 100 is not a power of two in 1..32768"},
    {"ring size 65536",
     1,
     SET_VRING_NUM,
     0,
     8,
     {U32(1), U32(65536)},
     0,
     false,
     "q1: ring size 65536 is not a power of two in 1..32768"},
    {"ring size 0",
     1,
     SET_VRING_NUM,
     0,
     8,
     {U32(1), U32(0)},
     0,
     false,
     "q1: ring size 0 is not a power of two"},
    {"base beyond 16 bits",
     1,
     SET_VRING_BASE,
     0,
     8,
     {U32(0), U32(0x10000)},
     0,
     false,
     "SET_VRING_BASE: q0: base 65536 does not fit"},
    {"enable 2",
     1,
     SET_VRING_ENABLE,
     0,
     8,
     {U32(0), U32(2)},
     0,
     false,
     "SET_VRING_ENABLE: q0: enable value 2, expected 0 or 1"},
    {"addr before num",
     1,
     SET_VRING_ADDR,
     0,
     40,
     {U32(0), U32(0), U64(RING0), U64(RING0 + 0x2000), U64(RING0 + 0x1000), U64(~0ull)},
     0,
     false,
     "SET_VRING_ADDR: q0: the ring size is not set (SET_VRING_NUM first)"},
    {"desc table past the end",
     2,
     SET_VRING_ADDR,
     0,
     40,
     {U32(0), U32(0), U64(MEND - 0x400), U64(RING0 + 0x2000), U64(RING0 + 0x1000), U64(~0ull)},
     0,
     false,
     "SET_VRING_ADDR: q0: descriptor table at 0x41c00 (0x800 bytes for 128 entries) is not "
     "inside one memory region"},
    {"used ring outside memory",
     2,
     SET_VRING_ADDR,
     0,
     40,
     {U32(1), U32(0), U64(RING1), U64(0x1000000), U64(RING1 + 0x1000), U64(~0ull)},
     0,
     false,
     "q1: used ring at 0x1000000"},
    {"avail ring below memory",
     2,
     SET_VRING_ADDR,
     0,
     40,
     {U32(1), U32(0), U64(RING1), U64(RING1 + 0x2000), U64(0x1000), U64(~0ull)},
     0,
     false,
     "q1: avail ring at 0x1000"},
    {"misaligned desc",
     2,
     SET_VRING_ADDR,
     0,
     40,
     {U32(1), U32(0), U64(RING1 + 8), U64(RING1 + 0x2000), U64(RING1 + 0x1000), U64(~0ull)},
     0,
     false,
     "q1: descriptor table address 0x8008 is not 16-byte aligned"},
    {"ring overflow",
     2,
     SET_VRING_ADDR,
     0,
     40,
     {U32(1), U32(0), U64(0xfffffffffffffff0ull), U64(RING1 + 0x2000), U64(RING1 + 0x1000),
      U64(~0ull)},
     0,
     false,
     "q1: descriptor table address 0xfffffffffffffff0 + size 0x800 overflows"},
    {"log flag",
     2,
     SET_VRING_ADDR,
     0,
     40,
     {U32(1), U32(1), U64(RING1), U64(RING1 + 0x2000), U64(RING1 + 0x1000), U64(~0ull)},
     0,
     false,
     "the LOG flag is set but logging was not offered"},
    {"addr of 32 bytes",
     2,
     SET_VRING_ADDR,
     0,
     32,
     {0},
     0,
     false,
     "SET_VRING_ADDR: payload size 32, expected 40"},
    {"mem table overflow",
     0,
     SET_MEM_TABLE,
     0,
     40,
     {U32(1), U32(0), U64(0xfffffffffffff000ull), U64(0x2000), U64(0), U64(0)},
     1,
     false,
     "SET_MEM_TABLE: region 0 (guest_addr 0xfffffffffffff000 size 0x2000 user_addr 0x0 "
     "mmap_offset 0x0): guest_addr + size overflows"},
    {"mem table 9 regions",
     0,
     SET_MEM_TABLE,
     0,
     8,
     {U32(9), U32(0)},
     0,
     false,
     "SET_MEM_TABLE: 9 regions, expected 1..8"},
    {"mem table 0 regions",
     0,
     SET_MEM_TABLE,
     0,
     8,
     {U32(0), U32(0)},
     0,
     false,
     "SET_MEM_TABLE: 0 regions, expected 1..8"},
    {"mem table short",
     0,
     SET_MEM_TABLE,
     0,
     24,
     {U32(1), U32(0)},
     1,
     false,
     "SET_MEM_TABLE: payload size 24 does not hold 1 regions of 32 bytes"},
    {"mem table fd count",
     0,
     SET_MEM_TABLE,
     0,
     40,
     {U32(1), U32(0), U64(0), U64(0x1000), U64(0), U64(0)},
     2,
     false,
     "SET_MEM_TABLE: 2 fds attached, expected 1"},
    {"mem table size 0",
     0,
     SET_MEM_TABLE,
     0,
     40,
     {U32(1), U32(0), U64(0), U64(0), U64(0), U64(0)},
     1,
     false,
     "size is 0"},
    {"mem table not a file",
     0,
     SET_MEM_TABLE,
     0,
     40,
     {U32(1), U32(0), U64(0), U64(0x1000), U64(0), U64(0)},
     1,
     false,
     "region 0: its fd is not a regular file or memfd"},
    {"unknown request", 0, 99, 0, 0, {0}, 0, false, "unknown request 99"},
    {"request 0", 0, 0, 0, 0, {0}, 0, false, "unknown request 0"},
    {"IOTLB",
     0,
     IOTLB_MSG,
     0,
     0,
     {0},
     0,
     false,
     "IOTLB_MSG: request 22 is not supported by this back-end"},
    {"log base",
     0,
     SET_LOG_BASE,
     0,
     16,
     {0},
     1,
     false,
     "SET_LOG_BASE: dirty-page logging is not supported"},
    {"config",
     0,
     GET_CONFIG,
     0,
     12,
     {0},
     0,
     false,
     "GET_CONFIG: the device has no config space (PROTOCOL_F_CONFIG was not offered)"},
    {"version 2",
     0,
     SET_OWNER,
     0x2,
     0,
     {0},
     0,
     false,
     "SET_OWNER (3): flags 0x2: version 2, expected 1"},
    {"reply bit",
     0,
     SET_OWNER,
     0x5,
     0,
     {0},
     0,
     false,
     "SET_OWNER (3): flags 0x5: unexpected bits 0x4"},
    {"features not offered",
     0,
     SET_FEATURES,
     0,
     8,
     {U64(1ull << 40)},
     0,
     false,
     "SET_FEATURES: 0x10000000000 has bits 0x10000000000 that were not offered"},
    {"protocol features not offered",
     0,
     SET_PROTOCOL_FEATURES,
     0,
     8,
     {U64(0x2)},
     0,
     false,
     "SET_PROTOCOL_FEATURES: 0x2 has bits 0x2 that were not offered (offered 0x20)"},
    {"slave fd before negotiation",
     0,
     SET_SLAVE_REQ_FD,
     0,
     0,
     {0},
     1,
     false,
     "SET_SLAVE_REQ_FD: PROTOCOL_F_SLAVE_REQ was not negotiated"},
};

static void test_bad_messages(void **state)
{
    (void)state;
    fe f;
    fe_open(&f, F_NS | F_V1, 0);
    int before = count_fds();
    for (size_t i = 0; i < sizeof bad_msgs / sizeof bad_msgs[0]; i++)
        run_bad(&f, &bad_msgs[i]);
    /* A file shorter than mmap_offset + size, and a region that does not fit mmap. */
    fe_connect(&f);
    uint8_t mt[72];
    mem_table_payload(mt, MOFF, MSIZE * 2, MOFF, MOFF);
    fe_send(&f, SET_MEM_TABLE, 1, mt, sizeof mt, &f.memfd, 1);
    assert_int_equal(vcf_vu_dispatch(f.d, err, sizeof err), -1);
    assert_err("SET_MEM_TABLE: region 0: the file has 0x42000 bytes, less than mmap_offset + "
               "size 0x82000");
    fe_connect(&f);
    mem_table_payload(mt, 0, 0x1000, 0, 0x7ffffffffffff000ull);
    fe_send(&f, SET_MEM_TABLE, 1, mt, sizeof mt, &f.memfd, 1);
    assert_int_equal(vcf_vu_dispatch(f.d, err, sizeof err), -1);
    assert_err("mmap_offset + size overflows");
    /* A header announcing more payload than any request has. */
    fe_connect(&f);
    uint8_t hdr[12] = {2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0};
    assert_int_equal(send(f.sock, hdr, 12, MSG_NOSIGNAL), 12);
    assert_int_equal(vcf_vu_dispatch(f.d, err, sizeof err), -1);
    assert_err("SET_FEATURES (2): payload size 65536 exceeds the maximum 4096");
    /* Not connected at all. */
    assert_int_equal(vcf_vu_dispatch(f.d, err, sizeof err), -1);
    assert_err("not connected");
    close(f.sock); /* the back-end closed its end with each error */
    f.sock = -1;
    int after = count_fds();
    assert_int_equal(before, after);
    fe_close(&f);
}

/* ---- hostile rings --------------------------------------------------------------------------- */

static void expect_pop_error(fe *f, unsigned q, const char *needle)
{
    vcf_vu_chain c;
    err[0] = 0;
    assert_int_equal(vcf_vu_pop(f->d, q, &c, err, sizeof err), -1);
    assert_err(needle);
}

static void test_bad_rings(void **state)
{
    (void)state;
    fe f;
    fe_open(&f, F_NS | F_V1, 0);
    fe_bringup(&f, false);
    char msg[160];

    /* Head index out of range. */
    make_avail(&f, 1, QNUM + 3);
    expect_pop_error(&f, 1,
                     "q1 avail[0] (idx 0): head descriptor 131 out of range (ring size "
                     "128)");
    /* next out of range. */
    set_desc(&f, 1, 2, TXBUF, 8, 1, QNUM);
    make_avail(&f, 1, 2);
    expect_pop_error(&f, 1,
                     "q1 avail[1] head 2: descriptor 2: next index 128 out of range "
                     "(table size 128)");
    /* A loop: 4 -> 5 -> 4. */
    set_desc(&f, 1, 4, TXBUF, 8, 1, 5);
    set_desc(&f, 1, 5, TXBUF, 8, 1, 4);
    make_avail(&f, 1, 4);
    expect_pop_error(&f, 1, "q1 avail[2] head 4: descriptor 4 is in the chain twice (a loop)");
    /* A buffer outside memory. */
    set_desc(&f, 1, 6, 0x1000000, 8, 0, 0);
    make_avail(&f, 1, 6);
    expect_pop_error(&f, 1,
                     "descriptor 6: buffer 0x1000000+0x8 is not inside one memory "
                     "region");
    /* A buffer straddling the region's end. */
    set_desc(&f, 1, 7, MEND - 0x100, 0x200, 0, 0);
    make_avail(&f, 1, 7);
    snprintf(msg, sizeof msg, "descriptor 7: buffer 0x%llx+0x200 is not inside",
             (unsigned long long)(MEND - 0x100));
    expect_pop_error(&f, 1, msg);
    /* A buffer below the region (guest_addr 0 .. MOFF is not guest memory here). */
    set_desc(&f, 1, 8, 0x100, 0x10, 0, 0);
    make_avail(&f, 1, 8);
    expect_pop_error(&f, 1, "descriptor 8: buffer 0x100+0x10 is not inside");
    /* address + length overflows. */
    set_desc(&f, 1, 9, 0xffffffffffffff00ull, 0x200, 0, 0);
    make_avail(&f, 1, 9);
    expect_pop_error(&f, 1, "descriptor 9: address 0xffffffffffffff00 + length 0x200 overflows");
    /* A readable segment after a writable one. */
    set_desc(&f, 1, 10, TXBUF, 8, 3, 11);
    set_desc(&f, 1, 11, TXBUF + 8, 8, 0, 0);
    make_avail(&f, 1, 10);
    expect_pop_error(&f, 1, "descriptor 11: a readable buffer after a writable one");
    /* INDIRECT without the feature. */
    set_desc(&f, 1, 12, TXBUF, 32, 4, 0);
    make_avail(&f, 1, 12);
    expect_pop_error(&f, 1,
                     "descriptor 12 (len 32): INDIRECT but VIRTIO_F_INDIRECT_DESC was "
                     "not negotiated");
    /* More than VCF_VU_MAX_CHAIN segments. */
    for (uint16_t i = 20; i < 20 + VCF_VU_MAX_CHAIN + 1; i++)
        set_desc(&f, 1, i, TXBUF + i, 1, 1, (uint16_t)(i + 1));
    set_desc(&f, 1, 20 + VCF_VU_MAX_CHAIN, TXBUF, 1, 0, 0);
    make_avail(&f, 1, 20);
    expect_pop_error(&f, 1, "descriptor 84: more than 64 segments");
    /* Each rejected chain was consumed; the queue is empty now. */
    assert_int_equal(vcf_vu_avail(f.d, 1, err, sizeof err), 0);

    /* collect returns a rejected chain to the driver with length 0. */
    uint16_t u = used_idx(&f, 1);
    set_desc(&f, 1, 13, 0x1000000, 8, 0, 0);
    make_avail(&f, 1, 13);
    uint8_t buf[16];
    size_t len;
    assert_int_equal(vcf_vrpmsg_collect(f.d, buf, sizeof buf, &len, err, sizeof err), -1);
    assert_err("q1 avail[10] head 13: descriptor 13: buffer 0x1000000+0x8 is not inside");
    assert_int_equal(used_idx(&f, 1), (uint16_t)(u + 1));
    uint32_t id, ul;
    used_elem(&f, 1, u, &id, &ul);
    assert_int_equal(id, 13);
    assert_int_equal(ul, 0);

    /* The avail index more than the ring size ahead. */
    set_avail_idx(&f, 0, QNUM + 1);
    err[0] = 0;
    assert_int_equal(vcf_vu_avail(f.d, 0, err, sizeof err), -1);
    assert_err("q0: avail idx 129 is 129 entries ahead of the next slot to pop (0); the ring "
               "has 128");
    assert_int_equal(vcf_vrpmsg_inject(f.d, ns_announce, 8, 0, NULL, err, sizeof err), -1);
    assert_err("avail idx 129");
    /* Exactly the ring size ahead is fine. */
    set_avail_idx(&f, 0, QNUM);
    assert_int_equal(vcf_vu_avail(f.d, 0, err, sizeof err), QNUM);

    /* Push and notify on a queue that is not ready. */
    fe_state(&f, SET_VRING_ENABLE, 1, 0);
    assert_int_equal(vcf_vu_push(f.d, 1, 0, 0, err, sizeof err), -1);
    assert_err("q1: push to a queue that is not ready");
    assert_int_equal(vcf_vu_pop(f.d, 1, &(vcf_vu_chain){0}, err, sizeof err), 0);
    assert_int_equal(vcf_vu_push(f.d, 0, QNUM, 0, err, sizeof err), -1);
    assert_err("q0: push of head 128 out of range (ring size 128)");
    fe_close(&f);
}

/* ---- disconnect, reconnect, leaks ------------------------------------------------------------ */

static void test_reconnect(void **state)
{
    (void)state;
    int before = count_fds();
    fe f;
    fe_open(&f, F_NS | F_V1, PF_ACK);
    for (unsigned round = 0; round < 3; round++) {
        fe_bringup(&f, round == 1);
        post_rx(&f, 0);
        assert_int_equal(
            vcf_vrpmsg_inject(f.d, ns_announce, sizeof ns_announce, 0, NULL, err, sizeof err), 1);
        assert_memory_equal(gp(&f, RXBUF), ns_announce, sizeof ns_announce);
        assert_int_equal(drain_call(&f, 0), 8);
        /* The front-end goes away. */
        close(f.sock);
        f.sock = -1;
        assert_int_equal(vcf_vu_dispatch(f.d, err, sizeof err), 0);
        assert_false(vcf_vu_connected(f.d));
        assert_false(vcf_vu_queue_ready(f.d, 0));
        assert_false(vcf_vu_features_acked(f.d, NULL));
        assert_int_equal(vcf_vu_kick_count(f.d, 0), 0);
        assert_int_equal(vcf_vu_kick_fd(f.d, 0), -1);
        assert_int_equal(vcf_vrpmsg_inject(f.d, ns_announce, 8, 0, NULL, err, sizeof err), 0);
        assert_int_equal(vcf_vu_notify(f.d, 0, err, sizeof err), -1);
        fe_close_side_fds(&f);
    }
    /* attach while connected drops the old connection's state. */
    fe_bringup(&f, false);
    int old_sock = f.sock;
    f.sock = -1;
    fe_connect(&f);
    assert_false(vcf_vu_queue_ready(f.d, 0));
    uint8_t b;
    assert_int_equal(recv(old_sock, &b, 1, MSG_DONTWAIT), 0); /* the back-end closed it */
    close(old_sock);
    fe_close(&f);
    assert_int_equal(count_fds(), before);
}

/* RESET_OWNER drops rings and features but keeps the connection. */
static void test_reset_owner(void **state)
{
    (void)state;
    fe f;
    fe_open(&f, F_NS | F_V1, 0);
    fe_bringup(&f, false);
    fe_req(&f, RESET_OWNER, NULL, 0, NULL, 0);
    assert_true(vcf_vu_connected(f.d));
    assert_false(vcf_vu_queue_ready(f.d, 0));
    assert_false(vcf_vu_features_acked(f.d, NULL));
    assert_int_equal(vcf_vu_queue_size(f.d, 0), 0);
    fe_close(&f);
}

static void test_names_and_config(void **state)
{
    (void)state;
    assert_string_equal(vcf_vu_request_name(9), "SET_VRING_ADDR");
    assert_string_equal(vcf_vu_request_name(21), "SET_SLAVE_REQ_FD");
    assert_string_equal(vcf_vu_request_name(0), "?");
    assert_string_equal(vcf_vu_request_name(1000), "?");
    vcf_vu_config cfg;
    vcf_vrpmsg_config(&cfg, F_NS | F_V1);
    assert_int_equal(cfg.num_queues, 2);
    assert_int_equal(cfg.protocol_features, PF_SLAVE);
    /* Configs the library cannot honour are refused. */
    vcf_vu_config bad = cfg;
    bad.protocol_features = PF_ACK;
    assert_null(vcf_vu_new(&bad));
    bad = cfg;
    bad.num_queues = VCF_VU_MAX_QUEUES + 1;
    assert_null(vcf_vu_new(&bad));
    bad = cfg;
    bad.features |= 1ull << 29; /* EVENT_IDX */
    assert_null(vcf_vu_new(&bad));
    bad = cfg;
    bad.protocol_features |= 1ull << 9; /* CONFIG */
    assert_null(vcf_vu_new(&bad));
    vcf_vu_free(NULL);
}

static void test_listen(void **state)
{
    (void)state;
    char dir[] = "/tmp/vcf-vhost-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/sock", dir);
    int l = vcf_vu_listen(path, err, sizeof err);
    assert_true(l >= 0);
    close(l);
    /* An existing socket file is replaced. */
    l = vcf_vu_listen(path, err, sizeof err);
    assert_true(l >= 0);
    int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    memcpy(sa.sun_path, path, strlen(path) + 1);
    assert_int_equal(connect(c, (struct sockaddr *)&sa, sizeof sa), 0);
    int a = accept(l, NULL, NULL);
    assert_true(a >= 0);
    vcf_vu_config cfg;
    vcf_vrpmsg_config(&cfg, F_NS);
    vcf_vu_dev *d = vcf_vu_new(&cfg);
    vcf_vu_attach(d, a);
    uint8_t hdr[12] = {1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
    assert_int_equal(send(c, hdr, 12, MSG_NOSIGNAL), 12);
    assert_int_equal(vcf_vu_dispatch(d, err, sizeof err), 1);
    uint8_t r[20];
    assert_int_equal(recv(c, r, 20, MSG_WAITALL), 20);
    assert_int_equal(get64(r + 12), F_NS | F_PROTO);
    vcf_vu_free(d);
    close(c);
    close(l);
    unlink(path);
    /* A regular file is not replaced. */
    int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    close(fd);
    assert_int_equal(vcf_vu_listen(path, err, sizeof err), -1);
    assert_err("exists and is not a socket");
    unlink(path);
    rmdir(dir);
    char longp[200];
    memset(longp, 'x', sizeof longp - 1);
    longp[sizeof longp - 1] = 0;
    assert_int_equal(vcf_vu_listen(longp, err, sizeof err), -1);
    assert_err("longer than");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_and_config),
        cmocka_unit_test(test_handshake_uml),
        cmocka_unit_test(test_handshake_reply_ack),
        cmocka_unit_test(test_inject),
        cmocka_unit_test(test_collect),
        cmocka_unit_test(test_indirect),
        cmocka_unit_test(test_bad_messages),
        cmocka_unit_test(test_bad_rings),
        cmocka_unit_test(test_reconnect),
        cmocka_unit_test(test_reset_owner),
        cmocka_unit_test(test_listen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
