/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vconform Wireshark dissector: what the source files share.
 *
 *   packet-vconform.c    the "vconform" protocol (pseudo-header), vcf_ws_plugin_register()
 *   packet-rpmsg.c       the "rpmsg" protocol (one RPMsg message)
 *   packet-virtio_msg.c  the "virtio_msg" protocol (one virtio-msg message)
 *   ws_fields.c          filter fields built from the model's describe samples, and the walk
 *                        that adds a decoded message's fields to the tree
 *   ws_violations.c      the Violations subtree and expert info (one per catalogue rule)
 */
#ifndef VCF_WS_INTERNAL_H
#define VCF_WS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/proto.h>

#include "vconform/describe.h"
#include "vconform/error.h"
#include "vconform/rpmsg.h"
#include "vconform/vmsg.h"

/* ---- what a vconform record tells the message dissectors ---------------------------------- */

/* Attached to the packet (p_add_proto_data, pinfo->pool, proto_vconform, key
 * VCF_WS_RECORD_KEY) by the vconform dissector while it calls rpmsg or virtio_msg; absent when
 * those run on their own (user DLT, text2pcap -P), where their preferences apply. */
#define VCF_WS_RECORD_KEY 0u

typedef struct vcf_ws_record {
    vcf_rpmsg_params rpmsg;
    vcf_vmsg_params vmsg;
    uint32_t direction; /* VCF_CAPTURE_DIR_* */
    uint32_t role;
    uint32_t channel;
    uint32_t instance;
    uint32_t case_index;
    bool has_case; /* the record carries a case ID: pairing is per case */
} vcf_ws_record;

extern int proto_vconform;
extern int proto_rpmsg;
extern int proto_virtio_msg;

/* The record of the packet being dissected, or NULL. */
const vcf_ws_record *vcf_ws_record_get(packet_info *pinfo);

/* The Info column of one message, built in memory and set with a single col_add_str(): the
 * column API formats on every call, and a message appends up to a dozen pieces. */
typedef struct vcf_ws_info {
    char text[256];
    size_t len;
} vcf_ws_info;

void vcf_ws_info_init(vcf_ws_info *info);
void vcf_ws_info_addf(vcf_ws_info *info, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* The hot path's pieces without printf: a string, a decimal number. */
void vcf_ws_info_adds(vcf_ws_info *info, const char *str);
void vcf_ws_info_addu(vcf_ws_info *info, guint32 value);
/* Set COL_INFO to the text. */
void vcf_ws_info_set(packet_info *pinfo, const vcf_ws_info *info);

/* Prefix for COL_INFO: "→IUT vq1 " / "IUT→ link " (empty without a record). */
void vcf_ws_info_prefix(vcf_ws_info *info, const vcf_ws_record *rec);

/* ---- field registry (ws_fields.c) ------------------------------------------------------- */

typedef struct vcf_ws_registry vcf_ws_registry;

typedef void (*vcf_ws_samples_fn)(vcf_field_fn fn, void *ctx);

/* Register a protocol's message fields from its describe samples: "<abbrev>.<path>" for every
 * field path and kind (deduplicated), and an FT_NONE field for every group. Everything registered
 * lives as long as the program. */
vcf_ws_registry *vcf_ws_registry_build(int proto, const char *abbrev, vcf_ws_samples_fn samples);

#define VCF_WS_WALK_DEPTH 8
#define VCF_WS_PATH_MAX   128

/* A describe walk that adds a message's fields under a tree: set reg, tvb, pinfo and tree,
 * then vcf_ws_walk_init() and pass vcf_ws_walk_field with it to a vcf_*_describe(). */
typedef struct vcf_ws_walk {
    const vcf_ws_registry *reg;
    tvbuff_t *tvb;
    packet_info *pinfo;
    proto_tree *tree;
    bool header_only; /* keep only the top-level "header" group (a message whose body does
                       * not read) */
    /* state */
    int depth;
    int skipped; /* groups opened beyond VCF_WS_WALK_DEPTH */
    proto_tree *trees[VCF_WS_WALK_DEPTH + 1];
    size_t plen[VCF_WS_WALK_DEPTH + 1];
    bool array[VCF_WS_WALK_DEPTH + 1];
    char path[VCF_WS_PATH_MAX];
} vcf_ws_walk;

void vcf_ws_walk_init(vcf_ws_walk *w, const vcf_ws_registry *reg, tvbuff_t *tvb, packet_info *pinfo,
                      proto_tree *tree);

/* The describe callback: ctx is a vcf_ws_walk. Adds each field with its model value at its
 * offset and size; groups become subtrees. */
void vcf_ws_walk_field(void *ctx, const vcf_field *field);

/* The hf id of a path ("payload") of the given kind, or -1. */
int vcf_ws_registry_hf(const vcf_ws_registry *reg, const char *path, vcf_field_kind kind);

/* ---- violations (ws_violations.c) ----------------------------------------------------- */

/* Register the vconform.violation* fields and every expert item (under proto_vconform). */
void vcf_ws_violations_register(void);

/* One violation: adds it to the Violations subtree (created on first use in *vtree under
 * parent) and adds its expert item. Returns the expert item's text length (0 when none). */
void vcf_ws_violation_add(packet_info *pinfo, proto_tree *parent, proto_tree **vtree,
                          proto_item *anchor, tvbuff_t *tvb, const vcf_error *err);

/* COL_INFO marker for a violation: " [violation RULE-ID]" or " [malformed]". */
void vcf_ws_violation_info(vcf_ws_info *info, const vcf_error *err);

/* Sub-dissector registrations of the message protocols (packet-*.c). */
void vcf_ws_rpmsg_register(void);
void vcf_ws_rpmsg_handoff(void);
void vcf_ws_vmsg_register(void);
void vcf_ws_vmsg_handoff(void);

#endif /* VCF_WS_INTERNAL_H */
