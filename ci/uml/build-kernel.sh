#!/usr/bin/env bash
# Build the User-Mode Linux kernel the linux-uml adapter boots (docs/real-peers.md), or find it
# in the cache. Prints the kernel's path as the last line of standard output.
#
# The kernel is Debian's linux-source-6.1 (the driver under test, virtio_rpmsg_bus, unmodified)
# with one transport fix, ci/uml/0001-um-virtio_uml-run-virtqueue-callbacks-from-a-work-item.patch
# (ci/uml/README.md says why), configured as `make ARCH=um tinyconfig` plus ci/uml/rpmsg.config.
#
# Cache: $VCF_UML_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/vconform/uml)/<key>/linux, where
# <key> is a hash of the recipe version, the linux-source-6.1 package version, the config fragment
# and the patch: change any of them and the next run builds again; otherwise it skips the build.
# A cold build takes 2-4 minutes on 2 cores and about 1.6 GB in the work directory, which is
# removed afterwards unless VCF_UML_KEEP_WORK=1.
#
# usage: ci/uml/build-kernel.sh [--key]     (--key: print the cache key and exit)
# environment: VCF_UML_CACHE, VCF_UML_WORK (work directory; default: a temporary one),
#              JOBS (make -j; default nproc), VCF_UML_KEEP_WORK
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
recipe=1 # bump when this script's build steps change in a way that changes the kernel
fragment=$here/rpmsg.config
patch_file=$here/0001-um-virtio_uml-run-virtqueue-callbacks-from-a-work-item.patch
tarball=/usr/src/linux-source-6.1.tar.xz
cache_root=${VCF_UML_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vconform/uml}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

die() {
  echo "build-kernel: $*" >&2
  exit 1
}

pkg_version=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || true)
[ -n "$pkg_version" ] && [ -f "$tarball" ] ||
  die "linux-source-6.1 is not installed ($tarball missing): run ci/install-deps.sh as root"
for tool in bison flex bc xz make gcc; do
  command -v "$tool" >/dev/null || die "$tool is missing: run ci/install-deps.sh as root"
done

key=$({
  echo "vconform-uml-kernel recipe $recipe"
  echo "linux-source-6.1 $pkg_version"
  sha256sum <"$fragment"
  sha256sum <"$patch_file"
} | sha256sum | cut -c1-16)
if [ "${1:-}" = "--key" ]; then
  echo "$key"
  exit 0
fi

dest=$cache_root/$key
if [ -x "$dest/linux" ]; then
  echo "build-kernel: cached ($dest, linux-source-6.1 $pkg_version)" >&2
  echo "$dest/linux"
  exit 0
fi

mkdir -p "$cache_root"
# One build at a time per cache (parallel test suites may all ask for the kernel).
exec 9>"$cache_root/.lock"
flock 9
if [ -x "$dest/linux" ]; then
  echo "$dest/linux"
  exit 0
fi

work=${VCF_UML_WORK:-}
cleanup_work=0
if [ -z "$work" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/vcf-uml-kernel.XXXXXX")
  cleanup_work=1
fi
[ "${VCF_UML_KEEP_WORK:-0}" = 1 ] && cleanup_work=0
cleanup() { [ $cleanup_work = 1 ] && rm -rf "$work"; }
trap cleanup EXIT

start=$(date +%s)
src=$work/linux-source-6.1
obj=$work/obj
rm -rf "$src" "$obj"
mkdir -p "$work" "$obj"
echo "build-kernel: extracting $tarball ($pkg_version)" >&2
# Documentation/ is 1/4 of the tree and not needed, except the Kconfig file lib/ sources.
tar -xaf "$tarball" -C "$work" --exclude='linux-source-6.1/Documentation' \
  --exclude='linux-source-6.1/tools/testing'
tar -xaf "$tarball" -C "$work" linux-source-6.1/Documentation/Kconfig
echo "build-kernel: applying $(basename "$patch_file")" >&2
patch -d "$src" -p1 --quiet --forward <"$patch_file" || die "the patch does not apply to $pkg_version"

log=$work/build.log
echo "build-kernel: configuring (tinyconfig + $(basename "$fragment"))" >&2
{
  make -C "$src" ARCH=um O="$obj" tinyconfig &&
    "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$fragment" &&
    make -C "$src" ARCH=um O="$obj" olddefconfig
} >"$log" 2>&1 || {
  tail -30 "$log" >&2
  die "configuration failed (log above)"
}
# Every option of the fragment must have taken: a dependency that is not met drops an option
# silently, and the kernel would then boot without the driver under test.
missing=$(grep -E '^CONFIG_' "$fragment" | while IFS= read -r line; do
  grep -qxF "$line" "$obj/.config" || echo "  $line"
done)
[ -z "$missing" ] || die "options of $(basename "$fragment") did not take (unmet dependencies?):
$missing"

echo "build-kernel: building with make -j$jobs (a few minutes)" >&2
make -C "$src" ARCH=um O="$obj" -j"$jobs" linux >>"$log" 2>&1 || {
  tail -40 "$log" >&2
  die "the kernel build failed (log above)"
}

tmp=$(mktemp -d "$cache_root/.new.XXXXXX")
strip -o "$tmp/linux" "$obj/linux"
cp "$obj/.config" "$tmp/config"
cp "$patch_file" "$fragment" "$tmp/"
{
  echo "linux-source-6.1 $pkg_version"
  echo "recipe $recipe"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(($(date +%s) - start)) s with -j$jobs"
} >"$tmp/info"
rm -rf "$dest"
mv "$tmp" "$dest"
echo "build-kernel: built in $(($(date +%s) - start)) s: $dest/linux" >&2
echo "$dest/linux"
