# The stdio adapter protocol: frames (pure), and exec:/so: adapters against vconform-peer, the
# example adapter and a deliberately misbehaving one (crash, hang, exit, garbage).
vcf_cmocka_test(test_frame test_frame.c vcf_cli)

add_library(vcf_test_bad_adapter MODULE test_bad_adapter.c)
target_include_directories(vcf_test_bad_adapter PRIVATE ${PROJECT_SOURCE_DIR}/model/include)
set_target_properties(vcf_test_bad_adapter PROPERTIES C_VISIBILITY_PRESET hidden)
vcf_warnings(vcf_test_bad_adapter)

add_executable(test_adapter_exec test_adapter_exec.c)
target_compile_definitions(test_adapter_exec PRIVATE _GNU_SOURCE)
target_link_libraries(test_adapter_exec PRIVATE ${VCF_CMOCKA} vcf_cli)
vcf_warnings(test_adapter_exec)
add_dependencies(test_adapter_exec vconform-peer vcf_example_adapter vcf_test_bad_adapter)
# In a cross build ctest runs the test itself under the emulator (the COMMAND is a target), and
# the test runs every vconform-peer it starts through the same emulator, given as the trailing
# arguments: the harness, the peer and the shared objects are all target binaries, while the
# shell and the fake adapters made of shell commands are the host's.
add_test(NAME test_adapter_exec
         COMMAND test_adapter_exec $<TARGET_FILE:vconform-peer>
                 $<TARGET_FILE:vcf_example_adapter> $<TARGET_FILE:vcf_test_bad_adapter>
                 ${CMAKE_CROSSCOMPILING_EMULATOR})
set_tests_properties(test_adapter_exec PROPERTIES TIMEOUT 300)
