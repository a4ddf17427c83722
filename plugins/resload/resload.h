/* resload: the local images of an imported document become its resources.
 *
 * Markdown and HTML name images by path (`![alt](img/x.png)`, `<img src>`,
 * the metadata `cover-image`); the tree keeps only that name. Writers that
 * package a book (EPUB) need the bytes: this loader reads each local file,
 * relative to the input file's directory, into dp_doc resources under the
 * name the tree uses, so writers find it with dp_doc_resource_find(url).
 *
 * Rules (the same for every importer that calls it):
 * - remote and other scheme URLs (http:, data:, file: ...), "//host" and
 *   "#fragment" are left alone; a name already among the resources too;
 * - the URL's path (before ? or #, percent-decoded) is read relative to the
 *   directory of dp_ctx_input_path (the current directory for stdin);
 * - absolute paths, ".." above that directory and symbolic links resolving
 *   outside it are refused unless they lie in the folder of the option
 *   resource-root, or allow_outside (option images-outside: anywhere);
 * - only regular files, at most dp_ctx_limits()->max_input_bytes each;
 * - the type comes from the file's first bytes (PNG, JPEG, GIF, WebP, SVG),
 *   never from the name; anything else is not loaded;
 * - a file that exists but is not taken (not regular, too large, not a
 *   picture, a link leading out) is a warning naming the image (dp_warn_node
 *   on the IMAGE node, dp_warn for the cover); a missing file, or a path
 *   not followed (absolute, ".."), is dp_info (-v): the tree loses nothing,
 *   web pages often name images that live elsewhere, and a writer that
 *   needs the bytes (EPUB) warns itself, naming the image. Only DP_ENOMEM is
 *   an error. */
#ifndef DOCPIPE_RESLOAD_H
#define DOCPIPE_RESLOAD_H

#include <docpipe/docpipe.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The importer options, for the option table of every importer that
 * calls resload_from_options (same keys, defaults and help everywhere). */
#define RESLOAD_OPTION_SPECS                                                                   \
    { "local-images", DP_OPT_BOOL, "true", NULL,                                                 \
      "load local images (and the cover-image) next to the input into the document's resources" }, \
    { "images-outside", DP_OPT_BOOL, "false", NULL,                                              \
      "let local images come from absolute paths or from above the input's directory (..)" },    \
    { "resource-root", DP_OPT_STRING, NULL, NULL,                                                 \
      "a folder (around the input's) that local images may also come from" }

/* Loads every local image of doc (see above). 0, or DP_ENOMEM (dp_fail'ed). */
int resload_images(dp_ctx *ctx, dp_doc *doc, int allow_outside);
/* The same, driven by the options above: nothing when local-images is off. */
int resload_from_options(dp_ctx *ctx, dp_doc *doc);

#ifdef __cplusplus
}
#endif
#endif
