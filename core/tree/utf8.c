/* UTF-8: validation (RFC 3629: no overlongs, no surrogates, <= U+10FFFF),
 * and the decoder/encoder pair every plugin uses. */
#include <stdlib.h>
#include <string.h>

#include "tree/tree_internal.h"

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Length of the valid prefix; allow_nul says whether a NUL byte counts as
 * valid (tree texts may hold one, reader input may not). Eight ASCII bytes
 * are checked at once: no high bit set, and (when NUL is refused) no zero
 * byte, using the classic "has a zero byte" test (x - 0x01..) & ~x & 0x80..,
 * which is exact about whether one exists. */
static size_t utf8_prefix(const unsigned char *s, size_t len, int allow_nul)
{
    size_t i = 0;
    while (i < len) {
        uint64_t x;
        if (len - i >= 8 && (memcpy(&x, s + i, 8), (x & HIGHS) == 0) &&
            (allow_nul || ((x - ONES) & ~x & HIGHS) == 0)) {
            i += 8;
            continue;
        }
        unsigned c = s[i];
        if (c < 0x80) {
            if (c == 0 && !allow_nul)
                return i;
            i++;
            continue;
        }
        size_t n;
        unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0)
                lo = 0x90; /* overlong */
            else if (c == 0xF4)
                hi = 0x8F; /* above U+10FFFF */
        } else {
            return i;
        }
        if (len - i <= n || s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k <= n; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
        i += n + 1;
    }
    return len;
}

int dpt_utf8_valid(const char *str, size_t len, size_t *bad_offset)
{
    size_t ok = utf8_prefix((const unsigned char *)str, len, 1);
    if (ok == len)
        return 1;
    if (bad_offset)
        *bad_offset = ok;
    return 0;
}

DP_EXPORT size_t dp_utf8_span(const char *s, size_t len)
{
    return utf8_prefix((const unsigned char *)s, len, 0);
}

DP_EXPORT char *dp_utf8_repair(const char *s, size_t len, size_t *out_len, size_t *replaced)
{
    size_t bad = 0, o = 0;
    for (size_t i = dp_utf8_span(s, len); i < len; i += dp_utf8_span(s + i, len - i)) {
        bad++; /* s[i] starts no valid sequence */
        i++;
    }
    char *out = malloc(len + 2 * bad + 1); /* each replaced byte grows by 2 */
    if (!out)
        return NULL;
    for (size_t i = 0; i < len;) {
        size_t n = dp_utf8_span(s + i, len - i);
        memcpy(out + o, s + i, n);
        o += n;
        i += n;
        if (i < len) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    out[o] = '\0';
    if (out_len)
        *out_len = o;
    if (replaced)
        *replaced = bad;
    return out;
}

DP_EXPORT uint32_t dp_utf8_next(const char *s, size_t len, size_t *i)
{
    size_t at = *i, bad;
    const unsigned char *p = (const unsigned char *)s + at;
    unsigned c = p[0];
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    /* Reuse the validator on just this sequence: it knows overlongs and
     * surrogates, so the two can never disagree. */
    if (n > len - at || !dpt_utf8_valid(s + at, n, &bad)) {
        *i = at + 1;
        return 0xFFFD;
    }
    uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1Fu : n == 3 ? c & 0x0Fu : c & 0x07u;
    for (size_t k = 1; k < n; k++)
        cp = (cp << 6) | (p[k] & 0x3Fu);
    *i = at + n;
    return cp;
}

DP_EXPORT size_t dp_utf8_put(uint32_t cp, char *out)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}
