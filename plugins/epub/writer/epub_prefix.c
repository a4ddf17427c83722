/* epub_writer: vocabulary prefixes of epub:type on a page.
 *
 * epub:type values carried from a source book may use prefixed vocabularies
 * ("z3998:poem", "se:name.vessel.ship"). EPUB 3 wants every prefix declared
 * (EPUBCheck OPF-028 "Undeclared prefix"), in the page's epub:prefix
 * attribute. A prefix of a known vocabulary is declared there; a token with
 * an unknown prefix (no URI to declare it with) is dropped, reported once per
 * page and prefix. Unprefixed tokens (the EPUB structural vocabulary) are
 * left alone. */
#include "epub_book.h"

#include <stdlib.h>
#include <string.h>

static const struct vocab {
    const char *prefix, *uri;
} vocabs[] = {
    {"z3998", "http://www.daisy.org/z3998/2012/vocab/structure/#"},
    {"se", "https://standardebooks.org/vocab/1.0"},
    {"msv", "http://www.idpf.org/epub/vocab/structure/magazine/#"},
    {"prism", "http://www.prismstandard.org/specifications/3.0/PRISM_CV_Spec_3.0.htm#"},
};
#define NVOCABS (sizeof vocabs / sizeof vocabs[0])

static int vocab_of(const char *tok, size_t plen)
{
    for (size_t i = 0; i < NVOCABS; i++)
        if (strlen(vocabs[i].prefix) == plen && strncmp(vocabs[i].prefix, tok, plen) == 0)
            return (int)i;
    return -1;
}

/* Unknown prefixes already reported on this page (a short list). */
typedef struct seen {
    char names[16][32];
    int n;
} seen;

static int seen_add(seen *s, const char *p, size_t len)
{
    if (len >= sizeof s->names[0])
        len = sizeof s->names[0] - 1;
    for (int i = 0; i < s->n; i++)
        if (strlen(s->names[i]) == len && strncmp(s->names[i], p, len) == 0)
            return 0;
    if (s->n < (int)(sizeof s->names / sizeof s->names[0])) {
        memcpy(s->names[s->n], p, len);
        s->names[s->n++][len] = '\0';
    }
    return 1;
}

/* Rewrites one epub:type value: known prefixes recorded in used[], unknown
 * ones dropped. Returns the new value (malloc'd; "" when nothing is left),
 * NULL when out of memory. */
static char *filter_types(epubw_book *b, const char *page, const xmlNode *el, const char *value, int *used,
                          seen *reported)
{
    size_t vlen = strlen(value);
    char *out = malloc(vlen + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    const char *p = value;
    while (*p) {
        p += strspn(p, " \t\r\n");
        size_t tlen = strcspn(p, " \t\r\n");
        if (!tlen)
            break;
        const char *colon = memchr(p, ':', tlen);
        int keep = 1;
        if (colon) {
            int v = vocab_of(p, (size_t)(colon - p));
            if (v >= 0) {
                used[v] = 1;
            } else {
                keep = 0;
                if (seen_add(reported, p, (size_t)(colon - p)))
                    dp_warn_at(b->ctx, page, (int)xmlGetLineNo(el), 0,
                               "epub:type \"%.*s\": the vocabulary prefix \"%.*s\" is not known, so it cannot be "
                               "declared: dropped (and every other use of it on this page)",
                               (int)tlen, p, (int)(colon - p), p);
            }
        }
        if (keep) {
            if (o)
                out[o++] = ' ';
            memcpy(out + o, p, tlen);
            o += tlen;
        }
        p += tlen;
    }
    out[o] = '\0';
    return out;
}

int epubw_declare_prefixes(epubw_book *b, xmlDocPtr doc, const char *page)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || b->version == 2)
        return 0;
    int used[NVOCABS] = {0};
    seen reported = {.n = 0};
    /* document order without recursion */
    for (xmlNodePtr n = root; n;) {
        if (n->type == XML_ELEMENT_NODE) {
            xmlChar *v = xmlGetNsProp(n, (const xmlChar *)"type", (const xmlChar *)EPUBW_NS_OPS);
            if (v && strchr((const char *)v, ':')) {
                char *nv = filter_types(b, page, n, (const char *)v, used, &reported);
                if (!nv) {
                    xmlFree(v);
                    return DP_ENOMEM;
                }
                xmlNsPtr ops = xmlSearchNsByHref(doc, n, (const xmlChar *)EPUBW_NS_OPS);
                if (!*nv) {
                    xmlAttrPtr a = xmlHasNsProp(n, (const xmlChar *)"type", (const xmlChar *)EPUBW_NS_OPS);
                    if (a)
                        xmlRemoveProp(a);
                } else if (strcmp(nv, (const char *)v) != 0 && ops) {
                    xmlSetNsProp(n, ops, (const xmlChar *)"type", (const xmlChar *)nv);
                }
                free(nv);
            }
            xmlFree(v);
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && n != root && !n->next)
            n = n->parent;
        n = n && n != root ? n->next : NULL;
    }
    char decl[512];
    size_t o = 0;
    decl[0] = '\0';
    for (size_t i = 0; i < NVOCABS; i++)
        if (used[i] && o < sizeof decl)
            o += (size_t)snprintf(decl + o, sizeof decl - o, "%s%s: %s", o ? " " : "", vocabs[i].prefix,
                                  vocabs[i].uri);
    if (!o)
        return 0;
    xmlNsPtr ops = xmlSearchNsByHref(doc, root, (const xmlChar *)EPUBW_NS_OPS);
    if (!ops)
        ops = xmlNewNs(root, (const xmlChar *)EPUBW_NS_OPS, (const xmlChar *)"epub");
    if (!ops || !xmlSetNsProp(root, ops, (const xmlChar *)"prefix", (const xmlChar *)decl))
        return DP_ENOMEM;
    return 0;
}
