/* SPDX-License-Identifier: MIT */
/* vconform fuzzing: reading and writing scripts (script.h). */
#include "script.h"

#include <string.h>

static uint16_t ld16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static uint32_t ld32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int vcf_script_open(const uint8_t *buf, size_t len, vcf_script_head *head, vcf_script_cursor *cur)
{
    memset(head, 0, sizeof(*head));
    memset(cur, 0, sizeof(*cur));
    if (!buf || len < VCF_SCRIPT_HEAD_SIZE)
        return -1;
    size_t plen = ld16(buf + 1);
    if (len - VCF_SCRIPT_HEAD_SIZE < plen)
        return -1;
    head->role = buf[0];
    head->params = (const char *)(buf + VCF_SCRIPT_HEAD_SIZE);
    head->params_len = plen;
    cur->buf = buf;
    cur->len = len;
    cur->pos = VCF_SCRIPT_HEAD_SIZE + plen;
    return 0;
}

int vcf_script_next(vcf_script_cursor *cur, vcf_script_rec *rec)
{
    memset(rec, 0, sizeof(*rec));
    if (cur->pos >= cur->len)
        return 0;
    const uint8_t *p = cur->buf + cur->pos;
    size_t left = cur->len - cur->pos;
    size_t size;
    switch (p[0]) {
    case VCF_SCRIPT_OP_INJECT:
        if (left < VCF_SCRIPT_INJECT_FIXED)
            return 0;
        rec->channel = p[1];
        rec->len = ld16(p + 2);
        rec->used_len = ld16(p + 4);
        rec->capacity = ld16(p + 6);
        size = VCF_SCRIPT_INJECT_FIXED + rec->len;
        if (left < size)
            return 0;
        rec->data = p + VCF_SCRIPT_INJECT_FIXED;
        break;
    case VCF_SCRIPT_OP_ACTION:
        if (left < VCF_SCRIPT_ACTION_FIXED)
            return 0;
        rec->kind = ld16(p + 1);
        for (unsigned i = 0; i < VCF_ADAPTER_ARG_MAX; i++)
            rec->args[i] = ld32(p + 3 + 4 * i);
        rec->len = ld16(p + 19);
        size = VCF_SCRIPT_ACTION_FIXED + rec->len;
        if (left < size)
            return 0;
        rec->data = p + VCF_SCRIPT_ACTION_FIXED;
        break;
    case VCF_SCRIPT_OP_PATCH:
        if (left < VCF_SCRIPT_PATCH_SIZE)
            return 0;
        rec->msg = ld16(p + 1);
        rec->from = ld16(p + 3);
        rec->to = ld16(p + 5);
        rec->n = p[7];
        size = VCF_SCRIPT_PATCH_SIZE;
        break;
    default: return 0;
    }
    rec->op = p[0];
    rec->offset = cur->pos;
    rec->size = size;
    cur->pos += size;
    return 1;
}

size_t vcf_script_params(const char *text, size_t len, char *storage, size_t storage_len,
                         vcf_adapter_param *out, size_t cap)
{
    size_t n = 0, used = 0, i = 0;
    const void *nul = memchr(text, '\0', len);
    if (nul)
        len = (size_t)((const char *)nul - text);
    while (i < len && n < cap) {
        size_t start = i;
        while (i < len && text[i] != '\n')
            i++;
        size_t line_len = i - start;
        i++; /* past the '\n' (or the end) */
        const char *line = text + start;
        const char *eq = memchr(line, '=', line_len);
        if (!eq || eq == line)
            continue;
        size_t klen = (size_t)(eq - line), vlen = line_len - klen - 1;
        if (storage_len - used < klen + vlen + 2)
            break;
        char *k = storage + used;
        memcpy(k, line, klen);
        k[klen] = '\0';
        char *v = k + klen + 1;
        memcpy(v, eq + 1, vlen);
        v[vlen] = '\0';
        used += klen + vlen + 2;
        out[n].key = k;
        out[n].value = v;
        n++;
    }
    return n;
}

void vcf_script_writer_init(vcf_script_writer *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = cap;
    w->len = 0;
    w->overflow = false;
}

/* Room for n more bytes, or NULL (and overflow) when there is none. */
static uint8_t *room(vcf_script_writer *w, size_t n)
{
    if (w->overflow || w->cap - w->len < n) {
        w->overflow = true;
        return NULL;
    }
    uint8_t *p = w->buf + w->len;
    w->len += n;
    return p;
}

static void st16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void st32(uint8_t *p, uint32_t v)
{
    st16(p, v);
    st16(p + 2, v >> 16);
}

void vcf_script_begin(vcf_script_writer *w, uint32_t role, const vcf_adapter_param *params,
                      size_t n)
{
    size_t plen = 0;
    for (size_t i = 0; i < n; i++)
        plen += strlen(params[i].key) + 1 + strlen(params[i].value) + (i + 1 < n ? 1 : 0);
    if (plen > 0xFFFFu) {
        w->overflow = true;
        return;
    }
    uint8_t *p = room(w, VCF_SCRIPT_HEAD_SIZE + plen);
    if (!p)
        return;
    p[0] = (uint8_t)role;
    st16(p + 1, (uint32_t)plen);
    p += VCF_SCRIPT_HEAD_SIZE;
    for (size_t i = 0; i < n; i++) {
        size_t kl = strlen(params[i].key), vl = strlen(params[i].value);
        memcpy(p, params[i].key, kl);
        p += kl;
        *p++ = '=';
        memcpy(p, params[i].value, vl);
        p += vl;
        if (i + 1 < n)
            *p++ = '\n';
    }
}

void vcf_script_inject(vcf_script_writer *w, uint32_t channel, const uint8_t *data, size_t len,
                       uint32_t used_len, uint32_t capacity)
{
    if (len > 0xFFFFu || used_len > 0xFFFFu || capacity > 0xFFFFu || channel > 0xFFu) {
        w->overflow = true;
        return;
    }
    uint8_t *p = room(w, VCF_SCRIPT_INJECT_FIXED + len);
    if (!p)
        return;
    p[0] = VCF_SCRIPT_OP_INJECT;
    p[1] = (uint8_t)channel;
    st16(p + 2, (uint32_t)len);
    st16(p + 4, used_len);
    st16(p + 6, capacity);
    if (len)
        memcpy(p + VCF_SCRIPT_INJECT_FIXED, data, len);
}

void vcf_script_action(vcf_script_writer *w, uint32_t kind,
                       const uint32_t args[VCF_ADAPTER_ARG_MAX], const uint8_t *data, size_t len)
{
    if (len > 0xFFFFu || kind > 0xFFFFu) {
        w->overflow = true;
        return;
    }
    uint8_t *p = room(w, VCF_SCRIPT_ACTION_FIXED + len);
    if (!p)
        return;
    p[0] = VCF_SCRIPT_OP_ACTION;
    st16(p + 1, kind);
    for (unsigned i = 0; i < VCF_ADAPTER_ARG_MAX; i++)
        st32(p + 3 + 4 * i, args[i]);
    st16(p + 19, (uint32_t)len);
    if (len)
        memcpy(p + VCF_SCRIPT_ACTION_FIXED, data, len);
}

void vcf_script_patch(vcf_script_writer *w, uint32_t msg, uint32_t from, uint32_t to, uint32_t n)
{
    if (msg > 0xFFFFu || from > 0xFFFFu || to > 0xFFFFu || n > 0xFFu) {
        w->overflow = true;
        return;
    }
    uint8_t *p = room(w, VCF_SCRIPT_PATCH_SIZE);
    if (!p)
        return;
    p[0] = VCF_SCRIPT_OP_PATCH;
    st16(p + 1, msg);
    st16(p + 3, from);
    st16(p + 5, to);
    p[7] = (uint8_t)n;
}
