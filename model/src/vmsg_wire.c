/* SPDX-License-Identifier: MIT */
/*
 * virtio-msg wire codecs: header, classification of message IDs, and every transport and bus
 * message of the RFC3/PR28 wire format.
 */
#include <string.h>

#include "vconform/vmsg.h"
#include "vmsg_layout.h"
#include "wire_internal.h"

/* header field offsets */
enum { OFF_TYPE = 0, OFF_MSG_ID = 1, OFF_DEV_NUM = 2, OFF_TOKEN = 4, OFF_MSG_SIZE = 6 };

/* ---- revisions and parameters ------------------------------------------------------------ */

const char *vcf_vmsg_rev_name(vcf_vmsg_rev rev)
{
    switch (rev) {
    case VCF_VMSG_REV_RFC3: return "rfc3";
    case VCF_VMSG_REV_PR28: return "pr28";
    }
    return NULL;
}

int vcf_vmsg_rev_parse(const char *name, vcf_vmsg_rev *out)
{
    if (name && strcmp(name, "rfc3") == 0) {
        *out = VCF_VMSG_REV_RFC3;
        return VCF_OK;
    }
    if (name && strcmp(name, "pr28") == 0) {
        *out = VCF_VMSG_REV_PR28;
        return VCF_OK;
    }
    return VCF_E_INVAL;
}

void vcf_vmsg_params_default(vcf_vmsg_params *params)
{
    params->rev = VCF_VMSG_REV_DEFAULT;
    params->max_msg_size = 0;
    params->allow_padding = false;
}

/* ---- layouts ----------------------------------------------------------------------------- */

#define F(name, label, off, size, member, mean)                                                    \
    {                                                                                              \
        name, label, off, size, (uint16_t)offsetof(vcf_vmsg_msg, u.member), mean                   \
    }

#define TREQ  0x00u
#define TRESP VCF_VMSG_TYPE_RESPONSE
#define BREQ  VCF_VMSG_TYPE_BUS
#define BRESP (VCF_VMSG_TYPE_BUS | VCF_VMSG_TYPE_RESPONSE)
#define N(a)  (uint8_t)(sizeof(a) / sizeof((a)[0]))

static const vcf_vmsg_fdef f_device_info[] = {
    F("device_id", "Device ID", 0, 4, device_info.device_id, VCF_MEAN_DEVICE_ID),
    F("vendor_id", "Vendor ID", 4, 4, device_info.vendor_id, VCF_MEAN_HEX),
    F("num_feature_bits", "Number of feature bits", 8, 4, device_info.num_feature_bits, 0),
    F("config_size", "Config space size", 12, 4, device_info.config_size, 0),
    F("max_virtqueues", "Maximum virtqueues", 16, 4, device_info.max_virtqueues, 0),
    F("admin_vq_start", "First admin virtqueue", 20, 2, device_info.admin_vq_start, 0),
    F("admin_vq_count", "Admin virtqueues", 22, 2, device_info.admin_vq_count, 0),
};
static const vcf_vmsg_fdef f_features[] = {
    F("block_index", "First feature block", 0, 4, features.block_index, 0),
    F("num_blocks", "Number of blocks", 4, 4, features.num_blocks, 0),
};
static const vcf_vmsg_fdef f_get_config_req[] = {
    F("offset", "Config offset", 0, 4, config.offset, 0),
    F("length", "Length", 4, 4, config.length, 0),
};
static const vcf_vmsg_fdef f_config[] = {
    F("generation", "Config generation", 0, 4, config.generation, 0),
    F("offset", "Config offset", 4, 4, config.offset, 0),
    F("length", "Length", 8, 4, config.length, 0),
};
static const vcf_vmsg_fdef f_status[] = {
    F("status", "Device status", 0, 4, status, VCF_MEAN_STATUS),
};
static const vcf_vmsg_fdef f_index[] = {
    F("index", "Index", 0, 4, index, 0),
};
static const vcf_vmsg_fdef f_vq_index[] = {
    F("vq_index", "Virtqueue index", 0, 4, index, 0),
};
static const vcf_vmsg_fdef f_vqueue[] = {
    F("index", "Virtqueue index", 0, 4, vqueue.index, 0),
    F("max_size", "Maximum size", 4, 4, vqueue.max_size, 0),
    F("cur_size", "Current size", 8, 4, vqueue.cur_size, 0),
    F("reserved", "Reserved", 12, 4, vqueue.reserved, VCF_MEAN_HEX),
    F("desc_addr", "Descriptor area", 16, 8, vqueue.desc_addr, VCF_MEAN_HEX),
    F("driver_addr", "Driver area", 24, 8, vqueue.driver_addr, VCF_MEAN_HEX),
    F("device_addr", "Device area", 32, 8, vqueue.device_addr, VCF_MEAN_HEX),
};
static const vcf_vmsg_fdef f_set_vqueue[] = {
    F("index", "Virtqueue index", 0, 4, set_vqueue.index, 0),
    F("reserved0", "Reserved", 4, 4, set_vqueue.reserved0, VCF_MEAN_HEX),
    F("size", "Size", 8, 4, set_vqueue.size, 0),
    F("reserved1", "Reserved", 12, 4, set_vqueue.reserved1, VCF_MEAN_HEX),
    F("desc_addr", "Descriptor area", 16, 8, set_vqueue.desc_addr, VCF_MEAN_HEX),
    F("driver_addr", "Driver area", 24, 8, set_vqueue.driver_addr, VCF_MEAN_HEX),
    F("device_addr", "Device area", 32, 8, set_vqueue.device_addr, VCF_MEAN_HEX),
};
static const vcf_vmsg_fdef f_shm[] = {
    F("index", "Region index", 0, 4, shm.index, 0),
    F("length", "Region length", 4, 4, shm.length, 0),
    F("address", "Region address", 8, 4, shm.address, VCF_MEAN_HEX),
};
static const vcf_vmsg_fdef f_event_config[] = {
    F("device_status", "Device status", 0, 4, event_config.device_status, VCF_MEAN_STATUS),
    F("generation", "Config generation", 4, 4, event_config.generation, 0),
    F("offset", "Config offset", 8, 4, event_config.offset, 0),
    F("length", "Length", 12, 4, event_config.length, 0),
};
static const vcf_vmsg_fdef f_event_avail[] = {
    F("vq_index", "Virtqueue index", 0, 4, event_avail.vq_index, 0),
    F("next_offset", "Next offset and wrap", 4, 4, event_avail.next_offset, VCF_MEAN_NEXT_OFFSET),
};
static const vcf_vmsg_fdef f_get_devices_req[] = {
    F("offset", "First device number", 0, 2, devices.offset, 0),
    F("count", "Window length", 2, 2, devices.count, 0),
};
static const vcf_vmsg_fdef f_get_devices_resp[] = {
    F("offset", "First device number", 0, 2, devices.offset, 0),
    F("count", "Window length", 2, 2, devices.count, 0),
    F("next_offset", "Next window", 4, 2, devices.next_offset, 0),
};
static const vcf_vmsg_fdef f_ping[] = {
    F("data", "Data", 0, 4, ping, VCF_MEAN_HEX),
};
static const vcf_vmsg_fdef f_event_device[] = {
    F("device_number", "Device number", 0, 2, event_device.device_number, 0),
    F("device_bus_state", "Device bus state", 2, 2, event_device.state, VCF_MEAN_BUS_STATE),
};

#define L(kind, name, type, id, fields, fixed, tail)                                               \
    [kind] = {name, type, id, fixed, tail, N(fields), fields}
#define L0(kind, name, type, id) [kind] = {name, type, id, 0, VCF_TAIL_NONE, 0, NULL}

static const vcf_vmsg_layout layouts[VCF_VMSG_K_COUNT] = {
    L0(VCF_VMSG_K_GET_DEVICE_INFO_REQ, "GET_DEVICE_INFO", TREQ, VCF_VMSG_GET_DEVICE_INFO),
    L(VCF_VMSG_K_GET_DEVICE_INFO_RESP, "GET_DEVICE_INFO", TRESP, VCF_VMSG_GET_DEVICE_INFO,
      f_device_info, 24, VCF_TAIL_NONE),
    L(VCF_VMSG_K_GET_DEVICE_FEATURES_REQ, "GET_DEVICE_FEATURES", TREQ, VCF_VMSG_GET_DEVICE_FEATURES,
      f_features, 8, VCF_TAIL_NONE),
    L(VCF_VMSG_K_GET_DEVICE_FEATURES_RESP, "GET_DEVICE_FEATURES", TRESP,
      VCF_VMSG_GET_DEVICE_FEATURES, f_features, 8, VCF_TAIL_FEATURES),
    L(VCF_VMSG_K_SET_DRIVER_FEATURES_REQ, "SET_DRIVER_FEATURES", TREQ, VCF_VMSG_SET_DRIVER_FEATURES,
      f_features, 8, VCF_TAIL_FEATURES),
    L0(VCF_VMSG_K_SET_DRIVER_FEATURES_RESP, "SET_DRIVER_FEATURES", TRESP,
       VCF_VMSG_SET_DRIVER_FEATURES),
    L(VCF_VMSG_K_GET_CONFIG_REQ, "GET_CONFIG", TREQ, VCF_VMSG_GET_CONFIG, f_get_config_req, 8,
      VCF_TAIL_NONE),
    L(VCF_VMSG_K_GET_CONFIG_RESP, "GET_CONFIG", TRESP, VCF_VMSG_GET_CONFIG, f_config, 12,
      VCF_TAIL_CONFIG),
    L(VCF_VMSG_K_SET_CONFIG_REQ, "SET_CONFIG", TREQ, VCF_VMSG_SET_CONFIG, f_config, 12,
      VCF_TAIL_CONFIG),
    L(VCF_VMSG_K_SET_CONFIG_RESP, "SET_CONFIG", TRESP, VCF_VMSG_SET_CONFIG, f_config, 12,
      VCF_TAIL_CONFIG_OPT),
    L0(VCF_VMSG_K_GET_DEVICE_STATUS_REQ, "GET_DEVICE_STATUS", TREQ, VCF_VMSG_GET_DEVICE_STATUS),
    L(VCF_VMSG_K_GET_DEVICE_STATUS_RESP, "GET_DEVICE_STATUS", TRESP, VCF_VMSG_GET_DEVICE_STATUS,
      f_status, 4, VCF_TAIL_NONE),
    L(VCF_VMSG_K_SET_DEVICE_STATUS_REQ, "SET_DEVICE_STATUS", TREQ, VCF_VMSG_SET_DEVICE_STATUS,
      f_status, 4, VCF_TAIL_NONE),
    L(VCF_VMSG_K_SET_DEVICE_STATUS_RESP, "SET_DEVICE_STATUS", TRESP, VCF_VMSG_SET_DEVICE_STATUS,
      f_status, 4, VCF_TAIL_NONE),
    L(VCF_VMSG_K_GET_VQUEUE_REQ, "GET_VQUEUE", TREQ, VCF_VMSG_GET_VQUEUE, f_index, 4,
      VCF_TAIL_NONE),
    L(VCF_VMSG_K_GET_VQUEUE_RESP, "GET_VQUEUE", TRESP, VCF_VMSG_GET_VQUEUE, f_vqueue, 40,
      VCF_TAIL_NONE),
    L(VCF_VMSG_K_SET_VQUEUE_REQ, "SET_VQUEUE", TREQ, VCF_VMSG_SET_VQUEUE, f_set_vqueue, 40,
      VCF_TAIL_NONE),
    L0(VCF_VMSG_K_SET_VQUEUE_RESP, "SET_VQUEUE", TRESP, VCF_VMSG_SET_VQUEUE),
    L(VCF_VMSG_K_RESET_VQUEUE_REQ, "RESET_VQUEUE", TREQ, VCF_VMSG_RESET_VQUEUE, f_index, 4,
      VCF_TAIL_NONE),
    L0(VCF_VMSG_K_RESET_VQUEUE_RESP, "RESET_VQUEUE", TRESP, VCF_VMSG_RESET_VQUEUE),
    L(VCF_VMSG_K_GET_SHM_REQ, "GET_SHM", TREQ, VCF_VMSG_GET_SHM, f_index, 4, VCF_TAIL_NONE),
    L(VCF_VMSG_K_GET_SHM_RESP, "GET_SHM", TRESP, VCF_VMSG_GET_SHM, f_shm, 12, VCF_TAIL_NONE),
    L(VCF_VMSG_K_EVENT_CONFIG, "EVENT_CONFIG", TREQ, VCF_VMSG_EVENT_CONFIG, f_event_config, 16,
      VCF_TAIL_EVENT_CONFIG),
    L(VCF_VMSG_K_EVENT_AVAIL, "EVENT_AVAIL", TREQ, VCF_VMSG_EVENT_AVAIL, f_event_avail, 8,
      VCF_TAIL_NONE),
    L(VCF_VMSG_K_EVENT_USED, "EVENT_USED", TREQ, VCF_VMSG_EVENT_USED, f_vq_index, 4, VCF_TAIL_NONE),
    L(VCF_VMSG_K_BUS_GET_DEVICES_REQ, "GET_DEVICES", BREQ, VCF_VMSG_BUS_GET_DEVICES,
      f_get_devices_req, 4, VCF_TAIL_NONE),
    L(VCF_VMSG_K_BUS_GET_DEVICES_RESP, "GET_DEVICES", BRESP, VCF_VMSG_BUS_GET_DEVICES,
      f_get_devices_resp, 6, VCF_TAIL_BITMAP),
    L(VCF_VMSG_K_BUS_PING_REQ, "PING", BREQ, VCF_VMSG_BUS_PING, f_ping, 4, VCF_TAIL_NONE),
    L(VCF_VMSG_K_BUS_PING_RESP, "PING", BRESP, VCF_VMSG_BUS_PING, f_ping, 4, VCF_TAIL_NONE),
    L(VCF_VMSG_K_BUS_EVENT_DEVICE, "EVENT_DEVICE", BREQ, VCF_VMSG_BUS_EVENT_DEVICE, f_event_device,
      4, VCF_TAIL_NONE),
    [VCF_VMSG_K_IMPL_DEFINED] = {"IMPLEMENTATION_DEFINED", 0, 0, 0, VCF_TAIL_OPAQUE, 0, NULL},
};

const vcf_vmsg_layout *vcf_vmsg_layout_of(vcf_vmsg_kind kind)
{
    if (kind <= VCF_VMSG_K_NONE || kind >= VCF_VMSG_K_COUNT)
        return NULL;
    return &layouts[kind];
}

uint64_t vcf_vmsg_tail_size(const vcf_vmsg_msg *msg, const vcf_vmsg_layout *layout)
{
    switch (layout->tail) {
    case VCF_TAIL_FEATURES: return (uint64_t)msg->u.features.num_blocks * 4u;
    case VCF_TAIL_CONFIG: return msg->u.config.length;
    case VCF_TAIL_CONFIG_OPT: return msg->u.config.data.len;
    case VCF_TAIL_EVENT_CONFIG: return msg->u.event_config.length;
    case VCF_TAIL_BITMAP: return ((uint64_t)msg->u.devices.count + 7u) / 8u;
    case VCF_TAIL_OPAQUE: return msg->u.opaque.len;
    default: return 0;
    }
}

size_t vcf_vmsg_tail_soff(const vcf_vmsg_layout *layout)
{
    switch (layout->tail) {
    case VCF_TAIL_FEATURES: return offsetof(vcf_vmsg_msg, u.features.blocks);
    case VCF_TAIL_CONFIG:
    case VCF_TAIL_CONFIG_OPT: return offsetof(vcf_vmsg_msg, u.config.data);
    case VCF_TAIL_EVENT_CONFIG: return offsetof(vcf_vmsg_msg, u.event_config.data);
    case VCF_TAIL_BITMAP: return offsetof(vcf_vmsg_msg, u.devices.bitmap);
    case VCF_TAIL_OPAQUE: return offsetof(vcf_vmsg_msg, u.opaque);
    default: return 0;
    }
}

/* ---- classification ---------------------------------------------------------------------- */

static vcf_vmsg_kind lookup_kind(bool bus, bool response, uint8_t id)
{
    if (bus) {
        switch (id) {
        case VCF_VMSG_BUS_GET_DEVICES:
            return response ? VCF_VMSG_K_BUS_GET_DEVICES_RESP : VCF_VMSG_K_BUS_GET_DEVICES_REQ;
        case VCF_VMSG_BUS_PING:
            return response ? VCF_VMSG_K_BUS_PING_RESP : VCF_VMSG_K_BUS_PING_REQ;
        case VCF_VMSG_BUS_EVENT_DEVICE:
            return response ? VCF_VMSG_K_NONE : VCF_VMSG_K_BUS_EVENT_DEVICE;
        default: return VCF_VMSG_K_NONE;
        }
    }
    if (id >= VCF_VMSG_GET_DEVICE_INFO && id <= VCF_VMSG_GET_SHM) {
        /* requests and responses alternate in the kind enumeration, in ID order */
        int base =
            (int)VCF_VMSG_K_GET_DEVICE_INFO_REQ + 2 * ((int)id - (int)VCF_VMSG_GET_DEVICE_INFO);
        return (vcf_vmsg_kind)(base + (response ? 1 : 0));
    }
    if (response)
        return VCF_VMSG_K_NONE;
    switch (id) {
    case VCF_VMSG_EVENT_CONFIG: return VCF_VMSG_K_EVENT_CONFIG;
    case VCF_VMSG_EVENT_AVAIL: return VCF_VMSG_K_EVENT_AVAIL;
    case VCF_VMSG_EVENT_USED: return VCF_VMSG_K_EVENT_USED;
    default: return VCF_VMSG_K_NONE;
    }
}

int vcf_vmsg_classify(uint8_t type, uint8_t msg_id, vcf_vmsg_rev rev, vcf_vmsg_class *out)
{
    if (rev != VCF_VMSG_REV_RFC3 && rev != VCF_VMSG_REV_PR28)
        return VCF_E_INVAL;
    out->bus = (type & VCF_VMSG_TYPE_BUS) != 0;
    out->response = (type & VCF_VMSG_TYPE_RESPONSE) != 0;
    out->kind = VCF_VMSG_K_NONE;
    if (msg_id < 0x40)
        out->range = VCF_VMSG_RANGE_REQUEST;
    else if (msg_id < 0x80)
        out->range = VCF_VMSG_RANGE_EVENT;
    else if (rev == VCF_VMSG_REV_PR28)
        out->range = msg_id < 0xC0 ? VCF_VMSG_RANGE_IMPL_REQUEST : VCF_VMSG_RANGE_IMPL_EVENT;
    else
        out->range = out->bus ? VCF_VMSG_RANGE_IMPL : VCF_VMSG_RANGE_RESERVED;
    out->event = out->range == VCF_VMSG_RANGE_EVENT || out->range == VCF_VMSG_RANGE_IMPL_EVENT;

    if (out->event && out->response)
        return VCF_E_BAD_KIND;
    switch (out->range) {
    case VCF_VMSG_RANGE_RESERVED: return VCF_E_UNKNOWN_ID;
    case VCF_VMSG_RANGE_IMPL_REQUEST:
    case VCF_VMSG_RANGE_IMPL_EVENT:
    case VCF_VMSG_RANGE_IMPL: out->kind = VCF_VMSG_K_IMPL_DEFINED; return VCF_OK;
    default: break;
    }
    out->kind = lookup_kind(out->bus, out->response, msg_id);
    return out->kind == VCF_VMSG_K_NONE ? VCF_E_UNKNOWN_ID : VCF_OK;
}

const char *vcf_vmsg_kind_name(vcf_vmsg_kind kind)
{
    const vcf_vmsg_layout *l = vcf_vmsg_layout_of(kind);
    return l ? l->name : NULL;
}

int vcf_vmsg_kind_header(vcf_vmsg_kind kind, uint8_t *type, uint8_t *msg_id)
{
    const vcf_vmsg_layout *l = vcf_vmsg_layout_of(kind);
    if (!l || kind == VCF_VMSG_K_IMPL_DEFINED)
        return VCF_E_INVAL;
    *type = l->type;
    *msg_id = l->msg_id;
    return VCF_OK;
}

const char *vcf_vmsg_kind_direction(vcf_vmsg_kind kind)
{
    const vcf_vmsg_layout *l = vcf_vmsg_layout_of(kind);
    if (!l || kind == VCF_VMSG_K_IMPL_DEFINED)
        return "unknown";
    if (l->type & VCF_VMSG_TYPE_RESPONSE)
        return "response";
    return l->msg_id >= 0x40 ? "event" : "request";
}

int vcf_vmsg_init(vcf_vmsg_msg *msg, vcf_vmsg_kind kind, uint16_t dev_num, uint16_t token)
{
    uint8_t type, msg_id;
    int rc = vcf_vmsg_kind_header(kind, &type, &msg_id);
    if (rc != VCF_OK)
        return rc;
    memset(msg, 0, sizeof *msg);
    msg->kind = kind;
    msg->hdr.type = type;
    msg->hdr.msg_id = msg_id;
    msg->hdr.dev_num = dev_num;
    msg->hdr.token = token;
    msg->hdr.msg_size = (uint16_t)(VCF_VMSG_HDR_SIZE + layouts[kind].fixed);
    return VCF_OK;
}

/* ---- parse ------------------------------------------------------------------------------- */

static const struct {
    const char *name;
    size_t off;
} hdr_fields[] = {{"type", OFF_TYPE},
                  {"msg_id", OFF_MSG_ID},
                  {"dev_num", OFF_DEV_NUM},
                  {"token", OFF_TOKEN},
                  {"msg_size", OFF_MSG_SIZE}};

static void load_field(vcf_vmsg_msg *msg, const vcf_vmsg_fdef *f, const uint8_t *payload)
{
    unsigned char *dst = (unsigned char *)msg + f->soff;
    const uint8_t *src = payload + f->off;
    if (f->size == 2) {
        uint16_t v = vcf_ld16le(src);
        memcpy(dst, &v, sizeof v);
    } else if (f->size == 4) {
        uint32_t v = vcf_ld32le(src);
        memcpy(dst, &v, sizeof v);
    } else {
        uint64_t v = vcf_ld64le(src);
        memcpy(dst, &v, sizeof v);
    }
}

static int tail_mismatch(vcf_error *err, const char *detail, uint64_t expected, uint16_t msg_size)
{
    return vcf_failv(err, VCF_E_SIZE_MISMATCH, "msg_size", OFF_MSG_SIZE, detail, expected,
                     msg_size);
}

int vcf_vmsg_parse(const uint8_t *buf, size_t len, const vcf_vmsg_params *params, vcf_vmsg_msg *out,
                   vcf_error *err)
{
    if (len < VCF_VMSG_HDR_SIZE) {
        size_t i = 0;
        while (i + 1 < sizeof hdr_fields / sizeof hdr_fields[0] && hdr_fields[i + 1].off <= len)
            i++;
        return vcf_failv(err, VCF_E_TRUNCATED, hdr_fields[i].name, hdr_fields[i].off,
                         "the virtio-msg header is 8 bytes", VCF_VMSG_HDR_SIZE, len);
    }
    out->hdr.type = buf[OFF_TYPE];
    out->hdr.msg_id = buf[OFF_MSG_ID];
    out->hdr.dev_num = vcf_ld16le(buf + OFF_DEV_NUM);
    out->hdr.token = vcf_ld16le(buf + OFF_TOKEN);
    out->hdr.msg_size = vcf_ld16le(buf + OFF_MSG_SIZE);
    uint16_t msg_size = out->hdr.msg_size;

    if (msg_size < VCF_VMSG_HDR_SIZE)
        return vcf_failv(err, VCF_E_SIZE_RANGE, "msg_size", OFF_MSG_SIZE,
                         "msg_size counts the 8-byte header", VCF_VMSG_HDR_SIZE, msg_size);
    if (msg_size > len)
        return vcf_failv(err, VCF_E_SIZE_MISMATCH, "msg_size", OFF_MSG_SIZE,
                         "msg_size is larger than the buffer", len, msg_size);
    out->padding.ptr = buf + msg_size;
    out->padding.len = len - msg_size;
    if (out->padding.len && !params->allow_padding)
        return vcf_failv(err, VCF_E_TRAILING, "trailing", msg_size,
                         "bytes after the end that msg_size gives", msg_size, len);

    vcf_vmsg_class cls;
    int rc = vcf_vmsg_classify(out->hdr.type, out->hdr.msg_id, params->rev, &cls);
    if (rc == VCF_E_INVAL)
        return vcf_fail(err, VCF_E_INVAL, "rev", 0, "unsupported virtio-msg revision");
    if (rc == VCF_E_BAD_KIND)
        return vcf_failv(err, VCF_E_BAD_KIND, "type", OFF_TYPE,
                         "the response bit is set on an event ID; events have no response",
                         out->hdr.type & ~VCF_VMSG_TYPE_RESPONSE, out->hdr.type);
    if (rc != VCF_OK)
        return vcf_failv(err, VCF_E_UNKNOWN_ID, "msg_id", OFF_MSG_ID,
                         cls.range == VCF_VMSG_RANGE_RESERVED
                             ? "transport IDs 0x80-0xFF are reserved in RFC3"
                             : (cls.bus ? "not a bus message this revision defines"
                                        : "not a transport message this revision defines"),
                         0, out->hdr.msg_id);
    out->kind = cls.kind;

    const vcf_vmsg_layout *l = &layouts[cls.kind];
    const uint8_t *payload = buf + VCF_VMSG_HDR_SIZE;
    size_t plen = (size_t)msg_size - VCF_VMSG_HDR_SIZE;

    if (plen < l->fixed) {
        const vcf_vmsg_fdef *f = l->fields;
        while ((size_t)f->off + f->size <= plen)
            f++;
        return vcf_failv(err, VCF_E_TRUNCATED, f->name, VCF_VMSG_HDR_SIZE + f->off,
                         "msg_size ends inside this field", VCF_VMSG_HDR_SIZE + l->fixed, msg_size);
    }
    for (uint8_t i = 0; i < l->nfields; i++)
        load_field(out, &l->fields[i], payload);

    size_t rest = plen - l->fixed;
    const uint8_t *tail = payload + l->fixed;
    switch (l->tail) {
    case VCF_TAIL_NONE:
        if (rest)
            return vcf_failv(err, VCF_E_TRAILING, "trailing", VCF_VMSG_HDR_SIZE + l->fixed,
                             "bytes after the end of the payload this message defines",
                             VCF_VMSG_HDR_SIZE + l->fixed, msg_size);
        return VCF_OK;
    case VCF_TAIL_FEATURES:
        if ((uint64_t)out->u.features.num_blocks * 4u != rest)
            return tail_mismatch(err, "msg_size must be 16 + 4 * num_blocks",
                                 16u + (uint64_t)out->u.features.num_blocks * 4u, msg_size);
        break;
    case VCF_TAIL_CONFIG:
        if (out->u.config.length != rest)
            return tail_mismatch(err, "msg_size must be 20 + length",
                                 20u + (uint64_t)out->u.config.length, msg_size);
        break;
    case VCF_TAIL_CONFIG_OPT:
        if (rest != 0 && out->u.config.length != rest)
            return tail_mismatch(err, "msg_size must be 20, or 20 + length with echoed data",
                                 20u + (uint64_t)out->u.config.length, msg_size);
        break;
    case VCF_TAIL_EVENT_CONFIG:
        if (out->u.event_config.length != rest)
            return tail_mismatch(err, "msg_size must be 24 + length",
                                 24u + (uint64_t)out->u.event_config.length, msg_size);
        break;
    case VCF_TAIL_BITMAP:
        if (((size_t)out->u.devices.count + 7u) / 8u != rest)
            return tail_mismatch(err, "msg_size must be 14 + count / 8",
                                 14u + ((uint64_t)out->u.devices.count + 7u) / 8u, msg_size);
        break;
    default: /* VCF_TAIL_OPAQUE */ break;
    }
    vcf_bytes view = {rest ? tail : NULL, rest};
    memcpy((unsigned char *)out + vcf_vmsg_tail_soff(l), &view, sizeof view);
    return VCF_OK;
}

/* ---- rule checks ------------------------------------------------------------------------- */

static const char status_detail[] =
    "only bits 0..7 of the device status are defined; bits 8..31 are sent as zero";

static bool kind_is_event(const vcf_vmsg_msg *msg, vcf_vmsg_rev rev)
{
    vcf_vmsg_class cls;
    if (vcf_vmsg_classify(msg->hdr.type, msg->hdr.msg_id, rev, &cls) != VCF_OK)
        return false;
    return cls.event;
}

static void check_status(vcf_errlist *l, uint32_t status, const char *field, size_t off)
{
    if (status & ~(uint32_t)VCF_VIRTIO_STATUS_DEFINED)
        vcf_errlist_addx(l, VCF_E_RESERVED, field, off, status_detail,
                         status & VCF_VIRTIO_STATUS_DEFINED, status);
}

static void check_multiple(vcf_errlist *l, uint64_t value, unsigned of, const char *field,
                           size_t off, const char *detail, bool round_up)
{
    if (value % of == 0)
        return;
    uint64_t near = round_up ? value + (of - value % of) : value - value % of;
    vcf_errlist_addv(l, VCF_E_ALIGN, field, off, detail, near, value);
}

size_t vcf_vmsg_check(const vcf_vmsg_msg *msg, const vcf_vmsg_params *params, vcf_error *errs,
                      size_t cap)
{
    vcf_errlist l = {errs, cap, 0};
    const vcf_vmsg_hdr *h = &msg->hdr;
    const size_t P = VCF_VMSG_HDR_SIZE; /* payload offset */

    if (h->type & VCF_VMSG_TYPE_RESERVED)
        vcf_errlist_addx(&l, VCF_E_RESERVED, "type", OFF_TYPE,
                         "type bits 2..7 are reserved: sent as zero, ignored on receive",
                         h->type & ~VCF_VMSG_TYPE_RESERVED, h->type);
    if (params->max_msg_size && h->msg_size > params->max_msg_size)
        vcf_errlist_addv(&l, VCF_E_TOO_LARGE, "msg_size", OFF_MSG_SIZE,
                         "larger than the maximum message size of the bus", params->max_msg_size,
                         h->msg_size);
    if ((h->type & VCF_VMSG_TYPE_BUS) && h->dev_num != 0)
        vcf_errlist_addv(&l, VCF_E_MBZ, "dev_num", OFF_DEV_NUM, "bus messages carry dev_num 0", 0,
                         h->dev_num);
    if (params->rev == VCF_VMSG_REV_RFC3) {
        if (kind_is_event(msg, params->rev)) {
            if (h->token != 0)
                vcf_errlist_addv(&l, VCF_E_MBZ, "token", OFF_TOKEN, "RFC3: events carry token 0", 0,
                                 h->token);
        } else if (msg->kind != VCF_VMSG_K_IMPL_DEFINED && h->token == 0) {
            vcf_errlist_add(&l, VCF_E_RANGE, "token", OFF_TOKEN,
                            (h->type & VCF_VMSG_TYPE_RESPONSE)
                                ? "RFC3: a response echoes its request's token, which is non-zero"
                                : "RFC3: a request carries a non-zero token");
        }
    }

    switch (msg->kind) {
    case VCF_VMSG_K_GET_DEVICE_INFO_RESP:
        check_multiple(&l, msg->u.device_info.num_feature_bits, 32, "num_feature_bits", P + 8,
                       "the number of feature bits is a multiple of 32", true);
        break;
    case VCF_VMSG_K_GET_DEVICE_STATUS_RESP:
    case VCF_VMSG_K_SET_DEVICE_STATUS_REQ:
    case VCF_VMSG_K_SET_DEVICE_STATUS_RESP: check_status(&l, msg->u.status, "status", P); break;
    case VCF_VMSG_K_EVENT_CONFIG:
        check_status(&l, msg->u.event_config.device_status, "device_status", P);
        break;
    case VCF_VMSG_K_GET_VQUEUE_RESP:
        if (msg->u.vqueue.reserved)
            vcf_errlist_addx(&l, VCF_E_MBZ, "reserved", P + 12, "reserved word, must be zero", 0,
                             msg->u.vqueue.reserved);
        break;
    case VCF_VMSG_K_SET_VQUEUE_REQ:
        if (msg->u.set_vqueue.reserved0)
            vcf_errlist_addx(&l, VCF_E_MBZ, "reserved0", P + 4, "reserved word, must be zero", 0,
                             msg->u.set_vqueue.reserved0);
        if (msg->u.set_vqueue.reserved1)
            vcf_errlist_addx(&l, VCF_E_MBZ, "reserved1", P + 12, "reserved word, must be zero", 0,
                             msg->u.set_vqueue.reserved1);
        break;
    case VCF_VMSG_K_BUS_GET_DEVICES_REQ:
    case VCF_VMSG_K_BUS_GET_DEVICES_RESP: {
        const vcf_vmsg_devices *d = &msg->u.devices;
        check_multiple(&l, d->offset, 8, "offset", P, "the window offset is a multiple of 8",
                       false);
        check_multiple(&l, d->count, 8, "count", P + 2, "the window length is a multiple of 8",
                       true);
        if (msg->kind == VCF_VMSG_K_BUS_GET_DEVICES_RESP && d->next_offset != 0) {
            check_multiple(&l, d->next_offset, 8, "next_offset", P + 4,
                           "next_offset is 0 or a multiple of 8", true);
            uint32_t end = (uint32_t)d->offset + d->count;
            if (params->rev == VCF_VMSG_REV_PR28 && d->next_offset < end)
                vcf_errlist_addv(&l, VCF_E_RANGE, "next_offset", P + 4,
                                 "next_offset is 0 or at least offset + count", end,
                                 d->next_offset);
        }
        break;
    }
    case VCF_VMSG_K_BUS_EVENT_DEVICE: {
        uint16_t s = msg->u.event_device.state;
        if (s == 0 || (s > VCF_VMSG_BUS_STATE_REMOVED && s < VCF_VMSG_BUS_STATE_IMPL_FIRST))
            vcf_errlist_addx(&l, VCF_E_RESERVED, "device_bus_state", P + 2,
                             "reserved state: 1 is READY, 2 REMOVED, 0x8000-0xFFFF "
                             "implementation-defined",
                             VCF_VMSG_BUS_STATE_READY, s);
        break;
    }
    default: break;
    }

    for (size_t i = 0; i < msg->padding.len; i++) {
        if (msg->padding.ptr[i] != 0) {
            vcf_errlist_addx(&l, VCF_E_MBZ, "padding", (size_t)h->msg_size + i,
                             "bus padding after the message must be zero", 0, msg->padding.ptr[i]);
            break;
        }
    }
    return l.count;
}

int vcf_vmsg_decode(const uint8_t *buf, size_t len, const vcf_vmsg_params *params,
                    vcf_vmsg_msg *out, vcf_error *err)
{
    int rc = vcf_vmsg_parse(buf, len, params, out, err);
    if (rc != VCF_OK)
        return rc;
    vcf_error first;
    if (vcf_vmsg_check(out, params, &first, 1) == 0)
        return VCF_OK;
    if (err)
        *err = first;
    return first.code;
}

/* ---- encode ------------------------------------------------------------------------------ */

static long encoded_size(const vcf_vmsg_msg *msg, vcf_error *err)
{
    const vcf_vmsg_layout *l = vcf_vmsg_layout_of(msg->kind);
    if (!l)
        return vcf_fail(err, VCF_E_INVAL, "kind", 0, "no such message kind");
    if (msg->kind == VCF_VMSG_K_IMPL_DEFINED) {
        if (msg->hdr.msg_id < 0x80)
            return vcf_failv(err, VCF_E_INVAL, "msg_id", OFF_MSG_ID,
                             "implementation-defined IDs are 0x80-0xFF", 0x80, msg->hdr.msg_id);
    } else if ((msg->hdr.type & (VCF_VMSG_TYPE_BUS | VCF_VMSG_TYPE_RESPONSE)) != l->type ||
               msg->hdr.msg_id != l->msg_id) {
        return vcf_fail(err, VCF_E_INVAL, "msg_id", OFF_MSG_ID,
                        "type and msg_id do not match the message kind");
    }

    const vcf_bytes *view = vcf_vmsg_tail_view(msg, l);
    uint64_t want;
    const char *count_field = NULL;
    switch (l->tail) {
    case VCF_TAIL_FEATURES:
        want = (uint64_t)msg->u.features.num_blocks * 4u;
        count_field = "num_blocks";
        break;
    case VCF_TAIL_CONFIG:
        want = msg->u.config.length;
        count_field = "length";
        break;
    case VCF_TAIL_CONFIG_OPT:
        want = msg->u.config.data.len ? msg->u.config.length : 0;
        count_field = "length";
        break;
    case VCF_TAIL_EVENT_CONFIG:
        want = msg->u.event_config.length;
        count_field = "length";
        break;
    case VCF_TAIL_BITMAP:
        want = ((uint64_t)msg->u.devices.count + 7u) / 8u;
        count_field = "count";
        break;
    default: want = view ? view->len : 0; break;
    }
    if (view) {
        if (view->len != want)
            return vcf_failv(err, VCF_E_SIZE_MISMATCH, count_field, VCF_VMSG_HDR_SIZE,
                             "the variable-length data does not match its count or length field",
                             want, view->len);
        if (view->len && !view->ptr)
            return vcf_fail(err, VCF_E_INVAL, count_field ? count_field : "payload",
                            VCF_VMSG_HDR_SIZE, "variable-length view without data");
    }
    uint64_t total = VCF_VMSG_HDR_SIZE + (uint64_t)l->fixed + want;
    if (total > VCF_VMSG_MSG_SIZE_LIMIT)
        return vcf_failv(err, VCF_E_TOO_LARGE, "msg_size", OFF_MSG_SIZE,
                         "a message cannot be longer than msg_size can say",
                         VCF_VMSG_MSG_SIZE_LIMIT, total);
    return (long)total;
}

long vcf_vmsg_encoded_size(const vcf_vmsg_msg *msg)
{
    return encoded_size(msg, NULL);
}

static void store_field(const vcf_vmsg_msg *msg, const vcf_vmsg_fdef *f, uint8_t *payload)
{
    const unsigned char *src = (const unsigned char *)msg + f->soff;
    uint8_t *dst = payload + f->off;
    if (f->size == 2) {
        uint16_t v;
        memcpy(&v, src, sizeof v);
        vcf_st16le(dst, v);
    } else if (f->size == 4) {
        uint32_t v;
        memcpy(&v, src, sizeof v);
        vcf_st32le(dst, v);
    } else {
        uint64_t v;
        memcpy(&v, src, sizeof v);
        vcf_st64le(dst, v);
    }
}

int vcf_vmsg_encode(const vcf_vmsg_msg *msg, uint8_t *buf, size_t cap, vcf_error *err)
{
    long total = encoded_size(msg, err);
    if (total < 0)
        return (int)total;
    if (cap < (size_t)total)
        return vcf_failv(err, VCF_E_NOSPACE, "message", 0, "output buffer smaller than the message",
                         (uint64_t)total, cap);
    const vcf_vmsg_layout *l = &layouts[msg->kind];
    buf[OFF_TYPE] = msg->hdr.type;
    buf[OFF_MSG_ID] = msg->hdr.msg_id;
    vcf_st16le(buf + OFF_DEV_NUM, msg->hdr.dev_num);
    vcf_st16le(buf + OFF_TOKEN, msg->hdr.token);
    vcf_st16le(buf + OFF_MSG_SIZE, (uint16_t)total);
    uint8_t *payload = buf + VCF_VMSG_HDR_SIZE;
    for (uint8_t i = 0; i < l->nfields; i++)
        store_field(msg, &l->fields[i], payload);
    const vcf_bytes *view = vcf_vmsg_tail_view(msg, l);
    if (view && view->len)
        memcpy(payload + l->fixed, view->ptr, view->len);
    return (int)total;
}

/* ---- accessors --------------------------------------------------------------------------- */

uint32_t vcf_vmsg_feature_block(const vcf_vmsg_features *features, uint32_t i)
{
    if (i >= features->num_blocks || (uint64_t)i * 4u + 4u > features->blocks.len)
        return 0;
    return vcf_ld32le(features->blocks.ptr + (size_t)i * 4u);
}

bool vcf_vmsg_device_present(const vcf_vmsg_devices *devices, uint32_t device_number)
{
    if (device_number < devices->offset)
        return false;
    uint32_t bit = device_number - devices->offset;
    if (bit >= devices->count || bit / 8u >= devices->bitmap.len)
        return false;
    return ((unsigned)devices->bitmap.ptr[bit / 8u] >> (bit % 8u)) & 1u;
}
