/* TEI importer: TEI P5 (also P4 and bare fragments) into the document tree.
 *
 * libxml2 parses with network access, DTD loading and entity substitution
 * off. The walk is recursive but bounded: libxml2 itself refuses element
 * nesting deeper than 256 without XML_PARSE_HUGE (which we never pass), and
 * dp_ctx_limits()->max_depth is checked on top of that.
 *
 * Block context (body, div, item, cell, note ...) gathers loose inline
 * material into an implicit PLAIN; a block element inside a <p> (a list, a
 * table) splits the paragraph around it. Elements with no mapping become
 * DP_CUSTOM "tei:<name>" keeping their attributes and content. */
#include "tei_internal.h"

#include <ctype.h>
#include <libxml/hash.h>
#include <libxml/parser.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tr {
    dp_ctx *ctx;
    dp_doc *doc;
    const char *path;
    int max_depth;
    int p4;                /* TEI P4: id / lang instead of xml:id / xml:lang */
    size_t ent_bytes;      /* text produced by entity references so far */
    size_t ent_limit;
    int err;
    xmlHashTablePtr reported; /* element names already reported as custom */
    int first_line, first_col; /* the first parse error (libxml2 keeps the last) */
    /* notes kept away from their reference (in <back>, place="end"), placed
     * back where a ref/ptr points at them or an anchor they target stands */
    xmlHashTablePtr note_by_id;     /* xml:id -> note */
    xmlHashTablePtr note_by_anchor; /* anchor xml:id -> note whose @target names it */
    xmlHashTablePtr referenced;     /* "%p" of notes that have a reference */
    xmlHashTablePtr emitted;        /* "%p" of notes already placed */
    const xmlNode *placing;         /* the note being read at its reference */
    char first_msg[400];
} tr;

static void r_blocks(tr *r, dp_node *parent, const xmlNode *first, int depth, int level);
static void r_block_one(tr *r, dp_node *parent, const xmlNode *e, int depth, int level);
static int blank(const xmlNode *c);
static void r_inlines(tr *r, dp_node *parent, const xmlNode *first, int depth);
static void r_inline(tr *r, dp_node *parent, const xmlNode *e, int depth);

/* ------------------------------------------------------------------ */
/* Helpers                                                              */

static int nomem(tr *r)
{
    if (!r->err)
        r->err = dp_fail(r->ctx, DP_ENOMEM, r->path, 0, 0, "tei: out of memory");
    return r->err;
}

static dp_node *mk(tr *r, dp_kind kind, const xmlNode *src)
{
    dp_node *n = dp_node_new(r->doc, kind);
    if (!n) {
        nomem(r);
        return NULL;
    }
    if (src)
        dp_node_set_pos(n, src->line > 0 ? (int)src->line : 0, 0);
    return n;
}

/* Appends child; a containment refusal is a bug in this file's mapping,
 * reported rather than hidden. */
static int add(tr *r, dp_node *parent, dp_node *child)
{
    if (!parent || !child)
        return -1;
    if (dp_node_append_child(parent, child) != 0) {
        dp_warn_at(r->ctx, r->path, dp_node_line(child), 0, "tei: a %s cannot go inside a %s here: its text is kept",
                   dp_kind_name(dp_node_kind(child)), dp_kind_name(dp_node_kind(parent)));
        const char *t = dp_node_plain_text(child, 0);
        if (dp_kind_is_block(dp_node_kind(parent)) && !dp_kind_is_inline(dp_node_kind(parent))) {
            dp_node *p = mk(r, DP_PLAIN, NULL);
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

static int too_deep(tr *r, const xmlNode *e, int depth)
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

static int is_tei_el(const xmlNode *n)
{
    return n && n->type == XML_ELEMENT_NODE &&
           (n->ns == NULL || strcmp((const char *)n->ns->href, TEI_NS) == 0);
}

static const char *ename(const xmlNode *n)
{
    return (const char *)n->name;
}

static int named(const xmlNode *n, const char *name)
{
    return is_tei_el(n) && strcmp(ename(n), name) == 0;
}

/* Attribute value (no namespace) as an arena string, NULL when absent. */
static const char *attr(tr *r, const xmlNode *e, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(e, BAD_CAST name);
    if (!v)
        return NULL;
    const char *s = dp_doc_strdup(r->doc, (const char *)v);
    xmlFree(v);
    return s;
}

static const char *xml_attr(tr *r, const xmlNode *e, const char *local)
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

static int has_token(const char *list, const char *tok)
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
static const char *flat_text(tr *r, const xmlNode *e)
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
static void read_attrs(tr *r, dp_node *n, const xmlNode *e, const char *const *skip)
{
    if (!n)
        return;
    for (const xmlAttr *a = e->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        int is_xml = a->ns && strcmp((const char *)a->ns->href, (const char *)XML_XML_NAMESPACE) == 0;
        int skipped = 0;
        for (const char *const *s = skip; s && *s && !skipped; s++)
            skipped = !a->ns && strcmp(*s, name) == 0;
        if (skipped)
            continue;
        xmlChar *v = xmlNodeListGetString(e->doc, a->children, 1);
        const char *val = v ? (const char *)v : "";
        if ((is_xml || (r->p4 && !a->ns)) && strcmp(name, "id") == 0) {
            dp_node_set_id(n, val);
        } else if ((is_xml || (r->p4 && !a->ns)) && strcmp(name, "lang") == 0) {
            dp_node_set_lang(n, val);
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
            ename(e), ename(e));
}

/* A custom node for element e with its attributes as they were. */
static dp_node *custom(tr *r, const xmlNode *e, int block)
{
    dp_node *n = mk(r, DP_CUSTOM, e);
    if (!n)
        return NULL;
    char name[160];
    snprintf(name, sizeof name, "tei:%s", ename(e));
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
    if (!named(e, "gap"))
        report_custom(r, e);
    return n;
}

/* ------------------------------------------------------------------ */
/* Classification                                                       */

/* Phrase-level TEI elements: in block context they start an implicit PLAIN. */
static int is_phrase(const xmlNode *e)
{
    static const char *const phrase[] = {
        "hi", "emph", "foreign", "ref", "ptr", "note", "lb", "gap", "choice", "del", "add", "unclear",
        "supplied", "code", "formula", "graphic", "anchor", "seg", "name", "persName", "placeName", "orgName",
        "geogName", "roleName", "forename", "surname", "date", "time", "term", "title", "rs", "abbr", "expan",
        "num", "measure", "mentioned", "soCalled", "gloss", "sic", "corr", "orig", "reg", "q", "said", "damage",
        "distinct", "email", "ident", "gi", "att", "val", "tag", "c", "w", "pc", "s", "ex", "am", "space",
        "handShift", "subst", "surplus", "secl", "mod", "restore", "retrace", "metamark", "index", "interp",
        "lang", "idno", "affiliation", "bibl", "cit", NULL};
    if (!is_tei_el(e))
        return 0;
    for (const char *const *p = phrase; *p; p++)
        if (strcmp(*p, ename(e)) == 0)
            return 1;
    return 0;
}

static int is_divname(const xmlNode *e)
{
    if (!is_tei_el(e))
        return 0;
    const char *n = ename(e);
    return strcmp(n, "div") == 0 || (strncmp(n, "div", 3) == 0 && n[3] >= '0' && n[3] <= '7' && n[4] == '\0');
}

/* Elements that hold blocks (a q or quote holding these is a block quote). */
static int has_block_child(const xmlNode *e)
{
    static const char *const blocks[] = {"p", "ab", "lg", "list", "table", "sp", "quote", "eg", "figure",
                                         "floatingText", NULL};
    for (const xmlNode *c = e->children; c; c = c->next)
        for (const char *const *b = blocks; *b; b++)
            if (named(c, *b))
                return 1;
    return 0;
}

/* The writer's form of an inline image: <figure> with only graphic/figDesc. */
static int is_inline_figure(const xmlNode *e)
{
    int graphics = 0;
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_COMMENT_NODE)
            continue;
        if (named(c, "graphic"))
            graphics++;
        else if (!named(c, "figDesc"))
            return 0;
    }
    return graphics == 1;
}

/* Elements that only make sense inside a particular container or between
 * paragraphs; met inside running text (invalid TEI) they are read as text
 * (and reported) rather than kept as elements that would stay invalid. */
static int misplaced_inline(const xmlNode *e)
{
    static const char *const names[] = {
        "item", "row", "cell", "head", "speaker", "figDesc", "l", "titlePage", "docTitle", "titlePart",
        "byline", "trailer", "closer", "opener", "signed", "salute", "dateline", "argument", "epigraph",
        "castList", "front", "body", "back", "group", "text", "teiHeader", NULL};
    if (!is_tei_el(e))
        return 0;
    for (const char *const *n = names; *n; n++)
        if (strcmp(*n, ename(e)) == 0)
            return 1;
    return 0;
}

/* Inside a <p>: does this child split the paragraph? */
static int breaks_para(const xmlNode *e)
{
    if (!is_tei_el(e))
        return 0;
    const char *n = ename(e);
    if (strcmp(n, "figure") == 0)
        return !is_inline_figure(e);
    if (strcmp(n, "q") == 0 || strcmp(n, "quote") == 0 || strcmp(n, "said") == 0)
        return has_block_child(e);
    static const char *const b[] = {"list", "table", "lg", "sp", "eg", "floatingText", "p", "ab", "div", NULL};
    for (const char *const *s = b; *s; s++)
        if (strcmp(*s, n) == 0)
            return 1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Notes collected away from their reference                            */

static void ptr_key(const xmlNode *n, char *buf, size_t len)
{
    snprintf(buf, len, "%p", (const void *)n);
}

static int in_hash(xmlHashTablePtr h, const xmlNode *n)
{
    char key[32];
    ptr_key(n, key, sizeof key);
    return h && xmlHashLookup(h, BAD_CAST key) != NULL;
}

static void mark(xmlHashTablePtr h, const xmlNode *n)
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
        if (named(a, name))
            return 1;
    return 0;
}

/* Finds the notes that live away from their reference point. */
static void index_notes(tr *r, const xmlNode *top)
{
    char idbuf[256];
    for (const xmlNode *n = top; n; n = next_in_doc(n, top)) {
        if (!named(n, "note"))
            continue;
        const xmlNode *p = n->parent;
        xmlChar *place = xmlGetNoNsProp(n, BAD_CAST "place");
        int away = within(n, "back") || (place && strcmp((const char *)place, "end") == 0) ||
                   (p && (is_divname(p) || named(p, "body") || named(p, "back") || named(p, "front") ||
                          named(p, "noteGrp")));
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
        if (named(n, "ref") || named(n, "ptr")) {
            xmlChar *target = xmlGetNoNsProp(n, BAD_CAST "target");
            if (local_target((const char *)target, idbuf, sizeof idbuf))
                note = xmlHashLookup(r->note_by_id, BAD_CAST idbuf);
            xmlFree(target);
        } else if (named(n, "anchor")) {
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
                mark(r->referenced, note);
        }
    }
}

/* The note a ref/ptr/anchor places here, or NULL. */
static const xmlNode *placed_note(tr *r, const xmlNode *e)
{
    char idbuf[256];
    const xmlNode *note = NULL;
    if (named(e, "ref") || named(e, "ptr")) {
        xmlChar *target = xmlGetNoNsProp(e, BAD_CAST "target");
        if (local_target((const char *)target, idbuf, sizeof idbuf))
            note = xmlHashLookup(r->note_by_id, BAD_CAST idbuf);
        xmlFree(target);
    } else if (named(e, "anchor")) {
        xmlChar *id = xmlGetNsProp(e, BAD_CAST "id", XML_XML_NAMESPACE);
        if (id)
            note = xmlHashLookup(r->note_by_anchor, id);
        xmlFree(id);
    }
    if (!note || !in_hash(r->referenced, note) || in_hash(r->emitted, note))
        return NULL;
    for (const xmlNode *a = e; a; a = a->parent)
        if (a == note)
            return NULL;
    return note;
}

/* A division that holds nothing but notes placed at their references. */
static int only_placed_notes(tr *r, const xmlNode *e)
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
        if (named(c, "note") && in_hash(r->referenced, c))
            any = 1;
        else if ((is_divname(c) || named(c, "noteGrp")) && only_placed_notes(r, c))
            any = 1;
        else
            return 0;
    }
    return any;
}

/* ------------------------------------------------------------------ */
/* Inlines                                                              */

/* hi rend tokens -> kinds; unknown tokens become classes on a SPAN. */
static void r_hi(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    static const struct {
        const char *tok;
        dp_kind kind;
    } map[] = {{"italic", DP_EMPH}, {"italics", DP_EMPH}, {"i", DP_EMPH}, {"it", DP_EMPH},
               {"bold", DP_STRONG}, {"b", DP_STRONG}, {"underline", DP_UNDERLINE}, {"u", DP_UNDERLINE},
               {"strikethrough", DP_STRIKEOUT}, {"line-through", DP_STRIKEOUT}, {"strike", DP_STRIKEOUT},
               {"superscript", DP_SUPERSCRIPT}, {"sup", DP_SUPERSCRIPT}, {"sub", DP_SUBSCRIPT},
               {"subscript", DP_SUBSCRIPT}, {"smallcaps", DP_SMALL_CAPS}, {"small-caps", DP_SMALL_CAPS},
               {"sc", DP_SMALL_CAPS}};
    const char *rend = attr(r, e, "rend");
    dp_node *outer = NULL, *inner = NULL;
    char *copy = strdup(rend ? rend : ""), *save = NULL;
    dp_node *span = NULL;
    for (char *t = copy ? strtok_r(copy, " \t\r\n", &save) : NULL; t; t = strtok_r(NULL, " \t\r\n", &save)) {
        dp_kind k = DP_NODE_NONE;
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
            if (strcmp(map[i].tok, t) == 0)
                k = map[i].kind;
        if (k == DP_NODE_NONE) {
            if (!span)
                span = mk(r, DP_SPAN, e);
            dp_node_add_class(span, t);
            continue;
        }
        dp_node *n = mk(r, k, e);
        if (!outer)
            outer = n;
        else
            add(r, inner, n);
        inner = n;
    }
    free(copy);
    if (span) {
        if (!outer)
            outer = span;
        else
            add(r, inner, span);
        inner = span;
    }
    if (!outer) /* <hi> without rend: highlighted, style unknown */
        outer = inner = mk(r, DP_SPAN, e);
    static const char *const skip[] = {"rend", NULL};
    read_attrs(r, outer, e, skip);
    add(r, parent, outer);
    r_inlines(r, inner, e->children, depth + 1);
}

static void r_choice(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    static const char *const pairs[][2] = {{"sic", "corr"}, {"abbr", "expan"}, {"orig", "reg"}};
    const xmlNode *kids[3];
    int nk = 0;
    for (const xmlNode *c = e->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) {
            if (nk == 2) {
                nk = 3;
                break;
            }
            kids[nk++] = c;
        }
    if (nk == 2) {
        for (size_t i = 0; i < 3; i++) {
            const xmlNode *alt = NULL, *reading = NULL;
            for (int k = 0; k < 2; k++) {
                if (named(kids[k], pairs[i][0]))
                    alt = kids[k];
                if (named(kids[k], pairs[i][1]))
                    reading = kids[k];
            }
            if (!alt || !reading)
                continue;
            /* an alternative with markup of its own (<sic>gvn<ex>n</ex>...) does
             * not fit in an attribute: the choice is kept whole below */
            int marked_up = 0;
            for (const xmlNode *g = alt->children; g; g = g->next)
                marked_up |= g->type == XML_ELEMENT_NODE;
            if (marked_up || alt->properties)
                break;
            dp_node *span = mk(r, DP_SPAN, e);
            dp_node_add_class(span, "choice");
            read_attrs(r, span, e, NULL);
            char key[16];
            snprintf(key, sizeof key, "tei:%s", pairs[i][0]);
            const char *t = flat_text(r, alt);
            dp_node_set_attr(span, key, t ? t : "");
            add(r, parent, span);
            r_inlines(r, span, reading->children, depth + 1);
            return;
        }
    }
    /* another shape of choice: keep it whole */
    dp_node *c = custom(r, e, 0);
    add(r, parent, c);
    r_inlines(r, c, e->children, depth + 1);
}

static void r_text(tr *r, dp_node *parent, const xmlNode *t)
{
    const char *s = (const char *)t->content;
    if (!s || !*s)
        return;
    dp_node *n = dp_node_new_text(r->doc, DP_TEXT, s, strlen(s));
    if (!n) {
        nomem(r);
        return;
    }
    add(r, parent, n);
}

/* The reading of a block element met where only inlines may go (deep in a
 * <hi>, say): kept as a span of its flattened content. */
static void r_flatten(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    dp_warn_at(r->ctx, r->path, (int)e->line, 0, "tei: <%s> inside inline content: kept as inline text",
               ename(e));
    dp_node *span = mk(r, DP_SPAN, e);
    dp_node_add_class(span, ename(e));
    add(r, parent, span);
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && breaks_para(c))
            r_flatten(r, span, c, depth + 1);
        else
            r_inline(r, span, c, depth + 1);
        if (c->next && c->type == XML_ELEMENT_NODE)
            add(r, span, dp_node_new_text(r->doc, DP_TEXT, " ", 1));
    }
}

static void r_inline(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    if (too_deep(r, e, depth))
        return;
    switch (e->type) {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
        r_text(r, parent, e);
        return;
    case XML_ENTITY_REF_NODE: {
        xmlEntityPtr ent = xmlGetDocEntity(e->doc, e->name);
        if (!ent || ent->etype == XML_EXTERNAL_GENERAL_PARSED_ENTITY ||
            ent->etype == XML_EXTERNAL_GENERAL_UNPARSED_ENTITY) {
            /* never loaded: external entities are a way to read local files */
            dp_warn_at(r->ctx, r->path, (int)e->line, 0, "tei: %s entity &%s; not expanded: dropped",
                       ent ? "external" : "undeclared", (const char *)e->name);
            return;
        }
        xmlChar *c = xmlNodeGetContent(e);
        r->ent_bytes += c ? strlen((const char *)c) : 0;
        xmlFree(c);
        if (r->ent_bytes > r->ent_limit) {
            r->err = dp_fail(r->ctx, DP_ELIMIT, r->path, (int)e->line, 0,
                             "tei: entity expansion exceeds the limit of %zu bytes", r->ent_limit);
            return;
        }
        r_inlines(r, parent, e->children, depth + 1);
        return;
    }
    case XML_ELEMENT_NODE:
        break;
    default:
        return; /* comments, processing instructions */
    }
    if (!is_tei_el(e)) {
        /* another vocabulary (egXML examples, SVG ...): kept verbatim as raw
         * XML, which the TEI writer puts back as it was */
        /* a copy in a document of its own carries every namespace it uses
         * (prefixes declared on an ancestor are declared on the copy) */
        xmlBufferPtr b = xmlBufferCreate();
        xmlDocPtr tmp = xmlNewDoc(BAD_CAST "1.0");
        xmlNodePtr copy = tmp ? xmlDocCopyNode((xmlNodePtr)e, tmp, 1) : NULL;
        if (copy) {
            xmlDocSetRootElement(tmp, copy);
            xmlReconciliateNs(tmp, copy);
        }
        if (!b || !copy || xmlNodeDump(b, tmp, copy, 0, 0) < 0) {
            xmlBufferFree(b);
            xmlFreeDoc(tmp);
            nomem(r);
            return;
        }
        xmlFreeDoc(tmp);
        dp_node *raw = dp_node_new_text(r->doc, DP_RAW_INLINE, (const char *)xmlBufferContent(b),
                                        (size_t)xmlBufferLength(b));
        xmlBufferFree(b);
        if (!raw) {
            nomem(r);
            return;
        }
        dp_node_set_format(raw, "xml");
        dp_info(r->ctx, "%s:%d: <%s> from namespace %s kept as raw XML", r->path, (int)e->line, ename(e),
                e->ns ? (const char *)e->ns->href : "?");
        add(r, parent, raw);
        return;
    }
    const char *name = ename(e);
    dp_node *n = NULL;
    static const char *const skip_rend[] = {"rend", NULL};
    const xmlNode *placed = placed_note(r, e);
    if (placed) {
        /* the reference to a collected note: the note itself goes here; the
         * reference's own text is kept unless it is just the note's label */
        const char *rt = flat_text(r, e);
        const char *label = attr(r, placed, "n");
        if (rt && *rt && !(label && strcmp(rt, label) == 0))
            r_inlines(r, parent, e->children, depth + 1);
        mark(r->emitted, placed);
        r->placing = placed;
        r_inline(r, parent, placed, depth + 1);
        return;
    }
    if (strcmp(name, "note") == 0 && in_hash(r->referenced, e) && r->placing != e)
        return; /* its place is at its reference */
    int being_placed = r->placing == e;
    if (being_placed)
        r->placing = NULL;
    if (strcmp(name, "hi") == 0) {
        r_hi(r, parent, e, depth);
        return;
    } else if (strcmp(name, "emph") == 0) {
        n = mk(r, DP_EMPH, e);
        dp_node_add_class(n, "emph");
    } else if (strcmp(name, "foreign") == 0) {
        n = mk(r, DP_SPAN, e);
        if (!xml_attr(r, e, "lang"))
            dp_node_add_class(n, "foreign");
    } else if (strcmp(name, "q") == 0 || strcmp(name, "quote") == 0 || strcmp(name, "said") == 0) {
        n = mk(r, DP_QUOTED, e);
        if (strcmp(name, "q") != 0)
            dp_node_add_class(n, name);
        const char *rend = attr(r, e, "rend");
        if (has_token(rend, "single")) {
            dp_node_set_quote(n, DP_QUOTE_SINGLE);
            read_attrs(r, n, e, skip_rend);
            char *copy = strdup(rend), *save = NULL;
            for (char *t = copy ? strtok_r(copy, " \t\r\n", &save) : NULL; t; t = strtok_r(NULL, " \t\r\n", &save))
                if (strcmp(t, "single") != 0)
                    dp_node_add_class(n, t);
            free(copy);
            add(r, parent, n);
            r_inlines(r, n, e->children, depth + 1);
            return;
        }
    } else if (strcmp(name, "ref") == 0 && has_token(attr(r, e, "type"), "cite")) {
        n = mk(r, DP_CITE, e);
        const char *target = attr(r, e, "target");
        char *copy = strdup(target ? target : ""), *save = NULL;
        for (char *t = copy ? strtok_r(copy, " \t\r\n", &save) : NULL; t; t = strtok_r(NULL, " \t\r\n", &save)) {
            dp_citation c = {t[0] == '#' ? t + 1 : t, NULL, NULL, DP_CITE_NORMAL};
            dp_node_add_citation(n, &c);
        }
        free(copy);
        static const char *const skip[] = {"type", "target", NULL};
        read_attrs(r, n, e, skip);
        add(r, parent, n);
        r_inlines(r, n, e->children, depth + 1);
        return;
    } else if (strcmp(name, "ref") == 0 || strcmp(name, "ptr") == 0) {
        n = mk(r, DP_LINK, e);
        const char *target = attr(r, e, "target");
        dp_node_set_url(n, target ? target : "");
        static const char *const skip[] = {"target", NULL};
        read_attrs(r, n, e, skip);
        add(r, parent, n);
        r_inlines(r, n, e->children, depth + 1);
        return;
    } else if (strcmp(name, "note") == 0) {
        n = mk(r, DP_NOTE, e);
        const char *label = attr(r, e, "n");
        if (label)
            dp_node_set_label(n, label);
        static const char *const skip[] = {"n", "place", NULL};
        const char *place = attr(r, e, "place");
        if (place && strcmp(place, "foot") != 0)
            dp_node_set_attr(n, "tei:place", place);
        read_attrs(r, n, e, skip);
        if (being_placed) {
            /* where it was collected, and its pointer back, are not the note's */
            dp_node_set_attr(n, "tei:target", NULL);
            if (place && strcmp(place, "end") == 0)
                dp_node_set_attr(n, "tei:place", NULL);
        }
        /* the id the writer derives from the label is not the author's */
        const char *id = dp_node_id(n);
        if (id && strncmp(id, "note-", 5) == 0) {
            const char *rest = id + 5;
            int generated = (label && strcmp(rest, label) == 0) || strcmp(rest, "asterisk") == 0 ||
                            strcmp(rest, "dagger") == 0 ||
                            (rest[0] == 'n' && rest[1] && strspn(rest + 1, "0123456789") == strlen(rest + 1));
            if (generated)
                dp_node_set_id(n, NULL);
        }
        add(r, parent, n);
        r_blocks(r, n, e->children, depth + 1, 0);
        return;
    } else if (strcmp(name, "lb") == 0) {
        n = mk(r, DP_LINE_BREAK, e);
        read_attrs(r, n, e, NULL);
        add(r, parent, n);
        return;
    } else if (strcmp(name, "pb") == 0 || strcmp(name, "milestone") == 0) {
        n = mk(r, DP_PAGE_BREAK, e);
        const char *num = attr(r, e, "n");
        if (num)
            dp_node_set_label(n, num);
        static const char *const skip[] = {"n", NULL};
        read_attrs(r, n, e, skip);
        add(r, parent, n);
        return;
    } else if (strcmp(name, "choice") == 0) {
        r_choice(r, parent, e, depth);
        return;
    } else if (strcmp(name, "del") == 0) {
        n = mk(r, DP_STRIKEOUT, e);
        dp_node_add_class(n, "del");
    } else if (strcmp(name, "add") == 0 || strcmp(name, "unclear") == 0 || strcmp(name, "supplied") == 0) {
        n = mk(r, DP_SPAN, e);
        dp_node_add_class(n, name);
    } else if (strcmp(name, "seg") == 0 && !attr(r, e, "type")) {
        n = mk(r, DP_SPAN, e);
    } else if (strcmp(name, "code") == 0) {
        xmlChar *c = xmlNodeGetContent(e);
        n = dp_node_new_text(r->doc, DP_CODE, c ? (const char *)c : "", c ? strlen((const char *)c) : 0);
        xmlFree(c);
        read_attrs(r, n, e, NULL);
        add(r, parent, n);
        return;
    } else if (strcmp(name, "formula") == 0) {
        xmlChar *c = xmlNodeGetContent(e);
        n = dp_node_new_text(r->doc, DP_MATH, c ? (const char *)c : "", c ? strlen((const char *)c) : 0);
        xmlFree(c);
        const char *notation = attr(r, e, "notation");
        if (notation && (strcmp(notation, "MathML") == 0 || strcmp(notation, "mathml") == 0))
            dp_node_set_format(n, "mathml");
        const char *rend = attr(r, e, "rend");
        if (has_token(rend, "display"))
            dp_node_set_math_display(n, 1);
        static const char *const skip[] = {"notation", "rend", NULL};
        read_attrs(r, n, e, skip);
        if (rend) {
            char *copy = strdup(rend), *save = NULL;
            for (char *t = copy ? strtok_r(copy, " \t\r\n", &save) : NULL; t; t = strtok_r(NULL, " \t\r\n", &save))
                if (strcmp(t, "display") != 0)
                    dp_node_add_class(n, t);
            free(copy);
        }
        add(r, parent, n);
        return;
    } else if (strcmp(name, "graphic") == 0 || (strcmp(name, "figure") == 0 && is_inline_figure(e))) {
        const xmlNode *g = e, *desc = NULL;
        if (strcmp(name, "figure") == 0)
            for (const xmlNode *c = e->children; c; c = c->next) {
                if (named(c, "graphic"))
                    g = c;
                if (named(c, "figDesc"))
                    desc = c;
            }
        n = mk(r, DP_IMAGE, g);
        const char *url = attr(r, g, "url");
        dp_node_set_url(n, url ? url : "");
        for (const xmlNode *c = g->children; c; c = c->next)
            if (named(c, "desc"))
                dp_node_set_title(n, flat_text(r, c));
        static const char *const skip[] = {"url", NULL};
        read_attrs(r, n, g, skip);
        add(r, parent, n);
        if (desc)
            r_inlines(r, n, desc->children, depth + 1);
        return;
    } else if (breaks_para(e) || is_divname(e) || strcmp(name, "figure") == 0 || misplaced_inline(e)) {
        r_flatten(r, parent, e, depth);
        return;
    } else {
        n = custom(r, e, 0);
        add(r, parent, n);
        r_inlines(r, n, e->children, depth + 1);
        return;
    }
    read_attrs(r, n, e, NULL);
    add(r, parent, n);
    r_inlines(r, n, e->children, depth + 1);
}

static void r_inlines(tr *r, dp_node *parent, const xmlNode *first, int depth)
{
    for (const xmlNode *c = first; c && !r->err; c = c->next)
        r_inline(r, parent, c, depth);
}

/* ------------------------------------------------------------------ */
/* Blocks                                                               */

/* <p> (kind PARA) or <ab> (PLAIN): inline content, split around blocks. */
static void r_para(tr *r, dp_node *parent, const xmlNode *e, dp_kind kind, int depth, int level)
{
    dp_node *cur = mk(r, kind, e);
    read_attrs(r, cur, e, NULL);
    add(r, parent, cur);
    for (const xmlNode *c = e->children; c && !r->err; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && breaks_para(c)) {
            r_block_one(r, parent, c, depth + 1, level);
            cur = NULL;
            continue;
        }
        if (!cur) {
            /* a continuation after a block; whitespace alone does not start one */
            if ((c->type == XML_TEXT_NODE) && strspn((const char *)c->content, " \t\r\n") == strlen((const char *)c->content))
                continue;
            cur = mk(r, kind, c);
            add(r, parent, cur);
        }
        r_inline(r, cur, c, depth + 1);
    }
}

static void r_list(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    const char *type = attr(r, e, "type");
    int gloss = has_token(type, "gloss");
    for (const xmlNode *c = e->children; c && !gloss; c = c->next)
        gloss = named(c, "label");
    for (const xmlNode *c = e->children; c; c = c->next)
        if (named(c, "head")) {
            dp_node *h = mk(r, DP_PARA, c);
            dp_node_add_class(h, "head");
            read_attrs(r, h, c, NULL);
            add(r, parent, h);
            r_inlines(r, h, c->children, depth + 1);
        }
    if (gloss) {
        dp_node *dl = mk(r, DP_DEF_LIST, e);
        static const char *const skip[] = {"type", NULL};
        read_attrs(r, dl, e, has_token(type, "gloss") ? skip : NULL);
        add(r, parent, dl);
        dp_node *di = NULL;
        for (const xmlNode *c = e->children; c && !r->err; c = c->next) {
            if (named(c, "label")) {
                di = mk(r, DP_DEF_ITEM, c);
                add(r, dl, di);
                dp_node *t = mk(r, DP_DEF_TERM, c);
                read_attrs(r, t, c, NULL);
                add(r, di, t);
                r_inlines(r, t, c->children, depth + 2);
            } else if (named(c, "item")) {
                if (!di) {
                    di = mk(r, DP_DEF_ITEM, c);
                    add(r, dl, di);
                    add(r, di, mk(r, DP_DEF_TERM, c));
                }
                dp_node *d = mk(r, DP_DEF_DESC, c);
                read_attrs(r, d, c, NULL);
                add(r, di, d);
                r_blocks(r, d, c->children, depth + 2, 0);
                di = NULL;
            }
        }
        return;
    }
    dp_node *list = mk(r, DP_LIST, e);
    const char *rend = attr(r, e, "rend");
    int ordered = 0;
    dp_list_style style = DP_STYLE_DEFAULT;
    static const char *const ord[] = {"numbered", "ordered", "decimal", "arabic", "lower-alpha", "upper-alpha",
                                      "lower-roman", "upper-roman", NULL};
    for (int i = 0; ord[i]; i++)
        if (has_token(rend, ord[i]) || has_token(type, ord[i])) {
            ordered = 1;
            if (i >= 2)
                style = i == 2 || i == 3 ? DP_STYLE_DECIMAL : (dp_list_style)(i - 2);
        }
    int start = 1, tight = 1, first = 1;
    for (const xmlNode *c = e->children; c && !r->err; c = c->next) {
        if (!named(c, "item"))
            continue;
        dp_node *li = mk(r, DP_LIST_ITEM, c);
        const char *n = attr(r, c, "n");
        if (first && n && ordered && isdigit((unsigned char)n[0]))
            start = atoi(n);
        const char *irend = attr(r, c, "rend");
        static const char *const skip_n[] = {"n", NULL};
        read_attrs(r, li, c, first && ordered && n && isdigit((unsigned char)n[0]) ? skip_n : NULL);
        if (has_token(irend, "task-done")) {
            dp_node_set_task(li, DP_TASK_CHECKED);
            dp_node_remove_class(li, "task-done");
        } else if (has_token(irend, "task-todo")) {
            dp_node_set_task(li, DP_TASK_UNCHECKED);
            dp_node_remove_class(li, "task-todo");
        }
        first = 0;
        add(r, list, li);
        r_blocks(r, li, c->children, depth + 2, 0);
        for (const dp_node *b = dp_node_first_child(li); b; b = dp_node_next(b))
            if (dp_node_kind(b) == DP_PARA)
                tight = 0;
    }
    dp_node_set_list(list, ordered ? DP_LIST_ORDERED : DP_LIST_BULLET, start, DP_DELIM_DEFAULT, style, tight);
    static const char *const skip[] = {"rend", NULL};
    read_attrs(r, list, e, skip);
    if (rend) {
        char *copy = strdup(rend), *save = NULL;
        for (char *t = copy ? strtok_r(copy, " \t\r\n", &save) : NULL; t; t = strtok_r(NULL, " \t\r\n", &save)) {
            int known = strcmp(t, "bulleted") == 0;
            for (int i = 0; ord[i]; i++)
                known |= strcmp(t, ord[i]) == 0;
            if (!known)
                dp_node_add_class(list, t);
        }
        free(copy);
    }
    add(r, parent, list);
}

/* Alignment shared by every cell of a column is the column's (the writer
 * repeats a column's alignment on each cell, TEI having no column specs). */
static void column_aligns(dp_node *table, int ncols)
{
    dp_align *al = calloc((size_t)ncols, sizeof *al);
    int *seen = calloc((size_t)ncols, sizeof *seen);
    int uniform = al && seen;
    for (dp_node *sec = dp_node_first_child(table); sec && uniform; sec = dp_node_next(sec)) {
        if (dp_node_kind(sec) == DP_CAPTION)
            continue;
        for (dp_node *row = dp_node_first_child(sec); row && uniform; row = dp_node_next(row)) {
            int col = 0;
            for (dp_node *c = dp_node_first_child(row); c && uniform; c = dp_node_next(c), col++) {
                if (dp_node_cell_rowspan(c) > 1 || dp_node_cell_colspan(c) > 1 || col >= ncols) {
                    uniform = 0; /* spans: leave the alignment on the cells */
                } else if (!seen[col]) {
                    seen[col] = 1;
                    al[col] = dp_node_cell_align(c);
                } else if (al[col] != dp_node_cell_align(c)) {
                    al[col] = DP_ALIGN_DEFAULT;
                    seen[col] = 2; /* mixed */
                }
            }
        }
    }
    if (uniform) {
        for (int i = 0; i < ncols; i++)
            if (seen[i] == 2)
                al[i] = DP_ALIGN_DEFAULT;
        for (dp_node *sec = dp_node_first_child(table); sec; sec = dp_node_next(sec)) {
            if (dp_node_kind(sec) == DP_CAPTION)
                continue;
            for (dp_node *row = dp_node_first_child(sec); row; row = dp_node_next(row)) {
                int col = 0;
                for (dp_node *c = dp_node_first_child(row); c; c = dp_node_next(c), col++)
                    if (seen[col] == 1 && al[col] != DP_ALIGN_DEFAULT)
                        dp_node_set_cell(c, DP_ALIGN_DEFAULT, 1, 1, dp_node_cell_header(c));
            }
        }
        dp_node_set_table_cols(table, ncols, al, NULL);
    } else {
        dp_node_set_table_cols(table, ncols, NULL, NULL);
    }
    free(al);
    free(seen);
}

static void r_table(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    dp_node *table = mk(r, DP_TABLE, e);
    read_attrs(r, table, e, NULL);
    add(r, parent, table);
    dp_node *thead = NULL, *tbody = NULL, *tfoot = NULL;
    int ncols = 0;
    for (const xmlNode *c = e->children; c && !r->err; c = c->next) {
        if (named(c, "head")) {
            dp_node *cap = mk(r, DP_CAPTION, c);
            read_attrs(r, cap, c, NULL);
            dp_node *pl = mk(r, DP_PLAIN, c);
            add(r, cap, pl);
            r_inlines(r, pl, c->children, depth + 2);
            if (dp_node_first_child(table))
                dp_node_insert_before(dp_node_first_child(table), cap);
            else
                add(r, table, cap);
            continue;
        }
        if (!named(c, "row"))
            continue;
        const char *role = attr(r, c, "role");
        int label_row = role && strcmp(role, "label") == 0;
        int foot = has_token(attr(r, c, "rend"), "foot");
        dp_node *sec;
        if (foot) {
            if (!tfoot)
                tfoot = mk(r, DP_TABLE_FOOT, c);
            sec = tfoot;
        } else if (label_row && !tbody) {
            if (!thead) {
                thead = mk(r, DP_TABLE_HEAD, c);
                add(r, table, thead);
            }
            sec = thead;
        } else {
            if (!tbody) {
                tbody = mk(r, DP_TABLE_BODY, c);
                add(r, table, tbody);
            }
            sec = tbody;
        }
        dp_node *row = mk(r, DP_TABLE_ROW, c);
        static const char *const skip_row[] = {"role", NULL};
        read_attrs(r, row, c, label_row && sec == thead ? skip_row : NULL);
        dp_node_remove_class(row, "foot");
        add(r, sec, row);
        int cols = 0;
        for (const xmlNode *ce = c->children; ce && !r->err; ce = ce->next) {
            if (!named(ce, "cell"))
                continue;
            dp_node *cell = mk(r, DP_TABLE_CELL, ce);
            const char *crole = attr(r, ce, "role");
            const char *rows = attr(r, ce, "rows"), *cs = attr(r, ce, "cols");
            const char *crend = attr(r, ce, "rend");
            dp_align al = DP_ALIGN_DEFAULT;
            if (has_token(crend, "align-left"))
                al = DP_ALIGN_LEFT;
            else if (has_token(crend, "align-center"))
                al = DP_ALIGN_CENTER;
            else if (has_token(crend, "align-right"))
                al = DP_ALIGN_RIGHT;
            int rs = rows ? atoi(rows) : 1, csp = cs ? atoi(cs) : 1;
            dp_node_set_cell(cell, al, rs > 0 ? rs : 1, csp > 0 ? csp : 1,
                             (crole && strcmp(crole, "label") == 0) || (label_row && sec == thead));
            static const char *const skip[] = {"role", "rows", "cols", NULL};
            read_attrs(r, cell, ce, skip);
            dp_node_remove_class(cell, "align-left");
            dp_node_remove_class(cell, "align-center");
            dp_node_remove_class(cell, "align-right");
            add(r, row, cell);
            r_blocks(r, cell, ce->children, depth + 3, 0);
            cols += csp > 0 ? csp : 1;
        }
        if (cols > ncols)
            ncols = cols;
    }
    if (tfoot)
        add(r, table, tfoot);
    if (ncols > 0 && ncols < 10000)
        column_aligns(table, ncols);
}

static void r_figure(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    dp_node *fig = mk(r, DP_FIGURE, e);
    read_attrs(r, fig, e, NULL);
    add(r, parent, fig);
    dp_node *cap = NULL, *last_img = NULL;
    for (const xmlNode *c = e->children; c && !r->err; c = c->next) {
        if (named(c, "head")) {
            if (cap)
                continue;
            cap = mk(r, DP_CAPTION, c);
            read_attrs(r, cap, c, NULL);
            dp_node *pl = mk(r, DP_PLAIN, c);
            add(r, cap, pl);
            r_inlines(r, pl, c->children, depth + 2);
        } else if (named(c, "graphic")) {
            dp_node *pl = mk(r, DP_PLAIN, c);
            add(r, fig, pl);
            r_inline(r, pl, c, depth + 2);
            last_img = dp_node_last_child(pl);
        } else if (named(c, "figDesc")) {
            if (last_img && !dp_node_first_child(last_img)) {
                r_inlines(r, last_img, c->children, depth + 2);
            } else {
                dp_node *p = mk(r, DP_PARA, c);
                dp_node_add_class(p, "figDesc");
                add(r, fig, p);
                r_inlines(r, p, c->children, depth + 2);
            }
        } else if (c->type == XML_ELEMENT_NODE) {
            r_block_one(r, fig, c, depth + 1, 0);
        }
    }
    if (cap)
        add(r, fig, cap);
}

static void r_lg(tr *r, dp_node *parent, const xmlNode *e, int depth, dp_node *lb)
{
    if (!lb) {
        lb = mk(r, DP_LINE_BLOCK, e);
        read_attrs(r, lb, e, NULL);
        add(r, parent, lb);
    }
    for (const xmlNode *c = e->children; c && !r->err; c = c->next) {
        if (named(c, "l") || named(c, "head")) {
            dp_node *l = mk(r, DP_LINE, c);
            read_attrs(r, l, c, NULL);
            if (named(c, "head"))
                dp_node_add_class(l, "head");
            add(r, lb, l);
            r_inlines(r, l, c->children, depth + 2);
        } else if (named(c, "lg")) {
            dp_info(r->ctx, "%s:%d: nested <lg> read as lines of the outer line group", r->path, (int)c->line);
            r_lg(r, parent, c, depth + 1, lb);
        } else if (c->type == XML_ELEMENT_NODE) {
            dp_node *l = mk(r, DP_LINE, c);
            add(r, lb, l);
            r_inline(r, l, c, depth + 2);
        }
    }
}

/* sp -> a division of class "sp"; its speaker(s) -> paragraphs of class "speaker". */
static void r_sp(tr *r, dp_node *parent, const xmlNode *e, int depth, int level)
{
    dp_node *div = mk(r, DP_DIV, e);
    read_attrs(r, div, e, NULL);
    dp_node_add_class(div, "sp");
    add(r, parent, div);
    r_blocks(r, div, e->children, depth + 1, level);
}

static void r_div(tr *r, dp_node *parent, const xmlNode *e, int depth, int level)
{
    int lvl = level + 1;
    const xmlNode *head = NULL;
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            if (named(c, "head"))
                head = c;
            break;
        }
    }
    if (!head) {
        dp_node *div = mk(r, DP_DIV, e);
        read_attrs(r, div, e, NULL);
        add(r, parent, div);
        r_blocks(r, div, e->children, depth + 1, lvl);
        return;
    }
    /* A division followed by something other than divisions (a titlePage
     * after the front's divs, a trailer) cannot be flattened into a heading
     * without swallowing what follows: it stays a DP_DIV round its heading. */
    int wrap = 0;
    for (const xmlNode *s = e->next; s && !wrap; s = s->next)
        wrap = (s->type == XML_ELEMENT_NODE && !is_divname(s)) ||
               ((s->type == XML_TEXT_NODE || s->type == XML_CDATA_SECTION_NODE) && !blank(s));
    if (wrap) {
        dp_node *div = mk(r, DP_DIV, e);
        add(r, parent, div);
        parent = div;
    }
    dp_node *h = mk(r, DP_HEADING, head);
    dp_node_set_heading_level(h, lvl > 6 ? 6 : lvl);
    /* the division's attributes travel on its heading: xml:id as the id,
     * the others (type, n ...) as tei:* for the writer's <div> */
    read_attrs(r, h, e, NULL);
    for (int i = dp_node_class_count(h) - 1; i >= 0; i--) {
        /* div@rend is not the head's rendering: keep it as an attribute */
        char *cls = dp_doc_strdup(r->doc, dp_node_class_at(h, i));
        dp_node_remove_class(h, cls);
        const char *old = dp_node_attr(h, "tei:rend");
        char buf[512];
        snprintf(buf, sizeof buf, "%s%s%s", cls, old ? " " : "", old ? old : "");
        dp_node_set_attr(h, "tei:rend", buf);
    }
    const char *hl = xml_attr(r, head, "lang");
    if (hl)
        dp_node_set_lang(h, hl);
    const char *hrend = attr(r, head, "rend");
    char *copy = strdup(hrend ? hrend : ""), *save = NULL;
    for (char *t = copy ? strtok_r(copy, " \t\r\n", &save) : NULL; t; t = strtok_r(NULL, " \t\r\n", &save)) {
        /* rend="h3": the writer's note of a level that differs from the depth */
        if (t[0] == 'h' && t[1] >= '1' && t[1] <= '6' && t[2] == '\0')
            dp_node_set_heading_level(h, t[1] - '0');
        else
            dp_node_add_class(h, t);
    }
    free(copy);
    if (lvl > 6)
        dp_warn_at(r->ctx, r->path, (int)e->line, 0, "tei: division nested %d deep: its heading is level 6", lvl);
    add(r, parent, h);
    r_inlines(r, h, head->children, depth + 1);
    r_blocks(r, parent, head->next, depth + 1, lvl);
}

static dp_node *heading_from(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    const char *n = attr(r, e, "n");
    int lvl = n ? atoi(n) : 1;
    dp_node *h = mk(r, DP_HEADING, e);
    dp_node_set_heading_level(h, lvl >= 1 && lvl <= 6 ? lvl : 1);
    static const char *const skip[] = {"n", "type", NULL};
    read_attrs(r, h, e, skip);
    dp_node_remove_class(h, "heading");
    add(r, parent, h);
    r_inlines(r, h, e->children, depth + 1);
    return h;
}

/* Handles one element met in block context. Returns 0 when the element is
 * phrase-level (the caller adds it to the implicit PLAIN). */
static int r_block_el(tr *r, dp_node *parent, const xmlNode *e, int depth, int level)
{
    if (!is_tei_el(e))
        return 0;
    const char *name = ename(e);
    dp_node *n;
    if (strcmp(name, "p") == 0) {
        if (has_token(attr(r, e, "rend"), "heading") && attr(r, e, "n"))
            heading_from(r, parent, e, depth);
        else
            r_para(r, parent, e, DP_PARA, depth, level);
    } else if (strcmp(name, "ab") == 0) {
        const char *type = attr(r, e, "type");
        if (type && strcmp(type, "heading") == 0)
            heading_from(r, parent, e, depth);
        else
            r_para(r, parent, e, DP_PLAIN, depth, level);
    } else if (is_divname(e) || strcmp(name, "noteGrp") == 0) {
        if (only_placed_notes(r, e))
            return 1; /* <div type="notes"> emptied by placing its notes */
        if (strcmp(name, "noteGrp") == 0)
            return -1;
        r_div(r, parent, e, depth, level);
    } else if (strcmp(name, "head") == 0) {
        n = mk(r, DP_HEADING, e);
        dp_node_set_heading_level(n, level + 1 > 6 ? 6 : level + 1);
        read_attrs(r, n, e, NULL);
        add(r, parent, n);
        r_inlines(r, n, e->children, depth + 1);
    } else if (strcmp(name, "list") == 0 || strcmp(name, "listBibl") == 0) {
        if (strcmp(name, "listBibl") == 0)
            return -1;
        r_list(r, parent, e, depth);
    } else if (strcmp(name, "table") == 0) {
        r_table(r, parent, e, depth);
    } else if (strcmp(name, "figure") == 0) {
        if (is_inline_figure(e))
            return 0;
        r_figure(r, parent, e, depth);
    } else if (strcmp(name, "lg") == 0) {
        r_lg(r, parent, e, depth, NULL);
    } else if (strcmp(name, "l") == 0) {
        n = mk(r, DP_LINE_BLOCK, e);
        add(r, parent, n);
        dp_node *l = mk(r, DP_LINE, e);
        read_attrs(r, l, e, NULL);
        add(r, n, l);
        r_inlines(r, l, e->children, depth + 2);
    } else if (strcmp(name, "sp") == 0) {
        r_sp(r, parent, e, depth, level);
    } else if (strcmp(name, "quote") == 0 || ((strcmp(name, "q") == 0 || strcmp(name, "said") == 0) &&
                                                has_block_child(e))) {
        n = mk(r, DP_BLOCK_QUOTE, e);
        read_attrs(r, n, e, NULL);
        if (strcmp(name, "quote") != 0)
            dp_node_add_class(n, name);
        add(r, parent, n);
        r_blocks(r, n, e->children, depth + 1, 0);
    } else if (strcmp(name, "eg") == 0) {
        xmlChar *c = xmlNodeGetContent(e);
        n = dp_node_new_text(r->doc, DP_CODE_BLOCK, c ? (const char *)c : "", c ? strlen((const char *)c) : 0);
        xmlFree(c);
        read_attrs(r, n, e, NULL);
        dp_node_set_attr(n, "tei:xml:space", NULL); /* the writer always sets it on <eg> */
        add(r, parent, n);
    } else if (strcmp(name, "pb") == 0 || strcmp(name, "milestone") == 0) {
        const char *rend = attr(r, e, "rend");
        const char *unit = attr(r, e, "unit");
        if (strcmp(name, "milestone") == 0 && has_token(rend, "hr") && unit && strcmp(unit, "section") == 0) {
            n = mk(r, DP_THEMATIC_BREAK, e);
            static const char *const skip[] = {"unit", NULL};
            read_attrs(r, n, e, skip);
            dp_node_remove_class(n, "hr");
            add(r, parent, n);
            return 1;
        }
        dp_node *holder = mk(r, DP_PLAIN, e);
        r_inline(r, holder, e, depth + 1);
        n = dp_node_first_child(holder);
        if (n) {
            dp_node_set_block_milestone(n, 1);
            add(r, parent, n);
        }
    } else if (strcmp(name, "front") == 0 || strcmp(name, "back") == 0) {
        if (only_placed_notes(r, e))
            return 1;
        n = mk(r, DP_DIV, e);
        read_attrs(r, n, e, NULL);
        dp_node_add_class(n, name);
        add(r, parent, n);
        r_blocks(r, n, e->children, depth + 1, level);
    } else if (strcmp(name, "body") == 0 || strcmp(name, "text") == 0 || strcmp(name, "group") == 0) {
        r_blocks(r, parent, e->children, depth + 1, level);
    } else if (strcmp(name, "speaker") == 0 && dp_node_kind(parent) == DP_DIV && dp_node_has_class(parent, "sp")) {
        n = mk(r, DP_PARA, e);
        read_attrs(r, n, e, NULL);
        dp_node_add_class(n, "speaker");
        add(r, parent, n);
        r_inlines(r, n, e->children, depth + 1);
    } else if (strcmp(name, "item") == 0 || strcmp(name, "row") == 0 || strcmp(name, "cell") == 0 ||
               strcmp(name, "figDesc") == 0 || strcmp(name, "speaker") == 0) {
        /* out of its list / table / figure / sp (invalid TEI): its content */
        dp_warn_at(r->ctx, r->path, (int)e->line, 0, "tei: <%s> outside its container: read as its content",
                   name);
        r_blocks(r, parent, e->children, depth + 1, level);
    } else if (strcmp(name, "teiHeader") == 0) {
        dp_warn_at(r->ctx, r->path, (int)e->line, 0, "tei: a teiHeader inside the text is not read");
    } else if (is_phrase(e)) {
        return 0;
    } else {
        return -1;
    }
    return 1;
}

/* One element in block context (an unknown one becomes a block custom). */
static void r_block_one(tr *r, dp_node *parent, const xmlNode *e, int depth, int level)
{
    if (e->type != XML_ELEMENT_NODE)
        return;
    int done = r_block_el(r, parent, e, depth, level);
    if (done > 0)
        return;
    if (done < 0) {
        dp_node *cn = custom(r, e, 1);
        add(r, parent, cn);
        r_blocks(r, cn, e->children, depth + 1, level);
        return;
    }
    dp_node *plain = mk(r, DP_PLAIN, e);
    add(r, parent, plain);
    r_inline(r, plain, e, depth + 1);
}

/* Whitespace-only text (indentation between blocks). */
static int blank(const xmlNode *c)
{
    return (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
           strspn((const char *)c->content, " \t\r\n") == strlen((const char *)c->content);
}

/* Block context: c and every following sibling. */
static void r_blocks(tr *r, dp_node *parent, const xmlNode *first, int depth, int level)
{
    dp_node *plain = NULL;
    for (const xmlNode *c = first; c && !r->err; c = c->next) {
        if (too_deep(r, c, depth))
            return;
        if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
            continue;
        if (c->type == XML_ELEMENT_NODE) {
            int done = r_block_el(r, parent, c, depth, level);
            if (done > 0) {
                plain = NULL;
                continue;
            }
            if (done < 0) {
                /* unknown element in block context: a block custom node */
                dp_node *cn = custom(r, c, 1);
                add(r, parent, cn);
                r_blocks(r, cn, c->children, depth + 1, level);
                plain = NULL;
                continue;
            }
        } else if (!plain && blank(c)) {
            continue;
        }
        if (!plain) {
            plain = mk(r, DP_PLAIN, c);
            add(r, parent, plain);
        }
        r_inline(r, plain, c, depth + 1);
    }
}

/* ------------------------------------------------------------------ */
/* Whitespace: TEI text is indented freely; runs collapse to one space and
 * inline content is trimmed at the edges of its block. */

static int preserves_space(const dp_node *n)
{
    for (; n; n = dp_node_parent(n)) {
        const char *v = dp_node_attr(n, "tei:xml:space");
        if (v)
            return strcmp(v, "preserve") == 0;
    }
    return 0;
}

static void collapse_text(dp_node *t)
{
    const char *s = dp_node_text(t);
    size_t len = dp_node_text_len(t);
    char *buf = malloc(len + 1);
    if (!buf)
        return;
    size_t o = 0;
    int space = 0, changed = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (!space)
                buf[o++] = ' ';
            changed |= c != ' ' || space;
            space = 1;
        } else {
            buf[o++] = c;
            space = 0;
        }
    }
    if (changed)
        dp_node_set_text(t, buf, o);
    free(buf);
}

static int inline_container(dp_kind k)
{
    return k == DP_PARA || k == DP_PLAIN || k == DP_HEADING || k == DP_LINE || k == DP_DEF_TERM;
}

static void trim_edge(dp_node *t, int lead)
{
    const char *s = dp_node_text(t);
    size_t len = dp_node_text_len(t);
    if (lead) {
        size_t k = 0;
        while (k < len && s[k] == ' ')
            k++;
        if (k)
            dp_node_set_text(t, s + k, len - k);
    } else {
        size_t k = len;
        while (k > 0 && s[k - 1] == ' ')
            k--;
        if (k != len)
            dp_node_set_text(t, s, k);
    }
}

static void tidy_whitespace(dp_doc *doc)
{
    dp_doc_normalize(doc);
    dp_iter it;
    dp_iter_init(&it, dp_doc_root(doc));
    dp_event ev;
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        dp_node *n = dp_iter_node(&it);
        if (ev == DP_EV_ENTER && dp_node_kind(n) == DP_TEXT && !preserves_space(n))
            collapse_text(n);
        if (ev == DP_EV_EXIT && inline_container(dp_node_kind(n))) {
            dp_node *f = dp_node_first_child(n), *l = dp_node_last_child(n);
            if (f && dp_node_kind(f) == DP_TEXT)
                trim_edge(f, 1);
            if (l && dp_node_kind(l) == DP_TEXT)
                trim_edge(l, 0);
        }
    }
    dp_doc_normalize(doc);
    /* PLAIN blocks left empty by trimming were only indentation */
    int again = 1;
    while (again) {
        again = 0;
        dp_iter_init(&it, dp_doc_root(doc));
        while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
            dp_node *n = dp_iter_node(&it);
            if (ev == DP_EV_EXIT && dp_node_kind(n) == DP_PLAIN && !dp_node_first_child(n) && !dp_node_id(n) &&
                !dp_node_attr_count(n)) {
                dp_node_unlink(n);
                again = 1;
                break;
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Entry                                                                */

static void parse_error(void *user, xmlErrorPtr err)
{
    xmlParserCtxtPtr pc = user;
    tr *r = pc ? pc->_private : NULL;
    if (!r || !err)
        return;
    if (err->level == XML_ERR_FATAL || err->level == XML_ERR_ERROR) {
        /* reported once, after the parse: keep the first, which names the cause */
        if (!r->first_msg[0]) {
            snprintf(r->first_msg, sizeof r->first_msg, "%s", err->message ? err->message : "XML error");
            r->first_msg[strcspn(r->first_msg, "\n")] = '\0';
            r->first_line = err->line;
            r->first_col = err->int2;
        }
        return;
    }
    char msg[512];
    snprintf(msg, sizeof msg, "%s", err->message ? err->message : "XML warning");
    msg[strcspn(msg, "\n")] = '\0';
    dp_warn_at(r->ctx, r->path, err->line, err->int2, "tei: %s", msg);
}

static const xmlNode *child_el(const xmlNode *e, const char *name)
{
    for (const xmlNode *c = e ? e->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

static void r_tei(tr *r, const xmlNode *tei, int depth)
{
    const xmlNode *text = child_el(tei, "text");
    if (!text) {
        dp_warn_at(r->ctx, r->path, (int)tei->line, 0, "tei: <%s> has no <text>", ename(tei));
        return;
    }
    index_notes(r, text);
    const char *tl = xml_attr(r, text, "lang");
    if (tl && !dp_meta_get(dp_doc_meta(r->doc), "language"))
        dp_meta_set_string(r->doc, dp_doc_meta(r->doc), "language", tl);
    r_blocks(r, dp_doc_root(r->doc), text->children, depth + 1, 0);
}

int tei_import(dp_ctx *ctx, const dp_input *in, dp_doc **out)
{
    int rc = 0;
    tr r = {0};
    xmlParserCtxtPtr pc = NULL;
    xmlDocPtr x = NULL;
    dp_doc *doc = NULL;
    const dp_limits *lim = dp_ctx_limits(ctx);

    *out = NULL;
    r.ctx = ctx;
    r.path = in->path ? in->path : "-";
    r.max_depth = lim && lim->max_depth > 0 ? lim->max_depth : 1000;
    r.ent_limit = lim && lim->max_entity_expansion > 0 ? lim->max_entity_expansion : (size_t)10 << 20;
    if (in->len > INT_MAX)
        return dp_fail(ctx, DP_ELIMIT, r.path, 0, 0, "tei: input larger than 2 GiB");
    if (dp_doc_new(&doc) != 0)
        return dp_fail(ctx, DP_ENOMEM, r.path, 0, 0, "tei: out of memory");
    r.doc = doc;
    r.reported = xmlHashCreate(16);
    r.note_by_id = xmlHashCreate(16);
    r.note_by_anchor = xmlHashCreate(16);
    r.referenced = xmlHashCreate(16);
    r.emitted = xmlHashCreate(16);
    xmlInitParser();
    pc = xmlNewParserCtxt();
    if (!pc || !r.reported || !r.note_by_id || !r.note_by_anchor || !r.referenced || !r.emitted) {
        rc = dp_fail(ctx, DP_ENOMEM, r.path, 0, 0, "tei: out of memory");
        goto cleanup;
    }
    pc->_private = &r;
    pc->sax->serror = parse_error;
    pc->vctxt.error = NULL;
    pc->vctxt.warning = NULL;
    /* NONET: no network. No NOENT (entities are not substituted), no
     * DTDLOAD/DTDATTR/DTDVALID (no external DTD), no HUGE (libxml2's own
     * depth and size limits stay on). */
    x = xmlCtxtReadMemory(pc, (const char *)in->data, (int)in->len, r.path, NULL,
                          XML_PARSE_NONET | XML_PARSE_NOCDATA);
    if (!x || !pc->wellFormed) {
        const xmlError *e = xmlCtxtGetLastError(pc);
        char msg[512];
        int line = e ? e->line : 0, col = e ? e->int2 : 0;
        snprintf(msg, sizeof msg, "%s", e && e->message ? e->message : "not well-formed XML");
        if (r.first_msg[0]) {
            snprintf(msg, sizeof msg, "%s", r.first_msg);
            line = r.first_line;
            col = r.first_col;
        }
        msg[strcspn(msg, "\n")] = '\0';
        int code = strstr(msg, "depth") || strstr(msg, "loop") || strstr(msg, "amplification") ||
                           strstr(msg, "HUGE")
                       ? DP_ELIMIT
                       : DP_EINPUT;
        rc = dp_fail(ctx, code, r.path, line, col, "tei: %s", msg);
        goto cleanup;
    }
    const xmlNode *root = xmlDocGetRootElement(x);
    if (!root) {
        rc = dp_fail(ctx, DP_EINPUT, r.path, 1, 1, "tei: the document has no root element");
        goto cleanup;
    }
    const char *rn = ename(root);
    int in_tei_ns = root->ns && strcmp((const char *)root->ns->href, TEI_NS) == 0;
    if (strcmp(rn, "TEI.2") == 0 || strcmp(rn, "teiCorpus.2") == 0) {
        r.p4 = 1;
        dp_warn_at(ctx, r.path, (int)root->line, 0,
                   "tei: TEI P4 document (<%s>): read as P5 (id/lang read as xml:id/xml:lang)", rn);
    } else if (root->ns && !in_tei_ns) {
        rc = dp_fail(ctx, DP_EINPUT, r.path, (int)root->line, 0,
                     "tei: root element <%s> is in namespace %s, not TEI (%s)", rn,
                     (const char *)root->ns->href, TEI_NS);
        goto cleanup;
    } else if (!in_tei_ns && (strcmp(rn, "TEI") == 0 || strcmp(rn, "teiCorpus") == 0)) {
        dp_warn_at(ctx, r.path, (int)root->line, 0, "tei: <%s> without the TEI namespace: read as TEI P5", rn);
    }

    if (strcmp(rn, "TEI") == 0 || strcmp(rn, "TEI.2") == 0 || strcmp(rn, "teiCorpus") == 0 ||
        strcmp(rn, "teiCorpus.2") == 0) {
        const char *lang = xml_attr(&r, root, "lang");
        if (lang)
            dp_meta_set_string(doc, dp_doc_meta(doc), "language", lang);
        const xmlNode *hdr = child_el(root, "teiHeader");
        if (hdr && (rc = tei_read_header(ctx, doc, hdr, r.path)) != 0)
            goto cleanup;
        if (!hdr)
            dp_warn_at(ctx, r.path, (int)root->line, 0, "tei: no teiHeader: the document has no metadata");
        if (strncmp(rn, "teiCorpus", 9) == 0) {
            dp_warn_at(ctx, r.path, (int)root->line, 0,
                       "tei: a corpus: the texts of its TEI documents are read one after the other");
            for (const xmlNode *c = root->children; c && !r.err; c = c->next)
                if (c->type == XML_ELEMENT_NODE && strncmp((const char *)c->name, "TEI", 3) == 0)
                    r_tei(&r, c, 1);
        } else {
            r_tei(&r, root, 0);
        }
    } else {
        dp_warn_at(ctx, r.path, (int)root->line, 0,
                   "tei: no <TEI> root element: <%s> read as a TEI fragment%s", rn,
                   in_tei_ns ? "" : " (no TEI namespace)");
        index_notes(&r, root);
        r_blocks(&r, dp_doc_root(doc), root, 0, 0);
    }
    if (!r.err) {
        /* a collected note whose reference was never read (inside code, say) */
        int lost = xmlHashSize(r.referenced) - xmlHashSize(r.emitted);
        if (lost > 0)
            dp_warn_at(ctx, r.path, 0, 0, "tei: %d note(s) referenced from a place that was not read: dropped",
                       lost);
    }
    if (r.err) {
        rc = r.err;
        goto cleanup;
    }
    tidy_whitespace(doc);
    *out = doc;
    doc = NULL;

cleanup:
    xmlHashFree(r.reported, NULL);
    xmlHashFree(r.note_by_id, NULL);
    xmlHashFree(r.note_by_anchor, NULL);
    xmlHashFree(r.referenced, NULL);
    xmlHashFree(r.emitted, NULL);
    xmlFreeDoc(x);
    xmlFreeParserCtxt(pc);
    dp_doc_free(doc);
    return rc;
}
