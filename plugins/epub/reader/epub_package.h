/* The EPUB package: container.xml -> OPF (manifest, spine, metadata), and
 * the chapter titles of the nav document or NCX. */
#ifndef DOCPIPE_EPUB_PACKAGE_H
#define DOCPIPE_EPUB_PACKAGE_H

#include "epub_zip.h"

#include <libxml/hash.h>

typedef struct ep_item {
    char *id;
    char *path;  /* resolved archive path; NULL when the href was refused */
    char *media;
    char *props;
} ep_item;

typedef struct ep_pkg {
    char *opf_path; /* NULL: no package document found */
    char *opf_dir;  /* "OEBPS/" or "" */
    ep_item *items;
    size_t nitems;
    size_t *spine;
    size_t nspine;
    char *ncx_id;   /* spine@toc */
    char *cover_id; /* EPUB 2 <meta name="cover"> */
} ep_pkg;

/* Finds the package document: container.xml, else the first *.opf entry
 * (with a warning); pkg->opf_path stays NULL when there is none. */
int ep_find_package(ez_archive *a, ep_pkg *pkg);
/* Reads the package: metadata into doc, manifest, spine. */
int ep_read_package(ez_archive *a, dp_doc *doc, ep_pkg *pkg);
/* Titles of the spine files from the EPUB 3 nav, else the NCX (first entry
 * per file), as a table file path -> title (*out, never NULL on DP_OK).
 * Missing or broken navigation gives a warning and no titles. */
int ep_nav_titles(ez_archive *a, ep_pkg *pkg, xmlHashTablePtr *out);
void ep_titles_free(xmlHashTablePtr titles);
void ep_pkg_free(ep_pkg *pkg);
const ep_item *ep_item_by_id(const ep_pkg *pkg, const char *id);

#endif
