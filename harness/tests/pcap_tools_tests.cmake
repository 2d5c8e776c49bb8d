# The capture tools (issue 7): the dmesg parser (cmocka) and `vconform pcap import-dmesg`,
# `to-vectors`, `from-vectors` end to end (harness/tests/data/dmesg/check_pcap_tools.py, host
# builds with python3-jsonschema: it validates the vector files it writes against the schema).
vcf_cmocka_test(test_dmesg test_dmesg.c vcf_cli)
target_compile_definitions(test_dmesg PRIVATE _GNU_SOURCE)

if(NOT CMAKE_CROSSCOMPILING AND have_jsonschema)
  foreach(mode dmesg roundtrip from-to dmesg-vectors)
    add_test(NAME pcap_tools_${mode}
             COMMAND ${Python3_EXECUTABLE}
                     ${CMAKE_CURRENT_SOURCE_DIR}/data/dmesg/check_pcap_tools.py ${mode}
                     $<TARGET_FILE:vconform> ${PROJECT_SOURCE_DIR}
                     ${CMAKE_CURRENT_BINARY_DIR}/pcap_tools/${mode})
    set_tests_properties(pcap_tools_${mode} PROPERTIES
                         FAIL_REGULAR_EXPRESSION "FAIL:")
  endforeach()
endif()
