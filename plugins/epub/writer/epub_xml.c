/* epub_writer: XHTML skeletons and serialisation with libxml2. */
#include "xmlu_chars.h"
#include "xmlu_io.h"
#include "epub_book.h"

#include <libxml/xmlsave.h>
#include <stdlib.h>
#include <string.h>

xmlNodePtr epubw_el(xmlNodePtr parent, const char *name, const char *text)
{
    /* xmlNewTextChild escapes the text; the child inherits the parent's ns */
    return xmlNewTextChild(parent, parent->ns, (const xmlChar *)name, (const xmlChar *)text);
}

void epubw_semantic(const epubw_book *b, xmlNodePtr el, const char *epub_type, const char *role)
{
    if (b->version == 2)
        return; /* XHTML 1.1 has neither epub:type nor role */
    if (epub_type) {
        xmlNsPtr ops = xmlSearchNsByHref(el->doc, el, (const xmlChar *)EPUBW_NS_OPS);
        xmlNewNsProp(el, ops, (const xmlChar *)"type", (const xmlChar *)epub_type);
    }
    if (role)
        xmlNewProp(el, (const xmlChar *)"role", (const xmlChar *)role);
}

void epubw_set_lang(const epubw_book *b, xmlNodePtr el, const char *lang)
{
    if (b->version != 2)
        xmlSetProp(el, (const xmlChar *)"lang", (const xmlChar *)lang);
    /* xml:lang: libxml2 resolves the xml prefix itself */
    xmlNodeSetLang(el, (const xmlChar *)lang);
}

xmlDocPtr epubw_xhtml_new(const epubw_book *b, const char *title, const char *lang, int with_css,
                          xmlNodePtr *body_out)
{
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
    if (!doc)
        return NULL;
    if (b->version == 2)
        xmlCreateIntSubset(doc, (const xmlChar *)"html", (const xmlChar *)"-//W3C//DTD XHTML 1.1//EN",
                           (const xmlChar *)"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd");
    else
        xmlCreateIntSubset(doc, (const xmlChar *)"html", NULL, NULL);
    xmlNodePtr html = xmlNewDocNode(doc, NULL, (const xmlChar *)"html", NULL);
    xmlDocSetRootElement(doc, html);
    xmlNsPtr ns = xmlNewNs(html, (const xmlChar *)EPUBW_NS_XHTML, NULL);
    xmlSetNs(html, ns);
    if (b->version != 2)
        xmlNewNs(html, (const xmlChar *)EPUBW_NS_OPS, (const xmlChar *)"epub");
    epubw_set_lang(b, html, lang);
    {
        /* the book's base direction on every page (the spine's
         * page-progression-direction is epub_opf.c's) */
        if (b->dir)
            xmlNewProp(html, (const xmlChar *)"dir", (const xmlChar *)b->dir);
    }
    xmlNodePtr head = epubw_el(html, "head", NULL);
    /* EPUB 2: the XML declaration states the encoding (XHTML 1.1 has no
     * meta charset, and validators disagree on the http-equiv form) */
    if (b->version != 2) {
        xmlNodePtr meta = epubw_el(head, "meta", NULL);
        xmlNewProp(meta, (const xmlChar *)"charset", (const xmlChar *)"utf-8");
    }
    epubw_el(head, "title", title && *title ? title : b->title);
    if (with_css) {
        /* the default (or replacing) stylesheet, then the document's own */
        for (size_t i = 0; i < b->nitems; i++) {
            const epubw_item *it = &b->items[i];
            if (strcmp(it->media_type, "text/css") != 0)
                continue;
            xmlNodePtr link = epubw_el(head, "link", NULL);
            xmlNewProp(link, (const xmlChar *)"rel", (const xmlChar *)"stylesheet");
            xmlNewProp(link, (const xmlChar *)"type", (const xmlChar *)"text/css");
            xmlNewProp(link, (const xmlChar *)"href", (const xmlChar *)it->href);
        }
    }
    xmlNodePtr body = epubw_el(html, "body", NULL);
    if (!head || !body) {
        xmlFreeDoc(doc);
        return NULL;
    }
    *body_out = body;
    return doc;
}

int epubw_xml_dump(const epubw_book *b, xmlDocPtr doc, const char *name, int format, unsigned char **data,
                   size_t *len)
{
    *data = NULL;
    *len = 0;
    /* Titles, metadata, ids and hrefs may carry control characters the tree
     * allows and XML does not: removed here, with a warning, so that every
     * package file (OPF, nav, NCX, container, pages) is well-formed. */
    xmlNodePtr root = xmlDocGetRootElement(doc);
    int xhtml = root && xmlStrcmp(root->name, BAD_CAST "html") == 0; /* content documents, nav: HTML's rule */
    if (xmlu_drop_forbidden_chars(b->ctx, doc, name, xhtml ? XMLU_CHARS_HTML : XMLU_CHARS_XML) == (size_t)-1)
        return DP_ENOMEM;
    dp_buf *buf = NULL;
    if (dp_buf_new(&buf) != 0)
        return DP_ENOMEM;
    /* NO_XHTML: plain XML rules (libxml2 would otherwise add a Content-Type
     * meta to documents with an XHTML 1.x doctype) */
    int opts = XML_SAVE_NO_XHTML | XML_SAVE_AS_XML | (format ? XML_SAVE_FORMAT : 0);
    xmlSaveCtxtPtr sc = xmlu_save_to_buf(buf, opts);
    if (!sc) {
        dp_buf_free(buf);
        return DP_ENOMEM;
    }
    long w = xmlSaveDoc(sc, doc);
    int crc = xmlSaveClose(sc);
    if (w < 0 || crc < 0) {
        dp_buf_free(buf);
        return crc < 0 ? DP_ENOMEM : DP_EINTERNAL;
    }
    /* the dp_buf's bytes become the entry's, without a copy */
    *data = dp_buf_detach(buf, len);
    dp_buf_free(buf);
    return *data ? 0 : DP_ENOMEM;
}

int epubw_add_xml_item(epubw_book *b, xmlDocPtr doc, int format, const char *id, const char *href,
                       const char *media_type, const char *properties, int spine)
{
    unsigned char *data;
    size_t len;
    int rc = epubw_xml_dump(b, doc, href, format, &data, &len);
    xmlFreeDoc(doc);
    if (rc)
        return rc;
    return epubw_add_item(b, id, href, media_type, properties, data, len, spine);
}

void epubw_english_label(const epubw_book *b, xmlNodePtr el)
{
    /* the writer's own words ("Contents", "Notes") are English: say so when
     * the book is in another language, so that speech uses the right voice */
    if (!(b->lang[0] == 'e' && b->lang[1] == 'n' && (b->lang[2] == '\0' || b->lang[2] == '-')))
        epubw_set_lang(b, el, "en");
}
