/* The ENTER functions of the (X)HTML walk, one per kind of node, shared by
 * the table in xw_enter.c and the files that hold them: block kinds in
 * xw_enter_blocks.c, inline kinds in xw_enter_inlines.c. */
#ifndef DOCPIPE_XW_ENTER_KINDS_H
#define DOCPIPE_XW_ENTER_KINDS_H

#include "xw_render.h"

typedef struct entered {
    dp_kind kind;     /* the kind written (a PARA in an XHTML 1.1 table caption is PLAIN) */
    int top;          /* the walk's first node: its language counts from the document's */
    xmlNodePtr el;    /* out */
    xmlNodePtr inner; /* out */
    int skip;         /* out */
} entered;

int xw_enter_heading(rstate *r, const dp_node *n, entered *o);
int xw_enter_line_block(rstate *r, const dp_node *n, entered *o);
int xw_enter_code_block(rstate *r, const dp_node *n, entered *o);
int xw_enter_raw_block(rstate *r, const dp_node *n, entered *o);
int xw_enter_list(rstate *r, const dp_node *n, entered *o);
int xw_enter_list_item(rstate *r, const dp_node *n, entered *o);
int xw_enter_table(rstate *r, const dp_node *n, entered *o);
int xw_enter_table_cell(rstate *r, const dp_node *n, entered *o);
int xw_enter_caption(rstate *r, const dp_node *n, entered *o);
int xw_enter_small_caps(rstate *r, const dp_node *n, entered *o);
int xw_enter_cite(rstate *r, const dp_node *n, entered *o);
int xw_enter_code(rstate *r, const dp_node *n, entered *o);
int xw_enter_math(rstate *r, const dp_node *n, entered *o);
int xw_enter_link(rstate *r, const dp_node *n, entered *o);
int xw_enter_image(rstate *r, const dp_node *n, entered *o);
int xw_enter_note(rstate *r, const dp_node *n, entered *o);
int xw_enter_page_break(rstate *r, const dp_node *n, entered *o);

#endif
