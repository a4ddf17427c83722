/* Helpers of the Markdown writer: building the cmark tree. */
#include <stdlib.h>
#include <string.h>

#include "md_write.h"

int mdw_nomem(md_writer *w)
{
    w->failed = 1;
    return dp_fail(w->ctx, DP_ENOMEM, NULL, 0, 0, "out of memory");
}

int mdw_keep_spare(md_writer *w, cmark_node *n)
{
    if (!n)
        return 0;
    if (DP_ARRAY_RESERVE(w->spare, w->spare_cap, w->nspare + 1) != 0) {
        cmark_node_free(n);
        return mdw_nomem(w);
    }
    w->spare[w->nspare++] = n;
    return 0;
}

/* The cmark node new children go into: the innermost FRAME_NODE. */
cmark_node *mdw_current(md_writer *w)
{
    for (size_t i = w->depth; i > 0; i--)
        if (w->frames[i - 1].mode == FRAME_NODE)
            return w->frames[i - 1].cm;
    return w->doc;
}

int mdw_add(md_writer *w, cmark_node *n)
{
    if (!n)
        return mdw_nomem(w);
    if (!cmark_node_append_child(mdw_current(w), n)) {
        cmark_node_free(n);
        w->failed = 1;
        return dp_fail(w->ctx, DP_EINTERNAL, NULL, 0, 0, "cmark refused a %s inside a %s",
                       cmark_node_get_type_string(n), cmark_node_get_type_string(mdw_current(w)));
    }
    return 0;
}

cmark_node *mdw_new_literal(cmark_node_type type, const char *text)
{
    cmark_node *n = cmark_node_new(type);
    if (n && !cmark_node_set_literal(n, text ? text : "")) {
        cmark_node_free(n);
        return NULL;
    }
    return n;
}

int mdw_add_raw(md_writer *w, int block, const char *html)
{
    return mdw_add(w, mdw_new_literal(block ? CMARK_NODE_HTML_BLOCK : CMARK_NODE_HTML_INLINE, html));
}

/* Adds the start tag for node and arranges the end tag on EXIT. */
int mdw_open_html(md_writer *w, frame *f, const char *tag, const char *close, int block)
{
    dp_buf *b = NULL;
    int rc = dp_buf_new(&b);
    if (rc < 0)
        return mdw_nomem(w);
    rc = md_html_open_tag(b, tag, f->node);
    if (rc >= 0)
        rc = dp_buf_append(b, "", 1);
    if (rc >= 0)
        rc = mdw_add_raw(w, block, (const char *)dp_buf_data(b));
    dp_buf_free(b);
    f->mode = FRAME_TRANSPARENT;
    f->close_tag = close;
    f->close_block = block;
    return rc < 0 ? (w->failed ? rc : mdw_nomem(w)) : 0;
}

int mdw_has_attrs(const dp_node *n)
{
    return dp_node_id(n) || dp_node_class_count(n) > 0 || dp_node_attr_count(n) > 0 || dp_node_lang(n);
}

int mdw_parse_snippet(md_writer *w, const char *text, int options, cmark_node **out)
{
    cmark_parser *p = cmark_parser_new(options);
    if (!p)
        return mdw_nomem(w);
    cmark_syntax_extension *exts[] = { w->ext_table, w->ext_strike, w->ext_tasklist };
    for (size_t i = 0; i < 3; i++)
        cmark_parser_attach_syntax_extension(p, exts[i]);
    *out = md_cmark_parse(p, text, strlen(text));
    cmark_parser_free(p);
    return *out ? 0 : mdw_nomem(w);
}

int mdw_each_node(md_writer *w, int (*step)(md_writer *w, cmark_node *n, cmark_event_type ev))
{
    cmark_iter *it = cmark_iter_new(w->doc);
    if (!it)
        return mdw_nomem(w);
    cmark_event_type ev;
    int rc = 0;
    while (rc == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
        rc = step(w, cmark_iter_get_node(it), ev);
    cmark_iter_free(it);
    return rc;
}

frame *mdw_enclosing(md_writer *w, dp_kind kind)
{
    for (size_t i = w->depth; i > 0; i--)
        if (dp_node_kind(w->frames[i - 1].node) == kind)
            return &w->frames[i - 1];
    return NULL;
}
