/* notes: turns plain-text note encodings into real notes, or renumbers notes.
 *
 * mode: markers (default) — the encoding of plain text and of the speech's
 * seed: inline markers "[1]" in the text and, at the end of the document, a
 * run of paragraphs each starting with "[1]" holding the note. Each marker
 * becomes a DP_NOTE (label "1") holding its paragraph, at the marker. A
 * marker without a note, or a note without a marker, stays as text and is
 * reported.
 * mode: renumber — relabels every note 1, 2, 3 ... in reading order. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transforms.h"

/* Length of a leading "[label]" (label: digits, or "*"), 0 if none. */
static size_t marker_len(const char *s, size_t len)
{
    size_t i = 1;
    if (len < 3 || s[0] != '[')
        return 0;
    if (s[1] == '*') {
        i = 2;
    } else {
        while (i < len && i < 8 && isdigit((unsigned char)s[i]))
            i++;
        if (i == 1)
            return 0;
    }
    return i < len && s[i] == ']' ? i + 1 : 0;
}

typedef struct note_def {
    char label[8];
    dp_node *para;
    int used;
} note_def;

/* The trailing run of top-level paragraphs that start with a marker, in
 * document order, as a malloc'd array of *n entries. NULL with *n == 0 when
 * there is none; NULL with *n != 0 when out of memory. */
static note_def *collect_definitions(dp_node *root, size_t *n)
{
    dp_node *first = NULL;
    size_t count = 0;
    *n = 0;
    for (dp_node *b = dp_node_last_child(root); b; b = dp_node_prev(b)) {
        dp_node *t = dp_node_first_child(b);
        if (dp_node_kind(b) != DP_PARA || !t || dp_node_kind(t) != DP_TEXT ||
            !marker_len(dp_node_text(t), dp_node_text_len(t)))
            break;
        first = b;
        count++;
    }
    note_def *defs = count ? calloc(count, sizeof *defs) : NULL;
    if (!defs) {
        *n = count;
        return NULL;
    }
    for (dp_node *b = first; b; b = dp_node_next(b)) {
        dp_node *t = dp_node_first_child(b);
        size_t m = marker_len(dp_node_text(t), dp_node_text_len(t));
        memcpy(defs[*n].label, dp_node_text(t) + 1, m - 2);
        defs[*n].label[m - 2] = '\0';
        defs[*n].para = b;
        (*n)++;
    }
    return defs;
}

static note_def *find_def(note_def *defs, size_t n, const char *s, size_t m)
{
    for (size_t k = 0; k < n; k++)
        if (!defs[k].used && strlen(defs[k].label) == m - 2 && memcmp(defs[k].label, s + 1, m - 2) == 0)
            return &defs[k];
    return NULL;
}

/* Strips "[label]" and the spaces after it (no-break spaces too: the seed
 * has "[1]\u00A0Editor's note") from the note's paragraph. */
static int strip_marker(dp_node *para)
{
    dp_node *t = dp_node_first_child(para);
    const char *s = dp_node_text(t);
    size_t len = dp_node_text_len(t), m = marker_len(s, len);
    for (;;) {
        if (m < len && (s[m] == ' ' || s[m] == '\t'))
            m++;
        else if (m + 1 < len && (unsigned char)s[m] == 0xC2 && (unsigned char)s[m + 1] == 0xA0)
            m += 2;
        else
            break;
    }
    if (m == len) {
        dp_node_unlink(t);
        return 0;
    }
    return dp_node_set_text(t, s + m, len - m);
}

static int place_note(dp_node *text, size_t at, size_t m, note_def *def, dp_node **rest)
{
    dp_doc *doc = dp_node_doc(text);
    dp_node *marker = tf_split_text(text, at, at + m, DP_TEXT, rest);
    dp_node *note = dp_node_new(doc, DP_NOTE);
    if (!marker || !note || dp_node_set_label(note, def->label) != 0 || dp_node_insert_before(marker, note) != 0)
        return DP_ENOMEM;
    dp_node_unlink(marker);
    if (strip_marker(def->para) != 0 || dp_node_append_child(note, def->para) != 0)
        return DP_ENOMEM;
    def->used = 1;
    return 0;
}

static int convert_markers(dp_ctx *ctx, dp_doc *doc)
{
    dp_node *root = dp_doc_root(doc);
    size_t ndefs, placed = 0, ntexts = 0, cap = 0;
    note_def *defs = collect_definitions(root, &ndefs);
    dp_node **texts = NULL;
    int rc = 0;
    dp_iter it;

    if (!defs)
        return ndefs ? dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "notes: out of memory") : 0;
    /* Only text before the notes list holds markers. Collect the text nodes
     * first: placing notes edits the tree under the iterator. */
    dp_iter_init(&it, root);
    for (dp_event ev; (ev = dp_iter_next(&it)) != DP_EV_DONE;) {
        dp_node *n = dp_iter_node(&it);
        if (n == defs[0].para)
            break;
        if (ev != DP_EV_ENTER || dp_node_kind(n) != DP_TEXT)
            continue;
        if (DP_ARRAY_RESERVE(texts, cap, ntexts + 1)) {
            rc = DP_ENOMEM;
            goto cleanup;
        }
        texts[ntexts++] = n;
    }
    for (size_t k = 0; k < ntexts && rc == 0; k++) {
        dp_node *text = texts[k];
        size_t i = 0;
        while (text && rc == 0 && i < dp_node_text_len(text)) {
            const char *s = dp_node_text(text);
            size_t len = dp_node_text_len(text), m;
            note_def *def;
            if (s[i] != '[' || !(m = marker_len(s + i, len - i)) || !(def = find_def(defs, ndefs, s + i, m))) {
                i++;
                continue;
            }
            dp_node *rest = NULL;
            rc = place_note(text, i, m, def, &rest);
            placed++;
            text = rest;
            i = 0;
        }
    }
    if (rc == 0) {
        for (size_t k = 0; k < ndefs; k++)
            if (!defs[k].used)
                dp_warn_node(ctx, defs[k].para, "notes: no marker [%s] before the notes; the note stays a paragraph",
                             defs[k].label);
        dp_info(ctx, "notes: %zu marker(s) turned into notes", placed);
    }
cleanup:
    free(texts);
    free(defs);
    return rc ? dp_fail(ctx, rc, NULL, 0, 0, "notes: out of memory") : 0;
}

static int renumber(dp_ctx *ctx, dp_doc *doc)
{
    dp_iter it;
    long n = dp_opt_int(ctx, "start");
    char label[24];
    dp_iter_init(&it, dp_doc_root(doc));
    for (dp_event ev; (ev = dp_iter_next(&it)) != DP_EV_DONE;) {
        dp_node *node = dp_iter_node(&it);
        if (ev != DP_EV_ENTER || dp_node_kind(node) != DP_NOTE)
            continue;
        snprintf(label, sizeof label, "%ld", n++);
        if (dp_node_set_label(node, label) != 0)
            return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "notes: out of memory");
    }
    return 0;
}

static int notes(dp_ctx *ctx, dp_doc *doc)
{
    const char *mode = dp_opt_string(ctx, "mode");
    return strcmp(mode, "renumber") == 0 ? renumber(ctx, doc) : convert_markers(ctx, doc);
}

static const dp_option_spec options[] = {
    {"mode", DP_OPT_ENUM, "markers", "markers|renumber",
     "markers: [n] markers + trailing [n] paragraphs become notes; renumber: label notes 1..N"},
    {"start", DP_OPT_INT, "1", NULL, "renumber: the first label"},
    {NULL, 0, NULL, NULL, NULL},
};

const dp_plugin_desc tf_notes = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "transforms.notes",
    .name = "Notes from markers, renumbering",
    .version = "0.1.0",
    .kind = DP_PLUGIN_TRANSFORM,
    .format = "notes",
    .options = options,
    .transform_fn = notes,
    .description = "turn [n] markers and a trailing notes list into real notes, or renumber notes",
};
