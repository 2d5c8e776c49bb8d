#!/usr/bin/env bash
# One fuzzing campaign against one vconform fuzz target (docs/fuzzing.md).
#
#   fuzz/campaign.sh TARGET [options]          (also: vconform fuzz TARGET [options])
#
# Builds the engine build on demand, regenerates the seeds from the golden vectors, runs the
# engine on J cores with progress every 10 s, and ends with a summary: execs, corpus, coverage,
# and every unique crash minimised and decoded. Exit status: 0 no crash, 1 a crash (found by
# this run, or an earlier one in the same directory that still reproduces), 2 a usage or build
# error.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prog=campaign

usage() {
  cat <<'EOF'
usage: fuzz/campaign.sh TARGET [options]     (or: vconform fuzz TARGET [options])

  --engine afl|libfuzzer  the engine (default libfuzzer; --build DIR: that build's engine)
  --minutes N | --seconds N
                          how long to fuzz (default 10 minutes)
  --jobs J                fuzzing processes on this machine (default 1). AFL++: one main
                          (-M) and J-1 secondaries (-S); libFuzzer: J workers sharing a corpus
  --adapter SPEC          diff target: the implementation under test (model[:fault=NAME],
                          so:PATH, exec:CMD); exported as VCONFORM_FUZZ_ADAPTER
  --reference SPEC        diff target: the reference (default: the model)
  --out DIR               the campaign directory (default out/fuzz/TARGET); share it between
                          machines (NFS, rsync) to scale a campaign out
  --secondary-only        AFL++: start only secondaries (the extra machines of a campaign)
  --sanitize              ASan+UBSan build (default)
  --no-sanitize           a build without sanitizers (faster, finds less)
  --no-mutator            without the structure-aware mutator (byte-level mutation only)
  --cmplog                AFL++: add a CmpLog build to the main instance (-c)
  --timeout SEC           a single input that runs longer is a finding (default: the
                          engine's: libFuzzer 1200 s, AFL++ calibrated)
  --tmin-seconds N        time cap for minimising each unique crash (default 30)
  --build DIR             use (or create) this engine build instead of build/fuzz-*
  --replay-build DIR      the engine-less ASan+UBSan build that decodes crashes
                          (default build/fuzz-replay; "none": replay with the engine build)
  --build-only            build (or update) the engine build, print its directory, exit
  -h, --help              this help

Builds live under $VCF_BUILD_ROOT (default: the source tree's build/):
  fuzz-libfuzzer, fuzz-afl, fuzz-libfuzzer-plain, fuzz-afl-plain (--no-sanitize),
  fuzz-afl-cmplog (--cmplog) and fuzz-replay.
EOF
}

die() {
  echo "$prog: $*" >&2
  exit 2
}
usage_error() {
  echo "$prog: $*" >&2
  exit 64
}
note() { echo "$prog: $*" >&2; }

# ---------------------------------------------------------------------------------------------
# options
target=""
engine=""
seconds=600
jobs=1
adapter=""
reference=""
out=""
secondary_only=0
sanitize=1
mutator=1
cmplog=0
timeout_sec=""
tmin_seconds=30
build=""
replay_build=""
build_only=0

need_arg() { [ $# -ge 2 ] && [ -n "$2" ] || usage_error "$1 needs a value (--help)"; }
need_int() {
  [[ $2 =~ ^[0-9]+$ ]] && [ "$2" -gt 0 ] || usage_error "$1: expected a positive integer, got '$2'"
}

while [ $# -gt 0 ]; do
  case $1 in
  -h | --help)
    usage
    exit 0
    ;;
  --engine)
    need_arg "$@"
    engine=$2
    shift
    ;;
  --minutes)
    need_arg "$@"
    need_int "$1" "$2"
    seconds=$(($2 * 60))
    shift
    ;;
  --seconds)
    need_arg "$@"
    need_int "$1" "$2"
    seconds=$2
    shift
    ;;
  --jobs | -j)
    need_arg "$@"
    need_int "$1" "$2"
    jobs=$2
    shift
    ;;
  --adapter)
    need_arg "$@"
    adapter=$2
    shift
    ;;
  --reference)
    need_arg "$@"
    reference=$2
    shift
    ;;
  --out)
    need_arg "$@"
    out=$2
    shift
    ;;
  --build)
    need_arg "$@"
    build=$2
    shift
    ;;
  --replay-build)
    need_arg "$@"
    replay_build=$2
    shift
    ;;
  --timeout)
    need_arg "$@"
    need_int "$1" "$2"
    timeout_sec=$2
    shift
    ;;
  --tmin-seconds)
    need_arg "$@"
    need_int "$1" "$2"
    tmin_seconds=$2
    shift
    ;;
  --secondary-only) secondary_only=1 ;;
  --sanitize) sanitize=1 ;;
  --no-sanitize) sanitize=0 ;;
  --no-mutator) mutator=0 ;;
  --cmplog) cmplog=1 ;;
  --build-only) build_only=1 ;;
  --list) usage_error "--list is 'vconform fuzz --list' (or: cut -f1,2 BUILD/fuzz/targets.tsv)" ;;
  -*) usage_error "unknown option '$1' (--help)" ;;
  *)
    [ -z "$target" ] || usage_error "one target per campaign (got '$target' and '$1')"
    target=$1
    ;;
  esac
  shift
done

case $engine in
"" | afl | libfuzzer) ;;
*) usage_error "--engine: expected afl or libfuzzer, got '$engine'" ;;
esac
[ -n "$target" ] || [ $build_only -eq 1 ] || {
  usage >&2
  exit 64
}

build_root=${VCF_BUILD_ROOT:-$root/build}
ncpu=$(nproc 2>/dev/null || echo 2)
abspath() { (cd "$(dirname "$1")" 2>/dev/null && echo "$(pwd)/$(basename "$1")"); }

# ---------------------------------------------------------------------------------------------
# builds
#
# kind: lf | lf-plain | afl | afl-plain | afl-cmplog | replay. Every one is RelWithDebInfo with
# BUILD_TESTING and the codec benchmark off (the same flags as ci/test-all.sh's fuzz suites,
# which build build/fuzz-libfuzzer and build/fuzz-afl).
build_dir_of() {
  case $1 in
  lf) echo "$build_root/fuzz-libfuzzer" ;;
  lf-plain) echo "$build_root/fuzz-libfuzzer-plain" ;;
  afl) echo "$build_root/fuzz-afl" ;;
  afl-plain) echo "$build_root/fuzz-afl-plain" ;;
  afl-cmplog) echo "$build_root/fuzz-afl-cmplog" ;;
  replay) echo "$build_root/fuzz-replay" ;;
  esac
}

# ensure_build KIND DIR: configure DIR when it has no cache, then build it (incrementally).
# A DIR with a manifest but no CMake cache is taken as it is (a prebuilt or hand-made build).
ensure_build() {
  local kind=$1 dir=$2 cc
  local -a args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF -DVCF_BUILD_BENCH=OFF)
  local -a envs=()
  local asan_ubsan=-DVCF_SANITIZE=address,undefined
  case $kind in
  lf) cc=clang args+=(-DVCF_FUZZ_ENGINE=libfuzzer "$asan_ubsan") ;;
  lf-plain) cc=clang args+=(-DVCF_FUZZ_ENGINE=libfuzzer) ;;
  afl) cc=afl-clang-fast args+=(-DVCF_FUZZ_ENGINE=afl "$asan_ubsan") ;;
  afl-plain) cc=afl-clang-fast args+=(-DVCF_FUZZ_ENGINE=afl) ;;
  afl-cmplog) cc=afl-clang-fast args+=(-DVCF_FUZZ_ENGINE=afl) envs=(AFL_LLVM_CMPLOG=1) ;;
  replay) cc=clang args+=(-DVCF_FUZZ_ENGINE=none "$asan_ubsan") ;;
  esac
  if [ ! -f "$dir/CMakeCache.txt" ] && [ -f "$dir/fuzz/targets.tsv" ]; then
    return 0
  fi
  command -v "$cc" >/dev/null || die "$cc not found: run ci/install-deps.sh"
  mkdir -p "$dir" || die "cannot create $dir"
  local log="$dir/campaign-build.log"
  if [ ! -f "$dir/CMakeCache.txt" ] || { [ ! -f "$dir/Makefile" ] && [ ! -f "$dir/build.ninja" ]; }; then
    note "configuring $dir ($cc ${args[*]})"
    if ! env "${envs[@]}" CC="$cc" cmake -S "$root" -B "$dir" "${args[@]}" >"$log" 2>&1; then
      tail -n 40 "$log" >&2
      die "configuring $dir failed (log: $log)"
    fi
  fi
  note "building $dir (log: $log)"
  if ! env "${envs[@]}" cmake --build "$dir" -j "$ncpu" >>"$log" 2>&1; then
    grep -E 'error:|Error [0-9]|undefined reference' "$log" | head -n 20 >&2
    die "building $dir failed (log: $log)"
  fi
}

if [ -n "$build" ]; then
  build=$(abspath "$build") || die "--build: no such directory's parent: $build"
  if [ -f "$build/fuzz/engine.txt" ]; then
    built_engine=$(tr -d '[:space:]' <"$build/fuzz/engine.txt")
    [ -z "$engine" ] || [ "$engine" = "$built_engine" ] ||
      die "--engine $engine, but $build is a $built_engine build"
    engine=$built_engine
    [ "$engine" != none ] || die "$build has no fuzzing engine (VCF_FUZZ_ENGINE=none): use --replay-build for that"
  fi
fi
[ -n "$engine" ] || engine=libfuzzer
case $engine in
libfuzzer) kind=lf ;;
afl) kind=afl ;;
esac
[ $sanitize -eq 1 ] || kind=$kind-plain
[ -n "$build" ] || build=$(build_dir_of "$kind")
ensure_build "$kind" "$build"
if [ $build_only -eq 1 ]; then
  echo "$build"
  exit 0
fi
[ -n "$replay_build" ] || replay_build=$(build_dir_of replay)
if [ "$replay_build" != none ]; then
  replay_build=$(abspath "$replay_build")
  ensure_build replay "$replay_build"
fi

# ---------------------------------------------------------------------------------------------
# the target
manifest=$build/fuzz/targets.tsv
[ -f "$manifest" ] || die "$manifest: no fuzz target manifest (is $build a vconform build?)"
# Fields: name, format, binary, dictionary, corpus, crashers, seeds ("-" for none). Empty
# fields become "-" so that read does not merge two tabs.
manifest_row() {
  awk -F'\t' -v OFS='\t' -v t="$2" '$1 == t { for (i = 1; i <= 7; i++) if ($i == "") $i = "-"; print; exit }' "$1"
}
row=$(manifest_row "$manifest" "$target")
if [ -z "$row" ]; then
  echo "$prog: no target '$target' in $manifest; the targets are:" >&2
  cut -f1,2 "$manifest" | sed '/^$/d; s/^/  /' >&2
  exit 2
fi
IFS=$'\t' read -r _ format bin dict corpus crashers seeds <<<"$row"
[ -x "$bin" ] || die "$bin: not built"
replay_bin=""
replay_row=""
[ "$replay_build" = none ] || replay_row=$(manifest_row "$replay_build/fuzz/targets.tsv" "$target" 2>/dev/null)
[ -z "$replay_row" ] || replay_bin=$(cut -f3 <<<"$replay_row")
[ -z "$replay_bin" ] || [ -x "$replay_bin" ] || replay_bin=""

# The differential target's two sides. A relative so: path is made absolute: the engines do
# not change directory, but a campaign directory is often shared and resumed elsewhere.
if [ -n "$adapter$reference" ] && [ "$target" != diff ]; then
  note "note: --adapter and --reference are read by the diff target only"
fi
fix_spec() {
  case $1 in
  so:/*) echo "$1" ;;
  so:*)
    local p=${1#so:} rest=""
    case $p in *,*) rest=,${p#*,} p=${p%%,*} ;; esac
    [ -e "$p" ] || die "adapter $1: no such file: $p"
    echo "so:$(abspath "$p")$rest"
    ;;
  *) echo "$1" ;;
  esac
}
if [ -n "$adapter" ]; then
  VCONFORM_FUZZ_ADAPTER=$(fix_spec "$adapter") || exit 2
  export VCONFORM_FUZZ_ADAPTER
fi
if [ -n "$reference" ]; then
  VCONFORM_FUZZ_REFERENCE=$(fix_spec "$reference") || exit 2
  export VCONFORM_FUZZ_REFERENCE
fi
[ "${VCF_FUZZ_MUTATOR:-}" != off ] || mutator=0
[ $mutator -eq 1 ] || export VCF_FUZZ_MUTATOR=off

# ---------------------------------------------------------------------------------------------
# the campaign directory
[ -n "$out" ] || out=out/fuzz/$target
mkdir -p "$out" || die "cannot create $out"
out=$(cd "$out" && pwd)
host=$(hostname -s 2>/dev/null || hostname 2>/dev/null || echo host)
host=$(echo "$host" | tr -c 'A-Za-z0-9_\n-' '_' | cut -c1-24)
logs=$out/logs
findings=$out/findings
mkdir -p "$logs" "$findings"

# Seeds from the golden vectors: regenerated every time (a second or so), so that they follow
# the vectors.
if [ "$seeds" != - ]; then
  seedtool=$build/fuzz/vcf-fuzz-seeds
  if [ -x "$seedtool" ]; then
    if ! "$seedtool" --vectors "$root/vectors" --out "$build/fuzz/seeds" >"$logs/seeds.log" 2>&1; then
      tail -n 20 "$logs/seeds.log" >&2
      die "generating seeds failed (log: $logs/seeds.log)"
    fi
  else
    note "warning: $seedtool not built: fuzzing without generated seeds"
  fi
fi
inputs=()
for d in "$corpus" "$seeds"; do
  [ "$d" != - ] && [ -d "$d" ] && inputs+=("$d")
done

# ---------------------------------------------------------------------------------------------
# processes: every fuzzer runs in its own session (setsid), so that one kill of its process
# group takes its children (AFL++'s fork server, libFuzzer's minimiser) with it. They are
# killed on every exit path; ^C stops the campaign and still prints the summary.
pids=()
interrupted=0
kill_all() {
  local p
  for p in "${pids[@]}"; do
    kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
  done
  for p in "${pids[@]}"; do
    local n=0
    while kill -0 "$p" 2>/dev/null && [ $n -lt 50 ]; do
      sleep 0.1
      n=$((n + 1))
    done
    kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null
  done
  pids=()
}
tmp=""
cleanup() {
  kill_all
  [ -z "$tmp" ] || rm -rf "$tmp"
}
trap cleanup EXIT
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vcf-campaign.XXXXXX") || die "mktemp failed"
trap 'interrupted=$((interrupted + 1)); [ $interrupted -lt 2 ] || { note "interrupted twice: stopping now"; exit 130; }' INT TERM
alive() {
  local p
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null && return 0
  done
  return 1
}

# AFL++ refuses sanitizer options without these, and needs abort_on_error to see a crash.
afl_env=(AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_AUTORESUME=1
  "ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:malloc_context_size=0:allocator_may_return_null=1"
  "UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:symbolize=0:print_stacktrace=0")

# toint VAR: VAR's leading digits, or 0 ("inf", "", "1.5%" -> 0, 0, 1).
toint() {
  local -n _v=$1
  if [[ ${_v:-} =~ ^[0-9]+ ]]; then _v=${BASH_REMATCH[0]}; else _v=0; fi
}
fmt_num() { printf "%'d" "${1%.*}" 2>/dev/null || echo "$1"; }
fmt_time() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }

# ---------------------------------------------------------------------------------------------
# libFuzzer: J worker processes on one corpus directory (libFuzzer's -jobs=J -workers=J, but
# with logs named by host and worker, so that machines sharing the directory do not collide;
# every worker re-reads the corpus directory, -reload, and picks up the others' finds).
lf_dir=$out/libfuzzer
lf_stats() { # prints: execs exec_s corpus cov (sums/maxima over this host's worker logs)
  local f execs=0 rate=0 corp=0 cov=0 line
  for f in "$logs/$host"-lf*.log; do
    [ -f "$f" ] || continue
    local e=0 r=0 c=0 v=0
    if grep -q '^stat::number_of_executed_units' "$f"; then
      e=$(awk '/^stat::number_of_executed_units/ {print $2}' "$f" | tail -n1)
      r=$(awk '/^stat::average_exec_per_sec/ {print $2}' "$f" | tail -n1)
    else
      line=$(grep -a -E '^#[0-9]+' "$f" | tail -n1)
      e=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$line")
      r=$(sed -nE 's/.*exec\/s: ([0-9]+).*/\1/p' <<<"$line")
    fi
    line=$(grep -a -E '^#[0-9]+.*cov: ' "$f" | tail -n1)
    c=$(sed -nE 's/.*corp: ([0-9]+)\/.*/\1/p' <<<"$line")
    v=$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$line")
    toint e
    toint r
    toint c
    toint v
    execs=$((execs + e))
    rate=$((rate + r))
    [ "$c" -le $corp ] || corp=$c
    [ "$v" -le $cov ] || cov=$v
  done
  echo "$execs $rate $corp $cov"
}
lf_crashes() { find "$lf_dir/crashes" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) 2>/dev/null; }

run_libfuzzer() {
  mkdir -p "$lf_dir/corpus" "$lf_dir/crashes"
  rm -f "$logs/$host"-lf*.log
  local -a args=(-max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$lf_dir/crashes/")
  [ "$dict" = - ] || [ ! -f "$dict" ] || args+=(-dict="$dict")
  [ -z "$timeout_sec" ] || args+=(-timeout="$timeout_sec")
  [ $secondary_only -eq 0 ] || note "--secondary-only means nothing to libFuzzer: every worker is equal"
  local i
  for ((i = 0; i < jobs; i++)); do
    local -a extra=()
    # Half the workers also use value profiling (comparison operands as coverage), for variety.
    [ $((i % 2)) -eq 0 ] || extra=(-use_value_profile=1)
    setsid "$bin" "${args[@]}" "${extra[@]}" "$lf_dir/corpus" "${inputs[@]}" \
      >"$logs/$host-lf$i.log" 2>&1 </dev/null &
    pids+=($!)
  done
  note "libFuzzer: $jobs worker(s), corpus $lf_dir/corpus, logs $logs/$host-lf*.log"
}

# ---------------------------------------------------------------------------------------------
# AFL++: one main (-M) and J-1 secondaries (-S) sharing the sync directory; instance names carry
# the host name, so several machines can share one directory (the extra ones: --secondary-only).
afl_dir=$out/afl
afl_instances() { find "$afl_dir" -mindepth 1 -maxdepth 1 -type d -exec test -d '{}/queue' ';' -print 2>/dev/null | sort; }
afl_stat() { sed -nE "s/^$2 *: *([^ ]*).*/\1/p" "$1/fuzzer_stats" 2>/dev/null | head -n1; }
# afl-fuzz rewrites fuzzer_stats (and plot_data) only once a minute and at exit, so execs,
# speed and coverage can be up to a minute old (the age is printed); the corpus and the
# crashes are counted in the directories, always current.
afl_stats() { # prints: execs exec_s corpus cov_edges cov_percent stats_age_s
  local d execs=0 rate=0 corp=0 edges=0 pct=0 newest=0 now
  now=$(date +%s)
  for d in $(afl_instances); do
    local e r c g p u t
    e=$(afl_stat "$d" execs_done)
    t=$(afl_stat "$d" run_time)
    g=$(afl_stat "$d" edges_found)
    p=$(afl_stat "$d" bitmap_cvg)
    u=$(afl_stat "$d" last_update)
    c=$(find "$d/queue" -maxdepth 1 -name 'id:*' -type f 2>/dev/null | wc -l)
    toint e
    toint t
    toint g
    toint u
    # the average since the instance started (its own execs_per_sec is erratic early on)
    r=0
    [ "$t" -lt 3 ] || r=$((e / t))
    execs=$((execs + e))
    rate=$((rate + r))
    [ "$c" -le $corp ] || corp=$c
    [ "$g" -le $edges ] || edges=$g
    [ "$u" -le $newest ] || newest=$u
    p=${p%\%}
    [[ $p =~ ^[0-9.]+$ ]] || p=0
    awk -v a="$p" -v b="$pct" 'BEGIN { exit !(a > b) }' && pct=$p
  done
  local age=0
  [ $newest -eq 0 ] || age=$((now - newest))
  echo "$execs $rate $corp $edges $pct $age"
}
afl_crashes() {
  find "$afl_dir" -mindepth 3 -maxdepth 3 -path '*/crashes/id:*' -type f 2>/dev/null
  find "$afl_dir/seed-crashes" -type f 2>/dev/null
}
# afl-fuzz skips seeds that crash (and gives up when all do) without saving them as crashes:
# keep them as crashes of the campaign, since each is a finding.
afl_seed_crashes() {
  local f name
  for f in "$logs/$host"-*.log; do
    [ -f "$f" ] || continue
    sed -nE "s/.*Test case '([^']+)' results in a crash.*/\1/p" "$f"
  done | sort -u | while read -r name; do
    # afl-fuzz names the queue copy: id:000496,time:0,execs:0,orig:FILE
    name=$(basename "${name##*orig:}")
    [ -f "$tmp/in/$name" ] || continue
    mkdir -p "$afl_dir/seed-crashes"
    cp "$tmp/in/$name" "$afl_dir/seed-crashes/"
  done
}
afl_hangs() { find "$afl_dir" -mindepth 3 -maxdepth 3 -path '*/hangs/id:*' -type f 2>/dev/null | wc -l; }

run_afl() {
  command -v afl-fuzz >/dev/null || die "afl-fuzz not found: run ci/install-deps.sh"
  mkdir -p "$afl_dir" "$tmp/in"
  local d f
  for d in "${inputs[@]}"; do
    for f in "$d"/*; do
      [ -f "$f" ] || continue
      case $f in *.md) continue ;; esac
      cp "$f" "$tmp/in/$(basename "$d")-$(basename "$f")"
    done
  done
  # afl-fuzz needs one input; a target without seeds starts from a single zero byte.
  [ -n "$(ls -A "$tmp/in")" ] || printf '\0' >"$tmp/in/zero"
  local -a envs=("${afl_env[@]}")
  local so=$build/fuzz/libvcf_afl_mutator.so use_mutator=0
  if [ $mutator -eq 1 ] && [ "$format" != raw ]; then
    if [ -f "$so" ]; then
      use_mutator=1
    else
      note "warning: $so not built: byte-level mutation only"
    fi
  fi
  [ "$jobs" -le "$ncpu" ] || envs+=(AFL_NO_AFFINITY=1)
  local cmplog_bin=""
  if [ $cmplog -eq 1 ]; then
    local cdir
    cdir=$(build_dir_of afl-cmplog)
    ensure_build afl-cmplog "$cdir"
    cmplog_bin=$(cut -f3 <<<"$(manifest_row "$cdir/fuzz/targets.tsv" "$target")")
    [ -x "$cmplog_bin" ] || die "no CmpLog binary for $target in $cdir"
  fi
  local -a common=(-i "$tmp/in" -o "$afl_dir" -V "$seconds" -m none)
  [ "$dict" = - ] || [ ! -f "$dict" ] || common+=(-x "$dict")
  [ -z "$timeout_sec" ] || common+=(-t "$((timeout_sec * 1000))")
  local i name
  for ((i = 0; i < jobs; i++)); do
    local -a role=() ienv=("${envs[@]}")
    if [ $i -eq 0 ] && [ $secondary_only -eq 0 ]; then
      name=$host-main
      role=(-M "$name")
      [ -z "$cmplog_bin" ] || role+=(-c "$cmplog_bin")
    else
      name=$host-s$i
      [ $secondary_only -eq 0 ] || name=$host-s$((i + 1))
      role=(-S "$name")
    fi
    # The structure-aware mutator runs next to AFL++'s own havoc; with three or more
    # instances the last one goes without it, for variety.
    if [ $use_mutator -eq 1 ] && ! { [ "$jobs" -ge 3 ] && [ $i -eq $((jobs - 1)) ]; }; then
      ienv+=(AFL_CUSTOM_MUTATOR_LIBRARY="$so" VCF_FUZZ_FORMAT="$format")
    fi
    env "${ienv[@]}" setsid afl-fuzz "${common[@]}" "${role[@]}" -- "$bin" \
      >"$logs/$name.log" 2>&1 </dev/null &
    pids+=($!)
  done
  local what="byte-level mutation"
  [ $use_mutator -eq 0 ] || what="the $format structure-aware mutator"
  note "AFL++: $jobs instance(s) in $afl_dir ($what), logs $logs/$host-*.log"
}

# ---------------------------------------------------------------------------------------------
# run, with a progress line every 10 s
san="ASan+UBSan"
[ $sanitize -eq 1 ] || san="no sanitizer"
echo "== campaign $target ($format): $engine, $jobs job(s), $(fmt_time "$seconds"), $san"
echo "   build $build"
[ -z "${VCONFORM_FUZZ_ADAPTER:-}" ] || echo "   adapter   $VCONFORM_FUZZ_ADAPTER"
[ -z "${VCONFORM_FUZZ_REFERENCE:-}" ] || echo "   reference $VCONFORM_FUZZ_REFERENCE"
start=$(date +%s)
touch "$tmp/start"
if [ "$engine" = libfuzzer ]; then
  run_libfuzzer
else
  run_afl
fi

progress() {
  local now el
  now=$(date +%s)
  el=$((now - start))
  if [ "$engine" = libfuzzer ]; then
    read -r e r c v <<<"$(lf_stats)"
    printf '   [%s] execs %s  exec/s %s  corpus %s  crashes %d  cov %s\n' "$(fmt_time $el)" \
      "$(fmt_num "$e")" "$(fmt_num "$r")" "$c" "$(lf_crashes | wc -l)" "$v"
  else
    read -r e r c g p age <<<"$(afl_stats)"
    local asof=""
    [ "$age" -le 15 ] || asof=" (stats of $(fmt_time "$age") ago)"
    printf '   [%s] execs %s  exec/s %s  paths %s  crashes %d  cov %s edges (%s%% of map)%s\n' \
      "$(fmt_time $el)" "$(fmt_num "$e")" "$(fmt_num "$r")" "$c" "$(afl_crashes | wc -l)" "$g" "$p" "$asof"
  fi
}

# afl-fuzz stops itself after -V, libFuzzer after -max_total_time; a generous grace period
# covers start-up and the final merge, then whatever is left is stopped.
deadline=$((start + seconds + 120 + seconds / 10))
last=$start
sleep 1
while alive; do
  [ $interrupted -eq 0 ] || {
    note "interrupted: stopping the fuzzers"
    break
  }
  now=$(date +%s)
  if [ $now -ge $deadline ]; then
    note "the fuzzers outlived the time limit: stopping them"
    break
  fi
  if [ $((now - last)) -ge 10 ]; then
    progress
    last=$now
  fi
  sleep 1 &
  wait $! 2>/dev/null
done
kill_all
elapsed=$(($(date +%s) - start))
[ "$engine" != afl ] || afl_seed_crashes
progress

# A run whose fuzzers all failed at once (bad binary, bad input, a seed that crashes) is an
# error, not a clean campaign.
startup_failed() {
  local f
  if [ "$engine" = afl ]; then
    for f in "$logs/$host"-*.log; do
      [ -f "$f" ] || continue
      case $f in *-lf*.log) continue ;; esac
      if grep -q 'PROGRAM ABORT' "$f"; then
        echo "$f"
        return 0
      fi
    done
  fi
  return 1
}

# ---------------------------------------------------------------------------------------------
# summary: every crash file of the campaign directory is replayed by the replay build (the
# decoded --explain output and the finding or sanitizer line); one per distinct finding is
# minimised and kept in findings/.
echo
echo "== summary: $target, $engine, $(fmt_time "$elapsed") on $host"
if [ "$engine" = libfuzzer ]; then
  read -r e r c v <<<"$(lf_stats)"
  echo "   execs     $(fmt_num "$e") ($(fmt_num "$r")/s over $jobs worker(s))"
  echo "   corpus    $(find "$lf_dir/corpus" -type f | wc -l) inputs in $lf_dir/corpus"
  echo "   coverage  $v points (libFuzzer cov:)"
  mapfile -t crash_files < <(lf_crashes | sort)
  hangs=0
else
  read -r e r c g p _ <<<"$(afl_stats)"
  ninst=$(afl_instances | wc -l)
  echo "   execs     $(fmt_num "$e") ($(fmt_num "$r")/s over $ninst instance(s), $jobs here)"
  echo "   paths     $c (the largest queue)"
  echo "   coverage  $g edges, $p% of the map (bitmap_cvg)"
  mapfile -t crash_files < <(afl_crashes | sort)
  hangs=$(afl_hangs)
fi
if bad=$(startup_failed); then
  echo "   error: the fuzzer did not start; from $bad:"
  grep -A3 'PROGRAM ABORT' "$bad" | sed 's/\x1b\[[0-9;]*m//g; s/^/     /'
  [ ${#crash_files[@]} -gt 0 ] || exit 2
  echo "   (every seed crashes: each is a finding below)"
fi
if [ "${e:-0}" -eq 0 ] && [ ${#crash_files[@]} -eq 0 ] && [ $interrupted -eq 0 ]; then
  echo "   error: the fuzzer executed nothing; the end of its log:"
  tail -n 15 "$(ls -t "$logs/$host"-*.log | head -n1)" | sed 's/^/     /'
  exit 2
fi

new_crashes=0
for f in "${crash_files[@]}"; do
  [ "$f" -nt "$tmp/start" ] && new_crashes=$((new_crashes + 1))
done
echo "   crashes   ${#crash_files[@]} ($new_crashes new in this run)"
[ "$hangs" -eq 0 ] || echo "   hangs     $hangs (AFL++ hangs/: slow inputs, not failures; replay them to see)"

# replay_decode FILE OUTFILE: run FILE through the replay build (--explain: what the target
# decoded and checked, line-buffered so that it survives the abort); prints the finding line.
replay_decode() {
  local f=$1 o=$2
  # (in a subshell whose stderr is dropped: bash reports the abort otherwise)
  if [ -n "$replay_bin" ]; then
    (
      ASAN_OPTIONS=symbolize=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        timeout 60 stdbuf -oL -eL "$replay_bin" --explain "$f" >"$o" 2>&1 </dev/null
      exit $?
    ) 2>/dev/null
  else
    (
      ASAN_OPTIONS=symbolize=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        timeout 60 "$bin" "$f" >"$o" 2>&1 </dev/null
      exit $?
    ) 2>/dev/null
  fi
  local rc=$?
  finding_line "$o" "$rc"
}
report_re='vconform fuzz finding:|ERROR: (Address|Undefined|Leak|Memory)Sanitizer|runtime error:|ERROR: libFuzzer'
# The line that says what went wrong: a target's finding, a sanitizer's error, or libFuzzer's.
finding_line() {
  local line
  line=$(grep -a -m1 -E "$report_re" "$1")
  if [ -n "$line" ]; then
    sed -E 's/^==[0-9]+==//; s/^ERROR: //; s/^[^ ]*: (runtime error:)/\1/; s/ on (address|unknown address) 0x.*//' <<<"$line" | cut -c1-200
  elif [ "$2" -eq 124 ]; then
    echo "timeout: still running after 60 s in the replay build"
  elif [ "$2" -ne 0 ]; then
    echo "exit status $2 without a sanitizer report"
  fi
}
# Where it happened: the first stack frame outside the sanitizer runtime, libc and the finding
# helper ("function file:line"), or the location UBSan prints before "runtime error".
finding_where() {
  local w
  w=$(grep -a -E '^ *#[0-9]+ 0x[0-9a-f]+ in ' "$1" |
    grep -v -E ' in (__(asan|ubsan|sanitizer|interceptor|libc|GI)|abort|raise|vcf_fuzz_finding|vcf_fuzz_vfinding)|\(/.*\+0x' |
    sed -nE "1s/.* in ([^ ]+) ([^ ]+).*/\\1 \\2/p" | sed -E "s|$root/||; s/(:[0-9]+):[0-9]+$/\\1/")
  [ -n "$w" ] || w=$(grep -a -m1 -oE '^[^ ]+:[0-9]+:[0-9]+: runtime error' "$1" | sed -E "s|$root/||; s/: runtime error//")
  echo "$w"
}
# A finding's identity: its line without details in parentheses, addresses and numbers (hex
# too), and where it happened. The same bug found through different inputs gets one identity.
signature() {
  local w
  w=$(finding_where "$2")
  sed -E 's/ *\([^)]*\)//g; s/\b(0x)?[0-9a-fA-F]*[0-9][0-9a-fA-F]*\b/N/g' <<<"$1" | tr -d '\n'
  [ -z "$w" ] || echo -n " | $w"
  echo
}

minimise() { # minimise IN OUT: a smaller input that still crashes (or a copy)
  local in=$1 o=$2
  if [ "$engine" = libfuzzer ]; then
    timeout $((tmin_seconds + 30)) "$bin" -minimize_crash=1 -max_total_time="$tmin_seconds" \
      -exact_artifact_path="$o" "$in" >"$o.log" 2>&1 </dev/null
  else
    env "${afl_env[@]}" timeout $((tmin_seconds + 5)) afl-tmin -m none -i "$in" -o "$o" -- "$bin" \
      >"$o.log" 2>&1 </dev/null
  fi
  [ -s "$o" ] || cp "$in" "$o"
}

declare -A seen_sig
status=0
[ "$new_crashes" -eq 0 ] || status=1
nfind=0
max_findings=10
for f in "${crash_files[@]}"; do
  o=$tmp/replay.txt
  line=$(replay_decode "$f" "$o")
  is_new=0
  [ "$f" -nt "$tmp/start" ] && is_new=1
  if [ -z "$line" ]; then
    if [ $is_new -eq 1 ]; then
      line="did not reproduce in the replay build (state from earlier inputs, or a timeout)"
    else
      echo "   fixed     $f no longer fails"
      continue
    fi
  fi
  status=1
  sig=$(signature "$line" "$o")
  if [ -n "${seen_sig[$sig]:-}" ]; then
    seen_sig[$sig]=$((seen_sig[$sig] + 1))
    continue
  fi
  seen_sig[$sig]=1
  nfind=$((nfind + 1))
  [ $nfind -le $max_findings ] || continue
  id=$(sha1sum "$f" | cut -c1-12)
  min=$findings/$id.min
  [ -s "$min" ] || minimise "$f" "$min"
  replay_decode "$min" "$findings/$id.txt" >/dev/null
  mline=$(finding_line "$findings/$id.txt" 1)
  [ -n "$mline" ] && [ "$(signature "$mline" "$findings/$id.txt")" = "$sig" ] || {
    # the minimiser drifted to another failure: keep the original input
    cp "$f" "$min"
    replay_decode "$min" "$findings/$id.txt" >/dev/null
  }
  echo
  echo "== finding $nfind: $line"
  where=$(finding_where "$findings/$id.txt")
  [ -z "$where" ] || echo "   where     $where"
  echo "   input     $f ($(stat -c %s "$f") bytes$([ $is_new -eq 1 ] && echo ", new" || echo ", from an earlier run"))"
  echo "   minimised $min ($(stat -c %s "$min") bytes)"
  if [ -n "$replay_bin" ]; then
    echo "   decoded   ($(basename "$replay_bin") --explain; all of it in $findings/$id.txt)"
  else
    echo "   decoded   (no replay build: what the engine build printed; all of it in $findings/$id.txt)"
  fi
  # what the target printed before the report, then the report's first line
  awk -v re="$report_re" '$0 ~ re || /^=====/ || /^==[0-9]+==/ { exit } !/^== / && !/^(INFO|Running|Executed): / { print }' \
    "$findings/$id.txt" | head -n 30 | sed 's/^/     | /'
  echo "     | $(grep -a -m1 -E "$report_re" "$findings/$id.txt" | sed -E 's/^==[0-9]+==//' | cut -c1-160)"
  if [ -n "$replay_bin" ]; then
    echo "   replay    $replay_bin --explain $min"
  else
    echo "   replay    $bin $min"
  fi
  [ "$crashers" = - ] || echo "   keep it   after the fix: mkdir -p $crashers && cp $min $crashers/$id"
done
if [ $nfind -gt 0 ]; then
  echo
  echo "== $nfind distinct finding(s)$([ $nfind -le $max_findings ] || echo " ($max_findings shown)"); crash files per finding:"
  for s in "${!seen_sig[@]}"; do
    printf '   %4d  %s\n' "${seen_sig[$s]}" "$s"
  done
fi
echo
stopped=""
[ $interrupted -eq 0 ] || stopped=" (interrupted after $(fmt_time "$elapsed"))"
if [ $status -eq 0 ]; then
  echo "result: no crash$stopped"
else
  echo "result: CRASH ($nfind distinct finding(s); exit 1)$stopped"
fi
exit $status
