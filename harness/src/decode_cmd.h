/* SPDX-License-Identifier: MIT */
#ifndef VCF_CLI_DECODE_CMD_H
#define VCF_CLI_DECODE_CMD_H

/* exit statuses of every vconform command */
#define VCF_CLI_EXIT_OK        0  /* everything well-formed and conforming */
#define VCF_CLI_EXIT_VIOLATION 1  /* a rule violation */
#define VCF_CLI_EXIT_MALFORMED 2  /* malformed input: bad hex, a message that cannot be read */
#define VCF_CLI_EXIT_USAGE     64 /* bad command line */

/* vconform decode [options] [HEX...]; argv[0] is "decode". */
int vcf_cli_decode(int argc, char **argv);

#endif /* VCF_CLI_DECODE_CMD_H */
