/* Building trees: links, insertion variants, unlink, unwrap, refusals that
 * would corrupt the tree (cycles, other documents, the root). */
#include "tt.h"

static int links_ok(const dp_node *parent)
{
    const dp_node *prev = NULL;
    for (const dp_node *c = dp_node_first_child(parent); c; c = dp_node_next(c)) {
        if (dp_node_parent(c) != parent || dp_node_prev(c) != prev)
            return 0;
        prev = c;
    }
    return dp_node_last_child(parent) == prev;
}

static const char *child_kinds(const dp_node *parent, char *out, size_t size)
{
    out[0] = '\0';
    for (const dp_node *c = dp_node_first_child(parent); c; c = dp_node_next(c)) {
        if (out[0])
            strncat(out, ",", size - strlen(out) - 1);
        strncat(out, dp_kind_name(dp_node_kind(c)), size - strlen(out) - 1);
    }
    return out;
}

int main(void)
{
    dp_doc *doc = NULL;
    REQUIRE(dp_doc_new(&doc) == DP_OK && doc);
    dp_node *root = dp_doc_root(doc);
    REQUIRE(root && dp_node_kind(root) == DP_ROOT);
    CHECK(dp_node_doc(root) == doc);
    CHECK(dp_doc_new(NULL) == DP_EINVAL);

    dp_node *h = dp_node_new(doc, DP_HEADING);
    dp_node *p1 = dp_node_new(doc, DP_PARA);
    dp_node *p2 = dp_node_new(doc, DP_PARA);
    dp_node *hr = dp_node_new(doc, DP_THEMATIC_BREAK);
    REQUIRE(h && p1 && p2 && hr);
    CHECK(dp_node_new(doc, DP_NODE_NONE) == NULL);
    CHECK(dp_node_new(doc, DP_KIND_COUNT) == NULL);
    CHECK(dp_node_new(NULL, DP_PARA) == NULL);

    CHECK(dp_node_append_child(root, p1) == DP_OK);
    CHECK(dp_node_prepend_child(root, h) == DP_OK);
    CHECK(dp_node_append_child(root, p2) == DP_OK);
    CHECK(dp_node_insert_before(p2, hr) == DP_OK);
    char kinds[256];
    CHECK_STR(child_kinds(root, kinds, sizeof kinds), "heading,para,thematic_break,para");
    CHECK(links_ok(root));
    CHECK(dp_node_parent(p1) == root);

    /* Moving a linked node unlinks it from its old place first. */
    CHECK(dp_node_insert_after(p2, h) == DP_OK);
    CHECK_STR(child_kinds(root, kinds, sizeof kinds), "para,thematic_break,para,heading");
    CHECK(links_ok(root));
    CHECK(dp_node_first_child(root) == p1 && dp_node_last_child(root) == h);

    dp_node_unlink(hr);
    CHECK(dp_node_parent(hr) == NULL && dp_node_next(hr) == NULL && dp_node_prev(hr) == NULL);
    CHECK_STR(child_kinds(root, kinds, sizeof kinds), "para,para,heading");
    CHECK(links_ok(root));
    dp_node_unlink(hr); /* unlinking twice is harmless */
    dp_node_unlink(NULL);

    /* Insert before/after need a linked sibling. */
    CHECK(dp_node_insert_before(hr, p1) == DP_EINVAL);
    CHECK(dp_node_insert_after(p1, p1) == DP_EINVAL);

    /* Inline content. */
    dp_node *t1 = tt_text(p1, "Hello ");
    dp_node *em = tt_add(p1, DP_EMPH);
    dp_node *t2 = tt_text(em, "world");
    REQUIRE(t1 && em && t2);
    CHECK_STR(dp_node_text(t2), "world");
    CHECK_INT(dp_node_text_len(t2), 5);
    CHECK_INT(dp_node_depth(t2), 3);
    CHECK_INT(dp_node_depth(root), 0);

    /* Cycles: a node may not go under itself or its descendants. */
    dp_node *quote = dp_node_new(doc, DP_BLOCK_QUOTE);
    dp_node *inner = dp_node_new(doc, DP_BLOCK_QUOTE);
    REQUIRE(quote && inner);
    CHECK(dp_node_append_child(quote, inner) == DP_OK);
    CHECK(dp_node_append_child(inner, quote) == DP_EINVAL);
    CHECK(dp_node_append_child(quote, quote) == DP_EINVAL);
    CHECK(dp_node_parent(quote) == NULL && dp_node_parent(inner) == quote);
    CHECK(links_ok(quote));

    /* The root goes nowhere; nodes of another document are refused. */
    CHECK(dp_node_append_child(quote, root) == DP_EINVAL);
    dp_doc *other = NULL;
    REQUIRE(dp_doc_new(&other) == DP_OK);
    dp_node *foreign = dp_node_new(other, DP_PARA);
    CHECK(dp_node_append_child(root, foreign) == DP_EINVAL);
    CHECK(dp_node_first_child(dp_doc_root(other)) == NULL);

    /* Unwrap: children take the node's place. */
    dp_node *span = dp_node_new(doc, DP_SPAN);
    REQUIRE(span);
    CHECK(dp_node_insert_after(t1, span) == DP_OK);
    tt_text(span, "a");
    tt_add(span, DP_STRONG);
    tt_text(span, "b");
    CHECK(dp_node_unwrap(span) == DP_OK);
    CHECK_STR(child_kinds(p1, kinds, sizeof kinds), "text,text,strong,text,emph");
    CHECK(links_ok(p1));
    CHECK(dp_node_parent(span) == NULL && dp_node_first_child(span) == NULL);
    CHECK(dp_node_unwrap(span) == DP_EINVAL); /* unlinked */

    /* Unwrap that would put blocks into a paragraph is refused, tree unchanged. */
    dp_node *note = tt_add(p2, DP_NOTE);
    REQUIRE(note);
    tt_add(note, DP_PARA);
    CHECK(dp_node_unwrap(note) == DP_EINVAL);
    CHECK(dp_node_parent(note) == p2);
    CHECK_STR(child_kinds(note, kinds, sizeof kinds), "para");

    dp_error err;
    dp_error_clear(&err);
    CHECK(dp_doc_check(doc, &err) == DP_OK);
    if (err.code)
        fprintf(stderr, "check: %s\n", err.message);

    dp_doc_free(other);
    dp_doc_free(doc);
    dp_doc_free(NULL);
    CHECK_EXIT();
}
