/* The pre-pass over every file of a session, before any node is made:
 * unique ids across files, note references and the note bodies they point
 * at (in any of the encodings people publish), back links and the notes
 * lists that become empty once their notes move to the references. */
#include "xr_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

xmlNodePtr xr_body(xmlDocPtr xdoc)
{
    xmlNodePtr root = xdoc ? xmlDocGetRootElement(xdoc) : NULL;
    if (!root)
        return NULL;
    for (xmlNodePtr c = root->children; c; c = c->next)
        if (xr_is_elem(c, "body"))
            return c;
    return root; /* a fragment or an odd root: read all of it */
}

xmlNodePtr xr_find_id(xr_session *s, size_t file, const char *id)
{
    char *k = xr_key(s->files[file].name, id);
    if (!k)
        return NULL;
    xmlNodePtr n = xmlHashLookup(s->ids_by_key, BAD_CAST k);
    free(k);
    return n;
}

int xr_resolve_internal(xr_session *s, size_t file, const char *href, size_t *tfile, char **fragment)
{
    *fragment = NULL;
    if (!href)
        return 0;
    if (href[0] == '#') {
        *tfile = file;
        if (href[1])
            *fragment = strdup(href + 1);
        return 1;
    }
    /* Only a path naming a file that was read (with or without a fragment)
     * is a link inside the document. "" (the page itself, reloaded), a query
     * ("?page=2", "list.php?x=1": another resource on the server) and the
     * rest are kept as written (docs/formats/html-reader.md, Links). */
    size_t path_len = strcspn(href, "?#");
    if (path_len == 0 || href[path_len] == '?')
        return 0;
    char *frag = NULL;
    char *path = xr_resolve_href(s->files[file].name, href, &frag);
    if (!path)
        return 0;
    /* by name, not a search of every file per link: quadratic in an EPUB
     * of many chapters (100 MB epub->md: 10.6x the instructions of 10 MB) */
    uintptr_t index = (uintptr_t)xmlHashLookup(s->file_by_name, BAD_CAST path);
    free(path);
    if (index) {
        *tfile = (size_t)(index - 1);
        *fragment = frag;
        return 1;
    }
    free(frag);
    return 0;
}

/* ---- ids ------------------------------------------------------------- */

static int collect_ids(xr_session *s, size_t f)
{
    xmlNodePtr root = xmlDocGetRootElement(s->files[f].xdoc);
    for (xmlNodePtr n = root; n; n = xr_next_in(root, n, 0)) {
        s->files[f].nodes++;
        /* no attribute, no id: most elements are answered here (xmlGetNsProp
         * would search the DTD for a default xml:id, and none is loaded) */
        if (n->type != XML_ELEMENT_NODE || !n->properties)
            continue;
        char *id = xr_attr(n, "id");
        if (!id)
            id = xr_xml_id(n);
        if (!id && xr_is_elem(n, "a"))
            id = xr_attr(n, "name");
        if (!id)
            continue;
        if (!*id) {
            xmlFree(id);
            continue;
        }
        char *k = xr_key(s->files[f].name, id);
        if (!k) {
            xmlFree(id);
            return DP_ENOMEM;
        }
        xr_info *info = xr_info_get(s, n);
        if (!info) {
            free(k);
            xmlFree(id);
            return DP_ENOMEM;
        }
        info->file = f;
        if (xmlHashLookup(s->ids_by_key, BAD_CAST k)) {
            dp_warn_at(s->ctx, s->files[f].name, (int)xmlGetLineNo(n), 0,
                       "duplicate id \"%s\": later occurrence renamed", id);
        } else {
            xmlHashAddEntry(s->ids_by_key, BAD_CAST k, n);
        }
        free(k);
        info->id = xr_unique_id(s, id);
        if (info->id && strcmp(info->id, id) != 0)
            dp_info(s->ctx, "%s: id \"%s\" renamed \"%s\" (already used by another file)", s->files[f].name,
                    id, info->id);
        xmlFree(id);
        if (!info->id)
            return DP_ENOMEM;
    }
    return DP_OK;
}

/* ---- notes ------------------------------------------------------------ */

/* Every test below is on an attribute: an element without any (most
 * ancestors of a note reference) is answered without a dozen lookups. */
static int is_marked_note(xmlNodePtr n)
{
    if (!n || n->type != XML_ELEMENT_NODE || !n->properties)
        return 0;
    static const char *const roles[] = {"doc-footnote", "doc-endnote", "doc-rearnote", NULL};
    static const char *const types[] = {"footnote", "endnote", "rearnote", "note", NULL};
    return xr_attr_has_any(n, "role", roles) || xr_epub_type_has_any(n, types);
}

static int is_notes_container(xmlNodePtr n)
{
    if (!n || n->type != XML_ELEMENT_NODE || !n->properties)
        return 0;
    static const char *const roles[] = {"doc-endnotes", "doc-footnotes", NULL};
    static const char *const types[] = {"endnotes", "footnotes", "rearnotes", NULL};
    return xr_attr_has_any(n, "role", roles) || xr_epub_type_has_any(n, types) ||
           xr_attr_has_token(n, "class", "footnotes") || xr_has_attr(n, "data-footnotes");
}

static int in_notes_area(xmlNodePtr n)
{
    for (; n && n->type == XML_ELEMENT_NODE; n = n->parent)
        if (is_marked_note(n) || is_notes_container(n))
            return 1;
    return 0;
}

static int is_ancestor(xmlNodePtr anc, xmlNodePtr n)
{
    for (; n; n = n->parent)
        if (n == anc)
            return 1;
    return 0;
}

/* Elements that can hold a note's content. */
static int is_body_block(xmlNodePtr n)
{
    static const char *const names[] = { "li", "aside", "div", "section", "dd", "p", "blockquote",
                                         "article", "td", "footer", NULL };
    for (int i = 0; names[i]; i++)
        if (xr_is_elem(n, names[i]))
            return 1;
    return 0;
}

static int strong_noteref(xmlNodePtr a)
{
    xmlNodePtr p = a->parent;
    return xr_attr_has_token(a, "role", "doc-noteref") || xr_epub_type_has(a, "noteref") ||
           xr_attr_has_token(a, "class", "footnote-ref") || xr_attr_has_token(a, "class", "footnoteRef") ||
           xr_attr_has_token(a, "class", "noteref") || xr_has_attr(a, "data-footnote-ref") ||
           (xr_is_elem(p, "sup") && (xr_attr_has_token(p, "class", "footnote-ref") ||
                                     xr_attr_has_token(p, "role", "doc-noteref")));
}

/* The only element child of n, or NULL (text that is not blank disqualifies). */
static xmlNodePtr only_element_child(xmlNodePtr n)
{
    xmlNodePtr found = NULL;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            if (found)
                return NULL;
            found = c;
        } else if (c->type == XML_TEXT_NODE) {
            if (!xr_is_ws((const char *)c->content))
                return NULL;
        }
    }
    return found;
}

static int is_backlink(xr_session *s, xmlNodePtr a, size_t file, xmlNodePtr ref, xmlNodePtr replaced)
{
    if (xr_attr_has_token(a, "role", "doc-backlink") || xr_attr_has_token(a, "class", "footnote-back") ||
        xr_attr_has_token(a, "class", "footnote-backref") || xr_has_attr(a, "data-footnote-backref") ||
        xr_epub_type_has(a, "backlink"))
        return 1;
    char *href = xr_attr(a, "href");
    if (!href)
        return 0;
    size_t tf;
    char *frag = NULL;
    int r = 0;
    if (xr_resolve_internal(s, file, href, &tf, &frag) && frag) {
        xmlNodePtr t = xr_find_id(s, tf, frag);
        /* the reference itself; a link to the line holding it ("Line 20.")
         * is content, not a back link */
        r = t && (t == ref || t == replaced || is_ancestor(ref, t));
    }
    free(frag);
    xmlFree(href);
    return r;
}

static const char *label_of(xr_session *s, xmlNodePtr a, xmlNodePtr body)
{
    char *t = xr_text_content(a, 1);
    if (!t)
        return NULL;
    size_t l = strlen(t);
    char *p = t;
    if (l >= 2 && ((p[0] == '[' && p[l - 1] == ']') || (p[0] == '(' && p[l - 1] == ')'))) {
        p[l - 1] = '\0';
        p++;
    }
    const char *r = NULL;
    if (*p) {
        r = dp_doc_strdup(s->doc, p);
    } else if (xr_is_elem(body, "li") && body->parent && xr_is_elem(body->parent, "ol")) {
        /* no visible label: the list number */
        int num = 1;
        char *start = xr_attr(body->parent, "start");
        if (start) {
            num = atoi(start);
            xmlFree(start);
        }
        for (xmlNodePtr c = body->parent->children; c && c != body; c = c->next)
            if (xr_is_elem(c, "li"))
                num++;
        char buf[24];
        snprintf(buf, sizeof buf, "%d", num);
        r = dp_doc_strdup(s->doc, buf);
    }
    free(t);
    return r;
}

static int in_nav(xmlNodePtr n)
{
    for (n = n->parent; n && n->type == XML_ELEMENT_NODE; n = n->parent)
        if (xr_is_elem(n, "nav"))
            return 1;
    return 0;
}

/* Whether n holds a heading: a section, not one note. */
static int holds_heading(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = xr_next_in(n, c, 0)) {
        const char *nm = c->type == XML_ELEMENT_NODE ? xr_name(c) : NULL;
        if (nm && (nm[0] == 'h' || nm[0] == 'H') && nm[1] >= '1' && nm[1] <= '6' && !nm[2])
            return 1;
    }
    return 0;
}

/* Records that file f's content looks an element of file tf up (once per
 * run of links between the same two files). */
static int add_reference(xr_session *s, size_t f, size_t tf)
{
    if (f == tf || (s->nrefs && s->refs[s->nrefs - 1].from == f && s->refs[s->nrefs - 1].to == tf))
        return DP_OK;
    if (DP_ARRAY_RESERVE(s->refs, s->caprefs, s->nrefs + 1))
        return DP_ENOMEM;
    s->refs[s->nrefs].from = f;
    s->refs[s->nrefs++].to = tf;
    return DP_OK;
}

/* Classifies one <a href>; marks it (or its <sup> wrapper) as a note
 * reference. Every link to an element of another file is recorded first
 * (add_reference), table of contents included. */
static int consider_link(xr_session *s, size_t f, xmlNodePtr a)
{
    char *href = xr_attr(a, "href");
    if (!href)
        return DP_OK;
    size_t tf = 0;
    char *frag = NULL;
    int internal = xr_resolve_internal(s, f, href, &tf, &frag);
    xmlFree(href);
    if (internal && frag && add_reference(s, f, tf) != DP_OK) {
        free(frag);
        return DP_ENOMEM;
    }
    /* a table of contents points at sections (the part headings of a notes
     * section among them), never at notes */
    if (!internal || !frag || in_nav(a)) {
        free(frag);
        return DP_OK;
    }
    xmlNodePtr target = xr_find_id(s, tf, frag);
    int strong = strong_noteref(a);
    if (!target) {
        if (strong)
            dp_warn_at(s->ctx, s->files[f].name, (int)xmlGetLineNo(a), 0,
                       "note reference to \"#%s\", which does not exist: kept as a link", frag);
        free(frag);
        return DP_OK;
    }
    free(frag);
    if (is_ancestor(target, a) || is_ancestor(a, target))
        return DP_OK;

    /* The element the reference replaces: a wrapping <sup> holding only it. */
    xmlNodePtr replaced = a;
    int in_sup = 0;
    if (xr_is_elem(a->parent, "sup") && only_element_child(a->parent) == a) {
        replaced = a->parent;
        in_sup = 1;
    } else {
        xmlNodePtr c = only_element_child(a);
        if (c && xr_is_elem(c, "sup"))
            in_sup = 1;
    }

    /* The note body: the target, or the block holding an inline anchor. */
    xmlNodePtr body = target;
    while (body && body->type == XML_ELEMENT_NODE && !is_body_block(body) && !is_marked_note(body))
        body = body->parent;
    if (!body || body->type != XML_ELEMENT_NODE || xr_is_elem(body, "body") || xr_is_elem(body, "html"))
        return DP_OK;
    if (is_ancestor(body, a))
        return DP_OK;

    int marked = is_marked_note(target) || is_marked_note(body) || in_notes_area(body);
    /* inside a notes section, a block holding a heading is a part of the
     * section (its title, introduction, part headings), which stays in the
     * body: only a reference marked as one makes it a note */
    if (!strong && !is_marked_note(body) && holds_heading(body))
        marked = 0;
    int plain = 0;
    if (!strong && !marked) {
        /* <sup><a href="#n1">1</a></sup> pointing to a list item or paragraph:
         * only with a short label, the usual shape of hand-made notes. */
        char *t = xr_text_content(a, 1);
        plain = in_sup && t && *t && strlen(t) <= 8;
        free(t);
    }
    if (!strong && !(marked && !in_notes_area(a)) && !plain)
        return DP_OK;

    xr_info *ri = xr_info_get(s, replaced);
    xr_info *bi = xr_info_get(s, body);
    if (!ri || !bi)
        return DP_ENOMEM;
    ri->flags |= XR_NOTEREF;
    ri->note_body = body;
    ri->label = label_of(s, a, body);
    bi->flags |= XR_NOTEBODY | XR_SKIP;
    if (xr_is_elem(body, "p") || xr_is_elem(body, "blockquote"))
        bi->flags |= XR_BODY_SELF;
    bi->file = tf;

    /* Back links inside the body (and a <sup> holding only one) are dropped,
     * and so is the label docpipe's writer opens a note with. */
    for (xmlNodePtr n = body->children; n; n = xr_next_in(body, n, 0)) {
        int chrome = xr_is_elem(n, "span") && xr_attr_has_token(n, "class", "footnote-label");
        if (!chrome && (!xr_is_elem(n, "a") || !is_backlink(s, n, tf, a, replaced)))
            continue;
        xmlNodePtr drop = n;
        if (xr_is_elem(n->parent, "sup") && only_element_child(n->parent) == n)
            drop = n->parent;
        xr_info *di = xr_info_get(s, drop);
        if (!di)
            return DP_ENOMEM;
        di->flags |= XR_SKIP;
    }
    return DP_OK;
}

/* Whether a notes list holds nothing but consumed notes and its own chrome
 * (a "Footnotes" heading, a rule). */
static int residue_only(xr_session *s, xmlNodePtr n)
{
    int container = is_notes_container(n);
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE) {
            if (!xr_is_ws((const char *)c->content))
                return 0;
            continue;
        }
        if (c->type != XML_ELEMENT_NODE)
            continue;
        xr_info *ci = xr_info_peek(c);
        if (ci && (ci->flags & XR_SKIP))
            continue;
        if (xr_is_elem(c, "hr"))
            continue;
        const char *nm = xr_name(c);
        int heading = (nm[0] == 'h' || nm[0] == 'H') && nm[1] >= '1' && nm[1] <= '6' && !nm[2];
        if (heading && (container || xr_attr_has_token(c, "class", "sr-only") ||
                        xr_attr_has_token(c, "class", "visually-hidden"))) {
            char *t = xr_text_content(c, 1);
            dp_info(s->ctx, "notes list heading \"%s\" dropped (the notes now stand at their references)",
                    t ? t : "");
            free(t);
            continue;
        }
        return 0;
    }
    return 1;
}

static int drop_empty_containers(xr_session *s, xmlNodePtr body)
{
    xmlNodePtr dropped = NULL;
    int rc = DP_OK;
    for (xmlNodePtr p = body->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent) {
        if (xr_is_elem(p, "body") || xr_is_elem(p, "html"))
            break;
        xr_info *pi = xr_info_peek(p);
        if (pi && (pi->flags & XR_SKIP))
            break; /* already done from a sibling note */
        if (!residue_only(s, p))
            break;
        pi = xr_info_get(s, p);
        if (!pi)
            return DP_ENOMEM;
        pi->flags |= XR_SKIP;
        dropped = p;
    }
    /* a rule standing just before a dropped notes list separated it */
    xmlNodePtr prev = dropped ? dropped->prev : NULL;
    while (prev && (prev->type == XML_COMMENT_NODE ||
                    (prev->type == XML_TEXT_NODE && xr_is_ws((const char *)prev->content))))
        prev = prev->prev;
    if (prev && xr_is_elem(prev, "hr")) {
        xr_info *hi = xr_info_get(s, prev);
        if (!hi)
            return DP_ENOMEM;
        hi->flags |= XR_SKIP;
    }
    return rc;
}

int xr_prepass(xr_session *s)
{
    int rc;
    for (size_t f = 0; f < s->nfiles; f++)
        if ((rc = collect_ids(s, f)) != DP_OK)
            return rc;
    for (size_t f = 0; f < s->nfiles; f++) {
        xmlNodePtr root = xr_body(s->files[f].xdoc);
        for (xmlNodePtr n = root; n; n = xr_next_in(root, n, 0)) {
            if (!xr_is_elem(n, "a"))
                continue;
            /* references inside a note body already taken stay links to
             * avoid note cycles; references in a note to another note work */
            if ((rc = consider_link(s, f, n)) != DP_OK)
                return rc;
        }
    }
    for (size_t f = 0; f < s->nfiles; f++) {
        xmlNodePtr root = xr_body(s->files[f].xdoc);
        for (xmlNodePtr n = root; n; n = xr_next_in(root, n, 0)) {
            xr_info *i = xr_info_peek(n);
            if (i && (i->flags & XR_NOTEBODY) && (rc = drop_empty_containers(s, n)) != DP_OK)
                return rc;
        }
    }
    return DP_OK;
}
