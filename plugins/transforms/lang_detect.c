/* lang-detect: wraps runs of another script in spans carrying `lang`, so that
 * every exporter can mark them (HTML lang, EPUB lang + xml:lang, TEI foreign
 * xml:lang and langUsage) without any markup from the author.
 *
 * A run is a maximal stretch of letters of one script group, with spaces,
 * digits and punctuation allowed inside it (not at its ends); CJK punctuation
 * such as "。" belongs to an adjacent CJK run. Han, Kana and Hangul form one
 * group, because Japanese and Korean text mixes them: a CJK run with Kana is
 * Japanese, with Hangul Korean, else the Han language (default zh). A run is
 * wrapped only when its language differs from the language in effect there. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "transforms.h"

typedef enum script {
    S_OTHER = 0, /* Latin and everything unlisted: ends a run */
    S_NEUTRAL,   /* spaces, digits, ASCII/general punctuation: may sit inside a run */
    S_CJK_PUNCT, /* CJK / fullwidth punctuation: inside or at the end of a CJK run */
    S_HAN, S_KANA, S_HANGUL, S_CYRILLIC, S_GREEK, S_ARABIC, S_HEBREW, S_DEVANAGARI, S_THAI,
    S_COUNT
} script;

static const char *const script_names[S_COUNT] = {
    [S_HAN] = "Han", [S_KANA] = "Kana", [S_HANGUL] = "Hangul", [S_CYRILLIC] = "Cyrillic",
    [S_GREEK] = "Greek", [S_ARABIC] = "Arabic", [S_HEBREW] = "Hebrew",
    [S_DEVANAGARI] = "Devanagari", [S_THAI] = "Thai",
};

static const char *const default_langs[S_COUNT] = {
    [S_HAN] = "zh", [S_KANA] = "ja", [S_HANGUL] = "ko", [S_CYRILLIC] = "ru",
    [S_GREEK] = "el", [S_ARABIC] = "ar", [S_HEBREW] = "he",
    [S_DEVANAGARI] = "hi", [S_THAI] = "th",
};

static script classify(uint32_t c)
{
    if (c < 0x80) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            return S_OTHER;
        return S_NEUTRAL;
    }
    if ((c >= 0x2E80 && c <= 0x2FDF) || (c >= 0x3005 && c <= 0x3007) || (c >= 0x3021 && c <= 0x3029) ||
        (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0x20000 && c <= 0x3134F))
        return S_HAN;
    if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9F))
        return S_KANA;
    if ((c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F))
        return S_HANGUL;
    if ((c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFF65))
        return S_CJK_PUNCT;
    if (c >= 0x0400 && c <= 0x052F)
        return S_CYRILLIC;
    if ((c >= 0x0370 && c <= 0x03FF) || (c >= 0x1F00 && c <= 0x1FFF))
        return S_GREEK;
    if ((c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F))
        return S_ARABIC;
    if (c >= 0x0590 && c <= 0x05FF)
        return S_HEBREW;
    if (c >= 0x0900 && c <= 0x097F)
        return S_DEVANAGARI;
    if (c >= 0x0E00 && c <= 0x0E7F)
        return S_THAI;
    if ((c >= 0x2000 && c <= 0x206F) || (c >= 0x00A0 && c <= 0x00BF) || c == 0x00D7 || c == 0x00F7)
        return S_NEUTRAL;
    return S_OTHER;
}

static int is_cjk(script s) { return s == S_HAN || s == S_KANA || s == S_HANGUL; }

/* Same primary language subtag ("zh" matches "zh-Hans"). */
static int same_language(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    size_t la = strcspn(a, "-_"), lb = strcspn(b, "-_");
    return la == lb && strncasecmp(a, b, la) == 0;
}

typedef struct run {
    size_t start, end;
    const char *lang;
} run;

typedef struct detector {
    const char *langs[S_COUNT];
    run *runs;
    size_t nruns, cap;
} detector;

static int add_run(detector *d, size_t start, size_t end, const char *lang)
{
    if (DP_ARRAY_RESERVE(d->runs, d->cap, d->nruns + 1))
        return DP_ENOMEM;
    d->runs[d->nruns++] = (run){start, end, lang};
    return 0;
}

/* The language of a finished run: a CJK run with Kana is Japanese, with
 * Hangul Korean (unless the map says otherwise), else the script's. */
static const char *run_language(const detector *d, script group, unsigned cjk_seen)
{
    if (group == S_HAN) {
        if (cjk_seen & (1u << S_KANA))
            return d->langs[S_KANA];
        if (cjk_seen & (1u << S_HANGUL))
            return d->langs[S_HANGUL];
    }
    return d->langs[group];
}

/* Finds the runs of one text that are in another language than `context`. */
static int find_runs(detector *d, const char *s, size_t len, const char *context)
{
    script group = S_OTHER; /* S_HAN stands for the whole CJK group */
    unsigned cjk_seen = 0;
    size_t start = 0, end = 0, i = 0;

    d->nruns = 0;
    while (i <= len) {
        size_t at = i;
        script sc = S_OTHER;
        if (i < len) {
            sc = classify(dp_utf8_next(s, len, &i));
        } else {
            i++; /* the end of the text closes the last run */
        }
        script g = is_cjk(sc) ? S_HAN : sc;
        if (sc == S_NEUTRAL || (sc == S_CJK_PUNCT && group != S_HAN))
            continue;
        if (sc == S_CJK_PUNCT) { /* group == CJK: punctuation joins the run */
            end = i;
            continue;
        }
        if (g == group && group != S_OTHER) {
            end = i;
            cjk_seen |= 1u << sc;
            continue;
        }
        if (group != S_OTHER) {
            const char *lang = run_language(d, group, cjk_seen);
            if (lang && *lang && !same_language(lang, context) && add_run(d, start, end, lang) != 0)
                return DP_ENOMEM;
        }
        group = g;
        cjk_seen = 1u << sc;
        start = at;
        end = i;
    }
    return 0;
}

static int wrap_runs(detector *d, dp_node *text)
{
    size_t base = 0;
    for (size_t k = 0; k < d->nruns; k++) {
        dp_node *rest = NULL;
        dp_node *span = tf_split_text(text, d->runs[k].start - base, d->runs[k].end - base, DP_SPAN, &rest);
        if (!span || dp_node_set_lang(span, d->runs[k].lang) != 0)
            return DP_ENOMEM;
        base = d->runs[k].end;
        text = rest;
        if (!text)
            break;
    }
    return 0;
}

static int parse_map(dp_ctx *ctx, detector *d)
{
    for (size_t i = 0; i < dp_opt_list_count(ctx, "map"); i++) {
        const char *entry = dp_opt_list_at(ctx, "map", i);
        const char *eq = strchr(entry, '=');
        int found = 0;
        for (int s = 0; eq && s < S_COUNT; s++) {
            if (script_names[s] && strlen(script_names[s]) == (size_t)(eq - entry) &&
                strncmp(script_names[s], entry, (size_t)(eq - entry)) == 0) {
                d->langs[s] = eq + 1; /* "" disables the script */
                found = 1;
            }
        }
        if (!found)
            return dp_fail(ctx, DP_ECONFIG, NULL, 0, 0,
                           "lang-detect: map entry '%s' is not SCRIPT=LANG with SCRIPT one of Han, Kana, "
                           "Hangul, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai", entry);
    }
    return 0;
}

static int lang_detect(dp_ctx *ctx, dp_doc *doc)
{
    detector d = {0};
    dp_node **texts = NULL;
    size_t ntexts = 0, cap = 0, tagged = 0;
    int rc = 0;
    dp_iter it;

    memcpy(d.langs, default_langs, sizeof d.langs);
    if ((rc = parse_map(ctx, &d)) != 0)
        return rc;

    /* Collect first: wrapping edits the tree under the iterator. */
    dp_iter_init(&it, dp_doc_root(doc));
    for (dp_event ev; (ev = dp_iter_next(&it)) != DP_EV_DONE;) {
        dp_node *n = dp_iter_node(&it);
        if (ev != DP_EV_ENTER || dp_node_kind(n) != DP_TEXT)
            continue;
        if (DP_ARRAY_RESERVE(texts, cap, ntexts + 1)) {
            rc = DP_ENOMEM;
            goto cleanup;
        }
        texts[ntexts++] = n;
    }
    for (size_t k = 0; k < ntexts; k++) {
        const char *context = dp_node_lang_effective(texts[k]);
        if ((rc = find_runs(&d, dp_node_text(texts[k]), dp_node_text_len(texts[k]), context)) != 0 ||
            (rc = wrap_runs(&d, texts[k])) != 0)
            goto cleanup;
        tagged += d.nruns;
    }
    dp_info(ctx, "lang-detect: tagged %zu run(s) in another script", tagged);
cleanup:
    if (rc == DP_ENOMEM)
        rc = dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "lang-detect: out of memory");
    free(texts);
    free(d.runs);
    return rc;
}

static const dp_option_spec options[] = {
    {"map", DP_OPT_LIST, NULL, NULL,
     "SCRIPT=LANG overrides, e.g. [Han=zh-Hant, Cyrillic=uk]; an empty LANG leaves that script untagged"},
    {NULL, 0, NULL, NULL, NULL},
};

const dp_plugin_desc tf_lang_detect = {
    .struct_size = sizeof(dp_plugin_desc),
    .id = "transforms.lang-detect",
    .name = "Language runs by script",
    .version = "0.1.0",
    .kind = DP_PLUGIN_TRANSFORM,
    .format = "lang-detect",
    .options = options,
    .transform_fn = lang_detect,
    .description = "wrap runs of another script (Han, Kana, Hangul, Cyrillic ...) in spans with lang",
};
