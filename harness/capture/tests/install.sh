#!/usr/bin/env bash
# `cmake --install` of a build, then the example compiled the way a user would: against the
# installed headers, with `pkg-config --cflags --libs vconform-capture`, and run.
#   install.sh BUILD_DIR WORKDIR CC CAPTURE_CHECK EXPECTED [EXTRA_CFLAGS...]
# The install is staged with DESTDIR (whatever a component installs outside the prefix stays in
# the stage too); the .pc file locates its prefix from its own directory.
set -euo pipefail
build=$1 work=$2 cc=$3 check=$4 expected=$5
shift 5
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
stage=$work/stage
DESTDIR=$stage cmake --install "$build" --prefix "$prefix" > "$work/install.log"
root=$stage$prefix
for f in bin/vconform bin/vconform-peer include/vconform/capture_file.h \
         include/vconform/capture.h include/vconform/rpmsg.h include/vconform/vmsg.h \
         include/vconform/wire.h include/vconform/error.h include/vconform/describe.h; do
  [ -e "$root/$f" ] || { echo "install.sh: $f not installed"; cat "$work/install.log"; exit 1; }
done
pc=$(find "$root" -name vconform-capture.pc)
[ -n "$pc" ] || { echo "install.sh: vconform-capture.pc not installed"; exit 1; }
libdir=$(dirname "$(dirname "$pc")")
ls "$libdir"/libvconform-capture.so.1 > /dev/null
export PKG_CONFIG_PATH=$(dirname "$pc")
flags=$(pkg-config --cflags --libs vconform-capture)
inc=$(pkg-config --cflags-only-I vconform-capture | tr ' ' '\n' | sed -n 's/^-I//p' | head -n1)
lib=$(pkg-config --libs-only-L vconform-capture | tr ' ' '\n' | sed -n 's/^-L//p' | head -n1)
if [ "$(cd "$inc" && pwd -P)" != "$(cd "$root/include" && pwd -P)" ] ||
   [ "$(cd "$lib" && pwd -P)" != "$(cd "$libdir" && pwd -P)" ] ||
   [[ " $flags " != *" -lvconform-capture "* ]]; then
  echo "install.sh: pkg-config gives '$flags', expected -I$root/include -L$libdir -lvconform-capture"
  exit 1
fi
src=$(cd "$(dirname "$0")/../../examples/capture" && pwd)/record_demo.c
cp "$src" "$work/"  # away from the source tree: only the installed headers can be found
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Werror "$@" "$work/record_demo.c" $flags -o "$work/record_demo"
LD_LIBRARY_PATH=$libdir "$work/record_demo" "$work/out.pcap" | grep -q "3 records"
"$check" "$work/out.pcap" | tail -n +2 > "$work/out.txt"
diff -u <(tail -n +2 "$expected") "$work/out.txt"
# the installed tools run
LD_LIBRARY_PATH=$libdir "$root/bin/vconform" --version > /dev/null
echo "install.sh: installed to $root; record_demo built with pkg-config and ran"
