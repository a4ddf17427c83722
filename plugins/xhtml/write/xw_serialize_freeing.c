/* Serialisation that frees the body as it goes, for a writer that frees the
 * page right after writing it (the HTML exporter).
 *
 * While a large page is written, its libxml2 tree is the biggest thing in
 * memory: for 10 MB of TEI, 24 MB of nodes, beside the 17 MB document tree
 * and the growing output (valgrind --tool=massif). Written whole, all three
 * peak together. Here the body's children are written one at a time and each
 * is freed once written, and every few megabytes of output the freed memory
 * is handed back to the system (the output buffer is a separate mapping, so
 * it cannot reuse the freed nodes). The bytes written are the same as
 * dp_xw_serialize's: each child is written by the same libxml2 serialiser,
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

#define BODY_MARKER "dp-xw-body-content"
/* output written between two returns of freed memory to the system */
#define TRIM_EVERY (4u << 20)

static void give_back_freed_memory(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/* Writes holder's children into out, unlinking and freeing each once it is
 * written. Without XML_SAVE_FORMAT / format 0 a node's bytes do not depend on
 * its siblings, so writing them one by one changes nothing. */
static int write_children_freeing(xmlNodePtr holder, dp_xw_flavour flavour, dp_buf *out)
{
    xmlSaveCtxtPtr sc = NULL;
    xmlOutputBufferPtr ob = NULL;
    size_t trimmed_at = dp_buf_len(out);
    int rc = 0;
    if (flavour != DP_XW_HTML5)
        sc = dp_xml_save_to_buf(out, XML_SAVE_NO_XHTML | XML_SAVE_NO_DECL | XML_SAVE_AS_XML);
    else
        ob = dp_xml_output_to_buf(out);
    if (!sc && !ob)
        return DP_ENOMEM;
    while (holder->children && rc == 0) {
        xmlNodePtr c = holder->children;
        if (sc) {
            if (xmlSaveTree(sc, c) < 0 || xmlSaveFlush(sc) < 0)
                rc = DP_EINTERNAL;
        } else {
            htmlNodeDumpFormatOutput(ob, holder->doc, c, "UTF-8", 0);
            if (xmlOutputBufferFlush(ob) < 0)
                rc = DP_ENOMEM;
        }
        xmlUnlinkNode(c);
        xmlFreeNode(c);
        if (dp_buf_len(out) - trimmed_at >= TRIM_EVERY) {
            give_back_freed_memory();
            trimmed_at = dp_buf_len(out);
        }
    }
    int closed = sc ? xmlSaveClose(sc) : xmlOutputBufferClose(ob);
    if (rc == 0 && closed < 0)
        rc = DP_ENOMEM; /* an append failed */
    return rc;
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
    marker = xmlNewDocComment(doc, BAD_CAST BODY_MARKER);
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
    const char *at = rc == 0 ? last_match(text, len, "<!--" BODY_MARKER "-->") : NULL;
    if (rc == 0 && !at)
        rc = DP_EINTERNAL;
    if (rc == 0)
        rc = dp_buf_append(out, text, (size_t)(at - text));
    if (rc == 0)
        rc = write_children_freeing(body, flavour, out);
    if (rc == 0) {
        const char *rest = at + strlen("<!--" BODY_MARKER "-->");
        rc = dp_buf_append(out, rest, len - (size_t)(rest - text));
    }
    dp_buf_free(shell);
    return rc;
}

int dp_xw_serialize_children_freeing(xmlNodePtr holder, dp_xw_flavour flavour, dp_buf *out)
{
    if (!holder || !out)
        return DP_EINVAL;
    if (holder->doc && !holder->doc->encoding)
        holder->doc->encoding = xmlStrdup(BAD_CAST "UTF-8");
    return write_children_freeing(holder, flavour, out);
}
