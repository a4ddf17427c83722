/* The pandoc-json writer's inlines: text runs split into Str, Space and
 * SoftBreak, links and images with their targets, citations, Span, and the
 * stand-ins for kinds pandoc has no element for (reported once per kind).
 * Split from pandoc_write.c by job; blocks are pandoc_write_block.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pandoc_write_priv.h"

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
            pw_tag(p, "Space");
            jw_raw(&p->w, "}");
            while (i < len && s[i] == ' ')
                i++;
        } else if (s[i] == '\n') {
            pw_tag(p, "SoftBreak");
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

void pw_inline_list(pw *p, const dp_node *first_child)
{
    jw_raw(&p->w, "[");
    pw_inlines(p, first_child);
    jw_raw(&p->w, "]");
}

void pw_target(pw *p, const dp_node *n, const char *title_prefix)
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
void pw_attr_container(pw *p, const char *t, const dp_node *n, int block)
{
    pw_tag_c(p, t);
    jw_raw(&p->w, "[");
    pw_attr(p, n);
    jw_raw(&p->w, ",");
    if (block)
        pw_block_list(p, dp_node_first_child(n));
    else
        pw_inline_list(p, dp_node_first_child(n));
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
    pw_inline_list(p, dp_node_first_child(n));
    jw_raw(&p->w, "]}");
}

/* A kind pandoc has no element for: a Span (inline) or Div (block) with a
 * class naming it, reported once per kind. */
void pw_stand_in(pw *p, const dp_node *n, const char *cls, int block, int *warned, const char *what)
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
        pw_inline_list(p, dp_node_first_child(n));
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
        pw_inline_list(p, dp_node_first_child(n));
        jw_raw(&p->w, "}");
        return;
    }
    switch (k) {
    case DP_SOFT_BREAK: pw_tag(p, "SoftBreak"); jw_raw(&p->w, "}"); break;
    case DP_LINE_BREAK: pw_tag(p, "LineBreak"); jw_raw(&p->w, "}"); break;
    case DP_QUOTED:
        pw_tag_c(p, "Quoted");
        jw_raw(&p->w, dp_node_quote(n) == DP_QUOTE_SINGLE ? "[{\"t\":\"SingleQuote\"}," : "[{\"t\":\"DoubleQuote\"},");
        pw_inline_list(p, dp_node_first_child(n));
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
        pw_inline_list(p, dp_node_first_child(n));
        pw_target(p, n, NULL);
        jw_raw(&p->w, "]}");
        break;
    case DP_NOTE:
        pw_tag_c(p, "Note");
        pw_block_list(p, dp_node_first_child(n));
        jw_raw(&p->w, "}");
        break;
    case DP_SPAN: pw_attr_container(p, "Span", n, 0); break;
    case DP_PAGE_BREAK: pw_stand_in(p, n, "pagebreak", 0, &p->warned_page, "page break"); break;
    default: pw_stand_in(p, n, "custom", 0, &p->warned_custom, "custom element"); break;
    }
}

void pw_inlines(pw *p, const dp_node *n)
{
    int first = 1;
    for (; n; n = dp_node_next(n))
        one_inline(p, n, &first);
}
