/* ENTER of the inline kinds (small caps, citations, code, math, links,
 * images, notes, page breaks) in the (X)HTML walk: see xw_enter_kinds.h. */
#include "mathconv.h"
#include "xw_enter_kinds.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* TeX as pandoc, MathJax and KaTeX mark it: span.math.inline \(…\),
 * span.math.display \[…\]. */
static void add_math_tex(rstate *r, const dp_node *n, const char *tex, size_t len, xmlNodePtr *el_out)
{
    int display = dp_node_math_display(n);
    xmlNodePtr span = xw_new_elem(r->w, r->cur, "span");
    if (!span)
        return;
    xw_apply_attrs(r->w, span, n, display ? "math display" : "math inline");
    xw_add_text(span, display ? "\\[" : "\\(", 2);
    xw_add_text(span, tex, len);
    xw_add_text(span, display ? "\\]" : "\\)", 2);
    *el_out = span;
}

/* A DP_MATH: MathML (converted from the TeX when that is all there is), or
 * TeX in span.math when asked for, when XHTML 1.1 cannot hold MathML, or
 * when the conversion fails (reported, naming the construct). */
static int add_math(rstate *r, const dp_node *n, xmlNodePtr *el_out)
{
    xw_writer *w = r->w;
    size_t tl = 0, ml = 0;
    const char *tex = dp_node_math_form(n, "tex", &tl);
    const char *mml = dp_node_math_form(n, "mathml", &ml);
    char *conv = NULL;
    const char *what = NULL;
    int rc = 0;
    if (w->opts.math_tex || XW_IS_X11(w)) {
        if (!tex && (rc = mathconv_mathml_to_tex(mml, ml, &conv, &what)) == 0)
            tex = conv, tl = strlen(conv);
        if (tex) {
            add_math_tex(r, n, tex, tl, el_out);
        } else {
            if (w->ctx)
                dp_warn_node(w->ctx, n, "MathML with %s (no TeX conversion) written as its source text%s",
                             what ? what : "a construct", XW_IS_X11(w) ? " (XHTML 1.1 has no MathML)" : "");
            add_math_tex(r, n, mml, ml, el_out);
        }
        free(conv);
        return rc == -2 ? DP_ENOMEM : 0;
    }
    if (!mml && (rc = mathconv_tex_to_mathml(tex, tl, dp_node_math_display(n), &conv, &what)) == 0)
        mml = conv, ml = strlen(conv);
    if (rc == -2)
        return DP_ENOMEM;
    if (mml) {
        xmlNodePtr last = r->cur->last;
        if (xw_import_mathml(w, mml, ml, r->cur) == 0 && r->cur->last != last) {
            xmlNodePtr math = r->cur->last;
            /* alt text: the source's, else the TeX (EPUB accessibility) */
            const char *alt = dp_node_math_alt(n) ? dp_node_math_alt(n) : tex;
            if (alt && !xmlHasProp(math, BAD_CAST "alttext"))
                xmlSetProp(math, BAD_CAST "alttext", BAD_CAST alt);
            if (dp_node_math_display(n) && !xmlHasProp(math, BAD_CAST "display"))
                xmlSetProp(math, BAD_CAST "display", BAD_CAST "block");
            *el_out = math;
            free(conv);
            return 0;
        }
        if (w->ctx)
            dp_warn_node(w->ctx, n, "MathML that does not parse written as %s", tex ? "TeX" : "source text");
    } else if (w->ctx) {
        dp_warn_node(w->ctx, n, "TeX with %s, which has no MathML conversion here, written as TeX in span.math",
                     what ? what : "a construct");
    }
    free(conv);
    if (tex)
        add_math_tex(r, n, tex, tl, el_out);
    else
        add_math_tex(r, n, mml, ml, el_out);
    return 0;
}

/* DP_SMALL_CAPS */
int xw_enter_small_caps(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    e = xw_new_elem(w, r->cur, "span");
    if (!e)
        return DP_ENOMEM;
    xw_apply_attrs(w, e, n, "smallcaps");
    in = e;
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_CITE */
int xw_enter_cite(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    int count = dp_node_citation_count(n), lossy = 0;
    xmlChar *cites = NULL;
    e = xw_new_elem(w, r->cur, "span");
    if (!e)
        return DP_ENOMEM;
    xw_apply_attrs(w, e, n, "citation");
    for (int i = 0; i < count; i++) {
        const dp_citation *c = dp_node_citation_at(n, i);
        if (!c || !c->id)
            continue;
        if (cites)
            cites = xmlStrcat(cites, BAD_CAST " ");
        cites = xmlStrcat(cites, BAD_CAST c->id);
        if ((c->prefix && *c->prefix) || (c->suffix && *c->suffix) || c->mode != DP_CITE_NORMAL)
            lossy = 1;
    }
    if (cites) {
        xw_set(w, e, "data-cites", (const char *)cites);
        xmlFree(cites);
    }
    if (lossy && w->ctx)
        dp_warn_node(w->ctx, n, "citation prefix/suffix/mode not written (the rendered citation text is)");
    in = e;
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_CODE */
int xw_enter_code(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL;
    e = xw_new_elem(w, r->cur, "code");
    if (!e)
        return DP_ENOMEM;
    xw_apply_attrs(w, e, n, NULL);
    xw_add_text(e, dp_node_text(n), dp_node_text_len(n));
    o->el = e;
    o->inner = NULL;
    return 0;
}

/* DP_MATH */
int xw_enter_math(rstate *r, const dp_node *n, entered *o)
{
    xmlNodePtr e = NULL;
    if (add_math(r, n, &e) == DP_ENOMEM)
        return DP_ENOMEM;
    o->el = e;
    o->inner = NULL;
    return 0;
}

/* DP_LINK */
int xw_enter_link(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    const char *url = dp_node_url(n);
    const char *href = url ? url : "";
    e = xw_new_elem(w, r->cur, r->plain ? "span" : "a");
    if (!e)
        return DP_ENOMEM;
    if (!r->plain) {
        if (href[0] == '#' && href[1]) {
            char *pid = xw_full_id(w, href + 1);
            /* kept as written, but said: it leads nowhere. Writers that
             * spread the ids over files (link_href: EPUB) check each
             * finished page instead. */
            if (pid && !w->opts.link_href && !xw_id_taken(w, pid) && w->ctx)
                dp_warn_node(w->ctx, n, "link \"%s\" to '%s': no element of the document carries that id",
                             dp_node_plain_text(n, 0), href);
            href = pid ? xw_internal_href(w, pid) : NULL;
        }
        if (w->opts.safe && href && !xw_safe_url(href, 0)) {
            if (w->ctx)
                dp_warn_node(w->ctx, n, "safe: link to a script URL written without its href");
            href = NULL; /* an <a> without href: the text stays, nothing runs */
        } else {
            xw_set(w, e, "href", href ? href : "");
        }
        xw_set(w, e, "title", dp_node_title(n));
    }
    xw_apply_attrs(w, e, n, NULL);
    in = e;
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_IMAGE */
int xw_enter_image(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    e = xw_new_elem(w, r->cur, "img");
    if (!e)
        return DP_ENOMEM;
    if (w->opts.safe && dp_node_url(n) && !xw_safe_url(dp_node_url(n), 1)) {
        /* an img must have a src: its text description stands instead */
        if (w->ctx)
            dp_warn_node(w->ctx, n, "safe: image with a script URL written as its description");
        const char *desc = dp_node_plain_text(n, 1);
        xmlNodeSetName(e, BAD_CAST "span");
        if (desc)
            xw_add_text(e, desc, strlen(desc));
    } else {
        const char *src = dp_node_url(n) ? dp_node_url(n) : "";
        if (w->opts.place_resources && w->ctx && !(src = dp_ctx_resource_url(w->ctx, w->doc, src)))
            return DP_ENOMEM;
        xw_set(w, e, "src", src);
        xw_set(w, e, "alt", dp_node_plain_text(n, 1));
    }
    xw_set(w, e, "title", dp_node_title(n));
    xw_apply_attrs(w, e, n, NULL);
    o->skip = 1;
    in = e; /* children skipped; a frame is still needed for the EXIT */
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_NOTE */
int xw_enter_note(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL, in = NULL;
    int rc = 0;
    size_t idx;
    o->skip = 1;
    in = r->cur;
    if (r->plain)
        goto done;
    rc = xw_note_add(w, n, &idx);
    if (rc == 0)
        rc = xw_render_noteref(w, idx, r->cur);
    if (rc != 0)
        return rc;
    e = r->cur->last;
    if (w->opts.inline_notes) {
        if (DP_ARRAY_RESERVE(r->pending, r->pendcap, r->npending + 1))
            return DP_ENOMEM;
        r->pending[r->npending++] = idx;
    }
done:
    o->el = e;
    o->inner = in;
    return 0;
}

/* DP_PAGE_BREAK */
int xw_enter_page_break(rstate *r, const dp_node *n, entered *o)
{
    xw_writer *w = r->w;
    xmlNodePtr e = NULL;
    const char *label = dp_node_label(n);
    if (r->plain)
        goto done;
    /* XHTML 1.1: no role; a div between blocks (body holds only blocks) */
    e = xw_new_elem(w, r->cur, XW_IS_X11(w) && dp_node_is_block(n) ? "div" : "span");
    if (!e)
        return DP_ENOMEM;
    xw_set_role(w, e, "doc-pagebreak", "pagebreak");
    xw_set(w, e, "aria-label", label && *label ? label : "page break");
    if (XW_IS_X11(w)) {
        xw_set(w, e, "class", "pagebreak");
        xw_set(w, e, "title", label && *label ? label : "page break");
    }
    xw_apply_attrs(w, e, n, NULL);
done:
    o->el = e;
    o->inner = NULL;
    return 0;
}
