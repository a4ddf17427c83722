/* A registry entry: what one plugin provides, copied out of its descriptor
 * (or read back from the registry cache) into storage the registry owns, so
 * that dp_plugin_info stays valid without the plugin file being open. Split
 * from registry.c: building these records is one job, finding them another. */
#include <stdlib.h>
#include <string.h>

#include "host/registry_priv.h"

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
    e->info.flags = d->flags; /* 0 from a plugin built before 1.3: its copy's tail */
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
