# The built-in model adapter: parameters, round trips in every role, and every fault class.
vcf_cmocka_test(test_adapter_model test_adapter_model.c vcf_cli)
