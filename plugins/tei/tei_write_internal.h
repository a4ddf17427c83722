/* TEI exporter internals shared by its files: the writing state and the
 * functions each part of the writer offers the others. */
#ifndef DOCPIPE_TEI_WRITE_INTERNAL_H
#define DOCPIPE_TEI_WRITE_INTERNAL_H

#include "tei_internal.h"

#include <libxml/hash.h>

typedef enum wmode {
    W_SECTION, /* body, front, back, div: headings open divs, a PLAIN becomes <ab> */
    W_MIXED,   /* item, cell, note, quote, custom blocks: a PLAIN is written as bare inlines */
    W_ELEMENTS /* figure, sp (no text allowed): as W_MIXED, but a PLAIN becomes <ab> */
} wmode;

typedef struct tw {
    dp_ctx *ctx;
    const dp_doc *doc;
    xmlDocPtr x;
    xmlNsPtr ns;
    int lite;
    int max_depth;
    xmlHashTablePtr ids; /* xml:ids already used */
    xmlHashTablePtr renamed; /* node id -> the other xml:id it was written as (malloc'd) */
    int note_seq;
    int err;             /* first failure (DP_E*), 0 while all is well */
    int warned_ctrl;
    const char *raw_warned[8]; /* formats of raw content kept as <seg type="raw">: said once each */
    int nraw_warned;
    int notes_back;      /* option notes: back */
    struct pending_note {
        const dp_node *node;
        xmlNodePtr el;
        int depth;
    } *pending;          /* notes waiting for <back> (notes: back) */
    size_t npending, cap_pending;
    xmlNodePtr bare_parent; /* the element the last bare run of inlines went into */
    xmlNodePtr bare_first;  /* that run's first node */
    xmlNodePtr bare_last;   /* and its last */
} tw;

/* tei_write_links.c: links to renamed or missing anchors */
void tw_note_renamed_id(tw *w, const char *want, const char *written);
void tw_fix_links(tw *w, xmlNodePtr top);
void tw_free_renamed(tw *w);

/* tei_write_util.c: elements, text, attributes, raw content, custom nodes */
int tw_too_deep(tw *w, const dp_node *n, int depth);
xmlNodePtr tw_el(tw *w, xmlNodePtr parent, const char *name);
void tw_text(tw *w, xmlNodePtr parent, const dp_node *owner, const char *s, size_t len);
void tw_set_attr(xmlNodePtr e, const char *name, const char *value);
void tw_direction(tw *w, xmlNodePtr e, const dp_node *n, const char *dir);
void tw_set_xml_attr(xmlNodePtr e, const char *local, const char *value);
void tw_set_xml_id(tw *w, xmlNodePtr e, const dp_node *n, const char *want);
void tw_common_attrs(tw *w, xmlNodePtr e, const dp_node *n, const char *rend_first, const char *skip_class,
                     const char *const *skip_keys);
const char *tw_custom_tei_name(const dp_node *n);
void w_raw(tw *w, xmlNodePtr parent, const dp_node *n);
void w_custom(tw *w, xmlNodePtr parent, const dp_node *n, int depth, int block);

/* tei_write_egxml.c: code read from an <egXML> back as <egXML> (1), or 0
 * when n is other code */
int tw_egxml(tw *w, xmlNodePtr parent, const dp_node *n);

/* tei_write_indent.c: whitespace inside element-only content */
void tw_indent(tw *w, xmlNodePtr e, int level);

/* tei_write_inline.c */
void w_inlines(tw *w, xmlNodePtr parent, const dp_node *container, int depth);
void w_inline(tw *w, xmlNodePtr parent, const dp_node *n, int depth);
void w_image(tw *w, xmlNodePtr parent, const dp_node *n, int depth, int in_figure);
void w_flush_notes(tw *w, xmlNodePtr textel);

/* tei_write_block.c */
void w_block(tw *w, xmlNodePtr parent, const dp_node *n, int depth, wmode mode);
void w_blocks_mixed(tw *w, xmlNodePtr parent, const dp_node *container, int depth);
int tw_is_sp(const dp_node *n);

/* tei_write.c */
void w_section_seq(tw *w, xmlNodePtr base, const dp_node *container, int depth, int skip_matter);

#endif
