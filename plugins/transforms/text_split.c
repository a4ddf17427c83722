/* Splitting a text run around a byte range: the shared step of every
 * transform that marks up part of a text (language runs, note markers). */
#include "transforms.h"

dp_node *tf_split_text(dp_node *text, size_t start, size_t end, dp_kind wrap_kind, dp_node **rest)
{
    dp_doc *doc = dp_node_doc(text);
    const char *s = dp_node_text(text);
    size_t len = dp_node_text_len(text);
    dp_node *mid, *after = NULL;

    *rest = NULL;
    if (dp_kind_is_leaf(wrap_kind)) {
        mid = dp_node_new_text(doc, wrap_kind, s + start, end - start);
    } else {
        dp_node *inner = dp_node_new_text(doc, DP_TEXT, s + start, end - start);
        mid = dp_node_new(doc, wrap_kind);
        if (!inner || !mid || dp_node_append_child(mid, inner) != 0)
            return NULL;
    }
    if (!mid)
        return NULL;
    if (end < len) {
        after = dp_node_new_text(doc, DP_TEXT, s + end, len - end);
        if (!after)
            return NULL;
    }
    if (dp_node_insert_after(text, mid) != 0)
        return NULL;
    if (after && dp_node_insert_after(mid, after) != 0)
        return NULL;
    if (start == 0)
        dp_node_unlink(text);
    else if (dp_node_set_text(text, s, start) != 0)
        return NULL;
    *rest = after;
    return mid;
}
