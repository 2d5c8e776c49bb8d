# The Wireshark dissector fuzz target (fuzz/targets/dissector.c; docs/fuzzing.md), included by
# fuzz/CMakeLists.txt. It links libwireshark and the dissector core statically, so it exists
# only when dissector/CMakeLists.txt built the core (VCF_DISSECTOR_ENABLED, target
# vcf_ws_dissector): never in cross builds, never without the Wireshark 4.0 SDK, and not in
# the ClusterFuzzLite / OSS-Fuzz build (.clusterfuzzlite/build.sh turns the dissector off;
# its image has no Wireshark 4.0).
#
# Input: one capture record, the same format as the capture target, so that target's
# generated seeds are this target's seeds too (below) and its corpus files are valid inputs.

if(NOT TARGET vcf_ws_dissector)
  return()
endif()

# The SDK's imported targets (epan, wiretap, wsutil) are visible only in the directory that
# found them; look them up again here (the same CONFIG file, no search).
if(NOT TARGET epan OR NOT TARGET wiretap OR NOT TARGET wsutil)
  find_package(Wireshark 4.0 CONFIG QUIET)
endif()
if(NOT TARGET epan OR NOT TARGET wiretap OR NOT TARGET wsutil)
  message(WARNING "fuzz: the dissector is built but the Wireshark SDK's epan, wiretap and "
                  "wsutil targets are not found here: no fuzz_dissector")
  return()
endif()

vcf_add_fuzzer(NAME dissector FORMAT capture
               SOURCES ${VCF_FUZZ_DIR}/targets/dissector.c
               LIBS vcf_ws_dissector epan wiretap wsutil
               DICTS capture.dict dissector.dict
               NO_SEEDS)
target_include_directories(fuzz_dissector PRIVATE ${PROJECT_SOURCE_DIR}/dissector)
if(VCF_FUZZ_ENGINE STREQUAL "libfuzzer")
  # the target turns off libFuzzer's leak check after each input (fuzz/targets/dissector.c)
  target_compile_definitions(fuzz_dissector PRIVATE VCF_FUZZ_ENGINE_LIBFUZZER=1)
endif()

# Seeds: the capture target's generated seeds (one record per message of every golden case).
# vcf_add_fuzzer knows only a target's own seed directory, so the manifest line it wrote is
# pointed at the capture seeds, and the replay of those seeds is a test of its own.
if(VCF_BUILD_HARNESS)
  get_property(manifest GLOBAL PROPERTY VCF_FUZZ_MANIFEST)
  list(GET manifest -1 line)
  if(line MATCHES "^dissector\t.*\t-$")
    string(REGEX REPLACE "\t-$" "\t${VCF_FUZZ_OUT}/seeds/capture" line "${line}")
    list(REMOVE_AT manifest -1)
    list(APPEND manifest "${line}")
    set_property(GLOBAL PROPERTY VCF_FUZZ_MANIFEST "${manifest}")
  endif()
  if(VCF_FUZZ_ENGINE STREQUAL "none" AND BUILD_TESTING AND TARGET vcf-fuzz-seeds)
    add_test(NAME fuzz_dissector_replay_seeds
             COMMAND fuzz_dissector ${VCF_FUZZ_OUT}/seeds/capture)
    set_tests_properties(fuzz_dissector_replay_seeds PROPERTIES FIXTURES_REQUIRED vcf_fuzz_seeds)
  endif()
endif()
