/* epub_reader: the OPF <metadata> into the document's metadata (Dublin
 * Core, refinements, people and their roles, accessibility). */
#include "epub_pkg_internal.h"

#include <stdlib.h>
#include <string.h>

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

int ep_read_metadata(ez_archive *a, dp_doc *doc, xmlNodePtr md, const char *unique_id, ep_pkg *pkg)
{
    dp_meta *meta = dp_doc_meta(doc);
    refine *refs = NULL;
    size_t nrefs = 0, cap = 0;
    int rc = DP_OK;
    /* refinements first: they may follow what they refine */
    for (xmlNodePtr n = md->children; n; n = n->next) {
        if (!ep_is(n, "meta"))
            continue;
        char *about = ep_prop(n, "refines");
        if (!about)
            continue;
        if (DP_ARRAY_RESERVE(refs, cap, nrefs + 1)) {
            xmlFree(about);
            rc = DP_ENOMEM;
            goto done;
        }
        refs[nrefs].property = ep_prop(n, "property");
        refs[nrefs].value = ep_trimmed_text(n);
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
        const char *nm = ep_lname(n);
        char *id = ep_prop(n, "id");
        char *text = ep_trimmed_text(n);
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
            char *property = ep_prop(n, "property");
            char *name = ep_prop(n, "name");
            char *content = ep_prop(n, "content");
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
    return rc == DP_OK ? DP_OK : ep_nomem(a);
}
