/* The writer object: its strings and its life cycle, and the href of an
 * id. The id table is in xw_ids.c, the element and attribute helpers every
 * other file uses in xw_elements.c. */
#include "xw_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* strings owned by the writer                                          */

char *xw_keep(xw_writer *w, char *s)
{
    if (!s)
        return NULL;
    if (DP_ARRAY_RESERVE(w->strings.items, w->strings.cap, w->strings.count + 1)) {
        free(s);
        return NULL;
    }
    w->strings.items[w->strings.count++] = s;
    return s;
}

char *xw_strdup(xw_writer *w, const char *s)
{
    size_t n;
    char *copy;
    if (!s)
        s = "";
    n = strlen(s);
    copy = malloc(n + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, n + 1);
    return xw_keep(w, copy);
}

char *xw_printf(xw_writer *w, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *s;
    char small[128];
    /* formatted once into a stack buffer (ids, fragment links: short), a
     * second time only when it does not fit (issue 23: the measuring pass
     * was half the cost of every note's ids) */
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    if ((size_t)n < sizeof small) {
        memcpy(s, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return xw_keep(w, s);
}

/* ------------------------------------------------------------------ */
/* life cycle                                                           */

int xw_new(xw_writer **out, dp_ctx *ctx, const dp_doc *doc, const xw_options *opts)
{
    xw_writer *w;
    int rc;
    const char *lang;
    if (!out || !doc)
        return DP_EINVAL;
    *out = NULL;
    w = calloc(1, sizeof *w);
    if (!w)
        return DP_ENOMEM;
    w->ctx = ctx;
    w->doc = doc;
    if (opts) {
        w->opts = *opts;
    } else {
        xw_options def = XW_OPTIONS_INIT;
        w->opts = def;
    }
    if (w->opts.flavour != XW_XHTML)
        w->opts.epub_types = 0; /* epub:type is neither HTML5 syntax nor XHTML 1.1 */
    lang = w->opts.base_lang ? w->opts.base_lang : dp_meta_agreed_text(dp_doc_meta(doc), "language");
    w->id_prefix = xw_strdup(w, w->opts.id_prefix ? w->opts.id_prefix : "");
    w->base_lang = lang && *lang ? xw_strdup(w, lang) : NULL;
    w->this_file = xw_strdup(w, "");
    w->notes_file = xw_strdup(w, "");
    if (!w->id_prefix || !w->this_file || !w->notes_file || (lang && *lang && !w->base_lang)) {
        xw_free(w);
        return DP_ENOMEM;
    }
    w->opts.id_prefix = w->id_prefix;
    w->opts.base_lang = w->base_lang;
    rc = xw_assign_ids(w);
    if (rc != 0) {
        xw_free(w);
        return rc;
    }
    *out = w;
    return 0;
}

void xw_free(xw_writer *w)
{
    size_t i;
    if (!w)
        return;
    for (i = 0; i < w->strings.count; i++)
        free(w->strings.items[i]);
    free(w->strings.items);
    free(w->taken.slots);
    free(w->taken.counts);
    free(w->suffixed.slots);
    free(w->suffixed.counts);
    free(w->ids);
    free(w->notes);
    free(w);
}

int xw_set_files(xw_writer *w, const char *this_file, const char *notes_file)
{
    char *a, *b;
    if (!w)
        return DP_EINVAL;
    a = xw_strdup(w, this_file ? this_file : "");
    b = xw_strdup(w, notes_file ? notes_file : "");
    if (!a || !b)
        return DP_ENOMEM;
    w->this_file = a;
    w->notes_file = b;
    return 0;
}

char *xw_internal_href(xw_writer *w, const char *prefixed_id)
{
    if (w->opts.link_href) {
        const char *h = w->opts.link_href(w->opts.userdata, prefixed_id);
        if (h)
            return xw_strdup(w, h);
    }
    return xw_printf(w, "#%s", prefixed_id);
}
