/* SPDX-License-Identifier: MIT */
/*
 * Playing scripts (fuzz/common/play.h): against the reference model, patches that echo what the
 * implementation chose (an RFC3 token, an RPMsg address) and the observations that follow;
 * against a small fake adapter, every way a play ends (error, unsupported, runaway, busy, bad
 * observation, refused reset, bad script, record limit) and what reaches reset; and the
 * printed log, decoded through the harness summaries.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters.h"
#include "play.h"

static const uint32_t no_args[VCF_ADAPTER_ARG_MAX] = {0, 0, 0, 0};

static vcf_adapter open_model(void)
{
    vcf_adapter ad;
    char err[256];
    if (vcf_model_adapter_init("", &ad, err, sizeof err) != 0)
        fail_msg("model adapter: %s", err);
    return ad;
}

static char *print_log(const vcf_play_log *log)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    vcf_play_log_print(log, f);
    fclose(f);
    return text;
}

static void expect_text(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("the printed log lacks \"%s\":\n%s", needle, text);
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* ---- against the model --------------------------------------------------------------------- */

/* An RFC3 driver starts; the GET_DEVICE_INFO response echoes its token through a PATCH. */
static size_t driver_script(uint8_t *buf, size_t cap, bool patch)
{
    static const vcf_adapter_param p[] = {{"rev", "rfc3"}, {"dev_num", "1"}};
    /* GET_DEVICE_INFO response, dev 1, token 0xEEEE (to be replaced), 32 bytes */
    static const uint8_t info[] = {0x01, 0x02, 0x01, 0x00, 0xEE, 0xEE, 0x20, 0x00, 0x01, 0x00, 0x00,
                                   0x00, 0x51, 0x45, 0x4d, 0x55, 0x40, 0x00, 0x00, 0x00, 0x0c, 0x00,
                                   0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    vcf_script_writer w;
    vcf_script_writer_init(&w, buf, cap);
    vcf_script_begin(&w, VCF_IUT_VMSG_DRIVER, p, 2);
    vcf_script_action(&w, VCF_ACT_VMSG_START, no_args, NULL, 0);
    if (patch)
        vcf_script_patch(&w, 0, 4, 4, 2);
    vcf_script_inject(&w, 0, info, sizeof info, 0, 0);
    assert_false(w.overflow);
    return w.len;
}

static void test_model_token_echo(void **state)
{
    (void)state;
    vcf_adapter ad = open_model();
    uint8_t buf[256];
    size_t len = driver_script(buf, sizeof buf, true);
    vcf_play_log log;
    assert_int_equal(vcf_play(&ad, buf, len, NULL, &log), VCF_PLAY_END_DONE);
    assert_int_equal(log.role, VCF_IUT_VMSG_DRIVER);
    assert_int_equal(log.n_params, 2);
    assert_string_equal(log.params[0].key, "rev");
    assert_string_equal(log.params[0].value, "rfc3");
    assert_int_equal(log.n_steps, 2);

    /* start: one GET_DEVICE_INFO request with the driver's token */
    const vcf_play_step *s0 = &log.steps[0];
    assert_int_equal(s0->op, VCF_SCRIPT_OP_ACTION);
    assert_int_equal(s0->rc, VCF_ADAPTER_OK);
    assert_int_equal(s0->result.status, 0);
    assert_int_equal(s0->n_obs, 1);
    const vcf_play_obs *req = &log.obs[s0->first_obs];
    assert_int_equal(req->kind, VCF_OBS_MSG);
    assert_int_equal(req->step, 0);
    assert_int_equal(req->len, 8);
    assert_int_equal(req->data[1], 0x02); /* GET_DEVICE_INFO */
    uint16_t token = get16(req->data + 4);
    assert_true(token != 0xEEEE);

    /* the response went in with that token, and initialisation went on: a status write */
    const vcf_play_step *s1 = &log.steps[1];
    assert_int_equal(s1->op, VCF_SCRIPT_OP_INJECT);
    assert_int_equal(s1->injected_len, 32);
    assert_int_equal(get16(s1->injected + 4), token);
    assert_int_equal(s1->injected[6], 0x20); /* the rest as written */
    assert_true(s1->n_obs >= 1);
    const vcf_play_obs *next = &log.obs[s1->first_obs];
    assert_int_equal(next->kind, VCF_OBS_MSG);
    assert_int_equal(next->data[1], 0x08); /* SET_DEVICE_STATUS */
    assert_int_equal(log.n_msgs, 1 + s1->n_obs);

    char *text = print_log(&log);
    expect_text(text, "role virtio-msg-driver");
    expect_text(text, "action start");
    expect_text(text, "GET_DEVICE_INFO req dev 1");
    expect_text(text, "GET_DEVICE_INFO resp dev 1");
    expect_text(text, "SET_DEVICE_STATUS req dev 1");
    expect_text(text, "msg #0");
    expect_text(text, "end: done");
    free(text);
    vcf_play_log_free(&log);

    /* without the patch the token is wrong: the response is dropped, nothing follows */
    len = driver_script(buf, sizeof buf, false);
    assert_int_equal(vcf_play(&ad, buf, len, NULL, &log), VCF_PLAY_END_DONE);
    assert_int_equal(log.n_steps, 2);
    assert_int_equal(get16(log.steps[1].injected + 4), 0xEEEE);
    assert_int_equal(log.steps[1].n_obs, 0);
    vcf_play_log_free(&log);
    ad.close(ad.ud);
}

/* An RPMsg device announces a dynamic endpoint (in the strict profile the device side
 * announces); the device's message is addressed to it by
 * copying the announcement's source address into the destination. */
static void test_model_address_echo(void **state)
{
    (void)state;
    static const vcf_adapter_param p[] = {{"features", "0x100000001"}, {"buf_size", "512"}};
    uint8_t msg[21] = {0x88, 0x13, 0, 0, /* src 5000 */
                       0,    0,    0, 0, /* dst: patched */
                       0,    0,    0, 0, 5, 0, 0, 0, 'h', 'e', 'l', 'l', 'o'};
    uint8_t buf[256];
    vcf_script_writer w;
    vcf_script_writer_init(&w, buf, sizeof buf);
    vcf_script_begin(&w, VCF_IUT_RPMSG_DRIVER, p, 2); /* the role is forced below */
    const uint32_t create[VCF_ADAPTER_ARG_MAX] = {0xFFFFFFFFu, 0xFFFFFFFFu, 0, 0};
    vcf_script_action(&w, VCF_ACT_RPMSG_CREATE, create, (const uint8_t *)"echo", 4);
    vcf_script_patch(&w, 0, 0, 4, 4);  /* src of the announcement -> dst */
    vcf_script_patch(&w, 9, 0, 0, 4);  /* no message 9: skipped */
    vcf_script_patch(&w, 0, 50, 0, 8); /* bytes 50..57 of a 56-byte message: skipped */
    vcf_script_patch(&w, 0, 0, 18, 4); /* past the end of the stimulus: skipped */
    vcf_script_inject(&w, 1, msg, sizeof msg, 0, 0);
    assert_false(w.overflow);

    vcf_adapter ad = open_model();
    vcf_play_options opt = {VCF_IUT_RPMSG_DEVICE, 0, 0};
    vcf_play_log log;
    assert_int_equal(vcf_play(&ad, buf, w.len, &opt, &log), VCF_PLAY_END_DONE);
    assert_int_equal(log.role, VCF_IUT_RPMSG_DEVICE);
    assert_int_equal(log.n_steps, 2);
    assert_int_equal(log.steps[0].result.status, 0);
    uint64_t addr = log.steps[0].result.value;
    assert_true(addr >= 1024 && addr != 0xFFFFFFFFu);
    /* the announcement: addr -> 53 on vq0 */
    assert_int_equal(log.steps[0].n_obs, 1);
    const vcf_play_obs *ns = &log.obs[0];
    assert_int_equal(ns->kind, VCF_OBS_MSG);
    assert_int_equal(ns->channel, 0);
    assert_int_equal(ns->len, 56);
    assert_int_equal(ns->data[4], 53);
    /* the stimulus: only the first patch applied */
    const vcf_play_step *in = &log.steps[1];
    assert_memory_equal(in->injected + 4, ns->data, 4);
    assert_memory_equal(in->injected, msg, 4);
    assert_memory_equal(in->injected + 8, msg + 8, sizeof msg - 8);
    /* delivered to the endpoint */
    assert_int_equal(in->n_obs, 1);
    const vcf_play_obs *ev = &log.obs[in->first_obs];
    assert_int_equal(ev->kind, VCF_OBS_EVENT);
    assert_int_equal(ev->type, VCF_EVT_RPMSG_BASE + 0); /* deliver */
    assert_int_equal(ev->args[0], addr);
    assert_int_equal(ev->args[1], 5000);
    assert_int_equal(ev->len, 5);
    assert_memory_equal(ev->data, "hello", 5);

    char *text = print_log(&log);
    expect_text(text, "role rpmsg-device");
    expect_text(text, "create");
    expect_text(text, "NS create");
    expect_text(text, "deliver");
    expect_text(text, "payload=68656c6c6f");
    free(text);
    vcf_play_log_free(&log);
    ad.close(ad.ud);
}

/* ---- against a fake adapter ---------------------------------------------------------------- */

typedef struct fake {
    int reset_rc, inject_rc, action_rc;
    int poll_forever;   /* poll always has a message */
    uint32_t poll_kind; /* kind of the one observation after each stimulus (0: none) */
    int busy;           /* idle() never says idle */
    int pending;
    uint32_t reset_role;
    size_t reset_n;
    char keys[256];
    size_t injects, actions;
    uint8_t byte;
} fake;

static int f_reset(void *ud, uint32_t role, const vcf_adapter_param *p, size_t n, char *why,
                   size_t why_len)
{
    fake *f = ud;
    f->reset_role = role;
    f->reset_n = n;
    f->keys[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strncat(f->keys, p[i].key, sizeof f->keys - strlen(f->keys) - 1);
        strncat(f->keys, "=", sizeof f->keys - strlen(f->keys) - 1);
        strncat(f->keys, p[i].value, sizeof f->keys - strlen(f->keys) - 1);
        strncat(f->keys, ";", sizeof f->keys - strlen(f->keys) - 1);
    }
    if (f->reset_rc != VCF_ADAPTER_OK)
        snprintf(why, why_len, "fake: no such role");
    return f->reset_rc;
}

static int f_inject(void *ud, const vcf_adapter_msg *m)
{
    fake *f = ud;
    (void)m;
    f->injects++;
    f->pending = 1;
    return f->inject_rc;
}

static int f_action(void *ud, const vcf_adapter_action *a, vcf_adapter_result *r)
{
    fake *f = ud;
    f->actions++;
    f->pending = 1;
    r->status = 3;
    r->value = a->args[0] + 1;
    return f->action_rc;
}

static int f_poll(void *ud, vcf_adapter_obs *o)
{
    fake *f = ud;
    if (!f->poll_forever && (!f->pending || !f->poll_kind))
        return 0;
    f->pending = 0;
    o->kind = f->poll_forever ? VCF_OBS_MSG : f->poll_kind;
    o->msg.channel = 0;
    o->msg.data = &f->byte;
    o->msg.len = 1;
    o->event.type = VCF_EVT_VMSG_BASE;
    return 1;
}

static int f_idle(void *ud)
{
    return ((fake *)ud)->busy ? 0 : 1;
}

static vcf_adapter fake_adapter(fake *f)
{
    vcf_adapter ad;
    memset(&ad, 0, sizeof ad);
    ad.abi_version = VCF_ADAPTER_ABI_VERSION;
    ad.struct_size = sizeof ad;
    ad.ud = f;
    ad.name = "fake";
    ad.roles = 0x3E;
    ad.reset = f_reset;
    ad.inject = f_inject;
    ad.action = f_action;
    ad.poll = f_poll;
    ad.idle = f_idle;
    return ad;
}

/* Role 5 (the bus), two parameters, inject / action / inject. */
static size_t three_steps(uint8_t *buf, size_t cap)
{
    static const vcf_adapter_param p[] = {{"a", "1"}, {"b", "x y"}};
    static const uint8_t m[] = {0x00, 0x03, 0x00, 0x00, 0x00, 0x00,
                                0x0c, 0x00, 0x01, 0x02, 0x03, 0x04};
    vcf_script_writer w;
    vcf_script_writer_init(&w, buf, cap);
    vcf_script_begin(&w, VCF_IUT_VMSG_BUS, p, 2);
    vcf_script_inject(&w, 0, m, sizeof m, 0, 0);
    const uint32_t args[VCF_ADAPTER_ARG_MAX] = {41, 0, 0, 0};
    vcf_script_action(&w, VCF_ACT_VMSG_PING, args, NULL, 0);
    vcf_script_inject(&w, 0, m, sizeof m, 0, 0);
    return w.len;
}

static void test_fake_done_and_reset_args(void **state)
{
    (void)state;
    fake f = {0};
    f.poll_kind = VCF_OBS_EVENT;
    vcf_adapter ad = fake_adapter(&f);
    uint8_t buf[256];
    size_t len = three_steps(buf, sizeof buf);
    vcf_play_log log;
    assert_int_equal(vcf_play(&ad, buf, len, NULL, &log), VCF_PLAY_END_DONE);
    assert_int_equal(f.reset_role, VCF_IUT_VMSG_BUS);
    assert_int_equal(f.reset_n, 2);
    assert_string_equal(f.keys, "a=1;b=x y;");
    assert_int_equal(log.n_steps, 3);
    assert_int_equal(log.steps[1].result.status, 3);
    assert_int_equal(log.steps[1].result.value, 42);
    assert_int_equal(log.n_obs, 3);
    assert_int_equal(log.n_msgs, 0); /* events are not messages */
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(log.steps[i].first_obs, i);
        assert_int_equal(log.steps[i].n_obs, 1);
        assert_int_equal(log.obs[i].step, i);
        assert_int_equal(log.obs[i].kind, VCF_OBS_EVENT);
    }
    assert_string_equal(log.why, "");
    vcf_play_log_free(&log);

    /* a forced role wins over the script's */
    vcf_play_options opt = {VCF_IUT_RPMSG_DEVICE, 0, 0};
    assert_int_equal(vcf_play(&ad, buf, len, &opt, &log), VCF_PLAY_END_DONE);
    assert_int_equal(f.reset_role, VCF_IUT_RPMSG_DEVICE);
    assert_int_equal(log.role, VCF_IUT_RPMSG_DEVICE);
    vcf_play_log_free(&log);

    /* the record limit */
    opt.max_records = 2;
    assert_int_equal(vcf_play(&ad, buf, len, &opt, &log), VCF_PLAY_END_DONE);
    assert_int_equal(log.n_steps, 2);
    vcf_play_log_free(&log);
}

static void test_fake_error_stops(void **state)
{
    (void)state;
    fake f = {0};
    f.poll_kind = VCF_OBS_MSG;
    f.inject_rc = VCF_ADAPTER_ERROR;
    vcf_adapter ad = fake_adapter(&f);
    uint8_t buf[256];
    size_t len = three_steps(buf, sizeof buf);
    vcf_play_log log;
    assert_int_equal(vcf_play(&ad, buf, len, NULL, &log), VCF_PLAY_END_ERROR);
    assert_int_equal(log.end, VCF_PLAY_END_ERROR);
    assert_int_equal(log.n_steps, 1);
    assert_int_equal(log.steps[0].rc, VCF_ADAPTER_ERROR);
    assert_int_equal(log.n_obs, 0); /* nothing collected after an error */
    assert_int_equal(f.injects, 1);
    assert_int_equal(f.actions, 0);
    assert_non_null(strstr(log.why, "step 1"));
    assert_non_null(strstr(log.why, "inject"));
    char *text = print_log(&log);
    expect_text(text, "end: error: step 1");
    free(text);
    vcf_play_log_free(&log);

    /* unsupported is recorded and the play goes on */
    f.inject_rc = VCF_ADAPTER_UNSUPPORTED;
    f.injects = 0;
    assert_int_equal(vcf_play(&ad, buf, len, NULL, &log), VCF_PLAY_END_DONE);
    assert_int_equal(log.n_steps, 3);
    assert_int_equal(log.steps[0].rc, VCF_ADAPTER_UNSUPPORTED);
    assert_int_equal(log.steps[2].rc, VCF_ADAPTER_UNSUPPORTED);
    assert_int_equal(f.injects, 2);
    vcf_play_log_free(&log);

    /* an action's error ends it too, after the first inject's observation */
    f.inject_rc = VCF_ADAPTER_OK;
    f.action_rc = VCF_ADAPTER_ERROR;
    assert_int_equal(vcf_play(&ad, buf, len, NULL, &log), VCF_PLAY_END_ERROR);
    assert_int_equal(log.n_steps, 2);
    assert_int_equal(log.n_obs, 1);
    assert_int_equal(log.n_msgs, 1);
    assert_non_null(strstr(log.why, "action"));
    vcf_play_log_free(&log);
}

static void test_fake_runaway(void **state)
{
    (void)state;
    fake f = {0};
    f.poll_forever = 1;
    vcf_adapter ad = fake_adapter(&f);
    uint8_t buf[256];
    size_t len = three_steps(buf, sizeof buf);
    vcf_play_log log;
    assert_int_equal(vcf_play(&ad, buf, len, NULL, &log), VCF_PLAY_END_RUNAWAY);
    assert_int_equal(log.n_steps, 1);
    assert_int_equal(log.n_obs, VCF_PLAY_MAX_OBS_PER_STEP);
    assert_int_equal(log.steps[0].n_obs, VCF_PLAY_MAX_OBS_PER_STEP);
    assert_int_equal(log.n_msgs, VCF_PLAY_MAX_OBS_PER_STEP);
    assert_non_null(strstr(log.why, "runaway"));
    vcf_play_log_free(&log);
}

static void test_fake_bad_observation_and_busy(void **state)
{
    (void)state;
    fake f = {0};
    f.poll_kind = 9;
    vcf_adapter ad = fake_adapter(&f);
    uint8_t buf[256];
    size_t len = three_steps(buf, sizeof buf);
    vcf_play_log log;
    assert_int_equal(vcf_play(&ad, buf, len, NULL, &log), VCF_PLAY_END_BAD_OBS);
    assert_int_equal(log.n_steps, 1);
    assert_int_equal(log.n_obs, 0);
    assert_non_null(strstr(log.why, "unknown kind 9"));
    vcf_play_log_free(&log);

    /* an implementation that never becomes idle: busy, at the first step */
    f.poll_kind = 0;
    f.busy = 1;
    ad.caps = VCF_ADAPTER_CAP_IDLE;
    vcf_play_options opt = {VCF_IUT_NONE, 0.002, 0};
    assert_int_equal(vcf_play(&ad, buf, len, &opt, &log), VCF_PLAY_END_BUSY);
    assert_int_equal(log.n_steps, 1);
    assert_non_null(strstr(log.why, "busy"));
    vcf_play_log_free(&log);
}

static void test_fake_reset_and_bad_script(void **state)
{
    (void)state;
    fake f = {0};
    f.reset_rc = VCF_ADAPTER_UNSUPPORTED;
    vcf_adapter ad = fake_adapter(&f);
    uint8_t buf[256];
    size_t len = three_steps(buf, sizeof buf);
    vcf_play_log log;
    assert_int_equal(vcf_play(&ad, buf, len, NULL, &log), VCF_PLAY_END_RESET);
    assert_int_equal(log.reset_rc, VCF_ADAPTER_UNSUPPORTED);
    assert_string_equal(log.why, "fake: no such role");
    assert_int_equal(log.n_steps, 0);
    assert_int_equal(f.injects, 0);
    vcf_play_log_free(&log);

    /* a head cut short: nothing is played, reset is not called */
    f.reset_rc = VCF_ADAPTER_OK;
    f.reset_n = 99;
    assert_int_equal(vcf_play(&ad, buf, 2, NULL, &log), VCF_PLAY_END_BAD_SCRIPT);
    assert_int_equal(f.reset_n, 99);
    assert_int_equal(log.n_steps, 0);
    char *text = print_log(&log);
    expect_text(text, "end: bad-script");
    free(text);
    vcf_play_log_free(&log);
    assert_int_equal(vcf_play(&ad, NULL, 0, NULL, &log), VCF_PLAY_END_BAD_SCRIPT);
    vcf_play_log_free(&log);
}

static void test_end_names(void **state)
{
    (void)state;
    static const char *const names[] = {"done",    "bad-script", "reset",          "error",
                                        "runaway", "busy",       "bad-observation"};
    for (int e = VCF_PLAY_END_DONE; e <= VCF_PLAY_END_BAD_OBS; e++)
        assert_string_equal(vcf_play_end_name((vcf_play_end)e), names[e]);
    assert_string_equal(vcf_play_end_name((vcf_play_end)99), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_token_echo),
        cmocka_unit_test(test_model_address_echo),
        cmocka_unit_test(test_fake_done_and_reset_args),
        cmocka_unit_test(test_fake_error_stops),
        cmocka_unit_test(test_fake_runaway),
        cmocka_unit_test(test_fake_bad_observation_and_busy),
        cmocka_unit_test(test_fake_reset_and_bad_script),
        cmocka_unit_test(test_end_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
