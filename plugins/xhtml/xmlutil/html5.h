/* text/html parsed as browsers do (the WHATWG algorithm, by gumbo) into a
 * libxml2 document, so that the HTML reader's walk and the writer's raw-HTML
 * copy work on the same kind of tree whichever parser read the markup
 * (libxml2 stays for XHTML and for every serialisation).
 *
 * The tree is the one libxml2's HTML parser would give for the same
 * elements: HTML elements and their attributes carry no namespace; an
 * <svg> or <math> subtree carries the SVG or MathML namespace, declared on
 * its root, with SVG names in their camelCase; xml:lang and xlink:href are
 * namespaced attributes. Elements keep their source line (xmlGetLineNo).
 * <template> holds its contents as children. */
#ifndef DOCPIPE_HTML5_H
#define DOCPIPE_HTML5_H

#include <libxml/tree.h>
#include <stddef.h>

typedef struct html5_result {
    int errors;        /* HTML5 parse errors, each recovered as the standard says */
    int too_deep;      /* refused: tags nest deeper than max_depth (see html5_parse) */
    int depth_line;    /* where the nesting first went too deep */
    int nwhere;        /* positions of the first DP_HTML5_WHERE errors: */
    struct { int line, column; } where[10];
} html5_result;

#define DP_HTML5_WHERE 10

/* Parses len bytes of UTF-8 text (invalid sequences become U+FFFD). With
 * fragment, as the content of a <div> (HTML fragment parsing): the root
 * element is <html> and holds the fragment's nodes; else a whole document
 * (doctype kept as the internal subset). The standard's tree building is
 * quadratic in the nesting depth, so markup whose start tags nest deeper
 * than max_depth (a cheap upper bound, counted before parsing) is refused:
 * NULL with res->too_deep. NULL with !too_deep: out of memory. */
xmlDocPtr html5_parse(const char *text, size_t len, int fragment, int max_depth, html5_result *res);

#endif
