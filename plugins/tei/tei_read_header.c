/* TEI importer: <teiHeader> -> document metadata, the inverse of
 * tei_write_header.c. Header parts with no metadata key are reported
 * under -v (they describe the encoding, not the text). */
#include "tei_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

typedef struct hr {
    dp_ctx *ctx;
    dp_doc *doc;
    dp_meta *meta;
    const char *path;
} hr;

static const xmlNode *first_el(const xmlNode *e, const char *name)
{
    for (const xmlNode *c = e ? e->children : NULL; c; c = c->next)
        if (tei_is(c, name))
            return c;
    return NULL;
}

/* Elements that style or mark part of a word (<hi>J</hi><hi>ohn</hi>, an
 * expansion): two other elements side by side are fields of their own
 * (<forename>Charles</forename><surname>Dickens</surname> is "Charles
 * Dickens", never "CharlesDickens"), as the body reader reads them. */
static int part_of_word(const xmlNode *e)
{
    static const char *const parts[] = {"hi", "emph", "seg", "c", "g", "ex", "am", "lb", NULL};
    return e && tei_name_in((const char *)e->name, parts) && tei_is(e, (const char *)e->name);
}

/* The text under e, a space between two fields with nothing between them. */
static xmlChar *content_of(const xmlNode *e)
{
    xmlBufferPtr b = xmlBufferCreate();
    if (!b)
        return NULL;
    for (const xmlNode *n = e->children; n; n = tei_next_node(n, e)) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
            xmlBufferCat(b, n->content);
        else if (n->type == XML_ELEMENT_NODE && n->prev && n->prev->type == XML_ELEMENT_NODE &&
                 !part_of_word(n) && !part_of_word(n->prev))
            xmlBufferCat(b, BAD_CAST " ");
    }
    xmlChar *c = xmlStrdup(xmlBufferContent(b));
    xmlBufferFree(b);
    return c;
}

/* Text content, whitespace collapsed and trimmed, as an arena string ("" never returned: NULL). */
static const char *text_of(hr *h, const xmlNode *e)
{
    if (!e)
        return NULL;
    xmlChar *c = content_of(e);
    if (!c)
        return NULL;
    char *o = (char *)c, *w = o;
    int space = 1;
    for (const char *p = o; *p; p++) {
        if (isspace((unsigned char)*p)) {
            if (!space)
                *w++ = ' ';
            space = 1;
        } else {
            *w++ = *p;
            space = 0;
        }
    }
    while (w > o && w[-1] == ' ')
        w--;
    *w = '\0';
    const char *s = *o ? dp_doc_strdup(h->doc, o) : NULL;
    xmlFree(c);
    return s;
}

static const char *prop(hr *h, const xmlNode *e, const char *name)
{
    xmlChar *v = e ? xmlGetNoNsProp(e, BAD_CAST name) : NULL;
    if (!v)
        return NULL;
    const char *s = *v ? dp_doc_strdup(h->doc, (const char *)v) : NULL;
    xmlFree(v);
    return s;
}

/* A person: the text of a name-like child if there is one (an <author>
 * often holds affiliation and email too), else the whole text. */
static const char *person_of(hr *h, const xmlNode *e)
{
    static const char *const names[] = {"persName", "name", "orgName", NULL};
    for (const char *const *n = names; *n; n++) {
        const xmlNode *c = first_el(e, *n);
        if (c)
            return text_of(h, c);
    }
    return text_of(h, e);
}

static void append(hr *h, dp_meta *map, const char *key, dp_meta *value)
{
    if (!value)
        return;
    dp_meta *list = dp_meta_get(map, key);
    if (!list || dp_meta_get_type(list) != DP_META_LIST) {
        list = dp_meta_new_list(h->doc);
        dp_meta_set(map, key, list);
    }
    dp_meta_append(list, value);
}

static void append_str(hr *h, dp_meta *map, const char *key, const char *s)
{
    if (s)
        append(h, map, key, dp_meta_new_string(h->doc, s));
}

static void set_str(hr *h, dp_meta *map, const char *key, const char *s)
{
    if (s && !dp_meta_get(map, key))
        dp_meta_set_string(h->doc, map, key, s);
}

static const char *date_of(hr *h, const xmlNode *d)
{
    const char *when = prop(h, d, "when");
    return when ? when : text_of(h, d);
}

static void skipped(hr *h, const xmlNode *e)
{
    dp_info(h->ctx, "%s:%d: header element <%s> has no metadata key: not read", h->path, (int)e->line,
            (const char *)e->name);
}

static void title_stmt(hr *h, const xmlNode *ts)
{
    for (const xmlNode *c = ts->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (tei_is(c, "title")) {
            const char *type = prop(h, c, "type");
            if (type && strcmp(type, "sub") == 0)
                set_str(h, h->meta, "subtitle", text_of(h, c));
            else if (!dp_meta_get(h->meta, "title"))
                set_str(h, h->meta, "title", text_of(h, c));
            else
                append_str(h, h->meta, "alternative-title", text_of(h, c));
        } else if (tei_is(c, "author")) {
            /* <author><persName/><affiliation/></author>: pandoc's {name, affiliation} */
            const xmlNode *aff = first_el(c, "affiliation");
            const char *name = person_of(h, c);
            dp_meta *m = aff && name ? dp_meta_new_map(h->doc) : NULL;
            if (m && dp_meta_set_string(h->doc, m, "name", name) == DP_OK &&
                dp_meta_set_string(h->doc, m, "affiliation", text_of(h, aff)) == DP_OK)
                append(h, h->meta, "author", m);
            else
                append_str(h, h->meta, "author", name);
        } else if (tei_is(c, "editor")) {
            append_str(h, h->meta, "editor", person_of(h, c));
        } else if (tei_is(c, "respStmt")) {
            const xmlNode *resp = first_el(c, "resp");
            const char *code = prop(h, resp, "key");
            const char *phrase = text_of(h, resp);
            if (!code)
                code = tei_role_code(phrase);
            const char *name = NULL;
            for (const xmlNode *n = c->children; n && !name; n = n->next)
                if (tei_is(n, "persName") || tei_is(n, "name") || tei_is(n, "orgName"))
                    name = text_of(h, n);
            if (!name)
                continue;
            if (code && strcmp(code, "trl") == 0) {
                append_str(h, h->meta, "translator", name);
            } else if (code && strcmp(code, "edt") == 0) {
                append_str(h, h->meta, "editor", name);
            } else {
                dp_meta *m = dp_meta_new_map(h->doc);
                dp_meta_set_string(h->doc, m, "name", name);
                dp_meta_set_string(h->doc, m, "role", code ? code : (phrase ? phrase : "ctb"));
                append(h, h->meta, "contributor", m);
            }
        } else {
            skipped(h, c);
        }
    }
}

static void publication_stmt(hr *h, const xmlNode *ps)
{
    for (const xmlNode *c = ps->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (tei_is(c, "publisher") || tei_is(c, "authority") || tei_is(c, "distributor")) {
            set_str(h, h->meta, "publisher", person_of(h, c));
        } else if (tei_is(c, "date")) {
            set_str(h, h->meta, "date", date_of(h, c));
        } else if (tei_is(c, "idno")) {
            set_str(h, h->meta, "identifier", text_of(h, c));
        } else if (tei_is(c, "availability")) {
            for (const xmlNode *a = c->children; a; a = a->next) {
                if (tei_is(a, "licence")) {
                    const char *t = text_of(h, a);
                    set_str(h, h->meta, "license", t ? t : prop(h, a, "target"));
                } else if (tei_is(a, "p")) {
                    set_str(h, h->meta, "rights", text_of(h, a));
                }
            }
        } else if (tei_is(c, "p")) {
            append_str(h, h->meta, "publication-note", text_of(h, c));
        } else {
            skipped(h, c);
        }
    }
}

static void notes_stmt(hr *h, const xmlNode *ns)
{
    for (const xmlNode *c = ns->children; c; c = c->next) {
        if (!tei_is(c, "note"))
            continue;
        const char *type = prop(h, c, "type"), *key = prop(h, c, "n");
        if (type && key && strcmp(type, TEI_META_NOTE_TYPE) == 0) {
            dp_meta *old = dp_meta_get(h->meta, key);
            if (!old)
                dp_meta_set_string(h->doc, h->meta, key, text_of(h, c) ? text_of(h, c) : "");
            else if (dp_meta_get_type(old) == DP_META_LIST)
                append_str(h, h->meta, key, text_of(h, c));
            else {
                /* a second note with the same key: the value was a list */
                dp_meta *list = dp_meta_new_list(h->doc);
                dp_meta_append(list, old);
                dp_meta_append(list, dp_meta_new_string(h->doc, text_of(h, c) ? text_of(h, c) : ""));
                dp_meta_set(h->meta, key, list);
            }
        } else {
            append_str(h, h->meta, "note", text_of(h, c));
        }
    }
}

static void bibl(hr *h, const xmlNode *b)
{
    int structured = 0;
    for (const xmlNode *c = b->children; c; c = c->next)
        structured |= c->type == XML_ELEMENT_NODE;
    if (!structured) {
        set_str(h, h->meta, "source", text_of(h, b));
        return;
    }
    dp_meta *src = dp_meta_new_map(h->doc);
    dp_meta *authors = NULL;
    for (const xmlNode *c = b->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (tei_is(c, "author")) {
            if (!authors)
                authors = dp_meta_new_list(h->doc);
            dp_meta_append(authors, dp_meta_new_string(h->doc, person_of(h, c) ? person_of(h, c) : ""));
        } else if (tei_is(c, "title")) {
            const char *level = prop(h, c, "level");
            set_str(h, src, level && strcmp(level, "j") == 0 ? "journal" : "title", text_of(h, c));
        } else if (tei_is(c, "publisher")) {
            set_str(h, src, "publisher", text_of(h, c));
        } else if (tei_is(c, "date")) {
            set_str(h, src, "date", date_of(h, c));
        } else if (tei_is(c, "textLang")) {
            set_str(h, src, "language", prop(h, c, "mainLang") ? prop(h, c, "mainLang") : text_of(h, c));
        } else if (tei_is(c, "note") && prop(h, c, "type") && strcmp(prop(h, c, "type"), "language") == 0) {
            set_str(h, src, "language", text_of(h, c));
        } else if (tei_is(c, "ref") || tei_is(c, "ptr")) {
            const char *t = tei_pointer_address(prop(h, c, "target"));
            set_str(h, src, "url", t ? t : text_of(h, c));
        } else if (tei_is(c, "note")) {
            set_str(h, src, "note", text_of(h, c));
        } else {
            const char *t = text_of(h, c);
            if (t) {
                char key[128];
                snprintf(key, sizeof key, "%s", (const char *)c->name);
                set_str(h, src, key, t);
            }
        }
    }
    if (authors)
        dp_meta_set(src, "author", dp_meta_len(authors) == 1 ? dp_meta_at(authors, 0) : authors);
    if (!dp_meta_get(h->meta, "source"))
        dp_meta_set(h->meta, "source", src);
}

static void source_desc(hr *h, const xmlNode *sd)
{
    for (const xmlNode *c = sd->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (tei_is(c, "bibl")) {
            bibl(h, c);
        } else if (tei_is(c, "p")) {
            const char *t = text_of(h, c);
            if (!t || strcmp(t, TEI_BORN_DIGITAL) == 0)
                continue;
            if (!dp_meta_get(h->meta, "source")) {
                dp_meta *src = dp_meta_new_map(h->doc);
                dp_meta_set_string(h->doc, src, "note", t);
                dp_meta_set(h->meta, "source", src);
            }
        } else {
            /* biblStruct, biblFull, msDesc ...: the description as text */
            if (!dp_meta_get(h->meta, "source")) {
                dp_meta *src = dp_meta_new_map(h->doc);
                const char *t = text_of(h, c);
                dp_meta_set_string(h->doc, src, "note", t ? t : "");
                dp_meta_set(h->meta, "source", src);
            }
            dp_info(h->ctx, "%s:%d: <%s> in sourceDesc read as its text (source.note)", h->path, (int)c->line,
                    (const char *)c->name);
        }
    }
}

static void profile_desc(hr *h, const xmlNode *pd)
{
    for (const xmlNode *c = pd->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (tei_is(c, "creation")) {
            const xmlNode *d = first_el(c, "date");
            set_str(h, h->meta, "created", d ? date_of(h, d) : text_of(h, c));
        } else if (tei_is(c, "langUsage")) {
            const xmlNode *l = first_el(c, "language");
            if (l)
                set_str(h, h->meta, "language", prop(h, l, "ident"));
        } else if (tei_is(c, "textClass")) {
            for (const xmlNode *k = c->children; k; k = k->next)
                if (tei_is(k, "keywords"))
                    for (const xmlNode *t = k->children; t; t = t->next)
                        if (tei_is(t, "term"))
                            append_str(h, h->meta, "subject", text_of(h, t));
        } else if (tei_is(c, "abstract")) {
            set_str(h, h->meta, "description", text_of(h, c));
        } else {
            skipped(h, c);
        }
    }
}

static void revision_desc(hr *h, const xmlNode *rd)
{
    for (const xmlNode *c = rd->children; c; c = c->next) {
        if (tei_is(c, "listChange")) {
            revision_desc(h, c);
            continue;
        }
        if (!tei_is(c, "change"))
            continue;
        dp_meta *m = dp_meta_new_map(h->doc);
        const char *when = prop(h, c, "when");
        const xmlNode *d = first_el(c, "date");
        if (!when && d)
            when = date_of(h, d);
        if (when)
            dp_meta_set_string(h->doc, m, "date", when);
        const char *note = text_of(h, c);
        if (note)
            dp_meta_set_string(h->doc, m, "note", note);
        append(h, h->meta, "revision", m);
    }
}

int tei_read_header(dp_ctx *ctx, dp_doc *doc, const xmlNode *header, const char *path)
{
    hr h = {ctx, doc, dp_doc_meta(doc), path};
    const xmlNode *fd = first_el(header, "fileDesc");
    if (fd) {
        for (const xmlNode *c = fd->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            if (tei_is(c, "titleStmt"))
                title_stmt(&h, c);
            else if (tei_is(c, "publicationStmt"))
                publication_stmt(&h, c);
            else if (tei_is(c, "notesStmt"))
                notes_stmt(&h, c);
            else if (tei_is(c, "sourceDesc"))
                source_desc(&h, c);
            else
                skipped(&h, c);
        }
    }
    for (const xmlNode *c = header->children; c; c = c->next) {
        if (tei_is(c, "profileDesc"))
            profile_desc(&h, c);
        else if (tei_is(c, "revisionDesc"))
            revision_desc(&h, c);
        else if (c->type == XML_ELEMENT_NODE && !tei_is(c, "fileDesc"))
            skipped(&h, c); /* encodingDesc: how this file was encoded, not the text's metadata */
    }
    return 0;
}
