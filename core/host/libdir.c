/* Where libdocpipe.so itself was loaded from, for the plugin search path:
 * <libdir>/docpipe/plugins is where both the build tree and an install put
 * the plugins, wherever the prefix is. dladdr is a GNU extension. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>

#include "host/registry_priv.h"

/* any object of the library: its address tells dladdr which file it is */
static const char anchor = 0;

char *reg_library_plugin_dir(void)
{
    Dl_info info;
    char *dir, *plug;
    if (!dladdr(&anchor, &info) || !info.dli_fname || !info.dli_fname[0])
        return NULL;
    dir = dpu_dirname(info.dli_fname);
    plug = dir ? dpu_printf("%s/docpipe/plugins", dir) : NULL;
    free(dir);
    return plug;
}
