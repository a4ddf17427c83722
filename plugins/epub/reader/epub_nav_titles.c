/* epub_reader: the titles of the spine files, from the EPUB 3 nav
 * document or the NCX. */
#include "epub_pkg_internal.h"
#include "xhtml_read.h"

#include <stdlib.h>
#include <string.h>

/* The first entry for a file names it. A table, not a list searched per
 * entry and per spine file: quadratic (strcmp grew 94x from the 10 MB bench
 * EPUB to the 100 MB one). */
static int add_title(xmlHashTablePtr titles, const char *base, const char *href, const char *text)
{
    char *path = xr_resolve_href(base, href, NULL);
    if (!path || !text || !*text || xmlHashLookup(titles, BAD_CAST path)) {
        free(path);
        return DP_OK;
    }
    char *title = strdup(text);
    int rc = title && xmlHashAddEntry(titles, BAD_CAST path, title) == 0 ? DP_OK : DP_ENOMEM;
    if (rc != DP_OK)
        free(title);
    free(path);
    return rc;
}

static int collect_titles(ez_archive *a, ep_pkg *pkg, xmlHashTablePtr ts);

int ep_nav_titles(ez_archive *a, ep_pkg *pkg, xmlHashTablePtr *out)
{
    *out = xmlHashCreate(64);
    if (!*out)
        return ep_nomem(a);
    return collect_titles(a, pkg, *out);
}

static int collect_titles(ez_archive *a, ep_pkg *pkg, xmlHashTablePtr ts)
{
    int rc = DP_OK;
    const ep_item *nav = NULL;
    for (size_t i = 0; i < pkg->nitems && !nav; i++) {
        const char *p = pkg->items[i].props;
        if (p && pkg->items[i].path) {
            char *copy = strdup(p), *save = NULL;
            for (char *t = copy ? strtok_r(copy, " \t\n", &save) : NULL; t; t = strtok_r(NULL, " \t\n", &save))
                if (strcmp(t, "nav") == 0)
                    nav = &pkg->items[i];
            free(copy);
        }
    }
    if (nav && ez_find(a, nav->path) >= 0) {
        unsigned char *data;
        size_t len;
        if ((rc = ez_read(a, ez_find(a, nav->path), &data, &len)) != DP_OK)
            return rc;
        xmlDocPtr d = xr_parse_xhtml_budget(a->ctx, nav->path, data, len, &a->entities);
        free(data);
        if (!d)
            return DP_EINPUT;
        xmlNodePtr root = xmlDocGetRootElement(d);
        for (xmlNodePtr x = root; x && rc == DP_OK; x = xr_next_in_public(root, x)) {
            if (!ep_is(x, "nav"))
                continue;
            xmlChar *type = xmlGetNsProp(x, BAD_CAST "type", BAD_CAST "http://www.idpf.org/2007/ops");
            if (!type)
                type = xmlGetProp(x, BAD_CAST "epub:type");
            int toc = type && strstr((const char *)type, "toc");
            xmlFree(type);
            if (!toc)
                continue;
            for (xmlNodePtr y = x; y && rc == DP_OK; y = xr_next_in_public(x, y)) {
                if (!ep_is(y, "a"))
                    continue;
                char *href = ep_prop(y, "href");
                char *text = ep_trimmed_text(y);
                if (href && text)
                    rc = add_title(ts, nav->path, href, text);
                xmlFree(href);
                free(text);
            }
        }
        xmlFreeDoc(d);
        return rc == DP_OK ? DP_OK : ep_nomem(a);
    }
    const ep_item *ncx = ep_item_by_id(pkg, pkg->ncx_id);
    for (size_t i = 0; i < pkg->nitems && !ncx; i++)
        if (pkg->items[i].media && strcmp(pkg->items[i].media, "application/x-dtbncx+xml") == 0)
            ncx = &pkg->items[i];
    if (!ncx || !ncx->path) {
        dp_warn_at(a->ctx, pkg->opf_path, 0, 0, "no navigation document and no NCX");
        return DP_OK;
    }
    xmlDocPtr d = ep_read_xml(a, ncx->path, &rc);
    if (rc)
        return rc;
    if (!d)
        return DP_OK;
    xmlNodePtr root = xmlDocGetRootElement(d);
    for (xmlNodePtr x = root; x && rc == DP_OK; x = xr_next_in_public(root, x)) {
        if (!ep_is(x, "navPoint"))
            continue;
        char *text = NULL, *src = NULL;
        for (xmlNodePtr c = x->children; c; c = c->next) {
            if (ep_is(c, "navLabel") && !text)
                text = ep_trimmed_text(c);
            else if (ep_is(c, "content") && !src)
                src = ep_prop(c, "src");
        }
        if (src && text)
            rc = add_title(ts, ncx->path, src, text);
        free(text);
        xmlFree(src);
    }
    xmlFreeDoc(d);
    return rc == DP_OK ? DP_OK : ep_nomem(a);
}

static void free_title(void *title, const xmlChar *path)
{
    (void)path;
    free(title);
}

void ep_titles_free(xmlHashTablePtr titles)
{
    xmlHashFree(titles, free_title);
}
