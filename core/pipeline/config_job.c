/* One job of a config: its name, input (path, format, options, a chained
 * job), exclude globs, metadata, transforms, outputs and output-dir, with
 * the plugin options of each step. Split from config.c, which reads the
 * top level. */
#include <stdlib.h>
#include <string.h>

#include "pipeline/config_priv.h"

static int parse_options(cfgp *c, yaml_node_t *map, dpc_optset *set)
{
    yaml_node_pair_t *pair;
    int rc = cfg_want(c, map, YAML_MAPPING_NODE, "options");
    if (rc)
        return rc;
    for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
        yaml_node_t *k = cfg_node(c, pair->key), *v = cfg_node(c, pair->value);
        dpc_optval *o;
        yaml_node_item_t *it;
        if (cfg_spend(c, k) || cfg_spend(c, v))
            return DP_ECONFIG;
        if (!cfg_scalar(k))
            return cfg_err(c, k, "option names must be strings, not %s", cfg_kind_name(k));
        if (dpc_optset_find(set, cfg_scalar(k)))
            return cfg_err(c, k, "duplicate option '%s'", cfg_scalar(k));
        o = dpc_optset_add(set, cfg_scalar(k));
        if (!o)
            return cfg_nomem(c);
        o->line = (int)k->start_mark.line + 1;
        o->column = (int)k->start_mark.column + 1;
        o->vline = (int)v->start_mark.line + 1;
        o->vcolumn = (int)v->start_mark.column + 1;
        switch (v->type) {
        case YAML_SCALAR_NODE:
            o->value = dpu_strdup(cfg_scalar(v));
            if (!o->value)
                return cfg_nomem(c);
            break;
        case YAML_SEQUENCE_NODE:
            o->is_list = 1;
            for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
                yaml_node_t *iv = cfg_node(c, *it);
                if (cfg_spend(c, iv))
                    return DP_ECONFIG;
                if (!cfg_scalar(iv))
                    return cfg_err(c, iv, "items of option '%s' must be strings, not %s", o->key,
                                cfg_kind_name(iv));
                if (dpu_strv_push(&o->items, cfg_scalar(iv)) != 0)
                    return cfg_nomem(c);
            }
            break;
        default:
            o->is_map = 1;
            break;
        }
    }
    return 0;
}

static void mark(const yaml_node_t *n, int *line, int *col)
{
    *line = (int)n->start_mark.line + 1;
    *col = (int)n->start_mark.column + 1;
}

static int parse_input(cfgp *c, yaml_node_t *n, dpc_job *job)
{
    static const char *const keys[] = {"path", "format", "options", "job"};
    yaml_node_t *v, *k = NULL;
    int rc;
    mark(n, &job->input.line, &job->input.column);
    if (n->type == YAML_SCALAR_NODE)
        return cfg_dup_scalar(c, n, "input", &job->input.path, &job->input.path_line, &job->input.path_column);
    if (n->type != YAML_MAPPING_NODE)
        return cfg_err(c, n, "input must be a path or a mapping (path, format, options, job), not %s",
                    cfg_kind_name(n));
    if ((rc = cfg_check_keys(c, n, "input", keys, 4)) != 0)
        return rc;
    if ((v = cfg_lookup(c, n, "path", NULL)) != NULL &&
        (rc = cfg_dup_scalar(c, v, "input path", &job->input.path, &job->input.path_line,
                         &job->input.path_column)) != 0)
        return rc;
    if ((v = cfg_lookup(c, n, "job", &k)) != NULL &&
        (rc = cfg_dup_scalar(c, v, "input job", &job->input_job, &job->input_job_line,
                         &job->input_job_column)) != 0)
        return rc;
    if (job->input.path && job->input_job)
        return cfg_err(c, k, "input takes either a path or a job, not both");
    if (!job->input.path && !job->input_job)
        return cfg_err(c, n, "input needs a path (or the name of a job whose outputs it reads)");
    if ((v = cfg_lookup(c, n, "format", NULL)) != NULL &&
        (rc = cfg_dup_scalar(c, v, "input format", &job->input.name, &job->input.name_line,
                         &job->input.name_column)) != 0)
        return rc;
    if ((v = cfg_lookup(c, n, "options", NULL)) != NULL && (rc = parse_options(c, v, &job->input.opts)) != 0)
        return rc;
    return 0;
}

static int parse_transform(cfgp *c, yaml_node_t *n, dpc_step *t)
{
    static const char *const keys[] = {"name", "options"};
    yaml_node_t *v;
    int rc;
    mark(n, &t->line, &t->column);
    if (n->type == YAML_SCALAR_NODE)
        return cfg_dup_scalar(c, n, "transform", &t->name, &t->name_line, &t->name_column);
    if (n->type != YAML_MAPPING_NODE)
        return cfg_err(c, n, "a transform must be a name or a mapping (name, options), not %s", cfg_kind_name(n));
    if ((rc = cfg_check_keys(c, n, "transform", keys, 2)) != 0)
        return rc;
    v = cfg_lookup(c, n, "name", NULL);
    if (!v)
        return cfg_err(c, n, "transform needs a name");
    if ((rc = cfg_dup_scalar(c, v, "transform name", &t->name, &t->name_line, &t->name_column)) != 0)
        return rc;
    if ((v = cfg_lookup(c, n, "options", NULL)) != NULL && (rc = parse_options(c, v, &t->opts)) != 0)
        return rc;
    return 0;
}

static int parse_output(cfgp *c, yaml_node_t *n, dpc_step *o)
{
    static const char *const keys[] = {"format", "path", "options"};
    yaml_node_t *v;
    int rc;
    mark(n, &o->line, &o->column);
    if (n->type == YAML_SCALAR_NODE)
        return cfg_dup_scalar(c, n, "output", &o->path, &o->path_line, &o->path_column);
    if (n->type != YAML_MAPPING_NODE)
        return cfg_err(c, n, "an output must be a path or a mapping (format, path, options), not %s",
                    cfg_kind_name(n));
    if ((rc = cfg_check_keys(c, n, "output", keys, 3)) != 0)
        return rc;
    if ((v = cfg_lookup(c, n, "format", NULL)) != NULL &&
        (rc = cfg_dup_scalar(c, v, "output format", &o->name, &o->name_line, &o->name_column)) != 0)
        return rc;
    if ((v = cfg_lookup(c, n, "path", NULL)) != NULL &&
        (rc = cfg_dup_scalar(c, v, "output path", &o->path, &o->path_line, &o->path_column)) != 0)
        return rc;
    if (!o->name && !o->path)
        return cfg_err(c, n, "an output needs a format or a path");
    if ((v = cfg_lookup(c, n, "options", NULL)) != NULL && (rc = parse_options(c, v, &o->opts)) != 0)
        return rc;
    return 0;
}

static int parse_steps(cfgp *c, yaml_node_t *seq, const char *what, dpc_step **out, size_t *nout,
                       int (*one)(cfgp *, yaml_node_t *, dpc_step *))
{
    size_t cnt, i;
    int rc;
    if (seq->type == YAML_SCALAR_NODE || seq->type == YAML_MAPPING_NODE) {
        /* A single step may be written without the list. */
        *out = calloc(1, sizeof **out);
        if (!*out)
            return cfg_nomem(c);
        *nout = 1;
        return one(c, seq, *out);
    }
    if ((rc = cfg_want(c, seq, YAML_SEQUENCE_NODE, what)) != 0)
        return rc;
    cnt = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    *out = calloc(cnt ? cnt : 1, sizeof **out);
    if (!*out)
        return cfg_nomem(c);
    for (i = 0; i < cnt; i++) {
        yaml_node_t *n = cfg_node(c, seq->data.sequence.items.start[i]);
        *nout = i + 1;
        if (cfg_spend(c, n))
            return DP_ECONFIG;
        if ((rc = one(c, n, &(*out)[i])) != 0)
            return rc;
    }
    return 0;
}

/* exclude: a glob or a list of globs, relative to the config's folder like
 * the input, of files the input's glob leaves out on purpose. */
static int parse_exclude(cfgp *c, yaml_node_t *v, dpc_job *job)
{
    yaml_node_item_t single, *start, *top;
    if (cfg_one_or_list(c, v, &single, &start, &top) != 0)
        return cfg_err(c, v, "exclude must be a glob or a list of globs, not %s", cfg_kind_name(v));
    for (yaml_node_item_t *it = start; it < top; it++) {
        yaml_node_t *g = cfg_node(c, *it);
        int rc = cfg_want(c, g, YAML_SCALAR_NODE, "an exclude glob");
        if (rc != 0)
            return rc;
        char *abs = dpc_resolve(c->p, cfg_scalar(g));
        if (!abs || dpu_strv_push_owned(&job->exclude, abs) != 0)
            return cfg_nomem(c);
    }
    return 0;
}

static int parse_metadata(cfgp *c, yaml_node_t *map, dpc_job *job)
{
    return cfg_parse_metadata_into(c, map, &job->meta, &job->nmeta, &job->meta_cap);
}

int cfg_parse_job(cfgp *c, yaml_node_t *n, dpc_job *job)
{
    static const char *const keys[] = {"name", "input", "metadata", "transforms", "outputs", "output-dir",
                                       "exclude"};
    yaml_node_t *v;
    int rc;
    mark(n, &job->line, &job->column);
    if ((rc = cfg_want(c, n, YAML_MAPPING_NODE, "a job")) != 0)
        return rc;
    if ((rc = cfg_check_keys(c, n, "job", keys, 7)) != 0)
        return rc;
    if ((v = cfg_lookup(c, n, "name", NULL)) != NULL && (rc = cfg_dup_scalar(c, v, "job name", &job->name, NULL, NULL)) != 0)
        return rc;
    v = cfg_lookup(c, n, "input", NULL);
    if (!v)
        return cfg_err(c, n, "job%s%s needs an input", job->name ? " " : "", job->name ? job->name : "");
    if ((rc = parse_input(c, v, job)) != 0)
        return rc;
    if ((v = cfg_lookup(c, n, "metadata", NULL)) != NULL && (rc = parse_metadata(c, v, job)) != 0)
        return rc;
    if ((v = cfg_lookup(c, n, "transforms", NULL)) != NULL &&
        (rc = parse_steps(c, v, "transforms", &job->transforms, &job->ntransforms, parse_transform)) != 0)
        return rc;
    if ((v = cfg_lookup(c, n, "output-dir", NULL)) != NULL &&
        (rc = cfg_dup_scalar(c, v, "output-dir", &job->output_dir, &job->output_dir_line,
                         &job->output_dir_column)) != 0)
        return rc;
    if ((v = cfg_lookup(c, n, "exclude", NULL)) != NULL && (rc = parse_exclude(c, v, job)) != 0)
        return rc;
    v = cfg_lookup(c, n, "outputs", NULL);
    if (!v)
        return cfg_err(c, n, "job%s%s needs outputs", job->name ? " " : "", job->name ? job->name : "");
    if ((rc = parse_steps(c, v, "outputs", &job->outputs, &job->noutputs, parse_output)) != 0)
        return rc;
    if (job->noutputs == 0)
        return cfg_err(c, v, "outputs must not be empty");
    return 0;
}
