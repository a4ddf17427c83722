/* epub_writer: the package document (OPF 3.0, or 2.0 for EPUB 2). */
#include "epub_book.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct opf {
    epubw_book *b;
    xmlNodePtr md;   /* <metadata> */
    xmlNsPtr dc;
    xmlNsPtr opfns;  /* EPUB 2: opf: attributes */
    int refid;       /* counter for ids of refined elements */
} opf;

static const xmlChar *X(const char *s) { return (const xmlChar *)s; }

static xmlNodePtr dc_el(opf *o, const char *name, const char *text)
{
    return xmlNewTextChild(o->md, o->dc, X(name), X(text));
}

/* EPUB 3: <meta property="p" [refines="#r"] [scheme="s"]>text</meta> */
static xmlNodePtr meta_prop(opf *o, const char *property, const char *text, const char *refines,
                            const char *scheme)
{
    xmlNodePtr m = xmlNewTextChild(o->md, o->md->ns, X("meta"), X(text));
    if (refines) {
        char ref[80];
        snprintf(ref, sizeof ref, "#%s", refines);
        xmlNewProp(m, X("refines"), X(ref));
    }
    xmlNewProp(m, X("property"), X(property));
    if (scheme)
        xmlNewProp(m, X("scheme"), X(scheme));
    return m;
}

/* EPUB 2: <meta name="n" content="c"/> */
static void meta_name(opf *o, const char *name, const char *content)
{
    xmlNodePtr m = xmlNewChild(o->md, o->md->ns, X("meta"), NULL);
    xmlNewProp(m, X("name"), X(name));
    xmlNewProp(m, X("content"), X(content));
}

/* Text of a metadata item that may be a string, inlines or a map {name}. */
static const char *item_text(const dp_meta *m)
{
    if (!m)
        return NULL;
    if (dp_meta_get_type(m) == DP_META_MAP)
        return dp_meta_get_text(m, "name");
    return dp_meta_text(m);
}

static int is_relator(const char *r)
{
    if (!r || strlen(r) != 3)
        return 0;
    for (int i = 0; i < 3; i++)
        if (!islower((unsigned char)r[i]))
            return 0;
    return 1;
}

/* One person with a MARC relator role: dc:creator (authors) or dc:contributor. */
static void person(opf *o, const char *name, const char *role, int creator)
{
    xmlNodePtr el = dc_el(o, creator ? "creator" : "contributor", name);
    if (o->b->version == 2) {
        xmlNewNsProp(el, o->opfns, X("role"), X(role));
        return;
    }
    char id[32];
    snprintf(id, sizeof id, "%s%d", creator ? "creator" : "contrib", ++o->refid);
    xmlNewProp(el, X("id"), X(id));
    meta_prop(o, "role", role, id, "marc:relators");
}

static void people(opf *o, const char *key, const char *role, int creator)
{
    const dp_meta *list = dp_meta_get(o->b->meta, key);
    for (size_t i = 0; i < dp_meta_len(list); i++) {
        const char *name = item_text(dp_meta_at(list, i));
        if (name && *name)
            person(o, name, role, creator);
        else
            dp_warn(o->b->ctx, "epub: metadata %s[%zu] has no name; not written", key, i);
    }
}

static void contributors(opf *o)
{
    const dp_meta *list = dp_meta_get(o->b->meta, "contributor");
    for (size_t i = 0; i < dp_meta_len(list); i++) {
        const dp_meta *c = dp_meta_at(list, i);
        const char *name = item_text(c);
        const char *role = dp_meta_get_type(c) == DP_META_MAP ? dp_meta_get_text(c, "role") : NULL;
        if (!name || !*name) {
            dp_warn(o->b->ctx, "epub: metadata contributor[%zu] has no name; not written", i);
            continue;
        }
        if (role && !is_relator(role)) {
            dp_warn(o->b->ctx, "epub: contributor '%s' has role '%s', not a MARC relator code; "
                               "written as 'ctb'", name, role);
            role = NULL;
        }
        person(o, name, role ? role : "ctb", role && strcmp(role, "aut") == 0);
    }
}

static const char *first_text(const dp_meta *map, const char *key)
{
    const dp_meta *m = dp_meta_get(map, key);
    return dp_meta_len(m) ? item_text(dp_meta_at(m, 0)) : NULL;
}

static void date_el(opf *o, const char *key, const char *event)
{
    const char *d = first_text(o->b->meta, key);
    if (!d || !*d)
        return;
    if (!epubw_is_w3cdtf(d)) {
        dp_warn(o->b->ctx, "epub: metadata %s '%s' is not an ISO 8601 date (YYYY[-MM[-DD]]); not written",
                key, d);
        return;
    }
    if (o->b->version == 2) {
        xmlNodePtr el = dc_el(o, "date", d);
        xmlNewNsProp(el, o->opfns, X("event"), X(event));
    } else if (strcmp(key, "date") == 0)
        dc_el(o, "date", d);
    else
        meta_prop(o, "dcterms:created", d, NULL, NULL);
}

/* dc:source; with a page list, refined as the source of the pagination
 * (EPUB Accessibility 1.1: page numbers name the edition they come from) */
static void source_with_pagination(opf *o, const char *text)
{
    xmlNodePtr el = dc_el(o, "source", text);
    if (o->b->version == 2 || !o->b->npages)
        return;
    xmlNewProp(el, X("id"), X("src"));
    meta_prop(o, "source-of", "pagination", "src", NULL);
}

static void source_el(opf *o)
{
    const dp_meta *src = dp_meta_get(o->b->meta, "source");
    if (!src) {
        if (o->b->npages)
            dp_warn(o->b->ctx, "epub: the book has a page list but no metadata 'source' naming the edition "
                               "its page numbers come from (EPUB Accessibility 1.1 asks for one)");
        return;
    }
    if (dp_meta_get_type(src) != DP_META_MAP) {
        const char *t = dp_meta_text(src);
        if (t && *t)
            source_with_pagination(o, t);
        return;
    }
    /* a citation of the original: author, title, publisher, date, url */
    const char *parts[] = {dp_meta_get_text(src, "author"), dp_meta_get_text(src, "title"),
                           dp_meta_get_text(src, "publisher"), dp_meta_get_text(src, "date"),
                           dp_meta_get_text(src, "url")};
    char buf[2048] = "";
    size_t used = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (!parts[i] || !*parts[i])
            continue;
        int n = snprintf(buf + used, sizeof buf - used, "%s%s", used ? ". " : "", parts[i]);
        if (n < 0 || (size_t)n >= sizeof buf - used)
            break;
        used += (size_t)n;
    }
    if (used)
        source_with_pagination(o, buf);
}

static void strings_el(opf *o, const char *key, const char *dcname)
{
    const dp_meta *m = dp_meta_get_agreed(o->b->meta, key);
    for (size_t i = 0; i < dp_meta_len(m); i++) {
        const char *t = item_text(dp_meta_at(m, i));
        if (t && *t)
            dc_el(o, dcname, t);
    }
}

/* revision: [{date, note}] (the speech's corrections). EPUB has no
 * revision history, but schema.org's "correction" (a reserved prefix in EPUB
 * 3) says what these notes are; the date refines it. EPUB 2: meta name. */
static void revisions(opf *o)
{
    const dp_meta *m = dp_meta_get(o->b->meta, "revision");
    for (size_t i = 0; i < dp_meta_len(m); i++) {
        const dp_meta *r = dp_meta_at(m, i);
        const char *note = dp_meta_get_type(r) == DP_META_MAP ? dp_meta_get_text(r, "note") : dp_meta_text(r);
        const char *date = dp_meta_get_type(r) == DP_META_MAP ? dp_meta_get_text(r, "date") : NULL;
        char id[32], both[2048];
        if (!note || !*note)
            continue;
        if (o->b->version == 2) {
            snprintf(both, sizeof both, "%s%s%s", date ? date : "", date ? ": " : "", note);
            meta_name(o, "revision", both);
            continue;
        }
        snprintf(id, sizeof id, "revision-%zu", i + 1);
        xmlNewProp(meta_prop(o, "schema:correction", note, NULL, NULL), X("id"), X(id));
        if (date && *date)
            meta_prop(o, "dcterms:date", date, id, NULL);
    }
}

/* Metadata keys this writer maps; others are reported. */
static void report_unmapped(opf *o)
{
    static const char *const known[] = {"title", "subtitle", "author", "translator", "editor",
                                        "contributor", "date", "created", "language", "identifier",
                                        "publisher", "rights", "license", "description", "subject",
                                        "source", "cover-image", "dir", "revision", "primary-writing-mode",
                                        "css", NULL};
    const dp_meta *meta = o->b->meta;
    for (size_t i = 0; i < dp_meta_map_count(meta); i++) {
        const char *key = dp_meta_agreed_key(dp_meta_map_key_at(meta, i));
        int found = 0;
        for (int k = 0; known[k] && !found; k++)
            found = strcmp(key, known[k]) == 0;
        if (!found)
            dp_warn(o->b->ctx, "epub: metadata '%s' has no place in the EPUB package; not written", key);
    }
}

/* ---- accessibility (EPUB Accessibility 1.1), each overridable ---- */

static void a11y_list(opf *o, const char *property, const char *opt, const char *const *defaults)
{
    epubw_book *b = o->b;
    size_t n = dp_opt_list_count(b->ctx, opt);
    for (size_t i = 0; n ? i < n : defaults[i] != NULL; i++) {
        const char *v = n ? dp_opt_list_at(b->ctx, opt, i) : defaults[i];
        if (b->version == 2)
            meta_name(o, property, v);
        else
            meta_prop(o, property, v, NULL, NULL);
    }
}

static void a11y(opf *o)
{
    epubw_book *b = o->b;
    const char *modes[4] = {"textual", NULL, NULL, NULL};
    const char *sufficient[2] = {"textual", NULL};
    const char *features[8] = {0};
    const char *hazards[2] = {"none", NULL};
    int nf = 0;
    if (b->has_images)
        modes[1] = "visual";
    features[nf++] = "structuralNavigation";
    features[nf++] = "tableOfContents";
    features[nf++] = "readingOrder";
    if (b->has_images)
        features[nf++] = "alternativeText";
    if (b->npages) {
        features[nf++] = "pageBreakMarkers";
        features[nf++] = "pageNavigation";
    }
    a11y_list(o, "schema:accessMode", "access-mode", modes);
    a11y_list(o, "schema:accessModeSufficient", "access-mode-sufficient", sufficient);
    a11y_list(o, "schema:accessibilityFeature", "accessibility-features", features);
    a11y_list(o, "schema:accessibilityHazard", "accessibility-hazards", hazards);

    const char *summary = dp_opt_string(b->ctx, "accessibility-summary");
    char buf[512];
    if (!summary || !*summary) {
        const char *parts[3] = {"a table of contents", "headings in reading order", NULL};
        int np = 2;
        if (b->has_images)
            parts[np++] = "text alternatives for its images";
        snprintf(buf, sizeof buf, "This publication has %s, %s%s%s%s. It contains no known hazards.",
                 parts[0], np == 2 ? "and " : "", parts[1], np == 3 ? " and " : "", np == 3 ? parts[2] : "");
        if (b->npages) {
            size_t used = strlen(buf);
            snprintf(buf + used, sizeof buf - used,
                     " Page break markers and a page list give the page numbers of the print source.");
        }
        summary = buf;
    }
    const char *conforms = dp_opt_string(b->ctx, "conforms-to");
    if (b->version == 2) {
        meta_name(o, "schema:accessibilitySummary", summary);
        if (conforms && *conforms)
            meta_name(o, "dcterms:conformsTo", conforms);
        return;
    }
    meta_prop(o, "schema:accessibilitySummary", summary, NULL, NULL);
    if (conforms && *conforms)
        meta_prop(o, "dcterms:conformsTo", conforms, NULL, NULL);
}

static void metadata(opf *o)
{
    epubw_book *b = o->b;
    xmlNodePtr idel = dc_el(o, "identifier", b->identifier);
    xmlNewProp(idel, X("id"), X("pub-id"));
    if (b->version == 2 && strncmp(b->identifier, "urn:uuid:", 9) == 0)
        xmlNewNsProp(idel, o->opfns, X("scheme"), X("UUID"));

    const char *subtitle = dp_meta_get_text(b->meta, "subtitle");
    if (b->version == 2) {
        char *full = subtitle && *subtitle ? epubw_strf("%s: %s", b->title, subtitle) : NULL;
        dc_el(o, "title", full ? full : b->title);
        free(full);
    } else {
        xmlNodePtr t = dc_el(o, "title", b->title);
        xmlNewProp(t, X("id"), X("title"));
        meta_prop(o, "title-type", "main", "title", NULL);
        if (subtitle && *subtitle) {
            xmlNodePtr s = dc_el(o, "title", subtitle);
            xmlNewProp(s, X("id"), X("subtitle"));
            meta_prop(o, "title-type", "subtitle", "subtitle", NULL);
        }
    }
    dc_el(o, "language", b->lang);
    people(o, "author", "aut", 1);
    people(o, "translator", "trl", 0);
    people(o, "editor", "edt", 0);
    contributors(o);
    date_el(o, "date", "publication");
    date_el(o, "created", "creation");
    strings_el(o, "publisher", "publisher");
    strings_el(o, "rights", "rights");
    strings_el(o, "license", "rights");
    strings_el(o, "description", "description");
    strings_el(o, "subject", "subject");
    source_el(o);
    epubw_dcfile_apply(b, o->md, o->dc);
    {
        /* vertical writing (Japanese, Chinese): the EPUB 2 era meta reading
         * systems still read; the CSS writing-mode travels in the sheet */
        const char *pwm = dp_meta_get_text(b->meta, "primary-writing-mode");
        if (pwm && *pwm)
            meta_name(o, "primary-writing-mode", pwm);
    }
    if (b->version == 2) {
        if (b->cover_kind != EPUBW_COVER_NONE)
            meta_name(o, "cover", "cover-image");
    } else {
        meta_prop(o, "dcterms:modified", b->modified, NULL, NULL);
        /* for EPUB 2 reading systems that look for it */
        if (b->cover_kind != EPUBW_COVER_NONE)
            meta_name(o, "cover", "cover-image");
    }
    if (b->generated_title || b->generated_lang)
        meta_name(o, EPUBW_GENERATED_META,
                  b->generated_title && b->generated_lang ? "title language" : b->generated_title ? "title" : "language");
    revisions(o);
    a11y(o);
    report_unmapped(o);
}

static void manifest_spine(opf *o, xmlNodePtr pkg)
{
    epubw_book *b = o->b;
    xmlNodePtr man = xmlNewChild(pkg, pkg->ns, X("manifest"), NULL);
    for (size_t i = 0; i < b->nitems; i++) {
        const epubw_item *it = &b->items[i];
        xmlNodePtr el = xmlNewChild(man, pkg->ns, X("item"), NULL);
        xmlNewProp(el, X("id"), X(it->id));
        xmlNewProp(el, X("href"), X(it->href));
        xmlNewProp(el, X("media-type"), X(it->media_type));
        if (it->properties && b->version != 2)
            xmlNewProp(el, X("properties"), X(it->properties));
    }
    xmlNodePtr spine = xmlNewChild(pkg, pkg->ns, X("spine"), NULL);
    if (b->dir && b->version != 2) /* the book's base direction (epub_meta.c); EPUB 3 only */
        xmlNewProp(spine, X("page-progression-direction"), X(b->dir));
    xmlNewProp(spine, X("toc"), X("ncx"));
    for (size_t i = 0; i < b->nitems; i++) {
        const epubw_item *it = &b->items[i];
        if (!it->spine)
            continue;
        xmlNodePtr ref = xmlNewChild(spine, pkg->ns, X("itemref"), NULL);
        xmlNewProp(ref, X("idref"), X(it->id));
        if (!it->linear)
            xmlNewProp(ref, X("linear"), X("no"));
    }
    if (b->version != 2)
        return;
    /* EPUB 2 guide: the landmarks of old reading systems */
    xmlNodePtr guide = xmlNewChild(pkg, pkg->ns, X("guide"), NULL);
    struct { const char *href, *type, *title; } refs[] = {
        {"cover.xhtml", "cover", "Cover"},
        {"titlepage.xhtml", "title-page", "Title page"},
        {b->chapters[0].file, "text", "Start"},
        {b->notes_file, "notes", "Notes"},
    };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        if (!refs[i].href || !epubw_find_item(b, refs[i].href))
            continue;
        xmlNodePtr r = xmlNewChild(guide, pkg->ns, X("reference"), NULL);
        xmlNewProp(r, X("type"), X(refs[i].type));
        xmlNewProp(r, X("title"), X(refs[i].title));
        xmlNewProp(r, X("href"), X(refs[i].href));
    }
}

int epubw_make_opf(epubw_book *b, unsigned char **data, size_t *len)
{
    opf o = {0};
    o.b = b;
    xmlDocPtr doc = xmlNewDoc(X("1.0"));
    if (!doc)
        return DP_ENOMEM;
    xmlNodePtr pkg = xmlNewDocNode(doc, NULL, X("package"), NULL);
    xmlDocSetRootElement(doc, pkg);
    xmlSetNs(pkg, xmlNewNs(pkg, X(EPUBW_NS_OPF), NULL));
    xmlNewProp(pkg, X("version"), X(b->version == 2 ? "2.0" : "3.0"));
    xmlNewProp(pkg, X("unique-identifier"), X("pub-id"));
    if (b->version != 2)
        xmlNodeSetLang(pkg, X(b->lang));
    o.md = xmlNewChild(pkg, pkg->ns, X("metadata"), NULL);
    o.dc = xmlNewNs(o.md, X(EPUBW_NS_DC), X("dc"));
    if (b->version == 2)
        o.opfns = xmlNewNs(o.md, X(EPUBW_NS_OPF), X("opf"));
    metadata(&o);
    manifest_spine(&o, pkg);
    int rc = epubw_xml_dump(b, doc, "package.opf", 1, data, len);
    xmlFreeDoc(doc);
    return rc;
}
