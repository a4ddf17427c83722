/* TEI exporter: indentation of element-only content.
 *
 * libxml2's XML_SAVE_FORMAT indents every element whose children happen to
 * be elements only, so <p><hi><ref>x</ref></hi></p> came out with newlines
 * and spaces inside <p> and <hi>: whitespace that is text in TEI (a reader
 * gets "** [x] **"). Whether whitespace is insignificant depends on the
 * element's content model, not on its children, so the writer adds the
 * indentation itself, only inside the TEI elements whose content model holds
 * no text (teiHeader parts, div, list, table, row, lg ...), and serialises
 * without XML_SAVE_FORMAT. Elements of other vocabularies (raw XML) and TEI
 * elements not listed (p, item, cell, note, quote, head, custom ones) are
 * never touched. */
#include "tei_write_internal.h"

#include <stdlib.h>
#include <string.h>

/* TEI elements with element-only content (tei_all content models), in
 * strcmp order for bsearch: every element under an element-only one is
 * looked up, and a scan of the whole list for each was 1.3 % of 1 MB md->tei
 * (callgrind, bench/NOTES.md). */
static const char *const element_only_names[] = {
    "TEI", "abstract", "appInfo", "application", "availability", "back", "body", "castList", "classDecl",
    "div", "div1", "div2", "div3", "div4", "div5", "div6", "div7", "docTitle", "editionStmt",
    "editorialDecl", "encodingDesc", "figure", "fileDesc", "floatingText", "front", "graphic", "group",
    "handNotes", "keywords", "langUsage", "lg", "list", "listBibl", "listChange", "listPerson",
    "notesStmt", "particDesc", "profileDesc", "projectDesc", "publicationStmt", "respStmt", "revisionDesc",
    "row", "seriesStmt", "settingDesc", "sourceDesc", "sp", "table", "tagsDecl", "taxonomy", "teiHeader",
    "text", "textClass", "titlePage", "titleStmt"};

static int cmp_name(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

static int element_only(const xmlNode *e)
{
    if (e->type != XML_ELEMENT_NODE || !e->ns || strcmp((const char *)e->ns->href, TEI_NS) != 0)
        return 0;
    return bsearch(e->name, element_only_names, sizeof element_only_names / sizeof *element_only_names,
                   sizeof *element_only_names, cmp_name) != NULL;
}

/* Whether e can be indented: element-only, with element children and no
 * text of any kind (invalid input may still have put some there). */
static int indentable(const xmlNode *e)
{
    if (!element_only(e) || !e->children)
        return 0;
    for (const xmlNode *c = e->children; c; c = c->next)
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE || c->type == XML_ENTITY_REF_NODE)
            return 0;
    return 1;
}

#define INDENT_MAX 32 /* levels; deeper content is indented as this level */

static int add_ws(tw *w, xmlNodePtr parent, xmlNodePtr before, int level)
{
    static const char spaces[] = "\n                                                                ";
    int n = level > INDENT_MAX ? INDENT_MAX : level;
    xmlNodePtr t = xmlNewDocTextLen(w->x, BAD_CAST spaces, 1 + 2 * n);
    if (!t) {
        w->err = dp_fail(w->ctx, DP_ENOMEM, NULL, 0, 0, "tei: out of memory");
        return -1;
    }
    if (before)
        xmlAddPrevSibling(before, t);
    else
        xmlAddChild(parent, t);
    return 0;
}

void tw_indent(tw *w, xmlNodePtr e, int level)
{
    if (w->err || !indentable(e))
        return;
    for (xmlNodePtr c = e->children; c && !w->err; c = c->next) {
        if (add_ws(w, e, c, level + 1) < 0)
            return;
        if (c->type == XML_ELEMENT_NODE)
            tw_indent(w, c, level + 1);
    }
    add_ws(w, e, NULL, level);
}
