/* mathconv.so, the helper module behind mathconv_lazy.h: MathML -> TeX with
 * libxml2, for a plugin that must not load libxml2 (with ICU and
 * libstdc++, about 3.7 M instructions per process) unless a document holds
 * MathML without TeX. Not a plugin: it sits in helpers/ under the plugin
 * folder, which discovery does not scan. */
#include <libxml/parser.h>

#include "mathconv.h"

#define HELPER_EXPORT __attribute__((visibility("default")))

/* Called once, under the loader's pthread_once, before any conversion:
 * libxml2 sets up its globals lazily and not thread-safely otherwise. */
HELPER_EXPORT void mathconv_helper_init(void);
HELPER_EXPORT int mathconv_helper_mathml_to_tex(const char *mathml, size_t len, char **out, const char **unsupported);

void mathconv_helper_init(void)
{
    xmlInitParser();
}

int mathconv_helper_mathml_to_tex(const char *mathml, size_t len, char **out, const char **unsupported)
{
    return mathconv_mathml_to_tex(mathml, len, out, unsupported);
}
