#!/usr/bin/env bash
# The capture library example end to end: record_demo writes a capture (upper-PDU, then USER0),
# capture_check reads it back through libpcap and vcf_capture_parse, and every line but the
# link type must equal record_demo.expected.
#   demo.sh EXPECTED WORKDIR [EMULATOR] RECORD_DEMO CAPTURE_CHECK
set -euo pipefail
expected=$1 work=$2
shift 2
emu=()
# the emulator command comes as one word-split string (a cross build's qemu-s390x -L ... -E ...;
# empty for a native build)
if [ $# -eq 3 ]; then read -r -a emu <<<"$1"; shift; fi
demo=$1 check=$2
mkdir -p "$work"
for lt in 252 147; do
  out="$work/demo-$lt.pcap"
  rm -f "$out"
  "${emu[@]}" "$demo" "$out" "$lt" | grep -q "3 records in $out"
  "${emu[@]}" "$check" "$out" > "$work/demo-$lt.txt"
  want_lt="linktype 252 (upper-pdu)"
  filter=(cat)
  if [ "$lt" = 147 ]; then
    want_lt="linktype 147 (user0)"
    filter=(sed 's/ tag vconform//')  # USER link types carry no exported-PDU tags
  fi
  head -n1 "$work/demo-$lt.txt" | grep -qx "$want_lt" || {
    echo "demo.sh: $lt: first line: $(head -n1 "$work/demo-$lt.txt"), expected $want_lt"; exit 1; }
  if ! diff -u <("${filter[@]}" "$expected" | tail -n +2) <(tail -n +2 "$work/demo-$lt.txt"); then
    echo "demo.sh: link type $lt: capture_check output differs from $expected"
    exit 1
  fi
done
echo "demo.sh: record_demo captures (link types 252 and 147) read back as expected"
