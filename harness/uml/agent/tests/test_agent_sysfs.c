/* SPDX-License-Identifier: MIT */
/* vconform-uml-agent: rpmsg device names, sysfs numbers, bus scans and their diff, on fake
 * sysfs trees built in a temporary directory. */
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

static char root[256];

static void mkdirs(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *p = path + strlen(root) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    }
    mkdir(path, 0755);
}

static void put(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/vcf-agent-sysfs-XXXXXX");
    assert_non_null(mkdtemp(root));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_devname(void **state)
{
    (void)state;
    vcf_agent_devname d;
    char err[256];
    assert_int_equal(vcf_agent_parse_devname("virtio0.rpmsg-raw.-1.1024", &d, err, sizeof err), 0);
    assert_string_equal(d.parent, "virtio0");
    assert_string_equal(d.name, "rpmsg-raw");
    assert_int_equal(d.src, 0xFFFFFFFFu);
    assert_int_equal(d.dst, 1024);
    assert_int_equal(vcf_agent_parse_devname("virtio0.rpmsg_ns.53.53", &d, err, sizeof err), 0);
    assert_int_equal(d.src, 53);
    /* a name with dots: the addresses are the last two fields */
    assert_int_equal(vcf_agent_parse_devname("virtio1.a.b.c.1024.-1", &d, err, sizeof err), 0);
    assert_string_equal(d.parent, "virtio1");
    assert_string_equal(d.name, "a.b.c");
    assert_int_equal(d.src, 1024);
    assert_int_equal(d.dst, 0xFFFFFFFFu);
    /* an empty name is what the kernel would print for one */
    assert_int_equal(vcf_agent_parse_devname("virtio0..5.6", &d, err, sizeof err), 0);
    assert_string_equal(d.name, "");
    /* %d of 0x80000000 */
    assert_int_equal(vcf_agent_parse_devname("virtio0.x.-2147483648.0", &d, err, sizeof err), 0);
    assert_int_equal(d.src, 0x80000000u);

    const char *bad[] = {
        "virtio0", "virtio0.x.5",     "virtio0.x.5.",           "virtio0.x.0x5.6", "virtio0.x.5.6a",
        ".x.5.6",  "virtio0.x.--1.5", "virtio0.x.2147483648.5", "virtio0.x. 5.6",  "virtio0.x.5.-"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        if (vcf_agent_parse_devname(bad[i], &d, err, sizeof err) != -1)
            fail_msg("'%s' parsed", bad[i]);
        assert_non_null(strstr(err, "rpmsg device name"));
    }
}

static void test_addr(void **state)
{
    (void)state;
    uint32_t v;
    assert_int_equal(vcf_agent_parse_addr("0x400\n", &v), 0);
    assert_int_equal(v, 0x400);
    assert_int_equal(vcf_agent_parse_addr("0xffffffff\n", &v), 0);
    assert_int_equal(v, 0xFFFFFFFFu);
    assert_int_equal(vcf_agent_parse_addr("1024", &v), 0);
    assert_int_equal(v, 1024);
    assert_int_equal(vcf_agent_parse_addr("-1\n", &v), 0);
    assert_int_equal(v, 0xFFFFFFFFu);
    assert_int_equal(vcf_agent_parse_addr("", &v), -1);
    assert_int_equal(vcf_agent_parse_addr("0x100000000", &v), -1);
    assert_int_equal(vcf_agent_parse_addr("12z", &v), -1);
    assert_int_equal(vcf_agent_parse_addr("-", &v), -1);
    assert_int_equal(vcf_agent_parse_addr("-2147483649", &v), -1);
    assert_int_equal(vcf_agent_parse_addr("true", &v), -1);
}

static int n_created, n_destroyed;
static char last[8][64];

static void record(void *ud, bool created, const vcf_agent_chan *c)
{
    (void)ud;
    size_t i = (size_t)(n_created + n_destroyed);
    if (i < 8)
        snprintf(last[i], sizeof last[i], "%c %s %x", created ? '+' : '-', c->name, c->dst);
    if (created)
        n_created++;
    else
        n_destroyed++;
}

static void scan(vcf_agent_chanlist *l)
{
    char dir[300], err[512];
    snprintf(dir, sizeof dir, "%s/bus/rpmsg/devices", root);
    if (vcf_agent_scan(dir, l, err, sizeof err) != 0)
        fail_msg("scan: %s", err);
}

static void test_scan_diff(void **state)
{
    (void)state;
    vcf_agent_chanlist a, b, c;
    scan(&a); /* no directory yet: empty */
    assert_int_equal(a.n, 0);

    mkdirs("bus/rpmsg/devices/virtio0.rpmsg_ns.53.53");
    mkdirs("bus/rpmsg/devices/virtio0.rpmsg_ctrl.0.0");
    mkdirs("bus/rpmsg/devices/virtio0.rpmsg-raw.-1.1024");
    put("bus/rpmsg/devices/virtio0.rpmsg-raw.-1.1024/name", "rpmsg-raw\n");
    mkdirs("bus/rpmsg/devices/virtio0.svc.1025.-1"); /* the agent's own channel */
    mkdirs("bus/rpmsg/devices/not-an-rpmsg-device");
    /* a name with dots, told by the name attribute */
    mkdirs("bus/rpmsg/devices/virtio0.my.svc.-1.2000");
    put("bus/rpmsg/devices/virtio0.my.svc.-1.2000/name", "my.svc\n");
    scan(&b);
    assert_int_equal(b.n, 5);
    assert_string_equal(b.v[0].dev, "virtio0.my.svc.-1.2000"); /* sorted by name */
    assert_string_equal(b.v[0].name, "my.svc");

    n_created = n_destroyed = 0;
    vcf_agent_diff(&a, &b, record, NULL);
    assert_int_equal(n_created, 2); /* not the name service, the ctrl device, our own channel */
    assert_int_equal(n_destroyed, 0);
    assert_string_equal(last[0], "+ my.svc 7d0");
    assert_string_equal(last[1], "+ rpmsg-raw 400");

    /* the same tree again: nothing */
    n_created = n_destroyed = 0;
    vcf_agent_diff(&b, &b, record, NULL);
    assert_int_equal(n_created + n_destroyed, 0);

    /* one goes, one comes: disappearances first */
    char path[512];
    snprintf(path, sizeof path, "%s/bus/rpmsg/devices/virtio0.rpmsg-raw.-1.1024/name", root);
    unlink(path);
    snprintf(path, sizeof path, "%s/bus/rpmsg/devices/virtio0.rpmsg-raw.-1.1024", root);
    assert_int_equal(rmdir(path), 0);
    mkdirs("bus/rpmsg/devices/virtio0.echo.-1.1030");
    scan(&c);
    n_created = n_destroyed = 0;
    vcf_agent_diff(&b, &c, record, NULL);
    assert_int_equal(n_destroyed, 1);
    assert_int_equal(n_created, 1);
    assert_string_equal(last[0], "- rpmsg-raw 400");
    assert_string_equal(last[1], "+ echo 406");

    vcf_agent_chanlist_free(&a);
    vcf_agent_chanlist_free(&b);
    vcf_agent_chanlist_free(&c);
}

static void test_eptdevs(void **state)
{
    (void)state;
    char dir[300];
    snprintf(dir, sizeof dir, "%s/class/rpmsg", root);
    unsigned ids[4];
    assert_int_equal(vcf_agent_list_eptdevs(dir, ids, 4), 0); /* missing: none */
    mkdirs("class/rpmsg/rpmsg_ctrl0");
    mkdirs("class/rpmsg/rpmsg10");
    mkdirs("class/rpmsg/rpmsg2");
    mkdirs("class/rpmsg/rpmsg0");
    mkdirs("class/rpmsg/rpmsgx");
    assert_int_equal(vcf_agent_list_eptdevs(dir, ids, 4), 3);
    assert_int_equal(ids[0], 0);
    assert_int_equal(ids[1], 2);
    assert_int_equal(ids[2], 10);
    assert_int_equal(vcf_agent_list_eptdevs(dir, ids, 2), 3); /* the count, even past max */

    char attr[64];
    put("class/rpmsg/rpmsg2/src", "-1\n");
    snprintf(dir, sizeof dir, "%s/class/rpmsg/rpmsg2/src", root);
    assert_int_equal(vcf_agent_read_attr(dir, attr, sizeof attr), 0);
    assert_string_equal(attr, "-1");
    snprintf(dir, sizeof dir, "%s/class/rpmsg/rpmsg2/none", root);
    assert_int_equal(vcf_agent_read_attr(dir, attr, sizeof attr), -2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_devname),
        cmocka_unit_test(test_addr),
        cmocka_unit_test_setup_teardown(test_scan_diff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eptdevs, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
