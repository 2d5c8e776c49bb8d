/* SPDX-License-Identifier: MIT */
/*
 * vconform: byte order and borrowed byte views used by every codec.
 */
#ifndef VCONFORM_WIRE_H
#define VCONFORM_WIRE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Byte order of multi-byte wire fields. virtio-msg is always little-endian; RPMsg is
 * little-endian when VIRTIO_F_VERSION_1 is negotiated and the driver's native order otherwise
 * (legacy), so a big-endian peer without VERSION_1 puts big-endian fields on the wire. */
typedef enum vcf_byte_order { VCF_LITTLE_ENDIAN = 0, VCF_BIG_ENDIAN = 1 } vcf_byte_order;

/* "le" or "be". */
const char *vcf_byte_order_name(vcf_byte_order order);

/* A read-only view of bytes owned by someone else (usually the buffer being decoded).
 * Decoders never copy variable-length data: the view is valid as long as that buffer is. */
typedef struct vcf_bytes {
    const uint8_t *ptr;
    size_t len;
} vcf_bytes;

#ifdef __cplusplus
}
#endif

#endif /* VCONFORM_WIRE_H */
