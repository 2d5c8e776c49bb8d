/* SPDX-License-Identifier: MIT */
/*
 * exec: and so: adapters against vconform-peer and misbehaving children: the protocol works
 * end to end with the example adapter, and a child that crashes, hangs, exits, or writes
 * garbage fails the operation with a clear last_error, can be restarted, and is never left
 * behind as a zombie.
 *
 * usage: test_adapter_exec PEER EXAMPLE_SO BAD_SO [EMULATOR...]
 * In a cross build the target's vconform-peer runs through the emulator (qemu-user), which
 * the test puts in front of every peer command line and in VCONFORM_PEER_WRAPPER.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "adapters.h"
#include "frame.h"

static const char *peer;
static const char *example_so;
static const char *bad_so;
static char wrapper[2048]; /* "" or "'qemu-s390x' '-L' ... " */
static char err[2048];

#define CONTAINS(hay, needle)                                                                      \
    do {                                                                                           \
        const char *h_ = (hay);                                                                    \
        if (!h_ || !strstr(h_, (needle)))                                                          \
            fail_msg("'%s' does not contain '%s'", h_ ? h_ : "(null)", (needle));                  \
    } while (0)

/* Every child of this process has been reaped. */
static void assert_no_children(void)
{
    errno = 0;
    pid_t p = waitpid(-1, NULL, WNOHANG);
    if (p != -1 || errno != ECHILD)
        fail_msg("a child process is left over (waitpid returned %d, errno %d)", (int)p, errno);
}

static void open_so(const char *so, const char *opts, vcf_hadapter *h)
{
    char spec[1024];
    snprintf(spec, sizeof spec, "%s%s%s", so, opts ? "," : "", opts ? opts : "");
    if (vcf_so_adapter_open(spec, peer, h, err, sizeof err) != 0)
        fail_msg("so:%s: %s", spec, err);
}

static int reset(vcf_hadapter *h, uint32_t role, char *why, size_t why_len)
{
    static const vcf_adapter_param params[] = {{"features", "0x100000001"}, {"buf_size", "512"}};
    return h->ad.reset(h->ad.ud, role, params, 2, why, why_len);
}

static int inject(vcf_hadapter *h, uint32_t channel, const void *data, size_t len)
{
    vcf_adapter_msg m = {.channel = channel, .data = data, .len = len};
    return h->ad.inject(h->ad.ud, &m);
}

static int inject_str(vcf_hadapter *h, const char *s)
{
    return inject(h, 0, s, strlen(s));
}

static int action(vcf_hadapter *h, uint32_t kind, uint64_t a0, uint64_t a1, const char *data,
                  vcf_adapter_result *res)
{
    vcf_adapter_action act = {.kind = kind, .args = {a0, a1, 0, 0}};
    act.data = (const uint8_t *)data;
    act.len = data ? strlen(data) : 0;
    return h->ad.action(h->ad.ud, &act, res);
}

/* ---- the example adapter through vconform-peer ---------------------------------------------- */

/* NS create "rpmsg-client-sample" at 0x400 from 0x400, little-endian (the RPMsg golden
 * vector of the reference notes). */
static const uint8_t ns_create[56] = {
    0x00, 0x04, 0x00, 0x00, 0x35, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00,
    0x00, 0x00, 'r',  'p',  'm',  's',  'g',  '-',  'c',  'l',  'i',  'e',  'n',  't',
    '-',  's',  'a',  'm',  'p',  'l',  'e',  0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

static const uint8_t hello_msg[21] = {0x00, 0x04, 0x00, 0x00, 0x01, 0x04, 0x00,
                                      0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00,
                                      0x00, 0x00, 'h',  'e',  'l',  'l',  'o'};

static void test_example_so(void **state)
{
    (void)state;
    vcf_hadapter h;
    open_so(example_so, NULL, &h);
    assert_string_equal(h.ad.name, "example-rpmsg-driver");
    assert_int_equal(h.ad.roles, VCF_IUT_ROLE_BIT(VCF_IUT_RPMSG_DRIVER));
    assert_int_equal(h.ad.caps, VCF_ADAPTER_CAP_EVENTS);
    assert_non_null(h.last_error);
    assert_non_null(h.restart);

    char why[512];
    assert_int_equal(reset(&h, VCF_IUT_RPMSG_DEVICE, why, sizeof why), VCF_ADAPTER_UNSUPPORTED);
    CONTAINS(why, "driver side only");
    assert_int_equal(reset(&h, VCF_IUT_RPMSG_DRIVER, why, sizeof why), VCF_ADAPTER_OK);

    vcf_adapter_obs obs;
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), 0);
    assert_int_equal(inject(&h, 0, ns_create, sizeof ns_create), VCF_ADAPTER_OK);
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), 1);
    assert_int_equal(obs.kind, VCF_OBS_EVENT);
    assert_int_equal(obs.event.type, VCF_EVT_RPMSG_BASE + 1); /* channel-created */
    assert_true(obs.event.args[1] == 0x400);
    assert_int_equal(obs.event.len, 19);
    assert_memory_equal(obs.event.data, "rpmsg-client-sample", 19);
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), 0);

    vcf_adapter_result res;
    assert_int_equal(action(&h, VCF_ACT_RPMSG_CREATE, 0x401, 0xffffffffu, NULL, &res),
                     VCF_ADAPTER_OK);
    assert_int_equal(res.status, 0);
    assert_true(res.value == 0x401);

    assert_int_equal(inject(&h, 0, hello_msg, sizeof hello_msg), VCF_ADAPTER_OK);
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), 1);
    assert_int_equal(obs.event.type, VCF_EVT_RPMSG_BASE + 0); /* deliver */
    assert_true(obs.event.args[0] == 0x401 && obs.event.args[1] == 0x400);
    assert_int_equal(obs.event.len, 5);
    assert_memory_equal(obs.event.data, "hello", 5);

    assert_int_equal(action(&h, VCF_ACT_RPMSG_SEND, 0x401, 0x400, "hi", &res), VCF_ADAPTER_OK);
    assert_int_equal(res.status, 0);
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), 1);
    static const uint8_t sent[] = {0x01, 0x04, 0, 0, 0x00, 0x04, 0, 0,   0,
                                   0,    0,    0, 2, 0,    0,    0, 'h', 'i'};
    assert_int_equal(obs.kind, VCF_OBS_MSG);
    assert_int_equal(obs.msg.channel, 1);
    assert_int_equal(obs.msg.used_len, sizeof sent);
    assert_int_equal(obs.msg.len, sizeof sent);
    assert_memory_equal(obs.msg.data, sent, sizeof sent);

    /* refused by the implementation: a status, not an adapter error */
    assert_int_equal(action(&h, VCF_ACT_RPMSG_SEND, 0x999, 0x400, "x", &res), VCF_ADAPTER_OK);
    assert_int_not_equal(res.status, 0);
    /* not an action of this role at all */
    assert_int_equal(action(&h, VCF_ACT_VMSG_START, 0, 0, NULL, &res), VCF_ADAPTER_UNSUPPORTED);
    CONTAINS(h.last_error(h.ad.ud), "action start unsupported");
    assert_int_equal(h.ad.idle(h.ad.ud), 1);

    vcf_hadapter_close(&h);
    assert_null(h.ad.close);
    assert_no_children();
}

static void test_example_echo(void **state)
{
    (void)state;
    vcf_hadapter h;
    open_so(example_so, "echo", &h);
    char why[256];
    assert_int_equal(reset(&h, VCF_IUT_RPMSG_DRIVER, why, sizeof why), VCF_ADAPTER_OK);
    vcf_adapter_result res;
    assert_int_equal(action(&h, VCF_ACT_RPMSG_CREATE, 0x401, 0xffffffffu, "", &res),
                     VCF_ADAPTER_OK);
    assert_int_equal(inject(&h, 0, hello_msg, sizeof hello_msg), VCF_ADAPTER_OK);
    vcf_adapter_obs obs;
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), 1);
    assert_int_equal(obs.kind, VCF_OBS_EVENT);
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), 1);
    assert_int_equal(obs.kind, VCF_OBS_MSG);
    assert_int_equal(obs.msg.len, 21);
    assert_memory_equal(obs.msg.data + 16, "hello", 5);
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), 0);
    vcf_hadapter_close(&h);
    assert_no_children();
}

/* ---- children that misbehave ---------------------------------------------------------------- */

static void test_crash_and_restart(void **state)
{
    (void)state;
    vcf_hadapter h;
    open_so(bad_so, NULL, &h);
    assert_string_equal(h.ad.name, "bad-adapter");
    char why[256];
    assert_int_equal(reset(&h, VCF_IUT_RPMSG_DRIVER, why, sizeof why), VCF_ADAPTER_OK);
    assert_int_equal(inject_str(&h, "first"), VCF_ADAPTER_OK);
    vcf_adapter_obs obs;
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), 1);
    assert_memory_equal(obs.msg.data, "first", 5);
    assert_int_equal(h.ad.idle(h.ad.ud), 1); /* CAP_IDLE: a real round trip */

    assert_int_equal(inject_str(&h, "crash"), VCF_ADAPTER_ERROR);
    const char *e = h.last_error(h.ad.ud);
    CONTAINS(e, "signal");
    CONTAINS(e, "SIGSEGV");
    CONTAINS(e, "INJECT");
    assert_no_children(); /* reaped at once */
    /* until it is restarted, every operation fails quickly */
    assert_int_equal(inject_str(&h, "again"), VCF_ADAPTER_ERROR);
    CONTAINS(h.last_error(h.ad.ud), "adapter process is not running (since: adapter process "
                                    "killed by signal 11 (SIGSEGV) during INJECT)");
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), VCF_ADAPTER_ERROR);

    assert_int_equal(h.restart(h.ad.ud), 0);
    assert_int_equal(reset(&h, VCF_IUT_RPMSG_DRIVER, why, sizeof why), VCF_ADAPTER_OK);
    assert_int_equal(inject_str(&h, "second"), VCF_ADAPTER_OK);
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), 1);
    assert_memory_equal(obs.msg.data, "second", 6);
    vcf_hadapter_close(&h);
    assert_no_children();
}

static void test_hang(void **state)
{
    (void)state;
    vcf_hadapter h;
    open_so(bad_so, NULL, &h);
    char why[256];
    assert_int_equal(reset(&h, VCF_IUT_RPMSG_DRIVER, why, sizeof why), VCF_ADAPTER_OK);
    h.set_timeout(h.ad.ud, 0.5);
    assert_int_equal(inject_str(&h, "hang"), VCF_ADAPTER_ERROR);
    CONTAINS(h.last_error(h.ad.ud), "no answer within 0.5 s to INJECT");
    assert_no_children();
    h.set_timeout(h.ad.ud, 30);
    assert_int_equal(h.restart(h.ad.ud), 0);
    assert_int_equal(reset(&h, VCF_IUT_RPMSG_DRIVER, why, sizeof why), VCF_ADAPTER_OK);
    vcf_hadapter_close(&h);
    assert_no_children();
}

static void test_exit_and_unsupported(void **state)
{
    (void)state;
    vcf_hadapter h;
    open_so(bad_so, NULL, &h);
    char why[256];
    assert_int_equal(reset(&h, VCF_IUT_VMSG_BUS, why, sizeof why), VCF_ADAPTER_UNSUPPORTED);
    assert_string_equal(why, "no bus here");
    assert_int_equal(inject_str(&h, "unsupported"), VCF_ADAPTER_UNSUPPORTED);
    /* what the adapter prints on stdout does not reach the frame stream */
    assert_int_equal(inject_str(&h, "stdout"), VCF_ADAPTER_OK);
    vcf_adapter_obs obs;
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), 1);
    /* no action operation: unsupported, said by the peer */
    vcf_adapter_result res;
    assert_int_equal(action(&h, VCF_ACT_RPMSG_CREATE, 1, 2, NULL, &res), VCF_ADAPTER_UNSUPPORTED);
    CONTAINS(h.last_error(h.ad.ud), "no action operation");
    assert_int_equal(inject_str(&h, "exit"), VCF_ADAPTER_ERROR);
    CONTAINS(h.last_error(h.ad.ud), "exited with status 3 during INJECT");
    assert_no_children();
    vcf_hadapter_close(&h);
    assert_no_children();
}

/* Write a file of frames the test's fake adapters replay. */
static void write_frames(const char *path, const vcf_frame *frames, size_t n, const char *tail,
                         size_t tail_len)
{
    static uint8_t b[4096];
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++) {
        size_t len = vcf_frame_encode(&frames[i], b, sizeof b, err, sizeof err);
        assert_true(len > 0);
        assert_int_equal(fwrite(b, 1, len, f), len);
    }
    if (tail_len)
        assert_int_equal(fwrite(tail, 1, tail_len, f), tail_len);
    assert_int_equal(fclose(f), 0);
}

static vcf_frame hello_reply(void)
{
    vcf_frame r = {.op = VCF_FOP_HELLO | VCF_FRAME_REPLY, .seq = 0};
    r.hello.magic = VCF_FRAME_MAGIC;
    r.hello.proto = 1;
    r.hello.roles = 2;
    r.hello.name = "fake";
    r.hello.version = "0";
    return r;
}

/* A shell adapter: answers HELLO with the frames in a file, then, after the next request,
 * sends what follows in the second file. */
static int open_fake(const char *dir, const char *after, vcf_hadapter *h)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "head -c 16 >/dev/null; cat '%s/hello.bin'; head -c 8 >/dev/null; cat '%s/%s'; "
             "sleep 30",
             dir, dir, after);
    return vcf_exec_adapter_open(cmd, h, err, sizeof err);
}

static void test_garbage(void **state)
{
    (void)state;
    char dir[] = "/tmp/vcf-exec-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    vcf_frame hello = hello_reply();
    snprintf(path, sizeof path, "%s/hello.bin", dir);
    write_frames(path, &hello, 1, NULL, 0);
    size_t hello_len = vcf_frame_encode(&hello, (uint8_t[256]){0}, 256, err, sizeof err);

    /* text after a good HELLO */
    snprintf(path, sizeof path, "%s/text.bin", dir);
    write_frames(path, NULL, 0, "GARBAGE GARBAGE GARBAGE", 23);
    vcf_hadapter h;
    if (open_fake(dir, "text.bin", &h) != 0)
        fail_msg("%s", err);
    assert_string_equal(h.ad.name, "fake");
    vcf_adapter_obs obs;
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), VCF_ADAPTER_ERROR);
    char want[64];
    snprintf(want, sizeof want, "stream offset %zu", hello_len);
    CONTAINS(h.last_error(h.ad.ud), "garbage instead of the reply to POLL");
    CONTAINS(h.last_error(h.ad.ud), want);
    CONTAINS(h.last_error(h.ad.ud), "\"GARB\"");
    assert_no_children(); /* the sleep went with the process group */
    vcf_hadapter_close(&h);

    /* an oversized frame */
    snprintf(path, sizeof path, "%s/big.bin", dir);
    write_frames(path, NULL, 0, "\xf0\xff\xff\x7f", 4);
    if (open_fake(dir, "big.bin", &h) != 0)
        fail_msg("%s", err);
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), VCF_ADAPTER_ERROR);
    CONTAINS(h.last_error(h.ad.ud), "outside 4..1048572");
    vcf_hadapter_close(&h);

    /* a reply with the wrong seq */
    vcf_frame wrong = {.op = VCF_FOP_POLL | VCF_FRAME_REPLY, .seq = 7};
    snprintf(path, sizeof path, "%s/seq.bin", dir);
    write_frames(path, &wrong, 1, NULL, 0);
    if (open_fake(dir, "seq.bin", &h) != 0)
        fail_msg("%s", err);
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), VCF_ADAPTER_ERROR);
    CONTAINS(h.last_error(h.ad.ud), "the answer to POLL (seq 1) is a POLL reply with seq 7");
    vcf_hadapter_close(&h);

    /* a well-framed but malformed reply: rc 7 */
    vcf_frame ok = {.op = VCF_FOP_POLL | VCF_FRAME_REPLY, .seq = 1};
    snprintf(path, sizeof path, "%s/rc.bin", dir);
    write_frames(path, &ok, 1, NULL, 0);
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, 8, SEEK_SET), 0);
    assert_int_equal(fputc(7, f), 7);
    assert_int_equal(fclose(f), 0);
    if (open_fake(dir, "rc.bin", &h) != 0)
        fail_msg("%s", err);
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), VCF_ADAPTER_ERROR);
    CONTAINS(h.last_error(h.ad.ud), "malformed reply to POLL");
    CONTAINS(h.last_error(h.ad.ud), "byte 8 (rc)");
    vcf_hadapter_close(&h);

    /* a reply cut short by the end of the process: sh exits 0 after cat */
    snprintf(path, sizeof path, "%s/short.bin", dir);
    write_frames(path, NULL, 0, "\x18\x00\x00\x00\x05\x80", 6);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "head -c 16 >/dev/null; cat '%s/hello.bin'; head -c 8 >/dev/null; cat '%s'", dir,
             path);
    if (vcf_exec_adapter_open(cmd, &h, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(h.ad.poll(h.ad.ud, &obs), VCF_ADAPTER_ERROR);
    CONTAINS(h.last_error(h.ad.ud), "exited with status 0 during POLL (after 6 of 28 bytes");
    vcf_hadapter_close(&h);
    assert_no_children();

    const char *names[] = {"hello.bin", "text.bin", "big.bin", "seq.bin", "rc.bin", "short.bin"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void test_not_an_adapter(void **state)
{
    (void)state;
    vcf_hadapter h;
    /* prints text instead of frames */
    assert_int_equal(vcf_exec_adapter_open("echo hello world; sleep 30", &h, err, sizeof err), -1);
    CONTAINS(err, "garbage instead of the reply to HELLO");
    CONTAINS(err, "\"hell\"");
    assert_no_children();
    /* not there at all */
    assert_int_equal(vcf_exec_adapter_open("/nonexistent/adapter", &h, err, sizeof err), -1);
    CONTAINS(err, "exited with status 127");
    /* says nothing and never exits */
    assert_int_equal(vcf_exec_adapter_open("exec sleep 30", &h, err, sizeof err), -1);
    CONTAINS(err, "no answer within 5.0 s to HELLO");
    assert_no_children();
}

/* ---- vconform-peer itself ------------------------------------------------------------------- */

static void test_peer_model(void **state)
{
    (void)state;
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "exec %s'%s'", wrapper, peer);
    vcf_hadapter h;
    if (vcf_exec_adapter_open(cmd, &h, err, sizeof err) != 0)
        fail_msg("%s", err);
    for (uint32_t r = VCF_IUT_RPMSG_DRIVER; r <= VCF_IUT_VMSG_BUS; r++)
        assert_true(h.ad.roles & VCF_IUT_ROLE_BIT(r));
    char why[256];
    assert_int_equal(reset(&h, VCF_IUT_RPMSG_DRIVER, why, sizeof why), VCF_ADAPTER_OK);
    assert_int_equal(inject(&h, 0, ns_create, sizeof ns_create), VCF_ADAPTER_OK);
    vcf_adapter_obs obs;
    int got = 0;
    while (h.ad.poll(h.ad.ud, &obs) == 1)
        got += obs.kind == VCF_OBS_EVENT && obs.event.type == VCF_EVT_RPMSG_BASE + 1;
    assert_int_equal(got, 1);
    vcf_hadapter_close(&h);
    assert_no_children();
}

/* Talk to a peer byte by byte. */
typedef struct raw {
    pid_t pid;
    int to, from;
} raw;

static void raw_start(raw *r, const char *args)
{
    int in[2], out[2];
    assert_int_equal(pipe(in), 0);
    assert_int_equal(pipe(out), 0);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "exec %s'%s' %s", wrapper, peer, args);
    r->pid = fork();
    assert_true(r->pid >= 0);
    if (r->pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    r->to = in[1];
    r->from = out[0];
}

static void raw_send(raw *r, const uint8_t *p, size_t n)
{
    assert_int_equal(write(r->to, p, n), (ssize_t)n);
}

static void raw_send_frame(raw *r, const vcf_frame *f)
{
    uint8_t b[1024];
    size_t n = vcf_frame_encode(f, b, sizeof b, err, sizeof err);
    assert_true(n > 0);
    raw_send(r, b, n);
}

static void raw_read(raw *r, uint8_t *p, size_t n)
{
    for (size_t off = 0; off < n;) {
        ssize_t got = read(r->from, p + off, n - off);
        if (got <= 0)
            fail_msg("the peer closed its output after %zu of %zu bytes", off, n);
        off += (size_t)got;
    }
}

static vcf_frame_scratch scratch;

static void raw_reply(raw *r, vcf_frame *f)
{
    static uint8_t b[VCF_FRAME_MAX];
    raw_read(r, b, 4);
    size_t n = vcf_frame_size(b, err, sizeof err);
    assert_true(n > 0);
    raw_read(r, b + 4, n - 4);
    if (vcf_frame_decode(b, n, f, &scratch, err, sizeof err) != VCF_FRAME_OK)
        fail_msg("the peer's reply: %s", err);
}

static int raw_finish(raw *r)
{
    close(r->to);
    uint8_t extra;
    assert_int_equal(read(r->from, &extra, 1), 0); /* nothing more on the frame stream */
    close(r->from);
    int st;
    assert_int_equal(waitpid(r->pid, &st, 0), r->pid);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static void test_peer_protocol(void **state)
{
    (void)state;
    raw r;
    vcf_frame f, rep;
    char args[1024];
    snprintf(args, sizeof args, "--adapter 'so:%s'", example_so);
    raw_start(&r, args);

    /* anything before HELLO is refused */
    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_POLL;
    f.seq = 1;
    raw_send_frame(&r, &f);
    raw_reply(&r, &rep);
    assert_int_equal(rep.op, VCF_FOP_POLL | VCF_FRAME_REPLY);
    assert_int_equal(rep.seq, 1);
    assert_int_equal(rep.rc, VCF_ADAPTER_ERROR);
    CONTAINS(rep.reason, "HELLO must come first");

    /* HELLO from a newer harness: the peer answers with the version it speaks */
    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_HELLO;
    f.seq = 2;
    f.hello.magic = VCF_FRAME_MAGIC;
    f.hello.proto = 7;
    raw_send_frame(&r, &f);
    raw_reply(&r, &rep);
    assert_int_equal(rep.rc, VCF_ADAPTER_OK);
    assert_int_equal(rep.hello.proto, VCF_FRAME_VERSION);
    assert_string_equal(rep.hello.name, "example-rpmsg-driver");

    /* an op from the future: unsupported */
    static const uint8_t future[] = {4, 0, 0, 0, 0x42, 0x00, 3, 0};
    raw_send(&r, future, sizeof future);
    raw_reply(&r, &rep);
    assert_int_equal(rep.op, 0x42 | VCF_FRAME_REPLY);
    assert_int_equal(rep.seq, 3);
    assert_int_equal(rep.rc, VCF_ADAPTER_UNSUPPORTED);
    CONTAINS(rep.reason, "unknown op 0x0042");

    /* a malformed request, well framed: an error reply naming the byte, and the peer goes on */
    static const uint8_t bad_reset[] = {12, 0, 0, 0, 0x02, 0x00, 4, 0, 1, 0, 0, 0, 9, 0, 0, 0};
    raw_send(&r, bad_reset, sizeof bad_reset);
    raw_reply(&r, &rep);
    assert_int_equal(rep.rc, VCF_ADAPTER_ERROR);
    CONTAINS(rep.reason, "malformed request");
    CONTAINS(rep.reason, "byte 16 (parameter key)");

    /* two requests in one write are both answered, in order */
    uint8_t two[64];
    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_IDLE;
    f.seq = 5;
    size_t n1 = vcf_frame_encode(&f, two, sizeof two, err, sizeof err);
    f.op = VCF_FOP_POLL;
    f.seq = 6;
    size_t n2 = vcf_frame_encode(&f, two + n1, sizeof two - n1, err, sizeof err);
    raw_send(&r, two, n1 + n2);
    raw_reply(&r, &rep);
    assert_int_equal(rep.seq, 5);
    assert_int_equal(rep.idle, 1);
    raw_reply(&r, &rep);
    assert_int_equal(rep.seq, 6);
    assert_int_equal(rep.obs.kind, VCF_OBS_NONE);

    /* CLOSE: a reply, then exit 0 */
    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_CLOSE;
    f.seq = 8;
    raw_send_frame(&r, &f);
    raw_reply(&r, &rep);
    assert_int_equal(rep.rc, VCF_ADAPTER_OK);
    assert_int_equal(raw_finish(&r), 0);

    /* the end of the input between frames: exit 0 */
    raw_start(&r, args);
    assert_int_equal(raw_finish(&r), 0);

    /* an adapter that cannot be loaded: HELLO says why, exit 2 */
    raw_start(&r, "--adapter so:/nonexistent/adapter.so");
    memset(&f, 0, sizeof f);
    f.op = VCF_FOP_HELLO;
    f.hello.magic = VCF_FRAME_MAGIC;
    f.hello.proto = 1;
    raw_send_frame(&r, &f);
    raw_reply(&r, &rep);
    assert_int_equal(rep.rc, VCF_ADAPTER_ERROR);
    CONTAINS(rep.reason, "/nonexistent/adapter.so");
    assert_int_equal(raw_finish(&r), 2);

    /* garbage on the input: exit 2 without a word on the frame stream */
    raw_start(&r, args);
    raw_send(&r, (const uint8_t *)"garbage!", 8);
    close(r.to);
    r.to = open("/dev/null", O_WRONLY);
    assert_int_equal(raw_finish(&r), 2);
    assert_no_children();
}

/* ---- opening and loading -------------------------------------------------------------------- */

static void test_open_specs(void **state)
{
    (void)state;
    vcf_hadapter h;
    assert_int_equal(vcf_hadapter_open("bogus", &h, err, sizeof err), -1);
    CONTAINS(err, "unknown adapter 'bogus'");
    assert_int_equal(vcf_hadapter_open("exec:", &h, err, sizeof err), -1);
    CONTAINS(err, "needs a command");
    assert_int_equal(vcf_hadapter_open("so:", &h, err, sizeof err), -1);
    CONTAINS(err, "needs the path");
    assert_int_equal(vcf_hadapter_open("so:/nonexistent/x.so,opt", &h, err, sizeof err), -1);
    CONTAINS(err, "so:/nonexistent/x.so: No such file");
    /* this test is not next to vconform-peer */
    assert_int_equal(vcf_so_adapter_open(example_so, NULL, &h, err, sizeof err), -1);
    CONTAINS(err, "vconform-peer is not next to");

    assert_int_equal(vcf_hadapter_open("model", &h, err, sizeof err), 0);
    assert_null(h.last_error);
    assert_null(h.restart);
    assert_true(h.ad.roles & VCF_IUT_ROLE_BIT(VCF_IUT_VMSG_BUS));
    vcf_hadapter_close(&h);
    assert_int_equal(vcf_hadapter_open("model:fault=no-such-fault", &h, err, sizeof err), -1);
    CONTAINS(err, "model:fault=no-such-fault: ");

    char spec[8192];
    snprintf(spec, sizeof spec, "exec:exec %s'%s' --adapter 'so:%s'", wrapper, peer, bad_so);
    assert_int_equal(vcf_hadapter_open(spec, &h, err, sizeof err), 0);
    assert_string_equal(h.ad.name, "bad-adapter");
    vcf_hadapter_close(&h);
    assert_no_children();
}

static void test_so_load(void **state)
{
    (void)state;
    vcf_adapter ad;
    void *dl;
    char spec[1024];

    snprintf(spec, sizeof spec, "%s,size=small", bad_so);
    assert_int_equal(vcf_so_adapter_load(spec, &ad, &dl, err, sizeof err), 0);
    assert_non_null(ad.reset);
    assert_non_null(ad.poll);
    assert_null(ad.idle); /* beyond the older, smaller table */
    assert_null(ad.close);
    assert_int_equal(ad.struct_size, sizeof ad);
    dlclose(dl);

    snprintf(spec, sizeof spec, "%s,abi=2", bad_so);
    assert_int_equal(vcf_so_adapter_load(spec, &ad, &dl, err, sizeof err), -1);
    CONTAINS(err, "built for adapter ABI version 2");
    assert_null(dl);
    snprintf(spec, sizeof spec, "%s,init=fail", bad_so);
    assert_int_equal(vcf_so_adapter_load(spec, &ad, &dl, err, sizeof err), -1);
    CONTAINS(err, "vcf_adapter_init(\"init=fail\") returned -1 (error)");
    snprintf(spec, sizeof spec, "%s,size=tiny", bad_so);
    assert_int_equal(vcf_so_adapter_load(spec, &ad, &dl, err, sizeof err), -1);
    CONTAINS(err, "struct_size 8 is not plausible");
    assert_int_equal(vcf_so_adapter_load("/nonexistent/x.so", &ad, &dl, err, sizeof err), -1);
    CONTAINS(err, "cannot load it");
    /* a bare file name is a file in the current directory, not a library search */
    assert_int_equal(vcf_so_adapter_load("libc.so.6", &ad, &dl, err, sizeof err), -1);
    CONTAINS(err, "so:./libc.so.6: cannot load it");

    /* the example, in this process */
    assert_int_equal(vcf_so_adapter_load(example_so, &ad, &dl, err, sizeof err), 0);
    char why[128];
    assert_int_equal(ad.reset(ad.ud, VCF_IUT_RPMSG_DRIVER, NULL, 0, why, sizeof why),
                     VCF_ADAPTER_OK);
    vcf_adapter_msg m = {.channel = 0, .data = ns_create, .len = sizeof ns_create};
    assert_int_equal(ad.inject(ad.ud, &m), VCF_ADAPTER_OK);
    vcf_adapter_obs obs;
    assert_int_equal(ad.poll(ad.ud, &obs), 1);
    assert_int_equal(obs.event.type, VCF_EVT_RPMSG_BASE + 1);
    ad.close(ad.ud);
    dlclose(dl);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: test_adapter_exec PEER EXAMPLE_SO BAD_SO [EMULATOR...]\n");
        return 2;
    }
    peer = argv[1];
    example_so = argv[2];
    bad_so = argv[3];
    for (int i = 4; i < argc; i++) {
        size_t n = strlen(wrapper);
        snprintf(wrapper + n, sizeof wrapper - n, "'%s' ", argv[i]);
    }
    if (wrapper[0]) {
        char plain[sizeof wrapper];
        plain[0] = '\0';
        for (int i = 4; i < argc; i++) {
            size_t n = strlen(plain);
            snprintf(plain + n, sizeof plain - n, "%s%s", i > 4 ? " " : "", argv[i]);
        }
        setenv("VCONFORM_PEER_WRAPPER", plain, 1);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_so),
        cmocka_unit_test(test_example_echo),
        cmocka_unit_test(test_crash_and_restart),
        cmocka_unit_test(test_hang),
        cmocka_unit_test(test_exit_and_unsupported),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_not_an_adapter),
        cmocka_unit_test(test_peer_model),
        cmocka_unit_test(test_peer_protocol),
        cmocka_unit_test(test_open_specs),
        cmocka_unit_test(test_so_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
