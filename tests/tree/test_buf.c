/* dp_buf, dp_error, status names and the version. */
#include "tt.h"

#include <stdlib.h>

int main(void)
{
    dp_buf *buf = NULL;
    REQUIRE(dp_buf_new(&buf) == DP_OK && buf);
    CHECK_INT(dp_buf_len(buf), 0);
    CHECK_STR((const char *)dp_buf_data(buf), "");
    CHECK(dp_buf_puts(buf, "Hello") == DP_OK);
    CHECK(dp_buf_append(buf, ", ", 2) == DP_OK);
    CHECK(dp_buf_printf(buf, "%s #%d", "world", 42) == DP_OK);
    CHECK_STR((const char *)dp_buf_data(buf), "Hello, world #42");
    CHECK_INT(dp_buf_len(buf), 16);

    /* long printf output (beyond any small internal buffer) */
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK(dp_buf_printf(buf, "[%s]", big) == DP_OK);
    CHECK_INT(dp_buf_len(buf), 16 + 5001);
    CHECK(dp_buf_data(buf)[dp_buf_len(buf) - 1] == ']');
    CHECK(dp_buf_data(buf)[dp_buf_len(buf)] == '\0');

    /* binary data with NULs */
    dp_buf_reset(buf);
    CHECK_INT(dp_buf_len(buf), 0);
    CHECK(dp_buf_append(buf, "a\0b", 3) == DP_OK);
    CHECK_INT(dp_buf_len(buf), 3);
    CHECK(memcmp(dp_buf_data(buf), "a\0b", 3) == 0);
    CHECK(dp_buf_append(buf, NULL, 0) == DP_OK);
    CHECK(dp_buf_append(buf, NULL, 1) == DP_EINVAL);

    /* growth over many appends */
    for (int i = 0; i < 100000; i++)
        dp_buf_append(buf, "0123456789", 10);
    CHECK_INT(dp_buf_len(buf), 3 + 1000000);

    size_t len = 0;
    unsigned char *owned = dp_buf_detach(buf, &len);
    CHECK_INT(len, 1000003);
    CHECK(owned && owned[len] == '\0');
    free(owned);
    CHECK_INT(dp_buf_len(buf), 0);
    owned = dp_buf_detach(buf, &len);
    CHECK(owned && len == 0 && owned[0] == '\0');
    free(owned);
    CHECK(dp_buf_puts(buf, "again") == DP_OK);
    CHECK_STR((const char *)dp_buf_data(buf), "again");
    dp_buf_free(buf);
    dp_buf_free(NULL);
    CHECK(dp_buf_new(NULL) == DP_EINVAL);

    /* errors: first failure wins, fields filled, one line */
    dp_error err;
    dp_error_clear(&err);
    CHECK(dp_error_set(&err, DP_EINPUT, "in.md", 3, 9, "bad %s\nthing", "token") == DP_EINPUT);
    CHECK_INT(err.code, DP_EINPUT);
    CHECK_STR(err.file, "in.md");
    CHECK_INT(err.line, 3);
    CHECK_INT(err.column, 9);
    CHECK_STR(err.message, "bad token thing");
    CHECK(dp_error_set(&err, DP_ELIMIT, "other", 1, 1, "second") == DP_ELIMIT);
    CHECK_INT(err.code, DP_EINPUT);
    CHECK_STR(err.message, "bad token thing");
    CHECK(dp_error_set(NULL, DP_ENOMEM, NULL, 0, 0, "x") == DP_ENOMEM);
    dp_error_clear(&err);
    CHECK_INT(err.code, 0);
    CHECK(dp_error_set(&err, DP_ECONFIG, NULL, -1, 0, "%s", big) == DP_ECONFIG);
    CHECK_STR(err.file, "");
    CHECK_INT(err.line, 0);
    CHECK_INT(strlen(err.message), sizeof err.message - 1);

    CHECK_STR(dp_status_name(DP_EINPUT), "input error");
    CHECK_STR(dp_status_name(DP_OK), "ok");
    CHECK_STR(dp_status_name(DP_ELOSS), "loss reported");
    CHECK_STR(dp_status_name(-99), "unknown error");
    for (int code = DP_ELOSS; code <= DP_OK; code++)
        CHECK(strcmp(dp_status_name(code), "unknown error") != 0);
    CHECK_STR(dp_version(), DOCPIPE_TEST_VERSION);
    CHECK_EXIT();
}
