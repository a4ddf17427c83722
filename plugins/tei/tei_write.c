/* TEI exporter: the document tree as a libxml2 tree, serialised by xmlSave.
 *
 * Body layout: headings open nested <div>s (a heading of level L closes every
 * open division of level >= L); notes stay at their point of reference as
 * <note place="foot" n="label" xml:id>; spans with a language become
 * <foreign xml:lang>; custom "tei:*" nodes are written back as the element
 * they came from. Whatever has no TEI form is reported with dp_warn_node. */
#include "xmlu_chars.h"
#include "xmlu_init.h"
#include "xmlu_io.h"
#include "tei_write_internal.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlsave.h>

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
    return tei_name_in(name, names);
}

/* Elements that close a division (model.divBottom): after them a division
 * holds nothing but more of them. Met before prose or subdivisions of the
 * same division (a P4 <signed> before a nested <div>), one is written as
 * <ab type="NAME">, with a warning, instead of invalid TEI. */
static int closes_division(const char *name)
{
    static const char *const names[] = {"closer", "postscript", "signed", "trailer", "salute", "dateline", NULL};
    return tei_name_in(name, names);
}

/* Whether something other than division-closing or global elements
 * follows b in its division (a heading of a higher level ends it). */
static int prose_follows(const dp_node *b, int level)
{
    for (const dp_node *n = dp_node_next(b); n; n = dp_node_next(n)) {
        dp_kind k = dp_node_kind(n);
        if (k == DP_HEADING)
            return level == 0 || dp_node_heading_level(n) > level;
        if (k == DP_PAGE_BREAK)
            continue;
        const char *name = k == DP_CUSTOM ? tw_custom_tei_name(n) : NULL;
        if (name && (closes_division(name) || allowed_after_div(name)))
            continue;
        return 1;
    }
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
    if (dp_node_has_class(n, "sourceDoc"))
        return 3; /* a transcription the TEI reader read from <sourceDoc> */
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

void w_section_seq(tw *w, xmlNodePtr base, const dp_node *container, int depth, int skip_matter)
{
    sec st[16];
    int top = 0;
    st[0] = (sec){base, 0, 0, 0};
    for (const dp_node *b = dp_node_first_child(container); b && !w->err; b = dp_node_next(b)) {
        const char *div_type;
        if ((skip_matter && matter_of(b, &div_type)) || matter_of(b, &div_type) == 3)
            continue;
        dp_kind k = dp_node_kind(b);
        if (k == DP_HEADING) {
            int level = dp_node_heading_level(b);
            while (top > 0 && (st[top].level >= level || st[top].cont))
                top--;
            if (top == (int)(sizeof st / sizeof st[0]) - 1)
                top--; /* cannot happen with levels 1..6; keeps the array safe */
            xmlNodePtr div = tw_el(w, st[top].el, "div");
            st[top].has_div = 1;
            if (!div)
                return;
            /* the division carries the id and the reader's div attributes;
             * the head carries the classes and the language */
            tw_set_xml_id(w, div, b, dp_node_id(b));
            for (int i = 0; i < dp_node_attr_count(b); i++) {
                const char *key = dp_node_attr_key_at(b, i);
                if (strncmp(key, "tei:", 4) == 0 && tei_is_ncname(key + 4))
                    tw_set_attr(div, key + 4, dp_node_attr_value_at(b, i));
                else if (strcmp(key, "level") != 0)
                    dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "tei.attrs", b, "attribute %s has no TEI equivalent: dropped", key);
            }
            xmlNodePtr head = tw_el(w, div, "head");
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
                tw_set_attr(head, "rend", rend);
            }
            w_inlines(w, head, b, depth + 1);
            st[++top] = (sec){div, level, 0, 0};
            continue;
        }
        if (k == DP_CUSTOM && dp_node_is_block(b) && tw_custom_tei_name(b) &&
            closes_division(tw_custom_tei_name(b)) && prose_follows(b, st[top].level)) {
            const char *name = tw_custom_tei_name(b);
            dp_warn_node(w->ctx, b, "<%s> before more of its division's content is not valid TEI there: "
                                    "written as <ab type=\"%s\">", name, name);
            xmlNodePtr ab = tw_el(w, st[top].el, w->lite ? "p" : "ab");
            tw_set_attr(ab, w->lite ? "rend" : "type", name);
            w_blocks_mixed(w, ab, b, depth + 1);
            continue;
        }
        if (k == DP_DIV && !tw_is_sp(b)) {
            w_block(w, st[top].el, b, depth, W_SECTION);
            st[top].has_div = 1;
            continue;
        }
        /* milestones, and the elements TEI allows after divisions (trailer,
         * closer, titlePage ...) go in place */
        if (k == DP_PAGE_BREAK || k == DP_THEMATIC_BREAK || !st[top].has_div ||
            (k == DP_CUSTOM && tw_custom_tei_name(b) && allowed_after_div(tw_custom_tei_name(b)))) {
            w_block(w, st[top].el, b, depth, W_SECTION);
            continue;
        }
        /* prose after a <div>: TEI allows only divisions there */
        if (top == (int)(sizeof st / sizeof st[0]) - 1) {
            w_block(w, st[top].el, b, depth, W_SECTION);
            continue;
        }
        xmlNodePtr c = tw_el(w, st[top].el, "div");
        sec inner = {c, st[top].level, 1, 0}; /* built first: top changes below */
        st[++top] = inner;
        w_block(w, c, b, depth, W_SECTION);
    }
}

/* Elements that may open a body or division (model.divTop, model.divGenLike)
 * but not follow its subdivisions: prose, and the filler, come after them. */
static int opens_division(const char *name)
{
    static const char *const names[] = {"opener", "divGen", NULL};
    return tei_name_in(name, names);
}

/* A <div> must hold more than its head; a <body> must hold a division or
 * prose: one of milestones, notes or figures alone (Markdown "---", an
 * image alone, an opener and a closer) is invalid, as an empty one. An
 * empty <p/> then goes where the prose would: after the opening elements
 * (opener ...) and before the closing ones (trailer ...). What counts as
 * prose follows body's content model in tei_all: anything but model.global,
 * model.divTop, model.divGenLike and model.divBottom. */
static void fill_empty(tw *w, xmlNodePtr e)
{
    for (xmlNodePtr c = e->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            fill_empty(w, c);
    int body = tei_is(e, "body");
    if (body || tei_is(e, "div") || tei_is(e, "front") || tei_is(e, "back")) {
        int content = 0;
        xmlNodePtr closing = NULL;
        for (xmlNodePtr c = e->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE || tei_is(c, "head"))
                continue;
            const char *name = (const char *)c->name;
            if (!body || !(allowed_after_div(name) || opens_division(name)))
                content = 1;
            else if (opens_division(name))
                closing = NULL; /* the filler goes after it */
            else if (!closing && closes_division(name))
                closing = c;
        }
        if (content)
            return;
        xmlNodePtr p = tw_el(w, e, "p");
        if (p && closing) {
            xmlUnlinkNode(p);
            xmlAddPrevSibling(closing, p);
        }
    }
}

/* type and subtype are one token in P5 (teidata.enumerated); P4 allowed
 * any text (<div type="half title note">): whitespace runs become "-",
 * reported once. */
static void one_token_attrs(tw *w, xmlNodePtr e, int *warned)
{
    for (xmlNodePtr c = e; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        for (xmlAttrPtr a = c->properties; a; a = a->next) {
            if (a->ns || (strcmp((const char *)a->name, "type") != 0 && strcmp((const char *)a->name, "subtype") != 0))
                continue;
            xmlChar *v = xmlNodeListGetString(c->doc, a->children, 1);
            if (v && v[strcspn((const char *)v, " \t\r\n")]) {
                char *t = (char *)v, *o = t;
                for (char *p = t; *p; p++) {
                    int ws = *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n';
                    if (!ws)
                        *o++ = *p;
                    else if (o > t && o[-1] != '-')
                        *o++ = '-';
                }
                while (o > t && o[-1] == '-')
                    o--;
                *o = '\0';
                if (!*warned) {
                    *warned = 1;
                    dp_warn(w->ctx, "tei: %s=\"...\" with spaces (allowed in P4, not in P5) written as one "
                                    "token, e.g. \"%s\"", (const char *)a->name, t);
                }
                xmlSetProp(c, a->name, BAD_CAST t);
            }
            xmlFree(v);
        }
        if (c->children)
            one_token_attrs(w, c->children, warned);
    }
}

/* option title-page: a title page from the metadata, marked type="docpipe"
 * so that the reader knows it repeats the header */
static void w_title_page(tw *w, xmlNodePtr front)
{
    const dp_meta *meta = dp_doc_meta(w->doc);
    const char *title = dp_meta_get_text(meta, "title");
    const char *sub = dp_meta_get_text(meta, "subtitle");
    const char *date = dp_meta_get_text(meta, "date");
    const dp_meta *authors = dp_meta_get(meta, "author");
    xmlNodePtr tp = tw_el(w, front, "titlePage");
    tw_set_attr(tp, "type", "docpipe");
    xmlNodePtr dt = tw_el(w, tp, "docTitle");
    xmlNodePtr part = tw_el(w, dt, "titlePart");
    tw_set_attr(part, "type", "main");
    if (title)
        tw_text(w, part, dp_doc_root(w->doc), title, strlen(title));
    if (sub && (part = tw_el(w, dt, "titlePart"))) {
        tw_set_attr(part, "type", "sub");
        tw_text(w, part, dp_doc_root(w->doc), sub, strlen(sub));
    }
    for (size_t i = 0; i < dp_meta_len(authors); i++) {
        const char *a = dp_meta_text(dp_meta_at(authors, i));
        if (!a || !*a)
            continue;
        xmlNodePtr by = tw_el(w, tp, "byline");
        xmlNodePtr da = tw_el(w, by, "docAuthor");
        tw_text(w, da, dp_doc_root(w->doc), a, strlen(a));
    }
    if (date) {
        xmlNodePtr dd = tw_el(w, tp, "docDate");
        if (tei_is_iso_date(date))
            tw_set_attr(dd, "when", date);
        tw_text(w, dd, dp_doc_root(w->doc), date, strlen(date));
    }
}

/* ------------------------------------------------------------------ */
/* Entry                                                                */

int tei_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out)
{
    int rc = 0;
    tw w = {0};
    xmlSaveCtxtPtr save = NULL;
    const char *profile = dp_opt_string(ctx, "profile");

    w.ctx = ctx;
    w.doc = doc;
    w.lite = profile && strcmp(profile, "lite") == 0;
    const char *notes = dp_opt_string(ctx, "notes");
    w.notes_back = notes && strcmp(notes, "back") == 0;
    const dp_limits *lim = dp_ctx_limits(ctx);
    w.max_depth = lim && lim->max_depth > 0 ? lim->max_depth : 1000;
    w.x = xmlNewDoc(BAD_CAST "1.0");
    /* element and attribute names from a dictionary, as in a parsed
     * document, instead of a malloc'd copy per element */
    if (w.x)
        w.x->dict = xmlDictCreate();
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
    const char *lang = dp_meta_agreed_text(dp_doc_meta(doc), "language");
    if (lang && *lang)
        xmlNodeSetLang(root, BAD_CAST lang);

    tei_header_opts hopts = {w.lite, dp_opt_bool(ctx, "record-conversion")};
    rc = tei_write_header(ctx, doc, root, w.ns, &hopts);
    if (rc)
        goto cleanup;

    /* Divisions the reader took from <sourceDoc> (class sourceDoc): written
     * back as <sourceDoc>, before <text> as TEI wants it, their surfaces,
     * zones and lines kept by the reader as TEI elements. */
    for (const dp_node *b = dp_node_first_child(dp_doc_root(doc)); b && !w.err; b = dp_node_next(b)) {
        const char *dt;
        if (matter_of(b, &dt) != 3)
            continue;
        xmlNodePtr sd = tw_el(&w, root, "sourceDoc");
        tw_common_attrs(&w, sd, b, NULL, "sourceDoc", NULL);
        w_section_seq(&w, sd, b, 2, 0);
    }
    xmlNodePtr textel = tw_el(&w, root, "text");
    {
        /* the base direction on <text> (metadata dir, the language's
         * script, or a guess said once) */
        int guessed = 0;
        const char *dir = dp_doc_direction(doc, &guessed);
        if (guessed)
            dp_warn(ctx, "tei: no direction or language declared and the text is mostly of a right-to-left "
                         "script: %s (set 'dir' in the metadata to say so)",
                    w.lite ? "TEI Lite has no @style to say so: not written" : "written right to left");
        if (dir && !w.lite)
            tw_set_attr(textel, "style", dir[0] == 'r' ? "direction: rtl" : "direction: ltr");
    }
    const dp_node *body_root = dp_doc_root(doc);
    const char *div_type;
    int has_front = 0, has_back = 0;
    for (const dp_node *b = dp_node_first_child(body_root); b; b = dp_node_next(b)) {
        int m = matter_of(b, &div_type);
        has_front |= m == 1;
        has_back |= m == 2;
    }
    int title_page = dp_opt_bool(ctx, "title-page");
    if (has_front || title_page) {
        xmlNodePtr front = tw_el(&w, textel, "front");
        if (title_page)
            w_title_page(&w, front);
        for (const dp_node *b = dp_node_first_child(body_root); b && !w.err; b = dp_node_next(b)) {
            if (matter_of(b, &div_type) != 1)
                continue;
            if (div_type) {
                xmlNodePtr d = tw_el(&w, front, "div");
                tw_set_attr(d, "type", div_type);
                tw_common_attrs(&w, d, b, NULL, div_type, NULL);
                w_section_seq(&w, d, b, 2, 0);
            } else {
                w_section_seq(&w, front, b, 2, 0);
            }
        }
    }
    xmlNodePtr body = tw_el(&w, textel, "body");
    if (body)
        w_section_seq(&w, body, body_root, 1, 1);
    if (has_back) {
        xmlNodePtr back = tw_el(&w, textel, "back");
        for (const dp_node *b = dp_node_first_child(body_root); b && !w.err; b = dp_node_next(b)) {
            if (matter_of(b, &div_type) != 2)
                continue;
            if (div_type) {
                xmlNodePtr d = tw_el(&w, back, "div");
                tw_set_attr(d, "type", div_type);
                tw_common_attrs(&w, d, b, NULL, div_type, NULL);
                w_section_seq(&w, d, b, 2, 0);
            } else {
                w_section_seq(&w, back, b, 2, 0);
            }
        }
    }
    w_flush_notes(&w, textel);
    if (!w.err && textel)
        tw_fix_links(&w, textel);
    if (w.err) {
        rc = w.err;
        goto cleanup;
    }
    fill_empty(&w, textel);
    int warned_tokens = 0;
    one_token_attrs(&w, textel, &warned_tokens);
    /* Attributes (target, n, rend, xml:id ...) and header texts may carry
     * control characters the tree allows and XML does not: one pass over
     * the finished tree removes them all, with a warning. */
    if (xmlu_drop_invalid_chars(ctx, w.x, "tei") == (size_t)-1) {
        rc = DP_ENOMEM;
        goto cleanup;
    }

    /* indentation only where TEI has no text (tei_write_indent.c); libxml2's
     * XML_SAVE_FORMAT would also indent mixed content whose children happen
     * to be elements only */
    if (dp_opt_bool(ctx, "indent"))
        tw_indent(&w, root, 0);
    if (w.err) {
        rc = w.err;
        goto cleanup;
    }
    /* straight into out: no second copy of the whole output */
    save = xmlu_save_to_buf(out, 0);
    if (!save) {
        rc = dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "tei: out of memory");
        goto cleanup;
    }
    if (xmlSaveDoc(save, w.x) < 0) {
        rc = dp_fail(ctx, DP_EINTERNAL, NULL, 0, 0, "tei: libxml2 could not serialise the document");
        goto cleanup;
    }
    int closed = xmlSaveClose(save);
    save = NULL;
    if (closed < 0)
        rc = dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "tei: out of memory");

cleanup:
    if (save)
        xmlSaveClose(save);
    for (size_t i = 0; i < w.npending; i++) /* unplaced after a failure */
        xmlFreeNode(w.pending[i].el);
    free(w.pending);
    xmlHashFree(w.ids, NULL);
    tw_free_renamed(&w);
    xmlFreeDoc(w.x);
    return rc;
}

