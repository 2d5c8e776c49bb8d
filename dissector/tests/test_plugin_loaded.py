# SPDX-License-Identifier: MIT
"""dissector_plugin_loaded: tshark, run as the unprivileged user with the staged plugin
directory, lists vconform.so, and knows the three dissectors' fields."""

import vcf_tshark as vt


def run():
    args = vt.arg_parser(__doc__).parse_args()
    with vt.Tshark(args.tshark, args.plugin_root) as ts:
        line = ts.require_plugin()
        print("plugin: " + " ".join(line.split()))
        fields = ts.run(["-G", "fields"]).stdout.splitlines()
        names = {cols[2] for cols in (f.split("\t") for f in fields) if len(cols) > 2}
        want = ["vconform.magic", "vconform.case_id", "vconform.violation",
                "vconform.violation.code", "vconform.rule", "rpmsg.kind", "rpmsg.header.src",
                "virtio_msg.kind", "virtio_msg.header.msg_id", "virtio_msg.response_in",
                "virtio_msg.response_to"]
        missing = [w for w in want if w not in names]
        if missing:
            vt.fail("tshark -G fields lacks %s" % ", ".join(missing))
        print("fields: %d vconform/rpmsg/virtio_msg fields registered" %
              sum(1 for n in names if n.split(".")[0] in ("vconform", "rpmsg", "virtio_msg")))


vt.main(run)
