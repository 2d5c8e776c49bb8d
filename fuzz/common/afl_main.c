/* SPDX-License-Identifier: MIT */
/*
 * vconform fuzzing: the main() of every target built for AFL++ (afl-clang-fast).
 *
 * Persistent mode with shared-memory test cases: afl-fuzz hands each input through shared
 * memory and the loop runs up to 10,000 inputs per fork. Each input is copied into a buffer of
 * exactly its size, so that a read past its end is caught by AddressSanitizer (the shared
 * buffer itself is larger). Outside afl-fuzz (afl-tmin, afl-showmap, a person replaying a
 * crash) the same binary reads one input from stdin, or from the file named as argument.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

extern int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

__AFL_FUZZ_INIT();

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    if (argc > 1 && argv[1][0] != '-' && !freopen(argv[1], "rb", stdin)) {
        perror(argv[1]);
        return 2;
    }
    __AFL_INIT();
    const unsigned char *shared = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(10000)) {
        size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
        uint8_t *exact = malloc(len ? len : 1);
        if (!exact)
            abort();
        if (len)
            memcpy(exact, shared, len);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
    }
    return 0;
}
