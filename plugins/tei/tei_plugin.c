/* The TEI module: one importer and one exporter for TEI P5 XML. */
#include "xmlu_init.h"
#include "tei_internal.h"
#include "resload.h"

static const char *const tei_aliases[] = {"tei-xml", "tei5", NULL};
static const char *const tei_extensions[] = {"tei", "tei.xml", "xml", NULL};
static const char *const tei_mimes[] = {"application/tei+xml", NULL};

static const dp_option_spec tei_writer_options[] = {
    {"profile", DP_OPT_ENUM, "all", "all|lite",
     "all: valid against tei_all (P5 4.12); lite: valid against TEI Lite (P5 4.1)"},
    {"notes", DP_OPT_ENUM, "inline", "inline|back",
     "inline: each note where it is referenced (place=\"foot\"); back: collected in <back><div type=\"notes\">, "
     "referenced by <ref type=\"noteAnchor\">"},
    {"title-page", DP_OPT_BOOL, "false", NULL,
     "open <front> with a <titlePage type=\"docpipe\"> built from the metadata (title, subtitle, authors, date); "
     "the reader skips it"},
    {"record-conversion", DP_OPT_BOOL, "false", NULL,
     "add a revisionDesc <change> recording this conversion (date from SOURCE_DATE_EPOCH or now)"},
    {"schema-pi", DP_OPT_BOOL, "true", NULL, "write the <?xml-model?> processing instruction naming the schema"},
    {"indent", DP_OPT_BOOL, "true", NULL, "indent element-only content (mixed content is never reflowed)"},
    DP_MEDIA_OPTION_SPECS,
    {NULL, 0, NULL, NULL, NULL}};

static const dp_option_spec tei_reader_options[] = {
    {"recover", DP_OPT_BOOL, "false", NULL,
     "read XML that is not well-formed in libxml2's recover mode (each repair reported as a warning)"},
    RESLOAD_OPTION_SPECS,
    {NULL, 0, NULL, NULL, NULL}};

static const dp_plugin_desc tei_reader = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "tei.reader",
    .name = "TEI P5 reader",
    .version = "0.1.0",
    .kind = DP_PLUGIN_IMPORTER,
    .format = "tei",
    .aliases = tei_aliases,
    .extensions = tei_extensions,
    .mime_types = tei_mimes,
    .options = tei_reader_options,
    .import_fn = tei_import,
    .description = "TEI P5 XML (P4 and bare fragments read with a warning)",
};

static const dp_plugin_desc tei_writer = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "tei.writer",
    .name = "TEI P5 writer",
    .version = "0.1.0",
    .kind = DP_PLUGIN_EXPORTER,
    .format = "tei",
    .aliases = tei_aliases,
    .extensions = tei_extensions,
    .mime_types = tei_mimes,
    .options = tei_writer_options,
    .binary_output = 0,
    .export_fn = tei_export,
    .description = "TEI P5 XML with a complete teiHeader (tei_all or TEI Lite)",
};

static const dp_plugin_desc *const tei_plugins[] = {&tei_reader, &tei_writer, NULL};

static const dp_plugin_module tei_module = DP_PLUGIN_MODULE_INIT_HOOKS("tei", "0.1.0", tei_plugins, xmlu_module_init, NULL);

DP_PLUGIN_ENTRY_DECL { return &tei_module; }
