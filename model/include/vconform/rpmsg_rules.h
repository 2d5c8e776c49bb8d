/* SPDX-License-Identifier: MIT */
/*
 * vconform: the RPMsg rule IDs.
 *
 * One enumerator per catalogue entry, so the model names rules by a checked identifier rather
 * than a string. The statements, levels and sources are in the catalogue itself
 * (vcf_rpmsg_rule_info(), `vconform rules --proto rpmsg`, docs/rules/rpmsg.md).
 * New rules are appended to their family; an enumerator is never removed or renamed.
 */
#ifndef VCONFORM_RPMSG_RULES_H
#define VCONFORM_RPMSG_RULES_H

#include "rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(enumerator suffix, published ID) */
#define VCF_RPMSG_RULE_LIST(X)                                                                     \
    X(HDR_01, "RPMSG-HDR-01")                                                                      \
    X(HDR_02, "RPMSG-HDR-02")                                                                      \
    X(HDR_03, "RPMSG-HDR-03")                                                                      \
    X(HDR_04, "RPMSG-HDR-04")                                                                      \
    X(HDR_05, "RPMSG-HDR-05")                                                                      \
    X(HDR_06, "RPMSG-HDR-06")                                                                      \
    X(HDR_07, "RPMSG-HDR-07")                                                                      \
    X(HDR_08, "RPMSG-HDR-08")                                                                      \
    X(HDR_09, "RPMSG-HDR-09")                                                                      \
    X(HDR_10, "RPMSG-HDR-10")                                                                      \
    X(HDR_11, "RPMSG-HDR-11")                                                                      \
    X(HDR_12, "RPMSG-HDR-12")                                                                      \
    X(HDR_13, "RPMSG-HDR-13")                                                                      \
    X(HDR_14, "RPMSG-HDR-14")                                                                      \
    X(HDR_15, "RPMSG-HDR-15")                                                                      \
    X(HDR_16, "RPMSG-HDR-16")                                                                      \
    X(HDR_17, "RPMSG-HDR-17")                                                                      \
    X(HDR_18, "RPMSG-HDR-18")                                                                      \
    X(END_01, "RPMSG-END-01")                                                                      \
    X(END_02, "RPMSG-END-02")                                                                      \
    X(END_03, "RPMSG-END-03")                                                                      \
    X(END_04, "RPMSG-END-04")                                                                      \
    X(ADDR_01, "RPMSG-ADDR-01")                                                                    \
    X(ADDR_02, "RPMSG-ADDR-02")                                                                    \
    X(ADDR_03, "RPMSG-ADDR-03")                                                                    \
    X(ADDR_04, "RPMSG-ADDR-04")                                                                    \
    X(ADDR_05, "RPMSG-ADDR-05")                                                                    \
    X(ADDR_06, "RPMSG-ADDR-06")                                                                    \
    X(ADDR_07, "RPMSG-ADDR-07")                                                                    \
    X(ADDR_08, "RPMSG-ADDR-08")                                                                    \
    X(ADDR_09, "RPMSG-ADDR-09")                                                                    \
    X(ADDR_10, "RPMSG-ADDR-10")                                                                    \
    X(ADDR_11, "RPMSG-ADDR-11")                                                                    \
    X(EP_01, "RPMSG-EP-01")                                                                        \
    X(EP_02, "RPMSG-EP-02")                                                                        \
    X(EP_03, "RPMSG-EP-03")                                                                        \
    X(EP_04, "RPMSG-EP-04")                                                                        \
    X(EP_05, "RPMSG-EP-05")                                                                        \
    X(EP_06, "RPMSG-EP-06")                                                                        \
    X(NS_01, "RPMSG-NS-01")                                                                        \
    X(NS_02, "RPMSG-NS-02")                                                                        \
    X(NS_03, "RPMSG-NS-03")                                                                        \
    X(NS_04, "RPMSG-NS-04")                                                                        \
    X(NS_05, "RPMSG-NS-05")                                                                        \
    X(NS_06, "RPMSG-NS-06")                                                                        \
    X(NS_07, "RPMSG-NS-07")                                                                        \
    X(NS_08, "RPMSG-NS-08")                                                                        \
    X(NS_09, "RPMSG-NS-09")                                                                        \
    X(NS_10, "RPMSG-NS-10")                                                                        \
    X(NS_11, "RPMSG-NS-11")                                                                        \
    X(NS_12, "RPMSG-NS-12")                                                                        \
    X(NS_13, "RPMSG-NS-13")                                                                        \
    X(NS_14, "RPMSG-NS-14")                                                                        \
    X(NS_15, "RPMSG-NS-15")                                                                        \
    X(NS_16, "RPMSG-NS-16")                                                                        \
    X(NS_17, "RPMSG-NS-17")                                                                        \
    X(NS_18, "RPMSG-NS-18")                                                                        \
    X(NS_19, "RPMSG-NS-19")                                                                        \
    X(NS_20, "RPMSG-NS-20")                                                                        \
    X(NS_21, "RPMSG-NS-21")                                                                        \
    X(NS_22, "RPMSG-NS-22")                                                                        \
    X(NS_23, "RPMSG-NS-23")                                                                        \
    X(NS_24, "RPMSG-NS-24")                                                                        \
    X(NS_25, "RPMSG-NS-25")                                                                        \
    X(NS_26, "RPMSG-NS-26")                                                                        \
    X(NS_27, "RPMSG-NS-27")                                                                        \
    X(VQ_01, "RPMSG-VQ-01")                                                                        \
    X(VQ_02, "RPMSG-VQ-02")                                                                        \
    X(VQ_03, "RPMSG-VQ-03")                                                                        \
    X(TX_01, "RPMSG-TX-01")                                                                        \
    X(TX_02, "RPMSG-TX-02")                                                                        \
    X(INIT_01, "RPMSG-INIT-01")                                                                    \
    X(INIT_02, "RPMSG-INIT-02")

typedef enum vcf_rpmsg_rule {
#define VCF_RPMSG_RULE_ENUM(name, id) VCF_RPMSG_##name,
    VCF_RPMSG_RULE_LIST(VCF_RPMSG_RULE_ENUM)
#undef VCF_RPMSG_RULE_ENUM
        VCF_RPMSG_RULE_COUNT,
    VCF_RPMSG_RULE_NONE = VCF_RPMSG_RULE_COUNT /* "no rule" in optional fields */
} vcf_rpmsg_rule;

/* The catalogue entry of a rule (NULL for VCF_RPMSG_RULE_NONE). */
const vcf_rule *vcf_rpmsg_rule_info(vcf_rpmsg_rule rule);

/* The published ID of a rule ("RPMSG-HDR-08"), or "" for VCF_RPMSG_RULE_NONE. */
const char *vcf_rpmsg_rule_id(vcf_rpmsg_rule rule);

/* The rule with this published ID (a vcf_error.rule, say), or VCF_RPMSG_RULE_NONE. */
vcf_rpmsg_rule vcf_rpmsg_rule_lookup(const char *id);

#ifdef __cplusplus
}
#endif

#endif /* VCONFORM_RPMSG_RULES_H */
