/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vconform Wireshark plugin: the four symbols a Wireshark 4.0 plugin exports (README.plugins).
 * Everything else is in the dissector core (vcf_ws_dissector), which this module links.
 * Wireshark 4.0 has no plugin_describe(); newer SDKs that do get one below.
 */
#include <wireshark.h>

#include <epan/proto.h>
#include <ws_version.h>

#include "vconform_ws.h"

#ifndef PLUGIN_VERSION
#define PLUGIN_VERSION "0.0.0"
#endif

#if defined(__GNUC__)
#define VCF_WS_EXPORT __attribute__((visibility("default")))
#else
#define VCF_WS_EXPORT
#endif

VCF_WS_EXPORT extern const gchar plugin_version[];
VCF_WS_EXPORT extern const int plugin_want_major;
VCF_WS_EXPORT extern const int plugin_want_minor;
VCF_WS_EXPORT void plugin_register(void);

VCF_WS_EXPORT const gchar plugin_version[] = PLUGIN_VERSION;
VCF_WS_EXPORT const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
VCF_WS_EXPORT const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

#ifdef WS_PLUGIN_DESC_DISSECTOR
VCF_WS_EXPORT uint32_t plugin_describe(void);
VCF_WS_EXPORT uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif

void plugin_register(void)
{
    vcf_ws_plugin_register();
}
