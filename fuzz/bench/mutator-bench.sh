#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# fuzz/bench/mutator-bench.sh: does the structure-aware mutator reach planted length bugs
# faster than the engines' default mutation? (docs/fuzzing-mutator.md)
#
#   fuzz/bench/mutator-bench.sh LF_BUILD_DIR [AFL_BUILD_DIR]
#
# LF_BUILD_DIR is a build with VCF_FUZZ_ENGINE=libfuzzer, AFL_BUILD_DIR one with
# VCF_FUZZ_ENGINE=afl (both build fuzz/bench/vcf_planted_* unless VCF_FUZZ_PLANTED=OFF; the afl
# build also has fuzz/libvcf_afl_mutator.so). For every planted bug:
#
#   libFuzzer  with the custom mutator and with VCF_FUZZ_MUTATOR=off (libFuzzer's default
#              mutation, CMP tracing included), over SEEDS different -seed values from the same
#              seed corpus, each capped at RUNS executions: the median number of executions to
#              the crash and how many runs found it;
#   AFL++      with and without AFL_CUSTOM_MUTATOR_LIBRARY, AFL_REPS runs each (-s 1..), each
#              stopping at the first crash (AFL_BENCH_UNTIL_CRASH) or after AFL_SECONDS: the
#              executions and time of the first saved crash, from its file name.
#
# Environment: SEEDS (20), RUNS (300000), AFL_REPS (5), AFL_SECONDS (20), JOBS (2),
# WORK (a temporary directory, removed at the end unless KEEP=1).
# The tables go to standard output (markdown) and to $WORK/results.md.
set -euo pipefail

SEEDS=${SEEDS:-20}
RUNS=${RUNS:-300000}
AFL_REPS=${AFL_REPS:-5}
AFL_SECONDS=${AFL_SECONDS:-20}
JOBS=${JOBS:-2}
BUGS="rpmsg_offbyone vmsg_set_config rpmsg_legacy_order"

fmt_of() {
    case $1 in
    vmsg_*) echo vmsg ;;
    *) echo rpmsg-frame ;;
    esac
}

# ---- one libFuzzer run (called through xargs): BUG MODE SEED ------------------------------
if [[ ${1:-} == --lf-task ]]; then
    bug=$2 mode=$3 seed=$4
    dir=$WORK/lf/$bug-$mode-$seed
    rm -rf "$dir"
    mkdir -p "$dir/corpus"
    cp "$WORK/seeds/$bug/"* "$dir/corpus/"
    if [[ $mode == default ]]; then export VCF_FUZZ_MUTATOR=off; else unset VCF_FUZZ_MUTATOR; fi
    "$LF/fuzz/bench/vcf_planted_$bug" -seed="$seed" -runs="$RUNS" -max_len=1024 \
        -print_final_stats=1 -artifact_prefix="$dir/" "$dir/corpus" >"$dir/log" 2>&1 || true
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
    found=0
    grep -q "vconform fuzz finding" "$dir/log" && found=1
    echo "$bug $mode $seed $found ${execs:-0}" >"$dir/result"
    exit 0
fi

# ---- one AFL++ run (called through xargs): BUG MODE REP --------------------------------------
if [[ ${1:-} == --afl-task ]]; then
    bug=$2 mode=$3 rep=$4
    dir=$WORK/afl/$bug-$mode-$rep
    rm -rf "$dir"
    mkdir -p "$dir"
    env=(AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
         AFL_NO_AFFINITY=1 AFL_BENCH_UNTIL_CRASH=1)
    if [[ $mode == mutator ]]; then
        env+=(AFL_CUSTOM_MUTATOR_LIBRARY="$AFLB/fuzz/libvcf_afl_mutator.so"
              VCF_FUZZ_FORMAT="$(fmt_of "$bug")")
    fi
    start=$(date +%s%N)
    env "${env[@]}" afl-fuzz -i "$WORK/seeds/$bug" -o "$dir/out" -s "$rep" -V "$AFL_SECONDS" \
        -- "$AFLB/fuzz/bench/vcf_planted_$bug" >"$dir/log" 2>&1 || true
    wall=$(( ($(date +%s%N) - start) / 1000000 ))
    # afl-fuzz exits 0 after crashes too: look at what it saved
    first=""
    for f in "$dir"/out/default/crashes/id:*; do # sorted: id:000000 first
        if [[ -e $f ]]; then
            first=${f##*/}
            break
        fi
    done
    if [[ -n $first ]]; then
        execs=$(sed -n 's/.*,execs:\([0-9]*\).*/\1/p' <<<"$first")
        ms=$(sed -n 's/.*,time:\([0-9]*\).*/\1/p' <<<"$first")
        echo "$bug $mode $rep 1 ${execs:-0} ${ms:-0} $first" >"$dir/result"
    else
        total=$(sed -n 's/^execs_done *: *//p' "$dir/out/default/fuzzer_stats" 2>/dev/null || echo 0)
        echo "$bug $mode $rep 0 ${total:-0} $wall -" >"$dir/result"
    fi
    exit 0
fi

# ---- the benchmark -------------------------------------------------------------------------
if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 LF_BUILD_DIR [AFL_BUILD_DIR]" >&2
    exit 2
fi
LF=$(cd "$1" && pwd)
AFLB=""
if [[ $# -eq 2 ]]; then
    AFLB=$(cd "$2" && pwd)
fi
for bug in $BUGS; do
    [[ -x $LF/fuzz/bench/vcf_planted_$bug ]] || {
        echo "$LF/fuzz/bench/vcf_planted_$bug: not built (a libfuzzer-engine build with" \
             "VCF_FUZZ_PLANTED=ON is needed)" >&2
        exit 2
    }
    if [[ -n $AFLB && ! -x $AFLB/fuzz/bench/vcf_planted_$bug ]]; then
        echo "$AFLB/fuzz/bench/vcf_planted_$bug: not built (an afl-engine build is needed)" >&2
        exit 2
    fi
done
if [[ -n $AFLB ]]; then
    [[ -f $AFLB/fuzz/libvcf_afl_mutator.so ]] || {
        echo "$AFLB/fuzz/libvcf_afl_mutator.so: not built" >&2
        exit 2
    }
    command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found" >&2; exit 2; }
fi

own_work=0
if [[ -z ${WORK:-} ]]; then
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/vcf-mutator-bench.XXXXXX")
    own_work=1
fi
export WORK LF AFLB RUNS AFL_SECONDS
cleanup() {
    if [[ $own_work == 1 && ${KEEP:-0} != 1 ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

# Seed corpus: a few valid messages, little-endian links only (the legacy big-endian path is
# what bug 3 hides behind). Written byte by byte so that the bytes are in plain view.
mkseed() { # FILE HEX...
    local f=$1
    shift
    printf '%b' "$(printf '\\x%s' "$@")" >"$f"
}
for bug in rpmsg_offbyone rpmsg_legacy_order; do
    d=$WORK/seeds/$bug
    mkdir -p "$d"
    # param 0 (LE, NS on); 0x400 -> 0x401, len 4, "ping"
    mkseed "$d/data4" 00 00 04 00 00 01 04 00 00 00 00 00 00 04 00 00 00 70 69 6e 67
    # 0x401 -> 0x400, len 12, "hello, world"
    mkseed "$d/data12" 00 01 04 00 00 00 04 00 00 00 00 00 00 0c 00 00 00 \
        68 65 6c 6c 6f 2c 20 77 6f 72 6c 64
    # name service: 0x400 -> 53, len 40, "rpmsg-echo" at 0x400, create
    mkseed "$d/ns" 00 00 04 00 00 35 00 00 00 00 00 00 00 28 00 00 00 \
        72 70 6d 73 67 2d 65 63 68 6f 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 \
        00 00 00 00 00 04 00 00 00 00 00 00
done
d=$WORK/seeds/vmsg_set_config
mkdir -p "$d"
# param 0 (PR28, exact framing); SET_CONFIG request, token 1, msg_size 24: gen 0, offset 0,
# length 4, data 01 02 03 04
mkseed "$d/set4" 00 00 06 00 00 01 00 18 00 00 00 00 00 00 00 00 00 04 00 00 00 01 02 03 04
# SET_CONFIG, msg_size 28: offset 16, length 8
mkseed "$d/set8" 00 00 06 00 00 02 00 1c 00 00 00 00 00 10 00 00 00 08 00 00 00 \
    01 02 03 04 05 06 07 08
# GET_CONFIG request, msg_size 16: offset 0, length 8
mkseed "$d/get" 00 00 05 00 00 03 00 10 00 00 00 00 00 00 00 00 00 08 00 00 00

median() { # values on stdin (numbers or "inf"): the median, "inf" when above every finite one
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "-"; exit }
        m = v[int((NR + 1) / 2)]
        if (NR % 2 == 0 && v[NR / 2 + 1] != "inf" && m != "inf") m = (m + v[NR / 2 + 1]) / 2
        print m }'
}

out=$WORK/results.md
{
    echo "### libFuzzer: executions to the planted crash"
    echo
    echo "Median over $SEEDS runs (-seed=1..$SEEDS, the same 3-message seed corpus), each capped at"
    echo "-runs=$RUNS; \"> cap\" when more than half of the runs did not find it."
    echo
    echo "| bug | structure-aware: median execs | found | default (VCF_FUZZ_MUTATOR=off): median execs | found | default / structure-aware |"
    echo "|---|---:|---:|---:|---:|---:|"
} >"$out"

echo "libFuzzer: $(wc -w <<<"$BUGS") bugs x 2 mutators x $SEEDS seeds, $JOBS at a time..." >&2
for bug in $BUGS; do
    for mode in mutator default; do
        for s in $(seq 1 "$SEEDS"); do echo "$bug $mode $s"; done
    done
done | xargs -P "$JOBS" -n 3 bash "$0" --lf-task

for bug in $BUGS; do
    declare -A med=() fnd=()
    for mode in mutator default; do
        vals=$(cat "$WORK/lf/$bug-$mode"-*/result |
            awk '{ print ($4 == 1) ? $5 : "inf" }')
        med[$mode]=$(median <<<"$vals")
        fnd[$mode]=$(cat "$WORK/lf/$bug-$mode"-*/result | awk '{ n += $4 } END { print n + 0 }')
    done
    ratio="-"
    if [[ ${med[mutator]} != inf && ${med[default]} != inf && ${med[mutator]} != 0 ]]; then
        ratio=$(awk -v a="${med[default]}" -v b="${med[mutator]}" 'BEGIN { printf "%.1fx", a / b }')
    elif [[ ${med[mutator]} != inf ]]; then
        ratio="> $(awk -v a="$RUNS" -v b="${med[mutator]}" 'BEGIN { printf "%.0fx", a / b }')"
    fi
    show() { [[ $1 == inf ]] && echo "> $RUNS" || echo "$1"; }
    echo "| $bug | $(show "${med[mutator]}") | ${fnd[mutator]}/$SEEDS | $(show "${med[default]}") | ${fnd[default]}/$SEEDS | $ratio |" >>"$out"
    unset med fnd
done

if [[ -n $AFLB ]]; then
    {
        echo
        echo "### AFL++: the first saved crash"
        echo
        echo "$AFL_REPS runs each (-s 1..$AFL_REPS), stopping at the first crash or after ${AFL_SECONDS} s;"
        echo "executions and milliseconds from the name of the first crash file (median; \"-\" when"
        echo "more than half found nothing)."
        echo
        echo "| bug | custom mutator: median execs | ms | found | havoc only: median execs | ms | found |"
        echo "|---|---:|---:|---:|---:|---:|---:|"
    } >>"$out"
    echo "AFL++: $(wc -w <<<"$BUGS") bugs x 2 x $AFL_REPS runs, up to ${AFL_SECONDS} s each..." >&2
    for bug in $BUGS; do
        for mode in mutator default; do
            for r in $(seq 1 "$AFL_REPS"); do echo "$bug $mode $r"; done
        done
    done | xargs -P "$JOBS" -n 3 bash "$0" --afl-task
    for bug in $BUGS; do
        row="| $bug"
        for mode in mutator default; do
            res=$(cat "$WORK/afl/$bug-$mode"-*/result)
            e=$(awk '{ print ($4 == 1) ? $5 : "inf" }' <<<"$res" | median)
            t=$(awk '{ print ($4 == 1) ? $6 : "inf" }' <<<"$res" | median)
            f=$(awk '{ n += $4 } END { print n + 0 }' <<<"$res")
            [[ $e == inf ]] && e="-"
            [[ $t == inf ]] && t="-"
            row+=" | $e | $t | $f/$AFL_REPS"
        done
        echo "$row |" >>"$out"
    done
    loaded=$(grep -l "Loading custom mutator library" "$WORK"/afl/*-mutator-*/log 2>/dev/null | wc -l)
    shopt -s nullglob
    named=("$WORK"/afl/*-mutator-*/out/default/{queue,crashes}/*op:vcf.*)
    shopt -u nullglob
    {
        echo
        echo "afl-fuzz loaded libvcf_afl_mutator.so in $loaded of $((3 * AFL_REPS)) custom-mutator runs;"
        echo "${#named[@]} queue entries and crashes were named by afl_custom_describe (\"op:vcf.*\")."
    } >>"$out"
fi

{
    echo
    echo "Machine: $(nproc) cores, $(uname -m); $(clang --version 2>/dev/null | head -1 || true);" \
        "$(afl-fuzz -h 2>&1 | grep -m1 -o 'afl-fuzz++[0-9.a-z]*' || true)."
} >>"$out"
cat "$out"
