/* TEI exporter: the document tree as a libxml2 tree, serialised by xmlSave.
 *
 * Body layout: headings open nested <div>s (a heading of level L closes every
 * open division of level >= L); notes stay at their point of reference as
 * <note place="foot" n="label" xml:id>; spans with a language become
 * <foreign xml:lang>; custom "tei:*" nodes are written back as the element
 * they came from. Whatever has no TEI form is reported with dp_warn_node. */
#include "tei_internal.h"

#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/xmlsave.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum wmode {
    W_SECTION, /* body, front, back, div: headings open divs, a PLAIN becomes <ab> */
    W_MIXED    /* item, cell, note, quote, sp, custom blocks: a PLAIN is written as bare inlines */
} wmode;

typedef struct tw {
    dp_ctx *ctx;
    const dp_doc *doc;
    xmlDocPtr x;
    xmlNsPtr ns;
    int lite;
    int max_depth;
    xmlHashTablePtr ids; /* xml:ids already used */
    int note_seq;
    int err;             /* first failure (DP_E*), 0 while all is well */
    int warned_ctrl;
    int notes_back;      /* option notes: back */
    struct pending_note {
        const dp_node *node;
        xmlNodePtr el;
        int depth;
    } *pending;          /* notes waiting for <back> (notes: back) */
    size_t npending, cap_pending;
} tw;

static void w_inlines(tw *w, xmlNodePtr parent, const dp_node *container, int depth);
static void w_inline(tw *w, xmlNodePtr parent, const dp_node *n, int depth);
static void w_block(tw *w, xmlNodePtr parent, const dp_node *n, int depth, wmode mode);
static void w_blocks_mixed(tw *w, xmlNodePtr parent, const dp_node *container, int depth);
static void w_section_seq(tw *w, xmlNodePtr base, const dp_node *container, int depth, int skip_matter);

/* ------------------------------------------------------------------ */
/* Small builders                                                       */

static int too_deep(tw *w, const dp_node *n, int depth)
{
    if (w->err)
        return 1;
    if (depth > w->max_depth) {
        w->err = dp_fail(w->ctx, DP_ELIMIT, NULL, dp_node_line(n), dp_node_column(n),
                         "tei: tree nesting deeper than the limit of %d levels (at a %s node)", w->max_depth,
                         dp_kind_name(dp_node_kind(n)));
        return 1;
    }
    return 0;
}

static xmlNodePtr el(tw *w, xmlNodePtr parent, const char *name)
{
    if (w->err)
        return NULL;
    xmlNodePtr e = xmlNewDocNode(w->x, w->ns, BAD_CAST name, NULL);
    if (!e) {
        w->err = dp_fail(w->ctx, DP_ENOMEM, NULL, 0, 0, "tei: out of memory");
        return NULL;
    }
    xmlAddChild(parent, e);
    return e;
}

/* XML 1.0 forbids most C0 controls and U+FFFE/U+FFFF even as references:
 * they are removed (and reported once). The tree guarantees valid UTF-8. */
static void text(tw *w, xmlNodePtr parent, const dp_node *owner, const char *s, size_t len)
{
    if (w->err || !parent || !s || !len)
        return;
    char *clean = malloc(len + 1);
    if (!clean) {
        w->err = dp_fail(w->ctx, DP_ENOMEM, NULL, 0, 0, "tei: out of memory");
        return;
    }
    size_t o = 0;
    int dropped = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            dropped = 1;
            continue;
        }
        if (c == 0xEF && i + 2 < len && (unsigned char)s[i + 1] == 0xBF &&
            ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF)) {
            dropped = 1;
            i += 2;
            continue;
        }
        clean[o++] = (char)c;
    }
    if (dropped && !w->warned_ctrl) {
        w->warned_ctrl = 1;
        dp_warn_node(w->ctx, owner, "control characters not allowed in XML were removed");
    }
    if (o) {
        xmlNodePtr t = xmlNewDocTextLen(w->x, BAD_CAST clean, (int)o);
        if (t)
            xmlAddChild(parent, t);
    }
    free(clean);
}

static void set_attr(xmlNodePtr e, const char *name, const char *value)
{
    if (e && value)
        xmlSetProp(e, BAD_CAST name, BAD_CAST value);
}

static void set_xml_attr(xmlNodePtr e, const char *local, const char *value)
{
    if (!e || !value)
        return;
    xmlNsPtr xns = xmlSearchNs(e->doc, e, BAD_CAST "xml");
    if (xns)
        xmlSetNsProp(e, xns, BAD_CAST local, BAD_CAST value);
}

/* Sets a unique, NCName-valid xml:id derived from want. */
static void set_xml_id(tw *w, xmlNodePtr e, const dp_node *n, const char *want)
{
    if (!e || !want || !*want)
        return;
    char base[200];
    size_t o = 0;
    if (!tei_is_ncname(want) && !((want[0] >= 'A' && want[0] <= 'Z') || (want[0] >= 'a' && want[0] <= 'z') ||
                                  want[0] == '_' || (unsigned char)want[0] >= 0x80)) {
        memcpy(base, "id-", 3);
        o = 3;
    }
    for (const unsigned char *p = (const unsigned char *)want; *p && o < sizeof base - 1; p++) {
        int ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                 *p == '_' || *p == '-' || *p == '.' || *p >= 0x80;
        base[o++] = ok ? (char)*p : '-';
    }
    base[o] = '\0';
    /* never cut a UTF-8 sequence in half */
    while (o > 0 && ((unsigned char)base[o - 1] & 0xC0) == 0x80)
        base[--o] = '\0';
    if (o > 0 && (unsigned char)base[o - 1] >= 0xC0)
        base[--o] = '\0';
    char id[220];
    snprintf(id, sizeof id, "%s", base);
    for (int k = 2; xmlHashLookup(w->ids, BAD_CAST id) != NULL; k++)
        snprintf(id, sizeof id, "%s-%d", base, k);
    if (strcmp(id, want) != 0 && dp_node_id(n) && strcmp(dp_node_id(n), want) == 0)
        dp_warn_node(w->ctx, n, "id \"%s\" is not a unique XML name: written as xml:id=\"%s\"", want, id);
    xmlHashAddEntry(w->ids, BAD_CAST id, (void *)1);
    set_xml_attr(e, "id", id);
}

/* Attributes every element gets from its node: xml:id, xml:lang, rend (the
 * element's own rend token first, then the classes), and the TEI attributes
 * the reader kept as "tei:<name>" key/values. skip_keys: attribute keys the
 * caller has already used (NULL-terminated, may be NULL). */
static void common_attrs(tw *w, xmlNodePtr e, const dp_node *n, const char *rend_first, const char *skip_class,
                         const char *const *skip_keys)
{
    if (!e || w->err)
        return;
    set_xml_id(w, e, n, dp_node_id(n));
    if (dp_node_lang(n))
        xmlNodeSetLang(e, BAD_CAST dp_node_lang(n));
    char rend[512];
    size_t o = 0;
    rend[0] = '\0';
    if (rend_first)
        o += (size_t)snprintf(rend, sizeof rend, "%s", rend_first);
    for (int i = 0; i < dp_node_class_count(n) && o < sizeof rend; i++) {
        const char *c = dp_node_class_at(n, i);
        if (skip_class && strcmp(c, skip_class) == 0)
            continue;
        o += (size_t)snprintf(rend + o, sizeof rend - o, "%s%s", o ? " " : "", c);
    }
    if (rend[0])
        set_attr(e, "rend", rend);
    for (int i = 0; i < dp_node_attr_count(n); i++) {
        const char *k = dp_node_attr_key_at(n, i), *v = dp_node_attr_value_at(n, i);
        int skip = 0;
        for (const char *const *s = skip_keys; s && *s && !skip; s++)
            skip = strcmp(*s, k) == 0;
        if (skip)
            continue;
        if (strncmp(k, "tei:", 4) == 0) {
            const char *name = k + 4;
            if (strncmp(name, "xml:", 4) == 0 && tei_is_ncname(name + 4))
                set_xml_attr(e, name + 4, v);
            else if (tei_is_ncname(name) && !xmlHasProp(e, BAD_CAST name))
                set_attr(e, name, v);
            else
                dp_warn_node(w->ctx, n, "attribute %s=\"%s\" cannot be written on <%s>", k, v,
                             (const char *)e->name);
        } else {
            dp_warn_node(w->ctx, n, "attribute %s=\"%s\" has no TEI equivalent: dropped", k, v);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Raw content and custom nodes                                         */

static void w_raw(tw *w, xmlNodePtr parent, const dp_node *n)
{
    const char *fmt = dp_node_format(n);
    const char *src = dp_node_text(n);
    if (fmt && (strcmp(fmt, "tei") == 0 || strcmp(fmt, "xml") == 0) && src && *src) {
        xmlNodePtr list = NULL;
        xmlParserErrors rc = xmlParseInNodeContext(parent, src, (int)dp_node_text_len(n),
                                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING,
                                                   &list);
        if (rc == XML_ERR_OK && list) {
            xmlAddChildList(parent, list);
            return;
        }
        xmlFreeNodeList(list);
        dp_warn_node(w->ctx, n, "raw %s content is not well-formed XML: dropped", fmt);
        return;
    }
    dp_warn_node(w->ctx, n, "raw %s content has no TEI form: dropped (%zu bytes)", fmt ? fmt : "?",
                 dp_node_text_len(n));
}

/* The TEI element a custom node names ("tei:persName" -> "persName"), or NULL. */
static const char *custom_tei_name(const dp_node *n)
{
    const char *name = dp_node_custom_name(n);
    if (name && strncmp(name, "tei:", 4) == 0 && tei_is_ncname(name + 4))
        return name + 4;
    return NULL;
}

static void w_custom(tw *w, xmlNodePtr parent, const dp_node *n, int depth, int block)
{
    const char *name = custom_tei_name(n);
    if (!name) {
        dp_warn_node(w->ctx, n, "custom node \"%s\" has no TEI form: its content is kept without it",
                     dp_node_custom_name(n) ? dp_node_custom_name(n) : "?");
        if (block)
            w_blocks_mixed(w, parent, n, depth + 1);
        else
            w_inlines(w, parent, n, depth + 1);
        return;
    }
    xmlNodePtr e;
    int known = w->lite ? tei_lite_has(name) : tei_all_has(name);
    if (!known) {
        if (block) {
            dp_warn_node(w->ctx, n, "<%s> is not a TEI%s element: its content is kept without it", name,
                         w->lite ? " Lite" : "");
            w_blocks_mixed(w, parent, n, depth + 1);
            return;
        }
        dp_warn_node(w->ctx, n, "<%s> is not a TEI%s element: written as <seg type=\"%s\">", name,
                     w->lite ? " Lite" : "", name);
        e = el(w, parent, "seg");
        set_attr(e, "type", name);
        w_inlines(w, e, n, depth + 1);
        return;
    }
    e = el(w, parent, name);
    if (!e)
        return;
    set_xml_id(w, e, n, dp_node_id(n));
    if (dp_node_lang(n))
        xmlNodeSetLang(e, BAD_CAST dp_node_lang(n));
    for (int i = 0; i < dp_node_attr_count(n); i++) {
        const char *k = dp_node_attr_key_at(n, i), *v = dp_node_attr_value_at(n, i);
        if (strncmp(k, "tei:", 4) == 0)
            k += 4;
        if (strncmp(k, "xml:", 4) == 0 && tei_is_ncname(k + 4))
            set_xml_attr(e, k + 4, v);
        else if (tei_is_ncname(k))
            set_attr(e, k, v);
        else
            dp_warn_node(w->ctx, n, "attribute %s=\"%s\" cannot be written on <%s>", k, v, name);
    }
    if (dp_node_class_count(n) && !xmlHasProp(e, BAD_CAST "rend")) {
        char rend[512];
        size_t o = 0;
        rend[0] = '\0';
        for (int i = 0; i < dp_node_class_count(n) && o < sizeof rend; i++)
            o += (size_t)snprintf(rend + o, sizeof rend - o, "%s%s", o ? " " : "", dp_node_class_at(n, i));
        set_attr(e, "rend", rend);
    }
    if (block)
        w_blocks_mixed(w, e, n, depth + 1);
    else
        w_inlines(w, e, n, depth + 1);
}

/* ------------------------------------------------------------------ */
/* Inlines                                                              */

static void w_inlines(tw *w, xmlNodePtr parent, const dp_node *container, int depth)
{
    for (const dp_node *c = dp_node_first_child(container); c && !w->err; c = dp_node_next(c))
        w_inline(w, parent, c, depth);
}

static xmlNodePtr hi(tw *w, xmlNodePtr parent, const dp_node *n, const char *rend, int depth)
{
    xmlNodePtr e = el(w, parent, "hi");
    common_attrs(w, e, n, rend, NULL, NULL);
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
        xmlNodePtr c = el(w, parent, "choice");
        common_attrs(w, c, n, NULL, "choice", choice_keys);
        xmlNodePtr a = el(w, c, pairs[i][0]);
        text(w, a, n, alt, strlen(alt));
        xmlNodePtr r = el(w, c, pairs[i][1]);
        w_inlines(w, r, n, depth + 1);
        return 1;
    }
    return 0;
}

static void w_span(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    static const char *const semantic[] = {"add", "unclear", "supplied", NULL};
    if (dp_node_has_class(n, "choice") && w_choice(w, parent, n, depth))
        return;
    if (dp_node_lang(n)) {
        xmlNodePtr e = el(w, parent, "foreign");
        common_attrs(w, e, n, NULL, "foreign", NULL);
        w_inlines(w, e, n, depth + 1);
        return;
    }
    for (const char *const *s = semantic; *s; s++) {
        if (dp_node_has_class(n, *s)) {
            xmlNodePtr e = el(w, parent, *s);
            common_attrs(w, e, n, NULL, *s, NULL);
            w_inlines(w, e, n, depth + 1);
            return;
        }
    }
    if (dp_node_class_count(n)) {
        hi(w, parent, n, NULL, depth);
        return;
    }
    xmlNodePtr e = el(w, parent, "seg");
    common_attrs(w, e, n, NULL, NULL, NULL);
    w_inlines(w, e, n, depth + 1);
}

static void w_note(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    static const char *const skip[] = {"tei:place", "tei:n", NULL};
    xmlNodePtr e;
    if (w->notes_back) {
        /* built now (for its id), placed in <back> by flush_notes() */
        if (w->npending == w->cap_pending) {
            size_t cap = w->cap_pending ? 2 * w->cap_pending : 16;
            struct pending_note *p = realloc(w->pending, cap * sizeof *p);
            if (!p) {
                w->err = dp_fail(w->ctx, DP_ENOMEM, NULL, 0, 0, "tei: out of memory");
                return;
            }
            w->pending = p;
            w->cap_pending = cap;
        }
        e = xmlNewDocNode(w->x, w->ns, BAD_CAST "note", NULL);
        if (!e) {
            w->err = dp_fail(w->ctx, DP_ENOMEM, NULL, 0, 0, "tei: out of memory");
            return;
        }
        w->pending[w->npending++] = (struct pending_note){n, e, depth};
    } else {
        e = el(w, parent, "note");
    }
    if (!e)
        return;
    const char *place = dp_node_attr(n, "tei:place");
    set_attr(e, "place", place ? place : w->notes_back ? "end" : "foot");
    const char *label = dp_node_label(n);
    if (label && *label)
        set_attr(e, "n", label);
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
        set_xml_id(w, e, n, want);
    }
    common_attrs(w, e, n, NULL, NULL, skip);
    if (!w->notes_back) {
        w_blocks_mixed(w, e, n, depth + 1);
        return;
    }
    /* at the reference: <ref type="noteAnchor" target="#note-1">1</ref>,
     * and the note points back at it */
    xmlChar *id = xmlGetNsProp(e, BAD_CAST "id", XML_XML_NAMESPACE);
    xmlNodePtr ref = el(w, parent, "ref");
    if (ref && id) {
        char buf[256];
        set_attr(ref, "type", "noteAnchor");
        snprintf(buf, sizeof buf, "#%s", (const char *)id);
        set_attr(ref, "target", buf);
        snprintf(buf, sizeof buf, "ref-%s", (const char *)id);
        set_xml_id(w, ref, n, buf);
        xmlChar *rid = xmlGetNsProp(ref, BAD_CAST "id", XML_XML_NAMESPACE);
        if (rid) {
            snprintf(buf, sizeof buf, "#%s", (const char *)rid);
            set_attr(e, "target", buf);
        }
        xmlFree(rid);
        if (label && *label)
            text(w, ref, n, label, strlen(label));
    }
    xmlFree(id);
}

/* notes: back — the collected notes in <back><div type="notes">, in order of
 * reference (notes inside notes are collected as they are written). */
static void flush_notes(tw *w, xmlNodePtr textel)
{
    if (!w->npending || w->err)
        return;
    xmlNodePtr back = NULL;
    for (xmlNodePtr c = textel->children; c; c = c->next)
        if (tei_is(c, "back"))
            back = c;
    if (!back)
        back = el(w, textel, "back");
    xmlNodePtr div = el(w, back, "div");
    set_attr(div, "type", "notes");
    for (size_t i = 0; i < w->npending && !w->err; i++) {
        struct pending_note p = w->pending[i];
        xmlAddChild(div, p.el);
        w_blocks_mixed(w, p.el, p.node, p.depth + 1);
    }
    w->npending = 0;
}

static void w_image(tw *w, xmlNodePtr parent, const dp_node *n, int depth, int in_figure)
{
    xmlNodePtr holder = parent;
    if (!in_figure) {
        holder = el(w, parent, "figure");
        if (!holder)
            return;
    }
    xmlNodePtr g = el(w, holder, "graphic");
    set_attr(g, "url", dp_node_url(n) ? dp_node_url(n) : "");
    common_attrs(w, g, n, NULL, NULL, NULL);
    if (dp_node_title(n)) {
        xmlNodePtr d = el(w, g, "desc");
        text(w, d, n, dp_node_title(n), strlen(dp_node_title(n)));
    }
    if (dp_node_first_child(n)) {
        xmlNodePtr d = el(w, holder, "figDesc");
        w_inlines(w, d, n, depth + 1);
    }
}

static void w_inline(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    if (too_deep(w, n, depth))
        return;
    xmlNodePtr e;
    switch (dp_node_kind(n)) {
    case DP_TEXT:
        text(w, parent, n, dp_node_text(n), dp_node_text_len(n));
        break;
    case DP_EMPH:
        if (dp_node_has_class(n, "emph")) {
            e = el(w, parent, "emph");
            common_attrs(w, e, n, NULL, "emph", NULL);
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
            e = el(w, parent, "del");
            common_attrs(w, e, n, NULL, "del", NULL);
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
        e = el(w, parent, name);
        common_attrs(w, e, n, dp_node_quote(n) == DP_QUOTE_SINGLE ? "single" : NULL, cls, NULL);
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
        e = el(w, parent, "ref");
        set_attr(e, "type", "cite");
        if (target[0])
            set_attr(e, "target", target);
        common_attrs(w, e, n, NULL, NULL, NULL);
        w_inlines(w, e, n, depth + 1);
        break;
    }
    case DP_CODE:
        e = el(w, parent, "code");
        common_attrs(w, e, n, NULL, NULL, NULL);
        text(w, e, n, dp_node_text(n), dp_node_text_len(n));
        break;
    case DP_SOFT_BREAK:
        text(w, parent, n, "\n", 1);
        break;
    case DP_LINE_BREAK:
        e = el(w, parent, "lb");
        common_attrs(w, e, n, NULL, NULL, NULL);
        break;
    case DP_MATH: {
        const char *fmt = dp_node_format(n);
        e = el(w, parent, "formula");
        set_attr(e, "notation", fmt && strcmp(fmt, "mathml") == 0 ? "MathML" : "TeX");
        common_attrs(w, e, n, dp_node_math_display(n) ? "display" : NULL, NULL, NULL);
        text(w, e, n, dp_node_text(n), dp_node_text_len(n));
        break;
    }
    case DP_RAW_INLINE:
        w_raw(w, parent, n);
        break;
    case DP_LINK:
        e = el(w, parent, dp_node_first_child(n) ? "ref" : "ptr");
        if (dp_node_url(n) && *dp_node_url(n))
            set_attr(e, "target", dp_node_url(n)); /* TEI refuses an empty pointer */
        if (dp_node_title(n))
            dp_warn_node(w->ctx, n, "link title \"%s\" has no TEI form: dropped", dp_node_title(n));
        common_attrs(w, e, n, NULL, NULL, NULL);
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
        e = el(w, parent, unit ? "milestone" : "pb");
        if (unit)
            set_attr(e, "unit", unit);
        if (dp_node_label(n))
            set_attr(e, "n", dp_node_label(n));
        common_attrs(w, e, n, NULL, NULL, skip);
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

/* ------------------------------------------------------------------ */
/* Blocks                                                               */

static void w_list(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    static const char *const styles[] = {NULL, "decimal", "lower-alpha", "upper-alpha", "lower-roman",
                                         "upper-roman"};
    xmlNodePtr list = el(w, parent, "list");
    char rend[64];
    int ordered = dp_node_list_type(n) == DP_LIST_ORDERED;
    dp_list_style st = dp_node_list_style(n);
    snprintf(rend, sizeof rend, "%s%s%s", ordered ? "numbered" : "bulleted",
             ordered && st > 0 && st <= DP_STYLE_UPPER_ROMAN ? " " : "",
             ordered && st > 0 && st <= DP_STYLE_UPPER_ROMAN ? styles[st] : "");
    common_attrs(w, list, n, rend, NULL, NULL);
    int first = 1;
    for (const dp_node *it = dp_node_first_child(n); it && !w->err; it = dp_node_next(it)) {
        xmlNodePtr item = el(w, list, "item");
        if (first && ordered && dp_node_list_start(n) != 1) {
            char num[32];
            snprintf(num, sizeof num, "%d", dp_node_list_start(n));
            set_attr(item, "n", num);
        }
        first = 0;
        const char *task = NULL;
        if (dp_node_task(it) == DP_TASK_CHECKED)
            task = "task-done";
        else if (dp_node_task(it) == DP_TASK_UNCHECKED)
            task = "task-todo";
        common_attrs(w, item, it, task, NULL, NULL);
        w_blocks_mixed(w, item, it, depth + 1);
    }
    if (first) /* TEI wants at least one item */
        el(w, list, "item");
}

static void w_gloss(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    xmlNodePtr list = el(w, parent, "list");
    set_attr(list, "type", "gloss");
    common_attrs(w, list, n, NULL, NULL, NULL);
    if (!dp_node_first_child(n)) { /* a gloss list wants a pair */
        el(w, list, "label");
        el(w, list, "item");
    }
    for (const dp_node *di = dp_node_first_child(n); di && !w->err; di = dp_node_next(di)) {
        xmlNodePtr label = NULL, item = NULL;
        for (const dp_node *c = dp_node_first_child(di); c && !w->err; c = dp_node_next(c)) {
            if (dp_node_kind(c) == DP_DEF_TERM) {
                if (item) { /* a term after a description starts a new pair */
                    label = NULL;
                    item = NULL;
                }
                if (!label) {
                    label = el(w, list, "label");
                    common_attrs(w, label, c, NULL, NULL, NULL);
                } else {
                    el(w, label, "lb"); /* several terms share one label */
                }
                w_inlines(w, label, c, depth + 1);
            } else {
                if (!label)
                    label = el(w, list, "label");
                if (!item) {
                    item = el(w, list, "item");
                    common_attrs(w, item, c, NULL, NULL, NULL);
                }
                w_blocks_mixed(w, item, c, depth + 1);
            }
        }
        if (label && !item)
            el(w, list, "item");
    }
}

/* Caption blocks as the inline content of a <head> (blocks joined by lb). */
static void w_caption_head(tw *w, xmlNodePtr parent, const dp_node *cap, int depth)
{
    xmlNodePtr head = el(w, parent, "head");
    common_attrs(w, head, cap, NULL, NULL, NULL);
    int first = 1;
    for (const dp_node *b = dp_node_first_child(cap); b && !w->err; b = dp_node_next(b)) {
        if (!first)
            el(w, head, "lb");
        first = 0;
        if (dp_node_kind(b) == DP_PARA || dp_node_kind(b) == DP_PLAIN) {
            w_inlines(w, head, b, depth + 1);
        } else {
            dp_warn_node(w->ctx, b, "caption %s reduced to its text", dp_kind_name(dp_node_kind(b)));
            const char *t = dp_node_plain_text(b, 1);
            text(w, head, b, t, strlen(t));
        }
    }
}

static void w_table(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    static const char *const align_rend[] = {NULL, "align-left", "align-center", "align-right"};
    xmlNodePtr table = el(w, parent, "table");
    common_attrs(w, table, n, NULL, NULL, NULL);
    for (const dp_node *c = dp_node_first_child(n); c && !w->err; c = dp_node_next(c))
        if (dp_node_kind(c) == DP_CAPTION)
            w_caption_head(w, table, c, depth + 1);
    for (const dp_node *sec = dp_node_first_child(n); sec && !w->err; sec = dp_node_next(sec)) {
        dp_kind sk = dp_node_kind(sec);
        if (sk == DP_CAPTION)
            continue;
        for (const dp_node *r = dp_node_first_child(sec); r && !w->err; r = dp_node_next(r)) {
            xmlNodePtr row = el(w, table, "row");
            if (sk == DP_TABLE_HEAD)
                set_attr(row, "role", "label");
            common_attrs(w, row, r, sk == DP_TABLE_FOOT ? "foot" : NULL, NULL, NULL);
            int col = 0;
            for (const dp_node *cell = dp_node_first_child(r); cell && !w->err; cell = dp_node_next(cell)) {
                xmlNodePtr ce = el(w, row, "cell");
                if (dp_node_cell_header(cell) && sk != DP_TABLE_HEAD)
                    set_attr(ce, "role", "label");
                char num[32];
                if (dp_node_cell_rowspan(cell) > 1) {
                    snprintf(num, sizeof num, "%d", dp_node_cell_rowspan(cell));
                    set_attr(ce, "rows", num);
                }
                if (dp_node_cell_colspan(cell) > 1) {
                    snprintf(num, sizeof num, "%d", dp_node_cell_colspan(cell));
                    set_attr(ce, "cols", num);
                }
                dp_align a = dp_node_cell_align(cell);
                if (a == DP_ALIGN_DEFAULT && col < dp_node_table_cols(n))
                    a = dp_node_table_col_align(n, col);
                common_attrs(w, ce, cell, a > 0 && a <= DP_ALIGN_RIGHT ? align_rend[a] : NULL, NULL, NULL);
                col += dp_node_cell_colspan(cell) > 0 ? dp_node_cell_colspan(cell) : 1;
                w_blocks_mixed(w, ce, cell, depth + 1);
            }
            if (!row->children) /* a row wants a cell */
                el(w, row, "cell");
        }
    }
    int rows = 0;
    for (xmlNodePtr c = table ? table->children : NULL; c; c = c->next)
        rows += tei_is(c, "row");
    if (table && !rows) /* and a table a row */
        el(w, el(w, table, "row"), "cell");
}

static int only_images(const dp_node *b)
{
    int images = 0;
    for (const dp_node *c = dp_node_first_child(b); c; c = dp_node_next(c)) {
        if (dp_node_kind(c) == DP_IMAGE)
            images++;
        else if (dp_node_kind(c) == DP_SOFT_BREAK)
            continue;
        else if (dp_node_kind(c) == DP_TEXT && strspn(dp_node_text(c), " \t\r\n") == dp_node_text_len(c))
            continue;
        else
            return 0;
    }
    return images > 0;
}

static void w_figure(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    xmlNodePtr fig = el(w, parent, "figure");
    common_attrs(w, fig, n, NULL, NULL, NULL);
    for (const dp_node *c = dp_node_first_child(n); c && !w->err; c = dp_node_next(c))
        if (dp_node_kind(c) == DP_CAPTION)
            w_caption_head(w, fig, c, depth + 1);
    for (const dp_node *c = dp_node_first_child(n); c && !w->err; c = dp_node_next(c)) {
        dp_kind k = dp_node_kind(c);
        if (k == DP_CAPTION)
            continue;
        if ((k == DP_PARA || k == DP_PLAIN) && only_images(c)) {
            for (const dp_node *i = dp_node_first_child(c); i; i = dp_node_next(i))
                if (dp_node_kind(i) == DP_IMAGE)
                    w_image(w, fig, i, depth + 2, 1);
        } else {
            w_block(w, fig, c, depth + 1, W_MIXED);
        }
    }
}

/* A DP_DIV of class "sp" (the reader's form of sp/speaker) is written as
 * <sp>; its paragraphs of class "speaker" as <speaker>. */
static int is_sp(const dp_node *n)
{
    return dp_node_kind(n) == DP_DIV && dp_node_has_class(n, "sp");
}

static void w_sp(tw *w, xmlNodePtr parent, const dp_node *n, int depth)
{
    xmlNodePtr sp = el(w, parent, "sp");
    common_attrs(w, sp, n, NULL, "sp", NULL);
    for (const dp_node *c = dp_node_first_child(n); c && !w->err; c = dp_node_next(c)) {
        dp_kind k = dp_node_kind(c);
        if ((k == DP_PARA || k == DP_PLAIN) && dp_node_has_class(c, "speaker")) {
            xmlNodePtr spk = el(w, sp, "speaker");
            common_attrs(w, spk, c, NULL, "speaker", NULL);
            w_inlines(w, spk, c, depth + 2);
        } else {
            w_block(w, sp, c, depth + 1, W_MIXED);
        }
    }
}

static void w_block(tw *w, xmlNodePtr parent, const dp_node *n, int depth, wmode mode)
{
    if (too_deep(w, n, depth) || !parent)
        return;
    xmlNodePtr e;
    switch (dp_node_kind(n)) {
    case DP_PARA:
        e = el(w, parent, "p");
        common_attrs(w, e, n, NULL, NULL, NULL);
        w_inlines(w, e, n, depth + 1);
        break;
    case DP_PLAIN: {
        const dp_node *prev = dp_node_prev(n);
        int bare_ok = mode == W_MIXED && !(prev && dp_node_kind(prev) == DP_PLAIN) && !dp_node_id(n) &&
                      !dp_node_lang(n) && !dp_node_class_count(n) && !dp_node_attr_count(n);
        if (bare_ok) {
            w_inlines(w, parent, n, depth + 1);
        } else {
            e = el(w, parent, w->lite ? "p" : "ab");
            common_attrs(w, e, n, NULL, NULL, NULL);
            w_inlines(w, e, n, depth + 1);
        }
        break;
    }
    case DP_LINE_BLOCK:
        e = el(w, parent, "lg");
        common_attrs(w, e, n, NULL, NULL, NULL);
        for (const dp_node *l = dp_node_first_child(n); l && !w->err; l = dp_node_next(l)) {
            xmlNodePtr le = el(w, e, "l");
            common_attrs(w, le, l, NULL, NULL, NULL);
            w_inlines(w, le, l, depth + 2);
        }
        break;
    case DP_CODE_BLOCK:
        e = el(w, parent, "eg");
        common_attrs(w, e, n, NULL, NULL, NULL);
        set_xml_attr(e, "space", "preserve");
        text(w, e, n, dp_node_text(n), dp_node_text_len(n));
        break;
    case DP_RAW_BLOCK:
        w_raw(w, parent, n);
        break;
    case DP_BLOCK_QUOTE:
        e = el(w, parent, w->lite ? "q" : "quote");
        common_attrs(w, e, n, NULL, NULL, NULL);
        w_blocks_mixed(w, e, n, depth + 1);
        break;
    case DP_LIST:
        w_list(w, parent, n, depth);
        break;
    case DP_DEF_LIST:
        w_gloss(w, parent, n, depth);
        break;
    case DP_HEADING: {
        /* a heading where no division can open (in a list item, note, quote) */
        char lvl[8];
        snprintf(lvl, sizeof lvl, "%d", dp_node_heading_level(n));
        if (w->lite) {
            e = el(w, parent, "p");
            common_attrs(w, e, n, "heading", NULL, NULL);
        } else {
            e = el(w, parent, "ab");
            set_attr(e, "type", "heading");
            common_attrs(w, e, n, NULL, NULL, NULL);
        }
        set_attr(e, "n", lvl);
        w_inlines(w, e, n, depth + 1);
        break;
    }
    case DP_THEMATIC_BREAK:
        e = el(w, parent, "milestone");
        set_attr(e, "unit", "section");
        common_attrs(w, e, n, "hr", NULL, NULL);
        break;
    case DP_TABLE:
        w_table(w, parent, n, depth);
        break;
    case DP_FIGURE:
        w_figure(w, parent, n, depth);
        break;
    case DP_DIV:
        if (is_sp(n)) {
            w_sp(w, parent, n, depth);
        } else if (mode == W_SECTION) {
            e = el(w, parent, "div");
            common_attrs(w, e, n, NULL, NULL, NULL);
            w_section_seq(w, e, n, depth + 1, 0);
        } else {
            if (dp_node_id(n) || dp_node_class_count(n) || dp_node_attr_count(n) || dp_node_lang(n))
                dp_warn_node(w->ctx, n, "a division inside %s cannot be a TEI <div>: its content is kept, "
                                        "its attributes are not", (const char *)parent->name);
            w_blocks_mixed(w, parent, n, depth + 1);
        }
        break;
    case DP_PAGE_BREAK:
        w_inline(w, parent, n, depth);
        break;
    case DP_CUSTOM:
        if (dp_node_is_block(n))
            w_custom(w, parent, n, depth, 1);
        else
            w_inline(w, parent, n, depth);
        break;
    case DP_CAPTION:
        w_caption_head(w, parent, n, depth);
        break;
    default:
        if (dp_kind_is_inline(dp_node_kind(n))) {
            w_inline(w, parent, n, depth);
        } else {
            dp_warn_node(w->ctx, n, "%s node out of place: its text is kept", dp_kind_name(dp_node_kind(n)));
            const char *t = dp_node_plain_text(n, 0);
            e = el(w, parent, "p");
            text(w, e, n, t, strlen(t));
        }
        break;
    }
}

static void w_blocks_mixed(tw *w, xmlNodePtr parent, const dp_node *container, int depth)
{
    for (const dp_node *c = dp_node_first_child(container); c && !w->err; c = dp_node_next(c))
        w_block(w, parent, c, depth, W_MIXED);
}

/* ------------------------------------------------------------------ */
/* Sections: the flat heading sequence becomes nested <div>s.           */

typedef struct sec {
    xmlNodePtr el;
    int level;   /* heading level of the division, 0 for the base */
    int cont;    /* an unnamed division holding blocks that follow a <div> */
    int has_div; /* a <div> child exists: only divisions may follow */
} sec;

/* Elements a division may hold after its subdivisions (model.divBottom,
 * model.global, and the front/back parts), from the tei_all content models. */
static int allowed_after_div(const char *name)
{
    static const char *const names[] = {
        "addSpan", "address", "alt", "altGrp", "anchor", "app", "argument", "byline", "cb", "certainty",
        "closer", "damageSpan", "dateline", "delSpan", "divGen", "docAuthor", "docDate", "docEdition",
        "docImprint", "docTitle", "ellipsis", "epigraph", "fLib", "figure", "fs", "fvLib", "fw", "gap", "gb",
        "incident", "index", "interp", "interpGrp", "join", "joinGrp", "kinesic", "lb", "link", "linkGrp",
        "listTranspose", "meeting", "metamark", "milestone", "notatedMusic", "note", "noteGrp", "pause", "pb",
        "postscript", "precision", "respons", "salute", "shift", "signed", "space", "span", "spanGrp",
        "substJoin", "timeline", "titlePage", "titlePart", "trailer", "vocal", "witDetail", "writing", NULL};
    for (const char *const *n = names; *n; n++)
        if (strcmp(*n, name) == 0)
            return 1;
    return 0;
}

/* Root-level divisions that belong in <front> or <back>: 1 front, 2 back. */
static int matter_of(const dp_node *n, const char **div_type)
{
    static const char *const front[] = {"introduction", "preface", "foreword", "dedication", "abstract",
                                        "prologue", "titlepage", "acknowledgments", NULL};
    static const char *const back[] = {"appendix", "afterword", "epilogue", "bibliography", "glossary",
                                       "index", "colophon", NULL};
    *div_type = NULL;
    if (dp_node_kind(n) != DP_DIV)
        return 0;
    if (dp_node_has_class(n, "front") || dp_node_has_class(n, "frontmatter"))
        return 1;
    if (dp_node_has_class(n, "back") || dp_node_has_class(n, "backmatter"))
        return 2;
    const char *role = dp_node_attr(n, "role");
    for (int m = 0; m < 2; m++) {
        for (const char *const *s = m ? back : front; *s; s++) {
            char doc_role[64];
            snprintf(doc_role, sizeof doc_role, "doc-%s", *s);
            if (dp_node_has_class(n, *s) || (role && strcmp(role, doc_role) == 0)) {
                *div_type = *s;
                return m + 1;
            }
        }
    }
    return 0;
}

static void w_section_seq(tw *w, xmlNodePtr base, const dp_node *container, int depth, int skip_matter)
{
    sec st[16];
    int top = 0;
    st[0] = (sec){base, 0, 0, 0};
    for (const dp_node *b = dp_node_first_child(container); b && !w->err; b = dp_node_next(b)) {
        const char *div_type;
        if (skip_matter && matter_of(b, &div_type))
            continue;
        dp_kind k = dp_node_kind(b);
        if (k == DP_HEADING) {
            int level = dp_node_heading_level(b);
            while (top > 0 && (st[top].level >= level || st[top].cont))
                top--;
            if (top == (int)(sizeof st / sizeof st[0]) - 1)
                top--; /* cannot happen with levels 1..6; keeps the array safe */
            xmlNodePtr div = el(w, st[top].el, "div");
            st[top].has_div = 1;
            if (!div)
                return;
            /* the division carries the id and the reader's div attributes;
             * the head carries the classes and the language */
            set_xml_id(w, div, b, dp_node_id(b));
            for (int i = 0; i < dp_node_attr_count(b); i++) {
                const char *key = dp_node_attr_key_at(b, i);
                if (strncmp(key, "tei:", 4) == 0 && tei_is_ncname(key + 4))
                    set_attr(div, key + 4, dp_node_attr_value_at(b, i));
                else if (strcmp(key, "level") != 0)
                    dp_warn_node(w->ctx, b, "attribute %s has no TEI equivalent: dropped", key);
            }
            xmlNodePtr head = el(w, div, "head");
            if (dp_node_lang(b))
                xmlNodeSetLang(head, BAD_CAST dp_node_lang(b));
            /* the reader takes a heading's level from its division depth; a
             * level that differs (# then ###) is kept as rend="hN" */
            int div_depth = 0;
            for (xmlNodePtr a = div; a && a->type == XML_ELEMENT_NODE && !tei_is(a, "body") &&
                                     !tei_is(a, "front") && !tei_is(a, "back");
                 a = a->parent)
                div_depth += tei_is(a, "div");
            char level_tok[8] = "";
            if (div_depth != level)
                snprintf(level_tok, sizeof level_tok, "h%d", level);
            if (dp_node_class_count(b) || level_tok[0]) {
                char rend[512];
                size_t o = 0;
                rend[0] = '\0';
                if (level_tok[0])
                    o += (size_t)snprintf(rend, sizeof rend, "%s", level_tok);
                for (int i = 0; i < dp_node_class_count(b) && o < sizeof rend; i++)
                    o += (size_t)snprintf(rend + o, sizeof rend - o, "%s%s", o ? " " : "", dp_node_class_at(b, i));
                set_attr(head, "rend", rend);
            }
            w_inlines(w, head, b, depth + 1);
            st[++top] = (sec){div, level, 0, 0};
            continue;
        }
        if (k == DP_DIV && !is_sp(b)) {
            w_block(w, st[top].el, b, depth, W_SECTION);
            st[top].has_div = 1;
            continue;
        }
        /* milestones, and the elements TEI allows after divisions (trailer,
         * closer, titlePage ...) go in place */
        if (k == DP_PAGE_BREAK || k == DP_THEMATIC_BREAK || !st[top].has_div ||
            (k == DP_CUSTOM && custom_tei_name(b) && allowed_after_div(custom_tei_name(b)))) {
            w_block(w, st[top].el, b, depth, W_SECTION);
            continue;
        }
        /* prose after a <div>: TEI allows only divisions there */
        if (top == (int)(sizeof st / sizeof st[0]) - 1) {
            w_block(w, st[top].el, b, depth, W_SECTION);
            continue;
        }
        xmlNodePtr c = el(w, st[top].el, "div");
        st[++top] = (sec){c, st[top - 1].level, 1, 0};
        w_block(w, c, b, depth, W_SECTION);
    }
}

/* A <div> must hold more than its head; an empty <body> is invalid. */
static void fill_empty(tw *w, xmlNodePtr e)
{
    for (xmlNodePtr c = e->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            fill_empty(w, c);
    if (tei_is(e, "div") || tei_is(e, "body") || tei_is(e, "front") || tei_is(e, "back")) {
        int content = 0;
        for (xmlNodePtr c = e->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && !tei_is(c, "head"))
                content = 1;
        if (!content)
            el(w, e, "p");
    }
}

/* ------------------------------------------------------------------ */
/* Entry                                                                */

int tei_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out)
{
    int rc = 0;
    tw w = {0};
    xmlBufferPtr xbuf = NULL;
    xmlSaveCtxtPtr save = NULL;
    const char *profile = dp_opt_string(ctx, "profile");

    w.ctx = ctx;
    w.doc = doc;
    w.lite = profile && strcmp(profile, "lite") == 0;
    const char *notes = dp_opt_string(ctx, "notes");
    w.notes_back = notes && strcmp(notes, "back") == 0;
    const dp_limits *lim = dp_ctx_limits(ctx);
    w.max_depth = lim && lim->max_depth > 0 ? lim->max_depth : 1000;
    xmlInitParser();
    w.x = xmlNewDoc(BAD_CAST "1.0");
    w.ids = xmlHashCreate(64);
    if (!w.x || !w.ids) {
        rc = dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "tei: out of memory");
        goto cleanup;
    }
    if (dp_opt_bool(ctx, "schema-pi")) {
        char pi[256];
        snprintf(pi, sizeof pi,
                 "href=\"%s\" type=\"application/xml\" schematypens=\"http://relaxng.org/ns/structure/1.0\"",
                 w.lite ? TEI_LITE_URL : TEI_ALL_URL);
        xmlNodePtr p = xmlNewDocPI(w.x, BAD_CAST "xml-model", BAD_CAST pi);
        if (p)
            xmlAddChild((xmlNodePtr)w.x, p);
    }
    xmlNodePtr root = xmlNewDocNode(w.x, NULL, BAD_CAST "TEI", NULL);
    if (!root) {
        rc = dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "tei: out of memory");
        goto cleanup;
    }
    xmlAddChild((xmlNodePtr)w.x, root);
    w.ns = xmlNewNs(root, BAD_CAST TEI_NS, NULL);
    xmlSetNs(root, w.ns);
    const char *lang = dp_meta_get_text(dp_doc_meta(doc), "language");
    if (lang && *lang)
        xmlNodeSetLang(root, BAD_CAST lang);

    tei_header_opts hopts = {w.lite, dp_opt_bool(ctx, "record-conversion")};
    rc = tei_write_header(ctx, doc, root, w.ns, &hopts);
    if (rc)
        goto cleanup;

    xmlNodePtr textel = el(&w, root, "text");
    const dp_node *body_root = dp_doc_root(doc);
    const char *div_type;
    int has_front = 0, has_back = 0;
    for (const dp_node *b = dp_node_first_child(body_root); b; b = dp_node_next(b)) {
        int m = matter_of(b, &div_type);
        has_front |= m == 1;
        has_back |= m == 2;
    }
    if (has_front) {
        xmlNodePtr front = el(&w, textel, "front");
        for (const dp_node *b = dp_node_first_child(body_root); b && !w.err; b = dp_node_next(b)) {
            if (matter_of(b, &div_type) != 1)
                continue;
            if (div_type) {
                xmlNodePtr d = el(&w, front, "div");
                set_attr(d, "type", div_type);
                common_attrs(&w, d, b, NULL, div_type, NULL);
                w_section_seq(&w, d, b, 2, 0);
            } else {
                w_section_seq(&w, front, b, 2, 0);
            }
        }
    }
    xmlNodePtr body = el(&w, textel, "body");
    if (body)
        w_section_seq(&w, body, body_root, 1, 1);
    if (has_back) {
        xmlNodePtr back = el(&w, textel, "back");
        for (const dp_node *b = dp_node_first_child(body_root); b && !w.err; b = dp_node_next(b)) {
            if (matter_of(b, &div_type) != 2)
                continue;
            if (div_type) {
                xmlNodePtr d = el(&w, back, "div");
                set_attr(d, "type", div_type);
                common_attrs(&w, d, b, NULL, div_type, NULL);
                w_section_seq(&w, d, b, 2, 0);
            } else {
                w_section_seq(&w, back, b, 2, 0);
            }
        }
    }
    flush_notes(&w, textel);
    if (w.err) {
        rc = w.err;
        goto cleanup;
    }
    fill_empty(&w, textel);

    xbuf = xmlBufferCreate();
    if (!xbuf) {
        rc = dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "tei: out of memory");
        goto cleanup;
    }
    save = xmlSaveToBuffer(xbuf, "UTF-8", dp_opt_bool(ctx, "indent") ? XML_SAVE_FORMAT : 0);
    if (!save || xmlSaveDoc(save, w.x) < 0) {
        rc = dp_fail(ctx, DP_EINTERNAL, NULL, 0, 0, "tei: libxml2 could not serialise the document");
        goto cleanup;
    }
    xmlSaveClose(save);
    save = NULL;
    rc = dp_buf_append(out, xmlBufferContent(xbuf), (size_t)xmlBufferLength(xbuf));
    if (rc)
        rc = dp_fail(ctx, rc, NULL, 0, 0, "tei: out of memory");

cleanup:
    if (save)
        xmlSaveClose(save);
    xmlBufferFree(xbuf);
    for (size_t i = 0; i < w.npending; i++) /* unplaced after a failure */
        xmlFreeNode(w.pending[i].el);
    free(w.pending);
    xmlHashFree(w.ids, NULL);
    xmlFreeDoc(w.x);
    return rc;
}
