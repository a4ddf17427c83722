/* TEI importer: TEI P5 (also P4 and bare fragments) into the document tree.
 *
 * libxml2 parses with network access, DTD loading and entity substitution
 * off. The walk is recursive but bounded: libxml2 itself refuses element
 * nesting deeper than 256 without XML_PARSE_HUGE (which we never pass), and
 * dp_ctx_limits()->max_depth is checked on top of that.
 *
 * Block context (body, div, item, cell, note ...) gathers loose inline
 * material into an implicit PLAIN; a block element inside a <p> (a list, a
 * table) splits the paragraph around it. Elements with no mapping become
 * DP_CUSTOM "tei:<name>" keeping their attributes and content. */

#include "xmlu_chars.h"
#include "xmlu_entities.h"
#include "xmlu_init.h"
#include "xmlu_io.h"
#include "resload.h"
#include "tei_read_internal.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>

/* ------------------------------------------------------------------ */
/* Whitespace: TEI text is indented freely; runs collapse to one space and
 * inline content is trimmed at the edges of its block. */

static int preserves_space(const dp_node *n)
{
    for (; n; n = dp_node_parent(n)) {
        const char *v = dp_node_attr(n, "tei:xml:space");
        if (v)
            return strcmp(v, "preserve") == 0;
    }
    return 0;
}

static void collapse_text(dp_node *t)
{
    size_t len = dp_node_text_len(t), out_len;
    if (xmlu_ws_unchanged(dp_node_text(t), len) == len)
        return; /* most texts: nothing to collapse, nothing to copy */
    char *buf = xmlu_collapse_ws(dp_node_text(t), len, 0, &out_len);
    if (buf && (out_len != len || memcmp(buf, dp_node_text(t), len) != 0))
        dp_node_set_text(t, buf, out_len);
    free(buf);
}

static int inline_container(dp_kind k)
{
    return k == DP_PARA || k == DP_PLAIN || k == DP_HEADING || k == DP_LINE || k == DP_DEF_TERM;
}

static void trim_edge(dp_node *t, int lead)
{
    const char *s = dp_node_text(t);
    size_t len = dp_node_text_len(t);
    if (lead) {
        size_t k = 0;
        while (k < len && s[k] == ' ')
            k++;
        if (k)
            dp_node_set_text(t, s + k, len - k);
    } else {
        size_t k = len;
        while (k > 0 && s[k - 1] == ' ')
            k--;
        if (k != len)
            dp_node_set_text(t, s, k);
    }
}

static void tidy_whitespace(dp_doc *doc)
{
    dp_doc_normalize(doc);
    dp_iter it;
    dp_iter_init(&it, dp_doc_root(doc));
    dp_event ev;
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        dp_node *n = dp_iter_node(&it);
        if (ev == DP_EV_ENTER && dp_node_kind(n) == DP_TEXT && !preserves_space(n))
            collapse_text(n);
        if (ev == DP_EV_EXIT && inline_container(dp_node_kind(n))) {
            dp_node *f = dp_node_first_child(n), *l = dp_node_last_child(n);
            if (f && dp_node_kind(f) == DP_TEXT)
                trim_edge(f, 1);
            if (l && dp_node_kind(l) == DP_TEXT)
                trim_edge(l, 0);
        }
    }
    dp_doc_normalize(doc);
    /* PLAIN blocks left empty by trimming were only indentation: collected
     * in one walk, unlinked after it (the walk must not see them go) */
    size_t n = 0, cap = 0;
    dp_node **empty = NULL;
    dp_iter_init(&it, dp_doc_root(doc));
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        dp_node *node = dp_iter_node(&it);
        if (ev != DP_EV_EXIT || dp_node_kind(node) != DP_PLAIN || dp_node_first_child(node) || dp_node_id(node) ||
            dp_node_attr_count(node))
            continue;
        if (DP_ARRAY_RESERVE(empty, cap, n + 1))
            break; /* out of memory: the empty blocks stay, harmlessly */
        empty[n++] = node;
    }
    for (size_t i = 0; i < n; i++)
        dp_node_unlink(empty[i]);
    free(empty);
}

/* ------------------------------------------------------------------ */
/* Entry                                                                */

/* libxml2's messages: a fatal error (the document is not well-formed) is
 * the cause, reported once after the parse with its line:column, unless
 * recover mode repairs it (then each repair is a warning); errors that do
 * not stop the parse (an xml:id that is not an NCName) and warnings are
 * warnings, each at its place. */
static void parse_error(void *user, xmlErrorPtr err)
{
    xmlParserCtxtPtr pc = user;
    tr *r = pc ? pc->_private : NULL;
    if (!r || !err)
        return;
    char msg[sizeof r->first_msg];
    snprintf(msg, sizeof msg, "%s", err->message ? err->message : "XML error");
    msg[strcspn(msg, "\n")] = '\0';
    if (err->level == XML_ERR_FATAL) {
        if (r->recover) {
            r->repairs++;
            dp_warn_at(r->ctx, r->path, err->line, err->int2, "tei: recover: repaired: %s", msg);
        } else if (!r->first_msg[0]) {
            /* the first names the cause; the ones after it follow from it */
            snprintf(r->first_msg, sizeof r->first_msg, "%s", msg);
            r->first_line = err->line;
            r->first_col = err->int2;
        }
        return;
    }
    dp_warn_at(r->ctx, r->path, err->line, err->int2, "tei: %s", msg);
}

static const xmlNode *child_el(const xmlNode *e, const char *name)
{
    for (const xmlNode *c = e ? e->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

static void r_tei(tr *r, const xmlNode *tei, int depth)
{
    const xmlNode *text = child_el(tei, "text");
    if (!text) {
        dp_warn_at(r->ctx, r->path, (int)tei->line, 0, "tei: <%s> has no <text>", tr_ename(tei));
        return;
    }
    tr_index_notes(r, text);
    const char *tl = tr_xml_attr(r, text, "lang");
    if (tl && !dp_meta_get(dp_doc_meta(r->doc), "language"))
        dp_meta_set_string(r->doc, dp_doc_meta(r->doc), "language", tl);
    /* <text style="direction: rtl">: the document's base direction */
    const char *ts = tr_attr(r, text, "style");
    char rest[8];
    const char *td = ts ? tei_style_direction(ts, rest, sizeof rest) : NULL;
    if (td && !dp_meta_get(dp_doc_meta(r->doc), "dir"))
        dp_meta_set_string(r->doc, dp_doc_meta(r->doc), "dir", td);
    r_blocks(r, dp_doc_root(r->doc), text->children, depth + 1, 0);
    /* <sourceDoc>: a transcription of the source's pages (surface, zone,
     * line). Its text is the edition's too: kept after the text, one
     * division per sourceDoc (class "sourceDoc"), read as any other blocks. */
    for (const xmlNode *c = tei->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "sourceDoc") != 0)
            continue;
        dp_node *div = dp_node_new(r->doc, DP_DIV);
        if (!div || dp_node_add_class(div, "sourceDoc") != 0 || dp_node_append_child(dp_doc_root(r->doc), div) != 0) {
            r->err = DP_ENOMEM;
            return;
        }
        const char *id = tr_xml_attr(r, c, "id");
        if (id)
            dp_node_set_id(div, id);
        dp_info(r->ctx, "%s:%d: <sourceDoc> (a transcription of the source) read after the <text>", r->path,
                (int)c->line);
        r_blocks(r, div, c->children, depth + 1, 0);
    }
}

int tei_import(dp_ctx *ctx, const dp_input *in, dp_doc **out)
{
    int rc = 0;
    tr r = {0};
    xmlParserCtxtPtr pc = NULL;
    xmlDocPtr x = NULL;
    dp_doc *doc = NULL;
    const dp_limits *lim = dp_ctx_limits(ctx);

    *out = NULL;
    r.ctx = ctx;
    r.path = in->path ? in->path : "-";
    r.max_depth = lim && lim->max_depth > 0 ? lim->max_depth : 1000;
    if (in->len > INT_MAX)
        return dp_fail(ctx, DP_ELIMIT, r.path, 0, 0, "tei: input larger than 2 GiB");
    if (dp_doc_new(&doc) != 0)
        return dp_fail(ctx, DP_ENOMEM, r.path, 0, 0, "tei: out of memory");
    r.doc = doc;
    r.reported = xmlHashCreate(16);
    r.note_by_id = xmlHashCreate(16);
    r.note_by_anchor = xmlHashCreate(16);
    r.referenced = xmlHashCreate(16);
    r.emitted = xmlHashCreate(16);
        pc = xmlNewParserCtxt();
    if (!pc || !r.reported || !r.note_by_id || !r.note_by_anchor || !r.referenced || !r.emitted) {
        rc = dp_fail(ctx, DP_ENOMEM, r.path, 0, 0, "tei: out of memory");
        goto cleanup;
    }
    pc->_private = &r;
    pc->sax->serror = parse_error;
    pc->vctxt.error = NULL;
    pc->vctxt.warning = NULL;
    /* NONET: no network. No NOENT (entities are not substituted), no
     * DTDLOAD/DTDATTR/DTDVALID (no external DTD), no HUGE (libxml2's own
     * depth and size limits stay on). */
    /* recover (option, off by default: an archive is never silently
     * "repaired"): libxml2's recover mode, each repair a warning */
    r.recover = dp_opt_bool(ctx, "recover");
    x = xmlu_read_memory(pc, (const char *)in->data, in->len, r.path, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOCDATA | (r.recover ? XML_PARSE_RECOVER : 0));
    if (x && !pc->wellFormed && r.recover) {
        dp_warn_at(ctx, r.path, 0, 0,
                   "tei: not well-formed XML: read in recover mode after %d repair(s) (listed above); "
                   "check the text against the source", r.repairs);
    } else if (!x || !pc->wellFormed) {
        const xmlError *e = xmlCtxtGetLastError(pc);
        char msg[512];
        int line = e ? e->line : 0, col = e ? e->int2 : 0;
        snprintf(msg, sizeof msg, "%s", e && e->message ? e->message : "not well-formed XML");
        if (r.first_msg[0]) {
            snprintf(msg, sizeof msg, "%s", r.first_msg);
            line = r.first_line;
            col = r.first_col;
        }
        msg[strcspn(msg, "\n")] = '\0';
        int code = strstr(msg, "depth") || strstr(msg, "loop") || strstr(msg, "amplification") ||
                           strstr(msg, "HUGE")
                       ? DP_ELIMIT
                       : DP_EINPUT;
        rc = dp_fail(ctx, code, r.path, line, col, "tei: %s%s", msg,
                     code == DP_EINPUT ? " (not well-formed XML; -O recover=true salvages what it can)" : "");
        goto cleanup;
    }
    /* internal entities become their content (text and elements) once, in
     * place, under max-entity-expansion: body text, attribute values and the
     * header all see the replacement text, and its total is bounded */
    xmlu_budget budget;
    xmlu_budget_init(&budget, ctx);
    if ((rc = xmlu_expand_entities(ctx, r.path, x, &budget)) != DP_OK)
        goto cleanup;
    const xmlNode *root = xmlDocGetRootElement(x);
    if (!root) {
        rc = dp_fail(ctx, DP_EINPUT, r.path, 1, 1, "tei: the document has no root element");
        goto cleanup;
    }
    const char *rn = tr_ename(root);
    int in_tei_ns = root->ns && strcmp((const char *)root->ns->href, TEI_NS) == 0;
    if (strcmp(rn, "TEI.2") == 0 || strcmp(rn, "teiCorpus.2") == 0) {
        r.p4 = 1;
        dp_warn_at(ctx, r.path, (int)root->line, 0,
                   "tei: TEI P4 document (<%s>): read as P5 (id/lang read as xml:id/xml:lang)", rn);
    } else if (root->ns && !in_tei_ns) {
        rc = dp_fail(ctx, DP_EINPUT, r.path, (int)root->line, 0,
                     "tei: root element <%s> is in namespace %s, not TEI (%s)", rn,
                     (const char *)root->ns->href, TEI_NS);
        goto cleanup;
    } else if (!in_tei_ns && (strcmp(rn, "TEI") == 0 || strcmp(rn, "teiCorpus") == 0)) {
        dp_warn_at(ctx, r.path, (int)root->line, 0, "tei: <%s> without the TEI namespace: read as TEI P5", rn);
    }

    if (strcmp(rn, "TEI") == 0 || strcmp(rn, "TEI.2") == 0 || strcmp(rn, "teiCorpus") == 0 ||
        strcmp(rn, "teiCorpus.2") == 0) {
        const char *lang = tr_xml_attr(&r, root, "lang");
        if (lang)
            dp_meta_set_string(doc, dp_doc_meta(doc), "language", lang);
        const xmlNode *hdr = child_el(root, "teiHeader");
        if (hdr && (rc = tei_read_header(ctx, doc, hdr, r.path)) != 0)
            goto cleanup;
        if (hdr)
            tr_prefixes_read(&r, hdr);
        if (!hdr)
            dp_warn_at(ctx, r.path, (int)root->line, 0, "tei: no teiHeader: the document has no metadata");
        if (strncmp(rn, "teiCorpus", 9) == 0) {
            dp_warn_at(ctx, r.path, (int)root->line, 0,
                       "tei: a corpus: the texts of its TEI documents are read one after the other");
            for (const xmlNode *c = root->children; c && !r.err; c = c->next)
                if (c->type == XML_ELEMENT_NODE && strncmp((const char *)c->name, "TEI", 3) == 0)
                    r_tei(&r, c, 1);
        } else {
            r_tei(&r, root, 0);
        }
    } else {
        dp_warn_at(ctx, r.path, (int)root->line, 0,
                   "tei: no <TEI> root element: <%s> read as a TEI fragment%s", rn,
                   in_tei_ns ? "" : " (no TEI namespace)");
        tr_index_notes(&r, root);
        r_blocks(&r, dp_doc_root(doc), root, 0, 0);
    }
    if (!r.err) {
        /* a collected note whose reference was never read (inside code, say) */
        int lost = xmlHashSize(r.referenced) - xmlHashSize(r.emitted);
        if (lost > 0)
            dp_warn_at(ctx, r.path, 0, 0, "tei: %d note(s) referenced from a place that was not read: dropped",
                       lost);
    }
    if (r.err) {
        rc = r.err;
        goto cleanup;
    }
    tidy_whitespace(doc);
    /* local <graphic url> files next to the TEI file into resources (plugins/resload) */
    if ((rc = resload_from_options(ctx, doc)) != 0)
        goto cleanup;
    *out = doc;
    doc = NULL;

cleanup:
    tr_prefixes_free(&r);
    xmlHashFree(r.reported, NULL);
    xmlHashFree(r.note_by_id, NULL);
    xmlHashFree(r.note_by_anchor, NULL);
    xmlHashFree(r.referenced, NULL);
    xmlHashFree(r.emitted, NULL);
    xmlFreeDoc(x);
    xmlFreeParserCtxt(pc);
    dp_doc_free(doc);
    return rc;
}

