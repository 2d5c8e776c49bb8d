#!/usr/bin/env bash
# The linux-uml suite of `make test` (docs/real-peers.md): the whole RPMsg driver-side suite
# against the real Linux kernel, booted as User-Mode Linux behind vconform's vhost-user device,
# and the check that the model's linux profile does on every case what the kernel did.
#
# usage: ci/linux-uml.sh BUILD_DIR OUT_DIR
#   BUILD_DIR  a configured and built tree (the gcc suite's): vconform, vconform-vhost, the agent
#   OUT_DIR    where the reports go (emptied first):
#                linux.txt/.json/.xml/.tap  the run against the kernel (human, JSON, JUnit, TAP)
#                linux.pcap                 every message of that run (open it in Wireshark)
#                logs/CASE.log              each case's kernel console, as the kernel printed it
#                model-linux.json           the same vectors against model:profile=linux
#                findings.md                every Linux-vs-strict difference with the kernel's
#                                           lines, the unsupported cases, and any case where the
#                                           profile and the kernel disagree
#                fuzz/                      the bounded differential fuzzing run
# Exit status: 0 when the run happened and the profile agrees with the kernel on every case.
# Linux's departures from the strict reading are findings, listed in findings.md; they do not
# fail the suite (the run's own exit status is 1 because of them).
# FUZZ_SECONDS_UML: length of the differential fuzzing run (default 60; 0 skips it).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bdir=$(cd "${1:?usage: ci/linux-uml.sh BUILD_DIR OUT_DIR}" && pwd)
out=${2:?usage: ci/linux-uml.sh BUILD_DIR OUT_DIR}
vc=$bdir/harness/vconform
status=0

fail() {
  echo "linux-uml: $*" >&2
  status=1
}

rm -rf "$out"
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)

start=$(date +%s.%N)
if ! kernel=$(bash "$root/ci/uml/build-kernel.sh" | tail -n 1) || [ ! -x "$kernel" ]; then
  echo "linux-uml: no kernel (ci/uml/build-kernel.sh failed)" >&2
  exit 1
fi
export VCONFORM_UML_KERNEL=$kernel
printf 'linux-uml: kernel %s (%.0f s to build or find)\n' "$kernel" \
  "$(echo "$(date +%s.%N) - $start" | bc)"

# 1. The driver-side suite against the kernel. Exit status 1 only says Linux failed cases;
#    2 means the run could not happen.
"$vc" run --quiet --role rpmsg-driver --vectors "$root/vectors" --timeout 60 \
  --adapter "linux-uml:log=$out/logs" --json "$out/linux.json" --junit "$out/linux.xml" \
  --tap "$out/linux.tap" --pcap "$out/linux.pcap" --stats --report human >"$out/linux.txt"
rc=$?
tail -n 2 "$out/linux.txt"
[ $rc -le 1 ] || fail "the run against the kernel could not happen (exit status $rc; $out/linux.txt)"

# 2. The same vectors against the model's linux profile, and the comparison.
"$vc" run --quiet --role rpmsg-driver --vectors "$root/vectors" --adapter model:profile=linux \
  --json "$out/model-linux.json" --report human >"$out/model-linux.txt"
[ $? -le 1 ] || fail "the run against model:profile=linux could not happen"
python3 "$root/ci/uml/linux-report.py" --kernel "$out/linux.json" --model "$out/model-linux.json" \
  --logs "$out/logs" --rules "$root/vectors/rules/rpmsg.json" --out "$out/findings.md" ||
  fail "the linux profile does not do what the kernel did: $out/findings.md"

# 3. The tests that need a kernel (vhost-user against the real front-end, the agent's boot, the
#    whole adapter), which the gcc suite skipped without one.
(cd "$bdir" && ctest --output-on-failure -L 'linux-uml') || fail "tests with label linux-uml"

# 4. A bounded differential fuzzing run: the kernel against the linux profile.
if [ "${FUZZ_SECONDS_UML:-60}" != 0 ] && [ -x "$root/ci/uml/fuzz-diff.sh" ]; then
  bash "$root/ci/uml/fuzz-diff.sh" "$bdir" "$out/fuzz" "${FUZZ_SECONDS_UML:-60}" ||
    fail "differential fuzzing against the kernel: $out/fuzz"
fi

echo "linux-uml: reports in $out (findings.md: Linux against the strict reading)"
exit $status
