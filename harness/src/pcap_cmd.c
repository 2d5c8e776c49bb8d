/* SPDX-License-Identifier: MIT */
/*
 * vconform pcap: the capture tools (docs/capture-tools.md).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: vconform pcap <subcommand> [options]\n"
    "\n"
    "Read and make vconform captures (docs/capture-format.md).\n"
    "\n"
    "subcommands:\n"
    "  decode        decode every record with the reference model: fields and rule violations\n"
    "  import-dmesg  turn Linux virtio_rpmsg_bus dynamic-debug hex dumps into a capture\n"
    "  to-vectors    turn a captured exchange into a replayable vector file\n"
    "  from-vectors  write the messages of a vector file as a capture\n"
    "\n"
    "vconform pcap <subcommand> --help shows its options.\n";

int vcf_cli_pcap(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return VCF_CLI_EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "decode") == 0)
        return vcf_cli_pcap_decode(argc - 1, argv + 1);
    if (strcmp(sub, "import-dmesg") == 0)
        return vcf_cli_pcap_import_dmesg(argc - 1, argv + 1);
    if (strcmp(sub, "to-vectors") == 0)
        return vcf_cli_pcap_to_vectors(argc - 1, argv + 1);
    if (strcmp(sub, "from-vectors") == 0)
        return vcf_cli_pcap_from_vectors(argc - 1, argv + 1);
    if (strcmp(sub, "help") == 0 || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        fputs(usage, stdout);
        return VCF_CLI_EXIT_OK;
    }
    fprintf(stderr, "vconform pcap: unknown subcommand '%s'\n\n%s", sub, usage);
    return VCF_CLI_EXIT_USAGE;
}
