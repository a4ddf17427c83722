/* Characters XML 1.0 does not allow, removed from a finished libxml2 tree
 * before it is serialised (TEI writer, EPUB package files); white space
 * collapsed as XML and HTML readers do. */
#ifndef DOCPIPE_XML_CHARS_H
#define DOCPIPE_XML_CHARS_H

#include <libxml/tree.h>

#include <docpipe/docpipe.h>

/* The tree may hold any valid UTF-8, but XML 1.0's Char production excludes
 * the C0 controls other than TAB, LF and CR, and U+FFFE/U+FFFF - not even as
 * character references - and libxml2 serialises them raw, giving output no
 * XML parser reads. Removes them from every text, CDATA section, comment and
 * attribute value of doc (libxml2 strings must be valid UTF-8, as the tree
 * guarantees). When something was removed, warns once through ctx, naming
 * what (e.g. "package.opf"), the count and where the first one was (the
 * element, and the attribute). Returns the number of characters removed,
 * or (size_t)-1 when out of memory (dp_fail called). */
size_t xmlu_drop_invalid_chars(dp_ctx *ctx, xmlDocPtr doc, const char *what);

/* libxml2's HTML parser, told (or sniffing) UTF-8, copies bytes that are
 * not UTF-8 into the tree as they are ("Input is not proper UTF-8"), and
 * the docpipe tree takes only valid UTF-8. Replaces each such byte in the
 * texts, attribute values, comments and element and attribute names of doc
 * by U+FFFD. Returns the number replaced, or -1 when out of memory. */
long xmlu_repair_utf8(xmlDocPtr doc);

/* s[0..len) with every run of white space made one space, malloc'd and
 * NUL-terminated (*outlen, may be NULL, gets its length); NULL when out of
 * memory. White space is XML's (space, tab, LF, CR), and HTML's form feed
 * too when html is non-zero. Leading and trailing runs stay (one space):
 * whether an edge space matters depends on the neighbours, which the
 * caller knows. */
char *xmlu_collapse_ws(const char *s, size_t len, int html, size_t *outlen);

#endif
