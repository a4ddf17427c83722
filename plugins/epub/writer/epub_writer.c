/* epub_writer: the module. Exporters "epub" (EPUB 3) and "epub2" (EPUB 2.0.1).
 *
 * The export: options and metadata, chapters, the shared XHTML writer (which
 * gives every heading, note and page break its id), navigation targets and
 * resources; then the files in their fixed order (stylesheet, resources,
 * cover, title page, nav, chapters, notes, NCX), the package document last
 * (it lists them all) and the zip. */
#include "xmlu_init.h"
#include "epub_book.h"

#include <stdlib.h>
#include <string.h>

static const dp_option_spec epub_options[] = {
    {"version", DP_OPT_ENUM, NULL, "3|2", "EPUB version (default: 3 for epub, 2 for epub2)"},
    {"split-level", DP_OPT_INT, "1", NULL, "start a new file at headings of this level or higher (0: one file)"},
    {"toc-depth", DP_OPT_INT, "3", NULL, "heading levels listed in the table of contents (1-6)"},
    {"compression-level", DP_OPT_INT, "6", NULL,
     "deflate level of the zip entries, 1 (fastest) to 9 (smallest); 6 is zlib's default"},
    {"notes", DP_OPT_ENUM, "chapter", "chapter|section|book|end|inline",
     "notes at the end of each chapter file, of each section (before each heading), in one notes file (book, "
     "or end as in the HTML writer), or as asides after the referencing paragraph"},
    {"cover", DP_OPT_STRING, NULL, NULL,
     "'generate' (typographic SVG cover), 'none', or a resource name; default: metadata cover-image, else generate"},
    {"template", DP_OPT_STRING, NULL, NULL,
     "a template file for the chapter and notes pages (pandoc's syntax, a subset: pandoc -D epub3 works; "
     "docs/formats/epub-writer.md); --template FILE"},
    {"title-page", DP_OPT_BOOL, "true", NULL, "add a title page made from the metadata"},
    {"safe", DP_OPT_BOOL, "true", NULL,
     "untrusted input (default): only allow-listed elements, attributes and URL schemes from raw HTML, links "
     "and images; false (--unsafe) keeps scripts, handlers and javascript: URLs of trusted input"},
    {"css", DP_OPT_STRING, NULL, NULL,
     "a stylesheet file (or document resource) added to the default one (see css-mode); 'none': no stylesheet"},
    {"epub-metadata", DP_OPT_STRING, NULL, NULL,
     "an XML file of Dublin Core elements (pandoc's --epub-metadata) added where the metadata has none"},
    {"css-mode", DP_OPT_ENUM, "extend", "extend|replace", "whether 'css' extends or replaces the default stylesheet"},
    {"language", DP_OPT_STRING, NULL, NULL, "book language (BCP 47), instead of the metadata language"},
    {"access-mode", DP_OPT_LIST, NULL, NULL, "schema:accessMode values (default: textual, and visual with images)"},
    {"access-mode-sufficient", DP_OPT_LIST, NULL, NULL, "schema:accessModeSufficient values (default: textual)"},
    {"accessibility-features", DP_OPT_LIST, NULL, NULL,
     "schema:accessibilityFeature values (default: derived from the content)"},
    {"accessibility-hazards", DP_OPT_LIST, NULL, NULL, "schema:accessibilityHazard values (default: none)"},
    {"accessibility-summary", DP_OPT_STRING, NULL, NULL, "schema:accessibilitySummary (default: generated)"},
    {"conforms-to", DP_OPT_STRING, "EPUB Accessibility 1.1 - WCAG 2.1 Level AA", NULL,
     "dcterms:conformsTo claim ('' for none)"},
    {NULL, 0, NULL, NULL, NULL}};

static int export_book(dp_ctx *ctx, const dp_doc *doc, dp_buf *out, const char *format)
{
    epubw_book b;
    memset(&b, 0, sizeof b);
    b.ctx = ctx;
    b.doc = doc;
    unsigned char *opf = NULL;
    size_t opf_len = 0;
    int rc;
    if ((rc = epubw_read_options(&b, format)) || (rc = epubw_template_load(&b)) ||
        (rc = epubw_resolve_metadata(&b)) ||
        (rc = epubw_split(&b)) || (rc = epubw_body_begin(&b)) || (rc = epubw_plan(&b)))
        goto cleanup;
    if ((rc = epubw_make_css(&b)) || (rc = epubw_make_resources(&b)) || (rc = epubw_make_cover(&b)) ||
        (rc = epubw_make_title_page(&b)))
        goto cleanup;
    if (b.version != 2 && (rc = epubw_make_nav(&b)))
        goto cleanup;
    if ((rc = epubw_make_chapters(&b)) || (rc = epubw_make_ncx(&b)) ||
        (rc = epubw_make_opf(&b, &opf, &opf_len)))
        goto cleanup;
    rc = epubw_zip(&b, opf, opf_len, out);
cleanup:
    if (rc == DP_ENOMEM)
        rc = dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "epub: out of memory");
    free(opf);
    epubw_book_free(&b);
    return rc;
}

static int export_epub3(dp_ctx *ctx, const dp_doc *doc, dp_buf *out)
{
    return export_book(ctx, doc, out, "epub");
}

static int export_epub2(dp_ctx *ctx, const dp_doc *doc, dp_buf *out)
{
    return export_book(ctx, doc, out, "epub2");
}

static const char *const epub_ext[] = {"epub", NULL};
static const char *const epub_mime[] = {"application/epub+zip", NULL};
static const char *const epub3_aliases[] = {"epub3", NULL};

static const dp_plugin_desc epub3_desc = {
    sizeof(dp_plugin_desc), "epub.writer", "EPUB 3 writer", "0.1.0", DP_PLUGIN_EXPORTER, "epub",
    epub3_aliases, epub_ext, epub_mime, epub_options, 1, NULL, export_epub3, NULL,
    "EPUB 3 e-book: accessible (EPUB Accessibility 1.1), validated, reproducible", 0 /* flags */};

static const dp_plugin_desc epub2_desc = {
    sizeof(dp_plugin_desc), "epub2.writer", "EPUB 2 writer", "0.1.0", DP_PLUGIN_EXPORTER, "epub2",
    NULL, NULL, epub_mime, epub_options, 1, NULL, export_epub2, NULL,
    "EPUB 2.0.1 e-book for old reading systems (OPF 2.0, NCX, guide)", 0 /* flags */};

static const dp_plugin_desc *const plugins[] = {&epub3_desc, &epub2_desc, NULL};

static const dp_plugin_module module = DP_PLUGIN_MODULE_INIT_HOOKS("epub_writer", "0.1.0", plugins, xmlu_module_init, NULL);

DP_PLUGIN_ENTRY_DECL { return &module; }
