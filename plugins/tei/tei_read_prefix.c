/* Private URI schemes (TEI Guidelines 16.2.3, <prefixDef>): a pointer such
 * as "psn:fred" is shorthand that the header's prefixDef expands, e.g. with
 * matchPattern "([a-z]+)" and replacementPattern
 * "http://example.com/persons.html#$1", into a real address. The reader
 * expands it, so every writer gets the address the edition means (and the
 * HTML writer's safe mode, which knows no "psn:" scheme, keeps the link). */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "tei_read_internal.h"

struct tr_prefix {
    char *ident;
    char *replacement;
    regex_t match; /* matchPattern, anchored at both ends */
};

static void walk(tr *r, const xmlNode *e)
{
    for (const xmlNode *c = e ? e->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)c->name, "prefixDef") != 0) {
            walk(r, c);
            continue;
        }
        const char *ident = tr_attr(r, c, "ident"), *pattern = tr_attr(r, c, "matchPattern");
        const char *replacement = tr_attr(r, c, "replacementPattern");
        if (!ident || !pattern || !replacement || DP_ARRAY_RESERVE(r->prefixes, r->cap_prefixes, r->nprefixes + 1))
            continue;
        struct tr_prefix *p = &r->prefixes[r->nprefixes];
        size_t n = strlen(pattern) + 5;
        char *anchored = malloc(n);
        if (!anchored)
            continue;
        snprintf(anchored, n, "^(%s)$", pattern);
        int bad = regcomp(&p->match, anchored, REG_EXTENDED);
        free(anchored);
        if (bad) {
            dp_warn_at(r->ctx, r->path, (int)c->line, 0,
                       "tei: prefixDef '%s': matchPattern \"%s\" is not a regular expression this reader knows: "
                       "its pointers are kept as written", ident, pattern);
            continue;
        }
        p->ident = strdup(ident);
        p->replacement = strdup(replacement);
        if (!p->ident || !p->replacement) {
            free(p->ident);
            free(p->replacement);
            regfree(&p->match);
            continue;
        }
        r->nprefixes++;
    }
}

void tr_prefixes_read(tr *r, const xmlNode *header)
{
    walk(r, header);
}

const char *tr_prefix_expand(tr *r, const char *target)
{
    const char *colon = target ? strchr(target, ':') : NULL;
    if (!colon || r->nprefixes == 0)
        return target;
    for (size_t i = 0; i < r->nprefixes; i++) {
        struct tr_prefix *p = &r->prefixes[i];
        regmatch_t m[11];
        if (strlen(p->ident) != (size_t)(colon - target) || strncmp(p->ident, target, (size_t)(colon - target)) != 0 ||
            regexec(&p->match, colon + 1, 11, m, 0) != 0)
            continue;
        /* $1..$9 are the pattern's groups; group 1 of the anchored
         * expression is the whole pattern, so $k is m[k + 1] */
        dp_buf *out = NULL;
        if (dp_buf_new(&out) != 0)
            return target;
        for (const char *s = p->replacement; *s; s++) {
            if (s[0] == '$' && s[1] >= '1' && s[1] <= '9') {
                const regmatch_t *g = &m[s[1] - '0' + 1];
                if (g->rm_so >= 0)
                    dp_buf_append(out, colon + 1 + g->rm_so, (size_t)(g->rm_eo - g->rm_so));
                s++;
            } else {
                dp_buf_append(out, s, 1);
            }
        }
        const char *expanded = dp_doc_strndup(r->doc, (const char *)dp_buf_data(out), dp_buf_len(out));
        dp_buf_free(out);
        return expanded ? expanded : target;
    }
    return target;
}

void tr_prefixes_free(tr *r)
{
    for (size_t i = 0; i < r->nprefixes; i++) {
        free(r->prefixes[i].ident);
        free(r->prefixes[i].replacement);
        regfree(&r->prefixes[i].match);
    }
    free(r->prefixes);
    r->prefixes = NULL;
    r->nprefixes = r->cap_prefixes = 0;
}
