/* SPDX-License-Identifier: MIT */
/* vconform rules --coverage (coverage_cmd.c). */
#ifndef VCF_HARNESS_COVERAGE_H
#define VCF_HARNESS_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>

/* Print the rule x vector matrix of the vector files at paths (default: the golden set).
 * Returns 0 when every MUST and SHOULD rule is covered or unobservable with a reason, 1 when
 * one is not, 2 when the vectors cannot be loaded. */
int vcf_cli_coverage(const char *proto, const char *const *paths, size_t n_paths, bool json,
                     bool only_gaps);

#endif /* VCF_HARNESS_COVERAGE_H */
