/* A plugin no test conversion uses: the lazy-loading test checks that a
 * run with a warm registry cache never opens this file. */
#include <docpipe/docpipe.h>

static int never_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out)
{
    (void)doc;
    (void)out;
    return dp_fail(ctx, DP_EINTERNAL, NULL, 0, 0, "the never plugin ran");
}

static const char *const never_ext[] = {"never", NULL};
static const dp_plugin_desc never_writer = {
    sizeof(dp_plugin_desc), "never.writer", "Never", "1.0", DP_PLUGIN_EXPORTER, "never", NULL, never_ext,
    NULL, NULL, 0, NULL, never_export, NULL, "must not be opened by unrelated runs", 0 /* flags */};
static const dp_plugin_desc *const never_list[] = {&never_writer, NULL};
static const dp_plugin_module never_module = DP_PLUGIN_MODULE_INIT("never", "1.0", never_list);

DP_PLUGIN_ENTRY_DECL
{
    return &never_module;
}
