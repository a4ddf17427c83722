/* The (X)HTML walk's state, shared by the walk (xw_blocks.c) and the
 * per-kind ENTER of a node (xw_enter.c). Private to plugins/xhtml/write. */
#ifndef DOCPIPE_XW_RENDER_H
#define DOCPIPE_XW_RENDER_H

#include "xw_internal.h"

typedef struct frame {
    xmlNodePtr restore;       /* parent to go back to on EXIT */
    const char *restore_lang; /* language in effect at restore */
    size_t section_mark;      /* sections opened inside this container start here */
    xmlNodePtr el;            /* the node's element (NULL when it has none) */
} frame;

typedef struct open_section {
    int level;
    xmlNodePtr restore;
} open_section;

typedef struct rstate {
    xw_writer *w;
    frame *frames;
    size_t nframes, cap;
    open_section *secs;
    size_t nsecs, seccap;
    xmlNodePtr cur;   /* where the next child goes */
    const char *lang; /* language in effect at cur */
    size_t *pending;  /* inline_notes: notes waiting for the end of their block */
    size_t npending, pendcap;
    int plain;        /* render_inlines(plain): no notes, links, page breaks */
    struct raw_run { /* raw HTML parsed with the rest of its container (xw_rawrun.c) */
        const dp_node *container;
        xmlNodePtr restore; /* where the run was written: the fallback for a lost slot */
        xmlNodePtr *slots;  /* one per non-raw node of the run, in order (NULL: lost) */
        size_t nslots, next;
    } *runs;
    size_t nruns, runcap;
} rstate;

/* ENTER of a node: creates its element(s) under r->cur. Sets *el to the
 * node's own element and *inner to where its children go (NULL for leaves).
 * *skip asks the walk to skip the children. */
int xw_enter_node(rstate *r, const dp_node *n, int top, xmlNodePtr *el, xmlNodePtr *inner, int *skip);

/* Helpers of the walk that ENTER uses too (xw_blocks.c). */
int xw_lang_differs(const char *a, const char *b);
int xw_block_holder(xmlNodePtr el);
void xw_newline_after(xmlNodePtr el);
int xw_open_section_for(rstate *r, int level);

#endif
