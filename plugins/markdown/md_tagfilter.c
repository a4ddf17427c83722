/* GFM's "Disallowed Raw HTML" (the tagfilter extension of the GFM spec,
 * section 6.11): in raw HTML, the "<" that opens a start or end tag of
 * title, textarea, style, xmp, iframe, noembed, noframes, script or
 * plaintext becomes "&lt;", so the tag shows as text. cmark-gfm applies it
 * when it renders HTML; docpipe's reader applies it to the raw HTML it
 * reads (option tagfilter), so every writer gets the filtered text. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "md_internal.h"

/* Whether s[0..len) starts with a tag of a filtered element: "<", an
 * optional "/", the name (any case), then a space, ">" or "/>". */
static int filtered_tag(const char *s, size_t len)
{
    static const char *const names[] = {"title", "textarea", "style", "xmp", "iframe",
                                        "noembed", "noframes", "script", "plaintext"};
    size_t start = len > 1 && s[1] == '/' ? 2 : 1;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t n = strlen(names[k]), i = start;
        if (len < start + n || strncasecmp(s + start, names[k], n) != 0)
            continue;
        i += n;
        if (i >= len)
            continue;
        if (isspace((unsigned char)s[i]) || s[i] == '>' || (s[i] == '/' && i + 1 < len && s[i + 1] == '>'))
            return 1;
    }
    return 0;
}

int md_tagfilter(const char *s, size_t len, char **out, size_t *out_len)
{
    size_t hits = 0;
    *out = NULL;
    for (const char *p = memchr(s, '<', len); p; p = memchr(p + 1, '<', len - (size_t)(p + 1 - s)))
        if (filtered_tag(p, len - (size_t)(p - s)))
            hits++;
    if (hits == 0)
        return 0;
    char *o = malloc(len + 3 * hits + 1);
    if (!o)
        return DP_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '<' && filtered_tag(s + i, len - i)) {
            memcpy(o + n, "&lt;", 4);
            n += 4;
        } else {
            o[n++] = s[i];
        }
    }
    o[n] = '\0';
    *out = o;
    *out_len = n;
    return 0;
}
