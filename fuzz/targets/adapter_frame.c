/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target adapter_frame: a byte stream of stdio adapter-protocol frames (format
 * adapter-frame; harness/src/frame.h, docs/adapter-protocol.md), read the way the harness
 * reads a child's stdout: a 4-byte length, then that many bytes, then the next frame.
 *
 * Checked for each frame:
 *   - vcf_frame_size accepts exactly the lengths 4 .. VCF_FRAME_MAX - 4 and explains a refusal;
 *   - vcf_frame_decode refuses with a reason naming a byte offset, or decodes; a frame cut
 *     short by the end of the stream never decodes;
 *   - a decoded frame re-encodes with vcf_frame_encode to exactly its bytes (the format has one
 *     encoding per frame), and decoding that again gives the same fields.
 * The stream stops at the first length the protocol refuses (the harness gives up there too).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "fuzz.h"
#include "walk.h"

/* The checks are not what is being fuzzed (walk.h). */
VCF_FUZZ_CHECKS_BEGIN

#define MAX_FRAMES 64u /* per input: enough for any sequence worth exploring */

/* Decoder scratch (strings, parameters) for the original and the re-decoded frame, and the
 * re-encoding: about 3 MiB, allocated once. */
static vcf_frame_scratch *scratch[2];
static uint8_t *encoded;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    scratch[0] = malloc(sizeof *scratch[0]);
    scratch[1] = malloc(sizeof *scratch[1]);
    encoded = malloc(VCF_FRAME_MAX);
    if (!scratch[0] || !scratch[1] || !encoded)
        abort();
    return 0;
}

static bool same_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static bool same_bytes(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static bool same_msg(const vcf_adapter_msg *a, const vcf_adapter_msg *b)
{
    return a->channel == b->channel && a->used_len == b->used_len && a->capacity == b->capacity &&
           same_bytes(a->data, a->len, b->data, b->len);
}

/* Every field the frame's op carries (the others are zero in both). */
static const char *differing_field(const vcf_frame *a, const vcf_frame *b)
{
    if (a->op != b->op || a->seq != b->seq)
        return "op/seq";
    if (a->rc != b->rc || !same_str(a->reason, b->reason))
        return "rc/reason";
    if (a->hello.magic != b->hello.magic || a->hello.proto != b->hello.proto ||
        a->hello.roles != b->hello.roles || a->hello.caps != b->hello.caps ||
        !same_str(a->hello.name, b->hello.name) || !same_str(a->hello.version, b->hello.version))
        return "hello";
    if (a->role != b->role || a->n_params != b->n_params)
        return "role/params";
    for (size_t i = 0; i < a->n_params; i++)
        if (!same_str(a->params[i].key, b->params[i].key) ||
            !same_str(a->params[i].value, b->params[i].value))
            return "params";
    if (!same_msg(&a->msg, &b->msg))
        return "msg";
    if (a->action.kind != b->action.kind ||
        memcmp(a->action.args, b->action.args, sizeof a->action.args) != 0 ||
        !same_bytes(a->action.data, a->action.len, b->action.data, b->action.len))
        return "action";
    if (a->result.status != b->result.status || a->result.value != b->result.value)
        return "result";
    if (a->obs.kind != b->obs.kind || !same_msg(&a->obs.msg, &b->obs.msg) ||
        a->obs.event.type != b->obs.event.type ||
        memcmp(a->obs.event.args, b->obs.event.args, sizeof a->obs.event.args) != 0 ||
        !same_bytes(a->obs.event.data, a->obs.event.len, b->obs.event.data, b->obs.event.len))
        return "obs";
    if (a->idle != b->idle)
        return "idle";
    return NULL;
}

static void explain_frame(const vcf_frame *f, size_t len)
{
    if (!vcf_fuzz_explain)
        return;
    bool reply = (f->op & VCF_FRAME_REPLY) != 0;
    vcf_fuzz_explainf("  %s %s (op 0x%04x) seq %u, %zu bytes", vcf_frame_op_name(f->op),
                      reply ? "reply" : "request", (unsigned)f->op, (unsigned)f->seq, len);
    if (reply)
        vcf_fuzz_explainf(", rc %" PRId32 " reason \"%s\"", f->rc, f->reason ? f->reason : "");
    switch (f->op & (uint16_t)~VCF_FRAME_REPLY) {
    case VCF_FOP_HELLO:
        vcf_fuzz_explainf(", magic 0x%08" PRIx32 " version %" PRIu32, f->hello.magic,
                          f->hello.proto);
        if (reply && f->rc == VCF_ADAPTER_OK)
            vcf_fuzz_explainf(", roles 0x%" PRIx32 " caps 0x%" PRIx32 " name \"%s\" version \"%s\"",
                              f->hello.roles, f->hello.caps, f->hello.name, f->hello.version);
        break;
    case VCF_FOP_RESET:
        if (!reply) {
            vcf_fuzz_explainf(", role %" PRIu32 ", %zu parameter(s)", f->role, f->n_params);
            for (size_t i = 0; i < f->n_params && i < 16; i++)
                vcf_fuzz_explainf(" %s=%s", f->params[i].key, f->params[i].value);
        }
        break;
    case VCF_FOP_INJECT:
        if (!reply)
            vcf_fuzz_explainf(", channel %" PRIu32 " used_len %zu capacity %zu, %zu message "
                              "bytes",
                              f->msg.channel, f->msg.used_len, f->msg.capacity, f->msg.len);
        break;
    case VCF_FOP_ACTION:
        if (!reply)
            vcf_fuzz_explainf(", kind 0x%" PRIx32 " args %" PRIu64 " %" PRIu64 " %" PRIu64
                              " %" PRIu64 ", %zu data bytes",
                              f->action.kind, f->action.args[0], f->action.args[1],
                              f->action.args[2], f->action.args[3], f->action.len);
        else if (f->rc == VCF_ADAPTER_OK)
            vcf_fuzz_explainf(", status %" PRId32 " value %" PRIu64, f->result.status,
                              f->result.value);
        break;
    case VCF_FOP_POLL:
        if (reply && f->rc == VCF_ADAPTER_OK)
            vcf_fuzz_explainf(", observation kind %" PRIu32 " (msg: channel %" PRIu32
                              ", %zu bytes; event: type 0x%" PRIx32 ", %zu bytes)",
                              f->obs.kind, f->obs.msg.channel, f->obs.msg.len, f->obs.event.type,
                              f->obs.event.len);
        break;
    case VCF_FOP_IDLE:
        if (reply && f->rc == VCF_ADAPTER_OK)
            vcf_fuzz_explainf(", idle %" PRIu32, f->idle);
        break;
    default: break;
    }
    vcf_fuzz_explainf("\n");
}

/* "..., byte N (...)" somewhere in a decoder error. */
static bool names_byte(const char *err)
{
    const char *p = strstr(err, "byte ");
    return p && p[5] >= '0' && p[5] <= '9';
}

/* One frame of len bytes at buf (want: what its length field says). */
static void check_frame(const uint8_t *buf, size_t len, size_t want)
{
    vcf_frame f, g;
    char err[512];
    int rc = vcf_frame_decode(buf, len, &f, scratch[0], err, sizeof err);
    if (rc != VCF_FRAME_OK) {
        vcf_fuzz_explainf("  frame of %zu bytes (length says %zu): %s\n", len, want, err);
        if (rc != VCF_FRAME_MALFORMED && rc != VCF_FRAME_UNKNOWN_OP)
            vcf_fuzz_finding("adapter frame: decode returned %d", rc);
        if (!names_byte(err))
            vcf_fuzz_finding("adapter frame: decode error without a byte offset: \"%s\"", err);
        if (rc == VCF_FRAME_UNKNOWN_OP && (len < VCF_FRAME_HDR_SIZE || len != want))
            vcf_fuzz_finding("adapter frame: an unknown op in a frame that is not well framed");
        return;
    }
    explain_frame(&f, len);
    if (len != want)
        vcf_fuzz_finding("adapter frame: decoded %zu bytes where the length field says %zu", len,
                         want);
    size_t n = vcf_frame_encode(&f, encoded, VCF_FRAME_MAX, err, sizeof err);
    if (n == 0)
        vcf_fuzz_finding("adapter frame: a decoded %s frame does not encode: %s",
                         vcf_frame_op_name(f.op), err);
    if (n != len || memcmp(encoded, buf, len) != 0) {
        size_t at = 0;
        while (at < n && at < len && encoded[at] == buf[at])
            at++;
        vcf_fuzz_finding("adapter frame: %s frame of %zu bytes re-encodes to %zu bytes, first "
                         "difference at byte %zu",
                         vcf_frame_op_name(f.op), len, n, at);
    }
    if (vcf_frame_decode(encoded, n, &g, scratch[1], err, sizeof err) != VCF_FRAME_OK)
        vcf_fuzz_finding("adapter frame: the re-encoded frame does not decode: %s", err);
    const char *diff = differing_field(&f, &g);
    if (diff)
        vcf_fuzz_finding("adapter frame: the re-encoded %s frame decodes with other %s",
                         vcf_frame_op_name(f.op), diff);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vcf_fuzz_explainf("adapter-frame: %zu-byte stream\n", size);
    size_t pos = 0;
    unsigned frames = 0;
    while (size - pos >= 4 && frames < MAX_FRAMES) {
        char err[256];
        err[0] = '\0';
        uint32_t field = (uint32_t)data[pos] | ((uint32_t)data[pos + 1] << 8) |
                         ((uint32_t)data[pos + 2] << 16) | ((uint32_t)data[pos + 3] << 24);
        size_t want = vcf_frame_size(data + pos, err, sizeof err);
        bool valid = field >= VCF_FRAME_HDR_SIZE - 4u && field <= VCF_FRAME_MAX - 4u;
        if (valid != (want != 0) || (valid && want != (size_t)field + 4u))
            vcf_fuzz_finding("adapter frame: vcf_frame_size(%" PRIu32 ") = %zu", field, want);
        if (!want) {
            vcf_fuzz_explainf("  at byte %zu: %s (the stream ends here)\n", pos, err);
            if (!err[0])
                vcf_fuzz_finding("adapter frame: a refused length without a reason");
            break;
        }
        size_t len = want < size - pos ? want : size - pos;
        check_frame(data + pos, len, want);
        pos += len;
        frames++;
    }
    vcf_fuzz_explainf("checked: %u frame(s): sizes, decode, re-encode to the same bytes, decode "
                      "again to the same fields\n",
                      frames);
    return 0;
}

VCF_FUZZ_CHECKS_END
