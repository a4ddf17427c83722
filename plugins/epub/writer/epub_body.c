/* epub_writer: chapter bodies and notes, rendered by the shared XHTML writer
 * (plugins/xhtml/write). This file only tells it where each piece goes. */
#include "epub_book.h"

#include <stdio.h>
#include <string.h>

#include "xhtml_write.h"

/* link_href hook: "#id" stays "#id" inside the file being written, and
 * becomes "file#id" when the id lives in another file of the book. */
static const char *link_href(void *userdata, const char *id)
{
    epubw_book *b = userdata;
    const char *file = epubw_id_file(b, id);
    const char *here = b->rendering_file;
    if (!file || (here && strcmp(file, here) == 0))
        return NULL;
    snprintf(b->href_buf, sizeof b->href_buf, "%s#%s", file, id);
    return b->href_buf;
}

int epubw_body_begin(epubw_book *b)
{
    xw_options o = XW_OPTIONS_INIT;
    /* EPUB 2 content is XHTML 1.1: the shared writer's own flavour, so the
     * HTML5 -> XHTML 1.1 mapping exists once (in plugins/xhtml/write) */
    o.flavour = b->version == 2 ? XW_XHTML11 : XW_XHTML;
    o.epub_types = b->version != 2;
    o.section_divs = 1;
    o.inline_notes = b->notes_mode == EPUBW_NOTES_INLINE;
    o.base_lang = b->lang;
    o.link_href = link_href;
    o.userdata = b;
    o.safe = dp_opt_bool(b->ctx, "safe"); /* on by default: the book's content may come from anyone */
    xw_writer *w = NULL;
    int rc = xw_new(&w, b->ctx, b->doc, &o);
    if (rc)
        return rc;
    b->body = w;
    return 0;
}

const char *epubw_body_node_id(const epubw_book *b, const dp_node *node)
{
    return b->body ? xw_node_id(b->body, node) : NULL;
}

int epubw_body_chapter(epubw_book *b, size_t chapter, xmlNodePtr container)
{
    xw_writer *w = b->body;
    const epubw_chapter *c = &b->chapters[chapter];
    b->rendering_file = c->file;
    int rc = xw_set_files(w, c->file, b->notes_mode == EPUBW_NOTES_BOOK ? b->notes_file : NULL);
    if (rc)
        return rc;
    size_t first_note = xw_note_count(w);
    /* notes: section writes each part's notes before the next heading */
    xw_notes_at at = b->notes_mode == EPUBW_NOTES_SECTION ? XW_NOTES_AT_SECTION : XW_NOTES_AT_END;
    if (c->first && (rc = xw_render_blocks_notes_at(w, c->first, c->stop, container, at)))
        return rc;
    /* notes: chapter puts them at the end of the file; notes: inline has
     * written asides already, and renders here only what is left (notes
     * referenced from inside notes) */
    if (b->notes_mode != EPUBW_NOTES_BOOK)
        rc = xw_render_endnotes(w, first_note, XW_ALL, container);
    return rc;
}

int epubw_body_book_notes(epubw_book *b, xmlNodePtr container, int *any)
{
    xw_writer *w = b->body;
    b->rendering_file = b->notes_file;
    *any = xw_note_count(w) > 0;
    int rc = xw_set_files(w, b->notes_file, NULL);
    if (rc || !*any)
        return rc;
    return xw_render_endnotes(w, 0, XW_ALL, container);
}

int epubw_body_title_block(epubw_book *b, xmlNodePtr container)
{
    b->rendering_file = "titlepage.xhtml";
    return xw_render_title_block(b->body, container);
}

void epubw_body_end(epubw_book *b)
{
    if (b->body)
        xw_free(b->body);
    b->body = NULL;
}
