/* TeX math in Markdown: a cmark-gfm inline syntax extension ("math") for
 * $…$, $$…$$ and GitLab's $`…`$, and the writer's choice of delimiters.
 *
 * The rules are pandoc's tex_math_dollars, so that the same text means the
 * same thing in both tools:
 *   - $$…$$ is display math: anything up to the first "$$" (at least one
 *     character; a paragraph holds no blank line);
 *   - $…$ is inline math when the opening $ is followed by a non-space, the
 *     first closing $ (a backslash escapes the next character; \text{…} may
 *     hold a $) is preceded by a non-space and not followed by a digit;
 *     otherwise the $ is an ordinary character ($20 and $30);
 *   - $`…`$ (GitLab, GitHub) is inline math whose content is raw between
 *     backtick runs of the same length.
 * \$ outside math is cmark's own backslash escape: a literal dollar.
 * The content is kept byte for byte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-extension_api.h>

#include "md_math.h"

static cmark_syntax_extension *math_ext;
/* A formula is a CMARK_NODE_CODE whose user data points at one of these:
 * a node type of its own would be refused by the GFM table extension,
 * whose cells take only a fixed list of inline types. */
static const char math_inline_tag = 'i', math_display_tag = 'd';

int md_math_kind(cmark_node *node)
{
    const void *tag = cmark_node_get_type(node) == CMARK_NODE_CODE ? cmark_node_get_user_data(node) : NULL;
    return tag == &math_display_tag ? 2 : tag == &math_inline_tag ? 1 : 0;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Skips "{…}" with nested braces and backslash escapes from i (at '{');
 * returns the index after the closing brace, or -1. */
static long skip_braces(md_math_at at, void *src, long i)
{
    int depth = 0;
    for (int c; (c = at(src, i)) >= 0; i++) {
        if (c == '\\') {
            if (at(src, i + 1) < 0)
                return -1;
            i++;
        } else if (c == '{') {
            depth++;
        } else if (c == '}' && --depth == 0) {
            return i + 1;
        }
    }
    return -1;
}

static int scan_display(md_math_at at, void *src, long start, md_math_span *out)
{
    long i = start + 3; /* at least one character of content */
    if (at(src, start + 2) < 0)
        return 0;
    for (int c; (c = at(src, i)) >= 0; i++)
        if (c == '$' && at(src, i + 1) == '$') {
            out->content = start + 2;
            out->content_end = i;
            out->end = i + 2;
            out->display = 1;
            return 1;
        }
    return 0;
}

static int scan_backticks(md_math_at at, void *src, long start, md_math_span *out)
{
    long n = 0;
    while (at(src, start + 1 + n) == '`')
        n++;
    long i = start + 1 + n;
    while (at(src, i) >= 0) {
        if (at(src, i) != '`') {
            i++;
            continue;
        }
        long run = 0;
        while (at(src, i + run) == '`')
            run++;
        if (run == n && at(src, i + run) == '$') {
            out->content = start + 1 + n;
            out->content_end = i;
            out->end = i + run + 1;
            out->display = 0;
            return 1;
        }
        i += run;
    }
    return 0;
}

static int scan_inline(md_math_at at, void *src, long start, md_math_span *out)
{
    int first = at(src, start + 1);
    if (first < 0 || is_space(first))
        return 0;
    for (long i = start + 1;;) {
        int c = at(src, i);
        if (c < 0)
            return 0;
        if (c == '\\') {
            if (at(src, i + 1) == 't' && at(src, i + 2) == 'e' && at(src, i + 3) == 'x' &&
                at(src, i + 4) == 't' && at(src, i + 5) == '{') {
                long e = skip_braces(at, src, i + 5);
                if (e < 0)
                    return 0;
                i = e;
                continue;
            }
            if (at(src, i + 1) < 0)
                return 0;
            i += 2;
            continue;
        }
        if (c == '$') {
            if (is_space(at(src, i - 1)) || is_digit(at(src, i + 1)))
                return 0;
            out->content = start + 1;
            out->content_end = i;
            out->end = i + 1;
            out->display = 0;
            return 1;
        }
        i++;
    }
}

int md_math_scan(md_math_at at, void *src, long start, md_math_span *out)
{
    if (at(src, start) != '$')
        return 0;
    int next = at(src, start + 1);
    if (next == '$')
        return scan_display(at, src, start, out);
    if (next == '`')
        return scan_backticks(at, src, start, out);
    return scan_inline(at, src, start, out);
}

/* ---- the cmark-gfm extension ----------------------------------------- */

/* A character of the inline parser's chunk, or -1 past its end. cmark-gfm
 * exposes no length: the end is found by moving the offset there. */
static int chunk_at(void *src, long pos)
{
    cmark_inline_parser *ip = src;
    if (pos < 0)
        return -1;
    int save = cmark_inline_parser_get_offset(ip);
    cmark_inline_parser_set_offset(ip, (int)pos);
    int eof = cmark_inline_parser_is_eof(ip);
    cmark_inline_parser_set_offset(ip, save);
    return eof ? -1 : cmark_inline_parser_peek_at(ip, (int)pos);
}

static cmark_node *match_math(cmark_syntax_extension *ext, cmark_parser *parser, cmark_node *parent,
                              unsigned char c, cmark_inline_parser *ip)
{
    (void)parser;
    (void)parent;
    md_math_span sp;
    if (c != '$' || !md_math_scan(chunk_at, ip, cmark_inline_parser_get_offset(ip), &sp))
        return NULL;
    size_t len = (size_t)(sp.content_end - sp.content);
    char *text = malloc(len + 1);
    if (!text)
        return NULL;
    for (size_t k = 0; k < len; k++)
        text[k] = (char)chunk_at(ip, sp.content + (long)k);
    text[len] = '\0';
    cmark_node *n = cmark_node_new(CMARK_NODE_CODE);
    if (n && cmark_node_set_literal(n, text)) {
        cmark_node_set_syntax_extension(n, ext);
        cmark_node_set_user_data(n, (void *)(sp.display ? &math_display_tag : &math_inline_tag));
        cmark_inline_parser_set_offset(ip, (int)sp.end);
    } else if (n) {
        cmark_node_free(n);
        n = NULL;
    }
    free(text);
    return n;
}

void md_math_register(void)
{
    math_ext = cmark_syntax_extension_new("math");
    if (!math_ext)
        return;
    cmark_syntax_extension_set_match_inline_func(math_ext, match_math);
    cmark_llist *special = cmark_llist_append(cmark_get_default_mem_allocator(), NULL, (void *)(uintptr_t)'$');
    cmark_syntax_extension_set_special_inline_chars(math_ext, special);
}

cmark_syntax_extension *md_math_extension(void)
{
    return math_ext;
}

/* ---- writing ----------------------------------------------------------- */

static int str_at(void *src, long pos)
{
    const md_math_str *s = src;
    return pos >= 0 && (size_t)pos < s->len ? (unsigned char)s->s[pos] : -1;
}

/* Whether "$" + tex + "$" + the next character reads back as exactly this
 * inline formula. */
static int dollars_fit(const char *tex, size_t len, int next)
{
    if (len == 0 || memchr(tex, '\n', len) != NULL)
        return 0;
    char *buf = malloc(len + 3);
    if (!buf)
        return 0;
    buf[0] = '$';
    memcpy(buf + 1, tex, len);
    buf[len + 1] = '$';
    buf[len + 2] = (char)(next > 0 ? next : ' ');
    md_math_str s = {buf, len + 3};
    md_math_span sp;
    int ok = md_math_scan(str_at, &s, 0, &sp) && !sp.display && sp.end == (long)len + 2 &&
             sp.content == 1 && tex[0] != '`';
    free(buf);
    return ok;
}

int md_math_delimiters(const char *tex, size_t len, int display, int next, md_math_delims *out)
{
    memset(out, 0, sizeof *out);
    if (display) {
        /* "$$": anything but "$$" inside, no blank line, not empty; a
         * leading or trailing "$" would join the delimiter */
        int ok = len > 0 && tex[0] != '$' && tex[len - 1] != '$';
        for (size_t i = 0; ok && i + 1 < len; i++)
            ok = !(tex[i] == '$' && tex[i + 1] == '$');
        for (size_t i = 0; ok && i < len; i++)
            if (tex[i] == '\n') {
                size_t j = i + 1;
                while (j < len && (tex[j] == ' ' || tex[j] == '\t'))
                    j++;
                ok = j >= len || tex[j] != '\n';
            }
        if (ok) {
            strcpy(out->open, "$$");
            strcpy(out->close, "$$");
            return 0;
        }
    } else if (dollars_fit(tex, len, next)) {
        strcpy(out->open, "$");
        strcpy(out->close, "$");
        return 0;
    }
    /* $`…`$ with a backtick run longer than any inside */
    size_t longest = 0, run = 0;
    for (size_t i = 0; i < len; i++) {
        run = tex[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    if (len == 0 || tex[0] == '`' || tex[len - 1] == '`' || longest + 1 > sizeof out->open - 3)
        return -1;
    for (size_t i = 0; i < len; i++)
        if (tex[i] == '\n') { /* a blank line would end the paragraph */
            size_t j = i + 1;
            while (j < len && (tex[j] == ' ' || tex[j] == '\t'))
                j++;
            if (j >= len || tex[j] == '\n')
                return -1;
        }
    out->open[0] = '$';
    memset(out->open + 1, '`', longest + 1);
    memset(out->close, '`', longest + 1);
    out->close[longest + 1] = '$';
    return display ? 1 : 0;
}
