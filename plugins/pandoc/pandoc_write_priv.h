/* The pandoc-json writer's shared parts: its state and the helpers that
 * tables (pandoc_write_table.c) share with the rest (pandoc_write.c).
 * Private; prefix pw_. */
#ifndef DOCPIPE_PANDOC_WRITE_PRIV_H
#define DOCPIPE_PANDOC_WRITE_PRIV_H

#include "pandoc_internal.h"

typedef struct pw {
    dp_ctx *ctx;
    jw w;
    int api; /* 22 or 23 */
    int warned_page, warned_custom, warned_task, warned_terms, warned_mathml;
} pw;

/* {"t":T,"c": opened: the caller writes the contents and closes. */
void pw_tag_c(pw *p, const char *t);
/* pandoc's Attr [id, [classes], [[k, v]]] of a node. */
void pw_attr(pw *p, const dp_node *n);
/* [block, ...] of the children from first_child on. */
void pw_block_list(pw *p, const dp_node *first_child);
/* pandoc's Caption [short (null), [blocks]] of a caption node (may be NULL). */
void pw_caption(pw *p, const dp_node *cap);
/* Table (1.22 and 1.23 shapes) with its caption, colspecs, head, bodies, foot. */
void pw_table(pw *p, const dp_node *n);

#endif
