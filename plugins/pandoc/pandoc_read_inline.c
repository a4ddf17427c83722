/* pandoc's inline elements into the tree: Str/Space runs become one text
 * node; what the tree has no place for is reported where it is. */
#include "pandoc_read_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- inlines ---- */

static int flush_text(pr *r, dp_node *parent)
{
    dp_node *t;
    if (!dp_buf_len(r->text))
        return 0;
    t = dp_node_new_text(r->doc, DP_TEXT, (const char *)dp_buf_data(r->text), dp_buf_len(r->text));
    dp_buf_reset(r->text);
    if (!t || dp_node_append_child(parent, t) != 0)
        return pr_nomem(r);
    return 0;
}

/* The plain text of inlines (citation prefixes and suffixes are text in the
 * tree). Formatting inside them is reported. */
static int stringify(pr *r, const jv *list, dp_buf *out, int depth)
{
    size_t i;
    int rc;
    if ((rc = pr_want_arr(r, list, -1, "inlines")) || (rc = pr_too_deep(r, list, depth)))
        return rc;
    for (i = 0; i < list->u.arr.n; i++) {
        const jv *c = NULL;
        const char *t = pr_tag_of(r, ITEM(list, i), &c);
        if (!t)
            return DP_EINPUT;
        if (strcmp(t, "Str") == 0 && c && c->type == JV_STR)
            dp_buf_append(out, c->u.str.s, c->u.str.len);
        else if (strcmp(t, "Space") == 0 || strcmp(t, "SoftBreak") == 0 || strcmp(t, "LineBreak") == 0)
            dp_buf_puts(out, " ");
        else {
            pr_warn_at(r, ITEM(list, i), "%s in a citation prefix or suffix: kept as plain text", t);
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
    const jv *c = pr_args(r, el, "Cite", 2);
    dp_node *n;
    size_t i;
    int rc;
    if (!c)
        return DP_EINPUT;
    if ((rc = pr_want_arr(r, ITEM(c, 0), -1, "citations")))
        return rc;
    if (!(n = pr_add_node(r, parent, DP_CITE)))
        return pr_nomem(r);
    for (i = 0; i < ITEM(c, 0)->u.arr.n; i++) {
        const jv *ci = ITEM(ITEM(c, 0), i), *id, *mode;
        dp_citation cit = {NULL, NULL, NULL, DP_CITE_NORMAL};
        dp_buf *pre = NULL, *suf = NULL;
        const jv *mc = NULL;
        const char *mt;
        if (!ci || ci->type != JV_OBJ || !(id = jv_get(ci, "citationId")) || id->type != JV_STR)
            return pr_fail_at(r, ci, "a citation is an object with a \"citationId\" string");
        cit.id = id->u.str.s;
        if ((mode = jv_get(ci, "citationMode")) != NULL) {
            if (!(mt = pr_tag_of(r, mode, &mc)))
                return DP_EINPUT;
            for (int k = 0; modes[k]; k++)
                if (strcmp(mt, modes[k]) == 0)
                    cit.mode = (dp_cite_mode)k;
        }
        if (dp_buf_new(&pre) != 0 || dp_buf_new(&suf) != 0) {
            dp_buf_free(pre);
            return pr_nomem(r);
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
                rc = pr_nomem(r);
        }
        dp_buf_free(pre);
        dp_buf_free(suf);
        if (rc)
            return rc;
    }
    return pr_read_inlines(r, n, ITEM(c, 1), depth + 1);
}

/* Link and Image: [Attr, [inlines], [url, title]] */
int pr_read_target(pr *r, dp_node *parent, const jv *el, const char *t, dp_kind kind, int depth,
                   dp_node **out)
{
    const jv *c = pr_args(r, el, t, 3);
    dp_node *n;
    int rc;
    if (!c)
        return DP_EINPUT;
    if ((rc = pr_want_arr(r, ITEM(c, 2), 2, "a target")) || (rc = pr_want_str(r, ITEM(ITEM(c, 2), 0), "a url")) ||
        (rc = pr_want_str(r, ITEM(ITEM(c, 2), 1), "a title")))
        return rc;
    if (!(n = pr_add_node(r, parent, kind)) || dp_node_set_url(n, ITEM(ITEM(c, 2), 0)->u.str.s) != 0)
        return pr_nomem(r);
    if (ITEM(ITEM(c, 2), 1)->u.str.len && dp_node_set_title(n, ITEM(ITEM(c, 2), 1)->u.str.s) != 0)
        return pr_nomem(r);
    if ((rc = pr_read_attr(r, n, ITEM(c, 0))))
        return rc;
    if (out)
        *out = n;
    return pr_read_inlines(r, n, ITEM(c, 1), depth + 1);
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
    const jv *c = pr_args(r, el, t, 2);
    dp_node *n;
    const jv *mc = NULL;
    int rc;
    if (!c || (rc = pr_want_str(r, ITEM(c, 1), "text")))
        return DP_EINPUT;
    if (strcmp(t, "Code") == 0) {
        if (!(n = dp_node_new_text(r->doc, DP_CODE, ITEM(c, 1)->u.str.s, ITEM(c, 1)->u.str.len)) ||
            dp_node_append_child(parent, n) != 0)
            return pr_nomem(r);
        return pr_read_attr(r, n, ITEM(c, 0));
    }
    if (strcmp(t, "Math") == 0) {
        const char *mt = pr_tag_of(r, ITEM(c, 0), &mc);
        if (!mt)
            return DP_EINPUT;
        if (!(n = dp_node_new_text(r->doc, DP_MATH, ITEM(c, 1)->u.str.s, ITEM(c, 1)->u.str.len)) ||
            dp_node_set_format(n, "tex") != 0 || dp_node_set_math_display(n, strcmp(mt, "DisplayMath") == 0) != 0 ||
            dp_node_append_child(parent, n) != 0)
            return pr_nomem(r);
        return 0;
    }
    if ((rc = pr_want_str(r, ITEM(c, 0), "a raw format")))
        return rc;
    if (!ITEM(c, 0)->u.str.len)
        return pr_fail_at(r, ITEM(c, 0), "a RawInline needs a format");
    if (!(n = dp_node_new_text(r->doc, DP_RAW_INLINE, ITEM(c, 1)->u.str.s, ITEM(c, 1)->u.str.len)) ||
        dp_node_set_format(n, ITEM(c, 0)->u.str.s) != 0 || dp_node_append_child(parent, n) != 0)
        return pr_nomem(r);
    return 0;
}

static int read_inline(pr *r, dp_node *parent, const jv *el, int depth)
{
    const jv *c = NULL;
    const char *t = pr_tag_of(r, el, &c);
    dp_kind k;
    dp_node *n;
    int rc;
    if (!t)
        return DP_EINPUT;
    if (strcmp(t, "Str") == 0) {
        if ((rc = pr_want_str(r, c, "a Str")))
            return rc;
        return dp_buf_append(r->text, c->u.str.s, c->u.str.len) == 0 ? 0 : pr_nomem(r);
    }
    if (strcmp(t, "Space") == 0)
        return dp_buf_puts(r->text, " ") == 0 ? 0 : pr_nomem(r);
    if ((rc = flush_text(r, parent)))
        return rc;
    if ((k = simple_inline(t)) != DP_NODE_NONE) {
        if (!(n = pr_add_node(r, parent, k)))
            return pr_nomem(r);
        return pr_read_inlines(r, n, c, depth + 1);
    }
    if (strcmp(t, "SoftBreak") == 0 || strcmp(t, "LineBreak") == 0)
        return pr_add_node(r, parent, t[0] == 'S' ? DP_SOFT_BREAK : DP_LINE_BREAK) ? 0 : pr_nomem(r);
    if (strcmp(t, "Quoted") == 0) {
        const jv *qc = NULL, *a = pr_args(r, el, t, 2);
        const char *qt = a ? pr_tag_of(r, ITEM(a, 0), &qc) : NULL;
        if (!qt)
            return DP_EINPUT;
        if (!(n = pr_add_node(r, parent, DP_QUOTED)) ||
            dp_node_set_quote(n, strcmp(qt, "SingleQuote") == 0 ? DP_QUOTE_SINGLE : DP_QUOTE_DOUBLE) != 0)
            return pr_nomem(r);
        return pr_read_inlines(r, n, ITEM(a, 1), depth + 1);
    }
    if (strcmp(t, "Cite") == 0)
        return read_cite(r, parent, el, depth);
    if (strcmp(t, "Code") == 0 || strcmp(t, "Math") == 0 || strcmp(t, "RawInline") == 0)
        return read_leaf(r, parent, el, t);
    if (strcmp(t, "Link") == 0)
        return pr_read_target(r, parent, el, t, DP_LINK, depth, NULL);
    if (strcmp(t, "Image") == 0)
        return pr_read_target(r, parent, el, t, DP_IMAGE, depth, NULL);
    if (strcmp(t, "Note") == 0) {
        if (!(n = pr_add_node(r, parent, DP_NOTE)))
            return pr_nomem(r);
        return pr_read_blocks(r, n, c, depth + 1);
    }
    if (strcmp(t, "Span") == 0)
        return pr_read_attr_container(r, parent, el, t, DP_SPAN, depth);
    return pr_fail_at(r, el, "unknown pandoc inline \"%s\"", t);
}

int pr_read_inlines(pr *r, dp_node *parent, const jv *list, int depth)
{
    size_t i;
    int rc;
    if ((rc = pr_want_arr(r, list, -1, "inlines")) || (rc = pr_too_deep(r, list, depth)))
        return rc;
    /* read_inline flushed the outer run before making parent */
    for (i = 0; i < list->u.arr.n; i++)
        if ((rc = read_inline(r, parent, ITEM(list, i), depth)))
            return rc;
    return flush_text(r, parent);
}
