/* Unit tests of the json plugin's emitter, parser and base64, linked from
 * the plugin's sources directly. */
#include "json_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* Emits s as a JSON string and returns the text (static buffer). */
static const char *emit(const char *s, size_t len, int *replaced)
{
    static char out[4096];
    dp_buf *buf = NULL;
    dp_buf_new(&buf);
    jw w = {buf, 0, 0};
    jw_str(&w, s, len);
    snprintf(out, sizeof out, "%s", (const char *)dp_buf_data(buf));
    if (replaced)
        *replaced = w.replaced;
    dp_buf_free(buf);
    return out;
}

/* Parses text as JSON; returns the top value's string (copied) or NULL. */
static int parse_string_value(const char *text, char *out, size_t *len)
{
    json_doc jd;
    dp_error err;
    dp_error_clear(&err);
    int rc = json_parse(&jd, (const unsigned char *)text, strlen(text), 10, "t", &err);
    if (rc)
        return rc;
    int ok = jd.root->type == JV_STR;
    if (ok) {
        memcpy(out, jd.root->u.str.s, jd.root->u.str.len);
        *len = jd.root->u.str.len;
    }
    json_doc_free(&jd);
    return ok ? 0 : -1;
}

static void test_escaping(void)
{
    CHECK(strcmp(emit("a\"b\\c/d", 7, NULL), "\"a\\\"b\\\\c/d\"") == 0);
    CHECK(strcmp(emit("\b\f\n\r\t", 5, NULL), "\"\\b\\f\\n\\r\\t\"") == 0);
    CHECK(strcmp(emit("\x01\x1f\x7f", 3, NULL), "\"\\u0001\\u001f\\u007f\"") == 0);
    CHECK(strcmp(emit("a\0b", 3, NULL), "\"a\\u0000b\"") == 0);
    CHECK(strcmp(emit("\xe4\xbd\xa0\xf0\x9f\x98\x80", 7, NULL), "\"\xe4\xbd\xa0\xf0\x9f\x98\x80\"") == 0);
    int replaced = 0;
    CHECK(strcmp(emit("a\xff" "b\xc0\xaf", 5, &replaced), "\"a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd\"") == 0);
    CHECK(replaced == 3);

    /* Every byte 0..127 survives emit + parse. */
    for (int c = 0; c < 128; c++) {
        char in[3] = {'x', (char)c, 'y'};
        const char *text = emit(in, 3, NULL);
        char back[16];
        size_t len = 0;
        if (parse_string_value(text, back, &len) != 0 || len != 3 || memcmp(back, in, 3) != 0) {
            fprintf(stderr, "byte 0x%02x does not round-trip (%s)\n", c, text);
            check_failures++;
        }
    }
}

static void test_parser(void)
{
    char back[64];
    size_t len;
    /* escapes and surrogate pairs */
    CHECK(parse_string_value("\"\\u00e9\\ud83d\\ude00\\/\"", back, &len) == 0 && len == 7 &&
          memcmp(back, "\xc3\xa9\xf0\x9f\x98\x80/", 7) == 0);
    /* depth cap: exactly at the limit passes, one more fails with DP_ELIMIT */
    json_doc jd;
    dp_error err;
    dp_error_clear(&err);
    CHECK(json_parse(&jd, (const unsigned char *)"[[[]]]", 6, 3, "d", &err) == DP_OK);
    json_doc_free(&jd);
    dp_error_clear(&err);
    CHECK(json_parse(&jd, (const unsigned char *)"[[[[]]]]", 8, 3, "d", &err) == DP_ELIMIT);
    CHECK(err.line == 1 && err.column == 4);
    /* positions count lines and characters (not bytes) */
    const char *bad = "{\n  \"\xe4\xbd\xa0\": tru }";
    dp_error_clear(&err);
    CHECK(json_parse(&jd, (const unsigned char *)bad, strlen(bad), 10, "p", &err) == DP_EINPUT);
    CHECK(err.line == 2 && err.column == 8);
    CHECK(strcmp(err.file, "p") == 0);
    /* numbers: grammar enforced */
    const char *nums[] = {"-", "1.", ".5", "1e", "+1", "01", "1.5e+", "--1", NULL};
    for (int i = 0; nums[i]; i++) {
        dp_error_clear(&err);
        if (json_parse(&jd, (const unsigned char *)nums[i], strlen(nums[i]), 10, "n", &err) != DP_EINPUT) {
            fprintf(stderr, "number %s accepted\n", nums[i]);
            check_failures++;
            json_doc_free(&jd);
        }
    }
    const char *good[] = {"0", "-0", "1.5", "1e10", "-2.5E-3", "123456789", NULL};
    for (int i = 0; good[i]; i++) {
        dp_error_clear(&err);
        if (json_parse(&jd, (const unsigned char *)good[i], strlen(good[i]), 10, "n", &err) != DP_OK) {
            fprintf(stderr, "number %s refused: %s\n", good[i], err.message);
            check_failures++;
        } else {
            CHECK(jd.root->type == JV_NUM && jd.root->u.num.len == strlen(good[i]));
            json_doc_free(&jd);
        }
    }
    /* a big object: duplicate detection by sorting */
    dp_buf *buf = NULL;
    dp_buf_new(&buf);
    dp_buf_puts(buf, "{");
    for (int i = 0; i < 5000; i++)
        dp_buf_printf(buf, "%s\"k%d\": %d", i ? "," : "", i, i);
    dp_buf_puts(buf, "}");
    dp_error_clear(&err);
    CHECK(json_parse(&jd, dp_buf_data(buf), dp_buf_len(buf), 10, "o", &err) == DP_OK);
    CHECK(jd.root && jd.root->u.obj.n == 5000);
    CHECK(jv_get(jd.root, "k4999") && jv_get(jd.root, "k5000") == NULL);
    json_doc_free(&jd);
    dp_buf_puts(buf, "");
    dp_buf_reset(buf);
    dp_buf_puts(buf, "{");
    for (int i = 0; i < 100; i++)
        dp_buf_printf(buf, "%s\"k%d\": 0", i ? "," : "", i % 60);
    dp_buf_puts(buf, "}");
    dp_error_clear(&err);
    CHECK(json_parse(&jd, dp_buf_data(buf), dp_buf_len(buf), 10, "o", &err) == DP_EINPUT);
    CHECK(strstr(err.message, "duplicate key \"k0\"") != NULL);
    dp_buf_free(buf);
}

static void test_base64(void)
{
    unsigned char data[300], back[300];
    srand(7);
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)rand();
    for (size_t n = 0; n <= sizeof data; n++) {
        dp_buf *buf = NULL;
        dp_buf_new(&buf);
        jw w = {buf, 0, 0};
        b64_encode(&w, data, n);
        size_t elen = dp_buf_len(buf);
        CHECK(elen == (n + 2) / 3 * 4);
        size_t m = b64_decode((const char *)dp_buf_data(buf), elen, back);
        if (m != n || memcmp(back, data, n) != 0) {
            fprintf(stderr, "base64 round trip failed for %zu bytes\n", n);
            check_failures++;
        }
        dp_buf_free(buf);
    }
    unsigned char out[16];
    CHECK(b64_decode("TWFu", 4, out) == 3 && memcmp(out, "Man", 3) == 0);
    CHECK(b64_decode("TQ==", 4, out) == 1 && out[0] == 'M');
    CHECK(b64_decode("TR==", 4, out) == (size_t)-1); /* non-canonical padding bits */
    CHECK(b64_decode("TWF", 3, out) == (size_t)-1);
    CHECK(b64_decode("TW=u", 4, out) == (size_t)-1);
    CHECK(b64_decode("T*Fu", 4, out) == (size_t)-1);
    CHECK(b64_decode("TQ==TWFu", 8, out) == (size_t)-1); /* padding in the middle */
}

static void test_double(void)
{
    const double values[] = {0, 0.5, 0.1, 0.3, 1.0 / 3.0, 1e-7, 123456.789, 2.5e300};
    const char *expect[] = {"0", "0.5", "0.1", "0.3", NULL, "1e-07", "123456.789", "2.5e+300"};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        dp_buf *buf = NULL;
        dp_buf_new(&buf);
        jw w = {buf, 0, 0};
        jw_double(&w, values[i]);
        const char *text = (const char *)dp_buf_data(buf);
        CHECK(strtod(text, NULL) == values[i]);
        if (expect[i] && strcmp(text, expect[i]) != 0) {
            fprintf(stderr, "double %g written as %s, expected %s\n", values[i], text, expect[i]);
            check_failures++;
        }
        dp_buf_free(buf);
    }
}

int main(void)
{
    test_escaping();
    test_parser();
    test_base64();
    test_double();
    CHECK_EXIT();
}
