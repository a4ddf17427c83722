/* epub_writer: navigation. The EPUB 3 navigation document (toc, landmarks,
 * page-list) and the NCX that EPUB 2 reading systems use (written for both
 * versions: old readers open EPUB 3 files too). */
#include "epub_book.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const xmlChar *X(const char *s) { return (const xmlChar *)s; }

/* file or file#fragment of a target */
static char *target_href(const epubw_book *b, const epubw_target *t)
{
    const char *file = b->chapters[t->chapter].file;
    if (!t->fragment)
        return epubw_strdup(file);
    /* fragments are the XHTML writer's ids: XML names in EPUB 2 already */
    return epubw_strf("%s#%s", file, t->fragment);
}

/* ---- the nesting of toc entries by heading level ---- */

typedef struct nest {
    xmlNodePtr list[8]; /* the open list element at each depth */
    int level[8];       /* the heading level its entries have */
    xmlNodePtr last[8]; /* the last entry added at each depth */
    int depth;
    int max_depth;
} nest;

/* Returns the depth (0-based) at which an entry of this level goes, opening
 * or closing nested lists; a child list hangs below the previous entry. */
static int nest_place(nest *n, int level, xmlNodePtr (*open_list)(xmlNodePtr parent))
{
    while (n->depth > 0 && level < n->level[n->depth])
        n->depth--;
    if (level > n->level[n->depth] && n->last[n->depth] && n->depth + 1 < 8) {
        xmlNodePtr l = open_list(n->last[n->depth]);
        n->depth++;
        n->list[n->depth] = l;
        n->level[n->depth] = level;
        n->last[n->depth] = NULL;
    }
    if (n->depth + 1 > n->max_depth)
        n->max_depth = n->depth + 1;
    return n->depth;
}

static xmlNodePtr open_ol(xmlNodePtr li) { return epubw_el(li, "ol", NULL); }

static void toc_nav(epubw_book *b, xmlNodePtr body)
{
    xmlNodePtr nav = epubw_el(body, "nav", NULL);
    epubw_semantic(b, nav, "toc", "doc-toc");
    xmlNewProp(nav, X("id"), X("toc"));
    xmlNewProp(nav, X("aria-labelledby"), X("toc-title"));
    xmlNodePtr h = epubw_el(nav, "h1", "Contents");
    xmlNewProp(h, X("id"), X("toc-title"));
    epubw_english_label(b, h);
    nest n = {0};
    n.list[0] = epubw_el(nav, "ol", NULL);
    n.level[0] = b->ntoc ? b->toc[0].level : 1;
    for (size_t i = 0; i < b->ntoc; i++) {
        const epubw_target *t = &b->toc[i];
        int d = nest_place(&n, t->level, open_ol);
        xmlNodePtr li = epubw_el(n.list[d], "li", NULL);
        char *href = target_href(b, t);
        xmlNodePtr a = epubw_el(li, "a", t->label);
        xmlNewProp(a, X("href"), X(href ? href : ""));
        free(href);
        n.last[d] = li;
    }
}

static void landmark(epubw_book *b, xmlNodePtr ol, const char *type, const char *href, const char *label)
{
    xmlNodePtr li = epubw_el(ol, "li", NULL);
    xmlNodePtr a = epubw_el(li, "a", label);
    epubw_semantic(b, a, type, NULL);
    xmlNewProp(a, X("href"), X(href));
    epubw_english_label(b, a);
}

static void landmarks_nav(epubw_book *b, xmlNodePtr body)
{
    xmlNodePtr nav = epubw_el(body, "nav", NULL);
    epubw_semantic(b, nav, "landmarks", NULL);
    xmlNewProp(nav, X("id"), X("landmarks"));
    xmlNewProp(nav, X("hidden"), X("hidden"));
    xmlNodePtr h = epubw_el(nav, "h2", "Landmarks");
    epubw_english_label(b, h);
    xmlNodePtr ol = epubw_el(nav, "ol", NULL);
    if (b->cover_kind != EPUBW_COVER_NONE)
        landmark(b, ol, "cover", "cover.xhtml", "Cover");
    if (b->title_page)
        landmark(b, ol, "titlepage", "titlepage.xhtml", "Title page");
    landmark(b, ol, "toc", "nav.xhtml#toc", "Contents");
    landmark(b, ol, "bodymatter", b->chapters[0].file, "Start of content");
    if (b->notes_file)
        landmark(b, ol, "endnotes", b->notes_file, "Notes");
}

static void page_list_nav(epubw_book *b, xmlNodePtr body)
{
    xmlNodePtr nav = epubw_el(body, "nav", NULL);
    epubw_semantic(b, nav, "page-list", "doc-pagelist");
    xmlNewProp(nav, X("id"), X("page-list"));
    xmlNewProp(nav, X("hidden"), X("hidden"));
    xmlNodePtr h = epubw_el(nav, "h2", "Pages");
    epubw_english_label(b, h);
    xmlNodePtr ol = epubw_el(nav, "ol", NULL);
    for (size_t i = 0; i < b->npages; i++) {
        xmlNodePtr li = epubw_el(ol, "li", NULL);
        char *href = target_href(b, &b->pages[i]);
        xmlNodePtr a = epubw_el(li, "a", b->pages[i].label);
        xmlNewProp(a, X("href"), X(href ? href : ""));
        free(href);
    }
}

int epubw_make_nav(epubw_book *b)
{
    xmlNodePtr body;
    xmlDocPtr doc = epubw_xhtml_new(b, "Contents", b->lang, 1, &body);
    if (!doc)
        return DP_ENOMEM;
    toc_nav(b, body);
    landmarks_nav(b, body);
    if (b->npages)
        page_list_nav(b, body);
    return epubw_add_xml_item(b, doc, 0, "nav", "nav.xhtml", "application/xhtml+xml", "nav", 1);
}

/* ---- NCX ---- */

/* playOrder: one number per distinct target, in reading order; targets that
 * point at the same place share it. */
typedef struct play {
    char **hrefs;
    size_t n;
} play;

static int play_order(play *p, const char *href)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->hrefs[i], href) == 0)
            return (int)i + 1;
    return 0;
}

static int build_play(epubw_book *b, play *p)
{
    size_t total = b->ntoc + b->npages;
    p->hrefs = calloc(total ? total : 1, sizeof *p->hrefs);
    if (!p->hrefs)
        return DP_ENOMEM;
    size_t it = 0, ip = 0;
    while (it < b->ntoc || ip < b->npages) {
        const epubw_target *t;
        if (ip >= b->npages || (it < b->ntoc && b->toc[it].order < b->pages[ip].order))
            t = &b->toc[it++];
        else
            t = &b->pages[ip++];
        char *href = target_href(b, t);
        if (!href)
            return DP_ENOMEM;
        if (play_order(p, href))
            free(href);
        else
            p->hrefs[p->n++] = href;
    }
    return 0;
}

static void free_play(play *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->hrefs[i]);
    free(p->hrefs);
}

static xmlNodePtr nav_label(xmlNodePtr parent, const char *text)
{
    xmlNodePtr l = xmlNewChild(parent, parent->ns, X("navLabel"), NULL);
    xmlNewTextChild(l, parent->ns, X("text"), X(text));
    return l;
}

static xmlNodePtr open_self(xmlNodePtr np) { return np; }

static void ncx_meta(xmlNodePtr head, const char *name, const char *content)
{
    xmlNodePtr m = xmlNewChild(head, head->ns, X("meta"), NULL);
    xmlNewProp(m, X("name"), X(name));
    xmlNewProp(m, X("content"), X(content));
}

/* ---- repeated page numbers ---- */

typedef struct page_key {
    const char *label;
    size_t index;
} page_key;

static int page_key_cmp(const void *a, const void *b)
{
    const page_key *x = a, *y = b;
    int c = strcmp(x->label, y->label);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* A flag per page target: 1 when an earlier one has the same label (a
 * source that numbers two pages alike: two editions, a typo). NCX requires
 * each value/type pair to be unique (EPUBCheck RSC-005), so a repeat is
 * written without its value, and said once. NULL when out of memory. */
static unsigned char *repeated_pages(const epubw_book *b)
{
    unsigned char *rep = calloc(b->npages ? b->npages : 1, 1);
    page_key *keys = malloc((b->npages ? b->npages : 1) * sizeof *keys);
    size_t n = 0;
    const char *first = NULL;
    if (!rep || !keys) {
        free(rep);
        free(keys);
        return NULL;
    }
    for (size_t i = 0; i < b->npages; i++)
        keys[i] = (page_key){b->pages[i].label, i};
    qsort(keys, b->npages, sizeof *keys, page_key_cmp);
    for (size_t i = 1; i < b->npages; i++)
        if (strcmp(keys[i].label, keys[i - 1].label) == 0) {
            rep[keys[i].index] = 1;
            n++;
            if (!first)
                first = keys[i].label;
        }
    if (n)
        dp_warn(b->ctx, "toc.ncx: %zu page number%s repeat%s an earlier one (the first: \"%s\"): written without the "
                        "value NCX requires to be unique; the labels and the page-list keep them all",
                n, n == 1 ? "" : "s", n == 1 ? "s" : "", first);
    free(keys);
    return rep;
}

int epubw_make_ncx(epubw_book *b)
{
    play p = {0};
    unsigned char *repeated = NULL;
    int rc = build_play(b, &p);
    if (rc) {
        free_play(&p);
        return rc;
    }
    xmlDocPtr doc = xmlNewDoc(X("1.0"));
    xmlNodePtr ncx = xmlNewDocNode(doc, NULL, X("ncx"), NULL);
    xmlDocSetRootElement(doc, ncx);
    xmlSetNs(ncx, xmlNewNs(ncx, X(EPUBW_NS_NCX), NULL));
    xmlNewProp(ncx, X("version"), X("2005-1"));
    xmlNodeSetLang(ncx, X(b->lang));
    xmlNodePtr head = xmlNewChild(ncx, ncx->ns, X("head"), NULL);
    xmlNodePtr title = xmlNewChild(ncx, ncx->ns, X("docTitle"), NULL);
    xmlNewTextChild(title, ncx->ns, X("text"), X(b->title));
    const dp_meta *authors = dp_meta_get(b->meta, "author");
    for (size_t i = 0; i < dp_meta_len(authors); i++) {
        const dp_meta *a = dp_meta_at(authors, i);
        const char *name = dp_meta_get_type(a) == DP_META_MAP ? dp_meta_get_text(a, "name") : dp_meta_text(a);
        if (name && *name) {
            xmlNodePtr da = xmlNewChild(ncx, ncx->ns, X("docAuthor"), NULL);
            xmlNewTextChild(da, ncx->ns, X("text"), X(name));
        }
    }

    xmlNodePtr map = xmlNewChild(ncx, ncx->ns, X("navMap"), NULL);
    nest n = {0};
    n.list[0] = map;
    n.level[0] = b->ntoc ? b->toc[0].level : 1;
    for (size_t i = 0; i < b->ntoc; i++) {
        const epubw_target *t = &b->toc[i];
        int d = nest_place(&n, t->level, open_self);
        char *href = target_href(b, t);
        if (!href) {
            rc = DP_ENOMEM;
            goto cleanup;
        }
        char id[32], po[16];
        snprintf(id, sizeof id, "np-%zu", i + 1);
        snprintf(po, sizeof po, "%d", play_order(&p, href));
        xmlNodePtr np = xmlNewChild(n.list[d], ncx->ns, X("navPoint"), NULL);
        xmlNewProp(np, X("id"), X(id));
        xmlNewProp(np, X("playOrder"), X(po));
        nav_label(np, t->label);
        xmlNodePtr c = xmlNewChild(np, ncx->ns, X("content"), NULL);
        xmlNewProp(c, X("src"), X(href));
        free(href);
        n.last[d] = np;
    }
    int max_page = 0;
    if (b->npages) {
        repeated = repeated_pages(b);
        if (!repeated) {
            rc = DP_ENOMEM;
            goto cleanup;
        }
        xmlNodePtr pl = xmlNewChild(ncx, ncx->ns, X("pageList"), NULL);
        nav_label(pl, "Pages");
        for (size_t i = 0; i < b->npages; i++) {
            const epubw_target *t = &b->pages[i];
            char *href = target_href(b, t);
            if (!href) {
                rc = DP_ENOMEM;
                goto cleanup;
            }
            char *end = NULL;
            long num = strtol(t->label, &end, 10);
            int numeric = end && *end == '\0' && num > 0;
            int with_value = numeric && !repeated[i];
            if (numeric && num > max_page)
                max_page = (int)num;
            char id[32], po[16];
            snprintf(id, sizeof id, "pt-%zu", i + 1);
            snprintf(po, sizeof po, "%d", play_order(&p, href));
            xmlNodePtr pt = xmlNewChild(pl, ncx->ns, X("pageTarget"), NULL);
            xmlNewProp(pt, X("id"), X(id));
            xmlNewProp(pt, X("type"), X(numeric ? "normal" : "special"));
            if (with_value)
                xmlNewProp(pt, X("value"), X(t->label));
            xmlNewProp(pt, X("playOrder"), X(po));
            nav_label(pt, t->label);
            xmlNodePtr c = xmlNewChild(pt, ncx->ns, X("content"), NULL);
            xmlNewProp(c, X("src"), X(href));
            free(href);
        }
    }
    /* head last: depth and page counts are known only now */
    char num[32];
    ncx_meta(head, "dtb:uid", b->identifier);
    snprintf(num, sizeof num, "%d", n.max_depth ? n.max_depth : 1);
    ncx_meta(head, "dtb:depth", num);
    snprintf(num, sizeof num, "%zu", b->npages);
    ncx_meta(head, "dtb:totalPageCount", num);
    snprintf(num, sizeof num, "%d", max_page);
    ncx_meta(head, "dtb:maxPageNumber", num);
    rc = epubw_add_xml_item(b, doc, 1, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL, 0);
    doc = NULL;
cleanup:
    free(repeated);
    xmlFreeDoc(doc);
    free_play(&p);
    return rc;
}
