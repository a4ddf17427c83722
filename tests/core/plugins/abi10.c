/* A plugin as it was written for plugin ABI 1.0, compiled against the frozen
 * copy of the 1.0 headers (tests/core/abi-1.0, found before include/): its
 * module struct is ABI 1.0's, smaller than today's. The loader must accept
 * it and run it (test core.abi_compat). The exporter "abi10" writes each
 * paragraph's text on its own line, prefixed "abi10: ". */
#include <docpipe/docpipe.h>

#if DP_ABI_MAJOR != 1 || DP_ABI_MINOR != 0
#error "abi10.c must be compiled against the frozen ABI 1.0 headers (tests/core/abi-1.0)"
#endif

static int abi10_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out)
{
    dp_iter it;
    dp_event ev;
    (void)ctx;
    dp_iter_init(&it, dp_doc_root(doc));
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        dp_node *n = dp_iter_node(&it);
        if (ev == DP_EV_ENTER && dp_node_kind(n) == DP_PARA) {
            const char *text = dp_node_plain_text(n, 1);
            if (!text || dp_buf_printf(out, "abi10: %s\n", text) != 0)
                return DP_ENOMEM;
        }
    }
    return 0;
}

static const char *const abi10_ext[] = {"abi10", NULL};

static const dp_plugin_desc abi10_writer = {
    sizeof(dp_plugin_desc), "abi10.writer", "ABI 1.0 writer", "1.0", DP_PLUGIN_EXPORTER, "abi10", NULL,
    abi10_ext, NULL, NULL, 0, NULL, abi10_export, NULL, "a plugin built against the ABI 1.0 headers"};

static const dp_plugin_desc *const abi10_list[] = {&abi10_writer, NULL};
static const dp_plugin_module abi10_module = DP_PLUGIN_MODULE_INIT("abi10", "1.0", abi10_list);

DP_PLUGIN_ENTRY_DECL
{
    return &abi10_module;
}
