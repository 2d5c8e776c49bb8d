#!/usr/bin/env python3
"""Findings report for a run against the real Linux kernel (docs/real-peers.md).

Reads two `vconform run --json` reports over the same vectors: one against the real kernel
(`--adapter linux-uml`) and one against the model's linux profile (`--adapter
model:profile=linux`). Writes a Markdown report that lists

  - every case where Linux departs from the strict reading of the vectors (a failed or
    non-strict case), with the rules involved, what the harness expected and saw, and the
    kernel's own log lines for that case (from `linux-uml:log=DIR`);
  - every case Linux could not run (unsupported), grouped by reason;
  - every case where the model's linux profile does not do what the kernel did.

Exit status: 0 when the profile agrees with the kernel on every case the kernel ran, 1 when it
does not (or when a case is missing from either report), 2 on bad input.

usage: linux-report.py --kernel K.json --model M.json [--logs DIR] [--rules RULES.json]
                       [--out FILE.md]
"""
import argparse
import json
import os
import re
import sys

RAN = ("pass", "fail", "non_strict")


def load(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"linux-report: {path}: cannot read the {what} report: {e}", file=sys.stderr)
        sys.exit(2)


def observed(message):
    """The failing step and what was observed there, from a case's failure message."""
    if not message:
        return ""
    step = message.split("\n", 1)[0]
    m = re.search(r"\n  observed:\n(.*)\Z", message, re.S)
    return step + "\n" + (m.group(1) if m else message)


def case_log(logs, cid):
    """The kernel's lines of a case: everything after the agent said it was ready, without the
    boot noise; the harness's own `# vconform-vhost` lines are kept (they say what was done)."""
    if not logs:
        return []
    name = re.sub(r"[^A-Za-z0-9._-]", "_", cid)
    path = os.path.join(logs, name + ".log")
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    start = 0
    for i, line in enumerate(lines):
        if "vconform-agent: ready" in line:
            start = i + 1
    keep = []
    for line in lines[start:]:
        if not line.strip() or "reboot: " in line or "System halted" in line:
            continue
        keep.append(line)
    return keep[:40] + (["..."] if len(keep) > 40 else [])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--logs")
    ap.add_argument("--rules")
    ap.add_argument("--out")
    a = ap.parse_args()

    kern = load(a.kernel, "kernel")
    model = load(a.model, "model")
    titles = {}
    if a.rules:
        for r in load(a.rules, "rules").get("rules", []):
            titles[r["id"]] = (r.get("level", ""), r.get("title", ""))

    kcases = {c["id"]: c for c in kern.get("cases", [])}
    mcases = {c["id"]: c for c in model.get("cases", [])}
    order = [c["id"] for c in kern.get("cases", [])]

    findings, unsupported, disagree, missing = [], {}, [], []
    for cid in order:
        k = kcases[cid]
        m = mcases.get(cid)
        if k["result"] == "unsupported":
            reason = (k.get("message") or "").strip().split("\n")[0]
            unsupported.setdefault(reason, []).append(cid)
            continue
        if m is None:
            missing.append(cid)
            continue
        if k["result"] in ("fail", "non_strict"):
            findings.append(k)
        same = k["result"] == m["result"]
        if same and k["result"] != "pass":
            same = (k.get("failed_step") == m.get("failed_step") and
                    observed(k.get("message")) == observed(m.get("message")))
        if not same or k["result"] not in RAN:
            disagree.append((k, m))

    out = []
    w = out.append
    ks = kern.get("summary", {})
    w("# Linux RPMsg driver: conformance findings\n")
    w(f"Implementation: {kern.get('adapter_name', '?')} {kern.get('adapter_version', '')} "
      f"(adapter `{kern.get('adapter', '?')}`), vconform {kern.get('version', '?')}.\n")
    w(f"Reference: the model's linux profile (`{model.get('adapter', '?')}`).\n")
    w("| cases | passed | departs from strict | non-strict | unsupported | profile disagrees |")
    w("|---|---|---|---|---|---|")
    w(f"| {ks.get('total', len(order))} | {ks.get('passed', 0)} | {ks.get('failed', 0)} | "
      f"{ks.get('non_strict', 0)} | {ks.get('unsupported', 0)} | {len(disagree) + len(missing)} |\n")

    w("## Where Linux departs from the strict reading\n")
    if not findings:
        w("None.\n")
    for k in findings:
        rules = ", ".join(
            f"{r} ({titles[r][0]}: {titles[r][1]})" if r in titles else r for r in k.get("rules", []))
        w(f"### `{k['id']}` — {k['result'].replace('_', '-')}, level {k.get('level', '?')}\n")
        w(f"Rules: {rules}\n")
        m = mcases.get(k["id"])
        agrees = m is not None and (k, m) not in disagree
        w("The linux profile " + ("reproduces this." if agrees else "does NOT reproduce this.") + "\n")
        w("```")
        w((k.get("message") or "").rstrip())
        w("```")
        log = case_log(a.logs, k["id"])
        if log:
            w("Kernel log of the case:\n")
            w("```")
            w("\n".join(log))
            w("```")
        w("")

    w("## Not run on Linux (unsupported)\n")
    if not unsupported:
        w("None.\n")
    for reason, ids in sorted(unsupported.items(), key=lambda x: -len(x[1])):
        w(f"- {len(ids)} case(s): {reason}")
        w("  " + ", ".join(f"`{i}`" for i in ids))
    w("")

    w("## The linux profile against the kernel\n")
    if not disagree and not missing:
        w(f"The profile agrees with the kernel on every one of the "
          f"{sum(1 for c in order if kcases[c]['result'] in RAN)} cases the kernel ran.\n")
    for cid in missing:
        w(f"- `{cid}`: missing from the model's report")
    for k, m in disagree:
        w(f"### `{k['id']}`: kernel {k['result']}, profile {m['result']}\n")
        w("Kernel:\n```\n" + (k.get("message") or "(pass)").rstrip() + "\n```")
        w("Profile:\n```\n" + (m.get("message") or "(pass)").rstrip() + "\n```\n")

    text = "\n".join(out) + "\n"
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    n_bad = len(disagree) + len(missing)
    print(f"linux-report: {len(order)} cases, {len(findings)} departures from strict, "
          f"{sum(len(v) for v in unsupported.values())} unsupported, "
          f"{n_bad} where the linux profile disagrees with the kernel", file=sys.stderr)
    return 1 if n_bad else 0


if __name__ == "__main__":
    sys.exit(main())
