#!/usr/bin/env bash
# Install what vconform needs from Debian packages, and nothing that is already there.
#
# Idempotent: a second run installs nothing and exits 0 quickly. As root it runs apt-get;
# otherwise it prints the exact command a root user has to run and exits 1.
#
# Usage: ci/install-deps.sh [--check]
#   --check   only report what is missing (exit 1 if anything is), never install.
set -euo pipefail

# Host build and tests: compilers, CMake, cmocka, jansson, clang-format for the format check.
# Big-endian suite: the s390x cross compiler (its libc headers come from libc6-dev-s390x-cross,
# which is only a Recommends and so must be named) and qemu-user for qemu-s390x.
# Schema checks of the checked-in JSON: python3-jsonschema.
# Fuzzing (docs/fuzzing.md): AFL++ (afl-clang-fast, afl-fuzz, afl-tmin); libFuzzer and the
# sanitizer runtimes come with clang 14's libclang-rt-14-dev, llvm brings llvm-symbolizer for
# readable stack traces and lld the linker afl-clang-lto uses; zip and unzip pack and check the
# ClusterFuzzLite seed corpora.
# Wireshark dissector (docs/wireshark.md): wireshark-dev is the 4.0 plugin SDK (headers, the
# CMake package with the epan/wiretap/wsutil targets, libwireshark-dev; it pulls the glib and
# libpcap headers too), which the plugin, its tests and the dissector fuzz target build against;
# tshark runs the plugin's tests and the dissector benchmark. The two cost about 100 packages,
# 66 MB of downloads, 305 MB on disk and ~28 s on a cold cache (docs/building.md); the
# wireshark-common question about capturing as non-root takes its default under
# DEBIAN_FRONTEND=noninteractive, so nothing waits for an answer.
# Real peer (docs/real-peers.md): linux-source-6.1 is the kernel tree the User-Mode Linux kernel
# is built from (ci/uml/build-kernel.sh), with bison, flex and bc for its build; xz-utils
# unpacks it. About 140 MB of download and 15 s.
packages=(
  build-essential cmake pkg-config clang clang-format
  libcmocka-dev libjansson-dev libpcap-dev python3 python3-jsonschema
  gcc-s390x-linux-gnu libc6-dev-s390x-cross qemu-user
  afl++ lld llvm libclang-rt-14-dev zip unzip
  wireshark-dev tshark
  linux-source-6.1 bison flex bc xz-utils
  ca-certificates
)

check_only=0
[ "${1:-}" = "--check" ] && check_only=1

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

# The s390x sysroot (ci/s390x-sysroot.sh) downloads :s390x packages, which needs the
# architecture in dpkg and its package lists.
need_arch=0
dpkg --print-foreign-architectures | grep -qx s390x || need_arch=1

if [ ${#missing[@]} -eq 0 ] && [ $need_arch -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi

cmd_arch="dpkg --add-architecture s390x"
cmd_update="apt-get update"
cmd_install="DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]:-}"

if [ $check_only -eq 1 ] || [ "$(id -u)" -ne 0 ]; then
  what="${missing[*]:-}"
  [ $need_arch -eq 1 ] && what="$what (and the s390x dpkg architecture)"
  echo "install-deps: missing: $what" >&2
  echo "install-deps: run as root:" >&2
  [ $need_arch -eq 1 ] && echo "  $cmd_arch" >&2
  echo "  $cmd_update" >&2
  [ ${#missing[@]} -gt 0 ] && echo "  $cmd_install" >&2
  exit 1
fi

[ $need_arch -eq 1 ] && $cmd_arch
apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-deps: done"
