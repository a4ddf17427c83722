/* Parsing HTML (the WHATWG algorithm, html5.h) and XHTML and XML
 * (libxml2) from memory, with libxml2's diagnostics in our own words.
 *
 * libxml2 2.9 routes HTML parser errors only through the structured error
 * handler (the per-context SAX serror is ignored for HTML contexts), so the
 * handler is installed around each parse and the previous one restored. */
#include "xmlu_chars.h"
#include "xmlu_entities.h"
#include "xmlu_io.h"
#include "xr_internal.h"

#include "html5.h"

#include <libxml/HTMLparser.h>

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#define SHOWN_MAX 10

typedef struct diag {
    dp_ctx *ctx;
    const char *file;
    int html;      /* errors of the HTML parser: recovered, so warnings */
    int shown;
    int count;
    int first_line, first_col;
    char first[256];
} diag;

static void on_error(void *data, xmlErrorPtr e)
{
    diag *d = data;
    if (!e || e->level == XML_ERR_NONE)
        return;
    /* libxml2 2.9's HTML parser knows HTML 4 only: every HTML5 element
     * (section, nav, figure ...) is "invalid". The walker reports the
     * elements it does not know itself (under -v). */
    if (e->code == XML_HTML_UNKNOWN_TAG)
        return;
    /* &nbsp; in XHTML read without its DTD: the walker decodes it. */
    if (e->code == XML_WAR_UNDECLARED_ENTITY)
        return;
    d->count++;
    char msg[256];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "parse error");
    size_t l = strlen(msg);
    while (l > 0 && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
        msg[--l] = '\0';
    if (d->count == 1) {
        snprintf(d->first, sizeof d->first, "%s", msg);
        d->first_line = e->line;
        d->first_col = e->int2;
    }
    if (d->html && d->shown < SHOWN_MAX) {
        d->shown++;
        dp_warn_at(d->ctx, d->file, e->line, e->int2, "recovered HTML error: %s", msg);
    }
}

static void finish_html_diag(diag *d)
{
    if (d->count > d->shown)
        dp_warn_at(d->ctx, d->file, 0, 0, "%d more recovered HTML errors not shown", d->count - d->shown);
}

/* The page as UTF-8, which is what the HTML5 parser reads, from the
 * encoding decided before (-O encoding, or xr_html_encoding on the bytes); a
 * byte order mark that agrees with it is not text. Bytes the encoding cannot
 * decode become U+FFFD. Returns the text (*out_len bytes, not terminated):
 * UTF-8 input itself, read in place (gumbo reads a length and never writes
 * the bytes, and a copy held the page twice at the peak: 11 MB of 73 MB on
 * 10 MB HTML -> Markdown), other encodings a malloc'd copy also stored in
 * *owned. NULL with *bad_encoding set when iconv does not know the
 * encoding, or NULL on ENOMEM. */
static const char *to_utf8(const unsigned char *d, size_t n, const char *encoding, size_t *out_len,
                           int *bad_encoding, char **owned)
{
    *bad_encoding = 0;
    *owned = NULL;
    if ((strcasecmp(encoding, "utf-8") == 0 || strcasecmp(encoding, "utf8") == 0) && n >= 3 && d[0] == 0xEF &&
        d[1] == 0xBB && d[2] == 0xBF)
        d += 3, n -= 3;
    else if (strcasecmp(encoding, "utf-16le") == 0 && n >= 2 && d[0] == 0xFF && d[1] == 0xFE)
        d += 2, n -= 2;
    else if (strcasecmp(encoding, "utf-16be") == 0 && n >= 2 && d[0] == 0xFE && d[1] == 0xFF)
        d += 2, n -= 2;
    if (strcasecmp(encoding, "utf-8") == 0 || strcasecmp(encoding, "utf8") == 0) {
        *out_len = n;
        return d ? (const char *)d : "";
    }
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t)-1) {
        *bad_encoding = 1;
        return NULL;
    }
    size_t cap = n * 3 + 16, used = 0;
    char *out = malloc(cap);
    char *in = (char *)d;
    size_t left = n;
    while (out && left > 0) {
        char *o = out + used;
        size_t room = cap - used - 4;
        size_t r = iconv(cd, &in, &left, &o, &room);
        used = (size_t)(o - out);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            if (DP_ARRAY_RESERVE(out, cap, cap * 2)) {
                free(out);
                out = NULL;
                break;
            }
        } else { /* EILSEQ or EINVAL: one undecodable byte */
            memcpy(out + used, "\xEF\xBF\xBD", 3);
            used += 3;
            in++, left--;
        }
    }
    iconv_close(cd);
    if (out) {
        out[used] = '\0';
        *out_len = used;
    }
    *owned = out;
    return out;
}

/* libxml2's HTML 4 parser, for what the HTML5 parser refuses (nesting
 * too deep); its messages are counted, not shown (they are libxml2's words). */
static xmlDocPtr parse_html4(dp_ctx *ctx, const char *file, const void *data, size_t len, const char *encoding)
{
    if (len > INT_MAX) {
        dp_fail(ctx, DP_ELIMIT, file, 0, 0, "input too large for the HTML parser");
        return NULL;
    }
    htmlParserCtxtPtr pc = htmlNewParserCtxt();
    if (!pc) {
        dp_fail(ctx, DP_ENOMEM, file, 0, 0, "out of memory");
        return NULL;
    }
    diag d = { ctx, file, 0, 0, 0, 0, 0, "" };
    xmlStructuredErrorFunc old_fn = xmlStructuredError;
    void *old_data = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(&d, on_error);
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET | XML_PARSE_HUGE;
    xmlDocPtr doc = xmlu_html_read_memory(pc, (const char *)data, len, file, encoding ? encoding : "UTF-8", opts);
    xmlSetStructuredErrorFunc(old_data, old_fn);
    htmlFreeParserCtxt(pc);
    if (!doc) {
        dp_fail(ctx, DP_EINPUT, file, d.first_line, d.first_col, "cannot parse HTML%s%s",
                d.count ? ": " : "", d.first);
        return NULL;
    }
    finish_html_diag(&d);
    long fixed = xmlu_repair_utf8(doc);
    if (fixed < 0) {
        xmlFreeDoc(doc);
        dp_fail(ctx, DP_ENOMEM, file, 0, 0, "out of memory");
        return NULL;
    }
    return doc;
}

/* The WHATWG algorithm (gumbo) on the page decoded to UTF-8. */
static xmlDocPtr parse_html5(dp_ctx *ctx, const char *file, const void *data, size_t len, const char *encoding)
{
    size_t n = 0, fixed = 0;
    int bad_encoding = 0;
    char *owned = NULL;
    const char *text = to_utf8(data, len, encoding, &n, &bad_encoding, &owned);
    if (!text && bad_encoding) {
        dp_fail(ctx, DP_EINPUT, file, 0, 0, "unknown character encoding '%s'", encoding ? encoding : "?");
        return NULL;
    }
    if (!text) {
        dp_fail(ctx, DP_ENOMEM, file, 0, 0, "out of memory");
        return NULL;
    }
    /* gumbo would replace invalid UTF-8 silently: the repair is ours, and said */
    if (dp_utf8_span(text, n) < n || memchr(text, '\0', n)) {
        size_t fixed_len = 0;
        char *repaired = dp_utf8_repair(text, n, &fixed_len, &fixed);
        free(owned);
        if (!repaired) {
            dp_fail(ctx, DP_ENOMEM, file, 0, 0, "out of memory");
            return NULL;
        }
        text = owned = repaired;
        n = fixed_len;
    }
    if (fixed > 0)
        dp_warn_at(ctx, file, 0, 0, "invalid UTF-8 the HTML parser let through: %zu byte%s replaced by U+FFFD",
                   fixed, fixed == 1 ? "" : "s");
    /* The WHATWG algorithm (gumbo): the tree browsers build, tag soup
     * recovered as the standard says, so its parse errors are not
     * reported one by one (browsers do not either). */
    const dp_limits *lim = dp_ctx_limits(ctx);
    int max_depth = 4 * (lim && lim->max_depth > 0 ? lim->max_depth : 1000);
    html5_result res;
    xmlDocPtr doc = html5_parse(text, n, 0, max_depth, &res);
    free(owned);
    if (!doc && res.too_deep) {
        /* The standard's tree building is quadratic in the depth: hostile
         * nesting goes to libxml2's HTML 4 parser, which is linear (the walk
         * then keeps what is deeper than max-depth as text, and says so). */
        dp_warn_at(ctx, file, res.depth_line, 0,
                   "HTML elements nested deeper than %d (4 x limit max-depth): read with the HTML 4 parser",
                   max_depth);
        return parse_html4(ctx, file, data, len, encoding);
    }
    if (!doc) {
        dp_fail(ctx, DP_ENOMEM, file, 0, 0, "out of memory");
        return NULL;
    }
    /* Tag soup is recovered as the standard says (as browsers do): each of
     * the first errors is a warning where it is, in our words, then a count */
    for (int i = 0; i < res.nwhere; i++)
        dp_warn_at(ctx, file, res.where[i].line, res.where[i].column,
                   "recovered HTML error: markup the HTML standard repairs (read as browsers read it)");
    if (res.errors > res.nwhere)
        dp_warn_at(ctx, file, 0, 0, "%d more recovered HTML errors not shown", res.errors - res.nwhere);
    return doc;
}

xmlDocPtr xr_parse_html(dp_ctx *ctx, const char *file, const void *data, size_t len, const char *encoding)
{
    /* the encoding decided on the bytes (xr_encoding.c): a BOM, else the
     * declared charset, else UTF-8 (repaired where a few bytes are not),
     * else a reported guess */
    char *repaired = NULL, declared[XR_CHARSET_MAX];
    size_t repaired_len = 0;
    if (!encoding) {
        if (xr_html_encoding(ctx, file, data, len, declared, &encoding, &repaired, &repaired_len) != 0)
            return NULL;
        if (repaired) {
            data = repaired;
            len = repaired_len;
        }
    }
    xmlDocPtr doc = parse_html5(ctx, file, data, len, encoding);
    free(repaired);
    return doc;
}

/* *limited: the document was refused for its entity expansion (dp_fail
 * called): not a malformed file to read again with the HTML parser. */
static xmlDocPtr parse_xml(dp_ctx *ctx, const char *file, const void *data, size_t len, diag *d,
                           xmlu_budget *budget, int *limited)
{
    *limited = 0;
    if (len > INT_MAX)
        return NULL;
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    if (!pc)
        return NULL;
    xmlStructuredErrorFunc old_fn = xmlStructuredError;
    void *old_data = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(d, on_error);
    /* No network, no DTD loading, no entity substitution, no HUGE: hostile
     * input can neither read files nor explode. */
    xmlDocPtr doc = xmlu_read_memory(pc, (const char *)data, len, file, NULL, XML_PARSE_NONET);
    xmlSetStructuredErrorFunc(old_data, old_fn);
    if (doc && !pc->wellFormed) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(pc);
    /* internal entities become their text here, once, under the running
     * total of max-entity-expansion (the readers see no reference left) */
    xmlu_budget own;
    if (!budget) {
        xmlu_budget_init(&own, ctx);
        budget = &own;
    }
    if (doc && xmlu_expand_entities(ctx, file, doc, budget) != DP_OK) {
        xmlFreeDoc(doc);
        doc = NULL;
        *limited = 1;
    }
    return doc;
}

xmlDocPtr xr_parse_xhtml_budget(dp_ctx *ctx, const char *file, const void *data, size_t len,
                                xmlu_budget *budget)
{
    diag d = { ctx, file, 0, 0, 0, 0, 0, "" };
    int limited;
    xmlDocPtr doc = parse_xml(ctx, file, data, len, &d, budget, &limited);
    if (doc || limited)
        return doc;
    dp_warn_at(ctx, file, d.first_line, d.first_col,
               "not well-formed XHTML (%s); read with the HTML parser", d.count ? d.first : "unreadable");
    return xr_parse_html(ctx, file, data, len, NULL);
}

xmlDocPtr xr_parse_xhtml(dp_ctx *ctx, const char *file, const void *data, size_t len)
{
    return xr_parse_xhtml_budget(ctx, file, data, len, NULL);
}

xmlDocPtr xr_parse_xml(dp_ctx *ctx, const char *file, const void *data, size_t len, int *rc)
{
    diag d = { ctx, file, 0, 0, 0, 0, 0, "" };
    int limited;
    xmlDocPtr doc = parse_xml(ctx, file, data, len, &d, NULL, &limited);
    *rc = limited ? DP_ELIMIT : DP_OK;
    if (!doc && !limited)
        dp_warn_at(ctx, file, d.first_line, d.first_col, "not well-formed XML: %s",
                   d.count ? d.first : "unreadable");
    return doc;
}
