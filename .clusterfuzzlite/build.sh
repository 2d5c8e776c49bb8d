#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build of vconform's fuzz targets (docs/fuzzing.md).
#
# The build contract: compile with $CC and $CFLAGS (which carry the sanitizer and the coverage
# instrumentation), link the engine with $LIB_FUZZING_ENGINE, and leave in $OUT, per target:
#   NAME                  the fuzzer (no extension)
#   NAME.dict             its dictionary (used automatically because of the name)
#   NAME.options          libFuzzer options (max_len)
#   NAME_seed_corpus.zip  the checked-in corpus and the seeds generated from the golden vectors
# The targets are the ones the build's manifest lists (<build>/fuzz/targets.tsv), so a new
# target needs no change here. Shared libraries the runner image lacks (jansson, libpcap and
# what they need) go to $OUT/lib, found through the fuzzers' RUNPATH $ORIGIN/lib.
#
# Tested locally without the images by setting the same variables by hand:
#   ci/fuzz-smoke.sh BUILD_DIR SECONDS --oss-fuzz-check

set -eu
src=$SRC/vconform
build=$WORK/build

# CMAKE_BUILD_TYPE=None: only $CFLAGS, no -O2/-g of our own on top of OSS-Fuzz's choice.
# The project's own sanitizer and instrumentation switches stay off: $CFLAGS has them.
# No Wireshark dissector, so no dissector fuzz target: the OSS-Fuzz images have no Wireshark
# 4.0 SDK, and its runner image would lack libwireshark and its data files anyway (the
# target is fuzzed by ci/fuzz-smoke.sh and fuzz/campaign.sh on a Debian 12 host instead).
cmake -S "$src" -B "$build" \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_BUILD_TYPE=None \
  -DVCF_FUZZ_ENGINE=libfuzzer -DVCF_FUZZ_INSTRUMENT=OFF -DVCF_BUILD_DISSECTOR=OFF \
  -DVCF_FUZZ_LINK_FLAGS="$LIB_FUZZING_ENGINE" \
  -DBUILD_TESTING=OFF -DVCF_BUILD_BENCH=OFF -DVCF_WERROR=OFF \
  -DCMAKE_BUILD_RPATH='$ORIGIN/lib'
# Only what goes to $OUT: the fuzz targets the manifest lists (written at configure time) and
# the seed generator. The rest of the project (the CLI, its shared libraries) is not needed
# here and is not built with OSS-Fuzz's flags in mind (sanitizers come in through $CFLAGS).
targets=(vcf-fuzz-seeds)
while IFS=$'\t' read -r name _; do
  [ -z "$name" ] || targets+=("fuzz_$name")
done <"$build/fuzz/targets.tsv"
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

# Seeds from the golden vectors (the generator is one of the build's programs).
"$build/fuzz/vcf-fuzz-seeds" --vectors "$src/vectors" --out "$build/fuzz/seeds"

mkdir -p "$OUT/lib"
stage=$WORK/seed-stage
# (empty manifest fields become "-", so that read does not merge two tabs)
while IFS=$'\t' read -r name format bin dict corpus crashers seeds; do
  [ -n "$name" ] || continue
  cp "$bin" "$OUT/$name"
  if [ "$dict" != "-" ] && [ -f "$dict" ]; then
    cp "$dict" "$OUT/$name.dict"
  fi

  # seed corpus: corpus and seeds side by side (prefixed: names may repeat between them)
  rm -rf "$stage"
  mkdir -p "$stage"
  largest=0
  for d in "$corpus" "$seeds"; do
    [ "$d" != "-" ] && [ -d "$d" ] || continue
    for f in "$d"/*; do
      [ -f "$f" ] || continue
      case $f in *.md) continue ;; esac
      cp "$f" "$stage/$(basename "$d")-$(basename "$f")"
      size=$(stat -c %s "$f")
      [ "$size" -le "$largest" ] || largest=$size
    done
  done
  if [ -n "$(ls -A "$stage")" ]; then
    rm -f "$OUT/${name}_seed_corpus.zip"
    (cd "$stage" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
  fi

  # max_len: twice the largest seed (room for lengths past the real end), at least 4096
  # (libFuzzer's own default)
  max_len=$((largest * 2))
  [ "$max_len" -ge 4096 ] || max_len=4096
  printf '[libfuzzer]\nmax_len = %d\n' "$max_len" >"$OUT/$name.options"

  # the shared libraries beyond glibc and the C++ runtime, for the runner image
  ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | while read -r lib; do
    case $(basename "$lib") in
    libc.so* | libm.so* | libdl.so* | libpthread.so* | librt.so* | ld-linux* | libresolv.so* | \
      libstdc++.so* | libgcc_s.so*) ;;
    *) cp -L "$lib" "$OUT/lib/" ;;
    esac
  done
  : "$format" "$crashers"
done < <(awk -F'\t' -v OFS='\t' '{ for (i = 1; i <= 7; i++) if ($i == "") $i = "-"; print }' \
  "$build/fuzz/targets.tsv")
