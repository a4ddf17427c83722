/* epub_writer: the files of the publication: stylesheet, resources, cover,
 * title page, chapters and the notes file. */
#include "epub_book.h"
#include "xhtml_style.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const xmlChar *X(const char *s) { return (const xmlChar *)s; }

/* Serialises a finished XHTML page into an item. */
static int add_page(epubw_book *b, xmlDocPtr doc, const char *id, const char *href, const char *extra_props,
                    int spine)
{
    char props[64];
    int rc = epubw_finish_page(b, doc, href, props, sizeof props);
    if (!rc)
        rc = epubw_declare_prefixes(b, doc, href);
    if (rc) {
        xmlFreeDoc(doc);
        return rc;
    }
    char all[96];
    snprintf(all, sizeof all, "%s%s%s", extra_props ? extra_props : "", extra_props && *props ? " " : "",
             props);
    return epubw_add_xml_item(b, doc, 0, id, href, "application/xhtml+xml", all, spine);
}

/* ---- stylesheet ---- */

static int read_file(epubw_book *b, const char *path, dp_buf *out)
{
    const dp_resource *r = dp_doc_resource_find(b->doc, path);
    if (r)
        return dp_buf_append(out, r->data, r->len);
    FILE *f = fopen(path, "rb");
    if (!f)
        return dp_fail(b->ctx, DP_EINPUT, path, 0, 0, "epub: cannot read the stylesheet given by 'css': %s",
                       strerror(errno));
    char chunk[8192];
    size_t n;
    int rc = 0;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = dp_buf_append(out, chunk, n);
    if (!rc && ferror(f))
        rc = dp_fail(b->ctx, DP_EINPUT, path, 0, 0, "epub: error reading the stylesheet");
    fclose(f);
    return rc;
}

/* Front matter css (pandoc's key; --css gives the same metadata): each
 * stylesheet a document resource or local file adds to the book's sheet,
 * as the css option does; a URL or a missing file is reported. */
static int add_meta_css(epubw_book *b, dp_buf *css)
{
    const dp_meta *list = dp_meta_get(b->meta, "css");
    int rc = 0;
    for (size_t i = 0; i < dp_meta_len(list) && !rc; i++) {
        const char *path = dp_meta_text(dp_meta_at(list, i));
        FILE *probe = NULL;
        if (!path || !*path)
            continue;
        if (!dp_doc_resource_find(b->doc, path) && (strstr(path, "://") || !(probe = fopen(path, "rb")))) {
            dp_warn(b->ctx, "epub: stylesheet '%s' (metadata css) is neither a resource nor a readable file: "
                            "not in the book", path);
            continue;
        }
        if (probe)
            fclose(probe);
        rc = dp_buf_printf(css, "\n/* added by metadata css: %s */\n", path);
        if (!rc)
            rc = read_file(b, path, css);
    }
    return rc;
}

int epubw_make_css(epubw_book *b)
{
    const char *user = dp_opt_string(b->ctx, "css");
    const char *mode = dp_opt_string(b->ctx, "css-mode");
    int replace = mode && strcmp(mode, "replace") == 0;
    dp_buf *css = NULL;
    /* css=none: no stylesheet at all (the pages then link none) */
    if (user && strcmp(user, "none") == 0)
        return 0;
    int rc = dp_buf_new(&css);
    if (rc)
        return rc;
    if (!(replace && user && *user)) {
        size_t n = 0;
        const char *sheet = xs_default_css(XS_SHEET_EPUB, &n);
        rc = dp_buf_append(css, sheet, n);
    }
    if (!rc && user && *user) {
        if (!replace)
            rc = dp_buf_puts(css, "\n/* added by the 'css' option */\n");
        if (!rc)
            rc = read_file(b, user, css);
    } else if (!rc && replace)
        dp_warn(b->ctx, "epub: css-mode is 'replace' but no 'css' was given: the default stylesheet is used");
    if (!rc)
        rc = add_meta_css(b, css);
    size_t len = 0;
    unsigned char *data = rc ? NULL : dp_buf_detach(css, &len);
    dp_buf_free(css);
    if (rc)
        return rc;
    return epubw_add_item(b, "css", EPUBW_CSS_HREF, "text/css", NULL, data, len, 0);
}

/* ---- resources ---- */

int epubw_make_resources(epubw_book *b)
{
    for (size_t i = 0; i < b->nres; i++) {
        const dp_resource *r = b->res[i].res;
        int is_cover = b->cover_kind == EPUBW_COVER_IMAGE && r == b->cover_res;
        char id[32];
        if (is_cover)
            snprintf(id, sizeof id, "cover-image");
        else
            snprintf(id, sizeof id, "res-%zu", i + 1);
        int rc = epubw_add_item_borrowed(b, id, b->res[i].href, r->mime, is_cover ? "cover-image" : NULL,
                                         r->data, r->len);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- cover ---- */

/* Names of the people in a metadata list, joined with ", ". */
static char *names(const epubw_book *b, const char *key)
{
    const dp_meta *list = dp_meta_get(b->meta, key);
    char *out = NULL;
    for (size_t i = 0; i < dp_meta_len(list); i++) {
        const dp_meta *m = dp_meta_at(list, i);
        const char *name = dp_meta_get_type(m) == DP_META_MAP ? dp_meta_get_text(m, "name") : dp_meta_text(m);
        if (!name || !*name)
            continue;
        char *next = out ? epubw_strf("%s, %s", out, name) : epubw_strdup(name);
        free(out);
        if (!next)
            return NULL;
        out = next;
    }
    return out;
}

/* East Asian wide characters (CJK, Hangul, full-width forms) take about
 * twice the width of a Latin letter. */
static int is_wide(unsigned long cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000;
}

/* Display width of a UTF-8 span, in Latin letters. */
static int text_width(const char *s, size_t len)
{
    int w = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t step = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        unsigned long cp = step == 1 ? c : (unsigned long)(c & (0xff >> (step + 1)));
        for (size_t k = 1; k < step && i + k < len; k++)
            cp = (cp << 6) | ((unsigned char)s[i + k] & 0x3fu);
        w += is_wide(cp) ? 2 : 1;
        i += step;
    }
    return w;
}

/* Breaks text into lines of at most max_width and adds one <text> per line,
 * centred, from y down by step. Long words without spaces are cut at
 * character boundaries. Returns the y after the last line. */
static int svg_lines(xmlNodePtr svg, const char *text, int max_width, int y, int step, int size,
                     const char *weight, const char *fill)
{
    size_t len = strlen(text);
    size_t pos = 0;
    while (pos < len) {
        while (pos < len && text[pos] == ' ')
            pos++;
        if (pos >= len)
            break;
        size_t end = pos, last_space = 0;
        while (end < len) {
            unsigned char c = (unsigned char)text[end];
            size_t step_b = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
            if (text_width(text + pos, end + step_b - pos) > max_width)
                break;
            if (text[end] == ' ')
                last_space = end;
            end += step_b;
        }
        if (end < len && last_space > pos)
            end = last_space;
        if (end == pos) /* one character wider than a line */
            end = pos + 1;
        if (!svg) { /* measuring only */
            y += step;
            pos = end;
            continue;
        }
        char *line = malloc(end - pos + 1);
        if (!line)
            return y;
        memcpy(line, text + pos, end - pos);
        line[end - pos] = '\0';
        char num[16];
        xmlNodePtr t = xmlNewTextChild(svg, svg->ns, X("text"), X(line));
        free(line);
        xmlNewProp(t, X("x"), X("300"));
        snprintf(num, sizeof num, "%d", y);
        xmlNewProp(t, X("y"), X(num));
        xmlNewProp(t, X("text-anchor"), X("middle"));
        xmlNewProp(t, X("font-family"), X("Georgia, 'Times New Roman', serif"));
        snprintf(num, sizeof num, "%d", size);
        xmlNewProp(t, X("font-size"), X(num));
        xmlNewProp(t, X("font-weight"), X(weight));
        xmlNewProp(t, X("fill"), X(fill));
        y += step;
        pos = end;
    }
    return y;
}

static void svg_rect(xmlNodePtr svg, const char *x, const char *y, const char *w, const char *h,
                     const char *fill, const char *stroke)
{
    xmlNodePtr r = xmlNewChild(svg, svg->ns, X("rect"), NULL);
    xmlNewProp(r, X("x"), X(x));
    xmlNewProp(r, X("y"), X(y));
    xmlNewProp(r, X("width"), X(w));
    xmlNewProp(r, X("height"), X(h));
    xmlNewProp(r, X("fill"), X(fill));
    if (stroke) {
        xmlNewProp(r, X("stroke"), X(stroke));
        xmlNewProp(r, X("stroke-width"), X("3"));
    }
}

/* The typographic cover: title, subtitle and bylines on a plain ground, as
 * calibre draws one when a book has no cover picture. */
static int make_svg_cover(epubw_book *b, const char *byline, const char *secondary)
{
    xmlDocPtr doc = xmlNewDoc(X("1.0"));
    if (!doc)
        return DP_ENOMEM;
    xmlNodePtr svg = xmlNewDocNode(doc, NULL, X("svg"), NULL);
    xmlDocSetRootElement(doc, svg);
    xmlSetNs(svg, xmlNewNs(svg, X(EPUBW_NS_SVG), NULL));
    xmlNewProp(svg, X("version"), X("1.1"));
    xmlNewProp(svg, X("width"), X("600"));
    xmlNewProp(svg, X("height"), X("900"));
    xmlNewProp(svg, X("viewBox"), X("0 0 600 900"));
    xmlNodeSetLang(svg, X(b->lang));
    xmlNewTextChild(svg, svg->ns, X("title"), X(b->title));
    if (byline)
        xmlNewTextChild(svg, svg->ns, X("desc"), X(byline));
    svg_rect(svg, "0", "0", "600", "900", "#f3eee4", NULL);
    svg_rect(svg, "36", "36", "528", "828", "none", "#6b4a2f");
    /* title from the top, a rule under it, the subtitle, the bylines low */
    /* a long title gets a smaller type so that it keeps inside the frame */
    int big = svg_lines(NULL, b->title, 20, 0, 1, 0, NULL, NULL) <= 7;
    int step = big ? 58 : 40;
    int y = svg_lines(svg, b->title, big ? 20 : 30, big ? 190 : 150, step, big ? 46 : 32, "bold", "#2a1a0e") -
            step + 44;
    char ry[16];
    snprintf(ry, sizeof ry, "%d", y);
    svg_rect(svg, "150", ry, "300", "3", "#6b4a2f", NULL);
    y += 70;
    const char *subtitle = dp_meta_get_text(b->meta, "subtitle");
    if (subtitle && *subtitle)
        y = svg_lines(svg, subtitle, 32, y, 40, 28, "normal", "#3d2a1a");
    int by = y + 60 > 690 ? y + 60 : 690;
    if (byline)
        by = svg_lines(svg, byline, 34, by, 38, 28, "normal", "#2a1a0e");
    if (secondary)
        svg_lines(svg, secondary, 44, by + 4, 30, 20, "normal", "#4a3524");
    free(b->cover_image_href);
    b->cover_image_href = epubw_strdup("docpipe-cover.svg");
    if (!b->cover_image_href) {
        xmlFreeDoc(doc);
        return DP_ENOMEM;
    }
    return epubw_add_xml_item(b, doc, 1, "cover-image", "docpipe-cover.svg", "image/svg+xml", "cover-image", 0);
}

int epubw_make_cover(epubw_book *b)
{
    if (b->cover_kind == EPUBW_COVER_NONE)
        return 0;
    int rc = 0;
    char *authors = names(b, "author");
    char *translators = names(b, "translator");
    char *secondary = translators ? epubw_strf("Translated by %s", translators) : NULL;
    char *alt = authors ? epubw_strf("Cover: %s, by %s", b->title, authors) : epubw_strf("Cover: %s", b->title);
    if (!alt || (translators && !secondary)) {
        rc = DP_ENOMEM;
        goto cleanup;
    }
    if (b->cover_kind == EPUBW_COVER_SVG) {
        if ((rc = make_svg_cover(b, authors, secondary)))
            goto cleanup;
    } else {
        free(b->cover_image_href);
        b->cover_image_href = epubw_strdup(epubw_resource_href(b, b->cover_res->name));
        if (!b->cover_image_href) {
            rc = DP_ENOMEM;
            goto cleanup;
        }
    }
    xmlNodePtr body;
    xmlDocPtr doc = epubw_xhtml_new(b, "Cover", b->lang, 1, &body);
    if (!doc) {
        rc = DP_ENOMEM;
        goto cleanup;
    }
    xmlNewProp(body, X("class"), X("cover"));
    xmlNodePtr div = epubw_el(body, "div", NULL);
    xmlNewProp(div, X("class"), X("cover-image"));
    xmlNodePtr img = epubw_el(div, "img", NULL);
    xmlNewProp(img, X("src"), X(b->cover_image_href));
    /* the accessible name of the cover */
    xmlNewProp(img, X("alt"), X(alt));
    epubw_semantic(b, img, "cover", "doc-cover");
    rc = add_page(b, doc, "cover", "cover.xhtml", NULL, 1);
cleanup:
    free(authors);
    free(translators);
    free(secondary);
    free(alt);
    return rc;
}

/* ---- title page ---- */

int epubw_make_title_page(epubw_book *b)
{
    if (!b->title_page)
        return 0;
    xmlNodePtr body;
    xmlDocPtr doc = epubw_xhtml_new(b, b->title, b->lang, 1, &body);
    if (!doc)
        return DP_ENOMEM;
    xmlNodePtr sec = epubw_el(body, b->version == 2 ? "div" : "section", NULL);
    xmlNewProp(sec, X("class"), X("titlepage"));
    xmlNewProp(sec, X("id"), X("titlepage"));
    epubw_semantic(b, sec, "titlepage", NULL);
    int rc = epubw_body_title_block(b, sec);
    if (rc) {
        xmlFreeDoc(doc);
        return rc;
    }
    if (!sec->children) /* no title nor author in the metadata */
        epubw_el(sec, "h1", b->title);
    return add_page(b, doc, "titlepage", "titlepage.xhtml", NULL, 1);
}

/* ---- chapters and notes ---- */

int epubw_make_chapters(epubw_book *b)
{
    for (size_t i = 0; i < b->nchapters; i++) {
        xmlNodePtr body;
        xmlDocPtr doc = epubw_xhtml_new(b, b->chapters[i].title, b->lang, 1, &body);
        if (!doc)
            return DP_ENOMEM;
        epubw_semantic(b, body, "bodymatter", NULL);
        int rc = epubw_body_chapter(b, i, body);
        if (!rc)
            rc = epubw_template_apply(b, &doc, body, b->chapters[i].file, b->chapters[i].title, "bodymatter");
        if (rc) {
            xmlFreeDoc(doc);
            return rc;
        }
        char id[32];
        snprintf(id, sizeof id, "ch%03zu", i + 1);
        if ((rc = add_page(b, doc, id, b->chapters[i].file, NULL, 1)))
            return rc;
    }
    if (!b->notes_file)
        return 0;
    xmlNodePtr body;
    xmlDocPtr doc = epubw_xhtml_new(b, "Notes", b->lang, 1, &body);
    if (!doc)
        return DP_ENOMEM;
    epubw_semantic(b, body, "backmatter", NULL);
    xmlNodePtr h = epubw_el(body, "h1", "Notes");
    epubw_english_label(b, h);
    int any = 0;
    int rc = epubw_body_book_notes(b, body, &any);
    if (rc) {
        xmlFreeDoc(doc);
        return rc;
    }
    /* the heading belongs inside the endnotes section the writer made */
    xmlNodePtr sec = h->next;
    while (sec && sec->type != XML_ELEMENT_NODE)
        sec = sec->next;
    if (sec && sec->children) {
        xmlUnlinkNode(h);
        xmlAddPrevSibling(sec->children, h);
    }
    if ((rc = epubw_template_apply(b, &doc, body, b->notes_file, "Notes", "backmatter"))) {
        xmlFreeDoc(doc);
        return rc;
    }
    return add_page(b, doc, "notes", b->notes_file, NULL, 1);
}
