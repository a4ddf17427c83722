/* Tables -> GFM pipe tables, or raw HTML table tags around Markdown cells
 * when the table does not fit GFM. GFM table nodes carry data only the
 * parser allocates, so the table is made by parsing a skeleton of "x"
 * cells (with the alignments) whose cells are then emptied and filled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "md_write.h"

/* ------------------------------------------------------------------ */
/* Tables */

/* Whether a table fits GFM: no caption or foot, one header row at most,
 * no spans, every cell empty or one paragraph. */
static int gfm_table_ok(const dp_node *table, int *ncols, int *nrows, int *has_head)
{
    int cols = dp_node_table_cols(table), rows = 0, heads = 0;
    for (const dp_node *s = dp_node_first_child(table); s; s = dp_node_next(s)) {
        dp_kind k = dp_node_kind(s);
        if (k != DP_TABLE_HEAD && k != DP_TABLE_BODY)
            return 0;
        if (k == DP_TABLE_HEAD && s != dp_node_first_child(table))
            return 0;
        for (const dp_node *row = dp_node_first_child(s); row; row = dp_node_next(row)) {
            int n = 0;
            if (k == DP_TABLE_HEAD)
                heads++;
            else
                rows++;
            for (const dp_node *c = dp_node_first_child(row); c; c = dp_node_next(c)) {
                const dp_node *b = dp_node_first_child(c);
                if (dp_node_cell_rowspan(c) != 1 || dp_node_cell_colspan(c) != 1 || mdw_has_attrs(c))
                    return 0;
                if (b && (dp_node_next(b) || (dp_node_kind(b) != DP_PARA && dp_node_kind(b) != DP_PLAIN)))
                    return 0;
                n++;
            }
            if (n > cols)
                cols = n;
        }
    }
    if (heads > 1 || cols < 1 || cols > 200 || mdw_has_attrs(table))
        return 0;
    *ncols = cols;
    *nrows = rows;
    *has_head = heads;
    return 1;
}

int mdw_table_enter(md_writer *w, frame *f)
{
    int ncols, nrows, has_head;
    const dp_node *t = f->node;
    if (!gfm_table_ok(t, &ncols, &nrows, &has_head)) {
        dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.raw-html", t, "table with caption, foot, spans, block content or attributes: written as raw "
                                "HTML tags around Markdown cells");
        return mdw_open_html(w, f, "table", "</table>", 1);
    }
    if (!has_head)
        dp_warn_node(w->ctx, t, "table without a header row: GFM needs one, an empty header row is written");
    dp_buf *b = NULL;
    if (dp_buf_new(&b) < 0)
        return mdw_nomem(w);
    int rc = 0;
    for (int r = 0; r < 2 + nrows && rc >= 0; r++) {
        rc = dp_buf_puts(b, "|");
        for (int c = 0; c < ncols && rc >= 0; c++) {
            if (r != 1) {
                rc = dp_buf_puts(b, " x |");
                continue;
            }
            dp_align a = dp_node_table_col_align(t, c);
            rc = dp_buf_puts(b, a == DP_ALIGN_LEFT     ? " :-- |"
                                : a == DP_ALIGN_CENTER ? " :-: |"
                                : a == DP_ALIGN_RIGHT  ? " --: |"
                                                       : " --- |");
        }
        if (rc >= 0)
            rc = dp_buf_puts(b, "\n");
    }
    if (rc >= 0)
        rc = dp_buf_append(b, "", 1);
    cmark_node *doc = NULL;
    if (rc >= 0)
        rc = mdw_parse_snippet(w, (const char *)dp_buf_data(b), 0, &doc);
    dp_buf_free(b);
    if (rc < 0)
        return w->failed ? rc : mdw_nomem(w);
    cmark_node *table = cmark_node_first_child(doc);
    if (!table || cmark_node_get_type(table) != CMARK_NODE_TABLE) {
        cmark_node_free(doc);
        return dp_fail(w->ctx, DP_EINTERNAL, NULL, 0, 0, "GFM table skeleton not recognised");
    }
    cmark_node_unlink(table);
    cmark_node_free(doc);
    /* Empty every skeleton cell. */
    for (cmark_node *row = cmark_node_first_child(table); row; row = cmark_node_next(row))
        for (cmark_node *cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell))
            while (cmark_node_first_child(cell))
                cmark_node_free(cmark_node_first_child(cell));
    rc = mdw_add(w, table);
    f->mode = FRAME_NODE;
    f->cm = table;
    f->cursor = cmark_node_first_child(table);
    if (!has_head && f->cursor)
        f->cursor = cmark_node_next(f->cursor); /* the empty header row stays empty */
    return rc;
}

/* ENTER of a DP_TABLE_HEAD, _BODY or _FOOT: nothing in a GFM table; else
 * the raw HTML tags of the section. */
int mdw_table_part_enter(md_writer *w, frame *f)
{
    dp_kind k = dp_node_kind(f->node);
    frame *t = mdw_enclosing(w, DP_TABLE);
    if (t && t->mode == FRAME_NODE) {
        f->mode = FRAME_TRANSPARENT;
        return 0;
    }
    return mdw_open_html(w, f, k == DP_TABLE_HEAD ? "thead" : k == DP_TABLE_BODY ? "tbody" : "tfoot",
                     k == DP_TABLE_HEAD ? "</thead>" : k == DP_TABLE_BODY ? "</tbody>" : "</tfoot>", 1);
}

/* ENTER of a DP_TABLE_ROW: the next skeleton row of a GFM table, or <tr>. */
int mdw_table_row_enter(md_writer *w, frame *f)
{
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

/* ENTER of a DP_TABLE_CELL: the next skeleton cell of a GFM row, or <td>/<th>
 * with its spans and alignment. */
int mdw_table_cell_enter(md_writer *w, frame *f)
{
    const dp_node *n = f->node;
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
