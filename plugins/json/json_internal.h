/* The json plugin's internal interfaces: the emitter, the parser (a small
 * DOM in a scratch arena), base64, and the importer/exporter entry points. */
#ifndef DOCPIPE_JSON_INTERNAL_H
#define DOCPIPE_JSON_INTERNAL_H

#include <docpipe/docpipe.h>

#include <stddef.h>

/* The value of "docpipe-tree" in every document this plugin writes. */
#define JSON_TREE_VERSION 1

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

/* ---- the plugin functions ------------------------------------------------- */

int json_import(dp_ctx *ctx, const dp_input *in, dp_doc **out);
int json_export(dp_ctx *ctx, const dp_doc *doc, dp_buf *out);
int json_filter(dp_ctx *ctx, dp_doc *doc); /* the filter transform */

/* Names of enumerated fields, shared by both directions (index = enum value). */
extern const char *const json_list_types[];   /* bullet ordered */
extern const char *const json_list_delims[];  /* default period paren */
extern const char *const json_list_styles[];  /* default decimal lower-alpha ... */
extern const char *const json_tasks[];        /* none unchecked checked */
extern const char *const json_aligns[];       /* default left center right */
extern const char *const json_quotes[];       /* double single */
extern const char *const json_cite_modes[];   /* normal author-in-text suppress-author */
/* Index of name in a NULL-terminated table, -1 if absent. */
int json_enum_index(const char *const *table, const char *name);

#endif
