/* dp_mathconv_lazy: mathconv_mathml_to_tex for a plugin that does not link
 * libxml2 (the Markdown plugin): the conversion lives in the helper module
 * helpers/mathconv.so beside the calling plugin, opened the first time a
 * formula needs it. A Markdown run without MathML then loads neither
 * libxml2 nor ICU nor libstdc++ (issue 23: one-word md->json 4.7 M
 * instructions, 3.7 M of them loading those). Static, PIC, no libxml2. */
#ifndef DOCPIPE_MATHCONV_LAZY_H
#define DOCPIPE_MATHCONV_LAZY_H

#include <stddef.h>

/* Returned when the helper cannot be opened (*unsupported then says why,
 * a string that lives as long as the process). */
#define MATHCONV_LAZY_NO_HELPER (-3)

/* As mathconv_mathml_to_tex (mathconv.h): 0 and *out (free() it), -1 with
 * *unsupported naming the construct, -2 out of memory; or
 * MATHCONV_LAZY_NO_HELPER. Thread-safe: the helper is opened once. */
int mathconv_lazy_mathml_to_tex(const char *mathml, size_t len, char **out, const char **unsupported);

#endif
