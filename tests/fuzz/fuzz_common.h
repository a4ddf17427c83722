/* Shared set-up of the docpipe fuzz targets: one registry over the build
 * tree's plugin directory, created once per process (a fuzzer runs millions
 * of inputs; scanning the directory each time would dominate). */
#ifndef DOCPIPE_FUZZ_COMMON_H
#define DOCPIPE_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docpipe/docpipe.h"
#include "docpipe/dp_memory.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef DOCPIPE_FUZZ_PLUGIN_DIR
#define DOCPIPE_FUZZ_PLUGIN_DIR "."
#endif

/* A finding: print why and abort so that libFuzzer (or the replay driver,
 * under ctest) reports the input as a crash. */
#define FUZZ_FAIL(...)                                                                             \
    do {                                                                                           \
        fprintf(stderr, "docpipe fuzz finding: ");                                                \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fprintf(stderr, "\n");                                                                     \
        abort();                                                                                   \
    } while (0)

static inline dp_registry *fuzz_registry(void)
{
    static dp_registry *reg; /* harness state, lives as long as the process */
    if (!reg) {
        const char *dir = getenv("DOCPIPE_FUZZ_PLUGIN_DIR");
        const char *dirs[2];
        dp_registry_options o = DP_REGISTRY_OPTIONS_INIT;
        dp_error err;
        dirs[0] = dir && *dir ? dir : DOCPIPE_FUZZ_PLUGIN_DIR;
        dirs[1] = NULL;
        o.dirs = dirs;
        o.flags = DP_REGISTRY_NO_ENV | DP_REGISTRY_NO_EXE_DIR | DP_REGISTRY_NO_INSTALLED | DP_REGISTRY_NO_CACHE;
        dp_error_clear(&err);
        if (dp_registry_new(&reg, &o, &err) != 0) {
            fprintf(stderr, "fuzz: cannot create the registry: %s\n", err.message);
            exit(2);
        }
    }
    return reg;
}

/* Loads the importer/exporter of format now, so that its instrumented code is
 * registered with libFuzzer before the first input. */
static inline void fuzz_preload(dp_plugin_kind kind, const char *format)
{
    dp_registry *reg = fuzz_registry();
    const dp_plugin_info *info = dp_registry_find(reg, kind, format);
    const dp_plugin_desc *desc;
    dp_error err;
    dp_error_clear(&err);
    if (!info || dp_registry_load(reg, info, &desc, &err) != 0) {
        fprintf(stderr, "fuzz: no loadable %s for '%s' in %s: %s\n", dp_plugin_kind_name(kind), format,
                DOCPIPE_FUZZ_PLUGIN_DIR, err.message);
        exit(2);
    }
}

/* An importer may refuse input (input error, limit), but never produce an
 * invalid tree or report an internal error. */
static inline void fuzz_check_import_status(int rc, const dp_error *err, const char *format)
{
    if (rc == DP_EPLUGIN || rc == DP_EINTERNAL || rc == DP_EINVAL)
        FUZZ_FAIL("%s importer: %s (%s)", format, err->message, dp_status_name(rc));
}

#endif
