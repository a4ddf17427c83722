/* Private layout of the document tree, metadata and arena. Only core/ files
 * that implement dp_tree.h / dp_meta.h include this; plugins never see it. */
#ifndef DOCPIPE_TREE_INTERNAL_H
#define DOCPIPE_TREE_INTERNAL_H

#include <docpipe/dp_meta.h>
#include <docpipe/dp_tree.h>

#include <stdarg.h>
#include <stddef.h>

/* ---- arena -------------------------------------------------------- */

typedef struct dpt_arena_chunk dpt_arena_chunk;

typedef struct dpt_arena {
    dpt_arena_chunk *head; /* current chunk, newest first */
    size_t next_size;     /* size of the next ordinary chunk (grows to a cap) */
} dpt_arena;

void dpt_arena_init(dpt_arena *arena);
void dpt_arena_release(dpt_arena *arena);
void *dpt_arena_alloc(dpt_arena *arena, size_t size); /* zero-filled, max-aligned */
/* Grows an arena array of old_n items to new_n items (copying); NULL on failure. */
void *dpt_arena_grow(dpt_arena *arena, void *old, size_t item_size, size_t old_n, size_t new_n);

/* ---- attributes ----------------------------------------------------- */

typedef struct dpt_attrs {
    const char *id;
    const char *lang;
    const char **classes;
    int nclasses, cap_classes;
    const char **keys;
    const char **values;
    int nkv, cap_kv;
} dpt_attrs;

/* ---- nodes ---------------------------------------------------------- */

struct dp_node {
    dp_kind kind;
    unsigned char is_block; /* DP_CUSTOM and DP_PAGE_BREAK: block placement */
    int line, column;
    const char *source_file; /* interned in the doc (dp_node_set_source_file), NULL: inherited */
    dp_doc *doc;
    dp_node *parent, *prev, *next, *first_child, *last_child;
    dpt_attrs *attrs; /* NULL until the first attribute is set */
    union {
        struct {
            const char *text; /* NUL-terminated; may contain NULs within len */
            size_t len;
            const char *format; /* raw format / math notation */
            int display;        /* math */
            const char *other;  /* math: the formula in the other notation, or NULL */
            size_t other_len;
            const char *alt;    /* math: alt text, or NULL */
        } lit;
        int heading_level;
        struct {
            dp_list_type type;
            int start;
            dp_list_delim delim;
            dp_list_style style;
            int tight;
        } list;
        dp_task task;
        struct {
            const char *url;
            const char *title;
        } link;
        const char *label; /* note, page break */
        dp_quote quote;
        struct {
            int ncols;
            dp_align *aligns;
            double *widths;
        } table;
        struct {
            dp_align align;
            int rowspan, colspan, header;
        } cell;
        struct {
            dp_citation *items;
            int n, cap;
        } cite;
        const char *custom_name;
    } as;
};

/* ---- metadata ------------------------------------------------------- */

struct dp_meta {
    dp_meta_type type;
    dp_doc *doc;
    union {
        const char *str;
        int boolean;
        dp_node *nodes;
        struct {
            const char **keys;
            dp_meta **values;
            size_t n, cap;
        } map;
        struct {
            dp_meta **items;
            size_t n, cap;
        } list;
    } as;
};

/* ---- document ------------------------------------------------------- */

struct dp_doc {
    dpt_arena arena;
    dp_node *root;
    dp_meta *meta;
    dp_resource *resources;
    size_t nresources, cap_resources;
    const char **source_files; /* distinct dp_node_set_source_file names: a hash set in the arena */
    size_t nsource_files, cap_source_files;
    const char *last_source_file; /* the name interned last */
};

/* ---- helpers shared inside core/ ------------------------------------ */

/* Whether [s, s+len) is well-formed UTF-8 (no overlongs, surrogates or
 * code points above U+10FFFF). On failure *bad_offset (if given) is set. */
int dpt_utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Links child as the last child of parent with no containment check
 * (callers guarantee validity: copy, normalise). */
void dpt_node_link_last_raw(dp_node *parent, dp_node *child);

/* Kinds whose data lives in as.lit. */
int dpt_kind_has_text(dp_kind kind);

/* Copies attributes and per-kind data of src into dst (same kind). */
int dpt_node_copy_data(dp_node *dst, const dp_node *src);

#endif
