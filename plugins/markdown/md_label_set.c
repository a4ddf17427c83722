/* Footnote labels in an open-addressing hash set: see md_label_set.h. */
#include "md_label_set.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static size_t hash(const char *p, size_t len)
{
    size_t h = 1469598103934665603u; /* FNV-1a over the lower-cased bytes */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)tolower((unsigned char)p[i])) * 1099511628211u;
    return h;
}

static int same(const char *label, const char *p, size_t len)
{
    if (strlen(label) != len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (tolower((unsigned char)label[i]) != tolower((unsigned char)p[i]))
            return 0;
    return 1;
}

int md_label_set_init(md_label_set *s, char *const *labels, size_t n)
{
    s->cap = 16;
    while (s->cap < 2 * n)
        s->cap *= 2;
    s->slots = calloc(s->cap, sizeof *s->slots);
    if (!s->slots)
        return -1;
    for (size_t d = 0; d < n; d++) {
        const char *lab = labels[d];
        if (!lab)
            continue;
        size_t len = strlen(lab), i = hash(lab, len) & (s->cap - 1);
        while (s->slots[i] && !same(s->slots[i], lab, len))
            i = (i + 1) & (s->cap - 1);
        s->slots[i] = lab;
    }
    return 0;
}

int md_label_set_has(const md_label_set *s, const char *p, size_t len)
{
    for (size_t i = hash(p, len) & (s->cap - 1); s->slots[i]; i = (i + 1) & (s->cap - 1))
        if (same(s->slots[i], p, len))
            return 1;
    return 0;
}

void md_label_set_free(md_label_set *s)
{
    free(s->slots);
    s->slots = NULL;
}
