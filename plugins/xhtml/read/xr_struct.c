/* Lists, definition lists, tables and line blocks: frames whose container
 * takes only its own parts, anything else wrapped into an item or cell. */
#include "xr_walk.h"

#include <libxml/xmlsave.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- structural frames ------------------------------------------------- */

/* A new definition item at the end of a definition list. An item must hold a
 * term: a description met with no term before it (<dd> first, stray content)
 * gets an empty one. */
static dp_node *new_def_item(dp_doc *d, dp_node *dl, int with_empty_term)
{
    dp_node *item = dp_node_new(d, DP_DEF_ITEM);
    if (!item || dp_node_append_child(dl, item))
        return NULL;
    if (with_empty_term) {
        dp_node *term = dp_node_new(d, DP_DEF_TERM);
        if (!term || dp_node_append_child(item, term))
            return NULL;
    }
    return item;
}

/* A fresh block container inside a list / definition list / table frame for
 * content that is not one of its parts. */
dp_node *xrw_struct_slot(walker *w, frame *f)
{
    dp_doc *d = w->s->doc;
    dp_node *n = NULL;
    switch (f->kind) {
    case F_LIST:
        n = dp_node_new(d, DP_LIST_ITEM);
        if (n && dp_node_append_child(f->container, n))
            n = NULL;
        return n;
    case F_DL:
        if (!f->implicit && !(f->implicit = new_def_item(d, f->container, 1)))
            return NULL;
        n = dp_node_new(d, DP_DEF_DESC);
        if (n && dp_node_append_child(f->implicit, n))
            n = NULL;
        return n;
    case F_LINES:
        if (!f->implicit) {
            f->implicit = dp_node_new(d, DP_LINE);
            if (!f->implicit || dp_node_append_child(f->container, f->implicit))
                return NULL;
        }
        return f->implicit;
    case F_TABLE:
    case F_TSECT:
    case F_TROW: {
        dp_node *row = f->container;
        if (f->kind == F_TABLE) {
            if (!f->implicit) {
                f->implicit = dp_node_new(d, DP_TABLE_BODY);
                if (!f->implicit || dp_node_append_child(f->container, f->implicit))
                    return NULL;
            }
            row = dp_node_new(d, DP_TABLE_ROW);
            if (!row || dp_node_append_child(f->implicit, row))
                return NULL;
        } else if (f->kind == F_TSECT) {
            if (!f->implicit) {
                f->implicit = dp_node_new(d, DP_TABLE_ROW);
                if (!f->implicit || dp_node_append_child(f->container, f->implicit))
                    return NULL;
            }
            row = f->implicit;
        }
        n = dp_node_new(d, DP_TABLE_CELL);
        if (n && dp_node_append_child(row, n))
            n = NULL;
        return n;
    }
    default:
        return NULL;
    }
}

int xrw_parse_align(xmlNodePtr el, dp_align *out)
{
    char *a = xr_attr(el, "align");
    *out = DP_ALIGN_DEFAULT;
    if (!a) {
        char *style = xr_attr(el, "style");
        if (style) {
            const char *p = strstr(style, "text-align");
            if (p) {
                p += 10;
                while (*p == ' ' || *p == ':')
                    p++;
                if (strncasecmp(p, "left", 4) == 0)
                    *out = DP_ALIGN_LEFT;
                else if (strncasecmp(p, "center", 6) == 0)
                    *out = DP_ALIGN_CENTER;
                else if (strncasecmp(p, "right", 5) == 0)
                    *out = DP_ALIGN_RIGHT;
            }
            xmlFree(style);
        }
        return 0;
    }
    if (strcasecmp(a, "left") == 0)
        *out = DP_ALIGN_LEFT;
    else if (strcasecmp(a, "center") == 0)
        *out = DP_ALIGN_CENTER;
    else if (strcasecmp(a, "right") == 0)
        *out = DP_ALIGN_RIGHT;
    xmlFree(a);
    return 1;
}

int xrw_int_attr(xmlNodePtr el, const char *name, int dflt, int lo, int hi)
{
    char *v = xr_attr(el, name);
    if (!v)
        return dflt;
    char *end;
    long l = strtol(v, &end, 10);
    int ok = end != v;
    xmlFree(v);
    if (!ok)
        return dflt;
    if (l < lo)
        l = lo;
    if (l > hi)
        l = hi;
    return (int)l;
}

/* Whether a style attribute says only text-align (made node data). */
static int style_is_only_align(xmlNodePtr el)
{
    char *st = xr_attr(el, "style");
    if (!st)
        return 0;
    int only = 0;
    const char *p = st;
    while (*p == ' ')
        p++;
    if (strncasecmp(p, "text-align", 10) == 0) {
        const char *semi = strchr(p, ';');
        only = !semi || xr_is_ws(semi + 1);
    }
    xmlFree(st);
    return only;
}

static int map_cell(walker *w, frame *f, xmlNodePtr el, dp_node *row)
{
    dp_node *cell = xrw_new_node(w, DP_TABLE_CELL);
    if (!cell)
        return xrw_oom(w);
    dp_align al;
    xrw_parse_align(el, &al);
    dp_node_set_cell(cell, al, xrw_int_attr(el, "rowspan", 1, 1, 65534), xrw_int_attr(el, "colspan", 1, 1, 1000),
                     xr_is_elem(el, "th"));
    static const char *const skip[] = { "rowspan", "colspan", "align", NULL };
    static const char *const skip_style[] = { "rowspan", "colspan", "align", "style", NULL };
    int rc = xrw_apply_attrs(w, cell, el, style_is_only_align(el) ? skip_style : skip);
    if (!rc)
        rc = xrw_link_child(w, row, cell);
    (void)f;
    return rc ? rc : xrw_open_children(w, el, F_BLOCK, cell, EX_NONE);
}

int xrw_handle_struct(walker *w, frame *f, xmlNodePtr el)
{
    dp_doc *d = w->s->doc;
    int rc;
    switch (f->kind) {
    case F_LIST:
        if (xr_is_elem(el, "li")) {
            dp_node *item = xrw_new_node(w, DP_LIST_ITEM);
            if (!item)
                return xrw_oom(w);
            if ((rc = xrw_apply_attrs(w, item, el, NULL)) || (rc = xrw_link_child(w, f->container, item)))
                return rc;
            /* GFM task list: a leading checkbox */
            xmlNodePtr first = el->children;
            while (first && first->type == XML_TEXT_NODE && xr_is_ws((const char *)first->content))
                first = first->next;
            if (xr_is_elem(first, "p")) {
                xmlNodePtr in = first->children;
                while (in && in->type == XML_TEXT_NODE && xr_is_ws((const char *)in->content))
                    in = in->next;
                first = in;
            }
            if (xr_is_elem(first, "input") && xr_attr_has_token(first, "type", "checkbox")) {
                dp_node_set_task(item, xr_has_attr(first, "checked") ? DP_TASK_CHECKED : DP_TASK_UNCHECKED);
                xr_info *ci = xr_info_get(w->s, first);
                if (!ci)
                    return xrw_oom(w);
                ci->flags |= XR_SKIP;
            }
            return xrw_open_children(w, el, F_BLOCK, item, EX_NONE);
        }
        break;
    case F_DL:
        if (xr_is_elem(el, "dt") || xr_is_elem(el, "dd")) {
            int term = xr_is_elem(el, "dt");
            dp_node *last = f->implicit ? dp_node_last_child(f->implicit) : NULL;
            if (!f->implicit || (term && last && dp_node_kind(last) == DP_DEF_DESC)) {
                f->implicit = new_def_item(d, f->container, !term);
                if (!f->implicit)
                    return xrw_oom(w);
            }
            dp_node *part = xrw_new_node(w, term ? DP_DEF_TERM : DP_DEF_DESC);
            if (!part)
                return xrw_oom(w);
            if ((rc = xrw_apply_attrs(w, part, el, NULL)) || (rc = xrw_link_child(w, f->implicit, part)))
                return rc;
            return xrw_open_children(w, el, term ? F_INLINE : F_BLOCK, part, EX_NONE);
        }
        if (xr_is_elem(el, "div")) /* HTML allows dl > div > dt/dd groups */
            return xrw_open_children(w, el, F_DL, f->container, EX_NONE);
        break;
    case F_TABLE:
        if (xr_is_elem(el, "caption")) {
            dp_node *cap = NULL;
            for (dp_node *c = dp_node_first_child(f->container); c; c = dp_node_next(c))
                if (dp_node_kind(c) == DP_CAPTION)
                    cap = c;
            if (!cap) {
                cap = xrw_new_node(w, DP_CAPTION);
                if (!cap)
                    return xrw_oom(w);
                if ((rc = xrw_apply_attrs(w, cap, el, NULL)))
                    return rc;
                if (dp_node_prepend_child(f->container, cap))
                    return xrw_oom(w);
            }
            return xrw_open_children(w, el, F_BLOCK, cap, EX_NONE);
        }
        if (xr_is_elem(el, "colgroup") || xr_is_elem(el, "col"))
            return DP_OK; /* read when the table closes */
        if (xr_is_elem(el, "thead") || xr_is_elem(el, "tbody") || xr_is_elem(el, "tfoot")) {
            dp_kind k = xr_is_elem(el, "thead") ? DP_TABLE_HEAD
                        : xr_is_elem(el, "tfoot") ? DP_TABLE_FOOT : DP_TABLE_BODY;
            dp_node *sec = xrw_new_node(w, k);
            if (!sec)
                return xrw_oom(w);
            f->implicit = NULL;
            if ((rc = xrw_apply_attrs(w, sec, el, NULL)) || (rc = xrw_link_child(w, f->container, sec)))
                return rc;
            return xrw_open_children(w, el, F_TSECT, sec, EX_NONE);
        }
        if (xr_is_elem(el, "tr")) {
            if (!f->implicit) {
                f->implicit = dp_node_new(d, DP_TABLE_BODY);
                if (!f->implicit)
                    return xrw_oom(w);
                if ((rc = xrw_link_child(w, f->container, f->implicit)))
                    return rc;
            }
            dp_node *row = xrw_new_node(w, DP_TABLE_ROW);
            if (!row)
                return xrw_oom(w);
            if ((rc = xrw_apply_attrs(w, row, el, NULL)) || (rc = xrw_link_child(w, f->implicit, row)))
                return rc;
            return xrw_open_children(w, el, F_TROW, row, EX_NONE);
        }
        break;
    case F_TSECT:
        if (xr_is_elem(el, "tr")) {
            f->implicit = NULL;
            dp_node *row = xrw_new_node(w, DP_TABLE_ROW);
            if (!row)
                return xrw_oom(w);
            if ((rc = xrw_apply_attrs(w, row, el, NULL)) || (rc = xrw_link_child(w, f->container, row)))
                return rc;
            return xrw_open_children(w, el, F_TROW, row, EX_NONE);
        }
        if (xr_is_elem(el, "td") || xr_is_elem(el, "th")) {
            if (!f->implicit) {
                f->implicit = dp_node_new(d, DP_TABLE_ROW);
                if (!f->implicit)
                    return xrw_oom(w);
                if ((rc = xrw_link_child(w, f->container, f->implicit)))
                    return rc;
            }
            return map_cell(w, f, el, f->implicit);
        }
        break;
    case F_TROW:
        if (xr_is_elem(el, "td") || xr_is_elem(el, "th"))
            return map_cell(w, f, el, f->container);
        break;
    case F_LINES:
        if (xr_is_elem(el, "div") && xr_attr_has_token(el, "class", "line")) {
            dp_node *line = xrw_new_node(w, DP_LINE);
            if (!line)
                return xrw_oom(w);
            f->implicit = NULL;
            if ((rc = xrw_apply_attrs(w, line, el, NULL)) || (rc = xrw_link_child(w, f->container, line)))
                return rc;
            dp_node_remove_class(line, "line");
            return xrw_open_children(w, el, F_INLINE, line, EX_NONE);
        }
        if (xr_is_elem(el, "br")) { /* pandoc: lines separated by <br> */
            if (!f->implicit) {
                dp_node *empty = xrw_new_node(w, DP_LINE);
                if (!empty || dp_node_append_child(f->container, empty))
                    return xrw_oom(w);
            }
            f->implicit = NULL;
            return DP_OK;
        }
        break;
    default:
        break;
    }
    /* anything else: into a fresh item / description / cell / line */
    dp_node *slot = xrw_struct_slot(w, f);
    if (!slot)
        return xrw_oom(w);
    return xrw_open_single(w, el, f->kind == F_LINES ? F_INLINE : F_BLOCK, slot);
}

/* ---- exits ---------------------------------------------------------------- */

void xrw_table_exit(walker *w, dp_node *table, xmlNodePtr el)
{
    /* section order: [caption] head body* foot; extra heads/foots merged */
    dp_node *head = NULL, *foot = NULL;
    dp_node *c = dp_node_first_child(table);
    while (c) {
        dp_node *next = dp_node_next(c);
        dp_kind k = dp_node_kind(c);
        if (k == DP_TABLE_HEAD || k == DP_TABLE_FOOT) {
            dp_node **keep = k == DP_TABLE_HEAD ? &head : &foot;
            if (!*keep) {
                *keep = c;
            } else {
                dp_node *r;
                while ((r = dp_node_first_child(c)))
                    dp_node_append_child(*keep, r);
                dp_node_unlink(c);
            }
        }
        c = next;
    }
    if (head) {
        dp_node *first = dp_node_first_child(table);
        if (first && dp_node_kind(first) == DP_CAPTION)
            dp_node_insert_after(first, head);
        else
            dp_node_prepend_child(table, head);
    }
    if (foot)
        dp_node_append_child(table, foot);

    /* columns: widest row, counting cells spanning down from rows above */
    int ncols = 0;
    int *pending = NULL;
    int npending = 0;
    size_t pending_cap = 0;
    for (dp_node *sec = dp_node_first_child(table); sec; sec = dp_node_next(sec)) {
        if (dp_node_kind(sec) == DP_CAPTION)
            continue;
        for (dp_node *row = dp_node_first_child(sec); row; row = dp_node_next(row)) {
            int col = 0;
            for (dp_node *cell = dp_node_first_child(row); cell; cell = dp_node_next(cell)) {
                while (col < npending && pending[col] > 0)
                    col++;
                int cs = dp_node_cell_colspan(cell), rs = dp_node_cell_rowspan(cell);
                if (col + cs > npending) {
                    int nn = col + cs;
                    if (DP_ARRAY_RESERVE(pending, pending_cap, (size_t)nn))
                        break;
                    for (int i = npending; i < nn; i++)
                        pending[i] = 0;
                    npending = nn;
                }
                for (int i = 0; i < cs; i++)
                    pending[col + i] = rs;
                col += cs;
            }
            int width = 0;
            for (int i = 0; i < npending; i++)
                if (pending[i] > 0)
                    width = i + 1;
            if (width > ncols)
                ncols = width;
            for (int i = 0; i < npending; i++)
                if (pending[i] > 0)
                    pending[i]--;
        }
    }
    free(pending);
    if (ncols <= 0)
        return;
    if (ncols > 1000)
        ncols = 1000;
    dp_align *al = calloc((size_t)ncols, sizeof *al);
    double *wd = calloc((size_t)ncols, sizeof *wd);
    if (!al || !wd) {
        free(al);
        free(wd);
        return;
    }
    int col = 0;
    for (xmlNodePtr n = el->children; n && col < ncols; n = xr_next_in(el, n, 0)) {
        if (xr_is_elem(n, "tr") || xr_is_elem(n, "thead") || xr_is_elem(n, "tbody") || xr_is_elem(n, "table"))
            break;
        if (!xr_is_elem(n, "col"))
            continue;
        int span = xrw_int_attr(n, "span", 1, 1, 1000);
        dp_align a;
        xrw_parse_align(n, &a);
        double width = 0;
        char *wv = xr_attr(n, "width");
        if (!wv) {
            char *st = xr_attr(n, "style");
            const char *p = st ? strstr(st, "width") : NULL;
            if (p) {
                p += 5;
                while (*p == ' ' || *p == ':')
                    p++;
                wv = (char *)xmlStrdup(BAD_CAST p);
            }
            xmlFree(st);
        }
        if (wv && strchr(wv, '%'))
            width = strtod(wv, NULL) / 100.0;
        xmlFree(wv);
        for (int i = 0; i < span && col < ncols; i++, col++) {
            al[col] = a;
            wd[col] = width > 0 && width <= 1 ? width : 0;
        }
    }
    dp_node_set_table_cols(table, ncols, al, wd);
    free(al);
    free(wd);
    (void)w;
}

