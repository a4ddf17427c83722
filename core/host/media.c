/* Where the resources an exporter names go (dp_ctx_resource_url).
 *
 * HTML and Markdown name images, fonts, media and stylesheets by URL; the
 * bytes are the document's resources (an EPUB's images, the local images
 * resload read beside a Markdown file). A written document must find every
 * one of them, so the exporter asks here, for each reference, what URL to
 * write, and the core answers by the run's options:
 *
 *   self-contained=true  a data: URI (one file to mail);
 *   media-dir, or output to a file (default <output stem>_files beside it)
 *                        a path into that folder, relative to the output; the
 *                        runner writes the file there with the output, through
 *                        the same atomic write (dpc_media_write);
 *   otherwise (standard output, memory)
 *                        the reference as it is, counted, and one warning per
 *                        kind of resource at the end of the call.
 *
 * A reference that already resolves beside the output (or the current
 * directory, for standard output) to a file with the same bytes is kept as
 * it is, unless media-dir was asked for: converting a.md to a.html in the
 * same folder copies nothing. A resource's name comes from the input (an
 * EPUB's manifest, a JSON document): it becomes a file name only when it is
 * a plain relative path (no "..", no absolute path, no control characters);
 * anything else is written under a generated name, so nothing can escape the
 * media folder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/host.h"

enum { MEDIA_UNSET, MEDIA_DATA, MEDIA_DIR, MEDIA_NONE };

static const char *const kind_names[DPC_MEDIA_KINDS][2] = {
    {"image", "images"}, {"font", "fonts"}, {"audio or video file", "audio and video files"},
    {"stylesheet", "stylesheets"}, {"other file", "other files"}};

static int kind_of(const char *mime)
{
    if (!mime)
        return 4;
    if (strncmp(mime, "image/", 6) == 0)
        return 0;
    if (strncmp(mime, "font/", 5) == 0 || strstr(mime, "font") || strcmp(mime, "application/vnd.ms-opentype") == 0)
        return 1;
    if (strncmp(mime, "audio/", 6) == 0 || strncmp(mime, "video/", 6) == 0)
        return 2;
    if (strcmp(mime, "text/css") == 0)
        return 3;
    return 4;
}

void dpc_media_clear(dpc_media *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->items[i].name);
        free(m->items[i].url);
        free(m->items[i].path);
    }
    free(m->items);
    free(m->dir);
    free(m->url_dir);
    memset(m, 0, sizeof *m);
}

/* Absolute, lexically clean form of path (relative to the current directory). */
static char *absolute(const char *path)
{
    char cwd[4096];
    if (path[0] == '/')
        return dpu_path_normalize(path);
    if (!getcwd(cwd, sizeof cwd))
        return dpu_path_normalize(path);
    return dpu_path_join(cwd, path);
}

/* The path of dir as seen from the folder from (both absolute and clean). */
static char *relative_to(const char *from, const char *dir)
{
    size_t common = 0, i;
    for (i = 0; from[i] && from[i] == dir[i]; i++)
        if (from[i] == '/')
            common = i + 1;
    if (!from[i] && (dir[i] == '/' || !dir[i]))
        common = i + (dir[i] == '/');
    else if (!dir[i] && from[i] == '/')
        common = i + 1;
    dp_buf *b = NULL;
    if (dp_buf_new(&b) != 0)
        return NULL;
    int rc = 0;
    for (const char *s = from + common; *s; s++) /* one ".." per folder left in from */
        if (s == from + common || s[-1] == '/')
            rc |= dp_buf_puts(b, "../");
    rc |= dp_buf_puts(b, dir + common);
    size_t len;
    char *out = rc ? NULL : (char *)dp_buf_detach(b, &len);
    dp_buf_free(b);
    if (out && len && out[len - 1] == '/')
        out[len - 1] = '\0';
    return out;
}

/* Decides the mode once per call (the options and the output do not change). */
static int media_setup(dp_ctx *ctx)
{
    dpc_media *m = &ctx->media;
    const char *dir = dp_opt_string(ctx, "media-dir");
    m->mode = MEDIA_NONE;
    if (dp_opt_bool(ctx, "self-contained")) {
        m->mode = MEDIA_DATA;
        return 0;
    }
    if (!ctx->output_path && !(dir && *dir))
        return 0;
    if (!dir || !*dir) {
        /* "<output stem>_files" beside the output, as browsers save a page */
        const char *base = dpu_basename(ctx->output_path);
        const char *dot = strrchr(base, '.');
        size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
        m->url_dir = dpu_printf("%.*s_files", (int)stem, base);
        char *outdir = dpu_dirname(ctx->output_path);
        m->dir = outdir ? dpu_path_join(outdir, m->url_dir) : NULL;
        free(outdir);
    } else {
        m->explicit_dir = 1;
        char *abs_dir = absolute(dir);
        char *outdir = ctx->output_path ? dpu_dirname(ctx->output_path) : dpu_strdup(".");
        char *abs_out = outdir ? absolute(outdir) : NULL;
        m->dir = dpu_strdup(dir);
        m->url_dir = abs_dir && abs_out ? relative_to(abs_out, abs_dir) : NULL;
        free(abs_dir);
        free(outdir);
        free(abs_out);
    }
    if (!m->dir || !m->url_dir)
        return DP_ENOMEM;
    m->mode = MEDIA_DIR;
    return 0;
}

/* The file name a resource name may become: a plain relative path whose
 * segments are neither empty, "." nor ".." and hold no control character
 * or backslash; NULL otherwise (or on ENOMEM, *nomem set). The URL's query
 * and fragment are cut, %XX decoded. */
static char *safe_file_name(const char *name, int *nomem)
{
    size_t n = strcspn(name, "?#");
    char *p = malloc(n + 1);
    size_t o = 0;
    if (!p) {
        *nomem = 1;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned hi, lo;
        if (name[i] == '%' && i + 2 < n && sscanf(name + i + 1, "%1x%1x", &hi, &lo) == 2) {
            p[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else
            p[o++] = name[i];
    }
    p[o] = '\0';
    int ok = o > 0 && strlen(p) == o && p[0] != '/';
    for (const char *s = p; ok && *s;) {
        size_t seg = strcspn(s, "/");
        ok = seg > 0 && !(seg == 1 && s[0] == '.') && !(seg == 2 && s[0] == '.' && s[1] == '.');
        for (size_t k = 0; ok && k < seg; k++)
            ok = (unsigned char)s[k] >= 0x20 && s[k] != 0x7f && s[k] != '\\';
        s += seg;
        if (*s == '/' && !*++s)
            ok = 0;
    }
    if (!ok) {
        free(p);
        return NULL;
    }
    return p;
}

static const char *ext_for(const char *mime)
{
    static const char *const map[][2] = {
        {"image/png", "png"},   {"image/jpeg", "jpg"}, {"image/gif", "gif"},        {"image/webp", "webp"},
        {"image/svg+xml", "svg"}, {"text/css", "css"}, {"font/woff2", "woff2"},     {"font/woff", "woff"},
        {"font/otf", "otf"},    {"font/ttf", "ttf"},   {"audio/mpeg", "mp3"},       {"video/mp4", "mp4"}};
    for (size_t i = 0; mime && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(mime, map[i][0]) == 0)
            return map[i][1];
    return "bin";
}

/* A URL path: bytes that would end or break a reference are %-encoded. */
static int put_url_path(dp_buf *b, const char *s)
{
    int rc = 0;
    for (; *s && !rc; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c == 0x7f || strchr("\"<>\\^`{|}%?#()[]'", c))
            rc = dp_buf_printf(b, "%%%02X", c);
        else
            rc = dp_buf_append(b, s, 1);
    }
    return rc;
}

/* Whether the reference already resolves, from dir, to a file with the
 * same bytes (then nothing needs writing). */
static int resolves_beside(const char *dir, const dp_resource *r)
{
    int nomem = 0;
    char *rel = safe_file_name(r->name, &nomem);
    char *path = rel ? dpu_path_join(dir, rel) : NULL;
    unsigned char *data = NULL;
    size_t len = 0;
    dp_error e;
    struct stat st;
    int same = path && stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == r->len &&
               dpu_read_file(path, r->len, &data, &len, &e) == 0 && len == r->len &&
               (len == 0 || memcmp(data, r->data, len) == 0);
    free(data);
    free(path);
    free(rel);
    return same;
}

static int taken(const dpc_media *m, const char *path)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->items[i].path && strcmp(m->items[i].path, path) == 0)
            return 1;
    return 0;
}

/* Places r in the media folder: its file path and the URL to write. */
static int place_in_dir(dpc_media *m, const dp_resource *r, dpc_media_item *it)
{
    int nomem = 0;
    char *rel = safe_file_name(r->name, &nomem);
    if (nomem)
        return DP_ENOMEM;
    char *path = rel ? dpu_path_join(m->dir, rel) : NULL;
    if (rel && !path) {
        free(rel);
        return DP_ENOMEM;
    }
    if (!rel || taken(m, path)) {
        /* not a plain name (or two names meet in one file): a generated one */
        free(rel);
        free(path);
        rel = dpu_printf("resource-%zu.%s", m->n + 1, ext_for(r->mime));
        path = rel ? dpu_path_join(m->dir, rel) : NULL;
        if (!path) {
            free(rel);
            return DP_ENOMEM;
        }
    }
    dp_buf *b = NULL;
    int rc = dp_buf_new(&b);
    if (!rc && *m->url_dir && strcmp(m->url_dir, ".") != 0)
        rc = put_url_path(b, m->url_dir) || dp_buf_puts(b, "/");
    if (!rc)
        rc = put_url_path(b, rel);
    free(rel);
    if (rc) {
        dp_buf_free(b);
        free(path);
        return DP_ENOMEM;
    }
    it->url = (char *)dp_buf_detach(b, NULL);
    it->path = path;
    dp_buf_free(b);
    return it->url ? 0 : DP_ENOMEM;
}

static int data_uri(const dp_resource *r, dpc_media_item *it)
{
    dp_buf *b = NULL;
    int rc = dp_buf_new(&b);
    if (!rc)
        rc = dp_buf_printf(b, "data:%s;base64,", r->mime ? r->mime : "application/octet-stream");
    if (!rc)
        rc = dp_buf_append_base64(b, r->data, r->len);
    it->url = rc ? NULL : (char *)dp_buf_detach(b, NULL);
    dp_buf_free(b);
    return it->url ? 0 : DP_ENOMEM;
}

DP_EXPORT const char *dp_ctx_resource_url(dp_ctx *ctx, const dp_doc *doc, const char *url)
{
    if (!ctx || !doc || !url)
        return url;
    const dp_resource *r = dp_doc_resource_find(doc, url);
    if (!r)
        return url;
    dpc_media *m = &ctx->media;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->items[i].name, url) == 0)
            return m->items[i].url ? m->items[i].url : url;
    if (m->mode == MEDIA_UNSET && media_setup(ctx) != 0)
        return NULL;
    if (DP_ARRAY_RESERVE(m->items, m->cap, m->n + 1) != 0)
        return NULL;
    dpc_media_item *it = &m->items[m->n];
    memset(it, 0, sizeof *it);
    if (!(it->name = dpu_strdup(url)))
        return NULL;
    int rc = 0;
    char *beside = NULL;
    if (m->mode != MEDIA_DATA && !m->explicit_dir)
        beside = ctx->output_path ? dpu_dirname(ctx->output_path) : dpu_strdup(".");
    if (beside && resolves_beside(beside, r))
        ; /* already there: written as it is */
    else if (m->mode == MEDIA_DATA)
        rc = data_uri(r, it);
    else if (m->mode == MEDIA_DIR)
        rc = place_in_dir(m, r, it);
    else
        m->unplaced[kind_of(r->mime)]++;
    free(beside);
    if (rc) {
        free(it->name);
        return NULL;
    }
    m->n++;
    return it->url ? it->url : url;
}

void dpc_media_report(dp_ctx *ctx)
{
    for (int k = 0; k < DPC_MEDIA_KINDS; k++) {
        size_t n = ctx->media.unplaced[k];
        if (n)
            dp_warn(ctx, "%zu %s the output refers to %s not written anywhere: the output goes to %s "
                         "(write to a file with -o, or use --extract-media DIR or -O self-contained=true)",
                    n, kind_names[k][n != 1], n == 1 ? "is" : "are",
                    ctx->output_path ? "a place with no media folder" : "standard output");
    }
}
