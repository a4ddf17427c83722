/* TEI importer: notes kept away from their reference (in <back>, with
 * place="end", between paragraphs) and the ref/ptr/anchor that places them. */
#include "tei_read_internal.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Notes collected away from their reference                            */

static void ptr_key(const xmlNode *n, char *buf, size_t len)
{
    snprintf(buf, len, "%p", (const void *)n);
}

int tr_in_hash(xmlHashTablePtr h, const xmlNode *n)
{
    char key[32];
    ptr_key(n, key, sizeof key);
    return h && xmlHashLookup(h, BAD_CAST key) != NULL;
}

void tr_mark(xmlHashTablePtr h, const xmlNode *n)
{
    char key[32];
    ptr_key(n, key, sizeof key);
    if (h && !xmlHashLookup(h, BAD_CAST key))
        xmlHashAddEntry(h, BAD_CAST key, (void *)1);
}

/* "#id" with a single token -> "id" (in buf), else NULL. */
static const char *local_target(const char *target, char *buf, size_t len)
{
    if (!target || target[0] != '#' || strpbrk(target, " \t\r\n") || strlen(target) >= len)
        return NULL;
    snprintf(buf, len, "%s", target + 1);
    return buf;
}

static const xmlNode *next_in_doc(const xmlNode *n, const xmlNode *top)
{
    if (n->children && n->type == XML_ELEMENT_NODE)
        return n->children;
    while (n && n != top) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}

static int within(const xmlNode *n, const char *name)
{
    for (const xmlNode *a = n->parent; a && a->type == XML_ELEMENT_NODE; a = a->parent)
        if (tr_named(a, name))
            return 1;
    return 0;
}

/* Finds the notes that live away from their reference point. */
void tr_index_notes(tr *r, const xmlNode *top)
{
    char idbuf[256];
    for (const xmlNode *n = top; n; n = next_in_doc(n, top)) {
        if (!tr_named(n, "note"))
            continue;
        const xmlNode *p = n->parent;
        xmlChar *place = xmlGetNoNsProp(n, BAD_CAST "place");
        int away = within(n, "back") || (place && strcmp((const char *)place, "end") == 0) ||
                   (p && (tr_is_divname(p) || tr_named(p, "body") || tr_named(p, "back") || tr_named(p, "front") ||
                          tr_named(p, "noteGrp")));
        xmlFree(place);
        if (!away)
            continue;
        xmlChar *id = xmlGetNsProp(n, BAD_CAST "id", XML_XML_NAMESPACE);
        if (id)
            xmlHashAddEntry(r->note_by_id, id, (void *)n);
        xmlFree(id);
        xmlChar *target = xmlGetNoNsProp(n, BAD_CAST "target");
        if (local_target((const char *)target, idbuf, sizeof idbuf))
            xmlHashAddEntry(r->note_by_anchor, BAD_CAST idbuf, (void *)n);
        xmlFree(target);
    }
    /* which of them something points at (the first reference places the note) */
    for (const xmlNode *n = top; n; n = next_in_doc(n, top)) {
        const xmlNode *note = NULL;
        if (tr_named(n, "ref") || tr_named(n, "ptr")) {
            xmlChar *target = xmlGetNoNsProp(n, BAD_CAST "target");
            if (local_target((const char *)target, idbuf, sizeof idbuf))
                note = xmlHashLookup(r->note_by_id, BAD_CAST idbuf);
            xmlFree(target);
        } else if (tr_named(n, "anchor")) {
            xmlChar *id = xmlGetNsProp(n, BAD_CAST "id", XML_XML_NAMESPACE);
            if (id)
                note = xmlHashLookup(r->note_by_anchor, id);
            xmlFree(id);
        }
        if (note) {
            const xmlNode *a = n;
            while (a && a != note)
                a = a->parent;
            if (!a) /* a reference inside the note itself does not place it */
                tr_mark(r->referenced, note);
        }
    }
}

/* The note a ref/ptr/anchor places here, or NULL. */
const xmlNode *tr_placed_note(tr *r, const xmlNode *e)
{
    char idbuf[256];
    const xmlNode *note = NULL;
    if (tr_named(e, "ref") || tr_named(e, "ptr")) {
        xmlChar *target = xmlGetNoNsProp(e, BAD_CAST "target");
        if (local_target((const char *)target, idbuf, sizeof idbuf))
            note = xmlHashLookup(r->note_by_id, BAD_CAST idbuf);
        xmlFree(target);
    } else if (tr_named(e, "anchor")) {
        xmlChar *id = xmlGetNsProp(e, BAD_CAST "id", XML_XML_NAMESPACE);
        if (id)
            note = xmlHashLookup(r->note_by_anchor, id);
        xmlFree(id);
    }
    if (!note || !tr_in_hash(r->referenced, note) || tr_in_hash(r->emitted, note))
        return NULL;
    for (const xmlNode *a = e; a; a = a->parent)
        if (a == note)
            return NULL;
    return note;
}

/* A division that holds nothing but notes placed at their references. */
int tr_only_placed_notes(tr *r, const xmlNode *e)
{
    int any = 0;
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
            continue;
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)) {
            if (strspn((const char *)c->content, " \t\r\n") != strlen((const char *)c->content))
                return 0;
            continue;
        }
        if (tr_named(c, "note") && tr_in_hash(r->referenced, c))
            any = 1;
        else if ((tr_is_divname(c) || tr_named(c, "noteGrp")) && tr_only_placed_notes(r, c))
            any = 1;
        else
            return 0;
    }
    return any;
}

