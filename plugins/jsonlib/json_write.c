/* The JSON emitter: strings escaped per RFC 8259 (every control character,
 * quote and backslash), UTF-8 passed through, invalid bytes replaced by
 * U+FFFD (and counted, so the exporter can report it). */
#include "dp_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(jw *w, const char *s, size_t len)
{
    if (w->rc == 0 && len)
        w->rc = dp_buf_append(w->out, s, len);
}

void jw_raw(jw *w, const char *s)
{
    put(w, s, strlen(s));
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (avail < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k < n; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    return n;
}

void jw_str(jw *w, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    put(w, "\"", 1);
    size_t run = 0; /* start of the pending run of bytes copied as is */
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        const char *esc = NULL;
        char ubuf[8];
        size_t step = 1;
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c < 0x20 || c == 0x7F) {
            switch (c) {
            case '\b': esc = "\\b"; break;
            case '\f': esc = "\\f"; break;
            case '\n': esc = "\\n"; break;
            case '\r': esc = "\\r"; break;
            case '\t': esc = "\\t"; break;
            default:
                snprintf(ubuf, sizeof ubuf, "\\u%04x", c);
                esc = ubuf;
            }
        } else if (c >= 0x80) {
            step = utf8_seq(s + i, len - i);
            if (step == 0) {
                esc = "\xEF\xBF\xBD"; /* U+FFFD */
                step = 1;
                w->replaced++;
            }
        }
        if (esc) {
            put(w, (const char *)s + run, i - run);
            put(w, esc, strlen(esc));
            run = i + step;
        }
        i += step;
    }
    put(w, (const char *)s + run, len - run);
    put(w, "\"", 1);
}

void jw_cstr(jw *w, const char *s)
{
    jw_str(w, s ? s : "", s ? strlen(s) : 0);
}

void jw_int(jw *w, long v)
{
    char b[32];
    snprintf(b, sizeof b, "%ld", v);
    jw_raw(w, b);
}

void jw_bool(jw *w, int b)
{
    jw_raw(w, b ? "true" : "false");
}

void jw_double(jw *w, double v)
{
    char b[40];
    if (!isfinite(v)) {
        jw_raw(w, "0"); /* JSON has no NaN/inf; the tree refuses them anyway */
        return;
    }
    /* The shortest %g precision that reads back to the same double keeps
     * the output short and deterministic. */
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(b, sizeof b, "%.*g", prec, v);
        for (char *p = b; *p; p++)
            if (*p == ',')
                *p = '.'; /* a locale with a decimal comma */
        if (strtod(b, NULL) == v || prec == 17)
            break;
    }
    jw_raw(w, b);
}

void jw_indent(jw *w, int depth)
{
    static const char spaces[] = "                                                                ";
    /* Capped so that a very deep tree does not produce quadratic output. */
    int n = depth * 2;
    if (n > (int)sizeof spaces - 1)
        n = (int)sizeof spaces - 1;
    put(w, spaces, (size_t)n);
}
