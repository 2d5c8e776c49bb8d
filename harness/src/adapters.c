/* SPDX-License-Identifier: MIT */
/* vconform harness: opening an adapter from its command-line spec (model, so:, exec:,
 * linux-uml). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters.h"

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- linux-uml: vconform-vhost as an exec: adapter ----------------------------------------- */

/* A boot of User-Mode Linux happens inside RESET and can take several seconds on a loaded
 * machine: whatever --timeout says, one operation gets at least this long. */
#define UML_MIN_TIMEOUT 60.0

/* vconform-vhost: $VCONFORM_VHOST, else next to the running vconform (installed), else in the
 * build tree (build/X/harness/uml/ beside build/X/harness/vconform). */
static int find_vhost(char *buf, size_t len, char *err, size_t err_len)
{
    const char *env = getenv("VCONFORM_VHOST");
    if (env && *env) {
        snprintf(buf, len, "%s", env);
        if (access(buf, X_OK) != 0) {
            snprintf(err, err_len, "linux-uml: VCONFORM_VHOST=%s: %s", env, strerror(errno));
            return -1;
        }
        return 0;
    }
    char dir[PATH_MAX];
    if (vcf_exe_dir(dir, sizeof dir) != 0) {
        snprintf(err, err_len, "linux-uml: cannot find vconform-vhost: /proc/self/exe: %s",
                 strerror(errno));
        return -1;
    }
    static const char *const where[] = {"/vconform-vhost", "/uml/vconform-vhost",
                                        "/../uml/vconform-vhost"};
    for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
        snprintf(buf, len, "%s%s", dir, where[i]);
        if (access(buf, X_OK) == 0)
            return 0;
    }
    snprintf(err, err_len,
             "linux-uml: vconform-vhost is not next to %s (nor in %s/uml, %s/../uml); set "
             "VCONFORM_VHOST to its path",
             dir, dir, dir);
    return -1;
}

static int open_linux_uml(const char *opts, vcf_hadapter *out, char *err, size_t err_len)
{
    char path[PATH_MAX + 64];
    if (find_vhost(path, sizeof path, err, err_len) != 0)
        return -1;
    char *qpath = vcf_sh_quote(path);
    char *qopts = vcf_sh_quote(opts);
    char *cmd = NULL;
    if (qpath && qopts) {
        size_t n = strlen(qpath) + strlen(qopts) + 16u;
        cmd = malloc(n);
        if (cmd)
            snprintf(cmd, n, "exec %s uml %s", qpath, qopts);
    }
    int rc = -1;
    if (!cmd)
        snprintf(err, err_len, "linux-uml: out of memory");
    else
        rc = vcf_exec_adapter_open(cmd, out, err, err_len);
    free(qpath);
    free(qopts);
    free(cmd);
    if (rc != 0)
        return -1;
    vcf_exec_adapter_min_timeout(out, UML_MIN_TIMEOUT);
    return 0;
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
    if (strcmp(spec, "linux-uml") == 0 || has_prefix(spec, "linux-uml:"))
        return open_linux_uml(spec[9] == ':' ? spec + 10 : "", out, err, err_len);
    snprintf(err, err_len,
             "unknown adapter '%s': use model[:OPTIONS], so:PATH[,OPTIONS], exec:CMD or "
             "linux-uml[:OPTIONS] (docs/adapters.md)",
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
