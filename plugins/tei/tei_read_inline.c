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
 * <hi>, say): kept as a span of its flattened content, with the element's
 * attributes (its xml:id is what links point at). */
static void r_flatten(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    dp_warn_at(r->ctx, r->path, (int)e->line, 0, "tei: <%s> inside inline content: kept as inline text",
               tr_ename(e));
    dp_node *span = tr_mk(r, DP_SPAN, e);
    dp_node_add_class(span, tr_ename(e));
    tr_read_attrs(r, span, e, NULL);
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

/* ------------------------------------------------------------------ */
/* One reader per element name (the table inline_readers below). Each
 * returns 1 when it read e, 0 when e is not of the shape it reads (a <seg>
 * with a type, a block <figure>): r_other_inline reads it then. */

typedef int (*inline_reader)(tr *r, dp_node *parent, const xmlNode *e, int depth);

/* The common end of a reader: e's attributes, the node in place, e's content in it. */
static int r_node_with_content(tr *r, dp_node *parent, dp_node *n, const xmlNode *e, int depth)
{
    tr_read_attrs(r, n, e, NULL);
    tr_add(r, parent, n);
    r_inlines(r, n, e->children, depth + 1);
    return 1;
}

static int r_emph(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    dp_node *n = tr_mk(r, DP_EMPH, e);
    dp_node_add_class(n, "emph");
    return r_node_with_content(r, parent, n, e, depth);
}

static int r_foreign(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    dp_node *n = tr_mk(r, DP_SPAN, e);
    if (!tr_xml_attr(r, e, "lang"))
        dp_node_add_class(n, "foreign");
    return r_node_with_content(r, parent, n, e, depth);
}

/* said, add, unclear, supplied: a span of that class. A <said> is speech,
 * not quotation marks: dialogue marked with dashes in the text must not
 * gain quotes in HTML (<q>) or Markdown. */
static int r_class_span(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    dp_node *n = tr_mk(r, DP_SPAN, e);
    dp_node_add_class(n, tr_ename(e));
    return r_node_with_content(r, parent, n, e, depth);
}

/* q, quote: a quotation; rend="single" its single marks */
static int r_quoted(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    static const char *const skip_rend[] = {"rend", NULL};
    const char *name = tr_ename(e);
    dp_node *n = tr_mk(r, DP_QUOTED, e);
    if (strcmp(name, "q") != 0)
        dp_node_add_class(n, name);
    const char *rend = tr_attr(r, e, "rend");
    if (!tr_has_token(rend, "single"))
        return r_node_with_content(r, parent, n, e, depth);
    dp_node_set_quote(n, DP_QUOTE_SINGLE);
    tr_read_attrs(r, n, e, skip_rend);
    tr_rend_classes(n, rend, "single");
    tr_add(r, parent, n);
    r_inlines(r, n, e->children, depth + 1);
    return 1;
}

/* A note: n is its label, a place other than foot is kept. A note that
 * lives away from its reference is read there (r_note_reference), not
 * where it stands. */
static int r_note(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    int being_placed = r->placing == e;
    if (tr_in_hash(r->referenced, e) && !being_placed)
        return 1; /* its place is at its reference */
    if (being_placed)
        r->placing = NULL;
    dp_node *n = tr_mk(r, DP_NOTE, e);
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
    return 1;
}

static int r_lb(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    (void)depth;
    dp_node *n = tr_mk(r, DP_LINE_BREAK, e);
    tr_read_attrs(r, n, e, NULL);
    tr_add(r, parent, n);
    return 1;
}

/* pb, milestone: a page break labelled n */
static int r_page_break(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    (void)depth;
    dp_node *n = tr_mk(r, DP_PAGE_BREAK, e);
    const char *num = tr_attr(r, e, "n");
    if (num)
        dp_node_set_label(n, num);
    static const char *const skip[] = {"n", NULL};
    tr_read_attrs(r, n, e, skip);
    tr_add(r, parent, n);
    return 1;
}

static int r_del(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    dp_node *n = tr_mk(r, DP_STRIKEOUT, e);
    dp_node_add_class(n, "del");
    return r_node_with_content(r, parent, n, e, depth);
}

/* seg type="raw": the writer's carrier of raw content (HTML, TeX) TEI
 * cannot hold as elements, its text verbatim in the notation it names. */
dp_node *tr_raw_seg(tr *r, const xmlNode *e, dp_kind kind)
{
    xmlChar *c = xmlNodeGetContent(e);
    dp_node *n = dp_node_new_text(r->doc, kind, c ? (const char *)c : "", c ? strlen((const char *)c) : 0);
    xmlFree(c);
    if (!n) {
        tr_nomem(r);
        return NULL;
    }
    const char *notation = tr_attr(r, e, "notation");
    dp_node_set_format(n, notation && *notation ? notation : "html");
    return n;
}

/* seg without a type: a plain span; type="raw": raw content (tr_raw_seg);
 * another typed seg is kept as itself */
static int r_seg(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    const char *type = tr_attr(r, e, "type");
    if (type && strcmp(type, "raw") == 0) {
        tr_add(r, parent, tr_raw_seg(r, e, DP_RAW_INLINE));
        return 1;
    }
    if (type)
        return 0;
    return r_node_with_content(r, parent, tr_mk(r, DP_SPAN, e), e, depth);
}

static int r_code(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    (void)depth;
    xmlChar *c = xmlNodeGetContent(e);
    dp_node *n = dp_node_new_text(r->doc, DP_CODE, c ? (const char *)c : "", c ? strlen((const char *)c) : 0);
    xmlFree(c);
    tr_read_attrs(r, n, e, NULL);
    tr_add(r, parent, n);
    return 1;
}

/* MathML held as elements (m:math): canonical form, TeX annotation,
 * alttext; else the text, TeX unless notation says MathML (escaped MathML,
 * as older writers left it) */
static int r_formula(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    (void)depth;
    xmlNodePtr math = NULL;
    for (xmlNodePtr c = e->children; c && !math; c = c->next)
        if (mathconv_is_math(c))
            math = c;
    mathconv_read mr = {0};
    if (math && mathconv_read_math(math, &mr) < 0) {
        tr_nomem(r);
        return 1;
    }
    xmlChar *c = math ? NULL : xmlNodeGetContent(e);
    const char *src = math ? mr.mathml : c ? (const char *)c : "";
    dp_node *n = dp_node_new_text(r->doc, DP_MATH, src, strlen(src));
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
    tr_rend_classes(n, rend, "display");
    tr_add(r, parent, n);
    return 1;
}

/* graphic, or a figure holding only a graphic (and figDesc): an image,
 * desc its title, figDesc its alt text. A block figure is not read here. */
static int r_graphic(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    int figure = tr_named(e, "figure");
    if (figure && !tr_is_inline_figure(e))
        return 0;
    const xmlNode *g = e, *desc = NULL;
    if (figure)
        for (const xmlNode *c = e->children; c; c = c->next) {
            if (tr_named(c, "graphic"))
                g = c;
            if (tr_named(c, "figDesc"))
                desc = c;
        }
    dp_node *n = tr_mk(r, DP_IMAGE, g);
    const char *url = tei_pointer_address(tr_attr(r, g, "url"));
    dp_node_set_url(n, url ? url : "");
    for (const xmlNode *c = g->children; c; c = c->next)
        if (tr_named(c, "desc"))
            dp_node_set_title(n, tr_flat_text(r, c));
    static const char *const skip[] = {"url", NULL};
    tr_read_attrs(r, n, g, skip);
    tr_add(r, parent, n);
    if (desc)
        r_inlines(r, n, desc->children, depth + 1);
    return 1;
}

static int r_hi_reader(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    r_hi(r, parent, e, depth);
    return 1;
}

static int r_choice_reader(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    r_choice(r, parent, e, depth);
    return 1;
}

static const struct {
    const char *name;
    inline_reader read;
} inline_readers[] = {
    {"hi", r_hi_reader},     {"emph", r_emph},         {"foreign", r_foreign},     {"said", r_class_span},
    {"q", r_quoted},         {"quote", r_quoted},      {"ref", tr_read_link},            {"ptr", tr_read_link},
    {"xref", tr_read_link},        {"xptr", tr_read_link},         {"note", r_note},           {"lb", r_lb},
    {"pb", r_page_break},    {"milestone", r_page_break}, {"choice", r_choice_reader}, {"del", r_del},
    {"add", r_class_span},   {"unclear", r_class_span}, {"supplied", r_class_span}, {"seg", r_seg},
    {"code", r_code},        {"formula", r_formula},   {"graphic", r_graphic},     {"figure", r_graphic},
};

static inline_reader reader_for(const char *name)
{
    for (size_t i = 0; i < sizeof inline_readers / sizeof inline_readers[0]; i++)
        if (strcmp(inline_readers[i].name, name) == 0)
            return inline_readers[i].read;
    return NULL;
}

/* An element no reader took: a block element where only inlines may go is
 * flattened; any other is kept as a custom node tei:NAME. */
static void r_other_inline(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    if (tr_breaks_para(e) || tr_is_divname(e) || tr_named(e, "figure") || tr_misplaced_inline(e)) {
        r_flatten(r, parent, e, depth);
        return;
    }
    dp_node *n = tr_custom(r, e, 0);
    tr_add(r, parent, n);
    r_inlines(r, n, e->children, depth + 1);
}

/* Text; an entity reference left after parsing; comments and processing
 * instructions (nothing). */
static void r_non_element(tr *r, dp_node *parent, const xmlNode *e)
{
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
    default:
        return;
    }
}

/* An element of another vocabulary (SVG ...; egXML examples are code,
 * tei_read_egxml.c): kept verbatim as raw XML, which the TEI writer puts
 * back as it was. */
static void r_other_vocabulary(tr *r, dp_node *parent, const xmlNode *e)
{
    dp_node *raw = element_source(r, e, DP_RAW_INLINE);
    if (!raw)
        return;
    dp_node_set_format(raw, "xml");
    dp_info(r->ctx, "%s:%d: <%s> from namespace %s kept as raw XML", r->path, (int)e->line, tr_ename(e),
            e->ns ? (const char *)e->ns->href : "?");
    tr_add(r, parent, raw);
}

/* The reference to a collected note: the note itself goes here; the
 * reference's own text is kept unless it is just the note's label.
 * 0 when e is not such a reference. */
static int r_note_reference(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    const xmlNode *placed = tr_placed_note(r, e);
    if (!placed)
        return 0;
    const char *rt = tr_flat_text(r, e);
    const char *label = tr_attr(r, placed, "n");
    if (rt && *rt && !(label && strcmp(rt, label) == 0))
        r_inlines(r, parent, e->children, depth + 1);
    tr_mark(r->emitted, placed);
    r->placing = placed;
    r_inline(r, parent, placed, depth + 1);
    return 1;
}

void r_inline(tr *r, dp_node *parent, const xmlNode *e, int depth)
{
    if (tr_too_deep(r, e, depth))
        return;
    if (e->type != XML_ELEMENT_NODE) {
        r_non_element(r, parent, e);
        return;
    }
    if (tr_is_egxml(e)) {
        tr_read_egxml(r, parent, e, DP_CODE);
        return;
    }
    if (!tr_is_tei_el(e)) {
        r_other_vocabulary(r, parent, e);
        return;
    }
    if (r_note_reference(r, parent, e, depth))
        return;
    inline_reader read = reader_for(tr_ename(e));
    if (!read || !read(r, parent, e, depth))
        r_other_inline(r, parent, e, depth);
}

/* Elements whose element children are the fields of a record (a name's
 * forename and surname, a bibliography entry's author, title and pages, a
 * size's height and width) or alternatives (a <choice> kept whole): TEI's
 * renderers print each as a word of its own, and sources write them side
 * by side (<forename>Nancy</forename><surname>Ide</surname>). */
static int holds_fields(const xmlNode *e)
{
    static const char *const records[] = {"persName", "placeName", "orgName", "geogName", "name", "bibl",
                                          "biblStruct", "analytic", "monogr", "imprint", "series", "author",
                                          "editor", "respStmt", "dimensions", "address", "choice", NULL};
    if (!e || e->type != XML_ELEMENT_NODE || !tr_is_tei_el(e))
        return 0;
    return tei_name_in(tr_ename(e), records);
}

/* Elements that style or mark part of a word (<hi>J</hi><hi>ohn</hi>, an
 * expansion, a line break) rather than being a field of their own. */
static int part_of_word(const xmlNode *e)
{
    static const char *const parts[] = {"hi", "emph", "seg", "c", "g", "ex", "am", "lb", "pb", "cb", NULL};
    return tr_is_tei_el(e) && tei_name_in(tr_ename(e), parts);
}

void r_inlines(tr *r, dp_node *parent, const xmlNode *first, int depth)
{
    int fields = first && holds_fields(first->parent);
    for (const xmlNode *c = first; c && !r->err; c = c->next) {
        /* two fields with nothing between them would read as one word
         * ("NancyIde"): a space keeps them apart */
        if (fields && c->type == XML_ELEMENT_NODE && c->prev && c->prev->type == XML_ELEMENT_NODE &&
            !part_of_word(c) && !part_of_word(c->prev)) {
            dp_node *space = dp_node_new_text(r->doc, DP_TEXT, " ", 1);
            if (!space || dp_node_append_child(parent, space) != 0) {
                tr_nomem(r);
                return;
            }
        }
        r_inline(r, parent, c, depth);
    }
}

