/* The Markdown reader's walk over cmark-gfm's tree: one iterative pass, a
 * stack of the dp nodes open, each cmark node entered into its dp node
 * (enter), each container finished on exit (heading ids, HTML tag pairs). */
#include <stdlib.h>
#include <string.h>

#include "md_math.h"
#include "md_read.h"

int mdr_fail_nomem(md_reader *r)
{
    return dp_fail(r->ctx, DP_ENOMEM, r->path, 0, 0, "out of memory");
}

void mdr_set_pos(md_reader *r, dp_node *n, cmark_node *c)
{
    int line = cmark_node_get_start_line(c);
    if (line > 0)
        dp_node_set_pos(n, line + r->line_offset, cmark_node_get_start_column(c));
}

static int push(md_reader *r, dp_node *n)
{
    if ((int)r->depth >= r->max_depth)
        return dp_fail(r->ctx, DP_ELIMIT, r->path, dp_node_line(n), dp_node_column(n),
                       "Markdown nested deeper than the limit of %d", r->max_depth);
    if (DP_ARRAY_RESERVE(r->stack, r->stack_cap, r->depth + 1) ||
        DP_ARRAY_RESERVE(r->origin, r->origin_cap, r->depth + 1))
        return mdr_fail_nomem(r);
    r->origin[r->depth] = r->entering;
    r->stack[r->depth++] = n;
    return 0;
}

static dp_node *top(md_reader *r)
{
    return r->stack[r->depth - 1];
}

int mdr_append(md_reader *r, dp_node *parent, dp_node *child)
{
    if (!child)
        return mdr_fail_nomem(r);
    if (dp_node_append_child(parent, child) < 0)
        return dp_fail(r->ctx, DP_EINTERNAL, r->path, dp_node_line(child), dp_node_column(child),
                       "a %s cannot go into a %s", dp_kind_name(dp_node_kind(child)),
                       dp_kind_name(dp_node_kind(parent)));
    return 0;
}

/* ------------------------------------------------------------------ */
static int holds_inlines(dp_kind k)
{
    return k == DP_PARA || k == DP_PLAIN || k == DP_HEADING || k == DP_EMPH || k == DP_STRONG ||
           k == DP_STRIKEOUT || k == DP_LINK || k == DP_IMAGE || k == DP_SPAN;
}

static int holds_blocks(dp_kind k)
{
    return k == DP_ROOT || k == DP_BLOCK_QUOTE || k == DP_LIST_ITEM || k == DP_NOTE || k == DP_DIV;
}

/* A heading ending in "{#id}" (pandoc's header attribute, which the writer
 * uses for ids that links point at): the id, without the text. The syntax
 * extensions split text at their special characters (autolink at ':' and
 * 'w'), so the attribute may span the heading's last few text nodes. */
static int heading_id_attribute(md_reader *r, dp_node *h)
{
    dp_node *first = dp_node_last_child(h);
    if (!first || dp_node_kind(first) != DP_TEXT || dp_node_id(h))
        return 0;
    while (dp_node_prev(first) && dp_node_kind(dp_node_prev(first)) == DP_TEXT)
        first = dp_node_prev(first);
    dp_buf *b = NULL;
    if (dp_buf_new(&b) < 0)
        return mdr_fail_nomem(r);
    int rc = 0;
    for (dp_node *t = first; t && rc >= 0; t = dp_node_next(t))
        rc = dp_buf_append(b, dp_node_text(t), dp_node_text_len(t));
    if (rc < 0) {
        dp_buf_free(b);
        return mdr_fail_nomem(r);
    }
    const char *s = (const char *)dp_buf_data(b);
    size_t len = dp_buf_len(b);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    size_t end = len > 0 && s[len - 1] == '}' ? len - 1 : 0; /* the id is s[start, end) */
    size_t start = end;
    while (start > 0 && md_id_char((unsigned char)s[start - 1]))
        start--;
    /* "{#" id "}" after a space (or alone): "a{#b}" is text, as pandoc reads it */
    if (start == end || start < 2 || s[start - 1] != '#' || s[start - 2] != '{' ||
        (start > 2 && s[start - 3] != ' ' && s[start - 3] != '\t')) {
        dp_buf_free(b);
        return 0;
    }
    size_t keep = start - 2;
    while (keep > 0 && (s[keep - 1] == ' ' || s[keep - 1] == '\t'))
        keep--;
    char *id = strndup(s + start, end - start);
    rc = id ? dp_node_set_id(h, id) : DP_ENOMEM;
    free(id);
    if (rc == 0) {
        /* the text before the attribute into the first node, the rest out */
        while (dp_node_next(first))
            dp_node_unlink(dp_node_next(first));
        if (keep == 0)
            dp_node_unlink(first);
        else
            rc = dp_node_set_text(first, s, keep);
    }
    dp_buf_free(b);
    return rc == 0 ? 0 : mdr_fail_nomem(r);
}

static int finish_container(md_reader *r, dp_node *n)
{
    dp_kind k = dp_node_kind(n);
    if (k == DP_HEADING && heading_id_attribute(r, n) < 0)
        return -1;
    if (!r->html_pairs)
        return 0;
    int rc = 0;
    if (holds_inlines(k))
        rc = md_pair_html_tags(n, DP_RAW_INLINE, "span", DP_SPAN);
    else if (holds_blocks(k))
        rc = md_pair_html_tags(n, DP_RAW_BLOCK, "div", DP_DIV);
    if (rc == DP_ENOMEM)
        return mdr_fail_nomem(r);
    if (rc < 0)
        return dp_fail(r->ctx, rc, r->path, dp_node_line(n), dp_node_column(n), "cannot pair HTML tags here");
    return 0;
}

/* ------------------------------------------------------------------ */
/* The walk */

static dp_node *table_section(md_reader *r, dp_node *table, dp_kind kind)
{
    dp_node *last = dp_node_last_child(table);
    if (last && dp_node_kind(last) == kind)
        return last;
    dp_node *s = dp_node_new(r->doc, kind);
    if (s && dp_node_append_child(table, s) < 0)
        return NULL;
    return s;
}

static dp_align align_of(char a)
{
    return a == 'l' ? DP_ALIGN_LEFT : a == 'c' ? DP_ALIGN_CENTER : a == 'r' ? DP_ALIGN_RIGHT : DP_ALIGN_DEFAULT;
}

/* cmark's CommonMark renderer separates a list from a following list or
 * indented code block with "<!-- end list -->"; it is markup of the
 * Markdown text, not content, and reading it back as a raw block would make
 * every write/read cycle add one. */
static int is_list_separator(cmark_node *c)
{
    const char *lit = cmark_node_get_literal(c);
    cmark_node *prev = cmark_node_previous(c), *next = cmark_node_next(c);
    if (!lit || strncmp(lit, "<!-- end list -->", 17) != 0 || strspn(lit + 17, " \t\r\n") != strlen(lit + 17))
        return 0;
    return prev && cmark_node_get_type(prev) == CMARK_NODE_LIST && next &&
           (cmark_node_get_type(next) == CMARK_NODE_LIST || cmark_node_get_type(next) == CMARK_NODE_CODE_BLOCK);
}

/* ENTER of a cmark node: creates its dp node under the stack top. Returns 1
 * when the node's children follow (pushed), 0 for a leaf, <0 on error. */
static int enter(md_reader *r, cmark_node *c)
{
    cmark_node_type t = cmark_node_get_type(c);
    dp_node *parent = top(r);
    dp_node *n = NULL;
    int container = 1;

    if (t == CMARK_NODE_PARAGRAPH) {
        cmark_node *item = cmark_node_parent(c);
        int tight = item && cmark_node_get_type(item) == CMARK_NODE_ITEM && cmark_node_parent(item) &&
                    cmark_node_get_list_tight(cmark_node_parent(item));
        n = dp_node_new(r->doc, tight ? DP_PLAIN : DP_PARA);
    } else if (t == CMARK_NODE_HEADING) {
        n = dp_node_new(r->doc, DP_HEADING);
        if (n)
            dp_node_set_heading_level(n, cmark_node_get_heading_level(c));
    } else if (t == CMARK_NODE_BLOCK_QUOTE) {
        n = dp_node_new(r->doc, DP_BLOCK_QUOTE);
    } else if (t == CMARK_NODE_LIST) {
        n = dp_node_new(r->doc, DP_LIST);
        if (n) {
            int ordered = cmark_node_get_list_type(c) == CMARK_ORDERED_LIST;
            cmark_delim_type delim = cmark_node_get_list_delim(c);
            dp_node_set_list(n, ordered ? DP_LIST_ORDERED : DP_LIST_BULLET,
                             ordered ? cmark_node_get_list_start(c) : 1,
                             !ordered ? DP_DELIM_DEFAULT
                             : delim == CMARK_PAREN_DELIM ? DP_DELIM_PAREN
                                                          : DP_DELIM_PERIOD,
                             DP_STYLE_DEFAULT, cmark_node_get_list_tight(c));
        }
    } else if (t == CMARK_NODE_ITEM) {
        n = dp_node_new(r->doc, DP_LIST_ITEM);
        const char *ext = cmark_node_get_type_string(c);
        if (n && ext && strcmp(ext, "tasklist") == 0)
            dp_node_set_task(n, cmark_gfm_extensions_get_tasklist_item_checked(c) ? DP_TASK_CHECKED
                                                                                   : DP_TASK_UNCHECKED);
    } else if (t == CMARK_NODE_CODE_BLOCK && r->math && mdr_is_math_fence(c)) {
        /* ```math: a paragraph holding one display formula, as $$…$$ alone is */
        n = dp_node_new(r->doc, DP_PARA);
        dp_node *m = n ? mdr_math_node(r, cmark_node_get_literal(c), 1, 1) : NULL;
        if (!m || dp_node_append_child(n, m) != DP_OK)
            return mdr_fail_nomem(r);
        mdr_set_pos(r, m, c);
        container = 0;
    } else if (t == CMARK_NODE_CODE && md_math_kind(c)) {
        n = mdr_math_node(r, cmark_node_get_literal(c), md_math_kind(c) == 2, 0);
        container = 0;
    } else if (t == CMARK_NODE_CODE_BLOCK) {
        n = mdr_code_block(r, c);
        container = 0;
    } else if (t == CMARK_NODE_HTML_BLOCK) {
        if (is_list_separator(c))
            return 0;
        n = mdr_raw_node(r, DP_RAW_BLOCK, cmark_node_get_literal(c), "html");
        container = 0;
    } else if (t == CMARK_NODE_THEMATIC_BREAK) {
        n = dp_node_new(r->doc, DP_THEMATIC_BREAK);
        container = 0;
    } else if (t == CMARK_NODE_TEXT) {
        n = mdr_text_node(r, DP_TEXT, cmark_node_get_literal(c));
        container = 0;
    } else if (t == CMARK_NODE_SOFTBREAK) {
        /* A setext heading's line break is a space: Markdown writes headings
         * on one line, so keeping a soft break would not survive a write. */
        int in_heading = 0;
        for (cmark_node *a = cmark_node_parent(c); a && !in_heading; a = cmark_node_parent(a))
            in_heading = cmark_node_get_type(a) == CMARK_NODE_HEADING;
        n = in_heading ? mdr_text_node(r, DP_TEXT, " ") : dp_node_new(r->doc, DP_SOFT_BREAK);
        container = 0;
    } else if (t == CMARK_NODE_LINEBREAK) {
        n = dp_node_new(r->doc, DP_LINE_BREAK);
        container = 0;
    } else if (t == CMARK_NODE_CODE) {
        n = mdr_text_node(r, DP_CODE, cmark_node_get_literal(c));
        container = 0;
    } else if (t == CMARK_NODE_HTML_INLINE) {
        n = mdr_raw_node(r, DP_RAW_INLINE, cmark_node_get_literal(c), "html");
        container = 0;
    } else if (t == CMARK_NODE_EMPH) {
        n = dp_node_new(r->doc, DP_EMPH);
    } else if (t == CMARK_NODE_STRONG) {
        n = dp_node_new(r->doc, DP_STRONG);
    } else if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
        n = dp_node_new(r->doc, t == CMARK_NODE_LINK ? DP_LINK : DP_IMAGE);
        if (n) {
            dp_node_set_url(n, cmark_node_get_url(c) ? cmark_node_get_url(c) : "");
            const char *title = cmark_node_get_title(c);
            if (title && title[0])
                dp_node_set_title(n, title);
        }
    } else if (t == CMARK_NODE_FOOTNOTE_REFERENCE) {
        int rc = mdr_note_ref(r, c, parent);
        return rc < 0 ? rc : 0;
    } else if (t == CMARK_NODE_FOOTNOTE_DEFINITION) {
        return 2; /* converted where referenced */
    } else if (t == CMARK_NODE_STRIKETHROUGH) {
        n = dp_node_new(r->doc, DP_STRIKEOUT);
    } else if (t == CMARK_NODE_TABLE) {
        n = dp_node_new(r->doc, DP_TABLE);
        if (n) {
            int ncols = cmark_gfm_extensions_get_table_columns(c);
            uint8_t *al = cmark_gfm_extensions_get_table_alignments(c);
            dp_align aligns[256];
            if (ncols > 256)
                ncols = 256;
            for (int i = 0; i < ncols; i++)
                aligns[i] = al ? align_of((char)al[i]) : DP_ALIGN_DEFAULT;
            dp_node_set_table_cols(n, ncols, aligns, NULL);
        }
    } else if (t == CMARK_NODE_TABLE_ROW) {
        int header = cmark_gfm_extensions_get_table_row_is_header(c);
        dp_node *section = table_section(r, parent, header ? DP_TABLE_HEAD : DP_TABLE_BODY);
        if (!section)
            return mdr_fail_nomem(r);
        n = dp_node_new(r->doc, DP_TABLE_ROW);
        if (!n)
            return mdr_fail_nomem(r);
        mdr_set_pos(r, n, c);
        int rc = mdr_append(r, section, n);
        if (rc == 0)
            rc = push(r, n);
        return rc < 0 ? rc : 1;
    } else if (t == CMARK_NODE_TABLE_CELL) {
        dp_node *row = parent;
        dp_node *table = dp_node_parent(dp_node_parent(row));
        int col = 0;
        for (dp_node *k = dp_node_first_child(row); k; k = dp_node_next(k))
            col++;
        int header = dp_node_kind(dp_node_parent(row)) == DP_TABLE_HEAD;
        n = dp_node_new(r->doc, DP_TABLE_CELL);
        dp_node *plain = dp_node_new(r->doc, DP_PLAIN);
        if (!n || !plain)
            return mdr_fail_nomem(r);
        dp_node_set_cell(n, dp_node_table_col_align(table, col), 1, 1, header);
        mdr_set_pos(r, n, c);
        mdr_set_pos(r, plain, c);
        int rc = mdr_append(r, row, n);
        if (rc == 0)
            rc = mdr_append(r, n, plain);
        if (rc == 0)
            rc = push(r, plain);
        return rc < 0 ? rc : 1;
    } else {
        dp_warn_at(r->ctx, r->path, cmark_node_get_start_line(c) + r->line_offset, cmark_node_get_start_column(c),
                   "unknown cmark node '%s': its text is kept", cmark_node_get_type_string(c));
        n = dp_node_new(r->doc, holds_blocks(dp_node_kind(parent)) ? DP_DIV : DP_SPAN);
    }
    if (!n)
        return mdr_fail_nomem(r);
    mdr_set_pos(r, n, c);
    int rc = mdr_append(r, parent, n);
    if (rc < 0)
        return rc;
    if (!container)
        return 0;
    rc = push(r, n);
    return rc < 0 ? rc : 1;
}

/* Converts the children of container (a cmark node) into the dp node into. */
int mdr_convert_children(md_reader *r, cmark_node *container, dp_node *into)
{
    size_t base = r->depth;
    r->entering = container;
    int rc = push(r, into);
    if (rc < 0)
        return rc;
    cmark_iter *it = cmark_iter_new(container);
    if (!it)
        return mdr_fail_nomem(r);
    cmark_event_type ev;
    while (rc >= 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *c = cmark_iter_get_node(it);
        if (c == container)
            continue;
        if (ev == CMARK_EVENT_ENTER) {
            r->entering = c;
            int e = enter(r, c);
            r->entering = NULL;
            if (e < 0)
                rc = e;
            else if (e == 2)
                cmark_iter_reset(it, c, CMARK_EVENT_EXIT);
        } else if (r->depth > base + 1 && r->origin[r->depth - 1] == c) {
            /* EXIT of a container entered above (footnote references and
             * definitions pushed nothing) */
            dp_node *done = top(r);
            r->depth--;
            rc = finish_container(r, done);
        }
    }
    cmark_iter_free(it);
    if (rc >= 0)
        rc = finish_container(r, into);
    r->depth = base;
    return rc < 0 ? rc : 0;
}
