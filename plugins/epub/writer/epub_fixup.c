/* epub_writer: the last pass over every rendered XHTML page.
 *
 * - references: an <img src> naming a document resource points at its place
 *   in the container; an image whose file is not in the book (remote, or
 *   missing) becomes its alt text, and a relative link to a file that is not
 *   in the book, or to an id that no element of the page carries, keeps its
 *   text without the link (EPUBCheck rejects all three);
 * - EPUB 2: the XHTML 1.1 that OPS 2.0.1 allows (HTML5 sectioning elements
 *   become div/span with the element name as class; ARIA roles, epub:type and
 *   the HTML lang attribute go, xml:lang stays);
 * - the manifest properties the page needs (mathml, svg, scripted). */
#include "epub_book.h"

#include <ctype.h>
#include <libxml/hash.h>
#include <stdlib.h>
#include <string.h>

static const xmlChar *X(const char *s) { return (const xmlChar *)s; }

static int name_is(const xmlNode *n, const char *name) { return xmlStrcmp(n->name, X(name)) == 0; }

static int in_list(const xmlChar *name, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (xmlStrcmp(name, X(list[i])) == 0)
            return 1;
    return 0;
}

static int has_scheme(const char *url)
{
    /* RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
    if (!isalpha((unsigned char)url[0]))
        return 0;
    const char *p = url + 1;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    return *p == ':';
}

/* Next node in document order under root, skipping the children of n when
 * skip_children (walks without recursion). */
static xmlNodePtr next_node(xmlNodePtr n, xmlNodePtr root, int skip_children)
{
    if (!skip_children && n->children)
        return n->children;
    while (n && n != root) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}

/* Replaces el by its children; returns the node to continue the walk from
 * (the first moved child, or the next node). */
static xmlNodePtr unwrap(xmlNodePtr el, xmlNodePtr root)
{
    xmlNodePtr first = el->children;
    xmlNodePtr c = el->children;
    while (c) {
        xmlNodePtr nx = c->next;
        xmlUnlinkNode(c);
        xmlAddPrevSibling(el, c);
        c = nx;
    }
    xmlNodePtr cont = first ? first : next_node(el, root, 1);
    xmlUnlinkNode(el);
    xmlFreeNode(el);
    return cont;
}

/* Replaces el by a <span class=cls> holding text; returns the span. */
static xmlNodePtr replace_by_span(xmlNodePtr el, const char *cls, const xmlChar *text)
{
    /* the XHTML namespace of the page: el may be a MathML element whose own
     * namespace declaration is freed with it */
    xmlNsPtr ns = xmlSearchNsByHref(el->doc, el->parent ? el->parent : el, X(EPUBW_NS_XHTML));
    xmlNodePtr span = xmlNewDocNode(el->doc, ns, X("span"), NULL);
    xmlNewProp(span, X("class"), X(cls));
    if (text && *text)
        xmlNodeAddContent(span, text);
    xmlChar *l = xmlGetNsProp(el, X("lang"), X("http://www.w3.org/XML/1998/namespace"));
    if (l) {
        xmlNodeSetLang(span, l);
        xmlFree(l);
    }
    xmlReplaceNode(el, span);
    xmlFreeNode(el);
    return span;
}

static int fix_reference(epubw_book *b, xmlNodePtr el, xmlNodePtr root, xmlHashTablePtr ids,
                         xmlNodePtr *cont)
{
    *cont = NULL;
    if (name_is(el, "img")) {
        xmlChar *src = xmlGetProp(el, X("src"));
        if (!src)
            return 0;
        const char *href = epubw_resource_href(b, (const char *)src);
        if (href) {
            if (strcmp(href, (const char *)src) != 0)
                xmlSetProp(el, X("src"), X(href));
            xmlFree(src);
            return 0;
        }
        if (epubw_find_item(b, (const char *)src)) { /* one of the writer's own files */
            xmlFree(src);
            return 0;
        }
        xmlChar *alt = xmlGetProp(el, X("alt"));
        dp_warn(b->ctx, "epub: image '%s' is not among the document's resources%s; its alt text '%s' "
                        "stands in its place", (const char *)src,
                has_scheme((const char *)src) ? " (EPUB books may not use remote images)" : "",
                alt ? (const char *)alt : "");
        *cont = replace_by_span(el, "image-missing", alt);
        xmlFree(alt);
        xmlFree(src);
        return 0;
    }
    if (name_is(el, "a")) {
        xmlChar *href = xmlGetProp(el, X("href"));
        if (!href)
            return 0;
        const char *h = (const char *)href;
        int ok = h[0] == '\0' || has_scheme(h);
        if (h[0] == '#') {
            /* ids of other files were rewritten to file#id by the XHTML
             * writer's link hook; what is left must be in this page */
            ok = h[1] == '\0' || xmlHashLookup(ids, X(h + 1)) != NULL;
            if (!ok) {
                dp_warn(b->ctx, "epub: link to '%s', an id that nothing in the book carries: "
                                "kept as plain text", h);
                xmlFree(href);
                *cont = unwrap(el, root);
                return 0;
            }
        }
        if (!ok) {
            /* a relative link: fine when it names a file of the book */
            size_t len = strcspn(h, "#?");
            char *file = malloc(len + 1);
            if (!file) {
                xmlFree(href);
                return DP_ENOMEM;
            }
            memcpy(file, h, len);
            file[len] = '\0';
            const char *res = epubw_resource_href(b, file);
            if (res) {
                xmlChar *nh = (xmlChar *)epubw_strf("%s%s", res, h + len);
                if (nh)
                    xmlSetProp(el, X("href"), nh);
                free(nh);
                ok = 1;
            } else
                ok = epubw_find_item(b, file) != NULL || epubw_is_chapter_file(b, file);
            free(file);
        }
        if (!ok) {
            dp_warn(b->ctx, "epub: link to '%s', a file that is not in the book: kept as plain text", h);
            xmlFree(href);
            *cont = unwrap(el, root);
            return 0;
        }
        xmlFree(href);
    }
    return 0;
}

/* ---- EPUB 2: XHTML 1.1 ---- */

static const char *const to_div[] = {"section", "article", "aside", "nav", "header", "footer", "main",
                                     "figure", "figcaption", "details", "summary", "hgroup", "search",
                                     "dialog", NULL};
static const char *const to_span[] = {"mark", "time", "data", "bdi", "s", "u", "strike", "output",
                                      "meter", "progress", NULL};
static const char *const keep_attr[] = {
    "id", "class", "title", "style", "dir", "href", "src", "alt", "width", "height", "colspan",
    "rowspan", "scope", "abbr", "headers", "summary", "align", "valign", "span", "cite", "datetime",
    "border", "cellpadding", "cellspacing", "frame", "rules", "charset", "hreflang", "rel", "rev",
    "longdesc", "content", "http-equiv", "media", "accesskey", "shape", "coords", "usemap", "ismap",
    "char", "charoff", NULL};

static void add_class(xmlNodePtr el, const char *cls)
{
    xmlChar *old = xmlGetProp(el, X("class"));
    if (!old) {
        xmlNewProp(el, X("class"), X(cls));
        return;
    }
    char *both = epubw_strf("%s %s", cls, (const char *)old);
    if (both)
        xmlSetProp(el, X("class"), X(both));
    free(both);
    xmlFree(old);
}

static void xhtml11_attrs(xmlNodePtr el)
{
    xmlChar *lang = xmlGetProp(el, X("lang"));
    xmlAttrPtr a = el->properties;
    while (a) {
        xmlAttrPtr nx = a->next;
        int keep;
        if (a->ns)
            keep = xmlStrcmp(a->ns->href, X("http://www.w3.org/XML/1998/namespace")) == 0;
        else
            keep = in_list(a->name, keep_attr);
        if (!keep && !a->ns && xmlStrcmp(a->name, X("type")) == 0 &&
            (name_is(el, "a") || name_is(el, "link") || name_is(el, "style") || name_is(el, "object")))
            keep = 1;
        if (!keep && !a->ns && xmlStrcmp(a->name, X("name")) == 0 &&
            (name_is(el, "meta") || name_is(el, "param") || name_is(el, "map")))
            keep = 1;
        if (!keep)
            xmlRemoveProp(a);
        a = nx;
    }
    if (lang) {
        /* the HTML lang attribute is not XHTML 1.1: xml:lang says it */
        xmlChar *xl = xmlGetNsProp(el, X("lang"), X("http://www.w3.org/XML/1998/namespace"));
        if (!xl)
            xmlNodeSetLang(el, lang);
        xmlFree(xl);
        xmlFree(lang);
    }
}

/* ids and the fragments of local links as XML names */
static void xhtml11_ids(xmlNodePtr el)
{
    xmlChar *id = xmlGetProp(el, X("id"));
    if (id) {
        char *nc = epubw_ncname((const char *)id);
        if (nc && strcmp(nc, (const char *)id) != 0)
            xmlSetProp(el, X("id"), X(nc));
        free(nc);
        xmlFree(id);
    }
    if (!name_is(el, "a"))
        return;
    xmlChar *href = xmlGetProp(el, X("href"));
    const char *hash = href ? strchr((const char *)href, '#') : NULL;
    if (hash && !has_scheme((const char *)href)) {
        char *nc = epubw_ncname(hash + 1);
        char *nh = nc ? epubw_strf("%.*s#%s", (int)(hash - (const char *)href), (const char *)href, nc) : NULL;
        if (nh)
            xmlSetProp(el, X("href"), X(nh));
        free(nc);
        free(nh);
    }
    xmlFree(href);
}

/* XHTML 1.1 content models the HTML5 output does not follow: a caption
 * holds inline content only (paragraphs become lines), and tfoot comes
 * before the first tbody. */
static void xhtml11_content_model(xmlNodePtr el)
{
    if (name_is(el, "caption")) {
        xmlNodePtr c = el->children;
        int lines = 0;
        while (c) {
            xmlNodePtr nx = c->next;
            if (c->type == XML_ELEMENT_NODE && (name_is(c, "p") || name_is(c, "div"))) {
                if (lines++)
                    xmlAddPrevSibling(c, xmlNewDocNode(el->doc, el->ns, X("br"), NULL));
                xmlNodePtr g = c->children;
                while (g) {
                    xmlNodePtr gn = g->next;
                    xmlUnlinkNode(g);
                    xmlAddPrevSibling(c, g);
                    g = gn;
                }
                xmlUnlinkNode(c);
                xmlFreeNode(c);
            }
            c = nx;
        }
    } else if (name_is(el, "table")) {
        xmlNodePtr tbody = NULL, tfoot = NULL;
        for (xmlNodePtr c = el->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            if (!tbody && name_is(c, "tbody"))
                tbody = c;
            if (name_is(c, "tfoot"))
                tfoot = c;
        }
        if (tbody && tfoot) {
            xmlUnlinkNode(tfoot);
            xmlAddPrevSibling(tbody, tfoot);
        }
    }
}

/* Returns the node to continue from when el was replaced, else NULL. */
static xmlNodePtr xhtml11_element(epubw_book *b, xmlNodePtr el, xmlNodePtr root, int *lost_start)
{
    if (el->ns && xmlStrcmp(el->ns->href, X("http://www.w3.org/1998/Math/MathML")) == 0 &&
        name_is(el, "math")) {
        xmlChar *alt = xmlGetProp(el, X("alttext"));
        xmlChar *text = alt ? NULL : xmlNodeGetContent(el);
        dp_warn(b->ctx, "epub: EPUB 2 has no MathML: a formula is kept as its text");
        xmlNodePtr span = replace_by_span(el, "math", alt ? alt : text);
        xmlFree(alt);
        xmlFree(text);
        return next_node(span, root, 1);
    }
    if (el->ns && xmlStrcmp(el->ns->href, X(EPUBW_NS_XHTML)) != 0)
        return NULL; /* SVG and others: left as they are */
    if (in_list(el->name, to_div) || in_list(el->name, to_span)) {
        char cls[32];
        snprintf(cls, sizeof cls, "%s", (const char *)el->name);
        xmlNodeSetName(el, X(in_list(el->name, to_div) ? "div" : "span"));
        add_class(el, cls);
    } else if (name_is(el, "input")) {
        int checked = xmlHasProp(el, X("checked")) != NULL;
        xmlNodePtr span = replace_by_span(el, "task", X(checked ? "[x] " : "[ ] "));
        return next_node(span, root, 1);
    } else if (name_is(el, "wbr")) {
        xmlNodePtr cont = next_node(el, root, 1);
        xmlUnlinkNode(el);
        xmlFreeNode(el);
        return cont;
    }
    if (name_is(el, "ol") && xmlHasProp(el, X("start")))
        *lost_start = 1;
    xhtml11_attrs(el);
    xhtml11_ids(el);
    xhtml11_content_model(el);
    return NULL;
}

int epubw_is_chapter_file(const epubw_book *b, const char *file)
{
    /* chapters not serialised yet are no items yet, but links may name them */
    for (size_t i = 0; i < b->nchapters; i++)
        if (strcmp(b->chapters[i].file, file) == 0)
            return 1;
    return b->notes_file && strcmp(b->notes_file, file) == 0;
}

/* Every id of the page, for checking "#id" links. */
static xmlHashTablePtr page_ids(xmlNodePtr root)
{
    xmlHashTablePtr ids = xmlHashCreate(64);
    if (!ids)
        return NULL;
    for (xmlNodePtr n = root; n; n = next_node(n, root, 0)) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *id = xmlGetProp(n, X("id"));
        if (id)
            xmlHashAddEntry(ids, id, root); /* a duplicate is simply not added twice */
        xmlFree(id);
    }
    return ids;
}

int epubw_finish_page(epubw_book *b, xmlDocPtr doc, char *props, size_t propsz)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    int mathml = 0, svg = 0, scripted = 0, lost_start = 0;
    xmlHashTablePtr ids = page_ids(root);
    if (!ids)
        return DP_ENOMEM;
    xmlNodePtr n = root;
    while (n) {
        xmlNodePtr cont = NULL;
        if (n->type == XML_ELEMENT_NODE) {
            int rc = fix_reference(b, n, root, ids, &cont);
            if (rc) {
                xmlHashFree(ids, NULL);
                return rc;
            }
            if (cont) {
                n = cont;
                continue;
            }
            if (b->version == 2 && n != root) {
                cont = xhtml11_element(b, n, root, &lost_start);
                if (cont || !n->parent) {
                    n = cont;
                    continue;
                }
            }
            if (n->ns && xmlStrcmp(n->ns->href, X("http://www.w3.org/1998/Math/MathML")) == 0)
                mathml = 1;
            if (n->ns && xmlStrcmp(n->ns->href, X(EPUBW_NS_SVG)) == 0)
                svg = 1;
            if (name_is(n, "script"))
                scripted = 1;
        }
        n = next_node(n, root, 0);
    }
    xmlHashFree(ids, NULL);
    if (lost_start)
        dp_warn(b->ctx, "epub: EPUB 2 (XHTML 1.1) has no start number for ordered lists: "
                        "a list that does not start at 1 is numbered from 1");
    props[0] = '\0';
    if (b->version != 2) {
        snprintf(props, propsz, "%s%s%s%s%s", mathml ? "mathml" : "", mathml && (svg || scripted) ? " " : "",
                 svg ? "svg" : "", svg && scripted ? " " : "", scripted ? "scripted" : "");
    }
    return 0;
}
