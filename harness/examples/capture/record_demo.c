/* SPDX-License-Identifier: MIT */
/*
 * Example for the vconform capture library (docs/capture-library.md): a tiny simulated RPMsg
 * device that records its traffic in the vconform capture format.
 *
 *   record_demo OUT.pcap [LINKTYPE]
 *
 * The device (the remote side, role rpmsg-device) announces the endpoint "rpmsg-demo" at address
 * 0x400 with a name-service message, receives "hello" from the driver's endpoint 0x401 and
 * answers "HELLO". Every message goes into the capture as it crosses the link, seen from the
 * device: what it sends is FROM_IUT on vq0 (device to driver), what it receives is TO_IUT on vq1.
 * LINKTYPE is 252 (WIRESHARK_UPPER_PDU, the default) or 147..162 (USER0..USER15).
 *
 * It needs only <vconform/capture_file.h> and -lvconform-capture:
 *   cc record_demo.c $(pkg-config --cflags --libs vconform-capture) -o record_demo
 * Open OUT.pcap in Wireshark with the vconform plugin, or: vconform pcap decode OUT.pcap
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vconform/capture_file.h>

#define ROLE_RPMSG_DEVICE 2u   /* vcf_iut_role of the recording side (vconform/adapter.h) */
#define VQ0               0u   /* device to driver */
#define VQ1               1u   /* driver to device */
#define BUF_SIZE          512u /* RPMsg buffer size of the simulated vrings */
#define NS_ADDR           53u  /* the name-service endpoint */
#define DEV_ADDR          0x400u
#define DRV_ADDR          0x401u
#define HDR_SIZE          16u

/* Little-endian stores: the device is a little-endian (virtio 1.0) RPMsg device. */
static void st16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void st32(uint8_t *p, uint32_t v)
{
    st16(p, v);
    st16(p + 2, v >> 16);
}

/* An RPMsg message: header {src, dst, reserved, len, flags} and payload. */
static size_t rpmsg(uint8_t *buf, uint32_t src, uint32_t dst, const void *payload, size_t len)
{
    memset(buf, 0, HDR_SIZE);
    st32(buf, src);
    st32(buf + 4, dst);
    st16(buf + 12, (uint32_t)len);
    memcpy(buf + HDR_SIZE, payload, len);
    return HDR_SIZE + len;
}

/* The simulated device and where its traffic goes. */
typedef struct device {
    vcf_capture_file *cap;
    vcf_capture_meta link; /* what every record of this link shares */
} device;

/* Record one message crossing the link; direction from the device's point of view. */
static int trace(device *d, uint32_t direction, uint32_t vq, const uint8_t *msg, size_t len)
{
    vcf_capture_meta m = d->link;
    m.direction = direction;
    m.channel = vq;
    if (vcf_capture_record(d->cap, &m, msg, len) != 0) {
        fprintf(stderr, "record_demo: %s\n", vcf_capture_error(d->cap));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: record_demo OUT.pcap [LINKTYPE]\n");
        return 2;
    }
    char err[256];
    vcf_capture_options opts;
    vcf_capture_options_init(&opts); /* sets struct_size: keep it */
    opts.linktype =
        argc == 3 ? (uint32_t)strtoul(argv[2], NULL, 10) : VCF_CAPTURE_LINKTYPE_UPPER_PDU;
    opts.flush_each = 1; /* a crashing simulator loses nothing */
    device d;
    d.cap = vcf_capture_open(argv[1], &opts, err, sizeof err);
    if (!d.cap) {
        fprintf(stderr, "record_demo: %s\n", err);
        return 1;
    }

    /* The link: set once, shared by every record. */
    vcf_capture_meta_init(&d.link);
    d.link.role = ROLE_RPMSG_DEVICE;
    d.link.order = VCF_CAPTURE_ORDER_LE;
    d.link.capacity = BUF_SIZE;
    d.link.bus = VCF_CAPTURE_BUS_VIRTIO_MMIO;
    d.link.link_flags = VCF_CAPTURE_L_NS_KNOWN | VCF_CAPTURE_L_NS; /* F_NS negotiated */
    d.link.case_id = "record-demo";

    uint8_t msg[BUF_SIZE];
    int rc = 0;

    /* 1. the device announces its endpoint: struct rpmsg_ns_msg {name[32], addr, flags} */
    uint8_t ns[40];
    memset(ns, 0, sizeof ns);
    memcpy(ns, "rpmsg-demo", 10);
    st32(ns + 32, DEV_ADDR);
    st32(ns + 36, 0); /* RPMSG_NS_CREATE */
    size_t n = rpmsg(msg, DEV_ADDR, NS_ADDR, ns, sizeof ns);
    d.link.step_index = 0;
    rc |= trace(&d, VCF_CAPTURE_DIR_FROM_IUT, VQ0, msg, n);

    /* 2. the driver sends to the new endpoint */
    n = rpmsg(msg, DRV_ADDR, DEV_ADDR, "hello", 5);
    d.link.step_index = 1;
    rc |= trace(&d, VCF_CAPTURE_DIR_TO_IUT, VQ1, msg, n);

    /* 3. the device answers */
    n = rpmsg(msg, DEV_ADDR, DRV_ADDR, "HELLO", 5);
    rc |= trace(&d, VCF_CAPTURE_DIR_FROM_IUT, VQ0, msg, n);

    unsigned long long count = (unsigned long long)vcf_capture_count(d.cap);
    if (vcf_capture_close(d.cap, err, sizeof err) != 0) {
        fprintf(stderr, "record_demo: %s\n", err);
        return 1;
    }
    if (rc != 0)
        return 1;
    printf("record_demo: %llu records in %s\n", count, argv[1]);
    return 0;
}
