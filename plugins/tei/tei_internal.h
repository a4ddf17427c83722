/* TEI plugin internals shared by the reader and the writer. */
#ifndef DOCPIPE_TEI_INTERNAL_H
#define DOCPIPE_TEI_INTERNAL_H

#include <docpipe/docpipe.h>
#include <libxml/tree.h>

#define TEI_NS "http://www.tei-c.org/ns/1.0"
#define TEI_ALL_URL "http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
#define TEI_LITE_URL "http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_lite.rng"
/* Metadata keys the header has no element for travel in fileDesc/notesStmt
 * as <note type="docpipe-meta" n="key">, so that they round-trip. */
#define TEI_META_NOTE_TYPE "docpipe-meta"
/* The sourceDesc statement written when the metadata names no source. */
#define TEI_BORN_DIGITAL "Born digital: no previous source exists."
/* TEI's markup examples (<egXML>) are read as code of language "xml" whose
 * text is the example; this attribute (value "egXML") tells the writer to
 * put the example back as an <egXML> element (tei_read_egxml.c). */
#define TEI_EXAMPLES_NS "http://www.tei-c.org/ns/Examples"
#define TEI_EGXML_KEY "tei:element"

int tei_import(dp_ctx *ctx, const dp_input *in, dp_doc **out);
int tei_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out);

/* ---- tei_common.c ---- */
/* English name of a BCP 47 language tag's primary subtag ("zh" -> "Chinese"), NULL if unknown. */
const char *tei_lang_name(const char *tag);
/* MARC relator code -> the phrase written in <resp>, and back. */
const char *tei_role_phrase(const char *code);
const char *tei_role_code(const char *phrase);
/* Whether name is one of the strings of list (NULL-terminated). A NULL list
 * or name is in nothing. */
int tei_name_in(const char *name, const char *const *list);
/* Whether TEI Lite (P5 4.1.0) defines an element of that local name. */
int tei_lite_has(const char *name);
/* Whether TEI P5 (tei_all) defines an element of that local name. */
int tei_all_has(const char *name);
/* An ISO 8601 date / dateTime / gYear(Month) that @when accepts. */
int tei_is_iso_date(const char *s);
/* An XML NCName (ASCII subset plus any non-ASCII byte). */
int tei_is_ncname(const char *s);
/* Direction in a CSS @style ("direction: rtl"; TEI has no dir attribute):
 * "rtl", "ltr" or NULL; rest gets the other declarations (cut to cap). */
const char *tei_style_direction(const char *style, char *rest, size_t cap);

/* ---- tei_pointer.c ---- */
/* addr as a URI reference tei_all accepts in a pointer (percent-encoded
 * where a URI may not hold a character; "./" before a first segment with a
 * colon); malloc'd, NULL when out of memory. */
char *tei_pointer_of(const char *addr);
/* Whether addr is a relative reference whose first segment holds a colon
 * (written with "./" before it, which the reader takes off). */
int tei_pointer_needs_dot(const char *addr);
/* The address a pointer read stands for: pointer without the "./" that
 * tei_pointer_of put before a first segment with a colon. */
const char *tei_pointer_address(const char *pointer);

/* ---- tei_write_header.c ---- */
typedef struct tei_header_opts {
    int lite;
    int record_conversion;
} tei_header_opts;
/* Appends a complete <teiHeader> to root. Returns 0 or a DP_E* code. */
int tei_write_header(dp_ctx *ctx, const dp_doc *doc, xmlNodePtr root, xmlNsPtr ns,
                     const tei_header_opts *opts);

/* ---- tei_read_header.c ---- */
/* Fills the document metadata from a <teiHeader>. tei_ns_only: elements must
 * be in the TEI namespace (P5) or may be un-namespaced (P4, fragments). */
int tei_read_header(dp_ctx *ctx, dp_doc *doc, const xmlNode *header, const char *path);

/* Local name test for TEI elements (namespace TEI or none). */
int tei_is(const xmlNode *n, const char *name);
/* The node after n in a walk of top's subtree in document order, NULL at its end. */
const xmlNode *tei_next_node(const xmlNode *n, const xmlNode *top);

#endif
