/* docpipe: the plugin ABI and the context a plugin function runs in.
 * Start here to write a plugin: this header includes everything a plugin may
 * use (the tree, metadata, buffers, errors); docs/PLUGINS.md walks through
 * plugins/transforms/shift_headings.c, the one to copy.
 *
 * A plugin is a shared object exporting exactly one symbol,
 *
 *     DP_PLUGIN_ENTRY_DECL { return &my_module; }
 *
 * i.e. `const dp_plugin_module *docpipe_plugin_entry(void)`, returning a static
 * descriptor. The loader reads abi_major/abi_minor/struct_size before touching
 * anything else (GStreamer, CLAP, LV2 model) and refuses, with a one-line reason
 * naming the file: no entry symbol, another ABI major, a struct smaller than
 * ABI 1.0's, a newer minor whose fields beyond what this docpipe knows are not
 * all zero, a plugin without the function its kind requires.
 *
 * Structs only ever grow at the tail. A plugin built for an older minor has a
 * smaller struct_size: the loader copies what struct_size says exists into its
 * own zeroed struct and reads the copy, so fields the plugin never knew are 0
 * (NULL hooks, defaults). A minor bump adds fields and functions, a major
 * bump breaks (docs/PLUGINS.md, "What a version may change").
 *
 * Build plugins with -fvisibility=hidden so that the entry is the only export. */
#ifndef DOCPIPE_DP_PLUGIN_H
#define DOCPIPE_DP_PLUGIN_H

#include "dp_common.h"
#include "dp_meta.h"
#include "dp_tree.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DP_ABI_MAJOR 1
#define DP_ABI_MINOR 3

#define DP_PLUGIN_ENTRY_NAME "docpipe_plugin_entry"

typedef enum dp_plugin_kind {
    DP_PLUGIN_IMPORTER = 1,
    DP_PLUGIN_EXPORTER = 2,
    DP_PLUGIN_TRANSFORM = 3
} dp_plugin_kind;

typedef enum dp_opt_type {
    DP_OPT_STRING = 1,
    DP_OPT_BOOL,    /* true/false/yes/no/on/off/1/0 */
    DP_OPT_INT,     /* decimal, may be negative */
    DP_OPT_ENUM,    /* string restricted to `choices` ("a|b|c") */
    DP_OPT_LIST     /* YAML sequence of strings; read with dp_opt_list_* */
} dp_opt_type;

/* One entry of a plugin's option table; the table ends with key == NULL.
 * Config and CLI options are checked against it before the plugin runs. */
typedef struct dp_option_spec {
    const char *key;
    dp_opt_type type;
    const char *default_value; /* as text; NULL = unset */
    const char *choices;       /* DP_OPT_ENUM: "chapter|book|inline" */
    const char *help;          /* one line, shown by `docpipe plugins -v` */
} dp_option_spec;

/* Safety limits; defaults in docs/CONFIG.md, overridable in config/CLI. */
typedef struct dp_limits {
    size_t max_input_bytes;      /* refuse inputs larger than this */
    int max_depth;               /* tree / element nesting depth */
    size_t max_entity_expansion; /* XML: bytes produced by entity expansion */
    size_t max_archive_bytes;    /* zip: total uncompressed size */
    size_t max_archive_entries;  /* zip: entry count */
    unsigned max_archive_ratio;  /* zip: uncompressed/compressed per entry */
} dp_limits;

/* The context of one plugin call: its options, limits, diagnostics and the
 * error record. Created by the core; opaque to plugins. */
typedef struct dp_ctx dp_ctx;

/* The bytes of one input. path is for messages and relative resource
 * lookups ("-" for stdin); data is the whole file (NUL-terminated for
 * convenience, len excludes the NUL). */
typedef struct dp_input {
    const char *path;
    const unsigned char *data;
    size_t len;
} dp_input;

/* An importer builds a new document; on failure it frees what it built,
 * calls dp_fail and returns its code. */
typedef int (*dp_import_fn)(dp_ctx *ctx, const dp_input *in, dp_doc **out);
/* An exporter appends its whole output to out. It must not modify doc. */
typedef int (*dp_export_fn)(dp_ctx *ctx, const dp_doc *doc, dp_buf *out);
/* A transform edits the document in place. */
typedef int (*dp_transform_fn)(dp_ctx *ctx, dp_doc *doc);

typedef struct dp_plugin_desc {
    size_t struct_size;     /* sizeof(dp_plugin_desc) as the plugin was built */
    const char *id;         /* unique, e.g. "markdown.reader" */
    const char *name;       /* human name */
    const char *version;    /* the plugin's own version */
    dp_plugin_kind kind;
    const char *format;     /* importers/exporters: "markdown"; transforms: the transform name "toc" */
    const char *const *aliases;    /* other names, NULL-terminated ("md"); may be NULL */
    const char *const *extensions; /* without dot, NULL-terminated ("md", "markdown"); may be NULL */
    const char *const *mime_types; /* NULL-terminated; may be NULL */
    const dp_option_spec *options; /* key == NULL terminated; may be NULL */
    int binary_output;             /* exporters: output is not text (never to a terminal) */
    dp_import_fn import_fn;        /* required for importers */
    dp_export_fn export_fn;        /* required for exporters */
    dp_transform_fn transform_fn;  /* required for transforms */
    const char *description;       /* one line for `docpipe formats` */
    /* ---- ABI 1.3 ---- */
    unsigned int flags;            /* DP_PLUGIN_* properties below; 0 = none */
} dp_plugin_desc;

/* ABI 1.3: what a plugin declares about itself in dp_plugin_desc.flags. */
/* It starts other programs (a filter): a config may use it only when the user
 * allows it (--allow-filter, --trust-config; docs/SECURITY.md). */
#define DP_PLUGIN_RUNS_PROGRAMS (1u << 0)
/* Every flag this docpipe knows; a plugin setting another bit is refused. */
#define DP_PLUGIN_KNOWN_FLAGS DP_PLUGIN_RUNS_PROGRAMS

/* The context of a module's init hook: where it reports why it failed. */
typedef struct dp_module_ctx dp_module_ctx;

/* ABI 1.1: called once per process, before the first plugin function of the
 * module runs, with the core's loader lock held (so never concurrently with
 * another module's init). Initialise the libraries the module uses here
 * (libxml2's xmlInitParser, cmark-gfm's extension registry) instead of
 * guarding every entry point with pthread_once. Return 0, or the result of
 * dp_module_fail: the module's plugins then fail to load with that message. */
typedef int (*dp_module_init_fn)(dp_module_ctx *mctx);
/* ABI 1.1: called once, at process exit, for a module whose init ran (the
 * module's code stays mapped until then; see docs/PLUGINS.md). */
typedef void (*dp_module_fini_fn)(void);

typedef struct dp_plugin_module {
    uint32_t abi_major;
    uint32_t abi_minor;
    size_t struct_size;                   /* sizeof(dp_plugin_module) as built */
    const char *name;                     /* module name, e.g. "markdown" */
    const char *version;
    const dp_plugin_desc *const *plugins; /* NULL-terminated */
    /* ---- ABI 1.1 ---- */
    dp_module_init_fn init;               /* may be NULL */
    dp_module_fini_fn fini;               /* may be NULL */
} dp_plugin_module;

typedef const dp_plugin_module *(*dp_plugin_entry_fn)(void);

/* A module without hooks, and one with them (either hook may be NULL). */
#define DP_PLUGIN_MODULE_INIT(module_name, module_version, plugin_list) \
    DP_PLUGIN_MODULE_INIT_HOOKS(module_name, module_version, plugin_list, NULL, NULL)
#define DP_PLUGIN_MODULE_INIT_HOOKS(module_name, module_version, plugin_list, init_fn, fini_fn)          \
    { DP_ABI_MAJOR, DP_ABI_MINOR, sizeof(dp_plugin_module), (module_name), (module_version), (plugin_list), \
      (init_fn), (fini_fn) }

/* Records why the module's init failed; returns DP_EPLUGIN for init to return. */
DP_EXPORT int dp_module_fail(dp_module_ctx *mctx, const char *fmt, ...) DP_PRINTF(2, 3);

#define DP_PLUGIN_ENTRY_DECL \
    DP_EXPORT const dp_plugin_module *docpipe_plugin_entry(void); \
    DP_EXPORT const dp_plugin_module *docpipe_plugin_entry(void)

/* ------------------------------------------------------------------ */
/* What a plugin function may ask of its context.                       */

/* Option values as given by config/CLI, else the spec's default, converted
 * to the declared type (already validated by the core). */
DP_EXPORT const char *dp_opt_string(const dp_ctx *ctx, const char *key); /* NULL when unset */
DP_EXPORT int dp_opt_bool(const dp_ctx *ctx, const char *key);
DP_EXPORT long dp_opt_int(const dp_ctx *ctx, const char *key);
DP_EXPORT size_t dp_opt_list_count(const dp_ctx *ctx, const char *key);
DP_EXPORT const char *dp_opt_list_at(const dp_ctx *ctx, const char *key, size_t i);
DP_EXPORT int dp_opt_is_set(const dp_ctx *ctx, const char *key); /* given explicitly */

DP_EXPORT const dp_limits *dp_ctx_limits(const dp_ctx *ctx);
DP_EXPORT const char *dp_ctx_input_path(const dp_ctx *ctx); /* NULL for exporters */
DP_EXPORT const char *dp_ctx_output_path(const dp_ctx *ctx); /* NULL for stdout / importers */
/* Exporters that name resources by URL (HTML, Markdown) ask here what to
 * write for a reference url of doc. When url names one of doc's resources,
 * the answer follows the run (docs/ARCHITECTURE.md, "Resources"): with the
 * option self-contained a data: URI; with an output file (or the option
 * media-dir) a path into the media folder, relative to the output, where the
 * core writes the resource with the output; with neither (standard output)
 * url itself, and the core warns once per kind of resource. Other urls come
 * back unchanged. The string lives until the plugin call returns; NULL only
 * when out of memory. Declare DP_MEDIA_OPTION_SPECS to let users choose. */
DP_EXPORT const char *dp_ctx_resource_url(dp_ctx *ctx, const dp_doc *doc, const char *url);
#define DP_MEDIA_OPTION_SPECS                                                                         \
    { "media-dir", DP_OPT_STRING, NULL, NULL,                                                          \
      "folder for the images, fonts, media and stylesheets the output uses, written with it "         \
      "(default: OUTPUT-STEM_files beside an output file)" },                                          \
    { "self-contained", DP_OPT_BOOL, "false", NULL, "embed the resources the output uses as data: URIs" }
DP_EXPORT int dp_ctx_verbose(const dp_ctx *ctx);   /* -v given */
DP_EXPORT int dp_ctx_strict(const dp_ctx *ctx);    /* --strict given */

/* A loss or a recovered problem. Warnings name what was lost: dp_warn_node
 * prefixes the node kind and, when known, its source position (and the
 * file inside the input, dp_node_source_file). These three report content
 * warnings: under --strict any of them makes the run fail with DP_ELOSS. */
DP_EXPORT void dp_warn(dp_ctx *ctx, const char *fmt, ...) DP_PRINTF(2, 3);
DP_EXPORT void dp_warn_node(dp_ctx *ctx, const dp_node *node, const char *fmt, ...) DP_PRINTF(3, 4);
DP_EXPORT void dp_warn_at(dp_ctx *ctx, const char *file, int line, int column, const char *fmt, ...)
    DP_PRINTF(5, 6);
/* ABI 1.2: the two classes of warning (docs/ARCHITECTURE.md, "Warnings").
 * CONTENT: words, notes, tables, images, links or math that did not reach
 * the output; fails --strict. PRESENTATION: class names, inline styles,
 * layout attributes the target cannot express; the text is all there, so it
 * never fails --strict and the CLI shows it only with -v. */
typedef enum dp_warn_class {
    DP_WARN_CONTENT = 0,
    DP_WARN_PRESENTATION = 1
} dp_warn_class;

/* ABI 1.2: a warning with its class and a stable code ("md.attrs", letters,
 * digits, '.', '-'; NULL for none), about node (may be NULL: then about the
 * document). Reports (--report) carry the code, so tools can count or
 * filter warnings without parsing the message. */
DP_EXPORT void dp_warn_as(dp_ctx *ctx, dp_warn_class cls, const char *code, const dp_node *node, const char *fmt,
                          ...) DP_PRINTF(5, 6);
/* Shown only with -v (e.g. "unknown element <foo> kept as span"). */
DP_EXPORT void dp_info(dp_ctx *ctx, const char *fmt, ...) DP_PRINTF(2, 3);
/* Records the failure in the context's error record and returns code. */
DP_EXPORT int dp_fail(dp_ctx *ctx, int code, const char *file, int line, int column, const char *fmt, ...)
    DP_PRINTF(6, 7);

#ifdef __cplusplus
}
#endif
#endif
