/* Resources: named binary blobs (images, CSS, fonts) copied into the arena. */
#include "tree/tree_internal.h"

#include <string.h>

DP_EXPORT int dp_doc_add_resource(dp_doc *doc, const char *name, const char *mime,
                                  const void *data, size_t len)
{
    if (!doc || !name || !*name || (!data && len))
        return DP_EINVAL;
    const char *name_copy = dp_doc_strdup(doc, name);
    const char *mime_copy = mime ? dp_doc_strdup(doc, mime) : NULL;
    /* One spare byte keeps text resources (CSS) NUL-terminated for callers. */
    unsigned char *bytes = dpt_arena_alloc(&doc->arena, len + 1);
    if (!name_copy || (mime && !mime_copy) || !bytes || len == SIZE_MAX)
        return DP_ENOMEM;
    if (len)
        memcpy(bytes, data, len);
    dp_resource res = {name_copy, mime_copy ? mime_copy : "application/octet-stream", bytes, len};

    for (size_t i = 0; i < doc->nresources; i++) {
        if (strcmp(doc->resources[i].name, name) == 0) {
            doc->resources[i] = res;
            return DP_OK;
        }
    }
    if (doc->nresources == doc->cap_resources) {
        size_t cap = doc->cap_resources ? doc->cap_resources * 2 : 8;
        dp_resource *grown = dpt_arena_grow(&doc->arena, doc->resources, sizeof(dp_resource),
                                           doc->nresources, cap);
        if (!grown)
            return DP_ENOMEM;
        doc->resources = grown;
        doc->cap_resources = cap;
    }
    doc->resources[doc->nresources++] = res;
    return DP_OK;
}

DP_EXPORT size_t dp_doc_resource_count(const dp_doc *doc)
{
    return doc ? doc->nresources : 0;
}

DP_EXPORT const dp_resource *dp_doc_resource_at(const dp_doc *doc, size_t i)
{
    if (!doc || i >= doc->nresources)
        return NULL;
    return &doc->resources[i];
}

DP_EXPORT const dp_resource *dp_doc_resource_find(const dp_doc *doc, const char *name)
{
    if (!doc || !name)
        return NULL;
    for (size_t i = 0; i < doc->nresources; i++)
        if (strcmp(doc->resources[i].name, name) == 0)
            return &doc->resources[i];
    return NULL;
}
