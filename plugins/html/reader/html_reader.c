/* The HTML importer: real pages (tag soup recovered by libxml2's HTML
 * parser), <head> metadata, and the body through the shared (X)HTML reader,
 * which the EPUB importer uses too. */
#include "xmlu_init.h"
#include "resload.h"
#include "xhtml_read.h"

#include <docpipe/docpipe.h>
#include <string.h>
#include <strings.h>

static int html_import(dp_ctx *ctx, const dp_input *in, dp_doc **out)
{
    dp_doc *doc = NULL;
    xr_session *s = NULL;
    int rc;
    *out = NULL;
    const char *path = in->path ? in->path : "-";
    /* XHTML (an .xhtml file, or an XML declaration) is read as XML first:
     * the HTML parser would take <a id="x"/> for an open element. Malformed
     * XHTML falls back to the HTML parser with a warning. */
    size_t pl = strlen(path);
    int xhtml = (pl > 6 && strcasecmp(path + pl - 6, ".xhtml") == 0) ||
                (in->len >= 5 && memcmp(in->data, "<?xml", 5) == 0);
    xmlDocPtr x = xhtml && !dp_opt_string(ctx, "encoding")
                      ? xr_parse_xhtml(ctx, path, in->data, in->len)
                      : xr_parse_html(ctx, path, in->data, in->len, dp_opt_string(ctx, "encoding"));
    if (!x)
        return DP_EINPUT;
    if ((rc = dp_doc_new(&doc)) != DP_OK) {
        xmlFreeDoc(x);
        return dp_fail(ctx, DP_ENOMEM, path, 0, 0, "out of memory");
    }
    if ((rc = xr_read_head_meta(ctx, doc, x)) != DP_OK) {
        xmlFreeDoc(x);
        goto cleanup;
    }
    if ((rc = xr_session_new(&s, ctx, doc)) != DP_OK) {
        xmlFreeDoc(x);
        rc = dp_fail(ctx, DP_ENOMEM, path, 0, 0, "out of memory");
        goto cleanup;
    }
    if ((rc = xr_session_add(s, x, path, NULL)) != DP_OK) {
        rc = dp_fail(ctx, DP_ENOMEM, path, 0, 0, "out of memory");
        goto cleanup;
    }
    rc = xr_session_run(s);
    /* local <img> files next to the page into resources (plugins/resload) */
    if (rc == DP_OK)
        rc = resload_from_options(ctx, doc);

cleanup:
    xr_session_free(s);
    if (rc != DP_OK) {
        dp_doc_free(doc);
        return rc;
    }
    *out = doc;
    return DP_OK;
}

static const char *const html_aliases[] = { "htm", "xhtml", NULL };
static const char *const html_extensions[] = { "html", "htm", "xhtml", NULL };
static const char *const html_mime[] = { "text/html", "application/xhtml+xml", NULL };

static const dp_option_spec html_options[] = {
    { "encoding", DP_OPT_STRING, NULL, NULL,
      "character encoding of the page (default: from the BOM or <meta charset>, else UTF-8/Latin-1 guess)" },
    RESLOAD_OPTION_SPECS,
    { NULL, 0, NULL, NULL, NULL }
};

static const dp_plugin_desc html_reader_desc = {
    sizeof(dp_plugin_desc), "html.reader", "HTML reader (libxml2)", "0.1.0",
    DP_PLUGIN_IMPORTER, "html", html_aliases, html_extensions, html_mime, html_options,
    0, html_import, NULL, NULL,
    "real-world HTML pages: tag soup recovered, head metadata, footnotes in every common encoding", 0 /* flags */
};

static const dp_plugin_desc *const html_reader_plugins[] = { &html_reader_desc, NULL };

static const dp_plugin_module html_reader_module =
    DP_PLUGIN_MODULE_INIT_HOOKS("html_reader", "0.1.0", html_reader_plugins, xmlu_module_init, NULL);

DP_PLUGIN_ENTRY_DECL { return &html_reader_module; }
