/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: a vhost-user device back-end (the server side of the vhost-user protocol,
 * https://qemu-project.gitlab.io/qemu/interop/vhost-user.html), generic over the device type.
 *
 * A front-end (UML's virtio_uml, QEMU's vhost-user-device, crosvm, cloud-hypervisor) connects
 * to a unix socket, negotiates features and protocol features, shares its memory (the memory
 * table: one fd per region), and describes each split virtqueue (size, descriptor table, avail
 * and used rings, kick eventfd, call fd). This code answers all of that and gives its user
 * bounded access to the rings: pop a descriptor chain the driver made available, push it to the
 * used ring with a length, signal the driver.
 *
 * Everything the front-end sends is validated before it is used: message sizes and fd counts,
 * ring sizes (a power of two, 1..VCF_VU_MAX_QUEUE_SIZE), ring addresses (translated through the
 * memory table; the whole ring must lie inside one mapped region), descriptor indexes, chain
 * lengths and loops, and every buffer's address and length. A hostile or buggy front-end gets
 * an error that says what was wrong and where (the message, the queue, the descriptor index);
 * never an out-of-bounds access. Ring memory is read with explicit little-endian loads (split
 * rings are little-endian with VIRTIO_F_VERSION_1; legacy front-ends use the guest's order,
 * which is also little-endian on every host vconform runs UML on).
 *
 * Not thread-safe: one thread drives a device.
 */
#ifndef VCF_HARNESS_VHOST_USER_H
#define VCF_HARNESS_VHOST_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VCF_VU_MAX_QUEUES     8u
#define VCF_VU_MAX_QUEUE_SIZE 32768u
#define VCF_VU_MAX_REGIONS    8u
#define VCF_VU_MAX_CHAIN      64u /* segments in one descriptor chain (direct descriptors) */

/* Feature bits the library itself knows about. */
#define VCF_VU_F_PROTOCOL_FEATURES  30u /* VHOST_USER_F_PROTOCOL_FEATURES */
#define VCF_VU_F_VERSION_1          32u
#define VCF_VU_PROTOCOL_F_REPLY_ACK 3u
#define VCF_VU_PROTOCOL_F_SLAVE_REQ 5u /* "BACKEND_REQ" in newer texts */

typedef struct vcf_vu_dev vcf_vu_dev;

/* What the device offers. The library adds VHOST_USER_F_PROTOCOL_FEATURES to `features` and
 * refuses to start without PROTOCOL_F_SLAVE_REQ in `protocol_features` (UML's front-end needs
 * it; see docs/vhost-user.md). */
typedef struct vcf_vu_config {
    uint64_t features;          /* virtio feature bits offered (device type bits + VERSION_1) */
    uint64_t protocol_features; /* VHOST_USER_PROTOCOL_F_* bits offered */
    unsigned num_queues;        /* queues the device has (2 for RPMsg), <= VCF_VU_MAX_QUEUES */
    /* Optional log of every message handled ("SET_VRING_ADDR q1 desc=0x... used=... avail=..."),
     * one line without newline per call; NULL for none. */
    void (*log)(void *ud, const char *line);
    void *log_ud;
} vcf_vu_config;

/* A listening unix socket at path (an existing socket file is replaced). fd or -1 with err. */
int vcf_vu_listen(const char *path, char *err, size_t err_len);

vcf_vu_dev *vcf_vu_new(const vcf_vu_config *cfg);
void vcf_vu_free(vcf_vu_dev *d); /* closes the connection and every fd, unmaps memory */

/* Take a connected socket (from accept(2), or one end of a socketpair in tests). Any earlier
 * connection is dropped first, with all its state (memory, rings, fds): a front-end that
 * reconnects starts from scratch. */
void vcf_vu_attach(vcf_vu_dev *d, int conn_fd);
/* The connection's fd, to poll for input; -1 when not connected. */
int vcf_vu_conn_fd(const vcf_vu_dev *d);

/* Read and handle one message from the front-end (blocks until a whole message is there; call
 * it when vcf_vu_conn_fd() is readable). Returns 1 when a message was handled, 0 when the
 * front-end closed the connection (the device is then disconnected: state dropped, ready for
 * vcf_vu_attach), -1 when the message was invalid: err says why, naming the request, and the
 * connection has been dropped as for 0. */
int vcf_vu_dispatch(vcf_vu_dev *d, char *err, size_t err_len);

/* ---- state the front-end set -------------------------------------------------------------- */

bool vcf_vu_connected(const vcf_vu_dev *d);
bool vcf_vu_features_acked(const vcf_vu_dev *d, uint64_t *features); /* SET_FEATURES seen */
uint64_t vcf_vu_protocol_features(const vcf_vu_dev *d);              /* as the front-end set them */
/* Queue q is usable: size, addresses and kick fd set, and enabled (SET_VRING_ENABLE 1, or no
 * PROTOCOL_FEATURES negotiated, where rings start enabled). */
bool vcf_vu_queue_ready(const vcf_vu_dev *d, unsigned q);
unsigned vcf_vu_queue_size(const vcf_vu_dev *d, unsigned q); /* 0 when not set */
/* The queue's kick eventfd (to poll), or -1. */
int vcf_vu_kick_fd(const vcf_vu_dev *d, unsigned q);
/* Read the kick eventfd without blocking: the number of kicks since the last call (0: none). */
uint64_t vcf_vu_take_kicks(vcf_vu_dev *d, unsigned q);
/* Kicks taken so far on q, over the connection's life. */
uint64_t vcf_vu_kick_count(const vcf_vu_dev *d, unsigned q);

/* ---- split virtqueues ------------------------------------------------------------------------ */

typedef struct vcf_vu_seg {
    uint8_t *ptr; /* into mapped front-end memory, valid until the connection changes */
    uint32_t len;
    bool writable; /* VRING_DESC_F_WRITE: device writes, driver reads */
} vcf_vu_seg;

typedef struct vcf_vu_chain {
    uint16_t head; /* the head descriptor's index: what vcf_vu_push returns */
    unsigned n_seg;
    vcf_vu_seg seg[VCF_VU_MAX_CHAIN];
    size_t readable; /* bytes in the driver-to-device segments */
    size_t writable; /* bytes in the device-to-driver segments */
} vcf_vu_chain;

/* How many chains the driver has made available on q that have not been popped yet; 0 when
 * the queue is not ready. -1 with err when the avail index is impossible (more than the ring
 * size ahead). */
int vcf_vu_avail(vcf_vu_dev *d, unsigned q, char *err, size_t err_len);

/* Pop the next available chain of q into *c. 1: got one; 0: none available (or the queue is not
 * ready); -1: the chain is invalid (index out of range, a loop, too many segments, a buffer
 * outside mapped memory, a readable segment after a writable one, INDIRECT without the feature):
 * err names the queue, the avail slot and the descriptor. A rejected chain is consumed: it is
 * not returned again, and the caller decides whether to push it back with length 0. */
int vcf_vu_pop(vcf_vu_dev *d, unsigned q, vcf_vu_chain *c, char *err, size_t err_len);

/* Put chain `head` in q's used ring with used length `len` (any value: a test may make the ring
 * lie) and publish the used index. 0, or -1 with err (queue not ready). Does not signal. */
int vcf_vu_push(vcf_vu_dev *d, unsigned q, uint16_t head, uint32_t len, char *err, size_t err_len);

/* Signal the driver that q's used ring moved: 8 bytes to its call fd (a pipe or an eventfd),
 * or VHOST_USER_SLAVE_VRING_CALL on the slave channel when the queue has no call fd and
 * in-band notifications were negotiated. 0, or -1 with err. */
int vcf_vu_notify(vcf_vu_dev *d, unsigned q, char *err, size_t err_len);

/* Copy the chain's readable bytes (in order) into dst, at most cap; returns the count. */
size_t vcf_vu_chain_read(const vcf_vu_chain *c, void *dst, size_t cap);
/* Write len bytes into the chain's writable segments, in order; returns the count written
 * (less than len when the chain is shorter). */
size_t vcf_vu_chain_write(const vcf_vu_chain *c, const void *src, size_t len);

/* The request's name ("SET_VRING_ADDR"), "?" when unknown. */
const char *vcf_vu_request_name(uint32_t request);

#endif /* VCF_HARNESS_VHOST_USER_H */
