/* Attributes on every node: id, classes, ordered key/values, lang; and the
 * node's source position. id, class and lang are first-class: the key/value
 * list never holds keys named "id", "class" or "lang" (setting one through
 * dp_node_set_attr goes to the first-class field), so exporters never write
 * them twice. */
#include "tree/tree_internal.h"

#include <string.h>

static dpt_attrs *attrs_of(dp_node *node)
{
    if (!node->attrs)
        node->attrs = dpt_arena_alloc(&node->doc->arena, sizeof(dpt_attrs));
    return node->attrs;
}

DP_EXPORT const char *dp_node_id(const dp_node *node)
{
    return node && node->attrs ? node->attrs->id : NULL;
}

DP_EXPORT int dp_node_set_id(dp_node *node, const char *id)
{
    if (!node)
        return DP_EINVAL;
    if (!id || !*id) {
        if (node->attrs)
            node->attrs->id = NULL;
        return DP_OK;
    }
    dpt_attrs *a = attrs_of(node);
    const char *copy = dp_doc_strdup(node->doc, id);
    if (!a || !copy)
        return DP_ENOMEM;
    a->id = copy;
    return DP_OK;
}

/* ---- classes -------------------------------------------------------- */

DP_EXPORT int dp_node_class_count(const dp_node *node)
{
    return node && node->attrs ? node->attrs->nclasses : 0;
}

DP_EXPORT const char *dp_node_class_at(const dp_node *node, int i)
{
    if (!node || !node->attrs || i < 0 || i >= node->attrs->nclasses)
        return NULL;
    return node->attrs->classes[i];
}

static int class_index(const dp_node *node, const char *cls)
{
    if (!node || !node->attrs || !cls)
        return -1;
    for (int i = 0; i < node->attrs->nclasses; i++)
        if (strcmp(node->attrs->classes[i], cls) == 0)
            return i;
    return -1;
}

DP_EXPORT int dp_node_has_class(const dp_node *node, const char *cls)
{
    return class_index(node, cls) >= 0;
}

/* A class is one non-empty token without whitespace (HTML's class list). */
static int class_valid(const char *cls)
{
    if (!cls || !*cls)
        return 0;
    for (const char *p = cls; *p; p++)
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
            return 0;
    return 1;
}

DP_EXPORT int dp_node_add_class(dp_node *node, const char *cls)
{
    if (!node || !class_valid(cls))
        return DP_EINVAL;
    if (class_index(node, cls) >= 0)
        return DP_OK;
    dpt_attrs *a = attrs_of(node);
    if (!a)
        return DP_ENOMEM;
    if (a->nclasses == a->cap_classes) {
        int cap = a->cap_classes ? a->cap_classes * 2 : 4;
        const char **grown = dpt_arena_grow(&node->doc->arena, (void *)a->classes, sizeof *grown,
                                           (size_t)a->nclasses, (size_t)cap);
        if (!grown)
            return DP_ENOMEM;
        a->classes = grown;
        a->cap_classes = cap;
    }
    const char *copy = dp_doc_strdup(node->doc, cls);
    if (!copy)
        return DP_ENOMEM;
    a->classes[a->nclasses++] = copy;
    return DP_OK;
}

DP_EXPORT int dp_node_remove_class(dp_node *node, const char *cls)
{
    int i = class_index(node, cls);
    if (i < 0)
        return node && cls ? DP_OK : DP_EINVAL;
    dpt_attrs *a = node->attrs;
    memmove((void *)&a->classes[i], (void *)&a->classes[i + 1],
            sizeof(a->classes[0]) * (size_t)(a->nclasses - i - 1));
    a->nclasses--;
    return DP_OK;
}

/* Splits a whitespace-separated class attribute into classes. */
static int add_class_list(dp_node *node, const char *list)
{
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
            p++;
        const char *start = p;
        while (*p && !(*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f'))
            p++;
        if (p > start) {
            char *one = dp_doc_strndup(node->doc, start, (size_t)(p - start));
            if (!one)
                return DP_ENOMEM;
            int rc = dp_node_add_class(node, one);
            if (rc)
                return rc;
        }
    }
    return DP_OK;
}

/* ---- key/values ------------------------------------------------------ */

DP_EXPORT int dp_node_attr_count(const dp_node *node)
{
    return node && node->attrs ? node->attrs->nkv : 0;
}

DP_EXPORT const char *dp_node_attr_key_at(const dp_node *node, int i)
{
    if (!node || !node->attrs || i < 0 || i >= node->attrs->nkv)
        return NULL;
    return node->attrs->keys[i];
}

DP_EXPORT const char *dp_node_attr_value_at(const dp_node *node, int i)
{
    if (!node || !node->attrs || i < 0 || i >= node->attrs->nkv)
        return NULL;
    return node->attrs->values[i];
}

static int kv_index(const dp_node *node, const char *key)
{
    if (!node->attrs)
        return -1;
    for (int i = 0; i < node->attrs->nkv; i++)
        if (strcmp(node->attrs->keys[i], key) == 0)
            return i;
    return -1;
}

DP_EXPORT const char *dp_node_attr(const dp_node *node, const char *key)
{
    if (!node || !key)
        return NULL;
    if (strcmp(key, "id") == 0)
        return dp_node_id(node);
    if (strcmp(key, "lang") == 0)
        return dp_node_lang(node);
    int i = kv_index(node, key);
    return i >= 0 ? node->attrs->values[i] : NULL;
}

DP_EXPORT int dp_node_set_attr(dp_node *node, const char *key, const char *value)
{
    if (!node || !key || !*key)
        return DP_EINVAL;
    if (strcmp(key, "id") == 0)
        return dp_node_set_id(node, value);
    if (strcmp(key, "lang") == 0)
        return dp_node_set_lang(node, value);
    if (strcmp(key, "class") == 0)
        return value ? add_class_list(node, value) : DP_OK;
    int i = kv_index(node, key);
    if (!value) {
        if (i >= 0) {
            dpt_attrs *a = node->attrs;
            size_t tail = (size_t)(a->nkv - i - 1);
            memmove((void *)&a->keys[i], (void *)&a->keys[i + 1], sizeof(a->keys[0]) * tail);
            memmove((void *)&a->values[i], (void *)&a->values[i + 1], sizeof(a->values[0]) * tail);
            a->nkv--;
        }
        return DP_OK;
    }
    const char *vcopy = dp_doc_strdup(node->doc, value);
    if (!vcopy)
        return DP_ENOMEM;
    if (i >= 0) {
        node->attrs->values[i] = vcopy;
        return DP_OK;
    }
    dpt_attrs *a = attrs_of(node);
    const char *kcopy = dp_doc_strdup(node->doc, key);
    if (!a || !kcopy)
        return DP_ENOMEM;
    if (a->nkv == a->cap_kv) {
        int cap = a->cap_kv ? a->cap_kv * 2 : 4;
        const char **k = dpt_arena_grow(&node->doc->arena, (void *)a->keys, sizeof *k, (size_t)a->nkv,
                                       (size_t)cap);
        const char **v = dpt_arena_grow(&node->doc->arena, (void *)a->values, sizeof *v, (size_t)a->nkv,
                                       (size_t)cap);
        if (!k || !v)
            return DP_ENOMEM;
        a->keys = k;
        a->values = v;
        a->cap_kv = cap;
    }
    a->keys[a->nkv] = kcopy;
    a->values[a->nkv] = vcopy;
    a->nkv++;
    return DP_OK;
}

/* ---- lang -------------------------------------------------------------- */

DP_EXPORT const char *dp_node_lang(const dp_node *node)
{
    return node && node->attrs ? node->attrs->lang : NULL;
}

DP_EXPORT int dp_node_set_lang(dp_node *node, const char *lang)
{
    if (!node)
        return DP_EINVAL;
    if (!lang) {
        if (node->attrs)
            node->attrs->lang = NULL;
        return DP_OK;
    }
    /* "" is kept: xml:lang="" means "language unknown" and stops inheritance. */
    dpt_attrs *a = attrs_of(node);
    const char *copy = dp_doc_strdup(node->doc, lang);
    if (!a || !copy)
        return DP_ENOMEM;
    a->lang = copy;
    return DP_OK;
}

DP_EXPORT const char *dp_node_lang_effective(const dp_node *node)
{
    if (!node)
        return NULL;
    for (const dp_node *p = node; p; p = p->parent)
        if (p->attrs && p->attrs->lang)
            return p->attrs->lang;
    return dp_meta_get_text(node->doc->meta, "language");
}

/* ---- source position --------------------------------------------------- */

DP_EXPORT int dp_node_line(const dp_node *node)
{
    return node ? node->line : 0;
}

DP_EXPORT int dp_node_column(const dp_node *node)
{
    return node ? node->column : 0;
}

DP_EXPORT void dp_node_set_pos(dp_node *node, int line, int column)
{
    if (!node)
        return;
    node->line = line > 0 ? line : 0;
    node->column = column > 0 ? column : 0;
}

/* ---- source file (inputs made of several files) ------------------------ */

/* Names are interned per document: an EPUB of 60 chapters has 60 strings
 * however many nodes point at them. The set is an open-addressing hash
 * table in the arena (slots: NULL or a name; at most half full): a search
 * of every earlier name per new one was quadratic in the number of files
 * (8,000 chapters: 1.1 G instructions). The last name found is tried
 * first, as a reader sets the same name on every node of a file in a row. */
static size_t name_hash(const char *s)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static const char **name_slot(const char **slots, size_t cap, const char *name)
{
    size_t i = name_hash(name) & (cap - 1);
    while (slots[i] && strcmp(slots[i], name) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static const char *intern_source_file(dp_doc *doc, const char *file)
{
    if (doc->last_source_file && strcmp(doc->last_source_file, file) == 0)
        return doc->last_source_file;
    if (2 * (doc->nsource_files + 1) > doc->cap_source_files) {
        size_t cap = doc->cap_source_files ? doc->cap_source_files * 2 : 16;
        const char **slots = dpt_arena_alloc(&doc->arena, cap * sizeof *slots);
        if (!slots)
            return NULL;
        for (size_t i = 0; i < doc->cap_source_files; i++)
            if (doc->source_files[i])
                *name_slot(slots, cap, doc->source_files[i]) = doc->source_files[i];
        doc->source_files = slots;
        doc->cap_source_files = cap;
    }
    const char **slot = name_slot(doc->source_files, doc->cap_source_files, file);
    if (!*slot) {
        *slot = dp_doc_strdup(doc, file);
        if (!*slot)
            return NULL;
        doc->nsource_files++;
    }
    doc->last_source_file = *slot;
    return *slot;
}

DP_EXPORT int dp_node_set_source_file(dp_node *node, const char *file)
{
    if (!node)
        return DP_EINVAL;
    if (!file) {
        node->source_file = NULL;
        return DP_OK;
    }
    const char *name = intern_source_file(node->doc, file);
    if (!name)
        return DP_ENOMEM;
    node->source_file = name;
    return DP_OK;
}

DP_EXPORT const char *dp_node_source_file(const dp_node *node)
{
    for (const dp_node *p = node; p; p = p->parent)
        if (p->source_file)
            return p->source_file;
    return NULL;
}
