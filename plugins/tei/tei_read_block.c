/* TEI importer: block-level elements (p, div, list, table, figure, lg, sp ...) -> blocks. */
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

static void r_list(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    const char *type = tr_attr(r, e, "type");
    int gloss = tr_has_token(type, "gloss");
    for (const xmlNode *c = e->children; c && !gloss; c = c->next)
        gloss = tr_named(c, "label");
    for (const xmlNode *c = e->children; c; c = c->next)
        if (tr_named(c, "head")) {
            dp_node *h = tr_mk(r, DP_PARA, c);
            dp_node_add_class(h, "head");
            tr_read_attrs(r, h, c, NULL);
            tr_add(r, parent, h);
            r_inlines(r, h, c->children, depth + 1);
        }
    if (gloss) {
        dp_node *dl = tr_mk(r, DP_DEF_LIST, e);
        static const char *const skip[] = {"type", NULL};
        tr_read_attrs(r, dl, e, tr_has_token(type, "gloss") ? skip : NULL);
        tr_add(r, parent, dl);
        dp_node *di = NULL;
        for (const xmlNode *c = e->children; c && !r->err; c = c->next) {
            if (tr_named(c, "label")) {
                di = tr_mk(r, DP_DEF_ITEM, c);
                tr_add(r, dl, di);
                dp_node *t = tr_mk(r, DP_DEF_TERM, c);
                tr_read_attrs(r, t, c, NULL);
                tr_add(r, di, t);
                r_inlines(r, t, c->children, depth + 2);
            } else if (tr_named(c, "item")) {
                if (!di) {
                    di = tr_mk(r, DP_DEF_ITEM, c);
                    tr_add(r, dl, di);
                    tr_add(r, di, tr_mk(r, DP_DEF_TERM, c));
                }
                dp_node *d = tr_mk(r, DP_DEF_DESC, c);
                tr_read_attrs(r, d, c, NULL);
                tr_add(r, di, d);
                r_blocks(r, d, c->children, depth + 2, 0);
                di = NULL;
            }
        }
        return;
    }
    dp_node *list = tr_mk(r, DP_LIST, e);
    const char *rend = tr_attr(r, e, "rend");
    int ordered = 0;
    dp_list_style style = DP_STYLE_DEFAULT;
    static const char *const ord[] = {"numbered", "ordered", "decimal", "arabic", "lower-alpha", "upper-alpha",
                                      "lower-roman", "upper-roman", NULL};
    for (int i = 0; ord[i]; i++)
        if (tr_has_token(rend, ord[i]) || tr_has_token(type, ord[i])) {
            ordered = 1;
            if (i >= 2)
                style = i == 2 || i == 3 ? DP_STYLE_DECIMAL : (dp_list_style)(i - 2);
        }
    int start = 1, tight = 1, first = 1;
    for (const xmlNode *c = e->children; c && !r->err; c = c->next) {
        if (!tr_named(c, "item"))
            continue;
        dp_node *li = tr_mk(r, DP_LIST_ITEM, c);
        const char *n = tr_attr(r, c, "n");
        if (first && n && ordered && isdigit((unsigned char)n[0]))
            start = atoi(n);
        const char *irend = tr_attr(r, c, "rend");
        static const char *const skip_n[] = {"n", NULL};
        tr_read_attrs(r, li, c, first && ordered && n && isdigit((unsigned char)n[0]) ? skip_n : NULL);
        if (tr_has_token(irend, "task-done")) {
            dp_node_set_task(li, DP_TASK_CHECKED);
            dp_node_remove_class(li, "task-done");
        } else if (tr_has_token(irend, "task-todo")) {
            dp_node_set_task(li, DP_TASK_UNCHECKED);
            dp_node_remove_class(li, "task-todo");
        }
        first = 0;
        tr_add(r, list, li);
        r_blocks(r, li, c->children, depth + 2, 0);
        for (const dp_node *b = dp_node_first_child(li); b; b = dp_node_next(b))
            if (dp_node_kind(b) == DP_PARA)
                tight = 0;
    }
    dp_node_set_list(list, ordered ? DP_LIST_ORDERED : DP_LIST_BULLET, start, DP_DELIM_DEFAULT, style, tight);
    static const char *const skip[] = {"rend", NULL};
    tr_read_attrs(r, list, e, skip);
    if (rend) {
        char *copy = strdup(rend), *save = NULL;
        for (char *t = copy ? strtok_r(copy, " \t\r\n", &save) : NULL; t; t = strtok_r(NULL, " \t\r\n", &save)) {
            int known = strcmp(t, "bulleted") == 0;
            for (int i = 0; ord[i]; i++)
                known |= strcmp(t, ord[i]) == 0;
            if (!known)
                dp_node_add_class(list, t);
        }
        free(copy);
    }
    tr_add(r, parent, list);
}

/* Alignment shared by every cell of a column is the column's (the writer
 * repeats a column's alignment on each cell, TEI having no column specs). */
static void column_aligns(dp_node *table, int ncols)
{
    dp_align *al = calloc((size_t)ncols, sizeof *al);
    int *seen = calloc((size_t)ncols, sizeof *seen);
    int uniform = al && seen;
    for (dp_node *sec = dp_node_first_child(table); sec && uniform; sec = dp_node_next(sec)) {
        if (dp_node_kind(sec) == DP_CAPTION)
            continue;
        for (dp_node *row = dp_node_first_child(sec); row && uniform; row = dp_node_next(row)) {
            int col = 0;
            for (dp_node *c = dp_node_first_child(row); c && uniform; c = dp_node_next(c), col++) {
                if (dp_node_cell_rowspan(c) > 1 || dp_node_cell_colspan(c) > 1 || col >= ncols) {
                    uniform = 0; /* spans: leave the alignment on the cells */
                } else if (!seen[col]) {
                    seen[col] = 1;
                    al[col] = dp_node_cell_align(c);
                } else if (al[col] != dp_node_cell_align(c)) {
                    al[col] = DP_ALIGN_DEFAULT;
                    seen[col] = 2; /* mixed */
                }
            }
        }
    }
    if (uniform) {
        for (int i = 0; i < ncols; i++)
            if (seen[i] == 2)
                al[i] = DP_ALIGN_DEFAULT;
        for (dp_node *sec = dp_node_first_child(table); sec; sec = dp_node_next(sec)) {
            if (dp_node_kind(sec) == DP_CAPTION)
                continue;
            for (dp_node *row = dp_node_first_child(sec); row; row = dp_node_next(row)) {
                int col = 0;
                for (dp_node *c = dp_node_first_child(row); c; c = dp_node_next(c), col++)
                    if (seen[col] == 1 && al[col] != DP_ALIGN_DEFAULT)
                        dp_node_set_cell(c, DP_ALIGN_DEFAULT, 1, 1, dp_node_cell_header(c));
            }
        }
        dp_node_set_table_cols(table, ncols, al, NULL);
    } else {
        dp_node_set_table_cols(table, ncols, NULL, NULL);
    }
    free(al);
    free(seen);
}

static void r_table(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    dp_node *table = tr_mk(r, DP_TABLE, e);
    tr_read_attrs(r, table, e, NULL);
    tr_add(r, parent, table);
    dp_node *thead = NULL, *tbody = NULL, *tfoot = NULL;
    int ncols = 0;
    for (const xmlNode *c = e->children; c && !r->err; c = c->next) {
        if (tr_named(c, "head")) {
            dp_node *cap = tr_mk(r, DP_CAPTION, c);
            tr_read_attrs(r, cap, c, NULL);
            dp_node *pl = tr_mk(r, DP_PLAIN, c);
            tr_add(r, cap, pl);
            r_inlines(r, pl, c->children, depth + 2);
            if (dp_node_first_child(table))
                dp_node_insert_before(dp_node_first_child(table), cap);
            else
                tr_add(r, table, cap);
            continue;
        }
        if (!tr_named(c, "row"))
            continue;
        const char *role = tr_attr(r, c, "role");
        int label_row = role && strcmp(role, "label") == 0;
        int foot = tr_has_token(tr_attr(r, c, "rend"), "foot");
        dp_node *sec;
        if (foot) {
            if (!tfoot)
                tfoot = tr_mk(r, DP_TABLE_FOOT, c);
            sec = tfoot;
        } else if (label_row && !tbody) {
            if (!thead) {
                thead = tr_mk(r, DP_TABLE_HEAD, c);
                tr_add(r, table, thead);
            }
            sec = thead;
        } else {
            if (!tbody) {
                tbody = tr_mk(r, DP_TABLE_BODY, c);
                tr_add(r, table, tbody);
            }
            sec = tbody;
        }
        dp_node *row = tr_mk(r, DP_TABLE_ROW, c);
        static const char *const skip_row[] = {"role", NULL};
        tr_read_attrs(r, row, c, label_row && sec == thead ? skip_row : NULL);
        dp_node_remove_class(row, "foot");
        tr_add(r, sec, row);
        int cols = 0;
        for (const xmlNode *ce = c->children; ce && !r->err; ce = ce->next) {
            if (!tr_named(ce, "cell"))
                continue;
            dp_node *cell = tr_mk(r, DP_TABLE_CELL, ce);
            const char *crole = tr_attr(r, ce, "role");
            const char *rows = tr_attr(r, ce, "rows"), *cs = tr_attr(r, ce, "cols");
            const char *crend = tr_attr(r, ce, "rend");
            dp_align al = DP_ALIGN_DEFAULT;
            if (tr_has_token(crend, "align-left"))
                al = DP_ALIGN_LEFT;
            else if (tr_has_token(crend, "align-center"))
                al = DP_ALIGN_CENTER;
            else if (tr_has_token(crend, "align-right"))
                al = DP_ALIGN_RIGHT;
            int rs = rows ? atoi(rows) : 1, csp = cs ? atoi(cs) : 1;
            dp_node_set_cell(cell, al, rs > 0 ? rs : 1, csp > 0 ? csp : 1,
                             (crole && strcmp(crole, "label") == 0) || (label_row && sec == thead));
            static const char *const skip[] = {"role", "rows", "cols", NULL};
            tr_read_attrs(r, cell, ce, skip);
            dp_node_remove_class(cell, "align-left");
            dp_node_remove_class(cell, "align-center");
            dp_node_remove_class(cell, "align-right");
            tr_add(r, row, cell);
            r_blocks(r, cell, ce->children, depth + 3, 0);
            cols += csp > 0 ? csp : 1;
        }
        if (cols > ncols)
            ncols = cols;
    }
    if (tfoot)
        tr_add(r, table, tfoot);
    if (ncols > 0 && ncols < 10000)
        column_aligns(table, ncols);
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

static void r_div(tr *r, dp_node *parent, const xmlNode *e, int depth, int level)
{
    int lvl = level + 1;
    const xmlNode *head = NULL;
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            if (tr_named(c, "head"))
                head = c;
            break;
        }
    }
    if (!head) {
        dp_node *div = tr_mk(r, DP_DIV, e);
        tr_read_attrs(r, div, e, NULL);
        tr_add(r, parent, div);
        r_blocks(r, div, e->children, depth + 1, lvl);
        return;
    }
    /* A division followed by something other than divisions (a titlePage
     * after the front's divs, a trailer) cannot be flattened into a heading
     * without swallowing what follows: it stays a DP_DIV round its heading. */
    int wrap = 0;
    for (const xmlNode *s = e->next; s && !wrap; s = s->next)
        wrap = (s->type == XML_ELEMENT_NODE && !tr_is_divname(s)) ||
               ((s->type == XML_TEXT_NODE || s->type == XML_CDATA_SECTION_NODE) && !tr_blank(s));
    if (wrap) {
        dp_node *div = tr_mk(r, DP_DIV, e);
        tr_add(r, parent, div);
        parent = div;
    }
    dp_node *h = tr_mk(r, DP_HEADING, head);
    dp_node_set_heading_level(h, lvl > 6 ? 6 : lvl);
    /* the division's attributes travel on its heading: xml:id as the id,
     * the others (type, n ...) as tei:* for the writer's <div> */
    tr_read_attrs(r, h, e, NULL);
    for (int i = dp_node_class_count(h) - 1; i >= 0; i--) {
        /* div@rend is not the head's rendering: keep it as an attribute */
        char *cls = dp_doc_strdup(r->doc, dp_node_class_at(h, i));
        dp_node_remove_class(h, cls);
        const char *old = dp_node_attr(h, "tei:rend");
        char buf[512];
        snprintf(buf, sizeof buf, "%s%s%s", cls, old ? " " : "", old ? old : "");
        dp_node_set_attr(h, "tei:rend", buf);
    }
    const char *hl = tr_xml_attr(r, head, "lang");
    if (hl)
        dp_node_set_lang(h, hl);
    const char *hrend = tr_attr(r, head, "rend");
    char *copy = strdup(hrend ? hrend : ""), *save = NULL;
    for (char *t = copy ? strtok_r(copy, " \t\r\n", &save) : NULL; t; t = strtok_r(NULL, " \t\r\n", &save)) {
        /* rend="h3": the writer's note of a level that differs from the depth */
        if (t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && t[2] == '\0')
            dp_node_set_heading_level(h, t[1] - '0');
        else
            dp_node_add_class(h, t);
    }
    free(copy);
    if (lvl > 6)
        dp_warn_at(r->ctx, r->path, (int)e->line, 0, "tei: division nested %d deep: its heading is level 6", lvl);
    tr_add(r, parent, h);
    r_inlines(r, h, head->children, depth + 1);
    r_blocks(r, parent, head->next, depth + 1, lvl);
}

static dp_node *heading_from(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    const char *n = tr_attr(r, e, "n");
    int lvl = n ? atoi(n) : 1;
    dp_node *h = tr_mk(r, DP_HEADING, e);
    dp_node_set_heading_level(h, lvl >= 1 && lvl <= 6 ? lvl : 1);
    static const char *const skip[] = {"n", "type", NULL};
    tr_read_attrs(r, h, e, skip);
    dp_node_remove_class(h, "heading");
    tr_add(r, parent, h);
    r_inlines(r, h, e->children, depth + 1);
    return h;
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
            heading_from(r, parent, e, depth);
        else
            r_para(r, parent, e, DP_PARA, depth, level);
    } else if (strcmp(name, "ab") == 0) {
        const char *type = tr_attr(r, e, "type");
        if (type && strcmp(type, "heading") == 0)
            heading_from(r, parent, e, depth);
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
    for (const xmlNode *c = first; c && !r->err; c = c->next) {
        if (tr_too_deep(r, c, depth))
            return;
        if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
            continue;
        if (c->type == XML_ELEMENT_NODE) {
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

