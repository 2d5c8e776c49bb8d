#!/usr/bin/env bash
# Build a download-only s390x sysroot with the target libraries the big-endian test suite
# links (cmocka for the model tests, jansson for the CLI, libpcap and the libraries it loads
# for the capture writer).
#
# Nothing is installed for s390x: the .debs are fetched with `apt-get download` and unpacked
# into the sysroot. This avoids multiarch version locks against the host's libc6 (bookworm's
# security archive no longer ships s390x, so :s390x -dev installs break at the next amd64 libc
# update). Needs the s390x architecture in dpkg and its lists (ci/install-deps.sh does that).
#
# Usage: ci/s390x-sysroot.sh SYSROOT_DIR     (idempotent: an up-to-date sysroot is kept)
set -euo pipefail

sysroot=${1:?usage: ci/s390x-sysroot.sh SYSROOT_DIR}
debs=(libcmocka0:s390x libcmocka-dev:s390x libjansson4:s390x libjansson-dev:s390x libpcap0.8:s390x
  libpcap0.8-dev:s390x libdbus-1-3:s390x libdbus-1-dev:s390x libsystemd0:s390x libcap2:s390x libgcrypt20:s390x
  libgpg-error0:s390x liblz4-1:s390x liblzma5:s390x libzstd1:s390x)
stamp="$sysroot/.vconform-sysroot"
want="${debs[*]}"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

rm -rf "$sysroot"
mkdir -p "$sysroot"
dl=$(mktemp -d)
trap 'rm -rf "$dl"' EXIT
# apt drops to the _apt user for downloads; let it write to the scratch folder.
chmod 777 "$dl"
if ! (cd "$dl" && apt-get download -qq "${debs[@]}" 2>"$dl/err"); then
  echo "s390x-sysroot: apt-get download failed:" >&2
  grep -v 'unsandboxed' "$dl/err" >&2 || true
  echo "s390x-sysroot: does dpkg know the s390x architecture? run ci/install-deps.sh as root" >&2
  exit 1
fi
for d in "$dl"/*.deb; do
  dpkg-deb -x "$d" "$sysroot"
done
echo "$want" >"$stamp"
echo "s390x-sysroot: unpacked ${#debs[@]} packages into $sysroot"
