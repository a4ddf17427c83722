/* dp_node_copy: a deep, independent copy with all data and attributes,
 * into the same or another document. */
#include "tt.h"

int main(void)
{
    dp_doc *doc = NULL, *dst = NULL;
    REQUIRE(dp_doc_new(&doc) == DP_OK && dp_doc_new(&dst) == DP_OK);
    dp_node *root = dp_doc_root(doc);
    dp_node *div = tt_add(root, DP_DIV);
    REQUIRE(div);
    dp_node_set_id(div, "d1");
    dp_node_add_class(div, "box");
    dp_node_set_attr(div, "data-k", "v");
    dp_node_set_lang(div, "fr");
    dp_node_set_pos(div, 2, 5);
    dp_node *list = tt_add(div, DP_LIST);
    dp_node_set_list(list, DP_LIST_ORDERED, 3, DP_DELIM_PAREN, DP_STYLE_UPPER_ALPHA, 1);
    dp_node *item = tt_add(list, DP_LIST_ITEM);
    dp_node_set_task(item, DP_TASK_CHECKED);
    dp_node *plain = tt_add(item, DP_PLAIN);
    dp_node *link = tt_add(plain, DP_LINK);
    dp_node_set_url(link, "u");
    dp_node_set_title(link, "t");
    tt_text(link, "link");
    dp_node *math = dp_node_new_text(doc, DP_MATH, "a\0b", 3);
    dp_node_set_format(math, "mathml");
    dp_node_set_math_display(math, 1);
    dp_node_set_math_form(math, "tex", "a\\,b", 4);
    dp_node_set_math_alt(math, "a b");
    dp_node_append_child(plain, math);
    dp_node *cite = tt_add(plain, DP_CITE);
    dp_citation c = {"id1", "pre", "suf", DP_CITE_SUPPRESS_AUTHOR};
    dp_node_add_citation(cite, &c);
    dp_node *custom = dp_node_new(doc, DP_CUSTOM);
    dp_node_set_custom(custom, "tei:persName", 0);
    dp_node_append_child(plain, custom);
    dp_node *pb = tt_add(plain, DP_PAGE_BREAK);
    dp_node_set_label(pb, "7");
    dp_node *table = tt_add(div, DP_TABLE);
    dp_align al[2] = {DP_ALIGN_RIGHT, DP_ALIGN_CENTER};
    double w[2] = {0.3, 0.7};
    dp_node_set_table_cols(table, 2, al, w);
    dp_node *cell = tt_add(tt_add(tt_add(table, DP_TABLE_BODY), DP_TABLE_ROW), DP_TABLE_CELL);
    dp_node_set_cell(cell, DP_ALIGN_LEFT, 2, 3, 1);

    for (int pass = 0; pass < 2; pass++) {
        dp_doc *target = pass == 0 ? doc : dst;
        dp_node *copy = dp_node_copy(target, div);
        REQUIRE(copy);
        CHECK(copy != div);
        CHECK(dp_node_parent(copy) == NULL);
        CHECK(dp_node_doc(copy) == target);
        CHECK_STR(dp_node_id(copy), "d1");
        CHECK_STR(dp_node_class_at(copy, 0), "box");
        CHECK_STR(dp_node_attr(copy, "data-k"), "v");
        CHECK_STR(dp_node_lang(copy), "fr");
        CHECK_INT(dp_node_line(copy), 2);
        CHECK_INT(dp_node_column(copy), 5);
        dp_node *cl = dp_node_first_child(copy);
        CHECK(dp_node_list_type(cl) == DP_LIST_ORDERED && dp_node_list_start(cl) == 3 &&
              dp_node_list_delim(cl) == DP_DELIM_PAREN && dp_node_list_style(cl) == DP_STYLE_UPPER_ALPHA &&
              dp_node_list_tight(cl) == 1);
        dp_node *ci = dp_node_first_child(cl);
        CHECK(dp_node_task(ci) == DP_TASK_CHECKED);
        dp_node *cp = dp_node_first_child(ci);
        dp_node *clink = dp_node_first_child(cp);
        CHECK_STR(dp_node_url(clink), "u");
        CHECK_STR(dp_node_title(clink), "t");
        CHECK_STR(dp_node_text(dp_node_first_child(clink)), "link");
        dp_node *cm = dp_node_next(clink);
        CHECK_INT(dp_node_text_len(cm), 3);
        CHECK(memcmp(dp_node_text(cm), "a\0b", 3) == 0);
        CHECK(dp_node_text(cm) != dp_node_text(math));
        CHECK_STR(dp_node_format(cm), "mathml");
        CHECK_INT(dp_node_math_display(cm), 1);
        CHECK_STR(dp_node_math_form(cm, "tex", NULL), "a\\,b");
        CHECK(dp_node_math_form(cm, "tex", NULL) != dp_node_math_form(math, "tex", NULL));
        CHECK_STR(dp_node_math_alt(cm), "a b");
        dp_node *cc = dp_node_next(cm);
        CHECK_INT(dp_node_citation_count(cc), 1);
        CHECK_STR(dp_node_citation_at(cc, 0)->suffix, "suf");
        CHECK(dp_node_citation_at(cc, 0)->mode == DP_CITE_SUPPRESS_AUTHOR);
        dp_node *ccu = dp_node_next(cc);
        CHECK_STR(dp_node_custom_name(ccu), "tei:persName");
        CHECK_STR(dp_node_label(dp_node_next(ccu)), "7");
        dp_node *ct = dp_node_next(cl);
        CHECK_INT(dp_node_table_cols(ct), 2);
        CHECK(dp_node_table_col_align(ct, 0) == DP_ALIGN_RIGHT);
        CHECK(dp_node_table_col_width(ct, 1) == 0.7);
        dp_node *ccell = dp_node_first_child(dp_node_first_child(dp_node_first_child(ct)));
        CHECK(dp_node_cell_rowspan(ccell) == 2 && dp_node_cell_colspan(ccell) == 3 &&
              dp_node_cell_header(ccell) == 1 && dp_node_cell_align(ccell) == DP_ALIGN_LEFT);

        /* independent: changing the copy leaves the original alone */
        dp_node_set_id(copy, "d2");
        dp_node_add_class(copy, "extra");
        CHECK_STR(dp_node_id(div), "d1");
        CHECK_INT(dp_node_class_count(div), 1);
        CHECK(dp_node_append_child(dp_doc_root(target), copy) == DP_OK);
        dp_error err;
        dp_error_clear(&err);
        CHECK(dp_doc_check(target, &err) == DP_OK);
        if (err.code)
            fprintf(stderr, "check: %s\n", err.message);
    }
    /* a leaf copies alone */
    dp_node *tcopy = dp_node_copy(dst, math);
    CHECK(tcopy && dp_node_kind(tcopy) == DP_MATH && dp_node_text_len(tcopy) == 3);
    CHECK(dp_node_copy(NULL, math) == NULL);
    CHECK(dp_node_copy(dst, NULL) == NULL);
    dp_doc_free(doc);
    /* the copy survives the source document */
    const dp_node *n = dp_doc_root(dst);
    for (int i = 0; i < 5; i++) /* div, list, item, plain, link */
        n = dp_node_first_child(n);
    CHECK_STR(dp_node_url(n), "u");
    dp_doc_free(dst);
    CHECK_EXIT();
}
