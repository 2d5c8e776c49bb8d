/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: parser of the Linux virtio_rpmsg_bus dynamic-debug hex dumps (dmesg.h).
 *
 * The texts it reads are those of drivers/rpmsg/virtio_rpmsg_bus.c (checked against Linux
 * 6.12): rpmsg_recv_single() logs
 *   dev_dbg(dev, "From: 0x%x, To: 0x%x, Len: %d, Flags: %d, Reserved: %d\n", ...)
 *   dynamic_hex_dump("rpmsg_virtio RX: ", DUMP_PREFIX_NONE, 16, 1, msg, sizeof(*msg) + msg_len,
 *                    true)
 * and rpmsg_send_offchannel_raw() the same with "TX From 0x%x, To 0x%x, Len %d, Flags %d,
 * Reserved %d\n" and "rpmsg_virtio TX: ". print_hex_dump (lib/hexdump.c) writes each line as
 * the prefix, up to 16 bytes as two lower-case hex digits separated by one space, and, after at
 * least two spaces (the hex part is padded to 49 columns), the ASCII column: the byte when it
 * is printable ASCII, else '.'.
 */
#include "dmesg.h"

#include "hex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char marker[] = "rpmsg_virtio ";

const char *vcf_dmesg_dir_name(vcf_dmesg_dir dir)
{
    return dir == VCF_DMESG_TX ? "TX" : "RX";
}

/* ---- small text helpers on (pointer, length) ------------------------------------------- */

/* The first needle in the n bytes at s, or NULL. */
static const char *find(const char *s, size_t n, const char *needle)
{
    return memmem(s, n, needle, strlen(needle));
}

/* Up to 40 characters of s for a message, non-printable ones as \xNN. */
static void excerpt(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    if (cap == 0)
        return;
    for (size_t i = 0; i < n && i < 40 && o + 5 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f) {
            out[o++] = (char)c;
        } else {
            snprintf(out + o, cap - o, "\\x%02x", c);
            o += 4;
        }
    }
    if (n > 40 && o + 4 < cap) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

static void report(vcf_dmesg_parser *p, vcf_dmesg_event_kind kind, size_t line, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));

#include <stdarg.h>

static void report(vcf_dmesg_parser *p, vcf_dmesg_event_kind kind, size_t line, const char *fmt,
                   ...)
{
    char text[VCF_DMESG_TEXT_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (kind == VCF_DMESG_EV_ERROR)
        p->stats.bad_lines++;
    else if (kind == VCF_DMESG_EV_WARNING)
        p->stats.warnings++;
    if (p->fn) {
        vcf_dmesg_event ev = {.kind = kind, .line = line, .text = text, .msg = NULL};
        p->fn(p->ctx, &ev);
    }
}

/* ---- timestamps -------------------------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool read_uint(const char **s, const char *end, unsigned max_digits, uint64_t *out,
                      unsigned *ndigits)
{
    uint64_t v = 0;
    unsigned n = 0;
    while (*s < end && **s >= '0' && **s <= '9' && n < max_digits) {
        v = v * 10 + (uint64_t)(**s - '0');
        (*s)++;
        n++;
    }
    if (n == 0 || (*s < end && **s >= '0' && **s <= '9'))
        return false;
    *out = v;
    if (ndigits)
        *ndigits = n;
    return true;
}

/* "[  143.354924]" */
static bool stamp_mono(const char *s, const char *end, int64_t *sec, uint32_t *usec)
{
    s++; /* '[' */
    while (s < end && *s == ' ')
        s++;
    uint64_t whole, frac;
    unsigned nf;
    if (!read_uint(&s, end, 12, &whole, NULL) || s >= end || *s != '.')
        return false;
    s++;
    if (!read_uint(&s, end, 9, &frac, &nf) || s >= end || *s != ']')
        return false;
    while (nf < 6) {
        frac *= 10;
        nf++;
    }
    while (nf > 6) {
        frac /= 10;
        nf--;
    }
    *sec = (int64_t)whole;
    *usec = (uint32_t)frac;
    return true;
}

/* "[Tue Mar  4 10:00:00 2025]" (dmesg -T, local time read as UTC) */
static bool stamp_human(const char *s, const char *end, int64_t *sec, uint32_t *usec)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    s++;
    if (end - s < 24 || s[3] != ' ' || s[7] != ' ')
        return false;
    const char *mon = s + 4;
    unsigned m = 0;
    for (unsigned i = 0; i < 12; i++)
        if (memcmp(mon, months + 3 * i, 3) == 0)
            m = i + 1;
    if (m == 0)
        return false;
    s += 8;
    while (s < end && *s == ' ')
        s++;
    uint64_t d, hh, mm, ss, y;
    if (!read_uint(&s, end, 2, &d, NULL) || s >= end || *s++ != ' ' ||
        !read_uint(&s, end, 2, &hh, NULL) || s >= end || *s++ != ':' ||
        !read_uint(&s, end, 2, &mm, NULL) || s >= end || *s++ != ':' ||
        !read_uint(&s, end, 2, &ss, NULL) || s >= end || *s++ != ' ' ||
        !read_uint(&s, end, 4, &y, NULL) || s >= end || *s != ']')
        return false;
    if (d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60)
        return false;
    *sec =
        days_from_civil((int64_t)y, m, (unsigned)d) * 86400 + (int64_t)(hh * 3600 + mm * 60 + ss);
    *usec = 0;
    return true;
}

/* The first bracketed stamp before limit. */
static bool find_stamp(const char *line, const char *limit, int64_t *sec, uint32_t *usec)
{
    const char *b = memchr(line, '[', (size_t)(limit - line));
    if (!b)
        return false;
    return stamp_mono(b, limit, sec, usec) || stamp_human(b, limit, sec, usec);
}

/* ---- messages ---------------------------------------------------------------------------- */

static uint32_t header_len(const vcf_dmesg_parser *p)
{
    const uint8_t *h = p->buf + 12;
    return p->big_endian ? (uint32_t)((h[0] << 8) | h[1]) : (uint32_t)(h[0] | (h[1] << 8));
}

static uint32_t header_u32(const vcf_dmesg_parser *p, size_t at)
{
    const uint8_t *h = p->buf + at;
    if (p->big_endian)
        return ((uint32_t)h[0] << 24) | ((uint32_t)h[1] << 16) | ((uint32_t)h[2] << 8) | h[3];
    return ((uint32_t)h[3] << 24) | ((uint32_t)h[2] << 16) | ((uint32_t)h[1] << 8) | h[0];
}

static uint32_t header_u16(const vcf_dmesg_parser *p, size_t at)
{
    const uint8_t *h = p->buf + at;
    return p->big_endian ? (uint32_t)((h[0] << 8) | h[1]) : (uint32_t)(h[0] | (h[1] << 8));
}

static void cross_check(vcf_dmesg_parser *p)
{
    const vcf_dmesg_dbg *d = &p->cur.dbg;
    if (!d->present || p->cur.len < 16)
        return;
    uint32_t src = header_u32(p, 0), dst = header_u32(p, 4), res = header_u32(p, 8);
    uint32_t len = header_u16(p, 12), flags = header_u16(p, 14);
    if (src == d->src && dst == d->dst && len == d->len && flags == d->flags && res == d->reserved)
        return;
    report(p, VCF_DMESG_EV_WARNING, p->cur.first_line,
           "the dev_dbg line %zu says From 0x%x, To 0x%x, Len %u, Flags %u, Reserved %u, but the "
           "dumped header has From 0x%x, To 0x%x, Len %u, Flags %u, Reserved %u",
           d->line, d->src, d->dst, d->len, d->flags, d->reserved, src, dst, len, flags, res);
}

/* End the message being assembled. */
static void finish_msg(vcf_dmesg_parser *p)
{
    if (!p->active)
        return;
    p->active = false;
    vcf_dmesg_msg *m = &p->cur;
    if (p->damaged) {
        p->stats.damaged++;
        report(p, VCF_DMESG_EV_WARNING, m->first_line,
               "%s dump of lines %zu-%zu left out: line %zu could not be read",
               vcf_dmesg_dir_name(m->dir), m->first_line, m->last_line, p->damaged_line);
        return;
    }
    m->data = p->buf;
    m->complete = m->claimed != 0 && m->len == m->claimed;
    cross_check(p);
    if (!m->complete) {
        p->stats.incomplete++;
        if (m->claimed)
            report(p, VCF_DMESG_EV_WARNING, m->first_line,
                   "%s dump of lines %zu-%zu is incomplete: %zu bytes, the header's len says "
                   "%zu (16 + %zu)",
                   vcf_dmesg_dir_name(m->dir), m->first_line, m->last_line, m->len, m->claimed,
                   m->claimed - 16);
        else
            report(p, VCF_DMESG_EV_WARNING, m->first_line,
                   "%s dump of lines %zu-%zu is incomplete: %zu bytes, not even the 16-byte "
                   "header",
                   vcf_dmesg_dir_name(m->dir), m->first_line, m->last_line, m->len);
    }
    p->stats.messages[m->dir]++;
    if (p->fn) {
        vcf_dmesg_event ev = {
            .kind = VCF_DMESG_EV_MESSAGE, .line = m->first_line, .text = NULL, .msg = m};
        p->fn(p->ctx, &ev);
    }
}

static void start_msg(vcf_dmesg_parser *p, vcf_dmesg_dir dir, size_t lineno, bool has_ts,
                      int64_t sec, uint32_t usec)
{
    memset(&p->cur, 0, sizeof p->cur);
    p->cur.dir = dir;
    p->cur.first_line = lineno;
    p->cur.last_line = lineno;
    p->cur.has_ts = has_ts;
    p->cur.ts_sec = sec;
    p->cur.ts_usec = usec;
    if (p->pending.present && p->pending_dir == dir)
        p->cur.dbg = p->pending;
    p->pending.present = false;
    p->active = true;
    p->damaged = false;
    p->counted = 0;
}

/* ---- dev_dbg header lines ---------------------------------------------------------------- */

/* Reads literal text. */
static bool lit(const char **s, const char *end, const char *text)
{
    size_t k = strlen(text);
    if ((size_t)(end - *s) < k || memcmp(*s, text, k) != 0)
        return false;
    *s += k;
    return true;
}

static bool read_hex32(const char **s, const char *end, uint32_t *out)
{
    uint64_t v = 0;
    unsigned n = 0;
    while (*s < end && vcf_cli_hex_digit(**s) >= 0 && n < 8) {
        v = (v << 4) | (uint64_t)vcf_cli_hex_digit(**s);
        (*s)++;
        n++;
    }
    if (n == 0 || (*s < end && vcf_cli_hex_digit(**s) >= 0))
        return false;
    *out = (uint32_t)v;
    return true;
}

/* A %d of a 32-bit value: reserved is u32 printed as int, so it may be negative. */
static bool read_dec32(const char **s, const char *end, uint32_t *out)
{
    bool neg = lit(s, end, "-");
    uint64_t v;
    if (!read_uint(s, end, 10, &v, NULL) || v > (neg ? 0x80000000u : 0xFFFFFFFFu))
        return false;
    *out = neg ? (uint32_t)(0u - (uint32_t)v) : (uint32_t)v;
    return true;
}

static bool parse_dbg(const char *line, size_t n, vcf_dmesg_dbg *d, vcf_dmesg_dir *dir)
{
    const char *end = line + n;
    const char *s = find(line, n, "TX From 0x");
    bool tx = s != NULL;
    if (tx) {
        s += strlen("TX From 0x");
        if (!read_hex32(&s, end, &d->src) || !lit(&s, end, ", To 0x") ||
            !read_hex32(&s, end, &d->dst) || !lit(&s, end, ", Len ") ||
            !read_dec32(&s, end, &d->len) || !lit(&s, end, ", Flags ") ||
            !read_dec32(&s, end, &d->flags) || !lit(&s, end, ", Reserved ") ||
            !read_dec32(&s, end, &d->reserved))
            return false;
    } else {
        s = find(line, n, "From: 0x");
        if (!s)
            return false;
        s += strlen("From: 0x");
        if (!read_hex32(&s, end, &d->src) || !lit(&s, end, ", To: 0x") ||
            !read_hex32(&s, end, &d->dst) || !lit(&s, end, ", Len: ") ||
            !read_dec32(&s, end, &d->len) || !lit(&s, end, ", Flags: ") ||
            !read_dec32(&s, end, &d->flags) || !lit(&s, end, ", Reserved: ") ||
            !read_dec32(&s, end, &d->reserved))
            return false;
    }
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    if (s != end)
        return false;
    *dir = tx ? VCF_DMESG_TX : VCF_DMESG_RX;
    d->present = true;
    return true;
}

/* ---- dump lines -------------------------------------------------------------------------- */

/* The hex and ASCII columns after the prefix; the byte count, or -1 with what was expected. */
static int parse_dump(const char *s, const char *end, uint8_t out[16], char *why, size_t why_len)
{
    const char *hs = s; /* print_hex_dump puts the ASCII column 49 characters after this */
    char ex[64];
    int n = 0;
    for (;;) {
        if (end - s < 2 || vcf_cli_hex_digit(s[0]) < 0 || vcf_cli_hex_digit(s[1]) < 0) {
            excerpt(s, (size_t)(end - s), ex, sizeof ex);
            snprintf(why, why_len, "expected two hex digits for byte %d, found \"%s\"", n, ex);
            return -1;
        }
        if (n == 16) {
            snprintf(why, why_len, "expected at most 16 bytes on a line, found a 17th");
            return -1;
        }
        out[n++] = (uint8_t)(vcf_cli_hex_digit(s[0]) << 4 | vcf_cli_hex_digit(s[1]));
        s += 2;
        if (s == end)
            return n;
        if (*s != ' ') {
            excerpt(s, (size_t)(end - s), ex, sizeof ex);
            snprintf(why, why_len, "expected a space after byte %d, found \"%s\"", n - 1, ex);
            return -1;
        }
        s++;
        if (s == end || *s == ' ')
            break; /* two spaces (or a trailing one): the ASCII column follows */
    }
    const char *col = hs + 49;
    bool at_col = col <= end;
    for (const char *q = s; at_col && q < col; q++)
        if (*q != ' ')
            at_col = false;
    if (at_col) {
        s = col;
    } else {
        while (s < end && *s == ' ')
            s++;
    }
    /* the ASCII column: trailing spaces (bytes 0x20) may have been stripped by the logger */
    size_t alen = (size_t)(end - s);
    if (alen > (size_t)n) {
        excerpt(s, alen, ex, sizeof ex);
        snprintf(why, why_len, "expected an ASCII column of at most %d characters, found \"%s\"", n,
                 ex);
        return -1;
    }
    for (size_t i = 0; i < alen; i++) {
        uint8_t b = out[i];
        char want = (b >= 0x20 && b < 0x7f) ? (char)b : '.';
        if (s[i] != want) {
            snprintf(why, why_len,
                     "expected the ASCII column to show byte %zu (0x%02x) as '%c', found '%c'", i,
                     b, want, (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?');
            return -1;
        }
    }
    for (size_t i = alen; i < (size_t)n; i++)
        if (out[i] != 0x20 && alen > 0) {
            snprintf(why, why_len, "expected an ASCII column of %d characters, found %zu", n, alen);
            return -1;
        }
    return n;
}

static void dump_line(vcf_dmesg_parser *p, const char *line, size_t n, const char *mk,
                      vcf_dmesg_dir dir)
{
    size_t lineno = p->stats.lines;
    const char *end = line + n;
    while (end > line && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    const char *s = mk + strlen(marker) + 3; /* past "RX:" */
    uint8_t bytes[16];
    char why[VCF_DMESG_TEXT_MAX - 64];
    int nb;
    if (s >= end || *s != ' ') {
        snprintf(why, sizeof why, "expected hex bytes after \"rpmsg_virtio %s:\"",
                 vcf_dmesg_dir_name(dir));
        nb = -1;
    } else {
        s++;
        nb = parse_dump(s, end, bytes, why, sizeof why);
    }
    int64_t sec = 0;
    uint32_t usec = 0;
    bool has_ts = find_stamp(line, mk, &sec, &usec);

    if (nb < 0) {
        report(p, VCF_DMESG_EV_ERROR, lineno, "%s", why);
        /* the message this line belongs to cannot be trusted any more */
        if (p->active && p->cur.dir != dir)
            finish_msg(p);
        if (!p->active)
            start_msg(p, dir, lineno, has_ts, sec, usec);
        if (!p->damaged) {
            p->damaged = true;
            p->damaged_line = lineno;
        }
        p->cur.last_line = lineno;
        p->counted += 16;
        if ((p->cur.claimed && p->counted >= p->cur.claimed) || p->counted > VCF_DMESG_MSG_MAX)
            finish_msg(p);
        return;
    }
    p->stats.dump_lines++;
    size_t k = (size_t)nb;
    if (p->active && p->cur.dir != dir)
        finish_msg(p);
    if (p->active && p->cur.claimed && p->counted + k > p->cur.claimed)
        finish_msg(p); /* more bytes than the header asked for: a new dump (lines were lost) */
    if (!p->active)
        start_msg(p, dir, lineno, has_ts, sec, usec);
    if (!p->damaged) {
        memcpy(p->buf + p->cur.len, bytes, k);
        p->cur.len += k;
    }
    p->counted += k;
    p->cur.last_line = lineno;
    if (!p->cur.claimed && p->counted >= 16 && !p->damaged)
        p->cur.claimed = 16u + header_len(p);
    if (k < 16 || (p->cur.claimed && p->counted >= p->cur.claimed) ||
        p->counted >= VCF_DMESG_MSG_MAX)
        finish_msg(p);
}

/* ---- lines ------------------------------------------------------------------------------- */

int vcf_dmesg_line(vcf_dmesg_parser *p, const char *line, size_t n)
{
    if (p->failed)
        return -1;
    if (n > VCF_DMESG_LINE_MAX)
        n = VCF_DMESG_LINE_MAX;
    if (n && line[n - 1] == '\r')
        n--;
    p->stats.lines++;
    /* a dump line: "rpmsg_virtio RX:" or "rpmsg_virtio TX:" anywhere in the line */
    const char *at = line;
    size_t left = n;
    const char *mk;
    while ((mk = find(at, left, marker)) != NULL) {
        const char *d = mk + strlen(marker);
        size_t rest = (size_t)(line + n - d);
        if (rest >= 3 && (memcmp(d, "RX:", 3) == 0 || memcmp(d, "TX:", 3) == 0)) {
            dump_line(p, line, n, mk, d[0] == 'T' ? VCF_DMESG_TX : VCF_DMESG_RX);
            return 0;
        }
        left = (size_t)(line + n - d);
        at = d;
    }
    vcf_dmesg_dbg dbg = {0};
    vcf_dmesg_dir dir;
    if (parse_dbg(line, n, &dbg, &dir)) {
        p->stats.dbg_lines++;
        finish_msg(p);
        dbg.line = p->stats.lines;
        p->pending = dbg;
        p->pending_dir = dir;
    }
    return 0;
}

int vcf_dmesg_feed(vcf_dmesg_parser *p, const char *text, size_t len)
{
    if (p->failed)
        return -1;
    while (len) {
        const char *nl = memchr(text, '\n', len);
        size_t chunk = nl ? (size_t)(nl - text) : len;
        size_t room = VCF_DMESG_LINE_MAX - p->carry_len;
        size_t take = chunk < room ? chunk : room;
        if (take) {
            memcpy(p->carry + p->carry_len, text, take);
            p->carry_len += take;
        }
        if (!nl)
            break;
        if (vcf_dmesg_line(p, p->carry, p->carry_len) != 0)
            return -1;
        p->carry_len = 0;
        text = nl + 1;
        len -= chunk + 1;
    }
    return 0;
}

int vcf_dmesg_finish(vcf_dmesg_parser *p)
{
    if (p->failed)
        return -1;
    if (p->carry_len) {
        if (vcf_dmesg_line(p, p->carry, p->carry_len) != 0)
            return -1;
        p->carry_len = 0;
    }
    finish_msg(p);
    p->pending.present = false;
    return 0;
}

int vcf_dmesg_init(vcf_dmesg_parser *p, bool big_endian, vcf_dmesg_fn fn, void *ctx)
{
    memset(p, 0, sizeof *p);
    p->big_endian = big_endian;
    p->fn = fn;
    p->ctx = ctx;
    p->carry = malloc(VCF_DMESG_LINE_MAX);
    p->buf = malloc(VCF_DMESG_MSG_MAX);
    if (!p->carry || !p->buf) {
        vcf_dmesg_free(p);
        p->failed = true;
        return -1;
    }
    return 0;
}

void vcf_dmesg_free(vcf_dmesg_parser *p)
{
    free(p->carry);
    free(p->buf);
    p->carry = NULL;
    p->buf = NULL;
}
