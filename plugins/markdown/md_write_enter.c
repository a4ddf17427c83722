/* ENTER of a container node in the Markdown writer: the cmark node it
 * becomes (paragraph, heading, list, emphasis, link ...), or the raw HTML
 * tags around its content when Markdown has no form for it (spans, divs,
 * definition lists, figures, underline ...), reported. Tables:
 * md_write_table.c; notes: md_write_note.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "md_write.h"

/* A block written as raw HTML (<div>, <dl>, <figure>, a raw HTML block) in
 * a list item: in a tight list cmark-gfm puts the item's next block on the
 * very next line, which CommonMark reads as more of the same HTML block (a
 * note reference there is lost with its note). A loose list has the blank
 * line that ends it. */
static int items_hold_html_blocks(const dp_node *list)
{
    for (const dp_node *item = dp_node_first_child(list); item; item = dp_node_next(item))
        for (const dp_node *b = dp_node_first_child(item); b; b = dp_node_next(b)) {
            dp_kind k = dp_node_kind(b);
            if ((k == DP_DIV || k == DP_DEF_LIST || k == DP_FIGURE || k == DP_RAW_BLOCK) && dp_node_next(b))
                return 1;
        }
    return 0;
}
/* The task marker the paragraph n opens with, when n is the first block of
 * a task item in a bullet list; else NULL. */
static const char *task_marker_for(const dp_node *n)
{
    const dp_node *item = n ? dp_node_parent(n) : NULL;
    if (!item || dp_node_kind(item) != DP_LIST_ITEM || dp_node_first_child(item) != n ||
        dp_node_task(item) == DP_TASK_NONE || dp_node_list_type(dp_node_parent(item)) != DP_LIST_BULLET)
        return NULL;
    if (dp_node_kind(n) != DP_PARA && dp_node_kind(n) != DP_PLAIN)
        return NULL;
    return dp_node_task(item) == DP_TASK_CHECKED ? "[x] " : "[ ] ";
}

/* Inline kinds Markdown has no syntax for: raw HTML tags around them. */
typedef struct html_inline {
    dp_kind kind;
    const char *what, *tag, *close;
} html_inline;

static const html_inline HTML_INLINES[] = {
    { DP_UNDERLINE, "underline", "u", "</u>" },
    { DP_SUPERSCRIPT, "superscript", "sup", "</sup>" },
    { DP_SUBSCRIPT, "subscript", "sub", "</sub>" },
};

static const html_inline *inline_html_for(dp_kind k)
{
    for (size_t i = 0; i < sizeof HTML_INLINES / sizeof HTML_INLINES[0]; i++)
        if (HTML_INLINES[i].kind == k)
            return &HTML_INLINES[i];
    return &HTML_INLINES[0]; /* not reached: only the kinds above are asked for */
}

int mdw_container_enter(md_writer *w, frame *f)
{
    const dp_node *n = f->node;
    dp_kind k = dp_node_kind(n);
    cmark_node *c = NULL;
    /* Until this node's own cmark node is placed, new nodes go into the
     * enclosing container. */
    f->mode = FRAME_TRANSPARENT;

    switch (k) {
    case DP_ROOT:
        f->mode = FRAME_TRANSPARENT;
        return 0;
    case DP_PARA:
    case DP_PLAIN:
        if (dp_node_kind(dp_node_parent(n)) == DP_TABLE_CELL && mdw_enclosing(w, DP_TABLE_CELL)->mode == FRAME_NODE) {
            f->mode = FRAME_TRANSPARENT; /* GFM cell: inlines directly */
            return 0;
        }
        if (mdw_lost_attrs(w, n))
            dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.attrs", n, "paragraph attributes are not kept in Markdown");
        c = cmark_node_new(CMARK_NODE_PARAGRAPH);
        if (c && task_marker_for(n)) {
            /* "[x] " as literal text at the start of the item: GFM reads
             * it back as the task state */
            cmark_node *mark = mdw_new_literal(CMARK_NODE_HTML_INLINE, task_marker_for(n));
            if (!mark || !cmark_node_append_child(c, mark)) {
                cmark_node_free(mark);
                cmark_node_free(c);
                return mdw_nomem(w);
            }
        }
        break;
    case DP_LINE_BLOCK:
        dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.line-block", n, "line block written as a paragraph with hard line breaks");
        c = cmark_node_new(CMARK_NODE_PARAGRAPH);
        break;
    case DP_LINE:
        f->mode = FRAME_TRANSPARENT;
        f->line_break_after = dp_node_next(n) != NULL;
        return 0;
    case DP_HEADING:
        /* an id a link uses is kept (md_write_anchor.c); one that no link
         * uses leads nowhere inside the document: said with -v only */
        if (dp_node_class_count(n) > 0 || dp_node_attr_count(n) > 0 || dp_node_lang(n))
            dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.attrs", n, "heading attributes (class, lang) are not kept in Markdown");
        else if (dp_node_id(n) && !mdw_linked_id(w, n))
            dp_info(w->ctx, "heading id \"%s\" not written to Markdown: no link points at it", dp_node_id(n));
        c = cmark_node_new(CMARK_NODE_HEADING);
        if (c)
            cmark_node_set_heading_level(c, dp_node_heading_level(n));
        break;
    case DP_BLOCK_QUOTE:
        if (mdw_lost_attrs(w, n))
            dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.attrs", n, "block quote attributes are not kept in Markdown");
        c = cmark_node_new(CMARK_NODE_BLOCK_QUOTE);
        break;
    case DP_LIST: {
        int ordered = dp_node_list_type(n) == DP_LIST_ORDERED;
        dp_list_style st = dp_node_list_style(n);
        if (ordered && st != DP_STYLE_DEFAULT && st != DP_STYLE_DECIMAL)
            dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.list-style", n, "list numbering style (letters, roman) written as decimal");
        if (mdw_lost_attrs(w, n))
            dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.attrs", n, "list attributes are not kept in Markdown");
        c = cmark_node_new(CMARK_NODE_LIST);
        if (c) {
            cmark_node_set_list_type(c, ordered ? CMARK_ORDERED_LIST : CMARK_BULLET_LIST);
            if (ordered) {
                cmark_node_set_list_start(c, dp_node_list_start(n));
                cmark_node_set_list_delim(c, dp_node_list_delim(n) == DP_DELIM_PAREN ? CMARK_PAREN_DELIM
                                                                                     : CMARK_PERIOD_DELIM);
            }
            cmark_node_set_list_tight(c, dp_node_list_tight(n) && !items_hold_html_blocks(n));
        }
        break;
    }
    case DP_LIST_ITEM:
        /* The task marker is written by the item's first paragraph (see
         * task_marker): cmark-gfm's tasklist renderer indents differently
         * from plain items, which nests a plain item that follows a task. */
        c = cmark_node_new(CMARK_NODE_ITEM);
        if (c && dp_node_task(n) != DP_TASK_NONE && !dp_node_first_child(n) &&
            dp_node_list_type(dp_node_parent(n)) == DP_LIST_BULLET) {
            /* an empty task item: the marker alone */
            cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
            cmark_node *mark = mdw_new_literal(CMARK_NODE_HTML_INLINE,
                                           dp_node_task(n) == DP_TASK_CHECKED ? "[x] " : "[ ] ");
            if (!para || !mark || !cmark_node_append_child(para, mark) || !cmark_node_append_child(c, para)) {
                cmark_node_free(mark);
                cmark_node_free(para);
                cmark_node_free(c);
                return mdw_nomem(w);
            }
        } else if (dp_node_task(n) != DP_TASK_NONE && !task_marker_for(dp_node_first_child(n)))
            dp_warn_node(w->ctx, n, "%s", dp_node_list_type(dp_node_parent(n)) == DP_LIST_ORDERED
                                              ? "task state in an ordered list: GFM task items are bullets, state dropped"
                                              : "task item not starting with a paragraph: task state dropped");
        break;
    case DP_EMPH:
        c = cmark_node_new(CMARK_NODE_EMPH);
        break;
    case DP_STRONG:
        c = cmark_node_new(CMARK_NODE_STRONG);
        break;
    case DP_STRIKEOUT:
        c = cmark_node_new_with_ext(CMARK_NODE_STRIKETHROUGH, w->ext_strike);
        break;
    case DP_LINK:
    case DP_IMAGE:
        if (mdw_lost_attrs(w, n))
            dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.attrs", n, "%s attributes are not kept in Markdown", dp_kind_name(k));
        c = cmark_node_new(k == DP_LINK ? CMARK_NODE_LINK : CMARK_NODE_IMAGE);
        if (c) {
            const char *url = dp_node_url(n) ? dp_node_url(n) : "";
            if (k == DP_IMAGE && !(url = dp_ctx_resource_url(w->ctx, w->src, url)))
                return DP_ENOMEM;
            cmark_node_set_url(c, url);
            cmark_node_set_title(c, dp_node_title(n) ? dp_node_title(n) : "");
        }
        break;
    case DP_NOTE:
        return mdw_note_enter(w, f);
    case DP_SPAN: {
        /* <span lang> and <span dir> are the documented conventions for a
         * run in another language or direction: no loss */
        int dir_only = dp_node_attr_count(n) == 1 && dp_node_attr(n, "dir");
        int lang_only = dp_node_id(n) == NULL && dp_node_class_count(n) == 0 &&
                        (dp_node_attr_count(n) == 0 || dir_only);
        if (!lang_only)
            dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.raw-html", n, "span with attributes written as raw HTML <span>");
        return mdw_open_html(w, f, "span", "</span>", 0);
    }
    case DP_DIV:
        dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.raw-html", n, "div written as raw HTML <div> around Markdown blocks");
        return mdw_open_html(w, f, "div", "</div>", 1);
    case DP_UNDERLINE:
    case DP_SUPERSCRIPT:
    case DP_SUBSCRIPT: {
        const html_inline *h = inline_html_for(k);
        dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.raw-html", n, "%s written as raw HTML <%s>", h->what, h->tag);
        return mdw_open_html(w, f, h->tag, h->close, 0);
    }
    case DP_SMALL_CAPS:
        dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.raw-html", n, "small caps written as raw HTML <span style=\"font-variant: small-caps\">");
        if (mdw_add_raw(w, 0, "<span style=\"font-variant: small-caps\">") < 0)
            return -1;
        f->mode = FRAME_TRANSPARENT;
        f->close_tag = "</span>";
        return 0;
    case DP_QUOTED: {
        int single = dp_node_quote(n) == DP_QUOTE_SINGLE;
        dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.quotes", n, "quotation written as quotation marks");
        f->mode = FRAME_TRANSPARENT;
        f->close_tag = single ? "\xE2\x80\x99" : "\xE2\x80\x9D";
        f->close_block = -1; /* text, not HTML */
        return mdw_add(w, mdw_new_literal(CMARK_NODE_TEXT, single ? "\xE2\x80\x98" : "\xE2\x80\x9C"));
    }
    case DP_CITE:
        dp_warn_node(w->ctx, n, "citation written as its rendered text (the citation keys are not kept)");
        f->mode = FRAME_TRANSPARENT;
        return 0;
    case DP_CUSTOM:
        dp_warn_node(w->ctx, n, "custom node '%s' written as its content", dp_node_custom_name(n));
        f->mode = FRAME_TRANSPARENT;
        return 0;
    case DP_DEF_LIST:
        dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.raw-html", n, "definition list written as raw HTML <dl> around Markdown");
        return mdw_open_html(w, f, "dl", "</dl>", 1);
    case DP_DEF_ITEM:
        f->mode = FRAME_TRANSPARENT;
        return 0;
    case DP_DEF_TERM:
        if (mdw_open_html(w, f, "dt", "</dt>", 1) < 0)
            return -1;
        /* the term's inlines need a paragraph */
        c = cmark_node_new(CMARK_NODE_PARAGRAPH);
        if (mdw_add(w, c) < 0)
            return -1;
        f->mode = FRAME_NODE;
        f->cm = c;
        return 0;
    case DP_DEF_DESC:
        return mdw_open_html(w, f, "dd", "</dd>", 1);
    case DP_FIGURE:
        dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.raw-html", n, "figure written as raw HTML <figure> around Markdown");
        return mdw_open_html(w, f, "figure", "</figure>", 1);
    case DP_CAPTION: {
        int in_figure = dp_node_kind(dp_node_parent(n)) == DP_FIGURE;
        return mdw_open_html(w, f, in_figure ? "figcaption" : "caption", in_figure ? "</figcaption>" : "</caption>",
                         1);
    }
    case DP_TABLE:
        return mdw_table_enter(w, f);
    case DP_TABLE_HEAD:
    case DP_TABLE_BODY:
    case DP_TABLE_FOOT:
        return mdw_table_part_enter(w, f);
    case DP_TABLE_ROW:
        return mdw_table_row_enter(w, f);
    case DP_TABLE_CELL:
        return mdw_table_cell_enter(w, f);
    default:
        dp_warn_node(w->ctx, n, "node kind not written to Markdown: its content is kept");
        f->mode = FRAME_TRANSPARENT;
        return 0;
    }
    if (!c)
        return mdw_nomem(w);
    int rc = mdw_add(w, c);
    f->mode = FRAME_NODE;
    f->cm = c;
    return rc;
}
