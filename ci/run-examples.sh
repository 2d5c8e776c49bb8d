#!/usr/bin/env bash
# The main job until the conformance runner exists: decode the example messages of both
# protocols with `vconform decode`, show what a malformed message looks like, and list the
# normative RPMsg rules the model enforces.
#
# usage: ci/run-examples.sh PATH/TO/vconform
set -euo pipefail
vconform=$1
ex=$(cd "$(dirname "$0")/../harness/examples" && pwd)

banner() { printf '\n==== %s\n\n' "$*"; }

banner "RPMsg, little-endian link: $ex/rpmsg-le.hex"
"$vconform" decode --proto rpmsg --input "$ex/rpmsg-le.hex"
banner "RPMsg, legacy big-endian link: $ex/rpmsg-be.hex"
"$vconform" decode --proto rpmsg --byte-order be --input "$ex/rpmsg-be.hex"
banner "virtio-msg (PR28): $ex/virtio-msg.hex"
"$vconform" decode --proto virtio-msg --input "$ex/virtio-msg.hex"

banner "A malformed message: the NS announcement above read with the wrong byte order"
set +e
"$vconform" decode --proto rpmsg --byte-order be \
  00 04 00 00 35 00 00 00 00 00 00 00 28 00 00 00 \
  72 70 6d 73 67 2d 63 6c 69 65 6e 74 2d 73 61 6d 70 6c 65 00 00 00 00 00 00 00 00 00 00 00 00 00 \
  00 04 00 00 00 00 00 00
status=$?
set -e
if [ $status -ne 2 ]; then
  echo "run-examples: expected exit status 2 for the malformed message, got $status" >&2
  exit 1
fi
echo "(exit status $status: malformed)"

banner "The RPMsg rule catalogue: what a conforming side must do"
"$vconform" rules --proto rpmsg --level MUST,SHOULD,MAY
