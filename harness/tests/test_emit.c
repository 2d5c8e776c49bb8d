/* SPDX-License-Identifier: MIT */
/*
 * The text and JSON emitters, fed by the model's field visitor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "emit.h"
#include "vconform/rpmsg.h"
#include "vconform/vmsg.h"

static const uint8_t vqueue_resp[48] = {
    0x01, 0x09, 0x01, 0x00, 0x07, 0x00, 0x30, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
    0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

static json_t *vmsg_json(const uint8_t *b, size_t n)
{
    vcf_vmsg_params p;
    vcf_vmsg_params_default(&p);
    vcf_vmsg_msg m;
    assert_int_equal(vcf_vmsg_parse(b, n, &p, &m, NULL), VCF_OK);
    json_t *root = json_object();
    vcf_cli_json j;
    vcf_cli_json_init(&j, root);
    vcf_vmsg_describe(&m, &p, vcf_cli_json_field, &j);
    /* the tree survives a round trip through text */
    char *s = json_dumps(root, JSON_COMPACT);
    json_error_t jerr;
    json_t *back = json_loads(s, 0, &jerr);
    free(s);
    assert_non_null(back);
    assert_true(json_equal(root, back));
    json_decref(back);
    return root;
}

static void test_json_fields(void **state)
{
    (void)state;
    json_t *root = vmsg_json(vqueue_resp, sizeof vqueue_resp);
    json_t *hdr = json_object_get(root, "header");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(hdr, "msg_size"), "value")),
                     48);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(hdr, "msg_id"), "meaning")),
        "GET_VQUEUE");
    json_t *payload = json_object_get(root, "payload");
    json_t *cur = json_object_get(payload, "cur_size");
    assert_int_equal(json_integer_value(json_object_get(cur, "offset")), 16);
    assert_int_equal(json_integer_value(json_object_get(cur, "size")), 4);
    assert_int_equal(json_integer_value(json_object_get(cur, "value")), 128);
    /* above 2^53 a value is a hex string, so no JSON reader rounds it */
    json_t *desc = json_object_get(payload, "desc_addr");
    assert_string_equal(json_string_value(json_object_get(desc, "value")), "0x1122334455667788");
    json_t *drv = json_object_get(payload, "driver_addr");
    assert_int_equal(json_integer_value(json_object_get(drv, "value")), 0x2000);
    json_decref(root);
}

static void test_json_arrays_and_strings(void **state)
{
    (void)state;
    static const uint8_t feats[24] = {0x01, 0x03, 0x01, 0x00, 0x05, 0x00, 0x18, 0x00,
                                      0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
                                      0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00};
    json_t *root = vmsg_json(feats, sizeof feats);
    json_t *arr = json_object_get(json_object_get(root, "payload"), "features");
    assert_true(json_is_array(arr));
    assert_int_equal(json_array_size(arr), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(arr, 1), "value")), 0x101);
    json_decref(root);

    /* an unterminated NS name: text up to the end, flagged, bytes as hex */
    uint8_t ns[56] = {0x00, 0x04, 0, 0, 53, 0, 0, 0, 0, 0, 0, 0, 40, 0, 0, 0};
    memset(ns + 16, 'x', 32);
    ns[16] = 0xFF;
    vcf_rpmsg_params rp;
    vcf_rpmsg_params_default(&rp);
    vcf_rpmsg_msg m;
    assert_int_equal(vcf_rpmsg_parse(ns, sizeof ns, &rp, &m, NULL), VCF_OK);
    json_t *r = json_object();
    vcf_cli_json j;
    vcf_cli_json_init(&j, r);
    vcf_rpmsg_describe(&m, &rp, vcf_cli_json_field, &j);
    json_t *name = json_object_get(json_object_get(r, "ns"), "name");
    assert_false(json_boolean_value(json_object_get(name, "terminated")));
    const char *text = json_string_value(json_object_get(name, "text"));
    assert_non_null(text);
    assert_int_equal(strncmp(text, "\\xffxxx", 7), 0);
    assert_int_equal(strlen(json_string_value(json_object_get(name, "hex"))), 64);
    json_decref(r);
}

static void test_error_json(void **state)
{
    (void)state;
    vcf_error e = {VCF_E_SIZE_MISMATCH,  "len", 12,           40, 39,
                   VCF_ERROR_HAS_VALUES, "x",   "RPMSG-NS-03"};
    json_t *o = vcf_cli_error_json(&e);
    assert_string_equal(json_string_value(json_object_get(o, "code")), "size-mismatch");
    assert_string_equal(json_string_value(json_object_get(o, "class")), "structural");
    assert_int_equal(json_integer_value(json_object_get(o, "expected")), 40);
    assert_non_null(strstr(json_string_value(json_object_get(o, "text")), "offset 12 (len)"));
    assert_string_equal(json_string_value(json_object_get(o, "rule")), "RPMSG-NS-03");
    json_decref(o);
    e.rule = NULL;
    o = vcf_cli_error_json(&e);
    assert_true(json_is_null(json_object_get(o, "rule")));
    json_decref(o);
    json_t *big = vcf_cli_json_uint(1ull << 53);
    assert_string_equal(json_string_value(big), "0x20000000000000");
    json_decref(big);
    json_t *small = vcf_cli_json_uint((1ull << 53) - 1);
    assert_true(json_is_integer(small));
    json_decref(small);
}

static void test_text_output(void **state)
{
    (void)state;
    vcf_vmsg_params p;
    vcf_vmsg_params_default(&p);
    vcf_vmsg_msg m;
    assert_int_equal(vcf_vmsg_parse(vqueue_resp, sizeof vqueue_resp, &p, &m, NULL), VCF_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    vcf_cli_text t;
    vcf_cli_text_init(&t, f);
    vcf_vmsg_describe(&m, &p, vcf_cli_text_field, &t);
    fclose(f);
    assert_non_null(strstr(buf, "    +1    msg_id             0x09  GET_VQUEUE\n"));
    assert_non_null(strstr(buf, "    +16   cur_size           128\n"));
    assert_non_null(strstr(buf, "    +24   desc_addr          0x1122334455667788\n"));
    assert_non_null(strstr(buf, "  payload  GET_VQUEUE response\n"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_fields),
        cmocka_unit_test(test_json_arrays_and_strings),
        cmocka_unit_test(test_error_json),
        cmocka_unit_test(test_text_output),
    };
    return cmocka_run_group_tests_name("emit", tests, NULL, NULL);
}
