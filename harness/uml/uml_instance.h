/* SPDX-License-Identifier: MIT */
/*
 * vconform-vhost: one User-Mode Linux instance and everything around it (I/O).
 *
 * An instance is a temporary directory (the hostfs root with the agent as /init, UML's
 * uml_dir, the vhost-user socket), the UML process in its own process group (under
 * `timeout -k 5 LIFE`, with a watchdog that kills the group if this process dies), three pipes
 * (the console, and the agent's serial line ssl0 both ways) and the vhost-user back-end.
 *
 * Everything runs in ONE thread around one poll(2) loop, the pump: it serves the vhost-user
 * socket (always: UML waits for GET_FEATURES's answer at power-off), reads the console line by
 * line (every line is logged and parsed: trouble, the driver's rx records), reads the agent's
 * bytes, drains kick eventfds and collects what the driver sent on vq1. Every wait is "pump
 * until a condition holds or a deadline passes".
 */
#ifndef VCF_UML_INSTANCE_H
#define VCF_UML_INSTANCE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "frame.h"
#include "uml_config.h"
#include "vconform/adapter.h"

typedef struct uml_inst uml_inst;

/* Set by the signal handler (the signal's number): the pump then cleans up and exits. */
extern volatile sig_atomic_t vcf_uml_stop;

/* A message the driver sent on vq1 (collected by the pump, oldest first). */
typedef struct uml_txmsg {
    uint8_t *data;
    size_t len;
    struct uml_txmsg *next;
} uml_txmsg;

/* Create the (not yet booted) instance holder. NULL on out of memory. */
uml_inst *uml_new(const vcf_uml_opts *opts);
/* Kill and clean up whatever runs, free everything. */
void uml_free(uml_inst *u);

/* Boot a fresh instance for one case (killing the previous one first): UML with the agent,
 * the vhost-user handshake offering `features`, the agent's HELLO and RESET (role, params).
 * log_name: the case's log file name (sanitised), NULL for none. 0, or -1 with err. */
int uml_boot(uml_inst *u, uint64_t features, uint32_t role, const vcf_adapter_param *params,
             size_t n_params, const char *log_name, char *err, size_t err_len);

/* Stop the instance: CLOSE the agent, wait (bounded) for UML to power off, then kill its
 * group, reap, remove the temporary directory and close the log. Safe to call at any time. */
void uml_shutdown(uml_inst *u, bool graceful);

/* The async-signal-safe part of cleanup: SIGKILL the instance's process group. */
void uml_kill_from_signal(uml_inst *u);

bool uml_running(const uml_inst *u);
/* The kernel release the agent reported ("" before the first boot). */
const char *uml_kernel_version(const uml_inst *u);

/* Operations on a booted instance. All return VCF_ADAPTER_OK, _UNSUPPORTED or _ERROR with err
 * saying why (kernel trouble: "kernel: <line> (+N more lines)" and context). */
int uml_inject(uml_inst *u, const vcf_adapter_msg *m, char *err, size_t err_len);
/* Forward a request to the agent and return its reply (valid until the next agent call). */
int uml_agent_call(uml_inst *u, vcf_frame *req, const vcf_frame **reply, char *err, size_t err_len);
/* Pump without waiting (drain what is there, collect vq1). */
int uml_pump_now(uml_inst *u, char *err, size_t err_len);
/* Take the oldest collected vq1 message (NULL when none): the caller frees data and it. */
uml_txmsg *uml_take_tx(uml_inst *u);
/* Fill in a deliver event's source (and ept when it is 0xFFFFFFFF) from the oldest unused
 * "From: S, To: D, Len: L" record with To == ept (any To when the ept is unknown) and
 * Len == claimed_len. false when no record fits (the event is left as it is). */
bool uml_match_rx(uml_inst *u, uint64_t *ept, uint64_t *addr, uint64_t claimed_len);

/* A line for the case log ("# vconform-vhost: ..."). */
__attribute__((format(printf, 2, 3))) void uml_note(uml_inst *u, const char *fmt, ...);

#endif /* VCF_UML_INSTANCE_H */
