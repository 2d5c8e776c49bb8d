/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vconform Wireshark dissector: the entry points shared by the plugin module (plugin.c) and
 * programs that link the dissector statically (the libFuzzer target fuzz/targets/dissector.c).
 */
#ifndef VCONFORM_WS_H
#define VCONFORM_WS_H

/* Register the vconform, rpmsg and virtio_msg protocols with epan: calls
 * proto_register_plugin(). Must be called before epan_init(). */
void vcf_ws_plugin_register(void);

#endif /* VCONFORM_WS_H */
