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

#include "pandoc_internal.h"

typedef struct pr {
    dp_ctx *ctx;
    const char *path;
    json_doc jd;
    dp_doc *doc;
    int max_depth;
    int api; /* minor version: 22 or 23 */
    dp_buf *text; /* the pending Str/Space run */
} pr;

static int read_inlines(pr *r, dp_node *parent, const jv *list, int depth);
static int read_blocks(pr *r, dp_node *parent, const jv *list, int depth);

static int fail_at(pr *r, const jv *v, const char *fmt, ...) DP_PRINTF(3, 4);
static int fail_at(pr *r, const jv *v, const char *fmt, ...)
{
    char msg[600];
    int line = 0, col = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (v)
        json_position(&r->jd, v->offset, &line, &col);
    return dp_fail(r->ctx, DP_EINPUT, r->path, line, col, "%s", msg);
}

static void warn_at(pr *r, const jv *v, const char *fmt, ...) DP_PRINTF(3, 4);
static void warn_at(pr *r, const jv *v, const char *fmt, ...)
{
    char msg[600];
    int line = 0, col = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_position(&r->jd, v->offset, &line, &col);
    dp_warn_at(r->ctx, r->path, line, col, "%s", msg);
}

static int nomem(pr *r)
{
    return dp_fail(r->ctx, DP_ENOMEM, r->path, 0, 0, "out of memory");
}

/* v must be an array of exactly n items (n < 0: any length). */
static int want_arr(pr *r, const jv *v, int n, const char *what)
{
    if (!v || v->type != JV_ARR)
        return fail_at(r, v, "%s must be an array", what);
    if (n >= 0 && v->u.arr.n != (size_t)n)
        return fail_at(r, v, "%s must have %d items, not %zu", what, n, v->u.arr.n);
    return 0;
}

static int want_str(pr *r, const jv *v, const char *what)
{
    if (!v || v->type != JV_STR)
        return fail_at(r, v, "%s must be a string", what);
    return 0;
}

static int want_int(pr *r, const jv *v, const char *what, long lo, long hi, long *out)
{
    char *end;
    long n;
    if (!v || v->type != JV_NUM)
        return fail_at(r, v, "%s must be a number", what);
    n = strtol(v->u.num.text, &end, 10);
    if (end != v->u.num.text + v->u.num.len || n < lo || n > hi)
        return fail_at(r, v, "%s must be an integer from %ld to %ld", what, lo, hi);
    *out = n;
    return 0;
}

/* {"t": T, "c": C}: T (NULL on error), *c the contents (NULL when absent). */
static const char *tag_of(pr *r, const jv *v, const jv **c)
{
    const jv *t;
    if (!v || v->type != JV_OBJ || !(t = jv_get(v, "t")) || t->type != JV_STR) {
        fail_at(r, v, "a pandoc element is an object with a \"t\" string");
        return NULL;
    }
    *c = jv_get(v, "c");
    return t->u.str.s;
}

/* the contents as an array of n items */
static const jv *args(pr *r, const jv *el, const char *t, int n)
{
    const jv *c = jv_get(el, "c");
    char what[64];
    snprintf(what, sizeof what, "the contents of %s", t);
    return want_arr(r, c, n, what) ? NULL : c;
}

#define ITEM(v, i) ((v)->u.arr.items[i])

/* [id, [classes], [[k, v]]] */
static int read_attr(pr *r, dp_node *n, const jv *a)
{
    size_t i;
    int rc;
    if ((rc = want_arr(r, a, 3, "an Attr")) || (rc = want_str(r, ITEM(a, 0), "an id")) ||
        (rc = want_arr(r, ITEM(a, 1), -1, "classes")) || (rc = want_arr(r, ITEM(a, 2), -1, "attributes")))
        return rc;
    if (ITEM(a, 0)->u.str.len && dp_node_set_id(n, ITEM(a, 0)->u.str.s) != 0)
        return nomem(r);
    for (i = 0; i < ITEM(a, 1)->u.arr.n; i++) {
        const jv *c = ITEM(ITEM(a, 1), i);
        if ((rc = want_str(r, c, "a class")))
            return rc;
        if (!c->u.str.len || strpbrk(c->u.str.s, " \t\n")) {
            warn_at(r, c, "class \"%s\" is not one word: left out", c->u.str.s);
            continue;
        }
        if (dp_node_add_class(n, c->u.str.s) != 0)
            return nomem(r);
    }
    for (i = 0; i < ITEM(a, 2)->u.arr.n; i++) {
        const jv *kv = ITEM(ITEM(a, 2), i);
        if ((rc = want_arr(r, kv, 2, "an attribute")) || (rc = want_str(r, ITEM(kv, 0), "an attribute name")) ||
            (rc = want_str(r, ITEM(kv, 1), "an attribute value")))
            return rc;
        if (!ITEM(kv, 0)->u.str.len)
            continue;
        if (dp_node_set_attr(n, ITEM(kv, 0)->u.str.s, ITEM(kv, 1)->u.str.s) != 0)
            return nomem(r);
    }
    return 0;
}

static dp_node *add(pr *r, dp_node *parent, dp_kind kind)
{
    dp_node *n = dp_node_new(r->doc, kind);
    if (!n)
        return NULL;
    if (dp_node_append_child(parent, n) != 0)
        return NULL;
    return n;
}

static int too_deep(pr *r, const jv *v, int depth)
{
    return depth > r->max_depth ? fail_at(r, v, "the document nests deeper than %d levels (limit max-depth)",
                                          r->max_depth)
                                : 0;
}

/* ---- inlines ---- */

static int flush_text(pr *r, dp_node *parent)
{
    dp_node *t;
    if (!dp_buf_len(r->text))
        return 0;
    t = dp_node_new_text(r->doc, DP_TEXT, (const char *)dp_buf_data(r->text), dp_buf_len(r->text));
    dp_buf_reset(r->text);
    if (!t || dp_node_append_child(parent, t) != 0)
        return nomem(r);
    return 0;
}

/* The plain text of inlines (citation prefixes and suffixes are text in the
 * tree). Formatting inside them is reported. */
static int stringify(pr *r, const jv *list, dp_buf *out, int depth)
{
    size_t i;
    int rc;
    if ((rc = want_arr(r, list, -1, "inlines")) || (rc = too_deep(r, list, depth)))
        return rc;
    for (i = 0; i < list->u.arr.n; i++) {
        const jv *c = NULL;
        const char *t = tag_of(r, ITEM(list, i), &c);
        if (!t)
            return DP_EINPUT;
        if (strcmp(t, "Str") == 0 && c && c->type == JV_STR)
            dp_buf_append(out, c->u.str.s, c->u.str.len);
        else if (strcmp(t, "Space") == 0 || strcmp(t, "SoftBreak") == 0 || strcmp(t, "LineBreak") == 0)
            dp_buf_puts(out, " ");
        else {
            warn_at(r, ITEM(list, i), "%s in a citation prefix or suffix: kept as plain text", t);
            if (c && c->type == JV_ARR && c->u.arr.n && ITEM(c, c->u.arr.n - 1)->type == JV_ARR &&
                (rc = stringify(r, ITEM(c, c->u.arr.n - 1), out, depth + 1)))
                return rc;
        }
    }
    return 0;
}

static int read_cite(pr *r, dp_node *parent, const jv *el, int depth)
{
    static const char *const modes[] = {"NormalCitation", "AuthorInText", "SuppressAuthor", NULL};
    const jv *c = args(r, el, "Cite", 2);
    dp_node *n;
    size_t i;
    int rc;
    if (!c)
        return DP_EINPUT;
    if ((rc = want_arr(r, ITEM(c, 0), -1, "citations")))
        return rc;
    if (!(n = add(r, parent, DP_CITE)))
        return nomem(r);
    for (i = 0; i < ITEM(c, 0)->u.arr.n; i++) {
        const jv *ci = ITEM(ITEM(c, 0), i), *id, *mode;
        dp_citation cit = {NULL, NULL, NULL, DP_CITE_NORMAL};
        dp_buf *pre = NULL, *suf = NULL;
        const jv *mc = NULL;
        const char *mt;
        if (!ci || ci->type != JV_OBJ || !(id = jv_get(ci, "citationId")) || id->type != JV_STR)
            return fail_at(r, ci, "a citation is an object with a \"citationId\" string");
        cit.id = id->u.str.s;
        if ((mode = jv_get(ci, "citationMode")) != NULL) {
            if (!(mt = tag_of(r, mode, &mc)))
                return DP_EINPUT;
            for (int k = 0; modes[k]; k++)
                if (strcmp(mt, modes[k]) == 0)
                    cit.mode = (dp_cite_mode)k;
        }
        if (dp_buf_new(&pre) != 0 || dp_buf_new(&suf) != 0) {
            dp_buf_free(pre);
            return nomem(r);
        }
        rc = jv_get(ci, "citationPrefix") ? stringify(r, jv_get(ci, "citationPrefix"), pre, depth + 1) : 0;
        if (!rc && jv_get(ci, "citationSuffix"))
            rc = stringify(r, jv_get(ci, "citationSuffix"), suf, depth + 1);
        if (!rc) {
            dp_buf_append(pre, "", 1);
            dp_buf_append(suf, "", 1);
            cit.prefix = dp_buf_len(pre) > 1 ? (const char *)dp_buf_data(pre) : NULL;
            cit.suffix = dp_buf_len(suf) > 1 ? (const char *)dp_buf_data(suf) : NULL;
            if (dp_node_add_citation(n, &cit) != 0)
                rc = nomem(r);
        }
        dp_buf_free(pre);
        dp_buf_free(suf);
        if (rc)
            return rc;
    }
    return read_inlines(r, n, ITEM(c, 1), depth + 1);
}

/* Link and Image: [Attr, [inlines], [url, title]] */
static int read_target(pr *r, dp_node *parent, const jv *el, const char *t, dp_kind kind, int depth,
                       dp_node **out)
{
    const jv *c = args(r, el, t, 3);
    dp_node *n;
    int rc;
    if (!c)
        return DP_EINPUT;
    if ((rc = want_arr(r, ITEM(c, 2), 2, "a target")) || (rc = want_str(r, ITEM(ITEM(c, 2), 0), "a url")) ||
        (rc = want_str(r, ITEM(ITEM(c, 2), 1), "a title")))
        return rc;
    if (!(n = add(r, parent, kind)) || dp_node_set_url(n, ITEM(ITEM(c, 2), 0)->u.str.s) != 0)
        return nomem(r);
    if (ITEM(ITEM(c, 2), 1)->u.str.len && dp_node_set_title(n, ITEM(ITEM(c, 2), 1)->u.str.s) != 0)
        return nomem(r);
    if ((rc = read_attr(r, n, ITEM(c, 0))))
        return rc;
    if (out)
        *out = n;
    return read_inlines(r, n, ITEM(c, 1), depth + 1);
}

static dp_kind simple_inline(const char *t)
{
    static const struct {
        const char *t;
        dp_kind k;
    } map[] = {{"Emph", DP_EMPH},           {"Strong", DP_STRONG},       {"Underline", DP_UNDERLINE},
               {"Strikeout", DP_STRIKEOUT}, {"Superscript", DP_SUPERSCRIPT}, {"Subscript", DP_SUBSCRIPT},
               {"SmallCaps", DP_SMALL_CAPS}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(t, map[i].t) == 0)
            return map[i].k;
    return DP_NODE_NONE;
}

/* Code, Math, RawInline: a leaf with text */
static int read_leaf(pr *r, dp_node *parent, const jv *el, const char *t)
{
    const jv *c = args(r, el, t, 2);
    dp_node *n;
    const jv *mc = NULL;
    int rc;
    if (!c || (rc = want_str(r, ITEM(c, 1), "text")))
        return DP_EINPUT;
    if (strcmp(t, "Code") == 0) {
        if (!(n = dp_node_new_text(r->doc, DP_CODE, ITEM(c, 1)->u.str.s, ITEM(c, 1)->u.str.len)) ||
            dp_node_append_child(parent, n) != 0)
            return nomem(r);
        return read_attr(r, n, ITEM(c, 0));
    }
    if (strcmp(t, "Math") == 0) {
        const char *mt = tag_of(r, ITEM(c, 0), &mc);
        if (!mt)
            return DP_EINPUT;
        if (!(n = dp_node_new_text(r->doc, DP_MATH, ITEM(c, 1)->u.str.s, ITEM(c, 1)->u.str.len)) ||
            dp_node_set_format(n, "tex") != 0 || dp_node_set_math_display(n, strcmp(mt, "DisplayMath") == 0) != 0 ||
            dp_node_append_child(parent, n) != 0)
            return nomem(r);
        return 0;
    }
    if ((rc = want_str(r, ITEM(c, 0), "a raw format")))
        return rc;
    if (!ITEM(c, 0)->u.str.len)
        return fail_at(r, ITEM(c, 0), "a RawInline needs a format");
    if (!(n = dp_node_new_text(r->doc, DP_RAW_INLINE, ITEM(c, 1)->u.str.s, ITEM(c, 1)->u.str.len)) ||
        dp_node_set_format(n, ITEM(c, 0)->u.str.s) != 0 || dp_node_append_child(parent, n) != 0)
        return nomem(r);
    return 0;
}

/* Span and Div: [Attr, children] */
static int read_attr_container(pr *r, dp_node *parent, const jv *el, const char *t, dp_kind kind, int depth)
{
    const jv *a = args(r, el, t, 2);
    dp_node *n;
    int rc;
    if (!a)
        return DP_EINPUT;
    if (!(n = add(r, parent, kind)))
        return nomem(r);
    if ((rc = read_attr(r, n, ITEM(a, 0))))
        return rc;
    return kind == DP_DIV ? read_blocks(r, n, ITEM(a, 1), depth + 1) : read_inlines(r, n, ITEM(a, 1), depth + 1);
}

static int read_inline(pr *r, dp_node *parent, const jv *el, int depth)
{
    const jv *c = NULL;
    const char *t = tag_of(r, el, &c);
    dp_kind k;
    dp_node *n;
    int rc;
    if (!t)
        return DP_EINPUT;
    if (strcmp(t, "Str") == 0) {
        if ((rc = want_str(r, c, "a Str")))
            return rc;
        return dp_buf_append(r->text, c->u.str.s, c->u.str.len) == 0 ? 0 : nomem(r);
    }
    if (strcmp(t, "Space") == 0)
        return dp_buf_puts(r->text, " ") == 0 ? 0 : nomem(r);
    if ((rc = flush_text(r, parent)))
        return rc;
    if ((k = simple_inline(t)) != DP_NODE_NONE) {
        if (!(n = add(r, parent, k)))
            return nomem(r);
        return read_inlines(r, n, c, depth + 1);
    }
    if (strcmp(t, "SoftBreak") == 0 || strcmp(t, "LineBreak") == 0)
        return add(r, parent, t[0] == 'S' ? DP_SOFT_BREAK : DP_LINE_BREAK) ? 0 : nomem(r);
    if (strcmp(t, "Quoted") == 0) {
        const jv *qc = NULL, *a = args(r, el, t, 2);
        const char *qt = a ? tag_of(r, ITEM(a, 0), &qc) : NULL;
        if (!qt)
            return DP_EINPUT;
        if (!(n = add(r, parent, DP_QUOTED)) ||
            dp_node_set_quote(n, strcmp(qt, "SingleQuote") == 0 ? DP_QUOTE_SINGLE : DP_QUOTE_DOUBLE) != 0)
            return nomem(r);
        return read_inlines(r, n, ITEM(a, 1), depth + 1);
    }
    if (strcmp(t, "Cite") == 0)
        return read_cite(r, parent, el, depth);
    if (strcmp(t, "Code") == 0 || strcmp(t, "Math") == 0 || strcmp(t, "RawInline") == 0)
        return read_leaf(r, parent, el, t);
    if (strcmp(t, "Link") == 0)
        return read_target(r, parent, el, t, DP_LINK, depth, NULL);
    if (strcmp(t, "Image") == 0)
        return read_target(r, parent, el, t, DP_IMAGE, depth, NULL);
    if (strcmp(t, "Note") == 0) {
        if (!(n = add(r, parent, DP_NOTE)))
            return nomem(r);
        return read_blocks(r, n, c, depth + 1);
    }
    if (strcmp(t, "Span") == 0)
        return read_attr_container(r, parent, el, t, DP_SPAN, depth);
    return fail_at(r, el, "unknown pandoc inline \"%s\"", t);
}

static int read_inlines(pr *r, dp_node *parent, const jv *list, int depth)
{
    size_t i;
    int rc;
    if ((rc = want_arr(r, list, -1, "inlines")) || (rc = too_deep(r, list, depth)))
        return rc;
    /* read_inline flushed the outer run before making parent */
    for (i = 0; i < list->u.arr.n; i++)
        if ((rc = read_inline(r, parent, ITEM(list, i), depth)))
            return rc;
    return flush_text(r, parent);
}

/* ---- blocks ---- */

static int read_list_items(pr *r, dp_node *list, const jv *items, int depth, int *tight)
{
    size_t i;
    int rc;
    if ((rc = want_arr(r, items, -1, "list items")))
        return rc;
    *tight = items->u.arr.n > 0;
    for (i = 0; i < items->u.arr.n; i++) {
        const jv *bl = ITEM(items, i);
        dp_node *it = add(r, list, DP_LIST_ITEM);
        if (!it)
            return nomem(r);
        if ((rc = want_arr(r, bl, -1, "a list item")))
            return rc;
        /* pandoc's tight lists hold Plain, loose ones Para */
        for (size_t k = 0; k < bl->u.arr.n; k++) {
            const jv *tc = jv_get(ITEM(bl, k), "t");
            if (tc && tc->type == JV_STR && strcmp(tc->u.str.s, "Para") == 0)
                *tight = 0;
        }
        if ((rc = read_blocks(r, it, bl, depth + 1)))
            return rc;
    }
    return 0;
}

static int read_ordered(pr *r, dp_node *parent, const jv *el, int depth)
{
    static const char *const styles[] = {"DefaultStyle", "Decimal",    "LowerAlpha", "UpperAlpha",
                                         "LowerRoman",   "UpperRoman", NULL};
    static const char *const delims[] = {"DefaultDelim", "Period", "OneParen", NULL};
    const jv *c = args(r, el, "OrderedList", 2), *la, *sc = NULL, *dc = NULL;
    const char *st, *de;
    long start;
    int style = 0, delim = 0, tight, rc, k;
    dp_node *n;
    if (!c || (rc = want_arr(r, la = ITEM(c, 0), 3, "list attributes")))
        return DP_EINPUT;
    if ((rc = want_int(r, ITEM(la, 0), "a list start", -1000000000L, 1000000000L, &start)))
        return rc;
    if (!(st = tag_of(r, ITEM(la, 1), &sc)) || !(de = tag_of(r, ITEM(la, 2), &dc)))
        return DP_EINPUT;
    for (k = 0; styles[k]; k++)
        if (strcmp(st, styles[k]) == 0)
            style = k;
    for (k = 0; delims[k]; k++)
        if (strcmp(de, delims[k]) == 0)
            delim = k;
    if (strcmp(st, "Example") == 0)
        warn_at(r, ITEM(la, 1), "example lists (@) have no place in the tree: numbered as decimal");
    if (strcmp(de, "TwoParens") == 0) {
        warn_at(r, ITEM(la, 2), "the delimiter (1) has no place in the tree: written as 1)");
        delim = DP_DELIM_PAREN;
    }
    if (!(n = add(r, parent, DP_LIST)))
        return nomem(r);
    if ((rc = read_list_items(r, n, ITEM(c, 1), depth, &tight)))
        return rc;
    return dp_node_set_list(n, DP_LIST_ORDERED, (int)start, (dp_list_delim)delim, (dp_list_style)style, tight) == 0
               ? 0
               : nomem(r);
}

static int read_deflist(pr *r, dp_node *parent, const jv *el, int depth)
{
    dp_node *n = add(r, parent, DP_DEF_LIST);
    const jv *items = jv_get(el, "c");
    size_t i, k;
    int rc;
    if (!n)
        return nomem(r);
    if ((rc = want_arr(r, items, -1, "definition items")))
        return rc;
    for (i = 0; i < items->u.arr.n; i++) {
        const jv *item = ITEM(items, i);
        dp_node *di, *term;
        if ((rc = want_arr(r, item, 2, "a definition item")) ||
            (rc = want_arr(r, ITEM(item, 1), -1, "definitions")))
            return rc;
        if (!(di = add(r, n, DP_DEF_ITEM)) || !(term = add(r, di, DP_DEF_TERM)))
            return nomem(r);
        if ((rc = read_inlines(r, term, ITEM(item, 0), depth + 2)))
            return rc;
        for (k = 0; k < ITEM(item, 1)->u.arr.n; k++) {
            dp_node *d = add(r, di, DP_DEF_DESC);
            if (!d)
                return nomem(r);
            if ((rc = read_blocks(r, d, ITEM(ITEM(item, 1), k), depth + 2)))
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
    if ((rc = want_arr(r, cap, 2, "a Caption")) || (rc = want_arr(r, ITEM(cap, 1), -1, "caption blocks")))
        return rc;
    if (ITEM(cap, 0)->type != JV_NULL)
        warn_at(r, ITEM(cap, 0), "the short caption has no place in the tree: left out");
    if (ITEM(cap, 1)->u.arr.n == 0)
        return 0;
    if (!(n = dp_node_new(r->doc, DP_CAPTION)) || dp_node_append_child(parent, n) != 0)
        return nomem(r);
    return read_blocks(r, n, ITEM(cap, 1), depth + 1);
}

/* rows: [[Attr, [cells]]]; cell: [Attr, align, rowspan, colspan, blocks].
 * header: every cell is a header cell; row_heads: the first row_heads
 * columns of each row are. */
static int read_rows(pr *r, dp_node *section, const jv *rows, int header, long row_heads, int depth)
{
    static const char *const aligns[] = {"AlignDefault", "AlignLeft", "AlignCenter", "AlignRight", NULL};
    size_t i, k;
    int rc;
    if ((rc = want_arr(r, rows, -1, "rows")))
        return rc;
    for (i = 0; i < rows->u.arr.n; i++) {
        const jv *row = ITEM(rows, i);
        dp_node *rn;
        long col = 0;
        if ((rc = want_arr(r, row, 2, "a Row")) || (rc = want_arr(r, ITEM(row, 1), -1, "cells")))
            return rc;
        if (!(rn = add(r, section, DP_TABLE_ROW)))
            return nomem(r);
        if ((rc = read_attr(r, rn, ITEM(row, 0))))
            return rc;
        for (k = 0; k < ITEM(row, 1)->u.arr.n; k++) {
            const jv *cell = ITEM(ITEM(row, 1), k), *ac = NULL;
            const char *at;
            long rs, cs;
            int align = 0;
            dp_node *cn;
            if ((rc = want_arr(r, cell, 5, "a Cell")))
                return rc;
            if (!(at = tag_of(r, ITEM(cell, 1), &ac)))
                return DP_EINPUT;
            for (int a = 0; aligns[a]; a++)
                if (strcmp(at, aligns[a]) == 0)
                    align = a;
            if ((rc = want_int(r, ITEM(cell, 2), "a row span", 1, 65535, &rs)) ||
                (rc = want_int(r, ITEM(cell, 3), "a column span", 1, 65535, &cs)))
                return rc;
            if (!(cn = add(r, rn, DP_TABLE_CELL)) ||
                dp_node_set_cell(cn, (dp_align)align, (int)rs, (int)cs, header || col < row_heads) != 0)
                return nomem(r);
            col += cs;
            if ((rc = read_attr(r, cn, ITEM(cell, 0))) || (rc = read_blocks(r, cn, ITEM(cell, 4), depth + 3)))
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
    if ((rc = want_arr(r, sec, 2, kind == DP_TABLE_HEAD ? "a TableHead" : "a TableFoot")) ||
        (rc = want_arr(r, a = ITEM(sec, 0), 3, "an Attr")) || (rc = want_arr(r, ITEM(sec, 1), -1, "rows")))
        return rc;
    if (ITEM(sec, 1)->u.arr.n == 0 && ITEM(a, 0)->type == JV_STR && !ITEM(a, 0)->u.str.len &&
        !ITEM(a, 1)->u.arr.n && !ITEM(a, 2)->u.arr.n)
        return 0;
    if (!(n = add(r, table, kind)))
        return nomem(r);
    if ((rc = read_attr(r, n, a)))
        return rc;
    return read_rows(r, n, ITEM(sec, 1), kind == DP_TABLE_HEAD, 0, depth + 1);
}

static int read_table(pr *r, dp_node *parent, const jv *el, int depth)
{
    static const char *const aligns[] = {"AlignDefault", "AlignLeft", "AlignCenter", "AlignRight", NULL};
    const jv *c = args(r, el, "Table", 6), *specs, *bodies;
    dp_node *n;
    dp_align al[1024];
    double wd[1024];
    size_t i, ncols;
    int rc;
    if (!c)
        return DP_EINPUT;
    if (!(n = add(r, parent, DP_TABLE)))
        return nomem(r);
    if ((rc = read_attr(r, n, ITEM(c, 0))) || (rc = read_caption(r, n, ITEM(c, 1), depth)) ||
        (rc = want_arr(r, specs = ITEM(c, 2), -1, "column specs")))
        return rc;
    ncols = specs->u.arr.n;
    if (ncols > 1024)
        return fail_at(r, specs, "more than 1024 columns");
    for (i = 0; i < ncols; i++) {
        const jv *cs = ITEM(specs, i), *ac = NULL, *wc = NULL;
        const char *at, *wt;
        if ((rc = want_arr(r, cs, 2, "a ColSpec")))
            return rc;
        if (!(at = tag_of(r, ITEM(cs, 0), &ac)) || !(wt = tag_of(r, ITEM(cs, 1), &wc)))
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
        return nomem(r);
    if ((rc = read_section(r, n, ITEM(c, 3), DP_TABLE_HEAD, depth)) ||
        (rc = want_arr(r, bodies = ITEM(c, 4), -1, "table bodies")))
        return rc;
    for (i = 0; i < bodies->u.arr.n; i++) {
        const jv *b = ITEM(bodies, i);
        dp_node *bn;
        long rhc;
        if ((rc = want_arr(r, b, 4, "a TableBody")) ||
            (rc = want_int(r, ITEM(b, 1), "row head columns", 0, 65535, &rhc)))
            return rc;
        if (!(bn = add(r, n, DP_TABLE_BODY)))
            return nomem(r);
        /* intermediate head rows: rows of header cells at the top */
        if ((rc = read_attr(r, bn, ITEM(b, 0))) || (rc = read_rows(r, bn, ITEM(b, 2), 1, 0, depth + 1)) ||
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
    if (!(fig = add(r, parent, DP_FIGURE)) || !(plain = add(r, fig, DP_PLAIN)))
        return nomem(r);
    if ((rc = read_target(r, plain, img, "Image", DP_IMAGE, depth + 2, &image)))
        return rc;
    if (ITEM(tgt, 1)->u.str.s[4]) {
        if (dp_node_set_title(image, ITEM(tgt, 1)->u.str.s + 4) != 0)
            return nomem(r);
    } else if (dp_node_set_title(image, NULL) != 0) {
        return nomem(r);
    }
    if (!dp_node_first_child(image))
        return 0; /* no alt text: no caption */
    if (!(cap = add(r, fig, DP_CAPTION)) || !(cp = add(r, cap, DP_PLAIN)))
        return nomem(r);
    return read_inlines(r, cp, ITEM(ic, 1), depth + 2);
}

static int read_block(pr *r, dp_node *parent, const jv *el, int depth)
{
    const jv *c = NULL, *a;
    const char *t = tag_of(r, el, &c);
    dp_node *n;
    int rc, done, tight;
    if (!t)
        return DP_EINPUT;
    if (strcmp(t, "Para") == 0 || strcmp(t, "Plain") == 0) {
        if (t[1] == 'a' && ((rc = implicit_figure(r, parent, el, depth, &done)) || done))
            return rc;
        if (!(n = add(r, parent, t[1] == 'a' ? DP_PARA : DP_PLAIN)))
            return nomem(r);
        return read_inlines(r, n, c, depth + 1);
    }
    if (strcmp(t, "LineBlock") == 0) {
        if (!(n = add(r, parent, DP_LINE_BLOCK)))
            return nomem(r);
        if ((rc = want_arr(r, c, -1, "lines")))
            return rc;
        for (size_t i = 0; i < c->u.arr.n; i++) {
            dp_node *line = add(r, n, DP_LINE);
            if (!line)
                return nomem(r);
            if ((rc = read_inlines(r, line, ITEM(c, i), depth + 2)))
                return rc;
        }
        return 0;
    }
    if (strcmp(t, "CodeBlock") == 0 || strcmp(t, "RawBlock") == 0) {
        if (!(a = args(r, el, t, 2)) || want_str(r, ITEM(a, 1), "text"))
            return DP_EINPUT;
        if (!(n = dp_node_new_text(r->doc, t[0] == 'C' ? DP_CODE_BLOCK : DP_RAW_BLOCK, ITEM(a, 1)->u.str.s,
                                   ITEM(a, 1)->u.str.len)) ||
            dp_node_append_child(parent, n) != 0)
            return nomem(r);
        if (t[0] == 'C')
            return read_attr(r, n, ITEM(a, 0));
        if ((rc = want_str(r, ITEM(a, 0), "a raw format")))
            return rc;
        if (!ITEM(a, 0)->u.str.len)
            return fail_at(r, ITEM(a, 0), "a RawBlock needs a format");
        return dp_node_set_format(n, ITEM(a, 0)->u.str.s) == 0 ? 0 : nomem(r);
    }
    if (strcmp(t, "BlockQuote") == 0) {
        if (!(n = add(r, parent, DP_BLOCK_QUOTE)))
            return nomem(r);
        return read_blocks(r, n, c, depth + 1);
    }
    if (strcmp(t, "BulletList") == 0) {
        if (!(n = add(r, parent, DP_LIST)))
            return nomem(r);
        if ((rc = read_list_items(r, n, c, depth, &tight)))
            return rc;
        return dp_node_set_list(n, DP_LIST_BULLET, 1, DP_DELIM_DEFAULT, DP_STYLE_DEFAULT, tight) == 0 ? 0
                                                                                                     : nomem(r);
    }
    if (strcmp(t, "OrderedList") == 0)
        return read_ordered(r, parent, el, depth);
    if (strcmp(t, "DefinitionList") == 0)
        return read_deflist(r, parent, el, depth);
    if (strcmp(t, "Header") == 0) {
        long level;
        if (!(a = args(r, el, t, 3)) || want_int(r, ITEM(a, 0), "a header level", 1, 1000, &level))
            return DP_EINPUT;
        if (level > 6)
            warn_at(r, ITEM(a, 0), "heading level %ld: the tree has levels 1 to 6; written as 6", level);
        if (!(n = add(r, parent, DP_HEADING)) || dp_node_set_heading_level(n, level > 6 ? 6 : (int)level) != 0)
            return nomem(r);
        if ((rc = read_attr(r, n, ITEM(a, 1))))
            return rc;
        return read_inlines(r, n, ITEM(a, 2), depth + 1);
    }
    if (strcmp(t, "HorizontalRule") == 0)
        return add(r, parent, DP_THEMATIC_BREAK) ? 0 : nomem(r);
    if (strcmp(t, "Table") == 0)
        return read_table(r, parent, el, depth);
    if (strcmp(t, "Figure") == 0) {
        if (!(a = args(r, el, t, 3)))
            return DP_EINPUT;
        if (!(n = add(r, parent, DP_FIGURE)))
            return nomem(r);
        if ((rc = read_attr(r, n, ITEM(a, 0))) || (rc = read_blocks(r, n, ITEM(a, 2), depth + 1)))
            return rc;
        return read_caption(r, n, ITEM(a, 1), depth);
    }
    if (strcmp(t, "Div") == 0)
        return read_attr_container(r, parent, el, t, DP_DIV, depth);
    if (strcmp(t, "Null") == 0)
        return 0; /* pandoc-types < 1.23: nothing */
    return fail_at(r, el, "unknown pandoc block \"%s\"", t);
}

static int read_blocks(pr *r, dp_node *parent, const jv *list, int depth)
{
    size_t i;
    int rc;
    if ((rc = want_arr(r, list, -1, "blocks")) || (rc = too_deep(r, list, depth)))
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
    const char *t = tag_of(r, v, &c);
    dp_meta *m = NULL;
    size_t i;
    int rc;
    if (!t)
        return DP_EINPUT;
    if (depth > 64)
        return fail_at(r, v, "metadata nested deeper than 64 levels");
    if (strcmp(t, "MetaMap") == 0) {
        if (!c || c->type != JV_OBJ)
            return fail_at(r, v, "a MetaMap holds an object");
        if (!(m = dp_meta_new_map(r->doc)))
            return nomem(r);
        for (i = 0; i < c->u.obj.n; i++) {
            dp_meta *item;
            if ((rc = read_meta(r, c->u.obj.values[i], depth + 1, &item)))
                return rc;
            if (dp_meta_set(m, c->u.obj.keys[i]->u.str.s, item) != 0)
                return nomem(r);
        }
    } else if (strcmp(t, "MetaList") == 0) {
        if ((rc = want_arr(r, c, -1, "a MetaList")))
            return rc;
        if (!(m = dp_meta_new_list(r->doc)))
            return nomem(r);
        for (i = 0; i < c->u.arr.n; i++) {
            dp_meta *item;
            if ((rc = read_meta(r, ITEM(c, i), depth + 1, &item)))
                return rc;
            if (dp_meta_append(m, item) != 0)
                return nomem(r);
        }
    } else if (strcmp(t, "MetaString") == 0) {
        if ((rc = want_str(r, c, "a MetaString")))
            return rc;
        if (!(m = dp_meta_new_string(r->doc, c->u.str.s)))
            return nomem(r);
    } else if (strcmp(t, "MetaBool") == 0) {
        if (!c || (c->type != JV_TRUE && c->type != JV_FALSE))
            return fail_at(r, v, "a MetaBool holds true or false");
        if (!(m = dp_meta_new_bool(r->doc, c->type == JV_TRUE)))
            return nomem(r);
    } else if (strcmp(t, "MetaInlines") == 0 || strcmp(t, "MetaBlocks") == 0) {
        int inl = t[4] == 'I';
        if (!(m = dp_meta_new_nodes(r->doc, inl ? DP_META_INLINES : DP_META_BLOCKS)))
            return nomem(r);
        rc = inl ? read_inlines(r, dp_meta_nodes(m), c, 1) : read_blocks(r, dp_meta_nodes(m), c, 1);
        if (rc)
            return rc;
    } else {
        return fail_at(r, v, "unknown pandoc metadata value \"%s\"", t);
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
        rc = nomem(&r);
        goto done;
    }
    top = r.jd.root;
    if (top->type != JV_OBJ || !(ver = jv_get(top, "pandoc-api-version")) || ver->type != JV_ARR ||
        ver->u.arr.n < 2 || ITEM(ver, 0)->type != JV_NUM || ITEM(ver, 1)->type != JV_NUM) {
        rc = fail_at(&r, top, "not pandoc's JSON: no \"pandoc-api-version\" (write it with pandoc -t json)");
        goto done;
    }
    r.api = atoi(ITEM(ver, 1)->u.num.text);
    if (atoi(ITEM(ver, 0)->u.num.text) != 1 || r.api < 22 || r.api > 23) {
        rc = fail_at(&r, ver, "pandoc-api-version %.*s.%.*s is not supported (1.22 and 1.23 are)",
                     (int)ITEM(ver, 0)->u.num.len, ITEM(ver, 0)->u.num.text, (int)ITEM(ver, 1)->u.num.len,
                     ITEM(ver, 1)->u.num.text);
        goto done;
    }
    if ((meta = jv_get(top, "meta")) != NULL) {
        if (meta->type != JV_OBJ) {
            rc = fail_at(&r, meta, "\"meta\" must be an object");
            goto done;
        }
        for (size_t i = 0; i < meta->u.obj.n; i++) {
            dp_meta *v;
            if ((rc = read_meta(&r, meta->u.obj.values[i], 1, &v)))
                goto done;
            if (dp_meta_set(dp_doc_meta(r.doc), meta->u.obj.keys[i]->u.str.s, v) != 0) {
                rc = nomem(&r);
                goto done;
            }
        }
    }
    if (!(blocks = jv_get(top, "blocks"))) {
        rc = fail_at(&r, top, "no \"blocks\"");
        goto done;
    }
    if ((rc = read_blocks(&r, dp_doc_root(r.doc), blocks, 1)))
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
