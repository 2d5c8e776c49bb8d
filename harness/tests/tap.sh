# TAP helpers shared by the CLI test scripts. The caller sets V to the vconform command
# (possibly behind an emulator) and sources this file.
n=0
failed=0
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

# t NAME STATUS STDOUT_REGEX STDERR_REGEX STDIN -- ARGS...
#   STDIN is text fed to the command ('' for none); regexes are grep -E, '' matches anything.
t() {
  local name=$1 want=$2 out_re=$3 err_re=$4 input=$5
  shift 6
  n=$((n + 1))
  local got
  if [ -n "$input" ]; then
    printf '%s' "$input" | "${V[@]}" "$@" >"$out" 2>"$err"
  else
    "${V[@]}" "$@" </dev/null >"$out" 2>"$err"
  fi
  got=$?
  local why=""
  [ "$got" = "$want" ] || why="exit status $got, expected $want"
  if [ -z "$why" ] && [ -n "$out_re" ] && ! grep -Eq -- "$out_re" "$out"; then
    why="stdout does not match /$out_re/"
  fi
  if [ -z "$why" ] && [ -n "$err_re" ] && ! grep -Eq -- "$err_re" "$err"; then
    why="stderr does not match /$err_re/"
  fi
  if [ -z "$why" ]; then
    echo "ok $n - $name"
  else
    echo "not ok $n - $name: $why"
    sed 's/^/#   stdout: /' "$out" | head -20
    sed 's/^/#   stderr: /' "$err" | head -10
    failed=$((failed + 1))
  fi
}

# lines LINES: the last run wrote exactly LINES lines to stderr
stderr_lines() {
  n=$((n + 1))
  local got
  got=$(wc -l <"$err")
  if [ "$got" -eq "$1" ]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2: $got stderr lines, expected $1"
    failed=$((failed + 1))
  fi
}

# tap_done: print the plan and exit non-zero if any check failed
tap_done() {
  echo "1..$n"
  [ "$failed" -eq 0 ] || echo "# $failed of $n failed"
  exit $((failed > 0))
}
