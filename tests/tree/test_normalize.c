/* dp_doc_normalize: adjacent texts merged, empty texts dropped, idempotent. */
#include "tt.h"

static int count_children(const dp_node *n)
{
    int k = 0;
    for (const dp_node *c = dp_node_first_child(n); c; c = dp_node_next(c))
        k++;
    return k;
}

int main(void)
{
    dp_doc *doc = NULL;
    REQUIRE(dp_doc_new(&doc) == DP_OK);
    dp_node *root = dp_doc_root(doc);
    dp_node *p = tt_add(root, DP_PARA);
    dp_node *first = tt_text(p, "Hel");
    dp_node_set_pos(first, 3, 7);
    tt_text(p, "");
    tt_text(p, "lo");
    tt_text(p, " ");
    dp_node *em = tt_add(p, DP_EMPH);
    tt_text(em, "");
    tt_text(p, "wor");
    tt_text(p, "ld");
    dp_node *code = dp_node_new_text(doc, DP_CODE, "a", 1);
    dp_node_append_child(p, code);
    dp_node *code2 = dp_node_new_text(doc, DP_CODE, "b", 1);
    dp_node_append_child(p, code2); /* other leaves are never merged */
    tt_text(p, "");
    dp_node *p2 = tt_add(root, DP_PARA);
    tt_text(p2, "");
    tt_text(p2, "");

    /* formatted metadata is normalised too */
    dp_meta *title = dp_meta_new_nodes(doc, DP_META_INLINES);
    REQUIRE(title);
    tt_text(dp_meta_nodes(title), "A ");
    tt_text(dp_meta_nodes(title), "title");
    CHECK(dp_meta_set(dp_doc_meta(doc), "title", title) == DP_OK);

    dp_doc_normalize(doc);
    CHECK_INT(count_children(p), 5); /* text, emph, text, code, code */
    dp_node *c = dp_node_first_child(p);
    CHECK(c == first);
    CHECK_STR(dp_node_text(c), "Hello ");
    CHECK_INT(dp_node_text_len(c), 6);
    CHECK_INT(dp_node_line(c), 3);
    CHECK_INT(count_children(em), 0);
    CHECK_STR(dp_node_text(dp_node_next(em)), "world");
    CHECK(dp_node_kind(dp_node_last_child(p)) == DP_CODE);
    CHECK_INT(count_children(p2), 0);
    CHECK_INT(count_children(dp_meta_nodes(title)), 1);
    CHECK_STR(dp_node_text(dp_node_first_child(dp_meta_nodes(title))), "A title");

    /* idempotent */
    dp_doc_normalize(doc);
    CHECK_INT(count_children(p), 5);
    CHECK_STR(dp_node_text(dp_node_first_child(p)), "Hello ");

    /* texts with embedded NUL keep their length */
    dp_node *p3 = tt_add(root, DP_PARA);
    dp_node *t = dp_node_new_text(doc, DP_TEXT, "a\0", 2);
    dp_node_append_child(p3, t);
    tt_text(p3, "b");
    dp_doc_normalize(doc);
    CHECK_INT(dp_node_text_len(dp_node_first_child(p3)), 3);
    CHECK(memcmp(dp_node_text(dp_node_first_child(p3)), "a\0b", 4) == 0);

    dp_error err;
    dp_error_clear(&err);
    CHECK(dp_doc_check(doc, &err) == DP_OK);
    dp_doc_normalize(NULL);
    dp_doc_free(doc);
    CHECK_EXIT();
}
