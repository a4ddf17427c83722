/* White space at the start and end of a written line.
 *
 * CommonMark strips the spaces and tabs that start and end a line of a
 * paragraph, heading or table cell: text there cannot keep them. Written
 * anyway, they do harm: the renderer escapes a line-start "1825." / "-" /
 * "+" / "#" only when it is the first character of the line, so " 1825.
 * XIII" reads back as an ordered list starting at 1825 and " - x" as a
 * bullet; spaces before a soft break read back as a hard break. This pass
 * over the finished cmark tree removes them from the text nodes that start
 * or end a line (after a break, or first / last in the block, also inside
 * the emphasis that opens or closes it), so the renderer's escaping
 * applies. Markdown read by cmark never has such text: its round trip is
 * unchanged. */
#include <stdlib.h>
#include <string.h>

#include "md_write.h"

static const char LINE_SPACE[] = " \t\r\n";

/* Emphasis marks around a line's first or last text: "* - x*" is a bullet,
 * and CommonMark emphasis cannot start or end with a space anyway. */
static int is_emphasis(cmark_node *n)
{
    cmark_node_type t = cmark_node_get_type(n);
    return t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG || t == CMARK_NODE_STRIKETHROUGH;
}

static int is_break(cmark_node *n)
{
    cmark_node_type t = cmark_node_get_type(n);
    return t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK;
}

/* A text of white space alone between n and the line's edge is trimmed
 * away too: it does not count as written. */
static int is_space_text(cmark_node *n)
{
    const char *s = cmark_node_get_type(n) == CMARK_NODE_TEXT ? cmark_node_get_literal(n) : NULL;
    return s && s[strspn(s, LINE_SPACE)] == '\0';
}

/* Whether nothing is written between the start (forward = 0) or end
 * (forward = 1) of n's line and n. */
static int at_line_edge(cmark_node *n, int forward)
{
    for (;;) {
        cmark_node *s = forward ? cmark_node_next(n) : cmark_node_previous(n);
        while (s && is_space_text(s))
            s = forward ? cmark_node_next(s) : cmark_node_previous(s);
        if (s)
            return is_break(s);
        cmark_node *parent = cmark_node_parent(n);
        if (!parent || (cmark_node_get_type(parent) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK)
            return 1; /* the first or last inline of its block */
        if (!is_emphasis(parent))
            return 0; /* a link's text: its bracket is written first */
        n = parent;
    }
}

static int trim(md_writer *w, cmark_node *text)
{
    const char *s = cmark_node_get_literal(text);
    if (!s || !*s)
        return 0;
    size_t start = at_line_edge(text, 0) ? strspn(s, LINE_SPACE) : 0;
    size_t end = strlen(s);
    if (at_line_edge(text, 1))
        while (end > start && strchr(LINE_SPACE, s[end - 1]))
            end--;
    if (start == 0 && s[end] == '\0')
        return 0;
    char *kept = strndup(s + start, end - start);
    int ok = kept && cmark_node_set_literal(text, kept);
    free(kept);
    return ok ? 0 : mdw_nomem(w);
}

static int trim_step(md_writer *w, cmark_node *n, cmark_event_type ev)
{
    return ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_TEXT ? trim(w, n) : 0;
}

int mdw_trim_line_space(md_writer *w)
{
    return mdw_each_node(w, trim_step);
}
