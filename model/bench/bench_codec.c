/* SPDX-License-Identifier: MIT */
/*
 * Codec benchmark (not a test): ns per decode+validate of the model's codecs, next to an
 * unchecked packed-struct cast of the same bytes, in the same run.
 *
 * The cast is what this project tells implementations not to do: it reads host-order fields
 * straight from the wire buffer without any bounds or size check. It is here only as the speed
 * floor. Both sides are one direct call of a non-inlined function that fills the same output
 * structure; the input pointer is made opaque and memory clobbered on every iteration so that
 * neither call can be hoisted or dropped.
 *
 * Usage: vcf-bench [--iterations N] [--repeat R]
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vconform/rpmsg.h"
#include "vconform/vmsg.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error                                                                                             \
    "the packed-struct baseline reads little-endian wire data natively: build on a little-endian host"
#endif

#define NOINLINE  __attribute__((noinline))
#define OPAQUE(p) __asm__ volatile("" : "+r"(p))
#define CLOBBER() __asm__ volatile("" ::: "memory")

/* ---- the unchecked baseline --------------------------------------------------------------- */

struct __attribute__((packed)) raw_rpmsg_hdr {
    uint32_t src, dst, reserved;
    uint16_t len, flags;
};
struct __attribute__((packed)) raw_ns_frame {
    struct raw_rpmsg_hdr h;
    uint8_t name[32];
    uint32_t addr, flags;
};
struct __attribute__((packed)) raw_vqueue_resp {
    uint8_t type, msg_id;
    uint16_t dev_num, token, msg_size;
    uint32_t index, max_size, cur_size, reserved;
    uint64_t desc_addr, driver_addr, device_addr;
};

static NOINLINE int cast_rpmsg(const uint8_t *buf, size_t len, vcf_rpmsg_msg *out)
{
    (void)len;
    const struct raw_rpmsg_hdr *h = (const struct raw_rpmsg_hdr *)(const void *)buf;
    out->frame.hdr.src = h->src;
    out->frame.hdr.dst = h->dst;
    out->frame.hdr.reserved = h->reserved;
    out->frame.hdr.len = h->len;
    out->frame.hdr.flags = h->flags;
    out->frame.payload.ptr = buf + sizeof *h;
    out->frame.payload.len = h->len;
    out->kind = VCF_RPMSG_KIND_DATA;
    return 0;
}

static NOINLINE int cast_ns(const uint8_t *buf, size_t len, vcf_rpmsg_msg *out)
{
    (void)len;
    const struct raw_ns_frame *f = (const struct raw_ns_frame *)(const void *)buf;
    out->frame.hdr.src = f->h.src;
    out->frame.hdr.dst = f->h.dst;
    out->frame.hdr.reserved = f->h.reserved;
    out->frame.hdr.len = f->h.len;
    out->frame.hdr.flags = f->h.flags;
    out->frame.payload.ptr = buf + sizeof f->h;
    out->frame.payload.len = f->h.len;
    memcpy(out->ns.name, f->name, sizeof f->name);
    out->ns.addr = f->addr;
    out->ns.flags = f->flags;
    out->kind = VCF_RPMSG_KIND_NS;
    return 0;
}

static NOINLINE int cast_vqueue(const uint8_t *buf, size_t len, vcf_vmsg_msg *out)
{
    (void)len;
    const struct raw_vqueue_resp *r = (const struct raw_vqueue_resp *)(const void *)buf;
    out->hdr.type = r->type;
    out->hdr.msg_id = r->msg_id;
    out->hdr.dev_num = r->dev_num;
    out->hdr.token = r->token;
    out->hdr.msg_size = r->msg_size;
    out->kind = VCF_VMSG_K_GET_VQUEUE_RESP;
    out->u.vqueue.index = r->index;
    out->u.vqueue.max_size = r->max_size;
    out->u.vqueue.cur_size = r->cur_size;
    out->u.vqueue.reserved = r->reserved;
    out->u.vqueue.desc_addr = r->desc_addr;
    out->u.vqueue.driver_addr = r->driver_addr;
    out->u.vqueue.device_addr = r->device_addr;
    return 0;
}

/* ---- timing -------------------------------------------------------------------------------- */

static long iters = 20000000;
static int repeat = 7;
static volatile uint64_t sink;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Best-of-repeat ns per CALL; CALL decodes p into out, USE reads one decoded field. */
#define TIME_LOOP(result, out_type, buf, USE, CALL)                                                \
    do {                                                                                           \
        double best_ = 1e30;                                                                       \
        for (int r_ = 0; r_ < repeat; r_++) {                                                      \
            out_type out;                                                                          \
            uint64_t acc_ = 0;                                                                     \
            double t0_ = now_ns();                                                                 \
            for (long i_ = 0; i_ < iters; i_++) {                                                  \
                const uint8_t *p = (buf);                                                          \
                OPAQUE(p);                                                                         \
                acc_ += (uint64_t)(CALL) + (uint64_t)(USE);                                        \
                CLOBBER();                                                                         \
            }                                                                                      \
            double dt_ = (now_ns() - t0_) / (double)iters;                                         \
            sink = acc_;                                                                           \
            if (dt_ < best_)                                                                       \
                best_ = dt_;                                                                       \
        }                                                                                          \
        (result) = best_;                                                                          \
    } while (0)

static void report(const char *what, double model, double cast)
{
    printf("%-28s %8.2f ns   %8.2f ns   %5.2fx\n", what, model, cast, model / cast);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--iterations") == 0 && i + 1 < argc)
            iters = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: %s [--iterations N] [--repeat R]\n", argv[0]);
            return 2;
        }
    }
    if (iters < 1 || repeat < 1) {
        fprintf(stderr, "vcf-bench: iterations and repeat must be positive\n");
        return 2;
    }
    vcf_rpmsg_params rp;
    vcf_vmsg_params vp;
    vcf_rpmsg_params_default(&rp);
    vcf_vmsg_params_default(&vp);

    /* an RPMsg data message (16-byte header + 32-byte payload), an NS announcement, and a
     * virtio-msg GET_VQUEUE response, all little-endian */
    static uint8_t data[48] = {0x00, 0x04, 0, 0, 0x01, 0x04, 0, 0, 0, 0, 0, 0, 32, 0, 0, 0};
    static uint8_t ns[56] = {0x00, 0x04, 0, 0, 53, 0, 0, 0, 0, 0, 0, 0, 40, 0, 0, 0};
    memcpy(ns + 16, "rpmsg-client-sample", 19);
    ns[16 + 33] = 0x04; /* addr 0x400 */
    static const uint8_t vq[48] = {
        0x01, 0x09, 0x01, 0x00, 0x07, 0x00, 48, 0x00, 0x02, 0,    0, 0,    0, 1, 0, 0,
        0x80, 0,    0,    0,    0,    0,    0,  0,    0x00, 0x10, 0, 0x40, 0, 0, 0, 0,
        0x00, 0x20, 0,    0x40, 0,    0,    0,  0,    0x00, 0x30, 0, 0x40, 0, 0, 0, 0};

    /* both sides must read the samples alike before their speed means anything */
    vcf_rpmsg_msg a, b;
    vcf_vmsg_msg va, vb;
    if (vcf_rpmsg_decode(data, sizeof data, &rp, &a, NULL) || cast_rpmsg(data, sizeof data, &b) ||
        memcmp(&a.frame.hdr, &b.frame.hdr, sizeof a.frame.hdr) != 0 ||
        vcf_rpmsg_decode(ns, sizeof ns, &rp, &a, NULL) || cast_ns(ns, sizeof ns, &b) ||
        a.ns.addr != b.ns.addr || memcmp(a.ns.name, b.ns.name, 32) != 0 ||
        vcf_vmsg_decode(vq, sizeof vq, &vp, &va, NULL) || cast_vqueue(vq, sizeof vq, &vb) ||
        va.u.vqueue.device_addr != vb.u.vqueue.device_addr ||
        va.u.vqueue.cur_size != vb.u.vqueue.cur_size) {
        fprintf(stderr, "vcf-bench: model and cast disagree on the sample messages\n");
        return 1;
    }

    printf("vcf-bench: %ld iterations, best of %d runs\n", iters, repeat);
    printf("%-28s %11s   %11s   %6s\n", "message", "model", "raw cast", "ratio");
    double m, c;
    TIME_LOOP(m, vcf_rpmsg_msg, data, out.frame.hdr.len,
              vcf_rpmsg_decode(p, sizeof data, &rp, &out, NULL));
    TIME_LOOP(c, vcf_rpmsg_msg, data, out.frame.hdr.len, cast_rpmsg(p, sizeof data, &out));
    report("RPMsg header (data frame)", m, c);
    TIME_LOOP(m, vcf_rpmsg_msg, ns, out.ns.addr, vcf_rpmsg_decode(p, sizeof ns, &rp, &out, NULL));
    TIME_LOOP(c, vcf_rpmsg_msg, ns, out.ns.addr, cast_ns(p, sizeof ns, &out));
    report("RPMsg NS message", m, c);
    TIME_LOOP(m, vcf_vmsg_msg, vq, out.u.vqueue.desc_addr,
              vcf_vmsg_decode(p, sizeof vq, &vp, &out, NULL));
    TIME_LOOP(c, vcf_vmsg_msg, vq, out.u.vqueue.desc_addr, cast_vqueue(p, sizeof vq, &out));
    report("virtio-msg GET_VQUEUE resp", m, c);
    return 0;
}
