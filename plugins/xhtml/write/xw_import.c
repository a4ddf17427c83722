/* Raw HTML and MathML from the tree, parsed by libxml2 (network off, no
 * external entities, no DTD loading) and copied node by node into the output
 * document in the writer's flavour. Copying is iterative: nesting depth in
 * the raw source cannot exhaust the C stack. */
#include "xw_internal.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

/* An element whose src is not an allowed URL exists only to load it (img,
 * video, source ...): safe mode drops it whole rather than leave it without
 * the src it requires. */
static int unsafe_source(xmlNodePtr el)
{
    xmlChar *src = xmlGetProp(el, BAD_CAST "src");
    int bad = src && !xw_safe_attribute((const char *)el->name, "src", (const char *)src);
    xmlFree(src);
    return bad;
}

/* Room for one flag per open level of the raw tree being copied: whether
 * that level made an element in the output (safe mode unwraps some). */
typedef struct level_stack {
    unsigned char *made;
    size_t n, cap;
} level_stack;

static int push_level(level_stack *st, int made)
{
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        unsigned char *m = realloc(st->made, cap);
        if (!m)
            return DP_ENOMEM;
        st->made = m;
        st->cap = cap;
    }
    st->made[st->n++] = (unsigned char)made;
    return 0;
}

/* Copies the children of src_container under dst_parent. Elements take ns
 * (the XHTML or MathML namespace, or none); attributes with a namespace
 * other than xml: are left out (HTML syntax has no way to write them).
 * Safe mode copies only what xw_safe.c allows: other elements are left out
 * with their content (script, iframe ...) or without it (unknown ones). */
static int copy_children(dp_xw *w, xmlNodePtr src_container, xmlNodePtr dst_parent, xmlNsPtr ns)
{
    xmlNodePtr src = src_container->children;
    xmlNodePtr dst = dst_parent;
    int xml_out = XW_IS_XML(w);
    level_stack levels = {NULL, 0, 0};
    int rc = 0;

    while (src) {
        xmlNodePtr copy = NULL;
        int unwrap = 0;
        switch (src->type) {
        case XML_ELEMENT_NODE: {
            /* children take their parent's namespace; svg and math open
             * their own (in XHTML; HTML syntax needs no declaration) */
            xmlNsPtr el_ns = dst == dst_parent ? ns : dst->ns;
            const char *own = xmlStrEqual(src->name, BAD_CAST "svg")    ? "http://www.w3.org/2000/svg"
                              : xmlStrEqual(src->name, BAD_CAST "math") ? XW_MATHML_NS
                                                                         : NULL;
            if (xmlValidateName(src->name, 0) != 0)
                break;
            if (w->opts.safe) {
                xw_safe_verdict v = xw_safe_element((const char *)src->name);
                if (v == XW_SAFE_KEEP && unsafe_source(src))
                    v = XW_SAFE_DROP;
                if (v != XW_SAFE_KEEP) {
                    w->safe_removed++;
                    unwrap = v == XW_SAFE_UNWRAP; /* else with its whole subtree */
                    break;
                }
            }
            copy = own ? xmlNewDocNode(dst_parent->doc, el_ns, src->name, NULL)
                       : xw_make_elem(w, dst_parent, el_ns, (const char *)src->name);
            if (!copy) {
                rc = DP_ENOMEM;
                goto done;
            }
            if (own && xml_out && (!el_ns || !xmlStrEqual(el_ns->href, BAD_CAST own)))
                xmlSetNs(copy, xmlNewNs(copy, BAD_CAST own, NULL));
            for (xmlAttrPtr a = src->properties; a; a = a->next) {
                xmlChar *v;
                if (xmlValidateName(a->name, 0) != 0)
                    continue;
                if (a->ns && !xmlStrEqual(a->ns->href, XML_XML_NAMESPACE))
                    continue;
                if (!a->ns && xw_x11_drops(w, copy, (const char *)a->name))
                    continue;
                v = xmlNodeGetContent((xmlNodePtr)a);
                if (w->opts.safe &&
                    !xw_safe_attribute((const char *)src->name, (const char *)a->name, (const char *)v)) {
                    w->safe_removed++;
                    xmlFree(v);
                    continue;
                }
                if (!a->ns && xmlStrEqual(a->name, BAD_CAST "class") && xmlHasProp(copy, a->name)) {
                    xw_set(w, copy, "class", (const char *)v); /* after the class of a renamed element */
                } else if (a->ns && xml_out) {
                    xmlNsPtr xmlns = xmlSearchNsByHref(dst_parent->doc, dst_parent, XML_XML_NAMESPACE);
                    xmlSetNsProp(copy, xmlns, a->name, v ? v : BAD_CAST "");
                } else if (a->ns) {
                    xmlSetProp(copy, a->name, v ? v : BAD_CAST ""); /* xml:lang -> lang */
                } else {
                    xmlSetProp(copy, a->name, v ? v : BAD_CAST "");
                }
                xmlFree(v);
            }
            break;
        }
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            copy = xmlNewDocText(dst_parent->doc, src->content);
            break;
        case XML_COMMENT_NODE:
            /* an XML comment may not hold "--" nor end with "-" */
            if (!xml_out || (src->content && !strstr((const char *)src->content, "--") &&
                             src->content[0] && src->content[xmlStrlen(src->content) - 1] != '-'))
                copy = xmlNewDocComment(dst_parent->doc, src->content);
            break;
        default:
            break; /* processing instructions, entity refs ... */
        }
        if (copy && !xmlAddChild(dst, copy)) {
            xmlFreeNode(copy);
            copy = NULL;
        }
        if ((copy || unwrap) && src->type == XML_ELEMENT_NODE && src->children) {
            if ((rc = push_level(&levels, copy != NULL)) != 0)
                goto done;
            src = src->children;
            if (copy)
                dst = copy;
            continue;
        }
        while (src && !src->next) {
            src = src->parent;
            if (!src || src == src_container) {
                src = NULL;
                break;
            }
            if (levels.made[--levels.n])
                dst = dst->parent;
        }
        if (src)
            src = src->next;
    }
done:
    free(levels.made);
    return rc;
}

static xmlNodePtr find_child(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrcasecmp(c->name, BAD_CAST name) == 0)
            return c;
    return NULL;
}

int xw_import_html(dp_xw *w, const dp_node *origin, const char *text, size_t len, xmlNodePtr parent,
                   int is_block)
{
    /* A wrapper element keeps libxml2 from putting leading text into an
     * implied <p>; content that closes it early lands after it in <body>,
     * so everything in <body> is copied. */
    static const char open[] = "<!DOCTYPE html><html><body><div>";
    static const char close[] = "</div></body></html>";
    htmlParserCtxtPtr pc;
    xmlDocPtr src;
    xmlNodePtr html, body, head;
    int rc = 0;
    (void)is_block;

    pc = htmlCreatePushParserCtxt(NULL, NULL, NULL, 0, NULL, XML_CHAR_ENCODING_UTF8);
    if (!pc)
        return DP_ENOMEM;
    htmlCtxtUseOptions(pc, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
    htmlParseChunk(pc, open, (int)(sizeof open - 1), 0);
    htmlParseChunk(pc, text, (int)len, 0);
    htmlParseChunk(pc, close, (int)(sizeof close - 1), 1);
    src = pc->myDoc;
    pc->myDoc = NULL;
    htmlFreeParserCtxt(pc);
    if (!src)
        return 0;
    html = xmlDocGetRootElement(src);
    head = find_child(html, "head");
    body = find_child(html, "body");
    if (head && head->children && w->ctx)
        dp_warn(w->ctx, "raw HTML: head content (title, meta, style ...) has no place in the body and was dropped");
    if (body) {
        xmlNodePtr wrapper = body->children;
        xmlNsPtr ns = xw_html_ns(w, parent);
        if (wrapper && wrapper->type == XML_ELEMENT_NODE && xmlStrEqual(wrapper->name, BAD_CAST "div")) {
            rc = copy_children(w, wrapper, parent, ns);
            /* what followed an early </div> */
            if (rc == 0 && wrapper->next) {
                xmlNodePtr rest = xmlNewDocNode(src, NULL, BAD_CAST "div", NULL);
                xmlNodePtr n = wrapper->next;
                while (rest && n) {
                    xmlNodePtr next = n->next;
                    xmlUnlinkNode(n);
                    xmlAddChild(rest, n);
                    n = next;
                }
                if (rest) {
                    xmlAddChild(body, rest);
                    rc = copy_children(w, rest, parent, ns);
                }
            }
        } else {
            rc = copy_children(w, body, parent, ns);
        }
    }
    xmlFreeDoc(src);
    if (w->safe_removed && w->ctx)
        dp_warn_node(w->ctx, origin, "safe: removed %zu script-capable element(s), handler(s) or URL(s) from raw HTML",
                     w->safe_removed);
    w->safe_removed = 0;
    return rc;
}

int xw_import_mathml(dp_xw *w, const char *text, size_t len, xmlNodePtr parent)
{
    xmlDocPtr src;
    xmlNodePtr root, math, holder;
    xmlNsPtr ns;
    int rc;

    src = xmlReadMemory(text, (int)len, NULL, "UTF-8",
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!src)
        return DP_EINPUT;
    root = xmlDocGetRootElement(src);
    if (!root || !xmlStrEqual(root->name, BAD_CAST "math") ||
        (root->ns && !xmlStrEqual(root->ns->href, BAD_CAST XW_MATHML_NS))) {
        xmlFreeDoc(src);
        return DP_EINPUT;
    }
    math = xmlNewDocNode(parent->doc, NULL, BAD_CAST "math", NULL);
    if (!math) {
        xmlFreeDoc(src);
        return DP_ENOMEM;
    }
    ns = xmlNewNs(math, BAD_CAST XW_MATHML_NS, NULL);
    xmlSetNs(math, ns);
    for (xmlAttrPtr a = root->properties; a; a = a->next) {
        xmlChar *v;
        if (a->ns)
            continue;
        v = xmlNodeGetContent((xmlNodePtr)a);
        xmlSetProp(math, a->name, v ? v : BAD_CAST "");
        xmlFree(v);
    }
    holder = math;
    rc = copy_children(w, root, holder, ns);
    xmlFreeDoc(src);
    if (rc != 0) {
        xmlFreeNode(math);
        return rc;
    }
    if (!xmlAddChild(parent, math)) {
        xmlFreeNode(math);
        return DP_ENOMEM;
    }
    return 0;
}
