/* The in-memory conversion API (dp_convert.h): the options list, then the
 * same steps as the runner (host/steps.c) on bytes instead of files. */
#include <stdlib.h>
#include <string.h>

#include "docpipe/dp_convert.h"
#include "pipeline/pipeline_priv.h"

/* Which option keys a function takes. */
enum {
    TAKES_METADATA = 1u << 0,
    TAKES_TRANSFORM = 1u << 1,
    TAKES_STEP = 1u << 2 /* option, limit, strict, path, verbose: every function */
};

/* An options list, parsed: pointers into the caller's strings. */
typedef struct mem_opts {
    dpc_optset plugin_opts;
    dp_limits limits;
    int strict;
    int verbose;
    const char *path;
    const dp_kv **meta; /* the metadata:KEY entries, in order */
    size_t nmeta;
    const char **transforms;
    size_t ntransforms;
    dp_diag_fn diag;
    void *diag_payload;
    dpc_sink sink;
} mem_opts;

static void mem_opts_clear(mem_opts *o)
{
    dpc_optset_clear(&o->plugin_opts);
    free(o->meta);
    free(o->transforms);
}

/* The runner's filter: informational messages only when verbose. */
static void sink_fn(const dp_diag *d, void *payload)
{
    const mem_opts *o = payload;
    if (d->level == DP_DIAG_INFO && !o->verbose)
        return;
    if (o->diag)
        o->diag(d, o->diag_payload);
}

static int bool_value(const dp_kv *kv, int *out, dp_error *err)
{
    int b = kv->value ? dpu_parse_bool(kv->value) : -1;
    if (b < 0)
        return dp_error_set(err, DP_EUSAGE, NULL, 0, 0, "option '%s' expects true or false, got '%s'", kv->key,
                            kv->value ? kv->value : "(null)");
    *out = b;
    return 0;
}

static int parse_opts(mem_opts *o, const dp_kv *kv, unsigned takes, dp_diag_fn diag, void *payload,
                      const char *fn, dp_error *err)
{
    size_t n = 0, i;
    memset(o, 0, sizeof *o);
    dp_limits_init(&o->limits);
    o->path = "-";
    o->diag = diag;
    o->diag_payload = payload;
    o->sink.fn = sink_fn;
    o->sink.payload = o;
    while (kv && kv[n].key)
        n++;
    if (n) {
        o->meta = calloc(n, sizeof *o->meta);
        o->transforms = calloc(n, sizeof *o->transforms);
        if (!o->meta || !o->transforms)
            return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (i = 0; i < n; i++) {
        const char *key = kv[i].key, *value = kv[i].value;
        int rc = 0;
        if (!value) {
            rc = dp_error_set(err, DP_EUSAGE, NULL, 0, 0, "%s: option '%s' has no value", fn, key);
        } else if (strncmp(key, "metadata:", 9) == 0 && key[9] && (takes & TAKES_METADATA)) {
            o->meta[o->nmeta++] = &kv[i];
        } else if (strcmp(key, "transform") == 0 && (takes & TAKES_TRANSFORM)) {
            if (!value[0])
                rc = dp_error_set(err, DP_EUSAGE, NULL, 0, 0, "%s: a transform needs a name", fn);
            o->transforms[o->ntransforms++] = value;
        } else if (strncmp(key, "option:", 7) == 0 && key[7]) {
            dpc_optval *v = dpc_optset_add(&o->plugin_opts, key + 7);
            if (!v || !(v->value = dpu_strdup(value)))
                rc = dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
        } else if (strncmp(key, "limit:", 6) == 0 && key[6]) {
            if ((rc = dp_limits_set(&o->limits, key + 6, value, err)) != 0)
                err->code = rc = DP_EUSAGE;
        } else if (strcmp(key, "strict") == 0) {
            rc = bool_value(&kv[i], &o->strict, err);
        } else if (strcmp(key, "verbose") == 0) {
            rc = bool_value(&kv[i], &o->verbose, err);
        } else if (strcmp(key, "path") == 0 && value[0]) {
            o->path = value;
        } else {
            rc = dp_error_set(err, DP_EUSAGE, NULL, 0, 0,
                              "%s does not take the option '%s' (see dp_convert.h for the keys)", fn, key);
        }
        if (rc)
            return rc;
    }
    return 0;
}

/* Every option:KEY must be declared by at least one of the plugins, and
 * fit the type of each that declares it (the CLI's check of -O). */
static int check_plugin_opts(const mem_opts *o, const dp_plugin_info *const *plugins, size_t n, dp_error *err)
{
    size_t k;
    for (k = 0; k < o->plugin_opts.n; k++) {
        int declared = 0, rc;
        if ((rc = dpc_opt_check_among(&o->plugin_opts.v[k], plugins, n, &declared, err)) != 0)
            return rc;
        if (!declared)
            return dpc_opt_undeclared(&o->plugin_opts.v[k], plugins, n, err);
    }
    return 0;
}

static dpc_call make_call(const mem_opts *o, const dp_plugin_info *plugin)
{
    dpc_call c;
    memset(&c, 0, sizeof c);
    c.plugin = plugin;
    c.extra = &o->plugin_opts;
    c.limits = &o->limits;
    c.sink = &o->sink;
    c.source_path = o->path;
    c.verbose = o->verbose;
    c.strict = o->strict;
    return c;
}

static int read_doc(dp_registry *reg, const mem_opts *o, const dp_plugin_info *importer, const void *data,
                    size_t len, dp_doc **out, dp_error *err)
{
    dpc_call c = make_call(o, importer);
    size_t i;
    int rc = dpc_import_bytes(reg, &c, o->path, data, len, out, err);
    for (i = 0; rc == 0 && i < o->nmeta; i++) {
        dpc_mval v;
        memset(&v, 0, sizeof v);
        v.type = MV_STRING;
        v.s = (char *)o->meta[i]->value; /* only read */
        if (dpc_apply_meta(*out, o->meta[i]->key + 9, &v) != 0)
            rc = dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory setting metadata");
    }
    if (rc) {
        dp_doc_free(*out);
        *out = NULL;
    }
    return rc;
}

/* Writes into a buffer of its own, so that out is untouched on failure. */
static int write_doc(dp_registry *reg, const mem_opts *o, const dp_plugin_info *exporter, const dp_doc *doc,
                     dp_buf *out, dp_error *err)
{
    dpc_call c = make_call(o, exporter);
    dp_buf *tmp = NULL;
    int rc;
    if (dp_buf_new(&tmp) != 0)
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    c.doc = (dp_doc *)doc; /* exporters take it const (export_fn) */
    c.buf = tmp;
    rc = dpc_call_plugin(reg, &c, err);
    if (rc == 0 && dp_buf_append(out, dp_buf_data(tmp), dp_buf_len(tmp)) != 0)
        rc = dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    dp_buf_free(tmp);
    return rc;
}

int dp_convert(dp_registry *reg, const void *data, size_t len, const char *from, const char *to,
               const dp_kv *options, dp_buf *out, dp_diag_fn diag, void *diag_payload, dp_error *err)
{
    mem_opts o;
    const dp_plugin_info **plugins = NULL;
    dp_doc *doc = NULL;
    size_t i, n = 0;
    int rc;

    if (!reg || !from || !to || !out || (!data && len))
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_convert: bad arguments");
    if ((rc = parse_opts(&o, options, TAKES_METADATA | TAKES_TRANSFORM | TAKES_STEP, diag, diag_payload,
                         "dp_convert", err)) != 0)
        goto done;
    /* importer, transforms, exporter: all resolved and the options checked
     * before anything runs, as dp_pipeline_check does for the CLI */
    plugins = calloc(o.ntransforms + 2, sizeof *plugins);
    if (!plugins) {
        rc = dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    if ((rc = dpc_find_plugin(reg, DP_PLUGIN_IMPORTER, from, &plugins[n++], err)) != 0)
        goto done;
    for (i = 0; i < o.ntransforms; i++)
        if ((rc = dpc_find_plugin(reg, DP_PLUGIN_TRANSFORM, o.transforms[i], &plugins[n++], err)) != 0)
            goto done;
    if ((rc = dpc_find_plugin(reg, DP_PLUGIN_EXPORTER, to, &plugins[n++], err)) != 0 ||
        (rc = check_plugin_opts(&o, plugins, n, err)) != 0)
        goto done;

    if ((rc = read_doc(reg, &o, plugins[0], data, len, &doc, err)) != 0)
        goto done;
    for (i = 0; i < o.ntransforms; i++) {
        dpc_call c = make_call(&o, plugins[1 + i]);
        c.doc = doc;
        if ((rc = dpc_call_plugin(reg, &c, err)) != 0)
            goto done;
    }
    rc = write_doc(reg, &o, plugins[n - 1], doc, out, err);
done:
    dp_doc_free(doc);
    free(plugins);
    mem_opts_clear(&o);
    return rc;
}

int dp_read(dp_registry *reg, const void *data, size_t len, const char *from, const dp_kv *options,
            dp_doc **out, dp_diag_fn diag, void *diag_payload, dp_error *err)
{
    mem_opts o;
    const dp_plugin_info *importer = NULL;
    int rc;

    if (!out)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_read: bad arguments");
    *out = NULL;
    if (!reg || !from || (!data && len))
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_read: bad arguments");
    if ((rc = parse_opts(&o, options, TAKES_METADATA | TAKES_STEP, diag, diag_payload, "dp_read", err)) == 0 &&
        (rc = dpc_find_plugin(reg, DP_PLUGIN_IMPORTER, from, &importer, err)) == 0 &&
        (rc = check_plugin_opts(&o, &importer, 1, err)) == 0)
        rc = read_doc(reg, &o, importer, data, len, out, err);
    mem_opts_clear(&o);
    return rc;
}

int dp_transform(dp_registry *reg, dp_doc *doc, const char *name, const dp_kv *options, dp_diag_fn diag,
                 void *diag_payload, dp_error *err)
{
    mem_opts o;
    const dp_plugin_info *t = NULL;
    int rc;

    if (!reg || !doc || !name)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_transform: bad arguments");
    if ((rc = parse_opts(&o, options, TAKES_STEP, diag, diag_payload, "dp_transform", err)) == 0 &&
        (rc = dpc_find_plugin(reg, DP_PLUGIN_TRANSFORM, name, &t, err)) == 0 &&
        (rc = check_plugin_opts(&o, &t, 1, err)) == 0) {
        dpc_call c = make_call(&o, t);
        c.doc = doc;
        rc = dpc_call_plugin(reg, &c, err);
    }
    mem_opts_clear(&o);
    return rc;
}

int dp_write(dp_registry *reg, const dp_doc *doc, const char *to, const dp_kv *options, dp_buf *out,
             dp_diag_fn diag, void *diag_payload, dp_error *err)
{
    mem_opts o;
    const dp_plugin_info *exporter = NULL;
    int rc;

    if (!reg || !doc || !to || !out)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_write: bad arguments");
    if ((rc = parse_opts(&o, options, TAKES_STEP, diag, diag_payload, "dp_write", err)) == 0 &&
        (rc = dpc_find_plugin(reg, DP_PLUGIN_EXPORTER, to, &exporter, err)) == 0 &&
        (rc = check_plugin_opts(&o, &exporter, 1, err)) == 0)
        rc = write_doc(reg, &o, exporter, doc, out, err);
    mem_opts_clear(&o);
    return rc;
}
