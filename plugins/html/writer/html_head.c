/* <head> metadata: every metadata key becomes <meta name> content, so that
 * nothing is lost; the agreed keys get the names readers look for. */
#include "html_writer.h"

#include <stdio.h>
#include <string.h>

static int add_meta(xw_writer *w, xmlNodePtr head, const char *name, const char *content)
{
    xmlNodePtr m;
    if (!content || !*content)
        return 0;
    m = xw_elem(w, head, "meta");
    if (!m)
        return DP_ENOMEM;
    xmlSetProp(m, BAD_CAST "name", BAD_CAST name);
    xmlSetProp(m, BAD_CAST "content", BAD_CAST content);
    xmlAddChild(head, xmlNewDocText(head->doc, BAD_CAST "\n"));
    return 0;
}

/* pandoc's css metadata: a stylesheet link (the css option's own link,
 * embedded or not, is html_writer.c's). */
static int add_stylesheet(xw_writer *w, xmlNodePtr head, const char *href)
{
    xmlNodePtr el;
    if (!href || !*href)
        return 0;
    if (!(el = xw_elem(w, head, "link")))
        return DP_ENOMEM;
    xmlSetProp(el, BAD_CAST "rel", BAD_CAST "stylesheet");
    xmlSetProp(el, BAD_CAST "href", BAD_CAST href);
    xmlAddChild(head, xmlNewDocText(head->doc, BAD_CAST "\n"));
    return 0;
}

/* name -> the value's text; lists give one <meta> per item; maps give
 * name.key per entry (source.url, revision.date ...). depth caps nesting. */
static int add_value(dp_ctx *ctx, xw_writer *w, xmlNodePtr head, const char *name, const dp_meta *m, int depth)
{
    int rc = 0;
    if (!m)
        return 0;
    if (depth > 8) {
        dp_warn(ctx, "metadata %s: nested too deeply for <meta>, not written", name);
        return 0;
    }
    switch (dp_meta_get_type(m)) {
    case DP_META_LIST:
        for (size_t i = 0; i < dp_meta_len(m) && rc == 0; i++)
            rc = add_value(ctx, w, head, name, dp_meta_at(m, i), depth + 1);
        return rc;
    case DP_META_MAP:
        for (size_t i = 0; i < dp_meta_map_count(m) && rc == 0; i++) {
            char sub[256];
            snprintf(sub, sizeof sub, "%s.%s", name, dp_meta_map_key_at(m, i));
            rc = add_value(ctx, w, head, sub, dp_meta_map_value_at(m, i), depth + 1);
        }
        return rc;
    default:
        return add_meta(w, head, name, dp_meta_text(m));
    }
}

/* A person: a string, or a map with a name. */
static const char *person(const dp_meta *m)
{
    if (dp_meta_get_type(m) == DP_META_MAP)
        return dp_meta_get_text(m, "name");
    return dp_meta_text(m);
}

int html_head_meta(dp_ctx *ctx, xw_writer *w, const dp_doc *doc, xmlNodePtr head)
{
    const dp_meta *meta = dp_doc_meta(doc);
    char gen[64];
    int rc;

    rc = add_meta(w, head, "viewport", "width=device-width, initial-scale=1");
    snprintf(gen, sizeof gen, "docpipe %s", dp_version());
    if (rc == 0)
        rc = add_meta(w, head, "generator", gen);
    {
        /* HTML requires a non-empty <title>: without one in the metadata the
         * page's is made up (xw_page.c: the first heading, else "Untitled").
         * Said here, so that reading the page back keeps it out of the
         * metadata (xr_meta.c) instead of taking it as the author's. */
        const char *t = dp_meta_get_text(meta, "title");
        if (rc == 0 && (!t || !*t))
            rc = add_meta(w, head, "docpipe:generated", "title");
    }
    for (size_t i = 0; i < dp_meta_map_count(meta) && rc == 0; i++) {
        const char *key = dp_meta_map_key_at(meta, i);
        const dp_meta *v = dp_meta_map_value_at(meta, i);
        if (strcmp(key, "title") == 0 || strcmp(dp_meta_agreed_key(key), "language") == 0 ||
            strcmp(key, "dir") == 0) {
            continue; /* <title> and <html lang dir> */
        } else if (strcmp(key, "css") == 0) {
            /* pandoc's css (string or list): one stylesheet link each */
            for (size_t j = 0; j < dp_meta_len(v) && rc == 0; j++)
                rc = add_stylesheet(w, head, dp_meta_text(dp_meta_at(v, j)));
        } else if (strcmp(key, "author") == 0 || strcmp(key, "translator") == 0 ||
                   strcmp(key, "editor") == 0) {
            for (size_t j = 0; j < dp_meta_len(v) && rc == 0; j++)
                rc = add_meta(w, head, key, person(dp_meta_at(v, j)));
        } else if (strcmp(key, "source") == 0 && dp_meta_get_type(v) == DP_META_MAP) {
            /* "source" names the original (its URL, else its title), then
             * every field as source.KEY */
            const char *url = dp_meta_get_text(v, "url");
            rc = add_meta(w, head, "source", url ? url : dp_meta_get_text(v, "title"));
            if (rc == 0)
                rc = add_value(ctx, w, head, "source", v, 0);
        } else if (strcmp(dp_meta_agreed_key(key), "subject") == 0) {
            /* keywords: the subjects, comma separated */
            xmlChar *list = NULL;
            for (size_t j = 0; j < dp_meta_len(v); j++) {
                const char *s = dp_meta_text(dp_meta_at(v, j));
                if (!s || !*s)
                    continue;
                if (list)
                    list = xmlStrcat(list, BAD_CAST ", ");
                list = xmlStrcat(list, BAD_CAST s);
            }
            if (list) {
                rc = add_meta(w, head, "keywords", (const char *)list);
                xmlFree(list);
            }
        } else if (strcmp(key, "cover-image") == 0 && dp_meta_text(v)) {
            /* a resource: it travels with the page like the images */
            const char *url = dp_ctx_resource_url(ctx, doc, dp_meta_text(v));
            rc = url ? add_meta(w, head, key, url) : DP_ENOMEM;
        } else if (strcmp(key, "rights") == 0 && !dp_meta_get(meta, "license")) {
            rc = add_meta(w, head, "license", dp_meta_text(v));
        } else {
            rc = add_value(ctx, w, head, key, v, 0);
        }
    }
    return rc;
}
