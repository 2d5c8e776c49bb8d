# SPDX-License-Identifier: MIT
"""dissector_raw: a raw RPMsg or virtio-msg message (an exported-PDU record naming "rpmsg" or
"virtio_msg", as `text2pcap -P rpmsg` writes) decodes with the preference defaults exactly as
`vconform decode` decodes the same hex with its defaults, and the preferences switch the RPMsg
byte order and the virtio-msg revision: the fields and violations then follow
`vconform decode --byte-order be` and `--rev rfc3`."""

import json
import re
import subprocess

import vcf_tshark as vt

NS_LE = ("00040000350000000000000028000000" + b"rpmsg-client-sample".ljust(32, b"\0").hex() +
         "0004000000000000")
NS_BE = ("00000400000000350000000000280000" + b"rpmsg-client-sample".ljust(32, b"\0").hex() +
         "0000040000000000")
DATA_BE = "0000040000000401000000000005000068656c6c6f"  # 0x400 -> 0x401, "hello"
VTOKEN = "0002010000000800"  # RFC3 requests need a token; PR28 leaves it to the bus
VRESP = "01020100010020000100000051454d55400000000c0000000300000000000000"


def model(vconform, proto, hexstr, *opts):
    p = subprocess.run([vconform, "decode", "-p", proto, "-f", "json"] + list(opts) + [hexstr],
                       stdout=subprocess.PIPE, universal_newlines=True)
    rec = json.loads(p.stdout)
    rec["frame"] = 0
    return rec


def split_choices(text):
    """'A (x, y), B' -> ['A (x, y)', 'B']: commas inside parentheses belong to the choice."""
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    return out + [cur.strip()] if cur.strip() else out


def prefs(ts, proto):
    """{pref name: (default, [choices])} of a protocol, from tshark -G defaultprefs."""
    out, choices = {}, []
    for line in ts.run(["-G", "defaultprefs"]).stdout.splitlines():
        m = re.match(r"#\s*One of: (.*)", line)
        if m:
            choices = split_choices(m.group(1))
            continue
        m = re.match(r"#?(%s\.[\w.]+):\s*(.*)" % re.escape(proto), line)
        if m:
            out[m.group(1)] = (m.group(2).strip(), choices)
            choices = []
        elif not line.startswith("#"):
            choices = []
    return out


def pick(table, name_re, value_re, what):
    for name, (_, choices) in table.items():
        if re.search(name_re, name, re.I):
            for c in choices or []:
                if re.search(value_re, c, re.I):
                    return "%s:%s" % (name, c)
            if not choices:  # a boolean or free-form preference
                return None
    vt.fail("no preference for %s among %s" % (what, sorted(table)))


def text2pcap(prog, ts, diss, hexstr, pcap):
    """The user's way: a hex dump turned into an exported-PDU capture by text2pcap -P."""
    dump = ts.path("raw.txt")
    with open(dump, "w") as f:
        data = bytes.fromhex(hexstr)
        for off in range(0, len(data), 16):
            f.write("%06x %s\n" % (off, " ".join("%02x" % b for b in data[off:off + 16])))
    p = subprocess.run([prog, "-q", "-P", diss, dump, pcap], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    if p.returncode != 0:
        vt.fail("text2pcap -P %s failed: %s" % (diss, p.stderr))


def run():
    ap = vt.arg_parser(__doc__)
    ap.add_argument("--text2pcap", default="text2pcap")
    args = ap.parse_args()
    cases = [
        # (name, dissector, hex, tshark -o options, vconform decode options)
        ("rpmsg NS, defaults", "rpmsg", NS_LE, [], []),
        ("rpmsg data, defaults", "rpmsg", "0004000001040000000000000500000068656c6c6f", [], []),
        ("virtio-msg response, defaults", "virtio_msg", VRESP, [], []),
        ("virtio-msg request without token, defaults (PR28)", "virtio_msg", VTOKEN, [], []),
    ]
    with vt.Tshark(args.tshark, args.plugin_root) as ts:
        ts.require_plugin()
        rp = prefs(ts, "rpmsg")
        vp = prefs(ts, "virtio_msg")
        print("rpmsg prefs: %s\nvirtio_msg prefs: %s" % (rp, vp))
        be = pick(rp, r"order|endian", r"big|\bbe\b", "the RPMsg byte order")
        rfc3 = pick(vp, r"rev", r"rfc\W*v?\s*3", "the virtio-msg revision")
        cases += [
            ("rpmsg NS, big-endian pref", "rpmsg", NS_BE, ["-o", be], ["-b", "be"]),
            ("rpmsg data, big-endian pref", "rpmsg", DATA_BE, ["-o", be], ["-b", "be"]),
            ("rpmsg LE NS read as big-endian", "rpmsg", NS_LE, ["-o", be], ["-b", "be"]),
            ("virtio-msg request without token, RFC3 pref", "virtio_msg", VTOKEN, ["-o", rfc3],
             ["--rev", "rfc3"]),
        ]
        problems = []
        cmp = vt.Comparison()
        for n, (name, diss, hexstr, wsopts, vopts) in enumerate(cases):
            pcap = ts.path("raw-%d.pcap" % n)
            if n == 0:
                text2pcap(args.text2pcap, ts, diss, hexstr, pcap)
            else:
                vt.write_pcap(pcap, vt.LINKTYPE_UPPER_PDU,
                              [vt.exported_pdu_tags(diss) + bytes.fromhex(hexstr)])
            ts.publish(pcap)
            layers = ts.packets(pcap, *wsopts)[0]
            rec = model(args.vconform, "rpmsg" if diss == "rpmsg" else "virtio-msg", hexstr,
                        *vopts)
            protos = vt.protocols(layers)
            if diss not in protos:
                problems.append("%s: protocol stack %s" % (name, ":".join(protos)))
                continue
            before = len(cmp.mismatches)
            flat = vt.flatten(layers)
            cmp.records += 1
            cmp.message(0, flat, rec, diss)
            cmp.violation_set(0, layers, rec, check_experts=False)
            for m in cmp.mismatches[before:]:
                problems.append("%s: %s: tshark %s, model %s" % (name, m[1], m[2], m[3]))
            print("%-50s model %-10s %d errors" % (name, rec["status"], len(rec["errors"])))
        # the prefs must change something: the RFC3 case has a violation the PR28 one has not
        statuses = {c[0]: model(args.vconform, "rpmsg" if c[1] == "rpmsg" else "virtio-msg",
                                c[2], *c[4])["status"] for c in cases}
        if statuses["virtio-msg request without token, RFC3 pref"] == \
                statuses["virtio-msg request without token, defaults (PR28)"]:
            problems.append("the revision cases do not differ in the model")
    for p in problems:
        print("MISMATCH " + p)
    cmp.report(limit=0)
    if problems:
        vt.fail("%d problems" % len(problems))


vt.main(run)
