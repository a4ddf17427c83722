/* The writer object: its strings, the id table (every id decided up front, so
 * that a toc, a nav document or another file can name them before the body is
 * rendered) and the element/attribute helpers every other file uses. */
#include "xw_internal.h"

#include <ctype.h>
#include <libxml/chvalid.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* strings owned by the writer                                          */

static char *keep(xw_writer *w, char *s)
{
    if (!s)
        return NULL;
    if (w->strings.count == w->strings.cap) {
        size_t cap = w->strings.cap ? w->strings.cap * 2 : 64;
        char **items = realloc(w->strings.items, cap * sizeof *items);
        if (!items) {
            free(s);
            return NULL;
        }
        w->strings.items = items;
        w->strings.cap = cap;
    }
    w->strings.items[w->strings.count++] = s;
    return s;
}

char *xw_strdup(xw_writer *w, const char *s)
{
    size_t n;
    char *copy;
    if (!s)
        s = "";
    n = strlen(s);
    copy = malloc(n + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, n + 1);
    return keep(w, copy);
}

char *xw_printf(xw_writer *w, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *s;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return keep(w, s);
}

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
    return keep(w, s);
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

/* ------------------------------------------------------------------ */
/* life cycle                                                           */

int xw_new(xw_writer **out, dp_ctx *ctx, const dp_doc *doc, const xw_options *opts)
{
    xw_writer *w;
    int rc;
    const char *lang;
    if (!out || !doc)
        return DP_EINVAL;
    *out = NULL;
    w = calloc(1, sizeof *w);
    if (!w)
        return DP_ENOMEM;
    w->ctx = ctx;
    w->doc = doc;
    if (opts) {
        w->opts = *opts;
    } else {
        xw_options def = XW_OPTIONS_INIT;
        w->opts = def;
    }
    if (w->opts.flavour != XW_XHTML)
        w->opts.epub_types = 0; /* epub:type is neither HTML5 syntax nor XHTML 1.1 */
    lang = w->opts.base_lang ? w->opts.base_lang : dp_meta_agreed_text(dp_doc_meta(doc), "language");
    w->id_prefix = xw_strdup(w, w->opts.id_prefix ? w->opts.id_prefix : "");
    w->base_lang = lang && *lang ? xw_strdup(w, lang) : NULL;
    w->this_file = xw_strdup(w, "");
    w->notes_file = xw_strdup(w, "");
    if (!w->id_prefix || !w->this_file || !w->notes_file || (lang && *lang && !w->base_lang)) {
        xw_free(w);
        return DP_ENOMEM;
    }
    w->opts.id_prefix = w->id_prefix;
    w->opts.base_lang = w->base_lang;
    rc = xw_assign_ids(w);
    if (rc != 0) {
        xw_free(w);
        return rc;
    }
    *out = w;
    return 0;
}

void xw_free(xw_writer *w)
{
    size_t i;
    if (!w)
        return;
    for (i = 0; i < w->strings.count; i++)
        free(w->strings.items[i]);
    free(w->strings.items);
    free(w->taken.slots);
    free(w->taken.counts);
    free(w->suffixed.slots);
    free(w->suffixed.counts);
    free(w->ids);
    free(w->notes);
    free(w);
}

int xw_set_files(xw_writer *w, const char *this_file, const char *notes_file)
{
    char *a, *b;
    if (!w)
        return DP_EINVAL;
    a = xw_strdup(w, this_file ? this_file : "");
    b = xw_strdup(w, notes_file ? notes_file : "");
    if (!a || !b)
        return DP_ENOMEM;
    w->this_file = a;
    w->notes_file = b;
    return 0;
}

/* ------------------------------------------------------------------ */
/* elements and attributes                                              */

xmlNsPtr xw_html_ns(xw_writer *w, xmlNodePtr near)
{
    xmlNsPtr ns;
    if (!XW_IS_XML(w) || !near)
        return NULL;
    ns = xmlSearchNsByHref(near->doc, near, BAD_CAST XW_XHTML_NS);
    if (!ns) {
        xmlNodePtr root = xmlDocGetRootElement(near->doc);
        ns = xmlNewNs(root ? root : near, BAD_CAST XW_XHTML_NS, NULL);
    }
    return ns;
}

/* Attributes XHTML 1.1 does not have. */
static int x11_dropped(xmlNodePtr el, const char *name)
{
    if (strcmp(name, "role") == 0 || strcmp(name, "lang") == 0 || strncmp(name, "aria-", 5) == 0 ||
        strncmp(name, "data-", 5) == 0 || strcmp(name, "hidden") == 0 || strcmp(name, "translate") == 0 ||
        strcmp(name, "draggable") == 0 || strcmp(name, "spellcheck") == 0 || strcmp(name, "inert") == 0 ||
        strcmp(name, "contenteditable") == 0 || strncmp(name, "item", 4) == 0 || strcmp(name, "loading") == 0 ||
        strcmp(name, "srcset") == 0 || strcmp(name, "sizes") == 0 || strcmp(name, "download") == 0 ||
        strcmp(name, "reversed") == 0 || strcmp(name, "target") == 0)
        return 1;
    if (strcmp((const char *)el->name, "ol") == 0 && (strcmp(name, "start") == 0 || strcmp(name, "type") == 0))
        return 1;
    return 0;
}

/* XHTML 1.1 has no HTML5 sectioning or figure elements, nor u: a div or
 * span carrying the HTML5 name as its class. */
static const char *x11_element(const char *name, const char **cls)
{
    static const char *const divs[] = {"section", "aside", "nav", "header", "footer", "figure",
                                       "figcaption", "main", "article", NULL};
    *cls = NULL;
    for (int i = 0; divs[i]; i++)
        if (strcmp(name, divs[i]) == 0) {
            *cls = divs[i];
            return "div";
        }
    if (strcmp(name, "u") == 0) {
        *cls = "underline";
        return "span";
    }
    return name;
}

xmlNodePtr xw_make_elem(xw_writer *w, xmlNodePtr near, xmlNsPtr ns, const char *name)
{
    const char *cls = NULL;
    xmlNodePtr el;
    if (XW_IS_X11(w))
        name = x11_element(name, &cls);
    el = xmlNewDocNode(near->doc, ns, BAD_CAST name, NULL);
    if (el && cls)
        xmlSetProp(el, BAD_CAST "class", BAD_CAST cls);
    return el;
}

int xw_x11_drops(xw_writer *w, xmlNodePtr el, const char *attr)
{
    return XW_IS_X11(w) && x11_dropped(el, attr);
}

xmlNodePtr xw_new_elem(xw_writer *w, xmlNodePtr parent, const char *name)
{
    xmlNodePtr el = xw_make_elem(w, parent, xw_html_ns(w, parent), name);
    if (!el)
        return NULL;
    if (!xmlAddChild(parent, el)) {
        xmlFreeNode(el);
        return NULL;
    }
    return el;
}

xmlNodePtr xw_elem(xw_writer *w, xmlNodePtr parent, const char *name)
{
    if (!w || !parent || !name)
        return NULL;
    return xw_new_elem(w, parent, name);
}

/* Sets an attribute; "class" adds to the classes already there. */
void xw_set(xw_writer *w, xmlNodePtr el, const char *name, const char *value)
{
    if (!el || !value)
        return;
    if (XW_IS_X11(w) && x11_dropped(el, name))
        return;
    if (strcmp(name, "class") == 0) {
        xmlChar *old = xmlGetNoNsProp(el, BAD_CAST "class");
        if (old && *old) {
            old = xmlStrcat(old, BAD_CAST " ");
            old = xmlStrcat(old, BAD_CAST value);
            xmlSetProp(el, BAD_CAST "class", old);
            xmlFree(old);
            return;
        }
        xmlFree(old);
    }
    xmlSetProp(el, BAD_CAST name, BAD_CAST value);
}

/* Appends t as parent's last child. Linked by hand: xmlAddChild merges a
 * text node into a text last child with xmlStrncat, which measures and
 * copies the whole text so far each time (quadratic over thousands of
 * consecutive plain blocks). Adjacent text nodes serialise the same. */
static void append_text_node(xmlNodePtr parent, xmlNodePtr t)
{
    t->parent = parent;
    t->doc = parent->doc;
    t->prev = parent->last;
    if (parent->last)
        parent->last->next = t;
    else
        parent->children = t;
    parent->last = t;
}

/* Text is added verbatim (libxml2 escapes it when serialising). Characters
 * HTML forbids (controls, noncharacters) stay until the page is finished:
 * the exporter removes them in one pass and says so
 * (xmlu_drop_forbidden_chars), never here in silence. */
void xw_add_text(xmlNodePtr parent, const char *text, size_t len)
{
    if (len == 0)
        return;
    xmlNodePtr t = xmlNewDocTextLen(parent->doc, BAD_CAST text, (int)len);
    if (t)
        append_text_node(parent, t);
}

void xw_set_lang(xw_writer *w, xmlNodePtr el, const char *lang)
{
    if (!w || !el || !lang)
        return;
    if (!XW_IS_X11(w))
        xmlSetProp(el, BAD_CAST "lang", BAD_CAST lang);
    if (XW_IS_XML(w)) {
        xmlNsPtr xml = xmlSearchNsByHref(el->doc, el, XML_XML_NAMESPACE);
        if (xml)
            xmlSetNsProp(el, xml, BAD_CAST "lang", BAD_CAST lang);
    }
}

static xmlNsPtr epub_ns(xmlNodePtr el)
{
    xmlNsPtr ns = xmlSearchNsByHref(el->doc, el, BAD_CAST XW_EPUB_NS);
    if (!ns) {
        xmlNodePtr root = xmlDocGetRootElement(el->doc);
        ns = xmlNewNs(root ? root : el, BAD_CAST XW_EPUB_NS, BAD_CAST "epub");
    }
    return ns;
}

void xw_set_role(xw_writer *w, xmlNodePtr el, const char *role, const char *epub_type)
{
    if (!w || !el)
        return;
    if (epub_type && w->opts.epub_types) {
        xmlNsPtr ns = epub_ns(el);
        if (ns)
            xmlSetNsProp(el, ns, BAD_CAST "type", BAD_CAST epub_type);
    }
    if (role && !XW_IS_X11(w))
        xmlSetProp(el, BAD_CAST "role", BAD_CAST role);
}

int xw_node_has_attrs(const dp_node *node)
{
    return dp_node_id(node) || dp_node_class_count(node) > 0 || dp_node_attr_count(node) > 0;
}

/* Attribute names that are valid on any HTML element as they are. */
static int global_attr(const char *key)
{
    static const char *const names[] = {"title", "dir", "role", "style", "hidden", "translate",
                                        "tabindex", "accesskey", "contenteditable", "draggable",
                                        "spellcheck", "inert", "itemscope", "itemprop", "itemtype",
                                        "itemid", "itemref", NULL};
    if (strncmp(key, "data-", 5) == 0 || strncmp(key, "aria-", 5) == 0)
        return 1;
    for (int i = 0; names[i]; i++)
        if (strcmp(key, names[i]) == 0)
            return 1;
    return 0;
}

/* The DPUB-ARIA role matching an epub:type (its first token that has one),
 * or NULL: epub:type from the source is written paired with its role. */
static const char *dpub_role(const char *types)
{
    static const char *const names[] = {
        "abstract", "acknowledgments", "afterword", "appendix", "bibliography", "chapter", "colophon",
        "conclusion", "cover", "credit", "credits", "dedication", "endnotes", "epigraph", "epilogue", "errata",
        "example", "footnote", "foreword", "glossary", "index", "introduction", "notice", "pagelist", "part",
        "preface", "prologue", "pullquote", "qna", "subtitle", "tip", "toc", NULL};
    static const char *const roles[] = {
        "doc-abstract", "doc-acknowledgments", "doc-afterword", "doc-appendix", "doc-bibliography",
        "doc-chapter", "doc-colophon", "doc-conclusion", "doc-cover", "doc-credit", "doc-credits",
        "doc-dedication", "doc-endnotes", "doc-epigraph", "doc-epilogue", "doc-errata", "doc-example",
        "doc-footnote", "doc-foreword", "doc-glossary", "doc-index", "doc-introduction", "doc-notice",
        "doc-pagelist", "doc-part", "doc-preface", "doc-prologue", "doc-pullquote", "doc-qna",
        "doc-subtitle", "doc-tip", "doc-toc", NULL};
    for (const char *p = types; *p;) {
        size_t n = strcspn(p, " \t\n");
        for (int i = 0; names[i]; i++)
            if (n && strlen(names[i]) == n && strncmp(p, names[i], n) == 0)
                return roles[i];
        p += n;
        p += strspn(p, " \t\n");
    }
    return NULL;
}

/* Elements that take any role (ARIA in HTML). */
static int generic_element(const char *el)
{
    return strcmp(el, "div") == 0 || strcmp(el, "span") == 0 || strcmp(el, "section") == 0 ||
           strcmp(el, "aside") == 0 || strcmp(el, "p") == 0;
}

/* Attribute names valid on particular elements. */
static int element_attr(const char *el, const char *key)
{
    static const char *const pairs[][2] = {
        {"img", "width"}, {"img", "height"}, {"img", "loading"}, {"img", "srcset"}, {"img", "sizes"},
        {"a", "rel"}, {"a", "hreflang"}, {"a", "type"}, {"a", "target"}, {"a", "download"},
        {"td", "headers"}, {"th", "headers"}, {"th", "scope"}, {"th", "abbr"}, {"ol", "reversed"},
        {"blockquote", "cite"}, {"q", "cite"}, {"del", "cite"}, {"del", "datetime"},
        {"col", "span"}, {"abbr", "title"}, {NULL, NULL}};
    for (int i = 0; pairs[i][0]; i++)
        if (strcmp(pairs[i][0], el) == 0 && strcmp(pairs[i][1], key) == 0)
            return 1;
    return 0;
}

/* data-KEY with KEY reduced to what a data-* name may hold in both
 * syntaxes: lowercase XML name characters. */
static char *data_name(xw_writer *w, const char *key)
{
    char *name = xw_printf(w, "data-%s", key);
    if (!name)
        return NULL;
    for (char *p = name + 5; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 'A' && c <= 'Z')
            *p = (char)(c - 'A' + 'a');
        else if (!(isalnum(c) || c == '-' || c == '_' || c == '.' || c >= 0x80))
            *p = '-';
    }
    return name;
}

void xw_apply_attrs(xw_writer *w, xmlNodePtr el, const dp_node *node, const char *extra_class)
{
    const char *id = xw_id_of(w, node);
    int nclass = dp_node_class_count(node), nattr = dp_node_attr_count(node);
    xmlChar *classes = NULL;

    if (id && dp_node_kind(node) != DP_NOTE)
        xw_set(w, el, "id", id);
    if (extra_class)
        classes = xmlStrdup(BAD_CAST extra_class);
    for (int i = 0; i < nclass; i++) {
        const char *c = dp_node_class_at(node, i);
        if (!c || !*c)
            continue;
        if (classes)
            classes = xmlStrcat(classes, BAD_CAST " ");
        classes = xmlStrcat(classes, BAD_CAST c);
    }
    if (classes) {
        xw_set(w, el, "class", (const char *)classes);
        xmlFree(classes);
    }
    for (int i = 0; i < nattr; i++) {
        const char *key = dp_node_attr_key_at(node, i);
        const char *value = dp_node_attr_value_at(node, i);
        if (!key || !*key || !value)
            continue;
        if (strcmp(key, "lang") == 0 || strcmp(key, "xml:lang") == 0 || strcmp(key, "id") == 0 ||
            strcmp(key, "class") == 0)
            continue; /* first-class fields, written from the node itself */
        if (strcmp(key, "epub:type") == 0 && w->opts.epub_types) {
            xmlNsPtr ns = epub_ns(el);
            if (ns && !xmlHasNsProp(el, BAD_CAST "type", BAD_CAST XW_EPUB_NS)) {
                xmlSetNsProp(el, ns, BAD_CAST "type", BAD_CAST value);
                const char *role = dpub_role(value);
                if (role && !xmlHasProp(el, BAD_CAST "role") && !dp_node_attr(node, "role") && !XW_IS_X11(w) &&
                    generic_element((const char *)el->name))
                    xmlSetProp(el, BAD_CAST "role", BAD_CAST role); /* paired, as Ace expects */
            }
            continue;
        }
        if (xmlHasProp(el, BAD_CAST key))
            continue; /* the writer already set it (role, href ...) */
        if (w->opts.safe && (global_attr(key) || element_attr((const char *)el->name, key)) &&
            !xw_safe_attribute((const char *)el->name, key, value)) {
            if (w->ctx)
                dp_warn_node(w->ctx, node, "safe: attribute %s left out (it could load or run script)", key);
            continue;
        }
        if (XW_IS_X11(w)) {
            if ((global_attr(key) || element_attr((const char *)el->name, key)) && !x11_dropped(el, key))
                xmlSetProp(el, BAD_CAST key, BAD_CAST value);
            else if (w->ctx)
                dp_warn_as(w->ctx, DP_WARN_PRESENTATION, "xhtml11.attrs", node, "attribute %s=\"%s\" cannot be written in XHTML 1.1", key, value);
        } else if (global_attr(key) || element_attr((const char *)el->name, key)) {
            xmlSetProp(el, BAD_CAST key, BAD_CAST value);
        } else {
            char *name = data_name(w, key);
            if (name && !xmlHasProp(el, BAD_CAST name))
                xmlSetProp(el, BAD_CAST name, BAD_CAST value);
        }
    }
}

char *xw_internal_href(xw_writer *w, const char *prefixed_id)
{
    if (w->opts.link_href) {
        const char *h = w->opts.link_href(w->opts.userdata, prefixed_id);
        if (h)
            return xw_strdup(w, h);
    }
    return xw_printf(w, "#%s", prefixed_id);
}
