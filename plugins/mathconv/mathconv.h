/* dp_mathconv: MathML and TeX for the plugins (static, PIC; link it PRIVATE).
 *
 * - reading a <math> element found in an (X)HTML or TEI tree into the
 *   tree's canonical form (one <math> in the MathML namespace, no prefix),
 *   with the TeX of its annotation, its alt text and its display flag;
 * - converting TeX to presentation MathML and presentation MathML to TeX for
 *   the subset people use (mathconv_tex.c, mathconv_mml.c). What is outside
 *   it is refused, never flattened: the caller keeps the original notation
 *   and reports it, naming the construct.
 *
 * Strings returned are malloc'd, NUL-terminated; free them with free(). */
#ifndef DOCPIPE_MATHCONV_H
#define DOCPIPE_MATHCONV_H

#include <stddef.h>

#include <libxml/tree.h>

#define MATHCONV_MATHML_NS "http://www.w3.org/1998/Math/MathML"

typedef struct mathconv_read {
    char *mathml;  /* canonical serialisation of the <math> element */
    char *tex;     /* <annotation encoding="application/x-tex"> (or TeX/LaTeX), else NULL */
    char *alt;     /* alttext, else aria-label, else NULL */
    int display;   /* display="block" (or MathML 1 mode="display") */
} mathconv_read;

/* Whether el is a <math> element: in the MathML namespace, or (HTML
 * parser) named "math" or "prefix:math". */
int mathconv_is_math(xmlNodePtr el);
/* Reads el (a <math>) into out. 0, or -1 when out of memory (out is then
 * empty). Prefixes are dropped, every element is put in the MathML
 * namespace; empty elements that an HTML parser left holding their
 * following siblings (<mspace/>) give them back. */
int mathconv_read_math(xmlNodePtr el, mathconv_read *out);
void mathconv_read_free(mathconv_read *r);

/* TeX -> MathML: a <math> element (display="block" when display), with the
 * TeX kept in <annotation encoding="application/x-tex">. 0 and *out, or -1
 * with *unsupported naming the first construct outside the subset (a
 * static string such as "\\begin{align}"), or -2 when out of memory. */
int mathconv_tex_to_mathml(const char *tex, size_t len, int display, char **out, const char **unsupported);

/* MathML (a serialised <math>) -> TeX. When the MathML holds a TeX
 * annotation, that is returned as it is. 0, -1 (with *unsupported naming
 * the first element outside the subset) or -2 when out of memory. */
int mathconv_mathml_to_tex(const char *mathml, size_t len, char **out, const char **unsupported);

#endif
