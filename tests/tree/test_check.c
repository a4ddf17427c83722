/* dp_doc_check catches each invariant violation that can be built through
 * the API, names the node kind and its position, and passes valid trees. */
#include "tt.h"

#include <stdlib.h>

static dp_doc *doc;
static dp_node *root;
static dp_node *para;

static void fresh(void)
{
    dp_doc_free(doc);
    doc = NULL;
    if (dp_doc_new(&doc) != DP_OK)
        abort();
    root = dp_doc_root(doc);
    para = dp_node_new(doc, DP_PARA);
    dp_node_append_child(root, para);
}

/* The document must fail the check with a message containing `want`. */
static void expect_fail(int line, const char *want)
{
    dp_error err;
    dp_error_clear(&err);
    int rc = dp_doc_check(doc, &err);
    if (rc == DP_OK || err.code != rc || !strstr(err.message, want)) {
        fprintf(stderr, "test_check.c:%d: expected failure containing \"%s\", got rc=%d \"%s\"\n", line, want,
                rc, err.message);
        check_failures++;
    }
}

static void expect_ok(int line)
{
    dp_error err;
    dp_error_clear(&err);
    if (dp_doc_check(doc, &err) != DP_OK) {
        fprintf(stderr, "test_check.c:%d: expected a valid tree, got \"%s\"\n", line, err.message);
        check_failures++;
    }
}

#define FAILS(want) expect_fail(__LINE__, want)
#define PASSES() expect_ok(__LINE__)

static dp_node *add(dp_node *parent, dp_kind kind)
{
    dp_node *n = dp_node_new(doc, kind);
    if (dp_node_append_child(parent, n) != DP_OK) {
        fprintf(stderr, "setup: %s refused in %s\n", dp_kind_name(kind), dp_kind_name(dp_node_kind(parent)));
        check_failures++;
    }
    return n;
}

int main(void)
{
    fresh();
    PASSES();

    /* text leaves need text, valid UTF-8 */
    dp_node *t = add(para, DP_TEXT);
    dp_node_set_pos(t, 4, 2);
    FAILS("text in para in root at line 4, column 2: has no text");
    {
        dp_error err;
        dp_error_clear(&err);
        dp_doc_check(doc, &err);
        CHECK_INT(err.line, 4);
        CHECK_INT(err.column, 2);
    }
    dp_node_set_text(t, "ok", 2);
    PASSES();
    dp_node_set_text(t, "bad \xff", 5);
    FAILS("text is not valid UTF-8");
    dp_node_set_text(t, "\xed\xa0\x80", 3); /* a surrogate */
    FAILS("not valid UTF-8");
    dp_node_set_text(t, "\xc0\xaf", 2); /* overlong */
    FAILS("not valid UTF-8");
    dp_node_set_text(t, "\xe4\xbd", 2); /* truncated */
    FAILS("not valid UTF-8");
    dp_node_set_text(t, "\xf0\x9f\x98\x80 \xe4\xbd\xa0", 8);
    PASSES();

    fresh();
    add(root, DP_CODE_BLOCK);
    FAILS("code_block in root: has no text");

    /* raw nodes need a format */
    fresh();
    dp_node *raw = dp_node_new_text(doc, DP_RAW_BLOCK, "<hr>", 4);
    dp_node_append_child(root, raw);
    FAILS("raw_block in root: has no raw format");
    dp_node_set_format(raw, "html");
    PASSES();

    /* math notation */
    fresh();
    dp_node *math = dp_node_new_text(doc, DP_MATH, "x", 1);
    dp_node_append_child(para, math);
    PASSES();
    dp_node_set_format(math, "latex");
    FAILS("math notation must be");
    dp_node_set_format(math, "mathml");
    PASSES();

    /* links and images need a url */
    fresh();
    dp_node *link = add(para, DP_LINK);
    FAILS("link in para in root: has no url");
    dp_node_set_url(link, "https://example.org/");
    PASSES();
    dp_node_set_title(link, "\xfe");
    FAILS("url or title is not valid UTF-8");
    fresh();
    add(para, DP_IMAGE);
    FAILS("image in para in root: has no url");

    /* custom nodes need a name */
    fresh();
    dp_node *custom = add(para, DP_CUSTOM);
    FAILS("custom node has no name");
    dp_node_set_custom(custom, "tei:persName", 0);
    PASSES();
    dp_node_set_custom(custom, "tei:\x80", 0);
    FAILS("custom name is not valid UTF-8");

    /* labels, citations */
    fresh();
    dp_node *note = add(para, DP_NOTE);
    dp_node_set_label(note, "\xc3");
    FAILS("label is not valid UTF-8");
    fresh();
    dp_node *cite = add(para, DP_CITE);
    dp_citation c = {"ok", "\xff", NULL, DP_CITE_NORMAL};
    dp_node_add_citation(cite, &c);
    FAILS("citation without id or with invalid UTF-8");

    /* attributes */
    fresh();
    dp_node_set_id(para, "\xff");
    FAILS("id is not valid UTF-8");
    fresh();
    dp_node_set_lang(para, "\xff");
    FAILS("lang is not valid UTF-8");
    fresh();
    dp_node_add_class(para, "\xff");
    FAILS("class is empty or not valid UTF-8");
    fresh();
    dp_node_set_attr(para, "data-x", "\xff");
    FAILS("attribute key/value is empty or not valid UTF-8");
    fresh();
    dp_node_set_attr(para, "\xff", "v");
    FAILS("attribute key/value is empty or not valid UTF-8");

    /* table section order and counts */
    fresh();
    dp_node *table = add(root, DP_TABLE);
    dp_node *body = add(table, DP_TABLE_BODY);
    dp_node *head = add(table, DP_TABLE_HEAD);
    FAILS("table_head in table in root: out of order");
    dp_node_insert_before(body, head);
    PASSES();
    dp_node *cap = dp_node_new(doc, DP_CAPTION);
    dp_node_append_child(table, cap);
    FAILS("caption in table in root: out of order");
    dp_node_prepend_child(table, cap);
    PASSES();
    add(table, DP_TABLE_FOOT);
    add(table, DP_TABLE_FOOT);
    FAILS("table in root: has more than one head or foot");
    fresh();
    table = add(root, DP_TABLE);
    add(table, DP_TABLE_HEAD);
    add(table, DP_TABLE_HEAD);
    FAILS("has more than one head or foot");

    /* definition items: terms first, at least one */
    fresh();
    dp_node *dl = add(root, DP_DEF_LIST);
    dp_node *item = add(dl, DP_DEF_ITEM);
    FAILS("def_item in def_list in root: has no def_term");
    dp_node *desc = add(item, DP_DEF_DESC);
    dp_node *term = add(item, DP_DEF_TERM);
    FAILS("def_term in def_item in def_list in root: after a def_desc");
    dp_node_insert_before(desc, term);
    PASSES();

    /* metadata */
    fresh();
    dp_meta_set_string(doc, dp_doc_meta(doc), "title", "\xff");
    FAILS("invalid metadata: a string is not valid UTF-8");
    fresh();
    dp_meta_set_string(doc, dp_doc_meta(doc), "\xff", "v");
    FAILS("invalid metadata: a key is not valid UTF-8");
    fresh();
    dp_meta *list = dp_meta_new_list(doc);
    dp_meta_set(dp_doc_meta(doc), "author", list);
    dp_meta_append(list, dp_meta_new_string(doc, "ok"));
    dp_meta_append(list, dp_meta_new_string(doc, "\xff"));
    FAILS("a string is not valid UTF-8");
    fresh();
    dp_meta *title = dp_meta_new_nodes(doc, DP_META_INLINES);
    dp_meta_set(dp_doc_meta(doc), "title", title);
    add(dp_meta_nodes(title), DP_TEXT);
    FAILS("text in span: has no text");
    fresh();
    dp_meta *abstract = dp_meta_new_nodes(doc, DP_META_BLOCKS);
    dp_meta_set(dp_doc_meta(doc), "description", abstract);
    PASSES();
    dp_node_append_child(root, dp_meta_nodes(abstract));
    FAILS("formatted text needs an unlinked div container");

    /* resources */
    fresh();
    dp_doc_add_resource(doc, "\xff.png", "image/png", "x", 1);
    FAILS("resource 0 has an empty or non-UTF-8 name or type");

    /* no document, no crash */
    {
        dp_error err;
        dp_error_clear(&err);
        CHECK(dp_doc_check(NULL, &err) == DP_EINVAL);
        CHECK(dp_doc_check(NULL, NULL) == DP_EINVAL);
    }

    dp_doc_free(doc);
    CHECK_EXIT();
}
