/* Leaf nodes of the tree -> cmark nodes of the Markdown writer: text,
 * inline code, breaks, code blocks, raw content, math, thematic and page
 * breaks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "md_write.h"

static int code_block(md_writer *w, const dp_node *n)
{
    cmark_node *c = cmark_node_new(CMARK_NODE_CODE_BLOCK);
    if (!c)
        return mdw_nomem(w);
    const char *text = dp_node_text(n) ? dp_node_text(n) : "";
    size_t len = strlen(text);
    char *lit = malloc(len + 2);
    if (!lit) {
        cmark_node_free(c);
        return mdw_nomem(w);
    }
    /* cmark's literal is the code plus the final newline the reader strips */
    memcpy(lit, text, len);
    lit[len++] = '\n';
    lit[len] = '\0';
    cmark_node_set_literal(c, lit);
    free(lit);
    cmark_node_set_fenced(c, 1, 3, 0, '`');
    if (dp_node_kind(n) == DP_RAW_BLOCK) {
        char info[80];
        snprintf(info, sizeof info, "{=%s}", dp_node_format(n) ? dp_node_format(n) : "unknown");
        cmark_node_set_fence_info(c, info);
    } else if (dp_node_class_count(n) > 0) {
        const char *lang = dp_node_class_at(n, 0);
        const char *rest = dp_node_attr(n, "info");
        char *info = malloc(strlen(lang) + (rest ? strlen(rest) : 0) + 2);
        if (!info) {
            cmark_node_free(c);
            return mdw_nomem(w);
        }
        sprintf(info, "%s%s%s", lang, rest ? " " : "", rest ? rest : "");
        cmark_node_set_fence_info(c, info);
        free(info);
        if (dp_node_class_count(n) > 1 || (dp_node_id(n) && !mdw_linked_id(w, n)) || dp_node_lang(n) ||
            dp_node_attr_count(n) > (rest ? 1 : 0))
            dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.attrs", n, "code block attributes other than its language are not kept in Markdown");
    } else if (mdw_lost_attrs(w, n)) {
        dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.attrs", n, "code block attributes are not kept in Markdown");
    }
    return mdw_add(w, c);
}

int mdw_leaf(md_writer *w, const dp_node *n)
{
    dp_kind k = dp_node_kind(n);
    const char *text = dp_node_text(n);
    switch (k) {
    case DP_TEXT:
        return mdw_text(w, text);
    case DP_CODE:
        if (mdw_lost_attrs(w, n))
            dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.attrs", n, "attributes of inline code are not kept in Markdown");
        return mdw_add(w, mdw_new_literal(CMARK_NODE_CODE, text));
    case DP_SOFT_BREAK:
        if (w->in_table_cell)
            return mdw_add(w, mdw_new_literal(CMARK_NODE_TEXT, " "));
        return mdw_add(w, cmark_node_new(CMARK_NODE_SOFTBREAK));
    case DP_LINE_BREAK:
        if (w->in_table_cell)
            return mdw_add_raw(w, 0, "<br>");
        return mdw_add(w, cmark_node_new(CMARK_NODE_LINEBREAK));
    case DP_CODE_BLOCK:
        return code_block(w, n);
    case DP_RAW_BLOCK:
        if (dp_node_format(n) && strcmp(dp_node_format(n), "html") == 0)
            return mdw_add_raw(w, 1, text);
        dp_warn_node(w->ctx, n, "raw %s block written as a fenced code block {=%s}", dp_node_format(n),
                     dp_node_format(n));
        return code_block(w, n);
    case DP_RAW_INLINE:
        if (dp_node_format(n) && strcmp(dp_node_format(n), "html") == 0)
            return mdw_add_raw(w, 0, text);
        dp_warn_node(w->ctx, n, "raw %s inline written as inline code", dp_node_format(n));
        return mdw_add(w, mdw_new_literal(CMARK_NODE_CODE, text));
    case DP_MATH:
        return mdw_math(w, n);
    case DP_THEMATIC_BREAK:
        return mdw_add(w, cmark_node_new(CMARK_NODE_THEMATIC_BREAK));
    case DP_PAGE_BREAK: {
        dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "md.raw-html", n, "page break %s written as raw HTML", dp_node_label(n) ? dp_node_label(n) : "");
        dp_buf *b = NULL;
        if (dp_buf_new(&b) < 0)
            return mdw_nomem(w);
        int block = dp_node_is_block(n);
        int rc = dp_buf_printf(b, "<%s role=\"doc-pagebreak\"", block ? "div" : "span");
        if (rc >= 0 && dp_node_label(n)) {
            /* the label through the attribute writer: a throwaway span */
            rc = dp_buf_puts(b, " aria-label=\"");
            for (const char *p = dp_node_label(n); rc >= 0 && *p; p++)
                rc = *p == '"' ? dp_buf_puts(b, "&quot;") : *p == '&' ? dp_buf_puts(b, "&amp;")
                                                                       : dp_buf_append(b, p, 1);
            if (rc >= 0)
                rc = dp_buf_puts(b, "\"");
        }
        if (rc >= 0)
            rc = dp_buf_printf(b, "></%s>", block ? "div" : "span");
        if (rc >= 0)
            rc = dp_buf_append(b, "", 1);
        if (rc >= 0)
            rc = mdw_add_raw(w, block, (const char *)dp_buf_data(b));
        dp_buf_free(b);
        return rc < 0 ? (w->failed ? rc : mdw_nomem(w)) : 0;
    }
    default:
        return 0;
    }
}
