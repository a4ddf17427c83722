/* Notes -> GFM footnotes. cmark-gfm's renderer reads a footnote reference's
 * label through a private link to its definition, which only the parser
 * sets: each reference and definition is made by parsing "[^L]" + "[^L]: x"
 * and the definition is then filled with the note's blocks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "md_write.h"

/* ------------------------------------------------------------------ */
/* Footnotes */

static int valid_label(const char *s)
{
    if (!s || !*s || strlen(s) > 200)
        return 0;
    for (; *s; s++)
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '[' || *s == ']' || *s == '\\' ||
            *s == '^')
            return 0;
    return 1;
}

/* A footnote reference and its definition for label, made by the parser.
 * *def receives the (unlinked) definition. */
static int footnote_nodes(md_writer *w, const char *label, cmark_node **ref, cmark_node **def)
{
    size_t n = strlen(label);
    char *text = malloc(2 * n + 16);
    cmark_node *doc = NULL;
    *ref = *def = NULL;
    if (!text)
        return mdw_nomem(w);
    sprintf(text, "[^%s]\n\n[^%s]: x\n", label, label);
    int rc = mdw_parse_snippet(w, text, CMARK_OPT_FOOTNOTES, &doc);
    free(text);
    if (rc < 0)
        return rc;
    cmark_node *para = cmark_node_first_child(doc);
    cmark_node *r = para ? cmark_node_first_child(para) : NULL;
    cmark_node *d = para ? cmark_node_next(para) : NULL;
    if (r && cmark_node_get_type(r) == CMARK_NODE_FOOTNOTE_REFERENCE && d &&
        cmark_node_get_type(d) == CMARK_NODE_FOOTNOTE_DEFINITION) {
        cmark_node_unlink(r);
        cmark_node_unlink(d);
        while (cmark_node_first_child(d))
            cmark_node_free(cmark_node_first_child(d));
        *ref = r;
        *def = d;
    }
    cmark_node_free(doc);
    return 0;
}

static int same_note(const dp_node *a, const dp_node *b)
{
    const char *ta = dp_node_plain_text(a, 0), *tb = dp_node_plain_text(b, 0);
    return ta && tb && strcmp(ta, tb) == 0;
}

/* ENTER of a DP_NOTE: the reference goes here, the definition (holding
 * the note's blocks) to the end of the document. */
int mdw_note_enter(md_writer *w, frame *f)
{
    const dp_node *note = f->node;
    const char *label = dp_node_label(note);
    char buf[64];
    char *fresh = NULL;
    int rc;

    if (label && !valid_label(label)) {
        dp_warn_node(w->ctx, note, "note label '%s' cannot be a Markdown footnote label: renumbered", label);
        label = NULL;
    }
    /* A label used before: the same note again shares the definition;
     * different content needs a label of its own. */
    for (int attempt = 1; label && attempt < 1000; attempt++) {
        size_t i;
        for (i = 0; i < w->nlabels; i++)
            if (strcmp(w->labels[i].label, label) == 0)
                break;
        if (i == w->nlabels)
            break;
        if (same_note(w->labels[i].note, note)) {
            cmark_node *ref, *def;
            rc = footnote_nodes(w, label, &ref, &def);
            if (rc < 0)
                return rc;
            if (!ref)
                return dp_fail(w->ctx, DP_EINTERNAL, NULL, 0, 0, "footnote [^%s] not made", label);
            rc = mdw_keep_spare(w, def);
            if (rc == 0)
                rc = mdw_add(w, ref);
            f->mode = FRAME_SKIP;
            return rc;
        }
        free(fresh);
        fresh = malloc(strlen(dp_node_label(note)) + 16);
        if (!fresh)
            return mdw_nomem(w);
        sprintf(fresh, "%s-%d", dp_node_label(note), attempt + 1);
        if (attempt == 1)
            dp_warn_node(w->ctx, note, "note label '%s' used for two different notes: the second written as [^%s]",
                         dp_node_label(note), fresh);
        label = fresh;
    }
    if (!label) {
        for (size_t k = w->nlabels + 1;; k++) {
            snprintf(buf, sizeof buf, "%zu", k);
            size_t i;
            for (i = 0; i < w->nlabels; i++)
                if (strcmp(w->labels[i].label, buf) == 0)
                    break;
            if (i == w->nlabels)
                break;
        }
        label = buf;
    }
    cmark_node *ref, *def;
    rc = footnote_nodes(w, label, &ref, &def);
    if (rc == 0 && !ref)
        rc = dp_fail(w->ctx, DP_EINTERNAL, NULL, 0, 0, "footnote [^%s] not made", label);
    if (rc == 0 && (mdw_grow((void **)&w->labels, &w->labels_cap, w->nlabels + 1, sizeof *w->labels) < 0 ||
                    mdw_grow((void **)&w->defs, &w->defs_cap, w->ndefs + 1, sizeof *w->defs) < 0))
        rc = mdw_nomem(w);
    if (rc == 0) {
        w->labels[w->nlabels].label = strdup(label);
        w->labels[w->nlabels].note = note;
        if (!w->labels[w->nlabels].label)
            rc = mdw_nomem(w);
        else
            w->nlabels++;
    }
    free(fresh);
    if (rc < 0) {
        if (ref)
            cmark_node_free(ref);
        if (def)
            cmark_node_free(def);
        return rc;
    }
    w->defs[w->ndefs++] = def;
    rc = mdw_add(w, ref);
    f->mode = FRAME_NODE;
    f->cm = def;
    return rc;
}
