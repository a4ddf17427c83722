/* dp_import_memory / dp_export_memory (dp_memory.h): one plugin call on
 * memory with an isolated context, the way the runner makes it. Used by the
 * fuzz targets, which must not touch the file system on every input. */
#include <stdlib.h>
#include <string.h>

#include "docpipe/dp_memory.h"
#include "host/host.h"

static int find_plugin(dp_registry *reg, dp_plugin_kind kind, const char *format,
                       const dp_plugin_info **info, const dp_plugin_desc **desc, dp_error *err)
{
    if (!reg || !format)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "no registry or no format given");
    *info = dp_registry_find(reg, kind, format);
    if (!*info)
        return dp_error_set(err, DP_EPLUGIN, NULL, 0, 0, "no %s for format '%s'", dp_plugin_kind_name(kind),
                            format);
    return dp_registry_load(reg, *info, desc, err);
}

int dp_import_memory(dp_registry *reg, const char *format, const char *path, const void *data, size_t len,
                     dp_memory_options *opts, dp_doc **out, dp_error *err)
{
    const dp_plugin_info *info = NULL;
    const dp_plugin_desc *desc = NULL;
    dp_limits defaults;
    const dp_limits *limits;
    dpc_sink sink;
    dp_ctx ctx;
    dp_input in;
    unsigned char *copy = NULL;
    dp_doc *doc = NULL;
    dp_error check_err;
    int rc;

    if (!out || (!data && len))
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_import_memory: bad arguments");
    *out = NULL;
    memset(&ctx, 0, sizeof ctx);
    dp_limits_init(&defaults);
    limits = opts && opts->limits ? opts->limits : &defaults;
    if (!path)
        path = "-";
    if (len > limits->max_input_bytes)
        return dp_error_set(err, DP_ELIMIT, path, 0, 0,
                            "input is %zu bytes, more than max-input-bytes (%zu)", len,
                            limits->max_input_bytes);
    if ((rc = find_plugin(reg, DP_PLUGIN_IMPORTER, format, &info, &desc, err)) != 0)
        return rc;
    /* Importers may rely on a terminating NUL (dp_input). */
    copy = malloc(len + 1);
    if (!copy)
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    if (len)
        memcpy(copy, data, len);
    copy[len] = '\0';

    sink.fn = opts ? opts->diag : NULL;
    sink.payload = opts ? opts->diag_payload : NULL;
    sink.lock = NULL;
    if ((rc = dpc_ctx_init(&ctx, info->id, info->options, NULL, NULL, limits, &sink, err)) != 0)
        goto cleanup;
    ctx.input_path = path;
    ctx.source_path = path;
    ctx.strict = opts ? opts->strict : 0;
    in.path = path;
    in.data = copy;
    in.len = len;
    rc = desc->import_fn(&ctx, &in, &doc);
    if (opts)
        opts->warnings = ctx.warnings;
    if (rc != 0) {
        if (err && err->code == 0)
            dp_error_set(err, rc, path, 0, 0, "importer %s failed without a message", info->id);
        goto cleanup;
    }
    if (!doc) {
        rc = dp_error_set(err, DP_EPLUGIN, path, 0, 0, "importer %s returned no document", info->id);
        goto cleanup;
    }
    dp_error_clear(&check_err);
    if (dp_doc_check(doc, &check_err) != 0) {
        rc = dp_error_set(err, DP_EPLUGIN, path, check_err.line, check_err.column,
                          "importer %s produced an invalid tree: %s", info->id, check_err.message);
        goto cleanup;
    }
    *out = doc;
    doc = NULL;
cleanup:
    dpc_ctx_fini(&ctx);
    dp_doc_free(doc);
    free(copy);
    return rc;
}

int dp_export_memory(dp_registry *reg, const char *format, const dp_doc *doc, dp_memory_options *opts,
                     dp_buf *out, dp_error *err)
{
    const dp_plugin_info *info = NULL;
    const dp_plugin_desc *desc = NULL;
    dp_limits defaults;
    dpc_sink sink;
    dp_ctx ctx;
    int rc;

    if (!doc || !out)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_export_memory: bad arguments");
    if ((rc = find_plugin(reg, DP_PLUGIN_EXPORTER, format, &info, &desc, err)) != 0)
        return rc;
    dp_limits_init(&defaults);
    sink.fn = opts ? opts->diag : NULL;
    sink.payload = opts ? opts->diag_payload : NULL;
    sink.lock = NULL;
    if ((rc = dpc_ctx_init(&ctx, info->id, info->options, NULL, NULL,
                           opts && opts->limits ? opts->limits : &defaults, &sink, err)) != 0) {
        dpc_ctx_fini(&ctx);
        return rc;
    }
    ctx.strict = opts ? opts->strict : 0;
    rc = desc->export_fn(&ctx, doc, out);
    if (opts)
        opts->warnings = ctx.warnings;
    if (rc != 0 && err && err->code == 0)
        dp_error_set(err, rc, NULL, 0, 0, "exporter %s failed without a message", info->id);
    dpc_ctx_fini(&ctx);
    return rc;
}
