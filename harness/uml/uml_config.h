/* SPDX-License-Identifier: MIT */
/*
 * vconform-vhost: its options and what Linux's driver can take (pure: no I/O).
 *
 * Options are one comma-separated list, as written after "linux-uml:" in
 * `vconform run --adapter linux-uml:OPTIONS`:
 *
 *   kernel=PATH        the UML kernel (default: $VCONFORM_UML_KERNEL)
 *   agent=PATH         the in-guest agent (default: vconform-uml-agent next to vconform-vhost)
 *   log=DIR            keep each case's console in DIR/<case>.log
 *   boot_timeout=SEC   boot, handshake and agent start-up (default 30)
 *   life=SEC           hard limit of one UML instance (`timeout -k 5 LIFE`, default 600)
 *   mem=MB             UML memory (default 64)
 *   trace              log frames and vhost-user requests on stderr
 */
#ifndef VCF_UML_CONFIG_H
#define VCF_UML_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vconform/adapter.h"

#define VCF_UML_PATH_MAX 4096u

typedef struct vcf_uml_opts {
    char kernel[VCF_UML_PATH_MAX]; /* "" when neither kernel= nor the environment gave one */
    char agent[VCF_UML_PATH_MAX];  /* "" when not given: the caller finds the default */
    char log_dir[VCF_UML_PATH_MAX];
    double boot_timeout; /* seconds */
    unsigned life;       /* seconds */
    unsigned mem_mb;
    bool trace;
} vcf_uml_opts;

/* Parse text (NULL or "" for the defaults). env_kernel is $VCONFORM_UML_KERNEL (may be NULL).
 * 0, or -1 with err naming the option and what it wants. */
int vcf_uml_opts_parse(const char *text, const char *env_kernel, vcf_uml_opts *o, char *err,
                       size_t err_len);

/* What Linux 6.1's virtio_rpmsg_bus under UML can be: RPMsg feature bits F_NS (0) and
 * VERSION_1 (32), little-endian, 512-byte buffers, 256 tx buffers, the pool 1024..2^31-1. */
#define VCF_UML_FEATURES_KNOWN ((uint64_t)1 | ((uint64_t)1 << 32))
#define VCF_UML_BUF_SIZE       512u
#define VCF_UML_TX_BUFS        256u
#define VCF_UML_ADDR_FIRST     1024u
#define VCF_UML_ADDR_LAST      2147483647u

/* Check a RESET: role and parameters. VCF_ADAPTER_OK with *features (the virtio features to
 * offer) and *case_id (the value of "vcf.case", or NULL), or VCF_ADAPTER_UNSUPPORTED with why.
 * Keys starting with "vcf." or "model.", and keys Linux has no use for, are ignored. */
int vcf_uml_check_reset(uint32_t role, const vcf_adapter_param *params, size_t n,
                        uint64_t *features, const char **case_id, char *why, size_t why_len);

#endif /* VCF_UML_CONFIG_H */
