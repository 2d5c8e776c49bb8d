/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: the server side of the stdio adapter protocol (docs/adapter-protocol.md),
 * shared by vconform-peer (which serves an adapter table) and vconform-vhost (the linux-uml
 * adapter). It reads request frames, answers HELLO and the protocol's own errors (HELLO first,
 * unknown ops, malformed frames, a reply where a request belongs), calls one operation per
 * request and writes its reply.
 *
 * The operations are the adapter ABI's, plus a reason buffer for every one: an ERROR or
 * UNSUPPORTED reply carries it to the harness ("" when the operation gave none).
 */
#ifndef VCF_HARNESS_FRAME_SERVE_H
#define VCF_HARNESS_FRAME_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vconform/adapter.h"

typedef struct vcf_frame_server {
    int in, out;      /* the frame stream */
    const char *prog; /* prefix of log lines on stderr ("vconform-peer") */
    bool trace;       /* log every frame on stderr */
    void *ud;

    /* HELLO: the identity, or VCF_ADAPTER_ERROR with why when the adapter cannot work. */
    int (*hello)(void *ud, uint32_t *roles, uint32_t *caps, const char **name, const char **version,
                 char *why, size_t why_len);
    int (*reset)(void *ud, uint32_t role, const vcf_adapter_param *params, size_t n_params,
                 char *why, size_t why_len);
    int (*inject)(void *ud, const vcf_adapter_msg *msg, char *why, size_t why_len);
    int (*action)(void *ud, const vcf_adapter_action *act, vcf_adapter_result *res, char *why,
                  size_t why_len);
    /* 1: *obs is the oldest observation; 0: none; VCF_ADAPTER_UNSUPPORTED or any other
     * negative value (VCF_ADAPTER_ERROR): the reply's rc, with why. */
    int (*poll)(void *ud, vcf_adapter_obs *obs, char *why, size_t why_len);
    /* 1: idle; 0: busy; negative: as for poll. */
    int (*idle)(void *ud, char *why, size_t why_len);
    void (*close)(void *ud);
    bool reply_before_close; /* answer CLOSE first, then call close (a slow shutdown) */

    /* Called before each wait for input and about every 50 ms while none comes; a non-zero
     * return stops serving with that exit status. NULL: wait without limit. */
    int (*waiting)(void *ud);
} vcf_frame_server;

/* Serve until CLOSE or the end of the input. Returns the exit status: 0 after CLOSE or at the
 * end of the input between frames, 2 on a broken stream (garbage, a cut frame, a failed write),
 * or what `waiting` returned. */
int vcf_frame_serve(const vcf_frame_server *srv);

#endif /* VCF_HARNESS_FRAME_SERVE_H */
