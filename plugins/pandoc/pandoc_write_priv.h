/* The pandoc-json writer's shared parts: its state and the helpers its files
 * share: pandoc_write.c (document, metadata, tags, Attr), pandoc_write_inline.c,
 * pandoc_write_block.c, pandoc_write_table.c. Private; prefix pw_. */
#ifndef DOCPIPE_PANDOC_WRITE_PRIV_H
#define DOCPIPE_PANDOC_WRITE_PRIV_H

#include "pandoc_internal.h"

typedef struct pw {
    dp_ctx *ctx;
    jw w;
    int api; /* 22 or 23 */
    int warned_page, warned_custom, warned_task, warned_terms, warned_mathml;
} pw;

/* {"t":T opened: the caller closes it with "}" (an element without
 * contents) or goes on. */
void pw_tag(pw *p, const char *t);
/* {"t":T,"c": opened: the caller writes the contents and closes. */
void pw_tag_c(pw *p, const char *t);
/* pandoc's Attr [id, [classes], [[k, v]]] of a node. */
void pw_attr(pw *p, const dp_node *n);
/* [block, ...] of the children from first_child on. */
void pw_block_list(pw *p, const dp_node *first_child);
/* [inline, ...] of the children from first_child on. */
void pw_inline_list(pw *p, const dp_node *first_child);
/* The inlines from n on, comma-separated (no brackets). */
void pw_inlines(pw *p, const dp_node *n);
/* The blocks from n on, comma-separated (no brackets). */
void pw_blocks(pw *p, const dp_node *n);
/* ,[url, title] of a Link or Image; title_prefix (pandoc 1.22's "fig:")
 * goes before the title. */
void pw_target(pw *p, const dp_node *n, const char *title_prefix);
/* Span (block 0) and Div (block 1): [Attr, children]. */
void pw_attr_container(pw *p, const char *t, const dp_node *n, int block);
/* A kind pandoc has no element for: a Span (inline) or Div (block) with the
 * class cls, reported once per kind (*warned). */
void pw_stand_in(pw *p, const dp_node *n, const char *cls, int block, int *warned, const char *what);
/* pandoc's Caption [short (null), [blocks]] of a caption node (may be NULL). */
void pw_caption(pw *p, const dp_node *cap);
/* Table (1.22 and 1.23 shapes) with its caption, colspecs, head, bodies, foot. */
void pw_table(pw *p, const dp_node *n);

#endif
