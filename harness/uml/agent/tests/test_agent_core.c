/* SPDX-License-Identifier: MIT */
/*
 * vconform-uml-agent: every request through vcf_agent_handle against a fake kernel. The fake
 * keeps a sysfs tree in a temporary directory the way Linux 6.1's rpmsg_ctrl, rpmsg_char and
 * the rpmsg bus lay it out, so the agent's scans run on real directories.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "agent.h"

#define FD_CTRL  99
#define FD_BASE  100
#define MAXMINOR 32

typedef struct minor_state {
    bool exists, open, gone;
    bool channel;      /* rpmsg_chrdev on a bus device: its default endpoint */
    char bus[128];     /* the bus device of a channel */
    uint8_t rx[8][64]; /* messages read() will return */
    size_t rx_len[8], n_rx;
} minor_state;

typedef struct fake {
    char root[128], sys[160], dev[160];
    bool have_ctrl;
    int open_err; /* next open of an rpmsgN fails with this (-errno), 0: none */
    minor_state m[MAXMINOR];
    char calls[4096]; /* "CREATE_EPT svc 400 401|open 0|..." */
    uint8_t wrote[4096];
    size_t wrote_len;
    int wrote_minor;
    char logs[8192];
} fake;

static fake F;
static vcf_agent A;

static void call(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void call(const char *fmt, ...)
{
    size_t n = strlen(F.calls);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(F.calls + n, sizeof F.calls - n, fmt, ap);
    va_end(ap);
    n = strlen(F.calls);
    snprintf(F.calls + n, sizeof F.calls - n, "|");
}

static void mkdirs(const char *path)
{
    char p[512];
    snprintf(p, sizeof p, "%s", path);
    for (char *c = p + 1; *c; c++) {
        if (*c == '/') {
            *c = '\0';
            mkdir(p, 0755);
            *c = '/';
        }
    }
    mkdir(p, 0755);
}

static void put(const char *dir, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void put(const char *dir, const char *file, const char *fmt, ...)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fclose(f);
}

static void rm_rf(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    assert_int_equal(system(cmd), 0);
}

/* A new rpmsgN: the class entry, with rpmsg_char's "%d" attributes. */
static unsigned new_minor(const char *name, uint32_t src, uint32_t dst)
{
    unsigned i = 0;
    while (F.m[i].exists)
        i++;
    assert_true(i < MAXMINOR);
    memset(&F.m[i], 0, sizeof F.m[i]);
    F.m[i].exists = true;
    char dir[300];
    snprintf(dir, sizeof dir, "%s/class/rpmsg/rpmsg%u", F.sys, i);
    mkdirs(dir);
    put(dir, "name", "%s\n", name);
    put(dir, "src", "%d\n", (int)src);
    put(dir, "dst", "%d\n", (int)dst);
    return i;
}

static void drop_minor(unsigned i)
{
    char dir[300];
    snprintf(dir, sizeof dir, "%s/class/rpmsg/rpmsg%u", F.sys, i);
    rm_rf(dir);
    F.m[i].exists = false;
    F.m[i].gone = true;
}

/* A bus device, as rpmsg_register_device names it; bound: rpmsg_char probed it. */
static void bus_device(const char *name, uint32_t src, uint32_t dst, uint32_t local, bool bound,
                       char *devname, size_t cap)
{
    char dev[128], dir[400];
    snprintf(dev, sizeof dev, "virtio0.%s.%d.%d", name, (int)src, (int)dst);
    snprintf(dir, sizeof dir, "%s/bus/rpmsg/devices/%s", F.sys, dev);
    mkdirs(dir);
    put(dir, "name", "%s\n", name);
    put(dir, "src", "0x%x\n", local);
    put(dir, "dst", "0x%x\n", dst);
    if (devname)
        snprintf(devname, cap, "%s", dev);
    if (bound) {
        unsigned m = new_minor(name, local, dst);
        F.m[m].channel = true;
        snprintf(F.m[m].bus, sizeof F.m[m].bus, "%s", dev);
        char sub[500];
        snprintf(sub, sizeof sub, "%s/rpmsg/rpmsg%u", dir, m);
        mkdirs(sub);
        snprintf(sub, sizeof sub, "%s/driver", dir);
        assert_int_equal(symlink("../../../../bus/rpmsg/drivers/rpmsg_chrdev", sub), 0);
    }
}

static void remove_bus_device(const char *dev)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/bus/rpmsg/devices/%s", F.sys, dev);
    rm_rf(dir);
    for (unsigned i = 0; i < MAXMINOR; i++)
        if (F.m[i].exists && F.m[i].channel && strcmp(F.m[i].bus, dev) == 0)
            drop_minor(i);
}

static int minor_of_fd(int fd)
{
    int i = fd - FD_BASE;
    assert_true(i >= 0 && i < MAXMINOR);
    return i;
}

static int k_open(void *ud, const char *path, int *fd)
{
    (void)ud;
    char ctrl[300];
    snprintf(ctrl, sizeof ctrl, "%s/rpmsg_ctrl0", F.dev);
    if (strcmp(path, ctrl) == 0) {
        call("open ctrl");
        if (!F.have_ctrl)
            return -ENOENT;
        *fd = FD_CTRL;
        return 0;
    }
    char prefix[300];
    snprintf(prefix, sizeof prefix, "%s/rpmsg", F.dev);
    assert_int_equal(strncmp(path, prefix, strlen(prefix)), 0);
    char *end;
    unsigned m = (unsigned)strtoul(path + strlen(prefix), &end, 10);
    assert_int_equal(*end, '\0');
    call("open %u", m);
    if (F.open_err) {
        int e = F.open_err;
        F.open_err = 0;
        return e;
    }
    if (m >= MAXMINOR || !F.m[m].exists)
        return -ENOENT;
    if (F.m[m].open)
        return -EBUSY;
    F.m[m].open = true;
    *fd = FD_BASE + (int)m;
    return 0;
}

static int k_ioctl_info(void *ud, int fd, unsigned long cmd, const vcf_rpmsg_endpoint_info *info)
{
    (void)ud;
    assert_int_equal(fd, FD_CTRL);
    char name[33];
    memcpy(name, info->name, 32);
    name[32] = '\0';
    name[31] = '\0'; /* rpmsg_ctrl does the same */
    if (cmd == VCF_RPMSG_CREATE_EPT_IOCTL) {
        call("CREATE_EPT %s %x %x", name, (unsigned)info->src, (unsigned)info->dst);
        new_minor(name, info->src, info->dst);
        return 0;
    }
    if (cmd == VCF_RPMSG_CREATE_DEV_IOCTL) {
        call("CREATE_DEV %s %x %x", name, (unsigned)info->src, (unsigned)info->dst);
        /* rpmsg-raw binds rpmsg_char by itself, and the probe announces */
        bool raw = strcmp(name, "rpmsg-raw") == 0;
        bus_device(name, info->src, info->dst, info->src, raw, NULL, 0);
        if (raw)
            call("NS create");
        return 0;
    }
    if (cmd == VCF_RPMSG_RELEASE_DEV_IOCTL) {
        char dev[128];
        snprintf(dev, sizeof dev, "virtio0.%s.%d.%d", name, (int)info->src, (int)info->dst);
        call("RELEASE_DEV %s", dev);
        char dir[400];
        snprintf(dir, sizeof dir, "%s/bus/rpmsg/devices/%s", F.sys, dev);
        if (access(dir, F_OK) != 0)
            return -EINVAL;
        remove_bus_device(dev);
        return 0;
    }
    fail_msg("ioctl 0x%lx on the ctrl device", cmd);
    return -EINVAL;
}

static int k_ioctl_none(void *ud, int fd, unsigned long cmd)
{
    (void)ud;
    int m = minor_of_fd(fd);
    assert_int_equal(cmd, VCF_RPMSG_DESTROY_EPT_IOCTL);
    call("DESTROY_EPT %d", m);
    if (F.m[m].channel)
        return -EINVAL;
    drop_minor((unsigned)m);
    return 0;
}

static long k_read(void *ud, int fd, void *buf, size_t cap)
{
    (void)ud;
    int m = minor_of_fd(fd);
    minor_state *s = &F.m[m];
    if (s->gone)
        return -EPIPE;
    if (s->n_rx == 0)
        return -EAGAIN;
    size_t n = s->rx_len[0] < cap ? s->rx_len[0] : cap;
    memcpy(buf, s->rx[0], n);
    memmove(&s->rx[0], &s->rx[1], sizeof s->rx[0] * (s->n_rx - 1));
    memmove(&s->rx_len[0], &s->rx_len[1], sizeof s->rx_len[0] * (s->n_rx - 1));
    s->n_rx--;
    return (long)n;
}

static long k_write(void *ud, int fd, const void *buf, size_t len)
{
    (void)ud;
    int m = minor_of_fd(fd);
    if (F.m[m].gone)
        return -EPIPE;
    call("write %d %zu", m, len);
    F.wrote_minor = m;
    F.wrote_len = len < sizeof F.wrote ? len : sizeof F.wrote;
    memcpy(F.wrote, buf, F.wrote_len);
    return (long)len;
}

static void k_close(void *ud, int fd)
{
    (void)ud;
    if (fd == FD_CTRL)
        return;
    int m = minor_of_fd(fd);
    call("close %d", m);
    F.m[m].open = false;
}

static int k_write_attr(void *ud, const char *path, const char *text)
{
    (void)ud;
    const char *rel = path + strlen(F.sys);
    call("attr %s=%s", rel, text);
    const char *bind = "/bus/rpmsg/drivers/rpmsg_chrdev/bind";
    if (strcmp(rel, bind) == 0) {
        char dir[400];
        snprintf(dir, sizeof dir, "%s/bus/rpmsg/devices/%s", F.sys, text);
        char ov[500], name[64];
        snprintf(ov, sizeof ov, "%s/driver_override", dir);
        FILE *f = fopen(ov, "r");
        if (!f)
            return -ENODEV;
        assert_non_null(fgets(name, sizeof name, f));
        fclose(f);
        assert_string_equal(name, "rpmsg_chrdev");
        vcf_agent_devname dn;
        assert_int_equal(vcf_agent_parse_devname(text, &dn, NULL, 0), 0);
        unsigned m = new_minor(dn.name, dn.src, dn.dst);
        F.m[m].channel = true;
        snprintf(F.m[m].bus, sizeof F.m[m].bus, "%s", text);
        char sub[500];
        snprintf(sub, sizeof sub, "%s/rpmsg/rpmsg%u", dir, m);
        mkdirs(sub);
        snprintf(sub, sizeof sub, "%s/driver", dir);
        assert_int_equal(symlink("../../../../bus/rpmsg/drivers/rpmsg_chrdev", sub), 0);
        call("NS create");
        return 0;
    }
    FILE *f = fopen(path, "w");
    if (!f)
        return -errno;
    fputs(text, f);
    fclose(f);
    return 0;
}

static void k_log(void *ud, const char *line)
{
    (void)ud;
    size_t n = strlen(F.logs);
    snprintf(F.logs + n, sizeof F.logs - n, "%s\n", line);
}

static const vcf_agent_kops kops = {
    .open_node = k_open,
    .ioctl_info = k_ioctl_info,
    .ioctl_none = k_ioctl_none,
    .read = k_read,
    .write = k_write,
    .close = k_close,
    .write_attr = k_write_attr,
    .log = k_log,
};

/* ---- requests ------------------------------------------------------------------------------ */

static vcf_frame rep;

static bool req(uint16_t op)
{
    vcf_frame r;
    memset(&r, 0, sizeof r);
    r.op = op;
    r.seq = 7;
    r.hello.magic = VCF_FRAME_MAGIC;
    r.hello.proto = 1;
    r.role = VCF_IUT_RPMSG_DRIVER;
    bool close = vcf_agent_handle(&A, &r, &rep);
    assert_int_equal(rep.op, op | VCF_FRAME_REPLY);
    assert_int_equal(rep.seq, 7);
    return close;
}

static void action(uint32_t kind, uint64_t a0, uint64_t a1, const char *data, size_t len)
{
    vcf_frame r;
    memset(&r, 0, sizeof r);
    r.op = VCF_FOP_ACTION;
    r.action.kind = kind;
    r.action.args[0] = a0;
    r.action.args[1] = a1;
    r.action.data = (const uint8_t *)data;
    r.action.len = len;
    F.calls[0] = '\0';
    vcf_agent_handle(&A, &r, &rep);
}

#define ACT_OK(st)                                                                                 \
    do {                                                                                           \
        assert_int_equal(rep.rc, VCF_ADAPTER_OK);                                                  \
        assert_int_equal(rep.result.status, (st));                                                 \
    } while (0)

static void expect_calls(const char *want)
{
    if (strcmp(F.calls, want) != 0)
        fail_msg("kernel calls\n  got  %s\n  want %s", F.calls, want);
}

static void queue_rx(unsigned m, const char *text)
{
    minor_state *s = &F.m[m];
    assert_true(s->n_rx < 8);
    memcpy(s->rx[s->n_rx], text, strlen(text));
    s->rx_len[s->n_rx++] = strlen(text);
}

static void expect_event(uint32_t type, uint64_t a0, uint64_t a1, uint64_t a2, const char *data)
{
    req(VCF_FOP_POLL);
    assert_int_equal(rep.rc, VCF_ADAPTER_OK);
    assert_int_equal(rep.obs.kind, VCF_OBS_EVENT);
    assert_int_equal(rep.obs.event.type, type);
    assert_int_equal(rep.obs.event.args[0], a0);
    assert_int_equal(rep.obs.event.args[1], a1);
    assert_int_equal(rep.obs.event.args[2], a2);
    assert_int_equal(rep.obs.event.len, strlen(data));
    assert_memory_equal(rep.obs.event.data, data, strlen(data));
}

static void expect_nothing(void)
{
    req(VCF_FOP_POLL);
    assert_int_equal(rep.rc, VCF_ADAPTER_OK);
    assert_int_equal(rep.obs.kind, VCF_OBS_NONE);
    req(VCF_FOP_IDLE);
    assert_int_equal(rep.idle, 1);
}

static int setup(void **state)
{
    (void)state;
    memset(&F, 0, sizeof F);
    snprintf(F.root, sizeof F.root, "/tmp/vcf-agent-core-XXXXXX");
    assert_non_null(mkdtemp(F.root));
    snprintf(F.sys, sizeof F.sys, "%s/sys", F.root);
    snprintf(F.dev, sizeof F.dev, "%s/dev", F.root);
    char d[300];
    snprintf(d, sizeof d, "%s/class/rpmsg", F.sys);
    mkdirs(d);
    snprintf(d, sizeof d, "%s/bus/rpmsg/drivers/rpmsg_chrdev", F.sys);
    mkdirs(d);
    mkdirs(F.dev);
    F.have_ctrl = true;
    bus_device("rpmsg_ns", 53, 53, 53, false, NULL, 0);
    bus_device("rpmsg_ctrl", 0, 0, 0, false, NULL, 0);
    assert_int_equal(vcf_agent_init(&A, &kops, F.sys, F.dev, NULL, "6.1.0-test"), 0);
    req(VCF_FOP_HELLO);
    req(VCF_FOP_RESET);
    assert_int_equal(rep.rc, VCF_ADAPTER_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vcf_agent_fini(&A);
    rm_rf(F.root);
    return 0;
}

/* ---- tests --------------------------------------------------------------------------------- */

static void test_hello_first(void **state)
{
    (void)state;
    vcf_agent a;
    assert_int_equal(vcf_agent_init(&a, &kops, "/nonexistent", "/nonexistent", NULL, "6.1.1"), 0);
    vcf_frame r, out;
    memset(&r, 0, sizeof r);
    r.op = VCF_FOP_POLL;
    vcf_agent_handle(&a, &r, &out);
    assert_int_equal(out.rc, VCF_ADAPTER_ERROR);
    assert_string_equal(out.reason, "HELLO must come first");
    r.op = VCF_FOP_HELLO;
    r.hello.magic = 0x12345678;
    r.hello.proto = 1;
    vcf_agent_handle(&a, &r, &out);
    assert_int_equal(out.rc, VCF_ADAPTER_ERROR);
    assert_non_null(strstr(out.reason, "magic"));
    r.hello.magic = VCF_FRAME_MAGIC;
    r.hello.proto = 3;
    vcf_agent_handle(&a, &r, &out);
    assert_int_equal(out.rc, VCF_ADAPTER_OK);
    assert_int_equal(out.hello.proto, 1);
    assert_int_equal(out.hello.roles, 0x2);
    assert_int_equal(out.hello.caps, VCF_ADAPTER_CAP_EVENTS | VCF_ADAPTER_CAP_IDLE);
    assert_string_equal(out.hello.name, "linux-uml-agent");
    assert_string_equal(out.hello.version, "6.1.1");

    r.op = VCF_FOP_RESET;
    r.role = VCF_IUT_RPMSG_DEVICE;
    vcf_agent_handle(&a, &r, &out);
    assert_int_equal(out.rc, VCF_ADAPTER_UNSUPPORTED);
    assert_non_null(strstr(out.reason, "rpmsg-driver"));
    r.op = VCF_FOP_INJECT;
    vcf_agent_handle(&a, &r, &out);
    assert_int_equal(out.rc, VCF_ADAPTER_UNSUPPORTED);
    assert_string_equal(out.reason, "the lower tester is the vhost-user device, not the agent");
    r.op = 0x55;
    vcf_agent_handle(&a, &r, &out);
    assert_int_equal(out.rc, VCF_ADAPTER_UNSUPPORTED);
    r.op = VCF_FOP_CLOSE;
    assert_true(vcf_agent_handle(&a, &r, &out));
    assert_int_equal(out.rc, VCF_ADAPTER_OK);
    vcf_agent_fini(&a);
}

static void test_create_send_destroy(void **state)
{
    (void)state;
    action(VCF_ACT_RPMSG_CREATE, VCF_AGENT_ADDR_ANY, 0x401, "svc", 3);
    assert_int_equal(rep.rc, VCF_ADAPTER_UNSUPPORTED);
    assert_non_null(strstr(rep.reason, "RPMSG_ADDR_ANY"));
    expect_calls("");

    action(VCF_ACT_RPMSG_CREATE, 0x400, 0x401, "svc\0junk", 8);
    ACT_OK(0);
    assert_int_equal(rep.result.value, 0x400);
    expect_calls("open ctrl|CREATE_EPT svc 400 401|open 0|");

    action(VCF_ACT_RPMSG_SEND, 0x400, 0x401, "hi", 2);
    ACT_OK(0);
    expect_calls("write 0 2|");
    assert_memory_equal(F.wrote, "hi", 2);

    /* another destination: a new eptdev for the same address */
    action(VCF_ACT_RPMSG_SEND, 0x400, 0x402, "yo", 2);
    ACT_OK(0);
    expect_calls("DESTROY_EPT 0|close 0|CREATE_EPT svc 400 402|open 0|write 0 2|");

    action(VCF_ACT_RPMSG_SEND, 0x500, 0x401, "x", 1);
    ACT_OK(-ENOENT);
    expect_calls("");
    action(VCF_ACT_RPMSG_DESTROY, 0x500, 0, NULL, 0);
    ACT_OK(-ENOENT);

    action(VCF_ACT_RPMSG_DESTROY, 0x400, 0, NULL, 0);
    ACT_OK(0);
    expect_calls("DESTROY_EPT 0|close 0|");
    action(VCF_ACT_RPMSG_SEND, 0x400, 0x402, "x", 1);
    ACT_OK(-ENOENT);
    expect_nothing();
    assert_non_null(strstr(F.logs, "agent: create 0x400 -> 0x401 'svc'"));
}

static void test_create_refused(void **state)
{
    (void)state;
    F.open_err = -EINVAL; /* the address is taken: rpmsg_create_ept fails at open */
    action(VCF_ACT_RPMSG_CREATE, 0x400, 0x401, "svc", 3);
    ACT_OK(-EINVAL);
    assert_int_equal(rep.result.value, 0);
    action(VCF_ACT_RPMSG_SEND, 0x400, 0x401, "x", 1);
    ACT_OK(-ENOENT);
    /* the stale rpmsg0 is not mistaken for the next endpoint */
    action(VCF_ACT_RPMSG_CREATE, 0x400, 0x401, "svc", 3);
    ACT_OK(0);
    expect_calls("CREATE_EPT svc 400 401|open 1|");

    F.have_ctrl = false;
    A.k->close(A.k->ud, A.ctrl_fd);
    A.ctrl_fd = -1;
    action(VCF_ACT_RPMSG_CREATE, 0x410, 0x401, "svc", 3);
    ACT_OK(-ENOENT);
    assert_non_null(strstr(F.logs, "rpmsg_ctrl0: No such file or directory"));
}

static void test_long_name(void **state)
{
    (void)state;
    const char *name = "0123456789abcdef0123456789abcdefXYZ"; /* 35 bytes */
    action(VCF_ACT_RPMSG_CREATE, 0x400, 0x401, name, strlen(name));
    ACT_OK(0);
    /* 32 bytes go to the kernel, which keeps 31 */
    expect_calls("open ctrl|CREATE_EPT 0123456789abcdef0123456789abcde 400 401|open 0|");
}

static void test_deliver(void **state)
{
    (void)state;
    action(VCF_ACT_RPMSG_CREATE, 0x400, 0x401, "svc", 3);
    ACT_OK(0);
    queue_rx(0, "hello");
    queue_rx(0, "");
    req(VCF_FOP_IDLE);
    assert_int_equal(rep.idle, 0);
    expect_event(0x100, 0x400, VCF_AGENT_ADDR_ANY, 5, "hello");
    expect_event(0x100, 0x400, VCF_AGENT_ADDR_ANY, 0, ""); /* an empty message is one too */
    expect_nothing();

    /* messages still queued when the endpoint is destroyed were delivered before */
    queue_rx(0, "late");
    action(VCF_ACT_RPMSG_DESTROY, 0x400, 0, NULL, 0);
    ACT_OK(0);
    expect_event(0x100, 0x400, VCF_AGENT_ADDR_ANY, 4, "late");
    expect_nothing();
}

static void test_announce(void **state)
{
    (void)state;
    action(VCF_ACT_RPMSG_ANNOUNCE, 0x400, 0, NULL, 0);
    ACT_OK(-ENOENT);
    action(VCF_ACT_RPMSG_CREATE, 0x400, VCF_AGENT_ADDR_ANY, "", 0);
    ACT_OK(0);
    action(VCF_ACT_RPMSG_ANNOUNCE, 0x400, 0, NULL, 0);
    ACT_OK(-EINVAL);
    action(VCF_ACT_RPMSG_DESTROY, 0x400, 0, NULL, 0);
    ACT_OK(0);

    action(VCF_ACT_RPMSG_CREATE, 0x400, 0x401, "svc", 3);
    ACT_OK(0);
    action(VCF_ACT_RPMSG_ANNOUNCE, 0x400, 1, NULL, 0);
    assert_int_equal(rep.rc, VCF_ADAPTER_UNSUPPORTED); /* nothing announced to withdraw */
    action(VCF_ACT_RPMSG_ANNOUNCE, 0x400, 0, NULL, 0);
    ACT_OK(0);
    expect_calls("DESTROY_EPT 0|close 0|CREATE_DEV svc 400 401|"
                 "attr /bus/rpmsg/devices/virtio0.svc.1024.1025/driver_override=rpmsg_chrdev|"
                 "attr /bus/rpmsg/drivers/rpmsg_chrdev/bind=virtio0.svc.1024.1025|NS create|"
                 "open 0|");
    /* our own channel is no news */
    expect_nothing();
    action(VCF_ACT_RPMSG_ANNOUNCE, 0x400, 0, NULL, 0);
    assert_int_equal(rep.rc, VCF_ADAPTER_UNSUPPORTED);
    action(VCF_ACT_RPMSG_SEND, 0x400, 0x401, "ok", 2);
    ACT_OK(0);
    action(VCF_ACT_RPMSG_SEND, 0x400, 0x402, "no", 2);
    assert_int_equal(rep.rc, VCF_ADAPTER_UNSUPPORTED);
    queue_rx(0, "in");
    expect_event(0x100, 0x400, VCF_AGENT_ADDR_ANY, 2, "in");

    /* withdraw: the endpoint stays, as a plain one */
    action(VCF_ACT_RPMSG_ANNOUNCE, 0x400, 1, NULL, 0);
    ACT_OK(0);
    expect_calls("RELEASE_DEV virtio0.svc.1024.1025|close 0|CREATE_EPT svc 400 401|open 0|");
    action(VCF_ACT_RPMSG_SEND, 0x400, 0x401, "x", 1);
    ACT_OK(0);
    expect_calls("write 0 1|");

    /* rpmsg-raw binds by itself: no override */
    action(VCF_ACT_RPMSG_CREATE, 0x500, 0x401, "rpmsg-raw", 9);
    ACT_OK(0);
    action(VCF_ACT_RPMSG_ANNOUNCE, 0x500, 0, NULL, 0);
    ACT_OK(0);
    expect_calls("DESTROY_EPT 1|close 1|CREATE_DEV rpmsg-raw 500 401|NS create|open 1|");
    action(VCF_ACT_RPMSG_DESTROY, 0x500, 0, NULL, 0);
    ACT_OK(0);
    expect_calls("RELEASE_DEV virtio0.rpmsg-raw.1280.1025|close 1|");
}

static void test_remote_channel(void **state)
{
    (void)state;
    char dev[128];
    /* the remote announces rpmsg-raw at 0x400; rpmsg_char gets local 0x400 too */
    bus_device("rpmsg-raw", VCF_AGENT_ADDR_ANY, 0x400, 0x400, true, dev, sizeof dev);
    assert_string_equal(dev, "virtio0.rpmsg-raw.-1.1024");
    queue_rx(0, "early"); /* before the agent looked */
    req(VCF_FOP_IDLE);
    assert_int_equal(rep.idle, 0);
    expect_event(0x101, VCF_AGENT_ADDR_ANY, 0x400, 0, "rpmsg-raw");
    expect_event(0x100, 0x400, VCF_AGENT_ADDR_ANY, 5, "early");
    expect_nothing();
    /* a name no driver takes: an event, nothing to open */
    bus_device("other", VCF_AGENT_ADDR_ANY, 0x410, VCF_AGENT_ADDR_ANY, false, NULL, 0);
    expect_event(0x101, VCF_AGENT_ADDR_ANY, 0x410, 0, "other");
    expect_nothing();

    /* sending on it works to its destination only; it cannot be destroyed by the agent */
    action(VCF_ACT_RPMSG_SEND, 0x400, 0x400, "echo", 4);
    ACT_OK(0);
    action(VCF_ACT_RPMSG_SEND, 0x400, 0x401, "echo", 4);
    assert_int_equal(rep.rc, VCF_ADAPTER_UNSUPPORTED);
    action(VCF_ACT_RPMSG_DESTROY, 0x400, 0, NULL, 0);
    assert_int_equal(rep.rc, VCF_ADAPTER_UNSUPPORTED);

    /* the remote's NS destroy: rpmsg_char's reads fail with EPIPE from then on */
    remove_bus_device(dev);
    expect_event(0x102, VCF_AGENT_ADDR_ANY, 0x400, 0, "rpmsg-raw");
    expect_nothing();
    assert_non_null(strstr(F.logs, "went away"));
}

static void test_reset_and_close(void **state)
{
    (void)state;
    action(VCF_ACT_RPMSG_CREATE, 0x400, 0x401, "a", 1);
    ACT_OK(0);
    action(VCF_ACT_RPMSG_CREATE, 0x401, 0x402, "b", 1);
    ACT_OK(0);
    action(VCF_ACT_RPMSG_ANNOUNCE, 0x401, 0, NULL, 0);
    ACT_OK(0);
    /* a remote channel already there at RESET is the baseline: no event, but it is opened */
    bus_device("rpmsg-raw", VCF_AGENT_ADDR_ANY, 0x800, 0x402, true, NULL, 0);
    queue_rx(2, "stale"); /* before the RESET: forgotten */
    F.calls[0] = '\0';
    req(VCF_FOP_RESET);
    assert_int_equal(rep.rc, VCF_ADAPTER_OK);
    expect_calls("RELEASE_DEV virtio0.b.1025.1026|close 1|DESTROY_EPT 0|close 0|open 2|");
    expect_nothing();
    action(VCF_ACT_RPMSG_SEND, 0x400, 0x401, "x", 1);
    ACT_OK(-ENOENT);

    action(VCF_ACT_RPMSG_RETURN, 4, 0, NULL, 0);
    assert_int_equal(rep.rc, VCF_ADAPTER_UNSUPPORTED);
    action(VCF_ACT_VMSG_PING, 4, 0, NULL, 0);
    assert_int_equal(rep.rc, VCF_ADAPTER_UNSUPPORTED);

    F.calls[0] = '\0';
    assert_true(req(VCF_FOP_CLOSE));
    expect_calls("close 2|");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hello_first),
        cmocka_unit_test_setup_teardown(test_create_send_destroy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver, setup, teardown),
        cmocka_unit_test_setup_teardown(test_announce, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remote_channel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_and_close, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
