/* docpipe: document metadata, a typed tree (pandoc's Meta).
 *
 * The document owns one root map (dp_doc_meta). Values are arena-owned by
 * the document. Agreed keys, mapped by every format (docs/TREE.md):
 *
 *   title, subtitle                 string or inlines
 *   author[], translator[], editor[] list of strings (a single string is
 *                                   accepted everywhere: see dp_meta_len)
 *   contributor[]                   list of maps {name, role (MARC relator, e.g. "trl")}
 *   date                            publication date (ISO 8601 string)
 *   created                         when the work was made (ISO 8601)
 *   language                        BCP 47
 *   identifier, publisher, rights, license, description, cover-image (resource name)
 *   subject[]                       list of strings
 *   source                          map {title, author, url, publisher, date, language}
 *   revision[]                      list of maps {date, note}
 *
 * Other keys are kept and passed through; formats that cannot hold a key
 * report it. */
#ifndef DOCPIPE_DP_META_H
#define DOCPIPE_DP_META_H

#include "dp_tree.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dp_meta dp_meta;

typedef enum dp_meta_type {
    DP_META_MAP = 1,
    DP_META_LIST,
    DP_META_STRING,
    DP_META_BOOL,
    DP_META_INLINES, /* formatted text: a container node (DP_SPAN) holding inlines */
    DP_META_BLOCKS   /* formatted text: a container node (DP_DIV) holding blocks */
} dp_meta_type;

/* The document's root map (never NULL for a live document). */
DP_EXPORT dp_meta *dp_doc_meta(const dp_doc *doc);

/* Constructors: new values owned by doc, not yet attached anywhere. */
DP_EXPORT dp_meta *dp_meta_new_map(dp_doc *doc);
DP_EXPORT dp_meta *dp_meta_new_list(dp_doc *doc);
DP_EXPORT dp_meta *dp_meta_new_string(dp_doc *doc, const char *s);
DP_EXPORT dp_meta *dp_meta_new_bool(dp_doc *doc, int b);
/* kind DP_META_INLINES or DP_META_BLOCKS; fill dp_meta_nodes() with children. */
DP_EXPORT dp_meta *dp_meta_new_nodes(dp_doc *doc, dp_meta_type type);

DP_EXPORT dp_meta_type dp_meta_get_type(const dp_meta *m);
DP_EXPORT const char *dp_meta_string(const dp_meta *m); /* DP_META_STRING, else NULL */
DP_EXPORT int dp_meta_bool(const dp_meta *m);
DP_EXPORT dp_node *dp_meta_nodes(const dp_meta *m);     /* INLINES/BLOCKS container, else NULL */
/* Any scalar as plain text: strings as is, bools "true"/"false", inlines and
 * blocks flattened (arena string). NULL for maps and lists. */
DP_EXPORT const char *dp_meta_text(const dp_meta *m);

/* Maps keep insertion order. Setting an existing key replaces its value. */
DP_EXPORT dp_meta *dp_meta_get(const dp_meta *map, const char *key);
DP_EXPORT int dp_meta_set(dp_meta *map, const char *key, dp_meta *value);
DP_EXPORT int dp_meta_remove(dp_meta *map, const char *key);
DP_EXPORT size_t dp_meta_map_count(const dp_meta *map);
DP_EXPORT const char *dp_meta_map_key_at(const dp_meta *map, size_t i);
DP_EXPORT dp_meta *dp_meta_map_value_at(const dp_meta *map, size_t i);

DP_EXPORT int dp_meta_append(dp_meta *list, dp_meta *value);

/* List view of any value: a list gives its items; any other value counts as
 * a one-item list of itself (so "author: Ann" and "author: [Ann]" read the
 * same way); NULL gives 0. */
DP_EXPORT size_t dp_meta_len(const dp_meta *m);
DP_EXPORT dp_meta *dp_meta_at(const dp_meta *m, size_t i);

/* Convenience: follows a dotted path ("source.url") through maps and
 * returns dp_meta_text of what it finds, or NULL. */
DP_EXPORT const char *dp_meta_get_text(const dp_meta *map, const char *path);
/* Convenience: sets map[key] to a new string value. */
DP_EXPORT int dp_meta_set_string(dp_doc *doc, dp_meta *map, const char *key, const char *value);

/* pandoc's spellings of agreed keys: lang (language), keywords (subject),
 * abstract (description). dp_meta_get_agreed gives the agreed key's value,
 * else that of its pandoc spelling; dp_meta_agreed_text the same as plain
 * text. dp_meta_agreed_key maps a pandoc spelling to the agreed key (any
 * other key to itself), for writers that list the keys they map. Other
 * pandoc keys need no alias: title, subtitle, author (strings or maps with
 * name), date, identifier, publisher, rights, cover-image, description are
 * agreed keys; dir (rtl/ltr) and css are read as such by the writers. */
DP_EXPORT dp_meta *dp_meta_get_agreed(const dp_meta *map, const char *key);
DP_EXPORT const char *dp_meta_agreed_text(const dp_meta *map, const char *key);
DP_EXPORT const char *dp_meta_agreed_key(const char *key);

#ifdef __cplusplus
}
#endif
#endif
