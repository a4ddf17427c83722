/* A small strict JSON parser (RFC 8259) building a DOM in a scratch arena.
 * Iterative: nesting is kept in an explicit frame stack capped at
 * max_depth, so hostile input can neither overflow the C stack nor make us
 * allocate without bound. Invalid UTF-8 anywhere is refused. */
#include "dp_json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    json_doc *jd;
    const unsigned char *s;
    size_t len, pos;
    const char *path;
    dp_error *err;
    /* values of all open containers, flattened: a frame owns the tail
     * starting at its `start`; objects store key, value, key, value ... */
    jv **vec;
    size_t nvec, capvec;
} parser;

typedef struct {
    int is_obj;
    size_t start;
    size_t offset;
} frame;

void json_position(const json_doc *jd, size_t offset, int *line, int *column)
{
    int l = 1, c = 1;
    if (offset > jd->len)
        offset = jd->len;
    for (size_t i = 0; i < offset; i++) {
        unsigned char ch = jd->input[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++; /* count characters, not UTF-8 continuation bytes */
        }
    }
    *line = l;
    *column = c;
}

static int fail_at(parser *p, int code, size_t offset, const char *fmt, ...) DP_PRINTF(4, 5);
static int fail_at(parser *p, int code, size_t offset, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line, col;
    json_position(p->jd, offset, &line, &col);
    return dp_error_set(p->err, code, p->path, line, col, "%s", msg);
}

static int nomem(parser *p)
{
    return dp_error_set(p->err, DP_ENOMEM, p->path, 0, 0, "out of memory parsing JSON");
}

/* Length of a valid UTF-8 sequence at i, 0 if invalid. */
static size_t utf8_len_at(const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    if (avail < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k < n; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    return n;
}

static jv *new_value(parser *p, jv_type type, size_t offset)
{
    jv *v = dp_doc_alloc(p->jd->scratch, sizeof *v);
    if (v) {
        v->type = type;
        v->offset = offset;
    }
    return v;
}

static int vec_push(parser *p, jv *v)
{
    if (p->nvec == p->capvec && DP_ARRAY_RESERVE(p->vec, p->capvec, p->nvec + 1))
        return nomem(p);
    p->vec[p->nvec++] = v;
    return DP_OK;
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len) {
        unsigned char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

static int hex4(const unsigned char *s, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = s[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    *out = v;
    return 0;
}

static size_t put_utf8(unsigned char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A string starting at the opening quote. */
static int parse_string(parser *p, jv **out)
{
    size_t start = p->pos;
    p->pos++; /* the quote */
    /* First pass: find the end, validate, so the decoded size is bounded. */
    size_t i = p->pos;
    while (i < p->len && p->s[i] != '"') {
        unsigned char c = p->s[i];
        if (c < 0x20)
            return fail_at(p, DP_EINPUT, i, "control character U+%04X in a string (write it as \\u%04x)", c, c);
        if (c == '\\') {
            i += 2;
            continue;
        }
        i++;
    }
    if (i >= p->len)
        return fail_at(p, DP_EINPUT, start, "unterminated string");
    size_t raw_end = i;
    unsigned char *buf = dp_doc_alloc(p->jd->scratch, raw_end - p->pos + 1);
    jv *v = new_value(p, JV_STR, start);
    if (!buf || !v)
        return nomem(p);
    size_t o = 0;
    i = p->pos;
    while (i < raw_end) {
        unsigned char c = p->s[i];
        if (c != '\\') {
            buf[o++] = c;
            i++;
            continue;
        }
        unsigned char e = p->s[i + 1];
        switch (e) {
        case '"': buf[o++] = '"'; i += 2; break;
        case '\\': buf[o++] = '\\'; i += 2; break;
        case '/': buf[o++] = '/'; i += 2; break;
        case 'b': buf[o++] = '\b'; i += 2; break;
        case 'f': buf[o++] = '\f'; i += 2; break;
        case 'n': buf[o++] = '\n'; i += 2; break;
        case 'r': buf[o++] = '\r'; i += 2; break;
        case 't': buf[o++] = '\t'; i += 2; break;
        case 'u': {
            unsigned cp, lo;
            if (raw_end - i < 6 || hex4(p->s + i + 2, &cp))
                return fail_at(p, DP_EINPUT, i, "invalid \\u escape (needs four hex digits)");
            size_t esc_at = i;
            i += 6;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return fail_at(p, DP_EINPUT, esc_at, "lone low surrogate \\u%04x", cp);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (raw_end - i < 6 || p->s[i] != '\\' || p->s[i + 1] != 'u' || hex4(p->s + i + 2, &lo) ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return fail_at(p, DP_EINPUT, esc_at, "high surrogate \\u%04x not followed by a low one", cp);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
            /* A decoded sequence is never longer than its escape. */
            o += put_utf8(buf + o, cp);
            break;
        }
        default:
            return fail_at(p, DP_EINPUT, i, "invalid escape \\%c", e >= 0x20 && e < 0x7F ? e : '?');
        }
    }
    buf[o] = '\0';
    v->u.str.s = (const char *)buf;
    v->u.str.len = o;
    p->pos = raw_end + 1;
    *out = v;
    return DP_OK;
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int parse_number(parser *p, jv **out)
{
    size_t start = p->pos, i = p->pos;
    if (i < p->len && p->s[i] == '-')
        i++;
    if (i >= p->len || !is_digit(p->s[i]))
        return fail_at(p, DP_EINPUT, start, "invalid number");
    if (p->s[i] == '0') {
        i++;
        if (i < p->len && is_digit(p->s[i]))
            return fail_at(p, DP_EINPUT, start, "invalid number: leading zero");
    } else {
        while (i < p->len && is_digit(p->s[i]))
            i++;
    }
    if (i < p->len && p->s[i] == '.') {
        i++;
        if (i >= p->len || !is_digit(p->s[i]))
            return fail_at(p, DP_EINPUT, start, "invalid number: digits expected after '.'");
        while (i < p->len && is_digit(p->s[i]))
            i++;
    }
    if (i < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
        i++;
        if (i < p->len && (p->s[i] == '+' || p->s[i] == '-'))
            i++;
        if (i >= p->len || !is_digit(p->s[i]))
            return fail_at(p, DP_EINPUT, start, "invalid number: digits expected in the exponent");
        while (i < p->len && is_digit(p->s[i]))
            i++;
    }
    jv *v = new_value(p, JV_NUM, start);
    if (!v)
        return nomem(p);
    v->u.num.text = (const char *)p->s + start;
    v->u.num.len = i - start;
    p->pos = i;
    *out = v;
    return DP_OK;
}

static int parse_literal(parser *p, jv **out)
{
    static const struct {
        const char *word;
        jv_type type;
    } words[] = {{"true", JV_TRUE}, {"false", JV_FALSE}, {"null", JV_NULL}};
    for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
        size_t n = strlen(words[k].word);
        if (p->len - p->pos >= n && memcmp(p->s + p->pos, words[k].word, n) == 0) {
            *out = new_value(p, words[k].type, p->pos);
            if (!*out)
                return nomem(p);
            p->pos += n;
            return DP_OK;
        }
    }
    return -1;
}

static int unexpected(parser *p, const char *wanted)
{
    if (p->pos >= p->len)
        return fail_at(p, DP_EINPUT, p->pos, "unexpected end of input, expected %s", wanted);
    unsigned char c = p->s[p->pos];
    if (c >= 0x20 && c < 0x7F)
        return fail_at(p, DP_EINPUT, p->pos, "unexpected '%c', expected %s", c, wanted);
    return fail_at(p, DP_EINPUT, p->pos, "unexpected byte 0x%02X, expected %s", c, wanted);
}

static int key_cmp(const void *a, const void *b)
{
    const jv *x = *(const jv *const *)a, *y = *(const jv *const *)b;
    size_t n = x->u.str.len < y->u.str.len ? x->u.str.len : y->u.str.len;
    int c = memcmp(x->u.str.s, y->u.str.s, n);
    if (c)
        return c;
    if (x->u.str.len != y->u.str.len)
        return x->u.str.len < y->u.str.len ? -1 : 1;
    /* Equal keys: the later one (by offset) is the duplicate to report. */
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int same_key(const jv *x, const jv *y)
{
    return x->u.str.len == y->u.str.len && memcmp(x->u.str.s, y->u.str.s, x->u.str.len) == 0;
}

/* Duplicate names would make the meaning depend on the reader: refused.
 * Small objects are checked pairwise, big ones sorted (no quadratic blow-up
 * on a hostile object with many keys). */
static int check_duplicates(parser *p, jv **keys, size_t n)
{
    if (n <= 16) {
        for (size_t k = 1; k < n; k++)
            for (size_t j = 0; j < k; j++)
                if (same_key(keys[j], keys[k]))
                    return fail_at(p, DP_EINPUT, keys[k]->offset, "duplicate key \"%s\"", keys[k]->u.str.s);
        return DP_OK;
    }
    jv **sorted = malloc(n * sizeof *sorted);
    if (!sorted)
        return nomem(p);
    memcpy(sorted, keys, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, key_cmp);
    int rc = DP_OK;
    for (size_t k = 1; k < n && rc == DP_OK; k++)
        if (same_key(sorted[k - 1], sorted[k]))
            rc = fail_at(p, DP_EINPUT, sorted[k]->offset, "duplicate key \"%s\"", sorted[k]->u.str.s);
    free(sorted);
    return rc;
}

/* Closes the top container: copies its items from vec into the arena. */
static int close_container(parser *p, const frame *f, jv **out)
{
    size_t n = p->nvec - f->start;
    jv *v = new_value(p, f->is_obj ? JV_OBJ : JV_ARR, f->offset);
    if (!v)
        return nomem(p);
    jv **items = NULL;
    if (n) {
        items = dp_doc_alloc(p->jd->scratch, n * sizeof *items);
        if (!items)
            return nomem(p);
        memcpy(items, p->vec + f->start, n * sizeof *items);
    }
    if (f->is_obj) {
        size_t pairs = n / 2;
        jv **keys = pairs ? dp_doc_alloc(p->jd->scratch, pairs * sizeof *keys) : NULL;
        jv **vals = pairs ? dp_doc_alloc(p->jd->scratch, pairs * sizeof *vals) : NULL;
        if (pairs && (!keys || !vals))
            return nomem(p);
        for (size_t k = 0; k < pairs; k++) {
            keys[k] = items[2 * k];
            vals[k] = items[2 * k + 1];
        }
        int rc = check_duplicates(p, keys, pairs);
        if (rc)
            return rc;
        v->u.obj.keys = keys;
        v->u.obj.values = vals;
        v->u.obj.n = pairs;
    } else {
        v->u.arr.items = items;
        v->u.arr.n = n;
    }
    p->nvec = f->start;
    *out = v;
    return DP_OK;
}

/* After '{' or ',' in an object: a key and its colon. */
static int parse_key(parser *p)
{
    skip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != '"')
        return unexpected(p, "a string key");
    jv *key;
    int rc = parse_string(p, &key);
    if (rc)
        return rc;
    skip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != ':')
        return unexpected(p, "':' after the key");
    p->pos++;
    return vec_push(p, key);
}

int json_parse(json_doc *jd, const unsigned char *data, size_t len, int max_depth, const char *path,
               dp_error *err)
{
    memset(jd, 0, sizeof *jd);
    jd->input = data;
    jd->len = len;
    if (dp_doc_new(&jd->scratch) != DP_OK)
        return dp_error_set(err, DP_ENOMEM, path, 0, 0, "out of memory");
    parser p = {jd, data, len, 0, path, err, NULL, 0, 0};
    frame *frames = NULL;
    size_t nframes = 0, capframes = 0;
    int rc = DP_OK;
    jv *val = NULL;

    /* The whole input must be UTF-8 (RFC 8259 section 8.1). */
    for (size_t i = 0; i < len;) {
        size_t n = utf8_len_at(data + i, len - i);
        if (n == 0) {
            rc = fail_at(&p, DP_EINPUT, i, "invalid UTF-8 (byte 0x%02X)", data[i]);
            goto done;
        }
        i += n;
    }
    if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        p.pos = 3; /* a byte order mark is tolerated */

    for (;;) {
        /* Here a value is expected. */
        skip_ws(&p);
        if (p.pos >= p.len) {
            rc = unexpected(&p, "a value");
            goto done;
        }
        unsigned char c = p.s[p.pos];
        if (c == '{' || c == '[') {
            if (nframes >= (size_t)(max_depth > 0 ? max_depth : 1)) {
                rc = fail_at(&p, DP_ELIMIT, p.pos, "JSON nested deeper than %d levels (limit max-depth)",
                             max_depth);
                goto done;
            }
            if (DP_ARRAY_RESERVE(frames, capframes, nframes + 1)) {
                rc = nomem(&p);
                goto done;
            }
            frame *f = &frames[nframes++];
            f->is_obj = c == '{';
            f->start = p.nvec;
            f->offset = p.pos;
            p.pos++;
            skip_ws(&p);
            if (p.pos < p.len && p.s[p.pos] == (f->is_obj ? '}' : ']')) {
                p.pos++;
                if ((rc = close_container(&p, f, &val)))
                    goto done;
                nframes--;
            } else {
                if (f->is_obj && (rc = parse_key(&p)))
                    goto done;
                continue;
            }
        } else if (c == '"') {
            if ((rc = parse_string(&p, &val)))
                goto done;
        } else if (c == '-' || is_digit(c)) {
            if ((rc = parse_number(&p, &val)))
                goto done;
        } else {
            rc = parse_literal(&p, &val);
            if (rc < 0) {
                rc = unexpected(&p, "a value");
                goto done;
            }
            if (rc)
                goto done;
        }
        /* A complete value: hand it to the enclosing containers, closing
         * as many as end here. */
        for (;;) {
            if (nframes == 0) {
                skip_ws(&p);
                if (p.pos < p.len) {
                    rc = unexpected(&p, "the end of input after the top-level value");
                    goto done;
                }
                jd->root = val;
                goto done;
            }
            frame *f = &frames[nframes - 1];
            if ((rc = vec_push(&p, val)))
                goto done;
            skip_ws(&p);
            if (p.pos < p.len && p.s[p.pos] == ',') {
                p.pos++;
                if (f->is_obj && (rc = parse_key(&p)))
                    goto done;
                break; /* next value */
            }
            if (p.pos < p.len && p.s[p.pos] == (f->is_obj ? '}' : ']')) {
                p.pos++;
                if ((rc = close_container(&p, f, &val)))
                    goto done;
                nframes--;
                continue;
            }
            rc = unexpected(&p, f->is_obj ? "',' or '}'" : "',' or ']'");
            goto done;
        }
    }
done:
    free(frames);
    free(p.vec);
    if (rc) {
        dp_doc_free(jd->scratch);
        jd->scratch = NULL;
        jd->root = NULL;
    }
    return rc;
}

void json_doc_free(json_doc *jd)
{
    if (!jd)
        return;
    dp_doc_free(jd->scratch);
    jd->scratch = NULL;
    jd->root = NULL;
}

const jv *jv_get(const jv *obj, const char *key)
{
    if (!obj || obj->type != JV_OBJ)
        return NULL;
    size_t klen = strlen(key);
    for (size_t i = 0; i < obj->u.obj.n; i++) {
        const jv *k = obj->u.obj.keys[i];
        if (k->u.str.len == klen && memcmp(k->u.str.s, key, klen) == 0)
            return obj->u.obj.values[i];
    }
    return NULL;
}
