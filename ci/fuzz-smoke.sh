#!/usr/bin/env bash
# Fuzz smoke test (ci/test-all.sh's fuzz-libfuzzer and fuzz-afl suites): every target of a
# fuzzing build runs for a few seconds under that build's engine, from its checked-in corpus
# and the seeds generated from the golden vectors. Any crash fails; so does a run that executed
# nothing. afl-fuzz exits 0 after crashes, so its verdict comes from fuzzer_stats.
#
# usage: ci/fuzz-smoke.sh BUILD_DIR SECONDS [--oss-fuzz-check]
#   BUILD_DIR         a build configured with -DVCF_FUZZ_ENGINE=libfuzzer or afl
#   SECONDS           fuzzing time per target
#   --oss-fuzz-check  also run .clusterfuzzlite/build.sh in an emulated OSS-Fuzz environment
#                     (clang, ASan, libFuzzer) and check that $OUT holds every target, runnable,
#                     with its dictionary, options and seed corpus (every target of this build
#                     but "dissector", which build.sh leaves out: no Wireshark SDK in OSS-Fuzz)
#
# Then fuzz/campaign.sh runs twice on the same build: a clean campaign must exit 0 with a
# summary, and the diff target against an injected fault of the model must end with a
# minimised, decoded finding and exit 1.
#
# Crash inputs stay in BUILD_DIR/fuzz-smoke/TARGET/ for a look; replay one with the replay
# build: build/fuzz-replay/fuzz/fuzz_TARGET --explain FILE (docs/fuzzing.md).
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage() {
  echo "usage: ci/fuzz-smoke.sh BUILD_DIR SECONDS [--oss-fuzz-check]" >&2
  exit 64
}
[ $# -ge 2 ] || usage
build=$(cd "$1" 2>/dev/null && pwd) || {
  echo "fuzz-smoke: $1: no such build directory" >&2
  exit 2
}
secs=$2
[[ $secs =~ ^[0-9]+$ ]] && [ "$secs" -gt 0 ] || usage
oss_check=0
[ "${3:-}" = "--oss-fuzz-check" ] && oss_check=1

manifest=$build/fuzz/targets.tsv
[ -f "$manifest" ] || {
  echo "fuzz-smoke: $manifest: no fuzz target manifest" >&2
  exit 2
}
engine=$(tr -d '[:space:]' <"$build/fuzz/engine.txt" 2>/dev/null)
case $engine in
libfuzzer | afl) ;;
*)
  echo "fuzz-smoke: $build is not a fuzzing build (engine '${engine:-?}')" >&2
  exit 2
  ;;
esac

# Seeds from the golden vectors, as the campaigns use them.
seedtool=$build/fuzz/vcf-fuzz-seeds
if [ -x "$seedtool" ]; then
  if ! "$seedtool" --vectors "$root/vectors" --out "$build/fuzz/seeds" >"$build/fuzz/seeds.log" 2>&1; then
    cat "$build/fuzz/seeds.log" >&2
    echo "fuzz-smoke: generating the seeds failed" >&2
    exit 1
  fi
fi

work=$build/fuzz-smoke
rm -rf "$work"
mkdir -p "$work"

afl_env=(AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_FAST_CAL=1
  AFL_NO_AFFINITY=1
  "ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:malloc_context_size=0:allocator_may_return_null=1"
  "UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:symbolize=0:print_stacktrace=0")

stat_of() { sed -nE "s/^$2 *: *([^ ]*).*/\\1/p" "$1" 2>/dev/null | head -n1; }
int_of() { if [[ ${1:-} =~ ^[0-9]+ ]]; then echo "${BASH_REMATCH[0]}"; else echo 0; fi; }

# The first line that says what went wrong, from a crash replayed through the target binary.
explain_crash() {
  local bin=$1 f=$2 line
  line=$(ASAN_OPTIONS=symbolize=1 timeout 30 "$bin" "$f" 2>&1 </dev/null |
    grep -a -m1 -E 'vconform fuzz finding:|ERROR: (Address|Undefined|Leak)Sanitizer|runtime error:|ERROR: libFuzzer')
  echo "      $f"
  echo "      ${line:-(no report when replayed alone)}"
}

passed=0
failed=0
failures=()
while IFS=$'\t' read -r name format bin dict corpus _ seeds; do
  [ -n "$name" ] || continue
  dir=$work/$name
  mkdir -p "$dir"
  log=$dir/log
  inputs=()
  for d in "$corpus" "$seeds"; do
    [ "$d" != - ] && [ -d "$d" ] && inputs+=("$d")
  done
  verdict=ok execs=0 rate=0
  if [ "$engine" = libfuzzer ]; then
    mkdir -p "$dir/corpus" "$dir/crashes"
    args=(-max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$dir/crashes/")
    [ "$dict" = - ] || [ ! -f "$dict" ] || args+=(-dict="$dict")
    timeout -s INT $((secs + 120)) "$bin" "${args[@]}" "$dir/corpus" "${inputs[@]}" >"$log" 2>&1 </dev/null
    rc=$?
    execs=$(int_of "$(stat_of "$log" stat::number_of_executed_units)")
    rate=$(int_of "$(stat_of "$log" stat::average_exec_per_sec)")
    mapfile -t crashes < <(find "$dir/crashes" -type f)
    if [ ${#crashes[@]} -gt 0 ] || [ $rc -ne 0 ]; then
      verdict="FAILED (exit $rc, ${#crashes[@]} crash file(s))"
    fi
  else
    mkdir -p "$dir/in"
    for d in "${inputs[@]}"; do
      for f in "$d"/*; do
        [ -f "$f" ] || continue
        case $f in *.md) continue ;; esac
        cp "$f" "$dir/in/$(basename "$d")-$(basename "$f")"
      done
    done
    [ -n "$(ls -A "$dir/in")" ] || printf '\0' >"$dir/in/zero"
    envs=("${afl_env[@]}")
    so=$build/fuzz/libvcf_afl_mutator.so
    if [ "$format" != raw ] && [ -f "$so" ]; then
      envs+=(AFL_CUSTOM_MUTATOR_LIBRARY="$so" VCF_FUZZ_FORMAT="$format")
    fi
    afl_args=(-i "$dir/in" -o "$dir/out" -V "$secs" -m none)
    [ "$dict" = - ] || [ ! -f "$dict" ] || afl_args+=(-x "$dict")
    env "${envs[@]}" timeout -s INT $((secs + 120)) afl-fuzz "${afl_args[@]}" -- "$bin" >"$log" 2>&1 </dev/null
    rc=$?
    stats=$dir/out/default/fuzzer_stats
    execs=$(int_of "$(stat_of "$stats" execs_done)")
    rate=$(int_of "$(stat_of "$stats" execs_per_sec)")
    saved=$(int_of "$(stat_of "$stats" saved_crashes)")
    mapfile -t crashes < <(find "$dir/out/default/crashes" -type f -name 'id:*' 2>/dev/null)
    if [ ! -f "$stats" ]; then
      verdict="FAILED (afl-fuzz did not start, exit $rc)"
    elif [ "$saved" -gt 0 ] || [ ${#crashes[@]} -gt 0 ]; then
      verdict="FAILED ($saved saved crash(es))"
    elif [ $rc -ne 0 ]; then
      verdict="FAILED (afl-fuzz exit $rc)"
    fi
  fi
  if [ "$verdict" = ok ] && [ "$execs" -eq 0 ]; then
    verdict="FAILED (no input executed)"
  fi
  printf 'fuzz-smoke: %-14s %-9s %3ds %12s execs %9s exec/s  %s\n' "$name" "$engine" "$secs" \
    "$execs" "$rate" "$verdict"
  if [ "$verdict" = ok ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
    for f in "${crashes[@]:0:3}"; do
      explain_crash "$bin" "$f"
    done
    if [ ${#crashes[@]} -eq 0 ]; then
      sed 's/\x1b\[[0-9;]*m//g' "$log" | tail -n 15 | sed 's/^/      | /'
    fi
  fi
done < <(awk -F'\t' -v OFS='\t' '{ for (i = 1; i <= 7; i++) if ($i == "") $i = "-"; print }' "$manifest")

# ---------------------------------------------------------------------------------------------
# fuzz/campaign.sh end to end on this build (no replay build: crashes replay with the engine
# build): a clean campaign on 2 jobs ends with "result: no crash" and status 0; the diff
# target against the model with an injected fault finds it (generated seeds already show the
# divergence, so this does not depend on luck or speed) and ends with a minimised, decoded
# finding and status 1.
campaign_check() {
  local cdir=$work/campaign rc
  rm -rf "$cdir"
  bash "$root/fuzz/campaign.sh" rpmsg_ns --build "$build" --replay-build none --seconds 3 \
    --jobs 2 --out "$cdir/clean" >"$work/campaign-clean.log" 2>&1
  rc=$?
  if [ $rc -ne 0 ] || ! grep -q '^result: no crash' "$work/campaign-clean.log" ||
    ! grep -qE '^   execs +[1-9]' "$work/campaign-clean.log"; then
    echo "fuzz-smoke: campaign: a clean 2-job campaign on rpmsg_ns: exit $rc, expected 0 with a summary:"
    tail -n 20 "$work/campaign-clean.log" | sed 's/^/      | /'
    return 1
  fi
  bash "$root/fuzz/campaign.sh" diff --build "$build" --replay-build none --seconds 3 \
    --adapter model:fault=rpmsg-rx-len-off-by-one --tmin-seconds 2 --out "$cdir/fault" \
    >"$work/campaign-fault.log" 2>&1
  rc=$?
  if [ $rc -ne 1 ] || ! grep -q '^== finding 1: vconform fuzz finding: diff:' "$work/campaign-fault.log" ||
    ! compgen -G "$cdir/fault/findings/*.min" >/dev/null; then
    echo "fuzz-smoke: campaign: diff against model:fault=rpmsg-rx-len-off-by-one: exit $rc, expected 1 with a minimised finding:"
    tail -n 20 "$work/campaign-fault.log" | sed 's/^/      | /'
    return 1
  fi
  echo "fuzz-smoke: campaign: a clean campaign exits 0; an injected fault is found, minimised and decoded (exit 1): ok"
}
if cut -f1 "$manifest" | grep -qx diff && cut -f1 "$manifest" | grep -qx rpmsg_ns; then
  if campaign_check; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=(campaign)
  fi
fi

# ---------------------------------------------------------------------------------------------
# .clusterfuzzlite/build.sh in an emulated OSS-Fuzz environment: the base images cannot be
# pulled here, so the same variables are set by hand (clang, ASan, libFuzzer).
oss_fuzz_check() {
  local base=$build/oss-fuzz
  local src out=$base/out
  # $SRC/vconform is the source tree; $SRC itself lies outside it (a link to the tree from
  # inside the tree would make a loop)
  src=$(mktemp -d "${TMPDIR:-/tmp}/vcf-oss-fuzz-src.XXXXXX") || return 1
  # $WORK too: its CMake cache names the previous run's temporary $SRC
  rm -rf "$out" "$base/src" "$base/work"
  mkdir -p "$out" "$base/work"
  ln -s "$root" "$src/vconform"
  echo "fuzz-smoke: oss-fuzz: .clusterfuzzlite/build.sh (CC=clang, ASan, libFuzzer; log $base/build.log)"
  if ! (cd "$src/vconform" && env CC=clang CXX=clang++ \
    CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link" \
    CXXFLAGS="" LIB_FUZZING_ENGINE="-fsanitize=fuzzer" SANITIZER=address FUZZING_ENGINE=libfuzzer \
    SRC="$src" OUT="$out" WORK="$base/work" bash "$root/.clusterfuzzlite/build.sh") >"$base/build.log" 2>&1; then
    tail -n 30 "$base/build.log" | sed 's/^/      | /'
    echo "fuzz-smoke: oss-fuzz: build.sh failed"
    rm -rf "$src"
    return 1
  fi
  rm -rf "$src"
  local bad=0 first="" name oss_manifest=$base/work/build/fuzz/targets.tsv
  # the OSS-Fuzz build has every target of this build but the ones that need the host's
  # Wireshark SDK, which build.sh turns off
  while IFS=$'\t' read -r name _; do
    [ -n "$name" ] || continue
    if [ "$name" = dissector ]; then
      if cut -f1 "$oss_manifest" | grep -qx dissector; then
        echo "fuzz-smoke: oss-fuzz: dissector: in the OSS-Fuzz build, which has no Wireshark SDK"
        bad=1
      fi
      continue
    fi
    [ -n "$first" ] || first=$name
    local t=$out/$name
    if [ ! -x "$t" ] || [ ! -f "$t.options" ]; then
      echo "fuzz-smoke: oss-fuzz: $name: missing in \$OUT (binary or .options)"
      bad=1
      continue
    fi
    # every target runs its whole seed corpus once, from $OUT alone
    local seedsdir=$base/seeds/$name
    rm -rf "$seedsdir"
    mkdir -p "$seedsdir"
    [ ! -f "${t}_seed_corpus.zip" ] || unzip -q -o "${t}_seed_corpus.zip" -d "$seedsdir"
    if ! (cd "$out" && timeout 120 "./$name" -runs=0 "$seedsdir") >"$base/$name.log" 2>&1; then
      echo "fuzz-smoke: oss-fuzz: $name: does not run its seed corpus from \$OUT:"
      tail -n 10 "$base/$name.log" | sed 's/^/      | /'
      bad=1
    fi
  done <"$manifest"
  if [ $bad -eq 0 ] && [ -n "$first" ]; then
    if (cd "$out" && timeout 60 "./$first" -max_total_time=2 -dict="$first.dict" "$base/seeds/$first") \
      >"$base/$first.run.log" 2>&1; then
      echo "fuzz-smoke: oss-fuzz: $(ls "$out" | wc -l) files in \$OUT, every target runs its seeds, $first fuzzed 2 s: ok"
    else
      echo "fuzz-smoke: oss-fuzz: $first: 2 s run failed"
      tail -n 10 "$base/$first.run.log" | sed 's/^/      | /'
      bad=1
    fi
  fi
  return $bad
}
if [ $oss_check -eq 1 ]; then
  if oss_fuzz_check; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=(oss-fuzz-build)
  fi
fi

[ $failed -eq 0 ] || echo "fuzz-smoke: failed: ${failures[*]}"
echo "fuzz-smoke: $passed passed, $failed failed"
[ $failed -eq 0 ]
