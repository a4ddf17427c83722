/* Deliberately broken plugin modules, one per -DBROKEN_* flag, each of
 * which the loader must refuse with its own one-line reason (and, with
 * -DNEWER_MINOR_ZERO_TAIL, a newer minor's module that it must accept). The format
 * name equals the file's stem so that a config naming it gets the refusal. */
#include <stddef.h>

#include <docpipe/docpipe.h>

#ifndef BROKEN_NAME
#error "BROKEN_NAME must be defined"
#endif

#ifdef BROKEN_UNDEFINED_SYMBOL
/* Defined nowhere: a plugin built against a library it was not linked
 * with. Discovery opens files with RTLD_NOW, so this is refused there
 * instead of killing the process at the first call. */
void docpipe_test_undefined_function(void);
#endif

#ifndef BROKEN_NULL_FN
static int b_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out)
{
    (void)ctx;
    (void)doc;
#ifdef BROKEN_UNDEFINED_SYMBOL
    docpipe_test_undefined_function();
#endif
    return dp_buf_puts(out, "x");
}
#endif

static const dp_plugin_desc b_writer = {
#ifdef BROKEN_SHORT_DESC
    offsetof(dp_plugin_desc, description), /* as if built against an older, shorter struct */
#else
    sizeof(dp_plugin_desc),
#endif
#ifdef BROKEN_NULL_ID
    NULL,
#else
    BROKEN_NAME ".writer",
#endif
    "Broken", "1.0", DP_PLUGIN_EXPORTER, BROKEN_NAME, NULL, NULL, NULL, NULL, 0, NULL,
#ifdef BROKEN_NULL_FN
    NULL,
#else
    b_export,
#endif
    NULL, "broken on purpose", 0 /* flags */};

static const dp_plugin_desc *const b_list[] = {&b_writer, NULL};

/* The module as some minor version of the ABI builds it: this docpipe's
 * struct followed by one field of a newer minor that this docpipe does not
 * know. NEWER_MINOR_ZERO_TAIL (a good plugin, not a broken one) leaves that
 * field unset, so the loader may ignore it; BROKEN_MINOR sets it. */
static const struct {
    dp_plugin_module m;
    const void *newer_field;
} b_module = {
    {
#ifdef BROKEN_MAJOR
        DP_ABI_MAJOR + 1,
#else
        DP_ABI_MAJOR,
#endif
#if defined BROKEN_MINOR || defined NEWER_MINOR_ZERO_TAIL
        DP_ABI_MINOR + 1,
#else
        DP_ABI_MINOR,
#endif
#if defined BROKEN_SHORT_MODULE
        offsetof(dp_plugin_module, plugins), /* shorter than ABI 1.0's module */
#elif defined BROKEN_MINOR || defined NEWER_MINOR_ZERO_TAIL
        sizeof b_module,
#else
        sizeof(dp_plugin_module),
#endif
        BROKEN_NAME, "1.0", b_list, NULL, NULL },
#ifdef BROKEN_MINOR
    b_list,
#else
    NULL,
#endif
};

#ifdef BROKEN_NO_ENTRY
/* exports something, but not the entry point */
DP_EXPORT const dp_plugin_module *not_the_entry(void);
DP_EXPORT const dp_plugin_module *not_the_entry(void)
{
    return &b_module.m;
}
#else
DP_PLUGIN_ENTRY_DECL
{
    return &b_module.m;
}
#endif
