/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vconform Wireshark dissector: the "rpmsg" protocol, one RPMsg-over-virtio message.
 *
 * The message is parsed and checked by the model (vcf_rpmsg_parse, vcf_rpmsg_check) with the
 * parameters of the vconform record it came in, or with this protocol's preferences when it is
 * dissected on its own (a user DLT, `text2pcap -P rpmsg`). Fields come from the model's describe
 * visitor (ws_fields.c); violations from its checks (ws_violations.c).
 *
 * Payloads of data messages go to sub-dissectors: the "rpmsg.addr" table (endpoint address,
 * Decode As; tried with the destination, then the source address), then the "rpmsg.service"
 * table (the service name a name-service announcement earlier in the capture gave the address),
 * then "data".
 */
#include <stdio.h>
#include <string.h>

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto_data.h>
#include <epan/strutil.h>

#include "ws_internal.h"

int proto_rpmsg = -1;

static int hf_rpmsg_kind = -1;
static int hf_rpmsg_service = -1;
static gint ett_rpmsg = -1;

static vcf_ws_registry *rpmsg_fields;
static dissector_table_t rpmsg_addr_table;
static dissector_table_t rpmsg_service_table;

/* preferences for messages outside a vconform record */
static gint pref_byte_order = 0; /* 0 le, 1 be */
static gboolean pref_ns = TRUE;

static const enum_val_t byte_order_vals[] = {
    {"le", "Little-endian (VIRTIO_F_VERSION_1)", 0},
    {"be", "Big-endian (legacy link, big-endian driver)", 1},
    {NULL, NULL, 0},
};

/* NS-announced service names: (instance << 32 | address) -> name, per capture file */
static wmem_map_t *rpmsg_services;

/* per-frame result of the service look-up done on the first pass */
typedef struct vcf_ws_rpmsg_frame {
    const char *service; /* NULL: none known */
} vcf_ws_rpmsg_frame;

static guint64 *vcf_ws_service_key(wmem_allocator_t *scope, guint32 instance, guint32 addr)
{
    guint64 *k = wmem_new(scope, guint64);
    *k = ((guint64)instance << 32) | addr;
    return k;
}

/* Learn from, or look up in, the NS announcements (first pass only; results kept per frame). */
static const char *vcf_ws_rpmsg_service(packet_info *pinfo, const vcf_rpmsg_msg *m,
                                        guint32 instance)
{
    vcf_ws_rpmsg_frame *fd = p_get_proto_data(wmem_file_scope(), pinfo, proto_rpmsg, 0);
    if (fd)
        return fd->service;
    if (PINFO_FD_VISITED(pinfo))
        return NULL;
    fd = wmem_new0(wmem_file_scope(), vcf_ws_rpmsg_frame);
    if (m->kind == VCF_RPMSG_KIND_NS || m->kind == VCF_RPMSG_KIND_NS_EXT) {
        const uint8_t *name = m->kind == VCF_RPMSG_KIND_NS ? m->ns.name : m->ns_ext.name;
        guint32 addr = m->kind == VCF_RPMSG_KIND_NS ? m->ns.addr : m->ns_ext.addr;
        guint32 flags = m->kind == VCF_RPMSG_KIND_NS ? m->ns.flags : m->ns_ext.flags;
        guint64 key = ((guint64)instance << 32) | addr;
        if (flags & VCF_RPMSG_NS_DESTROY) {
            wmem_map_remove(rpmsg_services, &key);
        } else {
            const uint8_t *nul = memchr(name, 0, VCF_RPMSG_NAME_SIZE);
            size_t n = nul ? (size_t)(nul - name) : VCF_RPMSG_NAME_SIZE;
            char *s = wmem_strndup(wmem_file_scope(), (const char *)name, n);
            wmem_map_insert(rpmsg_services, vcf_ws_service_key(wmem_file_scope(), instance, addr),
                            s);
        }
    } else {
        guint64 key = ((guint64)instance << 32) | m->frame.hdr.dst;
        fd->service = wmem_map_lookup(rpmsg_services, &key);
        if (!fd->service) {
            key = ((guint64)instance << 32) | m->frame.hdr.src;
            fd->service = wmem_map_lookup(rpmsg_services, &key);
        }
    }
    p_add_proto_data(wmem_file_scope(), pinfo, proto_rpmsg, 0, fd);
    return fd->service;
}

static void vcf_ws_info_name(vcf_ws_info *info, packet_info *pinfo, const uint8_t *name)
{
    const uint8_t *nul = memchr(name, 0, VCF_RPMSG_NAME_SIZE);
    size_t n = nul ? (size_t)(nul - name) : VCF_RPMSG_NAME_SIZE;
    vcf_ws_info_addf(info, " \"%s\"%s", format_text(pinfo->pool, name, n),
                     nul ? "" : " (unterminated)");
}

static void vcf_ws_info_addr(vcf_ws_info *info, guint32 addr)
{
    if (addr < 0x10000u)
        vcf_ws_info_addu(info, addr);
    else
        vcf_ws_info_addf(info, "0x%x", addr);
}

static int vcf_ws_dissect_rpmsg(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    const vcf_ws_record *rec = vcf_ws_record_get(pinfo);
    vcf_rpmsg_params params;
    if (rec) {
        params = rec->rpmsg;
    } else {
        vcf_rpmsg_params_default(&params);
        params.order = pref_byte_order ? VCF_BIG_ENDIAN : VCF_LITTLE_ENDIAN;
        params.ns = pref_ns != FALSE;
    }
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "RPMsg");
    vcf_ws_info info;
    vcf_ws_info_init(&info);
    vcf_ws_info_prefix(&info, rec);

    const guint cap = tvb_captured_length(tvb);
    const guint8 *buf = cap ? tvb_get_ptr(tvb, 0, (gint)cap) : NULL;
    vcf_rpmsg_msg m;
    vcf_error perr;
    memset(&perr, 0, sizeof perr);
    int rc = vcf_rpmsg_parse(buf, cap, &params, &m, &perr);
    bool have_msg = true, perr_shown = false, have_hdr = true;
    if (rc == VCF_E_NONSTANDARD) {
        perr_shown = true; /* a recognised non-standard NS message: decoded, and flagged */
    } else if (rc != VCF_OK) {
        /* a frame whose NS payload does not read is still a frame: show it as data */
        perr_shown = true;
        vcf_error fe;
        memset(&m, 0, sizeof m);
        if (vcf_rpmsg_frame_parse(buf, cap, params.order, &m.frame, &fe) == VCF_OK) {
            m.kind = VCF_RPMSG_KIND_DATA;
        } else {
            /* not even a frame: the header alone, when its 16 bytes are there */
            have_msg = false;
            memset(&m, 0, sizeof m);
            have_hdr = vcf_rpmsg_hdr_decode(buf, cap, params.order, &m.frame.hdr, &fe) == VCF_OK;
        }
    }
    vcf_error errs[16];
    size_t nerrs = rc == VCF_OK ? vcf_rpmsg_check(&m, errs, array_length(errs)) : 0;
    if (nerrs > array_length(errs))
        nerrs = array_length(errs);

    /* a frame whose NS payload did not read was reset to a data message above */
    const char *kind = have_msg ? vcf_rpmsg_kind_name(m.kind) : NULL;

    proto_item *ti = proto_tree_add_item(tree, proto_rpmsg, tvb, 0, -1, ENC_NA);
    proto_tree *rt = proto_item_add_subtree(ti, ett_rpmsg);

    /* COL_INFO */
    const char *service = NULL;
    if (have_msg) {
        const vcf_rpmsg_hdr *h = &m.frame.hdr;
        vcf_ws_info_addr(&info, h->src);
        vcf_ws_info_adds(&info, "\xe2\x86\x92");
        vcf_ws_info_addr(&info, h->dst);
        vcf_ws_info_adds(&info, " len ");
        vcf_ws_info_addu(&info, h->len);
        if (m.kind == VCF_RPMSG_KIND_NS || m.kind == VCF_RPMSG_KIND_NS_EXT) {
            const bool ext = m.kind == VCF_RPMSG_KIND_NS_EXT;
            guint32 flags = ext ? m.ns_ext.flags : m.ns.flags;
            vcf_ws_info_addf(&info, " %s %s", ext ? "NS-ext (non-standard)" : "NS",
                             (flags & VCF_RPMSG_NS_DESTROY) ? "destroy" : "create");
            vcf_ws_info_name(&info, pinfo, ext ? m.ns_ext.name : m.ns.name);
            vcf_ws_info_adds(&info, " addr ");
            vcf_ws_info_addr(&info, ext ? m.ns_ext.addr : m.ns.addr);
        }
        if (rc == VCF_OK || rc == VCF_E_NONSTANDARD)
            service = vcf_ws_rpmsg_service(pinfo, &m, rec ? rec->instance : 0);
        if (service && m.kind == VCF_RPMSG_KIND_DATA)
            vcf_ws_info_addf(&info, " (%s)", service);
    } else if (have_hdr) {
        vcf_ws_info_addr(&info, m.frame.hdr.src);
        vcf_ws_info_adds(&info, "\xe2\x86\x92");
        vcf_ws_info_addr(&info, m.frame.hdr.dst);
        vcf_ws_info_addf(&info, " len %u (%u bytes)", (unsigned)m.frame.hdr.len, cap);
    } else {
        vcf_ws_info_addf(&info, "%u bytes", cap);
    }
    if (perr_shown)
        vcf_ws_violation_info(&info, &perr);
    for (size_t i = 0; i < nerrs; i++)
        vcf_ws_violation_info(&info, &errs[i]);
    vcf_ws_info_set(pinfo, &info);

    /* tree */
    if (tree && have_msg) {
        proto_item_append_text(ti, ", %s message", kind);
        if (rc == VCF_OK || rc == VCF_E_NONSTANDARD) {
            /* as the JSON "message" key: absent when the message does not parse */
            proto_item *ki = proto_tree_add_string(rt, hf_rpmsg_kind, tvb, 0, 0, kind);
            proto_item_set_generated(ki);
        }
        if (service) {
            proto_item *si = proto_tree_add_string(rt, hf_rpmsg_service, tvb, 0, 0, service);
            proto_item_set_generated(si);
        }
        vcf_ws_walk w;
        vcf_ws_walk_init(&w, rpmsg_fields, tvb, pinfo, rt);
        vcf_rpmsg_describe(&m, &params, vcf_ws_walk_field, &w);
    } else if (tree && have_hdr) {
        vcf_ws_walk w;
        vcf_ws_walk_init(&w, rpmsg_fields, tvb, pinfo, rt);
        w.header_only = true;
        vcf_rpmsg_describe(&m, &params, vcf_ws_walk_field, &w);
    }
    proto_tree *vtree = NULL;
    if (perr_shown)
        vcf_ws_violation_add(pinfo, rt, &vtree, NULL, tvb, &perr);
    for (size_t i = 0; i < nerrs; i++)
        vcf_ws_violation_add(pinfo, rt, &vtree, NULL, tvb, &errs[i]);

    /* the payload */
    if (have_msg && m.kind == VCF_RPMSG_KIND_DATA && m.frame.hdr.len > 0) {
        tvbuff_t *next = tvb_new_subset_length(tvb, VCF_RPMSG_HDR_SIZE, m.frame.hdr.len);
        const bool is_ns_addr = rc != VCF_OK;
        if (is_ns_addr || (!dissector_try_uint_new(rpmsg_addr_table, m.frame.hdr.dst, next, pinfo,
                                                   tree, TRUE, NULL) &&
                           !dissector_try_uint_new(rpmsg_addr_table, m.frame.hdr.src, next, pinfo,
                                                   tree, TRUE, NULL) &&
                           !(service && dissector_try_string(rpmsg_service_table, service, next,
                                                             pinfo, tree, NULL))))
            call_data_dissector(next, pinfo, tree);
    } else if (!have_msg && cap > 0) {
        call_data_dissector(tvb, pinfo, tree);
    }
    return (int)cap;
}

void vcf_ws_rpmsg_register(void)
{
    static hf_register_info hf[] = {
        {&hf_rpmsg_kind,
         {"Message kind", "rpmsg.kind", FT_STRING, BASE_NONE, NULL, 0x0,
          "data, name-service or non-standard name-service (as `vconform decode`)", HFILL}},
        {&hf_rpmsg_service,
         {"Service", "rpmsg.service_name", FT_STRING, BASE_NONE, NULL, 0x0,
          "Service name announced for this address earlier in the capture", HFILL}},
    };
    static gint *ett[] = {&ett_rpmsg};

    proto_rpmsg = proto_register_protocol("RPMsg over virtio", "RPMsg", "rpmsg");
    proto_register_field_array(proto_rpmsg, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    rpmsg_fields = vcf_ws_registry_build(proto_rpmsg, "rpmsg", vcf_rpmsg_describe_samples);
    register_dissector("rpmsg", vcf_ws_dissect_rpmsg, proto_rpmsg);

    rpmsg_addr_table = register_dissector_table("rpmsg.addr", "RPMsg endpoint address", proto_rpmsg,
                                                FT_UINT32, BASE_DEC);
    dissector_table_allow_decode_as(rpmsg_addr_table);
    rpmsg_service_table = register_dissector_table("rpmsg.service", "RPMsg service name",
                                                   proto_rpmsg, FT_STRING, BASE_NONE);

    rpmsg_services =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_int64_hash, g_int64_equal);

    module_t *mod = prefs_register_protocol(proto_rpmsg, NULL);
    prefs_register_static_text_preference(
        mod, "record_note", "Messages inside vconform capture records use the record's settings",
        "These preferences apply to RPMsg messages dissected on their own (user DLT, "
        "text2pcap -P rpmsg).");
    prefs_register_enum_preference(mod, "byte_order", "Byte order",
                                   "Byte order of the header and name-service fields",
                                   &pref_byte_order, byte_order_vals, FALSE);
    prefs_register_bool_preference(mod, "ns", "Name service (VIRTIO_RPMSG_F_NS)",
                                   "Messages to address 53 are name-service messages", &pref_ns);
}

void vcf_ws_rpmsg_handoff(void)
{
}
