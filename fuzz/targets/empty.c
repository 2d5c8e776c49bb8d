/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target empty: does nothing (format raw). It is the baseline of the fuzzing benchmark:
 * every other target's executions per second are compared with this one's in the same run, so
 * the ratio shows what the target's own work costs over the engine's.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)data;
    (void)size;
    return 0;
}
