/* epub_writer: --template FILE (option 'template') for the content pages,
 * the chapters and the notes file (the writer's own pages, cover, title
 * page and nav, keep their fixed form).
 *
 * The template (plugins/xhtml/template, pandoc's syntax: pandoc -D epub3
 * works) is rendered with the page's variables, and $body$ stands for a
 * processing instruction. The result is parsed as XML; the page's body,
 * built as without a template, is moved in place of the instruction. So the
 * body never goes through text again, and a template that does not give
 * well-formed XHTML is an input error naming the template's line (through
 * the line map: the line of the text or variable that wrote the faulty
 * line of the page), before anything is written. */
#include "epub_book.h"
#include "template.h"
#include "xhtml_write.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#define BODY_PI "docpipe-body"

static const xmlChar *X(const char *s) { return (const xmlChar *)s; }

int epubw_template_load(epubw_book *b)
{
    const char *path = dp_opt_string(b->ctx, "template");
    if (!path || !*path)
        return 0;
    int rc = dp_buf_new(&b->template_text);
    if (!rc)
        rc = tpl_read_file(b->ctx, path, b->template_text);
    if (!rc)
        b->template_path = path;
    return rc;
}

/* What one page's variables hold. */
typedef struct pvars {
    epubw_book *b;
    const char *pagetitle; /* escaped */
    const char *body_type;
    dp_meta *css;          /* list of stylesheet hrefs (in scratch) */
} pvars;

static int lookup(void *ud, const char *name, tpl_value *out)
{
    const pvars *v = ud;
    const epubw_book *b = v->b;
    const char *raw = NULL;
    if (strcmp(name, "body") == 0)
        raw = "<?" BODY_PI "?>";
    else if (strcmp(name, "pagetitle") == 0)
        raw = v->pagetitle;
    else if (strcmp(name, "body-type") == 0)
        raw = v->body_type;
    else if (strcmp(name, "lang") == 0)
        raw = b->lang; /* the book's: option, metadata or file, "und" at worst */
    else if (strcmp(name, "dir") == 0)
        raw = b->dir;
    else if (strcmp(name, "styles.html()") == 0 || strcmp(name, "styles") == 0)
        raw = ""; /* the stylesheet is a file of the book, linked through $css$ */
    if (raw) {
        out->raw = raw;
        return 1;
    }
    if (strcmp(name, "css") == 0) {
        out->meta = v->css;
        return dp_meta_len(v->css) > 0;
    }
    return tpl_lookup_meta(b->meta, name, out);
}

static int markup(void *ud, const dp_meta *m, dp_buf *out)
{
    const pvars *v = ud;
    return xw_meta_markup(v->b->body, m, out);
}

/* The first error libxml2 reports while parsing the page (the last one,
 * which xmlCtxtGetLastError keeps, may be a consequence). */
typedef struct first_error {
    int line;
    char msg[256];
} first_error;

static void keep_first(void *userdata, xmlErrorPtr e)
{
    xmlParserCtxtPtr ctxt = userdata;
    first_error *fe = ctxt->_private;
    if (fe->line || !e || e->level < XML_ERR_ERROR)
        return;
    fe->line = e->line > 0 ? e->line : 1;
    snprintf(fe->msg, sizeof fe->msg, "%.*s", (int)strcspn(e->message ? e->message : "error", "\n"),
             e->message ? e->message : "error");
}

/* The rendered page as a document, or NULL after reporting where the
 * template went wrong. */
static xmlDocPtr parse_page(epubw_book *b, const dp_buf *text, const tpl_line_map *map, const char *page)
{
    first_error fe = {0, ""};
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return NULL;
    ctxt->_private = &fe;
    ctxt->sax->serror = keep_first;
    /* no network, no DTD, no entity expansion: XML's five entities only */
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, (const char *)dp_buf_data(text), (int)dp_buf_len(text), page, "UTF-8",
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    int ok = doc && ctxt->wellFormed && ctxt->nsWellFormed && !fe.line;
    xmlFreeParserCtxt(ctxt);
    if (ok)
        return doc;
    xmlFreeDoc(doc);
    dp_fail(b->ctx, DP_EINPUT, b->template_path, tpl_line_map_get(map, fe.line), 0,
            "template: the page %s it gives is not well-formed XHTML: %s (line %d of that page)", page,
            fe.line ? fe.msg : "parse error", fe.line);
    return NULL;
}

static xmlNodePtr find_pi(xmlNodePtr n, int *count)
{
    xmlNodePtr found = NULL;
    for (; n; n = n->next) {
        if (n->type == XML_PI_NODE && xmlStrEqual(n->name, X(BODY_PI))) {
            ++*count;
            found = found ? found : n;
        } else if (n->type == XML_ELEMENT_NODE) {
            xmlNodePtr inner = find_pi(n->children, count);
            found = found ? found : inner;
        }
    }
    return found;
}

/* What EPUB asks of every page and the template left out: the language on
 * <html> (lang and xml:lang in EPUB 3) and the book's direction; the
 * doctype is the version's. */
static void complete_root(epubw_book *b, xmlDocPtr doc, xmlNodePtr html)
{
    xmlChar *xml_lang = xmlNodeGetLang(html);
    xmlChar *lang = xmlHasProp(html, X("lang")) ? xmlGetNoNsProp(html, X("lang")) : NULL;
    const char *use = xml_lang ? (const char *)xml_lang : lang ? (const char *)lang : b->lang;
    if (!xml_lang)
        xmlNodeSetLang(html, X(use));
    if (b->version != 2 && !lang)
        xmlSetProp(html, X("lang"), X(use));
    xmlFree(xml_lang);
    xmlFree(lang);
    if (b->dir && !xmlHasProp(html, X("dir")))
        xmlSetProp(html, X("dir"), X(b->dir));
    xmlDtdPtr old = xmlGetIntSubset(doc);
    if (old) {
        xmlUnlinkNode((xmlNodePtr)old);
        xmlFreeDtd(old);
    }
    if (b->version == 2)
        xmlCreateIntSubset(doc, X("html"), X("-//W3C//DTD XHTML 1.1//EN"),
                           X("http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd"));
    else
        xmlCreateIntSubset(doc, X("html"), NULL, NULL);
}

/* Moves the children of the built page's body in place of the instruction. */
static int move_body(xmlDocPtr from, xmlNodePtr body, xmlDocPtr to, xmlNodePtr pi)
{
    xmlNodePtr n = body->children;
    while (n) {
        xmlNodePtr next = n->next;
        xmlUnlinkNode(n);
        if (xmlDOMWrapAdoptNode(NULL, from, n, to, pi->parent, 0) != 0) {
            xmlFreeNode(n);
            return DP_ENOMEM;
        }
        xmlAddPrevSibling(pi, n);
        n = next;
    }
    xmlUnlinkNode(pi);
    xmlFreeNode(pi);
    return 0;
}

static int make_vars(epubw_book *b, pvars *v, dp_doc *scratch, const char *pagetitle, dp_buf *title)
{
    int rc = xw_template_escape(NULL, pagetitle, title);
    if (rc == 0)
        rc = dp_buf_append(title, "", 1);
    if (rc)
        return rc;
    v->pagetitle = (const char *)dp_buf_data(title);
    if (!(v->css = dp_meta_new_list(scratch)))
        return DP_ENOMEM;
    for (size_t i = 0; i < b->nitems; i++) {
        if (strcmp(b->items[i].media_type, "text/css") != 0)
            continue;
        dp_meta *href = dp_meta_new_string(scratch, b->items[i].href);
        if (!href || dp_meta_append(v->css, href) != 0)
            return DP_ENOMEM;
    }
    return 0;
}

int epubw_template_apply(epubw_book *b, xmlDocPtr *page_doc, xmlNodePtr body, const char *page,
                         const char *pagetitle, const char *body_type)
{
    if (!b->template_text)
        return 0;
    pvars v = {b, NULL, body_type, NULL};
    dp_doc *scratch = NULL;
    dp_buf *title = NULL, *text = NULL;
    tpl_line_map map = {NULL, 0, 0};
    xmlDocPtr doc = NULL;
    int rc = dp_doc_new(&scratch);
    if (rc == 0)
        rc = dp_buf_new(&title);
    if (rc == 0)
        rc = dp_buf_new(&text);
    if (rc == 0)
        rc = make_vars(b, &v, scratch, pagetitle, title);
    if (rc == 0) {
        tpl_env env = {lookup, xw_template_escape, &v, markup};
        rc = tpl_render_mapped(b->ctx, b->template_path, (const char *)dp_buf_data(b->template_text),
                               dp_buf_len(b->template_text), &env, text, &map);
    }
    if (rc == 0 && !(doc = parse_page(b, text, &map, page)))
        rc = DP_EINPUT;
    xmlNodePtr html = doc ? xmlDocGetRootElement(doc) : NULL;
    int count = 0;
    xmlNodePtr pi = html ? find_pi(html->children, &count) : NULL;
    if (rc == 0 && !(html && xmlStrEqual(html->name, X("html")) && html->ns &&
                     xmlStrEqual(html->ns->href, X(EPUBW_NS_XHTML))))
        rc = dp_fail(b->ctx, DP_EINPUT, b->template_path, 0, 0,
                     "template: the page %s it gives has no <html> root in the XHTML namespace (%s)", page,
                     EPUBW_NS_XHTML);
    else if (rc == 0 && count != 1)
        rc = dp_fail(b->ctx, DP_EINPUT, b->template_path, 0, 0,
                     "template: the page %s it gives has $body$ %d times where content may go, not once", page,
                     count);
    if (rc == 0)
        rc = move_body(*page_doc, body, doc, pi);
    if (rc == 0) {
        complete_root(b, doc, html);
        xmlFreeDoc(*page_doc);
        *page_doc = doc;
        doc = NULL;
    }
    xmlFreeDoc(doc);
    tpl_line_map_free(&map);
    dp_buf_free(text);
    dp_buf_free(title);
    dp_doc_free(scratch);
    return rc;
}
