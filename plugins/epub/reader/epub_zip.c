#include "epub_zip.h"

#include <stdlib.h>
#include <string.h>

/* Entries smaller than this are not held to the ratio limit: tiny files of
 * repeated characters compress extremely well and are harmless. */
#define RATIO_FLOOR ((zip_uint64_t)64 * 1024)

int ez_name_safe(const char *name)
{
    if (!name || !*name || name[0] == '/' || strchr(name, '\\'))
        return 0;
    if (((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')) && name[1] == ':')
        return 0;
    const char *p = name;
    while (*p) {
        const char *seg = p;
        while (*p && *p != '/')
            p++;
        if (p - seg == 2 && seg[0] == '.' && seg[1] == '.')
            return 0;
        if (*p == '/')
            p++;
    }
    return 1;
}

int ez_open(ez_archive *a, dp_ctx *ctx, const dp_input *in)
{
    memset(a, 0, sizeof *a);
    a->ctx = ctx;
    a->path = in->path ? in->path : "-";
    const dp_limits *lim = dp_ctx_limits(ctx);
    size_t max_bytes = lim && lim->max_archive_bytes ? lim->max_archive_bytes : (size_t)1 << 30;
    size_t max_entries = lim && lim->max_archive_entries ? lim->max_archive_entries : 10000;
    unsigned max_ratio = lim && lim->max_archive_ratio ? lim->max_archive_ratio : 100;

    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(in->data, in->len, 0, &err);
    if (!src) {
        int rc = dp_fail(ctx, DP_ENOMEM, a->path, 0, 0, "cannot read the archive: %s", zip_error_strerror(&err));
        zip_error_fini(&err);
        return rc;
    }
    a->za = zip_open_from_source(src, ZIP_RDONLY, &err);
    if (!a->za) {
        zip_source_free(src);
        int rc = dp_fail(ctx, DP_EINPUT, a->path, 0, 0, "not a readable EPUB (ZIP) archive: %s",
                         zip_error_strerror(&err));
        zip_error_fini(&err);
        return rc;
    }
    zip_error_fini(&err);
    a->count = zip_get_num_entries(a->za, 0);
    if (a->count < 0 || (zip_uint64_t)a->count > max_entries) {
        int rc = dp_fail(ctx, DP_ELIMIT, a->path, 0, 0,
                         "archive has %lld entries, more than the limit of %zu (max-archive-entries)",
                         (long long)a->count, max_entries);
        ez_close(a);
        return rc;
    }
    /* Declared sizes first, so a zip bomb fails before anything is inflated;
     * ez_read checks the real sizes too (declarations can lie). */
    zip_uint64_t total = 0;
    for (zip_int64_t i = 0; i < a->count; i++) {
        zip_stat_t st;
        if (zip_stat_index(a->za, (zip_uint64_t)i, 0, &st) != 0)
            continue;
        const char *name = (st.valid & ZIP_STAT_NAME) ? st.name : "?";
        if (!ez_name_safe(name))
            dp_warn_at(ctx, a->path, 0, 0, "entry \"%s\" refused: its path leaves the archive (never read)",
                       name);
        /* Two entries with one name can show a validator one file and a
         * reader another. libzip's name lookup (ez_find) gives the first
         * one: a later entry that the lookup does not give is a duplicate. */
        zip_int64_t first = (st.valid & ZIP_STAT_NAME) ? zip_name_locate(a->za, name, 0) : i;
        if (first >= 0 && first != i)
            dp_warn_at(ctx, a->path, 0, 0, "duplicate entry %s in the archive: the first one is read", name);
        if (!(st.valid & ZIP_STAT_SIZE))
            continue;
        total += st.size;
        if (total > max_bytes) {
            int rc = dp_fail(ctx, DP_ELIMIT, a->path, 0, 0,
                             "archive expands to more than %zu bytes (max-archive-bytes): refusing a "
                             "possible zip bomb",
                             max_bytes);
            ez_close(a);
            return rc;
        }
        if ((st.valid & ZIP_STAT_COMP_SIZE) && st.size >= RATIO_FLOOR &&
            (st.comp_size == 0 || st.size / st.comp_size > max_ratio)) {
            int rc = dp_fail(ctx, DP_ELIMIT, a->path, 0, 0,
                             "entry \"%s\" expands %llu bytes to %llu, a ratio above %u (max-archive-ratio): "
                             "refusing a possible zip bomb",
                             name, (unsigned long long)st.comp_size, (unsigned long long)st.size, max_ratio);
            ez_close(a);
            return rc;
        }
    }
    a->budget = max_bytes;
    xmlu_budget_init(&a->entities, ctx);
    return DP_OK;
}

void ez_close(ez_archive *a)
{
    if (a->za)
        zip_discard(a->za);
    a->za = NULL;
}

zip_int64_t ez_find(const ez_archive *a, const char *name)
{
    if (!a->za || !name)
        return -1;
    return zip_name_locate(a->za, name, 0);
}

const char *ez_name(const ez_archive *a, zip_int64_t i)
{
    return zip_get_name(a->za, (zip_uint64_t)i, 0);
}

int ez_read(ez_archive *a, zip_int64_t i, unsigned char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    const char *name = ez_name(a, i);
    zip_stat_t st;
    if (zip_stat_index(a->za, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        return dp_fail(a->ctx, DP_EINPUT, a->path, 0, 0, "entry \"%s\": cannot read its size",
                       name ? name : "?");
    if (st.size > a->budget)
        return dp_fail(a->ctx, DP_ELIMIT, a->path, 0, 0,
                       "entry \"%s\" exceeds what is left of the archive size limit (max-archive-bytes)", name);
    zip_file_t *zf = zip_fopen_index(a->za, (zip_uint64_t)i, 0);
    if (!zf)
        return dp_fail(a->ctx, DP_EINPUT, a->path, 0, 0, "entry \"%s\": %s", name, zip_strerror(a->za));
    unsigned char *buf = malloc((size_t)st.size + 1);
    if (!buf) {
        zip_fclose(zf);
        return dp_fail(a->ctx, DP_ENOMEM, a->path, 0, 0, "out of memory");
    }
    zip_uint64_t got = 0;
    while (got < st.size) {
        zip_int64_t r = zip_fread(zf, buf + got, st.size - got);
        if (r < 0) {
            int rc = dp_fail(a->ctx, DP_EINPUT, a->path, 0, 0, "entry \"%s\" is damaged: %s", name,
                             zip_file_strerror(zf));
            zip_fclose(zf);
            free(buf);
            return rc;
        }
        if (r == 0)
            break;
        got += (zip_uint64_t)r;
    }
    unsigned char extra;
    zip_int64_t more = got == st.size ? zip_fread(zf, &extra, 1) : 0;
    zip_fclose(zf);
    if (got != st.size || more != 0) {
        free(buf);
        return dp_fail(a->ctx, DP_EINPUT, a->path, 0, 0,
                       "entry \"%s\" does not have the size its directory declares (damaged or hostile)", name);
    }
    buf[got] = '\0';
    a->budget -= (size_t)got;
    *data = buf;
    *len = (size_t)got;
    return DP_OK;
}
