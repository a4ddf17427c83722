/* The pandoc-json reader's error helpers and the shapes of pandoc's JSON. */
#include "pandoc_read_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pr_fail_at(pr *r, const jv *v, const char *fmt, ...)
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

void pr_warn_at(pr *r, const jv *v, const char *fmt, ...)
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

int pr_nomem(pr *r)
{
    return dp_fail(r->ctx, DP_ENOMEM, r->path, 0, 0, "out of memory");
}

/* v must be an array of exactly n items (n < 0: any length). */
int pr_want_arr(pr *r, const jv *v, int n, const char *what)
{
    if (!v || v->type != JV_ARR)
        return pr_fail_at(r, v, "%s must be an array", what);
    if (n >= 0 && v->u.arr.n != (size_t)n)
        return pr_fail_at(r, v, "%s must have %d items, not %zu", what, n, v->u.arr.n);
    return 0;
}

int pr_want_str(pr *r, const jv *v, const char *what)
{
    if (!v || v->type != JV_STR)
        return pr_fail_at(r, v, "%s must be a string", what);
    return 0;
}

int pr_want_int(pr *r, const jv *v, const char *what, long lo, long hi, long *out)
{
    char *end;
    long n;
    if (!v || v->type != JV_NUM)
        return pr_fail_at(r, v, "%s must be a number", what);
    n = strtol(v->u.num.text, &end, 10);
    if (end != v->u.num.text + v->u.num.len || n < lo || n > hi)
        return pr_fail_at(r, v, "%s must be an integer from %ld to %ld", what, lo, hi);
    *out = n;
    return 0;
}

/* {"t": T, "c": C}: T (NULL on error), *c the contents (NULL when absent). */
const char *pr_tag_of(pr *r, const jv *v, const jv **c)
{
    const jv *t;
    if (!v || v->type != JV_OBJ || !(t = jv_get(v, "t")) || t->type != JV_STR) {
        pr_fail_at(r, v, "a pandoc element is an object with a \"t\" string");
        return NULL;
    }
    *c = jv_get(v, "c");
    return t->u.str.s;
}

/* the contents as an array of n items */
const jv *pr_args(pr *r, const jv *el, const char *t, int n)
{
    const jv *c = jv_get(el, "c");
    char what[64];
    snprintf(what, sizeof what, "the contents of %s", t);
    return pr_want_arr(r, c, n, what) ? NULL : c;
}


/* [id, [classes], [[k, v]]] */
int pr_read_attr(pr *r, dp_node *n, const jv *a)
{
    size_t i;
    int rc;
    if ((rc = pr_want_arr(r, a, 3, "an Attr")) || (rc = pr_want_str(r, ITEM(a, 0), "an id")) ||
        (rc = pr_want_arr(r, ITEM(a, 1), -1, "classes")) || (rc = pr_want_arr(r, ITEM(a, 2), -1, "attributes")))
        return rc;
    if (ITEM(a, 0)->u.str.len && dp_node_set_id(n, ITEM(a, 0)->u.str.s) != 0)
        return pr_nomem(r);
    for (i = 0; i < ITEM(a, 1)->u.arr.n; i++) {
        const jv *c = ITEM(ITEM(a, 1), i);
        if ((rc = pr_want_str(r, c, "a class")))
            return rc;
        if (!c->u.str.len || strpbrk(c->u.str.s, " \t\n")) {
            pr_warn_at(r, c, "class \"%s\" is not one word: left out", c->u.str.s);
            continue;
        }
        if (dp_node_add_class(n, c->u.str.s) != 0)
            return pr_nomem(r);
    }
    for (i = 0; i < ITEM(a, 2)->u.arr.n; i++) {
        const jv *kv = ITEM(ITEM(a, 2), i);
        if ((rc = pr_want_arr(r, kv, 2, "an attribute")) || (rc = pr_want_str(r, ITEM(kv, 0), "an attribute name")) ||
            (rc = pr_want_str(r, ITEM(kv, 1), "an attribute value")))
            return rc;
        if (!ITEM(kv, 0)->u.str.len)
            continue;
        if (dp_node_set_attr(n, ITEM(kv, 0)->u.str.s, ITEM(kv, 1)->u.str.s) != 0)
            return pr_nomem(r);
    }
    return 0;
}

dp_node *pr_add_node(pr *r, dp_node *parent, dp_kind kind)
{
    dp_node *n = dp_node_new(r->doc, kind);
    if (!n)
        return NULL;
    if (dp_node_append_child(parent, n) != 0)
        return NULL;
    return n;
}

int pr_too_deep(pr *r, const jv *v, int depth)
{
    return depth > r->max_depth ? pr_fail_at(r, v, "the document nests deeper than %d levels (limit max-depth)",
                                          r->max_depth)
                                : 0;
}

int pr_read_attr_container(pr *r, dp_node *parent, const jv *el, const char *t, dp_kind kind, int depth)
{
    const jv *a = pr_args(r, el, t, 2);
    dp_node *n;
    int rc;
    if (!a)
        return DP_EINPUT;
    if (!(n = pr_add_node(r, parent, kind)))
        return pr_nomem(r);
    if ((rc = pr_read_attr(r, n, ITEM(a, 0))))
        return rc;
    return kind == DP_DIV ? pr_read_blocks(r, n, ITEM(a, 1), depth + 1) : pr_read_inlines(r, n, ITEM(a, 1), depth + 1);
}
