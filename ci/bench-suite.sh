#!/usr/bin/env bash
# Benchmark of the whole golden suite: wall time, cases/s and steps/s through the in-process
# model adapter and through exec:vconform-peer (the same model behind the stdio protocol), in
# one run so the two numbers compare. Targets (issue 5): under 1 s in-process, >= 50k steps/s.
#
# usage: ci/bench-suite.sh BUILD_DIR [ROUNDS]
set -euo pipefail
build=${1:?usage: ci/bench-suite.sh BUILD_DIR [ROUNDS]}
rounds=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
vconform="$build/harness/vconform"
peer="$build/harness/vconform-peer"
for adapter in model "exec:$peer"; do
  for _ in $(seq "$rounds"); do
    "$vconform" run --quiet --stats --adapter "$adapter" --vectors "$root/vectors" \
      --report json -o /dev/null
  done
done
