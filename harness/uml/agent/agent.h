/* SPDX-License-Identifier: MIT */
/*
 * vconform-uml-agent: the upper tester inside User-Mode Linux (docs/uml-agent.md).
 *
 * The agent is /init of a UML guest whose virtio_rpmsg_bus driver talks to vconform's
 * vhost-user back-end. It serves the stdio adapter protocol (docs/adapter-protocol.md) on the
 * guest's serial line and maps every RPMsg action onto the Linux user API: /dev/rpmsg_ctrl0
 * (rpmsg_ctrl) and the endpoint devices /dev/rpmsgN (rpmsg_char).
 *
 * Layers:
 *   agent_sysfs.c  pure parsing of sysfs names and attributes, directory scans and their diff
 *                  (given a root directory, so tests build fake trees);
 *   agent_table.c  the endpoint table and the event queue (pure state);
 *   agent_core.c   the protocol server: one decoded request in, one reply out, every kernel
 *                  call through vcf_agent_kops (tests pass a fake);
 *   agent_main.c   PID 1 duties, the serial line, the real kernel calls, power-off.
 */
#ifndef VCF_UML_AGENT_H
#define VCF_UML_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/ioctl.h>

#include "frame.h"

/* ---- the Linux 6.1 rpmsg user API (include/uapi/linux/rpmsg.h), copied ------------------ */

#define VCF_AGENT_ADDR_ANY  0xFFFFFFFFu /* RPMSG_ADDR_ANY */
#define VCF_AGENT_NAME_SIZE 32u         /* RPMSG_NAME_SIZE, NUL included */

typedef struct vcf_rpmsg_endpoint_info {
    char name[VCF_AGENT_NAME_SIZE];
    uint32_t src;
    uint32_t dst;
} vcf_rpmsg_endpoint_info;

#define VCF_RPMSG_CREATE_EPT_IOCTL  _IOW(0xb5, 0x1, vcf_rpmsg_endpoint_info)
#define VCF_RPMSG_DESTROY_EPT_IOCTL _IO(0xb5, 0x2)
#define VCF_RPMSG_CREATE_DEV_IOCTL  _IOW(0xb5, 0x3, vcf_rpmsg_endpoint_info)
#define VCF_RPMSG_RELEASE_DEV_IOCTL _IOW(0xb5, 0x4, vcf_rpmsg_endpoint_info)

/* ---- sysfs names and scans (agent_sysfs.c) ----------------------------------------------- */

#define VCF_AGENT_DEVNAME_MAX 128u

/*
 * An rpmsg bus device is named "%s.%s.%d.%d" (rpmsg_register_device_override): parent device,
 * service name, source and destination as *signed* decimals, so RPMSG_ADDR_ANY reads "-1".
 * The name may itself hold dots: the parent ends at the first dot, the addresses are the last
 * two fields.
 */
typedef struct vcf_agent_devname {
    char parent[VCF_AGENT_DEVNAME_MAX];
    char name[VCF_AGENT_DEVNAME_MAX];
    uint32_t src, dst;
} vcf_agent_devname;

/* 0 and *out filled, or -1 when s is not in that form (err says where). */
int vcf_agent_parse_devname(const char *s, vcf_agent_devname *out, char *err, size_t err_len);

/* A sysfs number: "0x400\n" (rpmsg bus attributes), "1024\n" or "-1\n" (rpmsg_char's "%d").
 * 0 and *out (two's complement for negatives), or -1. */
int vcf_agent_parse_addr(const char *text, uint32_t *out);

/* One entry of /sys/bus/rpmsg/devices. */
typedef struct vcf_agent_chan {
    char dev[VCF_AGENT_DEVNAME_MAX]; /* the directory name */
    char name[VCF_AGENT_NAME_SIZE];  /* the name attribute (else from dev) */
    uint32_t src, dst;               /* from the directory name: src ANY = created by the remote */
} vcf_agent_chan;

typedef struct vcf_agent_chanlist {
    vcf_agent_chan *v;
    size_t n;
} vcf_agent_chanlist;

/* Scan dir (e.g. "/sys/bus/rpmsg/devices"), sorted by directory name. Entries whose names do
 * not parse are skipped. A missing directory is an empty list. 0, or -errno with err. */
int vcf_agent_scan(const char *dir, vcf_agent_chanlist *out, char *err, size_t err_len);
void vcf_agent_chanlist_free(vcf_agent_chanlist *l);

/* A channel the remote announced: src ANY, not the name service, not the control device. */
bool vcf_agent_chan_is_remote(const vcf_agent_chan *c);

/* The differences between two scans: cb(ud, created, chan) for every remote channel that
 * appeared (created true) or disappeared, in directory-name order, disappearances first. */
typedef void (*vcf_agent_diff_cb)(void *ud, bool created, const vcf_agent_chan *c);
void vcf_agent_diff(const vcf_agent_chanlist *old, const vcf_agent_chanlist *cur,
                    vcf_agent_diff_cb cb, void *ud);

/* The numbers N of the "rpmsgN" entries of a class directory (/sys/class/rpmsg), at most max,
 * ascending. Returns the count (which may exceed max), or -errno. */
int vcf_agent_list_eptdevs(const char *dir, unsigned *ids, size_t max);

/* Read a small sysfs file into buf (NUL-terminated, trailing newline removed): 0 or -errno. */
int vcf_agent_read_attr(const char *path, char *buf, size_t cap);

/* ---- endpoint table and event queue (agent_table.c) ------------------------------------- */

typedef enum vcf_agent_ept_kind {
    VCF_AGENT_EPTDEV = 1,  /* created with RPMSG_CREATE_EPT_IOCTL: a plain endpoint */
    VCF_AGENT_CHANNEL = 2, /* created with RPMSG_CREATE_DEV_IOCTL: announced by Linux */
    VCF_AGENT_REMOTE = 3   /* a channel the remote announced that rpmsg_char bound */
} vcf_agent_ept_kind;

typedef struct vcf_agent_ept {
    vcf_agent_ept_kind kind;
    char name[VCF_AGENT_NAME_SIZE];  /* as given to the kernel (at most 31 bytes) */
    uint32_t addr;                   /* local address */
    uint32_t dst;                    /* where write() sends */
    int fd;                          /* the open /dev/rpmsgN */
    unsigned minor;                  /* N of /dev/rpmsgN */
    char dev[VCF_AGENT_DEVNAME_MAX]; /* CHANNEL, REMOTE: the rpmsg bus device */
} vcf_agent_ept;

#define VCF_AGENT_MAX_EPTS 256u

typedef struct vcf_agent_table {
    vcf_agent_ept e[VCF_AGENT_MAX_EPTS];
    size_t n;
} vcf_agent_table;

/* The entry with local address addr, or NULL. */
vcf_agent_ept *vcf_agent_table_find(vcf_agent_table *t, uint32_t addr);
/* The REMOTE entry of bus device dev, or NULL. */
vcf_agent_ept *vcf_agent_table_find_dev(vcf_agent_table *t, const char *dev);
/* Append a copy of e: the new entry, or NULL when the table is full. */
vcf_agent_ept *vcf_agent_table_add(vcf_agent_table *t, const vcf_agent_ept *e);
/* Remove the entry (a pointer into t); later entries keep their order. */
void vcf_agent_table_remove(vcf_agent_table *t, vcf_agent_ept *e);

typedef struct vcf_agent_event {
    struct vcf_agent_event *next;
    uint32_t type; /* VCF_EVT_RPMSG_BASE + vcf_rpmsg_event_type */
    uint64_t args[4];
    size_t len;
    uint8_t data[]; /* payload or service name */
} vcf_agent_event;

typedef struct vcf_agent_queue {
    vcf_agent_event *head, *tail;
    size_t n;
} vcf_agent_queue;

/* Append an event (data copied): 0, or -ENOMEM. */
int vcf_agent_queue_push(vcf_agent_queue *q, uint32_t type, uint64_t a0, uint64_t a1, uint64_t a2,
                         const void *data, size_t len);
/* The oldest event, unlinked (the caller frees it), or NULL. */
vcf_agent_event *vcf_agent_queue_pop(vcf_agent_queue *q);
void vcf_agent_queue_clear(vcf_agent_queue *q);

/* ---- the protocol server (agent_core.c) ------------------------------------------------- */

/*
 * Every kernel call the server makes, so tests can replace them. Each returns 0 (or a byte
 * count) on success and -errno on failure; none of them logs.
 */
typedef struct vcf_agent_kops {
    void *ud;
    /* open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC) */
    int (*open_node)(void *ud, const char *path, int *fd);
    /* ioctl with a struct rpmsg_endpoint_info argument (the ctrl device's three requests) */
    int (*ioctl_info)(void *ud, int fd, unsigned long cmd, const vcf_rpmsg_endpoint_info *info);
    /* ioctl without an argument (RPMSG_DESTROY_EPT_IOCTL) */
    int (*ioctl_none)(void *ud, int fd, unsigned long cmd);
    /* one read (one message) / one write (one message) */
    long (*read)(void *ud, int fd, void *buf, size_t cap);
    long (*write)(void *ud, int fd, const void *buf, size_t len);
    void (*close)(void *ud, int fd);
    /* write text to a sysfs attribute (one write) */
    int (*write_attr)(void *ud, const char *path, const char *text);
    /* one line of the agent's log (no newline) */
    void (*log)(void *ud, const char *line);
} vcf_agent_kops;

#define VCF_AGENT_PATH_MAX 256u
#define VCF_AGENT_READ_MAX (64u * 1024u + 1024u) /* one read() of an endpoint */

typedef struct vcf_agent {
    const vcf_agent_kops *k;
    char sys_root[VCF_AGENT_PATH_MAX]; /* "/sys" */
    char dev_root[VCF_AGENT_PATH_MAX]; /* "/dev" */
    char ctrl[VCF_AGENT_PATH_MAX];     /* "/dev/rpmsg_ctrl0" */
    char release[65];                  /* uname -r: HELLO's version */
    int ctrl_fd;                       /* -1 until the first action that needs it */
    bool greeted;
    vcf_agent_table table;
    vcf_agent_queue queue;
    vcf_agent_chanlist known; /* /sys/bus/rpmsg/devices at the last rescan */
    vcf_agent_event *current; /* the event the last POLL reply points into */
    uint8_t *rbuf;            /* VCF_AGENT_READ_MAX */
    char why[1024];           /* the reason of the last reply */
    char logline[1024];       /* the action being logged */
} vcf_agent;

/* Set up an agent (roots and ctrl path may be NULL for the defaults): 0 or -ENOMEM. */
int vcf_agent_init(vcf_agent *a, const vcf_agent_kops *k, const char *sys_root,
                   const char *dev_root, const char *ctrl, const char *release);
/* Close every endpoint and the ctrl device, free everything. */
void vcf_agent_fini(vcf_agent *a);

/*
 * Answer one well-formed request. rep is filled (its strings and bytes point into a and stay
 * valid until the next call). Returns true when the request was CLOSE: the caller sends the
 * reply, then powers off.
 */
bool vcf_agent_handle(vcf_agent *a, const vcf_frame *req, vcf_frame *rep);

/* Run the refresh POLL and IDLE do (read every endpoint, rescan the bus); for tests. */
void vcf_agent_refresh(vcf_agent *a);

#endif /* VCF_UML_AGENT_H */
