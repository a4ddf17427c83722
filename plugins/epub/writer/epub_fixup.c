/* epub_writer: the last pass over every rendered XHTML page.
 *
 * - references: an <img src> naming a document resource points at its place
 *   in the container; an image whose file is not in the book (remote, or
 *   missing) becomes its alt text, and a relative link to a file that is not
 *   in the book, or to an id that no element of the page carries, keeps its
 *   text without the link, with a warning naming that text (EPUBCheck
 *   rejects all three: RSC-007, RSC-012);
 * - a link to the document itself with a query ("?page=2") names the page it
 *   is in ("ch003.xhtml?page=2"): the writer split the document into pages,
 *   and EPUBCheck resolves a bare query to the folder (RSC-008);
 * - the manifest properties the page needs (mathml, svg, scripted).
 * EPUB 2 pages need nothing more here: the shared XHTML writer renders them
 * in its XHTML 1.1 flavour (XW_XHTML11), ids included. */
#include "epub_book.h"

#include <libxml/hash.h>
#include <stdlib.h>
#include <string.h>

static const xmlChar *X(const char *s) { return (const xmlChar *)s; }

static int name_is(const xmlNode *n, const char *name) { return xmlStrcmp(n->name, X(name)) == 0; }

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
    /* the XHTML namespace of the page, looked up from the parent */
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

/* A link dropped for want of a target: the warning names its text, which
 * is what a reader of the warning can find in the document. */
static void warn_link(epubw_book *b, xmlNodePtr el, const char *href, const char *why)
{
    xmlChar *text = xmlNodeGetContent(el);
    dp_warn(b->ctx, "epub: link \"%s\" to '%s', %s: kept as plain text", text ? (const char *)text : "", href,
            why);
    xmlFree(text);
}

static int fix_reference(epubw_book *b, const char *page, xmlNodePtr el, xmlNodePtr root, xmlHashTablePtr ids,
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
                dp_url_has_scheme((const char *)src) ? " (EPUB books may not use remote images)"
                : src[0] == '/' || strncmp((const char *)src, "../", 3) == 0
                    ? " (outside the input's folder: -O resource-root=DIR lets the reader take it)"
                    : "",
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
        if (h[0] == '?' && page) {
            /* the same document with a query: the page this part went to */
            xmlChar *nh = (xmlChar *)epubw_strf("%s%s", page, h);
            if (!nh) {
                xmlFree(href);
                return DP_ENOMEM;
            }
            xmlSetProp(el, X("href"), nh);
            free(nh);
            xmlFree(href);
            return 0;
        }
        int ok = h[0] == '\0' || dp_url_has_scheme(h);
        if (h[0] == '#') {
            /* ids of other files were rewritten to file#id by the XHTML
             * writer's link hook; what is left must be in this page */
            ok = h[1] == '\0' || xmlHashLookup(ids, X(h + 1)) != NULL;
            if (!ok) {
                warn_link(b, el, h, "an id that nothing in the book carries");
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
            warn_link(b, el, h, "a file that is not in the book");
            xmlFree(href);
            *cont = unwrap(el, root);
            return 0;
        }
        xmlFree(href);
    }
    return 0;
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

int epubw_finish_page(epubw_book *b, xmlDocPtr doc, const char *page, char *props, size_t propsz)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    int mathml = 0, svg = 0, scripted = 0;
    xmlHashTablePtr ids = page_ids(root);
    if (!ids)
        return DP_ENOMEM;
    xmlNodePtr n = root;
    while (n) {
        xmlNodePtr cont = NULL;
        if (n->type == XML_ELEMENT_NODE) {
            int rc = fix_reference(b, page, n, root, ids, &cont);
            if (rc) {
                xmlHashFree(ids, NULL);
                return rc;
            }
            if (cont) {
                n = cont;
                continue;
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
    props[0] = '\0';
    if (b->version != 2) {
        snprintf(props, propsz, "%s%s%s%s%s", mathml ? "mathml" : "", mathml && (svg || scripted) ? " " : "",
                 svg ? "svg" : "", svg && scripted ? " " : "", scripted ? "scripted" : "");
    }
    return 0;
}
