/* The pandoc-json module: pandoc's JSON AST read and written (pandoc-types
 * 1.22 and 1.23), and pandoc JSON filters run on the tree. The JSON emitter,
 * parser and process runner are plugins/jsonlib's (dp_json.h). */
#ifndef DOCPIPE_PANDOC_INTERNAL_H
#define DOCPIPE_PANDOC_INTERNAL_H

#include <docpipe/docpipe.h>

#include "dp_json.h"

/* The pandoc version a filter is told (PANDOC_VERSION) for each API. */
#define PANDOC_VERSION_122 "2.17.1.1"
#define PANDOC_VERSION_123 "3.1.3"

/* api: 22 or 23 (the minor of pandoc-api-version). */
int pandoc_write_json(dp_ctx *ctx, const dp_doc *doc, int api, dp_buf *out);
int pandoc_read_json(dp_ctx *ctx, const char *path, const unsigned char *data, size_t len, dp_doc **out);

int pandoc_import(dp_ctx *ctx, const dp_input *in, dp_doc **out);
int pandoc_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out);
int pandoc_filter(dp_ctx *ctx, dp_doc *doc); /* the pandoc-filter transform */

#endif
