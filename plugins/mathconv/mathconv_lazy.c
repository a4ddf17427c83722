/* See mathconv_lazy.h. The helper is found next to the module that links
 * this code (dladdr on one of its own objects), so the build tree and an
 * installed or moved plugin folder work alike. It is never closed: its
 * strings and libxml2's globals live until the process ends. */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "mathconv_lazy.h"

typedef void (*init_fn)(void);
typedef int (*convert_fn)(const char *, size_t, char **, const char **);

/* any object of this module: its address tells dladdr which file it is */
static const char anchor = 0;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static convert_fn convert;
static char why[512]; /* why the helper could not be opened (paths cut at 400 bytes) */

static void open_helper(void)
{
    Dl_info info;
    char path[4096];
    if (!dladdr(&anchor, &info) || !info.dli_fname) {
        snprintf(why, sizeof why, "the MathML-to-TeX helper cannot be found (dladdr failed)");
        return;
    }
    const char *slash = strrchr(info.dli_fname, '/');
    int dir = slash ? (int)(slash - info.dli_fname) : 1;
    if (snprintf(path, sizeof path, "%.*s/helpers/mathconv.so", dir, slash ? info.dli_fname : ".") >=
        (int)sizeof path) {
        snprintf(why, sizeof why, "the MathML-to-TeX helper's path is too long");
        return;
    }
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(why, sizeof why, "the MathML-to-TeX helper cannot be opened: %.400s", e ? e : path);
        return;
    }
    /* dlsym returns object pointers: copied into function pointers with
     * memcpy, as the core's loader does (-Wpedantic) */
    void *init_sym = dlsym(h, "mathconv_helper_init"), *conv_sym = dlsym(h, "mathconv_helper_mathml_to_tex");
    init_fn init;
    convert_fn conv;
    if (!init_sym || !conv_sym) {
        snprintf(why, sizeof why, "the MathML-to-TeX helper %.400s lacks its entry points", path);
        return;
    }
    memcpy(&init, &init_sym, sizeof init);
    memcpy(&conv, &conv_sym, sizeof conv);
    init();
    convert = conv;
}

int mathconv_lazy_mathml_to_tex(const char *mathml, size_t len, char **out, const char **unsupported)
{
    pthread_once(&once, open_helper);
    if (!convert) {
        *unsupported = why;
        return MATHCONV_LAZY_NO_HELPER;
    }
    return convert(mathml, len, out, unsupported);
}
