/* An out-of-tree docpipe plugin, built by the install test against an
 * installed docpipe (pkg-config and CMake package) and loaded through
 * $DOCPIPE_PLUGIN_PATH: format "oot" (.oot), one paragraph per line; the
 * exporter writes each paragraph as "oot: TEXT". */
#include <string.h>

#include <docpipe/docpipe.h>

static int oot_import(dp_ctx *ctx, const dp_input *in, dp_doc **out)
{
    dp_doc *doc;
    const char *p = (const char *)in->data, *end = p + in->len;
    if (dp_doc_new(&doc) != 0)
        return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "out of memory");
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len) {
            dp_node *para = dp_node_new(doc, DP_PARA);
            dp_node *text = dp_node_new_text(doc, DP_TEXT, p, len);
            if (!para || !text || dp_node_append_child(para, text) ||
                dp_node_append_child(dp_doc_root(doc), para)) {
                dp_doc_free(doc);
                return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "out of memory");
            }
        }
        p += len + 1;
    }
    *out = doc;
    return 0;
}

static int oot_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out)
{
    dp_node *n;
    const char *tag = dp_opt_string(ctx, "tag");
    for (n = dp_node_first_child(dp_doc_root(doc)); n; n = dp_node_next(n))
        dp_buf_printf(out, "%s: %s\n", tag, dp_node_plain_text(n, 0));
    return 0;
}

static const char *const oot_ext[] = {"oot", NULL};
static const dp_option_spec oot_opts[] = {{"tag", DP_OPT_STRING, "oot", NULL, "line prefix"},
                                          {NULL, 0, NULL, NULL, NULL}};
static const dp_plugin_desc oot_reader = {
    sizeof(dp_plugin_desc), "oot.reader", "OOT reader", "1.0", DP_PLUGIN_IMPORTER, "oot", NULL, oot_ext,
    NULL, NULL, 0, oot_import, NULL, NULL, "out-of-tree test format"};
static const dp_plugin_desc oot_writer = {
    sizeof(dp_plugin_desc), "oot.writer", "OOT writer", "1.0", DP_PLUGIN_EXPORTER, "oot", NULL, oot_ext,
    NULL, oot_opts, 0, NULL, oot_export, NULL, "out-of-tree test format"};
static const dp_plugin_desc *const oot_list[] = {&oot_reader, &oot_writer, NULL};
static const dp_plugin_module oot_module = DP_PLUGIN_MODULE_INIT("oot", "1.0", oot_list);

DP_PLUGIN_ENTRY_DECL
{
    return &oot_module;
}
