/* TEI importer: building nodes, reading attributes, classifying elements. */
#include "tei_read_internal.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Helpers                                                              */

int tr_nomem(tr *r)
{
    if (!r->err)
        r->err = dp_fail(r->ctx, DP_ENOMEM, r->path, 0, 0, "tei: out of memory");
    return r->err;
}

dp_node *tr_mk(tr *r, dp_kind kind, const xmlNode *src)
{
    dp_node *n = dp_node_new(r->doc, kind);
    if (!n) {
        tr_nomem(r);
        return NULL;
    }
    if (src)
        dp_node_set_pos(n, src->line > 0 ? (int)src->line : 0, 0);
    return n;
}

/* Appends child; a containment refusal is a bug in this file's mapping,
 * reported rather than hidden. */
int tr_add(tr *r, dp_node *parent, dp_node *child)
{
    if (!parent || !child)
        return -1;
    if (dp_node_append_child(parent, child) != 0) {
        dp_warn_at(r->ctx, r->path, dp_node_line(child), 0, "tei: a %s cannot go inside a %s here: its text is kept",
                   dp_kind_name(dp_node_kind(child)), dp_kind_name(dp_node_kind(parent)));
        const char *t = dp_node_plain_text(child, 0);
        if (dp_kind_is_block(dp_node_kind(parent)) && !dp_kind_is_inline(dp_node_kind(parent))) {
            dp_node *p = tr_mk(r, DP_PLAIN, NULL);
            dp_node *tx = dp_node_new_text(r->doc, DP_TEXT, t, strlen(t));
            if (p && tx && dp_node_append_child(p, tx) == 0 && dp_node_append_child(parent, p) == 0)
                return 0;
        } else {
            dp_node *tx = dp_node_new_text(r->doc, DP_TEXT, t, strlen(t));
            if (tx && dp_node_append_child(parent, tx) == 0)
                return 0;
        }
        return -1;
    }
    return 0;
}

int tr_too_deep(tr *r, const xmlNode *e, int depth)
{
    if (r->err)
        return 1;
    if (depth > r->max_depth) {
        r->err = dp_fail(r->ctx, DP_ELIMIT, r->path, e ? (int)e->line : 0, 0,
                         "tei: elements nested deeper than the limit of %d", r->max_depth);
        return 1;
    }
    return 0;
}

int tr_is_tei_el(const xmlNode *n)
{
    return n && n->type == XML_ELEMENT_NODE &&
           (n->ns == NULL || strcmp((const char *)n->ns->href, TEI_NS) == 0);
}

const char *tr_ename(const xmlNode *n)
{
    return (const char *)n->name;
}

int tr_named(const xmlNode *n, const char *name)
{
    return tr_is_tei_el(n) && strcmp(tr_ename(n), name) == 0;
}

/* Attribute value (no namespace) as an arena string, NULL when absent. */
const char *tr_attr(tr *r, const xmlNode *e, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(e, BAD_CAST name);
    if (!v)
        return NULL;
    const char *s = dp_doc_strdup(r->doc, (const char *)v);
    xmlFree(v);
    return s;
}

const char *tr_xml_attr(tr *r, const xmlNode *e, const char *local)
{
    xmlChar *v = xmlGetNsProp(e, BAD_CAST local, XML_XML_NAMESPACE);
    if (!v && r->p4)
        v = xmlGetNoNsProp(e, BAD_CAST local);
    if (!v)
        return NULL;
    const char *s = dp_doc_strdup(r->doc, (const char *)v);
    xmlFree(v);
    return s;
}

int tr_has_token(const char *list, const char *tok)
{
    if (!list)
        return 0;
    size_t n = strlen(tok);
    for (const char *p = list; *p;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *s = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if ((size_t)(p - s) == n && strncmp(s, tok, n) == 0)
            return 1;
    }
    return 0;
}

/* Text content with whitespace runs collapsed and trimmed (arena string). */
const char *tr_flat_text(tr *r, const xmlNode *e)
{
    xmlChar *c = xmlNodeGetContent(e);
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
    const char *s = dp_doc_strdup(r->doc, o);
    xmlFree(c);
    return s;
}

/* id, lang, rend -> classes (unless the caller consumed rend), and every
 * other attribute as "tei:<qname>" so that the writer can give it back.
 * skip: attribute names the caller mapped itself (NULL-terminated). */
void tr_read_attrs(tr *r, dp_node *n, const xmlNode *e, const char *const *skip)
{
    if (!n)
        return;
    for (const xmlAttr *a = e->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        int is_xml = a->ns && strcmp((const char *)a->ns->href, (const char *)XML_XML_NAMESPACE) == 0;
        if (!a->ns && tei_name_in(name, skip))
            continue;
        xmlChar *v = xmlNodeListGetString(e->doc, a->children, 1);
        const char *val = v ? (const char *)v : "";
        if ((is_xml || (r->p4 && !a->ns)) && strcmp(name, "id") == 0) {
            dp_node_set_id(n, val);
        } else if ((is_xml || (r->p4 && !a->ns)) && strcmp(name, "lang") == 0) {
            dp_node_set_lang(n, val);
        } else if (!a->ns && strcmp(name, "style") == 0 && strstr(val, "irection")) {
            /* CSS direction is the node's dir; the rest stays tei:style */
            size_t cap = 2 * strlen(val) + 1;
            char *rest = malloc(cap);
            const char *d = rest ? tei_style_direction(val, rest, cap) : NULL;
            if (d)
                dp_node_set_attr(n, "dir", d);
            if (!d || (rest && rest[0]))
                dp_node_set_attr(n, "tei:style", d ? rest : val);
            free(rest);
        } else if (!a->ns && strcmp(name, "rend") == 0) {
            char *copy = strdup(val), *save = NULL;
            for (char *t = copy ? strtok_r(copy, " \t\r\n", &save) : NULL; t; t = strtok_r(NULL, " \t\r\n", &save))
                dp_node_add_class(n, t);
            free(copy);
        } else {
            char key[256];
            if (is_xml)
                snprintf(key, sizeof key, "tei:xml:%s", name);
            else if (a->ns)
                snprintf(key, sizeof key, "tei:%s:%s", a->ns->prefix ? (const char *)a->ns->prefix : "ns", name);
            else
                snprintf(key, sizeof key, "tei:%s", name);
            dp_node_set_attr(n, key, val);
        }
        xmlFree(v);
    }
}

static void report_custom(tr *r, const xmlNode *e)
{
    if (xmlHashLookup(r->reported, e->name))
        return;
    xmlHashAddEntry(r->reported, e->name, (void *)1);
    dp_info(r->ctx, "%s:%d: <%s> has no generic mapping: kept as custom node tei:%s", r->path, (int)e->line,
            tr_ename(e), tr_ename(e));
}

/* A custom node for element e with its attributes as they were. */
dp_node *tr_custom(tr *r, const xmlNode *e, int block)
{
    dp_node *n = tr_mk(r, DP_CUSTOM, e);
    if (!n)
        return NULL;
    char name[160];
    snprintf(name, sizeof name, "tei:%s", tr_ename(e));
    dp_node_set_custom(n, name, block);
    for (const xmlAttr *a = e->properties; a; a = a->next) {
        const char *an = (const char *)a->name;
        int is_xml = a->ns && strcmp((const char *)a->ns->href, (const char *)XML_XML_NAMESPACE) == 0;
        xmlChar *v = xmlNodeListGetString(e->doc, a->children, 1);
        const char *val = v ? (const char *)v : "";
        if ((is_xml || (r->p4 && !a->ns)) && strcmp(an, "id") == 0)
            dp_node_set_id(n, val);
        else if ((is_xml || (r->p4 && !a->ns)) && strcmp(an, "lang") == 0)
            dp_node_set_lang(n, val);
        else {
            char key[256];
            if (is_xml)
                snprintf(key, sizeof key, "xml:%s", an);
            else if (a->ns)
                snprintf(key, sizeof key, "%s:%s", a->ns->prefix ? (const char *)a->ns->prefix : "ns", an);
            else
                snprintf(key, sizeof key, "%s", an);
            dp_node_set_attr(n, key, val);
        }
        xmlFree(v);
    }
    if (!tr_named(e, "gap"))
        report_custom(r, e);
    return n;
}

/* ------------------------------------------------------------------ */
/* Classification                                                       */

/* Phrase-level TEI elements: in block context they start an implicit PLAIN. */
int tr_is_phrase(const xmlNode *e)
{
    static const char *const phrase[] = {
        "hi", "emph", "foreign", "ref", "ptr", "xref", "xptr", "note", "lb", "gap", "choice", "del", "add", "unclear",
        "supplied", "code", "formula", "graphic", "anchor", "seg", "name", "persName", "placeName", "orgName",
        "geogName", "roleName", "forename", "surname", "date", "time", "term", "title", "rs", "abbr", "expan",
        "num", "measure", "mentioned", "soCalled", "gloss", "sic", "corr", "orig", "reg", "q", "said", "damage",
        "distinct", "email", "ident", "gi", "att", "val", "tag", "c", "w", "pc", "s", "ex", "am", "space",
        "handShift", "subst", "surplus", "secl", "mod", "restore", "retrace", "metamark", "index", "interp",
        "lang", "idno", "affiliation", "bibl", "cit", NULL};
    if (!tr_is_tei_el(e))
        return 0;
    if (strcmp(tr_ename(e), "cit") == 0)
        return !tr_has_block_child(e); /* a cit quoting verse or paragraphs is a block */
    return tei_name_in(tr_ename(e), phrase);
}

int tr_is_divname(const xmlNode *e)
{
    if (!tr_is_tei_el(e))
        return 0;
    const char *n = tr_ename(e);
    return strcmp(n, "div") == 0 || (strncmp(n, "div", 3) == 0 && n[3] >= '0' && n[3] <= '7' && n[4] == '\0');
}

/* Elements that hold blocks (a q or quote holding these is a block quote).
 * A quote, q or said child is a block only when it holds blocks itself:
 * <said><quote>Voglio.</quote> Wonder</said> is a phrase inside a <p>. */
int tr_has_block_child(const xmlNode *e)
{
    static const char *const blocks[] = {"p", "ab", "lg", "list", "table", "sp", "eg", "figure",
                                         "floatingText", NULL};
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (tr_named(c, "quote") || tr_named(c, "q") || tr_named(c, "said")) {
            if (tr_has_block_child(c))
                return 1;
            continue;
        }
        if (tr_is_tei_el(c) && tei_name_in(tr_ename(c), blocks))
            return 1;
    }
    return 0;
}

/* The writer's form of an inline image: <figure> with only graphic/figDesc. */
int tr_is_inline_figure(const xmlNode *e)
{
    int graphics = 0;
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_COMMENT_NODE)
            continue;
        if (tr_named(c, "graphic"))
            graphics++;
        else if (!tr_named(c, "figDesc"))
            return 0;
    }
    return graphics == 1;
}

/* Elements that only make sense inside a particular container or between
 * paragraphs; met inside running text (invalid TEI) they are read as text
 * (and reported) rather than kept as elements that would stay invalid. */
int tr_misplaced_inline(const xmlNode *e)
{
    static const char *const names[] = {
        "item", "row", "cell", "head", "speaker", "figDesc", "l", "titlePage", "docTitle", "titlePart",
        "byline", "trailer", "closer", "opener", "signed", "salute", "dateline", "argument", "epigraph",
        "castList", "front", "body", "back", "group", "text", "teiHeader", NULL};
    if (!tr_is_tei_el(e))
        return 0;
    return tei_name_in(tr_ename(e), names);
}

/* Inside a <p>: does this child split the paragraph? */
int tr_breaks_para(const xmlNode *e)
{
    if (!tr_is_tei_el(e))
        return 0;
    const char *n = tr_ename(e);
    if (strcmp(n, "figure") == 0)
        return !tr_is_inline_figure(e);
    if (strcmp(n, "q") == 0 || strcmp(n, "quote") == 0 || strcmp(n, "said") == 0 || strcmp(n, "cit") == 0)
        return tr_has_block_child(e);
    static const char *const b[] = {"list", "table", "lg", "sp", "eg", "floatingText", "p", "ab", "div", NULL};
    return tei_name_in(n, b);
}

/* Whitespace-only text (indentation between blocks). */
int tr_blank(const xmlNode *c)
{
    return (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
           strspn((const char *)c->content, " \t\r\n") == strlen((const char *)c->content);
}

/* The tokens of a @rend as classes of n, but for the one (known) token a
 * reader has already turned into structure ("single", "display"). */
void tr_rend_classes(dp_node *n, const char *rend, const char *known)
{
    char *copy = rend ? strdup(rend) : NULL, *save = NULL;
    for (char *t = copy ? strtok_r(copy, " \t\r\n", &save) : NULL; t; t = strtok_r(NULL, " \t\r\n", &save))
        if (strcmp(t, known) != 0)
            dp_node_add_class(n, t);
    free(copy);
}
