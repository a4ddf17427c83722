/* realpath() is XSI */
#define _XOPEN_SOURCE 700
/* Printing: every message names the program, its level and, where there is
 * one, the FILE:LINE:COL it is about (jq / compiler style). */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_print(const char *level, const char *file, int line, int column, const char *plugin,
               const char *message)
{
    char where[700] = "";
    if (file && file[0]) {
        if (line > 0 && column > 0)
            snprintf(where, sizeof where, "%s:%d:%d: ", file, line, column);
        else if (line > 0)
            snprintf(where, sizeof where, "%s:%d: ", file, line);
        else
            snprintf(where, sizeof where, "%s: ", file);
    }
    /* One write per message keeps lines whole when threads report at once. */
    if (plugin && plugin[0])
        fprintf(stderr, "docpipe: %s: %s%s [%s]\n", level, where, message, plugin);
    else
        fprintf(stderr, "docpipe: %s: %s%s\n", level, where, message);
}

void cli_error(const dp_error *err)
{
    cli_print("error", err->file, err->line, err->column, err->plugin, err->message[0] ? err->message
                                                                                      : dp_status_name(err->code));
}

void cli_usage_error(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "docpipe: error: %s\n(try 'docpipe --help')\n", msg);
}

void cli_diag(const dp_diag *d, void *payload)
{
    cli_out *o = payload;
    flockfile(stderr);
    switch (d->level) {
    case DP_DIAG_ERROR:
        o->errors_printed++;
        if (o->progress)
            fputs("\r\033[K", stderr);
        cli_print("error", d->file, d->line, d->column, d->plugin, d->message);
        break;
    case DP_DIAG_WARNING:
        if (!o->quiet)
            cli_warnings_add(o, d); /* printed grouped at the end (warnings.c) */
        break;
    default:
        if (o->verbose && !o->quiet)
            cli_print("info", d->file, d->line, d->column, d->plugin, d->message);
        break;
    }
    funlockfile(stderr);
}

char *cli_split_kv(char *arg)
{
    char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return NULL;
    *eq = '\0';
    return eq + 1;
}

/* -v: each plugin file, before it is opened (its constructors run then). */
static void print_open(const char *path, void *payload)
{
    (void)payload;
    cli_print("info", path, 0, 0, NULL, "opening plugin file");
}

int cli_registry(dp_registry **out, const char *const *plugin_dirs, const char *const *extra_dirs,
                 int no_cache, int verbose, dp_error *err)
{
    dp_registry_options ro = DP_REGISTRY_OPTIONS_INIT;
    const char **dirs;
    size_t n = 0, i;
    int rc;
    for (i = 0; plugin_dirs && plugin_dirs[i]; i++)
        n++;
    for (i = 0; extra_dirs && extra_dirs[i]; i++)
        n++;
    dirs = calloc(n + 1, sizeof *dirs);
    if (!dirs)
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    n = 0;
    for (i = 0; plugin_dirs && plugin_dirs[i]; i++)
        dirs[n++] = plugin_dirs[i];
    for (i = 0; extra_dirs && extra_dirs[i]; i++)
        dirs[n++] = extra_dirs[i];
    ro.dirs = dirs;
    if (verbose)
        ro.on_open = print_open;
    if (no_cache)
        ro.flags |= DP_REGISTRY_NO_CACHE;
    rc = dp_registry_new(out, &ro, err);
    free(dirs);
    return rc;
}

void cli_list_opened(const dp_registry *reg)
{
    size_t i, k, nseen = 0;
    const char *seen[256];
    char msg[128];
    for (i = 0; i < dp_registry_count(reg); i++) {
        const dp_plugin_info *info = dp_registry_at(reg, i);
        int dup = 0;
        if (!dp_registry_is_loaded(reg, info))
            continue;
        for (k = 0; k < nseen; k++)
            if (strcmp(seen[k], info->file) == 0)
                dup = 1;
        if (dup || nseen == 256)
            continue;
        seen[nseen++] = info->file;
        cli_print("info", NULL, 0, 0, NULL, info->file);
    }
    snprintf(msg, sizeof msg, "%zu plugin file%s opened, %zu plugins known", dp_registry_opened_files(reg),
             dp_registry_opened_files(reg) == 1 ? "" : "s", dp_registry_count(reg));
    cli_print("info", NULL, 0, 0, NULL, msg);
}

void cli_warn_bad_dirs(const dp_registry *reg, const char *const *dirs)
{
    size_t i, k;
    for (k = 0; dirs && dirs[k]; k++) {
        char real[PATH_MAX];
        const char *rp = realpath(dirs[k], real) ? real : NULL;
        for (i = 0; i < dp_registry_refused_count(reg); i++) {
            const dp_refusal *r = dp_registry_refused_at(reg, i);
            if (strcmp(dirs[k], r->file) == 0 || (rp && strcmp(rp, r->file) == 0))
                cli_print("warning", r->file, 0, 0, NULL, r->reason);
        }
    }
}
