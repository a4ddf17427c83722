/* safe mode: what untrusted input (Markdown from strangers, HTML pages) may
 * not smuggle through the raw-HTML passthrough or links: anything that runs
 * script when the page is opened. A deny list of the script-capable parts of
 * HTML; everything else, text above all, passes. */
#include "xw_internal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* URL schemes that execute or load active content. Browsers ignore
 * whitespace and control characters inside the scheme ("java\tscript:"),
 * so they are skipped before comparing. data: is refused except for plain
 * images. */
int xw_unsafe_url(const char *url)
{
    char scheme[16];
    size_t n = 0;
    if (!url)
        return 0;
    for (const unsigned char *p = (const unsigned char *)url; *p && *p != ':' && n < sizeof scheme - 1; p++) {
        if (*p <= 0x20)
            continue;
        if (*p == '/' || *p == '?' || *p == '#')
            return 0; /* a relative URL: no scheme */
        scheme[n++] = (char)tolower(*p);
    }
    scheme[n] = '\0';
    if (!strchr(url, ':'))
        return 0;
    if (strcmp(scheme, "javascript") == 0 || strcmp(scheme, "vbscript") == 0)
        return 1;
    if (strcmp(scheme, "data") == 0) {
        const char *rest = strchr(url, ':') + 1;
        return !(strncasecmp(rest, "image/png", 9) == 0 || strncasecmp(rest, "image/gif", 9) == 0 ||
                 strncasecmp(rest, "image/jpeg", 10) == 0 || strncasecmp(rest, "image/webp", 10) == 0);
    }
    return 0;
}

int xw_unsafe_element(const char *name)
{
    static const char *const deny[] = {"script", "style",  "iframe", "frame", "frameset", "object", "embed",
                                       "applet", "base",   "link",   "meta",  "template", "portal", NULL};
    for (size_t i = 0; deny[i]; i++)
        if (strcasecmp(name, deny[i]) == 0)
            return 1;
    return 0;
}

int xw_unsafe_attribute(const char *name, const char *value)
{
    static const char *const url_attrs[] = {"href", "src", "action", "formaction", "xlink:href", "poster",
                                            "background", "srcdoc", "data", "codebase", NULL};
    if (strncasecmp(name, "on", 2) == 0)
        return 1; /* event handlers: onclick, onerror, onload ... */
    if (strcasecmp(name, "srcdoc") == 0)
        return 1; /* a whole document, scripts included */
    for (size_t i = 0; url_attrs[i]; i++)
        if (strcasecmp(name, url_attrs[i]) == 0)
            return xw_unsafe_url(value);
    return 0;
}
