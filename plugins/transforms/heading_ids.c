/* ids: unique, stable heading ids derived from the heading text, so links,
 * tables of contents and EPUB/TEI cross references do not depend on which
 * exporter runs. Existing ids are kept; new ones avoid every id in use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transforms.h"

typedef struct id_set {
    const char **ids;
    size_t n, cap;
} id_set;

static int id_set_has(const id_set *set, const char *id)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->ids[i], id) == 0)
            return 1;
    return 0;
}

static int id_set_add(id_set *set, const char *id)
{
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        const char **ids = realloc(set->ids, cap * sizeof *ids);
        if (!ids)
            return DP_ENOMEM;
        set->ids = ids;
        set->cap = cap;
    }
    set->ids[set->n++] = id;
    return 0;
}

/* A slug valid as an HTML id and as an XML NCName: ASCII letters lowered,
 * digits, non-ASCII letters kept, runs of anything else as one '-'. */
static void slugify(const char *text, const char *prefix, char *out, size_t cap)
{
    size_t plen = strlen(prefix) < cap / 2 ? strlen(prefix) : 0, o = plen;
    int dash = 0;
    memcpy(out, prefix, plen);
    for (const unsigned char *p = (const unsigned char *)text; *p;) {
        unsigned char c = *p;
        /* A whole UTF-8 sequence at a time, so one is never cut in half. */
        size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        int word = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
        if (!word) {
            dash = 1;
            p++;
            continue;
        }
        if (o + n + 2 >= cap)
            break;
        if (dash && o > plen)
            out[o++] = '-';
        dash = 0;
        size_t k = 0;
        for (; k < n && p[k]; k++)
            out[o++] = (char)(k == 0 && c >= 'A' && c <= 'Z' ? c + 32 : p[k]);
        p += k;
    }
    out[o] = '\0';
    /* Ids must start with a letter to be XML names (TEI xml:id, EPUB). */
    if (o == 0 || (out[0] >= '0' && out[0] <= '9')) {
        static const char lead[] = "section-";
        size_t keep = o < cap - sizeof lead ? o : cap - sizeof lead;
        memmove(out + sizeof lead - 1, out, keep);
        memcpy(out, lead, sizeof lead - 1);
        out[keep + sizeof lead - 1] = '\0';
    }
}

int dp_tf_assign_heading_ids(dp_doc *doc, const char *prefix)
{
    id_set used = {0};
    dp_iter it;
    int rc = 0;
    char slug[128], id[160];

    dp_iter_init(&it, dp_doc_root(doc));
    for (dp_event ev; (ev = dp_iter_next(&it)) != DP_EV_DONE;) {
        dp_node *n = dp_iter_node(&it);
        if (ev == DP_EV_ENTER && dp_node_id(n) && (rc = id_set_add(&used, dp_node_id(n))) != 0)
            goto cleanup;
    }
    dp_iter_init(&it, dp_doc_root(doc));
    for (dp_event ev; (ev = dp_iter_next(&it)) != DP_EV_DONE;) {
        dp_node *n = dp_iter_node(&it);
        if (ev != DP_EV_ENTER || dp_node_kind(n) != DP_HEADING || dp_node_id(n))
            continue;
        slugify(dp_node_plain_text(n, 1), prefix ? prefix : "", slug, sizeof slug);
        snprintf(id, sizeof id, "%s", slug);
        for (int k = 2; id_set_has(&used, id); k++)
            snprintf(id, sizeof id, "%s-%d", slug, k);
        if ((rc = dp_node_set_id(n, id)) != 0 || (rc = id_set_add(&used, dp_node_id(n))) != 0)
            goto cleanup;
    }
cleanup:
    free(used.ids);
    return rc;
}

static int ids(dp_ctx *ctx, dp_doc *doc)
{
    int rc = dp_tf_assign_heading_ids(doc, dp_opt_string(ctx, "prefix"));
    return rc ? dp_fail(ctx, rc, NULL, 0, 0, "ids: out of memory") : 0;
}

static const dp_option_spec options[] = {
    {"prefix", DP_OPT_STRING, "", NULL, "text put before every generated id"},
    {NULL, 0, NULL, NULL, NULL},
};

const dp_plugin_desc dp_tf_ids = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "transforms.ids",
    .name = "Heading ids",
    .version = "0.1.0",
    .kind = DP_PLUGIN_TRANSFORM,
    .format = "ids",
    .options = options,
    .transform_fn = ids,
    .description = "give every heading a unique, stable id derived from its text",
};
