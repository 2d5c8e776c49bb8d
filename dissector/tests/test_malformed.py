# SPDX-License-Identifier: MIT
"""dissector_malformed: crafted records that are broken at the record level (pseudo-header)
or at the message level decode without a tshark error or a dissector bug, and show the expected
expert items and violations: the same (code, rule, offset) set as `vconform pcap decode`, and
the code each case is built to provoke. A version-1 record (44-byte pseudo-header) decodes."""

import random
import struct

import vcf_tshark as vt

RPMSG = 1
VMSG = 2
TRUNC = 0x0001
# a clean little-endian RPMsg data message and name-service announcement
DATA = bytes.fromhex("00040000 01040000 00000000 0500 0000 68656c6c6f".replace(" ", ""))
NS = (bytes.fromhex("00040000 35000000 00000000 2800 0000".replace(" ", "")) +
      b"rpmsg-client-sample".ljust(32, b"\0") + struct.pack("<II", 0x400, 0))
# virtio-msg (PR28) GET_DEVICE_INFO request and response
VREQ = bytes.fromhex("0002010077000800")
VRESP = bytes.fromhex("01020100010020000100000051454d55400000000c0000000300000000000000")
VMSG_HDR = dict(protocol=VMSG, role=3, revision=2, bus=1)


def rpmsg_hdr(src, dst, length, flags=0, reserved=0):
    return struct.pack("<IIIHH", src, dst, reserved, length, flags)


def ns_msg(name, flags=0):
    body = name.ljust(32, b"\0")[:32] + struct.pack("<II", 0x400, flags)
    return rpmsg_hdr(0x400, 53, len(body)) + body


def vmsg(type_, msg_id, size, body=b"", dev=1, token=0x77):
    return struct.pack("<BBHHH", type_, msg_id, dev, token, size) + body


rng = random.Random(20251121)
GARBAGE = bytes(rng.randrange(256) for _ in range(97))

# (name, record bytes under LINKTYPE_UPPER_PDU, expectation)
#   expectation "record": a broken record: tshark shows an expert Error or [Malformed Packet]
#                and `vconform pcap decode` reports unreadable-record
#   expectation "expert": tshark shows some expert item (any severity)
#   expectation ("codes", {...}): the model reports these violation codes (among others) and
#                tshark's violation set equals the model's
#   expectation "clean": decodes with no violation
CASES = [
    ("bad pseudo-header magic", vt.record(DATA, magic=b"VCFX"), "record"),
    ("hdr_len past the record", vt.record(DATA, hdr_len=400), "record"),
    ("hdr_len below the fixed part", vt.record(DATA, hdr_len=20), "record"),
    ("case ID out of range", vt.record(DATA, case_id=b"abcd", case_id_offset=60,
                                       case_id_len=200), "record"),
    ("case ID length without offset", vt.record(DATA, case_id_offset=0, case_id_len=3),
     "record"),
    ("orig_len disagrees with the bytes", vt.record(DATA, orig_len=40), "record"),
    ("unknown protocol value", vt.record(DATA, protocol=9), "expert"),
    ("RPMsg shorter than 16 bytes", vt.record(DATA[:10]), ("codes", {"truncated"})),
    ("RPMsg len larger than the payload",
     vt.record(rpmsg_hdr(0x400, 0x401, 100) + b"hello"), ("codes", {"size-mismatch"})),
    ("NS name without NUL", vt.record(ns_msg(b"A" * 32)), ("codes", {"unterminated"})),
    ("NS reserved flags", vt.record(ns_msg(b"rpmsg-echo", flags=0x10)), ("codes", {"reserved"})),
    ("RPMsg reserved and flags set",
     vt.record(rpmsg_hdr(0x400, 0x401, 5, flags=2, reserved=0x1234) + b"hello"),
     ("codes", {"must-be-zero"})),
    ("virtio-msg shorter than 8", vt.record(VREQ[:5], **VMSG_HDR), ("codes", {"truncated"})),
    ("virtio-msg msg_size mismatch", vt.record(vmsg(0, 2, 20), **VMSG_HDR),
     ("codes", {"size-mismatch"})),
    ("virtio-msg unknown msg_id", vt.record(vmsg(0, 0x3F, 8), **VMSG_HDR),
     ("codes", {"unknown-id"})),
    ("virtio-msg larger than max_msg_size", vt.record(VRESP, max_msg_size=16, **VMSG_HDR),
     ("codes", {"too-large"})),
    ("virtio-msg trailing bytes", vt.record(VREQ + b"\0\0\0\0", **VMSG_HDR),
     ("codes", {"trailing-bytes"})),
    ("truncated flag set (RPMsg cut at 20 of 56 bytes)",
     vt.record(NS[:20], flags=TRUNC, orig_len=56), ("codes", set())),
    ("truncated flag set (virtio-msg cut at 12 of 32 bytes)",
     vt.record(VRESP[:12], flags=TRUNC, orig_len=32, **VMSG_HDR), ("codes", set())),
    ("zero-length RPMsg", vt.record(b""), ("codes", {"truncated"})),
    ("zero-length virtio-msg", vt.record(b"", **VMSG_HDR), ("codes", {"truncated"})),
    ("garbage RPMsg", vt.record(GARBAGE), ("codes", set())),
    ("garbage virtio-msg", vt.record(GARBAGE, **VMSG_HDR), ("codes", set())),
    ("garbage pseudo-header", vt.exported_pdu_tags() + GARBAGE, "record"),
    ("clean RPMsg (control)", vt.record(DATA, case_id="control-data"), "clean"),
    ("clean virtio-msg (control)", vt.record(VRESP, case_id="control-vmsg", **VMSG_HDR),
     "clean"),
    ("version-1 record", vt.record(NS, version=1, case_id="v1-record"), "clean"),
]
# garbage with no exported-PDU tags at all: only "no crash" is asked of it
EXTRA = [("garbage record", GARBAGE)]


def run():
    args = vt.arg_parser(__doc__).parse_args()
    with vt.Tshark(args.tshark, args.plugin_root) as ts:
        ts.require_plugin()
        pcap = ts.path("malformed.pcap")
        vt.write_pcap(pcap, vt.LINKTYPE_UPPER_PDU,
                      [c[1] for c in CASES] + [e[1] for e in EXTRA])
        ts.publish(pcap)
        recs, status = vt.model_decode(args.vconform, pcap)
        pkts = ts.packets(pcap)
        # the expert table on its own, as a user would look at it: must not fail either
        ts.run(["-r", pcap, "-q", "-z", "expert"])
    n = len(CASES) + len(EXTRA)
    if len(recs) != n or len(pkts) != n:
        vt.fail("%d records written, %d from the model, %d from tshark" %
                (n, len(recs), len(pkts)))
    if status != 2:
        vt.fail("vconform pcap decode exited %d, expected 2" % status)
    cmp = vt.Comparison()
    problems = []
    for (name, _, want), layers, rec in zip(CASES, pkts, recs):
        before = len(cmp.mismatches)
        if want == "record":
            if rec["status"] != "unreadable-record":
                problems.append("%s: the model read the record (%s)" % (name, rec["status"]))
            cmp.record(layers, rec)
        elif want == "expert":
            if not vt.experts(layers):
                problems.append("%s: no expert item (tshark)" % name)
        elif want == "clean":
            if rec["status"] != "ok":
                problems.append("%s: the model says %s: %s" % (name, rec["status"],
                                                               rec.get("errors")))
            cmp.record(layers, rec)
            if vt.violations(layers):
                problems.append("%s: tshark shows violations %s" % (name, vt.violations(layers)))
        else:
            codes = {e["code"] for e in rec.get("errors", [])}
            if not want[1] <= codes:
                problems.append("%s: the model reports %s, expected %s among them" %
                                (name, sorted(codes), sorted(want[1])))
            if rec["status"] == "ok" and want[1]:
                problems.append("%s: the model says ok" % name)
            cmp.record(layers, rec)
        for m in cmp.mismatches[before:]:
            problems.append("%s: %s: tshark %s, model %s" % (name, m[1], m[2], m[3]))
        print("%-55s model %-17s tshark %d violations, %d expert items%s" %
              (name, rec["status"], len(vt.violations(layers)), len(vt.experts(layers)),
               ", malformed" if vt.is_malformed(layers) else ""))
    v1 = pkts[[c[0] for c in CASES].index("version-1 record")]
    flat = vt.flatten(v1)
    if flat.get("vconform.version") != ["1"] or "vconform.bus" in flat:
        problems.append("version-1 record: vconform.version %s, vconform.bus %s" %
                        (flat.get("vconform.version"), flat.get("vconform.bus")))
    if flat.get("rpmsg.ns.name") != ["rpmsg-client-sample"]:
        problems.append("version-1 record: rpmsg.ns.name %s" % flat.get("rpmsg.ns.name"))
    for p in problems:
        print("MISMATCH " + p)
    cmp.report(limit=0)
    if problems:
        vt.fail("%d problems" % len(problems))


vt.main(run)
