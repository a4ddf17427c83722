/* The document arena: big zero-filled slabs, freed all at once. Nodes,
 * strings, attributes, metadata and resources all come from here, so that
 * building a tree costs a pointer bump per allocation and dp_doc_free costs
 * one free() per slab, whatever the shape of the tree. */
#include "tree/tree_internal.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_FIRST_CHUNK (16u * 1024u)
#define ARENA_MAX_CHUNK (1024u * 1024u)
/* Requests above this get a chunk of their own, so that a big resource
 * does not waste the rest of an ordinary slab. */
#define ARENA_BIG_REQUEST (64u * 1024u)

struct dpt_arena_chunk {
    dpt_arena_chunk *next;
    size_t size; /* usable bytes in data */
    size_t used;
    alignas(max_align_t) unsigned char data[];
};

static size_t round_up(size_t n)
{
    const size_t a = alignof(max_align_t);
    return (n + a - 1) & ~(a - 1);
}

void dpt_arena_init(dpt_arena *arena)
{
    arena->head = NULL;
    arena->next_size = ARENA_FIRST_CHUNK;
}

void dpt_arena_release(dpt_arena *arena)
{
    dpt_arena_chunk *c = arena->head;
    while (c) {
        dpt_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    arena->head = NULL;
}

static dpt_arena_chunk *chunk_new(size_t size)
{
    if (size > SIZE_MAX - sizeof(dpt_arena_chunk))
        return NULL;
    /* calloc: the arena promises zero-filled memory and never reuses it. */
    dpt_arena_chunk *c = calloc(1, sizeof(dpt_arena_chunk) + size);
    if (!c)
        return NULL;
    c->size = size;
    return c;
}

void *dpt_arena_alloc(dpt_arena *arena, size_t size)
{
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX / 2)
        return NULL;
    size = round_up(size);
    dpt_arena_chunk *c = arena->head;
    if (c && c->size - c->used >= size) {
        void *p = c->data + c->used;
        c->used += size;
        return p;
    }
    if (size > ARENA_BIG_REQUEST) {
        dpt_arena_chunk *big = chunk_new(size);
        if (!big)
            return NULL;
        big->used = size;
        /* Keep the current slab at the head: it still has room. */
        if (c) {
            big->next = c->next;
            c->next = big;
        } else {
            arena->head = big;
        }
        return big->data;
    }
    /* A request between the chunk size and ARENA_BIG_REQUEST must still fit
     * the new chunk (a 50 000-byte text run once overflowed a 16K chunk). */
    dpt_arena_chunk *fresh = chunk_new(size > arena->next_size ? size : arena->next_size);
    if (!fresh)
        return NULL;
    if (arena->next_size < ARENA_MAX_CHUNK)
        arena->next_size *= 2;
    fresh->next = c;
    arena->head = fresh;
    fresh->used = size;
    return fresh->data;
}

void *dpt_arena_grow(dpt_arena *arena, void *old, size_t item_size, size_t old_n, size_t new_n)
{
    if (item_size != 0 && new_n > SIZE_MAX / item_size)
        return NULL;
    void *p = dpt_arena_alloc(arena, item_size * new_n);
    if (p && old && old_n)
        memcpy(p, old, item_size * old_n);
    return p;
}

/* ---- public arena API ----------------------------------------------- */

DP_EXPORT void *dp_doc_alloc(dp_doc *doc, size_t size)
{
    if (!doc)
        return NULL;
    return dpt_arena_alloc(&doc->arena, size);
}

DP_EXPORT char *dp_doc_strndup(dp_doc *doc, const char *s, size_t len)
{
    if (!doc || (!s && len))
        return NULL;
    if (len == SIZE_MAX)
        return NULL;
    char *p = dpt_arena_alloc(&doc->arena, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

DP_EXPORT char *dp_doc_strdup(dp_doc *doc, const char *s)
{
    if (!s)
        return NULL;
    return dp_doc_strndup(doc, s, strlen(s));
}
