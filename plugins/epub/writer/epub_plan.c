/* epub_writer: the plan. Splits the body into chapters, collects the toc
 * and page-list targets (with the ids the shared XHTML writer gives their
 * nodes), records which file holds each written id (to rewrite "#id" links
 * across files) and places the document's resources. */
#include "epub_book.h"

#include <libxml/hash.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct plan_state {
    epubw_book *b;
    int order; /* document order of targets */
} plan_state;

/* Names the writer itself uses inside EPUBW_PKG_DIR. */
static const char *const reserved_names[] = {
    "package.opf", "nav.xhtml", "toc.ncx", "titlepage.xhtml", "cover.xhtml",
    "docpipe-cover.svg", "notes.xhtml", EPUBW_CSS_HREF, NULL};

static int add_chapter(epubw_book *b, const dp_node *first, const dp_node *heading)
{
    if (DP_ARRAY_RESERVE(b->chapters, b->capchapters, b->nchapters + 1))
        return DP_ENOMEM;
    epubw_chapter *c = &b->chapters[b->nchapters++];
    memset(c, 0, sizeof *c);
    c->first = first;
    c->heading = heading;
    c->file = epubw_strf("ch%03zu.xhtml", b->nchapters);
    const char *t = heading ? dp_node_plain_text(heading, 1) : NULL;
    c->title = epubw_strdup(t && *t ? t : b->title);
    if (!c->file || !c->title)
        return DP_ENOMEM;
    return 0;
}

/* The heading a top-level block opens with: the block itself, or the first
 * heading of a section (a div whose first block is a heading, as HTML and
 * TEI imports make them), looking a few sections deep. */
static const dp_node *opening_heading(const dp_node *n)
{
    for (int depth = 0; n && depth < 8; depth++) {
        dp_kind k = dp_node_kind(n);
        if (k == DP_HEADING)
            return n;
        if (k != DP_DIV)
            return NULL;
        n = dp_node_first_child(n);
    }
    return NULL;
}

static int split_chapters(epubw_book *b)
{
    const dp_node *root = dp_doc_root(b->doc);
    for (const dp_node *n = dp_node_first_child(root); n; n = dp_node_next(n)) {
        const dp_node *h = b->split_level > 0 ? opening_heading(n) : NULL;
        int opens = h && dp_node_heading_level(h) <= b->split_level;
        if (b->nchapters == 0 || opens) {
            if (b->nchapters > 0)
                b->chapters[b->nchapters - 1].stop = n;
            int rc = add_chapter(b, n, opens ? h : NULL);
            if (rc)
                return rc;
        }
    }
    if (b->nchapters == 0) /* an empty body still makes one (empty) chapter */
        return add_chapter(b, NULL, NULL);
    return 0;
}

/* Headings count in the toc only when they structure the text: directly in
 * the body or in generic containers (sections), not in quotes, lists, tables
 * or notes. */
static int is_structural(const dp_node *n)
{
    for (const dp_node *p = dp_node_parent(n); p; p = dp_node_parent(p)) {
        dp_kind k = dp_node_kind(p);
        if (k == DP_ROOT)
            return 1;
        if (k != DP_DIV && !(k == DP_CUSTOM && dp_node_custom_is_block(p)))
            return 0;
    }
    return 0;
}

static int inside_note(const dp_node *n)
{
    for (const dp_node *p = dp_node_parent(n); p; p = dp_node_parent(p))
        if (dp_node_kind(p) == DP_NOTE)
            return 1;
    return 0;
}

/* The id the XHTML writer gives a target node. */
static int target_id(plan_state *st, const dp_node *n, char **out)
{
    const char *id = epubw_body_node_id(st->b, n);
    if (!id || !*id) {
        dp_warn_node(st->b->ctx, n, "no id for this navigation target: it points at its file");
        *out = NULL;
        return 0;
    }
    *out = epubw_strdup(id);
    return *out ? 0 : DP_ENOMEM;
}

static int add_target(epubw_target **arr, size_t *n, size_t *cap, epubw_target *t)
{
    if (DP_ARRAY_RESERVE(*arr, *cap, *n + 1)) {
        free(t->label);
        free(t->fragment);
        return DP_ENOMEM;
    }
    (*arr)[(*n)++] = *t;
    return 0;
}

static int visit(plan_state *st, const dp_node *n, size_t chapter)
{
    epubw_book *b = st->b;
    dp_kind k = dp_node_kind(n);
    const char *own = epubw_body_node_id(b, n);
    int rc;
    if (own && *own) {
        /* notes: book moves note content into the notes file */
        const char *file = b->notes_mode == EPUBW_NOTES_BOOK && (k == DP_NOTE || inside_note(n))
                               ? "notes.xhtml" : b->chapters[chapter].file;
        /* the writer's ids are unique; the first place wins should one repeat */
        if (!xmlHashLookup(b->id_files, (const xmlChar *)own) &&
            xmlHashAddEntry(b->id_files, (const xmlChar *)own, (void *)file) != 0)
            return DP_ENOMEM;
    }
    switch (k) {
    case DP_IMAGE: b->has_images = 1; break;
    case DP_TABLE: b->has_tables = 1; break;
    case DP_MATH: b->has_math = 1; break;
    case DP_NOTE: b->has_notes = 1; break;
    case DP_HEADING:
        if (dp_node_heading_level(n) <= b->toc_depth && is_structural(n)) {
            epubw_target t = {0};
            t.level = dp_node_heading_level(n);
            t.node = n;
            t.chapter = chapter;
            t.order = ++st->order;
            const char *text = dp_node_plain_text(n, 1);
            t.label = epubw_strdup(text && *text ? text : b->chapters[chapter].title);
            if (!t.label)
                return DP_ENOMEM;
            if (n != b->chapters[chapter].heading && (rc = target_id(st, n, &t.fragment)))
                return rc;
            if ((rc = add_target(&b->toc, &b->ntoc, &b->captoc, &t)))
                return rc;
        }
        break;
    case DP_PAGE_BREAK:
        if (!inside_note(n)) {
            epubw_target t = {0};
            const char *label = dp_node_label(n);
            t.node = n;
            t.chapter = chapter;
            t.order = ++st->order;
            if (label && *label)
                t.label = epubw_strdup(label);
            else {
                t.label = epubw_strf("%zu", b->npages + 1);
                dp_warn_node(b->ctx, n, "page break without a page number: listed as page %zu",
                             b->npages + 1);
            }
            if (!t.label)
                return DP_ENOMEM;
            if ((rc = target_id(st, n, &t.fragment)))
                return rc;
            if ((rc = add_target(&b->pages, &b->npages, &b->cappages, &t)))
                return rc;
        }
        break;
    default: break;
    }
    return 0;
}

/* A chapter that no heading opens still gets a toc entry, titled after the
 * book, so that every file is reachable from the navigation. */
static int chapter_target(plan_state *st, size_t chapter)
{
    epubw_book *b = st->b;
    if (b->chapters[chapter].heading)
        return 0;
    epubw_target t = {0};
    t.level = 1;
    t.chapter = chapter;
    t.order = ++st->order;
    t.label = epubw_strdup(b->chapters[chapter].title);
    if (!t.label)
        return DP_ENOMEM;
    return add_target(&b->toc, &b->ntoc, &b->captoc, &t);
}

static int walk(plan_state *st)
{
    epubw_book *b = st->b;
    const dp_node *root = dp_doc_root(b->doc);
    size_t chapter = 0;
    dp_iter it;
    dp_iter_init(&it, root);
    dp_event ev;
    int rc = chapter_target(st, 0);
    if (rc)
        return rc;
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        if (ev != DP_EV_ENTER)
            continue;
        const dp_node *n = dp_iter_node(&it);
        if (n == root)
            continue;
        if (dp_node_parent(n) == root && chapter + 1 < b->nchapters && n == b->chapters[chapter + 1].first) {
            chapter++;
            if ((rc = chapter_target(st, chapter)))
                return rc;
        }
        rc = visit(st, n, chapter);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- resources ---- */

static int epub_media_type(const char *mime, int version)
{
    static const char *const ok3[] = {"image/jpeg", "image/png", "image/gif", "image/svg+xml",
                                      "font/otf", "font/ttf", "font/woff", "font/woff2",
                                      "application/font-sfnt", "application/font-woff",
                                      "application/vnd.ms-opentype", "text/css", NULL};
    static const char *const ok2[] = {"image/jpeg", "image/png", "image/gif", "image/svg+xml",
                                      "text/css", "application/vnd.ms-opentype",
                                      "application/x-font-ttf", "application/x-font-otf", NULL};
    const char *const *ok = version == 2 ? ok2 : ok3;
    for (int i = 0; mime && ok[i]; i++)
        if (strcmp(mime, ok[i]) == 0)
            return 1;
    return 0;
}

static int safe_name(const char *name)
{
    if (!*name || name[0] == '/' || strstr(name, "..") || strstr(name, "//") ||
        name[strlen(name) - 1] == '/' || strncmp(name, "META-INF", 8) == 0 || strlen(name) > 200)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.' || *p == '/'))
            return 0;
    for (int i = 0; reserved_names[i]; i++)
        if (strcmp(name, reserved_names[i]) == 0)
            return 0;
    /* chapter files: chNNN.xhtml */
    if (strncmp(name, "ch", 2) == 0 && strstr(name, ".xhtml"))
        return 0;
    return 1;
}

static const char *ext_for(const char *mime, const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot && !strchr(dot, '/') && strlen(dot) <= 6)
        return dot + 1;
    if (strcmp(mime, "image/jpeg") == 0) return "jpg";
    if (strcmp(mime, "image/png") == 0) return "png";
    if (strcmp(mime, "image/gif") == 0) return "gif";
    if (strcmp(mime, "image/svg+xml") == 0) return "svg";
    if (strcmp(mime, "text/css") == 0) return "css";
    return "bin";
}

static int href_taken(const epubw_book *b, const char *href)
{
    for (size_t i = 0; i < b->nres; i++)
        if (strcmp(b->res[i].href, href) == 0)
            return 1;
    return 0;
}

static int place_resources(epubw_book *b)
{
    size_t n = dp_doc_resource_count(b->doc);
    for (size_t i = 0; i < n; i++) {
        const dp_resource *r = dp_doc_resource_at(b->doc, i);
        if (!epub_media_type(r->mime, b->version)) {
            dp_warn(b->ctx, "epub: resource '%s' (%s) is not a type EPUB %d readers must support; "
                            "left out", r->name, r->mime ? r->mime : "no type", b->version);
            continue;
        }
        char *href;
        if (safe_name(r->name))
            href = epubw_strdup(r->name);
        else {
            /* a name no resource has and no other renamed one got */
            for (size_t k = i + 1;; k++) {
                href = epubw_strf("media/res-%zu.%s", k, ext_for(r->mime, r->name));
                if (!href || (!dp_doc_resource_find(b->doc, href) && !epubw_resource_href(b, href) &&
                              !href_taken(b, href)))
                    break;
                free(href);
            }
            dp_info(b->ctx, "epub: resource '%s' stored as %s", r->name, href ? href : "?");
        }
        if (!href || DP_ARRAY_RESERVE(b->res, b->capres, b->nres + 1)) {
            free(href);
            return DP_ENOMEM;
        }
        b->res[b->nres].res = r;
        b->res[b->nres].href = href;
        b->nres++;
    }
    return 0;
}

int epubw_plan(epubw_book *b)
{
    plan_state st = {0};
    int rc;
    st.b = b;
    b->id_files = xmlHashCreate(256);
    if (!b->id_files)
        return DP_ENOMEM;
    if ((rc = walk(&st)) || (rc = place_resources(b)))
        return rc;
    if (b->notes_mode == EPUBW_NOTES_BOOK && b->has_notes && !(b->notes_file = epubw_strdup("notes.xhtml")))
        return DP_ENOMEM;
    if (b->cover_kind == EPUBW_COVER_IMAGE && !epubw_resource_href(b, b->cover_res->name))
        b->cover_kind = EPUBW_COVER_SVG; /* unreachable: resolve_cover checked the type */
    if (b->cover_kind != EPUBW_COVER_NONE)
        b->has_images = 1;
    return 0;
}

int epubw_split(epubw_book *b)
{
    return split_chapters(b);
}
