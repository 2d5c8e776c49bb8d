/* SPDX-License-Identifier: MIT */
/*
 * vconform gen: write the golden vector files from the reference model, or check that the
 * checked-in files are exactly what the generators produce (--check).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gen.h"
#include "suite.h"

static const char usage_text[] =
    "usage: vconform gen [options]\n"
    "\n"
    "Generate the golden vectors from the reference model: one file per role of the\n"
    "implementation under test, DIR/ROLE.json.\n"
    "\n"
    "  -o, --out DIR     where to write (default: the vectors directory, "
    "$VCONFORM_VECTORS or the installed set)\n"
    "  -r, --role ROLE   only this role (repeatable): rpmsg-driver, rpmsg-device,\n"
    "                    virtio-msg-device, virtio-msg-driver, virtio-msg-bus\n"
    "  -c, --check       write nothing: exit 1 if a file in DIR differs from what the\n"
    "                    generators produce now, naming the first differing line\n"
    "\n"
    "Exit status: 0 success, 1 --check found a difference, 2 a scenario or I/O error,\n"
    "64 a usage error.\n";

typedef void (*gen_fn)(vcf_gen *);

static const struct {
    uint32_t role;
    gen_fn fn;
} generators[] = {
    {VCF_IUT_RPMSG_DRIVER, vcf_gen_rpmsg_driver}, {VCF_IUT_RPMSG_DEVICE, vcf_gen_rpmsg_device},
    {VCF_IUT_VMSG_DEVICE, vcf_gen_vmsg_device},   {VCF_IUT_VMSG_DRIVER, vcf_gen_vmsg_driver},
    {VCF_IUT_VMSG_BUS, vcf_gen_vmsg_bus},
};
#define N_GEN (sizeof(generators) / sizeof(generators[0]))

static const char *spec_of(uint32_t role)
{
    return strcmp(vcf_iut_role_protocol(role), "rpmsg") == 0
               ? "vconform RPMsg catalogue (docs/rules/rpmsg.md): Linux virtio_rpmsg_bus and "
                 "OpenAMP lib/rpmsg"
               : "virtio-msg transport draft (PR28 and RFC3) as catalogued in "
                 "docs/rules/virtio-msg.md";
}

static int check_one(const char *path, const char *want)
{
    size_t len;
    char *have = vcf_cli_read_file(path, &len);
    if (!have) {
        fprintf(stderr, "vconform gen: %s: missing (run vconform gen to create it)\n", path);
        return 1;
    }
    int rc = 0;
    if (strcmp(have, want) != 0) {
        size_t line = 1;
        const char *a = have, *b = want;
        while (*a && *a == *b) {
            if (*a == '\n')
                line++;
            a++;
            b++;
        }
        fprintf(stderr,
                "vconform gen: %s:%zu: differs from what the generators produce now; run "
                "vconform gen and review the change\n",
                path, line);
        rc = 1;
    }
    free(have);
    return rc;
}

int vcf_cli_gen(int argc, char **argv)
{
    static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
                                         {"role", required_argument, NULL, 'r'},
                                         {"check", no_argument, NULL, 'c'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL;
    unsigned roles = 0;
    int check = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:r:ch", opts, NULL)) != -1) {
        uint32_t role;
        switch (c) {
        case 'o': dir = optarg; break;
        case 'r':
            if (vcf_iut_role_parse(optarg, &role) != 0)
                return vcf_cli_usage_error("gen", "unknown role '%s'", optarg);
            roles |= VCF_IUT_ROLE_BIT(role);
            break;
        case 'c': check = 1; break;
        case 'h': fputs(usage_text, stdout); return VCF_CLI_EXIT_OK;
        default: return vcf_cli_usage_error("gen", "see vconform gen --help");
        }
    }
    if (optind < argc)
        return vcf_cli_usage_error("gen", "unexpected argument '%s'", argv[optind]);
    if (!dir)
        dir = vcf_vectors_dir();
    int status = 0;
    for (size_t i = 0; i < N_GEN; i++) {
        uint32_t role = generators[i].role;
        if (roles && !(roles & VCF_IUT_ROLE_BIT(role)))
            continue;
        vcf_gen *g = vcf_gen_new(role, spec_of(role));
        generators[i].fn(g);
        char path[4096], err[1024];
        snprintf(path, sizeof(path), "%s/%s.json", dir, vcf_iut_role_name(role));
        if (vcf_gen_error(g)) {
            fprintf(stderr, "vconform gen: %s\n", vcf_gen_error(g));
            vcf_gen_free(g);
            return 2;
        }
        if (check) {
            char *text = vcf_vfile_dump(vcf_gen_file(g));
            if (!text) {
                fprintf(stderr, "vconform gen: out of memory\n");
                vcf_gen_free(g);
                return 2;
            }
            status |= check_one(path, text);
            free(text);
        } else if (vcf_gen_write(g, path, err, sizeof(err)) != 0) {
            fprintf(stderr, "vconform gen: %s: %s\n", path, err);
            vcf_gen_free(g);
            return 2;
        } else {
            printf("%s: %zu cases\n", path, vcf_vfile_count(vcf_gen_file(g)));
        }
        vcf_gen_free(g);
    }
    return status ? 1 : 0;
}
