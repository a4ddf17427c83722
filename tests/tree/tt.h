/* A tiny test harness for the tree unit tests: CHECK records a failure with
 * its location and carries on; TT_END returns the exit status. */
#ifndef DOCPIPE_TESTS_TT_H
#define DOCPIPE_TESTS_TT_H

#include <docpipe/docpipe.h>

#include <stdio.h>
#include <string.h>

static int tt_failures;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            tt_failures++;                                                           \
        }                                                                            \
    } while (0)

#define CHECK_STR(a, b)                                                                        \
    do {                                                                                       \
        const char *tt_a = (a), *tt_b = (b);                                                   \
        if (!tt_a || !tt_b || strcmp(tt_a, tt_b) != 0) {                                       \
            fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, \
                    tt_a ? tt_a : "(null)", tt_b ? tt_b : "(null)");                           \
            tt_failures++;                                                                     \
        }                                                                                      \
    } while (0)

#define CHECK_INT(a, b)                                                                             \
    do {                                                                                            \
        long tt_a = (long)(a), tt_b = (long)(b);                                                    \
        if (tt_a != tt_b) {                                                                         \
            fprintf(stderr, "%s:%d: %s is %ld, expected %ld\n", __FILE__, __LINE__, #a, tt_a, tt_b); \
            tt_failures++;                                                                          \
        }                                                                                           \
    } while (0)

/* Fatal: setup failed, nothing after it can be meaningful. */
#define REQUIRE(cond)                                                                     \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "%s:%d: required: %s\n", __FILE__, __LINE__, #cond);          \
            return 1;                                                                     \
        }                                                                                 \
    } while (0)

#define TT_END()                                                          \
    do {                                                                  \
        if (tt_failures)                                                  \
            fprintf(stderr, "%d check(s) failed\n", tt_failures);         \
        return tt_failures ? 1 : 0;                                       \
    } while (0)

/* Appends a new node of kind to parent; NULL (and a failed check) if refused. */
static inline dp_node *tt_add(dp_node *parent, dp_kind kind)
{
    dp_node *n = dp_node_new(dp_node_doc(parent), kind);
    if (!n || dp_node_append_child(parent, n) != DP_OK) {
        fprintf(stderr, "tt_add: %s refused in %s\n", dp_kind_name(kind), dp_kind_name(dp_node_kind(parent)));
        tt_failures++;
        return NULL;
    }
    return n;
}

static inline dp_node *tt_text(dp_node *parent, const char *s)
{
    dp_node *n = dp_node_new_text(dp_node_doc(parent), DP_TEXT, s, strlen(s));
    if (!n || dp_node_append_child(parent, n) != DP_OK) {
        fprintf(stderr, "tt_text: refused in %s\n", dp_kind_name(dp_node_kind(parent)));
        tt_failures++;
        return NULL;
    }
    return n;
}

#endif
