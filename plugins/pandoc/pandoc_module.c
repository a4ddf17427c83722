/* The pandoc-json module: reader and writer of pandoc's JSON AST, and the
 * pandoc-filter transform (--filter CMD). docs/formats/pandoc-json.md. */
#include "pandoc_internal.h"

static const char *const pandoc_aliases[] = {"pandoc", NULL};

static const dp_option_spec write_options[] = {
    {"pandoc-api", DP_OPT_ENUM, "1.23", "1.23|1.22",
     "pandoc-api-version to write: 1.23 (pandoc 3, Figure) or 1.22 (pandoc 2.11-2.19)"},
    {NULL, 0, NULL, NULL, NULL},
};

static const dp_plugin_desc pandoc_reader = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "pandoc-json.reader",
    .name = "pandoc JSON AST reader",
    .version = "1.0.0",
    .kind = DP_PLUGIN_IMPORTER,
    .format = "pandoc-json",
    .aliases = pandoc_aliases,
    .import_fn = pandoc_import,
    .description = "pandoc's JSON AST (pandoc -t json), pandoc-api-version 1.22 and 1.23",
};

static const dp_plugin_desc pandoc_writer = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "pandoc-json.writer",
    .name = "pandoc JSON AST writer",
    .version = "1.0.0",
    .kind = DP_PLUGIN_EXPORTER,
    .format = "pandoc-json",
    .aliases = pandoc_aliases,
    .options = write_options,
    .export_fn = pandoc_export,
    .description = "pandoc's JSON AST (pandoc -f json), pandoc-api-version 1.22 and 1.23",
};

static const dp_option_spec filter_options[] = {
    {"command", DP_OPT_STRING, NULL, NULL, "the filter: a program in PATH or a path (.py, .pl, .rb, .js, .php, .R, .hs run by their interpreter when not executable); required"},
    {"target", DP_OPT_STRING, "html", NULL, "the output format named to the filter (its first argument)"},
    {"pandoc-api", DP_OPT_ENUM, "1.23", "1.23|1.22", "pandoc-api-version the filter is given (and its PANDOC_VERSION)"},
    {"timeout", DP_OPT_INT, "30", NULL, "seconds before the filter is killed and the run fails"},
    {NULL, 0, NULL, NULL, NULL},
};

static const dp_plugin_desc pandoc_filter_desc = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "pandoc-json.filter",
    .name = "pandoc JSON filter",
    .version = "1.0.0",
    .kind = DP_PLUGIN_TRANSFORM,
    .format = "pandoc-filter",
    .options = filter_options,
    .transform_fn = pandoc_filter,
    .flags = DP_PLUGIN_RUNS_PROGRAMS, /* a config needs --allow-filter */
    .description = "run a pandoc JSON filter on the document, as pandoc --filter does",
};

static const dp_plugin_desc *const pandoc_plugins[] = {&pandoc_reader, &pandoc_writer, &pandoc_filter_desc, NULL};

static const dp_plugin_module pandoc_module = DP_PLUGIN_MODULE_INIT("pandoc-json", "1.0.0", pandoc_plugins);

DP_PLUGIN_ENTRY_DECL
{
    return &pandoc_module;
}
