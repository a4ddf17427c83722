/* docpipe: the umbrella header, split by who reads it.
 *
 *   Plugin authors:  <docpipe/dp_plugin.h> is all a plugin needs (the ABI,
 *                    its context, and through it dp_common.h, dp_tree.h,
 *                    dp_meta.h). Start there.
 *   Embedders:       programs that run conversions (the CLI, bindings) use
 *                    the registry and pipeline API: dp_registry.h,
 *                    dp_pipeline.h, and dp_convert.h to convert in memory
 *                    (docs/LIBRARY.md); dp_memory.h for one plugin call on
 *                    memory (the fuzzers) is not included here.
 *
 * This header includes both groups. */
#ifndef DOCPIPE_DOCPIPE_H
#define DOCPIPE_DOCPIPE_H

/* for plugin authors */
#include "dp_plugin.h"

/* for embedders */
#include "dp_registry.h"
#include "dp_pipeline.h"
#include "dp_convert.h" /* conversion in memory: dp_convert, dp_read, dp_transform, dp_write */

#endif
