/* toc: inserts a table of contents at the top of the document: a DP_DIV
 * (id "toc", class "toc") holding a title paragraph and nested lists of links
 * to the headings, down to `depth`. Headings get ids first (the ids
 * transform), so the links always resolve. Notes inside headings are left
 * out of the entries. */
#include <stdio.h>
#include <string.h>

#include "transforms.h"

/* Copies the heading's inlines into the link, without notes. */
static int copy_inlines(dp_doc *doc, const dp_node *heading, dp_node *link)
{
    for (dp_node *c = dp_node_first_child(heading); c; c = dp_node_next(c)) {
        if (dp_node_kind(c) == DP_NOTE)
            continue;
        dp_node *copy = dp_node_copy(doc, c);
        if (!copy || dp_node_append_child(link, copy) != 0)
            return DP_ENOMEM;
    }
    return 0;
}

static int toc(dp_ctx *ctx, dp_doc *doc)
{
    long depth = dp_opt_int(ctx, "depth");
    const char *title = dp_opt_string(ctx, "title");
    dp_node *lists[8] = {0}; /* the open list per level */
    dp_node *div = dp_node_new(doc, DP_DIV), *root = dp_doc_root(doc);
    int top = 0, rc;

    if (!div || (rc = tf_assign_heading_ids(doc, "")) != 0)
        return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "toc: out of memory");
    dp_node_set_id(div, "toc");
    dp_node_add_class(div, "toc");
    if (title && *title) {
        dp_node *p = dp_node_new(doc, DP_PARA), *t = dp_node_new_text(doc, DP_TEXT, title, strlen(title));
        if (!p || !t || dp_node_append_child(p, t) != 0 || dp_node_append_child(div, p) != 0)
            return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "toc: out of memory");
        dp_node_add_class(p, "toc-title");
    }
    for (dp_node *b = dp_node_first_child(root); b; b = dp_node_next(b)) {
        int level = dp_node_kind(b) == DP_HEADING ? dp_node_heading_level(b) : 0;
        if (level == 0 || level > depth || dp_node_has_class(b, "unlisted"))
            continue;
        if (!top)
            top = level;
        if (level < top)
            level = top; /* a shallower heading later on joins the top list */
        dp_node *item = dp_node_new(doc, DP_LIST_ITEM), *plain = dp_node_new(doc, DP_PLAIN);
        dp_node *link = dp_node_new(doc, DP_LINK);
        char href[512];
        snprintf(href, sizeof href, "#%s", dp_node_id(b));
        if (!item || !plain || !link || dp_node_set_url(link, href) != 0 || copy_inlines(doc, b, link) != 0 ||
            dp_node_append_child(plain, link) != 0 || dp_node_append_child(item, plain) != 0)
            return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "toc: out of memory");
        /* Open lists down to this level, nested in the last item above. */
        for (int l = top; l <= level; l++) {
            if (lists[l])
                continue;
            lists[l] = dp_node_new(doc, DP_LIST);
            if (!lists[l])
                return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "toc: out of memory");
            dp_node_set_list(lists[l], DP_LIST_BULLET, 1, DP_DELIM_DEFAULT, DP_STYLE_DEFAULT, 1);
            dp_node *parent = l == top ? div : dp_node_last_child(lists[l - 1]);
            if (!parent) { /* a deeper heading before any shallower one */
                parent = dp_node_new(doc, DP_LIST_ITEM);
                if (!parent || dp_node_append_child(lists[l - 1], parent) != 0)
                    return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "toc: out of memory");
            }
            dp_node_append_child(parent, lists[l]);
        }
        for (int l = level + 1; l < 8; l++)
            lists[l] = NULL;
        dp_node_append_child(lists[level], item);
    }
    if (!top)
        return 0; /* no headings: no table of contents */
    return dp_node_prepend_child(root, div) == 0 ? 0 : dp_fail(ctx, DP_EINTERNAL, NULL, 0, 0, "toc: cannot insert");
}

static const dp_option_spec options[] = {
    {"depth", DP_OPT_INT, "3", NULL, "deepest heading level listed"},
    {"title", DP_OPT_STRING, "Contents", NULL, "title paragraph of the table of contents (empty: none)"},
    {NULL, 0, NULL, NULL, NULL},
};

const dp_plugin_desc tf_toc = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "transforms.toc",
    .name = "Table of contents",
    .version = "0.1.0",
    .kind = DP_PLUGIN_TRANSFORM,
    .format = "toc",
    .options = options,
    .transform_fn = toc,
    .description = "insert a table of contents linking every heading",
};
