/* The one check harness of the C tests (every test folder has tests/common
 * on its include path). CHECK records a failure with its location and
 * carries on; REQUIRE stops the test (setup failed, nothing after it can be
 * meaningful); CHECK_EXIT() ends main with the exit status. */
#ifndef DOCPIPE_TESTS_CHECK_H
#define DOCPIPE_TESTS_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            check_failures++;                                                        \
        }                                                                            \
    } while (0)

/* CHECK with a printf-style explanation. */
#define CHECK_MSG(cond, ...)                                                         \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                            \
            fputc('\n', stderr);                                                     \
            check_failures++;                                                        \
        }                                                                            \
    } while (0)

/* CHECK_MSG that also leaves the current void function (a test case whose
 * later steps need what failed). */
#define CHECK_OR_RETURN(cond, ...)        \
    do {                                  \
        if (!(cond)) {                    \
            CHECK_MSG(cond, __VA_ARGS__); \
            return;                       \
        }                                 \
    } while (0)

#define CHECK_STR(a, b)                                                                           \
    do {                                                                                          \
        const char *check_a = (a), *check_b = (b);                                                \
        if (!check_a || !check_b || strcmp(check_a, check_b) != 0) {                              \
            fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a,    \
                    check_a ? check_a : "(null)", check_b ? check_b : "(null)");                  \
            check_failures++;                                                                     \
        }                                                                                         \
    } while (0)

#define CHECK_INT(a, b)                                                                                   \
    do {                                                                                                  \
        long check_a = (long)(a), check_b = (long)(b);                                                    \
        if (check_a != check_b) {                                                                         \
            fprintf(stderr, "%s:%d: %s is %ld, expected %ld\n", __FILE__, __LINE__, #a, check_a, check_b); \
            check_failures++;                                                                             \
        }                                                                                                 \
    } while (0)

#define REQUIRE(cond)                                                            \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: required: %s\n", __FILE__, __LINE__, #cond); \
            return 1;                                                            \
        }                                                                        \
    } while (0)

#define CHECK_EXIT()                                                      \
    do {                                                                  \
        if (check_failures)                                               \
            fprintf(stderr, "%d check(s) failed\n", check_failures);      \
        return check_failures ? 1 : 0;                                    \
    } while (0)

#endif
