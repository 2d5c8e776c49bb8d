/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "vconform/error.h"
#include "vconform/wire.h"
#include "wire_internal.h"

int vcf_fail(vcf_error *err, vcf_status code, const char *field, size_t offset, const char *detail)
{
    if (err) {
        err->code = code;
        err->field = field;
        err->offset = offset;
        err->expected = 0;
        err->actual = 0;
        err->flags = 0;
        err->detail = detail;
        err->rule = NULL;
    }
    return code;
}

int vcf_failv(vcf_error *err, vcf_status code, const char *field, size_t offset, const char *detail,
              uint64_t expected, uint64_t actual)
{
    if (err) {
        err->code = code;
        err->field = field;
        err->offset = offset;
        err->expected = expected;
        err->actual = actual;
        err->flags = VCF_ERROR_HAS_VALUES;
        err->detail = detail;
        err->rule = NULL;
    }
    return code;
}

const char *vcf_status_name(int code)
{
    switch (code) {
    case VCF_OK: return "ok";
    case VCF_E_TRUNCATED: return "truncated";
    case VCF_E_TRAILING: return "trailing-bytes";
    case VCF_E_SIZE_MISMATCH: return "size-mismatch";
    case VCF_E_SIZE_RANGE: return "size-range";
    case VCF_E_UNKNOWN_ID: return "unknown-id";
    case VCF_E_BAD_KIND: return "bad-kind";
    case VCF_E_NONSTANDARD: return "non-standard";
    case VCF_E_RESERVED: return "reserved";
    case VCF_E_MBZ: return "must-be-zero";
    case VCF_E_ALIGN: return "alignment";
    case VCF_E_RANGE: return "range";
    case VCF_E_UNTERMINATED: return "unterminated";
    case VCF_E_TOO_LARGE: return "too-large";
    case VCF_E_NOSPACE: return "no-space";
    case VCF_E_INVAL: return "invalid-argument";
    case VCF_E_NOTFOUND: return "not-found";
    case VCF_E_INUSE: return "in-use";
    case VCF_E_EXHAUSTED: return "exhausted";
    case VCF_E_DUPLICATE: return "duplicate";
    case VCF_E_AGAIN: return "no-buffer";
    case VCF_E_UNSUPPORTED: return "not-negotiated";
    case VCF_E_STATE: return "wrong-state";
    case VCF_E_MISMATCH: return "mismatch";
    case VCF_E_TIMEOUT: return "timeout";
    default: return "unknown-status";
    }
}

const char *vcf_status_text(int code)
{
    switch (code) {
    case VCF_OK: return "ok";
    case VCF_E_TRUNCATED: return "message truncated";
    case VCF_E_TRAILING: return "trailing bytes";
    case VCF_E_SIZE_MISMATCH: return "size field disagrees with buffer";
    case VCF_E_SIZE_RANGE: return "size field out of range";
    case VCF_E_UNKNOWN_ID: return "unknown message ID";
    case VCF_E_BAD_KIND: return "impossible message type";
    case VCF_E_NONSTANDARD: return "non-standard message";
    case VCF_E_RESERVED: return "reserved bits or value used";
    case VCF_E_MBZ: return "must-be-zero field is non-zero";
    case VCF_E_ALIGN: return "misaligned count or offset";
    case VCF_E_RANGE: return "value out of range";
    case VCF_E_UNTERMINATED: return "string not NUL-terminated";
    case VCF_E_TOO_LARGE: return "message larger than the maximum";
    case VCF_E_NOSPACE: return "output buffer too small";
    case VCF_E_INVAL: return "invalid argument";
    case VCF_E_NOTFOUND: return "no such endpoint or channel";
    case VCF_E_INUSE: return "address already bound";
    case VCF_E_EXHAUSTED: return "no free address or room";
    case VCF_E_DUPLICATE: return "already announced";
    case VCF_E_AGAIN: return "no transmit buffer free";
    case VCF_E_UNSUPPORTED: return "feature not negotiated";
    case VCF_E_STATE: return "not allowed in this state";
    case VCF_E_MISMATCH: return "response does not match its request";
    case VCF_E_TIMEOUT: return "no response";
    default: return "unknown status";
    }
}

int vcf_status_is_structural(int code)
{
    return code <= VCF_E_TRUNCATED && code >= VCF_E_NONSTANDARD;
}

int vcf_status_is_rule(int code)
{
    return code <= VCF_E_RESERVED && code >= VCF_E_TOO_LARGE;
}

int vcf_status_is_state(int code)
{
    return code <= VCF_E_NOTFOUND && code >= VCF_E_TIMEOUT;
}

static int error_format_base(const vcf_error *err, char *buf, size_t cap)
{
    const char *field = err->field ? err->field : "message";
    const char *detail = err->detail ? err->detail : "";
    const char *sep = err->detail ? ": " : "";

    if ((err->flags & VCF_ERROR_HAS_VALUES) && (err->flags & VCF_ERROR_HEX))
        return snprintf(buf, cap, "offset %zu (%s): %s%s%s (expected 0x%llx, got 0x%llx)",
                        err->offset, field, vcf_status_text(err->code), sep, detail,
                        (unsigned long long)err->expected, (unsigned long long)err->actual);
    if (err->flags & VCF_ERROR_HAS_VALUES)
        return snprintf(buf, cap, "offset %zu (%s): %s%s%s (expected %llu, got %llu)", err->offset,
                        field, vcf_status_text(err->code), sep, detail,
                        (unsigned long long)err->expected, (unsigned long long)err->actual);
    return snprintf(buf, cap, "offset %zu (%s): %s%s%s", err->offset, field,
                    vcf_status_text(err->code), sep, detail);
}

int vcf_error_format(const vcf_error *err, char *buf, size_t cap)
{
    int n = error_format_base(err, buf, cap);
    if (n < 0 || !err->rule)
        return n;
    size_t used = (size_t)n;
    int m =
        snprintf(used < cap ? buf + used : NULL, used < cap ? cap - used : 0, " [%s]", err->rule);
    return m < 0 ? m : n + m;
}

const char *vcf_byte_order_name(vcf_byte_order order)
{
    return order == VCF_BIG_ENDIAN ? "be" : "le";
}
