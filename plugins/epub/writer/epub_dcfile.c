/* epub_writer: the 'epub-metadata' option (pandoc's --epub-metadata=FILE):
 * an XML file of Dublin Core elements (<dc:rights>...</dc:rights> one after
 * the other, with or without an enclosing <metadata>) added to the package.
 * The document's own metadata wins: the file fills in what it lacks (its
 * dc:title, dc:language, dc:identifier stand in for missing metadata, each
 * other dc: element is added when the package has none of that name), and
 * what is not used is reported. */
#include "epub_book.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DC_NS "http://purl.org/dc/elements/1.1/"

static const xmlChar *X(const char *s) { return (const xmlChar *)s; }

/* The file's bytes, wrapped in an element declaring the dc: prefix (the file
 * is a series of elements, not a document), its XML declaration skipped. */
static int read_wrapped(epubw_book *b, const char *path, dp_buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return dp_fail(b->ctx, DP_EINPUT, path, 0, 0, "epub: cannot read the file given by 'epub-metadata': %s",
                       strerror(errno));
    dp_buf *raw = NULL;
    int rc = dp_buf_new(&raw);
    char chunk[8192];
    size_t n;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = dp_buf_append(raw, chunk, n);
    if (!rc && ferror(f))
        rc = dp_fail(b->ctx, DP_EINPUT, path, 0, 0, "epub: error reading the 'epub-metadata' file");
    fclose(f);
    if (!rc)
        rc = dp_buf_append(raw, "", 1);
    const char *text = rc ? NULL : (const char *)dp_buf_data(raw);
    if (text && strncmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3;
    if (text && strncmp(text, "<?xml", 5) == 0) {
        const char *end = strstr(text, "?>");
        text = end ? end + 2 : text;
    }
    if (!rc)
        rc = dp_buf_puts(out, "<epub-metadata xmlns:dc=\"" DC_NS "\">");
    if (!rc)
        rc = dp_buf_puts(out, text);
    if (!rc)
        rc = dp_buf_puts(out, "</epub-metadata>");
    dp_buf_free(raw);
    return rc;
}

int epubw_dcfile_load(epubw_book *b)
{
    const char *path = dp_opt_string(b->ctx, "epub-metadata");
    if (!path || !*path)
        return 0;
    dp_buf *buf = NULL;
    int rc = dp_buf_new(&buf);
    if (!rc)
        rc = read_wrapped(b, path, buf);
    if (rc) {
        dp_buf_free(buf);
        return rc;
    }
    xmlDocPtr x = xmlReadMemory((const char *)dp_buf_data(buf), (int)dp_buf_len(buf), path, "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    dp_buf_free(buf);
    if (!x) {
        const xmlError *e = xmlGetLastError();
        const char *msg = e && e->message ? e->message : "parse error";
        int n = (int)strcspn(msg, "\n"); /* libxml2 ends its message with a newline */
        return dp_fail(b->ctx, DP_EINPUT, path, e ? e->line : 0, 0,
                       "epub: the 'epub-metadata' file is not well-formed XML: %.*s", n, msg);
    }
    b->dcfile = x;
    return 0;
}

/* The dc: elements of the file, one after the other (inside an enclosing
 * element, e.g. <metadata>, when the file has one). */
static xmlNodePtr first_el(xmlNodePtr n)
{
    for (; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE)
            return n;
    return NULL;
}

static xmlNodePtr elements(const epubw_book *b)
{
    xmlNodePtr root = b->dcfile ? xmlDocGetRootElement(b->dcfile) : NULL;
    xmlNodePtr first = root ? first_el(root->children) : NULL;
    if (first && !first_el(first->next) && !(first->ns && xmlStrEqual(first->ns->href, X(DC_NS))))
        return first_el(first->children); /* one wrapper element around them */
    return first;
}

static int is_dc(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, X(DC_NS)) &&
           (!name || xmlStrEqual(n->name, X(name)));
}

char *epubw_dcfile_text(const epubw_book *b, const char *name)
{
    for (xmlNodePtr n = elements(b); n; n = n->next) {
        if (!is_dc(n, name))
            continue;
        xmlChar *t = xmlNodeGetContent(n);
        char *s = t && *t ? epubw_strdup((const char *)t) : NULL;
        xmlFree(t);
        if (s)
            return s;
    }
    return NULL;
}

void epubw_dcfile_apply(epubw_book *b, xmlNodePtr md, xmlNsPtr dc)
{
    const char *path = dp_opt_string(b->ctx, "epub-metadata");
    /* the package's own elements end at last_own: a name it has already is
     * not added again (the file's repeated names all are) */
    xmlNodePtr last_own = md->last;
    for (xmlNodePtr n = elements(b); n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!is_dc(n, NULL)) {
            dp_warn_at(b->ctx, path, (int)n->line, 0,
                       "epub: <%s> in the 'epub-metadata' file is not a Dublin Core (dc:) element: not added",
                       (const char *)n->name);
            continue;
        }
        int own = 0;
        for (xmlNodePtr m = last_own ? md->children : NULL; m && !own; m = m->next) {
            own = is_dc(m, NULL) && xmlStrEqual(m->name, n->name);
            if (m == last_own)
                break;
        }
        if (own) {
            /* title, language and identifier stood in for missing metadata
             * already (epub_meta.c); others: the document's own wins */
            xmlChar *t = xmlNodeGetContent(n);
            int used = (xmlStrEqual(n->name, X("title")) && t && strcmp((const char *)t, b->title) == 0) ||
                       (xmlStrEqual(n->name, X("language")) && t && strcmp((const char *)t, b->lang) == 0) ||
                       (xmlStrEqual(n->name, X("identifier")) && t && strcmp((const char *)t, b->identifier) == 0);
            if (!used)
                dp_warn_at(b->ctx, path, (int)n->line, 0,
                           "epub: dc:%s in the 'epub-metadata' file: the document's own metadata is used instead",
                           (const char *)n->name);
            xmlFree(t);
            continue;
        }
        xmlChar *t = xmlNodeGetContent(n);
        xmlNodePtr el = xmlNewTextChild(md, dc, n->name, t ? t : X(""));
        xmlFree(t);
        /* xml:lang and dir carry over; ids and EPUB 2 opf: attributes could
         * clash with the package's own or be invalid in EPUB 3 */
        xmlChar *lang = xmlNodeGetLang(n);
        if (lang && n->properties && xmlHasNsProp(n, X("lang"), XML_XML_NAMESPACE))
            xmlNodeSetLang(el, lang);
        xmlFree(lang);
        xmlChar *dir = xmlGetNoNsProp(n, X("dir"));
        if (dir && b->version != 2)
            xmlNewProp(el, X("dir"), dir);
        xmlFree(dir);
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            int kept = (a->ns && xmlStrEqual(a->ns->href, XML_XML_NAMESPACE) && xmlStrEqual(a->name, X("lang"))) ||
                       (!a->ns && xmlStrEqual(a->name, X("dir")) && b->version != 2);
            if (!kept)
                dp_warn_at(b->ctx, path, (int)n->line, 0,
                           "epub: attribute %s of dc:%s in the 'epub-metadata' file: not written",
                           (const char *)a->name, (const char *)n->name);
        }
    }
}
