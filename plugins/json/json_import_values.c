/* The json importer's error helpers and typed getters: every wrong type
 * or range is an error with the line:column of the value. */
#include "json_import_priv.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ji_fail(importer *im, const jv *v, int code, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line = 0, col = 0;
    if (v)
        json_position(&im->jd, v->offset, &line, &col);
    return dp_fail(im->ctx, code, im->path, line, col, "%s", msg);
}

int ji_nomem(importer *im)
{
    return dp_fail(im->ctx, DP_ENOMEM, im->path, 0, 0, "out of memory");
}

const char *ji_type_name(const jv *v)
{
    switch (v->type) {
    case JV_NULL: return "null";
    case JV_FALSE:
    case JV_TRUE: return "a boolean";
    case JV_NUM: return "a number";
    case JV_STR: return "a string";
    case JV_ARR: return "an array";
    case JV_OBJ: return "an object";
    }
    return "a value";
}

/* ---- typed getters ------------------------------------------------------ */

int ji_get_cstr(importer *im, const jv *v, const char *what, const char **out)
{
    if (v->type != JV_STR)
        return ji_fail(im, v, DP_EINPUT, "\"%s\" must be a string, not %s", what, ji_type_name(v));
    if (strlen(v->u.str.s) != v->u.str.len)
        return ji_fail(im, v, DP_EINPUT, "\"%s\" may not contain a NUL character", what);
    *out = v->u.str.s;
    return DP_OK;
}

int ji_get_int(importer *im, const jv *v, const char *what, long lo, long hi, int *out)
{
    if (v->type != JV_NUM)
        return ji_fail(im, v, DP_EINPUT, "\"%s\" must be an integer, not %s", what, ji_type_name(v));
    const char *s = v->u.num.text;
    size_t n = v->u.num.len, i = 0;
    int neg = 0;
    if (s[0] == '-') {
        neg = 1;
        i = 1;
    }
    long value = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return ji_fail(im, v, DP_EINPUT, "\"%s\" must be an integer", what);
        if (value > 100000000000L)
            return ji_fail(im, v, DP_EINPUT, "\"%s\" is out of range %ld..%ld", what, lo, hi);
        value = value * 10 + (s[i] - '0');
    }
    if (neg)
        value = -value;
    if (value < lo || value > hi)
        return ji_fail(im, v, DP_EINPUT, "\"%s\" is out of range %ld..%ld", what, lo, hi);
    *out = (int)value;
    return DP_OK;
}

int ji_get_bool(importer *im, const jv *v, const char *what, int *out)
{
    if (v->type != JV_TRUE && v->type != JV_FALSE)
        return ji_fail(im, v, DP_EINPUT, "\"%s\" must be true or false, not %s", what, ji_type_name(v));
    *out = v->type == JV_TRUE;
    return DP_OK;
}

int ji_get_enum(importer *im, const jv *v, const char *what, const char *const *table, int *out)
{
    const char *s = NULL; /* set when rc == 0; -O3 cannot tell */
    int rc = ji_get_cstr(im, v, what, &s);
    if (rc)
        return rc;
    int i = json_enum_index(table, s);
    if (i < 0) {
        char choices[256] = "";
        for (int k = 0; table[k]; k++) {
            strncat(choices, k ? ", " : "", sizeof choices - strlen(choices) - 1);
            strncat(choices, table[k], sizeof choices - strlen(choices) - 1);
        }
        return ji_fail(im, v, DP_EINPUT, "\"%s\" must be one of %s, not \"%s\"", what, choices, s);
    }
    *out = i;
    return DP_OK;
}

int ji_get_double(importer *im, const jv *v, const char *what, double *out)
{
    if (v->type != JV_NUM)
        return ji_fail(im, v, DP_EINPUT, "\"%s\" must be a number, not %s", what, ji_type_name(v));
    char buf[64];
    if (v->u.num.len >= sizeof buf)
        return ji_fail(im, v, DP_EINPUT, "\"%s\": number too long", what);
    memcpy(buf, v->u.num.text, v->u.num.len);
    buf[v->u.num.len] = '\0';
    double d = strtod(buf, NULL);
    if (!isfinite(d) || d < 0)
        return ji_fail(im, v, DP_EINPUT, "\"%s\" must be a finite number >= 0", what);
    *out = d;
    return DP_OK;
}

int ji_want_type(importer *im, const jv *v, jv_type type, const char *what)
{
    if (v->type == type)
        return DP_OK;
    return ji_fail(im, v, DP_EINPUT, "\"%s\" must be %s, not %s", what, type == JV_ARR ? "an array" : "an object",
                  ji_type_name(v));
}
