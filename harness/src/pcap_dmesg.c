/* SPDX-License-Identifier: MIT */
/*
 * vconform pcap import-dmesg: the Linux virtio_rpmsg_bus dynamic-debug hex dumps of a kernel
 * log (dmesg, dmesg -T, dmesg -x, journalctl -k, a serial console) as a vconform capture
 * (docs/capture-tools.md). The parsing is in dmesg.c; this file reads the input and writes the
 * records through the capture library.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dmesg.h"
#include "vconform/adapter.h"
#include "vconform/capture_file.h"

static const char usage_text[] =
    "usage: vconform pcap import-dmesg [options] [FILE|-]\n"
    "\n"
    "Turn the hex dumps the Linux virtio_rpmsg_bus driver logs with dynamic debug\n"
    "(\"rpmsg_virtio RX: ...\", \"rpmsg_virtio TX: ...\") into a vconform capture. Reads FILE\n"
    "or standard input: dmesg, dmesg -T, dmesg -x, journalctl -k or raw console text.\n"
    "Records are written as the Linux driver side (role rpmsg-driver): RX messages as\n"
    "received on vq0, TX messages as sent on vq1.\n"
    "\n"
    "  -o, --out FILE       the capture to write (default: standard output)\n"
    "      --order le|be    byte order of the link's headers (default le; be: a legacy\n"
    "                       big-endian link)\n"
    "      --buf-size N     size of the link's buffers (default 512)\n"
    "      --no-ns          the name-service feature was not negotiated\n"
    "      --instance N     the instance number written in each record (default 0)\n"
    "      --strict         exit 1 when a line looks like a dump but cannot be read\n"
    "\n"
    "Lines that look like a dump but cannot be read are reported as FILE:LINE: expected ...\n"
    "and skipped; a summary goes to standard error.\n"
    "Exit status: 0 done, 1 unreadable dump lines with --strict, 2 an input or output\n"
    "error, 64 a usage error.\n";

typedef struct import_ctx {
    const char *name; /* the input, for messages */
    vcf_capture_file *cap;
    vcf_capture_meta base;
    uint64_t buf_size;
    size_t records;
    size_t recorded[2]; /* by direction */
    size_t left_out;    /* incomplete messages not recorded */
    size_t cut;         /* messages longer than a buffer, cut to it */
    int write_failed;
} import_ctx;

static void on_event(void *vctx, const vcf_dmesg_event *ev)
{
    import_ctx *c = vctx;
    if (ev->kind == VCF_DMESG_EV_ERROR) {
        fprintf(stderr, "%s:%zu: %s\n", c->name, ev->line, ev->text);
        return;
    }
    if (ev->kind == VCF_DMESG_EV_WARNING) {
        fprintf(stderr, "%s:%zu: warning: %s\n", c->name, ev->line, ev->text);
        return;
    }
    const vcf_dmesg_msg *m = ev->msg;
    if (!m->complete) {
        c->left_out++; /* the parser has warned about it */
        return;
    }
    if (c->write_failed)
        return;
    size_t len = m->len;
    if (len > c->buf_size) {
        /* the kernel dumps 16 + the untrusted len of a received header, past the buffer */
        c->cut++;
        fprintf(stderr,
                "%s:%zu: warning: %s dump of lines %zu-%zu has %zu bytes, more than a %" PRIu64
                "-byte buffer holds (its header's len is untrusted): recorded as the first %" PRIu64
                " bytes\n",
                c->name, m->first_line, vcf_dmesg_dir_name(m->dir), m->first_line, m->last_line,
                len, c->buf_size, c->buf_size);
        len = (size_t)c->buf_size;
    }
    vcf_capture_meta meta = c->base;
    if (m->dir == VCF_DMESG_RX) {
        meta.direction = VCF_CAPTURE_DIR_TO_IUT;
        meta.channel = 0; /* vq0: device to driver */
    } else {
        meta.direction = VCF_CAPTURE_DIR_FROM_IUT;
        meta.channel = 1; /* vq1: driver to device */
    }
    meta.step_index = (uint32_t)(c->records > 0xFFFFFFFFu ? 0xFFFFFFFFu : c->records);
    int64_t sec = (int64_t)c->records;
    uint32_t usec = 0;
    if (m->has_ts) {
        sec = m->ts_sec;
        usec = m->ts_usec;
    }
    if (vcf_capture_record_at(c->cap, &meta, m->data, len, sec, usec) != 0) {
        c->write_failed = 1;
        return;
    }
    c->records++;
    c->recorded[m->dir]++;
}

static int parse_u64(const char *s, uint64_t *out)
{
    return vcf_param_parse_u64(s, out);
}

int vcf_cli_pcap_import_dmesg(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},      {"order", required_argument, NULL, 'E'},
        {"buf-size", required_argument, NULL, 'B'}, {"no-ns", no_argument, NULL, 'N'},
        {"instance", required_argument, NULL, 'I'}, {"strict", no_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    const char *out = "-";
    bool big_endian = false, no_ns = false, strict = false;
    uint64_t buf_size = 512, instance = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'E':
            if (strcmp(optarg, "le") == 0)
                big_endian = false;
            else if (strcmp(optarg, "be") == 0)
                big_endian = true;
            else
                return vcf_cli_usage_error("pcap import-dmesg", "--order wants le or be, not '%s'",
                                           optarg);
            break;
        case 'B':
            if (parse_u64(optarg, &buf_size) != 0 || buf_size < 16 || buf_size > 0xFFFFFFFFu)
                return vcf_cli_usage_error("pcap import-dmesg",
                                           "--buf-size wants a number from 16 to 4294967295, not "
                                           "'%s'",
                                           optarg);
            break;
        case 'N': no_ns = true; break;
        case 'I':
            if (parse_u64(optarg, &instance) != 0 || instance > 0xFFFFFFFFu)
                return vcf_cli_usage_error("pcap import-dmesg",
                                           "--instance wants a number up to 4294967295, not '%s'",
                                           optarg);
            break;
        case 'S': strict = true; break;
        case 'h': fputs(usage_text, stdout); return VCF_CLI_EXIT_OK;
        default: return vcf_cli_usage_error("pcap import-dmesg", "see --help");
        }
    }
    if (argc - optind > 1)
        return vcf_cli_usage_error("pcap import-dmesg", "unexpected argument '%s'",
                                   argv[optind + 1]);
    const char *in_path = optind < argc ? argv[optind] : "-";
    bool from_stdin = strcmp(in_path, "-") == 0;
    FILE *in = from_stdin ? stdin : fopen(in_path, "rb");
    if (!in) {
        fprintf(stderr, "vconform pcap import-dmesg: %s: %s\n", in_path, strerror(errno));
        return VCF_CLI_EXIT_MALFORMED;
    }

    import_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.name = from_stdin ? "<stdin>" : in_path;
    ctx.buf_size = buf_size;
    vcf_capture_meta_init(&ctx.base);
    ctx.base.role = VCF_IUT_RPMSG_DRIVER;
    ctx.base.protocol = VCF_CAPTURE_PROTO_RPMSG;
    ctx.base.order = big_endian ? VCF_CAPTURE_ORDER_BE : VCF_CAPTURE_ORDER_LE;
    ctx.base.bus = VCF_CAPTURE_BUS_REMOTEPROC;
    ctx.base.link_flags = VCF_CAPTURE_L_NS_KNOWN | (no_ns ? 0u : VCF_CAPTURE_L_NS);
    ctx.base.capacity = buf_size;
    ctx.base.instance = (uint32_t)instance;

    char err[256];
    vcf_capture_options copts;
    vcf_capture_options_init(&copts);
    copts.timestamps = VCF_CAPTURE_TS_CALLER;
    ctx.cap = vcf_capture_open(out, &copts, err, sizeof err);
    if (!ctx.cap) {
        fprintf(stderr, "vconform pcap import-dmesg: %s\n", err);
        if (!from_stdin)
            fclose(in);
        return VCF_CLI_EXIT_MALFORMED;
    }

    vcf_dmesg_parser p;
    int rc = VCF_CLI_EXIT_OK;
    if (vcf_dmesg_init(&p, big_endian, on_event, &ctx) != 0) {
        fputs("vconform pcap import-dmesg: out of memory\n", stderr);
        rc = VCF_CLI_EXIT_MALFORMED;
    } else {
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
            if (vcf_dmesg_feed(&p, buf, n) != 0)
                break;
        if (ferror(in)) {
            fprintf(stderr, "vconform pcap import-dmesg: %s: read error: %s\n", ctx.name,
                    strerror(errno));
            rc = VCF_CLI_EXIT_MALFORMED;
        }
        vcf_dmesg_finish(&p);
    }
    if (!from_stdin)
        fclose(in);
    if (vcf_capture_close(ctx.cap, err, sizeof err) != 0 || ctx.write_failed) {
        fprintf(stderr, "vconform pcap import-dmesg: %s\n", err[0] ? err : "write error");
        rc = VCF_CLI_EXIT_MALFORMED;
    }
    const vcf_dmesg_stats *st = &p.stats;
    size_t skipped = st->lines - st->dump_lines - st->dbg_lines;
    fprintf(stderr,
            "vconform pcap import-dmesg: %s: %zu messages imported (%zu RX to the driver, "
            "%zu TX from the driver); %zu lines read, %zu skipped (%zu unreadable dump lines); "
            "%zu incomplete and %zu damaged dumps left out; %zu warnings\n",
            ctx.name, ctx.records, ctx.recorded[VCF_DMESG_RX], ctx.recorded[VCF_DMESG_TX],
            st->lines, skipped, st->bad_lines, ctx.left_out, st->damaged, st->warnings + ctx.cut);
    if (rc == VCF_CLI_EXIT_OK && strict && st->bad_lines)
        rc = VCF_CLI_EXIT_VIOLATION;
    vcf_dmesg_free(&p);
    return rc;
}
