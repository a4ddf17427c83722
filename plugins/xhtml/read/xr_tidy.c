/* After the walk: HTML white-space rules applied across inline runs (leading
 * and trailing space of a block dropped, one space where runs meet), adjacent
 * texts merged, empty implicit PLAIN blocks dropped, list tightness. */
#include "xr_internal.h"

#include <stdlib.h>
#include <string.h>

static int is_inline_block(dp_kind k)
{
    return k == DP_PARA || k == DP_PLAIN || k == DP_LINE || k == DP_DEF_TERM || k == DP_HEADING;
}

static int set_text(dp_node *t, const char *s, size_t len)
{
    /* the setter copies; s may point into the node's own text */
    char *copy = malloc(len + 1);
    if (!copy)
        return DP_ENOMEM;
    memcpy(copy, s, len);
    copy[len] = '\0';
    int rc = dp_node_set_text(t, copy, len);
    free(copy);
    return rc;
}

static int trim_trailing(dp_node *t)
{
    if (!t)
        return DP_OK;
    const char *s = dp_node_text(t);
    size_t l = dp_node_text_len(t);
    if (l && s[l - 1] == ' ')
        return set_text(t, s, l - 1);
    return DP_OK;
}

/* White space of the inline content of one block (notes excluded: their
 * blocks are handled on their own). */
static int fix_spaces(dp_node *block)
{
    dp_iter it;
    dp_iter_init(&it, block);
    int at_space = 1; /* start of the block counts as a space */
    dp_node *last = NULL;
    dp_event ev;
    int rc = DP_OK;
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE && rc == DP_OK) {
        dp_node *n = dp_iter_node(&it);
        if (n == block || ev != DP_EV_ENTER)
            continue;
        switch (dp_node_kind(n)) {
        case DP_NOTE:
            dp_iter_skip_children(&it);
            break;
        case DP_TEXT: {
            const char *s = dp_node_text(n);
            size_t l = dp_node_text_len(n);
            if (at_space && l && s[0] == ' ') {
                rc = set_text(n, s + 1, l - 1);
                s = dp_node_text(n);
                l = dp_node_text_len(n);
            }
            if (l) {
                at_space = s[l - 1] == ' ';
                last = n;
            }
            break;
        }
        case DP_LINE_BREAK:
            rc = trim_trailing(last);
            last = NULL;
            at_space = 1;
            break;
        case DP_SOFT_BREAK:
            at_space = 1;
            break;
        case DP_PAGE_BREAK:
            break;
        default:
            if (dp_kind_is_leaf(dp_node_kind(n))) {
                at_space = 0;
                last = NULL;
            }
            break;
        }
    }
    if (rc == DP_OK)
        rc = trim_trailing(last);
    return rc;
}

int xr_tidy(xr_session *s)
{
    dp_node *root = dp_doc_root(s->doc);
    dp_iter it;
    dp_event ev;
    int rc = DP_OK;
    dp_iter_init(&it, root);
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE && rc == DP_OK) {
        dp_node *n = dp_iter_node(&it);
        if (ev == DP_EV_ENTER && is_inline_block(dp_node_kind(n)))
            rc = fix_spaces(n);
    }
    if (rc)
        return dp_fail(s->ctx, DP_ENOMEM, NULL, 0, 0, "out of memory");
    dp_doc_normalize(s->doc);

    /* empty implicit wrappers go; lists with a paragraph in an item are loose */
    dp_iter_init(&it, root);
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        dp_node *n = dp_iter_node(&it);
        if (ev != DP_EV_EXIT)
            continue;
        dp_kind k = dp_node_kind(n);
        /* children only: the iterator still stands on n */
        for (dp_node *c = dp_node_first_child(n), *next; c; c = next) {
            next = dp_node_next(c);
            if (dp_node_kind(c) == DP_PLAIN && !dp_node_first_child(c)) {
                dp_node_unlink(c);
            } else if (dp_node_kind(c) == DP_DIV && dp_node_attr(c, XR_CHROME_ATTR)) {
                dp_node_set_attr(c, XR_CHROME_ATTR, NULL);
                if (!dp_node_first_child(c)) {
                    /* a cover page or title page holding only generated chrome */
                    dp_node_unlink(c);
                    if (k == DP_DIV)
                        dp_node_set_attr(n, XR_CHROME_ATTR, "1");
                }
            }
        }
        if (k == DP_LIST) {
            int tight = 1;
            for (dp_node *item = dp_node_first_child(n); item && tight; item = dp_node_next(item))
                for (dp_node *b = dp_node_first_child(item); b; b = dp_node_next(b))
                    if (dp_node_kind(b) == DP_PARA)
                        tight = 0;
            dp_node_set_list(n, dp_node_list_type(n), dp_node_list_start(n), dp_node_list_delim(n),
                             dp_node_list_style(n), tight);
        }
    }
    return DP_OK;
}
