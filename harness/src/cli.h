/* SPDX-License-Identifier: MIT */
/* vconform command-line front end: the commands and their exit statuses. */
#ifndef VCF_CLI_H
#define VCF_CLI_H

#include <stddef.h>

/* exit statuses of every vconform command */
#define VCF_CLI_EXIT_OK        0  /* everything well-formed and conforming */
#define VCF_CLI_EXIT_VIOLATION 1  /* a rule violation */
#define VCF_CLI_EXIT_MALFORMED 2  /* malformed input: bad hex, a message that cannot be read */
#define VCF_CLI_EXIT_USAGE     64 /* bad command line */

/* The commands; argv[0] is the command's name. */
int vcf_cli_decode(int argc, char **argv);  /* vconform decode [options] [HEX...] */
int vcf_cli_rules(int argc, char **argv);   /* vconform rules [options] [ID...] */
int vcf_cli_run(int argc, char **argv);     /* vconform run [options] */
int vcf_cli_gen(int argc, char **argv);     /* vconform gen [options] */
int vcf_cli_mutants(int argc, char **argv); /* vconform mutants [options] */
int vcf_cli_fuzz(int argc, char **argv);    /* vconform fuzz [options] (fuzz/campaign.sh) */
int vcf_cli_pcap(int argc, char **argv);    /* vconform pcap SUBCOMMAND [options] */

/* vconform pcap subcommands (argv[0] is the subcommand name) */
int vcf_cli_pcap_decode(int argc, char **argv);       /* pcap_decode.c */
int vcf_cli_pcap_import_dmesg(int argc, char **argv); /* pcap_dmesg.c */
int vcf_cli_pcap_to_vectors(int argc, char **argv);   /* pcap_vectors.c */
int vcf_cli_pcap_from_vectors(int argc, char **argv); /* pcap_vectors.c */

/* Print "vconform CMD: <message>" and a pointer to --help on stderr; returns
 * VCF_CLI_EXIT_USAGE. */
__attribute__((format(printf, 2, 3))) int vcf_cli_usage_error(const char *cmd, const char *fmt,
                                                              ...);

/* The whole file at path, NUL-terminated (its length in *len), in a buffer the caller frees.
 * NULL when it cannot be opened or read, with errno set (ENOMEM when memory ran out). */
char *vcf_cli_read_file(const char *path, size_t *len);

#endif /* VCF_CLI_H */
