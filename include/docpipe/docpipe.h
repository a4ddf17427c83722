/* docpipe: the umbrella header. A plugin needs only this. */
#ifndef DOCPIPE_DOCPIPE_H
#define DOCPIPE_DOCPIPE_H

#include "dp_common.h"
#include "dp_tree.h"
#include "dp_meta.h"
#include "dp_plugin.h"

#endif
