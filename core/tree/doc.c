/* The document: its arena, root node and root metadata map. */
#include "tree/tree_internal.h"

#include <stdlib.h>

DP_EXPORT int dp_doc_new(dp_doc **out)
{
    if (!out)
        return DP_EINVAL;
    *out = NULL;
    dp_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return DP_ENOMEM;
    dpt_arena_init(&doc->arena);
    doc->root = dp_node_new(doc, DP_ROOT);
    doc->meta = dp_meta_new_map(doc);
    if (!doc->root || !doc->meta) {
        dp_doc_free(doc);
        return DP_ENOMEM;
    }
    *out = doc;
    return DP_OK;
}

/* Everything lives in the arena, so freeing is one pass over the slabs and
 * never walks the tree (a 100 000-deep tree costs nothing extra). */
DP_EXPORT void dp_doc_free(dp_doc *doc)
{
    if (!doc)
        return;
    dpt_arena_release(&doc->arena);
    free(doc);
}

DP_EXPORT dp_node *dp_doc_root(const dp_doc *doc)
{
    return doc ? doc->root : NULL;
}
