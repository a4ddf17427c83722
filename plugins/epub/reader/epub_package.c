#include "epub_package.h"
#include "xhtml_read.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DC_NS "http://purl.org/dc/elements/1.1/"
#define OPF_NS "http://www.idpf.org/2007/opf"

static int nomem(ez_archive *a)
{
    return dp_fail(a->ctx, DP_ENOMEM, a->path, 0, 0, "out of memory");
}

static const char *lname(xmlNodePtr n)
{
    return (n && n->type == XML_ELEMENT_NODE) ? (const char *)n->name : "";
}

static int is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static char *prop(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name); /* no-namespace attribute */
    return (char *)v;
}

static char *trimmed_text(xmlNodePtr n)
{
    xmlChar *t = xmlNodeGetContent(n);
    if (!t)
        return NULL;
    char *s = (char *)t;
    size_t l = strlen(s);
    size_t b = 0;
    while (b < l && (s[b] == ' ' || s[b] == '\n' || s[b] == '\t' || s[b] == '\r'))
        b++;
    while (l > b && (s[l - 1] == ' ' || s[l - 1] == '\n' || s[l - 1] == '\t' || s[l - 1] == '\r'))
        l--;
    char *r = strndup(s + b, l - b);
    xmlFree(t);
    return r;
}

/* Reads a whole entry by name into a parsed XML doc; NULL (with a warning)
 * when absent or malformed. */
static xmlDocPtr read_xml(ez_archive *a, const char *name, int *rc)
{
    *rc = DP_OK;
    zip_int64_t i = ez_find(a, name);
    if (i < 0)
        return NULL;
    unsigned char *data;
    size_t len;
    if ((*rc = ez_read(a, i, &data, &len)) != DP_OK)
        return NULL;
    xmlDocPtr d = xr_parse_xml(a->ctx, name, data, len, rc);
    free(data);
    return d;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t l = strlen(s), sl = strlen(suffix);
    return l >= sl && strcasecmp(s + l - sl, suffix) == 0;
}

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

    xmlDocPtr c = read_xml(a, "META-INF/container.xml", &rc);
    if (rc)
        return rc;
    if (c) {
        xmlNodePtr root = xmlDocGetRootElement(c);
        for (xmlNodePtr n = root; n && !pkg->opf_path; n = xr_next_in_public(root, n)) {
            if (!is(n, "rootfile"))
                continue;
            char *fp = prop(n, "full-path");
            char *mt = prop(n, "media-type");
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
            if (n && ez_name_safe(n) && ends_with(n, ".opf")) {
                pkg->opf_path = strdup(n);
                if (!pkg->opf_path)
                    return nomem(a);
                dp_warn_at(a->ctx, a->path, 0, 0, "package document found by search: %s", n);
                break;
            }
        }
    }
    if (pkg->opf_path) {
        const char *slash = strrchr(pkg->opf_path, '/');
        pkg->opf_dir = strndup(pkg->opf_path, slash ? (size_t)(slash - pkg->opf_path + 1) : 0);
        if (!pkg->opf_dir)
            return nomem(a);
    }
    return DP_OK;
}

/* ---- metadata ---------------------------------------------------------- */

typedef struct refine {
    const char *about; /* id without '#' */
    char *property;
    char *value;
} refine;

static const char *refined(refine *r, size_t n, const char *id, const char *property)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (r[i].about && strcmp(r[i].about, id) == 0 && r[i].property && strcmp(r[i].property, property) == 0)
            return r[i].value;
    return NULL;
}

static int list_add(dp_doc *doc, dp_meta *meta, const char *key, dp_meta *item)
{
    dp_meta *l = dp_meta_get(meta, key);
    if (!l) {
        l = dp_meta_new_list(doc);
        if (!l || dp_meta_set(meta, key, l))
            return DP_ENOMEM;
    }
    return dp_meta_append(l, item);
}

static int add_person(dp_doc *doc, dp_meta *meta, const char *name, const char *role, int creator)
{
    const char *key = NULL;
    if (!role || !*role)
        key = creator ? "author" : NULL;
    else if (strcmp(role, "aut") == 0)
        key = "author";
    else if (strcmp(role, "trl") == 0)
        key = "translator";
    else if (strcmp(role, "edt") == 0)
        key = "editor";
    if (key) {
        dp_meta *s = dp_meta_new_string(doc, name);
        return s ? list_add(doc, meta, key, s) : DP_ENOMEM;
    }
    dp_meta *m = dp_meta_new_map(doc);
    if (!m || dp_meta_set_string(doc, m, "name", name))
        return DP_ENOMEM;
    if (role && *role && dp_meta_set_string(doc, m, "role", role))
        return DP_ENOMEM;
    return list_add(doc, meta, "contributor", m);
}

static const char *const A11Y[] = { "schema:accessMode", "schema:accessModeSufficient",
                                    "schema:accessibilityFeature", "schema:accessibilityHazard",
                                    "schema:accessibilitySummary", "schema:accessibilityAPI",
                                    "schema:accessibilityControl", "dcterms:conformsTo", "a11y:certifiedBy",
                                    "a11y:certifierCredential", "a11y:certifierReport", NULL };

static int a11y_add(dp_doc *doc, dp_meta *meta, const char *property, const char *value)
{
    dp_meta *acc = dp_meta_get(meta, "accessibility");
    if (!acc) {
        acc = dp_meta_new_map(doc);
        if (!acc || dp_meta_set(meta, "accessibility", acc))
            return DP_ENOMEM;
    }
    const char *key = strchr(property, ':') + 1;
    dp_meta *s = dp_meta_new_string(doc, value);
    if (!s)
        return DP_ENOMEM;
    if (strcmp(key, "accessibilitySummary") == 0)
        return dp_meta_set(acc, key, s);
    return list_add(doc, acc, key, s);
}

static int read_metadata(ez_archive *a, dp_doc *doc, xmlNodePtr md, const char *unique_id, ep_pkg *pkg)
{
    dp_meta *meta = dp_doc_meta(doc);
    refine *refs = NULL;
    size_t nrefs = 0, cap = 0;
    int rc = DP_OK;
    /* refinements first: they may follow what they refine */
    for (xmlNodePtr n = md->children; n; n = n->next) {
        if (!is(n, "meta"))
            continue;
        char *about = prop(n, "refines");
        if (!about)
            continue;
        if (nrefs == cap) {
            cap = cap ? cap * 2 : 16;
            refine *nr = realloc(refs, cap * sizeof *nr);
            if (!nr) {
                xmlFree(about);
                rc = DP_ENOMEM;
                goto done;
            }
            refs = nr;
        }
        refs[nrefs].property = prop(n, "property");
        refs[nrefs].value = trimmed_text(n);
        refs[nrefs].about = about[0] == '#' ? strdup(about + 1) : strdup(about);
        xmlFree(about);
        nrefs++;
    }
    const char *main_title = NULL;
    char *first_title = NULL;
    char *generated = NULL; /* <meta name="docpipe:generated"> content */
    for (xmlNodePtr n = md->children; n && rc == DP_OK; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        int dc = n->ns && n->ns->href && strcmp((const char *)n->ns->href, DC_NS) == 0;
        const char *nm = lname(n);
        char *id = prop(n, "id");
        char *text = trimmed_text(n);
        if (!text) {
            xmlFree(id);
            rc = DP_ENOMEM;
            break;
        }
        if (dc && *text) {
            if (strcmp(nm, "title") == 0) {
                const char *type = refined(refs, nrefs, id, "title-type");
                if (type && strcmp(type, "subtitle") == 0) {
                    if (!dp_meta_get(meta, "subtitle"))
                        rc = dp_meta_set_string(doc, meta, "subtitle", text);
                } else if (type && strcmp(type, "main") == 0 && !main_title) {
                    rc = dp_meta_set_string(doc, meta, "title", text);
                    main_title = "set";
                } else if (!first_title) {
                    first_title = strdup(text);
                } else {
                    dp_info(a->ctx, "%s: extra dc:title \"%s\" not kept", pkg->opf_path, text);
                }
            } else if (strcmp(nm, "creator") == 0 || strcmp(nm, "contributor") == 0) {
                const char *role = refined(refs, nrefs, id, "role");
                xmlChar *r2 = NULL;
                if (!role) {
                    r2 = xmlGetNsProp(n, BAD_CAST "role", BAD_CAST OPF_NS);
                    role = (const char *)r2;
                }
                rc = add_person(doc, meta, text, role, strcmp(nm, "creator") == 0);
                xmlFree(r2);
            } else if (strcmp(nm, "identifier") == 0) {
                if ((unique_id && id && strcmp(unique_id, id) == 0) || !dp_meta_get(meta, "identifier"))
                    rc = dp_meta_set_string(doc, meta, "identifier", text);
            } else if (strcmp(nm, "language") == 0) {
                if (!dp_meta_get(meta, "language"))
                    rc = dp_meta_set_string(doc, meta, "language", text);
            } else if (strcmp(nm, "date") == 0) {
                xmlChar *ev = xmlGetNsProp(n, BAD_CAST "event", BAD_CAST OPF_NS);
                const char *key = ev && strcmp((const char *)ev, "creation") == 0 ? "created" : "date";
                if (!ev || strcmp((const char *)ev, "modification") != 0)
                    if (!dp_meta_get(meta, key))
                        rc = dp_meta_set_string(doc, meta, key, text);
                xmlFree(ev);
            } else if (strcmp(nm, "rights") == 0 || strcmp(nm, "publisher") == 0 ||
                       strcmp(nm, "description") == 0 || strcmp(nm, "source") == 0) {
                if (!dp_meta_get(meta, nm))
                    rc = dp_meta_set_string(doc, meta, nm, text);
            } else if (strcmp(nm, "subject") == 0) {
                dp_meta *s = dp_meta_new_string(doc, text);
                rc = s ? list_add(doc, meta, "subject", s) : DP_ENOMEM;
            } else {
                char key[64];
                snprintf(key, sizeof key, "dc:%s", nm);
                if (!dp_meta_get(meta, key))
                    rc = dp_meta_set_string(doc, meta, key, text);
            }
        } else if (strcmp(nm, "meta") == 0 && !xmlHasProp(n, BAD_CAST "refines")) {
            char *property = prop(n, "property");
            char *name = prop(n, "name");
            char *content = prop(n, "content");
            if (property && *text) {
                int a11y = 0;
                for (int k = 0; A11Y[k]; k++)
                    a11y |= strcmp(A11Y[k], property) == 0;
                if (a11y)
                    rc = a11y_add(doc, meta, property, text);
                else if (strcmp(property, "dcterms:created") == 0 && !dp_meta_get(meta, "created"))
                    rc = dp_meta_set_string(doc, meta, "created", text);
                else if (strcmp(property, "dcterms:modified") != 0)
                    dp_info(a->ctx, "%s: <meta property=\"%s\"> not kept", pkg->opf_path, property);
            } else if (name && content) {
                if (strcmp(name, "docpipe:generated") == 0) {
                    /* values docpipe's EPUB writer made up: not the author's */
                    free(generated);
                    generated = strdup(content);
                } else if (strcmp(name, "cover") == 0) {
                    free(pkg->cover_id);
                    pkg->cover_id = strdup(content);
                } else if (strcmp(name, "primary-writing-mode") == 0 && *content) {
                    /* vertical Japanese or Chinese (vertical-rl ...): kept for
                     * the EPUB writer, which writes it back */
                    rc = dp_meta_set_string(doc, meta, "primary-writing-mode", content);
                } else if (strncmp(name, "schema:", 7) == 0) {
                    int a11y = 0;
                    for (int k = 0; A11Y[k]; k++)
                        a11y |= strcmp(A11Y[k], name) == 0;
                    if (a11y)
                        rc = a11y_add(doc, meta, name, content);
                }
            }
            xmlFree(property);
            xmlFree(name);
            xmlFree(content);
        }
        xmlFree(id);
        free(text);
    }
    if (rc == DP_OK && !main_title && first_title)
        rc = dp_meta_set_string(doc, meta, "title", first_title);
    free(first_title);
    if (generated) {
        char *save = NULL;
        for (char *tok = strtok_r(generated, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save))
            if (strcmp(tok, "title") == 0 || strcmp(tok, "language") == 0) {
                dp_meta_remove(meta, tok);
                dp_info(a->ctx, "%s: %s generated by docpipe, not kept as metadata", pkg->opf_path, tok);
            }
        free(generated);
    }
done:
    for (size_t i = 0; i < nrefs; i++) {
        free((char *)refs[i].about);
        xmlFree(refs[i].property);
        free(refs[i].value);
    }
    free(refs);
    return rc == DP_OK ? DP_OK : nomem(a);
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
    xmlDocPtr opf = read_xml(a, pkg->opf_path, &rc);
    if (rc)
        return rc;
    if (!opf)
        return dp_fail(a->ctx, DP_EINPUT, pkg->opf_path, 0, 0, "the package document cannot be read");
    xmlNodePtr root = xmlDocGetRootElement(opf);
    char *unique_id = root ? prop(root, "unique-identifier") : NULL;
    xmlNodePtr md = NULL, manifest = NULL, spine = NULL;
    for (xmlNodePtr n = root ? root->children : NULL; n; n = n->next) {
        if (is(n, "metadata"))
            md = n;
        else if (is(n, "manifest"))
            manifest = n;
        else if (is(n, "spine"))
            spine = n;
    }
    if (md) {
        /* EPUB 2 may wrap the Dublin Core in <dc-metadata> */
        xmlNodePtr inner = NULL;
        for (xmlNodePtr n = md->children; n; n = n->next)
            if (is(n, "dc-metadata"))
                inner = n;
        rc = read_metadata(a, doc, inner ? inner : md, unique_id, pkg);
        for (xmlNodePtr n = md->children; n && rc == DP_OK; n = n->next)
            if (is(n, "x-metadata"))
                rc = read_metadata(a, doc, n, unique_id, pkg);
    } else {
        dp_warn_at(a->ctx, pkg->opf_path, 0, 0, "package has no <metadata>");
    }
    xmlFree(unique_id);
    if (rc)
        goto done;

    size_t count = 0;
    for (xmlNodePtr n = manifest ? manifest->children : NULL; n; n = n->next)
        count += is(n, "item");
    pkg->items = calloc(count ? count : 1, sizeof *pkg->items);
    if (!pkg->items) {
        rc = nomem(a);
        goto done;
    }
    for (xmlNodePtr n = manifest ? manifest->children : NULL; n; n = n->next) {
        if (!is(n, "item"))
            continue;
        ep_item *it = &pkg->items[pkg->nitems++];
        it->id = prop(n, "id");
        it->media = prop(n, "media-type");
        it->props = prop(n, "properties");
        char *href = prop(n, "href");
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
        count += is(n, "itemref");
    pkg->spine = calloc(count ? count : 1, sizeof *pkg->spine);
    if (!pkg->spine) {
        rc = nomem(a);
        goto done;
    }
    if (spine) {
        pkg->ncx_id = prop(spine, "toc");
        /* the book's base direction: metadata dir, as front matter says it */
        char *ppd = prop(spine, "page-progression-direction");
        if (ppd && (strcmp(ppd, "rtl") == 0 || strcmp(ppd, "ltr") == 0) &&
            dp_meta_set_string(doc, dp_doc_meta(doc), "dir", ppd) != DP_OK) {
            xmlFree(ppd);
            rc = nomem(a);
            goto done;
        }
        xmlFree(ppd);
    }
    for (xmlNodePtr n = spine ? spine->children : NULL; n; n = n->next) {
        if (!is(n, "itemref"))
            continue;
        char *idref = prop(n, "idref");
        const ep_item *it = ep_item_by_id(pkg, idref);
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
            rc = nomem(a);
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
    xmlFreeDoc(opf);
    return rc;
}

/* ---- navigation titles --------------------------------------------------- */

static int add_title(ep_title **t, size_t *n, size_t *cap, const char *base, const char *href, const char *text)
{
    char *path = xr_resolve_href(base, href, NULL);
    if (!path || !text || !*text) {
        free(path);
        return DP_OK;
    }
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*t)[i].path, path) == 0) {
            free(path);
            return DP_OK; /* the first entry for a file names it */
        }
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        ep_title *nt = realloc(*t, nc * sizeof *nt);
        if (!nt) {
            free(path);
            return DP_ENOMEM;
        }
        *t = nt;
        *cap = nc;
    }
    (*t)[*n].path = path;
    (*t)[*n].title = strdup(text);
    (*n)++;
    return DP_OK;
}

int ep_nav_titles(ez_archive *a, ep_pkg *pkg, ep_title **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
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
            if (!is(x, "nav"))
                continue;
            xmlChar *type = xmlGetNsProp(x, BAD_CAST "type", BAD_CAST "http://www.idpf.org/2007/ops");
            if (!type)
                type = xmlGetProp(x, BAD_CAST "epub:type");
            int toc = type && strstr((const char *)type, "toc");
            xmlFree(type);
            if (!toc)
                continue;
            for (xmlNodePtr y = x; y && rc == DP_OK; y = xr_next_in_public(x, y)) {
                if (!is(y, "a"))
                    continue;
                char *href = prop(y, "href");
                char *text = trimmed_text(y);
                if (href && text)
                    rc = add_title(out, n, &cap, nav->path, href, text);
                xmlFree(href);
                free(text);
            }
        }
        xmlFreeDoc(d);
        return rc == DP_OK ? DP_OK : nomem(a);
    }
    const ep_item *ncx = ep_item_by_id(pkg, pkg->ncx_id);
    for (size_t i = 0; i < pkg->nitems && !ncx; i++)
        if (pkg->items[i].media && strcmp(pkg->items[i].media, "application/x-dtbncx+xml") == 0)
            ncx = &pkg->items[i];
    if (!ncx || !ncx->path) {
        dp_warn_at(a->ctx, pkg->opf_path, 0, 0, "no navigation document and no NCX");
        return DP_OK;
    }
    xmlDocPtr d = read_xml(a, ncx->path, &rc);
    if (rc)
        return rc;
    if (!d)
        return DP_OK;
    xmlNodePtr root = xmlDocGetRootElement(d);
    for (xmlNodePtr x = root; x && rc == DP_OK; x = xr_next_in_public(root, x)) {
        if (!is(x, "navPoint"))
            continue;
        char *text = NULL, *src = NULL;
        for (xmlNodePtr c = x->children; c; c = c->next) {
            if (is(c, "navLabel") && !text)
                text = trimmed_text(c);
            else if (is(c, "content") && !src)
                src = prop(c, "src");
        }
        if (src && text)
            rc = add_title(out, n, &cap, ncx->path, src, text);
        free(text);
        xmlFree(src);
    }
    xmlFreeDoc(d);
    return rc == DP_OK ? DP_OK : nomem(a);
}

void ep_titles_free(ep_title *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(t[i].path);
        free(t[i].title);
    }
    free(t);
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
