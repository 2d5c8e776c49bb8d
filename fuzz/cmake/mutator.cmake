# fuzz/cmake/mutator.cmake: the structure-aware mutator (docs/fuzzing-mutator.md), included in
# every engine by fuzz/CMakeLists.txt after the targets.
#
#   vcf_mutator               the core (fuzz/CMakeLists.txt); here it gets the layout tables of
#                             model/src and the constants of harness/src
#   libvcf_afl_mutator.so     <build>/fuzz/: the AFL++ custom mutator. In the afl engine it is
#                             built by a plain compiler through a custom command, because
#                             afl-clang-fast would instrument it and afl-fuzz loads it into its
#                             own process; in the none engine it is an ordinary module (so
#                             every CI build compiles it with the project's warnings)
#   test_mutator              cmocka tests (none engine, BUILD_TESTING)
#   vcf_planted_*             <build>/fuzz/bench/: planted-bug targets for
#                             fuzz/bench/mutator-bench.sh (libfuzzer and afl engines only;
#                             they crash by design, so they are not vcf_add_fuzzer targets and
#                             never enter targets.tsv, the smoke runs or the replay tests)

set(VCF_MUTATOR_INCLUDES ${PROJECT_SOURCE_DIR}/model/src ${PROJECT_SOURCE_DIR}/harness/src)
target_include_directories(vcf_mutator PRIVATE ${VCF_MUTATOR_INCLUDES})
# the script reader (script.c) and the codec parameter helpers (fuzz.c)
target_link_libraries(vcf_mutator PUBLIC vcf_fuzz_common)
if(VCF_FUZZ_ENGINE STREQUAL "libfuzzer")
  # The mutator runs between executions: its own branches and comparisons must not feed
  # libFuzzer's coverage and CMP tables.
  target_compile_options(vcf_mutator PRIVATE -fno-sanitize=fuzzer-no-link)
endif()

set(VCF_AFL_MUTATOR ${VCF_FUZZ_OUT}/libvcf_afl_mutator.so)
set(vcf_mutator_srcs ${VCF_FUZZ_DIR}/mutator/afl_mutator.c ${VCF_FUZZ_DIR}/mutator/mutator.c
                     ${VCF_FUZZ_DIR}/common/script.c ${VCF_FUZZ_DIR}/common/fuzz.c)
if(VCF_FUZZ_ENGINE STREQUAL "none")
  add_library(vcf_afl_mutator MODULE ${vcf_mutator_srcs})
  target_include_directories(vcf_afl_mutator PRIVATE ${VCF_FUZZ_DIR}/common ${VCF_FUZZ_DIR}/mutator
                                                     ${VCF_MUTATOR_INCLUDES})
  target_link_libraries(vcf_afl_mutator PRIVATE vcf_model)
  set_target_properties(vcf_afl_mutator PROPERTIES OUTPUT_NAME vcf_afl_mutator
                        LIBRARY_OUTPUT_DIRECTORY ${VCF_FUZZ_OUT} C_VISIBILITY_PRESET hidden)
  target_link_options(vcf_afl_mutator PRIVATE -Wl,--exclude-libs,ALL) # export afl_custom_* only
  vcf_warnings(vcf_afl_mutator)
elseif(VCF_FUZZ_ENGINE STREQUAL "afl")
  # A compiler that is not afl-cc: clang next to afl-clang-fast, else the system's cc.
  find_program(VCF_PLAIN_CC NAMES clang-14 clang gcc cc
               DOC "plain C compiler for libvcf_afl_mutator.so (afl engine)")
  if(NOT VCF_PLAIN_CC OR VCF_PLAIN_CC MATCHES "afl-")
    message(FATAL_ERROR "no plain C compiler for libvcf_afl_mutator.so: set VCF_PLAIN_CC")
  endif()
  file(GLOB vcf_model_srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/model/src/*.c)
  file(GLOB vcf_mutator_hdrs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/model/src/*.h
       ${PROJECT_SOURCE_DIR}/model/include/vconform/*.h ${VCF_FUZZ_DIR}/common/*.h
       ${VCF_FUZZ_DIR}/mutator/*.h)
  set(werror "")
  if(VCF_WERROR)
    set(werror -Werror)
  endif()
  set(incs "")
  foreach(d ${PROJECT_SOURCE_DIR}/model/include ${VCF_FUZZ_DIR}/common ${VCF_FUZZ_DIR}/mutator
            ${VCF_MUTATOR_INCLUDES})
    list(APPEND incs -I${d})
  endforeach()
  add_custom_command(
    OUTPUT ${VCF_AFL_MUTATOR}
    COMMAND ${VCF_PLAIN_CC} -std=c11 -O2 -g -fPIC -shared -fvisibility=hidden -Wall -Wextra
            ${werror} -ffunction-sections -fdata-sections ${incs} -o ${VCF_AFL_MUTATOR}
            ${vcf_mutator_srcs} ${vcf_model_srcs} -Wl,-z,defs -Wl,--gc-sections
    DEPENDS ${vcf_mutator_srcs} ${vcf_model_srcs} ${vcf_mutator_hdrs}
    COMMENT "libvcf_afl_mutator.so with ${VCF_PLAIN_CC} (not instrumented: afl-fuzz loads it)"
    VERBATIM)
  add_custom_target(vcf_afl_mutator ALL DEPENDS ${VCF_AFL_MUTATOR})
endif()

if(VCF_FUZZ_ENGINE STREQUAL "none" AND BUILD_TESTING)
  vcf_cmocka_test(test_mutator ${VCF_FUZZ_DIR}/tests/test_mutator.c vcf_mutator)
  target_sources(test_mutator PRIVATE ${VCF_FUZZ_DIR}/mutator/afl_mutator.c)
  target_include_directories(test_mutator PRIVATE ${VCF_MUTATOR_INCLUDES})
endif()

# Planted-bug targets for the benchmark (fuzz/bench/README in docs/fuzzing-mutator.md).
option(VCF_FUZZ_PLANTED "libfuzzer/afl engines: build the planted-bug targets of fuzz/bench" ON)
if(VCF_FUZZ_PLANTED AND (VCF_FUZZ_ENGINE STREQUAL "libfuzzer" OR VCF_FUZZ_ENGINE STREQUAL "afl"))
  foreach(spec rpmsg_offbyone:RPMSG_FRAME vmsg_set_config:VMSG rpmsg_legacy_order:RPMSG_FRAME)
    string(REPLACE ":" ";" spec "${spec}")
    list(GET spec 0 name)
    list(GET spec 1 fmt)
    set(t vcf_planted_${name})
    if(VCF_FUZZ_ENGINE STREQUAL "libfuzzer")
      add_executable(${t} ${VCF_FUZZ_DIR}/bench/planted_${name}.c
                          ${VCF_FUZZ_DIR}/mutator/libfuzzer_glue.c)
      target_link_libraries(${t} PRIVATE vcf_mutator)
      separate_arguments(link_flags UNIX_COMMAND "${VCF_FUZZ_LINK_FLAGS}")
      target_link_options(${t} PRIVATE ${link_flags})
    else()
      add_executable(${t} ${VCF_FUZZ_DIR}/bench/planted_${name}.c
                          ${VCF_FUZZ_DIR}/common/afl_main.c)
    endif()
    target_compile_definitions(${t} PRIVATE VCF_FUZZ_TARGET_FORMAT=VCF_FMT_${fmt}
                                            VCF_FUZZ_TARGET_NAME="planted_${name}")
    target_link_libraries(${t} PRIVATE vcf_fuzz_common)
    set_target_properties(${t} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${VCF_FUZZ_OUT}/bench)
    vcf_warnings(${t})
  endforeach()
endif()
