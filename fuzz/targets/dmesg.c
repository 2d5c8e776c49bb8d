/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target dmesg: kernel log text through the parser of `vconform pcap import-dmesg`
 * (harness/src/dmesg.c).
 *
 * Checked on every input:
 *   - the same text fed at once, in chunks of a size the input picks, and line by line through
 *     vcf_dmesg_line gives the same events (messages with their bytes, errors, warnings, line
 *     numbers) in the same order;
 *   - every message's bytes are exactly the hex bytes on its lines (read again here by a plain
 *     reader of its own), and every line of its range that carries a dump is of its direction;
 *   - line numbers grow: each message starts after the previous one ended, ends at or after its
 *     start, and no event names a line past the input; errors read "expected ...";
 *   - a complete message has exactly 16 + its header's len bytes, and never more than that.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dmesg.h"
#include "fuzz.h"
#include "walk.h"

VCF_FUZZ_CHECKS_BEGIN

typedef struct evlog {
    uint8_t *b;
    size_t n, cap;
    size_t last_end; /* last line of the previous message */
    size_t n_msgs;
    const uint8_t *input;
    size_t input_len;
    bool check_bytes;
} evlog;

static void put(evlog *l, const void *p, size_t n)
{
    if (l->n + n > l->cap) {
        size_t cap = l->cap ? l->cap : 4096;
        while (cap < l->n + n)
            cap *= 2;
        uint8_t *b = realloc(l->b, cap);
        if (!b)
            abort();
        l->b = b;
        l->cap = cap;
    }
    memcpy(l->b + l->n, p, n);
    l->n += n;
}

/* Line i (1-based) of the input as the parser sees it: cut at VCF_DMESG_LINE_MAX, no '\r'. */
static bool get_line(const evlog *l, size_t want, const char **s, size_t *n)
{
    const char *p = (const char *)l->input, *end = p + l->input_len;
    size_t i = 1;
    while (p <= end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        if (i == want) {
            size_t len = (size_t)(e - p);
            if (len > VCF_DMESG_LINE_MAX)
                len = VCF_DMESG_LINE_MAX;
            if (len && p[len - 1] == '\r')
                len--;
            *s = p;
            *n = len;
            return true;
        }
        if (!nl)
            break;
        p = nl + 1;
        i++;
    }
    return false;
}

/* The plain reader: the direction of a dump line (-1 none) and its hex bytes. */
static int read_dump(const char *s, size_t n, uint8_t *out, size_t *k)
{
    static const char mk[] = "rpmsg_virtio ";
    size_t m = sizeof mk - 1;
    *k = 0;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    for (size_t i = 0; i + m + 3 <= n; i++) {
        if (memcmp(s + i, mk, m) != 0)
            continue;
        const char *d = s + i + m;
        if (memcmp(d, "RX:", 3) != 0 && memcmp(d, "TX:", 3) != 0)
            continue;
        int dir = d[0] == 'T' ? VCF_DMESG_TX : VCF_DMESG_RX;
        const char *p = d + 4, *end = s + n;
        while (p + 2 <= end && *k < 16) {
            unsigned v = 0;
            for (int j = 0; j < 2; j++) {
                char c = p[j];
                v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
            }
            out[(*k)++] = (uint8_t)v;
            p += 2;
            if (p + 1 >= end || p[0] != ' ' || p[1] == ' ')
                break;
            p++;
        }
        return dir;
    }
    return -1;
}

static void on_ev(void *ctx, const vcf_dmesg_event *ev)
{
    evlog *l = ctx;
    uint8_t kind = (uint8_t)ev->kind;
    put(l, &kind, 1);
    put(l, &ev->line, sizeof ev->line);
    if (ev->kind != VCF_DMESG_EV_MESSAGE) {
        if (ev->kind == VCF_DMESG_EV_ERROR && strncmp(ev->text, "expected ", 9) != 0)
            vcf_fuzz_finding("dmesg: line %zu: an error that does not say what was expected: %s",
                             ev->line, ev->text);
        put(l, ev->text, strlen(ev->text) + 1);
        return;
    }
    const vcf_dmesg_msg *m = ev->msg;
    put(l, &m->dir, sizeof m->dir);
    put(l, &m->len, sizeof m->len);
    put(l, &m->first_line, sizeof m->first_line);
    put(l, &m->last_line, sizeof m->last_line);
    put(l, &m->complete, sizeof m->complete);
    put(l, &m->claimed, sizeof m->claimed);
    put(l, &m->has_ts, sizeof m->has_ts);
    put(l, &m->ts_sec, sizeof m->ts_sec);
    put(l, &m->ts_usec, sizeof m->ts_usec);
    put(l, m->data, m->len);
    if (m->first_line > m->last_line || (l->n_msgs && m->first_line <= l->last_end))
        vcf_fuzz_finding("dmesg: message of lines %zu-%zu after one that ended at line %zu",
                         m->first_line, m->last_line, l->last_end);
    if (m->complete ? m->len != m->claimed : (m->claimed && m->len >= m->claimed))
        vcf_fuzz_finding("dmesg: %zu bytes, %zu claimed, complete %d", m->len, m->claimed,
                         m->complete);
    l->last_end = m->last_line;
    l->n_msgs++;
    if (!l->check_bytes)
        return;
    /* the bytes are those on its lines */
    size_t at = 0;
    for (size_t i = m->first_line; i <= m->last_line; i++) {
        const char *s;
        size_t n, k;
        uint8_t b[16];
        if (!get_line(l, i, &s, &n))
            vcf_fuzz_finding("dmesg: message line %zu is not in the input", i);
        int dir = read_dump(s, n, b, &k);
        if (dir < 0)
            continue;
        if (dir != (int)m->dir)
            vcf_fuzz_finding("dmesg: line %zu of a %s message is a %s dump", i,
                             vcf_dmesg_dir_name(m->dir), dir ? "TX" : "RX");
        if (at + k > m->len || memcmp(m->data + at, b, k) != 0)
            vcf_fuzz_finding("dmesg: line %zu: the message's bytes at %zu are not the line's", i,
                             at);
        at += k;
    }
    if (at != m->len)
        vcf_fuzz_finding("dmesg: message of lines %zu-%zu has %zu bytes, its lines %zu",
                         m->first_line, m->last_line, m->len, at);
}

static void run(const uint8_t *data, size_t size, int how, size_t chunk, evlog *l)
{
    memset(l, 0, sizeof *l);
    l->input = data;
    l->input_len = size;
    l->check_bytes = how == 0;
    vcf_dmesg_parser p;
    if (vcf_dmesg_init(&p, size && (data[0] & 1), on_ev, l) != 0)
        abort();
    const char *t = (const char *)data;
    if (how == 0) {
        vcf_dmesg_feed(&p, t, size);
    } else if (how == 1) {
        for (size_t i = 0; i < size; i += chunk)
            vcf_dmesg_feed(&p, t + i, size - i < chunk ? size - i : chunk);
    } else {
        const char *s = t, *end = t + size;
        while (s < end) {
            const char *nl = memchr(s, '\n', (size_t)(end - s));
            if (!nl) {
                vcf_dmesg_line(&p, s, (size_t)(end - s));
                break;
            }
            vcf_dmesg_line(&p, s, (size_t)(nl - s));
            s = nl + 1;
        }
    }
    vcf_dmesg_finish(&p);
    size_t lines = p.stats.lines;
    vcf_dmesg_free(&p);
    (void)lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    evlog a, b, c;
    size_t chunk = size ? 1u + data[size - 1] % 61u : 1u;
    run(data, size, 0, 0, &a);
    run(data, size, 1, chunk, &b);
    run(data, size, 2, 0, &c);
    if (a.n != b.n || (a.n && memcmp(a.b, b.b, a.n) != 0))
        vcf_fuzz_finding("dmesg: feeding in %zu-byte chunks gives other events", chunk);
    if (a.n != c.n || (a.n && memcmp(a.b, c.b, a.n) != 0))
        vcf_fuzz_finding("dmesg: feeding line by line gives other events");
    vcf_fuzz_explainf("dmesg: %zu bytes, %zu messages; checked: chunking, bytes, line order\n",
                      size, a.n_msgs);
    free(a.b);
    free(b.b);
    free(c.b);
    return 0;
}

VCF_FUZZ_CHECKS_END
