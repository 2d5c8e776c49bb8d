/* SPDX-License-Identifier: MIT */
/*
 * RPMsg golden vectors, as hex (byte layouts from the RPMsg research catalogue,
 * ../shared/reference/rpmsg-rules.md section 5.1): the name-service announcement of
 * "rpmsg-client-sample" at 0x400 and a "hello" from 0x400 to 0x401, in both byte orders.
 */
#ifndef VCF_RPMSG_SAMPLES_H
#define VCF_RPMSG_SAMPLES_H

/* Not every test uses every vector. */

__attribute__((unused)) static const char NS_CREATE_LE[] =
    "00 04 00 00 35 00 00 00 00 00 00 00 28 00 00 00"
    "72 70 6d 73 67 2d 63 6c 69 65 6e 74 2d 73 61 6d 70 6c 65 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 04 00 00 00 00 00 00";
__attribute__((unused)) static const char NS_CREATE_BE[] =
    "00 00 04 00 00 00 00 35 00 00 00 00 00 28 00 00"
    "72 70 6d 73 67 2d 63 6c 69 65 6e 74 2d 73 61 6d 70 6c 65 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 00 04 00 00 00 00 00";
__attribute__((unused)) static const char NS_DESTROY_LE[] =
    "00 04 00 00 35 00 00 00 00 00 00 00 28 00 00 00"
    "72 70 6d 73 67 2d 63 6c 69 65 6e 74 2d 73 61 6d 70 6c 65 00 00 00 00 00 00 00 00 00 00 00 00 "
    "00 00 04 00 00 01 00 00 00";
__attribute__((unused)) static const char DATA_LE[] =
    "00 04 00 00 01 04 00 00 00 00 00 00 05 00 00 00 68 65 6c 6c 6f";
__attribute__((unused)) static const char DATA_BE[] =
    "00 00 04 00 00 00 04 01 00 00 00 00 00 05 00 00 68 65 6c 6c 6f";

#endif /* VCF_RPMSG_SAMPLES_H */
