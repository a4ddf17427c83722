/* The Markdown reader's text: the one sanitising path and the leaf nodes
 * (text, raw HTML, code blocks, math), for md_read_walk.c. */
#include <stdlib.h>
#include <string.h>

#include "md_read.h"

/* ------------------------------------------------------------------ */
/* The reader's one sanitising path: dp_utf8_repair() is applied to the whole
 * input (mdr_sanitize_input, before the front matter and cmark see it) and to
 * every leaf text taken from cmark (mdr_leaf_node), so every text the reader
 * creates is valid UTF-8 without NUL. */

typedef struct utf8_report {
    size_t bad, nul;             /* invalid bytes, NUL bytes */
    size_t first_bad, first_nul; /* offset of the first of each */
} utf8_report;

/* Counts what dp_utf8_repair would replace. Returns 1 when s is clean. The
 * clean runs between bad bytes are measured by dp_utf8_span (RFC 3629: no
 * overlongs, surrogates or code points above U+10FFFF). */
static int utf8_scan(const unsigned char *s, size_t len, utf8_report *rep)
{
    memset(rep, 0, sizeof *rep);
    for (size_t i = dp_utf8_span((const char *)s, len); i < len;
         i += dp_utf8_span((const char *)s + i, len - i)) {
        if (s[i] == 0 && rep->nul++ == 0)
            rep->first_nul = i;
        else if (s[i] != 0 && rep->bad++ == 0)
            rep->first_bad = i;
        i++;
    }
    return rep->bad == 0 && rep->nul == 0;
}

/* Line and column (1-based, columns counted in characters) of byte off. */
static void source_pos(const unsigned char *s, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n')
            ++*line, *col = 1;
        else if ((s[i] & 0xC0) != 0x80)
            ++*col;
    }
}

/* The whole input, sanitised: invalid bytes and NUL bytes become U+FFFD,
 * each of the two kinds reported once, at its first position, with a count
 * (--strict makes the warning a failure). *clean is NULL when the input
 * needs no change, else a malloc'd copy of *clean_len bytes. 0 or
 * DP_ENOMEM. */
int mdr_sanitize_input(dp_ctx *ctx, const char *path, const unsigned char *s, size_t len, char **clean,
                          size_t *clean_len)
{
    utf8_report rep;
    int line, col;

    *clean = NULL;
    *clean_len = len;
    if (utf8_scan(s, len, &rep))
        return 0;
    if (rep.bad) {
        source_pos(s, rep.first_bad, &line, &col);
        dp_warn_at(ctx, path, line, col, "invalid UTF-8: replaced by U+FFFD (%zu byte%s)", rep.bad,
                   rep.bad == 1 ? "" : "s");
    }
    if (rep.nul) {
        source_pos(s, rep.first_nul, &line, &col);
        dp_warn_at(ctx, path, line, col, "NUL byte: replaced by U+FFFD (%zu byte%s)", rep.nul,
                   rep.nul == 1 ? "" : "s");
    }
    *clean = dp_utf8_repair((const char *)s, len, clean_len, NULL);
    return *clean ? 0 : DP_ENOMEM;
}

/* Every leaf text the reader takes from cmark goes through here. The input
 * is already clean, but cmark-gfm can still cut a character in two: the
 * literal of a footnote reference that spans lines ("[^a<newline>b]") is
 * measured in columns, and when the reference matches no definition that
 * cut literal comes back as text. The bytes are repaired and the cut
 * reported, since some of the reference's text is lost there. */
dp_node *mdr_leaf_node(md_reader *r, dp_kind kind, const char *s, size_t n)
{
    utf8_report rep;
    if (utf8_scan((const unsigned char *)s, n, &rep))
        return dp_node_new_text(r->doc, kind, s, n);
    size_t len = 0;
    char *fixed = dp_utf8_repair(s, n, &len, NULL);
    if (!fixed)
        return NULL;
    dp_node *node = dp_node_new_text(r->doc, kind, fixed, len);
    free(fixed);
    if (node) {
        int line = r->entering ? cmark_node_get_start_line(r->entering) : 0;
        dp_warn_at(r->ctx, r->path, line > 0 ? line + r->line_offset : 0,
                   line > 0 ? cmark_node_get_start_column(r->entering) : 0,
                   "cmark-gfm cut a character in this text (a footnote reference spanning lines?): "
                   "%zu invalid byte%s replaced by U+FFFD, some of the text may be lost",
                   rep.bad + rep.nul, rep.bad + rep.nul == 1 ? "" : "s");
    }
    return node;
}

/* ------------------------------------------------------------------ */
/* Leaves */

dp_node *mdr_text_node(md_reader *r, dp_kind kind, const char *s)
{
    if (!s)
        s = "";
    return mdr_leaf_node(r, kind, s, strlen(s));
}

dp_node *mdr_raw_node(md_reader *r, dp_kind kind, const char *s, const char *format)
{
    /* An HTML block's indentation is not content (and cmark's renderer
     * adds some when the block opens a list item). */
    if (s && kind == DP_RAW_BLOCK)
        s += strspn(s, " \t");
    if (!s)
        s = "";
    size_t n = strlen(s);
    char *filtered = NULL; /* before the final line end goes: "</script\n" is a tag */
    if (r->tagfilter && md_tagfilter(s, n, &filtered, &n) < 0)
        return NULL;
    if (filtered)
        s = filtered;
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    dp_node *node = mdr_leaf_node(r, kind, s, n);
    free(filtered);
    if (node)
        dp_node_set_format(node, format);
    return node;
}

/* A fenced code block's info string: "lang rest" gives class lang and attr
 * info=rest; "{=format}" is a raw block in that format (pandoc's syntax). */
dp_node *mdr_code_block(md_reader *r, cmark_node *c)
{
    const char *info = cmark_node_get_fence_info(c);
    const char *code = cmark_node_get_literal(c);
    size_t n = code ? strlen(code) : 0;
    if (n > 0 && code[n - 1] == '\n')
        n--;
    if (info && info[0] == '{' && info[1] == '=') {
        const char *e = strchr(info, '}');
        if (e && e > info + 2 && e[1] == '\0') {
            char fmt[64];
            size_t fl = (size_t)(e - info - 2);
            if (fl < sizeof fmt) {
                memcpy(fmt, info + 2, fl);
                fmt[fl] = '\0';
                dp_node *raw = mdr_leaf_node(r, DP_RAW_BLOCK, code ? code : "", n);
                if (raw)
                    dp_node_set_format(raw, fmt);
                return raw;
            }
        }
    }
    dp_node *node = mdr_leaf_node(r, DP_CODE_BLOCK, code ? code : "", n);
    if (node && info && info[0]) {
        size_t w = strcspn(info, " \t");
        char *lang = dp_doc_strndup(r->doc, info, w);
        if (lang)
            dp_node_add_class(node, lang);
        const char *rest = info + w;
        rest += strspn(rest, " \t");
        if (*rest)
            dp_node_set_attr(node, "info", rest);
    }
    return node;
}

/* Whether a fenced code block is a ```math block (GitLab, GitHub). */
int mdr_is_math_fence(cmark_node *c)
{
    const char *info = cmark_node_get_fence_info(c);
    int len, offset;
    char fence;
    return cmark_node_get_fenced(c, &len, &offset, &fence) && info && strncmp(info, "math", 4) == 0 &&
           (info[4] == '\0' || info[4] == ' ' || info[4] == '\t');
}

/* A TeX math leaf; a fence's literal ends with the newline before the
 * closing fence, which is not part of the formula. */
dp_node *mdr_math_node(md_reader *r, const char *tex, int display, int fence)
{
    size_t n = tex ? strlen(tex) : 0;
    if (fence && n > 0 && tex[n - 1] == '\n')
        n--;
    dp_node *m = mdr_leaf_node(r, DP_MATH, tex ? tex : "", n);
    if (m)
        dp_node_set_math_display(m, display);
    return m;
}
