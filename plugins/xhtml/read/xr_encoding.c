/* How an HTML page's bytes are decoded, decided on the bytes before any
 * parser runs (so it holds for whichever parser reads the page).
 *
 * A byte order mark wins, then a declared charset (<meta charset>,
 * http-equiv). Without either, browsers guess; libxml2 2.9 would
 * assume ISO-8859-1 and, meeting one invalid UTF-8 byte, re-decode the whole
 * page (one stray \xff turned "héllo ✓" into "hÃ©llo âœ“", silently). Here:
 *  - valid UTF-8 is UTF-8 (reported under -v when it is not plain ASCII);
 *  - a page that is almost all valid UTF-8 (at least as many valid multi-byte
 *    characters as invalid bytes), or that holds a byte windows-1252 leaves
 *    undefined, is UTF-8: each invalid byte becomes U+FFFD, with a warning
 *    naming the first one;
 *  - anything else is read as windows-1252, with a warning that this is a
 *    guess (-O encoding=NAME decides instead). */
#include "xhtml_read.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The name after "charset=" in the first 4 kB (a <meta charset> or
 * http-equiv content), into name; 0 when there is none. */
static int declared_charset(const unsigned char *s, size_t n, char *name, size_t cap)
{
    if (n > 4096)
        n = 4096;
    for (size_t i = 0; i + 8 <= n; i++) {
        if (strncasecmp((const char *)s + i, "charset", 7) != 0)
            continue;
        size_t j = i + 7;
        while (j < n && (s[j] == ' ' || s[j] == '\t'))
            j++;
        if (j >= n || s[j] != '=')
            continue;
        j++;
        while (j < n && (s[j] == ' ' || s[j] == '"' || s[j] == '\''))
            j++;
        size_t k = 0;
        while (j < n && k + 1 < cap && (isalnum(s[j]) || s[j] == '-' || s[j] == '_' || s[j] == ':' || s[j] == '.'))
            name[k++] = (char)s[j++];
        name[k] = '\0';
        if (k > 0)
            return 1;
    }
    return 0;
}

/* The encoding a byte order mark names, NULL without one. */
static const char *bom_encoding(const unsigned char *d, size_t n)
{
    if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
        return "UTF-8";
    if (n >= 2 && d[0] == 0xFF && d[1] == 0xFE)
        return "UTF-16LE";
    if (n >= 2 && d[0] == 0xFE && d[1] == 0xFF)
        return "UTF-16BE";
    return NULL;
}

/* Bytes windows-1252 does not define: a page holding one is not in it. */
static int undefined_in_1252(unsigned char c)
{
    return c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D;
}

typedef struct utf8_census {
    size_t multi;     /* valid multi-byte characters */
    size_t invalid;   /* bytes that start no valid sequence */
    size_t first_bad; /* offset of the first of them */
    int not_1252;     /* an invalid byte undefined in windows-1252 */
} utf8_census;

static void census(const char *s, size_t n, utf8_census *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < n;) {
        size_t at = i;
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        dp_utf8_next(s, n, &i);
        if (i - at > 1) {
            c->multi++;
        } else {
            if (!c->invalid)
                c->first_bad = at;
            c->invalid++;
            c->not_1252 |= undefined_in_1252(b);
        }
    }
}

/* s with every byte that starts no valid sequence replaced by U+FFFD; the
 * rest (NUL bytes included: the parser reports them) copied as it is. */
static char *repair(const char *s, size_t n, size_t *out_len)
{
    char *out = malloc(n * 3 + 1);
    size_t o = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        size_t at = i;
        if ((unsigned char)s[i] < 0x80) {
            out[o++] = s[i++];
            continue;
        }
        uint32_t cp = dp_utf8_next(s, n, &i);
        if (i - at > 1) {
            memcpy(out + o, s + at, i - at);
            o += i - at;
        } else {
            o += dp_utf8_put(cp, out + o); /* U+FFFD */
        }
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

static void line_col(const char *s, size_t at, int *line, int *col)
{
    int l = 1;
    size_t start = 0;
    for (size_t i = 0; i < at; i++)
        if (s[i] == '\n') {
            l++;
            start = i + 1;
        }
    *line = l;
    *col = (int)(at - start) + 1;
}

int xr_html_encoding(dp_ctx *ctx, const char *file, const void *data, size_t len, char *declared,
                     const char **encoding, char **repaired, size_t *repaired_len)
{
    const unsigned char *d = data;
    *encoding = NULL;
    *repaired = NULL;
    *repaired_len = 0;
    /* a BOM wins over a <meta charset> (as in browsers): forced, or the
     * parser would switch to the declared charset when it meets the meta */
    if ((*encoding = bom_encoding(d, len)) != NULL)
        return 0;
    if (declared_charset(d, len, declared, XR_CHARSET_MAX)) {
        /* a page that says ISO-8859-1 or ASCII means windows-1252 (WHATWG
         * Encoding); the encoding option is taken as it is */
        if (strcasecmp(declared, "iso-8859-1") == 0 || strcasecmp(declared, "latin1") == 0 ||
            strcasecmp(declared, "us-ascii") == 0 || strcasecmp(declared, "ascii") == 0)
            *encoding = "windows-1252";
        else
            *encoding = declared;
        return 0;
    }
    utf8_census c;
    census(data, len, &c);
    if (!c.invalid) {
        *encoding = "UTF-8";
        if (c.multi)
            dp_info(ctx, "%s: no charset declared: read as UTF-8 (the bytes are valid UTF-8)", file);
        return 0;
    }
    int line, col;
    line_col(data, c.first_bad, &line, &col);
    if (c.multi >= c.invalid || c.not_1252) {
        *repaired = repair(data, len, repaired_len);
        if (!*repaired)
            return dp_fail(ctx, DP_ENOMEM, file, 0, 0, "out of memory");
        *encoding = "UTF-8";
        dp_warn_at(ctx, file, line, col,
                   "invalid UTF-8 in a page that is otherwise UTF-8 (no charset declared): %zu byte%s replaced "
                   "by U+FFFD, the first here",
                   c.invalid, c.invalid == 1 ? "" : "s");
        return 0;
    }
    *encoding = "windows-1252";
    dp_warn_at(ctx, file, line, col,
               "no charset declared and the page is not UTF-8: read as windows-1252, a guess "
               "(-O encoding=NAME to say which)");
    return 0;
}
