/* Replay driver: a main() that feeds every file named on the command line
 * (directories: every regular file inside, sorted) to the fuzz target once.
 * Lets the corpora and the crash regressions run as plain ctest tests in
 * builds without libFuzzer (gcc, the ASan build). Exit 0 when every input
 * returned; a finding aborts, which ctest reports as a failure. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t cap = 0, len = 0, got;
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    for (;;) {
        if (len == cap) {
            unsigned char *bigger;
            cap = cap ? cap * 2 : 65536;
            bigger = realloc(data, cap);
            if (!bigger) {
                free(data);
                fclose(f);
                return -1;
            }
            data = bigger;
        }
        got = fread(data + len, 1, cap - len, f);
        if (got == 0)
            break;
        len += got;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(data, len);
    free(data);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, i;
    int rc = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        char **more;
        struct stat st;
        size_t l = strlen(dir) + strlen(e->d_name) + 2;
        char *p;
        if (e->d_name[0] == '.')
            continue;
        p = malloc(l);
        if (!p)
            break;
        snprintf(p, l, "%s/%s", dir, e->d_name);
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(p);
            continue;
        }
        more = realloc(names, (n + 1) * sizeof *names);
        if (!more) {
            free(p);
            break;
        }
        names = more;
        names[n++] = p;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (i = 0; i < n; i++) {
        if (run_file(names[i]) != 0)
            rc = -1;
        else
            (*count)++;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int i, rc = 0;
    LLVMFuzzerInitialize(&argc, &argv);
    for (i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s does not exist\n", argv[i]);
            rc = 1;
        } else if (S_ISDIR(st.st_mode)) {
            if (run_dir(argv[i], &count) != 0)
                rc = 1;
        } else if (run_file(argv[i]) == 0) {
            count++;
        } else {
            rc = 1;
        }
    }
    printf("replayed %zu inputs\n", count);
    if (count == 0) {
        fprintf(stderr, "replay: no input found\n");
        return 1;
    }
    return rc;
}
