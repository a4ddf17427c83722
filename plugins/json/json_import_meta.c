/* The json importer's "meta" and "resources" keys. */
#include "json_import_priv.h"

#include <stdlib.h>
#include <string.h>

/* ---- metadata ---------------------------------------------------------- */

static int is_formatted(const jv *v, dp_meta_type *type)
{
    if (v->type != JV_OBJ || v->u.obj.n != 1)
        return 0;
    const char *k = v->u.obj.keys[0]->u.str.s;
    if (strcmp(k, "$inlines") == 0)
        *type = DP_META_INLINES;
    else if (strcmp(k, "$blocks") == 0)
        *type = DP_META_BLOCKS;
    else
        return 0;
    return 1;
}

/* Converts one metadata value; maps and lists come back empty (the caller
 * fills them). */
static int meta_value(importer *im, const jv *v, dp_meta **out)
{
    dp_meta_type ftype;
    const char *s;
    int rc;
    *out = NULL;
    switch (v->type) {
    case JV_STR:
        if ((rc = ji_get_cstr(im, v, "metadata string", &s)))
            return rc;
        *out = dp_meta_new_string(im->doc, s);
        break;
    case JV_TRUE:
    case JV_FALSE:
        *out = dp_meta_new_bool(im->doc, v->type == JV_TRUE);
        break;
    case JV_NUM: {
        /* The tree has no numbers: keep the literal as written. */
        char *text = dp_doc_strndup(im->doc, v->u.num.text, v->u.num.len);
        *out = text ? dp_meta_new_string(im->doc, text) : NULL;
        break;
    }
    case JV_NULL:
        return ji_fail(im, v, DP_EINPUT, "null is not a metadata value (leave the key out)");
    case JV_ARR:
        *out = dp_meta_new_list(im->doc);
        break;
    case JV_OBJ:
        if (is_formatted(v, &ftype)) {
            const jv *arr = v->u.obj.values[0];
            if ((rc = ji_want_type(im, arr, JV_ARR, ftype == DP_META_INLINES ? "$inlines" : "$blocks")))
                return rc;
            *out = dp_meta_new_nodes(im->doc, ftype);
            if (!*out)
                return ji_nomem(im);
            return ji_convert_children(im, dp_meta_nodes(*out), arr);
        }
        *out = dp_meta_new_map(im->doc);
        break;
    }
    return *out ? DP_OK : ji_nomem(im);
}

/* A map key as stored: "$$x" in JSON is "$x"; other "$" keys are reserved. */
static int meta_key(importer *im, const jv *k, const char **out)
{
    const char *s;
    int rc = ji_get_cstr(im, k, "metadata key", &s);
    if (rc)
        return rc;
    if (s[0] == '$') {
        if (s[1] != '$')
            return ji_fail(im, k, DP_EINPUT,
                          "metadata key \"%s\": keys starting with '$' are reserved (write \"$%s\" for a key "
                          "that starts with '$'; \"$inlines\"/\"$blocks\" must be the only key of their object)",
                          s, s);
        s++;
    }
    *out = s;
    return DP_OK;
}

typedef struct {
    const jv *src;
    size_t i;
    dp_meta *dst;
} meta_frame;

int ji_convert_meta(importer *im, const jv *root)
{
    dp_meta_type ftype;
    if (root->type != JV_OBJ || is_formatted(root, &ftype))
        return ji_fail(im, root, DP_EINPUT, "\"meta\" must be an object of keys");
    size_t cap = 16, n = 0;
    meta_frame *stack = malloc(cap * sizeof *stack);
    if (!stack)
        return ji_nomem(im);
    int rc = DP_OK;
    stack[n++] = (meta_frame){root, 0, dp_doc_meta(im->doc)};
    while (n > 0 && rc == DP_OK) {
        meta_frame *f = &stack[n - 1];
        int is_map = f->src->type == JV_OBJ;
        size_t count = is_map ? f->src->u.obj.n : f->src->u.arr.n;
        if (f->i >= count) {
            n--;
            continue;
        }
        size_t i = f->i++;
        const jv *v = is_map ? f->src->u.obj.values[i] : f->src->u.arr.items[i];
        dp_meta *value;
        if ((rc = meta_value(im, v, &value)))
            break;
        if (is_map) {
            const char *key = NULL;
            if ((rc = meta_key(im, f->src->u.obj.keys[i], &key)))
                break;
            if (dp_meta_get(f->dst, key)) {
                rc = ji_fail(im, f->src->u.obj.keys[i], DP_EINPUT, "metadata key \"%s\" given twice", key);
                break;
            }
            if (dp_meta_set(f->dst, key, value) != DP_OK) {
                rc = ji_nomem(im);
                break;
            }
        } else if (dp_meta_append(f->dst, value) != DP_OK) {
            rc = ji_nomem(im);
            break;
        }
        int container = (v->type == JV_ARR && v->u.arr.n > 0) ||
                        (v->type == JV_OBJ && !is_formatted(v, &ftype) && v->u.obj.n > 0);
        if (container) {
            if (DP_ARRAY_RESERVE(stack, cap, n + 1)) {
                rc = ji_nomem(im);
                break;
            }
            stack[n++] = (meta_frame){v, 0, value};
        }
    }
    free(stack);
    return rc;
}

/* ---- resources ----------------------------------------------------------- */

int ji_convert_resources(importer *im, const jv *arr)
{
    int rc = ji_want_type(im, arr, JV_ARR, "resources");
    if (rc)
        return rc;
    for (size_t i = 0; i < arr->u.arr.n; i++) {
        const jv *r = arr->u.arr.items[i];
        if ((rc = ji_want_type(im, r, JV_OBJ, "resources item")))
            return rc;
        const char *name = NULL, *mime = NULL;
        const jv *data = NULL;
        for (size_t k = 0; k < r->u.obj.n; k++) {
            const char *key = r->u.obj.keys[k]->u.str.s;
            const jv *val = r->u.obj.values[k];
            if (strcmp(key, "name") == 0)
                rc = ji_get_cstr(im, val, key, &name);
            else if (strcmp(key, "mime") == 0)
                rc = ji_get_cstr(im, val, key, &mime);
            else if (strcmp(key, "data") == 0)
                rc = val->type == JV_STR ? DP_OK
                                         : ji_fail(im, val, DP_EINPUT, "\"data\" must be a base64 string");
            else
                rc = ji_fail(im, r->u.obj.keys[k], DP_EINPUT, "unknown resource field \"%s\" (name, mime, data)",
                            key);
            if (rc)
                return rc;
            if (strcmp(key, "data") == 0)
                data = val;
        }
        if (!name || !*name || !data)
            return ji_fail(im, r, DP_EINPUT, "a resource needs a non-empty \"name\" and \"data\"");
        if (dp_doc_resource_find(im->doc, name))
            return ji_fail(im, r, DP_EINPUT, "resource \"%s\" given twice", name);
        unsigned char *bytes = malloc(data->u.str.len / 4 * 3 + 1);
        if (!bytes)
            return ji_nomem(im);
        size_t n = b64_decode(data->u.str.s, data->u.str.len, bytes);
        if (n == (size_t)-1) {
            free(bytes);
            return ji_fail(im, data, DP_EINPUT, "\"data\" of resource \"%s\" is not valid base64", name);
        }
        rc = dp_doc_add_resource(im->doc, name, mime, bytes, n);
        free(bytes);
        if (rc)
            return ji_nomem(im);
    }
    return DP_OK;
}
