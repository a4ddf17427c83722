/* docpipe: conversion in memory, for programs embedding docpipe (docs/LIBRARY.md).
 *
 * Bytes in, bytes out: no file is read or written for the document itself
 * (an EPUB is read from and written to memory too). A conversion runs the
 * same steps as `docpipe INPUT -o OUTPUT` (the runner calls the same code):
 * the same input limits, tree checks, metadata overrides, transforms, loss
 * warnings and --strict.
 *
 *   dp_convert  read, set metadata, transform, write: one call
 *   dp_read     bytes -> dp_doc (then inspect or edit it with dp_tree.h)
 *   dp_transform one transform on a dp_doc
 *   dp_write    dp_doc -> bytes
 *
 * Thread safety: one dp_registry may be shared by any number of threads
 * converting distinct documents at once (plugins are opened under the
 * registry's lock and initialise their libraries once). A dp_doc, a dp_buf
 * and an options list belong to one thread at a time. The registry must not
 * be freed while a conversion runs. The diagnostics callback is called from
 * the thread that made the call, never from another one.
 *
 * Options are a list of key/value strings ending with a NULL key, e.g.
 *
 *   const dp_kv opts[] = {{"metadata:title", "Minutes"}, {"transform", "smart-quotes"},
 *                         {"option:toc-depth", "2"}, {"strict", "true"}, {NULL, NULL}};
 *
 *   metadata:KEY  sets metadata KEY (dotted for maps: "source.url") to the
 *                 string value after reading, like -M KEY=VALUE
 *   option:KEY    a plugin option, like -O KEY=VALUE: dp_convert gives it to
 *                 every plugin of the conversion that declares it (at least
 *                 one must); the step functions to their one plugin (which
 *                 must declare it)
 *   transform     a transform to apply after reading, in list order, like
 *                 --transform NAME (dp_convert only)
 *   limit:NAME    a safety limit, like --limit NAME=VALUE (max-input-bytes,
 *                 max-depth ...: see dp_limits_set)
 *   strict        "true": a reported loss fails the step with DP_ELOSS, like
 *                 --strict (default "false")
 *   path          the name of the input in messages and error records; an
 *                 importer that loads local resources (images) resolves them
 *                 against its directory, as for an input file on the command
 *                 line. Default "-": the current directory, as for stdin
 *   verbose       "true": DP_DIAG_INFO messages reach the callback too
 *
 * An unknown key, a key a function does not take, or a bad value is
 * DP_EUSAGE, checked before any plugin runs. metadata and transform are
 * dp_convert's and dp_read's (metadata) only.
 *
 * Diagnostics (loss warnings, recovered problems) go to diag(d, payload)
 * as they happen; diag may be NULL. The failure itself is not sent there:
 * it is in err (code, file, line, column, plugin, message). */
#ifndef DOCPIPE_DP_CONVERT_H
#define DOCPIPE_DP_CONVERT_H

#include "dp_common.h"
#include "dp_pipeline.h"
#include "dp_registry.h"
#include "dp_tree.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One option; a list of them ends at key == NULL. */
typedef struct dp_kv {
    const char *key;
    const char *value;
} dp_kv;

/* Converts len bytes of format from (a format name, alias or plugin id:
 * "md", "markdown", "epub" ...) to format to, appending the result to out
 * (a dp_buf from dp_buf_new; on failure out is left as it was). options
 * may be NULL. Returns 0 or a DP_E* code, also in err. */
DP_EXPORT int dp_convert(dp_registry *reg, const void *data, size_t len, const char *from, const char *to,
                         const dp_kv *options, dp_buf *out, dp_diag_fn diag, void *diag_payload,
                         dp_error *err);

/* Reads len bytes of format from into a new document (*out; free it with
 * dp_doc_free), then applies the metadata:KEY options. Takes metadata,
 * option, limit, strict, path, verbose. */
DP_EXPORT int dp_read(dp_registry *reg, const void *data, size_t len, const char *from, const dp_kv *options,
                      dp_doc **out, dp_diag_fn diag, void *diag_payload, dp_error *err);

/* Applies the transform name to doc in place. Takes option, limit, strict,
 * path, verbose. A failed transform may leave doc partly changed. */
DP_EXPORT int dp_transform(dp_registry *reg, dp_doc *doc, const char *name, const dp_kv *options,
                           dp_diag_fn diag, void *diag_payload, dp_error *err);

/* Appends doc written in format to to out (left as it was on failure).
 * Takes option, limit, strict, path, verbose. */
DP_EXPORT int dp_write(dp_registry *reg, const dp_doc *doc, const char *to, const dp_kv *options, dp_buf *out,
                       dp_diag_fn diag, void *diag_payload, dp_error *err);

#ifdef __cplusplus
}
#endif
#endif
