# Fuzzing engines (fuzz/CMakeLists.txt builds the targets).
#
#   VCF_FUZZ_ENGINE=none       (default) every target is a plain replay program; ctest replays
#                              the corpora and the saved crashers through it
#   VCF_FUZZ_ENGINE=libfuzzer  clang: every object is instrumented with -fsanitize=fuzzer-no-link
#                              and targets link VCF_FUZZ_LINK_FLAGS (-fsanitize=fuzzer)
#   VCF_FUZZ_ENGINE=afl        CC=afl-clang-fast: afl-cc instruments every object; targets link
#                              fuzz/common/afl_main.c (persistent mode, shared-memory inputs)
#
# Sanitizers come from VCF_SANITIZE as for every other build (never hard-coded here), so that
# OSS-Fuzz / ClusterFuzzLite can pass their own flags: they set VCF_FUZZ_INSTRUMENT=OFF and
# VCF_FUZZ_LINK_FLAGS=$LIB_FUZZING_ENGINE (.clusterfuzzlite/build.sh).
set(VCF_FUZZ_ENGINE "none" CACHE STRING "Fuzzing engine for fuzz/ targets: none, libfuzzer, afl")
set_property(CACHE VCF_FUZZ_ENGINE PROPERTY STRINGS none libfuzzer afl)
option(VCF_FUZZ_INSTRUMENT "libfuzzer engine: add -fsanitize=fuzzer-no-link to every object" ON)
set(VCF_FUZZ_LINK_FLAGS "-fsanitize=fuzzer" CACHE STRING
    "libfuzzer engine: how targets link the engine (OSS-Fuzz: $LIB_FUZZING_ENGINE)")

if(VCF_FUZZ_ENGINE STREQUAL "libfuzzer")
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "VCF_FUZZ_ENGINE=libfuzzer needs clang (CC=clang)")
  endif()
  if(VCF_FUZZ_INSTRUMENT)
    # Linked too, so that executables that are not fuzz targets (vconform, tests) find the
    # coverage callbacks their instrumented objects call.
    add_compile_options(-fsanitize=fuzzer-no-link)
    add_link_options(-fsanitize=fuzzer-no-link)
  endif()
  add_compile_definitions(VCF_FUZZING_BUILD=1)
elseif(VCF_FUZZ_ENGINE STREQUAL "afl")
  if(NOT CMAKE_C_COMPILER MATCHES "afl-clang")
    message(FATAL_ERROR "VCF_FUZZ_ENGINE=afl needs CC=afl-clang-fast (or afl-clang-lto); "
                        "afl-gcc-fast is broken in Debian's afl++ 4.04c")
  endif()
  add_compile_definitions(VCF_FUZZING_BUILD=1)
elseif(NOT VCF_FUZZ_ENGINE STREQUAL "none")
  message(FATAL_ERROR "VCF_FUZZ_ENGINE must be none, libfuzzer or afl (got ${VCF_FUZZ_ENGINE})")
endif()
