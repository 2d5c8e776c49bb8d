#!/usr/bin/env bash
# The whole test matrix, as `make test` runs it: every suite is configured, built and run with
# ctest, and a summary is printed at the end. Exits non-zero if any suite fails.
#
#   gcc       gcc, -Wall -Wextra -Werror, all tests plus the format check; the Wireshark
#             plugin is built (VCF_BUILD_DISSECTOR=ON: a missing SDK fails the suite) and its
#             tshark tests run
#   clang     clang, same flags, all tests, the plugin and its tests too
#   sanitize  clang with AddressSanitizer + UndefinedBehaviorSanitizer; the dissector core is
#             built and replayed through the dissector fuzz target, not the plugin (an ASan
#             plugin cannot be loaded into the distribution's tshark)
#   s390x     big-endian: s390x cross build, tests under qemu-user with UBSan, plus the
#             host-endian-load canary that must fail there (no dissector: the Wireshark SDK
#             is the host's)
#   interop   cross-endian interop: the host vconform (gcc suite) runs the whole golden suite
#             through exec: against the s390x vconform-peer under qemu-user (needs gcc and
#             s390x built first)
#   fuzz-libfuzzer  every fuzz target built for libFuzzer (clang, ASan+UBSan), the dissector
#             target linking libwireshark among them, runs a few seconds from its corpus and
#             seeds (ci/fuzz-smoke.sh: any crash fails),
#             fuzz/campaign.sh runs end to end, and .clusterfuzzlite/build.sh is checked in an
#             emulated OSS-Fuzz environment
#   fuzz-afl  the same under AFL++ (afl-clang-fast, ASan+UBSan, persistent mode, the
#             structure-aware custom mutator; the verdict comes from fuzzer_stats), without
#             the OSS-Fuzz check
#   linux-uml the real Linux RPMsg driver: ci/linux-uml.sh builds (or finds in its cache) the
#             User-Mode Linux kernel, runs the RPMsg driver-side suite against it with the gcc
#             build's vconform --adapter linux-uml, and checks that model:profile=linux does
#             what the kernel did on every case (reports in $BUILD/linux-uml/; needs gcc built),
#             then a bounded differential fuzzing run of the kernel against the profile
#             with the fuzz-libfuzzer suite's engine build (FUZZ_SECONDS_UML, default 60)
#
# usage: ci/test-all.sh [SUITE...]     (default: all eight)
# FUZZ_SECONDS_LIBFUZZER / FUZZ_SECONDS_AFL: fuzzing time per target (default 5 / 8).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
jobs=$(nproc 2>/dev/null || echo 2)
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(gcc clang sanitize s390x interop fuzz-libfuzzer fuzz-afl linux-uml)

declare -A result
overall=0

# configure_build NAME CMAKE_ARGS...: configure and build $build/NAME; 1 (result set) on failure
configure_build() {
  local name=$1
  shift
  local dir="$build/$name"
  echo "=== suite $name: configure"
  if ! cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$dir.configure.log" 2>&1; then
    cat "$dir.configure.log"
    result[$name]="FAILED (configure)"
    overall=1
    return 1
  fi
  echo "=== suite $name: build"
  if ! cmake --build "$dir" -j "$jobs"; then
    result[$name]="FAILED (build)"
    overall=1
    return 1
  fi
}

run_suite() {
  local name=$1
  shift
  local dir="$build/$name"
  configure_build "$name" "$@" || return
  echo "=== suite $name: test"
  if (cd "$dir" && ctest --output-on-failure -j "$jobs"); then
    result[$name]="passed"
  else
    result[$name]="FAILED (tests)"
    overall=1
  fi
}

# A fuzzing build (no ctest: BUILD_TESTING=OFF) smoke-tested by ci/fuzz-smoke.sh.
# run_fuzz_suite NAME SECONDS SMOKE_OPTION CMAKE_ARGS...
run_fuzz_suite() {
  local name=$1 secs=$2 opt=$3
  shift 3
  configure_build "$name" -DBUILD_TESTING=OFF -DVCF_BUILD_BENCH=OFF "$@" || return
  echo "=== suite $name: fuzz smoke, $secs s per target"
  if bash "$root/ci/fuzz-smoke.sh" "$build/$name" "$secs" $opt; then
    result[$name]="passed"
  else
    result[$name]="FAILED (fuzz smoke)"
    overall=1
  fi
}

mkdir -p "$build"
for s in "${suites[@]}"; do
  case $s in
  gcc) CC=gcc run_suite gcc -DVCF_REQUIRE_JSON_SCHEMA=ON -DVCF_BUILD_DISSECTOR=ON ;;
  clang) CC=clang run_suite clang -DVCF_BUILD_DISSECTOR=ON ;;
  sanitize)
    CC=clang run_suite sanitize -DVCF_SANITIZE=address,undefined -DVCF_BUILD_BENCH=OFF \
      -DVCF_BUILD_DISSECTOR=ON
    ;;
  s390x)
    if bash "$root/ci/s390x-sysroot.sh" "$build/s390x-sysroot"; then
      run_suite s390x -DCMAKE_TOOLCHAIN_FILE="$root/cmake/s390x-linux-gnu.cmake" \
        -DS390X_SYSROOT="$build/s390x-sysroot" -DVCF_EXPECT_BIG_ENDIAN=ON \
        -DVCF_SANITIZE=undefined
    else
      result[s390x]="FAILED (sysroot)"
      overall=1
    fi
    ;;
  interop)
    echo "=== suite interop: host vconform -> exec: s390x vconform-peer under qemu"
    # the emulator and the peer, as the s390x build writes them
    peer=$(cat "$build/s390x/vconform-peer.cmd" 2>/dev/null || true)
    host="$build/gcc/harness/vconform"
    if [ -z "$peer" ] || [ ! -x "$host" ]; then
      echo "interop: needs the gcc and s390x suites built first ($host, $build/s390x/vconform-peer.cmd)" >&2
      result[interop]="FAILED (not built)"
      overall=1
    elif "$host" run --quiet --strict --vectors "$root/vectors" --timeout 30 \
      --adapter "exec:$peer" --junit "$build/interop-s390x.xml" \
      --report human >"$build/interop-s390x.txt"; then
      tail -n 3 "$build/interop-s390x.txt"
      result[interop]="passed"
    else
      cat "$build/interop-s390x.txt"
      result[interop]="FAILED (cases)"
      overall=1
    fi
    ;;
  linux-uml)
    echo "=== suite linux-uml: the RPMsg driver-side suite against the real Linux kernel"
    if [ ! -x "$build/gcc/harness/vconform" ]; then
      echo "linux-uml: needs the gcc suite built first ($build/gcc/harness/vconform)" >&2
      result[linux-uml]="FAILED (not built)"
      overall=1
    elif bash "$root/ci/linux-uml.sh" "$build/gcc" "$build/linux-uml"; then
      result[linux-uml]="passed"
    else
      result[linux-uml]="FAILED (see $build/linux-uml/findings.md)"
      overall=1
    fi
    ;;
  fuzz-libfuzzer)
    CC=clang run_fuzz_suite fuzz-libfuzzer "${FUZZ_SECONDS_LIBFUZZER:-5}" --oss-fuzz-check \
      -DVCF_FUZZ_ENGINE=libfuzzer -DVCF_SANITIZE=address,undefined -DVCF_BUILD_DISSECTOR=ON
    ;;
  fuzz-afl)
    CC=afl-clang-fast run_fuzz_suite fuzz-afl "${FUZZ_SECONDS_AFL:-8}" "" \
      -DVCF_FUZZ_ENGINE=afl -DVCF_SANITIZE=address,undefined -DVCF_BUILD_DISSECTOR=ON
    ;;
  *)
    echo "test-all: unknown suite '$s' (gcc, clang, sanitize, s390x, interop, linux-uml, fuzz-libfuzzer, fuzz-afl)" >&2
    exit 64
    ;;
  esac
done

echo
echo "=== summary"
for s in "${suites[@]}"; do
  printf '  %-15s %s\n' "$s" "${result[$s]}"
done
exit $overall
