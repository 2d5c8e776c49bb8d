# Reports, one-line summaries and the pcap capture writer (cmocka).
vcf_cmocka_test(test_summary test_summary.c vcf_cli)
vcf_cmocka_test(test_report test_report.c vcf_cli)
target_compile_definitions(test_report PRIVATE _GNU_SOURCE)
vcf_cmocka_test(test_capture test_capture.c vcf_cli)
target_compile_definitions(test_capture PRIVATE _GNU_SOURCE)
