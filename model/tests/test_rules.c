/* SPDX-License-Identifier: MIT */
/*
 * The rule catalogues: every entry complete, IDs well-formed and unique, lookups consistent.
 */
#include <ctype.h>

#include "vcf_test.h"

#include "vconform/rpmsg_model.h"
#include "vconform/vmsg_model.h"

#include "vconform/rpmsg_rules.h"
#include "vconform/rules.h"
#include "vconform/vmsg_rules.h"

/* "<PROTO>-<FAMILY>-<NN>": a family of upper-case letters and digits starting with a letter
 * ("HDR", "R3"), then two digits. */
static void assert_id_shape(const char *id, const char *prefix)
{
    size_t plen = strlen(prefix);
    assert_memory_equal(id, prefix, plen);
    const char *p = id + plen;
    size_t letters = 0, digits = 0;
    assert_true(isupper((unsigned char)*p));
    while (isupper((unsigned char)*p) || isdigit((unsigned char)*p)) {
        p++;
        letters++;
    }
    assert_true(letters >= 2);
    assert_int_equal(*p++, '-');
    while (isdigit((unsigned char)*p)) {
        p++;
        digits++;
    }
    assert_int_equal(digits, 2);
    assert_int_equal(*p, '\0');
}

/* What every entry of every catalogue has. */
static void assert_entry_complete(const vcf_rule *r, const char *prefix)
{
    assert_non_null(r->id);
    assert_id_shape(r->id, prefix);
    assert_true(r->level <= VCF_LEVEL_IMPL);
    assert_true(r->actors != 0 && (r->actors & ~(VCF_ACTOR_BOTH | VCF_ACTOR_BUS)) == 0);
    assert_true(r->aspect <= VCF_ASPECT_LINK);
    assert_true(r->topic && *r->topic);
    assert_true(r->title && *r->title);
    assert_true(r->statement && strlen(r->statement) > 20);
    assert_int_equal(r->statement[strlen(r->statement) - 1], '.');
    assert_non_null(r->sources);
    assert_non_null(r->sources[0]);
    for (size_t s = 0; r->sources[s]; s++)
        assert_true(strlen(r->sources[s]) > 5);
    if (r->level == VCF_LEVEL_IMPL) {
        assert_true(r->stacks && *r->stacks);
    } else {
        assert_null(r->stacks);
        assert_null(r->profiles);
    }
    if (r->profiles) { /* only profiles the protocol's model has */
        if (strncmp(r->id, "RPMSG", 5) == 0) {
            vcf_rpmsg_profile rp;
            assert_int_equal(vcf_rpmsg_profile_parse(r->profiles, &rp), VCF_OK);
        } else {
            vcf_vmsg_profile vp;
            assert_int_equal(vcf_vmsg_profile_parse(r->profiles, &vp), VCF_OK);
        }
    }
    assert_false(r->withdrawn);
}

static void test_rpmsg_entries_complete(void **state)
{
    (void)state;
    const vcf_catalogue *c = vcf_catalogue_get("rpmsg");
    assert_non_null(c);
    assert_int_equal(c->count, VCF_RPMSG_RULE_COUNT);
    size_t levels[4] = {0};
    for (size_t i = 0; i < c->count; i++) {
        const vcf_rule *r = &c->rules[i];
        assert_ptr_equal(r, vcf_rpmsg_rule_info((vcf_rpmsg_rule)i));
        assert_string_equal(r->id, vcf_rpmsg_rule_id((vcf_rpmsg_rule)i));
        assert_entry_complete(r, "RPMSG-");
        assert_true((r->actors & VCF_ACTOR_BUS) == 0); /* RPMsg has no bus role */
        assert_null(r->label);                         /* and no specification */
        assert_null(r->revisions);
        levels[r->level]++;
    }
    /* Every level is represented; the counts are part of the published catalogue. */
    assert_true(levels[VCF_LEVEL_MUST] >= 30);
    assert_true(levels[VCF_LEVEL_SHOULD] >= 5);
    assert_true(levels[VCF_LEVEL_MAY] >= 1);
    assert_true(levels[VCF_LEVEL_IMPL] >= 15);
}

static void test_vmsg_entries_complete(void **state)
{
    (void)state;
    const vcf_catalogue *c = vcf_catalogue_get("virtio-msg");
    assert_non_null(c);
    assert_int_equal(c->count, VCF_VMSG_RULE_COUNT);
    size_t labelled = 0, pr28 = 0;
    for (size_t i = 0; i < c->count; i++) {
        const vcf_rule *r = &c->rules[i];
        assert_ptr_equal(r, vcf_vmsg_rule_info((vcf_vmsg_rule)i));
        assert_string_equal(r->id, vcf_vmsg_rule_id((vcf_vmsg_rule)i));
        assert_entry_complete(r, "VMSG-");
        /* revisions: "pr28", "rfc3" or "pr28, rfc3" */
        assert_non_null(r->revisions);
        assert_true(strcmp(r->revisions, "pr28") == 0 || strcmp(r->revisions, "rfc3") == 0 ||
                    strcmp(r->revisions, "pr28, rfc3") == 0);
        pr28 += strncmp(r->revisions, "pr28", 4) == 0;
        /* A PR28 normative rule carries the spec's label; the prefix says whose block it is. */
        if (r->label) {
            labelled++;
            assert_true(strncmp(r->label, "bus:", 4) == 0 || strncmp(r->label, "drv:", 4) == 0 ||
                        strncmp(r->label, "dev:", 4) == 0 || strncmp(r->label, "sec:", 4) == 0 ||
                        strstr(r->label, "normative:") != NULL);
        }
    }
    /* PR28 has 135 labelled normative bullets; each is covered by at least one rule. */
    assert_true(labelled >= 135);
    assert_true(pr28 >= 135);
    assert_null(vcf_vmsg_rule_info(VCF_VMSG_RULE_NONE));
}

static void test_ids_unique_and_found(void **state)
{
    (void)state;
    for (const vcf_catalogue *const *c = vcf_catalogues(); *c; c++)
        for (size_t i = 0; i < (*c)->count; i++) {
            const vcf_rule *r = &(*c)->rules[i];
            assert_ptr_equal(vcf_rule_find(r->id), r);
            for (size_t j = i + 1; j < (*c)->count; j++)
                assert_string_not_equal(r->id, (*c)->rules[j].id);
        }
    assert_null(vcf_rule_find("RPMSG-HDR-99"));
    assert_null(vcf_rule_find("rpmsg-hdr-01"));
    assert_null(vcf_catalogue_get("nope"));
    assert_null(vcf_rpmsg_rule_info(VCF_RPMSG_RULE_NONE));
    /* IDs back to rules, as the models read the IDs the codecs put in vcf_error.rule */
    assert_int_equal(vcf_rpmsg_rule_lookup("RPMSG-NS-05"), VCF_RPMSG_NS_05);
    assert_int_equal(vcf_rpmsg_rule_lookup("RPMSG-NS-99"), VCF_RPMSG_RULE_NONE);
    assert_int_equal(vcf_rpmsg_rule_lookup(NULL), VCF_RPMSG_RULE_NONE);
    assert_int_equal(vcf_vmsg_rule_lookup("VMSG-GEN-03"), VCF_VMSG_R_GEN_03);
    assert_int_equal(vcf_vmsg_rule_lookup("RPMSG-NS-05"), VCF_VMSG_RULE_NONE);
    assert_string_equal(vcf_rpmsg_rule_id(VCF_RPMSG_RULE_NONE), "");
}

/* Published IDs keep their meaning: the ones other documents already cite stay where they are. */
static void test_published_ids_stable(void **state)
{
    (void)state;
    const struct {
        const char *id;
        vcf_rule_level level;
        const char *title;
    } fixed[] = {
        {"RPMSG-HDR-08", VCF_LEVEL_MUST, "len must fit in the used length"},
        {"RPMSG-NS-03", VCF_LEVEL_MUST, "the payload is 40 bytes"},
        {"RPMSG-ADDR-04", VCF_LEVEL_SHOULD, "dynamic addresses start at 1024"},
        {"RPMSG-END-01", VCF_LEVEL_MUST, "one byte order per link"},
        {"RPMSG-HDR-14", VCF_LEVEL_IMPL, "Linux keeps the buffer of a dropped message"},
        {"VMSG-GEN-03", VCF_LEVEL_MUST, "stale SET_CONFIG rejected"},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        const vcf_rule *r = vcf_rule_find(fixed[i].id);
        assert_non_null(r);
        assert_int_equal(r->level, fixed[i].level);
        assert_string_equal(r->title, fixed[i].title);
    }
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(vcf_rule_level_name(VCF_LEVEL_MUST), "MUST");
    assert_string_equal(vcf_rule_level_name(VCF_LEVEL_IMPL), "IMPL");
    assert_string_equal(vcf_rule_aspect_name(VCF_ASPECT_RECEIVE), "receive");
    char buf[64];
    assert_int_equal(vcf_rule_actors_format(VCF_ACTOR_BOTH, buf, sizeof buf), 14);
    assert_string_equal(buf, "driver, device");
    vcf_rule_actors_format(VCF_ACTOR_BUS, buf, sizeof buf);
    assert_string_equal(buf, "bus");
    /* Truncation behaves like snprintf. */
    assert_int_equal(vcf_rule_actors_format(VCF_ACTOR_BOTH, buf, 5), 14);
    assert_string_equal(buf, "driv");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rpmsg_entries_complete),
        cmocka_unit_test(test_vmsg_entries_complete),
        cmocka_unit_test(test_ids_unique_and_found),
        cmocka_unit_test(test_published_ids_stable),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
