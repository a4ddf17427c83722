/* TEI exporter: building elements, text and attributes; raw content; custom nodes. */
#include "tei_write_internal.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Small builders                                                       */

int tw_too_deep(tw *w, const dp_node *n, int depth)
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

xmlNodePtr tw_el(tw *w, xmlNodePtr parent, const char *name)
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
void tw_text(tw *w, xmlNodePtr parent, const dp_node *owner, const char *s, size_t len)
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

void tw_set_attr(xmlNodePtr e, const char *name, const char *value)
{
    if (e && value)
        xmlSetProp(e, BAD_CAST name, BAD_CAST value);
}

void tw_set_xml_attr(xmlNodePtr e, const char *local, const char *value)
{
    if (!e || !value)
        return;
    xmlNsPtr xns = xmlSearchNs(e->doc, e, BAD_CAST "xml");
    if (xns)
        xmlSetNsProp(e, xns, BAD_CAST local, BAD_CAST value);
}

/* Sets a unique, NCName-valid xml:id derived from want. */
void tw_set_xml_id(tw *w, xmlNodePtr e, const dp_node *n, const char *want)
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
    if (strcmp(id, want) != 0 && dp_node_id(n) && strcmp(dp_node_id(n), want) == 0) {
        dp_warn_node(w->ctx, n, "id \"%s\" is not a unique XML name: written as xml:id=\"%s\"", want, id);
        if (strcmp(base, want) != 0) /* renamed, not a duplicate: links to it follow (tw_fix_links) */
            tw_note_renamed_id(w, want, id);
    }
    xmlHashAddEntry(w->ids, BAD_CAST id, (void *)1);
    tw_set_xml_attr(e, "id", id);
}

/* A direction (the tree's dir: rtl, ltr) as CSS in @style, before what the
 * element's style already says; TEI Lite has no @style: reported. */
void tw_direction(tw *w, xmlNodePtr e, const dp_node *n, const char *dir)
{
    if (!dir || (strcmp(dir, "rtl") != 0 && strcmp(dir, "ltr") != 0)) {
        dp_warn_node(w->ctx, n, "direction \"%s\" has no CSS form in TEI @style: dropped", dir ? dir : "");
        return;
    }
    if (w->lite) {
        dp_warn_node(w->ctx, n, "direction %s: TEI Lite has no @style to carry it: dropped", dir);
        return;
    }
    xmlChar *old = xmlGetProp(e, BAD_CAST "style");
    char buf[1024];
    snprintf(buf, sizeof buf, "direction: %s%s%s", dir, old && *old ? "; " : "", old ? (const char *)old : "");
    xmlFree(old);
    tw_set_attr(e, "style", buf);
}

/* Attributes every element gets from its node: xml:id, xml:lang, rend (the
 * element's own rend token first, then the classes), and the TEI attributes
 * the reader kept as "tei:<name>" key/values. skip_keys: attribute keys the
 * caller has already used (NULL-terminated, may be NULL). */
void tw_common_attrs(tw *w, xmlNodePtr e, const dp_node *n, const char *rend_first, const char *skip_class,
                         const char *const *skip_keys)
{
    if (!e || w->err)
        return;
    tw_set_xml_id(w, e, n, dp_node_id(n));
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
        tw_set_attr(e, "rend", rend);
    for (int i = 0; i < dp_node_attr_count(n); i++) {
        const char *k = dp_node_attr_key_at(n, i), *v = dp_node_attr_value_at(n, i);
        if (tei_name_in(k, skip_keys))
            continue;
        if (strcmp(k, "dir") == 0) {
            tw_direction(w, e, n, v);
            continue;
        }
        if (strncmp(k, "tei:", 4) == 0) {
            const char *name = k + 4;
            if (strncmp(name, "xml:", 4) == 0 && tei_is_ncname(name + 4))
                tw_set_xml_attr(e, name + 4, v);
            else if (tei_is_ncname(name) && !xmlHasProp(e, BAD_CAST name))
                tw_set_attr(e, name, v);
            else if (strcmp(name, "style") == 0) { /* after a direction */
                xmlChar *old = xmlGetProp(e, BAD_CAST "style");
                char buf[1024];
                snprintf(buf, sizeof buf, "%s; %s", old ? (const char *)old : "", v);
                xmlFree(old);
                tw_set_attr(e, "style", buf);
            }
            else
                dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "tei.attrs", n, "attribute %s=\"%s\" cannot be written on <%s>", k, v,
                             (const char *)e->name);
        } else {
            dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "tei.attrs", n, "attribute %s=\"%s\" has no TEI equivalent: dropped", k, v);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Raw content and custom nodes                                         */

/* Raw content TEI cannot hold as elements (HTML, TeX; XML that does not
 * parse) is kept verbatim as the text of <seg type="raw" notation="FORMAT">,
 * a raw block as the only child of <ab type="raw"> (Lite: <p rend="raw">);
 * the reader takes both back as raw nodes. Other TEI tools show that text
 * as it stands (markup as text): said once per format and document. */
static void w_raw_carrier(tw *w, xmlNodePtr parent, const dp_node *n, const char *fmt)
{
    int said = 0;
    for (int i = 0; i < w->nraw_warned && !said; i++)
        said = strcmp(w->raw_warned[i], fmt) == 0;
    if (!said && w->nraw_warned < (int)(sizeof w->raw_warned / sizeof w->raw_warned[0])) {
        w->raw_warned[w->nraw_warned++] = fmt;
        dp_warn_node(w->ctx, n, "raw %s kept verbatim as the text of <seg type=\"raw\" notation=\"%s\">: "
                                "docpipe reads it back, other TEI tools show the markup as text",
                     fmt, fmt);
    }
    if (dp_node_kind(n) == DP_RAW_BLOCK) {
        parent = tw_el(w, parent, w->lite ? "p" : "ab");
        if (w->lite)
            tw_set_attr(parent, "rend", "raw");
        else
            tw_set_attr(parent, "type", "raw");
    }
    xmlNodePtr seg = tw_el(w, parent, "seg");
    tw_set_attr(seg, "type", "raw");
    tw_set_attr(seg, "notation", fmt);
    tw_set_xml_attr(seg, "space", "preserve");
    tw_text(w, seg, n, dp_node_text(n), dp_node_text_len(n));
}

void w_raw(tw *w, xmlNodePtr parent, const dp_node *n)
{
    const char *fmt = dp_node_format(n) && *dp_node_format(n) ? dp_node_format(n) : "unknown";
    const char *src = dp_node_text(n);
    if (!src || !*src)
        return;
    if (strcmp(fmt, "tei") == 0 || strcmp(fmt, "xml") == 0) {
        xmlNodePtr list = NULL;
        xmlParserErrors rc = xmlParseInNodeContext(parent, src, (int)dp_node_text_len(n),
                                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING,
                                                   &list);
        if (rc == XML_ERR_OK && list) {
            xmlAddChildList(parent, list);
            return;
        }
        xmlFreeNodeList(list);
        dp_warn_node(w->ctx, n, "raw %s content is not well-formed XML: kept as text", fmt);
    }
    w_raw_carrier(w, parent, n, fmt);
}

/* The TEI element a custom node names ("tei:persName" -> "persName"), or NULL. */
const char *tw_custom_tei_name(const dp_node *n)
{
    const char *name = dp_node_custom_name(n);
    if (name && strncmp(name, "tei:", 4) == 0 && tei_is_ncname(name + 4))
        return name + 4;
    return NULL;
}

/* What tei_all 4.12 allows inside a transcription's <line>: far less than
 * a paragraph (no <reg>, <sic>, <persName>...). Sources often put more
 * there (stylesheets-test32: 301 <reg> straight in <line>); such a child is
 * written as <seg type="NAME"> so the output stays valid. */
static int line_allows(const char *name)
{
    static const char *const ok[] = {
        "add", "addSpan", "alt", "altGrp", "anchor", "app", "c", "cb", "certainty", "choice", "damage",
        "damageSpan", "del", "delSpan", "ellipsis", "fLib", "figure", "fs", "fvLib", "fw", "g", "gap", "gb",
        "handShift", "hi", "incident", "index", "interp", "interpGrp", "join", "joinGrp", "kinesic", "lb", "line",
        "link", "linkGrp", "listTranspose", "metamark", "milestone", "mod", "notatedMusic", "note", "noteGrp",
        "path", "pause", "pb", "pc", "precision", "q", "redo", "respons", "restore", "retrace", "seg", "shift",
        "space", "span", "spanGrp", "substJoin", "timeline", "unclear", "undo", "vocal", "w", "witDetail",
        "writing", "zone", NULL};
    return tei_name_in(name, ok);
}

static void w_custom_as_seg(tw *w, xmlNodePtr parent, const dp_node *n, const char *name, int depth)
{
    xmlNodePtr e = tw_el(w, parent, "seg");
    tw_set_attr(e, "type", name);
    w_inlines(w, e, n, depth + 1);
}

void w_custom(tw *w, xmlNodePtr parent, const dp_node *n, int depth, int block)
{
    const char *name = tw_custom_tei_name(n);
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
        w_custom_as_seg(w, parent, n, name, depth);
        return;
    }
    if (!block && parent && tei_is(parent, "line") && !line_allows(name)) {
        dp_warn_node(w->ctx, n, "<%s> is not allowed in a transcription's <line>: written as <seg type=\"%s\">",
                     name, name);
        w_custom_as_seg(w, parent, n, name, depth);
        return;
    }
    e = tw_el(w, parent, name);
    if (!e)
        return;
    tw_set_xml_id(w, e, n, dp_node_id(n));
    if (dp_node_lang(n))
        xmlNodeSetLang(e, BAD_CAST dp_node_lang(n));
    for (int i = 0; i < dp_node_attr_count(n); i++) {
        const char *k = dp_node_attr_key_at(n, i), *v = dp_node_attr_value_at(n, i);
        if (strncmp(k, "tei:", 4) == 0)
            k += 4;
        if (strncmp(k, "xml:", 4) == 0 && tei_is_ncname(k + 4))
            tw_set_xml_attr(e, k + 4, v);
        else if (tei_is_ncname(k))
            tw_set_attr(e, k, v);
        else
            dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "tei.attrs", n, "attribute %s=\"%s\" cannot be written on <%s>", k, v, name);
    }
    if (dp_node_class_count(n) && !xmlHasProp(e, BAD_CAST "rend")) {
        char rend[512];
        size_t o = 0;
        rend[0] = '\0';
        for (int i = 0; i < dp_node_class_count(n) && o < sizeof rend; i++)
            o += (size_t)snprintf(rend + o, sizeof rend - o, "%s%s", o ? " " : "", dp_node_class_at(n, i));
        tw_set_attr(e, "rend", rend);
    }
    if (block)
        w_blocks_mixed(w, e, n, depth + 1);
    else
        w_inlines(w, e, n, depth + 1);
}

