/* Document tree -> Markdown: builds a cmark-gfm tree and renders it with
 * cmark_render_commonmark, so that all Markdown escaping is cmark's.
 *
 * Two kinds of cmark node cannot be made through cmark-gfm's public API in
 * a renderable state: footnote references (the renderer reads a private
 * link to the definition) and GFM tables (their private data is allocated
 * by the parser). Both are obtained by parsing a small skeleton ("[^L]" +
 * "[^L]: x", or "| x | x |" rows) and filling in the content.
 *
 * What Markdown cannot hold is written as raw HTML tags around the content
 * (which stays Markdown) and reported with dp_warn_node: spans with
 * attributes other than lang, divs, definition lists, figures, captions,
 * underline/super/subscript/small caps, complex tables. A span carrying
 * only lang and dir is the documented convention (<span lang="zh">,
 * <span dir="rtl">) and no loss. */
#include <stdio.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>

#include "md_write.h"

/* ------------------------------------------------------------------ */
/* The walk */

static int code_block(md_writer *w, const dp_node *n)
{
    cmark_node *c = cmark_node_new(CMARK_NODE_CODE_BLOCK);
    if (!c)
        return mdw_nomem(w);
    const char *text = dp_node_text(n) ? dp_node_text(n) : "";
    size_t len = strlen(text);
    char *lit = malloc(len + 2);
    if (!lit) {
        cmark_node_free(c);
        return mdw_nomem(w);
    }
    /* cmark's literal is the code plus the final newline the reader strips */
    memcpy(lit, text, len);
    lit[len++] = '\n';
    lit[len] = '\0';
    cmark_node_set_literal(c, lit);
    free(lit);
    cmark_node_set_fenced(c, 1, 3, 0, '`');
    if (dp_node_kind(n) == DP_RAW_BLOCK) {
        char info[80];
        snprintf(info, sizeof info, "{=%s}", dp_node_format(n) ? dp_node_format(n) : "unknown");
        cmark_node_set_fence_info(c, info);
    } else if (dp_node_class_count(n) > 0) {
        const char *lang = dp_node_class_at(n, 0);
        const char *rest = dp_node_attr(n, "info");
        char *info = malloc(strlen(lang) + (rest ? strlen(rest) : 0) + 2);
        if (!info) {
            cmark_node_free(c);
            return mdw_nomem(w);
        }
        sprintf(info, "%s%s%s", lang, rest ? " " : "", rest ? rest : "");
        cmark_node_set_fence_info(c, info);
        free(info);
        if (dp_node_class_count(n) > 1 || (dp_node_id(n) && !mdw_linked_id(w, n)) || dp_node_lang(n) ||
            dp_node_attr_count(n) > (rest ? 1 : 0))
            dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.attrs", n, "code block attributes other than its language are not kept in Markdown");
    } else if (mdw_lost_attrs(w, n)) {
        dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.attrs", n, "code block attributes are not kept in Markdown");
    }
    return mdw_add(w, c);
}

static int leaf(md_writer *w, const dp_node *n)
{
    dp_kind k = dp_node_kind(n);
    const char *text = dp_node_text(n);
    switch (k) {
    case DP_TEXT:
        return mdw_text(w, text);
    case DP_CODE:
        if (mdw_lost_attrs(w, n))
            dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.attrs", n, "attributes of inline code are not kept in Markdown");
        return mdw_add(w, mdw_new_literal(CMARK_NODE_CODE, text));
    case DP_SOFT_BREAK:
        if (w->in_table_cell)
            return mdw_add(w, mdw_new_literal(CMARK_NODE_TEXT, " "));
        return mdw_add(w, cmark_node_new(CMARK_NODE_SOFTBREAK));
    case DP_LINE_BREAK:
        if (w->in_table_cell)
            return mdw_add_raw(w, 0, "<br>");
        return mdw_add(w, cmark_node_new(CMARK_NODE_LINEBREAK));
    case DP_CODE_BLOCK:
        return code_block(w, n);
    case DP_RAW_BLOCK:
        if (dp_node_format(n) && strcmp(dp_node_format(n), "html") == 0)
            return mdw_add_raw(w, 1, text);
        dp_warn_node(w->ctx, n, "raw %s block written as a fenced code block {=%s}", dp_node_format(n),
                     dp_node_format(n));
        return code_block(w, n);
    case DP_RAW_INLINE:
        if (dp_node_format(n) && strcmp(dp_node_format(n), "html") == 0)
            return mdw_add_raw(w, 0, text);
        dp_warn_node(w->ctx, n, "raw %s inline written as inline code", dp_node_format(n));
        return mdw_add(w, mdw_new_literal(CMARK_NODE_CODE, text));
    case DP_MATH:
        return mdw_math(w, n);
    case DP_THEMATIC_BREAK:
        return mdw_add(w, cmark_node_new(CMARK_NODE_THEMATIC_BREAK));
    case DP_PAGE_BREAK: {
        dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.raw-html", n, "page break %s written as raw HTML", dp_node_label(n) ? dp_node_label(n) : "");
        dp_buf *b = NULL;
        if (dp_buf_new(&b) < 0)
            return mdw_nomem(w);
        int block = dp_node_is_block(n);
        int rc = dp_buf_printf(b, "<%s role=\"doc-pagebreak\"", block ? "div" : "span");
        if (rc >= 0 && dp_node_label(n)) {
            /* the label through the attribute writer: a throwaway span */
            rc = dp_buf_puts(b, " aria-label=\"");
            for (const char *p = dp_node_label(n); rc >= 0 && *p; p++)
                rc = *p == '"' ? dp_buf_puts(b, "&quot;") : *p == '&' ? dp_buf_puts(b, "&amp;")
                                                                       : dp_buf_append(b, p, 1);
            if (rc >= 0)
                rc = dp_buf_puts(b, "\"");
        }
        if (rc >= 0)
            rc = dp_buf_printf(b, "></%s>", block ? "div" : "span");
        if (rc >= 0)
            rc = dp_buf_append(b, "", 1);
        if (rc >= 0)
            rc = mdw_add_raw(w, block, (const char *)dp_buf_data(b));
        dp_buf_free(b);
        return rc < 0 ? (w->failed ? rc : mdw_nomem(w)) : 0;
    }
    default:
        return 0;
    }
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

static int container_enter(md_writer *w, frame *f)
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
            cmark_node_set_list_tight(c, dp_node_list_tight(n));
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
        dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.raw-html", n, "underline written as raw HTML <u>");
        return mdw_open_html(w, f, "u", "</u>", 0);
    case DP_SUPERSCRIPT:
        dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.raw-html", n, "superscript written as raw HTML <sup>");
        return mdw_open_html(w, f, "sup", "</sup>", 0);
    case DP_SUBSCRIPT:
        dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.raw-html", n, "subscript written as raw HTML <sub>");
        return mdw_open_html(w, f, "sub", "</sub>", 0);
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
    case DP_TABLE_FOOT: {
        frame *t = mdw_enclosing(w, DP_TABLE);
        if (t && t->mode == FRAME_NODE) {
            f->mode = FRAME_TRANSPARENT;
            return 0;
        }
        return mdw_open_html(w, f, k == DP_TABLE_HEAD ? "thead" : k == DP_TABLE_BODY ? "tbody" : "tfoot",
                         k == DP_TABLE_HEAD ? "</thead>" : k == DP_TABLE_BODY ? "</tbody>" : "</tfoot>", 1);
    }
    case DP_TABLE_ROW: {
        frame *t = mdw_enclosing(w, DP_TABLE);
        if (t && t->mode == FRAME_NODE) {
            f->mode = FRAME_NODE;
            f->cm = t->cursor;
            f->cursor = t->cursor ? cmark_node_first_child(t->cursor) : NULL;
            if (t->cursor)
                t->cursor = cmark_node_next(t->cursor);
            if (!f->cm)
                return dp_fail(w->ctx, DP_EINTERNAL, NULL, 0, 0, "table skeleton too short");
            return 0;
        }
        return mdw_open_html(w, f, "tr", "</tr>", 1);
    }
    case DP_TABLE_CELL: {
        frame *row = mdw_enclosing(w, DP_TABLE_ROW);
        if (row && row->mode == FRAME_NODE) {
            f->mode = FRAME_NODE;
            f->cm = row->cursor;
            if (row->cursor)
                row->cursor = cmark_node_next(row->cursor);
            if (!f->cm)
                return dp_fail(w->ctx, DP_EINTERNAL, NULL, 0, 0, "table skeleton row too short");
            w->in_table_cell++;
            return 0;
        }
        int header = dp_node_cell_header(n);
        if (mdw_open_html(w, f, header ? "th" : "td", header ? "</th>" : "</td>", 1) < 0)
            return -1;
        /* spans and alignment: appended to the start tag just written */
        cmark_node *tag = cmark_node_last_child(mdw_current(w));
        int rs = dp_node_cell_rowspan(n), cs = dp_node_cell_colspan(n);
        dp_align al = dp_node_cell_align(n);
        if (tag && (rs > 1 || cs > 1 || al != DP_ALIGN_DEFAULT)) {
            const char *lit = cmark_node_get_literal(tag);
            size_t len = strlen(lit);
            char *s = malloc(len + 80);
            if (!s)
                return mdw_nomem(w);
            memcpy(s, lit, len - 1); /* without '>' */
            s[len - 1] = '\0';
            if (rs > 1)
                sprintf(s + strlen(s), " rowspan=\"%d\"", rs);
            if (cs > 1)
                sprintf(s + strlen(s), " colspan=\"%d\"", cs);
            if (al != DP_ALIGN_DEFAULT)
                sprintf(s + strlen(s), " style=\"text-align: %s\"",
                        al == DP_ALIGN_LEFT ? "left" : al == DP_ALIGN_CENTER ? "center" : "right");
            strcat(s, ">");
            cmark_node_set_literal(tag, s);
            free(s);
        }
        return 0;
    }
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

/* Where a node's linked id goes (md_write_anchor.c): ANCHOR_NONE when its
 * own raw HTML tag carries it (span, div, figure ...) or it has none;
 * ANCHOR_ATTRIBUTE "{#id}" at the end of a heading; ANCHOR_INSIDE an empty
 * element as its first child; ANCHOR_BEFORE one just before it. */
enum { ANCHOR_NONE, ANCHOR_ATTRIBUTE, ANCHOR_INSIDE, ANCHOR_BEFORE };

static int anchor_place(const md_writer *w, const dp_node *n)
{
    const char *id = mdw_linked_id(w, n);
    if (!id)
        return ANCHOR_NONE;
    switch (dp_node_kind(n)) {
    case DP_ROOT: case DP_SPAN: case DP_DIV: case DP_NOTE: case DP_DEF_LIST: case DP_DEF_ITEM:
    case DP_DEF_TERM: case DP_DEF_DESC: case DP_FIGURE: case DP_CAPTION: case DP_UNDERLINE:
    case DP_SUPERSCRIPT: case DP_SUBSCRIPT: case DP_TABLE_HEAD: case DP_TABLE_BODY: case DP_TABLE_FOOT:
    case DP_TABLE_ROW: case DP_TABLE_CELL:
        return ANCHOR_NONE;
    case DP_HEADING:
        return mdw_id_attribute_ok(id) ? ANCHOR_ATTRIBUTE : ANCHOR_INSIDE;
    case DP_BLOCK_QUOTE: case DP_LIST_ITEM: {
        /* in its first paragraph when it starts with one (see inside_anchors) */
        dp_kind first = dp_node_first_child(n) ? dp_node_kind(dp_node_first_child(n)) : DP_ROOT;
        return first == DP_PARA || first == DP_PLAIN ? ANCHOR_NONE : ANCHOR_INSIDE;
    }
    case DP_PARA: case DP_PLAIN:
        return ANCHOR_INSIDE;
    default:
        return ANCHOR_BEFORE;
    }
}

/* The anchors a node just entered starts with: its own id, and for the
 * first paragraph of a block quote or list item the container's id (an HTML
 * block there would split a tight item). */
static int inside_anchors(md_writer *w, const frame *f, int place)
{
    const dp_node *n = f->node;
    dp_kind k = dp_node_kind(n);
    const dp_node *p = dp_node_parent(n);
    int rc = 0;
    if ((k == DP_PARA || k == DP_PLAIN) && p && dp_node_first_child(p) == n &&
        (dp_node_kind(p) == DP_BLOCK_QUOTE || dp_node_kind(p) == DP_LIST_ITEM) && mdw_linked_id(w, p))
        rc = mdw_anchor(w, dp_node_id(p), 0);
    if (rc == 0 && place == ANCHOR_INSIDE)
        rc = mdw_anchor(w, dp_node_id(n), f->mode == FRAME_NODE && (k == DP_BLOCK_QUOTE || k == DP_LIST_ITEM));
    return rc;
}

static int container_exit(md_writer *w, frame *f)
{
    int rc = 0;
    if (f->mode == FRAME_NODE && anchor_place(w, f->node) == ANCHOR_ATTRIBUTE) {
        /* "# Title {#id}": pandoc's header attribute, read back by md_read.c */
        dp_buf *b = NULL;
        rc = dp_buf_new(&b) < 0 ? -1 : dp_buf_printf(b, " {#%s}", dp_node_id(f->node));
        if (rc >= 0)
            rc = dp_buf_append(b, "", 1);
        /* as raw text: cmark would escape the '#' of a text node */
        cmark_node *t = rc >= 0 ? mdw_new_literal(CMARK_NODE_HTML_INLINE, (const char *)dp_buf_data(b)) : NULL;
        dp_buf_free(b);
        if (!t || !cmark_node_append_child(f->cm, t)) {
            cmark_node_free(t);
            return mdw_nomem(w);
        }
        rc = 0;
    }
    if (dp_node_kind(f->node) == DP_TABLE_CELL && f->mode == FRAME_NODE)
        w->in_table_cell--;
    if (f->close_tag) {
        if (f->close_block < 0)
            rc = mdw_add(w, mdw_new_literal(CMARK_NODE_TEXT, f->close_tag));
        else
            rc = mdw_add_raw(w, f->close_block, f->close_tag);
    }
    if (rc == 0 && f->line_break_after)
        rc = mdw_add(w, cmark_node_new(CMARK_NODE_LINEBREAK));
    return rc;
}

static int build(md_writer *w, const dp_doc *doc)
{
    dp_iter it;
    dp_event ev;
    int rc = 0;
    dp_iter_init(&it, dp_doc_root(doc));
    while (rc == 0 && (ev = dp_iter_next(&it)) != DP_EV_DONE) {
        dp_node *n = dp_iter_node(&it);
        int place = ev == DP_EV_ENTER ? anchor_place(w, n) : ANCHOR_NONE;
        if (place == ANCHOR_BEFORE)
            rc = mdw_anchor(w, dp_node_id(n), dp_node_is_block(n) && dp_node_kind(n) != DP_LINE);
        if (rc == 0 && ev == DP_EV_ENTER && dp_kind_is_leaf(dp_node_kind(n))) {
            rc = leaf(w, n);
            continue;
        }
        if (ev == DP_EV_ENTER) {
            if (mdw_grow((void **)&w->frames, &w->cap, w->depth + 1, sizeof *w->frames) < 0)
                return mdw_nomem(w);
            frame *f = &w->frames[w->depth++];
            memset(f, 0, sizeof *f);
            f->node = n;
            rc = container_enter(w, f);
            if (rc == 0 && f->mode != FRAME_SKIP)
                rc = inside_anchors(w, f, place);
            if (rc == 0 && f->mode == FRAME_SKIP)
                dp_iter_skip_children(&it);
        } else {
            /* Closing tags go into the enclosing container: pop first. */
            frame done = w->frames[--w->depth];
            rc = container_exit(w, &done);
        }
    }
    return rc < 0 ? rc : 0;
}

int md_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out)
{
    md_writer w;
    int rc = 0;
    memset(&w, 0, sizeof w);
    w.ctx = ctx;
    w.src = doc;

    w.ext_table = cmark_find_syntax_extension("table");
    w.ext_strike = cmark_find_syntax_extension("strikethrough");
    w.ext_tasklist = cmark_find_syntax_extension("tasklist");
    w.ext_autolink = cmark_find_syntax_extension("autolink");
    if (!w.ext_table || !w.ext_strike || !w.ext_tasklist)
        return dp_fail(ctx, DP_EPLUGIN, NULL, 0, 0, "cmark-gfm core extensions are not available");

    if (dp_opt_bool(ctx, "front-matter")) {
        rc = md_front_matter_write(ctx, doc, out);
        if (rc < 0)
            return rc;
    } else if (dp_meta_map_count(dp_doc_meta(doc)) > 0) {
        dp_warn(ctx, "metadata not written (front-matter: false)");
    }

    w.doc = cmark_node_new(CMARK_NODE_DOCUMENT);
    if (!w.doc)
        return mdw_nomem(&w);
    rc = mdw_anchors_init(&w, doc);
    if (rc == 0)
        rc = build(&w, doc);
    if (rc == 0)
        rc = mdw_end_lists(&w);
    for (size_t i = 0; i < w.ndefs; i++) {
        if (rc == 0 && !cmark_node_append_child(w.doc, w.defs[i]))
            rc = dp_fail(ctx, DP_EINTERNAL, NULL, 0, 0, "cannot place a footnote definition");
        if (rc < 0 && !cmark_node_parent(w.defs[i]))
            cmark_node_free(w.defs[i]);
    }
    if (rc == 0) {
        long width = dp_opt_int(ctx, "width");
        char *md = cmark_render_commonmark(w.doc, CMARK_OPT_UNSAFE, width > 0 && width < 100000 ? (int)width : 0);
        /* The tree is done with: freed, and its memory handed back to the
         * system, before the text is copied out, it is not held alongside
         * two copies of the output (10 MB TEI -> Markdown: 18 MB of cmark
         * nodes; peak RSS 67.6 -> 57.4 MB). The copy goes to a separate
         * mapping, which could not reuse the freed nodes. Small outputs skip
         * the trim: their peak is the libraries, not the tree. */
        cmark_node_free(w.doc);
        w.doc = NULL;
        size_t n = md ? strlen(md) : 0;
#ifdef __GLIBC__
        if (n >= (1u << 20))
            malloc_trim(0);
#endif
        if (!md)
            rc = mdw_nomem(&w);
        else {
            rc = dp_buf_append(out, md, n);
            free(md);
        }
    }
    if (w.doc)
        cmark_node_free(w.doc);
    for (size_t i = 0; i < w.nspare; i++)
        cmark_node_free(w.spare[i]);
    for (size_t i = 0; i < w.nlabels; i++)
        free(w.labels[i].label);
    free(w.labels);
    mdw_anchors_free(&w);
    free(w.spare);
    free(w.defs);
    free(w.frames);
    return rc;
}
