/* TEI importer: block-level elements -> blocks: the dispatch of block
 * context (r_blocks), p/ab, figure, lg, sp, eg, raw blocks, milestones.
 * Lists, tables and divisions have files of their own. */
#include "tei_read_internal.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Blocks                                                               */

/* <p> (kind PARA) or <ab> (PLAIN): inline content, split around blocks. */
static void r_para(tr *r, dp_node *parent, const xmlNode *e, dp_kind kind, int depth, int level)
{
    dp_node *cur = tr_mk(r, kind, e);
    tr_read_attrs(r, cur, e, NULL);
    tr_add(r, parent, cur);
    for (const xmlNode *c = e->children; c && !r->err; c = c->next) {
        /* an example that spans lines is a block of its own, as <eg> is */
        if (c->type == XML_ELEMENT_NODE && (tr_breaks_para(c) || (tr_is_egxml(c) && tr_egxml_spans_lines(c)))) {
            r_block_one(r, parent, c, depth + 1, level);
            cur = NULL;
            continue;
        }
        if (!cur) {
            /* a continuation after a block; whitespace alone does not start one */
            if ((c->type == XML_TEXT_NODE) && strspn((const char *)c->content, " \t\r\n") == strlen((const char *)c->content))
                continue;
            cur = tr_mk(r, kind, c);
            tr_add(r, parent, cur);
        }
        r_inline(r, cur, c, depth + 1);
    }
}

static void r_figure(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    dp_node *fig = tr_mk(r, DP_FIGURE, e);
    tr_read_attrs(r, fig, e, NULL);
    tr_add(r, parent, fig);
    dp_node *cap = NULL, *last_img = NULL;
    for (const xmlNode *c = e->children; c && !r->err; c = c->next) {
        if (tr_named(c, "head")) {
            if (cap)
                continue;
            cap = tr_mk(r, DP_CAPTION, c);
            tr_read_attrs(r, cap, c, NULL);
            dp_node *pl = tr_mk(r, DP_PLAIN, c);
            tr_add(r, cap, pl);
            r_inlines(r, pl, c->children, depth + 2);
        } else if (tr_named(c, "graphic")) {
            dp_node *pl = tr_mk(r, DP_PLAIN, c);
            tr_add(r, fig, pl);
            r_inline(r, pl, c, depth + 2);
            last_img = dp_node_last_child(pl);
        } else if (tr_named(c, "figDesc")) {
            if (last_img && !dp_node_first_child(last_img)) {
                r_inlines(r, last_img, c->children, depth + 2);
            } else {
                dp_node *p = tr_mk(r, DP_PARA, c);
                dp_node_add_class(p, "figDesc");
                tr_add(r, fig, p);
                r_inlines(r, p, c->children, depth + 2);
            }
        } else if (c->type == XML_ELEMENT_NODE) {
            r_block_one(r, fig, c, depth + 1, 0);
        }
    }
    if (cap)
        tr_add(r, fig, cap);
}

static void r_lg(tr *r, dp_node *parent, const xmlNode *e, int depth, dp_node *lb)
{
    if (!lb) {
        lb = tr_mk(r, DP_LINE_BLOCK, e);
        tr_read_attrs(r, lb, e, NULL);
        tr_add(r, parent, lb);
    }
    for (const xmlNode *c = e->children; c && !r->err; c = c->next) {
        if (tr_named(c, "l") || tr_named(c, "head")) {
            dp_node *l = tr_mk(r, DP_LINE, c);
            tr_read_attrs(r, l, c, NULL);
            if (tr_named(c, "head"))
                dp_node_add_class(l, "head");
            tr_add(r, lb, l);
            r_inlines(r, l, c->children, depth + 2);
        } else if (tr_named(c, "lg")) {
            dp_info(r->ctx, "%s:%d: nested <lg> read as lines of the outer line group", r->path, (int)c->line);
            r_lg(r, parent, c, depth + 1, lb);
        } else if (c->type == XML_ELEMENT_NODE) {
            dp_node *l = tr_mk(r, DP_LINE, c);
            tr_add(r, lb, l);
            r_inline(r, l, c, depth + 2);
        }
    }
}

/* sp -> a division of class "sp"; its speaker(s) -> paragraphs of class "speaker". */
static void r_sp(tr *r, dp_node *parent, const xmlNode *e, int depth, int level)
{
    dp_node *div = tr_mk(r, DP_DIV, e);
    tr_read_attrs(r, div, e, NULL);
    dp_node_add_class(div, "sp");
    tr_add(r, parent, div);
    r_blocks(r, div, e->children, depth + 1, level);
}

/* <ab type="raw"> (Lite: <p rend="raw">) holding only a <seg type="raw">:
 * the writer's raw block (tei_write_util.c, w_raw). 0 when e is not that. */
static int r_raw_block(tr *r, dp_node *parent, const xmlNode *e)
{
    const char *mark = tr_attr(r, e, tr_named(e, "ab") ? "type" : "rend");
    if (!mark || strcmp(mark, "raw") != 0)
        return 0;
    const xmlNode *seg = NULL;
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            const char *type = tr_attr(r, c, "type");
            if (seg || !tr_named(c, "seg") || !type || strcmp(type, "raw") != 0)
                return 0;
            seg = c;
        } else if (!tr_blank(c)) {
            return 0;
        }
    }
    if (!seg)
        return 0;
    tr_add(r, parent, tr_raw_seg(r, seg, DP_RAW_BLOCK));
    return 1;
}

/* Handles one element met in block context. Returns 0 when the element is
 * phrase-level (the caller adds it to the implicit PLAIN). */
static int r_block_el(tr *r, dp_node *parent, const xmlNode *e, int depth, int level)
{
    if (tr_is_egxml(e)) {
        tr_read_egxml(r, parent, e, DP_CODE_BLOCK);
        return 1;
    }
    if (!tr_is_tei_el(e))
        return 0;
    const char *name = tr_ename(e);
    dp_node *n;
    if ((strcmp(name, "p") == 0 || strcmp(name, "ab") == 0) && r_raw_block(r, parent, e))
        return 1;
    if (strcmp(name, "p") == 0) {
        if (tr_has_token(tr_attr(r, e, "rend"), "heading") && tr_attr(r, e, "n"))
            r_heading_from(r, parent, e, depth);
        else
            r_para(r, parent, e, DP_PARA, depth, level);
    } else if (strcmp(name, "ab") == 0) {
        const char *type = tr_attr(r, e, "type");
        if (type && strcmp(type, "heading") == 0)
            r_heading_from(r, parent, e, depth);
        else
            r_para(r, parent, e, DP_PLAIN, depth, level);
    } else if (tr_is_divname(e) || strcmp(name, "noteGrp") == 0) {
        if (tr_only_placed_notes(r, e))
            return 1; /* <div type="notes"> emptied by placing its notes */
        if (strcmp(name, "noteGrp") == 0)
            return -1;
        r_div(r, parent, e, depth, level);
    } else if (strcmp(name, "head") == 0) {
        /* the head of an element kept as itself (msDesc, listBibl ...) stays
         * its <head>: as a heading it came back as <ab>, invalid there */
        if (dp_node_kind(parent) == DP_CUSTOM)
            return -1;
        n = tr_mk(r, DP_HEADING, e);
        dp_node_set_heading_level(n, level + 1 > 6 ? 6 : level + 1);
        tr_read_attrs(r, n, e, NULL);
        tr_add(r, parent, n);
        r_inlines(r, n, e->children, depth + 1);
    } else if (strcmp(name, "list") == 0 || strcmp(name, "listBibl") == 0) {
        if (strcmp(name, "listBibl") == 0)
            return -1;
        r_list(r, parent, e, depth);
    } else if (strcmp(name, "table") == 0) {
        r_table(r, parent, e, depth);
    } else if (strcmp(name, "figure") == 0) {
        if (tr_is_inline_figure(e))
            return 0;
        r_figure(r, parent, e, depth);
    } else if (strcmp(name, "lg") == 0) {
        r_lg(r, parent, e, depth, NULL);
    } else if (strcmp(name, "l") == 0) {
        n = tr_mk(r, DP_LINE_BLOCK, e);
        tr_add(r, parent, n);
        dp_node *l = tr_mk(r, DP_LINE, e);
        tr_read_attrs(r, l, e, NULL);
        tr_add(r, n, l);
        r_inlines(r, l, e->children, depth + 2);
    } else if (strcmp(name, "sp") == 0) {
        r_sp(r, parent, e, depth, level);
    } else if (strcmp(name, "quote") == 0 || ((strcmp(name, "q") == 0 || strcmp(name, "said") == 0) &&
                                                tr_has_block_child(e))) {
        n = tr_mk(r, DP_BLOCK_QUOTE, e);
        tr_read_attrs(r, n, e, NULL);
        if (strcmp(name, "quote") != 0)
            dp_node_add_class(n, name);
        tr_add(r, parent, n);
        r_blocks(r, n, e->children, depth + 1, 0);
    } else if (strcmp(name, "eg") == 0) {
        xmlChar *c = xmlNodeGetContent(e);
        n = dp_node_new_text(r->doc, DP_CODE_BLOCK, c ? (const char *)c : "", c ? strlen((const char *)c) : 0);
        xmlFree(c);
        tr_read_attrs(r, n, e, NULL);
        dp_node_set_attr(n, "tei:xml:space", NULL); /* the writer always sets it on <eg> */
        tr_add(r, parent, n);
    } else if (strcmp(name, "pb") == 0 || strcmp(name, "milestone") == 0) {
        const char *rend = tr_attr(r, e, "rend");
        const char *unit = tr_attr(r, e, "unit");
        if (strcmp(name, "milestone") == 0 && tr_has_token(rend, "hr") && unit && strcmp(unit, "section") == 0) {
            n = tr_mk(r, DP_THEMATIC_BREAK, e);
            static const char *const skip[] = {"unit", NULL};
            tr_read_attrs(r, n, e, skip);
            dp_node_remove_class(n, "hr");
            tr_add(r, parent, n);
            return 1;
        }
        dp_node *holder = tr_mk(r, DP_PLAIN, e);
        r_inline(r, holder, e, depth + 1);
        n = dp_node_first_child(holder);
        if (n) {
            dp_node_set_block_milestone(n, 1);
            tr_add(r, parent, n);
        }
    } else if (strcmp(name, "front") == 0 || strcmp(name, "back") == 0) {
        if (tr_only_placed_notes(r, e))
            return 1;
        n = tr_mk(r, DP_DIV, e);
        tr_read_attrs(r, n, e, NULL);
        dp_node_add_class(n, name);
        tr_add(r, parent, n);
        r_blocks(r, n, e->children, depth + 1, level);
        /* nothing left (a generated title page was all it held) */
        if (n && !dp_node_first_child(n) && !dp_node_id(n) && !dp_node_attr_count(n))
            dp_node_unlink(n);
    } else if (strcmp(name, "body") == 0 || strcmp(name, "text") == 0 || strcmp(name, "group") == 0) {
        r_blocks(r, parent, e->children, depth + 1, level);
    } else if (strcmp(name, "speaker") == 0 && dp_node_kind(parent) == DP_DIV && dp_node_has_class(parent, "sp")) {
        n = tr_mk(r, DP_PARA, e);
        tr_read_attrs(r, n, e, NULL);
        dp_node_add_class(n, "speaker");
        tr_add(r, parent, n);
        r_inlines(r, n, e->children, depth + 1);
    } else if (strcmp(name, "item") == 0 || strcmp(name, "row") == 0 || strcmp(name, "cell") == 0 ||
               strcmp(name, "figDesc") == 0 || strcmp(name, "speaker") == 0) {
        /* out of its list / table / figure / sp (invalid TEI): its content */
        dp_warn_at(r->ctx, r->path, (int)e->line, 0, "tei: <%s> outside its container: read as its content",
                   name);
        r_blocks(r, parent, e->children, depth + 1, level);
    } else if (strcmp(name, "titlePage") == 0 && tr_attr(r, e, "type") && strcmp(tr_attr(r, e, "type"), "docpipe") == 0) {
        /* the writer's title-page option: it repeats the header's metadata */
        dp_info(r->ctx, "%s:%d: generated titlePage skipped (its content is in the teiHeader)", r->path,
                (int)e->line);
    } else if (strcmp(name, "teiHeader") == 0) {
        dp_warn_at(r->ctx, r->path, (int)e->line, 0, "tei: a teiHeader inside the text is not read");
    } else if (tr_is_phrase(e)) {
        return 0;
    } else {
        return -1;
    }
    return 1;
}

/* One element in block context (an unknown one becomes a block custom). */
void r_block_one(tr *r, dp_node *parent, const xmlNode *e, int depth, int level)
{
    if (e->type != XML_ELEMENT_NODE)
        return;
    int done = r_block_el(r, parent, e, depth, level);
    if (done > 0)
        return;
    if (done < 0) {
        dp_node *cn = tr_custom(r, e, 1);
        tr_add(r, parent, cn);
        r_blocks(r, cn, e->children, depth + 1, level);
        return;
    }
    dp_node *plain = tr_mk(r, DP_PLAIN, e);
    tr_add(r, parent, plain);
    r_inline(r, plain, e, depth + 1);
}


/* Block context: c and every following sibling. */
void r_blocks(tr *r, dp_node *parent, const xmlNode *first, int depth, int level)
{
    dp_node *plain = NULL;
    /* the last sibling that is not a division (r_div: does one follow?) */
    const xmlNode *last_other = NULL, *last = first && first->parent ? first->parent->last : NULL;
    if (first && !last)
        for (last = first; last->next; last = last->next)
            ;
    for (const xmlNode *s = last; s && !last_other; s = s == first ? NULL : s->prev)
        if (tr_not_division(s))
            last_other = s;
    int other_ahead = last_other != NULL;
    for (const xmlNode *c = first; c && !r->err; c = c->next) {
        if (c == last_other)
            other_ahead = 0;
        if (tr_too_deep(r, c, depth))
            return;
        if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
            continue;
        if (c->type == XML_ELEMENT_NODE) {
            r->blocks_at = c;
            r->blocks_other_ahead = other_ahead;
            int done = r_block_el(r, parent, c, depth, level);
            if (done > 0) {
                plain = NULL;
                continue;
            }
            if (done < 0) {
                /* unknown element in block context: a block custom node */
                dp_node *cn = tr_custom(r, c, 1);
                tr_add(r, parent, cn);
                r_blocks(r, cn, c->children, depth + 1, level);
                plain = NULL;
                continue;
            }
        } else if (!plain && tr_blank(c)) {
            continue;
        }
        if (!plain) {
            plain = tr_mk(r, DP_PLAIN, c);
            tr_add(r, parent, plain);
        }
        r_inline(r, plain, c, depth + 1);
    }
}
