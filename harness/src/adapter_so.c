/* SPDX-License-Identifier: MIT */
/*
 * vconform harness: loading a shared-object adapter in this process (vconform-peer does, and
 * tests). The harness itself runs shared objects through vconform-peer in a child process
 * (vcf_so_adapter_open), so that a crash or a hang costs one case, not the run.
 *
 * The table is versioned: abi_version says which header the adapter was built against,
 * struct_size how large its table is. A newer ABI is refused; a smaller table (an older
 * adapter) is accepted and the operations it does not have are treated as absent.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "adapters.h"

/* Room for an adapter built against a newer header with a larger table: it writes its own
 * struct_size bytes, which must not run past what we handed it. */
typedef union adapter_room {
    vcf_adapter ad;
    unsigned char bytes[4096];
    max_align_t align;
} adapter_room;

_Static_assert(sizeof(void *) == sizeof(vcf_adapter_init_fn),
               "dlsym returns function addresses as void *");

/* The smallest table that means anything: identity and reset. */
#define MIN_STRUCT_SIZE (offsetof(vcf_adapter, reset) + sizeof(void (*)(void)))

/* Clear an operation the adapter's table is too small to hold. */
#define TRIM(field)                                                                                \
    do {                                                                                           \
        if (offsetof(vcf_adapter, field) + sizeof out->field > size)                               \
            out->field = NULL;                                                                     \
    } while (0)

int vcf_so_adapter_load(const char *path_and_options, vcf_adapter *out, void **dl, char *err,
                        size_t err_len)
{
    const char *spec = path_and_options ? path_and_options : "";
    size_t plen = strcspn(spec, ",");
    const char *options = spec[plen] == ',' ? spec + plen + 1 : "";
    char path[PATH_MAX];
    *dl = NULL;
    if (plen == 0) {
        snprintf(err, err_len, "so: needs the path of a shared object (so:PATH[,OPTIONS])");
        return -1;
    }
    /* A bare file name means the file in the current directory, as on any command line, not
     * a search of the library path. */
    bool bare = memchr(spec, '/', plen) == NULL;
    if (plen + (bare ? 2u : 0u) >= sizeof path) {
        snprintf(err, err_len, "so: the path is longer than %zu bytes", sizeof path - 1u);
        return -1;
    }
    snprintf(path, sizeof path, "%s%.*s", bare ? "./" : "", (int)plen, spec);

    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(err, err_len, "so:%s: cannot load it: %s", path, why ? why : "dlopen failed");
        return -1;
    }
    dlerror();
    void *sym = dlsym(h, VCF_ADAPTER_INIT_SYMBOL);
    if (!sym) {
        const char *why = dlerror();
        snprintf(err, err_len,
                 "so:%s: no function %s (%s); an adapter exports it, see docs/adapters.md", path,
                 VCF_ADAPTER_INIT_SYMBOL, why ? why : "not found");
        dlclose(h);
        return -1;
    }
    vcf_adapter_init_fn init;
    memcpy(&init, &sym, sizeof init);

    adapter_room room;
    memset(&room, 0, sizeof room);
    int rc = init(options, &room.ad);
    const vcf_adapter *t = &room.ad;
    const char *problem = NULL;
    char detail[160] = "";
    if (rc != VCF_ADAPTER_OK) {
        snprintf(detail, sizeof detail, "%s(\"%s\") returned %d (%s)", VCF_ADAPTER_INIT_SYMBOL,
                 options, rc, vcf_adapter_rc_name(rc));
        problem = detail;
    } else if (t->abi_version == 0) {
        problem = "the table's abi_version is 0 (set it to VCF_ADAPTER_ABI_VERSION)";
    } else if (t->abi_version > VCF_ADAPTER_ABI_VERSION) {
        snprintf(detail, sizeof detail,
                 "built for adapter ABI version %u; this vconform supports up to %u",
                 (unsigned)t->abi_version, VCF_ADAPTER_ABI_VERSION);
        problem = detail;
    } else if (t->struct_size < MIN_STRUCT_SIZE || t->struct_size > sizeof room) {
        snprintf(detail, sizeof detail,
                 "struct_size %u is not plausible (at least %zu; set it to sizeof(vcf_adapter))",
                 (unsigned)t->struct_size, MIN_STRUCT_SIZE);
        problem = detail;
    } else if (!t->reset) {
        problem = "the table has no reset operation";
    }
    if (problem) {
        snprintf(err, err_len, "so:%s: %s", path, problem);
        dlclose(h);
        return -1;
    }

    size_t size = t->struct_size;
    *out = room.ad;
    TRIM(inject);
    TRIM(action);
    TRIM(poll);
    TRIM(idle);
    TRIM(close);
    out->struct_size = (uint32_t)sizeof *out; /* the table we hand on is complete */
    if (!out->name)
        out->name = "unnamed";
    if (!out->version)
        out->version = "";
    *dl = h;
    return 0;
}
