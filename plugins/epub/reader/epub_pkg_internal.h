/* epub_reader: private parts of the package files (epub_package.c,
 * epub_opf_metadata.c, epub_nav_titles.c, epub_pkg_util.c). */
#ifndef DOCPIPE_EPUB_PKG_INTERNAL_H
#define DOCPIPE_EPUB_PKG_INTERNAL_H

#include "epub_package.h"

#define DC_NS "http://purl.org/dc/elements/1.1/"
#define OPF_NS "http://www.idpf.org/2007/opf"

/* epub_pkg_util.c */
int ep_nomem(ez_archive *a); /* reports it, returns DP_ENOMEM */
const char *ep_lname(xmlNodePtr n); /* an element's local name, "" for others */
int ep_is(xmlNodePtr n, const char *name);
char *ep_prop(xmlNodePtr n, const char *name); /* no-namespace attribute (xmlFree) */
char *ep_trimmed_text(xmlNodePtr n); /* the content without surrounding blanks (free) */
/* Reads a whole entry by name into a parsed XML doc; NULL (with a warning)
 * when absent or malformed. */
xmlDocPtr ep_read_xml(ez_archive *a, const char *name, int *rc);
int ep_ends_with(const char *s, const char *suffix); /* ASCII case-insensitive */

/* epub_opf_metadata.c: one <metadata> element into doc's metadata. */
int ep_read_metadata(ez_archive *a, dp_doc *doc, xmlNodePtr md, const char *unique_id, ep_pkg *pkg);

#endif
