/* The json importer: rebuilds exactly the tree the exporter wrote (and
 * accepts hand-written documents with defaults for omitted fields).
 * Strict: unknown fields, wrong types and containment violations are errors
 * with the line:column of the offending JSON value. Iterative throughout. */
#include "json_import_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- node fields ------------------------------------------------------- */

/* Values of fields that are set together through one setter. */
typedef struct {
    int list_type, list_start, list_delim, list_style, list_tight;
    int cell_align, cell_rowspan, cell_colspan, cell_header;
    const char *custom_name;
    int is_block;
    int have_text, have_format, have_url, have_custom_name;
    const jv *math_tex, *math_mathml; /* math forms, set once the notation is known */
} pending;

static int read_table_cols(importer *im, dp_node *node, const jv *v)
{
    int rc = ji_want_type(im, v, JV_ARR, "cols");
    if (rc)
        return rc;
    if (v->u.arr.n > 100000)
        return ji_fail(im, v, DP_ELIMIT, "too many table columns");
    int ncols = (int)v->u.arr.n;
    dp_align *aligns = calloc(ncols ? (size_t)ncols : 1, sizeof *aligns);
    double *widths = calloc(ncols ? (size_t)ncols : 1, sizeof *widths);
    if (!aligns || !widths) {
        rc = ji_nomem(im);
        goto cleanup;
    }
    for (int i = 0; i < ncols; i++) {
        const jv *col = v->u.arr.items[i];
        if ((rc = ji_want_type(im, col, JV_OBJ, "cols item")))
            goto cleanup;
        for (size_t k = 0; k < col->u.obj.n; k++) {
            const char *key = col->u.obj.keys[k]->u.str.s;
            const jv *val = col->u.obj.values[k];
            int a;
            if (strcmp(key, "align") == 0) {
                if ((rc = ji_get_enum(im, val, "align", json_aligns, &a)))
                    goto cleanup;
                aligns[i] = (dp_align)a;
            } else if (strcmp(key, "width") == 0) {
                if ((rc = ji_get_double(im, val, "width", &widths[i])))
                    goto cleanup;
            } else {
                rc = ji_fail(im, col->u.obj.keys[k], DP_EINPUT, "unknown column field \"%s\" (align, width)", key);
                goto cleanup;
            }
        }
    }
    if (dp_node_set_table_cols(node, ncols, aligns, widths) != DP_OK)
        rc = ji_fail(im, v, DP_EINPUT, "invalid table columns");
cleanup:
    free(aligns);
    free(widths);
    return rc;
}

static int read_citations(importer *im, dp_node *node, const jv *v)
{
    int rc = ji_want_type(im, v, JV_ARR, "citations");
    if (rc)
        return rc;
    for (size_t i = 0; i < v->u.arr.n; i++) {
        const jv *c = v->u.arr.items[i];
        if ((rc = ji_want_type(im, c, JV_OBJ, "citations item")))
            return rc;
        dp_citation cit = {NULL, NULL, NULL, DP_CITE_NORMAL};
        for (size_t k = 0; k < c->u.obj.n; k++) {
            const char *key = c->u.obj.keys[k]->u.str.s;
            const jv *val = c->u.obj.values[k];
            int mode;
            if (strcmp(key, "id") == 0)
                rc = ji_get_cstr(im, val, "id", &cit.id);
            else if (strcmp(key, "prefix") == 0)
                rc = ji_get_cstr(im, val, "prefix", &cit.prefix);
            else if (strcmp(key, "suffix") == 0)
                rc = ji_get_cstr(im, val, "suffix", &cit.suffix);
            else if (strcmp(key, "mode") == 0) {
                rc = ji_get_enum(im, val, "mode", json_cite_modes, &mode);
                cit.mode = (dp_cite_mode)mode;
            } else
                rc = ji_fail(im, c->u.obj.keys[k], DP_EINPUT,
                            "unknown citation field \"%s\" (id, prefix, suffix, mode)", key);
            if (rc)
                return rc;
        }
        if (!cit.id)
            return ji_fail(im, c, DP_EINPUT, "a citation needs an \"id\"");
        if (dp_node_add_citation(node, &cit) != DP_OK)
            return ji_nomem(im);
    }
    return DP_OK;
}

/* A field specific to the node's kind. Returns 1 if key is not one. */
static int kind_field(importer *im, dp_node *node, pending *pd, const char *key, const jv *v)
{
    dp_kind kind = dp_node_kind(node);
    const char *s;
    int rc;
    switch (kind) {
    case DP_HEADING:
        if (strcmp(key, "level") == 0) {
            int level;
            if ((rc = ji_get_int(im, v, key, 1, 6, &level)))
                return rc;
            dp_node_set_heading_level(node, level);
            return DP_OK;
        }
        break;
    case DP_LIST:
        if (strcmp(key, "list") == 0)
            return ji_get_enum(im, v, key, json_list_types, &pd->list_type);
        if (strcmp(key, "start") == 0)
            return ji_get_int(im, v, key, -2147483647L, 2147483647L, &pd->list_start);
        if (strcmp(key, "delim") == 0)
            return ji_get_enum(im, v, key, json_list_delims, &pd->list_delim);
        if (strcmp(key, "style") == 0)
            return ji_get_enum(im, v, key, json_list_styles, &pd->list_style);
        if (strcmp(key, "tight") == 0)
            return ji_get_bool(im, v, key, &pd->list_tight);
        break;
    case DP_LIST_ITEM:
        if (strcmp(key, "task") == 0) {
            int task;
            if ((rc = ji_get_enum(im, v, key, json_tasks, &task)))
                return rc;
            dp_node_set_task(node, (dp_task)task);
            return DP_OK;
        }
        break;
    case DP_RAW_BLOCK:
    case DP_RAW_INLINE:
        if (strcmp(key, "format") == 0) {
            if ((rc = ji_get_cstr(im, v, key, &s)))
                return rc;
            if (dp_node_set_format(node, s) != DP_OK)
                return ji_fail(im, v, DP_EINPUT, "\"format\" may not be empty");
            pd->have_format = 1;
            return DP_OK;
        }
        break;
    case DP_MATH:
        if (strcmp(key, "notation") == 0) {
            static const char *const notations[] = {"tex", "mathml", NULL};
            int i;
            if ((rc = ji_get_enum(im, v, key, notations, &i)))
                return rc;
            return dp_node_set_format(node, notations[i]) == DP_OK ? DP_OK : ji_nomem(im);
        }
        if (strcmp(key, "display") == 0) {
            int d = 0;
            if ((rc = ji_get_bool(im, v, key, &d)))
                return rc;
            dp_node_set_math_display(node, d);
            return DP_OK;
        }
        if (strcmp(key, "alt") == 0) {
            if ((rc = ji_get_cstr(im, v, key, &s)))
                return rc;
            return dp_node_set_math_alt(node, s) == DP_OK ? DP_OK : ji_nomem(im);
        }
        if (strcmp(key, "tex") == 0 || strcmp(key, "mathml") == 0) {
            if (v->type != JV_STR)
                return ji_fail(im, v, DP_EINPUT, "\"%s\" must be a string, not %s", key, ji_type_name(v));
            *(key[0] == 't' ? &pd->math_tex : &pd->math_mathml) = v;
            return DP_OK;
        }
        break;
    case DP_LINK:
    case DP_IMAGE:
        if (strcmp(key, "url") == 0 || strcmp(key, "title") == 0) {
            if ((rc = ji_get_cstr(im, v, key, &s)))
                return rc;
            if (key[0] == 'u') {
                pd->have_url = 1;
                return dp_node_set_url(node, s) == DP_OK ? DP_OK : ji_nomem(im);
            }
            return dp_node_set_title(node, s) == DP_OK ? DP_OK : ji_nomem(im);
        }
        break;
    case DP_NOTE:
    case DP_PAGE_BREAK:
        if (strcmp(key, "label") == 0) {
            if ((rc = ji_get_cstr(im, v, key, &s)))
                return rc;
            return dp_node_set_label(node, s) == DP_OK ? DP_OK : ji_nomem(im);
        }
        if (kind == DP_PAGE_BREAK && strcmp(key, "block") == 0)
            return ji_get_bool(im, v, key, &pd->is_block);
        break;
    case DP_QUOTED:
        if (strcmp(key, "quote") == 0) {
            int q;
            if ((rc = ji_get_enum(im, v, key, json_quotes, &q)))
                return rc;
            dp_node_set_quote(node, (dp_quote)q);
            return DP_OK;
        }
        break;
    case DP_TABLE:
        if (strcmp(key, "cols") == 0)
            return read_table_cols(im, node, v);
        break;
    case DP_TABLE_CELL:
        if (strcmp(key, "align") == 0)
            return ji_get_enum(im, v, key, json_aligns, &pd->cell_align);
        if (strcmp(key, "rowspan") == 0)
            return ji_get_int(im, v, key, 1, 65534, &pd->cell_rowspan);
        if (strcmp(key, "colspan") == 0)
            return ji_get_int(im, v, key, 1, 65534, &pd->cell_colspan);
        if (strcmp(key, "header") == 0)
            return ji_get_bool(im, v, key, &pd->cell_header);
        break;
    case DP_CITE:
        if (strcmp(key, "citations") == 0)
            return read_citations(im, node, v);
        break;
    case DP_CUSTOM:
        if (strcmp(key, "name") == 0) {
            pd->have_custom_name = 1;
            return ji_get_cstr(im, v, key, &pd->custom_name);
        }
        if (strcmp(key, "block") == 0)
            return ji_get_bool(im, v, key, &pd->is_block);
        break;
    default:
        break;
    }
    return 1;
}

static int kind_has_text(dp_kind kind)
{
    return kind == DP_TEXT || kind == DP_CODE || kind == DP_CODE_BLOCK || kind == DP_RAW_BLOCK ||
           kind == DP_RAW_INLINE || kind == DP_MATH;
}

static int common_field(importer *im, dp_node *node, pending *pd, const char *key, const jv *v,
                        const jv **children)
{
    const char *s;
    int rc;
    if (strcmp(key, "t") == 0)
        return DP_OK;
    if (strcmp(key, "id") == 0) {
        if ((rc = ji_get_cstr(im, v, key, &s)))
            return rc;
        return dp_node_set_id(node, s) == DP_OK ? DP_OK : ji_nomem(im);
    }
    if (strcmp(key, "lang") == 0) {
        if ((rc = ji_get_cstr(im, v, key, &s)))
            return rc;
        return dp_node_set_lang(node, s) == DP_OK ? DP_OK : ji_nomem(im);
    }
    if (strcmp(key, "classes") == 0) {
        if ((rc = ji_want_type(im, v, JV_ARR, key)))
            return rc;
        for (size_t i = 0; i < v->u.arr.n; i++) {
            if ((rc = ji_get_cstr(im, v->u.arr.items[i], "classes item", &s)))
                return rc;
            if (dp_node_has_class(node, s))
                return ji_fail(im, v->u.arr.items[i], DP_EINPUT, "class \"%s\" given twice", s);
            if (dp_node_add_class(node, s) != DP_OK)
                return ji_fail(im, v->u.arr.items[i], DP_EINPUT, "a class is one non-empty word without spaces");
        }
        return DP_OK;
    }
    if (strcmp(key, "attrs") == 0) {
        if ((rc = ji_want_type(im, v, JV_OBJ, key)))
            return rc;
        for (size_t i = 0; i < v->u.obj.n; i++) {
            const jv *k = v->u.obj.keys[i];
            if ((rc = ji_get_cstr(im, k, "attrs key", &s)))
                return rc;
            if (!*s || !strcmp(s, "id") || !strcmp(s, "class") || !strcmp(s, "lang"))
                return ji_fail(im, k, DP_EINPUT,
                              "attribute key \"%s\" not allowed in \"attrs\" (use the id, classes and lang fields)", s);
            const char *val;
            if ((rc = ji_get_cstr(im, v->u.obj.values[i], s, &val)))
                return rc;
            if (dp_node_set_attr(node, s, val) != DP_OK)
                return ji_nomem(im);
        }
        return DP_OK;
    }
    if (strcmp(key, "pos") == 0) {
        int line, col;
        if ((rc = ji_want_type(im, v, JV_ARR, key)))
            return rc;
        if (v->u.arr.n != 2)
            return ji_fail(im, v, DP_EINPUT, "\"pos\" must be [line, column]");
        if ((rc = ji_get_int(im, v->u.arr.items[0], "pos line", 0, 2147483647L, &line)) ||
            (rc = ji_get_int(im, v->u.arr.items[1], "pos column", 0, 2147483647L, &col)))
            return rc;
        dp_node_set_pos(node, line, col);
        return DP_OK;
    }
    if (strcmp(key, "c") == 0) {
        if (dp_kind_is_leaf(dp_node_kind(node)))
            return ji_fail(im, v, DP_EINPUT, "a %s is a leaf and has no \"c\"", dp_kind_name(dp_node_kind(node)));
        if ((rc = ji_want_type(im, v, JV_ARR, key)))
            return rc;
        *children = v;
        return DP_OK;
    }
    if (strcmp(key, "text") == 0) {
        if (!kind_has_text(dp_node_kind(node)))
            return ji_fail(im, v, DP_EINPUT, "a %s has no \"text\" (only text, code, code_block, raw_block, "
                                            "raw_inline and math do)", dp_kind_name(dp_node_kind(node)));
        if (v->type != JV_STR)
            return ji_fail(im, v, DP_EINPUT, "\"text\" must be a string, not %s", ji_type_name(v));
        pd->have_text = 1;
        return dp_node_set_text(node, v->u.str.s, v->u.str.len) == DP_OK ? DP_OK : ji_nomem(im);
    }
    return kind_field(im, node, pd, key, v);
}

/* Builds the node described by obj (all its fields, not its children),
 * links it under parent (NULL: obj is the body's root), and returns its
 * "c" array through children (NULL if none). */
int ji_make_node(importer *im, const jv *obj, dp_node *parent, dp_node **out, const jv **children)
{
    int rc;
    *children = NULL;
    if ((rc = ji_want_type(im, obj, JV_OBJ, "node")))
        return rc;
    const jv *t = jv_get(obj, "t");
    if (!t)
        return ji_fail(im, obj, DP_EINPUT, "a node needs a \"t\" (its kind)");
    const char *kind_name;
    if ((rc = ji_get_cstr(im, t, "t", &kind_name)))
        return rc;
    dp_kind kind = dp_kind_from_name(kind_name);
    if (kind == DP_NODE_NONE)
        return ji_fail(im, t, DP_EINPUT, "unknown node kind \"%s\"", kind_name);
    if (!parent && kind != DP_ROOT)
        return ji_fail(im, t, DP_EINPUT, "\"body\" must be a root node, not a %s", kind_name);
    if (parent && kind == DP_ROOT)
        return ji_fail(im, t, DP_EINPUT, "a root node may only be the \"body\"");

    dp_node *node = parent ? dp_node_new(im->doc, kind) : dp_doc_root(im->doc);
    if (!node)
        return ji_nomem(im);
    pending pd = {0};
    pd.list_type = dp_node_list_type(node);
    pd.list_start = dp_node_list_start(node);
    pd.list_delim = dp_node_list_delim(node);
    pd.list_style = dp_node_list_style(node);
    pd.list_tight = dp_node_list_tight(node);
    pd.cell_align = dp_node_cell_align(node);
    pd.cell_rowspan = 1;
    pd.cell_colspan = 1;
    for (size_t i = 0; i < obj->u.obj.n; i++) {
        const jv *k = obj->u.obj.keys[i];
        rc = common_field(im, node, &pd, k->u.str.s, obj->u.obj.values[i], children);
        if (rc == 1)
            return ji_fail(im, k, DP_EINPUT, "unknown field \"%s\" for a %s", k->u.str.s, kind_name);
        if (rc)
            return rc;
    }

    /* Fields set together, and required ones. */
    switch (kind) {
    case DP_LIST:
        dp_node_set_list(node, (dp_list_type)pd.list_type, pd.list_start, (dp_list_delim)pd.list_delim,
                         (dp_list_style)pd.list_style, pd.list_tight);
        break;
    case DP_TABLE_CELL:
        dp_node_set_cell(node, (dp_align)pd.cell_align, pd.cell_rowspan, pd.cell_colspan, pd.cell_header);
        break;
    case DP_CUSTOM:
        if (!pd.have_custom_name || dp_node_set_custom(node, pd.custom_name, pd.is_block) != DP_OK)
            return ji_fail(im, obj, DP_EINPUT, "a custom node needs a non-empty \"name\"");
        break;
    case DP_PAGE_BREAK:
        dp_node_set_block_milestone(node, pd.is_block);
        break;
    case DP_LINK:
    case DP_IMAGE:
        if (!pd.have_url)
            return ji_fail(im, obj, DP_EINPUT, "a %s needs a \"url\"", kind_name);
        break;
    case DP_RAW_BLOCK:
    case DP_RAW_INLINE:
        if (!pd.have_format)
            return ji_fail(im, obj, DP_EINPUT, "a %s needs a \"format\"", kind_name);
        break;
    case DP_MATH: {
        /* the text is the formula in the node's notation; the field of that
         * same notation would be a second copy that could disagree */
        int is_tex = strcmp(dp_node_format(node), "tex") == 0;
        const jv *own = is_tex ? pd.math_tex : pd.math_mathml;
        const jv *other = is_tex ? pd.math_mathml : pd.math_tex;
        if (own)
            return ji_fail(im, own, DP_EINPUT, "\"%s\" repeats the text of a math node in that notation (give the "
                          "other notation only)", dp_node_format(node));
        if (other && dp_node_set_math_form(node, is_tex ? "mathml" : "tex", other->u.str.s, other->u.str.len) != DP_OK)
            return ji_nomem(im);
        break;
    }
    default:
        break;
    }
    if (kind_has_text(kind) && !pd.have_text)
        return ji_fail(im, obj, DP_EINPUT, "a %s needs a \"text\"", kind_name);

    if (parent && dp_node_append_child(parent, node) != DP_OK) {
        const char *placement = "";
        if (kind == DP_CUSTOM || kind == DP_PAGE_BREAK)
            placement = dp_node_is_block(node) ? " (block)" : " (inline)";
        else if (kind == DP_CAPTION)
            placement = " here (at most one caption, in a table or figure)";
        return ji_fail(im, obj, DP_EINPUT, "a %s may not contain a %s%s", dp_kind_name(dp_node_kind(parent)),
                      kind_name, placement);
    }
    *out = node;
    return DP_OK;
}

typedef struct {
    const jv *arr;
    size_t i;
    dp_node *node;
    const jv *obj; /* the node's JSON object, for messages */
} node_frame;

/* Order rules that need all children, checked when a node is complete so
 * that the message can point at its JSON object (dp_doc_check would know
 * no position). */
static int check_complete(importer *im, const dp_node *node, const jv *obj)
{
    if (!obj)
        return DP_OK;
    if (dp_node_kind(node) == DP_DEF_ITEM) {
        int terms = 0, descs = 0;
        for (const dp_node *c = dp_node_first_child(node); c; c = dp_node_next(c)) {
            if (dp_node_kind(c) == DP_DEF_TERM && descs)
                return ji_fail(im, obj, DP_EINPUT, "a def_item lists its def_terms before its def_descs");
            terms += dp_node_kind(c) == DP_DEF_TERM;
            descs += dp_node_kind(c) == DP_DEF_DESC;
        }
        if (!terms)
            return ji_fail(im, obj, DP_EINPUT, "a def_item needs at least one def_term");
    } else if (dp_node_kind(node) == DP_TABLE) {
        int rank = -1, heads = 0, foots = 0;
        for (const dp_node *c = dp_node_first_child(node); c; c = dp_node_next(c)) {
            int r = dp_node_kind(c) == DP_CAPTION      ? 0
                    : dp_node_kind(c) == DP_TABLE_HEAD ? 1
                    : dp_node_kind(c) == DP_TABLE_BODY ? 2
                    : dp_node_kind(c) == DP_TABLE_FOOT ? 3
                                                       : -1;
            if (r < 0)
                continue;
            if (r < rank)
                return ji_fail(im, obj, DP_EINPUT,
                              "a table's children come in the order caption?, table_head?, table_body*, table_foot?");
            heads += r == 1;
            foots += r == 3;
            rank = r;
        }
        if (heads > 1 || foots > 1)
            return ji_fail(im, obj, DP_EINPUT, "a table has at most one table_head and one table_foot");
    }
    return DP_OK;
}

/* Converts the "c" array of parent (and everything below) without recursion. */
int ji_convert_children(importer *im, dp_node *parent, const jv *arr)
{
    if (!arr || arr->u.arr.n == 0)
        return DP_OK;
    size_t cap = 64, n = 0;
    node_frame *stack = malloc(cap * sizeof *stack);
    if (!stack)
        return ji_nomem(im);
    int rc = DP_OK;
    stack[n++] = (node_frame){arr, 0, parent, NULL};
    while (n > 0) {
        node_frame *f = &stack[n - 1];
        if (f->i >= f->arr->u.arr.n) {
            if ((rc = check_complete(im, f->node, f->obj)))
                break;
            n--;
            continue;
        }
        const jv *obj = f->arr->u.arr.items[f->i++];
        /* The new node's depth below parent is n. */
        if ((int)n > im->max_depth) {
            rc = ji_fail(im, obj, DP_ELIMIT, "document nested deeper than %d levels (limit max-depth)",
                        im->max_depth);
            break;
        }
        dp_node *node;
        const jv *kids;
        if ((rc = ji_make_node(im, obj, f->node, &node, &kids)))
            break;
        if (kids && kids->u.arr.n > 0) {
            if (DP_ARRAY_RESERVE(stack, cap, n + 1)) {
                rc = ji_nomem(im);
                break;
            }
            stack[n++] = (node_frame){kids, 0, node, obj};
        } else if ((rc = check_complete(im, node, obj))) {
            break;
        }
    }
    free(stack);
    return rc;
}

/* ---- the document ---------------------------------------------------------- */

int json_import(dp_ctx *ctx, const dp_input *in, dp_doc **out)
{
    *out = NULL;
    importer im = {ctx, in->path, {0}, NULL, 1000};
    const dp_limits *limits = dp_ctx_limits(ctx);
    if (limits && limits->max_depth > 0)
        im.max_depth = limits->max_depth;
    /* A tree of depth d is about 2d + 2 JSON levels (node object + "c"
     * array per level); the slack covers metadata and the envelope. */
    int json_depth = im.max_depth > (1 << 28) ? (1 << 29) : 2 * im.max_depth + 8;

    dp_error perr;
    dp_error_clear(&perr);
    int rc = json_parse(&im.jd, in->data, in->len, json_depth, in->path, &perr);
    if (rc)
        return dp_fail(ctx, perr.code, perr.file[0] ? perr.file : NULL, perr.line, perr.column, "%s", perr.message);
    if (dp_doc_new(&im.doc) != DP_OK) {
        rc = ji_nomem(&im);
        goto cleanup;
    }

    const jv *top = im.jd.root;
    if (top->type != JV_OBJ) {
        rc = ji_fail(&im, top, DP_EINPUT, "a docpipe tree is a JSON object, not %s", ji_type_name(top));
        goto cleanup;
    }
    const jv *version = jv_get(top, "docpipe-tree");
    if (!version) {
        rc = ji_fail(&im, top, DP_EINPUT, "not a docpipe tree: no \"docpipe-tree\" version key");
        goto cleanup;
    }
    int v;
    if ((rc = ji_get_int(&im, version, "docpipe-tree", 1, 1000, &v)))
        goto cleanup;
    if (v != JSON_TREE_VERSION) {
        rc = ji_fail(&im, version, DP_EINPUT, "docpipe-tree version %d is not supported (this is version %d)", v,
                    JSON_TREE_VERSION);
        goto cleanup;
    }
    for (size_t i = 0; i < top->u.obj.n; i++) {
        const char *key = top->u.obj.keys[i]->u.str.s;
        const jv *val = top->u.obj.values[i];
        if (strcmp(key, "docpipe-tree") == 0)
            continue;
        if (strcmp(key, "meta") == 0) {
            rc = ji_convert_meta(&im, val);
        } else if (strcmp(key, "body") == 0) {
            dp_node *root;
            const jv *kids;
            rc = ji_make_node(&im, val, NULL, &root, &kids);
            if (!rc)
                rc = ji_convert_children(&im, root, kids);
        } else if (strcmp(key, "resources") == 0) {
            rc = ji_convert_resources(&im, val);
        } else {
            rc = ji_fail(&im, top->u.obj.keys[i], DP_EINPUT,
                        "unknown top-level key \"%s\" (docpipe-tree, meta, body, resources)", key);
        }
        if (rc)
            goto cleanup;
    }

    /* What the importer could not see locally (section order of tables,
     * definition items, UTF-8 of every string) is checked as a whole. */
    dp_error cerr;
    dp_error_clear(&cerr);
    if (dp_doc_check(im.doc, &cerr) != DP_OK) {
        rc = dp_fail(ctx, DP_EINPUT, in->path, cerr.line, cerr.column, "%s", cerr.message);
        goto cleanup;
    }
    *out = im.doc;
    im.doc = NULL;
cleanup:
    dp_doc_free(im.doc);
    json_doc_free(&im.jd);
    return rc;
}
