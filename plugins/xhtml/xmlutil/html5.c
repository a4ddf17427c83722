/* gumbo's HTML5 tree -> libxml2 tree (see html5.h). The copy is
 * iterative: nesting depth cannot exhaust the C stack. */
#include "html5.h"

#include <docpipe/dp_common.h>

#include <ctype.h>
#include <gumbo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SVG_NS "http://www.w3.org/2000/svg"
#define MATHML_NS "http://www.w3.org/1998/Math/MathML"
#define XLINK_NS "http://www.w3.org/1999/xlink"

/* ------------------------------------------------------------------ */
/* Depth bound, before parsing. Start tags minus end tags, not counting the
 * elements that need no end tag (void elements, and those the parser closes
 * by itself: p, li, td ...), comments, or the text of script/style. An
 * upper bound of the tree's depth for real pages; hostile nesting
 * ("<div>" x 100 000) is caught in linear time. */

static int tag_is(const char *p, const char *end, const char *name)
{
    size_t n = strlen(name);
    return (size_t)(end - p) > n && strncasecmp(p, name, n) == 0 &&
           !isalnum((unsigned char)p[n]) && p[n] != '-';
}

/* Whether the tag name at p (its letters, digits and '-' up to the first
 * other byte, before end) is one the parser closes by itself. The name's
 * length is found once and each candidate compared only when its length
 * and first letter agree (issue 23: 34 strncasecmp calls a tag were 1.4 %
 * of a 10 MB html->md). */
static int closes_itself(const char *p, const char *end)
{
    static const char *const names[] = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                                        "meta", "source", "track", "wbr", "param", "keygen", "p", "li", "dt",
                                        "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp",
                                        "colgroup", "thead", "tbody", "tfoot", "html", "head", "body", NULL};
    size_t n = 0;
    while (p + n < end && (isalnum((unsigned char)p[n]) || p[n] == '-'))
        n++;
    if (p + n >= end)
        return 0; /* as tag_is: a name must have a byte after it */
    int first = tolower((unsigned char)p[0]);
    for (int i = 0; names[i]; i++)
        if (names[i][0] == first && strlen(names[i]) == n && strncasecmp(p, names[i], n) == 0)
            return 1;
    return 0;
}

static const char *find_ci(const char *p, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (; (size_t)(end - p) >= n; p++)
        if (strncasecmp(p, needle, n) == 0)
            return p;
    return end;
}

static int too_deep(const char *s, size_t len, int max_depth, int *line)
{
    const char *p = s, *end = s + len;
    long depth = 0;
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt)
            break;
        p = lt + 1;
        if (p < end && *p == '!') {
            const char *e = (end - p >= 3 && p[1] == '-' && p[2] == '-') ? find_ci(p, end, "-->") : memchr(p, '>', (size_t)(end - p));
            p = e ? e : end;
            continue;
        }
        int closing = p < end && *p == '/';
        const char *name = p + closing;
        if (name >= end || !isalpha((unsigned char)*name))
            continue;
        const char *gt = memchr(name, '>', (size_t)(end - name));
        if (!gt)
            break;
        if (closes_itself(name, end) || gt[-1] == '/')
            continue;
        if (closing) {
            depth -= depth > 0;
            continue;
        }
        if (tag_is(name, end, "script") || tag_is(name, end, "style")) {
            p = find_ci(gt, end, tag_is(name, end, "script") ? "</script" : "</style");
            continue;
        }
        if (++depth > max_depth) {
            /* the line, counted only now: counting it at every tag was
             * 0.9 % of a 10 MB html->md */
            int ln = 1;
            for (const char *q = s; q < lt; q++)
                ln += *q == '\n';
            *line = ln;
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* The element's name: gumbo's for the tags it knows, else the source's
 * (lowercase; SVG's camelCase names restored). */
static xmlChar *element_name(const GumboElement *e)
{
    if (e->tag != GUMBO_TAG_UNKNOWN && e->tag_namespace != GUMBO_NAMESPACE_SVG)
        return xmlStrdup(BAD_CAST gumbo_normalized_tagname(e->tag));
    GumboStringPiece piece = e->original_tag;
    gumbo_tag_from_original_text(&piece);
    if (e->tag_namespace == GUMBO_NAMESPACE_SVG) {
        const char *svg = gumbo_normalize_svg_tagname(&piece);
        if (svg)
            return xmlStrdup(BAD_CAST svg);
        if (e->tag != GUMBO_TAG_UNKNOWN)
            return xmlStrdup(BAD_CAST gumbo_normalized_tagname(e->tag));
    }
    if (!piece.data || piece.length == 0)
        return xmlStrdup(BAD_CAST "unknown");
    xmlChar *name = xmlStrndup(BAD_CAST piece.data, (int)piece.length);
    if (name)
        lower((char *)name);
    return name;
}

static xmlNsPtr own_ns(xmlNodePtr el, const char *href)
{
    xmlNsPtr ns = xmlSearchNsByHref(el->doc, el, BAD_CAST href);
    return ns ? ns : xmlNewNs(el, BAD_CAST href, strcmp(href, XLINK_NS) == 0 ? BAD_CAST "xlink" : NULL);
}

static int copy_attributes(xmlNodePtr el, const GumboElement *e)
{
    for (unsigned i = 0; i < e->attributes.length; i++) {
        const GumboAttribute *a = e->attributes.data[i];
        xmlAttrPtr made;
        if (a->attr_namespace == GUMBO_ATTR_NAMESPACE_XMLNS)
            continue; /* the namespaces are the elements' own */
        if (a->attr_namespace == GUMBO_ATTR_NAMESPACE_XML)
            made = xmlSetNsProp(el, xmlSearchNsByHref(el->doc, el, XML_XML_NAMESPACE), BAD_CAST a->name,
                                BAD_CAST a->value);
        else if (a->attr_namespace == GUMBO_ATTR_NAMESPACE_XLINK)
            made = xmlSetNsProp(el, own_ns(el, XLINK_NS), BAD_CAST a->name, BAD_CAST a->value);
        else if (xmlHasProp(el, BAD_CAST a->name))
            continue; /* gumbo drops duplicates; never two of a name */
        else
            made = xmlNewProp(el, BAD_CAST a->name, BAD_CAST a->value);
        if (!made)
            return -1;
    }
    return 0;
}

static xmlNodePtr make_element(xmlDocPtr doc, xmlNodePtr parent, const GumboElement *e)
{
    xmlChar *name = element_name(e);
    if (!name)
        return NULL;
    xmlNodePtr el = xmlNewDocNodeEatName(doc, NULL, name, NULL);
    if (!el)
        return NULL;
    if (!xmlAddChild(parent, el)) {
        xmlFreeNode(el);
        return NULL;
    }
    if (e->tag_namespace != GUMBO_NAMESPACE_HTML) {
        const char *href = e->tag_namespace == GUMBO_NAMESPACE_SVG ? SVG_NS : MATHML_NS;
        xmlNsPtr ns = parent->type == XML_ELEMENT_NODE ? xmlSearchNsByHref(doc, parent, BAD_CAST href) : NULL;
        xmlSetNs(el, ns ? ns : xmlNewNs(el, BAD_CAST href, NULL));
    }
    el->line = e->start_pos.line < 65535 ? (unsigned short)e->start_pos.line : 65535;
    if (copy_attributes(el, e) < 0)
        return NULL;
    return el;
}

static xmlNodePtr make_leaf(xmlDocPtr doc, const GumboNode *g)
{
    const char *t = g->v.text.text ? g->v.text.text : "";
    switch (g->type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_WHITESPACE:
        return xmlNewDocText(doc, BAD_CAST t);
    case GUMBO_NODE_CDATA:
        return xmlNewCDataBlock(doc, BAD_CAST t, (int)strlen(t));
    case GUMBO_NODE_COMMENT:
        return xmlNewDocComment(doc, BAD_CAST t);
    default:
        return NULL;
    }
}

/* Copies the children of from (a GumboVector of nodes) under to, depth
 * first with an explicit stack. */
static int copy_tree(xmlDocPtr doc, const GumboVector *from, xmlNodePtr to)
{
    struct level {
        const GumboVector *kids;
        unsigned next;
        xmlNodePtr parent;
    } *stack = NULL;
    size_t depth = 0, cap = 0;
    int rc = 0;

    if (DP_ARRAY_RESERVE(stack, cap, 64))
        return -1;
    stack[depth++] = (struct level){from, 0, to};
    while (depth && rc == 0) {
        struct level *lv = &stack[depth - 1];
        if (lv->next >= lv->kids->length) {
            depth--;
            continue;
        }
        const GumboNode *g = lv->kids->data[lv->next++];
        if (g->type == GUMBO_NODE_ELEMENT || g->type == GUMBO_NODE_TEMPLATE) {
            xmlNodePtr el = make_element(doc, lv->parent, &g->v.element);
            if (!el) {
                rc = -1;
                break;
            }
            if (g->v.element.children.length == 0)
                continue;
            if (depth == cap && DP_ARRAY_RESERVE(stack, cap, depth + 1)) {
                rc = -1;
                break;
            }
            stack[depth++] = (struct level){&g->v.element.children, 0, el};
        } else {
            xmlNodePtr leaf = make_leaf(doc, g);
            if (leaf && !xmlAddChild(lv->parent, leaf)) {
                xmlFreeNode(leaf);
                rc = -1;
            }
        }
    }
    free(stack);
    return rc;
}

/* The head of gumbo's GumboError (error.h, which libgumbo-dev does not
 * install; 0.10.1): its type, then where it is. Only the position is read. */
struct error_head {
    int type;
    GumboSourcePosition position;
};

xmlDocPtr html5_parse(const char *text, size_t len, int fragment, int max_depth, html5_result *res)
{
    html5_result dummy;
    if (!res)
        res = &dummy;
    memset(res, 0, sizeof *res);
    if (max_depth > 0 && too_deep(text, len, max_depth, &res->depth_line)) {
        res->too_deep = 1;
        return NULL;
    }
    GumboOptions opts = kGumboDefaultOptions;
    if (fragment) {
        opts.fragment_context = GUMBO_TAG_DIV;
        opts.fragment_namespace = GUMBO_NAMESPACE_HTML;
    }
    GumboOutput *out = gumbo_parse_with_options(&opts, text, len);
    if (!out)
        return NULL;
    res->errors = (int)out->errors.length;
    for (unsigned i = 0; i < out->errors.length && res->nwhere < DP_HTML5_WHERE; i++) {
        const struct error_head *e = out->errors.data[i];
        if (e->position.offset == 0 && !out->document->v.document.has_doctype) {
            res->errors--; /* a page (or a fragment) without <!DOCTYPE>: not worth a word */
            continue;
        }
        res->where[res->nwhere].line = (int)e->position.line;
        res->where[res->nwhere].column = (int)e->position.column;
        res->nwhere++;
    }
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = NULL;
    int rc = -1;
    if (doc) {
        const GumboDocument *d = &out->document->v.document;
        if (!fragment && d->has_doctype)
            xmlCreateIntSubset(doc, BAD_CAST (d->name && d->name[0] ? d->name : "html"),
                               d->public_identifier && d->public_identifier[0] ? BAD_CAST d->public_identifier : NULL,
                               d->system_identifier && d->system_identifier[0] ? BAD_CAST d->system_identifier : NULL);
        if (fragment) {
            root = xmlNewDocNode(doc, NULL, BAD_CAST "html", NULL);
            if (root) {
                xmlDocSetRootElement(doc, root);
                rc = copy_tree(doc, &out->root->v.element.children, root);
            }
        } else {
            /* the document's children: comments before <html>, <html> */
            rc = copy_tree(doc, &d->children, (xmlNodePtr)doc);
        }
    }
    gumbo_destroy_output(&opts, out);
    if (rc < 0) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}
