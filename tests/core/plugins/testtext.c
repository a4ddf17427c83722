/* A tiny, well-formed test plugin module: "testtext" (one paragraph per
 * line, extension .ttxt) as importer and exporter, plus an "upper"
 * transform. Its options exercise every option type; "fail" and "warn" let
 * tests make an exporter fail or report a loss on demand. */
#include <ctype.h>
#include <string.h>

#include <docpipe/docpipe.h>

static int tt_import(dp_ctx *ctx, const dp_input *in, dp_doc **out)
{
    dp_doc *doc = NULL;
    const char *p = (const char *)in->data, *end = p + in->len;
    int line = 1;
    if (dp_opt_bool(ctx, "fail"))
        return dp_fail(ctx, DP_EINPUT, in->path, 1, 1, "asked to fail by option 'fail'");
    if (dp_doc_new(&doc) != 0)
        return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "out of memory");
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len) {
            dp_node *para = dp_node_new(doc, DP_PARA);
            dp_node *text = dp_node_new_text(doc, DP_TEXT, p, len);
            if (!para || !text || dp_node_append_child(para, text) || dp_node_append_child(dp_doc_root(doc), para)) {
                dp_doc_free(doc);
                return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "out of memory");
            }
            dp_node_set_pos(para, line, 1);
        }
        line++;
        p += len + 1;
    }
    if (dp_opt_bool(ctx, "warn"))
        dp_warn_at(ctx, in->path, 1, 1, "test importer loss (option 'warn')");
    *out = doc;
    return 0;
}

static int tt_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out)
{
    dp_iter it;
    dp_event ev;
    const char *title = dp_meta_get_text(dp_doc_meta(doc), "title");
    size_t i;
    if (dp_opt_bool(ctx, "fail-write"))
        return dp_fail(ctx, DP_EOUTPUT, NULL, 0, 0, "asked to fail by option 'fail-write'");
    if (dp_opt_string(ctx, "prefix"))
        dp_buf_puts(out, dp_opt_string(ctx, "prefix"));
    if (title)
        dp_buf_printf(out, "title: %s\n", title);
    for (i = 0; i < dp_opt_list_count(ctx, "tags"); i++)
        dp_buf_printf(out, "tag: %s\n", dp_opt_list_at(ctx, "tags", i));
    if (dp_opt_is_set(ctx, "repeat"))
        dp_buf_printf(out, "repeat: %ld\n", dp_opt_int(ctx, "repeat"));
    dp_iter_init(&it, dp_doc_root(doc));
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        dp_node *n = dp_iter_node(&it);
        if (ev == DP_EV_ENTER && dp_node_kind(n) == DP_TEXT)
            dp_buf_append(out, dp_node_text(n), dp_node_text_len(n));
        else if (ev == DP_EV_EXIT && dp_node_kind(n) == DP_PARA) {
            dp_buf_puts(out, "\n");
            if (dp_opt_bool(ctx, "warn-write"))
                dp_warn_node(ctx, n, "test exporter loss (option 'warn-write')");
            if (dp_opt_bool(ctx, "warn-style"))
                dp_warn_as(ctx, DP_WARN_PRESENTATION, "test.style", n, "test class not kept (option 'warn-style')");
        }
    }
    return 0;
}

static int tt_upper(dp_ctx *ctx, dp_doc *doc)
{
    dp_iter it;
    dp_event ev;
    (void)ctx;
    dp_iter_init(&it, dp_doc_root(doc));
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        dp_node *n = dp_iter_node(&it);
        if (ev == DP_EV_ENTER && dp_node_kind(n) == DP_TEXT) {
            char buf[4096];
            size_t len = dp_node_text_len(n), i;
            if (len >= sizeof buf)
                len = sizeof buf - 1;
            for (i = 0; i < len; i++)
                buf[i] = (char)toupper((unsigned char)dp_node_text(n)[i]);
            dp_node_set_text(n, buf, len);
        }
    }
    return 0;
}

static const char *const tt_ext[] = {"ttxt", NULL};
static const char *const tt_alias[] = {"tt", NULL};

static const dp_option_spec tt_in_opts[] = {
    {"fail", DP_OPT_BOOL, "false", NULL, "fail on purpose"},
    {"warn", DP_OPT_BOOL, "false", NULL, "report a loss on purpose"},
    {NULL, 0, NULL, NULL, NULL}};

static const dp_option_spec tt_out_opts[] = {
    {"fail-write", DP_OPT_BOOL, "false", NULL, "fail on purpose"},
    {"warn-write", DP_OPT_BOOL, "false", NULL, "report a loss per paragraph"},
    {"warn-style", DP_OPT_BOOL, "false", NULL, "report a presentation warning per paragraph"},
    {"prefix", DP_OPT_STRING, NULL, NULL, "text written first"},
    {"repeat", DP_OPT_INT, "1", NULL, "an integer option"},
    {"style", DP_OPT_ENUM, "plain", "plain|fancy", "an enum option"},
    {"tags", DP_OPT_LIST, "", NULL, "a list option"},
    {NULL, 0, NULL, NULL, NULL}};

static const dp_plugin_desc tt_reader = {
    sizeof(dp_plugin_desc), "testtext.reader", "Test text reader", "1.0", DP_PLUGIN_IMPORTER, "testtext",
    tt_alias, tt_ext, NULL, tt_in_opts, 0, tt_import, NULL, NULL, "one paragraph per line (tests)", 0 /* flags */};
static const dp_plugin_desc tt_writer = {
    sizeof(dp_plugin_desc), "testtext.writer", "Test text writer", "1.0", DP_PLUGIN_EXPORTER, "testtext",
    tt_alias, tt_ext, NULL, tt_out_opts, 0, NULL, tt_export, NULL, "one paragraph per line (tests)", 0 /* flags */};
static const dp_plugin_desc tt_upper_desc = {
    sizeof(dp_plugin_desc), "testtext.upper", "Upper-case", "1.0", DP_PLUGIN_TRANSFORM, "upper",
    NULL, NULL, NULL, NULL, 0, NULL, NULL, tt_upper, "upper-cases text (tests)", 0 /* flags */};

static const dp_plugin_desc *const tt_list[] = {&tt_reader, &tt_writer, &tt_upper_desc, NULL};
static const dp_plugin_module tt_module = DP_PLUGIN_MODULE_INIT("testtext", "1.0", tt_list);

DP_PLUGIN_ENTRY_DECL
{
    return &tt_module;
}
