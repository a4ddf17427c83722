/* epub_reader: the package: container.xml -> OPF (manifest, spine; the
 * metadata is epub_opf_metadata.c's). */
#include "epub_pkg_internal.h"
#include "xhtml_read.h"

#include <stdlib.h>
#include <string.h>

int ep_find_package(ez_archive *a, ep_pkg *pkg)
{
    int rc;
    memset(pkg, 0, sizeof *pkg);
    /* mimetype: first, stored, exact; only warnings when not */
    zip_int64_t mi = ez_find(a, "mimetype");
    if (mi < 0) {
        dp_warn_at(a->ctx, a->path, 0, 0, "mimetype: missing (reading it as an EPUB anyway)");
    } else {
        zip_stat_t st;
        if (mi != 0)
            dp_warn_at(a->ctx, a->path, 0, 0, "mimetype: not the first entry of the archive");
        if (zip_stat_index(a->za, (zip_uint64_t)mi, 0, &st) == 0 && (st.valid & ZIP_STAT_COMP_METHOD) &&
            st.comp_method != ZIP_CM_STORE)
            dp_warn_at(a->ctx, a->path, 0, 0, "mimetype: compressed (EPUB requires it stored)");
        unsigned char *d;
        size_t l;
        if ((rc = ez_read(a, mi, &d, &l)) != DP_OK)
            return rc;
        if (l != 20 || memcmp(d, "application/epub+zip", 20) != 0)
            dp_warn_at(a->ctx, a->path, 0, 0, "mimetype: content is not \"application/epub+zip\"");
        free(d);
    }

    xmlDocPtr c = ep_read_xml(a, "META-INF/container.xml", &rc);
    if (rc)
        return rc;
    if (c) {
        xmlNodePtr root = xmlDocGetRootElement(c);
        for (xmlNodePtr n = root; n && !pkg->opf_path; n = xr_next_in_public(root, n)) {
            if (!ep_is(n, "rootfile"))
                continue;
            char *fp = ep_prop(n, "full-path");
            char *mt = ep_prop(n, "media-type");
            if (fp && (!mt || strcmp(mt, "application/oebps-package+xml") == 0)) {
                if (ez_name_safe(fp) && ez_find(a, fp) >= 0)
                    pkg->opf_path = strdup(fp);
                else
                    dp_warn_at(a->ctx, "META-INF/container.xml", (int)xmlGetLineNo(n), 0,
                               "rootfile \"%s\" is refused or not in the archive", fp);
            }
            xmlFree(fp);
            xmlFree(mt);
        }
        xmlFreeDoc(c);
    } else if (ez_find(a, "META-INF/container.xml") < 0) {
        dp_warn_at(a->ctx, a->path, 0, 0, "META-INF/container.xml: missing; searching for the package document");
    }
    if (!pkg->opf_path) {
        for (zip_int64_t i = 0; i < a->count; i++) {
            const char *n = ez_name(a, i);
            if (n && ez_name_safe(n) && ep_ends_with(n, ".opf")) {
                pkg->opf_path = strdup(n);
                if (!pkg->opf_path)
                    return ep_nomem(a);
                dp_warn_at(a->ctx, a->path, 0, 0, "package document found by search: %s", n);
                break;
            }
        }
    }
    if (pkg->opf_path) {
        const char *slash = strrchr(pkg->opf_path, '/');
        pkg->opf_dir = strndup(pkg->opf_path, slash ? (size_t)(slash - pkg->opf_path + 1) : 0);
        if (!pkg->opf_dir)
            return ep_nomem(a);
    }
    return DP_OK;
}

const ep_item *ep_item_by_id(const ep_pkg *pkg, const char *id)
{
    for (size_t i = 0; id && i < pkg->nitems; i++)
        if (pkg->items[i].id && strcmp(pkg->items[i].id, id) == 0)
            return &pkg->items[i];
    return NULL;
}

int ep_read_package(ez_archive *a, dp_doc *doc, ep_pkg *pkg)
{
    int rc;
    xmlHashTablePtr by_id = NULL;
    xmlDocPtr opf = ep_read_xml(a, pkg->opf_path, &rc);
    if (rc)
        return rc;
    if (!opf)
        return dp_fail(a->ctx, DP_EINPUT, pkg->opf_path, 0, 0, "the package document cannot be read");
    xmlNodePtr root = xmlDocGetRootElement(opf);
    char *unique_id = root ? ep_prop(root, "unique-identifier") : NULL;
    xmlNodePtr md = NULL, manifest = NULL, spine = NULL;
    for (xmlNodePtr n = root ? root->children : NULL; n; n = n->next) {
        if (ep_is(n, "metadata"))
            md = n;
        else if (ep_is(n, "manifest"))
            manifest = n;
        else if (ep_is(n, "spine"))
            spine = n;
    }
    if (md) {
        /* EPUB 2 may wrap the Dublin Core in <dc-metadata> */
        xmlNodePtr inner = NULL;
        for (xmlNodePtr n = md->children; n; n = n->next)
            if (ep_is(n, "dc-metadata"))
                inner = n;
        rc = ep_read_metadata(a, doc, inner ? inner : md, unique_id, pkg);
        for (xmlNodePtr n = md->children; n && rc == DP_OK; n = n->next)
            if (ep_is(n, "x-metadata"))
                rc = ep_read_metadata(a, doc, n, unique_id, pkg);
    } else {
        dp_warn_at(a->ctx, pkg->opf_path, 0, 0, "package has no <metadata>");
    }
    xmlFree(unique_id);
    if (rc)
        goto done;

    size_t count = 0;
    for (xmlNodePtr n = manifest ? manifest->children : NULL; n; n = n->next)
        count += ep_is(n, "item");
    pkg->items = calloc(count ? count : 1, sizeof *pkg->items);
    if (!pkg->items) {
        rc = ep_nomem(a);
        goto done;
    }
    for (xmlNodePtr n = manifest ? manifest->children : NULL; n; n = n->next) {
        if (!ep_is(n, "item"))
            continue;
        ep_item *it = &pkg->items[pkg->nitems++];
        it->id = ep_prop(n, "id");
        it->media = ep_prop(n, "media-type");
        it->props = ep_prop(n, "properties");
        char *href = ep_prop(n, "href");
        if (href) {
            it->path = xr_resolve_href(pkg->opf_path, href, NULL);
            if (!it->path)
                dp_warn_at(a->ctx, pkg->opf_path, (int)xmlGetLineNo(n), 0,
                           "manifest item \"%s\" refused: href \"%s\" is external or leaves the archive",
                           it->id ? it->id : "?", href);
            else if (ez_find(a, it->path) < 0)
                dp_warn_at(a->ctx, pkg->opf_path, (int)xmlGetLineNo(n), 0,
                           "manifest item \"%s\": %s does not exist in the archive", it->id ? it->id : "?",
                           it->path);
            xmlFree(href);
        }
    }
    if (!manifest)
        dp_warn_at(a->ctx, pkg->opf_path, 0, 0, "package has no <manifest>");

    count = 0;
    for (xmlNodePtr n = spine ? spine->children : NULL; n; n = n->next)
        count += ep_is(n, "itemref");
    pkg->spine = calloc(count ? count : 1, sizeof *pkg->spine);
    if (!pkg->spine) {
        rc = ep_nomem(a);
        goto done;
    }
    if (spine) {
        pkg->ncx_id = ep_prop(spine, "toc");
        /* the book's base direction: metadata dir, as front matter says it */
        char *ppd = ep_prop(spine, "page-progression-direction");
        if (ppd && (strcmp(ppd, "rtl") == 0 || strcmp(ppd, "ltr") == 0) &&
            dp_meta_set_string(doc, dp_doc_meta(doc), "dir", ppd) != DP_OK) {
            xmlFree(ppd);
            rc = ep_nomem(a);
            goto done;
        }
        xmlFree(ppd);
    }
    /* the items by id (the first of an id wins, as in ep_item_by_id): a
     * search of the manifest per itemref was quadratic in the chapters */
    by_id = xmlHashCreate((int)pkg->nitems + 1);
    if (!by_id) {
        rc = ep_nomem(a);
        goto done;
    }
    for (size_t i = 0; i < pkg->nitems; i++)
        if (pkg->items[i].id && !xmlHashLookup(by_id, BAD_CAST pkg->items[i].id) &&
            xmlHashAddEntry(by_id, BAD_CAST pkg->items[i].id, &pkg->items[i]) < 0) {
            rc = ep_nomem(a);
            goto done;
        }
    for (xmlNodePtr n = spine ? spine->children : NULL; n; n = n->next) {
        if (!ep_is(n, "itemref"))
            continue;
        char *idref = ep_prop(n, "idref");
        const ep_item *it = idref ? xmlHashLookup(by_id, BAD_CAST idref) : NULL;
        if (!it)
            dp_warn_at(a->ctx, pkg->opf_path, (int)xmlGetLineNo(n), 0,
                       "spine itemref \"%s\" names no manifest item", idref ? idref : "");
        else
            pkg->spine[pkg->nspine++] = (size_t)(it - pkg->items);
        xmlFree(idref);
    }
    if (!pkg->nspine) {
        /* no usable spine: the manifest's documents in their order */
        dp_warn_at(a->ctx, pkg->opf_path, 0, 0, "empty or missing spine: reading the manifest's documents in order");
        size_t *sp = calloc(pkg->nitems ? pkg->nitems : 1, sizeof *sp);
        if (!sp) {
            rc = ep_nomem(a);
            goto done;
        }
        free(pkg->spine);
        pkg->spine = sp;
        for (size_t i = 0; i < pkg->nitems; i++) {
            const char *mt = pkg->items[i].media ? pkg->items[i].media : "";
            int nav = pkg->items[i].props && strstr(pkg->items[i].props, "nav");
            if (!nav && (strcmp(mt, "application/xhtml+xml") == 0 || strcmp(mt, "text/html") == 0))
                pkg->spine[pkg->nspine++] = i;
        }
    }
done:
    xmlHashFree(by_id, NULL);
    xmlFreeDoc(opf);
    return rc;
}

void ep_pkg_free(ep_pkg *pkg)
{
    for (size_t i = 0; i < pkg->nitems; i++) {
        xmlFree(pkg->items[i].id);
        free(pkg->items[i].path);
        xmlFree(pkg->items[i].media);
        xmlFree(pkg->items[i].props);
    }
    free(pkg->items);
    free(pkg->spine);
    free(pkg->opf_path);
    free(pkg->opf_dir);
    xmlFree(pkg->ncx_id);
    free(pkg->cover_id);
    memset(pkg, 0, sizeof *pkg);
}
