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
 * <span dir="rtl">) and no loss.
 *
 * This file: the walk over the tree, the anchors a node carries, EXIT of a
 * container, and the entry point. Leaves: md_write_leaf.c; ENTER of a
 * container: md_write_enter.c. */
#include <stdio.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>

#include "md_write.h"

/* ------------------------------------------------------------------ */
/* The walk */

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
            rc = mdw_leaf(w, n);
            continue;
        }
        if (ev == DP_EV_ENTER) {
            if (DP_ARRAY_RESERVE(w->frames, w->cap, w->depth + 1) != 0)
                return mdw_nomem(w);
            frame *f = &w->frames[w->depth++];
            memset(f, 0, sizeof *f);
            f->node = n;
            rc = mdw_container_enter(w, f);
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
        rc = mdw_trim_line_space(&w);
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
    free(w.label_slots);
    mdw_anchors_free(&w);
    free(w.spare);
    free(w.defs);
    free(w.frames);
    return rc;
}
