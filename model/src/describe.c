/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>

#include "describe_internal.h"

void vcf_text_addf(vcf_textbuf *t, const char *fmt, ...)
{
    if (t->cap == 0 || t->len >= t->cap - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    t->len += (size_t)n;
    if (t->len > t->cap - 1)
        t->len = t->cap - 1;
}

void vcf_text_add(vcf_textbuf *t, const char *s)
{
    vcf_text_addf(t, "%s", s);
}
