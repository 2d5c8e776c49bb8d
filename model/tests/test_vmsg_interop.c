/* SPDX-License-Identifier: MIT */
/*
 * The virtio-msg roles against each other: the driver model initialises and operates the device
 * model, directly and through the bus relay, under several revisions, message sizes and
 * readings; then long random sequences of resets, configuration changes, queue resets,
 * notifications and hotplug. Neither side may ever see a rule broken by the other: a verdict
 * other than the ones a test provokes on purpose fails the test.
 */
#include "vmsg_model_test.h"

/* ---- a message pump ------------------------------------------------------------------------- */

enum side { TO_DEV, TO_DRV, TO_BUS_FROM_DRV, TO_BUS_FROM_DEV };

typedef struct qmsg {
    enum side to;
    size_t len;
    uint8_t b[VCF_VMSG_MSG_SIZE_LIMIT];
} qmsg;

typedef struct world {
    vcf_vmsg_driver *drv;
    vcf_vmsg_device *dev;
    vcf_vmsg_bus *bus; /* NULL: driver and device talk directly */
    qmsg *q;
    size_t head, tail;
    size_t delivered;
    size_t verdicts; /* verdicts seen while pumping */
    size_t drv_events[32];
    size_t dev_events[32];
} world;

#define QCAP 16u

static vcf_vmsg_output out;

static void enqueue(world *w, enum side to, const uint8_t *data, size_t len)
{
    assert_true(w->tail - w->head < QCAP);
    qmsg *m = &w->q[w->tail++ % QCAP];
    m->to = to;
    m->len = len;
    memcpy(m->b, data, len);
}

/* Queue what an output sent and account for its events and verdicts. */
static void collect(world *w, const vcf_vmsg_output *o, bool from_driver, bool from_bus)
{
    for (size_t i = 0; i < o->n_verdicts; i++) {
        if (o->verdicts[i].action == VCF_VMSG_ACT_REFUSE)
            continue; /* an upper-layer request refused: not a fault of the peer */
        w->verdicts++;
        print_message("verdict %s %s\n", vcf_vmsg_rule_id(o->verdicts[i].rule),
                      vcf_vmsg_action_name(o->verdicts[i].action));
    }
    for (size_t i = 0; i < o->n_events; i++) {
        if (from_bus)
            continue;
        size_t *ev = from_driver ? w->drv_events : w->dev_events;
        ev[o->events[i].type]++;
    }
    for (size_t i = 0; i < o->n_tx; i++) {
        const vcf_vmsg_tx *t = &o->tx[i];
        enum side to;
        if (from_bus)
            to = t->dest == VCF_VMSG_TO_DEVICE ? TO_DEV : TO_DRV;
        else if (w->bus)
            to = from_driver ? TO_BUS_FROM_DRV : TO_BUS_FROM_DEV;
        else
            to = from_driver ? TO_DEV : TO_DRV;
        enqueue(w, to, t->data, t->len);
    }
}

/* Deliver queued messages until none is left. */
static void pump(world *w)
{
    size_t guard = 0;
    while (w->head != w->tail) {
        assert_true(++guard < 100000);
        qmsg *m = &w->q[w->head++ % QCAP];
        w->delivered++;
        switch (m->to) {
        case TO_DEV:
            vcf_vmsg_device_rx(w->dev, m->b, m->len, &out);
            collect(w, &out, false, false);
            break;
        case TO_DRV:
            vcf_vmsg_driver_rx(w->drv, m->b, m->len, &out);
            collect(w, &out, true, false);
            break;
        case TO_BUS_FROM_DRV:
            vcf_vmsg_bus_from_driver(w->bus, m->b, m->len, &out);
            collect(w, &out, false, true);
            break;
        case TO_BUS_FROM_DEV:
            vcf_vmsg_bus_from_device(w->bus, m->b, m->len, &out);
            collect(w, &out, false, true);
            break;
        }
    }
}

static world *make(const vcf_vmsg_driver_config *dc, const vcf_vmsg_device_config *vc,
                   bool with_bus)
{
    world *w = calloc(1, sizeof *w);
    assert_non_null(w);
    w->q = malloc(QCAP * sizeof *w->q);
    w->drv = malloc(sizeof *w->drv);
    w->dev = malloc(sizeof *w->dev);
    assert_non_null(w->q);
    assert_non_null(w->drv);
    assert_non_null(w->dev);
    vcf_error err;
    assert_int_equal(vcf_vmsg_driver_init(w->drv, dc, &err), VCF_OK);
    assert_int_equal(vcf_vmsg_device_init(w->dev, vc, &err), VCF_OK);
    if (with_bus) {
        vcf_vmsg_bus_config bc;
        vcf_vmsg_bus_config_default(&bc);
        bc.link = vc->link;
        w->bus = malloc(sizeof *w->bus);
        assert_non_null(w->bus);
        assert_int_equal(vcf_vmsg_bus_init(w->bus, &bc, &err), VCF_OK);
        /* platform data: the device number is known valid */
        assert_int_equal(vcf_vmsg_bus_set_device(w->bus, vc->dev_num, true, false, &out), VCF_OK);
    }
    return w;
}

static void destroy(world *w)
{
    free(w->q);
    free(w->drv);
    free(w->dev);
    free(w->bus);
    free(w);
}

/* Run the driver's initialisation to its end. */
static void initialise(world *w)
{
    assert_int_equal(vcf_vmsg_driver_start(w->drv, &out), VCF_OK);
    collect(w, &out, true, false);
    pump(w);
}

static void configs(vcf_vmsg_driver_config *dc, vcf_vmsg_device_config *vc)
{
    vcf_vmsg_driver_config_default(dc);
    vcf_vmsg_device_config_default(vc);
}

#define V1 (1u << (VCF_VIRTIO_F_VERSION_1 - 32))
#define RR (1u << (VCF_VIRTIO_F_RING_RESET - 32))
#define ND (1u << (VCF_VIRTIO_F_NOTIFICATION_DATA - 32))

/* Both sides agree on everything initialisation settled. */
static void expect_ready(world *w)
{
    assert_int_equal(vcf_vmsg_driver_state_of(w->drv), VCF_VMSG_DRV_READY);
    assert_int_equal(w->drv_events[VCF_VMSG_EV_READY], 1);
    assert_int_equal(vcf_vmsg_device_status(w->dev), 0x0F);
    for (uint32_t b = 0; b < VCF_VMSG_MAX_FEATURE_BLOCKS; b++)
        assert_int_equal(vcf_vmsg_driver_negotiated(w->drv, b),
                         vcf_vmsg_device_features(w->dev, b));
    uint32_t queues = w->drv->cfg.num_queues < w->dev->cfg.max_virtqueues
                          ? w->drv->cfg.num_queues
                          : w->dev->cfg.max_virtqueues;
    for (uint32_t i = 0; i < queues; i++) {
        const vcf_vmsg_vq *a = vcf_vmsg_driver_vq(w->drv, i), *b = vcf_vmsg_device_vq(w->dev, i);
        assert_int_equal(b->state, VCF_VMSG_VQ_LIVE);
        assert_int_equal(a->size, b->size);
        assert_true(a->desc_addr == b->desc_addr && a->driver_addr == b->driver_addr &&
                    a->device_addr == b->device_addr);
    }
    assert_memory_equal(vcf_vmsg_driver_config_view(w->drv), vcf_vmsg_device_config_space(w->dev),
                        w->dev->cfg.config_size);
    if (w->dev->cfg.config_size) /* an empty space is never read: no generation seen */
        assert_int_equal(vcf_vmsg_driver_generation(w->drv), vcf_vmsg_device_generation(w->dev));
}

/* ---- initialisation ---------------------------------------------------------------------------
 */

static void run_init(uint32_t max, vcf_vmsg_rev rev, bool with_bus, uint32_t config_size)
{
    vcf_vmsg_driver_config dc;
    vcf_vmsg_device_config vc;
    configs(&dc, &vc);
    dc.link.max_msg_size = vc.link.max_msg_size = max;
    dc.link.rev = vc.link.rev = rev;
    vc.config_size = config_size;
    for (uint32_t i = 0; i < config_size; i++)
        vc.config[i] = (uint8_t)(i * 7 + 1);
    vc.link.opt.gen_init = 0xFFFFFFF0u;
    world *w = make(&dc, &vc, with_bus);
    initialise(w);
    expect_ready(w);
    assert_int_equal(w->verdicts, 0);
    assert_int_equal(vcf_vmsg_driver_negotiated(w->drv, 1), V1 | RR);
    if (with_bus)
        assert_int_equal(vcf_vmsg_bus_inflight(w->bus, 1), 0);
    destroy(w);
}

static void test_initialisation_direct(void **state)
{
    (void)state;
    static const uint32_t sizes[] = {48, 64, 264, 65535};
    for (size_t i = 0; i < 4; i++) {
        run_init(sizes[i], VCF_VMSG_REV_PR28, false, 12);
        run_init(sizes[i], VCF_VMSG_REV_RFC3, false, 12);
        run_init(sizes[i], VCF_VMSG_REV_PR28, false, 1000); /* read in chunks */
        run_init(sizes[i], VCF_VMSG_REV_PR28, false, 0);
    }
}

static void test_initialisation_through_the_bus(void **state)
{
    (void)state;
    run_init(264, VCF_VMSG_REV_PR28, true, 12);
    run_init(48, VCF_VMSG_REV_PR28, true, 300);
    run_init(264, VCF_VMSG_REV_RFC3, true, 12);
}

static void test_device_refuses_features(void **state)
{
    (void)state;
    vcf_vmsg_driver_config dc;
    vcf_vmsg_device_config vc;
    configs(&dc, &vc);
    vc.offered[0] = 1u << 5;  /* a device feature the driver does not know, */
    vc.required[0] = 1u << 5; /* and cannot work without */
    world *w = make(&dc, &vc, false);
    initialise(w);
    assert_int_equal(vcf_vmsg_driver_state_of(w->drv), VCF_VMSG_DRV_FAILED);
    assert_int_equal(w->drv_events[VCF_VMSG_EV_INIT_FAILED], 1);
    /* the driver gave up and said so: FAILED set, FEATURES_OK not */
    assert_int_equal(vcf_vmsg_device_status(w->dev) & 0x88, 0x80);
    destroy(w);
}

static void test_no_device(void **state)
{
    (void)state;
    vcf_vmsg_driver_config dc;
    vcf_vmsg_device_config vc;
    configs(&dc, &vc);
    vc.inactive = true;
    world *w = make(&dc, &vc, false);
    initialise(w);
    assert_int_equal(vcf_vmsg_driver_state_of(w->drv), VCF_VMSG_DRV_NO_DEVICE);
    assert_int_equal(vcf_vmsg_device_status(w->dev), 0);
    destroy(w);
}

static void test_queue_limits(void **state)
{
    (void)state;
    vcf_vmsg_driver_config dc;
    vcf_vmsg_device_config vc;
    configs(&dc, &vc);
    dc.num_queues = 3;
    dc.queue_size = 1024;
    vc.vq_max_size[1] = 0; /* an unusable queue in the middle */
    vc.vq_max_size[2] = 64;
    world *w = make(&dc, &vc, false);
    initialise(w);
    assert_int_equal(vcf_vmsg_driver_state_of(w->drv), VCF_VMSG_DRV_READY);
    assert_int_equal(vcf_vmsg_device_vq(w->dev, 0)->size, 256);
    assert_int_equal(vcf_vmsg_device_vq(w->dev, 1)->state, VCF_VMSG_VQ_INACTIVE);
    assert_int_equal(vcf_vmsg_device_vq(w->dev, 2)->size, 64);
    assert_int_equal(w->verdicts, 0);
    destroy(w);
}

/* ---- operation ------------------------------------------------------------------------------ */

static world *ready_world(bool with_bus, uint32_t max)
{
    vcf_vmsg_driver_config dc;
    vcf_vmsg_device_config vc;
    configs(&dc, &vc);
    dc.link.max_msg_size = vc.link.max_msg_size = max;
    vc.config_size = 200;
    vc.offered[1] |= ND;
    world *w = make(&dc, &vc, with_bus);
    initialise(w);
    expect_ready(w);
    return w;
}

static void test_config_changes_reach_the_driver(void **state)
{
    (void)state;
    world *w = ready_world(false, 64);
    uint8_t data[100];
    for (int i = 0; i < 100; i++)
        data[i] = (uint8_t)(0x80 | i);
    /* small: carried in EVENT_CONFIG */
    assert_int_equal(vcf_vmsg_device_config_change(w->dev, 10, data, 8, &out), VCF_OK);
    collect(w, &out, false, false);
    pump(w);
    expect_ready(w);
    /* large: length 0, the driver re-reads */
    assert_int_equal(vcf_vmsg_device_config_change(w->dev, 20, data, 100, &out), VCF_OK);
    collect(w, &out, false, false);
    pump(w);
    expect_ready(w);
    assert_true(w->drv_events[VCF_VMSG_EV_CONFIG_CHANGED] >= 2);
    assert_int_equal(w->verdicts, 0);
    destroy(w);
}

static void test_stale_write_refreshed(void **state)
{
    (void)state;
    world *w = ready_world(false, 264);
    /* the device changes its config, but the driver writes before it hears of it */
    uint8_t a = 0x11, b = 0x22;
    assert_int_equal(vcf_vmsg_device_config_change(w->dev, 0, &a, 1, &out), VCF_OK);
    /* the EVENT_CONFIG is lost on the way (dropped here on purpose) */
    assert_int_equal(vcf_vmsg_driver_config_write(w->drv, 4, &b, 1, &out), VCF_OK);
    collect(w, &out, true, false);
    pump(w);
    assert_int_equal(w->drv_events[VCF_VMSG_EV_CONFIG_REJECTED], 1);
    assert_int_not_equal(vcf_vmsg_device_config_space(w->dev)[4], 0x22);
    /* the driver refreshed its view and generation: a retry goes through */
    assert_int_equal(vcf_vmsg_driver_generation(w->drv), vcf_vmsg_device_generation(w->dev));
    w->verdicts = 0;
    assert_int_equal(vcf_vmsg_driver_config_write(w->drv, 4, &b, 1, &out), VCF_OK);
    collect(w, &out, true, false);
    pump(w);
    assert_int_equal(vcf_vmsg_device_config_space(w->dev)[4], 0x22);
    assert_int_equal(w->verdicts, 0);
    destroy(w);
}

static void test_needs_reset_reinitialises(void **state)
{
    (void)state;
    world *w = ready_world(true, 264);
    assert_int_equal(vcf_vmsg_device_fail(w->dev, &out), VCF_OK);
    collect(w, &out, false, false);
    pump(w);
    /* the driver reset the device and brought it up again */
    assert_int_equal(w->drv_events[VCF_VMSG_EV_NEEDS_RESET], 1);
    assert_true(w->dev_events[VCF_VMSG_EV_RESET] >= 2); /* initial reset, then this one */
    assert_int_equal(w->drv_events[VCF_VMSG_EV_READY], 2);
    w->drv_events[VCF_VMSG_EV_READY] = 1;
    expect_ready(w);
    destroy(w);
}

static void test_notifications_both_ways(void **state)
{
    (void)state;
    world *w = ready_world(true, 264);
    assert_int_equal(vcf_vmsg_driver_notify(w->drv, 0, 0x8005, &out), VCF_OK);
    collect(w, &out, true, false);
    pump(w);
    assert_int_equal(w->dev_events[VCF_VMSG_EV_AVAIL], 1);
    assert_int_equal(vcf_vmsg_device_used(w->dev, 1, &out), VCF_OK);
    collect(w, &out, false, false);
    pump(w);
    assert_int_equal(w->drv_events[VCF_VMSG_EV_USED], 1);
    assert_int_equal(w->verdicts, 0);
    destroy(w);
}

static void test_queue_reset_and_reconfigure(void **state)
{
    (void)state;
    world *w = ready_world(false, 264);
    for (uint32_t round = 0; round < 20; round++) {
        uint32_t q = round % 2;
        assert_int_equal(vcf_vmsg_driver_reset_vq(w->drv, q, &out), VCF_OK);
        collect(w, &out, true, false);
        pump(w);
        assert_int_equal(vcf_vmsg_device_vq(w->dev, q)->state, VCF_VMSG_VQ_INACTIVE);
        assert_int_equal(vcf_vmsg_driver_setup_vq(w->drv, q, &out), VCF_OK);
        collect(w, &out, true, false);
        pump(w);
        assert_int_equal(vcf_vmsg_device_vq(w->dev, q)->state, VCF_VMSG_VQ_LIVE);
        expect_ready(w);
    }
    assert_int_equal(w->verdicts, 0);
    /* a reset and re-initialisation brings every queue back */
    assert_int_equal(vcf_vmsg_driver_reset(w->drv, true, &out), VCF_OK);
    collect(w, &out, true, false);
    pump(w);
    w->drv_events[VCF_VMSG_EV_READY] = 1;
    expect_ready(w);
    destroy(w);
}

static void test_long_operation(void **state)
{
    (void)state;
    th_seed(0xC0FFEEu);
    for (int bus = 0; bus < 2; bus++) {
        world *w = ready_world(bus, bus ? 48 : 264);
        uint8_t data[64];
        for (int step = 0; step < 3000; step++) {
            for (size_t i = 0; i < sizeof data; i++)
                data[i] = (uint8_t)th_rand();
            int rc = VCF_OK;
            bool drv = true;
            switch (th_rand() % 9) {
            case 0:
                rc = vcf_vmsg_device_config_change(w->dev, th_rand() % 150, data,
                                                   1 + th_rand() % 50, &out);
                drv = false;
                break;
            case 1:
                rc = vcf_vmsg_driver_config_write(w->drv, th_rand() % 190, data, 1 + th_rand() % 10,
                                                  &out);
                break;
            case 2:
                rc = vcf_vmsg_driver_config_read(w->drv, th_rand() % 150, 1 + th_rand() % 50, &out);
                break;
            case 3:
                rc = vcf_vmsg_driver_notify(w->drv, th_rand() % 2, th_rand() & 0xFFFF, &out);
                break;
            case 4:
                rc = vcf_vmsg_device_used(w->dev, th_rand() % 2, &out);
                drv = false;
                break;
            case 5:
                rc = th_rand() % 2 ? vcf_vmsg_driver_reset_vq(w->drv, th_rand() % 2, &out)
                                   : vcf_vmsg_driver_setup_vq(w->drv, th_rand() % 2, &out);
                break;
            case 6: rc = vcf_vmsg_driver_get_status(w->drv, &out); break;
            case 7:
                if (th_rand() % 8 == 0) {
                    rc = vcf_vmsg_device_fail(w->dev, &out);
                    drv = false;
                } else {
                    rc = vcf_vmsg_driver_reset(w->drv, true, &out);
                }
                break;
            default: rc = vcf_vmsg_driver_get_shm(w->drv, th_rand() % 3, &out); break;
            }
            /* refusals (busy, a queue already reset, ...) are fine; they send nothing */
            if (rc != VCF_OK)
                assert_int_equal(out.n_tx, 0);
            collect(w, &out, drv, false);
            pump(w);
            assert_int_equal(w->verdicts, 0);
            /* when the driver is up, both sides agree */
            if (vcf_vmsg_driver_state_of(w->drv) == VCF_VMSG_DRV_READY && !w->drv->busy) {
                assert_int_equal(vcf_vmsg_device_status(w->dev) & 0x0F, 0x0F);
                assert_int_equal(vcf_vmsg_driver_generation(w->drv),
                                 vcf_vmsg_device_generation(w->dev));
            }
        }
        assert_true(w->drv_events[VCF_VMSG_EV_READY] > 10);
        destroy(w);
    }
}

static void test_hotplug(void **state)
{
    (void)state;
    world *w = ready_world(true, 264);
    /* the device goes away: the bus stops forwarding to it, the driver stops */
    assert_int_equal(vcf_vmsg_bus_set_device(w->bus, 1, false, true, &out), VCF_OK);
    assert_int_equal(vcf_vmsg_driver_removed(w->drv, &out), VCF_OK);
    assert_int_equal(vcf_vmsg_driver_state_of(w->drv), VCF_VMSG_DRV_REMOVED);
    assert_int_not_equal(vcf_vmsg_driver_notify(w->drv, 0, 0, &out), VCF_OK);
    assert_int_equal(out.n_tx, 0);
    /* it comes back: a fresh driver initialises it */
    assert_int_equal(vcf_vmsg_bus_set_device(w->bus, 1, true, true, &out), VCF_OK);
    vcf_vmsg_driver_config dc = w->drv->cfg;
    assert_int_equal(vcf_vmsg_driver_init(w->drv, &dc, NULL), VCF_OK);
    memset(w->drv_events, 0, sizeof w->drv_events);
    initialise(w);
    expect_ready(w);
    destroy(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_initialisation_direct),
        cmocka_unit_test(test_initialisation_through_the_bus),
        cmocka_unit_test(test_device_refuses_features),
        cmocka_unit_test(test_no_device),
        cmocka_unit_test(test_queue_limits),
        cmocka_unit_test(test_config_changes_reach_the_driver),
        cmocka_unit_test(test_stale_write_refreshed),
        cmocka_unit_test(test_needs_reset_reinitialises),
        cmocka_unit_test(test_notifications_both_ways),
        cmocka_unit_test(test_queue_reset_and_reconfigure),
        cmocka_unit_test(test_long_operation),
        cmocka_unit_test(test_hotplug),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
