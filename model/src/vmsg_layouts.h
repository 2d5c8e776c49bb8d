/* SPDX-License-Identifier: MIT */
/*
 * Internal: the wire layout of every virtio-msg message of the RFC3/PR28 wire format, written
 * once as X-macro lists. vmsg_wire.c expands them into the field tables (encoder, describe,
 * error naming) and into straight-line parse code per message kind.
 *
 * Field lists: X(name, label, payload offset, size in bytes, member of vcf_vmsg_msg.u, meaning)
 * Kind list:   K(kind, name, type bits, msg_id, field list, field table, tail), every message the
 *              revisions define; implementation-defined messages (opaque payload) are not listed.
 */
#ifndef VCF_VMSG_LAYOUTS_H
#define VCF_VMSG_LAYOUTS_H

/* clang-format off */
#define VCF_FIELDS_NONE(X)

#define VCF_FIELDS_DEVICE_INFO(X)                                                                  \
    X("device_id", "Device ID", 0, 4, device_info.device_id, VCF_MEAN_DEVICE_ID)                   \
    X("vendor_id", "Vendor ID", 4, 4, device_info.vendor_id, VCF_MEAN_HEX)                         \
    X("num_feature_bits", "Number of feature bits", 8, 4, device_info.num_feature_bits, 0)         \
    X("config_size", "Config space size", 12, 4, device_info.config_size, 0)                       \
    X("max_virtqueues", "Maximum virtqueues", 16, 4, device_info.max_virtqueues, 0)                \
    X("admin_vq_start", "First admin virtqueue", 20, 2, device_info.admin_vq_start, 0)             \
    X("admin_vq_count", "Admin virtqueues", 22, 2, device_info.admin_vq_count, 0)

#define VCF_FIELDS_FEATURES(X)                                                                     \
    X("block_index", "First feature block", 0, 4, features.block_index, 0)                         \
    X("num_blocks", "Number of blocks", 4, 4, features.num_blocks, 0)

#define VCF_FIELDS_GET_CONFIG_REQ(X)                                                               \
    X("offset", "Config offset", 0, 4, config.offset, 0)                                           \
    X("length", "Length", 4, 4, config.length, 0)

#define VCF_FIELDS_CONFIG(X)                                                                       \
    X("generation", "Config generation", 0, 4, config.generation, 0)                              \
    X("offset", "Config offset", 4, 4, config.offset, 0)                                           \
    X("length", "Length", 8, 4, config.length, 0)

#define VCF_FIELDS_STATUS(X)                                                                       \
    X("status", "Device status", 0, 4, status, VCF_MEAN_STATUS)

#define VCF_FIELDS_INDEX(X)                                                                        \
    X("index", "Index", 0, 4, index, 0)

#define VCF_FIELDS_VQ_INDEX(X)                                                                     \
    X("vq_index", "Virtqueue index", 0, 4, index, 0)

#define VCF_FIELDS_VQUEUE(X)                                                                       \
    X("index", "Virtqueue index", 0, 4, vqueue.index, 0)                                           \
    X("max_size", "Maximum size", 4, 4, vqueue.max_size, 0)                                        \
    X("cur_size", "Current size", 8, 4, vqueue.cur_size, 0)                                        \
    X("reserved", "Reserved", 12, 4, vqueue.reserved, VCF_MEAN_HEX)                                \
    X("desc_addr", "Descriptor area", 16, 8, vqueue.desc_addr, VCF_MEAN_HEX)                       \
    X("driver_addr", "Driver area", 24, 8, vqueue.driver_addr, VCF_MEAN_HEX)                       \
    X("device_addr", "Device area", 32, 8, vqueue.device_addr, VCF_MEAN_HEX)

#define VCF_FIELDS_SET_VQUEUE(X)                                                                   \
    X("index", "Virtqueue index", 0, 4, set_vqueue.index, 0)                                       \
    X("reserved0", "Reserved", 4, 4, set_vqueue.reserved0, VCF_MEAN_HEX)                           \
    X("size", "Size", 8, 4, set_vqueue.size, 0)                                                    \
    X("reserved1", "Reserved", 12, 4, set_vqueue.reserved1, VCF_MEAN_HEX)                          \
    X("desc_addr", "Descriptor area", 16, 8, set_vqueue.desc_addr, VCF_MEAN_HEX)                   \
    X("driver_addr", "Driver area", 24, 8, set_vqueue.driver_addr, VCF_MEAN_HEX)                   \
    X("device_addr", "Device area", 32, 8, set_vqueue.device_addr, VCF_MEAN_HEX)

#define VCF_FIELDS_SHM(X)                                                                          \
    X("index", "Region index", 0, 4, shm.index, 0)                                                 \
    X("length", "Region length", 4, 4, shm.length, 0)                                              \
    X("address", "Region address", 8, 4, shm.address, VCF_MEAN_HEX)

#define VCF_FIELDS_EVENT_CONFIG(X)                                                                 \
    X("device_status", "Device status", 0, 4, event_config.device_status, VCF_MEAN_STATUS)        \
    X("generation", "Config generation", 4, 4, event_config.generation, 0)                         \
    X("offset", "Config offset", 8, 4, event_config.offset, 0)                                     \
    X("length", "Length", 12, 4, event_config.length, 0)

#define VCF_FIELDS_EVENT_AVAIL(X)                                                                  \
    X("vq_index", "Virtqueue index", 0, 4, event_avail.vq_index, 0)                                \
    X("next_offset", "Next offset and wrap", 4, 4, event_avail.next_offset, VCF_MEAN_NEXT_OFFSET)

#define VCF_FIELDS_GET_DEVICES_REQ(X)                                                              \
    X("offset", "First device number", 0, 2, devices.offset, 0)                                   \
    X("count", "Window length", 2, 2, devices.count, 0)

#define VCF_FIELDS_GET_DEVICES_RESP(X)                                                             \
    X("offset", "First device number", 0, 2, devices.offset, 0)                                   \
    X("count", "Window length", 2, 2, devices.count, 0)                                            \
    X("next_offset", "Next window", 4, 2, devices.next_offset, 0)

#define VCF_FIELDS_PING(X)                                                                         \
    X("data", "Data", 0, 4, ping, VCF_MEAN_HEX)

#define VCF_FIELDS_EVENT_DEVICE(X)                                                                 \
    X("device_number", "Device number", 0, 2, event_device.device_number, 0)                       \
    X("device_bus_state", "Device bus state", 2, 2, event_device.state, VCF_MEAN_BUS_STATE)

#define VCF_TREQ 0x00u
#define VCF_TRESP VCF_VMSG_TYPE_RESPONSE
#define VCF_BREQ VCF_VMSG_TYPE_BUS
#define VCF_BRESP (VCF_VMSG_TYPE_BUS | VCF_VMSG_TYPE_RESPONSE)

#define VCF_VMSG_KINDS(K)                                                                          \
    K(VCF_VMSG_K_GET_DEVICE_INFO_REQ, "GET_DEVICE_INFO", VCF_TREQ, VCF_VMSG_GET_DEVICE_INFO,       \
      VCF_FIELDS_NONE, NULL, VCF_TAIL_NONE)                                                        \
    K(VCF_VMSG_K_GET_DEVICE_INFO_RESP, "GET_DEVICE_INFO", VCF_TRESP, VCF_VMSG_GET_DEVICE_INFO,     \
      VCF_FIELDS_DEVICE_INFO, f_device_info, VCF_TAIL_NONE)                                        \
    K(VCF_VMSG_K_GET_DEVICE_FEATURES_REQ, "GET_DEVICE_FEATURES", VCF_TREQ,                         \
      VCF_VMSG_GET_DEVICE_FEATURES, VCF_FIELDS_FEATURES, f_features, VCF_TAIL_NONE)                \
    K(VCF_VMSG_K_GET_DEVICE_FEATURES_RESP, "GET_DEVICE_FEATURES", VCF_TRESP,                       \
      VCF_VMSG_GET_DEVICE_FEATURES, VCF_FIELDS_FEATURES, f_features, VCF_TAIL_FEATURES)            \
    K(VCF_VMSG_K_SET_DRIVER_FEATURES_REQ, "SET_DRIVER_FEATURES", VCF_TREQ,                         \
      VCF_VMSG_SET_DRIVER_FEATURES, VCF_FIELDS_FEATURES, f_features, VCF_TAIL_FEATURES)            \
    K(VCF_VMSG_K_SET_DRIVER_FEATURES_RESP, "SET_DRIVER_FEATURES", VCF_TRESP,                       \
      VCF_VMSG_SET_DRIVER_FEATURES, VCF_FIELDS_NONE, NULL, VCF_TAIL_NONE)                          \
    K(VCF_VMSG_K_GET_CONFIG_REQ, "GET_CONFIG", VCF_TREQ, VCF_VMSG_GET_CONFIG,                      \
      VCF_FIELDS_GET_CONFIG_REQ, f_get_config_req, VCF_TAIL_NONE)                                  \
    K(VCF_VMSG_K_GET_CONFIG_RESP, "GET_CONFIG", VCF_TRESP, VCF_VMSG_GET_CONFIG,                    \
      VCF_FIELDS_CONFIG, f_config, VCF_TAIL_CONFIG)                                                \
    K(VCF_VMSG_K_SET_CONFIG_REQ, "SET_CONFIG", VCF_TREQ, VCF_VMSG_SET_CONFIG,                      \
      VCF_FIELDS_CONFIG, f_config, VCF_TAIL_CONFIG)                                                \
    K(VCF_VMSG_K_SET_CONFIG_RESP, "SET_CONFIG", VCF_TRESP, VCF_VMSG_SET_CONFIG,                    \
      VCF_FIELDS_CONFIG, f_config, VCF_TAIL_CONFIG_OPT)                                            \
    K(VCF_VMSG_K_GET_DEVICE_STATUS_REQ, "GET_DEVICE_STATUS", VCF_TREQ,                             \
      VCF_VMSG_GET_DEVICE_STATUS, VCF_FIELDS_NONE, NULL, VCF_TAIL_NONE)                            \
    K(VCF_VMSG_K_GET_DEVICE_STATUS_RESP, "GET_DEVICE_STATUS", VCF_TRESP,                           \
      VCF_VMSG_GET_DEVICE_STATUS, VCF_FIELDS_STATUS, f_status, VCF_TAIL_NONE)                      \
    K(VCF_VMSG_K_SET_DEVICE_STATUS_REQ, "SET_DEVICE_STATUS", VCF_TREQ,                             \
      VCF_VMSG_SET_DEVICE_STATUS, VCF_FIELDS_STATUS, f_status, VCF_TAIL_NONE)                      \
    K(VCF_VMSG_K_SET_DEVICE_STATUS_RESP, "SET_DEVICE_STATUS", VCF_TRESP,                           \
      VCF_VMSG_SET_DEVICE_STATUS, VCF_FIELDS_STATUS, f_status, VCF_TAIL_NONE)                      \
    K(VCF_VMSG_K_GET_VQUEUE_REQ, "GET_VQUEUE", VCF_TREQ, VCF_VMSG_GET_VQUEUE,                      \
      VCF_FIELDS_INDEX, f_index, VCF_TAIL_NONE)                                                    \
    K(VCF_VMSG_K_GET_VQUEUE_RESP, "GET_VQUEUE", VCF_TRESP, VCF_VMSG_GET_VQUEUE,                    \
      VCF_FIELDS_VQUEUE, f_vqueue, VCF_TAIL_NONE)                                                  \
    K(VCF_VMSG_K_SET_VQUEUE_REQ, "SET_VQUEUE", VCF_TREQ, VCF_VMSG_SET_VQUEUE,                      \
      VCF_FIELDS_SET_VQUEUE, f_set_vqueue, VCF_TAIL_NONE)                                          \
    K(VCF_VMSG_K_SET_VQUEUE_RESP, "SET_VQUEUE", VCF_TRESP, VCF_VMSG_SET_VQUEUE,                    \
      VCF_FIELDS_NONE, NULL, VCF_TAIL_NONE)                                                        \
    K(VCF_VMSG_K_RESET_VQUEUE_REQ, "RESET_VQUEUE", VCF_TREQ, VCF_VMSG_RESET_VQUEUE,                \
      VCF_FIELDS_INDEX, f_index, VCF_TAIL_NONE)                                                    \
    K(VCF_VMSG_K_RESET_VQUEUE_RESP, "RESET_VQUEUE", VCF_TRESP, VCF_VMSG_RESET_VQUEUE,              \
      VCF_FIELDS_NONE, NULL, VCF_TAIL_NONE)                                                        \
    K(VCF_VMSG_K_GET_SHM_REQ, "GET_SHM", VCF_TREQ, VCF_VMSG_GET_SHM,                               \
      VCF_FIELDS_INDEX, f_index, VCF_TAIL_NONE)                                                    \
    K(VCF_VMSG_K_GET_SHM_RESP, "GET_SHM", VCF_TRESP, VCF_VMSG_GET_SHM,                             \
      VCF_FIELDS_SHM, f_shm, VCF_TAIL_NONE)                                                        \
    K(VCF_VMSG_K_EVENT_CONFIG, "EVENT_CONFIG", VCF_TREQ, VCF_VMSG_EVENT_CONFIG,                    \
      VCF_FIELDS_EVENT_CONFIG, f_event_config, VCF_TAIL_EVENT_CONFIG)                              \
    K(VCF_VMSG_K_EVENT_AVAIL, "EVENT_AVAIL", VCF_TREQ, VCF_VMSG_EVENT_AVAIL,                       \
      VCF_FIELDS_EVENT_AVAIL, f_event_avail, VCF_TAIL_NONE)                                        \
    K(VCF_VMSG_K_EVENT_USED, "EVENT_USED", VCF_TREQ, VCF_VMSG_EVENT_USED,                          \
      VCF_FIELDS_VQ_INDEX, f_vq_index, VCF_TAIL_NONE)                                              \
    K(VCF_VMSG_K_BUS_GET_DEVICES_REQ, "GET_DEVICES", VCF_BREQ, VCF_VMSG_BUS_GET_DEVICES,           \
      VCF_FIELDS_GET_DEVICES_REQ, f_get_devices_req, VCF_TAIL_NONE)                                \
    K(VCF_VMSG_K_BUS_GET_DEVICES_RESP, "GET_DEVICES", VCF_BRESP, VCF_VMSG_BUS_GET_DEVICES,         \
      VCF_FIELDS_GET_DEVICES_RESP, f_get_devices_resp, VCF_TAIL_BITMAP)                            \
    K(VCF_VMSG_K_BUS_PING_REQ, "PING", VCF_BREQ, VCF_VMSG_BUS_PING,                                \
      VCF_FIELDS_PING, f_ping, VCF_TAIL_NONE)                                                      \
    K(VCF_VMSG_K_BUS_PING_RESP, "PING", VCF_BRESP, VCF_VMSG_BUS_PING,                              \
      VCF_FIELDS_PING, f_ping, VCF_TAIL_NONE)                                                      \
    K(VCF_VMSG_K_BUS_EVENT_DEVICE, "EVENT_DEVICE", VCF_BREQ, VCF_VMSG_BUS_EVENT_DEVICE,            \
      VCF_FIELDS_EVENT_DEVICE, f_event_device, VCF_TAIL_NONE)

/* The distinct field tables, one per field list (kinds may share one). */
#define VCF_VMSG_FIELD_TABLES(T)                                                                   \
    T(f_device_info, VCF_FIELDS_DEVICE_INFO)                                                       \
    T(f_features, VCF_FIELDS_FEATURES)                                                             \
    T(f_get_config_req, VCF_FIELDS_GET_CONFIG_REQ)                                                 \
    T(f_config, VCF_FIELDS_CONFIG)                                                                 \
    T(f_status, VCF_FIELDS_STATUS)                                                                 \
    T(f_index, VCF_FIELDS_INDEX)                                                                   \
    T(f_vq_index, VCF_FIELDS_VQ_INDEX)                                                             \
    T(f_vqueue, VCF_FIELDS_VQUEUE)                                                                 \
    T(f_set_vqueue, VCF_FIELDS_SET_VQUEUE)                                                         \
    T(f_shm, VCF_FIELDS_SHM)                                                                       \
    T(f_event_config, VCF_FIELDS_EVENT_CONFIG)                                                     \
    T(f_event_avail, VCF_FIELDS_EVENT_AVAIL)                                                       \
    T(f_get_devices_req, VCF_FIELDS_GET_DEVICES_REQ)                                               \
    T(f_get_devices_resp, VCF_FIELDS_GET_DEVICES_RESP)                                             \
    T(f_ping, VCF_FIELDS_PING)                                                                     \
    T(f_event_device, VCF_FIELDS_EVENT_DEVICE)
/* clang-format on */

#endif /* VCF_VMSG_LAYOUTS_H */
