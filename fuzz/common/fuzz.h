/* SPDX-License-Identifier: MIT */
/*
 * vconform fuzzing: what every fuzz target shares.
 *
 * A target is one C file that defines LLVMFuzzerTestOneInput (and, if it needs set-up,
 * LLVMFuzzerInitialize). The same file builds three ways (fuzz/CMakeLists.txt,
 * VCF_FUZZ_ENGINE):
 *
 *   none       linked with replay_main.c: a plain program that runs every file or directory
 *              named on its command line through the target (ctest replays the corpora and
 *              the saved crashers this way on every build, including ASan+UBSan and s390x);
 *   libfuzzer  linked with -fsanitize=fuzzer (clang), plus the structure-aware mutator as
 *              LLVMFuzzerCustomMutator;
 *   afl        built by afl-clang-fast and linked with afl_main.c (persistent mode, shared
 *              memory test cases); the mutator is loaded by afl-fuzz as a custom mutator.
 *
 * A target never exits and never returns anything but 0. A finding (a broken invariant, a
 * divergence) is reported with vcf_fuzz_finding(), which prints the explanation and aborts, so
 * that every engine records the input as a crash.
 *
 * Input formats of the codec targets (the first byte picks the parameters, so that seeds and
 * mutations cover every reading of the bytes):
 *
 *   rpmsg-frame  [0] bit 0: big-endian link (legacy, no VERSION_1); bit 1: F_NS not negotiated
 *                [1..] the received buffer (used length = its size)
 *   rpmsg-ns     [0] bit 0: big-endian link;  [1..] the name-service payload
 *   vmsg         [0] bit 0: RFC3 (else PR28); bit 1: bus padding allowed;
 *                    bits 2..7 = k: bus maximum message size, 0 for k == 0, else 40 + 8 * k
 *                [1..] one message
 *   script       a message sequence for a state machine (script.h)
 */
#ifndef VCF_FUZZ_FUZZ_H
#define VCF_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The engine entry points (defined by each target). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Set by the replay runner's --explain: targets print what they decoded and what they checked
 * there, for people reading a crasher. NULL while fuzzing. */
extern FILE *vcf_fuzz_explain;

/* The file being replayed (replay runner only; NULL otherwise): findings name it. */
extern const char *vcf_fuzz_input_name;

/* printf to vcf_fuzz_explain when it is set. */
void vcf_fuzz_explainf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A finding: print "vconform fuzz finding: <what>" and the explanation to stderr, then abort.
 * Never returns. */
void vcf_fuzz_finding(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Codec-target parameter bytes (see above). */
#define VCF_FUZZ_RPMSG_BE    0x01u
#define VCF_FUZZ_RPMSG_NO_NS 0x02u
#define VCF_FUZZ_VMSG_RFC3   0x01u
#define VCF_FUZZ_VMSG_PAD    0x02u
/* Bus maximum of a vmsg parameter byte: 0, or 40 + 8 * k for k = bits 2..7. */
uint32_t vcf_fuzz_vmsg_max(uint8_t param);

#ifdef __cplusplus
}
#endif

#endif /* VCF_FUZZ_FUZZ_H */
