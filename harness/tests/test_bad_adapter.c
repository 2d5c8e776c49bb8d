/* SPDX-License-Identifier: MIT */
/*
 * A misbehaving adapter for test_adapter_exec. What it does on inject depends on the bytes:
 *   "crash"   dies of SIGSEGV        "hang"    never answers      "exit"   exits with status 3
 *   "stdout"  prints on stdout (which vconform-peer must keep off the frame stream)
 *   "unsupported"  answers VCF_ADAPTER_UNSUPPORTED;  anything else: accepted, and poll hands
 *   the bytes back once as a message on channel 0.
 * Options test the loader: "init=fail", "abi=2", "size=small" (a table without idle and
 * close, as an older adapter would have), "size=tiny".
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vconform/adapter.h"

static struct {
    uint8_t last[256];
    size_t len;
    int pending;
} st;

static int bad_reset(void *ud, uint32_t role, const vcf_adapter_param *params, size_t n, char *why,
                     size_t why_len)
{
    (void)ud;
    (void)params;
    (void)n;
    st.pending = 0;
    if (role == VCF_IUT_VMSG_BUS) {
        snprintf(why, why_len, "no bus here");
        return VCF_ADAPTER_UNSUPPORTED;
    }
    return VCF_ADAPTER_OK;
}

static int is(const vcf_adapter_msg *m, const char *word)
{
    return m->len == strlen(word) && memcmp(m->data, word, m->len) == 0;
}

static int bad_inject(void *ud, const vcf_adapter_msg *m)
{
    (void)ud;
    if (is(m, "crash")) {
        /* A real segmentation fault's status, also under a sanitizer that would catch it. */
        signal(SIGSEGV, SIG_DFL);
        raise(SIGSEGV);
    }
    if (is(m, "hang"))
        for (;;)
            pause();
    if (is(m, "exit"))
        _exit(3);
    if (is(m, "stdout")) {
        printf("debug output an adapter should not print on stdout\n");
        fflush(stdout);
    }
    if (is(m, "unsupported"))
        return VCF_ADAPTER_UNSUPPORTED;
    st.len = m->len < sizeof st.last ? m->len : sizeof st.last;
    if (st.len)
        memcpy(st.last, m->data, st.len);
    st.pending = 1;
    return VCF_ADAPTER_OK;
}

static int bad_poll(void *ud, vcf_adapter_obs *obs)
{
    (void)ud;
    if (!st.pending)
        return 0;
    st.pending = 0;
    memset(obs, 0, sizeof *obs);
    obs->kind = VCF_OBS_MSG;
    obs->msg.channel = 0;
    obs->msg.data = st.last;
    obs->msg.len = st.len;
    return 1;
}

static int bad_idle(void *ud)
{
    (void)ud;
    return 1;
}

static void bad_close(void *ud)
{
    (void)ud;
}

__attribute__((visibility("default"))) int vcf_adapter_init(const char *options, vcf_adapter *out)
{
    if (strcmp(options, "init=fail") == 0)
        return VCF_ADAPTER_ERROR;
    memset(out, 0, sizeof *out);
    out->abi_version = strcmp(options, "abi=2") == 0 ? 2u : VCF_ADAPTER_ABI_VERSION;
    out->struct_size = (uint32_t)sizeof *out;
    if (strcmp(options, "size=small") == 0)
        out->struct_size = (uint32_t)offsetof(vcf_adapter, idle);
    if (strcmp(options, "size=tiny") == 0)
        out->struct_size = 8;
    out->name = "bad-adapter";
    out->version = "0";
    out->roles = 0x3eu;
    out->caps = VCF_ADAPTER_CAP_IDLE;
    out->reset = bad_reset;
    out->inject = bad_inject;
    out->poll = bad_poll;
    /* an older, smaller table would not have these at all */
    out->idle = bad_idle;
    out->close = bad_close;
    return VCF_ADAPTER_OK;
}
