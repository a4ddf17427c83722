/* Private header of the HTML exporter module. */
#ifndef DOCPIPE_HTML_WRITER_H
#define DOCPIPE_HTML_WRITER_H

#include <docpipe/docpipe.h>
#include <libxml/tree.h>

#include "xhtml_write.h"

/* viewport, generator and the metadata as <meta name> elements in head. */
int html_head_meta(dp_ctx *ctx, xw_writer *w, const dp_doc *doc, xmlNodePtr head);

/* The body's blocks with the notes where the notes option puts them
 * (html_writer.c). */
int html_render_body_blocks(dp_ctx *ctx, xw_writer *w, const dp_doc *doc, xmlNodePtr body);

/* Removes (or replaces) the characters HTML forbids from a finished page
 * or fragment, with one warning (html_writer.c). 0 or DP_ENOMEM. */
int html_drop_forbidden_chars(dp_ctx *ctx, xmlDocPtr page);

/* --template FILE (-O template=FILE): the page from a template
 * (html_template.c); html_default_template is the built-in one that
 * --print-default-template html prints. */
int html_export_template(dp_ctx *ctx, xw_writer *w, const dp_doc *doc, const char *path, xw_flavour flavour,
                         dp_buf *out);
extern const char html_default_template[];

#endif
