/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the model's cmocka tests. Byte values in tests are written out literally
 * (hex strings) or assembled here, never with the model's own load/store helpers, so a wrong
 * helper cannot confirm itself.
 */
#ifndef VCF_TEST_H
#define VCF_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* Parse a hex string into out; spaces, '|' and newlines separate nothing and are skipped. */
static inline size_t th_hex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (const char *p = hex; *p; p++) {
        int v;
        if (*p >= '0' && *p <= '9')
            v = *p - '0';
        else if (*p >= 'a' && *p <= 'f')
            v = *p - 'a' + 10;
        else if (*p >= 'A' && *p <= 'F')
            v = *p - 'A' + 10;
        else
            continue;
        if (hi < 0) {
            hi = v;
        } else {
            assert_true(n < cap);
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    assert_int_equal(hi, -1); /* even number of digits */
    return n;
}

/* Independent reference loads for checking what the codecs wrote. */
static inline uint64_t th_le(const uint8_t *p, size_t size)
{
    uint64_t v = 0;
    for (size_t i = size; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static inline uint64_t th_be(const uint8_t *p, size_t size)
{
    uint64_t v = 0;
    for (size_t i = 0; i < size; i++)
        v = v << 8 | p[i];
    return v;
}

#define assert_bytes_equal(a, b, n) assert_memory_equal((a), (b), (n))

#endif /* VCF_TEST_H */
