/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: the RPMsg golden vectors, driver side (rpmsg-driver) and device side
 * (rpmsg-device). docs/vectors/rpmsg.md describes the groups and the families of cases.
 *
 * Both roles receive and send, so most families are written once for a role context (the
 * queue the implementation receives on, the group's byte order, buffer size and features) and
 * played
 * for each role under its own ID prefix ("rpmsg-drv-", "rpmsg-dev-"). What only one role does
 * (the used length checked against the posted buffer, automatic announcements, the device's
 * posted buffers) is in the role's own functions.
 *
 * Every stimulus is built with the model's encoders (rpmsg.h); malformed ones are a good
 * encoding whose header or payload is then changed at a named offset. Local endpoints get
 * explicit addresses wherever the case is not about dynamic allocation, so that an
 * implementation whose allocator differs from the model's still sees the same bytes. Where a
 * case must use a dynamic address, the address is masked in the result and on the wire.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "vconform/rpmsg.h"
#include "vconform/rpmsg_model.h"

#define ANY VCF_RPMSG_ADDR_ANY
#define NSA VCF_RPMSG_NS_ADDR

/* Addresses used throughout: the peer's endpoint, two local endpoints. */
#define PEER  0x400u /* 1024 */
#define LOC   0x401u /* 1025 */
#define LOC2  0x402u /* 1026 */
#define NOEPT 0x4D2u /* 1234: never bound */

#define F_NS (UINT64_C(1) << VCF_RPMSG_F_NS)
#define F_V1 (UINT64_C(1) << VCF_VIRTIO_F_VERSION_1)

#define SVC  "rpmsg-client-sample" /* Linux's sample service, 19 characters */
#define SVC2 "rpmsg-tty"

#define FRAME_MAX 1024u

typedef struct ctx {
    vcf_gen *g;
    bool drv;        /* the implementation under test is the driver */
    const char *pfx; /* case ID prefix */
    uint32_t rxq;    /* the queue the implementation receives on */
    vcf_byte_order order;
    bool ns; /* F_NS negotiated in the current group */
    uint32_t buf_size;
} ctx;

/* ---- groups and cases ----------------------------------------------------------------------- */

static void group(ctx *c, const char *desc, uint64_t features, vcf_byte_order legacy,
                  uint32_t buf_size, uint32_t tx_bufs)
{
    vcf_gen_group(c->g, desc);
    vcf_gen_param_hex(c->g, "features", features);
    vcf_gen_param(c->g, "order", legacy == VCF_BIG_ENDIAN ? "be" : "le");
    vcf_gen_param_u64(c->g, "buf_size", buf_size);
    vcf_gen_param_u64(c->g, "tx_bufs", tx_bufs);
    c->order = vcf_rpmsg_link_order(features, legacy);
    c->ns = (features & F_NS) != 0;
    c->buf_size = buf_size;
}

static void kase(ctx *c, const char *name, vcf_vresult result, const char *desc)
{
    char id[128];
    snprintf(id, sizeof id, "%s%s", c->pfx, name);
    vcf_gen_case(c->g, id, result, desc);
}

#define RULES(c, ...) vcf_gen_rules((c)->g, __VA_ARGS__, (const char *)NULL)
#define END(c)        vcf_gen_end((c)->g)

/* ---- stimuli ------------------------------------------------------------------------------- */

/* A frame with the header fields as given (len is written as given too) and n payload bytes,
 * in byte order o. Returns its size. */
static size_t frame_raw(vcf_byte_order o, uint8_t *buf, size_t cap, const vcf_rpmsg_hdr *h,
                        const void *payload, size_t n)
{
    vcf_bytes body = {payload, n};
    vcf_error err;
    int len = vcf_rpmsg_frame_encode(h, body, o, buf, cap, &err);
    if (len < 0) { /* a generator bug: never write a vector from a stimulus that is not there */
        fprintf(stderr, "vconform gen: rpmsg stimulus of %zu payload bytes does not fit %zu\n", n,
                cap);
        exit(2);
    }
    return (size_t)len;
}

/* A well-formed frame src -> dst in the group's order. */
static size_t frame(const ctx *c, uint8_t *buf, size_t cap, uint32_t src, uint32_t dst,
                    const void *payload, size_t n)
{
    vcf_rpmsg_hdr h = {.src = src, .dst = dst, .len = (uint16_t)n};
    return frame_raw(c->order, buf, cap, &h, payload, n);
}

/* The 40-byte name-service payload, in byte order o. */
static void ns_payload_o(vcf_byte_order o, uint8_t out[VCF_RPMSG_NS_MSG_SIZE], const char *name,
                         uint32_t addr, uint32_t flags)
{
    vcf_rpmsg_ns_msg ns;
    vcf_rpmsg_ns_init(&ns, name, addr, flags);
    (void)vcf_rpmsg_ns_encode(&ns, o, out, VCF_RPMSG_NS_MSG_SIZE, NULL);
}

/* A whole name-service message from src, in byte order o. */
static size_t ns_frame_o(vcf_byte_order o, uint8_t *buf, size_t cap, uint32_t src, const char *name,
                         uint32_t addr, uint32_t flags)
{
    uint8_t p[VCF_RPMSG_NS_MSG_SIZE];
    ns_payload_o(o, p, name, addr, flags);
    vcf_rpmsg_hdr h = {.src = src, .dst = NSA, .len = VCF_RPMSG_NS_MSG_SIZE};
    return frame_raw(o, buf, cap, &h, p, sizeof p);
}

static size_t ns_frame(const ctx *c, uint8_t *buf, size_t cap, uint32_t src, const char *name,
                       uint32_t addr, uint32_t flags)
{
    return ns_frame_o(c->order, buf, cap, src, name, addr, flags);
}

static void rx(const ctx *c, const uint8_t *buf, size_t n)
{
    vcf_gen_inject(c->g, c->rxq, buf, n);
}

static void rx_ring(const ctx *c, const uint8_t *buf, size_t n, size_t used)
{
    vcf_gen_inject_ring(c->g, c->rxq, buf, n, used, 0);
}

/* Data message peer -> dst. */
static void rx_data(const ctx *c, uint32_t src, uint32_t dst, const char *text)
{
    uint8_t buf[FRAME_MAX];
    rx(c, buf, frame(c, buf, sizeof buf, src, dst, text, strlen(text)));
}

/* Name-service message from the announced address itself. */
static void rx_ns(const ctx *c, const char *name, uint32_t addr, uint32_t flags)
{
    uint8_t buf[FRAME_MAX];
    rx(c, buf, ns_frame(c, buf, sizeof buf, addr, name, addr, flags));
}

static void create(const ctx *c, uint32_t addr, uint32_t dest, const char *name)
{
    vcf_gen_action(c->g, VCF_ACT_RPMSG_CREATE, addr, dest, 0, name, strlen(name));
}

static void destroy(const ctx *c, uint32_t addr)
{
    vcf_gen_action(c->g, VCF_ACT_RPMSG_DESTROY, addr, 0, 0, NULL, 0);
}

static void send_msg(const ctx *c, uint32_t src, uint32_t dst, const void *p, size_t n)
{
    vcf_gen_action(c->g, VCF_ACT_RPMSG_SEND, src, dst, 0, p, n);
}

static void send_text(const ctx *c, uint32_t src, uint32_t dst, const char *text)
{
    send_msg(c, src, dst, text, strlen(text));
}

static void announce(const ctx *c, uint32_t addr, bool withdraw)
{
    vcf_gen_action(c->g, VCF_ACT_RPMSG_ANNOUNCE, addr, withdraw ? 1u : 0u, 0, NULL, 0);
}

static void give_back(const ctx *c, uint32_t count)
{
    vcf_gen_action(c->g, VCF_ACT_RPMSG_RETURN, count, 0, 0, NULL, 0);
}

/* Mask a 32-bit address field of message 0 of the last step: compare only the bits of keep. */
static void mask_addr(const ctx *c, size_t off, uint32_t keep)
{
    uint8_t m[4];
    for (unsigned i = 0; i < 4; i++) {
        unsigned shift = c->order == VCF_LITTLE_ENDIAN ? 8u * i : 8u * (3u - i);
        m[i] = (uint8_t)(keep >> shift);
    }
    vcf_gen_mask(c->g, 0, off, m, sizeof m);
}

/* ---- header decoding: len, used length, capacity, reserved, flags -------------------------- */

static void hdr_rx(ctx *c)
{
    uint8_t buf[FRAME_MAX];
    size_t n;

    kase(c, "hdr-rx-deliver", VCF_VRESULT_VALID,
         "A data message to a bound endpoint is delivered with its source and exactly len bytes.");
    RULES(c, "RPMSG-HDR-01", "RPMSG-EP-01", "RPMSG-VQ-01");
    create(c, LOC, ANY, "");
    rx_data(c, PEER, LOC, "hello");
    END(c);

    kase(c, "hdr-rx-len-zero", VCF_VRESULT_VALID,
         "A message with len 0 is delivered as an empty payload, not skipped.");
    RULES(c, "RPMSG-HDR-10", "RPMSG-EP-01");
    create(c, LOC, ANY, "");
    rx_data(c, PEER, LOC, "");
    END(c);

    kase(c, "hdr-rx-used-16-len-zero", VCF_VRESULT_VALID,
         "A used length of exactly 16 with len 0 is a whole message and is delivered.");
    RULES(c, "RPMSG-HDR-07", "RPMSG-HDR-10");
    create(c, LOC, ANY, "");
    n = frame(c, buf, sizeof buf, PEER, LOC, NULL, 0);
    rx_ring(c, buf, n, 16);
    END(c);

    kase(c, "hdr-rx-used-exact", VCF_VRESULT_VALID,
         "A used length of exactly 16 + len is delivered.");
    RULES(c, "RPMSG-HDR-08", "RPMSG-EP-01");
    create(c, LOC, ANY, "");
    n = frame(c, buf, sizeof buf, PEER, LOC, "exact", 5);
    rx_ring(c, buf, n, n);
    END(c);

    kase(c, "hdr-rx-used-whole-buffer-slack", VCF_VRESULT_VALID,
         "A used length of the whole buffer is accepted and the non-zero bytes after the payload "
         "are not delivered.");
    RULES(c, "RPMSG-HDR-11", "RPMSG-EP-01");
    create(c, LOC, ANY, "");
    memset(buf, 0xA5, c->buf_size); /* slack: every byte after the payload is 0xA5 */
    (void)frame(c, buf, sizeof buf, PEER, LOC, "slack", 5);
    rx_ring(c, buf, c->buf_size, c->buf_size);
    END(c);

    kase(c, "hdr-rx-used-slack-one", VCF_VRESULT_VALID,
         "A used length one byte above 16 + len is accepted and the extra byte ignored.");
    RULES(c, "RPMSG-HDR-11");
    create(c, LOC, ANY, "");
    n = frame(c, buf, sizeof buf, PEER, LOC, "abc", 3);
    buf[n] = 0x7E; /* offset 19: one byte past the payload */
    rx_ring(c, buf, n + 1, n + 1);
    END(c);

    kase(c, "hdr-rx-len-one-over-used", VCF_VRESULT_INVALID,
         "A message whose len is one more than the used length minus 16 is dropped.");
    RULES(c, "RPMSG-HDR-08");
    create(c, LOC, ANY, "");
    n = frame(c, buf, sizeof buf, PEER, LOC, "short", 5);
    rx_ring(c, buf, n, n - 1);
    END(c);

    kase(c, "hdr-rx-len-ffff", VCF_VRESULT_INVALID,
         "A message whose len field is 0xFFFF in a 21-byte used length is dropped.");
    RULES(c, "RPMSG-HDR-08");
    create(c, LOC, ANY, "");
    {
        vcf_rpmsg_hdr h = {.src = PEER, .dst = LOC, .len = 0xFFFF}; /* offset 12: len */
        n = frame_raw(c->order, buf, sizeof buf, &h, "hello", 5);
    }
    rx(c, buf, n);
    END(c);

    kase(c, "hdr-rx-len-max-in-buffer", VCF_VRESULT_VALID,
         "A payload of buf_size - 16 bytes filling the whole buffer is delivered.");
    RULES(c, "RPMSG-HDR-08", "RPMSG-HDR-11");
    create(c, LOC, ANY, "");
    {
        uint8_t p[FRAME_MAX];
        for (size_t i = 0; i < c->buf_size - 16u; i++)
            p[i] = (uint8_t)(i * 7u + 1u);
        n = frame(c, buf, sizeof buf, PEER, LOC, p, c->buf_size - 16u);
    }
    rx_ring(c, buf, n, c->buf_size);
    END(c);

    kase(c, "hdr-rx-len-over-buffer", VCF_VRESULT_INVALID,
         "A len one more than buf_size - 16 with the whole buffer used is dropped.");
    RULES(c, "RPMSG-HDR-08");
    create(c, LOC, ANY, "");
    {
        uint8_t p[FRAME_MAX];
        memset(p, 0x5A, sizeof p);
        n = frame(c, buf, sizeof buf, PEER, LOC, p, c->buf_size - 15u);
    }
    rx_ring(c, buf, c->buf_size, c->buf_size);
    END(c);

    kase(c, "hdr-rx-used-15", VCF_VRESULT_INVALID,
         "A buffer with a used length of 15, one byte short of a header, is dropped.");
    RULES(c, "RPMSG-HDR-07");
    create(c, LOC, ANY, "");
    n = frame(c, buf, sizeof buf, PEER, LOC, NULL, 0);
    rx_ring(c, buf, n, 15);
    END(c);

    kase(c, "hdr-rx-used-0", VCF_VRESULT_INVALID, "An empty buffer (used length 0) is dropped.");
    RULES(c, "RPMSG-HDR-07");
    create(c, LOC, ANY, "");
    rx(c, buf, 0);
    END(c);

    kase(c, "hdr-rx-reserved-nonzero", VCF_VRESULT_VALID,
         "A message with reserved 0xDEADBEEF is delivered exactly as with reserved 0.");
    RULES(c, "RPMSG-HDR-06");
    create(c, LOC, ANY, "");
    {
        vcf_rpmsg_hdr h = {.src = PEER, .dst = LOC, .reserved = 0xDEADBEEFu, .len = 4};
        n = frame_raw(c->order, buf, sizeof buf, &h, "rsvd", 4); /* offset 8: reserved */
    }
    rx(c, buf, n);
    END(c);

    kase(c, "hdr-rx-flags-nonzero", VCF_VRESULT_VALID,
         "A message with flags 0xFFFF is delivered exactly as with flags 0.");
    RULES(c, "RPMSG-HDR-06");
    create(c, LOC, ANY, "");
    {
        vcf_rpmsg_hdr h = {.src = PEER, .dst = LOC, .len = 5, .flags = 0xFFFF};
        n = frame_raw(c->order, buf, sizeof buf, &h, "flags", 5); /* offset 14: flags */
    }
    rx(c, buf, n);
    END(c);

    kase(c, "hdr-rx-drop-then-next", VCF_VRESULT_VALID,
         "After a message dropped for its length, the next message is delivered.");
    RULES(c, "RPMSG-HDR-12", "RPMSG-HDR-08");
    create(c, LOC, ANY, "");
    n = frame(c, buf, sizeof buf, PEER, LOC, "bad", 3);
    rx_ring(c, buf, n, n - 1);
    rx_data(c, PEER, LOC, "good");
    END(c);

    /* More drops than any receive pool holds (Linux posts 256): a side that keeps the buffer of
     * a dropped message has nothing left to receive into long before the last step. */
    kase(c, "hdr-rx-many-drops-buffers-return", VCF_VRESULT_VALID,
         "After 300 malformed or misaddressed messages in a row, a good message is still "
         "delivered.");
    RULES(c, "RPMSG-HDR-12", "RPMSG-HDR-07", "RPMSG-HDR-08", "RPMSG-EP-02");
    create(c, LOC, ANY, "");
    for (unsigned i = 0; i < 300; i++) {
        switch (i % 3) {
        case 0: /* len one over the used length */
            n = frame(c, buf, sizeof buf, PEER, LOC, "over", 4);
            rx_ring(c, buf, n, n - 1);
            break;
        case 1: /* shorter than a header */
            n = frame(c, buf, sizeof buf, PEER, LOC, NULL, 0);
            rx_ring(c, buf, n, 12);
            break;
        default: /* no endpoint there */ rx_data(c, PEER, NOEPT, "lost"); break;
        }
    }
    rx_data(c, PEER, LOC, "still here");
    END(c);
}

/* ---- addresses and endpoints: receive ------------------------------------------------------ */

static void ep_rx(ctx *c)
{
    uint8_t buf[FRAME_MAX];
    size_t n;

    kase(c, "addr-rx-dst-any", VCF_VRESULT_INVALID,
         "A message whose destination is ANY (0xFFFFFFFF) is dropped, not broadcast.");
    RULES(c, "RPMSG-ADDR-03");
    create(c, LOC, ANY, "");
    create(c, LOC2, ANY, "");
    rx_data(c, PEER, ANY, "broadcast");
    END(c);

    kase(c, "ep-rx-unknown-dst", VCF_VRESULT_INVALID,
         "A message to an address with no endpoint is dropped.");
    RULES(c, "RPMSG-EP-02");
    create(c, LOC, ANY, "");
    rx_data(c, PEER, NOEPT, "nobody");
    END(c);

    kase(c, "ep-rx-unknown-dst-neighbour", VCF_VRESULT_INVALID,
         "A message to the address one above a bound endpoint is dropped, not delivered to it.");
    RULES(c, "RPMSG-EP-02", "RPMSG-EP-01");
    create(c, LOC, ANY, "");
    rx_data(c, PEER, LOC + 1u, "next door");
    END(c);

    kase(c, "ep-rx-unknown-then-known", VCF_VRESULT_VALID,
         "After a message to an unknown address is dropped, the next message is delivered.");
    RULES(c, "RPMSG-EP-02", "RPMSG-HDR-12");
    create(c, LOC, ANY, "");
    rx_data(c, PEER, NOEPT, "nobody");
    rx_data(c, PEER, LOC, "somebody");
    END(c);

    kase(c, "ep-rx-dispatch-two", VCF_VRESULT_VALID,
         "Messages to two bound endpoints each reach the endpoint named by their destination.");
    RULES(c, "RPMSG-EP-01");
    create(c, LOC, ANY, "");
    create(c, LOC2, ANY, "");
    rx_data(c, PEER, LOC2, "to two");
    rx_data(c, PEER, LOC, "to one");
    rx_data(c, PEER + 5u, LOC2, "from another");
    END(c);

    kase(c, "ep-rx-dispatch-ignores-dest", VCF_VRESULT_VALID,
         "A message from an address other than the endpoint's destination is still delivered "
         "with its own source.");
    RULES(c, "RPMSG-EP-01");
    create(c, LOC, PEER, "");
    rx_data(c, 0x999u, LOC, "stranger");
    END(c);

    kase(c, "ep-rx-boundary-addresses", VCF_VRESULT_VALID,
         "Endpoints bound at 0, 1023, 1024 and 0x7FFFFFFF each receive the messages addressed "
         "to them.");
    RULES(c, "RPMSG-EP-01", "RPMSG-ADDR-04");
    /* 0x7FFFFFFF: the highest address every surveyed stack can bind (Linux: INT_MAX). */
    static const uint32_t at[] = {0, 1023, 1024, 0x7FFFFFFFu};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
        create(c, at[i], ANY, "");
    for (size_t i = sizeof at / sizeof at[0]; i-- > 0;)
        rx_data(c, PEER + 1u, at[i], "boundary");
    END(c);

    kase(c, "ep-rx-src-any", VCF_VRESULT_VALID,
         "A message whose source is ANY is still delivered to its destination, with source ANY.");
    RULES(c, "RPMSG-EP-01");
    create(c, LOC, ANY, "");
    rx_data(c, ANY, LOC, "anonymous");
    END(c);

    kase(c, "ep-rx-payload-bytes-unchanged", VCF_VRESULT_VALID,
         "A payload holding every byte value 0..255 is delivered unchanged.");
    RULES(c, "RPMSG-EP-01", "RPMSG-END-01");
    create(c, LOC, ANY, "");
    {
        uint8_t p[256];
        for (unsigned i = 0; i < 256; i++)
            p[i] = (uint8_t)i;
        n = frame(c, buf, sizeof buf, PEER, LOC, p, sizeof p);
    }
    rx(c, buf, n);
    END(c);

    kase(c, "ep-rx-after-destroy", VCF_VRESULT_INVALID,
         "A message to an endpoint that was destroyed is dropped.");
    RULES(c, "RPMSG-EP-03", "RPMSG-EP-02");
    create(c, LOC, ANY, "");
    destroy(c, LOC);
    rx_data(c, PEER, LOC, "too late");
    END(c);

    kase(c, "ep-rx-after-destroy-other-stays", VCF_VRESULT_VALID,
         "Destroying one endpoint leaves another endpoint receiving.");
    RULES(c, "RPMSG-EP-03", "RPMSG-EP-01");
    create(c, LOC, ANY, "");
    create(c, LOC2, ANY, "");
    destroy(c, LOC);
    rx_data(c, PEER, LOC, "gone");
    rx_data(c, PEER, LOC2, "here");
    END(c);

    kase(c, "ep-rebind-after-destroy", VCF_VRESULT_VALID,
         "An address released by destroy can be bound again and receives again.");
    RULES(c, "RPMSG-EP-03");
    create(c, LOC, ANY, "");
    destroy(c, LOC);
    create(c, LOC, ANY, "");
    rx_data(c, PEER, LOC, "again");
    END(c);
}

/* ---- addresses and endpoints: the upper layer ---------------------------------------------- */

static void ep_local(ctx *c)
{
    kase(c, "addr-create-duplicate", VCF_VRESULT_INVALID,
         "Binding an address that is already bound is refused and the first endpoint keeps "
         "receiving.");
    RULES(c, "RPMSG-ADDR-05");
    create(c, LOC, ANY, "");
    create(c, LOC, ANY, "");
    rx_data(c, PEER, LOC, "first");
    END(c);

    kase(c, "addr-create-reserved-explicit", VCF_VRESULT_VALID,
         "An address below 1024 can be bound explicitly and receives messages.");
    RULES(c, "RPMSG-ADDR-04", "RPMSG-EP-01");
    create(c, 1, ANY, "");
    rx_data(c, PEER, 1, "predefined");
    END(c);

    kase(c, "addr-create-reserved-duplicate", VCF_VRESULT_INVALID,
         "Binding an address below 1024 a second time is refused.");
    RULES(c, "RPMSG-ADDR-05");
    create(c, 100, ANY, "");
    create(c, 100, ANY, "");
    END(c);

    if (c->ns) {
        kase(c, "addr-create-53-refused", VCF_VRESULT_INVALID,
             "With F_NS, binding an endpoint at address 53 is refused.");
        RULES(c, "RPMSG-ADDR-06");
        create(c, NSA, ANY, "");
        END(c);

        kase(c, "addr-create-52-and-54", VCF_VRESULT_VALID,
             "With F_NS, the addresses next to 53 can still be bound.");
        RULES(c, "RPMSG-ADDR-06", "RPMSG-ADDR-04");
        create(c, 52, ANY, "");
        create(c, 54, ANY, "");
        END(c);
    }

    kase(c, "addr-create-dynamic-first", VCF_VRESULT_VALID,
         "The first dynamic address of a fresh instance is taken from 1024 up (checked: "
         "1024..2047), never from the reserved range.");
    RULES(c, "RPMSG-ADDR-04");
    create(c, ANY, ANY, "");
    vcf_gen_value_mask(c->g, 0xFFFFFC00u);
    END(c);

    kase(c, "addr-create-dynamic-not-reserved", VCF_VRESULT_VALID,
         "With an endpoint bound at 1 and one at 1023, a dynamic address still comes from 1024 "
         "up (checked: 1024..2047).");
    RULES(c, "RPMSG-ADDR-04");
    create(c, 1, ANY, "");
    create(c, 1023, ANY, "");
    create(c, ANY, ANY, "");
    vcf_gen_value_mask(c->g, 0xFFFFFC00u);
    END(c);

    kase(c, "ep-destroy-unknown", VCF_VRESULT_INVALID,
         "Destroying an address where no endpoint is bound is refused.");
    RULES(c, "RPMSG-EP-03");
    destroy(c, NOEPT);
    END(c);

    kase(c, "ep-destroy-twice", VCF_VRESULT_INVALID,
         "Destroying the same endpoint twice: the second destroy is refused.");
    RULES(c, "RPMSG-EP-03");
    create(c, LOC, ANY, "");
    destroy(c, LOC);
    destroy(c, LOC);
    END(c);
}

/* ---- the send path ------------------------------------------------------------------------- */

static void tx(ctx *c)
{
    const bool dev = !c->drv;
    /* The device reports the used length: HDR-13 is checked on every message it sends. */
    const char *used = dev ? "RPMSG-HDR-13" : "RPMSG-VQ-01";

    kase(c, "tx-send-basic", VCF_VRESULT_VALID,
         "A send puts one message on the send queue: src, dst, reserved 0, len, flags 0, then "
         "the payload.");
    RULES(c, "RPMSG-HDR-01", "RPMSG-HDR-02", "RPMSG-HDR-04", "RPMSG-HDR-05", "RPMSG-VQ-01",
          "RPMSG-EP-05", used);
    create(c, LOC, PEER, "");
    send_text(c, LOC, PEER, "hello");
    END(c);

    kase(c, "tx-send-zero-length", VCF_VRESULT_VALID,
         "A send of an empty payload puts a 16-byte message with len 0 on the wire.");
    RULES(c, "RPMSG-HDR-10", "RPMSG-HDR-02", used);
    create(c, LOC, ANY, "");
    send_msg(c, LOC, PEER, NULL, 0);
    END(c);

    kase(c, "tx-send-max", VCF_VRESULT_VALID,
         "A payload of exactly buf_size - 16 bytes is sent whole in one message.");
    RULES(c, "RPMSG-HDR-03", "RPMSG-HDR-02", used);
    create(c, LOC, ANY, "");
    {
        uint8_t p[FRAME_MAX];
        for (size_t i = 0; i < c->buf_size - 16u; i++)
            p[i] = (uint8_t)(255u - i);
        send_msg(c, LOC, PEER, p, c->buf_size - 16u);
    }
    END(c);

    kase(c, "tx-send-one-over", VCF_VRESULT_INVALID,
         "A payload of buf_size - 15 bytes is refused: nothing is sent, not even a truncated "
         "message.");
    RULES(c, "RPMSG-HDR-03");
    create(c, LOC, ANY, "");
    {
        uint8_t p[FRAME_MAX];
        memset(p, 0x42, sizeof p);
        send_msg(c, LOC, PEER, p, c->buf_size - 15u);
    }
    END(c);

    kase(c, "tx-send-far-over", VCF_VRESULT_INVALID,
         "A payload of 4096 bytes, larger than any buffer of the group, is refused and nothing "
         "is sent.");
    RULES(c, "RPMSG-HDR-03");
    create(c, LOC, ANY, "");
    {
        static uint8_t p[4096];
        memset(p, 0x17, sizeof p);
        send_msg(c, LOC, PEER, p, sizeof p);
    }
    END(c);

    kase(c, "tx-send-dst-any", VCF_VRESULT_INVALID,
         "A send to ANY is refused and nothing is sent (RPMsg has no broadcast).");
    RULES(c, "RPMSG-ADDR-01");
    create(c, LOC, ANY, "");
    send_text(c, LOC, ANY, "broadcast");
    END(c);

    kase(c, "tx-send-dst-below-any", VCF_VRESULT_VALID,
         "A send to 0xFFFFFFFE, the address just below ANY, is sent.");
    RULES(c, "RPMSG-ADDR-01", "RPMSG-HDR-02");
    create(c, LOC, ANY, "");
    send_text(c, LOC, 0xFFFFFFFEu, "edge");
    END(c);

    kase(c, "tx-send-dst-zero", VCF_VRESULT_VALID, "A send to address 0 is sent with dst 0.");
    RULES(c, "RPMSG-ADDR-01", "RPMSG-HDR-02");
    create(c, LOC, ANY, "");
    send_text(c, LOC, 0, "zero");
    END(c);

    kase(c, "tx-send-src-any", VCF_VRESULT_INVALID,
         "A send whose source is ANY is refused and nothing is sent.");
    RULES(c, "RPMSG-ADDR-02");
    create(c, LOC, ANY, "");
    send_text(c, ANY, PEER, "anonymous");
    END(c);

    kase(c, "tx-send-src-unbound", VCF_VRESULT_INVALID,
         "A send from an address where no local endpoint is bound is refused.");
    RULES(c, "RPMSG-EP-05");
    create(c, LOC, ANY, "");
    send_text(c, NOEPT, PEER, "forged");
    END(c);

    kase(c, "tx-send-src-destroyed", VCF_VRESULT_INVALID,
         "A send from an endpoint that was destroyed is refused.");
    RULES(c, "RPMSG-EP-05", "RPMSG-EP-03");
    create(c, LOC, ANY, "");
    destroy(c, LOC);
    send_text(c, LOC, PEER, "ghost");
    END(c);

    kase(c, "tx-send-src-reserved", VCF_VRESULT_VALID,
         "A send from an endpoint bound at reserved address 7 carries src 7.");
    RULES(c, "RPMSG-EP-05", "RPMSG-HDR-02", used);
    create(c, 7, ANY, "");
    send_text(c, 7, PEER, "seven");
    END(c);

    kase(c, "tx-send-two-endpoints", VCF_VRESULT_VALID,
         "Sends from two endpoints carry each one's own source address.");
    RULES(c, "RPMSG-EP-05", "RPMSG-HDR-01");
    create(c, LOC, ANY, "");
    create(c, LOC2, ANY, "");
    send_text(c, LOC2, PEER, "from two");
    send_text(c, LOC, PEER + 1u, "from one");
    END(c);

    kase(c, "tx-send-payload-bytes", VCF_VRESULT_VALID,
         "A payload holding every byte value 0..255 is sent unchanged, never byte-swapped.");
    RULES(c, "RPMSG-END-01", "RPMSG-HDR-02");
    create(c, LOC, ANY, "");
    {
        uint8_t p[256];
        for (unsigned i = 0; i < 256; i++)
            p[i] = (uint8_t)i;
        send_msg(c, LOC, PEER, p, sizeof p);
    }
    END(c);
}

/* ---- name service: receive ----------------------------------------------------------------- */

static void ns_rx(ctx *c)
{
    uint8_t buf[FRAME_MAX], p[128];
    size_t n;
    vcf_rpmsg_hdr h;

    kase(c, "ns-rx-create", VCF_VRESULT_VALID,
         "A name-service create for rpmsg-client-sample at 0x400 opens a channel.");
    RULES(c, "RPMSG-NS-01", "RPMSG-NS-04", "RPMSG-NS-09");
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    END(c);

    kase(c, "ns-rx-create-two-services", VCF_VRESULT_VALID,
         "Two creates with different names and addresses open two channels.");
    RULES(c, "RPMSG-NS-09");
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    rx_ns(c, SVC2, PEER + 1u, VCF_RPMSG_NS_CREATE);
    END(c);

    kase(c, "ns-rx-create-duplicate", VCF_VRESULT_INVALID,
         "A second create for the same name and address opens no second channel.");
    RULES(c, "RPMSG-NS-10");
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    END(c);

    kase(c, "ns-rx-create-same-name-other-addr", VCF_VRESULT_VALID,
         "The same name announced at a second address is a second channel.");
    RULES(c, "RPMSG-NS-10", "RPMSG-NS-09");
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    rx_ns(c, SVC, PEER + 1u, VCF_RPMSG_NS_CREATE);
    END(c);

    kase(c, "ns-rx-create-other-name-same-addr", VCF_VRESULT_VALID,
         "Another name announced at an address already announced is another channel.");
    RULES(c, "RPMSG-NS-10", "RPMSG-NS-09");
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    rx_ns(c, SVC2, PEER, VCF_RPMSG_NS_CREATE);
    END(c);

    kase(c, "ns-rx-destroy", VCF_VRESULT_VALID,
         "A destroy for an announced name and address closes that channel.");
    RULES(c, "RPMSG-NS-11", "RPMSG-NS-04");
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_DESTROY);
    END(c);

    kase(c, "ns-rx-destroy-unknown", VCF_VRESULT_INVALID,
         "A destroy for a channel that was never announced has no effect.");
    RULES(c, "RPMSG-NS-12");
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_DESTROY);
    END(c);

    kase(c, "ns-rx-destroy-wrong-addr", VCF_VRESULT_INVALID,
         "A destroy naming an announced service at another address has no effect; the channel "
         "stays and closes on the right destroy.");
    RULES(c, "RPMSG-NS-12", "RPMSG-NS-11");
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    rx_ns(c, SVC, PEER + 1u, VCF_RPMSG_NS_DESTROY);
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_DESTROY);
    END(c);

    kase(c, "ns-rx-destroy-wrong-name", VCF_VRESULT_INVALID,
         "A destroy naming another service at an announced address has no effect.");
    RULES(c, "RPMSG-NS-12");
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    rx_ns(c, SVC2, PEER, VCF_RPMSG_NS_DESTROY);
    END(c);

    kase(c, "ns-rx-destroy-twice", VCF_VRESULT_INVALID,
         "A second destroy of a channel already closed has no effect.");
    RULES(c, "RPMSG-NS-12", "RPMSG-NS-11");
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_DESTROY);
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_DESTROY);
    END(c);

    kase(c, "ns-rx-create-destroy-create", VCF_VRESULT_VALID,
         "A channel closed by destroy is opened again by a later create.");
    RULES(c, "RPMSG-NS-09", "RPMSG-NS-11", "RPMSG-NS-10");
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_DESTROY);
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    END(c);

    /* Payload sizes: only 40 is a name-service message. */
    static const struct {
        const char *name;
        size_t len;
        const char *desc;
    } sizes[] = {
        {"ns-rx-len-39", 39, "A name-service message with a 39-byte payload is dropped."},
        {"ns-rx-len-41", 41, "A name-service message with a 41-byte payload is dropped."},
        {"ns-rx-len-44", 44,
         "A name-service message with a 44-byte payload (an extension's layout) is dropped."},
        {"ns-rx-len-0", 0, "A message to 53 with an empty payload is dropped."},
    };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        kase(c, sizes[i].name, VCF_VRESULT_INVALID, sizes[i].desc);
        RULES(c, "RPMSG-NS-03");
        memset(p, 0, sizeof p);
        ns_payload_o(c->order, p, SVC, PEER, VCF_RPMSG_NS_CREATE);
        n = frame(c, buf, sizeof buf, PEER, NSA, p, sizes[i].len); /* offset 12: len */
        rx(c, buf, n);
        END(c);
    }

    static const struct {
        const char *name;
        vcf_rpmsg_ns_layout layout;
        const char *desc;
    } exts[] = {
        {"ns-rx-ext-ti-72", VCF_RPMSG_NS_LAYOUT_EXT_TI,
         "A 72-byte TI \"NS 2.0\" announcement (name, desc, addr, flags) is dropped as "
         "non-standard."},
        {"ns-rx-ext-vendor-72", VCF_RPMSG_NS_LAYOUT_EXT_VENDOR,
         "A 72-byte vendor announcement (name, addr, flags, desc) is dropped as non-standard."},
    };
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        kase(c, exts[i].name, VCF_VRESULT_INVALID, exts[i].desc);
        RULES(c, "RPMSG-NS-03");
        vcf_rpmsg_ns_ext e;
        memset(&e, 0, sizeof e);
        e.layout = exts[i].layout;
        memcpy(e.name, SVC, strlen(SVC));
        memcpy(e.desc, "sample service", 14);
        e.addr = PEER;
        e.flags = VCF_RPMSG_NS_CREATE;
        int plen = vcf_rpmsg_ns_ext_encode(&e, c->order, p, sizeof p, NULL);
        n = frame(c, buf, sizeof buf, PEER, NSA, p, plen < 0 ? 0 : (size_t)plen);
        rx(c, buf, n);
        END(c);
    }

    kase(c, "ns-rx-len-over-used", VCF_VRESULT_INVALID,
         "A name-service create whose used length is one byte short of 56 is dropped.");
    RULES(c, "RPMSG-HDR-08", "RPMSG-NS-03");
    n = ns_frame(c, buf, sizeof buf, PEER, SVC, PEER, VCF_RPMSG_NS_CREATE);
    rx_ring(c, buf, n, n - 1);
    END(c);

    kase(c, "ns-rx-whole-buffer", VCF_VRESULT_VALID,
         "A name-service create reported with the whole buffer as used length opens its "
         "channel.");
    RULES(c, "RPMSG-HDR-11", "RPMSG-NS-09");
    memset(buf, 0xC3, c->buf_size); /* slack after the 40-byte payload */
    (void)ns_frame(c, buf, sizeof buf, PEER, SVC, PEER, VCF_RPMSG_NS_CREATE);
    rx_ring(c, buf, c->buf_size, c->buf_size);
    END(c);

    kase(c, "ns-rx-hdr-flags-reserved", VCF_VRESULT_VALID,
         "A name-service create with non-zero header reserved and flags opens its channel.");
    RULES(c, "RPMSG-HDR-06", "RPMSG-NS-09");
    ns_payload_o(c->order, p, SVC, PEER, VCF_RPMSG_NS_CREATE);
    h = (vcf_rpmsg_hdr){.src = PEER, .dst = NSA, .reserved = 0x12345678u, .len = 40, .flags = 2};
    rx(c, buf, frame_raw(c->order, buf, sizeof buf, &h, p, 40));
    END(c);

    /* Flag bits: bit 0 alone decides. */
    static const struct {
        const char *name;
        uint32_t flags;
        bool destroy;
        const char *desc;
    } flags[] = {
        {"ns-rx-flags-2-is-create", 2u, false,
         "A name-service message with flags 2 (bit 1 only) is a create."},
        {"ns-rx-flags-fffffffe-is-create", 0xFFFFFFFEu, false,
         "A name-service message with every flag bit but bit 0 set is a create."},
        {"ns-rx-flags-3-is-destroy", 3u, true,
         "After a create, a name-service message with flags 3 is a destroy."},
        {"ns-rx-flags-ffffffff-is-destroy", 0xFFFFFFFFu, true,
         "After a create, a name-service message with every flag bit set is a destroy."},
    };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        kase(c, flags[i].name, VCF_VRESULT_VALID, flags[i].desc);
        RULES(c, "RPMSG-NS-04", "RPMSG-NS-06");
        if (flags[i].destroy)
            rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
        rx_ns(c, SVC, PEER, flags[i].flags);
        END(c);
    }

    kase(c, "ns-rx-flags-2-not-destroy", VCF_VRESULT_VALID,
         "After a create, a message with flags 2 for the same channel is a create (a duplicate), "
         "not a destroy: a later destroy still closes the channel.");
    RULES(c, "RPMSG-NS-06", "RPMSG-NS-10", "RPMSG-NS-11");
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    rx_ns(c, SVC, PEER, 2u);
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_DESTROY);
    END(c);

    /* Names. */
    kase(c, "ns-rx-name-31", VCF_VRESULT_VALID,
         "A 31-character name followed by its NUL is taken whole.");
    RULES(c, "RPMSG-NS-07", "RPMSG-NS-09");
    rx_ns(c, "abcdefghijklmnopqrstuvwxyz01234", PEER, VCF_RPMSG_NS_CREATE);
    END(c);

    kase(c, "ns-rx-name-32-unterminated", VCF_VRESULT_VALID,
         "A 32-byte name without a NUL is taken as all 32 bytes, and nothing past byte 32 is "
         "read into it.");
    RULES(c, "RPMSG-NS-07", "RPMSG-NS-09");
    ns_payload_o(c->order, p, "", PEER, VCF_RPMSG_NS_CREATE);
    memcpy(p, "abcdefghijklmnopqrstuvwxyz012345", 32); /* offsets 0..31: no NUL */
    rx(c, buf, frame(c, buf, sizeof buf, PEER, NSA, p, 40));
    END(c);

    kase(c, "ns-rx-name-garbage-after-nul", VCF_VRESULT_VALID,
         "A name is cut at its first NUL; the non-zero bytes after it are ignored.");
    RULES(c, "RPMSG-NS-07", "RPMSG-NS-09");
    ns_payload_o(c->order, p, "svc", PEER, VCF_RPMSG_NS_CREATE);
    memset(p + 4, 'X', 28); /* offsets 4..31: garbage after the NUL at offset 3 */
    rx(c, buf, frame(c, buf, sizeof buf, PEER, NSA, p, 40));
    END(c);

    kase(c, "ns-rx-name-garbage-matches-clean", VCF_VRESULT_VALID,
         "A destroy whose name has garbage after the NUL closes the channel a clean create "
         "opened.");
    RULES(c, "RPMSG-NS-07", "RPMSG-NS-11");
    rx_ns(c, "svc", PEER, VCF_RPMSG_NS_CREATE);
    ns_payload_o(c->order, p, "svc", PEER, VCF_RPMSG_NS_DESTROY);
    memset(p + 4, 'Y', 28); /* offsets 4..31: garbage after the NUL at offset 3 */
    rx(c, buf, frame(c, buf, sizeof buf, PEER, NSA, p, 40));
    END(c);

    kase(c, "ns-rx-name-bytes", VCF_VRESULT_VALID,
         "A name of non-ASCII bytes is passed on as the same bytes.");
    RULES(c, "RPMSG-NS-07", "RPMSG-NS-09");
    rx_ns(c, "\xc3\xa9t\xc3\xa9-\xe2\x9c\x93", PEER, VCF_RPMSG_NS_CREATE);
    END(c);

    /* The header source and the announced address. */
    kase(c, "ns-rx-src-zero", VCF_VRESULT_VALID,
         "A create sent from source 0 is taken at the address in its payload.");
    RULES(c, "RPMSG-NS-02", "RPMSG-NS-09");
    rx(c, buf, ns_frame(c, buf, sizeof buf, 0, SVC, PEER, VCF_RPMSG_NS_CREATE));
    END(c);

    kase(c, "ns-rx-destroy-src-differs", VCF_VRESULT_VALID,
         "A destroy from another source than the create still closes the channel named by its "
         "payload.");
    RULES(c, "RPMSG-NS-02", "RPMSG-NS-11");
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    rx(c, buf, ns_frame(c, buf, sizeof buf, 0x999u, SVC, PEER, VCF_RPMSG_NS_DESTROY));
    END(c);

    kase(c, "ns-rx-create-addr-any", VCF_VRESULT_INVALID,
         "A create announcing address ANY is dropped.");
    RULES(c, "RPMSG-NS-19");
    rx(c, buf, ns_frame(c, buf, sizeof buf, PEER, SVC, ANY, VCF_RPMSG_NS_CREATE));
    END(c);

    kase(c, "ns-rx-create-addr-53", VCF_VRESULT_INVALID,
         "A create announcing address 53 is dropped.");
    RULES(c, "RPMSG-NS-19");
    rx(c, buf, ns_frame(c, buf, sizeof buf, PEER, SVC, NSA, VCF_RPMSG_NS_CREATE));
    END(c);

    kase(c, "ns-rx-create-addr-0", VCF_VRESULT_VALID,
         "A create announcing address 0 opens a channel at 0.");
    RULES(c, "RPMSG-NS-19", "RPMSG-NS-09");
    rx_ns(c, SVC, 0, VCF_RPMSG_NS_CREATE);
    END(c);

    kase(c, "ns-rx-create-addr-below-any", VCF_VRESULT_VALID,
         "A create announcing 0xFFFFFFFE opens a channel there.");
    RULES(c, "RPMSG-NS-19", "RPMSG-NS-09");
    rx_ns(c, SVC, 0xFFFFFFFEu, VCF_RPMSG_NS_CREATE);
    END(c);
}

/* ---- name service: sending ----------------------------------------------------------------- */

/* A named endpoint: the device announces it when it is created; the driver only on request. */
static void named(const ctx *c, uint32_t addr, const char *name)
{
    create(c, addr, ANY, name);
    if (c->drv)
        announce(c, addr, false);
}

static void ns_tx(ctx *c)
{
    /* The rule that makes the create send: the device's own duty, or the driver's permission
     * exercised on request. */
    const char *who = c->drv ? "RPMSG-NS-16" : "RPMSG-NS-15";
    const char *how = c->drv ? "announce" : "create";
    char d[256];

    snprintf(d, sizeof d,
             "A %s of the named endpoint rpmsg-client-sample at 0x401 sends a 40-byte create to "
             "53 from 0x401, name zero-padded, flags 0.",
             how);
    kase(c, "ns-tx-announce", VCF_VRESULT_VALID, d);
    RULES(c, who, "RPMSG-NS-01", "RPMSG-NS-02", "RPMSG-NS-05", "RPMSG-NS-08", "RPMSG-NS-18",
          "RPMSG-HDR-04", "RPMSG-HDR-05", "RPMSG-VQ-01");
    named(c, LOC, SVC);
    END(c);

    kase(c, "ns-tx-announce-name-31", VCF_VRESULT_VALID,
         "A 31-character name is announced with its NUL in byte 31.");
    RULES(c, who, "RPMSG-NS-08", "RPMSG-NS-01");
    named(c, LOC, "abcdefghijklmnopqrstuvwxyz01234");
    END(c);

    kase(c, "ns-tx-announce-reserved-addr", VCF_VRESULT_VALID,
         "A named endpoint bound at reserved address 60 is announced at 60.");
    RULES(c, who, "RPMSG-NS-18", "RPMSG-NS-02");
    named(c, 60, SVC2);
    END(c);

    kase(c, "ns-tx-withdraw-on-destroy", VCF_VRESULT_VALID,
         "Destroying an announced endpoint sends a destroy for its name and address "
         "(flags 1).");
    RULES(c, "RPMSG-NS-17", "RPMSG-NS-01", "RPMSG-NS-05", "RPMSG-NS-02");
    named(c, LOC, SVC);
    destroy(c, LOC);
    END(c);

    kase(c, "ns-tx-withdraw-one-of-two", VCF_VRESULT_VALID,
         "Destroying one of two announced endpoints withdraws only that one.");
    RULES(c, "RPMSG-NS-17");
    named(c, LOC, SVC);
    named(c, LOC2, SVC2);
    destroy(c, LOC2);
    END(c);

    kase(c, "ns-tx-reannounce-after-destroy", VCF_VRESULT_VALID,
         "An endpoint destroyed and created again is withdrawn and announced again.");
    RULES(c, "RPMSG-NS-17", who);
    named(c, LOC, SVC);
    destroy(c, LOC);
    named(c, LOC, SVC);
    END(c);

    kase(c, "ns-tx-explicit-withdraw", VCF_VRESULT_VALID,
         "An explicit withdrawal of an announced endpoint sends a destroy; destroying the "
         "endpoint afterwards sends no second one.");
    RULES(c, "RPMSG-NS-17", "RPMSG-NS-01");
    named(c, LOC, SVC);
    announce(c, LOC, true);
    destroy(c, LOC);
    END(c);

    kase(c, "ns-tx-announce-unbound", VCF_VRESULT_INVALID,
         "Announcing an address where no endpoint is bound is refused and sends nothing.");
    RULES(c, "RPMSG-NS-18");
    announce(c, LOC, false);
    END(c);

    kase(c, "ns-tx-announce-unnamed", VCF_VRESULT_INVALID,
         "Announcing an endpoint that has no name is refused and sends nothing.");
    RULES(c, "RPMSG-NS-18");
    create(c, LOC, ANY, "");
    announce(c, LOC, false);
    END(c);

    kase(c, "ns-tx-unnamed-not-announced", VCF_VRESULT_VALID,
         "Creating and destroying an endpoint without a name sends no name-service message.");
    RULES(c, "RPMSG-NS-18", "RPMSG-NS-17");
    create(c, LOC, ANY, "");
    destroy(c, LOC);
    END(c);

    if (!c->drv) {
        /* The driver announces on request only, naming the address: a dynamic endpoint's
         * announcement is a device case. */
        kase(c, "ns-tx-announce-dynamic", VCF_VRESULT_VALID,
             "A named endpoint at a dynamic address is announced at that address (checked: "
             "1024..2047).");
        RULES(c, who, "RPMSG-NS-18", "RPMSG-ADDR-04");
        create(c, ANY, ANY, SVC);
        vcf_gen_value_mask(c->g, 0xFFFFFC00u);
        mask_addr(c, 0, 0xFFFFFC00u);                        /* header src */
        mask_addr(c, VCF_RPMSG_HDR_SIZE + 32u, 0xFFFFFC00u); /* payload addr */
        END(c);
    }
}

/* ---- no F_NS ------------------------------------------------------------------------------- */

static void no_ns(ctx *c)
{
    uint8_t buf[FRAME_MAX];
    size_t n;

    kase(c, "nons-rx-ns-create-dropped", VCF_VRESULT_INVALID,
         "Without F_NS, a name-service create to 53 is an ordinary message for an unknown "
         "address and is dropped.");
    RULES(c, "RPMSG-NS-13", "RPMSG-EP-02");
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    END(c);

    kase(c, "nons-rx-ns-destroy-dropped", VCF_VRESULT_INVALID,
         "Without F_NS, a name-service destroy to 53 is dropped.");
    RULES(c, "RPMSG-NS-13");
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_DESTROY);
    END(c);

    kase(c, "nons-bind-53", VCF_VRESULT_VALID,
         "Without F_NS, an endpoint can be bound at 53 and a name-service-shaped message to 53 "
         "is delivered to it as data.");
    RULES(c, "RPMSG-NS-13", "RPMSG-ADDR-06", "RPMSG-EP-01");
    create(c, NSA, ANY, "");
    n = ns_frame(c, buf, sizeof buf, PEER, SVC, PEER, VCF_RPMSG_NS_CREATE);
    rx(c, buf, n);
    END(c);

    kase(c, "nons-rx-data-to-53-other-sizes", VCF_VRESULT_VALID,
         "Without F_NS, a 5-byte message to an endpoint bound at 53 is delivered, not checked as "
         "a name-service message.");
    RULES(c, "RPMSG-NS-13");
    create(c, NSA, ANY, "");
    rx_data(c, PEER, NSA, "plain");
    END(c);

    kase(c, "nons-create-named-silent", VCF_VRESULT_VALID,
         "Without F_NS, creating a named endpoint sends no announcement.");
    RULES(c, "RPMSG-NS-14");
    create(c, LOC, ANY, SVC);
    END(c);

    kase(c, "nons-destroy-named-silent", VCF_VRESULT_VALID,
         "Without F_NS, destroying a named endpoint sends no withdrawal.");
    RULES(c, "RPMSG-NS-14");
    create(c, LOC, ANY, SVC);
    destroy(c, LOC);
    END(c);

    kase(c, "nons-announce-refused", VCF_VRESULT_INVALID,
         "Without F_NS, an explicit announcement is refused and sends nothing.");
    RULES(c, "RPMSG-NS-14");
    create(c, LOC, ANY, SVC);
    announce(c, LOC, false);
    END(c);

    kase(c, "nons-withdraw-refused", VCF_VRESULT_INVALID,
         "Without F_NS, an explicit withdrawal is refused and sends nothing.");
    RULES(c, "RPMSG-NS-14");
    create(c, LOC, ANY, SVC);
    announce(c, LOC, true);
    END(c);

    kase(c, "nons-send", VCF_VRESULT_VALID, "Without F_NS, data messages are sent as with it.");
    RULES(c, "RPMSG-HDR-02", "RPMSG-EP-05");
    create(c, LOC, ANY, SVC);
    send_text(c, LOC, PEER, "no ns");
    END(c);
}

/* ---- byte order ---------------------------------------------------------------------------- */

/* tag: "be", "legacy-le", "v1-order-be"; legacy: the group's order parameter. full: every
 * case (the big-endian group), else the five that show which order the link uses. */
static void order_cases(ctx *c, const char *tag, vcf_byte_order legacy, bool full)
{
    uint8_t buf[FRAME_MAX];
    size_t n;
    char id[96], d[256];
    const char *oname = c->order == VCF_LITTLE_ENDIAN ? "little-endian" : "big-endian";
    vcf_byte_order other = c->order == VCF_LITTLE_ENDIAN ? VCF_BIG_ENDIAN : VCF_LITTLE_ENDIAN;
    const char *why = legacy == c->order ? "the legacy order" : "VERSION_1 overrides the order";

    snprintf(id, sizeof id, "end-%s-rx-deliver", tag);
    snprintf(d, sizeof d, "A %s message (%s) is delivered with the right source and length.", oname,
             why);
    kase(c, id, VCF_VRESULT_VALID, d);
    RULES(c, "RPMSG-END-01", "RPMSG-EP-01");
    create(c, LOC, ANY, "");
    rx_data(c, 0x01020304u, LOC, "order");
    END(c);

    snprintf(id, sizeof id, "end-%s-rx-wrong-order", tag);
    kase(c, id, VCF_VRESULT_INVALID,
         "A message encoded in the other byte order is not delivered (its dst and len read as "
         "other values).");
    RULES(c, "RPMSG-END-01");
    create(c, LOC, ANY, "");
    {
        vcf_rpmsg_hdr h = {.src = PEER, .dst = LOC, .len = 5};
        n = frame_raw(other, buf, sizeof buf, &h, "wrong", 5);
    }
    rx(c, buf, n);
    END(c);

    if (full) {
        snprintf(id, sizeof id, "end-%s-rx-payload-unswapped", tag);
        kase(c, id, VCF_VRESULT_VALID,
             "The payload bytes 01 02 03 04 are delivered in that order, never swapped.");
        RULES(c, "RPMSG-END-01");
        create(c, LOC, ANY, "");
        {
            static const uint8_t p[] = {1, 2, 3, 4};
            n = frame(c, buf, sizeof buf, PEER, LOC, p, sizeof p);
        }
        rx(c, buf, n);
        END(c);

        snprintf(id, sizeof id, "end-%s-rx-len-fields", tag);
        snprintf(d, sizeof d,
                 "A %s len of 0x0102 with a used length of 16 + 0x0102 is delivered whole.", oname);
        kase(c, id, VCF_VRESULT_VALID, d);
        RULES(c, "RPMSG-END-01", "RPMSG-HDR-08");
        create(c, LOC, ANY, "");
        {
            uint8_t p[0x102];
            for (size_t i = 0; i < sizeof p; i++)
                p[i] = (uint8_t)i;
            n = frame(c, buf, sizeof buf, PEER, LOC, p, sizeof p);
        }
        rx_ring(c, buf, n, n);
        END(c);
    }

    snprintf(id, sizeof id, "end-%s-tx-send", tag);
    snprintf(d, sizeof d, "A send writes src, dst and len %s.", oname);
    kase(c, id, VCF_VRESULT_VALID, d);
    RULES(c, "RPMSG-END-01", "RPMSG-HDR-02");
    create(c, 0x01020304u, ANY, "");
    send_text(c, 0x01020304u, 0x0A0B0C0Du, "order");
    END(c);

    if (c->ns) {
        snprintf(id, sizeof id, "end-%s-ns-rx-create", tag);
        snprintf(d, sizeof d, "A %s name-service create opens a channel at its address.", oname);
        kase(c, id, VCF_VRESULT_VALID, d);
        RULES(c, "RPMSG-END-01", "RPMSG-NS-09");
        rx_ns(c, SVC, 0x00010400u, VCF_RPMSG_NS_CREATE);
        END(c);

        if (full) {
            snprintf(id, sizeof id, "end-%s-ns-rx-destroy", tag);
            snprintf(d, sizeof d, "A %s destroy (flags 1) closes the channel.", oname);
            kase(c, id, VCF_VRESULT_VALID, d);
            RULES(c, "RPMSG-END-01", "RPMSG-NS-04", "RPMSG-NS-11");
            rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
            rx_ns(c, SVC, PEER, VCF_RPMSG_NS_DESTROY);
            END(c);

            snprintf(id, sizeof id, "end-%s-ns-rx-wrong-order", tag);
            kase(c, id, VCF_VRESULT_INVALID,
                 "A name-service create encoded in the other byte order opens no channel.");
            RULES(c, "RPMSG-END-01");
            rx(c, buf, ns_frame_o(other, buf, sizeof buf, PEER, SVC, PEER, VCF_RPMSG_NS_CREATE));
            END(c);
        }

        snprintf(id, sizeof id, "end-%s-ns-tx-announce", tag);
        snprintf(d, sizeof d,
                 "An announcement writes its header and the payload's addr and flags %s; the "
                 "name is not swapped.",
                 oname);
        kase(c, id, VCF_VRESULT_VALID, d);
        RULES(c, "RPMSG-END-01", "RPMSG-NS-01", c->drv ? "RPMSG-NS-16" : "RPMSG-NS-15");
        named(c, 0x00010401u, SVC);
        END(c);

        if (!full)
            return;
        snprintf(id, sizeof id, "end-%s-ns-tx-withdraw", tag);
        snprintf(d, sizeof d, "A withdrawal writes flags 1 %s.", oname);
        kase(c, id, VCF_VRESULT_VALID, d);
        RULES(c, "RPMSG-END-01", "RPMSG-NS-17");
        named(c, LOC, SVC);
        destroy(c, LOC);
        END(c);
    }
}

/* ---- small buffers ------------------------------------------------------------------------- */

static void small(ctx *c)
{
    uint8_t buf[FRAME_MAX], p[FRAME_MAX];
    size_t n;
    const size_t max = c->buf_size - 16u;
    memset(p, 0x6B, sizeof p);

    kase(c, "small-tx-max", VCF_VRESULT_VALID,
         "With 64-byte buffers, a 48-byte payload is sent in one full buffer.");
    RULES(c, "RPMSG-HDR-03", "RPMSG-HDR-02");
    create(c, LOC, ANY, "");
    send_msg(c, LOC, PEER, p, max);
    END(c);

    kase(c, "small-tx-one-over", VCF_VRESULT_INVALID,
         "With 64-byte buffers, a 49-byte payload is refused and nothing is sent.");
    RULES(c, "RPMSG-HDR-03");
    create(c, LOC, ANY, "");
    send_msg(c, LOC, PEER, p, max + 1u);
    END(c);

    kase(c, "small-rx-max", VCF_VRESULT_VALID,
         "With 64-byte buffers, a 48-byte payload filling the buffer is delivered.");
    RULES(c, "RPMSG-HDR-08", "RPMSG-EP-01");
    create(c, LOC, ANY, "");
    n = frame(c, buf, sizeof buf, PEER, LOC, p, max);
    rx_ring(c, buf, n, n);
    END(c);

    kase(c, "small-rx-len-over-buffer", VCF_VRESULT_INVALID,
         "With 64-byte buffers, a len of 49 in a fully used buffer is dropped.");
    RULES(c, "RPMSG-HDR-08");
    create(c, LOC, ANY, "");
    (void)frame(c, buf, sizeof buf, PEER, LOC, p, max + 1u);
    rx_ring(c, buf, c->buf_size, c->buf_size);
    END(c);

    if (c->ns) {
        kase(c, "small-ns-rx-create", VCF_VRESULT_VALID,
             "With 64-byte buffers, a 56-byte name-service create fits and opens a channel.");
        RULES(c, "RPMSG-NS-09", "RPMSG-NS-01");
        rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
        END(c);

        kase(c, "small-ns-tx-announce", VCF_VRESULT_VALID,
             "With 64-byte buffers, an announcement (56 bytes) is sent.");
        RULES(c, "RPMSG-NS-01", c->drv ? "RPMSG-NS-16" : "RPMSG-NS-15");
        named(c, LOC, SVC);
        END(c);
    }
}

/* ---- transmit buffers ---------------------------------------------------------------------- */

static void txbufs(ctx *c, uint32_t count)
{
    char d[256];
    const char *vq02 = c->drv ? "RPMSG-TX-02" : "RPMSG-VQ-02";

    snprintf(d, sizeof d,
             "With %u transmit buffers, %u sends go out and the next one is refused with nothing "
             "sent.",
             count, count);
    kase(c, "tx-bufs-exhausted", VCF_VRESULT_INVALID, d);
    RULES(c, "RPMSG-TX-01", "RPMSG-TX-02", vq02);
    create(c, LOC, ANY, "");
    for (uint32_t i = 0; i < count; i++) {
        char text[16];
        snprintf(text, sizeof text, "msg %u", i);
        send_text(c, LOC, PEER, text);
    }
    send_text(c, LOC, PEER, "one too many");
    END(c);

    kase(c, "tx-bufs-return-one", VCF_VRESULT_VALID,
         "After the buffers run out, one buffer given back allows exactly one more send.");
    RULES(c, "RPMSG-TX-02", "RPMSG-TX-01", vq02);
    create(c, LOC, ANY, "");
    for (uint32_t i = 0; i < count; i++)
        send_text(c, LOC, PEER, "fill");
    send_text(c, LOC, PEER, "refused");
    give_back(c, 1);
    send_text(c, LOC, PEER, "accepted");
    send_text(c, LOC, PEER, "refused again");
    END(c);

    kase(c, "tx-bufs-return-all", VCF_VRESULT_VALID,
         "Giving back every buffer allows the full count of sends again.");
    RULES(c, "RPMSG-TX-02", "RPMSG-TX-01");
    create(c, LOC, ANY, "");
    for (uint32_t i = 0; i < count; i++)
        send_text(c, LOC, PEER, "first round");
    give_back(c, count);
    for (uint32_t i = 0; i < count; i++)
        send_text(c, LOC, PEER, "second round");
    send_text(c, LOC, PEER, "refused");
    END(c);

    kase(c, "tx-bufs-zero-length-counts", VCF_VRESULT_INVALID,
         "Empty messages use a buffer each: after the buffers run out on len-0 sends, the next "
         "one is refused.");
    RULES(c, "RPMSG-TX-01", "RPMSG-HDR-10");
    create(c, LOC, ANY, "");
    for (uint32_t i = 0; i <= count; i++)
        send_msg(c, LOC, PEER, NULL, 0);
    END(c);

    kase(c, "tx-bufs-refusal-is-not-lost", VCF_VRESULT_VALID,
         "A refused send is not sent later by itself when a buffer comes back.");
    RULES(c, "RPMSG-TX-01");
    create(c, LOC, ANY, "");
    for (uint32_t i = 0; i < count; i++)
        send_text(c, LOC, PEER, "fill");
    send_text(c, LOC, PEER, "refused");
    give_back(c, 1);
    END(c);

    kase(c, "tx-bufs-rx-still-works", VCF_VRESULT_VALID,
         "With every transmit buffer with the peer, received messages are still delivered.");
    RULES(c, "RPMSG-TX-01", "RPMSG-EP-01");
    create(c, LOC, ANY, "");
    for (uint32_t i = 0; i < count; i++)
        send_text(c, LOC, PEER, "fill");
    rx_data(c, PEER, LOC, "incoming");
    END(c);

    if (c->ns) {
        kase(c, "tx-bufs-announce-refused", VCF_VRESULT_INVALID,
             "With no transmit buffer free, an explicit announcement is refused and sends "
             "nothing; once a buffer is back it is sent.");
        RULES(c, "RPMSG-TX-01", c->drv ? "RPMSG-NS-16" : "RPMSG-NS-15");
        named(c, LOC, SVC); /* the announcement takes one buffer */
        for (uint32_t i = 1; i < count; i++)
            send_text(c, LOC, PEER, "fill");
        announce(c, LOC, false);
        give_back(c, 1);
        announce(c, LOC, false);
        END(c);
    }
}

/* ---- the dynamic address pool -------------------------------------------------------------- */

static void pool(ctx *c)
{
    /* The group's pool is 1024..1027. */
    kase(c, "pool-exhaustion", VCF_VRESULT_INVALID,
         "Four dynamic creates take the four pool addresses; the fifth is refused.");
    RULES(c, "RPMSG-ADDR-07", "RPMSG-ADDR-04");
    for (unsigned i = 0; i < 4; i++) {
        create(c, ANY, ANY, "");
        vcf_gen_value_mask(c->g, 0xFFFFFFFCu);
    }
    create(c, ANY, ANY, "");
    END(c);

    kase(c, "pool-exhaustion-then-free", VCF_VRESULT_VALID,
         "With the pool exhausted, destroying 1024 makes exactly 1024 available to the next "
         "dynamic create.");
    RULES(c, "RPMSG-ADDR-07", "RPMSG-EP-03");
    for (unsigned i = 0; i < 4; i++) {
        create(c, ANY, ANY, "");
        vcf_gen_value_mask(c->g, 0xFFFFFFFCu);
    }
    destroy(c, 0x400);
    create(c, ANY, ANY, "");
    create(c, ANY, ANY, "");
    END(c);

    kase(c, "pool-skips-explicit", VCF_VRESULT_INVALID,
         "A pool address bound explicitly is never handed out: with 1025 bound, three dynamic "
         "creates succeed and the fourth is refused.");
    RULES(c, "RPMSG-ADDR-07", "RPMSG-ADDR-05");
    create(c, 0x401, ANY, "");
    for (unsigned i = 0; i < 3; i++) {
        create(c, ANY, ANY, "");
        vcf_gen_value_mask(c->g, 0xFFFFFFFCu);
    }
    create(c, ANY, ANY, "");
    END(c);

    kase(c, "pool-dynamic-then-explicit-refused", VCF_VRESULT_INVALID,
         "After the whole pool is handed out, an explicit create at a pool address is refused.");
    RULES(c, "RPMSG-ADDR-05", "RPMSG-ADDR-07");
    for (unsigned i = 0; i < 4; i++) {
        create(c, ANY, ANY, "");
        vcf_gen_value_mask(c->g, 0xFFFFFFFCu);
    }
    create(c, 0x402, ANY, "");
    END(c);

    kase(c, "pool-last-free", VCF_VRESULT_VALID,
         "With 1024, 1025 and 1027 bound explicitly, the dynamic create gets 1026.");
    RULES(c, "RPMSG-ADDR-07", "RPMSG-ADDR-04");
    create(c, 0x400, ANY, "");
    create(c, 0x401, ANY, "");
    create(c, 0x403, ANY, "");
    create(c, ANY, ANY, "");
    END(c);

    kase(c, "pool-receives-on-dynamic", VCF_VRESULT_VALID,
         "An endpoint at the only free pool address receives the messages sent to it.");
    RULES(c, "RPMSG-ADDR-07", "RPMSG-EP-01");
    create(c, 0x400, ANY, "");
    create(c, 0x401, ANY, "");
    create(c, 0x402, ANY, "");
    create(c, ANY, ANY, "");
    rx_data(c, PEER + 0x100u, 0x403, "to 1027");
    send_text(c, 0x403, PEER + 0x100u, "from 1027");
    END(c);

    kase(c, "pool-reserved-not-used", VCF_VRESULT_VALID,
         "Explicit binds below 1024 do not take pool addresses: all four remain for dynamic "
         "creates.");
    RULES(c, "RPMSG-ADDR-04", "RPMSG-ADDR-07");
    create(c, 1, ANY, "");
    create(c, 1023, ANY, "");
    for (unsigned i = 0; i < 4; i++) {
        create(c, ANY, ANY, "");
        vcf_gen_value_mask(c->g, 0xFFFFFFFCu);
    }
    END(c);
}

/* ---- role-specific ------------------------------------------------------------------------- */

static void driver_only(ctx *c)
{
    uint8_t buf[FRAME_MAX];
    size_t n;

    kase(c, "hdr-rx-used-over-buffer", VCF_VRESULT_INVALID,
         "A used length one byte larger than the posted buffer is dropped.");
    RULES(c, "RPMSG-HDR-09");
    create(c, LOC, ANY, "");
    memset(buf, 0, sizeof buf);
    (void)frame(c, buf, sizeof buf, PEER, LOC, "over", 4);
    rx_ring(c, buf, c->buf_size + 1u, c->buf_size + 1u);
    END(c);

    kase(c, "hdr-rx-used-far-over-buffer", VCF_VRESULT_INVALID,
         "A used length of 0xFFFF for a posted buffer of buf_size bytes is dropped.");
    RULES(c, "RPMSG-HDR-09");
    create(c, LOC, ANY, "");
    n = frame(c, buf, sizeof buf, PEER, LOC, "huge", 4);
    memset(buf + n, 0, c->buf_size - n);
    rx_ring(c, buf, c->buf_size, 0xFFFF);
    END(c);

    kase(c, "hdr-rx-used-over-then-next", VCF_VRESULT_VALID,
         "After a buffer dropped for a used length beyond the posted buffer, the next message is "
         "delivered.");
    RULES(c, "RPMSG-HDR-09", "RPMSG-HDR-12");
    create(c, LOC, ANY, "");
    memset(buf, 0, sizeof buf);
    (void)frame(c, buf, sizeof buf, PEER, LOC, "over", 4);
    rx_ring(c, buf, c->buf_size + 1u, c->buf_size + 1u);
    rx_data(c, PEER, LOC, "next");
    END(c);

    kase(c, "ns-tx-create-named-no-auto-announce", VCF_VRESULT_VALID,
         "The driver announces on request only: creating a named endpoint sends nothing.");
    RULES(c, "RPMSG-NS-16");
    create(c, LOC, ANY, SVC);
    END(c);

    kase(c, "ns-rx-from-device-and-announce", VCF_VRESULT_VALID,
         "The driver processes the device's announcement and can announce its own endpoint on "
         "the same link.");
    RULES(c, "RPMSG-NS-16", "RPMSG-NS-09");
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    named(c, LOC, SVC);
    END(c);
}

static void device_only(ctx *c)
{
    kase(c, "ns-tx-announce-with-dest", VCF_VRESULT_VALID,
         "The device announces a named endpoint when it is created, whether or not it was given "
         "a destination.");
    RULES(c, "RPMSG-NS-15");
    create(c, LOC, PEER, SVC);
    END(c);

    kase(c, "ns-rx-from-driver", VCF_VRESULT_VALID,
         "The device processes an announcement from the driver and opens a channel.");
    RULES(c, "RPMSG-NS-16", "RPMSG-NS-09");
    rx_ns(c, SVC2, PEER, VCF_RPMSG_NS_CREATE);
    END(c);

    kase(c, "ns-rx-own-name-from-driver", VCF_VRESULT_VALID,
         "An announcement from the driver with the name of one of the device's own services is "
         "a channel like any other.");
    RULES(c, "RPMSG-NS-16", "RPMSG-NS-09");
    create(c, LOC, ANY, SVC);
    rx_ns(c, SVC, PEER, VCF_RPMSG_NS_CREATE);
    END(c);

    kase(c, "hdr-tx-used-len-written", VCF_VRESULT_VALID,
         "The device reports 16 + len as the used length of a 3-byte message in a 512-byte "
         "buffer.");
    RULES(c, "RPMSG-HDR-13");
    create(c, LOC, ANY, "");
    send_text(c, LOC, PEER, "abc");
    END(c);

    kase(c, "hdr-tx-used-len-announce", VCF_VRESULT_VALID,
         "The device reports 56 as the used length of an announcement.");
    RULES(c, "RPMSG-HDR-13", "RPMSG-NS-15");
    create(c, LOC, ANY, SVC);
    END(c);
}

/* ---- the two roles ------------------------------------------------------------------------- */

static void unobservable(vcf_gen *g)
{
    vcf_gen_unobservable(
        g, "RPMSG-END-02",
        "feature negotiation happens before the adapter's reset: every group states the "
        "negotiated features, so whether an implementation would choose VIRTIO_F_VERSION_1 "
        "cannot be seen; the byte order each choice implies is checked under RPMSG-END-01");
    vcf_gen_unobservable(
        g, "RPMSG-VQ-03",
        "the adapter hands over each message as one byte string; whether the implementation "
        "put it in one descriptor or a chain is below the adapter and not reported");
    vcf_gen_unobservable(
        g, "RPMSG-EP-04",
        "the size of the endpoint and channel tables is the implementation's own and no group "
        "parameter states it, so no vector can know at which create a refusal is due; "
        "exhaustion of a stated limit is covered by RPMSG-ADDR-07 with a configured pool");
}

void vcf_gen_rpmsg_driver(vcf_gen *g)
{
    ctx c = {.g = g, .drv = true, .pfx = "rpmsg-drv-", .rxq = 0};

    unobservable(g);
    vcf_gen_unobservable(
        g, "RPMSG-INIT-01",
        "the driver's feature negotiation happens before the adapter's reset and the ABI has no "
        "step for a feature offer: each group fixes the negotiated set, so what the driver "
        "would accept from an offer cannot be observed");

    group(&c, "modern link: VERSION_1 and F_NS, little-endian, 512-byte buffers", F_V1 | F_NS,
          VCF_LITTLE_ENDIAN, 512, 256);
    hdr_rx(&c);
    driver_only(&c);
    ep_rx(&c);
    ep_local(&c);
    tx(&c);
    ns_rx(&c);
    ns_tx(&c);

    group(&c, "no name service: VERSION_1 without F_NS", F_V1, VCF_LITTLE_ENDIAN, 512, 256);
    no_ns(&c);

    group(&c, "legacy big-endian link: F_NS without VERSION_1, order be", F_NS, VCF_BIG_ENDIAN, 512,
          256);
    order_cases(&c, "be", VCF_BIG_ENDIAN, true);

    group(&c, "legacy little-endian link: F_NS without VERSION_1, order le", F_NS,
          VCF_LITTLE_ENDIAN, 512, 256);
    order_cases(&c, "legacy-le", VCF_LITTLE_ENDIAN, false);

    group(&c, "modern link whose legacy order is be: VERSION_1 makes it little-endian", F_V1 | F_NS,
          VCF_BIG_ENDIAN, 512, 256);
    order_cases(&c, "v1-order-be", VCF_BIG_ENDIAN, false);

    group(&c, "small buffers: 64 bytes, 48 of payload", F_V1 | F_NS, VCF_LITTLE_ENDIAN, 64, 256);
    small(&c);

    group(&c, "few transmit buffers: 2", F_V1 | F_NS, VCF_LITTLE_ENDIAN, 512, 2);
    txbufs(&c, 2);

    group(&c, "a dynamic address pool of four: 1024..1027", F_V1 | F_NS, VCF_LITTLE_ENDIAN, 512,
          256);
    vcf_gen_param_u64(g, "addr_first", 1024);
    vcf_gen_param_u64(g, "addr_last", 1027);
    pool(&c);
}

void vcf_gen_rpmsg_device(vcf_gen *g)
{
    ctx c = {.g = g, .drv = false, .pfx = "rpmsg-dev-", .rxq = 1};

    unobservable(g);

    group(&c, "modern link: VERSION_1 and F_NS, little-endian, 512-byte buffers", F_V1 | F_NS,
          VCF_LITTLE_ENDIAN, 512, 256);
    hdr_rx(&c);
    ep_rx(&c);
    ep_local(&c);
    tx(&c);
    ns_rx(&c);
    ns_tx(&c);
    device_only(&c);

    group(&c, "no name service: VERSION_1 without F_NS", F_V1, VCF_LITTLE_ENDIAN, 512, 256);
    no_ns(&c);

    group(&c, "legacy big-endian link: F_NS without VERSION_1, order be", F_NS, VCF_BIG_ENDIAN, 512,
          256);
    order_cases(&c, "be", VCF_BIG_ENDIAN, true);

    group(&c, "legacy little-endian link: F_NS without VERSION_1, order le", F_NS,
          VCF_LITTLE_ENDIAN, 512, 256);
    order_cases(&c, "legacy-le", VCF_LITTLE_ENDIAN, false);

    group(&c, "modern link whose legacy order is be: VERSION_1 makes it little-endian", F_V1 | F_NS,
          VCF_BIG_ENDIAN, 512, 256);
    order_cases(&c, "v1-order-be", VCF_BIG_ENDIAN, false);

    group(&c, "small buffers: 64 bytes, 48 of payload", F_V1 | F_NS, VCF_LITTLE_ENDIAN, 64, 256);
    small(&c);

    group(&c, "few posted buffers: the driver has posted 2 on queue 0", F_V1 | F_NS,
          VCF_LITTLE_ENDIAN, 512, 2);
    txbufs(&c, 2);

    group(&c, "one posted buffer: the driver has posted 1 on queue 0", F_V1 | F_NS,
          VCF_LITTLE_ENDIAN, 512, 1);
    kase(&c, "vq-one-posted-buffer", VCF_VRESULT_INVALID,
         "With one buffer posted, the device sends one message and refuses the next until the "
         "driver posts another.");
    RULES(&c, "RPMSG-VQ-02", "RPMSG-TX-01", "RPMSG-TX-02");
    create(&c, LOC, ANY, "");
    send_text(&c, LOC, PEER, "one");
    send_text(&c, LOC, PEER, "two");
    give_back(&c, 1);
    send_text(&c, LOC, PEER, "three");
    END(&c);

    kase(&c, "vq-announce-takes-posted-buffer", VCF_VRESULT_INVALID,
         "With one buffer posted, the announcement of a named service takes it and the next "
         "send is refused.");
    RULES(&c, "RPMSG-VQ-02", "RPMSG-TX-01", "RPMSG-NS-15");
    create(&c, LOC, ANY, SVC);
    send_text(&c, LOC, PEER, "no room");
    END(&c);

    group(&c, "a dynamic address pool of four: 1024..1027", F_V1 | F_NS, VCF_LITTLE_ENDIAN, 512,
          256);
    vcf_gen_param_u64(g, "addr_first", 1024);
    vcf_gen_param_u64(g, "addr_last", 1027);
    pool(&c);
}
