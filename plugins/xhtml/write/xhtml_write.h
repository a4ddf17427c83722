/* xhtml_write: the one (X)HTML body writer shared by the HTML exporter
 * (plugins/html/writer) and the EPUB exporter (plugins/epub). Static library
 * target `dp_xhtml_write` (PIC); link it PRIVATE into your plugin module.
 *
 * It renders dp tree blocks into libxml2 elements (never strings) and
 * serialises libxml2 documents as HTML5 or XML.
 *
 * How the EPUB exporter uses it (XHTML flavour):
 *
 *   xw_options o = XW_OPTIONS_INIT;
 *   o.flavour = XW_XHTML; o.epub_types = 1;          // epub:type beside role
 *   (EPUB 2: o.flavour = XW_XHTML11 -- XHTML 1.1 markup only, see the enum;
 *    its output passes EPUBCheck -mode xhtml -v 2.0, the XHTML one -v 3.0)
 *   o.link_href = my_resolver; o.userdata = me;         // "#id" -> "ch2.xhtml#id"
 *   xw_writer *w; xw_new(&w, ctx, doc, &o);              // assigns every id up front
 *   for each chapter file:
 *       xw_new_page(w, title, &xdoc, &head, &body);  // html(lang, xml:lang), head(meta charset, title)
 *       xw_set_files(w, "ch2.xhtml", NULL);          // NULL: notes go in this same file
 *                                                       // (or "notes.xhtml" for notes: book)
 *       size_t first = xw_note_count(w);
 *       xw_render_blocks(w, first_block, stop_block, body);
 *       xw_render_endnotes(w, first, XW_ALL, body);   // notes: chapter
 *       xw_serialize(xdoc, XW_XHTML, buf); xmlFreeDoc(xdoc);
 *   notes: book  -> after all chapters, in notes.xhtml: xw_render_endnotes(w, 0, XW_ALL, body)
 *                   (each note remembers the file its reference was written to, for the back link)
 *   notes: inline -> set o.inline_notes = 1: each note becomes an <aside epub:type="footnote"
 *                   role="doc-footnote"> right after the block holding its reference.
 *   title page: xw_render_title_block(w, body); nav: xw_render_toc(w, parent, depth)
 *   (nav hrefs go through link_href too); ids for nav/page-list: xw_node_id().
 *
 * All ids written (tree ids, heading ids, note ids, page-break ids) are unique
 * over the whole document and carry opts.id_prefix. Losses (raw blocks of
 * another format, custom kinds, bad MathML) are reported with dp_warn_node on
 * the ctx given to xw_new. Nesting is walked without recursion on the C
 * stack; deeper than dp_ctx_limits(ctx)->max_depth (10000 without a ctx) is a
 * DP_ELIMIT error; notes inside notes nest at most 64 deep. Page <html> gets
 * lang="und" when there is no language. */
#ifndef DOCPIPE_XHTML_WRITE_H
#define DOCPIPE_XHTML_WRITE_H

#include <docpipe/docpipe.h>
#include <libxml/tree.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum xw_flavour {
    XW_HTML5 = 0,  /* no-namespace elements, HTML serialisation (no "/>", <!DOCTYPE html>) */
    XW_XHTML = 1,  /* XHTML5 (EPUB 3): XHTML namespace, xml:lang beside lang, XML serialisation */
    XW_XHTML11 = 2 /* XHTML 1.1 (EPUB 2 / OPS 2.0.1): XML serialisation, the XHTML 1.1 DOCTYPE
                         (no meta charset: the XML declaration says UTF-8); only XHTML 1.1 elements and attributes: HTML5
                         sectioning elements become <div class="section|aside|nav|header|figure
                         |figcaption ...">, u becomes span.underline, page breaks
                         span/div.pagebreak with a title; no role, aria-*, data-*, epub:type or
                         lang (xml:lang only); ids made XML names; task boxes as "[x] ";
                         tfoot before tbody. What cannot be written (MathML, list start and
                         numbering style, tree key/values) is reported as a loss. */
} xw_flavour;

#define XW_ALL ((size_t)-1)

typedef struct xw_options {
    xw_flavour flavour;
    int epub_types;        /* XHTML only: epub:type next to every DPUB-ARIA role (noteref, footnote,
                              endnotes, pagebreak, toc); declares xmlns:epub on the root element */
    const char *id_prefix; /* prepended to every id written and to every "#id" fragment; NULL = none */
    int number_sections;   /* "1.2 " span.header-section-number in headings (and in the toc) */
    int section_divs;      /* wrap each heading and what follows (until a heading of the same or a
                              higher level) in <section class="levelN">; level 1 in <div class="section
                              level1"> (the Nu checker warns about h1 in section); applied within each
                              render_blocks range */
    int inline_notes;      /* notes as <aside role="doc-footnote"> after the block holding the ref,
                              instead of being left for xw_render_endnotes. A ref in a block that
                              cannot hold an aside (dt, th ...) is left for render_endnotes: call it
                              anyway, it writes only notes not yet written */
    const char *base_lang; /* language in effect where the rendered blocks are inserted (the html
                              lang); NULL = the document's metadata language */
    /* Called for every link/toc entry whose target is "#id" inside this document, with the
     * final (prefixed) id; returns the href to write (e.g. "ch2.xhtml#id") or NULL to write
     * "#id". The returned string is copied at once. */
    const char *(*link_href)(void *userdata, const char *id);
    void *userdata;
    int safe;              /* untrusted input (the writers' default): raw HTML keeps only the
                              allow-listed elements, attributes and URL schemes of xw_safe.c; links
                              and images with other URLs lose their href / src, node attributes that
                              could load or run something are left out. Each removal is reported
                              (dp_warn_node on the raw node, link or image). */
    int math_tex;          /* math as TeX in <span class="math inline|display">\(…\) / \[…\] (for
                              MathJax/KaTeX) instead of MathML; XHTML 1.1 always writes TeX (it has
                              no MathML) */
    int place_resources;   /* image sources that name a resource go through dp_ctx_resource_url (media
                              folder or data: URI); the EPUB writer packs them itself and leaves it 0 */
} xw_options;

#define XW_OPTIONS_INIT { XW_HTML5, 0, NULL, 0, 0, 0, NULL, NULL, NULL, 0, 0, 0 }

typedef struct xw_writer xw_writer;

/* One note met while rendering, in the order its reference was written. */
typedef struct xw_note {
    const dp_node *node;  /* the DP_NOTE (its children are the note's blocks) */
    const char *label;    /* the label shown: original label, else its number ("1", "*") */
    const char *id;       /* id of the note element, prefixed ("fn3") */
    const char *ref_id;   /* id of the <a role="doc-noteref">, prefixed ("fnref3") */
    const char *ref_file; /* file the reference was written to (xw_set_files), "" = same */
    int rendered;         /* already written (inline aside or an endnotes call) */
} xw_note;

/* A writer for one document: options, the id table (computed here, for
 * every heading, note, page break and tree id) and the collected notes.
 * ctx receives warnings and may be NULL. doc must outlive the writer. */
int xw_new(xw_writer **out, dp_ctx *ctx, const dp_doc *doc, const xw_options *opts);
void xw_free(xw_writer *w);

/* Where the next rendered blocks go (this_file, recorded in each note for its
 * back link) and where noterefs point (notes_file: "notes.xhtml" gives
 * href="notes.xhtml#fn3"). NULL or "" = the same file ("#fn3"). Strings copied. */
int xw_set_files(xw_writer *w, const char *this_file, const char *notes_file);

/* Renders the sibling blocks first .. stop (stop excluded; NULL = to the last
 * sibling) as children of parent. parent must belong to a document made by
 * xw_new_page or xw_new_fragment (or follow the same flavour rules).
 * Notes become noterefs and are appended to the note list. */
int xw_render_blocks(xw_writer *w, const dp_node *first, const dp_node *stop, xmlNodePtr parent);
/* Renders the inline children of node (a heading, a meta INLINES container ...)
 * into parent (which gets lang when node's language differs from base_lang);
 * with plain != 0 drops notes, links and page breaks (for toc entries, titles). */
int xw_render_inlines(xw_writer *w, const dp_node *node, xmlNodePtr parent, int plain);

/* Collected notes. */
size_t xw_note_count(const xw_writer *w);
const xw_note *xw_note_at(const xw_writer *w, size_t i);
/* <section role="doc-endnotes" [epub:type="endnotes"] class="footnotes"><ol><li id=fnN>
 * content ... <a role="doc-backlink" href="REFFILE#fnrefN">label</a></li></ol></section>
 * for notes from .. to (XW_ALL = to the end, including notes referenced
 * from inside these notes), skipping notes already rendered. Writes nothing
 * when there is no note in the range. */
int xw_render_endnotes(xw_writer *w, size_t from, size_t to, xmlNodePtr parent);
/* Where the notes of a run of blocks go (the writers' 'notes' option). */
typedef enum xw_notes_at {
    XW_NOTES_AT_END = 0, /* all after the run (the caller renders them) */
    XW_NOTES_AT_SECTION, /* before each heading among the blocks: the end of the part they belong to */
    XW_NOTES_AT_CHAPTER  /* before each heading of the run's highest level among them */
} xw_notes_at;
/* xw_render_blocks for first .. stop, with the endnotes written where at
 * says; with XW_NOTES_AT_END none are (what is left is the caller's). */
int xw_render_blocks_notes_at(xw_writer *w, const dp_node *first, const dp_node *stop, xmlNodePtr parent,
                              xw_notes_at at);
/* <aside id=fnN role="doc-footnote" [epub:type="footnote"]> for one note. */
int xw_render_footnote_aside(xw_writer *w, size_t i, xmlNodePtr parent);

/* <header id="title-block-header"> with h1.title (metadata title), p.subtitle,
 * p.author / p.translator / p.editor bylines, p.date, source link. Writes
 * nothing when the metadata has no title and no author. */
int xw_render_title_block(xw_writer *w, xmlNodePtr parent);
/* <nav id="TOC" role="doc-toc" [epub:type="toc"]> with an optional <h2>title</h2>
 * (NULL = none; the nav then gets aria-label="Table of contents") and nested
 * <ol> of links to headings of level <= max_level (0 = all); hrefs go through
 * link_href. Writes nothing when the document has no heading. */
int xw_render_toc(xw_writer *w, xmlNodePtr parent, int max_level, const char *title);

/* The id written for a node (tree id deduplicated and prefixed; generated for
 * headings, notes, page breaks), NULL when it gets none. */
const char *xw_node_id(const xw_writer *w, const dp_node *node);
/* "1.2" for a heading when number_sections is on, else NULL. */
const char *xw_heading_number(const xw_writer *w, const dp_node *heading);

/* For templates (xw_template.c): metadata text escaped for (X)HTML (a
 * tpl_env escape callback), and a formatted value (DP_META_INLINES /
 * DP_META_BLOCKS) as markup in the writer's flavour, appended to out. */
int xw_template_escape(void *userdata, const char *text, dp_buf *out);
int xw_meta_markup(xw_writer *w, const dp_meta *m, dp_buf *out);

/* A new page in the writer's flavour: <!DOCTYPE html>, <html lang [xml:lang]
 * [xmlns:epub]>, <head> with <meta charset="utf-8"> and <title>title</title>
 * (title NULL = metadata title), and an empty <body>. Free with xmlFreeDoc. */
int xw_new_page(xw_writer *w, const char *title, xmlDocPtr *out_doc, xmlNodePtr *out_head,
                   xmlNodePtr *out_body);
/* A document whose root <div> is only a holder for fragment output
 * (serialise it with xw_serialize_children). */
int xw_new_fragment(xw_writer *w, xmlDocPtr *out_doc, xmlNodePtr *out_holder);

/* Serialisation into out (appended), UTF-8. HTML5: HTML rules (void elements
 * without "/>", <!DOCTYPE html>); XHTML: XML declaration + XML rules. */
int xw_serialize(xmlDocPtr doc, xw_flavour flavour, dp_buf *out);
/* The children of holder only (fragment mode), same rules, no declaration. */
int xw_serialize_children(xmlNodePtr holder, xw_flavour flavour, dp_buf *out);
/* The same bytes as the two above, but the body's (holder's) children are
 * written one at a time and freed once written, so a large page's tree and
 * its output are not held whole together (xw_serialize.c). The body
 * is left empty: for a caller that frees the document next. */
int xw_serialize_freeing(xmlDocPtr doc, xw_flavour flavour, dp_buf *out);
int xw_serialize_children_freeing(xmlNodePtr holder, xw_flavour flavour, dp_buf *out);

/* The element namespace helpers the writer uses, for callers adding their own
 * elements to a page: a new element in the page's namespace (XHTML ns or none). */
xmlNodePtr xw_elem(xw_writer *w, xmlNodePtr parent, const char *name);
/* Sets lang (and xml:lang in XHTML) on an element. */
void xw_set_lang(xw_writer *w, xmlNodePtr el, const char *lang);
/* Sets role and, with epub_types, epub:type (e.g. "doc-noteref" + "noteref"). */
void xw_set_role(xw_writer *w, xmlNodePtr el, const char *role, const char *epub_type);

#ifdef __cplusplus
}
#endif
#endif
