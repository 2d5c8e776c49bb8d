/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: the pcap capture of a run (`vconform run --pcap FILE`,
 * docs/capture-format.md). Each case's transcript goes through the capture library
 * (vconform/capture_file.h) with logical timestamps, so the same run always writes the same
 * file; the group's parameters fill the link fields of the pseudo-header.
 */
#ifndef VCF_HARNESS_CAPTURE_H
#define VCF_HARNESS_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run.h"
#include "vconform/capture.h"
#include "vconform/capture_file.h"
#include "vector.h"

/* The link fields of the pseudo-header (order, bus, revision, link flags, maximum size) a
 * group's parameters give for a role. */
void vcf_run_capture_link(uint32_t role, const vcf_group *group, vcf_capture_meta *meta);

/*
 * Every message of a case's transcript, injected and emitted, in transcript order.
 * case_index should be the case's position in the whole run so that timestamps grow through
 * the file. iut_is_model marks emitted messages SYNTHESIZED. A result without a transcript
 * writes nothing. Returns 0 or -1 (vcf_capture_error says why).
 */
int vcf_run_capture_case(vcf_capture_file *cap, bool iut_is_model, const vcf_vfile *file,
                         size_t case_index, const vcf_case_result *res);

#endif /* VCF_HARNESS_CAPTURE_H */
