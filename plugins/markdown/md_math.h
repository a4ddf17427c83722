/* TeX math in Markdown (md_math.c): the "math" cmark-gfm syntax extension
 * for $…$, $$…$$ and $`…`$, its scanner, and the writer's delimiters. */
#ifndef DOCPIPE_MD_MATH_H
#define DOCPIPE_MD_MATH_H

#include <stddef.h>

#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>

/* 1 when node is an inline formula made by the extension, 2 for display
 * math, else 0. Its literal (cmark_node_get_literal) is the TeX. */
int md_math_kind(cmark_node *node);

/* Creates the extension; once per process (the module init hook, md_module.c). */
void md_math_register(void);
/* The extension, to attach to a parser; NULL if it could not be made. */
cmark_syntax_extension *md_math_extension(void);

/* The character at pos of a source, or -1 outside it. */
typedef int (*md_math_at)(void *src, long pos);

typedef struct md_math_span {
    long content, content_end; /* the formula: [content, content_end) */
    long end;                  /* just past the closing delimiter */
    int display;
} md_math_span;

/* Whether a formula starts at start (a '$'); fills out. */
int md_math_scan(md_math_at at, void *src, long start, md_math_span *out);

typedef struct md_math_str {
    const char *s;
    size_t len;
} md_math_str;

typedef struct md_math_delims {
    char open[24], close[24];
} md_math_delims;

/* The delimiters that make tex read back as this formula, next being the
 * character that will follow the closing delimiter (0: none). 0 when found
 * (display: "$$"; inline: "$" or "$`"), 1 when display math had to be
 * written inline ($`…`$: it holds "$$" or a blank line), -1 when no
 * delimiter can hold it. */
int md_math_delimiters(const char *tex, size_t len, int display, int next, md_math_delims *out);

#endif
