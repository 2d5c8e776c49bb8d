/* SPDX-License-Identifier: MIT */
/* The runner (run.c): matching observations against alternatives, and every way a case can
 * end, against a scripted fake adapter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "run.h"

/* ---- a scripted fake implementation --------------------------------------------------- */

typedef struct fake {
    int reset_rc, inject_rc, action_rc, poll_rc;
    int32_t action_status;
    uint64_t action_value;
    int idle;     /* value idle() returns; 1 = idle */
    bool endless; /* poll always has another message */
    /* what the next stimulus makes it emit */
    vcf_adapter_obs emit[4];
    size_t n_emit, next;
    uint8_t buf[4][16];
    int restarts;
    char why[64];
    uint8_t injected[16]; /* the last stimulus */
    size_t n_injected;
} fake;

static int f_reset(void *ud, uint32_t role, const vcf_adapter_param *p, size_t n, char *why,
                   size_t why_len)
{
    fake *f = ud;
    (void)role;
    (void)p;
    (void)n;
    if (f->reset_rc == VCF_ADAPTER_UNSUPPORTED)
        snprintf(why, why_len, "%s", "no such parameter");
    return f->reset_rc;
}

static int f_inject(void *ud, const vcf_adapter_msg *m)
{
    fake *f = ud;
    f->next = 0;
    f->n_injected = m->len < sizeof(f->injected) ? m->len : sizeof(f->injected);
    if (f->n_injected)
        memcpy(f->injected, m->data, f->n_injected);
    return f->inject_rc;
}

static int f_action(void *ud, const vcf_adapter_action *a, vcf_adapter_result *r)
{
    fake *f = ud;
    (void)a;
    f->next = 0;
    r->status = f->action_status;
    r->value = f->action_value;
    return f->action_rc;
}

static int f_poll(void *ud, vcf_adapter_obs *o)
{
    fake *f = ud;
    if (f->poll_rc < 0)
        return f->poll_rc;
    if (f->endless) {
        o->kind = VCF_OBS_MSG;
        o->msg.data = f->buf[0];
        o->msg.len = 4;
        return 1;
    }
    if (f->next >= f->n_emit)
        return 0;
    *o = f->emit[f->next++];
    return 1;
}

static int f_idle(void *ud)
{
    return ((fake *)ud)->idle;
}

static const char *f_last_error(void *ud)
{
    (void)ud;
    return "child killed by signal 11 (SIGSEGV)";
}

static int f_restart(void *ud)
{
    ((fake *)ud)->restarts++;
    return 0;
}

static void fake_init(fake *f, vcf_hadapter *h)
{
    memset(f, 0, sizeof(*f));
    f->idle = 1;
    memset(h, 0, sizeof(*h));
    h->ad.abi_version = VCF_ADAPTER_ABI_VERSION;
    h->ad.struct_size = sizeof(h->ad);
    h->ad.ud = f;
    h->ad.roles = VCF_IUT_ROLE_BIT(VCF_IUT_RPMSG_DRIVER);
    h->ad.caps = VCF_ADAPTER_CAP_EVENTS | VCF_ADAPTER_CAP_IDLE;
    h->ad.reset = f_reset;
    h->ad.inject = f_inject;
    h->ad.action = f_action;
    h->ad.poll = f_poll;
    h->ad.idle = f_idle;
    h->last_error = f_last_error;
    h->restart = f_restart;
}

/* The fake emits one message on vq1 with these bytes. */
static void fake_emit_msg(fake *f, const uint8_t *b, size_t n)
{
    memcpy(f->buf[f->n_emit], b, n);
    vcf_adapter_obs *o = &f->emit[f->n_emit];
    memset(o, 0, sizeof(*o));
    o->kind = VCF_OBS_MSG;
    o->msg.channel = 1;
    o->msg.data = f->buf[f->n_emit];
    o->msg.len = n;
    f->n_emit++;
}

static void fake_emit_event(fake *f, uint32_t type, uint64_t a0)
{
    vcf_adapter_obs *o = &f->emit[f->n_emit++];
    memset(o, 0, sizeof(*o));
    o->kind = VCF_OBS_EVENT;
    o->event.type = type;
    o->event.args[0] = a0;
}

/* ---- a one-step case built in memory -------------------------------------------------- */

typedef struct fixture {
    vcf_vfile file;
    vcf_group group;
    vcf_case c;
    vcf_step step;
    vcf_alternative alt;
    vcf_obs_match obs[2];
    uint8_t in[4], want[4], mask[4];
} fixture;

static const uint32_t EV_DELIVER = VCF_EVT_RPMSG_BASE + 0;
static const uint32_t EV_CREATED = VCF_EVT_RPMSG_BASE + 1;

static void fixture_init(fixture *x, vcf_step_kind kind)
{
    memset(x, 0, sizeof(*x));
    x->file.role = VCF_IUT_RPMSG_DRIVER;
    x->c.id = "test-case";
    x->c.level = VCF_LEVEL_MUST;
    x->c.steps = &x->step;
    x->c.n_steps = 1;
    x->group.cases = &x->c;
    x->group.n_cases = 1;
    x->step.kind = kind;
    memcpy(x->in, "\x01\x02\x03\x04", 4);
    memcpy(x->want, "\xaa\xbb\xcc\xdd", 4);
    x->step.bytes.data = x->in;
    x->step.bytes.len = 4;
    x->step.expect.alts = &x->alt;
    x->step.expect.n_alts = 1;
    x->alt.obs = x->obs;
}

static void expect_msg(fixture *x, size_t i)
{
    x->obs[i].kind = VCF_OBS_MSG;
    x->obs[i].msg.channel = 1;
    x->obs[i].msg.bytes.data = x->want;
    x->obs[i].msg.bytes.len = 4;
    x->alt.n_obs = i + 1;
}

static void expect_event(fixture *x, size_t i, uint32_t type, uint64_t a0)
{
    x->obs[i].kind = VCF_OBS_EVENT;
    x->obs[i].event.type = type;
    x->obs[i].event.args_set = 1;
    x->obs[i].event.args[0] = a0;
    x->alt.n_obs = i + 1;
}

static vcf_case_status run(fixture *x, vcf_hadapter *h, vcf_case_result *r)
{
    vcf_run_options opt = {0.2, true};
    vcf_run_case(h, &x->file, &x->group, &x->c, &opt, r);
    return r->status;
}

/* ---- tests ------------------------------------------------------------------------------ */

static void test_pass_exact(void **state)
{
    (void)state;
    fixture x;
    fake f;
    vcf_hadapter h;
    fixture_init(&x, VCF_STEP_INJECT);
    fake_init(&f, &h);
    expect_msg(&x, 0);
    fake_emit_msg(&f, x.want, 4);
    vcf_case_result r;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_PASS);
    assert_null(r.message);
    /* transcript: the injected message, then the emitted one */
    assert_int_equal(r.n_tx, 2);
    assert_int_equal(r.tx[0].dir, VCF_DIR_TO_IUT);
    assert_memory_equal(r.tx[0].data, x.in, 4);
    assert_int_equal(r.tx[1].dir, VCF_DIR_FROM_IUT);
    assert_memory_equal(r.tx[1].data, x.want, 4);
    vcf_case_result_free(&r);
}

static void test_wrong_bytes_fail_with_both_sides(void **state)
{
    (void)state;
    fixture x;
    fake f;
    vcf_hadapter h;
    fixture_init(&x, VCF_STEP_INJECT);
    fake_init(&f, &h);
    expect_msg(&x, 0);
    fake_emit_msg(&f, (const uint8_t *)"\xaa\xbb\xcc\xde", 4);
    vcf_case_result r;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_FAIL);
    assert_non_null(strstr(r.message, "expected"));
    assert_non_null(strstr(r.message, "aabbccdd"));
    assert_non_null(strstr(r.message, "aabbccde"));
    assert_int_equal(r.failed_step, 0);
    vcf_case_result_free(&r);
}

static void test_mask_ignores_bits(void **state)
{
    (void)state;
    fixture x;
    fake f;
    vcf_hadapter h;
    fixture_init(&x, VCF_STEP_INJECT);
    fake_init(&f, &h);
    expect_msg(&x, 0);
    memcpy(x.mask, "\xff\xff\xff\xf0", 4);
    x.obs[0].msg.mask.data = x.mask;
    x.obs[0].msg.mask.len = 4;
    fake_emit_msg(&f, (const uint8_t *)"\xaa\xbb\xcc\xd7", 4);
    vcf_case_result r;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_PASS);
    vcf_case_result_free(&r);
    /* a masked-in bit still counts */
    f.n_emit = 0;
    fake_emit_msg(&f, (const uint8_t *)"\xaa\xbb\xcc\xcd", 4);
    assert_int_equal(run(&x, &h, &r), VCF_CASE_FAIL);
    vcf_case_result_free(&r);
}

static void test_silence_and_extra_messages(void **state)
{
    (void)state;
    fixture x;
    fake f;
    vcf_hadapter h;
    fixture_init(&x, VCF_STEP_INJECT);
    fake_init(&f, &h);
    vcf_case_result r;
    /* silence expected, silence observed */
    assert_int_equal(run(&x, &h, &r), VCF_CASE_PASS);
    vcf_case_result_free(&r);
    /* silence expected, a message observed */
    fake_emit_msg(&f, x.want, 4);
    assert_int_equal(run(&x, &h, &r), VCF_CASE_FAIL);
    assert_non_null(strstr(r.message, "silence"));
    vcf_case_result_free(&r);
    /* a message expected, silence observed */
    f.n_emit = 0;
    expect_msg(&x, 0);
    assert_int_equal(run(&x, &h, &r), VCF_CASE_FAIL);
    assert_non_null(strstr(r.message, "(nothing)"));
    vcf_case_result_free(&r);
}

static void test_events_any_order_and_ignore(void **state)
{
    (void)state;
    fixture x;
    fake f;
    vcf_hadapter h;
    fixture_init(&x, VCF_STEP_INJECT);
    fake_init(&f, &h);
    expect_event(&x, 0, EV_DELIVER, 1024);
    expect_event(&x, 1, EV_CREATED, 7);
    fake_emit_event(&f, EV_CREATED, 7);
    fake_emit_event(&f, EV_DELIVER, 1024);
    vcf_case_result r;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_PASS);
    vcf_case_result_free(&r);
    /* a third, unexpected event fails ... */
    fake_emit_event(&f, EV_DELIVER, 99);
    assert_int_equal(run(&x, &h, &r), VCF_CASE_FAIL);
    vcf_case_result_free(&r);
    /* ... unless the ignore set covers it */
    vcf_obs_match ign;
    memset(&ign, 0, sizeof(ign));
    ign.kind = VCF_OBS_EVENT;
    ign.event.type = EV_DELIVER;
    x.step.expect.ignore = &ign;
    x.step.expect.n_ignore = 1;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_PASS);
    vcf_case_result_free(&r);
}

static void test_second_alternative(void **state)
{
    (void)state;
    fixture x;
    fake f;
    vcf_hadapter h;
    fixture_init(&x, VCF_STEP_INJECT);
    fake_init(&f, &h);
    vcf_alternative alts[2];
    memset(alts, 0, sizeof(alts)); /* alternative 1: silence */
    expect_msg(&x, 0);
    alts[1] = x.alt; /* alternative 2: the message */
    x.step.expect.alts = alts;
    x.step.expect.n_alts = 2;
    fake_emit_msg(&f, x.want, 4);
    vcf_case_result r;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_PASS);
    vcf_case_result_free(&r);
    f.n_emit = 0;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_PASS);
    vcf_case_result_free(&r);
}

static void test_should_level_is_non_strict(void **state)
{
    (void)state;
    fixture x;
    fake f;
    vcf_hadapter h;
    fixture_init(&x, VCF_STEP_INJECT);
    fake_init(&f, &h);
    x.c.level = VCF_LEVEL_SHOULD;
    fake_emit_msg(&f, x.want, 4);
    vcf_case_result r;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_NON_STRICT);
    vcf_case_result_free(&r);
}

static void test_unsupported_role_reset_action_events(void **state)
{
    (void)state;
    fixture x;
    fake f;
    vcf_hadapter h;
    vcf_case_result r;
    fixture_init(&x, VCF_STEP_ACTION);
    fake_init(&f, &h);
    x.step.action = VCF_ACT_RPMSG_CREATE;
    h.ad.roles = VCF_IUT_ROLE_BIT(VCF_IUT_VMSG_DEVICE);
    assert_int_equal(run(&x, &h, &r), VCF_CASE_UNSUPPORTED);
    assert_non_null(strstr(r.message, "rpmsg-driver"));
    vcf_case_result_free(&r);
    h.ad.roles = VCF_IUT_ROLE_BIT(VCF_IUT_RPMSG_DRIVER);
    f.reset_rc = VCF_ADAPTER_UNSUPPORTED;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_UNSUPPORTED);
    assert_non_null(strstr(r.message, "no such parameter"));
    vcf_case_result_free(&r);
    f.reset_rc = 0;
    f.action_rc = VCF_ADAPTER_UNSUPPORTED;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_UNSUPPORTED);
    assert_non_null(strstr(r.message, "create"));
    vcf_case_result_free(&r);
    f.action_rc = 0;
    h.ad.caps = 0;
    expect_event(&x, 0, EV_CREATED, 1);
    assert_int_equal(run(&x, &h, &r), VCF_CASE_UNSUPPORTED);
    assert_non_null(strstr(r.message, "events"));
    vcf_case_result_free(&r);
}

static void test_action_result_and_value(void **state)
{
    (void)state;
    fixture x;
    fake f;
    vcf_hadapter h;
    vcf_case_result r;
    fixture_init(&x, VCF_STEP_ACTION);
    fake_init(&f, &h);
    x.step.action = VCF_ACT_RPMSG_CREATE;
    x.step.expect.result = VCF_EXPECT_REFUSED;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_FAIL);
    assert_non_null(strstr(r.message, "refused"));
    vcf_case_result_free(&r);
    f.action_status = -61;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_PASS);
    vcf_case_result_free(&r);
    x.step.expect.result = VCF_EXPECT_DONE;
    f.action_status = 0;
    x.step.expect.has_value = true;
    x.step.expect.value = 0x400;
    x.step.expect.value_mask = 0xFFFFFF00;
    f.action_value = 0x4ff;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_PASS);
    vcf_case_result_free(&r);
    f.action_value = 0x500;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_FAIL);
    assert_non_null(strstr(r.message, "0x500"));
    vcf_case_result_free(&r);
}

static void test_crash_is_a_failure_and_restarts(void **state)
{
    (void)state;
    fixture x;
    fake f;
    vcf_hadapter h;
    vcf_case_result r;
    fixture_init(&x, VCF_STEP_INJECT);
    fake_init(&f, &h);
    x.c.level = VCF_LEVEL_SHOULD; /* a crash fails whatever the level */
    f.inject_rc = VCF_ADAPTER_ERROR;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_FAIL);
    assert_non_null(strstr(r.message, "SIGSEGV"));
    assert_int_equal(f.restarts, 1);
    assert_false(r.adapter_lost);
    vcf_case_result_free(&r);
    f.inject_rc = 0;
    f.poll_rc = VCF_ADAPTER_ERROR;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_FAIL);
    assert_int_equal(f.restarts, 2);
    vcf_case_result_free(&r);
}

static void test_busy_and_runaway(void **state)
{
    (void)state;
    fixture x;
    fake f;
    vcf_hadapter h;
    vcf_case_result r;
    fixture_init(&x, VCF_STEP_INJECT);
    fake_init(&f, &h);
    f.idle = 0; /* never idle: the case timeout ends it */
    assert_int_equal(run(&x, &h, &r), VCF_CASE_FAIL);
    assert_non_null(strstr(r.message, "busy"));
    vcf_case_result_free(&r);
    f.idle = 1;
    f.endless = true;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_FAIL);
    assert_non_null(strstr(r.message, "runaway"));
    vcf_case_result_free(&r);
}

static void test_messages_in_order(void **state)
{
    (void)state;
    fixture x;
    fake f;
    vcf_hadapter h;
    vcf_case_result r;
    fixture_init(&x, VCF_STEP_INJECT);
    fake_init(&f, &h);
    uint8_t second[4] = {1, 1, 1, 1};
    expect_msg(&x, 0);
    expect_msg(&x, 1);
    x.obs[1].msg.bytes.data = second;
    fake_emit_msg(&f, second, 4);
    fake_emit_msg(&f, x.want, 4);
    assert_int_equal(run(&x, &h, &r), VCF_CASE_FAIL);
    vcf_case_result_free(&r);
    f.n_emit = 0;
    fake_emit_msg(&f, x.want, 4);
    fake_emit_msg(&f, second, 4);
    assert_int_equal(run(&x, &h, &r), VCF_CASE_PASS);
    vcf_case_result_free(&r);
}

/* A stimulus takes a token the implementation chose from an earlier message. */
static void test_copy_from_earlier_message(void **state)
{
    (void)state;
    fixture x;
    fake f;
    vcf_hadapter h;
    vcf_case_result r;
    fixture_init(&x, VCF_STEP_INJECT);
    fake_init(&f, &h);
    vcf_step steps[2];
    steps[0] = x.step; /* step 1: the implementation answers aabbccdd (silence expected: fine
                        * for this test, the ignore set takes it) */
    vcf_obs_match any_msg;
    memset(&any_msg, 0, sizeof(any_msg));
    any_msg.kind = VCF_OBS_MSG;
    any_msg.msg.channel = 1;
    any_msg.msg.bytes.data = x.want;
    any_msg.msg.bytes.len = 4;
    steps[0].expect.ignore = &any_msg;
    steps[0].expect.n_ignore = 1;
    steps[1] = x.step;
    steps[1].expect.ignore = &any_msg;
    steps[1].expect.n_ignore = 1;
    vcf_copy cp = {0, 0, 1, 2, 2}; /* bytes 1..2 of message 1 of step 1, at offset 2 */
    steps[1].copies = &cp;
    steps[1].n_copies = 1;
    x.c.steps = steps;
    x.c.n_steps = 2;
    fake_emit_msg(&f, x.want, 4);
    assert_int_equal(run(&x, &h, &r), VCF_CASE_PASS);
    assert_int_equal(f.n_injected, 4);
    assert_memory_equal(f.injected, "\x01\x02\xbb\xcc", 4);
    /* the vector itself is not changed */
    assert_memory_equal(x.in, "\x01\x02\x03\x04", 4);
    vcf_case_result_free(&r);
    /* no message to copy from: the case fails and says why */
    f.n_emit = 0;
    assert_int_equal(run(&x, &h, &r), VCF_CASE_FAIL);
    assert_non_null(strstr(r.message, "no such message"));
    vcf_case_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pass_exact),
        cmocka_unit_test(test_wrong_bytes_fail_with_both_sides),
        cmocka_unit_test(test_mask_ignores_bits),
        cmocka_unit_test(test_silence_and_extra_messages),
        cmocka_unit_test(test_events_any_order_and_ignore),
        cmocka_unit_test(test_second_alternative),
        cmocka_unit_test(test_should_level_is_non_strict),
        cmocka_unit_test(test_unsupported_role_reset_action_events),
        cmocka_unit_test(test_action_result_and_value),
        cmocka_unit_test(test_crash_is_a_failure_and_restarts),
        cmocka_unit_test(test_busy_and_runaway),
        cmocka_unit_test(test_messages_in_order),
        cmocka_unit_test(test_copy_from_earlier_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
