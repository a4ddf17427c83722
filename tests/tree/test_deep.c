/* 100 000-deep nesting: build, iterate, check, copy, normalise, plain text,
 * free. Any recursion over the tree would overflow the stack here (the test
 * also runs under ASan, whose frames are larger). */
#include "tt.h"

#include <stdlib.h>

#define DEPTH 100000

int main(void)
{
    dp_doc *doc = NULL;
    REQUIRE(dp_doc_new(&doc) == DP_OK);
    dp_node *root = dp_doc_root(doc);

    /* Blocks: block_quote in block_quote ... ; inlines: emph in emph ... */
    dp_node *cur = root;
    for (int i = 0; i < DEPTH; i++) {
        dp_node *q = dp_node_new(doc, DP_BLOCK_QUOTE);
        REQUIRE(q && dp_node_append_child(cur, q) == DP_OK);
        cur = q;
    }
    dp_node *para = tt_add(cur, DP_PARA);
    REQUIRE(para);
    cur = para;
    for (int i = 0; i < DEPTH; i++) {
        dp_node *e = dp_node_new(doc, DP_EMPH);
        REQUIRE(e && dp_node_append_child(cur, e) == DP_OK);
        cur = e;
    }
    tt_text(cur, "deep");
    tt_text(cur, "er");
    dp_node *leaf = dp_node_last_child(cur);
    CHECK_INT(dp_node_depth(leaf), 2 * DEPTH + 2);

    /* iterate */
    dp_iter it;
    dp_iter_init(&it, root);
    dp_event ev;
    long enters = 0, exits = 0;
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE)
        ev == DP_EV_ENTER ? enters++ : exits++;
    CHECK_INT(enters, 2L * DEPTH + 4);
    CHECK_INT(exits, 2L * DEPTH + 2);

    /* check */
    dp_error err;
    dp_error_clear(&err);
    CHECK(dp_doc_check(doc, &err) == DP_OK);
    if (err.code)
        fprintf(stderr, "check: %s\n", err.message);

    /* normalise (merges the two texts at the bottom) */
    dp_doc_normalize(doc);
    CHECK_STR(dp_node_text(dp_node_first_child(cur)), "deeper");
    CHECK(dp_node_next(dp_node_first_child(cur)) == NULL);

    /* plain text */
    CHECK_STR(dp_node_plain_text(root, 0), "deeper");

    /* copy into another document, then compare shapes */
    dp_doc *other = NULL;
    REQUIRE(dp_doc_new(&other) == DP_OK);
    dp_node *copy = dp_node_copy(other, dp_node_first_child(root));
    REQUIRE(copy);
    CHECK(dp_node_append_child(dp_doc_root(other), copy) == DP_OK);
    long depth = 0;
    const dp_node *n = copy;
    while (dp_node_first_child(n)) {
        n = dp_node_first_child(n);
        depth++;
    }
    CHECK_INT(depth, 2L * DEPTH + 1);
    CHECK_STR(dp_node_text(n), "deeper");
    CHECK(dp_node_doc(n) == other);
    dp_error_clear(&err);
    CHECK(dp_doc_check(other, &err) == DP_OK);

    /* free both: no walk, no overflow, no leak (LeakSanitizer) */
    dp_doc_free(doc);
    dp_doc_free(other);
    CHECK_EXIT();
}
