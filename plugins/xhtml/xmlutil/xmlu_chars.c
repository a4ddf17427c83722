/* See xmlu_chars.h. One pass over the finished tree instead of a check in
 * every place a writer sets a text or an attribute: nothing can be missed,
 * headers and package metadata included. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmlu_chars.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The windows-1252 reading of the C1 controls U+0080..U+009F (0: none),
 * the table the HTML standard applies to the character references
 * &#128;..&#159;. A C1 control in text is nearly always a windows-1252 byte
 * decoded as Latin-1 (0x97 an em dash, 0x93/0x94 quotes): replaced by that
 * character, the text keeps its meaning and its word boundaries. */
static const unsigned short cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* What the rule does with the character at s (valid UTF-8): the number of
 * bytes it spans when forbidden (0 when allowed), and in *repl the
 * character that replaces it (0: removed). XML 1.0 forbids the C0 controls
 * but TAB, LF and CR, and U+FFFE/U+FFFF. HTML (either syntax) forbids every
 * control but white space, so DEL and the C1 controls too, and every
 * noncharacter: U+FDD0..U+FDEF and the last two code points of each plane. */
static size_t forbidden_at(const unsigned char *s, xmlu_char_rule rule, unsigned *repl)
{
    *repl = 0;
    if (s[0] < 0x20 && s[0] != '\t' && s[0] != '\n' && s[0] != '\r')
        return 1;
    if (s[0] == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF))
        return 3;
    if (rule != XMLU_CHARS_HTML)
        return 0;
    if (s[0] == 0x7F)
        return 1;
    if (s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F) {
        *repl = cp1252_c1[s[1] - 0x80];
        return 2;
    }
    if (s[0] == 0xEF && s[1] == 0xB7 && s[2] >= 0x90 && s[2] <= 0xAF)
        return 3;
    if (s[0] >= 0xF0 && (s[1] & 0x0F) == 0x0F && s[2] == 0xBF && (s[3] == 0xBE || s[3] == 0xBF))
        return 4;
    return 0;
}

/* The bytes that may start a character a rule forbids (bit 1: XML's,
 * bit 2: HTML's): a control but white space, 0xEF (U+FFFE/U+FFFF, and
 * for HTML U+FDD0..U+FDEF), and for HTML also DEL, 0xC2 (the C1 controls)
 * and 0xF0 and up (the last two code points of a plane). forbidden_at
 * decides. */
static const unsigned char may_start[256] = {
    3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 3, 3, 0, 3, 3,  /* 0x00 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,  /* 0x10 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x20 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x50 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,  /* 0x70 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x80 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x90 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0xA0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0xB0 */
    0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0xC0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0xD0 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3,  /* 0xE0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,  /* 0xF0 */
};

static int may_start_forbidden(unsigned char b, xmlu_char_rule rule)
{
    return may_start[b] & (rule == XMLU_CHARS_HTML ? 2 : 1);
}

/* Eight bytes at a time, the word-at-a-time tests of "Bit Twiddling Hacks"
 * (exact as a yes/no, whatever the byte order): non-zero when the word x
 * holds a byte below 0x20 (x - 0x20 borrows into the lowest such byte's
 * high bit when every byte is ASCII), a byte of 0x80 or more (its own high
 * bit), or for HTML a 0x7F (x ^ 0x7F has a zero byte there, and 0 - 1
 * borrows). A zero result: no byte of x can start a forbidden character. */
#define BYTES_OF(b) (UINT64_C(0x0101010101010101) * (b))

static uint64_t word_needs_a_look(uint64_t x, xmlu_char_rule rule)
{
    uint64_t m = x | (x - BYTES_OF(0x20));
    if (rule == XMLU_CHARS_HTML)
        m |= (x ^ BYTES_OF(0x7F)) - BYTES_OF(1);
    return m & BYTES_OF(0x80);
}

/* The offset of the first byte of s[0..len) that may start a forbidden
 * character, or len. The scan of every text of the page, so it goes two
 * words at a time: plain ASCII text, nearly every node, costs about one
 * instruction a byte (the byte-at-a-time loop it replaces cost ten, 9 % of
 * a 1 MB md->html; bench/NOTES.md). Words with a control, DEL or a
 * non-ASCII byte are looked at byte by byte. Inlined with a constant rule
 * (clean_span) so that the rule is not tested per word. */
static inline size_t clean_span_as(const unsigned char *s, size_t len, xmlu_char_rule rule)
{
    size_t i = 0;
#if defined(__SSE2__)
    /* Where SSE2 is there (every x86-64): 16 bytes of printable ASCII are
     * passed in four instructions, and 16 bytes with others (a newline,
     * curly quotes, CJK), which the words below leave to the byte loop, are
     * tested exactly against may_start in a dozen: a control but TAB, LF
     * and CR (min(x, 0x1F) == x), 0xEF, and for HTML DEL, 0xC2 and 0xF0 and
     * up (max(x, 0xF0) == x). */
    const __m128i c1f = _mm_set1_epi8(0x1F), tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n'),
                  cr = _mm_set1_epi8('\r'), ef = _mm_set1_epi8((char)0xEF), del = _mm_set1_epi8(0x7F),
                  c2 = _mm_set1_epi8((char)0xC2), f0 = _mm_set1_epi8((char)0xF0);
    const __m128i shift = _mm_set1_epi8(0x60), printable_below = _mm_set1_epi8(-33);
    while (len - i >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        /* printable ASCII (0x20..0x7E) plus 0x60 is -128..-34 as a signed
         * byte, every other byte is not: all 16 printable, nothing to test */
        if (_mm_movemask_epi8(_mm_cmpgt_epi8(printable_below, _mm_add_epi8(x, shift))) == 0xFFFF) {
            i += 16;
            continue;
        }
        __m128i ws = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, tab), _mm_cmpeq_epi8(x, lf)), _mm_cmpeq_epi8(x, cr));
        __m128i hit = _mm_or_si128(_mm_andnot_si128(ws, _mm_cmpeq_epi8(_mm_min_epu8(x, c1f), x)), _mm_cmpeq_epi8(x, ef));
        if (rule == XMLU_CHARS_HTML)
            hit = _mm_or_si128(hit, _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, del), _mm_cmpeq_epi8(x, c2)),
                                                 _mm_cmpeq_epi8(_mm_max_epu8(x, f0), x)));
        unsigned mask = (unsigned)_mm_movemask_epi8(hit);
        if (mask) {
            while (!(mask & 1u)) {
                mask >>= 1;
                i++;
            }
            return i;
        }
        i += 16;
    }
#endif
    while (len - i >= 16) {
        uint64_t x, y;
        memcpy(&x, s + i, 8); /* unaligned loads, no aliasing question */
        memcpy(&y, s + i + 8, 8);
        if (!(word_needs_a_look(x, rule) | word_needs_a_look(y, rule))) {
            i += 16;
            continue;
        }
        for (size_t end = i + 16; i < end; i++)
            if (may_start_forbidden(s[i], rule))
                return i;
    }
    for (; i < len; i++)
        if (may_start_forbidden(s[i], rule))
            return i;
    return len;
}

static size_t clean_span(const unsigned char *s, size_t len, xmlu_char_rule rule)
{
    return rule == XMLU_CHARS_HTML ? clean_span_as(s, len, XMLU_CHARS_HTML) : clean_span_as(s, len, XMLU_CHARS_XML);
}

/* Where the first forbidden character was, for the warning. */
#define NEAR_MAX 24

typedef struct scrub {
    xmlu_char_rule rule;
    size_t removed, replaced;
    const xmlChar *elem, *attr; /* where the first one was */
    unsigned first;             /* its code point */
    char near[NEAR_MAX * 4 + 1]; /* the text just before it */
    int nomem;
} scrub;

static unsigned code_point(const unsigned char *s, size_t k)
{
    return k == 1 ? s[0]
         : k == 2 ? ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu)
         : k == 3 ? ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu)
                  : ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
}

/* Notes the first forbidden character: its element, attribute, code point
 * and up to NEAR_MAX characters of the text before it (from clean, the
 * text as rewritten so far, o bytes long), on one line. */
static void note_first(scrub *s, const unsigned char *clean, size_t o, const xmlChar *elem,
                       const xmlChar *attr, unsigned cp)
{
    size_t from = o, chars = 0, n = 0;
    s->elem = elem;
    s->attr = attr;
    s->first = cp;
    while (from > 0 && chars < NEAR_MAX) {
        from--;
        if ((clean[from] & 0xC0) != 0x80)
            chars++;
    }
    for (size_t i = from; i < o; i++)
        s->near[n++] = clean[i] == '\n' || clean[i] == '\r' || clean[i] == '\t' ? ' ' : (char)clean[i];
    s->near[n] = '\0';
}

static size_t put_utf8(unsigned char *out, unsigned cp)
{
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    out[0] = (unsigned char)(0xE0 | (cp >> 12));
    out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
}

/* Removes or replaces the forbidden characters of one text-like node's
 * content. */
static void scrub_node(scrub *s, xmlNodePtr n, const xmlChar *elem, const xmlChar *attr)
{
    const unsigned char *c = n->content;
    size_t len, o = 0, found = 0, k;
    unsigned char *clean;
    unsigned repl;
    if (!c)
        return;
    len = strlen((const char *)c);
    for (k = clean_span(c, len, s->rule); k < len && !forbidden_at(c + k, s->rule, &repl);
         k += 1 + clean_span(c + k + 1, len - k - 1, s->rule))
        ;
    if (k == len)
        return; /* nothing to remove: the common case allocates nothing */
    /* a 2-byte C1 control may become a 3-byte character: at most len / 2 more */
    clean = len < ((size_t)-1) / 2 ? malloc(len + len / 2 + 1) : NULL;
    if (!clean) {
        s->nomem = 1;
        return;
    }
    for (size_t i = 0; i < len;) {
        if ((k = forbidden_at(c + i, s->rule, &repl)) != 0) {
            if (!s->removed && !s->replaced && !found)
                note_first(s, clean, o, elem, attr, code_point(c + i, k));
            found++;
            if (repl) {
                s->replaced++;
                o += put_utf8(clean + o, repl);
            } else
                s->removed++;
            i += k;
        } else
            clean[o++] = c[i++];
    }
    clean[o] = '\0';
    if (found) {
        /* xmlNodeSetContent frees the old string (unless the dictionary
         * owns it) and stores a copy, raw: no entity parsing */
        xmlNodeSetContent(n, clean);
    }
    free(clean);
}
/* Calls visit on every text-like node of doc (texts, CDATA sections,
 * comments, processing instructions, and the text children of attributes),
 * with the element it belongs to and, for an attribute, the attribute's
 * name, and visit_element (if not NULL) on every element before its
 * attributes, until a visit sets *stop. An iterative pre-order walk: writers
 * and readers cap their depth, but a walk that needs no stack cannot
 * overflow one. */
typedef void (*visit_fn)(void *state, xmlNodePtr n, const xmlChar *elem, const xmlChar *attr);
typedef void (*visit_element_fn)(void *state, xmlNodePtr el);

static void walk_strings(xmlDocPtr doc, visit_fn visit, visit_element_fn visit_element, void *state,
                         const int *stop)
{
    for (xmlNodePtr n = doc->children; n && !*stop;) {
        if (n->type == XML_ELEMENT_NODE) {
            if (visit_element)
                visit_element(state, n);
            for (xmlAttrPtr a = n->properties; a; a = a->next)
                for (xmlNodePtr t = a->children; t; t = t->next)
                    if (t->type == XML_TEXT_NODE)
                        visit(state, t, n->name, a->name);
        } else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE ||
                   n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE) {
            visit(state, n, n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent->name : NULL, NULL);
        }
        if (n->type == XML_ELEMENT_NODE && n->children) {
            n = n->children;
            continue;
        }
        while (n && !n->next) {
            n = n->parent;
            if (n && n->type != XML_ELEMENT_NODE)
                n = NULL; /* back at the document */
        }
        if (n)
            n = n->next;
    }
}

static void scrub_visit(void *state, xmlNodePtr n, const xmlChar *elem, const xmlChar *attr)
{
    scrub_node(state, n, elem, attr);
}

size_t xmlu_drop_forbidden_chars(dp_ctx *ctx, xmlDocPtr doc, const char *what, xmlu_char_rule rule)
{
    scrub s;
    memset(&s, 0, sizeof s);
    s.rule = rule;
    if (!doc)
        return 0;
    walk_strings(doc, scrub_visit, NULL, &s, &s.nomem);
    if (s.nomem) {
        dp_fail(ctx, DP_ENOMEM, NULL, 0, 0, "out of memory");
        return (size_t)-1;
    }
    if (s.removed || s.replaced) {
        char where[160], done[160];
        if (s.attr)
            snprintf(where, sizeof where, "the %s attribute of <%s>", (const char *)s.attr,
                     s.elem ? (const char *)s.elem : "?");
        else
            snprintf(where, sizeof where, "the text of <%s>", s.elem ? (const char *)s.elem : "?");
        if (s.removed && s.replaced)
            snprintf(done, sizeof done, "%zu removed, %zu C1 control%s replaced by %s windows-1252 reading",
                     s.removed, s.replaced, s.replaced == 1 ? "" : "s", s.replaced == 1 ? "its" : "their");
        else if (s.replaced)
            snprintf(done, sizeof done, "replaced by %s windows-1252 reading", s.replaced == 1 ? "its" : "their");
        else
            snprintf(done, sizeof done, "removed");
        dp_warn(ctx, "%s: %zu character%s not allowed in %s (%s): %s; the first, U+%04X, in %s%s%s%s", what,
                s.removed + s.replaced, s.removed + s.replaced == 1 ? "" : "s",
                rule == XMLU_CHARS_HTML ? "HTML" : "XML",
                rule == XMLU_CHARS_HTML ? "control characters, noncharacters" : "control characters, U+FFFE/U+FFFF",
                done, s.first, where, *s.near ? " after \"" : "", s.near, *s.near ? "\"" : "");
    }
    return s.removed + s.replaced;
}

size_t xmlu_drop_invalid_chars(dp_ctx *ctx, xmlDocPtr doc, const char *what)
{
    return xmlu_drop_forbidden_chars(ctx, doc, what, XMLU_CHARS_XML);
}

/* ---- invalid UTF-8 left by a parser ------------------------------------ */

typedef struct repair {
    size_t replaced;
    int nomem;
} repair;

/* A malloc'd copy of s with every byte that starts no valid UTF-8 sequence
 * replaced by U+FFFD, or NULL when s is valid (*nomem set when out of
 * memory). */
static char *repaired(const xmlChar *s, repair *r)
{
    size_t len = strlen((const char *)s), n = 0;
    if (dp_utf8_span((const char *)s, len) == len)
        return NULL;
    char *out = dp_utf8_repair((const char *)s, len, NULL, &n);
    if (!out)
        r->nomem = 1;
    r->replaced += n;
    return out;
}

static void repair_visit(void *state, xmlNodePtr n, const xmlChar *elem, const xmlChar *attr)
{
    (void)elem;
    (void)attr;
    if (!n->content)
        return;
    char *fixed = repaired(n->content, state);
    if (fixed) {
        xmlNodeSetContent(n, BAD_CAST fixed); /* stores a copy, raw: no entity parsing */
        free(fixed);
    }
}

/* Element and attribute names too: the HTML parser takes non-ASCII bytes
 * into names as they come. */
static void repair_names(void *state, xmlNodePtr el)
{
    repair *r = state;
    char *fixed = el->name ? repaired(el->name, r) : NULL;
    if (fixed) {
        xmlNodeSetName(el, BAD_CAST fixed);
        free(fixed);
    }
    for (xmlAttrPtr a = el->properties; a && !r->nomem; a = a->next)
        if (a->name && (fixed = repaired(a->name, r)) != NULL) {
            xmlNodeSetName((xmlNodePtr)a, BAD_CAST fixed);
            free(fixed);
        }
}

long xmlu_repair_utf8(xmlDocPtr doc)
{
    repair r = {0, 0};
    if (!doc)
        return 0;
    walk_strings(doc, repair_visit, repair_names, &r, &r.nomem);
    return r.nomem ? -1 : (long)r.replaced;
}

/* How many leading bytes of s[0..len) collapsing leaves as they are: up to
 * the first white space but a space (tab, LF, CR, form feed: all below
 * 0x20) or the second space of a run. Most texts (a TEI paragraph's, an
 * HTML one's) need nothing collapsed, so this goes 8 bytes at a time: no
 * byte below 0x20 (x - 0x20 borrows into one's high bit, exact as a
 * yes/no) and no two spaces side by side (sp: the high bit of every byte
 * that is a space, exactly; shifted by one byte it meets a neighbour's,
 * whatever the byte order). */
static size_t unchanged_prefix(const unsigned char *s, size_t len)
{
    size_t i = 0;
#if defined(__SSE2__)
    /* 16 bytes at a time where SSE2 is there (every x86-64): a byte at or
     * below 0x1F (min(x, 0x1F) == x), or a space whose next byte is one too
     * (the same 16 bytes read again one further on; the pair across the
     * previous block's end was its last pair). A block with either is left
     * to the loops below, which decide exactly. */
    const __m128i ctl = _mm_set1_epi8(0x1F), space = _mm_set1_epi8(' ');
    while (len - i >= 17) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 1));
        __m128i bad = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x),
                                   _mm_and_si128(_mm_cmpeq_epi8(x, space), _mm_cmpeq_epi8(y, space)));
        if (_mm_movemask_epi8(bad))
            break;
        i += 16;
    }
#endif
    while (len - i >= 8) {
        uint64_t x, v, sp;
        memcpy(&x, s + i, 8);
        v = x ^ BYTES_OF(' ');
        sp = ~(((v & BYTES_OF(0x7F)) + BYTES_OF(0x7F)) | v | BYTES_OF(0x7F));
        if (((x - BYTES_OF(0x20)) & ~x & BYTES_OF(0x80)) || (sp & (sp << 8)) ||
            (i > 0 && s[i - 1] == ' ' && s[i] == ' '))
            break;
        i += 8;
    }
    for (; i < len; i++)
        if (s[i] < 0x20 ? s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f'
                        : s[i] == ' ' && i > 0 && s[i - 1] == ' ')
            break;
    return i;
}

size_t xmlu_ws_unchanged(const char *s, size_t len)
{
    return unchanged_prefix((const unsigned char *)s, len);
}

char *xmlu_collapse_ws(const char *s, size_t len, int html, size_t *outlen)
{
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    /* the unchanged start in one copy (issue 23: the byte loop alone was
     * 8 % of a 10 MB tei->html), then the runs */
    size_t o = unchanged_prefix((const unsigned char *)s, len);
    memcpy(out, s, o);
    int space = o > 0 && s[o - 1] == ' ';
    for (size_t i = o; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c > ' ' || !(c == ' ' || c == '\t' || c == '\n' || c == '\r' || (html && c == '\f'))) {
            out[o++] = (char)c;
            space = 0;
        } else if (!space) {
            out[o++] = ' ';
            space = 1;
        }
    }
    out[o] = '\0';
    if (outlen)
        *outlen = o;
    return out;
}
