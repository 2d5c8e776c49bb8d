/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target dissector: one capture record in the input format of the capture target
 * (format capture: the same seeds and corpus files are valid here), dissected by the real
 * Wireshark 4.0 engine (libwireshark) with the vconform dissector registered statically, the
 * way tshark reads a vconform capture.
 *
 * Input:
 *   [0]   bit 0, as in the capture target: the link type the record is read as.
 *           0  LINKTYPE_WIRESHARK_UPPER_PDU: exported-PDU tags, then what the name tag names.
 *              The frame goes frame -> exported_pdu -> that dissector, so the tag picks one of
 *              the three: "vconform" (a capture record: pseudo-header, then the message through
 *              rpmsg or virtio_msg), "rpmsg" or "virtio_msg" (the raw handles: the bytes after
 *              the tags are one message, read with the protocol's default preferences).
 *           1  a user link type, no tags: frame -> user_dlt -> the dissector the user_dlts
 *              table maps it to (set up here as a user would with tshark -o uat:user_dlts:...).
 *              Bits 1..2 pick which: 0 (and 3) USER0 -> vconform, 1 USER1 -> rpmsg,
 *              2 USER2 -> virtio_msg. The capture target ignores these bits, and its seeds
 *              for this link type have them 0: a vconform record.
 *         Bits 3..7 are ignored.
 *   [1..] the record.
 * The checked-in corpus holds records of every kind; the dictionary holds the three name tags.
 *
 * Only inputs whose tags lead to our dissectors are dissected: with tags, the list must be the
 * dissector-name tag (12) naming vconform, rpmsg or virtio_msg, optionally the column-text tag
 * (33), and the end tag (0), all inside the input. Anything else is skipped (returns at once),
 * because exported_pdu would otherwise take the fuzzer into the rest of Wireshark: a name
 * such as "ip", a dissector-table tag, or its own bugs (a port-type tag with length 0 fails
 * a DISSECTOR_ASSERT in packet-exported_pdu.c:170 of 4.0.17: fuzz/crashers/dissector/).
 *
 * The tree is built and visible (epan_dissect_new(..., TRUE, TRUE)), so every field and item
 * text the dissector can produce is formatted.
 *
 * A finding is:
 *   - a crash or a sanitizer report (our code is instrumented; libwireshark is not, but the
 *     environment makes epan's packet-scope memory plain malloc, as fuzzshark does:
 *     WIRESHARK_DEBUG_WMEM_OVERRIDE=simple, G_SLICE=always-malloc);
 *   - a dissector bug: REPORT_DISSECTOR_BUG / DISSECTOR_ASSERT abort at once
 *     (WIRESHARK_ABORT_ON_DISSECTOR_BUG), and any DissectorError that still reaches the frame
 *     dissector leaves the expert item _ws.malformed.dissector_bug in the tree, which is
 *     checked after every input. A malformed packet (ReportedBoundsError and its relatives,
 *     _ws.malformed.expert) is the dissector doing its job and is not a finding;
 *   - a GLib critical or a Wireshark log message at critical level during dissection (made
 *     fatal after initialisation).
 *
 * The inputs of a process are frames of one epan session, numbered from 1, as the packets of
 * one capture file are (fuzzshark does the same), and the session is replaced by a new one
 * every SESSION_INPUTS inputs. The dissectors keep per-file state (virtio_msg's
 * request/response pairs, rpmsg's announced services, per-frame data), so one session grows
 * by about 100 bytes per input (230 with ASan), measured; a new session frees that, but
 * epan_new + epan_free cost 35 ms and libwireshark 4.0 itself does not give back about 11 MB
 * per cycle, measured, so a session per input (which would make every input independent of
 * the ones before it) is out of the question. With a million inputs per session, a libFuzzer
 * process grows by about 11 MB per million inputs plus at most 230 MB of live per-file state.
 * (AFL++ forks a fresh process every 10,000 inputs, afl_main.c.) State carries from one input
 * to the next within a session: the engines see sequences, and a finding that needs an
 * earlier input may not reproduce alone (replay the whole corpus directory, which runs in one
 * process in name order).
 *
 * Leaks: epan keeps per-file state for the whole process, so almost every input ends with
 * more allocations than frees, and libFuzzer's check after each such input (a full
 * LeakSanitizer scan of a 400 MB heap) ran at 300 inputs/s instead of 24,000. Under libFuzzer
 * the target therefore adds -detect_leaks=0 in front of the command line's own flags (a later
 * -detect_leaks=1 still wins): memory lost for good is still reported by LeakSanitizer when the
 * process exits, which fails the run, while what epan keeps reachable is not a leak.
 *
 * The binary links libwireshark (GPL-2.0-or-later) and the dissector, so it is distributed
 * under the GPL; this source file is MIT like the rest of fuzz/.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/frame_data.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/tvbuff.h>
#include <glib.h>
#include <wiretap/wtap.h>
#include <wsutil/filesystem.h>
#include <wsutil/privileges.h>
#include <wsutil/wslog.h>

#include "fuzz.h"
#include "vconform_ws.h"

#define INPUT_MAX   0x100000u /* a record is at most 256 KiB + headers (VCF_CAPTURE_SNAPLEN) */
#define SELECT_USER 0x01u     /* input byte 0: a user link type, no tags */
#ifndef SESSION_INPUTS
#define SESSION_INPUTS 1000000u /* inputs per epan session (top of file) */
#endif

/* The user_dlts table: user link type n -> dissector, for n = 0, 1, 2. */
static const char *const user_dlt_dissector[] = {"vconform", "rpmsg", "virtio_msg"};

static epan_t *session;
static guint32 frame_num;
static int hf_dissector_bug = -1;
static int hf_malformed = -1;
static int hf_protocols = -1; /* frame.protocols, for --explain */
static gboolean ready;

static const nstime_t *frame_ts(struct packet_provider_data *prov, guint32 num)
{
    static const nstime_t zero;
    (void)prov;
    (void)num;
    return &zero;
}

static const struct packet_provider_funcs provider = {frame_ts, NULL, NULL, NULL};

static void set_pref(const char *name, const char *value)
{
    char pref[256];
    char *errmsg = NULL;
    snprintf(pref, sizeof pref, "%s:%s", name, value);
    if (prefs_set_pref(pref, &errmsg) != PREFS_SET_OK)
        fprintf(stderr, "fuzz_dissector: preference %s: %s\n", pref, errmsg ? errmsg : "refused");
    g_free(errmsg);
}

#ifdef VCF_FUZZ_ENGINE_LIBFUZZER
/* libFuzzer reads its flags after LLVMFuzzerInitialize: put -detect_leaks=0 first. */
static void no_leak_check_per_input(int *argc, char ***argv)
{
    static char flag[] = "-detect_leaks=0";
    if (!argc || !argv || *argc < 1)
        return;
    char **args = calloc((size_t)*argc + 2u, sizeof *args);
    if (!args)
        return;
    args[0] = (*argv)[0];
    args[1] = flag;
    for (int i = 1; i < *argc; i++)
        args[i + 1] = (*argv)[i];
    *argv = args; /* for the life of the process */
    (*argc)++;
}
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
#ifdef VCF_FUZZ_ENGINE_LIBFUZZER
    no_leak_check_per_input(argc, argv);
#else
    (void)argc;
#endif
    /* before GLib and epan read them (fuzzshark does the same) */
    g_setenv("WIRESHARK_DEBUG_WMEM_OVERRIDE", "simple", FALSE);
    g_setenv("G_SLICE", "always-malloc", FALSE);
    g_setenv("WIRESHARK_ABORT_ON_DISSECTOR_BUG", "1", TRUE);
    /* no personal configuration: the result must not depend on who runs it */
    g_setenv("XDG_CONFIG_HOME", "/nonexistent", TRUE);
    g_setenv("HOME", "/nonexistent", TRUE);

    ws_log_init("fuzz_dissector", NULL);
    ws_log_set_level(LOG_LEVEL_CRITICAL);
    init_process_policies();
    char *err = configuration_init((argv && *argv && (*argv)[0]) ? (*argv)[0] : "fuzz_dissector",
                                   "Wireshark");
    if (err) {
        fprintf(stderr, "fuzz_dissector: configuration_init: %s\n", err);
        g_free(err);
    }

    wtap_init(FALSE);
    vcf_ws_plugin_register(); /* before epan_init: registered with the built-in protocols */
    if (!epan_init(NULL, NULL, FALSE)) {
        fprintf(stderr, "fuzz_dissector: epan_init failed\n");
        abort();
    }
    /* No reassembly anywhere (nothing of ours reassembles; the tags could name a protocol
     * that does), as fuzzshark sets it. */
    set_pref("ip.defragment", "FALSE");
    set_pref("ipv6.defragment", "FALSE");
    set_pref("tcp.desegment_tcp_streams", "FALSE");
    for (int i = 0; i < 3; i++) {
        char entry[128];
        snprintf(entry, sizeof entry, "\"User %d (DLT=%d)\",\"%s\",\"0\",\"\",\"0\",\"\"", i,
                 147 + i, user_dlt_dissector[i]);
        set_pref("uat:user_dlts", entry);
    }
    prefs_apply_all();

    if (proto_get_id_by_filter_name("vconform") < 0 || proto_get_id_by_filter_name("rpmsg") < 0 ||
        proto_get_id_by_filter_name("virtio_msg") < 0) {
        fprintf(stderr, "fuzz_dissector: the vconform, rpmsg and virtio_msg protocols are not "
                        "registered (vcf_ws_plugin_register)\n");
        abort();
    }
    hf_dissector_bug = proto_registrar_get_id_byname("_ws.malformed.dissector_bug");
    hf_malformed = proto_registrar_get_id_byname("_ws.malformed");
    hf_protocols = proto_registrar_get_id_byname("frame.protocols");
    if (hf_dissector_bug < 0) {
        fprintf(stderr, "fuzz_dissector: no field _ws.malformed.dissector_bug in this epan\n");
        abort();
    }

    /* From here on a critical message is a finding (during initialisation epan may say
     * things about the environment that are not). */
    g_log_set_always_fatal((GLogLevelFlags)(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR));
    ws_log_set_fatal(LOG_LEVEL_CRITICAL);
    session = epan_new(NULL, &provider);
    ready = TRUE;
    return 0;
}

/* The text of the first dissector-bug item in the tree, or NULL. */
static const char *dissector_bug(epan_dissect_t *edt)
{
    GPtrArray *items = proto_get_finfo_ptr_array(edt->tree, hf_dissector_bug);
    if (!items || items->len == 0)
        return NULL;
    field_info *fi = (field_info *)g_ptr_array_index(items, 0);
    if (fi && fi->rep && fi->rep->representation[0])
        return fi->rep->representation;
    return "(no text)";
}

/* --explain: which dissectors ran, and whether the packet was malformed. */
static void explain(epan_dissect_t *edt)
{
    const char *protocols = "?";
    GPtrArray *p = hf_protocols >= 0 ? proto_get_finfo_ptr_array(edt->tree, hf_protocols) : NULL;
    if (p && p->len) {
        field_info *fi = (field_info *)g_ptr_array_index(p, 0);
        protocols = fvalue_get_string(&fi->value);
    }
    GPtrArray *mal = hf_malformed >= 0 ? proto_get_finfo_ptr_array(edt->tree, hf_malformed) : NULL;
    vcf_fuzz_explainf("dissected: frame.protocols %s, %s\n", protocols,
                      mal && mal->len ? "malformed packet (an exception: not a finding)"
                                      : "no exception");
    vcf_fuzz_explainf("checked: no crash, no dissector bug, no critical message\n");
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(((unsigned)p[0] << 8) | p[1]);
}

/* Whether the exported-PDU tags route the input to one of our dissectors (top of file). */
static bool routes_to_vconform(const uint8_t *data, size_t size)
{
    static const char *const ours[] = {"vconform", "rpmsg", "virtio_msg"};
    bool named = false;
    size_t at = 0;
    for (;;) {
        if (size - at < 4)
            return false;
        uint16_t type = be16(data + at), len = be16(data + at + 2);
        at += 4;
        if (type == 0)
            return named;
        if (len > size - at)
            return false;
        if (type == 12) {
            size_t n = 0;
            while (n < len && data[at + n])
                n++;
            named = false;
            for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++)
                if (strlen(ours[i]) == n && memcmp(ours[i], data + at, n) == 0)
                    named = true;
            if (!named)
                return false;
        } else if (type != 33) {
            return false;
        }
        at += len;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready)
        LLVMFuzzerInitialize(NULL, NULL);
    if (size < 1 || size > INPUT_MAX)
        return 0;
    const uint8_t select = data[0];
    const uint8_t *record = data + 1;
    const size_t len = size - 1;
    int encap;
    if (select & SELECT_USER) {
        unsigned n = (select >> 1) & 3u;
        if (n == 3)
            n = 0;
        encap = WTAP_ENCAP_USER0 + (int)n;
        vcf_fuzz_explainf("dissector: %zu-byte record on link type USER%u (DLT %u, mapped to "
                          "%s)\n",
                          len, n, 147u + n, user_dlt_dissector[n]);
    } else if (routes_to_vconform(record, len)) {
        encap = WTAP_ENCAP_WIRESHARK_UPPER_PDU;
        vcf_fuzz_explainf("dissector: %zu-byte record as an exported-PDU frame\n", len);
    } else {
        vcf_fuzz_explainf("dissector: %zu-byte record whose exported-PDU tags do not lead to "
                          "vconform, rpmsg or virtio_msg: skipped\n",
                          len);
        return 0;
    }

    if (frame_num == SESSION_INPUTS) {
        epan_free(session);
        session = epan_new(NULL, &provider);
        frame_num = 0;
    }
    epan_dissect_t *edt = epan_dissect_new(session, TRUE, TRUE);
    epan_dissect_prime_with_hfid(edt, hf_dissector_bug);
    if (vcf_fuzz_explain && hf_malformed >= 0 && hf_protocols >= 0) {
        epan_dissect_prime_with_hfid(edt, hf_malformed);
        epan_dissect_prime_with_hfid(edt, hf_protocols);
    }

    wtap_rec rec;
    wtap_rec_init(&rec);
    rec.rec_type = REC_TYPE_PACKET;
    rec.presence_flags = WTAP_HAS_TS | WTAP_HAS_CAP_LEN;
    rec.ts.secs = 1700000000;
    rec.ts.nsecs = 0;
    rec.tsprec = WTAP_TSPREC_USEC;
    rec.rec_header.packet_header.caplen = (guint32)len;
    rec.rec_header.packet_header.len = (guint32)len;
    rec.rec_header.packet_header.pkt_encap = encap;

    frame_data fd;
    frame_data_init(&fd, ++frame_num, &rec, 0, 0);
    nstime_t elapsed = NSTIME_INIT_ZERO;
    const frame_data *ref = NULL;
    frame_data_set_before_dissect(&fd, &elapsed, &ref, NULL);

    /* tvb over the input itself: a read past its end is the sanitizers' to see */
    tvbuff_t *tvb = tvb_new_real_data(record, (guint)len, (gint)len);
    epan_dissect_run(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, &rec, tvb, &fd, NULL);

    const char *bug = dissector_bug(edt);
    if (bug)
        vcf_fuzz_finding("dissector: a DissectorError reached the frame dissector: %s", bug);
    if (vcf_fuzz_explain)
        explain(edt);

    epan_dissect_free(edt); /* frees the tvb chain */
    frame_data_destroy(&fd);
    wtap_rec_cleanup(&rec);
    return 0;
}
