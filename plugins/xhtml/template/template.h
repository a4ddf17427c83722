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
 * through the escape callback, formatted ones (inlines, blocks) through the
 * markup callback (as plain text, escaped, when there is none or the value
 * is marked plain); raw values (the writer's rendered body, toc,
 * stylesheet) are written as they are. Not supported, reported as errors
 * with their line: pipes ($x/uppercase$), other partials, nesting deeper
 * than 64. */
#ifndef DOCPIPE_TEMPLATE_H
#define DOCPIPE_TEMPLATE_H

#include <docpipe/docpipe.h>

typedef struct tpl_value {
    const dp_meta *meta; /* a metadata value (escaped when written), or */
    const char *raw;     /* text written as is (when meta is NULL) */
    int plain;           /* meta: formatted values as plain text too (for
                            <title> and attribute values: pagetitle, author-meta) */
} tpl_value;

typedef struct tpl_env {
    /* The value of a top-level name ("title", "body", "styles.html()"):
     * 1 and *out filled, or 0 when the name has no value. */
    int (*lookup)(void *userdata, const char *name, tpl_value *out);
    /* Appends text, escaped for the output format, to out. */
    int (*escape)(void *userdata, const char *text, dp_buf *out);
    void *userdata;
    /* Appends a formatted value (DP_META_INLINES / DP_META_BLOCKS) as markup
     * of the output format; NULL: written as plain text through escape. */
    int (*markup)(void *userdata, const dp_meta *m, dp_buf *out);
} tpl_env;

/* Which template line wrote each line of the output (a value written by a
 * variable counts as the variable's line), so that an error found in the
 * output (e.g. XML that is not well-formed) can name the template's line. */
typedef struct tpl_line_map {
    int *lines; /* lines[k]: the template line of output line k + 1 */
    size_t n, cap;
} tpl_line_map;

/* Renders template text (len bytes) into out. Errors (DP_EINPUT) are
 * reported through ctx with source_name and the line. */
int tpl_render(dp_ctx *ctx, const char *source_name, const char *text, size_t len, const tpl_env *env,
               dp_buf *out);
/* tpl_render, filling map (empty before; free with tpl_line_map_free). */
int tpl_render_mapped(dp_ctx *ctx, const char *source_name, const char *text, size_t len, const tpl_env *env,
                      dp_buf *out, tpl_line_map *map);
/* The template line of output line out_line (1-based); 0 when unknown. */
int tpl_line_map_get(const tpl_line_map *map, int out_line);
void tpl_line_map_free(tpl_line_map *map);

/* Appends the template file's bytes to out; an unreadable file is an input
 * error naming it. */
int tpl_read_file(dp_ctx *ctx, const char *path, dp_buf *out);

/* A metadata variable as pandoc's templates name it: pagetitle (pagetitle,
 * else title), author-meta, date-meta (plain text, for <title> and
 * attribute values), lang and keywords (the agreed keys language and
 * subject), and every other key by name. 1 and *out filled, or 0. */
int tpl_lookup_meta(const dp_meta *meta, const char *name, tpl_value *out);

#endif
