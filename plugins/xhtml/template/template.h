/* A small template language, a subset of pandoc's (so that simple pandoc
 * templates work unchanged). Format-neutral text processing: the writer
 * that uses it says what its variables hold and how text is escaped.
 *
 *   $name$ ${name}          a variable; name.key follows maps ("author.name")
 *   $if(x)$ … $elseif(y)$ … $else$ … $endif$
 *   $for(x)$ … $sep$ … $endfor$   once per item of x (a list, or one value);
 *                           inside, $x$ and $it$ are the current item
 *   $name()$                a partial: only those the writer provides
 *                           (the HTML writer: $styles.html()$)
 *   $$                      a dollar sign
 *   $-- …                   a comment, to the end of the line
 *
 * A directive (if, elseif, else, endif, for, sep, endfor) alone on its line
 * leaves no line behind. A value is true when it is a non-empty string, a
 * true boolean, a non-empty list or any map. Metadata values are written
 * through the escape callback; raw values (the writer's rendered body, toc,
 * stylesheet) are written as they are. Not supported, reported as errors
 * with their line: pipes ($x/uppercase$), other partials, nesting deeper
 * than 64. */
#ifndef DOCPIPE_TEMPLATE_H
#define DOCPIPE_TEMPLATE_H

#include <docpipe/docpipe.h>

typedef struct tpl_value {
    const dp_meta *meta; /* a metadata value (escaped when written), or */
    const char *raw;     /* text written as is (when meta is NULL) */
} tpl_value;

typedef struct tpl_env {
    /* The value of a top-level name ("title", "body", "styles.html()"):
     * 1 and *out filled, or 0 when the name has no value. */
    int (*lookup)(void *userdata, const char *name, tpl_value *out);
    /* Appends text, escaped for the output format, to out. */
    int (*escape)(void *userdata, const char *text, dp_buf *out);
    void *userdata;
} tpl_env;

/* Renders template text (len bytes) into out. Errors (DP_EINPUT) are
 * reported through ctx with source_name and the line. */
int tpl_render(dp_ctx *ctx, const char *source_name, const char *text, size_t len, const tpl_env *env,
               dp_buf *out);

#endif
