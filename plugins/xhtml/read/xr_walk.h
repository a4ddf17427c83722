/* Internals of the walk from libxml2 trees to the dp tree, shared by the
 * files of the walker: xr_walk.c (frames, adding nodes, the main loop),
 * xr_elements.c (what each element becomes), xr_leaves.c (text leaves,
 * links, images, notes), xr_struct.c (lists, definition lists, tables,
 * line blocks). */
#ifndef DOCPIPE_XR_WALK_H
#define DOCPIPE_XR_WALK_H

#include "xr_internal.h"

typedef enum fkind { F_BLOCK, F_INLINE, F_LIST, F_DL, F_TABLE, F_TSECT, F_TROW, F_LINES } fkind;
enum { EX_NONE, EX_BREAK, EX_NOTE, EX_TABLE };

typedef struct frame {
    xmlNodePtr next;       /* next source node to read in this frame */
    int single;            /* read only `next`, not its following siblings */
    xmlNodePtr unskip;     /* a note body read as itself despite its XR_SKIP */
    fkind kind;
    dp_node *container;
    dp_node *implicit;     /* open implicit wrapper (PLAIN / PARA / table body / def item / row) */
    dp_kind implicit_kind; /* F_BLOCK: DP_PLAIN, or DP_PARA inside notes */
    int need_break;        /* F_INLINE: a line break before the next inline */
    int exit;
    xmlNodePtr elem;       /* source element of this frame (exit actions) */
    dp_node *made;
    size_t file;
} frame;

typedef struct walker {
    xr_session *s;
    frame *st;
    size_t n, cap;
} walker;

const char *xrw_resource_name(walker *w, size_t file, const char *url);
dp_node *xrw_new_node(walker *w, dp_kind k);
dp_node *xrw_struct_slot(walker *w, frame *f);
frame *xrw_top(walker *w);
frame xrw_child_frame(const frame *parent, xmlNodePtr first, fkind kind, dp_node *container);
int xrw_add_block(walker *w, frame *f, dp_node *b);
int xrw_add_inline(walker *w, frame *f, dp_node *in);
int xrw_add_text(walker *w, frame *f, const char *s, size_t len);
int xrw_apply_attrs(walker *w, dp_node *n, xmlNodePtr el, const char *const *skip);
int xrw_handle_struct(walker *w, frame *f, xmlNodePtr el);
int xrw_int_attr(xmlNodePtr el, const char *name, int dflt, int lo, int hi);
int xrw_link_child(walker *w, dp_node *parent, dp_node *child);
int xrw_map_citation(walker *w, frame *f, xmlNodePtr el);
int xrw_map_code(walker *w, frame *f, xmlNodePtr el);
int xrw_map_general(walker *w, frame *f, xmlNodePtr el);
int xrw_map_img(walker *w, frame *f, xmlNodePtr el);
int xrw_map_link(walker *w, frame *f, xmlNodePtr el);
int xrw_map_math(walker *w, frame *f, xmlNodePtr el);
int xrw_map_noteref(walker *w, frame *f, xmlNodePtr el, xr_info *ri);
int xrw_map_pre(walker *w, frame *f, xmlNodePtr el, int inline_ctx);
int xrw_map_tex_math(walker *w, frame *f, xmlNodePtr el);
int xrw_map_script_math(walker *w, frame *f, xmlNodePtr el);
int xrw_oom(walker *w);
int xrw_open_children(walker *w, xmlNodePtr el, fkind kind, dp_node *container, int exit);
int xrw_open_single(walker *w, xmlNodePtr node, fkind kind, dp_node *container);
int xrw_parse_align(xmlNodePtr el, dp_align *out);
int xrw_push(walker *w, const frame *f);
/* Source line of el, and the file it came from (an EPUB has many). */
void xrw_set_pos(walker *w, dp_node *n, xmlNodePtr el);
void xrw_table_exit(walker *w, dp_node *table, xmlNodePtr el);

#endif
