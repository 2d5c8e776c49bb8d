/* SPDX-License-Identifier: MIT */
/* vconform fuzzing: checks the codec targets share (walk.h). */
#include "walk.h"

#include <inttypes.h>
#include <string.h>

VCF_FUZZ_CHECKS_BEGIN

/* ---- helpers ----------------------------------------------------------------------------- */

const char *vcf_fuzz_order_name(vcf_byte_order order)
{
    return order == VCF_BIG_ENDIAN ? "be" : "le";
}

uint64_t vcf_fuzz_load(const uint8_t *p, size_t n, vcf_byte_order order)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = order == VCF_BIG_ENDIAN ? (v << 8) | p[i] : v | ((uint64_t)p[i] << (8u * i));
    return v;
}

uint16_t vcf_fuzz_swap16(uint16_t v)
{
    return (uint16_t)((v >> 8) | (v << 8));
}

uint32_t vcf_fuzz_swap32(uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xFF00u) | ((v << 8) & 0xFF0000u) | (v << 24);
}

void vcf_fuzz_explain_error(const char *what, int rc, const vcf_error *err)
{
    if (!vcf_fuzz_explain)
        return;
    if (rc == VCF_OK) {
        vcf_fuzz_explainf("%s: ok\n", what);
        return;
    }
    char text[512];
    vcf_error_format(err, text, sizeof text);
    vcf_fuzz_explainf("%s: %s\n", what, text);
}

/* Print the characters of p[0..n) up to the first NUL, escaping what is not printable; return
 * how many were printed (n when there is no NUL). */
static size_t explain_chars(const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (; i < n && p[i]; i++)
        vcf_fuzz_explainf(p[i] >= 0x20 && p[i] < 0x7F ? "%c" : "\\x%02x", p[i]);
    return i;
}

void vcf_fuzz_explain_text(const char *label, const uint8_t *p, size_t n)
{
    if (!vcf_fuzz_explain)
        return;
    vcf_fuzz_explainf("  %-6s \"", label);
    size_t i = explain_chars(p, n);
    size_t rest = 0;
    for (size_t j = i; j < n; j++)
        rest += p[j] != 0;
    vcf_fuzz_explainf("\"%s", i == n ? " (no NUL)" : "");
    if (rest)
        vcf_fuzz_explainf(" + %zu non-zero byte(s) after the NUL", rest);
    vcf_fuzz_explainf("\n");
}

/* ---- RPMsg ------------------------------------------------------------------------------ */

bool vcf_fuzz_same_rpmsg_ns(const vcf_rpmsg_ns_msg *a, const vcf_rpmsg_ns_msg *b)
{
    return memcmp(a->name, b->name, sizeof a->name) == 0 && a->addr == b->addr &&
           a->flags == b->flags;
}

bool vcf_fuzz_same_rpmsg_ns_ext(const vcf_rpmsg_ns_ext *a, const vcf_rpmsg_ns_ext *b)
{
    return a->layout == b->layout && memcmp(a->name, b->name, sizeof a->name) == 0 &&
           memcmp(a->desc, b->desc, sizeof a->desc) == 0 && a->addr == b->addr &&
           a->flags == b->flags;
}

/* ---- decode = parse + check ------------------------------------------------------------- */

bool vcf_fuzz_same_error(const vcf_error *a, const vcf_error *b, unsigned how)
{
    if (a->code != b->code || a->offset != b->offset)
        return false;
    if ((how & VCF_FUZZ_ERR_VALUES) && (a->actual != b->actual || a->expected != b->expected))
        return false;
    if (!a->field || !b->field)
        return a->field == b->field;
    return strcmp(a->field, b->field) == 0;
}

bool vcf_fuzz_has_error(const vcf_error *errs, size_t n, int code, size_t offset)
{
    for (size_t i = 0; i < n; i++)
        if (errs[i].code == code && errs[i].offset == offset)
            return true;
    return false;
}

void vcf_fuzz_check_decode_failed(const char *decode, const char *parse, int drc,
                                  const vcf_error *derr, int rc, const vcf_error *err, unsigned how)
{
    if (drc != rc || !vcf_fuzz_same_error(derr, err, how))
        vcf_fuzz_finding("%s gives %d at %zu, %s %d at %zu", decode, drc, derr->offset, parse, rc,
                         err->offset);
}

void vcf_fuzz_check_decode_ok(const char *decode, int drc, const vcf_error *derr, size_t nproblems,
                              const vcf_error *first, unsigned how)
{
    if (nproblems) {
        if (drc != first->code || !vcf_fuzz_same_error(derr, first, how))
            vcf_fuzz_finding("%s gives %d at %zu, the first rule problem is %d at %zu", decode, drc,
                             derr->offset, first->code, first->offset);
    } else if (drc != VCF_OK) {
        vcf_fuzz_finding("%s fails (%d) where parse and check find nothing", decode, drc);
    }
}

void vcf_fuzz_check_structural(const char *what, int rc, const vcf_error *err, size_t n)
{
    if (!vcf_status_is_structural(rc) || err->offset > n)
        vcf_fuzz_finding("%s failed with %d at offset %zu of %zu", what, rc, err->offset, n);
}

/* ---- the describe field-walk checker ---------------------------------------------------- */

void vcf_fuzz_walk_init(vcf_fuzz_walk *w, const char *proto, const uint8_t *buf, size_t len,
                        vcf_byte_order order, unsigned int_sizes, int name_width)
{
    memset(w, 0, sizeof *w);
    w->proto = proto;
    w->buf = buf;
    w->len = len;
    w->order = order;
    w->int_sizes = int_sizes;
    w->name_width = name_width;
}

static void explain_field(const vcf_fuzz_walk *w, const vcf_field *f)
{
    if (!vcf_fuzz_explain)
        return;
    int indent = 2 * (int)w->depth + 2;
    const char *sep = f->meaning ? "  " : "", *meaning = f->meaning ? f->meaning : "";
    switch (f->kind) {
    case VCF_FIELD_BEGIN:
        vcf_fuzz_explainf("%*s%s @%zu+%zu {%s%s\n", indent, "", f->name, f->offset, f->size, sep,
                          meaning);
        break;
    case VCF_FIELD_END: vcf_fuzz_explainf("%*s}\n", indent, ""); break;
    case VCF_FIELD_UINT:
        vcf_fuzz_explainf("%*s%-*s @%zu+%zu = %" PRIu64 " (0x%" PRIx64 ")%s%s\n", indent, "",
                          w->name_width, f->name, f->offset, f->size, f->value, f->value, sep,
                          meaning);
        break;
    default: {
        vcf_fuzz_explainf("%*s%-*s @%zu+%zu = ", indent, "", w->name_width, f->name, f->offset,
                          f->size);
        size_t n = f->bytes.len < 48 ? f->bytes.len : 48;
        if (f->kind == VCF_FIELD_STRING) {
            vcf_fuzz_explainf("\"");
            explain_chars(f->bytes.ptr, n);
            vcf_fuzz_explainf("\"");
        } else {
            for (size_t i = 0; i < n; i++)
                vcf_fuzz_explainf("%02x", f->bytes.ptr[i]);
            if (n < f->bytes.len)
                vcf_fuzz_explainf("...");
        }
        vcf_fuzz_explainf("%s%s\n", sep, meaning);
        break;
    }
    }
}

void vcf_fuzz_walk_field(void *ctx, const vcf_field *f)
{
    vcf_fuzz_walk *w = ctx;
    const char *proto = w->proto;
    if (f->kind == VCF_FIELD_END) {
        if (w->depth == 0)
            vcf_fuzz_finding("%s describe: a group ends that never began", proto);
        w->depth--;
        explain_field(w, f);
        return;
    }
    explain_field(w, f);
    if (f->offset > w->len || f->size > w->len - f->offset)
        vcf_fuzz_finding("%s describe: field %s at %zu+%zu lies outside the %zu-byte buffer", proto,
                         f->name, f->offset, f->size, w->len);
    if (w->depth && (f->offset < w->group_off[w->depth - 1] ||
                     f->offset + f->size > w->group_end[w->depth - 1]))
        vcf_fuzz_finding("%s describe: field %s at %zu+%zu lies outside its group %zu..%zu", proto,
                         f->name, f->offset, f->size, w->group_off[w->depth - 1],
                         w->group_end[w->depth - 1]);
    if (f->kind == VCF_FIELD_BEGIN) {
        if (w->depth == VCF_FUZZ_WALK_DEPTH)
            vcf_fuzz_finding("%s describe: groups nested deeper than %u", proto,
                             VCF_FUZZ_WALK_DEPTH);
        w->group_off[w->depth] = f->offset;
        w->group_end[w->depth] = f->offset + f->size;
        w->depth++;
        return;
    }
    if (f->offset != w->next)
        vcf_fuzz_finding("%s describe: field %s starts at byte %zu, expected %zu (wire order, "
                         "no gap, no overlap)",
                         proto, f->name, f->offset, w->next);
    w->next = f->offset + f->size;
    if (f->kind == VCF_FIELD_UINT) {
        if (f->size > 8 || !(w->int_sizes & VCF_FUZZ_WALK_INT(f->size)))
            vcf_fuzz_finding("%s describe: integer field %s of %zu bytes", proto, f->name, f->size);
        uint64_t v = vcf_fuzz_load(w->buf + f->offset, f->size, w->order);
        if (v != f->value)
            vcf_fuzz_finding("%s describe: field %s reports %" PRIu64 ", its bytes at %zu hold "
                             "%" PRIu64 " (%s)",
                             proto, f->name, f->value, f->offset, v, vcf_fuzz_order_name(w->order));
    } else if (f->bytes.len != f->size ||
               (f->size && memcmp(f->bytes.ptr, w->buf + f->offset, f->size) != 0)) {
        vcf_fuzz_finding("%s describe: field %s (%zu bytes at %zu) does not show the bytes "
                         "there",
                         proto, f->name, f->bytes.len, f->offset);
    }
}

void vcf_fuzz_walk_finish(const vcf_fuzz_walk *w)
{
    if (w->depth != 0)
        vcf_fuzz_finding("%s describe: %u groups left open", w->proto, w->depth);
    if (w->next != w->len)
        vcf_fuzz_finding("%s describe: fields cover %zu of %zu bytes", w->proto, w->next, w->len);
}

VCF_FUZZ_CHECKS_END
