/* SPDX-License-Identifier: MIT */
/*
 * vconform pcap decode: read a vconform capture (docs/capture-format.md) and decode every
 * record's message with the reference model, as `vconform decode` does for hex input.
 *
 * Each record is read with vcf_capture_parse() and its message with the parameters that
 * vcf_capture_rpmsg_params() / vcf_capture_vmsg_params() derive from the pseudo-header: the same
 * calls the Wireshark dissector makes, so both read a record the same way.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <pcap/pcap.h>

#include "cli.h"
#include "emit.h"
#include "run.h"
#include "vconform/adapter.h"
#include "vconform/capture.h"
#include "vconform/rules.h"

static const char usage_text[] =
    "usage: vconform pcap decode [options] FILE\n"
    "\n"
    "Decode every record of a vconform capture with the reference model: the record's\n"
    "pseudo-header, every field of its message with its offset, and the rule violations.\n"
    "\n"
    "  -f, --format text|json  output format (default text; json: one object per record)\n"
    "  -r, --rules             also print the catalogue entry of every rule a violation cites\n"
    "  -h, --help              this text\n"
    "\n"
    "Link types: 252 (WIRESHARK_UPPER_PDU, what vconform run --pcap writes) and 147-162\n"
    "(USER0-15: pseudo-header and message without exported-PDU tags).\n"
    "Frames are numbered from 1, as Wireshark numbers them. A record that cannot be read is\n"
    "reported with its frame number and byte offset, and decoding goes on.\n"
    "Exit status: 0 every message well-formed and clean, 1 a rule violation, 2 a malformed\n"
    "message, an unreadable record or a read error, 64 a usage error.\n";

#define usage_error(...) vcf_cli_usage_error("pcap decode", __VA_ARGS__)

#define PCAP_FILE_HEADER   24u
#define PCAP_RECORD_HEADER 16u

typedef struct opts {
    int json;
    int rules;
    const char *path;
} opts_t;

/* One record as read from the file. */
typedef struct record {
    unsigned long frame;   /* 1-based */
    long long file_offset; /* of its pcap record header; -1 when not known (pcapng) */
    uint32_t linktype;
    const struct pcap_pkthdr *ph;
    const uint8_t *bytes;
} record_t;

static uint32_t ld32le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int worse(int a, int b)
{
    return a > b ? a : b;
}

static const char *result_name(uint32_t result)
{
    if (result == VCF_CAPTURE_RESULT_NONE)
        return "none";
    if (result < VCF_CASE_STATUS_COUNT)
        return vcf_case_status_name((vcf_case_status)result);
    return "?";
}

static const char *direction_name(uint32_t direction)
{
    return direction == VCF_CAPTURE_DIR_TO_IUT     ? "to the implementation"
           : direction == VCF_CAPTURE_DIR_FROM_IUT ? "from the implementation"
                                                   : "direction ?";
}

/* Start of the pseudo-header within the record. */
static const uint8_t *pseudo_header(const record_t *r, const vcf_capture_view *v)
{
    return r->bytes + v->tags_len;
}

/* ---- JSON ---------------------------------------------------------------------------------- */

static json_t *json_frame(const record_t *r)
{
    json_t *j = json_object();
    json_object_set_new(j, "frame", json_integer((json_int_t)r->frame));
    json_object_set_new(j, "file_offset",
                        r->file_offset >= 0 ? json_integer(r->file_offset) : json_null());
    return j;
}

/* A case ID as JSON text: printable ASCII as is, any other byte as \xNN. */
static json_t *json_case_id(const char *id, size_t len)
{
    char *s = malloc(4 * len + 1);
    if (!s)
        return json_null();
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)id[i];
        if (ch >= 0x20 && ch < 0x7F && ch != '\\')
            s[k++] = (char)ch;
        else
            k += (size_t)snprintf(s + k, 5, "\\x%02x", ch);
    }
    s[k] = 0;
    json_t *j = json_string(s);
    free(s);
    return j;
}

#define U(name, value) json_object_set_new(o, name, json_integer((json_int_t)(value)))

/* Every pseudo-header field, by the names of docs/capture-format.md. */
static json_t *json_pseudo_header(const record_t *r, const vcf_capture_view *v)
{
    const uint8_t *p = pseudo_header(r, v);
    json_t *o = json_object();
    U("magic", VCF_CAPTURE_MAGIC); /* the parser refuses any other */
    U("version", v->version);
    U("protocol", v->protocol);
    U("hdr_len", v->hdr_len);
    U("direction", v->direction);
    U("role", v->role);
    U("channel", v->channel);
    U("byte_order", v->order);
    U("result", v->result);
    U("reserved", p[13]);
    U("flags", v->flags);
    U("capacity", v->capacity);
    U("used_len", v->used_len);
    U("orig_len", v->orig_len);
    U("case_index", v->case_index);
    U("step_index", v->step_index);
    U("record_index", v->record_index);
    U("case_id_offset", v->case_id ? (size_t)((const uint8_t *)v->case_id - p) : 0u);
    U("case_id_len", v->case_id_len);
    if (v->version >= 2) {
        U("bus", v->bus);
        U("revision", v->revision);
        U("link_flags", v->link_flags);
        U("max_msg_size", v->max_msg_size);
        U("instance", v->instance);
    }
    json_object_set_new(o, "case_id",
                        v->case_id ? json_case_id(v->case_id, v->case_id_len) : json_null());
    return o;
}

#undef U

/* The cited rules, once each, in order of first citation. */
static json_t *json_rules(const vcf_cli_decoded *d)
{
    json_t *arr = json_array();
    size_t n = d->nerrs < VCF_CLI_MAX_VIOLATIONS ? d->nerrs : VCF_CLI_MAX_VIOLATIONS;
    for (size_t i = 0; i < n; i++) {
        const char *id = d->errs[i].rule;
        if (!id)
            continue;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = d->errs[k].rule && strcmp(d->errs[k].rule, id) == 0;
        const vcf_rule *rule = vcf_rule_find(id);
        if (seen || !rule)
            continue;
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(rule->id));
        json_object_set_new(o, "level", json_string(vcf_rule_level_name(rule->level)));
        json_object_set_new(o, "title", json_string(rule->title));
        json_object_set_new(o, "statement", json_string(rule->statement));
        json_array_append_new(arr, o);
    }
    return arr;
}

/* ---- text ---------------------------------------------------------------------------------- */

static void text_heading(const record_t *r, const vcf_capture_view *v)
{
    printf("frame %lu", r->frame);
    if (r->file_offset >= 0)
        printf(" (file offset %lld)", r->file_offset);
    const char *channel = vcf_channel_name(v->role, v->channel);
    printf(": %s, %s, %s, channel ", vcf_capture_protocol_name(v->protocol),
           vcf_iut_role_name(v->role), direction_name(v->direction));
    if (channel)
        printf("%s\n", channel);
    else
        printf("%u\n", (unsigned)v->channel);
    printf("  case %" PRIu32, v->case_index);
    if (v->case_id)
        printf(" %.*s", (int)v->case_id_len, v->case_id);
    printf(", step %" PRIu32 ", record %" PRIu32 ", case result %s", v->step_index, v->record_index,
           result_name(v->result));
    if (v->flags & VCF_CAPTURE_F_TRUNCATED)
        printf(", truncated (%zu of %" PRIu32 " bytes)", v->data_len, v->orig_len);
    if (v->flags & VCF_CAPTURE_F_SYNTHESIZED)
        printf(", synthesized");
    if (v->flags & VCF_CAPTURE_F_FAILED_STEP)
        printf(", failed step");
    putchar('\n');
}

static void text_rules(const vcf_cli_decoded *d)
{
    json_t *rules = json_rules(d);
    size_t i;
    json_t *o;
    json_array_foreach(rules, i, o)
    {
        printf("  rule %s (%s): %s. %s\n", json_string_value(json_object_get(o, "id")),
               json_string_value(json_object_get(o, "level")),
               json_string_value(json_object_get(o, "title")),
               json_string_value(json_object_get(o, "statement")));
    }
    json_decref(rules);
}

/* ---- one record ---------------------------------------------------------------------------- */

/* A record that vcf_capture_parse() refused, or whose message has no known protocol. */
static int report_unreadable(const opts_t *op, const record_t *r, const char *what)
{
    char note[96] = "";
    if (r->ph->caplen < r->ph->len)
        snprintf(note, sizeof note, " (the pcap record holds %" PRIu32 " of its %" PRIu32 " bytes)",
                 (uint32_t)r->ph->caplen, (uint32_t)r->ph->len);
    if (op->json) {
        json_t *j = json_frame(r);
        json_object_set_new(j, "status", json_string("unreadable-record"));
        char text[768];
        snprintf(text, sizeof text, "%s%s", what, note);
        json_object_set_new(j, "error", json_string(text));
        vcf_cli_json_puts(j);
    } else {
        printf("frame %lu", r->frame);
        if (r->file_offset >= 0)
            printf(" (file offset %lld)", r->file_offset);
        printf(": unreadable record: %s%s\n", what, note);
    }
    if (r->file_offset >= 0)
        fprintf(stderr,
                "vconform pcap decode: frame %lu (record at file offset %lld, record bytes "
                "from %lld): %s%s\n",
                r->frame, r->file_offset, r->file_offset + PCAP_RECORD_HEADER, what, note);
    else
        fprintf(stderr, "vconform pcap decode: frame %lu: %s%s\n", r->frame, what, note);
    return VCF_CLI_EXIT_MALFORMED;
}

static int decode_record(const opts_t *op, const record_t *r)
{
    vcf_capture_view v;
    char err[512];
    if (vcf_capture_parse(r->linktype, r->bytes, r->ph->caplen, &v, err, sizeof err) != 0)
        return report_unreadable(op, r, err);
    vcf_cli_proto proto;
    if (v.protocol == VCF_CAPTURE_PROTO_RPMSG) {
        proto = VCF_CLI_PROTO_RPMSG;
    } else if (v.protocol == VCF_CAPTURE_PROTO_VMSG) {
        proto = VCF_CLI_PROTO_VMSG;
    } else {
        snprintf(err, sizeof err, "byte %zu: protocol %u, expected 1 (rpmsg) or 2 (virtio-msg)",
                 v.tags_len + 5, (unsigned)v.protocol);
        return report_unreadable(op, r, err);
    }
    vcf_rpmsg_params rp;
    vcf_vmsg_params vp;
    vcf_capture_rpmsg_params(&v, &rp);
    vcf_capture_vmsg_params(&v, &vp);
    static vcf_cli_decoded d; /* large; the CLI is single-threaded */
    int status = vcf_cli_decode_message(&d, proto, &rp, &vp, v.data, v.data_len);

    if (op->json) {
        json_t *j = json_frame(r);
        json_object_set_new(j, "pseudo_header", json_pseudo_header(r, &v));
        json_object_set_new(j, "protocol", json_string(vcf_cli_proto_name(proto)));
        json_object_set_new(j, "params", vcf_cli_decoded_params_json(&d));
        json_object_set_new(j, "length", json_integer((json_int_t)d.len));
        vcf_cli_decoded_json(&d, j);
        if (op->rules)
            json_object_set_new(j, "rules", json_rules(&d));
        vcf_cli_json_puts(j);
    } else {
        text_heading(r, &v);
        vcf_cli_decoded_text(&d, stdout);
        if (op->rules)
            text_rules(&d);
    }
    return status;
}

/* Byte offset of the first record when path is a classic pcap file, else -1 (pcapng). */
static long long first_record_offset(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    uint8_t m[4];
    size_t n = fread(m, 1, sizeof m, f);
    fclose(f);
    if (n != sizeof m)
        return -1;
    /* microsecond or nanosecond pcap, written in either byte order */
    uint32_t le = ld32le(m);
    uint32_t be =
        (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | (uint32_t)m[3];
    if (le == 0xa1b2c3d4u || le == 0xa1b23c4du || be == 0xa1b2c3d4u || be == 0xa1b23c4du)
        return PCAP_FILE_HEADER;
    return -1;
}

int vcf_cli_pcap_decode(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"rules", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    opts_t op = {0};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "+f:rh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "json") == 0)
                op.json = 1;
            else if (strcmp(optarg, "text") == 0)
                op.json = 0;
            else
                return usage_error("unknown format '%s' (text or json)", optarg);
            break;
        case 'r': op.rules = 1; break;
        case 'h': fputs(usage_text, stdout); return VCF_CLI_EXIT_OK;
        default: return usage_error("invalid option");
        }
    }
    if (optind >= argc)
        return usage_error("a capture file is required");
    if (optind + 1 < argc)
        return usage_error("one capture file at a time ('%s' is extra)", argv[optind + 1]);
    op.path = argv[optind];

    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(op.path, errbuf);
    if (!p) {
        fprintf(stderr, "vconform pcap decode: %s: %s\n", op.path, errbuf);
        return VCF_CLI_EXIT_MALFORMED;
    }
    int lt = pcap_datalink(p);
    if (lt < 0 || !vcf_capture_linktype_name((uint32_t)lt)) {
        fprintf(stderr,
                "vconform pcap decode: %s: link type %d, expected 252 (WIRESHARK_UPPER_PDU) or "
                "147-162 (USER0-15)\n",
                op.path, lt);
        pcap_close(p);
        return VCF_CLI_EXIT_MALFORMED;
    }

    long long offset = first_record_offset(op.path);
    int status = VCF_CLI_EXIT_OK;
    unsigned long frame = 0;
    struct pcap_pkthdr *ph;
    const u_char *bytes;
    int rc;
    while ((rc = pcap_next_ex(p, &ph, &bytes)) == 1) {
        record_t r = {++frame, offset, (uint32_t)lt, ph, bytes};
        if (!op.json && frame > 1)
            putchar('\n');
        status = worse(status, decode_record(&op, &r));
        if (offset >= 0)
            offset += PCAP_RECORD_HEADER + ph->caplen;
        fflush(stdout);
    }
    if (rc == PCAP_ERROR) {
        /* a record header or body cut short by the end of the file, or an I/O error */
        if (offset >= 0)
            fprintf(stderr, "vconform pcap decode: %s: frame %lu at file offset %lld: %s\n",
                    op.path, frame + 1, offset, pcap_geterr(p));
        else
            fprintf(stderr, "vconform pcap decode: %s: frame %lu: %s\n", op.path, frame + 1,
                    pcap_geterr(p));
        if (op.json) {
            record_t r = {frame + 1, offset, (uint32_t)lt, NULL, NULL};
            json_t *j = json_frame(&r);
            json_object_set_new(j, "status", json_string("unreadable-record"));
            json_object_set_new(j, "error", json_string(pcap_geterr(p)));
            vcf_cli_json_puts(j);
        }
        status = VCF_CLI_EXIT_MALFORMED;
    }
    pcap_close(p);
    return status;
}
