/* The containment rule: what may go where (cmark's S_can_contain). */
#include "tt.h"

static dp_doc *doc;

static int can(dp_kind parent, dp_kind child)
{
    dp_node *p = dp_node_new(doc, parent);
    dp_node *c = dp_node_new(doc, child);
    int rule = dp_node_can_contain(p, c);
    int appended = dp_node_append_child(p, c) == DP_OK;
    if (rule != appended) {
        fprintf(stderr, "can_contain and append_child disagree on %s in %s\n", dp_kind_name(child),
                dp_kind_name(parent));
        check_failures++;
    }
    return rule;
}

int main(void)
{
    REQUIRE(dp_doc_new(&doc) == DP_OK);

    /* Blocks in block containers. */
    const dp_kind block_containers[] = {DP_ROOT, DP_BLOCK_QUOTE, DP_LIST_ITEM, DP_DEF_DESC, DP_TABLE_CELL,
                                        DP_CAPTION, DP_FIGURE, DP_DIV, DP_NOTE};
    const dp_kind free_blocks[] = {DP_PARA, DP_PLAIN, DP_LINE_BLOCK, DP_CODE_BLOCK, DP_RAW_BLOCK,
                                   DP_BLOCK_QUOTE, DP_LIST, DP_DEF_LIST, DP_HEADING, DP_THEMATIC_BREAK,
                                   DP_TABLE, DP_FIGURE, DP_DIV};
    for (size_t i = 0; i < sizeof block_containers / sizeof *block_containers; i++) {
        for (size_t j = 0; j < sizeof free_blocks / sizeof *free_blocks; j++)
            CHECK(can(block_containers[i], free_blocks[j]));
        CHECK(!can(block_containers[i], DP_TEXT));
        CHECK(!can(block_containers[i], DP_EMPH));
        CHECK(!can(block_containers[i], DP_LIST_ITEM));
        CHECK(!can(block_containers[i], DP_TABLE_ROW));
        CHECK(!can(block_containers[i], DP_LINE));
        CHECK(!can(block_containers[i], DP_DEF_TERM));
        CHECK(can(block_containers[i], DP_PAGE_BREAK));
    }
    /* Inlines in inline containers. */
    const dp_kind inline_containers[] = {DP_PARA, DP_PLAIN, DP_LINE, DP_DEF_TERM, DP_HEADING, DP_EMPH,
                                         DP_STRONG, DP_UNDERLINE, DP_STRIKEOUT, DP_SUPERSCRIPT,
                                         DP_SUBSCRIPT, DP_SMALL_CAPS, DP_QUOTED, DP_CITE, DP_LINK,
                                         DP_IMAGE, DP_SPAN};
    for (size_t i = 0; i < sizeof inline_containers / sizeof *inline_containers; i++) {
        for (int k = DP_TEXT; k <= DP_PAGE_BREAK; k++)
            CHECK(can(inline_containers[i], (dp_kind)k));
        CHECK(!can(inline_containers[i], DP_PARA));
        CHECK(!can(inline_containers[i], DP_DIV));
        CHECK(!can(inline_containers[i], DP_TABLE));
    }
    /* Structural containers. */
    CHECK(can(DP_LIST, DP_LIST_ITEM));
    CHECK(!can(DP_LIST, DP_PARA));
    CHECK(can(DP_LINE_BLOCK, DP_LINE));
    CHECK(!can(DP_LINE_BLOCK, DP_TEXT));
    CHECK(can(DP_DEF_LIST, DP_DEF_ITEM));
    CHECK(!can(DP_DEF_LIST, DP_DEF_TERM));
    CHECK(can(DP_DEF_ITEM, DP_DEF_TERM));
    CHECK(can(DP_DEF_ITEM, DP_DEF_DESC));
    CHECK(!can(DP_DEF_ITEM, DP_PARA));
    CHECK(can(DP_TABLE, DP_CAPTION));
    CHECK(can(DP_TABLE, DP_TABLE_HEAD));
    CHECK(can(DP_TABLE, DP_TABLE_BODY));
    CHECK(can(DP_TABLE, DP_TABLE_FOOT));
    CHECK(!can(DP_TABLE, DP_TABLE_ROW));
    CHECK(can(DP_TABLE_HEAD, DP_TABLE_ROW));
    CHECK(can(DP_TABLE_BODY, DP_TABLE_ROW));
    CHECK(can(DP_TABLE_FOOT, DP_TABLE_ROW));
    CHECK(!can(DP_TABLE_BODY, DP_TABLE_CELL));
    CHECK(can(DP_TABLE_ROW, DP_TABLE_CELL));
    CHECK(!can(DP_TABLE_ROW, DP_PARA));
    CHECK(can(DP_FIGURE, DP_CAPTION));
    CHECK(!can(DP_DIV, DP_CAPTION));
    /* Leaves contain nothing, not even page breaks. */
    const dp_kind leaves[] = {DP_CODE_BLOCK, DP_RAW_BLOCK, DP_THEMATIC_BREAK, DP_TEXT, DP_CODE,
                              DP_SOFT_BREAK, DP_LINE_BREAK, DP_MATH, DP_RAW_INLINE, DP_PAGE_BREAK};
    for (size_t i = 0; i < sizeof leaves / sizeof *leaves; i++) {
        CHECK(dp_kind_is_leaf(leaves[i]));
        CHECK(!can(leaves[i], DP_TEXT));
        CHECK(!can(leaves[i], DP_PAGE_BREAK));
    }
    /* The root never is a child. */
    CHECK(!can(DP_DIV, DP_ROOT));

    /* At most one caption per table or figure. */
    dp_node *fig = dp_node_new(doc, DP_FIGURE);
    dp_node *cap1 = dp_node_new(doc, DP_CAPTION);
    dp_node *cap2 = dp_node_new(doc, DP_CAPTION);
    CHECK(dp_node_append_child(fig, cap1) == DP_OK);
    CHECK(dp_node_append_child(fig, cap2) == DP_EINVAL);
    CHECK(dp_node_prepend_child(fig, cap1) == DP_OK); /* moving the same caption is fine */
    dp_node *table = dp_node_new(doc, DP_TABLE);
    CHECK(dp_node_append_child(table, cap2) == DP_OK);
    CHECK(dp_node_append_child(table, dp_node_new(doc, DP_CAPTION)) == DP_EINVAL);

    /* Custom nodes follow their block flag, both as child and as parent. */
    dp_node *root = dp_doc_root(doc);
    dp_node *para = tt_add(root, DP_PARA);
    dp_node *cb = dp_node_new(doc, DP_CUSTOM);
    dp_node *ci = dp_node_new(doc, DP_CUSTOM);
    REQUIRE(para && cb && ci);
    CHECK(dp_node_set_custom(cb, "tei:sp", 1) == DP_OK);
    CHECK(dp_node_set_custom(ci, "tei:persName", 0) == DP_OK);
    CHECK(dp_node_append_child(para, cb) == DP_EINVAL);
    CHECK(dp_node_append_child(root, ci) == DP_EINVAL);
    CHECK(dp_node_append_child(root, cb) == DP_OK);
    CHECK(dp_node_append_child(para, ci) == DP_OK);
    CHECK(dp_node_append_child(cb, dp_node_new(doc, DP_PARA)) == DP_OK);
    CHECK(dp_node_append_child(cb, dp_node_new_text(doc, DP_TEXT, "x", 1)) == DP_EINVAL);
    CHECK(dp_node_append_child(ci, dp_node_new_text(doc, DP_TEXT, "x", 1)) == DP_OK);
    CHECK(dp_node_append_child(ci, dp_node_new(doc, DP_PARA)) == DP_EINVAL);
    /* Flipping a linked custom node's flag may not break containment. */
    CHECK(dp_node_set_custom(ci, "tei:persName", 1) == DP_EINVAL);
    CHECK(dp_node_custom_is_block(ci) == 0);
    CHECK(dp_node_is_block(cb) && !dp_node_is_block(ci));

    /* Page breaks go anywhere (TEI pb), block or inline. */
    dp_node *pb = dp_node_new(doc, DP_PAGE_BREAK);
    CHECK(dp_node_set_block_milestone(pb, 1) == DP_OK);
    CHECK(dp_node_is_block(pb));
    CHECK(dp_node_append_child(root, pb) == DP_OK);
    dp_node *list = tt_add(root, DP_LIST);
    CHECK(dp_node_append_child(list, dp_node_new(doc, DP_PAGE_BREAK)) == DP_OK);
    CHECK(dp_node_set_block_milestone(para, 1) == DP_EINVAL);

    /* Classification helpers. */
    CHECK(dp_kind_is_block(DP_PARA) && !dp_kind_is_inline(DP_PARA));
    CHECK(dp_kind_is_inline(DP_NOTE) && !dp_kind_is_block(DP_NOTE));
    CHECK(!dp_kind_is_block(DP_CUSTOM) && !dp_kind_is_inline(DP_CUSTOM));
    CHECK(!dp_kind_is_leaf(DP_PARA) && !dp_kind_is_leaf(DP_CUSTOM));
    for (int k = DP_ROOT; k < DP_KIND_COUNT; k++)
        CHECK(dp_kind_from_name(dp_kind_name((dp_kind)k)) == (dp_kind)k);
    CHECK(dp_kind_from_name("nonsense") == DP_NODE_NONE);
    CHECK(dp_kind_from_name(NULL) == DP_NODE_NONE);
    CHECK_STR(dp_kind_name(DP_PARA), "para");
    CHECK_STR(dp_kind_name(DP_TABLE_CELL), "table_cell");

    dp_doc_free(doc);
    CHECK_EXIT();
}
