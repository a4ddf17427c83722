/* metadata: sets, overrides and removes metadata keys from a config, e.g. to
 * add a publisher or a licence to a whole batch. Dotted keys reach into maps
 * ("source.url=..."), creating them as needed. */
#include <string.h>

#include "transforms.h"

/* Walks to the map holding the last component of a dotted key, creating
 * intermediate maps when create is set. Returns NULL when absent. */
static dp_meta *parent_map(dp_doc *doc, const char *key, const char **last, int create)
{
    dp_meta *map = dp_doc_meta(doc);
    char part[128];
    const char *dot;
    while ((dot = strchr(key, '.')) != NULL) {
        size_t n = (size_t)(dot - key) < sizeof part - 1 ? (size_t)(dot - key) : sizeof part - 1;
        memcpy(part, key, n);
        part[n] = '\0';
        dp_meta *next = dp_meta_get(map, part);
        if (!next || dp_meta_get_type(next) != DP_META_MAP) {
            if (!create)
                return NULL;
            next = dp_meta_new_map(doc);
            if (!next || dp_meta_set(map, part, next) != 0)
                return NULL;
        }
        map = next;
        key = dot + 1;
    }
    *last = key;
    return map;
}

static int metadata(dp_ctx *ctx, dp_doc *doc)
{
    for (size_t i = 0; i < dp_opt_list_count(ctx, "remove"); i++) {
        const char *last;
        dp_meta *map = parent_map(doc, dp_opt_list_at(ctx, "remove", i), &last, 0);
        if (map)
            dp_meta_remove(map, last);
    }
    for (size_t i = 0; i < dp_opt_list_count(ctx, "set"); i++) {
        const char *entry = dp_opt_list_at(ctx, "set", i), *eq = strchr(entry, '='), *last;
        char key[256];
        if (!eq || eq == entry || (size_t)(eq - entry) >= sizeof key)
            return dp_fail(ctx, DP_ECONFIG, NULL, 0, 0, "metadata: set entry '%s' is not KEY=VALUE", entry);
        memcpy(key, entry, (size_t)(eq - entry));
        key[eq - entry] = '\0';
        dp_meta *map = parent_map(doc, key, &last, 1);
        if (!map || dp_meta_set_string(doc, map, last, eq + 1) != 0)
            return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "metadata: out of memory");
    }
    return 0;
}

static const dp_option_spec options[] = {
    {"set", DP_OPT_LIST, NULL, NULL, "KEY=VALUE entries to set (dotted keys reach into maps)"},
    {"remove", DP_OPT_LIST, NULL, NULL, "keys to remove (applied before set)"},
    {NULL, 0, NULL, NULL, NULL},
};

const dp_plugin_desc tf_metadata = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "transforms.metadata",
    .name = "Edit metadata",
    .version = "0.1.0",
    .kind = DP_PLUGIN_TRANSFORM,
    .format = "metadata",
    .options = options,
    .transform_fn = metadata,
    .description = "set, override or remove metadata keys",
};
