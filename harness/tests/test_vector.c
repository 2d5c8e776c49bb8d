/* SPDX-License-Identifier: MIT */
/*
 * Golden vector files: every field of a good file, the canonical writer (byte-identical
 * output, save/load/save fixed point), and one rejection per class with the place it names.
 *
 * With arguments (`test_vector --lint FILE...`) it loads every file with the strict loader
 * instead, also checking that case IDs are unique across the files: the C-level lint of the
 * checked-in vectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vconform/adapter.h"
#include "vector.h"

#if !defined(VCF_TEST_VECTOR_DIR) || !defined(VCF_TEST_DOCS_VECTORS) || !defined(VCF_TEST_PARAMS)
#error                                                                                             \
    "VCF_TEST_VECTOR_DIR, VCF_TEST_DOCS_VECTORS, VCF_TEST_PARAMS: test data, docs/vectors.md, PARAMS.txt"
#endif

#define GOOD_RPMSG VCF_TEST_VECTOR_DIR "/good-rpmsg-driver.json"
#define GOOD_VMSG  VCF_TEST_VECTOR_DIR "/good-vmsg-driver.json"

static char *read_text(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open %s", path);
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, fp)) > 0) {
        len += got;
        if (len + 1 == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    fclose(fp);
    buf[len] = '\0';
    return buf;
}

static void load_ok(const char *path, vcf_vfile *f)
{
    char err[512];
    if (vcf_vfile_load(path, f, err, sizeof err) != 0)
        fail_msg("%s", err);
}

static void assert_bytes(const vcf_vbytes *b, const char *hex)
{
    size_t n = strlen(hex) / 2;
    assert_int_equal(b->len, n);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        if (b->data[i] != v)
            fail_msg("byte %zu: 0x%02x, expected 0x%02x", i, b->data[i], v);
    }
}

static void assert_prefix(const vcf_vbytes *b, const char *hex)
{
    vcf_vbytes head = {b->data, strlen(hex) / 2};
    assert_true(b->len >= head.len);
    assert_bytes(&head, hex);
}

static void assert_text(const vcf_vbytes *b, const char *text)
{
    assert_int_equal(b->len, strlen(text));
    assert_memory_equal(b->data, text, b->len);
}

/* ---- a good file, field by field --------------------------------------------------------- */

static void test_load_rpmsg_fields(void **state)
{
    (void)state;
    vcf_vfile f;
    load_ok(GOOD_RPMSG, &f);
    assert_string_equal(f.path, GOOD_RPMSG);
    assert_int_equal(f.role, VCF_IUT_RPMSG_DRIVER);
    assert_string_equal(f.spec, "RPMsg catalogue (vconform rules --proto rpmsg)");
    assert_string_equal(f.generator, "hand-written");
    assert_int_equal(f.n_notes, 2);
    assert_string_equal(f.notes[0].flag, "DropOrReport");
    assert_non_null(strstr(f.notes[0].text, "drop a message"));
    assert_string_equal(f.notes[1].flag, "Legacy-order");
    assert_int_equal(f.n_unobservable, 1);
    assert_string_equal(f.unobservable[0].rule, "RPMSG-VQ-02");
    assert_string_equal(f.unobservable[0].reason,
                        "Buffer ownership is internal to the implementation.");
    assert_int_equal(vcf_vfile_count(&f), 4);
    assert_int_equal(f.n_groups, 2);

    /* group 0: parameters in file order */
    const vcf_group *g = &f.groups[0];
    assert_string_equal(g->description, "virtio 1.0 link with name service");
    assert_int_equal(g->n_params, 3);
    assert_string_equal(g->params[0].key, "features");
    assert_string_equal(g->params[0].value, "0x100000001");
    assert_string_equal(g->params[1].key, "buf_size");
    assert_string_equal(g->params[2].key, "model.on_violation");
    assert_string_equal(vcf_param_get(g->params, g->n_params, "buf_size"), "512");
    assert_int_equal(g->n_cases, 3);

    /* case 0: an inject with every optional field, an event with args and text */
    const vcf_case *c = &g->cases[0];
    assert_string_equal(c->id, "rpmsg-drv-ns-create-basic");
    assert_int_equal(c->n_rules, 2);
    assert_string_equal(c->rules[0], "RPMSG-NS-01");
    assert_string_equal(c->rules[1], "RPMSG-NS-09");
    assert_int_equal(c->level, VCF_LEVEL_MUST);
    assert_string_equal(c->description, "A name-service create opens a channel");
    assert_int_equal(c->result, VCF_VRESULT_VALID);
    assert_int_equal(c->n_flags, 0);
    assert_int_equal(c->line, 26);
    assert_int_equal(c->n_steps, 1);
    const vcf_step *s = &c->steps[0];
    assert_int_equal(s->kind, VCF_STEP_INJECT);
    assert_int_equal(s->channel, 0);
    assert_int_equal(s->bytes.len, 56);
    assert_prefix(&s->bytes, "00040000350000000000000028000000");
    assert_memory_equal(s->bytes.data + 16, "rpmsg-echo", 10);
    assert_int_equal(s->used_len, 56);
    assert_int_equal(s->capacity, 512);
    assert_string_equal(s->decoded, "NS create rpmsg-echo addr 0x400");
    assert_int_equal(s->expect.n_alts, 1);
    assert_int_equal(s->expect.n_ignore, 0);
    assert_int_equal(s->expect.result, VCF_EXPECT_ANY);
    assert_false(s->expect.has_value);
    assert_int_equal(s->expect.alts[0].n_obs, 1);
    const vcf_obs_match *o = &s->expect.alts[0].obs[0];
    assert_int_equal(o->kind, VCF_OBS_EVENT);
    assert_int_equal(o->event.type,
                     vcf_adapter_event_find(VCF_IUT_RPMSG_DRIVER, "channel-created")->type);
    assert_int_equal(o->event.args_set, 0x2); /* addr is slot 1 */
    assert_int_equal(o->event.args[1], 1024);
    assert_true(o->event.has_data);
    assert_text(&o->event.data, "rpmsg-echo");

    /* case 1: an action with args and a text name; ignore set; result and masked value */
    c = &g->cases[1];
    assert_string_equal(c->id, "rpmsg-drv-create-ept");
    assert_int_equal(c->level, VCF_LEVEL_SHOULD);
    assert_int_equal(c->n_flags, 1);
    assert_string_equal(c->flags[0], "Legacy-order");
    assert_true(c->line > 26);
    s = &c->steps[0];
    assert_int_equal(s->kind, VCF_STEP_ACTION);
    assert_int_equal(s->action, VCF_ACT_RPMSG_CREATE);
    assert_int_equal(s->args[0], 0xFFFFFFFFu);
    assert_int_equal(s->args[1], 0xFFFFFFFFu);
    assert_int_equal(s->args[2], 0);
    assert_text(&s->data, "rpmsg-echo");
    assert_int_equal(s->expect.n_alts, 1);
    assert_int_equal(s->expect.alts[0].n_obs, 0); /* silence */
    assert_int_equal(s->expect.n_ignore, 1);
    assert_int_equal(s->expect.ignore[0].kind, VCF_OBS_EVENT);
    assert_int_equal(s->expect.ignore[0].event.args_set, 0);
    assert_false(s->expect.ignore[0].event.has_data);
    assert_int_equal(s->expect.result, VCF_EXPECT_DONE);
    assert_true(s->expect.has_value);
    assert_int_equal(s->expect.value, 1024);
    assert_int_equal(s->expect.value_mask, 0xFFFFFFFFu);

    /* case 2: acceptable, two alternatives (silence or a delivery with data) */
    c = &g->cases[2];
    assert_int_equal(c->result, VCF_VRESULT_ACCEPTABLE);
    assert_string_equal(c->flags[0], "DropOrReport");
    s = &c->steps[0];
    assert_int_equal(s->used_len, 0);
    assert_int_equal(s->capacity, 0);
    assert_null(s->decoded);
    assert_int_equal(s->expect.n_alts, 2);
    assert_int_equal(s->expect.alts[0].n_obs, 0);
    o = &s->expect.alts[1].obs[0];
    assert_int_equal(o->event.args_set, 0x7);
    assert_int_equal(o->event.args[2], 2);
    assert_bytes(&o->event.data, "6869");

    /* group 1: empty params; a send expecting a masked message with used_len */
    g = &f.groups[1];
    assert_int_equal(g->n_params, 0);
    c = &g->cases[0];
    assert_string_equal(c->id, "rpmsg-drv-send.basic_1");
    assert_int_equal(c->n_steps, 4);
    assert_int_equal(c->steps[0].expect.value_mask, UINT64_MAX); /* value without a mask */
    assert_int_equal(c->steps[0].data.len, 0);
    s = &c->steps[1];
    assert_int_equal(s->action, VCF_ACT_RPMSG_SEND);
    assert_text(&s->data, "hello");
    o = &s->expect.alts[0].obs[0];
    assert_int_equal(o->kind, VCF_OBS_MSG);
    assert_int_equal(o->msg.channel, 1);
    assert_bytes(&o->msg.bytes, "0004000000040000000000000500000068656c6c6f");
    assert_bytes(&o->msg.mask, "ffffffffffffffff00000000ffffffffffffffffff");
    assert_true(o->msg.has_used_len);
    assert_int_equal(o->msg.used_len, 21);
    assert_string_equal(o->msg.decoded, "1024 -> 1024 len 5 \"hello\"");
    assert_int_equal(c->steps[2].action, VCF_ACT_RPMSG_DESTROY);
    assert_int_equal(c->steps[2].expect.result, VCF_EXPECT_REFUSED);
    assert_false(c->steps[2].expect.has_value);
    assert_int_equal(c->steps[2].n_copies, 0);
    /* an inject that takes its destination from the message emitted after step 1 */
    s = &c->steps[3];
    assert_int_equal(s->kind, VCF_STEP_INJECT);
    assert_int_equal(s->n_copies, 1);
    assert_int_equal(s->copies[0].step, 1);
    assert_int_equal(s->copies[0].msg, 0);
    assert_int_equal(s->copies[0].from, 0);
    assert_int_equal(s->copies[0].to, 4);
    assert_int_equal(s->copies[0].len, 4);

    vcf_vfile_free(&f);
    assert_null(f.groups);
    vcf_vfile_free(&f); /* twice is harmless */
    vcf_vfile_free(NULL);
}

static void test_load_vmsg_numbers(void **state)
{
    (void)state;
    vcf_vfile f;
    load_ok(GOOD_VMSG, &f);
    assert_int_equal(f.role, VCF_IUT_VMSG_DRIVER);
    assert_int_equal(f.n_notes, 0);
    assert_int_equal(f.n_unobservable, 0);
    const vcf_case *c = &f.groups[0].cases[0];
    assert_int_equal(c->steps[0].action, VCF_ACT_VMSG_START);
    assert_bytes(&c->steps[0].expect.alts[0].obs[0].msg.mask, "ffff0000ffff0000"); /* any case */
    assert_bytes(&c->steps[1].bytes, "a0b1c2d3");
    c = &f.groups[0].cases[1];
    assert_int_equal(c->level, VCF_LEVEL_MAY);
    assert_int_equal(c->result, VCF_VRESULT_INVALID);
    const vcf_step *s = &c->steps[0];
    assert_int_equal(s->args[0], 16); /* "0x10" */
    assert_int_equal(s->args[1], 4);
    const vcf_event_match *e = &s->expect.alts[0].obs[0].event;
    assert_int_equal(e->args_set, 0xA); /* offset (1) and value (3) */
    assert_int_equal(e->args[1], 16);
    assert_true(e->args[3] == UINT64_C(0xdeadbeefcafef00d));
    assert_true(s->expect.value == UINT64_C(0xfffffffffffffff0));
    assert_true(s->expect.value_mask == UINT64_C(0x8000000000000000));
    vcf_vfile_free(&f);
}

static void test_vresult_names(void **state)
{
    (void)state;
    vcf_vresult r = VCF_VRESULT_VALID;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(vcf_vresult_parse(vcf_vresult_name((vcf_vresult)i), &r), 0);
        assert_int_equal(r, i);
    }
    assert_string_equal(vcf_vresult_name(VCF_VRESULT_ACCEPTABLE), "acceptable");
    assert_string_equal(vcf_vresult_name((vcf_vresult)7), "?");
    assert_int_equal(vcf_vresult_parse("Valid", &r), -1);
    assert_int_equal(vcf_vresult_parse(NULL, &r), -1);
}

/* ---- the canonical writer ----------------------------------------------------------------- */

/* The checked-in file is canonical: loading and dumping gives the same bytes. */
static void test_dump_is_byte_identical(void **state)
{
    (void)state;
    char *text = read_text(GOOD_RPMSG);
    vcf_vfile f;
    load_ok(GOOD_RPMSG, &f);
    char *out = vcf_vfile_dump(&f);
    assert_non_null(out);
    assert_string_equal(out, text);
    free(out);
    free(text);
    vcf_vfile_free(&f);
}

/* A hand-formatted file becomes canonical after one save, and stays so. */
static void test_save_load_save_fixed_point(void **state)
{
    (void)state;
    const char *out1 = "test_vector.out1.json", *out2 = "test_vector.out2.json";
    char err[512];
    vcf_vfile f, g;
    load_ok(GOOD_VMSG, &f);
    if (vcf_vfile_save(&f, out1, err, sizeof err) != 0)
        fail_msg("%s", err);
    load_ok(out1, &g);
    if (vcf_vfile_save(&g, out2, err, sizeof err) != 0)
        fail_msg("%s", err);
    char *original = read_text(GOOD_VMSG), *t1 = read_text(out1), *t2 = read_text(out2);
    assert_string_equal(t1, t2);
    assert_true(strcmp(original, t1) != 0); /* it was not canonical */
    /* canonical details */
    assert_non_null(strstr(t1, "\n  \"role\": \"virtio-msg-driver\",\n"));
    assert_non_null(strstr(t1, "\"offset\": 16,"));                   /* "0x10" */
    assert_non_null(strstr(t1, "\"value\": \"0xdeadbeefcafef00d\"")); /* above 2^63 */
    assert_non_null(strstr(t1, "\"mask\": \"ffff0000ffff0000\""));    /* lower case */
    assert_null(strstr(t1, "\"args\": {}"));                          /* start takes none */
    assert_int_equal(t1[strlen(t1) - 1], '\n');
    assert_int_equal(t1[strlen(t1) - 2], '}');
    char *d = vcf_vfile_dump(&g);
    assert_string_equal(d, t1);
    free(d);
    /* no temporary left behind */
    FILE *tmp = fopen("test_vector.out1.json.tmp", "rb");
    assert_null(tmp);
    free(original);
    free(t1);
    free(t2);
    vcf_vfile_free(&f);
    vcf_vfile_free(&g);
    remove(out1);
    remove(out2);
}

static char *xdup(const char *s)
{
    char *p = malloc(strlen(s) + 1);
    assert_non_null(p);
    strcpy(p, s);
    return p;
}

/* A file built in memory, as the generator does, dumps and loads back to the same values. */
static void test_build_in_memory(void **state)
{
    (void)state;
    vcf_vfile f;
    memset(&f, 0, sizeof f);
    f.role = VCF_IUT_VMSG_BUS;
    f.spec = xdup("virtio-msg pr28");
    f.generator = xdup("vconform gen test");
    f.n_groups = 1;
    f.groups = calloc(1, sizeof *f.groups);
    vcf_group *g = &f.groups[0];
    g->description = xdup("bus");
    g->n_params = 1;
    g->params = calloc(1, sizeof *g->params);
    g->params[0].key = xdup("window");
    g->params[0].value = xdup("64");
    g->n_cases = 1;
    g->cases = calloc(1, sizeof *g->cases);
    vcf_case *c = &g->cases[0];
    c->id = xdup("vmsg-bus-ping-pong");
    c->n_rules = 1;
    c->rules = calloc(1, sizeof *c->rules);
    c->rules[0] = xdup("VMSG-FWD-01");
    c->description = xdup("ping");
    c->level = VCF_LEVEL_MUST;
    c->n_steps = 1;
    c->steps = calloc(1, sizeof *c->steps);
    vcf_step *s = &c->steps[0];
    s->kind = VCF_STEP_ACTION;
    s->action = VCF_ACT_VMSG_PING;
    s->args[0] = UINT64_MAX;
    s->expect.n_alts = 1;
    s->expect.alts = calloc(1, sizeof *s->expect.alts);
    s->expect.alts[0].n_obs = 1;
    s->expect.alts[0].obs = calloc(1, sizeof(vcf_obs_match));
    vcf_obs_match *o = &s->expect.alts[0].obs[0];
    o->kind = VCF_OBS_MSG;
    o->msg.channel = 2; /* "device" */
    o->msg.bytes.len = 2;
    o->msg.bytes.data = malloc(2);
    o->msg.bytes.data[0] = 0xAB;
    o->msg.bytes.data[1] = 0x01;

    char *text = vcf_vfile_dump(&f);
    assert_non_null(text);
    assert_non_null(strstr(text, "\"numberOfCases\": 1,"));
    assert_non_null(strstr(text, "\"notes\": {},"));
    assert_non_null(strstr(text, "\"unobservable\": [],"));
    assert_non_null(strstr(text, "\"value\": \"0xffffffffffffffff\""));
    assert_non_null(strstr(text, "\"channel\": \"device\""));
    assert_non_null(strstr(text, "\"hex\": \"ab01\""));
    vcf_vfile back;
    char err[512];
    if (vcf_vfile_load_string("mem", text, &back, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_true(back.groups[0].cases[0].steps[0].args[0] == UINT64_MAX);
    assert_int_equal(back.groups[0].cases[0].line, 16);
    char *again = vcf_vfile_dump(&back);
    assert_string_equal(again, text);
    free(again);
    free(text);
    vcf_vfile_free(&back);

    /* what the writer refuses: a channel the role lacks, an unknown rule (save only) */
    o->msg.channel = 3;
    assert_null(vcf_vfile_dump(&f));
    assert_int_equal(vcf_vfile_save(&f, "test_vector.bad.json", err, sizeof err), -1);
    assert_non_null(strstr(err, "case vmsg-bus-ping-pong: channel 3 is not a channel of role "
                                "virtio-msg-bus"));
    o->msg.channel = 2;
    vcf_copy cp = {0, 0, 0, 0, 1};
    s->copies = &cp;
    s->n_copies = 1;
    assert_null(vcf_vfile_dump(&f));
    assert_int_equal(vcf_vfile_save(&f, "test_vector.bad.json", err, sizeof err), -1);
    assert_non_null(strstr(err, "copies before an action"));
    s->copies = NULL;
    s->n_copies = 0;
    free(c->rules[0]);
    c->rules[0] = xdup("VMSG-FWD-99");
    assert_non_null(text = vcf_vfile_dump(&f)); /* the dump is only the shape */
    free(text);
    assert_int_equal(vcf_vfile_save(&f, "test_vector.bad.json", err, sizeof err), -1);
    assert_non_null(strstr(err, "would not load"));
    assert_non_null(strstr(err, "test_vector.bad.json:"));
    assert_non_null(strstr(err, "VMSG-FWD-99"));
    FILE *fp = fopen("test_vector.bad.json", "rb");
    assert_null(fp);
    fp = fopen("test_vector.bad.json.tmp", "rb");
    assert_null(fp);
    free(c->rules[0]);
    c->rules[0] = xdup("VMSG-FWD-01");
    assert_int_equal(vcf_vfile_save(&f, "/nonexistent-dir/x.json", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent-dir/x.json.tmp: cannot create"));
    vcf_vfile_free(&f);
}

/* The example in docs/vectors.md loads, and is written in the canonical form. */
static void test_docs_example(void **state)
{
    (void)state;
    char *doc = read_text(VCF_TEST_DOCS_VECTORS);
    char *start = strstr(doc, "```json\n");
    assert_non_null(start);
    start += strlen("```json\n");
    char *end = strstr(start, "```");
    assert_non_null(end);
    *end = '\0';
    vcf_vfile f;
    char err[512];
    if (vcf_vfile_load_string("docs/vectors.md", start, &f, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(vcf_vfile_count(&f), 1);
    char *out = vcf_vfile_dump(&f);
    assert_string_equal(out, start);
    free(out);
    vcf_vfile_free(&f);
    free(doc);
}

static const char *roles_label(uint32_t roles)
{
    if (roles == (VCF_IUT_ROLE_BIT(VCF_IUT_RPMSG_DRIVER) | VCF_IUT_ROLE_BIT(VCF_IUT_RPMSG_DEVICE)))
        return "RPMsg";
    if (roles == VCF_IUT_ROLE_BIT(VCF_IUT_VMSG_DEVICE))
        return "virtio-msg device";
    if (roles == VCF_IUT_ROLE_BIT(VCF_IUT_VMSG_DRIVER))
        return "virtio-msg driver";
    if (roles == VCF_IUT_ROLE_BIT(VCF_IUT_VMSG_BUS))
        return "virtio-msg bus";
    return "?";
}

/* "| roles | `name` | `a`, `b` | data |" as the docs tables start each row. */
static void table_row(char *buf, size_t cap, uint32_t roles, const char *name,
                      const char *const *args, const char *data)
{
    char list[160] = "";
    for (unsigned k = 0; k < VCF_ADAPTER_ARG_MAX; k++)
        if (args[k])
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s`%s`", list[0] ? ", " : "",
                     args[k]);
    snprintf(buf, cap, "\n| %s | `%s` | %s | %s |", roles_label(roles), name,
             list[0] ? list : "\xe2\x80\x94", data ? data : "\xe2\x80\x94");
}

static size_t table_rows(const char *from, const char *to)
{
    size_t n = 0;
    for (const char *p = strstr(from, "\n| "); p && p < to; p = strstr(p + 1, "\n| "))
        if (strncmp(p, "\n| roles ", strlen("\n| roles ")) != 0)
            n++;
    return n;
}

/* The action and event tables of docs/vectors.md list exactly the adapter ABI's entries. */
static void test_docs_names_match_tables(void **state)
{
    (void)state;
    char *doc = read_text(VCF_TEST_DOCS_VECTORS);
    char *acts = strstr(doc, "\nActions (");
    char *evs = strstr(doc, "\nEvents (");
    char *end = strstr(doc, "\nThe source of these names");
    assert_non_null(acts);
    assert_non_null(evs);
    assert_non_null(end);
    *end = '\0';
    char row[256];
    size_t n = 0;
    for (const vcf_action_info *a = vcf_adapter_actions(); a->name; a++, n++) {
        table_row(row, sizeof row, a->roles, a->name, a->args, a->data);
        char *at = strstr(acts, row);
        if (!at || at > evs)
            fail_msg("docs/vectors.md: no action row starting '%s'", row + 1);
    }
    assert_int_equal(table_rows(acts, evs), n);
    n = 0;
    for (const vcf_event_info *e = vcf_adapter_events(); e->name; e++, n++) {
        table_row(row, sizeof row, e->roles, e->name, e->args, e->data);
        if (!strstr(evs, row))
            fail_msg("docs/vectors.md: no event row starting '%s'", row + 1);
    }
    assert_int_equal(table_rows(evs, evs + strlen(evs)), n);
    free(doc);
}

/* Every "model." key of harness/src/PARAMS.txt has a row in the docs' table. */
static void test_docs_model_keys(void **state)
{
    (void)state;
    char *doc = read_text(VCF_TEST_DOCS_VECTORS);
    char *params = read_text(VCF_TEST_PARAMS);
    size_t n = 0;
    for (const char *p = strstr(params, "model."); p; p = strstr(p + 1, "model.")) {
        if (p[6] < 'a' || p[6] > 'z' || (p > params && p[-1] != ' ' && p[-1] != '\n'))
            continue; /* "model." in prose, "virtio-msg-model.md" */
        char key[64];
        size_t k = 0;
        key[0] = '`';
        while (k < 48 && ((p[k] >= 'a' && p[k] <= 'z') || p[k] == '_' || p[k] == '.')) {
            key[k + 1] = p[k];
            k++;
        }
        key[k + 1] = '`';
        key[k + 2] = '\0';
        char row[80];
        snprintf(row, sizeof row, "\n| %s |", key);
        if (!strstr(doc, row))
            fail_msg("docs/vectors.md has no row for %s", key);
        n++;
    }
    assert_true(n >= 13);
    free(params);
    free(doc);
}

/* ---- rejections ----------------------------------------------------------------------------- */

#define SAME_LINE  ((size_t)-1) /* the line where the needle starts */
#define NEXT_LINE  ((size_t)-2)
#define PREV_LINE  ((size_t)-3)
#define ANY_LINE   0
#define ANY_COLUMN 0

static size_t line_of(const char *text, const char *at)
{
    size_t line = 1;
    for (const char *p = text; p < at; p++)
        line += *p == '\n';
    return line;
}

/*
 * Replace the first occurrence of needle in the good RPMsg file with repl and load it: the load
 * must fail, the message must start with "t.json:LINE:" (LINE: where the needle was, the line
 * after it, or the number given) and contain every part (NULL-terminated).
 */
static void reject(const char *needle, const char *repl, size_t line, size_t column, ...)
{
    char *text = read_text(GOOD_RPMSG);
    char *at = strstr(text, needle);
    if (!at)
        fail_msg("needle not found: %s", needle);
    size_t pre = (size_t)(at - text), nlen = strlen(needle), rlen = strlen(repl);
    char *bad = malloc(strlen(text) - nlen + rlen + 1);
    assert_non_null(bad);
    memcpy(bad, text, pre);
    memcpy(bad + pre, repl, rlen);
    strcpy(bad + pre + rlen, at + nlen);
    if (line == SAME_LINE)
        line = line_of(text, at);
    else if (line == NEXT_LINE)
        line = line_of(text, at) + 1;
    else if (line == PREV_LINE)
        line = line_of(text, at) - 1;

    vcf_vfile f;
    char err[1024];
    memset(err, 'x', sizeof err);
    int rc = vcf_vfile_load_string("t.json", bad, &f, err, sizeof err);
    if (rc == 0)
        fail_msg("accepted after replacing '%s' with '%s'", needle, repl);
    assert_null(f.groups); /* nothing is left allocated */
    char want[64];
    if (line == ANY_LINE)
        snprintf(want, sizeof want, "t.json:");
    else if (column)
        snprintf(want, sizeof want, "t.json:%zu:%zu: ", line, column);
    else
        snprintf(want, sizeof want, "t.json:%zu:", line);
    if (strncmp(err, want, strlen(want)) != 0)
        fail_msg("expected the message to start with '%s': %s", want, err);
    va_list ap;
    va_start(ap, column);
    for (const char *part; (part = va_arg(ap, const char *));)
        if (!strstr(err, part))
            fail_msg("expected '%s' in: %s", part, err);
    va_end(ap);
    free(bad);
    free(text);
}

static void test_reject_bad_json(void **state)
{
    (void)state;
    reject("\"role\": \"rpmsg-driver\",", "\"role\": \"rpmsg-driver\"", NEXT_LINE, ANY_COLUMN,
           "invalid JSON", NULL);
    reject("\"numberOfCases\": 4,", "\"numberOfCases\": 4,,", SAME_LINE, ANY_COLUMN, "invalid JSON",
           NULL);
    /* duplicate keys are a syntax error too */
    reject("\"generator\": \"hand-written\",",
           "\"generator\": \"hand-written\", \"generator\": \"x\",", SAME_LINE, ANY_COLUMN,
           "invalid JSON", "duplicate", NULL);

    vcf_vfile f;
    char err[512];
    assert_int_equal(vcf_vfile_load_string("e.json", "", &f, err, sizeof err), -1);
    assert_non_null(strstr(err, "e.json:1:"));
    assert_int_equal(vcf_vfile_load_string("e.json", "[1, 2]\n", &f, err, sizeof err), -1);
    assert_non_null(strstr(err, "e.json:1:1: (top): expected an object at the top level, found "
                                "an array"));
    assert_int_equal(vcf_vfile_load("/nonexistent/v.json", &f, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/v.json: cannot open"));
}

static void test_reject_unknown_key(void **state)
{
    (void)state;
    reject("\"level\": \"SHOULD\",", "\"level\": \"SHOULD\", \"comment\": \"x\",", SAME_LINE, 30,
           "groups[0].cases[1].comment (case rpmsg-drv-create-ept)", "unknown key \"comment\"",
           "expected one of id, rules, level", NULL);
    reject("\"schema\": \"vconform-vectors-1\",",
           "\"schema\": \"vconform-vectors-1\", \"tcId\": 1,", SAME_LINE, 35, ": tcId: unknown key",
           NULL);
    reject("\"used_len\": 21,", "\"used_len\": 21, \"len\": 21,", SAME_LINE, ANY_COLUMN,
           "groups[1].cases[0].steps[1].expect.any_of[0][0].msg.len", "unknown key", NULL);
}

static void test_reject_missing_key(void **state)
{
    (void)state;
    /* the error points at the object that lacks it */
    reject("\"description\": \"sending\",", "", PREV_LINE, ANY_COLUMN,
           "groups[1]: missing required key \"description\"", NULL);
    reject("\"spec\": \"RPMsg catalogue (vconform rules --proto rpmsg)\",", "", 1, 1,
           "(top): missing required key \"spec\"", NULL);
}

static void test_reject_bad_hex(void **state)
{
    (void)state;
    /* the column is the bad digit's: the value starts at column 24 ('"') */
    reject("\"hex\": \"000400009909", "\"hex\": \"00040000990g", SAME_LINE, 24 + 12,
           "groups[0].cases[2].steps[0].inject.hex (case rpmsg-drv-unknown-dst)",
           "expected hex digits (0-9, a-f), found 'g' at character 12", NULL);
    reject("\"data\": \"6869\"", "\"data\": \"68 69\"", SAME_LINE, ANY_COLUMN,
           "any_of[1][0].event.data", "found ' ' at character 3", NULL);
}

static void test_reject_odd_hex(void **state)
{
    (void)state;
    reject("\"hex\": \"000400009909000000000000020000006869\"",
           "\"hex\": \"00040000990900000000000002000000686\"", SAME_LINE, 24,
           "groups[0].cases[2].steps[0].inject.hex",
           "expected an even number of hex digits (two per byte), found 35", NULL);
}

static void test_reject_mask_length(void **state)
{
    (void)state;
    reject("\"mask\": \"ffffffffffffffff00000000ffffffffffffffffff\"",
           "\"mask\": \"ffffffffffffffff00000000ffffffffffffffff\"", SAME_LINE, ANY_COLUMN,
           "groups[1].cases[0].steps[1].expect.any_of[0][0].msg.mask (case rpmsg-drv-send.basic_1)",
           "expected a mask of 21 bytes (the length of hex), found 20 bytes", NULL);
}

static void test_reject_unknown_names(void **state)
{
    (void)state;
    reject("\"channel\": \"vq1\"", "\"channel\": \"link\"", SAME_LINE, ANY_COLUMN, "msg.channel",
           "expected a channel of role rpmsg-driver (vq0, vq1), found \"link\"", NULL);
    reject("\"name\": \"destroy\"", "\"name\": \"start\"", SAME_LINE, ANY_COLUMN,
           "groups[1].cases[0].steps[2].action.name",
           "expected an action of role rpmsg-driver (create, destroy, send, announce, "
           "return-buffers), found \"start\"",
           NULL);
    reject("\"name\": \"ept-bound\"", "\"name\": \"ept-lost\"", SAME_LINE, ANY_COLUMN,
           "groups[0].cases[1].steps[0].expect.ignore[0].event.name",
           "expected an event of role rpmsg-driver (deliver, channel-created", "\"ept-lost\"",
           NULL);
    /* an event of another role */
    reject("\"name\": \"ept-bound\"", "\"name\": \"config-read\"", SAME_LINE, ANY_COLUMN,
           "found \"config-read\"", NULL);
}

static void test_reject_unknown_args(void **state)
{
    (void)state;
    reject("\"dst\": 1024", "\"dest\": 1024", SAME_LINE, ANY_COLUMN,
           "groups[1].cases[0].steps[1].action.args.dest",
           "expected an argument of action send (src, dst), found \"dest\"", NULL);
    reject("\"claimed_len\": 2", "\"length\": 2", SAME_LINE, ANY_COLUMN,
           "any_of[1][0].event.args.length",
           "expected an argument of event deliver (ept, addr, claimed_len), found \"length\"",
           NULL);
    /* every argument of an action is given */
    reject("\"src\": 1024,\n", "", PREV_LINE, ANY_COLUMN, "groups[1].cases[0].steps[1].action.args",
           "missing argument \"src\" of action send", NULL);
    /* data where the table has none; a number where a number belongs */
    reject("\"addr\": 1024\n                }\n              },\n              \"expect\": {\n"
           "                \"any_of\": [\n                  []\n                ],\n"
           "                \"result\": \"refused\"",
           "\"addr\": 1024\n                }, \"data\": \"00\"\n              },\n"
           "              \"expect\": {\n                \"any_of\": [\n                  []\n"
           "                ],\n                \"result\": \"refused\"",
           NEXT_LINE, ANY_COLUMN, "action.data", "expected no data: action destroy carries none",
           NULL);
    reject("\"addr\": 1024\n", "\"addr\": 10.5\n", SAME_LINE, ANY_COLUMN,
           "expected a non-negative integer or a \"0x...\" string", "found 10.5", NULL);
    reject("\"addr\": 1024\n", "\"addr\": \"1024\"\n", SAME_LINE, ANY_COLUMN, "found \"1024\"",
           NULL);
}

static void test_reject_unknown_rule(void **state)
{
    (void)state;
    reject("\"RPMSG-EP-02\"", "\"RPMSG-EP-99\"", SAME_LINE, ANY_COLUMN,
           "groups[0].cases[2].rules[0] (case rpmsg-drv-unknown-dst)",
           "expected a rule ID of the rpmsg catalogue, found \"RPMSG-EP-99\" (in no catalogue)",
           NULL);
    reject("\"RPMSG-EP-02\"", "\"VMSG-INIT-01\"", SAME_LINE, ANY_COLUMN,
           "found \"VMSG-INIT-01\" (a rule of another catalogue)", NULL);
    reject("\"RPMSG-VQ-02\"", "\"RPMSG-VQ-77\"", SAME_LINE, ANY_COLUMN, "unobservable[0].rule",
           "\"RPMSG-VQ-77\"", NULL);
    reject("\"RPMSG-NS-09\"", "\"RPMSG-NS-01\"", SAME_LINE, ANY_COLUMN, "rules[1]",
           "expected each rule once, found \"RPMSG-NS-01\" again", NULL);
}

static void test_reject_duplicate_id(void **state)
{
    (void)state;
    /* the message names the first one's place: its case starts the line before its "id" */
    char *text = read_text(GOOD_RPMSG);
    char first[96];
    snprintf(first, sizeof first, "(first at groups[0].cases[1], line %zu)",
             line_of(text, strstr(text, "\"id\": \"rpmsg-drv-create-ept\"")) - 1);
    free(text);
    reject("\"id\": \"rpmsg-drv-send.basic_1\"", "\"id\": \"rpmsg-drv-create-ept\"", SAME_LINE,
           ANY_COLUMN, "groups[1].cases[0].id",
           "expected a case ID unique within the file, found \"rpmsg-drv-create-ept\" again", first,
           NULL);
    reject("\"id\": \"rpmsg-drv-send.basic_1\"", "\"id\": \"rpmsg-drv-Send\"", SAME_LINE,
           ANY_COLUMN, "expected a case ID \"rpmsg-drv-...\"", NULL);
    reject("\"id\": \"rpmsg-drv-send.basic_1\"", "\"id\": \"rpmsg-drv-send--x\"", SAME_LINE,
           ANY_COLUMN, "expected a case ID", NULL);
}

static void test_reject_flag_without_note(void **state)
{
    (void)state;
    /* rename the note: the case's flag (further down) is left without one */
    char *text = read_text(GOOD_RPMSG);
    size_t flag_line = line_of(text, strstr(text, "\"Legacy-order\"\n"));
    free(text);
    reject("\"Legacy-order\": \"Byte", "\"Legacy-Order\": \"Byte", flag_line, ANY_COLUMN,
           "groups[0].cases[1].flags[0] (case rpmsg-drv-create-ept)",
           "expected a flag explained in the file's notes, found \"Legacy-order\"", NULL);
    reject("\"Legacy-order\": \"Byte order of legacy links.\"", "\"Legacy-order\": \"\"", SAME_LINE,
           ANY_COLUMN, "notes.Legacy-order", "expected a non-empty string", NULL);
}

static void test_reject_acceptable_without_flag(void **state)
{
    (void)state;
    reject("\"flags\": [\n            \"DropOrReport\"\n          ],", "\"flags\": [],", SAME_LINE,
           ANY_COLUMN, "groups[0].cases[2].flags (case rpmsg-drv-unknown-dst)",
           "expected at least one flag saying why the result is acceptable, found none", NULL);
}

static void test_reject_number_of_cases(void **state)
{
    (void)state;
    reject("\"numberOfCases\": 4,", "\"numberOfCases\": 5,", SAME_LINE, 20,
           "numberOfCases: expected the number of cases in the file, 4, found 5", NULL);
    reject("\"numberOfCases\": 4,", "\"numberOfCases\": \"4\",", SAME_LINE, ANY_COLUMN,
           "numberOfCases: expected an integer, found \"4\"", NULL);
}

static void test_reject_empty_any_of(void **state)
{
    (void)state;
    reject("\"any_of\": [\n                  []\n                ],", "\"any_of\": [],", SAME_LINE,
           ANY_COLUMN, "groups[0].cases[1].steps[0].expect.any_of (case rpmsg-drv-create-ept)",
           "expected at least one alternative", NULL);
    reject("\"any_of\": [\n                  []\n                ],", "", PREV_LINE, ANY_COLUMN,
           "groups[0].cases[1].steps[0].expect (case rpmsg-drv-create-ept)",
           "missing required key \"any_of\"", NULL);
}

static void test_reject_other_classes(void **state)
{
    (void)state;
    reject("\"schema\": \"vconform-vectors-1\"", "\"schema\": \"vconform-vectors-0\"", SAME_LINE,
           13, "schema: expected \"vconform-vectors-1\", found \"vconform-vectors-0\"", NULL);
    reject("\"role\": \"rpmsg-driver\"", "\"role\": \"rpmsg-host\"", SAME_LINE, ANY_COLUMN,
           "role: expected a role (rpmsg-driver, rpmsg-device, virtio-msg-device, "
           "virtio-msg-driver, virtio-msg-bus), found \"rpmsg-host\"",
           NULL);
    /* the right shape for another role is still wrong for this one */
    reject("\"role\": \"rpmsg-driver\"", "\"role\": \"rpmsg-device\"", 27, 17,
           "expected a case ID \"rpmsg-dev-...\"", NULL);
    reject("\"result\": \"refused\"", "\"result\": \"failed\"", SAME_LINE, ANY_COLUMN,
           "expect.result", "expected \"done\" or \"refused\", found \"failed\"", NULL);
    reject("\"level\": \"SHOULD\"", "\"level\": \"IMPL\"", SAME_LINE, ANY_COLUMN,
           "expected \"MUST\", \"SHOULD\" or \"MAY\", found \"IMPL\"", NULL);
    reject("\"result\": \"valid\"", "\"result\": \"pass\"", SAME_LINE, ANY_COLUMN, "found \"pass\"",
           NULL);
    reject("\"buf_size\": \"512\"", "\"buf_size\": 512", SAME_LINE, ANY_COLUMN,
           "groups[0].params.buf_size", "expected a string (parameter values are strings", NULL);
    reject("\"used_len\": 56", "\"used_len\": -56", SAME_LINE, ANY_COLUMN,
           "expected a non-negative integer, found -56", NULL);
    reject("\"used_len\": 56", "\"used_len\": \"0x1234567890abcdef0\"", SAME_LINE, ANY_COLUMN,
           "string of 1 to 16 hex digits", NULL);
    reject("\"text\": \"rpmsg-echo\"\n              },",
           "\"text\": \"rpmsg-echo\", \"data\": \"00\"\n              },", SAME_LINE, ANY_COLUMN,
           "expected \"data\" or \"text\", found both", NULL);
    reject("\"value\": 1024,", "\"value_mask\": 1,", NEXT_LINE, ANY_COLUMN, "invalid JSON",
           NULL); /* a duplicate key */
    reject("\"value\": 1024\n", "\"value_mask\": 1024\n", SAME_LINE, ANY_COLUMN,
           "expected \"value_mask\" only with \"value\"", NULL);
    reject("\"inject\": {\n                \"channel\": \"vq0\",\n                \"hex\": "
           "\"000400009909",
           "\"action\": {\"name\": \"destroy\", \"args\": {\"addr\": 1}}, \"inject\": {\n"
           "                \"channel\": \"vq0\",\n                \"hex\": \"000400009909",
           SAME_LINE, ANY_COLUMN, "expected \"inject\" or \"action\", found both", NULL);
    reject("\"steps\": [\n            {\n              \"inject\"",
           "\"steps\": [],\"x\": [\n            {\n              \"inject\"", SAME_LINE, ANY_COLUMN,
           "unknown key \"x\"", NULL);
    reject("\"any_of\": [\n                  [],", "\"any_of\": [\n                  [], {},",
           NEXT_LINE, ANY_COLUMN, "any_of[1]", "expected an array of observations", NULL);
    reject("\"event\": {\n                        \"name\": \"deliver\"",
           "\"event\": {\n                        \"name\": \"deliver\"}, \"msg\": {\"channel\": "
           "\"vq0\", \"hex\": \"\"",
           SAME_LINE, ANY_COLUMN, "expected \"msg\" or \"event\", found both", NULL);
}

static void test_reject_bad_copy(void **state)
{
    (void)state;
    reject("\"step\": 1,", "\"step\": 3,", SAME_LINE, ANY_COLUMN,
           "groups[1].cases[0].steps[3].inject.copy[0].step (case rpmsg-drv-send.basic_1)",
           "expected an earlier step of the case (0 to 2), found 3", NULL);
    reject("\"len\": 4\n", "\"len\": 0\n", SAME_LINE, ANY_COLUMN, "copy[0].len",
           "expected at least one byte to copy, found 0", NULL);
    reject("\"to\": 4,", "\"to\": 16,", SAME_LINE, ANY_COLUMN, "copy[0].to",
           "expected bytes 16..20 to lie inside the stimulus (18 bytes)", NULL);
    reject("\"msg\": 0,", "\"msg\": \"0\",", SAME_LINE, ANY_COLUMN, "copy[0].msg",
           "expected a non-negative integer, found \"0\"", NULL);
    reject("\"msg\": 0,", "\"message\": 0,", SAME_LINE, ANY_COLUMN, "copy[0].message",
           "unknown key \"message\": expected one of step, msg, from, to, len", NULL);
    /* a missing key is reported at its object, which opens two lines above "msg" */
    char *text = read_text(GOOD_RPMSG);
    size_t open_line = line_of(text, strstr(text, "\"msg\": 0,")) - 2;
    free(text);
    reject("\"msg\": 0,\n", "", open_line, ANY_COLUMN, "copy[0]", "missing required key \"msg\"",
           NULL);
}

/* The files the schema must reject (vectors_schema_reject) are rejected by the loader too. */
static void test_reject_schema_negatives(void **state)
{
    (void)state;
    static const char *const names[] = {"acceptable-without-flag",
                                        "copy-len-zero",
                                        "bad-hex-char",
                                        "bad-result",
                                        "data-and-text",
                                        "empty-any-of",
                                        "flag-bad-name",
                                        "id-of-another-role",
                                        "inject-and-action",
                                        "level-impl",
                                        "missing-description",
                                        "negative-number",
                                        "no-steps",
                                        "obs-msg-and-event",
                                        "odd-hex",
                                        "param-not-string",
                                        "result-after-inject",
                                        "u64-too-long",
                                        "unknown-key",
                                        "value-mask-alone",
                                        "wrong-schema"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[512], err[512];
        snprintf(path, sizeof path, "%s/bad/%s.json", VCF_TEST_VECTOR_DIR, names[i]);
        vcf_vfile f;
        err[0] = '\0';
        if (vcf_vfile_load(path, &f, err, sizeof err) == 0)
            fail_msg("%s was accepted", path);
        /* FILE:LINE:COL: with a line past the opening brace */
        char want[600];
        snprintf(want, sizeof want, "%s:", path);
        assert_int_equal(strncmp(err, want, strlen(want)), 0);
        unsigned line = 0, col = 0;
        assert_int_equal(sscanf(err + strlen(want), "%u:%u:", &line, &col), 2);
        assert_true(line >= 2);
        assert_true(col >= 1);
    }
}

/* ---- lint mode ---------------------------------------------------------------------------- */

typedef struct seen_id {
    char *id;
    const char *file;
    size_t line;
} seen_id;

static int lint(int argc, char **argv)
{
    seen_id *seen = NULL;
    size_t n_seen = 0;
    int bad = 0;
    for (int i = 0; i < argc; i++) {
        vcf_vfile f;
        char err[1024];
        if (vcf_vfile_load(argv[i], &f, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            bad = 1;
            continue;
        }
        for (size_t g = 0; g < f.n_groups; g++)
            for (size_t k = 0; k < f.groups[g].n_cases; k++) {
                const vcf_case *c = &f.groups[g].cases[k];
                for (size_t j = 0; j < n_seen; j++)
                    if (strcmp(seen[j].id, c->id) == 0) {
                        fprintf(stderr, "%s:%zu: case ID %s is already used at %s:%zu\n", argv[i],
                                c->line, c->id, seen[j].file, seen[j].line);
                        bad = 1;
                    }
                seen_id *ns = realloc(seen, (n_seen + 1) * sizeof *seen);
                if (!ns) {
                    fprintf(stderr, "out of memory\n");
                    return 1;
                }
                seen = ns;
                char *id = malloc(strlen(c->id) + 1);
                if (!id) {
                    fprintf(stderr, "out of memory\n");
                    return 1;
                }
                strcpy(id, c->id);
                seen[n_seen++] = (seen_id){id, argv[i], c->line};
            }
        printf("%s: %zu cases, role %s: ok\n", argv[i], vcf_vfile_count(&f),
               vcf_iut_role_name(f.role));
        vcf_vfile_free(&f);
    }
    for (size_t j = 0; j < n_seen; j++)
        free(seen[j].id);
    free(seen);
    return bad;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--lint") == 0)
        return lint(argc - 2, argv + 2);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_rpmsg_fields),
        cmocka_unit_test(test_load_vmsg_numbers),
        cmocka_unit_test(test_vresult_names),
        cmocka_unit_test(test_dump_is_byte_identical),
        cmocka_unit_test(test_save_load_save_fixed_point),
        cmocka_unit_test(test_build_in_memory),
        cmocka_unit_test(test_docs_example),
        cmocka_unit_test(test_docs_names_match_tables),
        cmocka_unit_test(test_docs_model_keys),
        cmocka_unit_test(test_reject_bad_json),
        cmocka_unit_test(test_reject_unknown_key),
        cmocka_unit_test(test_reject_missing_key),
        cmocka_unit_test(test_reject_bad_hex),
        cmocka_unit_test(test_reject_odd_hex),
        cmocka_unit_test(test_reject_mask_length),
        cmocka_unit_test(test_reject_unknown_names),
        cmocka_unit_test(test_reject_unknown_args),
        cmocka_unit_test(test_reject_unknown_rule),
        cmocka_unit_test(test_reject_duplicate_id),
        cmocka_unit_test(test_reject_flag_without_note),
        cmocka_unit_test(test_reject_acceptable_without_flag),
        cmocka_unit_test(test_reject_number_of_cases),
        cmocka_unit_test(test_reject_empty_any_of),
        cmocka_unit_test(test_reject_other_classes),
        cmocka_unit_test(test_reject_bad_copy),
        cmocka_unit_test(test_reject_schema_negatives),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
