/* TEI exporter: code read from an <egXML> example back as <egXML>.
 *
 * The reader shows a markup example as code of language "xml" marked with
 * TEI_EGXML_KEY (tei_read_egxml.c). Its text is parsed back with libxml2
 * inside a new <egXML xmlns="http://www.tei-c.org/ns/Examples">, so that
 * TEI -> TEI keeps the example as markup. Text that is not well-formed XML
 * (edited on the way, or TEI Lite, which has no egXML) is written as the
 * text of an <eg>, with a warning. */
#include "tei_write_internal.h"

#include <libxml/parser.h>
#include <string.h>

static const char *const egxml_key[] = {TEI_EGXML_KEY, NULL};

static void as_eg(tw *w, xmlNodePtr parent, const dp_node *n)
{
    /* @valid says whether the example is valid: an egXML attribute only */
    static const char *const eg_skip[] = {TEI_EGXML_KEY, "tei:valid", NULL};
    xmlNodePtr e = tw_el(w, parent, "eg");
    tw_common_attrs(w, e, n, NULL, NULL, eg_skip);
    tw_set_xml_attr(e, "space", "preserve");
    tw_text(w, e, n, dp_node_text(n), dp_node_text_len(n));
}

int tw_egxml(tw *w, xmlNodePtr parent, const dp_node *n)
{
    const char *mark = dp_node_attr(n, TEI_EGXML_KEY);
    if (!mark || strcmp(mark, "egXML") != 0 || w->err)
        return 0;
    if (w->lite && !tei_lite_has("egXML")) {
        dp_warn_node(w->ctx, n, "TEI Lite has no <egXML>: the markup example is written as the text of <eg>");
        as_eg(w, parent, n);
        return 1;
    }
    xmlNodePtr e = xmlNewDocNode(w->x, NULL, BAD_CAST "egXML", NULL);
    xmlNsPtr ns = e ? xmlNewNs(e, BAD_CAST TEI_EXAMPLES_NS, NULL) : NULL;
    if (!ns || !xmlAddChild(parent, e)) {
        xmlFreeNode(e);
        w->err = dp_fail(w->ctx, DP_ENOMEM, NULL, 0, 0, "tei: out of memory");
        return 1;
    }
    xmlSetNs(e, ns);
    const char *src = dp_node_text(n);
    size_t len = dp_node_text_len(n);
    xmlNodePtr list = NULL;
    if (src && len > 0) {
        /* parsed in the context of e: unprefixed names are examples */
        xmlParserErrors rc = xmlParseInNodeContext(e, src, (int)len,
                                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING,
                                                   &list);
        if (rc != XML_ERR_OK) {
            xmlFreeNodeList(list);
            xmlUnlinkNode(e);
            xmlFreeNode(e);
            dp_warn_node(w->ctx, n, "markup example (egXML) is not well-formed XML: written as the text of <eg>");
            as_eg(w, parent, n);
            return 1;
        }
    }
    /* a block example on lines of its own, as TEI sources write it */
    int block = dp_node_kind(n) == DP_CODE_BLOCK;
    if (block)
        xmlAddChild(e, xmlNewDocText(w->x, BAD_CAST "\n"));
    if (list)
        xmlAddChildList(e, list);
    if (block)
        xmlAddChild(e, xmlNewDocText(w->x, BAD_CAST "\n"));
    tw_common_attrs(w, e, n, NULL, "xml", egxml_key);
    return 1;
}
