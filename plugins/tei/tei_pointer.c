/* A link's or graphic's address as a TEI pointer (teidata.pointer:
 * xsd:anyURI; @target is a white-space separated list of them).
 *
 * Addresses come from formats that take any text (Markdown's
 * [a](foo\)\:), <http://x/\[\>, <my file>): written as they are, tei_all
 * rejects them. The writer percent-encodes the characters a URI reference
 * may not hold (RFC 3986), as every browser does before use and as
 * cmark-gfm's own HTML does, so the address is the same one; a relative
 * reference whose first segment holds a colon ("foo):", which would read
 * as a scheme) gets the "./" RFC 3986 section 4.2 prescribes, and the
 * reader takes that "./" off again (tei_pointer_needs_dot): the tree keeps
 * the address as its source wrote it. Non-ASCII stays (an IRI: anyURI
 * allows it). libxml2's xmlURIEscapeStr does not fit: it encodes
 * non-ASCII and every '%', so an IRI or an address already encoded would
 * change. */
#include "tei_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Length of addr's scheme (without ':'), or 0 when it has none: with a
 * scheme (dp_url_has_scheme), its first ':' ends it. */
static size_t scheme_len(const char *addr)
{
    return dp_url_has_scheme(addr) ? (size_t)(strchr(addr, ':') - addr) : 0;
}

int tei_pointer_needs_dot(const char *addr)
{
    size_t seg = strcspn(addr, "/?#");
    return !scheme_len(addr) && memchr(addr, ':', seg) != NULL;
}

const char *tei_pointer_address(const char *pointer)
{
    if (pointer && strncmp(pointer, "./", 2) == 0 && tei_pointer_needs_dot(pointer + 2))
        return pointer + 2;
    return pointer;
}

/* Bytes no URI reference holds as they are (non-ASCII aside); '[' and ']'
 * only in the host ("http://[::1]/"). The control characters XML cannot
 * hold are left to the attribute writer, which drops and reports them. */
static int must_encode(unsigned char c, int in_host)
{
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x7F)
        return 1;
    if (c == '[' || c == ']')
        return !in_host;
    return c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' ||
           c == '}';
}

char *tei_pointer_of(const char *addr)
{
    size_t len = strlen(addr);
    char *out = malloc(3 * len + 3);
    if (!out)
        return NULL;
    size_t o = 0, i = 0;
    if (tei_pointer_needs_dot(addr)) {
        memcpy(out, "./", 2);
        o = 2;
    }
    /* the host: after "scheme://" up to the path, query or fragment */
    size_t host_start = len, host_end = len, sl = scheme_len(addr);
    if (sl && strncmp(addr + sl, "://", 3) == 0) {
        host_start = sl + 3;
        host_end = host_start + strcspn(addr + host_start, "/?#");
    }
    int fragment = 0;
    for (; i < len; i++) {
        unsigned char c = (unsigned char)addr[i];
        int encode = must_encode(c, i >= host_start && i < host_end) ||
                     (c == '%' && !(is_hex(addr[i + 1]) && is_hex(addr[i + 2]))) ||
                     (c == '#' && fragment); /* one fragment: a second '#' is its text */
        if (c == '#')
            fragment = 1;
        if (encode)
            o += (size_t)sprintf(out + o, "%%%02X", c);
        else
            out[o++] = (char)c;
    }
    out[o] = '\0';
    return out;
}
