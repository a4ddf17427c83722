/* The Markdown writer's math: TeX between dollars, and literal dollars in
 * text escaped so that they do not turn into math when read back. */
#include <stdlib.h>
#include <string.h>

#include "mathconv_lazy.h"
#include "md_math.h"
#include "md_write.h"

/* The first byte of the text that will follow n in the output, or 0. */
static int next_char(const dp_node *n)
{
    const dp_node *s = dp_node_next(n);
    if (s && dp_node_kind(s) == DP_TEXT && dp_node_text_len(s) > 0)
        return (unsigned char)dp_node_text(s)[0];
    return s ? 'x' : 0; /* another inline: assume the worst, a non-space */
}

static int add_tex(md_writer *w, const dp_node *n, const char *tex, size_t len);

int mdw_math(md_writer *w, const dp_node *n)
{
    size_t len = 0;
    const char *tex = dp_node_math_form(n, "tex", &len);
    char *converted = NULL;
    size_t ml = 0;
    const char *mml = dp_node_math_form(n, "mathml", &ml);
    if (!tex && mml) {
        const char *what = NULL;
        int rc = mathconv_lazy_mathml_to_tex(mml, ml, &converted, &what);
        if (rc == -2)
            return mdw_nomem(w);
        if (rc == 0) {
            tex = converted;
            len = strlen(converted);
        } else if (rc == MATHCONV_LAZY_NO_HELPER) {
            dp_warn_node(w->ctx, n, "MathML formula written as raw HTML: %s", what);
        } else {
            dp_warn_node(w->ctx, n, "MathML formula with %s, which has no TeX conversion here, written as raw HTML",
                         what ? what : "a construct");
        }
    }
    if (!tex) {
        /* the MathML itself, as raw HTML */
        char *flat = malloc(ml + 1);
        if (!flat)
            return mdw_nomem(w);
        /* one line: a newline inside raw inline HTML could end the paragraph */
        for (size_t i = 0; i < ml; i++)
            flat[i] = mml[i] == '\n' ? ' ' : mml[i];
        flat[ml] = '\0';
        int rc = mdw_add_raw(w, 0, flat);
        free(flat);
        return rc;
    }
    int rc = add_tex(w, n, tex, len);
    free(converted);
    return rc;
}

static int add_tex(md_writer *w, const dp_node *n, const char *tex, size_t len)
{
    int display = dp_node_math_display(n);
    md_math_delims d;
    int fit = md_math_delimiters(tex, len, display, next_char(n), &d);
    if (fit < 0) {
        dp_warn_node(w->ctx, n, "TeX formula that no Markdown math delimiter can hold written as inline code");
        return mdw_add(w, mdw_new_literal(CMARK_NODE_CODE, tex));
    }
    if (fit == 1)
        dp_warn_node(w->ctx, n, "display formula holding \"$$\" or a blank line written as inline math $`...`$");
    dp_buf *b = NULL;
    int rc = dp_buf_new(&b);
    if (rc >= 0)
        rc = dp_buf_puts(b, d.open);
    for (size_t i = 0; rc >= 0 && i < len; i++) {
        /* a GFM cell ends at an unescaped '|', wherever it is */
        rc = w->in_table_cell && tex[i] == '|' ? dp_buf_puts(b, "\\|") : dp_buf_append(b, tex + i, 1);
        /* a line of the formula could start a block ("- 4ac" a list item)
         * and end the paragraph: four spaces, which an indented code block
         * cannot interrupt it with, and which the reader strips again */
        if (rc >= 0 && tex[i] == '\n')
            rc = dp_buf_puts(b, "    ");
    }
    if (rc >= 0)
        rc = dp_buf_puts(b, d.close);
    if (rc >= 0)
        rc = dp_buf_append(b, "", 1);
    if (rc >= 0)
        rc = mdw_add_raw(w, 0, (const char *)dp_buf_data(b));
    dp_buf_free(b);
    return rc < 0 ? (w->failed ? rc : mdw_nomem(w)) : 0;
}

static int add_text_piece(md_writer *w, const char *s, size_t len)
{
    if (len == 0)
        return 0;
    char *piece = malloc(len + 1);
    if (!piece)
        return mdw_nomem(w);
    memcpy(piece, s, len);
    piece[len] = '\0';
    int rc = mdw_add(w, mdw_new_literal(CMARK_NODE_TEXT, piece));
    free(piece);
    return rc;
}

int mdw_text(md_writer *w, const char *text)
{
    const char *start = text ? text : "";
    for (const char *d = start; (d = strchr(d, '$')) != NULL; d++) {
        /* a '$' before a space cannot open math (and an earlier one that
         * could was escaped): it stays as it is; any other is written \$
         * (raw, since cmark would escape the backslash of a text) */
        if (d[1] == ' ' || d[1] == '\t' || d[1] == '\n')
            continue;
        int rc = add_text_piece(w, start, (size_t)(d - start));
        if (rc >= 0)
            rc = mdw_add_raw(w, 0, "\\$");
        if (rc < 0)
            return rc;
        start = d + 1;
    }
    return add_text_piece(w, start, strlen(start));
}
