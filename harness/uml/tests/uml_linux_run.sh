#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The RPMsg driver vectors against Linux's virtio_rpmsg_bus in User-Mode Linux
# (vconform run --adapter linux-uml). Needs a UML kernel at $VCONFORM_UML_KERNEL
# (ci/uml/build-kernel.sh); exits 77 (skipped) without one.
#
#   uml_linux_run.sh VCONFORM WORKDIR
#
# Checks that the run completes, that every rpmsg-driver case has a result, that none was
# skipped and that no case failed because of the adapter itself (an adapter error, a kernel
# that did not boot). Whether Linux passes a case is the comparison's business, not this one's.
set -u
vconform=$1
work=$2

if [[ -z "${VCONFORM_UML_KERNEL:-}" || ! -x "$VCONFORM_UML_KERNEL" ]]; then
    echo "skipped: no UML kernel (set VCONFORM_UML_KERNEL; ci/uml/build-kernel.sh builds one)"
    exit 77
fi

rm -rf "$work"
mkdir -p "$work/logs"
start=$(date +%s.%N)
"$vconform" run --adapter "linux-uml:log=$work/logs" --role rpmsg-driver --timeout 30 \
    --json "$work/out.json" >"$work/report.txt" 2>"$work/stderr.txt"
status=$?
end=$(date +%s.%N)
cat "$work/report.txt"
if [[ $status -ne 0 && $status -ne 1 ]]; then
    echo "FAIL: vconform run exited with status $status (2: a usage, vector or adapter error)"
    tail -20 "$work/stderr.txt"
    exit 1
fi

python3 - "$work/out.json" "$vconform" "$start" "$end" <<'PY'
import json, subprocess, sys
out, vconform, start, end = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
run = json.load(open(out))
listed = subprocess.run([vconform, "run", "--role", "rpmsg-driver", "--list"],
                        capture_output=True, text=True, check=True).stdout.split("\n")
expected = {line.split()[0] for line in listed if line.strip()}
cases = run["cases"]
got = {c["id"] for c in cases}
bad = []
if got != expected:
    bad.append("cases without a result: %s; unexpected: %s"
               % (sorted(expected - got)[:10], sorted(got - expected)[:10]))
adapter_words = ("adapter process", "no answer within", "restarting the adapter",
                 "reset failed", "did not boot", "no virtio_rpmsg_bus driver",
                 "no \"vconform-agent: ready\"", "not run:", "no answer from the agent",
                 "garbage from the agent", "malformed reply from the agent", "vhost-user:",
                 "no UML instance")
for c in cases:
    msg = c.get("message") or ""
    if c["result"] == "skipped":
        bad.append("%s: skipped: %s" % (c["id"], msg.splitlines()[0] if msg else ""))
    elif any(w in msg for w in adapter_words):
        bad.append("%s: adapter error: %s" % (c["id"], msg.splitlines()[0]))
s = run["summary"]
print("linux-uml: %d cases in %.1f s: %d passed, %d failed, %d non-strict, %d unsupported"
      % (s["total"], end - start, s["passed"], s["failed"], s["non_strict"], s["unsupported"]))
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY
