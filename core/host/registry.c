/* realpath() is XSI */
#define _XOPEN_SOURCE 700
/* The plugin registry: the search path, what each plugin file provides,
 * lookups by format/alias/id/extension, and lazy opening. */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
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

const char *dp_plugin_kind_name(dp_plugin_kind kind)
{
    switch (kind) {
    case DP_PLUGIN_IMPORTER: return "importer";
    case DP_PLUGIN_EXPORTER: return "exporter";
    case DP_PLUGIN_TRANSFORM: return "transform";
    }
    return "unknown";
}

const char *dp_opt_type_name(dp_opt_type type)
{
    switch (type) {
    case DP_OPT_STRING: return "string";
    case DP_OPT_BOOL: return "bool";
    case DP_OPT_INT: return "int";
    case DP_OPT_ENUM: return "enum";
    case DP_OPT_LIST: return "list";
    }
    return "unknown";
}

/* ---- entries ---- */

reg_entry *reg_entry_new(void)
{
    reg_entry *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->options = calloc(1, sizeof *e->options);
    if (!e->options) {
        free(e);
        return NULL;
    }
    return e;
}

void reg_entry_free(reg_entry *e)
{
    size_t i;
    if (!e)
        return;
    free((char *)e->info.id);
    free((char *)e->info.name);
    free((char *)e->info.version);
    free((char *)e->info.format);
    free((char *)e->info.description);
    dpu_strv_clear(&e->aliases);
    dpu_strv_clear(&e->extensions);
    dpu_strv_clear(&e->mime_types);
    for (i = 0; i < e->noptions; i++)
        free((char *)e->options[i].key); /* the block holding all four strings */
    free(e->options);
    free(e);
}

int reg_option_set(dp_option_spec *o, dp_opt_type type, const char *key, const char *def, const char *choices,
                   const char *help)
{
    /* One block per option (key first), since a registry loaded from the
     * cache copies a few hundred of these strings on every start. */
    size_t nk = strlen(key) + 1, nd = def ? strlen(def) + 1 : 0, nc = choices ? strlen(choices) + 1 : 0;
    size_t nh = strlen(help ? help : "") + 1;
    char *block = malloc(nk + nd + nc + nh), *p = block;
    if (!block)
        return DP_ENOMEM;
    o->type = type;
    o->key = memcpy(p, key, nk);
    p += nk;
    o->default_value = def ? memcpy(p, def, nd) : NULL;
    p += nd;
    o->choices = choices ? memcpy(p, choices, nc) : NULL;
    p += nc;
    o->help = memcpy(p, help ? help : "", nh);
    return 0;
}

static const char *const empty_list[] = {NULL};

void reg_entry_finish(reg_entry *e)
{
    e->info.aliases = e->aliases.v ? (const char *const *)e->aliases.v : empty_list;
    e->info.extensions = e->extensions.v ? (const char *const *)e->extensions.v : empty_list;
    e->info.mime_types = e->mime_types.v ? (const char *const *)e->mime_types.v : empty_list;
    e->info.options = e->options;
    if (e->file) {
        e->info.file = e->file->path;
        e->info.module = e->file->module;
    }
}

static int copy_list(dpu_strv *sv, const char *const *list)
{
    size_t i;
    if (!list)
        return 0;
    for (i = 0; list[i] && i < 256; i++)
        if (dpu_strv_push(sv, list[i]) != 0)
            return DP_ENOMEM;
    return 0;
}

reg_entry *reg_entry_from_desc(const dp_plugin_desc *plugin_desc)
{
    reg_entry *e = reg_entry_new();
    size_t n = 0, i;
    dp_plugin_desc copy;
    const dp_plugin_desc *d = &copy;
    if (!e)
        return NULL;
    reg_copy_desc(plugin_desc, &copy);
    e->info.id = dpu_strdup(d->id);
    e->info.name = dpu_strdup(d->name);
    e->info.version = dpu_strdup(d->version);
    e->info.format = dpu_strdup(d->format);
    e->info.description = dpu_strdup(d->description ? d->description : "");
    e->info.kind = d->kind;
    e->info.binary_output = d->binary_output;
    if (!e->info.id || !e->info.name || !e->info.version || !e->info.format || !e->info.description)
        goto fail;
    if (copy_list(&e->aliases, d->aliases) || copy_list(&e->extensions, d->extensions) ||
        copy_list(&e->mime_types, d->mime_types))
        goto fail;
    if (d->options)
        while (d->options[n].key)
            n++;
    if (n) {
        dp_option_spec *o = calloc(n + 1, sizeof *o);
        if (!o)
            goto fail;
        free(e->options);
        e->options = o;
        for (i = 0; i < n; i++) {
            const dp_option_spec *s = &d->options[i];
            if (reg_option_set(&o[i], s->type, s->key, s->default_value, s->choices, s->help) != 0)
                goto fail;
            e->noptions = i + 1;
        }
    }
    return e;
fail:
    reg_entry_free(e);
    return NULL;
}

void reg_file_free(reg_file *f)
{
    if (!f)
        return;
    /* Plugin code stays mapped until exit: a plugin's libraries (OpenSSL
     * through libzip) may have registered exit handlers, so closing them
     * early is not safe. */
    free(f->path);
    free(f->module);
    free(f->version);
    free(f->reason);
    free(f);
}

/* ---- descriptor checks (run on every file before any of it is used) ---- */

/* Whether the bytes of a plugin's struct beyond what this docpipe knows are
 * all zero: fields of a newer minor that the plugin leaves unset, which this
 * docpipe may ignore. Reads only bytes the plugin's struct_size says exist. */
static int unknown_tail_is_zero(const void *s, size_t struct_size, size_t known)
{
    const unsigned char *p = s;
    for (size_t i = known; i < struct_size; i++)
        if (p[i])
            return 0;
    return 1;
}

static char *check_desc(const dp_plugin_desc *d, size_t index)
{
    size_t k;
    if (d->struct_size < REG_DESC_SIZE_1_0)
        return dpu_printf("plugin #%zu: descriptor is %zu bytes, ABI 1.0's is %zu "
                          "(short struct)",
                          index + 1, d->struct_size, REG_DESC_SIZE_1_0);
    if (!unknown_tail_is_zero(d, d->struct_size, sizeof *d))
        return dpu_printf("plugin #%zu: descriptor is %zu bytes and sets fields beyond the %zu this "
                          "docpipe knows (newer minor version)",
                          index + 1, d->struct_size, sizeof *d);
    if (!d->id || !d->id[0])
        return dpu_printf("plugin #%zu: id is NULL or empty", index + 1);
    if (!d->name)
        return dpu_printf("plugin '%s': name is NULL", d->id);
    if (!d->version)
        return dpu_printf("plugin '%s': version is NULL", d->id);
    if (!d->format || !d->format[0])
        return dpu_printf("plugin '%s': format is NULL or empty", d->id);
    switch (d->kind) {
    case DP_PLUGIN_IMPORTER:
        if (!d->import_fn)
            return dpu_printf("plugin '%s': importer without an import function (import_fn is NULL)",
                              d->id);
        break;
    case DP_PLUGIN_EXPORTER:
        if (!d->export_fn)
            return dpu_printf("plugin '%s': exporter without an export function (export_fn is NULL)",
                              d->id);
        break;
    case DP_PLUGIN_TRANSFORM:
        if (!d->transform_fn)
            return dpu_printf("plugin '%s': transform without a transform function "
                              "(transform_fn is NULL)",
                              d->id);
        break;
    default:
        return dpu_printf("plugin '%s': unknown kind %d", d->id, (int)d->kind);
    }
    if (d->options) {
        for (k = 0; d->options[k].key; k++) {
            const dp_option_spec *o = &d->options[k];
            if (k > 1000)
                return dpu_printf("plugin '%s': option table not terminated", d->id);
            if (o->type < DP_OPT_STRING || o->type > DP_OPT_LIST)
                return dpu_printf("plugin '%s': option '%s' has unknown type %d", d->id, o->key,
                                  (int)o->type);
            if (o->type == DP_OPT_ENUM && !o->choices)
                return dpu_printf("plugin '%s': enum option '%s' without choices", d->id, o->key);
        }
    }
    return NULL;
}

char *reg_check_module(const dp_plugin_module *mod)
{
    size_t i;
    if (!mod)
        return dpu_strdup("entry point returned NULL");
    if (mod->abi_major != DP_ABI_MAJOR)
        return dpu_printf("built for plugin ABI %u.%u, this docpipe provides ABI %d.%d "
                          "(other major version)",
                          (unsigned)mod->abi_major, (unsigned)mod->abi_minor, DP_ABI_MAJOR, DP_ABI_MINOR);
    if (mod->struct_size < REG_MODULE_SIZE_1_0)
        return dpu_printf("module descriptor is %zu bytes, ABI 1.0's is %zu "
                          "(short struct)",
                          mod->struct_size, REG_MODULE_SIZE_1_0);
    /* A newer minor only adds fields at the tail: loadable as long as the
     * fields this docpipe does not know are unset (new functions it calls
     * would be undefined symbols, refused by dlopen at discovery). */
    if (!unknown_tail_is_zero(mod, mod->struct_size, sizeof *mod))
        return dpu_printf("built for plugin ABI %u.%u and sets module fields beyond the %zu bytes of "
                          "this docpipe's %d.%d (newer minor version)",
                          (unsigned)mod->abi_major, (unsigned)mod->abi_minor, sizeof *mod, DP_ABI_MAJOR,
                          DP_ABI_MINOR);
    if (!mod->name || !mod->name[0])
        return dpu_strdup("module name is NULL or empty");
    if (!mod->version)
        return dpu_strdup("module version is NULL");
    if (!mod->plugins)
        return dpu_strdup("module plugin list is NULL");
    if (!mod->plugins[0])
        return dpu_strdup("module provides no plugins");
    for (i = 0; mod->plugins[i]; i++) {
        char *why;
        if (i >= 1000)
            return dpu_strdup("module plugin list not terminated");
        why = check_desc(mod->plugins[i], i);
        if (why)
            return why;
    }
    return NULL;
}

void reg_copy_module(const dp_plugin_module *mod, dp_plugin_module *out)
{
    memset(out, 0, sizeof *out);
    memcpy(out, mod, mod->struct_size < sizeof *out ? mod->struct_size : sizeof *out);
}

void reg_copy_desc(const dp_plugin_desc *desc, dp_plugin_desc *out)
{
    memset(out, 0, sizeof *out);
    memcpy(out, desc, desc->struct_size < sizeof *out ? desc->struct_size : sizeof *out);
}

/* Opens path and checks its descriptor. On success *handle and *mod are
 * set; on refusal a malloc'd reason is returned (*cacheable says whether
 * the refusal depends only on the file itself).
 *
 * bind_now: a file seen for the first time (discovery) is opened with
 * RTLD_NOW, so an undefined symbol refuses it here with dlopen's message
 * rather than killing the process when the function is first called. A
 * file the cache records as accepted (same path, size, mtime) already passed
 * that check and is opened lazily: binding every symbol of libxml2 and its
 * dependencies up front costs about 1.8 M instructions per conversion, more
 * than converting the speech (docs/PERFORMANCE.md). */
static char *open_module(const char *path, int bind_now, void **handle, dp_plugin_module *mod,
                         int *cacheable)
{
    void *h;
    dp_plugin_entry_fn entry;
    const dp_plugin_module *m;
    char *why;

    *handle = NULL;
    memset(mod, 0, sizeof *mod);
    *cacheable = 1;
    dlerror();
    h = dlopen(path, (bind_now ? RTLD_NOW : RTLD_LAZY) | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        *cacheable = 0; /* e.g. a missing library that may be installed later */
        return dpu_printf("cannot be opened: %s", e ? e : "unknown dlopen error");
    }
    /* dlsym returns an object pointer; converting through memcpy keeps
     * -Wpedantic quiet about function/object pointer casts. */
    {
        void *sym = dlsym(h, DP_PLUGIN_ENTRY_NAME);
        if (!sym) {
            dlclose(h);
            return dpu_printf("no entry symbol %s (not a docpipe plugin?)", DP_PLUGIN_ENTRY_NAME);
        }
        memcpy(&entry, &sym, sizeof entry);
    }
    m = entry();
    why = reg_check_module(m);
    if (why) {
        dlclose(h);
        return why;
    }
    *handle = h;
    reg_copy_module(m, mod);
    return NULL;
}

/* Every dlopen is announced first: the file's constructors run inside it,
 * before any check can refuse the file. */
static void tell_open(const dp_registry *reg, const char *path)
{
    if (reg->on_open)
        reg->on_open(path, reg->on_open_payload);
}

/* ---- registry construction ---- */

static int add_refusal(dp_registry *reg, const char *file, const char *reason)
{
    dp_refusal *r = realloc(reg->refused, (reg->nrefused + 1) * sizeof *r);
    if (!r)
        return DP_ENOMEM;
    reg->refused = r;
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
    reg_file **v = realloc(reg->files, (reg->nfiles + 1) * sizeof *v);
    if (!v)
        return DP_ENOMEM;
    reg->files = v;
    v[reg->nfiles++] = f;
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
    reg_entry **v = realloc(reg->entries, (reg->nentries + 1) * sizeof *v);
    reg_entry *earlier;
    if (!v)
        return DP_ENOMEM;
    reg->entries = v;
    reg_entry_finish(e);
    earlier = find_id(reg, e->info.id);
    if (earlier)
        e->info.shadowed_by = earlier->file->path;
    v[reg->nentries++] = e;
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
    void *h;
    dp_plugin_module module;
    const dp_plugin_module *mod = &module;
    size_t i;
    char *why;
    tell_open(reg, f->path);
    why = open_module(f->path, 1, &h, &module, &f->cacheable);
    if (why) {
        f->reason = why;
        return 0;
    }
    reg->opened++;
    f->handle = h;
    f->init = mod->init;
    f->fini = mod->fini;
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

static int scan_dir(dp_registry *reg, const char *dir)
{
    DIR *d;
    struct dirent *de;
    dpu_strv names = {0};
    reg_cache cache = {0};
    size_t i, first_file = reg->nfiles;
    int rc = 0, dirty = 0;
    struct stat st;
    const char *why;

    if (stat(dir, &st) != 0)
        return 0;
    if ((why = unsafe_reason(&st)) != NULL) {
        char *msg = dpu_printf("plugin directory %s; not searched", why);
        rc = msg ? add_refusal(reg, dir, msg) : DP_ENOMEM;
        free(msg);
        return rc;
    }
    d = opendir(dir);
    if (!d)
        return 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !dpu_has_ext(de->d_name, "so"))
            continue;
        if (dpu_strv_push(&names, de->d_name) != 0) {
            rc = DP_ENOMEM;
            break;
        }
    }
    closedir(d);
    if (rc)
        goto cleanup;
    if (names.n)
        qsort(names.v, names.n, sizeof *names.v, cmp_str);
    if (reg->cache_dir)
        reg_cache_load(&cache, reg->cache_dir, dir);

    for (i = 0; i < names.n; i++) {
        char *path = file_in_dir(dir, names.v[i]);
        reg_file *f;
        size_t k;
        int hit = 0;
        if (!path) {
            rc = DP_ENOMEM;
            goto cleanup;
        }
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        if ((why = unsafe_reason(&st)) != NULL) {
            char *msg = dpu_printf("plugin file %s; not loaded", why);
            rc = msg ? add_refusal(reg, path, msg) : DP_ENOMEM;
            free(msg);
            free(path);
            if (rc)
                goto cleanup;
            continue;
        }
        /* A fresh cache record: same path, size and mtime. */
        for (k = 0; k < cache.nfiles; k++) {
            reg_file *cf = cache.files[k];
            if (cf && strcmp(cf->path, path) == 0 && cf->size == (int64_t)st.st_size &&
                cf->mtime_sec == (int64_t)st.st_mtim.tv_sec &&
                cf->mtime_nsec == (int64_t)st.st_mtim.tv_nsec) {
                size_t j;
                cache.files[k] = NULL;
                free(path);
                path = NULL;
                if (add_file(reg, cf) != 0) {
                    reg_file_free(cf);
                    rc = DP_ENOMEM;
                    goto cleanup;
                }
                if (cf->reason && add_refusal(reg, cf->path, cf->reason) != 0) {
                    rc = DP_ENOMEM;
                    goto cleanup;
                }
                for (j = 0; j < cache.nentries; j++) {
                    reg_entry *ce = cache.entries[j];
                    if (ce && ce->file == cf) {
                        cache.entries[j] = NULL;
                        if (add_entry(reg, ce) != 0) {
                            reg_entry_free(ce);
                            rc = DP_ENOMEM;
                            goto cleanup;
                        }
                    }
                }
                hit = 1;
                break;
            }
        }
        if (hit)
            continue;
        dirty = 1;
        f = calloc(1, sizeof *f);
        if (!f) {
            free(path);
            rc = DP_ENOMEM;
            goto cleanup;
        }
        f->path = path;
        f->size = (int64_t)st.st_size;
        f->mtime_sec = (int64_t)st.st_mtim.tv_sec;
        f->mtime_nsec = (int64_t)st.st_mtim.tv_nsec;
        if (add_file(reg, f) != 0) {
            reg_file_free(f);
            rc = DP_ENOMEM;
            goto cleanup;
        }
        if ((rc = inspect_file(reg, f)) != 0)
            goto cleanup;
        if (f->reason && add_refusal(reg, f->path, f->reason) != 0) {
            rc = DP_ENOMEM;
            goto cleanup;
        }
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
                if ((rc = add_refusal(reg, opts->dirs[i], "plugin directory does not exist")) != 0)
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
        if ((rc = scan_dir(reg, reg->dirs.v[i])) != 0)
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

/* ---- queries ---- */

size_t dp_registry_count(const dp_registry *reg)
{
    return reg ? reg->nentries : 0;
}

const dp_plugin_info *dp_registry_at(const dp_registry *reg, size_t i)
{
    return reg && i < reg->nentries ? &reg->entries[i]->info : NULL;
}

size_t dp_registry_refused_count(const dp_registry *reg)
{
    return reg ? reg->nrefused : 0;
}

const dp_refusal *dp_registry_refused_at(const dp_registry *reg, size_t i)
{
    return reg && i < reg->nrefused ? &reg->refused[i] : NULL;
}

size_t dp_registry_dir_count(const dp_registry *reg)
{
    return reg ? reg->dirs.n : 0;
}

const char *dp_registry_dir_at(const dp_registry *reg, size_t i)
{
    return reg && i < reg->dirs.n ? reg->dirs.v[i] : NULL;
}

static int answers_to(const dp_plugin_info *info, const char *name)
{
    size_t i;
    if (strcmp(info->format, name) == 0 || strcmp(info->id, name) == 0)
        return 1;
    for (i = 0; info->aliases[i]; i++)
        if (strcmp(info->aliases[i], name) == 0)
            return 1;
    return 0;
}

const dp_plugin_info *dp_registry_find(const dp_registry *reg, dp_plugin_kind kind, const char *name)
{
    size_t i;
    if (!reg || !name)
        return NULL;
    for (i = 0; i < reg->nentries; i++) {
        const dp_plugin_info *info = &reg->entries[i]->info;
        if (info->kind == kind && !info->shadowed_by && answers_to(info, name))
            return info;
    }
    return NULL;
}

const dp_plugin_info *dp_registry_find_by_path(const dp_registry *reg, dp_plugin_kind kind,
                                               const char *path)
{
    const dp_plugin_info *best = NULL;
    size_t bestlen = 0, i, k;
    const char *base;
    if (!reg || !path)
        return NULL;
    base = dpu_basename(path);
    for (i = 0; i < reg->nentries; i++) {
        const dp_plugin_info *info = &reg->entries[i]->info;
        if (info->kind != kind || info->shadowed_by)
            continue;
        for (k = 0; info->extensions[k]; k++) {
            size_t l = strlen(info->extensions[k]);
            if (l > bestlen && dpu_has_ext(base, info->extensions[k])) {
                best = info;
                bestlen = l;
            }
        }
    }
    return best;
}

const dp_refusal *dp_registry_refusal_for(const dp_registry *reg, const char *name)
{
    size_t i, ln;
    if (!reg || !name)
        return NULL;
    ln = strlen(name);
    for (i = 0; i < reg->nrefused; i++) {
        const char *base = dpu_basename(reg->refused[i].file);
        /* "<name>.so", "<name>-reader.so", "<name>_writer.so", "libdocpipe-<name>.so" */
        if (strncmp(base, name, ln) == 0 && (base[ln] == '.' || base[ln] == '-' || base[ln] == '_'))
            return &reg->refused[i];
        if (strncmp(base, "libdocpipe-", 11) == 0 && strncmp(base + 11, name, ln) == 0 &&
            base[11 + ln] == '.')
            return &reg->refused[i];
    }
    return NULL;
}

static reg_entry *entry_of(const dp_registry *reg, const dp_plugin_info *info)
{
    size_t i;
    for (i = 0; i < reg->nentries; i++)
        if (&reg->entries[i]->info == info)
            return reg->entries[i];
    return NULL;
}

static int registry_load(dp_registry *reg, const dp_plugin_info *info, const dp_plugin_desc **out,
                         dp_error *err)
{
    reg_entry *e;
    reg_file *f;
    size_t i;
    if (!reg || !info || !out)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_registry_load: NULL argument");
    *out = NULL;
    e = entry_of(reg, info);
    if (!e)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_registry_load: not this registry's plugin");
    f = e->file;
    if (!e->desc && !f->handle) {
        void *h;
        dp_plugin_module module;
        const dp_plugin_module *mod = &module;
        int cacheable;
        char *why;
        tell_open(reg, f->path);
        why = open_module(f->path, 0, &h, &module, &cacheable);
        if (why) {
            int rc = dp_error_set(err, DP_EPLUGIN, f->path, 0, 0, "plugin refused: %s", why);
            free(why);
            return rc;
        }
        reg->opened++;
        f->handle = h;
        f->init = mod->init;
        f->fini = mod->fini;
        /* Bind every entry of this file to a copy of its descriptor. */
        for (i = 0; i < reg->nentries; i++) {
            reg_entry *o = reg->entries[i];
            size_t k;
            if (o->file != f)
                continue;
            for (k = 0; mod->plugins[k]; k++)
                if (strcmp(mod->plugins[k]->id, o->info.id) == 0 &&
                    mod->plugins[k]->kind == o->info.kind) {
                    reg_copy_desc(mod->plugins[k], &o->desc_copy);
                    o->desc = &o->desc_copy;
                }
        }
    }
    if (!e->desc)
        return dp_error_set(err, DP_EPLUGIN, f->path, 0, 0,
                            "plugin file no longer provides %s '%s' (changed since it was scanned)",
                            dp_plugin_kind_name(info->kind), info->id);
    if (!f->hooked) {
        int rc = reg_module_acquire(f, err);
        if (rc)
            return rc;
    }
    *out = e->desc;
    return 0;
}

int dp_registry_load(dp_registry *reg, const dp_plugin_info *info, const dp_plugin_desc **out,
                     dp_error *err)
{
    int rc;
    if (!reg)
        return registry_load(reg, info, out, err);
    pthread_mutex_lock(&reg->lock);
    rc = registry_load(reg, info, out, err);
    pthread_mutex_unlock(&reg->lock);
    return rc;
}

/* The lock is taken on a const registry: it guards the lazily opened
 * state, not what the caller sees as the registry's value. */
int dp_registry_is_loaded(const dp_registry *reg, const dp_plugin_info *info)
{
    const reg_entry *e = reg && info ? entry_of(reg, info) : NULL;
    int loaded;
    if (!e)
        return 0;
    pthread_mutex_lock((pthread_mutex_t *)&reg->lock);
    loaded = e->file && e->file->handle;
    pthread_mutex_unlock((pthread_mutex_t *)&reg->lock);
    return loaded;
}

size_t dp_registry_opened_files(const dp_registry *reg)
{
    size_t n;
    if (!reg)
        return 0;
    pthread_mutex_lock((pthread_mutex_t *)&reg->lock);
    n = reg->opened;
    pthread_mutex_unlock((pthread_mutex_t *)&reg->lock);
    return n;
}
