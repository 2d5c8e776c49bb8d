/* SPDX-License-Identifier: MIT */
/* vconform-uml-agent: sysfs names, attributes and scans of the rpmsg bus (see agent.h). */
#include "agent.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int say(char *err, size_t err_len, const char *s, const char *what)
{
    if (err && err_len)
        snprintf(err, err_len, "rpmsg device name '%.100s': %s", s, what);
    return -1;
}

/* A signed decimal int32 in [b, e): 0 and *out, or -1. */
static int parse_i32(const char *b, const char *e, uint32_t *out)
{
    if (b == e || e - b > 11)
        return -1;
    char tmp[16];
    memcpy(tmp, b, (size_t)(e - b));
    tmp[e - b] = '\0';
    const char *p = tmp;
    if (*p == '-')
        p++;
    if (*p < '0' || *p > '9')
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(tmp, &end, 10);
    if (errno || *end || v < INT32_MIN || v > INT32_MAX)
        return -1;
    *out = (uint32_t)(int32_t)v;
    return 0;
}

int vcf_agent_parse_devname(const char *s, vcf_agent_devname *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    const char *first = strchr(s, '.');
    if (!first)
        return say(err, err_len, s, "no '.' after the parent device");
    const char *last = strrchr(s, '.');
    const char *mid = NULL; /* the dot before the source address */
    for (const char *p = last - 1; p > first; p--) {
        if (*p == '.') {
            mid = p;
            break;
        }
    }
    if (!mid)
        return say(err, err_len, s, "expected PARENT.NAME.SRC.DST");
    if ((size_t)(first - s) >= sizeof out->parent || first == s)
        return say(err, err_len, s, "bad parent device name");
    if ((size_t)(mid - first - 1) >= sizeof out->name)
        return say(err, err_len, s, "service name too long");
    if (parse_i32(mid + 1, last, &out->src))
        return say(err, err_len, s, "source address is not a signed 32-bit decimal");
    if (parse_i32(last + 1, s + strlen(s), &out->dst))
        return say(err, err_len, s, "destination address is not a signed 32-bit decimal");
    memcpy(out->parent, s, (size_t)(first - s));
    memcpy(out->name, first + 1, (size_t)(mid - first - 1));
    return 0;
}

int vcf_agent_parse_addr(const char *text, uint32_t *out)
{
    char tmp[32];
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
        n--;
    if (n == 0 || n >= sizeof tmp)
        return -1;
    memcpy(tmp, text, n);
    tmp[n] = '\0';
    char *end;
    errno = 0;
    if (tmp[0] == '-') {
        long long v = strtoll(tmp, &end, 10);
        if (errno || *end || end == tmp + 1 || v < INT32_MIN)
            return -1;
        *out = (uint32_t)(int32_t)v;
        return 0;
    }
    if (tmp[0] < '0' || tmp[0] > '9')
        return -1;
    unsigned long long v = strtoull(tmp, &end, 0);
    if (errno || *end || v > UINT32_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

int vcf_agent_read_attr(const char *path, char *buf, size_t cap)
{
    if (cap == 0)
        return -EINVAL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    size_t have = 0;
    for (;;) {
        ssize_t r = read(fd, buf + have, cap - 1 - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = -errno;
            close(fd);
            return e;
        }
        if (r == 0 || (have += (size_t)r) == cap - 1)
            break;
    }
    close(fd);
    buf[have] = '\0';
    while (have && buf[have - 1] == '\n')
        buf[--have] = '\0';
    return 0;
}

static int cmp_chan(const void *a, const void *b)
{
    return strcmp(((const vcf_agent_chan *)a)->dev, ((const vcf_agent_chan *)b)->dev);
}

int vcf_agent_scan(const char *dir, vcf_agent_chanlist *out, char *err, size_t err_len)
{
    out->v = NULL;
    out->n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        int e = -errno;
        if (err && err_len)
            snprintf(err, err_len, "opendir %s: %s", dir, strerror(-e));
        return e;
    }
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        vcf_agent_devname dn;
        if (vcf_agent_parse_devname(de->d_name, &dn, NULL, 0) != 0 ||
            strlen(de->d_name) >= VCF_AGENT_DEVNAME_MAX)
            continue;
        if (out->n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            vcf_agent_chan *nv = realloc(out->v, ncap * sizeof *nv);
            if (!nv) {
                closedir(d);
                vcf_agent_chanlist_free(out);
                if (err && err_len)
                    snprintf(err, err_len, "scanning %s: out of memory", dir);
                return -ENOMEM;
            }
            out->v = nv;
            cap = ncap;
        }
        vcf_agent_chan *c = &out->v[out->n++];
        memset(c, 0, sizeof *c);
        snprintf(c->dev, sizeof c->dev, "%s", de->d_name);
        c->src = dn.src;
        c->dst = dn.dst;
        /* The name attribute is authoritative (a name with dots parses either way, but the
         * attribute is what the kernel matches on); fall back to the directory name. */
        char path[VCF_AGENT_PATH_MAX + VCF_AGENT_DEVNAME_MAX + 16];
        char name[VCF_AGENT_DEVNAME_MAX];
        snprintf(path, sizeof path, "%s/%s/name", dir, de->d_name);
        if (vcf_agent_read_attr(path, name, sizeof name) == 0)
            snprintf(c->name, sizeof c->name, "%.31s", name);
        else
            snprintf(c->name, sizeof c->name, "%.31s", dn.name);
    }
    closedir(d);
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_chan);
    return 0;
}

void vcf_agent_chanlist_free(vcf_agent_chanlist *l)
{
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

bool vcf_agent_chan_is_remote(const vcf_agent_chan *c)
{
    return c->src == VCF_AGENT_ADDR_ANY && strcmp(c->name, "rpmsg_ns") != 0 &&
           strcmp(c->name, "rpmsg_ctrl") != 0;
}

static bool contains(const vcf_agent_chanlist *l, const char *dev)
{
    if (l->n == 0)
        return false;
    vcf_agent_chan key;
    snprintf(key.dev, sizeof key.dev, "%s", dev);
    return bsearch(&key, l->v, l->n, sizeof *l->v, cmp_chan) != NULL;
}

void vcf_agent_diff(const vcf_agent_chanlist *old, const vcf_agent_chanlist *cur,
                    vcf_agent_diff_cb cb, void *ud)
{
    for (size_t i = 0; i < old->n; i++)
        if (vcf_agent_chan_is_remote(&old->v[i]) && !contains(cur, old->v[i].dev))
            cb(ud, false, &old->v[i]);
    for (size_t i = 0; i < cur->n; i++)
        if (vcf_agent_chan_is_remote(&cur->v[i]) && !contains(old, cur->v[i].dev))
            cb(ud, true, &cur->v[i]);
}

static int cmp_uint(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

int vcf_agent_list_eptdevs(const char *dir, unsigned *ids, size_t max)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -errno;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *p = de->d_name;
        if (strncmp(p, "rpmsg", 5) != 0 || p[5] < '0' || p[5] > '9')
            continue; /* rpmsg_ctrlN and anything else */
        char *end;
        errno = 0;
        unsigned long v = strtoul(p + 5, &end, 10);
        if (errno || *end || v > UINT_MAX)
            continue;
        if (n < max)
            ids[n] = (unsigned)v;
        n++;
    }
    closedir(d);
    qsort(ids, n < max ? n : max, sizeof *ids, cmp_uint);
    return n > INT_MAX ? INT_MAX : (int)n;
}
