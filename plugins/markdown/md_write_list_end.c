/* Where a list ends before another list or a code block.
 *
 * cmark-gfm's CommonMark renderer writes "<!-- end list -->" after every
 * list followed by a list or a code block, so that the next block is not
 * read as part of the list. That comment is an HTML block: rendered, it
 * becomes a comment the source did not have. This pass puts a block of its
 * own after such a list (the renderer then sees no list or code next):
 * - nothing (an empty HTML block, rendered as a blank line) when the next
 *   block cannot join the list anyway: a list of another type or delimiter
 *   (bullets are always "-"), a code block the renderer fences (one with an
 *   info string, or whose text starts with a space, or is too short or ends
 *   in blank lines: the renderer's own rule);
 * - else "[//]: #", a link reference definition: it ends the list as the
 *   comment did but renders as nothing. No link of ours uses it (the writer
 *   writes inline links, and text brackets are escaped). */
#include <string.h>

#include "md_write.h"

/* Whether the renderer writes code block c indented (cmark-gfm 0.29,
 * commonmark.c: no info, longer than 2, no space first, no blank end). */
static int written_indented(cmark_node *c)
{
    const char *info = cmark_node_get_fence_info(c);
    const char *code = cmark_node_get_literal(c);
    size_t len = code ? strlen(code) : 0;
    if (info && *info)
        return 0;
    return len > 2 && !strchr(" \t\n\r\f\v", code[0]) &&
           !(strchr(" \t\n\r\f\v", code[len - 1]) && strchr(" \t\n\r\f\v", code[len - 2]));
}

static int would_join(cmark_node *list, cmark_node *next)
{
    if (cmark_node_get_type(next) == CMARK_NODE_CODE_BLOCK)
        return written_indented(next);
    if (cmark_node_get_list_type(list) != cmark_node_get_list_type(next))
        return 0;
    return cmark_node_get_list_type(list) == CMARK_BULLET_LIST ||
           cmark_node_get_list_delim(list) == cmark_node_get_list_delim(next) ||
           /* the renderer writes "." for a list of no delimiter */
           (cmark_node_get_list_delim(list) != CMARK_PAREN_DELIM && cmark_node_get_list_delim(next) != CMARK_PAREN_DELIM);
}

static int end_list_step(md_writer *w, cmark_node *n, cmark_event_type ev)
{
    cmark_node *next = cmark_node_next(n);
    if (ev != CMARK_EVENT_EXIT || cmark_node_get_type(n) != CMARK_NODE_LIST || !next ||
        (cmark_node_get_type(next) != CMARK_NODE_LIST && cmark_node_get_type(next) != CMARK_NODE_CODE_BLOCK))
        return 0;
    cmark_node *sep = mdw_new_literal(CMARK_NODE_HTML_BLOCK, would_join(n, next) ? "[//]: #" : "");
    if (!sep || !cmark_node_insert_after(n, sep)) {
        cmark_node_free(sep);
        return mdw_nomem(w);
    }
    return 0;
}

int mdw_end_lists(md_writer *w)
{
    return mdw_each_node(w, end_list_step);
}
