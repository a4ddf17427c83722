/* The YAML pipeline config parser (schema in docs/CONFIG.md). libyaml
 * builds the document graph; this file walks it into the pipeline model and
 * reports every schema problem with file:line:column. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "pipeline/pipeline_priv.h"

/* YAML aliases can make a small file describe a huge graph (an "alias
 * bomb"); every walk below spends from this budget. */
#define NODE_BUDGET 100000
#define MAX_META_DEPTH 64

typedef struct cfgp {
    yaml_document_t *doc;
    dp_pipeline *p;
    const char *file;
    dp_error *err;
    size_t budget;
} cfgp;

static int perr(cfgp *c, const yaml_node_t *n, const char *fmt, ...) DP_PRINTF(3, 4);
static int perr(cfgp *c, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return dp_error_set(c->err, DP_ECONFIG, c->file, n ? (int)n->start_mark.line + 1 : 0,
                        n ? (int)n->start_mark.column + 1 : 0, "%s", msg);
}

static int nomem(cfgp *c)
{
    return dp_error_set(c->err, DP_ENOMEM, c->file, 0, 0, "out of memory reading the config");
}

static yaml_node_t *get(cfgp *c, int id)
{
    return yaml_document_get_node(c->doc, id);
}

static const char *kind_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int spend(cfgp *c, const yaml_node_t *n)
{
    if (c->budget == 0)
        return perr(c, n, "config too large or too deeply aliased (more than %d nodes)", NODE_BUDGET);
    c->budget--;
    return 0;
}

static int want(cfgp *c, const yaml_node_t *n, yaml_node_type_t type, const char *what)
{
    static const char *const names[] = {"", "a string", "a list", "a mapping"};
    if (n->type == type)
        return 0;
    return perr(c, n, "%s must be %s, not %s", what, names[type], kind_name(n));
}

/* Checks that every key of map is a scalar, known and not repeated. */
static int check_keys(cfgp *c, yaml_node_t *map, const char *where, const char *const *allowed, size_t n)
{
    yaml_node_pair_t *pair, *other;
    for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
        yaml_node_t *k = get(c, pair->key);
        const char *key = scalar(k);
        size_t i;
        int known = 0;
        if (spend(c, k))
            return DP_ECONFIG;
        if (!key)
            return perr(c, k, "keys in %s must be strings, not %s", where, kind_name(k));
        for (i = 0; i < n; i++)
            if (strcmp(key, allowed[i]) == 0)
                known = 1;
        if (!known) {
            const char *s = dpu_suggest(key, allowed, n);
            if (s)
                return perr(c, k, "unknown key '%s' in %s (did you mean '%s'?)", key, where, s);
            return perr(c, k, "unknown key '%s' in %s", key, where);
        }
        for (other = map->data.mapping.pairs.start; other < pair; other++)
            if (dpu_streq(scalar(get(c, other->key)), key))
                return perr(c, k, "duplicate key '%s' in %s", key, where);
    }
    return 0;
}

static yaml_node_t *lookup(cfgp *c, yaml_node_t *map, const char *key, yaml_node_t **keynode)
{
    yaml_node_pair_t *pair;
    for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
        yaml_node_t *k = get(c, pair->key);
        if (dpu_streq(scalar(k), key)) {
            if (keynode)
                *keynode = k;
            return get(c, pair->value);
        }
    }
    return NULL;
}

static int dup_scalar(cfgp *c, yaml_node_t *n, const char *what, char **out, int *line, int *col)
{
    int rc = want(c, n, YAML_SCALAR_NODE, what);
    if (rc)
        return rc;
    if (!scalar(n)[0])
        return perr(c, n, "%s must not be empty", what);
    free(*out);
    *out = dpu_strdup(scalar(n));
    if (!*out)
        return nomem(c);
    if (line) {
        *line = (int)n->start_mark.line + 1;
        *col = (int)n->start_mark.column + 1;
    }
    return 0;
}

/* ---- plugin options: a mapping of key -> scalar | list ---- */

static int parse_options(cfgp *c, yaml_node_t *map, dpc_optset *set)
{
    yaml_node_pair_t *pair;
    int rc = want(c, map, YAML_MAPPING_NODE, "options");
    if (rc)
        return rc;
    for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
        yaml_node_t *k = get(c, pair->key), *v = get(c, pair->value);
        dpc_optval *o;
        yaml_node_item_t *it;
        if (spend(c, k) || spend(c, v))
            return DP_ECONFIG;
        if (!scalar(k))
            return perr(c, k, "option names must be strings, not %s", kind_name(k));
        if (dpc_optset_find(set, scalar(k)))
            return perr(c, k, "duplicate option '%s'", scalar(k));
        o = dpc_optset_add(set, scalar(k));
        if (!o)
            return nomem(c);
        o->line = (int)k->start_mark.line + 1;
        o->column = (int)k->start_mark.column + 1;
        o->vline = (int)v->start_mark.line + 1;
        o->vcolumn = (int)v->start_mark.column + 1;
        switch (v->type) {
        case YAML_SCALAR_NODE:
            o->value = dpu_strdup(scalar(v));
            if (!o->value)
                return nomem(c);
            break;
        case YAML_SEQUENCE_NODE:
            o->is_list = 1;
            for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
                yaml_node_t *iv = get(c, *it);
                if (spend(c, iv))
                    return DP_ECONFIG;
                if (!scalar(iv))
                    return perr(c, iv, "items of option '%s' must be strings, not %s", o->key,
                                kind_name(iv));
                if (dpu_strv_push(&o->items, scalar(iv)) != 0)
                    return nomem(c);
            }
            break;
        default:
            o->is_map = 1;
            break;
        }
    }
    return 0;
}

/* ---- metadata overrides ---- */

static int meta_value(cfgp *c, yaml_node_t *n, dpc_mval *out, int depth)
{
    if (spend(c, n))
        return DP_ECONFIG;
    if (depth > MAX_META_DEPTH)
        return perr(c, n, "metadata nested deeper than %d levels", MAX_META_DEPTH);
    memset(out, 0, sizeof *out);
    if (n->type == YAML_SCALAR_NODE) {
        const char *s = scalar(n);
        int plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        if (plain && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)) {
            out->type = MV_BOOL;
        } else {
            out->type = MV_STRING;
        }
        out->s = dpu_strdup(s);
        return out->s ? 0 : nomem(c);
    }
    if (n->type == YAML_SEQUENCE_NODE) {
        size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start), i;
        out->type = MV_LIST;
        out->items = calloc(cnt ? cnt : 1, sizeof *out->items);
        if (!out->items)
            return nomem(c);
        for (i = 0; i < cnt; i++) {
            int rc = meta_value(c, get(c, n->data.sequence.items.start[i]), &out->items[i], depth + 1);
            out->n = i + 1;
            if (rc)
                return rc;
        }
        return 0;
    }
    if (n->type == YAML_MAPPING_NODE) {
        size_t cnt = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start), i;
        out->type = MV_MAP;
        out->items = calloc(cnt ? cnt : 1, sizeof *out->items);
        out->keys = calloc(cnt ? cnt : 1, sizeof *out->keys);
        if (!out->items || !out->keys)
            return nomem(c);
        for (i = 0; i < cnt; i++) {
            yaml_node_pair_t *pair = &n->data.mapping.pairs.start[i];
            yaml_node_t *k = get(c, pair->key);
            int rc;
            if (!scalar(k))
                return perr(c, k, "metadata keys must be strings, not %s", kind_name(k));
            out->keys[i] = dpu_strdup(scalar(k));
            out->n = i + 1;
            if (!out->keys[i])
                return nomem(c);
            rc = meta_value(c, get(c, pair->value), &out->items[i], depth + 1);
            if (rc)
                return rc;
        }
        return 0;
    }
    return perr(c, n, "empty metadata value");
}

/* A mapping of metadata keys appended to *sets (a job's metadata, or the
 * command line's for --metadata-file). */
static int parse_metadata_into(cfgp *c, yaml_node_t *map, dpc_meta_set **sets, size_t *nsets)
{
    yaml_node_pair_t *pair;
    size_t cnt, i;
    dpc_meta_set *grown;
    int rc = want(c, map, YAML_MAPPING_NODE, "metadata");
    if (rc)
        return rc;
    cnt = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    grown = realloc(*sets, (*nsets + cnt + 1) * sizeof *grown);
    if (!grown)
        return nomem(c);
    *sets = grown;
    for (i = 0, pair = map->data.mapping.pairs.start; i < cnt; i++, pair++) {
        yaml_node_t *k = get(c, pair->key);
        dpc_meta_set *m = &grown[*nsets];
        memset(m, 0, sizeof *m);
        if (!scalar(k))
            return perr(c, k, "metadata keys must be strings, not %s", kind_name(k));
        m->key = dpu_strdup(scalar(k));
        m->line = (int)k->start_mark.line + 1;
        m->column = (int)k->start_mark.column + 1;
        (*nsets)++;
        if (!m->key)
            return nomem(c);
        if ((rc = meta_value(c, get(c, pair->value), &m->val, 1)) != 0)
            return rc;
    }
    return 0;
}

static int parse_metadata(cfgp *c, yaml_node_t *map, dpc_job *job)
{
    return parse_metadata_into(c, map, &job->meta, &job->nmeta);
}

/* ---- steps ---- */

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
        return dup_scalar(c, n, "input", &job->input.path, &job->input.path_line, &job->input.path_column);
    if (n->type != YAML_MAPPING_NODE)
        return perr(c, n, "input must be a path or a mapping (path, format, options, job), not %s",
                    kind_name(n));
    if ((rc = check_keys(c, n, "input", keys, 4)) != 0)
        return rc;
    if ((v = lookup(c, n, "path", NULL)) != NULL &&
        (rc = dup_scalar(c, v, "input path", &job->input.path, &job->input.path_line,
                         &job->input.path_column)) != 0)
        return rc;
    if ((v = lookup(c, n, "job", &k)) != NULL &&
        (rc = dup_scalar(c, v, "input job", &job->input_job, &job->input_job_line,
                         &job->input_job_column)) != 0)
        return rc;
    if (job->input.path && job->input_job)
        return perr(c, k, "input takes either a path or a job, not both");
    if (!job->input.path && !job->input_job)
        return perr(c, n, "input needs a path (or the name of a job whose outputs it reads)");
    if ((v = lookup(c, n, "format", NULL)) != NULL &&
        (rc = dup_scalar(c, v, "input format", &job->input.name, &job->input.name_line,
                         &job->input.name_column)) != 0)
        return rc;
    if ((v = lookup(c, n, "options", NULL)) != NULL && (rc = parse_options(c, v, &job->input.opts)) != 0)
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
        return dup_scalar(c, n, "transform", &t->name, &t->name_line, &t->name_column);
    if (n->type != YAML_MAPPING_NODE)
        return perr(c, n, "a transform must be a name or a mapping (name, options), not %s", kind_name(n));
    if ((rc = check_keys(c, n, "transform", keys, 2)) != 0)
        return rc;
    v = lookup(c, n, "name", NULL);
    if (!v)
        return perr(c, n, "transform needs a name");
    if ((rc = dup_scalar(c, v, "transform name", &t->name, &t->name_line, &t->name_column)) != 0)
        return rc;
    if ((v = lookup(c, n, "options", NULL)) != NULL && (rc = parse_options(c, v, &t->opts)) != 0)
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
        return dup_scalar(c, n, "output", &o->path, &o->path_line, &o->path_column);
    if (n->type != YAML_MAPPING_NODE)
        return perr(c, n, "an output must be a path or a mapping (format, path, options), not %s",
                    kind_name(n));
    if ((rc = check_keys(c, n, "output", keys, 3)) != 0)
        return rc;
    if ((v = lookup(c, n, "format", NULL)) != NULL &&
        (rc = dup_scalar(c, v, "output format", &o->name, &o->name_line, &o->name_column)) != 0)
        return rc;
    if ((v = lookup(c, n, "path", NULL)) != NULL &&
        (rc = dup_scalar(c, v, "output path", &o->path, &o->path_line, &o->path_column)) != 0)
        return rc;
    if (!o->name && !o->path)
        return perr(c, n, "an output needs a format or a path");
    if ((v = lookup(c, n, "options", NULL)) != NULL && (rc = parse_options(c, v, &o->opts)) != 0)
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
            return nomem(c);
        *nout = 1;
        return one(c, seq, *out);
    }
    if ((rc = want(c, seq, YAML_SEQUENCE_NODE, what)) != 0)
        return rc;
    cnt = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
    *out = calloc(cnt ? cnt : 1, sizeof **out);
    if (!*out)
        return nomem(c);
    for (i = 0; i < cnt; i++) {
        yaml_node_t *n = get(c, seq->data.sequence.items.start[i]);
        *nout = i + 1;
        if (spend(c, n))
            return DP_ECONFIG;
        if ((rc = one(c, n, &(*out)[i])) != 0)
            return rc;
    }
    return 0;
}

/* The items of a value that may be one string or a list of them: [*start,
 * *top) over the list, or over *single for a scalar. 0, or -1 for a
 * mapping. */
static int one_or_list(cfgp *c, yaml_node_t *v, yaml_node_item_t *single, yaml_node_item_t **start,
                       yaml_node_item_t **top)
{
    *start = single;
    *top = single + 1;
    if (v->type == YAML_SEQUENCE_NODE) {
        *start = v->data.sequence.items.start;
        *top = v->data.sequence.items.top;
    } else if (v->type == YAML_SCALAR_NODE) {
        *single = (yaml_node_item_t)(v - c->doc->nodes.start + 1);
    } else {
        return -1;
    }
    return 0;
}

/* exclude: a glob or a list of globs, relative to the config's folder like
 * the input, of files the input's glob leaves out on purpose. */
static int parse_exclude(cfgp *c, yaml_node_t *v, dpc_job *job)
{
    yaml_node_item_t single, *start, *top;
    if (one_or_list(c, v, &single, &start, &top) != 0)
        return perr(c, v, "exclude must be a glob or a list of globs, not %s", kind_name(v));
    for (yaml_node_item_t *it = start; it < top; it++) {
        yaml_node_t *g = get(c, *it);
        int rc = want(c, g, YAML_SCALAR_NODE, "an exclude glob");
        if (rc != 0)
            return rc;
        char *abs = dpc_resolve(c->p, scalar(g));
        if (!abs || dpu_strv_push_owned(&job->exclude, abs) != 0)
            return nomem(c);
    }
    return 0;
}

static int parse_job(cfgp *c, yaml_node_t *n, dpc_job *job)
{
    static const char *const keys[] = {"name", "input", "metadata", "transforms", "outputs", "output-dir",
                                       "exclude"};
    yaml_node_t *v;
    int rc;
    mark(n, &job->line, &job->column);
    if ((rc = want(c, n, YAML_MAPPING_NODE, "a job")) != 0)
        return rc;
    if ((rc = check_keys(c, n, "job", keys, 7)) != 0)
        return rc;
    if ((v = lookup(c, n, "name", NULL)) != NULL && (rc = dup_scalar(c, v, "job name", &job->name, NULL, NULL)) != 0)
        return rc;
    v = lookup(c, n, "input", NULL);
    if (!v)
        return perr(c, n, "job%s%s needs an input", job->name ? " " : "", job->name ? job->name : "");
    if ((rc = parse_input(c, v, job)) != 0)
        return rc;
    if ((v = lookup(c, n, "metadata", NULL)) != NULL && (rc = parse_metadata(c, v, job)) != 0)
        return rc;
    if ((v = lookup(c, n, "transforms", NULL)) != NULL &&
        (rc = parse_steps(c, v, "transforms", &job->transforms, &job->ntransforms, parse_transform)) != 0)
        return rc;
    if ((v = lookup(c, n, "output-dir", NULL)) != NULL &&
        (rc = dup_scalar(c, v, "output-dir", &job->output_dir, &job->output_dir_line,
                         &job->output_dir_column)) != 0)
        return rc;
    if ((v = lookup(c, n, "exclude", NULL)) != NULL && (rc = parse_exclude(c, v, job)) != 0)
        return rc;
    v = lookup(c, n, "outputs", NULL);
    if (!v)
        return perr(c, n, "job%s%s needs outputs", job->name ? " " : "", job->name ? job->name : "");
    if ((rc = parse_steps(c, v, "outputs", &job->outputs, &job->noutputs, parse_output)) != 0)
        return rc;
    if (job->noutputs == 0)
        return perr(c, v, "outputs must not be empty");
    return 0;
}

static int parse_top(cfgp *c, yaml_node_t *root)
{
    static const char *const keys[] = {"version", "plugin-path", "limits", "durable", "jobs"};
    yaml_node_t *v, *k;
    size_t cnt, i;
    int rc;
    if (!root)
        return dp_error_set(c->err, DP_ECONFIG, c->file, 1, 1, "the config is empty");
    if ((rc = want(c, root, YAML_MAPPING_NODE, "the config")) != 0)
        return rc;
    if ((rc = check_keys(c, root, "the config", keys, 5)) != 0)
        return rc;
    if ((v = lookup(c, root, "version", NULL)) != NULL && !dpu_streq(scalar(v), "1"))
        return perr(c, v, "unsupported config version (this docpipe reads version 1)");
    if ((v = lookup(c, root, "plugin-path", NULL)) != NULL) {
        yaml_node_item_t *it, single, *start, *top;
        if (one_or_list(c, v, &single, &start, &top) != 0)
            return perr(c, v, "plugin-path must be a directory or a list of directories, not %s",
                        kind_name(v));
        c->p->plugin_path_line = (int)v->start_mark.line + 1;
        c->p->plugin_path_column = (int)v->start_mark.column + 1;
        for (it = start; it < top; it++) {
            yaml_node_t *d = get(c, *it);
            char *abs;
            if ((rc = want(c, d, YAML_SCALAR_NODE, "a plugin-path entry")) != 0)
                return rc;
            abs = dpc_resolve(c->p, scalar(d));
            if (!abs || dpu_strv_push_owned(&c->p->plugin_path, abs) != 0)
                return nomem(c);
        }
    }
    if ((v = lookup(c, root, "limits", NULL)) != NULL) {
        yaml_node_pair_t *pair;
        if ((rc = want(c, v, YAML_MAPPING_NODE, "limits")) != 0)
            return rc;
        for (pair = v->data.mapping.pairs.start; pair < v->data.mapping.pairs.top; pair++) {
            yaml_node_t *lk = get(c, pair->key), *lv = get(c, pair->value);
            dp_error e;
            dp_error_clear(&e);
            if (!scalar(lk))
                return perr(c, lk, "limit names must be strings");
            if (!scalar(lv))
                return perr(c, lv, "limit %s must be a number, not %s", scalar(lk), kind_name(lv));
            if (dp_limits_set(&c->p->limits, scalar(lk), scalar(lv), &e) != 0)
                return perr(c, strncmp(e.message, "unknown", 7) == 0 ? lk : lv, "%s", e.message);
        }
    }
    if ((v = lookup(c, root, "durable", NULL)) != NULL) {
        const char *s = scalar(v);
        if (!s || v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || (strcmp(s, "true") && strcmp(s, "false")))
            return perr(c, v, "durable must be true or false");
        c->p->durable = strcmp(s, "true") == 0;
    }
    v = lookup(c, root, "jobs", &k);
    if (!v)
        return perr(c, root, "the config needs a 'jobs' list");
    if ((rc = want(c, v, YAML_SEQUENCE_NODE, "jobs")) != 0)
        return rc;
    cnt = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (cnt == 0)
        return perr(c, v, "jobs must not be empty");
    c->p->jobs = calloc(cnt, sizeof *c->p->jobs);
    if (!c->p->jobs)
        return nomem(c);
    for (i = 0; i < cnt; i++) {
        c->p->njobs = i + 1;
        if ((rc = parse_job(c, get(c, v->data.sequence.items.start[i]), &c->p->jobs[i])) != 0)
            return rc;
    }
    /* Job names must be unique (chaining refers to them). */
    for (i = 0; i < cnt; i++) {
        size_t j;
        for (j = 0; j < i; j++)
            if (c->p->jobs[i].name && dpu_streq(c->p->jobs[i].name, c->p->jobs[j].name))
                return dp_error_set(c->err, DP_ECONFIG, c->file, c->p->jobs[i].line, c->p->jobs[i].column,
                                    "duplicate job name '%s' (first at line %d)", c->p->jobs[i].name,
                                    c->p->jobs[j].line);
    }
    return 0;
}

/* Real configs nest a few levels; libyaml is slow on deep flow nesting
 * (see dp_yaml_flow_too_deep): refuse it before libyaml sees the text. */
#define MAX_FLOW_DEPTH 256

int dp_pipeline_parse(dp_pipeline **out, const char *path, const char *text, size_t len,
                      const char *base_dir, dp_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    dp_pipeline *p = NULL;
    cfgp c;
    int rc;

    if (!out || (!text && len))
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_pipeline_parse: bad arguments");
    *out = NULL;
    if ((rc = dp_pipeline_new(&p)) != 0)
        return dp_error_set(err, rc, path, 0, 0, "out of memory");
    p->trust = 0; /* a config may do only what the user allows (dp_pipeline_set_trust) */
    p->file = dpu_strdup(path ? path : "<config>");
    p->base_dir = base_dir ? dpu_strdup(base_dir) : NULL;
    if (!p->file || (base_dir && !p->base_dir)) {
        dp_pipeline_free(p);
        return dp_error_set(err, DP_ENOMEM, path, 0, 0, "out of memory");
    }
    {
        int dl, dc;
        if (text && dp_yaml_flow_too_deep(text, len, MAX_FLOW_DEPTH, &dl, &dc)) {
            rc = dp_error_set(err, DP_ECONFIG, p->file, dl, dc, "config nested deeper than %d levels",
                              MAX_FLOW_DEPTH);
            dp_pipeline_free(p);
            return rc;
        }
        /* An alias bomb, counted in bytes as well as nodes: the config's
         * expanded text may not exceed the largest input (max-input-bytes,
         * its default: the config's own limits are not read yet). */
        switch (text ? dp_yaml_expansion_check(text, len, p->limits.max_input_bytes, NODE_BUDGET, &dl, &dc) : 0) {
        case 1:
            rc = dp_error_set(err, DP_ECONFIG, p->file, dl, dc,
                              "this alias expands the config to more than %zu bytes of text (limit "
                              "max-input-bytes): refusing a YAML alias bomb",
                              p->limits.max_input_bytes);
            dp_pipeline_free(p);
            return rc;
        case 2:
            rc = dp_error_set(err, DP_ECONFIG, p->file, dl, dc,
                              "config too large or too deeply aliased (more than %d nodes)", NODE_BUDGET);
            dp_pipeline_free(p);
            return rc;
        default:
            break;
        }
    }
    if (!yaml_parser_initialize(&parser)) {
        dp_pipeline_free(p);
        return dp_error_set(err, DP_ENOMEM, path, 0, 0, "out of memory");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)(text ? text : ""), len);
    if (!yaml_parser_load(&parser, &doc)) {
        const yaml_mark_t *m = parser.problem ? &parser.problem_mark : &parser.context_mark;
        rc = dp_error_set(err, DP_ECONFIG, p->file, (int)m->line + 1, (int)m->column + 1,
                          "YAML syntax error: %s%s%s", parser.problem ? parser.problem : "unknown",
                          parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        dp_pipeline_free(p);
        return rc;
    }
    c.doc = &doc;
    c.p = p;
    c.file = p->file;
    c.err = err;
    c.budget = NODE_BUDGET;
    rc = parse_top(&c, yaml_document_get_root_node(&doc));
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (rc) {
        dp_pipeline_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

int dp_pipeline_load(dp_pipeline **out, const char *config_path, dp_error *err)
{
    unsigned char *data = NULL;
    size_t len = 0;
    char *dir;
    int rc;
    if (!out || !config_path)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_pipeline_load: NULL argument");
    *out = NULL;
    rc = dpu_read_file(config_path, (size_t)16 << 20, &data, &len, err);
    if (rc) {
        /* A config that cannot be read is a config error, not an input one. */
        if (err && err->code != DP_ENOMEM)
            err->code = DP_ECONFIG;
        return DP_ECONFIG;
    }
    dir = dpu_dirname(config_path);
    if (!dir) {
        free(data);
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    }
    rc = dp_pipeline_parse(out, config_path, (const char *)data, len, dir, err);
    free(dir);
    free(data);
    return rc;
}

/* --metadata-file FILE (pandoc's option): a YAML mapping whose keys are set
 * like -M, in the file's order, before the -M given after it. Values keep
 * their YAML shape (lists, maps, booleans); scalars stay text. */
int dp_pipeline_add_metadata_file(dp_pipeline *p, const char *path, dp_error *err)
{
    unsigned char *data = NULL;
    size_t len = 0;
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_node_t *root;
    cfgp c;
    int rc, dl, dc;
    if (!p || !path)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "dp_pipeline_add_metadata_file: NULL argument");
    if ((rc = dpu_read_file(path, (size_t)16 << 20, &data, &len, err)) != 0)
        return rc;
    if (dp_yaml_flow_too_deep((const char *)data, len, MAX_FLOW_DEPTH, &dl, &dc)) {
        free(data);
        return dp_error_set(err, DP_EINPUT, path, dl, dc, "metadata nested deeper than %d levels", MAX_FLOW_DEPTH);
    }
    if (!yaml_parser_initialize(&parser)) {
        free(data);
        return dp_error_set(err, DP_ENOMEM, path, 0, 0, "out of memory");
    }
    yaml_parser_set_input_string(&parser, data, len);
    if (!yaml_parser_load(&parser, &doc)) {
        const yaml_mark_t *m = parser.problem ? &parser.problem_mark : &parser.context_mark;
        rc = dp_error_set(err, DP_EINPUT, path, (int)m->line + 1, (int)m->column + 1, "YAML syntax error: %s",
                          parser.problem ? parser.problem : "unknown");
        yaml_parser_delete(&parser);
        free(data);
        return rc;
    }
    c.doc = &doc;
    c.p = p;
    c.file = path;
    c.err = err;
    c.budget = NODE_BUDGET;
    root = yaml_document_get_root_node(&doc);
    rc = root ? parse_metadata_into(&c, root, &p->cli_meta, &p->ncli_meta) : 0; /* empty file: nothing */
    if (rc && err && err->code == DP_ECONFIG)
        err->code = DP_EINPUT;
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    free(data);
    return rc;
}
