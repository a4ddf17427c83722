/* docpipe: the umbrella header. A plugin needs only this; front ends (the CLI)
 * also use the registry and pipeline API it includes. */
#ifndef DOCPIPE_DOCPIPE_H
#define DOCPIPE_DOCPIPE_H

#include "dp_common.h"
#include "dp_tree.h"
#include "dp_meta.h"
#include "dp_plugin.h"
#include "dp_registry.h" /* for front ends: plugin discovery */
#include "dp_pipeline.h" /* for front ends: configs, runner, output */

#endif
