#!/usr/bin/env bash
# libvconform-capture.so exports exactly the vcf_capture_* API: every defined dynamic symbol
# starts with vcf_capture_ (besides the version node), and the documented entry points are there.
#   abi.sh LIBRARY
set -euo pipefail
lib=$1
syms=$(nm -D --defined-only "$lib" | awk '$2 != "A" { print $3 }' | sed 's/@.*//' | sort -u)
bad=$(printf '%s\n' "$syms" | grep -v '^vcf_capture_' || true)
if [ -n "$bad" ]; then
  echo "abi.sh: $lib exports symbols outside vcf_capture_*:"
  printf '  %s\n' $bad
  exit 1
fi
for s in vcf_capture_open vcf_capture_open_stream vcf_capture_options_init vcf_capture_record \
         vcf_capture_record_at vcf_capture_flush vcf_capture_count vcf_capture_error \
         vcf_capture_close vcf_capture_meta_init vcf_capture_encode vcf_capture_parse \
         vcf_capture_rpmsg_params vcf_capture_vmsg_params vcf_capture_view_meta \
         vcf_capture_protocol_of vcf_capture_protocol_name vcf_capture_bus_name \
         vcf_capture_bus_parse vcf_capture_linktype_name vcf_capture_linktype_parse; do
  printf '%s\n' "$syms" | grep -qx "$s" || { echo "abi.sh: $lib does not export $s"; exit 1; }
done
# every exported symbol carries the version node
if nm -D --defined-only "$lib" | awk '$2 != "A" { print $3 }' | grep -v '@@VCONFORM_CAPTURE_1$'; then
  echo "abi.sh: the symbols above are not in the VCONFORM_CAPTURE_1 version node"
  exit 1
fi
soname=$(objdump -p "$lib" | awk '$1 == "SONAME" { print $2 }')
[ "$soname" = libvconform-capture.so.1 ] || { echo "abi.sh: SONAME $soname"; exit 1; }
echo "abi.sh: $(printf '%s\n' "$syms" | wc -l) symbols, all vcf_capture_*, SONAME $soname"
