/* --template FILE: the standalone page written from a template (the
 * language of plugins/xhtml/template, a subset of pandoc's) instead of the
 * built-in page. The body, the table of contents and the notes are
 * rendered as usual; the template places them, with the metadata, in
 * variables named as pandoc names them, so that pandoc's own html5
 * template works unchanged. */
#include "html_writer.h"
#include "template.h"
#include "xhtml_style.h"

#include <libxml/entities.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* docpipe's page as a template: what --print-default-template html prints,
 * a starting point for one's own. */
const char html_default_template[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"$lang$\"$if(dir)$ dir=\"$dir$\"$endif$>\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<meta name=\"generator\" content=\"docpipe\">\n"
    "$for(author-meta)$\n"
    "<meta name=\"author\" content=\"$author-meta$\">\n"
    "$endfor$\n"
    "$if(date-meta)$\n"
    "<meta name=\"dcterms.date\" content=\"$date-meta$\">\n"
    "$endif$\n"
    "$if(keywords)$\n"
    "<meta name=\"keywords\" content=\"$for(keywords)$$keywords$$sep$, $endfor$\">\n"
    "$endif$\n"
    "<title>$pagetitle$</title>\n"
    "$if(document-css)$\n"
    "<style>\n"
    "$styles.html()$\n"
    "</style>\n"
    "$endif$\n"
    "$for(css)$\n"
    "<link rel=\"stylesheet\" href=\"$css$\">\n"
    "$endfor$\n"
    "$if(math)$\n"
    "$math$\n"
    "$endif$\n"
    "</head>\n"
    "<body>\n"
    "$if(title)$\n"
    "<header id=\"title-block-header\">\n"
    "<h1 class=\"title\">$title$</h1>\n"
    "$if(subtitle)$\n"
    "<p class=\"subtitle\">$subtitle$</p>\n"
    "$endif$\n"
    "$for(author)$\n"
    "<p class=\"author\">$author$</p>\n"
    "$endfor$\n"
    "$if(date)$\n"
    "<p class=\"date\">$date$</p>\n"
    "$endif$\n"
    "</header>\n"
    "$endif$\n"
    "$if(toc)$\n"
    "$toc$\n"
    "$endif$\n"
    "$body$\n"
    "</body>\n"
    "</html>\n";

typedef struct tvars {
    xw_writer *w;
    const dp_meta *meta;
    const char *body, *toc, *toc_list, *styles, *math;
    int document_css;
} tvars;

static int lookup(void *ud, const char *name, tpl_value *out)
{
    const tvars *v = ud;
    const char *raw = NULL;
    if (strcmp(name, "body") == 0)
        raw = v->body;
    else if (strcmp(name, "toc") == 0)
        raw = v->toc;
    else if (strcmp(name, "table-of-contents") == 0)
        raw = v->toc_list;
    else if (strcmp(name, "styles.html()") == 0 || strcmp(name, "styles") == 0)
        raw = v->styles;
    else if (strcmp(name, "document-css") == 0)
        raw = v->document_css ? "true" : NULL;
    else if (strcmp(name, "math") == 0)
        raw = v->math;
    if (raw) {
        out->raw = raw;
        return 1;
    }
    return tpl_lookup_meta(v->meta, name, out);
}

/* Formatted metadata ($title$ with emphasis ...) as markup, rendered as
 * the built-in title block renders it. */
static int markup(void *ud, const dp_meta *m, dp_buf *out)
{
    const tvars *v = ud;
    return xw_meta_markup(v->w, m, out);
}

/* What render() puts in a holder, serialised, as a NUL-terminated string
 * (NULL when it wrote nothing; *rc says whether that was a failure). */
static char *render_fragment(dp_ctx *ctx, xw_writer *w, const dp_doc *doc, xw_flavour flavour, int what,
                             int *rc)
{
    xmlDocPtr frag = NULL;
    xmlNodePtr holder = NULL;
    dp_buf *buf = NULL;
    char *text = NULL;
    *rc = xw_new_fragment(w, &frag, &holder);
    if (*rc == 0) {
        if (what == 0)
            *rc = html_render_body_blocks(ctx, w, doc, holder);
        else
            *rc = xw_render_toc(w, holder, (int)dp_opt_int(ctx, "toc-depth"), dp_opt_string(ctx, "toc-title"));
    }
    /* the list alone (pandoc's table-of-contents): the children of the nav */
    if (*rc == 0 && what == 2) {
        xmlNodePtr nav = holder->children;
        while (nav && nav->type != XML_ELEMENT_NODE)
            nav = nav->next;
        holder = nav;
    }
    if (*rc == 0)
        *rc = html_drop_forbidden_chars(ctx, frag);
    if (*rc == 0 && holder && holder->children && (*rc = dp_buf_new(&buf)) == 0)
        *rc = xw_serialize_children(holder, flavour, buf);
    if (*rc == 0 && buf && (*rc = dp_buf_append(buf, "", 1)) == 0) {
        size_t len;
        text = (char *)dp_buf_detach(buf, &len);
        if (!text)
            *rc = DP_ENOMEM;
    }
    dp_buf_free(buf);
    xmlFreeDoc(frag);
    return text;
}

int html_export_template(dp_ctx *ctx, xw_writer *w, const dp_doc *doc, const char *path, xw_flavour flavour,
                         dp_buf *out)
{
    tvars v;
    dp_buf *tpl = NULL, *math = NULL;
    const char *css = dp_opt_string(ctx, "css");
    const char *math_script = dp_opt_string(ctx, "math-script");
    int rc = 0, toc = dp_opt_bool(ctx, "toc");
    memset(&v, 0, sizeof v);
    v.w = w;
    v.meta = dp_doc_meta(doc);
    v.document_css = !(css && *css);
    v.styles = v.document_css ? xs_default_css(XS_SHEET_HTML, NULL) : NULL;
    char *body = NULL, *toc_nav = NULL, *toc_list = NULL;
    if (toc && (toc_nav = render_fragment(ctx, w, doc, flavour, 1, &rc)) == NULL && rc)
        goto done;
    if (toc && (toc_list = render_fragment(ctx, w, doc, flavour, 2, &rc)) == NULL && rc)
        goto done;
    if ((body = render_fragment(ctx, w, doc, flavour, 0, &rc)) == NULL && rc)
        goto done;
    v.body = body ? body : "";
    v.toc = toc_nav;
    v.toc_list = toc_list;
    if (math_script && *math_script) {
        xmlChar *e = xmlEncodeSpecialChars(NULL, BAD_CAST math_script);
        if (!e || (rc = dp_buf_new(&math)) != 0 || (rc = dp_buf_puts(math, "<script src=\"")) != 0 ||
            (rc = dp_buf_puts(math, (const char *)e)) != 0 || (rc = dp_buf_puts(math, "\"></script>")) != 0 ||
            (rc = dp_buf_append(math, "", 1)) != 0) {
            xmlFree(e);
            rc = rc ? rc : DP_ENOMEM;
            goto done;
        }
        xmlFree(e);
        v.math = (const char *)dp_buf_data(math);
    }
    if ((rc = dp_buf_new(&tpl)) == 0 && (rc = tpl_read_file(ctx, path, tpl)) == 0) {
        tpl_env env = {lookup, xw_template_escape, &v, markup};
        rc = tpl_render(ctx, path, (const char *)dp_buf_data(tpl), dp_buf_len(tpl), &env, out);
    }
done:
    free(body);
    free(toc_nav);
    free(toc_list);
    dp_buf_free(tpl);
    dp_buf_free(math);
    return rc;
}
