/* SPDX-License-Identifier: MIT */
/*
 * The capture of a run and the capture library under it: a small run written through
 * vcf_run_capture_case (logical timestamps), read back with libpcap's pcap_open_offline and
 * checked byte by byte (link type, exported-PDU tags, every pseudo-header field including the
 * version-2 link fields taken from the group's parameters, the message); SYNTHESIZED follows
 * the model adapter; the same run written twice gives identical files; USER link types carry
 * no tags; the codec round-trips, still reads version-1 records, and refuses broken records
 * with the byte at fault.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "capture.h"

static char dir[] = "/tmp/vcf-capture-XXXXXX";

/* ---- a small run ---------------------------------------------------------------------------- */

static uint8_t msg_in[] = {0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x01, 0x00, 0x00,
                           0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 'h',  'i'}; /* big-endian header */
static uint8_t msg_out[] = {0x00, 0x00, 0x04, 0x01, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
                            0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 'y',  'o',  '!'};
static uint8_t vmsg_out[] = {0x02, 0x03, 0x00, 0x00, 0x05, 0x00, 0x0c, 0x00, 1, 2, 3, 4};
static uint8_t evt_data[] = {'h', 'i'};

/* legacy big-endian RPMsg link with F_NS */
static vcf_adapter_param rp_params[] = {{"features", "0x1"}, {"order", "be"}, {"buf_size", "256"}};
/* F_NS not negotiated */
static vcf_adapter_param rp2_params[] = {{"features", "0x100000000"}};
static vcf_adapter_param vm_params[] = {{"rev", "rfc3"}, {"max_msg_size", "48"}};
static char rp_id[] = "rpmsg-drv-capture-echo";
static vcf_case rp_case;
static vcf_group rp_group;
static vcf_vfile rp_file;
static vcf_tx_entry rp_tx[4];
static vcf_case_result rp_res;

static char vm_id[] = "vmsg-bus-capture-ping";
static vcf_case vm_case;
static vcf_group vm_group;
static vcf_vfile vm_file;
static vcf_tx_entry vm_tx[1];
static vcf_case_result vm_res;

static void build(void)
{
    memset(&rp_case, 0, sizeof rp_case);
    rp_case.id = rp_id;
    memset(&rp_group, 0, sizeof rp_group);
    rp_group.params = rp_params;
    rp_group.n_params = 3;
    rp_group.cases = &rp_case;
    rp_group.n_cases = 1;
    memset(&rp_file, 0, sizeof rp_file);
    rp_file.role = VCF_IUT_RPMSG_DRIVER;
    rp_file.groups = &rp_group;
    rp_file.n_groups = 1;
    memset(rp_tx, 0, sizeof rp_tx);
    /* step 0: injected on vq1, group capacity */
    rp_tx[0] = (vcf_tx_entry){.step = 0,
                              .dir = VCF_DIR_TO_IUT,
                              .kind = VCF_TX_MSG,
                              .channel = 1,
                              .data = msg_in,
                              .len = sizeof msg_in};
    /* not messages: never in the capture */
    rp_tx[1] = (vcf_tx_entry){.step = 0,
                              .dir = VCF_DIR_FROM_IUT,
                              .kind = VCF_TX_EVENT,
                              .type = 0x100,
                              .data = evt_data,
                              .len = 2};
    rp_tx[2] = (vcf_tx_entry){.step = 1,
                              .dir = VCF_DIR_TO_IUT,
                              .kind = VCF_TX_ACTION,
                              .type = VCF_ACT_RPMSG_SEND,
                              .data = evt_data,
                              .len = 2};
    /* step 1: emitted on vq0 with its own used length and capacity */
    rp_tx[3] = (vcf_tx_entry){.step = 1,
                              .dir = VCF_DIR_FROM_IUT,
                              .kind = VCF_TX_MSG,
                              .channel = 0,
                              .used_len = 64,
                              .capacity = 512,
                              .data = msg_out,
                              .len = sizeof msg_out};
    memset(&rp_res, 0, sizeof rp_res);
    rp_res.vcase = &rp_case;
    rp_res.group = &rp_group;
    rp_res.status = VCF_CASE_FAIL;
    rp_res.failed_step = 1;
    rp_res.tx = rp_tx;
    rp_res.n_tx = 4;

    memset(&vm_case, 0, sizeof vm_case);
    vm_case.id = vm_id;
    memset(&vm_group, 0, sizeof vm_group);
    vm_group.params = vm_params;
    vm_group.n_params = 2;
    vm_group.cases = &vm_case;
    vm_group.n_cases = 1;
    memset(&vm_file, 0, sizeof vm_file);
    vm_file.role = VCF_IUT_VMSG_BUS;
    vm_file.groups = &vm_group;
    vm_file.n_groups = 1;
    vm_tx[0] = (vcf_tx_entry){.step = 2,
                              .dir = VCF_DIR_FROM_IUT,
                              .kind = VCF_TX_MSG,
                              .channel = 2,
                              .data = vmsg_out,
                              .len = sizeof vmsg_out};
    memset(&vm_res, 0, sizeof vm_res);
    vm_res.vcase = &vm_case;
    vm_res.group = &vm_group;
    vm_res.status = VCF_CASE_PASS;
    vm_res.tx = vm_tx;
    vm_res.n_tx = 1;
}

#define BIG_LEN (VCF_CAPTURE_SNAPLEN + 1000u)

static void write_run(const char *path, bool model)
{
    build();
    char err[256] = "";
    vcf_capture_options o;
    vcf_capture_options_init(&o);
    o.timestamps = VCF_CAPTURE_TS_LOGICAL;
    vcf_capture_file *cap = vcf_capture_open(path, &o, err, sizeof err);
    assert_non_null(cap);
    assert_int_equal(vcf_run_capture_case(cap, model, &rp_file, 0, &rp_res), 0);
    assert_int_equal(vcf_run_capture_case(cap, model, &vm_file, 1, &vm_res), 0);
    /* a result without a transcript writes nothing */
    vcf_case_result empty;
    memset(&empty, 0, sizeof empty);
    assert_int_equal(vcf_run_capture_case(cap, model, &vm_file, 2, &empty), 0);
    assert_int_equal(vcf_capture_count(cap), 3);
    /* one record through the library call, longer than the snap length, no case ID */
    uint8_t *big = malloc(BIG_LEN);
    assert_non_null(big);
    for (size_t i = 0; i < BIG_LEN; i++)
        big[i] = (uint8_t)(i * 7u);
    vcf_capture_meta m;
    vcf_capture_meta_init(&m);
    m.role = VCF_IUT_VMSG_DEVICE;
    m.direction = VCF_CAPTURE_DIR_TO_IUT;
    m.case_index = 3;
    m.step_index = 9;
    m.record_index = 1234; /* ignored: the library numbers records */
    m.instance = 7;
    m.bus = VCF_CAPTURE_BUS_FFA;
    assert_int_equal(vcf_capture_record(cap, &m, big, BIG_LEN), 0);
    free(big);
    assert_int_equal(vcf_capture_count(cap), 4);
    assert_string_equal(vcf_capture_error(cap), "");
    assert_int_equal(vcf_capture_close(cap, err, sizeof err), 0);
}

/* ---- reading back ------------------------------------------------------------------------- */

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

typedef struct expect {
    long sec, usec;
    uint8_t protocol, direction, role, channel, order, result;
    uint16_t flags;
    uint32_t capacity, used_len, orig_len, case_index, step_index, record_index;
    uint8_t bus, revision;
    uint16_t link_flags;
    uint32_t max_msg_size, instance;
    const char *id;
    const uint8_t *data;
    size_t data_len; /* bytes present */
} expect;

static const uint8_t std_tags[16] = {0x00, 0x0c, 0x00, 0x08, 'v',  'c',  'o',  'n',
                                     'f',  'o',  'r',  'm',  0x00, 0x00, 0x00, 0x00};

static void check_record(uint32_t linktype, const struct pcap_pkthdr *h, const uint8_t *pkt,
                         const expect *e)
{
    assert_int_equal(h->ts.tv_sec, e->sec);
    assert_int_equal(h->ts.tv_usec, e->usec);
    const size_t tags = linktype == VCF_CAPTURE_LINKTYPE_UPPER_PDU ? 16 : 0;
    assert_true(h->caplen >= tags + 56);
    /* exported-PDU tags, byte for byte */
    if (tags)
        assert_memory_equal(pkt, std_tags, 16);
    const uint8_t *p = pkt + tags;
    size_t id_len = e->id ? strlen(e->id) : 0;
    size_t hdr_len = 56 + ((id_len + 3) & ~(size_t)3);
    assert_memory_equal(p, "VCFP", 4);
    assert_int_equal(p[4], 2);
    assert_int_equal(p[5], e->protocol);
    assert_int_equal(le16(p + 6), hdr_len);
    assert_int_equal(p[8], e->direction);
    assert_int_equal(p[9], e->role);
    assert_int_equal(p[10], e->channel);
    assert_int_equal(p[11], e->order);
    assert_int_equal(p[12], e->result);
    assert_int_equal(p[13], 0);
    assert_int_equal(le16(p + 14), e->flags);
    assert_int_equal(le32(p + 16), e->capacity);
    assert_int_equal(le32(p + 20), e->used_len);
    assert_int_equal(le32(p + 24), e->orig_len);
    assert_int_equal(le32(p + 28), e->case_index);
    assert_int_equal(le32(p + 32), e->step_index);
    assert_int_equal(le32(p + 36), e->record_index);
    assert_int_equal(p[44], e->bus);
    assert_int_equal(p[45], e->revision);
    assert_int_equal(le16(p + 46), e->link_flags);
    assert_int_equal(le32(p + 48), e->max_msg_size);
    assert_int_equal(le32(p + 52), e->instance);
    if (e->id) {
        assert_int_equal(le16(p + 40), 56);
        assert_int_equal(le16(p + 42), id_len);
        assert_memory_equal(p + 56, e->id, id_len);
        for (size_t i = 56 + id_len; i < hdr_len; i++)
            assert_int_equal(p[i], 0);
    } else {
        assert_int_equal(le16(p + 40), 0);
        assert_int_equal(le16(p + 42), 0);
    }
    assert_int_equal(h->caplen, tags + hdr_len + e->data_len);
    assert_int_equal(h->len, tags + hdr_len + e->orig_len);
    assert_memory_equal(p + hdr_len, e->data, e->data_len);

    /* the parser agrees */
    vcf_capture_view v;
    char err[256];
    assert_int_equal(vcf_capture_parse(linktype, pkt, h->caplen, &v, err, sizeof err), 0);
    assert_int_equal(v.tags_len, tags);
    if (tags) {
        assert_int_equal(v.dissector_len, 8);
        assert_memory_equal(v.dissector, "vconform", 8);
    } else {
        assert_null(v.dissector);
    }
    assert_int_equal(v.version, 2);
    assert_int_equal(v.protocol, e->protocol);
    assert_int_equal(v.hdr_len, hdr_len);
    assert_int_equal(v.direction, e->direction);
    assert_int_equal(v.role, e->role);
    assert_int_equal(v.channel, e->channel);
    assert_int_equal(v.order, e->order);
    assert_int_equal(v.result, e->result);
    assert_int_equal(v.flags, e->flags);
    assert_int_equal(v.capacity, e->capacity);
    assert_int_equal(v.used_len, e->used_len);
    assert_int_equal(v.orig_len, e->orig_len);
    assert_int_equal(v.case_index, e->case_index);
    assert_int_equal(v.step_index, e->step_index);
    assert_int_equal(v.record_index, e->record_index);
    assert_int_equal(v.bus, e->bus);
    assert_int_equal(v.revision, e->revision);
    assert_int_equal(v.link_flags, e->link_flags);
    assert_int_equal(v.max_msg_size, e->max_msg_size);
    assert_int_equal(v.instance, e->instance);
    assert_int_equal(v.case_id_len, id_len);
    if (id_len)
        assert_memory_equal(v.case_id, e->id, id_len);
    else
        assert_null(v.case_id);
    assert_int_equal(v.data_len, e->data_len);
    assert_ptr_equal(v.data, p + hdr_len);
}

/* Every record of path against want[n]. */
static void check_file(const char *path, uint32_t linktype, const expect *want, size_t n_want)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(path, errbuf);
    assert_non_null(pc);
    assert_int_equal(pcap_datalink(pc), linktype);
    assert_int_equal(pcap_snapshot(pc), VCF_CAPTURE_SNAPLEN);
    struct pcap_pkthdr *h;
    const u_char *pkt;
    size_t n = 0;
    int rc;
    while ((rc = pcap_next_ex(pc, &h, &pkt)) == 1) {
        assert_true(n < n_want);
        check_record(linktype, h, pkt, &want[n]);
        n++;
    }
    assert_int_equal(rc, PCAP_ERROR_BREAK);
    assert_int_equal(n, n_want);
    pcap_close(pc);
}

static void run_records(bool model, uint8_t *big, expect want[4])
{
    const uint16_t synth = model ? VCF_CAPTURE_F_SYNTHESIZED : 0;
    const size_t big_present = VCF_CAPTURE_SNAPLEN - 16 - 56; /* the record fills the snap length */
    const expect w[4] = {
        /* case 0, step 0: injected, big-endian legacy link with F_NS, capacity from buf_size */
        {0,
         0,
         VCF_CAPTURE_PROTO_RPMSG,
         VCF_CAPTURE_DIR_TO_IUT,
         VCF_IUT_RPMSG_DRIVER,
         1,
         VCF_CAPTURE_ORDER_BE,
         VCF_CASE_FAIL,
         0,
         256,
         sizeof msg_in,
         sizeof msg_in,
         0,
         0,
         0,
         VCF_CAPTURE_BUS_HARNESS,
         0,
         VCF_CAPTURE_L_NS_KNOWN | VCF_CAPTURE_L_NS,
         0,
         0,
         rp_id,
         msg_in,
         sizeof msg_in},
        /* case 0, step 1: emitted (by the model: SYNTHESIZED), in the failed step */
        {0,
         1,
         VCF_CAPTURE_PROTO_RPMSG,
         VCF_CAPTURE_DIR_FROM_IUT,
         VCF_IUT_RPMSG_DRIVER,
         0,
         VCF_CAPTURE_ORDER_BE,
         VCF_CASE_FAIL,
         (uint16_t)(synth | VCF_CAPTURE_F_FAILED_STEP),
         512,
         64,
         sizeof msg_out,
         0,
         1,
         1,
         VCF_CAPTURE_BUS_HARNESS,
         0,
         VCF_CAPTURE_L_NS_KNOWN | VCF_CAPTURE_L_NS,
         0,
         0,
         rp_id,
         msg_out,
         sizeof msg_out},
        /* case 1: virtio-msg bus, RFC3 with a 48-byte maximum, no capacity */
        {1,
         0,
         VCF_CAPTURE_PROTO_VMSG,
         VCF_CAPTURE_DIR_FROM_IUT,
         VCF_IUT_VMSG_BUS,
         2,
         VCF_CAPTURE_ORDER_LE,
         VCF_CASE_PASS,
         synth,
         0,
         sizeof vmsg_out,
         sizeof vmsg_out,
         1,
         2,
         0,
         VCF_CAPTURE_BUS_HARNESS,
         VCF_VMSG_REV_RFC3,
         0,
         48,
         0,
         vm_id,
         vmsg_out,
         sizeof vmsg_out},
        /* the library record, cut at the snap length; the library's own record index */
        {3,
         0,
         VCF_CAPTURE_PROTO_VMSG,
         VCF_CAPTURE_DIR_TO_IUT,
         VCF_IUT_VMSG_DEVICE,
         0,
         VCF_CAPTURE_ORDER_LE,
         VCF_CAPTURE_RESULT_NONE,
         VCF_CAPTURE_F_TRUNCATED,
         0,
         BIG_LEN,
         BIG_LEN,
         3,
         9,
         0,
         VCF_CAPTURE_BUS_FFA,
         0,
         0,
         0,
         7,
         NULL,
         big,
         big_present},
    };
    memcpy(want, w, sizeof w);
}

static uint8_t *make_big(void)
{
    uint8_t *big = malloc(BIG_LEN);
    assert_non_null(big);
    for (size_t i = 0; i < BIG_LEN; i++)
        big[i] = (uint8_t)(i * 7u);
    return big;
}

static void test_run_capture(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "%s/run.pcap", dir);
    uint8_t *big = make_big();
    expect want[4];
    for (int model = 1; model >= 0; model--) {
        write_run(path, model != 0);
        run_records(model != 0, big, want);
        check_file(path, VCF_CAPTURE_LINKTYPE_UPPER_PDU, want, 4);
        unlink(path);
    }
    free(big);
}

/* F_NS not negotiated: the link flags say so, and readers decode without name service. */
static void test_run_link_no_ns(void **state)
{
    (void)state;
    vcf_group g;
    memset(&g, 0, sizeof g);
    g.params = rp2_params;
    g.n_params = 1;
    vcf_capture_meta m;
    vcf_capture_meta_init(&m);
    vcf_run_capture_link(VCF_IUT_RPMSG_DEVICE, &g, &m);
    assert_int_equal(m.protocol, VCF_CAPTURE_PROTO_RPMSG);
    assert_int_equal(m.bus, VCF_CAPTURE_BUS_HARNESS);
    assert_int_equal(m.order, VCF_CAPTURE_ORDER_LE);
    assert_int_equal(m.link_flags, VCF_CAPTURE_L_NS_KNOWN);
    uint8_t buf[256];
    size_t n = vcf_capture_encode(VCF_CAPTURE_LINKTYPE_UPPER_PDU, &m, msg_in, sizeof msg_in, 1000,
                                  buf, sizeof buf);
    vcf_capture_view v;
    char err[128];
    assert_int_equal(vcf_capture_parse(VCF_CAPTURE_LINKTYPE_UPPER_PDU, buf, n, &v, err, sizeof err),
                     0);
    vcf_rpmsg_params rp;
    vcf_capture_rpmsg_params(&v, &rp);
    assert_false(rp.ns);
    assert_int_equal(rp.order, VCF_LITTLE_ENDIAN);

    /* without parameters: the defaults (VERSION_1 and F_NS; PR28, 264 bytes) */
    vcf_capture_meta_init(&m);
    vcf_run_capture_link(VCF_IUT_RPMSG_DRIVER, NULL, &m);
    assert_int_equal(m.link_flags, VCF_CAPTURE_L_NS_KNOWN | VCF_CAPTURE_L_NS);
    vcf_capture_meta_init(&m);
    vcf_run_capture_link(VCF_IUT_VMSG_DEVICE, NULL, &m);
    assert_int_equal(m.protocol, VCF_CAPTURE_PROTO_VMSG);
    assert_int_equal(m.revision, VCF_VMSG_REV_DEFAULT);
    assert_int_equal(m.max_msg_size, 264);
    assert_int_equal(m.link_flags, 0);
}

static void test_deterministic(void **state)
{
    (void)state;
    char a[64], b[64];
    snprintf(a, sizeof a, "%s/a.pcap", dir);
    snprintf(b, sizeof b, "%s/b.pcap", dir);
    write_run(a, true);
    write_run(b, true);
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    assert_non_null(fa);
    assert_non_null(fb);
    size_t total = 0;
    for (;;) {
        int ca = fgetc(fa), cb = fgetc(fb);
        assert_int_equal(ca, cb);
        if (ca == EOF)
            break;
        total++;
    }
    assert_true(total > VCF_CAPTURE_SNAPLEN - 16 - 56 - 4096);
    fclose(fa);
    fclose(fb);
    unlink(a);
    unlink(b);
}

/* LINKTYPE_USER5: the same records without tags; caller timestamps; record indices count
 * through the file when the stamps are not logical. */
static void test_user_linktype(void **state)
{
    (void)state;
    char path[64], err[256] = "";
    snprintf(path, sizeof path, "%s/user.pcap", dir);
    vcf_capture_options o;
    vcf_capture_options_init(&o);
    o.linktype = VCF_CAPTURE_LINKTYPE_USER0 + 5;
    o.timestamps = VCF_CAPTURE_TS_CALLER;
    o.flush_each = 1;
    vcf_capture_file *cap = vcf_capture_open(path, &o, err, sizeof err);
    assert_non_null(cap);
    vcf_capture_meta m;
    vcf_capture_meta_init(&m);
    m.role = VCF_IUT_RPMSG_DEVICE;
    m.direction = VCF_CAPTURE_DIR_FROM_IUT;
    m.capacity = 512;
    m.bus = VCF_CAPTURE_BUS_REMOTEPROC;
    m.link_flags = VCF_CAPTURE_L_NS_KNOWN | VCF_CAPTURE_L_NS;
    m.case_id = "abc";
    assert_int_equal(vcf_capture_record_at(cap, &m, msg_out, sizeof msg_out, 1700000000, 42), 0);
    m.case_index = 5; /* another case: the index still counts through the file */
    m.case_id = NULL;
    m.direction = VCF_CAPTURE_DIR_TO_IUT;
    m.channel = 1;
    assert_int_equal(vcf_capture_record_at(cap, &m, msg_in, sizeof msg_in, 1700000001, 2000000), 0);
    assert_int_equal(vcf_capture_close(cap, err, sizeof err), 0);
    const expect want[2] = {
        {1700000000,
         42,
         VCF_CAPTURE_PROTO_RPMSG,
         VCF_CAPTURE_DIR_FROM_IUT,
         VCF_IUT_RPMSG_DEVICE,
         0,
         VCF_CAPTURE_ORDER_LE,
         VCF_CAPTURE_RESULT_NONE,
         0,
         512,
         sizeof msg_out,
         sizeof msg_out,
         0,
         0,
         0,
         VCF_CAPTURE_BUS_REMOTEPROC,
         0,
         VCF_CAPTURE_L_NS_KNOWN | VCF_CAPTURE_L_NS,
         0,
         0,
         "abc",
         msg_out,
         sizeof msg_out},
        /* microseconds past a second are held at 999999 */
        {1700000001,
         999999,
         VCF_CAPTURE_PROTO_RPMSG,
         VCF_CAPTURE_DIR_TO_IUT,
         VCF_IUT_RPMSG_DEVICE,
         1,
         VCF_CAPTURE_ORDER_LE,
         VCF_CAPTURE_RESULT_NONE,
         0,
         512,
         sizeof msg_in,
         sizeof msg_in,
         5,
         0,
         1,
         VCF_CAPTURE_BUS_REMOTEPROC,
         0,
         VCF_CAPTURE_L_NS_KNOWN | VCF_CAPTURE_L_NS,
         0,
         0,
         NULL,
         msg_in,
         sizeof msg_in},
    };
    check_file(path, VCF_CAPTURE_LINKTYPE_USER0 + 5, want, 2);
    unlink(path);
}

static void test_open_errors(void **state)
{
    (void)state;
    char err[256] = "";
    char path[96];
    snprintf(path, sizeof path, "%s/no/such/dir/x.pcap", dir);
    assert_null(vcf_capture_open(path, NULL, err, sizeof err));
    assert_non_null(strstr(err, "x.pcap"));
    assert_int_equal(vcf_capture_close(NULL, err, sizeof err), 0);

    snprintf(path, sizeof path, "%s/y.pcap", dir);
    vcf_capture_options o;
    vcf_capture_options_init(&o);
    o.linktype = 1; /* Ethernet */
    err[0] = '\0';
    assert_null(vcf_capture_open(path, &o, err, sizeof err));
    assert_non_null(strstr(err, "link type 1"));
    vcf_capture_options_init(&o);
    o.struct_size = 4096;
    assert_null(vcf_capture_open(path, &o, err, sizeof err));
    assert_non_null(strstr(err, "struct_size 4096"));
    vcf_capture_options_init(&o);
    o.snaplen = 100;
    assert_null(vcf_capture_open(path, &o, err, sizeof err));
    assert_non_null(strstr(err, "snap length 100"));
    vcf_capture_options_init(&o);
    o.timestamps = 99;
    assert_null(vcf_capture_open(path, &o, err, sizeof err));
    assert_non_null(strstr(err, "timestamp"));
    assert_int_equal(access(path, F_OK), -1); /* nothing created for refused options */
    assert_null(vcf_capture_open(NULL, NULL, err, sizeof err));
    assert_null(vcf_capture_open_stream(NULL, NULL, err, sizeof err));
    /* calls on no capture fail */
    vcf_capture_meta m;
    vcf_capture_meta_init(&m);
    assert_int_equal(vcf_capture_record(NULL, &m, msg_in, 1), -1);
    assert_int_equal(vcf_capture_flush(NULL), -1);
    assert_int_equal(vcf_capture_count(NULL), 0);
}

/* ---- the codec ------------------------------------------------------------------------------ */

static void test_codec(void **state)
{
    (void)state;
    vcf_capture_meta m;
    vcf_capture_meta_init(&m);
    m.role = VCF_IUT_RPMSG_DEVICE;
    m.case_id = "abcde"; /* 5 bytes: padded to 8 */
    m.record_index = 7;
    m.bus = VCF_CAPTURE_BUS_VIRTIO_MMIO;
    m.instance = 0x01020304;
    const uint32_t up = VCF_CAPTURE_LINKTYPE_UPPER_PDU;
    size_t need = vcf_capture_encode(up, &m, msg_in, sizeof msg_in, 1000, NULL, 0);
    assert_int_equal(need, 16 + 64 + sizeof msg_in);
    /* an unsupported link type encodes nothing */
    assert_int_equal(vcf_capture_encode(1, &m, msg_in, sizeof msg_in, 1000, NULL, 0), 0);
    uint8_t buf[256];
    /* too small a buffer: nothing written, the size returned */
    memset(buf, 0xee, sizeof buf);
    assert_int_equal(vcf_capture_encode(up, &m, msg_in, sizeof msg_in, 1000, buf, need - 1), need);
    assert_int_equal(buf[0], 0xee);
    assert_int_equal(vcf_capture_encode(up, &m, msg_in, sizeof msg_in, 1000, buf, sizeof buf),
                     need);
    vcf_capture_view v;
    char err[256];
    assert_int_equal(vcf_capture_parse(up, buf, need, &v, err, sizeof err), 0);
    assert_int_equal(v.record_index, 7);
    assert_int_equal(v.protocol, VCF_CAPTURE_PROTO_RPMSG);
    assert_int_equal(v.case_id_len, 5);
    assert_int_equal(v.result, VCF_CAPTURE_RESULT_NONE);
    assert_int_equal(v.bus, VCF_CAPTURE_BUS_VIRTIO_MMIO);
    assert_int_equal(v.instance, 0x01020304);
    /* round trip through the meta: the same bytes */
    vcf_capture_meta back;
    vcf_capture_view_meta(&v, &back);
    back.case_id = "abcde";
    uint8_t again[256];
    assert_int_equal(vcf_capture_encode(up, &back, v.data, v.data_len, 1000, again, sizeof again),
                     need);
    assert_memory_equal(again, buf, need);

    /* the same record for USER0: no tags, the pseudo-header first */
    uint8_t user[256];
    size_t un = vcf_capture_encode(VCF_CAPTURE_LINKTYPE_USER0, &m, msg_in, sizeof msg_in, 1000,
                                   user, sizeof user);
    assert_int_equal(un, need - 16);
    assert_memory_equal(user, buf + 16, un);
    assert_int_equal(vcf_capture_parse(VCF_CAPTURE_LINKTYPE_USER15, user, un, &v, err, sizeof err),
                     0);
    assert_int_equal(v.tags_len, 0);
    assert_null(v.dissector);
    /* read with the wrong link type: the tags are not a pseudo-header, and the other way */
    assert_int_equal(vcf_capture_parse(VCF_CAPTURE_LINKTYPE_USER0, buf, need, &v, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "byte 0: pseudo-header magic"));
    assert_int_equal(vcf_capture_parse(up, user, un, &v, err, sizeof err), -1);
    assert_int_equal(vcf_capture_parse(1, user, un, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "link type 1"));

    /* truncation: cut at 4 message bytes, orig_len keeps the length */
    size_t tn = vcf_capture_encode(up, &m, msg_in, sizeof msg_in, 4, buf, sizeof buf);
    assert_int_equal(tn, 16 + 64 + 4);
    assert_int_equal(vcf_capture_parse(up, buf, tn, &v, err, sizeof err), 0);
    assert_int_equal(v.flags, VCF_CAPTURE_F_TRUNCATED);
    assert_int_equal(v.orig_len, sizeof msg_in);
    assert_int_equal(v.data_len, 4);
    assert_memory_equal(v.data, msg_in, 4);
}

/* A version-1 record (44-byte fixed part, case ID at 44), as vconform 0.x wrote it. */
static void test_v1_record(void **state)
{
    (void)state;
    uint8_t rec[16 + 48 + 2];
    memset(rec, 0, sizeof rec);
    memcpy(rec, std_tags, 16);
    uint8_t *p = rec + 16;
    memcpy(p, "VCFP", 4);
    p[4] = 1;
    p[5] = VCF_CAPTURE_PROTO_RPMSG;
    p[6] = 48;
    p[8] = VCF_CAPTURE_DIR_FROM_IUT;
    p[9] = VCF_IUT_RPMSG_DEVICE;
    p[11] = VCF_CAPTURE_ORDER_BE;
    p[12] = 0xFF;
    p[20] = 2;
    p[24] = 2;
    p[28] = 9;
    p[40] = 44;
    p[42] = 3;
    memcpy(p + 44, "xyz", 3);
    p[48] = 'h';
    p[49] = 'i';
    vcf_capture_view v;
    char err[256];
    assert_int_equal(
        vcf_capture_parse(VCF_CAPTURE_LINKTYPE_UPPER_PDU, rec, sizeof rec, &v, err, sizeof err), 0);
    assert_int_equal(v.version, 1);
    assert_int_equal(v.hdr_len, 48);
    assert_int_equal(v.case_index, 9);
    assert_int_equal(v.case_id_len, 3);
    assert_memory_equal(v.case_id, "xyz", 3);
    assert_int_equal(v.bus, 0);
    assert_int_equal(v.link_flags, 0);
    assert_int_equal(v.data_len, 2);
    assert_memory_equal(v.data, "hi", 2);
    /* decoded with the version-1 rules: byte order from the header, name service on */
    vcf_rpmsg_params rp;
    vcf_capture_rpmsg_params(&v, &rp);
    assert_int_equal(rp.order, VCF_BIG_ENDIAN);
    assert_true(rp.ns);
}

static void test_parse_errors(void **state)
{
    (void)state;
    vcf_capture_meta m;
    vcf_capture_meta_init(&m);
    m.role = VCF_IUT_RPMSG_DEVICE;
    m.case_id = "abcde";
    const uint32_t up = VCF_CAPTURE_LINKTYPE_UPPER_PDU;
    uint8_t buf[256];
    size_t need = vcf_capture_encode(up, &m, msg_in, sizeof msg_in, 1000, buf, sizeof buf);
    vcf_capture_view v;
    char err[256];
    uint8_t bad[256];
    /* every cut is refused, naming a byte */
    for (size_t cut = 0; cut < need; cut++) {
        memcpy(bad, buf, need);
        err[0] = '\0';
        assert_int_equal(vcf_capture_parse(up, bad, cut, &v, err, sizeof err), -1);
        assert_non_null(strstr(err, "byte "));
    }
    memcpy(bad, buf, need);
    bad[16] = 'X';
    assert_int_equal(vcf_capture_parse(up, bad, need, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "byte 16: pseudo-header magic"));
    memcpy(bad, buf, need);
    bad[16 + 4] = 0;
    assert_int_equal(vcf_capture_parse(up, bad, need, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "byte 20: pseudo-header version 0"));
    memcpy(bad, buf, need);
    bad[16 + 6] = 200; /* hdr_len past the record */
    assert_int_equal(vcf_capture_parse(up, bad, need, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "byte 22: pseudo-header length 200"));
    memcpy(bad, buf, need);
    bad[16 + 6] = 52; /* shorter than version 2's fixed part */
    assert_int_equal(vcf_capture_parse(up, bad, need, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "byte 22: pseudo-header length 52"));
    memcpy(bad, buf, need);
    bad[16 + 42] = 40; /* case ID runs past the header */
    assert_int_equal(vcf_capture_parse(up, bad, need, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "byte 56: case ID"));
    memcpy(bad, buf, need);
    bad[1] = 13; /* no dissector-name tag */
    assert_int_equal(vcf_capture_parse(up, bad, need, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "DISSECTOR_NAME"));
    memcpy(bad, buf, need);
    bad[3] = 0xf0; /* tag length past the record */
    assert_int_equal(vcf_capture_parse(up, bad, need, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "byte 0: exported-PDU tag 12"));
    /* one message byte more than orig_len */
    memcpy(bad, buf, need);
    bad[need] = 0;
    assert_int_equal(vcf_capture_parse(up, bad, need + 1, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "byte 80: 19 message bytes for orig_len 18"));

    /* a later version with a longer header: the message is found through hdr_len */
    uint8_t grown[300];
    memcpy(grown, buf, 16 + 64);
    memset(grown + 16 + 64, 0xaa, 8); /* 8 bytes of fields we do not know */
    memcpy(grown + 16 + 72, msg_in, sizeof msg_in);
    grown[16 + 4] = 3;
    grown[16 + 6] = 72;
    assert_int_equal(vcf_capture_parse(up, grown, 16 + 72 + sizeof msg_in, &v, err, sizeof err), 0);
    assert_int_equal(v.version, 3);
    assert_int_equal(v.data_len, sizeof msg_in);
    assert_memory_equal(v.data, msg_in, sizeof msg_in);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_capture),   cmocka_unit_test(test_run_link_no_ns),
        cmocka_unit_test(test_deterministic), cmocka_unit_test(test_user_linktype),
        cmocka_unit_test(test_open_errors),   cmocka_unit_test(test_codec),
        cmocka_unit_test(test_v1_record),     cmocka_unit_test(test_parse_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
