/* Pages, the title block and the table of contents (serialisation:
 * xw_serialize.c). */
#include "xw_internal.h"

#include <libxml/HTMLtree.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* pages                                                                */

static const char *doc_title(xw_writer *w)
{
    const char *t = dp_meta_get_text(dp_doc_meta(w->doc), "title");
    dp_iter it;
    dp_event ev;
    if (t && *t)
        return t;
    /* no title in the metadata: the first heading, as readers expect */
    dp_iter_init(&it, dp_doc_root(w->doc));
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        const dp_node *n = dp_iter_node(&it);
        if (ev == DP_EV_ENTER && dp_node_kind(n) == DP_HEADING) {
            t = dp_node_plain_text(n, 1);
            if (t && *t)
                return t;
        }
    }
    return "Untitled";
}

static xmlDocPtr new_doc(xw_writer *w)
{
    xmlDocPtr doc;
    if (XW_IS_XML(w)) {
        doc = xmlNewDoc(BAD_CAST "1.0");
    } else {
        /* an HTML document: the HTML serialiser keeps UTF-8 as it is when
         * the document declares its encoding */
        doc = htmlNewDocNoDtD(NULL, NULL);
    }
    if (!doc)
        return NULL;
    if (!doc->encoding)
        doc->encoding = xmlStrdup(BAD_CAST "UTF-8");
    /* Element and attribute names from a dictionary, as in a parsed
     * document: one "p" for the whole page instead of a malloc'd copy per
     * paragraph. Without one (out of memory) every name is copied. */
    doc->dict = xmlDictCreate();
    return doc;
}

int xw_new_page(xw_writer *w, const char *title, xmlDocPtr *out_doc, xmlNodePtr *out_head,
                   xmlNodePtr *out_body)
{
    xmlDocPtr doc;
    xmlNodePtr html, head, body, meta, t;
    if (!w || !out_doc)
        return DP_EINVAL;
    *out_doc = NULL;
    doc = new_doc(w);
    if (!doc)
        return DP_ENOMEM;
    if (!xmlCreateIntSubset(doc, BAD_CAST "html",
                            XW_IS_X11(w) ? BAD_CAST "-//W3C//DTD XHTML 1.1//EN" : NULL,
                            XW_IS_X11(w) ? BAD_CAST "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd" : NULL))
        goto nomem;
    html = xmlNewDocNode(doc, NULL, BAD_CAST "html", NULL);
    if (!html)
        goto nomem;
    xmlDocSetRootElement(doc, html);
    if (XW_IS_XML(w)) {
        xmlNsPtr ns = xmlNewNs(html, BAD_CAST XW_XHTML_NS, NULL);
        xmlSetNs(html, ns);
        if (w->opts.epub_types)
            xmlNewNs(html, BAD_CAST XW_EPUB_NS, BAD_CAST "epub");
    }
    /* without a language in the metadata: "und" (BCP 47 undetermined), which
     * says so honestly and keeps every page's language declared */
    xw_set_lang(w, html, w->base_lang ? w->base_lang : "und");
    {
        /* the base direction of the text: metadata dir (pandoc's front
         * matter too), else the language's script, else a guess said once */
        int guessed = 0;
        const char *dir = dp_doc_direction(w->doc, &guessed);
        const char *said = dp_meta_get_text(dp_doc_meta(w->doc), "dir");
        if (!dir && said && strcmp(said, "auto") == 0)
            dir = "auto";
        if (guessed)
            dp_warn(w->ctx, "no direction or language declared and the text is mostly of a right-to-left "
                            "script: written as dir=\"rtl\" (set 'dir' in the metadata to say so)");
        if (dir)
            xw_set(w, html, "dir", dir);
    }
    head = xw_new_elem(w, html, "head");
    if (!head)
        goto nomem;
    xmlAddPrevSibling(head, xmlNewDocText(doc, BAD_CAST "\n"));
    xmlAddChild(head, xmlNewDocText(doc, BAD_CAST "\n"));
    if (!XW_IS_X11(w)) {
        /* XHTML 1.1 has no meta charset: its XML declaration says UTF-8 */
        meta = xw_new_elem(w, head, "meta");
        if (!meta)
            goto nomem;
        xw_set(w, meta, "charset", "utf-8");
        xmlAddChild(head, xmlNewDocText(doc, BAD_CAST "\n"));
    }
    t = xw_new_elem(w, head, "title");
    if (!t)
        goto nomem;
    title = title && *title ? title : doc_title(w);
    xw_add_text(t, title, strlen(title));
    xmlAddChild(head, xmlNewDocText(doc, BAD_CAST "\n"));
    xmlAddChild(html, xmlNewDocText(doc, BAD_CAST "\n"));
    body = xw_new_elem(w, html, "body");
    if (!body)
        goto nomem;
    xmlAddChild(body, xmlNewDocText(doc, BAD_CAST "\n"));
    xmlAddChild(html, xmlNewDocText(doc, BAD_CAST "\n"));
    *out_doc = doc;
    if (out_head)
        *out_head = head;
    if (out_body)
        *out_body = body;
    return 0;
nomem:
    xmlFreeDoc(doc);
    return DP_ENOMEM;
}

int xw_new_fragment(xw_writer *w, xmlDocPtr *out_doc, xmlNodePtr *out_holder)
{
    xmlDocPtr doc;
    xmlNodePtr holder;
    if (!w || !out_doc || !out_holder)
        return DP_EINVAL;
    doc = new_doc(w);
    if (!doc)
        return DP_ENOMEM;
    holder = xmlNewDocNode(doc, NULL, BAD_CAST "div", NULL);
    if (!holder) {
        xmlFreeDoc(doc);
        return DP_ENOMEM;
    }
    xmlDocSetRootElement(doc, holder);
    if (XW_IS_XML(w)) {
        xmlSetNs(holder, xmlNewNs(holder, BAD_CAST XW_XHTML_NS, NULL));
        if (w->opts.epub_types)
            xmlNewNs(holder, BAD_CAST XW_EPUB_NS, BAD_CAST "epub");
    }
    *out_doc = doc;
    *out_holder = holder;
    return 0;
}

/* ------------------------------------------------------------------ */
/* title block                                                          */

/* One metadata value as content of el: formatted values through the
 * writer, plain ones as text. */
static int meta_content(xw_writer *w, const dp_meta *m, xmlNodePtr el)
{
    const char *text;
    if (!m)
        return 0;
    if (dp_meta_get_type(m) == DP_META_INLINES && dp_meta_nodes(m))
        return xw_render_inlines(w, dp_meta_nodes(m), el, 1);
    if (dp_meta_get_type(m) == DP_META_MAP) {
        text = dp_meta_get_text(m, "name");
    } else {
        text = dp_meta_text(m);
    }
    if (text)
        xw_add_text(el, text, strlen(text));
    return 0;
}

/* A byline "<p class=cls>[lead ]A, B and C</p>" for a list of names. */
static int byline(xw_writer *w, xmlNodePtr header, const dp_meta *list, const char *cls, const char *lead)
{
    size_t n = dp_meta_len(list);
    xmlNodePtr p;
    int rc = 0;
    if (n == 0)
        return 0;
    p = xw_new_elem(w, header, "p");
    if (!p)
        return DP_ENOMEM;
    xw_set(w, p, "class", cls);
    if (lead)
        xw_add_text(p, lead, strlen(lead));
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (i > 0)
            xw_add_text(p, i + 1 == n ? " and " : ", ", i + 1 == n ? 5 : 2);
        rc = meta_content(w, dp_meta_at(list, i), p);
    }
    xmlAddChild(header, xmlNewDocText(header->doc, BAD_CAST "\n"));
    return rc;
}

int xw_render_title_block(xw_writer *w, xmlNodePtr parent)
{
    const dp_meta *meta;
    const dp_meta *title, *subtitle, *date, *source;
    xmlNodePtr header, el;
    int rc = 0;
    char *id;
    if (!w || !parent)
        return DP_EINVAL;
    meta = dp_doc_meta(w->doc);
    title = dp_meta_get(meta, "title");
    if (!title && !dp_meta_get(meta, "author"))
        return 0;
    header = xw_new_elem(w, parent, "header");
    id = xw_unique_id(w, "title-block-header");
    if (!header || !id)
        return DP_ENOMEM;
    xw_set(w, header, "id", id);
    xmlAddChild(header, xmlNewDocText(parent->doc, BAD_CAST "\n"));
    if (title) {
        el = xw_new_elem(w, header, "h1");
        if (!el)
            return DP_ENOMEM;
        xw_set(w, el, "class", "title");
        rc = meta_content(w, title, el);
        xmlAddChild(header, xmlNewDocText(parent->doc, BAD_CAST "\n"));
    }
    subtitle = dp_meta_get(meta, "subtitle");
    if (rc == 0 && subtitle) {
        el = xw_new_elem(w, header, "p");
        if (!el)
            return DP_ENOMEM;
        xw_set(w, el, "class", "subtitle");
        rc = meta_content(w, subtitle, el);
        xmlAddChild(header, xmlNewDocText(parent->doc, BAD_CAST "\n"));
    }
    if (rc == 0)
        rc = byline(w, header, dp_meta_get(meta, "author"), "author", NULL);
    if (rc == 0)
        rc = byline(w, header, dp_meta_get(meta, "translator"), "translator", "Translated by ");
    if (rc == 0)
        rc = byline(w, header, dp_meta_get(meta, "editor"), "editor", "Edited by ");
    date = dp_meta_get(meta, "date");
    if (rc == 0 && date) {
        el = xw_new_elem(w, header, "p");
        if (!el)
            return DP_ENOMEM;
        xw_set(w, el, "class", "date");
        rc = meta_content(w, date, el);
        xmlAddChild(header, xmlNewDocText(parent->doc, BAD_CAST "\n"));
    }
    source = dp_meta_get(meta, "source");
    if (rc == 0 && source) {
        const char *url = dp_meta_get_text(source, "url");
        const char *stitle = dp_meta_get_type(source) == DP_META_MAP ? dp_meta_get_text(source, "title")
                                                                      : dp_meta_text(source);
        const char *sauthor = dp_meta_get_type(source) == DP_META_MAP ? dp_meta_get_text(source, "author")
                                                                       : NULL;
        xmlNodePtr p = xw_new_elem(w, header, "p"), target;
        if (!p)
            return DP_ENOMEM;
        xw_set(w, p, "class", "source");
        xw_add_text(p, "Source: ", 8);
        if (sauthor && *sauthor) {
            xw_add_text(p, sauthor, strlen(sauthor));
            xw_add_text(p, ", ", 2);
        }
        target = p;
        if (url && *url) {
            target = xw_new_elem(w, p, "a");
            if (!target)
                return DP_ENOMEM;
            xw_set(w, target, "href", url);
        }
        if (stitle && *stitle)
            xw_add_text(target, stitle, strlen(stitle));
        else if (url)
            xw_add_text(target, url, strlen(url));
        xmlAddChild(header, xmlNewDocText(parent->doc, BAD_CAST "\n"));
    }
    xmlAddChild(parent, xmlNewDocText(parent->doc, BAD_CAST "\n"));
    return rc;
}

/* ------------------------------------------------------------------ */
/* table of contents                                                    */

/* Headings that head a part of the document: not those quoted, listed,
 * tabulated or inside notes. */
static int toc_heading(const dp_node *h)
{
    if (dp_node_has_class(h, "unlisted"))
        return 0;
    for (const dp_node *p = dp_node_parent(h); p; p = dp_node_parent(p)) {
        dp_kind k = dp_node_kind(p);
        if (k != DP_ROOT && k != DP_DIV && k != DP_CUSTOM)
            return 0;
    }
    return 1;
}

typedef struct toc_level {
    int level;
    xmlNodePtr li;
} toc_level;

int xw_render_toc(xw_writer *w, xmlNodePtr parent, int max_level, const char *title)
{
    dp_iter it;
    dp_event ev;
    xmlNodePtr nav = NULL, top_ol = NULL;
    toc_level stack[7];
    int depth = 0, rc = 0;
    if (!w || !parent)
        return DP_EINVAL;
    dp_iter_init(&it, dp_doc_root(w->doc));
    while (rc == 0 && (ev = dp_iter_next(&it)) != DP_EV_DONE) {
        const dp_node *h = dp_iter_node(&it);
        int level;
        xmlNodePtr ol, li, a;
        const char *num, *id;
        char *href;
        if (ev != DP_EV_ENTER)
            continue;
        if (dp_node_kind(h) == DP_NOTE || dp_node_kind(h) == DP_TABLE || dp_node_kind(h) == DP_LIST ||
            dp_node_kind(h) == DP_BLOCK_QUOTE) {
            dp_iter_skip_children(&it);
            continue;
        }
        if (dp_node_kind(h) != DP_HEADING)
            continue;
        level = dp_node_heading_level(h);
        if ((max_level > 0 && level > max_level) || !toc_heading(h))
            continue;
        id = xw_id_of(w, h);
        if (!id)
            continue;
        if (!nav) {
            char *nav_id = xw_unique_id(w, "TOC");
            nav = xw_new_elem(w, parent, "nav");
            if (!nav || !nav_id)
                return DP_ENOMEM;
            xw_set(w, nav, "id", nav_id);
            xw_set_role(w, nav, "doc-toc", "toc");
            xmlAddChild(nav, xmlNewDocText(parent->doc, BAD_CAST "\n"));
            if (title && *title) {
                xmlNodePtr h2 = xw_new_elem(w, nav, "h2");
                xw_add_text(h2, title, strlen(title));
                xmlAddChild(nav, xmlNewDocText(parent->doc, BAD_CAST "\n"));
            } else {
                xw_set(w, nav, "aria-label", "Table of contents");
            }
            top_ol = xw_new_elem(w, nav, "ol");
            if (!top_ol)
                return DP_ENOMEM;
            xmlAddChild(top_ol, xmlNewDocText(parent->doc, BAD_CAST "\n"));
            xmlAddChild(nav, xmlNewDocText(parent->doc, BAD_CAST "\n"));
            xmlAddChild(parent, xmlNewDocText(parent->doc, BAD_CAST "\n"));
        }
        /* a deeper heading nests under the nearest shallower one; a skipped
         * level never produces an entry without a link */
        while (depth > 0 && stack[depth - 1].level >= level)
            depth--;
        if (depth == 0) {
            ol = top_ol;
        } else {
            xmlNodePtr owner = stack[depth - 1].li;
            ol = owner->last && owner->last->type == XML_ELEMENT_NODE &&
                         xmlStrEqual(owner->last->name, BAD_CAST "ol")
                     ? owner->last
                     : NULL;
            if (!ol) {
                ol = xw_new_elem(w, owner, "ol");
                if (!ol)
                    return DP_ENOMEM;
                xmlAddChild(ol, xmlNewDocText(parent->doc, BAD_CAST "\n"));
            }
        }
        li = xw_new_elem(w, ol, "li");
        a = li ? xw_new_elem(w, li, "a") : NULL;
        href = xw_internal_href(w, id);
        if (!a || !href)
            return DP_ENOMEM;
        xmlAddChild(ol, xmlNewDocText(parent->doc, BAD_CAST "\n"));
        xw_set(w, a, "href", href);
        num = xw_heading_number(w, h);
        if (num) {
            xmlNodePtr s = xw_new_elem(w, a, "span");
            xw_set(w, s, "class", "toc-section-number");
            xw_add_text(s, num, strlen(num));
            xw_add_text(a, " ", 1);
        }
        rc = xw_render_inlines(w, h, a, 1);
        if (rc == 0 && !a->children)
            xw_add_text(a, id, strlen(id));
        if (depth < 7) {
            stack[depth].level = level;
            stack[depth].li = li;
            depth++;
        }
    }
    return rc;
}
