/* Tables as pandoc's Table element: caption, colspecs, head, bodies with
 * their row-head columns, foot; row and column spans kept. */
#include "pandoc_write_priv.h"

static const char *align_name(dp_align a)
{
    static const char *const names[] = {"AlignDefault", "AlignLeft", "AlignCenter", "AlignRight"};
    return names[a <= DP_ALIGN_RIGHT ? a : 0];
}

/* pandoc's Caption: [short caption (null), [blocks]] */
void pw_caption(pw *p, const dp_node *cap)
{
    jw_raw(&p->w, "[null,");
    pw_block_list(p, cap ? dp_node_first_child(cap) : NULL);
    jw_raw(&p->w, "]");
}

static void rows(pw *p, const dp_node *section, int from_row, int to_row)
{
    int first = 1, r = 0;
    jw_raw(&p->w, "[");
    for (const dp_node *row = section ? dp_node_first_child(section) : NULL; row; row = dp_node_next(row), r++) {
        int cfirst = 1;
        if (dp_node_kind(row) != DP_TABLE_ROW || r < from_row || (to_row >= 0 && r >= to_row))
            continue;
        jw_raw(&p->w, first ? "[" : ",[");
        first = 0;
        pw_attr(p, row);
        jw_raw(&p->w, ",[");
        for (const dp_node *cell = dp_node_first_child(row); cell; cell = dp_node_next(cell)) {
            if (dp_node_kind(cell) != DP_TABLE_CELL)
                continue;
            jw_raw(&p->w, cfirst ? "[" : ",[");
            cfirst = 0;
            pw_attr(p, cell);
            jw_raw(&p->w, ",{\"t\":\"");
            jw_raw(&p->w, align_name(dp_node_cell_align(cell)));
            jw_raw(&p->w, "\"},");
            jw_int(&p->w, dp_node_cell_rowspan(cell));
            jw_raw(&p->w, ",");
            jw_int(&p->w, dp_node_cell_colspan(cell));
            jw_raw(&p->w, ",");
            pw_block_list(p, dp_node_first_child(cell));
            jw_raw(&p->w, "]");
        }
        jw_raw(&p->w, "]]");
    }
    jw_raw(&p->w, "]");
}

/* Leading header cells shared by every row of a body: pandoc's
 * RowHeadColumns. */
static int row_head_columns(const dp_node *body)
{
    int best = -1;
    for (const dp_node *row = dp_node_first_child(body); row; row = dp_node_next(row)) {
        int k = 0;
        for (const dp_node *c = dp_node_first_child(row); c && dp_node_cell_header(c); c = dp_node_next(c))
            k += dp_node_cell_colspan(c);
        if (best < 0 || k < best)
            best = k;
    }
    return best < 0 ? 0 : best;
}

/* A body's leading rows whose cells all are headers: pandoc's intermediate
 * head rows (read back the same way). */
static int body_head_rows(const dp_node *body, int rhc)
{
    int n = 0;
    for (const dp_node *row = dp_node_first_child(body); row; row = dp_node_next(row), n++) {
        int all = dp_node_first_child(row) != NULL;
        for (const dp_node *c = dp_node_first_child(row); c; c = dp_node_next(c))
            all = all && dp_node_cell_header(c);
        if (!all || rhc > 0)
            break;
    }
    return dp_node_next(dp_node_first_child(body)) || n == 0 ? n : 0; /* a body of header rows only: keep them */
}

void pw_table(pw *p, const dp_node *n)
{
    const dp_node *cap = NULL, *head = NULL, *foot = NULL, *c;
    int i, first = 1;
    for (c = dp_node_first_child(n); c; c = dp_node_next(c)) {
        if (dp_node_kind(c) == DP_CAPTION)
            cap = c;
        else if (dp_node_kind(c) == DP_TABLE_HEAD)
            head = c;
        else if (dp_node_kind(c) == DP_TABLE_FOOT)
            foot = c;
    }
    pw_tag_c(p, "Table");
    jw_raw(&p->w, "[");
    pw_attr(p, n);
    jw_raw(&p->w, ",");
    pw_caption(p, cap);
    jw_raw(&p->w, ",[");
    for (i = 0; i < dp_node_table_cols(n); i++) {
        double wd = dp_node_table_col_width(n, i);
        if (i)
            jw_raw(&p->w, ",");
        jw_raw(&p->w, "[{\"t\":\"");
        jw_raw(&p->w, align_name(dp_node_table_col_align(n, i)));
        jw_raw(&p->w, "\"},");
        if (wd > 0) {
            jw_raw(&p->w, "{\"t\":\"ColWidth\",\"c\":");
            jw_double(&p->w, wd);
            jw_raw(&p->w, "}]");
        } else {
            jw_raw(&p->w, "{\"t\":\"ColWidthDefault\"}]");
        }
    }
    jw_raw(&p->w, "],[");
    pw_attr(p, head);
    jw_raw(&p->w, ",");
    rows(p, head, 0, -1);
    jw_raw(&p->w, "],[");
    for (c = dp_node_first_child(n); c; c = dp_node_next(c)) {
        int rhc, hr;
        if (dp_node_kind(c) != DP_TABLE_BODY)
            continue;
        rhc = row_head_columns(c);
        hr = body_head_rows(c, rhc);
        jw_raw(&p->w, first ? "[" : ",[");
        first = 0;
        pw_attr(p, c);
        jw_raw(&p->w, ",");
        jw_int(&p->w, rhc);
        jw_raw(&p->w, ",");
        rows(p, c, 0, hr);
        jw_raw(&p->w, ",");
        rows(p, c, hr, -1);
        jw_raw(&p->w, "]");
    }
    jw_raw(&p->w, "],[");
    pw_attr(p, foot);
    jw_raw(&p->w, ",");
    rows(p, foot, 0, -1);
    jw_raw(&p->w, "]]}");
}

/* pandoc 2's implicit figure: a paragraph holding one image whose title
 * starts with "fig:" and whose alt text is the caption. */
