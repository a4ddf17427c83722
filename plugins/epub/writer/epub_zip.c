/* epub_writer: the OCF container, written by libzip into memory.
 *
 * mimetype first, stored (not compressed), without extra field; then
 * META-INF/container.xml, the package document and every item in the book's
 * order, deflated. Every entry carries the same time (SOURCE_DATE_EPOCH or
 * now, in UTC), so equal input and epoch give byte-identical files. */
#include "epub_book.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

static const char MIMETYPE[] = "application/epub+zip";

typedef struct zipper {
    epubw_book *b;
    zip_t *za;
    zip_uint16_t dtime, ddate;
} zipper;

static int zip_failed(epubw_book *b, const char *what, zip_error_t *err)
{
    return dp_fail(b->ctx, DP_EOUTPUT, NULL, 0, 0, "epub: libzip could not %s: %s", what,
                   zip_error_strerror(err));
}

static int add_entry(zipper *z, const char *name, const void *data, size_t len, int store)
{
    zip_source_t *s = zip_source_buffer(z->za, data, len, 0);
    if (!s)
        return zip_failed(z->b, "buffer an entry", zip_get_error(z->za));
    zip_int64_t idx = zip_file_add(z->za, name, s, ZIP_FL_OVERWRITE);
    if (idx < 0) {
        zip_source_free(s);
        return zip_failed(z->b, "add an entry", zip_get_error(z->za));
    }
    zip_uint64_t i = (zip_uint64_t)idx;
    /* Level 9 took half of a Markdown-to-EPUB conversion for about 1 % less
     * size; the default is zlib's own 6 (option compression-level). */
    zip_uint32_t level = store ? 0 : (zip_uint32_t)z->b->compression_level;
    if (zip_set_file_compression(z->za, i, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, level) < 0 ||
        zip_file_set_dostime(z->za, i, z->dtime, z->ddate, 0) < 0 ||
        /* regular file, rw-r--r--, so the bytes do not depend on the umask */
        zip_file_set_external_attributes(z->za, i, 0, ZIP_OPSYS_UNIX, (zip_uint32_t)0100644 << 16) < 0)
        return zip_failed(z->b, "set an entry's attributes", zip_get_error(z->za));
    return 0;
}

static int container_xml(epubw_book *b, unsigned char **data, size_t *len)
{
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
    if (!doc)
        return DP_ENOMEM;
    xmlNodePtr c = xmlNewDocNode(doc, NULL, (const xmlChar *)"container", NULL);
    xmlDocSetRootElement(doc, c);
    xmlSetNs(c, xmlNewNs(c, (const xmlChar *)"urn:oasis:names:tc:opendocument:xmlns:container", NULL));
    xmlNewProp(c, (const xmlChar *)"version", (const xmlChar *)"1.0");
    xmlNodePtr rfs = xmlNewChild(c, c->ns, (const xmlChar *)"rootfiles", NULL);
    xmlNodePtr rf = xmlNewChild(rfs, c->ns, (const xmlChar *)"rootfile", NULL);
    xmlNewProp(rf, (const xmlChar *)"full-path", (const xmlChar *)EPUBW_PKG_DIR "package.opf");
    xmlNewProp(rf, (const xmlChar *)"media-type", (const xmlChar *)"application/oebps-package+xml");
    int rc = epubw_xml_dump(b, doc, "container.xml", 1, data, len);
    xmlFreeDoc(doc);
    return rc;
}

/* Copies the finished archive from the in-memory source into out. */
static int read_back(epubw_book *b, zip_source_t *src, dp_buf *out)
{
    if (zip_source_open(src) < 0)
        return zip_failed(b, "reopen the archive", zip_source_error(src));
    int rc = 0;
    unsigned char chunk[65536];
    zip_int64_t n;
    while ((n = zip_source_read(src, chunk, sizeof chunk)) > 0)
        if ((rc = dp_buf_append(out, chunk, (size_t)n)))
            break;
    if (!rc && n < 0)
        rc = zip_failed(b, "read the archive back", zip_source_error(src));
    zip_source_close(src);
    return rc;
}

int epubw_zip(epubw_book *b, const unsigned char *opf, size_t opf_len, dp_buf *out)
{
    zipper z = {0};
    z.b = b;
    struct tm tm;
    gmtime_r(&b->epoch, &tm);
    z.dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
    z.ddate = (zip_uint16_t)(((tm.tm_year + 1900 - 1980) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);

    unsigned char *container = NULL;
    size_t container_len = 0;
    int rc = container_xml(b, &container, &container_len);
    if (rc)
        return rc;

    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &zerr);
    if (!src) {
        rc = zip_failed(b, "create a memory buffer", &zerr);
        goto cleanup;
    }
    z.za = zip_open_from_source(src, ZIP_TRUNCATE, &zerr);
    if (!z.za) {
        rc = zip_failed(b, "open an archive in memory", &zerr);
        zip_source_free(src);
        src = NULL;
        goto cleanup;
    }
    zip_source_keep(src); /* read it back after zip_close */

    if ((rc = add_entry(&z, "mimetype", MIMETYPE, sizeof MIMETYPE - 1, 1)) ||
        (rc = add_entry(&z, "META-INF/container.xml", container, container_len, 0)) ||
        (rc = add_entry(&z, EPUBW_PKG_DIR "package.opf", opf, opf_len, 0)))
        goto discard;
    for (size_t i = 0; i < b->nitems; i++) {
        const epubw_item *it = &b->items[i];
        char *name = epubw_strf("%s%s", EPUBW_PKG_DIR, it->href);
        if (!name) {
            rc = DP_ENOMEM;
            goto discard;
        }
        rc = add_entry(&z, name, it->data ? it->data : it->borrowed, it->len, 0);
        free(name);
        if (rc)
            goto discard;
    }
    if (zip_close(z.za) < 0) {
        rc = zip_failed(b, "write the archive", zip_get_error(z.za));
        goto discard;
    }
    z.za = NULL;
    rc = read_back(b, src, out);
    goto cleanup;
discard:
    zip_discard(z.za);
cleanup:
    if (src)
        zip_source_free(src);
    free(container);
    return rc;
}
