/* SPDX-License-Identifier: MIT */
/*
 * /init of the vhost_uml_smoke guest: mount sysfs and devtmpfs, wait until an RPMsg channel
 * named rpmsg-raw appears under /sys/bus/rpmsg/devices, print its name, power off. Built
 * static (linked with nothing of this project); the console is UML's stdout.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <time.h>
#include <unistd.h>

static int find_channel(char *name, size_t cap)
{
    DIR *d = opendir("/sys/bus/rpmsg/devices");
    if (!d)
        return 0;
    struct dirent *e;
    int found = 0;
    while ((e = readdir(d)) != NULL) {
        if (strstr(e->d_name, ".rpmsg-raw.")) {
            snprintf(name, cap, "%s", e->d_name);
            found = 1;
            break;
        }
    }
    closedir(d);
    return found;
}

int main(void)
{
    if (mount("sysfs", "/sys", "sysfs", 0, NULL) != 0)
        perror("vcf-smoke-init: mount /sys");
    if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0)
        perror("vcf-smoke-init: mount /dev");
    char name[256];
    int found = 0;
    /* Up to 20 s in 10 ms steps; the host side's own timeout is the real bound. */
    for (int i = 0; i < 2000 && !found; i++) {
        found = find_channel(name, sizeof name);
        if (!found) {
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    if (found)
        printf("VCF-SMOKE: channel %s\n", name);
    else
        printf("VCF-SMOKE: no rpmsg-raw channel appeared\n");
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
