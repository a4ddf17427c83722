/* smart-quotes: typographic quotes and dashes in prose ("a" -> “a”,
 * it's -> it’s, -- -> en dash, --- -> em dash, ... -> ellipsis). Only DP_TEXT
 * is touched, so code, math and raw content keep their ASCII. Whether a quote
 * opens depends on the character before it, which may be in the previous text
 * node of the same block; a new block starts afresh. */
#include <stdlib.h>
#include <string.h>

#include "transforms.h"

static int opens_after(unsigned char prev)
{
    return prev == 0 || prev == ' ' || prev == '\t' || prev == '\n' || prev == '(' || prev == '[' ||
           prev == '{' || prev == '-';
}

static int educate(dp_node *text, unsigned char *prev)
{
    const char *s = dp_node_text(text);
    size_t len = dp_node_text_len(text), o = 0;
    char *out = malloc(len * 3 + 1); /* each ASCII byte becomes at most 3 bytes */
    if (!out)
        return DP_ENOMEM;
    for (size_t i = 0; i < len; i++) {
        const char *rep = NULL;
        size_t skip = 0;
        if (s[i] == '"')
            rep = opens_after(*prev) ? "\u201C" : "\u201D";
        else if (s[i] == '\'')
            rep = opens_after(*prev) ? "\u2018" : "\u2019";
        else if (strncmp(s + i, "---", 3) == 0)
            rep = "\u2014", skip = 2;
        else if (strncmp(s + i, "--", 2) == 0)
            rep = "\u2013", skip = 1;
        else if (strncmp(s + i, "...", 3) == 0)
            rep = "\u2026", skip = 2;
        if (rep) {
            memcpy(out + o, rep, strlen(rep));
            o += strlen(rep);
            i += skip;
            *prev = (unsigned char)s[i];
        } else {
            out[o++] = s[i];
            *prev = (unsigned char)s[i];
        }
    }
    int rc = dp_node_set_text(text, out, o);
    free(out);
    return rc;
}

static int smart_quotes(dp_ctx *ctx, dp_doc *doc)
{
    unsigned char prev = 0;
    dp_iter it;
    dp_iter_init(&it, dp_doc_root(doc));
    for (dp_event ev; (ev = dp_iter_next(&it)) != DP_EV_DONE;) {
        dp_node *n = dp_iter_node(&it);
        if (ev == DP_EV_ENTER && dp_node_is_block(n))
            prev = 0;
        else if (ev == DP_EV_ENTER && dp_node_kind(n) == DP_TEXT && educate(n, &prev) != 0)
            return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "smart-quotes: out of memory");
    }
    return 0;
}

const dp_plugin_desc tf_smart_quotes = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "transforms.smart-quotes",
    .name = "Typographic quotes and dashes",
    .version = "0.1.0",
    .kind = DP_PLUGIN_TRANSFORM,
    .format = "smart-quotes",
    .transform_fn = smart_quotes,
    .description = "curly quotes, apostrophes, en/em dashes and ellipses in prose",
};
