/* Characters XML 1.0 (or HTML) does not allow, removed from a finished
 * libxml2 tree before it is serialised (TEI writer, EPUB package files and
 * content documents, HTML writer); white space
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

/* Which characters a format forbids. XML: XML 1.0's (above). HTML: the HTML
 * standard's rule for text and attribute values in either syntax (HTML5,
 * XHTML, so EPUB content documents too): no control character but white
 * space, no noncharacter. XML's and besides DEL, the C1 controls
 * U+0080..U+009F and the noncharacters (U+FDD0..U+FDEF, U+nFFFE/U+nFFFF);
 * a C1 control that windows-1252 reads as a character (0x97 an em dash) is
 * replaced by it (the mapping HTML gives &#128;..&#159;), as that is nearly
 * always what the author typed; the others are removed. */
typedef enum xmlu_char_rule { XMLU_CHARS_XML, XMLU_CHARS_HTML } xmlu_char_rule;

/* xmlu_drop_invalid_chars with the rule of the format. The warning (once
 * per document) names what, the counts, and where the first was: its code
 * point, element, attribute and the text just before it. */
size_t xmlu_drop_forbidden_chars(dp_ctx *ctx, xmlDocPtr doc, const char *what, xmlu_char_rule rule);

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

/* How many leading bytes of s[0..len) xmlu_collapse_ws leaves as they are
 * (either syntax): len when the text needs nothing collapsed, which most
 * texts do, so a caller can keep them without the copy. */
size_t xmlu_ws_unchanged(const char *s, size_t len);

#endif
