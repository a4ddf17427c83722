/* Per-kind data: defaults, setters, refusals for kinds without the field. */
#include "tt.h"

int main(void)
{
    dp_doc *doc = NULL;
    REQUIRE(dp_doc_new(&doc) == DP_OK);

    /* Text leaves, including embedded NULs. */
    dp_node *code = dp_node_new_text(doc, DP_CODE, "a\0b", 3);
    REQUIRE(code);
    CHECK_INT(dp_node_text_len(code), 3);
    CHECK(memcmp(dp_node_text(code), "a\0b", 4) == 0);
    dp_node *para = dp_node_new(doc, DP_PARA);
    CHECK(dp_node_set_text(para, "x", 1) == DP_EINVAL);
    CHECK(dp_node_text(para) == NULL);
    CHECK(dp_node_new_text(doc, DP_PARA, "x", 1) == NULL);
    dp_node *empty = dp_node_new(doc, DP_TEXT);
    CHECK(dp_node_text(empty) == NULL); /* unset until an importer sets it */
    CHECK(dp_node_set_text(empty, NULL, 0) == DP_EINVAL);

    /* Heading. */
    dp_node *h = dp_node_new(doc, DP_HEADING);
    CHECK_INT(dp_node_heading_level(h), 1);
    CHECK(dp_node_set_heading_level(h, 6) == DP_OK);
    CHECK_INT(dp_node_heading_level(h), 6);
    CHECK(dp_node_set_heading_level(h, 7) == DP_EINVAL);
    CHECK(dp_node_set_heading_level(h, 0) == DP_EINVAL);
    CHECK_INT(dp_node_heading_level(h), 6);
    CHECK(dp_node_set_heading_level(para, 2) == DP_EINVAL);
    CHECK_INT(dp_node_heading_level(para), 0);

    /* Lists and tasks. */
    dp_node *list = dp_node_new(doc, DP_LIST);
    CHECK_INT(dp_node_list_start(list), 1);
    CHECK(dp_node_list_type(list) == DP_LIST_BULLET);
    CHECK(dp_node_set_list(list, DP_LIST_ORDERED, 4, DP_DELIM_PAREN, DP_STYLE_LOWER_ROMAN, 1) == DP_OK);
    CHECK(dp_node_list_type(list) == DP_LIST_ORDERED);
    CHECK_INT(dp_node_list_start(list), 4);
    CHECK(dp_node_list_delim(list) == DP_DELIM_PAREN);
    CHECK(dp_node_list_style(list) == DP_STYLE_LOWER_ROMAN);
    CHECK_INT(dp_node_list_tight(list), 1);
    CHECK(dp_node_set_list(list, (dp_list_type)7, 1, DP_DELIM_DEFAULT, DP_STYLE_DEFAULT, 0) == DP_EINVAL);
    CHECK(dp_node_set_list(para, DP_LIST_ORDERED, 1, DP_DELIM_DEFAULT, DP_STYLE_DEFAULT, 0) == DP_EINVAL);
    dp_node *item = dp_node_new(doc, DP_LIST_ITEM);
    CHECK(dp_node_task(item) == DP_TASK_NONE);
    CHECK(dp_node_set_task(item, DP_TASK_CHECKED) == DP_OK);
    CHECK(dp_node_task(item) == DP_TASK_CHECKED);
    CHECK(dp_node_set_task(list, DP_TASK_CHECKED) == DP_EINVAL);

    /* Raw format and math notation. */
    dp_node *raw = dp_node_new_text(doc, DP_RAW_INLINE, "<b>", 3);
    CHECK(dp_node_format(raw) == NULL);
    CHECK(dp_node_set_format(raw, "html") == DP_OK);
    CHECK_STR(dp_node_format(raw), "html");
    dp_node *math = dp_node_new_text(doc, DP_MATH, "x^2", 3);
    CHECK_STR(dp_node_format(math), "tex");
    CHECK(dp_node_set_format(math, "mathml") == DP_OK);
    CHECK_STR(dp_node_format(math), "mathml");
    CHECK(dp_node_set_math_display(math, 5) == DP_OK);
    CHECK_INT(dp_node_math_display(math), 1);
    CHECK(dp_node_set_format(para, "html") == DP_EINVAL);
    CHECK(dp_node_set_format(raw, "") == DP_EINVAL);
    CHECK(dp_node_set_math_display(raw, 1) == DP_EINVAL);

    /* Math in two notations: the text is the source, the other form beside it. */
    dp_node *m2 = dp_node_new_text(doc, DP_MATH, "a\\,b", 4);
    size_t flen = 99;
    CHECK(dp_node_math_form(m2, "mathml", &flen) == NULL && flen == 0);
    CHECK_STR(dp_node_math_form(m2, "tex", &flen), "a\\,b");
    CHECK_INT((int)flen, 4);
    CHECK(dp_node_set_math_form(m2, "mathml", "<math><mi>a</mi></math>", 23) == DP_OK);
    CHECK_STR(dp_node_math_form(m2, "mathml", &flen), "<math><mi>a</mi></math>");
    CHECK_STR(dp_node_text(m2), "a\\,b"); /* the source is untouched */
    CHECK(dp_node_set_math_form(m2, "tex", "y", 1) == DP_OK);
    CHECK_STR(dp_node_text(m2), "y");
    CHECK(dp_node_set_math_form(m2, "tex", NULL, 0) == DP_EINVAL); /* the source cannot be removed */
    CHECK(dp_node_set_math_form(m2, "latex", "y", 1) == DP_EINVAL);
    CHECK(dp_node_set_math_form(raw, "tex", "y", 1) == DP_EINVAL);
    CHECK(dp_node_math_form(raw, "tex", NULL) == NULL);
    CHECK(dp_node_set_format(m2, "tex") == DP_OK); /* same notation: the other form stays */
    CHECK(dp_node_math_form(m2, "mathml", NULL) != NULL);
    CHECK(dp_node_set_format(m2, "mathml") == DP_OK); /* changed: the other form is dropped */
    CHECK(dp_node_math_form(m2, "tex", NULL) == NULL);
    CHECK(dp_node_math_alt(m2) == NULL);
    CHECK(dp_node_set_math_alt(m2, "a over b") == DP_OK);
    CHECK_STR(dp_node_math_alt(m2), "a over b");
    CHECK(dp_node_set_math_alt(m2, NULL) == DP_OK && dp_node_math_alt(m2) == NULL);
    CHECK(dp_node_set_math_alt(raw, "x") == DP_EINVAL);

    /* Links and images. */
    dp_node *link = dp_node_new(doc, DP_LINK);
    CHECK(dp_node_url(link) == NULL && dp_node_title(link) == NULL);
    CHECK(dp_node_set_url(link, "https://example.org/") == DP_OK);
    CHECK(dp_node_set_title(link, "Example") == DP_OK);
    CHECK_STR(dp_node_url(link), "https://example.org/");
    CHECK_STR(dp_node_title(link), "Example");
    CHECK(dp_node_set_title(link, NULL) == DP_OK);
    CHECK(dp_node_title(link) == NULL);
    dp_node *img = dp_node_new(doc, DP_IMAGE);
    CHECK(dp_node_set_url(img, "a.png") == DP_OK);
    CHECK_STR(dp_node_url(img), "a.png");
    CHECK(dp_node_set_url(para, "x") == DP_EINVAL);

    /* Labels. */
    dp_node *note = dp_node_new(doc, DP_NOTE);
    CHECK(dp_node_label(note) == NULL);
    CHECK(dp_node_set_label(note, "*") == DP_OK);
    CHECK_STR(dp_node_label(note), "*");
    dp_node *pb = dp_node_new(doc, DP_PAGE_BREAK);
    CHECK(dp_node_set_label(pb, "12") == DP_OK);
    CHECK_STR(dp_node_label(pb), "12");
    CHECK(dp_node_set_label(para, "1") == DP_EINVAL);

    /* Quotes. */
    dp_node *q = dp_node_new(doc, DP_QUOTED);
    CHECK(dp_node_quote(q) == DP_QUOTE_DOUBLE);
    CHECK(dp_node_set_quote(q, DP_QUOTE_SINGLE) == DP_OK);
    CHECK(dp_node_quote(q) == DP_QUOTE_SINGLE);
    CHECK(dp_node_set_quote(para, DP_QUOTE_SINGLE) == DP_EINVAL);

    /* Tables. */
    dp_node *table = dp_node_new(doc, DP_TABLE);
    const dp_align aligns[3] = {DP_ALIGN_LEFT, DP_ALIGN_CENTER, DP_ALIGN_RIGHT};
    const double widths[3] = {0.5, 0.25, 0};
    CHECK(dp_node_set_table_cols(table, 3, aligns, widths) == DP_OK);
    CHECK_INT(dp_node_table_cols(table), 3);
    CHECK(dp_node_table_col_align(table, 1) == DP_ALIGN_CENTER);
    CHECK(dp_node_table_col_width(table, 0) == 0.5);
    CHECK(dp_node_table_col_align(table, 3) == DP_ALIGN_DEFAULT);
    CHECK(dp_node_table_col_align(table, -1) == DP_ALIGN_DEFAULT);
    const double bad_widths[1] = {-1};
    CHECK(dp_node_set_table_cols(table, 1, NULL, bad_widths) == DP_EINVAL);
    CHECK_INT(dp_node_table_cols(table), 3);
    CHECK(dp_node_set_table_cols(table, 2, NULL, NULL) == DP_OK);
    CHECK(dp_node_table_col_align(table, 1) == DP_ALIGN_DEFAULT);
    dp_node *cell = dp_node_new(doc, DP_TABLE_CELL);
    CHECK_INT(dp_node_cell_rowspan(cell), 1);
    CHECK_INT(dp_node_cell_colspan(cell), 1);
    CHECK(dp_node_set_cell(cell, DP_ALIGN_RIGHT, 2, 3, 1) == DP_OK);
    CHECK(dp_node_cell_align(cell) == DP_ALIGN_RIGHT);
    CHECK_INT(dp_node_cell_rowspan(cell), 2);
    CHECK_INT(dp_node_cell_colspan(cell), 3);
    CHECK_INT(dp_node_cell_header(cell), 1);
    CHECK(dp_node_set_cell(cell, DP_ALIGN_LEFT, 0, 1, 0) == DP_EINVAL);
    CHECK_INT(dp_node_cell_rowspan(cell), 2);

    /* Citations: strings are copied. */
    dp_node *cite = dp_node_new(doc, DP_CITE);
    char id[16] = "smith2020";
    dp_citation c = {id, "see", NULL, DP_CITE_AUTHOR_IN_TEXT};
    CHECK(dp_node_add_citation(cite, &c) == DP_OK);
    c.id = "jones";
    c.prefix = NULL;
    c.suffix = "p. 3";
    c.mode = DP_CITE_NORMAL;
    CHECK(dp_node_add_citation(cite, &c) == DP_OK);
    CHECK(dp_node_add_citation(cite, &c) == DP_OK);
    strcpy(id, "changed");
    CHECK_INT(dp_node_citation_count(cite), 3);
    CHECK_STR(dp_node_citation_at(cite, 0)->id, "smith2020");
    CHECK_STR(dp_node_citation_at(cite, 0)->prefix, "see");
    CHECK(dp_node_citation_at(cite, 0)->mode == DP_CITE_AUTHOR_IN_TEXT);
    CHECK_STR(dp_node_citation_at(cite, 1)->suffix, "p. 3");
    CHECK(dp_node_citation_at(cite, 3) == NULL);
    c.id = NULL;
    CHECK(dp_node_add_citation(cite, &c) == DP_EINVAL);
    CHECK(dp_node_add_citation(para, &c) == DP_EINVAL);

    /* Custom. */
    dp_node *custom = dp_node_new(doc, DP_CUSTOM);
    CHECK(dp_node_custom_name(custom) == NULL);
    CHECK(dp_node_set_custom(custom, "tei:persName", 0) == DP_OK);
    CHECK_STR(dp_node_custom_name(custom), "tei:persName");
    CHECK(dp_node_set_custom(custom, "", 0) == DP_EINVAL);
    CHECK(dp_node_set_custom(para, "x:y", 0) == DP_EINVAL);

    /* Positions. */
    dp_node_set_pos(para, 12, 3);
    CHECK_INT(dp_node_line(para), 12);
    CHECK_INT(dp_node_column(para), 3);
    dp_node_set_pos(para, -5, -1);
    CHECK_INT(dp_node_line(para), 0);

    dp_doc_free(doc);
    CHECK_EXIT();
}
