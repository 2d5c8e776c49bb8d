/* SPDX-License-Identifier: MIT */
/*
 * vconform-uml-agent: the protocol server. One request in, one reply out; every RPMsg action
 * becomes calls on the Linux rpmsg user API through vcf_agent_kops (docs/uml-agent.md gives
 * the mapping and the reasons for every UNSUPPORTED).
 */
#include "agent.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vconform/adapter.h"
#include "vconform/rpmsg_model.h"

#define EV_DELIVER   (VCF_EVT_RPMSG_BASE + VCF_RPMSG_EV_DELIVER)
#define EV_CREATED   (VCF_EVT_RPMSG_BASE + VCF_RPMSG_EV_CHANNEL_CREATED)
#define EV_DESTROYED (VCF_EVT_RPMSG_BASE + VCF_RPMSG_EV_CHANNEL_DESTROYED)

/* ---- the log: one line per action, built step by step ----------------------------------- */

__attribute__((format(printf, 2, 3))) static void lg(vcf_agent *a, const char *fmt, ...)
{
    size_t n = strlen(a->logline);
    if (n + 1 >= sizeof a->logline)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->logline + n, sizeof a->logline - n, fmt, ap);
    va_end(ap);
}

static void lg_flush(vcf_agent *a)
{
    if (a->logline[0] && a->k->log)
        a->k->log(a->k->ud, a->logline);
    a->logline[0] = '\0';
}

__attribute__((format(printf, 2, 3))) static void lg_line(vcf_agent *a, const char *fmt, ...)
{
    lg_flush(a);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->logline, sizeof a->logline, fmt, ap);
    va_end(ap);
    lg_flush(a);
}

/* A name for the log: non-printable bytes shown as '?'. */
static const char *printable(const char *name, char *buf, size_t cap)
{
    size_t i = 0;
    for (; name[i] && i + 1 < cap; i++)
        buf[i] = (name[i] >= 0x20 && name[i] < 0x7f && name[i] != '\'') ? name[i] : '?';
    buf[i] = '\0';
    return buf;
}

static const char *err_name(int neg_errno)
{
    return neg_errno ? strerror(-neg_errno) : "ok";
}

/* ---- set-up ------------------------------------------------------------------------------- */

int vcf_agent_init(vcf_agent *a, const vcf_agent_kops *k, const char *sys_root,
                   const char *dev_root, const char *ctrl, const char *release)
{
    memset(a, 0, sizeof *a);
    a->k = k;
    a->ctrl_fd = -1;
    snprintf(a->sys_root, sizeof a->sys_root, "%s", sys_root ? sys_root : "/sys");
    snprintf(a->dev_root, sizeof a->dev_root, "%s", dev_root ? dev_root : "/dev");
    if (ctrl)
        snprintf(a->ctrl, sizeof a->ctrl, "%s", ctrl);
    else
        snprintf(a->ctrl, sizeof a->ctrl, "%.240s/rpmsg_ctrl0", a->dev_root);
    snprintf(a->release, sizeof a->release, "%s", release ? release : "unknown");
    a->rbuf = malloc(VCF_AGENT_READ_MAX);
    return a->rbuf ? 0 : -ENOMEM;
}

static void forget(vcf_agent *a, vcf_agent_ept *e)
{
    if (e->fd >= 0)
        a->k->close(a->k->ud, e->fd);
    vcf_agent_table_remove(&a->table, e);
}

static vcf_rpmsg_endpoint_info info_of(const char *name, uint32_t src, uint32_t dst)
{
    vcf_rpmsg_endpoint_info info;
    memset(&info, 0, sizeof info);
    memcpy(info.name, name, strnlen(name, sizeof info.name)); /* NUL-padded, maybe unterminated */
    info.src = src;
    info.dst = dst;
    return info;
}

static int ctrl_open(vcf_agent *a)
{
    if (a->ctrl_fd >= 0)
        return 0;
    int fd = -1;
    int rc = a->k->open_node(a->k->ud, a->ctrl, &fd);
    if (rc == 0)
        a->ctrl_fd = fd;
    else
        lg(a, "; open %s: %s", a->ctrl, err_name(rc));
    return rc;
}

/* Give every endpoint back to the kernel, quietly except for failures. */
static void release_all(vcf_agent *a)
{
    while (a->table.n) {
        vcf_agent_ept *e = &a->table.e[a->table.n - 1];
        int rc = 0;
        if (e->kind == VCF_AGENT_EPTDEV) {
            rc = a->k->ioctl_none(a->k->ud, e->fd, VCF_RPMSG_DESTROY_EPT_IOCTL);
        } else if (e->kind == VCF_AGENT_CHANNEL && a->ctrl_fd >= 0) {
            vcf_rpmsg_endpoint_info info = info_of(e->name, e->addr, e->dst);
            rc = a->k->ioctl_info(a->k->ud, a->ctrl_fd, VCF_RPMSG_RELEASE_DEV_IOCTL, &info);
        }
        if (rc)
            lg_line(a, "agent: releasing endpoint 0x%x (/dev/rpmsg%u): %s", (unsigned)e->addr,
                    e->minor, err_name(rc));
        forget(a, e);
    }
}

void vcf_agent_fini(vcf_agent *a)
{
    release_all(a);
    if (a->ctrl_fd >= 0)
        a->k->close(a->k->ud, a->ctrl_fd);
    a->ctrl_fd = -1;
    vcf_agent_queue_clear(&a->queue);
    free(a->current);
    a->current = NULL;
    vcf_agent_chanlist_free(&a->known);
    free(a->rbuf);
    a->rbuf = NULL;
}

/* ---- endpoint devices ---------------------------------------------------------------------- */

#define MAX_IDS 1024u

static bool id_in(const unsigned *ids, size_t n, unsigned id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

static int open_minor(vcf_agent *a, unsigned minor, int *fd)
{
    char path[VCF_AGENT_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/rpmsg%u", a->dev_root, minor);
    return a->k->open_node(a->k->ud, path, fd);
}

/*
 * RPMSG_CREATE_EPT_IOCTL, then find the rpmsgN it added (the ioctl does not say: compare
 * /sys/class/rpmsg before and after) and open it, which is when rpmsg_char creates the endpoint
 * in the kernel. 0 with *out filled, or -errno with the step in the log.
 */
static int eptdev_create(vcf_agent *a, const char *name, uint32_t src, uint32_t dst,
                         vcf_agent_ept *out)
{
    int rc = ctrl_open(a);
    if (rc)
        return rc;
    char cls[VCF_AGENT_PATH_MAX + 32];
    snprintf(cls, sizeof cls, "%s/class/rpmsg", a->sys_root);
    static unsigned before[MAX_IDS], after[MAX_IDS];
    int nb = vcf_agent_list_eptdevs(cls, before, MAX_IDS);
    if (nb < 0 || (size_t)nb > MAX_IDS) {
        lg(a, "; listing %s: %s", cls, nb < 0 ? err_name(nb) : "too many entries");
        return nb < 0 ? nb : -EMFILE;
    }
    vcf_rpmsg_endpoint_info info = info_of(name, src, dst);
    rc = a->k->ioctl_info(a->k->ud, a->ctrl_fd, VCF_RPMSG_CREATE_EPT_IOCTL, &info);
    lg(a, "; CREATE_EPT: %s", err_name(rc));
    if (rc)
        return rc;
    int na = vcf_agent_list_eptdevs(cls, after, MAX_IDS);
    if (na < 0 || (size_t)na > MAX_IDS) {
        lg(a, "; listing %s: %s", cls, na < 0 ? err_name(na) : "too many entries");
        return na < 0 ? na : -EMFILE;
    }
    for (int i = 0; i < na; i++) {
        if (id_in(before, (size_t)nb, after[i]))
            continue;
        char path[sizeof cls + 64], txt[64];
        uint32_t s, d;
        snprintf(path, sizeof path, "%s/rpmsg%u/src", cls, after[i]);
        if (vcf_agent_read_attr(path, txt, sizeof txt) || vcf_agent_parse_addr(txt, &s) || s != src)
            continue;
        snprintf(path, sizeof path, "%s/rpmsg%u/dst", cls, after[i]);
        if (vcf_agent_read_attr(path, txt, sizeof txt) || vcf_agent_parse_addr(txt, &d) || d != dst)
            continue;
        memset(out, 0, sizeof *out);
        out->kind = VCF_AGENT_EPTDEV;
        strncpy(out->name, name, sizeof out->name - 1);
        out->addr = src;
        out->dst = dst;
        out->minor = after[i];
        out->fd = -1;
        rc = open_minor(a, after[i], &out->fd);
        lg(a, "; open /dev/rpmsg%u: %s", after[i], err_name(rc));
        if (rc)
            lg(a, " (the eptdev stays until the ctrl device goes)");
        return rc;
    }
    lg(a, "; no new rpmsgN with src 0x%x dst 0x%x in %s", (unsigned)src, (unsigned)dst, cls);
    return -ENODEV;
}

/* ---- events ---------------------------------------------------------------------------- */

static void queue(vcf_agent *a, uint32_t type, uint64_t a0, uint64_t a1, uint64_t a2,
                  const void *data, size_t len)
{
    if (vcf_agent_queue_push(&a->queue, type, a0, a1, a2, data, len) != 0)
        lg_line(a, "agent: out of memory: event 0x%x lost", (unsigned)type);
}

/* Read every pending message of e into deliver events. false when e went away (forgotten). */
static bool drain(vcf_agent *a, vcf_agent_ept *e)
{
    for (;;) {
        long r = a->k->read(a->k->ud, e->fd, a->rbuf, VCF_AGENT_READ_MAX);
        if (r == -EINTR)
            continue;
        if (r == -EAGAIN)
            return true;
        if (r == -EPIPE || r == -ENODEV || r == -ENETRESET || r == -ENXIO) {
            lg_line(a, "agent: /dev/rpmsg%u (0x%x) went away: %s; forgotten", e->minor,
                    (unsigned)e->addr, err_name((int)r));
            forget(a, e);
            return false;
        }
        if (r < 0) {
            lg_line(a, "agent: read /dev/rpmsg%u (0x%x): %s", e->minor, (unsigned)e->addr,
                    err_name((int)r));
            return true;
        }
        /* rpmsg_char returns one message per read; 0 bytes is an empty message, not EOF. */
        lg_line(a, "agent: read /dev/rpmsg%u (0x%x): %ld bytes", e->minor, (unsigned)e->addr, r);
        queue(a, EV_DELIVER, e->addr, VCF_AGENT_ADDR_ANY, (uint64_t)r, a->rbuf, (size_t)r);
    }
}

/* The rpmsgN rpmsg_char added under bus device dir (in dir/rpmsg or dir itself): 0, -ENOENT. */
static int chrdev_of(const char *dir, unsigned *minor)
{
    char sub[VCF_AGENT_PATH_MAX + VCF_AGENT_DEVNAME_MAX + 32];
    unsigned ids[4];
    snprintf(sub, sizeof sub, "%s/rpmsg", dir);
    int n = vcf_agent_list_eptdevs(sub, ids, 4);
    if (n <= 0)
        n = vcf_agent_list_eptdevs(dir, ids, 4);
    if (n <= 0)
        return n < 0 ? n : -ENOENT;
    *minor = ids[0];
    return 0;
}

/* A remote channel that rpmsg_char bound: open its /dev/rpmsgN so deliveries are seen. */
static void open_remote(vcf_agent *a, const vcf_agent_chan *c)
{
    if (vcf_agent_table_find_dev(&a->table, c->dev))
        return;
    char dir[VCF_AGENT_PATH_MAX + VCF_AGENT_DEVNAME_MAX + 32];
    snprintf(dir, sizeof dir, "%s/bus/rpmsg/devices/%s", a->sys_root, c->dev);
    vcf_agent_ept e;
    memset(&e, 0, sizeof e);
    if (chrdev_of(dir, &e.minor) != 0)
        return; /* no driver (yet) gives user space this channel */
    char path[sizeof dir + 16], txt[64];
    snprintf(path, sizeof path, "%s/src", dir);
    e.addr = VCF_AGENT_ADDR_ANY;
    if (vcf_agent_read_attr(path, txt, sizeof txt) == 0)
        (void)vcf_agent_parse_addr(txt, &e.addr); /* the local address probe allocated */
    e.kind = VCF_AGENT_REMOTE;
    snprintf(e.name, sizeof e.name, "%s", c->name);
    snprintf(e.dev, sizeof e.dev, "%s", c->dev);
    e.dst = c->dst;
    e.fd = -1;
    char pn[VCF_AGENT_NAME_SIZE];
    int rc = open_minor(a, e.minor, &e.fd);
    lg_line(a, "agent: remote channel '%s' at 0x%x: open /dev/rpmsg%u (local 0x%x): %s",
            printable(c->name, pn, sizeof pn), (unsigned)c->dst, e.minor, (unsigned)e.addr,
            err_name(rc));
    if (rc)
        return;
    vcf_agent_ept *added = vcf_agent_table_add(&a->table, &e);
    if (!added) {
        lg_line(a, "agent: endpoint table full: /dev/rpmsg%u closed", e.minor);
        a->k->close(a->k->ud, e.fd);
        return;
    }
    drain(a, added);
}

static void on_diff(void *ud, bool created, const vcf_agent_chan *c)
{
    vcf_agent *a = ud;
    char pn[VCF_AGENT_NAME_SIZE];
    lg_line(a, "agent: channel %s: %s ('%s' at 0x%x)", created ? "created" : "destroyed", c->dev,
            printable(c->name, pn, sizeof pn), (unsigned)c->dst);
    queue(a, created ? EV_CREATED : EV_DESTROYED, VCF_AGENT_ADDR_ANY, c->dst, 0, c->name,
          strlen(c->name));
    if (!created) {
        vcf_agent_ept *e = vcf_agent_table_find_dev(&a->table, c->dev);
        if (e) {
            drain(a, e); /* whatever it still holds was delivered before */
            e = vcf_agent_table_find_dev(&a->table, c->dev);
            if (e)
                forget(a, e);
        }
    }
}

static void rescan(vcf_agent *a, bool report)
{
    char dir[VCF_AGENT_PATH_MAX + 32], err[512];
    snprintf(dir, sizeof dir, "%s/bus/rpmsg/devices", a->sys_root);
    vcf_agent_chanlist cur;
    int rc = vcf_agent_scan(dir, &cur, err, sizeof err);
    if (rc) {
        lg_line(a, "agent: rescan: %s", err);
        return;
    }
    if (report)
        vcf_agent_diff(&a->known, &cur, on_diff, a);
    vcf_agent_chanlist_free(&a->known);
    a->known = cur;
    /* Opened late too: the driver may bind after the device appeared. */
    for (size_t i = 0; i < cur.n; i++)
        if (vcf_agent_chan_is_remote(&cur.v[i]))
            open_remote(a, &cur.v[i]);
}

void vcf_agent_refresh(vcf_agent *a)
{
    for (size_t i = 0; i < a->table.n;) {
        if (drain(a, &a->table.e[i]))
            i++; /* else it was removed: the next one moved into slot i */
    }
    rescan(a, true);
}

/* ---- actions ------------------------------------------------------------------------------ */

static int unsupported(vcf_agent *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int unsupported(vcf_agent *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->why, sizeof a->why, fmt, ap);
    va_end(ap);
    lg(a, ": UNSUPPORTED (%s)", a->why);
    return VCF_ADAPTER_UNSUPPORTED;
}

static void action_name(const vcf_adapter_action *act, char name[VCF_AGENT_NAME_SIZE + 1])
{
    size_t n = 0;
    while (n < act->len && n < VCF_AGENT_NAME_SIZE && act->data[n] != 0)
        n++;
    memcpy(name, act->data, n);
    name[n] = '\0';
}

static int act_create(vcf_agent *a, const vcf_adapter_action *act, vcf_adapter_result *res)
{
    uint64_t addr = act->args[0], dst = act->args[1];
    char name[VCF_AGENT_NAME_SIZE + 1], pn[VCF_AGENT_NAME_SIZE + 1];
    action_name(act, name);
    lg(a, "agent: create 0x%llx -> 0x%llx '%s'", (unsigned long long)addr, (unsigned long long)dst,
       printable(name, pn, sizeof pn));
    if (addr == VCF_AGENT_ADDR_ANY)
        return unsupported(a, "Linux's character device API does not tell user space which "
                              "address an RPMSG_ADDR_ANY endpoint was given");
    if (addr > UINT32_MAX || dst > UINT32_MAX)
        return unsupported(a, "an address above 32 bits cannot be passed to the kernel");
    if (a->table.n >= VCF_AGENT_MAX_EPTS) {
        lg(a, "; the agent's endpoint table is full");
        res->status = -ENOSPC;
        return VCF_ADAPTER_OK;
    }
    vcf_agent_ept e;
    /* The kernel takes 32 name bytes and keeps 31: pass what we were given. */
    int rc = eptdev_create(a, name, (uint32_t)addr, (uint32_t)dst, &e);
    if (rc == 0)
        vcf_agent_table_add(&a->table, &e);
    res->status = rc;
    res->value = rc == 0 ? addr : 0;
    lg(a, ": status %d", rc);
    return VCF_ADAPTER_OK;
}

/* Read what e still holds first (those messages were delivered before anything that follows),
 * then find it again: NULL, with -EPIPE as the status, when it went away meanwhile. */
static vcf_agent_ept *drained(vcf_agent *a, vcf_agent_ept *e, vcf_adapter_result *res)
{
    uint32_t addr = e->addr;
    if (!drain(a, e)) {
        res->status = -EPIPE;
        lg(a, ": the endpoint was already gone: status %d", res->status);
        return NULL;
    }
    return vcf_agent_table_find(&a->table, addr);
}

/* Destroy an eptdev (RPMSG_DESTROY_EPT_IOCTL on its fd) and forget it; *old keeps a copy of
 * its entry. 0 or -errno. */
static int destroy_eptdev(vcf_agent *a, vcf_agent_ept *e, const char *what, vcf_agent_ept *old)
{
    *old = *e;
    int rc = a->k->ioctl_none(a->k->ud, e->fd, VCF_RPMSG_DESTROY_EPT_IOCTL);
    lg(a, "; %sDESTROY_EPT /dev/rpmsg%u: %s", what, e->minor, err_name(rc));
    forget(a, e);
    return rc;
}

/* The entry for addr, or NULL with the agent's own -ENOENT as the status. */
static vcf_agent_ept *lookup(vcf_agent *a, uint64_t addr, vcf_adapter_result *res)
{
    vcf_agent_ept *e = addr <= UINT32_MAX && addr != VCF_AGENT_ADDR_ANY
                           ? vcf_agent_table_find(&a->table, (uint32_t)addr)
                           : NULL;
    if (!e) {
        /* The agent's own bookkeeping: it knows no endpoint there (Linux would be asked
         * nothing, it has no call that takes an address to destroy or send from). */
        lg(a, ": no endpoint 0x%llx in the agent's table: status -ENOENT",
           (unsigned long long)addr);
        res->status = -ENOENT;
    }
    return e;
}

static int act_destroy(vcf_agent *a, const vcf_adapter_action *act, vcf_adapter_result *res)
{
    lg(a, "agent: destroy 0x%llx", (unsigned long long)act->args[0]);
    vcf_agent_ept *e = lookup(a, act->args[0], res);
    if (!e)
        return VCF_ADAPTER_OK;
    if (e->kind == VCF_AGENT_REMOTE)
        return unsupported(a, "the endpoint of a channel the remote announced belongs to "
                              "rpmsg_char (its default endpoint); user space cannot destroy it");
    e = drained(a, e, res);
    if (!e)
        return VCF_ADAPTER_OK;
    int rc;
    if (e->kind == VCF_AGENT_EPTDEV) {
        vcf_agent_ept old;
        rc = destroy_eptdev(a, e, "", &old);
    } else {
        vcf_rpmsg_endpoint_info info = info_of(e->name, e->addr, e->dst);
        rc = ctrl_open(a);
        if (rc == 0)
            rc = a->k->ioctl_info(a->k->ud, a->ctrl_fd, VCF_RPMSG_RELEASE_DEV_IOCTL, &info);
        lg(a, "; RELEASE_DEV %s: %s", e->dev, err_name(rc));
        forget(a, e);
    }
    res->status = rc;
    lg(a, ": status %d", rc);
    return VCF_ADAPTER_OK;
}

static int act_send(vcf_agent *a, const vcf_adapter_action *act, vcf_adapter_result *res)
{
    uint64_t dst = act->args[1];
    lg(a, "agent: send 0x%llx -> 0x%llx, %zu bytes", (unsigned long long)act->args[0],
       (unsigned long long)dst, act->len);
    vcf_agent_ept *e = lookup(a, act->args[0], res);
    if (!e)
        return VCF_ADAPTER_OK;
    if (dst > UINT32_MAX)
        return unsupported(a, "an address above 32 bits cannot be passed to the kernel");
    if (e->dst != dst) {
        if (e->kind != VCF_AGENT_EPTDEV)
            return unsupported(a,
                               "rpmsg_char sends only to a channel's destination (0x%x); "
                               "re-binding a channel would announce it again",
                               (unsigned)e->dst);
        /* rpmsg_char writes go to the eptdev's dst only: make a new eptdev for the same
         * address with the new destination. Pending messages are read first. */
        e = drained(a, e, res);
        if (!e)
            return VCF_ADAPTER_OK;
        vcf_agent_ept old;
        int rc = destroy_eptdev(a, e, "re-bind: ", &old);
        uint32_t addr = old.addr;
        vcf_agent_ept ne;
        if (rc == 0)
            rc = eptdev_create(a, old.name, old.addr, (uint32_t)dst, &ne);
        if (rc) {
            res->status = rc;
            lg(a, "; endpoint 0x%x is gone: status %d", (unsigned)addr, rc);
            return VCF_ADAPTER_OK;
        }
        e = vcf_agent_table_add(&a->table, &ne);
    }
    long w = a->k->write(a->k->ud, e->fd, act->data, act->len);
    int rc = w < 0 ? (int)w : (size_t)w == act->len ? 0 : -EIO;
    lg(a, "; write /dev/rpmsg%u: %s: status %d", e->minor, w < 0 ? err_name((int)w) : "ok", rc);
    res->status = rc;
    return VCF_ADAPTER_OK;
}

/* The bus device CREATE_DEV made for name/src/dst: 0 and dev filled, or -ENODEV. */
static int find_channel(vcf_agent *a, const char *name, uint32_t src, uint32_t dst, char *dev,
                        size_t cap)
{
    char dir[VCF_AGENT_PATH_MAX + 32], err[512];
    snprintf(dir, sizeof dir, "%s/bus/rpmsg/devices", a->sys_root);
    vcf_agent_chanlist l;
    int rc = vcf_agent_scan(dir, &l, err, sizeof err);
    if (rc) {
        lg(a, "; %s", err);
        return rc;
    }
    rc = -ENODEV;
    for (size_t i = 0; i < l.n; i++) {
        if (l.v[i].src == src && l.v[i].dst == dst && strcmp(l.v[i].name, name) == 0) {
            snprintf(dev, cap, "%s", l.v[i].dev);
            rc = 0;
            break;
        }
    }
    vcf_agent_chanlist_free(&l);
    if (rc)
        lg(a, "; no device *.%s.%d.%d in %s", name, (int)src, (int)dst, dir);
    return rc;
}

/* Bind rpmsg_chrdev to bus device dev unless it is bound already. 0 or -errno. */
static int bind_chrdev(vcf_agent *a, const char *dev)
{
    char dir[VCF_AGENT_PATH_MAX + VCF_AGENT_DEVNAME_MAX + 32];
    char path[sizeof dir + 64], link[VCF_AGENT_PATH_MAX];
    snprintf(dir, sizeof dir, "%s/bus/rpmsg/devices/%s", a->sys_root, dev);
    snprintf(path, sizeof path, "%s/driver", dir);
    ssize_t n = readlink(path, link, sizeof link - 1);
    if (n > 0) {
        link[n] = '\0';
        const char *drv = strrchr(link, '/');
        drv = drv ? drv + 1 : link;
        if (strcmp(drv, "rpmsg_chrdev") == 0)
            return 0;
        lg(a, "; bound to driver %s, not rpmsg_chrdev", drv);
        return -EBUSY;
    }
    snprintf(path, sizeof path, "%s/driver_override", dir);
    int rc = a->k->write_attr(a->k->ud, path, "rpmsg_chrdev");
    lg(a, "; driver_override: %s", err_name(rc));
    if (rc)
        return rc;
    snprintf(path, sizeof path, "%s/bus/rpmsg/drivers/rpmsg_chrdev/bind", a->sys_root);
    rc = a->k->write_attr(a->k->ud, path, dev);
    lg(a, "; bind rpmsg_chrdev: %s", err_name(rc));
    return rc;
}

static int announce_create(vcf_agent *a, vcf_agent_ept *e, vcf_adapter_result *res)
{
    if (e->kind == VCF_AGENT_REMOTE)
        return unsupported(a, "the channel was announced by the remote");
    if (e->kind == VCF_AGENT_CHANNEL)
        return unsupported(a, "already announced: Linux announces a channel once, when "
                              "rpmsg_chrdev binds it");
    if (e->name[0] == '\0') {
        lg(a, "; no name to announce: status -EINVAL");
        res->status = -EINVAL;
        return VCF_ADAPTER_OK;
    }
    /* Linux announces only rpmsg devices created with a fixed source address: give the
     * address back, then make a channel there. */
    e = drained(a, e, res);
    if (!e)
        return VCF_ADAPTER_OK;
    vcf_agent_ept old;
    int rc = destroy_eptdev(a, e, "", &old);
    uint32_t addr = old.addr;
    if (rc == 0)
        rc = ctrl_open(a);
    vcf_rpmsg_endpoint_info info = info_of(old.name, old.addr, old.dst);
    if (rc == 0) {
        rc = a->k->ioctl_info(a->k->ud, a->ctrl_fd, VCF_RPMSG_CREATE_DEV_IOCTL, &info);
        lg(a, "; CREATE_DEV: %s", err_name(rc));
    }
    vcf_agent_ept ch = old;
    ch.kind = VCF_AGENT_CHANNEL;
    ch.fd = -1;
    if (rc == 0)
        rc = find_channel(a, old.name, old.addr, old.dst, ch.dev, sizeof ch.dev);
    bool made = rc == 0;
    if (rc == 0)
        rc = bind_chrdev(a, ch.dev);
    if (rc == 0) {
        char dir[VCF_AGENT_PATH_MAX + VCF_AGENT_DEVNAME_MAX + 32];
        snprintf(dir, sizeof dir, "%s/bus/rpmsg/devices/%s", a->sys_root, ch.dev);
        rc = chrdev_of(dir, &ch.minor);
        if (rc)
            lg(a, "; no rpmsgN under %s", dir);
    }
    if (rc == 0) {
        rc = open_minor(a, ch.minor, &ch.fd);
        lg(a, "; open /dev/rpmsg%u: %s", ch.minor, err_name(rc));
    }
    if (rc == 0) {
        vcf_agent_table_add(&a->table, &ch);
    } else {
        if (made) {
            int r2 = a->k->ioctl_info(a->k->ud, a->ctrl_fd, VCF_RPMSG_RELEASE_DEV_IOCTL, &info);
            lg(a, "; RELEASE_DEV (undo): %s", err_name(r2));
        }
        lg(a, "; endpoint 0x%x is gone", (unsigned)addr);
    }
    res->status = rc;
    lg(a, ": status %d", rc);
    return VCF_ADAPTER_OK;
}

static int announce_destroy(vcf_agent *a, vcf_agent_ept *e, vcf_adapter_result *res)
{
    if (e->kind != VCF_AGENT_CHANNEL)
        return unsupported(a, "Linux withdraws only channels it announced itself");
    e = drained(a, e, res);
    if (!e)
        return VCF_ADAPTER_OK;
    vcf_agent_ept old = *e;
    uint32_t addr = old.addr;
    vcf_rpmsg_endpoint_info info = info_of(old.name, old.addr, old.dst);
    int rc = ctrl_open(a);
    if (rc == 0) {
        /* rpmsg_dev_remove sends the name-service destroy, then rpmsg_char lets go. */
        rc = a->k->ioctl_info(a->k->ud, a->ctrl_fd, VCF_RPMSG_RELEASE_DEV_IOCTL, &info);
        lg(a, "; RELEASE_DEV %s: %s", old.dev, err_name(rc));
    }
    if (rc) {
        res->status = rc;
        lg(a, ": status %d", rc);
        return VCF_ADAPTER_OK;
    }
    forget(a, e);
    /* The ABI's announce-destroy only withdraws the announcement: keep the address. */
    vcf_agent_ept ne;
    rc = eptdev_create(a, old.name, old.addr, old.dst, &ne);
    if (rc == 0)
        vcf_agent_table_add(&a->table, &ne);
    else
        lg(a, "; endpoint 0x%x is gone", (unsigned)addr);
    res->status = rc;
    lg(a, ": status %d", rc);
    return VCF_ADAPTER_OK;
}

static int act_announce(vcf_agent *a, const vcf_adapter_action *act, vcf_adapter_result *res)
{
    lg(a, "agent: announce 0x%llx%s", (unsigned long long)act->args[0],
       act->args[1] ? " (destroy)" : "");
    vcf_agent_ept *e = lookup(a, act->args[0], res);
    if (!e)
        return VCF_ADAPTER_OK;
    return act->args[1] ? announce_destroy(a, e, res) : announce_create(a, e, res);
}

static int do_action(vcf_agent *a, const vcf_adapter_action *act, vcf_adapter_result *res)
{
    res->status = 0;
    res->value = 0;
    switch (act->kind) {
    case VCF_ACT_RPMSG_CREATE: return act_create(a, act, res);
    case VCF_ACT_RPMSG_DESTROY: return act_destroy(a, act, res);
    case VCF_ACT_RPMSG_SEND: return act_send(a, act, res);
    case VCF_ACT_RPMSG_ANNOUNCE: return act_announce(a, act, res);
    case VCF_ACT_RPMSG_RETURN:
        lg(a, "agent: return-buffers");
        return unsupported(a, "Linux owns its transmit buffers; the device side returns them "
                              "through the used ring (the vhost-user back-end), not the agent");
    default:
        lg(a, "agent: action 0x%x", (unsigned)act->kind);
        return unsupported(a,
                           "action 0x%x: the Linux agent does RPMsg create, destroy, send "
                           "and announce only",
                           (unsigned)act->kind);
    }
}

/* ---- requests ------------------------------------------------------------------------------ */

static void set_rc(vcf_agent *a, vcf_frame *rep, int rc, const char *why)
{
    rep->rc = rc;
    if (why != a->why)
        snprintf(a->why, sizeof a->why, "%s", why);
    rep->reason = rc == VCF_ADAPTER_OK ? "" : a->why;
}

static void do_reset(vcf_agent *a, const vcf_frame *req, vcf_frame *rep)
{
    if (req->role != VCF_IUT_RPMSG_DRIVER) {
        snprintf(a->why, sizeof a->why,
                 "role %u: Linux's virtio_rpmsg_bus plays rpmsg-driver (1) only",
                 (unsigned)req->role);
        lg_line(a, "agent: reset role %u: UNSUPPORTED", (unsigned)req->role);
        set_rc(a, rep, VCF_ADAPTER_UNSUPPORTED, a->why);
        return;
    }
    /* The parameters are the host's business (it picks the groups Linux can run). */
    release_all(a);
    free(a->current);
    a->current = NULL;
    rescan(a, false);                 /* what exists now is the baseline, not news */
    vcf_agent_queue_clear(&a->queue); /* nor what it held before the RESET */
    lg_line(a, "agent: reset (%zu parameters): %zu rpmsg devices, %zu endpoints open",
            req->n_params, a->known.n, a->table.n);
    set_rc(a, rep, VCF_ADAPTER_OK, "");
}

bool vcf_agent_handle(vcf_agent *a, const vcf_frame *req, vcf_frame *rep)
{
    memset(rep, 0, sizeof *rep);
    rep->op = (uint16_t)(req->op | VCF_FRAME_REPLY);
    rep->seq = req->seq;
    rep->reason = "";
    a->logline[0] = '\0';
    free(a->current);
    a->current = NULL;

    if (req->op == VCF_FOP_HELLO) {
        if (req->hello.magic != VCF_FRAME_MAGIC) {
            snprintf(a->why, sizeof a->why, "HELLO magic 0x%08x, expected 0x%08x (\"VCFP\")",
                     (unsigned)req->hello.magic, VCF_FRAME_MAGIC);
            set_rc(a, rep, VCF_ADAPTER_ERROR, a->why);
            return false;
        }
        if (req->hello.proto == 0) {
            set_rc(a, rep, VCF_ADAPTER_ERROR, "protocol version 0 does not exist");
            return false;
        }
        a->greeted = true;
        rep->hello.magic = VCF_FRAME_MAGIC;
        rep->hello.proto =
            req->hello.proto < VCF_FRAME_VERSION ? req->hello.proto : VCF_FRAME_VERSION;
        rep->hello.roles = VCF_IUT_ROLE_BIT(VCF_IUT_RPMSG_DRIVER);
        rep->hello.caps = VCF_ADAPTER_CAP_EVENTS | VCF_ADAPTER_CAP_IDLE;
        rep->hello.name = "linux-uml-agent";
        rep->hello.version = a->release;
        lg_line(a, "agent: hello: linux-uml-agent on Linux %s", a->release);
        return false;
    }
    if (!a->greeted) {
        set_rc(a, rep, VCF_ADAPTER_ERROR, "HELLO must come first");
        return false;
    }
    switch (req->op) {
    case VCF_FOP_RESET: do_reset(a, req, rep); return false;
    case VCF_FOP_INJECT:
        lg_line(a, "agent: inject: UNSUPPORTED");
        set_rc(a, rep, VCF_ADAPTER_UNSUPPORTED,
               "the lower tester is the vhost-user device, not the agent");
        return false;
    case VCF_FOP_ACTION: {
        a->why[0] = '\0';
        int rc = do_action(a, &req->action, &rep->result);
        lg_flush(a);
        set_rc(a, rep, rc, a->why);
        return false;
    }
    case VCF_FOP_POLL:
        vcf_agent_refresh(a);
        a->current = vcf_agent_queue_pop(&a->queue);
        if (a->current) {
            rep->obs.kind = VCF_OBS_EVENT;
            rep->obs.event.type = a->current->type;
            memcpy(rep->obs.event.args, a->current->args, sizeof rep->obs.event.args);
            rep->obs.event.data = a->current->data;
            rep->obs.event.len = a->current->len;
        } else {
            rep->obs.kind = VCF_OBS_NONE;
        }
        set_rc(a, rep, VCF_ADAPTER_OK, "");
        return false;
    case VCF_FOP_IDLE:
        vcf_agent_refresh(a);
        rep->idle = a->queue.n == 0 ? 1u : 0u;
        set_rc(a, rep, VCF_ADAPTER_OK, "");
        return false;
    case VCF_FOP_CLOSE:
        lg_line(a, "agent: close");
        release_all(a);
        set_rc(a, rep, VCF_ADAPTER_OK, "");
        return true;
    default:
        snprintf(a->why, sizeof a->why, "unknown op 0x%04x (this agent speaks version %u)",
                 (unsigned)req->op, VCF_FRAME_VERSION);
        set_rc(a, rep, VCF_ADAPTER_UNSUPPORTED, a->why);
        return false;
    }
}
