/* The transforms of the "transforms" module, and the helpers they share. */
#ifndef DOCPIPE_TRANSFORMS_H
#define DOCPIPE_TRANSFORMS_H

#include <docpipe/docpipe.h>

extern const dp_plugin_desc tf_lang_detect;
extern const dp_plugin_desc tf_notes;
extern const dp_plugin_desc tf_ids;
extern const dp_plugin_desc tf_shift_headings;
extern const dp_plugin_desc tf_metadata;
extern const dp_plugin_desc tf_strip;
extern const dp_plugin_desc tf_smart_quotes;
extern const dp_plugin_desc tf_number_sections;
extern const dp_plugin_desc tf_toc;

/* Splits the DP_TEXT node `text` so that bytes [start, end) of its text end up
 * in a new node of kind `wrap_kind` (a DP_SPAN, or a leaf kind which then
 * receives the bytes as its own text). Returns the new node (already linked
 * in place), or NULL on allocation failure. The text before stays in `text`
 * (which is unlinked if empty); the text after goes to a new DP_TEXT sibling
 * returned through *rest (NULL when empty). */
dp_node *tf_split_text(dp_node *text, size_t start, size_t end, dp_kind wrap_kind, dp_node **rest);


/* Gives every heading without an id a unique, stable one derived from its
 * text ("first-principles", "first-principles-2"), prefixed by prefix. */
int tf_assign_heading_ids(dp_doc *doc, const char *prefix);

#endif
