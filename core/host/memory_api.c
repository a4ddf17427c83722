/* dp_import_memory / dp_export_memory (dp_memory.h): one plugin call on
 * memory with an isolated context, through the same steps as the runner
 * (steps.c). Used by the fuzz targets, which must not touch the file system
 * on every input, and by the in-memory conversion API (dp_convert.h). */
#include <stdlib.h>
#include <string.h>

#include "docpipe/dp_memory.h"
#include "host/host.h"

int dpc_find_plugin(dp_registry *reg, dp_plugin_kind kind, const char *format, const dp_plugin_info **info,
                    dp_error *err)
{
    if (!reg || !format)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "no registry or no format given");
    *info = dp_registry_find(reg, kind, format);
    if (!*info)
        return dp_error_set(err, DP_EPLUGIN, NULL, 0, 0, "no %s for format '%s'", dp_plugin_kind_name(kind),
                            format);
    return 0;
}

int dpc_import_bytes(dp_registry *reg, dpc_call *c, const char *path, const void *data, size_t len,
                     dp_doc **out, dp_error *err)
{
    unsigned char *copy;
    dp_input in;
    int rc;

    *out = NULL;
    if (len > c->limits->max_input_bytes)
        return dp_error_set(err, DP_ELIMIT, path, 0, 0, "input is %zu bytes, more than max-input-bytes (%zu)",
                            len, c->limits->max_input_bytes);
    /* Importers may rely on a terminating NUL (dp_input). */
    copy = malloc(len + 1);
    if (!copy)
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    if (len)
        memcpy(copy, data, len);
    copy[len] = '\0';
    in.path = path;
    in.data = copy;
    in.len = len;
    c->in = &in;
    c->made = out;
    rc = dpc_call_plugin(reg, c, err);
    c->in = NULL;
    c->made = NULL;
    free(copy);
    return rc;
}

/* The call of plugin with its defaults and the options' limits, sink and
 * strictness. */
static void memory_call(dpc_call *c, const dp_plugin_info *plugin, const dp_memory_options *opts,
                        const dp_limits *defaults, dpc_sink *sink, const char *path)
{
    memset(c, 0, sizeof *c);
    sink->fn = opts ? opts->diag : NULL;
    sink->payload = opts ? opts->diag_payload : NULL;
    sink->lock = NULL;
    c->plugin = plugin;
    c->limits = opts && opts->limits ? opts->limits : defaults;
    c->sink = sink;
    c->source_path = path;
    c->strict = opts ? opts->strict : 0;
}

int dp_import_memory(dp_registry *reg, const char *format, const char *path, const void *data, size_t len,
                     dp_memory_options *opts, dp_doc **out, dp_error *err)
{
    const dp_plugin_info *info = NULL;
    dp_limits defaults;
    dpc_sink sink;
    dpc_call c;
    int rc;

    if (!out || (!data && len))
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_import_memory: bad arguments");
    *out = NULL;
    dp_limits_init(&defaults);
    if (!path)
        path = "-";
    if ((rc = dpc_find_plugin(reg, DP_PLUGIN_IMPORTER, format, &info, err)) != 0)
        return rc;
    memory_call(&c, info, opts, &defaults, &sink, path);
    rc = dpc_import_bytes(reg, &c, path, data, len, out, err);
    if (opts)
        opts->warnings = c.warnings;
    return rc;
}

int dp_export_memory(dp_registry *reg, const char *format, const dp_doc *doc, dp_memory_options *opts,
                     dp_buf *out, dp_error *err)
{
    const dp_plugin_info *info = NULL;
    dp_limits defaults;
    dpc_sink sink;
    dpc_call c;
    int rc;

    if (!doc || !out)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_export_memory: bad arguments");
    if ((rc = dpc_find_plugin(reg, DP_PLUGIN_EXPORTER, format, &info, err)) != 0)
        return rc;
    dp_limits_init(&defaults);
    memory_call(&c, info, opts, &defaults, &sink, NULL);
    c.doc = (dp_doc *)doc; /* exporters take it const (export_fn) */
    c.buf = out;
    rc = dpc_call_plugin(reg, &c, err);
    if (opts)
        opts->warnings = c.warnings;
    return rc;
}
