# The capture library as a product (harness/capture, docs/capture-library.md): the example
# device and reader, a multi-threaded and a failing writer (cmocka, against the shared library),
# `vconform run --pcap` for every link type, the exported ABI, and an install used through
# pkg-config.
find_package(Threads REQUIRED)
set(_cap_tests ${PROJECT_SOURCE_DIR}/harness/capture/tests)

vcf_cmocka_test(test_capture_lib ${_cap_tests}/test_capture_lib.c vcf_capture_shared
                PkgConfig::PCAP Threads::Threads)

# the emulator (a list in cross builds) as one argument, split again by the scripts
list(JOIN CMAKE_CROSSCOMPILING_EMULATOR " " _vcf_cap_emu)
add_test(NAME capture_lib_demo
         COMMAND bash ${_cap_tests}/demo.sh ${_cap_tests}/record_demo.expected
                 ${CMAKE_CURRENT_BINARY_DIR}/capture_demo "${_vcf_cap_emu}"
                 $<TARGET_FILE:record_demo> $<TARGET_FILE:capture_check>)
add_test(NAME capture_run_pcap
         COMMAND bash ${_cap_tests}/run_pcap.sh ${CMAKE_CURRENT_BINARY_DIR}/capture_run
                 ${PROJECT_SOURCE_DIR}/vectors "${_vcf_cap_emu}"
                 $<TARGET_FILE:vconform> $<TARGET_FILE:capture_check>)

if(NOT CMAKE_CROSSCOMPILING)
  add_test(NAME capture_lib_abi
           COMMAND bash ${_cap_tests}/abi.sh $<TARGET_FILE:vcf_capture_shared>)
  # an instrumented library needs an instrumented program
  set(_cap_cflags "")
  if(VCF_SANITIZE)
    set(_cap_cflags -fsanitize=${VCF_SANITIZE} -fno-omit-frame-pointer)
  endif()
  add_test(NAME capture_lib_install
           COMMAND bash ${_cap_tests}/install.sh ${CMAKE_BINARY_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/capture_install ${CMAKE_C_COMPILER}
                   $<TARGET_FILE:capture_check> ${_cap_tests}/record_demo.expected
                   ${_cap_cflags})
endif()
