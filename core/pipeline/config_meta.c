/* Metadata overrides as YAML gives them (a job's metadata:, and the
 * mapping of --metadata-file): values keep their shape (lists, maps,
 * booleans), nesting is capped, aliases spend the node budget. */
#include <stdlib.h>
#include <string.h>

#include "pipeline/config_priv.h"

static int meta_value(cfgp *c, yaml_node_t *n, dpc_mval *out, int depth)
{
    if (cfg_spend(c, n))
        return DP_ECONFIG;
    if (depth > MAX_META_DEPTH)
        return cfg_err(c, n, "metadata nested deeper than %d levels", MAX_META_DEPTH);
    memset(out, 0, sizeof *out);
    if (n->type == YAML_SCALAR_NODE) {
        const char *s = cfg_scalar(n);
        int plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        if (plain && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)) {
            out->type = MV_BOOL;
        } else {
            out->type = MV_STRING;
        }
        out->s = dpu_strdup(s);
        return out->s ? 0 : cfg_nomem(c);
    }
    if (n->type == YAML_SEQUENCE_NODE) {
        size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start), i;
        out->type = MV_LIST;
        out->items = calloc(cnt ? cnt : 1, sizeof *out->items);
        if (!out->items)
            return cfg_nomem(c);
        for (i = 0; i < cnt; i++) {
            int rc = meta_value(c, cfg_node(c, n->data.sequence.items.start[i]), &out->items[i], depth + 1);
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
            return cfg_nomem(c);
        for (i = 0; i < cnt; i++) {
            yaml_node_pair_t *pair = &n->data.mapping.pairs.start[i];
            yaml_node_t *k = cfg_node(c, pair->key);
            int rc;
            if (!cfg_scalar(k))
                return cfg_err(c, k, "metadata keys must be strings, not %s", cfg_kind_name(k));
            out->keys[i] = dpu_strdup(cfg_scalar(k));
            out->n = i + 1;
            if (!out->keys[i])
                return cfg_nomem(c);
            rc = meta_value(c, cfg_node(c, pair->value), &out->items[i], depth + 1);
            if (rc)
                return rc;
        }
        return 0;
    }
    return cfg_err(c, n, "empty metadata value");
}

/* A mapping of metadata keys appended to *sets (a job's metadata, or the
 * command line's for --metadata-file). */
int cfg_parse_metadata_into(cfgp *c, yaml_node_t *map, dpc_meta_set **sets, size_t *nsets, size_t *cap)
{
    yaml_node_pair_t *pair;
    size_t cnt, i;
    int rc = cfg_want(c, map, YAML_MAPPING_NODE, "metadata");
    if (rc)
        return rc;
    cnt = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    if (DP_ARRAY_RESERVE(*sets, *cap, *nsets + cnt + 1))
        return cfg_nomem(c);
    for (i = 0, pair = map->data.mapping.pairs.start; i < cnt; i++, pair++) {
        yaml_node_t *k = cfg_node(c, pair->key);
        dpc_meta_set *m = &(*sets)[*nsets];
        memset(m, 0, sizeof *m);
        if (!cfg_scalar(k))
            return cfg_err(c, k, "metadata keys must be strings, not %s", cfg_kind_name(k));
        m->key = dpu_strdup(cfg_scalar(k));
        m->line = (int)k->start_mark.line + 1;
        m->column = (int)k->start_mark.column + 1;
        (*nsets)++;
        if (!m->key)
            return cfg_nomem(c);
        if ((rc = meta_value(c, cfg_node(c, pair->value), &m->val, 1)) != 0)
            return rc;
    }
    return 0;
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
    rc = root ? cfg_parse_metadata_into(&c, root, &p->cli_meta, &p->ncli_meta, &p->cli_meta_cap) : 0; /* empty file: nothing */
    if (rc && err && err->code == DP_ECONFIG)
        err->code = DP_EINPUT;
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    free(data);
    return rc;
}
