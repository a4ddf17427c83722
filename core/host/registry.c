/* realpath() is XSI */
#define _XOPEN_SOURCE 700
/* The plugin registry: the search path (which directories, in which order,
 * each once) and the registry's life. Scanning a directory is
 * registry_scan.c, opening files loader.c, lookups registry_query.c. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/registry_priv.h"

#ifndef DOCPIPE_INSTALL_PLUGIN_DIR
#define DOCPIPE_INSTALL_PLUGIN_DIR "/usr/local/lib/docpipe/plugins"
#endif
#ifndef DOCPIPE_PLUGIN_SUBDIR
#define DOCPIPE_PLUGIN_SUBDIR "lib/docpipe/plugins"
#endif

static int add_dir(dp_registry *reg, const char *dir)
{
    char real[PATH_MAX];
    if (!dir || !dir[0])
        return 0; /* an empty PATH element would mean the cwd: never */
    if (!realpath(dir, real))
        return 0;
    if (dpu_strv_contains(&reg->dirs, real))
        return 0;
    return dpu_strv_push(&reg->dirs, real);
}

static char *default_cache_dir(void)
{
    const char *v = getenv("DOCPIPE_CACHE_DIR");
    if (v && v[0])
        return dpu_strdup(v);
    v = getenv("XDG_CACHE_HOME");
    if (v && v[0] == '/')
        return dpu_printf("%s/docpipe", v);
    v = getenv("HOME");
    if (v && v[0] == '/')
        return dpu_printf("%s/.cache/docpipe", v);
    return NULL;
}

int dp_registry_new(dp_registry **out, const dp_registry_options *opts, dp_error *err)
{
    dp_registry *reg;
    dp_registry_options defaults = DP_REGISTRY_OPTIONS_INIT;
    size_t i;
    int rc = 0;

    if (!out)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_registry_new: out is NULL");
    *out = NULL;
    if (!opts)
        opts = &defaults;
    /* Version 1 ended before on_open: do not read past its end. */
    if (opts->version != DP_REGISTRY_OPTIONS_VERSION && opts->version != 1)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_registry_options version %u unknown",
                            opts->version);
    reg = calloc(1, sizeof *reg);
    if (!reg)
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    pthread_mutex_init(&reg->lock, NULL);
    if (opts->version >= 2) {
        reg->on_open = opts->on_open;
        reg->on_open_payload = opts->on_open_payload;
    }

    if (opts->dirs) {
        for (i = 0; opts->dirs[i]; i++) {
            struct stat st;
            if (stat(opts->dirs[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
                if ((rc = reg_add_refusal(reg, opts->dirs[i], "plugin directory does not exist")) != 0)
                    goto fail;
                continue;
            }
            if ((rc = add_dir(reg, opts->dirs[i])) != 0)
                goto fail;
        }
    }
    if (!(opts->flags & DP_REGISTRY_NO_ENV)) {
        const char *env = getenv("DOCPIPE_PLUGIN_PATH");
        if (env) {
            char *copy = dpu_strdup(env), *save = NULL, *tok;
            if (!copy) {
                rc = DP_ENOMEM;
                goto fail;
            }
            for (tok = strtok_r(copy, ":", &save); tok; tok = strtok_r(NULL, ":", &save))
                if ((rc = add_dir(reg, tok)) != 0)
                    break;
            free(copy);
            if (rc)
                goto fail;
        }
    }
    if (!(opts->flags & DP_REGISTRY_NO_EXE_DIR)) {
        /* The build tree mirrors the install tree: <prefix>/bin/docpipe and
         * <prefix>/lib/docpipe/plugins, so this works in both. */
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0) {
            char *dir, *plug;
            exe[n] = '\0';
            dir = dpu_dirname(exe);
            plug = dir ? dpu_printf("%s/../%s", dir, DOCPIPE_PLUGIN_SUBDIR) : NULL;
            if (plug)
                rc = add_dir(reg, plug);
            free(dir);
            free(plug);
            if (rc)
                goto fail;
        }
    }
    if (!(opts->flags & DP_REGISTRY_NO_INSTALLED)) {
        /* beside the library first: a prefix moved after installing, or a
         * program that is not bin/docpipe (Python) */
        char *beside = reg_library_plugin_dir();
        rc = beside ? add_dir(reg, beside) : 0;
        free(beside);
        if (rc || (rc = add_dir(reg, DOCPIPE_INSTALL_PLUGIN_DIR)) != 0)
            goto fail;
    }

    if (!(opts->flags & DP_REGISTRY_NO_CACHE))
        reg->cache_dir = opts->cache_dir ? dpu_strdup(opts->cache_dir) : default_cache_dir();

    for (i = 0; i < reg->dirs.n; i++)
        if ((rc = reg_scan_dir(reg, reg->dirs.v[i])) != 0)
            goto fail;
    *out = reg;
    return 0;
fail:
    dp_registry_free(reg);
    return dp_error_set(err, rc, NULL, 0, 0, "out of memory scanning plugins");
}

void dp_registry_free(dp_registry *reg)
{
    size_t i;
    if (!reg)
        return;
    for (i = 0; i < reg->nentries; i++)
        reg_entry_free(reg->entries[i]);
    free(reg->entries);
    for (i = 0; i < reg->nfiles; i++) {
        reg_module_release(reg->files[i]);
        reg_file_free(reg->files[i]);
    }
    free(reg->files);
    for (i = 0; i < reg->nrefused; i++) {
        free((char *)reg->refused[i].file);
        free((char *)reg->refused[i].reason);
    }
    free(reg->refused);
    dpu_strv_clear(&reg->dirs);
    free(reg->cache_dir);
    pthread_mutex_destroy(&reg->lock);
    free(reg);
}
