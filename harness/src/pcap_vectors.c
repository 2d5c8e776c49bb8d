/* SPDX-License-Identifier: MIT */
/*
 * vconform pcap to-vectors / from-vectors: a captured exchange as a replayable vector file, and
 * the messages of a vector file as a capture (docs/capture-tools.md).
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture.h"
#include "cli.h"
#include "emit.h"
#include "vconform/rules.h"
#include "vector.h"

#ifndef VCF_VERSION
#define VCF_VERSION "0"
#endif

/* ---- small helpers ----------------------------------------------------------------------- */

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fputs("vconform pcap: out of memory\n", stderr);
        exit(VCF_CLI_EXIT_MALFORMED);
    }
    return p;
}

static void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q) {
        fputs("vconform pcap: out of memory\n", stderr);
        exit(VCF_CLI_EXIT_MALFORMED);
    }
    return q;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = xcalloc(n, 1);
    memcpy(d, s, n);
    return d;
}

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static char *xprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = xcalloc((size_t)n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static vcf_vbytes bytes_dup(const uint8_t *d, size_t n)
{
    vcf_vbytes b = {NULL, 0};
    if (n) {
        b.data = xcalloc(n, 1);
        memcpy(b.data, d, n);
        b.len = n;
    }
    return b;
}

static void obs_copy(vcf_obs_match *dst, const vcf_obs_match *src)
{
    *dst = *src;
    dst->msg.bytes = bytes_dup(src->msg.bytes.data, src->msg.bytes.len);
    dst->msg.mask = bytes_dup(src->msg.mask.data, src->msg.mask.len);
    dst->msg.decoded = src->msg.decoded ? xstrdup(src->msg.decoded) : NULL;
    dst->event.data = bytes_dup(src->event.data.data, src->event.data.len);
}

static bool group_channel_ok(uint32_t role, uint32_t channel)
{
    return vcf_channel_name(role, channel) != NULL;
}

/* ==== from-vectors ======================================================================== */

static const char from_usage[] =
    "usage: vconform pcap from-vectors [options] VECTORS.json\n"
    "\n"
    "Write the messages of a vector file as a vconform capture: for every case, each step's\n"
    "injected message (to the implementation) and the messages of the step's first\n"
    "acceptable outcome (from the implementation, flagged SYNTHESIZED). Masked bytes are\n"
    "written as the vector's bytes. Actions and events are not messages and are left out.\n"
    "Timestamps are logical: seconds = the case's index, microseconds = the record's index\n"
    "within the case.\n"
    "\n"
    "  -o, --out FILE     the capture to write (default: standard output)\n"
    "  -c, --case ID      only this case (repeatable; shell patterns such as 'rpmsg-drv-ns-*')\n"
    "\n"
    "Exit status: 0 done, 2 a file that cannot be read or written, 64 a usage error.\n";

static bool case_selected(const char *id, char **sel, size_t n_sel)
{
    if (n_sel == 0)
        return true;
    for (size_t i = 0; i < n_sel; i++)
        if (fnmatch(sel[i], id, 0) == 0)
            return true;
    return false;
}

int vcf_cli_pcap_from_vectors(int argc, char **argv)
{
    static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
                                         {"case", required_argument, NULL, 'c'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *out = "-";
    char **sel = xcalloc((size_t)argc + 1, sizeof *sel);
    size_t n_sel = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'c': sel[n_sel++] = optarg; break;
        case 'h':
            free(sel);
            fputs(from_usage, stdout);
            return VCF_CLI_EXIT_OK;
        default: free(sel); return vcf_cli_usage_error("pcap from-vectors", "see --help");
        }
    }
    if (argc - optind != 1) {
        free(sel);
        return vcf_cli_usage_error("pcap from-vectors", "expected one vector file");
    }
    vcf_vfile f;
    char err[1024];
    if (vcf_vfile_load(argv[optind], &f, err, sizeof err) != 0) {
        fprintf(stderr, "vconform pcap from-vectors: %s\n", err);
        free(sel);
        return VCF_CLI_EXIT_MALFORMED;
    }
    vcf_capture_options copts;
    vcf_capture_options_init(&copts);
    copts.timestamps = VCF_CAPTURE_TS_LOGICAL;
    vcf_capture_file *cap = vcf_capture_open(out, &copts, err, sizeof err);
    if (!cap) {
        fprintf(stderr, "vconform pcap from-vectors: %s\n", err);
        vcf_vfile_free(&f);
        free(sel);
        return VCF_CLI_EXIT_MALFORMED;
    }
    size_t case_index = 0, n_cases = 0;
    int rc = VCF_CLI_EXIT_OK;
    for (size_t gi = 0; gi < f.n_groups && rc == VCF_CLI_EXIT_OK; gi++) {
        const vcf_group *g = &f.groups[gi];
        vcf_capture_meta base;
        vcf_capture_meta_init(&base);
        vcf_run_capture_link(f.role, g, &base);
        const bool rpmsg = base.protocol == VCF_CAPTURE_PROTO_RPMSG;
        uint64_t buf_size = 512;
        if (vcf_param_u64(g->params, g->n_params, "buf_size", 512, &buf_size) != VCF_ADAPTER_OK)
            buf_size = 512;
        for (size_t ci = 0; ci < g->n_cases && rc == VCF_CLI_EXIT_OK; ci++) {
            const vcf_case *k = &g->cases[ci];
            if (!case_selected(k->id, sel, n_sel))
                continue;
            n_cases++;
            vcf_capture_meta m = base;
            m.case_id = k->id;
            m.case_index = (uint32_t)case_index++;
            for (size_t si = 0; si < k->n_steps && rc == VCF_CLI_EXIT_OK; si++) {
                const vcf_step *s = &k->steps[si];
                m.step_index = (uint32_t)si;
                if (s->kind == VCF_STEP_INJECT) {
                    vcf_capture_meta r = m;
                    r.direction = VCF_CAPTURE_DIR_TO_IUT;
                    r.channel = s->channel;
                    r.capacity = rpmsg ? (s->capacity ? s->capacity : buf_size) : 0;
                    r.used_len = s->used_len;
                    if (vcf_capture_record(cap, &r, s->bytes.data, s->bytes.len) != 0)
                        rc = VCF_CLI_EXIT_MALFORMED;
                }
                if (s->expect.n_alts == 0)
                    continue;
                const vcf_alternative *a = &s->expect.alts[0];
                for (size_t oi = 0; oi < a->n_obs && rc == VCF_CLI_EXIT_OK; oi++) {
                    const vcf_obs_match *o = &a->obs[oi];
                    if (o->kind != VCF_OBS_MSG)
                        continue;
                    vcf_capture_meta r = m;
                    r.direction = VCF_CAPTURE_DIR_FROM_IUT;
                    r.channel = o->msg.channel;
                    r.flags |= VCF_CAPTURE_F_SYNTHESIZED;
                    r.capacity = rpmsg ? buf_size : 0;
                    r.used_len = o->msg.has_used_len ? o->msg.used_len : 0;
                    if (vcf_capture_record(cap, &r, o->msg.bytes.data, o->msg.bytes.len) != 0)
                        rc = VCF_CLI_EXIT_MALFORMED;
                }
            }
        }
    }
    uint64_t written = vcf_capture_count(cap);
    if (vcf_capture_close(cap, err, sizeof err) != 0) {
        fprintf(stderr, "vconform pcap from-vectors: %s\n", err);
        rc = VCF_CLI_EXIT_MALFORMED;
    }
    if (n_sel && n_cases == 0)
        fprintf(stderr, "vconform pcap from-vectors: warning: no case matched --case\n");
    fprintf(stderr, "vconform pcap from-vectors: %s: %zu cases, %" PRIu64 " records\n",
            argv[optind], n_cases, written);
    vcf_vfile_free(&f);
    free(sel);
    return rc;
}

/* ==== to-vectors ========================================================================== */

static const char to_usage[] =
    "usage: vconform pcap to-vectors [options] CAPTURE\n"
    "\n"
    "Turn the records of a vconform capture into a vector file that `vconform run --vectors`\n"
    "replays: injected records (to the implementation) become inject steps, emitted ones the\n"
    "exact messages each step expects. Records with a case ID are grouped per case and step;\n"
    "records without one (a field capture, import-dmesg) make one case, each injected message\n"
    "starting a step.\n"
    "\n"
    "  -o, --out FILE        the vector file to write (default: standard output)\n"
    "  -r, --role ROLE       use the records of this role (needed when the capture holds\n"
    "                        several; also the role of records that name none)\n"
    "  -p, --id-prefix P     prefix of the IDs of cases made from records without a case ID\n"
    "                        (default: the role's prefix followed by -capture)\n"
    "  -V, --vectors PATH    vector files (a file or a directory of *.json, repeatable) holding\n"
    "                        the captured case IDs: their group parameters, actions, events and\n"
    "                        rules are kept\n"
    "  -g, --split-gap SEC   records without a case ID: start a new case where the timestamps\n"
    "                        jump by more than SEC seconds\n"
    "\n"
    "Exit status: 0 done, 2 a capture or vector file that cannot be read, or nothing to\n"
    "write, 64 a usage error.\n";

typedef struct rec {
    vcf_capture_view v; /* data and case_id re-pointed at the copies below */
    uint8_t *data;
    size_t len;
    char *case_id; /* NUL-terminated copy, or NULL */
    int64_t ts_sec;
    uint32_t ts_usec;
    size_t frame; /* 1-based, as Wireshark numbers them */
} rec;

typedef struct recs {
    rec *r;
    size_t n, cap;
} recs;

static void recs_free(recs *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        free(rs->r[i].data);
        free(rs->r[i].case_id);
    }
    free(rs->r);
}

static int read_capture(const char *path, recs *out)
{
    char ebuf[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(path, ebuf);
    if (!p) {
        fprintf(stderr, "vconform pcap to-vectors: %s: %s\n", path, ebuf);
        return -1;
    }
    uint32_t linktype = (uint32_t)pcap_datalink(p);
    struct pcap_pkthdr *h;
    const u_char *d;
    int r;
    size_t frame = 0;
    int rc = 0;
    while ((r = pcap_next_ex(p, &h, &d)) == 1) {
        frame++;
        vcf_capture_view v;
        char err[256];
        if (vcf_capture_parse(linktype, d, h->caplen, &v, err, sizeof err) != 0) {
            fprintf(stderr, "vconform pcap to-vectors: %s: frame %zu: %s\n", path, frame, err);
            rc = -1;
            continue;
        }
        if (v.flags & VCF_CAPTURE_F_TRUNCATED) {
            fprintf(stderr,
                    "vconform pcap to-vectors: %s: frame %zu: the message was cut (%zu of %" PRIu32
                    " bytes): expected a whole message\n",
                    path, frame, v.data_len, v.orig_len);
            rc = -1;
            continue;
        }
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 64;
            out->r = xrealloc(out->r, out->cap * sizeof *out->r);
        }
        rec *x = &out->r[out->n++];
        memset(x, 0, sizeof *x);
        x->v = v;
        x->len = v.data_len;
        x->data = xcalloc(v.data_len, 1);
        memcpy(x->data, v.data, v.data_len);
        x->v.data = x->data;
        if (v.case_id && v.case_id_len) {
            size_t n = 0;
            while (n < v.case_id_len && v.case_id[n])
                n++;
            x->case_id = xcalloc(n + 1, 1);
            memcpy(x->case_id, v.case_id, n);
        }
        x->v.case_id = x->case_id;
        x->v.dissector = NULL;
        x->ts_sec = (int64_t)h->ts.tv_sec;
        x->ts_usec = (uint32_t)h->ts.tv_usec;
        x->frame = frame;
    }
    if (r == -1) {
        fprintf(stderr, "vconform pcap to-vectors: %s: %s\n", path, pcap_geterr(p));
        rc = -1;
    }
    pcap_close(p);
    return rc;
}

/* The vector files of --vectors. */
typedef struct vfiles {
    vcf_vfile *f;
    size_t n;
} vfiles;

static int load_one(vfiles *vf, const char *path)
{
    vf->f = xrealloc(vf->f, (vf->n + 1) * sizeof *vf->f);
    char err[1024];
    if (vcf_vfile_load(path, &vf->f[vf->n], err, sizeof err) != 0) {
        fprintf(stderr, "vconform pcap to-vectors: %s\n", err);
        return -1;
    }
    vf->n++;
    return 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_vectors(vfiles *vf, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "vconform pcap to-vectors: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return load_one(vf, path);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "vconform pcap to-vectors: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0) {
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = xprintf("%s/%s", path, e->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, name_cmp);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && load_one(vf, names[i]) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

static const vcf_case *find_case(const vfiles *vf, uint32_t role, const char *id,
                                 const vcf_group **group, const vcf_vfile **file)
{
    for (size_t i = 0; i < vf->n; i++) {
        if (vf->f[i].role != role)
            continue;
        for (size_t g = 0; g < vf->f[i].n_groups; g++)
            for (size_t c = 0; c < vf->f[i].groups[g].n_cases; c++)
                if (strcmp(vf->f[i].groups[g].cases[c].id, id) == 0) {
                    *group = &vf->f[i].groups[g];
                    *file = &vf->f[i];
                    return &vf->f[i].groups[g].cases[c];
                }
    }
    return NULL;
}

/* ---- the output file ---------------------------------------------------------------------- */

typedef struct builder {
    vcf_vfile out;
    uint32_t role;
    const char *capture;
    size_t warnings;
} builder;

static void add_rule(vcf_case *k, const char *id)
{
    const vcf_rule *r = vcf_rule_find(id);
    if (!r || r->withdrawn)
        return;
    for (size_t i = 0; i < k->n_rules; i++)
        if (strcmp(k->rules[i], id) == 0)
            return;
    k->rules = xrealloc(k->rules, (k->n_rules + 1) * sizeof *k->rules);
    k->rules[k->n_rules++] = xstrdup(id);
}

/* The rules the model's checks flag on one message; whether it has any problem. */
static bool flag_rules(vcf_case *k, const rec *x)
{
    vcf_cli_proto proto;
    if (x->v.protocol == VCF_CAPTURE_PROTO_RPMSG)
        proto = VCF_CLI_PROTO_RPMSG;
    else if (x->v.protocol == VCF_CAPTURE_PROTO_VMSG)
        proto = VCF_CLI_PROTO_VMSG;
    else
        return false;
    vcf_rpmsg_params rp;
    vcf_vmsg_params vp;
    vcf_capture_rpmsg_params(&x->v, &rp);
    vcf_capture_vmsg_params(&x->v, &vp);
    static vcf_cli_decoded d; /* large; the CLI is single-threaded */
    vcf_cli_decode_message(&d, proto, &rp, &vp, x->data, x->len);
    const bool bad = !d.parsed || d.nonstandard;
    if (bad && d.error.rule)
        add_rule(k, d.error.rule);
    const size_t n = d.nerrs < VCF_CLI_MAX_VIOLATIONS ? d.nerrs : VCF_CLI_MAX_VIOLATIONS;
    for (size_t i = 0; i < n; i++)
        if (d.errs[i].rule)
            add_rule(k, d.errs[i].rule);
    return bad || d.nerrs > 0;
}

typedef struct kv {
    char *key;
    char *value;
} kv;

/* The group parameters the pseudo-header gives. */
static size_t link_params(const rec *x, kv *out)
{
    size_t n = 0;
    if (x->v.protocol == VCF_CAPTURE_PROTO_RPMSG) {
        vcf_rpmsg_params rp; /* how every reader takes the record's link fields */
        vcf_capture_rpmsg_params(&x->v, &rp);
        uint64_t features = (rp.order == VCF_BIG_ENDIAN ? 0 : (1ull << 32)) | (rp.ns ? 1u : 0u);
        out[n].key = xstrdup("features");
        out[n++].value = xprintf("0x%" PRIx64, features);
        if (rp.order == VCF_BIG_ENDIAN) {
            out[n].key = xstrdup("order");
            out[n++].value = xstrdup("be");
        }
        out[n].key = xstrdup("buf_size");
        out[n++].value = xprintf("%" PRIu32, x->v.capacity ? x->v.capacity : 512u);
    } else if (x->v.protocol == VCF_CAPTURE_PROTO_VMSG) {
        const char *rev = x->v.revision ? vcf_vmsg_rev_name((vcf_vmsg_rev)x->v.revision) : NULL;
        if (rev) {
            out[n].key = xstrdup("rev");
            out[n++].value = xstrdup(rev);
        }
        if (x->v.max_msg_size) {
            out[n].key = xstrdup("max_msg_size");
            out[n++].value = xprintf("%" PRIu32, x->v.max_msg_size);
        }
    }
    return n;
}

/* Put the case into the group with exactly these parameters (made when new). Takes params. */
static void place_case(builder *b, kv *params, size_t n_params, const char *gdesc, vcf_case *k)
{
    vcf_group *g = NULL;
    for (size_t i = 0; i < b->out.n_groups && !g; i++) {
        vcf_group *h = &b->out.groups[i];
        if (h->n_params != n_params)
            continue;
        bool same = true;
        for (size_t j = 0; j < n_params && same; j++)
            same = strcmp(h->params[j].key, params[j].key) == 0 &&
                   strcmp(h->params[j].value, params[j].value) == 0;
        if (same)
            g = h;
    }
    if (g) {
        for (size_t j = 0; j < n_params; j++) {
            free(params[j].key);
            free(params[j].value);
        }
    } else {
        b->out.groups = xrealloc(b->out.groups, (b->out.n_groups + 1) * sizeof *b->out.groups);
        g = &b->out.groups[b->out.n_groups++];
        memset(g, 0, sizeof *g);
        g->description = xstrdup(gdesc);
        g->params = xcalloc(n_params, sizeof *g->params);
        for (size_t j = 0; j < n_params; j++) {
            g->params[j].key = params[j].key;
            g->params[j].value = params[j].value;
        }
        g->n_params = n_params;
    }
    g->cases = xrealloc(g->cases, (g->n_cases + 1) * sizeof *g->cases);
    g->cases[g->n_cases++] = *k;
}

static void add_note(builder *b, const vcf_vfile *from, const char *flag)
{
    for (size_t i = 0; i < b->out.n_notes; i++)
        if (strcmp(b->out.notes[i].flag, flag) == 0)
            return;
    for (size_t i = 0; i < from->n_notes; i++)
        if (strcmp(from->notes[i].flag, flag) == 0) {
            b->out.notes = xrealloc(b->out.notes, (b->out.n_notes + 1) * sizeof *b->out.notes);
            b->out.notes[b->out.n_notes].flag = xstrdup(flag);
            b->out.notes[b->out.n_notes++].text = xstrdup(from->notes[i].text);
            return;
        }
}

static vcf_step *new_step(vcf_case *k)
{
    k->steps = xrealloc(k->steps, (k->n_steps + 1) * sizeof *k->steps);
    vcf_step *s = &k->steps[k->n_steps++];
    memset(s, 0, sizeof *s);
    s->expect.alts = xcalloc(1, sizeof *s->expect.alts);
    s->expect.n_alts = 1;
    return s;
}

static void push_obs(vcf_obs_match **list, size_t *n, const vcf_obs_match *o)
{
    *list = xrealloc(*list, (*n + 1) * sizeof **list);
    obs_copy(&(*list)[*n], o);
    (*n)++;
}

static void expect_msg(vcf_step *s, const rec *x, bool with_used_len)
{
    vcf_obs_match o;
    memset(&o, 0, sizeof o);
    o.kind = VCF_OBS_MSG;
    o.msg.channel = x->v.channel;
    o.msg.bytes.data = x->data;
    o.msg.bytes.len = x->len;
    if (with_used_len) {
        o.msg.has_used_len = true;
        o.msg.used_len = x->v.used_len;
    }
    push_obs(&s->expect.alts[0].obs, &s->expect.alts[0].n_obs, &o);
}

static void set_inject(vcf_step *s, const rec *x, uint64_t buf_size)
{
    s->kind = VCF_STEP_INJECT;
    s->channel = x->v.channel;
    s->bytes = bytes_dup(x->data, x->len);
    if (x->v.used_len && x->v.used_len != x->len)
        s->used_len = x->v.used_len;
    if (x->v.protocol == VCF_CAPTURE_PROTO_RPMSG && x->v.capacity && x->v.capacity != buf_size)
        s->capacity = x->v.capacity;
}

static bool msg_matches(const vcf_msg_match *m, const rec *x)
{
    if (m->channel != x->v.channel || m->bytes.len != x->len)
        return false;
    for (size_t i = 0; i < x->len; i++) {
        uint8_t mask = m->mask.len ? m->mask.data[i] : 0xFF;
        if ((x->data[i] & mask) != (m->bytes.data[i] & mask))
            return false;
    }
    return true;
}

/* Whether the captured messages of a step match an alternative's messages (the runner's rule:
 * in order, or else an ignored message). */
static bool alt_matches(const vcf_alternative *a, const vcf_expect *e, rec *const *msgs, size_t n)
{
    size_t next = 0;
    for (size_t i = 0; i < n; i++) {
        while (next < a->n_obs && a->obs[next].kind != VCF_OBS_MSG)
            next++;
        if (next < a->n_obs && msg_matches(&a->obs[next].msg, msgs[i])) {
            next++;
            continue;
        }
        bool ignored = false;
        for (size_t j = 0; j < e->n_ignore && !ignored; j++)
            ignored = e->ignore[j].kind == VCF_OBS_MSG && msg_matches(&e->ignore[j].msg, msgs[i]);
        if (!ignored)
            return false;
    }
    while (next < a->n_obs && a->obs[next].kind != VCF_OBS_MSG)
        next++;
    return next == a->n_obs;
}

typedef struct span {
    rec **r; /* the records of one case, in file order */
    size_t n;
} span;

static char *frames_text(const span *sp)
{
    return sp->n == 1 ? xprintf("frame %zu", sp->r[0]->frame)
                      : xprintf("frames %zu-%zu", sp->r[0]->frame, sp->r[sp->n - 1]->frame);
}

/* A case from an original vector case: its steps, with the captured bytes. */
static void build_from_original(builder *b, const span *sp, const vcf_case *orig,
                                const vcf_group *og, const vcf_vfile *of)
{
    vcf_case k;
    memset(&k, 0, sizeof k);
    k.id = xstrdup(orig->id);
    for (size_t i = 0; i < orig->n_rules; i++)
        add_rule(&k, orig->rules[i]);
    k.level = orig->level;
    k.result = orig->result;
    for (size_t i = 0; i < orig->n_flags; i++) {
        k.flags = xrealloc(k.flags, (k.n_flags + 1) * sizeof *k.flags);
        k.flags[k.n_flags++] = xstrdup(orig->flags[i]);
        add_note(b, of, orig->flags[i]);
    }
    char *fr = frames_text(sp);
    k.description =
        xprintf("captured run of %s (%s, %s): %s", orig->id, b->capture, fr, orig->description);
    free(fr);
    uint64_t buf_size = 512;
    if (vcf_param_u64(og->params, og->n_params, "buf_size", 512, &buf_size) != VCF_ADAPTER_OK)
        buf_size = 512;
    rec **msgs = xcalloc(sp->n, sizeof *msgs);
    for (size_t si = 0; si < orig->n_steps; si++) {
        const vcf_step *os = &orig->steps[si];
        vcf_step *s = new_step(&k);
        const rec *inj = NULL;
        size_t n_msgs = 0;
        for (size_t i = 0; i < sp->n; i++) {
            rec *x = sp->r[i];
            if (x->v.step_index != si)
                continue;
            if (x->v.direction == VCF_CAPTURE_DIR_TO_IUT && !inj)
                inj = x;
            else if (x->v.direction == VCF_CAPTURE_DIR_FROM_IUT)
                msgs[n_msgs++] = x;
        }
        /* the stimulus */
        s->kind = os->kind;
        if (os->kind == VCF_STEP_INJECT) {
            const rec *src = inj;
            if (src) {
                set_inject(s, src, buf_size);
            } else {
                s->channel = os->channel;
                s->bytes = bytes_dup(os->bytes.data, os->bytes.len);
                s->used_len = os->used_len;
                s->capacity = os->capacity;
            }
            s->decoded = os->decoded ? xstrdup(os->decoded) : NULL;
            if (os->n_copies) {
                s->copies = xcalloc(os->n_copies, sizeof *s->copies);
                memcpy(s->copies, os->copies, os->n_copies * sizeof *s->copies);
                s->n_copies = os->n_copies;
            }
        } else {
            s->action = os->action;
            memcpy(s->args, os->args, sizeof s->args);
            s->data = bytes_dup(os->data.data, os->data.len);
            s->expect.result = os->expect.result;
            s->expect.has_value = os->expect.has_value;
            s->expect.value = os->expect.value;
            s->expect.value_mask = os->expect.value_mask;
        }
        /* the outcome: the captured messages, exactly; the events of the alternative they
         * match, or, when none does, every event the original allowed as ignorable */
        const vcf_alternative *match = NULL;
        for (size_t a = 0; a < os->expect.n_alts && !match; a++)
            if (alt_matches(&os->expect.alts[a], &os->expect, msgs, n_msgs))
                match = &os->expect.alts[a];
        for (size_t i = 0; i < n_msgs; i++) {
            bool used = false;
            if (match)
                for (size_t o = 0; o < match->n_obs && !used; o++)
                    used = match->obs[o].kind == VCF_OBS_MSG && match->obs[o].msg.has_used_len &&
                           msg_matches(&match->obs[o].msg, msgs[i]);
            expect_msg(s, msgs[i], used);
        }
        for (size_t i = 0; i < os->expect.n_ignore; i++)
            push_obs(&s->expect.ignore, &s->expect.n_ignore, &os->expect.ignore[i]);
        if (match) {
            for (size_t o = 0; o < match->n_obs; o++)
                if (match->obs[o].kind == VCF_OBS_EVENT)
                    push_obs(&s->expect.alts[0].obs, &s->expect.alts[0].n_obs, &match->obs[o]);
        } else {
            for (size_t a = 0; a < os->expect.n_alts; a++)
                for (size_t o = 0; o < os->expect.alts[a].n_obs; o++)
                    if (os->expect.alts[a].obs[o].kind == VCF_OBS_EVENT)
                        push_obs(&s->expect.ignore, &s->expect.n_ignore,
                                 &os->expect.alts[a].obs[o]);
            if (n_msgs || os->expect.n_alts > 1 || os->expect.alts[0].n_obs) {
                fprintf(stderr,
                        "vconform pcap to-vectors: %s: case %s step %zu: the captured messages "
                        "match no outcome of the vector; its events are made ignorable\n",
                        b->capture, orig->id, si);
                b->warnings++;
            }
        }
    }
    free(msgs);
    kv params[64];
    size_t np = 0;
    for (size_t i = 0; i < og->n_params && np < 64; i++) {
        params[np].key = xstrdup(og->params[i].key);
        params[np++].value = xstrdup(og->params[i].value);
    }
    place_case(b, params, np, og->description, &k);
}

/* A case from records alone. */
static void build_from_records(builder *b, const span *sp, const char *id, bool by_step)
{
    vcf_case k;
    memset(&k, 0, sizeof k);
    k.id = xstrdup(id);
    k.level = VCF_LEVEL_MAY;
    k.result = VCF_VRESULT_VALID;
    uint64_t buf_size = sp->r[0]->v.capacity ? sp->r[0]->v.capacity : 512;
    vcf_step *s = NULL;
    uint32_t step_of_s = 0;
    size_t dropped = 0;
    bool bad_inject = false;
    for (size_t i = 0; i < sp->n; i++) {
        rec *x = sp->r[i];
        if (!group_channel_ok(b->role, x->v.channel)) {
            fprintf(stderr,
                    "vconform pcap to-vectors: %s: frame %zu: channel %u is not one of "
                    "the role's: left out\n",
                    b->capture, x->frame, x->v.channel);
            b->warnings++;
            continue;
        }
        bool problem = flag_rules(&k, x);
        if (x->v.direction == VCF_CAPTURE_DIR_TO_IUT) {
            bad_inject |= problem;
            s = new_step(&k);
            step_of_s = x->v.step_index;
            set_inject(s, x, buf_size);
        } else if (s && (!by_step || x->v.step_index == step_of_s)) {
            expect_msg(s, x, false);
        } else {
            dropped++;
            fprintf(stderr,
                    "vconform pcap to-vectors: %s: frame %zu: emitted with no injected message "
                    "before it in its step (an action?); left out (--vectors keeps actions)\n",
                    b->capture, x->frame);
            b->warnings++;
        }
    }
    if (k.n_steps == 0) {
        fprintf(stderr,
                "vconform pcap to-vectors: %s: case %s: no injected message, no step: "
                "left out\n",
                b->capture, id);
        b->warnings++;
        vcf_vfile tmp;
        memset(&tmp, 0, sizeof tmp);
        tmp.groups = xcalloc(1, sizeof *tmp.groups);
        tmp.n_groups = 1;
        tmp.groups[0].cases = xcalloc(1, sizeof k);
        tmp.groups[0].cases[0] = k;
        tmp.groups[0].n_cases = 1;
        vcf_vfile_free(&tmp);
        return;
    }
    if (k.n_rules == 0) /* the message format itself: what every replayed case relies on */
        add_rule(&k,
                 sp->r[0]->v.protocol == VCF_CAPTURE_PROTO_RPMSG ? "RPMSG-HDR-01" : "VMSG-HDR-02");
    k.result = bad_inject ? VCF_VRESULT_INVALID : VCF_VRESULT_VALID;
    char *fr = frames_text(sp);
    k.description = xprintf("captured in %s, %s (%zu records%s)", b->capture, fr, sp->n,
                            dropped ? ", emitted messages without a stimulus left out" : "");
    free(fr);
    kv params[8];
    size_t np = link_params(sp->r[0], params);
    place_case(b, params, np, "link parameters from the capture's pseudo-header", &k);
}

static bool id_ok(const char *id)
{
    /* the schema's caseId pattern after the role prefix: [a-z0-9]+([._-][a-z0-9]+)* */
    const char *p = strchr(id, '-');
    if (!p)
        return false;
    p = strchr(p + 1, '-');
    if (!p || !p[1])
        return false;
    bool word = false;
    for (p++; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
            word = true;
        } else if ((*p == '-' || *p == '.' || *p == '_') && word) {
            word = false;
        } else {
            return false;
        }
    }
    return word;
}

static const char *role_prefix(uint32_t role)
{
    switch (role) {
    case VCF_IUT_RPMSG_DRIVER: return "rpmsg-drv";
    case VCF_IUT_RPMSG_DEVICE: return "rpmsg-dev";
    case VCF_IUT_VMSG_DEVICE: return "vmsg-dev";
    case VCF_IUT_VMSG_DRIVER: return "vmsg-drv";
    case VCF_IUT_VMSG_BUS: return "vmsg-bus";
    default: return NULL;
    }
}

int vcf_cli_pcap_to_vectors(int argc, char **argv)
{
    static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
                                         {"role", required_argument, NULL, 'r'},
                                         {"id-prefix", required_argument, NULL, 'p'},
                                         {"vectors", required_argument, NULL, 'V'},
                                         {"split-gap", required_argument, NULL, 'g'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *out = "-", *prefix = NULL;
    uint32_t role = 0;
    double gap = -1;
    const char **vpaths = xcalloc((size_t)argc + 1, sizeof *vpaths);
    size_t n_vpaths = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:r:p:V:g:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'r':
            if (vcf_iut_role_parse(optarg, &role) != 0) {
                free(vpaths);
                return vcf_cli_usage_error("pcap to-vectors", "unknown role '%s'", optarg);
            }
            break;
        case 'p': prefix = optarg; break;
        case 'V': vpaths[n_vpaths++] = optarg; break;
        case 'g': {
            char *end;
            gap = strtod(optarg, &end);
            if (end == optarg || *end || !(gap >= 0) || gap > 1e9) {
                free(vpaths);
                return vcf_cli_usage_error(
                    "pcap to-vectors", "--split-gap wants seconds (0 or more), not '%s'", optarg);
            }
            break;
        }
        case 'h':
            free(vpaths);
            fputs(to_usage, stdout);
            return VCF_CLI_EXIT_OK;
        default: free(vpaths); return vcf_cli_usage_error("pcap to-vectors", "see --help");
        }
    }
    if (argc - optind != 1) {
        free(vpaths);
        return vcf_cli_usage_error("pcap to-vectors", "expected one capture file");
    }
    const char *capture = argv[optind];
    recs rs = {0};
    vfiles vf = {0};
    builder b;
    memset(&b, 0, sizeof b);
    int rc = VCF_CLI_EXIT_OK;
    span *spans = NULL;
    char **ids = NULL;
    size_t n_spans = 0;
    if (read_capture(capture, &rs) != 0)
        rc = VCF_CLI_EXIT_MALFORMED;
    for (size_t i = 0; i < n_vpaths && rc == VCF_CLI_EXIT_OK; i++)
        if (load_vectors(&vf, vpaths[i]) != 0)
            rc = VCF_CLI_EXIT_MALFORMED;
    if (rc != VCF_CLI_EXIT_OK)
        goto done;

    /* the role */
    if (!role) {
        for (size_t i = 0; i < rs.n; i++) {
            if (!rs.r[i].v.role)
                continue;
            if (!role) {
                role = rs.r[i].v.role;
            } else if (rs.r[i].v.role != role) {
                fprintf(stderr,
                        "vconform pcap to-vectors: %s: records of roles %s and %s (frame %zu): "
                        "choose one with --role\n",
                        capture, vcf_iut_role_name(role), vcf_iut_role_name(rs.r[i].v.role),
                        rs.r[i].frame);
                rc = VCF_CLI_EXIT_USAGE;
                goto done;
            }
        }
    }
    if (!role_prefix(role)) {
        fprintf(stderr, "vconform pcap to-vectors: %s: no record names its role: use --role\n",
                capture);
        rc = VCF_CLI_EXIT_MALFORMED;
        goto done;
    }
    b.role = role;
    b.capture = capture;
    uint32_t proto = vcf_capture_protocol_of(role);

    /* the cases: one per case ID, in order of first appearance; the records without one in
     * spans split on timestamp gaps */
    rec **anon = xcalloc(rs.n, sizeof *anon);
    size_t n_anon = 0;
    spans = xcalloc(rs.n + 1, sizeof *spans);
    ids = xcalloc(rs.n + 1, sizeof *ids);
    for (size_t i = 0; i < rs.n; i++) {
        rec *x = &rs.r[i];
        if ((x->v.role && x->v.role != role) || (x->v.protocol && x->v.protocol != proto))
            continue;
        x->v.role = (uint8_t)role;
        x->v.protocol = (uint8_t)proto;
        if (!x->case_id) {
            anon[n_anon++] = x;
            continue;
        }
        size_t s = 0;
        while (s < n_spans && !(ids[s] && strcmp(ids[s], x->case_id) == 0))
            s++;
        if (s == n_spans) {
            ids[n_spans] = xstrdup(x->case_id);
            spans[n_spans].r = xcalloc(rs.n, sizeof(rec *));
            n_spans++;
        }
        spans[s].r[spans[s].n++] = x;
    }
    size_t first_anon = n_spans;
    for (size_t i = 0; i < n_anon; i++) {
        rec *x = anon[i];
        bool split = i == 0;
        if (!split && gap >= 0) {
            const rec *p = anon[i - 1];
            double dt = (double)(x->ts_sec - p->ts_sec) + ((double)x->ts_usec - p->ts_usec) / 1e6;
            split = dt > gap;
        }
        if (split) {
            spans = xrealloc(spans, (n_spans + 1) * sizeof *spans);
            ids = xrealloc(ids, (n_spans + 1) * sizeof *ids);
            size_t no = n_spans - first_anon + 1;
            ids[n_spans] = prefix ? xprintf("%s-%zu", prefix, no)
                                  : xprintf("%s-capture-%zu", role_prefix(role), no);
            spans[n_spans].r = xcalloc(n_anon, sizeof(rec *));
            spans[n_spans].n = 0;
            n_spans++;
        }
        spans[n_spans - 1].r[spans[n_spans - 1].n++] = x;
    }
    free(anon);
    if (n_spans == 0) {
        fprintf(stderr, "vconform pcap to-vectors: %s: no %s record to turn into a case\n", capture,
                vcf_iut_role_name(role));
        rc = VCF_CLI_EXIT_MALFORMED;
        goto done;
    }
    for (size_t s = first_anon; s < n_spans; s++)
        if (strncmp(ids[s], role_prefix(role), strlen(role_prefix(role))) != 0 ||
            ids[s][strlen(role_prefix(role))] != '-' || !id_ok(ids[s])) {
            fprintf(stderr,
                    "vconform pcap to-vectors: case ID '%s': expected the role's prefix '%s-' "
                    "and lower-case words joined by '-', '.' or '_' (check --id-prefix)\n",
                    ids[s], role_prefix(role));
            rc = VCF_CLI_EXIT_USAGE;
            goto done;
        }

    for (size_t s = 0; s < n_spans; s++) {
        const vcf_group *og = NULL;
        const vcf_vfile *of = NULL;
        const vcf_case *orig = s < first_anon ? find_case(&vf, role, ids[s], &og, &of) : NULL;
        if (orig)
            build_from_original(&b, &spans[s], orig, og, of);
        else
            build_from_records(&b, &spans[s], ids[s], s < first_anon);
    }
    if (vcf_vfile_count(&b.out) == 0) {
        fprintf(stderr, "vconform pcap to-vectors: %s: no case could be made\n", capture);
        rc = VCF_CLI_EXIT_MALFORMED;
        goto done;
    }
    b.out.role = role;
    b.out.spec =
        xprintf("captured messages (%s); rules as the vconform model's checks name them", capture);
    b.out.generator = xstrdup("vconform pcap to-vectors " VCF_VERSION);
    {
        char err[1024];
        if (strcmp(out, "-") == 0) {
            char *text = vcf_vfile_dump(&b.out);
            if (!text) {
                fputs("vconform pcap to-vectors: cannot write the vector file\n", stderr);
                rc = VCF_CLI_EXIT_MALFORMED;
            } else {
                fputs(text, stdout);
                free(text);
            }
        } else if (vcf_vfile_save(&b.out, out, err, sizeof err) != 0) {
            fprintf(stderr, "vconform pcap to-vectors: %s\n", err);
            rc = VCF_CLI_EXIT_MALFORMED;
        }
    }
    if (rc == VCF_CLI_EXIT_OK)
        fprintf(stderr,
                "vconform pcap to-vectors: %s: %zu records, %zu cases in %zu groups, %zu "
                "warnings\n",
                capture, rs.n, vcf_vfile_count(&b.out), b.out.n_groups, b.warnings);
done:
    for (size_t s = 0; s < n_spans; s++) {
        free(spans[s].r);
        free(ids[s]);
    }
    free(spans);
    free(ids);
    vcf_vfile_free(&b.out);
    for (size_t i = 0; i < vf.n; i++)
        vcf_vfile_free(&vf.f[i]);
    free(vf.f);
    recs_free(&rs);
    free(vpaths);
    return rc;
}
