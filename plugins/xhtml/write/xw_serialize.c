/* Serialisation of pages and fragments, straight into the exporter's dp_buf
 * (dp_xml_io.h).
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
#include "dp_xml_io.h"
#include "xw_internal.h"

#include <libxml/HTMLtree.h>
#include <libxml/xmlsave.h>
#include <string.h>
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

int dp_xw_serialize(xmlDocPtr doc, dp_xw_flavour flavour, dp_buf *out)
{
    if (!doc || !out)
        return DP_EINVAL;
    if (!doc->encoding)
        doc->encoding = xmlStrdup(BAD_CAST "UTF-8");
    if (flavour != DP_XW_HTML5) {
        xmlSaveCtxtPtr sc = dp_xml_save_to_buf(out, XML_SAVE_NO_XHTML | XML_SAVE_AS_XML);
        if (!sc)
            return DP_ENOMEM;
        long written = xmlSaveDoc(sc, doc);
        int rc = close_rc(xmlSaveClose(sc));
        return written < 0 && rc == 0 ? DP_EINTERNAL : rc;
    }
    xmlOutputBufferPtr ob = dp_xml_output_to_buf(out);
    if (!ob)
        return DP_ENOMEM;
    htmlDocContentDumpFormatOutput(ob, doc, "UTF-8", 0);
    return close_rc(xmlOutputBufferClose(ob));
}

/* Writes holder's children into out, without a declaration; with
 * free_each, unlinks and frees each child once it is written. Without
 * XML_SAVE_FORMAT / format 0 a node's bytes do not depend on its siblings,
 * so writing them one by one changes nothing. */
static int write_children(xmlNodePtr holder, dp_xw_flavour flavour, dp_buf *out, int free_each)
{
    xmlSaveCtxtPtr sc = NULL;
    xmlOutputBufferPtr ob = NULL;
    size_t trimmed_at = dp_buf_len(out);
    int rc = 0;
    if (holder->doc && !holder->doc->encoding)
        holder->doc->encoding = xmlStrdup(BAD_CAST "UTF-8");
    if (flavour != DP_XW_HTML5)
        sc = dp_xml_save_to_buf(out, XML_SAVE_NO_XHTML | XML_SAVE_NO_DECL | XML_SAVE_AS_XML);
    else
        ob = dp_xml_output_to_buf(out);
    if (!sc && !ob)
        return DP_ENOMEM;
    for (xmlNodePtr c = holder->children, next; c && rc == 0; c = next) {
        next = c->next;
        if (sc && xmlSaveTree(sc, c) < 0)
            rc = DP_EINTERNAL;
        if (ob)
            htmlNodeDumpFormatOutput(ob, holder->doc, c, "UTF-8", 0);
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
    return rc ? rc : crc;
}

int dp_xw_serialize_children(xmlNodePtr holder, dp_xw_flavour flavour, dp_buf *out)
{
    return holder && out ? write_children(holder, flavour, out, 0) : DP_EINVAL;
}

int dp_xw_serialize_children_freeing(xmlNodePtr holder, dp_xw_flavour flavour, dp_buf *out)
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

int dp_xw_serialize_freeing(xmlDocPtr doc, dp_xw_flavour flavour, dp_buf *out)
{
    xmlNodePtr body, marker, first, last;
    dp_buf *shell = NULL;
    int rc;
    if (!doc || !out)
        return DP_EINVAL;
    body = find_body(doc);
    if (!body || !body->children)
        return dp_xw_serialize(doc, flavour, out);

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
    rc = dp_xw_serialize(doc, flavour, shell);
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
