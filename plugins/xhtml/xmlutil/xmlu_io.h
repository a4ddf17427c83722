/* libxml2 reading from and writing to docpipe's memory without whole-size
 * copies.
 *
 * Writing: going through an xmlBuffer and copying it into the exporter's
 * dp_buf held the whole output twice at the end of a conversion; here
 * libxml2 appends each chunk to the dp_buf as it goes.
 *
 * Reading: xmlCtxtReadMemory and htmlCtxtReadMemory copy the input into a
 * buffer of their own (rounded up to a power of two: 16 MB more for the
 * 10 MB benchmark input); read through I/O callbacks, libxml2 takes the
 * input a few kilobytes at a time and drops what it has parsed. */
#ifndef DOCPIPE_XML_IO_H
#define DOCPIPE_XML_IO_H

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/xmlsave.h>

#include <docpipe/docpipe.h>

/* xmlSaveToBuffer's equivalent (UTF-8, xmlSaveOption flags in options);
 * xmlSaveClose returns < 0 when an append ran out of memory. NULL when out
 * of memory. */
xmlSaveCtxtPtr xmlu_save_to_buf(dp_buf *out, int options);

/* An output buffer without an encoder (libxml2's internal UTF-8 written as
 * is), for htmlDocContentDumpFormatOutput and the like; xmlOutputBufferClose
 * returns < 0 when an append ran out of memory. NULL when out of memory. */
xmlOutputBufferPtr xmlu_output_to_buf(dp_buf *out);

/* xmlCtxtReadMemory and htmlCtxtReadMemory, the same arguments and
 * results, reading data through I/O callbacks (data must outlive the
 * call, which it does: it returns the finished document). */
xmlDocPtr xmlu_read_memory(xmlParserCtxtPtr ctxt, const char *data, size_t len, const char *url,
                             const char *encoding, int options);
htmlDocPtr xmlu_html_read_memory(htmlParserCtxtPtr ctxt, const char *data, size_t len, const char *url,
                               const char *encoding, int options);

#endif
