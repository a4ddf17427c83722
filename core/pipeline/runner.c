/* The runner: for each input of the plan, read it, import it once, apply
 * metadata overrides and transforms, export every output into a buffer and
 * write it atomically. Inputs of one chain level may run in parallel. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pipeline/pipeline_priv.h"

typedef struct runner {
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
} runner;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void emit_error(runner *r, const dp_error *e)
{
    dp_diag d;
    memset(&d, 0, sizeof d);
    d.level = DP_DIAG_ERROR;
    d.plugin = e->plugin[0] ? e->plugin : NULL;
    d.file = e->file[0] ? e->file : NULL;
    d.line = e->line;
    d.column = e->column;
    d.message = e->message;
    d.code = e->code;
    dpc_emit(&r->sink, &d);
}

static void record_failure(runner *r, const dp_error *e)
{
    emit_error(r, e);
    if (r->sink.lock)
        pthread_mutex_lock(&r->work_lock);
    if (r->first.code == 0)
        r->first = *e;
    if (r->o->fail_fast)
        r->stop = 1;
    if (r->sink.lock)
        pthread_mutex_unlock(&r->work_lock);
}

static int same_file(const char *a, const struct stat *sb)
{
    struct stat sa;
    return a && stat(a, &sa) == 0 && sa.st_dev == sb->st_dev && sa.st_ino == sb->st_ino;
}

static int write_output(const char *path, unsigned flags, const dp_plugin_info *exporter, const dp_buf *buf,
                        dp_error *err)
{
    if (path)
        return dp_write_file(path, dp_buf_data(buf), dp_buf_len(buf), flags, err);
    if (exporter->binary_output && isatty(STDOUT_FILENO))
        return dp_error_set(err, DP_EUSAGE, NULL, 0, 0,
                            "refusing to write binary %s output to a terminal; use -o FILE", exporter->format);
    if (fwrite(dp_buf_data(buf), 1, dp_buf_len(buf), stdout) != dp_buf_len(buf) || fflush(stdout) != 0)
        return dp_error_set(err, DP_EOUTPUT, "<stdout>", 0, 0, "cannot write to standard output: %s",
                            strerror(errno));
    return 0;
}

static int mkdirs_for(const char *path)
{
    char *dir = dpu_dirname(path), *p;
    if (!dir)
        return DP_ENOMEM;
    for (p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            (void)mkdir(dir, 0777);
            *p = '/';
        }
    }
    (void)mkdir(dir, 0777);
    free(dir);
    return 0;
}

/* Up to date: every output exists and is not older than the input, the
 * config and every plugin file the input goes through (make's rule: an
 * equal time counts as up to date). Equal times are common: the file
 * system's clock ticks every few milliseconds, and a chained job's input is
 * the output another job wrote a moment before. */
static int up_to_date(runner *r, const dpc_item *it)
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

/* ---- one input: read, import, override, transform, export ---- */

/* One plugin call of an input's sequence, made by the step shared with the
 * in-memory API (host/steps.c: load, context, warnings, tree check, strict
 * rule); the runner supplies its options, limits, sink and flags. */
typedef struct plugin_call {
    const dp_plugin_info *info;
    const dpc_optset *opts; /* the step's own options (the CLI's -O win over them) */
    const char *input;      /* the item's input: messages and node positions */
    const char *output;     /* exporters: the output path, NULL for stdout */
    const dp_input *in;     /* importers */
    dp_doc **made;          /* importers: the new document */
    dp_doc *doc;            /* transforms and exporters */
    dp_buf *buf;            /* exporters */
    dpc_media *media;       /* exporters: the resources to write with the output */
} plugin_call;

static int call_plugin(runner *r, const plugin_call *c, size_t *warnings, dp_error *err)
{
    dpc_call call;
    int rc;
    memset(&call, 0, sizeof call);
    call.plugin = c->info;
    call.given = c->opts;
    call.extra = &r->p->cli_opts;
    call.limits = &r->p->limits;
    call.sink = &r->sink;
    call.source_path = c->input;
    call.verbose = r->o->verbose;
    call.strict = r->o->strict;
    call.in = c->in;
    call.made = c->made;
    call.doc = c->doc;
    call.output = c->output;
    call.buf = c->buf;
    call.media = c->media;
    rc = dpc_call_plugin(r->reg, &call, err);
    *warnings += call.warnings;
    return rc;
}

static int refuse_output_over_input(const dpc_item *it, dp_error *err)
{
    struct stat in_st;
    if (strcmp(it->input, "-") == 0 || stat(it->input, &in_st) != 0)
        return 0;
    for (size_t k = 0; k < it->noutputs; k++)
        if (same_file(it->outputs[k], &in_st))
            return dp_error_set(err, DP_EOUTPUT, it->outputs[k], 0, 0,
                                "output is the input file; refusing to overwrite it");
    return 0;
}

static int read_and_import(runner *r, const dpc_item *it, dp_doc **doc, size_t *warnings, dp_error *err)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = dpu_read_file(it->input, r->p->limits.max_input_bytes, &data, &len, err);
    if (rc == 0) {
        dp_input in = {it->input, data, len};
        plugin_call c = {it->importer, &r->p->jobs[it->job].input.opts, it->input, NULL, &in, doc, NULL, NULL, NULL};
        rc = call_plugin(r, &c, warnings, err);
    }
    free(data); /* the tree holds copies: the input bytes go before any output is built */
    return rc;
}

/* Metadata overrides: the config's, then the command line's. */
static int apply_overrides(runner *r, const dpc_job *j, dp_doc *doc, dp_error *err)
{
    for (size_t k = 0; k < j->nmeta + r->p->ncli_meta; k++) {
        const dpc_meta_set *set = k < j->nmeta ? &j->meta[k] : &r->p->cli_meta[k - j->nmeta];
        if (dpc_apply_meta(doc, set->key, &set->val) != 0)
            return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory setting metadata");
        if (strcmp(set->key, "cover-image") == 0 &&
            dpc_load_cover_override(doc, k < j->nmeta ? r->p->base_dir : NULL, &set->val,
                                    r->p->limits.max_input_bytes, err) != 0)
            return err->code;
    }
    return 0;
}

/* The resources the export placed in its media folder (host/media.c), each
 * written atomically like the output, before it: an output on disk never
 * names a file that is not there. */
static int write_media(runner *r, dpc_media *m, const dp_doc *doc, dp_error *err)
{
    for (size_t i = 0; i < m->n; i++) {
        dpc_media_item *mi = &m->items[i];
        const dp_resource *res = mi->path ? dp_doc_resource_find(doc, mi->name) : NULL;
        struct stat st;
        int rc = 0;
        if (!res)
            continue;
        if (r->p->file)
            rc = dpc_trust_write(r->p, mi->path, err);
        if (rc == 0)
            mkdirs_for(mi->path);
        mi->created = lstat(mi->path, &st) != 0;
        if (rc == 0)
            rc = dp_write_file(mi->path, res->data, res->len, r->write_flags, err);
        if (rc)
            return rc;
    }
    return 0;
}

/* The output could not be written: the media files this export created
 * go too (files that were there before stay, replaced whole or not at all). */
static void unwrite_media(const dpc_media *m)
{
    size_t dl = m->dir ? strlen(m->dir) : 0;
    for (size_t i = 0; i < m->n; i++) {
        if (!m->items[i].created || !m->items[i].path)
            continue;
        (void)unlink(m->items[i].path);
        /* and the folders left empty, up to the media folder */
        char *dir = dpu_dirname(m->items[i].path);
        while (dir && strlen(dir) >= dl && strncmp(dir, m->dir, dl) == 0 && rmdir(dir) == 0) {
            char *up = dpu_dirname(dir);
            free(dir);
            dir = up;
        }
        free(dir);
    }
}

/* One output built in memory, with the resources its references name
 * (written beside it by export_one). */
typedef struct built {
    dp_buf *buf;
    dpc_media media;
} built;

static void built_clear(built *b)
{
    dp_buf_free(b->buf);
    b->buf = NULL;
    dpc_media_clear(&b->media);
}

/* Exports output k into *b (b->buf NULL on failure). */
static int build_one(runner *r, const dpc_item *it, size_t k, dp_doc *doc, size_t *warnings, built *b,
                     dp_error *err)
{
    memset(b, 0, sizeof *b);
    int rc = dp_buf_new(&b->buf) != 0 ? dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory") : 0;
    if (rc == 0) {
        plugin_call c = {it->exporters[k], &r->p->jobs[it->job].outputs[k].opts, it->input, it->outputs[k], NULL,
                         NULL, doc, b->buf, &b->media};
        rc = call_plugin(r, &c, warnings, err);
    }
    if (rc != 0)
        built_clear(b);
    return rc;
}

/* Writes output k, its media first, from pre (which it clears); builds it
 * first when pre is NULL. */
static int export_one(runner *r, const dpc_item *it, size_t k, dp_doc *doc, size_t *warnings, built *pre,
                      dp_error *err)
{
    built local;
    built *b = pre ? pre : &local;
    int rc = pre ? 0 : build_one(r, it, k, doc, warnings, b, err);
    if (rc == 0 && it->outputs[k] && r->p->file)
        rc = dpc_trust_write(r->p, it->outputs[k], err);
    if (rc == 0 && it->outputs[k] && r->p->file)
        mkdirs_for(it->outputs[k]);
    if (rc == 0 && (rc = write_media(r, &b->media, doc, err)) == 0 &&
        (rc = write_output(it->outputs[k], r->write_flags, it->exporters[k], b->buf, err)) != 0)
        unwrite_media(&b->media);
    if (rc == 0 && it->outputs[k] && r->p->file)
        (void)dpc_stamp_write(r->p, it, k); /* without it the next run only rebuilds */
    built_clear(b);
    return rc;
}

/* Every output of one document: one failing does not stop the others
 * (unless --fail-fast). Each failure is reported; the first is returned. */
static int export_all(runner *r, const dpc_item *it, dp_doc *doc, size_t *warnings, dp_error *item_err)
{
    int first_rc = 0;
    built *bufs = NULL;
    /* --strict: a job writes all its outputs or none. Every output is built
     * first; one that fails (a loss, a plugin error) fails the job before
     * anything is written, so no half-set of files passes for a result. */
    if (r->o->strict && it->noutputs > 1) {
        if (!(bufs = calloc(it->noutputs, sizeof *bufs)))
            return DP_ENOMEM;
        for (size_t k = 0; k < it->noutputs && !first_rc; k++) {
            dp_error oerr;
            dp_error_clear(&oerr);
            if (build_one(r, it, k, doc, warnings, &bufs[k], &oerr) != 0) {
                dp_error_set(item_err, oerr.code ? oerr.code : DP_EOUTPUT, oerr.file[0] ? oerr.file : NULL,
                             oerr.line, oerr.column, "%s; --strict: none of the job's %zu outputs written",
                             oerr.message, it->noutputs);
                snprintf(item_err->plugin, sizeof item_err->plugin, "%s", oerr.plugin);
                record_failure(r, item_err);
                first_rc = item_err->code;
            }
        }
        if (first_rc) {
            for (size_t k = 0; k < it->noutputs; k++)
                built_clear(&bufs[k]);
            free(bufs);
            return first_rc;
        }
    }
    for (size_t k = 0; k < it->noutputs; k++) {
        dp_error oerr;
        dp_error_clear(&oerr);
        int rc = export_one(r, it, k, doc, warnings, bufs ? &bufs[k] : NULL, &oerr);
        if (rc == 0) {
            it->out_ok[k] = 1;
            if (r->sink.lock)
                pthread_mutex_lock(&r->work_lock);
            r->stats.outputs++;
            if (r->sink.lock)
                pthread_mutex_unlock(&r->work_lock);
            continue;
        }
        record_failure(r, &oerr);
        if (item_err->code == 0)
            *item_err = oerr;
        if (!first_rc)
            first_rc = oerr.code ? oerr.code : DP_EOUTPUT;
        if (r->o->fail_fast)
            break;
    }
    if (bufs) {
        for (size_t k = 0; k < it->noutputs; k++)
            built_clear(&bufs[k]);
        free(bufs);
    }
    return first_rc;
}

/* Runs one input; returns 0 or the first failure's code (already reported). */
static int run_item(runner *r, const dpc_item *it, size_t *warnings, dp_error *item_err)
{
    const dpc_job *j = &r->p->jobs[it->job];
    dp_doc *doc = NULL;
    dp_error err;
    int rc;

    dp_error_clear(&err);
    *warnings = 0;
    if ((rc = refuse_output_over_input(it, &err)) == 0 && (rc = read_and_import(r, it, &doc, warnings, &err)) == 0)
        rc = apply_overrides(r, j, doc, &err);
    for (size_t k = 0; rc == 0 && k < j->ntransforms; k++) {
        plugin_call c = {j->transforms[k].plugin, &j->transforms[k].opts, it->input, NULL, NULL, NULL, doc, NULL, NULL};
        rc = call_plugin(r, &c, warnings, &err);
    }
    if (rc == 0)
        rc = export_all(r, it, doc, warnings, item_err);
    else {
        if (err.code == 0)
            dp_error_set(&err, rc, it->input, 0, 0, "failed");
        record_failure(r, &err);
        *item_err = err;
        rc = err.code;
    }
    dp_doc_free(doc);
    return rc;
}

/* ---- reports ---- */

static void json_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c < 0x20)
            fprintf(fp, "\\u%04x", c);
        else
            fputc(c, fp);
    }
    fputc('"', fp);
}

static void finish_item(runner *r, const dpc_item *it, int rc, const dp_error *item_err, int skipped,
                        size_t warnings, double ms)
{
    dp_item_result res;
    size_t k;
    if (r->sink.lock)
        pthread_mutex_lock(&r->work_lock);
    r->done++;
    r->stats.warnings += warnings;
    if (skipped)
        r->stats.skipped++;
    else if (rc)
        r->stats.failed++;
    else
        r->stats.converted++;
    memset(&res, 0, sizeof res);
    res.input = it->input;
    res.outputs = (const char *const *)it->outputs;
    res.noutputs = it->noutputs;
    res.status = rc;
    res.error = rc ? (item_err->message[0] ? item_err->message : dp_status_name(rc)) : NULL;
    res.skipped = skipped;
    res.warnings = warnings;
    res.milliseconds = ms;
    res.done = r->done;
    res.total = r->plan.nitems;
    if (r->report) {
        flockfile(r->report); /* warning lines come from the sink, under another lock */
        fputs("{\"type\":\"input\",\"input\":", r->report);
        json_str(r->report, it->input);
        fputs(",\"outputs\":[", r->report);
        for (k = 0; k < it->noutputs; k++) {
            if (k)
                fputc(',', r->report);
            if (it->outputs[k])
                json_str(r->report, it->outputs[k]);
            else
                fputs("null", r->report);
        }
        fprintf(r->report, "],\"status\":\"%s\",\"warnings\":%zu,\"milliseconds\":%.1f",
                skipped ? "skipped" : rc ? "failed" : "ok", warnings, ms);
        if (rc) {
            fputs(",\"error\":", r->report);
            json_str(r->report, res.error);
        }
        fputs("}\n", r->report);
        fflush(r->report);
        funlockfile(r->report);
    }
    if (r->o->on_item)
        r->o->on_item(&res, r->o->diag_payload);
    if (r->sink.lock)
        pthread_mutex_unlock(&r->work_lock);
}

/* A chained input whose producer failed in this run may be a stale file
 * from an earlier run: converting it (or calling its outputs up to date)
 * would pass off old content as new. */
static int source_failed(runner *r, const dpc_item *it, dp_error *err)
{
    const dpc_item *src;
    if (it->src_item < 0 || r->plan.items[it->src_item].out_ok[it->src_output])
        return 0;
    src = &r->plan.items[it->src_item];
    dp_error_set(err, DP_EINPUT, it->input, 0, 0, "not converted: its source %s (job '%s') failed", src->input,
                 r->p->jobs[src->job].name ? r->p->jobs[src->job].name : "?");
    record_failure(r, err);
    return err->code;
}

/* Up to date by the stamps too (stamp.c): the same job, input bytes,
 * plugins and options made every output. An output whose stamp names
 * another job is reported: two configs write the same file, and the last
 * one run wins. */
static int stamps_agree(runner *r, const dpc_item *it, int want_recipe)
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
            dp_diag d;
            snprintf(msg, sizeof msg, "%s was written by another job (%s): rebuilt for this one; two jobs "
                     "writing one file replace each other's output", it->outputs[k], other);
            memset(&d, 0, sizeof d);
            d.level = DP_DIAG_WARNING;
            d.file = r->p->file;
            d.line = r->p->jobs[it->job].line;
            d.column = r->p->jobs[it->job].column;
            d.message = msg;
            d.warn_code = "run.shared-output";
            d.input = it->input;
            dpc_emit(&r->sink, &d);
            if (r->sink.lock)
                pthread_mutex_lock(&r->work_lock);
            r->stats.warnings++;
            if (r->sink.lock)
                pthread_mutex_unlock(&r->work_lock);
        }
    }
    return agree;
}

static void process(runner *r, size_t idx)
{
    const dpc_item *it = &r->plan.items[idx];
    size_t warnings = 0;
    double t0 = now_ms();
    int rc = 0, skipped = 0;
    dp_error item_err;
    dp_error_clear(&item_err);
    rc = source_failed(r, it, &item_err);
    int fresh = rc == 0 && r->o->incremental && !r->o->force && up_to_date(r, it);
    if (rc == 0 && !stamps_agree(r, it, fresh))
        fresh = 0;
    if (fresh) {
        size_t k;
        skipped = 1;
        for (k = 0; k < it->noutputs; k++)
            it->out_ok[k] = 1;
    } else if (rc == 0) {
        rc = run_item(r, it, &warnings, &item_err);
    }
    finish_item(r, it, rc, &item_err, skipped, warnings, now_ms() - t0);
}

static void *worker(void *arg)
{
    runner *r = arg;
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
static int load_all(runner *r, dp_error *err)
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

static void json_str_or_null(FILE *fp, const char *s)
{
    if (s)
        json_str(fp, s);
    else
        fputs("null", fp);
}

/* One JSON line per warning, in the order reported (fields: docs/CONFIG.md,
 * "Reports"; keep them stable). */
static void report_warning(runner *r, const dp_diag *d)
{
    FILE *fp = r->report;
    flockfile(fp);
    fprintf(fp, "{\"type\":\"warning\",\"class\":\"%s\",\"code\":",
            d->warn_class == DP_WARN_PRESENTATION ? "presentation" : "content");
    json_str_or_null(fp, d->warn_code);
    fputs(",\"plugin\":", fp);
    json_str_or_null(fp, d->plugin);
    fputs(",\"input\":", fp);
    json_str_or_null(fp, d->input);
    fputs(",\"file\":", fp);
    json_str_or_null(fp, d->file);
    fprintf(fp, ",\"line\":%d,\"column\":%d,\"node\":", d->line, d->column);
    json_str_or_null(fp, d->node_path);
    fputs(",\"message\":", fp);
    json_str(fp, d->message);
    fputs("}\n", fp);
    funlockfile(fp);
}

static void sink_fn(const dp_diag *d, void *payload)
{
    runner *r = payload;
    if (d->level == DP_DIAG_INFO && !r->o->verbose)
        return;
    if (d->level == DP_DIAG_WARNING && r->report)
        report_warning(r, d);
    if (r->o->diag)
        r->o->diag(d, r->o->diag_payload);
}

/* Files an input glob matched that no importer reads: one warning each,
 * counted with the run's warnings. */
static void report_unclaimed(runner *r)
{
    for (size_t i = 0; i < r->plan.unclaimed.n; i++) {
        const dpc_job *j = &r->p->jobs[r->plan.unclaimed_job[i]];
        char msg[1200];
        dp_diag d;
        snprintf(msg, sizeof msg, "'%s' matches the input '%s' but no importer reads it: skipped (give the job "
                 "'exclude:' to leave it out without a warning)", r->plan.unclaimed.v[i], j->input.path);
        memset(&d, 0, sizeof d);
        d.level = DP_DIAG_WARNING;
        d.file = r->p->file;
        d.line = j->input.path_line;
        d.column = j->input.path_column;
        d.message = msg;
        d.warn_class = DP_WARN_CONTENT;
        d.warn_code = "run.unclaimed";
        d.input = r->plan.unclaimed.v[i];
        dpc_emit(&r->sink, &d);
        r->stats.warnings++;
    }
}

int dp_pipeline_run(dp_pipeline *p, dp_registry *reg, const dp_run_options *opts, dp_run_stats *stats,
                    dp_error *err)
{
    runner r;
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
    r.sink.fn = sink_fn;
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
    report_unclaimed(&r);

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
