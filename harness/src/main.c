/* SPDX-License-Identifier: MIT */
/*
 * vconform: the command-line front end of the conformance kit.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef VCF_VERSION
#define VCF_VERSION "unknown"
#endif

static const char usage[] =
    "usage: vconform <command> [options]\n"
    "\n"
    "Conformance kit for RPMsg over virtio and virtio-msg.\n"
    "\n"
    "commands:\n"
    "  decode    print every field of RPMsg or virtio-msg messages given as hex\n"
    "  rules     print the rule catalogues; --coverage: the rule x vector matrix\n"
    "  run       replay the golden vectors against an implementation and report\n"
    "  gen       regenerate the golden vectors from the reference model\n"
    "  mutants   run the suite against every injected fault of the model adapter\n"
    "  fuzz      run a fuzzing campaign against a fuzz target (--list: the targets)\n"
    "  pcap      read and make captures: decode, import-dmesg, to-vectors, from-vectors\n"
    "  version   print the version\n"
    "  help      print this help\n"
    "\n"
    "vconform <command> --help shows a command's options.\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return VCF_CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "decode") == 0)
        return vcf_cli_decode(argc - 1, argv + 1);
    if (strcmp(cmd, "rules") == 0)
        return vcf_cli_rules(argc - 1, argv + 1);
    if (strcmp(cmd, "run") == 0)
        return vcf_cli_run(argc - 1, argv + 1);
    if (strcmp(cmd, "gen") == 0)
        return vcf_cli_gen(argc - 1, argv + 1);
    if (strcmp(cmd, "mutants") == 0)
        return vcf_cli_mutants(argc - 1, argv + 1);
    if (strcmp(cmd, "fuzz") == 0)
        return vcf_cli_fuzz(argc - 1, argv + 1);
    if (strcmp(cmd, "pcap") == 0)
        return vcf_cli_pcap(argc - 1, argv + 1);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("vconform %s\n", VCF_VERSION);
        return VCF_CLI_EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage, stdout);
        return VCF_CLI_EXIT_OK;
    }
    fprintf(stderr, "vconform: unknown command '%s'\n\n%s", cmd, usage);
    return VCF_CLI_EXIT_USAGE;
}
