/* docpipe: pipelines (YAML configs or one CLI conversion), the runner,
 * diagnostics, limits, atomic output and exit codes.
 *
 * A pipeline is a list of jobs; a job reads one input (a path or a glob),
 * applies metadata overrides and transforms, and writes one or more outputs
 * from that single parse. dp_pipeline_load parses a YAML config (docs/CONFIG.md)
 * and checks its schema; dp_pipeline_check resolves formats and plugin
 * options against a registry; dp_pipeline_run runs it. */
#ifndef DOCPIPE_DP_PIPELINE_H
#define DOCPIPE_DP_PIPELINE_H

#include "dp_common.h"
#include "dp_plugin.h"
#include "dp_registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Diagnostics: the library never prints; it hands each message here.   */

typedef enum dp_diag_level {
    DP_DIAG_INFO = 0,    /* shown with -v */
    DP_DIAG_WARNING = 1, /* a loss or a recovered problem */
    DP_DIAG_ERROR = 2    /* one file of a batch failed (the run goes on) */
} dp_diag_level;

typedef struct dp_diag {
    dp_diag_level level;
    const char *plugin; /* plugin id, NULL for the core */
    const char *file;   /* NULL when none */
    int line;           /* 0 when unknown */
    int column;
    const char *message; /* one line, no prefix */
    int code;            /* DP_DIAG_ERROR: the dp_status */
    /* ---- plugin ABI 1.2: the class, code and node of a warning ---- */
    int warn_class;          /* DP_DIAG_WARNING: a dp_warn_class */
    const char *warn_code;   /* DP_DIAG_WARNING: the plugin's stable code, NULL when none */
    const char *node_path;   /* warnings about a node: "/section[2]/para[3]/span[1]", else NULL */
    const char *input;       /* the input file the message is about, NULL when none */
} dp_diag;

/* Called from the running thread; with --jobs > 1 calls may come from
 * several threads at once (the runner serialises them). */
typedef void (*dp_diag_fn)(const dp_diag *diag, void *payload);

/* ------------------------------------------------------------------ */
/* Limits                                                               */

/* Fills the documented defaults (docs/CONFIG.md). */
DP_EXPORT void dp_limits_init(dp_limits *limits);
/* Sets one limit by its config name ("max-input-bytes", "max-depth",
 * "max-entity-expansion", "max-archive-bytes", "max-archive-entries",
 * "max-archive-ratio"); value is a decimal number, with an optional
 * K/M/G suffix for byte sizes. */
DP_EXPORT int dp_limits_set(dp_limits *limits, const char *key, const char *value, dp_error *err);

/* ------------------------------------------------------------------ */
/* Pipelines                                                            */

typedef struct dp_pipeline dp_pipeline;

/* Parses and schema-checks a YAML config. Relative paths in it resolve
 * against the config file's directory. */
DP_EXPORT int dp_pipeline_load(dp_pipeline **out, const char *config_path, dp_error *err);
/* The same from memory: path names the text in messages, base_dir anchors
 * relative paths (NULL: the current directory). */
DP_EXPORT int dp_pipeline_parse(dp_pipeline **out, const char *path, const char *text, size_t len,
                                const char *base_dir, dp_error *err);
/* An empty pipeline to fill with dp_pipeline_add_conversion. */
DP_EXPORT int dp_pipeline_new(dp_pipeline **out);
DP_EXPORT void dp_pipeline_free(dp_pipeline *pipeline);

/* Adds a job converting input ("-" = stdin) to output (NULL or "-" =
 * stdout). from/to: format names, NULL to infer from the extensions. */
DP_EXPORT int dp_pipeline_add_conversion(dp_pipeline *pipeline, const char *input, const char *from,
                                         const char *output, const char *to, dp_error *err);
/* Metadata override for every job (CLI -M key=value): a string value. */
DP_EXPORT int dp_pipeline_set_metadata(dp_pipeline *pipeline, const char *key, const char *value,
                                       dp_error *err);
/* A plugin option for every job (CLI -O key=value): given to each plugin of
 * the job that declares key; dp_pipeline_check fails if none does. */
DP_EXPORT int dp_pipeline_set_option(dp_pipeline *pipeline, const char *key, const char *value,
                                     dp_error *err);
/* The same for a switch that concerns only some formats (--unsafe sets
 * safe=false): given to the plugins declaring key, no error when none does. */
DP_EXPORT int dp_pipeline_set_option_if_declared(dp_pipeline *pipeline, const char *key, const char *value,
                                                 dp_error *err);
/* A transform appended to every job (CLI --transform NAME). */
DP_EXPORT int dp_pipeline_add_transform(dp_pipeline *pipeline, const char *name, dp_error *err);

/* An option of the transform added last (CLI --filter CMD,
 * --shift-heading-level-by N): unlike dp_pipeline_set_option it reaches
 * only that transform. */
DP_EXPORT int dp_pipeline_set_transform_option(dp_pipeline *pipeline, const char *key, const char *value,
                                               dp_error *err);
/* One more string in a list metadata override (CLI --css URL, repeatable). */
DP_EXPORT int dp_pipeline_append_metadata(dp_pipeline *pipeline, const char *key, const char *value,
                                          dp_error *err);
/* Metadata overrides from a YAML mapping in a file (CLI --metadata-file):
 * values keep their shape (lists, maps, booleans), scalars are text. */
DP_EXPORT int dp_pipeline_add_metadata_file(dp_pipeline *pipeline, const char *path, dp_error *err);

/* Runs only the index-th (1-based) of count deterministic slices of the
 * inputs (CLI --shard K/N): an input belongs to slice hash(path relative to
 * the config's directory) % count + 1, so every machine of a cluster
 * computes the same split. Chained jobs follow the inputs they derive
 * from. count 0 or 1 = everything. */
DP_EXPORT int dp_pipeline_set_shard(dp_pipeline *pipeline, unsigned index, unsigned count, dp_error *err);

/* Trust (docs/SECURITY.md): a config may be shared like a Makefile, so by
 * default one loaded with dp_pipeline_load/_parse may not add plugin
 * directories, run a transform that starts programs (filter), or write
 * outside its own directory (no "..", no absolute path, no symlink leading
 * out). The user allows each (CLI --allow-plugin-path, --allow-filter,
 * --allow-outside, --trust-config). A pipeline built with dp_pipeline_new
 * is the user's own command and trusted. */
#define DP_TRUST_PLUGIN_PATH 1u
#define DP_TRUST_FILTER 2u
#define DP_TRUST_OUTSIDE 4u
#define DP_TRUST_ALL 7u
/* Sets what the config may do (DP_TRUST_* bits). Fails with DP_ECONFIG at
 * the config's plugin-path when it has one and that is not allowed. */
DP_EXPORT int dp_pipeline_set_trust(dp_pipeline *pipeline, unsigned allow, dp_error *err);
/* The config's plugin-path entries (absolute), for dp_registry_options.dirs;
 * empty unless DP_TRUST_PLUGIN_PATH is allowed. */
DP_EXPORT const char *const *dp_pipeline_plugin_path(const dp_pipeline *pipeline);
/* The pipeline's limits (config `limits:` over the defaults); writable. */
DP_EXPORT dp_limits *dp_pipeline_limits(dp_pipeline *pipeline);

/* Resolves every format, transform and option against reg (errors carry the
 * config's file:line:column). Loads the plugins whose option tables it needs
 * only when the registry does not know them already. */
DP_EXPORT int dp_pipeline_check(dp_pipeline *pipeline, dp_registry *reg, dp_error *err);
/* The plan as text (for --dry-run): one block per job, inputs expanded. */
DP_EXPORT int dp_pipeline_plan(dp_pipeline *pipeline, dp_registry *reg, dp_buf *out, dp_error *err);

/* What happened to one input; handed to dp_run_options.on_item after each
 * input (serialised, in completion order) for progress lines and reports. */
typedef struct dp_item_result {
    const char *input;          /* "-" for stdin */
    const char *const *outputs; /* paths, NULL entries for stdout */
    size_t noutputs;
    int status;                 /* 0 or the dp_status of the failure */
    const char *error;          /* the failure's message, NULL when ok */
    int skipped;                /* up to date (incremental) */
    size_t warnings;
    double milliseconds;
    size_t done;                /* inputs finished so far, this one included */
    size_t total;               /* inputs in the run */
} dp_item_result;

typedef void (*dp_item_fn)(const dp_item_result *result, void *payload);

typedef struct dp_run_options {
    unsigned int version;
    int verbose;
    int strict;
    dp_diag_fn diag;
    void *diag_payload;
    unsigned int jobs;       /* parallel files; 0 = number of CPUs */
    int fail_fast;           /* stop at the first failed file */
    int force;               /* rebuild outputs that look up to date */
    int incremental;         /* skip outputs newer than their input, config and plugins */
    const char *report_path; /* JSON lines, one per input; NULL = none */
    dp_item_fn on_item;      /* may be NULL; gets diag_payload */
    int durable;             /* fsync each output and its directory (version 2; also the
                              * config's "durable: true") */
} dp_run_options;

#define DP_RUN_OPTIONS_VERSION 2
#define DP_RUN_OPTIONS_INIT { DP_RUN_OPTIONS_VERSION, 0, 0, NULL, NULL, 1, 0, 0, 0, NULL, NULL, 0 }

typedef struct dp_run_stats {
    size_t inputs;    /* files considered */
    size_t converted; /* inputs whose every output was written */
    size_t skipped;   /* up to date */
    size_t failed;
    size_t warnings;
    size_t outputs;   /* files written */
} dp_run_stats;

/* Runs every job (dp_pipeline_check first if not done). A failing input is
 * reported through diag (DP_DIAG_ERROR) and the others go on unless
 * fail_fast; the return value and err are those of the first failure. */
DP_EXPORT int dp_pipeline_run(dp_pipeline *pipeline, dp_registry *reg, const dp_run_options *opts,
                              dp_run_stats *stats, dp_error *err);

/* ------------------------------------------------------------------ */
/* Output and exit codes                                                */

/* Writes data to path atomically: a temporary file in the same directory,
 * renamed over path. On failure the previous file is untouched and the
 * temporary removed. A path naming something other than a regular file (a
 * device, a FIFO) is written directly.
 *
 * Atomicity (a failed or interrupted run never leaves a half-written file)
 * is always there. Durability across a power cut is DP_WRITE_DURABLE: fsync
 * of the file before the rename and of the directory after it, about 9 ms
 * per file on an ordinary disk, so it is asked for (--durable, "durable:
 * true"), not the default. dp_write_file_atomic is dp_write_file with
 * DP_WRITE_DURABLE. */
#define DP_WRITE_DURABLE 1u
DP_EXPORT int dp_write_file(const char *path, const void *data, size_t len, unsigned flags, dp_error *err);
DP_EXPORT int dp_write_file_atomic(const char *path, const void *data, size_t len, dp_error *err);

/* The CLI's exit code for a dp_status (0 for DP_OK). */
typedef enum dp_exit {
    DP_EXIT_OK = 0,
    DP_EXIT_INTERNAL = 1, /* a bug, or out of memory */
    DP_EXIT_USAGE = 2,    /* bad command line */
    DP_EXIT_INPUT = 3,    /* unreadable or malformed input, or a safety limit */
    DP_EXIT_CONFIG = 4,   /* bad pipeline config */
    DP_EXIT_PLUGIN = 5,   /* plugin missing, refused or failed */
    DP_EXIT_OUTPUT = 6,   /* output could not be written */
    DP_EXIT_LOSS = 7      /* --strict and a loss was reported */
} dp_exit;
DP_EXPORT int dp_exit_code(int status);

#ifdef __cplusplus
}
#endif
#endif
