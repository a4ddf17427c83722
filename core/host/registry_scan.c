/* Scanning one plugin directory: refusing unsafe directories and files,
 * taking what the registry cache says of files it has a fresh record of,
 * opening the others (loader.c) and recording what they provide, then
 * rewriting the cache when something changed. Split from registry.c, which
 * keeps the search path: which directories, in which order. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/registry_priv.h"

int reg_add_refusal(dp_registry *reg, const char *file, const char *reason)
{
    dp_refusal *r;
    if (DP_ARRAY_RESERVE(reg->refused, reg->refused_cap, reg->nrefused + 1))
        return DP_ENOMEM;
    r = reg->refused;
    r[reg->nrefused].file = dpu_strdup(file);
    r[reg->nrefused].reason = dpu_strdup(reason);
    if (!r[reg->nrefused].file || !r[reg->nrefused].reason) {
        free((char *)r[reg->nrefused].file);
        free((char *)r[reg->nrefused].reason);
        return DP_ENOMEM;
    }
    reg->nrefused++;
    return 0;
}

static int add_file(dp_registry *reg, reg_file *f)
{
    if (DP_ARRAY_RESERVE(reg->files, reg->files_cap, reg->nfiles + 1))
        return DP_ENOMEM;
    reg->files[reg->nfiles++] = f;
    return 0;
}

static reg_entry *find_id(const dp_registry *reg, const char *id)
{
    size_t i;
    for (i = 0; i < reg->nentries; i++)
        if (!reg->entries[i]->info.shadowed_by && strcmp(reg->entries[i]->info.id, id) == 0)
            return reg->entries[i];
    return NULL;
}

static int add_entry(dp_registry *reg, reg_entry *e)
{
    reg_entry *earlier;
    if (DP_ARRAY_RESERVE(reg->entries, reg->entries_cap, reg->nentries + 1))
        return DP_ENOMEM;
    reg_entry_finish(e);
    earlier = find_id(reg, e->info.id);
    if (earlier)
        e->info.shadowed_by = earlier->file->path;
    reg->entries[reg->nentries++] = e;
    return 0;
}

/* Why a file or directory must not be trusted, or NULL: anyone else able
 * to write it could make docpipe run their code. */
static const char *unsafe_reason(const struct stat *st)
{
    if (st->st_mode & S_IWOTH)
        return "is writable by all users";
    if ((st->st_mode & S_IWGRP) && st->st_gid != getegid())
        return "is writable by its group";
    if (st->st_uid != 0 && st->st_uid != geteuid())
        return "is owned by another user";
    return NULL;
}

/* dir/name for a directory that add_dir made canonical (realpath) and a
 * readdir name (no '/', not "." or ".."): already normal, so no
 * dpu_path_join, whose clean-up was a visible part of start-up. */
static char *file_in_dir(const char *dir, const char *name)
{
    size_t nd = strlen(dir), nn = strlen(name);
    int slash = nd > 0 && dir[nd - 1] != '/';
    char *p = malloc(nd + (size_t)slash + nn + 1);
    if (!p)
        return NULL;
    memcpy(p, dir, nd);
    if (slash)
        p[nd] = '/';
    memcpy(p + nd + (size_t)slash, name, nn + 1);
    return p;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int inspect_file(dp_registry *reg, reg_file *f)
{
    dp_plugin_module module;
    const dp_plugin_module *mod = &module;
    size_t i;
    char *why = reg_open_file(reg, f, 1, &module, &f->cacheable);
    if (why) {
        f->reason = why;
        return 0;
    }
    f->module = dpu_strdup(mod->name);
    f->version = dpu_strdup(mod->version);
    if (!f->module || !f->version)
        return DP_ENOMEM;
    for (i = 0; mod->plugins[i]; i++) {
        reg_entry *e = reg_entry_from_desc(mod->plugins[i]);
        if (!e)
            return DP_ENOMEM;
        e->file = f;
        reg_copy_desc(mod->plugins[i], &e->desc_copy);
        e->desc = &e->desc_copy;
        if (add_entry(reg, e) != 0) {
            reg_entry_free(e);
            return DP_ENOMEM;
        }
    }
    return 0;
}

/* The *.so names directly in dir, sorted, so that discovery order (and so
 * shadowing) does not depend on the file system. 0 or DP_ENOMEM. */
static int list_plugin_files(const char *dir, dpu_strv *names)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int rc = 0;
    if (!d)
        return 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !dpu_has_ext(de->d_name, "so"))
            continue;
        if (dpu_strv_push(names, de->d_name) != 0) {
            rc = DP_ENOMEM;
            break;
        }
    }
    closedir(d);
    if (!rc && names->n)
        qsort(names->v, names->n, sizeof *names->v, cmp_str);
    return rc;
}

/* Records "plugin <what> <why>; <consequence>" as path's refusal. */
static int refuse_unsafe(dp_registry *reg, const char *path, const char *what, const char *why,
                         const char *consequence)
{
    char *msg = dpu_printf("plugin %s %s; %s", what, why, consequence);
    int rc = msg ? reg_add_refusal(reg, path, msg) : DP_ENOMEM;
    free(msg);
    return rc;
}

/* When the cache holds a fresh record of path (same path, size and mtime),
 * moves it and its entries into the registry and sets *hit. 0 or
 * DP_ENOMEM. */
static int adopt_cached(dp_registry *reg, reg_cache *cache, const char *path, const struct stat *st, int *hit)
{
    size_t k, j;
    *hit = 0;
    for (k = 0; k < cache->nfiles; k++) {
        reg_file *cf = cache->files[k];
        if (cf && strcmp(cf->path, path) == 0 && cf->size == (int64_t)st->st_size &&
            cf->mtime_sec == (int64_t)st->st_mtim.tv_sec && cf->mtime_nsec == (int64_t)st->st_mtim.tv_nsec)
            break;
    }
    if (k == cache->nfiles)
        return 0;
    *hit = 1;
    {
        reg_file *cf = cache->files[k];
        cache->files[k] = NULL;
        if (add_file(reg, cf) != 0) {
            reg_file_free(cf);
            return DP_ENOMEM;
        }
        if (cf->reason && reg_add_refusal(reg, cf->path, cf->reason) != 0)
            return DP_ENOMEM;
        for (j = 0; j < cache->nentries; j++) {
            reg_entry *ce = cache->entries[j];
            if (ce && ce->file == cf) {
                cache->entries[j] = NULL;
                if (add_entry(reg, ce) != 0) {
                    reg_entry_free(ce);
                    return DP_ENOMEM;
                }
            }
        }
    }
    return 0;
}

/* A file the cache knows nothing (fresh) of: opened and recorded. Takes
 * path. 0 or DP_ENOMEM. */
static int add_new_file(dp_registry *reg, char *path, const struct stat *st)
{
    int rc;
    reg_file *f = calloc(1, sizeof *f);
    if (!f) {
        free(path);
        return DP_ENOMEM;
    }
    f->path = path;
    f->size = (int64_t)st->st_size;
    f->mtime_sec = (int64_t)st->st_mtim.tv_sec;
    f->mtime_nsec = (int64_t)st->st_mtim.tv_nsec;
    if (add_file(reg, f) != 0) {
        reg_file_free(f);
        return DP_ENOMEM;
    }
    if ((rc = inspect_file(reg, f)) != 0)
        return rc;
    if (f->reason && reg_add_refusal(reg, f->path, f->reason) != 0)
        return DP_ENOMEM;
    return 0;
}

int reg_scan_dir(dp_registry *reg, const char *dir)
{
    dpu_strv names = {0};
    reg_cache cache = {0};
    size_t i, first_file = reg->nfiles;
    int rc = 0, dirty = 0;
    struct stat st;
    const char *why;

    if (stat(dir, &st) != 0)
        return 0;
    if ((why = unsafe_reason(&st)) != NULL)
        return refuse_unsafe(reg, dir, "directory", why, "not searched");
    if ((rc = list_plugin_files(dir, &names)) != 0)
        goto cleanup;
    if (reg->cache_dir)
        reg_cache_load(&cache, reg->cache_dir, dir);

    for (i = 0; i < names.n; i++) {
        char *path = file_in_dir(dir, names.v[i]);
        int hit;
        if (!path) {
            rc = DP_ENOMEM;
            goto cleanup;
        }
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        if ((why = unsafe_reason(&st)) != NULL) {
            rc = refuse_unsafe(reg, path, "file", why, "not loaded");
            free(path);
            if (rc)
                goto cleanup;
            continue;
        }
        rc = adopt_cached(reg, &cache, path, &st, &hit);
        if (hit) {
            free(path);
            if (rc)
                goto cleanup;
            continue;
        }
        dirty = 1;
        if ((rc = add_new_file(reg, path, &st)) != 0)
            goto cleanup;
    }
    /* Records of files that are gone also make the cache stale. */
    for (i = 0; i < cache.nfiles; i++)
        if (cache.files[i])
            dirty = 1;
    if (reg->cache_dir && (dirty || cache.dirty)) {
        reg_cache out = {0};
        out.files = reg->files + first_file;
        out.nfiles = reg->nfiles - first_file;
        out.entries = reg->entries;
        out.nentries = reg->nentries;
        reg_cache_save(&out, reg->cache_dir, dir);
    }
cleanup:
    reg_cache_clear(&cache);
    dpu_strv_clear(&names);
    return rc;
}
