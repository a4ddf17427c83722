/* One input of a run, walked by one function (dpc_run_item): read it,
 * import it once, apply the metadata overrides, run the transforms, export
 * every output (under --strict all of a job's outputs are built before any
 * is written). Split from runner.c, which decides which inputs run when. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/runner_priv.h"

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

static int call_plugin(dpc_runner *r, const plugin_call *c, size_t *warnings, dp_error *err)
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

static int read_and_import(dpc_runner *r, const dpc_item *it, dp_doc **doc, size_t *warnings, dp_error *err)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = dpu_read_file(it->input, r->p->limits.max_input_bytes, &data, &len, err);
    if (rc == 0) {
        dp_input in = {it->input, data, len};
        plugin_call c = {it->importer, &r->p->jobs[it->job].input.opts, it->input, NULL, &in, doc, NULL, NULL, NULL};
        rc = call_plugin(r, &c, warnings, err);
    }
    free(data); /* the tree holds copies: the input bytes go before any output is dpc_built */
    return rc;
}

/* Metadata overrides: the config's, then the command line's. */
static int apply_overrides(dpc_runner *r, const dpc_job *j, dp_doc *doc, dp_error *err)
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

static void built_clear(dpc_built *b)
{
    dp_buf_free(b->buf);
    b->buf = NULL;
    dpc_media_clear(&b->media);
}

/* Exports output k into *b (b->buf NULL on failure). */
static int build_one(dpc_runner *r, const dpc_item *it, size_t k, dp_doc *doc, size_t *warnings, dpc_built *b,
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

/* Writes output k from pre (which it clears); builds it first when pre is
 * NULL. */
static int export_one(dpc_runner *r, const dpc_item *it, size_t k, dp_doc *doc, size_t *warnings, dpc_built *pre,
                      dp_error *err)
{
    dpc_built local;
    dpc_built *b = pre ? pre : &local;
    int rc = pre ? 0 : build_one(r, it, k, doc, warnings, b, err);
    if (rc == 0)
        rc = dpc_run_write_built(r, it, k, doc, b, err);
    built_clear(b);
    return rc;
}

static void built_free_all(dpc_built *bufs, size_t n)
{
    if (!bufs)
        return;
    for (size_t k = 0; k < n; k++)
        built_clear(&bufs[k]);
    free(bufs);
}

/* --strict with several outputs: a job writes all its outputs or none.
 * Every output is built into bufs first; one that fails (a loss, a plugin
 * error) fails the job before anything is written, so no half-set of files
 * passes for a result. 0, or the failure's code (reported). */
static int build_all_or_none(dpc_runner *r, const dpc_item *it, dp_doc *doc, size_t *warnings, dpc_built *bufs,
                             dp_error *item_err)
{
    for (size_t k = 0; k < it->noutputs; k++) {
        dp_error oerr;
        dp_error_clear(&oerr);
        if (build_one(r, it, k, doc, warnings, &bufs[k], &oerr) != 0) {
            dp_error_set(item_err, oerr.code ? oerr.code : DP_EOUTPUT, oerr.file[0] ? oerr.file : NULL, oerr.line,
                         oerr.column, "%s; --strict: none of the job's %zu outputs written", oerr.message,
                         it->noutputs);
            snprintf(item_err->plugin, sizeof item_err->plugin, "%s", oerr.plugin);
            dpc_run_record_failure(r, item_err);
            return item_err->code;
        }
    }
    return 0;
}

/* Every output of one document: one failing does not stop the others
 * (unless --fail-fast). Each failure is reported; the first is returned. */
static int export_all(dpc_runner *r, const dpc_item *it, dp_doc *doc, size_t *warnings, dp_error *item_err)
{
    int first_rc = 0;
    dpc_built *bufs = NULL;
    if (r->o->strict && it->noutputs > 1) {
        if (!(bufs = calloc(it->noutputs, sizeof *bufs)))
            return DP_ENOMEM;
        if ((first_rc = build_all_or_none(r, it, doc, warnings, bufs, item_err)) != 0) {
            built_free_all(bufs, it->noutputs);
            return first_rc;
        }
    }
    for (size_t k = 0; k < it->noutputs; k++) {
        dp_error oerr;
        dp_error_clear(&oerr);
        int rc = export_one(r, it, k, doc, warnings, bufs ? &bufs[k] : NULL, &oerr);
        if (rc == 0) {
            it->out_ok[k] = 1;
            dpc_run_lock(r);
            r->stats.outputs++;
            dpc_run_unlock(r);
            continue;
        }
        dpc_run_record_failure(r, &oerr);
        if (item_err->code == 0)
            *item_err = oerr;
        if (!first_rc)
            first_rc = oerr.code ? oerr.code : DP_EOUTPUT;
        if (r->o->fail_fast)
            break;
    }
    built_free_all(bufs, it->noutputs);
    return first_rc;
}

/* Runs one input; returns 0 or the first failure's code (already reported). */
int dpc_run_item(dpc_runner *r, const dpc_item *it, size_t *warnings, dp_error *item_err)
{
    const dpc_job *j = &r->p->jobs[it->job];
    dp_doc *doc = NULL;
    dp_error err;
    int rc;

    dp_error_clear(&err);
    *warnings = 0;
    if ((rc = dpc_run_refuse_output_over_input(it, &err)) == 0 &&
        (rc = read_and_import(r, it, &doc, warnings, &err)) == 0)
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
        dpc_run_record_failure(r, &err);
        *item_err = err;
        rc = err.code;
    }
    dp_doc_free(doc);
    return rc;
}
