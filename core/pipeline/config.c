/* The YAML pipeline config parser (schema in docs/CONFIG.md). libyaml
 * builds the document graph; the parser walks it into the pipeline model and
 * reports every schema problem with file:line:column. This file reads the
 * top level (version, plugin-path, limits, durable, jobs) and the text;
 * a job is config_job.c, metadata config_meta.c, the walk config_walk.c. */
#include <stdlib.h>
#include <string.h>

#include "pipeline/config_priv.h"

static int parse_top(cfgp *c, yaml_node_t *root)
{
    static const char *const keys[] = {"version", "plugin-path", "limits", "durable", "jobs"};
    yaml_node_t *v, *k;
    size_t cnt, i;
    int rc;
    if (!root)
        return dp_error_set(c->err, DP_ECONFIG, c->file, 1, 1, "the config is empty");
    if ((rc = cfg_want(c, root, YAML_MAPPING_NODE, "the config")) != 0)
        return rc;
    if ((rc = cfg_check_keys(c, root, "the config", keys, 5)) != 0)
        return rc;
    if ((v = cfg_lookup(c, root, "version", NULL)) != NULL && !dpu_streq(cfg_scalar(v), "1"))
        return cfg_err(c, v, "unsupported config version (this docpipe reads version 1)");
    if ((v = cfg_lookup(c, root, "plugin-path", NULL)) != NULL) {
        yaml_node_item_t *it, single, *start, *top;
        if (cfg_one_or_list(c, v, &single, &start, &top) != 0)
            return cfg_err(c, v, "plugin-path must be a directory or a list of directories, not %s",
                        cfg_kind_name(v));
        c->p->plugin_path_line = (int)v->start_mark.line + 1;
        c->p->plugin_path_column = (int)v->start_mark.column + 1;
        for (it = start; it < top; it++) {
            yaml_node_t *d = cfg_node(c, *it);
            char *abs;
            if ((rc = cfg_want(c, d, YAML_SCALAR_NODE, "a plugin-path entry")) != 0)
                return rc;
            abs = dpc_resolve(c->p, cfg_scalar(d));
            if (!abs || dpu_strv_push_owned(&c->p->plugin_path, abs) != 0)
                return cfg_nomem(c);
        }
    }
    if ((v = cfg_lookup(c, root, "limits", NULL)) != NULL) {
        yaml_node_pair_t *pair;
        if ((rc = cfg_want(c, v, YAML_MAPPING_NODE, "limits")) != 0)
            return rc;
        for (pair = v->data.mapping.pairs.start; pair < v->data.mapping.pairs.top; pair++) {
            yaml_node_t *lk = cfg_node(c, pair->key), *lv = cfg_node(c, pair->value);
            dp_error e;
            dp_error_clear(&e);
            if (!cfg_scalar(lk))
                return cfg_err(c, lk, "limit names must be strings");
            if (!cfg_scalar(lv))
                return cfg_err(c, lv, "limit %s must be a number, not %s", cfg_scalar(lk), cfg_kind_name(lv));
            if (dp_limits_set(&c->p->limits, cfg_scalar(lk), cfg_scalar(lv), &e) != 0)
                return cfg_err(c, strncmp(e.message, "unknown", 7) == 0 ? lk : lv, "%s", e.message);
        }
    }
    if ((v = cfg_lookup(c, root, "durable", NULL)) != NULL) {
        const char *s = cfg_scalar(v);
        if (!s || v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || (strcmp(s, "true") && strcmp(s, "false")))
            return cfg_err(c, v, "durable must be true or false");
        c->p->durable = strcmp(s, "true") == 0;
    }
    v = cfg_lookup(c, root, "jobs", &k);
    if (!v)
        return cfg_err(c, root, "the config needs a 'jobs' list");
    if ((rc = cfg_want(c, v, YAML_SEQUENCE_NODE, "jobs")) != 0)
        return rc;
    cnt = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (cnt == 0)
        return cfg_err(c, v, "jobs must not be empty");
    c->p->jobs = calloc(cnt, sizeof *c->p->jobs);
    if (!c->p->jobs)
        return cfg_nomem(c);
    for (i = 0; i < cnt; i++) {
        c->p->njobs = i + 1;
        if ((rc = cfg_parse_job(c, cfg_node(c, v->data.sequence.items.start[i]), &c->p->jobs[i])) != 0)
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
