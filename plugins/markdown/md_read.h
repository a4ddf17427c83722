/* The Markdown reader's private header: the state of one import, shared by
 * the files it is split into by job:
 *   md_read.c        md_import: options, front matter, the cmark-gfm parse, clean-up
 *   md_read_leaf.c   the one sanitising path (whole input, every leaf text) and the leaves
 *   md_read_walk.c   the walk over cmark's tree: the stack, enter, containers finished
 *   md_read_notes.c  footnotes: the line index, labels read back from the source,
 *                    references, definitions nothing refers to */
#ifndef DOCPIPE_MD_READ_H
#define DOCPIPE_MD_READ_H

#include "md_internal.h"

typedef struct md_reader {
    dp_ctx *ctx;
    const char *path;
    dp_doc *doc;
    const char *src; /* Markdown text given to cmark (after the front matter) */
    size_t src_len;
    size_t *line_starts; /* byte offset of each line of src */
    size_t nlines;
    int line_offset; /* lines of front matter before src */
    int html_pairs;
    int tagfilter; /* GFM's disallowed raw HTML (md_tagfilter.c) */
    int math; /* $…$ and ```math are math */
    int max_depth;
    cmark_node **defs; /* footnote definitions, in cmark's index order */
    size_t ndefs;
    char **def_labels; /* label given to each definition (first reference's spelling) */
    unsigned char *def_active; /* definitions being converted (cycle guard) */
    dp_node **stack;
    cmark_node **origin; /* the cmark node each stack entry was made for */
    size_t depth, stack_cap, origin_cap;
    cmark_node *entering; /* the cmark node enter() is handling */
} md_reader;

/* ---- md_read_walk.c ---- */
int mdr_fail_nomem(md_reader *r);
/* The source position of c (front matter lines counted) on n. */
void mdr_set_pos(md_reader *r, dp_node *n, cmark_node *c);
/* Appends child (NULL: out of memory) to parent; 0 or a failure reported. */
int mdr_append(md_reader *r, dp_node *parent, dp_node *child);
/* Converts the children of container (a cmark node) into the dp node into. */
int mdr_convert_children(md_reader *r, cmark_node *container, dp_node *into);

/* ---- md_read_leaf.c ---- */
int mdr_sanitize_input(dp_ctx *ctx, const char *path, const unsigned char *s, size_t len, char **clean,
                       size_t *clean_len);
dp_node *mdr_leaf_node(md_reader *r, dp_kind kind, const char *s, size_t n);
dp_node *mdr_text_node(md_reader *r, dp_kind kind, const char *s);
dp_node *mdr_raw_node(md_reader *r, dp_kind kind, const char *s, const char *format);
dp_node *mdr_code_block(md_reader *r, cmark_node *c);
int mdr_is_math_fence(cmark_node *c);
dp_node *mdr_math_node(md_reader *r, const char *tex, int display, int fence);

/* ---- md_read_notes.c ---- */
/* r->line_starts for r->src (NULL when out of memory). */
void mdr_index_lines(md_reader *r);
int mdr_collect_defs(md_reader *r, cmark_node *root);
/* A footnote reference: the note holding its definition's blocks, into into. */
int mdr_note_ref(md_reader *r, cmark_node *c, dp_node *into);
int mdr_warn_unused_defs(md_reader *r);

#endif
