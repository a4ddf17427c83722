/* dp_doc_check: the structural invariants every exporter may rely on. */
#include "tree/tree_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    dp_error *err;
    int failed;
} checker;

/* "para in list_item in list" for the message: the node and up to three
 * ancestors, so that a violation deep in a big document can be found. */
static void describe(const dp_node *node, char *out, size_t size)
{
    size_t off = 0;
    int shown = 0;
    out[0] = '\0';
    for (const dp_node *p = node; p && shown < 4; p = p->parent, shown++) {
        int n = snprintf(out + off, size - off, "%s%s", shown ? " in " : "", dp_kind_name(p->kind));
        if (n < 0 || (size_t)n >= size - off)
            return;
        off += (size_t)n;
    }
    if (node && node->line > 0)
        snprintf(out + off, size - off, " at line %d, column %d", node->line, node->column);
}

static int fail(checker *ck, const dp_node *node, const char *what, const char *detail)
{
    char where[256];
    describe(node, where, sizeof where);
    ck->failed = 1;
    return dp_error_set(ck->err, DP_EINTERNAL, NULL, node ? node->line : 0, node ? node->column : 0,
                        "invalid tree: %s: %s%s%s", where, what, detail ? " " : "", detail ? detail : "");
}

static int utf8_ok(const char *s)
{
    return !s || dpt_utf8_valid(s, strlen(s), NULL);
}

static int check_attrs(checker *ck, const dp_node *n)
{
    const dpt_attrs *a = n->attrs;
    if (!a)
        return DP_OK;
    if (!utf8_ok(a->id))
        return fail(ck, n, "id is not valid UTF-8", NULL);
    if (!utf8_ok(a->lang))
        return fail(ck, n, "lang is not valid UTF-8", NULL);
    for (int i = 0; i < a->nclasses; i++)
        if (!a->classes[i] || !*a->classes[i] || !utf8_ok(a->classes[i]))
            return fail(ck, n, "class is empty or not valid UTF-8", NULL);
    for (int i = 0; i < a->nkv; i++) {
        if (!a->keys[i] || !*a->keys[i] || !utf8_ok(a->keys[i]) || !a->values[i] || !utf8_ok(a->values[i]))
            return fail(ck, n, "attribute key/value is empty or not valid UTF-8", NULL);
        if (!strcmp(a->keys[i], "id") || !strcmp(a->keys[i], "class") || !strcmp(a->keys[i], "lang"))
            return fail(ck, n, "attribute key/value duplicates a first-class attribute:", a->keys[i]);
    }
    return DP_OK;
}

/* A node with text (dpt_kind_has_text): its text, raw format, math forms. */
static int check_literal(checker *ck, const dp_node *n)
{
    if (!n->as.lit.text)
        return fail(ck, n, "has no text", NULL);
    if (!dpt_utf8_valid(n->as.lit.text, n->as.lit.len, NULL))
        return fail(ck, n, "text is not valid UTF-8", NULL);
    if ((n->kind == DP_RAW_BLOCK || n->kind == DP_RAW_INLINE) &&
        (!n->as.lit.format || !*n->as.lit.format || !utf8_ok(n->as.lit.format)))
        return fail(ck, n, "has no raw format", NULL);
    if (n->kind == DP_MATH && n->as.lit.format && strcmp(n->as.lit.format, "tex") != 0 &&
        strcmp(n->as.lit.format, "mathml") != 0)
        return fail(ck, n, "math notation must be \"tex\" or \"mathml\", not", n->as.lit.format);
    if (n->kind == DP_MATH && ((n->as.lit.other && !dpt_utf8_valid(n->as.lit.other, n->as.lit.other_len, NULL)) ||
                               !utf8_ok(n->as.lit.alt)))
        return fail(ck, n, "math form or alt text is not valid UTF-8", NULL);
    return 0;
}

static int check_data(checker *ck, const dp_node *n)
{
    int rc;
    if (dpt_kind_has_text(n->kind) && (rc = check_literal(ck, n)) != 0)
        return rc;
    switch (n->kind) {
    case DP_HEADING:
        if (n->as.heading_level < 1 || n->as.heading_level > 6)
            return fail(ck, n, "level out of range 1..6", NULL);
        break;
    case DP_LINK:
    case DP_IMAGE:
        if (!n->as.link.url)
            return fail(ck, n, "has no url", NULL);
        if (!utf8_ok(n->as.link.url) || !utf8_ok(n->as.link.title))
            return fail(ck, n, "url or title is not valid UTF-8", NULL);
        break;
    case DP_NOTE:
    case DP_PAGE_BREAK:
        if (!utf8_ok(n->as.label))
            return fail(ck, n, "label is not valid UTF-8", NULL);
        break;
    case DP_TABLE_CELL:
        if (n->as.cell.rowspan < 1 || n->as.cell.colspan < 1)
            return fail(ck, n, "row/column span below 1", NULL);
        break;
    case DP_CITE:
        for (int i = 0; i < n->as.cite.n; i++) {
            const dp_citation *c = &n->as.cite.items[i];
            if (!c->id || !utf8_ok(c->id) || !utf8_ok(c->prefix) || !utf8_ok(c->suffix))
                return fail(ck, n, "citation without id or with invalid UTF-8", NULL);
        }
        break;
    case DP_CUSTOM:
        if (!n->as.custom_name || !*n->as.custom_name)
            return fail(ck, n, "custom node has no name", NULL);
        if (!utf8_ok(n->as.custom_name))
            return fail(ck, n, "custom name is not valid UTF-8", NULL);
        break;
    default:
        break;
    }
    return check_attrs(ck, n);
}

/* Order of a table's sections: [caption] head? body* foot? */
static int check_table_order(checker *ck, const dp_node *table)
{
    int rank = -1, heads = 0, foots = 0;
    for (const dp_node *c = table->first_child; c; c = c->next) {
        int r;
        switch (c->kind) {
        case DP_CAPTION: r = 0; break;
        case DP_TABLE_HEAD: r = 1; heads++; break;
        case DP_TABLE_BODY: r = 2; break;
        case DP_TABLE_FOOT: r = 3; foots++; break;
        default: continue; /* page breaks */
        }
        if (r < rank)
            return fail(ck, c, "out of order: a table is [caption] head? body* foot?", NULL);
        rank = r;
    }
    if (heads > 1 || foots > 1)
        return fail(ck, table, "has more than one head or foot", NULL);
    return DP_OK;
}

/* A definition item: one or more terms, then its descriptions. */
static int check_def_item(checker *ck, const dp_node *item)
{
    int terms = 0, seen_desc = 0;
    for (const dp_node *c = item->first_child; c; c = c->next) {
        if (c->kind == DP_DEF_TERM) {
            if (seen_desc)
                return fail(ck, c, "after a def_desc: terms come first", NULL);
            terms++;
        } else if (c->kind == DP_DEF_DESC) {
            seen_desc = 1;
        }
    }
    if (terms == 0)
        return fail(ck, item, "has no def_term", NULL);
    return DP_OK;
}

static int count_captions(const dp_node *n)
{
    int k = 0;
    for (const dp_node *c = n->first_child; c; c = c->next)
        k += c->kind == DP_CAPTION;
    return k;
}

/* Checks the links and containment of n's children. */
static int check_children(checker *ck, const dp_doc *doc, const dp_node *n)
{
    if (dp_kind_is_leaf(n->kind)) {
        if (n->first_child || n->last_child)
            return fail(ck, n, "leaf kind has children", NULL);
        return DP_OK;
    }
    const dp_node *prev = NULL;
    for (const dp_node *c = n->first_child; c; c = c->next) {
        if (c->parent != n || c->prev != prev)
            return fail(ck, c, "broken links: parent/prev do not agree", NULL);
        if (c->doc != doc)
            return fail(ck, c, "belongs to another document", NULL);
        if (!dp_node_can_contain(n, c)) {
            char detail[160];
            snprintf(detail, sizeof detail, "%s%s", dp_kind_name(c->kind),
                     c->kind == DP_CUSTOM || c->kind == DP_PAGE_BREAK ? (c->is_block ? " (block)" : " (inline)")
                                                                      : "");
            return fail(ck, n, "may not contain", detail);
        }
        prev = c;
    }
    if (n->last_child != prev)
        return fail(ck, n, "broken links: last_child is not the last child", NULL);
    if ((n->kind == DP_TABLE || n->kind == DP_FIGURE) && count_captions(n) > 1)
        return fail(ck, n, "has more than one caption", NULL);
    if (n->kind == DP_TABLE)
        return check_table_order(ck, n);
    if (n->kind == DP_DEF_ITEM)
        return check_def_item(ck, n);
    return DP_OK;
}

static int check_subtree(checker *ck, const dp_doc *doc, const dp_node *root)
{
    dp_iter it;
    dp_iter_init(&it, root);
    dp_event ev;
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        const dp_node *n = dp_iter_node(&it);
        if (ev != DP_EV_ENTER)
            continue;
        if (n->kind <= DP_NODE_NONE || n->kind >= DP_KIND_COUNT)
            return fail(ck, n, "unknown node kind", NULL);
        if (n->kind == DP_ROOT && n != doc->root)
            return fail(ck, n, "a root node inside the tree", NULL);
        if (check_data(ck, n) || check_children(ck, doc, n))
            return DP_EINTERNAL;
    }
    return DP_OK;
}

static int check_meta(checker *ck, const dp_doc *doc)
{
    size_t cap = 64, n = 0;
    const dp_meta **stack = malloc(cap * sizeof *stack);
    if (!stack)
        return dp_error_set(ck->err, DP_ENOMEM, NULL, 0, 0, "out of memory checking metadata");
    int rc = DP_OK;
    stack[n++] = doc->meta;
    while (n > 0 && rc == DP_OK) {
        const dp_meta *m = stack[--n];
        if (m->doc != doc) {
            rc = dp_error_set(ck->err, DP_EINTERNAL, NULL, 0, 0, "invalid metadata: value from another document");
            break;
        }
        size_t kids = 0;
        switch (m->type) {
        case DP_META_MAP:
            kids = m->as.map.n;
            for (size_t i = 0; i < kids; i++)
                if (!utf8_ok(m->as.map.keys[i]))
                    rc = dp_error_set(ck->err, DP_EINTERNAL, NULL, 0, 0,
                                      "invalid metadata: a key is not valid UTF-8");
            break;
        case DP_META_LIST:
            kids = m->as.list.n;
            break;
        case DP_META_STRING:
            if (!m->as.str || !utf8_ok(m->as.str))
                rc = dp_error_set(ck->err, DP_EINTERNAL, NULL, 0, 0,
                                  "invalid metadata: a string is not valid UTF-8");
            break;
        case DP_META_BOOL:
            break;
        case DP_META_INLINES:
        case DP_META_BLOCKS: {
            dp_kind want = m->type == DP_META_INLINES ? DP_SPAN : DP_DIV;
            if (!m->as.nodes || m->as.nodes->kind != want || m->as.nodes->parent)
                rc = dp_error_set(ck->err, DP_EINTERNAL, NULL, 0, 0,
                                  "invalid metadata: formatted text needs an unlinked %s container",
                                  dp_kind_name(want));
            else
                rc = check_subtree(ck, doc, m->as.nodes);
            break;
        }
        default:
            rc = dp_error_set(ck->err, DP_EINTERNAL, NULL, 0, 0, "invalid metadata: unknown value type");
        }
        if (rc)
            break;
        if (DP_ARRAY_RESERVE(stack, cap, n + kids)) {
            rc = dp_error_set(ck->err, DP_ENOMEM, NULL, 0, 0, "out of memory checking metadata");
            break;
        }
        /* Push in reverse so that the first violation in document order is reported. */
        for (size_t i = kids; i-- > 0;)
            stack[n++] = m->type == DP_META_MAP ? m->as.map.values[i] : m->as.list.items[i];
    }
    free((void *)stack);
    return rc;
}

DP_EXPORT int dp_doc_check(const dp_doc *doc, dp_error *err)
{
    if (!doc)
        return dp_error_set(err, DP_EINVAL, NULL, 0, 0, "no document");
    checker ck = {err, 0};
    if (!doc->root || doc->root->kind != DP_ROOT || doc->root->parent)
        return fail(&ck, doc->root, "the document root is not an unlinked root node", NULL);
    if (check_subtree(&ck, doc, doc->root))
        return DP_EINTERNAL;
    int rc = check_meta(&ck, doc);
    if (rc)
        return rc;
    for (size_t i = 0; i < doc->nresources; i++) {
        const dp_resource *r = &doc->resources[i];
        if (!r->name || !*r->name || !utf8_ok(r->name) || !utf8_ok(r->mime))
            return dp_error_set(err, DP_EINTERNAL, NULL, 0, 0,
                                "invalid tree: resource %zu has an empty or non-UTF-8 name or type", i);
    }
    return DP_OK;
}
