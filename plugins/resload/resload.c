/* resload: reads the local images an imported document names into its
 * resources, under the rules in resload.h. Nothing here trusts the name: the
 * path is checked lexically (absolute, ".."), then resolved (symbolic
 * links), then opened without blocking and checked as a regular file of
 * bounded size, and the type is sniffed from the bytes. */
/* realpath and strndup: glibc declares realpath only with _XOPEN_SOURCE */
#define _XOPEN_SOURCE 700
#include "resload.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct loader {
    dp_ctx *ctx;
    dp_doc *doc;
    int allow_outside;
    char *base;      /* directory of the input, as given ("." for stdin) */
    char *base_real; /* the same, resolved; NULL when it cannot be */
    char *root_real; /* resource-root, resolved: a wider folder images may come from; NULL = none */
    size_t max_file; /* max-input-bytes */
    size_t max_total;/* max-archive-bytes: all loaded files together */
    size_t total;
} loader;

/* A file that is there but cannot be used (not a regular file, too large,
 * not a picture, a link leading out): a warning, on the image's node or
 * general for the cover. */
#define LR_WARN(l, node, ...)                                                                      \
    do {                                                                                            \
        if (node)                                                                                   \
            dp_warn_node((l)->ctx, (node), __VA_ARGS__);                                            \
        else                                                                                        \
            dp_warn((l)->ctx, __VA_ARGS__);                                                         \
    } while (0)
/* No file to take (missing, or a path not followed: absolute, ".."): nothing
 * of the document is lost by the import -- the tree keeps the reference,
 * and HTML often names images that live elsewhere (on the web server). So
 * it is shown with -v; a writer that needs the bytes (EPUB) warns itself,
 * naming the image. */
static void lr_info(loader *l, const dp_node *node, const char *url, const char *what)
{
    /* the core puts the input's name in front */
    if (node && dp_node_line(node) > 0)
        dp_info(l->ctx, "line %d: image '%s': %s; not loaded", dp_node_line(node), url, what);
    else
        dp_info(l->ctx, "image '%s': %s; not loaded", url, what);
}

#define LR_NOT_FOUND "file not found"

static int hex(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The file path of a URL: before '?' or '#', percent-decoded. NULL on
 * ENOMEM; *bad set when it decodes to a NUL byte. */
static char *url_path(const char *url, int *bad)
{
    size_t n = strcspn(url, "?#");
    char *p = malloc(n + 1);
    size_t o = 0;
    *bad = 0;
    if (!p)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        int h1, h2;
        if (url[i] == '%' && i + 2 < n && (h1 = hex(url[i + 1])) >= 0 && (h2 = hex(url[i + 2])) >= 0) {
            p[o++] = (char)(h1 * 16 + h2);
            i += 2;
        } else
            p[o++] = url[i];
    }
    p[o] = '\0';
    if (strlen(p) != o)
        *bad = 1;
    return p;
}

/* Whether a relative path climbs above its starting directory ("a/../../x"). */
static int escapes(const char *path)
{
    int depth = 0;
    const char *s = path;
    while (*s) {
        size_t len = strcspn(s, "/");
        if (len == 2 && s[0] == '.' && s[1] == '.') {
            if (--depth < 0)
                return 1;
        } else if (len > 0 && !(len == 1 && s[0] == '.'))
            depth++;
        s += len;
        while (*s == '/')
            s++;
    }
    return 0;
}

/* Whether the resolved path lies inside the resolved base directory. */
static int inside(const char *base, const char *path)
{
    size_t bl = strlen(base);
    if (bl == 1 && base[0] == '/')
        return 1;
    return strncmp(path, base, bl) == 0 && path[bl] == '/';
}

static char *join(const char *dir, const char *rel)
{
    size_t dl = strlen(dir), rl = strlen(rel);
    char *p = malloc(dl + rl + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, dl);
    p[dl] = '/';
    memcpy(p + dl + 1, rel, rl + 1);
    return p;
}

/* Reads one regular file of at most max bytes. 0 with *data (malloc'ed),
 * else an errno-like reason in *why (a static string). */
static int read_regular(const char *path, size_t max, unsigned char **data, size_t *len, const char **why)
{
    *data = NULL;
    *len = 0;
    /* O_NONBLOCK: a FIFO must not hang the import (it is refused below) */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        *why = errno == ENOENT || errno == ENOTDIR ? LR_NOT_FOUND
               : errno == EACCES              ? "permission denied"
                                              : "cannot be opened";
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        *why = "not a regular file";
        return -1;
    }
    if ((unsigned long long)st.st_size > (unsigned long long)max) {
        close(fd);
        *why = "larger than the max-input-bytes limit";
        return -1;
    }
    size_t size = (size_t)st.st_size;
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf) {
        close(fd);
        *why = NULL; /* out of memory */
        return -1;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break; /* shrank while reading: keep what is there */
        got += (size_t)r;
    }
    close(fd);
    *data = buf;
    *len = got;
    return 0;
}

/* Loads one image. node is the IMAGE (NULL for the cover-image). */
static int load_one(loader *l, const dp_node *node, const char *url)
{
    if (!url || !*url || url[0] == '#' || (url[0] == '/' && url[1] == '/') || dp_url_has_scheme(url))
        return 0; /* remote, data: or in-document: not a local file */
    if (dp_doc_resource_find(l->doc, url))
        return 0; /* already loaded (the same image used twice) */
    int bad = 0, rc = 0;
    char *rel = url_path(url, &bad);
    char *full = NULL, *real = NULL;
    unsigned char *data = NULL;
    size_t len = 0;
    const char *why = NULL;
    if (!rel)
        goto nomem;
    if (bad || !*rel) {
        LR_WARN(l, node, "image '%s': not a usable file name: not loaded", url);
        goto cleanup;
    }
    full = rel[0] == '/' ? strdup(rel) : join(l->base, rel);
    if (!full)
        goto nomem;
    if (!l->allow_outside) {
        /* lexically ("..", absolute), then resolved: a symbolic link may
         * still lead out of the directory. resource-root widens it. */
        int lexical_out = rel[0] == '/' || escapes(rel);
        real = realpath(full, NULL);
        int in_root = real && l->root_real && inside(l->root_real, real);
        if (!in_root && lexical_out) {
            lr_info(l, node, url,
                    rel[0] == '/' ? "an absolute path (the options resource-root=DIR and images-outside=true allow it)"
                                  : "outside the input file's directory (the options resource-root=DIR and "
                                    "images-outside=true allow it)");
            goto cleanup;
        }
        if (!in_root && real && (!l->base_real || !inside(l->base_real, real))) {
            LR_WARN(l, node,
                    "image '%s': a link to a file outside the input file's directory; not loaded "
                    "(the options resource-root=DIR and images-outside=true allow it)", url);
            goto cleanup;
        }
    }
    if (read_regular(real ? real : full, l->max_file, &data, &len, &why) != 0) {
        if (!why)
            goto nomem;
        if (strcmp(why, LR_NOT_FOUND) == 0)
            lr_info(l, node, url, why);
        else
            LR_WARN(l, node, "image '%s' (%s): %s; not loaded", url, full, why);
        goto cleanup;
    }
    const char *mime = dp_sniff_image_type(data, len);
    if (!mime) {
        LR_WARN(l, node, "image '%s' (%s): not a PNG, JPEG, GIF, WebP or SVG image; not loaded", url, full);
        goto cleanup;
    }
    if (l->max_total && len > l->max_total - l->total) {
        LR_WARN(l, node, "image '%s': the local images together exceed the max-archive-bytes limit; not loaded",
                url);
        goto cleanup;
    }
    if (dp_doc_add_resource(l->doc, url, mime, data, len) != 0)
        goto nomem;
    l->total += len;
    goto cleanup;
nomem:
    rc = dp_fail(l->ctx, DP_ENOMEM, dp_ctx_input_path(l->ctx), 0, 0, "out of memory loading images");
cleanup:
    free(rel);
    free(full);
    free(real);
    free(data);
    return rc;
}

int resload_images(dp_ctx *ctx, dp_doc *doc, int allow_outside)
{
    loader l;
    int rc = 0;
    memset(&l, 0, sizeof l);
    l.ctx = ctx;
    l.doc = doc;
    l.allow_outside = allow_outside;
    const dp_limits *lim = dp_ctx_limits(ctx);
    l.max_file = lim && lim->max_input_bytes ? lim->max_input_bytes : (size_t)256 << 20;
    l.max_total = lim ? lim->max_archive_bytes : 0;

    const char *input = dp_ctx_input_path(ctx);
    const char *slash = input && strcmp(input, "-") != 0 ? strrchr(input, '/') : NULL;
    if (slash == input)
        l.base = strdup("/");
    else if (slash)
        l.base = strndup(input, (size_t)(slash - input));
    else
        l.base = strdup(".");
    if (!l.base)
        return dp_fail(ctx, DP_ENOMEM, input, 0, 0, "out of memory loading images");
    l.base_real = realpath(l.base, NULL);
    const char *root = dp_opt_string(ctx, "resource-root");
    if (root && *root && !(l.root_real = realpath(root, NULL)))
        dp_warn(ctx, "resource-root '%s': no such folder; images come only from the input file's directory",
                root);

    const char *cover = dp_meta_get_text(dp_doc_meta(doc), "cover-image");
    if (cover && *cover)
        rc = load_one(&l, NULL, cover);

    dp_iter it;
    dp_event ev;
    dp_iter_init(&it, dp_doc_root(doc));
    while (!rc && (ev = dp_iter_next(&it)) != DP_EV_DONE) {
        const dp_node *n = dp_iter_node(&it);
        if (ev == DP_EV_ENTER && dp_node_kind(n) == DP_IMAGE)
            rc = load_one(&l, n, dp_node_url(n));
    }
    free(l.base);
    free(l.base_real);
    free(l.root_real);
    return rc;
}

int resload_from_options(dp_ctx *ctx, dp_doc *doc)
{
    if (!dp_opt_bool(ctx, "local-images"))
        return 0;
    return resload_images(ctx, doc, dp_opt_bool(ctx, "images-outside"));
}
