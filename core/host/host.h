/* Internal declarations shared by the context, registry, loader, config
 * parser and runner (not installed). Symbols here are hidden: the library is
 * built with -fvisibility=hidden and only DP_EXPORT functions are public. */
#ifndef DOCPIPE_CORE_HOST_H
#define DOCPIPE_CORE_HOST_H

#include <stdarg.h>
#include <stddef.h>

#include "docpipe/docpipe.h"

/* ---- small helpers (strutil.c) ---- */

char *dpu_strdup(const char *s);              /* NULL-safe; NULL on ENOMEM */
char *dpu_strndup(const char *s, size_t n);
char *dpu_printf(const char *fmt, ...) DP_PRINTF(1, 2); /* malloc'd */
char *dpu_vprintf(const char *fmt, va_list ap) DP_PRINTF(1, 0); /* malloc'd */
int dpu_streq(const char *a, const char *b);   /* NULL-safe */
int dpu_strcaseeq(const char *a, const char *b);
/* Edit distance, capped: returns cap+1 as soon as it is exceeded. */
size_t dpu_edit_distance(const char *a, const char *b, size_t cap);
/* The candidate closest to word if close enough to suggest, else NULL. */
const char *dpu_suggest(const char *word, const char *const *candidates, size_t n);
/* path joined to base unless absolute, normalised; "-" kept; malloc'd. */
char *dpu_path_join(const char *base, const char *path);
/* Lexically cleaned path (no ".", "//", "x/.."); malloc'd. */
char *dpu_path_normalize(const char *path);
/* Directory part of path ("." when none); malloc'd. */
char *dpu_dirname(const char *path);
const char *dpu_basename(const char *path);
/* Whether name ends with "." ext (case-insensitive). */
int dpu_has_ext(const char *name, const char *ext);
uint64_t dpu_hash64(const char *s);
/* Parses true/false/yes/no/on/off/1/0; -1 if none. */
int dpu_parse_bool(const char *s);
/* Parses a decimal long; 0 ok, -1 bad. */
int dpu_parse_long(const char *s, long *out);

/* A growable array of owned strings, NULL-terminated at all times. */
typedef struct dpu_strv {
    char **v;
    size_t n;
    size_t cap;
} dpu_strv;
int dpu_strv_push(dpu_strv *sv, const char *s);       /* copies */
int dpu_strv_push_owned(dpu_strv *sv, char *s);       /* takes s (freed on failure) */
int dpu_strv_contains(const dpu_strv *sv, const char *s);
void dpu_strv_clear(dpu_strv *sv);

/* Reads a whole file (NUL-terminated, len excludes the NUL), refusing more
 * than max bytes; "-" reads stdin. Error codes DP_EINPUT / DP_ELIMIT. */
int dpu_read_file(const char *path, size_t max, unsigned char **data, size_t *len, dp_error *err);

/* ---- option values (given by config or CLI) ---- */

typedef struct dpc_optval {
    char *key;
    char *value;   /* scalar text; NULL for a list */
    dpu_strv items; /* list values */
    int is_list;
    int is_map;    /* a mapping was given: always a type error */
    int line, column;   /* of the key; 0 when from the CLI */
    int vline, vcolumn; /* of the value */
    int if_declared;    /* from a switch such as --unsafe: no error where no plugin declares it */
} dpc_optval;

typedef struct dpc_optset {
    dpc_optval *v;
    size_t n, cap;
} dpc_optset;

dpc_optval *dpc_optset_add(dpc_optset *set, const char *key);
const dpc_optval *dpc_optset_find(const dpc_optset *set, const char *key);
void dpc_optset_clear(dpc_optset *set);
/* Checks value against spec: type, enum choices. Fills err with the
 * position of the value (file may be NULL). */
int dpc_opt_check(const dp_option_spec *spec, const dpc_optval *val, const char *file,
                  const char *plugin_id, dp_error *err);
const dp_option_spec *dpc_spec_find(const dp_option_spec *specs, const char *key);

/* ---- the context (ctx.c) ---- */

typedef struct dpc_resolved {
    const char *value; /* scalar (points into the optset or the spec) */
    char **items;      /* list, owned */
    size_t nitems;
    int set;
} dpc_resolved;

/* The sink every context reports to; shared by the contexts of one run. */
typedef struct dpc_sink {
    dp_diag_fn fn;
    void *payload;
    void *lock; /* pthread_mutex_t *, NULL when single-threaded */
} dpc_sink;

/* ---- resources an exporter names (media.c) ---- */

#define DPC_MEDIA_KINDS 5 /* image, font, audio/video, stylesheet, other */

typedef struct dpc_media_item {
    char *name; /* the resource's name (the reference in the tree) */
    char *url;  /* what the exporter writes; NULL: the reference unchanged */
    char *path; /* the file to write (media folder), NULL for none */
    int created; /* the runner made it (a failed output takes it away) */
} dpc_media_item;

typedef struct dpc_media {
    int mode;         /* 0 until the first reference (media.c) */
    int explicit_dir; /* media-dir given: always copy */
    char *dir;        /* the media folder, as a path to write to */
    char *url_dir;    /* the same, relative to the output's folder */
    dpc_media_item *items;
    size_t n, cap;
    size_t unplaced[DPC_MEDIA_KINDS]; /* resources with no place, per kind */
} dpc_media;

void dpc_media_clear(dpc_media *m);
/* One warning per kind of resource that found no place (end of an export). */
void dpc_media_report(dp_ctx *ctx);

struct dp_ctx {
    const char *plugin_id;
    const dp_option_spec *specs;
    dpc_resolved *values; /* one per spec */
    size_t nvalues;
    const dp_limits *limits;
    const char *input_path;
    const char *output_path;
    const char *source_path; /* the document's origin, for node positions */
    int verbose;
    int strict;
    const dpc_sink *sink;
    size_t warnings;     /* content warnings: these fail --strict */
    size_t presentation; /* presentation warnings (DP_WARN_PRESENTATION) */
    dp_error *err;
    dpc_media media; /* exporters: where the resources they name go */
};

/* Sets up ctx for one call of plugin desc with the given options (already
 * checked). Frees nothing of the inputs; dpc_ctx_fini releases its own. */
/* given: the step's options; extra: options that win over them (CLI -O),
 * either may be NULL. */
int dpc_ctx_init(dp_ctx *ctx, const char *plugin_id, const dp_option_spec *specs,
                 const dpc_optset *given, const dpc_optset *extra, const dp_limits *limits,
                 const dpc_sink *sink, dp_error *err);
void dpc_ctx_fini(dp_ctx *ctx);
/* Reports through the sink (locks if needed). */
void dpc_emit(const dpc_sink *sink, const dp_diag *d);

/* ---- one plugin call on a document (steps.c) ---- */

/* One plugin call: what it needs. The runner and the in-memory API
 * (dp_memory.h, dp_convert.h) fill one per step. */
typedef struct dpc_call {
    const dp_plugin_info *plugin;
    const dpc_optset *given;  /* the step's options (a config's), may be NULL */
    const dpc_optset *extra;  /* options that win over them (CLI -O), may be NULL */
    const dp_limits *limits;
    const dpc_sink *sink;
    const char *source_path;  /* the document's origin: messages and node positions */
    int verbose;
    int strict;               /* a reported loss fails the step (DP_ELOSS) */
    const dp_input *in;       /* importers: the bytes (NUL-terminated, dp_input) */
    dp_doc **made;            /* importers: the new document (NULL on failure) */
    dp_doc *doc;              /* transforms and exporters */
    const char *output;       /* exporters: where the bytes will go, NULL for memory or stdout */
    dp_buf *buf;              /* exporters */
    size_t warnings;          /* out: the plugin's warnings (both classes) are added here */
    dpc_media *media;         /* exporters, may be NULL: out, the resources to write beside the output */
} dpc_call;

/* Loads the plugin, calls it with a fresh context and checks the result: a
 * tree that fails dp_doc_check is DP_EPLUGIN, a loss under strict is
 * DP_ELOSS; err names the plugin and the file (steps.c). */
int dpc_call_plugin(dp_registry *reg, dpc_call *c, dp_error *err);

/* ---- the same on memory (memory_api.c) ---- */

/* The plugin of kind for format (name, alias or id); DP_EPLUGIN when none. */
int dpc_find_plugin(dp_registry *reg, dp_plugin_kind kind, const char *format, const dp_plugin_info **info,
                    dp_error *err);
/* An import (c->plugin an importer) of len bytes (copied, NUL added) named path, refusing more
 * than c->limits->max_input_bytes (DP_ELIMIT) as the runner refuses a file. */
int dpc_import_bytes(dp_registry *reg, dpc_call *c, const char *path, const void *data, size_t len,
                     dp_doc **out, dp_error *err);

#endif
