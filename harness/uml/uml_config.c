/* SPDX-License-Identifier: MIT */
/* vconform-vhost: options and the RESET parameters Linux can take (pure; see uml_config.h). */
#include "uml_config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 3, 4))) static void say(char *buf, size_t len, const char *fmt, ...)
{
    if (!buf || len == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

/* A whole decimal number in [min, max]. */
static bool number(const char *s, double min, double max, double *out)
{
    if (!s || !*s)
        return false;
    char *end = NULL;
    double v = strtod(s, &end);
    if (!end || *end || !(v >= min) || !(v <= max))
        return false;
    *out = v;
    return true;
}

static bool set_path(char *dst, const char *value, size_t len)
{
    if (len == 0 || len >= VCF_UML_PATH_MAX)
        return false;
    memcpy(dst, value, len);
    dst[len] = '\0';
    return true;
}

int vcf_uml_opts_parse(const char *text, const char *env_kernel, vcf_uml_opts *o, char *err,
                       size_t err_len)
{
    memset(o, 0, sizeof *o);
    o->boot_timeout = 30.0;
    o->life = 600;
    o->mem_mb = 64;
    if (env_kernel && *env_kernel && strlen(env_kernel) < VCF_UML_PATH_MAX)
        snprintf(o->kernel, sizeof o->kernel, "%s", env_kernel);

    const char *p = text ? text : "";
    while (*p) {
        size_t n = strcspn(p, ",");
        const char *eq = memchr(p, '=', n);
        size_t klen = eq ? (size_t)(eq - p) : n;
        const char *val = eq ? eq + 1 : NULL;
        size_t vlen = eq ? n - klen - 1u : 0;
        char v[64] = "";
        if (val && vlen < sizeof v) {
            memcpy(v, val, vlen);
            v[vlen] = '\0';
        }
        double d = 0;
#define KEY(name) (klen == sizeof(name) - 1u && strncmp(p, name, klen) == 0)
        if (n == 0) {
            /* an empty item (",,"): nothing to do */
        } else if (KEY("trace") && !val) {
            o->trace = true;
        } else if (KEY("kernel") && val) {
            if (!set_path(o->kernel, val, vlen)) {
                say(err, err_len, "linux-uml option kernel= wants a path");
                return -1;
            }
        } else if (KEY("agent") && val) {
            if (!set_path(o->agent, val, vlen)) {
                say(err, err_len, "linux-uml option agent= wants a path");
                return -1;
            }
        } else if (KEY("log") && val) {
            if (!set_path(o->log_dir, val, vlen)) {
                say(err, err_len, "linux-uml option log= wants a directory");
                return -1;
            }
        } else if (KEY("boot_timeout") && val) {
            if (vlen >= sizeof v || !number(v, 0.1, 3600, &d)) {
                say(err, err_len, "linux-uml option boot_timeout=%.*s: expected seconds, 0.1..3600",
                    (int)(vlen > 64 ? 64 : vlen), val);
                return -1;
            }
            o->boot_timeout = d;
        } else if (KEY("life") && val) {
            if (vlen >= sizeof v || !number(v, 1, 86400, &d) || d != (double)(unsigned)d) {
                say(err, err_len, "linux-uml option life=%.*s: expected whole seconds, 1..86400",
                    (int)(vlen > 64 ? 64 : vlen), val);
                return -1;
            }
            o->life = (unsigned)d;
        } else if (KEY("mem") && val) {
            if (vlen >= sizeof v || !number(v, 16, 4096, &d) || d != (double)(unsigned)d) {
                say(err, err_len, "linux-uml option mem=%.*s: expected whole megabytes, 16..4096",
                    (int)(vlen > 64 ? 64 : vlen), val);
                return -1;
            }
            o->mem_mb = (unsigned)d;
        } else {
            say(err, err_len,
                "unknown linux-uml option '%.*s' (expected kernel=PATH, agent=PATH, log=DIR, "
                "boot_timeout=SEC, life=SEC, mem=MB or trace)",
                (int)(n > 128 ? 128 : n), p);
            return -1;
        }
#undef KEY
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* The first occurrence of key wins, as with vcf_param_get. A value that is not a number is
 * refused. */
static int get_u64(const vcf_adapter_param *params, size_t n, const char *key, uint64_t dflt,
                   uint64_t *out, char *why, size_t why_len)
{
    const char *v = vcf_param_get(params, n, key);
    if (!v) {
        *out = dflt;
        return VCF_ADAPTER_OK;
    }
    if (vcf_param_parse_u64(v, out) != VCF_ADAPTER_OK) {
        say(why, why_len, "parameter %s=\"%.64s\": expected a number", key, v);
        return VCF_ADAPTER_UNSUPPORTED;
    }
    return VCF_ADAPTER_OK;
}

int vcf_uml_check_reset(uint32_t role, const vcf_adapter_param *params, size_t n,
                        uint64_t *features, const char **case_id, char *why, size_t why_len)
{
    if (case_id)
        *case_id = NULL;
    if (role != VCF_IUT_RPMSG_DRIVER) {
        say(why, why_len, "role %s: Linux under UML is only tested as the RPMsg driver",
            vcf_iut_role_name(role) ? vcf_iut_role_name(role) : "?");
        return VCF_ADAPTER_UNSUPPORTED;
    }
    for (size_t i = 0; i < n; i++)
        if (!params[i].key || !params[i].value) {
            say(why, why_len, "parameter %zu has no %s", i, params[i].key ? "value" : "key");
            return VCF_ADAPTER_UNSUPPORTED;
        }

    uint64_t f = 0, buf = 0, tx = 0, first = 0, last = 0;
    int rc;
    if ((rc = get_u64(params, n, "features", VCF_UML_FEATURES_KNOWN, &f, why, why_len)) != 0 ||
        (rc = get_u64(params, n, "buf_size", VCF_UML_BUF_SIZE, &buf, why, why_len)) != 0 ||
        (rc = get_u64(params, n, "tx_bufs", VCF_UML_TX_BUFS, &tx, why, why_len)) != 0 ||
        (rc = get_u64(params, n, "addr_first", VCF_UML_ADDR_FIRST, &first, why, why_len)) != 0 ||
        (rc = get_u64(params, n, "addr_last", VCF_UML_ADDR_LAST, &last, why, why_len)) != 0)
        return rc;
    if (f & ~VCF_UML_FEATURES_KNOWN) {
        say(why, why_len,
            "features 0x%" PRIx64 ": Linux's virtio_rpmsg_bus negotiates only bit 0 (F_NS) and "
            "bit 32 (VERSION_1); 0x%" PRIx64 " would not be acked",
            f, (uint64_t)(f & ~VCF_UML_FEATURES_KNOWN));
        return VCF_ADAPTER_UNSUPPORTED;
    }
    const char *order = vcf_param_get(params, n, "order");
    if (order && strcmp(order, "le") != 0 && strcmp(order, "be") != 0) {
        say(why, why_len, "parameter order=\"%.32s\": expected le or be", order);
        return VCF_ADAPTER_UNSUPPORTED;
    }
    if (order && strcmp(order, "be") == 0 && !(f & (1ull << 32))) {
        say(why, why_len,
            "order=be without VERSION_1: the legacy byte order is the guest's native order, "
            "little-endian on UML (x86-64)");
        return VCF_ADAPTER_UNSUPPORTED;
    }
    if (buf != VCF_UML_BUF_SIZE) {
        say(why, why_len, "buf_size %" PRIu64 ": Linux's buffer size is fixed at %u", buf,
            VCF_UML_BUF_SIZE);
        return VCF_ADAPTER_UNSUPPORTED;
    }
    if (tx != VCF_UML_TX_BUFS) {
        say(why, why_len, "tx_bufs %" PRIu64 ": Linux has %u tx buffers with UML's %u-entry rings",
            tx, VCF_UML_TX_BUFS, VCF_UML_TX_BUFS);
        return VCF_ADAPTER_UNSUPPORTED;
    }
    if (first != VCF_UML_ADDR_FIRST || last != VCF_UML_ADDR_LAST) {
        say(why, why_len, "address pool %" PRIu64 "..%" PRIu64 ": Linux allocates from %u..%u",
            first, last, VCF_UML_ADDR_FIRST, VCF_UML_ADDR_LAST);
        return VCF_ADAPTER_UNSUPPORTED;
    }
    *features = f;
    if (case_id) {
        for (size_t i = 0; i < n; i++)
            if (strcmp(params[i].key, "vcf.case") == 0) {
                *case_id = params[i].value;
                break;
            }
    }
    return VCF_ADAPTER_OK;
}
