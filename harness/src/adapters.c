/* SPDX-License-Identifier: MIT */
/* vconform harness: opening an adapter from its command-line spec (model, so:, exec:). */
#include <stdio.h>
#include <string.h>

#include "adapters.h"

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int vcf_hadapter_open(const char *spec, vcf_hadapter *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    if (!spec)
        spec = "";
    if (strcmp(spec, "model") == 0 || has_prefix(spec, "model:")) {
        /* In-process: the model cannot crash or hang, so no last_error, restart or timeout. */
        const char *opts = spec[5] == ':' ? spec + 6 : "";
        char why[512] = "";
        if (vcf_model_adapter_init(opts, &out->ad, why, sizeof why) != 0) {
            snprintf(err, err_len, "%s: %s", spec, why[0] ? why : "cannot start the model");
            memset(out, 0, sizeof *out);
            return -1;
        }
        return 0;
    }
    if (has_prefix(spec, "so:"))
        return vcf_so_adapter_open(spec + 3, NULL, out, err, err_len);
    if (has_prefix(spec, "exec:"))
        return vcf_exec_adapter_open(spec + 5, out, err, err_len);
    snprintf(err, err_len,
             "unknown adapter '%s': use model[:OPTIONS], so:PATH[,OPTIONS] or exec:CMD "
             "(docs/adapters.md)",
             spec);
    return -1;
}

void vcf_hadapter_close(vcf_hadapter *h)
{
    if (!h)
        return;
    if (h->ad.close)
        h->ad.close(h->ad.ud);
    memset(h, 0, sizeof *h);
}
