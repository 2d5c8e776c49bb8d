# The dmesg hex-dump parser of `vconform pcap import-dmesg` (harness/src/dmesg.c): kernel log
# text in, messages, errors and warnings out. Needs the harness library.
if(VCF_BUILD_HARNESS)
  vcf_add_fuzzer(NAME dmesg FORMAT raw
                 SOURCES ${VCF_FUZZ_DIR}/targets/dmesg.c
                 LIBS vcf_cli
                 DICTS dmesg.dict
                 NO_SEEDS)
endif()
