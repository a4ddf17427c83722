/* See xmlu_io.h. */
#include "xmlu_io.h"

#include <string.h>

/* libxml2's write callback: the bytes written, or -1, which libxml2 records
 * as the buffer's error and reports from its close function. */
static int append(void *ctx, const char *bytes, int len)
{
    if (len < 0 || dp_buf_append(ctx, bytes, (size_t)len) != 0)
        return -1;
    return len;
}

/* The dp_buf belongs to the caller: nothing to close. */
static int keep_open(void *ctx)
{
    (void)ctx;
    return 0;
}

xmlSaveCtxtPtr xmlu_save_to_buf(dp_buf *out, int options)
{
    return xmlSaveToIO(append, keep_open, out, "UTF-8", options);
}

xmlOutputBufferPtr xmlu_output_to_buf(dp_buf *out)
{
    return xmlOutputBufferCreateIO(append, keep_open, out, NULL);
}

/* The unread rest of an input in memory. */
typedef struct mem_reader {
    const char *at;
    size_t left;
} mem_reader;

static int read_some(void *ctx, char *dst, int len)
{
    mem_reader *m = ctx;
    size_t n = len < 0 ? 0 : (size_t)len;
    if (n > m->left)
        n = m->left;
    memcpy(dst, m->at, n);
    m->at += n;
    m->left -= n;
    return (int)n;
}

/* libxml2 calls this when it is done with the input (also on failure). */
static int no_close(void *ctx)
{
    (void)ctx;
    return 0;
}

xmlDocPtr xmlu_read_memory(xmlParserCtxtPtr ctxt, const char *data, size_t len, const char *url,
                             const char *encoding, int options)
{
    mem_reader m = {data, len};
    return xmlCtxtReadIO(ctxt, read_some, no_close, &m, url, encoding, options);
}

htmlDocPtr xmlu_html_read_memory(htmlParserCtxtPtr ctxt, const char *data, size_t len, const char *url,
                               const char *encoding, int options)
{
    mem_reader m = {data, len};
    return htmlCtxtReadIO(ctxt, read_some, no_close, &m, url, encoding, options);
}
