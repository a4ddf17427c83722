/* Raw HTML from the tree, parsed as browsers do (html5.h, gumbo), and
 * MathML, parsed by libxml2 (network off, no external entities, no DTD
 * loading), and copied node by node into the output
 * document in the writer's flavour. Copying is iterative: nesting depth in
 * the raw source cannot exhaust the C stack. */
#include "xw_internal.h"

#include "html5.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h> /* xmlStringTextNoenc */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char xw_raw_attr_mark = 1;

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
    if (DP_ARRAY_RESERVE(st->made, st->cap, st->n + 1))
        return DP_ENOMEM;
    st->made[st->n++] = (unsigned char)made;
    return 0;
}

/* Safe mode: each removal is reported, at the raw node copied (a run of
 * raw HTML parsed together names its first node). */
static void removed(xw_writer *w, const char *what, const xmlChar *name)
{
    w->safe_removed++;
    if (w->ctx)
        dp_warn_node(w->ctx, w->raw_origin, "safe: removed %s '%s' from raw HTML", what, (const char *)name);
}

/* Copies the children of src_container under dst_parent. Elements take ns
 * (the XHTML or MathML namespace, or none); attributes with a namespace
 * other than xml: are left out (HTML syntax has no way to write them).
 * Safe mode copies only what xw_safe.c allows: other elements are left out
 * with their content (script, iframe ...) or without it (unknown ones). */
static int copy_children(xw_writer *w, xmlNodePtr src_container, xmlNodePtr dst_parent, xmlNsPtr ns)
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
            int slot = xw_is_slot(src);
            if (w->opts.safe && !slot) {
                xw_safe_verdict v = xw_safe_element((const char *)src->name);
                if (v == XW_SAFE_KEEP && unsafe_source(src))
                    v = XW_SAFE_DROP;
                if (v != XW_SAFE_KEEP) {
                    removed(w, "element", src->name);
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
                if (w->opts.safe && !slot &&
                    !xw_safe_attribute((const char *)src->name, (const char *)a->name, (const char *)v)) {
                    removed(w, "attribute", a->name);
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
                    xmlAttrPtr made = xmlSetProp(copy, a->name, v ? v : BAD_CAST "");
                    if (made)
                        made->_private = (void *)&xw_raw_attr_mark; /* its URL written as it is */
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

int xw_import_html(xw_writer *w, const dp_node *origin, const char *text, size_t len, xmlNodePtr parent,
                   int is_block)
{
    /* Parsed as the content of a <div>, as browsers parse markup put into a
     * page (HTML5 fragment parsing): what the standard's tree building makes
     * of it, also for markup that is not well-formed. */
    const dp_limits *lim = w->ctx ? dp_ctx_limits(w->ctx) : NULL;
    int max_depth = lim && lim->max_depth > 0 ? lim->max_depth : 10000;
    html5_result res;
    xmlDocPtr src;
    int rc = 0;
    (void)is_block;

    w->raw_origin = origin;
    /* HTML5 fragment parsing ignores a doctype: said, not silent */
    for (size_t i = 0; w->ctx && i + 9 <= len; i++)
        if (text[i] == '<' && strncasecmp(text + i, "<!doctype", 9) == 0) {
            dp_warn_node(w->ctx, origin, "raw HTML: a <!DOCTYPE> inside the page dropped (as browsers do)");
            break;
        }
    src = html5_parse(text, len, 1, 4 * max_depth, &res);
    if (!src && res.too_deep) {
        if (w->ctx)
            dp_warn_node(w->ctx, origin, "raw HTML nested deeper than %d elements: kept as text", 4 * max_depth);
        xw_add_text(parent, text, len);
        return 0;
    }
    if (!src)
        return DP_ENOMEM;
    rc = copy_children(w, xmlDocGetRootElement(src), parent, xw_html_ns(w, parent));
    xmlFreeDoc(src);
    w->safe_removed = 0;
    w->raw_origin = NULL;
    return rc;
}

int xw_raw_verbatim(const xw_writer *w)
{
    return !XW_IS_XML(w) && !w->opts.safe;
}

void xw_add_verbatim(xmlNodePtr parent, const char *text, size_t len)
{
    xmlNodePtr t = len ? xmlNewDocTextLen(parent->doc, BAD_CAST text, (int)len) : NULL;
    if (!t)
        return;
    t->name = xmlStringTextNoenc;
    if (!xmlAddChild(parent, t)) /* (a merge into the verbatim text before frees t itself) */
        xmlFreeNode(t);
}

int xw_import_mathml(xw_writer *w, const char *text, size_t len, xmlNodePtr parent)
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
