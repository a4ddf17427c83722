/* What a run tells: failures (the first kept for the caller), one result
 * per input (the caller's callback and a --report JSON line), warnings as
 * --report lines, and the runner's own warnings (unclaimed files, outputs
 * another job wrote). */
#include <stdio.h>
#include <string.h>

#include "pipeline/runner_priv.h"

static void emit_error(dpc_runner *r, const dp_error *e)
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

void dpc_run_record_failure(dpc_runner *r, const dp_error *e)
{
    emit_error(r, e);
    dpc_run_lock(r);
    if (r->first.code == 0)
        r->first = *e;
    if (r->o->fail_fast)
        r->stop = 1;
    dpc_run_unlock(r);
}

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

void dpc_run_finish_item(dpc_runner *r, const dpc_item *it, int rc, const dp_error *item_err, int skipped,
                        size_t warnings, double ms)
{
    dp_item_result res;
    size_t k;
    dpc_run_lock(r);
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
    dpc_run_unlock(r);
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
static void report_warning(dpc_runner *r, const dp_diag *d)
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

void dpc_run_sink(const dp_diag *d, void *payload)
{
    dpc_runner *r = payload;
    if (d->level == DP_DIAG_INFO && !r->o->verbose)
        return;
    if (d->level == DP_DIAG_WARNING && r->report)
        report_warning(r, d);
    if (r->o->diag)
        r->o->diag(d, r->o->diag_payload);
}

/* Files an input glob matched that no importer reads: one warning each,
 * counted with the run's warnings. */
void dpc_run_report_unclaimed(dpc_runner *r)
{
    for (size_t i = 0; i < r->plan.unclaimed.n; i++) {
        const dpc_job *j = &r->p->jobs[r->plan.unclaimed_job[i]];
        char msg[1200];
        snprintf(msg, sizeof msg, "'%s' matches the input '%s' but no importer reads it: skipped (give the job "
                 "'exclude:' to leave it out without a warning)", r->plan.unclaimed.v[i], j->input.path);
        dpc_run_warn(r, j->input.path_line, j->input.path_column, "run.unclaimed", r->plan.unclaimed.v[i], msg);
    }
}

void dpc_run_warn(dpc_runner *r, int line, int column, const char *code, const char *input, const char *msg)
{
    dp_diag d;
    memset(&d, 0, sizeof d);
    d.level = DP_DIAG_WARNING;
    d.file = r->p->file;
    d.line = line;
    d.column = column;
    d.message = msg;
    d.warn_class = DP_WARN_CONTENT;
    d.warn_code = code;
    d.input = input;
    dpc_emit(&r->sink, &d);
    dpc_run_lock(r);
    r->stats.warnings++;
    dpc_run_unlock(r);
}
