/* The markdown module: one importer and one exporter. */
#include "md_internal.h"
#include "md_math.h"
#include "resload.h"

/* The module init hook (plugin ABI 1.1). cmark-gfm's
 * cmark_gfm_core_extensions_ensure_registered() tests and sets a plain
 * static flag: two threads making their first import/export at once would
 * both register the extensions while the other walks the list. The loader
 * runs this hook once per process, under its lock, before md_import or
 * md_export can run on any thread. Only this module uses cmark-gfm. */
static int md_module_init(dp_module_ctx *mctx)
{
    (void)mctx;
    cmark_gfm_core_extensions_ensure_registered();
    md_math_register();
    return 0;
}

static const char *const md_aliases[] = { "md", NULL };
static const char *const md_extensions[] = { "md", "markdown", NULL };
static const char *const md_mime[] = { "text/markdown", NULL };

static const dp_option_spec md_reader_options[] = {
    { "footnotes", DP_OPT_BOOL, "true", NULL, "recognise GFM footnotes [^label] (as notes)" },
    { "front-matter", DP_OPT_BOOL, "true", NULL, "read a leading YAML block (--- ... ---) as metadata" },
    { "smart", DP_OPT_BOOL, "false", NULL, "typographic quotes and dashes (cmark-gfm smart punctuation)" },
    { "html-spans", DP_OPT_BOOL, "true", NULL,
      "turn inline <span ...>...</span> and block <div ...> ... </div> pairs into spans and divs" },
    { "tagfilter", DP_OPT_BOOL, "false", NULL,
      "GFM's disallowed raw HTML: the tags of title, textarea, style, xmp, iframe, noembed, noframes, script "
      "and plaintext are written as text (&lt;), as GitHub and cmark-gfm -e tagfilter do" },
    { "math", DP_OPT_ENUM, "true", "true|false|mathml|tex",
      "TeX math: $...$, $$...$$, $`...`$ and ```math blocks (false: dollars are text; mathml/tex, the HTML "
      "writer's choices, mean true)" },
    RESLOAD_OPTION_SPECS,
    { NULL, 0, NULL, NULL, NULL }
};

static const dp_option_spec md_writer_options[] = {
    { "front-matter", DP_OPT_BOOL, "true", NULL, "write the metadata as a YAML front matter block" },
    { "width", DP_OPT_INT, "0", NULL, "wrap lines at this column (0: no wrapping)" },
    DP_MEDIA_OPTION_SPECS,
    { NULL, 0, NULL, NULL, NULL }
};

static const dp_plugin_desc md_reader = {
    sizeof(dp_plugin_desc), "markdown.reader", "Markdown reader (cmark-gfm)", "0.1.0",
    DP_PLUGIN_IMPORTER, "markdown", md_aliases, md_extensions, md_mime, md_reader_options,
    0, md_import, NULL, NULL,
    "CommonMark + GFM (tables, strikethrough, autolinks, task lists, footnotes), YAML front matter", 0 /* flags */
};

static const dp_plugin_desc md_writer = {
    sizeof(dp_plugin_desc), "markdown.writer", "Markdown writer (cmark-gfm)", "0.1.0",
    DP_PLUGIN_EXPORTER, "markdown", md_aliases, md_extensions, md_mime, md_writer_options,
    0, NULL, md_export, NULL,
    "CommonMark + GFM rendered by cmark-gfm, YAML front matter; raw HTML for what Markdown cannot hold", 0 /* flags */
};

static const dp_plugin_desc *const md_plugins[] = { &md_reader, &md_writer, NULL };

static const dp_plugin_module md_module = DP_PLUGIN_MODULE_INIT_HOOKS("markdown", "0.1.0", md_plugins, md_module_init, NULL);

DP_PLUGIN_ENTRY_DECL { return &md_module; }
