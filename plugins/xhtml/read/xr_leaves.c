/* Text leaves (pre, code, math), links, images and notes at their reference. */
#include "mathconv.h"
#include "xr_walk.h"

#include <libxml/xmlsave.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- leaves with text --------------------------------------------------- */

/* Copies a language name into buf; NULL when it is empty or does not fit:
 * cutting it would leave half a UTF-8 sequence, an invalid class (found by
 * fuzz_html). */
static const char *language_copy(char *buf, size_t cap, const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= cap)
        return NULL;
    memcpy(buf, name, n + 1);
    return buf;
}

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
                const char *found = strncmp(t, "language-", 9) == 0 ? language_copy(buf, cap, t + 9)
                                    : strncmp(t, "lang-", 5) == 0   ? language_copy(buf, cap, t + 5)
                                                                    : NULL;
                if (found) {
                    xmlFree(cls);
                    return found;
                }
                if (strcmp(t, "sourceCode") == 0)
                    sourcecode = 1;
                else if (!other)
                    other = t;
            }
            const char *found = sourcecode && other ? language_copy(buf, cap, other) : NULL;
            xmlFree(cls);
            if (found)
                return found;
        }
        char *lang = xr_attr(els[i], "lang");
        const char *found = lang && i == 1 ? language_copy(buf, cap, lang) : NULL; /* cmark-gfm: <pre lang="c"> */
        xmlFree(lang);
        if (found)
            return found;
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

int xrw_map_pre(walker *w, frame *f, xmlNodePtr el, int inline_ctx)
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
        return xrw_oom(w);
    if (has_markup_children(el, code))
        dp_info(w->s->ctx, "%s: markup inside <pre> kept as plain text", xr_loc(w->s->ctx, w->s->files[f->file].name, xmlGetLineNo(el), (char[320]){0}));
    const char *t = text;
    if (t[0] == '\n')
        t++;
    dp_node *n = dp_node_new_text(w->s->doc, inline_ctx ? DP_CODE : DP_CODE_BLOCK, t, strlen(t));
    free(text);
    if (!n)
        return xrw_oom(w);
    char lbuf[128];
    const char *lang = code_language(el, code, lbuf, sizeof lbuf);
    if (lang && dp_node_add_class(n, lang) != DP_OK)
        return xrw_oom(w);
    static const char *const skip[] = { "lang", NULL };
    int rc = xrw_apply_attrs(w, n, el, lang ? skip : NULL);
    if (!rc && code)
        rc = xrw_apply_attrs(w, n, code, NULL);
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
                return xrw_oom(w);
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
    return inline_ctx ? xrw_add_inline(w, f, n) : xrw_add_block(w, f, n);
}

int xrw_map_code(walker *w, frame *f, xmlNodePtr el)
{
    char *text = xr_text_content(el, 0);
    if (!text)
        return xrw_oom(w);
    if (has_markup_children(el, NULL))
        dp_info(w->s->ctx, "%s: markup inside <%s> kept as plain text", xr_loc(w->s->ctx, w->s->files[f->file].name, xmlGetLineNo(el), (char[320]){0}), xr_name(el));
    /* inline code: HTML collapses its white space */
    size_t cl;
    char *c = xmlu_collapse_ws(text, strlen(text), 1, &cl);
    free(text);
    if (!c)
        return xrw_oom(w);
    dp_node *n = dp_node_new_text(w->s->doc, DP_CODE, c, cl);
    free(c);
    if (!n)
        return xrw_oom(w);
    if (!xr_is_elem(el, "code") && !xr_is_elem(el, "tt") && dp_node_add_class(n, xr_name(el)) != DP_OK)
        return xrw_oom(w);
    int rc = xrw_apply_attrs(w, n, el, NULL);
    return rc ? rc : xrw_add_inline(w, f, n);
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

/* <math>: the canonical MathML, with the TeX of its annotation, its alt
 * text and display flag (plugins/mathconv). */
static int map_mathml(walker *w, frame *f, xmlNodePtr el)
{
    mathconv_read mr;
    if (mathconv_read_math(el, &mr) < 0)
        return xrw_oom(w);
    dp_node *n = dp_node_new_text(w->s->doc, DP_MATH, mr.mathml, strlen(mr.mathml));
    int rc = n ? dp_node_set_format(n, "mathml") : DP_ENOMEM;
    if (!rc)
        rc = dp_node_set_math_display(n, mr.display);
    if (!rc && mr.tex)
        rc = dp_node_set_math_form(n, "tex", mr.tex, strlen(mr.tex));
    if (!rc && mr.alt)
        rc = dp_node_set_math_alt(n, mr.alt);
    mathconv_read_free(&mr);
    if (rc)
        return xrw_oom(w);
    xrw_set_pos(w, n, el);
    return xrw_add_inline(w, f, n);
}

int xrw_map_math(walker *w, frame *f, xmlNodePtr el)
{
    if (deeper_than(el, w->s->max_depth)) {
        char *t = xr_text_content(el, 1);
        if (!t)
            return xrw_oom(w);
        dp_warn_at(w->s->ctx, w->s->files[f->file].name, (int)xmlGetLineNo(el), 0,
                   "<%s> nested too deeply: kept as its text", xr_name(el));
        int rc = xrw_add_text(w, f, t, strlen(t));
        free(t);
        return rc;
    }
    if (mathconv_is_math(el))
        return map_mathml(w, f, el);
    char *src = serialize(el);
    if (!src)
        return xrw_oom(w);
    dp_node *n = dp_node_new_text(w->s->doc, DP_RAW_INLINE, src, strlen(src));
    free(src);
    if (!n)
        return xrw_oom(w);
    dp_node_set_format(n, "html");
    dp_info(w->s->ctx, "%s: inline <svg> kept as raw HTML", xr_loc(w->s->ctx, w->s->files[f->file].name, xmlGetLineNo(el), (char[320]){0}));
    xrw_set_pos(w, n, el);
    return xrw_add_inline(w, f, n);
}

/* MathJax's <script type="math/tex"> (and "math/tex; mode=display"). */
int xrw_map_script_math(walker *w, frame *f, xmlNodePtr el)
{
    char *type = xr_attr(el, "type");
    char *t = xr_text_content(el, 0);
    dp_node *n = t ? dp_node_new_text(w->s->doc, DP_MATH, t, strlen(t)) : NULL;
    if (n)
        dp_node_set_math_display(n, type && strstr(type, "mode=display") != NULL);
    xmlFree(type);
    free(t);
    if (!n)
        return xrw_oom(w);
    xrw_set_pos(w, n, el);
    return xrw_add_inline(w, f, n);
}

/* pandoc's TeX math: <span class="math inline">\(x\)</span>. */
int xrw_map_tex_math(walker *w, frame *f, xmlNodePtr el)
{
    char *t = xr_text_content(el, 0);
    if (!t)
        return xrw_oom(w);
    size_t l = strlen(t);
    char *s = t;
    /* the delimiters are markup: \(…\) and \[…\] (pandoc's MathJax/KaTeX
     * output), $…$ and $$…$$ (pandoc's plain output) */
    if (l >= 4 && s[0] == '\\' && (s[1] == '(' || s[1] == '[') && s[l - 2] == '\\' &&
        (s[l - 1] == ')' || s[l - 1] == ']')) {
        s[l - 2] = '\0';
        s += 2;
    } else if (l >= 4 && strncmp(s, "$$", 2) == 0 && strcmp(s + l - 2, "$$") == 0) {
        s[l - 2] = '\0';
        s += 2;
    } else if (l >= 2 && s[0] == '$' && s[l - 1] == '$') {
        s[l - 1] = '\0';
        s += 1;
    }
    dp_node *n = dp_node_new_text(w->s->doc, DP_MATH, s, strlen(s));
    free(t);
    if (!n)
        return xrw_oom(w);
    dp_node_set_format(n, "tex");
    if (xr_attr_has_token(el, "class", "display"))
        dp_node_set_math_display(n, 1);
    int rc = xrw_apply_attrs(w, n, el, NULL);
    dp_node_remove_class(n, "math");
    dp_node_remove_class(n, "inline");
    dp_node_remove_class(n, "display");
    return rc ? rc : xrw_add_inline(w, f, n);
}

/* pandoc / docpipe citations: <span class="citation" data-cites="a b">. */
int xrw_map_citation(walker *w, frame *f, xmlNodePtr el)
{
    dp_node *c = xrw_new_node(w, DP_CITE);
    if (!c)
        return xrw_oom(w);
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
        rc = xrw_apply_attrs(w, c, el, skip);
    dp_node_remove_class(c, "citation");
    if (!rc)
        rc = xrw_add_inline(w, f, c);
    return rc ? (rc == DP_ENOMEM ? xrw_oom(w) : rc) : xrw_open_children(w, el, F_INLINE, c, EX_NONE);
}

/* ---- links and images ------------------------------------------------- */

const char *xrw_resource_name(walker *w, size_t file, const char *url)
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
                return xrw_oom(w);
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
        if (DP_ARRAY_RESERVE(s->pending, s->cappending, s->npending + 1))
            return xrw_oom(w);
        s->pending[s->npending].link = link;
        s->pending[s->npending].file = tf;
        s->pending[s->npending].fragment = NULL;
        s->npending++;
        s->files[tf].needs_anchor = 1;
        return dp_node_set_url(link, "#");
    }
    free(frag);
    const char *res = xrw_resource_name(w, f->file, href);
    return dp_node_set_url(link, res ? res : href);
}

int xrw_map_link(walker *w, frame *f, xmlNodePtr el)
{
    char *href = xr_attr(el, "href");
    dp_node *n;
    int rc;
    if (!href) {
        /* an anchor (<a id> / <a name>): a span keeping the id */
        n = xrw_new_node(w, DP_SPAN);
        if (!n)
            return xrw_oom(w);
        rc = xrw_apply_attrs(w, n, el, NULL);
    } else {
        n = xrw_new_node(w, DP_LINK);
        if (!n) {
            xmlFree(href);
            return xrw_oom(w);
        }
        xrw_set_pos(w, n, el);
        rc = set_link_url(w, f, n, href);
        xmlFree(href);
        char *title = xr_attr(el, "title");
        if (!rc && title)
            rc = dp_node_set_title(n, title);
        xmlFree(title);
        static const char *const skip[] = { "href", "title", NULL };
        if (!rc)
            rc = xrw_apply_attrs(w, n, el, skip);
    }
    if (!rc)
        rc = xrw_add_inline(w, f, n);
    return rc ? rc : xrw_open_children(w, el, F_INLINE, n, EX_NONE);
}

int xrw_map_img(walker *w, frame *f, xmlNodePtr el)
{
    char *src = xr_attr(el, "src");
    dp_node *n = xrw_new_node(w, DP_IMAGE);
    if (!n) {
        xmlFree(src);
        return xrw_oom(w);
    }
    if (!src) {
        dp_warn_at(w->s->ctx, w->s->files[f->file].name, (int)xmlGetLineNo(el), 0, "<img> without src");
    }
    const char *res = src ? xrw_resource_name(w, f->file, src) : NULL;
    int rc = dp_node_set_url(n, res ? res : (src ? src : ""));
    xmlFree(src);
    char *title = xr_attr(el, "title");
    if (!rc && title)
        rc = dp_node_set_title(n, title);
    xmlFree(title);
    char *alt = xr_attr(el, "alt");
    if (!rc && alt && *alt) {
        dp_node *t = dp_node_new_text(w->s->doc, DP_TEXT, alt, strlen(alt));
        rc = t ? xrw_link_child(w, n, t) : DP_ENOMEM;
    }
    xmlFree(alt);
    static const char *const skip[] = { "src", "alt", "title", NULL };
    if (!rc)
        rc = xrw_apply_attrs(w, n, el, skip);
    return rc ? rc : xrw_add_inline(w, f, n);
}

/* ---- notes --------------------------------------------------------------- */

int xrw_map_noteref(walker *w, frame *f, xmlNodePtr el, xr_info *ri)
{
    xmlNodePtr body = ri->note_body;
    xr_info *bi = xr_info_peek(body);
    xr_session *s = w->s;
    if (bi->note_state == 2 && bi->note) {
        dp_node *copy = dp_node_copy(s->doc, bi->note);
        if (!copy)
            return xrw_oom(w);
        if (ri->label)
            dp_node_set_label(copy, ri->label);
        dp_info(s->ctx, "%s: note referenced again: copied at this reference", xr_loc(s->ctx, s->files[f->file].name, xmlGetLineNo(el), (char[320]){0}));
        return xrw_add_inline(w, f, copy);
    }
    if (bi->note_state == 1) {
        dp_warn_at(s->ctx, s->files[f->file].name, (int)xmlGetLineNo(el), 0,
                   "note referenced from inside itself: kept as its label");
        const char *l = ri->label ? ri->label : "";
        dp_node *t = dp_node_new_text(s->doc, DP_TEXT, l, strlen(l));
        return t ? xrw_add_inline(w, f, t) : xrw_oom(w);
    }
    dp_node *note = xrw_new_node(w, DP_NOTE);
    if (!note)
        return xrw_oom(w);
    xrw_set_pos(w, note, el);
    if (ri->label && dp_node_set_label(note, ri->label) != DP_OK)
        return xrw_oom(w);
    int rc = xrw_add_inline(w, f, note);
    if (rc)
        return rc;
    bi->note = note;
    bi->note_state = 1;
    frame nf = xrw_child_frame(f, (bi->flags & XR_BODY_SELF) ? body : body->children, F_BLOCK, note);
    nf.single = (bi->flags & XR_BODY_SELF) ? 1 : 0;
    nf.unskip = body;
    nf.implicit_kind = DP_PARA;
    nf.exit = EX_NOTE;
    nf.elem = body;
    nf.made = note;
    nf.file = bi->file;
    return xrw_push(w, &nf);
}

