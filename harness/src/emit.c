/* SPDX-License-Identifier: MIT */
#include "emit.h"

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
