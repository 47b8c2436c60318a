/*
 * replay_main.c - main() for a harness outside libFuzzer: run each input file once.
 *
 * Usage: fuzz_<name> FILE|DIR...   (a directory: every regular file in it, sorted by name)
 * Exits 0 when every input ran; a crash ends the process as it would under libFuzzer, and the
 * sanitizers of an ASan tree report what they find. Prints how many inputs ran, so a test can
 * tell an empty corpus from a passing one.
 */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *b = realloc(buf, cap *= 2);
            if (!b)
                free(buf);
            buf = b;
        }
    }
    int bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(buf);
        return -1;
    }
    /* A copy of exactly n bytes, as libFuzzer hands them: ASan then sees a read past the end. */
    uint8_t *data = malloc(n ? n : 1);
    if (!data) {
        free(buf);
        return -1;
    }
    memcpy(data, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(data, n);
    free(data);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *path, size_t *ran)
{
    struct dirent **list = NULL;
    int n = scandir(path, &list, NULL, NULL);
    if (n < 0) {
        perror(path);
        return -1;
    }
    char **names = calloc((size_t)n + 1, sizeof *names);
    int k = 0, rc = 0;
    for (int i = 0; i < n; i++) {
        if (names && list[i]->d_name[0] != '.')
            names[k++] = strdup(list[i]->d_name);
        free(list[i]);
    }
    free(list);
    if (!names)
        return -1;
    qsort(names, (size_t)k, sizeof *names, by_name);
    for (int i = 0; i < k; i++) {
        char full[4096];
        struct stat st;
        snprintf(full, sizeof full, "%s/%s", path, names[i]);
        if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
            if (run_file(full) != 0)
                rc = -1;
            else
                (*ran)++;
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    LLVMFuzzerInitialize(&argc, &argv);
    size_t ran = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            rc = 1;
        } else if (S_ISDIR(st.st_mode)) {
            if (run_dir(argv[i], &ran) != 0)
                rc = 1;
        } else if (run_file(argv[i]) != 0) {
            rc = 1;
        } else {
            ran++;
        }
    }
    printf("%s: %zu inputs replayed\n", argv[0], ran);
    return rc;
}
