/* Entry point of the "transforms" module. */
#include "transforms.h"

static const dp_plugin_desc *const plugins[] = {
    &tf_lang_detect, &tf_notes, &tf_ids, &tf_shift_headings, &tf_metadata,
    &tf_strip, &tf_smart_quotes, &tf_number_sections, &tf_toc, NULL,
};

static const dp_plugin_module module = DP_PLUGIN_MODULE_INIT("transforms", "0.1.0", plugins);

DP_PLUGIN_ENTRY_DECL { return &module; }
