/* <head> metadata of an HTML page into the document metadata: <title>,
 * <html lang>, <meta name> in the common vocabularies (plain names, Dublin
 * Core dc.* / dcterms.*, Highwire citation_*, Open Graph) and the names the
 * HTML exporter writes (every key, maps as key.sub), so that its output
 * reads back to the same metadata. */
#include "xr_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { M_LIST, M_FIRST, M_SUBJECTS, M_IGNORE };

typedef struct meta_map {
    const char *name; /* lower case */
    const char *key;
    int mode;
} meta_map;

static const meta_map MAP[] = {
    { "author", "author", M_LIST }, { "dc.creator", "author", M_LIST },
    { "dcterms.creator", "author", M_LIST }, { "citation_author", "author", M_LIST },
    { "translator", "translator", M_LIST }, { "editor", "editor", M_LIST },
    { "dc.contributor", "contributor", M_LIST }, { "dcterms.contributor", "contributor", M_LIST },
    { "description", "description", M_FIRST }, { "dc.description", "description", M_FIRST },
    { "dcterms.description", "description", M_FIRST }, { "dcterms.abstract", "description", M_FIRST },
    { "citation_abstract", "description", M_FIRST }, { "og:description", "description", M_FIRST },
    { "keywords", "subject", M_SUBJECTS }, { "dc.subject", "subject", M_SUBJECTS },
    { "dcterms.subject", "subject", M_SUBJECTS }, { "citation_keywords", "subject", M_SUBJECTS },
    { "date", "date", M_FIRST }, { "dc.date", "date", M_FIRST }, { "dcterms.date", "date", M_FIRST },
    { "dcterms.issued", "date", M_FIRST }, { "citation_publication_date", "date", M_FIRST },
    { "citation_date", "date", M_FIRST }, { "article:published_time", "date", M_FIRST },
    { "created", "created", M_FIRST }, { "dcterms.created", "created", M_FIRST },
    { "dc.language", "language", M_FIRST }, { "dcterms.language", "language", M_FIRST },
    { "citation_language", "language", M_FIRST }, { "language", "language", M_FIRST },
    { "identifier", "identifier", M_FIRST }, { "dc.identifier", "identifier", M_FIRST },
    { "dcterms.identifier", "identifier", M_FIRST }, { "citation_doi", "identifier", M_FIRST },
    { "citation_isbn", "identifier", M_FIRST },
    { "publisher", "publisher", M_FIRST }, { "dc.publisher", "publisher", M_FIRST },
    { "dcterms.publisher", "publisher", M_FIRST }, { "citation_publisher", "publisher", M_FIRST },
    { "rights", "rights", M_FIRST }, { "dc.rights", "rights", M_FIRST }, { "dcterms.rights", "rights", M_FIRST },
    { "license", "license", M_FIRST }, { "dcterms.license", "license", M_FIRST },
    { "subtitle", "subtitle", M_FIRST },
    { "viewport", NULL, M_IGNORE }, { "generator", NULL, M_IGNORE }, { "robots", NULL, M_IGNORE },
    { "theme-color", NULL, M_IGNORE }, { "color-scheme", NULL, M_IGNORE }, { "referrer", NULL, M_IGNORE },
    { "format-detection", NULL, M_IGNORE },
    { NULL, NULL, 0 }
};

/* title candidates by priority: citation_title / dc.title over <title>
 * (which often carries " | Site name"), og:title last */
static int title_rank(const char *name)
{
    if (strcasecmp(name, "citation_title") == 0)
        return 4;
    if (strcasecmp(name, "dc.title") == 0 || strcasecmp(name, "dcterms.title") == 0)
        return 3;
    if (strcasecmp(name, "og:title") == 0)
        return 1;
    return 0;
}

static int append_string(dp_doc *doc, dp_meta *map, const char *key, const char *v)
{
    dp_meta *cur = dp_meta_get(map, key);
    dp_meta *item = dp_meta_new_string(doc, v);
    if (!item)
        return DP_ENOMEM;
    if (!cur) {
        dp_meta *l = dp_meta_new_list(doc);
        if (!l || dp_meta_append(l, item) || dp_meta_set(map, key, l))
            return DP_ENOMEM;
        return DP_OK;
    }
    if (dp_meta_get_type(cur) != DP_META_LIST) {
        dp_meta *l = dp_meta_new_list(doc);
        if (!l || dp_meta_append(l, cur) || dp_meta_set(map, key, l))
            return DP_ENOMEM;
        cur = l;
    }
    return dp_meta_append(cur, item);
}

/* "a.b" (the exporter's maps and lists of maps): map a gets b; a repeated b
 * starts the next map of a list. */
static int set_dotted(dp_doc *doc, dp_meta *meta, const char *name, const char *v)
{
    const char *dot = strchr(name, '.');
    char key[128];
    size_t kl = (size_t)(dot - name);
    if (kl >= sizeof key)
        return DP_OK;
    memcpy(key, name, kl);
    key[kl] = '\0';
    const char *sub = dot + 1;
    dp_meta *cur = dp_meta_get(meta, key);
    if (cur && dp_meta_get_type(cur) == DP_META_STRING) {
        /* "source" = url/title written beside source.*: the map replaces it */
        cur = NULL;
    }
    dp_meta *target = NULL;
    if (!cur) {
        target = dp_meta_new_map(doc);
        if (!target || dp_meta_set(meta, key, target))
            return DP_ENOMEM;
    } else if (dp_meta_get_type(cur) == DP_META_MAP) {
        target = cur;
        if (dp_meta_get(cur, sub)) {
            dp_meta *l = dp_meta_new_list(doc);
            target = dp_meta_new_map(doc);
            if (!l || !target || dp_meta_append(l, cur) || dp_meta_append(l, target) || dp_meta_set(meta, key, l))
                return DP_ENOMEM;
        }
    } else if (dp_meta_get_type(cur) == DP_META_LIST) {
        size_t n = dp_meta_len(cur);
        target = n ? dp_meta_at(cur, n - 1) : NULL;
        if (!target || dp_meta_get_type(target) != DP_META_MAP || dp_meta_get(target, sub)) {
            target = dp_meta_new_map(doc);
            if (!target || dp_meta_append(cur, target))
                return DP_ENOMEM;
        }
    } else {
        return DP_OK;
    }
    return dp_meta_set_string(doc, target, sub, v);
}

static int add_subjects(dp_doc *doc, dp_meta *meta, const char *v)
{
    char *copy = strdup(v);
    if (!copy)
        return DP_ENOMEM;
    char *save = NULL;
    int rc = DP_OK;
    for (char *t = strtok_r(copy, ",;", &save); t && rc == DP_OK; t = strtok_r(NULL, ",;", &save)) {
        while (*t == ' ')
            t++;
        size_t l = strlen(t);
        while (l && t[l - 1] == ' ')
            t[--l] = '\0';
        if (*t)
            rc = append_string(doc, meta, "subject", t);
    }
    free(copy);
    return rc;
}

static char *lower(const char *s)
{
    char *r = strdup(s);
    for (char *p = r; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return r;
}

static int one_meta(dp_ctx *ctx, dp_doc *doc, dp_meta *meta, xmlNodePtr el, char **title, int *title_rank_best)
{
    char *name = xr_attr(el, "name");
    if (!name)
        name = xr_attr(el, "property");
    char *content = xr_attr(el, "content");
    int rc = DP_OK;
    if (!name || !content || !*content) {
        char *he = xr_attr(el, "http-equiv");
        if (he && content && strcasecmp(he, "content-language") == 0 && !dp_meta_get(meta, "language"))
            rc = dp_meta_set_string(doc, meta, "language", content);
        xmlFree(he);
        goto done;
    }
    char *lname = lower(name);
    if (!lname) {
        rc = DP_ENOMEM;
        goto done;
    }
    size_t cl;
    char *v = xmlu_collapse_ws(content, strlen(content), 1, &cl);
    if (!v) {
        free(lname);
        rc = DP_ENOMEM;
        goto done;
    }
    int rank = title_rank(lname);
    if (rank || strcmp(lname, "title") == 0) {
        if (rank > *title_rank_best) {
            free(*title);
            *title = strdup(v);
            *title_rank_best = rank;
        }
    } else {
        const meta_map *m = NULL;
        for (const meta_map *p = MAP; p->name; p++)
            if (strcmp(p->name, lname) == 0)
                m = p;
        if (m) {
            if (m->mode == M_LIST)
                rc = append_string(doc, meta, m->key, v);
            else if (m->mode == M_FIRST && !dp_meta_get(meta, m->key))
                rc = dp_meta_set_string(doc, meta, m->key, v);
            else if (m->mode == M_SUBJECTS)
                rc = add_subjects(doc, meta, v);
        } else if (strchr(lname, '.') && strncmp(lname, "dc.", 3) != 0 && strncmp(lname, "dcterms.", 8) != 0) {
            rc = set_dotted(doc, meta, name, v);
        } else if (strcmp(lname, "source") == 0) {
            /* a string: the HTML writer follows it with source.* fields,
             * which replace it by the full map */
            if (!dp_meta_get(meta, "source"))
                rc = dp_meta_set_string(doc, meta, "source", v);
        } else if (strncmp(lname, "dc.", 3) == 0 || strncmp(lname, "dcterms.", 8) == 0 ||
                   strncmp(lname, "citation_", 9) == 0 || !strchr(lname, ':')) {
            /* other names pass through under their own name */
            if (dp_meta_get(meta, name))
                rc = append_string(doc, meta, name, v);
            else
                rc = dp_meta_set_string(doc, meta, name, v);
        } else {
            dp_info(ctx, "<meta name=\"%s\"> not kept (not document metadata)", name);
        }
    }
    free(v);
    free(lname);
done:
    xmlFree(name);
    xmlFree(content);
    return rc;
}

int xr_read_head_meta(dp_ctx *ctx, dp_doc *doc, xmlDocPtr xdoc)
{
    xmlNodePtr root = xmlDocGetRootElement(xdoc);
    dp_meta *meta = dp_doc_meta(doc);
    if (!root)
        return DP_OK;
    int rc = DP_OK;
    char *lang = xr_attr(root, "lang");
    if (!lang)
        lang = (char *)xmlGetNsProp(root, BAD_CAST "lang", XML_XML_NAMESPACE);
    if (!lang) /* <body lang> when <html> has none */
        lang = xr_attr(xr_body(xdoc), "lang");
    char *title = NULL;
    int best = -1;
    int generated_title = 0; /* <meta name="docpipe:generated" content="title"> */
    for (xmlNodePtr n = root; n && rc == DP_OK; n = xr_next_in(root, n, 0)) {
        if (xr_is_elem(n, "body"))
            break; /* <title>/<meta> after <body> opened were moved by the parser */
        if (xr_is_elem(n, "title") && best < 2) {
            char *t = xr_text_content(n, 1);
            if (t && *t) {
                free(title);
                title = t;
                best = 2;
            } else {
                free(t);
            }
        } else if (xr_is_elem(n, "meta") && xr_attr_has_token(n, "name", "docpipe:generated")) {
            /* docpipe's HTML writer made the <title> up (html_head.c) */
            if (xr_attr_has_token(n, "content", "title"))
                generated_title = 1;
        } else if (xr_is_elem(n, "meta")) {
            rc = one_meta(ctx, doc, meta, n, &title, &best);
        } else if (xr_is_elem(n, "link") && xr_attr_has_token(n, "rel", "license")) {
            char *href = xr_attr(n, "href");
            if (href && *href && !dp_meta_get(meta, "license"))
                rc = dp_meta_set_string(doc, meta, "license", href);
            xmlFree(href);
        }
    }
    if (rc == DP_OK && title && *title && !(generated_title && best == 2))
        rc = dp_meta_set_string(doc, meta, "title", title);
    else if (title && generated_title)
        dp_info(ctx, "<title>%s</title> generated by docpipe: not kept as metadata", title);
    /* "und" (undetermined) is what writers put where a language is required
     * and none is known (ours among them): no language to carry on */
    if (rc == DP_OK && lang && *lang && strcasecmp(lang, "und") != 0)
        rc = dp_meta_set_string(doc, meta, "language", lang);
    /* the base direction: <html dir>, else <body dir> (auto included) */
    char *dir = xr_attr(root, "dir");
    if (!dir)
        dir = xr_attr(xr_body(xdoc), "dir");
    if (rc == DP_OK && dir && (strcasecmp(dir, "rtl") == 0 || strcasecmp(dir, "ltr") == 0 ||
                               strcasecmp(dir, "auto") == 0)) {
        for (char *c = dir; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        rc = dp_meta_set_string(doc, meta, "dir", dir);
    }
    xmlFree(dir);
    free(title);
    xmlFree(lang);
    if (rc != DP_OK)
        return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "out of memory");
    return DP_OK;
}
