/* pandoc's JSON AST (pandoc-types 1.22 and 1.23) into the tree; the mapping
 * is docs/formats/pandoc-json.md. Str and Space runs become one text node;
 * pandoc 2's implicit figure (a paragraph holding only an image titled
 * "fig:...") and pandoc 3's Figure both become a figure. What the tree has no
 * place for is reported where it is (file:line:column of the JSON value).
 *
 * The JSON is parsed by plugins/jsonlib with its nesting capped (a tree level
 * is at most 4 JSON levels here), so the recursive walk below is bounded. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pandoc_read_priv.h"

/* ---- blocks ---- */

static int read_list_items(pr *r, dp_node *list, const jv *items, int depth, int *tight)
{
    size_t i;
    int rc;
    if ((rc = pr_want_arr(r, items, -1, "list items")))
        return rc;
    *tight = items->u.arr.n > 0;
    for (i = 0; i < items->u.arr.n; i++) {
        const jv *bl = ITEM(items, i);
        dp_node *it = pr_add_node(r, list, DP_LIST_ITEM);
        if (!it)
            return pr_nomem(r);
        if ((rc = pr_want_arr(r, bl, -1, "a list item")))
            return rc;
        /* pandoc's tight lists hold Plain, loose ones Para */
        for (size_t k = 0; k < bl->u.arr.n; k++) {
            const jv *tc = jv_get(ITEM(bl, k), "t");
            if (tc && tc->type == JV_STR && strcmp(tc->u.str.s, "Para") == 0)
                *tight = 0;
        }
        if ((rc = pr_read_blocks(r, it, bl, depth + 1)))
            return rc;
    }
    return 0;
}

static int read_ordered(pr *r, dp_node *parent, const jv *el, int depth)
{
    static const char *const styles[] = {"DefaultStyle", "Decimal",    "LowerAlpha", "UpperAlpha",
                                         "LowerRoman",   "UpperRoman", NULL};
    static const char *const delims[] = {"DefaultDelim", "Period", "OneParen", NULL};
    const jv *c = pr_args(r, el, "OrderedList", 2), *la, *sc = NULL, *dc = NULL;
    const char *st, *de;
    long start;
    int style = 0, delim = 0, tight, rc, k;
    dp_node *n;
    if (!c || (rc = pr_want_arr(r, la = ITEM(c, 0), 3, "list attributes")))
        return DP_EINPUT;
    if ((rc = pr_want_int(r, ITEM(la, 0), "a list start", -1000000000L, 1000000000L, &start)))
        return rc;
    if (!(st = pr_tag_of(r, ITEM(la, 1), &sc)) || !(de = pr_tag_of(r, ITEM(la, 2), &dc)))
        return DP_EINPUT;
    for (k = 0; styles[k]; k++)
        if (strcmp(st, styles[k]) == 0)
            style = k;
    for (k = 0; delims[k]; k++)
        if (strcmp(de, delims[k]) == 0)
            delim = k;
    if (strcmp(st, "Example") == 0)
        pr_warn_at(r, ITEM(la, 1), "example lists (@) have no place in the tree: numbered as decimal");
    if (strcmp(de, "TwoParens") == 0) {
        pr_warn_at(r, ITEM(la, 2), "the delimiter (1) has no place in the tree: written as 1)");
        delim = DP_DELIM_PAREN;
    }
    if (!(n = pr_add_node(r, parent, DP_LIST)))
        return pr_nomem(r);
    if ((rc = read_list_items(r, n, ITEM(c, 1), depth, &tight)))
        return rc;
    return dp_node_set_list(n, DP_LIST_ORDERED, (int)start, (dp_list_delim)delim, (dp_list_style)style, tight) == 0
               ? 0
               : pr_nomem(r);
}

static int read_deflist(pr *r, dp_node *parent, const jv *el, int depth)
{
    dp_node *n = pr_add_node(r, parent, DP_DEF_LIST);
    const jv *items = jv_get(el, "c");
    size_t i, k;
    int rc;
    if (!n)
        return pr_nomem(r);
    if ((rc = pr_want_arr(r, items, -1, "definition items")))
        return rc;
    for (i = 0; i < items->u.arr.n; i++) {
        const jv *item = ITEM(items, i);
        dp_node *di, *term;
        if ((rc = pr_want_arr(r, item, 2, "a definition item")) ||
            (rc = pr_want_arr(r, ITEM(item, 1), -1, "definitions")))
            return rc;
        if (!(di = pr_add_node(r, n, DP_DEF_ITEM)) || !(term = pr_add_node(r, di, DP_DEF_TERM)))
            return pr_nomem(r);
        if ((rc = pr_read_inlines(r, term, ITEM(item, 0), depth + 2)))
            return rc;
        for (k = 0; k < ITEM(item, 1)->u.arr.n; k++) {
            dp_node *d = pr_add_node(r, di, DP_DEF_DESC);
            if (!d)
                return pr_nomem(r);
            if ((rc = pr_read_blocks(r, d, ITEM(ITEM(item, 1), k), depth + 2)))
                return rc;
        }
    }
    return 0;
}

/* [short caption, [blocks]] into a caption node (none when empty) */
static int read_caption(pr *r, dp_node *parent, const jv *cap, int depth)
{
    dp_node *n;
    int rc;
    if ((rc = pr_want_arr(r, cap, 2, "a Caption")) || (rc = pr_want_arr(r, ITEM(cap, 1), -1, "caption blocks")))
        return rc;
    if (ITEM(cap, 0)->type != JV_NULL)
        pr_warn_at(r, ITEM(cap, 0), "the short caption has no place in the tree: left out");
    if (ITEM(cap, 1)->u.arr.n == 0)
        return 0;
    if (!(n = dp_node_new(r->doc, DP_CAPTION)) || dp_node_append_child(parent, n) != 0)
        return pr_nomem(r);
    return pr_read_blocks(r, n, ITEM(cap, 1), depth + 1);
}

/* rows: [[Attr, [cells]]]; cell: [Attr, align, rowspan, colspan, blocks].
 * header: every cell is a header cell; row_heads: the first row_heads
 * columns of each row are. */
static int read_rows(pr *r, dp_node *section, const jv *rows, int header, long row_heads, int depth)
{
    static const char *const aligns[] = {"AlignDefault", "AlignLeft", "AlignCenter", "AlignRight", NULL};
    size_t i, k;
    int rc;
    if ((rc = pr_want_arr(r, rows, -1, "rows")))
        return rc;
    for (i = 0; i < rows->u.arr.n; i++) {
        const jv *row = ITEM(rows, i);
        dp_node *rn;
        long col = 0;
        if ((rc = pr_want_arr(r, row, 2, "a Row")) || (rc = pr_want_arr(r, ITEM(row, 1), -1, "cells")))
            return rc;
        if (!(rn = pr_add_node(r, section, DP_TABLE_ROW)))
            return pr_nomem(r);
        if ((rc = pr_read_attr(r, rn, ITEM(row, 0))))
            return rc;
        for (k = 0; k < ITEM(row, 1)->u.arr.n; k++) {
            const jv *cell = ITEM(ITEM(row, 1), k), *ac = NULL;
            const char *at;
            long rs, cs;
            int align = 0;
            dp_node *cn;
            if ((rc = pr_want_arr(r, cell, 5, "a Cell")))
                return rc;
            if (!(at = pr_tag_of(r, ITEM(cell, 1), &ac)))
                return DP_EINPUT;
            for (int a = 0; aligns[a]; a++)
                if (strcmp(at, aligns[a]) == 0)
                    align = a;
            if ((rc = pr_want_int(r, ITEM(cell, 2), "a row span", 1, 65535, &rs)) ||
                (rc = pr_want_int(r, ITEM(cell, 3), "a column span", 1, 65535, &cs)))
                return rc;
            if (!(cn = pr_add_node(r, rn, DP_TABLE_CELL)) ||
                dp_node_set_cell(cn, (dp_align)align, (int)rs, (int)cs, header || col < row_heads) != 0)
                return pr_nomem(r);
            col += cs;
            if ((rc = pr_read_attr(r, cn, ITEM(cell, 0))) || (rc = pr_read_blocks(r, cn, ITEM(cell, 4), depth + 3)))
                return rc;
        }
    }
    return 0;
}

/* A head or foot: [Attr, rows]; made only when it has rows or attributes. */
static int read_section(pr *r, dp_node *table, const jv *sec, dp_kind kind, int depth)
{
    const jv *a;
    dp_node *n;
    int rc;
    if ((rc = pr_want_arr(r, sec, 2, kind == DP_TABLE_HEAD ? "a TableHead" : "a TableFoot")) ||
        (rc = pr_want_arr(r, a = ITEM(sec, 0), 3, "an Attr")) || (rc = pr_want_arr(r, ITEM(sec, 1), -1, "rows")))
        return rc;
    if (ITEM(sec, 1)->u.arr.n == 0 && ITEM(a, 0)->type == JV_STR && !ITEM(a, 0)->u.str.len &&
        !ITEM(a, 1)->u.arr.n && !ITEM(a, 2)->u.arr.n)
        return 0;
    if (!(n = pr_add_node(r, table, kind)))
        return pr_nomem(r);
    if ((rc = pr_read_attr(r, n, a)))
        return rc;
    return read_rows(r, n, ITEM(sec, 1), kind == DP_TABLE_HEAD, 0, depth + 1);
}

static int read_table(pr *r, dp_node *parent, const jv *el, int depth)
{
    static const char *const aligns[] = {"AlignDefault", "AlignLeft", "AlignCenter", "AlignRight", NULL};
    const jv *c = pr_args(r, el, "Table", 6), *specs, *bodies;
    dp_node *n;
    dp_align al[1024];
    double wd[1024];
    size_t i, ncols;
    int rc;
    if (!c)
        return DP_EINPUT;
    if (!(n = pr_add_node(r, parent, DP_TABLE)))
        return pr_nomem(r);
    if ((rc = pr_read_attr(r, n, ITEM(c, 0))) || (rc = read_caption(r, n, ITEM(c, 1), depth)) ||
        (rc = pr_want_arr(r, specs = ITEM(c, 2), -1, "column specs")))
        return rc;
    ncols = specs->u.arr.n;
    if (ncols > 1024)
        return pr_fail_at(r, specs, "more than 1024 columns");
    for (i = 0; i < ncols; i++) {
        const jv *cs = ITEM(specs, i), *ac = NULL, *wc = NULL;
        const char *at, *wt;
        if ((rc = pr_want_arr(r, cs, 2, "a ColSpec")))
            return rc;
        if (!(at = pr_tag_of(r, ITEM(cs, 0), &ac)) || !(wt = pr_tag_of(r, ITEM(cs, 1), &wc)))
            return DP_EINPUT;
        al[i] = DP_ALIGN_DEFAULT;
        for (int a = 0; aligns[a]; a++)
            if (strcmp(at, aligns[a]) == 0)
                al[i] = (dp_align)a;
        wd[i] = 0;
        if (strcmp(wt, "ColWidth") == 0 && wc && wc->type == JV_NUM)
            wd[i] = strtod(wc->u.num.text, NULL);
    }
    if (dp_node_set_table_cols(n, (int)ncols, al, wd) != 0)
        return pr_nomem(r);
    if ((rc = read_section(r, n, ITEM(c, 3), DP_TABLE_HEAD, depth)) ||
        (rc = pr_want_arr(r, bodies = ITEM(c, 4), -1, "table bodies")))
        return rc;
    for (i = 0; i < bodies->u.arr.n; i++) {
        const jv *b = ITEM(bodies, i);
        dp_node *bn;
        long rhc;
        if ((rc = pr_want_arr(r, b, 4, "a TableBody")) ||
            (rc = pr_want_int(r, ITEM(b, 1), "row head columns", 0, 65535, &rhc)))
            return rc;
        if (!(bn = pr_add_node(r, n, DP_TABLE_BODY)))
            return pr_nomem(r);
        /* intermediate head rows: rows of header cells at the top */
        if ((rc = pr_read_attr(r, bn, ITEM(b, 0))) || (rc = read_rows(r, bn, ITEM(b, 2), 1, 0, depth + 1)) ||
            (rc = read_rows(r, bn, ITEM(b, 3), 0, rhc, depth + 1)))
            return rc;
    }
    return read_section(r, n, ITEM(c, 5), DP_TABLE_FOOT, depth);
}

/* pandoc 2's implicit figure: Para [Image attr alt (src, "fig:title")] */
static int implicit_figure(pr *r, dp_node *parent, const jv *el, int depth, int *done)
{
    const jv *c = jv_get(el, "c"), *img, *ic, *tgt;
    dp_node *fig, *plain, *image = NULL, *cap, *cp;
    int rc;
    *done = 0;
    if (r->api >= 23 || !c || c->type != JV_ARR || c->u.arr.n != 1)
        return 0;
    img = ITEM(c, 0);
    if (img->type != JV_OBJ || !jv_get(img, "t") || jv_get(img, "t")->type != JV_STR ||
        strcmp(jv_get(img, "t")->u.str.s, "Image") != 0)
        return 0;
    ic = jv_get(img, "c");
    if (!ic || ic->type != JV_ARR || ic->u.arr.n != 3 || (tgt = ITEM(ic, 2))->type != JV_ARR || tgt->u.arr.n != 2 ||
        ITEM(tgt, 1)->type != JV_STR || strncmp(ITEM(tgt, 1)->u.str.s, "fig:", 4) != 0)
        return 0;
    *done = 1;
    if (!(fig = pr_add_node(r, parent, DP_FIGURE)) || !(plain = pr_add_node(r, fig, DP_PLAIN)))
        return pr_nomem(r);
    if ((rc = pr_read_target(r, plain, img, "Image", DP_IMAGE, depth + 2, &image)))
        return rc;
    if (ITEM(tgt, 1)->u.str.s[4]) {
        if (dp_node_set_title(image, ITEM(tgt, 1)->u.str.s + 4) != 0)
            return pr_nomem(r);
    } else if (dp_node_set_title(image, NULL) != 0) {
        return pr_nomem(r);
    }
    if (!dp_node_first_child(image))
        return 0; /* no alt text: no caption */
    if (!(cap = pr_add_node(r, fig, DP_CAPTION)) || !(cp = pr_add_node(r, cap, DP_PLAIN)))
        return pr_nomem(r);
    return pr_read_inlines(r, cp, ITEM(ic, 1), depth + 2);
}

static int read_block(pr *r, dp_node *parent, const jv *el, int depth)
{
    const jv *c = NULL, *a;
    const char *t = pr_tag_of(r, el, &c);
    dp_node *n;
    int rc, done, tight;
    if (!t)
        return DP_EINPUT;
    if (strcmp(t, "Para") == 0 || strcmp(t, "Plain") == 0) {
        if (t[1] == 'a' && ((rc = implicit_figure(r, parent, el, depth, &done)) || done))
            return rc;
        if (!(n = pr_add_node(r, parent, t[1] == 'a' ? DP_PARA : DP_PLAIN)))
            return pr_nomem(r);
        return pr_read_inlines(r, n, c, depth + 1);
    }
    if (strcmp(t, "LineBlock") == 0) {
        if (!(n = pr_add_node(r, parent, DP_LINE_BLOCK)))
            return pr_nomem(r);
        if ((rc = pr_want_arr(r, c, -1, "lines")))
            return rc;
        for (size_t i = 0; i < c->u.arr.n; i++) {
            dp_node *line = pr_add_node(r, n, DP_LINE);
            if (!line)
                return pr_nomem(r);
            if ((rc = pr_read_inlines(r, line, ITEM(c, i), depth + 2)))
                return rc;
        }
        return 0;
    }
    if (strcmp(t, "CodeBlock") == 0 || strcmp(t, "RawBlock") == 0) {
        if (!(a = pr_args(r, el, t, 2)) || pr_want_str(r, ITEM(a, 1), "text"))
            return DP_EINPUT;
        if (!(n = dp_node_new_text(r->doc, t[0] == 'C' ? DP_CODE_BLOCK : DP_RAW_BLOCK, ITEM(a, 1)->u.str.s,
                                   ITEM(a, 1)->u.str.len)) ||
            dp_node_append_child(parent, n) != 0)
            return pr_nomem(r);
        if (t[0] == 'C')
            return pr_read_attr(r, n, ITEM(a, 0));
        if ((rc = pr_want_str(r, ITEM(a, 0), "a raw format")))
            return rc;
        if (!ITEM(a, 0)->u.str.len)
            return pr_fail_at(r, ITEM(a, 0), "a RawBlock needs a format");
        return dp_node_set_format(n, ITEM(a, 0)->u.str.s) == 0 ? 0 : pr_nomem(r);
    }
    if (strcmp(t, "BlockQuote") == 0) {
        if (!(n = pr_add_node(r, parent, DP_BLOCK_QUOTE)))
            return pr_nomem(r);
        return pr_read_blocks(r, n, c, depth + 1);
    }
    if (strcmp(t, "BulletList") == 0) {
        if (!(n = pr_add_node(r, parent, DP_LIST)))
            return pr_nomem(r);
        if ((rc = read_list_items(r, n, c, depth, &tight)))
            return rc;
        return dp_node_set_list(n, DP_LIST_BULLET, 1, DP_DELIM_DEFAULT, DP_STYLE_DEFAULT, tight) == 0 ? 0
                                                                                                     : pr_nomem(r);
    }
    if (strcmp(t, "OrderedList") == 0)
        return read_ordered(r, parent, el, depth);
    if (strcmp(t, "DefinitionList") == 0)
        return read_deflist(r, parent, el, depth);
    if (strcmp(t, "Header") == 0) {
        long level;
        if (!(a = pr_args(r, el, t, 3)) || pr_want_int(r, ITEM(a, 0), "a header level", 1, 1000, &level))
            return DP_EINPUT;
        if (level > 6)
            pr_warn_at(r, ITEM(a, 0), "heading level %ld: the tree has levels 1 to 6; written as 6", level);
        if (!(n = pr_add_node(r, parent, DP_HEADING)) || dp_node_set_heading_level(n, level > 6 ? 6 : (int)level) != 0)
            return pr_nomem(r);
        if ((rc = pr_read_attr(r, n, ITEM(a, 1))))
            return rc;
        return pr_read_inlines(r, n, ITEM(a, 2), depth + 1);
    }
    if (strcmp(t, "HorizontalRule") == 0)
        return pr_add_node(r, parent, DP_THEMATIC_BREAK) ? 0 : pr_nomem(r);
    if (strcmp(t, "Table") == 0)
        return read_table(r, parent, el, depth);
    if (strcmp(t, "Figure") == 0) {
        if (!(a = pr_args(r, el, t, 3)))
            return DP_EINPUT;
        if (!(n = pr_add_node(r, parent, DP_FIGURE)))
            return pr_nomem(r);
        if ((rc = pr_read_attr(r, n, ITEM(a, 0))) || (rc = pr_read_blocks(r, n, ITEM(a, 2), depth + 1)))
            return rc;
        return read_caption(r, n, ITEM(a, 1), depth);
    }
    if (strcmp(t, "Div") == 0)
        return pr_read_attr_container(r, parent, el, t, DP_DIV, depth);
    if (strcmp(t, "Null") == 0)
        return 0; /* pandoc-types < 1.23: nothing */
    return pr_fail_at(r, el, "unknown pandoc block \"%s\"", t);
}

int pr_read_blocks(pr *r, dp_node *parent, const jv *list, int depth)
{
    size_t i;
    int rc;
    if ((rc = pr_want_arr(r, list, -1, "blocks")) || (rc = pr_too_deep(r, list, depth)))
        return rc;
    for (i = 0; i < list->u.arr.n; i++)
        if ((rc = read_block(r, parent, ITEM(list, i), depth)))
            return rc;
    return 0;
}

/* ---- metadata ---- */

static int read_meta(pr *r, const jv *v, int depth, dp_meta **out)
{
    const jv *c = NULL;
    const char *t = pr_tag_of(r, v, &c);
    dp_meta *m = NULL;
    size_t i;
    int rc;
    if (!t)
        return DP_EINPUT;
    if (depth > 64)
        return pr_fail_at(r, v, "metadata nested deeper than 64 levels");
    if (strcmp(t, "MetaMap") == 0) {
        if (!c || c->type != JV_OBJ)
            return pr_fail_at(r, v, "a MetaMap holds an object");
        if (!(m = dp_meta_new_map(r->doc)))
            return pr_nomem(r);
        for (i = 0; i < c->u.obj.n; i++) {
            dp_meta *item;
            if ((rc = read_meta(r, c->u.obj.values[i], depth + 1, &item)))
                return rc;
            if (dp_meta_set(m, c->u.obj.keys[i]->u.str.s, item) != 0)
                return pr_nomem(r);
        }
    } else if (strcmp(t, "MetaList") == 0) {
        if ((rc = pr_want_arr(r, c, -1, "a MetaList")))
            return rc;
        if (!(m = dp_meta_new_list(r->doc)))
            return pr_nomem(r);
        for (i = 0; i < c->u.arr.n; i++) {
            dp_meta *item;
            if ((rc = read_meta(r, ITEM(c, i), depth + 1, &item)))
                return rc;
            if (dp_meta_append(m, item) != 0)
                return pr_nomem(r);
        }
    } else if (strcmp(t, "MetaString") == 0) {
        if ((rc = pr_want_str(r, c, "a MetaString")))
            return rc;
        if (!(m = dp_meta_new_string(r->doc, c->u.str.s)))
            return pr_nomem(r);
    } else if (strcmp(t, "MetaBool") == 0) {
        if (!c || (c->type != JV_TRUE && c->type != JV_FALSE))
            return pr_fail_at(r, v, "a MetaBool holds true or false");
        if (!(m = dp_meta_new_bool(r->doc, c->type == JV_TRUE)))
            return pr_nomem(r);
    } else if (strcmp(t, "MetaInlines") == 0 || strcmp(t, "MetaBlocks") == 0) {
        int inl = t[4] == 'I';
        if (!(m = dp_meta_new_nodes(r->doc, inl ? DP_META_INLINES : DP_META_BLOCKS)))
            return pr_nomem(r);
        rc = inl ? pr_read_inlines(r, dp_meta_nodes(m), c, 1) : pr_read_blocks(r, dp_meta_nodes(m), c, 1);
        if (rc)
            return rc;
    } else {
        return pr_fail_at(r, v, "unknown pandoc metadata value \"%s\"", t);
    }
    *out = m;
    return 0;
}

int pandoc_read_json(dp_ctx *ctx, const char *path, const unsigned char *data, size_t len, dp_doc **out)
{
    pr r;
    const jv *top, *ver, *meta, *blocks;
    dp_error perr, cerr;
    const dp_limits *limits = dp_ctx_limits(ctx);
    int rc;
    *out = NULL;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.path = path;
    r.max_depth = limits && limits->max_depth > 0 ? limits->max_depth : 1000;
    dp_error_clear(&perr);
    /* a tree level is at most 4 JSON levels (element, "c", Attr/cell array) */
    rc = json_parse(&r.jd, data, len, r.max_depth > (1 << 26) ? (1 << 28) : 4 * r.max_depth + 16, path, &perr);
    if (rc)
        return dp_fail(ctx, perr.code, perr.file[0] ? perr.file : NULL, perr.line, perr.column, "%s", perr.message);
    if (dp_doc_new(&r.doc) != 0 || dp_buf_new(&r.text) != 0) {
        rc = pr_nomem(&r);
        goto done;
    }
    top = r.jd.root;
    if (top->type != JV_OBJ || !(ver = jv_get(top, "pandoc-api-version")) || ver->type != JV_ARR ||
        ver->u.arr.n < 2 || ITEM(ver, 0)->type != JV_NUM || ITEM(ver, 1)->type != JV_NUM) {
        rc = pr_fail_at(&r, top, "not pandoc's JSON: no \"pandoc-api-version\" (write it with pandoc -t json)");
        goto done;
    }
    r.api = atoi(ITEM(ver, 1)->u.num.text);
    if (atoi(ITEM(ver, 0)->u.num.text) != 1 || r.api < 22 || r.api > 23) {
        rc = pr_fail_at(&r, ver, "pandoc-api-version %.*s.%.*s is not supported (1.22 and 1.23 are)",
                     (int)ITEM(ver, 0)->u.num.len, ITEM(ver, 0)->u.num.text, (int)ITEM(ver, 1)->u.num.len,
                     ITEM(ver, 1)->u.num.text);
        goto done;
    }
    if ((meta = jv_get(top, "meta")) != NULL) {
        if (meta->type != JV_OBJ) {
            rc = pr_fail_at(&r, meta, "\"meta\" must be an object");
            goto done;
        }
        for (size_t i = 0; i < meta->u.obj.n; i++) {
            dp_meta *v;
            if ((rc = read_meta(&r, meta->u.obj.values[i], 1, &v)))
                goto done;
            if (dp_meta_set(dp_doc_meta(r.doc), meta->u.obj.keys[i]->u.str.s, v) != 0) {
                rc = pr_nomem(&r);
                goto done;
            }
        }
    }
    if (!(blocks = jv_get(top, "blocks"))) {
        rc = pr_fail_at(&r, top, "no \"blocks\"");
        goto done;
    }
    if ((rc = pr_read_blocks(&r, dp_doc_root(r.doc), blocks, 1)))
        goto done;
    dp_error_clear(&cerr);
    if (dp_doc_check(r.doc, &cerr) != 0) {
        rc = dp_fail(ctx, DP_EINPUT, path, cerr.line, cerr.column, "%s", cerr.message);
        goto done;
    }
    *out = r.doc;
    r.doc = NULL;
done:
    dp_doc_free(r.doc);
    dp_buf_free(r.text);
    json_doc_free(&r.jd);
    return rc;
}

int pandoc_import(dp_ctx *ctx, const dp_input *in, dp_doc **out)
{
    return pandoc_read_json(ctx, in->path, in->data, in->len, out);
}
