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
    if (DP_ARRAY_RESERVE(set->ids, set->cap, set->n + 1))
        return DP_ENOMEM;
    set->ids[set->n++] = id;
    return 0;
}

/* XML 1.0 (fifth edition) NameStartChar and NameChar, without ':' (ids
 * must be NCNames for TEI's xml:id). Punctuation such as U+2019 is neither,
 * so "Xi's 'Strive'" cannot leave curly quotes in an id. */
static int name_start(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || (c >= 0xC0 && c <= 0xD6) ||
           (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
           (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
           (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
           (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}

static int name_char(uint32_t c)
{
    return name_start(c) || (c >= '0' && c <= '9') || c == 0xB7 || (c >= 0x300 && c <= 0x36F) ||
           (c >= 0x203F && c <= 0x2040);
}

/* A slug valid as an HTML id and as an XML NCName: ASCII letters lowered,
 * digits and non-ASCII name characters kept, runs of anything else as one
 * '-'; "section-" in front when it would not start with a name start
 * character (a digit, a combining mark, or nothing at all). */
static void slugify(const char *text, const char *prefix, char *out, size_t cap)
{
    size_t plen = strlen(prefix) < cap / 2 ? strlen(prefix) : 0, o = plen, len = strlen(text);
    int dash = 0;
    memcpy(out, prefix, plen);
    for (size_t i = 0; i < len;) {
        size_t start = i;
        uint32_t c = dp_utf8_next(text, len, &i); /* a whole character: never cut in half */
        if (c == '-' || c == '.' || c == '_' || !name_char(c)) {
            dash = 1;
            continue;
        }
        if (o + (i - start) + 2 >= cap)
            break;
        if (dash && o > plen)
            out[o++] = '-';
        dash = 0;
        if (c >= 'A' && c <= 'Z')
            out[o++] = (char)(c + 32);
        else
            for (size_t k = start; k < i; k++)
                out[o++] = text[k];
    }
    out[o] = '\0';
    size_t first = 0;
    uint32_t c0 = o ? dp_utf8_next(out, o, &first) : 0;
    if (!name_start(c0)) {
        static const char lead[] = "section-";
        size_t keep = o < cap - sizeof lead ? o : cap - sizeof lead;
        while (keep > 0 && keep < o && ((unsigned char)out[keep] & 0xC0) == 0x80)
            keep--; /* do not cut the last character in half */
        memmove(out + sizeof lead - 1, out, keep);
        memcpy(out, lead, sizeof lead - 1);
        out[keep + sizeof lead - 1] = '\0';
    }
}

int tf_assign_heading_ids(dp_doc *doc, const char *prefix)
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
    int rc = tf_assign_heading_ids(doc, dp_opt_string(ctx, "prefix"));
    return rc ? dp_fail(ctx, rc, NULL, 0, 0, "ids: out of memory") : 0;
}

static const dp_option_spec options[] = {
    {"prefix", DP_OPT_STRING, "", NULL, "text put before every generated id"},
    {NULL, 0, NULL, NULL, NULL},
};

const dp_plugin_desc tf_ids = {
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
