/* The tree as pandoc's JSON AST (pandoc-types 1.22 or 1.23; docs/formats/
 * pandoc-json.md has the mapping). Text runs are split back into Str, Space
 * and SoftBreak; attributes become pandoc's [id, classes, key/values] with
 * lang among the key/values; what pandoc has no element for is written as
 * the nearest Span/Div and reported.
 *
 * The walk recurses: trees are at most max-depth deep (dp_doc_check and every
 * reader enforce it), a few hundred bytes of stack per level. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pandoc_write_priv.h"


static void blocks(pw *p, const dp_node *first);
static void inlines(pw *p, const dp_node *first);

static void tag(pw *p, const char *t)
{
    jw_raw(&p->w, "{\"t\":\"");
    jw_raw(&p->w, t);
    jw_raw(&p->w, "\"");
}

/* {"t":T,"c": ... the caller writes the contents and closes with "}" */
void pw_tag_c(pw *p, const char *t)
{
    tag(p, t);
    jw_raw(&p->w, ",\"c\":");
}

static void attr_kv(pw *p, const char *k, const char *v, int *first)
{
    jw_raw(&p->w, *first ? "[" : ",[");
    jw_cstr(&p->w, k);
    jw_raw(&p->w, ",");
    jw_cstr(&p->w, v);
    jw_raw(&p->w, "]");
    *first = 0;
}

/* pandoc's Attr: [id, [classes], [[key, value]]]; lang is a key there. */
void pw_attr(pw *p, const dp_node *n)
{
    int i, first = 1;
    const char *lang = n ? dp_node_lang(n) : NULL;
    jw_raw(&p->w, "[");
    jw_cstr(&p->w, n && dp_node_id(n) ? dp_node_id(n) : "");
    jw_raw(&p->w, ",[");
    for (i = 0; n && i < dp_node_class_count(n); i++) {
        if (i)
            jw_raw(&p->w, ",");
        jw_cstr(&p->w, dp_node_class_at(n, i));
    }
    jw_raw(&p->w, "],[");
    for (i = 0; n && i < dp_node_attr_count(n); i++)
        attr_kv(p, dp_node_attr_key_at(n, i), dp_node_attr_value_at(n, i), &first);
    if (lang)
        attr_kv(p, "lang", lang, &first);
    jw_raw(&p->w, "]]");
}

/* A text run as Str / Space / SoftBreak elements (pandoc never puts a space
 * in a Str). Other whitespace (no-break spaces, tabs) stays in the Str. */
static void text_run(pw *p, const char *s, size_t len, int *first)
{
    size_t i = 0;
    while (i < len) {
        if (!*first)
            jw_raw(&p->w, ",");
        *first = 0;
        if (s[i] == ' ') {
            tag(p, "Space");
            jw_raw(&p->w, "}");
            while (i < len && s[i] == ' ')
                i++;
        } else if (s[i] == '\n') {
            tag(p, "SoftBreak");
            jw_raw(&p->w, "}");
            i++;
        } else {
            size_t j = i;
            while (j < len && s[j] != ' ' && s[j] != '\n')
                j++;
            pw_tag_c(p, "Str");
            jw_str(&p->w, s + i, j - i);
            jw_raw(&p->w, "}");
            i = j;
        }
    }
}

static void inline_list(pw *p, const dp_node *first_child)
{
    jw_raw(&p->w, "[");
    inlines(p, first_child);
    jw_raw(&p->w, "]");
}

void pw_block_list(pw *p, const dp_node *first_child)
{
    jw_raw(&p->w, "[");
    blocks(p, first_child);
    jw_raw(&p->w, "]");
}

static void target(pw *p, const dp_node *n, const char *title_prefix)
{
    char buf[16];
    jw_raw(&p->w, ",[");
    jw_cstr(&p->w, dp_node_url(n) ? dp_node_url(n) : "");
    jw_raw(&p->w, ",");
    if (title_prefix) {
        dp_buf *t = NULL;
        snprintf(buf, sizeof buf, "%s", title_prefix);
        if (dp_buf_new(&t) == 0) {
            dp_buf_puts(t, buf);
            if (dp_node_title(n))
                dp_buf_puts(t, dp_node_title(n));
            jw_str(&p->w, (const char *)dp_buf_data(t), dp_buf_len(t));
            dp_buf_free(t);
        } else {
            p->w.rc = DP_ENOMEM;
        }
    } else {
        jw_cstr(&p->w, dp_node_title(n) ? dp_node_title(n) : "");
    }
    jw_raw(&p->w, "]");
}

/* Span and Div: [Attr, children] */
static void attr_container(pw *p, const char *t, const dp_node *n, int block)
{
    pw_tag_c(p, t);
    jw_raw(&p->w, "[");
    pw_attr(p, n);
    jw_raw(&p->w, ",");
    if (block)
        pw_block_list(p, dp_node_first_child(n));
    else
        inline_list(p, dp_node_first_child(n));
    jw_raw(&p->w, "]}");
}

static void citation_text(pw *p, const char *s)
{
    int first = 1;
    jw_raw(&p->w, "[");
    if (s)
        text_run(p, s, strlen(s), &first);
    jw_raw(&p->w, "]");
}

static void cite(pw *p, const dp_node *n)
{
    static const char *const modes[] = {"NormalCitation", "AuthorInText", "SuppressAuthor"};
    int i;
    pw_tag_c(p, "Cite");
    jw_raw(&p->w, "[[");
    for (i = 0; i < dp_node_citation_count(n); i++) {
        const dp_citation *c = dp_node_citation_at(n, i);
        if (i)
            jw_raw(&p->w, ",");
        jw_raw(&p->w, "{\"citationId\":");
        jw_cstr(&p->w, c->id);
        jw_raw(&p->w, ",\"citationPrefix\":");
        citation_text(p, c->prefix);
        jw_raw(&p->w, ",\"citationSuffix\":");
        citation_text(p, c->suffix);
        jw_raw(&p->w, ",\"citationMode\":{\"t\":\"");
        jw_raw(&p->w, modes[c->mode <= DP_CITE_SUPPRESS_AUTHOR ? c->mode : 0]);
        jw_raw(&p->w, "\"},\"citationNoteNum\":");
        jw_int(&p->w, 0); /* pandoc numbers citations itself; the tree keeps no number */
        jw_raw(&p->w, ",\"citationHash\":0}");
    }
    jw_raw(&p->w, "],");
    inline_list(p, dp_node_first_child(n));
    jw_raw(&p->w, "]}");
}

/* A kind pandoc has no element for: a Span (inline) or Div (block) with a
 * class naming it, reported once per kind. */
static void stand_in(pw *p, const dp_node *n, const char *cls, int block, int *warned, const char *what)
{
    if (!*warned)
        dp_warn_node(p->ctx, n, "pandoc has no %s: written as a %s with class \"%s\"", what,
                     block ? "Div" : "Span", cls);
    *warned = 1;
    pw_tag_c(p, block ? "Div" : "Span");
    jw_raw(&p->w, "[[");
    jw_cstr(&p->w, dp_node_id(n) ? dp_node_id(n) : "");
    jw_raw(&p->w, ",[");
    jw_cstr(&p->w, cls);
    jw_raw(&p->w, "],[");
    if (dp_node_kind(n) == DP_PAGE_BREAK && dp_node_label(n)) {
        jw_raw(&p->w, "[\"n\",");
        jw_cstr(&p->w, dp_node_label(n));
        jw_raw(&p->w, "]");
    } else if (dp_node_kind(n) == DP_CUSTOM) {
        jw_raw(&p->w, "[\"custom\",");
        jw_cstr(&p->w, dp_node_custom_name(n));
        jw_raw(&p->w, "]");
    }
    jw_raw(&p->w, "]],");
    if (block)
        pw_block_list(p, dp_node_first_child(n));
    else
        inline_list(p, dp_node_first_child(n));
    jw_raw(&p->w, "]}");
}

static const char *simple_inline(dp_kind k)
{
    switch (k) {
    case DP_EMPH: return "Emph";
    case DP_STRONG: return "Strong";
    case DP_UNDERLINE: return "Underline";
    case DP_STRIKEOUT: return "Strikeout";
    case DP_SUPERSCRIPT: return "Superscript";
    case DP_SUBSCRIPT: return "Subscript";
    case DP_SMALL_CAPS: return "SmallCaps";
    default: return NULL;
    }
}

static void one_inline(pw *p, const dp_node *n, int *first)
{
    dp_kind k = dp_node_kind(n);
    const char *simple = simple_inline(k);
    if (k == DP_TEXT) {
        text_run(p, dp_node_text(n), dp_node_text_len(n), first);
        return;
    }
    if (!*first)
        jw_raw(&p->w, ",");
    *first = 0;
    if (simple) {
        pw_tag_c(p, simple);
        inline_list(p, dp_node_first_child(n));
        jw_raw(&p->w, "}");
        return;
    }
    switch (k) {
    case DP_SOFT_BREAK: tag(p, "SoftBreak"); jw_raw(&p->w, "}"); break;
    case DP_LINE_BREAK: tag(p, "LineBreak"); jw_raw(&p->w, "}"); break;
    case DP_QUOTED:
        pw_tag_c(p, "Quoted");
        jw_raw(&p->w, dp_node_quote(n) == DP_QUOTE_SINGLE ? "[{\"t\":\"SingleQuote\"}," : "[{\"t\":\"DoubleQuote\"},");
        inline_list(p, dp_node_first_child(n));
        jw_raw(&p->w, "]}");
        break;
    case DP_CITE: cite(p, n); break;
    case DP_CODE:
        pw_tag_c(p, "Code");
        jw_raw(&p->w, "[");
        pw_attr(p, n);
        jw_raw(&p->w, ",");
        jw_str(&p->w, dp_node_text(n), dp_node_text_len(n));
        jw_raw(&p->w, "]}");
        break;
    case DP_MATH:
        if (dp_node_format(n) && strcmp(dp_node_format(n), "mathml") == 0) {
            if (!p->warned_mathml)
                dp_warn_node(p->ctx, n, "pandoc's Math holds TeX: MathML written as RawInline html");
            p->warned_mathml = 1;
            pw_tag_c(p, "RawInline");
            jw_raw(&p->w, "[\"html\",");
        } else {
            pw_tag_c(p, "Math");
            jw_raw(&p->w, dp_node_math_display(n) ? "[{\"t\":\"DisplayMath\"}," : "[{\"t\":\"InlineMath\"},");
        }
        jw_str(&p->w, dp_node_text(n), dp_node_text_len(n));
        jw_raw(&p->w, "]}");
        break;
    case DP_RAW_INLINE:
        pw_tag_c(p, "RawInline");
        jw_raw(&p->w, "[");
        jw_cstr(&p->w, dp_node_format(n));
        jw_raw(&p->w, ",");
        jw_str(&p->w, dp_node_text(n), dp_node_text_len(n));
        jw_raw(&p->w, "]}");
        break;
    case DP_LINK:
    case DP_IMAGE:
        pw_tag_c(p, k == DP_LINK ? "Link" : "Image");
        jw_raw(&p->w, "[");
        pw_attr(p, n);
        jw_raw(&p->w, ",");
        inline_list(p, dp_node_first_child(n));
        target(p, n, NULL);
        jw_raw(&p->w, "]}");
        break;
    case DP_NOTE:
        pw_tag_c(p, "Note");
        pw_block_list(p, dp_node_first_child(n));
        jw_raw(&p->w, "}");
        break;
    case DP_SPAN: attr_container(p, "Span", n, 0); break;
    case DP_PAGE_BREAK: stand_in(p, n, "pagebreak", 0, &p->warned_page, "page break"); break;
    default: stand_in(p, n, "custom", 0, &p->warned_custom, "custom element"); break;
    }
}

static void inlines(pw *p, const dp_node *n)
{
    int first = 1;
    for (; n; n = dp_node_next(n))
        one_inline(p, n, &first);
}

/* ---- blocks ---- */

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
        blocks(p, dp_node_first_child(it));
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
            inline_list(p, dp_node_first_child(c));
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
            inline_list(p, dp_node_first_child(dp_node_first_child(cap)));
        else
            inline_list(p, dp_node_first_child(img));
        target(p, img, "fig:");
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
        inline_list(p, dp_node_first_child(l));
    }
    jw_raw(&p->w, "]}");
}

static void block_one(pw *p, const dp_node *n)
{
    switch (dp_node_kind(n)) {
    case DP_PARA:
    case DP_PLAIN:
        pw_tag_c(p, dp_node_kind(n) == DP_PARA ? "Para" : "Plain");
        inline_list(p, dp_node_first_child(n));
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
        inline_list(p, dp_node_first_child(n));
        jw_raw(&p->w, "]}");
        break;
    case DP_THEMATIC_BREAK: tag(p, "HorizontalRule"); jw_raw(&p->w, "}"); break;
    case DP_TABLE: pw_table(p, n); break;
    case DP_FIGURE: figure(p, n); break;
    case DP_DIV: attr_container(p, "Div", n, 1); break;
    case DP_PAGE_BREAK: stand_in(p, n, "pagebreak", 1, &p->warned_page, "page break"); break;
    default: stand_in(p, n, "custom", 1, &p->warned_custom, "custom element"); break;
    }
}

static void blocks(pw *p, const dp_node *n)
{
    int first = 1;
    for (; n; n = dp_node_next(n)) {
        if (!first)
            jw_raw(&p->w, ",");
        first = 0;
        block_one(p, n);
    }
}

/* ---- metadata ---- */

/* Metadata nests at most the reader's/config's depth caps (64 levels). */
static void meta_value(pw *p, const dp_meta *m)
{
    size_t i;
    switch (dp_meta_get_type(m)) {
    case DP_META_MAP:
        pw_tag_c(p, "MetaMap");
        jw_raw(&p->w, "{");
        for (i = 0; i < dp_meta_map_count(m); i++) {
            if (i)
                jw_raw(&p->w, ",");
            jw_cstr(&p->w, dp_meta_map_key_at(m, i));
            jw_raw(&p->w, ":");
            meta_value(p, dp_meta_map_value_at(m, i));
        }
        jw_raw(&p->w, "}}");
        break;
    case DP_META_LIST:
        pw_tag_c(p, "MetaList");
        jw_raw(&p->w, "[");
        for (i = 0; i < dp_meta_len(m); i++) {
            if (i)
                jw_raw(&p->w, ",");
            meta_value(p, dp_meta_at(m, i));
        }
        jw_raw(&p->w, "]}");
        break;
    case DP_META_STRING:
        pw_tag_c(p, "MetaString");
        jw_cstr(&p->w, dp_meta_string(m));
        jw_raw(&p->w, "}");
        break;
    case DP_META_BOOL:
        pw_tag_c(p, "MetaBool");
        jw_bool(&p->w, dp_meta_bool(m));
        jw_raw(&p->w, "}");
        break;
    case DP_META_INLINES:
        pw_tag_c(p, "MetaInlines");
        inline_list(p, dp_node_first_child(dp_meta_nodes(m)));
        jw_raw(&p->w, "}");
        break;
    case DP_META_BLOCKS:
        pw_tag_c(p, "MetaBlocks");
        pw_block_list(p, dp_node_first_child(dp_meta_nodes(m)));
        jw_raw(&p->w, "}");
        break;
    }
}

int pandoc_write_json(dp_ctx *ctx, const dp_doc *doc, int api, dp_buf *out)
{
    const dp_meta *meta = dp_doc_meta(doc);
    pw p;
    size_t i;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.w.out = out;
    p.api = api;
    jw_raw(&p.w, api >= 23 ? "{\"pandoc-api-version\":[1,23,1],\"meta\":{"
                           : "{\"pandoc-api-version\":[1,22,2,1],\"meta\":{");
    for (i = 0; i < dp_meta_map_count(meta); i++) {
        if (i)
            jw_raw(&p.w, ",");
        jw_cstr(&p.w, dp_meta_map_key_at(meta, i));
        jw_raw(&p.w, ":");
        meta_value(&p, dp_meta_map_value_at(meta, i));
    }
    jw_raw(&p.w, "},\"blocks\":");
    pw_block_list(&p, dp_node_first_child(dp_doc_root(doc)));
    jw_raw(&p.w, "}\n");
    if (dp_doc_resource_count(doc))
        dp_info(ctx, "pandoc's JSON has no resources: %zu embedded file(s) not written (images keep their paths)",
                dp_doc_resource_count(doc));
    if (p.w.replaced)
        dp_warn(ctx, "invalid UTF-8 written as U+FFFD");
    return p.w.rc ? dp_fail(ctx, p.w.rc, NULL, 0, 0, "out of memory writing pandoc JSON") : 0;
}

int pandoc_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out)
{
    const char *api = dp_opt_string(ctx, "pandoc-api");
    return pandoc_write_json(ctx, doc, api && strcmp(api, "1.22") == 0 ? 22 : 23, out);
}
