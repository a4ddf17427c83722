/* See xmlu_chars.h. One pass over the finished tree instead of a check in
 * every place a writer sets a text or an attribute: nothing can be missed,
 * headers and package metadata included. */
#include <stdlib.h>
#include <string.h>

#include "xmlu_chars.h"

/* Bytes of the character at s that XML 1.0 forbids (1 for a C0 control, 3
 * for U+FFFE/U+FFFF), or 0 when it is allowed. s is valid UTF-8. */
static size_t forbidden_at(const unsigned char *s)
{
    if (s[0] < 0x20 && s[0] != '\t' && s[0] != '\n' && s[0] != '\r')
        return 1;
    if (s[0] == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF))
        return 3;
    return 0;
}

/* The next byte that may start a forbidden character (a control byte, the
 * NUL at the end included, or 0xEF, the lead byte of U+FFFE/U+FFFF): a
 * tight loop over the plain text that makes up nearly every node. */
static const unsigned char *next_suspect(const unsigned char *c)
{
    while (*c >= 0x20 && *c != 0xEF)
        c++;
    return c;
}

typedef struct scrub {
    size_t removed;
    const xmlChar *elem, *attr; /* where the first removal was */
    int nomem;
} scrub;

/* Removes the forbidden characters of one text-like node's content. */
static void scrub_node(scrub *s, xmlNodePtr n, const xmlChar *elem, const xmlChar *attr)
{
    const unsigned char *c = n->content;
    size_t len, o = 0, found = 0, k;
    unsigned char *clean;
    if (!c)
        return;
    for (c = next_suspect(c); *c && !forbidden_at(c); c = next_suspect(c + 1))
        ;
    if (!*c)
        return; /* nothing to remove: the common case allocates nothing */
    c = n->content;
    len = strlen((const char *)c);
    clean = malloc(len + 1);
    if (!clean) {
        s->nomem = 1;
        return;
    }
    for (size_t i = 0; i < len;) {
        if ((k = forbidden_at(c + i)) != 0) {
            found++;
            i += k;
        } else
            clean[o++] = c[i++];
    }
    clean[o] = '\0';
    if (found) {
        if (!s->removed) {
            s->elem = elem;
            s->attr = attr;
        }
        s->removed += found;
        /* xmlNodeSetContent frees the old string (unless the dictionary
         * owns it) and stores a copy, raw: no entity parsing */
        xmlNodeSetContent(n, clean);
    }
    free(clean);
}

/* Calls visit on every text-like node of doc (texts, CDATA sections,
 * comments, processing instructions, and the text children of attributes),
 * with the element it belongs to and, for an attribute, the attribute's
 * name, and visit_element (if not NULL) on every element before its
 * attributes, until a visit sets *stop. An iterative pre-order walk: writers
 * and readers cap their depth, but a walk that needs no stack cannot
 * overflow one. */
typedef void (*visit_fn)(void *state, xmlNodePtr n, const xmlChar *elem, const xmlChar *attr);
typedef void (*visit_element_fn)(void *state, xmlNodePtr el);

static void walk_strings(xmlDocPtr doc, visit_fn visit, visit_element_fn visit_element, void *state,
                         const int *stop)
{
    for (xmlNodePtr n = doc->children; n && !*stop;) {
        if (n->type == XML_ELEMENT_NODE) {
            if (visit_element)
                visit_element(state, n);
            for (xmlAttrPtr a = n->properties; a; a = a->next)
                for (xmlNodePtr t = a->children; t; t = t->next)
                    if (t->type == XML_TEXT_NODE)
                        visit(state, t, n->name, a->name);
        } else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE ||
                   n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE) {
            visit(state, n, n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent->name : NULL, NULL);
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && !n->next) {
            n = n->parent;
            if (n && n->type != XML_ELEMENT_NODE)
                n = NULL; /* back at the document */
        }
        if (n)
            n = n->next;
    }
}

static void scrub_visit(void *state, xmlNodePtr n, const xmlChar *elem, const xmlChar *attr)
{
    scrub_node(state, n, elem, attr);
}

size_t xmlu_drop_invalid_chars(dp_ctx *ctx, xmlDocPtr doc, const char *what)
{
    scrub s;
    memset(&s, 0, sizeof s);
    if (!doc)
        return 0;
    walk_strings(doc, scrub_visit, NULL, &s, &s.nomem);
    if (s.nomem) {
        dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "out of memory");
        return (size_t)-1;
    }
    if (s.removed) {
        if (s.attr)
            dp_warn(ctx, "%s: %zu character%s not allowed in XML (control characters, U+FFFE/U+FFFF) removed, "
                         "the first from the %s attribute of <%s>",
                    what, s.removed, s.removed == 1 ? "" : "s", (const char *)s.attr,
                    s.elem ? (const char *)s.elem : "?");
        else
            dp_warn(ctx, "%s: %zu character%s not allowed in XML (control characters, U+FFFE/U+FFFF) removed, "
                         "the first from the text of <%s>",
                    what, s.removed, s.removed == 1 ? "" : "s", s.elem ? (const char *)s.elem : "?");
    }
    return s.removed;
}

/* ---- invalid UTF-8 left by a parser ------------------------------------ */

typedef struct repair {
    size_t replaced;
    int nomem;
} repair;

/* A malloc'd copy of s with every byte that starts no valid UTF-8 sequence
 * replaced by U+FFFD, or NULL when s is valid (*nomem set when out of
 * memory). */
static char *repaired(const xmlChar *s, repair *r)
{
    size_t len = strlen((const char *)s), n = 0;
    if (dp_utf8_span((const char *)s, len) == len)
        return NULL;
    char *out = dp_utf8_repair((const char *)s, len, NULL, &n);
    if (!out)
        r->nomem = 1;
    r->replaced += n;
    return out;
}

static void repair_visit(void *state, xmlNodePtr n, const xmlChar *elem, const xmlChar *attr)
{
    (void)elem;
    (void)attr;
    if (!n->content)
        return;
    char *fixed = repaired(n->content, state);
    if (fixed) {
        xmlNodeSetContent(n, BAD_CAST fixed); /* stores a copy, raw: no entity parsing */
        free(fixed);
    }
}

/* Element and attribute names too: the HTML parser takes non-ASCII bytes
 * into names as they come. */
static void repair_names(void *state, xmlNodePtr el)
{
    repair *r = state;
    char *fixed = el->name ? repaired(el->name, r) : NULL;
    if (fixed) {
        xmlNodeSetName(el, BAD_CAST fixed);
        free(fixed);
    }
    for (xmlAttrPtr a = el->properties; a && !r->nomem; a = a->next)
        if (a->name && (fixed = repaired(a->name, r)) != NULL) {
            xmlNodeSetName((xmlNodePtr)a, BAD_CAST fixed);
            free(fixed);
        }
}

long xmlu_repair_utf8(xmlDocPtr doc)
{
    repair r = {0, 0};
    if (!doc)
        return 0;
    walk_strings(doc, repair_visit, repair_names, &r, &r.nomem);
    return r.nomem ? -1 : (long)r.replaced;
}

char *xmlu_collapse_ws(const char *s, size_t len, int html, size_t *outlen)
{
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || (html && c == '\f')) {
            if (!space)
                out[o++] = ' ';
            space = 1;
        } else {
            out[o++] = c;
            space = 0;
        }
    }
    out[o] = '\0';
    if (outlen)
        *outlen = o;
    return out;
}
