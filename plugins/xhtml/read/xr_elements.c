/* What each (X)HTML element becomes in the tree (the general case: block
 * and inline frames), and the generated chrome recognised and dropped. */
#include "mathconv.h"
#include "xr_walk.h"

#include <libxml/xmlsave.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum cat {
    C_UNKNOWN = 0, C_DROP, C_SILENT, C_TRANSPARENT, C_P, C_H, C_DIV, C_BQ, C_PRE, C_LIST, C_DL, C_HR,
    C_TABLE, C_FIGURE, C_FIGCAPTION, C_STRUCT_PART, C_EMPH, C_STRONG, C_U, C_S, C_SUP, C_SUB, C_Q,
    C_SPAN, C_A, C_CODE, C_BR, C_WBR, C_IMG, C_MATH, C_SVG, C_CLASSED_SPAN
} cat;

typedef struct elem_desc {
    const char *name;
    cat c;
} elem_desc;

static const elem_desc ELEMS[] = {
    { "script", C_DROP }, { "style", C_DROP }, { "template", C_DROP },
    { "head", C_SILENT }, { "title", C_SILENT }, { "meta", C_SILENT }, { "link", C_SILENT },
    { "base", C_SILENT }, { "colgroup", C_SILENT }, { "col", C_SILENT },
    { "html", C_TRANSPARENT }, { "body", C_TRANSPARENT },
    { "p", C_P },
    { "h1", C_H }, { "h2", C_H }, { "h3", C_H }, { "h4", C_H }, { "h5", C_H }, { "h6", C_H },
    { "div", C_DIV }, { "section", C_DIV }, { "article", C_DIV }, { "aside", C_DIV }, { "header", C_DIV },
    { "footer", C_DIV }, { "main", C_DIV }, { "nav", C_DIV }, { "address", C_DIV }, { "hgroup", C_DIV },
    { "search", C_DIV }, { "center", C_DIV }, { "details", C_DIV }, { "summary", C_DIV },
    { "dialog", C_DIV }, { "fieldset", C_DIV }, { "legend", C_DIV }, { "form", C_DIV },
    { "noscript", C_DIV }, { "blockquote", C_BQ }, { "pre", C_PRE }, { "listing", C_PRE },
    { "xmp", C_PRE }, { "plaintext", C_PRE },
    { "ul", C_LIST }, { "ol", C_LIST }, { "menu", C_LIST }, { "dir", C_LIST }, { "dl", C_DL },
    { "hr", C_HR }, { "table", C_TABLE }, { "figure", C_FIGURE }, { "figcaption", C_FIGCAPTION },
    { "li", C_STRUCT_PART }, { "dt", C_STRUCT_PART }, { "dd", C_STRUCT_PART },
    { "caption", C_STRUCT_PART }, { "thead", C_STRUCT_PART }, { "tbody", C_STRUCT_PART },
    { "tfoot", C_STRUCT_PART }, { "tr", C_STRUCT_PART }, { "td", C_STRUCT_PART }, { "th", C_STRUCT_PART },
    { "em", C_EMPH }, { "i", C_EMPH }, { "strong", C_STRONG }, { "b", C_STRONG }, { "u", C_U },
    { "ins", C_U }, { "s", C_S }, { "strike", C_S }, { "del", C_S }, { "sup", C_SUP }, { "sub", C_SUB },
    { "q", C_Q }, { "span", C_SPAN }, { "a", C_A }, { "code", C_CODE }, { "kbd", C_CODE },
    { "samp", C_CODE }, { "tt", C_CODE }, { "var", C_CODE }, { "br", C_BR }, { "wbr", C_WBR },
    { "img", C_IMG }, { "image", C_IMG }, { "math", C_MATH }, { "svg", C_SVG },
    { "abbr", C_CLASSED_SPAN }, { "acronym", C_CLASSED_SPAN }, { "mark", C_CLASSED_SPAN },
    { "small", C_CLASSED_SPAN }, { "big", C_CLASSED_SPAN }, { "dfn", C_CLASSED_SPAN },
    { "time", C_CLASSED_SPAN }, { "data", C_CLASSED_SPAN }, { "bdi", C_CLASSED_SPAN },
    { "bdo", C_CLASSED_SPAN }, { "ruby", C_CLASSED_SPAN }, { "rt", C_CLASSED_SPAN },
    { "rp", C_CLASSED_SPAN }, { "rb", C_CLASSED_SPAN }, { "cite", C_CLASSED_SPAN },
    { "label", C_CLASSED_SPAN }, { "output", C_CLASSED_SPAN }, { "meter", C_CLASSED_SPAN },
    { "progress", C_CLASSED_SPAN }, { "font", C_CLASSED_SPAN }, { "nobr", C_CLASSED_SPAN },
    { "button", C_CLASSED_SPAN }, { "select", C_CLASSED_SPAN }, { "option", C_CLASSED_SPAN },
    { "optgroup", C_CLASSED_SPAN }, { "textarea", C_CLASSED_SPAN }, { "audio", C_CLASSED_SPAN },
    { "video", C_CLASSED_SPAN }, { "iframe", C_CLASSED_SPAN }, { "object", C_CLASSED_SPAN },
    { "canvas", C_CLASSED_SPAN }, { "picture", C_CLASSED_SPAN }, { "map", C_CLASSED_SPAN },
    { "embed", C_CLASSED_SPAN }, { "input", C_CLASSED_SPAN }, { "source", C_CLASSED_SPAN },
    { "track", C_CLASSED_SPAN }, { "area", C_CLASSED_SPAN }, { "param", C_CLASSED_SPAN },
    { "slot", C_CLASSED_SPAN }, { "blink", C_CLASSED_SPAN }, { "marquee", C_CLASSED_SPAN },
    { NULL, C_UNKNOWN }
};

static cat cat_of(xmlNodePtr el)
{
    const char *nm = xr_name(el);
    if (mathconv_is_math(el))
        return C_MATH; /* also <m:math> read by the HTML parser */
    /* the first letter, either case, before the whole name: one compare
     * instead of a strcasecmp call for most of the 130 names */
    int first = (unsigned char)nm[0] | 0x20;
    for (const elem_desc *d = ELEMS; d->name; d++)
        if (d->name[0] == first && strcasecmp(d->name, nm) == 0)
            return d->c;
    return C_UNKNOWN;
}

/* MathJax 2's <script type="math/tex"> / "math/tex; mode=display". */
static int is_math_script(xmlNodePtr el)
{
    char *type = xr_attr(el, "type");
    int yes = type && strncasecmp(type, "math/tex", 8) == 0;
    xmlFree(type);
    return yes;
}

/* ---- the general case --------------------------------------------------- */

static int is_pagebreak(xmlNodePtr el)
{
    return xr_attr_has_token(el, "role", "doc-pagebreak") || xr_epub_type_has(el, "pagebreak");
}

static int map_pagebreak(walker *w, frame *f, xmlNodePtr el)
{
    dp_node *pb = xrw_new_node(w, DP_PAGE_BREAK);
    if (!pb)
        return xrw_oom(w);
    char *label = xr_attr(el, "title");
    if (!label)
        label = xr_attr(el, "aria-label");
    if (!label) {
        char *t = xr_text_content(el, 1);
        if (t && *t)
            label = (char *)xmlStrdup(BAD_CAST t);
        free(t);
    }
    if (label && *label)
        dp_node_set_label(pb, label);
    xmlFree(label);
    static const char *const skip[] = { "title", "aria-label", "role", "epub:type", NULL };
    int rc = xrw_apply_attrs(w, pb, el, skip);
    if (rc)
        return rc;
    if (f->kind == F_INLINE || f->implicit)
        return xrw_add_inline(w, f, pb);
    dp_node_set_block_milestone(pb, 1);
    return xrw_add_block(w, f, pb);
}

static int is_chrome_nav(xmlNodePtr el)
{
    return xr_is_elem(el, "nav") &&
           (xr_attr_has_token(el, "role", "doc-toc") || xr_attr_has_token(el, "role", "doc-pagelist") ||
            xr_epub_type_has(el, "toc") || xr_epub_type_has(el, "landmarks") ||
            xr_epub_type_has(el, "page-list"));
}

/* Marks the node receiving content where generated chrome was dropped, so
 * the tidy pass can remove it if nothing else is left in it. */
static void mark_chrome(frame *f)
{
    if (dp_node_kind(f->container) == DP_DIV)
        dp_node_set_attr(f->container, XR_CHROME_ATTR, "1");
}

/* A writer's section wrapper (pandoc / docpipe section-divs: class
 * "section levelN" and nothing else, a heading first): the sections are
 * rebuilt from the headings by any writer that wants them. */
static int is_section_wrapper(xmlNodePtr el)
{
    if (!xr_is_elem(el, "div") && !xr_is_elem(el, "section"))
        return 0;
    int level = 0;
    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        if (a->ns || strcasecmp((const char *)a->name, "class") != 0)
            return 0;
    }
    char *cls = xr_attr(el, "class");
    if (!cls)
        return 0;
    char *save = NULL;
    int ok = 1;
    for (char *t = strtok_r(cls, " \t\r\n\f", &save); t; t = strtok_r(NULL, " \t\r\n\f", &save)) {
        if (strncmp(t, "level", 5) == 0 && t[5] >= '1' && t[5] <= '6' && !t[6])
            level = 1;
        else if (strcmp(t, "section") != 0)
            ok = 0;
    }
    xmlFree(cls);
    if (!ok || !level)
        return 0;
    xmlNodePtr c = el->children;
    while (c && c->type != XML_ELEMENT_NODE)
        c = c->next;
    const char *nm = xr_name(c);
    return (nm[0] == 'h' || nm[0] == 'H') && nm[1] >= '1' && nm[1] <= '6' && !nm[2];
}

/* The cover page a docpipe EPUB writer generates (<body class="cover"><div
 * class="cover-image"><img role="doc-cover">) showing the metadata
 * cover-image or its own typographic cover (EPUB 2: without the role): it
 * makes the page again on export. Cover pages of other books are content
 * and kept. */
static int is_cover_image(walker *w, frame *f, xmlNodePtr el)
{
    if (!xr_is_elem(el, "img"))
        return 0;
    xmlNodePtr holder = el->parent;
    int writer_page = xr_is_elem(holder, "div") && xr_attr_has_token(holder, "class", "cover-image") &&
                      xr_is_elem(holder->parent, "body") && xr_attr_has_token(holder->parent, "class", "cover");
    const char *cover = dp_meta_get_text(dp_doc_meta(w->s->doc), "cover-image");
    char *src = xr_attr(el, "src");
    const char *res = src ? xrw_resource_name(w, f->file, src) : NULL;
    int r = writer_page && cover && res && strcmp(cover, res) == 0;
    if (!r && src && w->s->generated_cover) {
        char *path = xr_resolve_href(w->s->files[f->file].name, src, NULL);
        r = path && strcmp(path, w->s->generated_cover) == 0;
        free(path);
    }
    xmlFree(src);
    return r;
}

/* A block element met where only inlines may go: a span between breaks. */
static int map_block_in_inline(walker *w, frame *f, xmlNodePtr el, const char *cls)
{
    dp_node *sp = xrw_new_node(w, DP_SPAN);
    if (!sp)
        return xrw_oom(w);
    int rc = xrw_apply_attrs(w, sp, el, NULL);
    if (!rc && cls)
        rc = dp_node_add_class(sp, cls);
    if (rc)
        return rc == DP_ENOMEM ? xrw_oom(w) : rc;
    dp_info(w->s->ctx, "%s: block <%s> inside inline content kept as a span", xr_loc(w->s->ctx, w->s->files[f->file].name, xmlGetLineNo(el), (char[320]){0}), xr_name(el));
    f->need_break = 1;
    if ((rc = xrw_add_inline(w, f, sp)))
        return rc;
    return xrw_open_children(w, el, F_INLINE, sp, EX_BREAK);
}

static int map_container(walker *w, frame *f, xmlNodePtr el, dp_kind kind, fkind fk, const char *cls,
                         const char *const *skip, int exit)
{
    dp_node *n = xrw_new_node(w, kind);
    if (!n)
        return xrw_oom(w);
    int rc = xrw_apply_attrs(w, n, el, skip);
    if (!rc && cls)
        rc = dp_node_add_class(n, cls) ? xrw_oom(w) : DP_OK;
    if (rc)
        return rc;
    if (dp_kind_is_inline(kind))
        rc = xrw_add_inline(w, f, n);
    else
        rc = xrw_add_block(w, f, n);
    return rc ? rc : xrw_open_children(w, el, fk, n, exit);
}

int xrw_map_general(walker *w, frame *f, xmlNodePtr el)
{
    xr_session *s = w->s;
    const char *file = s->files[f->file].name;
    int inl = f->kind == F_INLINE;
    cat c = cat_of(el);
    const char *nm = xr_name(el);

    if (is_pagebreak(el))
        return map_pagebreak(w, f, el);

    switch (c) {
    case C_DROP:
        if (xr_is_elem(el, "script") && is_math_script(el))
            return xrw_map_script_math(w, f, el);
        dp_info(s->ctx, "%s: <%s> dropped", xr_loc(s->ctx, file, xmlGetLineNo(el), (char[320]){0}), nm);
        return DP_OK;
    case C_SILENT:
        return DP_OK;
    case C_TRANSPARENT: {
        frame nf = xrw_child_frame(f, el->children, f->kind, f->container);
        return xrw_push(w, &nf);
    }
    case C_P:
        if (inl)
            return map_block_in_inline(w, f, el, NULL);
        return map_container(w, f, el, DP_PARA, F_INLINE, NULL, NULL, EX_NONE);
    case C_H: {
        if (inl)
            return map_block_in_inline(w, f, el, NULL);
        dp_node *h = xrw_new_node(w, DP_HEADING);
        if (!h)
            return xrw_oom(w);
        dp_node_set_heading_level(h, nm[1] - '0');
        int rc = xrw_apply_attrs(w, h, el, NULL);
        if (!rc)
            rc = xrw_add_block(w, f, h);
        return rc ? rc : xrw_open_children(w, el, F_INLINE, h, EX_NONE);
    }
    case C_DIV:
    case C_STRUCT_PART:
    case C_FIGCAPTION: {
        int is_div = xr_is_elem(el, "div");
        if (xr_is_elem(el, "header") || is_div) { /* EPUB 2 / XHTML 1.1: div.header */
            char *id = xr_attr(el, "id");
            int tb = id && strcmp(id, "title-block-header") == 0;
            xmlFree(id);
            if (tb && dp_meta_get(dp_doc_meta(s->doc), "title")) {
                dp_info(s->ctx, "%s: title block dropped (it repeats the metadata)", xr_loc(s->ctx, file, xmlGetLineNo(el), (char[320]){0}));
                mark_chrome(f);
                return DP_OK;
            }
        }
        if (is_chrome_nav(el)) {
            dp_info(s->ctx, "%s: navigation <nav> dropped (generated table of contents)", xr_loc(s->ctx, file, xmlGetLineNo(el), (char[320]){0}));
            mark_chrome(f);
            return DP_OK;
        }
        if (is_div && xr_attr_has_token(el, "class", "line-block") && !inl) {
            /* pandoc / docpipe line blocks: div.line children or <br>-separated lines */
            dp_node *lb = xrw_new_node(w, DP_LINE_BLOCK);
            if (!lb)
                return xrw_oom(w);
            int rc = xrw_apply_attrs(w, lb, el, NULL);
            dp_node_remove_class(lb, "line-block");
            if (!rc)
                rc = xrw_add_block(w, f, lb);
            return rc ? rc : xrw_open_children(w, el, F_LINES, lb, EX_NONE);
        }
        if (is_section_wrapper(el)) {
            frame nf = xrw_child_frame(f, el->children, f->kind, f->container);
            return xrw_push(w, &nf);
        }
        if (c == C_FIGCAPTION && !inl && dp_node_kind(f->container) == DP_FIGURE) {
            int has = 0;
            for (dp_node *k = dp_node_first_child(f->container); k; k = dp_node_next(k))
                has |= dp_node_kind(k) == DP_CAPTION;
            if (!has)
                return map_container(w, f, el, DP_CAPTION, F_BLOCK, NULL, NULL, EX_NONE);
        }
        if (c == C_STRUCT_PART)
            dp_info(s->ctx, "%s: <%s> outside its list or table kept as a div", xr_loc(s->ctx, file, xmlGetLineNo(el), (char[320]){0}),
                    nm);
        if (inl)
            return map_block_in_inline(w, f, el, is_div ? NULL : nm);
        return map_container(w, f, el, DP_DIV, F_BLOCK, is_div ? NULL : nm, NULL, EX_NONE);
    }
    case C_BQ:
        if (inl)
            return map_block_in_inline(w, f, el, "blockquote");
        return map_container(w, f, el, DP_BLOCK_QUOTE, F_BLOCK, NULL, NULL, EX_NONE);
    case C_PRE:
        return xrw_map_pre(w, f, el, inl);
    case C_LIST: {
        if (inl)
            return map_block_in_inline(w, f, el, nm);
        dp_node *l = xrw_new_node(w, DP_LIST);
        if (!l)
            return xrw_oom(w);
        int ordered = xr_is_elem(el, "ol");
        dp_list_style st = DP_STYLE_DEFAULT;
        char *type = ordered ? xr_attr(el, "type") : NULL;
        if (type) {
            st = strcmp(type, "1") == 0   ? DP_STYLE_DECIMAL
                 : strcmp(type, "a") == 0 ? DP_STYLE_LOWER_ALPHA
                 : strcmp(type, "A") == 0 ? DP_STYLE_UPPER_ALPHA
                 : strcmp(type, "i") == 0 ? DP_STYLE_LOWER_ROMAN
                 : strcmp(type, "I") == 0 ? DP_STYLE_UPPER_ROMAN
                                          : DP_STYLE_DEFAULT;
            xmlFree(type);
        }
        dp_node_set_list(l, ordered ? DP_LIST_ORDERED : DP_LIST_BULLET,
                         ordered ? xrw_int_attr(el, "start", 1, -2147483647, 2147483647) : 1, DP_DELIM_DEFAULT, st, 1);
        static const char *const skip[] = { "start", "type", NULL };
        int rc = xrw_apply_attrs(w, l, el, ordered ? skip : NULL);
        if (!ordered && strcasecmp(nm, "ul") != 0 && !rc)
            rc = dp_node_add_class(l, nm);
        if (!rc)
            rc = xrw_add_block(w, f, l);
        return rc ? rc : xrw_open_children(w, el, F_LIST, l, EX_NONE);
    }
    case C_DL:
        if (inl)
            return map_block_in_inline(w, f, el, "dl");
        return map_container(w, f, el, DP_DEF_LIST, F_DL, NULL, NULL, EX_NONE);
    case C_HR: {
        dp_node *n = xrw_new_node(w, inl ? DP_LINE_BREAK : DP_THEMATIC_BREAK);
        if (!n)
            return xrw_oom(w);
        int rc = xrw_apply_attrs(w, n, el, NULL);
        return rc ? rc : (inl ? xrw_add_inline(w, f, n) : xrw_add_block(w, f, n));
    }
    case C_TABLE:
        if (inl)
            return map_block_in_inline(w, f, el, "table");
        return map_container(w, f, el, DP_TABLE, F_TABLE, NULL, NULL, EX_TABLE);
    case C_FIGURE:
        if (inl)
            return map_block_in_inline(w, f, el, "figure");
        return map_container(w, f, el, DP_FIGURE, F_BLOCK, NULL, NULL, EX_NONE);
    case C_EMPH:
        return map_container(w, f, el, DP_EMPH, F_INLINE, NULL, NULL, EX_NONE);
    case C_STRONG:
        return map_container(w, f, el, DP_STRONG, F_INLINE, NULL, NULL, EX_NONE);
    case C_U:
        return map_container(w, f, el, DP_UNDERLINE, F_INLINE, xr_is_elem(el, "ins") ? "ins" : NULL, NULL,
                             EX_NONE);
    case C_S:
        return map_container(w, f, el, DP_STRIKEOUT, F_INLINE, NULL, NULL, EX_NONE);
    case C_SUP:
        return map_container(w, f, el, DP_SUPERSCRIPT, F_INLINE, NULL, NULL, EX_NONE);
    case C_SUB:
        return map_container(w, f, el, DP_SUBSCRIPT, F_INLINE, NULL, NULL, EX_NONE);
    case C_Q: {
        int depth = 0;
        for (dp_node *p = f->kind == F_INLINE ? f->container : NULL; p; p = dp_node_parent(p))
            depth += dp_node_kind(p) == DP_QUOTED;
        dp_node *q = xrw_new_node(w, DP_QUOTED);
        if (!q)
            return xrw_oom(w);
        dp_node_set_quote(q, (depth % 2) ? DP_QUOTE_SINGLE : DP_QUOTE_DOUBLE);
        int rc = xrw_apply_attrs(w, q, el, NULL);
        if (!rc)
            rc = xrw_add_inline(w, f, q);
        return rc ? rc : xrw_open_children(w, el, F_INLINE, q, EX_NONE);
    }
    case C_SPAN: {
        if (xr_attr_has_token(el, "class", "header-section-number")) {
            dp_info(s->ctx, "%s: generated section number dropped", xr_loc(s->ctx, file, xmlGetLineNo(el), (char[320]){0}));
            return DP_OK;
        }
        if (xr_attr_has_token(el, "class", "math"))
            return xrw_map_tex_math(w, f, el);
        if (xr_attr_has_token(el, "class", "katex-html")) {
            /* KaTeX's visual rendering of the <math> beside it */
            dp_info(s->ctx, "%s: KaTeX rendering dropped (its MathML is read)",
                    xr_loc(s->ctx, file, xmlGetLineNo(el), (char[320]){0}));
            return DP_OK;
        }
        if (xr_attr_has_token(el, "class", "citation") && xr_has_attr(el, "data-cites"))
            return xrw_map_citation(w, f, el);
        char *style = xr_attr(el, "style");
        int sc_style = style && strstr(style, "small-caps") != NULL;
        xmlFree(style);
        if (xr_attr_has_token(el, "class", "smallcaps") || xr_attr_has_token(el, "class", "small-caps") ||
            sc_style) {
            static const char *const skip[] = { "style", NULL };
            dp_node *n = xrw_new_node(w, DP_SMALL_CAPS);
            if (!n)
                return xrw_oom(w);
            int rc = xrw_apply_attrs(w, n, el, sc_style ? skip : NULL);
            dp_node_remove_class(n, "smallcaps");
            dp_node_remove_class(n, "small-caps");
            if (!rc)
                rc = xrw_add_inline(w, f, n);
            return rc ? rc : xrw_open_children(w, el, F_INLINE, n, EX_NONE);
        }
        return map_container(w, f, el, DP_SPAN, F_INLINE, NULL, NULL, EX_NONE);
    }
    case C_A:
        return xrw_map_link(w, f, el);
    case C_CODE:
        return xrw_map_code(w, f, el);
    case C_BR: {
        if (!inl && !f->implicit)
            return DP_OK; /* a break between blocks shows nothing */
        dp_node *n = xrw_new_node(w, DP_LINE_BREAK);
        if (!n)
            return xrw_oom(w);
        xrw_set_pos(w, n, el);
        return xrw_add_inline(w, f, n);
    }
    case C_WBR:
        return DP_OK;
    case C_IMG:
        if (is_cover_image(w, f, el)) {
            dp_info(s->ctx, "%s: cover image dropped (it is the metadata cover-image)",
                    xr_loc(s->ctx, file, xmlGetLineNo(el), (char[320]){0}));
            mark_chrome(f);
            return DP_OK;
        }
        return xrw_map_img(w, f, el);
    case C_MATH:
    case C_SVG:
        return xrw_map_math(w, f, el);
    case C_CLASSED_SPAN:
        return map_container(w, f, el, DP_SPAN, F_INLINE, nm, NULL, EX_NONE);
    case C_UNKNOWN:
    default:
        dp_info(s->ctx, "%s: unknown element <%s> kept as a %s", xr_loc(s->ctx, file, xmlGetLineNo(el), (char[320]){0}), nm,
                inl ? "span" : "div");
        if (inl)
            return map_container(w, f, el, DP_SPAN, F_INLINE, NULL, NULL, EX_NONE);
        return map_container(w, f, el, DP_DIV, F_BLOCK, NULL, NULL, EX_NONE);
    }
}

