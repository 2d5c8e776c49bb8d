/* SPDX-License-Identifier: MIT */
/* vconform fuzzing: helpers every target links (fuzz.h). */
#include "fuzz.h"

#include <stdarg.h>
#include <stdlib.h>

FILE *vcf_fuzz_explain = NULL;
const char *vcf_fuzz_input_name = NULL;

void vcf_fuzz_explainf(const char *fmt, ...)
{
    if (!vcf_fuzz_explain)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(vcf_fuzz_explain, fmt, ap);
    va_end(ap);
}

void vcf_fuzz_finding(const char *fmt, ...)
{
    va_list ap;
    fputs("vconform fuzz finding: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (vcf_fuzz_input_name)
        fprintf(stderr, "vconform fuzz finding: input %s\n", vcf_fuzz_input_name);
    fflush(stderr);
    abort();
}

uint32_t vcf_fuzz_vmsg_max(uint8_t param)
{
    unsigned k = (unsigned)param >> 2;
    return k == 0 ? 0u : 40u + 8u * k;
}
