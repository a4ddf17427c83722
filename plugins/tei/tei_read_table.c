/* TEI importer: <table> (head, rows, cells with roles, spans and alignment) -> a table. */
#include "tei_read_internal.h"

#include <stdlib.h>
#include <string.h>

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

void r_table(tr *r, dp_node *parent, const xmlNode *e, int depth)
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
