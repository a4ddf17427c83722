/* One plugin call on a document: load the plugin, give it a context, call
 * it, check what it did (the tree, --strict). The runner (one input file of
 * a pipeline) and the in-memory API (dp_memory.h, dp_convert.h) both go
 * through dpc_call_plugin, so a conversion is the same whether its bytes
 * come from a file or from memory. Importing, transforming and exporting
 * differ only in the function called and in what is checked after it. */
#include <stdio.h>
#include <string.h>

#include "host/host.h"

static int plugin_failed(dp_error *err, int rc, const dp_plugin_info *info, const char *file)
{
    if (rc >= 0)
        rc = DP_EPLUGIN;
    if (err->code == 0)
        dp_error_set(err, rc, file, 0, 0, "%s %s failed without saying why", dp_plugin_kind_name(info->kind),
                     info->id);
    if (!err->plugin[0])
        snprintf(err->plugin, sizeof err->plugin, "%s", info->id);
    if (!err->file[0] && file)
        snprintf(err->file, sizeof err->file, "%s", file); /* say which file it was about */
    return err->code;
}

static int check_tree(const dp_doc *doc, const dp_plugin_info *info, const char *file, dp_error *err)
{
    dp_error e;
    dp_error_clear(&e);
    if (dp_doc_check(doc, &e) == 0)
        return 0;
    dp_error_set(err, DP_EPLUGIN, file, e.line, e.column, "%s %s produced an invalid tree: %s",
                 dp_plugin_kind_name(info->kind), info->id, e.message);
    snprintf(err->plugin, sizeof err->plugin, "%s", info->id);
    return DP_EPLUGIN;
}

static int strict_fail(const dpc_call *c, const dp_ctx *ctx, const char *file, const char *what, dp_error *err)
{
    if (!c->strict || ctx->warnings == 0)
        return 0;
    /* presentation warnings (class names, styles) lose no content: they never fail --strict */
    return dp_error_set(err, DP_ELOSS, file, 0, 0, "%zu loss warning%s from %s under --strict%s%s",
                        ctx->warnings, ctx->warnings == 1 ? "" : "s", ctx->plugin_id, what ? "; " : "",
                        what ? what : "");
}

int dpc_call_plugin(dp_registry *reg, dpc_call *c, dp_error *err)
{
    const dp_plugin_desc *desc;
    const char *about = c->source_path, *strict_what = "nothing written";
    dp_ctx ctx;
    int rc;
    memset(&ctx, 0, sizeof ctx);
    if ((rc = dp_registry_load(reg, c->plugin, &desc, err)) != 0 ||
        (rc = dpc_ctx_init(&ctx, c->plugin->id, c->plugin->options, c->given, c->extra, c->limits, c->sink,
                           err)) != 0)
        goto done;
    ctx.source_path = c->source_path;
    ctx.verbose = c->verbose;
    ctx.strict = c->strict;
    switch (c->plugin->kind) {
    case DP_PLUGIN_IMPORTER:
        ctx.input_path = c->in->path;
        about = c->in->path;
        rc = desc->import_fn(&ctx, c->in, c->made);
        if (rc == 0 && !*c->made)
            rc = dp_error_set(err, DP_EPLUGIN, about, 0, 0, "importer %s returned no document", c->plugin->id);
        break;
    case DP_PLUGIN_TRANSFORM:
        rc = desc->transform_fn(&ctx, c->doc);
        break;
    case DP_PLUGIN_EXPORTER:
        ctx.output_path = c->output;
        about = c->output ? c->output : c->source_path;
        strict_what = c->output ? "output not written" : NULL;
        rc = desc->export_fn(&ctx, c->doc, c->buf);
        if (rc == 0)
            dpc_media_report(&ctx);
        if (rc == 0 && c->media) { /* the runner writes them with the output */
            *c->media = ctx.media;
            memset(&ctx.media, 0, sizeof ctx.media);
        }
        break;
    }
    c->warnings += ctx.warnings + ctx.presentation;
    if (rc != 0)
        rc = plugin_failed(err, rc, c->plugin, about);
    else if (c->plugin->kind != DP_PLUGIN_EXPORTER)
        rc = check_tree(c->made ? *c->made : c->doc, c->plugin, about, err);
    if (rc == 0)
        rc = strict_fail(c, &ctx, c->source_path, strict_what, err);
done:
    dpc_ctx_fini(&ctx);
    if (rc != 0 && c->made) {
        dp_doc_free(*c->made);
        *c->made = NULL;
    }
    return rc;
}
