/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: one-line summaries of messages, events and actions.
 *
 * Messages are decoded with the model's codecs and walked with its field visitors, so field
 * names and offsets come from one place (the codec layouts); events and actions take their
 * names and argument names from the adapter ABI's tables. Every function here accepts any
 * input: bytes that do not decode are summarised with the codec's error and their first bytes.
 */
#include "summary.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "vconform/rpmsg.h"
#include "vconform/vmsg.h"

/* ---- bounded text ------------------------------------------------------------------------ */

typedef struct sbuf {
    char *buf;
    size_t cap;
    size_t len;
} sbuf;

static void sb_init(sbuf *s, char *buf, size_t cap)
{
    s->buf = buf;
    s->cap = cap;
    s->len = 0;
    if (buf && cap)
        buf[0] = '\0';
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
sb_addf(sbuf *s, const char *fmt, ...)
{
    if (!s->buf || s->cap == 0 || s->len + 1 >= s->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        s->buf[s->len] = '\0';
        return;
    }
    s->len += (size_t)n;
    if (s->len >= s->cap)
        s->len = s->cap - 1;
}

static void sb_add(sbuf *s, const char *text)
{
    sb_addf(s, "%s", text);
}

/* Numbers below 65536 in decimal, larger ones (addresses, masks, ADDR_ANY) in hexadecimal. */
static void sb_num(sbuf *s, uint64_t v)
{
    if (v < 0x10000u)
        sb_addf(s, "%llu", (unsigned long long)v);
    else
        sb_addf(s, "0x%llx", (unsigned long long)v);
}

#define HEX_SHOWN 16u /* bytes of a payload shown before ".." */

static void sb_hex(sbuf *s, const uint8_t *p, size_t n, size_t max)
{
    size_t shown = n < max ? n : max;
    for (size_t i = 0; i < shown; i++)
        sb_addf(s, "%02x", (unsigned)p[i]);
    if (n > shown)
        sb_addf(s, "..(%zu bytes)", n);
}

/* A quoted string of n bytes: printable ASCII as is, '"' and '\' escaped, the rest as \xNN. */
static void sb_quoted(sbuf *s, const uint8_t *p, size_t n)
{
    sb_add(s, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned c = p[i];
        if (c == '"' || c == '\\')
            sb_addf(s, "\\%c", (char)c);
        else if (c >= 0x20 && c < 0x7f)
            sb_addf(s, "%c", (char)c);
        else
            sb_addf(s, "\\x%02x", c);
    }
    sb_add(s, "\"");
}

/* A fixed-size name field: up to its first NUL; flagged when there is none. */
static void sb_name(sbuf *s, const uint8_t *p, size_t size)
{
    const uint8_t *nul = memchr(p, 0, size);
    sb_quoted(s, p, nul ? (size_t)(nul - p) : size);
    if (!nul)
        sb_add(s, " (unterminated)");
}

static void sb_undecodable(sbuf *s, const vcf_error *e, const uint8_t *data, size_t len)
{
    sb_addf(s, "undecodable (%s at byte %zu, %s): ", vcf_status_name(e->code), e->offset,
            e->field ? e->field : "message");
    if (len)
        sb_hex(s, data, len, HEX_SHOWN);
    else
        sb_add(s, "no bytes");
}

/* ---- byte order ---------------------------------------------------------------------------- */

static bool is_rpmsg(uint32_t role)
{
    return role == VCF_IUT_RPMSG_DRIVER || role == VCF_IUT_RPMSG_DEVICE;
}

static bool is_vmsg(uint32_t role)
{
    return role == VCF_IUT_VMSG_DEVICE || role == VCF_IUT_VMSG_DRIVER || role == VCF_IUT_VMSG_BUS;
}

int vcf_summary_order(uint32_t role, const vcf_adapter_param *params, size_t n_params)
{
    if (!is_rpmsg(role))
        return 0;
    uint64_t features = 0;
    if (vcf_param_u64(params, n_params, "features", 0x100000001ull, &features) != VCF_ADAPTER_OK)
        features = 0x100000001ull;
    if (features & (1ull << VCF_VIRTIO_F_VERSION_1))
        return 0;
    const char *order = vcf_param_get(params, n_params, "order");
    return order && strcmp(order, "be") == 0 ? 1 : 0;
}

/* ---- RPMsg --------------------------------------------------------------------------------- */

static void rpmsg_ns(sbuf *s, const char *what, const uint8_t *name, uint32_t addr, uint32_t flags)
{
    sb_addf(s, " %s %s ", what, (flags & VCF_RPMSG_NS_DESTROY) ? "destroy" : "create");
    sb_name(s, name, VCF_RPMSG_NAME_SIZE);
    sb_add(s, " addr ");
    sb_num(s, addr);
    if (flags & ~(uint32_t)VCF_RPMSG_NS_FLAGS_KNOWN)
        sb_addf(s, " ns-flags 0x%x", (unsigned)flags);
}

static void rpmsg_summary(sbuf *s, int order, const uint8_t *data, size_t len)
{
    vcf_rpmsg_params p;
    vcf_rpmsg_params_default(&p);
    p.order = order ? VCF_BIG_ENDIAN : VCF_LITTLE_ENDIAN;
    vcf_rpmsg_msg m;
    memset(&m, 0, sizeof m);
    vcf_error e;
    memset(&e, 0, sizeof e);
    int rc = vcf_rpmsg_parse(data, len, &p, &m, &e);
    vcf_error ns_err;
    memset(&ns_err, 0, sizeof ns_err);
    bool ns_failed = false;
    if (rc != VCF_OK && rc != VCF_E_NONSTANDARD) {
        /* a frame whose NS payload does not decode is still a frame: show it as data */
        ns_err = e;
        vcf_error fe;
        memset(&fe, 0, sizeof fe);
        memset(&m, 0, sizeof m);
        if (vcf_rpmsg_frame_parse(data, len, p.order, &m.frame, &fe) != VCF_OK) {
            sb_undecodable(s, &fe, data, len);
            return;
        }
        m.kind = VCF_RPMSG_KIND_DATA;
        ns_failed = true;
    }
    const vcf_rpmsg_hdr *h = &m.frame.hdr;
    sb_num(s, h->src);
    sb_add(s, "->");
    sb_num(s, h->dst);
    sb_addf(s, " len %u", (unsigned)h->len);
    if (h->reserved)
        sb_addf(s, " reserved 0x%x", (unsigned)h->reserved);
    if (h->flags)
        sb_addf(s, " flags 0x%x", (unsigned)h->flags);
    switch (m.kind) {
    case VCF_RPMSG_KIND_NS: rpmsg_ns(s, "NS", m.ns.name, m.ns.addr, m.ns.flags); break;
    case VCF_RPMSG_KIND_NS_EXT: {
        char what[32];
        snprintf(what, sizeof what, "NS-ext(%s)", vcf_rpmsg_ns_layout_name(m.ns_ext.layout));
        rpmsg_ns(s, what, m.ns_ext.name, m.ns_ext.addr, m.ns_ext.flags);
        sb_add(s, " desc ");
        sb_name(s, m.ns_ext.desc, VCF_RPMSG_DESC_SIZE);
        break;
    }
    default:
        if (m.frame.payload.len) {
            sb_add(s, " payload ");
            sb_hex(s, m.frame.payload.ptr, m.frame.payload.len, HEX_SHOWN);
        }
        break;
    }
    if (m.frame.slack)
        sb_addf(s, " +%zu bytes after the payload", m.frame.slack);
    if (ns_failed)
        sb_addf(s, " (not an NS message: %s at byte %zu, %s)", vcf_status_name(ns_err.code),
                ns_err.offset, ns_err.field ? ns_err.field : "payload");
}

/* ---- virtio-msg ---------------------------------------------------------------------------- */

typedef struct vmsg_walk {
    sbuf *s;
    int depth;
    bool in_payload; /* inside the "payload" group */
    bool in_array;   /* inside an array: values joined by ',' */
    const char *array_name;
    size_t array_items;
} vmsg_walk;

static void vmsg_value(sbuf *s, const vcf_field *f)
{
    if (f->hex)
        sb_addf(s, "0x%llx", (unsigned long long)f->value);
    else
        sb_addf(s, "%llu", (unsigned long long)f->value);
}

static void vmsg_field(void *ctx, const vcf_field *f)
{
    vmsg_walk *w = ctx;
    switch (f->kind) {
    case VCF_FIELD_BEGIN:
        w->depth++;
        if (w->depth == 1 && f->name && strcmp(f->name, "payload") == 0)
            w->in_payload = true;
        if (w->in_payload && f->is_array) {
            w->in_array = true;
            w->array_name = f->name ? f->name : "array";
            w->array_items = 0;
        }
        return;
    case VCF_FIELD_END:
        if (w->in_array)
            w->in_array = false;
        else if (w->depth == 1)
            w->in_payload = false;
        if (w->depth > 0)
            w->depth--;
        return;
    case VCF_FIELD_UINT:
        if (!w->in_payload)
            return;
        if (w->in_array) {
            if (w->array_items++)
                sb_add(w->s, ",");
            else
                sb_addf(w->s, " %s=", w->array_name);
            vmsg_value(w->s, f);
            return;
        }
        /* reserved fields only when they break their rule */
        if (f->name && strncmp(f->name, "reserved", 8) == 0 && f->value == 0)
            return;
        sb_addf(w->s, " %s=", f->name ? f->name : "?");
        vmsg_value(w->s, f);
        if (f->meaning)
            sb_addf(w->s, "(%s)", f->meaning);
        return;
    case VCF_FIELD_BYTES:
    case VCF_FIELD_STRING:
        if (!w->in_payload && w->depth > 0)
            return;
        if (f->bytes.len == 0)
            return;
        sb_addf(w->s, " %s=", f->name ? f->name : "bytes");
        sb_hex(w->s, f->bytes.ptr, f->bytes.len, HEX_SHOWN);
        if (f->meaning)
            sb_addf(w->s, "(%s)", f->meaning);
        return;
    }
}

static void vmsg_summary(sbuf *s, const uint8_t *data, size_t len)
{
    vcf_vmsg_params p;
    vcf_vmsg_params_default(&p);
    vcf_vmsg_msg m;
    vcf_error e, first;
    memset(&e, 0, sizeof e);
    int rc = vcf_vmsg_parse(data, len, &p, &m, &e);
    first = e;
    const char *note = NULL;
    if (rc == VCF_E_UNKNOWN_ID) {
        /* an ID only the other revision defines */
        p.rev = p.rev == VCF_VMSG_REV_PR28 ? VCF_VMSG_REV_RFC3 : VCF_VMSG_REV_PR28;
        memset(&e, 0, sizeof e);
        rc = vcf_vmsg_parse(data, len, &p, &m, &e);
        note = vcf_vmsg_rev_name(p.rev);
    } else if (rc == VCF_E_TRAILING) {
        /* bytes past msg_size: bus padding */
        p.allow_padding = true;
        memset(&e, 0, sizeof e);
        rc = vcf_vmsg_parse(data, len, &p, &m, &e);
    }
    if (rc != VCF_OK) {
        sb_undecodable(s, &first, data, len);
        return;
    }
    const char *dir = vcf_vmsg_kind_direction(m.kind);
    if (m.kind == VCF_VMSG_K_IMPL_DEFINED) {
        vcf_vmsg_class cls;
        memset(&cls, 0, sizeof cls);
        (void)vcf_vmsg_classify(m.hdr.type, m.hdr.msg_id, p.rev, &cls);
        sb_addf(s, "%s 0x%02x", (m.hdr.type & VCF_VMSG_TYPE_BUS) ? "BUS_IMPL" : "IMPL",
                (unsigned)m.hdr.msg_id);
        dir = cls.response ? "response" : cls.event ? "event" : "request";
    } else {
        const char *name = vcf_vmsg_kind_name(m.kind);
        sb_add(s, name ? name : "?");
    }
    sb_addf(s, " %s dev %u token %u",
            strcmp(dir, "request") == 0    ? "req"
            : strcmp(dir, "response") == 0 ? "resp"
                                           : dir,
            (unsigned)m.hdr.dev_num, (unsigned)m.hdr.token);
    if (m.hdr.type & VCF_VMSG_TYPE_RESERVED)
        sb_addf(s, " type 0x%02x", (unsigned)m.hdr.type);
    vmsg_walk w = {s, 0, false, false, NULL, 0};
    vcf_vmsg_describe(&m, &p, vmsg_field, &w);
    if (note)
        sb_addf(s, " (%s)", note);
}

char *vcf_summary_msg(uint32_t role, int order, uint32_t channel, const uint8_t *data, size_t len,
                      char *buf, size_t cap)
{
    static const uint8_t none[1] = {0};
    (void)channel;
    sbuf s;
    sb_init(&s, buf, cap);
    if (!buf || cap == 0)
        return buf;
    if (!data) {
        data = none;
        len = 0;
    }
    if (is_rpmsg(role)) {
        rpmsg_summary(&s, order, data, len);
    } else if (is_vmsg(role)) {
        vmsg_summary(&s, data, len);
    } else {
        sb_addf(&s, "%zu bytes", len);
        if (len) {
            sb_add(&s, " ");
            sb_hex(&s, data, len, HEX_SHOWN);
        }
    }
    return buf;
}

/* ---- events and actions ------------------------------------------------------------------- */

#define DATA_SHOWN 32u

static void upper_summary(sbuf *s, const char *name, uint32_t type, const char *const *arg_names,
                          const char *data_name, const uint64_t *args, const uint8_t *data,
                          size_t len)
{
    static const uint64_t zero[VCF_ADAPTER_ARG_MAX] = {0};
    if (!args)
        args = zero;
    if (!data)
        len = 0;
    if (name) {
        sb_add(s, name);
        for (unsigned i = 0; i < VCF_ADAPTER_ARG_MAX; i++) {
            if (!arg_names[i])
                continue;
            sb_addf(s, " %s=", arg_names[i]);
            sb_num(s, args[i]);
        }
    } else {
        sb_addf(s, "0x%x", (unsigned)type);
        for (unsigned i = 0; i < VCF_ADAPTER_ARG_MAX; i++) {
            sb_add(s, i ? "," : " args=");
            sb_num(s, args[i]);
        }
    }
    if (data_name && strcmp(data_name, "name") == 0) {
        /* a service name: printable, trailing NULs dropped */
        size_t n = len;
        while (n && data[n - 1] == 0)
            n--;
        sb_add(s, " name=");
        sb_quoted(s, data, n);
    } else if (len || data_name) {
        sb_addf(s, " %s=", data_name ? data_name : "data");
        sb_hex(s, data, len, DATA_SHOWN);
    }
}

/* An event or an action: its table entry (NULL when unknown: prefix and number instead). */
static char *upper_line(const char *prefix, const char *name, uint32_t num,
                        const char *const *arg_names, const char *data_name,
                        const uint64_t args[VCF_ADAPTER_ARG_MAX], const uint8_t *data, size_t len,
                        char *buf, size_t cap)
{
    static const char *const no_names[VCF_ADAPTER_ARG_MAX] = {NULL, NULL, NULL, NULL};
    sbuf s;
    sb_init(&s, buf, cap);
    if (!buf || cap == 0)
        return buf;
    if (!name)
        sb_add(&s, prefix);
    upper_summary(&s, name, num, arg_names ? arg_names : no_names, data_name, args, data, len);
    return buf;
}

char *vcf_summary_event(uint32_t type, const uint64_t args[VCF_ADAPTER_ARG_MAX],
                        const uint8_t *data, size_t len, char *buf, size_t cap)
{
    const vcf_event_info *i = vcf_adapter_event_info(type);
    return upper_line("event ", i ? i->name : NULL, type, i ? i->args : NULL, i ? i->data : NULL,
                      args, data, len, buf, cap);
}

char *vcf_summary_action(uint32_t kind, const uint64_t args[VCF_ADAPTER_ARG_MAX],
                         const uint8_t *data, size_t len, char *buf, size_t cap)
{
    const vcf_action_info *i = vcf_adapter_action_info(kind);
    return upper_line("action ", i ? i->name : NULL, kind, i ? i->args : NULL, i ? i->data : NULL,
                      args, data, len, buf, cap);
}
