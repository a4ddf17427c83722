/* safe mode (the default of the HTML and EPUB writers): what untrusted input
 * (Markdown from strangers, HTML pages, EPUBs, TEI) may put into the output.
 * An allow-list, not a deny-list: an element, attribute or URL scheme is
 * written only when it is known to run no script. A deny-list always lags
 * the browsers (<svg><animate attributeName="href" values="javascript:...">,
 * style="background:url(javascript:...)" and <img src="javascript:..."> all
 * went through the old one). Everything that is dropped is counted and
 * reported by the caller. */
#include "xw_internal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static int in_list(const char *name, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcasecmp(name, list[i]) == 0)
            return 1;
    return 0;
}

/* URL schemes that only navigate or name a resource. A URL without a scheme
 * (relative, #fragment, //host) is allowed. data: only for raster images
 * in src (an SVG or HTML data: document can hold script). */
int xw_safe_url(const char *url, int image)
{
    static const char *const schemes[] = {"http", "https", "mailto", "tel", "ftp", NULL};
    char scheme[16];
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)(url ? url : "");
    /* as browsers parse a URL: leading C0 controls and spaces are ignored,
     * tabs and newlines removed wherever they are ("java\tscript:") */
    while (*p && *p <= 0x20)
        p++;
    for (; *p; p++) {
        if (*p == '\t' || *p == '\n' || *p == '\r')
            continue;
        if (*p == ':')
            break;
        if (!(isalnum(*p) || *p == '+' || *p == '-' || *p == '.') || (n == 0 && !isalpha(*p)))
            return 1; /* not a scheme: a relative URL */
        if (n == sizeof scheme - 1)
            return 0; /* a scheme longer than any allowed one */
        scheme[n++] = (char)tolower(*p);
    }
    if (!*p || n == 0)
        return 1; /* no ':' (or none after a scheme): relative */
    scheme[n] = '\0';
    if (in_list(scheme, schemes))
        return 1;
    if (image && strcmp(scheme, "data") == 0) {
        const char *rest = (const char *)p + 1;
        return strncasecmp(rest, "image/png", 9) == 0 || strncasecmp(rest, "image/gif", 9) == 0 ||
               strncasecmp(rest, "image/jpeg", 10) == 0 || strncasecmp(rest, "image/webp", 10) == 0 ||
               strncasecmp(rest, "image/avif", 10) == 0;
    }
    return 0;
}

/* Elements written as they are: HTML's text, structure, tables, media and
 * embedded SVG shapes and MathML presentation markup. */
static const char *const kept_elements[] = {
    /* HTML */
    "a", "abbr", "address", "article", "aside", "audio", "b", "bdi", "bdo", "big", "blockquote", "br",
    "caption", "center", "cite", "code", "col", "colgroup", "data", "dd", "del", "details", "dfn", "div",
    "dl", "dt", "em", "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "i", "img", "ins", "kbd", "li", "main", "mark", "nav", "ol", "p", "picture", "pre", "q",
    "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "section", "small", "source", "span", "strike", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "track", "tt",
    "u", "ul", "var", "video", "wbr",
    /* SVG shapes and text (no animation, script, foreignObject, use) */
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "defs",
    "desc", "lineargradient", "radialgradient", "stop", "clippath", "mask", "pattern", "symbol", "marker",
    "image",
    /* MathML presentation (no annotation-xml: it can carry HTML) */
    "math", "mi", "mn", "mo", "ms", "mtext", "mspace", "mrow", "mfrac", "msqrt", "mroot", "msub", "msup",
    "msubsup", "munder", "mover", "munderover", "mtable", "mtr", "mtd", "mlabeledtr", "mstyle", "mpadded",
    "mphantom", "menclose", "merror", "mfenced", "mmultiscripts", "mprescripts", "none", "semantics",
    "annotation", NULL};

/* Elements dropped with their content: script, what embeds another
 * document or plugin, what only the <head> holds, form controls, and SVG
 * animation (which can set any attribute to a javascript: URL). */
static const char *const dropped_elements[] = {
    "script", "noscript", "style", "iframe", "frame", "frameset", "noframes", "object", "embed", "applet",
    "param", "base", "link", "meta", "title", "head", "template", "portal", "xmp", "plaintext", "noembed",
    "input", "button", "select", "textarea", "option", "optgroup", "datalist", "output", "keygen", "canvas",
    "dialog", "slot", "animate", "animatemotion", "animatetransform", "set", "discard", "foreignobject",
    "use", "handler", "listener", "annotation-xml", NULL};

xw_safe_verdict xw_safe_element(const char *name)
{
    if (in_list(name, kept_elements))
        return XW_SAFE_KEEP;
    if (in_list(name, dropped_elements))
        return XW_SAFE_DROP;
    return XW_SAFE_UNWRAP; /* unknown (custom elements, form, font tags ...): its content stays */
}

/* Attributes that hold no URL and run nothing, on any element. */
static const char *const plain_attributes[] = {
    "id", "class", "title", "lang", "xml:lang", "dir", "role", "hidden", "translate", "alt", "width",
    "height", "colspan", "rowspan", "headers", "scope", "abbr", "align", "valign", "start", "reversed",
    "type", "value", "span", "datetime", "name", "rel", "hreflang", "target", "open", "controls", "loop",
    "muted", "preload", "kind", "srclang", "label", "default", "media", "sizes", "loading", "decoding",
    "border", "cellpadding", "cellspacing", "summary", "frame", "rules", "nowrap", "color", "face", "size",
    "epub:type", "download", "tabindex", "accesskey", "draggable", "spellcheck", "inert", "contenteditable",
    "itemscope", "itemprop", "itemtype", "itemid", "itemref",
    /* SVG presentation */
    "viewbox", "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "points",
    "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "stroke-dasharray",
    "stroke-dashoffset", "stroke-miterlimit", "opacity", "fill-opacity", "stroke-opacity", "fill-rule",
    "clip-rule", "transform", "preserveaspectratio", "offset", "stop-color", "stop-opacity",
    "gradientunits", "gradienttransform", "patternunits", "patterntransform", "font-size", "font-family",
    "font-weight", "font-style", "text-anchor", "dominant-baseline", "dx", "dy", "version", "baseprofile",
    "markerwidth", "markerheight", "refx", "refy", "orient", "pathlength", "visibility", "display",
    /* MathML presentation */
    "mathvariant", "displaystyle", "scriptlevel", "mathsize", "mathcolor", "mathbackground", "fence",
    "separator", "stretchy", "symmetric", "largeop", "movablelimits", "accent", "accentunder", "form",
    "lspace", "rspace", "linethickness", "columnalign", "rowalign", "columnspan", "notation", "encoding",
    "close", "separators", "depth", "voffset", "minsize", "maxsize", "columnlines", "rowlines",
    "equalrows", "equalcolumns", "alttext", "xmlns", NULL};

/* Attributes holding one URL: kept when the URL is (xw_safe_url). */
static const char *const url_attributes[] = {"href", "src", "cite", "poster", NULL};

/* A style attribute is kept only when it cannot fetch or run anything: no
 * url(), image(), expression(), @import, escapes, behaviours or bindings. */
static int safe_style(const char *value)
{
    static const char *const banned[] = {"url", "image", "expression", "script", "behavior", "binding",
                                         "@", "\\", "&#", NULL};
    for (const char *p = value; *p; p++)
        for (size_t i = 0; banned[i]; i++)
            if (strncasecmp(p, banned[i], strlen(banned[i])) == 0)
                return 0;
    return 1;
}

int xw_safe_attribute(const char *element, const char *name, const char *value)
{
    if (!value)
        value = "";
    if (strncasecmp(name, "aria-", 5) == 0 || strncasecmp(name, "data-", 5) == 0)
        return 1;
    if (in_list(name, plain_attributes))
        return 1;
    if (strcasecmp(name, "style") == 0)
        return safe_style(value);
    if (in_list(name, url_attributes))
        return xw_safe_url(value, strcasecmp(name, "src") == 0 && element &&
                                      (strcasecmp(element, "img") == 0 || strcasecmp(element, "source") == 0));
    return 0; /* on* handlers, srcdoc, formaction, attributeName/values, srcset ... */
}
