/* The id table of the writer: every id decided up front (xw_assign_ids), so
 * that a toc, a nav document or another file can name them before the body
 * is rendered; ids are XML names, unique, from the tree's ids or slugs of the
 * headings' text. */
#include "xw_internal.h"

#include <ctype.h>
#include <libxml/chvalid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* hash tables                                                          */

static size_t hash_ptr(const void *p)
{
    uintptr_t v = (uintptr_t)p;
    v ^= v >> 33;
    v *= 0xff51afd7ed558ccdULL;
    v ^= v >> 33;
    return (size_t)v;
}

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* The slot holding s, or the empty slot where it would go (cap > 0). */
static size_t strset_slot(const xw_strset *set, const char *s)
{
    size_t i;
    for (i = hash_str(s) & (set->cap - 1); set->slots[i]; i = (i + 1) & (set->cap - 1))
        if (strcmp(set->slots[i], s) == 0)
            break;
    return i;
}

static int strset_has(const xw_strset *set, const char *s)
{
    return set->cap && set->slots[strset_slot(set, s)];
}

/* The counter of s, adding s (with counter 0) when absent; NULL when out of
 * memory. s must be writer-owned (it is stored, not copied). */
static unsigned *strset_add(xw_strset *set, char *s)
{
    size_t i;
    if ((set->count + 1) * 2 > set->cap) {
        xw_strset grown = {NULL, NULL, set->cap ? set->cap * 2 : 256, set->count};
        grown.slots = calloc(grown.cap, sizeof *grown.slots);
        grown.counts = calloc(grown.cap, sizeof *grown.counts);
        if (!grown.slots || !grown.counts) {
            free(grown.slots);
            free(grown.counts);
            return NULL;
        }
        for (size_t j = 0; j < set->cap; j++) {
            if (!set->slots[j])
                continue;
            i = strset_slot(&grown, set->slots[j]);
            grown.slots[i] = set->slots[j];
            grown.counts[i] = set->counts[j];
        }
        free(set->slots);
        free(set->counts);
        *set = grown;
    }
    i = strset_slot(set, s);
    if (!set->slots[i]) {
        set->slots[i] = s;
        set->count++;
    }
    return &set->counts[i];
}

static xw_idslot *slot_find(const xw_writer *w, const dp_node *node)
{
    size_t i;
    if (!w->ids_cap)
        return NULL;
    for (i = hash_ptr(node) & (w->ids_cap - 1); w->ids[i].node; i = (i + 1) & (w->ids_cap - 1))
        if (w->ids[i].node == node)
            return &w->ids[i];
    return NULL;
}

static xw_idslot *slot_get(xw_writer *w, const dp_node *node)
{
    size_t i;
    xw_idslot *found = slot_find(w, node);
    if (found)
        return found;
    if ((w->ids_count + 1) * 2 > w->ids_cap) {
        size_t cap = w->ids_cap ? w->ids_cap * 2 : 256, j;
        xw_idslot *ids = calloc(cap, sizeof *ids);
        if (!ids)
            return NULL;
        for (j = 0; j < w->ids_cap; j++) {
            if (!w->ids[j].node)
                continue;
            for (i = hash_ptr(w->ids[j].node) & (cap - 1); ids[i].node; i = (i + 1) & (cap - 1))
                ;
            ids[i] = w->ids[j];
        }
        free(w->ids);
        w->ids = ids;
        w->ids_cap = cap;
    }
    for (i = hash_ptr(node) & (w->ids_cap - 1); w->ids[i].node; i = (i + 1) & (w->ids_cap - 1))
        ;
    w->ids[i].node = node;
    w->ids_count++;
    return &w->ids[i];
}

/* ------------------------------------------------------------------ */
/* ids                                                                  */

/* Non-ASCII characters allowed in XML names by XML 1.0 4th edition (the
 * stricter edition, which EPUB 2 validators apply): letters, digits,
 * combining marks, extenders. Name starts: letters only. */
static int xml_name_char(unsigned cp)
{
    return xmlIsBaseCharQ(cp) || xmlIsIdeographicQ(cp) || xmlIsCombiningQ(cp) || xmlIsDigitQ(cp) ||
           xmlIsExtenderQ(cp);
}

/* Whether s starts like an XML name (ASCII letter, '_' or a letter). */
static int xml_name_start(const char *s)
{
    unsigned char c0 = (unsigned char)s[0];
    size_t at = 0;
    if (c0 < 0x80)
        return isalpha(c0) || c0 == '_';
    uint32_t cp = dp_utf8_next(s, strlen(s), &at);
    return xmlIsBaseCharQ(cp) || xmlIsIdeographicQ(cp);
}

/* XHTML 1.1 ids are XML names: letters, digits, '.', '-', '_' and
 * non-ASCII name characters, starting with a letter or '_'. */
static char *xml_name_id(xw_writer *w, char *id)
{
    size_t n, i = 0;
    if (!XW_IS_X11(w) || !id)
        return id;
    n = strlen(id);
    while (i < n) {
        unsigned char c = (unsigned char)id[i];
        if (c < 0x80) {
            if (!(isalnum(c) || c == '.' || c == '-' || c == '_'))
                id[i] = '_';
            i++;
        } else {
            size_t start = i;
            uint32_t cp = dp_utf8_next(id, n, &i);
            if (!xml_name_char(cp))
                memset(id + start, '_', i - start);
        }
    }
    if (!xml_name_start(id))
        return xw_printf(w, "id-%s", id);
    return id;
}

int xw_id_taken(xw_writer *w, const char *full_id)
{
    return strset_has(&w->taken, full_id);
}

char *xw_full_id(xw_writer *w, const char *id)
{
    char *full = xw_printf(w, "%s%s", w->id_prefix, id);
    return full ? xml_name_id(w, full) : NULL;
}

/* base itself when free, else base-N with the smallest free N. Ids are never
 * given back, so every N below the last one tried for base is still taken
 * and the search resumes there. */
char *xw_unique_id(xw_writer *w, const char *base)
{
    char *id = xw_full_id(w, base);
    unsigned *n = NULL;
    if (id && strset_has(&w->taken, id)) {
        if (strset_has(&w->suffixed, base)) {
            n = &w->suffixed.counts[strset_slot(&w->suffixed, base)];
        } else {
            char *key = xw_strdup(w, base);
            if (!key || !(n = strset_add(&w->suffixed, key)))
                return NULL;
        }
    }
    while (id && strset_has(&w->taken, id)) {
        char *b = xw_printf(w, "%s-%u", base, ++*n);
        id = b ? xw_full_id(w, b) : NULL;
    }
    if (id && !strset_add(&w->taken, id))
        return NULL;
    return id;
}

/* Heading slug: lowercase ASCII letters and digits, '_', '.', '-' and
 * non-ASCII XML name characters (letters, digits, marks) kept; runs of
 * anything else become one '-'. The slug is an XML name in every flavour
 * (EPUB 2 needs one, and stable ids should not depend on the flavour): one
 * that would not start with a letter or '_' gets "id-" in front (as_name;
 * page labels are slugged without it, after "page-"). */
static char *slug(xw_writer *w, const char *text, int as_name)
{
    size_t n = strlen(text), o = 0, i = 0;
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    while (i < n) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x80) {
            if (isalnum(c) || c == '_' || c == '.')
                s[o++] = (char)tolower(c);
            else if (o > 0 && s[o - 1] != '-')
                s[o++] = '-';
            i++;
        } else {
            size_t start = i;
            uint32_t cp = dp_utf8_next(text, n, &i);
            if (xml_name_char(cp)) {
                memcpy(s + o, text + start, i - start);
                o += i - start;
            } else if (o > 0 && s[o - 1] != '-') {
                s[o++] = '-';
            }
        }
    }
    while (o > 0 && s[o - 1] == '-')
        o--;
    s[o] = '\0';
    if (o == 0) {
        free(s);
        return xw_strdup(w, "section");
    }
    if (as_name && !xml_name_start(s)) {
        char *named = xw_printf(w, "id-%s", s);
        free(s);
        return named;
    }
    return xw_keep(w, s);
}

/* An id usable in HTML: no whitespace, not empty. */
static const char *clean_id(xw_writer *w, const char *id)
{
    char *c;
    if (!strpbrk(id, " \t\n\r\f"))
        return id;
    c = xw_strdup(w, id);
    if (c)
        for (char *p = c; *p; p++)
            if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
                *p = '_';
    return c;
}

int xw_assign_ids(xw_writer *w)
{
    dp_iter it;
    dp_event ev;
    int counters[7] = {0};
    int min_level = 7, note_seq = 0, page_seq = 0;
    const dp_node *root = dp_doc_root(w->doc);
    int rc = 0;

    /* 1. Reserve every tree id (first occurrence wins), so generated ids never
     *    take an id an author wrote. */
    dp_iter_init(&it, root);
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        const dp_node *n = dp_iter_node(&it);
        const char *id;
        char *full;
        if (ev != DP_EV_ENTER)
            continue;
        if (dp_node_kind(n) == DP_HEADING && dp_node_heading_level(n) < min_level &&
            !dp_node_has_class(n, "unnumbered"))
            min_level = dp_node_heading_level(n);
        id = dp_node_id(n);
        if (!id || !*id)
            continue;
        id = clean_id(w, id);
        full = id ? xw_full_id(w, id) : NULL;
        if (!id || !full)
            return DP_ENOMEM;
        if (strset_has(&w->taken, full))
            continue; /* a duplicate: renamed in pass 2 */
        if (!strset_add(&w->taken, full)) {
            rc = DP_ENOMEM;
            goto cleanup;
        }
        {
            xw_idslot *slot = slot_get(w, n);
            if (!slot) {
                rc = DP_ENOMEM;
                goto cleanup;
            }
            slot->id = full;
        }
    }

    /* 2. Everything else, in document order. */
    dp_iter_init(&it, root);
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE) {
        const dp_node *n = dp_iter_node(&it);
        dp_kind k = dp_node_kind(n);
        xw_idslot *slot;
        const char *id;
        if (ev != DP_EV_ENTER)
            continue;
        id = dp_node_id(n);
        slot = slot_find(w, n);
        if (id && *id && !slot) {
            /* a duplicate id in the tree: keep the first, rename this one */
            slot = slot_get(w, n);
            if (!slot || !(slot->id = xw_unique_id(w, clean_id(w, id)))) {
                rc = DP_ENOMEM;
                goto cleanup;
            }
            if (w->ctx)
                dp_warn_node(w->ctx, n, "duplicate id \"%s\" written as \"%s\"", id, slot->id);
        }
        if (k == DP_HEADING) {
            int level = dp_node_heading_level(n);
            if (!slot) {
                char *s = slug(w, dp_node_plain_text(n, 1), 1);
                slot = slot_get(w, n);
                if (!s || !slot || !(slot->id = xw_unique_id(w, s))) {
                    rc = DP_ENOMEM;
                    goto cleanup;
                }
            }
            if (w->opts.number_sections && !dp_node_has_class(n, "unnumbered") && level >= min_level) {
                char buf[64] = "";
                size_t off = 0;
                counters[level]++;
                for (int l = level + 1; l <= 6; l++)
                    counters[l] = 0;
                for (int l = min_level; l <= level; l++)
                    off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%d", l > min_level ? "." : "",
                                            counters[l]);
                slot->number = xw_strdup(w, buf);
                if (!slot->number) {
                    rc = DP_ENOMEM;
                    goto cleanup;
                }
            }
        } else if (k == DP_NOTE) {
            /* id: the note element; number: the reference. A tree id on the
             * note names the reference point (where the NOTE sits). */
            char base[32];
            char *ref = slot ? slot->id : NULL;
            note_seq++;
            if (!slot)
                slot = slot_get(w, n);
            if (!slot) {
                rc = DP_ENOMEM;
                goto cleanup;
            }
            snprintf(base, sizeof base, "fn%d", note_seq);
            slot->id = xw_unique_id(w, base);
            if (!ref) {
                snprintf(base, sizeof base, "fnref%d", note_seq);
                ref = xw_unique_id(w, base);
            }
            slot->number = ref;
            if (!slot->id || !slot->number) {
                rc = DP_ENOMEM;
                goto cleanup;
            }
        } else if (k == DP_PAGE_BREAK && !slot) {
            const char *label = dp_node_label(n);
            char *base;
            page_seq++;
            base = label && *label ? slug(w, label, 0) : xw_printf(w, "%d", page_seq);
            if (base)
                base = xw_printf(w, "page-%s", base);
            slot = slot_get(w, n);
            if (!base || !slot || !(slot->id = xw_unique_id(w, base))) {
                rc = DP_ENOMEM;
                goto cleanup;
            }
        }
    }
cleanup:
    return rc;
}

const char *xw_id_of(const xw_writer *w, const dp_node *node)
{
    const xw_idslot *slot = slot_find(w, node);
    return slot ? slot->id : NULL;
}

const char *xw_node_id(const xw_writer *w, const dp_node *node)
{
    if (!w || !node)
        return NULL;
    return xw_id_of(w, node);
}

const char *xw_heading_number(const xw_writer *w, const dp_node *heading)
{
    const xw_idslot *slot;
    if (!w || !heading || dp_node_kind(heading) != DP_HEADING)
        return NULL;
    slot = slot_find(w, heading);
    return slot ? slot->number : NULL;
}

/* the reference id of a note (kept in the slot's second field) */
const char *xw_note_ref_id(const xw_writer *w, const dp_node *note);
const char *xw_note_ref_id(const xw_writer *w, const dp_node *note)
{
    const xw_idslot *slot = slot_find(w, note);
    return slot ? slot->number : NULL;
}

