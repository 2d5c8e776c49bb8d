/* SPDX-License-Identifier: MIT */
/*
 * Internal: the layout of every virtio-msg message, defined once.
 *
 * A layout lists the fixed payload fields (name, payload offset, size, and where the value lives
 * in vcf_vmsg_msg) and the kind of variable-length tail that follows them. The parser, the
 * encoder, the describe visitor and the error messages all read these tables.
 */
#ifndef VCF_VMSG_LAYOUT_H
#define VCF_VMSG_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "vconform/vmsg.h"

/* symbolic meaning of a field, for vcf_vmsg_describe() */
enum vcf_vmsg_meaning {
    VCF_MEAN_NONE = 0,
    VCF_MEAN_HEX,         /* no meaning, display in hex */
    VCF_MEAN_STATUS,      /* device status bits */
    VCF_MEAN_DEVICE_ID,   /* virtio device type */
    VCF_MEAN_NEXT_OFFSET, /* EVENT_AVAIL next_offset: offset + wrap */
    VCF_MEAN_BUS_STATE    /* EVENT_DEVICE state */
};

/* variable-length part after the fixed fields */
enum vcf_vmsg_tail {
    VCF_TAIL_NONE = 0,
    VCF_TAIL_FEATURES,     /* u.features.num_blocks little-endian words */
    VCF_TAIL_CONFIG,       /* u.config.length bytes */
    VCF_TAIL_CONFIG_OPT,   /* nothing, or u.config.length bytes (SET_CONFIG response echo) */
    VCF_TAIL_EVENT_CONFIG, /* u.event_config.length bytes */
    VCF_TAIL_BITMAP,       /* ceil(u.devices.count / 8) bytes */
    VCF_TAIL_OPAQUE        /* everything (implementation-defined messages) */
};

typedef struct vcf_vmsg_fdef {
    const char *name;
    const char *label;
    uint8_t off;   /* offset in the payload */
    uint8_t size;  /* 2, 4 or 8 bytes */
    uint16_t soff; /* offset of the value in vcf_vmsg_msg (same width as the wire field) */
    uint8_t mean;  /* enum vcf_vmsg_meaning */
} vcf_vmsg_fdef;

typedef struct vcf_vmsg_layout {
    const char *name; /* "GET_VQUEUE" */
    uint8_t type;     /* type bits 0..1 */
    uint8_t msg_id;
    uint8_t fixed; /* bytes of fixed payload fields */
    uint8_t tail;  /* enum vcf_vmsg_tail */
    uint8_t nfields;
    const vcf_vmsg_fdef *fields;
} vcf_vmsg_layout;

/* Layout of a kind; NULL for VCF_VMSG_K_NONE and out-of-range values. IMPL_DEFINED has an
 * empty layout with an opaque tail (its type and msg_id come from the header). */
const vcf_vmsg_layout *vcf_vmsg_layout_of(vcf_vmsg_kind kind);

/* Offset in vcf_vmsg_msg of the tail's vcf_bytes view; 0 if the layout has no tail. */
size_t vcf_vmsg_tail_soff(const vcf_vmsg_layout *layout);

/* The tail's view in msg (NULL if the layout has no tail). */
static inline const vcf_bytes *vcf_vmsg_tail_view(const vcf_vmsg_msg *msg,
                                                  const vcf_vmsg_layout *layout)
{
    size_t soff = vcf_vmsg_tail_soff(layout);
    return soff ? (const vcf_bytes *)(const void *)((const unsigned char *)msg + soff) : NULL;
}

#endif /* VCF_VMSG_LAYOUT_H */
