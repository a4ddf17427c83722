/* Per-kind node data: getters return 0/NULL for a kind without the field,
 * setters return DP_EINVAL for it. Strings are copied into the arena. */
#include "tree/tree_internal.h"

#include <string.h>

#define IS(node, k) ((node) && (node)->kind == (k))

/* ---- literal text ------------------------------------------------------ */

DP_EXPORT const char *dp_node_text(const dp_node *node)
{
    return node && dpt_kind_has_text(node->kind) ? node->as.lit.text : NULL;
}

DP_EXPORT size_t dp_node_text_len(const dp_node *node)
{
    return node && dpt_kind_has_text(node->kind) && node->as.lit.text ? node->as.lit.len : 0;
}

DP_EXPORT int dp_node_set_text(dp_node *node, const char *text, size_t len)
{
    if (!node || !dpt_kind_has_text(node->kind) || !text)
        return DP_EINVAL;
    char *copy = dp_doc_strndup(node->doc, text, len);
    if (!copy)
        return DP_ENOMEM;
    node->as.lit.text = copy;
    node->as.lit.len = len;
    return DP_OK;
}

/* ---- heading ----------------------------------------------------------- */

DP_EXPORT int dp_node_heading_level(const dp_node *node)
{
    return IS(node, DP_HEADING) ? node->as.heading_level : 0;
}

DP_EXPORT int dp_node_set_heading_level(dp_node *node, int level)
{
    if (!IS(node, DP_HEADING) || level < 1 || level > 6)
        return DP_EINVAL;
    node->as.heading_level = level;
    return DP_OK;
}

/* ---- lists ------------------------------------------------------------- */

DP_EXPORT dp_list_type dp_node_list_type(const dp_node *node)
{
    return IS(node, DP_LIST) ? node->as.list.type : DP_LIST_BULLET;
}

DP_EXPORT int dp_node_list_start(const dp_node *node)
{
    return IS(node, DP_LIST) ? node->as.list.start : 0;
}

DP_EXPORT dp_list_delim dp_node_list_delim(const dp_node *node)
{
    return IS(node, DP_LIST) ? node->as.list.delim : DP_DELIM_DEFAULT;
}

DP_EXPORT dp_list_style dp_node_list_style(const dp_node *node)
{
    return IS(node, DP_LIST) ? node->as.list.style : DP_STYLE_DEFAULT;
}

DP_EXPORT int dp_node_list_tight(const dp_node *node)
{
    return IS(node, DP_LIST) ? node->as.list.tight : 0;
}

DP_EXPORT int dp_node_set_list(dp_node *node, dp_list_type type, int start, dp_list_delim delim,
                               dp_list_style style, int tight)
{
    if (!IS(node, DP_LIST))
        return DP_EINVAL;
    if ((type != DP_LIST_BULLET && type != DP_LIST_ORDERED) || delim < DP_DELIM_DEFAULT ||
        delim > DP_DELIM_PAREN || style < DP_STYLE_DEFAULT || style > DP_STYLE_UPPER_ROMAN)
        return DP_EINVAL;
    node->as.list.type = type;
    node->as.list.start = start;
    node->as.list.delim = delim;
    node->as.list.style = style;
    node->as.list.tight = tight ? 1 : 0;
    return DP_OK;
}

DP_EXPORT dp_task dp_node_task(const dp_node *node)
{
    return IS(node, DP_LIST_ITEM) ? node->as.task : DP_TASK_NONE;
}

DP_EXPORT int dp_node_set_task(dp_node *node, dp_task task)
{
    if (!IS(node, DP_LIST_ITEM) || task < DP_TASK_NONE || task > DP_TASK_CHECKED)
        return DP_EINVAL;
    node->as.task = task;
    return DP_OK;
}

/* ---- raw format / math ------------------------------------------------- */

DP_EXPORT const char *dp_node_format(const dp_node *node)
{
    if (IS(node, DP_MATH))
        return node->as.lit.format ? node->as.lit.format : "tex";
    if (IS(node, DP_RAW_BLOCK) || IS(node, DP_RAW_INLINE))
        return node->as.lit.format;
    return NULL;
}

DP_EXPORT int dp_node_set_format(dp_node *node, const char *format)
{
    if (!node || !format || !*format)
        return DP_EINVAL;
    if (node->kind != DP_MATH && node->kind != DP_RAW_BLOCK && node->kind != DP_RAW_INLINE)
        return DP_EINVAL;
    const char *copy = dp_doc_strdup(node->doc, format);
    if (!copy)
        return DP_ENOMEM;
    if (node->kind == DP_MATH && strcmp(dp_node_format(node), copy) != 0) {
        node->as.lit.other = NULL;
        node->as.lit.other_len = 0;
    }
    node->as.lit.format = copy;
    return DP_OK;
}

DP_EXPORT int dp_node_math_display(const dp_node *node)
{
    return IS(node, DP_MATH) ? node->as.lit.display : 0;
}

DP_EXPORT int dp_node_set_math_display(dp_node *node, int display)
{
    if (!IS(node, DP_MATH))
        return DP_EINVAL;
    node->as.lit.display = display ? 1 : 0;
    return DP_OK;
}

static int known_notation(const char *notation)
{
    return notation && (strcmp(notation, "tex") == 0 || strcmp(notation, "mathml") == 0);
}

DP_EXPORT const char *dp_node_math_form(const dp_node *node, const char *notation, size_t *len)
{
    const char *s = NULL;
    size_t l = 0;
    if (IS(node, DP_MATH) && known_notation(notation)) {
        if (strcmp(notation, dp_node_format(node)) == 0)
            s = node->as.lit.text, l = node->as.lit.len;
        else
            s = node->as.lit.other, l = node->as.lit.other_len;
    }
    if (len)
        *len = s ? l : 0;
    return s;
}

DP_EXPORT int dp_node_set_math_form(dp_node *node, const char *notation, const char *text, size_t len)
{
    if (!IS(node, DP_MATH) || !known_notation(notation))
        return DP_EINVAL;
    if (strcmp(notation, dp_node_format(node)) == 0)
        return text ? dp_node_set_text(node, text, len) : DP_EINVAL;
    const char *copy = NULL;
    if (text && !(copy = dp_doc_strndup(node->doc, text, len)))
        return DP_ENOMEM;
    node->as.lit.other = copy;
    node->as.lit.other_len = copy ? len : 0;
    return DP_OK;
}

DP_EXPORT const char *dp_node_math_alt(const dp_node *node)
{
    return IS(node, DP_MATH) ? node->as.lit.alt : NULL;
}

DP_EXPORT int dp_node_set_math_alt(dp_node *node, const char *alt)
{
    if (!IS(node, DP_MATH))
        return DP_EINVAL;
    const char *copy = NULL;
    if (alt && !(copy = dp_doc_strdup(node->doc, alt)))
        return DP_ENOMEM;
    node->as.lit.alt = copy;
    return DP_OK;
}

/* ---- links and images -------------------------------------------------- */

static int has_link(const dp_node *node)
{
    return IS(node, DP_LINK) || IS(node, DP_IMAGE);
}

DP_EXPORT const char *dp_node_url(const dp_node *node)
{
    return has_link(node) ? node->as.link.url : NULL;
}

DP_EXPORT const char *dp_node_title(const dp_node *node)
{
    return has_link(node) ? node->as.link.title : NULL;
}

DP_EXPORT int dp_node_set_url(dp_node *node, const char *url)
{
    if (!has_link(node) || !url)
        return DP_EINVAL;
    const char *copy = dp_doc_strdup(node->doc, url);
    if (!copy)
        return DP_ENOMEM;
    node->as.link.url = copy;
    return DP_OK;
}

DP_EXPORT int dp_node_set_title(dp_node *node, const char *title)
{
    if (!has_link(node))
        return DP_EINVAL;
    const char *copy = NULL;
    if (title && !(copy = dp_doc_strdup(node->doc, title)))
        return DP_ENOMEM;
    node->as.link.title = copy;
    return DP_OK;
}

/* ---- labels (notes, page breaks) --------------------------------------- */

DP_EXPORT const char *dp_node_label(const dp_node *node)
{
    return IS(node, DP_NOTE) || IS(node, DP_PAGE_BREAK) ? node->as.label : NULL;
}

DP_EXPORT int dp_node_set_label(dp_node *node, const char *label)
{
    if (!(IS(node, DP_NOTE) || IS(node, DP_PAGE_BREAK)))
        return DP_EINVAL;
    const char *copy = NULL;
    if (label && !(copy = dp_doc_strdup(node->doc, label)))
        return DP_ENOMEM;
    node->as.label = copy;
    return DP_OK;
}

/* ---- quotes ------------------------------------------------------------ */

DP_EXPORT dp_quote dp_node_quote(const dp_node *node)
{
    return IS(node, DP_QUOTED) ? node->as.quote : DP_QUOTE_DOUBLE;
}

DP_EXPORT int dp_node_set_quote(dp_node *node, dp_quote quote)
{
    if (!IS(node, DP_QUOTED) || (quote != DP_QUOTE_DOUBLE && quote != DP_QUOTE_SINGLE))
        return DP_EINVAL;
    node->as.quote = quote;
    return DP_OK;
}

/* ---- tables ------------------------------------------------------------ */

DP_EXPORT int dp_node_table_cols(const dp_node *node)
{
    return IS(node, DP_TABLE) ? node->as.table.ncols : 0;
}

DP_EXPORT dp_align dp_node_table_col_align(const dp_node *node, int col)
{
    if (!IS(node, DP_TABLE) || col < 0 || col >= node->as.table.ncols)
        return DP_ALIGN_DEFAULT;
    return node->as.table.aligns[col];
}

DP_EXPORT double dp_node_table_col_width(const dp_node *node, int col)
{
    if (!IS(node, DP_TABLE) || col < 0 || col >= node->as.table.ncols)
        return 0.0;
    return node->as.table.widths[col];
}

static int align_valid(dp_align a)
{
    return a >= DP_ALIGN_DEFAULT && a <= DP_ALIGN_RIGHT;
}

DP_EXPORT int dp_node_set_table_cols(dp_node *node, int ncols, const dp_align *aligns, const double *widths)
{
    if (!IS(node, DP_TABLE) || ncols < 0)
        return DP_EINVAL;
    for (int i = 0; aligns && i < ncols; i++)
        if (!align_valid(aligns[i]))
            return DP_EINVAL;
    for (int i = 0; widths && i < ncols; i++)
        if (!(widths[i] >= 0.0)) /* also refuses NaN */
            return DP_EINVAL;
    dp_align *a = NULL;
    double *w = NULL;
    if (ncols > 0) {
        a = dpt_arena_alloc(&node->doc->arena, sizeof *a * (size_t)ncols);
        w = dpt_arena_alloc(&node->doc->arena, sizeof *w * (size_t)ncols);
        if (!a || !w)
            return DP_ENOMEM;
        for (int i = 0; i < ncols; i++) {
            a[i] = aligns ? aligns[i] : DP_ALIGN_DEFAULT;
            w[i] = widths ? widths[i] : 0.0;
        }
    }
    node->as.table.ncols = ncols;
    node->as.table.aligns = a;
    node->as.table.widths = w;
    return DP_OK;
}

DP_EXPORT dp_align dp_node_cell_align(const dp_node *node)
{
    return IS(node, DP_TABLE_CELL) ? node->as.cell.align : DP_ALIGN_DEFAULT;
}

DP_EXPORT int dp_node_cell_rowspan(const dp_node *node)
{
    return IS(node, DP_TABLE_CELL) ? node->as.cell.rowspan : 0;
}

DP_EXPORT int dp_node_cell_colspan(const dp_node *node)
{
    return IS(node, DP_TABLE_CELL) ? node->as.cell.colspan : 0;
}

DP_EXPORT int dp_node_cell_header(const dp_node *node)
{
    return IS(node, DP_TABLE_CELL) ? node->as.cell.header : 0;
}

DP_EXPORT int dp_node_set_cell(dp_node *node, dp_align align, int rowspan, int colspan, int header)
{
    if (!IS(node, DP_TABLE_CELL) || !align_valid(align) || rowspan < 1 || colspan < 1)
        return DP_EINVAL;
    node->as.cell.align = align;
    node->as.cell.rowspan = rowspan;
    node->as.cell.colspan = colspan;
    node->as.cell.header = header ? 1 : 0;
    return DP_OK;
}

/* ---- citations --------------------------------------------------------- */

DP_EXPORT int dp_node_citation_count(const dp_node *node)
{
    return IS(node, DP_CITE) ? node->as.cite.n : 0;
}

DP_EXPORT const dp_citation *dp_node_citation_at(const dp_node *node, int i)
{
    if (!IS(node, DP_CITE) || i < 0 || i >= node->as.cite.n)
        return NULL;
    return &node->as.cite.items[i];
}

DP_EXPORT int dp_node_add_citation(dp_node *node, const dp_citation *c)
{
    if (!IS(node, DP_CITE) || !c || !c->id || c->mode < DP_CITE_NORMAL ||
        c->mode > DP_CITE_SUPPRESS_AUTHOR)
        return DP_EINVAL;
    dp_doc *doc = node->doc;
    if (node->as.cite.n == node->as.cite.cap) {
        int cap = node->as.cite.cap ? node->as.cite.cap * 2 : 2;
        dp_citation *grown = dpt_arena_grow(&doc->arena, node->as.cite.items, sizeof *grown,
                                           (size_t)node->as.cite.n, (size_t)cap);
        if (!grown)
            return DP_ENOMEM;
        node->as.cite.items = grown;
        node->as.cite.cap = cap;
    }
    dp_citation copy = {dp_doc_strdup(doc, c->id), NULL, NULL, c->mode};
    if (!copy.id || (c->prefix && !(copy.prefix = dp_doc_strdup(doc, c->prefix))) ||
        (c->suffix && !(copy.suffix = dp_doc_strdup(doc, c->suffix))))
        return DP_ENOMEM;
    node->as.cite.items[node->as.cite.n++] = copy;
    return DP_OK;
}

/* ---- custom kinds and block milestones --------------------------------- */

DP_EXPORT const char *dp_node_custom_name(const dp_node *node)
{
    return IS(node, DP_CUSTOM) ? node->as.custom_name : NULL;
}

DP_EXPORT int dp_node_custom_is_block(const dp_node *node)
{
    return IS(node, DP_CUSTOM) ? node->is_block : 0;
}

DP_EXPORT int dp_node_set_custom(dp_node *node, const char *name, int is_block)
{
    if (!IS(node, DP_CUSTOM) || !name || !*name)
        return DP_EINVAL;
    /* Changing block-ness under a parent could break its containment. */
    int want_block = is_block ? 1 : 0;
    if (node->parent && want_block != node->is_block) {
        unsigned char old = node->is_block;
        node->is_block = (unsigned char)want_block;
        int ok = dp_node_can_contain(node->parent, node);
        node->is_block = old;
        if (!ok)
            return DP_EINVAL;
    }
    if (want_block != node->is_block) {
        /* Children must still fit the new content model. */
        unsigned char old = node->is_block;
        node->is_block = (unsigned char)want_block;
        for (dp_node *c = node->first_child; c; c = c->next) {
            if (!dp_node_can_contain(node, c)) {
                node->is_block = old;
                return DP_EINVAL;
            }
        }
    }
    const char *copy = dp_doc_strdup(node->doc, name);
    if (!copy)
        return DP_ENOMEM;
    node->as.custom_name = copy;
    node->is_block = (unsigned char)want_block;
    return DP_OK;
}

DP_EXPORT int dp_node_set_block_milestone(dp_node *node, int is_block)
{
    if (!IS(node, DP_PAGE_BREAK))
        return DP_EINVAL;
    node->is_block = is_block ? 1 : 0;
    return DP_OK;
}
