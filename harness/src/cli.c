/* SPDX-License-Identifier: MIT */
/* What every vconform command shares. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>

int vcf_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "vconform %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(vconform %s --help shows the options)\n", cmd);
    return VCF_CLI_EXIT_USAGE;
}
