/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the virtio-msg model tests (device, driver, bus, interop).
 *
 * Frames are assembled here byte by byte (th_put16/th_put32), never with the codec's encoder.
 * Every assertion on a verdict goes through expect_verdict(), which also records the rule as
 * tested; each test binary ends with expect_role_covered(), which fails if a MUST, SHOULD or
 * MAY rule of its role was neither exercised nor listed, with a reason, as not observable in
 * that role's model.
 */
#ifndef VCF_VMSG_MODEL_TEST_H
#define VCF_VMSG_MODEL_TEST_H

#include <stdbool.h>
#include <stdlib.h>

#include "vcf_test.h"

#include "vconform/vmsg_model.h"

#define R(x) VCF_VMSG_R_##x

static bool tested[VCF_VMSG_RULE_COUNT];

/* Mark a rule whose behaviour the calling test has just asserted without a verdict (bytes
 * sent, state reached). */
static inline void covers(vcf_vmsg_rule rule)
{
    tested[rule] = true;
}

static inline void th_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void th_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline void th_put64(uint8_t *p, uint64_t v)
{
    th_put32(p, (uint32_t)v);
    th_put32(p + 4, (uint32_t)(v >> 32));
}

static inline uint16_t th_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t th_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t th_get64(const uint8_t *p)
{
    return (uint64_t)th_get32(p) | ((uint64_t)th_get32(p + 4) << 32);
}

/* A message in buf: 8-byte header (msg_size = 8 + plen) then plen payload bytes. */
static inline size_t th_msg(uint8_t *buf, size_t cap, uint8_t type, uint8_t msg_id,
                            uint16_t dev_num, uint16_t token, const void *payload, size_t plen)
{
    assert_true(8 + plen <= cap);
    buf[0] = type;
    buf[1] = msg_id;
    th_put16(buf + 2, dev_num);
    th_put16(buf + 4, token);
    th_put16(buf + 6, (uint16_t)(8 + plen));
    if (plen)
        memcpy(buf + 8, payload, plen);
    return 8 + plen;
}

/* The only message out holds; fails unless there is exactly one. */
static inline const vcf_vmsg_tx *th_one_tx(const vcf_vmsg_output *out)
{
    if (out->n_tx != 1)
        fail_msg("expected one message, got %zu", out->n_tx);
    assert_int_equal(out->tx[0].len, th_get16(out->tx[0].data + 6));
    return &out->tx[0];
}

static inline void th_no_tx(const vcf_vmsg_output *out)
{
    if (out->n_tx != 0)
        fail_msg("expected silence, got %zu message(s), first msg_id 0x%02x", out->n_tx,
                 out->tx[0].data[1]);
}

static inline const vcf_vmsg_verdict *expect_verdict(const vcf_vmsg_output *out, vcf_vmsg_rule rule,
                                                     vcf_vmsg_action action)
{
    const vcf_vmsg_verdict *v = vcf_vmsg_output_find(out, rule);
    if (!v) {
        if (out->n_verdicts)
            fail_msg("no verdict for %s (first verdict: %s)", vcf_vmsg_rule_id(rule),
                     vcf_vmsg_rule_id(out->verdicts[0].rule));
        fail_msg("no verdict for %s", vcf_vmsg_rule_id(rule));
    }
    assert_int_equal(v->action, action);
    assert_non_null(v->error.rule); /* the error record cites the same rule */
    assert_string_equal(v->error.rule, vcf_vmsg_rule_id(rule));
    tested[rule] = true;
    if (v->impl != VCF_VMSG_RULE_NONE)
        tested[v->impl] = true;
    return v;
}

static inline void expect_impl(const vcf_vmsg_output *out, vcf_vmsg_rule rule, vcf_vmsg_rule impl,
                               vcf_vmsg_action action)
{
    const vcf_vmsg_verdict *v = expect_verdict(out, rule, action);
    assert_int_equal(v->impl, impl);
}

static inline void expect_no_verdict(const vcf_vmsg_output *out)
{
    if (out->n_verdicts)
        fail_msg("unexpected verdict %s (%s)", vcf_vmsg_rule_id(out->verdicts[0].rule),
                 vcf_vmsg_action_name(out->verdicts[0].action));
}

static inline const vcf_vmsg_event *expect_event(const vcf_vmsg_output *out,
                                                 vcf_vmsg_event_type type)
{
    const vcf_vmsg_event *ev = vcf_vmsg_output_event(out, type);
    if (!ev)
        fail_msg("no %s event", vcf_vmsg_event_name(type));
    return ev;
}

/* A deterministic generator for the long runs (xorshift32): seed it, then draw. */
static uint32_t th_rng_state = 0x12345678u;

static inline void th_seed(uint32_t seed)
{
    th_rng_state = seed ? seed : 1u;
}

static inline uint32_t th_rand(void)
{
    th_rng_state ^= th_rng_state << 13;
    th_rng_state ^= th_rng_state >> 17;
    th_rng_state ^= th_rng_state << 5;
    return th_rng_state;
}

/* A rule of the role that no test of this binary can observe, and why. */
typedef struct th_exempt {
    vcf_vmsg_rule rule;
    const char *why;
} th_exempt;

/*
 * Fail if a MUST/SHOULD/MAY rule whose actors include role (VCF_ACTOR_*) was not tested and is
 * not exempt, or if an exempt rule was tested after all (the list must stay honest). IMPL rules
 * count when the binary passes impl_too.
 */
static inline void expect_role_covered(unsigned role, const th_exempt *exempt, size_t n_exempt,
                                       bool impl_too)
{
    size_t missing = 0;
    for (unsigned r = 0; r < VCF_VMSG_RULE_COUNT; r++) {
        const vcf_rule *info = vcf_vmsg_rule_info((vcf_vmsg_rule)r);
        if (!(info->actors & role) || info->withdrawn)
            continue;
        if (info->level == VCF_LEVEL_IMPL && !impl_too)
            continue;
        bool is_exempt = false;
        for (size_t i = 0; i < n_exempt; i++)
            if (exempt[i].rule == (vcf_vmsg_rule)r) {
                is_exempt = true;
                assert_non_null(exempt[i].why);
            }
        if (is_exempt && tested[r])
            fail_msg("%s is listed as not observable but a test exercised it", info->id);
        if (!is_exempt && !tested[r]) {
            print_message("untested: %s %s\n", info->id, info->title);
            missing++;
        }
    }
    assert_int_equal(missing, 0);
}

#endif
