/* What the files of the config parser share: the walk's state and the
 * helpers that read libyaml's node graph with positions and a budget
 * (config_walk.c). The parser is split by job: config.c (the top level,
 * dp_pipeline_parse / dp_pipeline_load), config_job.c (a job and its steps,
 * plugin options), config_meta.c (metadata overrides, --metadata-file). */
#ifndef DOCPIPE_CORE_CONFIG_PRIV_H
#define DOCPIPE_CORE_CONFIG_PRIV_H

#include <yaml.h>

#include "pipeline/pipeline_priv.h"

/* YAML aliases can make a small file describe a huge graph (an "alias
 * bomb"); every walk spends from this budget. */
#define NODE_BUDGET 100000
#define MAX_META_DEPTH 64
/* Real configs nest a few levels; libyaml is slow on deep flow nesting
 * (see dp_yaml_flow_too_deep): refuse it before libyaml sees the text. */
#define MAX_FLOW_DEPTH 256

typedef struct cfgp {
    yaml_document_t *doc;
    dp_pipeline *p;
    const char *file;
    dp_error *err;
    size_t budget;
} cfgp;

/* A config error at n's position (DP_ECONFIG, returned). */
int cfg_err(cfgp *c, const yaml_node_t *n, const char *fmt, ...) DP_PRINTF(3, 4);
int cfg_nomem(cfgp *c);
yaml_node_t *cfg_node(cfgp *c, int id);
/* "a string", "a list", "a mapping" */
const char *cfg_kind_name(const yaml_node_t *n);
/* The text of a scalar node, NULL for any other node. */
const char *cfg_scalar(const yaml_node_t *n);
/* Spends one node of the budget; an error once it is used up. */
int cfg_spend(cfgp *c, const yaml_node_t *n);
/* An error unless n is of type (what names it in the message). */
int cfg_want(cfgp *c, const yaml_node_t *n, yaml_node_type_t type, const char *what);
/* Unknown (with a did-you-mean) and duplicate keys of map. */
int cfg_check_keys(cfgp *c, yaml_node_t *map, const char *where, const char *const *allowed, size_t n);
yaml_node_t *cfg_lookup(cfgp *c, yaml_node_t *map, const char *key, yaml_node_t **keynode);
int cfg_dup_scalar(cfgp *c, yaml_node_t *n, const char *what, char **out, int *line, int *col);
/* The items of a value that may be one string or a list of them: [*start,
 * *top) over the list, or over *single for a scalar. 0, or -1 for a
 * mapping. */
int cfg_one_or_list(cfgp *c, yaml_node_t *v, yaml_node_item_t *single, yaml_node_item_t **start,
                    yaml_node_item_t **top);

/* config_job.c: one entry of jobs: into job. */
int cfg_parse_job(cfgp *c, yaml_node_t *n, dpc_job *job);
/* config_meta.c: a metadata mapping appended to *sets. */
int cfg_parse_metadata_into(cfgp *c, yaml_node_t *map, dpc_meta_set **sets, size_t *nsets, size_t *cap);

#endif
