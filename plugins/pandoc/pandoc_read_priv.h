/* The pandoc-json reader's shared parts: its state, error and shape helpers
 * (pandoc_read_util.c), inlines (pandoc_read_inline.c) and blocks,
 * metadata and the entry points (pandoc_read.c). Private; prefix pr_. */
#ifndef DOCPIPE_PANDOC_READ_PRIV_H
#define DOCPIPE_PANDOC_READ_PRIV_H

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

/* Item i of a JSON array already checked for length. */
#define ITEM(v, i) ((v)->u.arr.items[i])

/* Errors and warnings at the file:line:column of a JSON value. */
int pr_fail_at(pr *r, const jv *v, const char *fmt, ...) DP_PRINTF(3, 4);
void pr_warn_at(pr *r, const jv *v, const char *fmt, ...) DP_PRINTF(3, 4);
int pr_nomem(pr *r);

/* Shapes of pandoc's JSON: arrays of n items (n < 0: any), strings, ints,
 * {"t": T, "c": C} elements and their contents, Attr triples. */
int pr_want_arr(pr *r, const jv *v, int n, const char *what);
int pr_want_str(pr *r, const jv *v, const char *what);
int pr_want_int(pr *r, const jv *v, const char *what, long lo, long hi, long *out);
const char *pr_tag_of(pr *r, const jv *v, const jv **c);
const jv *pr_args(pr *r, const jv *el, const char *t, int n);
int pr_read_attr(pr *r, dp_node *n, const jv *a);
dp_node *pr_add_node(pr *r, dp_node *parent, dp_kind kind);
int pr_too_deep(pr *r, const jv *v, int depth);
/* Span and Div: [Attr, children] (DP_DIV reads blocks, else inlines). */
int pr_read_attr_container(pr *r, dp_node *parent, const jv *el, const char *t, dp_kind kind, int depth);

int pr_read_inlines(pr *r, dp_node *parent, const jv *list, int depth);
/* Link or Image (kind) with its target: [attr, inlines, [url, title]]. */
int pr_read_target(pr *r, dp_node *parent, const jv *el, const char *t, dp_kind kind, int depth, dp_node **out);
int pr_read_blocks(pr *r, dp_node *parent, const jv *list, int depth);

#endif
