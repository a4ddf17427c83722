/* shift-headings: moves every heading level by `by` (e.g. -1 when a document
 * is embedded under an existing title). Levels are kept within 1..6; a level
 * that had to be clamped is reported, since the hierarchy changed there. */
#include "transforms.h"

static int shift_headings(dp_ctx *ctx, dp_doc *doc)
{
    long by = dp_opt_int(ctx, "by");
    dp_iter it;
    dp_iter_init(&it, dp_doc_root(doc));
    for (dp_event ev; (ev = dp_iter_next(&it)) != DP_EV_DONE;) {
        dp_node *n = dp_iter_node(&it);
        if (ev != DP_EV_ENTER || dp_node_kind(n) != DP_HEADING)
            continue;
        long level = dp_node_heading_level(n) + by;
        if (level < 1 || level > 6) {
            dp_warn_node(ctx, n, "shift-headings: level %ld is out of range, kept as %d", level, level < 1 ? 1 : 6);
            level = level < 1 ? 1 : 6;
        }
        dp_node_set_heading_level(n, (int)level);
    }
    return 0;
}

static const dp_option_spec options[] = {
    {"by", DP_OPT_INT, "1", NULL, "levels to add (negative to promote)"},
    {NULL, 0, NULL, NULL, NULL},
};

const dp_plugin_desc tf_shift_headings = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "transforms.shift-headings",
    .name = "Shift heading levels",
    .version = "0.1.0",
    .kind = DP_PLUGIN_TRANSFORM,
    .format = "shift-headings",
    .options = options,
    .transform_fn = shift_headings,
    .description = "add a fixed amount to every heading level",
};
