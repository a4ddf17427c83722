/* TEI exporter: inline nodes -> phrase-level TEI; notes (inline, or collected in <back>). */
#include "mathconv.h"
#include "tei_write_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Inlines                                                              */

void w_inlines(tw *w, xmlNodePtr parent, const dp_node *container, int depth)
{
    for (const dp_node *c = dp_node_first_child(container); c && !w->err; c = dp_node_next(c))
        w_inline(w, parent, c, depth);
}

static xmlNodePtr hi(tw *w, xmlNodePtr parent, const dp_node *n, const char *rend, int depth)
{
    xmlNodePtr e = tw_el(w, parent, "hi");
    tw_common_attrs(w, e, n, rend, NULL, NULL);
    w_inlines(w, e, n, depth + 1);
    return e;
}

static const char *const choice_keys[] = {"tei:sic", "tei:abbr", "tei:orig", NULL};

/* A SPAN the reader made from <choice>: the reading as content, the
 * alternative in tei:sic / tei:abbr / tei:orig. */
static int w_choice(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    static const char *const pairs[][2] = {{"sic", "corr"}, {"abbr", "expan"}, {"orig", "reg"}};
    for (size_t i = 0; i < 3; i++) {
        char key[16];
        snprintf(key, sizeof key, "tei:%s", pairs[i][0]);
        const char *alt = dp_node_attr(n, key);
        if (!alt)
            continue;
        xmlNodePtr c = tw_el(w, parent, "choice");
        tw_common_attrs(w, c, n, NULL, "choice", choice_keys);
        xmlNodePtr a = tw_el(w, c, pairs[i][0]);
        tw_text(w, a, n, alt, strlen(alt));
        xmlNodePtr r = tw_el(w, c, pairs[i][1]);
        w_inlines(w, r, n, depth + 1);
        return 1;
    }
    return 0;
}

static void w_span(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    /* the reader's spans for these elements (their own xml:lang kept) */
    static const char *const semantic[] = {"add", "unclear", "supplied", "said", NULL};
    if (dp_node_has_class(n, "choice") && w_choice(w, parent, n, depth))
        return;
    for (const char *const *s = semantic; *s; s++) {
        if (dp_node_has_class(n, *s) && (!w->lite || tei_lite_has(*s))) {
            xmlNodePtr e = tw_el(w, parent, *s);
            tw_common_attrs(w, e, n, NULL, *s, NULL);
            w_inlines(w, e, n, depth + 1);
            return;
        }
    }
    if (dp_node_lang(n)) {
        xmlNodePtr e = tw_el(w, parent, "foreign");
        tw_common_attrs(w, e, n, NULL, "foreign", NULL);
        w_inlines(w, e, n, depth + 1);
        return;
    }
    if (dp_node_class_count(n)) {
        hi(w, parent, n, NULL, depth);
        return;
    }
    xmlNodePtr e = tw_el(w, parent, "seg");
    tw_common_attrs(w, e, n, NULL, NULL, NULL);
    w_inlines(w, e, n, depth + 1);
}

static void w_note(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    static const char *const skip[] = {"tei:place", "tei:n", NULL};
    xmlNodePtr e;
    if (w->notes_back) {
        /* built now (for its id), placed in <back> by w_flush_notes() */
        if (DP_ARRAY_RESERVE(w->pending, w->cap_pending, w->npending + 1) != 0) {
            w->err = dp_fail(w->ctx, DP_ENOMEM, NULL, 0, 0, "tei: out of memory");
            return;
        }
        e = xmlNewDocNode(w->x, w->ns, BAD_CAST "note", NULL);
        if (!e) {
            w->err = dp_fail(w->ctx, DP_ENOMEM, NULL, 0, 0, "tei: out of memory");
            return;
        }
        w->pending[w->npending++] = (struct pending_note){n, e, depth};
    } else {
        e = tw_el(w, parent, "note");
    }
    if (!e)
        return;
    const char *place = dp_node_attr(n, "tei:place");
    tw_set_attr(e, "place", place ? place : w->notes_back ? "end" : "foot");
    const char *label = dp_node_label(n);
    if (label && *label)
        tw_set_attr(e, "n", label);
    w->note_seq++;
    if (!dp_node_id(n)) {
        char want[64];
        /* "note-1" for label "1"; a sequence number when the label is not name-safe ("*") */
        if (label && *label && strlen(label) < 40 &&
            strspn(label, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-.") == strlen(label))
            snprintf(want, sizeof want, "note-%s", label);
        else if (label && strcmp(label, "*") == 0)
            snprintf(want, sizeof want, "note-asterisk");
        else if (label && strcmp(label, "\u2020") == 0)
            snprintf(want, sizeof want, "note-dagger");
        else
            snprintf(want, sizeof want, "note-n%d", w->note_seq);
        tw_set_xml_id(w, e, n, want);
    }
    tw_common_attrs(w, e, n, NULL, NULL, skip);
    if (!w->notes_back) {
        w_blocks_mixed(w, e, n, depth + 1);
        return;
    }
    /* at the reference: <ref type="noteAnchor" target="#note-1">1</ref>,
     * and the note points back at it */
    xmlChar *id = xmlGetNsProp(e, BAD_CAST "id", XML_XML_NAMESPACE);
    xmlNodePtr ref = tw_el(w, parent, "ref");
    if (ref && id) {
        char buf[256];
        tw_set_attr(ref, "type", "noteAnchor");
        snprintf(buf, sizeof buf, "#%s", (const char *)id);
        tw_set_attr(ref, "target", buf);
        snprintf(buf, sizeof buf, "ref-%s", (const char *)id);
        tw_set_xml_id(w, ref, n, buf);
        xmlChar *rid = xmlGetNsProp(ref, BAD_CAST "id", XML_XML_NAMESPACE);
        if (rid) {
            snprintf(buf, sizeof buf, "#%s", (const char *)rid);
            tw_set_attr(e, "target", buf);
        }
        xmlFree(rid);
        if (label && *label)
            tw_text(w, ref, n, label, strlen(label));
    }
    xmlFree(id);
}

/* notes: back — the collected notes in <back><div type="notes">, in order of
 * reference (notes inside notes are collected as they are written). */
void w_flush_notes(tw *w, xmlNodePtr textel)
{
    if (!w->npending || w->err)
        return;
    xmlNodePtr back = NULL;
    for (xmlNodePtr c = textel->children; c; c = c->next)
        if (tei_is(c, "back"))
            back = c;
    if (!back)
        back = tw_el(w, textel, "back");
    xmlNodePtr div = tw_el(w, back, "div");
    tw_set_attr(div, "type", "notes");
    for (size_t i = 0; i < w->npending && !w->err; i++) {
        struct pending_note p = w->pending[i];
        xmlAddChild(div, p.el);
        w_blocks_mixed(w, p.el, p.node, p.depth + 1);
    }
    w->npending = 0;
}

/* Whether e is inside a <figDesc>. */
static int in_fig_desc(xmlNodePtr e)
{
    for (; e && e->type == XML_ELEMENT_NODE; e = e->parent)
        if (tei_is(e, "figDesc"))
            return 1;
    return 0;
}

void w_image(tw *w, xmlNodePtr parent, const dp_node *n, int depth, int in_figure)
{
    xmlNodePtr holder = parent;
    if (in_fig_desc(parent)) {
        /* an image in an image's description (Markdown ![a ![b](u)](v)):
         * <figDesc> holds no <figure>; its description is text there, as
         * in every alt text */
        dp_warn_node(w->ctx, n, "image inside an image's description: written as its description, its address "
                                "(%s) dropped", dp_node_url(n) ? dp_node_url(n) : "");
        w_inlines(w, parent, n, depth + 1);
        return;
    }
    if (!in_figure) {
        holder = tw_el(w, parent, "figure");
        if (!holder)
            return;
    }
    xmlNodePtr g = tw_el(w, holder, "graphic");
    /* a resource travels with the TEI file (media folder or data: URI) */
    const char *url = dp_ctx_resource_url(w->ctx, w->doc, dp_node_url(n) ? dp_node_url(n) : "");
    char *pointer = url ? tei_pointer_of(url) : NULL;
    if (!pointer && !w->err)
        w->err = DP_ENOMEM;
    tw_set_attr(g, "url", pointer ? pointer : "");
    free(pointer);
    tw_common_attrs(w, g, n, NULL, NULL, NULL);
    if (dp_node_title(n)) {
        xmlNodePtr d = tw_el(w, g, "desc");
        tw_text(w, d, n, dp_node_title(n), strlen(dp_node_title(n)));
    }
    if (dp_node_first_child(n)) {
        xmlNodePtr d = tw_el(w, holder, "figDesc");
        w_inlines(w, d, n, depth + 1);
    }
}

/* <formula notation="TeX"> with the TeX (converted from the MathML when
 * that is all there is); else notation="MathML" holding the MathML as
 * escaped text, reported. MathML elements are not written: the tei_all
 * schema of the project (../shared/schemas, TEI P5 4.12.0) has no MathML
 * in <formula>'s content, and the reader reads the escaped form back. */
static void w_formula(tw *w, xmlNodePtr parent, const dp_node *n)
{
    size_t ml = 0, tl = 0;
    const char *mml = dp_node_math_form(n, "mathml", &ml);
    const char *tex = dp_node_math_form(n, "tex", &tl);
    char *conv = NULL;
    const char *what = NULL;
    xmlNodePtr e = tw_el(w, parent, "formula");
    if (!e)
        return;
    tw_common_attrs(w, e, n, dp_node_math_display(n) ? "display" : NULL, NULL, NULL);
    if (!tex && mathconv_mathml_to_tex(mml, ml, &conv, &what) == 0)
        tex = conv, tl = strlen(conv);
    if (tex) {
        tw_set_attr(e, "notation", "TeX");
        tw_text(w, e, n, tex, tl);
    } else {
        dp_warn_node(w->ctx, n, "MathML with %s (no TeX conversion) written as escaped MathML text",
                     what ? what : "a construct");
        tw_set_attr(e, "notation", "MathML");
        tw_text(w, e, n, mml, ml);
    }
    free(conv);
    if (dp_node_math_alt(n))
        dp_warn_node(w->ctx, n, "alt text of a formula has no TEI place: dropped");
}

void w_inline(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    if (tw_too_deep(w, n, depth))
        return;
    xmlNodePtr e;
    switch (dp_node_kind(n)) {
    case DP_TEXT:
        tw_text(w, parent, n, dp_node_text(n), dp_node_text_len(n));
        break;
    case DP_EMPH:
        if (dp_node_has_class(n, "emph")) {
            e = tw_el(w, parent, "emph");
            tw_common_attrs(w, e, n, NULL, "emph", NULL);
            w_inlines(w, e, n, depth + 1);
        } else {
            hi(w, parent, n, "italic", depth);
        }
        break;
    case DP_STRONG:
        hi(w, parent, n, "bold", depth);
        break;
    case DP_UNDERLINE:
        hi(w, parent, n, "underline", depth);
        break;
    case DP_STRIKEOUT:
        if (dp_node_has_class(n, "del")) {
            e = tw_el(w, parent, "del");
            tw_common_attrs(w, e, n, NULL, "del", NULL);
            w_inlines(w, e, n, depth + 1);
        } else {
            hi(w, parent, n, "strikethrough", depth);
        }
        break;
    case DP_SUPERSCRIPT:
        hi(w, parent, n, "superscript", depth);
        break;
    case DP_SUBSCRIPT:
        hi(w, parent, n, "subscript", depth);
        break;
    case DP_SMALL_CAPS:
        hi(w, parent, n, "smallcaps", depth);
        break;
    case DP_QUOTED: {
        const char *name = "q", *cls = NULL;
        if (dp_node_has_class(n, "quote"))
            name = cls = "quote";
        else if (dp_node_has_class(n, "said"))
            name = cls = "said";
        if (w->lite)
            name = "q";
        e = tw_el(w, parent, name);
        tw_common_attrs(w, e, n, dp_node_quote(n) == DP_QUOTE_SINGLE ? "single" : NULL, cls, NULL);
        w_inlines(w, e, n, depth + 1);
        break;
    }
    case DP_CITE: {
        char target[1024];
        size_t o = 0;
        target[0] = '\0';
        for (int i = 0; i < dp_node_citation_count(n) && o < sizeof target; i++) {
            const dp_citation *c = dp_node_citation_at(n, i);
            o += (size_t)snprintf(target + o, sizeof target - o, "%s#%s", o ? " " : "", c->id);
            if (c->prefix || c->suffix)
                dp_warn_node(w->ctx, n, "citation prefix/suffix of \"%s\" kept only in the rendered text", c->id);
        }
        e = tw_el(w, parent, "ref");
        tw_set_attr(e, "type", "cite");
        if (target[0])
            tw_set_attr(e, "target", target);
        tw_common_attrs(w, e, n, NULL, NULL, NULL);
        w_inlines(w, e, n, depth + 1);
        break;
    }
    case DP_CODE:
        if (tw_egxml(w, parent, n))
            break;
        e = tw_el(w, parent, "code");
        tw_common_attrs(w, e, n, NULL, NULL, NULL);
        tw_text(w, e, n, dp_node_text(n), dp_node_text_len(n));
        break;
    case DP_SOFT_BREAK:
        tw_text(w, parent, n, "\n", 1);
        break;
    case DP_LINE_BREAK:
        e = tw_el(w, parent, "lb");
        tw_common_attrs(w, e, n, NULL, NULL, NULL);
        break;
    case DP_MATH:
        w_formula(w, parent, n);
        break;
    case DP_RAW_INLINE:
        w_raw(w, parent, n);
        break;
    case DP_LINK:
        e = tw_el(w, parent, dp_node_first_child(n) ? "ref" : "ptr");
        if (dp_node_url(n) && *dp_node_url(n)) {
            /* one pointer: @target is a white-space separated list */
            char *one = tei_pointer_of(dp_node_url(n));
            if (!one)
                w->err = DP_ENOMEM;
            tw_set_attr(e, "target", one ? one : dp_node_url(n));
            free(one);
        } else { /* TEI refuses an empty pointer, and a ref with none is no link (the reader) */
            tw_set_attr(e, "type", "empty-link");
        }
        /* the title as @n, which the TEI Consortium's HTML stylesheets
         * also render as the link's title */
        if (dp_node_title(n) && *dp_node_title(n))
            tw_set_attr(e, "n", dp_node_title(n));
        tw_common_attrs(w, e, n, NULL, NULL, NULL);
        w_inlines(w, e, n, depth + 1);
        break;
    case DP_IMAGE:
        w_image(w, parent, n, depth, 0);
        break;
    case DP_NOTE:
        w_note(w, parent, n, depth);
        break;
    case DP_SPAN:
        w_span(w, parent, n, depth);
        break;
    case DP_PAGE_BREAK: {
        static const char *const skip[] = {"tei:unit", NULL};
        const char *unit = dp_node_attr(n, "tei:unit");
        e = tw_el(w, parent, unit ? "milestone" : "pb");
        if (unit)
            tw_set_attr(e, "unit", unit);
        if (dp_node_label(n))
            tw_set_attr(e, "n", dp_node_label(n));
        tw_common_attrs(w, e, n, NULL, NULL, skip);
        break;
    }
    case DP_CUSTOM:
        w_custom(w, parent, n, depth, 0);
        break;
    default:
        /* a block where an inline was expected cannot pass dp_doc_check */
        dp_warn_node(w->ctx, n, "unexpected %s node inside inline content: written as a block",
                     dp_kind_name(dp_node_kind(n)));
        w_block(w, parent, n, depth, W_MIXED);
        break;
    }
}

