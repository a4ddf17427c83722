/* ENTER of one node in the (X)HTML walk (xw_blocks.c): the element(s) each
 * kind of node becomes, one function per kind and a table from kind to
 * function. Each sets o->el to the node's own element and o->inner to where
 * its children go (NULL for leaves); o->skip asks the walk to skip the
 * children. */
#include "mathconv.h"
#include "xw_render.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct entered {
    dp_kind kind;     /* the kind written (a PARA in an XHTML 1.1 table caption is PLAIN) */
    int top;          /* the walk's first node: its language counts from the document's */
    xmlNodePtr el;    /* out */
    xmlNodePtr inner; /* out */
    int skip;         /* out */
} entered;

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

/* TeX as pandoc, MathJax and KaTeX mark it: span.math.inline \(…\),
 * span.math.display \[…\]. */
static void add_math_tex(rstate *r, const dp_node *n, const char *tex, size_t len, xmlNodePtr *el_out)
{
    int display = dp_node_math_display(n);
    xmlNodePtr span = xw_new_elem(r->w, r->cur, "span");
    if (!span)
        return;
    xw_apply_attrs(r->w, span, n, display ? "math display" : "math inline");
    xw_add_text(span, display ? "\\[" : "\\(", 2);
    xw_add_text(span, tex, len);
    xw_add_text(span, display ? "\\]" : "\\)", 2);
    *el_out = span;
}

/* A DP_MATH: MathML (converted from the TeX when that is all there is), or
 * TeX in span.math when asked for, when XHTML 1.1 cannot hold MathML, or
 * when the conversion fails (reported, naming the construct). */
static int add_math(rstate *r, const dp_node *n, xmlNodePtr *el_out)
{
    xw_writer *w = r->w;
    size_t tl = 0, ml = 0;
    const char *tex = dp_node_math_form(n, "tex", &tl);
    const char *mml = dp_node_math_form(n, "mathml", &ml);
    char *conv = NULL;
    const char *what = NULL;
    int rc = 0;
    if (w->opts.math_tex || XW_IS_X11(w)) {
        if (!tex && (rc = mathconv_mathml_to_tex(mml, ml, &conv, &what)) == 0)
            tex = conv, tl = strlen(conv);
        if (tex) {
            add_math_tex(r, n, tex, tl, el_out);
        } else {
            if (w->ctx)
                dp_warn_node(w->ctx, n, "MathML with %s (no TeX conversion) written as its source text%s",
                             what ? what : "a construct", XW_IS_X11(w) ? " (XHTML 1.1 has no MathML)" : "");
            add_math_tex(r, n, mml, ml, el_out);
        }
        free(conv);
        return rc == -2 ? DP_ENOMEM : 0;
    }
    if (!mml && (rc = mathconv_tex_to_mathml(tex, tl, dp_node_math_display(n), &conv, &what)) == 0)
        mml = conv, ml = strlen(conv);
    if (rc == -2)
        return DP_ENOMEM;
    if (mml) {
        xmlNodePtr last = r->cur->last;
        if (xw_import_mathml(w, mml, ml, r->cur) == 0 && r->cur->last != last) {
            xmlNodePtr math = r->cur->last;
            /* alt text: the source's, else the TeX (EPUB accessibility) */
            const char *alt = dp_node_math_alt(n) ? dp_node_math_alt(n) : tex;
            if (alt && !xmlHasProp(math, BAD_CAST "alttext"))
                xmlSetProp(math, BAD_CAST "alttext", BAD_CAST alt);
            if (dp_node_math_display(n) && !xmlHasProp(math, BAD_CAST "display"))
                xmlSetProp(math, BAD_CAST "display", BAD_CAST "block");
            *el_out = math;
            free(conv);
            return 0;
        }
        if (w->ctx)
            dp_warn_node(w->ctx, n, "MathML that does not parse written as %s", tex ? "TeX" : "source text");
    } else if (w->ctx) {
        dp_warn_node(w->ctx, n, "TeX with %s, which has no MathML conversion here, written as TeX in span.math",
                     what ? what : "a construct");
    }
    free(conv);
    if (tex)
        add_math_tex(r, n, tex, tl, el_out);
    else
        add_math_tex(r, n, mml, ml, el_out);
    return 0;
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

/* DP_HEADING */
static int enter_heading(rstate *r, const dp_node *n, entered *o)
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
static int enter_line_block(rstate *r, const dp_node *n, entered *o)
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
static int enter_code_block(rstate *r, const dp_node *n, entered *o)
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
static int enter_raw_block(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    dp_kind k = o->kind;
    int rc = 0;
    if (is_html_format(dp_node_format(n))) {
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
static int enter_list(rstate *r, const dp_node *n, entered *o)
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
static int enter_list_item(rstate *r, const dp_node *n, entered *o)
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
static int enter_table(rstate *r, const dp_node *n, entered *o)
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
static int enter_table_cell(rstate *r, const dp_node *n, entered *o)
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
static int enter_caption(rstate *r, const dp_node *n, entered *o)
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

/* DP_SMALL_CAPS */
static int enter_small_caps(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    e = xw_new_elem(w, r->cur, "span");
    if (!e)
        return DP_ENOMEM;
    xw_apply_attrs(w, e, n, "smallcaps");
    in = e;
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_CITE */
static int enter_cite(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    int count = dp_node_citation_count(n), lossy = 0;
    xmlChar *cites = NULL;
    e = xw_new_elem(w, r->cur, "span");
    if (!e)
        return DP_ENOMEM;
    xw_apply_attrs(w, e, n, "citation");
    for (int i = 0; i < count; i++) {
        const dp_citation *c = dp_node_citation_at(n, i);
        if (!c || !c->id)
            continue;
        if (cites)
            cites = xmlStrcat(cites, BAD_CAST " ");
        cites = xmlStrcat(cites, BAD_CAST c->id);
        if ((c->prefix && *c->prefix) || (c->suffix && *c->suffix) || c->mode != DP_CITE_NORMAL)
            lossy = 1;
    }
    if (cites) {
        xw_set(w, e, "data-cites", (const char *)cites);
        xmlFree(cites);
    }
    if (lossy && w->ctx)
        dp_warn_node(w->ctx, n, "citation prefix/suffix/mode not written (the rendered citation text is)");
    in = e;
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_CODE */
static int enter_code(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL;
    e = xw_new_elem(w, r->cur, "code");
    if (!e)
        return DP_ENOMEM;
    xw_apply_attrs(w, e, n, NULL);
    xw_add_text(e, dp_node_text(n), dp_node_text_len(n));
    o->el = e;
    o->inner = NULL;
    return 0;
}

/* DP_MATH */
static int enter_math(rstate *r, const dp_node *n, entered *o)
{
    xmlNodePtr e = NULL;
    if (add_math(r, n, &e) == DP_ENOMEM)
        return DP_ENOMEM;
    o->el = e;
    o->inner = NULL;
    return 0;
}

/* DP_LINK */
static int enter_link(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    const char *url = dp_node_url(n);
    const char *href = url ? url : "";
    e = xw_new_elem(w, r->cur, r->plain ? "span" : "a");
    if (!e)
        return DP_ENOMEM;
    if (!r->plain) {
        if (href[0] == '#' && href[1]) {
            char *pid = xw_full_id(w, href + 1);
            /* kept as written, but said: it leads nowhere. Writers that
             * spread the ids over files (link_href: EPUB) check each
             * finished page instead. */
            if (pid && !w->opts.link_href && !xw_id_taken(w, pid) && w->ctx)
                dp_warn_node(w->ctx, n, "link \"%s\" to '%s': no element of the document carries that id",
                             dp_node_plain_text(n, 0), href);
            href = pid ? xw_internal_href(w, pid) : NULL;
        }
        if (w->opts.safe && href && !xw_safe_url(href, 0)) {
            if (w->ctx)
                dp_warn_node(w->ctx, n, "safe: link to a script URL written without its href");
            href = NULL; /* an <a> without href: the text stays, nothing runs */
        } else {
            xw_set(w, e, "href", href ? href : "");
        }
        xw_set(w, e, "title", dp_node_title(n));
    }
    xw_apply_attrs(w, e, n, NULL);
    in = e;
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_IMAGE */
static int enter_image(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    e = xw_new_elem(w, r->cur, "img");
    if (!e)
        return DP_ENOMEM;
    if (w->opts.safe && dp_node_url(n) && !xw_safe_url(dp_node_url(n), 1)) {
        /* an img must have a src: its text description stands instead */
        if (w->ctx)
            dp_warn_node(w->ctx, n, "safe: image with a script URL written as its description");
        const char *desc = dp_node_plain_text(n, 1);
        xmlNodeSetName(e, BAD_CAST "span");
        if (desc)
            xw_add_text(e, desc, strlen(desc));
    } else {
        const char *src = dp_node_url(n) ? dp_node_url(n) : "";
        if (w->opts.place_resources && w->ctx && !(src = dp_ctx_resource_url(w->ctx, w->doc, src)))
            return DP_ENOMEM;
        xw_set(w, e, "src", src);
        xw_set(w, e, "alt", dp_node_plain_text(n, 1));
    }
    xw_set(w, e, "title", dp_node_title(n));
    xw_apply_attrs(w, e, n, NULL);
    o->skip = 1;
    in = e; /* children skipped; a frame is still needed for the EXIT */
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_NOTE */
static int enter_note(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    int rc = 0;
    size_t idx;
    o->skip = 1;
    in = r->cur;
    if (r->plain)
        goto done;
    rc = xw_note_add(w, n, &idx);
    if (rc == 0)
        rc = xw_render_noteref(w, idx, r->cur);
    if (rc != 0)
        return rc;
    e = r->cur->last;
    if (w->opts.inline_notes) {
        if (DP_ARRAY_RESERVE(r->pending, r->pendcap, r->npending + 1))
            return DP_ENOMEM;
        r->pending[r->npending++] = idx;
    }
done:
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_PAGE_BREAK */
static int enter_page_break(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL;
    const char *label = dp_node_label(n);
    if (r->plain)
        goto done;
    /* XHTML 1.1: no role; a div between blocks (body holds only blocks) */
    e = xw_new_elem(w, r->cur, XW_IS_X11(w) && dp_node_is_block(n) ? "div" : "span");
    if (!e)
        return DP_ENOMEM;
    xw_set_role(w, e, "doc-pagebreak", "pagebreak");
    xw_set(w, e, "aria-label", label && *label ? label : "page break");
    if (XW_IS_X11(w)) {
        xw_set(w, e, "class", "pagebreak");
        xw_set(w, e, "title", label && *label ? label : "page break");
    }
    xw_apply_attrs(w, e, n, NULL);
done:
    o->el = e;
    o->inner = NULL;
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
    [DP_HEADING] = enter_heading,
    [DP_LINE_BLOCK] = enter_line_block,
    [DP_LINE] = enter_line_block,
    [DP_CODE_BLOCK] = enter_code_block,
    [DP_RAW_BLOCK] = enter_raw_block,
    [DP_RAW_INLINE] = enter_raw_block,
    [DP_LIST] = enter_list,
    [DP_LIST_ITEM] = enter_list_item,
    [DP_TABLE] = enter_table,
    [DP_TABLE_CELL] = enter_table_cell,
    [DP_CAPTION] = enter_caption,
    [DP_SMALL_CAPS] = enter_small_caps,
    [DP_CITE] = enter_cite,
    [DP_CODE] = enter_code,
    [DP_MATH] = enter_math,
    [DP_LINK] = enter_link,
    [DP_IMAGE] = enter_image,
    [DP_NOTE] = enter_note,
    [DP_PAGE_BREAK] = enter_page_break,
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
