#!/usr/bin/env bash
# The main job (`make run`): replay the whole golden suite against the embedded reference model
# in every role, print the human report, and write the machine-readable reports and the capture
# into out/:
#   out/report.json   JSON results (docs/reports.md)
#   out/report.xml    JUnit XML, one suite per rule area
#   out/report.tap    TAP 13
#   out/run.pcap      every injected and observed message (docs/capture-format.md)
# Exits with vconform run's status: 0 when every required case passed.
#
# usage: ci/main-job.sh BUILD_DIR [OUT_DIR] [extra vconform run options...]
set -uo pipefail
build=${1:?usage: ci/main-job.sh BUILD_DIR [OUT_DIR]}
out=${2:-out}
shift $(($# >= 2 ? 2 : 1))
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
"$build/harness/vconform" run --adapter model --vectors "$root/vectors" \
  --json "$out/report.json" --junit "$out/report.xml" --tap "$out/report.tap" \
  --pcap "$out/run.pcap" "$@"
status=$?
echo
echo "reports: $out/report.json $out/report.xml $out/report.tap; capture: $out/run.pcap"
exit $status
