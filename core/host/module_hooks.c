/* Module init/fini hooks (plugin ABI 1.1), once per process.
 *
 * dlopen returns the same handle for the same file however many registries
 * open it, so the handle identifies a module process-wide. A module's init
 * runs when the first registry hands out one of its plugins, and never
 * again in the process, however many registries come and go (plugin code
 * stays mapped until exit); its fini runs once, at process exit. One lock
 * serialises every init:
 * libraries whose global set-up is not thread-safe (libxml2, cmark-gfm's
 * extension registry) are set up there by their module, with no pthread_once
 * at the plugins' entry points. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "host/registry_priv.h"

struct dp_module_ctx {
    char message[512];
    int failed;
};

typedef struct hooked_module {
    void *handle;
    dp_module_fini_fn fini;
} hooked_module;

static pthread_mutex_t hooks_lock = PTHREAD_MUTEX_INITIALIZER;
static hooked_module *hooked;
static size_t nhooked, cap_hooked;
static int exit_handler_set;

/* At exit: every initialised module's fini, the last initialised first. */
static void run_finis(void)
{
    pthread_mutex_lock(&hooks_lock);
    while (nhooked > 0) {
        hooked_module h = hooked[--nhooked];
        if (h.fini)
            h.fini();
    }
    free(hooked);
    hooked = NULL;
    cap_hooked = 0;
    pthread_mutex_unlock(&hooks_lock);
}

DP_EXPORT int dp_module_fail(dp_module_ctx *mctx, const char *fmt, ...)
{
    if (mctx) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(mctx->message, sizeof mctx->message, fmt, ap);
        va_end(ap);
        mctx->failed = 1;
    }
    return DP_EPLUGIN;
}

static hooked_module *find_hooked(void *handle)
{
    for (size_t i = 0; i < nhooked; i++)
        if (hooked[i].handle == handle)
            return &hooked[i];
    return NULL;
}

int reg_module_acquire(reg_file *f, dp_error *err)
{
    int rc = 0;
    pthread_mutex_lock(&hooks_lock);
    hooked_module *h = find_hooked(f->handle);
    if (h) {
        /* initialised already, by this or an earlier registry */
    } else if (DP_ARRAY_RESERVE(hooked, cap_hooked, nhooked + 1) != 0) {
        rc = dp_error_set(err, DP_ENOMEM, f->path, 0, 0, "out of memory loading a plugin module");
    } else {
        dp_module_ctx mctx = {{0}, 0};
        int init_rc = f->init ? f->init(&mctx) : 0;
        if (init_rc != 0 || mctx.failed) {
            rc = dp_error_set(err, DP_EPLUGIN, f->path, 0, 0, "plugin module '%s' failed to initialise: %s",
                              f->module ? f->module : "?",
                              mctx.failed ? mctx.message : "its init hook returned an error");
        } else {
            hooked[nhooked++] = (hooked_module){f->handle, f->fini};
            if (f->fini && !exit_handler_set && atexit(run_finis) == 0)
                exit_handler_set = 1;
        }
    }
    if (rc == 0)
        f->hooked = 1;
    pthread_mutex_unlock(&hooks_lock);
    return rc;
}

void reg_module_release(reg_file *f)
{
    /* the module stays initialised for the rest of the process (see top) */
    if (f)
        f->hooked = 0;
}
