/* dp_utf8_next / dp_utf8_put / dp_utf8_span: the one UTF-8 codec every
 * plugin uses. */
#include <stdlib.h>

#include "tt.h"

/* Reference for dp_utf8_span, one byte at a time and written from RFC 3629's
 * table, so the eight-bytes-at-a-time path is checked against something
 * that does not share its code. */
static size_t span_ref(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        unsigned lo = 0x80, hi = 0xBF;
        if (c == 0)
            return i;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            n = 2;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        else
            return i;
        if (len - i < n || s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k < n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return i;
        i += n;
    }
    return len;
}

static void check_span(void)
{
    /* A bad byte, a NUL or a multi-byte character at every offset around the
     * eight-byte words, in ASCII text of every length up to 40. */
    static const char *const pieces[] = {"\x80", "", "\xC3\xA9", "\xE5\x8A\x9B", "\xF0\x9F\x98\x80",
                                         "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE5\x8A", "\xFF"};
    unsigned char buf[64];
    for (size_t len = 0; len <= 40; len++)
        for (size_t at = 0; at <= len; at++)
            for (size_t p = 0; p < sizeof pieces / sizeof *pieces; p++) {
                size_t plen = p == 1 ? 1 : strlen(pieces[p]), n = 0;
                memset(buf, 'a', sizeof buf);
                memcpy(buf + at, pieces[p], plen); /* p == 1: one NUL byte */
                n = len + plen;
                CHECK_INT(dp_utf8_span((const char *)buf, n), span_ref(buf, n));
            }
    /* Pseudo-random bytes biased towards ASCII and UTF-8 lead bytes. */
    unsigned x = 12345;
    for (int round = 0; round < 20000; round++) {
        size_t n = (size_t)(round % 60);
        for (size_t k = 0; k < n; k++) {
            x = x * 1103515245u + 12345u;
            unsigned r = (x >> 16) & 0xFF;
            buf[k] = (unsigned char)(r < 160 ? 'a' + r % 26 : r < 250 ? r : r % 8);
        }
        CHECK_INT(dp_utf8_span((const char *)buf, n), span_ref(buf, n));
    }
}

static uint32_t next_at(const char *s, size_t len, size_t *i)
{
    return dp_utf8_next(s, len, i);
}

int main(void)
{
    /* Every length, decoded and re-encoded byte for byte. */
    const char *ok = "a\xC3\xA9\xE5\x8A\x9B\xF0\x9F\x98\x80"; /* a é 力 😀 */
    const uint32_t cps[] = {0x61, 0xE9, 0x529B, 0x1F600};
    size_t i = 0, len = strlen(ok), o = 0;
    char out[16];
    for (int k = 0; k < 4; k++) {
        CHECK_INT(next_at(ok, len, &i), cps[k]);
        o += dp_utf8_put(cps[k], out + o);
    }
    CHECK_INT(i, len);
    CHECK_INT(o, len);
    CHECK(memcmp(out, ok, len) == 0);

    /* Invalid input: U+FFFD, one byte consumed, decoding resumes. */
    const char *bad[] = {"\x80x", "\xC0\xAFx", "\xED\xA0\x80x", "\xF4\x90\x80\x80x", "\xE5\x8Ax"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        i = 0;
        CHECK_INT(next_at(bad[k], strlen(bad[k]), &i), 0xFFFD);
        CHECK_INT(i, 1);
    }
    /* Truncated at the end of the buffer. */
    i = 0;
    CHECK_INT(next_at("\xE5\x8A", 2, &i), 0xFFFD);
    CHECK_INT(i, 1);

    /* Values that are not characters encode as U+FFFD. */
    CHECK_INT(dp_utf8_put(0, out), 3);
    CHECK(memcmp(out, "\xEF\xBF\xBD", 3) == 0);
    CHECK_INT(dp_utf8_put(0xD800, out), 3);
    CHECK_INT(dp_utf8_put(0x110000, out), 3);

    check_span();

    /* dp_utf8_repair: each bad byte and each NUL becomes U+FFFD, the rest
     * is kept byte for byte. */
    {
        static const char in[] = "ok \xC3\xA9 \xE0\x8F\x9C x\0y \xF0\x9F\x98";
        size_t olen = 0, nrep = 0;
        char *fixed = dp_utf8_repair(in, sizeof in - 1, &olen, &nrep);
        static const char want[] = "ok \xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD x\xEF\xBF\xBDy "
                                   "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD";
        CHECK(fixed != NULL);
        CHECK_INT(nrep, 7);
        CHECK_INT(olen, sizeof want - 1);
        CHECK(fixed && memcmp(fixed, want, sizeof want) == 0);
        CHECK(fixed && dp_utf8_span(fixed, olen) == olen);
        free(fixed);
    }
    CHECK_EXIT();
}
