/* The json exporter: the tree, metadata and resources as JSON (docs/TREE.md).
 * Deterministic: fields in a fixed order, no positions unless asked for,
 * maps in insertion order, numbers in their shortest exact form. */
#include "json_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    jw w;
    dp_ctx *ctx;
    int positions;
} exporter;

static void field(jw *w, const char *name)
{
    jw_raw(w, ", \"");
    jw_raw(w, name);
    jw_raw(w, "\": ");
}

static void field_str(jw *w, const char *name, const char *value)
{
    field(w, name);
    jw_cstr(w, value);
}

static void field_int(jw *w, const char *name, long value)
{
    field(w, name);
    jw_int(w, value);
}

static void field_bool(jw *w, const char *name, int value)
{
    field(w, name);
    jw_bool(w, value);
}

static void write_kind_fields(exporter *e, const dp_node *n)
{
    jw *w = &e->w;
    switch (dp_node_kind(n)) {
    case DP_HEADING:
        field_int(w, "level", dp_node_heading_level(n));
        break;
    case DP_LIST:
        field_str(w, "list", json_list_types[dp_node_list_type(n)]);
        field_int(w, "start", dp_node_list_start(n));
        field_str(w, "delim", json_list_delims[dp_node_list_delim(n)]);
        field_str(w, "style", json_list_styles[dp_node_list_style(n)]);
        field_bool(w, "tight", dp_node_list_tight(n));
        break;
    case DP_LIST_ITEM:
        if (dp_node_task(n) != DP_TASK_NONE)
            field_str(w, "task", json_tasks[dp_node_task(n)]);
        break;
    case DP_RAW_BLOCK:
    case DP_RAW_INLINE:
        field_str(w, "format", dp_node_format(n));
        break;
    case DP_MATH:
        field_str(w, "notation", dp_node_format(n));
        field_bool(w, "display", dp_node_math_display(n));
        if (dp_node_math_alt(n))
            field_str(w, "alt", dp_node_math_alt(n));
        {
            /* the formula in the other notation, when known (text holds the source) */
            const char *other = strcmp(dp_node_format(n), "tex") == 0 ? "mathml" : "tex";
            size_t len;
            const char *s = dp_node_math_form(n, other, &len);
            if (s) {
                field(w, other);
                jw_str(w, s, len);
            }
        }
        break;
    case DP_LINK:
    case DP_IMAGE:
        field_str(w, "url", dp_node_url(n));
        if (dp_node_title(n))
            field_str(w, "title", dp_node_title(n));
        break;
    case DP_NOTE:
        if (dp_node_label(n))
            field_str(w, "label", dp_node_label(n));
        break;
    case DP_PAGE_BREAK:
        if (dp_node_label(n))
            field_str(w, "label", dp_node_label(n));
        field_bool(w, "block", dp_node_is_block(n));
        break;
    case DP_QUOTED:
        field_str(w, "quote", json_quotes[dp_node_quote(n)]);
        break;
    case DP_TABLE: {
        field(w, "cols");
        jw_raw(w, "[");
        int ncols = dp_node_table_cols(n);
        for (int i = 0; i < ncols; i++) {
            jw_raw(w, i ? ", {\"align\": " : "{\"align\": ");
            jw_cstr(w, json_aligns[dp_node_table_col_align(n, i)]);
            jw_raw(w, ", \"width\": ");
            jw_double(w, dp_node_table_col_width(n, i));
            jw_raw(w, "}");
        }
        jw_raw(w, "]");
        break;
    }
    case DP_TABLE_CELL:
        field_str(w, "align", json_aligns[dp_node_cell_align(n)]);
        field_int(w, "rowspan", dp_node_cell_rowspan(n));
        field_int(w, "colspan", dp_node_cell_colspan(n));
        field_bool(w, "header", dp_node_cell_header(n));
        break;
    case DP_CITE: {
        field(w, "citations");
        jw_raw(w, "[");
        int count = dp_node_citation_count(n);
        for (int i = 0; i < count; i++) {
            const dp_citation *c = dp_node_citation_at(n, i);
            jw_raw(w, i ? ", {\"id\": " : "{\"id\": ");
            jw_cstr(w, c->id);
            if (c->prefix)
                field_str(w, "prefix", c->prefix);
            if (c->suffix)
                field_str(w, "suffix", c->suffix);
            field_str(w, "mode", json_cite_modes[c->mode]);
            jw_raw(w, "}");
        }
        jw_raw(w, "]");
        break;
    }
    case DP_CUSTOM:
        field_str(w, "name", dp_node_custom_name(n));
        field_bool(w, "block", dp_node_custom_is_block(n));
        break;
    default:
        break;
    }
}

static void write_attrs(exporter *e, const dp_node *n)
{
    jw *w = &e->w;
    if (dp_node_id(n))
        field_str(w, "id", dp_node_id(n));
    int nclasses = dp_node_class_count(n);
    if (nclasses) {
        field(w, "classes");
        jw_raw(w, "[");
        for (int i = 0; i < nclasses; i++) {
            if (i)
                jw_raw(w, ", ");
            jw_cstr(w, dp_node_class_at(n, i));
        }
        jw_raw(w, "]");
    }
    int nkv = dp_node_attr_count(n);
    if (nkv) {
        field(w, "attrs");
        jw_raw(w, "{");
        for (int i = 0; i < nkv; i++) {
            if (i)
                jw_raw(w, ", ");
            jw_cstr(w, dp_node_attr_key_at(n, i));
            jw_raw(w, ": ");
            jw_cstr(w, dp_node_attr_value_at(n, i));
        }
        jw_raw(w, "}");
    }
    if (dp_node_lang(n))
        field_str(w, "lang", dp_node_lang(n));
}

/* One node's object up to (not including) its children. */
static void write_node_head(exporter *e, const dp_node *n)
{
    jw *w = &e->w;
    jw_raw(w, "{\"t\": ");
    jw_cstr(w, dp_kind_name(dp_node_kind(n)));
    write_kind_fields(e, n);
    write_attrs(e, n);
    if (e->positions && dp_node_line(n) > 0) {
        field(w, "pos");
        jw_raw(w, "[");
        jw_int(w, dp_node_line(n));
        jw_raw(w, ", ");
        jw_int(w, dp_node_column(n));
        jw_raw(w, "]");
    }
    const char *text = dp_node_text(n);
    if (text) {
        field(w, "text");
        jw_str(w, text, dp_node_text_len(n));
    }
}

/* Writes top (or, with only_children, its children as array items) one
 * node per line, indented by depth. Iterative: any depth is fine. */
static void write_tree(exporter *e, const dp_node *top, int depth, int only_children)
{
    jw *w = &e->w;
    dp_iter it;
    dp_iter_init(&it, top);
    dp_event ev;
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE && w->rc == 0) {
        const dp_node *n = dp_iter_node(&it);
        int leaf = dp_kind_is_leaf(dp_node_kind(n));
        if (n == top && only_children) {
            if (ev == DP_EV_ENTER)
                depth++;
            continue;
        }
        if (ev == DP_EV_ENTER) {
            if (n != top && dp_node_prev(n))
                jw_raw(w, ",\n");
            if (n != top) /* the top object continues its caller's line */
                jw_indent(w, depth);
            write_node_head(e, n);
            if (leaf) {
                jw_raw(w, "}");
            } else if (dp_node_first_child(n)) {
                jw_raw(w, ", \"c\": [\n");
                depth++;
            } else {
                jw_raw(w, ", \"c\": []}");
            }
        } else if (dp_node_first_child(n)) {
            depth--;
            jw_raw(w, "\n");
            jw_indent(w, depth);
            jw_raw(w, "]}");
        }
    }
}

/* ---- metadata ---------------------------------------------------------- */

/* Map keys starting with '$' get one more '$': "$inlines"/"$blocks" mark
 * formatted text, so a user key can never be mistaken for them. */
static void write_meta_key(jw *w, const char *key)
{
    if (key[0] == '$') {
        size_t n = strlen(key);
        char *k = malloc(n + 2);
        if (!k) {
            w->rc = DP_ENOMEM;
            return;
        }
        k[0] = '$';
        memcpy(k + 1, key, n + 1);
        jw_str(w, k, n + 1);
        free(k);
    } else {
        jw_cstr(w, key);
    }
}

static size_t meta_count(const dp_meta *m)
{
    if (dp_meta_get_type(m) == DP_META_MAP)
        return dp_meta_map_count(m);
    if (dp_meta_get_type(m) == DP_META_LIST)
        return dp_meta_len(m);
    return 0;
}

/* Writes a scalar, an empty container or formatted text. Returns 1 if m is
 * a non-empty map/list that the caller must open. */
static int write_meta_leaf(exporter *e, const dp_meta *m, int depth)
{
    jw *w = &e->w;
    switch (dp_meta_get_type(m)) {
    case DP_META_STRING:
        jw_cstr(w, dp_meta_string(m));
        return 0;
    case DP_META_BOOL:
        jw_bool(w, dp_meta_bool(m));
        return 0;
    case DP_META_INLINES:
    case DP_META_BLOCKS: {
        const dp_node *box = dp_meta_nodes(m);
        if (dp_node_id(box) || dp_node_class_count(box) || dp_node_attr_count(box) || dp_node_lang(box))
            dp_warn_node(e->ctx, box, "attributes of a formatted metadata value are not written");
        jw_raw(w, dp_meta_get_type(m) == DP_META_INLINES ? "{\"$inlines\": [" : "{\"$blocks\": [");
        if (dp_node_first_child(box)) {
            jw_raw(w, "\n");
            write_tree(e, box, depth, 1);
            jw_raw(w, "\n");
            jw_indent(w, depth);
        }
        jw_raw(w, "]}");
        return 0;
    }
    case DP_META_MAP:
    case DP_META_LIST:
        if (meta_count(m) == 0) {
            jw_raw(w, dp_meta_get_type(m) == DP_META_MAP ? "{}" : "[]");
            return 0;
        }
        jw_raw(w, dp_meta_get_type(m) == DP_META_MAP ? "{\n" : "[\n");
        return 1;
    default:
        jw_raw(w, "null"); /* unreachable for a checked document */
        return 0;
    }
}

typedef struct {
    const dp_meta *m;
    size_t i;
} meta_frame;

static void write_meta(exporter *e, const dp_meta *root, int depth)
{
    jw *w = &e->w;
    if (!write_meta_leaf(e, root, depth))
        return;
    size_t cap = 16, n = 0;
    meta_frame *stack = malloc(cap * sizeof *stack);
    if (!stack) {
        w->rc = DP_ENOMEM;
        return;
    }
    stack[n++] = (meta_frame){root, 0};
    while (n > 0 && w->rc == 0) {
        meta_frame *f = &stack[n - 1];
        int level = depth + (int)n; /* indentation of f's items */
        int is_map = dp_meta_get_type(f->m) == DP_META_MAP;
        if (f->i >= meta_count(f->m)) {
            jw_raw(w, "\n");
            jw_indent(w, level - 1);
            jw_raw(w, is_map ? "}" : "]");
            n--;
            continue;
        }
        size_t i = f->i++;
        if (i)
            jw_raw(w, ",\n");
        jw_indent(w, level);
        const dp_meta *child;
        if (is_map) {
            write_meta_key(w, dp_meta_map_key_at(f->m, i));
            jw_raw(w, ": ");
            child = dp_meta_map_value_at(f->m, i);
        } else {
            child = dp_meta_at(f->m, i);
        }
        if (write_meta_leaf(e, child, level)) {
            if (DP_ARRAY_RESERVE(stack, cap, n + 1)) {
                w->rc = DP_ENOMEM;
                break;
            }
            stack[n++] = (meta_frame){child, 0};
        }
    }
    free(stack);
}

/* ---- resources and the document ---------------------------------------- */

static void write_resources(exporter *e, const dp_doc *doc)
{
    jw *w = &e->w;
    size_t count = dp_doc_resource_count(doc);
    if (count == 0) {
        jw_raw(w, "[]");
        return;
    }
    jw_raw(w, "[\n");
    for (size_t i = 0; i < count; i++) {
        const dp_resource *r = dp_doc_resource_at(doc, i);
        if (i)
            jw_raw(w, ",\n");
        jw_indent(w, 2);
        jw_raw(w, "{\"name\": ");
        jw_cstr(w, r->name);
        jw_raw(w, ", \"mime\": ");
        jw_cstr(w, r->mime);
        jw_raw(w, ", \"data\": \"");
        b64_encode(w, r->data, r->len);
        jw_raw(w, "\"}");
    }
    jw_raw(w, "\n  ]");
}

int json_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out)
{
    exporter e = {{out, 0, 0}, ctx, dp_opt_bool(ctx, "positions")};
    jw *w = &e.w;
    jw_raw(w, "{\n  \"docpipe-tree\": ");
    jw_int(w, JSON_TREE_VERSION);
    jw_raw(w, ",\n  \"meta\": ");
    write_meta(&e, dp_doc_meta(doc), 1);
    jw_raw(w, ",\n  \"body\": ");
    /* The root object starts on the "body" line. */
    write_tree(&e, dp_doc_root(doc), 1, 0);
    jw_raw(w, ",\n  \"resources\": ");
    write_resources(&e, doc);
    jw_raw(w, "\n}\n");
    if (w->rc)
        return dp_fail(ctx, w->rc, NULL, 0, 0, "out of memory writing JSON");
    if (w->replaced)
        dp_warn(ctx, "%d invalid UTF-8 sequence(s) in the tree written as U+FFFD", w->replaced);
    return DP_OK;
}
