/* A reading session: the files of one document (one HTML page, or the spine
 * of an EPUB), read together so references across files resolve. */
#include "xr_internal.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int xr_session_new(xr_session **out, dp_ctx *ctx, dp_doc *doc)
{
    *out = NULL;
    xr_session *s = calloc(1, sizeof *s);
    if (!s)
        return DP_ENOMEM;
    s->ctx = ctx;
    s->doc = doc;
    s->file_by_name = xmlHashCreate(64);
    s->ids_by_key = xmlHashCreate(64);
    s->used_ids = xmlHashCreate(64);
    s->resource_base = strdup("");
    const dp_limits *lim = dp_ctx_limits(ctx);
    s->max_depth = lim && lim->max_depth > 8 ? lim->max_depth : 1000;
    if (!s->file_by_name || !s->ids_by_key || !s->used_ids || !s->resource_base) {
        xr_session_free(s);
        return DP_ENOMEM;
    }
    *out = s;
    return DP_OK;
}

static void clear_private(xmlDocPtr d)
{
    xmlNodePtr root = xmlDocGetRootElement(d);
    for (xmlNodePtr n = root; n; n = xr_next_in(root, n, 0))
        n->_private = NULL; /* arena-owned; the xmlDoc may be freed after the dp_doc */
}

void xr_session_free(xr_session *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nfiles; i++) {
        if (s->files[i].xdoc) {
            clear_private(s->files[i].xdoc);
            xmlFreeDoc(s->files[i].xdoc);
        }
        free(s->files[i].name);
        free(s->files[i].nav_title);
    }
    free(s->files);
    xmlHashFree(s->file_by_name, NULL);
    xmlHashFree(s->ids_by_key, NULL);
    xmlHashFree(s->used_ids, NULL);
    free(s->resource_base);
    free(s->generated_cover);
    free(s->pending);
    free(s->refs);
    free(s);
}

int xr_session_set_resource_base(xr_session *s, const char *base_dir)
{
    char *b = strdup(base_dir ? base_dir : "");
    if (!b)
        return DP_ENOMEM;
    free(s->resource_base);
    s->resource_base = b;
    return DP_OK;
}

int xr_session_set_generated_cover(xr_session *s, const char *path)
{
    char *c = path ? strdup(path) : NULL;
    if (path && !c)
        return DP_ENOMEM;
    free(s->generated_cover);
    s->generated_cover = c;
    return DP_OK;
}

int xr_session_add(xr_session *s, xmlDocPtr xdoc, const char *name, const char *nav_title)
{
    if (DP_ARRAY_RESERVE(s->files, s->cap, s->nfiles + 1)) {
        xmlFreeDoc(xdoc);
        return DP_ENOMEM;
    }
    xr_file *f = &s->files[s->nfiles];
    memset(f, 0, sizeof *f);
    f->xdoc = xdoc;
    f->name = strdup(name ? name : "");
    f->nav_title = nav_title ? strdup(nav_title) : NULL;
    s->nfiles++;
    if (!f->name || (nav_title && !f->nav_title))
        return DP_ENOMEM;
    /* a name met again keeps its first file, as a search in order would */
    if (xmlHashLookup(s->file_by_name, BAD_CAST f->name) == NULL &&
        xmlHashAddEntry(s->file_by_name, BAD_CAST f->name, (void *)(uintptr_t)s->nfiles) < 0)
        return DP_ENOMEM;
    return DP_OK;
}

static int has_heading(dp_node *from)
{
    for (dp_node *b = from; b; b = dp_node_next(b)) {
        dp_iter it;
        dp_iter_init(&it, b);
        dp_event ev;
        while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
            dp_node *n = dp_iter_node(&it);
            if (ev == DP_EV_ENTER && dp_node_kind(n) == DP_HEADING)
                return 1;
            if (ev == DP_EV_ENTER && dp_node_kind(n) == DP_NOTE)
                dp_iter_skip_children(&it);
        }
    }
    return 0;
}

/* A file with text but no heading of its own gets its nav title as one, so
 * the chapter stays findable (and the EPUB writer can split there). */
static int add_nav_heading(xr_session *s, xr_file *f, dp_node *first)
{
    if (!f->nav_title || !*f->nav_title || !first || has_heading(first))
        return DP_OK;
    int text = 0;
    for (dp_node *b = first; b && !text; b = dp_node_next(b)) {
        const char *t = dp_node_plain_text(b, 1);
        text = t && !xr_is_ws(t);
    }
    if (!text)
        return DP_OK;
    dp_node *h = dp_node_new(s->doc, DP_HEADING);
    dp_node *t = dp_node_new_text(s->doc, DP_TEXT, f->nav_title, strlen(f->nav_title));
    if (!h || !t || dp_node_append_child(h, t) || dp_node_insert_before(first, h))
        return DP_ENOMEM;
    dp_info(s->ctx, "%s: no heading: its navigation title \"%s\" added as one", f->name, f->nav_title);
    f->first_block = h;
    return DP_OK;
}

/* The language a file declares on <body> or <html> (xml:lang or lang), or
 * NULL; "und" (BCP 47 undetermined, which writers put where a language is
 * required and none is known) is none. xmlFree() it. */
static char *file_lang(xmlDocPtr x)
{
    xmlNodePtr root = xmlDocGetRootElement(x);
    xmlNodePtr body = xr_body(x);
    xmlNodePtr els[2] = { body, root };
    for (int i = 0; i < 2; i++) {
        if (!els[i])
            continue;
        xmlChar *l = xmlGetNsProp(els[i], BAD_CAST "lang", XML_XML_NAMESPACE);
        if (!l)
            l = (xmlChar *)xr_attr(els[i], "lang");
        if (l && *l && strcasecmp((const char *)l, "und") != 0)
            return (char *)l;
        xmlFree(l);
        if (l)
            break; /* "und" (undetermined): declared, but no language */
    }
    return NULL;
}

/* A file in another language than the document (a French chapter in an
 * English book): its top-level blocks carry the file's language. */
static int apply_file_lang(xr_session *s, xr_file *f, dp_node *first)
{
    char *lang = file_lang(f->xdoc);
    const char *doc_lang = dp_meta_get_text(dp_doc_meta(s->doc), "language");
    int rc = DP_OK;
    if (lang && (!doc_lang || strcasecmp(lang, doc_lang) != 0)) {
        for (dp_node *b = first; b && rc == DP_OK; b = dp_node_next(b))
            if (!dp_node_lang(b))
                rc = dp_node_set_lang(b, lang);
    }
    xmlFree(lang);
    return rc;
}

/* A file whose base direction (dir on <body>, else <html>) differs from the
 * book's (metadata dir, from the spine): its top-level blocks carry it. */
static int apply_file_dir(xr_session *s, xr_file *f, dp_node *first)
{
    xmlNodePtr root = xmlDocGetRootElement(f->xdoc);
    char *dir = xr_attr(xr_body(f->xdoc), "dir");
    if (!dir && root)
        dir = xr_attr(root, "dir");
    const char *doc_dir = dp_meta_get_text(dp_doc_meta(s->doc), "dir");
    int rc = DP_OK;
    if (dir && (strcasecmp(dir, "rtl") == 0 || strcasecmp(dir, "ltr") == 0) &&
        strcasecmp(dir, doc_dir ? doc_dir : "ltr") != 0) {
        for (dp_node *b = first; b && rc == DP_OK; b = dp_node_next(b))
            if (!dp_node_attr(b, "dir"))
                rc = dp_node_set_attr(b, "dir", strcasecmp(dir, "rtl") == 0 ? "rtl" : "ltr");
    }
    xmlFree(dir);
    return rc;
}

/* Which walk reads each DOM last: its own, or a later one whose content
 * (or a note body read from it) links into it, through any chain of
 * references: the highest file index from which it can be reached. Files
 * are taken from the last down, each marking what it reaches that no later
 * file did, so every file and reference is visited once (repeating passes
 * over the references until nothing changes took one pass per step of a
 * chain: quadratic for chapters that each link to the previous one). Out of
 * memory, every DOM lives to the end, as before this was computed. */
static void find_last_walks(xr_session *s)
{
    size_t n = s->nfiles, unset = (size_t)-1;
    size_t *first = calloc(n + 1, sizeof *first); /* refs of file f: to[first[f] .. first[f + 1]) */
    size_t *to = malloc((s->nrefs ? s->nrefs : 1) * sizeof *to);
    size_t *stack = malloc((n ? n : 1) * sizeof *stack);
    if (!first || !to || !stack) {
        for (size_t i = 0; i < n; i++)
            s->files[i].last_walk = n - 1;
        free(first);
        free(to);
        free(stack);
        return;
    }
    for (size_t k = 0; k < s->nrefs; k++) /* counted, then summed: first[f] = end of f's */
        first[s->refs[k].from]++;
    for (size_t f = 1; f < n; f++)
        first[f] += first[f - 1];
    first[n] = s->nrefs;
    for (size_t k = s->nrefs; k-- > 0;) /* placed from the end: first[f] = start of f's */
        to[--first[s->refs[k].from]] = s->refs[k].to;
    for (size_t i = 0; i < n; i++)
        s->files[i].last_walk = unset;
    for (size_t y = n; y-- > 0;) {
        if (s->files[y].last_walk != unset)
            continue;
        size_t top = 0;
        s->files[y].last_walk = y;
        stack[top++] = y;
        while (top) {
            size_t f = stack[--top];
            for (size_t k = first[f]; k < first[f + 1]; k++)
                if (s->files[to[k]].last_walk == unset) {
                    s->files[to[k]].last_walk = y;
                    stack[top++] = to[k];
                }
        }
    }
    free(first);
    free(to);
    free(stack);
}

/* libxml2 nodes freed between two returns of freed memory to the system
 * (about 1 MB: a node with its name, text or attribute is 100-150 bytes) */
#define TRIM_EVERY_NODES 8192u

/* Frees the DOMs no walk after walk i reads: an EPUB's spine is not held
 * whole until the end (10 MB EPUB -> Markdown: 32 MB of libxml2 nodes at the
 * peak). Their pages are handed back to the system every few MB: freed
 * small nodes otherwise stay resident in the middle of the heap, and the
 * tree the walk builds (large slabs, mapped apart) could not reuse them. */
static void free_read_files(xr_session *s, size_t i, size_t *first_alive, size_t *freed_nodes)
{
    for (size_t j = *first_alive; j <= i; j++) {
        xr_file *f = &s->files[j];
        if (f->xdoc && f->last_walk <= i) {
            clear_private(f->xdoc);
            xmlFreeDoc(f->xdoc);
            f->xdoc = NULL;
            *freed_nodes += f->nodes;
        }
        if (!f->xdoc && j == *first_alive)
            (*first_alive)++;
    }
    if (*freed_nodes >= TRIM_EVERY_NODES) {
        *freed_nodes = 0;
#ifdef __GLIBC__
        malloc_trim(0);
#endif
    }
}

int xr_session_run(xr_session *s)
{
    int rc = xr_prepass(s);
    if (rc != DP_OK)
        return rc == DP_ENOMEM ? dp_fail(s->ctx, DP_ENOMEM, NULL, 0, 0, "out of memory") : rc;
    find_last_walks(s);
    size_t first_alive = 0, freed_nodes = 0;
    dp_node *root = dp_doc_root(s->doc);
    for (size_t i = 0; i < s->nfiles; i++) {
        dp_node *before = dp_node_last_child(root);
        if ((rc = xr_walk_file(s, i)) != DP_OK)
            return rc;
        dp_node *first = before ? dp_node_next(before) : dp_node_first_child(root);
        s->files[i].first_block = first;
        if ((rc = add_nav_heading(s, &s->files[i], first)) != DP_OK ||
            (rc = apply_file_lang(s, &s->files[i], s->files[i].first_block)) != DP_OK ||
            (rc = apply_file_dir(s, &s->files[i], s->files[i].first_block)) != DP_OK)
            return dp_fail(s->ctx, DP_ENOMEM, NULL, 0, 0, "out of memory");
        free_read_files(s, i, &first_alive, &freed_nodes);
    }
    /* links to a whole file point at its first block */
    for (size_t i = 0; i < s->npending; i++) {
        xr_file *f = &s->files[s->pending[i].file];
        if (!f->anchor && f->first_block) {
            const char *id = dp_node_id(f->first_block);
            if (!id) {
                char want[128];
                const char *base = strrchr(f->name, '/');
                base = base ? base + 1 : f->name;
                size_t o = 0;
                for (const char *p = base; *p && o + 1 < sizeof want; p++)
                    want[o++] = (char)((*p == '.' || *p == ' ') ? '-' : *p);
                want[o] = '\0';
                id = xr_unique_id(s, o ? want : "file");
                if (!id || dp_node_set_id(f->first_block, id))
                    return dp_fail(s->ctx, DP_ENOMEM, NULL, 0, 0, "out of memory");
            }
            f->anchor = id;
        }
        if (f->anchor) {
            size_t l = strlen(f->anchor);
            char *u = malloc(l + 2);
            if (!u)
                return dp_fail(s->ctx, DP_ENOMEM, NULL, 0, 0, "out of memory");
            u[0] = '#';
            memcpy(u + 1, f->anchor, l + 1);
            dp_node_set_url(s->pending[i].link, u);
            free(u);
        }
    }
    return xr_tidy(s);
}
