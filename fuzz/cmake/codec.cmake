# Codec and loader fuzz targets (fuzz/README.md has the table), included by fuzz/CMakeLists.txt
# in every build. The codec targets need only the model; the loader targets (vector files,
# adapter-protocol frames, capture records) need the harness library and exist only when it is
# built.

vcf_add_fuzzer(NAME rpmsg_frame FORMAT rpmsg-frame
               SOURCES ${VCF_FUZZ_DIR}/targets/rpmsg_frame.c
               DICTS rpmsg.dict)
vcf_add_fuzzer(NAME rpmsg_ns FORMAT rpmsg-ns
               SOURCES ${VCF_FUZZ_DIR}/targets/rpmsg_ns.c
               DICTS rpmsg.dict)
vcf_add_fuzzer(NAME vmsg_msg FORMAT vmsg
               SOURCES ${VCF_FUZZ_DIR}/targets/vmsg_msg.c
               DICTS vmsg.dict)

# The benchmark baseline: a target that does nothing (each target's exec/s is compared with
# it). One corpus file, no generated seeds.
vcf_add_fuzzer(NAME empty FORMAT raw
               SOURCES ${VCF_FUZZ_DIR}/targets/empty.c
               NO_SEEDS)

if(VCF_BUILD_HARNESS)
  vcf_add_fuzzer(NAME vectors FORMAT raw
                 SOURCES ${VCF_FUZZ_DIR}/targets/vectors.c
                 LIBS vcf_cli
                 DICTS json.dict)
  vcf_add_fuzzer(NAME adapter_frame FORMAT adapter-frame
                 SOURCES ${VCF_FUZZ_DIR}/targets/adapter_frame.c
                 LIBS vcf_cli
                 DICTS adapter_frame.dict)
  vcf_add_fuzzer(NAME capture FORMAT capture
                 SOURCES ${VCF_FUZZ_DIR}/targets/capture.c
                 LIBS vcf_cli
                 DICTS capture.dict)
endif()

# The replay runner's contract (missing paths, empty runs, --explain, files and directories
# mixed), checked with a real target binary; through the emulator in cross builds.
if(VCF_FUZZ_ENGINE STREQUAL "none" AND BUILD_TESTING)
  add_test(NAME fuzz_replay_runner
           COMMAND bash ${VCF_FUZZ_DIR}/tests/replay_runner.sh ${VCF_FUZZ_DIR}
                   ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:fuzz_vmsg_msg>)
endif()
