/* Private parts of the (X)HTML writer, shared by its source files. */
#ifndef DOCPIPE_XW_INTERNAL_H
#define DOCPIPE_XW_INTERNAL_H

#include "xhtml_write.h"

#define XW_XHTML_NS "http://www.w3.org/1999/xhtml"
#define XW_EPUB_NS "http://www.idpf.org/2007/ops"
#define XW_MATHML_NS "http://www.w3.org/1998/Math/MathML"

/* node -> id (open addressing on the pointer) */
typedef struct xw_idslot {
    const dp_node *node;
    char *id;     /* final, prefixed */
    char *number; /* headings with number_sections: "1.2" */
} xw_idslot;

/* set of strings (open addressing on the string), each with a counter */
typedef struct xw_strset {
    char **slots;
    unsigned *counts; /* parallel to slots */
    size_t cap, count;
} xw_strset;

typedef struct xw_strlist {
    char **items;
    size_t count, cap;
} xw_strlist;

struct xw_writer {
    dp_ctx *ctx;
    const dp_doc *doc;
    xw_options opts;
    char *id_prefix; /* "" when none */
    char *base_lang; /* may be NULL */

    xw_idslot *ids;
    size_t ids_cap, ids_count;
    xw_strset taken;    /* ids already given out */
    xw_strset suffixed; /* base -> last "-N" tried for it, so that the next
                         * duplicate of a base starts there (linear, not
                         * quadratic, in the number of duplicates) */

    xw_note *notes;
    size_t notes_count, notes_cap;
    char *this_file; /* "" = same */
    char *notes_file;

    xw_strlist strings; /* every string the writer allocated, freed at the end */
    int note_depth;     /* nesting of note rendering (notes inside notes) */
    size_t safe_removed; /* safe mode: removals in the raw HTML being copied */
    const dp_node *raw_origin; /* the raw node being copied, named in safe-mode reports */
};

#define XW_IS_XML(w) ((w)->opts.flavour != XW_HTML5)
#define XW_IS_X11(w) ((w)->opts.flavour == XW_XHTML11)

/* strings owned by the writer */
/* Takes s (malloc'd) into the writer's strings, freed with it; NULL (s freed)
 * when out of memory or s is NULL (xw_core.c). */
char *xw_keep(xw_writer *w, char *s);
char *xw_strdup(xw_writer *w, const char *s);
char *xw_printf(xw_writer *w, const char *fmt, ...) DP_PRINTF(2, 3);

/* id table */
char *xw_unique_id(xw_writer *w, const char *base); /* prefixed, reserved */
/* prefix + id, made a valid id for the flavour (the form links must use) */
char *xw_full_id(xw_writer *w, const char *id);
/* Does some element of the document get this (full) id? */
int xw_id_taken(xw_writer *w, const char *full_id);
const char *xw_note_ref_id(const xw_writer *w, const dp_node *note);
int xw_assign_ids(xw_writer *w);
const char *xw_id_of(const xw_writer *w, const dp_node *node);

/* elements and attributes */
xmlNsPtr xw_html_ns(xw_writer *w, xmlNodePtr near);
xmlNodePtr xw_new_elem(xw_writer *w, xmlNodePtr near, const char *name);
/* An unlinked element in ns, renamed for XHTML 1.1 when needed. */
xmlNodePtr xw_make_elem(xw_writer *w, xmlNodePtr near, xmlNsPtr ns, const char *name);
/* Whether XHTML 1.1 output leaves this attribute out. */
int xw_x11_drops(xw_writer *w, xmlNodePtr el, const char *attr);
void xw_set(xw_writer *w, xmlNodePtr el, const char *name, const char *value);
void xw_add_text(xmlNodePtr parent, const char *text, size_t len);
/* Copies the node's id, classes (extra_class first) and key/values to el. */
void xw_apply_attrs(xw_writer *w, xmlNodePtr el, const dp_node *node, const char *extra_class);
int xw_node_has_attrs(const dp_node *node);
/* href for an in-document "#id" link (prefix + link_href hook). */
char *xw_internal_href(xw_writer *w, const char *prefixed_id);

/* notes */
int xw_note_add(xw_writer *w, const dp_node *note, size_t *index_out);
int xw_render_noteref(xw_writer *w, size_t index, xmlNodePtr parent);

/* raw HTML / MathML import into the output document */
/* origin: the raw node, named in safe-mode reports. */
int xw_import_html(xw_writer *w, const dp_node *origin, const char *text, size_t len, xmlNodePtr parent,
                   int is_block);
/* Whether raw HTML is written verbatim (HTML syntax, safe mode off): as the
 * author wrote it, byte for byte, as cmark-gfm --unsafe writes it; the
 * browser parses it together with the rest of the page. XHTML must be
 * well-formed and safe mode must inspect it: those parse it (above). */
int xw_raw_verbatim(const xw_writer *w);
/* Appends text to parent as a text node the HTML serialiser writes without
 * escaping (libxml2's xmlStringTextNoenc). */
void xw_add_verbatim(xmlNodePtr parent, const char *text, size_t len);

/* raw HTML runs (xw_rawrun.c): whether n is raw HTML (format html, html5,
 * html4, xhtml); parsing from first (a raw HTML node) to the end of its
 * container as one piece into parent, with *slots (malloc'd, *nslots
 * entries, NULL where the parse lost one) the elements where the other
 * nodes of the run, in order, are to be written; closing unwraps them and
 * frees the array. */
int xw_is_raw_html(const dp_node *n);
/* The mark (in xmlAttr._private) of an attribute copied from raw HTML,
 * whose URL the HTML serialiser writes as it is (xw_serialize.c). */
extern const char xw_raw_attr_mark;
int xw_raw_run_open(xw_writer *w, const dp_node *first, xmlNodePtr parent, xmlNodePtr **slots, size_t *nslots);
void xw_raw_run_close(xmlNodePtr *slots, size_t nslots);
/* Whether el is a run's slot placeholder: ours, not the author's, so safe
 * mode copies it with its attributes (the blocks are written into it). */
int xw_is_slot(const xmlNode *el);
/* el, or for a run's slot the element that will hold its content. */
xmlNodePtr xw_slot_parent(xmlNodePtr el);

/* safe mode (xw_safe.c): an allow-list of what raw HTML, links, images and
 * node attributes may carry. */
typedef enum { XW_SAFE_KEEP, XW_SAFE_UNWRAP, XW_SAFE_DROP } xw_safe_verdict;
/* image: the URL is an image's src (data: raster images allowed) */
int xw_safe_url(const char *url, int image);
/* KEEP: copied; UNWRAP: left out, its content copied; DROP: left out whole */
xw_safe_verdict xw_safe_element(const char *name);
int xw_safe_attribute(const char *element, const char *name, const char *value);
int xw_import_mathml(xw_writer *w, const char *text, size_t len, xmlNodePtr parent);

#endif
