/* strip: removes nodes by kind (e.g. raw_block, note) or class. A deliberate
 * removal asked for by the config, so it is reported under -v, not warned. */
#include <stdlib.h>
#include <string.h>

#include "transforms.h"

static int matches(dp_ctx *ctx, const dp_node *n, const dp_kind *kinds, size_t nkinds)
{
    for (size_t i = 0; i < nkinds; i++)
        if (dp_node_kind(n) == kinds[i])
            return 1;
    for (size_t i = 0; i < dp_opt_list_count(ctx, "classes"); i++)
        if (dp_node_has_class(n, dp_opt_list_at(ctx, "classes", i)))
            return 1;
    return 0;
}

static int strip(dp_ctx *ctx, dp_doc *doc)
{
    size_t nkinds = dp_opt_list_count(ctx, "kinds"), removed = 0;
    dp_kind *kinds = calloc(nkinds + 1, sizeof *kinds);
    if (!kinds)
        return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "strip: out of memory");
    for (size_t i = 0; i < nkinds; i++) {
        const char *name = dp_opt_list_at(ctx, "kinds", i);
        kinds[i] = dp_kind_from_name(name);
        if (kinds[i] == DP_NODE_NONE || kinds[i] == DP_ROOT) {
            free(kinds);
            return dp_fail(ctx, DP_ECONFIG, NULL, 0, 0, "strip: '%s' is not a node kind (see docs/TREE.md)", name);
        }
    }
    /* Unlink on EXIT (allowed by the iterator) after stepping past the node:
     * skip the children of a matching node, then remove it at its exit. */
    dp_iter it;
    dp_node *pending = NULL;
    dp_iter_init(&it, dp_doc_root(doc));
    for (dp_event ev; (ev = dp_iter_next(&it)) != DP_EV_DONE;) {
        dp_node *n = dp_iter_node(&it);
        if (pending) {
            dp_node_unlink(pending);
            pending = NULL;
        }
        if (n == dp_doc_root(doc))
            continue;
        int leaf = dp_kind_is_leaf(dp_node_kind(n));
        if (ev == DP_EV_ENTER && matches(ctx, n, kinds, nkinds)) {
            removed++;
            if (leaf)
                pending = n;
            else
                dp_iter_skip_children(&it);
        } else if (ev == DP_EV_EXIT && matches(ctx, n, kinds, nkinds)) {
            pending = n;
        }
    }
    if (pending)
        dp_node_unlink(pending);
    free(kinds);
    dp_info(ctx, "strip: removed %zu node(s)", removed);
    return 0;
}

static const dp_option_spec options[] = {
    {"kinds", DP_OPT_LIST, NULL, NULL, "node kinds to remove, by their JSON names (raw_block, note ...)"},
    {"classes", DP_OPT_LIST, NULL, NULL, "remove nodes carrying any of these classes"},
    {NULL, 0, NULL, NULL, NULL},
};

const dp_plugin_desc tf_strip = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "transforms.strip",
    .name = "Remove nodes",
    .version = "0.1.0",
    .kind = DP_PLUGIN_TRANSFORM,
    .format = "strip",
    .options = options,
    .transform_fn = strip,
    .description = "remove nodes by kind or class",
};
