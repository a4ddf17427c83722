/* dp_yaml_expansion_check (dp_common.h): how big a YAML text becomes once
 * its aliases are expanded, measured from libyaml's event stream without
 * expanding anything. Shared by the config parser and YAML-reading plugins
 * (Markdown front matter): counting nodes alone let one long anchored string
 * referenced 50 000 times through (a 210 KB file became 513 MB of HTML). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "host/host.h"

/* The expanded size of one anchored node, by anchor name. Anchors may be
 * redefined: the latest definition wins, as in YAML. */
typedef struct anchor {
    char *name;
    size_t bytes, nodes;
} anchor;

typedef struct anchors {
    anchor *slot; /* open addressing, power-of-two capacity */
    size_t cap, n;
} anchors;

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static anchor *find_slot(anchor *slot, size_t cap, const char *name)
{
    size_t i = (size_t)hash(name) & (cap - 1);
    while (slot[i].name && strcmp(slot[i].name, name) != 0)
        i = (i + 1) & (cap - 1);
    return &slot[i];
}

static int put(anchors *t, const char *name, size_t bytes, size_t nodes)
{
    anchor *a;
    if ((t->n + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64, i;
        anchor *slot = calloc(cap, sizeof *slot);
        if (!slot)
            return -1;
        for (i = 0; i < t->cap; i++)
            if (t->slot[i].name)
                *find_slot(slot, cap, t->slot[i].name) = t->slot[i];
        free(t->slot);
        t->slot = slot;
        t->cap = cap;
    }
    a = find_slot(t->slot, t->cap, name);
    if (!a->name) {
        a->name = dpu_strdup(name);
        if (!a->name)
            return -1;
        t->n++;
    }
    a->bytes = bytes;
    a->nodes = nodes;
    return 0;
}

static const anchor *get(const anchors *t, const char *name)
{
    const anchor *a;
    if (!t->cap)
        return NULL;
    a = find_slot(t->slot, t->cap, name);
    return a->name ? a : NULL;
}

static void anchors_free(anchors *t)
{
    size_t i;
    for (i = 0; i < t->cap; i++)
        free(t->slot[i].name);
    free(t->slot);
}

/* A limit may be set as high as SIZE_MAX: totals saturate, never wrap. */
static size_t add(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* An open collection: where the totals stood when it started, and its
 * anchor (NULL when none). */
typedef struct frame {
    char *anchor;
    size_t bytes, nodes;
} frame;

int dp_yaml_expansion_check(const char *text, size_t len, size_t max_bytes, size_t max_nodes, int *line,
                            int *col)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    anchors table = {0};
    frame *stack = NULL;
    size_t depth = 0, cap = 0, bytes = 0, nodes = 0;
    int result = 0, done = 0;

    if (!text || !yaml_parser_initialize(&parser))
        return 0;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    while (!done && result == 0) {
        const char *name = NULL;
        if (!yaml_parser_parse(&parser, &ev))
            break; /* a syntax error: the loader reports it */
        switch (ev.type) {
        case YAML_SCALAR_EVENT:
            nodes = add(nodes, 1);
            bytes = add(bytes, ev.data.scalar.length);
            if (ev.data.scalar.anchor &&
                put(&table, (const char *)ev.data.scalar.anchor, ev.data.scalar.length, 1) != 0)
                result = -1;
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            name = (const char *)(ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.anchor
                                                                        : ev.data.mapping_start.anchor);
            if (DP_ARRAY_RESERVE(stack, cap, depth + 1)) {
                result = -1;
                break;
            }
            stack[depth].anchor = name ? dpu_strdup(name) : NULL;
            if (name && !stack[depth].anchor) {
                result = -1;
                break;
            }
            stack[depth].bytes = bytes;
            stack[depth].nodes = nodes;
            depth++;
            nodes = add(nodes, 1);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth == 0)
                break;
            depth--;
            if (stack[depth].anchor &&
                put(&table, stack[depth].anchor, bytes - stack[depth].bytes, nodes - stack[depth].nodes) != 0)
                result = -1;
            free(stack[depth].anchor);
            break;
        case YAML_ALIAS_EVENT: {
            const anchor *a = get(&table, (const char *)ev.data.alias.anchor);
            if (a) { /* an unknown anchor is the loader's error to report */
                bytes = add(bytes, a->bytes);
                nodes = add(nodes, a->nodes);
            }
            break;
        }
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        default:
            break;
        }
        if (result == 0 && (bytes > max_bytes || nodes > max_nodes)) {
            result = bytes > max_bytes ? 1 : 2;
            if (line)
                *line = (int)ev.start_mark.line + 1;
            if (col)
                *col = (int)ev.start_mark.column + 1;
        }
        yaml_event_delete(&ev);
    }
    while (depth > 0)
        free(stack[--depth].anchor);
    free(stack);
    anchors_free(&table);
    yaml_parser_delete(&parser);
    return result < 0 ? 0 : result;
}
