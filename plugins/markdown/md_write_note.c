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

/* The labels given so far are found through a hash index (slots hold an
 * index into w->labels plus one): scanning every earlier label for each
 * note made writing n notes quadratic (issue 23: the 100 MB input's 20,460
 * notes cost 209 M string comparisons). */
static size_t label_hash(const char *s)
{
    size_t h = 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static long find_label(const md_writer *w, const char *label)
{
    size_t mask = w->label_slots_cap - 1;
    if (!w->label_slots)
        return -1;
    for (size_t h = label_hash(label) & mask;; h = (h + 1) & mask) {
        size_t v = w->label_slots[h];
        if (!v)
            return -1;
        if (strcmp(w->labels[v - 1].label, label) == 0)
            return (long)(v - 1);
    }
}

static void slot_in(size_t *slots, size_t cap, const char *label, size_t i)
{
    size_t h = label_hash(label) & (cap - 1);
    while (slots[h])
        h = (h + 1) & (cap - 1);
    slots[h] = i + 1;
}

/* Indexes w->labels[w->nlabels - 1], just added; the table stays at most
 * half full. 0, or -1 when out of memory. */
static int index_label(md_writer *w)
{
    if (2 * w->nlabels > w->label_slots_cap) {
        size_t cap = w->label_slots_cap ? 2 * w->label_slots_cap : 64;
        size_t *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i + 1 < w->nlabels; i++)
            slot_in(slots, cap, w->labels[i].label, i);
        free(w->label_slots);
        w->label_slots = slots;
        w->label_slots_cap = cap;
    }
    slot_in(w->label_slots, w->label_slots_cap, w->labels[w->nlabels - 1].label, w->nlabels - 1);
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
        long i = find_label(w, label);
        if (i < 0)
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
            if (find_label(w, buf) < 0)
                break;
        }
        label = buf;
    }
    cmark_node *ref, *def;
    rc = footnote_nodes(w, label, &ref, &def);
    if (rc == 0 && !ref)
        rc = dp_fail(w->ctx, DP_EINTERNAL, NULL, 0, 0, "footnote [^%s] not made", label);
    if (rc == 0 && (DP_ARRAY_RESERVE(w->labels, w->labels_cap, w->nlabels + 1) != 0 ||
                    DP_ARRAY_RESERVE(w->defs, w->defs_cap, w->ndefs + 1) != 0))
        rc = mdw_nomem(w);
    if (rc == 0) {
        w->labels[w->nlabels].label = strdup(label);
        w->labels[w->nlabels].note = note;
        if (!w->labels[w->nlabels].label)
            rc = mdw_nomem(w);
        else {
            w->nlabels++;
            if (index_label(w) < 0)
                rc = mdw_nomem(w);
        }
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
