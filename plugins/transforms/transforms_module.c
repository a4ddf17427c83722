/* Entry point of the "transforms" module. */
#include "transforms.h"

static const dp_plugin_desc *const plugins[] = {
    &dp_tf_lang_detect, &dp_tf_notes, &dp_tf_ids, &dp_tf_shift_headings, &dp_tf_metadata,
    &dp_tf_strip, &dp_tf_smart_quotes, &dp_tf_number_sections, &dp_tf_toc, NULL,
};

static const dp_plugin_module module = DP_PLUGIN_MODULE_INIT("transforms", "0.1.0", plugins);

DP_PLUGIN_ENTRY_DECL { return &module; }
