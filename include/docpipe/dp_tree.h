/* docpipe: the document tree every importer produces and every exporter reads.
 *
 * Model: cmark's node (parent/prev/next/first/last links, per-kind data,
 * opaque, accessors only, containment checked on insert) carrying
 * everything pandoc's AST can express, plus attributes on every node,
 * a first-class `lang`, original note labels and custom (namespaced) kinds.
 *
 * Memory: every node, string, attribute, metadata value and resource is
 * allocated from the owning document's arena; dp_doc_free releases all of
 * it. Nodes are never freed one by one (an unlinked node simply stays in the
 * arena until the document is freed). Strings passed to setters are copied. */
#ifndef DOCPIPE_DP_TREE_H
#define DOCPIPE_DP_TREE_H

#include "dp_common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dp_doc dp_doc;
typedef struct dp_node dp_node;

typedef enum dp_kind {
    DP_NODE_NONE = 0,
    DP_ROOT,           /* the document body; children: blocks */

    /* ---- blocks ---- */
    DP_PARA,           /* inlines */
    DP_PLAIN,          /* inlines not in a paragraph (tight list items, cells) */
    DP_LINE_BLOCK,     /* children: DP_LINE (poetry, addresses: TEI lg) */
    DP_LINE,           /* inlines: one line of a line block */
    DP_CODE_BLOCK,     /* leaf: text; language = first class */
    DP_RAW_BLOCK,      /* leaf: text in another format (raw_format: "html", "tex" ...) */
    DP_BLOCK_QUOTE,    /* blocks */
    DP_LIST,           /* children: DP_LIST_ITEM; list type, start, delim, tight */
    DP_LIST_ITEM,      /* blocks; optional task state */
    DP_DEF_LIST,       /* children: DP_DEF_ITEM */
    DP_DEF_ITEM,       /* children: one or more DP_DEF_TERM then DP_DEF_DESC */
    DP_DEF_TERM,       /* inlines */
    DP_DEF_DESC,       /* blocks */
    DP_HEADING,        /* inlines; level 1..6 (deeper nesting is kept as level 6 + attr) */
    DP_THEMATIC_BREAK, /* leaf: horizontal rule */
    DP_TABLE,          /* children: [DP_CAPTION] DP_TABLE_HEAD? DP_TABLE_BODY* DP_TABLE_FOOT?; column specs */
    DP_TABLE_HEAD,     /* children: DP_TABLE_ROW */
    DP_TABLE_BODY,     /* children: DP_TABLE_ROW */
    DP_TABLE_FOOT,     /* children: DP_TABLE_ROW */
    DP_TABLE_ROW,      /* children: DP_TABLE_CELL */
    DP_TABLE_CELL,     /* blocks; alignment, row span, col span, header flag */
    DP_CAPTION,        /* blocks: caption of a table or figure */
    DP_FIGURE,         /* blocks + at most one DP_CAPTION */
    DP_DIV,            /* blocks: a generic container (HTML div/section/aside, TEI div w/o head, sp ...) */

    /* ---- inlines ---- */
    DP_TEXT,           /* leaf: a UTF-8 run (spaces included; no Str/Space split) */
    DP_EMPH,
    DP_STRONG,
    DP_UNDERLINE,
    DP_STRIKEOUT,
    DP_SUPERSCRIPT,
    DP_SUBSCRIPT,
    DP_SMALL_CAPS,
    DP_QUOTED,         /* inlines; quote type single/double (HTML q, TEI q) */
    DP_CITE,           /* inlines (the rendered citation); citations list */
    DP_CODE,           /* leaf: text */
    DP_SOFT_BREAK,     /* leaf */
    DP_LINE_BREAK,     /* leaf: hard break (HTML br, TEI lb) */
    DP_MATH,           /* leaf: text (TeX or MathML source, see math_notation); display flag */
    DP_RAW_INLINE,     /* leaf: text in raw_format */
    DP_LINK,           /* inlines; url, title */
    DP_IMAGE,          /* inlines = alt text; url, title */
    DP_NOTE,           /* blocks: note content at the point of reference; label ("1", "*") */
    DP_SPAN,           /* inlines: generic inline container (lang runs, abbr, classes) */
    DP_PAGE_BREAK,     /* leaf milestone, block or inline: label = page number (TEI pb n) */

    /* ---- either ---- */
    DP_CUSTOM,         /* a kind no generic one fits: custom_name like "tei:persName";
                          children: blocks if dp_node_custom_is_block, else inlines.
                          Exporters that do not know it render its children and warn. */
    DP_KIND_COUNT
} dp_kind;

typedef enum dp_list_type { DP_LIST_BULLET = 0, DP_LIST_ORDERED = 1 } dp_list_type;
typedef enum dp_list_delim { DP_DELIM_DEFAULT = 0, DP_DELIM_PERIOD, DP_DELIM_PAREN } dp_list_delim;
/* Numbering style of an ordered list (HTML type=, pandoc ListNumberStyle). */
typedef enum dp_list_style {
    DP_STYLE_DEFAULT = 0, DP_STYLE_DECIMAL, DP_STYLE_LOWER_ALPHA, DP_STYLE_UPPER_ALPHA,
    DP_STYLE_LOWER_ROMAN, DP_STYLE_UPPER_ROMAN
} dp_list_style;
typedef enum dp_task { DP_TASK_NONE = 0, DP_TASK_UNCHECKED, DP_TASK_CHECKED } dp_task;
typedef enum dp_align { DP_ALIGN_DEFAULT = 0, DP_ALIGN_LEFT, DP_ALIGN_CENTER, DP_ALIGN_RIGHT } dp_align;
typedef enum dp_quote { DP_QUOTE_DOUBLE = 0, DP_QUOTE_SINGLE = 1 } dp_quote;
typedef enum dp_cite_mode { DP_CITE_NORMAL = 0, DP_CITE_AUTHOR_IN_TEXT, DP_CITE_SUPPRESS_AUTHOR } dp_cite_mode;

/* ------------------------------------------------------------------ */
/* Document                                                            */

DP_EXPORT int dp_doc_new(dp_doc **out);
DP_EXPORT void dp_doc_free(dp_doc *doc);
DP_EXPORT dp_node *dp_doc_root(const dp_doc *doc);

/* Arena allocation for plugins that need scratch memory living as long as
 * the document. Zero-filled. NULL on allocation failure. */
DP_EXPORT void *dp_doc_alloc(dp_doc *doc, size_t size);
DP_EXPORT char *dp_doc_strdup(dp_doc *doc, const char *s);
DP_EXPORT char *dp_doc_strndup(dp_doc *doc, const char *s, size_t len);

/* Verifies structural invariants: containment rules, link consistency
 * (parent/prev/next agree), required data (heading level 1..6, non-NULL text
 * on leaves, link url), valid UTF-8 in every string. Fills err with the first
 * violation (message names the node kind and its source position). */
DP_EXPORT int dp_doc_check(const dp_doc *doc, dp_error *err);

/* Merges adjacent DP_TEXT siblings, drops empty DP_TEXT nodes. Idempotent. */
DP_EXPORT void dp_doc_normalize(dp_doc *doc);

/* Deep-copies the subtree at src (from any document) into doc, unlinked. */
DP_EXPORT dp_node *dp_node_copy(dp_doc *doc, const dp_node *src);

/* ------------------------------------------------------------------ */
/* Nodes: creation and structure                                        */

/* A new unlinked node owned by doc. NULL on allocation failure. */
DP_EXPORT dp_node *dp_node_new(dp_doc *doc, dp_kind kind);
/* Convenience: a DP_TEXT (or other leaf kind with text) node. */
DP_EXPORT dp_node *dp_node_new_text(dp_doc *doc, dp_kind kind, const char *text, size_t len);

DP_EXPORT dp_kind dp_node_kind(const dp_node *node);
DP_EXPORT const char *dp_kind_name(dp_kind kind);       /* "para", "note" ... (the JSON names) */
DP_EXPORT dp_kind dp_kind_from_name(const char *name);  /* DP_NODE_NONE if unknown */
DP_EXPORT int dp_kind_is_block(dp_kind kind);           /* DP_CUSTOM: see dp_node_is_block */
DP_EXPORT int dp_kind_is_inline(dp_kind kind);
DP_EXPORT int dp_kind_is_leaf(dp_kind kind);            /* may never have children */
DP_EXPORT int dp_node_is_block(const dp_node *node);    /* resolves DP_CUSTOM and DP_PAGE_BREAK */
DP_EXPORT dp_doc *dp_node_doc(const dp_node *node);

DP_EXPORT dp_node *dp_node_parent(const dp_node *node);
DP_EXPORT dp_node *dp_node_first_child(const dp_node *node);
DP_EXPORT dp_node *dp_node_last_child(const dp_node *node);
DP_EXPORT dp_node *dp_node_next(const dp_node *node);
DP_EXPORT dp_node *dp_node_prev(const dp_node *node);

/* Whether a node of kind child may be a direct child of parent
 * (cmark's S_can_contain). */
DP_EXPORT int dp_node_can_contain(const dp_node *parent, const dp_node *child);

/* Linking. Each unlinks child from its old place first and returns
 * DP_EINVAL (leaving the tree unchanged) if the containment rule refuses it. */
DP_EXPORT int dp_node_append_child(dp_node *parent, dp_node *child);
DP_EXPORT int dp_node_prepend_child(dp_node *parent, dp_node *child);
DP_EXPORT int dp_node_insert_before(dp_node *sibling, dp_node *node);
DP_EXPORT int dp_node_insert_after(dp_node *sibling, dp_node *node);
DP_EXPORT void dp_node_unlink(dp_node *node);
/* Moves all children of node to the position of node, then unlinks node. */
DP_EXPORT int dp_node_unwrap(dp_node *node);

/* ------------------------------------------------------------------ */
/* Per-kind data. Getters return 0/NULL when the kind has no such field;
 * setters return DP_EINVAL for a kind without the field. */

/* Literal text of leaves: TEXT, CODE, CODE_BLOCK, RAW_BLOCK, RAW_INLINE, MATH. */
DP_EXPORT const char *dp_node_text(const dp_node *node);
DP_EXPORT size_t dp_node_text_len(const dp_node *node);
DP_EXPORT int dp_node_set_text(dp_node *node, const char *text, size_t len);

DP_EXPORT int dp_node_heading_level(const dp_node *node);
DP_EXPORT int dp_node_set_heading_level(dp_node *node, int level);

DP_EXPORT dp_list_type dp_node_list_type(const dp_node *node);
DP_EXPORT int dp_node_list_start(const dp_node *node); /* default 1 */
DP_EXPORT dp_list_delim dp_node_list_delim(const dp_node *node);
DP_EXPORT dp_list_style dp_node_list_style(const dp_node *node);
DP_EXPORT int dp_node_list_tight(const dp_node *node);
DP_EXPORT int dp_node_set_list(dp_node *node, dp_list_type type, int start, dp_list_delim delim,
                               dp_list_style style, int tight);

DP_EXPORT dp_task dp_node_task(const dp_node *node); /* DP_LIST_ITEM */
DP_EXPORT int dp_node_set_task(dp_node *node, dp_task task);

/* DP_RAW_BLOCK, DP_RAW_INLINE: "html", "tex", "tei" ...; DP_MATH: notation
 * "tex" (default) or "mathml". */
DP_EXPORT const char *dp_node_format(const dp_node *node);
DP_EXPORT int dp_node_set_format(dp_node *node, const char *format);

DP_EXPORT int dp_node_math_display(const dp_node *node);
DP_EXPORT int dp_node_set_math_display(dp_node *node, int display);

/* DP_MATH holds its formula in the notation it was read in (dp_node_format:
 * the source text is dp_node_text) and, optionally, in the other notation
 * too (a reader that found both, or a converter). dp_node_math_form gives
 * the formula in notation "tex" or "mathml", or NULL when it is not known
 * (len, if given, receives its length). dp_node_set_math_form sets one
 * form: the node's own notation replaces the text, the other one is stored
 * beside it (text NULL removes it). Changing the node's notation with
 * dp_node_set_format drops the other form (it would be ambiguous). */
DP_EXPORT const char *dp_node_math_form(const dp_node *node, const char *notation, size_t *len);
DP_EXPORT int dp_node_set_math_form(dp_node *node, const char *notation, const char *text, size_t len);
/* DP_MATH: the formula's alt text (MathML alttext, aria-label, <desc>); NULL when none. */
DP_EXPORT const char *dp_node_math_alt(const dp_node *node);
DP_EXPORT int dp_node_set_math_alt(dp_node *node, const char *alt);

/* DP_LINK, DP_IMAGE. */
DP_EXPORT const char *dp_node_url(const dp_node *node);
DP_EXPORT const char *dp_node_title(const dp_node *node); /* NULL when none */
DP_EXPORT int dp_node_set_url(dp_node *node, const char *url);
DP_EXPORT int dp_node_set_title(dp_node *node, const char *title);

/* DP_NOTE: the original label ("1", "*", "a"); DP_PAGE_BREAK: the page number. NULL when none. */
DP_EXPORT const char *dp_node_label(const dp_node *node);
DP_EXPORT int dp_node_set_label(dp_node *node, const char *label);

DP_EXPORT dp_quote dp_node_quote(const dp_node *node);
DP_EXPORT int dp_node_set_quote(dp_node *node, dp_quote quote);

/* DP_TABLE column specifications: alignment and relative width (0 = auto). */
DP_EXPORT int dp_node_table_cols(const dp_node *node);
DP_EXPORT dp_align dp_node_table_col_align(const dp_node *node, int col);
DP_EXPORT double dp_node_table_col_width(const dp_node *node, int col);
DP_EXPORT int dp_node_set_table_cols(dp_node *node, int ncols, const dp_align *aligns, const double *widths);

/* DP_TABLE_CELL. Spans default to 1. header: a th cell (in any section). */
DP_EXPORT dp_align dp_node_cell_align(const dp_node *node);
DP_EXPORT int dp_node_cell_rowspan(const dp_node *node);
DP_EXPORT int dp_node_cell_colspan(const dp_node *node);
DP_EXPORT int dp_node_cell_header(const dp_node *node);
DP_EXPORT int dp_node_set_cell(dp_node *node, dp_align align, int rowspan, int colspan, int header);

/* DP_CITE: citations (pandoc Citation, prefix/suffix as plain text). */
typedef struct dp_citation {
    const char *id;
    const char *prefix; /* may be NULL */
    const char *suffix; /* may be NULL */
    dp_cite_mode mode;
} dp_citation;
DP_EXPORT int dp_node_citation_count(const dp_node *node);
DP_EXPORT const dp_citation *dp_node_citation_at(const dp_node *node, int i);
DP_EXPORT int dp_node_add_citation(dp_node *node, const dp_citation *c); /* strings copied */

/* DP_CUSTOM: namespaced type name ("tei:persName") and block/inline flag. */
DP_EXPORT const char *dp_node_custom_name(const dp_node *node);
DP_EXPORT int dp_node_custom_is_block(const dp_node *node);
DP_EXPORT int dp_node_set_custom(dp_node *node, const char *name, int is_block);
/* DP_PAGE_BREAK is inline unless set to block (a pb between paragraphs). */
DP_EXPORT int dp_node_set_block_milestone(dp_node *node, int is_block);

/* ------------------------------------------------------------------ */
/* Attributes, on every node: id, classes, ordered key/values, lang.    */

DP_EXPORT const char *dp_node_id(const dp_node *node); /* NULL when none */
DP_EXPORT int dp_node_set_id(dp_node *node, const char *id);

DP_EXPORT int dp_node_class_count(const dp_node *node);
DP_EXPORT const char *dp_node_class_at(const dp_node *node, int i);
DP_EXPORT int dp_node_has_class(const dp_node *node, const char *cls);
DP_EXPORT int dp_node_add_class(dp_node *node, const char *cls); /* no-op if present */
DP_EXPORT int dp_node_remove_class(dp_node *node, const char *cls);

/* Key/values keep insertion order; setting an existing key replaces its
 * value in place; value NULL removes the key. */
DP_EXPORT int dp_node_attr_count(const dp_node *node);
DP_EXPORT const char *dp_node_attr_key_at(const dp_node *node, int i);
DP_EXPORT const char *dp_node_attr_value_at(const dp_node *node, int i);
DP_EXPORT const char *dp_node_attr(const dp_node *node, const char *key);
DP_EXPORT int dp_node_set_attr(dp_node *node, const char *key, const char *value);

/* lang (BCP 47) set on this node itself, NULL when none. */
DP_EXPORT const char *dp_node_lang(const dp_node *node);
DP_EXPORT int dp_node_set_lang(dp_node *node, const char *lang);
/* The language in effect: this node's, else the nearest ancestor's, else
 * the document metadata "language", else NULL. */
DP_EXPORT const char *dp_node_lang_effective(const dp_node *node);

/* Direction. A document's base direction is its metadata `dir` ("rtl" or
 * "ltr"); a block or inline run whose direction differs carries the
 * key/value attribute "dir" ("rtl", "ltr" or "auto"). dp_doc_direction
 * gives the base direction for writers: metadata `dir`, else "rtl" when the
 * metadata language (`language`, pandoc's `lang`) is of a right-to-left
 * script, else NULL (left to right by default). With guessed not NULL, a
 * document declaring neither direction nor language is guessed from its
 * body's letters: "rtl" when most are of a right-to-left script, with
 * *guessed set to 1 (the writer then says so once). dp_lang_is_rtl: 1 when
 * a BCP 47 tag names a right-to-left script (ar, he, fa, ur, az-Arab ...). */
DP_EXPORT const char *dp_doc_direction(const dp_doc *doc, int *guessed);
DP_EXPORT int dp_lang_is_rtl(const char *lang);

/* Source position in the input (1-based), 0 when unknown. */
DP_EXPORT int dp_node_line(const dp_node *node);
DP_EXPORT int dp_node_column(const dp_node *node);
DP_EXPORT void dp_node_set_pos(dp_node *node, int line, int column);
/* The file the node came from when the input holds several (an EPUB's
 * "OEBPS/ch03.xhtml"), NULL when it is the input itself. Readers set it on
 * the nodes they position; dp_node_source_file answers with the node's own,
 * else its nearest ancestor's, so nodes made later inherit it. Warnings name
 * it (docs/ARCHITECTURE.md, "Warnings"). ABI 1.2. */
DP_EXPORT int dp_node_set_source_file(dp_node *node, const char *file);
DP_EXPORT const char *dp_node_source_file(const dp_node *node);

/* Plain text of a subtree (text, code, math source; breaks as spaces; notes
 * included unless skip_notes) into an arena string owned by the node's doc. */
DP_EXPORT const char *dp_node_plain_text(const dp_node *node, int skip_notes);

/* ------------------------------------------------------------------ */
/* Iteration: an ENTER/EXIT walk without recursion (deep input cannot blow
 * the stack). Leaf kinds produce ENTER only; containers ENTER and EXIT
 * (also when empty). The tree may be modified at the current node only on
 * EXIT events (or by replacing the node's children during ENTER). */

typedef enum dp_event { DP_EV_DONE = 0, DP_EV_ENTER, DP_EV_EXIT } dp_event;

typedef struct dp_iter {
    /* private: use the functions below */
    const dp_node *root;
    dp_node *cur;
    dp_event ev;
} dp_iter;

DP_EXPORT void dp_iter_init(dp_iter *it, const dp_node *root);
DP_EXPORT dp_event dp_iter_next(dp_iter *it);
DP_EXPORT dp_node *dp_iter_node(const dp_iter *it);
/* Skip the children of the node just entered: the next event is its EXIT. */
DP_EXPORT void dp_iter_skip_children(dp_iter *it);

/* Depth of a node below the root (root = 0). */
DP_EXPORT int dp_node_depth(const dp_node *node);

/* ------------------------------------------------------------------ */
/* Resources: binary blobs (images, CSS, fonts) referenced by path/url
 * from the tree (e.g. an IMAGE url equal to the resource's name). */

typedef struct dp_resource {
    const char *name;       /* the path as referenced from the tree, e.g. "images/cover.png" */
    const char *mime;       /* "image/png" */
    const unsigned char *data;
    size_t len;
} dp_resource;

/* Copies data into the arena; replaces an existing resource of that name. */
DP_EXPORT int dp_doc_add_resource(dp_doc *doc, const char *name, const char *mime,
                                  const void *data, size_t len);
DP_EXPORT size_t dp_doc_resource_count(const dp_doc *doc);
DP_EXPORT const dp_resource *dp_doc_resource_at(const dp_doc *doc, size_t i);
DP_EXPORT const dp_resource *dp_doc_resource_find(const dp_doc *doc, const char *name);
/* The MIME type of an image from its first bytes, never from a name:
 * "image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml", or NULL. */
DP_EXPORT const char *dp_sniff_image_type(const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
