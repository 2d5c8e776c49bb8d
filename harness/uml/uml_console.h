/* SPDX-License-Identifier: MIT */
/*
 * vconform-vhost: reading the UML kernel's console, one line at a time (pure: no I/O).
 *
 * The console (UML's stdout, kernel log at loglevel 8 with virtio_rpmsg_bus's dev_dbg lines on)
 * tells the host side three things the rings cannot:
 *
 *   - trouble: a BUG, a WARN, an oops, a panic; the case fails with that line;
 *   - what the driver made of each rx buffer: rpmsg_recv_single() prints
 *       "From: 0x%x, To: 0x%x, Len: %d, Flags: %d, Reserved: %d"   before it dispatches,
 *       "inbound msg too big: (%d, %d)"                            when it drops the buffer,
 *     and rpmsg_recv_done() ends every callback run with "Received %u messages" (or, when the
 *     interrupt found nothing, "uhm, incoming signal, but no used buffer ?");
 *   - the in-guest agent's "vconform-agent: ready VERSION" line.
 *
 * Texts are those of Linux 6.1 drivers/rpmsg/virtio_rpmsg_bus.c. Lines are matched by their
 * content wherever it starts (the dev_dbg prefix "virtio_rpmsg_bus virtio0: " and a printk
 * timestamp are allowed before it).
 */
#ifndef VCF_UML_CONSOLE_H
#define VCF_UML_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

typedef enum vcf_uml_line_kind {
    VCF_UML_LINE_OTHER = 0,
    VCF_UML_LINE_TROUBLE,  /* BUG:, WARNING:, Kernel panic, Oops, ...: `trouble` names it */
    VCF_UML_LINE_RX,       /* From/To/Len record: src, dst, len, flags, reserved */
    VCF_UML_LINE_TOO_BIG,  /* "inbound msg too big": used_len (len) and msg_len (count) */
    VCF_UML_LINE_RECEIVED, /* "Received N messages": count */
    VCF_UML_LINE_NO_USED,  /* "uhm, incoming signal, but no used buffer ?" */
    VCF_UML_LINE_READY     /* "vconform-agent: ready VERSION": version */
} vcf_uml_line_kind;

typedef struct vcf_uml_line {
    vcf_uml_line_kind kind;
    const char *trouble; /* TROUBLE: the pattern that matched ("BUG:", "Call Trace:", ...) */
    uint32_t src, dst;   /* RX */
    int64_t len;         /* RX: the header's length; TOO_BIG: the used length */
    int64_t flags, reserved;
    uint64_t count;    /* RECEIVED: messages; TOO_BIG: the header's length */
    char version[128]; /* READY: the rest of the line, trimmed */
} vcf_uml_line;

/* Classify one console line (without its newline; a trailing '\r' is ignored). Never fails:
 * a line that matches nothing, or that matches a record's start but not its whole format, is
 * VCF_UML_LINE_OTHER (or TROUBLE, which is checked first). The driver's hex dump of a received
 * message ("rpmsg_virtio RX: ...") and the agent's own lines are never trouble: they can hold
 * any text the test sent. */
vcf_uml_line_kind vcf_uml_parse_line(const char *line, vcf_uml_line *out);

/* The kind's name ("trouble", "rx", ...), for logs. */
const char *vcf_uml_line_kind_name(vcf_uml_line_kind kind);

/* A file name for a case's log: the id with every byte outside [A-Za-z0-9._-] turned into '_',
 * a leading '.' too, at most cap - 1 bytes; "" stays "". */
void vcf_uml_sanitize_name(const char *id, char *out, size_t cap);

#endif /* VCF_UML_CONSOLE_H */
