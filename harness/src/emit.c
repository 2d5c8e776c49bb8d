/* SPDX-License-Identifier: MIT */
#include "emit.h"

#include "cli.h"
#include "hex.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define JSON_SAFE_MAX ((1ull << 53) - 1)

/* ---- text ------------------------------------------------------------------------------- */

void vcf_cli_text_init(vcf_cli_text *t, FILE *out)
{
    t->out = out;
    t->depth = 1;
    t->array_index = -1;
}

static void put_escaped(FILE *out, const uint8_t *p, size_t n)
{
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c >= 0x20 && c < 0x7F)
            fputc(c, out);
        else
            fprintf(out, "\\x%02x", c);
    }
    fputc('"', out);
}

static int all_printable(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 || p[i] >= 0x7F)
            return 0;
    return n > 0;
}

static void put_label(vcf_cli_text *t, const vcf_field *f)
{
    char name[64];
    if (t->array_index >= 0)
        snprintf(name, sizeof name, "%s[%ld]", f->name, t->array_index++);
    else
        snprintf(name, sizeof name, "%s", f->name);
    fprintf(t->out, "%*s+%-4zu %-18s ", 2 * t->depth, "", f->offset, name);
}

void vcf_cli_text_field(void *ctx, const vcf_field *f)
{
    vcf_cli_text *t = ctx;
    switch (f->kind) {
    case VCF_FIELD_BEGIN:
        fprintf(t->out, "%*s%s%s%s\n", 2 * t->depth, "", f->name, f->meaning ? "  " : "",
                f->meaning ? f->meaning : "");
        t->depth++;
        t->array_index = f->is_array ? 0 : -1;
        return;
    case VCF_FIELD_END:
        t->depth--;
        t->array_index = -1;
        return;
    case VCF_FIELD_UINT:
        put_label(t, f);
        if (f->hex) {
            fprintf(t->out, "0x%0*" PRIx64, (int)(2 * f->size), f->value);
            if (f->value > 9 && f->size > 1 && f->size <= 4)
                fprintf(t->out, " (%" PRIu64 ")", f->value);
        } else {
            fprintf(t->out, "%" PRIu64, f->value);
        }
        break;
    case VCF_FIELD_STRING: {
        put_label(t, f);
        const uint8_t *nul = memchr(f->bytes.ptr, 0, f->bytes.len);
        size_t n = nul ? (size_t)(nul - f->bytes.ptr) : f->bytes.len;
        put_escaped(t->out, f->bytes.ptr, n);
        if (!nul)
            fputs(" (no NUL)", t->out);
        break;
    }
    case VCF_FIELD_BYTES:
        put_label(t, f);
        if (f->bytes.len == 0) {
            fputs("(empty)", t->out);
        } else if (f->bytes.len <= 24) {
            for (size_t i = 0; i < f->bytes.len; i++)
                fprintf(t->out, "%s%02x", i ? " " : "", f->bytes.ptr[i]);
            if (all_printable(f->bytes.ptr, f->bytes.len)) {
                fputs("  ", t->out);
                put_escaped(t->out, f->bytes.ptr, f->bytes.len);
            }
        } else {
            fprintf(t->out, "%zu bytes", f->bytes.len);
            for (size_t i = 0; i < f->bytes.len; i++) {
                if (i % 16 == 0)
                    fprintf(t->out, "\n%*s%04zx ", 2 * t->depth + 8, "", i);
                fprintf(t->out, " %02x", f->bytes.ptr[i]);
            }
        }
        break;
    }
    if (f->meaning)
        fprintf(t->out, "  %s", f->meaning);
    fputc('\n', t->out);
}

/* ---- JSON ------------------------------------------------------------------------------- */

json_t *vcf_cli_json_uint(uint64_t v)
{
    if (v <= JSON_SAFE_MAX)
        return json_integer((json_int_t)v);
    char hex[24];
    snprintf(hex, sizeof hex, "0x%" PRIx64, v);
    return json_string(hex);
}

static json_t *hex_string(const uint8_t *p, size_t n)
{
    char *s = malloc(2 * n + 1);
    if (!s)
        return json_null();
    vcf_cli_hex_encode(p, n, s);
    json_t *j = json_string(s);
    free(s);
    return j;
}

/* Text of a fixed-size character field up to its NUL, with non-ASCII bytes as \xNN. */
static json_t *text_string(const uint8_t *p, size_t n)
{
    char *s = malloc(4 * n + 1);
    if (!s)
        return json_null();
    size_t k = 0;
    for (size_t i = 0; i < n && p[i]; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7F && p[i] != '\\')
            s[k++] = (char)p[i];
        else
            k += (size_t)snprintf(s + k, 5, "\\x%02x", p[i]);
    }
    s[k] = 0;
    json_t *j = json_string(s);
    free(s);
    return j;
}

void vcf_cli_json_init(vcf_cli_json *j, json_t *root)
{
    j->stack[0] = root;
    j->depth = 0;
}

static void attach(vcf_cli_json *j, const char *name, json_t *value)
{
    json_t *parent = j->stack[j->depth];
    if (json_is_array(parent))
        json_array_append_new(parent, value);
    else
        json_object_set_new(parent, name, value);
}

void vcf_cli_json_field(void *ctx, const vcf_field *f)
{
    vcf_cli_json *j = ctx;
    if (f->kind == VCF_FIELD_END) {
        if (j->depth > 0)
            j->depth--;
        return;
    }
    if (f->kind == VCF_FIELD_BEGIN) {
        json_t *group = f->is_array ? json_array() : json_object();
        attach(j, f->name, group);
        if (j->depth + 1 < VCF_CLI_JSON_DEPTH)
            j->stack[++j->depth] = group;
        return;
    }
    json_t *o = json_object();
    json_object_set_new(o, "offset", json_integer((json_int_t)f->offset));
    json_object_set_new(o, "size", json_integer((json_int_t)f->size));
    if (f->kind == VCF_FIELD_UINT) {
        json_object_set_new(o, "value", vcf_cli_json_uint(f->value));
    } else {
        json_object_set_new(o, "hex", hex_string(f->bytes.ptr, f->bytes.len));
        if (f->kind == VCF_FIELD_STRING) {
            json_object_set_new(o, "text", text_string(f->bytes.ptr, f->bytes.len));
            json_object_set_new(o, "terminated",
                                json_boolean(memchr(f->bytes.ptr, 0, f->bytes.len) != NULL));
        }
    }
    if (f->meaning)
        json_object_set_new(o, "meaning", json_string(f->meaning));
    attach(j, f->name, o);
}

json_t *vcf_cli_error_json(const vcf_error *e)
{
    char line[512];
    vcf_error_format(e, line, sizeof line);
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(vcf_status_name(e->code)));
    json_object_set_new(o, "class",
                        json_string(vcf_status_is_structural(e->code) ? "structural"
                                    : vcf_status_is_rule(e->code)     ? "rule"
                                                                      : "other"));
    json_object_set_new(o, "field", e->field ? json_string(e->field) : json_null());
    json_object_set_new(o, "offset", json_integer((json_int_t)e->offset));
    if (e->flags & VCF_ERROR_HAS_VALUES) {
        json_object_set_new(o, "expected", vcf_cli_json_uint(e->expected));
        json_object_set_new(o, "actual", vcf_cli_json_uint(e->actual));
    }
    json_object_set_new(o, "detail", e->detail ? json_string(e->detail) : json_null());
    json_object_set_new(o, "rule", e->rule ? json_string(e->rule) : json_null());
    json_object_set_new(o, "text", json_string(line));
    return o;
}

/* ---- one message decoded by the model ------------------------------------------------------ */

const char *vcf_cli_proto_name(vcf_cli_proto proto)
{
    return proto == VCF_CLI_PROTO_RPMSG ? "rpmsg" : "virtio-msg";
}

static int decode_rpmsg(vcf_cli_decoded *d, const uint8_t *buf, size_t n)
{
    int rc = vcf_rpmsg_parse(buf, n, &d->rp, &d->rmsg, &d->error);
    if (rc != VCF_OK && rc != VCF_E_NONSTANDARD)
        return VCF_CLI_EXIT_MALFORMED;
    d->parsed = true;
    d->nonstandard = rc == VCF_E_NONSTANDARD;
    d->nerrs = rc == VCF_OK ? vcf_rpmsg_check(&d->rmsg, d->errs, VCF_CLI_MAX_VIOLATIONS) : 0;
    const char *kind = vcf_rpmsg_kind_name(d->rmsg.kind);
    snprintf(d->summary, sizeof d->summary, "%s", kind);
    snprintf(d->title, sizeof d->title, "rpmsg %s message, %zu bytes, %s", kind, n,
             vcf_byte_order_name(d->rp.order));
    return d->nonstandard ? VCF_CLI_EXIT_MALFORMED
           : d->nerrs     ? VCF_CLI_EXIT_VIOLATION
                          : VCF_CLI_EXIT_OK;
}

static int decode_vmsg(vcf_cli_decoded *d, const uint8_t *buf, size_t n)
{
    if (vcf_vmsg_parse(buf, n, &d->vp, &d->vmsg, &d->error) != VCF_OK)
        return VCF_CLI_EXIT_MALFORMED;
    d->parsed = true;
    d->nerrs = vcf_vmsg_check(&d->vmsg, &d->vp, d->errs, VCF_CLI_MAX_VIOLATIONS);
    vcf_vmsg_msg_name(&d->vmsg, d->summary, sizeof d->summary);
    snprintf(d->title, sizeof d->title, "virtio-msg %s, %zu bytes, %s", d->summary, n,
             vcf_vmsg_rev_name(d->vp.rev));
    return d->nerrs ? VCF_CLI_EXIT_VIOLATION : VCF_CLI_EXIT_OK;
}

int vcf_cli_decode_message(vcf_cli_decoded *d, vcf_cli_proto proto, const vcf_rpmsg_params *rp,
                           const vcf_vmsg_params *vp, const uint8_t *buf, size_t len)
{
    memset(d, 0, sizeof *d);
    d->proto = proto;
    d->rp = *rp;
    d->vp = *vp;
    d->len = len;
    return proto == VCF_CLI_PROTO_RPMSG ? decode_rpmsg(d, buf, len) : decode_vmsg(d, buf, len);
}

const char *vcf_cli_decoded_status(const vcf_cli_decoded *d)
{
    return !d->parsed       ? "malformed"
           : d->nonstandard ? "non-standard"
           : d->nerrs       ? "violation"
                            : "ok";
}

json_t *vcf_cli_decoded_params_json(const vcf_cli_decoded *d)
{
    json_t *params = json_object();
    if (d->proto == VCF_CLI_PROTO_RPMSG) {
        json_object_set_new(params, "byte_order", json_string(vcf_byte_order_name(d->rp.order)));
        json_object_set_new(params, "ns", json_boolean(d->rp.ns));
    } else {
        json_object_set_new(params, "revision", json_string(vcf_vmsg_rev_name(d->vp.rev)));
        json_object_set_new(params, "max_msg_size", json_integer(d->vp.max_msg_size));
        json_object_set_new(params, "allow_padding", json_boolean(d->vp.allow_padding));
    }
    return params;
}

static void describe(const vcf_cli_decoded *d, vcf_field_fn fn, void *ctx)
{
    if (d->proto == VCF_CLI_PROTO_RPMSG)
        vcf_rpmsg_describe(&d->rmsg, &d->rp, fn, ctx);
    else
        vcf_vmsg_describe(&d->vmsg, &d->vp, fn, ctx);
}

static size_t shown(const vcf_cli_decoded *d)
{
    return d->nerrs < VCF_CLI_MAX_VIOLATIONS ? d->nerrs : VCF_CLI_MAX_VIOLATIONS;
}

void vcf_cli_decoded_json(const vcf_cli_decoded *d, json_t *j)
{
    json_object_set_new(j, "status", json_string(vcf_cli_decoded_status(d)));
    json_t *arr = json_array();
    if (d->parsed) {
        json_object_set_new(j, "message", json_string(d->summary));
        json_t *fields = json_object();
        vcf_cli_json emitter;
        vcf_cli_json_init(&emitter, fields);
        describe(d, vcf_cli_json_field, &emitter);
        json_object_set_new(j, "fields", fields);
    }
    if (!d->parsed || d->nonstandard)
        json_array_append_new(arr, vcf_cli_error_json(&d->error));
    for (size_t i = 0; i < shown(d); i++)
        json_array_append_new(arr, vcf_cli_error_json(&d->errs[i]));
    json_object_set_new(j, "errors", arr);
}

void vcf_cli_decoded_text(const vcf_cli_decoded *d, FILE *out)
{
    char line[512];
    if (!d->parsed) {
        vcf_error_format(&d->error, line, sizeof line);
        fprintf(out, "result: malformed %s message: %s\n", vcf_cli_proto_name(d->proto), line);
        return;
    }
    fprintf(out, "%s\n", d->title);
    vcf_cli_text t;
    vcf_cli_text_init(&t, out);
    describe(d, vcf_cli_text_field, &t);
    if (d->nonstandard) {
        vcf_error_format(&d->error, line, sizeof line);
        fprintf(out, "result: non-standard: %s\n", line);
    } else if (d->nerrs) {
        fprintf(out, "result: %zu rule violation%s\n", d->nerrs, d->nerrs == 1 ? "" : "s");
        for (size_t i = 0; i < shown(d); i++) {
            vcf_error_format(&d->errs[i], line, sizeof line);
            fprintf(out, "  violation: %s\n", line);
        }
        if (d->nerrs > shown(d))
            fprintf(out, "  (%zu more)\n", d->nerrs - shown(d));
    } else {
        fprintf(out, "result: ok\n");
    }
}

void vcf_cli_json_puts(json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s) {
        puts(s);
        free(s);
    }
    json_decref(j);
}
