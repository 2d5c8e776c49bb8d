/* SPDX-License-Identifier: MIT */
/*
 * The capture record codec (vconform/capture.h, docs/capture-format.md): every field of
 * pseudo-header version 2 at its documented byte offset in little-endian order, the
 * exported-PDU tags in big-endian order, the USER link types without tags, parse errors that
 * name the byte at fault, version-1 records, later versions with longer headers (hdr_len is
 * authoritative), case ID bounds, the decode-parameter helpers, and the name tables.
 *
 * Expected bytes are written out literally (th_hex), never produced with the model's own
 * load/store helpers, so the tests mean the same on a big-endian host (s390x under qemu).
 */
#include "vcf_test.h"

#include <stdlib.h>

#include "vconform/adapter.h"
#include "vconform/capture.h"

#define UP VCF_CAPTURE_LINKTYPE_UPPER_PDU

static const uint8_t msg[4] = {0xde, 0xad, 0xbe, 0xef};

/* The tags the encoder writes: DISSECTOR_NAME (12) "vconform", END_OF_OPT (0), big-endian. */
static const char tags_hex[] = "000c 0008 76636f6e666f726d | 0000 0000";

/* Every field with a value whose bytes are all different. */
static void full_meta(vcf_capture_meta *m)
{
    vcf_capture_meta_init(m);
    m->role = VCF_IUT_RPMSG_DEVICE; /* 2: protocol rpmsg (1) derived */
    m->direction = VCF_CAPTURE_DIR_FROM_IUT;
    m->channel = 3;
    m->order = VCF_CAPTURE_ORDER_BE;
    m->result = 4;
    m->flags = VCF_CAPTURE_F_SYNTHESIZED | VCF_CAPTURE_F_FAILED_STEP;
    m->capacity = 0x11223344u;
    m->used_len = 0x55667788u;
    m->case_index = 0x0a0b0c0du;
    m->step_index = 0x01020304u;
    m->record_index = 0x05060708u;
    m->case_id = "ab";
    m->bus = VCF_CAPTURE_BUS_FFA;
    m->revision = 1;
    m->link_flags = 0x0007u;
    m->max_msg_size = 0x00000108u;
    m->instance = 0xcafe0001u;
}

/* The pseudo-header of full_meta with the 4-byte message, offset by offset. */
static const char full_hex[] = "56434650"  /*  0 magic "VCFP" */
                               "02"        /*  4 version */
                               "01"        /*  5 protocol rpmsg */
                               "3c00"      /*  6 hdr_len 60 */
                               "01"        /*  8 direction */
                               "02"        /*  9 role */
                               "03"        /* 10 channel */
                               "01"        /* 11 byte_order */
                               "04"        /* 12 result */
                               "00"        /* 13 reserved */
                               "0600"      /* 14 flags */
                               "44332211"  /* 16 capacity */
                               "88776655"  /* 20 used_len */
                               "04000000"  /* 24 orig_len */
                               "0d0c0b0a"  /* 28 case_index */
                               "04030201"  /* 32 step_index */
                               "08070605"  /* 36 record_index */
                               "3800"      /* 40 case_id_offset 56 */
                               "0200"      /* 42 case_id_len */
                               "06"        /* 44 bus */
                               "01"        /* 45 revision */
                               "0700"      /* 46 link_flags */
                               "08010000"  /* 48 max_msg_size */
                               "0100feca"  /* 52 instance */
                               "61620000"  /* 56 case ID "ab", padded */
                               "deadbeef"; /* 60 the message */

static void test_v2_layout(void **state)
{
    (void)state;
    vcf_capture_meta m;
    full_meta(&m);
    uint8_t want[128], got[128];
    size_t nt = th_hex(tags_hex, want, sizeof want);
    assert_int_equal(nt, VCF_CAPTURE_TAGS_SIZE);
    size_t n = nt + th_hex(full_hex, want + nt, sizeof want - nt);
    assert_int_equal(n, 16 + 64);
    assert_int_equal(vcf_capture_encode(UP, &m, msg, sizeof msg, 1000, NULL, 0), n);
    memset(got, 0x5a, sizeof got);
    assert_int_equal(vcf_capture_encode(UP, &m, msg, sizeof msg, 1000, got, sizeof got), n);
    assert_memory_equal(got, want, n);
    assert_int_equal(got[n], 0x5a); /* nothing written past the record */

    /* read back: every field */
    vcf_capture_view v;
    char err[160];
    assert_int_equal(vcf_capture_parse(UP, got, n, &v, err, sizeof err), 0);
    assert_int_equal(v.tags_len, 16);
    assert_int_equal(v.dissector_len, 8);
    assert_memory_equal(v.dissector, "vconform", 8);
    assert_int_equal(v.version, 2);
    assert_int_equal(v.protocol, VCF_CAPTURE_PROTO_RPMSG);
    assert_int_equal(v.hdr_len, 60);
    assert_int_equal(v.direction, 1);
    assert_int_equal(v.role, 2);
    assert_int_equal(v.channel, 3);
    assert_int_equal(v.order, 1);
    assert_int_equal(v.result, 4);
    assert_int_equal(v.flags, 6);
    assert_int_equal(v.capacity, 0x11223344u);
    assert_int_equal(v.used_len, 0x55667788u);
    assert_int_equal(v.orig_len, 4);
    assert_int_equal(v.case_index, 0x0a0b0c0du);
    assert_int_equal(v.step_index, 0x01020304u);
    assert_int_equal(v.record_index, 0x05060708u);
    assert_int_equal(v.bus, VCF_CAPTURE_BUS_FFA);
    assert_int_equal(v.revision, 1);
    assert_int_equal(v.link_flags, 7);
    assert_int_equal(v.max_msg_size, 264);
    assert_int_equal(v.instance, 0xcafe0001u);
    assert_int_equal(v.case_id_len, 2);
    assert_memory_equal(v.case_id, "ab", 2);
    assert_ptr_equal(v.data, got + 16 + 60);
    assert_int_equal(v.data_len, 4);

    /* the view's meta encodes the same bytes */
    vcf_capture_meta back;
    vcf_capture_view_meta(&v, &back);
    assert_null(back.case_id);
    back.case_id = "ab";
    uint8_t again[128];
    assert_int_equal(vcf_capture_encode(UP, &back, v.data, v.data_len, 1000, again, sizeof again),
                     n);
    assert_memory_equal(again, want, n);
}

/* USER0..15: the same pseudo-header and message, no tags. */
static void test_user_linktypes(void **state)
{
    (void)state;
    vcf_capture_meta m;
    full_meta(&m);
    uint8_t want[128], got[128];
    size_t n = th_hex(full_hex, want, sizeof want);
    for (uint32_t lt = VCF_CAPTURE_LINKTYPE_USER0; lt <= VCF_CAPTURE_LINKTYPE_USER15; lt++) {
        assert_int_equal(vcf_capture_encode(lt, &m, msg, sizeof msg, 1000, got, sizeof got), n);
        assert_memory_equal(got, want, n);
        vcf_capture_view v;
        char err[160];
        assert_int_equal(vcf_capture_parse(lt, got, n, &v, err, sizeof err), 0);
        assert_int_equal(v.tags_len, 0);
        assert_null(v.dissector);
        assert_int_equal(v.dissector_len, 0);
        assert_int_equal(v.instance, 0xcafe0001u);
        assert_ptr_equal(v.data, got + 60);
    }
    /* other link types: nothing encoded, the parser names the value */
    const uint32_t bad[] = {0, 1, 146, 163, 251, 253};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(vcf_capture_encode(bad[i], &m, msg, sizeof msg, 1000, NULL, 0), 0);
        vcf_capture_view v;
        char err[160] = "";
        assert_int_equal(vcf_capture_parse(bad[i], got, n, &v, err, sizeof err), -1);
        char want_err[32];
        snprintf(want_err, sizeof want_err, "link type %u:", (unsigned)bad[i]);
        assert_non_null(strstr(err, want_err));
    }
    assert_int_equal(vcf_capture_encode(UP, NULL, msg, sizeof msg, 1000, NULL, 0), 0);
}

/* The tags are big-endian TLVs: other tags are skipped, a padded name loses its NULs. */
static void test_tags(void **state)
{
    (void)state;
    uint8_t rec[160];
    size_t n = th_hex("0021 0004 00000001"                 /* a tag readers skip */
                      "000c 000c 76636f6e666f726d00000000" /* the name, 4 NULs of padding */
                      "0000 0000",
                      rec, sizeof rec);
    assert_int_equal(n, 28);
    vcf_capture_meta m;
    vcf_capture_meta_init(&m);
    n += vcf_capture_encode(VCF_CAPTURE_LINKTYPE_USER0, &m, msg, sizeof msg, 1000, rec + n,
                            sizeof rec - n);
    vcf_capture_view v;
    char err[160];
    assert_int_equal(vcf_capture_parse(UP, rec, n, &v, err, sizeof err), 0);
    assert_int_equal(v.tags_len, 28);
    assert_int_equal(v.dissector_len, 8);
    assert_ptr_equal(v.dissector, (const char *)rec + 12);
    assert_int_equal(v.hdr_len, 56);
    assert_int_equal(v.data_len, 4);

    /* the same tag numbers read little-endian are other tags: 0x0c00 of 2048 bytes */
    uint8_t le[160];
    memcpy(le, rec + 8, n - 8);
    le[0] = 0x0c;
    le[1] = 0x00;
    le[2] = 0x08;
    le[3] = 0x00;
    err[0] = '\0';
    assert_int_equal(vcf_capture_parse(UP, le, n - 8, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "byte 0: exported-PDU tag 3072 value of 2048 bytes"));
    /* no dissector name before END_OF_OPT */
    size_t k = th_hex("0021 0004 00000001 0000 0000", le, sizeof le);
    memcpy(le + k, rec + 28, n - 28);
    assert_int_equal(vcf_capture_parse(UP, le, k + n - 28, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "byte 0: no EXP_PDU_TAG_DISSECTOR_NAME"));
    /* a tag header cut short */
    assert_int_equal(vcf_capture_parse(UP, rec, 10, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "byte 8: exported-PDU tag header truncated"));
}

/* Each broken record and the byte its error names, for both link types. */
static void test_parse_errors(void **state)
{
    (void)state;
    vcf_capture_meta m;
    full_meta(&m);
    static const struct {
        size_t at;     /* pseudo-header byte changed */
        uint8_t value; /* its new value */
        int cut;       /* bytes removed from (negative) or added to (positive) the end */
        size_t err_at; /* byte of the pseudo-header the error names */
        const char *text;
    } cases[] = {
        {0, 'X', 0, 0, "pseudo-header magic"},
        {3, 'Q', 0, 0, "pseudo-header magic 56434651"},
        {4, 0, 0, 4, "pseudo-header version 0"},
        {6, 55, 0, 6, "pseudo-header length 55, expected at least 56 for version 2"},
        {6, 200, 0, 6, "pseudo-header length 200 runs past the record"},
        {40, 52, 0, 40, "case ID at 52+2 lies outside"},
        {42, 5, 0, 40, "case ID at 56+5 lies outside"},
        {24, 5, 0, 60, "4 message bytes for orig_len 5"},
        {24, 3, 0, 60, "4 message bytes for orig_len 3"},
        {0, 'V', 1, 60, "5 message bytes for orig_len 4"},
        {0, 'V', -1, 60, "3 message bytes for orig_len 4"},
        {14, 0x07, 0, 60, "4 message bytes for orig_len 4 with the truncated flag"},
    };
    for (int user = 0; user <= 1; user++) {
        const uint32_t lt = user ? VCF_CAPTURE_LINKTYPE_USER0 : UP;
        const size_t base = user ? 0 : 16;
        uint8_t good[128];
        size_t n = vcf_capture_encode(lt, &m, msg, sizeof msg, 1000, good, sizeof good);
        assert_int_equal(n, base + 64);
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            uint8_t bad[128];
            memcpy(bad, good, n);
            bad[base + cases[i].at] = cases[i].value;
            size_t len = (size_t)((long)n + cases[i].cut);
            vcf_capture_view v;
            char err[200] = "";
            assert_int_equal(vcf_capture_parse(lt, bad, len, &v, err, sizeof err), -1);
            char want[64];
            snprintf(want, sizeof want, "byte %zu: ", base + cases[i].err_at);
            if (strncmp(err, want, strlen(want)) != 0 || !strstr(err, cases[i].text))
                fail_msg("case %zu (%s): \"%s\", expected \"%s...%s\"", i,
                         user ? "USER0" : "UPPER_PDU", err, want, cases[i].text);
        }
        /* every cut of the record is refused with a byte offset */
        for (size_t cut = 0; cut < n; cut++) {
            vcf_capture_view v;
            char err[200] = "";
            assert_int_equal(vcf_capture_parse(lt, good, cut, &v, err, sizeof err), -1);
            assert_int_equal(strncmp(err, "byte ", 5), 0);
        }
        /* a NULL buffer is an empty record */
        vcf_capture_view v;
        char err[200] = "";
        assert_int_equal(vcf_capture_parse(lt, NULL, 10, &v, err, sizeof err), -1);
        assert_non_null(strstr(err, "byte 0: "));
        /* a small error buffer is filled and terminated, a missing one is fine */
        char small[8];
        assert_int_equal(vcf_capture_parse(lt, good, 3, &v, small, sizeof small), -1);
        assert_int_equal(strlen(small), sizeof small - 1);
        assert_int_equal(vcf_capture_parse(lt, good, 3, &v, NULL, 0), -1);
    }
}

/* Version 1 (vconform before the link fields): 44 fixed bytes, case ID from 44. */
static void test_v1_record(void **state)
{
    (void)state;
    uint8_t rec[128];
    size_t n = th_hex(tags_hex, rec, sizeof rec);
    n += th_hex("56434650 01 02 3400"        /* v1, virtio-msg, hdr_len 52 */
                "00 03 02 00 00 00 0000"     /* to the device, channel 2 */
                "00000000 04000000 04000000" /* capacity, used_len, orig_len */
                "07000000 01000000 02000000" /* indices */
                "2c00 0500"                  /* case ID at 44, 5 bytes */
                "6869706f70000000"           /* "hipop" padded */
                "01020304",
                rec + n, sizeof rec - n);
    vcf_capture_view v;
    char err[160];
    assert_int_equal(vcf_capture_parse(UP, rec, n, &v, err, sizeof err), 0);
    assert_int_equal(v.version, 1);
    assert_int_equal(v.protocol, VCF_CAPTURE_PROTO_VMSG);
    assert_int_equal(v.hdr_len, 52);
    assert_int_equal(v.role, VCF_IUT_VMSG_DEVICE);
    assert_int_equal(v.channel, 2);
    assert_int_equal(v.case_index, 7);
    assert_int_equal(v.record_index, 2);
    assert_int_equal(v.case_id_len, 5);
    assert_memory_equal(v.case_id, "hipop", 5);
    /* bytes 44.. are the case ID, not version-2 fields */
    assert_int_equal(v.bus, 0);
    assert_int_equal(v.revision, 0);
    assert_int_equal(v.link_flags, 0);
    assert_int_equal(v.max_msg_size, 0);
    assert_int_equal(v.instance, 0);
    assert_int_equal(v.data_len, 4);
    /* decoded with the defaults */
    vcf_vmsg_params p;
    vcf_capture_vmsg_params(&v, &p);
    assert_int_equal(p.rev, VCF_VMSG_REV_DEFAULT);
    assert_int_equal(p.max_msg_size, 0);
    assert_false(p.allow_padding);

    /* a version-1 header of 44 bytes is whole; 43 is not */
    uint8_t v1[128];
    size_t k = th_hex(tags_hex, v1, sizeof v1);
    k += th_hex("56434650 01 01 2c00 01 02 00 00 ff 00 0000 00000000 00000000 00000000"
                "00000000 00000000 00000000 0000 0000",
                v1 + k, sizeof v1 - k);
    assert_int_equal(k, 16 + 44);
    assert_int_equal(vcf_capture_parse(UP, v1, k, &v, err, sizeof err), 0);
    assert_int_equal(v.data_len, 0);
    assert_null(v.case_id);
    v1[16 + 6] = 43;
    assert_int_equal(vcf_capture_parse(UP, v1, k, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "byte 22: pseudo-header length 43, expected at least 44 for "
                                "version 1"));
    /* a case ID inside the fixed part of version 1 */
    v1[16 + 6] = 44;
    v1[16 + 40] = 40;
    assert_int_equal(vcf_capture_parse(UP, v1, k, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "byte 56: case ID at 40+0"));
}

/* Later versions: the known fields are read, the rest of the header skipped by hdr_len. */
static void test_future_version(void **state)
{
    (void)state;
    vcf_capture_meta m;
    full_meta(&m);
    m.case_id = NULL;
    uint8_t base[128];
    size_t n = vcf_capture_encode(VCF_CAPTURE_LINKTYPE_USER0, &m, msg, sizeof msg, 1000, base,
                                  sizeof base);
    assert_int_equal(n, 60);
    for (unsigned ver = 3; ver <= 255; ver += 84) {
        uint8_t rec[160];
        memcpy(rec, base, 56);
        memset(rec + 56, 0xee, 12); /* 12 bytes of fields this reader does not know */
        memcpy(rec + 68, "id", 2);  /* then a case ID */
        rec[70] = rec[71] = 0;
        memcpy(rec + 72, msg, sizeof msg);
        rec[4] = (uint8_t)ver;
        rec[6] = 72;
        rec[40] = 68;
        rec[42] = 2;
        vcf_capture_view v;
        char err[160];
        assert_int_equal(
            vcf_capture_parse(VCF_CAPTURE_LINKTYPE_USER0, rec, 76, &v, err, sizeof err), 0);
        assert_int_equal(v.version, ver);
        assert_int_equal(v.hdr_len, 72);
        assert_int_equal(v.instance, 0xcafe0001u);
        assert_int_equal(v.case_id_len, 2);
        assert_ptr_equal(v.case_id, (const char *)rec + 68);
        assert_ptr_equal(v.data, rec + 72);
        assert_int_equal(v.data_len, 4);
        /* version 3 still needs version 2's fixed part */
        rec[6] = 54;
        assert_int_equal(
            vcf_capture_parse(VCF_CAPTURE_LINKTYPE_USER0, rec, 76, &v, err, sizeof err), -1);
        assert_non_null(strstr(err, "byte 6: pseudo-header length 54, expected at least 56"));
    }
}

static void test_case_id_bounds(void **state)
{
    (void)state;
    const size_t big = VCF_CAPTURE_CASE_ID_MAX + 10;
    char *id = malloc(big + 1);
    uint8_t *rec = malloc(16 + 56 + big + 16);
    assert_non_null(id);
    assert_non_null(rec);
    memset(id, 'c', big);
    vcf_capture_meta m;
    vcf_capture_meta_init(&m);
    m.case_id = id;
    const size_t lens[] = {0,
                           1,
                           3,
                           4,
                           5,
                           VCF_CAPTURE_CASE_ID_MAX - 1,
                           VCF_CAPTURE_CASE_ID_MAX,
                           VCF_CAPTURE_CASE_ID_MAX + 1,
                           big};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        id[lens[i]] = '\0';
        size_t kept = lens[i] < VCF_CAPTURE_CASE_ID_MAX ? lens[i] : VCF_CAPTURE_CASE_ID_MAX;
        size_t hdr = 56 + ((kept + 3) & ~(size_t)3);
        size_t n = vcf_capture_encode(UP, &m, msg, 2, 1000, rec, 16 + 56 + big + 16);
        assert_int_equal(n, 16 + hdr + 2);
        /* offset and length, little-endian */
        assert_int_equal(rec[16 + 40], kept ? 56 : 0);
        assert_int_equal(rec[16 + 41], 0);
        assert_int_equal(rec[16 + 42], kept & 0xff);
        assert_int_equal(rec[16 + 43], kept >> 8);
        vcf_capture_view v;
        char err[160];
        assert_int_equal(vcf_capture_parse(UP, rec, n, &v, err, sizeof err), 0);
        assert_int_equal(v.hdr_len, hdr);
        assert_int_equal(v.case_id_len, kept);
        if (kept)
            assert_memory_equal(v.case_id, id, kept);
        else
            assert_null(v.case_id);
        id[lens[i]] = 'c';
    }
    /* a case ID that ends exactly at hdr_len is fine, one byte more is not */
    id[5] = '\0';
    size_t n = vcf_capture_encode(UP, &m, msg, 2, 1000, rec, 16 + 56 + big + 16);
    vcf_capture_view v;
    char err[160];
    rec[16 + 42] = 8;
    assert_int_equal(vcf_capture_parse(UP, rec, n, &v, err, sizeof err), 0);
    assert_int_equal(v.case_id_len, 8);
    rec[16 + 42] = 9;
    assert_int_equal(vcf_capture_parse(UP, rec, n, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "byte 56: case ID at 56+9 lies outside"));
    /* a length without an offset */
    rec[16 + 40] = 0;
    rec[16 + 42] = 5;
    assert_int_equal(vcf_capture_parse(UP, rec, n, &v, err, sizeof err), -1);
    assert_non_null(strstr(err, "byte 58: case ID length 5 without an offset"));
    /* an empty case ID counts as none */
    m.case_id = "";
    assert_int_equal(vcf_capture_encode(UP, &m, msg, 2, 1000, NULL, 0), 16 + 56 + 2);
    free(id);
    free(rec);
}

/* The encoder's own rules: truncation, used_len 0, clamping, protocol from the role. */
static void test_encode_rules(void **state)
{
    (void)state;
    vcf_capture_meta m;
    vcf_capture_meta_init(&m);
    assert_int_equal(m.result, VCF_CAPTURE_RESULT_NONE);
    assert_int_equal(m.flags, 0);
    m.role = VCF_IUT_VMSG_BUS;
    m.flags = VCF_CAPTURE_F_TRUNCATED; /* computed, not taken */
    uint8_t rec[128];
    size_t n = vcf_capture_encode(VCF_CAPTURE_LINKTYPE_USER0, &m, msg, 4, 4, rec, sizeof rec);
    assert_int_equal(n, 60);
    assert_int_equal(rec[5], VCF_CAPTURE_PROTO_VMSG);
    assert_int_equal(rec[14], 0);
    assert_memory_equal(rec + 20, "\x04\x00\x00\x00\x04\x00\x00\x00", 8); /* used, orig */
    /* cut at 1 byte */
    n = vcf_capture_encode(VCF_CAPTURE_LINKTYPE_USER0, &m, msg, 4, 1, rec, sizeof rec);
    assert_int_equal(n, 57);
    assert_int_equal(rec[14], VCF_CAPTURE_F_TRUNCATED);
    assert_memory_equal(rec + 24, "\x04\x00\x00\x00", 4);
    assert_int_equal(rec[56], 0xde);
    vcf_capture_view v;
    char err[160];
    assert_int_equal(vcf_capture_parse(VCF_CAPTURE_LINKTYPE_USER0, rec, n, &v, err, sizeof err), 0);
    assert_int_equal(v.data_len, 1);
    assert_int_equal(v.orig_len, 4);
    /* no data: an empty message whatever len says */
    n = vcf_capture_encode(VCF_CAPTURE_LINKTYPE_USER0, &m, NULL, 100, 1000, rec, sizeof rec);
    assert_int_equal(n, 56);
    assert_memory_equal(rec + 20, "\x00\x00\x00\x00\x00\x00\x00\x00", 8);
    /* wide values are held at the field's maximum; an explicit protocol wins over the role */
    vcf_capture_meta_init(&m);
    m.protocol = VCF_CAPTURE_PROTO_RPMSG;
    m.role = 300;
    m.channel = 0x1ff;
    m.bus = 1000;
    m.capacity = 0x100000000ull;
    m.used_len = 0x123456789ull;
    n = vcf_capture_encode(VCF_CAPTURE_LINKTYPE_USER0, &m, msg, 4, 1000, rec, sizeof rec);
    assert_int_equal(rec[5], 1);
    assert_int_equal(rec[9], 0xff);
    assert_int_equal(rec[10], 0xff);
    assert_int_equal(rec[44], 0xff);
    assert_memory_equal(rec + 16, "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
    /* no role, no protocol: 0 */
    vcf_capture_meta_init(&m);
    n = vcf_capture_encode(VCF_CAPTURE_LINKTYPE_USER0, &m, msg, 4, 1000, rec, sizeof rec);
    assert_int_equal(n, 60);
    assert_int_equal(rec[5], 0);
    assert_int_equal(rec[12], 0xff);
}

static void test_params(void **state)
{
    (void)state;
    vcf_capture_view v;
    memset(&v, 0, sizeof v);
    vcf_rpmsg_params rp;
    /* nothing known: little-endian, name service on (the RPMsg defaults) */
    vcf_capture_rpmsg_params(&v, &rp);
    assert_int_equal(rp.order, VCF_LITTLE_ENDIAN);
    assert_true(rp.ns);
    v.order = VCF_CAPTURE_ORDER_BE;
    vcf_capture_rpmsg_params(&v, &rp);
    assert_int_equal(rp.order, VCF_BIG_ENDIAN);
    v.order = 7; /* not a byte order this version knows: little-endian */
    vcf_capture_rpmsg_params(&v, &rp);
    assert_int_equal(rp.order, VCF_LITTLE_ENDIAN);
    /* NS only counts with NS_KNOWN */
    v.link_flags = VCF_CAPTURE_L_NS;
    vcf_capture_rpmsg_params(&v, &rp);
    assert_true(rp.ns);
    v.link_flags = VCF_CAPTURE_L_NS_KNOWN;
    vcf_capture_rpmsg_params(&v, &rp);
    assert_false(rp.ns);
    v.link_flags = VCF_CAPTURE_L_NS_KNOWN | VCF_CAPTURE_L_NS;
    vcf_capture_rpmsg_params(&v, &rp);
    assert_true(rp.ns);

    vcf_vmsg_params vp;
    memset(&v, 0, sizeof v);
    vcf_capture_vmsg_params(&v, &vp);
    assert_int_equal(vp.rev, VCF_VMSG_REV_DEFAULT);
    assert_int_equal(vp.max_msg_size, 0);
    assert_false(vp.allow_padding);
    v.revision = VCF_VMSG_REV_RFC3;
    v.max_msg_size = 48;
    v.link_flags = VCF_CAPTURE_L_PADDING;
    vcf_capture_vmsg_params(&v, &vp);
    assert_int_equal(vp.rev, VCF_VMSG_REV_RFC3);
    assert_int_equal(vp.max_msg_size, 48);
    assert_true(vp.allow_padding);
    v.revision = VCF_VMSG_REV_PR28;
    vcf_capture_vmsg_params(&v, &vp);
    assert_int_equal(vp.rev, VCF_VMSG_REV_PR28);
    v.revision = 200; /* unknown: the default */
    vcf_capture_vmsg_params(&v, &vp);
    assert_int_equal(vp.rev, VCF_VMSG_REV_DEFAULT);
    /* the RPMsg link flags mean nothing to virtio-msg and the other way round */
    v.link_flags = VCF_CAPTURE_L_NS_KNOWN;
    vcf_capture_vmsg_params(&v, &vp);
    assert_false(vp.allow_padding);
    v.link_flags = VCF_CAPTURE_L_PADDING;
    vcf_capture_rpmsg_params(&v, &rp);
    assert_true(rp.ns);
}

static void test_names(void **state)
{
    (void)state;
    for (uint32_t b = 0; b < VCF_CAPTURE_BUS_COUNT; b++) {
        const char *name = vcf_capture_bus_name(b);
        assert_non_null(name);
        uint32_t back = 99;
        assert_int_equal(vcf_capture_bus_parse(name, &back), 0);
        assert_int_equal(back, b);
        for (uint32_t o = 0; o < b; o++)
            assert_string_not_equal(name, vcf_capture_bus_name(o));
    }
    assert_string_equal(vcf_capture_bus_name(VCF_CAPTURE_BUS_HARNESS), "harness");
    assert_string_equal(vcf_capture_bus_name(VCF_CAPTURE_BUS_FFA), "ffa");
    assert_string_equal(vcf_capture_bus_name(VCF_CAPTURE_BUS_COUNT), "unknown");
    uint32_t out = 42;
    assert_int_equal(vcf_capture_bus_parse("FFA", &out), -1);
    assert_int_equal(vcf_capture_bus_parse("", &out), -1);
    assert_int_equal(vcf_capture_bus_parse(NULL, &out), -1);
    assert_int_equal(out, 42);

    assert_string_equal(vcf_capture_protocol_name(VCF_CAPTURE_PROTO_RPMSG), "rpmsg");
    assert_string_equal(vcf_capture_protocol_name(VCF_CAPTURE_PROTO_VMSG), "virtio-msg");
    assert_string_equal(vcf_capture_protocol_name(0), "unknown");
    assert_string_equal(vcf_capture_protocol_name(3), "unknown");
    assert_int_equal(vcf_capture_protocol_of(VCF_IUT_RPMSG_DRIVER), VCF_CAPTURE_PROTO_RPMSG);
    assert_int_equal(vcf_capture_protocol_of(VCF_IUT_RPMSG_DEVICE), VCF_CAPTURE_PROTO_RPMSG);
    assert_int_equal(vcf_capture_protocol_of(VCF_IUT_VMSG_DEVICE), VCF_CAPTURE_PROTO_VMSG);
    assert_int_equal(vcf_capture_protocol_of(VCF_IUT_VMSG_DRIVER), VCF_CAPTURE_PROTO_VMSG);
    assert_int_equal(vcf_capture_protocol_of(VCF_IUT_VMSG_BUS), VCF_CAPTURE_PROTO_VMSG);
    assert_int_equal(vcf_capture_protocol_of(0), 0);
    assert_int_equal(vcf_capture_protocol_of(99), 0);

    /* link types */
    assert_string_equal(vcf_capture_linktype_name(252), "upper-pdu");
    assert_string_equal(vcf_capture_linktype_name(147), "user0");
    assert_string_equal(vcf_capture_linktype_name(162), "user15");
    assert_null(vcf_capture_linktype_name(163));
    assert_null(vcf_capture_linktype_name(1));
    for (uint32_t lt = 0; lt < 300; lt++) {
        const char *name = vcf_capture_linktype_name(lt);
        if (!name)
            continue;
        uint32_t back = 0;
        assert_int_equal(vcf_capture_linktype_parse(name, &back), 0);
        assert_int_equal(back, lt);
        char num[8];
        snprintf(num, sizeof num, "%u", (unsigned)lt);
        back = 0;
        assert_int_equal(vcf_capture_linktype_parse(num, &back), 0);
        assert_int_equal(back, lt);
    }
    const char *bad[] = {"",  "user16", "user", "USER0", "upper",
                         "1", "0252",   "146",  "253",   "user0 "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(vcf_capture_linktype_parse(bad[i], &out), -1);
    assert_int_equal(vcf_capture_linktype_parse(NULL, &out), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v2_layout),      cmocka_unit_test(test_user_linktypes),
        cmocka_unit_test(test_tags),           cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_v1_record),      cmocka_unit_test(test_future_version),
        cmocka_unit_test(test_case_id_bounds), cmocka_unit_test(test_encode_rules),
        cmocka_unit_test(test_params),         cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
