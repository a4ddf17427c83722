/* Raw HTML parsed together with what follows it in its container.
 *
 * Markdown keeps raw HTML as separate nodes: CommonMark ends an HTML block
 * at a blank line and splits inline HTML tag by tag, so "<details>
 * <summary>More</summary>", a paragraph and "</details>" are three
 * siblings. A renderer that writes text (cmark-gfm) puts them one after the
 * other and the browser parses the whole: the paragraph is inside
 * <details>. Parsing each raw node alone would close <details> at once.
 *
 * So from the first raw HTML node of a container to the container's end,
 * the raw nodes' text and a placeholder element for each other node
 * (<dp-slot n="K"></dp-slot>) are parsed as one piece of HTML, as browsers
 * parse it; each node is then written into its placeholder, and the
 * placeholders are unwrapped when the container ends. A node whose
 * placeholder the parse did not keep as an element (it fell inside
 * <textarea>, a comment, an attribute ...) is written after the run: its
 * content is never lost, and the placeholder's text is removed. */
#include "xw_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SLOT_NAME "dp-slot"
#define SLOT_OPEN "<" SLOT_NAME " n=\""
#define SLOT_CLOSE "\"></" SLOT_NAME ">"

int xw_is_raw_html(const dp_node *n)
{
    dp_kind k = dp_node_kind(n);
    const char *fmt = dp_node_format(n);
    return (k == DP_RAW_BLOCK || k == DP_RAW_INLINE) && fmt &&
           (strcasecmp(fmt, "html") == 0 || strcasecmp(fmt, "html5") == 0 || strcasecmp(fmt, "html4") == 0 ||
            strcasecmp(fmt, "xhtml") == 0);
}

/* Removes every placeholder written into text (the parse kept it as text). */
static void strip_placeholders(xmlNodePtr n)
{
    xmlChar *t = xmlNodeGetContent(n);
    if (!t)
        return;
    if (!strstr((const char *)t, SLOT_OPEN)) {
        xmlFree(t);
        return;
    }
    char *s = (char *)t, *o = s;
    for (char *p = s; *p;) {
        char *close;
        if (strncmp(p, SLOT_OPEN, sizeof SLOT_OPEN - 1) == 0 && (close = strstr(p, SLOT_CLOSE)) != NULL) {
            p = close + sizeof SLOT_CLOSE - 1;
            continue;
        }
        *o++ = *p++;
    }
    *o = '\0';
    xmlNodeSetContent(n, t);
    xmlFree(t);
}

/* Collects the placeholders in the nodes from first to the end of parent
 * (depth first, iterative) and removes placeholder text elsewhere. */
static void find_slots(xmlNodePtr parent, xmlNodePtr first, xmlNodePtr *slots, size_t nslots)
{
    xmlNodePtr n = first;
    while (n) {
        if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST SLOT_NAME)) {
            xmlChar *k = xmlGetProp(n, BAD_CAST "n");
            unsigned long i = k ? strtoul((const char *)k, NULL, 10) : nslots;
            xmlFree(k);
            xmlUnsetProp(n, BAD_CAST "n");
            if (i < nslots && !slots[i])
                slots[i] = n;
        } else if (n->type == XML_ELEMENT_NODE) {
            for (xmlAttrPtr a = n->properties; a; a = a->next)
                if (a->children)
                    strip_placeholders((xmlNodePtr)a);
        } else if (n->type == XML_TEXT_NODE || n->type == XML_COMMENT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            strip_placeholders(n);
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && !n->next) {
            n = n->parent;
            if (n == parent)
                return;
        }
        if (n)
            n = n->next;
    }
}

int xw_raw_run_open(xw_writer *w, const dp_node *first, xmlNodePtr parent, xmlNodePtr **slots_out, size_t *nslots_out)
{
    dp_buf *buf = NULL;
    size_t nslots = 0;
    xmlNodePtr before = parent->last;
    int rc = dp_buf_new(&buf);

    *slots_out = NULL;
    *nslots_out = 0;
    if (rc < 0)
        return DP_ENOMEM;
    /* A raw block ends with a line end, as CommonMark's text has it, but
     * for the last node (the writer adds it after the run); a written block
     * gets the writer's own after it, inside its slot. */
    for (const dp_node *n = first; n && rc >= 0; n = dp_node_next(n)) {
        if (!xw_is_raw_html(n)) {
            rc = dp_buf_printf(buf, SLOT_OPEN "%zu" SLOT_CLOSE, nslots++);
            continue;
        }
        rc = dp_buf_append(buf, dp_node_text(n), dp_node_text_len(n));
        if (rc >= 0 && dp_node_kind(n) == DP_RAW_BLOCK && dp_node_next(n))
            rc = dp_buf_puts(buf, "\n");
    }
    xmlNodePtr *slots = rc >= 0 ? calloc(nslots ? nslots : 1, sizeof *slots) : NULL;
    if (!slots) {
        dp_buf_free(buf);
        return DP_ENOMEM;
    }
    rc = xw_import_html(w, first, (const char *)dp_buf_data(buf), dp_buf_len(buf), parent, dp_node_is_block(first));
    dp_buf_free(buf);
    if (rc != 0) {
        free(slots);
        return rc;
    }
    if (before ? before->next : parent->children)
        find_slots(parent, before ? before->next : parent->children, slots, nslots);
    *slots_out = slots;
    *nslots_out = nslots;
    return 0;
}

int xw_is_slot(const xmlNode *el)
{
    return el && el->type == XML_ELEMENT_NODE && xmlStrEqual(el->name, BAD_CAST SLOT_NAME);
}

xmlNodePtr xw_slot_parent(xmlNodePtr el)
{
    while (el && el->type == XML_ELEMENT_NODE && xmlStrEqual(el->name, BAD_CAST SLOT_NAME))
        el = el->parent;
    return el;
}

void xw_raw_run_close(xmlNodePtr *slots, size_t nslots)
{
    for (size_t i = 0; i < nslots; i++) {
        xmlNodePtr slot = slots[i];
        if (!slot)
            continue;
        while (slot->children) {
            xmlNodePtr c = slot->children;
            xmlUnlinkNode(c);
            xmlAddPrevSibling(slot, c);
        }
        xmlUnlinkNode(slot);
        xmlFreeNode(slot);
    }
    free(slots);
}
