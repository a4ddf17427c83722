/* dp_json: what the json and pandoc-json plugins share (a static library,
 * like plugins/xhtml's): the JSON emitter, the strict parser (a small DOM in a
 * scratch arena), base64, and running an external filter process. */
#ifndef DOCPIPE_DP_JSON_H
#define DOCPIPE_DP_JSON_H

#include <docpipe/docpipe.h>

#include <stddef.h>

/* ---- emitter ------------------------------------------------------------ */

typedef struct jw {
    dp_buf *out;
    int rc;          /* first failure (DP_ENOMEM), sticky */
    int replaced;    /* invalid UTF-8 sequences written as U+FFFD */
} jw;

void jw_raw(jw *w, const char *s);
void jw_str(jw *w, const char *s, size_t len); /* a JSON string, escaped */
void jw_cstr(jw *w, const char *s);
void jw_int(jw *w, long v);
void jw_bool(jw *w, int b);
void jw_double(jw *w, double v); /* shortest text that reads back exactly */
void jw_indent(jw *w, int depth);

/* ---- parser ----------------------------------------------------------- */

typedef enum jv_type { JV_NULL, JV_FALSE, JV_TRUE, JV_NUM, JV_STR, JV_ARR, JV_OBJ } jv_type;

typedef struct jv jv;
struct jv {
    jv_type type;
    size_t offset; /* byte offset in the input, for line:column in messages */
    union {
        struct {
            const char *s; /* decoded, NUL-terminated; may contain NULs within len */
            size_t len;
        } str;
        struct {
            const char *text; /* the literal as written */
            size_t len;
        } num;
        struct {
            jv **items;
            size_t n;
        } arr;
        struct {
            jv **keys; /* JV_STR values (their offsets locate the key) */
            jv **values;
            size_t n;
        } obj;
    } u;
};

typedef struct json_doc {
    dp_doc *scratch; /* arena for the DOM; freed by json_doc_free */
    jv *root;
    const unsigned char *input;
    size_t len;
} json_doc;

/* Parses data into jd. max_depth caps array/object nesting. On failure
 * fills err (message with line:column, file = path) and returns DP_EINPUT,
 * DP_ELIMIT or DP_ENOMEM. */
int json_parse(json_doc *jd, const unsigned char *data, size_t len, int max_depth, const char *path,
               dp_error *err);
void json_doc_free(json_doc *jd);
/* 1-based line and column (in characters) of a byte offset. */
void json_position(const json_doc *jd, size_t offset, int *line, int *column);
/* Value of key in an object, NULL if absent. */
const jv *jv_get(const jv *obj, const char *key);

/* ---- base64 (RFC 4648, with padding, no line breaks) ------------------- */

void b64_encode(jw *w, const unsigned char *data, size_t len);
/* Decodes into out (at least len/4*3 bytes). Returns the decoded length,
 * or (size_t)-1 on invalid input. */
size_t b64_decode(const char *s, size_t len, unsigned char *out);

/* ---- external filters (dp_json_proc.c) ------------------------------------ */

/* Runs argv (PATH searched) with env_extra ("NAME=VALUE" strings, NULL
 * terminated, added to the environment; may be NULL), feeding in on its
 * stdin and collecting stdout and stderr, killing it after timeout_ms.
 * *status gets the wait status. Returns 0, DP_ELIMIT on timeout, or
 * DP_EINTERNAL when it could not be started. */
int dpj_run(char *const *argv, char *const *env_extra, const unsigned char *in, size_t inlen, dp_buf *out,
            dp_buf *err, long timeout_ms, int *status);
/* dpj_run with every failure reported through ctx (timeout, could not
 * start, exit status or signal with the last line of its stderr) and
 * returned as DP_EPLUGIN. On success out holds the filter's stdout plus a
 * terminating NUL (counted in dp_buf_len). timeout_s <= 0: 30 s. name:
 * the filter as messages call it. */
int dpj_filter_run(dp_ctx *ctx, const char *name, char *const *argv, char *const *env_extra, const dp_buf *in,
                   long timeout_s, dp_buf *out);
/* The last line of a filter's stderr (NUL-terminates err), for messages. */
const char *dpj_last_line(dp_buf *err);
/* Makes doc hold what filtered holds: body, metadata and resources (deep
 * copies). Returns 0 or DP_ENOMEM. */
int dpj_adopt(dp_doc *doc, const dp_doc *filtered);

#endif
