/* SPDX-License-Identifier: MIT */
/*
 * Planted bug 3: a legacy RPMsg driver that reads len in the wrong byte order.
 *
 * Input: the rpmsg-frame format (fuzz.h). Without VIRTIO_F_VERSION_1 the link uses the
 * driver's byte order (parameter bit 0: big-endian). The receive path checks len with the
 * link-order accessor, but the delivery path reads it with a little-endian load: harmless on
 * every VERSION_1 link, an overread on a big-endian legacy one as soon as the two readings
 * differ. The seeds are little-endian frames only: the mutator's "rpmsg=reorder" (the same
 * frame re-encoded for a big-endian link) reaches it in one step.
 */
#include "planted_common.h"

static uint8_t rx_payload[512];

static void deliver(const uint8_t *buf, size_t used_len)
{
    /* BUG: le16 instead of the link-order accessor used by the check */
    uint32_t len = planted_ld16(buf + 12, 0);
    planted_copy(rx_payload, sizeof(rx_payload), buf + 16, used_len - 16, len,
                 "rpmsg legacy rx (len read little-endian on a big-endian link)");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int be = (data[0] & VCF_FUZZ_RPMSG_BE) != 0;
    const uint8_t *buf = data + 1;
    size_t used_len = size - 1;
    if (used_len < 16 || used_len > 16 + sizeof(rx_payload))
        return 0;
    uint32_t dst = planted_ld32(buf + 4, be);
    uint32_t len = planted_ld16(buf + 12, be);
    if (len > used_len - 16)
        return 0;
    if (dst < 1024 && dst != 53)
        return 0;
    deliver(buf, used_len);
    return 0;
}
