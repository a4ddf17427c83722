/* Serialisation of pages and fragments, straight into the exporter's dp_buf
 * (xmlu_io.h).
 *
 * XML flavours: the XML rules, never libxml2's XHTML 1.0 compatibility rules
 * (which would add a meta http-equiv). HTML5: the HTML rules (<!DOCTYPE
 * html>, void elements without "/>", raw text in script/style);
 * htmlDocContentDumpFormatOutput does not add a meta http-equiv either
 * (which, beside <meta charset>, the Nu checker rejects).
 *
 * The _freeing variants are for a writer that frees the page right after
 * writing it (the HTML exporter). While a large page is written, its libxml2
 * tree is the biggest thing in memory: for 10 MB of TEI, 24 MB of nodes,
 * beside the 17 MB document tree and the growing output (valgrind
 * --tool=massif). Written whole, all three peak together. These write the
 * body's children one at a time and free each once written, and every few
 * megabytes of output hand the freed memory back to the system (the output
 * buffer is a separate mapping, so it cannot reuse the freed nodes). The
 * bytes are the same: each child is written by the same libxml2 serialiser,
 * and the page around the body once, with a marker comment standing in for
 * the body's content. */
#include "xmlu_io.h"
#include "xw_internal.h"

#include <libxml/HTMLtree.h>
#include <libxml/xmlsave.h>
#include <string.h>
#include <strings.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* a comment standing in for the body: its text, and how it is written */
#define MARKER_TEXT "dp-xw-body-content"
#define MARKER "<!--" MARKER_TEXT "-->"
/* output written between two returns of freed memory to the system */
#define TRIM_EVERY (4u << 20)

static int close_rc(int closed)
{
    return closed < 0 ? DP_ENOMEM : 0; /* an append failed: out of memory */
}

static void give_back_freed_memory(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/* libxml2's HTML serialiser percent-encodes the value of href, src, action
 * and a@name (an HTML 4 rule: "&ouml;" or "\\" in a raw <a href> came out as
 * "%C3%B6", "%5C"), except for an attribute with a namespace. Raw HTML's
 * URLs are written as the author wrote them: for the time of the dump those attributes
 * point to a namespace without prefix, which writes nothing, so they take
 * the path of every other attribute (character escaping only). mark()
 * swaps the attributes' namespace from `from` to `to`, in top's subtree. */
#define VERBATIM_NS "urn:x-docpipe:verbatim-url"

static int url_attribute(xmlAttrPtr a)
{
    const char *n = (const char *)a->name;
    return strcasecmp(n, "href") == 0 || strcasecmp(n, "src") == 0 || strcasecmp(n, "action") == 0 ||
           (strcasecmp(n, "name") == 0 && a->parent && xmlStrcasecmp(a->parent->name, BAD_CAST "a") == 0);
}

static void mark(xmlNodePtr top, xmlNsPtr from, xmlNsPtr to)
{
    xmlNodePtr n = top;
    while (n) {
        if (n->type == XML_ELEMENT_NODE && !n->ns)
            for (xmlAttrPtr a = n->properties; a; a = a->next)
                if (a->ns == from && a->_private == &xw_raw_attr_mark && url_attribute(a))
                    a->ns = to;
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && n != top && !n->next)
            n = n->parent;
        n = n && n != top ? n->next : NULL;
    }
}

int xw_serialize(xmlDocPtr doc, xw_flavour flavour, dp_buf *out)
{
    if (!doc || !out)
        return DP_EINVAL;
    if (!doc->encoding)
        doc->encoding = xmlStrdup(BAD_CAST "UTF-8");
    if (flavour != XW_HTML5) {
        xmlSaveCtxtPtr sc = xmlu_save_to_buf(out, XML_SAVE_NO_XHTML | XML_SAVE_AS_XML);
        if (!sc)
            return DP_ENOMEM;
        long written = xmlSaveDoc(sc, doc);
        int rc = close_rc(xmlSaveClose(sc));
        return written < 0 && rc == 0 ? DP_EINTERNAL : rc;
    }
    xmlOutputBufferPtr ob = xmlu_output_to_buf(out);
    xmlNsPtr verbatim = xmlNewNs(NULL, BAD_CAST VERBATIM_NS, NULL);
    if (!ob || !verbatim) {
        if (ob)
            xmlOutputBufferClose(ob);
        xmlFreeNs(verbatim);
        return DP_ENOMEM;
    }
    mark(xmlDocGetRootElement(doc), NULL, verbatim);
    htmlDocContentDumpFormatOutput(ob, doc, "UTF-8", 0);
    mark(xmlDocGetRootElement(doc), verbatim, NULL);
    xmlFreeNs(verbatim);
    return close_rc(xmlOutputBufferClose(ob));
}

/* Writes holder's children into out, without a declaration; with
 * free_each, unlinks and frees each child once it is written. Without
 * XML_SAVE_FORMAT / format 0 a node's bytes do not depend on its siblings,
 * so writing them one by one changes nothing. */
static int write_children(xmlNodePtr holder, xw_flavour flavour, dp_buf *out, int free_each)
{
    xmlSaveCtxtPtr sc = NULL;
    xmlOutputBufferPtr ob = NULL;
    xmlNsPtr verbatim = NULL;
    size_t trimmed_at = dp_buf_len(out);
    int rc = 0;
    if (holder->doc && !holder->doc->encoding)
        holder->doc->encoding = xmlStrdup(BAD_CAST "UTF-8");
    if (flavour != XW_HTML5)
        sc = xmlu_save_to_buf(out, XML_SAVE_NO_XHTML | XML_SAVE_NO_DECL | XML_SAVE_AS_XML);
    else if ((verbatim = xmlNewNs(NULL, BAD_CAST VERBATIM_NS, NULL)) != NULL)
        ob = xmlu_output_to_buf(out);
    if (!sc && !ob) {
        xmlFreeNs(verbatim);
        return DP_ENOMEM;
    }
    for (xmlNodePtr c = holder->children, next; c && rc == 0; c = next) {
        next = c->next;
        if (sc && xmlSaveTree(sc, c) < 0)
            rc = DP_EINTERNAL;
        if (ob) {
            mark(c, NULL, verbatim);
            htmlNodeDumpFormatOutput(ob, holder->doc, c, "UTF-8", 0);
            mark(c, verbatim, NULL);
        }
        if (!free_each)
            continue;
        xmlUnlinkNode(c);
        xmlFreeNode(c);
        if (dp_buf_len(out) - trimmed_at >= TRIM_EVERY) {
            give_back_freed_memory();
            trimmed_at = dp_buf_len(out);
        }
    }
    int crc = close_rc(sc ? xmlSaveClose(sc) : xmlOutputBufferClose(ob));
    xmlFreeNs(verbatim);
    return rc ? rc : crc;
}

int xw_serialize_children(xmlNodePtr holder, xw_flavour flavour, dp_buf *out)
{
    return holder && out ? write_children(holder, flavour, out, 0) : DP_EINVAL;
}

int xw_serialize_children_freeing(xmlNodePtr holder, xw_flavour flavour, dp_buf *out)
{
    return holder && out ? write_children(holder, flavour, out, 1) : DP_EINVAL;
}

static xmlNodePtr find_body(xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST "body"))
            return c;
    return NULL;
}

/* The last occurrence of needle in hay (the body comes after everything in
 * the head, where a stylesheet could contain anything). */
static const char *last_match(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = len >= n ? len - n + 1 : 0; i-- > 0;)
        if (memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

int xw_serialize_freeing(xmlDocPtr doc, xw_flavour flavour, dp_buf *out)
{
    xmlNodePtr body, marker, first, last;
    dp_buf *shell = NULL;
    int rc;
    if (!doc || !out)
        return DP_EINVAL;
    body = find_body(doc);
    if (!body || !body->children)
        return xw_serialize(doc, flavour, out);

    /* The page with only a marker in its body ... */
    marker = xmlNewDocComment(doc, BAD_CAST MARKER_TEXT);
    if (!marker || dp_buf_new(&shell) != 0) {
        xmlFreeNode(marker);
        dp_buf_free(shell);
        return DP_ENOMEM;
    }
    first = body->children;
    last = body->last;
    body->children = body->last = marker;
    marker->parent = body;
    rc = xw_serialize(doc, flavour, shell);
    body->children = first;
    body->last = last;
    xmlFreeNode(marker);

    /* ... split at the marker, with the body's content written between. */
    const char *text = (const char *)dp_buf_data(shell);
    size_t len = dp_buf_len(shell);
    const char *at = rc == 0 ? last_match(text, len, MARKER) : NULL;
    if (rc == 0 && !at)
        rc = DP_EINTERNAL;
    if (rc == 0)
        rc = dp_buf_append(out, text, (size_t)(at - text));
    if (rc == 0)
        rc = write_children(body, flavour, out, 1);
    if (rc == 0) {
        const char *rest = at + strlen(MARKER);
        rc = dp_buf_append(out, rest, len - (size_t)(rest - text));
    }
    dp_buf_free(shell);
    return rc;
}
