/* A set of footnote labels, compared as cmark-gfm compares them for our
 * purpose (ASCII case-insensitively), for the unused-footnote check: a hash
 * set, so that checking every definition line is linear in the document
 * (comparing each line with each definition took 18 s for 100 000 notes). */
#ifndef DOCPIPE_MD_LABEL_SET_H
#define DOCPIPE_MD_LABEL_SET_H

#include <stddef.h>

typedef struct md_label_set {
    const char **slots; /* borrowed NUL-terminated labels, NULL = empty slot */
    size_t cap;         /* a power of two, at least twice the labels */
} md_label_set;

/* Adds the non-NULL labels[0..n) (borrowed: they must outlive the set).
 * 0, or -1 when out of memory. */
int md_label_set_init(md_label_set *s, char *const *labels, size_t n);
/* Whether the len bytes at p are one of the labels. */
int md_label_set_has(const md_label_set *s, const char *p, size_t len);
void md_label_set_free(md_label_set *s);

#endif
