/* SPDX-License-Identifier: MIT */
/*
 * The RPMsg reference model: one side of a link (see rpmsg_model.h).
 *
 * Layout of this file: output helpers; configuration; the receive path (buffer checks, then
 * dispatch, then the name service); the upper-layer requests. Every place a profile departs from
 * strict is marked with the IMPL rule it reproduces.
 */
#include <string.h>

#include "vconform/rpmsg_model.h"
#include "wire_internal.h"

#define NONE VCF_RPMSG_RULE_NONE
#define ANY  VCF_RPMSG_ADDR_ANY

/* ---- output helpers ------------------------------------------------------------------------ */

static void out_reset(vcf_rpmsg_output *out)
{
    memset(out, 0, sizeof *out);
    out->addr = ANY;
}

/* Record a verdict; returns its error record, or NULL when the output is full (the verdict is
 * then only counted). */
static vcf_error *verdict(vcf_rpmsg_output *out, vcf_rpmsg_rule rule, vcf_rpmsg_rule impl,
                          vcf_rpmsg_action action, vcf_status code, const char *field,
                          size_t offset, const char *detail)
{
    if (out->n_verdicts == VCF_RPMSG_MAX_VERDICTS) {
        out->verdicts_lost++;
        return NULL;
    }
    vcf_rpmsg_verdict *v = &out->verdicts[out->n_verdicts++];
    v->rule = rule;
    v->impl = impl;
    v->action = action;
    vcf_fail(&v->error, code, field, offset, detail);
    if (rule != NONE)
        v->error.rule = vcf_rpmsg_rule_id(rule);
    return &v->error;
}

/* The same, with the expected and found values. */
static void verdictv(vcf_rpmsg_output *out, vcf_rpmsg_rule rule, vcf_rpmsg_rule impl,
                     vcf_rpmsg_action action, vcf_status code, const char *field, size_t offset,
                     const char *detail, uint64_t expected, uint64_t actual, bool hex)
{
    vcf_error *e = verdict(out, rule, impl, action, code, field, offset, detail);
    if (e) {
        e->expected = expected;
        e->actual = actual;
        e->flags = VCF_ERROR_HAS_VALUES | (hex ? VCF_ERROR_HEX : 0u);
    }
}

/* Record an event. No input raises more than two, so the array never fills. */
static vcf_rpmsg_event *event(vcf_rpmsg_output *out, vcf_rpmsg_event_type type, uint32_t ept,
                              uint32_t addr, const uint8_t *name, size_t name_len)
{
    VCF_ASSUME(out->n_events < VCF_RPMSG_MAX_EVENTS);
    vcf_rpmsg_event *ev = &out->events[out->n_events++];
    memset(ev, 0, sizeof *ev);
    ev->type = type;
    ev->ept = ept;
    ev->addr = addr;
    if (name_len)
        memcpy(ev->name, name, name_len);
    ev->name_len = name_len;
    return ev;
}

/* The status of the first DROP or REFUSE verdict becomes the output status. */
static int finish(vcf_rpmsg_output *out, int status)
{
    out->status = status;
    return status;
}

static int drop(vcf_rpmsg_output *out, vcf_rpmsg_rule rule, vcf_rpmsg_rule impl, vcf_status code,
                const char *field, size_t offset, const char *detail)
{
    verdict(out, rule, impl, VCF_RPMSG_ACT_DROP, code, field, offset, detail);
    return finish(out, code);
}

static int dropv(vcf_rpmsg_output *out, vcf_rpmsg_rule rule, vcf_rpmsg_rule impl, vcf_status code,
                 const char *field, size_t offset, const char *detail, uint64_t expected,
                 uint64_t actual, bool hex)
{
    verdictv(out, rule, impl, VCF_RPMSG_ACT_DROP, code, field, offset, detail, expected, actual,
             hex);
    return finish(out, code);
}

static int refuse(vcf_rpmsg_output *out, vcf_rpmsg_rule rule, vcf_rpmsg_rule impl, vcf_status code,
                  const char *field, const char *detail)
{
    verdict(out, rule, impl, VCF_RPMSG_ACT_REFUSE, code, field, 0, detail);
    return finish(out, code);
}

static int refusev(vcf_rpmsg_output *out, vcf_rpmsg_rule rule, vcf_rpmsg_rule impl, vcf_status code,
                   const char *field, const char *detail, uint64_t expected, uint64_t actual,
                   bool hex)
{
    verdictv(out, rule, impl, VCF_RPMSG_ACT_REFUSE, code, field, 0, detail, expected, actual, hex);
    return finish(out, code);
}

static bool is(const vcf_rpmsg_model *m, vcf_rpmsg_profile p)
{
    return m->cfg.profile == p;
}

/* ---- configuration ------------------------------------------------------------------------- */

#define F_NS_BIT       (UINT64_C(1) << VCF_RPMSG_F_NS)
#define F_V1_BIT       (UINT64_C(1) << VCF_VIRTIO_F_VERSION_1)
#define KNOWN_FEATURES (F_NS_BIT | F_V1_BIT)

void vcf_rpmsg_config_default(vcf_rpmsg_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->role = VCF_RPMSG_ROLE_DRIVER;
    cfg->profile = VCF_RPMSG_PROFILE_STRICT;
    cfg->features = KNOWN_FEATURES;
    cfg->legacy_order = VCF_LITTLE_ENDIAN;
    cfg->buf_size = VCF_RPMSG_DEFAULT_BUF_SIZE;
    cfg->tx_bufs = VCF_RPMSG_DEFAULT_BUFS;
}

vcf_byte_order vcf_rpmsg_link_order(uint64_t features, vcf_byte_order legacy_order)
{
    return (features & F_V1_BIT) ? VCF_LITTLE_ENDIAN : legacy_order;
}

uint64_t vcf_rpmsg_negotiate(vcf_rpmsg_profile profile, uint64_t offered)
{
    if (profile == VCF_RPMSG_PROFILE_OPENAMP)
        return offered;              /* RPMSG-INIT-02 */
    return offered & KNOWN_FEATURES; /* RPMSG-INIT-01 */
}

static const char *const role_names[] = {"driver", "device"};
static const char *const profile_names[] = {"strict", "linux", "openamp"};

const char *vcf_rpmsg_role_name(vcf_rpmsg_role role)
{
    return (unsigned)role < 2 ? role_names[role] : "?";
}

const char *vcf_rpmsg_profile_name(vcf_rpmsg_profile prof)
{
    return (unsigned)prof < 3 ? profile_names[prof] : "?";
}

int vcf_rpmsg_role_parse(const char *name, vcf_rpmsg_role *out)
{
    for (unsigned i = 0; i < 2; i++)
        if (strcmp(name, role_names[i]) == 0) {
            *out = (vcf_rpmsg_role)i;
            return VCF_OK;
        }
    return VCF_E_INVAL;
}

int vcf_rpmsg_profile_parse(const char *name, vcf_rpmsg_profile *out)
{
    for (unsigned i = 0; i < 3; i++)
        if (strcmp(name, profile_names[i]) == 0) {
            *out = (vcf_rpmsg_profile)i;
            return VCF_OK;
        }
    return VCF_E_INVAL;
}

int vcf_rpmsg_model_init(vcf_rpmsg_model *m, const vcf_rpmsg_config *cfg, vcf_error *err)
{
    vcf_rpmsg_config def;
    if (!cfg) {
        vcf_rpmsg_config_default(&def);
        cfg = &def;
    }
    if ((unsigned)cfg->role > VCF_RPMSG_ROLE_DEVICE)
        return vcf_fail(err, VCF_E_INVAL, "role", 0, "role must be driver or device");
    if ((unsigned)cfg->profile > VCF_RPMSG_PROFILE_OPENAMP)
        return vcf_fail(err, VCF_E_INVAL, "profile", 0, "profile must be strict, linux or openamp");
    if (cfg->buf_size < VCF_RPMSG_HDR_SIZE || cfg->buf_size > VCF_RPMSG_MAX_FRAME)
        return vcf_failv(err, VCF_E_INVAL, "buf_size", 0,
                         "a buffer holds a 16-byte header and at most 65535 payload bytes",
                         VCF_RPMSG_DEFAULT_BUF_SIZE, cfg->buf_size);
    /* RPMSG-NS-01: a name-service message takes 16 + 40 bytes. With the name service
     * negotiated over smaller buffers, announcements could only go out larger than a buffer. */
    if ((cfg->features & F_NS_BIT) && cfg->buf_size < VCF_RPMSG_HDR_SIZE + VCF_RPMSG_NS_MSG_SIZE)
        return vcf_failv(err, VCF_E_INVAL, "buf_size", 0,
                         "with VIRTIO_RPMSG_F_NS negotiated a buffer must hold a name-service "
                         "message (56 bytes)",
                         VCF_RPMSG_HDR_SIZE + VCF_RPMSG_NS_MSG_SIZE, cfg->buf_size);
    if (cfg->profile != VCF_RPMSG_PROFILE_OPENAMP && (cfg->features & ~KNOWN_FEATURES)) {
        vcf_failv(err, VCF_E_INVAL, "features", 0,
                  "RPMSG-INIT-01: only VIRTIO_RPMSG_F_NS and VIRTIO_F_VERSION_1 can be negotiated",
                  KNOWN_FEATURES, cfg->features);
        if (err)
            err->flags |= VCF_ERROR_HEX;
        return VCF_E_INVAL;
    }

    uint32_t first = cfg->addr_first, last = cfg->addr_last;
    if (first == 0 && last == 0) {
        first = VCF_RPMSG_RESERVED_ADDRESSES;
        last = cfg->profile == VCF_RPMSG_PROFILE_LINUX ? VCF_RPMSG_LINUX_ADDR_MAX
               : cfg->profile == VCF_RPMSG_PROFILE_OPENAMP
                   ? VCF_RPMSG_RESERVED_ADDRESSES + VCF_RPMSG_OPENAMP_POOL - 1u
                   : ANY - 1u;
    }
    if (first > last || last == ANY)
        return vcf_failv(err, VCF_E_INVAL, "addr_last", 0,
                         "the address pool must be a non-empty range below ANY", first, last);

    memset(m, 0, sizeof *m);
    m->cfg = *cfg;
    m->cfg.addr_first = first;
    m->cfg.addr_last = last;
    m->pool_next = first;
    m->tx_free = cfg->tx_bufs;
    /* RPMSG-END-01; OpenAMP never converts (RPMSG-END-03). */
    m->order = cfg->profile == VCF_RPMSG_PROFILE_OPENAMP
                   ? cfg->legacy_order
                   : vcf_rpmsg_link_order(cfg->features, cfg->legacy_order);
    return VCF_OK;
}

/* ---- inspection ---------------------------------------------------------------------------- */

vcf_byte_order vcf_rpmsg_model_order(const vcf_rpmsg_model *m)
{
    return m->order;
}

bool vcf_rpmsg_model_ns(const vcf_rpmsg_model *m)
{
    return (m->cfg.features & F_NS_BIT) != 0;
}

uint32_t vcf_rpmsg_model_tx_free(const vcf_rpmsg_model *m)
{
    return m->tx_free;
}

size_t vcf_rpmsg_model_ept_count(const vcf_rpmsg_model *m)
{
    return m->n_epts;
}

const vcf_rpmsg_ept *vcf_rpmsg_model_ept_at(const vcf_rpmsg_model *m, size_t i)
{
    return i < m->n_epts ? &m->epts[i] : NULL;
}

/* Index of the first endpoint bound at addr, or n_epts. */
static size_t ept_index(const vcf_rpmsg_model *m, uint32_t addr)
{
    size_t i = 0;
    while (i < m->n_epts && m->epts[i].addr != addr)
        i++;
    return i;
}

static vcf_rpmsg_ept *ept_find(vcf_rpmsg_model *m, uint32_t addr)
{
    size_t i = ept_index(m, addr);
    return i < m->n_epts ? &m->epts[i] : NULL;
}

const vcf_rpmsg_ept *vcf_rpmsg_model_ept_find(const vcf_rpmsg_model *m, uint32_t addr)
{
    size_t i = ept_index(m, addr);
    return i < m->n_epts ? &m->epts[i] : NULL;
}

size_t vcf_rpmsg_model_channel_count(const vcf_rpmsg_model *m)
{
    return m->n_channels;
}

const vcf_rpmsg_channel *vcf_rpmsg_model_channel_at(const vcf_rpmsg_model *m, size_t i)
{
    return i < m->n_channels ? &m->channels[i] : NULL;
}

const vcf_rpmsg_verdict *vcf_rpmsg_output_find(const vcf_rpmsg_output *out, vcf_rpmsg_rule rule)
{
    for (size_t i = 0; i < out->n_verdicts; i++)
        if (out->verdicts[i].rule == rule)
            return &out->verdicts[i];
    return NULL;
}

const char *vcf_rpmsg_action_name(vcf_rpmsg_action action)
{
    static const char *const names[] = {"drop", "refuse", "note", "deviate"};
    return (unsigned)action < 4 ? names[action] : "?";
}

const char *vcf_rpmsg_event_name(vcf_rpmsg_event_type type)
{
    static const char *const names[] = {"deliver", "channel-created", "channel-destroyed",
                                        "endpoint-bound", "endpoint-unbound"};
    return (unsigned)type < 5 ? names[type] : "?";
}

/* ---- transmit ------------------------------------------------------------------------------ */

/* Put one message on the wire. The caller has checked the buffer count and the size. */
static void emit(vcf_rpmsg_model *m, uint32_t src, uint32_t dst, const void *payload, size_t len,
                 vcf_rpmsg_output *out)
{
    vcf_rpmsg_hdr hdr = {.src = src, .dst = dst, .len = (uint16_t)len}; /* HDR-04, HDR-05 */
    vcf_bytes body = {payload, len};
    int n = vcf_rpmsg_frame_encode(&hdr, body, m->order, m->txbuf, sizeof m->txbuf, NULL);
    VCF_ASSUME(n >= 0);
    m->tx_free--;
    out->has_tx = true;
    out->tx.vq = m->cfg.role == VCF_RPMSG_ROLE_DRIVER ? 1u : 0u; /* RPMSG-VQ-01 */
    out->tx.data = m->txbuf;
    out->tx.len = (size_t)n;
    /* RPMSG-HDR-13; OpenAMP reports the whole buffer (RPMSG-HDR-18). */
    out->tx.reported_len = is(m, VCF_RPMSG_PROFILE_OPENAMP) ? m->cfg.buf_size : (size_t)n;
}

/* Send the name-service message for ept. Returns false, with a TX-01 verdict, if no buffer. */
static bool send_ns(vcf_rpmsg_model *m, vcf_rpmsg_ept *ept, bool destroy, vcf_rpmsg_output *out)
{
    if (m->tx_free == 0) {
        verdict(out, VCF_RPMSG_TX_01, NONE, VCF_RPMSG_ACT_REFUSE, VCF_E_AGAIN, "tx_bufs", 0,
                destroy ? "no transmit buffer for the name-service destroy"
                        : "no transmit buffer for the name-service create");
        return false;
    }
    /* RPMSG-NS-01, NS-02 (sent from the endpoint), NS-05 (bit 0 only), NS-08 (zero-padded) */
    char name[VCF_RPMSG_NAME_SIZE + 1];
    memcpy(name, ept->name, ept->name_len);
    name[ept->name_len] = '\0';
    vcf_rpmsg_ns_msg ns;
    vcf_rpmsg_ns_init(&ns, name, ept->addr, destroy ? VCF_RPMSG_NS_DESTROY : VCF_RPMSG_NS_CREATE);
    uint8_t payload[VCF_RPMSG_NS_MSG_SIZE];
    int n = vcf_rpmsg_ns_encode(&ns, m->order, payload, sizeof payload, NULL);
    VCF_ASSUME(n == (int)VCF_RPMSG_NS_MSG_SIZE);
    emit(m, ept->addr, VCF_RPMSG_NS_ADDR, payload, sizeof payload, out);
    ept->announced = !destroy;
    return true;
}

/* ---- receive: name service ----------------------------------------------------------------- */

static bool names_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    return alen == blen && memcmp(a, b, alen) == 0;
}

/* Channel matching. Linux treats an announced address of ANY as a wildcard in the query
 * (rpmsg_device_match, RPMSG-NS-21); the others compare exactly. */
static vcf_rpmsg_channel *channel_find(vcf_rpmsg_model *m, const uint8_t *name, size_t len,
                                       uint32_t addr)
{
    bool wildcard = is(m, VCF_RPMSG_PROFILE_LINUX) && addr == ANY;
    for (size_t i = 0; i < m->n_channels; i++) {
        vcf_rpmsg_channel *c = &m->channels[i];
        if (names_equal(c->name, c->name_len, name, len) && (wildcard || c->addr == addr))
            return c;
    }
    return NULL;
}

static bool channel_add(vcf_rpmsg_model *m, const uint8_t *name, size_t len, uint32_t addr)
{
    if (m->n_channels == VCF_RPMSG_MAX_CHANNELS)
        return false;
    vcf_rpmsg_channel *c = &m->channels[m->n_channels++];
    memset(c, 0, sizeof *c);
    memcpy(c->name, name, len);
    c->name_len = len;
    c->addr = addr;
    return true;
}

static void channel_remove(vcf_rpmsg_model *m, vcf_rpmsg_channel *c)
{
    size_t i = (size_t)(c - m->channels);
    memmove(c, c + 1, (m->n_channels - i - 1) * sizeof *c);
    m->n_channels--;
}

/* OpenAMP's rpmsg_get_endpoint(name, ANY, addr): an endpoint of that name already bound to
 * addr, else one of that name that is unbound. */
static vcf_rpmsg_ept *openamp_ept_for(vcf_rpmsg_model *m, const uint8_t *name, size_t len,
                                      uint32_t addr)
{
    vcf_rpmsg_ept *unbound = NULL;
    for (size_t i = 0; i < m->n_epts; i++) {
        vcf_rpmsg_ept *e = &m->epts[i];
        if (!names_equal(e->name, e->name_len, name, len))
            continue;
        if (e->dest == addr)
            return e;
        if (e->dest == ANY && !unbound)
            unbound = e;
    }
    return unbound;
}

#define NS_OFF(field) (VCF_RPMSG_HDR_SIZE + (field))

static int ns_create(vcf_rpmsg_model *m, const uint8_t *name, size_t len, uint32_t addr,
                     vcf_rpmsg_output *out)
{
    bool linux_p = is(m, VCF_RPMSG_PROFILE_LINUX), oa = is(m, VCF_RPMSG_PROFILE_OPENAMP);

    if (addr == ANY || addr == VCF_RPMSG_NS_ADDR) {
        const char *why = "an announced address must be one a message can be sent to";
        if (!linux_p && !oa)
            return dropv(out, VCF_RPMSG_NS_19, NONE, VCF_E_RANGE, "ns.addr", NS_OFF(32), why, ANY,
                         addr, true);
        /* Neither stack checks the address (RPMSG-NS-21, NS-22). */
        verdictv(out, VCF_RPMSG_NS_19, linux_p ? VCF_RPMSG_NS_21 : VCF_RPMSG_NS_22,
                 VCF_RPMSG_ACT_DEVIATE, VCF_E_RANGE, "ns.addr", NS_OFF(32), why, ANY, addr, true);
    }

    vcf_rpmsg_channel *dup = channel_find(m, name, len, addr);
    if (oa) {
        /* RPMSG-NS-22: bind a matching endpoint, else tell the application (every time). */
        if (!dup)
            (void)channel_add(m, name, len, addr);
        vcf_rpmsg_ept *e = openamp_ept_for(m, name, len, addr);
        if (e) {
            e->dest = addr;
            event(out, VCF_RPMSG_EV_EPT_BOUND, e->addr, addr, name, len);
            verdict(out, VCF_RPMSG_NS_09, VCF_RPMSG_NS_22, VCF_RPMSG_ACT_DEVIATE, VCF_OK, "ns.name",
                    NS_OFF(0), "OpenAMP binds a local endpoint of that name instead");
            return finish(out, VCF_OK);
        }
        event(out, VCF_RPMSG_EV_CHANNEL_CREATED, ANY, addr, name, len);
        if (dup)
            verdict(out, VCF_RPMSG_NS_10, VCF_RPMSG_NS_22, VCF_RPMSG_ACT_DEVIATE, VCF_E_DUPLICATE,
                    "ns.name", NS_OFF(0), "OpenAMP reports a repeated create again");
        return finish(out, VCF_OK);
    }

    if (dup) /* RPMSG-NS-10 */
        return drop(out, VCF_RPMSG_NS_10, NONE, VCF_E_DUPLICATE, "ns.name", NS_OFF(0),
                    "this name and address are already announced");
    if (!channel_add(m, name, len, addr)) /* RPMSG-EP-04 */
        return dropv(out, VCF_RPMSG_EP_04, NONE, VCF_E_EXHAUSTED, "ns.name", NS_OFF(0),
                     "no room for another channel", VCF_RPMSG_MAX_CHANNELS, m->n_channels, false);
    event(out, VCF_RPMSG_EV_CHANNEL_CREATED, ANY, addr, name, len); /* NS-09 */
    return finish(out, VCF_OK);
}

static int ns_destroy(vcf_rpmsg_model *m, const uint8_t *name, size_t len, uint32_t addr,
                      vcf_rpmsg_output *out)
{
    vcf_rpmsg_channel *c = channel_find(m, name, len, addr);

    if (is(m, VCF_RPMSG_PROFILE_OPENAMP)) {
        /* RPMSG-NS-23: unbind, never destroy; the application hears of it in any case. */
        if (c)
            channel_remove(m, c);
        vcf_rpmsg_ept *e = openamp_ept_for(m, name, len, addr);
        if (e && e->dest != ANY) {
            e->dest = ANY;
            event(out, VCF_RPMSG_EV_EPT_UNBOUND, e->addr, addr, name, len);
        }
        event(out, VCF_RPMSG_EV_CHANNEL_DESTROYED, ANY, addr, name, len);
        if (!c)
            verdict(out, VCF_RPMSG_NS_12, VCF_RPMSG_NS_23, VCF_RPMSG_ACT_DEVIATE, VCF_E_NOTFOUND,
                    "ns.name", NS_OFF(0), "OpenAMP reports the destroy of an unknown channel");
        return finish(out, VCF_OK);
    }

    if (!c) /* RPMSG-NS-12 */
        return drop(out, VCF_RPMSG_NS_12, NONE, VCF_E_NOTFOUND, "ns.name", NS_OFF(0),
                    "no channel of this name and address was announced");
    uint32_t caddr = c->addr;
    channel_remove(m, c);
    event(out, VCF_RPMSG_EV_CHANNEL_DESTROYED, ANY, caddr, name, len); /* NS-11 */
    return finish(out, VCF_OK);
}

/* The codec's rule checks, as notes against the sender: the codec decides what is wrong and
 * which rule it breaks; offsets are moved by base to count from the frame. */
static void codec_notes(const vcf_error *errs, size_t n, size_t base, vcf_rpmsg_output *out)
{
    for (size_t i = 0; i < n; i++) {
        vcf_error *e = verdict(out, vcf_rpmsg_rule_lookup(errs[i].rule), NONE, VCF_RPMSG_ACT_NOTE,
                               errs[i].code, NULL, 0, NULL);
        if (e) {
            *e = errs[i];
            e->offset += base;
        }
    }
}

/* Notes about a name-service message the peer should not have sent that way. */
static void ns_notes(const vcf_rpmsg_ns_msg *ns, uint32_t src, vcf_rpmsg_output *out)
{
    vcf_error errs[3];
    size_t n = vcf_rpmsg_ns_check(ns, errs, 3);
    codec_notes(errs, n < 3 ? n : 3, VCF_RPMSG_HDR_SIZE, out);
    if (src != ns->addr)
        verdictv(out, VCF_RPMSG_NS_02, NONE, VCF_RPMSG_ACT_NOTE, VCF_E_RANGE, "src", 0,
                 "a name-service message is sent from the announced endpoint", ns->addr, src, true);
}

static int ns_rx(vcf_rpmsg_model *m, const vcf_rpmsg_hdr *hdr, vcf_bytes payload,
                 vcf_rpmsg_output *out)
{
    vcf_rpmsg_ns_msg ns;
    vcf_error err;
    int rc = vcf_rpmsg_ns_parse(payload.ptr, payload.len, m->order, &ns, &err);
    if (rc < 0) { /* RPMSG-NS-03 */
        return dropv(out, VCF_RPMSG_NS_03, NONE, err.code, "len", 12,
                     rc == VCF_E_NONSTANDARD
                         ? "a 72-byte vendor name-service variant, not the standard one"
                         : "a name-service payload is exactly 40 bytes",
                     VCF_RPMSG_NS_MSG_SIZE, payload.len, false);
    }
    ns_notes(&ns, hdr->src, out);

    /* RPMSG-NS-07: the name ends at its first NUL or after 32 bytes. */
    size_t len = vcf_rpmsg_ns_name_len(&ns);
    if (len == VCF_RPMSG_NAME_SIZE && is(m, VCF_RPMSG_PROFILE_LINUX)) {
        len = VCF_RPMSG_NAME_SIZE - 1u; /* RPMSG-NS-20: name[31] = 0 */
        verdict(out, VCF_RPMSG_NS_07, VCF_RPMSG_NS_20, VCF_RPMSG_ACT_DEVIATE, VCF_E_UNTERMINATED,
                "ns.name", NS_OFF(31), "Linux overwrites the 32nd character with a NUL");
    }
    /* RPMSG-NS-04, NS-06: bit 0 alone decides. */
    if (ns.flags & VCF_RPMSG_NS_DESTROY)
        return ns_destroy(m, ns.name, len, ns.addr, out);
    return ns_create(m, ns.name, len, ns.addr, out);
}

/* ---- receive: dispatch --------------------------------------------------------------------- */

static int dispatch(vcf_rpmsg_model *m, const vcf_rpmsg_hdr *hdr, vcf_bytes payload,
                    vcf_rpmsg_output *out)
{
    /* RPMSG-HDR-06: reserved and flags are noted against the sender (HDR-04, HDR-05), never
     * acted on. */
    vcf_rpmsg_frame frame = {.hdr = *hdr, .payload = payload};
    vcf_error errs[2];
    size_t n = vcf_rpmsg_frame_check(&frame, errs, 2);
    codec_notes(errs, n < 2 ? n : 2, 0, out);

    if (hdr->dst == ANY) /* RPMSG-ADDR-03 */
        return dropv(out, VCF_RPMSG_ADDR_03, NONE, VCF_E_RANGE, "dst", 4,
                     "no endpoint is bound to ANY; RPMsg has no broadcast", ANY, hdr->dst, true);

    /* RPMSG-NS-13: without the feature, 53 is an ordinary address. */
    if (hdr->dst == VCF_RPMSG_NS_ADDR && vcf_rpmsg_model_ns(m))
        return ns_rx(m, hdr, payload, out);

    vcf_rpmsg_ept *e = ept_find(m, hdr->dst);
    if (!e) /* RPMSG-EP-02 */
        return dropv(out, VCF_RPMSG_EP_02, NONE, VCF_E_NOTFOUND, "dst", 4,
                     hdr->dst == VCF_RPMSG_NS_ADDR
                         ? "no endpoint at 53: the name service is not negotiated"
                         : "no endpoint is bound at this address",
                     ANY, hdr->dst, true);

    if (hdr->src == ANY) /* the sender broke RPMSG-ADDR-02; src is passed on as it is */
        verdictv(out, VCF_RPMSG_ADDR_02, NONE, VCF_RPMSG_ACT_NOTE, VCF_E_RANGE, "src", 0,
                 "a message cannot come from ANY", 0, hdr->src, true);

    /* RPMSG-EP-01, HDR-10 (len 0 is delivered too) */
    vcf_rpmsg_event *ev = event(out, VCF_RPMSG_EV_DELIVER, e->addr, hdr->src, e->name, e->name_len);
    ev->payload = payload;
    ev->claimed_len = hdr->len;

    if (is(m, VCF_RPMSG_PROFILE_OPENAMP) && e->dest == ANY && hdr->src != ANY) {
        e->dest = hdr->src; /* RPMSG-EP-06 */
        event(out, VCF_RPMSG_EV_EPT_BOUND, e->addr, hdr->src, e->name, e->name_len);
        verdict(out, VCF_RPMSG_EP_01, VCF_RPMSG_EP_06, VCF_RPMSG_ACT_DEVIATE, VCF_OK, "src", 0,
                "OpenAMP takes the first source as the endpoint's destination");
    }
    return finish(out, VCF_OK);
}

/* ---- receive: buffer checks ---------------------------------------------------------------- */

/*
 * Read the message the way a stack that does not check lengths does: the header from the
 * first 16 bytes of the buffer (bytes the caller did not supply read as zero, like a zeroed
 * buffer) and len payload bytes after it, of which only those inside the buffer can be shown.
 */
static int unchecked(vcf_rpmsg_model *m, const vcf_rpmsg_rxbuf *rx, size_t cap,
                     vcf_rpmsg_output *out)
{
    uint8_t raw[VCF_RPMSG_HDR_SIZE] = {0};
    size_t have = rx->data_len < cap ? rx->data_len : cap;
    if (have)
        memcpy(raw, rx->data, have < sizeof raw ? have : sizeof raw);
    vcf_rpmsg_hdr hdr;
    (void)vcf_rpmsg_hdr_decode(raw, sizeof raw, m->order, &hdr, NULL);
    size_t body = have > VCF_RPMSG_HDR_SIZE ? have - VCF_RPMSG_HDR_SIZE : 0;
    vcf_bytes payload = {NULL, hdr.len < body ? hdr.len : body};
    if (payload.len)
        payload.ptr = rx->data + VCF_RPMSG_HDR_SIZE;
    return dispatch(m, &hdr, payload, out);
}

int vcf_rpmsg_model_rx(vcf_rpmsg_model *m, const vcf_rpmsg_rxbuf *rx, vcf_rpmsg_output *out)
{
    out_reset(out);
    size_t cap = rx->capacity ? rx->capacity : m->cfg.buf_size;
    size_t used = rx->used_len;
    size_t need = used < cap ? used : cap;
    if ((!rx->data && rx->data_len) || rx->data_len < need) /* a harness error, not a rule */
        return refusev(out, NONE, NONE, VCF_E_INVAL, "data_len",
                       "the input holds fewer bytes than the used length", need, rx->data_len,
                       false);
    out->rx_returned = true; /* RPMSG-HDR-12 */
    out->rx_continue = true;

    bool linux_p = is(m, VCF_RPMSG_PROFILE_LINUX);

    if (is(m, VCF_RPMSG_PROFILE_OPENAMP)) {
        /* RPMSG-HDR-16: OpenAMP checks no length; say which rule that skips. */
        if (used > cap || used < VCF_RPMSG_HDR_SIZE)
            verdictv(out, used > cap ? VCF_RPMSG_HDR_09 : VCF_RPMSG_HDR_07, VCF_RPMSG_HDR_16,
                     VCF_RPMSG_ACT_DEVIATE, used > cap ? VCF_E_TOO_LARGE : VCF_E_TRUNCATED,
                     "used_len", 0, "OpenAMP does not look at the used length", cap, used, false);
        else {
            vcf_rpmsg_frame f;
            vcf_error err;
            if (vcf_rpmsg_frame_parse(rx->data, used, m->order, &f, &err) < 0)
                verdictv(out, VCF_RPMSG_HDR_08, VCF_RPMSG_HDR_16, VCF_RPMSG_ACT_DEVIATE, err.code,
                         "len", 12,
                         "OpenAMP passes len on without comparing it with the used length",
                         err.expected, err.actual, false);
        }
        return unchecked(m, rx, cap, out);
    }

    if (used > cap) { /* RPMSG-HDR-09; Linux keeps the buffer and stops (HDR-14) */
        if (linux_p)
            out->rx_returned = out->rx_continue = false;
        return dropv(out, VCF_RPMSG_HDR_09, linux_p ? VCF_RPMSG_HDR_14 : NONE, VCF_E_TOO_LARGE,
                     "used_len", 0, "the used length is larger than the posted buffer", cap, used,
                     false);
    }
    if (used < VCF_RPMSG_HDR_SIZE) {
        if (!linux_p) /* RPMSG-HDR-07 */
            return dropv(out, VCF_RPMSG_HDR_07, NONE, VCF_E_TRUNCATED, "used_len", 0,
                         "a buffer shorter than the 16-byte header", VCF_RPMSG_HDR_SIZE, used,
                         false);
        /* RPMSG-HDR-15: Linux's unsigned check wraps and lets the message through. */
        verdictv(out, VCF_RPMSG_HDR_07, VCF_RPMSG_HDR_15, VCF_RPMSG_ACT_DEVIATE, VCF_E_TRUNCATED,
                 "used_len", 0, "Linux's length check wraps below 16 bytes", VCF_RPMSG_HDR_SIZE,
                 used, false);
        return unchecked(m, rx, cap, out);
    }

    vcf_rpmsg_frame f;
    vcf_error err;
    if (vcf_rpmsg_frame_parse(rx->data, used, m->order, &f, &err) < 0) { /* RPMSG-HDR-08 */
        if (linux_p)
            out->rx_returned = out->rx_continue = false; /* RPMSG-HDR-14 */
        vcf_error *e = verdict(out, VCF_RPMSG_HDR_08, linux_p ? VCF_RPMSG_HDR_14 : NONE,
                               VCF_RPMSG_ACT_DROP, err.code, err.field, err.offset, err.detail);
        if (e)
            *e = err;
        return finish(out, err.code);
    }
    /* RPMSG-HDR-11: f.slack bytes after the payload are ignored. */
    return dispatch(m, &f.hdr, f.payload, out);
}

/* ---- upper-layer requests ------------------------------------------------------------------ */

static bool addr_in_use(const vcf_rpmsg_model *m, uint32_t addr)
{
    return vcf_rpmsg_model_ept_find(m, addr) != NULL;
}

static bool addr_free_dynamic(const vcf_rpmsg_model *m, uint32_t a)
{
    return !addr_in_use(m, a) && !(a == VCF_RPMSG_NS_ADDR && vcf_rpmsg_model_ns(m));
}

/* A dynamic address: the lowest free one (strict, Linux idr_alloc), or next-fit from the last
 * one handed out (OpenAMP). Returns ANY when the pool is exhausted (RPMSG-ADDR-07). */
static uint32_t alloc_addr(vcf_rpmsg_model *m)
{
    uint32_t first = m->cfg.addr_first, last = m->cfg.addr_last;
    uint32_t start = is(m, VCF_RPMSG_PROFILE_OPENAMP) ? m->pool_next : first;
    /* At most n_epts + 2 candidates can be taken, so the scan is short. */
    uint32_t a = start;
    for (size_t tries = 0; tries <= m->n_epts + 1u; tries++) {
        if (addr_free_dynamic(m, a)) {
            m->pool_next = a == last ? first : a + 1u;
            return a;
        }
        if (a == last) {
            if (start == first)
                break;
            a = first;
        } else {
            a++;
        }
        if (a == start)
            break;
    }
    return ANY;
}

int vcf_rpmsg_model_create(vcf_rpmsg_model *m, const char *name, uint32_t addr, uint32_t dest,
                           vcf_rpmsg_output *out)
{
    out_reset(out);
    bool linux_p = is(m, VCF_RPMSG_PROFILE_LINUX), oa = is(m, VCF_RPMSG_PROFILE_OPENAMP);
    size_t nlen = 0; /* bounded: the name may be any length */
    while (name && nlen < VCF_RPMSG_NAME_SIZE && name[nlen])
        nlen++;

    if (nlen >= VCF_RPMSG_NAME_SIZE) { /* RPMSG-NS-08: a name must leave room for its NUL */
        if (!linux_p)
            return refusev(out, VCF_RPMSG_NS_08, NONE, VCF_E_TOO_LARGE, "name",
                           "an endpoint name has at most 31 characters", VCF_RPMSG_NAME_SIZE - 1u,
                           strlen(name), false);
        /* RPMSG-NS-27: Linux keeps the first 31 characters. */
        verdictv(out, VCF_RPMSG_NS_08, VCF_RPMSG_NS_27, VCF_RPMSG_ACT_DEVIATE, VCF_E_TOO_LARGE,
                 "name", 0, "Linux cuts the name to 31 characters", VCF_RPMSG_NAME_SIZE - 1u,
                 strlen(name), false);
        nlen = VCF_RPMSG_NAME_SIZE - 1u;
    }
    if (m->n_epts == VCF_RPMSG_MAX_EPTS) /* RPMSG-EP-04 */
        return refusev(out, VCF_RPMSG_EP_04, NONE, VCF_E_EXHAUSTED, "addr",
                       "no room for another endpoint", VCF_RPMSG_MAX_EPTS, m->n_epts, false);

    if (addr == ANY) {
        addr = alloc_addr(m);
        if (addr == ANY) /* RPMSG-ADDR-07 */
            return refusev(out, VCF_RPMSG_ADDR_07, NONE, VCF_E_EXHAUSTED, "addr",
                           "every dynamic address is bound", m->cfg.addr_last, ANY, true);
    } else if (addr == VCF_RPMSG_NS_ADDR && vcf_rpmsg_model_ns(m)) { /* RPMSG-ADDR-06 */
        return refusev(out, VCF_RPMSG_ADDR_06, NONE, VCF_E_INUSE, "addr",
                       "53 belongs to the name service", ANY, addr, true);
    } else if (linux_p && addr > VCF_RPMSG_LINUX_ADDR_MAX) { /* RPMSG-ADDR-08 */
        return refusev(out, VCF_RPMSG_ADDR_08, VCF_RPMSG_ADDR_08, VCF_E_RANGE, "addr",
                       "Linux cannot bind an address above INT_MAX", VCF_RPMSG_LINUX_ADDR_MAX, addr,
                       true);
    } else if (oa && addr > m->cfg.addr_last) { /* RPMSG-ADDR-09 */
        return refusev(out, VCF_RPMSG_ADDR_09, VCF_RPMSG_ADDR_09, VCF_E_RANGE, "addr",
                       "OpenAMP cannot bind an address above its pool", m->cfg.addr_last, addr,
                       true);
    } else if (addr_in_use(m, addr)) {
        if (!(oa && addr < VCF_RPMSG_RESERVED_ADDRESSES)) /* RPMSG-ADDR-05 */
            return refusev(out, VCF_RPMSG_ADDR_05, NONE, VCF_E_INUSE, "addr",
                           "an endpoint is already bound at this address", ANY, addr, true);
        verdictv(out, VCF_RPMSG_ADDR_05, VCF_RPMSG_ADDR_09, VCF_RPMSG_ACT_DEVIATE, VCF_E_INUSE,
                 "addr", 0, "OpenAMP does not check predefined addresses", ANY, addr, true);
    }

    vcf_rpmsg_ept *e = &m->epts[m->n_epts++];
    memset(e, 0, sizeof *e);
    e->addr = addr;
    e->dest = dest;
    if (nlen)
        memcpy(e->name, name, nlen);
    e->name_len = nlen;
    out->addr = addr;

    /* Which side announces. strict: the device announces its named services (RPMSG-NS-15);
     * OpenAMP: every named endpoint without a destination, either role (NS-24); Linux: only
     * on request (NS-25). */
    bool ns = vcf_rpmsg_model_ns(m) && nlen > 0;
    bool strict_would = ns && m->cfg.role == VCF_RPMSG_ROLE_DEVICE;
    bool will = oa ? ns && dest == ANY : linux_p ? false : strict_would;
    if (will != strict_would)
        verdict(out, VCF_RPMSG_NS_15, oa ? VCF_RPMSG_NS_24 : VCF_RPMSG_NS_25, VCF_RPMSG_ACT_DEVIATE,
                VCF_OK, "name", 0,
                will ? "this stack announces the endpoint" : "this stack does not announce it");
    if (will)
        (void)send_ns(m, e, false, out);
    return finish(out, VCF_OK);
}

int vcf_rpmsg_model_destroy(vcf_rpmsg_model *m, uint32_t addr, vcf_rpmsg_output *out)
{
    out_reset(out);
    vcf_rpmsg_ept *e = ept_find(m, addr);
    if (!e) /* RPMSG-EP-03 */
        return refusev(out, VCF_RPMSG_EP_03, NONE, VCF_E_NOTFOUND, "addr",
                       "no endpoint is bound at this address", ANY, addr, true);

    /* RPMSG-NS-17; OpenAMP withdraws named endpoints from 1024 up only (RPMSG-NS-24). */
    bool strict_would = e->announced && vcf_rpmsg_model_ns(m);
    bool will = strict_would;
    if (is(m, VCF_RPMSG_PROFILE_OPENAMP)) {
        will = e->name_len > 0 && vcf_rpmsg_model_ns(m) && addr >= VCF_RPMSG_RESERVED_ADDRESSES;
        if (will != strict_would)
            verdict(out, VCF_RPMSG_NS_17, VCF_RPMSG_NS_24, VCF_RPMSG_ACT_DEVIATE, VCF_OK, "addr", 0,
                    will ? "OpenAMP withdraws a named endpoint it may not have announced"
                         : "OpenAMP does not withdraw endpoints below 1024");
    }
    if (will)
        (void)send_ns(m, e, true, out);

    size_t i = (size_t)(e - m->epts);
    memmove(e, e + 1, (m->n_epts - i - 1) * sizeof *e); /* RPMSG-EP-03 */
    m->n_epts--;
    out->addr = addr;
    return finish(out, VCF_OK);
}

int vcf_rpmsg_model_send(vcf_rpmsg_model *m, uint32_t src, uint32_t dst, const void *payload,
                         size_t len, vcf_rpmsg_output *out)
{
    out_reset(out);
    bool oa = is(m, VCF_RPMSG_PROFILE_OPENAMP);
    if (!payload && len)
        return refuse(out, VCF_RPMSG_HDR_02, NONE, VCF_E_INVAL, "payload", "no payload bytes");

    if (dst == ANY) /* RPMSG-ADDR-01 */
        return refusev(out, VCF_RPMSG_ADDR_01, NONE, VCF_E_RANGE, "dst", "RPMsg has no broadcast",
                       0, dst, true);
    /* RPMSG-NS-01, ADDR-06: with the name service, whatever goes to 53 is a name-service
     * message; an upper layer's payload sent there would be a malformed one on the wire. */
    if (dst == VCF_RPMSG_NS_ADDR && vcf_rpmsg_model_ns(m))
        return refusev(out, VCF_RPMSG_NS_01, NONE, VCF_E_INVAL, "dst",
                       "53 belongs to the name service: endpoints are announced with create and "
                       "announce, not sent to 53",
                       ANY, dst, true);
    if (src == ANY) { /* RPMSG-ADDR-02; OpenAMP sends it (ADDR-10) */
        if (!oa)
            return refusev(out, VCF_RPMSG_ADDR_02, NONE, VCF_E_RANGE, "src",
                           "a message cannot come from ANY", 0, src, true);
        verdictv(out, VCF_RPMSG_ADDR_02, VCF_RPMSG_ADDR_10, VCF_RPMSG_ACT_DEVIATE, VCF_E_RANGE,
                 "src", 0, "OpenAMP sends from ANY", 0, src, true);
    } else if (!oa && !ept_find(m, src)) { /* RPMSG-EP-05 */
        return refusev(out, VCF_RPMSG_EP_05, NONE, VCF_E_NOTFOUND, "src",
                       "no local endpoint is bound at the source address", ANY, src, true);
    }

    size_t max = m->cfg.buf_size - VCF_RPMSG_HDR_SIZE;
    if (len > max) { /* RPMSG-HDR-03; OpenAMP truncates (HDR-17) */
        if (!oa)
            return refusev(out, VCF_RPMSG_HDR_03, NONE, VCF_E_TOO_LARGE, "len",
                           "the payload does not fit in one buffer", max, len, false);
        verdictv(out, VCF_RPMSG_HDR_03, VCF_RPMSG_HDR_17, VCF_RPMSG_ACT_DEVIATE, VCF_E_TOO_LARGE,
                 "len", 0, "OpenAMP sends the first buffer-full and drops the rest", max, len,
                 false);
        len = max;
    }
    if (m->tx_free == 0) /* RPMSG-TX-01 */
        return refuse(out, VCF_RPMSG_TX_01, NONE, VCF_E_AGAIN, "tx_bufs",
                      "every transmit buffer is with the peer");
    emit(m, src, dst, payload, len, out);
    return finish(out, VCF_OK);
}

int vcf_rpmsg_model_announce(vcf_rpmsg_model *m, uint32_t addr, bool destroy, vcf_rpmsg_output *out)
{
    out_reset(out);
    bool linux_p = is(m, VCF_RPMSG_PROFILE_LINUX);
    if (!vcf_rpmsg_model_ns(m) && !linux_p) /* RPMSG-NS-14 */
        return refuse(out, VCF_RPMSG_NS_14, NONE, VCF_E_UNSUPPORTED, "features",
                      "VIRTIO_RPMSG_F_NS was not negotiated");
    vcf_rpmsg_ept *e = ept_find(m, addr);
    if (!e) /* RPMSG-NS-18 */
        return refusev(out, VCF_RPMSG_NS_18, NONE, VCF_E_NOTFOUND, "addr",
                       "only a bound endpoint can be announced", ANY, addr, true);
    if (e->name_len == 0)
        return refuse(out, VCF_RPMSG_NS_18, NONE, VCF_E_INVAL, "name",
                      "only a named endpoint can be announced");
    if (!vcf_rpmsg_model_ns(m)) { /* RPMSG-NS-26: Linux reports success and sends nothing */
        verdict(out, VCF_RPMSG_NS_14, VCF_RPMSG_NS_26, VCF_RPMSG_ACT_DEVIATE, VCF_OK, "features", 0,
                "Linux announces nothing without VIRTIO_RPMSG_F_NS and reports success");
        out->addr = addr;
        return finish(out, VCF_OK);
    }
    if (!send_ns(m, e, destroy, out)) /* RPMSG-TX-01 */
        return finish(out, VCF_E_AGAIN);
    out->addr = addr;
    return finish(out, VCF_OK);
}

int vcf_rpmsg_model_tx_returned(vcf_rpmsg_model *m, uint32_t n, vcf_error *err)
{
    if (n > m->cfg.tx_bufs - m->tx_free) /* RPMSG-TX-02 */
        return vcf_failv(err, VCF_E_INVAL, "n", 0,
                         "RPMSG-TX-02: more buffers returned than are with the peer",
                         m->cfg.tx_bufs - m->tx_free, n);
    m->tx_free += n;
    return VCF_OK;
}
