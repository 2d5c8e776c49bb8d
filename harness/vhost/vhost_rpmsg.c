/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: the RPMsg device on top of the vhost-user back-end (see vhost_rpmsg.h).
 * Only ring mechanics: the message bytes are the caller's.
 */
#include "vhost_rpmsg.h"

#include <stdio.h>
#include <string.h>

void vcf_vrpmsg_config(vcf_vu_config *cfg, uint64_t features)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->features = features;
    cfg->protocol_features = 1ull << VCF_VU_PROTOCOL_F_SLAVE_REQ;
    cfg->num_queues = 2;
}

bool vcf_vrpmsg_driver_ready(const vcf_vu_dev *d)
{
    /* Kicks count once the caller has taken them (vcf_vu_take_kicks). */
    return vcf_vu_features_acked(d, NULL) && vcf_vu_queue_ready(d, VCF_VRPMSG_RX) &&
           vcf_vu_queue_ready(d, VCF_VRPMSG_TX) && vcf_vu_kick_count(d, VCF_VRPMSG_RX) > 0;
}

int vcf_vrpmsg_inject(vcf_vu_dev *d, const uint8_t *data, size_t len, uint32_t used_len,
                      uint32_t *capacity, char *err, size_t err_len)
{
    if (len > UINT32_MAX) {
        snprintf(err, err_len, "inject: message of %zu bytes does not fit a used length", len);
        return -1;
    }
    vcf_vu_chain c;
    int rc = vcf_vu_pop(d, VCF_VRPMSG_RX, &c, err, err_len);
    if (rc <= 0)
        return rc;
    size_t room = c.writable;
    if (capacity)
        *capacity = room > UINT32_MAX ? UINT32_MAX : (uint32_t)room;
    size_t n = len < room ? len : room;
    if (n && vcf_vu_chain_write(&c, data, n) != n) {
        snprintf(err, err_len, "inject: wrote fewer than %zu bytes into rx buffer %u", n, c.head);
        return -1;
    }
    uint32_t ul = used_len ? used_len : (uint32_t)len;
    if (vcf_vu_push(d, VCF_VRPMSG_RX, c.head, ul, err, err_len) != 0)
        return -1;
    if (vcf_vu_notify(d, VCF_VRPMSG_RX, err, err_len) != 0)
        return -1;
    return 1;
}

int vcf_vrpmsg_collect(vcf_vu_dev *d, uint8_t *buf, size_t cap, size_t *len, char *err,
                       size_t err_len)
{
    vcf_vu_chain c;
    c.head = UINT16_MAX; /* never a valid head (rings have at most 32768 entries) */
    int rc = vcf_vu_pop(d, VCF_VRPMSG_TX, &c, err, err_len);
    if (rc == 0)
        return 0;
    if (rc < 0) {
        /* A consumed invalid chain goes back to the driver (length 0) so the ring stays
         * consistent; the error is what the caller reports. */
        if (c.head < vcf_vu_queue_size(d, VCF_VRPMSG_TX)) {
            char ignored[64];
            (void)vcf_vu_push(d, VCF_VRPMSG_TX, c.head, 0, ignored, sizeof ignored);
        }
        return -1;
    }
    if (len)
        *len = c.readable;
    if (buf && cap)
        (void)vcf_vu_chain_read(&c, buf, cap);
    return vcf_vu_push(d, VCF_VRPMSG_TX, c.head, 0, err, err_len) == 0 ? 1 : -1;
}
