/* SPDX-License-Identifier: MIT */
/* being written */
typedef int vcf_placeholder_frame;
