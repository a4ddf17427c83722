/* The EPUB container read from memory with libzip, under the safety limits
 * of dp_ctx_limits() (entry count, total uncompressed size, per-entry
 * compression ratio): nothing is ever extracted to disk. */
#ifndef DOCPIPE_EPUB_ZIP_H
#define DOCPIPE_EPUB_ZIP_H

#include "xmlu_entities.h"

#include <docpipe/docpipe.h>
#include <zip.h>

typedef struct ez_archive {
    dp_ctx *ctx;
    const char *path;   /* the .epub, for messages */
    zip_t *za;
    zip_int64_t count;
    size_t budget;      /* uncompressed bytes still allowed to be read */
    xmlu_budget entities; /* entity expansion, a running total over every document */
} ez_archive;

/* Opens and checks the archive; on failure dp_fail has been called. */
int ez_open(ez_archive *a, dp_ctx *ctx, const dp_input *in);
void ez_close(ez_archive *a);
/* Index of an entry by exact name, -1 when absent. */
zip_int64_t ez_find(const ez_archive *a, const char *name);
const char *ez_name(const ez_archive *a, zip_int64_t i);
/* Whether an entry name is acceptable as a path: not absolute, no "..",
 * no backslash, no drive letter. */
int ez_name_safe(const char *name);
/* The whole entry, NUL-terminated (malloc'd). Fails (dp_fail) on limits
 * or a damaged entry. */
int ez_read(ez_archive *a, zip_int64_t i, unsigned char **data, size_t *len);

#endif
