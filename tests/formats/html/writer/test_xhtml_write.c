/* Unit tests of the shared (X)HTML writer (plugins/xhtml/write) through its
 * API, the way the EPUB exporter uses it: flavours, note placement across
 * files, link rewriting, id prefixing and uniqueness, lang, deep nesting. */
#include "xhtml_write.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static dp_node *add(dp_node *parent, dp_kind k)
{
    dp_node *n = dp_node_new(dp_node_doc(parent), k);
    if (!n || dp_node_append_child(parent, n) != 0) {
        fprintf(stderr, "cannot add %s to %s\n", dp_kind_name(k), dp_kind_name(dp_node_kind(parent)));
        exit(1);
    }
    return n;
}

static void text(dp_node *parent, const char *s)
{
    dp_node *n = dp_node_new_text(dp_node_doc(parent), DP_TEXT, s, strlen(s));
    if (!n || dp_node_append_child(parent, n) != 0)
        exit(1);
}

/* A small book: two chapters (h1), a note in each, a zh span, a link from
 * chapter 1 to chapter 2, two headings with the same text, a duplicate id. */
static dp_doc *make_doc(void)
{
    dp_doc *doc;
    dp_node *root, *h, *p, *note, *span, *link;
    if (dp_doc_new(&doc) != 0)
        exit(1);
    dp_meta_set_string(doc, dp_doc_meta(doc), "title", "Book & <Title>");
    dp_meta_set_string(doc, dp_doc_meta(doc), "language", "en");
    root = dp_doc_root(doc);

    h = add(root, DP_HEADING);
    dp_node_set_heading_level(h, 1);
    text(h, "Same");
    p = add(root, DP_PARA);
    dp_node_set_lang(p, "en"); /* same as the page: no lang attribute */
    text(p, "One");
    note = add(p, DP_NOTE);
    dp_node_set_label(note, "*");
    text(add(note, DP_PARA), "Star note.");
    span = add(p, DP_SPAN);
    dp_node_set_lang(span, "zh");
    text(span, "\xe4\xb8\xad\xe6\x96\x87");
    link = add(p, DP_LINK);
    dp_node_set_url(link, "#two");
    text(link, "to two");
    add(p, DP_LINE_BREAK);

    h = add(root, DP_HEADING);
    dp_node_set_heading_level(h, 1);
    dp_node_set_id(h, "two");
    text(h, "Same");
    p = add(root, DP_PARA);
    dp_node_set_id(p, "two"); /* duplicate id: renamed */
    text(p, "Two");
    note = add(p, DP_NOTE);
    text(add(note, DP_PARA), "Plain note.");
    return doc;
}

static char *serialize(xmlDocPtr page, xw_flavour flavour)
{
    dp_buf *out;
    char *s;
    size_t len;
    if (dp_buf_new(&out) != 0 || xw_serialize(page, flavour, out) != 0)
        exit(1);
    s = (char *)dp_buf_detach(out, &len);
    dp_buf_free(out);
    return s;
}

static const char *chapter_href(void *userdata, const char *id)
{
    static char buf[256];
    (void)userdata;
    snprintf(buf, sizeof buf, "%s%s", strstr(id, "two") ? "ch2.xhtml#" : "ch1.xhtml#", id);
    return buf;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* EPUB use: XHTML, epub:type, chapters in two files, notes for the book in
 * a third, link hrefs rewritten by the caller. */
static void test_xhtml_book(void)
{
    dp_doc *doc = make_doc();
    xw_options o = XW_OPTIONS_INIT;
    xw_writer *w;
    xmlDocPtr page;
    xmlNodePtr body;
    const dp_node *h1, *h2;
    char *s;
    xmlDocPtr parsed;

    o.flavour = XW_XHTML;
    o.epub_types = 1;
    o.id_prefix = "b-";
    o.link_href = chapter_href;
    CHECK(xw_new(&w, NULL, doc, &o) == 0);
    h1 = dp_node_first_child(dp_doc_root(doc));
    h2 = dp_node_next(dp_node_next(h1));
    CHECK(strcmp(xw_node_id(w, h1), "b-same") == 0);
    CHECK(strcmp(xw_node_id(w, h2), "b-two") == 0);
    CHECK(strcmp(xw_node_id(w, dp_node_next(h2)), "b-two-1") == 0);

    /* chapter 1 */
    CHECK(xw_new_page(w, "Chapter 1", &page, NULL, &body) == 0);
    CHECK(xw_set_files(w, "ch1.xhtml", "notes.xhtml") == 0);
    CHECK(xw_render_blocks(w, h1, h2, body) == 0);
    s = serialize(page, XW_XHTML);
    parsed = xmlReadMemory(s, (int)strlen(s), NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    CHECK(parsed != NULL); /* well-formed XML */
    xmlFreeDoc(parsed);
    CHECK(strstr(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>") == s);
    CHECK(strstr(s, "lang=\"en\" xml:lang=\"en\"") != NULL);
    CHECK(strstr(s, "xmlns:epub=\"http://www.idpf.org/2007/ops\"") != NULL);
    CHECK(strstr(s, "<title>Chapter 1</title>") != NULL);
    CHECK(strstr(s, "href=\"notes.xhtml#b-fn1\"") != NULL);
    CHECK(strstr(s, "epub:type=\"noteref\"") != NULL && strstr(s, "role=\"doc-noteref\"") != NULL);
    CHECK(strstr(s, "<sup>*</sup>") != NULL);
    CHECK(strstr(s, "<span lang=\"zh\" xml:lang=\"zh\">") != NULL);
    CHECK(strstr(s, "<p lang") == NULL);
    CHECK(strstr(s, "href=\"ch2.xhtml#b-two\"") != NULL);
    CHECK(strstr(s, "<br/>") != NULL);
    CHECK(strstr(s, "Two") == NULL); /* stop excluded */
    free(s);
    xmlFreeDoc(page);

    /* chapter 2 */
    CHECK(xw_new_page(w, "Chapter 2", &page, NULL, &body) == 0);
    CHECK(xw_set_files(w, "ch2.xhtml", "notes.xhtml") == 0);
    CHECK(xw_render_blocks(w, h2, NULL, body) == 0);
    xmlFreeDoc(page);
    CHECK(xw_note_count(w) == 2);
    CHECK(strcmp(xw_note_at(w, 0)->label, "*") == 0);
    CHECK(strcmp(xw_note_at(w, 1)->label, "2") == 0);
    CHECK(strcmp(xw_note_at(w, 1)->ref_file, "ch2.xhtml") == 0);

    /* notes for the book */
    CHECK(xw_new_page(w, "Notes", &page, NULL, &body) == 0);
    CHECK(xw_set_files(w, "notes.xhtml", NULL) == 0);
    CHECK(xw_render_endnotes(w, 0, XW_ALL, body) == 0);
    s = serialize(page, XW_XHTML);
    CHECK(strstr(s, "epub:type=\"endnotes\"") != NULL && strstr(s, "role=\"doc-endnotes\"") != NULL);
    CHECK(strstr(s, "href=\"ch1.xhtml#b-fnref1\"") != NULL);
    CHECK(strstr(s, "href=\"ch2.xhtml#b-fnref2\"") != NULL);
    CHECK(count(s, "role=\"doc-backlink\"") == 2);
    CHECK(strstr(s, "endnote\"") == NULL); /* never the deprecated endnote / doc-endnote */
    CHECK(strstr(s, "<li id=\"b-fn1\">") != NULL);
    free(s);
    xmlFreeDoc(page);

    /* rendered notes are not rendered twice */
    CHECK(xw_new_page(w, "Again", &page, NULL, &body) == 0);
    CHECK(xw_render_endnotes(w, 0, XW_ALL, body) == 0);
    s = serialize(page, XW_XHTML);
    CHECK(strstr(s, "doc-endnotes") == NULL);
    free(s);
    xmlFreeDoc(page);

    xw_free(w);
    dp_doc_free(doc);
}

/* HTML5: HTML serialisation; inline notes as asides after their paragraph. */
static void test_html5_inline_notes(void)
{
    dp_doc *doc = make_doc();
    xw_options o = XW_OPTIONS_INIT;
    xw_writer *w;
    xmlDocPtr page;
    xmlNodePtr body;
    char *s;
    const char *aside, *para_end;

    o.inline_notes = 1;
    o.epub_types = 1; /* ignored in HTML5 */
    CHECK(xw_new(&w, NULL, doc, &o) == 0);
    CHECK(xw_new_page(w, NULL, &page, NULL, &body) == 0);
    CHECK(xw_render_blocks(w, dp_node_first_child(dp_doc_root(doc)), NULL, body) == 0);
    CHECK(xw_render_endnotes(w, 0, XW_ALL, body) == 0); /* nothing left */
    s = serialize(page, XW_HTML5);
    CHECK(strncmp(s, "<!DOCTYPE html>", 15) == 0);
    CHECK(strstr(s, "/>") == NULL);
    CHECK(strstr(s, "<br>") != NULL);
    CHECK(strstr(s, "<meta charset=\"utf-8\">") != NULL);
    CHECK(strstr(s, "http-equiv") == NULL);
    CHECK(strstr(s, "<title>Book &amp; &lt;Title&gt;</title>") != NULL);
    CHECK(strstr(s, "epub:") == NULL);
    CHECK(strstr(s, "xml:lang") == NULL);
    CHECK(strstr(s, "\xe4\xb8\xad\xe6\x96\x87") != NULL); /* UTF-8 kept, not &#x...; */
    CHECK(count(s, "role=\"doc-footnote\"") == 2);
    CHECK(strstr(s, "doc-endnotes") == NULL);
    /* the first aside follows the first paragraph */
    aside = strstr(s, "<aside id=\"fn1\"");
    para_end = strstr(s, "</p>");
    CHECK(aside && para_end && para_end < aside && aside < strstr(s, "Two"));
    CHECK(strstr(s, "href=\"#two\"") != NULL);
    free(s);
    xmlFreeDoc(page);
    xw_free(w);
    dp_doc_free(doc);
}

/* Fragment output and the title block / toc helpers. */
static void test_fragment_toc(void)
{
    dp_doc *doc = make_doc();
    xw_options o = XW_OPTIONS_INIT;
    xw_writer *w;
    xmlDocPtr frag;
    xmlNodePtr holder;
    dp_buf *out;
    const char *s;

    o.number_sections = 1;
    CHECK(xw_new(&w, NULL, doc, &o) == 0);
    CHECK(xw_new_fragment(w, &frag, &holder) == 0);
    CHECK(xw_render_title_block(w, holder) == 0);
    CHECK(xw_render_toc(w, holder, 0, "Contents") == 0);
    CHECK(xw_render_blocks(w, dp_node_first_child(dp_doc_root(doc)), NULL, holder) == 0);
    CHECK(dp_buf_new(&out) == 0);
    CHECK(xw_serialize_children(holder, XW_HTML5, out) == 0);
    CHECK(dp_buf_puts(out, "") == 0);
    CHECK(dp_buf_append(out, "", 1) == 0);
    s = (const char *)dp_buf_data(out);
    CHECK(strstr(s, "<div>") != s && strstr(s, "<html") == NULL);
    CHECK(strstr(s, "<header id=\"title-block-header\">") != NULL);
    CHECK(strstr(s, "role=\"doc-toc\"") != NULL && strstr(s, "<h2>Contents</h2>") != NULL);
    CHECK(strstr(s, "<a href=\"#two\"><span class=\"toc-section-number\">2</span> Same</a>") != NULL);
    CHECK(strstr(s, "<span class=\"header-section-number\">1</span>") != NULL);
    dp_buf_free(out);
    xmlFreeDoc(frag);
    xw_free(w);
    dp_doc_free(doc);
}

/* Raw HTML is parsed and copied in the page's flavour: svg keeps its own
 * namespace in XHTML; other raw formats are dropped; MathML keeps its own. */
static void test_raw_xhtml(void)
{
    dp_doc *doc;
    dp_node *raw, *p, *m;
    xw_options o = XW_OPTIONS_INIT;
    xw_writer *w;
    xmlDocPtr page, parsed;
    xmlNodePtr body;
    char *s;
    const char *svg = "<svg width=\"8\" height=\"8\"><circle r=\"4\"/></svg> tail & <b>bold</b>";
    const char *mml = "<math><mi>x</mi></math>";
    if (dp_doc_new(&doc) != 0)
        exit(1);
    raw = add(dp_doc_root(doc), DP_RAW_BLOCK);
    dp_node_set_format(raw, "html");
    dp_node_set_text(raw, svg, strlen(svg));
    raw = add(dp_doc_root(doc), DP_RAW_BLOCK);
    dp_node_set_format(raw, "tex");
    dp_node_set_text(raw, "\\TEXONLY", 9);
    p = add(dp_doc_root(doc), DP_PARA);
    m = dp_node_new_text(doc, DP_MATH, mml, strlen(mml));
    dp_node_set_format(m, "mathml");
    dp_node_append_child(p, m);
    {
        /* CommonMark splits inline HTML into tags: "<b>", "bold ", "<i>", "it", "</i>", "</b>" */
        static const char *const parts[] = {"<kbd>", "=Ctrl", "</kbd>", "= and ", "<b>", "=bold ", "<i>",
                                            "=it", "</i>", "</b>", "= ", "<br>", "</u>", "<q>", "=open", NULL};
        dp_node *para = add(dp_doc_root(doc), DP_PARA);
        for (int i = 0; parts[i]; i++) {
            if (parts[i][0] == '=') {
                text(para, parts[i] + 1);
            } else {
                dp_node *ri = dp_node_new_text(doc, DP_RAW_INLINE, parts[i], strlen(parts[i]));
                dp_node_set_format(ri, "html");
                dp_node_append_child(para, ri);
            }
        }
    }
    o.flavour = XW_XHTML;
    CHECK(xw_new(&w, NULL, doc, &o) == 0);
    CHECK(xw_new_page(w, NULL, &page, NULL, &body) == 0);
    CHECK(xw_render_blocks(w, dp_node_first_child(dp_doc_root(doc)), NULL, body) == 0);
    s = serialize(page, XW_XHTML);
    /* pairs become elements; a stray end tag adds nothing; an unclosed start tag holds the rest of
     * its paragraph, as browsers read the same tags one after the other */
    CHECK(strstr(s, "<p><kbd>Ctrl</kbd> and <b>bold <i>it</i></b> <br/><q>open</q></p>") != NULL);
    parsed = xmlReadMemory(s, (int)strlen(s), NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    CHECK(parsed != NULL);
    xmlFreeDoc(parsed);
    CHECK(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"><circle r=\"4\"/></svg>") != NULL);
    CHECK(strstr(s, "tail &amp; <b>bold</b>") != NULL);
    CHECK(strstr(s, "TEXONLY") == NULL);
    CHECK(strstr(s, "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mi>x</mi></math>") != NULL);
    free(s);
    xmlFreeDoc(page);
    xw_free(w);
    dp_doc_free(doc);
}

/* XHTML 1.1 (EPUB 2): ids become XML names and links follow them; no
 * HTML5-only element or attribute. */
static void test_xhtml11(void)
{
    dp_doc *doc;
    dp_node *h, *p, *link, *note, *pb;
    xw_options o = XW_OPTIONS_INIT;
    xw_writer *w;
    xmlDocPtr page, parsed;
    xmlNodePtr body;
    char *s;
    if (dp_doc_new(&doc) != 0)
        exit(1);
    dp_meta_set_string(doc, dp_doc_meta(doc), "language", "en");
    h = add(dp_doc_root(doc), DP_HEADING);
    dp_node_set_heading_level(h, 2);
    dp_node_set_id(h, "2021 plan");
    text(h, "Plan");
    p = add(dp_doc_root(doc), DP_PARA);
    link = add(p, DP_LINK);
    dp_node_set_url(link, "#2021 plan");
    text(link, "see");
    note = add(p, DP_NOTE);
    text(add(note, DP_PARA), "n");
    pb = dp_node_new(doc, DP_PAGE_BREAK);
    dp_node_set_label(pb, "7");
    dp_node_set_block_milestone(pb, 1);
    dp_node_append_child(dp_doc_root(doc), pb);
    o.flavour = XW_XHTML11;
    o.epub_types = 1; /* ignored: not XHTML 1.1 */
    o.section_divs = 1;
    CHECK(xw_new(&w, NULL, doc, &o) == 0);
    CHECK(xw_new_page(w, NULL, &page, NULL, &body) == 0);
    CHECK(xw_render_blocks(w, dp_node_first_child(dp_doc_root(doc)), NULL, body) == 0);
    CHECK(xw_render_endnotes(w, 0, XW_ALL, body) == 0);
    s = serialize(page, XW_XHTML11);
    parsed = xmlReadMemory(s, (int)strlen(s), NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    CHECK(parsed != NULL);
    xmlFreeDoc(parsed);
    CHECK(strstr(s, "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.1//EN\"") != NULL);
    CHECK(strstr(s, "<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\">") != NULL);
    CHECK(strstr(s, "<h2 id=\"id-2021_plan\">") != NULL);
    CHECK(strstr(s, "href=\"#id-2021_plan\"") != NULL);
    CHECK(strstr(s, "<div class=\"section level2\">") != NULL);
    CHECK(strstr(s, "<div class=\"pagebreak\" title=\"7\" id=\"page-7\"/>") != NULL);
    CHECK(strstr(s, "<div class=\"section footnotes\">") != NULL);
    CHECK(strstr(s, "role=") == NULL && strstr(s, "aria-") == NULL && strstr(s, "epub:") == NULL);
    CHECK(strstr(s, " lang=") == NULL && strstr(s, "<section") == NULL && strstr(s, "charset") == NULL);
    free(s);
    xmlFreeDoc(page);
    xw_free(w);
    dp_doc_free(doc);
}

/* Input-controlled nesting: no recursion on the C stack; beyond the depth
 * limit (10000 without a ctx) a clean DP_ELIMIT. */
static void test_deep(int depth, int expect)
{
    dp_doc *doc;
    xw_writer *w;
    xmlDocPtr page;
    xmlNodePtr body;
    dp_node *n;
    dp_buf *out;
    if (dp_doc_new(&doc) != 0)
        exit(1);
    n = dp_doc_root(doc);
    for (int i = 0; i < depth; i++)
        n = add(n, DP_BLOCK_QUOTE);
    text(add(n, DP_PARA), "deep");
    CHECK(xw_new(&w, NULL, doc, NULL) == 0);
    CHECK(xw_new_page(w, NULL, &page, NULL, &body) == 0);
    CHECK(xw_render_blocks(w, dp_node_first_child(dp_doc_root(doc)), NULL, body) == expect);
    if (expect == 0) {
        CHECK(dp_buf_new(&out) == 0);
        CHECK(xw_serialize(page, XW_HTML5, out) == 0);
        CHECK(dp_buf_len(out) > (size_t)depth * 12);
        dp_buf_free(out);
    }
    xmlFreeDoc(page);
    xw_free(w);
    dp_doc_free(doc);
}

/* Generated ids: the smallest free "-N" after a heading's slug, skipping
 * ids the author wrote anywhere in the document, and the same for a slug
 * that itself ends in "-N". Many duplicates must stay linear (the writer
 * resumes the search where the last duplicate of the base stopped), which
 * this checks only for the result, not the time. */
static void test_unique_ids(void)
{
    static const char *const titles[] = {"Intro", "Intro", "Intro", "Intro 1", "Intro", "Intro"};
    static const char *const want[] = {"intro", "intro-1", "intro-3", "intro-1-1", "intro-4", "intro-5"};
    const dp_node *h[6];
    dp_doc *doc;
    dp_node *root, *p;
    xw_writer *w;
    xw_options o = XW_OPTIONS_INIT;
    if (dp_doc_new(&doc) != 0)
        exit(1);
    root = dp_doc_root(doc);
    for (int i = 0; i < 6; i++) {
        dp_node *n = add(root, DP_HEADING);
        dp_node_set_heading_level(n, 2);
        text(n, titles[i]);
        h[i] = n;
    }
    p = add(root, DP_PARA);
    dp_node_set_id(p, "intro-2"); /* the author's, reserved before any slug */
    text(p, "x");
    CHECK(xw_new(&w, NULL, doc, &o) == 0);
    for (int i = 0; i < 6; i++) {
        const char *id = xw_node_id(w, h[i]);
        if (!id || strcmp(id, want[i]) != 0) {
            fprintf(stderr, "heading %d: id %s, expected %s\n", i, id ? id : "(none)", want[i]);
            check_failures++;
        }
    }
    CHECK(strcmp(xw_node_id(w, p), "intro-2") == 0);
    xw_free(w);
    dp_doc_free(doc);
}

/* One page built twice: written whole (xw_serialize), and written while
 * its body is freed (xw_serialize_freeing); the bytes must be the same,
 * in every flavour, for a page and for a fragment. The page is over 4 MB, so
 * the freed memory is handed back at least once on the way, and its title
 * holds the marker the freeing writer splits the page at. */
static dp_doc *make_big_doc(void)
{
    dp_doc *doc = make_doc();
    dp_node *root = dp_doc_root(doc);
    char line[160];
    dp_meta_set_string(doc, dp_doc_meta(doc), "title", "<!--dp-xw-body-content--> & more");
    for (int i = 0; i < 40000; i++) {
        dp_node *sec = add(root, i % 1000 == 0 ? DP_HEADING : DP_PARA);
        if (i % 1000 == 0)
            dp_node_set_heading_level(sec, 1 + i / 1000 % 3);
        snprintf(line, sizeof line, "Paragraph %d of the big page, with <markup> & \"quotes\" to escape, "
                 "and some more words to make it longer.", i);
        text(sec, line);
    }
    return doc;
}

static char *render_page(dp_doc *doc, xw_flavour flavour, int fragment, int freeing)
{
    xw_options o = XW_OPTIONS_INIT;
    xw_writer *w;
    xmlDocPtr page;
    xmlNodePtr head, body;
    dp_buf *out;
    size_t len;
    char *s;
    o.flavour = flavour;
    if (xw_new(&w, NULL, doc, &o) != 0 || dp_buf_new(&out) != 0)
        exit(1);
    if (fragment ? xw_new_fragment(w, &page, &body) : xw_new_page(w, NULL, &page, &head, &body))
        exit(1);
    CHECK(xw_render_title_block(w, body) == 0);
    CHECK(xw_render_blocks(w, dp_node_first_child(dp_doc_root(doc)), NULL, body) == 0);
    CHECK(xw_render_endnotes(w, 0, XW_ALL, body) == 0);
    if (fragment)
        CHECK((freeing ? xw_serialize_children_freeing : xw_serialize_children)(body, flavour, out) == 0);
    else
        CHECK((freeing ? xw_serialize_freeing : xw_serialize)(page, flavour, out) == 0);
    if (freeing)
        CHECK(body->children == NULL);
    s = (char *)dp_buf_detach(out, &len);
    dp_buf_free(out);
    xmlFreeDoc(page);
    xw_free(w);
    return s;
}

static void test_freeing_same_bytes(void)
{
    dp_doc *doc = make_big_doc();
    const xw_flavour flavours[] = {XW_HTML5, XW_XHTML, XW_XHTML11};
    for (size_t f = 0; f < sizeof flavours / sizeof *flavours; f++)
        for (int fragment = 0; fragment <= 1; fragment++) {
            char *whole = render_page(doc, flavours[f], fragment, 0);
            char *freed = render_page(doc, flavours[f], fragment, 1);
            CHECK(strlen(whole) > (4u << 20));
            if (strcmp(whole, freed) != 0) {
                size_t i = 0;
                while (whole[i] && whole[i] == freed[i])
                    i++;
                fprintf(stderr, "flavour %zu fragment %d: bytes differ from offset %zu: %.60s | %.60s\n", f,
                        fragment, i, whole + i, freed + i);
                check_failures++;
            }
            CHECK(fragment || strstr(whole, "&lt;!--dp-xw-body-content--&gt;") != NULL);
            free(whole);
            free(freed);
        }
    dp_doc_free(doc);
}

int main(void)
{
    test_unique_ids();
    test_xhtml_book();
    test_html5_inline_notes();
    test_fragment_toc();
    test_raw_xhtml();
    test_xhtml11();
    test_deep(9000, 0);
    test_deep(20000, DP_ELIMIT);
    test_freeing_same_bytes();
    if (check_failures) {
        fprintf(stderr, "%d check(s) failed\n", check_failures);
        return 1;
    }
    puts("xhtml_write: all checks passed");
    return 0;
}
