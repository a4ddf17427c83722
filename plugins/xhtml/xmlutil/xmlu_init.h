/* libxml2's global set-up, owned here for every plugin module that uses
 * libxml2 (HTML and EPUB reader/writer through plugins/xhtml, TEI). */
#ifndef DOCPIPE_XML_INIT_H
#define DOCPIPE_XML_INIT_H

#include <docpipe/dp_plugin.h>

/* The module init hook (plugin ABI 1.1) of every libxml2 module: calls
 * xmlInitParser(). The loader runs module hooks once per process, under its
 * lock and before any plugin function of the module, so libxml2's globals
 * are set up before the runner calls an entry point from several threads
 * (libxml2 sets them up lazily and not thread-safely otherwise). Use it as
 * DP_PLUGIN_MODULE_INIT_HOOKS(name, version, list, xmlu_module_init, NULL). */
int xmlu_module_init(dp_module_ctx *mctx);

#endif
