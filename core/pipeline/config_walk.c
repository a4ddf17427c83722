/* Reading libyaml's node graph for the config parser: errors at a node's
 * line:column, the node budget against alias bombs, type checks, keys
 * checked against what a mapping allows (with a did-you-mean). Every part
 * of the parser (config.c, config_job.c, config_meta.c) reads through these. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/config_priv.h"

int cfg_err(cfgp *c, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return dp_error_set(c->err, DP_ECONFIG, c->file, n ? (int)n->start_mark.line + 1 : 0,
                        n ? (int)n->start_mark.column + 1 : 0, "%s", msg);
}

int cfg_nomem(cfgp *c)
{
    return dp_error_set(c->err, DP_ENOMEM, c->file, 0, 0, "out of memory reading the config");
}

yaml_node_t *cfg_node(cfgp *c, int id)
{
    return yaml_document_get_node(c->doc, id);
}

const char *cfg_kind_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

const char *cfg_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

int cfg_spend(cfgp *c, const yaml_node_t *n)
{
    if (c->budget == 0)
        return cfg_err(c, n, "config too large or too deeply aliased (more than %d nodes)", NODE_BUDGET);
    c->budget--;
    return 0;
}

int cfg_want(cfgp *c, const yaml_node_t *n, yaml_node_type_t type, const char *what)
{
    static const char *const names[] = {"", "a string", "a list", "a mapping"};
    if (n->type == type)
        return 0;
    return cfg_err(c, n, "%s must be %s, not %s", what, names[type], cfg_kind_name(n));
}

/* Checks that every key of map is a scalar, known and not repeated. */
int cfg_check_keys(cfgp *c, yaml_node_t *map, const char *where, const char *const *allowed, size_t n)
{
    yaml_node_pair_t *pair, *other;
    for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
        yaml_node_t *k = cfg_node(c, pair->key);
        const char *key = cfg_scalar(k);
        size_t i;
        int known = 0;
        if (cfg_spend(c, k))
            return DP_ECONFIG;
        if (!key)
            return cfg_err(c, k, "keys in %s must be strings, not %s", where, cfg_kind_name(k));
        for (i = 0; i < n; i++)
            if (strcmp(key, allowed[i]) == 0)
                known = 1;
        if (!known) {
            const char *s = dpu_suggest(key, allowed, n);
            if (s)
                return cfg_err(c, k, "unknown key '%s' in %s (did you mean '%s'?)", key, where, s);
            return cfg_err(c, k, "unknown key '%s' in %s", key, where);
        }
        for (other = map->data.mapping.pairs.start; other < pair; other++)
            if (dpu_streq(cfg_scalar(cfg_node(c, other->key)), key))
                return cfg_err(c, k, "duplicate key '%s' in %s", key, where);
    }
    return 0;
}

yaml_node_t *cfg_lookup(cfgp *c, yaml_node_t *map, const char *key, yaml_node_t **keynode)
{
    yaml_node_pair_t *pair;
    for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
        yaml_node_t *k = cfg_node(c, pair->key);
        if (dpu_streq(cfg_scalar(k), key)) {
            if (keynode)
                *keynode = k;
            return cfg_node(c, pair->value);
        }
    }
    return NULL;
}

int cfg_dup_scalar(cfgp *c, yaml_node_t *n, const char *what, char **out, int *line, int *col)
{
    int rc = cfg_want(c, n, YAML_SCALAR_NODE, what);
    if (rc)
        return rc;
    if (!cfg_scalar(n)[0])
        return cfg_err(c, n, "%s must not be empty", what);
    free(*out);
    *out = dpu_strdup(cfg_scalar(n));
    if (!*out)
        return cfg_nomem(c);
    if (line) {
        *line = (int)n->start_mark.line + 1;
        *col = (int)n->start_mark.column + 1;
    }
    return 0;
}

int cfg_one_or_list(cfgp *c, yaml_node_t *v, yaml_node_item_t *single, yaml_node_item_t **start,
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
