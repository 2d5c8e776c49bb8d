#!/usr/bin/env bash
# CLI tests for `vconform decode`: exit statuses, one-line errors with offsets, line numbers
# on multi-line input, JSON, usage errors. TAP output.
#
# usage: cli_test.sh EXAMPLES_DIR [EMULATOR ARGS...] VCONFORM
set -u
examples=$1
shift
V=("$@") # the vconform command, possibly behind an emulator

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"

NS_LE="00 04 00 00 35 00 00 00 00 00 00 00 28 00 00 00 72 70 6d 73 67 2d 63 6c 69 65 6e 74 2d 73 61 6d 70 6c 65 00 00 00 00 00 00 00 00 00 00 00 00 00 00 04 00 00 00 00 00 00"
VQ="01 09 01 00 07 00 30 00 02 00 00 00 00 01 00 00 80 00 00 00 00 00 00 00 88 77 66 55 44 33 22 11 00 20 00 00 00 00 00 00 00 30 00 00 00 00 00 00"

t "NS announcement decodes" 0 'name +"rpmsg-client-sample"' '' '' -- decode --proto rpmsg $NS_LE
t "violations cite their rule" 1 'violation: offset 8 \(reserved\).*\[RPMSG-HDR-05\]$' '' '' -- \
  decode -p rpmsg 00 04 00 00 01 04 00 00 01 00 00 00 00 00 00 00
t "JSON errors carry the rule" 2 '"rule":"RPMSG-HDR-08"' '' '' -- \
  decode -p rpmsg -f json 00 04 00 00 01 04 00 00 00 00 00 00 05 00 00 00 68
t "NS flags meaning" 0 'flags +0x00000000  CREATE' '' '' -- decode --proto rpmsg $NS_LE
t "big-endian data message" 0 'dst +0x00000401 \(1025\)' '' '' -- \
  decode -p rpmsg --byte-order be 00 00 04 00 00 00 04 01 00 00 00 00 00 05 00 00 68 65 6c 6c 6f
t "little-endian bytes read as big-endian are malformed" 2 '' \
  'malformed rpmsg message: offset 12 \(len\): size field disagrees with buffer.*expected 40, got 10240' \
  '' -- decode -p rpmsg -b be $NS_LE
t "truncated rpmsg header" 2 '' 'offset 12 \(len\): message truncated' '' -- \
  decode -p rpmsg 00 04 00 00 01 04 00 00 00 00 00 00 05
stderr_lines 1 "a malformed message gives one line"
t "invalid hex names line and column" 2 '' '<args>:1:8: invalid hex: not a hex digit' '' -- \
  decode -p rpmsg 00 04 0g
stderr_lines 1 "invalid hex gives one line"
t "odd digit group" 2 '' '<args>:1:4: invalid hex: odd number' '' -- decode -p rpmsg 00 4 00
t "non-standard 72-byte NS is reported as such" 2 'ns_ext.*non-standard' \
  'non-standard rpmsg message: offset 12 \(len\)' '' -- decode -p rpmsg \
  "00 04 00 00 35 00 00 00 00 00 00 00 48 00 00 00" \
  "61 62 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" \
  "54 49 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" \
  "00 04 00 00 00 00 00 00"
t "without F_NS address 53 is data" 0 'rpmsg data message' '' '' -- \
  decode -p rpmsg --no-ns 00 04 00 00 35 00 00 00 00 00 00 00 01 00 00 00 ff
t "reserved header field is a rule violation" 1 'violation: offset 8 \(reserved\)' '' '' -- \
  decode -p rpmsg 00 04 00 00 01 04 00 00 07 00 00 00 00 00 00 00

t "GET_VQUEUE response decodes" 0 'desc_addr +0x1122334455667788' '' '' -- decode -p virtio-msg $VQ
t "bus maximum message size" 1 'violation: offset 6 \(msg_size\): message larger than the maximum' \
  '' '' -- decode -p virtio-msg --max-msg-size 44 $VQ
t "next_offset inside the window" 1 'violation: offset 12 \(next_offset\)' '' '' -- \
  decode -p virtio-msg 03 02 00 00 09 00 10 00 00 00 10 00 08 00 25 00
t "RFC3 requests carry a token" 1 'violation: offset 4 \(token\)' '' '' -- \
  decode -p virtio-msg --rev rfc3 00 02 01 00 00 00 08 00
t "PR28 leaves the token to the bus" 0 'result: ok' '' '' -- \
  decode -p virtio-msg --rev pr28 00 02 01 00 00 00 08 00
t "msg_size larger than the buffer" 2 '' 'offset 6 \(msg_size\): size field disagrees' '' -- \
  decode -p virtio-msg 00 02 01 00 01 00 0c 00
t "trailing bytes" 2 '' 'offset 8 \(trailing\)' '' -- decode -p virtio-msg 00 02 01 00 01 00 08 00 00
t "zero padding allowed on request" 0 'padding' '' '' -- \
  decode -p virtio-msg --allow-padding 00 02 01 00 01 00 08 00 00 00
t "response bit on an event" 2 '' 'offset 0 \(type\): impossible message type' '' -- \
  decode -p virtio-msg 01 42 01 00 00 00 0c 00 01 00 00 00
t "implementation-defined ID is classified" 0 'implementation-defined request' '' '' -- \
  decode -p virtio-msg 00 90 01 00 01 00 0a 00 ab cd

t "JSON: clean message" 0 '^\{"source":"<args>".*"status":"ok".*"cur_size":\{"offset":16,"size":4,"value":128\}' \
  '' '' -- decode -p virtio-msg -f json $VQ
t "JSON: malformed message" 2 '"status":"malformed".*"field":"token","offset":4' '' '' -- \
  decode -p virtio-msg -f json 01 03 01 00
t "JSON: invalid hex" 2 '"status":"invalid-hex","column":4' '' '' -- \
  decode -p rpmsg -f json 00 zz

STDIN_MIX=$'# comment\n00 02 01 00 01 00 08 00\nzz\n00 02 01 00 01 00 09 00\n\n03 03 00 00 0a 00 0c 00 ef be ad de\n'
t "stdin: every line is decoded, errors name their line" 2 'PING response' \
  '<stdin>:3:1: invalid hex' "$STDIN_MIX" -- decode -p virtio-msg
t "stdin: malformed line named too" 2 '' '<stdin>:4: malformed virtio-msg message' \
  "$STDIN_MIX" -- decode -p virtio-msg
t "stdin: JSON lines" 2 '"line":6,.*"status":"ok"' '' "$STDIN_MIX" -- decode -p virtio-msg -f json

t "example: rpmsg little-endian" 0 'result: ok' '' '' -- \
  decode -p rpmsg -i "$examples/rpmsg-le.hex"
t "example: rpmsg big-endian" 0 'result: ok' '' '' -- \
  decode -p rpmsg -b be -i "$examples/rpmsg-be.hex"
t "example: virtio-msg" 0 'EVENT_DEVICE event' '' '' -- \
  decode -p virtio-msg -i "$examples/virtio-msg.hex"
t "missing input file" 64 '' 'cannot open /nonexistent' '' -- \
  decode -p virtio-msg -i /nonexistent

t "usage: protocol required" 64 '' 'required' '' -- decode 00
t "usage: unknown protocol" 64 '' "unknown protocol 'usb'" '' -- decode -p usb 00
t "usage: byte order is RPMsg's" 64 '' 'applies to rpmsg only' '' -- \
  decode -p virtio-msg -b be 00
t "usage: revision is virtio-msg's" 64 '' 'applies to virtio-msg only' '' -- \
  decode -p rpmsg --rev rfc3 00
t "usage: bad max-msg-size" 64 '' 'from 0 to 65535' '' -- decode -p virtio-msg --max-msg-size 70000 00
t "usage: unknown command" 64 '' "unknown command 'frobnicate'" '' -- frobnicate
t "decode --help" 0 'Exit status: 0' '' '' -- decode --help
t "version" 0 '^vconform [0-9]+\.[0-9]+\.[0-9]+' '' '' -- version

tap_done
