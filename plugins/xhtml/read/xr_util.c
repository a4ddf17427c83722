/* Small helpers over libxml2 nodes used by every part of the reader. */
#include "xr_internal.h"

#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

xr_info *xr_info_get(xr_session *s, xmlNodePtr n)
{
    if (!n)
        return NULL;
    if (!n->_private) {
        xr_info *info = dp_doc_alloc(s->doc, sizeof *info);
        if (!info)
            return NULL;
        n->_private = info;
    }
    return n->_private;
}

const char *xr_name(xmlNodePtr n)
{
    return (n && n->type == XML_ELEMENT_NODE && n->name) ? (const char *)n->name : "";
}

int xr_is_elem(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name && strcasecmp((const char *)n->name, name) == 0;
}

/* The attribute without namespace (HTML parser: every attribute) named
 * name in any case, or NULL. */
static xmlAttrPtr find_attr(xmlNodePtr n, const char *name)
{
    if (!n || n->type != XML_ELEMENT_NODE)
        return NULL;
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        if (!a->ns && a->name && strcasecmp((const char *)a->name, name) == 0)
            return a;
    }
    return NULL;
}

char *xr_attr(xmlNodePtr n, const char *name)
{
    xmlAttrPtr a = find_attr(n, name);
    return a ? (char *)xmlNodeGetContent((xmlNodePtr)a) : NULL;
}

int xr_has_attr(xmlNodePtr n, const char *name)
{
    return find_attr(n, name) != NULL;
}

/* The element's own attributes only: xmlGetNsProp would also search the
 * DTD for a defaulted one, hash lookups on every call in a document with
 * a DOCTYPE (issue 23: a third of the EPUB reader's note pass), and no
 * DTD docpipe reads (none is loaded) gives epub:type a default. */
static xmlAttrPtr find_epub_type(xmlNodePtr n)
{
    if (!n || n->type != XML_ELEMENT_NODE)
        return NULL;
    for (xmlAttrPtr a = n->properties; a; a = a->next)
        if (a->ns && a->ns->href && xmlStrEqual(a->ns->href, BAD_CAST XR_OPS_NS) && xmlStrEqual(a->name, BAD_CAST "type"))
            return a;
    return find_attr(n, "epub:type"); /* HTML parser: the prefix is part of the name */
}

char *xr_epub_type(xmlNodePtr n)
{
    xmlAttrPtr a = find_epub_type(n);
    return a ? (char *)xmlNodeGetContent((xmlNodePtr)a) : NULL;
}

char *xr_xml_id(xmlNodePtr n)
{
    for (xmlAttrPtr a = n && n->type == XML_ELEMENT_NODE ? n->properties : NULL; a; a = a->next)
        if (a->ns && a->ns->href && xmlStrEqual(a->ns->href, XML_XML_NAMESPACE) && xmlStrEqual(a->name, BAD_CAST "id"))
            return (char *)xmlNodeGetContent((xmlNodePtr)a);
    return NULL;
}

/* Whether the white-space separated list holds one of tokens (NULL-
 * terminated), in any case. */
static int has_token(const char *list, const char *const *tokens)
{
    const char *p = list;
    while (p && *p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
            p++;
        const char *start = p;
        while (*p && !(*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f'))
            p++;
        size_t l = (size_t)(p - start);
        for (const char *const *t = tokens; l && *t; t++)
            if (strlen(*t) == l && strncasecmp(start, *t, l) == 0)
                return 1;
    }
    return 0;
}

/* Whether attribute a's value holds one of tokens. The value is read where
 * the parser left it when it is one text node (nearly always): the note
 * pass asks a dozen such questions of every element on a reference's way
 * up, and a copy of the value for each was most of its cost (issue 23). */
static int attr_has_token(xmlAttrPtr a, const char *const *tokens)
{
    if (!a || !a->children)
        return 0; /* absent, or empty */
    if (a->children->type == XML_TEXT_NODE && !a->children->next)
        return a->children->content ? has_token((const char *)a->children->content, tokens) : 0;
    char *v = (char *)xmlNodeGetContent((xmlNodePtr)a); /* entity references: the joined value */
    int r = v ? has_token(v, tokens) : 0;
    xmlFree(v);
    return r;
}

int xr_attr_has_token(xmlNodePtr n, const char *attr, const char *token)
{
    const char *const tokens[] = {token, NULL};
    return attr_has_token(find_attr(n, attr), tokens);
}

int xr_epub_type_has(xmlNodePtr n, const char *token)
{
    const char *const tokens[] = {token, NULL};
    return attr_has_token(find_epub_type(n), tokens);
}

int xr_attr_has_any(xmlNodePtr n, const char *attr, const char *const *tokens)
{
    return attr_has_token(find_attr(n, attr), tokens);
}

int xr_epub_type_has_any(xmlNodePtr n, const char *const *tokens)
{
    return attr_has_token(find_epub_type(n), tokens);
}

xmlNodePtr xr_next_in(xmlNodePtr root, xmlNodePtr n, int skip_children)
{
    if (!skip_children && n->children && n->type == XML_ELEMENT_NODE)
        return n->children;
    while (n && n != root) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}


/* Text of an entity reference node into buf (NUL-terminated), "" if unknown.
 * Internal entities were replaced by their content after parsing, under
 * max-entity-expansion (xmlu_expand_entities): what is left is an HTML
 * entity name (&nbsp; in XHTML read without its DTD) or an external entity,
 * never loaded. */
static const char *entity_ref_text(xmlNodePtr ref, char buf[8])
{
    buf[0] = '\0';
    const htmlEntityDesc *e = ref->name ? htmlEntityLookup(ref->name) : NULL;
    if (e) {
        size_t l = dp_utf8_put(e->value, buf);
        buf[l] = '\0';
    }
    return buf;
}

xmlNodePtr xr_next_in_public(xmlNodePtr root, xmlNodePtr n)
{
    return xr_next_in(root, n, 0);
}

const char *xr_entity_text(xmlNodePtr ref, char buf[8])
{
    return entity_ref_text(ref, buf);
}

int xr_is_ws(const char *s)
{
    for (; s && *s; s++)
        if (!(*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f'))
            return 0;
    return 1;
}

typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->oom || !n)
        return;
    if (DP_ARRAY_RESERVE(b->p, b->cap, b->len + n + 1)) {
        b->oom = 1;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

char *xr_text_content(xmlNodePtr root, int collapse)
{
    sbuf b = { 0 };
    sb_add(&b, "", 0);
    if (root->type == XML_TEXT_NODE || root->type == XML_CDATA_SECTION_NODE) {
        if (root->content)
            sb_add(&b, (const char *)root->content, strlen((const char *)root->content));
    } else {
        for (xmlNodePtr n = root->children; n; n = xr_next_in(root, n, 0)) {
            if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
                sb_add(&b, (const char *)n->content, strlen((const char *)n->content));
            } else if (n->type == XML_ENTITY_REF_NODE) {
                char buf[8];
                const char *t = entity_ref_text(n, buf);
                sb_add(&b, t, strlen(t));
            } else if (xr_is_elem(n, "br")) {
                sb_add(&b, "\n", 1);
            }
        }
    }
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    if (!b.p)
        return calloc(1, 1);
    if (collapse) {
        size_t ol;
        char *c = xmlu_collapse_ws(b.p, b.len, 1, &ol);
        free(b.p);
        if (!c)
            return NULL;
        size_t start = (c[0] == ' ') ? 1 : 0;
        if (ol > start && c[ol - 1] == ' ')
            c[--ol] = '\0';
        if (start)
            memmove(c, c + 1, ol);
        return c;
    }
    return b.p;
}

char *xr_key(const char *file, const char *id)
{
    size_t fl = strlen(file), il = strlen(id);
    char *k = malloc(fl + il + 2);
    if (!k)
        return NULL;
    memcpy(k, file, fl);
    k[fl] = '\x1f';
    memcpy(k + fl + 1, id, il + 1);
    return k;
}

const char *xr_unique_id(xr_session *s, const char *want)
{
    if (!xmlHashLookup(s->used_ids, BAD_CAST want)) {
        xmlHashAddEntry(s->used_ids, BAD_CAST want, (void *)1);
        return dp_doc_strdup(s->doc, want);
    }
    size_t wl = strlen(want);
    char *buf = malloc(wl + 24);
    if (!buf)
        return NULL;
    for (unsigned long i = 2;; i++) {
        snprintf(buf, wl + 24, "%s-%lu", want, i);
        if (!xmlHashLookup(s->used_ids, BAD_CAST buf))
            break;
    }
    xmlHashAddEntry(s->used_ids, BAD_CAST buf, (void *)1);
    const char *r = dp_doc_strdup(s->doc, buf);
    free(buf);
    return r;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void percent_decode(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
            *o++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
}

char *xr_resolve_href(const char *base_file, const char *href, char **fragment)
{
    if (fragment)
        *fragment = NULL;
    if (!href)
        return NULL;
    /* A scheme ("http:", "mailto:") means an external link. */
    for (const char *p = href; *p && *p != '/' && *p != '?' && *p != '#'; p++)
        if (*p == ':')
            return NULL;
    if (href[0] == '/' || strchr(href, '\\'))
        return NULL;
    const char *hash = strchr(href, '#');
    size_t plen = hash ? (size_t)(hash - href) : strlen(href);
    const char *q = memchr(href, '?', plen);
    if (q)
        plen = (size_t)(q - href);
    char *rel = malloc(plen + 1);
    if (!rel)
        return NULL;
    memcpy(rel, href, plen);
    rel[plen] = '\0';
    percent_decode(rel);

    /* Join with the base directory, then fold "." and "..". */
    const char *slash = base_file ? strrchr(base_file, '/') : NULL;
    size_t dl = slash ? (size_t)(slash - base_file + 1) : 0;
    size_t rl = strlen(rel);
    char *joined = malloc(dl + rl + 1);
    if (!joined) {
        free(rel);
        return NULL;
    }
    if (rl == 0) {
        /* "#frag" alone: the base file itself */
        free(joined);
        joined = strdup(base_file ? base_file : "");
    } else {
        memcpy(joined, base_file, dl);
        memcpy(joined + dl, rel, rl + 1);
    }
    free(rel);
    if (!joined)
        return NULL;
    char *out = malloc(strlen(joined) + 1);
    if (!out) {
        free(joined);
        return NULL;
    }
    size_t o = 0;
    int bad = 0;
    char *save = NULL;
    for (char *seg = strtok_r(joined, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        if (strcmp(seg, ".") == 0)
            continue;
        if (strcmp(seg, "..") == 0) {
            if (o == 0) {
                bad = 1; /* climbs above the root */
                break;
            }
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* the slash */
            continue;
        }
        if (o > 0)
            out[o++] = '/';
        size_t sl = strlen(seg);
        memcpy(out + o, seg, sl);
        o += sl;
    }
    out[o] = '\0';
    free(joined);
    if (bad) {
        free(out);
        return NULL;
    }
    if (fragment && hash && hash[1]) {
        *fragment = strdup(hash + 1);
        if (*fragment)
            percent_decode(*fragment);
    }
    return out;
}

const char *xr_loc(dp_ctx *ctx, const char *file, long line, char buf[320])
{
    const char *input = dp_ctx_input_path(ctx);
    /* the core already names the input file: repeat only an inner file */
    if (input && file && strcmp(input, file) == 0)
        snprintf(buf, 320, "line %ld", line);
    else
        snprintf(buf, 320, "%s:%ld", file ? file : "?", line);
    return buf;
}
