/* An image's MIME type from its magic bytes, never from its name (the
 * loaders of local images and of --epub-cover-image share it). */
#include <docpipe/dp_tree.h>

#include <string.h>

static int starts(const unsigned char *d, size_t len, const char *magic, size_t mlen)
{
    return len >= mlen && memcmp(d, magic, mlen) == 0;
}

/* SVG is text: after an optional BOM, whitespace, XML declaration, comments
 * and DOCTYPE, the first element must be <svg> (prefixed or not). */
static int is_svg(const unsigned char *d, size_t len)
{
    size_t i = 0;
    if (len > 4096)
        len = 4096; /* the root element comes early in any real SVG */
    if (starts(d, len, "\xEF\xBB\xBF", 3))
        i = 3;
    for (;;) {
        while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
            i++;
        if (i >= len || d[i] != '<')
            return 0;
        if (i + 1 < len && (d[i + 1] == '?' || d[i + 1] == '!')) {
            /* declaration, comment or DOCTYPE: skip to its end */
            const char *end = d[i + 1] == '!' && i + 3 < len && d[i + 2] == '-' && d[i + 3] == '-' ? "-->" : ">";
            size_t el = strlen(end);
            size_t j = i + 2;
            while (j + el <= len && memcmp(d + j, end, el) != 0)
                j++;
            if (j + el > len)
                return 0;
            i = j + el;
            continue;
        }
        size_t j = i + 1;
        while (j < len && d[j] != ' ' && d[j] != '>' && d[j] != '/' && d[j] != '\t' && d[j] != '\r' &&
               d[j] != '\n')
            j++;
        size_t nlen = j - (i + 1);
        const unsigned char *name = d + i + 1;
        const unsigned char *colon = memchr(name, ':', nlen);
        if (colon) {
            nlen -= (size_t)(colon + 1 - name);
            name = colon + 1;
        }
        return nlen == 3 && memcmp(name, "svg", 3) == 0;
    }
}

DP_EXPORT const char *dp_sniff_image_type(const void *data, size_t len)
{
    const unsigned char *d = data;
    if (!d)
        return NULL;
    if (starts(d, len, "\x89PNG\r\n\x1a\n", 8))
        return "image/png";
    if (starts(d, len, "\xFF\xD8\xFF", 3))
        return "image/jpeg";
    if (starts(d, len, "GIF87a", 6) || starts(d, len, "GIF89a", 6))
        return "image/gif";
    if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
        return "image/webp";
    if (is_svg(d, len))
        return "image/svg+xml";
    return NULL;
}
