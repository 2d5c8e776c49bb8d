# State-machine fuzz targets (fuzz/targets/state.c), the script player they and the
# differential target share (fuzz/common/play.c), and their tests. Included only with
# VCF_BUILD_HARNESS (the player decodes through the harness summaries, the targets open the
# model adapter).

# Playing a script against an adapter (play.h): linked by the state targets, the diff target
# and the tests.
add_library(vcf_fuzz_play STATIC ${VCF_FUZZ_DIR}/common/play.c)
target_link_libraries(vcf_fuzz_play PUBLIC vcf_fuzz_common vcf_cli)
vcf_warnings(vcf_fuzz_play)

# The five state-machine targets: one source, the role fixed at compile time. Dictionaries:
# the protocol's constants and the script record layouts (fuzz/dict/, helper "codecs").
set(vcf_state_targets
    "rpmsg_driver\;VCF_IUT_RPMSG_DRIVER\;rpmsg.dict"
    "rpmsg_device\;VCF_IUT_RPMSG_DEVICE\;rpmsg.dict"
    "vmsg_device\;VCF_IUT_VMSG_DEVICE\;vmsg.dict"
    "vmsg_driver\;VCF_IUT_VMSG_DRIVER\;vmsg.dict"
    "vmsg_bus\;VCF_IUT_VMSG_BUS\;vmsg.dict")
foreach(entry ${vcf_state_targets})
  list(GET entry 0 name)
  list(GET entry 1 role)
  list(GET entry 2 proto_dict)
  vcf_add_fuzzer(NAME ${name} FORMAT script SOURCES ${VCF_FUZZ_DIR}/targets/state.c
                 LIBS vcf_fuzz_play DICTS ${proto_dict} script.dict)
  target_compile_definitions(fuzz_${name} PRIVATE VCF_FUZZ_ROLE=${role})
endforeach()

# Tests of the script reader/writer and of the player (no engine only).
if(VCF_FUZZ_ENGINE STREQUAL "none" AND BUILD_TESTING)
  vcf_cmocka_test(test_fuzz_script ${VCF_FUZZ_DIR}/tests/test_script.c vcf_fuzz_common)
  vcf_cmocka_test(test_fuzz_play ${VCF_FUZZ_DIR}/tests/test_play.c vcf_fuzz_play)
endif()
