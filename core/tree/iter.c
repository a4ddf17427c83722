/* The ENTER/EXIT iterator (cmark's model): a walk driven by the links
 * alone, so it needs no stack and any depth is fine. */
#include "tree/tree_internal.h"

/* Private state stored in it->ev after dp_iter_skip_children: the next call
 * reports the EXIT of the current node. Values 0..2 are the public events. */
#define ITER_PENDING_EXIT 3

DP_EXPORT void dp_iter_init(dp_iter *it, const dp_node *root)
{
    if (!it)
        return;
    it->root = root;
    it->cur = NULL; /* with a root: not started yet */
    it->ev = DP_EV_DONE;
}

static dp_event finish(dp_iter *it)
{
    it->root = NULL;
    it->cur = NULL;
    it->ev = DP_EV_DONE;
    return DP_EV_DONE;
}

DP_EXPORT dp_event dp_iter_next(dp_iter *it)
{
    if (!it || !it->root)
        return DP_EV_DONE;
    dp_node *cur = it->cur;
    if (!cur) {
        it->cur = (dp_node *)it->root;
        it->ev = DP_EV_ENTER;
        return DP_EV_ENTER;
    }
    if ((int)it->ev == ITER_PENDING_EXIT) {
        it->ev = DP_EV_EXIT;
        return DP_EV_EXIT;
    }
    if (it->ev == DP_EV_ENTER && !dp_kind_is_leaf(cur->kind)) {
        if (cur->first_child) {
            it->cur = cur->first_child;
            it->ev = DP_EV_ENTER;
        } else {
            it->ev = DP_EV_EXIT;
        }
        return it->ev;
    }
    /* Leaving cur (an EXIT, or a leaf's ENTER): go to the next sibling or
     * up to the parent. */
    if (cur == it->root)
        return finish(it);
    if (cur->next) {
        it->cur = cur->next;
        it->ev = DP_EV_ENTER;
        return DP_EV_ENTER;
    }
    if (!cur->parent)
        return finish(it); /* cur was unlinked: nothing sensible follows */
    it->cur = cur->parent;
    it->ev = DP_EV_EXIT;
    return DP_EV_EXIT;
}

DP_EXPORT dp_node *dp_iter_node(const dp_iter *it)
{
    return it ? it->cur : NULL;
}

DP_EXPORT void dp_iter_skip_children(dp_iter *it)
{
    if (!it || !it->cur || it->ev != DP_EV_ENTER || dp_kind_is_leaf(it->cur->kind))
        return;
    it->ev = (dp_event)ITER_PENDING_EXIT;
}
