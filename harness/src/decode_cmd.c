/* SPDX-License-Identifier: MIT */
/*
 * vconform decode: print every field of RPMsg or virtio-msg messages given as hex.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "emit.h"
#include "hex.h"
#include "vconform/rpmsg.h"
#include "vconform/vmsg.h"

/* largest message accepted: an RPMsg buffer can hold more than its 16-bit len describes */
#define MAX_MESSAGE (1u << 20)

typedef enum { PROTO_NONE, PROTO_RPMSG, PROTO_VMSG } proto_t;

typedef struct opts {
    proto_t proto;
    vcf_rpmsg_params rp;
    vcf_vmsg_params vp;
    int json;
    const char *input;
} opts_t;

/* where a message came from, for error lines */
typedef struct origin {
    const char *source; /* file name, "<stdin>", or NULL for the command line */
    long line;
} origin_t;

static const char usage_text[] =
    "usage: vconform decode --proto rpmsg|virtio-msg [options] [HEX...]\n"
    "\n"
    "Decode one message given as hex arguments, or one message per line from --input FILE or\n"
    "standard input, and print every field with its offset.\n"
    "\n"
    "  -p, --proto rpmsg|virtio-msg  protocol of the messages (required)\n"
    "  -f, --format text|json        output format (default text; json: one object per line)\n"
    "  -i, --input FILE              read messages from FILE, one per line ('#' comments)\n"
    "RPMsg:\n"
    "  -b, --byte-order le|be        byte order of the link (default le: VIRTIO_F_VERSION_1;\n"
    "                                be: legacy link with a big-endian driver)\n"
    "      --no-ns                   VIRTIO_RPMSG_F_NS not negotiated: address 53 is data\n"
    "virtio-msg:\n"
    "      --rev pr28|rfc3           spec revision (default pr28)\n"
    "      --max-msg-size N          bus maximum message size to check against (default none)\n"
    "      --allow-padding           accept zero padding after msg_size\n"
    "\n"
    "Hex: bytes together or apart (\"0004\", \"00 04\", \"00:04\", \"0x00 0x04\"); every group "
    "holds\n"
    "whole bytes.\n"
    "Exit status: 0 all messages well-formed and clean, 1 a rule violation, 2 a malformed\n"
    "message or invalid hex, 64 a usage error.\n";

#define usage_error(...) vcf_cli_usage_error("decode", __VA_ARGS__)

static void location(char *buf, size_t cap, const origin_t *o)
{
    if (o->source)
        snprintf(buf, cap, "%s:%ld: ", o->source, o->line);
    else
        buf[0] = 0;
}

static json_t *json_header(const vcf_cli_decoded *d, const origin_t *o)
{
    json_t *j = json_object();
    json_object_set_new(j, "source", o->source ? json_string(o->source) : json_string("<args>"));
    json_object_set_new(j, "line", json_integer(o->line));
    json_object_set_new(j, "protocol", json_string(vcf_cli_proto_name(d->proto)));
    json_object_set_new(j, "params", vcf_cli_decoded_params_json(d));
    json_object_set_new(j, "length", json_integer((json_int_t)d->len));
    return j;
}

/* Decode one message and report it. Returns its exit status. */
static int decode_message(const opts_t *op, const origin_t *o, const uint8_t *buf, size_t n)
{
    static vcf_cli_decoded d; /* large; the CLI is single-threaded */
    int status = vcf_cli_decode_message(
        &d, op->proto == PROTO_RPMSG ? VCF_CLI_PROTO_RPMSG : VCF_CLI_PROTO_VMSG, &op->rp, &op->vp,
        buf, n);
    if (op->json) {
        json_t *j = json_header(&d, o);
        vcf_cli_decoded_json(&d, j);
        vcf_cli_json_puts(j);
        return status;
    }
    char loc[512], line[512];
    location(loc, sizeof loc, o);
    if (!d.parsed) {
        /* a message that could not be read as one: one line on stderr */
        vcf_error_format(&d.error, line, sizeof line);
        fprintf(stderr, "vconform decode: %smalformed %s message: %s\n", loc,
                vcf_cli_proto_name(d.proto), line);
        return status;
    }
    vcf_cli_decoded_text(&d, stdout);
    if (d.nonstandard) {
        vcf_error_format(&d.error, line, sizeof line);
        fprintf(stderr, "vconform decode: %snon-standard rpmsg message: %s\n", loc, line);
    }
    return status;
}

/* Decode one message written as hex. Returns its exit status. */
static int decode_text(const opts_t *op, const origin_t *o, const char *text, uint8_t *buf,
                       int skip_empty)
{
    vcf_cli_hex_error he;
    long n = vcf_cli_hex_parse(text, buf, MAX_MESSAGE, &he);
    if (n < 0) {
        if (op->json) {
            json_t *j = json_object();
            json_object_set_new(j, "source",
                                o->source ? json_string(o->source) : json_string("<args>"));
            json_object_set_new(j, "line", json_integer(o->line));
            json_object_set_new(j, "status", json_string("invalid-hex"));
            json_object_set_new(j, "column", json_integer((json_int_t)he.column));
            json_object_set_new(j, "error", json_string(he.what));
            vcf_cli_json_puts(j);
        } else {
            fprintf(stderr, "vconform decode: %s:%ld:%zu: invalid hex: %s\n",
                    o->source ? o->source : "<args>", o->line, he.column, he.what);
        }
        return VCF_CLI_EXIT_MALFORMED;
    }
    if (n == 0 && skip_empty)
        return -1; /* blank or comment line */
    return decode_message(op, o, buf, (size_t)n);
}

static int worse(int a, int b)
{
    return a > b ? a : b;
}

int vcf_cli_decode(int argc, char **argv)
{
    enum { OPT_NO_NS = 256, OPT_REV, OPT_MAX, OPT_PAD };
    static const struct option longopts[] = {
        {"proto", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {"input", required_argument, NULL, 'i'},
        {"byte-order", required_argument, NULL, 'b'},
        {"no-ns", no_argument, NULL, OPT_NO_NS},
        {"rev", required_argument, NULL, OPT_REV},
        {"max-msg-size", required_argument, NULL, OPT_MAX},
        {"allow-padding", no_argument, NULL, OPT_PAD},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    opts_t op = {.proto = PROTO_NONE};
    vcf_rpmsg_params_default(&op.rp);
    vcf_vmsg_params_default(&op.vp);
    const char *rpmsg_only = NULL, *vmsg_only = NULL;

    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "+p:f:i:b:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (strcmp(optarg, "rpmsg") == 0)
                op.proto = PROTO_RPMSG;
            else if (strcmp(optarg, "virtio-msg") == 0 || strcmp(optarg, "vmsg") == 0)
                op.proto = PROTO_VMSG;
            else
                return usage_error("unknown protocol '%s' (rpmsg or virtio-msg)", optarg);
            break;
        case 'f':
            if (strcmp(optarg, "json") == 0)
                op.json = 1;
            else if (strcmp(optarg, "text") == 0)
                op.json = 0;
            else
                return usage_error("unknown format '%s' (text or json)", optarg);
            break;
        case 'i': op.input = optarg; break;
        case 'b':
            if (strcmp(optarg, "le") == 0)
                op.rp.order = VCF_LITTLE_ENDIAN;
            else if (strcmp(optarg, "be") == 0)
                op.rp.order = VCF_BIG_ENDIAN;
            else
                return usage_error("unknown byte order '%s' (le or be)", optarg);
            rpmsg_only = "--byte-order";
            break;
        case OPT_NO_NS:
            op.rp.ns = false;
            rpmsg_only = "--no-ns";
            break;
        case OPT_REV:
            if (vcf_vmsg_rev_parse(optarg, &op.vp.rev) != VCF_OK)
                return usage_error("unknown revision '%s' (pr28 or rfc3)", optarg);
            vmsg_only = "--rev";
            break;
        case OPT_MAX: {
            char *end;
            unsigned long v = strtoul(optarg, &end, 0);
            if (*optarg == 0 || *end != 0 || v > VCF_VMSG_MSG_SIZE_LIMIT)
                return usage_error("--max-msg-size takes a number from 0 to 65535, not '%s'",
                                   optarg);
            op.vp.max_msg_size = (uint32_t)v;
            vmsg_only = "--max-msg-size";
            break;
        }
        case OPT_PAD:
            op.vp.allow_padding = true;
            vmsg_only = "--allow-padding";
            break;
        case 'h': fputs(usage_text, stdout); return VCF_CLI_EXIT_OK;
        default: return usage_error("invalid option");
        }
    }
    if (op.proto == PROTO_NONE)
        return usage_error("--proto rpmsg or --proto virtio-msg is required");
    if (op.proto == PROTO_VMSG && rpmsg_only)
        return usage_error("%s applies to rpmsg only (virtio-msg is always little-endian)",
                           rpmsg_only);
    if (op.proto == PROTO_RPMSG && vmsg_only)
        return usage_error("%s applies to virtio-msg only", vmsg_only);
    if (op.input && optind < argc)
        return usage_error("give hex arguments or --input, not both");

    uint8_t *buf = malloc(MAX_MESSAGE);
    if (!buf) {
        fputs("vconform decode: out of memory\n", stderr);
        return VCF_CLI_EXIT_MALFORMED;
    }
    int status = VCF_CLI_EXIT_OK;

    if (optind < argc) {
        /* the arguments together are one message */
        size_t total = 1;
        for (int i = optind; i < argc; i++)
            total += strlen(argv[i]) + 1;
        char *text = malloc(total);
        if (!text) {
            free(buf);
            return VCF_CLI_EXIT_MALFORMED;
        }
        text[0] = 0;
        for (int i = optind; i < argc; i++) {
            strcat(text, argv[i]);
            if (i + 1 < argc)
                strcat(text, " ");
        }
        origin_t o = {NULL, 1};
        status = decode_text(&op, &o, text, buf, 0);
        free(text);
        free(buf);
        return status;
    }

    FILE *in = stdin;
    const char *source = "<stdin>";
    if (op.input) {
        in = fopen(op.input, "r");
        if (!in) {
            free(buf);
            fprintf(stderr, "vconform decode: cannot open %s: ", op.input);
            perror(NULL);
            return VCF_CLI_EXIT_USAGE;
        }
        source = op.input;
    } else if (isatty(STDIN_FILENO)) {
        fputs("vconform decode: reading hex from standard input, one message per line "
              "(end with Ctrl-D)\n",
              stderr);
    }
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    int decoded = 0;
    while (getline(&line, &cap, in) != -1) {
        lineno++;
        origin_t o = {source, lineno};
        int rc = decode_text(&op, &o, line, buf, 1);
        if (rc < 0)
            continue;
        if (!op.json && decoded && rc != VCF_CLI_EXIT_MALFORMED)
            fputc('\n', stdout);
        decoded = 1;
        status = worse(status, rc);
        fflush(stdout);
    }
    free(line);
    if (in != stdin)
        fclose(in);
    free(buf);
    return status;
}
