#!/usr/bin/env bash
# Regenerate everything that is generated from the model and checked in:
#   vectors/rules/NAME.json      vconform rules --proto NAME --format json
#   docs/rules/NAME.md           the part between the BEGIN/END GENERATED markers
#   vectors/ROLE.json            vconform gen (the golden vectors)
# Run after changing a rule catalogue, the model or a generator; the cli_rules and
# vectors_current tests fail until you do.
#
# usage: ci/regen.sh [VCONFORM]     (default: build/gcc/harness/vconform, built if missing)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
v=${1:-$root/build/gcc/harness/vconform}
if [ $# -eq 0 ]; then
  cmake -S "$root" -B "$root/build/gcc" >/dev/null
  cmake --build "$root/build/gcc" --target vconform -j "$(nproc)" >/dev/null
fi

# splice FILE: replace the lines between the markers with standard input
splice() {
  local file=$1 tmp
  tmp=$(mktemp)
  cat >"$tmp.body"
  awk -v body="$tmp.body" '
    /<!-- BEGIN GENERATED/ { print; while ((getline line < body) > 0) print line; skip = 1; next }
    /<!-- END GENERATED/ { skip = 0 }
    !skip { print }' "$file" >"$tmp"
  mv "$tmp" "$file"
  rm -f "$tmp.body"
}

for doc in "$root"/docs/rules/*.md; do
  name=$(basename "$doc" .md)
  "$v" rules --proto "$name" --format json >"$root/vectors/rules/$name.json"
  "$v" rules --proto "$name" --format markdown | splice "$doc"
  echo "regenerated vectors/rules/$name.json and docs/rules/$name.md"
done
"$v" gen --out "$root/vectors"
