/* The Markdown reader's footnotes: references become DP_NOTE nodes holding
 * their definition's blocks, labelled as written in the source, and
 * definitions nothing refers to are reported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "md_label_set.h"
#include "md_read.h"

/* ------------------------------------------------------------------ */
/* Footnote labels. cmark-gfm numbers references (the reference node's
 * literal is the definition's index, 1-based, in order of first use) and
 * keeps the label itself private; the label is read back from the source
 * at the reference's position: "[^label]". */

/* Next newline at or after i, or src_len (memchr: this runs over the whole
 * input twice). */
static size_t next_newline(const md_reader *r, size_t i)
{
    const char *nl = memchr(r->src + i, '\n', r->src_len - i);
    return nl ? (size_t)(nl - r->src) : r->src_len;
}

void mdr_index_lines(md_reader *r)
{
    size_t n = 1;
    for (size_t i = next_newline(r, 0); i < r->src_len; i = next_newline(r, i + 1))
        n++;
    r->line_starts = malloc(n * sizeof *r->line_starts);
    if (!r->line_starts)
        return;
    r->nlines = 0;
    r->line_starts[r->nlines++] = 0;
    for (size_t i = next_newline(r, 0); i < r->src_len; i = next_newline(r, i + 1))
        r->line_starts[r->nlines++] = i + 1;
}

/* malloc'd label written at (line, column) of src, or NULL. */
static char *label_at(md_reader *r, int line, int column)
{
    if (!r->line_starts || line < 1 || (size_t)line > r->nlines || column < 1)
        return NULL;
    size_t off = r->line_starts[line - 1] + (size_t)column - 1;
    if (off + 3 > r->src_len || r->src[off] != '[' || r->src[off + 1] != '^')
        return NULL;
    size_t start = off + 2, end = start;
    while (end < r->src_len && r->src[end] != ']' && r->src[end] != '\n')
        end++;
    if (end >= r->src_len || r->src[end] != ']' || end == start)
        return NULL;
    char *label = malloc(end - start + 1);
    if (label) {
        memcpy(label, r->src + start, end - start);
        label[end - start] = '\0';
    }
    return label;
}

int mdr_collect_defs(md_reader *r, cmark_node *root)
{
    size_t n = 0;
    for (cmark_node *c = cmark_node_first_child(root); c; c = cmark_node_next(c))
        if (cmark_node_get_type(c) == CMARK_NODE_FOOTNOTE_DEFINITION)
            n++;
    r->ndefs = n;
    if (n == 0)
        return 0;
    r->defs = calloc(n, sizeof *r->defs);
    r->def_labels = calloc(n, sizeof *r->def_labels);
    r->def_active = calloc(n, 1);
    if (!r->defs || !r->def_labels || !r->def_active)
        return mdr_fail_nomem(r);
    n = 0;
    for (cmark_node *c = cmark_node_first_child(root); c; c = cmark_node_next(c))
        if (cmark_node_get_type(c) == CMARK_NODE_FOOTNOTE_DEFINITION)
            r->defs[n++] = c;
    return 0;
}

int mdr_note_ref(md_reader *r, cmark_node *c, dp_node *into)
{
    const char *lit = cmark_node_get_literal(c);
    long ix = lit ? strtol(lit, NULL, 10) : 0;
    int line = cmark_node_get_start_line(c), col = cmark_node_get_start_column(c);
    if (ix < 1 || (size_t)ix > r->ndefs)
        return dp_fail(r->ctx, DP_EINTERNAL, r->path, line + r->line_offset, col,
                       "footnote reference %s has no definition", lit ? lit : "?");
    size_t d = (size_t)ix - 1;
    if (!r->def_labels[d]) {
        r->def_labels[d] = label_at(r, line, col);
        if (!r->def_labels[d]) {
            char num[32];
            snprintf(num, sizeof num, "%ld", ix);
            r->def_labels[d] = strdup(num);
            dp_info(r->ctx, "%s:%d:%d: footnote label not found in the source; numbered %s", r->path,
                    line + r->line_offset, col, num);
            if (!r->def_labels[d])
                return mdr_fail_nomem(r);
        }
    }
    if (r->def_active[d]) {
        dp_warn_at(r->ctx, r->path, line + r->line_offset, col,
                   "footnote [^%s] refers to itself: kept as text", r->def_labels[d]);
        char *t = malloc(strlen(r->def_labels[d]) + 4);
        if (!t)
            return mdr_fail_nomem(r);
        sprintf(t, "[^%s]", r->def_labels[d]);
        dp_node *text = mdr_text_node(r, DP_TEXT, t);
        free(t);
        return mdr_append(r, into, text);
    }
    dp_node *note = dp_node_new(r->doc, DP_NOTE);
    if (!note)
        return mdr_fail_nomem(r);
    dp_node_set_label(note, r->def_labels[d]);
    mdr_set_pos(r, note, c);
    int rc = mdr_append(r, into, note);
    if (rc < 0)
        return rc;
    r->def_active[d] = 1;
    rc = mdr_convert_children(r, r->defs[d], note);
    r->def_active[d] = 0;
    return rc;
}

/* cmark-gfm drops footnote definitions that nothing refers to; say so
 * rather than lose them silently. A line scan: "[^label]:" at the start of
 * a line (up to three spaces in) whose label no reference used. */
int mdr_warn_unused_defs(md_reader *r)
{
    md_label_set used_labels;
    if (md_label_set_init(&used_labels, r->def_labels, r->ndefs) != 0)
        return -1;
    for (size_t l = 0; l < r->nlines; l++) {
        const char *p = r->src + r->line_starts[l];
        const char *end = r->src + r->src_len;
        int sp = 0;
        while (p < end && *p == ' ' && sp < 3)
            p++, sp++;
        if (end - p < 5 || p[0] != '[' || p[1] != '^')
            continue;
        const char *q = p + 2;
        while (q < end && *q != ']' && *q != '\n')
            q++;
        if (q + 1 >= end || *q != ']' || q[1] != ':' || q == p + 2)
            continue;
        size_t n = (size_t)(q - p - 2);
        if (!md_label_set_has(&used_labels, p + 2, n))
            dp_warn_at(r->ctx, r->path, (int)l + 1 + r->line_offset, sp + 1,
                       "footnote [^%.*s] is never referenced: cmark-gfm drops its text", (int)n, p + 2);
    }
    md_label_set_free(&used_labels);
    return 0;
}
