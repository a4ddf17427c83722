/* Elements and attributes of the XHTML tree being built: the HTML namespace,
 * the XHTML 1.1 renames and drops, text, lang, roles and epub:type, and the
 * tree's attributes mapped to HTML ones (data-* for the rest). */
#include "xw_internal.h"
#include "xmlu_data_attr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* elements and attributes                                              */

xmlNsPtr xw_html_ns(xw_writer *w, xmlNodePtr near)
{
    xmlNsPtr ns;
    if (!XW_IS_XML(w) || !near)
        return NULL;
    ns = xmlSearchNsByHref(near->doc, near, BAD_CAST XW_XHTML_NS);
    if (!ns) {
        xmlNodePtr root = xmlDocGetRootElement(near->doc);
        ns = xmlNewNs(root ? root : near, BAD_CAST XW_XHTML_NS, NULL);
    }
    return ns;
}

/* Attributes XHTML 1.1 does not have. */
static int x11_dropped(xmlNodePtr el, const char *name)
{
    if (strcmp(name, "role") == 0 || strcmp(name, "lang") == 0 || strncmp(name, "aria-", 5) == 0 ||
        strncmp(name, "data-", 5) == 0 || strcmp(name, "hidden") == 0 || strcmp(name, "translate") == 0 ||
        strcmp(name, "draggable") == 0 || strcmp(name, "spellcheck") == 0 || strcmp(name, "inert") == 0 ||
        strcmp(name, "contenteditable") == 0 || strncmp(name, "item", 4) == 0 || strcmp(name, "loading") == 0 ||
        strcmp(name, "srcset") == 0 || strcmp(name, "sizes") == 0 || strcmp(name, "download") == 0 ||
        strcmp(name, "reversed") == 0 || strcmp(name, "target") == 0)
        return 1;
    if (strcmp((const char *)el->name, "ol") == 0 && (strcmp(name, "start") == 0 || strcmp(name, "type") == 0))
        return 1;
    return 0;
}

/* XHTML 1.1 has no HTML5 sectioning or figure elements, nor u: a div or
 * span carrying the HTML5 name as its class. */
static const char *x11_element(const char *name, const char **cls)
{
    static const char *const divs[] = {"section", "aside", "nav", "header", "footer", "figure",
                                       "figcaption", "main", "article", NULL};
    *cls = NULL;
    for (int i = 0; divs[i]; i++)
        if (strcmp(name, divs[i]) == 0) {
            *cls = divs[i];
            return "div";
        }
    if (strcmp(name, "u") == 0) {
        *cls = "underline";
        return "span";
    }
    return name;
}

xmlNodePtr xw_make_elem(xw_writer *w, xmlNodePtr near, xmlNsPtr ns, const char *name)
{
    const char *cls = NULL;
    xmlNodePtr el;
    if (XW_IS_X11(w))
        name = x11_element(name, &cls);
    el = xmlNewDocNode(near->doc, ns, BAD_CAST name, NULL);
    if (el && cls)
        xmlSetProp(el, BAD_CAST "class", BAD_CAST cls);
    return el;
}

int xw_x11_drops(xw_writer *w, xmlNodePtr el, const char *attr)
{
    return XW_IS_X11(w) && x11_dropped(el, attr);
}

xmlNodePtr xw_new_elem(xw_writer *w, xmlNodePtr parent, const char *name)
{
    xmlNodePtr el = xw_make_elem(w, parent, xw_html_ns(w, parent), name);
    if (!el)
        return NULL;
    if (!xmlAddChild(parent, el)) {
        xmlFreeNode(el);
        return NULL;
    }
    return el;
}

xmlNodePtr xw_elem(xw_writer *w, xmlNodePtr parent, const char *name)
{
    if (!w || !parent || !name)
        return NULL;
    return xw_new_elem(w, parent, name);
}

/* Sets an attribute; "class" adds to the classes already there. */
void xw_set(xw_writer *w, xmlNodePtr el, const char *name, const char *value)
{
    if (!el || !value)
        return;
    if (XW_IS_X11(w) && x11_dropped(el, name))
        return;
    if (strcmp(name, "class") == 0) {
        xmlChar *old = xmlGetNoNsProp(el, BAD_CAST "class");
        if (old && *old) {
            old = xmlStrcat(old, BAD_CAST " ");
            old = xmlStrcat(old, BAD_CAST value);
            xmlSetProp(el, BAD_CAST "class", old);
            xmlFree(old);
            return;
        }
        xmlFree(old);
    }
    xmlSetProp(el, BAD_CAST name, BAD_CAST value);
}

/* Appends t as parent's last child. Linked by hand: xmlAddChild merges a
 * text node into a text last child with xmlStrncat, which measures and
 * copies the whole text so far each time (quadratic over thousands of
 * consecutive plain blocks). Adjacent text nodes serialise the same. */
static void append_text_node(xmlNodePtr parent, xmlNodePtr t)
{
    t->parent = parent;
    t->doc = parent->doc;
    t->prev = parent->last;
    if (parent->last)
        parent->last->next = t;
    else
        parent->children = t;
    parent->last = t;
}

/* Text is added verbatim (libxml2 escapes it when serialising). Characters
 * HTML forbids (controls, noncharacters) stay until the page is finished:
 * the exporter removes them in one pass and says so
 * (xmlu_drop_forbidden_chars), never here in silence. */
void xw_add_text(xmlNodePtr parent, const char *text, size_t len)
{
    if (len == 0)
        return;
    xmlNodePtr t = xmlNewDocTextLen(parent->doc, BAD_CAST text, (int)len);
    if (t)
        append_text_node(parent, t);
}

void xw_set_lang(xw_writer *w, xmlNodePtr el, const char *lang)
{
    if (!w || !el || !lang)
        return;
    if (!XW_IS_X11(w))
        xmlSetProp(el, BAD_CAST "lang", BAD_CAST lang);
    if (XW_IS_XML(w)) {
        xmlNsPtr xml = xmlSearchNsByHref(el->doc, el, XML_XML_NAMESPACE);
        if (xml)
            xmlSetNsProp(el, xml, BAD_CAST "lang", BAD_CAST lang);
    }
}

static xmlNsPtr epub_ns(xmlNodePtr el)
{
    xmlNsPtr ns = xmlSearchNsByHref(el->doc, el, BAD_CAST XW_EPUB_NS);
    if (!ns) {
        xmlNodePtr root = xmlDocGetRootElement(el->doc);
        ns = xmlNewNs(root ? root : el, BAD_CAST XW_EPUB_NS, BAD_CAST "epub");
    }
    return ns;
}

void xw_set_role(xw_writer *w, xmlNodePtr el, const char *role, const char *epub_type)
{
    if (!w || !el)
        return;
    if (epub_type && w->opts.epub_types) {
        xmlNsPtr ns = epub_ns(el);
        if (ns)
            xmlSetNsProp(el, ns, BAD_CAST "type", BAD_CAST epub_type);
    }
    if (role && !XW_IS_X11(w))
        xmlSetProp(el, BAD_CAST "role", BAD_CAST role);
}

int xw_node_has_attrs(const dp_node *node)
{
    return dp_node_id(node) || dp_node_class_count(node) > 0 || dp_node_attr_count(node) > 0;
}

/* Attribute names that are valid on any HTML element as they are. */
static int global_attr(const char *key)
{
    static const char *const names[] = {"title", "dir", "role", "style", "hidden", "translate",
                                        "tabindex", "accesskey", "contenteditable", "draggable",
                                        "spellcheck", "inert", "itemscope", "itemprop", "itemtype",
                                        "itemid", "itemref", NULL};
    if (strncmp(key, "data-", 5) == 0 || strncmp(key, "aria-", 5) == 0)
        return 1;
    for (int i = 0; names[i]; i++)
        if (strcmp(key, names[i]) == 0)
            return 1;
    return 0;
}

/* The DPUB-ARIA role matching an epub:type (its first token that has one),
 * or NULL: epub:type from the source is written paired with its role. */
static const char *dpub_role(const char *types)
{
    static const char *const names[] = {
        "abstract", "acknowledgments", "afterword", "appendix", "bibliography", "chapter", "colophon",
        "conclusion", "cover", "credit", "credits", "dedication", "endnotes", "epigraph", "epilogue", "errata",
        "example", "footnote", "foreword", "glossary", "index", "introduction", "notice", "pagelist", "part",
        "preface", "prologue", "pullquote", "qna", "subtitle", "tip", "toc", NULL};
    static const char *const roles[] = {
        "doc-abstract", "doc-acknowledgments", "doc-afterword", "doc-appendix", "doc-bibliography",
        "doc-chapter", "doc-colophon", "doc-conclusion", "doc-cover", "doc-credit", "doc-credits",
        "doc-dedication", "doc-endnotes", "doc-epigraph", "doc-epilogue", "doc-errata", "doc-example",
        "doc-footnote", "doc-foreword", "doc-glossary", "doc-index", "doc-introduction", "doc-notice",
        "doc-pagelist", "doc-part", "doc-preface", "doc-prologue", "doc-pullquote", "doc-qna",
        "doc-subtitle", "doc-tip", "doc-toc", NULL};
    for (const char *p = types; *p;) {
        size_t n = strcspn(p, " \t\n");
        for (int i = 0; names[i]; i++)
            if (n && strlen(names[i]) == n && strncmp(p, names[i], n) == 0)
                return roles[i];
        p += n;
        p += strspn(p, " \t\n");
    }
    return NULL;
}

/* Elements that take any role (ARIA in HTML). */
static int generic_element(const char *el)
{
    return strcmp(el, "div") == 0 || strcmp(el, "span") == 0 || strcmp(el, "section") == 0 ||
           strcmp(el, "aside") == 0 || strcmp(el, "p") == 0;
}

/* Attribute names valid on particular elements. */
static int element_attr(const char *el, const char *key)
{
    static const char *const pairs[][2] = {
        {"img", "width"}, {"img", "height"}, {"img", "loading"}, {"img", "srcset"}, {"img", "sizes"},
        {"a", "rel"}, {"a", "hreflang"}, {"a", "type"}, {"a", "target"}, {"a", "download"},
        {"td", "headers"}, {"th", "headers"}, {"th", "scope"}, {"th", "abbr"}, {"ol", "reversed"},
        {"blockquote", "cite"}, {"q", "cite"}, {"del", "cite"}, {"del", "datetime"},
        {"col", "span"}, {"abbr", "title"}, {NULL, NULL}};
    for (int i = 0; pairs[i][0]; i++)
        if (strcmp(pairs[i][0], el) == 0 && strcmp(pairs[i][1], key) == 0)
            return 1;
    return 0;
}

void xw_apply_attrs(xw_writer *w, xmlNodePtr el, const dp_node *node, const char *extra_class)
{
    const char *id = xw_id_of(w, node);
    int nclass = dp_node_class_count(node), nattr = dp_node_attr_count(node);
    xmlChar *classes = NULL;

    if (id && dp_node_kind(node) != DP_NOTE)
        xw_set(w, el, "id", id);
    if (extra_class)
        classes = xmlStrdup(BAD_CAST extra_class);
    for (int i = 0; i < nclass; i++) {
        const char *c = dp_node_class_at(node, i);
        if (!c || !*c)
            continue;
        if (classes)
            classes = xmlStrcat(classes, BAD_CAST " ");
        classes = xmlStrcat(classes, BAD_CAST c);
    }
    if (classes) {
        xw_set(w, el, "class", (const char *)classes);
        xmlFree(classes);
    }
    for (int i = 0; i < nattr; i++) {
        const char *key = dp_node_attr_key_at(node, i);
        const char *value = dp_node_attr_value_at(node, i);
        if (!key || !*key || !value)
            continue;
        if (strcmp(key, "lang") == 0 || strcmp(key, "xml:lang") == 0 || strcmp(key, "id") == 0 ||
            strcmp(key, "class") == 0)
            continue; /* first-class fields, written from the node itself */
        if (strcmp(key, "epub:type") == 0 && w->opts.epub_types) {
            xmlNsPtr ns = epub_ns(el);
            if (ns && !xmlHasNsProp(el, BAD_CAST "type", BAD_CAST XW_EPUB_NS)) {
                xmlSetNsProp(el, ns, BAD_CAST "type", BAD_CAST value);
                const char *role = dpub_role(value);
                if (role && !xmlHasProp(el, BAD_CAST "role") && !dp_node_attr(node, "role") && !XW_IS_X11(w) &&
                    generic_element((const char *)el->name))
                    xmlSetProp(el, BAD_CAST "role", BAD_CAST role); /* paired, as Ace expects */
            }
            continue;
        }
        if (xmlHasProp(el, BAD_CAST key))
            continue; /* the writer already set it (role, href ...) */
        if (w->opts.safe && (global_attr(key) || element_attr((const char *)el->name, key)) &&
            !xw_safe_attribute((const char *)el->name, key, value)) {
            if (w->ctx)
                dp_warn_node(w->ctx, node, "safe: attribute %s left out (it could load or run script)", key);
            continue;
        }
        if (XW_IS_X11(w)) {
            if ((global_attr(key) || element_attr((const char *)el->name, key)) && !x11_dropped(el, key))
                xmlSetProp(el, BAD_CAST key, BAD_CAST value);
            else if (w->ctx)
                dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "xhtml11.attrs", node, "attribute %s=\"%s\" cannot be written in XHTML 1.1", key, value);
        } else if (global_attr(key) || element_attr((const char *)el->name, key)) {
            xmlSetProp(el, BAD_CAST key, BAD_CAST value);
        } else {
            char *name = xmlu_data_attr_name(key); /* the HTML reader reads it back */
            if (name && !xmlHasProp(el, BAD_CAST name))
                xmlSetProp(el, BAD_CAST name, BAD_CAST value);
            free(name);
        }
    }
}

