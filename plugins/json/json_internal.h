/* The json plugin's internal interfaces: the importer/exporter/filter entry
 * points and the names of enumerated fields. The emitter, parser, base64 and
 * the filter process live in plugins/jsonlib (dp_json.h), shared with the
 * pandoc-json plugin. */
#ifndef DOCPIPE_JSON_INTERNAL_H
#define DOCPIPE_JSON_INTERNAL_H

#include <docpipe/docpipe.h>

#include <stddef.h>

/* The value of "docpipe-tree" in every document this plugin writes. */
#define JSON_TREE_VERSION 1

#include "dp_json.h"

/* ---- the plugin functions ------------------------------------------------- */

int json_import(dp_ctx *ctx, const dp_input *in, dp_doc **out);
int json_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out);
int json_filter(dp_ctx *ctx, dp_doc *doc); /* the filter transform */

/* Names of enumerated fields, shared by both directions (index = enum value). */
extern const char *const json_list_types[];   /* bullet ordered */
extern const char *const json_list_delims[];  /* default period paren */
extern const char *const json_list_styles[];  /* default decimal lower-alpha ... */
extern const char *const json_tasks[];        /* none unchecked checked */
extern const char *const json_aligns[];       /* default left center right */
extern const char *const json_quotes[];       /* double single */
extern const char *const json_cite_modes[];   /* normal author-in-text suppress-author */
/* Index of name in a NULL-terminated table, -1 if absent. */
int json_enum_index(const char *const *table, const char *name);

#endif
