/* TEI exporter: the <teiHeader>, built from the document metadata.
 *
 * Every agreed metadata key has a place; keys with no TEI element travel in
 * fileDesc/notesStmt as <note type="docpipe-meta" n="key"> so the reader can
 * give them back; values that are neither text nor a list of texts are
 * reported. langUsage lists every language that occurs in the tree. */
#include "tei_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

typedef struct hw {
    dp_ctx *ctx;
    const dp_doc *doc;
    xmlNsPtr ns;
    const tei_header_opts *o;
    int err;
} hw;

/* An address as e's @target: a URI tei_all accepts (tei_pointer.c). */
static void set_pointer(hw *h, xmlNodePtr e, const char *addr)
{
    char *p = tei_pointer_of(addr);
    if (!p)
        h->err = DP_ENOMEM;
    else
        xmlSetProp(e, BAD_CAST "target", BAD_CAST p);
    free(p);
}

static xmlNodePtr hel(hw *h, xmlNodePtr parent, const char *name, const char *content)
{
    xmlNodePtr e = xmlNewDocNode(parent->doc, h->ns, BAD_CAST name, NULL);
    if (!e) {
        h->err = DP_ENOMEM;
        return NULL;
    }
    xmlAddChild(parent, e);
    if (content && *content) {
        xmlNodePtr t = xmlNewDocText(parent->doc, BAD_CAST content);
        if (t)
            xmlAddChild(e, t);
    }
    return e;
}

static const char *mtext(const dp_meta *m)
{
    const char *t = m ? dp_meta_text(m) : NULL;
    return t && *t ? t : NULL;
}

/* <date when="...">text</date>: @when only for ISO dates. */
static void date_el(hw *h, xmlNodePtr parent, const char *value)
{
    xmlNodePtr d = hel(h, parent, "date", value);
    if (d && tei_is_iso_date(value))
        xmlSetProp(d, BAD_CAST "when", BAD_CAST value);
}

/* A person's name inside respStmt: persName in tei_all, name in Lite. */
static void person(hw *h, xmlNodePtr parent, const char *name)
{
    hel(h, parent, h->o->lite ? "name" : "persName", name);
}

static void resp_stmt(hw *h, xmlNodePtr parent, const char *code, const char *name)
{
    xmlNodePtr rs = hel(h, parent, "respStmt", NULL);
    if (!rs)
        return;
    xmlNodePtr resp = hel(h, rs, "resp", tei_role_phrase(code));
    if (resp && code && tei_is_ncname(code))
        xmlSetProp(resp, BAD_CAST "key", BAD_CAST code);
    person(h, rs, name);
}

/* ------------------------------------------------------------------ */

/* Keys this file maps to a TEI element; others go to notesStmt. */
static const char *const mapped_keys[] = {
    "title", "subtitle", "author", "editor", "translator", "contributor", "publisher", "date", "identifier",
    "rights", "license", "source", "created", "language", "subject", "description", "revision", NULL};

static int is_mapped(const char *key)
{
    key = dp_meta_agreed_key(key); /* pandoc's lang, keywords, abstract */
    return tei_name_in(key, mapped_keys);
}

static void title_stmt(hw *h, xmlNodePtr fd, const dp_meta *meta)
{
    xmlNodePtr ts = hel(h, fd, "titleStmt", NULL);
    if (!ts)
        return;
    const char *title = mtext(dp_meta_get(meta, "title"));
    xmlNodePtr t = hel(h, ts, "title", title); /* empty when unknown: no invented title */
    if (t)
        xmlSetProp(t, BAD_CAST "type", BAD_CAST "main");
    if (!title)
        dp_warn(h->ctx, "tei: the metadata has no title: titleStmt/title is empty");
    const char *sub = mtext(dp_meta_get(meta, "subtitle"));
    if (sub && (t = hel(h, ts, "title", sub)))
        xmlSetProp(t, BAD_CAST "type", BAD_CAST "sub");
    const dp_meta *m = dp_meta_get(meta, "author");
    for (size_t i = 0; i < dp_meta_len(m); i++) {
        /* a string, or pandoc's map {name, affiliation} */
        const dp_meta *a = dp_meta_at(m, i);
        int map = dp_meta_get_type(a) == DP_META_MAP;
        const char *name = map ? dp_meta_get_text(a, "name") : mtext(a);
        const char *aff = map ? dp_meta_get_text(a, "affiliation") : NULL;
        if (!name || !*name)
            continue;
        if (aff && *aff && !h->o->lite) {
            xmlNodePtr au = hel(h, ts, "author", NULL);
            if (au) {
                hel(h, au, "persName", name);
                hel(h, au, "affiliation", aff);
            }
        } else {
            hel(h, ts, "author", name);
            if (aff && *aff)
                dp_warn(h->ctx, "tei: the affiliation of author '%s' has no place in TEI Lite's author: dropped",
                        name);
        }
    }
    m = dp_meta_get(meta, "editor");
    for (size_t i = 0; i < dp_meta_len(m); i++)
        if (mtext(dp_meta_at(m, i)))
            hel(h, ts, "editor", mtext(dp_meta_at(m, i)));
    m = dp_meta_get(meta, "translator");
    for (size_t i = 0; i < dp_meta_len(m); i++)
        if (mtext(dp_meta_at(m, i)))
            resp_stmt(h, ts, "trl", mtext(dp_meta_at(m, i)));
    m = dp_meta_get(meta, "contributor");
    for (size_t i = 0; i < dp_meta_len(m); i++) {
        const dp_meta *c = dp_meta_at(m, i);
        const char *name = dp_meta_get_type(c) == DP_META_MAP ? dp_meta_get_text(c, "name") : mtext(c);
        const char *role = dp_meta_get_type(c) == DP_META_MAP ? dp_meta_get_text(c, "role") : NULL;
        if (name)
            resp_stmt(h, ts, role ? role : "ctb", name);
    }
}

static void publication_stmt(hw *h, xmlNodePtr fd, const dp_meta *meta)
{
    xmlNodePtr ps = hel(h, fd, "publicationStmt", NULL);
    if (!ps)
        return;
    const char *publisher = mtext(dp_meta_get(meta, "publisher"));
    const char *date = mtext(dp_meta_get(meta, "date"));
    const char *ident = mtext(dp_meta_get(meta, "identifier"));
    const char *rights = mtext(dp_meta_get(meta, "rights"));
    const char *license = mtext(dp_meta_get(meta, "license"));
    /* an agency must come first; an empty <authority/> says "none named" */
    hel(h, ps, publisher ? "publisher" : "authority", publisher);
    if (date)
        date_el(h, ps, date);
    if (ident)
        hel(h, ps, "idno", ident);
    if (rights || license) {
        xmlNodePtr av = hel(h, ps, "availability", NULL);
        if (license) {
            xmlNodePtr l = hel(h, av, "licence", license);
            if (l && (strncmp(license, "http://", 7) == 0 || strncmp(license, "https://", 8) == 0))
                set_pointer(h, l, license);
        }
        if (rights)
            hel(h, av, "p", rights);
    }
}

/* The other metadata keys, kept in notesStmt so that they round-trip. */
static void notes_stmt(hw *h, xmlNodePtr fd, const dp_meta *meta)
{
    xmlNodePtr ns = NULL;
    for (size_t i = 0; i < dp_meta_map_count(meta); i++) {
        const char *key = dp_meta_map_key_at(meta, i);
        const dp_meta *v = dp_meta_map_value_at(meta, i);
        if (is_mapped(key) || (strcmp(key, "dir") == 0 && !h->o->lite))
            continue; /* dir: <text style> (tei_write.c); TEI Lite keeps it here */
        dp_meta_type t = dp_meta_get_type(v);
        if (t == DP_META_MAP || (t == DP_META_LIST && dp_meta_len(v) > 0 &&
                                 dp_meta_get_type(dp_meta_at(v, 0)) == DP_META_MAP)) {
            dp_warn(h->ctx, "tei: metadata key \"%s\" is a structured value with no TEI header form: dropped",
                    key);
            continue;
        }
        for (size_t j = 0; j < dp_meta_len(v); j++) {
            const char *text = mtext(dp_meta_at(v, j));
            if (!text)
                continue;
            if (!ns)
                ns = hel(h, fd, "notesStmt", NULL);
            xmlNodePtr note = hel(h, ns, "note", text);
            if (note) {
                xmlSetProp(note, BAD_CAST "type", BAD_CAST TEI_META_NOTE_TYPE);
                xmlSetProp(note, BAD_CAST "n", BAD_CAST key);
            }
        }
    }
}

static void source_desc(hw *h, xmlNodePtr fd, const dp_meta *meta)
{
    xmlNodePtr sd = hel(h, fd, "sourceDesc", NULL);
    const dp_meta *src = dp_meta_get(meta, "source");
    if (!sd)
        return;
    if (!src) {
        hel(h, sd, "p", TEI_BORN_DIGITAL);
        return;
    }
    if (dp_meta_get_type(src) != DP_META_MAP) {
        /* a plain string names the source */
        xmlNodePtr b = hel(h, sd, "bibl", mtext(src));
        (void)b;
        return;
    }
    xmlNodePtr bibl = hel(h, sd, "bibl", NULL);
    const dp_meta *a = dp_meta_get(src, "author");
    for (size_t i = 0; i < dp_meta_len(a); i++)
        if (mtext(dp_meta_at(a, i)))
            hel(h, bibl, "author", mtext(dp_meta_at(a, i)));
    const char *v;
    xmlNodePtr e;
    if ((v = dp_meta_get_text(src, "title")) && (e = hel(h, bibl, "title", v)))
        xmlSetProp(e, BAD_CAST "level", BAD_CAST "a");
    if ((v = dp_meta_get_text(src, "journal")) && (e = hel(h, bibl, "title", v)))
        xmlSetProp(e, BAD_CAST "level", BAD_CAST "j");
    if ((v = dp_meta_get_text(src, "publisher")))
        hel(h, bibl, "publisher", v);
    if ((v = dp_meta_get_text(src, "date")))
        date_el(h, bibl, v);
    if ((v = dp_meta_get_text(src, "language"))) {
        if (h->o->lite) {
            /* no textLang in Lite: the language as a note */
            e = hel(h, bibl, "note", v);
            if (e)
                xmlSetProp(e, BAD_CAST "type", BAD_CAST "language");
        } else if ((e = hel(h, bibl, "textLang", tei_lang_name(v) ? tei_lang_name(v) : v))) {
            xmlSetProp(e, BAD_CAST "mainLang", BAD_CAST v);
        }
    }
    if ((v = dp_meta_get_text(src, "url")) && (e = hel(h, bibl, "ref", v)))
        set_pointer(h, e, v);
    if ((v = dp_meta_get_text(src, "note")))
        hel(h, bibl, "note", v);
    for (size_t i = 0; i < dp_meta_map_count(src); i++) {
        static const char *const known[] = {"author", "title", "journal", "publisher", "date",
                                            "language", "url", "note", NULL};
        const char *k = dp_meta_map_key_at(src, i);
        if (!tei_name_in(k, known))
            dp_warn(h->ctx, "tei: metadata key \"source.%s\" has no place in sourceDesc/bibl: dropped", k);
    }
}

static void encoding_desc(hw *h, xmlNodePtr hdr)
{
    xmlNodePtr ed = hel(h, hdr, "encodingDesc", NULL);
    if (!ed)
        return;
    char line[256];
    if (!h->o->lite) {
        xmlNodePtr ai = hel(h, ed, "appInfo", NULL);
        xmlNodePtr app = hel(h, ai, "application", NULL);
        if (app) {
            xmlSetProp(app, BAD_CAST "ident", BAD_CAST "docpipe");
            xmlSetProp(app, BAD_CAST "version", BAD_CAST dp_version());
            hel(h, app, "label", "docpipe");
            snprintf(line, sizeof line, "TEI P5 written by the docpipe tei exporter, version %s.", dp_version());
            hel(h, app, "p", line);
        }
    } else {
        xmlNodePtr pd = hel(h, ed, "projectDesc", NULL);
        snprintf(line, sizeof line, "Encoded by docpipe %s (tei exporter, TEI Lite profile).", dp_version());
        hel(h, pd, "p", line);
    }
    xmlNodePtr dec = hel(h, ed, "editorialDecl", NULL);
    hel(h, dec, "p",
        "Notes are encoded where they are referenced, as note elements with place=\"foot\"; n keeps the "
        "original note label and xml:id identifies each note.");
    hel(h, dec, "p",
        "Passages in a language other than the main language of the text are marked with foreign (or "
        "xml:lang on the enclosing element); profileDesc/langUsage lists every language used.");
    hel(h, dec, "p",
        "Divisions are derived from the heading hierarchy of the source; emphasis is encoded as hi with rend.");
}

/* Adds lang to the list if it is new (case-insensitive). */
static void add_lang(const char **langs, size_t *n, size_t cap, const char *lang)
{
    if (!lang || !*lang)
        return;
    for (size_t i = 0; i < *n; i++)
        if (strcasecmp(langs[i], lang) == 0)
            return;
    if (*n < cap)
        langs[(*n)++] = lang;
}

static void profile_desc(hw *h, xmlNodePtr hdr, const dp_meta *meta)
{
    xmlNodePtr pd = hel(h, hdr, "profileDesc", NULL);
    if (!pd)
        return;
    const char *created = mtext(dp_meta_get(meta, "created"));
    if (created) {
        xmlNodePtr cr = hel(h, pd, "creation", NULL);
        if (cr)
            date_el(h, cr, created);
    }
    const char *langs[64];
    size_t nl = 0;
    add_lang(langs, &nl, 64, mtext(dp_meta_get_agreed(meta, "language")));
    dp_iter it;
    dp_iter_init(&it, dp_doc_root(h->doc));
    dp_event ev;
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE)
        if (ev == DP_EV_ENTER)
            add_lang(langs, &nl, 64, dp_node_lang(dp_iter_node(&it)));
    if (nl) {
        xmlNodePtr lu = hel(h, pd, "langUsage", NULL);
        for (size_t i = 0; i < nl; i++) {
            const char *name = tei_lang_name(langs[i]);
            xmlNodePtr l = hel(h, lu, "language", name ? name : langs[i]);
            if (l)
                xmlSetProp(l, BAD_CAST "ident", BAD_CAST langs[i]);
        }
    }
    const dp_meta *subj = dp_meta_get_agreed(meta, "subject");
    if (dp_meta_len(subj)) {
        xmlNodePtr tc = hel(h, pd, "textClass", NULL);
        xmlNodePtr kw = hel(h, tc, "keywords", NULL);
        for (size_t i = 0; i < dp_meta_len(subj); i++)
            if (mtext(dp_meta_at(subj, i)))
                hel(h, kw, "term", mtext(dp_meta_at(subj, i)));
    }
    const char *desc = mtext(dp_meta_get_agreed(meta, "description"));
    if (desc) {
        if (h->o->lite) {
            dp_warn(h->ctx, "tei: TEI Lite has no abstract: metadata \"description\" dropped");
        } else {
            xmlNodePtr ab = hel(h, pd, "abstract", NULL);
            hel(h, ab, "p", desc);
        }
    }
    if (!pd->children) {
        xmlUnlinkNode(pd);
        xmlFreeNode(pd);
    }
}

/* Today's date (or SOURCE_DATE_EPOCH's, for reproducible output). */
static void conversion_date(char *buf, size_t len)
{
    time_t t = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde)
        t = (time_t)strtoll(sde, NULL, 10);
    struct tm tmv;
    gmtime_r(&t, &tmv);
    strftime(buf, len, "%Y-%m-%d", &tmv);
}

static void revision_desc(hw *h, xmlNodePtr hdr, const dp_meta *meta)
{
    const dp_meta *rev = dp_meta_get(meta, "revision");
    if (!dp_meta_len(rev) && !h->o->record_conversion)
        return;
    xmlNodePtr rd = hel(h, hdr, "revisionDesc", NULL);
    for (size_t i = 0; i < dp_meta_len(rev); i++) {
        const dp_meta *r = dp_meta_at(rev, i);
        const char *date = dp_meta_get_type(r) == DP_META_MAP ? dp_meta_get_text(r, "date") : NULL;
        const char *note = dp_meta_get_type(r) == DP_META_MAP ? dp_meta_get_text(r, "note") : mtext(r);
        xmlNodePtr ch = hel(h, rd, "change", note);
        if (ch && date) {
            if (tei_is_iso_date(date))
                xmlSetProp(ch, BAD_CAST "when", BAD_CAST date);
            else
                dp_warn(h->ctx, "tei: revision date \"%s\" is not ISO 8601: kept only if in the note", date);
        }
    }
    if (h->o->record_conversion) {
        char today[32], line[128];
        conversion_date(today, sizeof today);
        snprintf(line, sizeof line, "Converted to TEI P5 by docpipe %s.", dp_version());
        xmlNodePtr ch = hel(h, rd, "change", line);
        if (ch)
            xmlSetProp(ch, BAD_CAST "when", BAD_CAST today);
    }
}

int tei_write_header(dp_ctx *ctx, const dp_doc *doc, xmlNodePtr root, xmlNsPtr ns, const tei_header_opts *opts)
{
    hw h = {ctx, doc, ns, opts, 0};
    const dp_meta *meta = dp_doc_meta(doc);
    xmlNodePtr hdr = hel(&h, root, "teiHeader", NULL);
    if (!hdr)
        return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "tei: out of memory");
    xmlNodePtr fd = hel(&h, hdr, "fileDesc", NULL);
    if (fd) {
        title_stmt(&h, fd, meta);
        publication_stmt(&h, fd, meta);
        notes_stmt(&h, fd, meta);
        source_desc(&h, fd, meta);
    }
    encoding_desc(&h, hdr);
    profile_desc(&h, hdr, meta);
    revision_desc(&h, hdr, meta);
    if (h.err)
        return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "tei: out of memory");
    return 0;
}
