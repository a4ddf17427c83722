/* Node kinds: names (the JSON names) and their block/inline/leaf classes. */
#include "tree/tree_internal.h"

#include <string.h>

static const char *const kind_names[DP_KIND_COUNT] = {
    [DP_NODE_NONE] = "none",
    [DP_ROOT] = "root",
    [DP_PARA] = "para",
    [DP_PLAIN] = "plain",
    [DP_LINE_BLOCK] = "line_block",
    [DP_LINE] = "line",
    [DP_CODE_BLOCK] = "code_block",
    [DP_RAW_BLOCK] = "raw_block",
    [DP_BLOCK_QUOTE] = "block_quote",
    [DP_LIST] = "list",
    [DP_LIST_ITEM] = "list_item",
    [DP_DEF_LIST] = "def_list",
    [DP_DEF_ITEM] = "def_item",
    [DP_DEF_TERM] = "def_term",
    [DP_DEF_DESC] = "def_desc",
    [DP_HEADING] = "heading",
    [DP_THEMATIC_BREAK] = "thematic_break",
    [DP_TABLE] = "table",
    [DP_TABLE_HEAD] = "table_head",
    [DP_TABLE_BODY] = "table_body",
    [DP_TABLE_FOOT] = "table_foot",
    [DP_TABLE_ROW] = "table_row",
    [DP_TABLE_CELL] = "table_cell",
    [DP_CAPTION] = "caption",
    [DP_FIGURE] = "figure",
    [DP_DIV] = "div",
    [DP_TEXT] = "text",
    [DP_EMPH] = "emph",
    [DP_STRONG] = "strong",
    [DP_UNDERLINE] = "underline",
    [DP_STRIKEOUT] = "strikeout",
    [DP_SUPERSCRIPT] = "superscript",
    [DP_SUBSCRIPT] = "subscript",
    [DP_SMALL_CAPS] = "small_caps",
    [DP_QUOTED] = "quoted",
    [DP_CITE] = "cite",
    [DP_CODE] = "code",
    [DP_SOFT_BREAK] = "soft_break",
    [DP_LINE_BREAK] = "line_break",
    [DP_MATH] = "math",
    [DP_RAW_INLINE] = "raw_inline",
    [DP_LINK] = "link",
    [DP_IMAGE] = "image",
    [DP_NOTE] = "note",
    [DP_SPAN] = "span",
    [DP_PAGE_BREAK] = "page_break",
    [DP_CUSTOM] = "custom",
};

static int kind_valid(dp_kind kind)
{
    return kind > DP_NODE_NONE && kind < DP_KIND_COUNT;
}

DP_EXPORT const char *dp_kind_name(dp_kind kind)
{
    if (!kind_valid(kind))
        return "none";
    return kind_names[kind];
}

DP_EXPORT dp_kind dp_kind_from_name(const char *name)
{
    if (!name)
        return DP_NODE_NONE;
    for (int k = DP_ROOT; k < DP_KIND_COUNT; k++)
        if (strcmp(kind_names[k], name) == 0)
            return (dp_kind)k;
    return DP_NODE_NONE;
}

DP_EXPORT int dp_kind_is_block(dp_kind kind)
{
    return kind >= DP_PARA && kind <= DP_DIV;
}

DP_EXPORT int dp_kind_is_inline(dp_kind kind)
{
    return kind >= DP_TEXT && kind <= DP_PAGE_BREAK;
}

DP_EXPORT int dp_kind_is_leaf(dp_kind kind)
{
    switch (kind) {
    case DP_CODE_BLOCK:
    case DP_RAW_BLOCK:
    case DP_THEMATIC_BREAK:
    case DP_TEXT:
    case DP_CODE:
    case DP_SOFT_BREAK:
    case DP_LINE_BREAK:
    case DP_MATH:
    case DP_RAW_INLINE:
    case DP_PAGE_BREAK:
        return 1;
    default:
        return 0;
    }
}

int dpt_kind_has_text(dp_kind kind)
{
    switch (kind) {
    case DP_TEXT:
    case DP_CODE:
    case DP_CODE_BLOCK:
    case DP_RAW_BLOCK:
    case DP_RAW_INLINE:
    case DP_MATH:
        return 1;
    default:
        return 0;
    }
}

DP_EXPORT int dp_node_is_block(const dp_node *node)
{
    if (!node)
        return 0;
    if (node->kind == DP_CUSTOM || node->kind == DP_PAGE_BREAK)
        return node->is_block;
    return dp_kind_is_block(node->kind);
}
