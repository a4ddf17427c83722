/* docpipe: common definitions shared by every public header.
 *
 * Conventions (libgit2 style): functions return 0 or a negative DP_E* code,
 * results come back through out-parameters placed first, every _new has a
 * NULL-safe _free, and the library never prints and never exits. */
#ifndef DOCPIPE_DP_COMMON_H
#define DOCPIPE_DP_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define DP_EXPORT __attribute__((visibility("default")))
#define DP_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define DP_EXPORT
#define DP_PRINTF(fmt_index, first_arg)
#endif

/* Library error codes. Each maps to one CLI exit code (see dp_exit_code). */
typedef enum dp_status {
    DP_OK = 0,
    DP_EINTERNAL = -1, /* a bug: an invariant did not hold */
    DP_ENOMEM = -2,    /* allocation failed */
    DP_EINVAL = -3,    /* bad argument from the caller (API misuse) */
    DP_EUSAGE = -4,    /* bad command line */
    DP_EINPUT = -5,    /* unreadable or malformed input */
    DP_ELIMIT = -6,    /* input exceeds a safety limit (size, depth, ratio ...) */
    DP_ECONFIG = -7,   /* bad pipeline config */
    DP_EPLUGIN = -8,   /* plugin missing, refused or failed */
    DP_EOUTPUT = -9,   /* output could not be written */
    DP_ELOSS = -10     /* --strict: an exporter or importer reported a loss */
} dp_status;

/* A caller-owned error record. Filled by the first failure; fixed buffers so
 * that filling it never allocates. line/column are 1-based, 0 when unknown. */
typedef struct dp_error {
    int code;           /* a dp_status */
    int line;
    int column;
    char file[512];     /* input or config file the error is about, "" if none */
    char plugin[64];    /* plugin id that raised it, "" if the core */
    char message[1024]; /* one line, no trailing newline, no "docpipe:" prefix */
} dp_error;

DP_EXPORT void dp_error_clear(dp_error *err);

/* Sets err (if err is non-NULL and not already set) and returns code.
 * file may be NULL. */
DP_EXPORT int dp_error_set(dp_error *err, int code, const char *file, int line, int column,
                           const char *fmt, ...) DP_PRINTF(6, 7);

/* Short name of a status, e.g. "input error". */
DP_EXPORT const char *dp_status_name(int code);

/* Library version, e.g. "0.1.0". */
DP_EXPORT const char *dp_version(void);

/* UTF-8 helpers, one implementation for every plugin.
 * dp_utf8_next decodes the code point at s[*i] and advances *i past it; an
 * invalid or truncated sequence gives U+FFFD and advances by one byte.
 * dp_utf8_put encodes cp into out (4 bytes at most) and returns the length;
 * NUL, surrogates and values above U+10FFFF are written as U+FFFD. */
DP_EXPORT uint32_t dp_utf8_next(const char *s, size_t len, size_t *i);
DP_EXPORT size_t dp_utf8_put(uint32_t cp, char *out);
/* Length of the longest prefix of s[0..len) that is valid UTF-8 (RFC 3629)
 * and holds no NUL byte: len when the whole text is clean, else the offset of
 * the first invalid byte or NUL. Runs of ASCII are checked eight bytes at a
 * time, so readers can validate their whole input for little cost. */
DP_EXPORT size_t dp_utf8_span(const char *s, size_t len);
/* A malloc'd, NUL-terminated copy of s[0..len) in which every byte that
 * starts no valid UTF-8 sequence, and every NUL, is replaced by U+FFFD;
 * *out_len (may be NULL) gets its length and *replaced (may be NULL) the
 * number of bytes replaced. NULL when out of memory. */
DP_EXPORT char *dp_utf8_repair(const char *s, size_t len, size_t *out_len, size_t *replaced);

/* Whether url starts with an RFC 3986 scheme ("http:", "data:", "urn:"):
 * ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":". Such a URL is not a local
 * path, which readers loading images and writers checking links both ask. */
DP_EXPORT int dp_url_has_scheme(const char *url);

/* ISO 8601 dates in the extended form that XML Schema, W3CDTF (EPUB's
 * dc:date) and TEI's @when share: YYYY, YYYY-MM, YYYY-MM-DD, optionally
 * followed by Thh:mm[:ss[.fraction]] and a zone (Z, +hh:mm, -hh:mm).
 * Returns 0 when s is no such date, else DP_DATE_OK with the flags of the
 * parts present, so that each format applies its own rule (xsd:dateTime
 * needs the seconds, W3CDTF needs the zone once a time is given). */
#define DP_DATE_OK 1
#define DP_DATE_TIME 2    /* a time follows the date */
#define DP_DATE_SECONDS 4 /* the time has seconds */
#define DP_DATE_ZONE 8    /* the time has a zone */
DP_EXPORT int dp_iso_date(const char *s);

/* YAML is the core's config language, and plugins reading YAML (Markdown
 * front matter) share this guard with dp_pipeline_parse: libyaml's scanner
 * does work proportional to the flow nesting depth for every token, so
 * "[[[[...]]]]" 100 000 levels deep takes it minutes. Call this before
 * handing text to libyaml. Returns 1 when a flow collection ([ or {) of
 * text nests deeper than max_depth, with *line and *col (1-based, may be
 * NULL) at the bracket that passes the limit; else 0. Quoted scalars and
 * comments are skipped. Linear time, no allocation. */
DP_EXPORT int dp_yaml_flow_too_deep(const char *text, size_t len, int max_depth, int *line, int *col);
/* The same callers, after that check: the size of the YAML once its
 * aliases are expanded, measured on libyaml's events without expanding
 * anything (linear time). One anchored long string referenced 50 000 times
 * is few nodes but gigabytes of text, so both are counted: every scalar's
 * bytes and every node, an alias counting as all of what it names. Returns
 * 1 when the bytes pass max_bytes, 2 when the nodes pass max_nodes, with
 * *line and *col (1-based, may be NULL) at the event that passes it (the
 * alias); 0 when within both or when the text is not valid YAML (the
 * loader then reports the syntax error). */
DP_EXPORT int dp_yaml_expansion_check(const char *text, size_t len, size_t max_bytes, size_t max_nodes,
                                      int *line, int *col);

/* Growable arrays, the one way to grow one in docpipe and its plugins:
 *
 *     if (DP_ARRAY_RESERVE(r->items, r->cap, r->n + 1))
 *         return DP_ENOMEM;
 *     r->items[r->n++] = item;
 *
 * dp_array_reserve makes room for `need` elements of elem_size in the array
 * whose pointer is at *array_ptr (capacity *cap, in elements): the capacity
 * doubles (from 8) until it fits, with overflow checked. Returns 0, or
 * DP_ENOMEM with the array and *cap unchanged. */
DP_EXPORT int dp_array_reserve(void *array_ptr, size_t *cap, size_t need, size_t elem_size);
#define DP_ARRAY_RESERVE(array, cap, need) dp_array_reserve(&(array), &(cap), (need), sizeof *(array))

/* A growable byte buffer. Exporters write their whole output into one; the core
 * then writes it to disk atomically (temporary file + rename). */
typedef struct dp_buf dp_buf;

DP_EXPORT int dp_buf_new(dp_buf **out);
DP_EXPORT void dp_buf_free(dp_buf *buf);
DP_EXPORT int dp_buf_append(dp_buf *buf, const void *data, size_t len);
DP_EXPORT int dp_buf_puts(dp_buf *buf, const char *s);
DP_EXPORT int dp_buf_printf(dp_buf *buf, const char *fmt, ...) DP_PRINTF(2, 3);
DP_EXPORT const unsigned char *dp_buf_data(const dp_buf *buf);
DP_EXPORT size_t dp_buf_len(const dp_buf *buf);
DP_EXPORT void dp_buf_reset(dp_buf *buf);
/* Hands the bytes to the caller (free() them); the buffer becomes empty. */
DP_EXPORT unsigned char *dp_buf_detach(dp_buf *buf, size_t *len);
/* Appends data as base64 (RFC 4648 section 4, padded, no line breaks). */
DP_EXPORT int dp_buf_append_base64(dp_buf *buf, const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
