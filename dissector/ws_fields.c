/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vconform Wireshark dissector: filter fields from the model's describe visitors.
 *
 * At registration time the model describes sample messages that together emit every field
 * its describe visitor can emit (vcf_*_describe_samples()). Every distinct path becomes one
 * header field: "<proto>.<group>.<name>" ("rpmsg.header.src"); array elements use the array's
 * own path ("virtio_msg.payload.features"); groups get an FT_NONE field ("rpmsg.ns"). At
 * dissection time the same visitor walks the decoded message and each field is added with the
 * model's value at the model's offset and size, so the tree, the filter values and
 * `vconform decode` agree by construction.
 */
#include <stdio.h>
#include <string.h>

#include <epan/proto.h>
#include <epan/tvbuff.h>
#include <wsutil/wmem/wmem.h>

#include "ws_internal.h"

typedef struct vcf_ws_entry {
    char *key; /* "<path>#<kind>": one entry per path and kind */
    char *path;
    char *label;
    vcf_field_kind kind; /* VCF_FIELD_BEGIN: a group or an array */
    bool array;          /* BEGIN: the group is an array (its elements have its path) */
    size_t max_size;
    bool hex;
    int hf;
    gint ett;
} vcf_ws_entry;

struct vcf_ws_registry {
    GHashTable *by_path; /* "<path>#<kind>" -> vcf_ws_entry * */
    GPtrArray *order;    /* vcf_ws_entry *, in first-seen order */
    const char *abbrev;
};

/* ---- building ------------------------------------------------------------------------ */

typedef struct vcf_ws_build {
    vcf_ws_registry *reg;
    int depth;
    size_t plen[VCF_WS_WALK_DEPTH + 1];
    bool array[VCF_WS_WALK_DEPTH + 1];
    char path[VCF_WS_PATH_MAX];
} vcf_ws_build;

/* Append ".name" (or "name" at the root) to path; false when it does not fit. */
static bool vcf_ws_path_push(char *path, size_t *len, const char *name)
{
    size_t n = strlen(name);
    size_t need = *len + (*len ? 1u : 0u) + n;
    if (need + 1 > VCF_WS_PATH_MAX)
        return false;
    if (*len)
        path[(*len)++] = '.';
    memcpy(path + *len, name, n + 1);
    *len += n;
    return true;
}

/* The registry key of a path and kind: "<path>#<kind digit>" (fits VCF_WS_KEY_MAX). */
#define VCF_WS_KEY_MAX (VCF_WS_PATH_MAX + 3)

static void vcf_ws_key(char *key, const char *path, vcf_field_kind kind)
{
    snprintf(key, VCF_WS_KEY_MAX, "%s#%d", path, (int)kind);
}

static vcf_ws_entry *vcf_ws_entry_get(vcf_ws_registry *reg, const char *path, vcf_field_kind kind,
                                      const char *label)
{
    char key[VCF_WS_KEY_MAX];
    vcf_ws_key(key, path, kind);
    vcf_ws_entry *e = g_hash_table_lookup(reg->by_path, key);
    if (!e) {
        e = g_new0(vcf_ws_entry, 1);
        e->key = g_strdup(key);
        e->path = g_strdup(path);
        e->label = g_strdup(label ? label : path);
        e->kind = kind;
        e->hf = -1;
        e->ett = -1;
        g_hash_table_insert(reg->by_path, e->key, e);
        g_ptr_array_add(reg->order, e);
    }
    return e;
}

static void vcf_ws_build_field(void *ctx, const vcf_field *f)
{
    vcf_ws_build *b = ctx;
    if (f->kind == VCF_FIELD_END) {
        if (b->depth > 0) {
            b->depth--;
            b->path[b->plen[b->depth]] = 0;
        }
        return;
    }
    if (f->kind == VCF_FIELD_BEGIN) {
        if (b->depth >= VCF_WS_WALK_DEPTH)
            return; /* the model never nests this deep */
        size_t len = b->plen[b->depth];
        b->depth++;
        b->array[b->depth] = f->is_array != 0;
        /* the "sample" frame of vcf_*_describe_samples() is not part of any path */
        if (b->depth == 1 && strcmp(f->name, "sample") == 0) {
            b->plen[b->depth] = len;
            return;
        }
        if (!vcf_ws_path_push(b->path, &len, f->name)) {
            b->plen[b->depth] = b->plen[b->depth - 1];
            return;
        }
        b->plen[b->depth] = len;
        vcf_ws_entry *e = vcf_ws_entry_get(b->reg, b->path, VCF_FIELD_BEGIN, f->label);
        if (f->is_array)
            e->array = true;
        return;
    }
    char path[VCF_WS_PATH_MAX];
    size_t len = b->plen[b->depth];
    memcpy(path, b->path, len + 1);
    if (!b->array[b->depth] && !vcf_ws_path_push(path, &len, f->name))
        return;
    vcf_ws_entry *e = vcf_ws_entry_get(b->reg, path, f->kind, f->label);
    if (f->size > e->max_size)
        e->max_size = f->size;
    if (f->hex)
        e->hex = true;
}

static enum ftenum vcf_ws_uint_type(size_t size)
{
    switch (size) {
    case 1: return FT_UINT8;
    case 2: return FT_UINT16;
    case 3: return FT_UINT24;
    case 4: return FT_UINT32;
    default: return FT_UINT64;
    }
}

/* Preference among the kinds one path takes (the model may reuse a name: the virtio-msg
 * "payload.data" is config bytes in most messages and a 32-bit value in BUS_PING): the
 * preferred kind gets "<proto>.<path>", the others "<proto>.<path>_<kind>". */
static int vcf_ws_kind_rank(vcf_field_kind kind)
{
    switch (kind) {
    case VCF_FIELD_BYTES: return 0;
    case VCF_FIELD_STRING: return 1;
    case VCF_FIELD_UINT: return 2;
    default: return 3;
    }
}

static const char *vcf_ws_kind_suffix(vcf_field_kind kind)
{
    switch (kind) {
    case VCF_FIELD_BYTES: return "bytes";
    case VCF_FIELD_STRING: return "text";
    case VCF_FIELD_UINT: return "value";
    default: return "group";
    }
}

static char *vcf_ws_abbrev(const vcf_ws_registry *reg, const vcf_ws_entry *e)
{
    bool best = true;
    for (guint i = 0; i < reg->order->len; i++) {
        const vcf_ws_entry *o = g_ptr_array_index(reg->order, i);
        if (o == e || strcmp(o->path, e->path) != 0 || (o->kind == VCF_FIELD_BEGIN && o->array))
            continue;
        if (vcf_ws_kind_rank(o->kind) < vcf_ws_kind_rank(e->kind))
            best = false;
    }
    if (best)
        return g_strdup_printf("%s.%s", reg->abbrev, e->path);
    return g_strdup_printf("%s.%s_%s", reg->abbrev, e->path, vcf_ws_kind_suffix(e->kind));
}

vcf_ws_registry *vcf_ws_registry_build(int proto, const char *abbrev, vcf_ws_samples_fn samples)
{
    vcf_ws_registry *reg = g_new0(vcf_ws_registry, 1);
    reg->by_path = g_hash_table_new(g_str_hash, g_str_equal);
    reg->order = g_ptr_array_new();
    reg->abbrev = abbrev;

    vcf_ws_build b;
    memset(&b, 0, sizeof b);
    b.reg = reg;
    samples(vcf_ws_build_field, &b);

    /* field and subtree arrays: registered once, never freed (epan keeps pointers to them) */
    guint n = reg->order->len;
    hf_register_info *hf = g_new0(hf_register_info, n * 2u);
    gint **ett = g_new0(gint *, n);
    guint nhf = 0, nett = 0;
    for (guint i = 0; i < n; i++) {
        vcf_ws_entry *e = g_ptr_array_index(reg->order, i);
        if (e->kind == VCF_FIELD_BEGIN)
            ett[nett++] = &e->ett;
        enum ftenum type = FT_NONE;
        int display = BASE_NONE;
        switch (e->kind) {
        case VCF_FIELD_UINT:
            type = vcf_ws_uint_type(e->max_size);
            display = e->hex ? BASE_HEX : BASE_DEC;
            break;
        case VCF_FIELD_BYTES: type = FT_BYTES; break;
        case VCF_FIELD_STRING: type = FT_STRING; break;
        default:
            if (e->array)
                continue; /* an array is a subtree; its elements are the field */
            break;        /* a group: FT_NONE */
        }
        hf_register_info *r = &hf[nhf++];
        r->p_id = &e->hf;
        r->hfinfo.name = e->label;
        r->hfinfo.abbrev = vcf_ws_abbrev(reg, e);
        r->hfinfo.type = type;
        r->hfinfo.display = display;
        r->hfinfo.strings = NULL;
        r->hfinfo.bitmask = 0;
        r->hfinfo.blurb = NULL;
        r->hfinfo.id = -1;
        r->hfinfo.parent = 0;
        r->hfinfo.ref_type = HF_REF_TYPE_NONE;
        r->hfinfo.same_name_prev_id = -1;
        r->hfinfo.same_name_next = NULL;
    }
    proto_register_field_array(proto, hf, (int)nhf);
    proto_register_subtree_array(ett, (int)nett);
    g_free(ett); /* epan copies the ids' addresses, not the array */
    return reg;
}

static const vcf_ws_entry *vcf_ws_lookup(const vcf_ws_registry *reg, const char *path,
                                         vcf_field_kind kind)
{
    char key[VCF_WS_KEY_MAX];
    vcf_ws_key(key, path, kind);
    return g_hash_table_lookup(reg->by_path, key);
}

int vcf_ws_registry_hf(const vcf_ws_registry *reg, const char *path, vcf_field_kind kind)
{
    const vcf_ws_entry *e = vcf_ws_lookup(reg, path, kind);
    return e ? e->hf : -1;
}

/* ---- walking ------------------------------------------------------------------------- */

void vcf_ws_walk_init(vcf_ws_walk *w, const vcf_ws_registry *reg, tvbuff_t *tvb, packet_info *pinfo,
                      proto_tree *tree)
{
    memset(w, 0, sizeof *w);
    w->reg = reg;
    w->tvb = tvb;
    w->pinfo = pinfo;
    w->tree = tree;
    w->trees[0] = tree;
}

/* The field's bytes lie inside the tvb's captured bytes (always so for fields the model
 * emits from a buffer taken from this tvb; checked so that no add can throw). */
static bool vcf_ws_in_tvb(tvbuff_t *tvb, size_t off, size_t size)
{
    size_t cap = (size_t)tvb_captured_length(tvb);
    return off <= cap && size <= cap - off && off <= G_MAXINT && size <= G_MAXINT;
}

/* The JSON "text" of a string field: the bytes up to the first NUL, printable ASCII as is
 * (backslash excepted), everything else as \xNN (harness/src/emit.c text_string). */
static char *vcf_ws_text(wmem_allocator_t *scope, const uint8_t *p, size_t n)
{
    size_t k = 0;
    char *s = wmem_alloc(scope, n * 4u + 1u);
    for (size_t i = 0; i < n && p[i]; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7F && p[i] != '\\')
            s[k++] = (char)p[i];
        else
            k += (size_t)snprintf(s + k, 5, "\\x%02x", p[i]);
    }
    s[k] = 0;
    return s;
}

static void vcf_ws_add_uint(vcf_ws_walk *w, proto_tree *tree, const vcf_ws_entry *e,
                            const vcf_field *f, gint off, gint size)
{
    char value[32];
    if (f->hex)
        snprintf(value, sizeof value, "0x%0*" G_GINT64_MODIFIER "x", (int)(f->size * 2u),
                 (guint64)f->value);
    else
        snprintf(value, sizeof value, "%" G_GINT64_MODIFIER "u", (guint64)f->value);
    const char *m1 = f->meaning ? " (" : "", *m2 = f->meaning ? f->meaning : "",
               *m3 = f->meaning ? ")" : "";
    if (e->max_size > 4)
        proto_tree_add_uint64_format(tree, e->hf, w->tvb, off, size, (guint64)f->value,
                                     "%s: %s%s%s%s", f->label, value, m1, m2, m3);
    else
        proto_tree_add_uint_format(tree, e->hf, w->tvb, off, size, (guint32)f->value,
                                   "%s: %s%s%s%s", f->label, value, m1, m2, m3);
}

void vcf_ws_walk_field(void *ctx, const vcf_field *f)
{
    vcf_ws_walk *w = ctx;
    if (f->kind == VCF_FIELD_END) {
        if (w->skipped) {
            w->skipped--;
        } else if (w->depth > 0) {
            w->depth--;
            w->path[w->plen[w->depth]] = 0;
        }
        return;
    }
    proto_tree *tree = w->trees[w->depth];
    if (w->header_only && w->depth == 0 && !w->skipped &&
        (f->kind != VCF_FIELD_BEGIN || strcmp(f->name, "header") != 0)) {
        if (f->kind == VCF_FIELD_BEGIN)
            w->skipped++;
        return;
    }
    if (f->kind == VCF_FIELD_BEGIN) {
        size_t len = w->plen[w->depth];
        if (w->skipped || w->depth >= VCF_WS_WALK_DEPTH ||
            !vcf_ws_path_push(w->path, &len, f->name)) {
            w->skipped++;
            return;
        }
        const vcf_ws_entry *e = vcf_ws_lookup(w->reg, w->path, VCF_FIELD_BEGIN);
        proto_tree *sub = tree;
        if (e && e->ett != -1 && vcf_ws_in_tvb(w->tvb, f->offset, f->size)) {
            proto_item *ti;
            if (!f->is_array && e->hf != -1) {
                ti = proto_tree_add_item(tree, e->hf, w->tvb, (gint)f->offset, (gint)f->size,
                                         ENC_NA);
                proto_item_set_text(ti, "%s", f->label);
                sub = proto_item_add_subtree(ti, e->ett);
            } else {
                sub = proto_tree_add_subtree(tree, w->tvb, (gint)f->offset, (gint)f->size, e->ett,
                                             &ti, f->label);
            }
            if (f->meaning)
                proto_item_append_text(ti, " (%s)", f->meaning);
        }
        w->depth++;
        w->plen[w->depth] = len;
        w->array[w->depth] = f->is_array != 0;
        w->trees[w->depth] = sub;
        return;
    }
    if (w->skipped)
        return;

    const vcf_ws_entry *e;
    if (w->array[w->depth]) {
        e = vcf_ws_lookup(w->reg, w->path, f->kind);
    } else {
        char path[VCF_WS_PATH_MAX];
        size_t len = w->plen[w->depth];
        memcpy(path, w->path, len + 1);
        if (!vcf_ws_path_push(path, &len, f->name))
            return;
        e = vcf_ws_lookup(w->reg, path, f->kind);
    }
    if (!e || e->hf == -1 || !vcf_ws_in_tvb(w->tvb, f->offset, f->size))
        return;
    const gint off = (gint)f->offset, size = (gint)f->size;
    switch (f->kind) {
    case VCF_FIELD_UINT: vcf_ws_add_uint(w, tree, e, f, off, size); break;
    case VCF_FIELD_STRING: {
        if (!proto_field_is_referenced(tree, e->hf))
            break;
        const char *text = vcf_ws_text(w->pinfo->pool, f->bytes.ptr, f->bytes.len);
        bool terminated = f->bytes.len && memchr(f->bytes.ptr, 0, f->bytes.len) != NULL;
        proto_tree_add_string_format(tree, e->hf, w->tvb, off, size, text, "%s: \"%s\"%s%s%s%s",
                                     f->label, text, terminated ? "" : " (unterminated)",
                                     f->meaning ? " (" : "", f->meaning ? f->meaning : "",
                                     f->meaning ? ")" : "");
        break;
    }
    case VCF_FIELD_BYTES: {
        if (!proto_field_is_referenced(tree, e->hf))
            break;
        proto_item *ti = proto_tree_add_bytes_format(
            tree, e->hf, w->tvb, off, size, f->bytes.ptr, "%s: %s", f->label,
            size ? tvb_bytes_to_str(w->pinfo->pool, w->tvb, off, size) : "<empty>");
        if (f->meaning)
            proto_item_append_text(ti, " (%s)", f->meaning);
        break;
    }
    default: break;
    }
}
