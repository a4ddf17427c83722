/* The pandoc-json writer's blocks: lists, definition lists, figures (one
 * image or several blocks), line blocks, Div, and the dispatch over block
 * kinds (tables are pandoc_write_table.c). Split from pandoc_write.c by
 * job; inlines are pandoc_write_inline.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pandoc_write_priv.h"

void pw_block_list(pw *p, const dp_node *first_child)
{
    jw_raw(&p->w, "[");
    pw_blocks(p, first_child);
    jw_raw(&p->w, "]");
}

static void list_items(pw *p, const dp_node *list)
{
    int first = 1;
    jw_raw(&p->w, "[");
    for (const dp_node *it = dp_node_first_child(list); it; it = dp_node_next(it)) {
        jw_raw(&p->w, first ? "[" : ",[");
        first = 0;
        if (dp_node_task(it) != DP_TASK_NONE) {
            /* pandoc writes a task item as a ballot box at the start of
             * its first paragraph; a Plain of its own here, reported */
            if (!p->warned_task)
                dp_warn_node(p->ctx, it, "pandoc has no task list item: written as a ballot box character");
            p->warned_task = 1;
            pw_tag_c(p, "Plain");
            jw_raw(&p->w, dp_node_task(it) == DP_TASK_CHECKED ? "[{\"t\":\"Str\",\"c\":\"\xe2\x98\x92\"}]}"
                                                              : "[{\"t\":\"Str\",\"c\":\"\xe2\x98\x90\"}]}");
            if (dp_node_first_child(it))
                jw_raw(&p->w, ",");
        }
        pw_blocks(p, dp_node_first_child(it));
        jw_raw(&p->w, "]");
    }
    jw_raw(&p->w, "]");
}

static void ordered_list(pw *p, const dp_node *n)
{
    static const char *const styles[] = {"DefaultStyle", "Decimal", "LowerAlpha", "UpperAlpha", "LowerRoman",
                                         "UpperRoman"};
    static const char *const delims[] = {"DefaultDelim", "Period", "OneParen"};
    pw_tag_c(p, "OrderedList");
    jw_raw(&p->w, "[[");
    jw_int(&p->w, dp_node_list_start(n));
    jw_raw(&p->w, ",{\"t\":\"");
    jw_raw(&p->w, styles[dp_node_list_style(n) <= DP_STYLE_UPPER_ROMAN ? dp_node_list_style(n) : 0]);
    jw_raw(&p->w, "\"},{\"t\":\"");
    jw_raw(&p->w, delims[dp_node_list_delim(n) <= DP_DELIM_PAREN ? dp_node_list_delim(n) : 0]);
    jw_raw(&p->w, "\"}],");
    list_items(p, n);
    jw_raw(&p->w, "]}");
}

static void def_list(pw *p, const dp_node *n)
{
    int first = 1;
    pw_tag_c(p, "DefinitionList");
    jw_raw(&p->w, "[");
    for (const dp_node *item = dp_node_first_child(n); item; item = dp_node_next(item)) {
        const dp_node *c = dp_node_first_child(item);
        /* pandoc: one term per item; further terms get items of their own
         * with no definition (reported) */
        for (; c && dp_node_kind(c) == DP_DEF_TERM; c = dp_node_next(c)) {
            int last_term = !dp_node_next(c) || dp_node_kind(dp_node_next(c)) != DP_DEF_TERM;
            int dfirst = 1;
            if (!last_term && !p->warned_terms) {
                dp_warn_node(p->ctx, c, "pandoc has one term per definition item: the terms before the last "
                                        "are written as items without a definition");
                p->warned_terms = 1;
            }
            jw_raw(&p->w, first ? "[" : ",[");
            first = 0;
            pw_inline_list(p, dp_node_first_child(c));
            jw_raw(&p->w, ",[");
            if (last_term)
                for (const dp_node *d = dp_node_next(c); d; d = dp_node_next(d)) {
                    jw_raw(&p->w, dfirst ? "" : ",");
                    dfirst = 0;
                    pw_block_list(p, dp_node_first_child(d));
                }
            jw_raw(&p->w, "]]");
        }
    }
    jw_raw(&p->w, "]");
    jw_raw(&p->w, "}");
}

static const dp_node *lone_image(const dp_node *figure, const dp_node **cap)
{
    const dp_node *img = NULL, *c;
    int blocks_seen = 0;
    *cap = NULL;
    for (c = dp_node_first_child(figure); c; c = dp_node_next(c)) {
        if (dp_node_kind(c) == DP_CAPTION) {
            *cap = c;
            continue;
        }
        blocks_seen++;
        if ((dp_node_kind(c) == DP_PARA || dp_node_kind(c) == DP_PLAIN) && dp_node_first_child(c) &&
            !dp_node_next(dp_node_first_child(c)) && dp_node_kind(dp_node_first_child(c)) == DP_IMAGE)
            img = dp_node_first_child(c);
    }
    return blocks_seen == 1 ? img : NULL;
}

static void block_one(pw *p, const dp_node *n);

/* the figure's blocks, its caption left out */
static void figure_blocks(pw *p, const dp_node *n, int caption_as_div)
{
    int first = 1;
    jw_raw(&p->w, "[");
    for (const dp_node *c = dp_node_first_child(n); c; c = dp_node_next(c)) {
        if (dp_node_kind(c) == DP_CAPTION && !caption_as_div)
            continue;
        if (!first)
            jw_raw(&p->w, ",");
        first = 0;
        if (dp_node_kind(c) == DP_CAPTION) {
            pw_tag_c(p, "Div");
            jw_raw(&p->w, "[[\"\",[\"caption\"],[]],");
            pw_block_list(p, dp_node_first_child(c));
            jw_raw(&p->w, "]}");
        } else {
            block_one(p, c);
        }
    }
    jw_raw(&p->w, "]");
}

static void figure(pw *p, const dp_node *n)
{
    const dp_node *cap, *img = lone_image(n, &cap);
    if (p->api >= 23) {
        pw_tag_c(p, "Figure");
        jw_raw(&p->w, "[");
        pw_attr(p, n);
        jw_raw(&p->w, ",");
        pw_caption(p, cap);
        jw_raw(&p->w, ",");
        figure_blocks(p, n, 0);
        jw_raw(&p->w, "]}");
        return;
    }
    if (img && !dp_node_id(n) && !dp_node_class_count(n) && !dp_node_attr_count(n)) {
        /* 1.22: the implicit figure (the image's attributes carry the id) */
        pw_tag_c(p, "Para");
        jw_raw(&p->w, "[");
        pw_tag_c(p, "Image");
        jw_raw(&p->w, "[");
        pw_attr(p, img);
        jw_raw(&p->w, ",");
        if (cap && dp_node_first_child(cap) && dp_node_first_child(dp_node_first_child(cap)))
            pw_inline_list(p, dp_node_first_child(dp_node_first_child(cap)));
        else
            pw_inline_list(p, dp_node_first_child(img));
        pw_target(p, img, "fig:");
        jw_raw(&p->w, "]}]}");
        return;
    }
    dp_warn_node(p->ctx, n, "pandoc-types 1.22 has no Figure: written as a Div with class \"figure\"");
    pw_tag_c(p, "Div");
    jw_raw(&p->w, "[[");
    jw_cstr(&p->w, dp_node_id(n) ? dp_node_id(n) : "");
    jw_raw(&p->w, ",[\"figure\"],[]],");
    figure_blocks(p, n, 1);
    jw_raw(&p->w, "]}");
}

static void line_block(pw *p, const dp_node *n)
{
    int first = 1;
    pw_tag_c(p, "LineBlock");
    jw_raw(&p->w, "[");
    for (const dp_node *l = dp_node_first_child(n); l; l = dp_node_next(l)) {
        if (!first)
            jw_raw(&p->w, ",");
        first = 0;
        pw_inline_list(p, dp_node_first_child(l));
    }
    jw_raw(&p->w, "]}");
}

static void block_one(pw *p, const dp_node *n)
{
    switch (dp_node_kind(n)) {
    case DP_PARA:
    case DP_PLAIN:
        pw_tag_c(p, dp_node_kind(n) == DP_PARA ? "Para" : "Plain");
        pw_inline_list(p, dp_node_first_child(n));
        jw_raw(&p->w, "}");
        break;
    case DP_LINE_BLOCK: line_block(p, n); break;
    case DP_CODE_BLOCK:
    case DP_RAW_BLOCK:
        if (dp_node_kind(n) == DP_CODE_BLOCK) {
            pw_tag_c(p, "CodeBlock");
            jw_raw(&p->w, "[");
            pw_attr(p, n);
        } else {
            pw_tag_c(p, "RawBlock");
            jw_raw(&p->w, "[");
            jw_cstr(&p->w, dp_node_format(n));
        }
        jw_raw(&p->w, ",");
        jw_str(&p->w, dp_node_text(n), dp_node_text_len(n));
        jw_raw(&p->w, "]}");
        break;
    case DP_BLOCK_QUOTE:
        pw_tag_c(p, "BlockQuote");
        pw_block_list(p, dp_node_first_child(n));
        jw_raw(&p->w, "}");
        break;
    case DP_LIST:
        if (dp_node_list_type(n) == DP_LIST_ORDERED) {
            ordered_list(p, n);
        } else {
            pw_tag_c(p, "BulletList");
            list_items(p, n);
            jw_raw(&p->w, "}");
        }
        break;
    case DP_DEF_LIST: def_list(p, n); break;
    case DP_HEADING:
        pw_tag_c(p, "Header");
        jw_raw(&p->w, "[");
        jw_int(&p->w, dp_node_heading_level(n));
        jw_raw(&p->w, ",");
        pw_attr(p, n);
        jw_raw(&p->w, ",");
        pw_inline_list(p, dp_node_first_child(n));
        jw_raw(&p->w, "]}");
        break;
    case DP_THEMATIC_BREAK: pw_tag(p, "HorizontalRule"); jw_raw(&p->w, "}"); break;
    case DP_TABLE: pw_table(p, n); break;
    case DP_FIGURE: figure(p, n); break;
    case DP_DIV: pw_attr_container(p, "Div", n, 1); break;
    case DP_PAGE_BREAK: pw_stand_in(p, n, "pagebreak", 1, &p->warned_page, "page break"); break;
    default: pw_stand_in(p, n, "custom", 1, &p->warned_custom, "custom element"); break;
    }
}

void pw_blocks(pw *p, const dp_node *n)
{
    int first = 1;
    for (; n; n = dp_node_next(n)) {
        if (!first)
            jw_raw(&p->w, ",");
        first = 0;
        block_one(p, n);
    }
}
