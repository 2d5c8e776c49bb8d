/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vconform Wireshark dissector: the "vconform" protocol, one capture record.
 *
 * A record is the vconform pseudo-header (docs/capture-format.md: fixed little-endian fields,
 * self-describing length) followed by one RPMsg or virtio-msg message. In the default
 * LINKTYPE_WIRESHARK_UPPER_PDU captures the exported_pdu dissector has already consumed the
 * tags and calls this dissector by name; with a LINKTYPE_USERn mapped to "vconform" in the
 * user_dlts table the record starts here too. The pseudo-header is parsed by the model
 * (vcf_capture_parse) and shown field by field from the tvb; the message goes to the "rpmsg" or
 * "virtio_msg" dissector with the parameters the record gives (vcf_capture_*_params).
 *
 * This file also holds vcf_ws_plugin_register(), which registers all three protocols.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/proto_data.h>

#include "vconform/adapter.h"
#include "vconform/capture.h"
#include "vconform_ws.h"
#include "ws_internal.h"

void proto_register_vconform(void);
void proto_reg_handoff_vconform(void);

int proto_vconform = -1;

static int hf_magic = -1;
static int hf_version = -1;
static int hf_protocol = -1;
static int hf_hdr_len = -1;
static int hf_direction = -1;
static int hf_role = -1;
static int hf_channel = -1;
static int hf_byte_order = -1;
static int hf_result = -1;
static int hf_reserved = -1;
static int hf_flags = -1;
static int hf_flags_truncated = -1;
static int hf_flags_synthesized = -1;
static int hf_flags_failed_step = -1;
static int hf_capacity = -1;
static int hf_used_len = -1;
static int hf_orig_len = -1;
static int hf_case_index = -1;
static int hf_step_index = -1;
static int hf_record_index = -1;
static int hf_case_id_offset = -1;
static int hf_case_id_len = -1;
static int hf_bus = -1;
static int hf_revision = -1;
static int hf_link_flags = -1;
static int hf_link_flags_ns_known = -1;
static int hf_link_flags_ns = -1;
static int hf_link_flags_padding = -1;
static int hf_max_msg_size = -1;
static int hf_instance = -1;
static int hf_case_id = -1;

static gint ett_vconform = -1;
static gint ett_flags = -1;
static gint ett_link_flags = -1;

static expert_field ei_bad_header = EI_INIT;
static expert_field ei_truncated = EI_INIT;
static expert_field ei_unknown_protocol = EI_INIT;

static dissector_handle_t vconform_handle;
static dissector_handle_t rpmsg_handle;
static dissector_handle_t vmsg_handle;

static const value_string vcf_ws_protocol_vals[] = {
    {VCF_CAPTURE_PROTO_UNKNOWN, "unknown"},
    {VCF_CAPTURE_PROTO_RPMSG, "RPMsg over virtio"},
    {VCF_CAPTURE_PROTO_VMSG, "virtio-msg"},
    {0, NULL},
};

static const value_string vcf_ws_direction_vals[] = {
    {VCF_CAPTURE_DIR_TO_IUT, "to the implementation (injected by the harness)"},
    {VCF_CAPTURE_DIR_FROM_IUT, "from the implementation (emitted)"},
    {0, NULL},
};

static const value_string vcf_ws_role_vals[] = {
    {VCF_IUT_NONE, "unknown"},
    {VCF_IUT_RPMSG_DRIVER, "rpmsg-driver"},
    {VCF_IUT_RPMSG_DEVICE, "rpmsg-device"},
    {VCF_IUT_VMSG_DEVICE, "virtio-msg-device"},
    {VCF_IUT_VMSG_DRIVER, "virtio-msg-driver"},
    {VCF_IUT_VMSG_BUS, "virtio-msg-bus"},
    {0, NULL},
};

static const value_string vcf_ws_order_vals[] = {
    {VCF_CAPTURE_ORDER_LE, "little-endian"},
    {VCF_CAPTURE_ORDER_BE, "big-endian"},
    {0, NULL},
};

static const value_string vcf_ws_result_vals[] = {
    {0, "pass"},        {1, "fail"},    {2, "non_strict"},
    {3, "unsupported"}, {4, "skipped"}, {VCF_CAPTURE_RESULT_NONE, "not known"},
    {0, NULL},
};

static const value_string vcf_ws_bus_vals[] = {
    {VCF_CAPTURE_BUS_UNKNOWN, "unknown"},
    {VCF_CAPTURE_BUS_HARNESS, "harness"},
    {VCF_CAPTURE_BUS_REMOTEPROC, "remoteproc"},
    {VCF_CAPTURE_BUS_VIRTIO_MMIO, "virtio-mmio"},
    {VCF_CAPTURE_BUS_VIRTIO_PCI, "virtio-pci"},
    {VCF_CAPTURE_BUS_VHOST_USER, "vhost-user"},
    {VCF_CAPTURE_BUS_FFA, "ffa"},
    {VCF_CAPTURE_BUS_AMP, "amp"},
    {VCF_CAPTURE_BUS_XEN, "xen"},
    {VCF_CAPTURE_BUS_LOOPBACK, "loopback"},
    {0, NULL},
};

static const value_string vcf_ws_revision_vals[] = {
    {0, "unknown (default pr28)"},
    {VCF_VMSG_REV_RFC3, "rfc3"},
    {VCF_VMSG_REV_PR28, "pr28"},
    {0, NULL},
};

/* ---- record info shared with the message dissectors ---------------------------------- */

const vcf_ws_record *vcf_ws_record_get(packet_info *pinfo)
{
    return p_get_proto_data(pinfo->pool, pinfo, proto_vconform, VCF_WS_RECORD_KEY);
}

void vcf_ws_info_init(vcf_ws_info *info)
{
    info->text[0] = '\0';
    info->len = 0;
}

void vcf_ws_info_addf(vcf_ws_info *info, const char *fmt, ...)
{
    if (info->len + 1 >= sizeof info->text)
        return; /* full: the column shows what fits */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(info->text + info->len, sizeof info->text - info->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        info->len += (size_t)n < sizeof info->text - info->len ? (size_t)n
                                                               : sizeof info->text - info->len - 1;
}

void vcf_ws_info_adds(vcf_ws_info *info, const char *str)
{
    size_t room = sizeof info->text - 1 - info->len;
    size_t n = strlen(str);
    if (n > room)
        n = room;
    memcpy(info->text + info->len, str, n);
    info->len += n;
    info->text[info->len] = '\0';
}

void vcf_ws_info_addu(vcf_ws_info *info, guint32 value)
{
    char digits[11];
    size_t i = sizeof digits - 1;
    digits[i] = '\0';
    do {
        digits[--i] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value);
    vcf_ws_info_adds(info, digits + i);
}

void vcf_ws_info_set(packet_info *pinfo, const vcf_ws_info *info)
{
    col_add_str(pinfo->cinfo, COL_INFO, info->text);
}

void vcf_ws_info_prefix(vcf_ws_info *info, const vcf_ws_record *rec)
{
    if (!rec)
        return;
    const char *ch = vcf_channel_name(rec->role, rec->channel);
    const char *dir = rec->direction == VCF_CAPTURE_DIR_TO_IUT     ? "\xe2\x86\x92IUT"
                      : rec->direction == VCF_CAPTURE_DIR_FROM_IUT ? "IUT\xe2\x86\x92"
                                                                   : "?";
    vcf_ws_info_adds(info, dir);
    if (ch) {
        vcf_ws_info_adds(info, " ");
        vcf_ws_info_adds(info, ch);
    } else {
        vcf_ws_info_adds(info, " ch");
        vcf_ws_info_addu(info, rec->channel);
    }
    vcf_ws_info_adds(info, " ");
}

/* The two ends of a record's message, for the Source and Destination columns: the
 * implementation's side (marked "IUT") and the side across the channel. */
static void vcf_ws_set_endpoints(packet_info *pinfo, const vcf_ws_record *rec)
{
    const char *iut = NULL, *other = NULL;
    switch (rec->role) {
    case VCF_IUT_RPMSG_DRIVER:
    case VCF_IUT_VMSG_DRIVER:
        iut = "driver (IUT)";
        other = "device";
        break;
    case VCF_IUT_RPMSG_DEVICE:
    case VCF_IUT_VMSG_DEVICE:
        iut = "device (IUT)";
        other = "driver";
        break;
    case VCF_IUT_VMSG_BUS:
        iut = "bus (IUT)";
        other = rec->channel == 0   ? "peer bus"
                : rec->channel == 1 ? "driver"
                : rec->channel == 2 ? "device"
                                    : "?";
        break;
    default: return;
    }
    const char *src = rec->direction == VCF_CAPTURE_DIR_FROM_IUT ? iut : other;
    const char *dst = rec->direction == VCF_CAPTURE_DIR_FROM_IUT ? other : iut;
    set_address(&pinfo->src, AT_STRINGZ, (int)strlen(src) + 1, src);
    set_address(&pinfo->dst, AT_STRINGZ, (int)strlen(dst) + 1, dst);
}

/* ---- the pseudo-header ---------------------------------------------------------------- */

/* Add an 8/16/32-bit little-endian field when its bytes are there. */
static void vcf_ws_add_le(proto_tree *tree, int hf, tvbuff_t *tvb, guint off, guint size,
                          guint limit)
{
    if (off + size <= limit)
        proto_tree_add_item(tree, hf, tvb, (gint)off, (gint)size, ENC_LITTLE_ENDIAN);
}

/* Every pseudo-header field whose bytes lie before limit. */
static void vcf_ws_header_fields(proto_tree *tree, tvbuff_t *tvb, guint limit, guint version)
{
    static int *const flag_bits[] = {&hf_flags_truncated, &hf_flags_synthesized,
                                     &hf_flags_failed_step, NULL};
    static int *const link_bits[] = {&hf_link_flags_ns_known, &hf_link_flags_ns,
                                     &hf_link_flags_padding, NULL};
    vcf_ws_add_le(tree, hf_magic, tvb, 0, 4, limit);
    vcf_ws_add_le(tree, hf_version, tvb, 4, 1, limit);
    vcf_ws_add_le(tree, hf_protocol, tvb, 5, 1, limit);
    vcf_ws_add_le(tree, hf_hdr_len, tvb, 6, 2, limit);
    vcf_ws_add_le(tree, hf_direction, tvb, 8, 1, limit);
    vcf_ws_add_le(tree, hf_role, tvb, 9, 1, limit);
    vcf_ws_add_le(tree, hf_channel, tvb, 10, 1, limit);
    vcf_ws_add_le(tree, hf_byte_order, tvb, 11, 1, limit);
    vcf_ws_add_le(tree, hf_result, tvb, 12, 1, limit);
    vcf_ws_add_le(tree, hf_reserved, tvb, 13, 1, limit);
    if (16 <= limit)
        proto_tree_add_bitmask(tree, tvb, 14, hf_flags, ett_flags, flag_bits, ENC_LITTLE_ENDIAN);
    vcf_ws_add_le(tree, hf_capacity, tvb, 16, 4, limit);
    vcf_ws_add_le(tree, hf_used_len, tvb, 20, 4, limit);
    vcf_ws_add_le(tree, hf_orig_len, tvb, 24, 4, limit);
    vcf_ws_add_le(tree, hf_case_index, tvb, 28, 4, limit);
    vcf_ws_add_le(tree, hf_step_index, tvb, 32, 4, limit);
    vcf_ws_add_le(tree, hf_record_index, tvb, 36, 4, limit);
    vcf_ws_add_le(tree, hf_case_id_offset, tvb, 40, 2, limit);
    vcf_ws_add_le(tree, hf_case_id_len, tvb, 42, 2, limit);
    if (version < 2)
        return;
    vcf_ws_add_le(tree, hf_bus, tvb, 44, 1, limit);
    vcf_ws_add_le(tree, hf_revision, tvb, 45, 1, limit);
    if (48 <= limit)
        proto_tree_add_bitmask(tree, tvb, 46, hf_link_flags, ett_link_flags, link_bits,
                               ENC_LITTLE_ENDIAN);
    vcf_ws_add_le(tree, hf_max_msg_size, tvb, 48, 4, limit);
    vcf_ws_add_le(tree, hf_instance, tvb, 52, 4, limit);
}

static int vcf_ws_dissect_vconform(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                                   void *data _U_)
{
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "vconform");
    col_clear(pinfo->cinfo, COL_INFO);

    const guint cap = tvb_captured_length(tvb);
    const guint8 *buf = cap ? tvb_get_ptr(tvb, 0, (gint)cap) : NULL;
    vcf_capture_view view;
    char err[256];
    err[0] = 0;
    int rc = vcf_capture_parse(VCF_CAPTURE_LINKTYPE_USER0, buf, cap, &view, err, sizeof err);

    proto_item *ti = proto_tree_add_item(tree, proto_vconform, tvb, 0,
                                         rc == 0 ? (gint)view.hdr_len : -1, ENC_NA);
    proto_tree *vt = proto_item_add_subtree(ti, ett_vconform);

    if (rc != 0) {
        /* show what can be read, say what is wrong, and hand the rest over as data */
        guint limit = cap;
        guint version = cap > 4 ? tvb_get_guint8(tvb, 4) : 0;
        if (cap >= 8) {
            guint hl = tvb_get_letohs(tvb, 6);
            if (hl >= VCF_CAPTURE_V1_FIXED_SIZE && hl < limit)
                limit = hl;
        }
        if (tree)
            vcf_ws_header_fields(vt, tvb, limit, version);
        expert_add_info_format(pinfo, ti, &ei_bad_header, "Bad vconform pseudo-header: %s", err);
        col_add_fstr(pinfo->cinfo, COL_INFO, "[bad pseudo-header: %s]", err);
        if (limit < cap)
            call_data_dissector(tvb_new_subset_remaining(tvb, (gint)limit), pinfo, tree);
        else if (cap)
            call_data_dissector(tvb, pinfo, tree);
        return (gint)tvb_captured_length(tvb);
    }

    if (tree) {
        vcf_ws_header_fields(vt, tvb, view.hdr_len, view.version);
        if (view.case_id && view.case_id_len) {
            guint id_off = (guint)((const guint8 *)view.case_id - buf);
            proto_tree_add_item(vt, hf_case_id, tvb, (gint)id_off, (gint)view.case_id_len,
                                ENC_ASCII);
        }
        proto_item_append_text(ti, ", case %u step %u record %u", view.case_index, view.step_index,
                               view.record_index);
        if (view.case_id && view.case_id_len)
            proto_item_append_text(ti, " (%s)",
                                   tvb_format_text(pinfo->pool, tvb,
                                                   (gint)((const guint8 *)view.case_id - buf),
                                                   (gint)view.case_id_len));
    }
    if (view.flags & VCF_CAPTURE_F_TRUNCATED)
        expert_add_info_format(pinfo, ti, &ei_truncated,
                               "Message cut by the capture: %u of %u bytes recorded",
                               (unsigned)view.data_len, (unsigned)view.orig_len);

    vcf_ws_record *rec = wmem_new0(pinfo->pool, vcf_ws_record);
    vcf_capture_rpmsg_params(&view, &rec->rpmsg);
    vcf_capture_vmsg_params(&view, &rec->vmsg);
    rec->direction = view.direction;
    rec->role = view.role;
    rec->channel = view.channel;
    rec->instance = view.instance;
    rec->case_index = view.case_index;
    rec->has_case = view.case_id != NULL && view.case_id_len > 0;
    if (view.direction <= VCF_CAPTURE_DIR_FROM_IUT)
        vcf_ws_set_endpoints(pinfo, rec);

    tvbuff_t *msg = tvb_new_subset_remaining(tvb, view.hdr_len);
    dissector_handle_t h = view.protocol == VCF_CAPTURE_PROTO_RPMSG  ? rpmsg_handle
                           : view.protocol == VCF_CAPTURE_PROTO_VMSG ? vmsg_handle
                                                                     : NULL;
    if (!h) {
        vcf_ws_info info;
        vcf_ws_info_init(&info);
        vcf_ws_info_prefix(&info, rec);
        vcf_ws_info_addf(&info, "protocol %u", (unsigned)view.protocol);
        vcf_ws_info_set(pinfo, &info);
        expert_add_info_format(pinfo, ti, &ei_unknown_protocol,
                               "Unknown protocol %u in the pseudo-header: message shown as data",
                               (unsigned)view.protocol);
        call_data_dissector(msg, pinfo, tree);
        return (gint)tvb_captured_length(tvb);
    }
    p_add_proto_data(pinfo->pool, pinfo, proto_vconform, VCF_WS_RECORD_KEY, rec);
    call_dissector_only(h, msg, pinfo, tree, NULL);
    p_remove_proto_data(pinfo->pool, pinfo, proto_vconform, VCF_WS_RECORD_KEY);
    return (gint)tvb_captured_length(tvb);
}

void proto_register_vconform(void)
{
    static hf_register_info hf[] = {
        {&hf_magic,
         {"Magic", "vconform.magic", FT_UINT32, BASE_HEX, NULL, 0x0,
          "0x50464356 (\"VCFP\" as bytes)", HFILL}},
        {&hf_version, {"Version", "vconform.version", FT_UINT8, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&hf_protocol,
         {"Protocol", "vconform.protocol", FT_UINT8, BASE_DEC, VALS(vcf_ws_protocol_vals), 0x0,
          NULL, HFILL}},
        {&hf_hdr_len,
         {"Header length", "vconform.hdr_len", FT_UINT16, BASE_DEC, NULL, 0x0,
          "Length of the pseudo-header; the message starts here", HFILL}},
        {&hf_direction,
         {"Direction", "vconform.direction", FT_UINT8, BASE_DEC, VALS(vcf_ws_direction_vals), 0x0,
          NULL, HFILL}},
        {&hf_role,
         {"Role of the implementation", "vconform.role", FT_UINT8, BASE_DEC, VALS(vcf_ws_role_vals),
          0x0, NULL, HFILL}},
        {&hf_channel,
         {"Channel", "vconform.channel", FT_UINT8, BASE_DEC, NULL, 0x0,
          "rpmsg: 0 vq0, 1 vq1; virtio-msg device/driver: 0 link; bus: 0 peer, 1 driver, "
          "2 device",
          HFILL}},
        {&hf_byte_order,
         {"Byte order", "vconform.byte_order", FT_UINT8, BASE_DEC, VALS(vcf_ws_order_vals), 0x0,
          NULL, HFILL}},
        {&hf_result,
         {"Case result", "vconform.result", FT_UINT8, BASE_DEC, VALS(vcf_ws_result_vals), 0x0, NULL,
          HFILL}},
        {&hf_reserved,
         {"Reserved", "vconform.reserved", FT_UINT8, BASE_HEX, NULL, 0x0, NULL, HFILL}},
        {&hf_flags, {"Flags", "vconform.flags", FT_UINT16, BASE_HEX, NULL, 0x0, NULL, HFILL}},
        {&hf_flags_truncated,
         {"Truncated", "vconform.flags.truncated", FT_BOOLEAN, 16, NULL, VCF_CAPTURE_F_TRUNCATED,
          NULL, HFILL}},
        {&hf_flags_synthesized,
         {"Synthesized", "vconform.flags.synthesized", FT_BOOLEAN, 16, NULL,
          VCF_CAPTURE_F_SYNTHESIZED, "Produced by vconform's reference model", HFILL}},
        {&hf_flags_failed_step,
         {"Failed step", "vconform.flags.failed_step", FT_BOOLEAN, 16, NULL,
          VCF_CAPTURE_F_FAILED_STEP, "Part of the step at which the case failed", HFILL}},
        {&hf_capacity,
         {"Buffer capacity", "vconform.capacity", FT_UINT32, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&hf_used_len,
         {"Used length", "vconform.used_len", FT_UINT32, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&hf_orig_len,
         {"Message length", "vconform.orig_len", FT_UINT32, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&hf_case_index,
         {"Case index", "vconform.case_index", FT_UINT32, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&hf_step_index,
         {"Step index", "vconform.step_index", FT_UINT32, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&hf_record_index,
         {"Record index", "vconform.record_index", FT_UINT32, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&hf_case_id_offset,
         {"Case ID offset", "vconform.case_id_offset", FT_UINT16, BASE_DEC, NULL, 0x0, NULL,
          HFILL}},
        {&hf_case_id_len,
         {"Case ID length", "vconform.case_id_len", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&hf_bus,
         {"Bus", "vconform.bus", FT_UINT8, BASE_DEC, VALS(vcf_ws_bus_vals), 0x0, NULL, HFILL}},
        {&hf_revision,
         {"virtio-msg revision", "vconform.revision", FT_UINT8, BASE_DEC,
          VALS(vcf_ws_revision_vals), 0x0, NULL, HFILL}},
        {&hf_link_flags,
         {"Link flags", "vconform.link_flags", FT_UINT16, BASE_HEX, NULL, 0x0, NULL, HFILL}},
        {&hf_link_flags_ns_known,
         {"NS feature known", "vconform.link_flags.ns_known", FT_BOOLEAN, 16, NULL,
          VCF_CAPTURE_L_NS_KNOWN, "Whether VIRTIO_RPMSG_F_NS was negotiated is known", HFILL}},
        {&hf_link_flags_ns,
         {"NS negotiated", "vconform.link_flags.ns", FT_BOOLEAN, 16, NULL, VCF_CAPTURE_L_NS,
          "VIRTIO_RPMSG_F_NS negotiated", HFILL}},
        {&hf_link_flags_padding,
         {"Padding allowed", "vconform.link_flags.padding", FT_BOOLEAN, 16, NULL,
          VCF_CAPTURE_L_PADDING, "The virtio-msg bus may pad messages past msg_size", HFILL}},
        {&hf_max_msg_size,
         {"Maximum message size", "vconform.max_msg_size", FT_UINT32, BASE_DEC, NULL, 0x0,
          "virtio-msg bus maximum message size, 0 none", HFILL}},
        {&hf_instance,
         {"Instance", "vconform.instance", FT_UINT32, BASE_DEC, NULL, 0x0,
          "Link or device instance", HFILL}},
        {&hf_case_id,
         {"Case ID", "vconform.case_id", FT_STRING, BASE_NONE, NULL, 0x0,
          "The vector case's stable id", HFILL}},
    };
    static gint *ett[] = {&ett_vconform, &ett_flags, &ett_link_flags};
    static ei_register_info ei[] = {
        {&ei_bad_header,
         {"vconform.bad_header", PI_MALFORMED, PI_ERROR, "Bad vconform pseudo-header", EXPFILL}},
        {&ei_truncated,
         {"vconform.truncated", PI_SEQUENCE, PI_NOTE, "Message cut by the capture", EXPFILL}},
        {&ei_unknown_protocol,
         {"vconform.unknown_protocol", PI_UNDECODED, PI_WARN, "Unknown protocol", EXPFILL}},
    };

    proto_vconform = proto_register_protocol("vconform capture record", "vconform", "vconform");
    proto_register_field_array(proto_vconform, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(expert_register_protocol(proto_vconform), ei, array_length(ei));
    vcf_ws_violations_register();
    /* by name: exported-PDU tags, the user_dlts table and Lua find it so */
    vconform_handle = register_dissector("vconform", vcf_ws_dissect_vconform, proto_vconform);

    vcf_ws_rpmsg_register();
    vcf_ws_vmsg_register();
}

void proto_reg_handoff_vconform(void)
{
    rpmsg_handle = find_dissector("rpmsg");
    vmsg_handle = find_dissector("virtio_msg");
    vcf_ws_rpmsg_handoff();
    vcf_ws_vmsg_handoff();
    /* Deliberately no dissector_add_uint("wtap_encap", WTAP_ENCAP_USERn, ...): that would take
     * the link type away from the user_dlts table for everyone (docs/wireshark.md). */
}

void vcf_ws_plugin_register(void)
{
    static proto_plugin plug;
    plug.register_protoinfo = proto_register_vconform;
    plug.register_handoff = proto_reg_handoff_vconform;
    proto_register_plugin(&plug);
}
