/* The walk from a libxml2 (X)HTML tree to the dp tree.
 *
 * Iterative: an explicit stack of frames, one per open element (and one per
 * note being read at its reference), so deep input cannot exhaust the C
 * stack; past dp_ctx_limits()->max_depth elements are flattened to their
 * text with one warning. Each frame knows what its dp container accepts:
 * blocks (loose inline content then goes into an implicit PLAIN, or PARA in
 * notes), inlines (a block element met there becomes a SPAN between line
 * breaks, so its words are kept and stay apart), or the parts of a list,
 * definition list or table (anything else is wrapped into an item or cell). */
#include "xr_internal.h"

#include <libxml/xmlsave.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum fkind { F_BLOCK, F_INLINE, F_LIST, F_DL, F_TABLE, F_TSECT, F_TROW, F_LINES } fkind;
enum { EX_NONE, EX_BREAK, EX_NOTE, EX_TABLE };

typedef struct frame {
    xmlNodePtr next;       /* next source node to read in this frame */
    int single;            /* read only `next`, not its following siblings */
    xmlNodePtr unskip;     /* a note body read as itself despite its XR_SKIP */
    fkind kind;
    dp_node *container;
    dp_node *implicit;     /* open implicit wrapper (PLAIN / PARA / table body / def item / row) */
    dp_kind implicit_kind; /* F_BLOCK: DP_PLAIN, or DP_PARA inside notes */
    int need_break;        /* F_INLINE: a line break before the next inline */
    int exit;
    xmlNodePtr elem;       /* source element of this frame (exit actions) */
    dp_node *made;
    size_t file;
} frame;

typedef struct walker {
    xr_session *s;
    frame *st;
    size_t n, cap;
} walker;

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
    for (const elem_desc *d = ELEMS; d->name; d++)
        if (strcasecmp(d->name, nm) == 0)
            return d->c;
    return C_UNKNOWN;
}

/* ---- frames ----------------------------------------------------------- */

static int push(walker *w, const frame *f)
{
    if (w->n == w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 64;
        frame *ns = realloc(w->st, nc * sizeof *ns);
        if (!ns)
            return DP_ENOMEM;
        w->st = ns;
        w->cap = nc;
    }
    w->st[w->n++] = *f;
    return DP_OK;
}

static frame *top(walker *w)
{
    return &w->st[w->n - 1];
}

static frame child_frame(const frame *parent, xmlNodePtr first, fkind kind, dp_node *container)
{
    frame f;
    memset(&f, 0, sizeof f);
    f.next = first;
    f.kind = kind;
    f.container = container;
    f.implicit_kind = parent->implicit_kind ? parent->implicit_kind : DP_PLAIN;
    f.file = parent->file;
    return f;
}

/* ---- adding nodes ----------------------------------------------------- */

static int oom(walker *w)
{
    return dp_fail(w->s->ctx, DP_ENOMEM, w->s->files[top(w)->file].name, 0, 0, "out of memory");
}

static int link_child(walker *w, dp_node *parent, dp_node *child)
{
    int rc = dp_node_append_child(parent, child);
    if (rc != DP_OK)
        return dp_fail(w->s->ctx, DP_EINTERNAL, w->s->files[top(w)->file].name, dp_node_line(child), 0,
                       "reader built an invalid tree: %s in %s", dp_kind_name(dp_node_kind(child)),
                       dp_kind_name(dp_node_kind(parent)));
    return DP_OK;
}

static int add_block(walker *w, frame *f, dp_node *b)
{
    f->implicit = NULL;
    return link_child(w, f->container, b);
}

static int add_inline(walker *w, frame *f, dp_node *in)
{
    if (f->kind == F_INLINE) {
        if (f->need_break) {
            f->need_break = 0;
            if (dp_node_last_child(f->container)) {
                dp_node *br = dp_node_new(w->s->doc, DP_LINE_BREAK);
                if (!br)
                    return oom(w);
                int rc = link_child(w, f->container, br);
                if (rc)
                    return rc;
            }
        }
        return link_child(w, f->container, in);
    }
    if (!f->implicit) {
        dp_node *p = dp_node_new(w->s->doc, f->implicit_kind ? f->implicit_kind : DP_PLAIN);
        if (!p)
            return oom(w);
        int rc = link_child(w, f->container, p);
        if (rc)
            return rc;
        f->implicit = p;
    }
    return link_child(w, f->implicit, in);
}

static int add_text(walker *w, frame *f, const char *s, size_t len)
{
    size_t cl;
    char *c = xr_collapse_ws(s, len, &cl);
    if (!c)
        return oom(w);
    int blank = (cl == 0 || (cl == 1 && c[0] == ' '));
    int rc = DP_OK;
    if (blank && (f->kind != F_INLINE ? !f->implicit : f->need_break)) {
        free(c);
        return DP_OK;
    }
    dp_node *t = dp_node_new_text(w->s->doc, DP_TEXT, c, cl);
    free(c);
    if (!t)
        return oom(w);
    rc = add_inline(w, f, t);
    return rc;
}

static void set_pos(dp_node *n, xmlNodePtr el)
{
    long line = xmlGetLineNo(el);
    if (line > 0 && line < 0x7fffffff)
        dp_node_set_pos(n, (int)line, 0);
}

static int in_list(const char *name, const char *const *list)
{
    for (int i = 0; list && list[i]; i++)
        if (strcasecmp(list[i], name) == 0)
            return 1;
    return 0;
}

/* id, classes, lang and every other attribute of el onto n, except those in
 * skip (already turned into node data). */
static int apply_attrs(walker *w, dp_node *n, xmlNodePtr el, const char *const *skip)
{
    xr_info *info = xr_info_peek(el);
    if (info && info->id && dp_node_set_id(n, info->id) != DP_OK)
        return oom(w);
    set_pos(n, el);
    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        const char *prefix = a->ns ? (const char *)a->ns->prefix : NULL;
        int xmlns = a->ns && a->ns->href && xmlStrEqual(a->ns->href, XML_XML_NAMESPACE);
        if (xmlns && strcmp(name, "id") == 0)
            continue;
        if (!a->ns && (strcasecmp(name, "id") == 0 || strncasecmp(name, "xmlns", 5) == 0))
            continue;
        if (!a->ns && xr_is_elem(el, "a") && strcasecmp(name, "name") == 0 && info && info->id)
            continue;
        xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
        const char *val = v ? (const char *)v : "";
        int rc = DP_OK;
        if ((xmlns || !a->ns) && (strcmp(name, "lang") == 0 || strcmp(name, "xml:lang") == 0)) {
            if (*val)
                rc = dp_node_set_lang(n, val);
        } else if (!a->ns && strcasecmp(name, "class") == 0) {
            char *save = NULL, *copy = strdup(val);
            if (!copy)
                rc = DP_ENOMEM;
            for (char *t = copy ? strtok_r(copy, " \t\r\n\f", &save) : NULL; t && rc == DP_OK;
                 t = strtok_r(NULL, " \t\r\n\f", &save))
                rc = dp_node_add_class(n, t);
            free(copy);
        } else if (!a->ns && in_list(name, skip)) {
            /* turned into node data */
        } else {
            char key[256];
            if (prefix)
                snprintf(key, sizeof key, "%s:%s", prefix, name);
            else
                snprintf(key, sizeof key, "%s", name);
            rc = dp_node_set_attr(n, key, val);
        }
        xmlFree(v);
        if (rc != DP_OK)
            return oom(w);
    }
    return DP_OK;
}

/* Pushes a frame reading the children of el into container. */
static int open_children(walker *w, xmlNodePtr el, fkind kind, dp_node *container, int exit)
{
    frame f = child_frame(top(w), el->children, kind, container);
    f.exit = exit;
    f.elem = el;
    f.made = container;
    return push(w, &f);
}

/* Pushes a frame reading only node into container. */
static int open_single(walker *w, xmlNodePtr node, fkind kind, dp_node *container)
{
    frame f = child_frame(top(w), node, kind, container);
    f.single = 1;
    return push(w, &f);
}

static dp_node *new_node(walker *w, dp_kind k)
{
    return dp_node_new(w->s->doc, k);
}

/* ---- leaves with text --------------------------------------------------- */

static const char *code_language(xmlNodePtr pre, xmlNodePtr code, char *buf, size_t cap)
{
    xmlNodePtr els[2] = { code, pre };
    for (int i = 0; i < 2; i++) {
        if (!els[i])
            continue;
        char *cls = xr_attr(els[i], "class");
        if (cls) {
            char *save = NULL;
            const char *other = NULL;
            int sourcecode = 0;
            for (char *t = strtok_r(cls, " \t\r\n\f", &save); t; t = strtok_r(NULL, " \t\r\n\f", &save)) {
                if (strncmp(t, "language-", 9) == 0 && t[9]) {
                    snprintf(buf, cap, "%s", t + 9);
                    xmlFree(cls);
                    return buf;
                }
                if (strncmp(t, "lang-", 5) == 0 && t[5]) {
                    snprintf(buf, cap, "%s", t + 5);
                    xmlFree(cls);
                    return buf;
                }
                if (strcmp(t, "sourceCode") == 0)
                    sourcecode = 1;
                else if (!other)
                    other = t;
            }
            if (sourcecode && other) {
                snprintf(buf, cap, "%s", other);
                xmlFree(cls);
                return buf;
            }
            xmlFree(cls);
        }
        char *lang = xr_attr(els[i], "lang");
        if (lang && i == 1) { /* cmark-gfm: <pre lang="c"> */
            snprintf(buf, cap, "%s", lang);
            xmlFree(lang);
            return buf;
        }
        xmlFree(lang);
    }
    return NULL;
}

static int has_markup_children(xmlNodePtr el, xmlNodePtr allowed)
{
    for (xmlNodePtr n = el->children; n; n = xr_next_in(el, n, 0))
        if (n->type == XML_ELEMENT_NODE && n != allowed && !xr_is_elem(n, "span") && !xr_is_elem(n, "br"))
            return 1;
    return 0;
}

static int map_pre(walker *w, frame *f, xmlNodePtr el, int inline_ctx)
{
    xmlNodePtr code = NULL;
    for (xmlNodePtr c = el->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            if (code || !xr_is_elem(c, "code")) {
                code = NULL;
                break;
            }
            code = c;
        }
    }
    char *text = xr_text_content(el, 0);
    if (!text)
        return oom(w);
    if (has_markup_children(el, code))
        dp_info(w->s->ctx, "%s: markup inside <pre> kept as plain text", xr_loc(w->s->ctx, w->s->files[f->file].name, xmlGetLineNo(el), (char[320]){0}));
    const char *t = text;
    if (t[0] == '\n')
        t++;
    dp_node *n = dp_node_new_text(w->s->doc, inline_ctx ? DP_CODE : DP_CODE_BLOCK, t, strlen(t));
    free(text);
    if (!n)
        return oom(w);
    char lbuf[128];
    const char *lang = code_language(el, code, lbuf, sizeof lbuf);
    if (lang && dp_node_add_class(n, lang) != DP_OK)
        return oom(w);
    static const char *const skip[] = { "lang", NULL };
    int rc = apply_attrs(w, n, el, lang ? skip : NULL);
    if (!rc && code)
        rc = apply_attrs(w, n, code, NULL);
    if (!rc && lang) {
        /* the language class is the first; drop the markers it came from */
        char buf[160];
        snprintf(buf, sizeof buf, "language-%s", lang);
        dp_node_remove_class(n, buf);
        snprintf(buf, sizeof buf, "lang-%s", lang);
        dp_node_remove_class(n, buf);
        dp_node_remove_class(n, "sourceCode");
        /* keep lang first */
        if (dp_node_class_count(n) > 0 && strcmp(dp_node_class_at(n, 0), lang) != 0) {
            dp_node_remove_class(n, lang);
            /* rebuild: lang, then the rest */
            int cnt = dp_node_class_count(n);
            char **rest = calloc((size_t)cnt + 1, sizeof *rest);
            if (!rest)
                return oom(w);
            for (int i = 0; i < cnt; i++)
                rest[i] = strdup(dp_node_class_at(n, i));
            for (int i = 0; i < cnt; i++)
                if (rest[i])
                    dp_node_remove_class(n, rest[i]);
            dp_node_add_class(n, lang);
            for (int i = 0; i < cnt; i++) {
                if (rest[i])
                    dp_node_add_class(n, rest[i]);
                free(rest[i]);
            }
            free(rest);
        }
    }
    if (rc)
        return rc;
    return inline_ctx ? add_inline(w, f, n) : add_block(w, f, n);
}

static int map_code(walker *w, frame *f, xmlNodePtr el)
{
    char *text = xr_text_content(el, 0);
    if (!text)
        return oom(w);
    if (has_markup_children(el, NULL))
        dp_info(w->s->ctx, "%s: markup inside <%s> kept as plain text", xr_loc(w->s->ctx, w->s->files[f->file].name, xmlGetLineNo(el), (char[320]){0}), xr_name(el));
    /* inline code: HTML collapses its white space */
    size_t cl;
    char *c = xr_collapse_ws(text, strlen(text), &cl);
    free(text);
    if (!c)
        return oom(w);
    dp_node *n = dp_node_new_text(w->s->doc, DP_CODE, c, cl);
    free(c);
    if (!n)
        return oom(w);
    if (!xr_is_elem(el, "code") && !xr_is_elem(el, "tt") && dp_node_add_class(n, xr_name(el)) != DP_OK)
        return oom(w);
    int rc = apply_attrs(w, n, el, NULL);
    return rc ? rc : add_inline(w, f, n);
}

/* Depth of the subtree below el, stopping once it exceeds limit. */
static int deeper_than(xmlNodePtr el, int limit)
{
    int depth = 0;
    xmlNodePtr n = el;
    for (;;) {
        if (n->children && n->type == XML_ELEMENT_NODE) {
            n = n->children;
            if (++depth > limit)
                return 1;
            continue;
        }
        while (n != el && !n->next) {
            n = n->parent;
            depth--;
        }
        if (n == el)
            return 0;
        n = n->next;
    }
}

static char *serialize(xmlNodePtr el)
{
    xmlBufferPtr b = xmlBufferCreate();
    if (!b)
        return NULL;
    xmlNodeDump(b, el->doc, el, 0, 0);
    char *r = strdup((const char *)xmlBufferContent(b));
    xmlBufferFree(b);
    return r;
}

static int map_math(walker *w, frame *f, xmlNodePtr el)
{
    if (deeper_than(el, w->s->max_depth)) {
        char *t = xr_text_content(el, 1);
        if (!t)
            return oom(w);
        dp_warn_at(w->s->ctx, w->s->files[f->file].name, (int)xmlGetLineNo(el), 0,
                   "<%s> nested too deeply: kept as its text", xr_name(el));
        int rc = add_text(w, f, t, strlen(t));
        free(t);
        return rc;
    }
    int math = xr_is_elem(el, "math");
    char *src = serialize(el);
    if (!src)
        return oom(w);
    dp_node *n = dp_node_new_text(w->s->doc, math ? DP_MATH : DP_RAW_INLINE, src, strlen(src));
    free(src);
    if (!n)
        return oom(w);
    if (math) {
        dp_node_set_format(n, "mathml");
        char *disp = xr_attr(el, "display");
        if (disp && strcasecmp(disp, "block") == 0)
            dp_node_set_math_display(n, 1);
        xmlFree(disp);
    } else {
        dp_node_set_format(n, "html");
        dp_info(w->s->ctx, "%s: inline <svg> kept as raw HTML", xr_loc(w->s->ctx, w->s->files[f->file].name, xmlGetLineNo(el), (char[320]){0}));
    }
    set_pos(n, el);
    return add_inline(w, f, n);
}

/* pandoc's TeX math: <span class="math inline">\(x\)</span>. */
static int map_tex_math(walker *w, frame *f, xmlNodePtr el)
{
    char *t = xr_text_content(el, 0);
    if (!t)
        return oom(w);
    size_t l = strlen(t);
    char *s = t;
    if (l >= 4 && s[0] == '\\' && (s[1] == '(' || s[1] == '[') && s[l - 2] == '\\' &&
        (s[l - 1] == ')' || s[l - 1] == ']')) {
        s[l - 2] = '\0';
        s += 2;
    }
    dp_node *n = dp_node_new_text(w->s->doc, DP_MATH, s, strlen(s));
    free(t);
    if (!n)
        return oom(w);
    dp_node_set_format(n, "tex");
    if (xr_attr_has_token(el, "class", "display"))
        dp_node_set_math_display(n, 1);
    int rc = apply_attrs(w, n, el, NULL);
    dp_node_remove_class(n, "math");
    dp_node_remove_class(n, "inline");
    dp_node_remove_class(n, "display");
    return rc ? rc : add_inline(w, f, n);
}

/* pandoc / docpipe citations: <span class="citation" data-cites="a b">. */
static int map_citation(walker *w, frame *f, xmlNodePtr el)
{
    dp_node *c = new_node(w, DP_CITE);
    if (!c)
        return oom(w);
    char *ids = xr_attr(el, "data-cites");
    char *save = NULL;
    int rc = DP_OK;
    for (char *t = ids ? strtok_r(ids, " \t\r\n\f", &save) : NULL; t && rc == DP_OK;
         t = strtok_r(NULL, " \t\r\n\f", &save)) {
        dp_citation cit = { t, NULL, NULL, DP_CITE_NORMAL };
        rc = dp_node_add_citation(c, &cit);
    }
    xmlFree(ids);
    static const char *const skip[] = { "data-cites", NULL };
    if (!rc)
        rc = apply_attrs(w, c, el, skip);
    dp_node_remove_class(c, "citation");
    if (!rc)
        rc = add_inline(w, f, c);
    return rc ? (rc == DP_ENOMEM ? oom(w) : rc) : open_children(w, el, F_INLINE, c, EX_NONE);
}

/* ---- links and images ------------------------------------------------- */

static const char *resource_name(walker *w, size_t file, const char *url)
{
    xr_session *s = w->s;
    if (!dp_doc_resource_count(s->doc))
        return NULL;
    char *path = xr_resolve_href(s->files[file].name, url, NULL);
    if (!path)
        return NULL;
    const char *r = NULL;
    size_t bl = s->resource_base ? strlen(s->resource_base) : 0;
    const dp_resource *res = NULL;
    if (strncmp(path, s->resource_base ? s->resource_base : "", bl) == 0)
        res = dp_doc_resource_find(s->doc, path + bl);
    if (!res) /* outside the package directory: named by its whole path */
        res = dp_doc_resource_find(s->doc, path);
    if (res)
        r = res->name;
    free(path);
    return r;
}

static int set_link_url(walker *w, frame *f, dp_node *link, const char *href)
{
    xr_session *s = w->s;
    size_t tf;
    char *frag = NULL;
    if (xr_resolve_internal(s, f->file, href, &tf, &frag)) {
        xmlNodePtr target = frag ? xr_find_id(s, tf, frag) : NULL;
        xr_info *ti = xr_info_peek(target);
        if (ti && ti->id) {
            char *u = malloc(strlen(ti->id) + 2);
            if (!u) {
                free(frag);
                return oom(w);
            }
            u[0] = '#';
            strcpy(u + 1, ti->id);
            int rc = dp_node_set_url(link, u);
            free(u);
            free(frag);
            return rc;
        }
        if (frag && tf == f->file && s->nfiles == 1) {
            /* a single page: keep the fragment as written */
            free(frag);
            return dp_node_set_url(link, href);
        }
        if (frag)
            dp_warn_at(s->ctx, s->files[f->file].name, dp_node_line(link), 0,
                       "link target \"%s#%s\" not found: pointing at the start of the file",
                       s->files[tf].name, frag);
        free(frag);
        /* the file itself: resolved once every file is read */
        if (s->npending == s->cappending) {
            size_t nc = s->cappending ? s->cappending * 2 : 16;
            xr_pending_link *np = realloc(s->pending, nc * sizeof *np);
            if (!np)
                return oom(w);
            s->pending = np;
            s->cappending = nc;
        }
        s->pending[s->npending].link = link;
        s->pending[s->npending].file = tf;
        s->pending[s->npending].fragment = NULL;
        s->npending++;
        s->files[tf].needs_anchor = 1;
        return dp_node_set_url(link, "#");
    }
    free(frag);
    const char *res = resource_name(w, f->file, href);
    return dp_node_set_url(link, res ? res : href);
}

static int map_link(walker *w, frame *f, xmlNodePtr el)
{
    char *href = xr_attr(el, "href");
    dp_node *n;
    int rc;
    if (!href) {
        /* an anchor (<a id> / <a name>): a span keeping the id */
        n = new_node(w, DP_SPAN);
        if (!n)
            return oom(w);
        rc = apply_attrs(w, n, el, NULL);
    } else {
        n = new_node(w, DP_LINK);
        if (!n) {
            xmlFree(href);
            return oom(w);
        }
        set_pos(n, el);
        rc = set_link_url(w, f, n, href);
        xmlFree(href);
        char *title = xr_attr(el, "title");
        if (!rc && title)
            rc = dp_node_set_title(n, title);
        xmlFree(title);
        static const char *const skip[] = { "href", "title", NULL };
        if (!rc)
            rc = apply_attrs(w, n, el, skip);
    }
    if (!rc)
        rc = add_inline(w, f, n);
    return rc ? rc : open_children(w, el, F_INLINE, n, EX_NONE);
}

static int map_img(walker *w, frame *f, xmlNodePtr el)
{
    char *src = xr_attr(el, "src");
    dp_node *n = new_node(w, DP_IMAGE);
    if (!n) {
        xmlFree(src);
        return oom(w);
    }
    if (!src) {
        dp_warn_at(w->s->ctx, w->s->files[f->file].name, (int)xmlGetLineNo(el), 0, "<img> without src");
    }
    const char *res = src ? resource_name(w, f->file, src) : NULL;
    int rc = dp_node_set_url(n, res ? res : (src ? src : ""));
    xmlFree(src);
    char *title = xr_attr(el, "title");
    if (!rc && title)
        rc = dp_node_set_title(n, title);
    xmlFree(title);
    char *alt = xr_attr(el, "alt");
    if (!rc && alt && *alt) {
        dp_node *t = dp_node_new_text(w->s->doc, DP_TEXT, alt, strlen(alt));
        rc = t ? link_child(w, n, t) : DP_ENOMEM;
    }
    xmlFree(alt);
    static const char *const skip[] = { "src", "alt", "title", NULL };
    if (!rc)
        rc = apply_attrs(w, n, el, skip);
    return rc ? rc : add_inline(w, f, n);
}

/* ---- notes --------------------------------------------------------------- */

static int map_noteref(walker *w, frame *f, xmlNodePtr el, xr_info *ri)
{
    xmlNodePtr body = ri->note_body;
    xr_info *bi = xr_info_peek(body);
    xr_session *s = w->s;
    if (bi->note_state == 2 && bi->note) {
        dp_node *copy = dp_node_copy(s->doc, bi->note);
        if (!copy)
            return oom(w);
        if (ri->label)
            dp_node_set_label(copy, ri->label);
        dp_info(s->ctx, "%s: note referenced again: copied at this reference", xr_loc(s->ctx, s->files[f->file].name, xmlGetLineNo(el), (char[320]){0}));
        return add_inline(w, f, copy);
    }
    if (bi->note_state == 1) {
        dp_warn_at(s->ctx, s->files[f->file].name, (int)xmlGetLineNo(el), 0,
                   "note referenced from inside itself: kept as its label");
        const char *l = ri->label ? ri->label : "";
        dp_node *t = dp_node_new_text(s->doc, DP_TEXT, l, strlen(l));
        return t ? add_inline(w, f, t) : oom(w);
    }
    dp_node *note = new_node(w, DP_NOTE);
    if (!note)
        return oom(w);
    set_pos(note, el);
    if (ri->label && dp_node_set_label(note, ri->label) != DP_OK)
        return oom(w);
    int rc = add_inline(w, f, note);
    if (rc)
        return rc;
    bi->note = note;
    bi->note_state = 1;
    frame nf = child_frame(f, (bi->flags & XR_BODY_SELF) ? body : body->children, F_BLOCK, note);
    nf.single = (bi->flags & XR_BODY_SELF) ? 1 : 0;
    nf.unskip = body;
    nf.implicit_kind = DP_PARA;
    nf.exit = EX_NOTE;
    nf.elem = body;
    nf.made = note;
    nf.file = bi->file;
    return push(w, &nf);
}

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
static dp_node *struct_slot(walker *w, frame *f)
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

static int parse_align(xmlNodePtr el, dp_align *out)
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

static int int_attr(xmlNodePtr el, const char *name, int dflt, int lo, int hi)
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
    dp_node *cell = new_node(w, DP_TABLE_CELL);
    if (!cell)
        return oom(w);
    dp_align al;
    parse_align(el, &al);
    dp_node_set_cell(cell, al, int_attr(el, "rowspan", 1, 1, 65534), int_attr(el, "colspan", 1, 1, 1000),
                     xr_is_elem(el, "th"));
    static const char *const skip[] = { "rowspan", "colspan", "align", NULL };
    static const char *const skip_style[] = { "rowspan", "colspan", "align", "style", NULL };
    int rc = apply_attrs(w, cell, el, style_is_only_align(el) ? skip_style : skip);
    if (!rc)
        rc = link_child(w, row, cell);
    (void)f;
    return rc ? rc : open_children(w, el, F_BLOCK, cell, EX_NONE);
}

static int handle_struct(walker *w, frame *f, xmlNodePtr el)
{
    dp_doc *d = w->s->doc;
    int rc;
    switch (f->kind) {
    case F_LIST:
        if (xr_is_elem(el, "li")) {
            dp_node *item = new_node(w, DP_LIST_ITEM);
            if (!item)
                return oom(w);
            if ((rc = apply_attrs(w, item, el, NULL)) || (rc = link_child(w, f->container, item)))
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
                    return oom(w);
                ci->flags |= XR_SKIP;
            }
            return open_children(w, el, F_BLOCK, item, EX_NONE);
        }
        break;
    case F_DL:
        if (xr_is_elem(el, "dt") || xr_is_elem(el, "dd")) {
            int term = xr_is_elem(el, "dt");
            dp_node *last = f->implicit ? dp_node_last_child(f->implicit) : NULL;
            if (!f->implicit || (term && last && dp_node_kind(last) == DP_DEF_DESC)) {
                f->implicit = new_def_item(d, f->container, !term);
                if (!f->implicit)
                    return oom(w);
            }
            dp_node *part = new_node(w, term ? DP_DEF_TERM : DP_DEF_DESC);
            if (!part)
                return oom(w);
            if ((rc = apply_attrs(w, part, el, NULL)) || (rc = link_child(w, f->implicit, part)))
                return rc;
            return open_children(w, el, term ? F_INLINE : F_BLOCK, part, EX_NONE);
        }
        if (xr_is_elem(el, "div")) /* HTML allows dl > div > dt/dd groups */
            return open_children(w, el, F_DL, f->container, EX_NONE);
        break;
    case F_TABLE:
        if (xr_is_elem(el, "caption")) {
            dp_node *cap = NULL;
            for (dp_node *c = dp_node_first_child(f->container); c; c = dp_node_next(c))
                if (dp_node_kind(c) == DP_CAPTION)
                    cap = c;
            if (!cap) {
                cap = new_node(w, DP_CAPTION);
                if (!cap)
                    return oom(w);
                if ((rc = apply_attrs(w, cap, el, NULL)))
                    return rc;
                if (dp_node_prepend_child(f->container, cap))
                    return oom(w);
            }
            return open_children(w, el, F_BLOCK, cap, EX_NONE);
        }
        if (xr_is_elem(el, "colgroup") || xr_is_elem(el, "col"))
            return DP_OK; /* read when the table closes */
        if (xr_is_elem(el, "thead") || xr_is_elem(el, "tbody") || xr_is_elem(el, "tfoot")) {
            dp_kind k = xr_is_elem(el, "thead") ? DP_TABLE_HEAD
                        : xr_is_elem(el, "tfoot") ? DP_TABLE_FOOT : DP_TABLE_BODY;
            dp_node *sec = new_node(w, k);
            if (!sec)
                return oom(w);
            f->implicit = NULL;
            if ((rc = apply_attrs(w, sec, el, NULL)) || (rc = link_child(w, f->container, sec)))
                return rc;
            return open_children(w, el, F_TSECT, sec, EX_NONE);
        }
        if (xr_is_elem(el, "tr")) {
            if (!f->implicit) {
                f->implicit = dp_node_new(d, DP_TABLE_BODY);
                if (!f->implicit)
                    return oom(w);
                if ((rc = link_child(w, f->container, f->implicit)))
                    return rc;
            }
            dp_node *row = new_node(w, DP_TABLE_ROW);
            if (!row)
                return oom(w);
            if ((rc = apply_attrs(w, row, el, NULL)) || (rc = link_child(w, f->implicit, row)))
                return rc;
            return open_children(w, el, F_TROW, row, EX_NONE);
        }
        break;
    case F_TSECT:
        if (xr_is_elem(el, "tr")) {
            f->implicit = NULL;
            dp_node *row = new_node(w, DP_TABLE_ROW);
            if (!row)
                return oom(w);
            if ((rc = apply_attrs(w, row, el, NULL)) || (rc = link_child(w, f->container, row)))
                return rc;
            return open_children(w, el, F_TROW, row, EX_NONE);
        }
        if (xr_is_elem(el, "td") || xr_is_elem(el, "th")) {
            if (!f->implicit) {
                f->implicit = dp_node_new(d, DP_TABLE_ROW);
                if (!f->implicit)
                    return oom(w);
                if ((rc = link_child(w, f->container, f->implicit)))
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
            dp_node *line = new_node(w, DP_LINE);
            if (!line)
                return oom(w);
            f->implicit = NULL;
            if ((rc = apply_attrs(w, line, el, NULL)) || (rc = link_child(w, f->container, line)))
                return rc;
            dp_node_remove_class(line, "line");
            return open_children(w, el, F_INLINE, line, EX_NONE);
        }
        if (xr_is_elem(el, "br")) { /* pandoc: lines separated by <br> */
            if (!f->implicit) {
                dp_node *empty = new_node(w, DP_LINE);
                if (!empty || dp_node_append_child(f->container, empty))
                    return oom(w);
            }
            f->implicit = NULL;
            return DP_OK;
        }
        break;
    default:
        break;
    }
    /* anything else: into a fresh item / description / cell / line */
    dp_node *slot = struct_slot(w, f);
    if (!slot)
        return oom(w);
    return open_single(w, el, f->kind == F_LINES ? F_INLINE : F_BLOCK, slot);
}

/* ---- the general case --------------------------------------------------- */

static int is_pagebreak(xmlNodePtr el)
{
    return xr_attr_has_token(el, "role", "doc-pagebreak") || xr_epub_type_has(el, "pagebreak");
}

static int map_pagebreak(walker *w, frame *f, xmlNodePtr el)
{
    dp_node *pb = new_node(w, DP_PAGE_BREAK);
    if (!pb)
        return oom(w);
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
    int rc = apply_attrs(w, pb, el, skip);
    if (rc)
        return rc;
    if (f->kind == F_INLINE || f->implicit)
        return add_inline(w, f, pb);
    dp_node_set_block_milestone(pb, 1);
    return add_block(w, f, pb);
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
    const char *res = src ? resource_name(w, f->file, src) : NULL;
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
    dp_node *sp = new_node(w, DP_SPAN);
    if (!sp)
        return oom(w);
    int rc = apply_attrs(w, sp, el, NULL);
    if (!rc && cls)
        rc = dp_node_add_class(sp, cls);
    if (rc)
        return rc == DP_ENOMEM ? oom(w) : rc;
    dp_info(w->s->ctx, "%s: block <%s> inside inline content kept as a span", xr_loc(w->s->ctx, w->s->files[f->file].name, xmlGetLineNo(el), (char[320]){0}), xr_name(el));
    f->need_break = 1;
    if ((rc = add_inline(w, f, sp)))
        return rc;
    return open_children(w, el, F_INLINE, sp, EX_BREAK);
}

static int map_container(walker *w, frame *f, xmlNodePtr el, dp_kind kind, fkind fk, const char *cls,
                         const char *const *skip, int exit)
{
    dp_node *n = new_node(w, kind);
    if (!n)
        return oom(w);
    int rc = apply_attrs(w, n, el, skip);
    if (!rc && cls)
        rc = dp_node_add_class(n, cls) ? oom(w) : DP_OK;
    if (rc)
        return rc;
    if (dp_kind_is_inline(kind))
        rc = add_inline(w, f, n);
    else
        rc = add_block(w, f, n);
    return rc ? rc : open_children(w, el, fk, n, exit);
}

static int map_general(walker *w, frame *f, xmlNodePtr el)
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
        dp_info(s->ctx, "%s: <%s> dropped", xr_loc(s->ctx, file, xmlGetLineNo(el), (char[320]){0}), nm);
        return DP_OK;
    case C_SILENT:
        return DP_OK;
    case C_TRANSPARENT: {
        frame nf = child_frame(f, el->children, f->kind, f->container);
        return push(w, &nf);
    }
    case C_P:
        if (inl)
            return map_block_in_inline(w, f, el, NULL);
        return map_container(w, f, el, DP_PARA, F_INLINE, NULL, NULL, EX_NONE);
    case C_H: {
        if (inl)
            return map_block_in_inline(w, f, el, NULL);
        dp_node *h = new_node(w, DP_HEADING);
        if (!h)
            return oom(w);
        dp_node_set_heading_level(h, nm[1] - '0');
        int rc = apply_attrs(w, h, el, NULL);
        if (!rc)
            rc = add_block(w, f, h);
        return rc ? rc : open_children(w, el, F_INLINE, h, EX_NONE);
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
            dp_node *lb = new_node(w, DP_LINE_BLOCK);
            if (!lb)
                return oom(w);
            int rc = apply_attrs(w, lb, el, NULL);
            dp_node_remove_class(lb, "line-block");
            if (!rc)
                rc = add_block(w, f, lb);
            return rc ? rc : open_children(w, el, F_LINES, lb, EX_NONE);
        }
        if (is_section_wrapper(el)) {
            frame nf = child_frame(f, el->children, f->kind, f->container);
            return push(w, &nf);
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
        return map_pre(w, f, el, inl);
    case C_LIST: {
        if (inl)
            return map_block_in_inline(w, f, el, nm);
        dp_node *l = new_node(w, DP_LIST);
        if (!l)
            return oom(w);
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
                         ordered ? int_attr(el, "start", 1, -2147483647, 2147483647) : 1, DP_DELIM_DEFAULT, st, 1);
        static const char *const skip[] = { "start", "type", NULL };
        int rc = apply_attrs(w, l, el, ordered ? skip : NULL);
        if (!ordered && strcasecmp(nm, "ul") != 0 && !rc)
            rc = dp_node_add_class(l, nm);
        if (!rc)
            rc = add_block(w, f, l);
        return rc ? rc : open_children(w, el, F_LIST, l, EX_NONE);
    }
    case C_DL:
        if (inl)
            return map_block_in_inline(w, f, el, "dl");
        return map_container(w, f, el, DP_DEF_LIST, F_DL, NULL, NULL, EX_NONE);
    case C_HR: {
        dp_node *n = new_node(w, inl ? DP_LINE_BREAK : DP_THEMATIC_BREAK);
        if (!n)
            return oom(w);
        int rc = apply_attrs(w, n, el, NULL);
        return rc ? rc : (inl ? add_inline(w, f, n) : add_block(w, f, n));
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
        dp_node *q = new_node(w, DP_QUOTED);
        if (!q)
            return oom(w);
        dp_node_set_quote(q, (depth % 2) ? DP_QUOTE_SINGLE : DP_QUOTE_DOUBLE);
        int rc = apply_attrs(w, q, el, NULL);
        if (!rc)
            rc = add_inline(w, f, q);
        return rc ? rc : open_children(w, el, F_INLINE, q, EX_NONE);
    }
    case C_SPAN: {
        if (xr_attr_has_token(el, "class", "header-section-number")) {
            dp_info(s->ctx, "%s: generated section number dropped", xr_loc(s->ctx, file, xmlGetLineNo(el), (char[320]){0}));
            return DP_OK;
        }
        if (xr_attr_has_token(el, "class", "math"))
            return map_tex_math(w, f, el);
        if (xr_attr_has_token(el, "class", "citation") && xr_has_attr(el, "data-cites"))
            return map_citation(w, f, el);
        char *style = xr_attr(el, "style");
        int sc_style = style && strstr(style, "small-caps") != NULL;
        xmlFree(style);
        if (xr_attr_has_token(el, "class", "smallcaps") || xr_attr_has_token(el, "class", "small-caps") ||
            sc_style) {
            static const char *const skip[] = { "style", NULL };
            dp_node *n = new_node(w, DP_SMALL_CAPS);
            if (!n)
                return oom(w);
            int rc = apply_attrs(w, n, el, sc_style ? skip : NULL);
            dp_node_remove_class(n, "smallcaps");
            dp_node_remove_class(n, "small-caps");
            if (!rc)
                rc = add_inline(w, f, n);
            return rc ? rc : open_children(w, el, F_INLINE, n, EX_NONE);
        }
        return map_container(w, f, el, DP_SPAN, F_INLINE, NULL, NULL, EX_NONE);
    }
    case C_A:
        return map_link(w, f, el);
    case C_CODE:
        return map_code(w, f, el);
    case C_BR: {
        if (!inl && !f->implicit)
            return DP_OK; /* a break between blocks shows nothing */
        dp_node *n = new_node(w, DP_LINE_BREAK);
        if (!n)
            return oom(w);
        set_pos(n, el);
        return add_inline(w, f, n);
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
        return map_img(w, f, el);
    case C_MATH:
    case C_SVG:
        return map_math(w, f, el);
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

/* Past the depth limit: the element's text, without structure. */
static int flatten(walker *w, frame *f, xmlNodePtr el)
{
    xr_session *s = w->s;
    if (!s->depth_warned) {
        s->depth_warned = 1;
        dp_warn_at(s->ctx, s->files[f->file].name, (int)xmlGetLineNo(el), 0,
                   "elements nested deeper than %d levels: their content is kept as plain text", s->max_depth);
    }
    char *t = xr_text_content(el, 1);
    if (!t)
        return oom(w);
    int rc = DP_OK;
    if (*t) {
        if (f->kind == F_BLOCK || f->kind == F_INLINE) {
            rc = add_text(w, f, t, strlen(t));
        } else if (f->kind == F_LINES) {
            dp_node *line = struct_slot(w, f);
            dp_node *tx = line ? dp_node_new_text(s->doc, DP_TEXT, t, strlen(t)) : NULL;
            if (!tx || dp_node_append_child(line, tx))
                rc = oom(w);
        } else {
            dp_node *slot = struct_slot(w, f);
            dp_node *p = slot ? dp_node_new(s->doc, DP_PLAIN) : NULL;
            dp_node *tx = p ? dp_node_new_text(s->doc, DP_TEXT, t, strlen(t)) : NULL;
            if (!tx || dp_node_append_child(p, tx) || dp_node_append_child(slot, p))
                rc = oom(w);
        }
    }
    free(t);
    return rc;
}

static int handle(walker *w, xmlNodePtr node)
{
    frame *f = top(w);
    switch (node->type) {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
        if (!node->content)
            return DP_OK;
        if (f->kind != F_BLOCK && f->kind != F_INLINE) {
            if (xr_is_ws((const char *)node->content) && !(f->kind == F_LINES && f->implicit))
                return DP_OK;
            dp_node *slot = struct_slot(w, f);
            if (!slot)
                return oom(w);
            return open_single(w, node, f->kind == F_LINES ? F_INLINE : F_BLOCK, slot);
        }
        return add_text(w, f, (const char *)node->content, strlen((const char *)node->content));
    case XML_ENTITY_REF_NODE: {
        char buf[8];
        const char *t = xr_entity_text(node, buf);
        if (f->kind != F_BLOCK && f->kind != F_INLINE) {
            /* between the parts of a list or table: into an item / cell like text */
            if (*t && xr_is_ws(t) && !(f->kind == F_LINES && f->implicit))
                return DP_OK;
            dp_node *slot = struct_slot(w, f);
            if (!slot)
                return oom(w);
            return open_single(w, node, f->kind == F_LINES ? F_INLINE : F_BLOCK, slot);
        }
        if (!*t) {
            dp_warn_at(w->s->ctx, w->s->files[f->file].name, (int)xmlGetLineNo(node), 0,
                       "unknown entity &%s; kept as written", node->name ? (const char *)node->name : "");
            char raw[300];
            snprintf(raw, sizeof raw, "&%s;", node->name ? (const char *)node->name : "");
            return add_text(w, f, raw, strlen(raw));
        }
        return add_text(w, f, t, strlen(t));
    }
    case XML_ELEMENT_NODE:
        break;
    default:
        return DP_OK; /* comments, processing instructions */
    }
    xr_info *info = xr_info_peek(node);
    if (info && (info->flags & XR_SKIP) && node != f->unskip)
        return DP_OK;
    if (info && (info->flags & XR_NOTEREF)) {
        if (f->kind == F_BLOCK || f->kind == F_INLINE)
            return map_noteref(w, f, node, info);
        /* between the parts of a list or table: into an item / cell first */
        dp_node *slot = struct_slot(w, f);
        if (!slot)
            return oom(w);
        return open_single(w, node, f->kind == F_LINES ? F_INLINE : F_BLOCK, slot);
    }
    if ((int)w->n >= w->s->max_depth)
        return flatten(w, f, node);
    if (f->kind != F_BLOCK && f->kind != F_INLINE)
        return handle_struct(w, f, node);
    return map_general(w, f, node);
}

/* ---- exits ---------------------------------------------------------------- */

static void table_exit(walker *w, dp_node *table, xmlNodePtr el)
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
                    int *np = realloc(pending, (size_t)nn * sizeof *np);
                    if (!np)
                        break;
                    for (int i = npending; i < nn; i++)
                        np[i] = 0;
                    pending = np;
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
        int span = int_attr(n, "span", 1, 1, 1000);
        dp_align a;
        parse_align(n, &a);
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

static void pop(walker *w)
{
    frame f = w->st[--w->n];
    switch (f.exit) {
    case EX_BREAK:
        if (w->n > 0)
            top(w)->need_break = 1;
        break;
    case EX_NOTE: {
        xr_info *bi = xr_info_peek(f.elem);
        if (bi)
            bi->note_state = 2;
        break;
    }
    case EX_TABLE:
        table_exit(w, f.made, f.elem);
        break;
    default:
        break;
    }
}

int xr_walk_file(xr_session *s, size_t file)
{
    xmlNodePtr body = xr_body(s->files[file].xdoc);
    if (!body)
        return DP_OK;
    walker w = { s, NULL, 0, 0 };
    frame f;
    memset(&f, 0, sizeof f);
    f.next = body->children;
    f.kind = F_BLOCK;
    f.container = dp_doc_root(s->doc);
    f.implicit_kind = DP_PLAIN;
    f.file = file;
    int rc = push(&w, &f);
    while (!rc && w.n > 0) {
        frame *t = top(&w);
        xmlNodePtr node = t->next;
        if (!node) {
            pop(&w);
            continue;
        }
        t->next = t->single ? NULL : node->next;
        rc = handle(&w, node);
    }
    free(w.st);
    if (rc == DP_ENOMEM)
        return dp_fail(s->ctx, DP_ENOMEM, s->files[file].name, 0, 0, "out of memory");
    return rc;
}
