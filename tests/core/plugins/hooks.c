/* Module init/fini hooks (plugin ABI 1.1). The "hooks" module's init counts
 * its calls, and its exporter writes the count out: a run that converts many inputs (from many threads)
 * must show exactly one init (test core.module_hooks). With
 * -DHOOKS_INIT_FAILS the init reports a failure, which must refuse the
 * module's plugins with that message. */
#include <docpipe/docpipe.h>

#ifdef HOOKS_INIT_FAILS
#define HOOKS_ID "hooks-fail"
#else
#define HOOKS_ID "hooks"
#endif

static int inits; /* written by init only, which the loader runs before any export */

static int hooks_init(dp_module_ctx *mctx)
{
#ifdef HOOKS_INIT_FAILS
    return dp_module_fail(mctx, "the test library is missing (on purpose)");
#else
    (void)mctx;
    inits++;
    return 0;
#endif
}

static int hooks_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out)
{
    (void)ctx;
    (void)doc;
    return dp_buf_printf(out, "inits: %d\n", inits);
}

static const char *const hooks_ext[] = {"hooks", NULL};

static const dp_plugin_desc hooks_writer = {
    sizeof(dp_plugin_desc), HOOKS_ID ".writer", "module hook test writer", "1.0", DP_PLUGIN_EXPORTER,
    HOOKS_ID, NULL, hooks_ext, NULL, NULL, 0, NULL, hooks_export, NULL, "counts its module's init calls", 0 /* flags */};

static const dp_plugin_desc *const hooks_list[] = {&hooks_writer, NULL};
static const dp_plugin_module hooks_module =
    DP_PLUGIN_MODULE_INIT_HOOKS(HOOKS_ID, "1.0", hooks_list, hooks_init, NULL);

DP_PLUGIN_ENTRY_DECL
{
    return &hooks_module;
}
