# The differential target (fuzz/targets/diff.c, docs/fuzzing-diff.md): a script is played
# against the reference and against the implementation named by VCONFORM_FUZZ_ADAPTER, and any
# divergence is a finding. Included only with VCF_BUILD_HARNESS (it opens adapters the way the
# harness does).

# Dictionaries: the script record layouts and both protocols' constants (fuzz/dict/, helper
# "codecs"); those not written yet are left out.
set(vcf_diff_dicts "")
foreach(d script.dict rpmsg.dict vmsg.dict)
  if(EXISTS ${VCF_FUZZ_DIR}/dict/${d})
    list(APPEND vcf_diff_dicts ${d})
  endif()
endforeach()

vcf_add_fuzzer(NAME diff FORMAT script
               SOURCES ${VCF_FUZZ_DIR}/targets/diff.c ${VCF_FUZZ_DIR}/common/diff.c
               LIBS vcf_fuzz_play vcf_cli DICTS ${vcf_diff_dicts})
# Isolated so: adapters (VCONFORM_FUZZ_ISOLATE=1) run in this build's vconform-peer.
target_compile_definitions(fuzz_diff PRIVATE VCF_FUZZ_PEER_PATH="$<TARGET_FILE:vconform-peer>")
add_dependencies(fuzz_diff vconform-peer)

# Every injected fault class of the model adapter must be found by replaying the diff seeds,
# over exec: too; the fault-free model must replay them all without a finding (that part is
# also fuzz_diff_replay).
if(VCF_FUZZ_ENGINE STREQUAL "none" AND BUILD_TESTING)
  list(JOIN CMAKE_CROSSCOMPILING_EMULATOR " " vcf_diff_emulator)
  add_test(NAME fuzz_diff_faults
           COMMAND sh ${VCF_FUZZ_DIR}/tests/diff_faults.sh $<TARGET_FILE:fuzz_diff>
                   $<TARGET_FILE:vconform> $<TARGET_FILE:vconform-peer> ${VCF_FUZZ_OUT}/seeds/diff)
  set_tests_properties(fuzz_diff_faults PROPERTIES FIXTURES_REQUIRED vcf_fuzz_seeds
                       ENVIRONMENT "VCF_EMULATOR=${vcf_diff_emulator}")
endif()
