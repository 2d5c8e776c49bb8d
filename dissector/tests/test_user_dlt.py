# SPDX-License-Identifier: MIT
"""dissector_user_dlt: the same records written under LINKTYPE_USER0 (147: pseudo-header +
message, no exported-PDU tags) decode, once the user_dlts table maps User 0 to "vconform",
exactly as under LINKTYPE_WIRESHARK_UPPER_PDU: every vconform/rpmsg/virtio_msg field and
violation equal, and equal to `vconform pcap decode` of the USER0 file. Without the mapping they
are not decoded as vconform (the mapping is what selects the dissector)."""

import vcf_tshark as vt

UAT = 'uat:user_dlts:"User 0 (DLT=147)","vconform","0","","0",""'
SAMPLE = 400  # golden records taken (evenly spread, malformed ones always included)


def run():
    args = vt.arg_parser(__doc__).parse_args()
    _, raw = vt.read_pcap(args.pcap)
    recs, _ = vt.model_decode(args.vconform, args.pcap)
    step = max(1, len(raw) // SAMPLE)
    chosen = [i for i, r in enumerate(recs)
              if i % step == 0 or r["status"] not in ("ok",)]
    with vt.Tshark(args.tshark, args.plugin_root) as ts:
        ts.require_plugin()
        upper = ts.path("upper.pcap")
        user = ts.path("user0.pcap")
        vt.write_pcap(upper, vt.LINKTYPE_UPPER_PDU, [raw[i][2] for i in chosen])
        vt.write_pcap(user, vt.LINKTYPE_USER0, [vt.strip_tags(raw[i][2]) for i in chosen])
        ts.publish(upper)
        ts.publish(user)
        model, _ = vt.model_decode(args.vconform, user)
        a = ts.packets(upper)
        b = ts.packets(user, "-o", UAT)
        unmapped = ts.packets(user)
    if not (len(a) == len(b) == len(model) == len(chosen)):
        vt.fail("%d records, tshark %d (upper PDU) and %d (USER0), model %d" %
                (len(chosen), len(a), len(b), len(model)))
    problems = []
    cmp = vt.Comparison()
    for n, (x, y, rec) in enumerate(zip(a, b, model), 1):
        protos = vt.protocols(y)
        if "user_dlt" not in protos or "vconform" not in protos:
            problems.append("frame %d: USER0 protocol stack %s" % (n, ":".join(protos)))
            continue
        fx = vt.flatten(x, ("vconform", "rpmsg", "virtio_msg"))
        fy = vt.flatten(y, ("vconform", "rpmsg", "virtio_msg"))
        if fx != fy:
            keys = sorted(k for k in set(fx) | set(fy) if fx.get(k) != fy.get(k))
            problems.append("frame %d: fields differ between link types: %s" %
                            (n, ", ".join("%s upper %s user0 %s" % (k, fx.get(k), fy.get(k))
                                          for k in keys[:5])))
        cmp.record(y, rec, check_experts=False)
    for frame, what, ws, mv in cmp.mismatches:
        problems.append("frame %s: %s: tshark %s, model %s" % (frame, what, ws, mv))
    if any("vconform" in vt.protocols(p) for p in unmapped):
        problems.append("USER0 frames decode as vconform without the user_dlts mapping: the "
                        "plugin must not claim LINKTYPE_USER0 itself")
    for p in problems[:25]:
        print("MISMATCH " + p)
    cmp.report(limit=0)
    if problems:
        vt.fail("%d problems" % len(problems))
    if cmp.violations == 0:
        vt.fail("no violation compared")


vt.main(run)
