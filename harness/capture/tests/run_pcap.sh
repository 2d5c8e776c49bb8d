#!/usr/bin/env bash
# `vconform run --pcap` with the model adapter, for each link type: every record parses, every
# message the implementation emitted is SYNTHESIZED (the model made it) and none it received is,
# timestamps are logical (the same run twice gives the same file).
#   run_pcap.sh WORKDIR VECTORS [EMULATOR] VCONFORM CAPTURE_CHECK
set -euo pipefail
work=$1 vectors=$2
shift 2
emu=()
# the emulator command comes as one word-split string (a cross build's qemu-s390x -L ... -E ...;
# empty for a native build)
if [ $# -eq 3 ]; then read -r -a emu <<<"$1"; shift; fi
vconform=$1 check=$2
mkdir -p "$work"
for lt in upper-pdu user0 user15; do
  for n in 1 2; do
    rc=0
    "${emu[@]}" "$vconform" run -q -V "$vectors" --pcap "$work/run-$lt-$n.pcap" \
      --pcap-linktype "$lt" -R json -o /dev/null || rc=$?
    [ "$rc" -le 1 ] || { echo "run_pcap.sh: vconform run exited $rc"; exit 1; }
  done
  cmp "$work/run-$lt-1.pcap" "$work/run-$lt-2.pcap" ||
    { echo "run_pcap.sh: $lt: two runs gave different captures"; exit 1; }
  "${emu[@]}" "$check" "$work/run-$lt-1.pcap" > "$work/run-$lt.txt"
  awk -v lt="$lt" '
    NR == 1 { if (index($0, "(" lt ")") == 0) { print "link type line: " $0; bad = 1 }; next }
    $3 != "v2" { print "not parsed as version 2: " $0; bad = 1; next }
    {
      dir = $6; flags = $16; synth = index("2367abef", substr(flags, length(flags))) > 0
      if (dir == 1 && !synth) { print "emitted, not SYNTHESIZED: " $0; bad = 1 }
      if (dir == 0 && synth) { print "injected, SYNTHESIZED: " $0; bad = 1 }
      if ($0 !~ / bus harness /) { print "bus is not harness: " $0; bad = 1 }
      n++
    }
    END { if (n < 100) { print "only " n " records"; bad = 1 }; exit bad }
  ' "$work/run-$lt.txt" || { echo "run_pcap.sh: $lt: see above"; exit 1; }
done
echo "run_pcap.sh: vconform run --pcap: upper-pdu, user0, user15 captures parse, SYNTHESIZED as expected"
