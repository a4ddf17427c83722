/* The tree as pandoc's JSON AST (pandoc-types 1.22 or 1.23; docs/formats/
 * pandoc-json.md has the mapping): the document's frame, its metadata, and
 * the pieces every element uses (tags, pandoc's Attr). Inlines are
 * pandoc_write_inline.c, blocks pandoc_write_block.c, tables
 * pandoc_write_table.c. Text runs are split back into Str, Space and
 * SoftBreak; attributes become pandoc's [id, classes, key/values] with lang
 * among the key/values; what pandoc has no element for is written as the
 * nearest Span/Div and reported.
 *
 * The walk recurses: trees are at most max-depth deep (dp_doc_check and every
 * reader enforce it), a few hundred bytes of stack per level. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pandoc_write_priv.h"

void pw_tag(pw *p, const char *t)
{
    jw_raw(&p->w, "{\"t\":\"");
    jw_raw(&p->w, t);
    jw_raw(&p->w, "\"");
}

/* {"t":T,"c": ... the caller writes the contents and closes with "}" */
void pw_tag_c(pw *p, const char *t)
{
    pw_tag(p, t);
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
        pw_inline_list(p, dp_node_first_child(dp_meta_nodes(m)));
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
