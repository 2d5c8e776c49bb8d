/* SPDX-License-Identifier: MIT */
/*
 * Planted bug 1: an RPMsg receive path whose length check is off by one.
 *
 * Input: the rpmsg-frame format (fuzz.h): a parameter byte, then one received buffer whose used
 * length is its size. The check lets hdr.len be one more than the bytes after the header, and
 * the payload copy then reads one byte past the buffer. Only len == used_len - 16 + 1 reaches
 * it: the mutator's "rpmsg.len=exact+1".
 */
#include "planted_common.h"

static uint8_t rx_payload[512]; /* the endpoint's receive buffer */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int be = (data[0] & VCF_FUZZ_RPMSG_BE) != 0;
    const uint8_t *buf = data + 1;
    size_t used_len = size - 1;
    if (used_len < 16 || used_len > 16 + sizeof(rx_payload))
        return 0;
    uint32_t src = planted_ld32(buf, be);
    uint32_t dst = planted_ld32(buf + 4, be);
    uint32_t len = planted_ld16(buf + 12, be);
    /* BUG: the payload may hold used_len - 16 bytes; "+ 1" lets one byte too many through */
    if (len > used_len - 16 + 1)
        return 0;
    if (dst < 1024 && dst != 53) /* reserved addresses other than the name service */
        return 0;
    if (src == 0xFFFFFFFFu)
        return 0;
    planted_copy(rx_payload, sizeof(rx_payload), buf + 16, used_len - 16, len,
                 "rpmsg rx (len check off by one)");
    return 0;
}
