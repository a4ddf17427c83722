/* The runner: for each input of the plan, in chain levels (a chained job
 * reads what the level before wrote), decide whether it needs converting
 * and convert it (run_item.c); inputs of one level may run in parallel on a
 * small pool of threads. Every plugin the plan uses is opened first. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/runner_priv.h"

void dpc_run_lock(dpc_runner *r)
{
    if (r->sink.lock)
        pthread_mutex_lock(&r->work_lock);
}

void dpc_run_unlock(dpc_runner *r)
{
    if (r->sink.lock)
        pthread_mutex_unlock(&r->work_lock);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void process(dpc_runner *r, size_t idx)
{
    const dpc_item *it = &r->plan.items[idx];
    size_t warnings = 0;
    double t0 = now_ms();
    int rc = 0, skipped = 0;
    dp_error item_err;
    dp_error_clear(&item_err);
    rc = dpc_run_source_failed(r, it, &item_err);
    int fresh = rc == 0 && r->o->incremental && !r->o->force && dpc_run_up_to_date(r, it);
    if (rc == 0 && !dpc_run_stamps_agree(r, it, fresh))
        fresh = 0;
    if (fresh) {
        size_t k;
        skipped = 1;
        for (k = 0; k < it->noutputs; k++)
            it->out_ok[k] = 1;
    } else if (rc == 0) {
        rc = dpc_run_item(r, it, &warnings, &item_err);
    }
    dpc_run_finish_item(r, it, rc, &item_err, skipped, warnings, now_ms() - t0);
}

static void *worker(void *arg)
{
    dpc_runner *r = arg;
    for (;;) {
        size_t idx;
        pthread_mutex_lock(&r->work_lock);
        if (r->stop || r->next >= r->end) {
            pthread_mutex_unlock(&r->work_lock);
            break;
        }
        idx = r->next++;
        pthread_mutex_unlock(&r->work_lock);
        process(r, idx);
    }
    return NULL;
}

static unsigned cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* Every plugin the plan uses is opened before any thread starts (the
 * registry is not thread-safe; afterwards it is only read). */
static int load_all(dpc_runner *r, dp_error *err)
{
    size_t i, k;
    const dp_plugin_desc *d;
    int rc;
    for (i = 0; i < r->plan.nitems; i++) {
        const dpc_item *it = &r->plan.items[i];
        const dpc_job *j = &r->p->jobs[it->job];
        if ((rc = dp_registry_load(r->reg, it->importer, &d, err)) != 0)
            return rc;
        for (k = 0; k < j->ntransforms; k++)
            if ((rc = dp_registry_load(r->reg, j->transforms[k].plugin, &d, err)) != 0)
                return rc;
        for (k = 0; k < it->noutputs; k++)
            if ((rc = dp_registry_load(r->reg, it->exporters[k], &d, err)) != 0)
                return rc;
    }
    return 0;
}

int dp_pipeline_run(dp_pipeline *p, dp_registry *reg, const dp_run_options *opts, dp_run_stats *stats,
                    dp_error *err)
{
    dpc_runner r;
    dp_run_options defaults = DP_RUN_OPTIONS_INIT;
    unsigned nthreads;
    size_t start;
    int rc;

    if (stats)
        memset(stats, 0, sizeof *stats);
    if (!p || !reg)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_pipeline_run: NULL argument");
    if (!opts)
        opts = &defaults;
    /* Version 1 had no durable field: do not read past its end. */
    if (opts->version != DP_RUN_OPTIONS_VERSION && opts->version != 1)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_run_options version %u unknown", opts->version);
    if (!p->checked && (rc = dp_pipeline_check(p, reg, err)) != 0)
        return rc;

    (void)dpc_umask(); /* read before any thread exists (atomic.c) */
    memset(&r, 0, sizeof r);
    r.p = p;
    r.reg = reg;
    r.o = opts;
    r.write_flags = (opts->version >= 2 && opts->durable) || p->durable ? DP_WRITE_DURABLE : 0;
    r.sink.fn = dpc_run_sink;
    r.sink.payload = &r;
    dp_error_clear(&r.first);
    pthread_mutex_init(&r.diag_lock, NULL);
    pthread_mutex_init(&r.work_lock, NULL);
    if (p->file) {
        struct stat st;
        if (stat(p->file, &st) == 0)
            r.config_mtime = st.st_mtim;
    }
    if ((rc = dpc_plan_build(p, reg, &r.plan, err)) != 0)
        goto done;
    if ((rc = load_all(&r, err)) != 0)
        goto done;
    if (opts->report_path) {
        r.report = fopen(opts->report_path, "we");
        if (!r.report) {
            rc = dp_error_set(err, DP_EOUTPUT, opts->report_path, 0, 0, "cannot write the report: %s",
                              strerror(errno));
            goto done;
        }
    }
    r.stats.inputs = r.plan.nitems;
    dpc_run_report_unclaimed(&r);

    nthreads = opts->jobs ? opts->jobs : cpu_count();
    if (nthreads > 256)
        nthreads = 256;
    for (start = 0; start < r.plan.nitems && !r.stop;) {
        /* one chain level at a time: a chained job reads what the level
         * before it wrote */
        int level = p->jobs[r.plan.items[start].job].level;
        size_t end = start, n;
        while (end < r.plan.nitems && p->jobs[r.plan.items[end].job].level == level)
            end++;
        n = end - start;
        if (nthreads <= 1 || n <= 1) {
            size_t i;
            for (i = start; i < end && !r.stop; i++)
                process(&r, i);
        } else {
            pthread_t tids[256];
            unsigned t, nt, started = 0;
            /* The first input runs alone. This is not what makes lazy
             * library initialisation safe: the loader runs each module's
             * init hook once, under its lock, before any of its plugin
             * functions (docs/PLUGINS.md), since the first input may fail
             * early or use other formats. It is kept as a small
             * optimisation only: the one-time set-up (plugin options,
             * library init) happens before the threads start instead of
             * under their contention. */
            process(&r, start);
            n--;
            nt = nthreads < n ? nthreads : (unsigned)n;
            r.sink.lock = &r.diag_lock;
            r.next = start + 1;
            r.end = end;
            for (t = 0; t < nt; t++)
                if (pthread_create(&tids[t], NULL, worker, &r) == 0)
                    started++;
            if (started == 0)
                worker(&r);
            for (t = 0; t < started; t++)
                pthread_join(tids[t], NULL);
            r.sink.lock = NULL;
        }
        start = end;
    }
    rc = r.first.code;
    if (rc && err && err->code == 0)
        *err = r.first;
done:
    if (r.report)
        fclose(r.report);
    if (stats)
        *stats = r.stats;
    dpc_plan_clear(&r.plan);
    pthread_mutex_destroy(&r.diag_lock);
    pthread_mutex_destroy(&r.work_lock);
    return rc;
}
