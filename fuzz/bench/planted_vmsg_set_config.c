/* SPDX-License-Identifier: MIT */
/*
 * Planted bug 2: a virtio-msg device's SET_CONFIG handler that bounds `length` with the layout
 * of the GET_CONFIG request.
 *
 * Input: the vmsg format (fuzz.h): a parameter byte, then one message, framed exactly (msg_size
 * must equal the bytes received, as on a bus without padding). SET_CONFIG carries generation,
 * offset and length (12 bytes) before the data; the handler subtracts only 8 (the offset and
 * length of GET_CONFIG), so a length 1..4 bytes above what the message holds is trusted and the
 * copy reads past the message: the mutator's "vmsg.length=exact+1".
 */
#include "planted_common.h"

#define CONFIG_SIZE 256u

static uint8_t config[CONFIG_SIZE];
static uint32_t generation;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 + 8)
        return 0;
    const uint8_t *m = data + 1;
    size_t len = size - 1;
    uint32_t type = m[0], msg_id = m[1];
    uint32_t msg_size = planted_ld16(m + 6, 0);
    if (msg_size != len) /* exact framing */
        return 0;
    if (type != 0x00 || msg_id != 0x06) /* transport request, SET_CONFIG */
        return 0;
    if (msg_size < 8 + 12)
        return 0;
    uint32_t gen = planted_ld32(m + 8, 0);
    uint32_t offset = planted_ld32(m + 12, 0);
    uint32_t length = planted_ld32(m + 16, 0);
    if (gen != generation)
        return 0;
    /* BUG: 8 is offset + length of a GET_CONFIG request; SET_CONFIG also has the generation */
    if (length > msg_size - 8 - 8)
        return 0;
    if (offset > CONFIG_SIZE || length > CONFIG_SIZE - offset)
        return 0;
    planted_copy(config + offset, CONFIG_SIZE - offset, m + 20, msg_size - 20, length,
                 "vmsg SET_CONFIG (length bounded by the GET_CONFIG layout)");
    return 0;
}
