/* Questions a registry answers without opening any plugin file: its
 * entries, refusals and directories, the plugin answering to a format, alias,
 * id or file extension, and the names of kinds and option types. */
#include <string.h>

#include "host/registry_priv.h"

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
