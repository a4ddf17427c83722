/* Deep copy of a subtree into a (possibly different) document. */
#include "tree/tree_internal.h"

#include <string.h>

static const char *dup_or_null(dp_doc *doc, const char *s, int *failed)
{
    if (!s)
        return NULL;
    const char *c = dp_doc_strdup(doc, s);
    if (!c)
        *failed = 1;
    return c;
}

static int copy_attrs(dp_node *dst, const dp_node *src)
{
    const dpt_attrs *a = src->attrs;
    if (!a)
        return DP_OK;
    int rc = DP_OK;
    if (a->id && (rc = dp_node_set_id(dst, a->id)))
        return rc;
    if (a->lang && (rc = dp_node_set_lang(dst, a->lang)))
        return rc;
    for (int i = 0; i < a->nclasses; i++)
        if ((rc = dp_node_add_class(dst, a->classes[i])))
            return rc;
    for (int i = 0; i < a->nkv; i++)
        if ((rc = dp_node_set_attr(dst, a->keys[i], a->values[i])))
            return rc;
    return DP_OK;
}

int dpt_node_copy_data(dp_node *dst, const dp_node *src)
{
    dp_doc *doc = dst->doc;
    int failed = 0;
    dst->is_block = src->is_block;
    dst->line = src->line;
    dst->column = src->column;
    if (src->source_file && dp_node_set_source_file(dst, src->source_file) != DP_OK)
        return DP_ENOMEM;
    dst->as = src->as; /* scalars; pointers are replaced below */
    if (dpt_kind_has_text(src->kind)) {
        if (src->as.lit.text) {
            dst->as.lit.text = dp_doc_strndup(doc, src->as.lit.text, src->as.lit.len);
            failed |= !dst->as.lit.text;
        }
        dst->as.lit.format = dup_or_null(doc, src->as.lit.format, &failed);
        if (src->as.lit.other) {
            dst->as.lit.other = dp_doc_strndup(doc, src->as.lit.other, src->as.lit.other_len);
            failed |= !dst->as.lit.other;
        }
        dst->as.lit.alt = dup_or_null(doc, src->as.lit.alt, &failed);
    }
    switch (src->kind) {
    case DP_LINK:
    case DP_IMAGE:
        dst->as.link.url = dup_or_null(doc, src->as.link.url, &failed);
        dst->as.link.title = dup_or_null(doc, src->as.link.title, &failed);
        break;
    case DP_NOTE:
    case DP_PAGE_BREAK:
        dst->as.label = dup_or_null(doc, src->as.label, &failed);
        break;
    case DP_TABLE:
        dst->as.table.ncols = 0;
        dst->as.table.aligns = NULL;
        dst->as.table.widths = NULL;
        if (src->as.table.ncols > 0 &&
            dp_node_set_table_cols(dst, src->as.table.ncols, src->as.table.aligns, src->as.table.widths))
            failed = 1;
        break;
    case DP_CITE:
        dst->as.cite.items = NULL;
        dst->as.cite.n = dst->as.cite.cap = 0;
        for (int i = 0; i < src->as.cite.n && !failed; i++)
            if (dp_node_add_citation(dst, &src->as.cite.items[i]))
                failed = 1;
        break;
    case DP_CUSTOM:
        dst->as.custom_name = dup_or_null(doc, src->as.custom_name, &failed);
        break;
    default:
        break;
    }
    if (failed)
        return DP_ENOMEM;
    return copy_attrs(dst, src);
}

DP_EXPORT dp_node *dp_node_copy(dp_doc *doc, const dp_node *src)
{
    if (!doc || !src)
        return NULL;
    dp_node *top = NULL;
    dp_node *dst_parent = NULL; /* copy of the container being filled */
    dp_iter it;
    dp_iter_init(&it, src);
    dp_event ev;
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        const dp_node *n = dp_iter_node(&it);
        if (ev == DP_EV_EXIT) {
            if (n != src)
                dst_parent = dst_parent->parent;
            continue;
        }
        dp_node *copy = dp_node_new(doc, n->kind);
        if (!copy || dpt_node_copy_data(copy, n) != DP_OK)
            return NULL; /* the partial copy stays in the arena, unlinked */
        if (!top)
            top = copy;
        else
            dpt_node_link_last_raw(dst_parent, copy);
        if (!dp_kind_is_leaf(n->kind))
            dst_parent = copy;
    }
    return top;
}
