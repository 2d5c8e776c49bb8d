# SPDX-License-Identifier: MIT
"""dissector_golden: every record of the golden-suite capture (vconform run --pcap, model
adapter) decodes in tshark exactly as `vconform pcap decode` decodes it: protocol, message kind,
every pseudo-header field, every message field and value, every violation (code, rule, offset)
and its expert item."""

import vcf_tshark as vt


def run():
    args = vt.arg_parser(__doc__).parse_args()
    if not args.pcap or not args.vconform:
        vt.fail("--pcap and --vconform are required")
    _, raw = vt.read_pcap(args.pcap)
    recs, status = vt.model_decode(args.vconform, args.pcap)
    with vt.Tshark(args.tshark, args.plugin_root) as ts:
        ts.require_plugin()
        pkts = ts.packets(ts.stage(args.pcap, "golden.pcap"))
    if not (len(raw) == len(recs) == len(pkts)):
        vt.fail("record counts differ: %d in the file, %d from vconform pcap decode, %d from "
                "tshark" % (len(raw), len(recs), len(pkts)))
    cmp = vt.Comparison()
    for layers, rec in zip(pkts, recs):
        number = layers.get("frame", {}).get("frame.number")
        if str(number) != str(rec["frame"]):
            vt.fail("frame numbering differs: tshark %s, model %s" % (number, rec["frame"]))
        cmp.record(layers, rec)
    cmp.report()
    if cmp.mismatches:
        vt.fail("%d mismatches between tshark and the model" % len(cmp.mismatches))
    # the comparison must have had something to compare
    if cmp.records != len(raw) or cmp.records < 100:
        vt.fail("only %d of %d records compared" % (cmp.records, len(raw)))
    if cmp.fields < 10 * cmp.records // 2:
        vt.fail("only %d message fields compared" % cmp.fields)
    if cmp.violations == 0:
        vt.fail("no violation compared: the golden suite injects malformed messages")
    if status != 2:
        vt.fail("vconform pcap decode exited %d on the golden capture, expected 2 (it holds "
                "malformed messages)" % status)


vt.main(run)
