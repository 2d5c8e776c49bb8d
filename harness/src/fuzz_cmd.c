/* SPDX-License-Identifier: MIT */
/*
 * vconform fuzz: run a fuzzing campaign (fuzz/campaign.sh, docs/fuzzing.md), or list the fuzz
 * targets of a build.
 *
 *   vconform fuzz TARGET [options]   runs fuzz/campaign.sh TARGET [options] (exec: the script's
 *                                    exit status is the command's)
 *   vconform fuzz --list [--build DIR]
 *                                    the targets and their input formats, from a build's
 *                                    manifest (DIR/fuzz/targets.tsv)
 *
 * The script is found through $VCONFORM_FUZZ_CAMPAIGN, the source tree this vconform was built
 * from (VCF_SOURCE_DIR), or next to the binary.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters.h"
#include "cli.h"

int vcf_cli_fuzz(int argc, char **argv);

#define FUZZ_MAX_FIELDS 7 /* name, format, binary, dictionary, corpus, crashers, seeds */

/* The directory holding this program (no trailing slash), or "" when unknown. */
static void exe_dir(char *out, size_t size)
{
    if (vcf_exe_dir(out, size) != 0)
        out[0] = '\0';
}

static int readable(const char *path)
{
    return access(path, R_OK) == 0;
}

/* Where fuzz/campaign.sh is: 0 and path filled, or -1 with the places tried in tried. */
static int find_campaign(char *path, size_t size, char *tried, size_t tried_size)
{
    char dir[PATH_MAX];
    const char *env = getenv("VCONFORM_FUZZ_CAMPAIGN");
    tried[0] = '\0';
    if (env && *env) {
        snprintf(path, size, "%s", env);
        if (readable(path))
            return 0;
        snprintf(tried, tried_size, "  %s ($VCONFORM_FUZZ_CAMPAIGN)\n", env);
        return -1;
    }
    const char *candidates[4];
    size_t nc = 0;
#ifdef VCF_SOURCE_DIR
    candidates[nc++] = VCF_SOURCE_DIR "/fuzz/campaign.sh";
#endif
    exe_dir(dir, sizeof dir);
    char near[3][PATH_MAX + 48];
    if (dir[0]) {
        /* an installed copy, or a build tree inside the source tree (build/NAME/harness) */
        snprintf(near[0], sizeof near[0], "%s/campaign.sh", dir);
        snprintf(near[1], sizeof near[1], "%s/../share/vconform/fuzz/campaign.sh", dir);
        snprintf(near[2], sizeof near[2], "%s/../../../fuzz/campaign.sh", dir);
        for (size_t i = 0; i < 3; i++)
            candidates[nc++] = near[i];
    }
    size_t used = 0;
    for (size_t i = 0; i < nc; i++) {
        if (readable(candidates[i])) {
            snprintf(path, size, "%s", candidates[i]);
            return 0;
        }
        int w = snprintf(tried + used, tried_size - used, "  %s\n", candidates[i]);
        if (w > 0 && (size_t)w < tried_size - used)
            used += (size_t)w;
    }
    return -1;
}

/* Split one manifest line at tabs, keeping empty fields; returns the number of fields. */
static size_t split_tabs(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        fields[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

/* The manifest to list: --build DIR's, else this vconform's own build (BUILD/harness/vconform
 * next to BUILD/fuzz/targets.tsv), else the source tree's libFuzzer build. */
static int find_manifest(const char *build, char *path, size_t size) /* size >= PATH_MAX */
{
    if (build) {
        snprintf(path, size, "%s/fuzz/targets.tsv", build);
        return readable(path) ? 0 : -1;
    }
    char dir[PATH_MAX];
    exe_dir(dir, sizeof dir);
    if (dir[0]) {
        char rel[PATH_MAX + 32];
        snprintf(rel, sizeof rel, "%s/../fuzz/targets.tsv", dir);
        if (readable(rel) && realpath(rel, path))
            return 0;
    }
#ifdef VCF_SOURCE_DIR
    snprintf(path, size, "%s", VCF_SOURCE_DIR "/build/fuzz-libfuzzer/fuzz/targets.tsv");
    if (readable(path))
        return 0;
#endif
    return -1;
}

static int list_targets(const char *build)
{
    char path[PATH_MAX + 32];
    if (find_manifest(build, path, sizeof path) != 0) {
        if (build)
            fprintf(stderr, "vconform fuzz: %s: no fuzz target manifest (%s)\n", path,
                    strerror(errno));
        else
            fprintf(stderr, "vconform fuzz: no fuzz target manifest next to this vconform; "
                            "name a build with --list --build DIR\n");
        return VCF_CLI_EXIT_MALFORMED;
    }
    size_t len = 0;
    char *text = vcf_cli_read_file(path, &len);
    if (!text) {
        fprintf(stderr, "vconform fuzz: %s: %s\n", path, strerror(errno));
        return VCF_CLI_EXIT_MALFORMED;
    }
    /* the engine, from engine.txt beside the manifest */
    char engine_path[PATH_MAX + 32];
    snprintf(engine_path, sizeof engine_path, "%.*s/engine.txt", (int)(strrchr(path, '/') - path),
             path);
    size_t elen = 0;
    char *engine = vcf_cli_read_file(engine_path, &elen);
    if (engine)
        engine[strcspn(engine, "\r\n")] = '\0';

    printf("# %s (engine %s)\n", path, engine && *engine ? engine : "unknown");
    printf("%-16s %-14s %-5s %s\n", "target", "format", "seeds", "dictionary");
    int rc = VCF_CLI_EXIT_OK;
    size_t lineno = 0, count = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        if (line[0] == '\0')
            continue;
        char *f[FUZZ_MAX_FIELDS];
        size_t n = split_tabs(line, f, FUZZ_MAX_FIELDS);
        if (n != FUZZ_MAX_FIELDS) {
            fprintf(stderr,
                    "vconform fuzz: %s:%zu: expected %d tab-separated fields (name, format, "
                    "binary, dictionary, corpus, crashers, seeds), got %zu\n",
                    path, lineno, FUZZ_MAX_FIELDS, n);
            rc = VCF_CLI_EXIT_MALFORMED;
            continue;
        }
        printf("%-16s %-14s %-5s %s\n", f[0], f[1], strcmp(f[6], "-") == 0 ? "no" : "yes",
               f[3][0] ? "yes" : "no");
        count++;
    }
    if (count == 0 && rc == VCF_CLI_EXIT_OK) {
        fprintf(stderr, "vconform fuzz: %s: no targets\n", path);
        rc = VCF_CLI_EXIT_MALFORMED;
    }
    free(engine);
    free(text);
    return rc;
}

static const char fuzz_usage[] =
    "usage: vconform fuzz TARGET [--engine afl|libfuzzer] [--minutes N | --seconds N]\n"
    "                     [--jobs J] [--adapter SPEC] [--reference SPEC] [--out DIR] ...\n"
    "       vconform fuzz --list [--build DIR]\n"
    "\n"
    "Runs a fuzzing campaign against one target (fuzz/campaign.sh; its --help lists every\n"
    "option), or lists the targets of a build. docs/fuzzing.md is the guide.\n";

int vcf_cli_fuzz(int argc, char **argv)
{
    const char *build = NULL;
    int list = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--list") == 0 || strcmp(argv[i], "-l") == 0)
            list = 1;
        else if (strcmp(argv[i], "--build") == 0 && i + 1 < argc)
            build = argv[++i];
    }
    if (list) {
        for (int i = 1; i < argc; i++) {
            if (strcmp(argv[i], "--list") == 0 || strcmp(argv[i], "-l") == 0)
                continue;
            if (strcmp(argv[i], "--build") == 0) {
                i++;
                continue;
            }
            return vcf_cli_usage_error("fuzz", "--list takes only --build DIR (got '%s')", argv[i]);
        }
        return list_targets(build);
    }

    char script[PATH_MAX], tried[4 * (PATH_MAX + 64)];
    if (find_campaign(script, sizeof script, tried, sizeof tried) != 0) {
        if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            fputs(fuzz_usage, stdout);
            return VCF_CLI_EXIT_OK;
        }
        fprintf(stderr,
                "vconform fuzz: cannot find fuzz/campaign.sh; looked at:\n%s"
                "Run it from a vconform source tree, or set VCONFORM_FUZZ_CAMPAIGN to its "
                "path.\n",
                tried);
        return VCF_CLI_EXIT_MALFORMED;
    }
    if (argc < 2) {
        fputs(fuzz_usage, stderr);
        return VCF_CLI_EXIT_USAGE;
    }

    /* bash SCRIPT ARGS... (the script need not be executable) */
    char **args = calloc((size_t)argc + 2, sizeof(*args));
    if (!args) {
        fprintf(stderr, "vconform fuzz: out of memory\n");
        return VCF_CLI_EXIT_MALFORMED;
    }
    static char bash[] = "bash";
    args[0] = bash;
    args[1] = script;
    for (int i = 1; i < argc; i++)
        args[i + 1] = argv[i];
    args[argc + 1] = NULL;
    fflush(NULL);
    execvp("bash", args);
    fprintf(stderr, "vconform fuzz: cannot run bash %s: %s\n", script, strerror(errno));
    free(args);
    return VCF_CLI_EXIT_MALFORMED;
}
