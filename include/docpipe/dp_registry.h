/* docpipe: the plugin registry and loader (the library side of
 * `docpipe plugins` / `docpipe formats`).
 *
 * A registry scans the plugin search path once, learns what every plugin
 * file provides (from a cache keyed by path, size and mtime, or by opening
 * the file when the cache has no fresh record of it) and opens a file only
 * when dp_registry_load asks for one of its plugins. Files that fail a check
 * are kept as refusals with a one-line reason; discovery never stops at a bad
 * file.
 *
 * Search order (first match of an id or format wins; later ones are listed as
 * shadowed): the caller's dirs (--plugin-dir, then the config's plugin-path),
 * $DOCPIPE_PLUGIN_PATH (colon-separated), the build-tree/relative dir beside
 * the executable (<exe dir>/../lib/docpipe/plugins), the dir beside the
 * library (<dir of libdocpipe.so>/docpipe/plugins: a program embedding
 * docpipe, e.g. from Python), the installed dir (both skipped with
 * DP_REGISTRY_NO_INSTALLED). dp_registry_load may be called from several
 * threads at once (it opens files under a lock); the rest of a registry is
 * read-only after dp_registry_new. The
 * current directory is never searched implicitly. */
#ifndef DOCPIPE_DP_REGISTRY_H
#define DOCPIPE_DP_REGISTRY_H

#include "dp_common.h"
#include "dp_plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dp_registry dp_registry;

enum {
    DP_REGISTRY_NO_ENV = 1u << 0,       /* ignore $DOCPIPE_PLUGIN_PATH */
    DP_REGISTRY_NO_EXE_DIR = 1u << 1,   /* ignore the dir beside the executable */
    DP_REGISTRY_NO_INSTALLED = 1u << 2, /* ignore the installed plugin dir */
    DP_REGISTRY_NO_CACHE = 1u << 3      /* neither read nor write the registry cache */
};

/* Called just before the registry dlopens a file (discovery or load): a
 * shared object's constructors run at that moment, whether or not it turns
 * out to be a plugin, so a front end can say which files it ran (-v). */
typedef void (*dp_registry_open_fn)(const char *path, void *payload);

typedef struct dp_registry_options {
    unsigned int version;
    const char *const *dirs; /* searched first, in order; NULL-terminated; may be NULL */
    unsigned int flags;      /* DP_REGISTRY_* */
    const char *cache_dir;   /* NULL: $DOCPIPE_CACHE_DIR, else $XDG_CACHE_HOME/docpipe,
                                else $HOME/.cache/docpipe */
    dp_registry_open_fn on_open; /* version 2; may be NULL */
    void *on_open_payload;
} dp_registry_options;

#define DP_REGISTRY_OPTIONS_VERSION 2
#define DP_REGISTRY_OPTIONS_INIT { DP_REGISTRY_OPTIONS_VERSION, NULL, 0, NULL, NULL, NULL }

/* What one plugin provides, known without opening its file. The lists are
 * NULL-terminated and never NULL; options is never NULL (key == NULL ends it).
 * Valid until dp_registry_free. */
typedef struct dp_plugin_info {
    const char *id;
    const char *name;
    const char *version;
    dp_plugin_kind kind;
    const char *format;
    const char *const *aliases;
    const char *const *extensions;
    const char *const *mime_types;
    const dp_option_spec *options;
    int binary_output;
    const char *description;
    const char *file;        /* the shared object providing it */
    const char *module;      /* the module's name */
    const char *shadowed_by; /* file of an earlier plugin with the same id, else NULL */
    unsigned int flags;      /* the descriptor's DP_PLUGIN_* flags (ABI 1.3; cached) */
} dp_plugin_info;

/* A plugin file that was not accepted, and why (one line). */
typedef struct dp_refusal {
    const char *file;
    const char *reason;
} dp_refusal;

DP_EXPORT int dp_registry_new(dp_registry **out, const dp_registry_options *opts, dp_error *err);
DP_EXPORT void dp_registry_free(dp_registry *reg);

DP_EXPORT size_t dp_registry_count(const dp_registry *reg);
DP_EXPORT const dp_plugin_info *dp_registry_at(const dp_registry *reg, size_t i);
DP_EXPORT size_t dp_registry_refused_count(const dp_registry *reg);
DP_EXPORT const dp_refusal *dp_registry_refused_at(const dp_registry *reg, size_t i);
/* The directories actually searched, in order (existing ones only). */
DP_EXPORT size_t dp_registry_dir_count(const dp_registry *reg);
DP_EXPORT const char *dp_registry_dir_at(const dp_registry *reg, size_t i);

/* The plugin of this kind answering to name: its format, an alias, or its
 * id. Shadowed entries are never returned. NULL when none. */
DP_EXPORT const dp_plugin_info *dp_registry_find(const dp_registry *reg, dp_plugin_kind kind,
                                                 const char *name);
/* The importer/exporter whose extension is the longest suffix of path
 * ("x.tei.xml" prefers "tei.xml" over "xml"). NULL when none. */
DP_EXPORT const dp_plugin_info *dp_registry_find_by_path(const dp_registry *reg, dp_plugin_kind kind,
                                                         const char *path);
/* When name matches no plugin: the refusal of a file whose name suggests it
 * would have provided it ("<name>.so", "<name>-*.so" ...), else NULL. */
DP_EXPORT const dp_refusal *dp_registry_refusal_for(const dp_registry *reg, const char *name);

/* Opens the file providing info (once; RTLD_NOW|RTLD_LOCAL), re-checks its
 * descriptor and returns it. */
DP_EXPORT int dp_registry_load(dp_registry *reg, const dp_plugin_info *info,
                               const dp_plugin_desc **out, dp_error *err);
/* Whether info's file has been opened by this registry. */
DP_EXPORT int dp_registry_is_loaded(const dp_registry *reg, const dp_plugin_info *info);
/* Number of plugin files this registry has dlopened so far. */
DP_EXPORT size_t dp_registry_opened_files(const dp_registry *reg);

/* "importer", "exporter", "transform". */
DP_EXPORT const char *dp_plugin_kind_name(dp_plugin_kind kind);
/* "string", "bool", "int", "enum", "list". */
DP_EXPORT const char *dp_opt_type_name(dp_opt_type type);

#ifdef __cplusplus
}
#endif
#endif
