/* A <math> element of an (X)HTML or TEI tree -> the tree's canonical MathML,
 * its TeX annotation, alt text and display flag. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mathconv.h"

static const char *local_name(const xmlChar *name)
{
    const char *n = (const char *)name;
    const char *colon = n ? strrchr(n, ':') : NULL;
    return colon ? colon + 1 : n ? n : "";
}

int mathconv_is_math(xmlNodePtr el)
{
    if (!el || el->type != XML_ELEMENT_NODE)
        return 0;
    if (el->ns && el->ns->href)
        return xmlStrEqual(el->ns->href, BAD_CAST MATHCONV_MATHML_NS) && xmlStrEqual(el->name, BAD_CAST "math");
    return strcasecmp(local_name(el->name), "math") == 0;
}

static char *attr(xmlNodePtr el, const char *name)
{
    for (xmlAttrPtr a = el->properties; a; a = a->next)
        if (strcasecmp(local_name(a->name), name) == 0) {
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
            char *s = v ? strdup((const char *)v) : NULL;
            xmlFree(v);
            return s;
        }
    return NULL;
}

static int is_empty_element(const char *name)
{
    static const char *const empty[] = {"mspace", "none", "mprescripts", "malignmark", "maligngroup", "mglyph", NULL};
    for (int i = 0; empty[i]; i++)
        if (strcmp(name, empty[i]) == 0)
            return 1;
    return 0;
}

static int is_tex_encoding(const char *enc)
{
    return enc && (strcasecmp(enc, "application/x-tex") == 0 || strcasecmp(enc, "tex") == 0 ||
                   strcasecmp(enc, "latex") == 0 || strcasecmp(enc, "application/x-latex") == 0 ||
                   strcasecmp(enc, "text/x-latex") == 0 || strcasecmp(enc, "text/x-tex") == 0);
}

/* Puts every element of the copy in ns under its local name, drops prefixed
 * and xmlns attributes, and moves the children an HTML parser gave an empty
 * element after it. Iterative: formulas may be deep. */
static void normalise(xmlNodePtr root, xmlNsPtr ns, mathconv_read *out)
{
    xmlNodePtr n = root;
    while (n) {
        if (n->type == XML_ELEMENT_NODE) {
            const char *ln = local_name(n->name);
            if (ln != (const char *)n->name) {
                xmlChar *copy = xmlStrdup(BAD_CAST ln);
                if (copy)
                    xmlNodeSetName(n, copy);
                xmlFree(copy);
            }
            xmlSetNs(n, ns);
            for (xmlAttrPtr a = n->properties, next; a; a = next) {
                next = a->next;
                const char *an = (const char *)a->name;
                if (strncmp(an, "xmlns", 5) == 0 || strchr(an, ':') || (a->ns && !xmlStrEqual(a->ns->prefix, BAD_CAST "xml")))
                    xmlRemoveProp(a);
            }
            if (is_empty_element((const char *)n->name)) {
                while (n->last) {
                    xmlNodePtr c = n->last;
                    xmlUnlinkNode(c);
                    xmlAddNextSibling(n, c);
                }
            }
            if (!out->tex && strcmp((const char *)n->name, "annotation") == 0) {
                char *enc = attr(n, "encoding");
                if (is_tex_encoding(enc)) {
                    xmlChar *t = xmlNodeGetContent(n);
                    out->tex = t ? strdup((const char *)t) : NULL;
                    xmlFree(t);
                }
                free(enc);
            }
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && n != root && !n->next)
            n = n->parent;
        if (!n || n == root)
            break;
        n = n->next;
    }
}

int mathconv_read_math(xmlNodePtr el, mathconv_read *out)
{
    memset(out, 0, sizeof *out);
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr copy = doc ? xmlDocCopyNode(el, doc, 1) : NULL;
    if (!copy) {
        xmlFreeDoc(doc);
        return -1;
    }
    xmlDocSetRootElement(doc, copy);
    /* in the end one default namespace declaration, on the root, and no
     * other: the old ones stay until no element or attribute uses them */
    xmlNsPtr ns = NULL;
    for (xmlNsPtr d = copy->nsDef; d && !ns; d = d->next)
        if (!d->prefix && xmlStrEqual(d->href, BAD_CAST MATHCONV_MATHML_NS))
            ns = d;
    int own = !ns;
    if (own && !(ns = xmlNewNs(NULL, BAD_CAST MATHCONV_MATHML_NS, NULL))) {
        xmlFreeDoc(doc);
        return -1;
    }
    normalise(copy, ns, out);
    xmlNsPtr keep = NULL, d = copy->nsDef;
    while (d) {
        xmlNsPtr next = d->next;
        d->next = NULL;
        if (d == ns)
            keep = d;
        else
            xmlFreeNs(d);
        d = next;
    }
    copy->nsDef = own ? ns : keep;
    char *disp = attr(copy, "display"), *mode = attr(copy, "mode");
    out->display = (disp && strcasecmp(disp, "block") == 0) || (mode && strcasecmp(mode, "display") == 0);
    free(disp);
    free(mode);
    out->alt = attr(copy, "alttext");
    if (!out->alt)
        out->alt = attr(copy, "aria-label");
    xmlBufferPtr b = xmlBufferCreate();
    if (b && xmlNodeDump(b, doc, copy, 0, 0) >= 0)
        out->mathml = strdup((const char *)xmlBufferContent(b));
    xmlBufferFree(b);
    xmlFreeDoc(doc);
    if (!out->mathml) {
        mathconv_read_free(out);
        return -1;
    }
    return 0;
}

void mathconv_read_free(mathconv_read *r)
{
    free(r->mathml);
    free(r->tex);
    free(r->alt);
    memset(r, 0, sizeof *r);
}
