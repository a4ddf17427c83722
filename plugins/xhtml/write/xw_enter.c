/* ENTER of one node in the (X)HTML walk (xw_blocks.c): the element(s) each
 * kind of node becomes, one function per kind and a table from kind to
 * function (block kinds in xw_enter_blocks.c, inline kinds in
 * xw_enter_inlines.c, the generic ones here). Each sets o->el to the node's
 * own element and o->inner to where its children go (NULL for leaves);
 * o->skip asks the walk to skip the children. */
#include "xw_enter_kinds.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *kind_tag(dp_kind k)
{
    switch (k) {
    case DP_PARA: return "p";
    case DP_BLOCK_QUOTE: return "blockquote";
    case DP_DEF_LIST: return "dl";
    case DP_DEF_TERM: return "dt";
    case DP_DEF_DESC: return "dd";
    case DP_THEMATIC_BREAK: return "hr";
    case DP_TABLE: return "table";
    case DP_TABLE_HEAD: return "thead";
    case DP_TABLE_BODY: return "tbody";
    case DP_TABLE_FOOT: return "tfoot";
    case DP_TABLE_ROW: return "tr";
    case DP_FIGURE: return "figure";
    case DP_DIV: return "div";
    case DP_EMPH: return "em";
    case DP_STRONG: return "strong";
    case DP_UNDERLINE: return "u";
    case DP_STRIKEOUT: return "del";
    case DP_SUPERSCRIPT: return "sup";
    case DP_SUBSCRIPT: return "sub";
    case DP_QUOTED: return "q";
    case DP_CODE: return "code";
    case DP_LINE_BREAK: return "br";
    case DP_SPAN: return "span";
    case DP_LIST_ITEM: return "li";
    default: return NULL;
    }
}

/* DP_ROOT */
static int enter_root(rstate *r, const dp_node *n, entered *o)
{
    (void)n;
    o->inner = r->cur;
    return 0;
}

/* DP_PLAIN, DP_DEF_ITEM, DP_TEXT */
static int enter_plain(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    dp_kind k = o->kind;
    int top = o->top;
    xmlNodePtr e = NULL, in = NULL;
    if (k == DP_DEF_ITEM && XW_IS_X11(w)) {
        /* XHTML 1.1 allows only dt and dd in dl */
        if (xw_node_has_attrs(n) && w->ctx)
            dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "xhtml11.attrs", n, "attributes of a definition list item cannot be written in XHTML 1.1");
        in = r->cur;
        goto done;
    }
    /* A PLAIN is written as bare inlines; a second one right after it (the
     * <ab> lines of a TEI <quote>) would run on into one line of text,
     * glued words: "Der Heimat zuMein Irisch Kind," */
    const dp_node *prev = dp_node_prev(n);
    int after_plain = k == DP_PLAIN && prev && dp_node_kind(prev) == DP_PLAIN;
    if (after_plain || xw_node_has_attrs(n) ||
        xw_lang_differs(top ? dp_node_lang_effective(n) : dp_node_lang(n), r->lang)) {
        e = xw_new_elem(w, r->cur, k == DP_DEF_ITEM || after_plain ? "div" : "span");
        if (!e)
            return DP_ENOMEM;
        xw_apply_attrs(w, e, n, NULL);
    }
    if (k == DP_TEXT)
        xw_add_text(e ? e : r->cur, dp_node_text(n), dp_node_text_len(n));
    else
        in = e ? e : r->cur;
done:
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_SOFT_BREAK */
static int enter_soft_break(rstate *r, const dp_node *n, entered *o)
{
    (void)n;
    (void)o;
    xw_add_text(r->cur, "\n", 1);
    return 0;
}

/* DP_CUSTOM */
static int enter_custom(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    const char *name = dp_node_custom_name(n);
    e = xw_new_elem(w, r->cur, dp_node_is_block(n) ? "div" : "span");
    if (!e)
        return DP_ENOMEM;
    xw_set(w, e, "data-custom", name ? name : "");
    xw_apply_attrs(w, e, n, NULL);
    if (w->ctx)
        dp_warn_node(w->ctx, n, "custom node \"%s\" has no HTML element: written as its content",
                     name ? name : "");
    in = e;
    o->el = e;
    o->inner = in;
    return 0;
}

/* every other kind: the element kind_tag names (a container or a leaf) */
static int enter_generic(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    dp_kind k = o->kind;
    const char *tag = kind_tag(o->kind);
    xmlNodePtr e = NULL, in = NULL;
    if (!tag) {
        if (w->ctx)
            dp_warn_node(w->ctx, n, "node kind not known to the HTML writer: written as its content");
        in = r->cur;
        goto done;
    }
    e = xw_new_elem(w, r->cur, tag);
    if (!e)
        return DP_ENOMEM;
    xw_apply_attrs(w, e, n, NULL);
    if (!dp_kind_is_leaf(k))
        in = e;
    if (k == DP_BLOCK_QUOTE || k == DP_DIV || k == DP_DEF_LIST || k == DP_FIGURE ||
        k == DP_TABLE_HEAD || k == DP_TABLE_BODY || k == DP_TABLE_FOOT || k == DP_TABLE_ROW)
        xmlAddChild(e, xmlNewDocText(e->doc, BAD_CAST "\n"));
done:
    o->el = e;
    o->inner = in;
    return 0;
}

typedef int (*enter_fn)(rstate *r, const dp_node *n, entered *o);

/* Kinds without an entry are written as their element of kind_tag (enter_generic). */
static const enter_fn enter_by_kind[DP_KIND_COUNT] = {
    [DP_ROOT] = enter_root,
    [DP_PLAIN] = enter_plain,
    [DP_DEF_ITEM] = enter_plain,
    [DP_TEXT] = enter_plain,
    [DP_SOFT_BREAK] = enter_soft_break,
    [DP_HEADING] = xw_enter_heading,
    [DP_LINE_BLOCK] = xw_enter_line_block,
    [DP_LINE] = xw_enter_line_block,
    [DP_CODE_BLOCK] = xw_enter_code_block,
    [DP_RAW_BLOCK] = xw_enter_raw_block,
    [DP_RAW_INLINE] = xw_enter_raw_block,
    [DP_LIST] = xw_enter_list,
    [DP_LIST_ITEM] = xw_enter_list_item,
    [DP_TABLE] = xw_enter_table,
    [DP_TABLE_CELL] = xw_enter_table_cell,
    [DP_CAPTION] = xw_enter_caption,
    [DP_SMALL_CAPS] = xw_enter_small_caps,
    [DP_CITE] = xw_enter_cite,
    [DP_CODE] = xw_enter_code,
    [DP_MATH] = xw_enter_math,
    [DP_LINK] = xw_enter_link,
    [DP_IMAGE] = xw_enter_image,
    [DP_NOTE] = xw_enter_note,
    [DP_PAGE_BREAK] = xw_enter_page_break,
    [DP_CUSTOM] = enter_custom,
};

int xw_enter_node(rstate *r, const dp_node *n, int top, xmlNodePtr *el, xmlNodePtr *inner, int *skip)
{
    xw_writer *w = r->w;
    entered o = {dp_node_kind(n), top, NULL, NULL, 0};
    if (o.kind == DP_PARA && XW_IS_X11(w) && dp_node_parent(n) && dp_node_kind(dp_node_parent(n)) == DP_CAPTION &&
        dp_node_parent(dp_node_parent(n)) && dp_node_kind(dp_node_parent(dp_node_parent(n))) == DP_TABLE)
        o.kind = DP_PLAIN; /* an XHTML 1.1 table caption holds inline content only */
    enter_fn fn = (unsigned)o.kind < DP_KIND_COUNT && enter_by_kind[o.kind] ? enter_by_kind[o.kind] : enter_generic;
    int rc = fn(r, n, &o);
    *el = o.el;
    *inner = o.inner;
    *skip = o.skip;
    return rc;
}
