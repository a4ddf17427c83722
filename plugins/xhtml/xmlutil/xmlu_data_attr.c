/* data-* attribute names for tree keys, and back (xmlu_data_attr.h). */
#include "xmlu_data_attr.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define TEI_KEY "tei:"
#define TEI_DATA "data-tei-"

char *xmlu_data_attr_name(const char *key)
{
    size_t len = strlen(key);
    /* at worst every character doubles ("A" -> "_a") */
    char *name = malloc(5 + 2 * len + 1), *o = name;
    if (!name)
        return NULL;
    memcpy(o, "data-", 5);
    o += 5;
    int tei = strncmp(key, TEI_KEY, strlen(TEI_KEY)) == 0, colons = 0;
    for (const char *p = key; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (tei && c == ':') {
            *o++ = colons++ ? '.' : '-';
        } else if (c >= 'A' && c <= 'Z') {
            if (tei)
                *o++ = '_';
            *o++ = (char)(c - 'A' + 'a');
        } else if (isalnum(c) || c == '-' || c == '_' || c == '.' || c >= 0x80) {
            *o++ = (char)c;
        } else {
            *o++ = '-';
        }
    }
    *o = '\0';
    return name;
}

char *xmlu_data_attr_key(const char *name, int *oom)
{
    *oom = 0;
    if (strncmp(name, TEI_DATA, strlen(TEI_DATA)) != 0 || !name[strlen(TEI_DATA)])
        return NULL;
    const char *p = name + strlen(TEI_DATA);
    char *key = malloc(strlen(TEI_KEY) + strlen(p) + 1), *o = key;
    if (!key) {
        *oom = 1;
        return NULL;
    }
    memcpy(o, TEI_KEY, strlen(TEI_KEY));
    o += strlen(TEI_KEY);
    for (; *p; p++) {
        if (*p == '.') {
            *o++ = ':';
        } else if (*p == '_' && p[1] >= 'a' && p[1] <= 'z') {
            *o++ = (char)(*++p - 'a' + 'A');
        } else if (*p >= 'A' && *p <= 'Z') {
            /* the HTML parser lowercases names; an XHTML one made by hand may not */
            *o++ = (char)(*p - 'A' + 'a');
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return key;
}
