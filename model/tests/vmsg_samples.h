/* SPDX-License-Identifier: MIT */
/*
 * One well-formed sample of every virtio-msg message kind, with distinct field values, valid
 * under both revisions' rule checks (events carry token 0, everything else a non-zero token).
 */
#ifndef VCF_VMSG_SAMPLES_H
#define VCF_VMSG_SAMPLES_H

#include "vconform/vmsg.h"

static const uint8_t sample_blocks[8] = {0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00};
static const uint8_t sample_config[3] = {0xAA, 0xBB, 0xCC};
static const uint8_t sample_bitmap[2] = {0x25, 0x00};
static const uint8_t sample_opaque[3] = {0x01, 0x02, 0x03};

static inline void vmsg_sample(vcf_vmsg_kind kind, vcf_vmsg_msg *m)
{
    if (kind == VCF_VMSG_K_IMPL_DEFINED) {
        memset(m, 0, sizeof *m);
        m->kind = kind;
        /* a bus message: implementation-defined in both revisions (RFC3 reserves transport
         * IDs 0x80-0xFF) */
        m->hdr.type = VCF_VMSG_TYPE_BUS;
        m->hdr.msg_id = 0x85;
        m->hdr.dev_num = 0;
        m->hdr.token = 0x0304;
        m->u.opaque.ptr = sample_opaque;
        m->u.opaque.len = sizeof sample_opaque;
        return;
    }
    uint8_t type = 0, id = 0;
    assert_int_equal(vcf_vmsg_kind_header(kind, &type, &id), VCF_OK);
    int bus = (type & VCF_VMSG_TYPE_BUS) != 0;
    int event = id >= 0x40;
    assert_int_equal(vcf_vmsg_init(m, kind, bus ? 0 : 0x0102, event ? 0 : 0x0304), VCF_OK);

    switch (kind) {
    case VCF_VMSG_K_GET_DEVICE_INFO_RESP:
        m->u.device_info.device_id = 1;
        m->u.device_info.vendor_id = 0x554D4551u;
        m->u.device_info.num_feature_bits = 64;
        m->u.device_info.config_size = 12;
        m->u.device_info.max_virtqueues = 3;
        m->u.device_info.admin_vq_start = 0x0A0B;
        m->u.device_info.admin_vq_count = 0x0C0D;
        break;
    case VCF_VMSG_K_GET_DEVICE_FEATURES_REQ:
        m->u.features.block_index = 1;
        m->u.features.num_blocks = 2;
        break;
    case VCF_VMSG_K_GET_DEVICE_FEATURES_RESP:
    case VCF_VMSG_K_SET_DRIVER_FEATURES_REQ:
        m->u.features.block_index = 0;
        m->u.features.num_blocks = 2;
        m->u.features.blocks.ptr = sample_blocks;
        m->u.features.blocks.len = sizeof sample_blocks;
        break;
    case VCF_VMSG_K_GET_CONFIG_REQ:
        m->u.config.offset = 4;
        m->u.config.length = 2;
        break;
    case VCF_VMSG_K_GET_CONFIG_RESP:
    case VCF_VMSG_K_SET_CONFIG_REQ:
    case VCF_VMSG_K_SET_CONFIG_RESP:
        m->u.config.generation = 7;
        m->u.config.offset = 4;
        m->u.config.length = 3;
        m->u.config.data.ptr = sample_config;
        m->u.config.data.len = sizeof sample_config;
        break;
    case VCF_VMSG_K_GET_DEVICE_STATUS_RESP:
    case VCF_VMSG_K_SET_DEVICE_STATUS_REQ:
    case VCF_VMSG_K_SET_DEVICE_STATUS_RESP: m->u.status = 0x0F; break;
    case VCF_VMSG_K_GET_VQUEUE_REQ:
    case VCF_VMSG_K_RESET_VQUEUE_REQ:
    case VCF_VMSG_K_GET_SHM_REQ:
    case VCF_VMSG_K_EVENT_USED: m->u.index = 5; break;
    case VCF_VMSG_K_GET_VQUEUE_RESP:
        m->u.vqueue.index = 1;
        m->u.vqueue.max_size = 256;
        m->u.vqueue.cur_size = 128;
        m->u.vqueue.desc_addr = 0x1122334455667788u;
        m->u.vqueue.driver_addr = 0x99AABBCCDDEEFF00u;
        m->u.vqueue.device_addr = 0x0123456789ABCDEFu;
        break;
    case VCF_VMSG_K_SET_VQUEUE_REQ:
        m->u.set_vqueue.index = 2;
        m->u.set_vqueue.size = 64;
        m->u.set_vqueue.desc_addr = 0x40001000u;
        m->u.set_vqueue.driver_addr = 0x40002000u;
        m->u.set_vqueue.device_addr = 0x40003000u;
        break;
    case VCF_VMSG_K_GET_SHM_RESP:
        m->u.shm.index = 1;
        m->u.shm.length = 0x1000;
        m->u.shm.address = 0x80000000u;
        break;
    case VCF_VMSG_K_EVENT_CONFIG:
        m->u.event_config.device_status = 0x0F;
        m->u.event_config.generation = 9;
        m->u.event_config.offset = 1;
        m->u.event_config.length = 3;
        m->u.event_config.data.ptr = sample_config;
        m->u.event_config.data.len = sizeof sample_config;
        break;
    case VCF_VMSG_K_EVENT_AVAIL:
        m->u.event_avail.vq_index = 1;
        m->u.event_avail.next_offset = 0x80000005u;
        break;
    case VCF_VMSG_K_BUS_GET_DEVICES_REQ:
        m->u.devices.offset = 8;
        m->u.devices.count = 16;
        break;
    case VCF_VMSG_K_BUS_GET_DEVICES_RESP:
        m->u.devices.offset = 0;
        m->u.devices.count = 16;
        m->u.devices.next_offset = 16;
        m->u.devices.bitmap.ptr = sample_bitmap;
        m->u.devices.bitmap.len = sizeof sample_bitmap;
        break;
    case VCF_VMSG_K_BUS_PING_REQ:
    case VCF_VMSG_K_BUS_PING_RESP: m->u.ping = 0xDEADBEEFu; break;
    case VCF_VMSG_K_BUS_EVENT_DEVICE:
        m->u.event_device.device_number = 3;
        m->u.event_device.state = VCF_VMSG_BUS_STATE_READY;
        break;
    default: break;
    }
}

/* Encode the sample of kind into buf; returns its size. */
static inline size_t vmsg_sample_bytes(vcf_vmsg_kind kind, uint8_t *buf, size_t cap)
{
    vcf_vmsg_msg m;
    vmsg_sample(kind, &m);
    vcf_error err;
    int n = vcf_vmsg_encode(&m, buf, cap, &err);
    if (n < 0)
        fail_msg("encoding the %s sample failed: %s", vcf_vmsg_kind_name(kind), err.detail);
    return (size_t)n;
}

#endif /* VCF_VMSG_SAMPLES_H */
