# SPDX-License-Identifier: MIT
"""Tests of `vconform pcap decode` (harness/tests/pcap_decode_tests.cmake).

  check_decode.py golden VCONFORM CAPTURE  a capture written by `vconform run --pcap`
  check_decode.py crafted VCONFORM WORKDIR hand-made captures: bad records, link types, exit
                                           statuses

The captures are crafted with dissector/tests/vcf_tshark.py (standard library only), the
module the dissector tests use too.
"""

import json
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "..", "dissector", "tests"))
import vcf_tshark as vt  # noqa: E402

problems = []


def check(cond, what):
    if not cond:
        problems.append(what)
    return cond


def decode(vconform, *args):
    p = subprocess.run([vconform, "pcap", "decode"] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    return p.returncode, p.stdout, p.stderr


def jdecode(vconform, pcap):
    rc, out, err = decode(vconform, "--format", "json", pcap)
    return rc, [json.loads(line) for line in out.splitlines()], err


def golden(vconform, pcap):
    _, raw = vt.read_pcap(pcap)
    rc, recs, err = jdecode(vconform, pcap)
    check(rc == 2, "exit status %d, expected 2 (the suite injects malformed messages)" % rc)
    check(len(recs) == len(raw) and len(raw) > 1000,
          "%d records decoded, %d in the file" % (len(recs), len(raw)))
    check([r["frame"] for r in recs] == list(range(1, len(raw) + 1)), "frames not 1..N")
    status = {}
    for r in recs:
        status[r["status"]] = status.get(r["status"], 0) + 1
    print("statuses: %s" % status)
    for s in ("ok", "violation", "malformed"):
        check(status.get(s, 0) > 0, "no record with status %s" % s)
    check("unreadable-record" not in status, "unreadable records in a vconform run capture")
    # file offsets: 24 + the sizes of the records before
    off = 24
    for r, (_, _, b) in zip(recs, raw):
        if not check(r["file_offset"] == off, "frame %d: file_offset %s, expected %d" %
                     (r["frame"], r["file_offset"], off)):
            break
        off += 16 + len(b)
    # a known record: the first message of the rpmsg-device header case
    by_id = {}
    for r in recs:
        by_id.setdefault(r["pseudo_header"].get("case_id"), []).append(r)
    known = by_id.get("rpmsg-dev-hdr-rx-deliver", [None])[0]
    if check(known is not None, "no record of case rpmsg-dev-hdr-rx-deliver"):
        ph = known["pseudo_header"]
        check(known["protocol"] == "rpmsg" and known["status"] == "ok" and
              known["message"] == "data", "rpmsg-dev-hdr-rx-deliver: %s" % known)
        check(ph["magic"] == 0x50464356 and ph["protocol"] == 1 and ph["role"] == 2 and
              ph["direction"] == 0 and ph["channel"] == 1 and ph["step_index"] == 1,
              "rpmsg-dev-hdr-rx-deliver pseudo-header: %s" % ph)
        f = known.get("fields", {})
        check(f.get("header", {}).get("src", {}).get("value") == 1024 and
              f.get("payload", {}).get("hex") == "68656c6c6f",
              "rpmsg-dev-hdr-rx-deliver fields: %s" % f)
        check(known["params"] == {"byte_order": "le", "ns": True},
              "rpmsg-dev-hdr-rx-deliver params: %s" % known["params"])
    # every record decodes exactly as `vconform decode` decodes its message bytes
    same = 0
    for r, (_, _, b) in zip(recs, raw):
        if r["status"] == "unreadable-record":
            continue
        msg = vt.strip_tags(b)[r["pseudo_header"]["hdr_len"]:]
        if r["frame"] % 25 and r["status"] == "ok":
            continue  # every 25th clean record, and every other one
        p = r["params"]
        opts = (["-p", "rpmsg", "-b", p["byte_order"]] + ([] if p["ns"] else ["--no-ns"])
                if r["protocol"] == "rpmsg" else
                ["-p", "virtio-msg", "--rev", p["revision"], "--max-msg-size",
                 str(p["max_msg_size"])] + (["--allow-padding"] if p["allow_padding"] else []))
        d = subprocess.run([vconform, "decode", "-f", "json"] + opts + [msg.hex() or ""],
                           stdout=subprocess.PIPE, universal_newlines=True)
        if not msg:
            continue  # `vconform decode` takes no empty message
        want = json.loads(d.stdout)
        for k in ("protocol", "params", "length", "status", "message", "fields", "errors"):
            if not check(want.get(k) == r.get(k), "frame %d: %s differs from vconform decode:"
                         " %s vs %s" % (r["frame"], k, r.get(k), want.get(k))):
                break
        same += 1
    print("%d records cross-checked against vconform decode" % same)
    check(same > 100, "only %d records cross-checked" % same)
    # text: one block per record
    rc_t, text, _ = decode(vconform, pcap)
    heads = [line for line in text.splitlines() if line.startswith("frame ")]
    check(rc_t == rc and len(heads) == len(raw), "text: exit %d, %d blocks" % (rc_t, len(heads)))
    check(heads[0].startswith("frame 1 (file offset 24): rpmsg,"), "text heading %r" % heads[0])
    # --rules lists each cited rule once with its level
    _, out, _ = decode(vconform, "--format", "json", "--rules", pcap)
    rules = [r for line in out.splitlines() for r in json.loads(line).get("rules", [])]
    check(rules and all(r["level"] in ("MUST", "SHOULD", "MAY", "IMPL") and r["statement"]
                        for r in rules), "--rules: %s" % rules[:3])


GOOD = bytes.fromhex("0004000001040000000000000500000068656c6c6f")
BAD = bytes.fromhex("00040000010400007856341205000000" + "68656c6c6f")  # reserved set


def crafted(vconform, work):
    os.makedirs(work, exist_ok=True)
    pcap = os.path.join(work, "bad.pcap")
    recs = [
        vt.record(GOOD, case_id="good-1"),                                    # 1 ok
        vt.record(GOOD, magic=b"VCFX"),                                       # 2 bad magic
        vt.record(GOOD, hdr_len=300),                                         # 3 hdr_len
        vt.record(GOOD, case_id=b"abcd", case_id_offset=56, case_id_len=99),  # 4 case ID
        vt.record(GOOD, orig_len=30),                                         # 5 orig_len
        vt.record(GOOD, protocol=9),                                          # 6 protocol
        vt.record(GOOD[:10]),                                                 # 7 malformed
        vt.record(BAD),                                                       # 8 violation
        vt.exported_pdu_tags()[:6],                                           # 9 tags cut
        vt.record(GOOD, version=1, case_id="v1"),                             # 10 ok (v1)
    ]
    vt.write_pcap(pcap, vt.LINKTYPE_UPPER_PDU, recs)
    # a last record header that promises more bytes than the file holds
    with open(pcap, "ab") as f:
        f.write(struct.pack("<IIII", 99, 0, 500, 500) + b"\0" * 20)
    rc, out, err = jdecode(vconform, pcap)
    check(rc == 2, "bad.pcap: exit %d, expected 2" % rc)
    by = {r["frame"]: r for r in out}
    expect = {
        2: "byte 16: pseudo-header magic 56434658",
        3: "byte 22: pseudo-header length 300",
        4: "byte 56: case ID at 56+99",
        5: "byte 72: 21 message bytes for orig_len 30",
        6: "byte 21: protocol 9",
        9: "byte 0: exported-PDU",
    }
    for frame, text in expect.items():
        r = by.get(frame, {})
        check(r.get("status") == "unreadable-record" and text in r.get("error", ""),
              "frame %d: %s, expected an unreadable record with %r" % (frame, r, text))
        check("frame %d (record at file offset" % frame in err,
              "stderr lacks frame %d: %s" % (frame, err))
    offsets = [24]
    for b in recs:
        offsets.append(offsets[-1] + 16 + len(b))
    check(by.get(2, {}).get("file_offset") == offsets[1], "frame 2 file offset")
    check(by.get(1, {}).get("status") == "ok" and by[1]["pseudo_header"]["case_id"] == "good-1",
          "frame 1: %s" % by.get(1))
    check(by.get(7, {}).get("status") == "malformed" and
          by[7]["errors"][0]["code"] == "truncated", "frame 7: %s" % by.get(7))
    check(by.get(8, {}).get("status") == "violation" and
          by[8]["errors"][0]["rule"] == "RPMSG-HDR-05", "frame 8: %s" % by.get(8))
    v1 = by.get(10, {})
    check(v1.get("status") == "ok" and v1["pseudo_header"]["version"] == 1 and
          "bus" not in v1["pseudo_header"] and v1["pseudo_header"]["case_id"] == "v1",
          "frame 10 (version 1): %s" % v1)
    last = by.get(11, {})
    check(last.get("status") == "unreadable-record" and last.get("file_offset") == offsets[-1],
          "frame 11 (cut by the end of the file): %s" % last)
    check("frame 11 at file offset %d" % offsets[-1] in err, "stderr for frame 11: %s" % err)
    check(len(out) == 11, "%d JSON lines, expected 11" % len(out))
    # text shows the same, one block per record, the errors with their frame numbers
    rc_t, text, _ = decode(vconform, pcap)
    check(rc_t == 2 and "frame 2 (file offset %d): unreadable record: byte 16" % offsets[1] in text
          and "result: malformed rpmsg message: offset 8 (reserved): message truncated" in text
          and "  violation: offset 8 (reserved): must-be-zero" in text,
          "text output:\n%s" % text[:1500])

    # USER0: no tags; the same messages
    user = os.path.join(work, "user0.pcap")
    vt.write_pcap(user, vt.LINKTYPE_USER0 + 3, [vt.strip_tags(recs[0]), vt.strip_tags(recs[7])])
    rc, out, _ = jdecode(vconform, user)
    check(rc == 1 and [r["status"] for r in out] == ["ok", "violation"],
          "USER3 capture: exit %d, %s" % (rc, out))
    # exit statuses: clean 0, violations 1
    clean = os.path.join(work, "clean.pcap")
    vt.write_pcap(clean, vt.LINKTYPE_UPPER_PDU, [recs[0], recs[9]])
    check(jdecode(vconform, clean)[0] == 0, "clean capture: exit status not 0")
    # a link type that is not ours
    eth = os.path.join(work, "eth.pcap")
    vt.write_pcap(eth, 1, [b"\0" * 60])
    rc, _, err = decode(vconform, eth)
    check(rc == 2 and "link type 1, expected 252" in err, "ethernet capture: %d %s" % (rc, err))
    # I/O and usage errors
    rc, _, err = decode(vconform, os.path.join(work, "missing.pcap"))
    check(rc == 2 and "missing.pcap" in err, "missing file: %d %s" % (rc, err))
    notpcap = os.path.join(work, "not.pcap")
    with open(notpcap, "w") as f:
        f.write("hello, not a capture\n")
    rc, _, err = decode(vconform, notpcap)
    check(rc == 2 and "not.pcap" in err, "not a capture: %d %s" % (rc, err))
    check(decode(vconform)[0] == 64, "no file: not exit 64")
    check(decode(vconform, "--format", "xml", clean)[0] == 64, "bad format: not exit 64")
    check(decode(vconform, clean, clean)[0] == 64, "two files: not exit 64")
    check(decode(vconform, "--help")[0] == 0, "--help: not exit 0")


def main():
    mode, vconform, arg = sys.argv[1:4]
    if mode == "golden":
        golden(vconform, arg)
    else:
        crafted(vconform, arg)
    for p in problems[:30]:
        print("FAIL: " + p)
    if problems:
        sys.exit(1)
    print("PASS")


main()
