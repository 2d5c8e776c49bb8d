/* SPDX-License-Identifier: MIT */
/* The catalogues, one per protocol, each defined next to its rules. */
#ifndef VCF_RULES_INTERNAL_H
#define VCF_RULES_INTERNAL_H

#include "vconform/rules.h"

extern const vcf_catalogue vcf_rpmsg_catalogue;
extern const vcf_catalogue vcf_vmsg_catalogue;

#endif /* VCF_RULES_INTERNAL_H */
