#!/usr/bin/env bash
# Fuzzing throughput of every target (make bench; docs/fuzzing.md has the measured table).
#
#   fuzz/bench.sh [--seconds T] [--engine libfuzzer|afl|both] [TARGET...]
#
# libFuzzer: each target fuzzes for T seconds from its corpus and seeds while the empty target
# (which does nothing with its input) fuzzes next to it, in the same run: same machine, same
# load, one core each. The ratio target/empty says what share of the engine's speed the target
# keeps; the goal (issue 6) is a ratio of at least 0.5. AFL++: each target alone for T seconds
# in persistent mode, exec/s from fuzzer_stats, and its ratio to the empty target's (measured
# one after the other, so less exact than libFuzzer's). Both use builds without sanitizers
# (the numbers are about the targets, not ASan) and the structure-aware mutator, as campaigns
# do (VCF_FUZZ_MUTATOR=off in the environment measures libFuzzer without it).
#
# This is a measurement: it reports which targets meet the goal and never fails on it. It
# fails (exit 1) only when a build fails or a run executes nothing.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
secs=10
which=both
only=()
while [ $# -gt 0 ]; do
  case $1 in
  --seconds)
    secs=${2:-}
    shift
    ;;
  --engine)
    which=${2:-}
    shift
    ;;
  -h | --help)
    sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
  -*)
    echo "bench: unknown option '$1'" >&2
    exit 64
    ;;
  *) only+=("$1") ;;
  esac
  shift
done
[[ $secs =~ ^[0-9]+$ ]] && [ "$secs" -gt 0 ] || {
  echo "bench: --seconds: expected a positive integer" >&2
  exit 64
}
case $which in libfuzzer | afl | both) ;; *)
  echo "bench: --engine: libfuzzer, afl or both" >&2
  exit 64
  ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/vcf-fuzz-bench.XXXXXX")
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stat_of() { sed -nE "s/^$2 *: *([^ ]*).*/\\1/p" "$1" 2>/dev/null | head -n1; }
int_of() { if [[ ${1:-} =~ ^[0-9]+ ]]; then echo "${BASH_REMATCH[0]}"; else echo 0; fi; }
rows() { # the manifest with empty fields as "-"
  awk -F'\t' -v OFS='\t' '{ for (i = 1; i <= 7; i++) if ($i == "") $i = "-"; print }' "$1/fuzz/targets.tsv"
}
seed() {
  [ ! -x "$1/fuzz/vcf-fuzz-seeds" ] ||
    "$1/fuzz/vcf-fuzz-seeds" --vectors "$root/vectors" --out "$1/fuzz/seeds" >/dev/null 2>&1 ||
    echo "bench: warning: generating seeds in $1 failed" >&2
}
wanted() {
  [ ${#only[@]} -eq 0 ] && return 0
  local t
  for t in "${only[@]}"; do [ "$t" = "$1" ] && return 0; done
  return 1
}

# The builds, shared with fuzz/campaign.sh --no-sanitize.
lf_build="" afl_build=""
if [ "$which" != afl ]; then
  lf_build=$(bash "$root/fuzz/campaign.sh" --build-only --engine libfuzzer --no-sanitize) || exit 1
  seed "$lf_build"
fi
if [ "$which" != libfuzzer ]; then
  afl_build=$(bash "$root/fuzz/campaign.sh" --build-only --engine afl --no-sanitize) || exit 1
  seed "$afl_build"
fi

declare -A lf_rate empty_rate afl_rate fmt_of
names=()
status=0
lf_run() { # lf_run NAME BIN DICT OUTDIR INPUT_DIRS...: start one libFuzzer run in the background
  local name=$1 bin=$2 dict=$3 o=$4
  shift 4
  mkdir -p "$o/corpus"
  local -a args=(-max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$o/")
  [ "$dict" = - ] || args+=(-dict="$dict")
  setsid "$bin" "${args[@]}" "$o/corpus" "$@" >"$o/log" 2>&1 </dev/null &
  pids+=($!)
}
dirs_of() { # the existing input directories of a manifest row
  local d
  for d in "$@"; do [ "$d" != - ] && [ -d "$d" ] && echo "$d"; done
}

if [ -n "$lf_build" ]; then
  empty_row=$(rows "$lf_build" | awk -F'\t' '$1 == "empty"')
  [ -n "$empty_row" ] || {
    echo "bench: no empty target in $lf_build: nothing to compare with" >&2
    exit 1
  }
  IFS=$'\t' read -r _ _ ebin edict ecorpus _ eseeds <<<"$empty_row"
  while IFS=$'\t' read -r name format bin dict corpus _ seeds; do
    [ "$name" != empty ] && wanted "$name" || continue
    names+=("$name")
    fmt_of[$name]=$format
    o=$work/lf/$name
    mapfile -t in < <(dirs_of "$corpus" "$seeds")
    mapfile -t ein < <(dirs_of "$ecorpus" "$eseeds")
    pids=()
    lf_run "$name" "$bin" "$dict" "$o/target" "${in[@]}"
    lf_run empty "$ebin" "$edict" "$o/empty" "${ein[@]}"
    wait "${pids[@]}" 2>/dev/null
    pids=()
    lf_rate[$name]=$(int_of "$(stat_of "$o/target/log" stat::average_exec_per_sec)")
    empty_rate[$name]=$(int_of "$(stat_of "$o/empty/log" stat::average_exec_per_sec)")
    if [ "$(int_of "$(stat_of "$o/target/log" stat::number_of_executed_units)")" -eq 0 ]; then
      echo "bench: libFuzzer $name executed nothing:" >&2
      tail -n 5 "$o/target/log" >&2
      status=1
    fi
    if compgen -G "$o/target/crash-*" >/dev/null; then
      lf_rate[$name]="${lf_rate[$name]} (crashed)"
    fi
    echo "bench: libFuzzer $name ${lf_rate[$name]} exec/s, empty ${empty_rate[$name]} exec/s" >&2
  done < <(rows "$lf_build")
fi

if [ -n "$afl_build" ]; then
  so=$afl_build/fuzz/libvcf_afl_mutator.so
  while IFS=$'\t' read -r name format bin dict corpus _ seeds; do
    wanted "$name" || [ "$name" = empty ] || continue
    [ -n "${fmt_of[$name]:-}" ] || {
      names+=("$name")
      fmt_of[$name]=$format
    }
    o=$work/afl/$name
    mkdir -p "$o/in"
    while read -r d; do
      for f in "$d"/*; do
        [ -f "$f" ] && [ "${f%.md}" = "$f" ] && cp "$f" "$o/in/$(basename "$d")-$(basename "$f")"
      done
    done < <(dirs_of "$corpus" "$seeds")
    [ -n "$(ls -A "$o/in")" ] || printf '\0' >"$o/in/zero"
    envs=(AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_FAST_CAL=1)
    [ "$format" = raw ] || [ ! -f "$so" ] || [ "${VCF_FUZZ_MUTATOR:-}" = off ] ||
      envs+=(AFL_CUSTOM_MUTATOR_LIBRARY="$so" VCF_FUZZ_FORMAT="$format")
    args=(-i "$o/in" -o "$o/out" -V "$secs" -m none)
    [ "$dict" = - ] || args+=(-x "$dict")
    env "${envs[@]}" timeout -s INT $((secs + 120)) afl-fuzz "${args[@]}" -- "$bin" >"$o/log" 2>&1 </dev/null
    afl_rate[$name]=$(int_of "$(stat_of "$o/out/default/fuzzer_stats" execs_per_sec)")
    if [ "${afl_rate[$name]}" -eq 0 ]; then
      echo "bench: AFL++ $name executed nothing:" >&2
      sed 's/\x1b\[[0-9;]*m//g' "$o/log" | grep -A3 'PROGRAM ABORT' >&2
      status=1
    fi
    echo "bench: AFL++ $name ${afl_rate[$name]} exec/s" >&2
  done < <(rows "$afl_build")
fi

# the table (markdown, ready for docs/fuzzing.md)
echo
mut="structure-aware mutator on"
[ "${VCF_FUZZ_MUTATOR:-}" != off ] || mut="structure-aware mutator off (VCF_FUZZ_MUTATOR=off)"
echo "Fuzzing throughput, $secs s per run, $(nproc) cores, no sanitizer, $mut"
echo
echo "| target | format | libFuzzer exec/s | empty target exec/s (same run) | ratio | ≥ 0.5 | AFL++ persistent exec/s | AFL++ ratio to empty |"
echo "|---|---|---:|---:|---:|:-:|---:|---:|"
afl_empty=${afl_rate[empty]:-0}
meet=() miss=()
for n in "${names[@]}"; do
  lr=${lf_rate[$n]:-} er=${empty_rate[$n]:-} ratio="" ok=""
  if [ -n "$lr" ] && [ "$(int_of "$er")" -gt 0 ]; then
    ratio=$(awk -v a="$(int_of "$lr")" -v b="$er" 'BEGIN { printf "%.2f", a / b }')
    if awk -v r="$ratio" 'BEGIN { exit !(r >= 0.5) }'; then
      ok=yes
      meet+=("$n")
    else
      ok=no
      miss+=("$n")
    fi
  fi
  [ "$n" != empty ] || lr="(baseline)"
  aratio=""
  if [ -n "${afl_rate[$n]:-}" ] && [ "$afl_empty" -gt 0 ] && [ "$n" != empty ]; then
    aratio=$(awk -v a="${afl_rate[$n]}" -v b="$afl_empty" 'BEGIN { printf "%.2f", a / b }')
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$n" "${fmt_of[$n]}" "${lr:--}" "${er:--}" \
    "${ratio:--}" "${ok:--}" "${afl_rate[$n]:--}" "${aratio:--}"
done
if [ -n "$lf_build" ]; then
  echo
  echo "ratio >= 0.5: ${#meet[@]} of $((${#meet[@]} + ${#miss[@]})) targets${miss[*]:+; below: ${miss[*]}}"
fi
exit $status
