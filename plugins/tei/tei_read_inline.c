/* TEI importer: phrase-level elements -> inline nodes. */
#include "mathconv.h"
#include "tei_read_internal.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    const char *rend = tr_attr(r, e, "rend");
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
                span = tr_mk(r, DP_SPAN, e);
            dp_node_add_class(span, t);
            continue;
        }
        dp_node *n = tr_mk(r, k, e);
        if (!outer)
            outer = n;
        else
            tr_add(r, inner, n);
        inner = n;
    }
    free(copy);
    if (span) {
        if (!outer)
            outer = span;
        else
            tr_add(r, inner, span);
        inner = span;
    }
    if (!outer) /* <hi> without rend: highlighted, style unknown */
        outer = inner = tr_mk(r, DP_SPAN, e);
    static const char *const skip[] = {"rend", NULL};
    tr_read_attrs(r, outer, e, skip);
    tr_add(r, parent, outer);
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
                if (tr_named(kids[k], pairs[i][0]))
                    alt = kids[k];
                if (tr_named(kids[k], pairs[i][1]))
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
            dp_node *span = tr_mk(r, DP_SPAN, e);
            dp_node_add_class(span, "choice");
            tr_read_attrs(r, span, e, NULL);
            char key[16];
            snprintf(key, sizeof key, "tei:%s", pairs[i][0]);
            const char *t = tr_flat_text(r, alt);
            dp_node_set_attr(span, key, t ? t : "");
            tr_add(r, parent, span);
            r_inlines(r, span, reading->children, depth + 1);
            return;
        }
    }
    /* another shape of choice: keep it whole */
    dp_node *c = tr_custom(r, e, 0);
    tr_add(r, parent, c);
    r_inlines(r, c, e->children, depth + 1);
}

static void r_text(tr *r, dp_node *parent, const xmlNode *t)
{
    const char *s = (const char *)t->content;
    if (!s || !*s)
        return;
    dp_node *n = dp_node_new_text(r->doc, DP_TEXT, s, strlen(s));
    if (!n) {
        tr_nomem(r);
        return;
    }
    tr_add(r, parent, n);
}

/* The reading of a block element met where only inlines may go (deep in a
 * <hi>, say): kept as a span of its flattened content. */
static void r_flatten(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    dp_warn_at(r->ctx, r->path, (int)e->line, 0, "tei: <%s> inside inline content: kept as inline text",
               tr_ename(e));
    dp_node *span = tr_mk(r, DP_SPAN, e);
    dp_node_add_class(span, tr_ename(e));
    tr_add(r, parent, span);
    for (const xmlNode *c = e->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && tr_breaks_para(c))
            r_flatten(r, span, c, depth + 1);
        else
            r_inline(r, span, c, depth + 1);
        if (c->next && c->type == XML_ELEMENT_NODE)
            tr_add(r, span, dp_node_new_text(r->doc, DP_TEXT, " ", 1));
    }
}

#define MATHML_NS "http://www.w3.org/1998/Math/MathML"

/* A node of kind `kind` holding the XML source of element e. A copy in a
 * document of its own carries every namespace it uses (prefixes declared
 * on an ancestor are declared on the copy). NULL (r->err set) when out of
 * memory. */
static dp_node *element_source(tr *r, const xmlNode *e, dp_kind kind)
{
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
        tr_nomem(r);
        return NULL;
    }
    xmlFreeDoc(tmp);
    dp_node *n = dp_node_new_text(r->doc, kind, (const char *)xmlBufferContent(b), (size_t)xmlBufferLength(b));
    xmlBufferFree(b);
    if (!n)
        tr_nomem(r);
    return n;
}

/* The address of a link element: P5 ref/ptr @target; TEI P4 xref/xptr
 * @url, @doc (an entity name standing for a document: its system id) and
 * @target (an IDREF in P4, without the "#" of a P5 pointer). */
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
    return tr_prefix_expand(r, target);
}

void r_inline(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    if (tr_too_deep(r, e, depth))
        return;
    switch (e->type) {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
        r_text(r, parent, e);
        return;
    case XML_ENTITY_REF_NODE: {
        /* internal entities were replaced by their content after parsing
         * (xmlu_expand_entities); what is left is external or undeclared,
         * never loaded: external entities are a way to read local files */
        xmlEntityPtr ent = xmlGetDocEntity(e->doc, e->name);
        dp_warn_at(r->ctx, r->path, (int)e->line, 0, "tei: %s entity &%s; not expanded: dropped",
                   ent ? "external" : "undeclared", (const char *)e->name);
        return;
    }
    case XML_ELEMENT_NODE:
        break;
    default:
        return; /* comments, processing instructions */
    }
    if (!tr_is_tei_el(e)) {
        /* another vocabulary (egXML examples, SVG ...): kept verbatim as raw
         * XML, which the TEI writer puts back as it was */
        dp_node *raw = element_source(r, e, DP_RAW_INLINE);
        if (!raw)
            return;
        dp_node_set_format(raw, "xml");
        dp_info(r->ctx, "%s:%d: <%s> from namespace %s kept as raw XML", r->path, (int)e->line, tr_ename(e),
                e->ns ? (const char *)e->ns->href : "?");
        tr_add(r, parent, raw);
        return;
    }
    const char *name = tr_ename(e);
    dp_node *n = NULL;
    static const char *const skip_rend[] = {"rend", NULL};
    const xmlNode *placed = tr_placed_note(r, e);
    if (placed) {
        /* the reference to a collected note: the note itself goes here; the
         * reference's own text is kept unless it is just the note's label */
        const char *rt = tr_flat_text(r, e);
        const char *label = tr_attr(r, placed, "n");
        if (rt && *rt && !(label && strcmp(rt, label) == 0))
            r_inlines(r, parent, e->children, depth + 1);
        tr_mark(r->emitted, placed);
        r->placing = placed;
        r_inline(r, parent, placed, depth + 1);
        return;
    }
    if (strcmp(name, "note") == 0 && tr_in_hash(r->referenced, e) && r->placing != e)
        return; /* its place is at its reference */
    int being_placed = r->placing == e;
    if (being_placed)
        r->placing = NULL;
    if (strcmp(name, "hi") == 0) {
        r_hi(r, parent, e, depth);
        return;
    } else if (strcmp(name, "emph") == 0) {
        n = tr_mk(r, DP_EMPH, e);
        dp_node_add_class(n, "emph");
    } else if (strcmp(name, "foreign") == 0) {
        n = tr_mk(r, DP_SPAN, e);
        if (!tr_xml_attr(r, e, "lang"))
            dp_node_add_class(n, "foreign");
    } else if (strcmp(name, "said") == 0) {
        /* speech, not quotation marks: dialogue marked with dashes in the
         * text must not gain quotes in HTML (<q>) or Markdown */
        n = tr_mk(r, DP_SPAN, e);
        dp_node_add_class(n, "said");
    } else if (strcmp(name, "q") == 0 || strcmp(name, "quote") == 0) {
        n = tr_mk(r, DP_QUOTED, e);
        if (strcmp(name, "q") != 0)
            dp_node_add_class(n, name);
        const char *rend = tr_attr(r, e, "rend");
        if (tr_has_token(rend, "single")) {
            dp_node_set_quote(n, DP_QUOTE_SINGLE);
            tr_read_attrs(r, n, e, skip_rend);
            char *copy = strdup(rend), *save = NULL;
            for (char *t = copy ? strtok_r(copy, " \t\r\n", &save) : NULL; t; t = strtok_r(NULL, " \t\r\n", &save))
                if (strcmp(t, "single") != 0)
                    dp_node_add_class(n, t);
            free(copy);
            tr_add(r, parent, n);
            r_inlines(r, n, e->children, depth + 1);
            return;
        }
    } else if (strcmp(name, "ref") == 0 && tr_has_token(tr_attr(r, e, "type"), "cite")) {
        n = tr_mk(r, DP_CITE, e);
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
        return;
    } else if ((strcmp(name, "ref") == 0 || strcmp(name, "ptr") == 0 || strcmp(name, "xref") == 0 ||
                strcmp(name, "xptr") == 0) && has_address(r, e)) {
        n = tr_mk(r, DP_LINK, e);
        const char *url = link_target(r, e);
        /* @target is a list of pointers, and a link holds one address (an
         * href with a space is no URL): the first; an empty <ptr/> stands for
         * all of them, so each further one becomes a link of its own */
        size_t first = url ? strcspn(url, " \t\r\n") : 0;
        const char *more = url && url[first] ? url + first : NULL;
        if (more)
            url = dp_doc_strndup(r->doc, url, first);
        dp_node_set_url(n, url ? url : "");
        /* what became the link's address; P4's xref/xptr type and from/to are kept */
        static const char *const skip[] = {"target", "url", "doc", NULL};
        tr_read_attrs(r, n, e, skip);
        tr_add(r, parent, n);
        r_inlines(r, n, e->children, depth + 1);
        if (more && e->children)
            dp_warn_at(r->ctx, r->path, (int)e->line, 0,
                       "tei: <%s> points to several targets and a link holds one: linked to the first, "
                       "the others (%s) dropped", name, more + strspn(more, " \t\r\n"));
        for (const char *t = more; more && !e->children && *(t += strspn(t, " \t\r\n"));) {
            size_t k = strcspn(t, " \t\r\n");
            dp_node *next = tr_mk(r, DP_LINK, e);
            tr_add(r, parent, dp_node_new_text(r->doc, DP_TEXT, " ", 1));
            dp_node_set_url(next, dp_doc_strndup(r->doc, t, k));
            tr_add(r, parent, next);
            t += k;
        }
        return;
    } else if (strcmp(name, "note") == 0) {
        n = tr_mk(r, DP_NOTE, e);
        const char *label = tr_attr(r, e, "n");
        if (label)
            dp_node_set_label(n, label);
        static const char *const skip[] = {"n", "place", NULL};
        const char *place = tr_attr(r, e, "place");
        if (place && strcmp(place, "foot") != 0)
            dp_node_set_attr(n, "tei:place", place);
        tr_read_attrs(r, n, e, skip);
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
        tr_add(r, parent, n);
        r_blocks(r, n, e->children, depth + 1, 0);
        return;
    } else if (strcmp(name, "lb") == 0) {
        n = tr_mk(r, DP_LINE_BREAK, e);
        tr_read_attrs(r, n, e, NULL);
        tr_add(r, parent, n);
        return;
    } else if (strcmp(name, "pb") == 0 || strcmp(name, "milestone") == 0) {
        n = tr_mk(r, DP_PAGE_BREAK, e);
        const char *num = tr_attr(r, e, "n");
        if (num)
            dp_node_set_label(n, num);
        static const char *const skip[] = {"n", NULL};
        tr_read_attrs(r, n, e, skip);
        tr_add(r, parent, n);
        return;
    } else if (strcmp(name, "choice") == 0) {
        r_choice(r, parent, e, depth);
        return;
    } else if (strcmp(name, "del") == 0) {
        n = tr_mk(r, DP_STRIKEOUT, e);
        dp_node_add_class(n, "del");
    } else if (strcmp(name, "add") == 0 || strcmp(name, "unclear") == 0 || strcmp(name, "supplied") == 0) {
        n = tr_mk(r, DP_SPAN, e);
        dp_node_add_class(n, name);
    } else if (strcmp(name, "seg") == 0 && !tr_attr(r, e, "type")) {
        n = tr_mk(r, DP_SPAN, e);
    } else if (strcmp(name, "code") == 0) {
        xmlChar *c = xmlNodeGetContent(e);
        n = dp_node_new_text(r->doc, DP_CODE, c ? (const char *)c : "", c ? strlen((const char *)c) : 0);
        xmlFree(c);
        tr_read_attrs(r, n, e, NULL);
        tr_add(r, parent, n);
        return;
    } else if (strcmp(name, "formula") == 0) {
        /* MathML held as elements (m:math): canonical form, TeX annotation,
         * alttext; else the text, TeX unless notation says MathML (escaped
         * MathML, as older writers left it) */
        xmlNodePtr math = NULL;
        for (xmlNodePtr c = e->children; c && !math; c = c->next)
            if (mathconv_is_math(c))
                math = c;
        mathconv_read mr = {0};
        if (math && mathconv_read_math(math, &mr) < 0) {
            tr_nomem(r);
            return;
        }
        xmlChar *c = math ? NULL : xmlNodeGetContent(e);
        const char *src = math ? mr.mathml : c ? (const char *)c : "";
        n = dp_node_new_text(r->doc, DP_MATH, src, strlen(src));
        xmlFree(c);
        const char *notation = tr_attr(r, e, "notation");
        if (math || (notation && (strcmp(notation, "MathML") == 0 || strcmp(notation, "mathml") == 0)))
            dp_node_set_format(n, "mathml");
        if (mr.tex)
            dp_node_set_math_form(n, "tex", mr.tex, strlen(mr.tex));
        if (mr.alt)
            dp_node_set_math_alt(n, mr.alt);
        if (mr.display)
            dp_node_set_math_display(n, 1);
        mathconv_read_free(&mr);
        const char *rend = tr_attr(r, e, "rend");
        if (tr_has_token(rend, "display"))
            dp_node_set_math_display(n, 1);
        static const char *const skip[] = {"notation", "rend", NULL};
        tr_read_attrs(r, n, e, skip);
        if (rend) {
            char *copy = strdup(rend), *save = NULL;
            for (char *t = copy ? strtok_r(copy, " \t\r\n", &save) : NULL; t; t = strtok_r(NULL, " \t\r\n", &save))
                if (strcmp(t, "display") != 0)
                    dp_node_add_class(n, t);
            free(copy);
        }
        tr_add(r, parent, n);
        return;
    } else if (strcmp(name, "graphic") == 0 || (strcmp(name, "figure") == 0 && tr_is_inline_figure(e))) {
        const xmlNode *g = e, *desc = NULL;
        if (strcmp(name, "figure") == 0)
            for (const xmlNode *c = e->children; c; c = c->next) {
                if (tr_named(c, "graphic"))
                    g = c;
                if (tr_named(c, "figDesc"))
                    desc = c;
            }
        n = tr_mk(r, DP_IMAGE, g);
        const char *url = tr_attr(r, g, "url");
        dp_node_set_url(n, url ? url : "");
        for (const xmlNode *c = g->children; c; c = c->next)
            if (tr_named(c, "desc"))
                dp_node_set_title(n, tr_flat_text(r, c));
        static const char *const skip[] = {"url", NULL};
        tr_read_attrs(r, n, g, skip);
        tr_add(r, parent, n);
        if (desc)
            r_inlines(r, n, desc->children, depth + 1);
        return;
    } else if (tr_breaks_para(e) || tr_is_divname(e) || strcmp(name, "figure") == 0 || tr_misplaced_inline(e)) {
        r_flatten(r, parent, e, depth);
        return;
    } else {
        n = tr_custom(r, e, 0);
        tr_add(r, parent, n);
        r_inlines(r, n, e->children, depth + 1);
        return;
    }
    tr_read_attrs(r, n, e, NULL);
    tr_add(r, parent, n);
    r_inlines(r, n, e->children, depth + 1);
}

/* Elements whose element children are the fields of a record (a name's
 * forename and surname, a bibliography entry's author, title and pages):
 * TEI's renderers print each as a word of its own, and sources write them
 * side by side (<forename>Nancy</forename><surname>Ide</surname>). */
static int holds_fields(const xmlNode *e)
{
    static const char *const records[] = {"persName", "placeName", "orgName", "geogName", "name", "bibl",
                                          "biblStruct", "analytic", "monogr", "imprint", "series", "author",
                                          "editor", "respStmt", NULL};
    if (!e || e->type != XML_ELEMENT_NODE || !tr_is_tei_el(e))
        return 0;
    for (const char *const *n = records; *n; n++)
        if (strcmp(*n, tr_ename(e)) == 0)
            return 1;
    return 0;
}

void r_inlines(tr *r, dp_node *parent, const xmlNode *first, int depth)
{
    int fields = first && holds_fields(first->parent);
    for (const xmlNode *c = first; c && !r->err; c = c->next) {
        /* two fields with nothing between them would read as one word
         * ("NancyIde"): a space keeps them apart */
        if (fields && c->type == XML_ELEMENT_NODE && c->prev && c->prev->type == XML_ELEMENT_NODE) {
            dp_node *space = dp_node_new_text(r->doc, DP_TEXT, " ", 1);
            if (!space || dp_node_append_child(parent, space) != 0) {
                tr_nomem(r);
                return;
            }
        }
        r_inline(r, parent, c, depth);
    }
}

