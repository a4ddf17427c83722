/* Nodes: creation, links and the containment rule (cmark's S_can_contain). */
#include "tree/tree_internal.h"

#include <string.h>

DP_EXPORT dp_node *dp_node_new(dp_doc *doc, dp_kind kind)
{
    if (!doc || kind <= DP_NODE_NONE || kind >= DP_KIND_COUNT)
        return NULL;
    dp_node *node = dpt_arena_alloc(&doc->arena, sizeof *node);
    if (!node)
        return NULL;
    node->kind = kind;
    node->doc = doc;
    /* Defaults that are not zero. Required data (text, url, raw format,
     * custom name) is left unset on purpose: dp_doc_check reports a node
     * an importer forgot to fill. */
    switch (kind) {
    case DP_HEADING:
        node->as.heading_level = 1;
        break;
    case DP_LIST:
        node->as.list.start = 1;
        break;
    case DP_TABLE_CELL:
        node->as.cell.rowspan = 1;
        node->as.cell.colspan = 1;
        break;
    default:
        break;
    }
    return node;
}

DP_EXPORT dp_node *dp_node_new_text(dp_doc *doc, dp_kind kind, const char *text, size_t len)
{
    if (!dpt_kind_has_text(kind) || (!text && len))
        return NULL;
    dp_node *node = dp_node_new(doc, kind);
    if (!node || dp_node_set_text(node, text ? text : "", len) != DP_OK)
        return NULL;
    return node;
}

DP_EXPORT dp_kind dp_node_kind(const dp_node *node)
{
    return node ? node->kind : DP_NODE_NONE;
}

DP_EXPORT dp_doc *dp_node_doc(const dp_node *node)
{
    return node ? node->doc : NULL;
}

DP_EXPORT dp_node *dp_node_parent(const dp_node *node) { return node ? node->parent : NULL; }
DP_EXPORT dp_node *dp_node_first_child(const dp_node *node) { return node ? node->first_child : NULL; }
DP_EXPORT dp_node *dp_node_last_child(const dp_node *node) { return node ? node->last_child : NULL; }
DP_EXPORT dp_node *dp_node_next(const dp_node *node) { return node ? node->next : NULL; }
DP_EXPORT dp_node *dp_node_prev(const dp_node *node) { return node ? node->prev : NULL; }

/* ---- containment ---------------------------------------------------- */

static int is_block_container(const dp_node *n)
{
    switch (n->kind) {
    case DP_ROOT:
    case DP_BLOCK_QUOTE:
    case DP_LIST_ITEM:
    case DP_DEF_DESC:
    case DP_TABLE_CELL:
    case DP_CAPTION:
    case DP_FIGURE:
    case DP_DIV:
    case DP_NOTE:
        return 1;
    case DP_CUSTOM:
        return n->is_block;
    default:
        return 0;
    }
}

static int is_inline_container(const dp_node *n)
{
    switch (n->kind) {
    case DP_PARA:
    case DP_PLAIN:
    case DP_LINE:
    case DP_DEF_TERM:
    case DP_HEADING:
    case DP_EMPH:
    case DP_STRONG:
    case DP_UNDERLINE:
    case DP_STRIKEOUT:
    case DP_SUPERSCRIPT:
    case DP_SUBSCRIPT:
    case DP_SMALL_CAPS:
    case DP_QUOTED:
    case DP_CITE:
    case DP_LINK:
    case DP_IMAGE:
    case DP_SPAN:
        return 1;
    case DP_CUSTOM:
        return !n->is_block;
    default:
        return 0;
    }
}

/* A block that may stand on its own in a block container (the structural
 * parts of lists, definition lists and tables may not). */
static int is_free_block(const dp_node *n)
{
    switch (n->kind) {
    case DP_PARA:
    case DP_PLAIN:
    case DP_LINE_BLOCK:
    case DP_CODE_BLOCK:
    case DP_RAW_BLOCK:
    case DP_BLOCK_QUOTE:
    case DP_LIST:
    case DP_DEF_LIST:
    case DP_HEADING:
    case DP_THEMATIC_BREAK:
    case DP_TABLE:
    case DP_FIGURE:
    case DP_DIV:
        return 1;
    case DP_CUSTOM:
        return n->is_block;
    default:
        return 0;
    }
}

static int is_inline_child(const dp_node *n)
{
    if (n->kind == DP_CUSTOM)
        return !n->is_block;
    return dp_kind_is_inline(n->kind);
}

/* Whether parent already holds a caption other than `except`. */
static int has_other_caption(const dp_node *parent, const dp_node *except)
{
    for (const dp_node *c = parent->first_child; c; c = c->next)
        if (c->kind == DP_CAPTION && c != except)
            return 1;
    return 0;
}

DP_EXPORT int dp_node_can_contain(const dp_node *parent, const dp_node *child)
{
    if (!parent || !child || child->kind == DP_ROOT)
        return 0;
    if (child->kind <= DP_NODE_NONE || child->kind >= DP_KIND_COUNT)
        return 0;
    if (dp_kind_is_leaf(parent->kind))
        return 0;
    /* A page-break milestone is kept wherever the source had it: TEI puts
     * pb between paragraphs, inside them, between rows and list items. */
    if (child->kind == DP_PAGE_BREAK)
        return 1;
    if (is_inline_container(parent))
        return is_inline_child(child);
    if (is_block_container(parent)) {
        if (child->kind == DP_CAPTION && parent->kind == DP_FIGURE)
            return !has_other_caption(parent, child);
        return is_free_block(child);
    }
    switch (parent->kind) {
    case DP_LINE_BLOCK:
        return child->kind == DP_LINE;
    case DP_LIST:
        return child->kind == DP_LIST_ITEM;
    case DP_DEF_LIST:
        return child->kind == DP_DEF_ITEM;
    case DP_DEF_ITEM:
        return child->kind == DP_DEF_TERM || child->kind == DP_DEF_DESC;
    case DP_TABLE:
        if (child->kind == DP_CAPTION)
            return !has_other_caption(parent, child);
        return child->kind == DP_TABLE_HEAD || child->kind == DP_TABLE_BODY ||
               child->kind == DP_TABLE_FOOT;
    case DP_TABLE_HEAD:
    case DP_TABLE_BODY:
    case DP_TABLE_FOOT:
        return child->kind == DP_TABLE_ROW;
    case DP_TABLE_ROW:
        return child->kind == DP_TABLE_CELL;
    default:
        return 0;
    }
}

/* Whether node is parent itself or one of its ancestors (linking it there
 * would make a cycle). A childless node can only be that if it is parent,
 * which keeps top-down building O(1) per insert even in very deep trees. */
static int would_cycle(const dp_node *node, const dp_node *parent)
{
    if (node == parent)
        return 1;
    if (!node->first_child)
        return 0;
    for (const dp_node *p = parent; p; p = p->parent)
        if (p == node)
            return 1;
    return 0;
}

static int may_link(const dp_node *parent, const dp_node *child)
{
    if (!parent || !child || parent->doc != child->doc)
        return 0;
    if (would_cycle(child, parent))
        return 0;
    return dp_node_can_contain(parent, child);
}

DP_EXPORT void dp_node_unlink(dp_node *node)
{
    if (!node)
        return;
    if (node->prev)
        node->prev->next = node->next;
    if (node->next)
        node->next->prev = node->prev;
    if (node->parent) {
        if (node->parent->first_child == node)
            node->parent->first_child = node->next;
        if (node->parent->last_child == node)
            node->parent->last_child = node->prev;
    }
    node->parent = node->prev = node->next = NULL;
}

/* Links an unlinked node into parent between prev and next (either NULL at
 * an end), the one place that rewires siblings and the parent's ends. */
static void link_between(dp_node *parent, dp_node *node, dp_node *prev, dp_node *next)
{
    node->parent = parent;
    node->prev = prev;
    node->next = next;
    if (prev)
        prev->next = node;
    else
        parent->first_child = node;
    if (next)
        next->prev = node;
    else
        parent->last_child = node;
}

void dpt_node_link_last_raw(dp_node *parent, dp_node *child)
{
    link_between(parent, child, parent->last_child, NULL);
}

DP_EXPORT int dp_node_append_child(dp_node *parent, dp_node *child)
{
    if (!may_link(parent, child))
        return DP_EINVAL;
    dp_node_unlink(child);
    dpt_node_link_last_raw(parent, child);
    return DP_OK;
}

DP_EXPORT int dp_node_prepend_child(dp_node *parent, dp_node *child)
{
    if (!may_link(parent, child))
        return DP_EINVAL;
    dp_node_unlink(child);
    link_between(parent, child, NULL, parent->first_child);
    return DP_OK;
}

/* Inserts node beside sibling: before it, or after it when after is set. */
static int insert_beside(dp_node *sibling, dp_node *node, int after)
{
    if (!sibling || !node || sibling == node || !sibling->parent)
        return DP_EINVAL;
    dp_node *parent = sibling->parent;
    if (!may_link(parent, node))
        return DP_EINVAL;
    dp_node_unlink(node);
    if (after)
        link_between(parent, node, sibling, sibling->next);
    else
        link_between(parent, node, sibling->prev, sibling);
    return DP_OK;
}

DP_EXPORT int dp_node_insert_before(dp_node *sibling, dp_node *node)
{
    return insert_beside(sibling, node, 0);
}

DP_EXPORT int dp_node_insert_after(dp_node *sibling, dp_node *node)
{
    return insert_beside(sibling, node, 1);
}

DP_EXPORT int dp_node_unwrap(dp_node *node)
{
    if (!node || !node->parent)
        return DP_EINVAL;
    dp_node *parent = node->parent;
    /* All or nothing: every child must be acceptable where node stands. */
    for (dp_node *c = node->first_child; c; c = c->next) {
        if (c->kind == DP_CAPTION) {
            /* A second caption would appear only if parent already has one. */
            if (!dp_node_can_contain(parent, c) || has_other_caption(parent, node))
                return DP_EINVAL;
        } else if (!dp_node_can_contain(parent, c)) {
            return DP_EINVAL;
        }
    }
    while (node->first_child) {
        dp_node *c = node->first_child;
        dp_node_unlink(c);
        c->parent = parent;
        c->next = node;
        c->prev = node->prev;
        if (node->prev)
            node->prev->next = c;
        else
            parent->first_child = c;
        node->prev = c;
    }
    dp_node_unlink(node);
    return DP_OK;
}

DP_EXPORT int dp_node_depth(const dp_node *node)
{
    int depth = 0;
    if (!node)
        return 0;
    for (const dp_node *p = node->parent; p; p = p->parent)
        depth++;
    return depth;
}
