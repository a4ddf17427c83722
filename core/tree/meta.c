/* Document metadata: a typed tree of maps, lists, strings, bools and
 * formatted text, all in the document's arena. */
#include "tree/tree_internal.h"

#include <stdlib.h>
#include <string.h>

static dp_meta *meta_new(dp_doc *doc, dp_meta_type type)
{
    if (!doc)
        return NULL;
    dp_meta *m = dpt_arena_alloc(&doc->arena, sizeof *m);
    if (!m)
        return NULL;
    m->type = type;
    m->doc = doc;
    return m;
}

DP_EXPORT dp_meta *dp_doc_meta(const dp_doc *doc)
{
    return doc ? doc->meta : NULL;
}

DP_EXPORT dp_meta *dp_meta_new_map(dp_doc *doc) { return meta_new(doc, DP_META_MAP); }
DP_EXPORT dp_meta *dp_meta_new_list(dp_doc *doc) { return meta_new(doc, DP_META_LIST); }

DP_EXPORT dp_meta *dp_meta_new_string(dp_doc *doc, const char *s)
{
    if (!s)
        return NULL;
    dp_meta *m = meta_new(doc, DP_META_STRING);
    if (!m || !(m->as.str = dp_doc_strdup(doc, s)))
        return NULL;
    return m;
}

DP_EXPORT dp_meta *dp_meta_new_bool(dp_doc *doc, int b)
{
    dp_meta *m = meta_new(doc, DP_META_BOOL);
    if (m)
        m->as.boolean = b ? 1 : 0;
    return m;
}

DP_EXPORT dp_meta *dp_meta_new_nodes(dp_doc *doc, dp_meta_type type)
{
    if (type != DP_META_INLINES && type != DP_META_BLOCKS)
        return NULL;
    dp_meta *m = meta_new(doc, type);
    if (!m)
        return NULL;
    m->as.nodes = dp_node_new(doc, type == DP_META_INLINES ? DP_SPAN : DP_DIV);
    return m->as.nodes ? m : NULL;
}

DP_EXPORT dp_meta_type dp_meta_get_type(const dp_meta *m)
{
    return m ? m->type : (dp_meta_type)0;
}

DP_EXPORT const char *dp_meta_string(const dp_meta *m)
{
    return m && m->type == DP_META_STRING ? m->as.str : NULL;
}

DP_EXPORT int dp_meta_bool(const dp_meta *m)
{
    return m && m->type == DP_META_BOOL ? m->as.boolean : 0;
}

DP_EXPORT dp_node *dp_meta_nodes(const dp_meta *m)
{
    return m && (m->type == DP_META_INLINES || m->type == DP_META_BLOCKS) ? m->as.nodes : NULL;
}

DP_EXPORT const char *dp_meta_text(const dp_meta *m)
{
    if (!m)
        return NULL;
    switch (m->type) {
    case DP_META_STRING:
        return m->as.str;
    case DP_META_BOOL:
        return m->as.boolean ? "true" : "false";
    case DP_META_INLINES:
    case DP_META_BLOCKS:
        /* A note in a title is not part of the title's text. */
        return dp_node_plain_text(m->as.nodes, 1);
    default:
        return NULL;
    }
}

/* ---- maps -------------------------------------------------------------- */

static long map_index(const dp_meta *map, const char *key, size_t keylen)
{
    for (size_t i = 0; i < map->as.map.n; i++) {
        const char *k = map->as.map.keys[i];
        if (strncmp(k, key, keylen) == 0 && k[keylen] == '\0')
            return (long)i;
    }
    return -1;
}

DP_EXPORT dp_meta *dp_meta_get(const dp_meta *map, const char *key)
{
    if (!map || map->type != DP_META_MAP || !key)
        return NULL;
    long i = map_index(map, key, strlen(key));
    return i >= 0 ? map->as.map.values[i] : NULL;
}

/* Whether container is reachable from value (inserting value into
 * container would then make a cycle that every walker would loop on).
 * Scalars and empty containers answer at once. */
static int reaches(const dp_meta *value, const dp_meta *container)
{
    if (value == container)
        return 1;
    if (value->type != DP_META_MAP && value->type != DP_META_LIST)
        return 0;
    size_t cap = 32, n = 0;
    const dp_meta **stack = malloc(cap * sizeof *stack);
    if (!stack)
        return 1; /* refuse rather than risk a cycle */
    int found = 0;
    stack[n++] = value;
    while (n > 0 && !found) {
        const dp_meta *v = stack[--n];
        size_t kids = v->type == DP_META_MAP ? v->as.map.n : v->type == DP_META_LIST ? v->as.list.n : 0;
        for (size_t i = 0; i < kids; i++) {
            const dp_meta *c = v->type == DP_META_MAP ? v->as.map.values[i] : v->as.list.items[i];
            if (c == container) {
                found = 1;
                break;
            }
            if (c->type != DP_META_MAP && c->type != DP_META_LIST)
                continue;
            if (DP_ARRAY_RESERVE(stack, cap, n + 1)) {
                found = 1;
                break;
            }
            stack[n++] = c;
        }
    }
    free((void *)stack);
    return found;
}

DP_EXPORT int dp_meta_set(dp_meta *map, const char *key, dp_meta *value)
{
    if (!map || map->type != DP_META_MAP || !key)
        return DP_EINVAL;
    if (!value)
        return dp_meta_remove(map, key);
    if (value->doc != map->doc || reaches(value, map))
        return DP_EINVAL;
    long i = map_index(map, key, strlen(key));
    if (i >= 0) {
        map->as.map.values[i] = value;
        return DP_OK;
    }
    dp_doc *doc = map->doc;
    if (map->as.map.n == map->as.map.cap) {
        size_t cap = map->as.map.cap ? map->as.map.cap * 2 : 8;
        const char **k = dpt_arena_grow(&doc->arena, (void *)map->as.map.keys, sizeof *k, map->as.map.n, cap);
        dp_meta **v = dpt_arena_grow(&doc->arena, map->as.map.values, sizeof *v, map->as.map.n, cap);
        if (!k || !v)
            return DP_ENOMEM;
        map->as.map.keys = k;
        map->as.map.values = v;
        map->as.map.cap = cap;
    }
    const char *kcopy = dp_doc_strdup(doc, key);
    if (!kcopy)
        return DP_ENOMEM;
    map->as.map.keys[map->as.map.n] = kcopy;
    map->as.map.values[map->as.map.n] = value;
    map->as.map.n++;
    return DP_OK;
}

DP_EXPORT int dp_meta_remove(dp_meta *map, const char *key)
{
    if (!map || map->type != DP_META_MAP || !key)
        return DP_EINVAL;
    long i = map_index(map, key, strlen(key));
    if (i < 0)
        return DP_OK;
    size_t tail = map->as.map.n - (size_t)i - 1;
    memmove((void *)&map->as.map.keys[i], (void *)&map->as.map.keys[i + 1], tail * sizeof(char *));
    memmove(&map->as.map.values[i], &map->as.map.values[i + 1], tail * sizeof(dp_meta *));
    map->as.map.n--;
    return DP_OK;
}

DP_EXPORT size_t dp_meta_map_count(const dp_meta *map)
{
    return map && map->type == DP_META_MAP ? map->as.map.n : 0;
}

DP_EXPORT const char *dp_meta_map_key_at(const dp_meta *map, size_t i)
{
    if (!map || map->type != DP_META_MAP || i >= map->as.map.n)
        return NULL;
    return map->as.map.keys[i];
}

DP_EXPORT dp_meta *dp_meta_map_value_at(const dp_meta *map, size_t i)
{
    if (!map || map->type != DP_META_MAP || i >= map->as.map.n)
        return NULL;
    return map->as.map.values[i];
}

/* ---- lists ------------------------------------------------------------- */

DP_EXPORT int dp_meta_append(dp_meta *list, dp_meta *value)
{
    if (!list || list->type != DP_META_LIST || !value || value->doc != list->doc || reaches(value, list))
        return DP_EINVAL;
    if (list->as.list.n == list->as.list.cap) {
        size_t cap = list->as.list.cap ? list->as.list.cap * 2 : 4;
        dp_meta **grown = dpt_arena_grow(&list->doc->arena, list->as.list.items, sizeof *grown,
                                        list->as.list.n, cap);
        if (!grown)
            return DP_ENOMEM;
        list->as.list.items = grown;
        list->as.list.cap = cap;
    }
    list->as.list.items[list->as.list.n++] = value;
    return DP_OK;
}

DP_EXPORT size_t dp_meta_len(const dp_meta *m)
{
    if (!m)
        return 0;
    return m->type == DP_META_LIST ? m->as.list.n : 1;
}

DP_EXPORT dp_meta *dp_meta_at(const dp_meta *m, size_t i)
{
    if (!m)
        return NULL;
    if (m->type == DP_META_LIST)
        return i < m->as.list.n ? m->as.list.items[i] : NULL;
    return i == 0 ? (dp_meta *)m : NULL;
}

/* ---- convenience ------------------------------------------------------- */

DP_EXPORT const char *dp_meta_get_text(const dp_meta *map, const char *path)
{
    if (!map || !path)
        return NULL;
    const dp_meta *cur = map;
    const char *p = path;
    while (cur && cur->type == DP_META_MAP) {
        /* A key that itself contains dots wins over descending. */
        long whole = map_index(cur, p, strlen(p));
        if (whole >= 0)
            return dp_meta_text(cur->as.map.values[whole]);
        const char *dot = strchr(p, '.');
        if (!dot)
            return NULL;
        long i = map_index(cur, p, (size_t)(dot - p));
        if (i < 0)
            return NULL;
        cur = cur->as.map.values[i];
        p = dot + 1;
    }
    return NULL;
}

DP_EXPORT int dp_meta_set_string(dp_doc *doc, dp_meta *map, const char *key, const char *value)
{
    if (!doc || !map || !key || !value)
        return DP_EINVAL;
    dp_meta *s = dp_meta_new_string(doc, value);
    if (!s)
        return DP_ENOMEM;
    return dp_meta_set(map, key, s);
}

/* ---- pandoc's spellings of agreed keys --------------------------------- */

/* Front matter written for pandoc names some agreed keys its own way. The
 * writers look an agreed key up here, so `lang: ar` reaches <html lang>,
 * dc:language and xml:lang, while the metadata itself stays as written (a
 * pandoc-json round trip gives the same keys back). */
static const char *const pandoc_spelling[][2] = {
    {"language", "lang"}, {"subject", "keywords"}, {"description", "abstract"}};

DP_EXPORT const char *dp_meta_agreed_key(const char *key)
{
    for (size_t i = 0; key && i < sizeof pandoc_spelling / sizeof pandoc_spelling[0]; i++)
        if (strcmp(key, pandoc_spelling[i][1]) == 0)
            return pandoc_spelling[i][0];
    return key;
}

DP_EXPORT dp_meta *dp_meta_get_agreed(const dp_meta *map, const char *key)
{
    dp_meta *v = dp_meta_get(map, key);
    for (size_t i = 0; !v && key && i < sizeof pandoc_spelling / sizeof pandoc_spelling[0]; i++)
        if (strcmp(key, pandoc_spelling[i][0]) == 0)
            v = dp_meta_get(map, pandoc_spelling[i][1]);
    return v;
}

DP_EXPORT const char *dp_meta_agreed_text(const dp_meta *map, const char *key)
{
    return dp_meta_text(dp_meta_get_agreed(map, key));
}
