/* SPDX-License-Identifier: MIT */
/* vconform harness: loading a suite of vector files and selecting cases from it (suite.h). */
#include "suite.h"

#include <dirent.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef VCF_VECTORS_DIR
#define VCF_VECTORS_DIR "vectors"
#endif

const char *vcf_vectors_dir(void)
{
    static char installed[PATH_MAX + 32];
    const char *env = getenv("VCONFORM_VECTORS");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(installed, sizeof(installed), "%s/../share/vconform/vectors", exe);
            struct stat st;
            if (stat(installed, &st) == 0 && S_ISDIR(st.st_mode))
                return installed;
        }
    }
    return VCF_VECTORS_DIR;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_file(vcf_suite *s, const char *path, char *err, size_t err_len)
{
    vcf_vfile *files = realloc(s->files, (s->n_files + 1) * sizeof(*files));
    if (!files) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    s->files = files;
    memset(&s->files[s->n_files], 0, sizeof(vcf_vfile));
    if (vcf_vfile_load(path, &s->files[s->n_files], err, err_len) != 0)
        return -1;
    s->n_files++;
    return 0;
}

static int add_dir(vcf_suite *s, const char *dir, char *err, size_t err_len)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, err_len, "%s: cannot open the directory", dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0 || e->d_name[0] == '.')
            continue;
        char **p = realloc(names, (n + 1) * sizeof(*names));
        if (!p) {
            rc = -1;
            break;
        }
        names = p;
        names[n] = malloc(strlen(dir) + len + 2);
        if (!names[n]) {
            rc = -1;
            break;
        }
        sprintf(names[n], "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (rc != 0)
        snprintf(err, err_len, "out of memory");
    if (n)
        qsort(names, n, sizeof(*names), by_name);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            rc = add_file(s, names[i], err, err_len);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc == 0 && n == 0) {
        snprintf(err, err_len, "%s: no vector files (*.json) in the directory", dir);
        return -1;
    }
    return rc;
}

typedef struct id_ref {
    const char *id;
    const vcf_vfile *file;
} id_ref;

typedef struct id_list {
    id_ref *ids;
    size_t n;
} id_list;

static int count_case(void *ctx, const vcf_vfile *f, const vcf_group *g, const vcf_case *c)
{
    (void)f;
    (void)g;
    (void)c;
    (*(size_t *)ctx)++;
    return 0;
}

static int collect_id(void *ctx, const vcf_vfile *f, const vcf_group *g, const vcf_case *c)
{
    (void)g;
    id_list *l = ctx;
    l->ids[l->n++] = (id_ref){c->id, f};
    return 0;
}

static int by_id(const void *a, const void *b)
{
    const id_ref *x = a, *y = b;
    int d = strcmp(x->id, y->id);
    return d ? d : (x->file < y->file ? -1 : x->file > y->file);
}

void vcf_suite_free(vcf_suite *s)
{
    for (size_t i = 0; i < s->n_files; i++)
        vcf_vfile_free(&s->files[i]);
    free(s->files);
    s->files = NULL;
    s->n_files = 0;
}

int vcf_suite_load(vcf_suite *s, const char *const *paths, size_t n_paths, char *err,
                   size_t err_len)
{
    memset(s, 0, sizeof(*s));
    for (size_t i = 0; i < n_paths; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            snprintf(err, err_len, "%s: no such file or directory", paths[i]);
            vcf_suite_free(s);
            return -1;
        }
        int rc = S_ISDIR(st.st_mode) ? add_dir(s, paths[i], err, err_len)
                                     : add_file(s, paths[i], err, err_len);
        if (rc != 0) {
            vcf_suite_free(s);
            return -1;
        }
    }
    /* Case IDs are unique across the suite, not only within a file: sorted, a repeat is a
     * neighbour. */
    size_t n_ids = vcf_suite_count(s, NULL);
    id_ref *ids = calloc(n_ids ? n_ids : 1, sizeof(*ids));
    if (!ids) {
        snprintf(err, err_len, "out of memory");
        vcf_suite_free(s);
        return -1;
    }
    id_list list = {ids, 0};
    (void)vcf_suite_each(s, NULL, collect_id, &list);
    int rc = 0;
    qsort(ids, n_ids, sizeof(*ids), by_id);
    for (size_t i = 1; rc == 0 && i < n_ids; i++) {
        if (strcmp(ids[i - 1].id, ids[i].id) == 0) {
            const vcf_vfile *first = ids[i - 1].file, *again = ids[i].file;
            if (first > again) {
                const vcf_vfile *t = first;
                first = again;
                again = t;
            }
            snprintf(err, err_len, "%s: case %s is also in %s", again->path ? again->path : "?",
                     ids[i].id, first->path ? first->path : "?");
            rc = -1;
        }
    }
    free(ids);
    if (rc != 0) {
        vcf_suite_free(s);
        return -1;
    }
    return 0;
}

size_t vcf_suite_count(const vcf_suite *s, const vcf_select *sel)
{
    size_t n = 0;
    (void)vcf_suite_each(s, sel, count_case, &n);
    return n;
}

int vcf_suite_each(const vcf_suite *s, const vcf_select *sel, vcf_suite_fn fn, void *ctx)
{
    for (size_t fi = 0; fi < s->n_files; fi++) {
        const vcf_vfile *f = &s->files[fi];
        for (size_t gi = 0; gi < f->n_groups; gi++) {
            const vcf_group *g = &f->groups[gi];
            for (size_t ci = 0; ci < g->n_cases; ci++) {
                if (!vcf_select_case(sel, f, &g->cases[ci]))
                    continue;
                int rc = fn(ctx, f, g, &g->cases[ci]);
                if (rc != 0)
                    return rc;
            }
        }
    }
    return 0;
}

int vcf_select_role(const char *proto, const char *name, uint32_t *roles)
{
    uint32_t r;
    if (vcf_iut_role_parse(name, &r) == 0) {
        *roles |= VCF_IUT_ROLE_BIT(r);
        return 0;
    }
    bool any = false;
    for (r = 1; r < VCF_IUT_ROLE_COUNT; r++) {
        const char *full = vcf_iut_role_name(r);
        const char *dash = strrchr(full, '-');
        if (!dash || strcmp(dash + 1, name) != 0)
            continue;
        if (proto && strcmp(proto, "all") != 0 && strcmp(proto, vcf_iut_role_protocol(r)) != 0)
            continue;
        *roles |= VCF_IUT_ROLE_BIT(r);
        any = true;
    }
    return any ? 0 : -1;
}

bool vcf_select_case(const vcf_select *sel, const vcf_vfile *f, const vcf_case *c)
{
    if (!sel)
        return true;
    if (sel->proto && strcmp(sel->proto, "all") != 0 &&
        strcmp(sel->proto, vcf_iut_role_protocol(f->role)) != 0)
        return false;
    if (sel->roles && !(sel->roles & VCF_IUT_ROLE_BIT(f->role)))
        return false;
    if (!sel->n_globs)
        return true;
    for (size_t i = 0; i < sel->n_globs; i++) {
        if (fnmatch(sel->globs[i], c->id, 0) == 0)
            return true;
        for (size_t k = 0; k < c->n_rules; k++)
            if (fnmatch(sel->globs[i], c->rules[k], 0) == 0)
                return true;
    }
    return false;
}
