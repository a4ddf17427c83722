/* TEI importer: links and citations (<ref>, <ptr>, TEI P4 <xref>, <xptr>;
 * <ref type="cite">). Apart from the other inlines because a pointer's
 * address has rules of its own: P4's forms, prefixes, lists of pointers. */
#include "tei_read_internal.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A <ref> with no address (<ref type="ms">AM 394 fol.</ref>: a reference
 * to a manuscript, not a link) is not a link: as one it came out as
 * [AM 394 fol.]() in Markdown, a link to the page itself. It stays itself. */
static int has_address(tr *r, const xmlNode *e)
{
    static const char *const keys[] = {"url", "doc", "target", NULL};
    for (const char *const *k = keys; *k; k++) {
        const char *v = tr_attr(r, e, *k);
        if (v && *v)
            return 1;
    }
    return 0;
}

/* The address of a link element: P5 ref/ptr @target; TEI P4 xref/xptr
 * @url, @doc (an entity name standing for a document: its system id) and
 * @target (an IDREF in P4, without the "#" of a P5 pointer). */
static const char *link_target(tr *r, const xmlNode *e)
{
    const char *url = tr_attr(r, e, "url");
    if (url && *url)
        return url;
    const char *doc = tr_attr(r, e, "doc");
    if (doc && *doc) {
        xmlEntityPtr ent = xmlGetDocEntity(e->doc, BAD_CAST doc);
        if (ent && ent->SystemID)
            return dp_doc_strdup(r->doc, (const char *)ent->SystemID);
        return doc;
    }
    const char *target = tr_attr(r, e, "target");
    if (target && r->p4 && tei_is_ncname(target)) {
        size_t len = strlen(target) + 2;
        char *frag = malloc(len);
        const char *kept = NULL;
        if (frag) {
            snprintf(frag, len, "#%s", target);
            kept = dp_doc_strdup(r->doc, frag);
            free(frag);
        }
        return kept ? kept : target;
    }
    /* "./foo):" is how the writer keeps the relative "foo):" a URI
     * (tei_pointer.c): the address as its source wrote it */
    return tei_pointer_address(tr_prefix_expand(r, target));
}

/* ref type="cite": a citation of the ids its target lists */
static int r_cite(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    dp_node *n = tr_mk(r, DP_CITE, e);
    const char *target = tr_attr(r, e, "target");
    char *copy = strdup(target ? target : ""), *save = NULL;
    for (char *t = copy ? strtok_r(copy, " \t\r\n", &save) : NULL; t; t = strtok_r(NULL, " \t\r\n", &save)) {
        dp_citation c = {t[0] == '#' ? t + 1 : t, NULL, NULL, DP_CITE_NORMAL};
        dp_node_add_citation(n, &c);
    }
    free(copy);
    static const char *const skip[] = {"type", "target", NULL};
    tr_read_attrs(r, n, e, skip);
    tr_add(r, parent, n);
    r_inlines(r, n, e->children, depth + 1);
    return 1;
}

/* ref, ptr, P4 xref, xptr with an address: a link (without one it stays
 * itself, r_other_inline) */
int tr_read_link(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    if (tr_named(e, "ref") && tr_has_token(tr_attr(r, e, "type"), "cite"))
        return r_cite(r, parent, e, depth);
    /* type="empty-link": the writer's link to "" (TEI has no empty pointer) */
    int empty = tr_has_token(tr_attr(r, e, "type"), "empty-link");
    if (!has_address(r, e) && !empty)
        return 0;
    dp_node *n = tr_mk(r, DP_LINK, e);
    const char *url = link_target(r, e);
    /* @target is a list of pointers, and a link holds one address (an
     * href with a space is no URL): the first; an empty <ptr/> stands for
     * all of them, so each further one becomes a link of its own */
    size_t first = url ? strcspn(url, " \t\r\n") : 0;
    const char *more = url && url[first] ? url + first : NULL;
    if (more)
        url = dp_doc_strndup(r->doc, url, first);
    dp_node_set_url(n, url ? url : "");
    /* @n: the link's title, as the TEI Consortium's HTML stylesheets show it */
    const char *title = tr_attr(r, e, "n");
    if (title && *title)
        dp_node_set_title(n, title);
    /* what became the link's address and title; P4's xref/xptr type and from/to are kept */
    static const char *const skip[] = {"target", "url", "doc", "n", NULL};
    static const char *const skip_empty[] = {"target", "url", "doc", "n", "type", NULL};
    tr_read_attrs(r, n, e, empty ? skip_empty : skip);
    tr_add(r, parent, n);
    r_inlines(r, n, e->children, depth + 1);
    if (more && e->children)
        dp_warn_at(r->ctx, r->path, (int)e->line, 0,
                   "tei: <%s> points to several targets and a link holds one: linked to the first, "
                   "the others (%s) dropped", tr_ename(e), more + strspn(more, " \t\r\n"));
    for (const char *t = more; more && !e->children && *(t += strspn(t, " \t\r\n"));) {
        size_t k = strcspn(t, " \t\r\n");
        dp_node *next = tr_mk(r, DP_LINK, e);
        tr_add(r, parent, dp_node_new_text(r->doc, DP_TEXT, " ", 1));
        dp_node_set_url(next, dp_doc_strndup(r->doc, t, k));
        tr_add(r, parent, next);
        t += k;
    }
    return 1;
}

