/* TEI importer: <egXML> examples -> code.
 *
 * An <egXML> (namespace http://www.tei-c.org/ns/Examples) holds markup that
 * is an example, meant to be shown, not read: the TEI Consortium's own
 * stylesheets print it as XML text. So it is read as code of language "xml"
 * whose text is the example serialised: a code block where blocks go (and
 * where it spans lines inside a <p>, as <eg> does), inline code otherwise.
 * Every writer shows code; the attribute TEI_EGXML_KEY tells the TEI writer
 * to put the example back as a real <egXML> (tei_write_egxml.c). */
#include "tei_read_internal.h"

#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

int tr_is_egxml(const xmlNode *e)
{
    return e && e->type == XML_ELEMENT_NODE && e->ns && e->ns->href &&
           strcmp((const char *)e->ns->href, TEI_EXAMPLES_NS) == 0 && strcmp((const char *)e->name, "egXML") == 0;
}

/* The copy's elements in the Examples namespace as the default one lose it,
 * and the copy's root its declaration: in the example's text they are
 * plain <p>, <div>, as the author wrote them (the namespace is the egXML's,
 * which the TEI writer declares again). */
static void drop_default_examples_ns(xmlNodePtr top)
{
    for (xmlNodePtr n = top; n; n = (xmlNodePtr)tei_next_node(n, top))
        if (n->type == XML_ELEMENT_NODE && n->ns && !n->ns->prefix && n->ns->href &&
            strcmp((const char *)n->ns->href, TEI_EXAMPLES_NS) == 0)
            n->ns = NULL;
    for (xmlNsPtr *p = &top->nsDef; *p;) {
        xmlNsPtr ns = *p;
        if (!ns->prefix && ns->href && strcmp((const char *)ns->href, TEI_EXAMPLES_NS) == 0) {
            *p = ns->next;
            ns->next = NULL;
            xmlFreeNs(ns);
        } else {
            p = &ns->next;
        }
    }
}

/* The content of e as XML text, each element child copied into a document
 * of its own: a namespace it uses that is declared above it (a prefix
 * declared on the TEI root) is declared on it, so the text parses alone. */
static int serialise_children(const xmlNode *e, xmlBufferPtr b)
{
    for (xmlNodePtr c = e->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            if (xmlNodeDump(b, e->doc, c, 0, 0) < 0)
                return -1;
            continue;
        }
        xmlDocPtr tmp = xmlNewDoc(BAD_CAST "1.0");
        xmlNodePtr copy = tmp ? xmlDocCopyNode(c, tmp, 1) : NULL;
        if (!copy) {
            xmlFreeDoc(tmp);
            return -1;
        }
        xmlDocSetRootElement(tmp, copy);
        drop_default_examples_ns(copy);
        int rc = xmlNodeDump(b, tmp, copy, 0, 0);
        xmlFreeDoc(tmp);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Width of a line's indentation in columns (tabs to the next multiple of 8),
 * and its length in bytes. */
static size_t indent_width(const char *s, size_t len, size_t *bytes)
{
    size_t w = 0, i = 0;
    for (; i < len && (s[i] == ' ' || s[i] == '\t'); i++)
        w = s[i] == '\t' ? (w / 8 + 1) * 8 : w + 1;
    *bytes = i;
    return w;
}

/* The example's text without the blank lines around it and without the
 * indentation its lines share (it was the indentation of the TEI around
 * the example, not the example's). A first line that follows the opening
 * tag on its line has no indentation of its own: it is left out of the
 * measure. Lines of blanks become empty. */
static int dedent(const char *s, size_t len, dp_buf *out)
{
    size_t start = 0, end = len;
    int first_follows_tag = 1;
    /* blank lines before the first one with text */
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n') {
            start = i + 1;
            first_follows_tag = 0;
        } else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') {
            break;
        }
    }
    while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\n' || s[end - 1] == '\r'))
        end--;
    size_t common = (size_t)-1;
    for (size_t i = start, line = 0; i < end; line++) {
        const char *nl = memchr(s + i, '\n', end - i);
        size_t n = nl ? (size_t)(nl - (s + i)) : end - i, bytes;
        size_t w = indent_width(s + i, n, &bytes);
        if (bytes < n && !(line == 0 && first_follows_tag) && w < common)
            common = w;
        i += n + 1;
    }
    if (common == (size_t)-1)
        common = 0;
    for (size_t i = start, line = 0; i < end; line++) {
        const char *nl = memchr(s + i, '\n', end - i);
        size_t n = nl ? (size_t)(nl - (s + i)) : end - i, bytes;
        size_t w = indent_width(s + i, n, &bytes);
        int rc = 0;
        if (line > 0)
            rc = dp_buf_append(out, "\n", 1);
        if (bytes == n) {
            /* a line of blanks: empty */
        } else if (line == 0 && first_follows_tag) {
            rc = rc < 0 ? rc : dp_buf_append(out, s + i + bytes, n - bytes);
        } else if (common == 0) {
            rc = rc < 0 ? rc : dp_buf_append(out, s + i, n);
        } else {
            for (size_t k = common; k < w && rc >= 0; k++)
                rc = dp_buf_append(out, " ", 1);
            rc = rc < 0 ? rc : dp_buf_append(out, s + i + bytes, n - bytes);
        }
        if (rc < 0)
            return -1;
        i += n + 1;
    }
    return 0;
}

/* The example's text (a fresh dp_buf), NULL when out of memory. */
static dp_buf *example_text(const xmlNode *e)
{
    xmlBufferPtr b = xmlBufferCreate();
    dp_buf *out = NULL;
    if (!b || serialise_children(e, b) < 0 || dp_buf_new(&out) < 0 ||
        dedent((const char *)xmlBufferContent(b), (size_t)xmlBufferLength(b), out) < 0) {
        dp_buf_free(out);
        out = NULL;
    }
    xmlBufferFree(b);
    return out;
}

int tr_egxml_spans_lines(const xmlNode *e)
{
    dp_buf *t = example_text(e);
    int lines = t && memchr(dp_buf_data(t), '\n', dp_buf_len(t)) != NULL;
    dp_buf_free(t);
    return lines;
}

void tr_read_egxml(tr *r, dp_node *parent, const xmlNode *e, dp_kind kind)
{
    dp_buf *t = example_text(e);
    dp_node *n = t ? dp_node_new_text(r->doc, kind, (const char *)dp_buf_data(t), dp_buf_len(t)) : NULL;
    dp_buf_free(t);
    if (!n) {
        tr_nomem(r);
        return;
    }
    dp_node_set_pos(n, e->line > 0 ? (int)e->line : 0, 0);
    dp_node_add_class(n, "xml"); /* the language: the first class */
    dp_node_set_attr(n, TEI_EGXML_KEY, "egXML");
    tr_read_attrs(r, n, e, NULL); /* xml:id, rend, valid, source ... */
    tr_add(r, parent, n);
}
