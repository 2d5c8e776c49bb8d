#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks of `vconform pcap import-dmesg`, `to-vectors` and `from-vectors`
(harness/tests/pcap_tools_tests.cmake). Usage: check_pcap_tools.py MODE VCONFORM SRCDIR WORKDIR
MODE: dmesg | roundtrip | from-to | dmesg-vectors."""
import calendar
import json
import os
import struct
import subprocess
import sys

MODE, VCONFORM, SRC, WORK = sys.argv[1:5]
DATA = os.path.join(SRC, "harness/tests/data/dmesg")
VECTORS = os.path.join(SRC, "vectors")
SCHEMA = os.path.join(VECTORS, "schema/vectors.schema.json")
ROLES = ["rpmsg-driver", "rpmsg-device", "virtio-msg-device", "virtio-msg-driver",
         "virtio-msg-bus"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)


def run(*args, rc=0):
    p = subprocess.run([VCONFORM] + list(args), capture_output=True, text=True)
    if rc is not None and p.returncode != rc:
        print(p.stdout[-2000:], p.stderr[-4000:])
        raise SystemExit("vconform %s: exit %d, expected %d" % (" ".join(args), p.returncode, rc))
    return p


def read_pcap(path):
    """The records of a vconform capture: a small reader of its own (docs/capture-format.md)."""
    b = open(path, "rb").read()
    magic = struct.unpack_from("<I", b, 0)[0]
    e = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype = struct.unpack_from(e + "I", b, 20)[0]
    off, recs = 24, []
    while off < len(b):
        sec, usec, caplen, _ = struct.unpack_from(e + "IIII", b, off)
        r = b[off + 16: off + 16 + caplen]
        off += 16 + caplen
        t = 0
        if linktype == 252:
            while True:
                typ, ln = struct.unpack_from(">HH", r, t)
                t += 4 + ln
                if typ == 0:
                    break
        ph = r[t:]
        assert ph[:4] == b"VCFP", "magic"
        hdr_len = struct.unpack_from("<H", ph, 6)[0]
        rec = dict(ts=(sec, usec), direction=ph[8], role=ph[9], channel=ph[10], order=ph[11],
                   flags=struct.unpack_from("<H", ph, 14)[0],
                   capacity=struct.unpack_from("<I", ph, 16)[0],
                   step=struct.unpack_from("<I", ph, 32)[0], data=ph[hdr_len:])
        if ph[4] >= 2:
            rec.update(bus=ph[44], link_flags=struct.unpack_from("<H", ph, 46)[0],
                       instance=struct.unpack_from("<I", ph, 52)[0])
        cid_off, cid_len = struct.unpack_from("<HH", ph, 40)
        rec["case_id"] = ph[cid_off:cid_off + cid_len].decode() if cid_off else None
        recs.append(rec)
    return recs


def validate(path):
    import jsonschema
    schema = json.load(open(SCHEMA))
    jsonschema.validate(json.load(open(path)), schema)


def hdr(src, dst, ln):
    return struct.pack("<IIIHH", src, dst, 0, ln, 0)


def mode_dmesg():
    out = os.path.join(WORK, "basic.pcap")
    p = run("pcap", "import-dmesg", "-o", out, "--instance", "3", os.path.join(DATA, "basic.dmesg"))
    check("4 messages imported (2 RX to the driver, 2 TX from the driver)" in p.stderr,
          "basic: summary: " + p.stderr)
    r = read_pcap(out)
    check([x["direction"] for x in r] == [0, 1, 0, 1], "basic: directions")
    check([x["channel"] for x in r] == [0, 1, 0, 1], "basic: channels vq0/vq1")
    check(all(x["role"] == 1 and x["bus"] == 2 and x["link_flags"] == 3 and x["capacity"] == 512
              and x["instance"] == 3 for x in r), "basic: role, bus, link flags, capacity, instance")
    check([x["ts"] for x in r] == [(143, 260854), (143, 260920), (143, 260986), (143, 261019)],
          "basic: timestamps %s" % [x["ts"] for x in r])
    ns = hdr(0x400, 0x35, 40) + b"rpmsg-tty-raw".ljust(32, b"\0") + struct.pack("<II", 0x400, 0)
    check(r[0]["data"] == ns, "basic: NS announcement bytes")
    check(r[2]["data"] == hdr(0x400, 0x401, 13) + b"hello world!\n", "basic: data message bytes")
    check(r[3]["data"] == hdr(0x402, 0x400, 6) + b"ping 1", "basic: TX bytes")

    out = os.path.join(WORK, "human.pcap")
    run("pcap", "import-dmesg", "-o", out, os.path.join(DATA, "human-time.dmesg"))
    r = read_pcap(out)
    t = calendar.timegm((2025, 3, 4, 10, 0, 5))
    check([x["ts"] for x in r] == [(t, 0), (t + 2, 0)], "dmesg -T: timestamps")
    check(len(r[1]["data"]) == 56 and r[1]["data"][16:] == bytes(range(32, 72)), "dmesg -T: bytes")

    out = os.path.join(WORK, "journal.pcap")
    run("pcap", "import-dmesg", "--no-ns", "-o", out, os.path.join(DATA, "journal.txt"))
    r = read_pcap(out)
    check([x["ts"] for x in r] == [(0, 0), (1, 0)], "journal: record-index timestamps")
    check([x["direction"] for x in r] == [0, 1] and all(x["link_flags"] == 1 for x in r),
          "journal: directions, --no-ns")

    out = os.path.join(WORK, "level.pcap")
    p = subprocess.run([VCONFORM, "pcap", "import-dmesg", "--order", "le", "-o", out],
                       stdin=open(os.path.join(DATA, "level.dmesg")), capture_output=True, text=True)
    check(p.returncode == 0 and [x["ts"] for x in read_pcap(out)] == [(210, 120)],
          "dmesg -x from stdin")

    out = os.path.join(WORK, "faults.pcap")
    f = os.path.join(DATA, "faults.dmesg")
    p = run("pcap", "import-dmesg", "-o", out, f)
    err = p.stderr
    for want in [f + ":56: expected two hex digits for byte 4",
                 f + ":62: expected hex bytes after \"rpmsg_virtio TX:\"",
                 f + ":52: warning: the dev_dbg line 51 says From 0x400, To 0x401",
                 f + ":64: warning: RX dump of lines 64-65 is incomplete",
                 f + ":12: warning: RX dump of lines 12-50 has 616 bytes",
                 "4 messages imported (3 RX to the driver, 1 TX from the driver)",
                 "(2 unreadable dump lines)"]:
        check(want in err, "faults: stderr lacks %r" % want)
    r = read_pcap(out)
    check([len(x["data"]) for x in r] == [116, 512, 29, 22], "faults: message lengths %s"
          % [len(x["data"]) for x in r])
    check(r[0]["data"][:16] == hdr(0x400, 0x401, 100), "faults: the lying header is kept")
    p = run("pcap", "import-dmesg", "--strict", "-o", out, f, rc=1)
    p = run("pcap", "import-dmesg", "--order", "sideways", f, rc=64)


def mode_roundtrip():
    cap = os.path.join(WORK, "run.pcap")
    run("run", "--adapter", "model", "--quiet", "--vectors", VECTORS, "--pcap", cap)
    for role in ROLES:
        out = os.path.join(WORK, role + ".json")
        run("pcap", "to-vectors", "--role", role, "--vectors", VECTORS, "-o", out, cap)
        validate(out)
        p = run("run", "--adapter", "model", "--quiet", "--strict", "--vectors", out, rc=None)
        check(p.returncode == 0 and " 0 failed, 0 non-strict, 0 unsupported" in p.stdout,
              "%s: the regression vectors do not all pass: %s" % (role, p.stdout[-300:]))
        n = json.load(open(out))["numberOfCases"]
        check(n > 50, "%s: only %d cases" % (role, n))


def first_alt_msgs(step):
    return [o["msg"]["hex"] for o in step["expect"]["any_of"][0] if "msg" in o]


def mode_from_to():
    for role in ROLES:
        src = os.path.join(VECTORS, role + ".json")
        cap = os.path.join(WORK, role + ".pcap")
        out = os.path.join(WORK, role + ".back.json")
        run("pcap", "from-vectors", "-o", cap, src)
        recs = read_pcap(cap)
        check(all(x["flags"] & 2 for x in recs if x["direction"] == 1)
              and not any(x["flags"] & 2 for x in recs if x["direction"] == 0),
              "%s: SYNTHESIZED on the expected records only" % role)
        run("pcap", "to-vectors", "--vectors", src, "-o", out, cap)
        validate(out)
        orig = {c["id"]: c for g in json.load(open(src))["groups"] for c in g["cases"]}
        back = {c["id"]: c for g in json.load(open(out))["groups"] for c in g["cases"]}
        with_msgs = [i for i, c in orig.items()
                     if any("inject" in s or first_alt_msgs(s) for s in c["steps"])]
        check(sorted(back) == sorted(with_msgs), "%s: cases %d, expected %d"
              % (role, len(back), len(with_msgs)))
        for cid, c in back.items():
            o = orig[cid]
            check(len(c["steps"]) == len(o["steps"]), "%s: step count" % cid)
            for i, (s, t) in enumerate(zip(c["steps"], o["steps"])):
                if "inject" in t:
                    check(s["inject"]["hex"] == t["inject"]["hex"], "%s step %d: inject" % (cid, i))
                check(first_alt_msgs(s) == first_alt_msgs(t), "%s step %d: messages" % (cid, i))
    sel = os.path.join(WORK, "sel.pcap")
    run("pcap", "from-vectors", "--case", "rpmsg-drv-ns-*", "-o", sel,
        os.path.join(VECTORS, "rpmsg-driver.json"))
    ids = {x["case_id"] for x in read_pcap(sel)}
    check(ids and all(i.startswith("rpmsg-drv-ns-") for i in ids), "--case selects: %s" % ids)


def mode_dmesg_vectors():
    cap = os.path.join(WORK, "dv.pcap")
    out = os.path.join(WORK, "dv.json")
    run("pcap", "import-dmesg", "-o", cap, os.path.join(DATA, "basic.dmesg"))
    run("pcap", "to-vectors", "-o", out, cap)
    validate(out)
    v = json.load(open(out))
    steps = v["groups"][0]["cases"][0]["steps"]
    check(v["role"] == "rpmsg-driver" and len(steps) == 2, "dmesg vectors: role, 2 steps")
    check(steps[0]["inject"]["channel"] == "vq0" and first_alt_msgs(steps[0])
          and steps[0]["expect"]["any_of"][0][0]["msg"]["channel"] == "vq1", "dmesg vectors: channels")
    # loadable by the strict loader: a run says how the model fares, whatever the outcome
    p = run("run", "--adapter", "model", "--quiet", "--vectors", out, rc=None)
    check(p.returncode in (0, 1) and "1 cases" in p.stdout, "dmesg vectors load: " + p.stdout + p.stderr)
    # split on the 2-second gap of the dmesg -T fixture
    cap = os.path.join(WORK, "dvt.pcap")
    run("pcap", "import-dmesg", "-o", cap, os.path.join(DATA, "human-time.dmesg"))
    run("pcap", "to-vectors", "--split-gap", "1", "--id-prefix", "rpmsg-drv-field", "-o", out, cap)
    validate(out)
    ids = [c["id"] for g in json.load(open(out))["groups"] for c in g["cases"]]
    check(ids == ["rpmsg-drv-field-1", "rpmsg-drv-field-2"], "--split-gap: %s" % ids)
    run("pcap", "to-vectors", "--id-prefix", "Bad Prefix", "-o", out, cap, rc=64)


os.makedirs(WORK, exist_ok=True)
{"dmesg": mode_dmesg, "roundtrip": mode_roundtrip, "from-to": mode_from_to,
 "dmesg-vectors": mode_dmesg_vectors}[MODE]()
if failures:
    print("%d check(s) failed" % len(failures))
    sys.exit(1)
print("ok")
