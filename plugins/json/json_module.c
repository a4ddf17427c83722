/* The json module: one importer and one exporter for the tree as JSON. */
#include "json_internal.h"

static const char *const json_exts[] = {"json", NULL};
static const char *const json_mimes[] = {"application/json", NULL};

static const dp_option_spec export_options[] = {
    {"positions", DP_OPT_BOOL, "false", NULL,
     "write each node's source position as \"pos\": [line, column] (off: equal trees give identical JSON)"},
    {NULL, 0, NULL, NULL, NULL},
};

static const dp_plugin_desc json_reader = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "json.reader",
    .name = "docpipe tree JSON reader",
    .version = "1.0.0",
    .kind = DP_PLUGIN_IMPORTER,
    .format = "json",
    .aliases = NULL,
    .extensions = json_exts,
    .mime_types = json_mimes,
    .options = NULL,
    .import_fn = json_import,
    .description = "the docpipe document tree as JSON (docs/TREE.md)",
};

static const dp_plugin_desc json_writer = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "json.writer",
    .name = "docpipe tree JSON writer",
    .version = "1.0.0",
    .kind = DP_PLUGIN_EXPORTER,
    .format = "json",
    .aliases = NULL,
    .extensions = json_exts,
    .mime_types = json_mimes,
    .options = export_options,
    .binary_output = 0,
    .export_fn = json_export,
    .description = "the docpipe document tree as JSON (docs/TREE.md)",
};

static const dp_option_spec filter_options[] = {
    {"command", DP_OPT_STRING, NULL, NULL, "the program to run (searched in PATH); required"},
    {"args", DP_OPT_LIST, NULL, NULL, "arguments given to the program"},
    {"timeout", DP_OPT_INT, "30", NULL, "seconds before the program is killed and the run fails"},
    {NULL, 0, NULL, NULL, NULL},
};

static const dp_plugin_desc json_filter_desc = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "json.filter",
    .name = "external JSON filter",
    .version = "1.0.0",
    .kind = DP_PLUGIN_TRANSFORM,
    .format = "filter",
    .options = filter_options,
    .transform_fn = json_filter,
    .flags = DP_PLUGIN_RUNS_PROGRAMS, /* a config needs --allow-filter */
    .description = "pipe the tree as JSON through an external command and read the result back",
};

static const dp_plugin_desc *const json_plugins[] = {&json_reader, &json_writer, &json_filter_desc, NULL};

static const dp_plugin_module json_module = DP_PLUGIN_MODULE_INIT("json", "1.0.0", json_plugins);

DP_PLUGIN_ENTRY_DECL
{
    return &json_module;
}
