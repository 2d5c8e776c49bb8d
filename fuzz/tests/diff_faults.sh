#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The differential target finds every injected fault class of the model adapter
# (docs/fuzzing-diff.md, docs/faults.md):
#
#   diff_faults.sh FUZZ_DIFF VCONFORM VCONFORM_PEER SEEDS_DIR
#
#   1. the fault-free model replays every diff seed with no finding;
#   2. for every fault of `vconform mutants --list`, VCONFORM_FUZZ_ADAPTER=model:fault=NAME
#      makes the replay of the same seeds stop with a finding: a non-zero exit, the line
#      "vconform fuzz finding: diff: ..." and a decoded account (the diverging step, the
#      reference's and the implementation's observations, what differs);
#   3. the same over exec: (vconform-peer in a child process): a fault is found, the fault-free
#      peer agrees on every seed;
#   4. a bad adapter spec stops the target at start-up with exit status 2;
#   5. dynamic RPMsg addresses are compared up to a renaming (diff.h, N1).
#
# FUZZ_DIFF is the replay build (VCF_FUZZ_ENGINE=none). VCF_EMULATOR (cross builds) runs the
# binaries. Prints one line per fault: the fault, the seed that found it, what differed.
#
# The same script measures how long libFuzzer needs to find each fault from a tiny corpus (five
# seed scripts, one per role) with a libFuzzer build of the target:
#
#   diff_faults.sh --libfuzzer FUZZ_DIFF VCONFORM SEEDS_DIR DICT [SECONDS [JOBS]]
#
# Every fault gets at most SECONDS (default 60) of fuzzing, JOBS faults at a time (default 2),
# with -seed=1; prints a Markdown table (docs/fuzzing-diff.md). A measurement, not a test.
set -u

tiny="rpmsg-drv-ns-rx-create rpmsg-dev-tx-send-basic vmsg-dev-status-full-init
      vmsg-drv-core-messages vmsg-bus-ping-pong"

# Internal: one fault of the measurement (run by xargs below): fuzz until the finding or the
# time limit, write one table row to WORK/FAULT.row.
if [ "${1:-}" = "--libfuzzer-one" ]; then
    fuzz=$2
    seeds=$3
    dict=$4
    secs=$5
    work=$6
    f=$7
    mkdir -p "$work/$f.corpus"
    for s in $tiny; do cp "$seeds/$s" "$work/$f.corpus/" || exit 1; done
    t0=$(date +%s.%N)
    VCONFORM_FUZZ_ADAPTER="model:fault=$f" timeout $((secs + 60)) "$fuzz" -seed=1 \
        -max_total_time="$secs" -print_final_stats=1 -dict="$dict" \
        -artifact_prefix="$work/$f." "$work/$f.corpus" >"$work/$f.log" 2>&1
    t1=$(date +%s.%N)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$f.log" | tail -n 1)
    t=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
    if grep -q '^vconform fuzz finding: diff: ' "$work/$f.log"; then
        why=$(sed -n 's/^differs: //p' "$work/$f.log" | head -n 1 | sed 's/;.*//' | cut -c1-110 |
            sed 's/ ([^)]*$//')
        by=fuzzing
        grep -q 'INITED' "$work/$f.log" || by="a seed"
        echo "| \`$f\` | $by | $t | ${execs:-0} | $why |" >"$work/$f.row"
    else
        echo "| \`$f\` | not found in $secs s | $t | ${execs:-?} | |" >"$work/$f.row"
    fi
    exit 0
fi

if [ "${1:-}" = "--libfuzzer" ]; then
    shift
    if [ $# -lt 4 ]; then
        echo "usage: $0 --libfuzzer FUZZ_DIFF VCONFORM SEEDS_DIR DICT [SECONDS [JOBS]]" >&2
        exit 2
    fi
    fuzz=$1
    vconform=$2
    seeds=$3
    dict=$4
    secs=${5:-60}
    jobs=${6:-2}
    work=$(mktemp -d "${TMPDIR:-/tmp}/diff_lf.XXXXXX") || exit 2
    trap 'rm -rf "$work"' EXIT INT TERM
    # A copy of the five seeds: a seed run of ctest may rewrite SEEDS_DIR meanwhile.
    mkdir -p "$work/tiny"
    for s in $tiny; do
        if ! cp "$seeds/$s" "$work/tiny/"; then
            echo "no seed $seeds/$s (run ctest -R fuzz_seeds in a replay build)" >&2
            exit 2
        fi
    done
    seeds=$work/tiny
    "$vconform" mutants --list | awk '/^[a-z]/ {print $1}' >"$work/faults" || exit 2
    xargs -P "$jobs" -n 1 sh "$0" --libfuzzer-one "$fuzz" "$seeds" "$dict" "$secs" "$work" \
        <"$work/faults"
    echo "| fault | found by | seconds | execs | what differed first |"
    echo "|---|---|---|---|---|"
    while read -r f; do cat "$work/$f.row"; done <"$work/faults"
    exit 0
fi

if [ $# -ne 4 ]; then
    echo "usage: $0 FUZZ_DIFF VCONFORM VCONFORM_PEER SEEDS_DIR" >&2
    exit 2
fi
fuzz=$1
vconform=$2
peer=$3
seeds=$4
emu=${VCF_EMULATOR:-}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/diff_faults.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

n_seeds=$(find "$seeds" -maxdepth 1 -type f ! -name '.*' 2>/dev/null | wc -l)
if [ "$n_seeds" -eq 0 ]; then
    echo "FAIL: no seeds in $seeds (run ctest -R fuzz_seeds first)"
    exit 1
fi

# The fault classes: `vconform mutants --list` prints each name at the start of a line, its
# roles after it and the summary indented on the next line.
$emu "$vconform" mutants --list >"$tmp/faults.txt" || {
    echo "FAIL: vconform mutants --list"
    exit 1
}
faults=$(awk '/^[a-z]/ {print $1}' "$tmp/faults.txt")
n_faults=$(echo "$faults" | grep -c .)
if [ "$n_faults" -eq 0 ]; then
    echo "FAIL: vconform mutants --list names no fault"
    exit 1
fi
echo "$n_seeds seeds, $n_faults fault classes"

# A replay that must end with a finding and a decoded account. $1: label; stderr in $tmp/err,
# stdout (--explain: "== SEED" before each input) in $tmp/out, exit status in $2.
check_finding() {
    label=$1
    rc=$2
    if [ "$rc" -eq 0 ]; then
        fail "$label: no finding (exit 0)"
        return
    fi
    if ! grep -q '^vconform fuzz finding: diff: ' "$tmp/err"; then
        fail "$label: exit $rc without 'vconform fuzz finding: diff:'"
        sed -n '1,20p' "$tmp/err"
        return
    fi
    for want in '^=== vconform diff: reference ' '^verdict: diverged: ' '^reference (' \
        '^implementation (' '^differs: '; do
        if ! grep -q "$want" "$tmp/err"; then
            fail "$label: the account lacks '$want'"
            sed -n '1,40p' "$tmp/err"
            return
        fi
    done
    seed=$(grep '^== ' "$tmp/out" | tail -n 1 | sed 's/^== //; s/ (.*//; s|.*/||')
    why=$(sed -n 's/^differs: //p' "$tmp/err" | head -n 1)
    printf '%-40s %-44s %s\n' "$label" "$seed" "$why"
}

# 1. No fault: no finding.
VCONFORM_FUZZ_ADAPTER=model $emu "$fuzz" "$seeds" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 0 ] || grep -q 'vconform fuzz finding' "$tmp/err"; then
    fail "model (no fault): exit $rc on the seeds"
    sed -n '1,60p' "$tmp/err"
fi
if ! grep -q 'inputs replayed, no finding' "$tmp/err"; then
    fail "model (no fault): the replay did not report its inputs"
fi
if ! grep -q '^fuzz_diff: implementation model (in-process' "$tmp/err"; then
    fail "model (no fault): no start-up banner naming both adapters"
    sed -n '1,5p' "$tmp/err"
fi

# 2. Every fault is found.
for f in $faults; do
    VCONFORM_FUZZ_ADAPTER="model:fault=$f" $emu "$fuzz" --explain "$seeds" >"$tmp/out" \
        2>"$tmp/err"
    check_finding "$f" $?
done

# 3. exec: the model served by vconform-peer in a child process.
VCONFORM_FUZZ_ADAPTER="exec:$emu $peer --adapter model:fault=rpmsg-ns-destroy-ignored" \
    $emu "$fuzz" --explain "$seeds" >"$tmp/out" 2>"$tmp/err"
check_finding "exec: rpmsg-ns-destroy-ignored" $?
VCONFORM_FUZZ_ADAPTER="exec:$emu $peer" $emu "$fuzz" "$seeds" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 0 ] || ! grep -q '^fuzz_diff: implementation exec:.*(child process' "$tmp/err"; then
    fail "exec: vconform-peer (no fault): exit $rc"
    sed -n '1,60p' "$tmp/err"
fi

# 4. A bad spec is a start-up error.
VCONFORM_FUZZ_ADAPTER="nonsense" $emu "$fuzz" "$seeds" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 2 ] || ! grep -q "VCONFORM_FUZZ_ADAPTER=nonsense: unknown adapter" "$tmp/err"; then
    fail "a bad spec: expected exit 2 and 'unknown adapter', got exit $rc"
    cat "$tmp/err"
fi
VCONFORM_FUZZ_ADAPTER="model:fault=no-such-fault" $emu "$fuzz" "$seeds" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 2 ]; then
    fail "an unknown fault: expected exit 2, got exit $rc"
    cat "$tmp/err"
fi

# 5. N1: dynamic addresses are compared up to a renaming. The OpenAMP profile hands addresses
# out round-robin, the strict one lowest-free: create, create, destroy 1024, create gives 1024
# in the reference and 1026 in the implementation; the destroys that follow name 1024 and must
# reach 1026 (done, then refused on both sides).
any='\002\000\001\377\377\377\377\377\377\377\377\000\000\000\000\000\000\000\000\000\000'
del='\002\001\001\000\004\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000'
{
    printf '\001\036\000addr_first=1024\naddr_last=1031'
    # shellcheck disable=SC2059 # the format is made of the fixed records above
    printf "$any$any$del$any$del$del"
} >"$tmp/alias.script"
VCONFORM_FUZZ_ADAPTER=model:profile=openamp $emu "$fuzz" --explain "$tmp/alias.script" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 0 ] || ! grep -q '^verdict: same: 6 steps compared' "$tmp/out" ||
    ! grep -q '^dynamic addresses renamed (implementation -> reference): 1026->1024 (step 4)' \
        "$tmp/out"; then
    fail "N1: the OpenAMP profile's dynamic address is not renamed (exit $rc)"
    cat "$tmp/out" "$tmp/err"
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all $n_faults fault classes found; no finding without a fault"
