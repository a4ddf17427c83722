/* docpipe: one importer or exporter call on memory, outside a pipeline.
 *
 * For fuzzers, tests and programs embedding docpipe that already hold the
 * bytes: no file is read or written. The plugin is looked up in reg by
 * format name (or alias, or id) and runs with its default options, the given
 * limits and an isolated context, exactly as the runner would call it
 * (max-input-bytes is enforced the same way). Not included by docpipe.h. */
#ifndef DOCPIPE_DP_MEMORY_H
#define DOCPIPE_DP_MEMORY_H

#include "dp_pipeline.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dp_memory_options {
    unsigned int version;
    const dp_limits *limits; /* NULL: the defaults */
    dp_diag_fn diag;         /* NULL: diagnostics are dropped */
    void *diag_payload;
    int strict;              /* what dp_ctx_strict answers */
    size_t warnings;         /* out: warnings the plugin reported */
} dp_memory_options;

#define DP_MEMORY_OPTIONS_VERSION 1
#define DP_MEMORY_OPTIONS_INIT { DP_MEMORY_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0 }

/* Imports len bytes (need not be NUL-terminated: they are copied) with the
 * importer of format. path names the input in messages ("-" if NULL). The
 * tree is checked with dp_doc_check: an invalid tree is DP_EPLUGIN. */
DP_EXPORT int dp_import_memory(dp_registry *reg, const char *format, const char *path, const void *data,
                               size_t len, dp_memory_options *opts, dp_doc **out, dp_error *err);

/* Appends doc rendered by the exporter of format to out. */
DP_EXPORT int dp_export_memory(dp_registry *reg, const char *format, const dp_doc *doc,
                               dp_memory_options *opts, dp_buf *out, dp_error *err);

#ifdef __cplusplus
}
#endif
#endif
