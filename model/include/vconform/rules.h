/* SPDX-License-Identifier: MIT */
/*
 * vconform: the rule catalogues.
 *
 * Every decision the reference models take rests on one catalogue entry. An entry has a stable
 * ID ("RPMSG-NS-04"), a level, the side of the link it binds, a statement in our own words and
 * the sources it is drawn from. IDs never change meaning once published: a rule that turns out
 * wrong is withdrawn (its entry stays, marked withdrawn) and a new ID replaces it.
 *
 * Levels:
 *   MUST, SHOULD, MAY  the protocol as this catalogue defines it (the `strict` profile);
 *   IMPL               what one named stack actually does where it differs from, or fills a gap
 *                      in, the protocol. IMPL entries describe behaviour; they bind no one.
 */
#ifndef VCONFORM_RULES_H
#define VCONFORM_RULES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vcf_rule_level {
    VCF_LEVEL_MUST = 0,
    VCF_LEVEL_SHOULD = 1,
    VCF_LEVEL_MAY = 2,
    VCF_LEVEL_IMPL = 3
} vcf_rule_level;

/* Which side a rule binds (bit set). */
#define VCF_ACTOR_DRIVER 0x1u
#define VCF_ACTOR_DEVICE 0x2u
#define VCF_ACTOR_BUS    0x4u
#define VCF_ACTOR_BOTH   (VCF_ACTOR_DRIVER | VCF_ACTOR_DEVICE)

/* What part of an implementation's behaviour a rule is about. */
typedef enum vcf_rule_aspect {
    VCF_ASPECT_SEND = 0,    /* what a side puts on the wire */
    VCF_ASPECT_RECEIVE = 1, /* what a side does with what arrives */
    VCF_ASPECT_LOCAL = 2,   /* what a side's upper-layer API allows (addresses, endpoints) */
    VCF_ASPECT_LINK = 3     /* properties of the link both sides share (layout, byte order) */
} vcf_rule_aspect;

typedef struct vcf_rule {
    const char *id;       /* "RPMSG-HDR-08" */
    vcf_rule_level level; /* MUST / SHOULD / MAY / IMPL */
    unsigned actors;      /* VCF_ACTOR_* bits */
    vcf_rule_aspect aspect;
    const char *topic;     /* section of the catalogue: "header", "name service", ... */
    const char *title;     /* a few words */
    const char *statement; /* the rule, one or two sentences */
    const char *stacks; /* IMPL only: the stacks that behave so ("linux", "openamp, rpmsg-lite") */
    const char *profiles;  /* model profiles that reproduce an IMPL rule ("linux"); NULL if none */
    const char *seed;      /* ID in the research notes this rule was drawn from, or NULL */
    const char *label;     /* the specification's own normative label, or NULL (RPMsg has no
                            * specification) */
    const char *revisions; /* specification revisions the rule applies to ("pr28, rfc3"), or
                            * NULL when the protocol has no revisions */
    const char *const *sources; /* citations, NULL-terminated */
    int withdrawn;              /* non-zero: kept only so the ID is never reused */
} vcf_rule;

const char *vcf_rule_level_name(vcf_rule_level level);    /* "MUST", ..., "IMPL" */
const char *vcf_rule_aspect_name(vcf_rule_aspect aspect); /* "send", "receive", ... */

/* Writes the actor names joined by ", " ("driver, device"); returns like snprintf. */
int vcf_rule_actors_format(unsigned actors, char *buf, size_t cap);

/* A catalogue: a protocol name ("rpmsg") and its entries in ID order. */
typedef struct vcf_catalogue {
    const char *protocol;
    const char *title;
    const vcf_rule *rules;
    size_t count;
} vcf_catalogue;

/* The catalogue of a protocol ("rpmsg"), or NULL. */
const vcf_catalogue *vcf_catalogue_get(const char *protocol);

/* Every catalogue, NULL-terminated. */
const vcf_catalogue *const *vcf_catalogues(void);

/* The rule with this ID in any catalogue, or NULL. IDs compare exactly. */
const vcf_rule *vcf_rule_find(const char *id);

#ifdef __cplusplus
}
#endif

#endif /* VCONFORM_RULES_H */
