/* epub_reader: small libxml2 helpers shared by the package files
 * (epub_package.c, epub_opf_metadata.c, epub_nav_titles.c). */
#include "epub_pkg_internal.h"
#include "xhtml_read.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int ep_nomem(ez_archive *a)
{
    return dp_fail(a->ctx, DP_ENOMEM, a->path, 0, 0, "out of memory");
}

const char *ep_lname(xmlNodePtr n)
{
    return (n && n->type == XML_ELEMENT_NODE) ? (const char *)n->name : "";
}

int ep_is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

char *ep_prop(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name); /* no-namespace attribute */
    return (char *)v;
}

char *ep_trimmed_text(xmlNodePtr n)
{
    xmlChar *t = xmlNodeGetContent(n);
    if (!t)
        return NULL;
    char *s = (char *)t;
    size_t l = strlen(s);
    size_t b = 0;
    while (b < l && (s[b] == ' ' || s[b] == '\n' || s[b] == '\t' || s[b] == '\r'))
        b++;
    while (l > b && (s[l - 1] == ' ' || s[l - 1] == '\n' || s[l - 1] == '\t' || s[l - 1] == '\r'))
        l--;
    char *r = strndup(s + b, l - b);
    xmlFree(t);
    return r;
}

/* Reads a whole entry by name into a parsed XML doc; NULL (with a warning)
 * when absent or malformed. */
xmlDocPtr ep_read_xml(ez_archive *a, const char *name, int *rc)
{
    *rc = DP_OK;
    zip_int64_t i = ez_find(a, name);
    if (i < 0)
        return NULL;
    unsigned char *data;
    size_t len;
    if ((*rc = ez_read(a, i, &data, &len)) != DP_OK)
        return NULL;
    xmlDocPtr d = xr_parse_xml(a->ctx, name, data, len, rc);
    free(data);
    return d;
}

int ep_ends_with(const char *s, const char *suffix)
{
    size_t l = strlen(s), sl = strlen(suffix);
    return l >= sl && strcasecmp(s + l - sl, suffix) == 0;
}
