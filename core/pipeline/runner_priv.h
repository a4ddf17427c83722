/* The runner's state and the steps its files share. The runner is split by
 * job: runner.c (chain levels, threads, dp_pipeline_run), run_item.c (one
 * input: read, import, override, transform, export), run_output.c (writing
 * one built output and its media), run_incremental.c (chained sources,
 * up-to-date checks, stamps), run_report.c (results, report lines, the
 * runner's own warnings). */
#ifndef DOCPIPE_CORE_RUNNER_PRIV_H
#define DOCPIPE_CORE_RUNNER_PRIV_H

#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "pipeline/pipeline_priv.h"

typedef struct dpc_runner {
    dp_pipeline *p;
    dp_registry *reg;
    const dp_run_options *o;
    unsigned write_flags; /* DP_WRITE_DURABLE from --durable or the config */
    dpc_sink sink;
    pthread_mutex_t diag_lock;
    pthread_mutex_t work_lock;
    dpc_plan plan;
    dp_run_stats stats;
    dp_error first;
    int stop;
    size_t next, end, done;
    FILE *report;
    struct timespec config_mtime;
} dpc_runner;

/* The lock over the shared counters while threads run (none before). */
void dpc_run_lock(dpc_runner *r);
void dpc_run_unlock(dpc_runner *r);

/* run_item.c: runs one input; 0 or the first failure's code (already
 * reported). One function walks one item. */
int dpc_run_item(dpc_runner *r, const dpc_item *it, size_t *warnings, dp_error *item_err);

/* One output built in memory, with the resources its references name. */
typedef struct dpc_built {
    dp_buf *buf;
    dpc_media media;
} dpc_built;

/* run_output.c: an output that is the input file is refused before
 * anything is read. */
int dpc_run_refuse_output_over_input(const dpc_item *it, dp_error *err);
/* Writes built output k of it (its media first; the files it created go
 * again when the output cannot be written), then its stamp. */
int dpc_run_write_built(dpc_runner *r, const dpc_item *it, size_t k, const dp_doc *doc, dpc_built *b,
                        dp_error *err);

/* run_incremental.c */
int dpc_run_source_failed(dpc_runner *r, const dpc_item *it, dp_error *err);
int dpc_run_up_to_date(dpc_runner *r, const dpc_item *it);
int dpc_run_stamps_agree(dpc_runner *r, const dpc_item *it, int want_recipe);

/* run_report.c */
void dpc_run_record_failure(dpc_runner *r, const dp_error *e);
/* One warning of the runner's own (a content warning with a stable code),
 * at the config's line:col, counted with the run's warnings. */
void dpc_run_warn(dpc_runner *r, int line, int column, const char *code, const char *input, const char *msg);
void dpc_run_finish_item(dpc_runner *r, const dpc_item *it, int rc, const dp_error *item_err, int skipped,
                         size_t warnings, double ms);
void dpc_run_report_unclaimed(dpc_runner *r);
/* The diagnostics sink of a run: -v filter, --report lines, the caller's callback. */
void dpc_run_sink(const dp_diag *d, void *payload);

#endif
