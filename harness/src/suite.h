/* SPDX-License-Identifier: MIT */
/* vconform harness: loading a suite of vector files and selecting cases from it. */
#ifndef VCF_HARNESS_SUITE_H
#define VCF_HARNESS_SUITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vector.h"

/* Where the golden vectors are: $VCONFORM_VECTORS, else ../share/vconform/vectors next to the
 * executable when installed, else the source tree's vectors/ (build-time path). */
const char *vcf_vectors_dir(void);

typedef struct vcf_suite {
    vcf_vfile *files;
    size_t n_files;
} vcf_suite;

/* Load vector files: each path is a file, or a directory whose *.json files (not its
 * subdirectories) are loaded in name order. Checks that case IDs are unique across the whole
 * suite. 0, or -1 with err naming the file and place. */
int vcf_suite_load(vcf_suite *s, const char *const *paths, size_t n_paths, char *err,
                   size_t err_len);
void vcf_suite_free(vcf_suite *s);

/* Which cases to run. */
typedef struct vcf_select {
    const char *proto;        /* "rpmsg", "virtio-msg" or NULL/"all" */
    uint32_t roles;           /* VCF_IUT_ROLE_BIT set; 0 = all */
    const char *const *globs; /* case ID or rule ID globs (fnmatch); none = all */
    size_t n_globs;
} vcf_select;

bool vcf_select_case(const vcf_select *sel, const vcf_vfile *f, const vcf_case *c);

/* Call fn for every selected case (sel NULL: every case) in file, group and case order. Stops
 * at the first non-zero return of fn and returns it; 0 when all were visited. */
typedef int (*vcf_suite_fn)(void *ctx, const vcf_vfile *f, const vcf_group *g, const vcf_case *c);
int vcf_suite_each(const vcf_suite *s, const vcf_select *sel, vcf_suite_fn fn, void *ctx);

/* How many cases sel selects (NULL: every case). */
size_t vcf_suite_count(const vcf_suite *s, const vcf_select *sel);

/* Parse --role: a full role name ("virtio-msg-bus") or, with proto, a short one ("driver",
 * "device", "bus"). Sets the bits; -1 when unknown. */
int vcf_select_role(const char *proto, const char *name, uint32_t *roles);

#endif /* VCF_HARNESS_SUITE_H */
