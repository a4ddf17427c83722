/* dp_utf8_next / dp_utf8_put: the one UTF-8 codec every plugin uses. */
#include "tt.h"

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
    TT_END();
}
