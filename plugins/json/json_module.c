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

static const dp_plugin_desc *const json_plugins[] = {&json_reader, &json_writer, NULL};

static const dp_plugin_module json_module = DP_PLUGIN_MODULE_INIT("json", "1.0.0", json_plugins);

DP_PLUGIN_ENTRY_DECL
{
    return &json_module;
}
