/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vconform Wireshark dissector: violations and expert info.
 *
 * Every error the model reports for a message (a structural parse error, or each result of
 * vcf_*_check()) becomes one entry of the message's "Violations" subtree and one expert item.
 * There is one expert item per catalogue rule ("vconform.rule.rpmsg_hdr_05"), with the rule's
 * level as severity (MUST error, SHOULD warning, MAY and IMPL note), so that
 * `tshark -z expert` and Wireshark's Expert Information dialog group findings by rule.
 * Structural errors are PI_MALFORMED / PI_ERROR.
 */
#include <stdio.h>
#include <string.h>

#include <epan/expert.h>
#include <epan/proto.h>

#include "vconform/rules.h"
#include "ws_internal.h"

static int hf_violation = -1;
static int hf_violation_code = -1;
static int hf_violation_class = -1;
static int hf_violation_field = -1;
static int hf_violation_offset = -1;
static int hf_rule = -1;
static gint ett_violations = -1;
static gint ett_violation = -1;

static expert_field ei_malformed = EI_INIT;
static expert_field ei_nonstandard = EI_INIT;
static expert_field ei_unlisted = EI_INIT;

/* rule ID -> expert_field * */
static GHashTable *vcf_ws_rule_ei;

void vcf_ws_violations_register(void)
{
    static hf_register_info hf[] = {
        {&hf_violation,
         {"Violation", "vconform.violation", FT_STRING, BASE_NONE, NULL, 0x0,
          "A problem the vconform model found in the message", HFILL}},
        {&hf_violation_code,
         {"Code", "vconform.violation.code", FT_STRING, BASE_NONE, NULL, 0x0,
          "vcf_status name of the problem (\"reserved\", \"truncated\", ...)", HFILL}},
        {&hf_violation_class,
         {"Class", "vconform.violation.class", FT_STRING, BASE_NONE, NULL, 0x0,
          "structural (the bytes cannot be read as the message) or rule", HFILL}},
        {&hf_violation_field,
         {"Field", "vconform.violation.field", FT_STRING, BASE_NONE, NULL, 0x0,
          "Wire field the problem is about", HFILL}},
        {&hf_violation_offset,
         {"Offset", "vconform.violation.offset", FT_UINT32, BASE_DEC, NULL, 0x0,
          "Byte offset of the field from the start of the message", HFILL}},
        {&hf_rule,
         {"Rule", "vconform.rule", FT_STRING, BASE_NONE, NULL, 0x0,
          "Catalogue ID of the rule broken (vconform rules show ID)", HFILL}},
    };
    static gint *ett[] = {&ett_violations, &ett_violation};
    static ei_register_info ei[] = {
        {&ei_malformed,
         {"vconform.malformed", PI_MALFORMED, PI_ERROR, "Malformed message", EXPFILL}},
        {&ei_nonstandard,
         {"vconform.nonstandard", PI_MALFORMED, PI_ERROR,
          "Recognised non-standard message (not a valid standard message)", EXPFILL}},
        {&ei_unlisted,
         {"vconform.violation.unlisted", PI_PROTOCOL, PI_WARN,
          "Rule violation without a catalogue ID", EXPFILL}},
    };
    proto_register_field_array(proto_vconform, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *em = expert_register_protocol(proto_vconform);
    expert_register_field_array(em, ei, array_length(ei));

    /* one expert item per catalogue rule; the arrays live as long as the program */
    vcf_ws_rule_ei = g_hash_table_new(g_str_hash, g_str_equal);
    const vcf_catalogue *const *cats = vcf_catalogues();
    size_t total = 0;
    for (size_t c = 0; cats[c]; c++)
        total += cats[c]->count;
    ei_register_info *rei = g_new0(ei_register_info, total ? total : 1u);
    expert_field *fields = g_new0(expert_field, total ? total : 1u);
    size_t n = 0;
    for (size_t c = 0; cats[c]; c++) {
        for (size_t i = 0; i < cats[c]->count; i++) {
            const vcf_rule *r = &cats[c]->rules[i];
            if (g_hash_table_contains(vcf_ws_rule_ei, r->id))
                continue;
            char *abbrev = g_ascii_strdown(r->id, -1);
            for (char *p = abbrev; *p; p++)
                if (!g_ascii_isalnum(*p))
                    *p = '_';
            int severity = r->level == VCF_LEVEL_MUST     ? PI_ERROR
                           : r->level == VCF_LEVEL_SHOULD ? PI_WARN
                                                          : PI_NOTE;
            fields[n].ei = EI_INIT_EI;
            fields[n].hf = EI_INIT_HF;
            rei[n].ids = &fields[n];
            rei[n].eiinfo.name = g_strdup_printf("vconform.rule.%s", abbrev);
            rei[n].eiinfo.group = PI_PROTOCOL;
            rei[n].eiinfo.severity = severity;
            rei[n].eiinfo.summary =
                g_strdup_printf("%s %s: %s", r->id, vcf_rule_level_name(r->level), r->title);
            rei[n].eiinfo.id = 0;
            rei[n].eiinfo.protocol = NULL;
            rei[n].eiinfo.orig_severity = 0;
            rei[n].eiinfo.hf_info.p_id = NULL;
            rei[n].eiinfo.hf_info.hfinfo.name = NULL;
            rei[n].eiinfo.hf_info.hfinfo.abbrev = NULL;
            rei[n].eiinfo.hf_info.hfinfo.type = FT_NONE;
            rei[n].eiinfo.hf_info.hfinfo.display = BASE_NONE;
            rei[n].eiinfo.hf_info.hfinfo.id = -1;
            rei[n].eiinfo.hf_info.hfinfo.same_name_prev_id = -1;
            g_free(abbrev);
            g_hash_table_insert(vcf_ws_rule_ei, (gpointer)r->id, &fields[n]);
            n++;
        }
    }
    expert_register_field_array(em, rei, (int)n);
}

static const char *vcf_ws_class(int code)
{
    return vcf_status_is_structural(code) ? "structural"
           : vcf_status_is_rule(code)     ? "rule"
                                          : "other";
}

static expert_field *vcf_ws_error_ei(const vcf_error *err)
{
    if (err->code == VCF_E_NONSTANDARD)
        return &ei_nonstandard;
    if (vcf_status_is_structural(err->code))
        return &ei_malformed;
    expert_field *ei = err->rule ? g_hash_table_lookup(vcf_ws_rule_ei, err->rule) : NULL;
    return ei ? ei : &ei_unlisted;
}

void vcf_ws_violation_add(packet_info *pinfo, proto_tree *parent, proto_tree **vtree,
                          proto_item *anchor, tvbuff_t *tvb, const vcf_error *err)
{
    char text[512];
    vcf_error_format(err, text, sizeof text);
    if (parent) {
        if (!*vtree)
            *vtree = proto_tree_add_subtree(parent, tvb, 0, 0, ett_violations, NULL, "Violations");
        guint cap = tvb_captured_length(tvb);
        gint start = 0, len = 0;
        if (err->offset < cap) {
            start = (gint)err->offset;
            len = 1;
        }
        proto_item *vi = proto_tree_add_string(*vtree, hf_violation, tvb, start, len, text);
        proto_tree *t = proto_item_add_subtree(vi, ett_violation);
        proto_item *ti = proto_tree_add_string(t, hf_violation_code, tvb, start, len,
                                               vcf_status_name(err->code));
        proto_item_set_generated(ti);
        ti = proto_tree_add_string(t, hf_violation_class, tvb, start, len, vcf_ws_class(err->code));
        proto_item_set_generated(ti);
        if (err->field) {
            ti = proto_tree_add_string(t, hf_violation_field, tvb, start, len, err->field);
            proto_item_set_generated(ti);
        }
        ti = proto_tree_add_uint(t, hf_violation_offset, tvb, start, len,
                                 err->offset > G_MAXUINT32 ? G_MAXUINT32 : (guint32)err->offset);
        proto_item_set_generated(ti);
        if (err->rule) {
            ti = proto_tree_add_string(t, hf_rule, tvb, start, len, err->rule);
            proto_item_set_generated(ti);
        }
        if (!anchor)
            anchor = vi;
    }
    expert_add_info_format(pinfo, anchor, vcf_ws_error_ei(err), "%s", text);
}

void vcf_ws_violation_info(vcf_ws_info *info, const vcf_error *err)
{
    if (err->rule)
        vcf_ws_info_addf(info, " [violation %s]", err->rule);
    else if (err->code == VCF_E_NONSTANDARD)
        vcf_ws_info_addf(info, " [non-standard]");
    else if (vcf_status_is_structural(err->code))
        vcf_ws_info_addf(info, " [malformed: %s]", vcf_status_name(err->code));
    else
        vcf_ws_info_addf(info, " [violation %s]", vcf_status_name(err->code));
}
