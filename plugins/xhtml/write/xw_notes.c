/* Notes: the reference is written where the NOTE sits; the note itself is
 * written where the caller says (endnotes section, aside, another file). */
#include "xw_internal.h"

#include <stdlib.h>
#include <string.h>

const char *xw_note_ref_id(const xw_writer *w, const dp_node *note);

#define XW_MAX_NOTE_NESTING 64

int xw_note_add(xw_writer *w, const dp_node *note, size_t *index_out)
{
    xw_note *n;
    const char *label = dp_node_label(note);
    if (DP_ARRAY_RESERVE(w->notes, w->notes_cap, w->notes_count + 1))
        return DP_ENOMEM;
    n = &w->notes[w->notes_count];
    memset(n, 0, sizeof *n);
    n->node = note;
    n->id = xw_id_of(w, note);
    n->ref_id = xw_note_ref_id(w, note);
    n->ref_file = w->this_file;
    n->label = label && *label ? label : xw_printf(w, "%zu", w->notes_count + 1);
    if (!n->id || !n->ref_id || !n->label)
        return DP_ENOMEM;
    *index_out = w->notes_count++;
    return 0;
}

size_t xw_note_count(const xw_writer *w)
{
    return w ? w->notes_count : 0;
}

const xw_note *xw_note_at(const xw_writer *w, size_t i)
{
    return w && i < w->notes_count ? &w->notes[i] : NULL;
}

static char *file_href(xw_writer *w, const char *file, const char *id)
{
    return xw_printf(w, "%s#%s", file ? file : "", id);
}

int xw_render_noteref(xw_writer *w, size_t index, xmlNodePtr parent)
{
    const xw_note *note = &w->notes[index];
    xmlNodePtr a = xw_new_elem(w, parent, "a"), sup;
    char *href = file_href(w, w->notes_file, note->id);
    if (!a || !href)
        return DP_ENOMEM;
    xw_set(w, a, "href", href);
    xw_set(w, a, "id", note->ref_id);
    xw_set(w, a, "class", "footnote-ref");
    xw_set_role(w, a, "doc-noteref", "noteref");
    {
        /* the accessible name says what the superscript is ("Note 1"),
         * and holds the visible label (WCAG 2.5.3) */
        char *name = xw_printf(w, "Note %s", note->label);
        if (!name)
            return DP_ENOMEM;
        xw_set(w, a, "aria-label", name);
    }
    xw_apply_attrs(w, a, note->node, NULL);
    sup = xw_new_elem(w, a, "sup");
    if (!sup)
        return DP_ENOMEM;
    xw_add_text(sup, note->label, strlen(note->label));
    return 0;
}

/* The first element child of holder when it is a <p>, else a new <p>
 * put first (first != 0) or last in holder. */
static xmlNodePtr edge_paragraph(xw_writer *w, xmlNodePtr holder, int first)
{
    xmlNodePtr edge = NULL, p;
    for (xmlNodePtr c = first ? holder->children : holder->last; c; c = first ? c->next : c->prev)
        if (c->type == XML_ELEMENT_NODE) {
            edge = c;
            break;
        }
    if (edge && xmlStrEqual(edge->name, BAD_CAST "p"))
        return edge;
    p = xmlNewDocNode(holder->doc, xw_html_ns(w, holder), BAD_CAST "p", NULL);
    if (!p)
        return NULL;
    if (first && holder->children)
        xmlAddPrevSibling(holder->children, p);
    else
        xmlAddChild(holder, p);
    return p;
}

/* The note's chrome: its label opening the first paragraph (labels such as
 * "*" cannot be list numbers, so the list shows none of its own), and the
 * back link to the reference, "↩︎" with an accessible name, closing the
 * last one (pandoc's and DPUB-ARIA's shape: role="doc-backlink"). The HTML
 * reader knows both (span.footnote-label, a.footnote-back) and drops them. */
static int add_label_and_backlink(xw_writer *w, const xw_note *note, xmlNodePtr holder)
{
    xmlNodePtr p, a, label;
    char *href = file_href(w, note->ref_file, note->ref_id);
    char *name = xw_printf(w, "Back to reference %s", note->label);
    if (!href || !name)
        return DP_ENOMEM;
    if (!(p = edge_paragraph(w, holder, 1)))
        return DP_ENOMEM;
    label = xmlNewDocNode(holder->doc, xw_html_ns(w, holder), BAD_CAST "span", NULL);
    if (!label)
        return DP_ENOMEM;
    xw_set(w, label, "class", "footnote-label");
    xw_add_text(label, note->label, strlen(note->label));
    if (p->children) {
        xmlAddPrevSibling(p->children, label);
        xmlAddNextSibling(label, xmlNewDocText(holder->doc, BAD_CAST " "));
    } else {
        xmlAddChild(p, label);
    }
    if (!(p = edge_paragraph(w, holder, 0)))
        return DP_ENOMEM;
    a = xmlNewDocNode(holder->doc, xw_html_ns(w, holder), BAD_CAST "a", NULL);
    if (!a)
        return DP_ENOMEM;
    xw_set(w, a, "href", href);
    xw_set(w, a, "class", "footnote-back");
    xw_set_role(w, a, "doc-backlink", NULL);
    xw_set(w, a, "aria-label", name);
    /* U+21A9 and the text presentation selector U+FE0E (no emoji arrow) */
    xw_add_text(a, "\xe2\x86\xa9\xef\xb8\x8e", 6);
    xmlAddChild(p, xmlNewDocText(holder->doc, BAD_CAST " "));
    xmlAddChild(p, a);
    return 0;
}

/* The note's blocks, then the back link, into holder. */
static int render_note_body(xw_writer *w, size_t i, xmlNodePtr holder)
{
    int rc;
    const dp_node *node;
    if (w->note_depth >= XW_MAX_NOTE_NESTING)
        return w->ctx ? dp_fail(w->ctx, DP_ELIMIT, NULL, 0, 0, "HTML writer: notes nested deeper than %d",
                                XW_MAX_NOTE_NESTING)
                      : DP_ELIMIT;
    w->notes[i].rendered = 1;
    node = w->notes[i].node;
    xmlAddChild(holder, xmlNewDocText(holder->doc, BAD_CAST "\n"));
    w->note_depth++;
    rc = xw_render_blocks(w, dp_node_first_child(node), NULL, holder);
    w->note_depth--;
    if (rc == 0)
        rc = add_label_and_backlink(w, &w->notes[i], holder);
    return rc;
}

int xw_render_footnote_aside(xw_writer *w, size_t i, xmlNodePtr parent)
{
    xmlNodePtr aside;
    if (!w || !parent || i >= w->notes_count)
        return DP_EINVAL;
    aside = xw_new_elem(w, parent, "aside");
    if (!aside)
        return DP_ENOMEM;
    xw_set(w, aside, "id", w->notes[i].id);
    xw_set(w, aside, "class", "footnote");
    xw_set_role(w, aside, "doc-footnote", "footnote");
    xmlAddChild(parent, xmlNewDocText(parent->doc, BAD_CAST "\n"));
    return render_note_body(w, i, aside);
}

int xw_render_endnotes(xw_writer *w, size_t from, size_t to, xmlNodePtr parent)
{
    xmlNodePtr section = NULL, ol = NULL;
    int rc = 0;
    if (!w || !parent)
        return DP_EINVAL;
    /* notes referenced from inside the notes are appended while rendering:
     * with XW_ALL they are rendered too, in the same list */
    for (size_t i = from; i < w->notes_count && i < to && rc == 0; i++) {
        xmlNodePtr li;
        if (w->notes[i].rendered)
            continue;
        if (!section) {
            section = xw_new_elem(w, parent, "section");
            if (!section)
                return DP_ENOMEM;
            xw_set(w, section, "class", "footnotes");
            xw_set_role(w, section, "doc-endnotes", "endnotes");
            /* names the section for assistive technology (and the Nu checker
             * wants a name or heading on every section) without adding text */
            xw_set(w, section, "aria-label", "Notes");
            xmlAddChild(section, xmlNewDocText(parent->doc, BAD_CAST "\n"));
            ol = xw_new_elem(w, section, "ol");
            if (!ol)
                return DP_ENOMEM;
            /* the labels are written by the back links (original labels such
             * as "*" cannot be list numbers) */
            xw_set(w, ol, "style", "list-style-type: none");
            xmlAddChild(ol, xmlNewDocText(parent->doc, BAD_CAST "\n"));
            xmlAddChild(section, xmlNewDocText(parent->doc, BAD_CAST "\n"));
            xmlAddChild(parent, xmlNewDocText(parent->doc, BAD_CAST "\n"));
        }
        li = xw_new_elem(w, ol, "li");
        if (!li)
            return DP_ENOMEM;
        xw_set(w, li, "id", w->notes[i].id);
        xmlAddChild(ol, xmlNewDocText(parent->doc, BAD_CAST "\n"));
        rc = render_note_body(w, i, li);
    }
    return rc;
}

/* Several endnotes sections on one page are landmarks that need distinct
 * names (axe, in DAISY Ace: landmark-unique): the notes of a part that
 * opens with a heading are named after it, "Notes: Part one"; the part
 * before the first heading keeps "Notes". */
static int name_part_notes(xw_writer *w, xmlNodePtr parent, xmlNodePtr before, const dp_node *part)
{
    (void)w;
    xmlNodePtr sec = before ? before->next : parent->children;
    while (sec && sec->type != XML_ELEMENT_NODE)
        sec = sec->next;
    if (!sec || dp_node_kind(part) != DP_HEADING || !xmlHasProp(sec, BAD_CAST "aria-label"))
        return 0;
    const char *heading = dp_node_plain_text(part, 1);
    if (!heading || !*heading)
        return 0;
    xmlChar *label = xmlStrdup(BAD_CAST "Notes: ");
    label = xmlStrcat(label, BAD_CAST heading);
    if (!label)
        return DP_ENOMEM;
    xmlSetProp(sec, BAD_CAST "aria-label", label);
    xmlFree(label);
    return 0;
}

int xw_render_blocks_notes_at(xw_writer *w, const dp_node *first, const dp_node *stop, xmlNodePtr parent,
                              xw_notes_at at)
{
    int top = 7, rc = 0;
    if (at == XW_NOTES_AT_END)
        return xw_render_blocks(w, first, stop, parent);
    for (const dp_node *n = first; n && n != stop; n = dp_node_next(n))
        if (dp_node_kind(n) == DP_HEADING && dp_node_heading_level(n) < top)
            top = dp_node_heading_level(n);
    const dp_node *from = first;
    for (const dp_node *n = first; rc == 0; n = dp_node_next(n)) {
        int end = !n || n == stop;
        int cut = end || (n != from && dp_node_kind(n) == DP_HEADING &&
                          (at == XW_NOTES_AT_SECTION || dp_node_heading_level(n) <= top));
        if (!cut)
            continue;
        rc = xw_render_blocks(w, from, n, parent);
        xmlNodePtr before = parent->last;
        if (rc == 0)
            rc = xw_render_endnotes(w, 0, XW_ALL, parent);
        if (rc == 0 && parent->last != before)
            rc = name_part_notes(w, parent, before, from);
        if (end)
            break;
        from = n;
    }
    return rc;
}
