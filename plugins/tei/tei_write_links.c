/* TEI writer: links to anchors inside the document, after the body is
 * written. xml:id must be a unique NCName, so tw_set_xml_id may write a
 * node's id under another name ("1a" -> "id-1a"); a link "#1a" is rewritten
 * to where its anchor went. A link to an id that nothing in the output
 * carries is reported with its text (the link itself is kept as written). */
#include "tei_write_internal.h"

#include <stdlib.h>
#include <string.h>

void tw_note_renamed_id(tw *w, const char *want, const char *written)
{
    if (!w->renamed)
        w->renamed = xmlHashCreate(16);
    if (!w->renamed) {
        w->err = DP_ENOMEM;
        return;
    }
    char *copy = strdup(written);
    if (!copy) {
        w->err = DP_ENOMEM;
        return;
    }
    if (xmlHashAddEntry(w->renamed, BAD_CAST want, copy) != 0)
        free(copy); /* the first node with that id keeps it, as in HTML */
}

static void free_entry(void *payload, const xmlChar *name)
{
    (void)name;
    free(payload);
}

void tw_free_renamed(tw *w)
{
    xmlHashFree(w->renamed, free_entry);
    w->renamed = NULL;
}

static int is_link(const xmlNode *n)
{
    return n->type == XML_ELEMENT_NODE &&
           (xmlStrcmp(n->name, BAD_CAST "ref") == 0 || xmlStrcmp(n->name, BAD_CAST "ptr") == 0);
}

static void fix_one(tw *w, xmlNodePtr el)
{
    xmlChar *type = xmlGetProp(el, BAD_CAST "type");
    xmlChar *target = xmlGetProp(el, BAD_CAST "target");
    /* noteAnchor and cite targets are the writer's own or a bibliography's */
    if (!type && target && target[0] == '#' && target[1] && !strchr((const char *)target, ' ')) {
        const char *id = (const char *)target + 1;
        const char *moved = w->renamed ? xmlHashLookup(w->renamed, BAD_CAST id) : NULL;
        if (moved) {
            size_t len = strlen(moved);
            char *nt = malloc(len + 2);
            if (!nt) {
                w->err = DP_ENOMEM;
            } else {
                nt[0] = '#';
                memcpy(nt + 1, moved, len + 1);
                xmlSetProp(el, BAD_CAST "target", BAD_CAST nt);
                free(nt);
            }
        } else if (!xmlHashLookup(w->ids, BAD_CAST id)) {
            xmlChar *text = xmlNodeGetContent(el);
            dp_warn(w->ctx, "tei: link \"%s\" to '#%s': no element of the document carries that id",
                    text ? (const char *)text : "", id);
            xmlFree(text);
        }
    }
    xmlFree(type);
    xmlFree(target);
}

void tw_fix_links(tw *w, xmlNodePtr top)
{
    /* document order without recursion */
    xmlNodePtr n = top;
    while (n && !w->err) {
        if (is_link(n))
            fix_one(w, n);
        if (n->children && n->type == XML_ELEMENT_NODE) {
            n = n->children;
            continue;
        }
        while (n && n != top && !n->next)
            n = n->parent;
        if (!n || n == top)
            break;
        n = n->next;
    }
}
