/* Metadata overrides (a config's "metadata:", CLI -M, dp_convert's
 * "metadata:KEY"): a value set on the document after it is read and before
 * any transform. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/pipeline_priv.h"

static dp_meta *to_meta(dp_doc *doc, const dpc_mval *v)
{
    dp_meta *m = NULL;
    size_t i;
    switch (v->type) {
    case MV_STRING:
        return dp_meta_new_string(doc, v->s);
    case MV_BOOL:
        return dp_meta_new_bool(doc, strcmp(v->s, "true") == 0);
    case MV_LIST:
        m = dp_meta_new_list(doc);
        for (i = 0; m && i < v->n; i++) {
            dp_meta *item = to_meta(doc, &v->items[i]);
            if (!item || dp_meta_append(m, item) != 0)
                return NULL;
        }
        return m;
    case MV_MAP:
        m = dp_meta_new_map(doc);
        for (i = 0; m && i < v->n; i++) {
            dp_meta *item = to_meta(doc, &v->items[i]);
            if (!item || dp_meta_set(m, v->keys[i], item) != 0)
                return NULL;
        }
        return m;
    }
    return NULL;
}

/* key may be dotted ("source.url"): intermediate maps are created. */
int dpc_apply_meta(dp_doc *doc, const char *key, const dpc_mval *value)
{
    dp_meta *map = dp_doc_meta(doc), *val;
    char part[256];
    const char *k = key, *dot;
    while ((dot = strchr(k, '.')) != NULL && dot > k) {
        dp_meta *sub;
        snprintf(part, sizeof part, "%.*s", (int)(dot - k), k);
        sub = dp_meta_get(map, part);
        if (!sub || dp_meta_get_type(sub) != DP_META_MAP) {
            sub = dp_meta_new_map(doc);
            if (!sub || dp_meta_set(map, part, sub) != 0)
                return DP_ENOMEM;
        }
        map = sub;
        k = dot + 1;
    }
    val = to_meta(doc, value);
    if (!val)
        return DP_ENOMEM;
    return dp_meta_set(map, k, val);
}


/* A cover-image given as an override (--epub-cover-image, -M, a config's
 * metadata:) names a file the reader never saw: unless the document already
 * has a resource of that name (an EPUB's own cover, a front matter's
 * cover-image the reader loaded), the file is read, relative to base (the
 * config's folder, or the current one), and must be an image (sniffed from
 * its bytes: nothing else can be smuggled into a book this way). */
int dpc_load_cover_override(dp_doc *doc, const char *base, const dpc_mval *value, size_t max, dp_error *err)
{
    if (value->type != MV_STRING || !value->s || !*value->s || dp_doc_resource_find(doc, value->s) ||
        dp_url_has_scheme(value->s))
        return 0;
    char *path = dpu_path_join(base, value->s);
    unsigned char *data = NULL;
    size_t len = 0;
    if (!path)
        return dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = dpu_read_file(path, max, &data, &len, err);
    if (rc == 0) {
        const char *mime = dp_sniff_image_type(data, len);
        if (!mime)
            rc = dp_error_set(err, DP_EINPUT, path, 0, 0,
                              "cover-image: not a PNG, JPEG, GIF, WebP or SVG image");
        else if (dp_doc_add_resource(doc, value->s, mime, data, len) != 0)
            rc = dp_error_set(err, DP_ENOMEM, NULL, 0, 0, "out of memory");
    }
    free(data);
    free(path);
    return rc;
}
