/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: one-line decoded summaries of messages, events and actions, for vector
 * annotations ("decoded"), failure messages and the human report. Built on the model's codecs
 * and describe functions; never fails (undecodable bytes are summarised as such, with the
 * codec's error).
 */
#ifndef VCF_HARNESS_SUMMARY_H
#define VCF_HARNESS_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "vconform/adapter.h"

/* The byte order of an RPMsg link from a group's parameters ("features" bit 32 VERSION_1
 * selects little-endian, else "order"); little-endian for virtio-msg. 0 = le, 1 = be. */
int vcf_summary_order(uint32_t role, const vcf_adapter_param *params, size_t n_params);

/* e.g. "1024->53 len 40 NS create \"rpmsg-echo\" addr 1024",
 * "GET_VQUEUE req dev 0 token 3 index=1", or
 * "undecodable (truncated at byte 12, len): 00040000...".
 * Writes at most cap bytes, always NUL-terminated; returns buf. */
char *vcf_summary_msg(uint32_t role, int order, uint32_t channel, const uint8_t *data, size_t len,
                      char *buf, size_t cap);
/* e.g. "deliver ept=1024 addr=53 claimed_len=5 payload=68656c6c6f" */
char *vcf_summary_event(uint32_t type, const uint64_t args[VCF_ADAPTER_ARG_MAX],
                        const uint8_t *data, size_t len, char *buf, size_t cap);
/* e.g. "create addr=1024 dest=0xffffffff name=\"rpmsg-echo\"" */
char *vcf_summary_action(uint32_t kind, const uint64_t args[VCF_ADAPTER_ARG_MAX],
                         const uint8_t *data, size_t len, char *buf, size_t cap);

#endif /* VCF_HARNESS_SUMMARY_H */
