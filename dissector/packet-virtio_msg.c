/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vconform Wireshark dissector: the "virtio_msg" protocol, one virtio-msg message (transport or
 * bus).
 *
 * Parsed and checked by the model (vcf_vmsg_parse, vcf_vmsg_check) with the parameters of the
 * vconform record it came in, or with this protocol's preferences when dissected on its own.
 * Requests and responses are paired on the first pass by (instance, case when the record names
 * one, channel, dev_num, token, msg_id, bus bit); when a token repeats, the latest unanswered
 * request wins. The result is kept per frame and shown as virtio_msg.response_in / response_to /
 * response_time.
 */
#include <stdio.h>
#include <string.h>

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto_data.h>
#include <wsutil/nstime.h>

#include "ws_internal.h"

int proto_virtio_msg = -1;

static int hf_vmsg_kind = -1;
static int hf_vmsg_response_in = -1;
static int hf_vmsg_response_to = -1;
static int hf_vmsg_response_time = -1;
static gint ett_vmsg = -1;

static vcf_ws_registry *vmsg_fields;

/* preferences for messages outside a vconform record */
static gint pref_revision = VCF_VMSG_REV_PR28;
static gboolean pref_allow_padding = FALSE;
static guint pref_max_msg_size = 0;

static const enum_val_t revision_vals[] = {
    {"pr28", "PR28 draft (December 2025)", VCF_VMSG_REV_PR28},
    {"rfc3", "RFC v3 (November 2025)", VCF_VMSG_REV_RFC3},
    {NULL, NULL, 0},
};

/* ---- request/response pairing ------------------------------------------------------- */

typedef struct vcf_ws_vmsg_key {
    guint32 instance;
    guint32 case_index;
    guint32 channel;
    guint16 dev_num;
    guint16 token;
    guint8 msg_id;
    guint8 bus;
    guint8 has_case;
} vcf_ws_vmsg_key;

typedef struct vcf_ws_vmsg_pair {
    guint32 req_frame;  /* 0: none */
    guint32 resp_frame; /* 0: none (yet) */
    nstime_t req_ts;
    nstime_t delta; /* response time, valid with both frames */
} vcf_ws_vmsg_pair;

/* key -> the latest unanswered request (vcf_ws_vmsg_pair *) */
static wmem_map_t *vmsg_pending;

static guint vcf_ws_vmsg_key_hash(gconstpointer p)
{
    const vcf_ws_vmsg_key *k = p;
    guint h = k->instance;
    h = h * 31u + k->case_index;
    h = h * 31u + k->channel;
    h = h * 31u + k->dev_num;
    h = h * 31u + k->token;
    h = h * 31u + k->msg_id;
    h = h * 31u + (guint)(k->bus | (k->has_case << 1));
    return h;
}

static gboolean vcf_ws_vmsg_key_equal(gconstpointer a, gconstpointer b)
{
    const vcf_ws_vmsg_key *x = a, *y = b;
    return x->instance == y->instance && x->case_index == y->case_index &&
           x->channel == y->channel && x->dev_num == y->dev_num && x->token == y->token &&
           x->msg_id == y->msg_id && x->bus == y->bus && x->has_case == y->has_case;
}

/* The pairing of this frame: computed on the first pass, then read back. */
static vcf_ws_vmsg_pair *vcf_ws_vmsg_pairing(packet_info *pinfo, const vcf_ws_record *rec,
                                             const vcf_vmsg_hdr *h, const vcf_vmsg_class *cls)
{
    vcf_ws_vmsg_pair *pair = p_get_proto_data(wmem_file_scope(), pinfo, proto_virtio_msg, 0);
    if (pair || PINFO_FD_VISITED(pinfo))
        return pair;
    const bool request = !cls->response && !cls->event;
    if (!request && !cls->response)
        return NULL; /* events are not paired */
    vcf_ws_vmsg_key key;
    memset(&key, 0, sizeof key);
    key.instance = rec ? rec->instance : 0;
    key.has_case = rec && rec->has_case;
    key.case_index = key.has_case ? rec->case_index : 0;
    key.channel = rec ? rec->channel : 0; /* a bus relays one request over two links */
    key.dev_num = h->dev_num;
    key.token = h->token;
    key.msg_id = h->msg_id;
    key.bus = (h->type & VCF_VMSG_TYPE_BUS) ? 1 : 0;
    if (request) {
        /* one allocation holds both the map's key and the pairing */
        struct {
            vcf_ws_vmsg_key key;
            vcf_ws_vmsg_pair pair;
        } *e = wmem_alloc0(wmem_file_scope(), sizeof *e);
        e->key = key;
        pair = &e->pair;
        pair->req_frame = pinfo->num;
        pair->req_ts = pinfo->abs_ts;
        wmem_map_insert(vmsg_pending, &e->key, pair); /* a repeated token replaces the older one */
    } else {
        pair = wmem_map_lookup(vmsg_pending, &key);
        if (pair && pair->resp_frame == 0) {
            pair->resp_frame = pinfo->num;
            nstime_delta(&pair->delta, &pinfo->abs_ts, &pair->req_ts);
            wmem_map_remove(vmsg_pending, &key);
        } else {
            pair = wmem_new0(wmem_file_scope(), vcf_ws_vmsg_pair); /* unanswerable */
        }
    }
    p_add_proto_data(wmem_file_scope(), pinfo, proto_virtio_msg, 0, pair);
    return pair;
}

/* ---- dissection ----------------------------------------------------------------------- */

static int vcf_ws_dissect_vmsg(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    const vcf_ws_record *rec = vcf_ws_record_get(pinfo);
    vcf_vmsg_params params;
    if (rec) {
        params = rec->vmsg;
    } else {
        vcf_vmsg_params_default(&params);
        params.rev = (vcf_vmsg_rev)pref_revision;
        params.allow_padding = pref_allow_padding != FALSE;
        params.max_msg_size = pref_max_msg_size;
    }
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "virtio-msg");
    vcf_ws_info info;
    vcf_ws_info_init(&info);
    vcf_ws_info_prefix(&info, rec);

    const guint cap = tvb_captured_length(tvb);
    const guint8 *buf = cap ? tvb_get_ptr(tvb, 0, (gint)cap) : NULL;
    vcf_vmsg_msg m;
    vcf_error perr;
    memset(&perr, 0, sizeof perr);
    int rc = vcf_vmsg_parse(buf, cap, &params, &m, &perr);
    bool have_hdr = true;
    if (rc != VCF_OK) {
        /* show the header when its bytes are there */
        memset(&m, 0, sizeof m);
        if (cap >= VCF_VMSG_HDR_SIZE) {
            m.hdr.type = tvb_get_guint8(tvb, 0);
            m.hdr.msg_id = tvb_get_guint8(tvb, 1);
            m.hdr.dev_num = tvb_get_letohs(tvb, 2);
            m.hdr.token = tvb_get_letohs(tvb, 4);
            m.hdr.msg_size = tvb_get_letohs(tvb, 6);
        } else {
            have_hdr = false;
        }
    }
    vcf_error errs[16];
    size_t nerrs = rc == VCF_OK ? vcf_vmsg_check(&m, &params, errs, array_length(errs)) : 0;
    if (nerrs > array_length(errs))
        nerrs = array_length(errs);

    char summary[96];
    summary[0] = 0;
    if (rc == VCF_OK)
        vcf_vmsg_msg_name(&m, summary, sizeof summary);

    proto_item *ti = proto_tree_add_item(tree, proto_virtio_msg, tvb, 0, -1, ENC_NA);
    proto_tree *vt = proto_item_add_subtree(ti, ett_vmsg);

    /* COL_INFO */
    vcf_ws_vmsg_pair *pair = NULL;
    if (have_hdr) {
        vcf_vmsg_class cls;
        int crc = vcf_vmsg_classify(m.hdr.type, m.hdr.msg_id, params.rev, &cls);
        const bool bus = (m.hdr.type & VCF_VMSG_TYPE_BUS) != 0;
        if (rc == VCF_OK) {
            if (bus)
                vcf_ws_info_adds(&info, "bus ");
            vcf_ws_info_adds(&info, summary);
        } else
            vcf_ws_info_addf(&info, "%s msg_id 0x%02x type 0x%02x", bus ? "bus" : "transport",
                             m.hdr.msg_id, m.hdr.type);
        if (!bus) {
            vcf_ws_info_adds(&info, " dev ");
            vcf_ws_info_addu(&info, m.hdr.dev_num);
        }
        vcf_ws_info_adds(&info, " token ");
        vcf_ws_info_addu(&info, m.hdr.token);
        if (crc != VCF_E_INVAL && rc == VCF_OK)
            pair = vcf_ws_vmsg_pairing(pinfo, rec, &m.hdr, &cls);
    } else {
        vcf_ws_info_addf(&info, "%u bytes", cap);
    }
    if (rc != VCF_OK)
        vcf_ws_violation_info(&info, &perr);
    for (size_t i = 0; i < nerrs; i++)
        vcf_ws_violation_info(&info, &errs[i]);
    vcf_ws_info_set(pinfo, &info);

    if (tree && have_hdr) {
        if (rc == VCF_OK) {
            proto_item_append_text(ti, ", %s", summary);
            proto_item *ki = proto_tree_add_string(vt, hf_vmsg_kind, tvb, 0, 0, summary);
            proto_item_set_generated(ki);
        }
        vcf_ws_walk w;
        vcf_ws_walk_init(&w, vmsg_fields, tvb, pinfo, vt);
        vcf_vmsg_describe(&m, &params, vcf_ws_walk_field, &w);
    }
    if (tree && pair) {
        proto_item *pi;
        if (pair->req_frame == pinfo->num && pair->resp_frame) {
            pi = proto_tree_add_uint(vt, hf_vmsg_response_in, tvb, 0, 0, pair->resp_frame);
            proto_item_set_generated(pi);
        } else if (pair->resp_frame == pinfo->num && pair->req_frame) {
            pi = proto_tree_add_uint(vt, hf_vmsg_response_to, tvb, 0, 0, pair->req_frame);
            proto_item_set_generated(pi);
            pi = proto_tree_add_time(vt, hf_vmsg_response_time, tvb, 0, 0, &pair->delta);
            proto_item_set_generated(pi);
        }
    }
    proto_tree *vtree = NULL;
    if (rc != VCF_OK)
        vcf_ws_violation_add(pinfo, vt, &vtree, NULL, tvb, &perr);
    for (size_t i = 0; i < nerrs; i++)
        vcf_ws_violation_add(pinfo, vt, &vtree, NULL, tvb, &errs[i]);
    if (!have_hdr && cap > 0)
        call_data_dissector(tvb, pinfo, tree);
    return (int)cap;
}

void vcf_ws_vmsg_register(void)
{
    static hf_register_info hf[] = {
        {&hf_vmsg_kind,
         {"Message kind", "virtio_msg.kind", FT_STRING, BASE_NONE, NULL, 0x0,
          "Message name and direction (as `vconform decode`)", HFILL}},
        {&hf_vmsg_response_in,
         {"Response in", "virtio_msg.response_in", FT_FRAMENUM, BASE_NONE,
          FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, "The frame holding the response", HFILL}},
        {&hf_vmsg_response_to,
         {"Response to", "virtio_msg.response_to", FT_FRAMENUM, BASE_NONE,
          FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "The frame holding the request", HFILL}},
        {&hf_vmsg_response_time,
         {"Response time", "virtio_msg.response_time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "Time between the request and this response", HFILL}},
    };
    static gint *ett[] = {&ett_vmsg};

    proto_virtio_msg = proto_register_protocol("virtio-msg", "virtio-msg", "virtio_msg");
    proto_register_field_array(proto_virtio_msg, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    vmsg_fields = vcf_ws_registry_build(proto_virtio_msg, "virtio_msg", vcf_vmsg_describe_samples);
    register_dissector("virtio_msg", vcf_ws_dissect_vmsg, proto_virtio_msg);

    vmsg_pending = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(),
                                          vcf_ws_vmsg_key_hash, vcf_ws_vmsg_key_equal);

    module_t *mod = prefs_register_protocol(proto_virtio_msg, NULL);
    prefs_register_static_text_preference(
        mod, "record_note", "Messages inside vconform capture records use the record's settings",
        "These preferences apply to virtio-msg messages dissected on their own (user DLT, "
        "text2pcap -P virtio_msg).");
    prefs_register_enum_preference(mod, "revision", "Specification revision",
                                   "Draft of the virtio-msg specification to check against",
                                   &pref_revision, revision_vals, FALSE);
    prefs_register_bool_preference(mod, "allow_padding", "Allow bus padding",
                                   "Bytes past msg_size are bus padding (must be zero) rather "
                                   "than trailing garbage",
                                   &pref_allow_padding);
    prefs_register_uint_preference(mod, "max_msg_size", "Maximum message size",
                                   "The bus maximum message size to check against (0: none)", 10,
                                   &pref_max_msg_size);
}

void vcf_ws_vmsg_handoff(void)
{
}
