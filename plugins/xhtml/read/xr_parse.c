/* Parsing (X)HTML and XML from memory with libxml2, with its diagnostics
 * turned into docpipe warnings.
 *
 * libxml2 2.9 routes HTML parser errors only through the structured error
 * handler (the per-context SAX serror is ignored for HTML contexts), so the
 * handler is installed around each parse and the previous one restored. */
#include "dp_xml_chars.h"
#include "dp_xml_entities.h"
#include "dp_xml_io.h"
#include "xr_internal.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

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

xmlDocPtr xr_parse_html(dp_ctx *ctx, const char *file, const void *data, size_t len, const char *encoding)
{
    char *repaired = NULL;
    size_t repaired_len = 0;
    if (!encoding) {
        if (xr_html_encoding(ctx, file, data, len, &encoding, &repaired, &repaired_len) != 0)
            return NULL;
        if (repaired) {
            data = repaired;
            len = repaired_len;
        }
    }
    if (len > INT_MAX) {
        free(repaired);
        dp_fail(ctx, DP_ELIMIT, file, 0, 0, "input too large for the HTML parser");
        return NULL;
    }
    htmlParserCtxtPtr pc = htmlNewParserCtxt();
    if (!pc) {
        free(repaired);
        dp_fail(ctx, DP_ENOMEM, file, 0, 0, "out of memory");
        return NULL;
    }
    diag d = { ctx, file, 1, 0, 0, 0, 0, "" };
    xmlStructuredErrorFunc old_fn = xmlStructuredError;
    void *old_data = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(&d, on_error);
    /* XML_PARSE_HUGE lifts libxml2's 256-level depth cap, which otherwise
     * stops the parse and loses the rest of the page. The HTML parser expands
     * no entities, the input size is capped by the core, and the walker caps
     * the depth of the tree it builds (dp_ctx_limits()->max_depth). */
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET | XML_PARSE_HUGE;
    xmlDocPtr doc = dp_html_read_memory(pc, (const char *)data, len, file, encoding, opts);
    xmlSetStructuredErrorFunc(old_data, old_fn);
    htmlFreeParserCtxt(pc);
    free(repaired);
    if (!doc) {
        dp_fail(ctx, DP_EINPUT, file, d.first_line, d.first_col, "cannot parse HTML%s%s",
                d.count ? ": " : "", d.first);
        return NULL;
    }
    finish_html_diag(&d);
    long fixed = dp_xml_repair_utf8(doc);
    if (fixed < 0) {
        xmlFreeDoc(doc);
        dp_fail(ctx, DP_ENOMEM, file, 0, 0, "out of memory");
        return NULL;
    }
    if (fixed > 0)
        dp_warn_at(ctx, file, 0, 0, "invalid UTF-8 the HTML parser let through: %ld byte%s replaced by U+FFFD",
                   fixed, fixed == 1 ? "" : "s");
    return doc;
}

/* *limited: the document was refused for its entity expansion (dp_fail
 * called): not a malformed file to read again with the HTML parser. */
static xmlDocPtr parse_xml(dp_ctx *ctx, const char *file, const void *data, size_t len, diag *d,
                           dp_xml_budget *budget, int *limited)
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
    xmlDocPtr doc = dp_xml_read_memory(pc, (const char *)data, len, file, NULL, XML_PARSE_NONET);
    xmlSetStructuredErrorFunc(old_data, old_fn);
    if (doc && !pc->wellFormed) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(pc);
    /* internal entities become their text here, once, under the running
     * total of max-entity-expansion (the readers see no reference left) */
    dp_xml_budget own;
    if (!budget) {
        dp_xml_budget_init(&own, ctx);
        budget = &own;
    }
    if (doc && dp_xml_expand_entities(ctx, file, doc, budget) != DP_OK) {
        xmlFreeDoc(doc);
        doc = NULL;
        *limited = 1;
    }
    return doc;
}

xmlDocPtr xr_parse_xhtml_budget(dp_ctx *ctx, const char *file, const void *data, size_t len,
                                dp_xml_budget *budget)
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
