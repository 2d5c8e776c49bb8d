# The runner (matching, outcomes) and the golden suite end to end.
vcf_cmocka_test(test_run test_run.c vcf_cli)
target_compile_definitions(test_run PRIVATE _GNU_SOURCE)

# The golden suite (vectors/*.json), through the CLI (under the emulator in cross builds):
#   vectors_current  the checked-in files are exactly what `vconform gen` produces now
#   suite_model      the reference model passes every case in every role
#   rules_coverage   every MUST and SHOULD rule is covered by a case or unobservable with a reason
#   mutants          every injected fault class of the model adapter is caught by some case
set(vcf_cli_cmd ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:vconform>)
add_test(NAME vectors_current
         COMMAND ${vcf_cli_cmd} gen --check --out ${PROJECT_SOURCE_DIR}/vectors)
add_test(NAME suite_model
         COMMAND ${vcf_cli_cmd} run --adapter model --quiet --strict
                 --vectors ${PROJECT_SOURCE_DIR}/vectors --report tap)
add_test(NAME rules_coverage
         COMMAND ${vcf_cli_cmd} rules --coverage --gaps --vectors ${PROJECT_SOURCE_DIR}/vectors)
add_test(NAME mutants COMMAND ${vcf_cli_cmd} mutants --vectors ${PROJECT_SOURCE_DIR}/vectors)
