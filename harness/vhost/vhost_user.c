/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: the vhost-user device back-end (see vhost_user.h and docs/vhost-user.md).
 *
 * Layers: the message decoding (header and payload fields, little-endian loads) and the ring
 * walking are pure functions over byte buffers; the request handlers are the state machine;
 * the socket, fd and mmap calls are kept in a few I/O helpers.
 */
#include "vhost_user.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

/* ---- protocol constants ---------------------------------------------------------------------- */

enum {
    VU_GET_FEATURES = 1,
    VU_SET_FEATURES = 2,
    VU_SET_OWNER = 3,
    VU_RESET_OWNER = 4,
    VU_SET_MEM_TABLE = 5,
    VU_SET_LOG_BASE = 6,
    VU_SET_LOG_FD = 7,
    VU_SET_VRING_NUM = 8,
    VU_SET_VRING_ADDR = 9,
    VU_SET_VRING_BASE = 10,
    VU_GET_VRING_BASE = 11,
    VU_SET_VRING_KICK = 12,
    VU_SET_VRING_CALL = 13,
    VU_SET_VRING_ERR = 14,
    VU_GET_PROTOCOL_FEATURES = 15,
    VU_SET_PROTOCOL_FEATURES = 16,
    VU_GET_QUEUE_NUM = 17,
    VU_SET_VRING_ENABLE = 18,
    VU_SET_SLAVE_REQ_FD = 21,
    VU_GET_CONFIG = 24,
    VU_SET_CONFIG = 25,
    VU_VRING_KICK = 35,
    VU_MAX_REQUEST = 40,
};

#define VU_HDR_SIZE         12u
#define VU_VERSION          0x1u
#define VU_FLAG_VERSION     0x3u
#define VU_FLAG_REPLY       0x4u
#define VU_FLAG_NEED_REPLY  0x8u
#define VU_MAX_PAYLOAD      4096u
#define VU_MAX_FDS          16u /* received per message; more is an error */
#define VU_VRING_IDX_MASK   0xffu
#define VU_VRING_NOFD       0x100u
#define VU_VRING_F_LOG      0x1u
#define VU_MEM_REGION_SIZE  32u
#define VU_SLAVE_VRING_CALL 4u

#define VU_PROTOCOL_F_MQ                   0u
#define VU_PROTOCOL_F_INBAND_NOTIFICATIONS 14u
/* Protocol features this library implements; a config offering others is refused. */
#define VU_PROTOCOL_SUPPORTED                                                                      \
    ((1ull << VU_PROTOCOL_F_MQ) | (1ull << VCF_VU_PROTOCOL_F_REPLY_ACK) |                          \
     (1ull << VCF_VU_PROTOCOL_F_SLAVE_REQ) | (1ull << VU_PROTOCOL_F_INBAND_NOTIFICATIONS))

#define VIRTIO_F_INDIRECT_DESC 28u
#define VIRTIO_F_EVENT_IDX     29u
#define VIRTIO_F_RING_PACKED   34u
#define VIRTIO_F_ACCESS_PLAT   33u
#define VHOST_F_LOG_ALL        26u
/* Features whose ring semantics this library does not implement. */
#define VU_FEATURES_UNSUPPORTED                                                                    \
    ((1ull << VIRTIO_F_EVENT_IDX) | (1ull << VIRTIO_F_RING_PACKED) |                               \
     (1ull << VIRTIO_F_ACCESS_PLAT) | (1ull << VHOST_F_LOG_ALL))

#define VRING_DESC_F_NEXT     1u
#define VRING_DESC_F_WRITE    2u
#define VRING_DESC_F_INDIRECT 4u

/* ---- state ----------------------------------------------------------------------------------- */

typedef struct vu_region {
    uint64_t gpa, size, uva, mmap_offset;
    void *map;      /* mmap base */
    size_t map_len; /* size + mmap_offset */
    uint8_t *host;  /* map + mmap_offset: the region's first byte */
} vu_region;

typedef struct vu_queue {
    unsigned num;  /* 0: SET_VRING_NUM not seen */
    bool addr_set; /* SET_VRING_ADDR accepted (and still translates) */
    uint64_t desc_uva, used_uva, avail_uva;
    uint8_t *desc, *avail, *used;
    uint16_t last_avail; /* next avail slot to pop */
    uint16_t used_idx;   /* next used slot to fill */
    int kick_fd, call_fd, err_fd;
    bool enabled;
    uint64_t kicks;        /* taken so far */
    uint64_t inband_kicks; /* VRING_KICK messages not taken yet */
} vu_queue;

typedef struct vu_msg {
    uint32_t request, flags, size;
    uint8_t payload[VU_MAX_PAYLOAD];
    int fds[VU_MAX_FDS];
    unsigned nfds;
    bool too_many_fds; /* the kernel truncated the fd list (MSG_CTRUNC) */
} vu_msg;

struct vcf_vu_dev {
    vcf_vu_config cfg;
    int conn;
    int slave_fd;
    bool owner;
    vu_msg msg; /* the message being handled (4 KiB: kept off the stack) */
    uint8_t visited[VCF_VU_MAX_QUEUE_SIZE / 8]; /* descriptors seen in the chain being popped */
    bool features_set;
    uint64_t features;
    uint64_t protocol_features;
    unsigned n_regions;
    vu_region region[VCF_VU_MAX_REGIONS];
    vu_queue q[VCF_VU_MAX_QUEUES];
};

/* ---- small helpers --------------------------------------------------------------------------- */

static void seterr(char *err, size_t err_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t err_len, const char *fmt, ...)
{
    if (!err || err_len == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_len, fmt, ap);
    va_end(ap);
}

static void vlog(const vcf_vu_dev *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void vlog(const vcf_vu_dev *d, const char *fmt, ...)
{
    if (!d->cfg.log)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    d->cfg.log(d->cfg.log_ud, line);
}

static uint16_t ld16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t ld32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t ld64(const uint8_t *p)
{
    return (uint64_t)ld32(p) | ((uint64_t)ld32(p + 4) << 32);
}

static void st32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void st64(uint8_t *p, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* 16-bit little-endian values as the ring holds them, for the atomic accesses to the indexes. */
static uint16_t le16_native(uint16_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return (uint16_t)((v >> 8) | (v << 8));
#else
    return v;
#endif
}

/* The avail ring's idx (offset 2), read with acquire ordering: the ring entries and descriptors
 * the driver published before it are visible after this load. The field is 2-byte aligned
 * (checked when the ring address was accepted). */
static uint16_t load_avail_idx(const uint8_t *avail)
{
    const uint16_t *p = (const uint16_t *)(const void *)(avail + 2);
    return le16_native(__atomic_load_n(p, __ATOMIC_ACQUIRE));
}

static void store_used_idx(uint8_t *used, uint16_t idx)
{
    uint16_t *p = (uint16_t *)(void *)(used + 2);
    __atomic_store_n(p, le16_native(idx), __ATOMIC_RELEASE);
}

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

static bool is_pow2(uint32_t v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

/* ---- request names --------------------------------------------------------------------------- */

static const char *const request_names[VU_MAX_REQUEST + 1] = {
    [1] = "GET_FEATURES",
    [2] = "SET_FEATURES",
    [3] = "SET_OWNER",
    [4] = "RESET_OWNER",
    [5] = "SET_MEM_TABLE",
    [6] = "SET_LOG_BASE",
    [7] = "SET_LOG_FD",
    [8] = "SET_VRING_NUM",
    [9] = "SET_VRING_ADDR",
    [10] = "SET_VRING_BASE",
    [11] = "GET_VRING_BASE",
    [12] = "SET_VRING_KICK",
    [13] = "SET_VRING_CALL",
    [14] = "SET_VRING_ERR",
    [15] = "GET_PROTOCOL_FEATURES",
    [16] = "SET_PROTOCOL_FEATURES",
    [17] = "GET_QUEUE_NUM",
    [18] = "SET_VRING_ENABLE",
    [19] = "SEND_RARP",
    [20] = "NET_SET_MTU",
    [21] = "SET_SLAVE_REQ_FD",
    [22] = "IOTLB_MSG",
    [23] = "SET_VRING_ENDIAN",
    [24] = "GET_CONFIG",
    [25] = "SET_CONFIG",
    [26] = "CREATE_CRYPTO_SESSION",
    [27] = "CLOSE_CRYPTO_SESSION",
    [28] = "POSTCOPY_ADVISE",
    [29] = "POSTCOPY_LISTEN",
    [30] = "POSTCOPY_END",
    [31] = "GET_INFLIGHT_FD",
    [32] = "SET_INFLIGHT_FD",
    [33] = "GPU_SET_SOCKET",
    [34] = "RESET_DEVICE",
    [35] = "VRING_KICK",
    [36] = "GET_MAX_MEM_SLOTS",
    [37] = "ADD_MEM_REG",
    [38] = "REM_MEM_REG",
    [39] = "SET_STATUS",
    [40] = "GET_STATUS",
};

const char *vcf_vu_request_name(uint32_t request)
{
    if (request <= VU_MAX_REQUEST && request_names[request])
        return request_names[request];
    return "?";
}

/* ---- memory table ---------------------------------------------------------------------------- */

static void unmap_regions(vu_region *r, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        if (r[i].map)
            munmap(r[i].map, r[i].map_len);
        r[i].map = NULL;
    }
}

/* [addr, addr+len) inside one region, by guest-physical (by_uva false) or front-end virtual
 * address. NULL when not. len 0 needs addr inside a region. */
static uint8_t *translate(const vcf_vu_dev *d, uint64_t addr, uint64_t len, bool by_uva)
{
    for (unsigned i = 0; i < d->n_regions; i++) {
        const vu_region *r = &d->region[i];
        uint64_t base = by_uva ? r->uva : r->gpa;
        if (addr < base || addr - base >= r->size)
            continue;
        uint64_t off = addr - base;
        if (len > r->size - off)
            return NULL; /* straddles the region's end */
        return r->host + off;
    }
    return NULL;
}

/* ---- queues ---------------------------------------------------------------------------------- */

static void queue_reset(vu_queue *q)
{
    close_fd(&q->kick_fd);
    close_fd(&q->call_fd);
    close_fd(&q->err_fd);
    memset(q, 0, sizeof *q);
    q->kick_fd = q->call_fd = q->err_fd = -1;
}

/* Translate q's ring addresses for its size; errors name the ring. */
static int queue_translate(vcf_vu_dev *d, unsigned qi, char *err, size_t err_len)
{
    vu_queue *q = &d->q[qi];
    static const char *const names[3] = {"descriptor table", "used ring", "avail ring"};
    const uint64_t addr[3] = {q->desc_uva, q->used_uva, q->avail_uva};
    const uint64_t size[3] = {16ull * q->num, 6ull + 8ull * q->num, 6ull + 2ull * q->num};
    const uint64_t align[3] = {16, 4, 2};
    uint8_t *host[3];
    for (unsigned i = 0; i < 3; i++) {
        if (addr[i] % align[i] != 0) {
            seterr(err, err_len, "q%u: %s address 0x%llx is not %llu-byte aligned", qi, names[i],
                   (unsigned long long)addr[i], (unsigned long long)align[i]);
            return -1;
        }
        if (addr[i] + size[i] < addr[i]) {
            seterr(err, err_len, "q%u: %s address 0x%llx + size 0x%llx overflows", qi, names[i],
                   (unsigned long long)addr[i], (unsigned long long)size[i]);
            return -1;
        }
        host[i] = translate(d, addr[i], size[i], true);
        if (!host[i]) {
            seterr(err, err_len,
                   "q%u: %s at 0x%llx (0x%llx bytes for %u entries) is not inside one memory "
                   "region",
                   qi, names[i], (unsigned long long)addr[i], (unsigned long long)size[i], q->num);
            return -1;
        }
        if ((uintptr_t)host[i] % align[i] != 0) {
            seterr(err, err_len, "q%u: %s at 0x%llx maps to a misaligned host address", qi,
                   names[i], (unsigned long long)addr[i]);
            return -1;
        }
    }
    q->desc = host[0];
    q->used = host[1];
    q->avail = host[2];
    return 0;
}

/* ---- connection ------------------------------------------------------------------------------ */

static void drop_connection(vcf_vu_dev *d)
{
    close_fd(&d->conn);
    close_fd(&d->slave_fd);
    for (unsigned i = 0; i < VCF_VU_MAX_QUEUES; i++)
        queue_reset(&d->q[i]);
    unmap_regions(d->region, d->n_regions);
    d->n_regions = 0;
    d->owner = false;
    d->features_set = false;
    d->features = 0;
    d->protocol_features = 0;
}

int vcf_vu_listen(const char *path, char *err, size_t err_len)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (!path || strlen(path) == 0 || strlen(path) >= sizeof sa.sun_path) {
        seterr(err, err_len, "socket path '%s' is empty or longer than %zu bytes", path ? path : "",
               sizeof sa.sun_path - 1);
        return -1;
    }
    memcpy(sa.sun_path, path, strlen(path));
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            seterr(err, err_len, "%s exists and is not a socket: not replacing it", path);
            return -1;
        }
        if (unlink(path) != 0) {
            seterr(err, err_len, "unlink %s: %s", path, strerror(errno));
            return -1;
        }
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        seterr(err, err_len, "socket: %s", strerror(errno));
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        seterr(err, err_len, "bind %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    if (listen(fd, 4) != 0) {
        seterr(err, err_len, "listen %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

vcf_vu_dev *vcf_vu_new(const vcf_vu_config *cfg)
{
    if (!cfg || cfg->num_queues == 0 || cfg->num_queues > VCF_VU_MAX_QUEUES)
        return NULL;
    if (!(cfg->protocol_features & (1ull << VCF_VU_PROTOCOL_F_SLAVE_REQ)))
        return NULL;
    if (cfg->protocol_features & ~VU_PROTOCOL_SUPPORTED)
        return NULL;
    if (cfg->features & VU_FEATURES_UNSUPPORTED)
        return NULL;
    vcf_vu_dev *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->cfg = *cfg;
    d->cfg.features |= 1ull << VCF_VU_F_PROTOCOL_FEATURES;
    d->conn = -1;
    d->slave_fd = -1;
    for (unsigned i = 0; i < VCF_VU_MAX_QUEUES; i++) {
        d->q[i].kick_fd = d->q[i].call_fd = d->q[i].err_fd = -1;
    }
    return d;
}

void vcf_vu_free(vcf_vu_dev *d)
{
    if (!d)
        return;
    drop_connection(d);
    free(d);
}

void vcf_vu_attach(vcf_vu_dev *d, int conn_fd)
{
    drop_connection(d);
    d->conn = conn_fd;
    vlog(d, "attached fd %d", conn_fd);
}

int vcf_vu_conn_fd(const vcf_vu_dev *d)
{
    return d->conn;
}

/* ---- message I/O ----------------------------------------------------------------------------- */

static void msg_close_fds(vu_msg *m)
{
    for (unsigned i = 0; i < m->nfds; i++)
        close_fd(&m->fds[i]);
    m->nfds = 0;
}

/* Read exactly len bytes, collecting any fds. Returns bytes read (< len at EOF) or -1. */
static ssize_t recv_full(int fd, uint8_t *buf, size_t len, vu_msg *m)
{
    size_t got = 0;
    while (got < len) {
        union {
            char buf[CMSG_SPACE((VU_MAX_FDS + 1) * sizeof(int))]; /* one more: "too many" */
            struct cmsghdr align;
        } ctl;
        struct iovec iov = {.iov_base = buf + got, .iov_len = len - got};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
        mh.msg_control = ctl.buf;
        mh.msg_controllen = sizeof ctl.buf;
        ssize_t n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (mh.msg_flags & MSG_CTRUNC)
            m->too_many_fds = true;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
            if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                continue;
            size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            const unsigned char *data = CMSG_DATA(c);
            for (size_t i = 0; i < k; i++) {
                int f;
                memcpy(&f, data + i * sizeof(int), sizeof f);
                if (m->nfds < VU_MAX_FDS)
                    m->fds[m->nfds++] = f;
                else {
                    close(f);
                    m->too_many_fds = true;
                }
            }
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

static int send_all(int fd, const uint8_t *buf, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(fd, buf + off, len - off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        off += (size_t)n;
    }
    return 0;
}

static int send_reply(vcf_vu_dev *d, uint32_t request, const uint8_t *payload, uint32_t size,
                      char *err, size_t err_len)
{
    uint8_t buf[VU_HDR_SIZE + 64];
    if (size > sizeof buf - VU_HDR_SIZE) {
        seterr(err, err_len, "%s: reply of %u bytes too large", vcf_vu_request_name(request), size);
        return -1;
    }
    st32(buf, request);
    st32(buf + 4, VU_VERSION | VU_FLAG_REPLY);
    st32(buf + 8, size);
    if (size)
        memcpy(buf + VU_HDR_SIZE, payload, size);
    if (send_all(d->conn, buf, VU_HDR_SIZE + size) != 0) {
        seterr(err, err_len, "%s: sending the reply failed: %s", vcf_vu_request_name(request),
               strerror(errno));
        return -1;
    }
    return 0;
}

static int reply_u64(vcf_vu_dev *d, uint32_t request, uint64_t v, char *err, size_t err_len)
{
    uint8_t p[8];
    st64(p, v);
    return send_reply(d, request, p, 8, err, err_len);
}

/* ---- request handlers ------------------------------------------------------------------------ */

/* Each handler returns 0 (handled; replied if the request has a reply), or -1 with err (the
 * text without the request name, which dispatch prefixes). Handlers that keep an fd set its
 * slot in m->fds to -1. */

static int expect_size(const vu_msg *m, uint32_t size, char *err, size_t err_len)
{
    if (m->size != size) {
        seterr(err, err_len, "payload size %u, expected %u", m->size, size);
        return -1;
    }
    return 0;
}

static int expect_fds(const vu_msg *m, unsigned n, char *err, size_t err_len)
{
    if (m->nfds != n) {
        seterr(err, err_len, "%u fds attached, expected %u", m->nfds, n);
        return -1;
    }
    return 0;
}

static int check_queue(const vcf_vu_dev *d, uint32_t index, char *err, size_t err_len)
{
    if (index >= d->cfg.num_queues) {
        seterr(err, err_len, "queue index %u out of range (the device has %u queues)", index,
               d->cfg.num_queues);
        return -1;
    }
    return 0;
}

static bool proto_has(const vcf_vu_dev *d, unsigned bit)
{
    return (d->protocol_features >> bit) & 1u;
}

static int h_set_mem_table(vcf_vu_dev *d, vu_msg *m, char *err, size_t err_len)
{
    if (m->size < 8) {
        seterr(err, err_len, "payload size %u, expected at least 8", m->size);
        return -1;
    }
    uint32_t n = ld32(m->payload);
    if (n == 0 || n > VCF_VU_MAX_REGIONS) {
        seterr(err, err_len, "%u regions, expected 1..%u", n, VCF_VU_MAX_REGIONS);
        return -1;
    }
    /* Exact size, or the front-end's fixed-size array (UML sends room for 2): whole regions,
     * at least n and at most VCF_VU_MAX_REGIONS of them. */
    if (m->size < 8 + VU_MEM_REGION_SIZE * n || (m->size - 8) % VU_MEM_REGION_SIZE != 0 ||
        m->size > 8 + VU_MEM_REGION_SIZE * VCF_VU_MAX_REGIONS) {
        seterr(err, err_len, "payload size %u does not hold %u regions of %u bytes", m->size, n,
               VU_MEM_REGION_SIZE);
        return -1;
    }
    if (expect_fds(m, n, err, err_len) != 0)
        return -1;
    vu_region nr[VCF_VU_MAX_REGIONS];
    memset(nr, 0, sizeof nr);
    unsigned mapped = 0;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *p = m->payload + 8 + VU_MEM_REGION_SIZE * i;
        vu_region *r = &nr[i];
        r->gpa = ld64(p);
        r->size = ld64(p + 8);
        r->uva = ld64(p + 16);
        r->mmap_offset = ld64(p + 24);
        const char *bad = NULL;
        if (r->size == 0)
            bad = "size is 0";
        else if (r->gpa + r->size < r->gpa)
            bad = "guest_addr + size overflows";
        else if (r->uva + r->size < r->uva)
            bad = "user_addr + size overflows";
        else if (r->mmap_offset + r->size < r->mmap_offset ||
                 r->mmap_offset + r->size > (uint64_t)SIZE_MAX ||
                 r->mmap_offset + r->size > (uint64_t)INT64_MAX)
            bad = "mmap_offset + size overflows";
        if (bad) {
            seterr(err, err_len,
                   "region %u (guest_addr 0x%llx size 0x%llx user_addr 0x%llx mmap_offset "
                   "0x%llx): %s",
                   i, (unsigned long long)r->gpa, (unsigned long long)r->size,
                   (unsigned long long)r->uva, (unsigned long long)r->mmap_offset, bad);
            goto fail;
        }
        for (uint32_t j = 0; j < i; j++) {
            if (r->gpa < nr[j].gpa + nr[j].size && nr[j].gpa < r->gpa + r->size) {
                seterr(err, err_len, "region %u overlaps region %u in guest addresses", i, j);
                goto fail;
            }
        }
        struct stat st;
        if (fstat(m->fds[i], &st) != 0) {
            seterr(err, err_len, "region %u: fstat of its fd: %s", i, strerror(errno));
            goto fail;
        }
        if (!S_ISREG(st.st_mode)) {
            seterr(err, err_len, "region %u: its fd is not a regular file or memfd", i);
            goto fail;
        }
        if ((uint64_t)st.st_size < r->mmap_offset + r->size) {
            seterr(err, err_len,
                   "region %u: the file has 0x%llx bytes, less than mmap_offset + size 0x%llx", i,
                   (unsigned long long)st.st_size, (unsigned long long)(r->mmap_offset + r->size));
            goto fail;
        }
        r->map_len = (size_t)(r->mmap_offset + r->size);
        void *map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, m->fds[i], 0);
        if (map == MAP_FAILED) {
            seterr(err, err_len, "region %u: mmap of 0x%zx bytes failed: %s", i, r->map_len,
                   strerror(errno));
            goto fail;
        }
        r->map = map;
        r->host = (uint8_t *)map + r->mmap_offset;
        mapped = i + 1;
    }
    /* The mappings stay; the fds are not needed any more (closed by dispatch). */
    unmap_regions(d->region, d->n_regions);
    memcpy(d->region, nr, sizeof nr);
    d->n_regions = n;
    for (uint32_t i = 0; i < n; i++)
        vlog(d,
             "SET_MEM_TABLE region %u guest_addr=0x%llx size=0x%llx user_addr=0x%llx "
             "mmap_offset=0x%llx",
             i, (unsigned long long)nr[i].gpa, (unsigned long long)nr[i].size,
             (unsigned long long)nr[i].uva, (unsigned long long)nr[i].mmap_offset);
    /* Rings already described must still lie in the new table. */
    for (unsigned qi = 0; qi < d->cfg.num_queues; qi++) {
        if (d->q[qi].addr_set && queue_translate(d, qi, err, err_len) != 0)
            return -1;
    }
    return 0;
fail:
    unmap_regions(nr, mapped);
    return -1;
}

static int h_vring_fd(vcf_vu_dev *d, vu_msg *m, char *err, size_t err_len)
{
    if (expect_size(m, 8, err, err_len) != 0)
        return -1;
    uint64_t v = ld64(m->payload);
    if (v & ~(uint64_t)(VU_VRING_IDX_MASK | VU_VRING_NOFD)) {
        seterr(err, err_len, "value 0x%llx has bits set besides the index and NOFD (0x100)",
               (unsigned long long)v);
        return -1;
    }
    uint32_t qi = (uint32_t)(v & VU_VRING_IDX_MASK);
    bool nofd = (v & VU_VRING_NOFD) != 0;
    if (check_queue(d, qi, err, err_len) != 0)
        return -1;
    if (expect_fds(m, nofd ? 0 : 1, err, err_len) != 0)
        return -1;
    if (m->request == VU_SET_VRING_KICK && nofd &&
        !proto_has(d, VU_PROTOCOL_F_INBAND_NOTIFICATIONS)) {
        seterr(err, err_len,
               "q%u: NOFD without in-band notifications (polling the ring is not supported)", qi);
        return -1;
    }
    vu_queue *q = &d->q[qi];
    int *slot = m->request == VU_SET_VRING_KICK   ? &q->kick_fd
                : m->request == VU_SET_VRING_CALL ? &q->call_fd
                                                  : &q->err_fd;
    close_fd(slot);
    if (!nofd) {
        *slot = m->fds[0];
        m->fds[0] = -1;
    }
    vlog(d, "%s q%u %s", vcf_vu_request_name(m->request), qi, nofd ? "nofd" : "fd");
    return 0;
}

static int h_vring_state(vcf_vu_dev *d, vu_msg *m, char *err, size_t err_len)
{
    if (expect_size(m, 8, err, err_len) != 0 || expect_fds(m, 0, err, err_len) != 0)
        return -1;
    uint32_t qi = ld32(m->payload);
    uint32_t num = ld32(m->payload + 4);
    if (check_queue(d, qi, err, err_len) != 0)
        return -1;
    vu_queue *q = &d->q[qi];
    switch (m->request) {
    case VU_SET_VRING_NUM:
        if (!is_pow2(num) || num > VCF_VU_MAX_QUEUE_SIZE) {
            seterr(err, err_len, "q%u: ring size %u is not a power of two in 1..%u", qi, num,
                   VCF_VU_MAX_QUEUE_SIZE);
            return -1;
        }
        q->num = num;
        if (q->addr_set && queue_translate(d, qi, err, err_len) != 0)
            return -1;
        vlog(d, "SET_VRING_NUM q%u num=%u", qi, num);
        return 0;
    case VU_SET_VRING_BASE:
        if (num > 0xffffu) {
            seterr(err, err_len, "q%u: base %u does not fit the 16-bit ring index", qi, num);
            return -1;
        }
        q->last_avail = (uint16_t)num;
        q->used_idx = (uint16_t)num;
        vlog(d, "SET_VRING_BASE q%u base=%u", qi, num);
        return 0;
    case VU_GET_VRING_BASE: {
        /* The ring stops: its fds go, and it needs KICK (and ENABLE) again to restart. */
        uint8_t p[8];
        st32(p, qi);
        st32(p + 4, q->last_avail);
        close_fd(&q->kick_fd);
        close_fd(&q->call_fd);
        q->enabled = false;
        vlog(d, "GET_VRING_BASE q%u -> %u (ring stopped)", qi, q->last_avail);
        return send_reply(d, m->request, p, 8, err, err_len);
    }
    case VU_SET_VRING_ENABLE:
        if (num > 1) {
            seterr(err, err_len, "q%u: enable value %u, expected 0 or 1", qi, num);
            return -1;
        }
        q->enabled = num == 1;
        vlog(d, "SET_VRING_ENABLE q%u %u", qi, num);
        return 0;
    default: return -1;
    }
}

static int h_set_vring_addr(vcf_vu_dev *d, vu_msg *m, char *err, size_t err_len)
{
    if (expect_size(m, 40, err, err_len) != 0 || expect_fds(m, 0, err, err_len) != 0)
        return -1;
    uint32_t qi = ld32(m->payload);
    uint32_t flags = ld32(m->payload + 4);
    if (check_queue(d, qi, err, err_len) != 0)
        return -1;
    vu_queue *q = &d->q[qi];
    if (flags & ~VU_VRING_F_LOG) {
        seterr(err, err_len, "q%u: unknown flags 0x%x", qi, flags);
        return -1;
    }
    if (flags & VU_VRING_F_LOG) {
        seterr(err, err_len, "q%u: the LOG flag is set but logging was not offered", qi);
        return -1;
    }
    if (q->num == 0) {
        seterr(err, err_len, "q%u: the ring size is not set (SET_VRING_NUM first)", qi);
        return -1;
    }
    /* Payload order: index, flags, desc, used, avail, log. */
    q->desc_uva = ld64(m->payload + 8);
    q->used_uva = ld64(m->payload + 16);
    q->avail_uva = ld64(m->payload + 24);
    q->addr_set = false;
    if (queue_translate(d, qi, err, err_len) != 0)
        return -1;
    q->addr_set = true;
    /* Continue the used ring where it is (0 for a new ring). */
    uint16_t used =
        le16_native(__atomic_load_n((const uint16_t *)(void *)(q->used + 2), __ATOMIC_ACQUIRE));
    q->used_idx = used;
    vlog(d, "SET_VRING_ADDR q%u desc=0x%llx used=0x%llx avail=0x%llx", qi,
         (unsigned long long)q->desc_uva, (unsigned long long)q->used_uva,
         (unsigned long long)q->avail_uva);
    return 0;
}

static int h_u64_in(vu_msg *m, uint64_t *v, char *err, size_t err_len)
{
    if (expect_size(m, 8, err, err_len) != 0 || expect_fds(m, 0, err, err_len) != 0)
        return -1;
    *v = ld64(m->payload);
    return 0;
}

static int h_no_payload(const vu_msg *m, char *err, size_t err_len)
{
    if (expect_size(m, 0, err, err_len) != 0 || expect_fds(m, 0, err, err_len) != 0)
        return -1;
    return 0;
}

static int handle(vcf_vu_dev *d, vu_msg *m, bool *replied, char *err, size_t err_len)
{
    uint64_t v;
    *replied = false;
    switch (m->request) {
    case VU_GET_FEATURES:
        if (h_no_payload(m, err, err_len) != 0)
            return -1;
        *replied = true;
        vlog(d, "GET_FEATURES -> 0x%llx", (unsigned long long)d->cfg.features);
        return reply_u64(d, m->request, d->cfg.features, err, err_len);
    case VU_SET_FEATURES:
        if (h_u64_in(m, &v, err, err_len) != 0)
            return -1;
        if (v & ~d->cfg.features) {
            seterr(err, err_len, "0x%llx has bits 0x%llx that were not offered (offered 0x%llx)",
                   (unsigned long long)v, (unsigned long long)(v & ~d->cfg.features),
                   (unsigned long long)d->cfg.features);
            return -1;
        }
        d->features = v;
        d->features_set = true;
        vlog(d, "SET_FEATURES 0x%llx", (unsigned long long)v);
        return 0;
    case VU_SET_OWNER:
        if (h_no_payload(m, err, err_len) != 0)
            return -1;
        d->owner = true;
        vlog(d, "SET_OWNER");
        return 0;
    case VU_RESET_OWNER:
        if (h_no_payload(m, err, err_len) != 0)
            return -1;
        for (unsigned i = 0; i < VCF_VU_MAX_QUEUES; i++)
            queue_reset(&d->q[i]);
        d->owner = false;
        d->features_set = false;
        d->features = 0;
        vlog(d, "RESET_OWNER (rings and features reset)");
        return 0;
    case VU_GET_PROTOCOL_FEATURES:
        if (h_no_payload(m, err, err_len) != 0)
            return -1;
        *replied = true;
        vlog(d, "GET_PROTOCOL_FEATURES -> 0x%llx", (unsigned long long)d->cfg.protocol_features);
        return reply_u64(d, m->request, d->cfg.protocol_features, err, err_len);
    case VU_SET_PROTOCOL_FEATURES:
        if (h_u64_in(m, &v, err, err_len) != 0)
            return -1;
        if (v & ~d->cfg.protocol_features) {
            seterr(err, err_len, "0x%llx has bits 0x%llx that were not offered (offered 0x%llx)",
                   (unsigned long long)v, (unsigned long long)(v & ~d->cfg.protocol_features),
                   (unsigned long long)d->cfg.protocol_features);
            return -1;
        }
        d->protocol_features = v;
        vlog(d, "SET_PROTOCOL_FEATURES 0x%llx", (unsigned long long)v);
        return 0;
    case VU_GET_QUEUE_NUM:
        if (h_no_payload(m, err, err_len) != 0)
            return -1;
        *replied = true;
        vlog(d, "GET_QUEUE_NUM -> %u", d->cfg.num_queues);
        return reply_u64(d, m->request, d->cfg.num_queues, err, err_len);
    case VU_SET_MEM_TABLE: return h_set_mem_table(d, m, err, err_len);
    case VU_SET_VRING_NUM:
    case VU_SET_VRING_BASE:
    case VU_SET_VRING_ENABLE: return h_vring_state(d, m, err, err_len);
    case VU_GET_VRING_BASE: *replied = true; return h_vring_state(d, m, err, err_len);
    case VU_SET_VRING_ADDR: return h_set_vring_addr(d, m, err, err_len);
    case VU_SET_VRING_KICK:
    case VU_SET_VRING_CALL:
    case VU_SET_VRING_ERR: return h_vring_fd(d, m, err, err_len);
    case VU_VRING_KICK: {
        if (expect_size(m, 8, err, err_len) != 0 || expect_fds(m, 0, err, err_len) != 0)
            return -1;
        if (!proto_has(d, VU_PROTOCOL_F_INBAND_NOTIFICATIONS)) {
            seterr(err, err_len, "PROTOCOL_F_INBAND_NOTIFICATIONS was not negotiated");
            return -1;
        }
        uint32_t qi = ld32(m->payload);
        if (check_queue(d, qi, err, err_len) != 0)
            return -1;
        d->q[qi].inband_kicks++;
        vlog(d, "VRING_KICK q%u", qi);
        return 0;
    }
    case VU_SET_SLAVE_REQ_FD:
        if (expect_size(m, 0, err, err_len) != 0 || expect_fds(m, 1, err, err_len) != 0)
            return -1;
        if (!proto_has(d, VCF_VU_PROTOCOL_F_SLAVE_REQ)) {
            seterr(err, err_len, "PROTOCOL_F_SLAVE_REQ was not negotiated");
            return -1;
        }
        /* Kept open for the connection's life: UML treats its closing as a reset. */
        close_fd(&d->slave_fd);
        d->slave_fd = m->fds[0];
        m->fds[0] = -1;
        vlog(d, "SET_SLAVE_REQ_FD");
        return 0;
    case VU_SET_LOG_BASE:
    case VU_SET_LOG_FD:
        seterr(err, err_len,
               "dirty-page logging is not supported (VHOST_F_LOG_ALL and PROTOCOL_F_LOG_SHMFD "
               "were not offered)");
        return -1;
    case VU_GET_CONFIG:
    case VU_SET_CONFIG:
        seterr(err, err_len, "the device has no config space (PROTOCOL_F_CONFIG was not offered)");
        return -1;
    default:
        if (m->request <= VU_MAX_REQUEST && request_names[m->request])
            seterr(err, err_len, "request %u is not supported by this back-end", m->request);
        else
            seterr(err, err_len, "unknown request %u", m->request);
        return -1;
    }
}

int vcf_vu_dispatch(vcf_vu_dev *d, char *err, size_t err_len)
{
    if (d->conn < 0) {
        seterr(err, err_len, "not connected");
        return -1;
    }
    vu_msg *m = &d->msg;
    m->request = m->flags = m->size = 0;
    m->nfds = 0;
    m->too_many_fds = false;
    uint8_t hdr[VU_HDR_SIZE];
    char why[384] = "";
    int rc = -1;

    ssize_t n = recv_full(d->conn, hdr, sizeof hdr, m);
    if (n == 0 && m->nfds == 0) {
        vlog(d, "front-end closed the connection");
        drop_connection(d);
        return 0;
    }
    if (n < 0) {
        seterr(err, err_len, "reading a message header: %s", strerror(errno));
        goto out;
    }
    if ((size_t)n < sizeof hdr) {
        seterr(err, err_len,
               "short message: the connection closed after %zd of the %u header bytes", n,
               VU_HDR_SIZE);
        goto out;
    }
    m->request = ld32(hdr);
    m->flags = ld32(hdr + 4);
    m->size = ld32(hdr + 8);
    const char *name = vcf_vu_request_name(m->request);
    if ((m->flags & VU_FLAG_VERSION) != VU_VERSION) {
        seterr(err, err_len, "%s (%u): flags 0x%x: version %u, expected %u", name, m->request,
               m->flags, m->flags & VU_FLAG_VERSION, VU_VERSION);
        goto out;
    }
    if (m->flags & ~(VU_FLAG_VERSION | VU_FLAG_NEED_REPLY)) {
        seterr(err, err_len, "%s (%u): flags 0x%x: unexpected bits 0x%x (reply or unknown)", name,
               m->request, m->flags, m->flags & ~(VU_FLAG_VERSION | VU_FLAG_NEED_REPLY));
        goto out;
    }
    if (m->size > VU_MAX_PAYLOAD) {
        seterr(err, err_len, "%s (%u): payload size %u exceeds the maximum %u", name, m->request,
               m->size, VU_MAX_PAYLOAD);
        goto out;
    }
    if (m->size) {
        n = recv_full(d->conn, m->payload, m->size, m);
        if (n < 0) {
            seterr(err, err_len, "%s: reading the payload: %s", name, strerror(errno));
            goto out;
        }
        if ((size_t)n < m->size) {
            seterr(err, err_len,
                   "%s: short message: the connection closed after %zd of %u payload bytes", name,
                   n, m->size);
            goto out;
        }
    }
    if (m->too_many_fds) {
        seterr(err, err_len, "%s: too many fds attached (more than %u)", name, VU_MAX_FDS);
        goto out;
    }
    bool replied = false;
    if (handle(d, m, &replied, why, sizeof why) != 0) {
        if (m->request <= VU_MAX_REQUEST && request_names[m->request])
            seterr(err, err_len, "%s: %s", name, why);
        else
            seterr(err, err_len, "%s", why);
        /* Best effort: tell a front-end that waits for an ack that this failed. */
        if ((m->flags & VU_FLAG_NEED_REPLY) && proto_has(d, VCF_VU_PROTOCOL_F_REPLY_ACK) &&
            !replied && d->conn >= 0)
            (void)reply_u64(d, m->request, 1, NULL, 0);
        goto out;
    }
    /* REPLY_ACK: every request that asked for it and has no reply of its own gets a u64 0
     * (SET_PROTOCOL_FEATURES included, which is the one that negotiates it). */
    if ((m->flags & VU_FLAG_NEED_REPLY) && proto_has(d, VCF_VU_PROTOCOL_F_REPLY_ACK) && !replied) {
        if (reply_u64(d, m->request, 0, why, sizeof why) != 0) {
            seterr(err, err_len, "%s", why);
            goto out;
        }
    }
    rc = 1;
out:
    msg_close_fds(m);
    if (rc != 1) {
        vlog(d, "error: %s", err ? err : "");
        drop_connection(d);
    }
    return rc;
}

/* ---- state queries --------------------------------------------------------------------------- */

bool vcf_vu_connected(const vcf_vu_dev *d)
{
    return d->conn >= 0;
}

bool vcf_vu_features_acked(const vcf_vu_dev *d, uint64_t *features)
{
    if (features)
        *features = d->features_set ? d->features : 0;
    return d->features_set;
}

uint64_t vcf_vu_protocol_features(const vcf_vu_dev *d)
{
    return d->protocol_features;
}

bool vcf_vu_queue_ready(const vcf_vu_dev *d, unsigned q)
{
    if (q >= d->cfg.num_queues || d->conn < 0)
        return false;
    const vu_queue *vq = &d->q[q];
    if (vq->num == 0 || !vq->addr_set)
        return false;
    if (vq->kick_fd < 0 && !proto_has(d, VU_PROTOCOL_F_INBAND_NOTIFICATIONS))
        return false;
    bool proto = d->features_set && ((d->features >> VCF_VU_F_PROTOCOL_FEATURES) & 1u);
    return vq->enabled || !proto;
}

unsigned vcf_vu_queue_size(const vcf_vu_dev *d, unsigned q)
{
    return q < d->cfg.num_queues ? d->q[q].num : 0;
}

int vcf_vu_kick_fd(const vcf_vu_dev *d, unsigned q)
{
    return q < d->cfg.num_queues ? d->q[q].kick_fd : -1;
}

uint64_t vcf_vu_take_kicks(vcf_vu_dev *d, unsigned q)
{
    if (q >= d->cfg.num_queues)
        return 0;
    vu_queue *vq = &d->q[q];
    if (vq->inband_kicks) {
        uint64_t k = vq->inband_kicks;
        vq->inband_kicks = 0;
        vq->kicks += k;
        return k;
    }
    if (vq->kick_fd < 0)
        return 0;
    /* poll first: the fd's blocking mode belongs to the front-end's open file too. */
    struct pollfd pfd = {.fd = vq->kick_fd, .events = POLLIN};
    if (poll(&pfd, 1, 0) != 1 || !(pfd.revents & POLLIN))
        return 0;
    uint8_t b[8];
    ssize_t n = read(vq->kick_fd, b, sizeof b);
    if (n != (ssize_t)sizeof b)
        return 0;
    uint64_t v;
    memcpy(&v, b, sizeof v); /* an eventfd counter, in host order */
    vq->kicks += v;
    return v;
}

uint64_t vcf_vu_kick_count(const vcf_vu_dev *d, unsigned q)
{
    return q < d->cfg.num_queues ? d->q[q].kicks : 0;
}

/* ---- split virtqueues ------------------------------------------------------------------------ */

int vcf_vu_avail(vcf_vu_dev *d, unsigned q, char *err, size_t err_len)
{
    if (!vcf_vu_queue_ready(d, q))
        return 0;
    vu_queue *vq = &d->q[q];
    uint16_t idx = load_avail_idx(vq->avail);
    uint16_t ahead = (uint16_t)(idx - vq->last_avail);
    if (ahead > vq->num) {
        seterr(err, err_len,
               "q%u: avail idx %u is %u entries ahead of the next slot to pop (%u); the ring "
               "has %u",
               q, idx, ahead, vq->last_avail, vq->num);
        return -1;
    }
    return ahead;
}

/* One descriptor of a table of tsize entries. */
typedef struct vu_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
} vu_desc;

static vu_desc read_desc(const uint8_t *table, uint32_t i)
{
    const uint8_t *p = table + 16u * i;
    vu_desc dsc = {ld64(p), ld32(p + 8), ld16(p + 12), ld16(p + 14)};
    return dsc;
}

int vcf_vu_pop(vcf_vu_dev *d, unsigned q, vcf_vu_chain *c, char *err, size_t err_len)
{
    int avail = vcf_vu_avail(d, q, err, err_len);
    if (avail <= 0)
        return avail;
    vu_queue *vq = &d->q[q];
    uint16_t slot_idx = vq->last_avail;
    uint32_t slot = slot_idx & (vq->num - 1u);
    uint16_t head = ld16(vq->avail + 4 + 2u * slot);
    vq->last_avail++; /* consumed, valid or not */
    memset(c, 0, offsetof(vcf_vu_chain, seg));
    c->head = head;
    c->n_seg = 0;
    c->readable = c->writable = 0;
    if (head >= vq->num) {
        seterr(err, err_len,
               "q%u avail[%u] (idx %u): head descriptor %u out of range (ring size %u)", q, slot,
               slot_idx, head, vq->num);
        return -1;
    }
    const uint8_t *table = vq->desc;
    uint32_t tsize = vq->num;
    bool indirect = false;
    uint32_t i = head;
    memset(d->visited, 0, (tsize + 7) / 8);
    for (;;) {
        const char *kind = indirect ? "indirect descriptor" : "descriptor";
        if (d->visited[i / 8] & (1u << (i % 8))) {
            seterr(err, err_len, "q%u avail[%u] head %u: %s %u is in the chain twice (a loop)", q,
                   slot, head, kind, i);
            return -1;
        }
        d->visited[i / 8] |= (uint8_t)(1u << (i % 8));
        vu_desc dsc = read_desc(table, i);
        if (dsc.flags & VRING_DESC_F_INDIRECT) {
            const char *bad = NULL;
            if (!((d->features >> VIRTIO_F_INDIRECT_DESC) & 1u))
                bad = "INDIRECT but VIRTIO_F_INDIRECT_DESC was not negotiated";
            else if (indirect)
                bad = "INDIRECT inside an indirect table";
            else if (dsc.flags & VRING_DESC_F_NEXT)
                bad = "INDIRECT together with NEXT";
            else if (i != head)
                bad = "INDIRECT on a descriptor that is not the chain's head";
            else if (dsc.len == 0 || dsc.len % 16 != 0 || dsc.len / 16 > VCF_VU_MAX_QUEUE_SIZE)
                bad = "indirect table length is not a multiple of 16 in 16..16*32768";
            if (bad) {
                seterr(err, err_len, "q%u avail[%u] head %u: descriptor %u (len %u): %s", q, slot,
                       head, i, dsc.len, bad);
                return -1;
            }
            const uint8_t *t = translate(d, dsc.addr, dsc.len, false);
            if (!t || ((uintptr_t)t % 2) != 0) {
                seterr(err, err_len,
                       "q%u avail[%u] head %u: descriptor %u: indirect table 0x%llx+0x%x is not "
                       "inside one memory region",
                       q, slot, head, i, (unsigned long long)dsc.addr, dsc.len);
                return -1;
            }
            table = t;
            tsize = dsc.len / 16;
            indirect = true;
            i = 0;
            memset(d->visited, 0, (tsize + 7) / 8);
            continue;
        }
        if (dsc.addr + dsc.len < dsc.addr) {
            seterr(err, err_len,
                   "q%u avail[%u] head %u: %s %u: address 0x%llx + length 0x%x overflows", q, slot,
                   head, kind, i, (unsigned long long)dsc.addr, dsc.len);
            return -1;
        }
        uint8_t *ptr = translate(d, dsc.addr, dsc.len, false);
        if (!ptr) {
            seterr(err, err_len,
                   "q%u avail[%u] head %u: %s %u: buffer 0x%llx+0x%x is not inside one memory "
                   "region",
                   q, slot, head, kind, i, (unsigned long long)dsc.addr, dsc.len);
            return -1;
        }
        bool w = (dsc.flags & VRING_DESC_F_WRITE) != 0;
        if (!w && c->writable > 0) {
            seterr(err, err_len,
                   "q%u avail[%u] head %u: %s %u: a readable buffer after a writable one", q, slot,
                   head, kind, i);
            return -1;
        }
        if (c->n_seg == VCF_VU_MAX_CHAIN) {
            seterr(err, err_len, "q%u avail[%u] head %u: %s %u: more than %u segments", q, slot,
                   head, kind, i, VCF_VU_MAX_CHAIN);
            return -1;
        }
        c->seg[c->n_seg].ptr = ptr;
        c->seg[c->n_seg].len = dsc.len;
        c->seg[c->n_seg].writable = w;
        c->n_seg++;
        if (w)
            c->writable += dsc.len;
        else
            c->readable += dsc.len;
        if (!(dsc.flags & VRING_DESC_F_NEXT))
            break;
        if (dsc.next >= tsize) {
            seterr(err, err_len,
                   "q%u avail[%u] head %u: %s %u: next index %u out of range (table size %u)", q,
                   slot, head, kind, i, dsc.next, tsize);
            return -1;
        }
        i = dsc.next;
    }
    return 1;
}

int vcf_vu_push(vcf_vu_dev *d, unsigned q, uint16_t head, uint32_t len, char *err, size_t err_len)
{
    if (!vcf_vu_queue_ready(d, q)) {
        seterr(err, err_len, "q%u: push to a queue that is not ready", q);
        return -1;
    }
    vu_queue *vq = &d->q[q];
    if (head >= vq->num) {
        seterr(err, err_len, "q%u: push of head %u out of range (ring size %u)", q, head, vq->num);
        return -1;
    }
    uint8_t *e = vq->used + 4 + 8u * (vq->used_idx & (vq->num - 1u));
    st32(e, head);
    st32(e + 4, len);
    vq->used_idx++;
    store_used_idx(vq->used, vq->used_idx); /* release: the element is visible first */
    return 0;
}

/* Write 8 bytes without blocking on an fd whose mode we must not change: poll for room first.
 * 1: written; 0: no room (a full pipe or a saturated eventfd: already signalled); -1: error. */
static int write_signal(int fd, const uint8_t *b, size_t n)
{
    struct pollfd pfd = {.fd = fd, .events = POLLOUT};
    int pr = poll(&pfd, 1, 0);
    if (pr < 0)
        return -1;
    if (pr == 0)
        return 0;
    if (pfd.revents & (POLLERR | POLLNVAL)) {
        errno = EPIPE;
        return -1;
    }
    ssize_t w = write(fd, b, n);
    if (w == (ssize_t)n)
        return 1;
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return 0;
    if (w >= 0)
        errno = EIO;
    return -1;
}

int vcf_vu_notify(vcf_vu_dev *d, unsigned q, char *err, size_t err_len)
{
    if (q >= d->cfg.num_queues || d->conn < 0) {
        seterr(err, err_len, "q%u: notify without a connected queue", q);
        return -1;
    }
    vu_queue *vq = &d->q[q];
    if (vq->call_fd >= 0) {
        uint8_t b[8];
        uint64_t one = 1; /* an eventfd adds it; a pipe reader only counts bytes */
        memcpy(b, &one, sizeof b);
        if (write_signal(vq->call_fd, b, sizeof b) < 0) {
            seterr(err, err_len, "q%u: writing the call fd: %s", q, strerror(errno));
            return -1;
        }
        return 0;
    }
    if (proto_has(d, VU_PROTOCOL_F_INBAND_NOTIFICATIONS) && d->slave_fd >= 0) {
        uint8_t b[VU_HDR_SIZE + 8];
        st32(b, VU_SLAVE_VRING_CALL);
        st32(b + 4, VU_VERSION); /* no NEED_REPLY: nothing reads replies here */
        st32(b + 8, 8);
        st32(b + 12, q);
        st32(b + 16, 0);
        if (write_signal(d->slave_fd, b, sizeof b) < 0) {
            seterr(err, err_len, "q%u: sending VRING_CALL on the slave channel: %s", q,
                   strerror(errno));
            return -1;
        }
        return 0;
    }
    seterr(err, err_len,
           "q%u: no call fd (SET_VRING_CALL not seen, or NOFD) and no in-band notifications", q);
    return -1;
}

size_t vcf_vu_chain_read(const vcf_vu_chain *c, void *dst, size_t cap)
{
    size_t off = 0;
    uint8_t *out = dst;
    for (unsigned i = 0; i < c->n_seg && off < cap; i++) {
        if (c->seg[i].writable)
            continue;
        size_t k = c->seg[i].len;
        if (k > cap - off)
            k = cap - off;
        if (k)
            memcpy(out + off, c->seg[i].ptr, k);
        off += k;
    }
    return off;
}

size_t vcf_vu_chain_write(const vcf_vu_chain *c, const void *src, size_t len)
{
    size_t off = 0;
    const uint8_t *in = src;
    for (unsigned i = 0; i < c->n_seg && off < len; i++) {
        if (!c->seg[i].writable)
            continue;
        size_t k = c->seg[i].len;
        if (k > len - off)
            k = len - off;
        if (k)
            memcpy(c->seg[i].ptr, in + off, k);
        off += k;
    }
    return off;
}
