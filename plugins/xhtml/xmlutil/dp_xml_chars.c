/* See dp_xml_chars.h. One pass over the finished tree instead of a check in
 * every place a writer sets a text or an attribute: nothing can be missed,
 * headers and package metadata included. */
#include <stdlib.h>
#include <string.h>

#include "dp_xml_chars.h"

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

size_t dp_xml_drop_invalid_chars(dp_ctx *ctx, xmlDocPtr doc, const char *what)
{
    scrub s;
    xmlNodePtr n;
    memset(&s, 0, sizeof s);
    if (!doc)
        return 0;
    /* iterative pre-order walk: writers cap their depth, but a walk that
     * needs no stack cannot overflow one */
    for (n = doc->children; n && !s.nomem;) {
        if (n->type == XML_ELEMENT_NODE) {
            for (xmlAttrPtr a = n->properties; a; a = a->next)
                for (xmlNodePtr t = a->children; t; t = t->next)
                    if (t->type == XML_TEXT_NODE)
                        scrub_node(&s, t, n->name, a->name);
        } else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE ||
                   n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE) {
            scrub_node(&s, n, n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent->name : NULL,
                       NULL);
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
