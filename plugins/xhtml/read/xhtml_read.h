/* xhtml_read: the one (X)HTML-to-tree reader shared by the HTML importer and
 * the EPUB importer. Static library target `dp_xhtml_read` (PIC); link it
 * PRIVATE into the plugin module.
 *
 * Use:
 *   xmlDoc *x = xr_parse_html(ctx, path, data, len, NULL);   // or xr_parse_xhtml
 *   xr_read_head_meta(ctx, doc, x);                           // HTML only
 *   xr_session *s; xr_session_new(&s, ctx, doc);
 *   xr_session_add(s, x, "chapter1.xhtml");                   // takes x; repeat per file
 *   xr_session_run(s);                                         // maps every file into doc's root
 *   xr_session_free(s);
 *
 * A session sees all its files at once, so note references and links that
 * cross files (EPUB: a noteref in chapter 3 pointing into notes.xhtml) are
 * resolved: notes become DP_NOTE nodes at the reference, links to files of
 * the session become "#id" links, ids are made unique across files. */
#ifndef DOCPIPE_XHTML_READ_H
#define DOCPIPE_XHTML_READ_H

#include <docpipe/docpipe.h>
#include <libxml/tree.h>

#ifdef __cplusplus
extern "C" {
#endif

/* HTML parser (tag soup recovered, no network). Recovered errors become
 * warnings with file:line:column (the first few, then a count). encoding:
 * NULL = from the BOM / <meta charset>, else forced. NULL on failure
 * (dp_fail called). */
xmlDocPtr xr_parse_html(dp_ctx *ctx, const char *file, const void *data, size_t len,
                        const char *encoding);
/* The encoding of an HTML page, decided on its bytes before parsing
 * (xr_encoding.c), into *encoding: a BOM's, else the charset the page
 * declares (copied into declared, XR_CHARSET_MAX bytes), else UTF-8 or
 * windows-1252 as the bytes say. When the page is UTF-8 but for some
 * invalid bytes, *repaired gets a malloc'd copy with each of them replaced
 * by U+FFFD (parse that one, then free it). Guesses and repairs are
 * reported. 0, or DP_ENOMEM after dp_fail. */
#define XR_CHARSET_MAX 64
int xr_html_encoding(dp_ctx *ctx, const char *file, const void *data, size_t len, char *declared,
                     const char **encoding, char **repaired, size_t *repaired_len);
/* XML parser for XHTML (no network, no DTD loading, no entity expansion);
 * when the file is not well-formed, warns naming the file and falls back to
 * the HTML parser. NULL on failure (dp_fail called). */
xmlDocPtr xr_parse_xhtml(dp_ctx *ctx, const char *file, const void *data, size_t len);
/* The same, charging internal entity expansion to budget, a running total
 * shared by several files (the chapters of one EPUB); NULL: this file's own.
 * Over the budget: NULL after dp_fail (no HTML fallback). */
struct xmlu_budget;
xmlDocPtr xr_parse_xhtml_budget(dp_ctx *ctx, const char *file, const void *data, size_t len,
                                struct xmlu_budget *budget);
/* Plain XML (package documents, container.xml, NCX): NULL when not
 * well-formed, after a warning naming the file; NULL after dp_fail when its
 * entity expansion is over max-entity-expansion (*rc DP_ELIMIT, else DP_OK). */
xmlDocPtr xr_parse_xml(dp_ctx *ctx, const char *file, const void *data, size_t len, int *rc);

/* <head> metadata (title, meta author/description/keywords, dc.*,
 * citation_*, <html lang>) into the document's metadata. */
int xr_read_head_meta(dp_ctx *ctx, dp_doc *doc, xmlDocPtr xdoc);

typedef struct xr_session xr_session;

int xr_session_new(xr_session **out, dp_ctx *ctx, dp_doc *doc);
void xr_session_free(xr_session *s);
/* Resource names are paths relative to base_dir ("OEBPS/"): an <img src>
 * resolving to base_dir + NAME with a resource NAME in the document gets
 * url NAME. Default "" (names are whole paths). */
int xr_session_set_resource_base(xr_session *s, const char *base_dir);
/* The archive path of a generated cover image that is not imported (the
 * docpipe EPUB writer's typographic cover): images of it with the cover role
 * are dropped like those of the metadata cover-image. */
int xr_session_set_generated_cover(xr_session *s, const char *path);
/* Adds one file (ownership of xdoc passes to the session, also on failure).
 * name: its path (inside the EPUB), used in messages and to resolve links.
 * nav_title: its title from the nav/NCX, or NULL; used as a heading when the
 * file has text but no heading of its own. */
int xr_session_add(xr_session *s, xmlDocPtr xdoc, const char *name, const char *nav_title);
/* Maps every added file, in order, into the document's root. */
int xr_session_run(xr_session *s);

/* Resolves href (relative, percent-encoded) against the directory of
 * base_file. Returns a malloc'd archive path without fragment (and the
 * fragment through *fragment, malloc'd, NULL when none), or NULL when href
 * has a scheme, is absolute, contains a backslash or climbs above the root. */
char *xr_resolve_href(const char *base_file, const char *href, char **fragment);

/* Next node of a pre-order walk of the subtree at root (NULL at its end). */
xmlNodePtr xr_next_in_public(xmlNodePtr root, xmlNodePtr n);

#ifdef __cplusplus
}
#endif
#endif
