#!/usr/bin/env bash
# Tests for `vconform rules`, and the check that the generated catalogue files are current:
# vectors/rules/NAME.json and the generated tables of docs/rules/NAME.md must be exactly what the
# model prints (run ci/regen.sh after changing a catalogue). TAP output.
#
# usage: rules_test.sh SOURCE_DIR [EMULATOR ARGS...] VCONFORM
set -u
src=$1
shift
V=("$@")

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"

# same NAME FILE [SHOWN]: the last run's stdout equals FILE (named SHOWN in the message)
same() {
  n=$((n + 1))
  if cmp -s "$out" "$2"; then
    echo "ok $n - $1"
  else
    echo "not ok $n - $1: differs from ${3:-${2#"$src"/}} (run ci/regen.sh)"
    diff -u "$2" "$out" | head -20 | sed 's/^/#   /'
    failed=$((failed + 1))
  fi
}

for doc in "$src"/docs/rules/*.md; do
  name=$(basename "$doc" .md)
  t "$name: JSON catalogue prints" 0 '"protocol": "'"$name"'"' '' '' -- \
    rules --proto "$name" --format json
  same "$name: vectors/rules/$name.json is current" "$src/vectors/rules/$name.json"
  t "$name: Markdown catalogue prints" 0 '^\| ID \| Level' '' '' -- \
    rules --proto "$name" --format markdown
  sed -n '/<!-- BEGIN GENERATED/,/<!-- END GENERATED/p' "$doc" | sed '1d;$d' >"$out.want"
  same "$name: docs/rules/$name.md tables are current" "$out.want" "docs/rules/$name.md"
  rm -f "$out.want"
done

t "text summary counts the levels" 0 \
  '^RPMsg over virtio \(rpmsg\): [0-9]+ rules: [0-9]+ MUST, [0-9]+ SHOULD, [0-9]+ MAY, [0-9]+ IMPL' \
  '' '' -- rules
t "text lists a rule with level, actors and aspect" 0 \
  'RPMSG-HDR-08 +MUST +driver, device +receive +len must fit in the used length' '' '' -- rules
t "level filter keeps only that level" 0 'IMPL' '' '' -- rules --level impl
n=$((n + 1))
if "${V[@]}" rules --level IMPL | grep -Eq ' (MUST|SHOULD|MAY) '; then
  echo "not ok $n - level filter: other levels printed"
  failed=$((failed + 1))
else
  echo "ok $n - level filter: no other level printed"
fi
t "virtio-msg catalogue summary" 0 \
  '^virtio-msg transport \(virtio-msg\): [0-9]+ rules: [0-9]+ MUST' '' '' -- rules --proto virtio-msg
t "virtio-msg rule shows its spec label and revisions" 0 \
  'label: dev:Basic Concepts / Configuration Generation Count / Device' '' '' -- rules VMSG-GEN-03
t "virtio-msg rule JSON has revisions" 0 '"revisions": \[' '' '' -- rules --format json VMSG-R3-02
t "one rule in full" 0 'source: virtio_rpmsg_bus.c: rpmsg_recv_single\(\)' '' '' -- \
  rules RPMSG-HDR-14
t "one rule as JSON" 0 '"id": "RPMSG-NS-22"' '' '' -- rules --format json RPMSG-NS-22
t "verbose text has the statements" 0 '^      A receiver drops a message whose len' '' '' -- rules -v
t "unknown rule ID" 2 '' "no rule 'RPMSG-XX-01' in any catalogue" '' -- rules RPMSG-XX-01
t "usage: unknown catalogue" 64 '' "no catalogue for 'usb'" '' -- rules --proto usb
t "usage: unknown level" 64 '' "unknown level in 'MUSTNT'" '' -- rules --level MUSTNT
t "usage: unknown format" 64 '' "unknown format 'xml'" '' -- rules --format xml
t "rules --help" 0 'Exit status' '' '' -- rules --help

tap_done
