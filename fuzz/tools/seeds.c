/* SPDX-License-Identifier: MIT */
/*
 * vconform fuzzing: seed corpora from the golden vectors.
 *
 *   vcf-fuzz-seeds --vectors DIR --out DIR
 *
 * Loads every vector file in DIR (as `vconform run` does) and writes, for every fuzz target
 * that takes seeds, the inputs the golden cases contain, in that target's format, under
 * OUT/<target>/. Each directory is emptied first, so a seed never outlives the case it came
 * from; names are derived from case IDs (stable across runs), and identical contents are
 * written once per target. docs/fuzzing-scripts.md describes what each target gets.
 *
 *   rpmsg_driver .. vmsg_bus  one script per case of that role (script.h)
 *   diff                      one script per case of every role
 *   rpmsg_frame               [param] + every RPMsg message injected or expected (fuzz.h)
 *   rpmsg_ns                  [param] + the name-service payload of those sent to address 53
 *   vmsg_msg                  [param] + every virtio-msg message injected or expected
 *   vectors                   every case as a one-case vector file
 *   adapter_frame             request and reply frames of the stdio adapter protocol
 *   capture                   [link type] + one capture record per message (UPPER_PDU; also
 *                             USER0 for each case's first step; fuzz/targets/capture.c)
 *
 * Exit status 0, 2 when the vectors cannot be loaded or a file cannot be written, 64 for a
 * bad command line.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "capture.h"
#include "frame.h"
#include "fuzz.h"
#include "script.h"
#include "suite.h"
#include "summary.h"
#include "vconform/rpmsg.h"
#include "vconform/vmsg.h"
#include "vector.h"

/* ---- the targets ----------------------------------------------------------------------------- */

enum target {
    T_RPMSG_DRIVER,
    T_RPMSG_DEVICE,
    T_VMSG_DEVICE,
    T_VMSG_DRIVER,
    T_VMSG_BUS,
    T_DIFF,
    T_RPMSG_FRAME,
    T_RPMSG_NS,
    T_VMSG_MSG,
    T_VECTORS,
    T_ADAPTER_FRAME,
    T_CAPTURE,
    T_COUNT
};

static const char *const target_names[T_COUNT] = {
    [T_RPMSG_DRIVER] = "rpmsg_driver",   [T_RPMSG_DEVICE] = "rpmsg_device",
    [T_VMSG_DEVICE] = "vmsg_device",     [T_VMSG_DRIVER] = "vmsg_driver",
    [T_VMSG_BUS] = "vmsg_bus",           [T_DIFF] = "diff",
    [T_RPMSG_FRAME] = "rpmsg_frame",     [T_RPMSG_NS] = "rpmsg_ns",
    [T_VMSG_MSG] = "vmsg_msg",           [T_VECTORS] = "vectors",
    [T_ADAPTER_FRAME] = "adapter_frame", [T_CAPTURE] = "capture"};

/* The state-machine target of a role. */
static enum target state_target(uint32_t role)
{
    switch (role) {
    case VCF_IUT_RPMSG_DRIVER: return T_RPMSG_DRIVER;
    case VCF_IUT_RPMSG_DEVICE: return T_RPMSG_DEVICE;
    case VCF_IUT_VMSG_DEVICE: return T_VMSG_DEVICE;
    case VCF_IUT_VMSG_DRIVER: return T_VMSG_DRIVER;
    default: return T_VMSG_BUS;
    }
}

/* ---- writing seeds, once per content ------------------------------------------------------- */

typedef struct seen_set {
    uint64_t *hash;
    size_t cap, n; /* open addressing, cap a power of two */
} seen_set;

typedef struct out_dir {
    char path[4096];
    size_t written, dupes;
    seen_set seen;
} out_dir;

typedef struct gen {
    out_dir dirs[T_COUNT];
    const vcf_vfile *file;
    const vcf_group *group;
    const vcf_case *vcase;
    size_t case_index;
    size_t notes;
    bool failed;
    uint8_t *buf; /* scratch for scripts and frames */
    size_t buf_cap;
    bool streaming; /* frames are also appended to stream (a case's whole conversation) */
    uint8_t *stream;
    size_t stream_len, stream_cap;
} gen;

static void note(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(gen *g, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "vcf-fuzz-seeds: note: %s: case %s: ", g->file->path ? g->file->path : "?",
            g->vcase->id);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    g->notes++;
}

/* 64-bit FNV-1a of the content, with the length mixed in. */
static uint64_t content_hash(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)n;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h ? h : 1;
}

/* true when the hash was new (and is now recorded). */
static bool seen_add(seen_set *s, uint64_t h)
{
    if (2 * (s->n + 1) > s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        uint64_t *t = calloc(cap, sizeof *t);
        if (!t)
            return true; /* no dedupe without memory; writing twice is harmless */
        for (size_t i = 0; i < s->cap; i++)
            if (s->hash[i]) {
                size_t k = (size_t)s->hash[i] & (cap - 1);
                while (t[k])
                    k = (k + 1) & (cap - 1);
                t[k] = s->hash[i];
            }
        free(s->hash);
        s->hash = t;
        s->cap = cap;
    }
    size_t k = (size_t)h & (s->cap - 1);
    while (s->hash[k]) {
        if (s->hash[k] == h)
            return false;
        k = (k + 1) & (s->cap - 1);
    }
    s->hash[k] = h;
    s->n++;
    return true;
}

static void emit(gen *g, enum target t, const char *name, const void *data, size_t len)
{
    out_dir *d = &g->dirs[t];
    if (!seen_add(&d->seen, content_hash(data, len))) {
        d->dupes++;
        return;
    }
    char path[4352];
    snprintf(path, sizeof path, "%s/%s", d->path, name);
    FILE *f = fopen(path, "wb");
    if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
        fprintf(stderr, "vcf-fuzz-seeds: %s: cannot write: %s\n", path, strerror(errno));
        g->failed = true;
        return;
    }
    d->written++;
}

/* Create dir (and OUT) and remove every regular file in it. */
static int prepare_dir(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "vcf-fuzz-seeds: %s: cannot create: %s\n", path, strerror(errno));
        return -1;
    }
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "vcf-fuzz-seeds: %s: cannot open: %s\n", path, strerror(errno));
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[4352];
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && unlink(p) != 0) {
            fprintf(stderr, "vcf-fuzz-seeds: %s: cannot remove: %s\n", p, strerror(errno));
            rc = -1;
        }
    }
    closedir(d);
    return rc;
}

static bool scratch(gen *g, size_t n)
{
    if (g->buf_cap >= n)
        return true;
    uint8_t *b = realloc(g->buf, n);
    if (!b)
        return false;
    g->buf = b;
    g->buf_cap = n;
    return true;
}

/* ---- parameters of a group ----------------------------------------------------------------- */

static bool is_rpmsg(uint32_t role)
{
    return role == VCF_IUT_RPMSG_DRIVER || role == VCF_IUT_RPMSG_DEVICE;
}

/* The rpmsg-frame / rpmsg-ns parameter byte of the group. */
static uint8_t rpmsg_param(const gen *g)
{
    const vcf_group *gr = g->group;
    uint64_t features = 0x100000001ull;
    if (vcf_param_u64(gr->params, gr->n_params, "features", 0x100000001ull, &features) != 0)
        features = 0x100000001ull;
    uint8_t p = 0;
    if (vcf_summary_order(g->file->role, gr->params, gr->n_params))
        p |= VCF_FUZZ_RPMSG_BE;
    if (!((features >> VCF_RPMSG_F_NS) & 1u))
        p |= VCF_FUZZ_RPMSG_NO_NS;
    return p;
}

/* The vmsg parameter byte: revision and the bus maximum, rounded up to the next size the byte
 * can express (40 + 8k, k 1..63; 0 for none). */
static uint8_t vmsg_param(const gen *g)
{
    const vcf_group *gr = g->group;
    uint8_t p = 0;
    const char *rev = vcf_param_get(gr->params, gr->n_params, "rev");
    if (rev && strcmp(rev, "rfc3") == 0)
        p |= VCF_FUZZ_VMSG_RFC3;
    uint64_t max = VCF_VMSG_RECOMMENDED_MAX_MSG_SIZE;
    if (vcf_param_u64(gr->params, gr->n_params, "max_msg_size", max, &max) != 0)
        max = VCF_VMSG_RECOMMENDED_MAX_MSG_SIZE;
    uint64_t k = 0;
    if (max > 0) {
        k = max <= 48 ? 1 : (max - 40 + 7) / 8;
        if (k > 63)
            k = 63;
    }
    return (uint8_t)(p | (uint8_t)(k << 2));
}

/* ---- codec seeds: one message ---------------------------------------------------------------- */

static void emit_param_msg(gen *g, enum target t, const char *name, uint8_t param,
                           const uint8_t *data, size_t len)
{
    if (!scratch(g, len + 1)) {
        g->failed = true;
        return;
    }
    g->buf[0] = param;
    if (len)
        memcpy(g->buf + 1, data, len);
    emit(g, t, name, g->buf, len + 1);
}

static void codec_seeds(gen *g, const char *name, const uint8_t *data, size_t len)
{
    if (!is_rpmsg(g->file->role)) {
        emit_param_msg(g, T_VMSG_MSG, name, vmsg_param(g), data, len);
        return;
    }
    uint8_t param = rpmsg_param(g);
    emit_param_msg(g, T_RPMSG_FRAME, name, param, data, len);
    if (len < VCF_RPMSG_HDR_SIZE)
        return;
    bool be = param & VCF_FUZZ_RPMSG_BE;
    uint32_t dst =
        be ? (uint32_t)data[4] << 24 | (uint32_t)data[5] << 16 | (uint32_t)data[6] << 8 | data[7]
           : (uint32_t)data[7] << 24 | (uint32_t)data[6] << 16 | (uint32_t)data[5] << 8 | data[4];
    size_t hlen = be ? (size_t)data[12] << 8 | data[13] : (size_t)data[13] << 8 | data[12];
    if (dst != VCF_RPMSG_NS_ADDR)
        return;
    size_t avail = len - VCF_RPMSG_HDR_SIZE;
    emit_param_msg(g, T_RPMSG_NS, name, param, data + VCF_RPMSG_HDR_SIZE,
                   hlen < avail ? hlen : avail);
}

/* ---- capture records ----------------------------------------------------------------------- */

/* The message as a record with the link fields `vconform run --pcap` writes for the case's group,
 * prefixed with the capture target's link-type byte (fuzz/targets/capture.c): WIRESHARK_UPPER_PDU
 * always, USER0 too for the messages of a case's first step (the records only lose the tags, so a
 * few hundred of them cover that reading). */
static void capture_seed(gen *g, const char *name, uint32_t dir, uint32_t channel, uint64_t used,
                         uint64_t capacity, size_t step, const uint8_t *data, size_t len)
{
    static const struct {
        uint8_t select;
        uint32_t linktype;
        const char *suffix;
    } links[] = {{0x00, VCF_CAPTURE_LINKTYPE_UPPER_PDU, ""},
                 {0x01, VCF_CAPTURE_LINKTYPE_USER0, "-user0"}};
    vcf_capture_meta m;
    vcf_capture_meta_init(&m);
    vcf_run_capture_link(g->file->role, g->group, &m);
    m.direction = dir;
    m.channel = channel;
    m.flags = dir == VCF_CAPTURE_DIR_FROM_IUT ? VCF_CAPTURE_F_SYNTHESIZED : 0;
    m.capacity = capacity;
    m.used_len = used;
    m.case_index = (uint32_t)g->case_index;
    m.step_index = (uint32_t)step;
    m.case_id = g->vcase->id;
    const size_t n_links = step == 0 ? sizeof links / sizeof links[0] : 1;
    for (size_t i = 0; i < n_links; i++) {
        size_t need =
            vcf_capture_encode(links[i].linktype, &m, data, len, VCF_CAPTURE_SNAPLEN, NULL, 0);
        if (need == 0 || !scratch(g, need + 1)) {
            g->failed = true;
            return;
        }
        g->buf[0] = links[i].select;
        size_t n = vcf_capture_encode(links[i].linktype, &m, data, len, VCF_CAPTURE_SNAPLEN,
                                      g->buf + 1, g->buf_cap - 1);
        if (n != need) {
            note(g, "step %zu: no capture record (%zu bytes)", step + 1, need);
            return;
        }
        char full[600];
        snprintf(full, sizeof full, "%s%s", name, links[i].suffix);
        emit(g, T_CAPTURE, full, g->buf, n + 1);
    }
}

/* ---- adapter frames ------------------------------------------------------------------------ */

/* Append n bytes to the conversation being built. */
static void stream_add(gen *g, const uint8_t *p, size_t n)
{
    if (g->stream_cap - g->stream_len < n) {
        size_t cap = g->stream_cap ? g->stream_cap : 4096;
        while (cap - g->stream_len < n)
            cap *= 2;
        uint8_t *b = realloc(g->stream, cap);
        if (!b) {
            g->failed = true;
            return;
        }
        g->stream = b;
        g->stream_cap = cap;
    }
    memcpy(g->stream + g->stream_len, p, n);
    g->stream_len += n;
}

/* One frame: a seed of its own when name is set, and part of the conversation while one is
 * being built. */
static void frame_seed(gen *g, const char *name, const vcf_frame *f)
{
    char err[256];
    if (!scratch(g, VCF_FRAME_MAX)) {
        g->failed = true;
        return;
    }
    size_t n = vcf_frame_encode(f, g->buf, g->buf_cap, err, sizeof err);
    if (n == 0) {
        note(g, "frame %s not encoded: %s", vcf_frame_op_name(f->op), err);
        return;
    }
    if (g->streaming)
        stream_add(g, g->buf, n);
    if (name)
        emit(g, T_ADAPTER_FRAME, name, g->buf, n);
}

/* The frames every run has: HELLO both ways, POLL (nothing more), IDLE. */
static void fixed_frames(gen *g)
{
    vcf_frame f;
    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_HELLO;
    f.seq = 1;
    f.hello.magic = VCF_FRAME_MAGIC;
    f.hello.proto = VCF_FRAME_VERSION;
    frame_seed(g, "hello", &f);
    f.op = VCF_FOP_HELLO | VCF_FRAME_REPLY;
    f.hello.roles = 0x3Eu;
    f.hello.caps = VCF_ADAPTER_CAP_EVENTS;
    f.hello.name = "model";
    f.hello.version = "0.1.0";
    frame_seed(g, "hello-reply", &f);
    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_POLL;
    f.seq = 2;
    frame_seed(g, "poll", &f);
    f.op = VCF_FOP_POLL | VCF_FRAME_REPLY;
    frame_seed(g, "poll-reply-none", &f);
    f.op = VCF_FOP_IDLE;
    frame_seed(g, "idle", &f);
    f.op = VCF_FOP_IDLE | VCF_FRAME_REPLY;
    f.idle = 1;
    frame_seed(g, "idle-reply", &f);
    f.op = VCF_FOP_CLOSE;
    frame_seed(g, "close", &f);
    f.op = VCF_FOP_INJECT | VCF_FRAME_REPLY;
    f.rc = VCF_ADAPTER_UNSUPPORTED;
    f.reason = "channel not supported";
    frame_seed(g, "inject-reply-unsupported", &f);
    f.rc = VCF_ADAPTER_ERROR;
    f.reason = "the implementation failed";
    frame_seed(g, "inject-reply-error", &f);
}

/* ---- one case ------------------------------------------------------------------------------ */

static size_t alt_msgs(const vcf_step *s)
{
    size_t n = 0;
    if (s->expect.n_alts == 0)
        return 0;
    const vcf_alternative *a = &s->expect.alts[0];
    for (size_t k = 0; k < a->n_obs; k++)
        n += a->obs[k].kind == VCF_OBS_MSG;
    return n;
}

static uint32_t clamp(gen *g, uint64_t v, uint64_t max, const char *what, size_t step)
{
    if (v <= max)
        return (uint32_t)v;
    note(g, "step %zu: %s %llu does not fit the script's field, clamped to %llu", step + 1, what,
         (unsigned long long)v, (unsigned long long)max);
    return (uint32_t)max;
}

/* The case as a script, into g->buf; its length, or 0 when it cannot be written. */
static size_t build_script(gen *g)
{
    const vcf_case *c = g->vcase;
    size_t cap = 4096;
    for (;;) {
        if (!scratch(g, cap)) {
            g->failed = true;
            return 0;
        }
        size_t notes_before = g->notes;
        vcf_script_writer w;
        vcf_script_writer_init(&w, g->buf, cap);
        vcf_script_begin(&w, g->file->role, g->group->params, g->group->n_params);
        size_t before = 0; /* messages expected after the earlier steps */
        size_t *first_msg = calloc(c->n_steps + 1, sizeof *first_msg);
        if (!first_msg) {
            g->failed = true;
            return 0;
        }
        for (size_t si = 0; si < c->n_steps; si++) {
            const vcf_step *s = &c->steps[si];
            first_msg[si] = before;
            if (s->kind == VCF_STEP_INJECT) {
                for (size_t k = 0; k < s->n_copies; k++) {
                    const vcf_copy *cp = &s->copies[k];
                    if (cp->step >= si) {
                        note(g, "step %zu: copy from step %zu, not an earlier one: left out",
                             si + 1, cp->step + 1);
                        continue;
                    }
                    size_t msg = first_msg[cp->step] + cp->msg;
                    if (msg > 0xFFFF || cp->from > 0xFFFF || cp->to > 0xFFFF || cp->len > 0xFF) {
                        note(g,
                             "step %zu: copy of %zu bytes at %zu -> %zu from message %zu does "
                             "not fit a PATCH record: left out",
                             si + 1, cp->len, cp->from, cp->to, msg);
                        continue;
                    }
                    vcf_script_patch(&w, (uint32_t)msg, (uint32_t)cp->from, (uint32_t)cp->to,
                                     (uint32_t)cp->len);
                }
                uint32_t used = clamp(g, s->used_len, 0xFFFF, "used_len", si);
                uint32_t capacity = clamp(g, s->capacity, 0xFFFF, "capacity", si);
                if (s->bytes.len > 0xFFFF || s->channel > 0xFF) {
                    note(g,
                         "step %zu: a %zu-byte message on channel %u does not fit an INJECT "
                         "record: the script ends before it",
                         si + 1, s->bytes.len, (unsigned)s->channel);
                    break;
                }
                vcf_script_inject(&w, s->channel, s->bytes.data, s->bytes.len, used, capacity);
            } else {
                uint32_t args[VCF_ADAPTER_ARG_MAX];
                for (unsigned k = 0; k < VCF_ADAPTER_ARG_MAX; k++)
                    args[k] = clamp(g, s->args[k], UINT32_MAX, "argument", si);
                if (s->data.len > 0xFFFF || s->action > 0xFFFF) {
                    note(g,
                         "step %zu: action data of %zu bytes does not fit an ACTION record: "
                         "the script ends before it",
                         si + 1, s->data.len);
                    break;
                }
                vcf_script_action(&w, s->action, args, s->data.data, s->data.len);
            }
            before += alt_msgs(s);
        }
        free(first_msg);
        if (!w.overflow)
            return w.len;
        g->notes = notes_before; /* the notes come again on the next attempt */
        if (cap >= ((size_t)1 << 24)) {
            note(g, "the script does not fit in %zu bytes (parameter text above 65535 bytes?)",
                 cap);
            return 0;
        }
        cap *= 2;
    }
}

/* Frames of a case: each request and reply on its own, and the whole conversation (requests
 * with the model's replies: reset, each stimulus, its observations, no more, idle) as one
 * stream named after the case. */
static void case_frames(gen *g, const char *id)
{
    const vcf_case *c = g->vcase;
    char name[512];
    vcf_frame f, r;
    uint16_t seq = 3; /* HELLO took 1 and 2 */
    g->streaming = true;
    g->stream_len = 0;
    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_RESET;
    f.seq = 3;
    f.role = g->file->role;
    f.params = g->group->params;
    f.n_params = g->group->n_params;
    snprintf(name, sizeof name, "%s-reset", id);
    frame_seed(g, name, &f);
    memset(&r, 0, sizeof r);
    r.op = VCF_FOP_RESET | VCF_FRAME_REPLY;
    r.seq = 3;
    frame_seed(g, NULL, &r);
    g->streaming = false;
    r.rc = VCF_ADAPTER_UNSUPPORTED;
    r.reason = c->description ? c->description : "";
    snprintf(name, sizeof name, "%s-reset-reply", id);
    frame_seed(g, name, &r);
    g->streaming = true;
    for (size_t si = 0; si < c->n_steps; si++) {
        const vcf_step *s = &c->steps[si];
        memset(&f, 0, sizeof f);
        f.seq = ++seq;
        if (s->kind == VCF_STEP_INJECT) {
            f.op = VCF_FOP_INJECT;
            f.msg.channel = s->channel;
            f.msg.data = s->bytes.data;
            f.msg.len = s->bytes.len;
            f.msg.used_len = (size_t)(s->used_len > UINT32_MAX ? UINT32_MAX : s->used_len);
            f.msg.capacity = (size_t)(s->capacity > UINT32_MAX ? UINT32_MAX : s->capacity);
        } else {
            f.op = VCF_FOP_ACTION;
            f.action.kind = s->action;
            memcpy(f.action.args, s->args, sizeof f.action.args);
            f.action.data = s->data.data;
            f.action.len = s->data.len;
        }
        snprintf(name, sizeof name, "%s-s%zu", id, si + 1);
        frame_seed(g, name, &f);
        memset(&r, 0, sizeof r);
        r.seq = f.seq;
        if (s->kind == VCF_STEP_ACTION) {
            r.op = VCF_FOP_ACTION | VCF_FRAME_REPLY;
            r.result.status = s->expect.result == VCF_EXPECT_REFUSED ? -1 : 0;
            r.result.value = s->expect.has_value ? s->expect.value : 0;
            snprintf(name, sizeof name, "%s-s%zu-reply", id, si + 1);
            frame_seed(g, name, &r);
        } else {
            r.op = VCF_FOP_INJECT | VCF_FRAME_REPLY;
            frame_seed(g, NULL, &r);
        }
        const vcf_alternative *a = s->expect.n_alts ? &s->expect.alts[0] : NULL;
        for (size_t k = 0; a && k < a->n_obs; k++) {
            const vcf_obs_match *m = &a->obs[k];
            memset(&f, 0, sizeof f);
            f.op = VCF_FOP_POLL;
            f.seq = ++seq;
            frame_seed(g, NULL, &f);
            memset(&r, 0, sizeof r);
            r.op = VCF_FOP_POLL | VCF_FRAME_REPLY;
            r.seq = f.seq;
            r.obs.kind = m->kind;
            if (m->kind == VCF_OBS_MSG) {
                r.obs.msg.channel = m->msg.channel;
                r.obs.msg.data = m->msg.bytes.data;
                r.obs.msg.len = m->msg.bytes.len;
                r.obs.msg.used_len = m->msg.has_used_len && m->msg.used_len <= UINT32_MAX
                                         ? (size_t)m->msg.used_len
                                         : 0;
            } else {
                r.obs.event.type = m->event.type;
                memcpy(r.obs.event.args, m->event.args, sizeof r.obs.event.args);
                r.obs.event.data = m->event.has_data ? m->event.data.data : NULL;
                r.obs.event.len = m->event.has_data ? m->event.data.len : 0;
            }
            snprintf(name, sizeof name, "%s-s%zu-poll%zu", id, si + 1, k);
            frame_seed(g, name, &r);
        }
        /* nothing more, and idle */
        memset(&f, 0, sizeof f);
        f.op = VCF_FOP_POLL;
        f.seq = ++seq;
        frame_seed(g, NULL, &f);
        f.op = VCF_FOP_POLL | VCF_FRAME_REPLY;
        frame_seed(g, NULL, &f);
        f.op = VCF_FOP_IDLE;
        f.seq = ++seq;
        frame_seed(g, NULL, &f);
        f.op = VCF_FOP_IDLE | VCF_FRAME_REPLY;
        f.idle = 1;
        frame_seed(g, NULL, &f);
    }
    g->streaming = false;
    if (!g->failed)
        emit(g, T_ADAPTER_FRAME, id, g->stream, g->stream_len);
}

static void case_messages(gen *g, const char *id)
{
    const vcf_case *c = g->vcase;
    char name[512];
    for (size_t si = 0; si < c->n_steps; si++) {
        const vcf_step *s = &c->steps[si];
        if (s->kind == VCF_STEP_INJECT) {
            snprintf(name, sizeof name, "%s-s%zu", id, si + 1);
            codec_seeds(g, name, s->bytes.data, s->bytes.len);
            capture_seed(g, name, VCF_CAPTURE_DIR_TO_IUT, s->channel, s->used_len, s->capacity, si,
                         s->bytes.data, s->bytes.len);
        }
        for (size_t a = 0; a < s->expect.n_alts; a++) {
            const vcf_alternative *alt = &s->expect.alts[a];
            size_t msg = 0;
            for (size_t k = 0; k < alt->n_obs; k++) {
                const vcf_obs_match *m = &alt->obs[k];
                if (m->kind != VCF_OBS_MSG)
                    continue;
                snprintf(name, sizeof name, "%s-s%zu-a%zu-m%zu", id, si + 1, a, msg++);
                codec_seeds(g, name, m->msg.bytes.data, m->msg.bytes.len);
                capture_seed(g, name, VCF_CAPTURE_DIR_FROM_IUT, m->msg.channel,
                             m->msg.has_used_len ? m->msg.used_len : 0, 0, si, m->msg.bytes.data,
                             m->msg.bytes.len);
            }
        }
    }
}

static void case_vector(gen *g, const char *id)
{
    const vcf_vfile *f = g->file;
    const vcf_case *c = g->vcase;
    vcf_note *notes = NULL;
    size_t n_notes = 0;
    if (c->n_flags && !(notes = calloc(c->n_flags, sizeof *notes))) {
        g->failed = true;
        return;
    }
    for (size_t i = 0; i < c->n_flags; i++)
        for (size_t k = 0; k < f->n_notes; k++)
            if (f->notes[k].flag && strcmp(f->notes[k].flag, c->flags[i]) == 0) {
                notes[n_notes++] = f->notes[k];
                break;
            }
    vcf_case one_case = *c;
    vcf_group one_group = *g->group;
    one_group.cases = &one_case;
    one_group.n_cases = 1;
    vcf_vfile one;
    memset(&one, 0, sizeof one);
    one.role = f->role;
    one.spec = f->spec;
    one.generator = f->generator;
    one.notes = notes;
    one.n_notes = n_notes;
    one.groups = &one_group;
    one.n_groups = 1;
    char *text = vcf_vfile_dump(&one);
    free(notes);
    if (!text) {
        note(g, "not written as a one-case vector file");
        return;
    }
    emit(g, T_VECTORS, id, text, strlen(text));
    free(text);
}

static int one_case(void *ctx, const vcf_vfile *f, const vcf_group *gr, const vcf_case *c)
{
    gen *g = ctx;
    g->file = f;
    g->group = gr;
    g->vcase = c;
    size_t n = build_script(g);
    if (n) {
        emit(g, state_target(f->role), c->id, g->buf, n);
        emit(g, T_DIFF, c->id, g->buf, n);
    }
    case_messages(g, c->id);
    case_frames(g, c->id);
    case_vector(g, c->id);
    g->case_index++;
    return g->failed ? -1 : 0;
}

/* ---- main ---------------------------------------------------------------------------------- */

static int usage(const char *what)
{
    fprintf(stderr, "vcf-fuzz-seeds: %s\nusage: vcf-fuzz-seeds --vectors DIR --out DIR\n", what);
    return 64;
}

int main(int argc, char **argv)
{
    const char *vectors = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: vcf-fuzz-seeds --vectors DIR --out DIR\n"
                   "Writes the seed corpus of every fuzz target (OUT/<target>/) from the golden "
                   "vectors in DIR.\n");
            return 0;
        }
        if ((strcmp(argv[i], "--vectors") == 0 || strcmp(argv[i], "--out") == 0) && i + 1 < argc) {
            if (argv[i][2] == 'v')
                vectors = argv[++i];
            else
                out = argv[++i];
            continue;
        }
        {
            fprintf(stderr, "vcf-fuzz-seeds: unexpected argument \"%s\"\n", argv[i]);
            return usage("see --help");
        }
    }
    if (!vectors || !out)
        return usage("--vectors and --out are both required");

    vcf_suite suite;
    char err[1024];
    const char *paths[1] = {vectors};
    if (vcf_suite_load(&suite, paths, 1, err, sizeof err) != 0) {
        fprintf(stderr, "vcf-fuzz-seeds: %s\n", err);
        return 2;
    }
    gen g;
    memset(&g, 0, sizeof g);
    int rc = 0;
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "vcf-fuzz-seeds: %s: cannot create: %s\n", out, strerror(errno));
        rc = 2;
    }
    for (int t = 0; rc == 0 && t < T_COUNT; t++) {
        snprintf(g.dirs[t].path, sizeof g.dirs[t].path, "%s/%s", out, target_names[t]);
        if (prepare_dir(g.dirs[t].path) != 0)
            rc = 2;
    }
    if (rc == 0) {
        vcf_vfile none;
        vcf_case nocase;
        memset(&none, 0, sizeof none);
        memset(&nocase, 0, sizeof nocase);
        nocase.id = "(frames)";
        g.file = &none;
        g.vcase = &nocase;
        fixed_frames(&g);
        if (vcf_suite_each(&suite, NULL, one_case, &g) != 0 || g.failed)
            rc = 2;
    }
    if (rc == 0) {
        printf("vcf-fuzz-seeds: %zu cases from %s\n", g.case_index, vectors);
        for (int t = 0; t < T_COUNT; t++)
            printf("  %-14s %6zu seeds (%zu duplicates left out)\n", target_names[t],
                   g.dirs[t].written, g.dirs[t].dupes);
        if (g.notes)
            printf("  %zu notes on stderr (values clamped or left out)\n", g.notes);
    }
    for (int t = 0; t < T_COUNT; t++)
        free(g.dirs[t].seen.hash);
    free(g.buf);
    free(g.stream);
    vcf_suite_free(&suite);
    return rc;
}
