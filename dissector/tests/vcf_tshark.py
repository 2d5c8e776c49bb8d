# SPDX-License-Identifier: MIT
"""Shared helpers for the tshark-driven dissector tests (docs/wireshark-tests.md).

- crafting vconform captures: pseudo-headers, exported-PDU tags, pcap files;
- running tshark with the freshly built plugin, as an unprivileged user when we are root
  (tshark ignores WIRESHARK_PLUGIN_DIR for root), from a world-readable staging directory;
- loading tshark's JSON and flattening it to "field -> values";
- running `vconform pcap decode --format json`, the model's decode of the same records.

Standard library only.
"""

import json
import os
import shutil
import stat
import struct
import subprocess
import sys
import tempfile

LINKTYPE_UPPER_PDU = 252
LINKTYPE_USER0 = 147
EXP_PDU_TAG_END_OF_OPT = 0
EXP_PDU_TAG_DISSECTOR_NAME = 12
PLUGIN_FILE = "vconform.so"
WS_ABI = "4.0"

# ---- failures -------------------------------------------------------------------------------


class TestFailure(Exception):
    """A test assertion that failed; main() prints it and exits 1."""


def fail(msg):
    raise TestFailure(msg)


def main(fn):
    """Run fn() and turn its outcome into an exit status (0 pass, 1 fail)."""
    try:
        fn()
    except TestFailure as e:
        print("FAIL: %s" % e, file=sys.stderr)
        sys.exit(1)
    print("PASS")
    sys.exit(0)


# ---- crafting captures ----------------------------------------------------------------------


def exported_pdu_tags(name=b"vconform"):
    """EXP_PDU_TAG_DISSECTOR_NAME <name> padded to 4 bytes, then END_OF_OPT."""
    if isinstance(name, str):
        name = name.encode()
    padded = name + b"\0" * (-len(name) % 4)
    return (struct.pack(">HH", EXP_PDU_TAG_DISSECTOR_NAME, len(padded)) + padded +
            struct.pack(">HH", EXP_PDU_TAG_END_OF_OPT, 0))


def pseudo_header(msg=b"", **kw):
    """A vconform pseudo-header (docs/capture-format.md) for msg; every field can be overridden
    by keyword (magic, version, protocol, hdr_len, direction, role, channel, byte_order, result,
    reserved, flags, capacity, used_len, orig_len, case_index, step_index, record_index,
    case_id, case_id_offset, case_id_len, bus, revision, link_flags, max_msg_size, instance)."""
    f = dict(magic=b"VCFP", version=2, protocol=1, direction=0, role=1, channel=0,
             byte_order=0, result=0, reserved=0, flags=0, capacity=512, used_len=None,
             orig_len=None, case_index=0, step_index=0, record_index=0, case_id=b"",
             case_id_offset=None, case_id_len=None, bus=1, revision=0, link_flags=0,
             max_msg_size=0, instance=0, hdr_len=None)
    unknown = set(kw) - set(f)
    if unknown:
        raise ValueError("unknown pseudo-header fields %s" % sorted(unknown))
    f.update(kw)
    case_id = f["case_id"].encode() if isinstance(f["case_id"], str) else f["case_id"]
    fixed = 56 if f["version"] >= 2 else 44
    padded = case_id + b"\0" * (-len(case_id) % 4)
    hdr_len = f["hdr_len"] if f["hdr_len"] is not None else fixed + len(padded)
    orig_len = f["orig_len"] if f["orig_len"] is not None else len(msg)
    used_len = f["used_len"] if f["used_len"] is not None else orig_len
    id_off = f["case_id_offset"]
    if id_off is None:
        id_off = fixed if case_id else 0
    id_len = f["case_id_len"] if f["case_id_len"] is not None else len(case_id)
    b = bytearray(f["magic"][:4].ljust(4, b"\0"))
    b += struct.pack("<BBH", f["version"], f["protocol"], hdr_len & 0xFFFF)
    b += struct.pack("<BBBBBB", f["direction"], f["role"], f["channel"], f["byte_order"],
                     f["result"], f["reserved"])
    b += struct.pack("<HIIIIII", f["flags"], f["capacity"], used_len, orig_len,
                     f["case_index"], f["step_index"], f["record_index"])
    b += struct.pack("<HH", id_off, id_len)
    if f["version"] >= 2:
        b += struct.pack("<BBHII", f["bus"], f["revision"], f["link_flags"],
                         f["max_msg_size"], f["instance"])
    b += padded
    return bytes(b)


def record(msg, linktype=LINKTYPE_UPPER_PDU, **kw):
    """One capture record: [tags +] pseudo-header + msg."""
    body = pseudo_header(msg, **kw) + msg
    if linktype == LINKTYPE_UPPER_PDU:
        return exported_pdu_tags() + body
    return body


def write_pcap(path, linktype, records, snaplen=262144):
    """A classic little-endian microsecond pcap. records: bytes, or (bytes, ts_sec, ts_usec),
    or (bytes, ts_sec, ts_usec, orig_len)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
        for i, r in enumerate(records):
            if isinstance(r, (bytes, bytearray)):
                r = (bytes(r), i, 0)
            data, sec, usec = r[0], r[1], r[2]
            orig = r[3] if len(r) > 3 else len(data)
            f.write(struct.pack("<IIII", sec, usec, len(data), orig))
            f.write(data)


def read_pcap(path):
    """(linktype, [(ts_sec, ts_usec, bytes)]) of a classic pcap file (either byte order)."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        e = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        e = ">"
    else:
        fail("%s: not a classic pcap file (magic %08x)" % (path, magic))
    linktype = struct.unpack(e + "I", data[20:24])[0]
    out, off = [], 24
    while off + 16 <= len(data):
        sec, usec, incl, _orig = struct.unpack(e + "IIII", data[off:off + 16])
        out.append((sec, usec, data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return linktype, out


def strip_tags(rec):
    """The record without its exported-PDU tags (walks the TLVs to END_OF_OPT)."""
    off = 0
    while off + 4 <= len(rec):
        tag, n = struct.unpack(">HH", rec[off:off + 4])
        off += 4 + n
        if tag == EXP_PDU_TAG_END_OF_OPT:
            return rec[off:]
    fail("record without an END_OF_OPT tag")


# ---- running tshark with the plugin -----------------------------------------------------------


class Tshark:
    """tshark with the built plugin, from a private world-readable staging directory.

    Use as a context manager; the directory is removed on exit. As root, tshark runs as
    nobody (setpriv) because it ignores WIRESHARK_PLUGIN_DIR when the real uid is 0."""

    def __init__(self, tshark, plugin_root):
        if not tshark or not os.access(tshark, os.X_OK):
            fail("tshark not found (%r): install tshark (Debian: tshark) to test the dissector"
                 % tshark)
        so = os.path.join(plugin_root or "", WS_ABI, "epan", PLUGIN_FILE)
        if not os.path.isfile(so):
            fail("the plugin is not built: %s does not exist (build the vcf_wireshark_plugin "
                 "target)" % so)
        self.tshark = tshark
        self.so = so
        self.dir = None
        self.prefix = []
        if os.getuid() == 0:
            setpriv = shutil.which("setpriv")
            if not setpriv:
                fail("running as root and setpriv (util-linux) is missing: tshark would ignore "
                     "WIRESHARK_PLUGIN_DIR")
            self.prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]

    def __enter__(self):
        # /tmp is traversable by everyone; the build tree may not be (CI clones into a 0700
        # directory), so the plugin and every capture are copied here.
        self.dir = tempfile.mkdtemp(prefix="vcf-tshark-", dir="/tmp")
        os.chmod(self.dir, 0o755)
        epan = os.path.join(self.dir, "plugins", WS_ABI, "epan")
        os.makedirs(epan)
        shutil.copy(self.so, os.path.join(epan, PLUGIN_FILE))
        for root, dirs, files in os.walk(self.dir):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
            for f in files:
                os.chmod(os.path.join(root, f), 0o644)
        return self

    def __exit__(self, *exc):
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
        return False

    def path(self, name):
        """A path inside the staging directory (for captures written by the test)."""
        return os.path.join(self.dir, name)

    def stage(self, src, name=None):
        """Copy a file into the staging directory, readable by everyone; its new path."""
        dst = self.path(name or os.path.basename(src))
        shutil.copy(src, dst)
        os.chmod(dst, 0o644)
        return dst

    def publish(self, path):
        """Make a file written into the staging directory readable by everyone."""
        os.chmod(path, 0o644)
        return path

    def run(self, args, check=True):
        """Run tshark ARGS; a CompletedProcess with text stdout/stderr. check: fail unless it
        exits 0 without a dissector bug."""
        env = dict(os.environ)
        env.update(HOME="/nonexistent", WIRESHARK_PLUGIN_DIR=os.path.join(self.dir, "plugins"),
                   LC_ALL="C.UTF-8")
        env.pop("WIRESHARK_CONFIG_DIR", None)
        cmd = self.prefix + [self.tshark] + list(args)
        p = subprocess.run(cmd, env=env, cwd=self.dir, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True,
                           errors="replace")
        if check:
            if p.returncode != 0:
                fail("tshark %s exited %d:\n%s" % (" ".join(args), p.returncode,
                                                   tail(p.stderr)))
            for out in (p.stdout, p.stderr) if "-r" in args else ():
                if "Dissector bug" in out or "_ws.dissector_bug" in out:
                    fail("tshark %s reported a dissector bug:\n%s" %
                         (" ".join(args), grep_context(out, "Dissector bug")))
        return p

    def require_plugin(self):
        """Fail loudly unless `tshark -G plugins` lists our vconform.so from the staging dir."""
        p = self.run(["-G", "plugins"])
        for line in p.stdout.splitlines():
            cols = line.split()
            if cols and cols[0] == PLUGIN_FILE and line.rstrip().endswith(
                    os.path.join(self.dir, "plugins", WS_ABI, "epan", PLUGIN_FILE)):
                return line
        fail("tshark does not load %s from %s.\ntshark -G plugins printed:\n%s\nstderr:\n%s" %
             (PLUGIN_FILE, self.dir, p.stdout or "(nothing)", tail(p.stderr)))

    def packets(self, pcap, *extra):
        """tshark -T json of a staged capture: a list of per-frame 'layers' dicts."""
        p = self.run(["-r", pcap, "-T", "json", "--no-duplicate-keys"] + list(extra))
        try:
            data = json.loads(p.stdout, object_pairs_hook=merge_duplicates)
        except ValueError as e:
            fail("tshark -T json printed invalid JSON (%s):\n%s" % (e, p.stdout[:2000]))
        return [pkt["_source"]["layers"] for pkt in data]


def merge_duplicates(pairs):
    """object_pairs_hook: keep every value of a repeated key (as a list), in order."""
    out = {}
    for k, v in pairs:
        if k in out:
            if not isinstance(out[k], list) or not getattr(out[k], "merged", False):
                out[k] = MergedList([out[k]])
            out[k].append(v)
        else:
            out[k] = v
    return out


class MergedList(list):
    merged = True


def tail(text, n=40):
    lines = text.splitlines()
    return "\n".join(lines[-n:]) if lines else "(nothing)"


def grep_context(text, needle, n=5):
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if needle in line:
            return "\n".join(lines[max(0, i - n):i + n])
    return ""


# ---- reading tshark's JSON --------------------------------------------------------------------


def flatten(layer, prefixes=("vconform", "rpmsg", "virtio_msg", "_ws")):
    """Every filter field under layer whose name starts with one of prefixes + '.', as
    {field: [values in tree order]}. Subtrees ('x_tree', text-only items) are walked."""
    out = {}

    def add(k, v):
        out.setdefault(k, []).append(v)

    def walk(obj):
        if isinstance(obj, dict):
            for k, v in obj.items():
                name = k[:-5] if k.endswith("_tree") else k
                is_field = any(name.startswith(p + ".") for p in prefixes)
                if k.endswith("_tree") or not is_field:
                    walk(v)
                    continue
                for item in (v if isinstance(v, list) else [v]):
                    if isinstance(item, (dict, list)):
                        walk(item)
                    else:
                        add(k, item)
        elif isinstance(obj, list):
            for x in obj:
                walk(x)

    walk(layer)
    return out


def protocols(layers):
    """The frame's protocol stack, e.g. ['exported_pdu', 'vconform', 'rpmsg']."""
    fr = layers.get("frame", {})
    v = fr.get("frame.protocols", "")
    if isinstance(v, list):
        v = v[0]
    return v.split(":") if v else []


def violations(layers):
    """The dissector's violations: a list of dicts with code, rule, offset, cls, text (None
    where absent). Each violation is a vconform.violation item whose subtree holds the rest;
    a flat layout (parallel lists in one subtree) is accepted when it can be aligned."""
    found = []

    def one(d):
        def get(k):
            v = d.get(k)
            return v[0] if isinstance(v, list) and v else v
        off = get("vconform.violation.offset")
        return dict(code=get("vconform.violation.code"), rule=get("vconform.rule"),
                    offset=int(off, 0) if off is not None else None,
                    cls=get("vconform.violation.class"), field=get("vconform.violation.field"))

    def walk(obj):
        if isinstance(obj, dict):
            if "vconform.violation.code" in obj:
                codes = obj["vconform.violation.code"]
                if isinstance(codes, list):
                    n = len(codes)
                    cols = {}
                    for k in ("vconform.violation.offset", "vconform.violation.class",
                              "vconform.violation.field", "vconform.rule"):
                        v = obj.get(k)
                        cols[k] = v if isinstance(v, list) else ([v] * n if v else [None] * n)
                    for i in range(n):
                        found.append(one({k: (v[i] if i < len(v) else None)
                                          for k, v in list(cols.items()) +
                                          [("vconform.violation.code", codes)]}))
                else:
                    found.append(one(obj))
                for k, v in obj.items():
                    if k.endswith("_tree") or isinstance(v, dict):
                        walk(v)
                return
            for v in obj.values():
                walk(v)
        elif isinstance(obj, list):
            for x in obj:
                walk(x)

    walk(layers)
    return found


def experts(layers):
    """Every expert item of the frame: list of (severity, group, message)."""
    out = []

    def walk(obj):
        if isinstance(obj, dict):
            if "_ws.expert.message" in obj or "_ws.expert.severity" in obj:
                def first(k):
                    v = obj.get(k)
                    return v[0] if isinstance(v, list) and v else v
                out.append((first("_ws.expert.severity"), first("_ws.expert.group"),
                            first("_ws.expert.message")))
            for v in obj.values():
                walk(v)
        elif isinstance(obj, list):
            for x in obj:
                walk(x)

    walk(layers)
    return out


def is_malformed(layers):
    return "_ws.malformed" in json.dumps(layers)


# ---- the model's decode -------------------------------------------------------------------------


def model_decode(vconform, pcap):
    """vconform pcap decode --format json --rules: (list of per-record objects, exit status)."""
    p = subprocess.run([vconform, "pcap", "decode", "--format", "json", "--rules", pcap],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    if p.returncode not in (0, 1, 2):
        fail("vconform pcap decode %s exited %d:\n%s" % (pcap, p.returncode, tail(p.stderr)))
    try:
        recs = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
    except ValueError as e:
        fail("vconform pcap decode printed invalid JSON: %s" % e)
    return recs, p.returncode


def model_fields(fields, prefix):
    """The model's JSON "fields" as {filter field: [(kind, value)]}: kind 'uint' (int), 'bytes'
    (lower-case hex) or 'string' (text). Groups join their names with '.', array elements use
    the array's own path."""
    out = {}

    def leaf(path, o):
        if "value" in o:
            v = o["value"]
            out.setdefault(path, []).append(("uint", int(v, 0) if isinstance(v, str) else v))
        elif "text" in o:
            out.setdefault(path, []).append(("string", o["text"]))
        else:
            out.setdefault(path, []).append(("bytes", o["hex"]))

    def walk(path, obj):
        if isinstance(obj, list):
            for x in obj:
                walk(path, x)
        elif isinstance(obj, dict) and "offset" in obj and "size" in obj:
            leaf(path, obj)
        elif isinstance(obj, dict):
            for k, v in obj.items():
                walk(path + "." + k, v)

    walk(prefix, fields)
    return out


def ws_value_matches(kind, model, ws):
    """Whether tshark's JSON text for a field equals the model's value."""
    if ws is None:
        return False
    if kind == "uint":
        try:
            return int(ws, 0) == model
        except ValueError:
            return False
    if kind == "bytes":
        return ws.replace(":", "").lower() == model.lower()
    return ws == model


def arg_parser(doc):
    import argparse
    ap = argparse.ArgumentParser(description=doc)
    ap.add_argument("--tshark", default="", help="path to tshark")
    ap.add_argument("--plugin-root", default="", help="WIRESHARK_PLUGIN_DIR layout root")
    ap.add_argument("--vconform", default="", help="the vconform program")
    ap.add_argument("--pcap", default="", help="golden capture (vconform run --pcap)")
    return ap


# ---- comparing one record: tshark against the model ----------------------------------------------

PI_SEVERITY = {"error": 0x00800000, "warn": 0x00600000, "note": 0x00400000, "chat": 0x00200000}
PI_MALFORMED = 0x07000000
LEVEL_SEVERITY = {"MUST": "error", "SHOULD": "warn", "MAY": "note", "IMPL": "note"}
# fields of the message protocols that the model's describe output does not have
WS_ONLY = {"kind", "response_in", "response_to", "response_time",
           # RPMsg: the service an address was announced for (name-service bookkeeping)
           "service_name"}
FLAG_BITS = {"flags": {"truncated": 1, "synthesized": 2, "failed_step": 4},
             "link_flags": {"ns_known": 1, "ns": 2, "padding": 4}}


def severity_of(v):
    """tshark's _ws.expert.severity (a number or a name) as 'error', 'warn', 'note', 'chat'."""
    if v is None:
        return None
    try:
        n = int(v, 0)
        for name, val in PI_SEVERITY.items():
            if n == val:
                return name
        return str(n)
    except ValueError:
        return v.lower().replace("warning", "warn")


def group_is_malformed(v):
    if v is None:
        return False
    try:
        return int(v, 0) == PI_MALFORMED
    except ValueError:
        return v.lower() == "malformed"


def ws_bool(v):
    if v in ("1", "True", "true"):
        return True
    if v in ("0", "False", "false"):
        return False
    return None


class Comparison:
    """Compares tshark's decode of records with `vconform pcap decode`'s, counting what was
    compared and collecting mismatches as (frame, what, tshark value, model value)."""

    def __init__(self):
        self.records = 0
        self.fields = 0
        self.header_fields = 0
        self.violations = 0
        self.experts = 0
        self.mismatches = []

    def diff(self, frame, what, ws, model):
        self.mismatches.append((frame, what, ws, model))

    def record(self, layers, rec, check_experts=True):
        """Compare one frame (tshark layers) with one `pcap decode` record."""
        frame = rec["frame"]
        self.records += 1
        flat = flatten(layers)
        protos = protocols(layers)
        if "vconform" not in protos:
            self.diff(frame, "protocol stack", ":".join(protos), "...:vconform:...")
            return
        if rec["status"] == "unreadable-record":
            if not (is_malformed(layers) or any(severity_of(s) == "error"
                                                for s, _, _ in experts(layers))):
                self.diff(frame, "unreadable record: expert error or _ws.malformed", "none",
                          rec.get("error"))
            return
        self.pseudo_header(frame, flat, rec["pseudo_header"])
        pref = "rpmsg" if rec["protocol"] == "rpmsg" else "virtio_msg"
        if pref not in protos and rec["length"] > 0:  # no message dissector for 0 bytes
            self.diff(frame, "protocol", ":".join(protos), pref)
            return
        self.message(frame, flat, rec, pref)
        self.violation_set(frame, layers, rec, check_experts)

    def pseudo_header(self, frame, flat, ph):
        for name, mv in ph.items():
            key = "vconform." + name
            wv = flat.get(key)
            self.header_fields += 1
            if wv is None:
                if mv is None:
                    continue
                self.diff(frame, key, "(absent)", mv)
                continue
            if len(wv) != 1:
                self.diff(frame, key, wv, mv)
                continue
            w = wv[0]
            if name == "magic":
                ok = (w == "VCFP") or (ws_value_matches("uint", mv, w))
            elif name == "case_id":
                ok = w == mv
            else:
                ok = ws_value_matches("uint", mv, w)
            if not ok:
                self.diff(frame, key, w, mv)
            for bit, mask in FLAG_BITS.get(name, {}).items():
                bk = "%s.%s" % (key, bit)
                bv = flat.get(bk)
                self.header_fields += 1
                if not bv or ws_bool(bv[0]) != bool(mv & mask):
                    self.diff(frame, bk, bv, bool(mv & mask))

    def message(self, frame, flat, rec, pref):
        kind = flat.get(pref + ".kind")
        if "message" in rec:
            self.fields += 1
            if kind != [rec["message"]]:
                self.diff(frame, pref + ".kind", kind, rec["message"])
        elif kind is not None:
            self.diff(frame, pref + ".kind (the model could not parse the message)", kind,
                      "(absent)")
        if "fields" not in rec:
            return  # malformed: the dissector shows what it can read; nothing to compare
        model = model_fields(rec["fields"], pref)
        ws = {k: v for k, v in flat.items()
              if k.startswith(pref + ".") and k[len(pref) + 1:] not in WS_ONLY}
        for path, mvals in model.items():
            wvals = ws.get(path, [])
            if mvals[0][0] == "uint" and not wvals and path + "_value" in ws:
                # a path that is bytes in some messages and a number in others: the dissector
                # registers the number as <path>_value
                wvals = ws[path + "_value"]
            if len(wvals) != len(mvals):
                self.diff(frame, path, wvals, [v for _, v in mvals])
                continue
            for (kind_, mv), wv in zip(mvals, wvals):
                self.fields += 1
                if not ws_value_matches(kind_, mv, wv):
                    self.diff(frame, path, wv, mv)
        for path in sorted(set(ws) - set(model)):
            if all(v == "" for v in ws[path]):
                continue  # a group's own item (FT_NONE): the model's group, not a field
            if path.endswith("_value") and path[:-6] in model:
                continue  # compared above, as the path's unsigned variant
            self.diff(frame, path + " (only in tshark)", ws[path], "(absent)")

    def violation_set(self, frame, layers, rec, check_experts):
        import collections
        model = collections.Counter((e["code"], e["rule"], e["offset"]) for e in rec["errors"])
        found = violations(layers)
        ws = collections.Counter((v["code"], v["rule"], v["offset"]) for v in found)
        self.violations += sum(model.values())
        if model != ws:
            self.diff(frame, "violations (code, rule, offset)", sorted(ws.elements(), key=str),
                      sorted(model.elements(), key=str))
        if not check_experts:
            return
        levels = {r["id"]: r["level"] for r in rec.get("rules", [])}
        ex = experts(layers)
        for e in rec["errors"]:
            self.experts += 1
            if e["rule"]:
                want = LEVEL_SEVERITY.get(levels.get(e["rule"]), None)
                hits = [x for x in ex if x[2] and "[%s]" % e["rule"] in x[2]]
                if not hits:
                    self.diff(frame, "expert item naming [%s]" % e["rule"], ex, e["text"])
                elif want and not any(severity_of(s) == want for s, _, _ in hits):
                    self.diff(frame, "expert severity for %s" % e["rule"],
                              [severity_of(s) for s, _, _ in hits], want)
            elif e["class"] == "structural":
                if not any(severity_of(s) == "error" and group_is_malformed(g)
                           for s, g, _ in ex):
                    self.diff(frame, "expert Error/Malformed for %s" % e["code"], ex, e["text"])

    def report(self, limit=25):
        for frame, what, ws, model in self.mismatches[:limit]:
            print("MISMATCH frame %s: %s\n    tshark: %s\n    model:  %s" %
                  (frame, what, ws, model))
        if len(self.mismatches) > limit:
            print("... and %d more mismatches" % (len(self.mismatches) - limit))
        kinds = {}
        for frame, what, _, _ in self.mismatches:
            k = kinds.setdefault(what, [0, frame])
            k[0] += 1
        for what, (n, frame) in sorted(kinds.items(), key=lambda x: -x[1][0]):
            print("  %5d x %s (first in frame %s)" % (n, what, frame))
        print("compared: %d records, %d pseudo-header fields, %d message fields, %d violations,"
              " %d expert items; %d mismatches" %
              (self.records, self.header_fields, self.fields, self.violations, self.experts,
               len(self.mismatches)))
