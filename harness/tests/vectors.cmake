# Golden vector files: the loader and writer (cmocka), the JSON Schema, and the lint of the
# checked-in vectors (vectors/*.json, made by `vconform gen`; picked up as they appear).
vcf_cmocka_test(test_vector test_vector.c vcf_cli)
target_compile_definitions(
  test_vector PRIVATE VCF_TEST_VECTOR_DIR="${CMAKE_CURRENT_SOURCE_DIR}/data/vectors"
                      VCF_TEST_DOCS_VECTORS="${PROJECT_SOURCE_DIR}/docs/vectors.md"
                      VCF_TEST_PARAMS="${PROJECT_SOURCE_DIR}/harness/src/PARAMS.txt")

set(vcf_vector_test_data ${CMAKE_CURRENT_SOURCE_DIR}/data/vectors/good-rpmsg-driver.json
                         ${CMAKE_CURRENT_SOURCE_DIR}/data/vectors/good-vmsg-driver.json)
file(GLOB vcf_vector_bad_data ${CMAKE_CURRENT_SOURCE_DIR}/data/vectors/bad/*.json)
# Re-globbed at every build, so vector files added later are linted without a fresh configure.
file(GLOB vcf_vector_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/vectors/*.json)

# The strict C loader over the checked-in vectors: names, rule IDs, flags and notes, case IDs
# unique across all files. Runs in every build (the s390x one through the emulator).
if(vcf_vector_files)
  add_test(NAME vectors_lint COMMAND test_vector --lint ${vcf_vector_files})
else()
  message(STATUS "vectors/*.json not there yet: vectors_lint covers the test data only")
  add_test(NAME vectors_lint COMMAND test_vector --lint ${vcf_vector_test_data})
endif()

# The same files against vectors/schema/vectors.schema.json (python3-jsonschema, host builds;
# have_jsonschema is set by CMakeLists.txt), and the files the schema must reject.
if(NOT CMAKE_CROSSCOMPILING AND have_jsonschema)
  add_test(NAME vectors_schema
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/ci/validate-json.py
                   ${PROJECT_SOURCE_DIR}/vectors/schema/vectors.schema.json
                   ${vcf_vector_test_data} ${vcf_vector_files})
  add_test(NAME vectors_schema_reject
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/ci/validate-json.py --invalid
                   ${PROJECT_SOURCE_DIR}/vectors/schema/vectors.schema.json
                   ${vcf_vector_bad_data})
endif()
