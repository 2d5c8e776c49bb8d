/* SPDX-License-Identifier: MIT */
/* vconform-uml-agent: the endpoint table and the event queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agent.h"

static vcf_agent_table t;

static vcf_agent_ept ept(vcf_agent_ept_kind kind, uint32_t addr, const char *dev)
{
    vcf_agent_ept e;
    memset(&e, 0, sizeof e);
    e.kind = kind;
    e.addr = addr;
    e.fd = (int)addr;
    if (dev)
        strcpy(e.dev, dev);
    return e;
}

static void test_table(void **state)
{
    (void)state;
    memset(&t, 0, sizeof t);
    vcf_agent_ept a = ept(VCF_AGENT_EPTDEV, 0x400, NULL);
    vcf_agent_ept b = ept(VCF_AGENT_CHANNEL, 0x401, "virtio0.svc.1025.-1");
    vcf_agent_ept c = ept(VCF_AGENT_REMOTE, 0x402, "virtio0.rpmsg-raw.-1.1024");
    assert_non_null(vcf_agent_table_add(&t, &a));
    assert_non_null(vcf_agent_table_add(&t, &b));
    assert_non_null(vcf_agent_table_add(&t, &c));
    assert_int_equal(vcf_agent_table_find(&t, 0x401)->fd, 0x401);
    assert_null(vcf_agent_table_find(&t, 0x403));
    /* by device: remote channels only */
    assert_ptr_equal(vcf_agent_table_find_dev(&t, "virtio0.rpmsg-raw.-1.1024"), &t.e[2]);
    assert_null(vcf_agent_table_find_dev(&t, "virtio0.svc.1025.-1"));

    vcf_agent_table_remove(&t, vcf_agent_table_find(&t, 0x400));
    assert_int_equal(t.n, 2);
    assert_int_equal(t.e[0].addr, 0x401); /* order kept */
    assert_int_equal(t.e[1].addr, 0x402);
    assert_null(vcf_agent_table_find(&t, 0x400));
    vcf_agent_table_remove(&t, &t.e[5]); /* not an entry: ignored */
    assert_int_equal(t.n, 2);

    /* full */
    while (t.n < VCF_AGENT_MAX_EPTS) {
        vcf_agent_ept e = ept(VCF_AGENT_EPTDEV, 0x1000 + (uint32_t)t.n, NULL);
        assert_non_null(vcf_agent_table_add(&t, &e));
    }
    assert_null(vcf_agent_table_add(&t, &a));
}

static void test_queue(void **state)
{
    (void)state;
    vcf_agent_queue q;
    memset(&q, 0, sizeof q);
    assert_null(vcf_agent_queue_pop(&q));
    assert_int_equal(vcf_agent_queue_push(&q, 0x100, 0x400, 0xFFFFFFFF, 5, "hello", 5), 0);
    assert_int_equal(vcf_agent_queue_push(&q, 0x101, 0xFFFFFFFF, 0x400, 0, "rpmsg-raw", 9), 0);
    assert_int_equal(vcf_agent_queue_push(&q, 0x100, 0x400, 0xFFFFFFFF, 0, NULL, 0), 0);
    assert_int_equal(q.n, 3);
    vcf_agent_event *e = vcf_agent_queue_pop(&q);
    assert_int_equal(e->type, 0x100);
    assert_int_equal(e->args[0], 0x400);
    assert_int_equal(e->args[2], 5);
    assert_memory_equal(e->data, "hello", 5);
    free(e);
    e = vcf_agent_queue_pop(&q);
    assert_int_equal(e->type, 0x101);
    assert_int_equal(e->len, 9);
    free(e);
    assert_int_equal(q.n, 1);
    vcf_agent_queue_clear(&q);
    assert_int_equal(q.n, 0);
    assert_null(q.head);
    assert_null(q.tail);
    /* usable after clear */
    assert_int_equal(vcf_agent_queue_push(&q, 0x102, 1, 2, 3, "x", 1), 0);
    e = vcf_agent_queue_pop(&q);
    assert_int_equal(e->type, 0x102);
    free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_queue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
