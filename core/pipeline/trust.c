/* realpath() is XSI */
#define _XOPEN_SOURCE 700
/* What a config may do without the user's say-so (docs/SECURITY.md, "Trust").
 * A config is data that may come from someone else, like a Makefile: by
 * default it may not load native code (plugin-path), start programs (the
 * filter transform) or write outside its own directory. Each is allowed by
 * the user on the command line; the refusal names the flag. A pipeline built
 * from the command line (no config file) is the user's own and trusted. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/pipeline_priv.h"

static int untrusted(const dp_pipeline *p, unsigned what)
{
    return p->file && !(p->trust & what);
}

int dp_pipeline_set_trust(dp_pipeline *p, unsigned allow, dp_error *err)
{
    if (!p)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_pipeline_set_trust: NULL pipeline");
    if (p->file)
        p->trust = allow & DP_TRUST_ALL;
    return dpc_trust_plugin_path(p, err);
}

int dpc_trust_plugin_path(const dp_pipeline *p, dp_error *err)
{
    if (!p->plugin_path.n || !untrusted(p, DP_TRUST_PLUGIN_PATH))
        return 0;
    return dp_error_set(err, DP_ECONFIG, p->file, p->plugin_path_line, p->plugin_path_column,
                        "the config adds plugin directories (plugin-path: %s%s): loading a plugin runs its "
                        "code, so a config may do it only when you allow it with --allow-plugin-path "
                        "(or --trust-config)",
                        p->plugin_path.v[0], p->plugin_path.n > 1 ? ", ..." : "");
}

/* Transforms that start other programs (the json module's `filter`, the
 * pandoc-json module's `pandoc-filter`) say so in their descriptor
 * (DP_PLUGIN_RUNS_PROGRAMS, ABI 1.3), cached with the plugin's info so that
 * a dry run or a config check sees it without opening the plugin. Whatever
 * name, alias or id a config uses, the property decides. */
static int runs_programs(const dp_plugin_info *info)
{
    return info && (info->flags & DP_PLUGIN_RUNS_PROGRAMS);
}

int dpc_trust_transform(const dp_pipeline *p, const dpc_step *s, dp_error *err)
{
    if (!runs_programs(s->plugin) || !untrusted(p, DP_TRUST_FILTER))
        return 0;
    return dp_error_set(err, DP_ECONFIG, p->file, s->name_line ? s->name_line : s->line,
                        s->name_line ? s->name_column : s->column,
                        "the transform '%s' runs an external program: a config may run one only when you "
                        "allow it with --allow-filter (or --trust-config)",
                        s->name);
}

/* Whether normalized path lies strictly below normalized dir. */
static int below(const char *dir, const char *path)
{
    size_t n = strlen(dir);
    if (strcmp(dir, ".") == 0)
        return path[0] != '/' && strcmp(path, "..") != 0 && strncmp(path, "../", 3) != 0 &&
               strcmp(path, ".") != 0;
    if (strcmp(dir, "/") == 0)
        return path[0] == '/' && path[1] != '\0';
    return strncmp(path, dir, n) == 0 && path[n] == '/' && path[n + 1] != '\0';
}

static int outside_error(const dp_pipeline *p, int line, int col, const char *what, const char *path,
                         dp_error *err)
{
    return dp_error_set(err, DP_ECONFIG, p->file, line, col,
                        "%s '%s' is outside the config's directory: a config may write there only when "
                        "you allow it with --allow-outside (or --trust-config)",
                        what, path);
}

int dpc_trust_output(const dp_pipeline *p, const dpc_job *j, const dpc_step *o, const char *rel,
                     const char *resolved, dp_error *err)
{
    const char *base = p->base_dir ? p->base_dir : ".";
    char *nbase, *nout;
    int inside;
    if (!untrusted(p, DP_TRUST_OUTSIDE))
        return 0;
    /* As written: an absolute output-dir or output is refused even when it
     * happens to point into the config's directory (the config would write
     * the same path wherever it is copied). */
    if (j->output_dir && j->output_dir[0] == '/')
        return outside_error(p, j->output_dir_line, j->output_dir_column, "output-dir", j->output_dir, err);
    if (rel[0] == '/')
        return outside_error(p, o->path_line ? o->path_line : o->line, o->path_line ? o->path_column : o->column,
                             "output", rel, err);
    nbase = dpu_path_normalize(base);
    nout = dpu_path_normalize(resolved);
    if (!nbase || !nout) {
        free(nbase);
        free(nout);
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    }
    inside = below(nbase, nout);
    free(nbase);
    free(nout);
    if (inside)
        return 0;
    return outside_error(p, o->path_line ? o->path_line : o->line, o->path_line ? o->path_column : o->column,
                         "output", resolved, err);
}

/* realpath of the deepest existing ancestor of path (path itself when it
 * exists, a symlink at path followed), malloc'd; NULL on error. */
static char *real_existing(const char *path)
{
    char *cur = dpu_strdup(path);
    while (cur) {
        char *r = realpath(cur, NULL);
        char *up;
        if (r || errno != ENOENT) {
            free(cur);
            return r;
        }
        up = dpu_dirname(cur);
        if (up && strcmp(up, cur) == 0) {
            free(up);
            break;
        }
        free(cur);
        cur = up;
    }
    free(cur);
    return NULL;
}

int dpc_trust_write(const dp_pipeline *p, const char *path, dp_error *err)
{
    char *root, *real;
    int inside;
    struct stat st;
    if (!path || !untrusted(p, DP_TRUST_OUTSIDE))
        return 0;
    root = realpath(p->base_dir ? p->base_dir : ".", NULL);
    if (!root)
        return dp_error_set(err, DP_EOUTPUT, p->base_dir, 0, 0, "cannot resolve the config's directory: %s",
                            strerror(errno));
    /* A dangling symlink at path is replaced by the rename, not followed;
     * one that resolves is followed by dp_write_file, so its target must
     * stay inside. */
    real = realpath(path, NULL);
    if (!real && lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        char *dir = dpu_dirname(path);
        real = dir ? real_existing(dir) : NULL;
        free(dir);
    } else if (!real) {
        real = real_existing(path);
    }
    inside = real && (strcmp(real, root) == 0 || below(root, real));
    /* The config's directory itself may be written into, not replaced. */
    if (real && strcmp(real, root) == 0 && lstat(path, &st) == 0)
        inside = 0;
    free(root);
    if (inside) {
        free(real);
        return 0;
    }
    {
        int rc = dp_error_set(err, DP_EOUTPUT, path, 0, 0,
                              "the output leads out of the config's directory through a symbolic link (to %s): "
                              "a config may write there only when you allow it with --allow-outside "
                              "(or --trust-config)",
                              real ? real : "?");
        free(real);
        return rc;
    }
}
