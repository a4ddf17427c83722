/* Markdown -> document tree, with cmark-gfm.
 *
 * cmark-gfm parses (CommonMark + GFM tables, strikethrough, autolinks, task
 * lists, footnotes); md_read_walk.c walks its tree once, iteratively,
 * building the docpipe tree. Footnote references become DP_NOTE nodes
 * holding the definition's blocks, labelled as the reference is written
 * ("[^*]" gives label "*"; md_read_notes.c). Raw HTML stays raw, except that
 * single-tag <span ...> ... </span> pairs inside one inline container become
 * DP_SPAN and <div ...> ... </div> block pairs become DP_DIV, with their
 * attributes. This file: options, front matter, the parse, clean-up. */
#include <stdlib.h>
#include <string.h>

#include "md_math.h"
#include "md_read.h"
#include "resload.h"

int md_import(dp_ctx *ctx, const dp_input *in, dp_doc **out)
{
    md_reader r;
    cmark_parser *parser = NULL;
    cmark_node *root = NULL;
    dp_doc *doc = NULL;
    char *clean = NULL;
    size_t clean_len = 0;
    int rc;
    const dp_limits *lim = dp_ctx_limits(ctx);

    memset(&r, 0, sizeof r);
    *out = NULL;
    r.ctx = ctx;
    r.path = in->path ? in->path : "-";
    r.html_pairs = dp_opt_bool(ctx, "html-spans");
    r.tagfilter = dp_opt_bool(ctx, "tagfilter");
    r.math = !dp_opt_string(ctx, "math") || strcmp(dp_opt_string(ctx, "math"), "false") != 0;
    r.max_depth = lim && lim->max_depth > 0 ? lim->max_depth : 256;

    rc = mdr_sanitize_input(ctx, r.path, in->data, in->len, &clean, &clean_len);
    if (rc < 0) {
        rc = mdr_fail_nomem(&r);
        goto cleanup;
    }

    rc = dp_doc_new(&doc);
    if (rc < 0) {
        rc = dp_fail(ctx, rc, r.path, 0, 0, "out of memory");
        goto cleanup;
    }
    r.doc = doc;

    const char *text = clean ? clean : (const char *)in->data;
    size_t len = clean_len;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    r.src = text;
    r.src_len = len;
    if (dp_opt_bool(ctx, "front-matter")) {
        const char *body;
        rc = md_front_matter_read(ctx, r.path, text, len, doc, &body, &r.line_offset);
        if (rc < 0)
            goto cleanup;
        r.src = body;
        r.src_len = len - (size_t)(body - text);
    }
    mdr_index_lines(&r);
    if (!r.line_starts) {
        rc = mdr_fail_nomem(&r);
        goto cleanup;
    }

    /* No CMARK_OPT_VALIDATE_UTF8: sanitize_input has already made the text
     * valid UTF-8 without NUL, and cmark's second pass over it cost 6 % of
     * a Markdown-to-HTML conversion. */
    int options = CMARK_OPT_SOURCEPOS;
    if (dp_opt_bool(ctx, "footnotes"))
        options |= CMARK_OPT_FOOTNOTES;
    if (dp_opt_bool(ctx, "smart"))
        options |= CMARK_OPT_SMART;
    parser = cmark_parser_new(options);
    if (!parser) {
        rc = mdr_fail_nomem(&r);
        goto cleanup;
    }
    static const char *const exts[] = MD_EXTENSIONS;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(exts[i]);
        if (!ext || !cmark_parser_attach_syntax_extension(parser, ext)) {
            rc = dp_fail(ctx, DP_EPLUGIN, NULL, 0, 0, "cmark-gfm extension '%s' is not available", exts[i]);
            goto cleanup;
        }
    }
    if (r.math && (!md_math_extension() || !cmark_parser_attach_syntax_extension(parser, md_math_extension()))) {
        rc = dp_fail(ctx, DP_EPLUGIN, NULL, 0, 0, "the math syntax extension is not available");
        goto cleanup;
    }
    root = md_cmark_parse(parser, r.src, r.src_len);
    if (!root) {
        rc = mdr_fail_nomem(&r);
        goto cleanup;
    }
    rc = mdr_collect_defs(&r, root);
    if (rc < 0)
        goto cleanup;
    rc = mdr_convert_children(&r, root, dp_doc_root(doc));
    if (rc < 0)
        goto cleanup;
    if (mdr_warn_unused_defs(&r) < 0) {
        rc = mdr_fail_nomem(&r);
        goto cleanup;
    }
    dp_doc_normalize(doc);
    /* local images and the cover-image into resources (plugins/resload) */
    rc = resload_from_options(ctx, doc);
    if (rc < 0)
        goto cleanup;
    *out = doc;
    doc = NULL;

cleanup:
    if (root)
        cmark_node_free(root);
    if (parser)
        cmark_parser_free(parser);
    for (size_t i = 0; i < r.ndefs && r.def_labels; i++)
        free(r.def_labels[i]);
    free(r.def_labels);
    free(r.def_active);
    free(r.defs);
    free(r.stack);
    free(r.origin);
    free(r.line_starts);
    free(clean);
    dp_doc_free(doc);
    return rc;
}
