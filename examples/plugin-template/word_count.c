/* An out-of-tree docpipe transform, the template for your own plugin:
 * `word-count` counts the words of the document's text and records the count
 * in the metadata (key `word-count`, or the `key` option), so every exporter
 * can show it (HTML <meta>, Markdown front matter, JSON ...). With
 * `min` set, a document shorter than that is reported, naming the first
 * heading (a warning: under --strict it fails the input).
 *
 * It builds against an INSTALLED docpipe only (see README.md) and uses only
 * the public API: <docpipe/docpipe.h>. It follows the in-tree example of a
 * plugin done right, plugins/transforms/shift_headings.c: one job, a
 * non-recursive dp_iter walk, declared options, losses reported with
 * dp_warn_node, a designated-initialiser descriptor. */
#include <stdio.h>

#include <docpipe/docpipe.h>

/* Words of one text: runs of bytes that are not ASCII spaces or punctuation.
 * Bytes >= 0x80 (UTF-8 letters) count as word characters, so "Grüße" is one
 * word; a run of CJK characters counts as one word (good enough here). */
static size_t count_words(const char *s)
{
    size_t n = 0;
    int in_word = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        int word_char = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (word_char && !in_word)
            n++;
        in_word = word_char;
    }
    return n;
}

static int word_count_transform(dp_ctx *ctx, dp_doc *doc)
{
    const char *key = dp_opt_string(ctx, "key");
    long min = dp_opt_int(ctx, "min");
    const dp_node *first_heading = NULL;
    size_t words = 0;
    char digits[32];
    dp_meta *value;
    dp_iter it;

    /* dp_iter walks without recursion: deep input cannot overflow the stack */
    dp_iter_init(&it, dp_doc_root(doc));
    for (dp_event ev; (ev = dp_iter_next(&it)) != DP_EV_DONE;) {
        const dp_node *n = dp_iter_node(&it);
        if (ev != DP_EV_ENTER)
            continue;
        if (dp_node_kind(n) == DP_HEADING && !first_heading)
            first_heading = n;
        if (dp_node_kind(n) == DP_TEXT)
            words += count_words(dp_node_text(n));
    }

    snprintf(digits, sizeof digits, "%zu", words);
    value = dp_meta_new_string(doc, digits);
    if (!value || dp_meta_set(dp_doc_meta(doc), key, value) != 0)
        return dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "out of memory");
    dp_info(ctx, "%zu words", words);
    if (min > 0 && words < (size_t)min) {
        if (first_heading)
            dp_warn_node(ctx, first_heading, "only %zu words (min: %ld)", words, min);
        else
            dp_warn(ctx, "only %zu words (min: %ld)", words, min);
    }
    return 0;
}

/* Every option is declared: the core checks config/CLI values against this
 * table (type, did-you-mean) before the plugin runs. */
static const dp_option_spec word_count_options[] = {
    {"key", DP_OPT_STRING, "word-count", NULL, "metadata key that receives the count"},
    {"min", DP_OPT_INT, "0", NULL, "warn when the document has fewer words (0: never)"},
    {NULL, 0, NULL, NULL, NULL}};

static const dp_plugin_desc word_count = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "template.word-count",
    .name = "Word count",
    .version = "1.0",
    .kind = DP_PLUGIN_TRANSFORM,
    .format = "word-count",
    .options = word_count_options,
    .transform_fn = word_count_transform,
    .description = "records the number of words in the metadata",
};

static const dp_plugin_desc *const plugins[] = {&word_count, NULL};
static const dp_plugin_module module = DP_PLUGIN_MODULE_INIT("word-count", "1.0", plugins);

/* The one exported symbol. */
DP_PLUGIN_ENTRY_DECL
{
    return &module;
}
