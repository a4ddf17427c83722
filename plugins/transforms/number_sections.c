/* number-sections: puts "1", "1.2", "1.2.3" ... before each heading's text, in
 * a span of class "header-section-number" (pandoc's class, so styles carry
 * over). Headings with class "unnumbered" are skipped. Numbering starts at the
 * shallowest heading level the document uses, so a document whose top level
 * is h2 gets "1", not "0.1". */
#include <stdio.h>

#include "transforms.h"

static int number_sections(dp_ctx *ctx, dp_doc *doc)
{
    int counts[7] = {0}, top = 7;
    dp_iter it;

    dp_iter_init(&it, dp_doc_root(doc));
    for (dp_event ev; (ev = dp_iter_next(&it)) != DP_EV_DONE;) {
        dp_node *n = dp_iter_node(&it);
        if (ev == DP_EV_ENTER && dp_node_kind(n) == DP_HEADING && !dp_node_has_class(n, "unnumbered") &&
            dp_node_heading_level(n) < top)
            top = dp_node_heading_level(n);
    }
    dp_iter_init(&it, dp_doc_root(doc));
    for (dp_event ev; (ev = dp_iter_next(&it)) != DP_EV_DONE;) {
        dp_node *n = dp_iter_node(&it);
        if (ev != DP_EV_EXIT || dp_node_kind(n) != DP_HEADING || dp_node_has_class(n, "unnumbered"))
            continue;
        int level = dp_node_heading_level(n);
        char label[64] = "";
        size_t o = 0;
        counts[level]++;
        for (int l = level + 1; l <= 6; l++)
            counts[l] = 0;
        for (int l = top; l <= level && o < sizeof label - 12; l++)
            o += (size_t)snprintf(label + o, sizeof label - o, l == top ? "%d" : ".%d", counts[l]);
        dp_node *span = dp_node_new(doc, DP_SPAN);
        dp_node *num = dp_node_new_text(doc, DP_TEXT, label, o);
        dp_node *space = dp_node_new_text(doc, DP_TEXT, " ", 1);
        if (!span || !num || !space || dp_node_add_class(span, "header-section-number") != 0 ||
            dp_node_append_child(span, num) != 0 || dp_node_prepend_child(n, space) != 0 ||
            dp_node_prepend_child(n, span) != 0)
            return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "number-sections: out of memory");
        dp_node_set_attr(n, "number", label);
    }
    return 0;
}

const dp_plugin_desc tf_number_sections = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "transforms.number-sections",
    .name = "Number sections",
    .version = "0.1.0",
    .kind = DP_PLUGIN_TRANSFORM,
    .format = "number-sections",
    .transform_fn = number_sections,
    .description = "prefix headings with hierarchical section numbers",
};
