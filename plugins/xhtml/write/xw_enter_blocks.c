/* ENTER of the block kinds (headings, line blocks, code and raw blocks,
 * lists, tables) in the (X)HTML walk: see xw_enter_kinds.h. */
#include "xw_enter_kinds.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *align_style(dp_align a)
{
    switch (a) {
    case DP_ALIGN_LEFT: return "text-align: left";
    case DP_ALIGN_CENTER: return "text-align: center";
    case DP_ALIGN_RIGHT: return "text-align: right";
    default: return NULL;
    }
}

static int cell_column(const dp_node *cell)
{
    int col = 0;
    for (const dp_node *p = dp_node_prev(cell); p; p = dp_node_prev(p))
        col += dp_node_cell_colspan(p) > 0 ? dp_node_cell_colspan(p) : 1;
    return col;
}

static const dp_node *enclosing_table(const dp_node *cell)
{
    const dp_node *p = dp_node_parent(cell);
    while (p && dp_node_kind(p) != DP_TABLE)
        p = dp_node_parent(p);
    return p;
}

static void add_colgroup(xw_writer *w, xmlNodePtr table, const dp_node *node)
{
    int ncols = dp_node_table_cols(node), any = 0;
    xmlNodePtr cg;
    for (int i = 0; i < ncols; i++)
        if (dp_node_table_col_width(node, i) > 0)
            any = 1;
    if (!any)
        return;
    cg = xw_new_elem(w, table, "colgroup");
    for (int i = 0; i < ncols && cg; i++) {
        xmlNodePtr col = xw_new_elem(w, cg, "col");
        double width = dp_node_table_col_width(node, i);
        if (col && width > 0) {
            char buf[64];
            snprintf(buf, sizeof buf, "width: %.2f%%", width * 100.0);
            xw_set(w, col, "style", buf);
        }
        xw_newline_after(col);
    }
    xw_newline_after(cg);
}

static const char *ol_type(dp_list_style s)
{
    switch (s) {
    case DP_STYLE_LOWER_ALPHA: return "a";
    case DP_STYLE_UPPER_ALPHA: return "A";
    case DP_STYLE_LOWER_ROMAN: return "i";
    case DP_STYLE_UPPER_ROMAN: return "I";
    default: return NULL;
    }
}

static int is_html_format(const char *fmt)
{
    return fmt && (strcasecmp(fmt, "html") == 0 || strcasecmp(fmt, "html5") == 0 ||
                   strcasecmp(fmt, "html4") == 0 || strcasecmp(fmt, "xhtml") == 0);
}

/* DP_HEADING */
int xw_enter_heading(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    int rc = 0;
    int level = dp_node_heading_level(n);
    char h[4] = {'h', (char)('0' + (level >= 1 && level <= 6 ? level : 6)), 0, 0};
    const char *num = xw_heading_number(w, n);
    if (w->opts.section_divs && !r->plain && (rc = xw_open_section_for(r, level)) != 0)
        return rc;
    e = xw_new_elem(w, r->cur, h);
    if (!e)
        return DP_ENOMEM;
    xw_apply_attrs(w, e, n, NULL);
    if (num) {
        xmlNodePtr s = xw_new_elem(w, e, "span");
        xw_set(w, s, "class", "header-section-number");
        xw_add_text(s, num, strlen(num));
        xw_add_text(e, " ", 1);
    }
    in = e;
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_LINE_BLOCK, DP_LINE */
int xw_enter_line_block(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    dp_kind k = o->kind;
    xmlNodePtr e = NULL, in = NULL;
    e = xw_new_elem(w, r->cur, "div");
    if (!e)
        return DP_ENOMEM;
    xw_apply_attrs(w, e, n, k == DP_LINE_BLOCK ? "line-block" : "line");
    in = e;
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_CODE_BLOCK */
int xw_enter_code_block(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL;
    xmlNodePtr code;
    int nclass = dp_node_class_count(n);
    e = xw_new_elem(w, r->cur, "pre");
    code = e ? xw_new_elem(w, e, "code") : NULL;
    if (!code)
        return DP_ENOMEM;
    xw_set(w, e, "id", xw_id_of(w, n));
    /* the first class is the language (CommonMark info string) */
    if (nclass > 0) {
        char *lang = xw_printf(w, "language-%s", dp_node_class_at(n, 0));
        xmlChar *rest = NULL;
        xw_set(w, code, "class", lang);
        for (int i = 1; i < nclass; i++) {
            if (rest)
                rest = xmlStrcat(rest, BAD_CAST " ");
            rest = xmlStrcat(rest, BAD_CAST dp_node_class_at(n, i));
        }
        if (rest) {
            xmlSetProp(e, BAD_CAST "class", rest);
            xmlFree(rest);
        }
    }
    if (dp_node_attr_count(n) > 0) {
        xmlNodePtr tmp = xmlNewDocNode(e->doc, NULL, BAD_CAST "pre", NULL);
        /* apply to a scratch element without id/classes, then move the attributes */
        xw_apply_attrs(w, tmp, n, NULL);
        for (xmlAttrPtr a = tmp->properties; a; a = a->next) {
            if (strcmp((const char *)a->name, "id") == 0 || strcmp((const char *)a->name, "class") == 0)
                continue;
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
            if (a->ns)
                xmlSetNsProp(e, a->ns, a->name, v);
            else
                xmlSetProp(e, a->name, v);
            xmlFree(v);
        }
        xmlFreeNode(tmp);
    }
    xw_add_text(code, dp_node_text(n), dp_node_text_len(n));
    o->el = e;
    o->inner = NULL;
    return 0;
}

/* DP_RAW_BLOCK, DP_RAW_INLINE */
int xw_enter_raw_block(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    dp_kind k = o->kind;
    int rc = 0;
    if (is_html_format(dp_node_format(n))) {
        if (xw_raw_verbatim(w))
            xw_add_verbatim(r->cur, dp_node_text(n), dp_node_text_len(n));
        else
            rc = xw_import_html(w, n, dp_node_text(n), dp_node_text_len(n), r->cur, k == DP_RAW_BLOCK);
        if (rc != 0)
            return rc;
        if (k == DP_RAW_BLOCK && xw_block_holder(r->cur))
            xmlAddChild(r->cur, xmlNewDocText(r->cur->doc, BAD_CAST "\n"));
    } else if (w->ctx) {
        dp_warn_node(w->ctx, n, "raw %s content dropped: only raw HTML can be written to HTML",
                     dp_node_format(n) ? dp_node_format(n) : "(unknown format)");
    }
    o->el = NULL;
    o->inner = NULL;
    return 0;
}

/* DP_LIST */
int xw_enter_list(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    int ordered = dp_node_list_type(n) == DP_LIST_ORDERED;
    e = xw_new_elem(w, r->cur, ordered ? "ol" : "ul");
    if (!e)
        return DP_ENOMEM;
    xw_apply_attrs(w, e, n, NULL);
    if (ordered) {
        int start = dp_node_list_start(n);
        const char *type = ol_type(dp_node_list_style(n));
        if (start != 1) {
            char buf[24];
            snprintf(buf, sizeof buf, "%d", start);
            xw_set(w, e, "start", buf);
        }
        xw_set(w, e, "type", type);
        if (XW_IS_X11(w) && (start != 1 || type) && w->ctx)
            dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "xhtml11.list-style", n, "list start number / numbering style cannot be written in XHTML 1.1");
    }
    in = e;
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_LIST_ITEM */
int xw_enter_list_item(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    dp_task task = dp_node_task(n);
    e = xw_new_elem(w, r->cur, "li");
    if (!e)
        return DP_ENOMEM;
    xw_apply_attrs(w, e, n, task != DP_TASK_NONE ? "task-list-item" : NULL);
    if (task != DP_TASK_NONE && XW_IS_X11(w)) {
        xw_add_text(e, task == DP_TASK_CHECKED ? "[x] " : "[ ] ", 4);
    } else if (task != DP_TASK_NONE) {
        xmlNodePtr box = xw_new_elem(w, e, "input");
        xw_set(w, box, "type", "checkbox");
        xw_set(w, box, "disabled", "disabled");
        if (task == DP_TASK_CHECKED)
            xw_set(w, box, "checked", "checked");
        xw_set(w, box, "aria-label", task == DP_TASK_CHECKED ? "done" : "not done");
        xw_add_text(e, " ", 1);
    }
    in = e;
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_TABLE */
int xw_enter_table(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    e = xw_new_elem(w, r->cur, "table");
    if (!e)
        return DP_ENOMEM;
    xw_apply_attrs(w, e, n, NULL);
    xmlAddChild(e, xmlNewDocText(e->doc, BAD_CAST "\n"));
    add_colgroup(w, e, n);
    in = e;
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_TABLE_CELL */
int xw_enter_table_cell(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    const dp_node *table = enclosing_table(n);
    const dp_node *section = dp_node_parent(dp_node_parent(n));
    int header = dp_node_cell_header(n) || (section && dp_node_kind(section) == DP_TABLE_HEAD);
    dp_align align = dp_node_cell_align(n);
    int rs = dp_node_cell_rowspan(n), cs = dp_node_cell_colspan(n);
    char buf[24];
    if (align == DP_ALIGN_DEFAULT && table)
        align = dp_node_table_col_align(table, cell_column(n));
    e = xw_new_elem(w, r->cur, header ? "th" : "td");
    if (!e)
        return DP_ENOMEM;
    xw_set(w, e, "style", align_style(align));
    if (rs > 1) {
        snprintf(buf, sizeof buf, "%d", rs);
        xw_set(w, e, "rowspan", buf);
    }
    if (cs > 1) {
        snprintf(buf, sizeof buf, "%d", cs);
        xw_set(w, e, "colspan", buf);
    }
    xw_apply_attrs(w, e, n, NULL);
    in = e;
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_CAPTION */
int xw_enter_caption(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    const dp_node *p = dp_node_parent(n);
    int in_table = p && dp_node_kind(p) == DP_TABLE;
    xmlNodePtr holder = r->cur;
    e = xw_make_elem(w, holder, xw_html_ns(w, holder), in_table ? "caption" : "figcaption");
    if (!e)
        return DP_ENOMEM;
    if (in_table && holder->children)
        xmlAddPrevSibling(holder->children, e); /* caption is the table's first child */
    else
        xmlAddChild(holder, e);
    xw_apply_attrs(w, e, n, NULL);
    in = e;
    o->el = e;
    o->inner = in;
    return 0;
}
