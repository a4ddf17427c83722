/* Two transforms for the trust rule (core.runs_programs_flag): "tidy-up"
 * declares DP_PLUGIN_RUNS_PROGRAMS under a name nothing would suspect, and
 * "filter" has the name of the json module's program-running transform but
 * declares nothing. The trust check must follow the declared property, not
 * the name. Neither starts anything: each only sets a metadata key. */
#include <docpipe/dp_plugin.h>

static int rp_mark(dp_ctx *ctx, dp_doc *doc)
{
    (void)ctx;
    return dp_meta_set_string(doc, dp_doc_meta(doc), "transformed", "yes");
}

static const dp_plugin_desc rp_flagged = {
    .struct_size = sizeof(dp_plugin_desc), .id = "runs-programs.tidy", .name = "declares it runs programs",
    .version = "1.0", .kind = DP_PLUGIN_TRANSFORM, .format = "tidy-up", .transform_fn = rp_mark,
    .description = "declares DP_PLUGIN_RUNS_PROGRAMS (tests)", .flags = DP_PLUGIN_RUNS_PROGRAMS};
static const dp_plugin_desc rp_named = {
    .struct_size = sizeof(dp_plugin_desc), .id = "runs-programs.filter", .name = "named filter, runs nothing",
    .version = "1.0", .kind = DP_PLUGIN_TRANSFORM, .format = "filter", .transform_fn = rp_mark,
    .description = "called filter, declares nothing (tests)"};
static const dp_plugin_desc *const rp_list[] = {&rp_flagged, &rp_named, NULL};
static const dp_plugin_module rp_module = DP_PLUGIN_MODULE_INIT("runs-programs", "1.0", rp_list);

DP_PLUGIN_ENTRY_DECL
{
    return &rp_module;
}
