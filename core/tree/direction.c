/* The base direction of a document's text (rtl or ltr), for the writers:
 * what the metadata says (`dir`), else what its language's script implies,
 * else (on request) a guess from the letters of the body. Each writer asks
 * once and reports a guess once, so direction is decided in one place. */
#include "tree/tree_internal.h"

#include <ctype.h>
#include <strings.h>
#include <string.h>

/* Scripts written right to left (ISO 15924) and the languages whose usual
 * script is one of them, when no script subtag says otherwise. */
static const char *const rtl_scripts[] = {"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg",
                                          "mand", "samr", "mend", "aran", NULL};
static const char *const rtl_languages[] = {"ar", "he", "iw", "fa", "ur", "yi", "ji", "ps", "sd",
                                            "ug", "dv", "ckb", "syr", "arc", "ks", "ku-arab",
                                            "prs", "pnb", "lrc", "mzn", "glk", "bal", NULL};

static int in_list_ci(const char *s, size_t n, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strlen(list[i]) == n && strncasecmp(s, list[i], n) == 0)
            return 1;
    return 0;
}

DP_EXPORT int dp_lang_is_rtl(const char *lang)
{
    if (!lang || !*lang)
        return 0;
    size_t primary = strcspn(lang, "-_");
    const char *p = lang + primary;
    /* a script subtag (four letters) decides: az-Arab is rtl, ug-Latn not */
    while (*p) {
        p++;
        size_t n = strcspn(p, "-_");
        if (n == 4 && isalpha((unsigned char)p[0]))
            return in_list_ci(p, 4, rtl_scripts);
        p += n;
    }
    return in_list_ci(lang, primary, rtl_languages);
}

/* 1: a letter of a right-to-left script, -1: a letter of a left-to-right
 * one, 0: neither (digits, punctuation, marks, symbols, spaces). */
static int strong_class(unsigned cp)
{
    if (cp < 0x80)
        return isalpha((int)cp) ? -1 : 0;
    if ((cp >= 0x0591 && cp <= 0x05BD) || (cp >= 0x0610 && cp <= 0x061A) || (cp >= 0x064B && cp <= 0x0669) ||
        cp == 0x0670 || (cp >= 0x06D6 && cp <= 0x06ED) || (cp >= 0x06F0 && cp <= 0x06F9))
        return 0; /* marks and digits of RTL scripts are weak */
    if ((cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF) ||
        (cp >= 0x10800 && cp <= 0x10FFF) || (cp >= 0x1E800 && cp <= 0x1EFFF))
        return 1;
    if ((cp >= 0x00C0 && cp <= 0x02AF && cp != 0x00D7 && cp != 0x00F7) || (cp >= 0x0370 && cp <= 0x058F) ||
        (cp >= 0x0900 && cp <= 0x1FFF) || (cp >= 0x3040 && cp <= 0xD7FF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0x20000 && cp <= 0x3FFFF))
        return -1;
    return 0;
}

/* Counts strong letters of a UTF-8 run (valid: the tree checks it). */
static void count_letters(const char *s, size_t len, size_t *rtl, size_t *ltr)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        unsigned cp;
        size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (i + n > len)
            break;
        cp = n == 1 ? c : n == 2 ? c & 0x1Fu : n == 3 ? c & 0x0Fu : c & 0x07u;
        for (size_t k = 1; k < n; k++)
            cp = (cp << 6) | ((unsigned char)s[i + k] & 0x3Fu);
        int cls = strong_class(cp);
        *rtl += cls > 0;
        *ltr += cls < 0;
        i += n;
    }
}

/* Enough letters to tell; a long book is not read to its end. */
#define DIR_SAMPLE_LETTERS 20000

static int body_mostly_rtl(const dp_doc *doc)
{
    size_t rtl = 0, ltr = 0;
    dp_iter it;
    dp_event ev;
    dp_iter_init(&it, dp_doc_root(doc));
    while ((ev = dp_iter_next(&it)) != DP_EV_DONE && rtl + ltr < DIR_SAMPLE_LETTERS) {
        const dp_node *n = dp_iter_node(&it);
        if (ev == DP_EV_ENTER && dp_node_kind(n) == DP_TEXT)
            count_letters(dp_node_text(n), dp_node_text_len(n), &rtl, &ltr);
    }
    return rtl > ltr;
}

DP_EXPORT const char *dp_doc_direction(const dp_doc *doc, int *guessed)
{
    if (guessed)
        *guessed = 0;
    if (!doc)
        return NULL;
    const dp_meta *meta = dp_doc_meta(doc);
    const char *dir = dp_meta_get_text(meta, "dir");
    if (dir && strcmp(dir, "rtl") == 0)
        return "rtl";
    if (dir && strcmp(dir, "ltr") == 0)
        return "ltr";
    const char *lang = dp_meta_agreed_text(meta, "language");
    if (dp_lang_is_rtl(lang))
        return "rtl";
    /* a declared language of a left-to-right script says ltr; only a
     * document that declares neither is guessed from its letters */
    if (!guessed || (lang && *lang && strcasecmp(lang, "und") != 0))
        return NULL;
    if (body_mostly_rtl(doc)) {
        *guessed = 1;
        return "rtl";
    }
    return NULL;
}
