/* Opening plugin files: dlopen, the entry symbol and the descriptor check
 * (discovery, registry_scan.c, opens each new file once this way), and the
 * lazy opening dp_registry_load does under the registry's lock when a run
 * first uses a plugin the cache described without opening its file. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "host/registry_priv.h"

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
char *reg_open_module(const char *path, int bind_now, void **handle, dp_plugin_module *mod, int *cacheable)
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
void reg_tell_open(const dp_registry *reg, const char *path)
{
    if (reg->on_open)
        reg->on_open(path, reg->on_open_payload);
}

char *reg_open_file(dp_registry *reg, reg_file *f, int bind_now, dp_plugin_module *module, int *cacheable)
{
    void *h;
    char *why;
    reg_tell_open(reg, f->path);
    why = reg_open_module(f->path, bind_now, &h, module, cacheable);
    if (why)
        return why;
    reg->opened++;
    f->handle = h;
    f->init = module->init;
    f->fini = module->fini;
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
        dp_plugin_module module;
        const dp_plugin_module *mod = &module;
        int cacheable;
        char *why = reg_open_file(reg, f, 0, &module, &cacheable);
        if (why) {
            int rc = dp_error_set(err, DP_EPLUGIN, f->path, 0, 0, "plugin refused: %s", why);
            free(why);
            return rc;
        }
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
