# vconform pcap decode (docs/cli.md): a capture written by `vconform run --pcap` over the golden
# suite (counts, a known record, every violation-bearing record cross-checked against
# `vconform decode`), and hand-made captures with broken records, other link types and every
# exit status. The captures are crafted by harness/tests/data/pcap/check_decode.py (python3,
# standard library only). Host builds only: the checks run the CLI directly.
if(NOT CMAKE_CROSSCOMPILING)
  find_package(Python3 COMPONENTS Interpreter)
  if(Python3_Interpreter_FOUND)
    set(_pcap_dir ${CMAKE_CURRENT_BINARY_DIR}/pcap_decode)
    add_test(NAME pcap_decode_capture
             COMMAND $<TARGET_FILE:vconform> run --adapter model --quiet
                     --vectors ${PROJECT_SOURCE_DIR}/vectors --pcap ${_pcap_dir}.pcap
                     --report tap --output ${_pcap_dir}.tap)
    set_tests_properties(pcap_decode_capture PROPERTIES FIXTURES_SETUP vcf_pcap_decode_capture)
    add_test(NAME pcap_decode_golden
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/data/pcap/check_decode.py
                     golden $<TARGET_FILE:vconform> ${_pcap_dir}.pcap)
    set_tests_properties(pcap_decode_golden PROPERTIES FIXTURES_REQUIRED vcf_pcap_decode_capture)
    add_test(NAME pcap_decode_bad_records
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/data/pcap/check_decode.py
                     crafted $<TARGET_FILE:vconform> ${_pcap_dir})
    # the crafting module is imported from dissector/tests: no __pycache__ in the source tree
    set_tests_properties(pcap_decode_golden pcap_decode_bad_records PROPERTIES
                         ENVIRONMENT PYTHONDONTWRITEBYTECODE=1)
  else()
    message(STATUS "python3 not found: vconform pcap decode tests skipped")
  endif()
endif()
