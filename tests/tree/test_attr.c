/* Attributes: id, classes, ordered key/values, lang and its inheritance. */
#include "tt.h"

int main(void)
{
    dp_doc *doc = NULL;
    REQUIRE(dp_doc_new(&doc) == DP_OK);
    dp_node *root = dp_doc_root(doc);
    dp_node *div = tt_add(root, DP_DIV);
    dp_node *para = tt_add(div, DP_PARA);
    dp_node *span = tt_add(para, DP_SPAN);
    dp_node *text = tt_text(span, "你好");
    REQUIRE(div && para && span && text);

    /* id */
    CHECK(dp_node_id(div) == NULL);
    CHECK(dp_node_set_id(div, "intro") == DP_OK);
    CHECK_STR(dp_node_id(div), "intro");
    CHECK(dp_node_set_id(div, NULL) == DP_OK);
    CHECK(dp_node_id(div) == NULL);

    /* classes: ordered, no duplicates, removable */
    CHECK(dp_node_add_class(div, "note") == DP_OK);
    CHECK(dp_node_add_class(div, "wide") == DP_OK);
    CHECK(dp_node_add_class(div, "note") == DP_OK);
    CHECK(dp_node_add_class(div, "two words") == DP_EINVAL);
    CHECK(dp_node_add_class(div, "") == DP_EINVAL);
    CHECK_INT(dp_node_class_count(div), 2);
    CHECK_STR(dp_node_class_at(div, 0), "note");
    CHECK_STR(dp_node_class_at(div, 1), "wide");
    CHECK(dp_node_class_at(div, 2) == NULL);
    CHECK(dp_node_has_class(div, "wide") && !dp_node_has_class(div, "narrow"));
    CHECK(dp_node_remove_class(div, "note") == DP_OK);
    CHECK_INT(dp_node_class_count(div), 1);
    CHECK_STR(dp_node_class_at(div, 0), "wide");
    CHECK(dp_node_remove_class(div, "absent") == DP_OK);
    for (int i = 0; i < 40; i++) {
        char cls[16];
        snprintf(cls, sizeof cls, "c%d", i);
        CHECK(dp_node_add_class(span, cls) == DP_OK);
    }
    CHECK_INT(dp_node_class_count(span), 40);
    CHECK_STR(dp_node_class_at(span, 39), "c39");

    /* key/values: insertion order, replace in place, NULL removes */
    CHECK(dp_node_set_attr(para, "data-a", "1") == DP_OK);
    CHECK(dp_node_set_attr(para, "data-b", "2") == DP_OK);
    CHECK(dp_node_set_attr(para, "data-c", "3") == DP_OK);
    CHECK(dp_node_set_attr(para, "data-a", "one") == DP_OK);
    CHECK_INT(dp_node_attr_count(para), 3);
    CHECK_STR(dp_node_attr_key_at(para, 0), "data-a");
    CHECK_STR(dp_node_attr_value_at(para, 0), "one");
    CHECK_STR(dp_node_attr(para, "data-c"), "3");
    CHECK(dp_node_set_attr(para, "data-b", NULL) == DP_OK);
    CHECK_INT(dp_node_attr_count(para), 2);
    CHECK_STR(dp_node_attr_key_at(para, 1), "data-c");
    CHECK(dp_node_attr(para, "data-b") == NULL);
    CHECK(dp_node_set_attr(para, "", "x") == DP_EINVAL);
    /* id, class and lang given as key/values go to their first-class fields */
    CHECK(dp_node_set_attr(para, "id", "p1") == DP_OK);
    CHECK(dp_node_set_attr(para, "class", " a  b ") == DP_OK);
    CHECK(dp_node_set_attr(para, "lang", "fr") == DP_OK);
    CHECK_INT(dp_node_attr_count(para), 2);
    CHECK_STR(dp_node_id(para), "p1");
    CHECK_INT(dp_node_class_count(para), 2);
    CHECK_STR(dp_node_class_at(para, 1), "b");
    CHECK_STR(dp_node_lang(para), "fr");
    CHECK_STR(dp_node_attr(para, "id"), "p1");
    CHECK_STR(dp_node_attr(para, "lang"), "fr");

    /* lang inheritance: own, then ancestors, then metadata language */
    CHECK(dp_node_lang(text) == NULL);
    CHECK_STR(dp_node_lang_effective(text), "fr");
    CHECK(dp_node_set_lang(span, "zh") == DP_OK);
    CHECK_STR(dp_node_lang_effective(text), "zh");
    CHECK_STR(dp_node_lang_effective(span), "zh");
    CHECK(dp_node_lang_effective(div) == NULL);
    CHECK(dp_meta_set_string(doc, dp_doc_meta(doc), "language", "en") == DP_OK);
    CHECK_STR(dp_node_lang_effective(div), "en");
    CHECK_STR(dp_node_lang_effective(root), "en");
    CHECK(dp_node_set_lang(para, NULL) == DP_OK);
    CHECK(dp_node_lang(para) == NULL);
    CHECK_STR(dp_node_lang_effective(para), "en");
    /* an unlinked node sees only its own lang and the document's */
    dp_node *loose = dp_node_new(doc, DP_SPAN);
    CHECK_STR(dp_node_lang_effective(loose), "en");

    /* strings are copied */
    char buf[8] = "xx";
    CHECK(dp_node_set_attr(div, "k", buf) == DP_OK);
    buf[0] = 'y';
    CHECK_STR(dp_node_attr(div, "k"), "xx");

    dp_error err;
    dp_error_clear(&err);
    CHECK(dp_doc_check(doc, &err) == DP_OK);
    dp_doc_free(doc);
    CHECK_EXIT();
}
