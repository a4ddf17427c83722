/* The checks every plugin file's descriptors pass before any plugin in it is
 * used (docs/PLUGINS.md, "What the loader refuses"), and the copies through
 * which the core reads them: a struct is read only as far as its struct_size
 * says it exists (ABI rules, "What a version may change"). Its own file
 * because the ABI promise lives here and nowhere else. */
#include <string.h>

#include "host/registry_priv.h"

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
    {
        /* flags only when the plugin's struct has them (ABI >= 1.3) */
        dp_plugin_desc copy;
        reg_copy_desc(d, &copy);
        if (copy.flags & ~(unsigned)DP_PLUGIN_KNOWN_FLAGS)
            return dpu_printf("plugin '%s': flags 0x%x include ones this docpipe does not know (newer minor "
                              "version)",
                              d->id, copy.flags & ~(unsigned)DP_PLUGIN_KNOWN_FLAGS);
    }
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
