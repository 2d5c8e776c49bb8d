/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: the RPMsg device side on top of the vhost-user back-end: the lower tester's
 * operations against any vhost-user front-end running an RPMsg driver (Linux's
 * virtio_rpmsg_bus under UML, QEMU's vhost-user-device, ...).
 *
 *   vq0 (rx, device to driver): the driver posts empty buffers; inject writes a message into
 *        the next one and reports a chosen used length, then signals the driver.
 *   vq1 (tx, driver to device): the driver sends messages; collect takes the next one and
 *        returns its buffer to the used ring (length 0) at once, without a signal: Linux keeps
 *        tx-complete interrupts off and reclaims buffers when it next sends.
 *
 * The bytes are whatever the test says: nothing here parses or checks RPMsg (the harness and
 * the model do that).
 */
#ifndef VCF_HARNESS_VHOST_RPMSG_H
#define VCF_HARNESS_VHOST_RPMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vhost_user.h"

#define VCF_VRPMSG_RX 0u
#define VCF_VRPMSG_TX 1u

#define VCF_VRPMSG_F_NS      0u /* VIRTIO_RPMSG_F_NS */
#define VCF_VRPMSG_DEVICE_ID 7u

/* The config to offer for an RPMsg device: features (F_NS and/or VERSION_1 as the test wants),
 * SLAVE_REQ, 2 queues. */
void vcf_vrpmsg_config(vcf_vu_config *cfg, uint64_t features);

/* The driver is ready: features set, both queues ready, and at least one kick on vq0 (the
 * driver kicks once it has posted its rx buffers; vhost-user does not forward DRIVER_OK). */
bool vcf_vrpmsg_driver_ready(const vcf_vu_dev *d);

/* Inject: pop the next posted rx buffer, write min(len, its writable size) bytes of data into
 * it, push it with used length used_len (0 means len), signal. *capacity (if not NULL) is the
 * buffer's writable size. 1: done; 0: the driver has no rx buffer posted; -1: error (err). */
int vcf_vrpmsg_inject(vcf_vu_dev *d, const uint8_t *data, size_t len, uint32_t used_len,
                      uint32_t *capacity, char *err, size_t err_len);

/* Collect: take the next message the driver made available on vq1, copy up to cap bytes into
 * buf (*len: the message's full readable length), and return the buffer (used length 0, no
 * signal). 1: got one; 0: none; -1: error (err; an invalid chain is returned and reported). */
int vcf_vrpmsg_collect(vcf_vu_dev *d, uint8_t *buf, size_t cap, size_t *len, char *err,
                       size_t err_len);

#endif /* VCF_HARNESS_VHOST_RPMSG_H */
