/* Metadata: maps keep order and replace in place, lists, scalars, the list
 * view of any value, dotted paths, formatted text, cycle refusal. */
#include "tt.h"

int main(void)
{
    dp_doc *doc = NULL;
    REQUIRE(dp_doc_new(&doc) == DP_OK);
    dp_meta *meta = dp_doc_meta(doc);
    REQUIRE(meta && dp_meta_get_type(meta) == DP_META_MAP);
    CHECK_INT(dp_meta_map_count(meta), 0);

    /* strings, order, replacement */
    CHECK(dp_meta_set_string(doc, meta, "title", "Draft") == DP_OK);
    CHECK(dp_meta_set_string(doc, meta, "date", "2021-03-15") == DP_OK);
    CHECK(dp_meta_set_string(doc, meta, "title", "The Speech") == DP_OK);
    CHECK_INT(dp_meta_map_count(meta), 2);
    CHECK_STR(dp_meta_map_key_at(meta, 0), "title");
    CHECK_STR(dp_meta_string(dp_meta_map_value_at(meta, 0)), "The Speech");
    CHECK_STR(dp_meta_map_key_at(meta, 1), "date");
    CHECK(dp_meta_map_key_at(meta, 2) == NULL);
    CHECK_STR(dp_meta_text(dp_meta_get(meta, "title")), "The Speech");
    CHECK(dp_meta_get(meta, "absent") == NULL);

    /* a single author string reads as a one-item list */
    CHECK(dp_meta_set_string(doc, meta, "author", "Ann") == DP_OK);
    dp_meta *author = dp_meta_get(meta, "author");
    CHECK_INT(dp_meta_len(author), 1);
    CHECK(dp_meta_at(author, 0) == author);
    CHECK(dp_meta_at(author, 1) == NULL);
    CHECK_INT(dp_meta_len(NULL), 0);

    /* lists */
    dp_meta *translators = dp_meta_new_list(doc);
    REQUIRE(translators);
    CHECK(dp_meta_append(translators, dp_meta_new_string(doc, "Graham Webster")) == DP_OK);
    CHECK(dp_meta_append(translators, dp_meta_new_string(doc, "Rogier Creemers")) == DP_OK);
    for (int i = 0; i < 20; i++)
        CHECK(dp_meta_append(translators, dp_meta_new_string(doc, "x")) == DP_OK);
    CHECK(dp_meta_set(meta, "translator", translators) == DP_OK);
    CHECK_INT(dp_meta_len(dp_meta_get(meta, "translator")), 22);
    CHECK_STR(dp_meta_text(dp_meta_at(translators, 1)), "Rogier Creemers");
    CHECK(dp_meta_text(translators) == NULL);
    CHECK(dp_meta_append(meta, dp_meta_new_string(doc, "x")) == DP_EINVAL); /* not a list */

    /* bools */
    dp_meta *b = dp_meta_new_bool(doc, 7);
    CHECK(dp_meta_bool(b) == 1);
    CHECK_STR(dp_meta_text(b), "true");
    CHECK_STR(dp_meta_text(dp_meta_new_bool(doc, 0)), "false");
    CHECK(dp_meta_string(b) == NULL);

    /* nested maps and dotted paths */
    dp_meta *source = dp_meta_new_map(doc);
    CHECK(dp_meta_set_string(doc, source, "url", "https://example.org/qiushi") == DP_OK);
    CHECK(dp_meta_set_string(doc, source, "date", "2021-03-15") == DP_OK);
    CHECK(dp_meta_set(meta, "source", source) == DP_OK);
    CHECK_STR(dp_meta_get_text(meta, "source.url"), "https://example.org/qiushi");
    CHECK(dp_meta_get_text(meta, "source.nothing") == NULL);
    CHECK(dp_meta_get_text(meta, "source") == NULL); /* a map has no text */
    CHECK(dp_meta_get_text(meta, "title.x") == NULL);
    CHECK_STR(dp_meta_get_text(meta, "title"), "The Speech");
    CHECK(dp_meta_set_string(doc, meta, "odd.key", "dotted") == DP_OK);
    CHECK_STR(dp_meta_get_text(meta, "odd.key"), "dotted");

    /* contributors: list of maps */
    dp_meta *contributors = dp_meta_new_list(doc);
    dp_meta *c1 = dp_meta_new_map(doc);
    dp_meta_set_string(doc, c1, "name", "Graham Webster");
    dp_meta_set_string(doc, c1, "role", "trl");
    CHECK(dp_meta_append(contributors, c1) == DP_OK);
    CHECK(dp_meta_set(meta, "contributor", contributors) == DP_OK);
    CHECK_STR(dp_meta_get_text(dp_meta_at(dp_meta_get(meta, "contributor"), 0), "role"), "trl");

    /* formatted text */
    dp_meta *sub = dp_meta_new_nodes(doc, DP_META_INLINES);
    REQUIRE(sub);
    dp_node *box = dp_meta_nodes(sub);
    CHECK(dp_node_kind(box) == DP_SPAN);
    tt_text(box, "A ");
    dp_node *em = tt_add(box, DP_EMPH);
    tt_text(em, "subtitle");
    dp_node *note = tt_add(box, DP_NOTE);
    dp_node *np = tt_add(note, DP_PARA);
    tt_text(np, "not part of it");
    CHECK(dp_meta_set(meta, "subtitle", sub) == DP_OK);
    CHECK_STR(dp_meta_get_text(meta, "subtitle"), "A subtitle");
    dp_meta *desc = dp_meta_new_nodes(doc, DP_META_BLOCKS);
    CHECK(dp_node_kind(dp_meta_nodes(desc)) == DP_DIV);
    CHECK(dp_meta_new_nodes(doc, DP_META_MAP) == NULL);
    CHECK(dp_meta_nodes(b) == NULL);

    /* removal keeps the order of the rest */
    size_t before = dp_meta_map_count(meta);
    CHECK(dp_meta_remove(meta, "author") == DP_OK);
    CHECK_INT(dp_meta_map_count(meta), before - 1);
    CHECK(dp_meta_get(meta, "author") == NULL);
    CHECK_STR(dp_meta_map_key_at(meta, 2), "translator");
    CHECK(dp_meta_remove(meta, "author") == DP_OK);
    CHECK(dp_meta_set(meta, "date", NULL) == DP_OK);
    CHECK(dp_meta_get(meta, "date") == NULL);

    /* cycles and foreign values are refused */
    dp_meta *l1 = dp_meta_new_list(doc);
    dp_meta *l2 = dp_meta_new_list(doc);
    CHECK(dp_meta_append(l1, l2) == DP_OK);
    CHECK(dp_meta_append(l2, l1) == DP_EINVAL);
    CHECK(dp_meta_append(l1, l1) == DP_EINVAL);
    CHECK(dp_meta_set(meta, "loop", meta) == DP_EINVAL);
    dp_meta *m2 = dp_meta_new_map(doc);
    CHECK(dp_meta_set(m2, "l", l1) == DP_OK);
    CHECK(dp_meta_append(l2, m2) == DP_EINVAL);
    dp_doc *other = NULL;
    REQUIRE(dp_doc_new(&other) == DP_OK);
    CHECK(dp_meta_set(meta, "foreign", dp_meta_new_string(other, "x")) == DP_EINVAL);
    dp_doc_free(other);

    dp_error err;
    dp_error_clear(&err);
    CHECK(dp_doc_check(doc, &err) == DP_OK);
    if (err.code)
        fprintf(stderr, "check: %s\n", err.message);
    dp_doc_free(doc);
    CHECK_EXIT();
}
