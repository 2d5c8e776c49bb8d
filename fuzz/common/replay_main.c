/* SPDX-License-Identifier: MIT */
/*
 * vconform fuzzing: the replay runner, the main() of every target built without an engine.
 *
 *   fuzz_NAME [--explain] PATH...
 *
 * Runs every file named, and every regular file in every directory named (sorted by name, not
 * recursively; names starting with '.' and *.md files are skipped), through the target once.
 * A directory that does not exist is skipped with a note, so a target without saved crashers
 * needs no empty directory; but a run that replays no input at all fails, so a wrong path
 * cannot pass unnoticed. A finding or a sanitizer report aborts the program: ctest sees the
 * failure and the output names the file.
 *
 * --explain prints what the target decoded and checked for each input (vcf_fuzz_explain).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

extern int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
/* Sanitizer runtimes call this before they exit with a report (absent without sanitizers). */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

/* Name the input that was running when the program dies: a signal or a sanitizer report. */
static void say_input(void)
{
    const char *name = vcf_fuzz_input_name;
    if (!name)
        return;
    static const char head[] = "replay: died while running ";
    if (write(2, head, sizeof head - 1) < 0 || write(2, name, strlen(name)) < 0 ||
        write(2, "\n", 1) < 0)
        return;
}

static void on_fatal_signal(int sig)
{
    say_input();
    signal(sig, SIG_DFL);
    raise(sig);
}

static int replay_file(const char *path, size_t *count)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fclose(f);
            fprintf(stderr, "%s: out of memory\n", path);
            return -1;
        }
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        cap *= 2;
        uint8_t *nb = realloc(buf, cap);
        if (!nb)
            free(buf);
        buf = nb;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        fprintf(stderr, "%s: read error\n", path);
        return -1;
    }
    /* An exact-size copy, so that AddressSanitizer sees a read one past the input. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(buf);
        return -1;
    }
    if (len)
        memcpy(exact, buf, len);
    free(buf);
    if (vcf_fuzz_explain)
        fprintf(vcf_fuzz_explain, "== %s (%zu bytes)\n", path, len);
    vcf_fuzz_input_name = path;
    LLVMFuzzerTestOneInput(exact, len);
    vcf_fuzz_input_name = NULL;
    free(exact);
    (*count)++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *path, size_t *count)
{
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "%s: cannot open directory: %s\n", path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        size_t nl = strlen(e->d_name);
        if (e->d_name[0] == '.' || (nl > 3 && strcmp(e->d_name + nl - 3, ".md") == 0))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof(*names));
            if (!nn) {
                rc = -1;
                break;
            }
            names = nn;
        }
        size_t plen = strlen(path) + 1 + nl + 1;
        names[n] = malloc(plen);
        if (!names[n]) {
            rc = -1;
            break;
        }
        snprintf(names[n], plen, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), by_name);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            rc = replay_file(names[i], count);
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    if (__sanitizer_set_death_callback) {
        __sanitizer_set_death_callback(say_input); /* the sanitizers keep their own handlers */
    } else {
        static const int fatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
        for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
            signal(fatal[i], on_fatal_signal);
    }
    size_t count = 0;
    int paths = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--explain") == 0) {
            setvbuf(stdout, NULL, _IOLBF, 0); /* nothing lost when a sanitizer ends the run */
            vcf_fuzz_explain = stdout;
            continue;
        }
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: %s [--explain] FILE|DIR...\n"
                   "Replays each input through the fuzz target once (fuzz/README.md).\n",
                   argv[0]);
            return 0;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            /* engine options (-runs=, -max_len=, ...) mean nothing here */
            fprintf(stderr, "%s: ignoring engine option %s\n", argv[0], argv[i]);
            continue;
        }
        paths++;
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            if (errno == ENOENT) {
                fprintf(stderr, "%s: no such file or directory, skipped\n", argv[i]);
                continue;
            }
            fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
            return 2;
        }
        int rc = S_ISDIR(st.st_mode) ? replay_dir(argv[i], &count) : replay_file(argv[i], &count);
        if (rc != 0)
            return 2;
    }
    if (paths == 0) {
        fprintf(stderr, "usage: %s [--explain] FILE|DIR...\n", argv[0]);
        return 2;
    }
    if (count == 0) {
        fprintf(stderr, "%s: no input replayed (empty or missing corpus)\n", argv[0]);
        return 1;
    }
    fprintf(stderr, "%s: %zu inputs replayed, no finding\n", argv[0], count);
    return 0;
}
