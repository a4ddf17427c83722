/* Normalisation: adjacent DP_TEXT siblings merged, empty ones dropped. */
#include "tree/tree_internal.h"

#include <stdlib.h>
#include <string.h>

/* Merges the text runs among node's children. Returns 0 or DP_ENOMEM (the
 * tree then stays valid, merely less normal). */
static int merge_children(dp_node *parent)
{
    dp_node *c = parent->first_child;
    while (c) {
        dp_node *next = c->next;
        if (c->kind != DP_TEXT) {
            c = next;
            continue;
        }
        /* A run of text siblings starting at c: total its length. */
        size_t total = 0;
        int count = 0;
        dp_node *end = c;
        for (dp_node *r = c; r && r->kind == DP_TEXT; r = r->next) {
            total += r->as.lit.text ? r->as.lit.len : 0;
            count++;
            end = r;
        }
        dp_node *after = end->next;
        if (total == 0) {
            for (dp_node *r = c; r != after;) {
                dp_node *rn = r->next;
                dp_node_unlink(r);
                r = rn;
            }
            c = after;
            continue;
        }
        if (count > 1) {
            char *merged = dpt_arena_alloc(&parent->doc->arena, total + 1);
            if (!merged)
                return DP_ENOMEM;
            size_t off = 0;
            for (dp_node *r = c; r != after; r = r->next) {
                if (r->as.lit.text && r->as.lit.len) {
                    memcpy(merged + off, r->as.lit.text, r->as.lit.len);
                    off += r->as.lit.len;
                }
            }
            merged[total] = '\0';
            /* Keep the first node (its attributes and position) and drop the rest. */
            dp_node *r = c->next;
            while (r != after) {
                dp_node *rn = r->next;
                dp_node_unlink(r);
                r = rn;
            }
            c->as.lit.text = merged;
            c->as.lit.len = total;
        }
        c = after;
    }
    return DP_OK;
}

static void normalize_subtree(dp_node *root)
{
    dp_iter it;
    dp_iter_init(&it, root);
    dp_event ev;
    /* Children are rewritten on their parent's ENTER, before the walk goes
     * into them: the iterator's documented safe point. */
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        dp_node *n = dp_iter_node(&it);
        if (ev == DP_EV_ENTER && !dp_kind_is_leaf(n->kind))
            merge_children(n);
    }
}

/* Metadata can hold formatted text; normalise those trees too. */
static void normalize_meta(dp_meta *m)
{
    /* Iterative over the metadata tree: a small explicit stack. */
    dp_meta *stack_small[64];
    dp_meta **stack = stack_small;
    size_t cap = 64, n = 0;
    dp_meta **heap = NULL;
    stack[n++] = m;
    while (n > 0) {
        dp_meta *v = stack[--n];
        size_t kids = 0;
        if (v->type == DP_META_MAP)
            kids = v->as.map.n;
        else if (v->type == DP_META_LIST)
            kids = v->as.list.n;
        else if ((v->type == DP_META_INLINES || v->type == DP_META_BLOCKS) && v->as.nodes)
            normalize_subtree(v->as.nodes);
        if (n + kids > cap) {
            size_t ncap = cap;
            while (ncap < n + kids)
                ncap *= 2;
            dp_meta **grown = realloc(heap, ncap * sizeof *grown);
            if (!grown)
                break; /* out of memory: normalise what we could */
            if (!heap)
                memcpy(grown, stack_small, n * sizeof *grown);
            heap = grown;
            stack = heap;
            cap = ncap;
        }
        for (size_t i = 0; i < kids; i++)
            stack[n++] = v->type == DP_META_MAP ? v->as.map.values[i] : v->as.list.items[i];
    }
    free(heap);
}

DP_EXPORT void dp_doc_normalize(dp_doc *doc)
{
    if (!doc)
        return;
    normalize_subtree(doc->root);
    normalize_meta(doc->meta);
}
