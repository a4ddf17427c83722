/* Unit test of the forbidden-character pass (plugins/xhtml/xmlutil/
 * xmlu_chars.c) that every HTML page, EPUB file and TEI document goes
 * through. Its scan reads 16 bytes at a time and falls back to single bytes
 * at the end of a text (issue 23): each forbidden character, and each
 * allowed one that shares its lead byte, is put at every offset of a text
 * from 0 to 40 (so before, across and after word and block boundaries) with
 * up to 19 bytes after it, in a text node and in an attribute, under both
 * rules, and must be removed, replaced or kept as the rule says. The white
 * space collapser of the same file (16 bytes at a time with SSE2, then 8,
 * over the start that needs no change) must give what a plain loop gives,
 * for every placement of a run across word boundaries and for random
 * texts, and xmlu_ws_unchanged never call a text that changes unchanged. */
#include "xmlu_chars.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

typedef struct sample {
    const char *chars;
    const char *as_xml;  /* what XML makes of it */
    const char *as_html; /* what HTML makes of it */
} sample;

static const sample samples[] = {
    {"\x01", "", ""},
    {"\x1f", "", ""},
    {"\t", "\t", "\t"},
    {"\n", "\n", "\n"},
    {"\r", "\r", "\r"},
    {"\x7f", "\x7f", ""},
    {"\xc2\x80", "\xc2\x80", "\xe2\x82\xac"}, /* U+0080 -> windows-1252's euro sign */
    {"\xc2\x81", "\xc2\x81", ""},             /* no windows-1252 reading: removed */
    {"\xc2\x97", "\xc2\x97", "\xe2\x80\x94"}, /* -> em dash */
    {"\xc2\x9f", "\xc2\x9f", "\xc5\xb8"},     /* -> Y with diaeresis */
    {"\xc2\xa0", "\xc2\xa0", "\xc2\xa0"},     /* no-break space: allowed */
    {"\xef\xbf\xbe", "", ""},                 /* U+FFFE */
    {"\xef\xbf\xbf", "", ""},                 /* U+FFFF */
    {"\xef\xbf\xbd", "\xef\xbf\xbd", "\xef\xbf\xbd"}, /* U+FFFD: allowed */
    {"\xef\xb7\x90", "\xef\xb7\x90", ""},     /* U+FDD0 */
    {"\xef\xb7\xaf", "\xef\xb7\xaf", ""},     /* U+FDEF */
    {"\xef\xb7\xb0", "\xef\xb7\xb0", "\xef\xb7\xb0"}, /* U+FDF0: allowed */
    {"\xf0\x9f\xbf\xbe", "\xf0\x9f\xbf\xbe", ""}, /* U+1FFFE */
    {"\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", ""}, /* U+10FFFF */
    {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"}, /* an emoji: allowed */
    {"\xe2\x80\x94", "\xe2\x80\x94", "\xe2\x80\x94"}, /* em dash: allowed */
};

/* before + chars + after, before and after made of ASCII letters (and a
 * non-ASCII letter when mixed, so that the words around it are looked at
 * byte by byte too). */
static void fill(char *buf, size_t before, const char *chars, size_t after, int mixed)
{
    size_t n = 0;
    for (size_t i = 0; i < before; i++)
        buf[n++] = (char)('a' + i % 26);
    if (mixed && before >= 2) {
        buf[0] = '\xc3'; /* e acute */
        buf[1] = '\xa9';
    }
    memcpy(buf + n, chars, strlen(chars));
    n += strlen(chars);
    for (size_t i = 0; i < after; i++)
        buf[n++] = (char)('A' + i % 26);
    buf[n] = '\0';
}

static void check_one(const sample *s, xmlu_char_rule rule, size_t before, size_t after, int mixed)
{
    char in[128], want[128];
    const char *result = rule == XMLU_CHARS_HTML ? s->as_html : s->as_xml;
    fill(in, before, s->chars, after, mixed);
    fill(want, before, result, after, mixed);
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr p = xmlNewDocNode(doc, NULL, BAD_CAST "p", NULL);
    if (!doc || !p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    xmlDocSetRootElement(doc, p);
    xmlNodeAddContent(p, BAD_CAST in);
    xmlSetProp(p, BAD_CAST "title", BAD_CAST in);
    size_t changed = xmlu_drop_forbidden_chars(NULL, doc, "test", rule);
    size_t expect = strcmp(s->chars, result) == 0 ? 0 : 2; /* the text and the attribute */
    xmlChar *text = xmlNodeGetContent(p);
    xmlChar *attr = xmlGetProp(p, BAD_CAST "title");
    CHECK_MSG(changed == expect, "rule %d, U+ bytes %02X at %zu, %zu after (mixed %d): %zu changed, want %zu", rule,
              (unsigned char)s->chars[0], before, after, mixed, changed, expect);
    CHECK_MSG(text && strcmp((const char *)text, want) == 0, "rule %d, bytes %02X at %zu, %zu after: text %s",
              rule, (unsigned char)s->chars[0], before, after, text ? (const char *)text : "(null)");
    CHECK_MSG(attr && strcmp((const char *)attr, want) == 0, "rule %d, bytes %02X at %zu, %zu after: attribute %s",
              rule, (unsigned char)s->chars[0], before, after, attr ? (const char *)attr : "(null)");
    xmlFree(text);
    xmlFree(attr);
    xmlFreeDoc(doc);
}

/* The collapser's rule, written plainly: every run of white space one
 * space. */
static int is_ws(char c, int html)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || (html && c == '\f');
}

static size_t plain_collapse(const char *s, size_t len, int html, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++)
        if (!is_ws(s[i], html))
            out[o++] = s[i];
        else if (i == 0 || !is_ws(s[i - 1], html))
            out[o++] = ' ';
    out[o] = '\0';
    return o;
}

static void check_collapse(const char *in, size_t len, int html)
{
    char want[256];
    size_t want_len = plain_collapse(in, len, html, want), got_len = 0;
    char *got = xmlu_collapse_ws(in, len, html, &got_len);
    CHECK_MSG(got && got_len == want_len && memcmp(got, want, want_len + 1) == 0,
              "collapse (html %d) of %zu bytes: got %zu bytes \"%s\", want %zu \"%s\"", html, len, got_len,
              got ? got : "(null)", want_len, want);
    /* xmlu_ws_unchanged: callers keep a text as it is when it says len */
    size_t keep = xmlu_ws_unchanged(in, len);
    CHECK_MSG(keep <= len && memcmp(want, in, keep) == 0 && (keep < len || (want_len == len && memcmp(want, in, len) == 0)),
              "unchanged prefix (html %d) of %zu bytes \"%.*s\": %zu", html, len, (int)len, in, keep);
    free(got);
}

static void test_collapse(void)
{
    static const char *runs[] = {"  ", "   ", "\t", " \n ", "\r\n", "\f", " \f", "\x01", " \x01 "};
    char in[128];
    /* each run at every offset 0-40, in text of single spaces */
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++)
        for (size_t at = 0; at <= 40; at++)
            for (size_t after = 0; after < 20; after += 3) {
                size_t n = 0;
                for (size_t i = 0; i < at; i++)
                    in[n++] = i % 5 == 4 ? ' ' : (char)('a' + i % 26);
                memcpy(in + n, runs[r], strlen(runs[r]));
                n += strlen(runs[r]);
                for (size_t i = 0; i < after; i++)
                    in[n++] = i % 4 == 3 ? ' ' : 'z';
                for (int html = 0; html <= 1; html++)
                    check_collapse(in, n, html);
            }
    /* random texts of letters, spaces, other white space and a control */
    static const char alphabet[] = "ab  \t\n\r\f\x01\xc3";
    unsigned seed = 23;
    for (int k = 0; k < 20000; k++) {
        size_t n = (size_t)(k % 60);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            in[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        check_collapse(in, n, k & 1);
    }
}

int main(void)
{
    test_collapse();
    xmlInitParser();
    for (size_t k = 0; k < sizeof samples / sizeof samples[0]; k++)
        for (int rule = XMLU_CHARS_XML; rule <= XMLU_CHARS_HTML; rule++)
            for (size_t before = 0; before <= 40; before++)
                for (size_t after = 0; after < 20; after++)
                    for (int mixed = 0; mixed <= 1; mixed++)
                        check_one(&samples[k], (xmlu_char_rule)rule, before, after, mixed);
    xmlCleanupParser();
    if (check_failures) {
        fprintf(stderr, "%d check(s) failed\n", check_failures);
        return 1;
    }
    puts("xmlu_chars: all checks passed");
    return 0;
}
