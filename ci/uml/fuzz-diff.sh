#!/usr/bin/env bash
# A bounded differential fuzzing run against the real Linux kernel (docs/real-peers.md): the
# libFuzzer diff target (docs/fuzzing-diff.md) plays mutated RPMsg driver-side scripts against
# --adapter linux-uml and against model:profile=linux, and reports where they differ, decoded.
#
# usage: ci/uml/fuzz-diff.sh BUILD_DIR OUT_DIR SECONDS
#   BUILD_DIR  the build holding vconform-vhost and the agent (the gcc suite's)
#   OUT_DIR    corpus/, the finding (crash-*), fuzz.log, findings.txt
# The engine build is $VCF_FUZZ_BUILD (default build/fuzz-libfuzzer, which the fuzz-libfuzzer
# suite builds; made with fuzz/campaign.sh --build-only when missing). VCONFORM_UML_KERNEL must
# name the kernel. Each input boots a kernel, so expect a few executions per second: the run
# starts with the 151 driver-side seeds and mutates from there.
# Exit status: 0 when the run happened (a divergence is a finding, printed decoded and kept in
# OUT_DIR, not a failure of the run), 1 when it could not run.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bdir=${1:?usage: ci/uml/fuzz-diff.sh BUILD_DIR OUT_DIR SECONDS}
out=${2:?usage: ci/uml/fuzz-diff.sh BUILD_DIR OUT_DIR SECONDS}
secs=${3:?usage: ci/uml/fuzz-diff.sh BUILD_DIR OUT_DIR SECONDS}
fz=${VCF_FUZZ_BUILD:-$root/build/fuzz-libfuzzer}

[ -n "${VCONFORM_UML_KERNEL:-}" ] || { echo "fuzz-diff: VCONFORM_UML_KERNEL is not set" >&2; exit 1; }
if [ ! -x "$fz/fuzz/fuzz_diff" ]; then
  echo "fuzz-diff: no libFuzzer build in $fz: building one (fuzz/campaign.sh --build-only)" >&2
  VCF_BUILD_ROOT=$(dirname "$fz") bash "$root/fuzz/campaign.sh" diff --engine libfuzzer \
    --build "$fz" --build-only >/dev/null || exit 1
fi
rm -rf "$out"
mkdir -p "$out/corpus" "$out/seeds"
"$fz/fuzz/vcf-fuzz-seeds" --vectors "$root/vectors" --out "$out/all-seeds" >/dev/null ||
  { echo "fuzz-diff: generating the seeds failed" >&2; exit 1; }
cp "$out/all-seeds/diff/"rpmsg-drv-* "$out/seeds/"
rm -rf "$out/all-seeds"

export VCONFORM_FUZZ_ADAPTER=linux-uml
export VCONFORM_FUZZ_REFERENCE=model:profile=linux
export VCONFORM_FUZZ_ROLE=rpmsg-driver
export VCONFORM_FUZZ_TIMEOUT=60
export VCONFORM_VHOST=$bdir/harness/uml/vconform-vhost
echo "fuzz-diff: $secs s of linux-uml against model:profile=linux, from $(ls "$out/seeds" | wc -l) seeds"
"$fz/fuzz/fuzz_diff" -max_total_time="$secs" -timeout=300 -print_final_stats=1 \
  -dict="$fz/fuzz/dict/diff.dict" -artifact_prefix="$out/" "$out/corpus" "$out/seeds" \
  >"$out/fuzz.log" 2>&1
rc=$?
grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added)' \
  "$out/fuzz.log" | sed 's/^/  /'
case $rc in
0)
  echo "fuzz-diff: no divergence" | tee "$out/findings.txt"
  ;;
2)
  tail -n 20 "$out/fuzz.log" >&2
  echo "fuzz-diff: the target could not start (log: $out/fuzz.log)" >&2
  exit 1
  ;;
*)
  # The target printed the divergence decoded (both transcripts, the first difference)
  # before it reported the finding; keep that account and the input.
  {
    echo "fuzz-diff: a divergence between Linux and model:profile=linux (libFuzzer exit $rc)"
    ls "$out"/crash-* "$out"/timeout-* 2>/dev/null
    sed -n '/^=== vconform diff/,/^differs:/p' "$out/fuzz.log" | cut -c1-300 | head -n 80
  } | tee "$out/findings.txt"
  ;;
esac
exit 0
