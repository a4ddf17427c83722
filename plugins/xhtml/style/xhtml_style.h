/* The default stylesheet (docpipe.css in this folder), embedded at build
 * time. One sheet for both writers: the HTML page gets it whole, an EPUB
 * the variant without what the reading system owns (page width, fonts,
 * colours: the blocks marked "page" in the file). */
#ifndef DOCPIPE_XHTML_STYLE_H
#define DOCPIPE_XHTML_STYLE_H

#include <stddef.h>

typedef enum { XS_SHEET_HTML, XS_SHEET_EPUB } xs_sheet;

/* The sheet's bytes (UTF-8, NUL-terminated) and, in *len, their count
 * without the terminator. Static storage: never freed. */
const char *xs_default_css(xs_sheet which, size_t *len);

#endif
