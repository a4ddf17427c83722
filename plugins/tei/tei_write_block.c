/* TEI exporter: block nodes -> p, list, table, figure, lg, quote, sp ... */
#include "tei_write_internal.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Blocks                                                               */

static void w_list(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    static const char *const styles[] = {NULL, "decimal", "lower-alpha", "upper-alpha", "lower-roman",
                                         "upper-roman"};
    xmlNodePtr list = tw_el(w, parent, "list");
    char rend[64];
    int ordered = dp_node_list_type(n) == DP_LIST_ORDERED;
    dp_list_style st = dp_node_list_style(n);
    snprintf(rend, sizeof rend, "%s%s%s", ordered ? "numbered" : "bulleted",
             ordered && st > 0 && st <= DP_STYLE_UPPER_ROMAN ? " " : "",
             ordered && st > 0 && st <= DP_STYLE_UPPER_ROMAN ? styles[st] : "");
    tw_common_attrs(w, list, n, rend, NULL, NULL);
    int first = 1;
    for (const dp_node *it = dp_node_first_child(n); it && !w->err; it = dp_node_next(it)) {
        xmlNodePtr item = tw_el(w, list, "item");
        if (first && ordered && dp_node_list_start(n) != 1) {
            char num[32];
            snprintf(num, sizeof num, "%d", dp_node_list_start(n));
            tw_set_attr(item, "n", num);
        }
        first = 0;
        const char *task = NULL;
        if (dp_node_task(it) == DP_TASK_CHECKED)
            task = "task-done";
        else if (dp_node_task(it) == DP_TASK_UNCHECKED)
            task = "task-todo";
        tw_common_attrs(w, item, it, task, NULL, NULL);
        w_blocks_mixed(w, item, it, depth + 1);
    }
    if (first) /* TEI wants at least one item */
        tw_el(w, list, "item");
}

static void w_gloss(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    xmlNodePtr list = tw_el(w, parent, "list");
    tw_set_attr(list, "type", "gloss");
    tw_common_attrs(w, list, n, NULL, NULL, NULL);
    if (!dp_node_first_child(n)) { /* a gloss list wants a pair */
        tw_el(w, list, "label");
        tw_el(w, list, "item");
    }
    for (const dp_node *di = dp_node_first_child(n); di && !w->err; di = dp_node_next(di)) {
        xmlNodePtr label = NULL, item = NULL;
        for (const dp_node *c = dp_node_first_child(di); c && !w->err; c = dp_node_next(c)) {
            if (dp_node_kind(c) == DP_DEF_TERM) {
                if (item) { /* a term after a description starts a new pair */
                    label = NULL;
                    item = NULL;
                }
                if (!label) {
                    label = tw_el(w, list, "label");
                    tw_common_attrs(w, label, c, NULL, NULL, NULL);
                } else {
                    tw_el(w, label, "lb"); /* several terms share one label */
                }
                w_inlines(w, label, c, depth + 1);
            } else {
                if (!label)
                    label = tw_el(w, list, "label");
                if (!item) {
                    item = tw_el(w, list, "item");
                    tw_common_attrs(w, item, c, NULL, NULL, NULL);
                }
                w_blocks_mixed(w, item, c, depth + 1);
            }
        }
        if (label && !item)
            tw_el(w, list, "item");
    }
}

/* Caption blocks as the inline content of a <head> (blocks joined by lb). */
static void w_caption_head(tw *w, xmlNodePtr parent, const dp_node *cap, int depth)
{
    xmlNodePtr head = tw_el(w, parent, "head");
    tw_common_attrs(w, head, cap, NULL, NULL, NULL);
    int first = 1;
    for (const dp_node *b = dp_node_first_child(cap); b && !w->err; b = dp_node_next(b)) {
        if (!first)
            tw_el(w, head, "lb");
        first = 0;
        if (dp_node_kind(b) == DP_PARA || dp_node_kind(b) == DP_PLAIN) {
            w_inlines(w, head, b, depth + 1);
        } else {
            dp_warn_node(w->ctx, b, "caption %s reduced to its text", dp_kind_name(dp_node_kind(b)));
            const char *t = dp_node_plain_text(b, 1);
            tw_text(w, head, b, t, strlen(t));
        }
    }
}

static void w_table(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    static const char *const align_rend[] = {NULL, "align-left", "align-center", "align-right"};
    xmlNodePtr table = tw_el(w, parent, "table");
    tw_common_attrs(w, table, n, NULL, NULL, NULL);
    for (const dp_node *c = dp_node_first_child(n); c && !w->err; c = dp_node_next(c))
        if (dp_node_kind(c) == DP_CAPTION)
            w_caption_head(w, table, c, depth + 1);
    for (const dp_node *sec = dp_node_first_child(n); sec && !w->err; sec = dp_node_next(sec)) {
        dp_kind sk = dp_node_kind(sec);
        if (sk == DP_CAPTION)
            continue;
        for (const dp_node *r = dp_node_first_child(sec); r && !w->err; r = dp_node_next(r)) {
            xmlNodePtr row = tw_el(w, table, "row");
            if (sk == DP_TABLE_HEAD)
                tw_set_attr(row, "role", "label");
            tw_common_attrs(w, row, r, sk == DP_TABLE_FOOT ? "foot" : NULL, NULL, NULL);
            int col = 0;
            for (const dp_node *cell = dp_node_first_child(r); cell && !w->err; cell = dp_node_next(cell)) {
                xmlNodePtr ce = tw_el(w, row, "cell");
                if (dp_node_cell_header(cell) && sk != DP_TABLE_HEAD)
                    tw_set_attr(ce, "role", "label");
                char num[32];
                if (dp_node_cell_rowspan(cell) > 1) {
                    snprintf(num, sizeof num, "%d", dp_node_cell_rowspan(cell));
                    tw_set_attr(ce, "rows", num);
                }
                if (dp_node_cell_colspan(cell) > 1) {
                    snprintf(num, sizeof num, "%d", dp_node_cell_colspan(cell));
                    tw_set_attr(ce, "cols", num);
                }
                dp_align a = dp_node_cell_align(cell);
                if (a == DP_ALIGN_DEFAULT && col < dp_node_table_cols(n))
                    a = dp_node_table_col_align(n, col);
                tw_common_attrs(w, ce, cell, a > 0 && a <= DP_ALIGN_RIGHT ? align_rend[a] : NULL, NULL, NULL);
                col += dp_node_cell_colspan(cell) > 0 ? dp_node_cell_colspan(cell) : 1;
                w_blocks_mixed(w, ce, cell, depth + 1);
            }
            if (!row->children) /* a row wants a cell */
                tw_el(w, row, "cell");
        }
    }
    int rows = 0;
    for (xmlNodePtr c = table ? table->children : NULL; c; c = c->next)
        rows += tei_is(c, "row");
    if (table && !rows) /* and a table a row */
        tw_el(w, tw_el(w, table, "row"), "cell");
}

static int only_images(const dp_node *b)
{
    int images = 0;
    for (const dp_node *c = dp_node_first_child(b); c; c = dp_node_next(c)) {
        if (dp_node_kind(c) == DP_IMAGE)
            images++;
        else if (dp_node_kind(c) == DP_SOFT_BREAK)
            continue;
        else if (dp_node_kind(c) == DP_TEXT && strspn(dp_node_text(c), " \t\r\n") == dp_node_text_len(c))
            continue;
        else
            return 0;
    }
    return images > 0;
}

static void w_figure(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    xmlNodePtr fig = tw_el(w, parent, "figure");
    tw_common_attrs(w, fig, n, NULL, NULL, NULL);
    for (const dp_node *c = dp_node_first_child(n); c && !w->err; c = dp_node_next(c))
        if (dp_node_kind(c) == DP_CAPTION)
            w_caption_head(w, fig, c, depth + 1);
    for (const dp_node *c = dp_node_first_child(n); c && !w->err; c = dp_node_next(c)) {
        dp_kind k = dp_node_kind(c);
        if (k == DP_CAPTION)
            continue;
        if ((k == DP_PARA || k == DP_PLAIN) && only_images(c)) {
            for (const dp_node *i = dp_node_first_child(c); i; i = dp_node_next(i))
                if (dp_node_kind(i) == DP_IMAGE)
                    w_image(w, fig, i, depth + 2, 1);
        } else {
            w_block(w, fig, c, depth + 1, W_ELEMENTS);
        }
    }
}

/* A DP_DIV of class "sp" (the reader's form of sp/speaker) is written as
 * <sp>; its paragraphs of class "speaker" as <speaker>. */
int tw_is_sp(const dp_node *n)
{
    return dp_node_kind(n) == DP_DIV && dp_node_has_class(n, "sp");
}

static void w_sp(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    xmlNodePtr sp = tw_el(w, parent, "sp");
    tw_common_attrs(w, sp, n, NULL, "sp", NULL);
    for (const dp_node *c = dp_node_first_child(n); c && !w->err; c = dp_node_next(c)) {
        dp_kind k = dp_node_kind(c);
        if ((k == DP_PARA || k == DP_PLAIN) && dp_node_has_class(c, "speaker")) {
            xmlNodePtr spk = tw_el(w, sp, "speaker");
            tw_common_attrs(w, spk, c, NULL, "speaker", NULL);
            w_inlines(w, spk, c, depth + 2);
        } else {
            w_block(w, sp, c, depth + 1, W_ELEMENTS);
        }
    }
}

/* A paragraph follows a bare run of inlines that still ends parent's
 * content: the run becomes an <ab> (<p> in Lite) of its own, so the two
 * read back as the two blocks they were. */
/* A PLAIN holding nothing but notes and the white space between them. */
static int only_notes(const dp_node *plain)
{
    int notes = 0;
    for (const dp_node *c = dp_node_first_child(plain); c; c = dp_node_next(c)) {
        if (dp_node_kind(c) == DP_NOTE) {
            notes++;
            continue;
        }
        if (dp_node_kind(c) != DP_TEXT && dp_node_kind(c) != DP_SOFT_BREAK)
            return 0;
        const char *t = dp_node_text(c);
        for (size_t k = 0; t && k < dp_node_text_len(c); k++)
            if (!strchr(" \t\r\n", t[k]))
                return 0;
    }
    return notes > 0;
}
static void wrap_bare_run(tw *w, xmlNodePtr parent)
{
    if (w->err || w->bare_parent != parent || !parent->last || parent->last != w->bare_last)
        return;
    w->bare_parent = NULL;
    xmlNodePtr ab = xmlNewDocNode(w->x, w->ns, BAD_CAST(w->lite ? "p" : "ab"), NULL);
    if (!ab) {
        w->err = dp_fail(w->ctx, DP_ENOMEM, NULL, 0, 0, "tei: out of memory");
        return;
    }
    xmlAddPrevSibling(w->bare_first, ab);
    while (ab->next) {
        xmlNodePtr c = ab->next;
        xmlUnlinkNode(c);
        xmlAddChild(ab, c);
    }
}

void w_block(tw *w, xmlNodePtr parent, const dp_node *n, int depth, wmode mode)
{
    if (tw_too_deep(w, n, depth) || !parent)
        return;
    xmlNodePtr e;
    switch (dp_node_kind(n)) {
    case DP_PARA:
        e = tw_el(w, parent, "p");
        tw_common_attrs(w, e, n, NULL, NULL, NULL);
        w_inlines(w, e, n, depth + 1);
        break;
    case DP_PLAIN: {
        /* Bare inlines where the element holds text, but never right after
         * another bare run: an element may receive the blocks of several
         * containers (the dd's of one term share an <item>, the divs of a
         * blockquote one <quote>), and two runs side by side would read as
         * one run of text. Never in an element that holds no text. */
        const dp_node *prev = dp_node_prev(n);
        int after_run = (prev && dp_node_kind(prev) == DP_PLAIN) ||
                        (w->bare_parent == parent && parent->last && parent->last == w->bare_last);
        int plain_run = !dp_node_id(n) && !dp_node_lang(n) && !dp_node_class_count(n) && !dp_node_attr_count(n);
        /* notes are model.global in TEI, allowed where text is not (a
         * <sourceDoc> ends with its notes): a run of notes alone needs no <ab> */
        int bare_ok = plain_run && ((mode == W_MIXED && !after_run) || only_notes(n));
        if (bare_ok) {
            xmlNodePtr before = parent->last;
            w_inlines(w, parent, n, depth + 1);
            if (parent->last != before) {
                w->bare_parent = parent;
                /* a leading text merged into a text before it: that text is part of the run */
                w->bare_first = !before ? parent->children : before->type == XML_TEXT_NODE ? before : before->next;
                w->bare_last = parent->last;
            }
        } else {
            if (after_run)
                wrap_bare_run(w, parent);
            e = tw_el(w, parent, w->lite ? "p" : "ab");
            tw_common_attrs(w, e, n, NULL, NULL, NULL);
            w_inlines(w, e, n, depth + 1);
        }
        break;
    }
    case DP_LINE_BLOCK:
        e = tw_el(w, parent, "lg");
        tw_common_attrs(w, e, n, NULL, NULL, NULL);
        for (const dp_node *l = dp_node_first_child(n); l && !w->err; l = dp_node_next(l)) {
            xmlNodePtr le = tw_el(w, e, "l");
            tw_common_attrs(w, le, l, NULL, NULL, NULL);
            w_inlines(w, le, l, depth + 2);
        }
        break;
    case DP_CODE_BLOCK:
        if (tw_egxml(w, parent, n))
            break;
        e = tw_el(w, parent, "eg");
        tw_common_attrs(w, e, n, NULL, NULL, NULL);
        tw_set_xml_attr(e, "space", "preserve");
        tw_text(w, e, n, dp_node_text(n), dp_node_text_len(n));
        break;
    case DP_RAW_BLOCK:
        w_raw(w, parent, n);
        break;
    case DP_BLOCK_QUOTE: {
        /* the reader's block <said> / <q> (class) go back as themselves:
         * their attributes (who, aloud) are not allowed on <quote> */
        const char *name = w->lite ? "q" : "quote", *cls = NULL;
        if (dp_node_has_class(n, "said") && !w->lite)
            name = cls = "said";
        else if (dp_node_has_class(n, "q"))
            name = cls = "q";
        e = tw_el(w, parent, name);
        tw_common_attrs(w, e, n, NULL, cls, NULL);
        w_blocks_mixed(w, e, n, depth + 1);
        break;
    }
    case DP_LIST:
        w_list(w, parent, n, depth);
        break;
    case DP_DEF_LIST:
        w_gloss(w, parent, n, depth);
        break;
    case DP_HEADING: {
        /* a heading where no division can open (in a list item, note, quote) */
        char lvl[8];
        snprintf(lvl, sizeof lvl, "%d", dp_node_heading_level(n));
        if (w->lite) {
            e = tw_el(w, parent, "p");
            tw_common_attrs(w, e, n, "heading", NULL, NULL);
        } else {
            e = tw_el(w, parent, "ab");
            tw_set_attr(e, "type", "heading");
            tw_common_attrs(w, e, n, NULL, NULL, NULL);
        }
        tw_set_attr(e, "n", lvl);
        w_inlines(w, e, n, depth + 1);
        break;
    }
    case DP_THEMATIC_BREAK:
        e = tw_el(w, parent, "milestone");
        tw_set_attr(e, "unit", "section");
        tw_common_attrs(w, e, n, "hr", NULL, NULL);
        break;
    case DP_TABLE:
        w_table(w, parent, n, depth);
        break;
    case DP_FIGURE:
        w_figure(w, parent, n, depth);
        break;
    case DP_DIV:
        if (tw_is_sp(n)) {
            w_sp(w, parent, n, depth);
        } else if (mode == W_SECTION) {
            e = tw_el(w, parent, "div");
            tw_common_attrs(w, e, n, NULL, NULL, NULL);
            w_section_seq(w, e, n, depth + 1, 0);
        } else {
            if (dp_node_id(n) || dp_node_class_count(n) || dp_node_attr_count(n) || dp_node_lang(n))
                dp_warn_node(w->ctx, n, "a division inside %s cannot be a TEI <div>: its content is kept, "
                                        "its attributes are not", (const char *)parent->name);
            for (const dp_node *c = dp_node_first_child(n); c && !w->err; c = dp_node_next(c))
                w_block(w, parent, c, depth + 1, mode); /* figure, sp: still no bare text */
        }
        break;
    case DP_PAGE_BREAK:
        w_inline(w, parent, n, depth);
        break;
    case DP_CUSTOM:
        if (dp_node_is_block(n))
            w_custom(w, parent, n, depth, 1);
        else
            w_inline(w, parent, n, depth);
        break;
    case DP_CAPTION:
        w_caption_head(w, parent, n, depth);
        break;
    default:
        if (dp_kind_is_inline(dp_node_kind(n))) {
            w_inline(w, parent, n, depth);
        } else {
            dp_warn_node(w->ctx, n, "%s node out of place: its text is kept", dp_kind_name(dp_node_kind(n)));
            const char *t = dp_node_plain_text(n, 0);
            e = tw_el(w, parent, "p");
            tw_text(w, e, n, t, strlen(t));
        }
        break;
    }
}

void w_blocks_mixed(tw *w, xmlNodePtr parent, const dp_node *container, int depth)
{
    for (const dp_node *c = dp_node_first_child(container); c && !w->err; c = dp_node_next(c))
        w_block(w, parent, c, depth, W_MIXED);
}

