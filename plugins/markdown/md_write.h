/* The Markdown writer's shared state and helpers (md_write*.c). */
#ifndef DOCPIPE_MD_WRITE_H
#define DOCPIPE_MD_WRITE_H

#include <stddef.h>

#include "md_internal.h"
#include "md_label_set.h"

typedef enum frame_mode {
    FRAME_NODE,        /* children go into the frame's cmark node */
    FRAME_TRANSPARENT, /* no cmark node: children go into the enclosing one */
    FRAME_SKIP         /* children were handled on ENTER */
} frame_mode;

typedef struct frame {
    const dp_node *node;
    frame_mode mode;
    cmark_node *cm;        /* FRAME_NODE: the container */
    cmark_node *cursor;    /* GFM table/row: the next skeleton row/cell to fill */
    const char *close_tag; /* raw HTML written on EXIT (static strings) */
    int close_block;       /* close_tag as a block (else inline) */
    int line_break_after;  /* DP_LINE in a line block: a hard break follows */
} frame;

typedef struct note_def {
    char *label;
    const dp_node *note;
} note_def;

typedef struct md_writer {
    dp_ctx *ctx;
    const dp_doc *src; /* the document written (its resources) */
    cmark_node *doc;
    frame *frames;
    size_t depth, cap;
    cmark_node **defs; /* footnote definitions, appended at the end */
    size_t ndefs, defs_cap;
    cmark_node **spare; /* skeleton nodes to free after rendering */
    size_t nspare, spare_cap;
    note_def *labels;
    size_t nlabels, labels_cap;
    size_t *label_slots; /* hash index into labels (index + 1, 0 = empty), md_write_note.c */
    size_t label_slots_cap;
    int in_table_cell;
    int failed;
    md_label_set linked; /* ids that "#id" links point at (md_write_anchor.c) */
    cmark_syntax_extension *ext_table, *ext_strike, *ext_tasklist, *ext_autolink;
} md_writer;

/* ---- helpers (md_write_util.c) ---- */

int mdw_nomem(md_writer *w);
/* Keeps n to be freed after rendering. */
int mdw_keep_spare(md_writer *w, cmark_node *n);
/* The cmark node new children go into: the innermost FRAME_NODE. */
cmark_node *mdw_current(md_writer *w);
/* Appends n to mdw_current (frees it when refused). */
int mdw_add(md_writer *w, cmark_node *n);
cmark_node *mdw_new_literal(cmark_node_type type, const char *text);
int mdw_add_raw(md_writer *w, int block, const char *html);
/* Writes the start tag for f's node and arranges the end tag on EXIT. */
int mdw_open_html(md_writer *w, frame *f, const char *tag, const char *close, int block);
int mdw_has_attrs(const dp_node *n);
/* Parses a small Markdown text with the GFM extensions (footnotes if asked). */
int mdw_parse_snippet(md_writer *w, const char *text, int options, cmark_node **out);
/* Calls step on each ENTER and EXIT of the cmark tree built, until one
 * returns non-zero (returned). */
int mdw_each_node(md_writer *w, int (*step)(md_writer *w, cmark_node *n, cmark_event_type ev));
/* The innermost open frame of the given kind, or NULL. */
frame *mdw_enclosing(md_writer *w, dp_kind kind);

/* ---- the walk's steps (md_write_leaf.c, md_write_enter.c) ---- */

/* A leaf node: its cmark node(s) in the current container. */
int mdw_leaf(md_writer *w, const dp_node *n);
/* ENTER of a container: sets f's mode (its cmark node, or transparent). */
int mdw_container_enter(md_writer *w, frame *f);

/* ---- ids that links point at (md_write_anchor.c) ---- */

int mdw_anchors_init(md_writer *w, const dp_doc *doc);
void mdw_anchors_free(md_writer *w);
/* n's id when a link points at it, else NULL. */
const char *mdw_linked_id(const md_writer *w, const dp_node *n);
/* Whether "{#id}" can hold the id. */
int mdw_id_attribute_ok(const char *id);
/* mdw_has_attrs, less an id that is kept (a link points at it). */
int mdw_lost_attrs(const md_writer *w, const dp_node *n);
/* An empty <span id> (or <div id> for a block) here. */
int mdw_anchor(md_writer *w, const char *id, int block);

/* ---- math (md_write_math.c) ---- */

/* A DP_MATH: TeX between the delimiters that read it back unchanged. */
int mdw_math(md_writer *w, const dp_node *n);
/* A text run, its dollars escaped where they could start math. */
int mdw_text(md_writer *w, const char *text);

/* ---- lists (md_write_list_end.c) ---- */

/* After a list followed by a list or code block: what ends the list
 * without the renderer's visible "<!-- end list -->". */
int mdw_end_lists(md_writer *w);

/* ---- white space at line edges (md_write_line_space.c) ---- */

/* Removes the spaces that start or end a written line from its text nodes
 * (Markdown strips them; written, they hide a line-start "1." or "-" from
 * the renderer's escaping). */
int mdw_trim_line_space(md_writer *w);

/* ---- notes (md_write_note.c), tables (md_write_table.c) ---- */

/* ENTER of a DP_NOTE: the reference here, the definition to the end. */
int mdw_note_enter(md_writer *w, frame *f);
/* ENTER of a DP_TABLE: a GFM table, or raw HTML tags when it does not fit. */
int mdw_table_enter(md_writer *w, frame *f);
/* ENTER of a table section, row or cell (the GFM skeleton's, or raw HTML). */
int mdw_table_part_enter(md_writer *w, frame *f);
int mdw_table_row_enter(md_writer *w, frame *f);
int mdw_table_cell_enter(md_writer *w, frame *f);

#endif
