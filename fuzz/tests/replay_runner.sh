#!/usr/bin/env bash
# The replay runner's contract (fuzz/common/replay_main.c), checked with a real target binary
# (fuzz_vmsg_msg): what ctest relies on when it replays corpora and saved crashers. TAP output.
#
# usage: replay_runner.sh FUZZ_DIR [EMULATOR ARGS...] FUZZ_VMSG_MSG
set -u
fuzz_dir=$1
shift
V=("$@") # the target, possibly behind an emulator

# shellcheck source=../../harness/tests/tap.sh
. "$fuzz_dir/../harness/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$out" "$err"' EXIT

# A GET_DEVICE_INFO response (PR28, no bus maximum): device 1, vendor "QEMU", 64 feature bits,
# 16 bytes of config, 3 virtqueues.
info="$tmp/get-device-info-resp"
printf '\x00\x01\x02\x00\x00\x2a\x00\x20\x00\x01\x00\x00\x00\x51\x45\x4d\x55\x40\x00\x00\x00\x10\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00' >"$info"
# A message the parser refuses: msg_size 44 in an 8-byte buffer.
short="$tmp/short"
printf '\x00\x00\x02\x00\x00\x01\x00\x2c\x00' >"$short"
mkdir "$tmp/corpus" "$tmp/empty"
cp "$info" "$short" "$tmp/corpus/"
printf 'not an input\n' >"$tmp/corpus/README.md"
printf 'hidden\n' >"$tmp/corpus/.hidden"

t "a file replays" 0 '' '1 inputs replayed, no finding' '' -- "$info"
t "a directory replays its files, skipping *.md and dot files" 0 '' \
  '2 inputs replayed, no finding' '' -- "$tmp/corpus"
t "files and directories mix" 0 '' '4 inputs replayed, no finding' '' -- \
  "$info" "$tmp/corpus" "$short"
t "a missing directory is skipped with a note" 0 '' \
  "$tmp/no-such-dir: no such file or directory, skipped" '' -- "$tmp/no-such-dir" "$tmp/corpus"
t "a run that replays nothing fails (missing path)" 1 '' 'no input replayed' '' -- \
  "$tmp/no-such-dir"
t "a run that replays nothing fails (empty directory)" 1 '' 'no input replayed' '' -- \
  "$tmp/empty"
t "no path is a usage error" 2 '' 'usage: ' '' --
t "engine options are ignored" 0 '' 'ignoring engine option -runs=10' '' -- -runs=10 "$info"
stdout_empty() {
  n=$((n + 1))
  if [ -s "$out" ]; then
    echo "not ok $n - $1: stdout is not empty"
    failed=$((failed + 1))
  else
    echo "ok $n - $1"
  fi
}
t "a plain replay" 0 '' '' '' -- "$info"
stdout_empty "a plain replay prints nothing on stdout"

t "--explain names the input" 0 "^== $info \\(33 bytes\\)" '' '' -- --explain "$info"
t "--explain shows the parameters" 0 'revision pr28, bus padding not allowed' '' '' -- \
  --explain "$info"
t "--explain shows the message" 0 'GET_DEVICE_INFO response \(type 0x01, id 0x02\).*msg_size 32' \
  '' '' -- --explain "$info"
t "--explain shows the decoded fields" 0 'vendor_id +@12\+4 = 1431127377 \(0x554d4551\)' '' '' \
  -- --explain "$info"
t "--explain shows field meanings" 0 'device_id +@8\+4 = 1 \(0x1\)  network' '' '' -- \
  --explain "$info"
t "--explain says what was checked" 0 '^checked: decode = parse \+ check' '' '' -- \
  --explain "$info"
t "--explain shows a structural error with its offset" 0 \
  'parse: offset 6 \(msg_size\).*expected 8, got 44' '' '' -- --explain "$short"
t "--explain goes through every input" 0 "== $tmp/corpus/short" '' '' -- --explain "$tmp/corpus"

tap_done
