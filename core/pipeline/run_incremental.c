/* Whether an input needs converting: a chained input whose source failed
 * is not converted; with incremental runs, one whose outputs are newer than
 * everything they come from, and whose stamps (stamp.c) agree, is skipped.
 * Split from runner.c: the rules of skipping are one job. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "pipeline/runner_priv.h"

/* Up to date: every output exists and is not older than the input, the
 * config and every plugin file the input goes through (make's rule: an
 * equal time counts as up to date). Equal times are common: the file
 * system's clock ticks every few milliseconds, and a chained job's input is
 * the output another job wrote a moment before. */
int dpc_run_up_to_date(dpc_runner *r, const dpc_item *it)
{
    const dpc_job *j = &r->p->jobs[it->job];
    struct stat in, st;
    struct timespec newest;
    size_t k;
    if (strcmp(it->input, "-") == 0 || stat(it->input, &in) != 0)
        return 0;
    newest = in.st_mtim;
#define NEWER(a, b) ((a).tv_sec > (b).tv_sec || ((a).tv_sec == (b).tv_sec && (a).tv_nsec > (b).tv_nsec))
    if (NEWER(r->config_mtime, newest))
        newest = r->config_mtime;
    if (stat(it->importer->file, &st) == 0 && NEWER(st.st_mtim, newest))
        newest = st.st_mtim;
    for (k = 0; k < j->ntransforms; k++)
        if (stat(j->transforms[k].plugin->file, &st) == 0 && NEWER(st.st_mtim, newest))
            newest = st.st_mtim;
    for (k = 0; k < it->noutputs; k++) {
        if (!it->outputs[k])
            return 0;
        if (stat(it->exporters[k]->file, &st) == 0 && NEWER(st.st_mtim, newest))
            newest = st.st_mtim;
    }
    for (k = 0; k < it->noutputs; k++)
        if (stat(it->outputs[k], &st) != 0 || NEWER(newest, st.st_mtim))
            return 0;
#undef NEWER
    return 1;
}

/* A chained input whose producer failed in this run may be a stale file
 * from an earlier run: converting it (or calling its outputs up to date)
 * would pass off old content as new. */
int dpc_run_source_failed(dpc_runner *r, const dpc_item *it, dp_error *err)
{
    const dpc_item *src;
    if (it->src_item < 0 || r->plan.items[it->src_item].out_ok[it->src_output])
        return 0;
    src = &r->plan.items[it->src_item];
    dp_error_set(err, DP_EINPUT, it->input, 0, 0, "not converted: its source %s (job '%s') failed", src->input,
                 r->p->jobs[src->job].name ? r->p->jobs[src->job].name : "?");
    dpc_run_record_failure(r, err);
    return err->code;
}

/* Up to date by the stamps too (stamp.c): the same job, input bytes,
 * plugins and options made every output. An output whose stamp names
 * another job is reported: two configs write the same file, and the last
 * one run wins. */
int dpc_run_stamps_agree(dpc_runner *r, const dpc_item *it, int want_recipe)
{
    int agree = 1;
    if (!r->p->file)
        return want_recipe ? 0 : 1;
    for (size_t k = 0; k < it->noutputs; k++) {
        char other[1100];
        if (!it->outputs[k])
            continue;
        if (!dpc_stamp_check(r->p, it, k, want_recipe && agree, other, sizeof other))
            agree = 0;
        if (other[0]) {
            char msg[2400];
            snprintf(msg, sizeof msg, "%s was written by another job (%s): rebuilt for this one; two jobs "
                     "writing one file replace each other's output", it->outputs[k], other);
            dpc_run_warn(r, r->p->jobs[it->job].line, r->p->jobs[it->job].column, "run.shared-output", it->input,
                         msg);
        }
    }
    return agree;
}
