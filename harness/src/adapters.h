/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: opening an adapter from its command-line spec.
 *
 *   model[:OPT[,OPT...]]  the reference model, in-process (OPT: fault=NAME, profile=NAME)
 *   so:PATH[,OPTIONS]     a shared object exporting vcf_adapter_init, run in a child process
 *                         (vconform-peer) so that a crash or a hang fails one case only
 *   exec:CMD              a child process speaking docs/adapter-protocol.md on stdin/stdout
 *                         (CMD is run by /bin/sh -c)
 *   linux-uml[:OPTIONS]   Linux's virtio_rpmsg_bus in User-Mode Linux: exec of
 *                         `vconform-vhost uml OPTIONS` (found next to vconform, in the build
 *                         tree, or at $VCONFORM_VHOST); one operation may take at least 60 s
 *                         whatever the timeout (a boot happens in every reset)
 *
 * Besides the ABI table, the harness needs two things from its own adapters: the text of the
 * last error ("child killed by signal 11 (SIGSEGV)", "no answer within 5.0 s") and a way to
 * start again after one. Adapters that cannot fail that way leave them NULL.
 */
#ifndef VCF_HARNESS_ADAPTERS_H
#define VCF_HARNESS_ADAPTERS_H

#include <stdbool.h>
#include <stddef.h>

#include "vconform/adapter.h"

typedef struct vcf_hadapter {
    vcf_adapter ad;
    /* The last VCF_ADAPTER_ERROR explained (NULL or "" when none). */
    const char *(*last_error)(void *ud);
    /* Start afresh after an error (a new child). 0 on success. */
    int (*restart)(void *ud);
    /* Seconds one operation may take before the adapter gives up (exec, so). */
    void (*set_timeout)(void *ud, double seconds);
} vcf_hadapter;

/* Open an adapter from its spec. 0, or -1 with err. */
int vcf_hadapter_open(const char *spec, vcf_hadapter *out, char *err, size_t err_len);
void vcf_hadapter_close(vcf_hadapter *h);

/* ---- the built-in model adapter (adapter_model.c) ---------------------------------------- */

/* A fault class the model adapter can inject: a realistic implementation bug. */
typedef struct vcf_fault_info {
    const char *name;    /* "rpmsg-len-off-by-one", ... */
    uint32_t roles;      /* VCF_IUT_ROLE_BIT of the roles it affects */
    const char *summary; /* one line: what the bug is */
} vcf_fault_info;

/* All fault classes, terminated by an entry with name NULL. */
const vcf_fault_info *vcf_model_faults(void);

/* Fill a table for the model. options: "" or comma-separated "fault=NAME", "profile=NAME"
 * (the model profile: strict, linux, openamp, qemu, optee). 0, or -1 with err. */
int vcf_model_adapter_init(const char *options, vcf_adapter *out, char *err, size_t err_len);

/* ---- exec: and so: (adapter_exec.c) --------------------------------------------------------- */

/* A child process speaking the stdio protocol: cmd is run by /bin/sh -c in its own process
 * group, with pipes on its stdin and stdout (stderr is inherited). */
int vcf_exec_adapter_open(const char *cmd, vcf_hadapter *out, char *err, size_t err_len);
/* The least per-operation timeout the exec: adapter h (just opened by vcf_exec_adapter_open)
 * uses from now on, whatever set_timeout asks for later: for an implementation known to be slow
 * (linux-uml boots a kernel in every reset). */
void vcf_exec_adapter_min_timeout(vcf_hadapter *h, double seconds);

/* so:PATH,OPTIONS: vconform-peer --adapter so:PATH,OPTIONS as the child. peer_path is the
 * vconform-peer executable (found next to the running vconform when NULL). */
int vcf_so_adapter_open(const char *path_and_options, const char *peer_path, vcf_hadapter *out,
                        char *err, size_t err_len);

/* 'text' quoted for /bin/sh, whatever it holds (malloc'd); NULL on out of memory. */
char *vcf_sh_quote(const char *text);

/* The directory of the running executable, without a trailing slash. 0, or -1 with errno set
 * when /proc/self/exe cannot be read. */
int vcf_exe_dir(char *out, size_t size);

/* In-process dlopen of a shared object (used by vconform-peer, and by tests). The handle is
 * stored in *dl for dlclose. */
int vcf_so_adapter_load(const char *path_and_options, vcf_adapter *out, void **dl, char *err,
                        size_t err_len);

#endif /* VCF_HARNESS_ADAPTERS_H */
