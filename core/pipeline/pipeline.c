/* Pipelines: the model's lifetime, the builder API the CLI uses, and
 * dp_pipeline_check (formats, transforms, options and job chains resolved
 * against a registry, errors with the config's file:line:column). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/pipeline_priv.h"

void dpc_mval_clear(dpc_mval *v)
{
    size_t i;
    if (!v)
        return;
    free(v->s);
    for (i = 0; i < v->n; i++) {
        if (v->items)
            dpc_mval_clear(&v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    memset(v, 0, sizeof *v);
}

void dpc_step_clear(dpc_step *s)
{
    free(s->name);
    free(s->path);
    dpc_optset_clear(&s->opts);
    memset(s, 0, sizeof *s);
}

void dpc_job_clear(dpc_job *j)
{
    size_t i;
    free(j->name);
    free(j->input_job);
    free(j->output_dir);
    dpu_strv_clear(&j->exclude);
    dpc_step_clear(&j->input);
    for (i = 0; i < j->nmeta; i++) {
        free(j->meta[i].key);
        dpc_mval_clear(&j->meta[i].val);
    }
    free(j->meta);
    for (i = 0; i < j->ntransforms; i++)
        dpc_step_clear(&j->transforms[i]);
    free(j->transforms);
    for (i = 0; i < j->noutputs; i++)
        dpc_step_clear(&j->outputs[i]);
    free(j->outputs);
    memset(j, 0, sizeof *j);
}

int dp_pipeline_new(dp_pipeline **out)
{
    dp_pipeline *p;
    if (!out)
        return DP_EINVAL;
    p = calloc(1, sizeof *p);
    if (!p)
        return DP_ENOMEM;
    dp_limits_init(&p->limits);
    p->trust = DP_TRUST_ALL; /* the user's own command; dp_pipeline_parse restricts a config */
    *out = p;
    return 0;
}

void dp_pipeline_free(dp_pipeline *p)
{
    size_t i;
    if (!p)
        return;
    for (i = 0; i < p->njobs; i++)
        dpc_job_clear(&p->jobs[i]);
    free(p->jobs);
    for (i = 0; i < p->ncli_meta; i++) {
        free(p->cli_meta[i].key);
        dpc_mval_clear(&p->cli_meta[i].val);
    }
    free(p->cli_meta);
    dpc_optset_clear(&p->cli_opts);
    dpu_strv_clear(&p->cli_transforms);
    dpu_strv_clear(&p->plugin_path);
    free(p->file);
    free(p->base_dir);
    free(p);
}

char *dpc_resolve(const dp_pipeline *p, const char *path)
{
    return dpu_path_join(p->base_dir, path);
}

/* ---- builder API (the CLI) ---- */

/* One more transform, named name and without options, at the end of job j.
 * 0 or DP_ENOMEM. */
static int job_add_transform(dpc_job *j, const char *name)
{
    dpc_step *t;
    if (DP_ARRAY_RESERVE(j->transforms, j->transforms_cap, j->ntransforms + 1))
        return DP_ENOMEM;
    t = &j->transforms[j->ntransforms];
    memset(t, 0, sizeof *t);
    if (!(t->name = dpu_strdup(name)))
        return DP_ENOMEM;
    j->ntransforms++;
    return 0;
}

/* One more command-line metadata override, zeroed; NULL when out of memory. */
static dpc_meta_set *cli_meta_add(dp_pipeline *p)
{
    dpc_meta_set *m;
    if (DP_ARRAY_RESERVE(p->cli_meta, p->cli_meta_cap, p->ncli_meta + 1))
        return NULL;
    m = &p->cli_meta[p->ncli_meta++];
    memset(m, 0, sizeof *m);
    return m;
}

int dp_pipeline_add_conversion(dp_pipeline *p, const char *input, const char *from, const char *output,
                               const char *to, dp_error *err)
{
    dpc_job *j;
    size_t i;
    if (!p || !input)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_pipeline_add_conversion: NULL argument");
    if (DP_ARRAY_RESERVE(p->jobs, p->jobs_cap, p->njobs + 1))
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    j = &p->jobs[p->njobs];
    memset(j, 0, sizeof *j);
    p->njobs++;
    j->outputs = calloc(1, sizeof *j->outputs);
    if (!j->outputs)
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    j->noutputs = 1;
    j->input.path = dpu_strdup(input);
    j->input.name = from ? dpu_strdup(from) : NULL;
    j->outputs[0].path = output && strcmp(output, "-") != 0 ? dpu_strdup(output) : dpu_strdup("-");
    j->outputs[0].name = to ? dpu_strdup(to) : NULL;
    if (!j->input.path || (from && !j->input.name) || !j->outputs[0].path || (to && !j->outputs[0].name))
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    for (i = 0; i < p->cli_transforms.n; i++) /* transforms given before the conversion apply to it too */
        if (job_add_transform(j, p->cli_transforms.v[i]) != 0)
            return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    p->checked = 0;
    return 0;
}

int dp_pipeline_set_metadata(dp_pipeline *p, const char *key, const char *value, dp_error *err)
{
    dpc_meta_set *m;
    if (!p || !key || !value || !key[0])
        return dp_error_set(err, DP_EUSAGE, NULL, 0, 0, "metadata needs KEY=VALUE");
    if (!(m = cli_meta_add(p)))
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    m->key = dpu_strdup(key);
    m->val.type = MV_STRING;
    m->val.s = dpu_strdup(value);
    if (!m->key || !m->val.s)
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    return 0;
}

int dp_pipeline_set_option(dp_pipeline *p, const char *key, const char *value, dp_error *err)
{
    dpc_optval *o;
    if (!p || !key || !value || !key[0])
        return dp_error_set(err, DP_EUSAGE, NULL, 0, 0, "an option needs KEY=VALUE");
    o = dpc_optset_add(&p->cli_opts, key);
    if (!o || !(o->value = dpu_strdup(value)))
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    p->checked = 0;
    return 0;
}

int dp_pipeline_set_option_if_declared(dp_pipeline *p, const char *key, const char *value, dp_error *err)
{
    int rc = dp_pipeline_set_option(p, key, value, err);
    if (rc == 0)
        p->cli_opts.v[p->cli_opts.n - 1].if_declared = 1;
    return rc;
}

int dp_pipeline_add_transform(dp_pipeline *p, const char *name, dp_error *err)
{
    size_t i;
    if (!p || !name || !name[0])
        return dp_error_set(err, DP_EUSAGE, NULL, 0, 0, "a transform needs a name");
    if (dpu_strv_push(&p->cli_transforms, name) != 0)
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    for (i = 0; i < p->njobs; i++)
        if (job_add_transform(&p->jobs[i], name) != 0)
            return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    p->checked = 0;
    return 0;
}

/* --shift-heading-level-by N, --filter CMD: an option of the transform just
 * added (dp_pipeline_add_transform), in every job. Unlike -O it reaches only
 * that one transform, so two filters can run two commands. */
int dp_pipeline_set_transform_option(dp_pipeline *p, const char *key, const char *value, dp_error *err)
{
    size_t i;
    if (!p || !key || !value || !key[0] || p->cli_transforms.n == 0)
        return dp_error_set(err, DP_EUSAGE, NULL, 0, 0, "a transform option needs a transform and KEY=VALUE");
    for (i = 0; i < p->njobs; i++) {
        dpc_job *j = &p->jobs[i];
        dpc_optval *o;
        if (j->ntransforms == 0)
            continue;
        o = dpc_optset_add(&j->transforms[j->ntransforms - 1].opts, key);
        if (!o || !(o->value = dpu_strdup(value)))
            return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    }
    p->checked = 0;
    return 0;
}

/* --css URL (repeatable): one more string in the list metadata key. */
int dp_pipeline_append_metadata(dp_pipeline *p, const char *key, const char *value, dp_error *err)
{
    dpc_meta_set *m = NULL;
    dpc_mval *items;
    size_t i;
    if (!p || !key || !value || !key[0])
        return dp_error_set(err, DP_EUSAGE, NULL, 0, 0, "metadata needs KEY=VALUE");
    for (i = p->ncli_meta; i-- > 0;)
        if (strcmp(p->cli_meta[i].key, key) == 0 && p->cli_meta[i].val.type == MV_LIST) {
            m = &p->cli_meta[i];
            break;
        }
    if (!m) {
        if (!(m = cli_meta_add(p)))
            return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
        m->val.type = MV_LIST;
        if (!(m->key = dpu_strdup(key)))
            return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (DP_ARRAY_RESERVE(m->val.items, m->val.cap, m->val.n + 1))
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    items = m->val.items;
    memset(&items[m->val.n], 0, sizeof *items);
    items[m->val.n].type = MV_STRING;
    if (!(items[m->val.n].s = dpu_strdup(value)))
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    m->val.n++;
    return 0;
}

int dp_pipeline_set_shard(dp_pipeline *p, unsigned index, unsigned count, dp_error *err)
{
    if (!p || (count > 1 && (index < 1 || index > count)))
        return dp_error_set(err, DP_EUSAGE, NULL, 0, 0, "shard %u/%u: K must be between 1 and N", index, count);
    p->shard_index = count > 1 ? index : 0;
    p->shard_count = count > 1 ? count : 0;
    return 0;
}

const char *const *dp_pipeline_plugin_path(const dp_pipeline *p)
{
    static const char *const none[] = {NULL};
    if (!p || !p->plugin_path.v || (p->file && !(p->trust & DP_TRUST_PLUGIN_PATH)))
        return none;
    return (const char *const *)p->plugin_path.v;
}

dp_limits *dp_pipeline_limits(dp_pipeline *p)
{
    return p ? &p->limits : NULL;
}

/* ---- check ---- */

/* The error code for a bad name: from the command line it is a usage
 * error, in a config a config error. */
static int bad_code(const dp_pipeline *p)
{
    return p->file ? DP_ECONFIG : DP_EUSAGE;
}

static int unknown_plugin(dp_pipeline *p, dp_registry *reg, dp_plugin_kind kind, const char *name, int line,
                          int col, dp_error *err)
{
    const dp_refusal *r = dp_registry_refusal_for(reg, name);
    const char **cands;
    const char *s = NULL;
    size_t n = dp_registry_count(reg), i, k = 0;
    const char *what = kind == DP_PLUGIN_IMPORTER ? "input format"
                       : kind == DP_PLUGIN_EXPORTER ? "output format"
                                                    : "transform";
    if (r)
        return dp_error_set(err, DP_EPLUGIN, p->file, line, col, "%s '%s': plugin %s was refused: %s", what,
                            name, r->file, r->reason);
    cands = calloc(n ? n : 1, sizeof *cands);
    if (cands) {
        for (i = 0; i < n; i++) {
            const dp_plugin_info *info = dp_registry_at(reg, i);
            if (info->kind == kind && !info->shadowed_by)
                cands[k++] = info->format;
        }
        s = dpu_suggest(name, cands, k);
    }
    {
        int rc = dp_error_set(err, p->file ? DP_ECONFIG : DP_EPLUGIN, p->file, line, col,
                              "unknown %s '%s'%s%s%s%s", what, name, s ? " (did you mean '" : "",
                              s ? s : "", s ? "'?)" : "",
                              dp_registry_refused_count(reg) ? "; some plugin files were refused, see "
                                                               "'docpipe plugins'"
                                                             : "");
        free(cands);
        return rc;
    }
}

static int check_options(dp_pipeline *p, const dpc_step *s, const dp_plugin_info *info, dp_error *err)
{
    size_t i;
    for (i = 0; i < s->opts.n; i++) {
        const dpc_optval *v = &s->opts.v[i];
        const dp_option_spec *spec = dpc_spec_find(info->options, v->key);
        int rc;
        if (!spec) {
            const char *keys[256];
            size_t n = 0;
            const char *sug;
            while (n < 256 && info->options[n].key) {
                keys[n] = info->options[n].key;
                n++;
            }
            sug = dpu_suggest(v->key, keys, n);
            if (sug)
                return dp_error_set(err, bad_code(p), p->file, v->line, v->column,
                                    "unknown option '%s' for %s (did you mean '%s'?)", v->key, info->id, sug);
            return dp_error_set(err, bad_code(p), p->file, v->line, v->column, "unknown option '%s' for %s (%s)",
                                v->key, info->id,
                                n ? "see 'docpipe plugins -v' for its options" : "it takes no options");
        }
        if ((rc = dpc_opt_check(spec, v, p->file, info->id, err)) != 0) {
            /* the same mistake on the command line is a usage error */
            if (!p->file) {
                rc = DP_EUSAGE;
                if (err)
                    err->code = rc;
            }
            return rc;
        }
    }
    return 0;
}

int dpc_opt_check_among(const dpc_optval *v, const dp_plugin_info *const *plugins, size_t n, int *declared,
                        dp_error *err)
{
    size_t s;
    for (s = 0; s < n; s++) {
        const dp_option_spec *spec = plugins[s] ? dpc_spec_find(plugins[s]->options, v->key) : NULL;
        if (!spec)
            continue;
        *declared = 1;
        if (dpc_opt_check(spec, v, NULL, plugins[s]->id, err) != 0) {
            if (err)
                err->code = DP_EUSAGE;
            return DP_EUSAGE;
        }
    }
    return 0;
}

int dpc_opt_undeclared(const dpc_optval *v, const dp_plugin_info *const *plugins, size_t n, dp_error *err)
{
    if (n == 1 && plugins[0])
        return dp_error_set(err, DP_EUSAGE, NULL, 0, 0, "option '%s' is not declared by %s %s (see 'docpipe plugins -v')",
                            v->key, dp_plugin_kind_name(plugins[0]->kind), plugins[0]->id);
    return dp_error_set(err, DP_EUSAGE, NULL, 0, 0,
                        "option '%s' is not declared by any plugin of this conversion "
                        "(see 'docpipe plugins -v')",
                        v->key);
}

static const char *path_for_inference(const char *path)
{
    /* "out/{stem}.html" infers from ".html" like any path. */
    return path;
}

static int resolve_step(dp_pipeline *p, dp_registry *reg, dpc_step *s, dp_plugin_kind kind,
                        const char *what, dp_error *err)
{
    s->plugin = NULL;
    if (s->name) {
        s->plugin = dp_registry_find(reg, kind, s->name);
        if (!s->plugin)
            return unknown_plugin(p, reg, kind, s->name, s->name_line, s->name_column, err);
    } else if (kind == DP_PLUGIN_TRANSFORM) {
        return dp_error_set(err, DP_EINTERNAL, p->file, s->line, s->column, "transform without a name");
    } else if (s->path && strcmp(s->path, "-") != 0 &&
               (kind == DP_PLUGIN_EXPORTER || !p->file || !dpc_has_glob(s->path))) {
        s->plugin = dp_registry_find_by_path(reg, kind, path_for_inference(s->path));
        if (!s->plugin) {
            if (p->file)
                return dp_error_set(err, DP_ECONFIG, p->file, s->path_line, s->path_column,
                                    "cannot tell the %s format of '%s' from its extension; give 'format:'",
                                    what, s->path);
            return dp_error_set(err, DP_EUSAGE, NULL, 0, 0,
                                "cannot tell the %s format of '%s' from its extension; use %s FORMAT", what,
                                s->path, kind == DP_PLUGIN_IMPORTER ? "-f" : "-t");
        }
    } else if (kind == DP_PLUGIN_IMPORTER && s->path && p->file && dpc_has_glob(s->path)) {
        if (s->opts.n)
            return dp_error_set(err, DP_ECONFIG, p->file, s->line, s->column,
                                "input options need an explicit input format when the input is a glob");
        return 0; /* inferred per file */
    } else {
        if (p->file)
            return dp_error_set(err, DP_ECONFIG, p->file, s->line, s->column, "%s needs a format", what);
        return dp_error_set(err, DP_EUSAGE, NULL, 0, 0, "%s needs a format: use %s FORMAT",
                            kind == DP_PLUGIN_IMPORTER ? "reading stdin" : "writing to stdout",
                            kind == DP_PLUGIN_IMPORTER ? "-f" : "-t");
    }
    return check_options(p, s, s->plugin, err);
}

static dpc_job *job_named(dp_pipeline *p, const char *name)
{
    size_t i;
    for (i = 0; i < p->njobs; i++)
        if (dpu_streq(p->jobs[i].name, name))
            return &p->jobs[i];
    return NULL;
}

/* Levels by depth-first search; a job met again while on the stack closes
 * a cycle. */
static int job_level(dp_pipeline *p, dpc_job *j, int *state, dp_error *err)
{
    size_t idx = (size_t)(j - p->jobs);
    dpc_job *dep;
    int rc;
    if (state[idx] == 2)
        return 0;
    if (state[idx] == 1)
        return dp_error_set(err, DP_ECONFIG, p->file, j->input_job_line, j->input_job_column,
                            "job '%s' is part of a cycle of chained jobs", j->name ? j->name : "?");
    if (!j->input_job) {
        j->level = 0;
        state[idx] = 2;
        return 0;
    }
    dep = job_named(p, j->input_job);
    if (!dep) {
        const char *names[256];
        size_t n = 0, i;
        const char *s;
        for (i = 0; i < p->njobs && n < 256; i++)
            if (p->jobs[i].name)
                names[n++] = p->jobs[i].name;
        s = dpu_suggest(j->input_job, names, n);
        return dp_error_set(err, DP_ECONFIG, p->file, j->input_job_line, j->input_job_column,
                            "no job named '%s'%s%s%s", j->input_job, s ? " (did you mean '" : "", s ? s : "",
                            s ? "'?)" : "");
    }
    state[idx] = 1;
    if ((rc = job_level(p, dep, state, err)) != 0)
        return rc;
    j->level = dep->level + 1;
    state[idx] = 2;
    return 0;
}

int dp_pipeline_check(dp_pipeline *p, dp_registry *reg, dp_error *err)
{
    size_t i, k;
    int rc, *state;
    if (!p || !reg)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_pipeline_check: NULL argument");
    if (p->njobs == 0)
        return dp_error_set(err, DP_EUSAGE, p->file, 0, 0, "nothing to do");
    if ((rc = dpc_trust_plugin_path(p, err)) != 0)
        return rc;
    for (i = 0; i < p->njobs; i++) {
        dpc_job *j = &p->jobs[i];
        if (!j->input_job && (rc = resolve_step(p, reg, &j->input, DP_PLUGIN_IMPORTER, "input", err)) != 0)
            return rc;
        if (j->input_job && j->input.name &&
            (rc = resolve_step(p, reg, &j->input, DP_PLUGIN_IMPORTER, "input", err)) != 0)
            return rc;
        for (k = 0; k < j->ntransforms; k++)
            if ((rc = resolve_step(p, reg, &j->transforms[k], DP_PLUGIN_TRANSFORM, "transform", err)) != 0 ||
                (rc = dpc_trust_transform(p, &j->transforms[k], err)) != 0)
                return rc;
        for (k = 0; k < j->noutputs; k++)
            if ((rc = resolve_step(p, reg, &j->outputs[k], DP_PLUGIN_EXPORTER, "output", err)) != 0)
                return rc;
    }
    /* -O KEY=VALUE must mean something to at least one plugin. */
    for (k = 0; k < p->cli_opts.n; k++) {
        const dpc_optval *v = &p->cli_opts.v[k];
        int declared = 0;
        for (i = 0; i < p->njobs; i++) {
            dpc_job *j = &p->jobs[i];
            const dp_plugin_info *plugins[64];
            size_t ns = 0, s;
            plugins[ns++] = j->input.plugin;
            for (s = 0; s < j->ntransforms && ns < 64; s++)
                plugins[ns++] = j->transforms[s].plugin;
            for (s = 0; s < j->noutputs && ns < 64; s++)
                plugins[ns++] = j->outputs[s].plugin;
            if ((rc = dpc_opt_check_among(v, plugins, ns, &declared, err)) != 0)
                return rc;
        }
        if (!declared && !v->if_declared)
            return dpc_opt_undeclared(v, NULL, 0, err);
    }
    state = calloc(p->njobs, sizeof *state);
    if (!state)
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    for (i = 0; i < p->njobs; i++)
        if ((rc = job_level(p, &p->jobs[i], state, err)) != 0) {
            free(state);
            return rc;
        }
    free(state);
    p->checked = 1;
    return 0;
}
