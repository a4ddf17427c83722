/* See dp_xml_init.h. Each module linking this static library registers the
 * hook; xmlInitParser() is idempotent, so two modules running it (one after
 * the other, under the loader's lock) is fine. */
#include <libxml/parser.h>

#include "dp_xml_init.h"

int dp_xml_module_init(dp_module_ctx *mctx)
{
    (void)mctx;
    xmlInitParser();
    return 0;
}
