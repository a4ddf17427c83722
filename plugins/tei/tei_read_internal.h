/* TEI importer internals shared by its files: the reading state and the
 * functions each part of the reader offers the others. */
#ifndef DOCPIPE_TEI_READ_INTERNAL_H
#define DOCPIPE_TEI_READ_INTERNAL_H

#include "tei_internal.h"

#include <libxml/hash.h>

typedef struct tr {
    dp_ctx *ctx;
    dp_doc *doc;
    const char *path;
    int max_depth;
    int p4;                /* TEI P4: id / lang instead of xml:id / xml:lang */
    int err;
    xmlHashTablePtr reported; /* element names already reported as custom */
    int first_line, first_col; /* the first fatal parse error (libxml2 keeps the last) */
    int recover;               /* option recover: libxml2's recover mode */
    int repairs;               /* fatal errors recover mode went past */
    /* notes kept away from their reference (in <back>, place="end"), placed
     * back where a ref/ptr points at them or an anchor they target stands */
    xmlHashTablePtr note_by_id;     /* xml:id -> note */
    xmlHashTablePtr note_by_anchor; /* anchor xml:id -> note whose @target names it */
    xmlHashTablePtr referenced;     /* "%p" of notes that have a reference */
    xmlHashTablePtr emitted;        /* "%p" of notes already placed */
    const xmlNode *placing;         /* the note being read at its reference */
    char first_msg[400];
    struct tr_prefix *prefixes; /* the header's prefixDef (tei_read_prefix.c) */
    size_t nprefixes, cap_prefixes;
    /* r_blocks tells r_div whether anything but divisions follows the node
     * it hands over (blocks_at), found once per run of siblings: asking
     * each division to scan the rest of its siblings was quadratic
     * (100 MB tei->html: 15.7x the time of 10 MB). */
    const xmlNode *blocks_at;
    int blocks_other_ahead;
} tr;

/* tei_read_prefix.c: private URI schemes ("psn:fred") expanded by the
 * header's prefixDef into the address they stand for. */
void tr_prefixes_read(tr *r, const xmlNode *header);
const char *tr_prefix_expand(tr *r, const char *target); /* target itself when no prefixDef applies */
void tr_prefixes_free(tr *r);

/* tei_read_util.c: node building, attributes, element classification */
int tr_nomem(tr *r);
dp_node *tr_mk(tr *r, dp_kind kind, const xmlNode *src);
int tr_add(tr *r, dp_node *parent, dp_node *child);
int tr_too_deep(tr *r, const xmlNode *e, int depth);
int tr_is_tei_el(const xmlNode *n);
const char *tr_ename(const xmlNode *n);
int tr_named(const xmlNode *n, const char *name);
const char *tr_attr(tr *r, const xmlNode *e, const char *name);
const char *tr_xml_attr(tr *r, const xmlNode *e, const char *local);
int tr_has_token(const char *list, const char *tok);
void tr_rend_classes(dp_node *n, const char *rend, const char *known);
const char *tr_flat_text(tr *r, const xmlNode *e);
void tr_read_attrs(tr *r, dp_node *n, const xmlNode *e, const char *const *skip);
dp_node *tr_custom(tr *r, const xmlNode *e, int block);
int tr_is_phrase(const xmlNode *e);
int tr_is_divname(const xmlNode *e);
int tr_has_block_child(const xmlNode *e);
int tr_is_inline_figure(const xmlNode *e);
int tr_misplaced_inline(const xmlNode *e);
int tr_breaks_para(const xmlNode *e);
int tr_blank(const xmlNode *c);

/* tei_read_notes.c: notes kept away from their reference */
int tr_in_hash(xmlHashTablePtr h, const xmlNode *n);
void tr_mark(xmlHashTablePtr h, const xmlNode *n);
void tr_index_notes(tr *r, const xmlNode *top);
const xmlNode *tr_placed_note(tr *r, const xmlNode *e);
int tr_only_placed_notes(tr *r, const xmlNode *e);

/* tei_read_inline.c */
dp_node *tr_raw_seg(tr *r, const xmlNode *e, dp_kind kind);
void r_inline(tr *r, dp_node *parent, const xmlNode *e, int depth);
void r_inlines(tr *r, dp_node *parent, const xmlNode *first, int depth);
/* ref, ptr, P4 xref, xptr (tei_read_links.c): a link, a citation (ref
 * type="cite"), or 0 when e has no address (it stays itself) */
int tr_read_link(tr *r, dp_node *parent, const xmlNode *e, int depth);

/* tei_read_egxml.c: <egXML> examples -> code (kind DP_CODE_BLOCK or DP_CODE) */
int tr_is_egxml(const xmlNode *e);
int tr_egxml_spans_lines(const xmlNode *e);
void tr_read_egxml(tr *r, dp_node *parent, const xmlNode *e, dp_kind kind);

/* tei_read_list.c, tei_read_table.c, tei_read_div.c */
void r_list(tr *r, dp_node *parent, const xmlNode *e, int depth);
void r_table(tr *r, dp_node *parent, const xmlNode *e, int depth);
void r_div(tr *r, dp_node *parent, const xmlNode *e, int depth, int level);
int tr_not_division(const xmlNode *s); /* an element other than a division, or text that is not blank */
dp_node *r_heading_from(tr *r, dp_node *parent, const xmlNode *e, int depth);

/* tei_read_block.c */
void r_blocks(tr *r, dp_node *parent, const xmlNode *first, int depth, int level);
void r_block_one(tr *r, dp_node *parent, const xmlNode *e, int depth, int level);

#endif
