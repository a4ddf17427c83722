/* See xmlu_init.h. Each module linking this static library registers the
 * hook; xmlInitParser() is idempotent, so two modules running it (one after
 * the other, under the loader's lock) is fine. */
#include <libxml/parser.h>

#include "xmlu_init.h"

int xmlu_module_init(dp_module_ctx *mctx)
{
    (void)mctx;
    xmlInitParser();
    return 0;
}
