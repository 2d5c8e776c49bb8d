/* SPDX-License-Identifier: MIT */
/*
 * vconform: the virtio-msg rule IDs.
 *
 * One enumerator per catalogue entry, so the model names rules by a checked identifier rather
 * than a string. The statements, levels, spec labels and sources are in the catalogue itself
 * (vcf_vmsg_rule_info(), `vconform rules --proto virtio-msg`). Enumerators carry an R_ infix
 * (VCF_VMSG_R_HDR_01) to keep them apart from the codec's names in vmsg.h.
 * New rules are appended to their family; an enumerator is never removed or renamed.
 */
#ifndef VCONFORM_VMSG_RULES_H
#define VCONFORM_VMSG_RULES_H

#include "rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(enumerator suffix, published ID) */
#define VCF_VMSG_RULE_LIST(X)                                                                      \
    X(BUSMSG_01, "VMSG-BUSMSG-01")                                                                 \
    X(FWD_01, "VMSG-FWD-01")                                                                       \
    X(FWD_02, "VMSG-FWD-02")                                                                       \
    X(PARAM_01, "VMSG-PARAM-01")                                                                   \
    X(PARAM_02, "VMSG-PARAM-02")                                                                   \
    X(SIZE_01, "VMSG-SIZE-01")                                                                     \
    X(SIZE_02, "VMSG-SIZE-02")                                                                     \
    X(SIZE_03, "VMSG-SIZE-03")                                                                     \
    X(SIZE_04, "VMSG-SIZE-04")                                                                     \
    X(REV_01, "VMSG-REV-01")                                                                       \
    X(REV_02, "VMSG-REV-02")                                                                       \
    X(REV_03, "VMSG-REV-03")                                                                       \
    X(REV_04, "VMSG-REV-04")                                                                       \
    X(REV_05, "VMSG-REV-05")                                                                       \
    X(REV_06, "VMSG-REV-06")                                                                       \
    X(REV_07, "VMSG-REV-07")                                                                       \
    X(REV_08, "VMSG-REV-08")                                                                       \
    X(DEVNUM_01, "VMSG-DEVNUM-01")                                                                 \
    X(DEVNUM_02, "VMSG-DEVNUM-02")                                                                 \
    X(DEVNUM_03, "VMSG-DEVNUM-03")                                                                 \
    X(END_01, "VMSG-END-01")                                                                       \
    X(END_02, "VMSG-END-02")                                                                       \
    X(HDR_01, "VMSG-HDR-01")                                                                       \
    X(HDR_02, "VMSG-HDR-02")                                                                       \
    X(HDR_03, "VMSG-HDR-03")                                                                       \
    X(HDR_04, "VMSG-HDR-04")                                                                       \
    X(HDR_05, "VMSG-HDR-05")                                                                       \
    X(HDR_06, "VMSG-HDR-06")                                                                       \
    X(HDR_07, "VMSG-HDR-07")                                                                       \
    X(HDR_08, "VMSG-HDR-08")                                                                       \
    X(HDR_09, "VMSG-HDR-09")                                                                       \
    X(HDR_10, "VMSG-HDR-10")                                                                       \
    X(HDR_11, "VMSG-HDR-11")                                                                       \
    X(HDR_12, "VMSG-HDR-12")                                                                       \
    X(HDR_13, "VMSG-HDR-13")                                                                       \
    X(HDR_14, "VMSG-HDR-14")                                                                       \
    X(HDR_15, "VMSG-HDR-15")                                                                       \
    X(HDR_16, "VMSG-HDR-16")                                                                       \
    X(HDR_17, "VMSG-HDR-17")                                                                       \
    X(ERR_01, "VMSG-ERR-01")                                                                       \
    X(ERR_02, "VMSG-ERR-02")                                                                       \
    X(ERR_03, "VMSG-ERR-03")                                                                       \
    X(ERR_04, "VMSG-ERR-04")                                                                       \
    X(ERR_05, "VMSG-ERR-05")                                                                       \
    X(ERR_06, "VMSG-ERR-06")                                                                       \
    X(ORD_01, "VMSG-ORD-01")                                                                       \
    X(ORD_02, "VMSG-ORD-02")                                                                       \
    X(DISC_01, "VMSG-DISC-01")                                                                     \
    X(DISC_02, "VMSG-DISC-02")                                                                     \
    X(DISC_03, "VMSG-DISC-03")                                                                     \
    X(INIT_01, "VMSG-INIT-01")                                                                     \
    X(INIT_02, "VMSG-INIT-02")                                                                     \
    X(INIT_03, "VMSG-INIT-03")                                                                     \
    X(INIT_04, "VMSG-INIT-04")                                                                     \
    X(INFO_01, "VMSG-INFO-01")                                                                     \
    X(INFO_02, "VMSG-INFO-02")                                                                     \
    X(INFO_03, "VMSG-INFO-03")                                                                     \
    X(FEAT_01, "VMSG-FEAT-01")                                                                     \
    X(FEAT_02, "VMSG-FEAT-02")                                                                     \
    X(FEAT_03, "VMSG-FEAT-03")                                                                     \
    X(FEAT_04, "VMSG-FEAT-04")                                                                     \
    X(FEAT_05, "VMSG-FEAT-05")                                                                     \
    X(FEAT_06, "VMSG-FEAT-06")                                                                     \
    X(FEAT_07, "VMSG-FEAT-07")                                                                     \
    X(FEAT_08, "VMSG-FEAT-08")                                                                     \
    X(GEN_01, "VMSG-GEN-01")                                                                       \
    X(GEN_02, "VMSG-GEN-02")                                                                       \
    X(GEN_03, "VMSG-GEN-03")                                                                       \
    X(GEN_04, "VMSG-GEN-04")                                                                       \
    X(GEN_05, "VMSG-GEN-05")                                                                       \
    X(GEN_06, "VMSG-GEN-06")                                                                       \
    X(GEN_07, "VMSG-GEN-07")                                                                       \
    X(GEN_08, "VMSG-GEN-08")                                                                       \
    X(GEN_09, "VMSG-GEN-09")                                                                       \
    X(CFG_01, "VMSG-CFG-01")                                                                       \
    X(CFG_02, "VMSG-CFG-02")                                                                       \
    X(CFG_03, "VMSG-CFG-03")                                                                       \
    X(CFG_04, "VMSG-CFG-04")                                                                       \
    X(CFG_05, "VMSG-CFG-05")                                                                       \
    X(STATUS_01, "VMSG-STATUS-01")                                                                 \
    X(STATUS_02, "VMSG-STATUS-02")                                                                 \
    X(STATUS_03, "VMSG-STATUS-03")                                                                 \
    X(STATUS_04, "VMSG-STATUS-04")                                                                 \
    X(STATUS_05, "VMSG-STATUS-05")                                                                 \
    X(STATUS_06, "VMSG-STATUS-06")                                                                 \
    X(RESET_01, "VMSG-RESET-01")                                                                   \
    X(RESET_02, "VMSG-RESET-02")                                                                   \
    X(RESET_03, "VMSG-RESET-03")                                                                   \
    X(FINAL_01, "VMSG-FINAL-01")                                                                   \
    X(FINAL_02, "VMSG-FINAL-02")                                                                   \
    X(FINAL_03, "VMSG-FINAL-03")                                                                   \
    X(FINAL_04, "VMSG-FINAL-04")                                                                   \
    X(FINAL_05, "VMSG-FINAL-05")                                                                   \
    X(VQ_01, "VMSG-VQ-01")                                                                         \
    X(VQ_02, "VMSG-VQ-02")                                                                         \
    X(VQ_03, "VMSG-VQ-03")                                                                         \
    X(VQ_04, "VMSG-VQ-04")                                                                         \
    X(VQ_05, "VMSG-VQ-05")                                                                         \
    X(VQ_06, "VMSG-VQ-06")                                                                         \
    X(VQ_07, "VMSG-VQ-07")                                                                         \
    X(VQ_08, "VMSG-VQ-08")                                                                         \
    X(VQ_09, "VMSG-VQ-09")                                                                         \
    X(VQ_10, "VMSG-VQ-10")                                                                         \
    X(VQ_11, "VMSG-VQ-11")                                                                         \
    X(VQ_12, "VMSG-VQ-12")                                                                         \
    X(VQ_13, "VMSG-VQ-13")                                                                         \
    X(SHM_01, "VMSG-SHM-01")                                                                       \
    X(NOTIF_01, "VMSG-NOTIF-01")                                                                   \
    X(NOTIF_02, "VMSG-NOTIF-02")                                                                   \
    X(NOTIF_03, "VMSG-NOTIF-03")                                                                   \
    X(NOTIF_04, "VMSG-NOTIF-04")                                                                   \
    X(NOTIF_05, "VMSG-NOTIF-05")                                                                   \
    X(NOTIF_06, "VMSG-NOTIF-06")                                                                   \
    X(NOTIF_07, "VMSG-NOTIF-07")                                                                   \
    X(NOTIF_08, "VMSG-NOTIF-08")                                                                   \
    X(NOTIF_09, "VMSG-NOTIF-09")                                                                   \
    X(NOTIF_10, "VMSG-NOTIF-10")                                                                   \
    X(NOTIF_11, "VMSG-NOTIF-11")                                                                   \
    X(NOTIF_12, "VMSG-NOTIF-12")                                                                   \
    X(MAND_01, "VMSG-MAND-01")                                                                     \
    X(MAND_02, "VMSG-MAND-02")                                                                     \
    X(HOTPLUG_01, "VMSG-HOTPLUG-01")                                                               \
    X(HOTPLUG_02, "VMSG-HOTPLUG-02")                                                               \
    X(GETDEV_01, "VMSG-GETDEV-01")                                                                 \
    X(GETDEV_02, "VMSG-GETDEV-02")                                                                 \
    X(GETDEV_03, "VMSG-GETDEV-03")                                                                 \
    X(GETDEV_04, "VMSG-GETDEV-04")                                                                 \
    X(GETDEV_05, "VMSG-GETDEV-05")                                                                 \
    X(GETDEV_06, "VMSG-GETDEV-06")                                                                 \
    X(PING_01, "VMSG-PING-01")                                                                     \
    X(PING_02, "VMSG-PING-02")                                                                     \
    X(EVDEV_01, "VMSG-EVDEV-01")                                                                   \
    X(EVDEV_02, "VMSG-EVDEV-02")                                                                   \
    X(EVDEV_03, "VMSG-EVDEV-03")                                                                   \
    X(R3_01, "VMSG-R3-01")                                                                         \
    X(R3_02, "VMSG-R3-02")                                                                         \
    X(R3_03, "VMSG-R3-03")                                                                         \
    X(R3_04, "VMSG-R3-04")                                                                         \
    X(R3_05, "VMSG-R3-05")                                                                         \
    X(R3_06, "VMSG-R3-06")                                                                         \
    X(R3_08, "VMSG-R3-08")                                                                         \
    X(R3_09, "VMSG-R3-09")                                                                         \
    X(R3_10, "VMSG-R3-10")                                                                         \
    X(R3_11, "VMSG-R3-11")                                                                         \
    X(R3_12, "VMSG-R3-12")                                                                         \
    X(R3_13, "VMSG-R3-13")                                                                         \
    X(R3_14, "VMSG-R3-14")                                                                         \
    X(R3_15, "VMSG-R3-15")                                                                         \
    X(BASE_01, "VMSG-BASE-01")                                                                     \
    X(BASE_02, "VMSG-BASE-02")                                                                     \
    X(BASE_03, "VMSG-BASE-03")                                                                     \
    X(BASE_04, "VMSG-BASE-04")                                                                     \
    X(BASE_05, "VMSG-BASE-05")                                                                     \
    X(BASE_06, "VMSG-BASE-06")                                                                     \
    X(BASE_07, "VMSG-BASE-07")                                                                     \
    X(BASE_08, "VMSG-BASE-08")                                                                     \
    X(BASE_09, "VMSG-BASE-09")                                                                     \
    X(BASE_10, "VMSG-BASE-10")                                                                     \
    X(BASE_11, "VMSG-BASE-11")                                                                     \
    X(BASE_12, "VMSG-BASE-12")                                                                     \
    X(BASE_13, "VMSG-BASE-13")                                                                     \
    X(BASE_14, "VMSG-BASE-14")                                                                     \
    X(BASE_15, "VMSG-BASE-15")                                                                     \
    X(BASE_16, "VMSG-BASE-16")                                                                     \
    X(BASE_17, "VMSG-BASE-17")

typedef enum vcf_vmsg_rule {
#define VCF_VMSG_RULE_ENUM(name, id) VCF_VMSG_R_##name,
    VCF_VMSG_RULE_LIST(VCF_VMSG_RULE_ENUM)
#undef VCF_VMSG_RULE_ENUM
        VCF_VMSG_RULE_COUNT,
    VCF_VMSG_RULE_NONE = VCF_VMSG_RULE_COUNT /* "no rule" in optional fields */
} vcf_vmsg_rule;

/* The catalogue entry of a rule (NULL for VCF_VMSG_RULE_NONE). */
const vcf_rule *vcf_vmsg_rule_info(vcf_vmsg_rule rule);

/* The published ID of a rule ("VMSG-HDR-01"), or "" for VCF_VMSG_RULE_NONE. */
const char *vcf_vmsg_rule_id(vcf_vmsg_rule rule);

/* The rule with this published ID (a vcf_error.rule, say), or VCF_VMSG_RULE_NONE. */
vcf_vmsg_rule vcf_vmsg_rule_lookup(const char *id);

#ifdef __cplusplus
}
#endif

#endif /* VCONFORM_VMSG_RULES_H */
