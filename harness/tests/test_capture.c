/* SPDX-License-Identifier: MIT */
/*
 * The pcap capture writer: a small run written, read back with libpcap's pcap_open_offline and
 * checked byte by byte (link type, exported-PDU tags, every pseudo-header field, the message);
 * the same run written twice gives identical files; the record parser refuses broken records.
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

static vcf_adapter_param rp_params[] = {{"features", "0x1"}, {"order", "be"}, {"buf_size", "256"}};
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

static void write_run(const char *path)
{
    build();
    char err[256] = "";
    vcf_capture *cap = vcf_capture_open(path, err, sizeof err);
    assert_non_null(cap);
    vcf_capture_set_model(cap, true);
    assert_int_equal(vcf_capture_case(cap, &rp_file, 0, &rp_res), 0);
    assert_int_equal(vcf_capture_case(cap, &vm_file, 1, &vm_res), 0);
    /* a result without a transcript writes nothing */
    vcf_case_result empty;
    memset(&empty, 0, sizeof empty);
    assert_int_equal(vcf_capture_case(cap, &vm_file, 2, &empty), 0);
    /* one record through the low-level call, longer than the snap length, no case ID */
    uint8_t *big = malloc(BIG_LEN);
    assert_non_null(big);
    for (size_t i = 0; i < BIG_LEN; i++)
        big[i] = (uint8_t)(i * 7u);
    vcf_capture_rec rec;
    memset(&rec, 0, sizeof rec);
    rec.role = VCF_IUT_VMSG_DEVICE;
    rec.direction = VCF_CAPTURE_DIR_TO_IUT;
    rec.result = VCF_CAPTURE_RESULT_NONE;
    rec.case_index = 3;
    rec.step_index = 9;
    rec.data = big;
    rec.len = BIG_LEN;
    assert_int_equal(vcf_capture_record(cap, &rec), 0);
    free(big);
    assert_int_equal(vcf_capture_finish(cap, err, sizeof err), 0);
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
    const char *id;
    const uint8_t *data;
    size_t data_len; /* bytes present */
} expect;

static void check_record(const struct pcap_pkthdr *h, const uint8_t *pkt, const expect *e)
{
    assert_int_equal(h->ts.tv_sec, e->sec);
    assert_int_equal(h->ts.tv_usec, e->usec);
    /* exported-PDU tags, byte for byte */
    static const uint8_t tags[16] = {0x00, 0x0c, 0x00, 0x08, 'v',  'c',  'o',  'n',
                                     'f',  'o',  'r',  'm',  0x00, 0x00, 0x00, 0x00};
    assert_true(h->caplen >= 16 + 44);
    assert_memory_equal(pkt, tags, 16);
    const uint8_t *p = pkt + 16;
    size_t id_len = e->id ? strlen(e->id) : 0;
    size_t hdr_len = 44 + ((id_len + 3) & ~(size_t)3);
    assert_memory_equal(p, "VCFP", 4);
    assert_int_equal(p[4], 1);
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
    if (e->id) {
        assert_int_equal(le16(p + 40), 44);
        assert_int_equal(le16(p + 42), id_len);
        assert_memory_equal(p + 44, e->id, id_len);
        for (size_t i = 44 + id_len; i < hdr_len; i++)
            assert_int_equal(p[i], 0);
    } else {
        assert_int_equal(le16(p + 40), 0);
        assert_int_equal(le16(p + 42), 0);
    }
    assert_int_equal(h->caplen, 16 + hdr_len + e->data_len);
    assert_int_equal(h->len, 16 + hdr_len + e->orig_len);
    assert_memory_equal(p + hdr_len, e->data, e->data_len);

    /* the parser agrees */
    vcf_capture_view v;
    char err[256];
    assert_int_equal(vcf_capture_parse(pkt, h->caplen, &v, err, sizeof err), 0);
    assert_int_equal(v.tags_len, 16);
    assert_int_equal(v.dissector_len, 8);
    assert_memory_equal(v.dissector, "vconform", 8);
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
    assert_int_equal(v.case_id_len, id_len);
    if (id_len)
        assert_memory_equal(v.case_id, e->id, id_len);
    else
        assert_null(v.case_id);
    assert_int_equal(v.data_len, e->data_len);
    assert_ptr_equal(v.data, p + hdr_len);
}

static void test_write_read(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "%s/run.pcap", dir);
    write_run(path);

    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(path, errbuf);
    assert_non_null(pc);
    assert_int_equal(pcap_datalink(pc), 252);
    assert_int_equal(pcap_snapshot(pc), VCF_CAPTURE_SNAPLEN);

    uint8_t *big = malloc(BIG_LEN);
    assert_non_null(big);
    for (size_t i = 0; i < BIG_LEN; i++)
        big[i] = (uint8_t)(i * 7u);
    const size_t big_present = VCF_CAPTURE_SNAPLEN - 16 - 44 - 4096;
    const expect want[] = {
        /* case 0, step 0: injected, big-endian legacy link, capacity from buf_size */
        {0, 0, VCF_CAPTURE_PROTO_RPMSG, VCF_CAPTURE_DIR_TO_IUT, VCF_IUT_RPMSG_DRIVER, 1,
         VCF_CAPTURE_ORDER_BE, VCF_CASE_FAIL, 0, 256, sizeof msg_in, sizeof msg_in, 0, 0, 0, rp_id,
         msg_in, sizeof msg_in},
        /* case 0, step 1: emitted by the model, in the failed step */
        {0, 1, VCF_CAPTURE_PROTO_RPMSG, VCF_CAPTURE_DIR_FROM_IUT, VCF_IUT_RPMSG_DRIVER, 0,
         VCF_CAPTURE_ORDER_BE, VCF_CASE_FAIL, VCF_CAPTURE_F_SYNTHESIZED | VCF_CAPTURE_F_FAILED_STEP,
         512, 64, sizeof msg_out, 0, 1, 1, rp_id, msg_out, sizeof msg_out},
        /* case 1: virtio-msg bus, device side, no capacity */
        {1, 0, VCF_CAPTURE_PROTO_VMSG, VCF_CAPTURE_DIR_FROM_IUT, VCF_IUT_VMSG_BUS, 2,
         VCF_CAPTURE_ORDER_LE, VCF_CASE_PASS, VCF_CAPTURE_F_SYNTHESIZED, 0, sizeof vmsg_out,
         sizeof vmsg_out, 1, 2, 0, vm_id, vmsg_out, sizeof vmsg_out},
        /* the low-level record, cut at the snap length */
        {3, 0, VCF_CAPTURE_PROTO_VMSG, VCF_CAPTURE_DIR_TO_IUT, VCF_IUT_VMSG_DEVICE, 0,
         VCF_CAPTURE_ORDER_LE, VCF_CAPTURE_RESULT_NONE, VCF_CAPTURE_F_TRUNCATED, 0, BIG_LEN,
         BIG_LEN, 3, 9, 0, NULL, big, big_present},
    };
    struct pcap_pkthdr *h;
    const u_char *pkt;
    size_t n = 0;
    int rc;
    while ((rc = pcap_next_ex(pc, &h, &pkt)) == 1) {
        assert_true(n < sizeof want / sizeof want[0]);
        check_record(h, pkt, &want[n]);
        n++;
    }
    assert_int_equal(rc, PCAP_ERROR_BREAK);
    assert_int_equal(n, sizeof want / sizeof want[0]);
    pcap_close(pc);
    free(big);
    unlink(path);
}

static void test_deterministic(void **state)
{
    (void)state;
    char a[64], b[64];
    snprintf(a, sizeof a, "%s/a.pcap", dir);
    snprintf(b, sizeof b, "%s/b.pcap", dir);
    write_run(a);
    write_run(b);
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
    assert_true(total > VCF_CAPTURE_SNAPLEN - 16 - 44 - 4096);
    fclose(fa);
    fclose(fb);
    unlink(a);
    unlink(b);
}

static void test_open_error(void **state)
{
    (void)state;
    char err[256] = "";
    char path[96];
    snprintf(path, sizeof path, "%s/no/such/dir/x.pcap", dir);
    assert_null(vcf_capture_open(path, err, sizeof err));
    assert_true(strlen(err) > 0);
    assert_non_null(strstr(err, "x.pcap"));
    vcf_capture_close(NULL);
}

static void test_parse_errors(void **state)
{
    (void)state;
    vcf_capture_rec rec;
    memset(&rec, 0, sizeof rec);
    rec.role = VCF_IUT_RPMSG_DEVICE;
    rec.case_id = "abcde"; /* 5 bytes: padded to 8 */
    rec.data = msg_in;
    rec.len = sizeof msg_in;
    size_t need = vcf_capture_encode(&rec, 0, 1000, NULL, 0);
    assert_int_equal(need, 16 + 52 + sizeof msg_in);
    uint8_t buf[256];
    /* too small a buffer: nothing written, the size returned */
    memset(buf, 0xee, sizeof buf);
    assert_int_equal(vcf_capture_encode(&rec, 0, 1000, buf, need - 1), need);
    assert_int_equal(buf[0], 0xee);
    assert_int_equal(vcf_capture_encode(&rec, 7, 1000, buf, sizeof buf), need);
    vcf_capture_view v;
    char err[256];
    assert_int_equal(vcf_capture_parse(buf, need, &v, err, sizeof err), 0);
    assert_int_equal(v.record_index, 7);
    assert_int_equal(v.protocol, VCF_CAPTURE_PROTO_RPMSG);
    assert_int_equal(v.case_id_len, 5);
    assert_int_equal(v.result, 0);

    uint8_t bad[256];
    /* every cut is refused or, once the tags and header are whole, has the wrong length */
    for (size_t cut = 0; cut < need; cut++) {
        memcpy(bad, buf, need);
        assert_int_equal(vcf_capture_parse(bad, cut, &v, err, sizeof err), -1);
    }
    memcpy(bad, buf, need);
    bad[16] = 'X';
    assert_int_equal(vcf_capture_parse(bad, need, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "byte 16: pseudo-header magic"));
    memcpy(bad, buf, need);
    bad[16 + 6] = 200; /* hdr_len past the record */
    assert_int_equal(vcf_capture_parse(bad, need, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "pseudo-header length 200"));
    memcpy(bad, buf, need);
    bad[16 + 42] = 40; /* case ID runs past the header */
    assert_int_equal(vcf_capture_parse(bad, need, &v, err, sizeof err), -1);
    memcpy(bad, buf, need);
    bad[1] = 13; /* no dissector-name tag */
    assert_int_equal(vcf_capture_parse(bad, need, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "DISSECTOR_NAME"));
    memcpy(bad, buf, need);
    bad[3] = 0xf0; /* tag length past the record */
    assert_int_equal(vcf_capture_parse(bad, need, &v, err, sizeof err), -1);

    /* a later version with a longer header: the message is found through hdr_len */
    uint8_t grown[300];
    memcpy(grown, buf, 16 + 52);
    memset(grown + 16 + 52, 0xaa, 8); /* 8 bytes of fields we do not know */
    memcpy(grown + 16 + 60, msg_in, sizeof msg_in);
    grown[16 + 4] = 2;
    grown[16 + 6] = 60;
    assert_int_equal(vcf_capture_parse(grown, 16 + 60 + sizeof msg_in, &v, err, sizeof err), 0);
    assert_int_equal(v.version, 2);
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
        cmocka_unit_test(test_write_read),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_open_error),
        cmocka_unit_test(test_parse_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
