/* Private header of the HTML exporter module. */
#ifndef DOCPIPE_HTML_WRITER_H
#define DOCPIPE_HTML_WRITER_H

#include <docpipe/docpipe.h>
#include <libxml/tree.h>

#include "xhtml_write.h"

/* viewport, generator and the metadata as <meta name> elements in head. */
int html_head_meta(dp_ctx *ctx, xw_writer *w, const dp_doc *doc, xmlNodePtr head);

#endif
