/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: a parser of the Linux virtio_rpmsg_bus dynamic-debug hex dumps
 * (`vconform pcap import-dmesg`, docs/capture-tools.md).
 *
 * With CONFIG_DYNAMIC_DEBUG and `file virtio_rpmsg_bus.c +p`, the Linux driver logs every
 * message it receives and sends:
 *
 *   virtio_rpmsg_bus virtio0: From: 0x0, To: 0x35, Len: 40, Flags: 0, Reserved: 0
 *   rpmsg_virtio RX: 00 00 00 00 35 00 00 00 00 00 00 00 28 00 00 00  ....5.......(...
 *   rpmsg_virtio RX: 72 70 6d 73 67 2d 74 74 79 2d 72 61 77 00 00 00  rpmsg-tty-raw...
 *   ...
 *   virtio_rpmsg_bus virtio0.rpmsg-tty.-1.1024: TX From 0x400, To 0x35, Len 40, Flags 0, ...
 *   rpmsg_virtio TX: ...
 *
 * The parser is pure: text goes in (whole lines, or chunks of any size), and complete messages
 * (direction, bytes, timestamp, line numbers), errors and warnings come out through a callback.
 * It does no I/O, so it can be fuzzed and tested on strings. It allocates (the message being
 * assembled, a partial line), and vcf_dmesg_free releases that.
 *
 * Message boundaries: a message's dump is 16 + the header's len bytes (the len read in the
 * link's byte order); it also ends at a dev_dbg header line, at a line of the other direction,
 * at a line with fewer than 16 bytes, and at the end of the input. Lines that contain neither a
 * dump nor a dev_dbg header are ignored (dmesg interleaves other drivers' output).
 */
#ifndef VCF_HARNESS_DMESG_H
#define VCF_HARNESS_DMESG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VCF_DMESG_LINE_MAX 4096u          /* longer lines are cut here */
#define VCF_DMESG_MSG_MAX  (16u + 65535u) /* the longest dump: header + a 16-bit len */
#define VCF_DMESG_TEXT_MAX 320u           /* longest error or warning text */

typedef enum vcf_dmesg_dir {
    VCF_DMESG_RX = 0, /* "rpmsg_virtio RX: ": received by the Linux driver (vq0) */
    VCF_DMESG_TX = 1  /* "rpmsg_virtio TX: ": sent by the Linux driver (vq1) */
} vcf_dmesg_dir;

/* The dev_dbg line logged before a dump ("From: 0x%x, To: 0x%x, Len: %d, ..."). */
typedef struct vcf_dmesg_dbg {
    bool present;
    size_t line;
    uint32_t src, dst, len, flags, reserved;
} vcf_dmesg_dbg;

typedef struct vcf_dmesg_msg {
    vcf_dmesg_dir dir;
    const uint8_t *data; /* the dumped bytes (valid during the callback only) */
    size_t len;
    size_t first_line, last_line; /* 1-based line numbers of its first and last dump line */
    bool has_ts;                  /* a "[ sec.usec]" or "dmesg -T" stamp on its first line */
    int64_t ts_sec;
    uint32_t ts_usec;
    bool complete;     /* the dump holds 16 + the header's len bytes */
    size_t claimed;    /* 16 + the header's len; 0 when fewer than 16 bytes were dumped */
    vcf_dmesg_dbg dbg; /* the dev_dbg line before it, if any */
} vcf_dmesg_msg;

typedef enum vcf_dmesg_event_kind {
    VCF_DMESG_EV_MESSAGE = 0, /* a message ended (complete or not; a warning says when not) */
    VCF_DMESG_EV_ERROR = 1,   /* a line that looks like a dump does not parse */
    VCF_DMESG_EV_WARNING = 2  /* something suspicious; the text says what */
} vcf_dmesg_event_kind;

typedef struct vcf_dmesg_event {
    vcf_dmesg_event_kind kind;
    size_t line;              /* the line it is about (1-based) */
    const char *text;         /* ERROR: "expected ..."; WARNING: what is wrong; MESSAGE: NULL */
    const vcf_dmesg_msg *msg; /* MESSAGE only */
} vcf_dmesg_event;

typedef void (*vcf_dmesg_fn)(void *ctx, const vcf_dmesg_event *ev);

/* Counters, updated as lines are read. */
typedef struct vcf_dmesg_stats {
    size_t lines;       /* lines read */
    size_t dump_lines;  /* lines with a dump that parsed */
    size_t dbg_lines;   /* dev_dbg header lines */
    size_t bad_lines;   /* lines that look like a dump but do not parse (errors) */
    size_t warnings;    /* warnings reported */
    size_t messages[2]; /* messages reported, by vcf_dmesg_dir (complete or not) */
    size_t incomplete;  /* of those, incomplete ones */
    size_t damaged;     /* messages left out because one of their lines did not parse */
} vcf_dmesg_stats;

typedef struct vcf_dmesg_parser {
    /* configuration */
    bool big_endian; /* read the header's len as big-endian (a legacy big-endian link) */
    vcf_dmesg_fn fn;
    void *ctx;
    /* the partial line of vcf_dmesg_feed */
    char *carry;
    size_t carry_len;
    bool carry_cut; /* the line passed VCF_DMESG_LINE_MAX: the rest is dropped */
    /* the message being assembled */
    bool active;
    bool damaged;
    size_t damaged_line;
    vcf_dmesg_msg cur;
    uint8_t *buf;   /* VCF_DMESG_MSG_MAX bytes */
    size_t counted; /* bytes the dump has shown so far (damaged lines count 16) */
    /* the last dev_dbg line, waiting for its dump */
    vcf_dmesg_dbg pending;
    vcf_dmesg_dir pending_dir;
    bool failed; /* out of memory */
    vcf_dmesg_stats stats;
} vcf_dmesg_parser;

/* Set up a parser; 0, or -1 when memory ran out. */
int vcf_dmesg_init(vcf_dmesg_parser *p, bool big_endian, vcf_dmesg_fn fn, void *ctx);

/* Text in chunks of any size: lines end at '\n' (a '\r' before it is dropped). 0 or -1. */
int vcf_dmesg_feed(vcf_dmesg_parser *p, const char *text, size_t len);

/* One whole line, without its newline (a trailing '\r' is dropped). 0 or -1. */
int vcf_dmesg_line(vcf_dmesg_parser *p, const char *line, size_t len);

/* The end of the input: the last partial line, then the message being assembled. 0 or -1. */
int vcf_dmesg_finish(vcf_dmesg_parser *p);

void vcf_dmesg_free(vcf_dmesg_parser *p);

const char *vcf_dmesg_dir_name(vcf_dmesg_dir dir); /* "RX", "TX" */

#endif /* VCF_HARNESS_DMESG_H */
