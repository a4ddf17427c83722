/* Internal model of a pipeline, shared by the config parser (config*.c), the
 * pipeline API and checks (pipeline.c), input expansion (expand.c) and the
 * runner (runner.c and its run_*.c, runner_priv.h). */
#ifndef DOCPIPE_CORE_PIPELINE_PRIV_H
#define DOCPIPE_CORE_PIPELINE_PRIV_H

#include "host/host.h"

/* A metadata override value, as written in YAML or on the command line. */
typedef enum { MV_STRING, MV_BOOL, MV_LIST, MV_MAP } dpc_mtype;

typedef struct dpc_mval {
    dpc_mtype type;
    char *s;               /* MV_STRING; MV_BOOL: "true"/"false" */
    struct dpc_mval *items; /* MV_LIST values, MV_MAP values */
    char **keys;           /* MV_MAP keys */
    size_t n;
    size_t cap;            /* of items, when a list grows one by one (--css) */
} dpc_mval;

typedef struct dpc_meta_set {
    char *key;
    dpc_mval val;
    int line, column;
} dpc_meta_set;

/* An input, a transform or an output: a plugin plus its options. */
typedef struct dpc_step {
    char *name;        /* format / transform name; NULL = infer from the path */
    int name_line, name_column;
    char *path;        /* input pattern or output path as written (NULL: stdout / default) */
    int path_line, path_column;
    dpc_optset opts;
    int line, column;  /* of the step itself */
    const dp_plugin_info *plugin; /* resolved by dp_pipeline_check (NULL: per input file) */
} dpc_step;

typedef struct dpc_job {
    char *name;
    int line, column;
    dpc_step input;
    char *input_job;   /* chaining: the job whose outputs are this job's inputs */
    int input_job_line, input_job_column;
    dpc_meta_set *meta;
    size_t nmeta, meta_cap;
    dpc_step *transforms;
    size_t ntransforms, transforms_cap;
    dpc_step *outputs;
    size_t noutputs;
    char *output_dir;  /* as written; NULL = the config's directory */
    int output_dir_line, output_dir_column;
    int level;         /* dependency level (0 = no input job) */
    dpu_strv exclude;  /* globs (relative to the config) of files the input glob leaves out */
} dpc_job;

struct dp_pipeline {
    char *file;      /* config path for messages; NULL for a CLI pipeline */
    char *base_dir;  /* relative paths resolve here; NULL = cwd */
    dpu_strv plugin_path;
    int plugin_path_line, plugin_path_column;
    unsigned trust; /* DP_TRUST_*: what the config may do (all for a CLI pipeline) */
    dp_limits limits;
    int durable; /* config "durable: true": fsync every output */
    dpc_job *jobs;
    size_t njobs, jobs_cap;
    dpc_optset cli_opts;
    dpc_meta_set *cli_meta;
    size_t ncli_meta, cli_meta_cap;
    dpu_strv cli_transforms;
    unsigned shard_index; /* 1-based; 0 = no sharding */
    unsigned shard_count;
    int checked;
};

void dpc_mval_clear(dpc_mval *v);
/* Sets key (may be dotted, "source.url": maps are made on the way) to
 * value in doc's metadata (meta_apply.c). 0 or DP_ENOMEM. */
int dpc_apply_meta(dp_doc *doc, const char *key, const dpc_mval *value);
/* A cover-image override that names a file: read into a resource of that
 * name, relative to base (NULL: the current folder). DP_EINPUT when it is
 * missing or not an image (meta_apply.c). */
int dpc_load_cover_override(dp_doc *doc, const char *base, const dpc_mval *value, size_t max, dp_error *err);
void dpc_step_clear(dpc_step *s);
void dpc_job_clear(dpc_job *j);

/* An option given to every step (CLI -O, dp_convert's option:KEY) against
 * the plugins of one conversion (NULL entries skipped): checked against
 * each plugin declaring it (DP_EUSAGE when it does not fit), *declared set
 * when one does. dpc_opt_undeclared: the error when none did. */
int dpc_opt_check_among(const dpc_optval *v, const dp_plugin_info *const *plugins, size_t n, int *declared,
                        dp_error *err);
int dpc_opt_undeclared(const dpc_optval *v, const dp_plugin_info *const *plugins, size_t n, dp_error *err);

/* Resolves path against the pipeline's base dir (malloc'd). */
char *dpc_resolve(const dp_pipeline *p, const char *path);

/* One unit of work: one input file of one job, and where its outputs go. */
typedef struct dpc_item {
    size_t job;
    char *input;                 /* resolved path, "-" = stdin */
    const dp_plugin_info *importer;
    char *reldir;                /* the input's directory below the glob's fixed part */
    size_t noutputs;
    char **outputs;              /* per job output: resolved path, NULL = stdout */
    const dp_plugin_info **exporters;
    /* chaining: the item and output this input is written by (-1: none) */
    long src_item;
    size_t src_output;
    unsigned char *out_ok;       /* run time: output k written, or up to date */
} dpc_item;

typedef struct dpc_plan {
    dpc_item *items;
    size_t nitems, items_cap;
    dpu_strv unclaimed;  /* files a job's glob matched that no importer reads: skipped, one warning each */
    size_t *unclaimed_job; /* the job of each */
    size_t unclaimed_job_cap;
} dpc_plan;

/* Expands every job's input into items (globs, chained jobs), infers the
 * formats, computes output paths and checks they do not collide. */
int dpc_plan_build(dp_pipeline *p, dp_registry *reg, dpc_plan *plan, dp_error *err);
void dpc_plan_clear(dpc_plan *plan);

/* Stamps beside a config's outputs (stamp.c): what made output k of it.
 * dpc_stamp_check: 1 when the stamp names this job and, if want_recipe,
 * the same input bytes, plugins, versions and options; other_job gets the
 * job the stamp names when it is another one ("" otherwise). */
int dpc_stamp_check(const dp_pipeline *p, const dpc_item *it, size_t k, int want_recipe, char *other_job,
                    size_t cap);
int dpc_stamp_write(const dp_pipeline *p, const dpc_item *it, size_t k);

/* Trust checks (trust.c): each fails with DP_ECONFIG at the config's
 * file:line:column naming the flag that would allow it. */
int dpc_trust_plugin_path(const dp_pipeline *p, dp_error *err);
int dpc_trust_transform(const dp_pipeline *p, const dpc_step *s, dp_error *err);
/* An output path (resolved, from the step's pattern) inside the config's
 * directory, lexically: no "..", no absolute path. */
int dpc_trust_output(const dp_pipeline *p, const dpc_job *j, const dpc_step *o, const char *rel,
                     const char *resolved, dp_error *err);
/* At write time, before any directory is made: nothing on the way to path
 * (a directory or path itself) is a symlink leading out of the config's
 * directory. */
int dpc_trust_write(const dp_pipeline *p, const char *path, dp_error *err);

/* The process umask, read once (atomic.c): reading it with umask() sets it
 * for a moment, under every other thread's file creation. */
unsigned dpc_umask(void);

/* Glob with "**" (any number of directories); results sorted. */
int dpc_glob(const char *pattern, dpu_strv *out, dp_error *err);
int dpc_has_glob(const char *s);

#endif
