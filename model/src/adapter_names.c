/* SPDX-License-Identifier: MIT */
/* vconform: the adapter ABI's name tables (roles, channels, actions, events) and parameter
 * lookup. Pure: no I/O, no allocation. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vconform/adapter.h"
#include "vconform/rpmsg_model.h"
#include "vconform/vmsg_model.h"

#define BIT(r) VCF_IUT_ROLE_BIT(r)
#define RPMSG  (BIT(VCF_IUT_RPMSG_DRIVER) | BIT(VCF_IUT_RPMSG_DEVICE))
#define VDEV   BIT(VCF_IUT_VMSG_DEVICE)
#define VDRV   BIT(VCF_IUT_VMSG_DRIVER)
#define VBUS   BIT(VCF_IUT_VMSG_BUS)

static const char *const role_names[VCF_IUT_ROLE_COUNT] = {NULL,
                                                           "rpmsg-driver",
                                                           "rpmsg-device",
                                                           "virtio-msg-device",
                                                           "virtio-msg-driver",
                                                           "virtio-msg-bus"};

const char *vcf_iut_role_name(uint32_t role)
{
    return role < VCF_IUT_ROLE_COUNT && role_names[role] ? role_names[role] : "?";
}

int vcf_iut_role_parse(const char *name, uint32_t *role)
{
    for (uint32_t r = 1; name && r < VCF_IUT_ROLE_COUNT; r++) {
        if (strcmp(name, role_names[r]) == 0) {
            *role = r;
            return VCF_ADAPTER_OK;
        }
    }
    return VCF_ADAPTER_UNSUPPORTED;
}

const char *vcf_iut_role_protocol(uint32_t role)
{
    switch (role) {
    case VCF_IUT_RPMSG_DRIVER:
    case VCF_IUT_RPMSG_DEVICE: return "rpmsg";
    case VCF_IUT_VMSG_DEVICE:
    case VCF_IUT_VMSG_DRIVER:
    case VCF_IUT_VMSG_BUS: return "virtio-msg";
    default: return "?";
    }
}

static const char *const rpmsg_channels[] = {"vq0", "vq1"};
static const char *const link_channels[] = {"link"};
static const char *const bus_channels[] = {"peer", "driver", "device"};

static const char *const *channels_of(uint32_t role, uint32_t *n)
{
    switch (role) {
    case VCF_IUT_RPMSG_DRIVER:
    case VCF_IUT_RPMSG_DEVICE: *n = 2; return rpmsg_channels;
    case VCF_IUT_VMSG_DEVICE:
    case VCF_IUT_VMSG_DRIVER: *n = 1; return link_channels;
    case VCF_IUT_VMSG_BUS: *n = 3; return bus_channels;
    default: *n = 0; return NULL;
    }
}

uint32_t vcf_channel_count(uint32_t role)
{
    uint32_t n;
    (void)channels_of(role, &n);
    return n;
}

const char *vcf_channel_name(uint32_t role, uint32_t channel)
{
    uint32_t n;
    const char *const *names = channels_of(role, &n);
    return channel < n ? names[channel] : NULL;
}

int vcf_channel_parse(uint32_t role, const char *name, uint32_t *channel)
{
    uint32_t n;
    const char *const *names = channels_of(role, &n);
    for (uint32_t i = 0; name && i < n; i++) {
        if (strcmp(name, names[i]) == 0) {
            *channel = i;
            return VCF_ADAPTER_OK;
        }
    }
    return VCF_ADAPTER_UNSUPPORTED;
}

static const vcf_action_info actions[] = {
    {VCF_ACT_RPMSG_CREATE, "create", RPMSG, {"addr", "dest", NULL, NULL}, "name"},
    {VCF_ACT_RPMSG_DESTROY, "destroy", RPMSG, {"addr", NULL, NULL, NULL}, NULL},
    {VCF_ACT_RPMSG_SEND, "send", RPMSG, {"src", "dst", NULL, NULL}, "payload"},
    {VCF_ACT_RPMSG_ANNOUNCE, "announce", RPMSG, {"addr", "destroy", NULL, NULL}, NULL},
    {VCF_ACT_RPMSG_RETURN, "return-buffers", RPMSG, {"count", NULL, NULL, NULL}, NULL},
    {VCF_ACT_VMSG_CONFIG_CHANGE, "config-change", VDEV, {"offset", NULL, NULL, NULL}, "config"},
    {VCF_ACT_VMSG_FAIL, "fail", VDEV, {NULL, NULL, NULL, NULL}, NULL},
    {VCF_ACT_VMSG_USED, "used", VDEV, {"vq", NULL, NULL, NULL}, NULL},
    {VCF_ACT_VMSG_SET_ACTIVE, "set-active", VDEV, {"active", NULL, NULL, NULL}, NULL},
    {VCF_ACT_VMSG_START, "start", VDRV, {NULL, NULL, NULL, NULL}, NULL},
    {VCF_ACT_VMSG_TIMEOUT, "timeout", VDRV, {NULL, NULL, NULL, NULL}, NULL},
    {VCF_ACT_VMSG_CONFIG_READ, "config-read", VDRV, {"offset", "length", NULL, NULL}, NULL},
    {VCF_ACT_VMSG_CONFIG_WRITE, "config-write", VDRV, {"offset", NULL, NULL, NULL}, "config"},
    {VCF_ACT_VMSG_NOTIFY, "notify", VDRV, {"vq", "next_offset", NULL, NULL}, NULL},
    {VCF_ACT_VMSG_RESET_VQ, "reset-vq", VDRV, {"vq", NULL, NULL, NULL}, NULL},
    {VCF_ACT_VMSG_SETUP_VQ, "setup-vq", VDRV, {"vq", NULL, NULL, NULL}, NULL},
    {VCF_ACT_VMSG_GET_STATUS, "get-status", VDRV, {NULL, NULL, NULL, NULL}, NULL},
    {VCF_ACT_VMSG_GET_SHM, "get-shm", VDRV, {"index", NULL, NULL, NULL}, NULL},
    {VCF_ACT_VMSG_RESET, "reset", VDRV, {"reinit", NULL, NULL, NULL}, NULL},
    {VCF_ACT_VMSG_REMOVED, "removed", VDRV, {NULL, NULL, NULL, NULL}, NULL},
    {VCF_ACT_VMSG_SET_DEVICE, "set-device", VBUS, {"dev_num", "present", "announce", NULL}, NULL},
    {VCF_ACT_VMSG_ENUMERATE, "enumerate", VBUS, {NULL, NULL, NULL, NULL}, NULL},
    {VCF_ACT_VMSG_PING, "ping", VBUS, {"value", NULL, NULL, NULL}, NULL},
    {VCF_ACT_VMSG_REQUEST_TIMEOUT, "request-timeout", VBUS, {"dev_num", NULL, NULL, NULL}, NULL},
    {0, NULL, 0, {NULL, NULL, NULL, NULL}, NULL}};

const vcf_action_info *vcf_adapter_actions(void)
{
    return actions;
}

const vcf_action_info *vcf_adapter_action_info(uint32_t kind)
{
    for (const vcf_action_info *a = actions; a->name; a++)
        if (a->kind == kind)
            return a;
    return NULL;
}

const vcf_action_info *vcf_adapter_action_find(uint32_t role, const char *name)
{
    for (const vcf_action_info *a = actions; name && a->name; a++)
        if ((a->roles & BIT(role)) && strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

#define RE(t) (VCF_EVT_RPMSG_BASE + (uint32_t)(t))
#define VE(t) (VCF_EVT_VMSG_BASE + (uint32_t)(t))
#define VARGS                                                                                      \
    {                                                                                              \
        "index", "offset", "length", "value"                                                       \
    }

static const vcf_event_info events[] = {
    {RE(VCF_RPMSG_EV_DELIVER), "deliver", RPMSG, {"ept", "addr", "claimed_len", NULL}, "payload"},
    {RE(VCF_RPMSG_EV_CHANNEL_CREATED),
     "channel-created",
     RPMSG,
     {NULL, "addr", NULL, NULL},
     "name"},
    {RE(VCF_RPMSG_EV_CHANNEL_DESTROYED),
     "channel-destroyed",
     RPMSG,
     {NULL, "addr", NULL, NULL},
     "name"},
    {RE(VCF_RPMSG_EV_EPT_BOUND), "ept-bound", RPMSG, {"ept", "addr", NULL, NULL}, "name"},
    {RE(VCF_RPMSG_EV_EPT_UNBOUND), "ept-unbound", RPMSG, {"ept", "addr", NULL, NULL}, "name"},
    /* virtio-msg: only the arguments whose value the rules fix are named; the others are
     * reported as 0 and never compared. */
    {VE(VCF_VMSG_EV_RESET), "reset", VDEV, {NULL, NULL, NULL, NULL}, NULL},
    {VE(VCF_VMSG_EV_STATUS), "status", VDEV, {NULL, NULL, NULL, "value"}, NULL},
    {VE(VCF_VMSG_EV_FEATURES), "features", VDEV, {"index", NULL, "length", NULL}, NULL},
    {VE(VCF_VMSG_EV_CONFIG_WRITTEN),
     "config-written",
     VDEV,
     {NULL, "offset", "length", NULL},
     NULL},
    {VE(VCF_VMSG_EV_VQ_CONFIGURED), "vq-configured", VDEV, {"index", NULL, "length", NULL}, NULL},
    {VE(VCF_VMSG_EV_VQ_RESET), "vq-reset", VDEV, {"index", NULL, NULL, NULL}, NULL},
    {VE(VCF_VMSG_EV_AVAIL), "avail", VDEV, {"index", NULL, NULL, "value"}, NULL},
    {VE(VCF_VMSG_EV_READY), "ready", VDRV, {NULL, NULL, NULL, NULL}, NULL},
    {VE(VCF_VMSG_EV_INIT_FAILED), "init-failed", VDRV, {NULL, NULL, NULL, NULL}, NULL},
    {VE(VCF_VMSG_EV_NO_DEVICE), "no-device", VDRV, {NULL, NULL, NULL, NULL}, NULL},
    {VE(VCF_VMSG_EV_CONFIG_CHANGED),
     "config-changed",
     VDRV,
     {NULL, "offset", "length", "value"},
     NULL},
    {VE(VCF_VMSG_EV_CONFIG_READ), "config-read", VDRV, {NULL, "offset", "length", "value"}, NULL},
    {VE(VCF_VMSG_EV_CONFIG_REJECTED),
     "config-rejected",
     VDRV,
     {NULL, "offset", "length", "value"},
     NULL},
    {VE(VCF_VMSG_EV_USED), "used", VDRV, {"index", NULL, NULL, NULL}, NULL},
    {VE(VCF_VMSG_EV_NEEDS_RESET), "needs-reset", VDRV, {NULL, NULL, NULL, NULL}, NULL},
    {VE(VCF_VMSG_EV_SHM), "shm", VDRV, {"index", NULL, "length", "value"}, NULL},
    {VE(VCF_VMSG_EV_DONE), "done", VDRV, {"index", "offset", "length", NULL}, NULL},
    {VE(VCF_VMSG_EV_DEVICE_READY), "device-ready", VBUS, {"index", NULL, "length", NULL}, NULL},
    {VE(VCF_VMSG_EV_DEVICE_REMOVED), "device-removed", VBUS, {"index", NULL, NULL, NULL}, NULL},
    {VE(VCF_VMSG_EV_ENUM_DONE), "enum-done", VBUS, {NULL, NULL, "length", NULL}, NULL},
    {VE(VCF_VMSG_EV_PONG), "pong", VBUS, {NULL, NULL, NULL, "value"}, NULL},
    {VE(VCF_VMSG_EV_FAILURE), "failure", VBUS, {"index", "offset", "length", "value"}, NULL},
    {0, NULL, 0, {NULL, NULL, NULL, NULL}, NULL}};

const vcf_event_info *vcf_adapter_events(void)
{
    return events;
}

const vcf_event_info *vcf_adapter_event_info(uint32_t type)
{
    for (const vcf_event_info *e = events; e->name; e++)
        if (e->type == type)
            return e;
    return NULL;
}

const vcf_event_info *vcf_adapter_event_find(uint32_t role, const char *name)
{
    for (const vcf_event_info *e = events; name && e->name; e++)
        if ((e->roles & BIT(role)) && strcmp(e->name, name) == 0)
            return e;
    return NULL;
}

const char *vcf_param_get(const vcf_adapter_param *params, size_t n, const char *key)
{
    for (size_t i = 0; params && key && i < n; i++)
        if (params[i].key && strcmp(params[i].key, key) == 0)
            return params[i].value;
    return NULL;
}

int vcf_param_parse_u64(const char *value, uint64_t *out)
{
    if (!value || *value == '\0' || *value == '-' || *value == '+' ||
        isspace((unsigned char)*value))
        return VCF_ADAPTER_UNSUPPORTED;
    /* "0x" and hex digits, or decimal digits: a leading 0 does not make a number octal
     * ("024" is 24, as people write it), and nothing else strtoull takes ("0x0x1") passes. */
    const char *digits = value;
    int base = 10;
    if (value[0] == '0' && (value[1] == 'x' || value[1] == 'X')) {
        digits = value + 2;
        base = 16;
    }
    if (*digits == '\0')
        return VCF_ADAPTER_UNSUPPORTED;
    for (const char *c = digits; *c; c++)
        if (base == 16 ? !isxdigit((unsigned char)*c) : !isdigit((unsigned char)*c))
            return VCF_ADAPTER_UNSUPPORTED;
    char *end = NULL;
    errno = 0;
    unsigned long long x = strtoull(digits, &end, base);
    if (errno != 0 || !end || *end != '\0')
        return VCF_ADAPTER_UNSUPPORTED;
    *out = (uint64_t)x;
    return VCF_ADAPTER_OK;
}

int vcf_param_u64(const vcf_adapter_param *params, size_t n, const char *key, uint64_t dflt,
                  uint64_t *out)
{
    const char *v = vcf_param_get(params, n, key);
    if (!v) {
        *out = dflt;
        return VCF_ADAPTER_OK;
    }
    return vcf_param_parse_u64(v, out);
}

const char *vcf_adapter_rc_name(int rc)
{
    switch (rc) {
    case VCF_ADAPTER_OK: return "ok";
    case VCF_ADAPTER_ERROR: return "error";
    case VCF_ADAPTER_UNSUPPORTED: return "unsupported";
    default: return "?";
    }
}
