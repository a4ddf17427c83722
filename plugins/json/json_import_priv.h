/* The json importer's shared parts: its state, the error helpers and
 * typed getters (json_import_values.c), metadata and resources
 * (json_import_meta.c) and the node builder (json_import.c). Private to
 * plugins/json; prefix ji_. */
#ifndef DOCPIPE_JSON_IMPORT_PRIV_H
#define DOCPIPE_JSON_IMPORT_PRIV_H

#include "json_internal.h"

typedef struct {
    dp_ctx *ctx;
    const char *path;
    json_doc jd;
    dp_doc *doc;
    int max_depth;
} importer;

/* Errors carry the line:column of the offending JSON value (v may be NULL). */
int ji_fail(importer *im, const jv *v, int code, const char *fmt, ...) DP_PRINTF(4, 5);
int ji_nomem(importer *im);
const char *ji_type_name(const jv *v);

/* Typed getters: a wrong type or range fails naming the field (what). */
int ji_get_cstr(importer *im, const jv *v, const char *what, const char **out);
int ji_get_int(importer *im, const jv *v, const char *what, long lo, long hi, int *out);
int ji_get_bool(importer *im, const jv *v, const char *what, int *out);
int ji_get_enum(importer *im, const jv *v, const char *what, const char *const *table, int *out);
int ji_get_double(importer *im, const jv *v, const char *what, double *out);
int ji_want_type(importer *im, const jv *v, jv_type type, const char *what);

/* One node object without its children (returned in *children), and the
 * children of a node, iteratively. */
int ji_make_node(importer *im, const jv *obj, dp_node *parent, dp_node **out, const jv **children);
int ji_convert_children(importer *im, dp_node *parent, const jv *arr);

int ji_convert_meta(importer *im, const jv *root);
int ji_convert_resources(importer *im, const jv *arr);

#endif
