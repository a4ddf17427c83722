/* Markdown plugin internals: shared by the reader (md_read.c), the writer
 * (md_write.c), front matter (md_frontmatter.c) and the small HTML tag
 * helpers (md_html_tag.c). */
#ifndef DOCPIPE_MD_INTERNAL_H
#define DOCPIPE_MD_INTERNAL_H

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "docpipe/docpipe.h"

/* Node types of the GFM core extensions. The library exports these
 * variables (assigned when the extensions register) but installs no header
 * declaring them. */
extern cmark_node_type CMARK_NODE_TABLE;
extern cmark_node_type CMARK_NODE_TABLE_ROW;
extern cmark_node_type CMARK_NODE_TABLE_CELL;
extern cmark_node_type CMARK_NODE_STRIKETHROUGH;

/* The extensions every parse and render uses. */
#define MD_EXTENSIONS { "table", "strikethrough", "autolink", "tasklist" }

/* Feeds text to parser and finishes the parse, holding a process-wide lock:
 * cmark-gfm's inline parsing shares global state between parsers
 * (md_cmark_parse.c). Every cmark-gfm parse in the plugin goes through it.
 * Returns the document node, or NULL when out of memory. */
cmark_node *md_cmark_parse(cmark_parser *parser, const char *text, size_t len);

/* ---- plugin entry points ---- */
int md_import(dp_ctx *ctx, const dp_input *in, dp_doc **out);
int md_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out);

/* ---- front matter (md_frontmatter.c) ---- */

/* If text starts with a YAML front matter block ("---" line, YAML, "---" or
 * "..." line), sets *body to the first byte after it and *lines to the
 * number of lines it spans, and parses it into doc's metadata. Otherwise
 * *body = text, *lines = 0. Returns 0 or a dp_fail code. */
int md_front_matter_read(dp_ctx *ctx, const char *path, const char *text, size_t len, dp_doc *doc,
                         const char **body, int *lines);
/* Appends "---\n<yaml>---\n\n" for a non-empty metadata map. */
int md_front_matter_write(dp_ctx *ctx, const dp_doc *doc, dp_buf *out);

/* ---- GFM tag filter (md_tagfilter.c) ---- */

/* s[0..len) with the "<" of each tag of a disallowed element (title,
 * textarea, style, xmp, iframe, noembed, noframes, script, plaintext)
 * written "&lt;", as GFM's tagfilter does. *out is a malloc'd copy
 * (*out_len bytes) when something was filtered, else NULL. 0 or DP_ENOMEM. */
int md_tagfilter(const char *s, size_t len, char **out, size_t *out_len);

/* ---- HTML tags (md_html_tag.c) ---- */

typedef enum md_tag_kind { MD_TAG_NONE = 0, MD_TAG_OPEN, MD_TAG_CLOSE } md_tag_kind;

/* Whether raw is exactly one start tag <name ...> (surrounding whitespace
 * allowed) or end tag </name> of the given element name. For a start tag
 * with target non-NULL, the attributes are copied onto target (lang, id,
 * class, others as key/values). Returns MD_TAG_NONE for anything else,
 * including attributes it cannot read. */
md_tag_kind md_html_tag_match(const char *raw, const char *name, dp_node *target);
/* Within parent's children, wraps each raw <name ...> ... </name> pair
 * (raw nodes of raw_kind, format html, each holding just that tag) into a
 * new node of wrap_kind carrying the start tag's attributes; nesting is
 * respected, unmatched tags stay raw. 0, DP_ENOMEM or DP_EINTERNAL. */
int md_pair_html_tags(dp_node *parent, dp_kind raw_kind, const char *name, dp_kind wrap_kind);
/* A byte of an id that pandoc's "{#id}" attribute syntax can hold (letters,
 * digits, - _ : . and any non-ASCII character), shared by the writer, which
 * writes "{#id}" only for such ids, and the reader, which reads it back. */
static inline int md_id_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == ':' || c == '.' || c >= 0x80;
}
/* Appends an empty element "<name id="id"></name>", an anchor for an id that
 * a link points at and Markdown has no syntax for. */
int md_html_anchor(dp_buf *buf, const char *name, const char *id);
/* Appends a start tag "<name attrs>" for the attributes of node (id, class,
 * lang, key/values), values escaped for a double-quoted attribute. */
int md_html_open_tag(dp_buf *buf, const char *name, const dp_node *node);

#endif
