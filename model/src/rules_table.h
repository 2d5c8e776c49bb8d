/* SPDX-License-Identifier: MIT */
/*
 * Shorthands for writing a rule catalogue table (the model/src/..._rules.c files), and the
 * accessors every catalogue has. Included only by the table files.
 */
#ifndef VCF_RULES_TABLE_H
#define VCF_RULES_TABLE_H

#include <string.h>

#include "rules_internal.h"

/* A NULL-terminated list of citations. */
#define SRC(...) ((const char *const[]){__VA_ARGS__, NULL})

#define MUST   VCF_LEVEL_MUST
#define SHOULD VCF_LEVEL_SHOULD
#define MAY    VCF_LEVEL_MAY
#define IMPL   VCF_LEVEL_IMPL
#define DRV    VCF_ACTOR_DRIVER
#define DEV    VCF_ACTOR_DEVICE
#define BUS    VCF_ACTOR_BUS
#define BOTH   VCF_ACTOR_BOTH
#define ALL    (VCF_ACTOR_DRIVER | VCF_ACTOR_DEVICE | VCF_ACTOR_BUS)
#define SEND   VCF_ASPECT_SEND
#define RECV   VCF_ASPECT_RECEIVE
#define LOCAL  VCF_ASPECT_LOCAL
#define LINK   VCF_ASPECT_LINK

/* vcf_<p>_rule_info(), vcf_<p>_rule_id(), vcf_<p>_rule_lookup() and vcf_<p>_catalogue over the
 * table `rules`, whose
 * enum is vcf_<p>_rule with COUNT entries. */
#define VCF_CATALOGUE_ACCESSORS(p, COUNT, proto, ttl)                                              \
    const vcf_rule *vcf_##p##_rule_info(vcf_##p##_rule rule)                                       \
    {                                                                                              \
        return (unsigned)rule < COUNT ? &rules[rule] : NULL;                                       \
    }                                                                                              \
    const char *vcf_##p##_rule_id(vcf_##p##_rule rule)                                             \
    {                                                                                              \
        return (unsigned)rule < COUNT ? rules[rule].id : "";                                       \
    }                                                                                              \
    vcf_##p##_rule vcf_##p##_rule_lookup(const char *id)                                           \
    {                                                                                              \
        unsigned i = 0;                                                                            \
        while (id && i < COUNT && strcmp(rules[i].id, id) != 0)                                    \
            i++;                                                                                   \
        return (vcf_##p##_rule)(id ? i : COUNT);                                                   \
    }                                                                                              \
    const vcf_catalogue vcf_##p##_catalogue = {                                                    \
        .protocol = proto, .title = ttl, .rules = rules, .count = COUNT}

#endif /* VCF_RULES_TABLE_H */
