/* The HTML exporter: a standalone HTML5 page (or a fragment) built with the
 * shared (X)HTML writer (plugins/xhtml/write) and libxml2's HTML serialiser. */
#include "xmlu_chars.h"
#include "xmlu_init.h"
#include "html_writer.h"
#include "xhtml_style.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The stylesheet: a link, or (embed-css) its text in <style>. The text comes
 * from a document resource of that name, else from the file. */
static int add_css(dp_ctx *ctx, xw_writer *w, const dp_doc *doc, xmlNodePtr head, const char *css)
{
    xmlNodePtr el;
    if (dp_opt_bool(ctx, "embed-css")) {
        const dp_resource *res = dp_doc_resource_find(doc, css);
        dp_buf *text = NULL;
        int rc;
        if (res) {
            el = xw_elem(w, head, "style");
            if (!el)
                return DP_ENOMEM;
            xmlNodeAddContentLen(el, res->data, (int)res->len);
        } else {
            FILE *f = fopen(css, "rb");
            char chunk[8192];
            size_t got;
            if (!f)
                return dp_fail(ctx, DP_EINPUT, css, 0, 0, "embed-css: cannot read the stylesheet");
            rc = dp_buf_new(&text);
            while (rc == 0 && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
                rc = dp_buf_append(text, chunk, got);
            fclose(f);
            el = rc == 0 ? xw_elem(w, head, "style") : NULL;
            if (el)
                xmlNodeAddContentLen(el, dp_buf_data(text), (int)dp_buf_len(text));
            dp_buf_free(text);
            if (!el)
                return rc ? rc : DP_ENOMEM;
        }
    } else {
        el = xw_elem(w, head, "link");
        if (!el)
            return DP_ENOMEM;
        xmlSetProp(el, BAD_CAST "rel", BAD_CAST "stylesheet");
        const char *href = dp_ctx_resource_url(ctx, doc, css); /* a stylesheet among the resources */
        if (!href)
            return DP_ENOMEM;
        xmlSetProp(el, BAD_CAST "href", BAD_CAST href);
    }
    xmlAddChild(head, xmlNewDocText(head->doc, BAD_CAST "\n"));
    return 0;
}

/* The default stylesheet (plugins/xhtml/style/docpipe.css), embedded so the
 * page reads well on its own. Written before the metadata's css links, so
 * that a stylesheet given with --css overrides it rule by rule. */
static int add_default_css(xw_writer *w, xmlNodePtr head, xw_flavour flavour)
{
    size_t len = 0;
    const char *sheet = xs_default_css(XS_SHEET_HTML, &len);
    xmlNodePtr el = xw_elem(w, head, "style");
    if (!el)
        return DP_ENOMEM;
    /* XHTML 1.1 requires the type (HTML5 would call it needless) */
    if (flavour == XW_XHTML11)
        xmlSetProp(el, BAD_CAST "type", BAD_CAST "text/css");
    xmlNodeAddContentLen(el, BAD_CAST "\n", 1);
    xmlNodeAddContentLen(el, BAD_CAST sheet, (int)len);
    xmlAddChild(head, xmlNewDocText(head->doc, BAD_CAST "\n"));
    return 0;
}

/* Where the notes go: notes=section writes the notes of each part before
 * the next top-level heading (the end of the section they belong to),
 * notes=chapter before the next heading of the document's highest level;
 * end (and inline, whose leftovers these are) leaves them all for the end. */
static int render_notes_by_part(dp_ctx *ctx, xw_writer *w, const dp_node *root, xmlNodePtr body)
{
    const char *notes = dp_opt_string(ctx, "notes");
    xw_notes_at at = !notes                           ? XW_NOTES_AT_END
                     : strcmp(notes, "section") == 0 ? XW_NOTES_AT_SECTION
                     : strcmp(notes, "chapter") == 0 ? XW_NOTES_AT_CHAPTER
                                                     : XW_NOTES_AT_END;
    return xw_render_blocks_notes_at(w, dp_node_first_child(root), NULL, body, at);
}

int html_render_body_blocks(dp_ctx *ctx, xw_writer *w, const dp_doc *doc, xmlNodePtr body)
{
    int rc = render_notes_by_part(ctx, w, dp_doc_root(doc), body);
    /* every note not yet written (all of them, or with notes: inline those
     * whose block could not hold an aside) */
    if (rc == 0)
        rc = xw_render_endnotes(w, 0, XW_ALL, body);
    return rc;
}

static int render_body(dp_ctx *ctx, xw_writer *w, const dp_doc *doc, xmlNodePtr body, int standalone)
{
    int rc = 0;
    if (standalone && dp_opt_bool(ctx, "title-block"))
        rc = xw_render_title_block(w, body);
    if (rc == 0 && dp_opt_bool(ctx, "toc"))
        rc = xw_render_toc(w, body, (int)dp_opt_int(ctx, "toc-depth"), dp_opt_string(ctx, "toc-title"));
    if (rc == 0)
        rc = html_render_body_blocks(ctx, w, doc, body);
    return rc;
}

/* -O math-script=URL: MathJax's or KaTeX's script, for pages whose math
 * they render (with math=tex, or MathML for older browsers). */
static int add_math_script(xw_writer *w, xmlNodePtr head, const char *url)
{
    xmlNodePtr el = xw_elem(w, head, "script");
    if (!el)
        return DP_ENOMEM;
    xmlSetProp(el, BAD_CAST "src", BAD_CAST url);
    xmlNodeAddContentLen(el, BAD_CAST "", 0);
    return 0;
}

/* HTML forbids controls and noncharacters that the tree may hold (a C1
 * control carried from a windows-1252 source, say): removed or replaced in
 * the finished page, with one warning that says where. */
int html_drop_forbidden_chars(dp_ctx *ctx, xmlDocPtr page)
{
    return xmlu_drop_forbidden_chars(ctx, page, "html", XMLU_CHARS_HTML) == (size_t)-1 ? DP_ENOMEM : 0;
}

static int html_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out)
{
    xw_options o = XW_OPTIONS_INIT;
    xw_writer *w = NULL;
    xmlDocPtr page = NULL;
    xmlNodePtr head = NULL, body = NULL;
    const char *notes = dp_opt_string(ctx, "notes");
    const char *css = dp_opt_string(ctx, "css");
    const char *template = dp_opt_string(ctx, "template");
    int standalone = !dp_opt_bool(ctx, "fragment");
    const char *syntax = dp_opt_string(ctx, "syntax");
    xw_flavour flavour = syntax && strcmp(syntax, "xhtml") == 0     ? XW_XHTML
                            : syntax && strcmp(syntax, "xhtml11") == 0 ? XW_XHTML11
                                                                       : XW_HTML5;
    int rc;

    if (dp_opt_bool(ctx, "print-template"))
        return dp_buf_puts(out, html_default_template);
    o.flavour = flavour;
    o.id_prefix = dp_opt_string(ctx, "id-prefix");
    o.number_sections = dp_opt_bool(ctx, "number-sections");
    o.section_divs = dp_opt_bool(ctx, "section-divs");
    o.inline_notes = notes && strcmp(notes, "inline") == 0;
    o.safe = dp_opt_bool(ctx, "safe");
    o.place_resources = 1;
    o.math_tex = dp_opt_string(ctx, "math") && strcmp(dp_opt_string(ctx, "math"), "tex") == 0;
    const char *math_script = dp_opt_string(ctx, "math-script");
    rc = xw_new(&w, ctx, doc, &o);
    if (rc != 0)
        goto cleanup;

    if (standalone && template && *template) {
        rc = html_export_template(ctx, w, doc, template, flavour, out);
    } else if (standalone) {
        rc = xw_new_page(w, NULL, &page, &head, &body);
        /* css: unset, the default sheet; "none", no sheet; a file or URL
         * instead of the default (--css links come on top of either) */
        if (rc == 0 && !(css && *css))
            rc = add_default_css(w, head, flavour);
        if (rc == 0)
            rc = html_head_meta(ctx, w, doc, head);
        if (rc == 0 && css && *css && strcmp(css, "none") != 0)
            rc = add_css(ctx, w, doc, head, css);
        if (rc == 0 && math_script && *math_script)
            rc = add_math_script(w, head, math_script);
        if (rc == 0)
            rc = render_body(ctx, w, doc, body, 1);
        if (rc == 0)
            rc = html_drop_forbidden_chars(ctx, page);
        if (rc == 0)
            rc = xw_serialize_freeing(page, flavour, out);
    } else {
        if (css && *css)
            dp_warn(ctx, "css is ignored in fragment mode (a fragment has no <head>)");
        rc = xw_new_fragment(w, &page, &body);
        if (rc == 0)
            rc = render_body(ctx, w, doc, body, 0);
        if (rc == 0)
            rc = html_drop_forbidden_chars(ctx, page);
        if (rc == 0)
            rc = xw_serialize_children_freeing(body, flavour, out);
    }
cleanup:
    if (rc != 0 && rc != DP_ELIMIT && rc != DP_EINPUT)
        rc = dp_fail(ctx, rc, NULL, 0, 0, "HTML writer: %s", dp_status_name(rc));
    xmlFreeDoc(page);
    xw_free(w);
    return rc;
}

static const char *const html_aliases[] = {"html5", NULL};
static const char *const html_extensions[] = {"html", "htm", NULL};
static const char *const html_mime[] = {"text/html", NULL};

static const dp_option_spec html_options[] = {
    {"fragment", DP_OPT_BOOL, "false", NULL, "body content only (no <html>, <head>, title block), for embedding"},
    {"css", DP_OPT_STRING, NULL, NULL,
     "stylesheet path or URL linked from <head> instead of the embedded default one (see embed-css); "
     "'none': no stylesheet"},
    {"embed-css", DP_OPT_BOOL, "false", NULL, "put the stylesheet's text in a <style> element instead of linking it"},
    {"template", DP_OPT_STRING, NULL, NULL,
     "a template file for the standalone page (pandoc's syntax, a subset: see docs/formats/html.md); "
     "--template FILE"},
    {"print-template", DP_OPT_BOOL, "false", NULL,
     "write the built-in template instead of the document (docpipe --print-default-template html)"},
    {"title-block", DP_OPT_BOOL, "true", NULL, "visible title, subtitle, bylines, date and source from the metadata"},
    {"toc", DP_OPT_BOOL, "false", NULL, "a table of contents (<nav role=\"doc-toc\">) before the body"},
    {"toc-depth", DP_OPT_INT, "3", NULL, "deepest heading level listed in the table of contents (0: all)"},
    {"toc-title", DP_OPT_STRING, NULL, NULL, "visible heading of the table of contents (default: none, aria-label only)"},
    {"number-sections", DP_OPT_BOOL, "false", NULL, "number headings 1, 1.1, 1.2 ... (class unnumbered opts out)"},
    {"section-divs", DP_OPT_BOOL, "false", NULL, "wrap each heading and its content in <section> (level 1: div.section)"},
    {"notes", DP_OPT_ENUM, "end", "end|section|chapter|inline",
     "end: notes in a <section role=\"doc-endnotes\"> at the end; section: at the end of each section (before "
     "the next top-level heading); chapter: before each heading of the highest level; inline: <aside "
     "role=\"doc-footnote\"> after each referencing block"},
    {"syntax", DP_OPT_ENUM, "html", "html|xhtml|xhtml11",
     "html: HTML5; xhtml: XHTML5 (XML: xmlns, lang + xml:lang, <br/>); xhtml11: XHTML 1.1 (EPUB 2 content)"},
    {"id-prefix", DP_OPT_STRING, NULL, NULL, "prefix for every id written (and every #fragment link)"},
    DP_MEDIA_OPTION_SPECS,
    {"math", DP_OPT_ENUM, "mathml", "mathml|tex|true|false",
     "formulas as MathML, or as TeX in span.math \\(...\\) for MathJax/KaTeX (true/false, the Markdown reader's "
     "values of the same key, mean mathml)"},
    {"math-script", DP_OPT_STRING, NULL, NULL, "URL of a math script (MathJax, KaTeX) put in <head> of a standalone page"},
    {"safe", DP_OPT_BOOL, "true", NULL,
     "untrusted input (default): only allow-listed elements, attributes and URL schemes from raw HTML, links "
     "and images (each removal reported); false (--unsafe) keeps scripts, handlers and javascript: URLs of "
     "trusted input"},
    {NULL, 0, NULL, NULL, NULL}};

static const dp_plugin_desc html_writer_desc = {
    sizeof(dp_plugin_desc), "html.writer", "HTML5 writer (libxml2)", "0.1.0",
    DP_PLUGIN_EXPORTER, "html", html_aliases, html_extensions, html_mime, html_options,
    0, NULL, html_export, NULL,
    "standalone HTML5 or a fragment; DPUB-ARIA notes, lang on every change of language, Nu-checker valid", 0 /* flags */};

static const dp_plugin_desc *const html_writer_plugins[] = {&html_writer_desc, NULL};

static const dp_plugin_module html_writer_module =
    DP_PLUGIN_MODULE_INIT_HOOKS("html_writer", "0.1.0", html_writer_plugins, xmlu_module_init, NULL);

DP_PLUGIN_ENTRY_DECL { return &html_writer_module; }
