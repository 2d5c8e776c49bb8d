/* SPDX-License-Identifier: MIT */
/* vconform-vhost: classifying UML console lines (pure; see uml_console.h). */
#include "uml_console.h"

#include <stdbool.h>
#include <string.h>

/* Lines that carry test-chosen bytes: never trouble, whatever they contain. */
static const char *const opaque_marks[] = {"rpmsg_virtio RX: ", "vconform-agent:"};

static const char *const trouble_marks[] = {"BUG:",
                                            "WARNING:",
                                            "Kernel panic",
                                            "Oops",
                                            "general protection",
                                            "Unable to handle",
                                            "------------[ cut here ]",
                                            "Call Trace:",
                                            "scheduling while atomic"};

/* A cursor over one line: every reader checks before it moves, and fails closed. */
typedef struct cur {
    const char *p;
} cur;

static bool lit(cur *c, const char *s)
{
    size_t n = strlen(s);
    if (strncmp(c->p, s, n) != 0)
        return false;
    c->p += n;
    return true;
}

/* Unsigned hex after "0x", at most 32 bits. */
static bool hex32(cur *c, uint32_t *out)
{
    if (!lit(c, "0x"))
        return false;
    uint64_t v = 0;
    unsigned digits = 0;
    for (;;) {
        char ch = *c->p;
        unsigned d;
        if (ch >= '0' && ch <= '9')
            d = (unsigned)(ch - '0');
        else if (ch >= 'a' && ch <= 'f')
            d = (unsigned)(ch - 'a') + 10u;
        else if (ch >= 'A' && ch <= 'F')
            d = (unsigned)(ch - 'A') + 10u;
        else
            break;
        if (++digits > 8)
            return false;
        v = v * 16u + d;
        c->p++;
    }
    if (digits == 0)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* Signed decimal as printk's %d / %u prints it: at most 10 digits. */
static bool dec(cur *c, int64_t *out)
{
    bool neg = lit(c, "-");
    int64_t v = 0;
    unsigned digits = 0;
    while (*c->p >= '0' && *c->p <= '9') {
        if (++digits > 10)
            return false;
        v = v * 10 + (*c->p - '0');
        c->p++;
    }
    if (digits == 0)
        return false;
    *out = neg ? -v : v;
    return true;
}

/* The rest of the line is empty (a '\r' before the end is tolerated). */
static bool at_end(const cur *c)
{
    return c->p[0] == '\0' || (c->p[0] == '\r' && c->p[1] == '\0');
}

static bool parse_rx(const char *at, vcf_uml_line *o)
{
    cur c = {at};
    return lit(&c, "From: ") && hex32(&c, &o->src) && lit(&c, ", To: ") && hex32(&c, &o->dst) &&
           lit(&c, ", Len: ") && dec(&c, &o->len) && lit(&c, ", Flags: ") && dec(&c, &o->flags) &&
           lit(&c, ", Reserved: ") && dec(&c, &o->reserved) && at_end(&c);
}

static bool parse_too_big(const char *at, vcf_uml_line *o)
{
    cur c = {at};
    int64_t msg_len = 0;
    if (!(lit(&c, "inbound msg too big: (") && dec(&c, &o->len) && lit(&c, ", ") &&
          dec(&c, &msg_len) && lit(&c, ")") && at_end(&c)))
        return false;
    o->count = msg_len < 0 ? 0u : (uint64_t)msg_len;
    return true;
}

static bool parse_received(const char *at, vcf_uml_line *o)
{
    cur c = {at};
    int64_t n = 0;
    if (!(lit(&c, "Received ") && dec(&c, &n) && n >= 0 && lit(&c, " messages") && at_end(&c)))
        return false;
    o->count = (uint64_t)n;
    return true;
}

static bool parse_ready(const char *at, vcf_uml_line *o)
{
    cur c = {at};
    if (!lit(&c, "vconform-agent: ready"))
        return false;
    if (!at_end(&c) && !lit(&c, " "))
        return false;
    while (*c.p == ' ')
        c.p++;
    size_t n = strlen(c.p);
    while (n > 0 && (c.p[n - 1] == ' ' || c.p[n - 1] == '\r' || c.p[n - 1] == '\t'))
        n--;
    if (n >= sizeof o->version)
        n = sizeof o->version - 1u;
    memcpy(o->version, c.p, n);
    o->version[n] = '\0';
    return true;
}

vcf_uml_line_kind vcf_uml_parse_line(const char *line, vcf_uml_line *out)
{
    vcf_uml_line o;
    memset(&o, 0, sizeof o);
    if (!line)
        line = "";

    bool opaque = false;
    for (size_t i = 0; i < sizeof opaque_marks / sizeof opaque_marks[0]; i++)
        opaque = opaque || strstr(line, opaque_marks[i]) != NULL;
    if (!opaque)
        for (size_t i = 0; i < sizeof trouble_marks / sizeof trouble_marks[0]; i++)
            if (strstr(line, trouble_marks[i])) {
                o.kind = VCF_UML_LINE_TROUBLE;
                o.trouble = trouble_marks[i];
                goto done;
            }

    const char *at;
    if ((at = strstr(line, "vconform-agent: ready")) != NULL && parse_ready(at, &o))
        o.kind = VCF_UML_LINE_READY;
    else if (opaque)
        o.kind = VCF_UML_LINE_OTHER;
    else if ((at = strstr(line, "From: 0x")) != NULL && parse_rx(at, &o))
        o.kind = VCF_UML_LINE_RX;
    else if ((at = strstr(line, "inbound msg too big: (")) != NULL && parse_too_big(at, &o))
        o.kind = VCF_UML_LINE_TOO_BIG;
    else if ((at = strstr(line, "Received ")) != NULL && parse_received(at, &o))
        o.kind = VCF_UML_LINE_RECEIVED;
    else if (strstr(line, "uhm, incoming signal, but no used buffer ?"))
        o.kind = VCF_UML_LINE_NO_USED;
    else
        o.kind = VCF_UML_LINE_OTHER;
done:
    if (o.kind == VCF_UML_LINE_OTHER) {
        memset(&o, 0, sizeof o);
        o.kind = VCF_UML_LINE_OTHER;
    }
    if (out)
        *out = o;
    return o.kind;
}

const char *vcf_uml_line_kind_name(vcf_uml_line_kind kind)
{
    switch (kind) {
    case VCF_UML_LINE_OTHER: return "other";
    case VCF_UML_LINE_TROUBLE: return "trouble";
    case VCF_UML_LINE_RX: return "rx";
    case VCF_UML_LINE_TOO_BIG: return "too-big";
    case VCF_UML_LINE_RECEIVED: return "received";
    case VCF_UML_LINE_NO_USED: return "no-used";
    case VCF_UML_LINE_READY: return "ready";
    }
    return "?";
}

void vcf_uml_sanitize_name(const char *id, char *out, size_t cap)
{
    if (!out || cap == 0)
        return;
    size_t n = 0;
    for (const char *p = id ? id : ""; *p && n + 1u < cap; p++, n++) {
        unsigned char ch = (unsigned char)*p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || (ch == '.' && n > 0);
        out[n] = ok ? (char)ch : '_';
    }
    out[n] = '\0';
}
